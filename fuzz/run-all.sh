#!/bin/sh
# Runs every fuzz target one after the other for SECONDS each (default 120),
# one process at a time, and prints a summary line per target.
# Usage: fuzz/run-all.sh [SECONDS] [TARGET...]
set -u
here=$(cd "$(dirname "$0")" && pwd)
secs=${1:-120}
[ $# -gt 0 ] && shift
targets=${*:-"axml arsc strpool dex signing_block pkcs7 elf macho codesign provision plist app inventory"}
logs=${FUZZ_LOGS:-$here/logs}
mkdir -p "$logs"
cd "$here"
for t in $targets; do
  mkdir -p "corpus/$t" "artifacts/$t"
  RUSTC_BOOTSTRAP=1 cargo fuzz run -O -s none "$t" "corpus/$t" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
    -print_final_stats=1 >"$logs/$t.log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$')
  eps=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$logs/$t.log" | grep -o '[0-9]*$')
  cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$logs/$t.log" | tail -1)
  echo "$t: exit=$rc runs=${runs:-?} exec/s=${eps:-?} $cov crashes=$(ls "artifacts/$t" | wc -l)"
done
