#!/usr/bin/env bash
# ferry sync by watermark and by diff against a full copy, same run: bench/sync.sh [ROWS]   (default 3,000,000 rows)
# The source is copy.sh's SQLite table with an updated_at column (indexed). Three targets get the first sync (the copy);
# then 1% of the rows are updated, 0.1% inserted and 0.1% deleted, and each target is synced once: by watermark with
# --deletes ignore (deletes counted) and --deletes apply (deletes found by a key-only bucket diff and removed), and by
# diff (--by-diff --deletes apply: bucket fingerprints of whole rows, the differing keys' rows read and applied). A fresh
# full copy of the changed source is the reference. Prints the seconds, the ratios to the full copy and each run's peak
# RSS; verify must find the applied targets identical.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-3000000}

base="$work/events-$rows.db"
if [ ! -f "$base" ]; then
  say "generating $base ($rows rows)"
  bench_tool bench-sqlite "$base" "$rows"
fi
db="$work/sync-events-$rows.db"
cp "$base" "$db"
sqlite3 "$db" "ALTER TABLE events ADD COLUMN updated_at DATETIME; UPDATE events SET updated_at = created_at; CREATE INDEX events_updated_at ON events (updated_at);"

ignore_url=$(fresh_db bench_sync_ignore)
apply_url=$(fresh_db bench_sync_apply)
diff_url=$(fresh_db bench_sync_diff)
copy_url=$(fresh_db bench_sync_copy)
for url in "$ignore_url" "$apply_url" "$diff_url"; do
  say "first sync (the copy) into ${url##*/}"
  "$ferry" sync "sqlite:$db" --to "$url" --watermark updated_at --rejects "$work/rejects" >"$work/sync-first.log" 2>&1
done

changed=$(( rows / 100 )) inserted=$(( rows / 1000 )) deleted=$(( rows / 1000 ))
say "changing the source: $changed updated, $inserted inserted, $deleted deleted"
sqlite3 "$db" <<SQL
UPDATE events SET label = label || '+', updated_at = '2099-01-01 00:00:00' WHERE id % 100 = 7;
INSERT INTO events (id, user_id, amount, label, created_at, active, price, updated_at)
  SELECT id + $rows, user_id, amount, label, created_at, active, price, '2099-01-02 00:00:00' FROM events WHERE id <= $inserted;
DELETE FROM events WHERE id % 1000 = 3;
SQL

say "sync --deletes ignore"
settle
seconds_of "$ferry" sync "sqlite:$db" --to "$ignore_url" --watermark updated_at --json >"$work/sync-ignore.json" 2>"$work/sync-ignore.log"
ignore_s=$LAST_SECONDS ignore_rss=$LAST_RSS_MB

say "sync --deletes apply"
settle
seconds_of "$ferry" sync "sqlite:$db" --to "$apply_url" --watermark updated_at --deletes apply --json >"$work/sync-apply.json" 2>"$work/sync-apply.log"
apply_s=$LAST_SECONDS apply_rss=$LAST_RSS_MB

say "sync --by-diff --deletes apply"
settle
seconds_of "$ferry" sync "sqlite:$db" --to "$diff_url" --by-diff --deletes apply --json >"$work/sync-diff.json" 2>"$work/sync-diff.log"
diff_s=$LAST_SECONDS diff_rss=$LAST_RSS_MB

say "full copy of the changed source"
settle
seconds_of "$ferry" copy "sqlite:$db" --to "$copy_url" --rejects "$work/rejects" >"$work/sync-copy.log" 2>&1
copy_s=$LAST_SECONDS copy_rss=$LAST_RSS_MB

verify_exit=0 verify_diff_exit=0
"$ferry" verify "sqlite:$db" --to "$apply_url" >"$work/sync-verify.log" 2>&1 || verify_exit=$?
"$ferry" verify "sqlite:$db" --to "$diff_url" >"$work/sync-verify-diff.log" 2>&1 || verify_diff_exit=$?
figures() { python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"][0]; print("read %d, inserted %d, updated %d, deleted %d, deletes pending %s" % (t["rows_read"], t["rows_inserted"], t["rows_updated"], t["rows_deleted"], t["deletes_pending"]))' "$1"; }

echo "rows: $rows; changes: $changed updated, $inserted inserted, $deleted deleted; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "full copy:              ${copy_s} s, peak RSS ${copy_rss} MB"
echo "sync --deletes ignore:  ${ignore_s} s ($(ratio "$ignore_s" "$copy_s")x the copy), peak RSS ${ignore_rss} MB: $(figures "$work/sync-ignore.json")"
echo "sync --deletes apply:   ${apply_s} s ($(ratio "$apply_s" "$copy_s")x the copy), peak RSS ${apply_rss} MB: $(figures "$work/sync-apply.json")"
echo "sync --by-diff (apply):  ${diff_s} s ($(ratio "$diff_s" "$copy_s")x the copy), peak RSS ${diff_rss} MB: $(figures "$work/sync-diff.json")"
echo "verify after the applied sync: exit $verify_exit; after the diff sync: exit $verify_diff_exit"
