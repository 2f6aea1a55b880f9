//! `msgaudit facts` on folders: searched as by `scan`, the same files read
//! and the same files skipped, and a folder with nothing to read is an
//! error (exit 4), as in `scan`.

mod common;

use std::path::Path;

use serde_json::Value;

/// The lines `-v` prints for skipped files, sorted.
fn skipped_lines(stderr: &[u8]) -> Vec<String> {
    let mut lines: Vec<String> = String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.starts_with("msgaudit: skipped "))
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

#[test]
fn facts_of_a_folder_reads_and_skips_the_files_scan_does() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps");
    let facts = common::run_msgaudit(["facts".as_ref(), "-v".as_ref(), dir.as_os_str()]);
    let stderr = String::from_utf8_lossy(&facts.stderr);
    assert_eq!(facts.status.code(), Some(0), "{stderr}");
    let docs: Value = serde_json::from_slice(&facts.stdout).expect("a JSON array");
    let files: Vec<String> = docs
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|d| d["file"]["path"].as_str().map(str::to_string))
        .collect();
    let scan = common::run_msgaudit([
        "scan".as_ref(),
        "-v".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
        dir.as_os_str(),
    ]);
    let report: Value = common::json(&scan.stdout).expect("the JSON report");
    // Every app scan assessed and every export it read has its document.
    let mut scanned: Vec<String> = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .filter(|t| t["target"]["kind"] != "device")
        .filter_map(|t| t["target"]["file"]["path"].as_str().map(str::to_string))
        .chain(
            report["fleet"]["inventories"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|i| i["file"]["path"].as_str().map(str::to_string)),
        )
        .collect();
    scanned.sort();
    let mut written = files.clone();
    written.sort();
    assert_eq!(written, scanned, "the same apps and exports as scan");
    // An app's Info.plist is no device export: skipped, never a document.
    assert!(
        !files.iter().any(|f| f.ends_with("-Info.plist")),
        "{files:?}"
    );
    assert!(stderr.contains("SecureChat-Info.plist"), "{stderr}");
    let skipped = skipped_lines(&facts.stderr);
    assert!(skipped.len() > 10, "sample-apps holds sources: {stderr}");
    assert_eq!(
        skipped,
        skipped_lines(&scan.stderr),
        "the same files skipped, for the same reasons"
    );
}

#[test]
fn facts_of_a_folder_with_nothing_to_read_is_an_error_in_english_and_german() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not an input\n").unwrap();
    // `facts` reads no facts documents, and does not say it looked for one.
    for (lang, said, skipped) in [
        (
            "en",
            format!(
                "msgaudit: no app or inventory export found in the folder {} (1 other file skipped; -v lists it)",
                dir.path().display()
            ),
            "msgaudit: 1 other file skipped: not an app or inventory export (-v lists it)",
        ),
        (
            "de",
            format!(
                "msgaudit: Im Ordner {} wurde keine App und kein Inventarexport gefunden (1 andere Datei übersprungen; -v listet sie auf)",
                dir.path().display()
            ),
            "msgaudit: 1 andere Datei übersprungen: weder App noch Inventarexport (-v listet sie auf)",
        ),
    ] {
        let out = common::run_msgaudit([
            "facts".as_ref(),
            "--lang".as_ref(),
            lang.as_ref(),
            dir.path().as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{lang}: {stderr}");
        assert!(out.stdout.is_empty(), "{lang}: no document");
        assert!(stderr.lines().any(|l| l == said), "{lang}: {stderr}");
        assert!(stderr.lines().any(|l| l == skipped), "{lang}: {stderr}");
    }
}
