#!/usr/bin/env bash
# Migration benchmark: 200 one-table migrations, each in its own transaction, applied to fresh databases by
# `ferry migrate up` and by `sqitch deploy`, in one run on one throwaway cluster. Prints both times and the ratio.
# The cluster is warmed up first and every timed run starts after a CHECKPOINT and sync, so that no tool pays
# for another's pending writes or for a cold cluster.
#   bench/migrations.sh [COUNT] [ROUNDS]     (default 200 migrations, 3 rounds)
# One run on a shared 2-core machine is noise as much as speed: each round times all three on fresh databases, and
# the ratio is taken between the medians (each round's figures are printed too).
# Installs sqitch and its PostgreSQL driver (Debian packages sqitch, libdbd-pg-perl) when missing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
count=${1:-200}
rounds=${2:-3}

need_apt sqitch sqitch
perl -MDBD::Pg -e 1 >/dev/null 2>&1 || apt_install libdbd-pg-perl

work="$work/migrations"
rm -rf "$work"

say "generating $count one-table migrations for each tool"
mkdir -p "$work/ferry" "$work/sqitch/deploy" "$work/sqitch/revert"
{
  printf '%%syntax-version=1.0.0\n%%project=bench\n\n'
  for i in $(seq -f '%03g' 1 "$count"); do
    table="CREATE TABLE t$i (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
    printf '%s\n' "$table" >"$work/ferry/${i}_create_t$i.up.sql"
    printf 'DROP TABLE t%s;\n' "$i" >"$work/ferry/${i}_create_t$i.down.sql"
    printf 'BEGIN;\n%s\nCOMMIT;\n' "$table" >"$work/sqitch/deploy/t$i.sql"
    printf 'BEGIN;\nDROP TABLE t%s;\nCOMMIT;\n' "$i" >"$work/sqitch/revert/t$i.sql"
    printf 't%s 2026-01-01T00:00:00Z Bench <bench@example.com> # create t%s\n' "$i" "$i"
  done
} >"$work/sqitch/sqitch.plan"
printf '[core]\n\tengine = pg\n\tplan_file = sqitch.plan\n\ttop_dir = .\n' >"$work/sqitch/sqitch.conf"

now() { date +%s.%N; }
# CPU seconds (user + sys) of a subshell's finished children, from the second line of bash's `times` saved in $1.
child_cpu() { sed -n 2p "$1" | awk '{ gsub(/s/, "", $1); gsub(/s/, "", $2); split($1, u, "m"); split($2, k, "m"); print u[1] * 60 + u[2] + k[1] * 60 + k[2] }'; }
since() { awk -v end="$(now)" -v start="$1" 'BEGIN { print end - start }'; }

