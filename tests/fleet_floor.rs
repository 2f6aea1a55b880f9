//! The fleet's newest Android security patch level as the floor of the
//! newest known level (issue #15 item 4): surveyed across every device
//! export of the scan before any device is judged, named with its source in
//! DEV-01's evidence (German and English), and a level after the audit date
//! is ignored and reported — one bogus device cannot move the fleet's floor.

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use sha2::Digest;

/// An Intune Graph page of Android devices: (device name, patch level).
fn intune_page(devices: &[(&str, &str)]) -> String {
    let value: Vec<Value> = devices
        .iter()
        .enumerate()
        .map(|(i, (name, patch))| {
            serde_json::json!({
                "id": format!("3f2b9c1e-0000-4000-8000-00000000{i:04}"),
                "deviceName": name,
                "managedDeviceOwnerType": "company",
                "operatingSystem": "Android",
                "osVersion": "16",
                "androidSecurityPatchLevel": patch,
                "isEncrypted": true,
                "jailBroken": "False",
                "managementAgent": "mdm",
                "lastSyncDateTime": "2026-11-20T08:00:00Z",
                "serialNumber": format!("R58N0000{i:04}"),
                "model": "SM-X200",
            })
        })
        .collect();
    serde_json::json!({ "value": value }).to_string()
}

/// `scan --format json --as-of 2026-11-23 --reveal-identities` over `files`.
fn scan(files: &[&Path]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .args(["scan", "--format", "json", "--as-of", "2026-11-23"])
        .arg("--reveal-identities")
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

/// DEV-01's result for the device named `name`.
fn dev01<'a>(report: &'a Value, name: &str) -> &'a Value {
    let t = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"]["name"] == name)
        .unwrap_or_else(|| panic!("no device {name}"));
    t["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with("DEV-01"))
        .unwrap()
}

