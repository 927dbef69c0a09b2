#!/usr/bin/env bash
# bcrypt through a transform: how many passwords a copy hashes per second and a verify checks per second, at a cost.
#   bench/bcrypt.sh [ROWS] [COST...]   (default 400 rows, costs 10 and 12)
# A SQLite users table of ROWS rows is copied with `password: { hash: bcrypt, cost: C }` (--jobs = the machine's
# cores: a hashed table is spread over every job), then verified with the same transform (each target hash checked
# against its password, in parallel over the cores). Printed: seconds and rows/s of each, rows/s per core, and the
# time 10,000 rows would take at that rate.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rows=${1:-400}
shift || true
costs=("$@")
[ ${#costs[@]} -eq 0 ] && costs=(10 12)
cores=$(nproc)
need_apt python3 python3 # the users table is written by a few lines of Python's sqlite3
db_file="$work/bcrypt-users-$rows.db"
rm -f "$db_file"
python3 - "$db_file" "$rows" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, password TEXT)")
con.executemany("INSERT INTO users VALUES (?, ?, ?)", ((i, f"user{i}@example.com", f"password-{i}") for i in range(1, int(sys.argv[2]) + 1)))
con.commit()
PY
printf '%-6s %-8s %10s %10s %14s %18s\n' cost step seconds rows/s rows/s/core "10,000 rows (s)"
for cost in "${costs[@]}"; do
  transform="$work/bcrypt-$cost.yml"
  printf 'users:\n  columns:\n    password: { hash: bcrypt, cost: %s }\n' "$cost" >"$transform"
  url=$(fresh_db "bcrypt_$cost")
  settle
  seconds_of "$ferry" copy "sqlite:$db_file" --to "$url" --transform "$transform" --jobs "$cores" --rejects "$work/rejects" >/dev/null
  copy=$LAST_SECONDS
  seconds_of "$ferry" verify "sqlite:$db_file" --to "$url" --transform "$transform" >/dev/null
  verify=$LAST_SECONDS
  for step in copy verify; do
    s=${!step}
    awk -v c="$cost" -v step="$step" -v s="$s" -v n="$rows" -v k="$cores" \
      'BEGIN { printf "%-6s %-8s %10.2f %10.1f %14.1f %18.0f\n", c, step, s, n / s, n / s / k, 10000 * s / n }'
  done
done
