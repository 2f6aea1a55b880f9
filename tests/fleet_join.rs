//! Device fleets that reach a verdict: Intune compliance exports joined to
//! Intune device lists (DEV-02, DEV-03), and compromised devices failing
//! `dsk-must` in every adapter that reports compromise.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories")
}

fn sample(name: &str) -> String {
    samples().join(name).display().to_string()
}

/// `scan --format json` over `files`: (exit code, report, stderr).
fn scan(files: &[String], extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["scan", "--format", "json", "--as-of", "2026-11-23"];
    args.extend_from_slice(extra);
    msgaudit(&args, files)
}

/// `msgaudit ARGS… FILES…`: (exit code, stdout as JSON, stderr).
fn msgaudit(args: &[&str], files: &[String]) -> (i32, Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args(args)
        .args(files)
        .output()
        .expect("run msgaudit");
    let json = common::json(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The result of check `check` (by prefix) for the device from `source`
/// (`intune-graph record 2`).
fn result<'a>(report: &'a Value, source: &str, check: &str) -> &'a Value {
    let t = report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"]["source"] == source)
        .unwrap_or_else(|| panic!("no device from {source}"));
    t["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with(check))
        .unwrap_or_else(|| panic!("no {check} for {source}"))
}

fn evidence(r: &Value) -> String {
    r["evidence"][0]["value"].as_str().unwrap_or("").to_string()
}

fn errors(report: &Value) -> Vec<String> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t.get("error").map(|e| e.to_string()))
        .collect()
}

#[test]
fn setting_states_decide_the_passcode_pass_fail_grace_missing_and_error() {
    let (_, r, stderr) = scan(
        &[
            sample("intune-graph-managedDevices.json"),
            sample("intune-compliance-setting-states.json"),
        ],
        &[],
    );
    assert!(errors(&r).is_empty(), "{:?} {stderr}", errors(&r));
    // compliant → pass, the state is the evidence.
    let ok = result(&r, "intune-graph record 1", "DEV-02");
    assert_eq!(ok["outcome"], "pass");
    assert!(
        evidence(ok).contains("IosCompliancePolicy.passcodeRequired = \"compliant\""),
        "{ok}"
    );
    // nonCompliant within the grace period → still fail; the grace period is evidence.
    let grace = result(&r, "intune-graph record 2", "DEV-02");
    assert_eq!(grace["outcome"], "fail");
    assert!(
        evidence(grace).contains("grace period until 2026-12-20"),
        "{grace}"
    );
    // error → undecided, saying what would decide.
    let error = result(&r, "intune-graph record 4", "DEV-02");
    assert_eq!(error["outcome"], "manual");
    assert!(evidence(error).contains("= \"error\""), "{error}");
    assert!(error["message"]["en"]
        .as_str()
        .unwrap()
        .contains("compliant or remediated passes, nonCompliant fails"));
    assert!(error["message"]["de"]
        .as_str()
        .unwrap()
        .contains("„behoben“ gilt als erfüllt"));
    // No row for the device → undecided, the evidence names the exports.
    let missing = result(&r, "intune-graph record 5", "DEV-02");
    assert_eq!(missing["outcome"], "manual");
    assert!(
        evidence(missing).contains("no setting state or policy status"),
        "{missing}"
    );
    assert!(evidence(missing).contains("intune-compliance-setting-states.json"));
    // remediated → pass.
    assert_eq!(
        result(&r, "intune-graph record 6", "DEV-02")["outcome"],
        "pass"
    );
    // A compliant passcode does not save a jailbroken device.
    let jb = result(&r, "intune-graph record 3", "DEV-02");
    assert_eq!(jb["outcome"], "fail");
    assert_eq!(evidence(jb), "jailBroken = \"True\"");
}

#[test]
fn without_compliance_exports_the_passcode_stays_undecided() {
    let (_, r, _) = scan(&[sample("intune-graph-managedDevices.json")], &[]);
    for n in [1, 2, 4, 5, 6] {
        let res = result(&r, &format!("intune-graph record {n}"), "DEV-02");
        assert_eq!(res["outcome"], "manual", "{res}");
    }
}

