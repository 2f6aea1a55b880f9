//! Reading saved JSON reports as a stream (src/assess/saved.rs): the same
//! assessment as parsing the report whole, facts spilled under a small
//! budget, clear errors for damaged or oversize reports, and JSON files that
//! are not reports passed over.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::assess::saved::{
    self, SavedError, CATALOG_BYTES, FACTS_BYTES, FACTS_DECODED, TARGET_BYTES,
};
use msgaudit::assess::{Assessment, FactsKeeper, KeptFacts, FACTS_IN_MEMORY};
use serde_json::{json, Value};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/reports-1.4")
        .join(name)
}

/// The report at `path` read whole (the former path: one `Value`, catalog
/// expanded on the tree).
fn whole(path: &Path) -> Assessment {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The report at `path` read as a stream, facts kept within `budget`.
fn streamed(path: &Path, budget: usize) -> Assessment {
    let report = saved::open(path).unwrap().expect("a saved report");
    report.assessment(&FactsKeeper::new(budget)).unwrap()
}

/// Writes `a` as a 2.0 report (catalog after the targets) to `dir/name`.
fn write_2_0(a: &Assessment, dir: &Path, name: &str) -> PathBuf {
    let text = msgaudit::report::json::render(a).unwrap();
    let (targets, catalog) = (text.find("\"targets\"").unwrap(), text.find("\"catalog\""));
    assert!(
        catalog.unwrap() > targets,
        "the catalog follows the targets"
    );
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_streamed_report_is_the_assessment_of_the_whole_report() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["securechat-1.0.json", "securechat-1.1.json", "fleet.json"] {
        // Schema 1.4: no catalog, everything inline.
        let old = fixture(name);
        assert_eq!(streamed(&old, FACTS_IN_MEMORY), whole(&old), "{name} (1.4)");
        // Schema 2.0: the catalog after the targets.
        let new = write_2_0(&whole(&old), dir.path(), name);
        let a = streamed(&new, FACTS_IN_MEMORY);
        assert_eq!(a, whole(&new), "{name} (2.0)");
        assert_eq!(a.targets, whole(&old).targets, "{name}: 2.0 reads as 1.4");
    }
    // A saved app without facts, and one with null facts, read as without.
    let mut a = whole(&fixture("securechat-1.0.json"));
    a.targets[0].facts = None;
    let path = write_2_0(&a, dir.path(), "no-facts.json");
    assert_eq!(streamed(&path, FACTS_IN_MEMORY), whole(&path));
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["targets"][0]["facts"] = Value::Null;
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let read = streamed(&path, FACTS_IN_MEMORY);
    assert!(read.targets[0].facts.is_none());
    assert_eq!(read, whole(&path));
}

/// The 1.4 app fixture with facts of about `bytes` (an Info.plist value).
fn big_facts_report(dir: &Path, name: &str, bytes: usize) -> PathBuf {
    let mut a = whole(&fixture("securechat-1.0.json"));
    let mut facts = a.targets[0].facts.as_ref().unwrap().value().unwrap();
    facts["padding"] = json!({"Big": "é\"x\\".repeat(bytes / 4), "list": [1, -2, 2.5, null, true]});
    a.targets[0].facts = Some(KeptFacts::of(&facts));
    write_2_0(&a, dir, name)
}

#[test]
fn large_facts_spill_under_a_small_budget_and_compare_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = big_facts_report(dir.path(), "big.json", 200_000);
    let expected = whole(&path);
    let report = saved::open(&path).unwrap().unwrap();
    let keeper = FactsKeeper::new(1000);
    let targets = report.targets(&keeper).unwrap();
    let facts = targets[0].facts.as_ref().unwrap();
    assert!(facts.is_spilled(), "over the budget: in the temporary file");
    assert_eq!(keeper.in_memory(), 0);
    assert_eq!(targets, expected.targets);
    assert_eq!(
        facts.text().unwrap(),
        serde_json::to_string(&expected.targets[0].facts)
            .unwrap()
            .into(),
        "the kept text is the compact JSON of the facts"
    );

    // The comparison does not depend on where the facts were kept.
    let compare = |budget: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_msgaudit"));
        cmd.args(["compare", "--format", "json"])
            .arg(&path)
            .arg(fixture("securechat-1.1.json"));
        match budget {
            Some(b) => cmd.env("MSGAUDIT_FACTS_IN_MEMORY", b),
            None => cmd.env_remove("MSGAUDIT_FACTS_IN_MEMORY"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let in_memory = compare(None);
    assert_eq!(compare(Some("1000")), in_memory);
    let doc: Value = common::json(&in_memory).unwrap();
    assert_eq!(doc["candidates"].as_array().unwrap().len(), 2);
}

fn error_of(path: &Path) -> saved::SavedReportError {
    let keeper = FactsKeeper::new(FACTS_IN_MEMORY);
    match saved::open(path) {
        Err(e) => e,
        Ok(Some(report)) => report.targets(&keeper).expect_err("the report is refused"),
        Ok(None) => panic!("{} taken for no report", path.display()),
    }
}

#[test]
fn damaged_and_oversize_reports_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_2_0(
        &whole(&fixture("securechat-1.0.json")),
        dir.path(),
        "good.json",
    );
    let text = std::fs::read(&good).unwrap();
    let targets_at = text.windows(9).position(|w| w == b"\"targets\"").unwrap();

    // Truncated within the targets.
    let truncated = dir.path().join("truncated.json");
    std::fs::write(&truncated, &text[..targets_at + 2000]).unwrap();
    let e = error_of(&truncated);
    assert!(matches!(e.error, SavedError::Json(_)), "{e:?}");
    assert!(e.to_string().contains("truncated.json"), "{e}");
    assert!(e.to_string().contains("EOF"), "{e}");

    // Garbled within the targets.
    let garbled = dir.path().join("garbled.json");
    let mut bytes = text.clone();
    bytes[targets_at + 1500..targets_at + 1510].copy_from_slice(b"@#!{[}]:,\"");
    std::fs::write(&garbled, &bytes).unwrap();
    assert!(error_of(&garbled).to_string().contains("garbled.json"));

    // A dangling catalog reference: the catalog's error, with the file.
    let mut doc: Value = serde_json::from_slice(&text).unwrap();
    doc["catalog"]["checks"] = json!({});
    let dangling = dir.path().join("dangling.json");
    std::fs::write(&dangling, serde_json::to_vec(&doc).unwrap()).unwrap();
    let e = error_of(&dangling).to_string();
    assert!(
        e.contains("dangling.json") && e.contains("has no check"),
        "{e}"
    );

    // A catalog over its budget (placed first: refused in pass 1).
    let oversize = dir.path().join("oversize.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&oversize).unwrap());
    write!(
        f,
        "{{\"schema_version\": \"2.0\", \"catalog\": {{\"evidence\": ["
    )
    .unwrap();
    // One long value, a megabyte over (the budget is enforced within the
    // read-ahead, 64 KiB).
    let long = "p".repeat(CATALOG_BYTES as usize + (1 << 20));
    write!(f, "{{\"kind\": \"field\", \"value\": \"{long}\"}}").unwrap();
    write!(f, "]}}, \"targets\": []}}").unwrap();
    drop(f);
    let e = error_of(&oversize);
    assert!(
        matches!(&e.error, SavedError::OverBudget { part, .. } if part.contains("catalog")),
        "{e:?}"
    );
    assert!(e.to_string().contains("oversize.json"), "{e}");
    // A catalog within its text budget that decodes to more than its
    // memory budget: small objects, 8 bytes of text and a B-tree node each.
    let crafted = dir.path().join("crafted.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&crafted).unwrap());
    write!(
        f,
        "{{\"schema_version\": \"2.0\", \"catalog\": {{\"files\": ["
    )
    .unwrap();
    for _ in 0..(CATALOG_BYTES as usize - (1 << 20)) / 8 {
        f.write_all(br#"{"a":0},"#).unwrap();
    }
    write!(f, "0]}}, \"targets\": []}}").unwrap();
    drop(f);
    let e = error_of(&crafted);
    assert!(
        matches!(&e.error, SavedError::OverDecoded { part, .. } if part.contains("catalog")),
        "{e:?}"
    );
    assert!(e.to_string().contains("in memory"), "{e}");
    assert!(e.to_string().contains("crafted.json"), "{e}");

    // A target over its budget (its facts left out).
    let mut doc: Value = serde_json::from_slice(&text).unwrap();
    doc["targets"][0]["error"] = json!("x".repeat(TARGET_BYTES as usize + (1 << 20)));
    let big_target = dir.path().join("big-target.json");
    std::fs::write(&big_target, serde_json::to_vec(&doc).unwrap()).unwrap();
    let e = error_of(&big_target);
    assert!(
        matches!(&e.error, SavedError::OverBudget { part, .. } if part.contains("target 0")),
        "{e:?}"
    );

    // Facts within their text budget that decode to more than their memory
    // budget: empty objects, 3 bytes of text and a B-tree node each.
    let mut doc: Value = serde_json::from_slice(&text).unwrap();
    doc["targets"][0]["facts"] = json!("FACTS");
    let objects = FACTS_DECODED / 600;
    let facts = format!("[{}{{}}]", "{},".repeat(objects));
    assert!(facts.len() < FACTS_BYTES as usize / 64, "small as text");
    let doc = serde_json::to_string(&doc).unwrap();
    let crafted_facts = dir.path().join("crafted-facts.json");
    std::fs::write(&crafted_facts, doc.replacen("\"FACTS\"", &facts, 1)).unwrap();
    let e = error_of(&crafted_facts);
    assert!(
        matches!(&e.error, SavedError::OverDecoded { part, budget }
            if part == "the facts of target 0" && *budget == FACTS_DECODED),
        "{e:?}"
    );
    assert!(e.to_string().contains("in memory"), "{e}");
    assert!(e.to_string().contains("crafted-facts.json"), "{e}");
    // The same facts a tenth as many are read.
    let fewer = format!("[{}{{}}]", "{},".repeat(objects / 10));
    std::fs::write(&crafted_facts, doc.replacen("\"FACTS\"", &fewer, 1)).unwrap();
    let report = saved::open(&crafted_facts).unwrap().unwrap();
    let targets = report.targets(&FactsKeeper::new(FACTS_IN_MEMORY)).unwrap();
    let read = targets[0].facts.as_ref().unwrap().value().unwrap();
    assert_eq!(read.as_array().map(Vec::len), Some(objects / 10 + 1));
    std::fs::write(&crafted_facts, doc.replacen("\"FACTS\"", &facts, 1)).unwrap();

    // `compare` lists each as unreadable, naming the file, and compares the rest.
    let out = common::run_msgaudit([
        "compare".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        good.as_os_str(),
        truncated.as_os_str(),
        oversize.as_os_str(),
        crafted_facts.as_os_str(),
        fixture("securechat-1.1.json").as_os_str(),
    ]);
    let doc: Value = common::json(&out.stdout).unwrap();
    assert_eq!(doc["candidates"].as_array().unwrap().len(), 2, "{doc}");
    let errors = doc["errors"].to_string();
    assert!(
        errors.contains("truncated.json") && errors.contains("EOF"),
        "{errors}"
    );
    assert!(
        errors.contains("oversize.json") && errors.contains("catalog"),
        "{errors}"
    );
    assert!(
        errors.contains("crafted-facts.json") && errors.contains("the facts of target 0"),
        "{errors}"
    );
}

#[test]
fn large_json_that_is_not_a_report_is_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    // An inventory export: a large object with no report keys.
    let export = dir.path().join("export.json");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&export).unwrap());
    write!(f, "{{\"@odata.context\": \"x\", \"value\": [").unwrap();
    for i in 0..200_000 {
        write!(
            f,
            "{{\"id\": \"{i}\", \"deviceName\": \"device {i}\", \"osVersion\": \"17.1\"}},"
        )
        .unwrap();
    }
    write!(f, "{{}}], \"note\": \"{}\"}}", "y".repeat(4 << 20)).unwrap();
    drop(f);
    assert!(saved::open(&export).unwrap().is_none());
    // `schema_version` without `targets` (as `detect::is_saved_report`).
    let half = dir.path().join("half.json");
    std::fs::write(&half, r#"{"schema_version": "2.0", "devices": []}"#).unwrap();
    assert!(saved::open(&half).unwrap().is_none());
    // Damaged JSON that does not begin like a report is not one either.
    let damaged = dir.path().join("damaged.json");
    std::fs::write(&damaged, r#"{"value": [1, 2"#).unwrap();
    assert!(saved::open(&damaged).unwrap().is_none());
    // A key longer than a report's is not read whole.
    let long_key = dir.path().join("long-key.json");
    std::fs::write(&long_key, format!("{{\"{}\": 1}}", "k".repeat(2 << 20))).unwrap();
    assert!(saved::open(&long_key).unwrap().is_none());
}
