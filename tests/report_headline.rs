//! What a reader and a code-scanning service rely on in the report's
//! presentation: coverage beside every score, not-applicable never counted
//! as open, spreadsheet CSV per language, SARIF that code scanning takes, and
//! clear input messages (issue #16, items 2, 9, 10, 11).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_msgaudit"));
    c.env_remove("MSGAUDIT_PSEUDONYM_KEY");
    c
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> String {
    root()
        .join("tests/fixtures/facts")
        .join(name)
        .display()
        .to_string()
}

fn sample(rel: &str) -> String {
    root().join("sample-apps").join(rel).display().to_string()
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run msgaudit")
}

fn run(args: &[&str]) -> Output {
    run_in(&root(), args)
}

fn scan(format: &str, lang: &str, inputs: &[&str]) -> (i32, String) {
    let mut args = vec![
        "scan",
        "--format",
        format,
        "--lang",
        lang,
        "--as-of",
        "2026-11-23",
    ];
    args.extend_from_slice(inputs);
    let out = run(&args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

fn json(inputs: &[&str]) -> Value {
    common::json_str(&scan("json", "en", inputs).1).expect("JSON report")
}

#[test]
fn every_target_carries_its_coverage_and_every_format_shows_it() {
    let ios = fixture("ios-base.json");
    let report = json(&[&ios]);
    let t = &report["targets"][0];
    let results = t["results"].as_array().unwrap();
    let applicable = results
        .iter()
        .filter(|r| r["outcome"] != "not_applicable")
        .count();
    let decided = results
        .iter()
        .filter(|r| r["outcome"] == "pass" || r["outcome"] == "fail")
        .count();
    assert_eq!(t["coverage"]["total"], applicable);
    assert_eq!(t["coverage"]["decided"], decided);
    assert_eq!(t["verdict"], "incomplete");
    assert!(decided < applicable, "the fixture leaves checks open");
    let en = format!("{decided} of {applicable} decided");
    let de = format!("{decided} von {applicable} entschieden");
    for format in ["table", "html", "md"] {
        let (_, out) = scan(format, "en", &[&ios]);
        assert!(out.contains(&en), "{format} en lacks {en:?}");
        let (_, out) = scan(format, "de", &[&ios]);
        assert!(out.contains(&de), "{format} de lacks {de:?}");
    }
    // CSV: decided and applicable as numbers beside the score.
    let (_, csv) = scan("csv", "en", &[&ios]);
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[6..9], ["Score", "Decided", "Applicable checks"]);
    let row = lines.next().unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let first = reader.records().next().unwrap().unwrap();
    assert_eq!(first.get(7), Some(decided.to_string().as_str()), "{row}");
    assert_eq!(first.get(8), Some(applicable.to_string().as_str()));
    // SARIF: in every result's properties.
    let (_, sarif) = scan("sarif", "en", &[&ios]);
    let sarif: Value = common::json_str(&sarif).unwrap();
    let first = &sarif["runs"][0]["results"][0]["properties"];
    assert_eq!(first["coverage"]["decided"], decided);
    assert_eq!(first["coverage"]["total"], applicable);
}

#[test]
fn a_fleet_never_counts_not_applicable_as_open() {
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let report = json(&[&inv]);
    let fleet = &report["fleet"];
    let devices = fleet["devices"].as_u64().unwrap();
    let targets = report["targets"].as_array().unwrap();
    let mut some_not_applicable = false;
    for q in fleet["requirements"].as_array().unwrap() {
        let count = |pred: &dyn Fn(&str) -> bool| {
            targets
                .iter()
                .flat_map(|t| t["results"].as_array().unwrap())
                .filter(|r| r["check"] == q["check"] && pred(r["outcome"].as_str().unwrap()))
                .count() as u64
        };
        let na = count(&|o| o == "not_applicable");
        let open = count(&|o| matches!(o, "warn" | "manual" | "error"));
        assert_eq!(q["not_applicable"], na, "{q}");
        assert_eq!(q["undecided"], open, "{q}: n.a. is not open");
        let (p, f) = (q["passed"].as_u64().unwrap(), q["failed"].as_u64().unwrap());
        assert_eq!(p + f + open + na, devices, "{q}");
        if na > 0 {
            some_not_applicable = true;
            let share = q["share_compliant"].as_f64().unwrap();
            let expected = p as f64 * 100.0 / (devices - na) as f64;
            assert!((share - expected).abs() < 1e-9, "{q}");
        }
    }
    assert!(
        some_not_applicable,
        "the sample fleet has checks that do not apply to some devices"
    );
    // Devices carry coverage too, without the n.a. checks in the total.
    for t in targets {
        let results = t["results"].as_array().unwrap();
        let na = results
            .iter()
            .filter(|r| r["outcome"] == "not_applicable")
            .count();
        assert_eq!(t["coverage"]["total"], results.len() - na);
    }
}

#[test]
fn open_device_checks_say_what_would_decide_them() {
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let report = json(&[&inv]);
    let dev02 = report["fleet"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["requirement"] == "DEV-02")
        .unwrap()
        .clone();
    assert!(dev02["undecided"].as_u64().unwrap() > 0, "{dev02}");
    assert!(dev02["decide_hint"]["en"]
        .as_str()
        .unwrap()
        .contains("deviceComplianceSettingStates"));
    let (_, table) = scan("table", "en", &[&inv]);
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("what would decide it"), "{table}");
    let (_, html) = scan("html", "de", &[&inv]);
    assert!(html.contains("zur Entscheidung fehlt"), "German HTML");
    assert!(html.contains("deviceComplianceSettingStates"));
    let (_, md) = scan("md", "de", &[&inv]);
    assert!(md.contains("Nicht anwendbar"));
}

