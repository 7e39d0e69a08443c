#!/usr/bin/env bash
# Benchmark of `hone pgo` itself: runs the whole pipeline (--force) on a fresh copy of examples/tally
# and prints the measured speedups side by side with the -O2/Release baseline, plus callgrind
# instruction counts (noise-free on a busy machine). Checks the targets of issue 3: PGO+LTO at least
# 1.25x faster than the baseline, BOLT never significantly slower than PGO+LTO, and hone's own
# orchestration under 5% of the wall time. Too slow for ctest (~2 minutes); run it by hand:
#
#   tests/bench/pgo_speedup.sh [BUILD_DIR]        (default: build)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
hone="$build/bin/hone"
[ -x "$hone" ] || { echo "pgo_speedup: error: $hone not found; build hone first" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$root/examples/tally/." "$work/"
rm -rf "$work/.hone"
cd "$work"
"$hone" pgo --force --callgrind --json > result.json 2> progress.txt || { cat progress.txt >&2; exit 1; }
python3 - result.json <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
rows = result["verify"]["results"]
status = 0
print(f"{'workload':12} {'variant':14} {'median':>9} {'speedup':>8} {'95% CI':>16}  {'instructions':>14}")
for row in rows:
    ci = f"[{row['ci_low']:.2f}, {row['ci_high']:.2f}]" if "speedup" in row else ""
    print(f"{row['workload']:12} {row['variant']:14} {row['median_seconds']*1000:7.0f}ms {row.get('speedup', 1):7.2f}x {ci:>16}  {row.get('instructions', 0):>14}")
    if row["variant"] == "pgo+lto" and row["speedup"] < 1.25:
        print("FAIL: PGO+LTO is less than 1.25x faster than the baseline"); status = 1
    if "versus" in row and row["versus"]["verdict"] == "slower":
        print("FAIL: BOLT is significantly slower than PGO+LTO"); status = 1
own = result["orchestration_seconds"] / result["seconds"]
print(f"pipeline {result['seconds']:.1f} s, hone's own work {result['orchestration_seconds']:.2f} s ({own:.1%})")
if own >= 0.05:
    print("FAIL: orchestration is 5% or more of the wall time"); status = 1
sys.exit(status)
PY
