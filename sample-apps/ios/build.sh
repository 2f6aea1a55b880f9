#!/usr/bin/env bash
# Builds the two sample IPAs (SecureChat.ipa, LeakyChat.ipa) from the sources
# in src/ with real tools, on Linux, without Xcode:
#   clang -target arm64-apple-ios15.0   compile (C and Objective-C root classes)
#   ld64.lld-14                          link against text .tbd stubs written below
#   plistutil                            binary Info.plist (SecureChat)
#   rcodesign sign                       ad-hoc code signature with entitlements
#   openssl cms -sign                    embedded.mobileprovision (self-signed test cert)
#   zip                                  Payload/<App>.app
# Usage: sample-apps/ios/build.sh            (writes SecureChat.ipa and LeakyChat.ipa next to this script)
# Needs: clang, ld64.lld-14, plistutil, rcodesign (cargo install apple-codesign), openssl, zip, python3.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/src"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SDK="$WORK/sdk"
TARGET=arm64-apple-ios15.0
SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: entry timestamps in the IPAs

for tool in clang ld64.lld-14 plistutil rcodesign openssl zip python3; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool not found on PATH" >&2; exit 1; }
done

# ---- text-based stubs (.tbd v4) of the system libraries and frameworks ----
# tbd NAME-PATH INSTALL-NAME SYMBOLS OBJC-CLASSES
tbd() {
  mkdir -p "$(dirname "$1")"
  cat >"$1" <<EOF
--- !tapi-tbd
tbd-version: 4
targets: [ arm64-ios ]
install-name: '$2'
current-version: 1
exports:
  - targets: [ arm64-ios ]
    symbols: [ $3 ]
    objc-classes: [ $4 ]
...
EOF
}
FW=System/Library/Frameworks
tbd "$SDK/usr/lib/libSystem.tbd" /usr/lib/libSystem.B.dylib "dyld_stub_binder" ""
tbd "$SDK/usr/lib/libobjc.tbd" /usr/lib/libobjc.A.dylib "__objc_empty_cache, _objc_msgSend" ""
tbd "$SDK/$FW/Foundation.framework/Foundation.tbd" /$FW/Foundation.framework/Foundation \
  "_NSFileProtectionComplete, _NSURLIsExcludedFromBackupKey" "NSFileManager"
tbd "$SDK/$FW/UIKit.framework/UIKit.tbd" /$FW/UIKit.framework/UIKit \
  "_UIApplicationMain, _UIImageWriteToSavedPhotosAlbum" ""
tbd "$SDK/$FW/LocalAuthentication.framework/LocalAuthentication.tbd" \
  /$FW/LocalAuthentication.framework/LocalAuthentication "" "LAContext"
tbd "$SDK/$FW/Contacts.framework/Contacts.tbd" /$FW/Contacts.framework/Contacts "" "CNContactStore"
tbd "$SDK/$FW/CoreLocation.framework/CoreLocation.tbd" /$FW/CoreLocation.framework/CoreLocation \
  "" "CLLocationManager"

CFLAGS=(-target "$TARGET" -Os -fno-objc-arc -c)
link_app() { # OUT OBJECTS... -- LINK FLAGS
  local out="$1"; shift
  ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -syslibroot "$SDK" \
    -L"$SDK/usr/lib" -F"$SDK/$FW" -o "$out" "$@" -lSystem -lobjc
}

# ---- test signing identity for the provisioning profiles ----
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=msgaudit sample profile signer/O=msgaudit test" \
  -keyout "$WORK/signer.key" -out "$WORK/signer.pem" 2>/dev/null

# profile APP-ID KIND(development|app_store) ENTITLEMENTS-PLIST OUT
profile() {
  python3 - "$@" <<'EOF'
import plistlib, sys, datetime, uuid
app_id, kind, ents_path, out = sys.argv[1:5]
with open(ents_path, "rb") as f:
    ents = plistlib.load(f)
ents = dict(ents)
ents["application-identifier"] = "SAMPLETEAM." + app_id
ents["com.apple.developer.team-identifier"] = "SAMPLETEAM"
ents["get-task-allow"] = kind == "development"
p = {
    "AppIDName": app_id,
    "CreationDate": datetime.datetime(2026, 1, 1),
    "ExpirationDate": datetime.datetime(2027, 1, 1),
    "Entitlements": ents,
    "Name": f"{app_id} {kind} (msgaudit sample)",
    "Platform": ["iOS"],
    "TeamIdentifier": ["SAMPLETEAM"],
    "TeamName": "msgaudit Sample Team",
    "TimeToLive": 365,
    "UUID": str(uuid.uuid5(uuid.NAMESPACE_DNS, app_id + kind)),
    "Version": 1,
}
if kind == "development":
    p["ProvisionedDevices"] = ["00008110-000A00000000001E"]
with open(out, "wb") as f:
    plistlib.dump(p, f, fmt=plistlib.FMT_XML)
EOF
}

