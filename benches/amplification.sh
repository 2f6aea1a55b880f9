#!/usr/bin/env bash
# Amplification benchmark: builds crafted inputs that decode to far more than
# their size (or hold one huge record) for every plist and inventory reader,
# in a temporary directory (nothing committed), and runs `msgaudit scan` on
# each under GNU time, once per thread count (RAYON_NUM_THREADS, the size of
# the pool that reads the apps): prints the exit code, wall time and peak
# RSS, and the first error line. Every input must fail (or be read only in
# part) in well under a second with a peak below 1 GiB, whatever the number
# of threads.
#
# Many targets at once (one scan, hard links to one crafted file, so the
# disk holds it once):
#   many-ios-amplified-x32/   32 IPAs: 8 each of the amplified Info.plist,
#                           exponential Info.plist, amplified profile and
#                           amplified privacy manifest
#   many-ios-near-budget-x32/ 32 IPAs whose Info.plist decodes to 56 MiB,
#                           under --max-plist-decoded: each is read in full
#                           and assessed (exit 3), its facts kept in the
#                           report (the facts' text spilled beyond 64 MiB)
#   many-ios-mixed-x32/     16 near-budget IPAs, 15 amplified IPAs and the
#                           amplified Apple MDM export
#
# With APPS=1 it also builds app archives near the archive limits (a few
# GiB on disk, a minute to build) and scans them; each must be read with a
# peak far below 1 GiB (the in-flight budget, docs/hardening.md):
#   apk-stored-2.5g.apk     2.5 GiB APK: a STORED 2.5 GiB asset beside the app
#   apk-bomb-max-entries.apk  8 native libraries of 500 MiB each (deflated,
#                           under the ratio guard), scanned as 2 targets at once
#   apks-huge-nested.apks   split set whose STORED base APK holds a 1.5 GiB asset
#   ipa-big-binary.ipa      IPA whose main executable is padded to 480 MiB
#   many-apk-bomb-x32/      32 APKs, each with one 400 MiB library (deflated)
#   many-apk-big-directory-x32/ 32 APKs, each with a 61 MiB central directory
#                           (99,000 entries with 600-byte names)
#
# Usage: [APPS=1] [ONLY=regex] [KEEP=dir] [THREADS="1 2 8 32"] [BIN=msgaudit] benches/amplification.sh [GB]
#        (run from the repository root; GB = size of the "huge value"
#        inventory inputs in GiB, default 1)
# Needs: python3, GNU time (/usr/bin/time). Builds --release. Not run in CI.
set -euo pipefail
GB="${1:-1}"
THREADS="${THREADS:-1 2 8 32}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# KEEP=DIR builds the inputs in DIR and keeps them (to measure several builds
# on the same files); by default a temporary directory, removed at the end.
if [ -n "${KEEP:-}" ]; then
  WORK="$KEEP"
  mkdir -p "$WORK"
else
  WORK="$(mktemp -d)"
  trap 'rm -rf "$WORK"' EXIT
fi

# BIN=/path/to/msgaudit measures that binary (e.g. an older build) as it is.
if [ -z "${BIN:-}" ]; then
  cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
  BIN="$ROOT/target/release/msgaudit"
fi

python3 - "$WORK" "$ROOT/sample-apps/ios/SecureChat.ipa" "$GB" <<'PY'
import struct, sys, zipfile
out, ipa, gb = sys.argv[1], sys.argv[2], float(sys.argv[3])
HUGE = int(gb * (1 << 30))

def marker(kind, n):
    if n < 15:
        return bytes([kind << 4 | n])
    return bytes([kind << 4 | 0xF, 0x12]) + struct.pack(">I", n)

def ascii_string(s):
    return marker(0x5, len(s)) + s

def bplist(objects, root=0):
    """A binary plist of encoded objects (refs are 2 bytes, offsets 4)."""
    data, offsets = bytearray(b"bplist00"), []
    for o in objects:
        offsets.append(len(data))
        data += o
    table = len(data)
    for off in offsets:
        data += struct.pack(">I", off)
    data += bytes([0] * 6 + [4, 2]) + struct.pack(">QQQ", len(objects), root, table)
    return bytes(data)