#[test]
fn german_csv_opens_in_german_excel_english_stays_rfc_4180() {
    let ios = fixture("ios-base.json");
    let (_, de) = scan("csv", "de", &[&ios]);
    assert!(de.starts_with('\u{feff}'), "German CSV starts with a BOM");
    let body = de.trim_start_matches('\u{feff}');
    let header = body.lines().next().unwrap();
    assert!(
        header.starts_with("Prüfobjekt;Art;Datei;SHA-256;"),
        "{header}"
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(body.as_bytes());
    let width = reader.headers().unwrap().len();
    assert_eq!(width, 18);
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), width);
        let score = record.get(6).unwrap();
        assert!(!score.contains('.'), "decimal comma: {score}");
    }
    let (_, en) = scan("csv", "en", &[&ios]);
    assert!(!en.starts_with('\u{feff}'));
    assert!(en.starts_with("Target,Kind,File,SHA-256,"));
    // The remediation list and the compare and diff CSVs follow the same rule.
    let dir = tempfile::tempdir().unwrap();
    let rem = dir.path().join("rem.csv");
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let out = run(&[
        "scan",
        "--lang",
        "de",
        "--format",
        "json",
        &inv,
        "--remediation-csv",
        rem.to_str().unwrap(),
    ]);
    assert!(out.status.code().is_some());
    let rem = std::fs::read_to_string(rem).unwrap();
    assert!(rem.starts_with("\u{feff}Gerät;Quelle;"), "{rem}");
    let a = sample("android/out/securechat-1.0.apk");
    let b = sample("android/out/securechat-1.1.apk");
    for cmd in [
        vec!["compare", "--format", "csv", "--lang", "de", &a, &b],
        vec!["diff", "--format", "csv", "--lang", "de", &a, &b],
    ] {
        let out = run(&cmd);
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with('\u{feff}'), "{cmd:?}");
        assert!(
            text.lines().next().unwrap().contains(';'),
            "{cmd:?}: {text}"
        );
        let out = run(&cmd[..cmd.len() - 4]
            .iter()
            .chain(&["--lang", "en", &a, &b])
            .copied()
            .collect::<Vec<_>>());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(!text.starts_with('\u{feff}'), "{cmd:?}");
        assert!(!text.lines().next().unwrap().contains(';'), "{cmd:?}");
    }
}

fn sarif_in(dir: &Path, inputs: &[&str]) -> Value {
    let mut args = vec!["scan", "--format", "sarif", "--as-of", "2026-11-23"];
    args.extend_from_slice(inputs);
    let out = run_in(dir, &args);
    common::json(&out.stdout).expect("SARIF")
}

