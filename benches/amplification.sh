#!/usr/bin/env bash
# Amplification benchmark: builds crafted inputs that decode to far more than
# their size (or hold one huge record) for every plist and inventory reader,
# in a temporary directory (nothing committed), and runs `msgaudit scan` on
# each under GNU time: prints the exit code, wall time and peak RSS, and
# the first error line. Every input must fail (or be read only in part) in
# well under a second with a peak far below 1 GiB.
#
# Usage: benches/amplification.sh [GB]   (run from the repository root;
#        GB = size of the "huge value" inventory inputs in GiB, default 1)
# Needs: python3, GNU time (/usr/bin/time). Builds --release. Not run in CI.
set -euo pipefail
GB="${1:-1}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/msgaudit"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null

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
PY

printf '%-40s %5s %9s %12s  %s\n' input exit seconds "peak RSS MB" "first message"
for f in "$WORK"/*; do
  name="$(basename "$f")"
  fmt=()
  case "$name" in
    intune-huge-csv-header.csv) fmt=(--inventory-format intune-csv) ;;
    generic-huge-csv-row.csv) fmt=(--inventory-format intune-csv) ;;
  esac
  set +e
  /usr/bin/time -v -o "$WORK/.time" "$BIN" scan "${fmt[@]}" --format json -o "$WORK/.report.json" "$f" \
    2>"$WORK/.err" >/dev/null
  code=$?
  set -e
  secs="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/.time")"
  rss="$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$WORK/.time")"
  msg="$(grep -v '^msgaudit: warning: Pseudonyms\|^msgaudit: warning: pseudonyms' "$WORK/.err" | head -1 | cut -c1-150 || true)"
  printf '%-40s %5s %9s %12s  %s\n' "$name" "$code" "$secs" "$rss" "$msg"
  rm -f "$WORK/.time" "$WORK/.err" "$WORK/.report.json"
done
