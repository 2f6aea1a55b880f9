#!/usr/bin/env bash
# Scale benchmark for inventories: generates synthetic exports of N devices
# (invented values only, nothing committed) in a temporary directory and
# measures `msgaudit facts` and `msgaudit scan` (every device assessed against
# dsk-must) with hyperfine (time) and GNU time (peak memory). For the Intune
# Graph export it also times `scan --format json` side by side with Python's
# `json.load` of the same export (issue 15: no slower) and prints the JSON
# report's size per device (budget: 1 KB).
#
# Two Intune Graph exports are made: `intune-N.json` holds only the 21
# fields msgaudit reads (about 700 bytes a record, the smallest a Graph
# export can be), `intune-full-N.json` every field Graph's beta
# `managedDevices` list returns (77, `hardwareInformation` with 45 of its
# own; about 4 KB a record, as the corpus's recorded beta records). Real
# exports look like the second; the first shows the fixed cost per device.
# The full export is made for N up to 200,000 (FULL_MAX; 0 for none).
#
# Usage: benches/inventory.sh [N ...]   (run from the repository root;
#        default N = 100000; give several sizes, e.g. `10000 100000 1000000`,
#        to see that peak memory does not grow with the fleet)
# Needs: python3, hyperfine, GNU time (/usr/bin/time). Builds --release.
# PAIRS (default 15) sets the paired runs against `json.load`, RUNS (5)
# hyperfine's runs.
set -euo pipefail
SIZES=("${@:-100000}")
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="$ROOT/target/release/msgaudit"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

cargo build --release --manifest-path "$ROOT/Cargo.toml" >/dev/null
# `json.load` is timed in the interpreter itself: a launcher on the PATH
# (pyenv's `python3` shim is a bash script) adds some 60 ms to every run.
PY="$(python3 -c 'import sys; print(sys.executable)')"

