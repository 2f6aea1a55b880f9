//! Device verdicts are never better than what the export says:
//! - a missing or unreadable last check-in warns wherever an old one does
//!   (DEV-01, DEV-02, DEV-03, DEV-05, PLT-03), with a message of its own;
//! - PLT-03 (iCloud Backup) does not apply to devices other than iPhones and
//!   iPads, whatever their export says about a cloud backup;
//! - an iPhone's storage counts as bound to the user's credential (DEV-03)
//!   only with a passcode set (Apple's Data Protection), in Workspace ONE
//!   exports and in Intune ones (where only the compliance export says it).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

/// `scan --format json --as-of 2026-12-05 --profile dsk-full` over `files`.
fn scan(files: &[&Path]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args(["scan", "--format", "json", "--as-of", "2026-12-05"])
        .args(["--profile", "dsk-full"])
        .args(files)
        .output()
        .expect("run msgaudit");
    common::json(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Writes `text` as `name` in `dir`.
fn file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// The result of `check` (by prefix) for the device read from `source`.
fn result<'a>(report: &'a Value, source: &str, check: &str) -> &'a Value {
    let targets = common::device_targets(report);
    let t = targets
        .iter()
        .find(|t| t["target"]["source"] == source)
        .unwrap_or_else(|| {
            let sources: Vec<&Value> = targets.iter().map(|t| &t["target"]["source"]).collect();
            panic!("no device from {source} among {sources:?}")
        });
    t["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with(check))
        .unwrap_or_else(|| panic!("no {check} for {source}"))
}

/// Every evidence value of a result, in `lang` (`value` or `value_de`).
fn evidence(r: &Value, key: &str) -> String {
    r["evidence"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| e[key].as_str().or(e["value"].as_str()).unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// An Intune Graph page with one up-to-date, encrypted Android device per
/// `lastSyncDateTime` value (`None`: the key is absent).
fn intune_android(check_ins: &[Option<Value>]) -> String {
    let value: Vec<Value> = check_ins
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut d = json!({
                "id": format!("3f2b9c1e-0000-4000-8000-00000000{i:04}"),
                "operatingSystem": "Android",
                "osVersion": "14",
                "androidSecurityPatchLevel": "2026-11-01",
                "isEncrypted": true,
                "jailBroken": "False",
                "managementState": "managed",
            });
            if let Some(c) = c {
                d["lastSyncDateTime"] = c.clone();
            }
            d
        })
        .collect();
    json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",
        "value": value,
    })
    .to_string()
}

