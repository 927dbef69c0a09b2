#!/usr/bin/env bash
# A transform's cost: the copy benchmark's table (bench/copy.sh's events, with an e-mail and a five-value status column)
# copied with and without a transform of three columns: e-mail normalized (lower_trim), status mapped, amount and
# price folded into one jsonb (drop: true).
#   bench/transform.sh [ROWS] [ROUNDS]   (default 3,000,000 rows, 3 rounds)
# Prints each round's wall times, the medians, their ratio (goal: at most 1.3x), and peak RSS.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}
rounds=${2:-3}

db=$(contacts_db "$rows")

transform="$work/events-transform.yml"
cat >"$transform" <<'YAML'
events:
  columns:
    email:  { normalize: lower_trim }
    status: { map: { new: NEW, active: ACTIVE, trial: TRIAL, churned: CHURNED, banned: BANNED }, unmapped: reject }
  add:
    money: { json: [amount, price], drop: true }
YAML

plain_s=() plain_rss=() transformed_s=() transformed_rss=()
for r in $(seq 1 "$rounds"); do
  url=$(fresh_db "bench_plain_$r")
  say "round $r: ferry copy"
  settle
  seconds_of "$ferry" copy "sqlite:$db" --to "$url" --rejects "$work/rejects" >"$work/transform-plain.log" 2>&1
  plain_s+=("$LAST_SECONDS"); plain_rss+=("$LAST_RSS_MB")

  url=$(fresh_db "bench_transformed_$r")
  say "round $r: ferry copy --transform"
  settle
  seconds_of "$ferry" copy "sqlite:$db" --to "$url" --rejects "$work/rejects" --transform "$transform" >"$work/transform-copy.log" 2>&1
  transformed_s+=("$LAST_SECONDS"); transformed_rss+=("$LAST_RSS_MB")
  check=$(psql -tA "$url" -c "select count(*) filter (where money ? 'amount'), count(*) filter (where status = 'ACTIVE'), count(*) filter (where email <> lower(btrim(email))) from events")
  copied=$(psql -tA "$url" -c "select count(*) from events")
  if [ "$copied" != "$rows" ]; then
    say "check failed: the transformed copy wrote $copied rows of $rows (see $work/transform-copy.log)"
    exit 1
  fi
  say "round $r: plain ${plain_s[-1]} s, transformed ${transformed_s[-1]} s (rows with money.amount | ACTIVE | e-mails not normalized: $check)"
done

plain=$(median "${plain_s[@]}")
transformed=$(median "${transformed_s[@]}")
printf 'copy of %s rows: plain %s s, with the transform %s s: %sx (rounds: plain %s; transformed %s); peak RSS %s MB, %s MB\n' \
  "$rows" "$plain" "$transformed" "$(ratio "$transformed" "$plain")" "${plain_s[*]}" "${transformed_s[*]}" \
  "$(printf '%s\n' "${plain_rss[@]}" | sort -n | tail -1)" "$(printf '%s\n' "${transformed_rss[@]}" | sort -n | tail -1)"
