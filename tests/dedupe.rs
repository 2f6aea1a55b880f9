//! One device, one row: a device several exports of one scan list is
//! assessed once, keeps every source, takes the values of its most recent
//! check-in, and names what the exports disagree on as evidence.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// A directory of its own for one test's exports.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("msgaudit-dedupe-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A generic CSV: SN-1 unencrypted (checked in on 1 October), SN-2 only here.
const CSV: &str = "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
A-1,Ward-Phone-1,ios,26.5,true,false,false,true,2026-10-01T08:00:00Z,SN-1\n\
A-2,Ward-Phone-2,ios,26.5,true,true,false,true,2026-10-01T08:00:00Z,SN-2\n";

/// An Intune Graph export: SN-1 encrypted (checked in on 20 November), X only here.
const GRAPH: &str = r#"{"value":[
{"id":"i-1","deviceName":"Ward-Phone-1","operatingSystem":"iOS","osVersion":"26.5","isEncrypted":true,"jailBroken":"False","managementAgent":"mdm","lastSyncDateTime":"2026-11-20T08:00:00Z","serialNumber":"SN-1"},
{"id":"i-9","deviceName":"Lab-Phone","operatingSystem":"iOS","osVersion":"26.5","isEncrypted":true,"jailBroken":"False","managementAgent":"mdm","lastSyncDateTime":"2026-11-20T08:00:00Z","serialNumber":"SN-9"}
]}"#;

fn scan(files: &[PathBuf], extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args([
            "scan",
            "--as-of",
            "2026-11-23",
            "--pseudonym-key",
            "test-key",
        ])
        .args(extra)
        .args(files)
        .output()
        .expect("run msgaudit");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn evidence_of<'a>(device: &'a Value, check: &str) -> Vec<&'a Value> {
    device["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["check"].as_str().unwrap().starts_with(check))
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .collect()
}

