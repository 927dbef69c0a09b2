#!/usr/bin/env bash
# SQLite → PostgreSQL: Ferry against pgloader and against PostgreSQL's own server-side binary COPY.
#   bench/copy.sh [ROWS] [ROUNDS]   (default 3,000,000 rows, 3 rounds)
# Prints both wall times, the ratio, Ferry's peak RSS, and the server-side baseline (COPY FROM file
# (FORMAT binary) of the same rows + the primary key build). Every timed step starts after a CHECKPOINT and sync.
# One run on a shared 2-core machine is noise as much as speed: each round times every step on fresh databases,
# the ratios are taken between the medians, and each round's figures are printed too (peak RSS: the highest).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
rounds=${2:-3}
need_apt pgloader pgloader

db="$work/events-$rows.db"
if [ ! -f "$db" ]; then
  echo "bench: generating $db ($rows rows)" >&2
  bench_tool bench-sqlite "$db" "$rows"
fi

binfile=/var/tmp/ferry-bench-events.bin
rm -f "$binfile"
trap 'rm -f "$binfile"; drop_databases || true; "$ferry" local stop >&2 || true' EXIT

ferry_s=() ferry_rss=() verify_s=() verify_rss=() pgloader_s=() floor_s=()
# round N: Ferry's copy and verify, pgloader, and the server-side floor, each into a fresh database.
round() {
  local ferry_url pgloader_url baseline_url copied loaded verify_exit columns start end
  ferry_url=$(fresh_db "bench_ferry_$1")
  say "round $1: ferry copy"
  settle
  seconds_of "$ferry" copy "sqlite:$db" --to "$ferry_url" --rejects "$work/rejects" >"$work/ferry-copy.log" 2>&1
  ferry_s+=("$LAST_SECONDS"); ferry_rss+=("$LAST_RSS_MB")
  copied=$(psql -tA "$ferry_url" -c "select count(*) from events")

  say "round $1: ferry verify"
  settle
  verify_exit=0
  seconds_of "$ferry" verify "sqlite:$db" --to "$ferry_url" >"$work/ferry-verify.log" 2>&1 || verify_exit=$?
  verify_s+=("$LAST_SECONDS"); verify_rss+=("$LAST_RSS_MB")

  pgloader_url=$(fresh_db "bench_pgloader_$1")
  say "round $1: pgloader"
  settle
  seconds_of pgloader --quiet "sqlite://$db" "$pgloader_url" >"$work/pgloader.log" 2>&1
  pgloader_s+=("$LAST_SECONDS")
  loaded=$(psql -tA "$pgloader_url" -c "select count(*) from events")
  if [ "$copied" != "$rows" ] || [ "$loaded" != "$rows" ] || [ "$verify_exit" != 0 ]; then
    say "check failed: ferry copied $copied rows, pgloader loaded $loaded (expected $rows); ferry verify exit $verify_exit (see $work/ferry-verify.log)"
    exit 1
  fi

  # The floor: the server reads the same rows from a binary file Ferry's table produces, then builds the key.
  [ -f "$binfile" ] || psql -q "$ferry_url" -c "COPY events TO '$binfile' (FORMAT binary)"
  baseline_url=$(fresh_db "bench_baseline_$1")
  columns=$(psql -tA "$ferry_url" -c "select string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' order by attnum) from pg_attribute where attrelid = 'events'::regclass and attnum > 0 and not attisdropped")
  # Autovacuum off, as Ferry has it while it loads: a worker starting on the table mid-COPY is noise, not the floor.
  psql -q "$baseline_url" -c "CREATE TABLE events ($columns) WITH (autovacuum_enabled = off)"
  say "round $1: server-side COPY"
  settle
  start=$(date +%s.%N)
  psql -q "$baseline_url" -c "COPY events FROM '$binfile' (FORMAT binary)" -c "ALTER TABLE events ADD PRIMARY KEY (id)"
  end=$(date +%s.%N)
  floor_s+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')")
}

for r in $(seq 1 "$rounds"); do round "$r"; done

echo
echo "SQLite → PostgreSQL, $rows rows (integer key, integer, REAL, text, DATETIME, BOOLEAN, NUMERIC(12,2)), $rounds rounds"
echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(pgloader --version | head -1)"
for r in $(seq 0 $((rounds - 1))); do
  printf '  round %d: ferry copy %.2f s (peak RSS %d MB), verify %.2f s, pgloader %.2f s, server-side COPY %.2f s; pgloader / ferry %sx, ferry / server-side %sx\n' \
    $((r + 1)) "${ferry_s[r]}" "${ferry_rss[r]}" "${verify_s[r]}" "${pgloader_s[r]}" "${floor_s[r]}" \
    "$(ratio "${pgloader_s[r]}" "${ferry_s[r]}")" "$(ratio "${ferry_s[r]}" "${floor_s[r]}")"
done
ferry_m=$(median "${ferry_s[@]}"); verify_m=$(median "${verify_s[@]}"); pgloader_m=$(median "${pgloader_s[@]}"); floor_m=$(median "${floor_s[@]}")
rss_max=$(printf '%s\n' "${ferry_rss[@]}" | sort -n | tail -1); verify_rss_max=$(printf '%s\n' "${verify_rss[@]}" | sort -n | tail -1)
echo "  medians:"
printf '  ferry copy        %8.2f s   peak RSS %d MB (highest)   rows %s\n' "$ferry_m" "$rss_max" "$rows"
printf '  ferry verify      %8.2f s   peak RSS %d MB (highest)   identical every round\n' "$verify_m" "$verify_rss_max"
printf '  pgloader          %8.2f s   rows %s\n' "$pgloader_m" "$rows"
printf '  server-side COPY  %8.2f s   (COPY FROM file (FORMAT binary) + primary key)\n' "$floor_m"
echo "  pgloader / ferry:         $(ratio "$pgloader_m" "$ferry_m")x   (goal >= 6)"
echo "  ferry / server-side COPY: $(ratio "$ferry_m" "$floor_m")x   (goal <= 1.3)"
echo "  pgloader / server-side:   $(ratio "$pgloader_m" "$floor_m")x   (the ratio a tool exactly as fast as the server's own COPY would reach)"
echo "  verify / copy:            $(ratio "$verify_m" "$ferry_m")x   (goal <= 1)"
