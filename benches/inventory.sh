#!/usr/bin/env bash
# Scale benchmark for inventories: generates synthetic exports of N devices
# (invented values only, nothing committed) in a temporary directory and
# measures `msgaudit facts` and `msgaudit scan` (every device assessed against
# dsk-must) with hyperfine (time) and GNU time (peak memory). For the Intune
# Graph export it also times `scan --format json` side by side with Python's
# `json.load` of the same export (issue 15: no slower) and prints the JSON
# report's size per device (budget: 1 KB).
#
# Usage: benches/inventory.sh [N ...]   (run from the repository root;
#        default N = 100000; give several sizes, e.g. `10000 100000 1000000`,
#        to see that peak memory does not grow with the fleet)
# Needs: python3, hyperfine, GNU time (/usr/bin/time). Builds --release.
set -euo pipefail
SIZES=("${@:-100000}")
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/msgaudit"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null

generate() {
python3 - "$1" "$WORK" <<'PY'
import json, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(42)
def dev(i):
    android = i % 2 == 0
    return {
        "id": f"00000000-0000-4000-8000-{i:012d}",
        "deviceName": f"BENCH-DEVICE-{i:06d}",
        "userPrincipalName": f"user{i % 5000}@bench.invalid",
        "emailAddress": f"user{i % 5000}@bench.invalid",
        "managedDeviceOwnerType": rnd.choice(["company", "company", "personal"]),
        "operatingSystem": "Android" if android else "iOS",
        "osVersion": rnd.choice(["12", "13", "14", "15", "16"]) if android else rnd.choice(["16.7.16", "17.6.1", "18.7.9", "26.5", "26.2.1"]),
        "androidSecurityPatchLevel": f"2026-{rnd.randint(1, 11):02d}-0{rnd.choice([1, 5])}" if android else "",
        "isEncrypted": rnd.random() > 0.05,
        "jailBroken": rnd.choice(["False", "False", "False", "True", "Unknown"]),
        "isSupervised": rnd.random() > 0.5,
        "complianceState": rnd.choice(["compliant", "noncompliant", "inGracePeriod", "unknown"]),
        "managementAgent": rnd.choice(["mdm", "mdm", "mdm", "eas", "intuneAosp"]),
        "deviceEnrollmentType": "androidEnterpriseFullyManaged" if android else "appleBulkWithUser",
        "lastSyncDateTime": f"2026-{rnd.randint(6, 11):02d}-{rnd.randint(1, 22):02d}T08:00:00Z",
        "enrolledDateTime": "2025-01-01T00:00:00Z",
        "serialNumber": f"SN{i:010d}",
        "imei": f"35{i:013d}",
        "phoneNumber": f"+49 30 {i:07d}",
        "model": "SM-A556B" if android else "iPhone 15",
        "manufacturer": "samsung" if android else "Apple",
    }
with open(f"{out}/intune-{n}.json", "w") as f:
    f.write('{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[')
    for i in range(n):
        if i: f.write(",")
        json.dump(dev(i), f)
    f.write("]}")
with open(f"{out}/intune-{n}.jsonl", "w") as f:
    for i in range(n):
        json.dump(dev(i), f); f.write("\n")
with open(f"{out}/generic-{n}.csv", "w") as f:
    f.write("device_id,device_name,platform,os_version,android_patch_level,passcode_present,encrypted,compromised,managed,ownership,last_checkin,owner,serial\n")
    for i in range(n):
        d = dev(i)
        plat = d["operatingSystem"].lower()
        f.write(f'{d["id"]},{d["deviceName"]},{plat},{d["osVersion"]},{d["androidSecurityPatchLevel"]},true,{str(d["isEncrypted"]).lower()},false,true,corporate,{d["lastSyncDateTime"]},{d["userPrincipalName"]},{d["serialNumber"]}\n')
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
for N in "${SIZES[@]}"; do
  rm -f "$WORK"/*
  generate "$N"
  ls -l "$WORK"
  for f in "intune-$N.json" "intune-$N.jsonl" "generic-$N.csv"; do
    echo "== N=$N $f"
    facts=("$BIN" facts --output /dev/null "$WORK/$f")
    scan=("$BIN" scan --as-of 2026-11-23 --fail-on never --output /dev/null "$WORK/$f")
    echo "peak RSS KB: facts $(peak "${facts[@]}")," \
      "scan table $(peak "${scan[@]}")," \
      "scan json $(peak "${scan[@]}" --format json)," \
      "scan csv $(peak "${scan[@]}" --format csv)"
    if [ "$f" = "intune-$N.json" ]; then
      # (`scan` already has `--output /dev/null`, which may be given once.)
      "$BIN" scan --as-of 2026-11-23 --fail-on never --format json \
        --output "$WORK/report.json" "$WORK/$f" 2>/dev/null
      bytes=$(stat -c %s "$WORK/report.json")
      rm -f "$WORK/report.json"
      echo "JSON report: $bytes bytes, $((bytes / N)) bytes per device (budget 1024)"
      echo "peak RSS KB: python json.load $(peak python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$f")"
      hyperfine --warmup 1 --runs "${RUNS:-5}" -N --style basic \
        "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' $WORK/$f" \
        "${scan[*]} --format json" 2>&1 | grep -E "^Benchmark|Time \(mean|User:|±|faster|slower"
    fi
    if [ "$N" -le 200000 ]; then
      hyperfine --warmup 1 --runs "${RUNS:-5}" -N --style basic \
        "${facts[*]}" "${scan[*]}" "${scan[*]} --format json" "${scan[*]} --format csv" 2>&1 \
        | grep -E "^Benchmark|Time \(mean"
    else
      for args in "" "--format json"; do
        /usr/bin/time -f "scan $args: %e s wall, %U s user" "${scan[@]}" $args 2>&1 >/dev/null | tail -1
      done
    fi
  done
done
