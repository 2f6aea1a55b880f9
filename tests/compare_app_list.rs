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
    let options = [
        "--format",
        "json",
        "--as-of",
        "2026-12-05",
        "--fail-on",
        "never",
    ];
    let out = common::run_msgaudit(["scan"].iter().chain(&options).chain([&app.as_str()]));
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let mut report: serde_json::Value = common::json(&out.stdout).expect("JSON report");
    if let Some(schema) = schema {
        report["schema_version"] = schema.into();
    }
    common::write_temp("compare-app-list", name, &report.to_string())
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
