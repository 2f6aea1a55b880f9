//! The fleet summary's note on the open screen-lock check (DEV-02) is true
//! for the devices it counts: it asks for Intune's setting-state export only
//! for Intune devices of a run without Intune compliance data, and tells the
//! devices of other MDMs what decides them without naming Intune — in
//! Markdown, HTML and the terminal table, in German and English.

use std::path::PathBuf;
use std::process::Command;

fn inventory(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories")
        .join(name)
        .display()
        .to_string()
}

fn scan(format: &str, lang: &str, inputs: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env_remove("MSGAUDIT_PSEUDONYM_KEY")
        .args(["scan", "--as-of", "2026-12-05", "--format", format])
        .args(["--lang", lang])
        .args(inputs)
        .output()
        .expect("run msgaudit");
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The DEV-02 row of the Markdown fleet table.
fn md_note(lang: &str, inputs: &[&str]) -> String {
    let md = scan("md", lang, inputs);
    md.lines()
        .find(|l| l.starts_with("| DEV-02 ("))
        .unwrap_or_else(|| panic!("no DEV-02 row in\n{md}"))
        .to_string()
}

/// The DEV-02 note under the terminal table, on one line.
fn table_note(lang: &str, inputs: &[&str]) -> String {
    let table = scan("table", lang, inputs);
    let flat = table.split_whitespace().collect::<Vec<_>>().join(" ");
    let at = flat
        .find("DEV-02: ")
        .unwrap_or_else(|| panic!("no DEV-02 note in\n{table}"));
    let note = &flat[at..];
    let end = note
        .find("answers file")
        .or_else(|| note.find("Antwortdatei"));
    note[..end.expect("the note ends with the answers file")].to_string()
}

const ASKS_DE: &str = "der Export der Einstellungszustände der Intune-Konformitätsrichtlinien \
                       (deviceComplianceSettingStates)";
const ASKS_EN: &str = "the Intune compliance setting-state export (deviceComplianceSettingStates)";

#[test]
fn with_the_setting_states_export_the_note_does_not_ask_for_it() {
    let devices = inventory("intune-graph-managedDevices.json");
    let states = inventory("intune-compliance-setting-states.json");
    let inputs = [devices.as_str(), states.as_str()];
    let de = md_note("de", &inputs);
    assert!(!de.contains("deviceComplianceSettingStates"), "{de}");
    assert!(
        de.contains(
            "Auf 2 Geräten offen – zur Entscheidung fehlt: bei 2 Intune-Geräten ein eindeutiger \
             Zustand der Einstellung „Code erforderlich“ (die Intune-Konformitätsdaten dieses \
             Prüflaufs reichen nicht aus: die Geräte in Intune synchronisieren"
        ),
        "{de}"
    );
    let en = md_note("en", &inputs);
    assert!(!en.contains("deviceComplianceSettingStates"), "{en}");
    assert!(
        en.contains(
            "Open on 2 devices — what would decide it: for 2 Intune devices, a conclusive state \
             of the passcode-required setting (this run's Intune compliance data does not \
             decide it"
        ),
        "{en}"
    );
    for (lang, html) in [
        ("de", scan("html", "de", &inputs)),
        ("en", scan("html", "en", &inputs)),
    ] {
        assert!(
            !html.contains("deviceComplianceSettingStates"),
            "{lang}: {html}"
        );
    }
    let table = table_note("en", &inputs);
    assert!(!table.contains("deviceComplianceSettingStates"), "{table}");
    assert!(table.contains("for 2 Intune devices"), "{table}");
}

#[test]
fn without_the_setting_states_export_the_note_asks_for_it_for_the_intune_devices() {
    let devices = inventory("intune-graph-managedDevices.json");
    let inputs = [devices.as_str()];
    let de = md_note("de", &inputs);
    assert!(
        de.contains(&format!(
            "Auf 5 Geräten offen – zur Entscheidung fehlt: bei 5 Intune-Geräten {ASKS_DE}"
        )),
        "{de}"
    );
    assert!(!de.contains("Workspace ONE"), "{de}");
    let en = md_note("en", &inputs);
    assert!(
        en.contains(&format!(
            "Open on 5 devices — what would decide it: for 5 Intune devices, {ASKS_EN}"
        )),
        "{en}"
    );
    let html = scan("html", "de", &inputs);
    assert!(html.contains("bei 5 Intune-Geräten der Export der Einstellungszustände"));
    let table = table_note("de", &inputs);
    assert!(table.contains("(deviceComplianceSettingStates)"), "{table}");
}

#[test]
fn devices_of_other_mdms_are_not_sent_to_intune() {
    let jamf = inventory("jamf-pro-inventory.json");
    let ws1 = inventory("workspace-one-devices.json");
    let inputs = [jamf.as_str(), ws1.as_str()];
    for lang in ["de", "en"] {
        let note = md_note(lang, &inputs);
        assert!(!note.contains("Intune"), "{note}");
    }
    let de = md_note("de", &inputs);
    assert!(
        de.contains(
            "bei 2 Geräten aus Jamf und Workspace ONE die Angabe des jeweiligen MDM, ob eine Gerätesperre \
             gesetzt ist (etwa der Status seiner Code-Richtlinie), oder eine Prüfung am Gerät"
        ),
        "{de}"
    );
    let en = md_note("en", &inputs);
    assert!(
        en.contains("for 2 devices from Jamf and Workspace ONE, the MDM's record of whether"),
        "{en}"
    );
    // The devices' own message names no other MDM either.
    let md = scan("md", "de", &inputs);
    assert!(!md.contains("Bei Intune und Workspace ONE"), "{md}");
    assert!(md.contains(
        "Der Export enthält keine Angabe dazu, ob eine Gerätesperre gesetzt ist. Bitte über den \
         Status der Code-Richtlinie im MDM belegen oder die Gerätesperre am Gerät prüfen."
    ));
}

#[test]
fn the_sample_fleet_note_counts_each_cause() {
    let all = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories")
        .display()
        .to_string();
    let de = md_note("de", &[&all]);
    assert!(!de.contains("deviceComplianceSettingStates"), "{de}");
    // The third device with a screen lock is the Apple MDM iPhone: MDM
    // responses give no check-in time, which is no better than an old one.
    for part in [
        "Auf 10 Geräten offen – zur Entscheidung fehlt: bei 2 Intune-Geräten ein eindeutiger Zustand",
        "; bei 5 Geräten aus Jamf, Workspace ONE, Android Management und Apple MDM die Angabe des jeweiligen MDM",
        "; bei 3 Geräten mit gesetzter Gerätesperre ein aktueller MDM-Kontakt bzw. eine \
         Gerätesperre, die die Code-Richtlinie erfüllt – oder jeweils eine Antwort in der \
         Antwortdatei.",
    ] {
        assert!(de.contains(part), "{part}\n{de}");
    }
    let en = md_note("en", &[&all]);
    assert!(!en.contains("deviceComplianceSettingStates"), "{en}");
    for part in [
        "Open on 10 devices — what would decide it: for 2 Intune devices, a conclusive state",
        "; for 5 devices from Jamf, Workspace ONE, Android Management and Apple MDM, the MDM's \
         record",
        "; for 3 devices with a screen lock set, a current MDM check-in or a lock that meets the \
         passcode policy — or an answer in the answers file for each.",
    ] {
        assert!(en.contains(part), "{part}\n{en}");
    }
}

/// The counts the note is worded from are in the JSON report (schema 2.3),
/// for every device check, and agree with the device results: the open
/// ones (manual, error) by the format that begins each device's `source`,
/// the warned ones apart; a library reader of `pipeline::assess` gets the
/// same note as `scan`, since the assessment words it from these counts.
#[test]
fn the_json_report_counts_each_checks_open_devices_by_export_format() {
    use std::collections::BTreeMap;
    let all = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories")
        .display()
        .to_string();
    let report: serde_json::Value =
        serde_json::from_str(&scan("json", "en", &[&all])).expect("a JSON report");
    assert_eq!(report["schema_version"], "2.6");
    let requirements = report["fleet"]["requirements"].as_array().unwrap();
    let mut seen_open = 0;
    for q in requirements {
        let check = q["check"].as_str().unwrap();
        let mut open: BTreeMap<String, u64> = BTreeMap::new();
        let mut warned = 0;
        for t in report["targets"].as_array().unwrap() {
            if t["target"]["kind"] != "device" {
                continue;
            }
            let format = t["target"]["source"]
                .as_str()
                .unwrap()
                .split(' ')
                .next()
                .unwrap();
            for r in t["results"].as_array().unwrap() {
                if r["check"] != check {
                    continue;
                }
                match r["outcome"].as_str().unwrap() {
                    "warn" => warned += 1,
                    "manual" | "error" => *open.entry(format.to_string()).or_default() += 1,
                    _ => {}
                }
            }
        }
        let counted: BTreeMap<String, u64> = q["open_by_format"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|c| {
                        (
                            c["format"].as_str().unwrap().to_string(),
                            c["devices"].as_u64().unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(counted, open, "{check}");
        assert_eq!(q["warned"].as_u64().unwrap_or(0), warned, "{check}");
        let open_total: u64 = open.values().sum();
        assert_eq!(
            q["undecided"].as_u64().unwrap(),
            open_total + warned,
            "{check}"
        );
        seen_open += open_total;
    }
    assert!(seen_open > 0, "the sample fleet has open devices");
    let dev02 = requirements
        .iter()
        .find(|q| q["check"] == "DEV-02-passcode")
        .unwrap();
    assert!(
        dev02["open_by_format"].as_array().unwrap().len() >= 4,
        "{dev02}"
    );
}
