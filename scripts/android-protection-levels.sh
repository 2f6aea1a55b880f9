#!/usr/bin/env bash
# Prints the [framework] table of checks/android-protection-levels.toml: every
# <permission> the Android framework defines (frameworks/base
# core/res/AndroidManifest.xml, compiled into framework-res.apk) with its
# android:protectionLevel written as the platform names it
# (PermissionInfo.protectionToString: base level, then flags with "|").
# Usage: scripts/android-protection-levels.sh [framework-res.apk]
# (default: Debian's android-framework-res package).
set -euo pipefail
apk=${1:-/usr/share/android-framework-res/framework-res.apk}
aapt dump xmltree "$apk" AndroidManifest.xml | awk '
function hex(s,   i, c, v) {
  v = 0; s = tolower(s); sub(/^0x/, "", s)
  for (i = 1; i <= length(s); i++) { c = index("0123456789abcdef", substr(s, i, 1)) - 1; v = v * 16 + c }
  return v
}
function level(v,   base, out, i) {
  base = v % 16
  out = (base == 0) ? "normal" : (base == 1) ? "dangerous" : (base == 2) ? "signature" : (base == 3) ? "signatureOrSystem" : (base == 4) ? "internal" : "base" base
  for (i = 1; i <= nflags; i++) if (int(v / fbit[i]) % 2 == 1) out = out "|" fname[i]
  return out
}
function emit() {
  if (inperm && name != "") printf "\"%s\" = \"%s\"\n", name, level(prot)
  inperm = 0; name = ""; prot = 0
}
BEGIN {
  n = split("16:privileged 32:development 64:appop 128:pre23 256:installer 512:verifier 1024:preinstalled 2048:setup 4096:instant 8192:runtime 16384:oem 32768:vendorPrivileged 65536:textClassifier 131072:wellbeing 262144:documenter 524288:configurator 1048576:incidentReportApprover 2097152:appPredictor 4194304:module 8388608:companion 16777216:retailDemo 33554432:recents 67108864:role 134217728:knownSigner", f, " ")
  for (i = 1; i <= n; i++) { split(f[i], kv, ":"); fbit[i] = kv[1] + 0; fname[i] = kv[2] }
  nflags = n
}
/^ *E: / { emit(); if ($0 ~ /^ *E: permission \(/) inperm = 1; next }
inperm && /A: android:name\(0x01010003\)=/ { s = $0; sub(/^[^"]*"/, "", s); sub(/".*/, "", s); name = s }
inperm && /A: android:protectionLevel\(0x01010009\)=/ { s = $0; sub(/.*\)/, "", s); prot = hex(s) }
END { emit() }
' | LC_ALL=C sort
