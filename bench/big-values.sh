#!/usr/bin/env bash
# Large values: ROWS rows of a MB-megabyte blob and a MB-megabyte text, copied by Ferry and verified.
#   bench/big-values.sh [ROWS] [MB] [ROUNDS]   (default 50 rows of 20 MB + 20 MB, 3 rounds)
# Prints each round's wall time and peak RSS for the copy and the verify, and the medians: verify's memory must not
# grow with the size of the values (it hashes long values a chunk at a time).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-50}
mb=${2:-20}
rounds=${3:-3}

db="$work/big-$rows-$mb.db"
if [ ! -f "$db" ]; then
  echo "bench: generating $db ($rows rows of $mb MB + $mb MB)" >&2
  bench_tool big-values "$db" "$rows" "$mb"
fi

copy_s=() copy_rss=() verify_s=() verify_rss=()
for r in $(seq 1 "$rounds"); do
  url=$(fresh_db "bench_big_$r")
  say "round $r: ferry copy"
  settle
  seconds_of "$ferry" copy "sqlite:$db" --to "$url" --rejects "$work/rejects" >"$work/big-copy.log" 2>&1
  copy_s+=("$LAST_SECONDS"); copy_rss+=("$LAST_RSS_MB")
  say "round $r: ferry verify"
  settle
  verify_exit=0
  seconds_of "$ferry" verify "sqlite:$db" --to "$url" >"$work/big-verify.log" 2>&1 || verify_exit=$?
  verify_s+=("$LAST_SECONDS"); verify_rss+=("$LAST_RSS_MB")
  if [ "$verify_exit" != 0 ]; then
    say "check failed: ferry verify exit $verify_exit (see $work/big-verify.log)"
    exit 1
  fi
done

echo
echo "SQLite → PostgreSQL, $rows rows of a $mb MB blob and a $mb MB text, $rounds rounds"
echo "  machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 0 $((rounds - 1))); do
  printf '  round %d: ferry copy %.2f s (peak RSS %d MB), verify %.2f s (peak RSS %d MB)\n' \
    $((r + 1)) "${copy_s[r]}" "${copy_rss[r]}" "${verify_s[r]}" "${verify_rss[r]}"
done
printf '  medians: copy %.2f s, verify %.2f s; highest peak RSS: copy %d MB, verify %d MB (goal < 200)\n' \
  "$(median "${copy_s[@]}")" "$(median "${verify_s[@]}")" \
  "$(printf '%s\n' "${copy_rss[@]}" | sort -n | tail -1)" "$(printf '%s\n' "${verify_rss[@]}" | sort -n | tail -1)"
