#!/usr/bin/env bash
# The HTML report of a run over many tables: how long Ferry takes to write it, and how long a browser takes to load it.
#   bench/report.sh [TABLES] [ROUNDS]   (default 5,000 tables, 5 rounds)
# Ferry.Bench generates a copy --verify document over TABLES tables (a reject reason and ten type mapping rows per table,
# a phase timeline, one table in 500 different) and renders its report (the median and best of 7 renders, after one
# warm-up). Headless Chromium then opens it ROUNDS times, three ways:
#   load     the report as written, with an inline script added (and the report's CSP, which forbids scripts,
#            removed) that forces layout in the load event and prints performance.now(): navigation start to a laid
#            out page, as the browser measures it
#   open     the same with every <details> opened (all TABLES rows of each table laid out): the worst case a reader
#            can make
#   wall     chromium --dump-dom's wall time on the report as written, less its wall time on an empty page (the floor:
#            the browser's own start and exit)
# Medians are printed with each round's figures. No cluster is needed.
set -euo pipefail
bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_root/.." && pwd)
work="$bench_root/work/report"
tables=${1:-5000}
rounds=${2:-5}
"$repo_root/scripts/setup.sh"
mkdir -p "$work"

say() { printf 'bench: %s\n' "$*" >&2; }
command -v chromium >/dev/null 2>&1 || { say "chromium is not installed (scripts/setup.sh installs it)"; exit 2; }

dotnet build "$bench_root/Ferry.Bench/Ferry.Bench.csproj" -c Release --nologo -v quiet >/dev/null
report="$work/report-$tables.html"
say "rendering the report of a $tables-table run into $report"
dotnet "$bench_root/Ferry.Bench/bin/Release/net10.0/Ferry.Bench.dll" report "$tables" "$report"

probe='<script>addEventListener("load",()=>{document.body.offsetHeight;document.documentElement.dataset.loadedMs=performance.now().toFixed(0)})</script>'
sed -e '/Content-Security-Policy/d' -e "s#</body>#$probe</body>#" "$report" >"$work/load.html"
sed -e 's/<details class="\([a-z]*\)">/<details class="\1" open>/g' "$work/load.html" >"$work/open.html"
printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body></body></html>\n' >"$work/empty.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chrome() { # chrome FILE: the DOM after load
  timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$profile" --no-first-run \
    --disable-extensions --disable-background-networking --disable-component-update --dump-dom "file://$1" 2>/dev/null
}
loaded_ms() { chrome "$1" | grep -o 'data-loaded-ms="[0-9]*"' | grep -o '[0-9]*'; }
wall_ms() { local start end; start=$(date +%s%N); chrome "$1" >/dev/null; end=$(date +%s%N); echo $(((end - start) / 1000000)); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

chrome "$work/empty.html" >/dev/null # the first start fills the profile
load=() open=() wall=() floor=()
for round in $(seq "$rounds"); do
  load+=("$(loaded_ms "$work/load.html")")
  open+=("$(loaded_ms "$work/open.html")")
  wall+=("$(wall_ms "$report")")
  floor+=("$(wall_ms "$work/empty.html")")
  say "round $round: load ${load[-1]} ms, every details open ${open[-1]} ms, dump-dom wall ${wall[-1]} ms (empty page ${floor[-1]} ms)"
done
m_wall=$(median "${wall[@]}")
m_floor=$(median "${floor[@]}")
echo "report of $tables tables: $(stat -c %s "$report") bytes"
echo "chromium load to laid-out page: median $(median "${load[@]}") ms (rounds: ${load[*]})"
echo "the same, every <details> open: median $(median "${open[@]}") ms (rounds: ${open[*]})"
echo "chromium --dump-dom wall: median $m_wall ms, empty page $m_floor ms: the report adds $((m_wall - m_floor)) ms"
