#!/usr/bin/env bash
# ./ferry.sh demo   build a sample web-app SQLite database, copy it (ferry copy --verify) into the managed local PostgreSQL, prove it identical, and write its HTML report
# ./ferry.sh ARGS   run the ferry command with ARGS (builds it first)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$root/scripts/setup.sh"

build_log=$(mktemp)
if ! dotnet build "$root/src/Ferry.Cli/Ferry.Cli.csproj" -c Release --nologo -v quiet >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  exit 2
fi
rm -f "$build_log"
ferry="$root/src/Ferry.Cli/bin/Release/net10.0/ferry"

if [ "${1:-}" = "demo" ]; then
  shift
  demo_dir="$root/.ferry/demo"
  mkdir -p "$demo_dir"
  echo "== building the sample application database (users, leads, visitor tracking, A/B tests)" >&2
  dotnet run --project "$root/bench/Ferry.Bench/Ferry.Bench.csproj" -c Release -v quiet -- demo-db "$demo_dir/app.db"
  cd "$root"
  echo "== ferry doctor (the managed local cluster starts on demand)" >&2
  "$ferry" doctor
  echo "== ferry copy sqlite:$demo_dir/app.db --verify (into the managed local cluster; --replace makes the demo re-runnable)" >&2
  echo "   with bench/demo-transform.yml: passwords hashed (bcrypt), e-mails validated, roles mapped, tracking folded into JSON, bot visits filtered" >&2
  "$ferry" copy "sqlite:$demo_dir/app.db" --replace --verify --transform "$root/bench/demo-transform.yml" --rejects "$demo_dir/rejects" --report "$demo_dir/report.html" "$@"
  status=$?
  echo "== ferry runs --limit 3 (every run is recorded in the target's ferry.runs); the copy's report: $demo_dir/report.html" >&2
  "$ferry" runs --limit 3 || true
  exit $status
fi

exec "$ferry" "$@"