#[test]
fn an_unknown_check_in_time_is_never_better_than_an_old_one() {
    let dir = tempfile::tempdir().unwrap();
    let export = file(
        dir.path(),
        "intune.json",
        &intune_android(&[
            Some(json!("2026-12-01T08:00:00Z")),
            Some(json!("2025-01-01T00:00:00Z")),
            Some(json!("not a date")),
            Some(Value::Null),
            None,
            Some(json!("2099-01-01T00:00:00Z")),
        ]),
    );
    let r = scan(&[&export]);
    let outcome = |n: usize, check: &str| {
        result(&r, &format!("intune-graph record {n}"), check)["outcome"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A recent check-in passes: the rules below are about the time alone.
    for check in ["DEV-01", "DEV-03", "DEV-05"] {
        assert_eq!(outcome(1, check), "pass", "{check}");
        // Old, unreadable, null, absent, after the audit date: all warn.
        for n in 2..=6 {
            assert_eq!(outcome(n, check), "warn", "{check} record {n}");
        }
    }
    // The missing time has its own words, in both languages, and cites the
    // export's unreadable value.
    for check in ["DEV-01", "DEV-03", "DEV-05"] {
        let unreadable = result(&r, "intune-graph record 3", check);
        assert!(
            unreadable["message"]["en"]
                .as_str()
                .unwrap()
                .contains("gives no time of the device's last contact with the MDM, so"),
            "{check}: {unreadable}"
        );
        assert!(
            unreadable["message"]["de"]
                .as_str()
                .unwrap()
                .contains("nennt aber keinen Zeitpunkt des letzten Kontakts mit dem MDM"),
            "{check}: {unreadable}"
        );
        assert!(
            evidence(unreadable, "value")
                .contains("last check-in: lastSyncDateTime = \"not a date\" (no readable time)"),
            "{check}: {unreadable}"
        );
        assert!(
            evidence(unreadable, "value_de").contains(
                "letzter MDM-Kontakt: lastSyncDateTime = \"not a date\" (kein lesbarer Zeitpunkt)"
            ),
            "{check}: {unreadable}"
        );
        let absent = result(&r, "intune-graph record 5", check);
        assert!(
            evidence(absent, "value_de").contains("letzter MDM-Kontakt nicht im Export"),
            "{check}: {absent}"
        );
    }
}

/// A Workspace ONE devices/search page of `devices`.
fn ws1(devices: &[Value]) -> String {
    json!({"Devices": devices, "Page": 0, "PageSize": 500, "Total": devices.len()}).to_string()
}

#[test]
fn icloud_backup_applies_to_iphones_and_ipads_only() {
    let dir = tempfile::tempdir().unwrap();
    let laptop = |id: u32| {
        json!({"Id": {"Value": id}, "Platform": "WinRT", "Model": "Latitude 7490",
               "OperatingSystem": "10.0.19045", "EnrollmentStatus": "Enrolled",
               "IsCloudBackupEnabled": false, "LastSeen": "2026-12-01T08:00:00.000"})
    };
    let iphone = |id: u32, last_seen: Value| {
        json!({"Id": {"Value": id}, "Platform": "Apple", "Model": "iPhone 15",
               "OperatingSystem": "18.7.9", "EnrollmentStatus": "Enrolled",
               "IsCloudBackupEnabled": false, "LastSeen": last_seen})
    };
    let export = file(
        dir.path(),
        "ws1.json",
        &ws1(&[
            laptop(1),
            iphone(2, json!("2026-12-01T08:00:00.000")),
            iphone(3, json!("0001-01-01T00:00:00.000")),
        ]),
    );
    // The generic CSV names the platform and the backup flag itself: the
    // check decides by the platform, whatever the reader kept.
    let csv = file(
        dir.path(),
        "devices.csv",
        "device_id,platform,os_version,cloud_backup,last_checkin,managed\n\
         w1,windows,10.0.19045,false,2026-12-01T08:00:00Z,true\n\
         m1,macos,15.7,true,2026-12-01T08:00:00Z,true\n\
         x1,,,false,2026-12-01T08:00:00Z,true\n",
    );
    let r = scan(&[&export, &csv]);
    let plt03 = |source: &str| result(&r, source, "PLT-03");
    let na = plt03("workspace-one record 1");
    assert_eq!(na["outcome"], "not_applicable", "{na}");
    assert!(
        na["message"]["de"]
            .as_str()
            .unwrap()
            .contains("betrifft die iCloud-Sicherung von iPhone und iPad"),
        "{na}"
    );
    assert_eq!(plt03("workspace-one record 2")["outcome"], "pass");
    // Never seen (LastSeen 0001-01-01): off then is no proof for today.
    let never = plt03("workspace-one record 3");
    assert_eq!(never["outcome"], "warn", "{never}");
    assert!(
        never["message"]["en"]
            .as_str()
            .unwrap()
            .contains("iCloud Backup is off, but it gives no time"),
        "{never}"
    );
    assert_eq!(plt03("csv line 2")["outcome"], "not_applicable");
    assert_eq!(plt03("csv line 3")["outcome"], "not_applicable");
    // No platform: it may be an iPhone; the auditor decides.
    let unknown = plt03("csv line 4");
    assert_eq!(unknown["outcome"], "manual", "{unknown}");
    // The fleet counts no pass for the laptop: one pass among the
    // devices PLT-03 applies to.
    let passes = common::device_targets(&r)
        .iter()
        .flat_map(|t| t["results"].as_array().unwrap())
        .filter(|x| x["check"].as_str().unwrap().starts_with("PLT-03") && x["outcome"] == "pass")
        .count();
    assert_eq!(passes, 1);
}

#[test]
fn an_iphone_without_a_passcode_has_no_credential_bound_storage() {
    let dir = tempfile::tempdir().unwrap();
    let export = file(
        dir.path(),
        "ws1.json",
        &ws1(&[json!({
            "Id": {"Value": 7}, "Platform": "Apple", "Model": "iPhone 15",
            "OperatingSystem": "18.7.9", "EnrollmentStatus": "Enrolled",
            "LastSeen": "2026-12-01T08:00:00.000",
            "Security": {"IsPasscodePresent": false, "IsEncrypted": true},
        })]),
    );
    let r = scan(&[&export]);
    assert_eq!(
        result(&r, "workspace-one record 1", "DEV-02")["outcome"],
        "fail"
    );
    let dev03 = result(&r, "workspace-one record 1", "DEV-03");
    assert_eq!(dev03["outcome"], "fail", "{dev03}");
    assert!(
        evidence(dev03, "value_de")
            .contains("Security.IsEncrypted = true, Security.IsPasscodePresent = false"),
        "{dev03}"
    );
}

#[test]
fn an_intune_iphone_is_credential_bound_only_when_a_passcode_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let id = |n: u32| format!("3f2b9c1e-0000-4000-8000-0000000000a{n}");
    let iphone = |n: u32| {
        json!({"id": id(n), "operatingSystem": "iOS", "osVersion": "18.7.9",
               "deviceType": "iPhone", "isEncrypted": true, "jailBroken": "False",
               "managementAgent": "mdm", "lastSyncDateTime": "2026-12-01T08:00:00Z"})
    };
    let devices = file(
        dir.path(),
        "intune.json",
        &json!({"value": [iphone(1), iphone(2), iphone(3)]}).to_string(),
    );
    let states = file(
        dir.path(),
        "states.json",
        &json!({"value": [
            {"setting": "IosCompliancePolicy.passcodeRequired", "settingName": "passcodeRequired",
             "deviceId": id(1), "state": "compliant"},
            {"setting": "IosCompliancePolicy.passcodeRequired", "settingName": "passcodeRequired",
             "deviceId": id(2), "state": "nonCompliant"},
        ]})
        .to_string(),
    );
    let r = scan(&[&devices, &states]);
    let dev03 = |n: u32| result(&r, &format!("intune-graph record {n}"), "DEV-03");
    assert_eq!(dev03(1)["outcome"], "pass", "{}", dev03(1));
    let no_passcode = dev03(2);
    assert_eq!(no_passcode["outcome"], "fail", "{no_passcode}");
    assert!(
        no_passcode["message"]["de"].as_str().unwrap().contains(
            "nur dann an die Zugangsdaten des Nutzers gebunden, wenn ein Code gesetzt ist"
        ),
        "{no_passcode}"
    );
    // No setting state for the device: isEncrypted alone does not show
    // the passcode Data Protection needs.
    let unknown = dev03(3);
    assert_eq!(unknown["outcome"], "manual", "{unknown}");
    assert!(
        unknown["message"]["en"]
            .as_str()
            .unwrap()
            .contains("the export does not say whether one is"),
        "{unknown}"
    );
}
