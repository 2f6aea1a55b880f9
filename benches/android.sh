#!/usr/bin/env bash
# Android binary readers benchmark: DEX tables, native libraries, signatures.
#
# Compares, on the largest corpus APK (or the APK given as $1):
#   1. the floor:  unzip -p APK 'classes*.dex' > /dev/null   (inflate the DEX files once)
#   2. examples/dex_tables APK   (read_dex + read_native_libs + read_signing, in memory)
#   3. msgaudit facts APK        (the full pipeline; only meaningful once the
#                                 Android orchestration is merged)
# and reports the peak resident memory of 2 and 3 with GNU time.
#
# Needs: cargo, hyperfine (Debian: apt-get install hyperfine), unzip, GNU time
# (/usr/bin/time, Debian package "time"). Targets: dex_tables <= 2x the unzip
# floor; msgaudit facts <= 1.25x (issue 14); both <= 64 MB peak (docs/benchmarks.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
corpus="${MSGAUDIT_CORPUS:-$here/../shared/corpus}"
apk="${1:-$corpus/android/apk/pypi/airtest-Yosemite.apk}"
runs="${RUNS:-20}"

for tool in hyperfine unzip cargo; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "missing GNU time (/usr/bin/time)" >&2; exit 2; }
[ -f "$apk" ] || { echo "APK not found: $apk (set MSGAUDIT_CORPUS or pass a path)" >&2; exit 2; }

echo "== machine"
echo "arch:  $(uname -m)"
echo "cores: $(nproc)"
echo "cpu:   $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "apk:   $apk ($(stat -c %s "$apk") bytes)"
echo

echo "== build (release)"
(cd "$here" && cargo build --release --quiet --bin msgaudit --example dex_tables)
target="${CARGO_TARGET_DIR:-$here/target}/release"
dex_tables="$target/examples/dex_tables"
msgaudit="$target/msgaudit"

facts_works=yes
"$msgaudit" facts "$apk" >/dev/null 2>&1 || facts_works=no
if [ "$facts_works" = no ]; then
  echo
  echo "note: 'msgaudit facts' fails on this APK in this build (Android orchestration not merged yet);"
  echo "      its figures below measure an early exit, not the readers."
fi

echo
echo "== time (wall clock is noisy on a shared machine; compare User+System too)"
hyperfine --warmup 3 --runs "$runs" -N --ignore-failure \
  --command-name "unzip -p classes*.dex (floor)" "sh -c \"unzip -p '$apk' 'classes*.dex' > /dev/null\"" \
  --command-name "dex_tables (read_dex + native + signing)" "$dex_tables $apk" \
  --command-name "msgaudit facts" "$msgaudit facts $apk"

echo
echo "== peak memory (max RSS)"
for cmd in "$dex_tables $apk" "$msgaudit facts $apk"; do
  rss_file="$(mktemp)"
  /usr/bin/time -o "$rss_file" -f '%M' $cmd >/dev/null 2>&1 || true
  rss="$(tail -1 "$rss_file")"
  rm -f "$rss_file"
  echo "$(basename "${cmd%% *}"): ${rss:-?} KB"
done
