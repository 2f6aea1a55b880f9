#!/bin/sh
# Builds the Android sample apps from their apktool projects:
#   apktool (smali assembler + aapt) -> fix-up of API 31 manifest attributes
#   -> zipalign -> apksigner (v1 + v2 + v3) with the committed throwaway key.
# Needs the Debian packages apktool, aapt, zipalign, apksigner and python3.
# Output: out/*.apk and out/*.apks (committed, so tests need no toolchain).
set -eu

cd "$(dirname "$0")"
HERE=$(pwd)
OUT="$HERE/out"
KS="$HERE/keystore/msgaudit-samples.p12"
KS_PASS="pass:msgaudit-samples"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM
mkdir -p "$OUT"

for tool in apktool aapt zipalign apksigner python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool not found" >&2; exit 1; }
done

# sign IN OUT: zipalign then sign with v1, v2 and v3 schemes.
sign() {
    zipalign -p -f 4 "$1" "$1.aligned"
    apksigner sign --ks "$KS" --ks-pass "$KS_PASS" --ks-key-alias samples \
        --v1-signing-enabled true --v2-signing-enabled true --v3-signing-enabled true \
        --out "$2" "$1.aligned"
    rm -f "$2.idsig"
}

# build NAME OUTFILE SRC [OVERLAY]: copy SRC (plus OVERLAY on top) to a
# scratch directory, assemble with apktool, patch, align and sign.
build() {
    name=$1 outfile=$2 src=$3 overlay=${4:-}
    dir="$WORK/$name"
    mkdir -p "$dir"
    cp -R "$HERE/$src/." "$dir/"
    if [ -n "$overlay" ]; then
        cp -R "$HERE/$overlay/." "$dir/"
    fi
    apktool b --frame-path "$WORK/framework" -o "$WORK/$name-unsigned.apk" "$dir" >"$WORK/$name.log" 2>&1 \
        || { cat "$WORK/$name.log" >&2; exit 1; }
    # Debian's aapt only knows the API 29 framework: the manifests write the
    # API 31 attribute android:dataExtractionRules as android:banner, renamed here.
    if grep -q 'android:banner="@xml/data_extraction_rules"' "$dir/AndroidManifest.xml"; then
        python3 "$HERE/tools/axml_rename_attr.py" "$WORK/$name-unsigned.apk" banner dataExtractionRules 0101063e
    fi
    sign "$WORK/$name-unsigned.apk" "$OUT/$outfile"
    echo "built $OUT/$outfile"
}

build securechat-1.0 securechat-1.0.apk securechat
build securechat-1.1 securechat-1.1.apk securechat securechat-1.1
build leakychat-2.3 leakychat-2.3.apk leakychat
