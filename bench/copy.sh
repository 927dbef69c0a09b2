#!/usr/bin/env bash
# SQLite → PostgreSQL: Ferry against pgloader and against PostgreSQL's own server-side binary COPY.
#   bench/copy.sh [ROWS]   (default 3,000,000)
# Prints both wall times, the ratio, Ferry's peak RSS, and the server-side baseline (COPY FROM file
# (FORMAT binary) of the same rows + the primary key build). Every timed step starts after a CHECKPOINT and sync.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
need_apt pgloader pgloader

db="$work/events-$rows.db"
if [ ! -f "$db" ]; then
  echo "bench: generating $db ($rows rows)" >&2
  bench_tool bench-sqlite "$db" "$rows"
fi

ferry_url=$(fresh_db bench_ferry)
echo "bench: ferry copy" >&2
settle
seconds_of "$ferry" copy "sqlite:$db" --to "$ferry_url" --rejects "$work/rejects" >"$work/ferry-copy.log" 2>&1
ferry_s=$LAST_SECONDS; ferry_rss=$LAST_RSS_MB
ferry_rows=$(psql -tA "$ferry_url" -c "select count(*) from events")

echo "bench: ferry verify" >&2
settle
verify_exit=0
seconds_of "$ferry" verify "sqlite:$db" --to "$ferry_url" >"$work/ferry-verify.log" 2>&1 || verify_exit=$?
verify_s=$LAST_SECONDS; verify_rss=$LAST_RSS_MB

pgloader_url=$(fresh_db bench_pgloader)
echo "bench: pgloader" >&2
settle
seconds_of pgloader --quiet "sqlite://$db" "$pgloader_url" >"$work/pgloader.log" 2>&1
pgloader_s=$LAST_SECONDS
pgloader_rows=$(psql -tA "$pgloader_url" -c "select count(*) from events")

# The floor: the server reads the same rows from a binary file Ferry's table produces, then builds the key.
binfile=/var/tmp/ferry-bench-events.bin
rm -f "$binfile"
psql -q "$ferry_url" -c "COPY events TO '$binfile' (FORMAT binary)"
baseline_url=$(fresh_db bench_baseline)
columns=$(psql -tA "$ferry_url" -c "select string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' order by attnum) from pg_attribute where attrelid = 'events'::regclass and attnum > 0 and not attisdropped")
# Autovacuum off, as Ferry has it while it loads: a worker starting on the table mid-COPY is noise, not the floor.
psql -q "$baseline_url" -c "CREATE TABLE events ($columns) WITH (autovacuum_enabled = off)"
settle
start=$(date +%s.%N)
psql -q "$baseline_url" -c "COPY events FROM '$binfile' (FORMAT binary)" -c "ALTER TABLE events ADD PRIMARY KEY (id)"
end=$(date +%s.%N)
baseline_s=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
rm -f "$binfile"

echo
echo "SQLite → PostgreSQL, $rows rows (integer key, integer, REAL, text, DATETIME, BOOLEAN, NUMERIC(12,2))"
printf '  ferry copy        %8.2f s   peak RSS %d MB   rows %s\n' "$ferry_s" "$ferry_rss" "$ferry_rows"
printf '  ferry verify      %8.2f s   peak RSS %d MB   exit %d (0 = identical)\n' "$verify_s" "$verify_rss" "$verify_exit"
printf '  pgloader          %8.2f s   rows %s\n' "$pgloader_s" "$pgloader_rows"
printf '  server-side COPY  %8.2f s   (COPY FROM file (FORMAT binary) + primary key)\n' "$baseline_s"
echo "  pgloader / ferry:         $(ratio "$pgloader_s" "$ferry_s")x   (goal >= 6)"
echo "  ferry / server-side COPY: $(ratio "$ferry_s" "$baseline_s")x   (goal <= 1.3)"
echo "  verify / copy:            $(ratio "$verify_s" "$ferry_s")x   (goal <= 1)"