#[test]
fn device_statuses_count_only_with_the_policy_that_requires_a_passcode() {
    let statuses = sample("intune-compliance-device-statuses.json");
    let policies = sample("intune-compliance-policies.json");
    let pages = sample("intune-graph-pages.jsonl");
    let (_, r, stderr) = scan(&[pages.clone(), statuses.clone(), policies], &[]);
    assert!(errors(&r).is_empty(), "{:?} {stderr}", errors(&r));
    let ok = result(&r, "intune-graph record 1", "DEV-02");
    assert_eq!(ok["outcome"], "pass");
    assert!(
        evidence(ok).contains("policy \"iOS Klinikum Basis\" requires a passcode"),
        "{ok}"
    );
    // Without the policy list, a status says nothing about the passcode.
    let (_, r, _) = scan(&[pages.clone(), statuses], &[]);
    let unknown = result(&r, "intune-graph record 1", "DEV-02");
    assert_eq!(unknown["outcome"], "manual");
    assert!(
        evidence(unknown).contains("add the deviceCompliancePolicies export"),
        "{unknown}"
    );
    // A nonCompliant status does not say which setting failed: undecided.
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(samples().join("intune-compliance-device-statuses.json"))
        .unwrap()
        .replacen("\"status\":\"compliant\"", "\"status\":\"nonCompliant\"", 1);
    let nc = dir.path().join("statuses.json");
    std::fs::write(&nc, text).unwrap();
    let (_, r, _) = scan(
        &[
            pages,
            nc.display().to_string(),
            sample("intune-compliance-policies.json"),
        ],
        &[],
    );
    let res = result(&r, "intune-graph record 1", "DEV-02");
    assert_eq!(res["outcome"], "manual", "{res}");
    assert!(evidence(res).contains("does not say which of the policy's settings failed"));
}

#[test]
fn encryption_from_setting_states_where_the_device_list_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    // An Intune portal CSV without the Encrypted column.
    let csv = "Device ID,Device name,OS,OS version,Jailbroken,Managed by,Last check-in\n\
               3f2b9c1e-0000-4000-8000-0000000000b2,NOTAUFNAHME-TAB-07,Android,16,False,Intune,2026-11-20 11:00:00\n\
               3f2b9c1e-0000-4000-8000-0000000000d4,LABOR-SCANNER-01,Android,16,False,Intune,2026-11-20 11:00:00\n";
    let list = dir.path().join("devices.csv");
    std::fs::write(&list, csv).unwrap();
    let states = r#"{"value":[
      {"setting":"AndroidDeviceOwnerCompliancePolicy.storageRequireEncryption","settingName":"storageRequireEncryption","deviceId":"3f2b9c1e-0000-4000-8000-0000000000b2","state":"compliant"},
      {"setting":"AndroidDeviceOwnerCompliancePolicy.storageRequireEncryption","settingName":"storageRequireEncryption","deviceId":"3f2b9c1e-0000-4000-8000-0000000000d4","state":"nonCompliant","complianceGracePeriodExpirationDateTime":"9999-12-31T23:59:59Z"}]}"#;
    let st = dir.path().join("states.json");
    std::fs::write(&st, states).unwrap();
    let (_, r, stderr) = scan(&[list.display().to_string(), st.display().to_string()], &[]);
    assert!(errors(&r).is_empty(), "{:?} {stderr}", errors(&r));
    let pass = result(&r, "intune-csv line 2", "DEV-03");
    assert_eq!(pass["outcome"], "pass", "{pass}");
    assert!(evidence(pass).contains("storageRequireEncryption = \"compliant\""));
    let fail = result(&r, "intune-csv line 3", "DEV-03");
    assert_eq!(fail["outcome"], "fail", "{fail}");
}

#[test]
fn a_compliance_export_without_a_device_list_is_a_clear_error() {
    let (code, r, stderr) = scan(&[sample("intune-compliance-setting-states.json")], &[]);
    assert_ne!(code, 0);
    let errs = errors(&r);
    assert_eq!(errs.len(), 1, "{errs:?} {stderr}");
    assert!(
        errs[0].contains("this scan has no Intune device list"),
        "{errs:?}"
    );
    // In German reports too.
    let (_, r, _) = scan(
        &[sample("intune-compliance-setting-states.json")],
        &["--lang", "de"],
    );
    let t = serde_json::to_string(&r).unwrap();
    assert!(t.contains("keine Intune-Geräteliste"), "{t}");
}

