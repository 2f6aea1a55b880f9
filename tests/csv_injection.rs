//! Every CSV msgaudit writes is safe to open in a spreadsheet: a cell from an
//! audited file or export that starts with `=`, `+`, `-`, `@`, TAB or CR gets a
//! leading apostrophe (OWASP), in the report, the remediation list and the
//! compare/diff views, with and without `--reveal-identities`.

mod common;

use std::path::Path;

use common::run_msgaudit;

/// Device names chosen by an attacker who can rename a device in the MDM.
const HOSTILE: [&str; 5] = [
    "=HYPERLINK(\"http://evil.example/\",\"klick\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
];

/// Every cell of every record, header included.
fn cells(csv_text: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    reader
        .records()
        .map(|r| r.expect("valid CSV"))
        .flat_map(|r| r.iter().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

/// No cell starts a formula; plain numbers are allowed.
fn assert_no_formula(csv_text: &str, what: &str) {
    for cell in cells(csv_text) {
        let starts_formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        let number = cell
            .trim_start_matches(['+', '-'])
            .replace(',', ".")
            .parse::<f64>()
            .is_ok();
        assert!(
            !starts_formula || number,
            "{what}: cell {cell:?} would be a formula in a spreadsheet"
        );
    }
}

fn hostile_inventory(dir: &Path) -> std::path::PathBuf {
    let mut text = String::from("device_id,device_name,platform,os_version,serial,owner\n");
    for (i, name) in HOSTILE.iter().enumerate() {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record([
            format!("D-{i}"),
            (*name).to_string(),
            "android".into(),
            "9".into(),
            format!("=SERIAL{i}"),
            "-owner".into(),
        ])
        .unwrap();
        text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
    }
    let path = dir.join("devices.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn fleet_csv_and_remediation_list_neutralize_revealed_device_names() {
    let dir = tempfile::tempdir().unwrap();
    let inventory = hostile_inventory(dir.path());
    let report = dir.path().join("report.csv");
    let todo = dir.path().join("todo.csv");
    let out = run_msgaudit([
        "scan".as_ref(),
        inventory.as_os_str(),
        "--inventory-format".as_ref(),
        "csv".as_ref(),
        "--reveal-identities".as_ref(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--output".as_ref(),
        report.as_os_str(),
        "--remediation-csv".as_ref(),
        todo.as_os_str(),
    ]);
    assert!(
        matches!(out.status.code(), Some(1 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (path, what) in [(&report, "report"), (&todo, "remediation list")] {
        let text = std::fs::read_to_string(path).unwrap();
        assert_no_formula(&text, what);
        let all = cells(&text);
        for name in HOSTILE {
            // The CSV reader trims blanks around values, so "\t=1+1" arrives as "=1+1".
            let name = name.trim();
            assert!(
                all.iter().any(|c| c.contains(&format!("'{name}"))),
                "{what}: revealed device name {name:?} is kept, behind an apostrophe"
            );
        }
    }
}

/// The facts document the report tests start from.
fn base_facts() -> serde_json::Value {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facts/android-base.json");
    common::json_str(&std::fs::read_to_string(base).unwrap()).unwrap()
}

/// Runs msgaudit and returns what it printed on stdout.
fn stdout_of(args: &[&std::ffi::OsStr]) -> String {
    let out = run_msgaudit(args);
    assert!(
        !out.stdout.is_empty(),
        "no output: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes `facts` to `DIR/NAME.json`, scans it, and returns the saved JSON report.
fn saved_report(dir: &Path, name: &str, facts: &serde_json::Value) -> std::path::PathBuf {
    let facts_path = dir.join(format!("{name}.json"));
    std::fs::write(&facts_path, facts.to_string()).unwrap();
    let saved = dir.join(format!("{name}-report.json"));
    let out = run_msgaudit([
        "scan".as_ref(),
        facts_path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        saved.as_os_str(),
    ]);
    assert!(saved.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
    saved
}

#[test]
fn app_names_are_neutralized_in_report_and_compare_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut facts = base_facts();
    facts["app"]["name"] = serde_json::json!(HOSTILE[0]);
    facts["app"]["version"] = serde_json::json!("\t-1+1");
    let facts_path = dir.path().join("hostile.json");
    std::fs::write(&facts_path, facts.to_string()).unwrap();

    let text = stdout_of(&[
        "scan".as_ref(),
        facts_path.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert!(
        text.contains(&format!("'{}", HOSTILE[0]).replace('"', "\"\"")),
        "{text}"
    );
    assert_no_formula(&text, "scan csv (default, pseudonymized mode)");

    let saved = saved_report(dir.path(), "saved", &facts);
    let text = stdout_of(&[
        "compare".as_ref(),
        saved.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_no_formula(&text, "compare csv");
    assert!(
        cells(&text).iter().any(|c| c.starts_with("'=HYPERLINK")),
        "{text}"
    );
}

#[test]
fn diff_csv_neutralizes_changed_subjects() {
    let dir = tempfile::tempdir().unwrap();
    let old = base_facts();
    let mut new = old.clone();
    new["app"]["version"] = serde_json::json!("4.3.0");
    new["android"]["permissions"]
        .as_array_mut()
        .expect("permissions list")
        .push(serde_json::json!("=HYPERLINK(\"http://evil.example/\")"));
    let old = saved_report(dir.path(), "old", &old);
    let new = saved_report(dir.path(), "new", &new);
    let text = stdout_of(&[
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
    ]);
    assert_no_formula(&text, "diff csv");
    assert!(
        cells(&text).iter().any(|c| c.starts_with("'=HYPERLINK")),
        "the new permission is listed, neutralized: {text}"
    );
}
