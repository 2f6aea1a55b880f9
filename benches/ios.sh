#!/usr/bin/env bash
# Benchmarks `msgaudit facts` on the largest iOS app of the corpus.
# Usage: benches/ios.sh            (builds the release binary first)
#        MSGAUDIT_CORPUS=/path/to/corpus benches/ios.sh
# Needs: hyperfine. The figure is recorded in docs/facts-ios.md.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CORPUS="${MSGAUDIT_CORPUS:-$ROOT/../shared/corpus}"
command -v hyperfine >/dev/null || { echo "benches/ios.sh: hyperfine not found" >&2; exit 1; }
[ -d "$CORPUS/ios/ipa" ] || { echo "benches/ios.sh: no corpus at $CORPUS (set MSGAUDIT_CORPUS)" >&2; exit 1; }
# Largest IPA by size.
IPA="$(ls -S "$CORPUS"/ios/ipa/*.ipa | head -n 1)"
(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/msgaudit"
echo "machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "input:   $IPA ($(stat -c %s "$IPA") bytes)"
hyperfine --warmup 3 --runs "${RUNS:-20}" -N "$BIN facts $IPA -o /dev/null" \
  "$BIN facts --full $IPA -o /dev/null"
