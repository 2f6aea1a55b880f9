//! `msgaudit compare` given an installed-app list file beside apps: the list
//! joins no device there (compare reads no device export), so it is told
//! among the inputs that could not be compared, named as the scan report
//! names it („Nicht zugeordnet“ / "Not matched", not „Nicht lesbar“ /
//! "Unreadable"), in both languages and every format that lists such
//! inputs; before, it was passed over without a word and the run exited 0.

mod common;

use std::path::PathBuf;

/// An Apple MDM installed-app list of one device (synthetic UDID).
const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>00008101-00000000000F00FF</string></dict></plist>"#;

/// The list's file name.
const NAME: &str = "stray-apps.plist";

/// A saved JSON report of the sample app `apk` (`scan --format json`),
/// written as `name`, with its schema version replaced by `schema` when given.
fn saved_report(apk: &str, name: &str, schema: Option<&str>) -> PathBuf {
    let app = common::sample(&format!("android/out/{apk}"));
    let mut report = scan_json(&[app.as_str()]);
    if let Some(schema) = schema {
        report["schema_version"] = schema.into();
    }
    common::write_temp("compare-app-list", name, &report.to_string())
}

/// The JSON report of `scan` of `inputs` (whatever the verdicts).
fn scan_json(inputs: &[&str]) -> serde_json::Value {
    let options = [
        "scan",
        "--format",
        "json",
        "--as-of",
        "2026-12-05",
        "--fail-on",
        "never",
    ];
    let out = common::run_msgaudit(options.iter().chain(inputs));
    common::json(&out.stdout).expect("JSON report")
}

/// `compare --format FORMAT --lang LANG` of `inputs`.
fn compare(format: &str, lang: &str, inputs: &[&PathBuf]) -> std::process::Output {
    let mut args = vec![
        "compare".to_string(),
        "--format".into(),
        format.into(),
        "--lang".into(),
        lang.into(),
    ];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    common::run_msgaudit(args)
}

#[test]
fn an_installed_app_list_beside_apps_is_told_not_matched() {
    let report = saved_report("securechat-1.0.apk", "securechat.json", None);
    let app = PathBuf::from(common::sample("android/out/securechat-1.1.apk"));
    let list = common::write_temp("compare-app-list", NAME, LIST);
    for (lang, matched, unreadable) in [
        ("de", "Nicht zugeordnet", "Nicht lesbar"),
        ("en", "Not matched", "Unreadable"),
    ] {
        for (format, line) in [
            ("table", format!("{matched}: {NAME}: ")),
            ("md", format!("- {matched}: {NAME} — ")),
            (
                "html",
                format!("<p class=\"readerror\">{matched}: {NAME} — "),
            ),
        ] {
            let out = compare(format, lang, &[&report, &app, &list]);
            let text = String::from_utf8(out.stdout).expect("UTF-8");
            // An input not used: exit 4, the matrix still written.
            assert_eq!(out.status.code(), Some(4), "{format} {lang}: {text}");
            assert!(text.contains(&line), "{format} {lang}: {text}");
            assert!(
                !text
                    .lines()
                    .any(|l| l.contains(NAME) && l.contains(unreadable)),
                "{format} {lang}: {text}"
            );
            // Why: no device of the run has the list's UDID.
            let why = if lang == "de" {
                "kein Gerät dieses Prüflaufs hat die UDID"
            } else {
                "no device of this scan has UDID"
            };
            assert!(text.contains(why), "{format} {lang}: {text}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                stderr.contains(&format!("{NAME}: ")) && stderr.contains(why),
                "{format} {lang}: {stderr}"
            );
        }
    }
    // JSON keeps the pair [name, reason] (no schema change).
    let out = compare("json", "en", &[&report, &app, &list]);
    let json: serde_json::Value = common::json(&out.stdout).expect("JSON");
    let errors = json["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0][0], NAME);
    assert_eq!(errors[0].as_array().map(Vec::len), Some(2), "{errors:?}");
}

/// A file that cannot be read stays „Nicht lesbar“, and a report written
/// with schema 2.3 (before `unused_app_list`) is still read.
#[test]
fn an_unreadable_input_stays_unreadable_and_schema_2_3_is_read() {
    let old = saved_report("securechat-1.0.apk", "securechat-2.3.json", Some("2.3"));
    let new = saved_report("securechat-1.1.apk", "securechat-1.1.json", None);
    let missing = PathBuf::from("/nonexistent/missing.apk");
    for (lang, unreadable) in [("de", "Nicht lesbar"), ("en", "Unreadable")] {
        let out = compare("table", lang, &[&old, &new, &missing]);
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert_eq!(out.status.code(), Some(4), "{lang}: {text}");
        assert!(
            text.contains(&format!("{unreadable}: missing.apk: ")),
            "{lang}: {text}"
        );
        assert!(text.contains("SecureChat"), "{lang}: {text}");
    }
}

/// A report of a scan given an app and an installed-app list that matched no
/// device has a `fleet` that counts no devices: `compare` and `diff` read it
/// for its app (before, both refused it, exit 2, saying it held devices of
/// an inventory export), and `compare` names its list „Nicht zugeordnet“.
/// A report with devices is still refused.
#[test]
fn a_saved_report_whose_fleet_has_no_devices_is_read_for_its_apps() {
    let old = common::sample("android/out/securechat-1.0.apk");
    let list = common::write_temp("compare-fleet-without-devices", NAME, LIST);
    let list_arg = list.display().to_string();
    let report = scan_json(&[old.as_str(), list_arg.as_str()]);
    assert_eq!(report["fleet"]["devices"], 0, "{report}");
    let saved = common::write_temp(
        "compare-fleet-without-devices",
        "app-and-list.json",
        &report.to_string(),
    );
    let app = PathBuf::from(common::sample("android/out/securechat-1.1.apk"));
    for (lang, matched, refused) in [
        (
            "de",
            "Nicht zugeordnet",
            "enthält Geräte aus einem Inventarexport",
        ),
        (
            "en",
            "Not matched",
            "holds devices from an inventory export",
        ),
    ] {
        let out = compare("table", lang, &[&saved, &app]);
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{lang}: {text}{stderr}");
        assert!(!stderr.contains(refused), "{lang}: {stderr}");
        assert!(text.contains("SecureChat 1.0"), "{lang}: {text}");
        assert!(
            text.contains(&format!("{matched}: {NAME}: ")),
            "{lang}: {text}"
        );
        let out = common::run_msgaudit([
            "diff",
            "--lang",
            lang,
            &saved.display().to_string(),
            &app.display().to_string(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(2), "{lang}: {stderr}");
        assert!(!stderr.contains(refused), "{lang}: {stderr}");
    }
    // A report with devices is refused as before.
    let export = common::sample("inventories/intune-graph-managedDevices.json");
    let fleet = common::write_temp(
        "compare-fleet-without-devices",
        "fleet.json",
        &scan_json(&[export.as_str()]).to_string(),
    );
    let out = compare("table", "en", &[&fleet, &app]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds devices from an inventory export"));
}
