//! Report schema 2.0 (docs/report.md, *Catalog*): saved reports of schema 1.x
//! and 2.0 give `diff` and `compare` the same result, and a fleet report stays
//! within its size budget of 1 KB per device.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use msgaudit::assess::Assessment;
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports-1.4")
        .join(name)
}

/// Writes the 1.4 fixture `name` as a report of the current schema into `dir`.
fn as_2_0(name: &str, dir: &Path) -> PathBuf {
    let old: Assessment = serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap();
    assert_eq!(old.schema_version, "1.4", "the fixture predates 2.0");
    let text = msgaudit::report::json::render(&old).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert!(
        doc["catalog"]["checks"].is_object(),
        "a 2.0 report has a catalog"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn stdout(args: &[&std::ffi::OsStr]) -> (Option<i32>, String) {
    let out = run_msgaudit(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn diff_and_compare_read_1_4_and_2_0_reports_alike() {
    let dir = tempfile::tempdir().unwrap();
    let (old14, new14) = (
        fixture("securechat-1.0.json"),
        fixture("securechat-1.1.json"),
    );
    let old20 = as_2_0("securechat-1.0.json", dir.path());
    let new20 = as_2_0("securechat-1.1.json", dir.path());
    for format in ["json", "table", "csv"] {
        let run = |old: &Path, new: &Path, cmd: &str| {
            stdout(&[
                cmd.as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format".as_ref(),
                format.as_ref(),
            ])
        };
        let diff14 = run(&old14, &new14, "diff");
        let diff20 = run(&old20, &new20, "diff");
        assert_eq!(diff14.0, Some(1), "a regression between the versions");
        assert_eq!(diff14, diff20, "diff --format {format}");
        let compare14 = run(&old14, &new14, "compare");
        let compare20 = run(&old20, &new20, "compare");
        assert_eq!(compare14.0, Some(0));
        assert_eq!(compare14, compare20, "compare --format {format}");
        if format == "json" {
            let d: Value = serde_json::from_str(&diff20.1).unwrap();
            assert_eq!(
                d["outcomes_only"], false,
                "the 2.0 report carries its facts"
            );
            assert!(d["changes"].to_string().contains("sdk_added"));
        }
    }
}

#[test]
fn a_fleet_report_reads_back_the_same_in_either_schema() {
    let dir = tempfile::tempdir().unwrap();
    let old: Assessment =
        serde_json::from_slice(&std::fs::read(fixture("fleet.json")).unwrap()).unwrap();
    let mut new: Assessment =
        serde_json::from_slice(&std::fs::read(as_2_0("fleet.json", dir.path())).unwrap()).unwrap();
    assert_eq!(new.schema_version, "2.6");
    assert!(old.devices.len() >= 6 && !old.targets.is_empty());
    new.schema_version = old.schema_version.clone();
    assert_eq!(new, old);
}

/// A synthetic Intune Graph export of `n` devices (invented values; the
/// shape of `benches/inventory.sh`).
fn intune_export(n: usize) -> String {
    let devices: Vec<Value> = (0..n)
        .map(|i| {
            let android = i % 2 == 0;
            serde_json::json!({
                "id": format!("00000000-0000-4000-8000-{i:012}"),
                "deviceName": format!("TEST-DEVICE-{i:06}"),
                "userPrincipalName": format!("user{}@test.invalid", i % 50),
                "managedDeviceOwnerType": if i % 3 == 0 { "personal" } else { "company" },
                "operatingSystem": if android { "Android" } else { "iOS" },
                "osVersion": if android { ["12", "13", "14", "15"][i % 4] } else { ["16.7.16", "17.6.1", "18.7.9", "26.2.1"][i % 4] },
                "androidSecurityPatchLevel": if android { format!("2026-{:02}-01", 1 + i % 11) } else { String::new() },
                "isEncrypted": i % 20 != 0,
                "jailBroken": (["False", "False", "True", "Unknown"][i % 4]),
                "complianceState": "compliant",
                "managementAgent": if i % 5 == 0 { "eas" } else { "mdm" },
                "lastSyncDateTime": format!("2026-{:02}-{:02}T08:00:00Z", 6 + i % 6, 1 + i % 22),
                "serialNumber": format!("SN{i:010}"),
                "model": if android { "SM-A556B" } else { "iPhone 15" },
                "manufacturer": if android { "samsung" } else { "Apple" },
            })
        })
        .collect();
    serde_json::json!({"value": devices}).to_string()
}

#[test]
fn a_fleet_report_takes_at_most_1_kb_per_device() {
    let dir = tempfile::tempdir().unwrap();
    let n = 2000;
    let export = dir.path().join("intune.json");
    std::fs::write(&export, intune_export(n)).unwrap();
    let report = dir.path().join("report.json");
    let out = run_msgaudit([
        "scan".as_ref(),
        export.as_os_str(),
        "--as-of".as_ref(),
        "2026-11-23".as_ref(),
        "--fail-on".as_ref(),
        "never".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        report.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&report).unwrap();
    let per_device = bytes.len() / n;
    assert!(per_device <= 1024, "{per_device} bytes per device");
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(doc["schema_version"], "2.6");
    assert_eq!(doc["targets"].as_array().map(Vec::len), Some(n));
    // Complete: read back, every device's results have their texts again.
    let a: Assessment = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(a.devices.len(), n);
    let worst = a.devices.get(0).unwrap();
    assert!(worst.results.iter().all(|r| !r.title.en.is_empty()
        && !r.title.de.is_empty()
        && !r.message.en.is_empty()
        && r.evidence.iter().all(|e| !e.kind.is_empty())));
    let dev01 = worst
        .results
        .iter()
        .find(|r| r.check.starts_with("DEV-01"))
        .unwrap();
    assert!(
        dev01.evidence.iter().any(|e| e
            .location
            .as_deref()
            .is_some_and(|l| l.starts_with("record "))
            && e.location_de
                .as_deref()
                .is_some_and(|l| l.starts_with("Datensatz "))),
        "{dev01:?}"
    );
}

/// `path`'s report written again as schema `version` (2.1 only added a
/// target kind, 2.2 the top-level `inputs`, which a report of apps
/// without further inputs does not have, 2.3 fleet counts by export
/// format, which a report without devices does not have, 2.4
/// `targets[].unused_app_list`, which a report without installed-app lists
/// does not have, 2.5 a certificate's `unchecked`, two app warnings and
/// conflicts of installed messengers, which these iOS apps do not have,
/// and 2.6 a catalog entry's `level_unconfirmed`, which `dsk-must` checks
/// do not have: a 2.0 to 2.5 report is the same bytes with its older
/// version).
fn with_version(path: &Path, version: &str) -> PathBuf {
    let text = std::fs::read_to_string(path).unwrap();
    let current = "\"schema_version\": \"2.6\"";
    assert!(text.contains(current), "written as 2.6");
    assert!(!text.contains("\"inputs\""), "no further inputs");
    let out = path.with_extension(format!("{version}.json"));
    let older = format!("\"schema_version\": \"{version}\"");
    std::fs::write(&out, text.replacen(current, &older, 1)).unwrap();
    out
}

#[test]
fn diff_and_compare_read_2_0_to_2_5_reports_and_the_unknown_kind() {
    let dir = tempfile::tempdir().unwrap();
    let old23 = as_2_0("securechat-1.0.json", dir.path());
    let new23 = as_2_0("securechat-1.1.json", dir.path());
    for cmd in ["diff", "compare"] {
        let run = |old: &Path, new: &Path| {
            stdout(&[
                cmd.as_ref(),
                old.as_os_str(),
                new.as_os_str(),
                "--format".as_ref(),
                "json".as_ref(),
            ])
        };
        let of23 = run(&old23, &new23);
        assert!(matches!(of23.0, Some(0 | 1)), "{cmd}: {of23:?}");
        for version in ["2.0", "2.1", "2.2", "2.3", "2.4", "2.5"] {
            let (old, new) = (with_version(&old23, version), with_version(&new23, version));
            assert_eq!(run(&old, &new), of23, "{cmd} of {version} reports");
        }
    }
    // A 2.1 report with a target of unknown kind (an unreadable device file)
    // is read: the app in it is compared, the unknown target left out.
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facts/android-base.json");
    let report = dir.path().join("with-unknown.json");
    let out = run_msgaudit([
        "scan".as_ref(),
        app.as_os_str(),
        "/dev/zero".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        report.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(4));
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(doc["targets"][1]["target"]["kind"], "unknown", "{doc}");
    for cmd in ["diff", "compare"] {
        let (code, text) = stdout(&[
            cmd.as_ref(),
            report.as_os_str(),
            report.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ]);
        assert_eq!(code, Some(0), "{cmd}: {text}");
        let json: Value = serde_json::from_str(&text).unwrap();
        assert!(!text.contains("\"unknown\""), "{cmd}: {json}");
    }
}