/// `states.json` in `dir`: a setting-states export whose one row (3 MB) is
/// over `--max-record-size 1`.
fn oversized_setting_states(dir: &Path) -> PathBuf {
    let big = format!(
        r#"{{"value":[{{"setting":"IosCompliancePolicy.passcodeRequired","settingName":"passcodeRequired","deviceId":"3f2b9c1e-0000-4000-8000-0000000000a1","state":"compliant","pad":"{}"}}]}}"#,
        "x".repeat(3_000_000)
    );
    let st = dir.join("states.json");
    std::fs::write(&st, big).unwrap();
    st
}

#[test]
fn a_compliance_row_over_the_record_limit_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let st = oversized_setting_states(dir.path());
    let (code, r, _) = scan(
        &[
            sample("intune-graph-managedDevices.json"),
            st.display().to_string(),
        ],
        &["--max-record-size", "1"],
    );
    assert_ne!(code, 0);
    let errs = errors(&r);
    assert!(
        errs.iter()
            .any(|e| e.contains("states.json") && e.contains("--max-record-size")),
        "{errs:?}"
    );
    // Nothing unread improves a verdict: the device stays undecided.
    assert_eq!(
        result(&r, "intune-graph record 1", "DEV-02")["outcome"],
        "manual"
    );
}

#[test]
fn compromised_devices_are_not_compliant_in_dsk_must_for_every_adapter() {
    // (sample, field named in the evidence)
    let cases = [
        ("intune-graph-managedDevices.json", "jailBroken"),
        ("intune-graph-pages.jsonl", "partnerReportedThreatState"),
        ("intune-portal-export.csv", "Jailbroken"),
        ("jamf-mobile-devices.xml", "jailbreak_detected"),
        ("jamf-advanced-search.csv", "Jailbreak"),
        ("workspace-one-devices.json", "Compromised"),
        (
            "android-management-devices.json",
            "securityPosture.devicePosture",
        ),
        ("generic-devices.csv", "compromised"),
    ];
    for (file, field) in cases {
        let (_, r, _) = scan(&[sample(file)], &["--profile", "dsk-must"]);
        let mut found = 0;
        for t in r["targets"].as_array().unwrap() {
            let results = t["results"].as_array().unwrap();
            let compromised: Vec<&Value> = results
                .iter()
                .filter(|res| {
                    res["message"]["en"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("The MDM reports the device as rooted")
                })
                .collect();
            if compromised.is_empty() {
                continue;
            }
            found += 1;
            assert_eq!(t["verdict"], "not_compliant", "{file}: {t}");
            let checks: Vec<&str> = compromised
                .iter()
                .map(|res| res["requirement"].as_str().unwrap())
                .collect();
            assert_eq!(checks, ["DEV-02", "DEV-03"], "{file}");
            for res in compromised {
                assert_eq!(res["outcome"], "fail");
                assert!(
                    evidence(res).to_lowercase().contains(&field.to_lowercase()),
                    "{file}: {res}"
                );
            }
        }
        assert!(found >= 1, "{file}: no compromised device failed");
    }
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS").map(PathBuf::from)?;
    if dir.join("mdm/intune").is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: corpus not found (set MSGAUDIT_CORPUS)");
        None
    }
}

#[test]
fn corpus_compliance_exports_are_read_and_joined() {
    let Some(c) = corpus() else {
        eprintln!("skipping: MSGAUDIT_CORPUS not set");
        return;
    };
    let f = |n: &str| c.join("mdm/intune").join(n).display().to_string();
    let (_, r, stderr) = scan(
        &[
            f("graph-beta-managedDevices.json"),
            f("graph-beta-deviceCompliancePolicy-deviceStatuses.json"),
            f("graph-v1-deviceCompliancePolicies.json"),
        ],
        &[],
    );
    assert!(errors(&r).is_empty(), "{:?} {stderr}", errors(&r));
    // The recorded status belongs to device 683dbff1… (record 1), for the
    // recorded iOS policy, which does not require a passcode
    // (`passcodeRequired: false`): it decides nothing.
    let res = result(&r, "intune-graph record 1", "DEV-02");
    assert_eq!(res["outcome"], "manual");
    assert!(
        evidence(res).contains("no setting state or policy status"),
        "{res}"
    );
    // Without the policy list the recorded status is cited, policy unknown.
    let (_, r, _) = scan(
        &[
            f("graph-beta-managedDevices.json"),
            f("graph-beta-deviceCompliancePolicy-deviceStatuses.json"),
        ],
        &[],
    );
    let res = result(&r, "intune-graph record 1", "DEV-02");
    assert!(
        evidence(res).contains(
            "\"nonCompliant\" for compliance policy 1aa3f0f3-d780-4349-885b-c86d273aa14e"
        ),
        "{res}"
    );
}

