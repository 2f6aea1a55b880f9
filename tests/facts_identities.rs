//! A report on an inventory's facts document says that identifiers are
//! pseudonymized only when the document says so: one made with
//! `--reveal-identities` holds names in clear, and its report must not tell
//! a data protection officer otherwise.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

const EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-apps/inventories/intune-graph-managedDevices.json"
);

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("msgaudit-facts-ids-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The facts document of the sample export, with `extra` arguments.
fn facts(name: &str, extra: &[&str]) -> (PathBuf, Value) {
    let path = dir().join(name);
    let mut args = vec!["facts", EXPORT, "-o", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = run_msgaudit(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, doc)
}

fn scan(path: &Path, format: &str) -> String {
    let out = run_msgaudit([
        "scan",
        path.to_str().unwrap(),
        "--format",
        format,
        "--as-of",
        "2026-12-05",
    ]);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_document_with_identities_revealed_is_reported_as_in_clear() {
    let (path, doc) = facts("revealed.json", &["--reveal-identities"]);
    assert_eq!(doc["pseudonymized"], false);
    let report: Value = serde_json::from_str(&scan(&path, "json")).unwrap();
    assert_eq!(report["fleet"]["pseudonymized"], false);
    let md = scan(&path, "md");
    assert!(
        md.contains("Personal identifiers are shown in clear."),
        "{md}"
    );
    assert!(!md.contains("are pseudonymized."), "{md}");
}

#[test]
fn a_pseudonymized_document_is_reported_as_pseudonymized() {
    let (path, doc) = facts("pseudonymized.json", &[]);
    assert_eq!(doc["pseudonymized"], true);
    let report: Value = serde_json::from_str(&scan(&path, "json")).unwrap();
    assert_eq!(report["fleet"]["pseudonymized"], true);
}

#[test]
fn a_document_that_does_not_say_is_not_claimed_to_be_pseudonymized() {
    // A document of an earlier version has no `pseudonymized`.
    let (_, mut doc) = facts("old.json", &[]);
    doc.as_object_mut().unwrap().remove("pseudonymized");
    let path = dir().join("old-without-field.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&doc).unwrap()).unwrap();
    let report: Value = serde_json::from_str(&scan(&path, "json")).unwrap();
    assert_eq!(report["fleet"]["pseudonymized"], false);
}
