//! An export that lists no device: a header without rows, an empty record
//! list. Nothing of its fleet is assessed, so the report says so for the
//! export, the fleet table does not read "0 %" as if every device failed,
//! and a scan that assessed nothing at all does not exit 0 ("every target
//! compliant").

mod common;

use std::path::Path;

use common::run_msgaudit;
use serde_json::Value;

const HEADER: &str = "Device ID,Device name,OS,OS version,Security patch level,Encrypted,Jailbroken,Supervised,Compliance,Managed by,Ownership,Last check-in,Primary user UPN,Serial number,Model";
const JAILBROKEN: &str = "aaaa-1,JB-PHONE,iOS,26.5,,True,True,True,Compliant,Intune,Corporate,2026-12-01 10:00:00,jb@klinik.invalid,SER1,iPhone 15";

const NOTE_EN: &str = "the export lists no device: nothing of the fleet it stands for was assessed";
const NOTE_DE: &str =
    "Der Export enthält kein Gerät: Von der Flotte, für die er steht, wurde nichts geprüft";

/// Runs `scan` on `paths` with `args`; the exit code and standard output.
fn scan(paths: &[&Path], args: &[&str]) -> (i32, String) {
    let mut all: Vec<&std::ffi::OsStr> = paths.iter().map(|p| p.as_os_str()).collect();
    all.insert(0, "scan".as_ref());
    all.extend(["--as-of", "2026-12-05"].map(std::ffi::OsStr::new));
    all.extend(args.iter().map(std::ffi::OsStr::new));
    let out = run_msgaudit(all);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn an_export_of_no_device_says_so_and_does_not_exit_as_compliant() {
    // A header row ending with a line end, and one cut before it.
    for (name, text) in [
        ("header-only.csv", format!("{HEADER}\r\n")),
        ("header-cut.csv", HEADER.to_string()),
        (
            "empty-page.json",
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[]}"#
                .to_string(),
        ),
    ] {
        let path = common::write_temp("empty-export", name, &text);
        let (code, json) = scan(&[&path], &["--format", "json"]);
        assert_eq!(code, 3, "{name}: nothing assessed is undecided: {json}");
        let report: Value = serde_json::from_str(&json).unwrap();
        let export = &report["fleet"]["inventories"][0];
        assert_eq!(export["devices"], 0, "{name}");
        let warnings = export["warnings"].to_string();
        assert!(warnings.contains(NOTE_EN), "{name}: {warnings}");
        assert!(warnings.contains(NOTE_DE), "{name}: {warnings}");

        // The same in the German table, and no "0 %" share for checks that
        // applied to no device.
        let (code, table) = scan(&[&path], &["--lang", "de"]);
        assert_eq!(code, 3, "{name}");
        let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(NOTE_DE), "{name}: {table}");
        assert!(!table.contains("0 %"), "{name}: {table}");
        assert!(table.contains("bewertet"), "{name}: {table}");

        // `--fail-on not-compliant` counts only failures, as for incomplete.
        let (code, _) = scan(&[&path], &["--fail-on", "not-compliant"]);
        assert_eq!(code, 0, "{name}");
    }
}

#[test]
fn an_empty_export_beside_a_full_one_keeps_the_full_ones_verdicts() {
    let empty = common::write_temp("empty-export", "beside-empty.csv", &format!("{HEADER}\n"));
    let full = common::write_temp(
        "empty-export",
        "beside-full.csv",
        &format!("{HEADER}\n{JAILBROKEN}\n"),
    );
    let (code, json) = scan(&[&empty, &full], &["--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["fleet"]["devices"], 1, "{json}");
    // The full export's jailbroken device decides the exit code.
    assert_eq!(report["fleet"]["not_compliant"], 1, "{json}");
    assert_eq!(code, 1, "{json}");
    let inventories = report["fleet"]["inventories"].as_array().unwrap();
    let noted = |path: &Path| {
        inventories
            .iter()
            .find(|i| i["file"]["path"].as_str() == path.to_str())
            .map(|i| i["warnings"].to_string().contains(NOTE_EN))
    };
    assert_eq!(noted(&empty), Some(true), "{json}");
    assert_eq!(noted(&full), Some(false), "{json}");
    // Where the fleet has devices, the share is a number again.
    let (_, table) = scan(&[&empty, &full], &["--lang", "de"]);
    assert!(table.contains(" %"), "{table}");
}

#[test]
fn a_device_that_answered_an_error_is_explained_once() {
    // The skipped response already says why no device is listed: no second
    // note, and nothing assessed is still undecided.
    let plist = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
<key>CommandUUID</key><string>00000000-1111-2222-3333-444455556666</string>
<key>Status</key><string>Error</string>
<key>UDID</key><string>00000000-1111-2222-3333-444455556666</string>
</dict></plist>"#;
    let path = common::write_temp("empty-export", "error-response.plist", plist);
    let (code, json) = scan(&[&path], &["--format", "json"]);
    assert_eq!(code, 3, "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let warnings = report["fleet"]["inventories"][0]["warnings"].to_string();
    assert!(warnings.contains("Status = Error"), "{warnings}");
    assert!(!warnings.contains(NOTE_EN), "{warnings}");
}