fn fingerprints(sarif: &Value) -> Vec<(String, String)> {
    sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["partialFingerprints"]["msgaudit/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_uris_resolve_and_fingerprints_are_stable() {
    let root = root();
    // Relative to the working directory: a relative URI with %SRCROOT%.
    let rel = sarif_in(&root, &["sample-apps/android/out/leakychat-2.3.apk"]);
    let run0 = &rel["runs"][0];
    let loc = &run0["artifacts"][0]["location"];
    assert_eq!(loc["uri"], "sample-apps/android/out/leakychat-2.3.apk");
    assert_eq!(loc["uriBaseId"], "%SRCROOT%");
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    let result_loc = &run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(result_loc["uriBaseId"], "%SRCROOT%");
    assert_eq!(result_loc["index"], 0);
    // The same file by absolute path, from elsewhere: a file:// URI.
    let abs = root
        .join("sample-apps/android/out/leakychat-2.3.apk")
        .display()
        .to_string();
    let elsewhere = tempfile::tempdir().unwrap();
    let other = sarif_in(elsewhere.path(), &[&abs]);
    let uri = other["runs"][0]["artifacts"][0]["location"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    assert!(uri.ends_with("/sample-apps/android/out/leakychat-2.3.apk"));
    assert!(other["runs"][0].get("originalUriBaseIds").is_none());
    // No URI anywhere is a bare absolute path.
    for doc in [&rel, &other] {
        let text = doc.to_string();
        assert!(!text.contains("\"uri\":\"/"), "{text}");
    }
    // Same file and checks → same fingerprints, whatever the path; one per result.
    let a = fingerprints(&rel);
    assert!(!a.is_empty());
    assert_eq!(a, fingerprints(&other));
    let unique: std::collections::BTreeSet<_> = a.iter().map(|(_, f)| f).collect();
    assert_eq!(unique.len(), a.len(), "fingerprints are unique per result");
    // Another file → other fingerprints.
    let b = fingerprints(&sarif_in(
        &root,
        &["sample-apps/android/out/oldchat-1.0.apk"],
    ));
    assert!(b.iter().all(|x| !a.contains(x)));
}

#[test]
fn sarif_rules_carry_a_security_severity_and_a_help_uri() {
    let sarif = sarif_in(&root(), &["sample-apps/android/out/leakychat-2.3.apk"]);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        let sev = rule["properties"]["security-severity"].as_str().unwrap();
        let v: f64 = sev.parse().unwrap();
        assert!((0.1..=10.0).contains(&v), "{rule}");
        assert!(rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from("security")));
        assert!(rule["helpUri"].as_str().unwrap().starts_with("https://"));
        assert!(rule["help"]["text"]
            .as_str()
            .unwrap()
            .contains("msgaudit explain"));
    }
    // A failed must-check is high (≥ 7), as GitHub reads it.
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let failed_must = results
        .iter()
        .find(|r| r["properties"]["outcome"] == "fail" && r["properties"]["level"] == "must")
        .expect("LeakyChat fails a must-check");
    let rule = &rules[failed_must["ruleIndex"].as_u64().unwrap() as usize];
    let sev: f64 = rule["properties"]["security-severity"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(sev >= 7.0, "{rule}");
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

#[test]
fn an_empty_folder_is_named_in_the_message() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("leer");
    std::fs::create_dir(&empty).unwrap();
    let out = run(&["scan", empty.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!(
            "no app, inventory export or facts document found in the folder {} (no files)",
            empty.display()
        )),
        "{err}"
    );
    std::fs::write(empty.join("notes.txt"), "hello").unwrap();
    let out = run(&["scan", "--lang", "de", empty.to_str().unwrap()]);
    let err = stderr_of(&out);
    assert!(
        err.contains(&format!(
            "Im Ordner {} wurde keine App, kein Inventarexport und kein Fakten-Dokument gefunden (1 andere Datei übersprungen; -v listet sie auf)",
            empty.display()
        )),
        "{err}"
    );
}

#[test]
fn a_damaged_zip_is_called_damaged_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let apk = std::fs::read(sample("android/out/securechat-1.0.apk")).unwrap();
    let cut = dir.path().join("cut.apk");
    std::fs::write(&cut, &apk[..apk.len() / 2]).unwrap();
    let (code, en) = scan("json", "en", &[cut.to_str().unwrap()]);
    assert_eq!(code, 4);
    let en: Value = common::json_str(&en).unwrap();
    let error = en["targets"][0]["error"].as_str().unwrap();
    assert!(
        error.starts_with("truncated or damaged zip archive"),
        "{error}"
    );
    let (_, de) = scan("table", "de", &[cut.to_str().unwrap()]);
    let de = de.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        de.contains("abgeschnittenes oder beschädigtes ZIP-Archiv"),
        "{de}"
    );
}

#[test]
fn compare_refuses_inventories_and_diff_warns_about_different_apps() {
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let app = sample("android/out/securechat-1.0.apk");
    let out = run(&["compare", &app, &inv]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr_of(&out);
    assert!(
        err.contains("compare compares apps;") && err.contains("intune-graph-managedDevices.json"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no matrix for a fleet");
    // A saved fleet report is refused as well.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("fleet.json");
    let (_, report) = scan("json", "en", &[&inv]);
    std::fs::write(&saved, report).unwrap();
    let out = run(&["compare", "--lang", "de", &app, saved.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("Geräte prüft `msgaudit scan`"));

    let other = sample("android/out/leakychat-2.3.apk");
    let out = run(&["diff", &app, &other]);
    let err = stderr_of(&out);
    assert!(
        err.contains("warning: the two inputs are not two versions of one app"),
        "{err}"
    );
    let ios = sample("ios/SecureChat.ipa");
    let err = stderr_of(&run(&["diff", "--lang", "de", &app, &ios]));
    assert!(err.contains("nicht zwei Versionen derselben App"), "{err}");
    let newer = sample("android/out/securechat-1.1.apk");
    let err = stderr_of(&run(&["diff", &app, &newer]));
    assert!(!err.contains("not two versions"), "{err}");
}
