#!/usr/bin/env bash
# PostgreSQL → PostgreSQL: Ferry against pgcopydb, against pg_dump + pg_restore, and against the floor (psql's binary
# \copy piped table by table, then the same index and key builds).
#   bench/pg-copy.sh [ROWS] [ROUNDS]   (default 3,000,000 rows, 3 rounds)
# The source, generated once and kept in the bench cluster as cached_pg_source_ROWS (made again when its row counts
# are not the expected ones), holds ROWS rows in total, split 2/3, 1/5 and the rest (3,000,000: 2,000,000 + 600,000
# + 400,000):
#   events         id bigint primary key, user_id bigint, amount double precision, label text,
#                  created_at timestamp, active boolean, price numeric(12,2)   (copy.sh's table)
#   event_details  id bigint primary key, event_id bigint → events, recorded_at timestamptz, payload jsonb
#   event_hits     id bigint primary key, event_id bigint → events, client inet (1 in 10 IPv6), cost numeric(14,4),
#                  seen_at timestamptz
#   secondary indexes: events (user_id), event_details (event_id), event_hits (event_id, seen_at)
# Each round copies it into fresh databases of the same cluster: `ferry copy` (default --jobs), `pgcopydb clone`
# (2 table jobs, 2 index jobs), `pg_dump -Fd -j 2` + `pg_restore -j 2`, and the floor (2 tables at a time, then the
# post-data section restored 2 jobs at a time: every peer gets 2-way parallelism, the machine's core count); then
# `ferry verify` of Ferry's copy. Each tool runs as it ships: pgcopydb's clone also VACUUM ANALYZEs the tables (Ferry
# ANALYZEs them) and pg_dump's directory format compresses; pg_restore and the floor do neither. Every copy's row
# counts must equal the source's and verify must exit 0, or the script exits 1 naming what differs. Every timed step
# starts after a CHECKPOINT and sync. One run on a shared 2-core machine is noise as much as speed: the ratios are
# taken between the medians, and each round's figures are printed too (peak RSS: the highest).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
rounds=${2:-3}
need_apt pgcopydb pgcopydb

main_rows=$((rows * 2 / 3))
detail_rows=$((rows / 5))
hit_rows=$((rows - main_rows - detail_rows))
tables=(events event_details event_hits)
expected="events=$main_rows event_details=$detail_rows event_hits=$hit_rows"

# counts URL: each table's row count, as "events=N event_details=N event_hits=N" ("missing" when a table is absent).
counts() {
  local table out=()
  for table in "${tables[@]}"; do
    out+=("$table=$(psql -X -tA "$1" -c "select count(*) from $table" 2>/dev/null || echo missing)")
  done
  echo "${out[*]}"
}

source_db="cached_pg_source_$rows"
source_url="$server/$source_db"
if [ "$(psql -X -tA "$server/postgres" -c "select count(*) from pg_database where datname = '$source_db'")" = 1 ] &&
   [ "$(counts "$source_url")" = "$expected" ]; then
  say "using the cached source $source_db ($expected)"
else
  say "generating the source $source_db ($expected)"
  psql -X -q "$server/postgres" -c "SET client_min_messages TO warning" -c "DROP DATABASE IF EXISTS \"$source_db\" WITH (FORCE)"
  # Built under a name drop_databases removes, renamed once complete: an interrupted generation is never cached.
  partial_url=$(fresh_db bench_pg_source_partial)
  psql -X -q -v ON_ERROR_STOP=1 -v main="$main_rows" -v details="$detail_rows" -v hits="$hit_rows" "$partial_url" <<'SQL'
SELECT setseed(0.17) \g /dev/null
CREATE TABLE events (
    id bigint NOT NULL,
    user_id bigint NOT NULL,
    amount double precision,
    label text,
    created_at timestamp NOT NULL,
    active boolean NOT NULL,
    price numeric(12,2)
);
CREATE TABLE event_details (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL,
    payload jsonb NOT NULL
);
CREATE TABLE event_hits (
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    client inet,
    cost numeric(14,4),
    seen_at timestamptz NOT NULL
);
INSERT INTO events
SELECT i,
       1 + floor(random() * 199999)::bigint,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() * 1000 END,
       (ARRAY['signup', 'login', 'purchase', 'refund', 'page_view', 'click', 'logout', 'upgrade'])[1 + floor(random() * 8)::int]
           || ' #' || floor(random() * 100000)::int,
       timestamp '2024-01-01' + (i * 7 + floor(random() * 7)::int) * interval '1 second',
       random() < 0.5,
       CASE WHEN random() < 0.1 THEN NULL ELSE round((random() * 100000)::numeric, 2) END
