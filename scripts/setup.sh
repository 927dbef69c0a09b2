#!/usr/bin/env bash
# Installs what Ferry needs on a fresh Debian machine, and nothing that is already there.
# Idempotent and quiet when there is nothing to do. Called by ferry.sh and test.sh.
#   - PostgreSQL server binaries (apt: postgresql), for the managed local cluster and the tests
#   - PostGIS for that server (apt: postgresql-<major>-postgis-3), for GEOMETRY columns and their tests
#   - pg_dump and pg_restore of each server's major (apt: postgresql-client-<major>), for ferry backup --file
#   - DuckDB's native library, libduckdb.so, from the official npm package (pinned below)
#   - gcc and libc6-dev (apt), which link the release compiled ahead of time
#   - Chromium (apt: chromium), headless, for the tests that open HTML reports in a real browser
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DUCKDB_PACKAGE="@duckdb/node-bindings-linux-x64"
DUCKDB_VERSION="1.5.6-r.1"
native_dir="$root/native/linux-x64"

say() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "apt-get install $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if ! command -v dotnet >/dev/null 2>&1; then
  say "the .NET SDK (dotnet) is not on PATH; install .NET 10 SDK first: https://learn.microsoft.com/dotnet/core/install/linux-debian"
  exit 2
fi

# PostgreSQL server binaries: initdb, pg_ctl, postgres under /usr/lib/postgresql/<major>/bin.
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install postgresql
fi
# PostGIS for each installed server: DuckDB GEOMETRY goes to geometry where the target has postgis (tests create it).
for initdb in /usr/lib/postgresql/*/bin/initdb; do
  major=$(basename "$(dirname "$(dirname "$initdb")")")
  if [ ! -f "/usr/share/postgresql/$major/extension/postgis.control" ] && ! apt_install "postgresql-$major-postgis-3"; then
    say "postgresql-$major-postgis-3 could not be installed; the PostGIS tests will be skipped"
  fi
done
# pg_dump / pg_restore of each server's major (ferry backup --file; pg_dump refuses a server newer than itself).
for initdb in /usr/lib/postgresql/*/bin/initdb; do
  major=$(basename "$(dirname "$(dirname "$initdb")")")
  if [ ! -x "/usr/lib/postgresql/$major/bin/pg_dump" ] || [ ! -x "/usr/lib/postgresql/$major/bin/pg_restore" ]; then
    apt_install "postgresql-client-$major"
  fi
done
# runuser runs the server as 'postgres' when we are root; the postgresql package creates that user.
if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  say "creating system user postgres"
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

# The release (dotnet publish -r linux-x64) is compiled ahead of time and linked by gcc; a test publishes it.
if ! command -v gcc >/dev/null 2>&1 || [ ! -e /usr/lib/x86_64-linux-gnu/crt1.o ]; then
  apt_install gcc libc6-dev
fi

# Headless Chromium opens the HTML reports in the browser tests (skipped, saying so, without it).
if ! command -v chromium >/dev/null 2>&1 && ! apt_install chromium; then
  say "chromium could not be installed; the browser tests of the HTML report will be skipped"
fi

# DuckDB native library.
stamp="$native_dir/libduckdb.version"
if [ ! -f "$native_dir/libduckdb.so" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$DUCKDB_VERSION" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    apt_install npm
  fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  say "fetching $DUCKDB_PACKAGE@$DUCKDB_VERSION (libduckdb.so)"
  (cd "$tmp" && npm pack --silent "$DUCKDB_PACKAGE@$DUCKDB_VERSION" >/dev/null 2>&1) || {
    say "npm pack $DUCKDB_PACKAGE@$DUCKDB_VERSION failed; check access to the npm registry"
    exit 2
  }
  tar -xzf "$tmp"/*.tgz -C "$tmp" package/libduckdb.so package/LICENSE
  mkdir -p "$native_dir"
  cp "$tmp/package/libduckdb.so" "$native_dir/libduckdb.so"
  cp "$tmp/package/LICENSE" "$native_dir/LICENSE.duckdb"
  echo "$DUCKDB_VERSION" >"$stamp"
fi
