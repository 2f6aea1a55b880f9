//! Inputs whose fault a report must name: a JSON export nested too deep or
//! holding a number out of range, a CSV with old-Mac line ends (lone CR), and
//! a CSV cut inside its header; and the summary of files a folder scan
//! skipped, which says why each counts.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

const HEADER: &str = "Device ID,Device name,OS,OS version,Security patch level,Encrypted,Jailbroken,Supervised,Compliance,Managed by,Ownership,Last check-in,Primary user UPN,Serial number,Model";
const GOOD: &str = "aaaa-0,WARD-PHONE,iOS,26.5,,True,False,True,Compliant,Intune,Corporate,2026-12-01 10:00:00,ward@klinik.invalid,SER0,iPhone 15";
const JAILBROKEN: &str = "aaaa-1,JB-PHONE,iOS,26.5,,True,True,True,Compliant,Intune,Corporate,2026-12-01 10:00:00,jb@klinik.invalid,SER1,iPhone 15";

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

#[test]
fn lone_cr_line_ends_count_as_lines_in_the_evidence() {
    // Lone CR (old Mac) line ends count as lines; a CR LF pair is one.
    for (name, end) in [("old-mac.csv", "\r"), ("windows.csv", "\r\n")] {
        let path = write(name, &format!("{HEADER}{end}{GOOD}{end}{JAILBROKEN}{end}"));
        let (_, report) = scan(&path, "en");
        let mut sources: Vec<String> = common::device_targets(&report)
            .iter()
            .map(|t| t["target"]["source"].as_str().unwrap().to_string())
            .collect();
        sources.sort();
        assert_eq!(
            sources,
            ["intune-csv line 2", "intune-csv line 3"],
            "{name}: {report}"
        );
    }
}

#[test]
fn a_csv_cut_inside_its_header_is_unreadable() {
    // The file ends inside a quoted header field: the header is cut, so
    // whatever columns it would have named are unknown.
    for (name, text) in [
        (
            "open-quote.csv",
            "Device ID,Device name,OS,OS version,\"Security patch",
        ),
        (
            "open-quote-lf.csv",
            "Device ID,Device name,OS,OS version,\"Security patch\nlevel,",
        ),
    ] {
        let path = write(name, text);
        let (code, report) = scan(&path, "de");
        assert_eq!(code, 4, "{name}: {report}");
        let (en, de) = error(&report);
        assert!(en.contains("header"), "{name}: {en}");
        assert!(de.contains("Kopfzeile"), "{name}: {de}");
    }
}

#[test]
fn the_skipped_files_summary_counts_a_pipe_once_and_not_as_an_unknown_file() {
    let csv = common::write_temp(
        "skipped-summary",
        "devices.csv",
        &format!("{HEADER}\n{GOOD}\n"),
    );
    let folder = csv.parent().unwrap().to_path_buf();
    std::fs::write(folder.join("notes.txt"), "nothing to scan here\n").unwrap();
    let fifo = folder.join("fifo-export");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    for (lang, summary) in [
        ("en", "msgaudit: 2 other files skipped: 1 not an app, inventory export or facts document, 1 for another reason"),
        ("de", "msgaudit: 2 andere Dateien übersprungen: 1 weder App noch Inventarexport noch Fakten-Dokument, 1 aus einem anderen Grund"),
    ] {
        let out = run_msgaudit([
            "scan".as_ref(),
            "-v".as_ref(),
            folder.as_os_str(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.matches("fifo-export").count(), 1, "{lang}: {stderr}");
        assert!(stderr.lines().any(|l| l == summary), "{lang}: {stderr}");
    }
    // The report says the same split, in every format that lists the files
    // (before: "2 other files skipped (neither an app, an inventory export
    // nor a facts document)", one reason for both).
    for (lang, split) in [
        ("en", "2 other files skipped: 1 not an app, inventory export or facts document, 1 for another reason (-v lists them)"),
        ("de", "2 weitere Dateien übersprungen: 1 weder App noch Inventarexport noch Fakten-Dokument, 1 aus einem anderen Grund (mit -v aufgelistet)"),
    ] {
        for format in ["md", "html", "table"] {
            let out = run_msgaudit([
                "scan".as_ref(),
                folder.as_os_str(),
                "--lang".as_ref(),
                lang.as_ref(),
                "--format".as_ref(),
                format.as_ref(),
            ]);
            let text = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(split), "{lang} {format}: {text}");
        }
    }
}