#[test]
fn a_device_in_two_exports_is_one_device_with_both_sources_and_the_conflict_as_evidence() {
    let d = dir("two");
    let csv = d.join("ward.csv");
    let graph = d.join("intune.json");
    std::fs::write(&csv, CSV).unwrap();
    std::fs::write(&graph, GRAPH).unwrap();
    let (_, out) = scan(&[csv.clone(), graph.clone()], &["--format", "json"]);
    let report: Value = common::json_str(&out).expect("JSON report");
    let all = common::device_targets(&report);
    assert_eq!(all.len(), 3, "SN-1 once, SN-2 and SN-9: {out}");
    // The merged device counts with the export read last (the Intune export).
    let merged: Vec<&&Value> = all
        .iter()
        .filter(|t| {
            !evidence_of(t, "DEV-03")
                .iter()
                .all(|e| e["kind"] != "conflict")
        })
        .collect();
    assert_eq!(merged.len(), 1, "one device has conflict evidence");
    let conflict = evidence_of(merged[0], "DEV-03")
        .into_iter()
        .find(|e| e["kind"] == "conflict")
        .unwrap();
    let text = conflict["value"].as_str().unwrap();
    assert!(
        text.contains("encryption = true (in intune-graph")
            && text.contains("encryption = false (in csv"),
        "{text}"
    );
    assert!(conflict["value_de"]
        .as_str()
        .unwrap()
        .contains("maßgeblich ist die jüngste Meldung an das MDM"));
    // The most recent check-in (Intune, encrypted) decides DEV-03.
    let dev03 = merged[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with("DEV-03"))
        .unwrap();
    assert_eq!(dev03["outcome"], "pass", "{dev03}");
    // Each export says how many of its devices other exports list too.
    let inventories = report["fleet"]["inventories"].as_array().unwrap();
    assert_eq!(inventories.len(), 2);
    for inv in inventories {
        let notes = inv["warnings"].to_string();
        assert!(notes.contains("also listed by other exports"), "{inv}");
    }
    let counted: Vec<u64> = inventories
        .iter()
        .map(|i| i["devices"].as_u64().unwrap())
        .collect();
    assert_eq!(counted, [1, 2], "SN-1 counts with the export read last");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_german_report_names_the_disagreement_in_german() {
    let d = dir("de");
    let csv = d.join("ward.csv");
    let graph = d.join("intune.json");
    std::fs::write(&csv, CSV).unwrap();
    std::fs::write(&graph, GRAPH).unwrap();
    let (_, html) = scan(&[csv, graph], &["--format", "html", "--lang", "de"]);
    assert!(
        html.contains("Widerspruch zwischen Exporten: maßgeblich ist"),
        "conflict evidence in German"
    );
    assert!(html.contains("1 Gerät dieses Exports steht auch in anderen Exporten dieses Prüflaufs"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn one_export_alone_is_read_as_before() {
    let d = dir("one");
    let csv = d.join("ward.csv");
    std::fs::write(&csv, CSV.replace("SN-2", "SN-1")).unwrap();
    let (_, out) = scan(&[csv], &["--format", "json"]);
    let report: Value = common::json_str(&out).unwrap();
    // Two rows of one export with the same serial are not merged: only
    // devices of different exports are one device.
    assert_eq!(common::device_targets(&report).len(), 2);
    assert!(!out.contains("also listed by other exports"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn devices_whose_serial_is_a_placeholder_are_not_one_device() {
    // Two MDMs export "unknown" (and an all-zero IMEI) where they do not
    // know the serial: the two phones are different devices, and the
    // unencrypted one must not be hidden behind the other's newer check-in.
    let d = dir("placeholder");
    let csv = d.join("a.csv");
    std::fs::write(
        &csv,
        "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial,imei\n\
         A-1,Ward-Phone-1,ios,26.5,true,false,false,true,2026-11-01T08:00:00Z,unknown,000000000000000\n",
    )
    .unwrap();
    let graph = d.join("b.json");
    std::fs::write(
        &graph,
        r#"{"value":[{"id":"i-1","deviceName":"Lab-Phone","operatingSystem":"iOS","osVersion":"26.5","isEncrypted":true,"jailBroken":"False","managementAgent":"mdm","lastSyncDateTime":"2026-11-20T08:00:00Z","serialNumber":"Unknown","imei":"00 000000 000000 0"}]}"#,
    )
    .unwrap();
    let (_, out) = scan(&[csv, graph], &["--format", "json"]);
    let report: Value = serde_json::from_str(&out).unwrap();
    let devices = common::device_targets(&report);
    assert_eq!(devices.len(), 2, "{out}");
    assert!(
        devices.iter().any(|d| d["verdict"] == "not_compliant"),
        "{out}"
    );
    assert!(!out.contains("also list"), "{out}");
}

/// The evidence of `check` on `device` (a report expanded by
/// `common::json_str`): (English, German, location) per item.
fn evidence_texts(device: &Value, check: &str) -> Vec<(String, String, String)> {
    evidence_of(device, check)
        .into_iter()
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (text("value"), text("value_de"), text("location"))
        })
        .collect()
}

/// A directory `name` holding `ward.csv` (`csv`) and `intune.json` ([`GRAPH`]).
fn csv_and_graph(name: &str, csv: &str) -> (PathBuf, PathBuf, PathBuf) {
    let d = dir(name);
    let (ward, graph) = (d.join("ward.csv"), d.join("intune.json"));
    std::fs::write(&ward, csv).unwrap();
    std::fs::write(&graph, GRAPH).unwrap();
    (d, ward, graph)
}

#[test]
fn a_merged_device_names_the_export_and_record_its_leading_values_come_from() {
    // The CSV's record (checked in a day before the audit) is fresher than
    // the Intune one, but the Intune export is read last: the device counts
    // with the Intune export, yet its file, source and evidence locations
    // name the CSV's line 2, never "intune-graph line 2" (a record the
    // Intune file does not have).
    let (d, csv, graph) = csv_and_graph(
        "leading",
        &CSV.replace("2026-10-01T08:00:00Z,SN-1", "2026-11-22T08:00:00Z,SN-1"),
    );
    let (_, out) = scan(&[csv.clone(), graph.clone()], &["--format", "json"]);
    let report: Value = common::json_str(&out).expect("JSON report");
    let merged: Vec<&Value> = common::device_targets(&report)
        .into_iter()
        .filter(|t| {
            evidence_of(t, "DEV-03")
                .iter()
                .any(|e| e["kind"] == "conflict")
        })
        .collect();
    assert_eq!(merged.len(), 1, "{out}");
    let target = &merged[0]["target"];
    assert_eq!(target["source"], "csv line 2", "{target}");
    assert!(
        target["file"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("ward.csv")),
        "{target}"
    );
    // The freshest record (the CSV's, unencrypted) decides, cited at its line.
    let dev03 = evidence_texts(merged[0], "DEV-03");
    assert!(
        dev03.contains(&(
            "encrypted = \"false\"".into(),
            "encrypted = \"false\"".into(),
            "line 2".into()
        )),
        "{dev03:?}"
    );
    // One day is "1 day" / "1 Tag", not "1 days" / "1 Tage".
    let dev04 = evidence_texts(merged[0], "DEV-04");
    assert!(
        dev04.iter().any(
            |(en, de, _)| en.contains("last check-in 1 day before 2026-11-23")
                && de.contains("letzter MDM-Kontakt 1 Tag vor dem 2026-11-23")
        ),
        "{dev04:?}"
    );
    // Each export still counts its own devices (the merged one with the
    // export read last).
    let counted: Vec<u64> = report["fleet"]["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["devices"].as_u64().unwrap())
        .collect();
    assert_eq!(counted, [1, 2]);
    // The German Markdown says the same.
    let (_, md) = scan(&[csv, graph], &["--format", "md", "--lang", "de"]);
    assert!(md.contains("- **Quelle:** csv, Zeile 2"), "{md}");
    assert!(!md.contains("intune-graph, Zeile"), "{md}");
    assert!(!md.contains("1 Tage"), "{md}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_passcode_from_one_export_is_cited_at_its_record_not_as_the_other_exports_compliance_data() {
    // The Intune device list's first device has a compliant passcode
    // setting in the compliance export; the same device (by serial) in a
    // CSV checked in later says passcode_present = false. The CSV's value
    // decides DEV-02, and its evidence is the CSV's line, in both
    // languages — not a value without a location because the Intune
    // record's passcode came from its compliance data.
    let d = dir("compliance");
    let inventories = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    let csv = d.join("ward.csv");
    std::fs::write(
        &csv,
        "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
         A-1,Ward-Phone-1,ios,26.5,false,true,false,true,2026-11-22T08:00:00Z,F2LXX0000001\n",
    )
    .unwrap();
    let files = [
        csv,
        inventories.join("intune-graph-managedDevices.json"),
        inventories.join("intune-compliance-setting-states.json"),
    ];
    let (_, out) = scan(&files, &["--format", "json"]);
    let report: Value = common::json_str(&out).expect("JSON report");
    let merged: Vec<&Value> = common::device_targets(&report)
        .into_iter()
        .filter(|t| t["target"]["source"] == "csv line 2")
        .collect();
    assert_eq!(merged.len(), 1, "{out}");
    let dev02 = merged[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with("DEV-02"))
        .unwrap();
    assert_eq!(dev02["outcome"], "fail", "{dev02}");
    let items = evidence_texts(merged[0], "DEV-02");
    assert!(
        items.contains(&(
            "passcode_present = \"false\"".into(),
            "passcode_present = \"false\"".into(),
            "line 2".into()
        )),
        "{items:?}"
    );
    assert!(
        !items
            .iter()
            .any(|(en, de, _)| en.starts_with("Intune setting state")
                || de.starts_with("Intune-Einstellungszustand")),
        "the Intune compliance state is no evidence of the CSV's value: {items:?}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_value_only_an_older_record_gives_is_cited_with_that_export() {
    // The CSV's record is the most recent but leaves the OS version empty;
    // the Intune record gives it. DEV-01 decides on the Intune value, and
    // its evidence says so, naming the Intune export and record.
    let (d, csv, graph) = csv_and_graph(
        "filled",
        "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
         A-1,Ward-Phone-1,ios,,true,true,false,true,2026-11-22T08:00:00Z,SN-1\n",
    );
    let (_, out) = scan(&[csv.clone(), graph.clone()], &["--format", "json"]);
    let report: Value = common::json_str(&out).expect("JSON report");
    let merged: Vec<&Value> = common::device_targets(&report)
        .into_iter()
        .filter(|t| t["target"]["source"] == "csv line 2")
        .collect();
    assert_eq!(merged.len(), 1, "{out}");
    let filled: Vec<&Value> = evidence_of(merged[0], "DEV-01")
        .into_iter()
        .filter(|e| e["kind"] == "filled")
        .collect();
    assert_eq!(filled.len(), 1, "{out}");
    assert_eq!(
        filled[0]["value"],
        "os_version = 26.5 from intune-graph, record 1 (intune.json): the most recent record, csv, line 2 (ward.csv), does not give it"
    );
    assert_eq!(
        filled[0]["value_de"],
        "os_version = 26.5 laut intune-graph, Datensatz 1 (intune.json): Der jüngste Datensatz, csv, Zeile 2 (ward.csv), nennt den Wert nicht"
    );
    assert!(
        filled[0]["location"]
            .as_str()
            .is_some_and(|l| l.ends_with("intune.json")),
        "{}",
        filled[0]
    );
    // A check that does not read the OS version gets no such item, and a
    // value both records give is no "filled" value.
    assert!(!evidence_of(merged[0], "DEV-03")
        .iter()
        .any(|e| e["kind"] == "filled"));
    // The German report names the kind in German.
    let (_, md) = scan(&[csv, graph], &["--format", "md", "--lang", "de"]);
    assert!(
        md.contains(
            "Wert aus einem anderen Export: os_version = 26.5 laut intune-graph, Datensatz 1 (intune.json)"
        ),
        "{md}"
    );
    let _ = std::fs::remove_dir_all(&d);
}

/// The DEV-03 items of kind `field` on `device`, with their German location.
fn field_items(device: &Value, check: &str) -> Vec<(String, String, String)> {
    evidence_of(device, check)
        .into_iter()
        .filter(|e| e["kind"] == "field")
        .map(|e| {
            let text = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (text("value"), text("location"), text("location_de"))
        })
        .collect()
}

#[test]
fn a_filled_value_is_cited_at_the_record_it_comes_from_and_a_device_only_one_export_lists_at_its_own(
) {
    // The CSV's record of SN-1 is the most recent but leaves `encrypted`
    // empty; only the older Intune record says it is encrypted. DEV-03's
    // field item quotes the Intune record's `isEncrypted = true`: it names
    // the Intune export's record and file (in German too), never the CSV's
    // line 2, which does not give it; the "filled" item stays. The Intune
    // export's own device (record 2, the same text, decided alike from the
    // rule cache) keeps its own record.
    let (d, csv, graph) = csv_and_graph(
        "filled-location",
        "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
         A-1,Ward-Phone-1,ios,26.5,true,,false,true,2026-11-22T08:00:00Z,SN-1\n",
    );
    let (_, out) = scan(&[csv.clone(), graph.clone()], &["--format", "json"]);
    let report: Value = common::json_str(&out).expect("JSON report");
    let devices = common::device_targets(&report);
    let merged: Vec<&Value> = devices
        .iter()
        .copied()
        .filter(|t| t["target"]["source"] == "csv line 2")
        .collect();
    assert_eq!(merged.len(), 1, "{out}");
    assert_eq!(
        field_items(merged[0], "DEV-03"),
        [(
            "isEncrypted = true".to_string(),
            "intune-graph, record 1 (intune.json)".to_string(),
            "intune-graph, Datensatz 1 (intune.json)".to_string()
        )],
        "{out}"
    );
    let filled: Vec<&Value> = evidence_of(merged[0], "DEV-03")
        .into_iter()
        .filter(|e| e["kind"] == "filled")
        .collect();
    assert_eq!(filled.len(), 1, "{out}");
    assert_eq!(
        filled[0]["value"],
        "encryption = true from intune-graph, record 1 (intune.json): the most recent record, csv, line 2 (ward.csv), does not give it"
    );
    // A value the most recent record gives is cited at it, as before.
    assert!(
        field_items(merged[0], "DEV-02")
            .iter()
            .all(|(_, location, _)| location == "line 2"),
        "{out}"
    );
    let lab: Vec<&Value> = devices
        .iter()
        .copied()
        .filter(|t| t["target"]["source"] == "intune-graph record 2")
        .collect();
    assert_eq!(lab.len(), 1, "{out}");
    // (An iPhone whose passcode Intune does not report: DEV-03 stays open
    // and names that too.)
    assert_eq!(
        field_items(lab[0], "DEV-03"),
        [(
            "isEncrypted = true; passcode not in the export (intune-graph)".to_string(),
            "record 2".to_string(),
            "Datensatz 2".to_string()
        )],
        "{out}"
    );
    assert!(
        !evidence_of(lab[0], "DEV-03")
            .iter()
            .any(|e| e["kind"] == "filled"),
        "{out}"
    );
    // The Markdown reports, English and German.
    let (_, md) = scan(&[csv.clone(), graph.clone()], &["--format", "md"]);
    assert!(
        md.contains("`field: isEncrypted = true (intune-graph, record 1 (intune.json))`"),
        "{md}"
    );
    assert!(
        md.contains(
            "`field: isEncrypted = true; passcode not in the export (intune-graph) (record 2)`"
        ),
        "{md}"
    );
    assert!(!md.contains("isEncrypted = true (line 2)"), "{md}");
    let (_, md) = scan(
        &[csv.clone(), graph.clone()],
        &["--format", "md", "--lang", "de"],
    );
    assert!(
        md.contains("`Feld: isEncrypted = true (intune-graph, Datensatz 1 (intune.json))`"),
        "{md}"
    );
    assert!(
        md.contains(
            "`Feld: isEncrypted = true; Gerätesperre nicht im Export (intune-graph) (Datensatz 2)`"
        ),
        "{md}"
    );
    assert!(
        md.contains("Wert aus einem anderen Export: encryption = true laut intune-graph, Datensatz 1 (intune.json)"),
        "{md}"
    );
    assert!(!md.contains("isEncrypted = true (Zeile 2)"), "{md}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn an_item_quoting_a_filled_value_and_one_of_the_most_recent_record_names_both_records() {
    // Seventy days after the check-ins, DEV-03 warns with one item quoting
    // the encryption (from the Intune record) and the age of the last
    // check-in (the CSV's): its location names each record with what it
    // gives, never one record for both.
    let (d, csv, graph) = csv_and_graph(
        "filled-two",
        "device_id,device_name,platform,os_version,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
         A-1,Ward-Phone-1,ios,26.5,true,,false,true,2026-11-22T08:00:00Z,SN-1\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args(["scan", "--as-of", "2027-01-30", "--pseudonym-key", "k"])
        .args(["--format", "json"])
        .args([&csv, &graph])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&out.stdout);
    let report: Value = common::json_str(&out).expect("JSON report");
    let merged: Vec<&Value> = common::device_targets(&report)
        .into_iter()
        .filter(|t| t["target"]["source"] == "csv line 2")
        .collect();
    assert_eq!(merged.len(), 1, "{out}");
    assert_eq!(
        field_items(merged[0], "DEV-03"),
        [(
            "isEncrypted = true; last check-in 69 days before 2027-01-30".to_string(),
            "last check-in: csv, line 2 (ward.csv); encryption: intune-graph, record 1 (intune.json)"
                .to_string(),
            "letzter MDM-Kontakt: csv, Zeile 2 (ward.csv); encryption: intune-graph, Datensatz 1 (intune.json)"
                .to_string()
        )],
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&d);
}
