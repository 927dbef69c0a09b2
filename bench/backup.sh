#!/usr/bin/env bash
# In-database backup and restore: Ferry against the server's own statements, on copy.sh's 3M-row events table.
#   bench/backup.sh [ROWS] [ROUNDS]   (default 3,000,000 rows, 3 rounds)
# Ferry: `ferry backup --tables events` (copy + fingerprint + manifest) and `ferry restore NAME` (truncate, refill,
# sequences, fingerprint proof). The server: `CREATE TABLE b AS SELECT * FROM events` and
# `TRUNCATE events; INSERT INTO events SELECT * FROM b` through psql. Same database, same round, every timed step
# after a CHECKPOINT and sync; the ratio is taken between the medians; Ferry's peak RSS is the highest of its runs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
rounds=${2:-3}

db="$work/events-$rows.db"
if [ ! -f "$db" ]; then
  say "generating $db ($rows rows)"
  bench_tool bench-sqlite "$db" "$rows"
fi

# The table is loaded once and kept (cached_… databases survive the run).
url="$server/cached_backup_events_$rows"
if ! psql -X -At "$server/postgres" -c "SELECT 1 FROM pg_database WHERE datname = 'cached_backup_events_$rows'" | grep -q 1; then
  psql -X -q "$server/postgres" -c "CREATE DATABASE cached_backup_events_$rows"
  say "loading $rows rows into $url"
  "$ferry" copy "sqlite:$db" --to "$url" --rejects "$work/rejects" >"$work/backup-load.log" 2>&1
fi
psql -X -q "$url" -c "DROP TABLE IF EXISTS bench_b" -c "VACUUM ANALYZE events"
for name in $(psql -X -At "$url" -c "SELECT name FROM ferry.backups" 2>/dev/null); do "$ferry" backups drop "$name" --database "$url" >/dev/null; done

backup_s=() backup_rss=() restore_s=() restore_rss=() ctas_s=() refill_s=()
timed_psql() { # timed_psql SQL...: prints the seconds psql took
  local start end
  start=$(date +%s.%N)
  psql -X -q "$url" "${@/#/-c}" >/dev/null
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }'
}

round() {
  say "round $1: ferry backup"
  settle
  seconds_of "$ferry" backup --tables events --name "bench_$1" --database "$url" >"$work/ferry-backup.log" 2>&1
  backup_s+=("$LAST_SECONDS"); backup_rss+=("$LAST_RSS_MB")
  say "round $1: ferry restore"
  settle
  seconds_of "$ferry" restore "bench_$1" --database "$url" >"$work/ferry-restore.log" 2>&1 || { say "restore not proven: see $work/ferry-restore.log"; exit 1; }
  restore_s+=("$LAST_SECONDS"); restore_rss+=("$LAST_RSS_MB")
  "$ferry" backups drop "bench_$1" --database "$url" >/dev/null

  say "round $1: server-side CREATE TABLE AS"
  settle
  ctas_s+=("$(timed_psql "CREATE TABLE bench_b AS SELECT * FROM events")")
  say "round $1: server-side TRUNCATE + INSERT SELECT"
  settle
  refill_s+=("$(timed_psql "BEGIN" "TRUNCATE events" "INSERT INTO events SELECT * FROM bench_b" "COMMIT")")
  psql -X -q "$url" -c "DROP TABLE bench_b"
}

for r in $(seq 1 "$rounds"); do round "$r"; done

echo
echo "In-database backup + restore of events, $rows rows (primary key), $rounds rounds"
echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 0 $((rounds - 1))); do
  printf '  round %d: ferry backup %.2f s + restore %.2f s (peak RSS %d / %d MB); server CREATE TABLE AS %.2f s + TRUNCATE/INSERT %.2f s\n' \
    $((r + 1)) "${backup_s[r]}" "${restore_s[r]}" "${backup_rss[r]}" "${restore_rss[r]}" "${ctas_s[r]}" "${refill_s[r]}"
done
backup_m=$(median "${backup_s[@]}"); restore_m=$(median "${restore_s[@]}"); ctas_m=$(median "${ctas_s[@]}"); refill_m=$(median "${refill_s[@]}")
rss_max=$(printf '%s\n' "${backup_rss[@]}" "${restore_rss[@]}" | sort -n | tail -1)
ferry_m=$(awk -v a="$backup_m" -v b="$restore_m" 'BEGIN { printf "%.2f", a + b }')
server_m=$(awk -v a="$ctas_m" -v b="$refill_m" 'BEGIN { printf "%.2f", a + b }')
echo "  medians:"
printf '  ferry backup        %8.2f s\n' "$backup_m"
printf '  ferry restore       %8.2f s   (refill + fingerprint proof)\n' "$restore_m"
printf '  server CTAS         %8.2f s\n' "$ctas_m"
printf '  server refill       %8.2f s\n' "$refill_m"
printf '  ferry peak RSS      %8d MB (highest)\n' "$rss_max"
echo "  backup / CTAS:             $(ratio "$backup_m" "$ctas_m")x"
echo "  restore / refill:          $(ratio "$restore_m" "$refill_m")x"
echo "  ferry / server (both):     $(ratio "$ferry_m" "$server_m")x   (goal <= 1.5)"
