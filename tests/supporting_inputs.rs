//! Every file a verdict rests on is named in the report with its size and
//! SHA-256 — not only the apps and device lists, but also the answers file,
//! OS support data, Intune compliance exports, installed-app lists and a
//! generic CSV's column mapping (`inputs`, since schema 2.2): a DPO who
//! signs the report can tell afterwards whether any of them was changed.

mod common;

use std::path::{Path, PathBuf};

use msgaudit::assess::saved;
use msgaudit::assess::{FactsKeeper, InputRole, FACTS_IN_MEMORY};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample(rel: &str) -> PathBuf {
    root().join("sample-apps").join(rel)
}

fn sha(path: &Path) -> String {
    hex::encode(Sha256::digest(std::fs::read(path).unwrap()))
}

fn scan(args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["scan", "--as-of", "2026-12-05"];
    all.extend_from_slice(args);
    let out = common::run_msgaudit(&all);
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 report"),
    )
}

/// The `inputs` of a JSON report as (role, path, sha256, size).
fn inputs(report: &Value) -> Vec<(String, String, String, u64)> {
    report["inputs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    (
                        i["role"].as_str().unwrap().to_string(),
                        i["file"]["path"].as_str().unwrap().to_string(),
                        i["file"]["sha256"].as_str().unwrap().to_string(),
                        i["file"]["size"].as_u64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_fleet_report_names_its_compliance_exports_app_lists_and_mapping_by_hash() {
    let dir = sample("inventories");
    let dir = dir.to_str().unwrap();
    let (code, json) = scan(&[dir, "--format", "json"]);
    assert_eq!(code, Some(1), "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["schema_version"], "2.6");
    let listed = inputs(&report);
    let expected = [
        ("column_mapping", "generic-custom.csv.mapping.toml"),
        (
            "compliance_export",
            "intune-compliance-device-statuses.json",
        ),
        ("compliance_export", "intune-compliance-policies.json"),
        ("compliance_export", "intune-compliance-setting-states.json"),
        ("installed_apps", "installed-apps-apple-mdm.plist"),
        ("installed_apps", "installed-apps-workspace-one.json"),
    ];
    assert_eq!(listed.len(), expected.len(), "{listed:?}");
    for ((role, path, hash, size), (want_role, name)) in listed.iter().zip(expected) {
        assert_eq!(role, want_role, "{path}");
        assert!(path.ends_with(name), "{path} is {name}");
        let file = sample("inventories").join(name);
        assert_eq!(hash, &sha(&file), "{name}");
        assert_eq!(*size, std::fs::metadata(&file).unwrap().len(), "{name}");
    }
    // The mapping beside its export is an input, not a skipped file: only
    // the folder's README is skipped.
    assert_eq!(report["skipped_files"], 1, "{}", report["skipped_files"]);
    // The printed reports list them in both languages.
    for (lang, heading, role) in [
        (
            "de",
            "Weitere Eingaben, auf denen Ergebnisse beruhen",
            "Intune-Konformitätsdaten",
        ),
        (
            "en",
            "Other inputs the results rest on",
            "Intune compliance data",
        ),
    ] {
        for format in ["md", "html"] {
            let (_, text) = scan(&[dir, "--format", format, "--lang", lang]);
            assert!(text.contains(heading), "{lang} {format}");
            assert!(text.contains(role), "{lang} {format}");
            let states = sample("inventories/intune-compliance-setting-states.json");
            assert!(text.contains(&sha(&states)), "{lang} {format}");
        }
    }
}

#[test]
fn an_answers_file_and_os_data_are_named_by_hash_and_survive_a_saved_report() {
    let dir = tempfile::tempdir().unwrap();
    // Built by the README's first command (sample-apps/android/build.sh).
    let apk = sample("android/out/securechat-1.0.apk");
    let answers = sample("answers/securechat.toml");
    let os_data = root().join("checks/os-support.toml");
    let (code, json) = scan(&[
        apk.to_str().unwrap(),
        "--answers",
        answers.to_str().unwrap(),
        "--os-data",
        os_data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(matches!(code, Some(0 | 1)), "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let listed = inputs(&report);
    assert_eq!(listed.len(), 2, "{listed:?}");
    assert_eq!(listed[0].0, "answers");
    assert_eq!(listed[0].2, sha(&answers));
    assert_eq!(listed[1].0, "os_data");
    assert_eq!(listed[1].2, sha(&os_data));
    let (_, md) = scan(&[
        apk.to_str().unwrap(),
        "--answers",
        answers.to_str().unwrap(),
        "--format",
        "md",
        "--lang",
        "de",
    ]);
    assert!(
        md.contains(&format!(
            "| Antworten (Bestätigungen manueller Prüfungen) | {} | {} | {} |",
            answers.display(),
            std::fs::metadata(&answers).unwrap().len(),
            sha(&answers)
        )),
        "{md}"
    );
    // A saved report read back keeps them.
    let path = dir.path().join("report.json");
    std::fs::write(&path, &json).unwrap();
    let read = saved::open(&path)
        .unwrap()
        .expect("a saved report")
        .assessment(&FactsKeeper::new(FACTS_IN_MEMORY))
        .unwrap();
    let roles: Vec<InputRole> = read.inputs.iter().map(|i| i.role).collect();
    assert_eq!(roles, [InputRole::Answers, InputRole::OsData]);
    assert_eq!(read.inputs[0].file.sha256, sha(&answers));
}

#[test]
fn a_compliance_export_that_joined_nothing_is_an_error_not_an_input() {
    // Without an Intune device list, the setting states cannot be joined:
    // the file is an error row of its own and not among the inputs.
    let states = sample("inventories/intune-compliance-setting-states.json");
    let jamf = sample("inventories/jamf-pro-inventory.json");
    let (code, json) = scan(&[
        jamf.to_str().unwrap(),
        states.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(4), "{json}");
    let report: Value = serde_json::from_str(&json).unwrap();
    assert!(inputs(&report).is_empty(), "{}", report["inputs"]);
    let errors: Vec<&Value> = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["verdict"] == "error")
        .collect();
    assert_eq!(errors.len(), 1, "{json}");
}

#[test]
fn sarif_lists_every_export_and_further_input_as_an_artifact() {
    let dir = sample("inventories");
    let dir = dir.to_str().unwrap();
    let (_, json) = scan(&[dir, "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let (_, sarif) = scan(&[dir, "--format", "sarif", "--lang", "de"]);
    let log: Value = serde_json::from_str(&sarif).unwrap();
    let artifacts = log["runs"][0]["artifacts"].as_array().unwrap();
    let by_name = |name: &str| {
        artifacts
            .iter()
            .find(|a| {
                a["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(name))
            })
            .unwrap_or_else(|| panic!("{name} among the artifacts: {artifacts:#?}"))
    };
    // Every export, also one whose devices were all merged into another's.
    for inv in report["fleet"]["inventories"].as_array().unwrap() {
        let path = inv["file"]["path"].as_str().unwrap();
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        assert_eq!(by_name(name)["roles"][0], "analysisTarget", "{name}");
    }
    let mapping = by_name("generic-custom.csv.mapping.toml");
    assert_eq!(mapping["roles"][0], "userSpecifiedConfiguration");
    assert_eq!(
        mapping["hashes"]["sha-256"],
        sha(&sample("inventories/generic-custom.csv.mapping.toml"))
    );
    let states = by_name("intune-compliance-setting-states.json");
    assert_eq!(states["roles"][0], "analysisTarget");
    assert_eq!(states["description"]["text"], "Intune-Konformitätsdaten");
    // The log stays valid SARIF 2.1.0.
    let schema_path = root().join("tests/data/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