generate() {
python3 - "$1" "$WORK" "${FULL_MAX:-200000}" <<'PY'
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
def graph_page(path, version, record):
    # One Graph page of n records, as `GET .../managedDevices` returns it.
    with open(path, "w") as f:
        f.write('{"@odata.context":"https://graph.microsoft.com/%s/$metadata#deviceManagement/managedDevices","value":[' % version)
        for i in range(n):
            if i: f.write(",")
            json.dump(record(i), f)
        f.write("]}")
graph_page(f"{out}/intune-{n}.json", "v1.0", dev)
def full(i):
    # Every field of a beta managedDevice (values invented, in the forms
    # Graph writes them: many nulls, zero dates, Windows-only counters).
    d = dev(i)
    android = i % 2 == 0
    zero = "0001-01-01T00:00:00Z"
    uid = lambda k, j: f"{k:08x}-0000-4000-8000-{j:012d}"
    d.update({
        "userId": uid(1, i % 5000), "ownerType": "company", "chassisType": "phone",
        "managementState": rnd.choice(["managed"] * 9 + ["retirePending"]),
        "deviceType": "androidEnterprise" if android else "iPhone",
        "easActivated": False, "easDeviceId": f"EAS{i:020d}", "easActivationDateTime": zero,
        "aadRegistered": None, "azureADRegistered": True, "lostModeState": "disabled",
        "activationLockBypassCode": None, "azureActiveDirectoryDeviceId": uid(2, i),
        "azureADDeviceId": uid(2, i), "deviceRegistrationState": "registered",
        "deviceCategoryDisplayName": "Unknown", "exchangeLastSuccessfulSyncDateTime": zero,
        "exchangeAccessState": "none", "exchangeAccessStateReason": "none",
        "remoteAssistanceSessionUrl": None, "remoteAssistanceSessionErrorDetails": None,
        "complianceGracePeriodExpirationDateTime": "9999-12-31T23:59:59Z",
        "userDisplayName": f"Bench User {i % 5000}", "configurationManagerClientEnabledFeatures": None,
        "wiFiMacAddress": f"02{i:010x}", "deviceHealthAttestationState": None,
        "subscriberCarrier": "Bench Mobile", "meid": f"{i:014d}",
        "totalStorageSpaceInBytes": 137438953472, "freeStorageSpaceInBytes": rnd.randint(10**9, 10**11),
        "managedDeviceName": f"user{i % 5000}_{'AndroidForWork' if android else 'IPhone'}_{i}",
        "partnerReportedThreatState": rnd.choice(["unknown", "unknown", "secured", "activated"]),
        "retireAfterDateTime": zero, "preferMdmOverGroupPolicyAppliedDateTime": zero,
        "autopilotEnrolled": False, "requireUserEnrollmentApproval": None,
        "managementCertificateExpirationDate": "2027-01-01T00:00:00Z",
        "iccid": f"8949{i:015d}", "udid": None if android else f"{i:08X}-0000000000000000",
        "roleScopeTagIds": ["0"], "windowsActiveMalwareCount": 0, "windowsRemediatedMalwareCount": 0,
        "notes": None, "configurationManagerClientHealthState": None,
        "configurationManagerClientInformation": None, "ethernetMacAddress": None,
        "physicalMemoryInBytes": 0, "processorArchitecture": "unknown", "specificationVersion": None,
        "joinType": "unknown", "skuFamily": "", "skuNumber": 0, "managementFeatures": "none",
        "hardwareInformation": {
            "serialNumber": d["serialNumber"], "totalStorageSpace": 137438953472, "freeStorageSpace": 0,
            "imei": d["imei"], "meid": None, "manufacturer": None, "model": None,
            "phoneNumber": None, "subscriberCarrier": "Bench Mobile", "cellularTechnology": "LTE",
            "wifiMac": None, "operatingSystemLanguage": "de-DE", "isSupervised": False,
            "isEncrypted": False, "batterySerialNumber": None, "batteryHealthPercentage": 0,
            "batteryChargeCycles": 0, "isSharedDevice": False, "tpmSpecificationVersion": None,
            "operatingSystemEdition": None, "deviceFullQualifiedDomainName": None,
            "deviceGuardVirtualizationBasedSecurityHardwareRequirementState": "meetHardwareRequirements",
            "deviceGuardVirtualizationBasedSecurityState": "running",
            "deviceGuardLocalSystemAuthorityCredentialGuardState": "running",
            "osBuildNumber": None, "operatingSystemProductType": 0, "ipAddressV4": None,
            "subnetAddress": None, "esimIdentifier": None, "systemManagementBIOSVersion": None,
            "tpmManufacturer": None, "tpmVersion": None, "wiredIPv4Addresses": [],
            "batteryLevelPercentage": None, "residentUsersCount": None, "productName": None,
            "deviceLicensingStatus": "unknown", "deviceLicensingLastErrorCode": 0,
            "deviceLicensingLastErrorDescription": None, "sharedDeviceCachedUsers": [],
        },
        "deviceActionResults": [],
        "usersLoggedOn": [{"userId": uid(1, i % 5000), "lastLogOnDateTime": "2026-11-01T08:00:00Z"}],
    })
    return d
with open(f"{out}/intune-{n}.jsonl", "w") as f:
    for i in range(n):
        json.dump(dev(i), f); f.write("\n")
with open(f"{out}/generic-{n}.csv", "w") as f:
    f.write("device_id,device_name,platform,os_version,android_patch_level,passcode_present,encrypted,compromised,managed,ownership,last_checkin,owner,serial\n")
    for i in range(n):
        d = dev(i)
        plat = d["operatingSystem"].lower()
        f.write(f'{d["id"]},{d["deviceName"]},{plat},{d["osVersion"]},{d["androidSecurityPatchLevel"]},true,{str(d["isEncrypted"]).lower()},false,true,corporate,{d["lastSyncDateTime"]},{d["userPrincipalName"]},{d["serialNumber"]}\n')
# The full export comes last, so the exports above keep the values they had
# before it was added.
if n <= int(sys.argv[3]):
    graph_page(f"{out}/intune-full-{n}.json", "beta", full)
PY
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

# paired PAIRS EXPORT SCAN...: runs `scan` and Python's `json.load` of EXPORT
# one right after the other, PAIRS times (which goes first alternates), and
# prints the medians and the median of the pairs' ratios with their spread.
# A shared machine's speed drifts over minutes; a ratio taken within each
# pair follows it, where hyperfine's means of one command's runs after the
# other's do not.
paired() {
"$PY" - "$@" <<'PY'
import resource, statistics, subprocess, sys, time
pairs, export, scan = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
load = [sys.executable, "-c", "import json,sys; json.load(open(sys.argv[1]))", export]

def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu

run(scan), run(load)  # warm-up: the export in the page cache
results = []
for i in range(pairs):
    first, second = (scan, load) if i % 2 == 0 else (load, scan)
    a, b = run(first), run(second)
    results.append((a, b) if i % 2 == 0 else (b, a))
med = statistics.median
wall = [s[0] / p[0] for s, p in results]
cpu = [s[1] / p[1] for s, p in results]
print(
    f"paired, {pairs} pairs: scan --format json {med(s[0] for s, _ in results):.3f} s wall, "
    f"{med(s[1] for s, _ in results):.3f} s CPU; json.load {med(p[0] for _, p in results):.3f} s wall, "
    f"{med(p[1] for _, p in results):.3f} s CPU; scan/json.load {med(wall):.2f}x wall "
    f"(pairs {min(wall):.2f}-{max(wall):.2f}), {med(cpu):.2f}x CPU"
)
PY
}
for N in "${SIZES[@]}"; do
  rm -f "$WORK"/*
  generate "$N"
  ls -l "$WORK"
  files=("intune-$N.json" "intune-$N.jsonl" "generic-$N.csv")
  [ -f "$WORK/intune-full-$N.json" ] && files+=("intune-full-$N.json")
  for f in "${files[@]}"; do
    echo "== N=$N $f"
    facts=("$BIN" facts --output /dev/null "$WORK/$f")
    scan=("$BIN" scan --as-of 2026-11-23 --fail-on never --output /dev/null "$WORK/$f")
    echo "peak RSS KB: facts $(peak "${facts[@]}")," \
      "scan table $(peak "${scan[@]}")," \
      "scan json $(peak "${scan[@]}" --format json)," \
      "scan csv $(peak "${scan[@]}" --format csv)"
    if [ "$f" = "intune-$N.json" ] || [ "$f" = "intune-full-$N.json" ]; then
      # (`scan` already has `--output /dev/null`, which may be given once.)
      "$BIN" scan --as-of 2026-11-23 --fail-on never --format json \
        --output "$WORK/report.json" "$WORK/$f" 2>/dev/null
      bytes=$(stat -c %s "$WORK/report.json")
      rm -f "$WORK/report.json"
      echo "JSON report: $bytes bytes, $((bytes / N)) bytes per device (budget 1024)"
      echo "peak RSS KB: python json.load $(peak "$PY" -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$f")"
      hyperfine --warmup 1 --runs "${RUNS:-5}" -N --style basic \
        "$PY -c 'import json,sys; json.load(open(sys.argv[1]))' $WORK/$f" \
        "${scan[*]} --format json" 2>&1 | grep -E "^Benchmark|Time \(mean|User:|±|faster|slower"
      paired "${PAIRS:-15}" "$WORK/$f" "${scan[@]}" --format json
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
