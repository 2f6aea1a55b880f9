//! SARIF `kind` and `level` per outcome (a check that needs a human decision
//! is no open alert), artifacts of inputs that could not be read, the
//! run's `executionSuccessful`, and line regions of CSV rows.

mod common;

use msgaudit::assess::{
    Assessment, CheckResult, DeviceStore, FleetInventory, FleetSummary, Lang, Level, Outcome,
    ProfileInfo, TargetAssessment, TargetInfo, Text, ToolInfo, Verdict, REPORT_SCHEMA_VERSION,
};
use msgaudit::facts::partial::{Partial, Place};
use msgaudit::facts::{FileInfo, TargetKind};
use msgaudit::report::{render, Format, RenderOptions};
use serde_json::Value;

const ALL_OUTCOMES: [Outcome; 6] = [
    Outcome::Pass,
    Outcome::Fail,
    Outcome::Warn,
    Outcome::Manual,
    Outcome::NotApplicable,
    Outcome::Error,
];

fn text(s: &str) -> Text {
    Text {
        de: s.to_string().into(),
        en: s.to_string().into(),
    }
}

/// A must-check `check` with `outcome`.
fn result(check: &str, outcome: Outcome) -> CheckResult {
    CheckResult {
        check: check.into(),
        requirement: "APP-05".into(),
        level: Level::Must,
        outcome,
        title: text("Crash reports off by default"),
        message: text("message"),
        remediation: text("remediation"),
        evidence: Vec::new(),
        attestation: None,
        attested: false,
        attestation_status: None,
        weight: 1.0,
    }
}

fn target(
    kind: TargetKind,
    name: &str,
    file: FileInfo,
    results: Vec<CheckResult>,
) -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind,
            name: name.into(),
            id: None,
            version: None,
            file: Some(file),
            source: None,
            device: None,
        },
        verdict: Verdict::Incomplete,
        score: None,
        results,
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: None,
    }
}

fn file(path: &str, sha256: &str, size: u64) -> FileInfo {
    FileInfo {
        path: path.into(),
        sha256: sha256.into(),
        size,
    }
}

/// An app with one check per outcome (check id = the outcome's name).
fn app_with_every_outcome() -> TargetAssessment {
    let results = ALL_OUTCOMES.iter().map(|o| result(o.name(), *o)).collect();
    target(
        TargetKind::Android,
        "Example",
        file("apps/example.apk", &"ab".repeat(32), 1000),
        results,
    )
}

fn assessment(targets: Vec<TargetAssessment>, fleet: Option<FleetSummary>) -> Assessment {
    Assessment {
        schema_version: REPORT_SCHEMA_VERSION.into(),
        tool: ToolInfo {
            name: "msgaudit".into(),
            version: "0.1.0".into(),
            check_set_digest: "5d".repeat(32),
        },
        profile: ProfileInfo {
            id: "dsk-must".into(),
            title: text("DSK must requirements"),
            source: "built-in".into(),
        },
        as_of: "2026-12-05".into(),
        lang: Lang::En,
        targets,
        devices: DeviceStore::default(),
        fleet,
        skipped_files: 0,
        skipped_unrecognized: None,
        inputs: Vec::new(),
    }
}

fn sarif(a: &Assessment) -> Value {
    let opts = RenderOptions {
        format: Format::Sarif,
        lang: Lang::En,
        color: false,
        exit: None,
    };
    let out = render(a, &opts).expect("render");
    let log: Value = common::json_str(&out).expect("SARIF is JSON");
    assert_valid(&log);
    log
}

