# Shared by the benchmark scripts: build, a throwaway cluster, timing helpers.
# shellcheck shell=bash
set -euo pipefail
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_root/.." && pwd)
work="$bench_root/work"
mkdir -p "$work"

"$repo_root/scripts/setup.sh"

say() { printf 'bench: %s\n' "$*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() { # apt_install PACKAGE...: shows apt's output only when it fails
  local log
  log=$(mktemp)
  say "installing $* with apt"
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq &&
         as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"; } >"$log" 2>&1; then
    say "apt could not install $*; apt said:"
    cat "$log" >&2
    exit 2
  fi
  rm -f "$log"
}

need_apt() { # need_apt COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 || apt_install "$2"
}

need_apt /usr/bin/time time
need_apt psql postgresql-client

# Ferry as a release ships: compiled ahead of time into one native executable (Ferry.Cli.csproj sets that for a
# publish with a runtime identifier), so start-up does not wait for a JIT.
say "publishing ferry (Release, Native AOT) into $work/bin"
rm -rf "$work/bin"
dotnet publish "$repo_root/src/Ferry.Cli/Ferry.Cli.csproj" -c Release -r linux-x64 -o "$work/bin" --nologo -v quiet >/dev/null
dotnet build "$bench_root/Ferry.Bench/Ferry.Bench.csproj" -c Release --nologo -v quiet >/dev/null
ferry="$work/bin/ferry"
bench_tool() { dotnet "$bench_root/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" "$@"; }

# contacts_db ROWS -> prints the path of copy.sh's table with an e-mail and a status column (transform.sh, check.sh),
# generated once and kept in $work.
contacts_db() {
  local db="$work/events-contacts-$1.db"
  if [ ! -f "$db" ]; then
    say "generating $db ($1 rows)"
    bench_tool bench-sqlite "$db" "$1" contacts >&2
  fi
  echo "$db"
}

# A throwaway cluster for the run, the managed-cluster settings Ferry ships with.
export FERRY_LOCAL_DIR="$work/cluster"
"$ferry" local start >&2
server=$("$ferry" local url)
server=${server%/postgres}

# The benchmark databases are dropped when the run ends, not when the next one starts: a dropped database's files
# are unlinked, and on this machine's disk (ext4 mounted with discard) the discards slow every file created in the
# seconds after; creating 200 tables took 0.37, then 0.50, 0.60, 0.70 s with a DROP DATABASE before each.
# Databases named cached_… are generated datasets, kept across runs as copy.sh keeps its SQLite file.
drop_databases() {
  local names
  names=$(psql -X -At "$server/postgres" -c "SELECT datname FROM pg_database WHERE datname NOT IN ('postgres', 'template0', 'template1') AND datname NOT LIKE 'cached\_%'")
  [ -z "$names" ] && return 1
  while read -r name; do psql -X -q "$server/postgres" -c "DROP DATABASE \"$name\" WITH (FORCE)"; done <<<"$names"
  sync
}
trap 'drop_databases || true; "$ferry" local stop >&2 || true' EXIT
if drop_databases; then
  say "dropped the databases an interrupted run left; waiting 15 s for the disk to discard their files"
  sleep 15
fi

fresh_db() { # fresh_db NAME -> prints its URL (a name is used once per run)
  psql -X -q "$server/postgres" -c "CREATE DATABASE \"$1\"" >/dev/null
  echo "$server/$1"
}

# settle: each timed run starts from the same state: no checkpoint or writeback of earlier work still running.
settle() {
  psql -X -q "$server/postgres" -c "CHECKPOINT" >/dev/null
  sync
  sleep 1
}

# seconds_of CMD...: runs CMD under /usr/bin/time; sets LAST_SECONDS and LAST_RSS_MB; returns CMD's exit status.
seconds_of() {
  local log status=0
  log=$(mktemp)
  /usr/bin/time -f '%e %M' -o "$log" "$@" || status=$?
  # The figures are the last line: for a failed command time writes "Command exited with non-zero status N" first.
  read -r LAST_SECONDS rss_kb < <(tail -n 1 "$log")
  LAST_RSS_MB=$(( rss_kb / 1024 ))
  rm -f "$log"
  return "$status"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# median X...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
