#!/usr/bin/env bash
# Builds DepthChat.ipa, the sample for reading every binary of a bundle
# (tests/ios_code.rs), from src/depth/ with real tools, without Xcode:
#   clang -target arm64-apple-ios15.0   compile (Objective-C messages to Apple classes, C)
#   ld64.lld-14                          link against text .tbd stubs written below;
#                                        -adhoc_codesign reserves the code signature
#   sign-macho.py (python3, openssl)     code signature with identifier, team id,
#                                        XML + DER entitlements and a CMS signature
#                                        by a throw-away certificate of that team
#   zip                                  Payload/DepthChat.app
# Layout: the main executable, Frameworks/DepthKit.framework,
# PlugIns/Share.appex, Watch/DepthWatch.app with its own
# Frameworks/WristKit.framework and PlugIns/DepthWatchExtension.appex, each
# calling APIs of checks/ios-apis.toml, all signed by team DEPTHTEAM1;
# Share.appex carries entitlements (XML and DER); no provisioning profile.
# A second IPA, tests/fixtures/ios/DepthChat-foreign-signatures.ipa, is the
# same bundle changed after signing: WristKit.framework re-signed by team
# OTHERTEAM9 and DepthWatchExtension.appex unsigned — the two binaries
# msgaudit must report as tampering evidence (kept out of sample-apps/, whose
# scan shows no unreadable app).
# Usage: sample-apps/ios/build-depth.sh    (writes DepthChat.ipa next to this script)
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/src/depth"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
SDK="$WORK/sdk"
SOURCE_DATE_EPOCH=1767225600 # 2026-01-01: entry timestamps in the IPA

for tool in clang ld64.lld-14 zip python3 openssl; do
  command -v "$tool" >/dev/null || { echo "build-depth.sh: $tool not found on PATH" >&2; exit 1; }
done

# tbd INSTALL-NAME SYMBOLS OBJC-CLASSES [STUB-PATH] (a .tbd v4 stub under $SDK;
# by default at the install name plus .tbd)
tbd() {
  local file="$SDK${4:-$1.tbd}"
  mkdir -p "$(dirname "$file")"
  cat >"$file" <<STUB
--- !tapi-tbd
tbd-version: 4
targets: [ arm64-ios ]
install-name: '$1'
current-version: 1
exports:
  - targets: [ arm64-ios ]
    symbols: [ $2 ]
    objc-classes: [ $3 ]
...
STUB
}
FW=/System/Library/Frameworks
tbd /usr/lib/libSystem.B.dylib "dyld_stub_binder, _CCCrypt" "" /usr/lib/libSystem.tbd
tbd /usr/lib/libobjc.A.dylib "__objc_empty_cache, _objc_msgSend, _objc_alloc, _objc_alloc_init" "" /usr/lib/libobjc.tbd
tbd $FW/Foundation.framework/Foundation "_NSFileProtectionComplete, _NSFileProtectionNone" ""
tbd $FW/UIKit.framework/UIKit "_UIApplicationMain" ""
tbd $FW/Security.framework/Security \
  "_SecAccessControlCreateWithFlags, _SecItemAdd, _kSecAttrAccessControl, _kSecAttrAccessibleAlways, _kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly, _kSecAttrAccessibleWhenUnlockedThisDeviceOnly" ""
tbd $FW/LocalAuthentication.framework/LocalAuthentication "" "LAContext"
tbd $FW/Contacts.framework/Contacts "" "CNContactStore, CNSaveRequest"
tbd $FW/CoreLocation.framework/CoreLocation "" "CLLocationManager"
tbd $FW/AdSupport.framework/AdSupport "" "ASIdentifierManager"
tbd $FW/AppTrackingTransparency.framework/AppTrackingTransparency "" "ATTrackingManager"
tbd $FW/CryptoKit.framework/CryptoKit \
  "_\$s9CryptoKit3AESO3GCMO4seal_5usingAE9SealedBoxVx_AA12SymmetricKeyVtKAA12DataProtocolRzlFZ" ""

cc() { clang -target arm64-apple-ios15.0 -Os -fno-objc-arc -I"$SRC" -c "$@"; }
ld() { ld64.lld-14 -arch arm64 -platform_version ios 15.0 17.0 -syslibroot "$SDK" \
  -L"$SDK/usr/lib" -F"$SDK$FW" -adhoc_codesign "$@" -lSystem -lobjc; }
# Throw-away signing certificates, one per team (OU = team id, as Apple's).
for team in DEPTHTEAM1 OTHERTEAM9; do
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -keyout "$WORK/$team.key" -out "$WORK/$team.pem" \
    -subj "/CN=Apple Distribution: msgaudit sample ($team)/OU=$team/O=msgaudit test" 2>/dev/null
