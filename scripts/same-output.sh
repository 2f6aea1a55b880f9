#!/usr/bin/env bash
# Checks that a change keeps behaviour: builds BASE_REV (exported with
# `git archive` into a temporary folder, compiled into this checkout's target
# folder so dependencies are not rebuilt) and the current checkout, then diffs
# what both print — every report format in both languages for
# `scan sample-apps/ --as-of 2026-12-01`, compare and diff, the facts of a few
# samples, and every exit code and standard error. Exits 0 when all agree,
# 1 with the differences otherwise.
#
# Usage: scripts/same-output.sh BASE_REV
#   BASE_BIN=/path/to/msgaudit scripts/same-output.sh   (use a built base binary)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -n "${BASE_BIN:-}" ]; then
  base_bin=$BASE_BIN
else
  base_rev=${1:?usage: scripts/same-output.sh BASE_REV (or BASE_BIN=FILE)}
  echo "== building $base_rev"
  mkdir "$tmp/src"
  git archive "$base_rev" | tar -x -C "$tmp/src"
  CARGO_TARGET_DIR="$root/target" cargo build --release --quiet --bin msgaudit \
    --manifest-path "$tmp/src/Cargo.toml"
  base_bin="$tmp/msgaudit-base"
  cp "$root/target/release/msgaudit" "$base_bin"
fi
echo "== building the current checkout"
cargo build --release --quiet --bin msgaudit
cur_bin="$root/target/release/msgaudit"
if [ -z "${BASE_BIN:-}" ] && cmp -s "$base_bin" "$cur_bin"; then
  # Cargo re-links the current build's binary; if it did not, say so rather
  # than compare the base with itself.
  touch src/main.rs
  cargo build --release --quiet --bin msgaudit
fi

# Runs every command with one binary; writes stdout, stderr and the exit code per case.
run_all() {
  local bin=$1 out=$2
  mkdir -p "$out"
  local n=0
  run() {
    n=$((n + 1))
    local name
    name=$(printf '%02d' "$n")
    printf '%s\n' "$*" >"$out/$name.cmd"
    set +e
    NO_COLOR=1 MSGAUDIT_PSEUDONYM_KEY=same-output "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err"
    echo $? >"$out/$name.rc"
    set -e
  }
  for lang in en de; do
    for format in table json sarif html md csv; do
      run scan sample-apps/ --as-of 2026-12-01 --format "$format" --lang "$lang"
    done
    run scan sample-apps/ --as-of 2026-12-01 --profile dsk-full --answers sample-apps/answers/securechat.toml --lang "$lang"
    run compare sample-apps/android/out sample-apps/ios --as-of 2026-12-01 --lang "$lang"
    run diff sample-apps/android/out/securechat-1.0.apk sample-apps/android/out/securechat-1.1.apk --as-of 2026-12-01 --lang "$lang"
  done
  run scan sample-apps/inventories --as-of 2026-12-01 --format json
  run scan sample-apps/inventories/intune-graph-managedDevices.json --as-of 2026-12-01 --format csv
  run scan no-such-file --as-of 2026-12-01
  run scan README.md --as-of 2026-12-01
  for f in sample-apps/android/out/*.apk sample-apps/android/out/*.apks sample-apps/ios/*.ipa \
    sample-apps/inventories/jamf-mobile-devices.xml sample-apps/inventories/apple-mdm-responses.plist; do
    run facts --as-of 2026-12-01 "$f"
  done
  run facts --as-of 2026-12-01 sample-apps/ios/SecureChat.ipa sample-apps/inventories/generic-devices.csv
}

# Canonical form of an output whose order varies from run to run in the base
# itself: one tag, line, list item, code span or CSV field per line, sorted (same
# content, any order).
canon() { sed -e 's/</\n</g' -e 's/; /\n/g' -e 's/`/\n/g' -e 's/,/\n/g' "$1" | sort; }

run_all "$base_bin" "$tmp/base"
run_all "$cur_bin" "$tmp/current"
failed=0
unstable=0
for cmd in "$tmp/base"/*.cmd; do
  case=$(basename "$cmd" .cmd)
  same=1
  for part in out err rc; do
    cmp -s "$tmp/base/$case.$part" "$tmp/current/$case.$part" || same=0
  done
  [ "$same" = 1 ] && continue
  # Does the base disagree with itself on this command? (up to 5 more runs)
  read -r -a args <"$cmd"
  varies=0
  for _ in 1 2 3 4 5; do
    NO_COLOR=1 MSGAUDIT_PSEUDONYM_KEY=same-output "$base_bin" "${args[@]}" >"$tmp/again.out" 2>/dev/null || true
    if ! cmp -s "$tmp/again.out" "$tmp/base/$case.out"; then varies=1; break; fi
  done
  if [ "$varies" = 1 ] && cmp -s "$tmp/base/$case.err" "$tmp/current/$case.err" \
    && cmp -s "$tmp/base/$case.rc" "$tmp/current/$case.rc" \
    && cmp -s <(canon "$tmp/base/$case.out") <(canon "$tmp/current/$case.out"); then
    unstable=$((unstable + 1))
    echo "-- varies from run to run in the base itself (compared in any order): msgaudit $(cat "$cmd")"
    continue
  fi
  failed=$((failed + 1))
  echo "-- differs: msgaudit $(cat "$cmd")"
  for part in rc err out; do
    diff "$tmp/base/$case.$part" "$tmp/current/$case.$part" | head -20 || true
  done
done
total=$(ls "$tmp/current"/*.cmd | wc -l)
if [ "$failed" -gt 0 ]; then
  echo "== $failed of $total commands differ from the base"
  exit 1
fi
echo "== same output: $total commands agree (stdout, stderr, exit code; $unstable compared in any order)"