/// `msgaudit facts FILES…`: (exit code, stdout as JSON, stderr).
fn facts(files: &[String]) -> (i32, Value, String) {
    msgaudit(&["facts", "--as-of", "2026-11-23"], files)
}

#[test]
fn facts_joins_compliance_exports_to_the_intune_devices_as_scan_does() {
    let (code, doc, stderr) = facts(&[
        sample("intune-graph-managedDevices.json"),
        sample("intune-compliance-setting-states.json"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // One device list: one document (the compliance export is joined, not printed).
    assert_eq!(doc["kind"], "inventory", "{doc}");
    let devices = doc["devices"].as_array().unwrap();
    let by_record = |n: usize| &devices[n - 1];
    // compliant → passcode true, with the state and its evidence.
    let ok = by_record(1);
    assert_eq!(ok["passcode"], true, "{ok}");
    assert_eq!(ok["policy_compliance"]["passcode"], "compliant", "{ok}");
    assert!(ok["raw"]["passcode"]
        .as_str()
        .unwrap()
        .contains("IosCompliancePolicy.passcodeRequired = \"compliant\""));
    // nonCompliant (within the grace period) → false; error → unknown; no row → missing.
    assert_eq!(by_record(2)["passcode"], false);
    assert_eq!(by_record(4)["passcode"], Value::Null);
    assert_eq!(by_record(4)["policy_compliance"]["passcode"], "error");
    assert_eq!(by_record(5)["policy_compliance"]["passcode"], "missing");
    // What scan decides from the same inputs agrees with the facts.
    let (_, r, _) = scan(
        &[
            sample("intune-graph-managedDevices.json"),
            sample("intune-compliance-setting-states.json"),
        ],
        &[],
    );
    assert_eq!(
        result(&r, "intune-graph record 1", "DEV-02")["outcome"],
        "pass"
    );
    assert_eq!(
        result(&r, "intune-graph record 2", "DEV-02")["outcome"],
        "fail"
    );

    // Without the compliance export nothing is joined.
    let (code, doc, _) = facts(&[sample("intune-graph-managedDevices.json")]);
    assert_eq!(code, 0);
    assert_eq!(doc["devices"][0]["passcode"], Value::Null);
    assert_eq!(doc["devices"][0]["policy_compliance"], Value::Null);
}

#[test]
fn facts_refuses_a_compliance_export_without_an_intune_device_list() {
    // Read alone, its rows would pass for Intune devices: refused instead, as by `scan`.
    let (code, doc, stderr) = facts(&[sample("intune-compliance-setting-states.json")]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("intune-compliance-setting-states.json")
            && stderr.contains("no Intune device list"),
        "{stderr}"
    );
    assert_eq!(doc, Value::Null, "{doc}");
}

#[test]
fn facts_names_a_compliance_export_it_cannot_read() {
    let dir = tempfile::tempdir().unwrap();
    let st = oversized_setting_states(dir.path());
    let (code, doc, stderr) = facts(&[
        sample("intune-graph-managedDevices.json"),
        st.display().to_string(),
        "--max-record-size".into(),
        "1".into(),
    ]);
    assert_eq!(code, 4, "{stderr}");
    assert!(
        stderr.contains("states.json") && stderr.contains("--max-record-size"),
        "{stderr}"
    );
    // The device list is written, and nothing of the unreadable export is joined.
    assert_eq!(doc["kind"], "inventory", "{doc}");
    assert!(doc["devices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["policy_compliance"].is_null()));
}

/// `scan --format md --lang LANG` over the Intune device list and its
/// setting states: the report's text.
fn joined_markdown(lang: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args([
            "scan",
            "--format",
            "md",
            "--as-of",
            "2026-11-23",
            "--lang",
            lang,
        ])
        .arg(sample("intune-graph-managedDevices.json"))
        .arg(sample("intune-compliance-setting-states.json"))
        .output()
        .expect("run msgaudit");
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// The evidence items (between backticks) of `report` that hold `needle`.
fn evidence_items<'a>(report: &'a str, needle: &str) -> Vec<&'a str> {
    report
        .split('`')
        .filter(|item| item.contains(needle))
        .collect()
}

#[test]
fn joined_compliance_evidence_names_its_record_once() {
    // The setting state's evidence cites its export and record; the device
    // list's record must not follow it, whether the numbers agree (record 6
    // of both files) or differ (device record 4, setting-state record 5).
    for (lang, unit, state) in [
        ("de", "Datensatz", "Intune-Einstellungszustand "),
        ("en", "record", "Intune setting state "),
    ] {
        let report = joined_markdown(lang);
        let items = evidence_items(&report, state);
        assert!(items.len() >= 3, "{lang}: {report}");
        for item in items {
            assert_eq!(
                item.matches(unit).count(),
                1,
                "{lang}: the record said more than once: {item}"
            );
            assert!(
                item.trim_end().ends_with(')')
                    && item.contains("intune-compliance-setting-states.json, "),
                "{lang}: {item}"
            );
        }
    }
    let report = joined_markdown("de");
    assert!(
        report.contains("= \"remediated\" (")
            && evidence_items(&report, "= \"remediated\"")[0]
                .ends_with("intune-compliance-setting-states.json, Datensatz 6)"),
        "{report}"
    );
    // The JSON report keeps no device locator beside such evidence.
    let (_, r, _) = scan(
        &[
            sample("intune-graph-managedDevices.json"),
            sample("intune-compliance-setting-states.json"),
        ],
        &[],
    );
    let ev = &result(&r, "intune-graph record 4", "DEV-02")["evidence"][0];
    assert!(ev["value"].as_str().unwrap().contains("record 5"), "{ev}");
    assert!(ev.get("location").is_none_or(Value::is_null), "{ev}");
}

/// `scan --lang de --as-of 2026-11-23 --format FORMAT FILES…`: stdout.
fn scan_text(format: &str, files: &[String]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args(["scan", "--as-of", "2026-11-23", "--lang", "de"])
        .args(["--format", format])
        .args(files)
        .output()
        .expect("run msgaudit");
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// `text`'s words, one space apart (reports wrap long cells).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_device_list_and_compliance_data_that_disagree_are_said_in_german() {
    let dir = tempfile::tempdir().unwrap();
    // Device a1 is encrypted by the device list and nonCompliant on
    // encryption by the setting states; b2 the other way round.
    let list = dir.path().join("devices.json");
    std::fs::write(
        &list,
        r#"{"value":[
      {"id":"3f2b9c1e-0000-4000-8000-0000000000a1","operatingSystem":"iOS","osVersion":"26.5","isEncrypted":true,"jailBroken":"False","managementAgent":"mdm","lastSyncDateTime":"2026-11-21T06:00:00Z","serialNumber":"F2LXX0000001"},
      {"id":"3f2b9c1e-0000-4000-8000-0000000000b2","operatingSystem":"Android","osVersion":"16","androidSecurityPatchLevel":"2026-06-05","isEncrypted":false,"jailBroken":"False","managementAgent":"mdm","lastSyncDateTime":"2026-11-21T06:00:00Z","serialNumber":"R58N000000X"}]}"#,
    )
    .unwrap();
    let states = dir.path().join("states.json");
    std::fs::write(
        &states,
        r#"{"value":[
      {"setting":"IosCompliancePolicy.storageRequireEncryption","settingName":"storageRequireEncryption","deviceId":"3f2b9c1e-0000-4000-8000-0000000000a1","state":"nonCompliant"},
      {"setting":"IosCompliancePolicy.passcodeRequired","settingName":"passcodeRequired","deviceId":"3f2b9c1e-0000-4000-8000-0000000000a1","state":"compliant"},
      {"setting":"AndroidDeviceOwnerCompliancePolicy.storageRequireEncryption","settingName":"storageRequireEncryption","deviceId":"3f2b9c1e-0000-4000-8000-0000000000b2","state":"compliant"},
      {"setting":"AndroidDeviceOwnerCompliancePolicy.passwordRequired","settingName":"passwordRequired","deviceId":"3f2b9c1e-0000-4000-8000-0000000000b2","state":"nonCompliant"}]}"#,
    )
    .unwrap();
    // A second MDM export of the same two phones, checked in later, says
    // the opposite of the compliance data about the screen lock.
    let ward = dir.path().join("ward.csv");
    std::fs::write(
        &ward,
        "device_id,platform,os_version,passcode_present,managed,last_checkin,serial\n\
         G-1,ios,26.5,false,true,2026-11-22T08:00:00Z,F2LXX0000001\n\
         G-2,android,16,true,true,2026-11-22T08:00:00Z,R58N000000X\n",
    )
    .unwrap();
    let files = [&list, &states, &ward].map(|p| p.display().to_string());

    // DEV-03: the device list against the compliance data, both ways.
    let (_, r, stderr) = scan(&files[..2], &["--lang", "de"]);
    assert!(errors(&r).is_empty(), "{:?} {stderr}", errors(&r));
    let warn = result(&r, "intune-graph record 1", "DEV-03");
    assert_eq!(warn["outcome"], "warn", "{warn}");
    let fail = result(&r, "intune-graph record 2", "DEV-03");
    assert_eq!(fail["outcome"], "fail", "{fail}");
    for (res, said) in [
        (warn, "isEncrypted = true laut Geräteliste (record 1), aber Intune-Einstellungszustand IosCompliancePolicy.storageRequireEncryption = \"nonCompliant\" (states.json, Datensatz 1); die Exporte widersprechen sich"),
        (fail, "isEncrypted = false laut Geräteliste (record 2), aber Intune-Einstellungszustand AndroidDeviceOwnerCompliancePolicy.storageRequireEncryption = \"compliant\" (states.json, Datensatz 3); die Exporte widersprechen sich"),
    ] {
        let said = said
            .replace("(record ", "(Datensatz ")
            .replace("(states.json", &format!("({}", files[1]));
        assert_eq!(res["evidence"][0]["value_de"], said.as_str(), "{res}");
    }
    let dev03_de = [
        "Die Exporte widersprechen sich. Bitte die Verschlüsselung am Gerät oder im MDM prüfen.",
        "eine andere Angabe widerspricht dem (siehe Beleg)",
        "; die Exporte widersprechen sich",
    ];
    // DEV-02: the merged device's German evidence cites what its English
    // evidence cites (the CSV's value), never the other export's state.
    let passcode_de = "passcode_present = \"false\"";
    let conflict_de = "maßgeblich ist die jüngste Meldung an das MDM: passcode = false";
    // The fleet table lists devices, not evidence: it must only not be English.
    for format in ["table", "md", "html", "csv"] {
        let de = scan_text(format, &files[..2]);
        for english in [
            "disagree",
            "in the device list",
            "contradicts",
            "setting state",
        ] {
            assert!(!de.contains(english), "{format} says {english:?}:\n{de}");
        }
        if format == "table" {
            continue;
        }
        let flat = words(&de);
        for said in dev03_de {
            assert!(flat.contains(said), "{format} lacks {said:?}:\n{de}");
        }
        let merged = scan_text(format, &files);
        let passcode_de = match format {
            "html" => passcode_de.replace('"', "&quot;"),
            "csv" => passcode_de.replace('"', "\"\""),
            _ => passcode_de.to_string(),
        };
        let flat = words(&merged);
        let row = flat
            .split("DEV-02")
            .find(|part| part.contains(&passcode_de))
            .unwrap_or_else(|| panic!("{format}: no DEV-02 citing the CSV:\n{merged}"));
        assert!(!row.contains("passcodeRequired"), "{format}: {row}");
        assert!(flat.contains(conflict_de), "{format}:\n{merged}");
        assert!(!merged.contains("most recent check-in counts"), "{format}");
    }
}