done
sign() { # BINARY IDENTIFIER TEAM [sign-macho.py options]
  python3 "$HERE/sign-macho.py" "$1" "$2" "$3" "$WORK/$3.pem" "$WORK/$3.key" "${@:4}"
}
plist() { # OUT EXECUTABLE BUNDLE-ID PACKAGE-TYPE [EXTENSION-POINT]
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">'
    echo '<plist version="1.0"><dict>'
    echo "<key>CFBundleExecutable</key><string>$2</string>"
    echo "<key>CFBundleName</key><string>$2</string>"
    echo "<key>CFBundleIdentifier</key><string>$3</string>"
    echo "<key>CFBundlePackageType</key><string>$4</string>"
    echo '<key>CFBundleShortVersionString</key><string>1.0</string>'
    echo '<key>CFBundleVersion</key><string>1</string>'
    echo '<key>MinimumOSVersion</key><string>15.0</string>'
    if [ -n "${5:-}" ]; then
      echo "<key>NSExtension</key><dict><key>NSExtensionPointIdentifier</key><string>$5</string></dict>"
    fi
    echo '</dict></plist>'
  } >"$1"
}

APP="$WORK/Payload/DepthChat.app"
KIT="$APP/Frameworks/DepthKit.framework"
SHARE="$APP/PlugIns/Share.appex"
WATCH="$APP/Watch/DepthWatch.app"
WEXT="$WATCH/PlugIns/DepthWatchExtension.appex"
WKIT="$WATCH/Frameworks/WristKit.framework"
mkdir -p "$KIT" "$SHARE" "$WEXT" "$WKIT"

cc "$SRC/depthkit.m" -o "$WORK/depthkit.o"
ld -dylib -install_name @rpath/DepthKit.framework/DepthKit -o "$KIT/DepthKit" "$WORK/depthkit.o" \
  -framework Contacts -framework CoreLocation -framework AdSupport -framework AppTrackingTransparency
plist "$KIT/Info.plist" DepthKit com.example.depthkit FMWK
sign "$KIT/DepthKit" com.example.depthkit DEPTHTEAM1 --info-plist "$KIT/Info.plist"

cc "$SRC/depthchat_main.m" -o "$WORK/main.o"
ld -o "$APP/DepthChat" "$WORK/main.o" -framework Foundation -framework UIKit -framework Security \
  -framework LocalAuthentication -F"$APP/Frameworks" -framework DepthKit -rpath @executable_path/Frameworks
plist "$APP/Info.plist" DepthChat com.example.depthchat APPL
sign "$APP/DepthChat" com.example.depthchat DEPTHTEAM1 --info-plist "$APP/Info.plist"

cc "$SRC/share_extension.m" -o "$WORK/share.o"
ld -o "$SHARE/Share" "$WORK/share.o" -framework Security -framework LocalAuthentication
plist "$SHARE/Info.plist" Share com.example.depthchat.share XPC! com.apple.share-services
sign "$SHARE/Share" com.example.depthchat.share DEPTHTEAM1 --info-plist "$SHARE/Info.plist" \
  --entitlements "$SRC/Share.entitlements"

cc "$SRC/watch_app.m" -o "$WORK/watch.o"
ld -o "$WATCH/DepthWatch" "$WORK/watch.o" -framework CoreLocation
plist "$WATCH/Info.plist" DepthWatch com.example.depthchat.watchkitapp APPL
sign "$WATCH/DepthWatch" com.example.depthchat.watchkitapp DEPTHTEAM1 --info-plist "$WATCH/Info.plist"

cc "$SRC/wristkit.m" -o "$WORK/wristkit.o"
ld -dylib -install_name @rpath/WristKit.framework/WristKit -o "$WKIT/WristKit" "$WORK/wristkit.o" \
  -framework Security
plist "$WKIT/Info.plist" WristKit com.example.wristkit FMWK
sign "$WKIT/WristKit" com.example.wristkit DEPTHTEAM1 --info-plist "$WKIT/Info.plist"

cc "$SRC/watch_extension.c" -o "$WORK/wext.o"
ld -o "$WEXT/DepthWatchExtension" "$WORK/wext.o" -framework Foundation -framework CryptoKit \
  -F"$WATCH/Frameworks" -framework WristKit -rpath @executable_path/../../Frameworks
plist "$WEXT/Info.plist" DepthWatchExtension com.example.depthchat.watchkitapp.extension XPC! \
  com.apple.watchkit


sign "$WEXT/DepthWatchExtension" com.example.depthchat.watchkitapp.extension DEPTHTEAM1 \
  --info-plist "$WEXT/Info.plist"

ipa() { # OUT
  (cd "$WORK" && find Payload -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} + \
    && rm -f "$1" && zip -qX -r "$1" Payload)
  ls -l "$1"
}
ipa "$HERE/DepthChat.ipa"
# Changed after signing: another team's framework, an unsigned extension.
sign "$WKIT/WristKit" com.example.wristkit OTHERTEAM9 --info-plist "$WKIT/Info.plist"
ld -o "$WORK/wext-unsigned" "$WORK/wext.o" -framework Foundation -framework CryptoKit \
  -F"$WATCH/Frameworks" -framework WristKit -rpath @executable_path/../../Frameworks -no_adhoc_codesign
cp "$WORK/wext-unsigned" "$WEXT/DepthWatchExtension"
FIXTURES="$HERE/../../tests/fixtures/ios"
mkdir -p "$FIXTURES"
ipa "$(cd "$FIXTURES" && pwd)/DepthChat-foreign-signatures.ipa"
