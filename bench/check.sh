#!/usr/bin/env bash
# ferry check's cost: 20 expectations of every kind on the copy benchmark's table (bench/copy.sh's events, with the
# e-mail and status columns of bench/transform.sh), against one hand-written psql query computing the same
# aggregates (plus the sql expectation's query), on the same database, same run.
#   bench/check.sh [ROWS] [ROUNDS]   (default 3,000,000 rows, 3 rounds)
# Prints each round's wall times, the medians and their ratio (goal: at most 1.2x), and ferry's peak RSS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
rounds=${2:-3}

db=$(contacts_db "$rows")

url=$(fresh_db bench_check)
say "copying $db into $url (not timed)"
"$ferry" copy "sqlite:$db" --to "$url" --rejects "$work/rejects" >"$work/check-copy.log" 2>&1

expect="$work/events-expect.yml"
cat >"$expect" <<'YAML'
events:
  rows: { min: 1 }
  unique: [[id], [user_id, created_at]]
  not_null: [id, user_id, label, created_at, active, email, status]
  values: { status: [new, active, trial, churned, banned] }
  range:
    id: { min: 1 }
    user_id: { min: 1, max: 200000 }
    amount: { min: 0, max: 1000 }
    price: { min: 0, max: 100000 }
    created_at: { min: "2024-01-01", max: "2030-01-01" }
  match: { email: email, label: '^[a-z_]+ #[0-9]+$' }
  fresh: { created_at: 10000d }
  sql: [ "SELECT id FROM events WHERE amount < 0" ]
YAML

# The same aggregates, as one would write them by hand: one scan, then the sql expectation's own query.
read -r -d '' query <<'SQL' || true
SELECT count(*),
       count(*) - count(DISTINCT id),
       count(*) - count(DISTINCT (user_id, created_at)),
       count(*) FILTER (WHERE id IS NULL), count(*) FILTER (WHERE user_id IS NULL), count(*) FILTER (WHERE label IS NULL),
       count(*) FILTER (WHERE created_at IS NULL), count(*) FILTER (WHERE active IS NULL), count(*) FILTER (WHERE email IS NULL),
       count(*) FILTER (WHERE status IS NULL),
       count(*) FILTER (WHERE status NOT IN ('new', 'active', 'trial', 'churned', 'banned')),
       count(*) FILTER (WHERE id < 1),
       count(*) FILTER (WHERE user_id < 1 OR user_id > 200000),
       count(*) FILTER (WHERE amount < 0 OR amount > 1000),
       count(*) FILTER (WHERE price < 0 OR price > 100000),
       count(*) FILTER (WHERE created_at < '2024-01-01' OR created_at > '2030-01-01'),
       count(*) FILTER (WHERE email !~ '^[a-zA-Z0-9.!#$%&''*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$'),
       count(*) FILTER (WHERE label !~ '^[a-z_]+ #[0-9]+$'),
       max(created_at)
FROM events;
SELECT id FROM events WHERE amount < 0 LIMIT 10;
SQL

check_s=() check_rss=() psql_s=()
for r in $(seq 1 "$rounds"); do
  say "round $r: ferry check"
  settle
  status=0
  seconds_of "$ferry" check --expect "$expect" --database "$url" --json >"$work/check.json" 2>"$work/check.log" || status=$?
  if [ "$status" -gt 1 ]; then
    say "ferry check failed (exit $status): see $work/check.log"
    exit 1
  fi
  check_s+=("$LAST_SECONDS"); check_rss+=("$LAST_RSS_MB")

  say "round $r: the hand-written query"
  settle
  seconds_of psql -X -q -o /dev/null "$url" -c "$query"
  psql_s+=("$LAST_SECONDS")
  say "round $r: ferry check ${check_s[-1]} s (exit $status), psql ${psql_s[-1]} s"
done

check=$(median "${check_s[@]}")
hand=$(median "${psql_s[@]}")
printf 'check of 20 expectations on %s rows: ferry %s s, one hand-written query %s s: %sx (rounds: ferry %s; psql %s); ferry peak RSS %s MB\n' \
  "$rows" "$check" "$hand" "$(ratio "$check" "$hand")" "${check_s[*]}" "${psql_s[*]}" "$(printf '%s\n' "${check_rss[@]}" | sort -n | tail -1)"
