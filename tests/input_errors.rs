//! Inputs whose fault a report must name: a JSON export nested too deep or
//! holding a number out of range.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

fn write(name: &str, text: &str) -> PathBuf {
    common::write_temp("input-errors", name, text)
}

/// The JSON report of a scan of `path` in `lang`, with its exit code.
fn scan(path: &Path, lang: &str) -> (i32, Value) {
    let out = run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--lang".as_ref(),
        lang.as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
    ]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

/// The error of the report's one (unreadable) target, English and German.
fn error(report: &Value) -> (String, String) {
    let t = &report["targets"][0];
    (
        t["error"].as_str().unwrap_or_default().to_string(),
        t["error_de"].as_str().unwrap_or_default().to_string(),
    )
}

const INTUNE_RECORD: &str = r#"{"id":"a","deviceName":"x","operatingSystem":"iOS","osVersion":"17.1","complianceState":"compliant""#;

#[test]
fn json_nested_too_deep_says_so_in_both_languages() {
    let deep = format!(
        r#"{{"value":[{INTUNE_RECORD},"x":{}{}}}]}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let path = write("deep.json", &deep);
    let (code, report) = scan(&path, "en");
    assert_eq!(code, 4, "{report}");
    let (en, de) = error(&report);
    assert!(en.contains("nested deeper than 128 levels"), "{en}");
    assert!(!en.contains("syntax error"), "{en}");
    assert!(de.contains("tiefer als 128 Ebenen verschachtelt"), "{de}");
    assert!(!de.contains("Syntaxfehler"), "{de}");
}

#[test]
fn json_number_out_of_range_says_so_in_both_languages() {
    let path = write(
        "huge-number.json",
        &format!(r#"{{"value":[{INTUNE_RECORD},"x":1e999}}]}}"#),
    );
    let (code, report) = scan(&path, "de");
    assert_eq!(code, 4, "{report}");
    let (en, de) = error(&report);
    assert!(en.contains("number out of range"), "{en}");
    assert!(!en.contains("syntax error"), "{en}");
    assert!(
        de.contains("Zahl außerhalb des darstellbaren Bereichs"),
        "{de}"
    );
    assert!(!de.contains("Syntaxfehler"), "{de}");
}