def refs(ids):
    return b"".join(struct.pack(">H", i) for i in ids)

def amplified(pairs, big_mib=4, times=2000, noise=False):
    """A dict of `pairs` (key, string value) plus key "Amplified": an array
    referencing one big_mib MiB string `times` times (8 GB decoded). With
    `noise` the string is random letters (it then passes the zip ratio guard)."""
    objs, keys, vals = [b""], [], []
    for k, v in pairs + [("Amplified", None)]:
        keys.append(len(objs)); objs.append(ascii_string(k.encode()))
        if v is not None:
            vals.append(len(objs)); objs.append(ascii_string(v.encode()))
        else:
            vals.append(len(objs)); objs.append(b"")
    arr = vals[-1]
    text = b"A" * (big_mib << 20)
    if noise:
        import random
        text = bytes(random.Random(1).choices(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=big_mib << 20))
    big = len(objs); objs.append(ascii_string(text))
    objs[arr] = marker(0xA, times) + refs([big] * times)
    objs[0] = marker(0xD, len(keys)) + refs(keys) + refs(vals)
    return bplist(objs)

def exponential(depth=40):
    """Arrays of two references to the next array: 2^depth values."""
    objs = [marker(0xA, 2) + refs([i + 1, i + 1]) for i in range(depth)]
    objs.append(b"\x09")
    return bplist(objs)

info = amplified([("CFBundleIdentifier", "org.example.amplified"),
                  ("CFBundleExecutable", "SecureChat"),
                  ("CFBundleName", "Amplified")])

def ipa_with(name, replace):
    with zipfile.ZipFile(ipa) as src, zipfile.ZipFile(f"{out}/{name}", "w", zipfile.ZIP_DEFLATED) as dst:
        done = set()
        for e in src.infolist():
            data = src.read(e.filename)
            for suffix, new in replace.items():
                if e.filename.endswith(suffix):
                    data = new; done.add(suffix)
            dst.writestr(e.filename, data)
        for suffix, new in replace.items():
            if suffix not in done:
                dst.writestr("Payload/SecureChat.app/" + suffix, new)

ipa_with("ios-info-plist-amplified.ipa", {"SecureChat.app/Info.plist": info})
ipa_with("ios-info-plist-exponential.ipa", {"SecureChat.app/Info.plist": exponential()})
ipa_with("ios-profile-amplified.ipa", {"embedded.mobileprovision": amplified([("Name", "x")], noise=True)})
ipa_with("ios-privacy-amplified.ipa", {"PrivacyInfo.xcprivacy": amplified([("NSPrivacyTracking", "x")])})