/// Valid against the official OASIS SARIF 2.1.0 schema.
fn assert_valid(log: &Value) {
    common::assert_valid_sarif(log);
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

fn invocation(log: &Value) -> &Value {
    &log["runs"][0]["invocations"][0]
}

#[test]
fn each_outcome_has_its_sarif_kind_and_level() {
    let log = sarif(&assessment(vec![app_with_every_outcome()], None));
    let of = |o: Outcome| {
        let found: Vec<&Value> = results(&log)
            .iter()
            .filter(|r| r["ruleId"] == o.name())
            .collect();
        assert!(found.len() <= 1, "{o:?}: {found:?}");
        found.first().map(|r| {
            (
                r["kind"].as_str().unwrap_or("(no kind)"),
                r["level"].as_str().unwrap_or("(no level)"),
            )
        })
    };
    assert_eq!(of(Outcome::Fail), Some(("fail", "error")));
    assert_eq!(of(Outcome::Warn), Some(("fail", "warning")));
    assert_eq!(of(Outcome::Manual), Some(("review", "none")));
    assert_eq!(of(Outcome::Error), Some(("review", "none")));
    // Pass and not applicable are no results.
    assert_eq!(of(Outcome::Pass), None);
    assert_eq!(of(Outcome::NotApplicable), None);
    // SARIF: a level other than "none" only with kind "fail".
    for r in results(&log) {
        assert_eq!(r["kind"] == "fail", r["level"] != "none", "{r}");
    }
}

#[test]
fn manual_results_are_reviews_not_alerts() {
    let manual = result("PLT-03-manual", Outcome::Manual);
    let app = target(
        TargetKind::Ios,
        "Example",
        file("apps/example.ipa", &"cd".repeat(32), 1000),
        vec![manual],
    );
    let log = sarif(&assessment(vec![app], None));
    let r = &results(&log)[0];
    assert_eq!(r["ruleId"], "PLT-03-manual");
    assert_eq!(r["kind"], "review");
    assert_eq!(r["level"], "none");
    assert_eq!(r["properties"]["outcome"], "manual");
    // An open check is no failure of the run.
    assert_eq!(invocation(&log)["executionSuccessful"], true);
}

#[test]
fn a_check_that_could_not_be_evaluated_fails_the_run_with_a_notification() {
    let log = sarif(&assessment(vec![app_with_every_outcome()], None));
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let note = notes
        .iter()
        .find(|n| n["associatedRule"]["id"] == "error")
        .expect("a notification for the check that could not be evaluated");
    assert_eq!(note["level"], "error");
    assert_eq!(note["properties"]["targets"], 1);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let index = note["associatedRule"]["index"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "error");
}

#[test]
fn an_unread_target_has_no_empty_hash_and_an_unknown_length() {
    let mut unread = target(
        TargetKind::Android,
        "nope.apk",
        file("apps/nope.apk", "", 0),
        Vec::new(),
    );
    unread.verdict = Verdict::Error;
    unread.error = Some("cannot read the file: No such file or directory (os error 2)".into());
    let log = sarif(&assessment(vec![unread, app_with_every_outcome()], None));
    let artifacts = log["runs"][0]["artifacts"].as_array().unwrap();
    assert_eq!(artifacts[0]["location"]["uri"], "apps/nope.apk");
    assert_eq!(artifacts[0]["length"], -1);
    assert!(artifacts[0].get("hashes").is_none(), "{}", artifacts[0]);
    // The file that was read keeps its length and hash.
    assert_eq!(artifacts[1]["length"], 1000);
    assert_eq!(artifacts[1]["hashes"]["sha-256"], "ab".repeat(32));
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    assert!(inv["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["level"] == "error"
            && n["message"]["text"].as_str().unwrap().contains("nope.apk")));
}

#[test]
fn a_partly_read_export_fails_the_run() {
    let device = {
        let mut d = target(
            TargetKind::Device,
            "pn-0001",
            file("exports/devices.csv", &"ef".repeat(32), 500),
            vec![result("DEV-01-patch-level", Outcome::Fail)],
        );
        d.target.source = Some("csv line 2".into());
        d
    };
    let inventory = FleetInventory {
        file: file("exports/devices.csv", &"ef".repeat(32), 500),
        format: "csv".into(),
        devices: 1,
        merged_elsewhere: 0,
        warnings: vec![
            text("1 device read; reading stopped at line 3: unreadable CSV row"),
            text("1 device: the export says compromised = \"unknown\"; compromised left unknown"),
        ],
        partial: Some(Partial {
            devices_read: 1,
            stopped_at: Some(Place::Line(3)),
            reason: "unreadable CSV row".into(),
            unread_parts: 1,
            resumed: false,
        }),
    };
    let fleet = FleetSummary {
        devices: 1,
        compliant: 0,
        not_compliant: 1,
        incomplete: 0,
        requirements: Vec::new(),
        pseudonymized: true,
        default_pseudonym_key: true,
        os_data: None,
        messengers: Vec::new(),
        distribution: Default::default(),
        inventories: vec![inventory],
        export_info: Vec::new(),
    };
    let mut a = assessment(Vec::new(), Some(fleet));
    a.devices = DeviceStore::from_targets(vec![device]);
    let log = sarif(&a);
    let inv = invocation(&log);
    assert_eq!(inv["executionSuccessful"], false);
    let levels: Vec<&str> = inv["toolExecutionNotifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "warning"]);
}

#[test]
fn a_note_on_the_exports_is_information_in_the_log_language() {
    let fleet = FleetSummary {
        devices: 0,
        compliant: 0,
        not_compliant: 0,
        incomplete: 0,
        requirements: Vec::new(),
        pseudonymized: true,
        default_pseudonym_key: false,
        os_data: None,
        messengers: Vec::new(),
        distribution: Default::default(),
        inventories: Vec::new(),
        export_info: vec![Text {
            de: "a.json und b.json wurden zusammen gelesen"
                .to_string()
                .into(),
            en: "a.json and b.json were read together".to_string().into(),
        }],
    };
    let a = assessment(Vec::new(), Some(fleet));
    for (lang, text) in [
        (Lang::En, "a.json and b.json were read together"),
        (Lang::De, "a.json und b.json wurden zusammen gelesen"),
    ] {
        let opts = RenderOptions {
            format: Format::Sarif,
            lang,
            color: false,
            exit: None,
        };
        let log: Value = common::json_str(&render(&a, &opts).expect("render")).expect("JSON");
        assert_valid(&log);
        let inv = invocation(&log);
        // Information fails nothing.
        assert_eq!(inv["executionSuccessful"], true, "{inv:#}");
        let notes = inv["toolExecutionNotifications"].as_array().expect("notes");
        assert_eq!(notes.len(), 1, "{inv:#}");
        assert_eq!(notes[0]["level"], "note");
        assert_eq!(notes[0]["message"]["text"], text);
    }
}

#[test]
fn a_device_from_a_csv_row_points_at_that_line() {
    let mut csv = target(
        TargetKind::Device,
        "pn-0004",
        file("exports/devices.csv", &"ef".repeat(32), 500),
        vec![result("DEV-01-patch-level", Outcome::Fail)],
    );
    csv.target.source = Some("csv line 4".into());
    let mut json = target(
        TargetKind::Device,
        "pn-0002",
        file("exports/graph.json", &"12".repeat(32), 500),
        vec![result("DEV-01-patch-level", Outcome::Fail)],
    );
    json.target.source = Some("intune-graph record 2".into());
    let mut a = assessment(Vec::new(), None);
    a.devices = DeviceStore::from_targets(vec![csv, json]);
    let log = sarif(&a);
    let loc = |name: &str| {
        results(&log)
            .iter()
            .find(|r| r["properties"]["target"] == name)
            .map(|r| r["locations"][0]["physicalLocation"].clone())
            .expect("a result of the device")
    };
    assert_eq!(loc("pn-0004")["region"]["startLine"], 4);
    assert_eq!(
        loc("pn-0004")["artifactLocation"]["uri"],
        "exports/devices.csv"
    );
    // A JSON record is no line: no region is made up.
    assert!(loc("pn-0002").get("region").is_none());
}

#[test]
fn a_scan_of_a_csv_export_and_a_missing_file_says_so_in_sarif() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.apk");
    let csv = "sample-apps/inventories/generic-devices.csv";
    let out = common::run_msgaudit([
        "scan",
        missing.to_str().unwrap(),
        csv,
        "--as-of",
        "2026-12-05",
        "--format",
        "sarif",
    ]);
    assert_eq!(out.status.code(), Some(4));
    let log: Value = common::json(&out.stdout).expect("SARIF");
    assert_valid(&log);
    let run = &log["runs"][0];
    let artifacts = run["artifacts"].as_array().unwrap();
    let nope = artifacts
        .iter()
        .find(|a| a["location"]["uri"].as_str().unwrap().ends_with("nope.apk"))
        .expect("the missing file is an artifact");
    assert_eq!(nope["length"], -1);
    assert!(nope.get("hashes").is_none(), "{nope}");
    assert_eq!(invocation(&log)["executionSuccessful"], false);
    // Every device result of the CSV names its row's line.
    let text = std::fs::read_to_string(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut seen = 0;
    for r in results(&log) {
        let l = &r["locations"][0];
        let fqn = l["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap_or_default();
        let Some(n) = fqn.strip_prefix("csv line ") else {
            continue;
        };
        let n: usize = n.parse().unwrap();
        assert_eq!(l["physicalLocation"]["region"]["startLine"], n, "{r}");
        assert_eq!(l["physicalLocation"]["artifactLocation"]["uri"], csv);
        // That line is a device row of the file (its id starts it).
        assert!(lines[n - 1].starts_with("A-"), "{}", lines[n - 1]);
        seen += 1;
    }
    assert!(seen > 0, "no result of a CSV row");
}