FROM generate_series(1, :main) AS i;
INSERT INTO event_details
SELECT i,
       1 + floor(random() * :main)::bigint,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '11 seconds' + floor(random() * 1000) * interval '1 millisecond',
       jsonb_build_object(
           'source', (ARRAY['web', 'ios', 'android', 'api'])[1 + floor(random() * 4)::int],
           'step', i % 12,
           'score', round((random() * 100)::numeric, 3),
           'tags', jsonb_build_array('t' || (i % 7), 't' || (i % 11)),
           'retry', random() < 0.1)
FROM generate_series(1, :details) AS i;
INSERT INTO event_hits
SELECT i,
       1 + floor(random() * :main)::bigint,
       CASE WHEN i % 10 = 0 THEN ('2001:db8::' || to_hex(i >> 16) || ':' || to_hex(i & 65535))::inet
            ELSE ('10.' || ((i >> 16) % 256) || '.' || ((i >> 8) % 256) || '.' || (i % 256))::inet END,
       CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * 1000)::numeric, 4) END,
       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 seconds'
FROM generate_series(1, :hits) AS i;
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE event_details ADD PRIMARY KEY (id), ADD FOREIGN KEY (event_id) REFERENCES events (id);
ALTER TABLE event_hits ADD PRIMARY KEY (id), ADD FOREIGN KEY (event_id) REFERENCES events (id);
CREATE INDEX events_user_id ON events (user_id);
CREATE INDEX event_details_event_id ON event_details (event_id);
CREATE INDEX event_hits_event_id_seen_at ON event_hits (event_id, seen_at);
VACUUM ANALYZE;
SQL
  psql -X -q "$server/postgres" -c "ALTER DATABASE bench_pg_source_partial RENAME TO \"$source_db\""
  got=$(counts "$source_url")
  if [ "$got" != "$expected" ]; then
    say "the generated source has $got rows, expected $expected"
    exit 1
  fi
fi

# The floor's schema, dumped once: the tables without keys or indexes (pre-data) and those built after the rows
# (post-data, custom format so that pg_restore builds them 2 at a time, as the peers do).
pg_dump --section=pre-data --no-owner --no-acl -f "$work/pg-pre-data.sql" "$source_url"
pg_dump --section=post-data --no-owner --no-acl -Fc -f "$work/pg-post-data.dump" "$source_url"

# Work folders are per round and removed when the script ends, as the databases are: deleting files mid-run slows
# the files the next timed step creates (lib.sh).
cleanup() {
  rm -rf "$work"/pgcopydb-* "$work"/pg-dump-* "$work/pg-pre-data.sql" "$work/pg-post-data.dump"
  drop_databases || true
  "$ferry" local stop >&2 || true
}
trap cleanup EXIT

# timed LOG STEP CMD...: seconds_of CMD with its output in LOG; a failure names the step and shows the log's end.
timed() {
  local log=$1 step=$2 status=0
  shift 2
  seconds_of "$@" >"$log" 2>&1 || status=$?
  if [ "$status" != 0 ]; then
    say "$step failed (exit $status): $*"
    tail -n 20 "$log" >&2
    exit 1
  fi
}

# floor_copy TARGET_URL: each table's rows through psql's binary \copy, 2 tables at a time, largest first.
floor_copy() {
  printf '%s\n' "${tables[@]}" | xargs -P 2 -I '{}' bash -c \
    'set -o pipefail; psql -X -q "$1" -c "\copy {} to stdout (format binary)" | psql -X -q "$2" -c "\copy {} from stdin (format binary)"' \
    _ "$source_url" "$1"
}