/// DEV-01's evidence item about the newest known level.
fn newest_level(r: &Value) -> &Value {
    r["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "os_support")
        .unwrap_or_else(|| panic!("no newest-level evidence in {r}"))
}

fn notices(report: &Value, lang: &str) -> String {
    report["notices"]
        .as_array()
        .map(|n| {
            n.iter()
                .map(|t| t[lang].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .unwrap_or_default()
}

#[test]
fn a_level_in_a_later_export_is_the_floor_for_devices_judged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    // The device with the newest level is in the export read last: only a
    // survey before streaming lets it be the floor for the first export's devices.
    let first = dir.path().join("a-intune.json");
    std::fs::write(&first, intune_page(&[("STATION-1", "2026-10-01")])).unwrap();
    let second = dir.path().join("b-intune.json");
    std::fs::write(
        &second,
        intune_page(&[("STATION-2", "2026-11-01"), ("BOGUS-3", "2099-01-01")]),
    )
    .unwrap();
    let report = scan(&[&first, &second]);

    // Behind the floor but within the allowed age: passes, and the evidence
    // names the newest known level and that the fleet gave it.
    let r = dev01(&report, "STATION-1");
    assert_eq!(r["outcome"], "pass", "{r}");
    let e = newest_level(r);
    assert!(
        e["value"]
            .as_str()
            .unwrap()
            .contains("newest known security patch level 2026-11-01, reported by a device of this fleet (newer than the level in the OS support data)"),
        "{e}"
    );
    assert!(
        e["value_de"]
            .as_str()
            .unwrap()
            .contains("neuester bekannter Sicherheitspatch-Stand 2026-11-01, von einem Gerät dieser Flotte gemeldet"),
        "{e}"
    );
    assert_eq!(e["location_de"], "Geräte dieses Prüflaufs");

    // The 2099 level is no evidence: not the floor, the device stays open.
    let bogus = dev01(&report, "BOGUS-3");
    assert_eq!(bogus["outcome"], "manual", "{bogus}");
    let said = bogus["evidence"][0]["value"].as_str().unwrap();
    assert!(
        said.contains("2099-01-01") && said.contains("is after the audit date 2026-11-23"),
        "{bogus}"
    );
    let said_de = bogus["evidence"][0]["value_de"].as_str().unwrap();
    assert!(
        said_de.contains("liegt nach dem Prüfdatum 2026-11-23"),
        "{bogus}"
    );
    let os = &report["fleet"]["os_data"];
    assert_eq!(os["fleet_android_patch_level"], "2026-11-01", "{os}");
    assert_eq!(os["android_patch_levels_after_audit_date"], 1, "{os}");
    let (en, de) = (notices(&report, "en"), notices(&report, "de"));
    assert!(en.contains("1 Android device in the fleet reports a security patch level after the audit date 2026-11-23"), "{en}");
    assert!(de.contains("1 Android-Gerät der Flotte meldet einen Sicherheitspatch-Stand nach dem Prüfdatum 2026-11-23"), "{de}");
    assert!(!en.contains("2099") && !de.contains("2099"), "{en}");
}

#[test]
fn a_single_export_is_surveyed_too() {
    let dir = tempfile::tempdir().unwrap();
    let only = dir.path().join("intune.json");
    // The newest level comes last in the export.
    std::fs::write(
        &only,
        intune_page(&[("STATION-1", "2026-09-05"), ("STATION-2", "2026-11-05")]),
    )
    .unwrap();
    let report = scan(&[&only]);
    let e = newest_level(dev01(&report, "STATION-1"));
    assert!(e["value"].as_str().unwrap().contains("2026-11-05"), "{e}");
    assert_eq!(e["location"], "devices of this scan");
    assert_eq!(
        report["fleet"]["os_data"]["fleet_android_patch_level"],
        "2026-11-05"
    );
    assert!(report["fleet"]["os_data"]
        .get("android_patch_levels_after_audit_date")
        .is_none());
}

#[test]
fn the_data_stays_the_floor_when_the_fleet_is_older() {
    let dir = tempfile::tempdir().unwrap();
    let only = dir.path().join("intune.json");
    std::fs::write(&only, intune_page(&[("STATION-1", "2026-05-01")])).unwrap();
    let report = scan(&[&only]);
    let r = dev01(&report, "STATION-1");
    // 206 days old: fails on its age, and says what the newest known level is.
    assert_eq!(r["outcome"], "fail", "{r}");
    let e = newest_level(r);
    assert_eq!(
        e["value"], "newest known security patch level 2026-06-05",
        "{e}"
    );
    assert_eq!(e["location"], "OS support data confirmed 2026-06-16", "{e}");
    assert_eq!(
        e["location_de"], "Daten zur OS-Unterstützung mit Stand 2026-06-16",
        "{e}"
    );
    assert!(report["fleet"]["os_data"]
        .get("fleet_android_patch_level")
        .is_none());
}

/// A single export's devices are assessed while it is read, a batch of
/// 1,024 devices at a time, each with the floor of the devices read so far.
/// When a device after the first batch reports a newer level, the Android
/// devices already assessed are judged again with it: every device names
/// the same newest known level, each is counted once (with the messengers
/// it carries), devices alike keep their order in the export, and the
/// export's file is named with its hash and size. Only the first few
/// thousand Android devices are kept for that: when the floor moves after
/// them (13,000 Android devices of 20,000 before it), the export is read
/// again, with the same report.
#[test]
fn a_newer_level_after_the_first_batch_is_the_floor_for_every_device() {
    let dir = tempfile::tempdir().unwrap();
    for (count, late, label) in [
        (1500, 1399, "after the first batch"),
        (1500, 10, "in the first batch"),
        (20_000, 19_990, "after the Android devices kept"),
    ] {
        let devices: Vec<(String, &str)> = (0..count)
            .map(|i| {
                let level = if i == late {
                    "2026-11-05"
                } else {
                    "2026-09-05"
                };
                (format!("STATION-{i}"), level)
            })
            .collect();
        let refs: Vec<(&str, &str)> = devices.iter().map(|(n, l)| (n.as_str(), *l)).collect();
        let only = dir.path().join(format!("intune-{late}.json"));
        // One device of the first batch carries a messenger.
        let mut page: Value = serde_json::from_str(&intune_page(&refs)).unwrap();
        page["value"][3]["detectedApps"] = serde_json::json!([
            { "displayName": "WhatsApp Messenger", "version": "2.25.1", "publisher": "WhatsApp LLC" }
        ]);
        // Every third device (not the one with the newest level) is an
        // iPhone: its results do not depend on the floor.
        for i in (2..count).step_by(3) {
            let d = page["value"][i].as_object_mut().unwrap();
            d.insert("operatingSystem".into(), "iOS".into());
            d.insert("osVersion".into(), "18.7.9".into());
            d.insert("model".into(), "iPhone 15".into());
            d.remove("androidSecurityPatchLevel");
        }
        let page = page.to_string();
        std::fs::write(&only, &page).unwrap();
        let report = scan(&[&only]);

        let targets = report["targets"].as_array().unwrap();
        assert_eq!(targets.len(), count, "newest level {label}");
        let mut names: Vec<&str> = targets
            .iter()
            .map(|t| t["target"]["name"].as_str().unwrap())
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            count,
            "every device once, newest level {label}"
        );
        // Devices that sort alike (verdict, failed checks, score) are in the
        // order of their records.
        let key = |t: &Value| {
            let failed = t["results"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["outcome"] == "fail")
                .count();
            (t["verdict"].to_string(), failed, t["score"].to_string())
        };
        let record = |t: &Value| -> u64 {
            let source = t["target"]["source"].as_str().unwrap();
            source.rsplit(' ').next().unwrap().parse().unwrap()
        };
        let mut alike = 0;
        for pair in targets.windows(2) {
            if key(&pair[0]) == key(&pair[1]) {
                alike += 1;
                assert!(
                    record(&pair[0]) < record(&pair[1]),
                    "newest level {label}: {} before {}",
                    pair[0]["target"]["source"],
                    pair[1]["target"]["source"]
                );
            }
        }
        assert!(alike > count - 100, "{alike}");
        let last = format!("STATION-{}", count - 2);
        for name in ["STATION-0", "STATION-1023", "STATION-1024", &last] {
            let e = newest_level(dev01(&report, name));
            assert!(
                e["value"].as_str().unwrap().contains("2026-11-05"),
                "{name}, newest level {label}: {e}"
            );
        }
        let inventory = &report["fleet"]["inventories"][0];
        assert_eq!(inventory["devices"], count, "{inventory}");
        let messengers = &report["fleet"]["messengers"];
        assert_eq!(messengers[0]["id"], "whatsapp", "{messengers}");
        assert_eq!(
            messengers[0]["devices"], 1,
            "newest level {label}: {messengers}"
        );
        let sha = hex::encode(sha2::Sha256::digest(page.as_bytes()));
        assert_eq!(inventory["file"]["sha256"], sha.as_str(), "{inventory}");
        assert_eq!(inventory["file"]["size"], page.len(), "{inventory}");
        assert_eq!(
            report["fleet"]["os_data"]["fleet_android_patch_level"],
            "2026-11-05"
        );
    }
}
