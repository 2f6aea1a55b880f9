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

for tool in apktool aapt zipalign apksigner python3 zip unzip; do
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

# split_set NAME VERSIONCODE VERSIONNAME MINSDK CONFIG: a bundletool-like .apks
# (splits/base-master.apk + splits/base-CONFIG.apk) from the project already
# assembled by build(). aapt --split moves the CONFIG resources into the
# config split (manifest split="config.CONFIG_v4", hasCode=false); the base
# gets the classes.dex that apktool assembled. No toc.pb (a bundletool
# protobuf table of contents) is written.
split_set() {
    name=$1 vcode=$2 vname=$3 minsdk=$4 config=$5
    dir="$WORK/$name"
    sw="$WORK/$name-splits"
    mkdir -p "$sw/dex" "$sw/apks/splits"
    aapt package -f -M "$dir/AndroidManifest.xml" -S "$dir/res" -I "$WORK/framework/1.apk" \
        --min-sdk-version "$minsdk" --target-sdk-version 34 \
        --version-code "$vcode" --version-name "$vname" \
        --split "$config" -F "$sw/base.apk"
    (cd "$sw/dex" && unzip -q "$WORK/$name-unsigned.apk" classes.dex && aapt add "$sw/base.apk" classes.dex >/dev/null)
    sign "$sw/base.apk" "$sw/apks/splits/base-master.apk"
    sign "$sw/base_$config-v4.apk" "$sw/apks/splits/base-$config.apk"
    rm -f "$OUT/$name.apks"
    (cd "$sw/apks" && zip -q -X -D "$OUT/$name.apks" splits/base-master.apk "splits/base-$config.apk")
    echo "built $OUT/$name.apks"
}

# With arguments, only the named apps (e.g. `build.sh oldchat`); all without.
ARGS="$*"
want() {
    [ -z "$ARGS" ] && return 0
    case " $ARGS " in *" $1 "*) return 0 ;; esac
    return 1
}
if want securechat; then
    build securechat-1.0 securechat-1.0.apk securechat
    build securechat-1.1 securechat-1.1.apk securechat securechat-1.1
fi
if want leakychat; then
    build leakychat-2.3 leakychat-2.3.apk leakychat
    split_set leakychat-2.3 230 2.3 23 xxhdpi
fi
if want oldchat; then
    build oldchat-1.0 oldchat-1.0.apk oldchat
    build oldchat-2.0 oldchat-2.0.apk oldchat oldchat-2.0
fi