# A just-started cluster pays for its first catalog reads and file creations: warm it up on a scratch database
# with the same DDL, so that no tool is timed cold.
warm_url=$(fresh_db warm_bench)
warm_sql=""
for f in "$work"/ferry/*.up.sql; do warm_sql="$warm_sql $(cat "$f")"; done
psql -X -q -v ON_ERROR_STOP=1 "$warm_url" -c "$warm_sql" >/dev/null

# The floor: PostgreSQL's own time for the same DDL, one transaction per migration, all sent in one round
# trip from psql, commits not waiting for the WAL flush (as Ferry's), no history rows at all.
floor_sql="SET synchronous_commit = off;"
for f in "$work"/ferry/*.up.sql; do floor_sql="$floor_sql BEGIN; $(cat "$f") COMMIT;"; done

tables() { psql -X -At "$server/$1" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+\$'"; }

# round N: the floor, Ferry and sqitch, each on a fresh database, each after a CHECKPOINT and sync; appends each
# one's seconds to floor_s, ferry_s, sqitch_s (and the client CPU to ferry_c, sqitch_c), and checks both results.
floor_s=() ferry_s=() ferry_c=() sqitch_s=() sqitch_c=()
round() {
  local floor_url ferry_url sqitch_url start
  floor_url=$(fresh_db "floor_bench_$1")
  ferry_url=$(fresh_db "ferry_bench_$1")
  sqitch_url=$(fresh_db "sqitch_bench_$1")

  settle
  start=$(now)
  psql -X -q -v ON_ERROR_STOP=1 "$floor_url" -c "$floor_sql" >/dev/null
  floor_s+=("$(since "$start")")

  settle
  start=$(now)
  (
    "$ferry" migrate up --database "$ferry_url" --dir "$work/ferry" >"$work/ferry.log" 2>&1 || { cat "$work/ferry.log" >&2; exit 1; }
    times >"$work/ferry.times"
  )
  ferry_s+=("$(since "$start")")
  ferry_c+=("$(child_cpu "$work/ferry.times")")

  settle
  start=$(now)
  (
    cd "$work/sqitch"
    HOME="$work" SQITCH_FULLNAME=Bench SQITCH_EMAIL=bench@example.com \
      sqitch deploy --target "db:$sqitch_url" >"$work/sqitch.log" 2>&1 || { cat "$work/sqitch.log" >&2; exit 1; }
    times >"$work/sqitch.times"
  )
  sqitch_s+=("$(since "$start")")
  sqitch_c+=("$(child_cpu "$work/sqitch.times")")

  local ferry_tables sqitch_tables ferry_rows sqitch_rows
  ferry_tables=$(tables "ferry_bench_$1")
  sqitch_tables=$(tables "sqitch_bench_$1")
  ferry_rows=$(psql -X -At "$ferry_url" -c "SELECT count(*) FROM public.schema_migrations WHERE success")
  sqitch_rows=$(psql -X -At "$sqitch_url" -c "SELECT count(*) FROM sqitch.changes")
  if [ "$ferry_tables" != "$count" ] || [ "$sqitch_tables" != "$count" ] || [ "$ferry_rows" != "$count" ] || [ "$sqitch_rows" != "$count" ]; then
    say "check failed: ferry $ferry_tables tables / $ferry_rows history rows, sqitch $sqitch_tables tables / $sqitch_rows changes (expected $count)"
    exit 1
  fi
}

for r in $(seq 1 "$rounds"); do
  say "round $r of $rounds: psql (the server's own time), ferry migrate up, sqitch deploy"
  round "$r"
done

printf 'migrations: %d one-table migrations, each in its own transaction, fresh database each (PostgreSQL %s)\n' "$count" "$(psql -X -At "$server/postgres" -c 'SHOW server_version')"
printf 'machine:          %s cores, load average %s; %s (%s)\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(sqitch --version)" "$rounds rounds"
for r in $(seq 0 $((rounds - 1))); do
  printf 'round %d:          ferry %.2f s (client CPU %.2f s), sqitch %.2f s (client CPU %.2f s, psql included), floor %.2f s, ferry is %.1fx faster\n' \
    $((r + 1)) "${ferry_s[r]}" "${ferry_c[r]}" "${sqitch_s[r]}" "${sqitch_c[r]}" "${floor_s[r]}" "$(ratio "${sqitch_s[r]}" "${ferry_s[r]}")"
done
ferry_m=$(median "${ferry_s[@]}"); sqitch_m=$(median "${sqitch_s[@]}"); floor_m=$(median "${floor_s[@]}")
printf 'ferry migrate up: %.2f s  (median)\n' "$ferry_m"
printf 'sqitch deploy:    %.2f s  (median)\n' "$sqitch_m"
printf 'server floor:     %.2f s  (median; the same DDL, %d transactions in one psql round trip, no history rows)\n' "$floor_m" "$count"
printf 'ferry / floor:    %.2fx\n' "$(ratio "$ferry_m" "$floor_m")"
printf 'ratio:            ferry is %.1fx faster (medians; goal 20x)\n' "$(ratio "$sqitch_m" "$ferry_m")"