mdm = amplified([("UDID", "0000"), ("Status", "Acknowledged"), ("OSVersion", "17.1")])
open(f"{out}/apple-mdm-amplified.plist", "wb").write(mdm)
open(f"{out}/apple-mdm-exponential.plist", "wb").write(exponential())
# An XML plist at the 64 MiB size limit: many small values (element count).
with open(f"{out}/apple-mdm-xml-many-values.plist", "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>')
    f.write("<true/>" * ((60 << 20) // 7))
    f.write("</array></plist>")

def huge(path, head, fill, tail, size=HUGE):
    with open(path, "wb") as f:
        f.write(head)
        chunk = fill * ((1 << 20) // len(fill))
        left = size
        while left > 0:
            f.write(chunk[:left]); left -= len(chunk)
        f.write(tail)

huge(f"{out}/intune-huge-json-value.json",
     b'{"value":[{"operatingSystem":"iOS","osVersion":"17.1","deviceName":"', b"a", b'"}]}')
huge(f"{out}/intune-huge-json-record.json",
     b'{"value":[{"operatingSystem":"iOS","osVersion":"17.1","x":[', b"0,", b'0]}]}')
huge(f"{out}/intune-huge-csv-header.csv", b"Device name,", b"A", b",OS version\nx,17.1\n")
huge(f"{out}/generic-huge-csv-row.csv", b"Device name,OS version\nx,", b"1", b"\n")
huge(f"{out}/jamf-huge-xml-text.xml",
     b"<mobile_devices><mobile_device><general><name>", b"a", b"</name></general></mobile_device></mobile_devices>")
huge(f"{out}/jamf-huge-xml-tag.xml", b"<mobile_devices><mobile_device><general a=\"", b"a", b"\"/></mobile_device></mobile_devices>")
# Many targets in one scan (hard links: one file on disk per kind).
import os
ipa_with(".near-budget.ipa", {"SecureChat.app/Info.plist": amplified(
    [("CFBundleIdentifier", "org.example.near"), ("CFBundleExecutable", "SecureChat"),
     ("CFBundleName", "NearBudget")], big_mib=1, times=56, noise=True)})
def many(name, files):
    os.mkdir(f"{out}/{name}")
    for i, f in enumerate(files):
        base = os.path.basename(f).lstrip(".")
        os.link(f"{out}/{f}", f"{out}/{name}/{i:02d}-{base}")
kinds = ["ios-info-plist-amplified.ipa", "ios-info-plist-exponential.ipa",
         "ios-profile-amplified.ipa", "ios-privacy-amplified.ipa"]
many("many-ios-amplified-x32", [kinds[i % 4] for i in range(32)])
many("many-ios-near-budget-x32", [".near-budget.ipa"] * 32)
many("many-ios-mixed-x32", [".near-budget.ipa"] * 16 + ["ios-info-plist-amplified.ipa"] * 15
     + ["apple-mdm-amplified.plist"])
PY

if [ "${APPS:-0}" = 1 ]; then
python3 - "$WORK" "$ROOT/sample-apps/android/out/securechat-1.0.apk" "$ROOT/sample-apps/ios/SecureChat.ipa" <<'PY'
import random, sys, zipfile, zlib
out, apk, ipa = sys.argv[1], sys.argv[2], sys.argv[3]
MIB = 1 << 20

def sprinkled():
    """1 MiB of zeros with a random byte every 256: deflates about 100:1,
    under the 1000:1 ratio guard."""
    r = random.Random(5)
    b = bytearray(MIB)
    for i in range(0, MIB, 256):
        b[i] = r.randrange(1, 256)
    return bytes(b)

def copy_app(src, dst, stored=False):
    with zipfile.ZipFile(src) as s:
        for e in s.infolist():
            dst.writestr(e, s.read(e.filename),
                         compress_type=zipfile.ZIP_STORED if stored else e.compress_type)

def write_big(z, name, mib, method, chunk):
    info = zipfile.ZipInfo(name)
    info.compress_type = method
    with z.open(info, "w", force_zip64=True) as f:
        for _ in range(mib):
            f.write(chunk)

zeros = bytes(MIB)
# 1. A 2.5 GiB APK: the app and a STORED 2.5 GiB asset.
with zipfile.ZipFile(f"{out}/apk-stored-2.5g.apk", "w", allowZip64=True) as z:
    copy_app(apk, z)
    write_big(z, "assets/blob.bin", 2560, zipfile.ZIP_STORED, zeros)
# 2. A bomb of many entries at the entry limit: 8 libraries of 500 MiB.
chunk = sprinkled()
with zipfile.ZipFile(f"{out}/apk-bomb-max-entries.apk", "w", allowZip64=True,
                     compresslevel=1) as z:
    copy_app(apk, z)
    for i in range(8):
        write_big(z, f"lib/arm64-v8a/libbomb{i}.so", 500, zipfile.ZIP_DEFLATED, chunk)
# 3. A split set whose STORED base APK holds a 1.5 GiB asset.
with zipfile.ZipFile(f"{out}/huge-base.apk", "w", allowZip64=True) as z:
    copy_app(apk, z)
    write_big(z, "assets/blob.bin", 1536, zipfile.ZIP_STORED, zeros)
with zipfile.ZipFile(f"{out}/apks-huge-nested.apks", "w", allowZip64=True) as z:
    z.write(f"{out}/huge-base.apk", "splits/base-master.apk", compress_type=zipfile.ZIP_STORED)
    z.writestr("toc.pb", b"")
import os; os.remove(f"{out}/huge-base.apk")
# 5. 32 APKs at once, each with one 400 MiB library (hard links to one file).
with zipfile.ZipFile(f"{out}/.bomb-400m.apk", "w", allowZip64=True, compresslevel=1) as z:
    copy_app(apk, z)
    write_big(z, "lib/arm64-v8a/libbomb.so", 400, zipfile.ZIP_DEFLATED, chunk)
os.mkdir(f"{out}/many-apk-bomb-x32")
for i in range(32):
    os.link(f"{out}/.bomb-400m.apk", f"{out}/many-apk-bomb-x32/{i:02d}-bomb.apk")
# 6. 32 APKs at once, each with a central directory near its 64 MiB limit
#    (99,000 empty entries with 600-byte names; hard links to one file).
with zipfile.ZipFile(f"{out}/.big-directory.apk", "w") as z:
    copy_app(apk, z)
    for i in range(99_000):
        z.writestr(f"assets/{i:06d}-" + "x" * 586, b"")
os.mkdir(f"{out}/many-apk-big-directory-x32")
for i in range(32):
    os.link(f"{out}/.big-directory.apk", f"{out}/many-apk-big-directory-x32/{i:02d}-dir.apk")
# 4. An IPA whose main executable is padded to 480 MiB.
with zipfile.ZipFile(ipa) as s, zipfile.ZipFile(f"{out}/ipa-big-binary.ipa", "w",
                                               zipfile.ZIP_DEFLATED, compresslevel=1,
                                               allowZip64=True) as z:
    for e in s.infolist():
        data = s.read(e.filename)
        if e.filename == "Payload/SecureChat.app/SecureChat":
            info = zipfile.ZipInfo(e.filename); info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(data)
                for _ in range(480 - len(data) // MIB - 1):
                    f.write(chunk)
        else:
            z.writestr(e, data)
PY
cp "$WORK/apk-bomb-max-entries.apk" "$WORK/apk-bomb-max-entries-copy.apk"
fi

printf '%-32s %7s %5s %9s %12s  %s\n' input threads exit seconds "peak RSS MB" "first message"
for f in "$WORK"/*; do
  name="$(basename "$f")"
  targets=("$f")
  # ONLY='^(apk|ipa)' (an extended regular expression) runs only the inputs it matches.
  if [ -n "${ONLY:-}" ] && ! [[ "$name" =~ $ONLY ]]; then continue; fi
  case "$name" in
    apk-bomb-max-entries-copy.apk) continue ;;
    # Two bombs in one scan: two threads inflate at once.
    apk-bomb-max-entries.apk) targets=("$f" "$WORK/apk-bomb-max-entries-copy.apk") ;;
  esac
  fmt=()
  case "$name" in
    intune-huge-csv-header.csv) fmt=(--inventory-format intune-csv) ;;
    generic-huge-csv-row.csv) fmt=(--inventory-format intune-csv) ;;
  esac
  for t in $THREADS; do
    set +e
    RAYON_NUM_THREADS="$t" /usr/bin/time -v -o "$WORK/.time" "$BIN" scan "${fmt[@]}" --format json -o "$WORK/.report.json" "${targets[@]}" \
      2>"$WORK/.err" >/dev/null
    code=$?
    set -e
    secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/.time")"
    rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/.time")"
    msg="$(grep -v '^msgaudit: warning: Pseudonyms\|^msgaudit: warning: pseudonyms' "$WORK/.err" | head -1 | cut -c1-120 || true)"
    printf '%-32s %7s %5s %9s %12s  %s\n' "$name" "$t" "$code" "$secs" "$rss" "$msg"
    rm -f "$WORK/.time" "$WORK/.err" "$WORK/.report.json"
  done
done