sign_profile() { # IN-PLIST OUT
  openssl cms -sign -nodetach -binary -outform DER -signer "$WORK/signer.pem" \
    -inkey "$WORK/signer.key" -in "$1" -out "$2"
}

# ================= SecureChat (clean) =================
APP="$WORK/SecureChat/Payload/SecureChat.app"
mkdir -p "$APP"
clang "${CFLAGS[@]}" "$SRC/securechat_main.c" -o "$WORK/sc_main.o"
clang "${CFLAGS[@]}" -x objective-c "$SRC/securechat_store.m" -o "$WORK/sc_store.o"
link_app "$APP/SecureChat" "$WORK/sc_main.o" "$WORK/sc_store.o" \
  -framework Foundation -framework UIKit -framework LocalAuthentication
plistutil -i "$SRC/SecureChat-Info.plist" -o "$APP/Info.plist" -f bin
cp "$SRC/SecureChat-PrivacyInfo.xcprivacy" "$APP/PrivacyInfo.xcprivacy"
profile com.example.securechat app_store "$SRC/SecureChat.entitlements" "$WORK/sc_profile.plist"
sign_profile "$WORK/sc_profile.plist" "$APP/embedded.mobileprovision"
rcodesign sign --entitlements-xml-path "$SRC/SecureChat.entitlements" "$APP" >/dev/null
(cd "$WORK/SecureChat" && find Payload -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + && rm -f "$HERE/SecureChat.ipa" && zip -qX -r "$HERE/SecureChat.ipa" Payload)

# ================= LeakyChat (leaky) =================
APP="$WORK/LeakyChat/Payload/LeakyChat.app"
FWDIR="$APP/Frameworks/FirebaseCrashlytics.framework"
mkdir -p "$FWDIR"
clang "${CFLAGS[@]}" -x objective-c "$SRC/crashlytics.m" -o "$WORK/crashlytics.o"
ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -syslibroot "$SDK" -L"$SDK/usr/lib" \
  -dylib -install_name @rpath/FirebaseCrashlytics.framework/FirebaseCrashlytics \
  -o "$FWDIR/FirebaseCrashlytics" "$WORK/crashlytics.o" -lSystem -lobjc
cp "$SRC/FirebaseCrashlytics-Info.plist" "$FWDIR/Info.plist"
cp "$SRC/FirebaseCrashlytics-PrivacyInfo.xcprivacy" "$FWDIR/PrivacyInfo.xcprivacy"
clang "${CFLAGS[@]}" "$SRC/leakychat_main.c" -o "$WORK/lc_main.o"
link_app "$APP/LeakyChat" "$WORK/lc_main.o" -F"$WORK/LeakyChat/Payload/LeakyChat.app/Frameworks" \
  -framework FirebaseCrashlytics -framework Foundation -framework UIKit \
  -framework Contacts -framework CoreLocation -rpath @executable_path/Frameworks
cp "$SRC/LeakyChat-Info.plist" "$APP/Info.plist"
cp "$SRC/LeakyChat-GoogleService-Info.plist" "$APP/GoogleService-Info.plist"
profile com.example.leakychat development "$SRC/LeakyChat.entitlements" "$WORK/lc_profile.plist"
sign_profile "$WORK/lc_profile.plist" "$APP/embedded.mobileprovision"
rcodesign sign --entitlements-xml-path "$SRC/LeakyChat.entitlements" "$APP" >/dev/null
(cd "$WORK/LeakyChat" && find Payload -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + && rm -f "$HERE/LeakyChat.ipa" && zip -qX -r "$HERE/LeakyChat.ipa" Payload)

ls -l "$HERE"/*.ipa
