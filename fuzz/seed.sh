#!/bin/sh
# Builds the seed corpora fuzz/corpus/<target>/ from the sample apps and the
# shared test corpus (not committed: corpus/ is git-ignored, the shared files
# are third-party). Usage: fuzz/seed.sh [CORPUS_DIR]  (default ../shared/corpus)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-${MSGAUDIT_CORPUS:-$here/../../shared/corpus}}
out=$here/corpus
samples=$here/../sample-apps
mkdir -p "$out"
for t in axml arsc strpool dex signing_block pkcs7 elf macho codesign provision plist app inventory; do mkdir -p "$out/$t"; done
n=0
# Entries of every sample and corpus APK (small ones only: seeds must be fast).
for apk in "$samples"/android/out/*.apk "$corpus"/android/apk/*.apk "$corpus"/android/apksig/*.apk "$corpus"/android/split/*; do
  [ -f "$apk" ] || continue
  size=$(stat -c %s "$apk")
  n=$((n + 1))
  [ "$size" -le 2000000 ] && cp "$apk" "$out/app/$n-$(basename "$apk")" && cp "$apk" "$out/signing_block/$n-$(basename "$apk")"
  tmp=$(mktemp -d)
  unzip -qq -o "$apk" 'AndroidManifest.xml' 'res/xml/*' 'resources.arsc' 'classes*.dex' 'META-INF/*.RSA' 'META-INF/*.DSA' 'META-INF/*.EC' 'lib/*.so' -d "$tmp" 2>/dev/null || true
  find "$tmp" -name '*.xml' -size -200k -exec sh -c 'cp "$1" "$2/axml/$3-$(basename "$1")"' _ {} "$out" "$n" \;
  find "$tmp" -name 'resources.arsc' -size -1000k -exec cp {} "$out/arsc/$n-resources.arsc" \;
  find "$tmp" -name '*.dex' -size -1000k -exec sh -c 'cp "$1" "$2/dex/$3-$(basename "$1")"' _ {} "$out" "$n" \;
  find "$tmp" \( -name '*.RSA' -o -name '*.DSA' -o -name '*.EC' \) -exec sh -c 'cp "$1" "$2/pkcs7/$3-$(basename "$1")"' _ {} "$out" "$n" \;
  find "$tmp" -name '*.so' -size -1000k -exec sh -c 'cp "$1" "$2/elf/$3-$(basename "$1")"' _ {} "$out" "$n" \;
  rm -rf "$tmp"
done
# Loose corpus files of each kind (the malformed ones included).
cp "$corpus"/android/axml/* "$out/axml/" 2>/dev/null || true
cp "$corpus"/android/arsc/* "$out/arsc/" 2>/dev/null || true
find "$corpus"/android/dex -type f -size -1000k -exec cp {} "$out/dex/" \; 2>/dev/null || true
find "$corpus"/android/so -type f -size -1000k -exec cp {} "$out/elf/" \; 2>/dev/null || true
find "$corpus"/ios/ipa "$corpus"/ios/app-zip -type f -size -2000k -exec cp {} "$out/app/" \; 2>/dev/null || true
# iOS: loose corpus files, and the parts of every sample and corpus IPA.
find "$corpus"/ios/macho -type f -size -2000k -exec cp {} "$out/macho/" \; 2>/dev/null || true
cp "$corpus"/ios/mobileprovision/* "$out/provision/" 2>/dev/null || true
cp "$corpus"/ios/plist/* "$corpus"/ios/xcprivacy/* "$out/plist/" 2>/dev/null || true
for ipa in "$samples"/ios/*.ipa "$corpus"/ios/ipa/*.ipa; do
  [ -f "$ipa" ] || continue
  n=$((n + 1))
  tmp=$(mktemp -d)
  unzip -qq -o "$ipa" 'Payload/*' -d "$tmp" 2>/dev/null || true
  for app in "$tmp"/Payload/*.app; do
    [ -d "$app" ] || continue
    exe="$app/$(basename "$app" .app)"
    [ -f "$exe" ] && [ "$(stat -c %s "$exe")" -le 2000000 ] && cp "$exe" "$out/macho/$n-$(basename "$exe")"
    [ -f "$app/embedded.mobileprovision" ] && cp "$app/embedded.mobileprovision" "$out/provision/$n-embedded.mobileprovision"
    find "$app" -maxdepth 1 \( -name '*.plist' -o -name '*.xcprivacy' \) -exec sh -c 'cp "$1" "$2/plist/$3-$(basename "$1")"' _ {} "$out" "$n" \;
  done
  rm -rf "$tmp"
done
# Code-signature SuperBlobs: from the magic fade0cc0 to the end of each Mach-O seed.
for f in "$out"/macho/*; do
  python3 - "$f" "$out/codesign/$(basename "$f")" <<'PY' || true
import sys
d = open(sys.argv[1], 'rb').read()
at = d.find(bytes.fromhex('fade0cc0'))
if at >= 0:
    open(sys.argv[2], 'wb').write(d[at:at + 200000])
PY
done
# String pools: the chunk right after the 8-byte header of each binary XML.
for f in "$out"/axml/*; do
  python3 - "$f" "$out/strpool/$(basename "$f")" <<'PY' || true
import struct, sys
d = open(sys.argv[1], 'rb').read()
if len(d) >= 16 and d[8:10] == b'\x01\x00':
    size = struct.unpack('<I', d[12:16])[0]
    open(sys.argv[2], 'wb').write(d[8:8 + size])
PY
done
# Archive tricks (tests/archive_tricks.rs): every crafted APK, IPA and split
# set the differential test generates, signed copies included.
tricks=$(mktemp -d)
if MSGAUDIT_TRICKS_DUMP="$tricks" cargo test --release --quiet \
    --manifest-path "$here/../Cargo.toml" --test archive_tricks >/dev/null 2>&1; then
  find "$tricks" -type f -exec sh -c 'cp "$1" "$2/app/trick-$(basename "$(dirname "$1")")-$(basename "$1")"' _ {} "$out" \;
else
  echo "archive tricks not generated (cargo test --test archive_tricks failed)" >&2
fi
rm -rf "$tricks"
# Inventories: selector byte (0-7 a forced adapter, 255 auto-detect) + file.
i=0
for f in "$samples"/inventories/* $(find "$corpus"/mdm -type f -size -500k); do
  [ -f "$f" ] || continue
  i=$((i + 1))
  printf '\377' | cat - "$f" > "$out/inventory/$i-auto-$(basename "$f")"
  for s in 0 1 2 3 4 5 6 7; do
    printf "\\$(printf %o $s)" | cat - "$f" > "$out/inventory/$i-$s-$(basename "$f")"
  done
done
for t in "$out"/*; do echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"; done