ferry_s=() ferry_rss=() verify_s=() pgcopydb_s=() dump_s=() floor_s=()
# round N: Ferry's copy, pgcopydb, pg_dump + pg_restore and the floor, each into a fresh database; then Ferry's verify.
round() {
  local ferry_url pgcopydb_url dump_url floor_url verify_exit=0 table name got start end
  ferry_url=$(fresh_db "bench_ferry_$1")
  say "round $1: ferry copy"
  settle
  timed "$work/pg-ferry-copy.log" "ferry copy" "$ferry" copy "$source_url" --to "$ferry_url"
  ferry_s+=("$LAST_SECONDS"); ferry_rss+=("$LAST_RSS_MB")

  pgcopydb_url=$(fresh_db "bench_pgcopydb_$1")
  say "round $1: pgcopydb clone"
  settle
  timed "$work/pg-pgcopydb.log" "pgcopydb clone" pgcopydb clone --source "$source_url" --target "$pgcopydb_url" \
    --dir "$work/pgcopydb-$1" --table-jobs 2 --index-jobs 2 --no-owner --no-acl
  pgcopydb_s+=("$LAST_SECONDS")

  dump_url=$(fresh_db "bench_dump_$1")
  say "round $1: pg_dump + pg_restore"
  settle
  timed "$work/pg-dump.log" "pg_dump + pg_restore" bash -c \
    'pg_dump -Fd -j 2 -f "$1" "$2" && pg_restore -j 2 --no-owner --no-acl -d "$3" "$1"' \
    _ "$work/pg-dump-$1" "$source_url" "$dump_url"
  dump_s+=("$LAST_SECONDS")

  floor_url=$(fresh_db "bench_floor_$1")
  psql -X -q -v ON_ERROR_STOP=1 -f "$work/pg-pre-data.sql" "$floor_url" >/dev/null
  # Autovacuum off, as Ferry has it while it loads: a worker starting on a table mid-COPY is noise, not the floor.
  for table in "${tables[@]}"; do psql -X -q "$floor_url" -c "ALTER TABLE $table SET (autovacuum_enabled = off)"; done
  say "round $1: the floor (binary \\copy piped, then post-data)"
  settle
  start=$(date +%s.%N)
  if ! { floor_copy "$floor_url" && pg_restore -j 2 --no-owner --no-acl -d "$floor_url" "$work/pg-post-data.dump"; } >"$work/pg-floor.log" 2>&1; then
    say "the floor failed (see $work/pg-floor.log)"
    tail -n 20 "$work/pg-floor.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  floor_s+=("$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')")
  for table in "${tables[@]}"; do psql -X -q "$floor_url" -c "ALTER TABLE $table RESET (autovacuum_enabled)"; done

  say "round $1: ferry verify"
  settle
  seconds_of "$ferry" verify "$source_url" --to "$ferry_url" >"$work/pg-ferry-verify.log" 2>&1 || verify_exit=$?
  verify_s+=("$LAST_SECONDS")

  for name in ferry:"$ferry_url" pgcopydb:"$pgcopydb_url" "pg_dump + pg_restore:$dump_url" floor:"$floor_url"; do
    got=$(counts "${name#*:}")
    if [ "$got" != "$expected" ]; then
      say "check failed: ${name%%:*}'s copy has $got rows, the source $expected"
      exit 1
    fi
  done
  if [ "$verify_exit" != 0 ]; then
    say "check failed: ferry verify exit $verify_exit (see $work/pg-ferry-verify.log)"
    exit 1
  fi
}

for r in $(seq 1 "$rounds"); do round "$r"; done

echo
echo "PostgreSQL → PostgreSQL, $rows rows ($expected; jsonb, numeric, timestamptz, inet; 2 foreign keys, 3 secondary indexes), $rounds rounds"
echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(pgcopydb --version 2>/dev/null | head -1); $(pg_dump --version)"
for r in $(seq 0 $((rounds - 1))); do
  printf '  round %d: ferry copy %.2f s (peak RSS %d MB), verify %.2f s, pgcopydb %.2f s, pg_dump + pg_restore %.2f s, floor %.2f s; pgcopydb / ferry %sx, pg_dump + pg_restore / ferry %sx, ferry / floor %sx\n' \
    $((r + 1)) "${ferry_s[r]}" "${ferry_rss[r]}" "${verify_s[r]}" "${pgcopydb_s[r]}" "${dump_s[r]}" "${floor_s[r]}" \
    "$(ratio "${pgcopydb_s[r]}" "${ferry_s[r]}")" "$(ratio "${dump_s[r]}" "${ferry_s[r]}")" "$(ratio "${ferry_s[r]}" "${floor_s[r]}")"
done
ferry_m=$(median "${ferry_s[@]}"); verify_m=$(median "${verify_s[@]}"); pgcopydb_m=$(median "${pgcopydb_s[@]}")
dump_m=$(median "${dump_s[@]}"); floor_m=$(median "${floor_s[@]}")
rss_max=$(printf '%s\n' "${ferry_rss[@]}" | sort -n | tail -1)
echo "  medians:"
printf '  ferry copy             %8.2f s   peak RSS %d MB (highest, goal < 150)\n' "$ferry_m" "$rss_max"
printf '  ferry verify           %8.2f s   identical every round\n' "$verify_m"
printf '  pgcopydb clone         %8.2f s   (--table-jobs 2 --index-jobs 2)\n' "$pgcopydb_m"
printf '  pg_dump + pg_restore   %8.2f s   (-Fd -j 2, then -j 2)\n' "$dump_m"
printf '  floor                  %8.2f s   (binary \\copy piped, 2 tables at a time, then post-data with 2 jobs)\n' "$floor_m"
echo "  pgcopydb / ferry:             $(ratio "$pgcopydb_m" "$ferry_m")x   (goal >= 1.3)"
echo "  pg_dump + pg_restore / ferry: $(ratio "$dump_m" "$ferry_m")x   (goal >= 1.3)"
echo "  ferry / floor:                $(ratio "$ferry_m" "$floor_m")x   (goal <= 1.15)"
echo "  verify / copy:                $(ratio "$verify_m" "$ferry_m")x   (goal <= 0.5)"
echo "  every copy has the source's row counts every round"
