//! An Apple MDM installed-app list given as a file of its own, taken by a
//! device of the scan: the responses skipped while reading it (a device that
//! answered `NotNow`, a response without `UDID`, a list that is not a list
//! of app entries) are told in the notes of the export whose device took a
//! list of the file, once per scan, in English and German; a device whose
//! own list was skipped stays unknown (DEV-06 open), never "no messengers".
//!
//! The list is synthetic, written to a temporary folder; the devices are
//! the sample `apple-mdm-responses.plist`.

mod common;

use std::path::PathBuf;

use serde_json::Value;

/// The sample inventory `name`.
fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories")
        .join(name)
}

/// An acknowledged `InstalledApplicationList` response of `udid` (none when
/// empty) whose list is `list`.
fn response(udid: &str, list: &str) -> String {
    let udid = if udid.is_empty() {
        String::new()
    } else {
        format!("<key>UDID</key><string>{udid}</string>")
    };
    format!(
        "<dict><key>CommandUUID</key><string>c</string><key>InstalledApplicationList</key>{list}<key>Status</key><string>Acknowledged</string>{udid}</dict>"
    )
}

/// Only Safari: a list without messengers.
const SAFARI: &str = "<array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array>";

/// The sample's two iPhones.
const IPHONE: &str = "00008101-00000000000A001C";
const OTHER_IPHONE: &str = "5f0e0000000000000000000000000000000b0001";

/// The list file: the iPhone's list (no messengers); the other iPhone's
/// list that is not a list of app entries, then its list without
/// messengers; a device that answered `NotNow`; a list without `UDID`.
fn list_file() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><array>
{}
{}
{}
<dict><key>CommandUUID</key><string>c</string><key>Status</key><string>NotNow</string><key>UDID</key><string>00008101-00000000000D001C</string></dict>
{}
</array></plist>"#,
        response(IPHONE, SAFARI),
        response(
            OTHER_IPHONE,
            "<array><array><string>Signal</string></array></array>"
        ),
        response(OTHER_IPHONE, SAFARI),
        response("", SAFARI),
    )
}

/// `scan --format json` of `paths` (never failing on findings).
fn scan(paths: &[PathBuf]) -> Value {
    let mut args: Vec<String> = [
        "scan",
        "--format",
        "json",
        "--as-of",
        "2026-12-05",
        "--profile",
        "dsk-full",
        "--fail-on",
        "never",
    ]
    .map(String::from)
    .to_vec();
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let out = common::run_msgaudit(&args);
    common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// DEV-06's outcomes, sorted.
fn dev06(report: &Value) -> Vec<String> {
    let mut out: Vec<String> = common::device_targets(report)
        .iter()
        .filter_map(|t| {
            t["results"]
                .as_array()?
                .iter()
                .find(|r| r["check"] == "DEV-06-approved-messengers")
                .and_then(|r| r["outcome"].as_str())
                .map(str::to_string)
        })
        .collect();
    out.sort();
    out
}

/// Every note of the fleet's exports in `lang`, with its export's file name.
fn notes(report: &Value, lang: &str) -> Vec<(String, String)> {
    report["fleet"]["inventories"]
        .as_array()
        .expect("the fleet's exports")
        .iter()
        .flat_map(|inv| {
            let path = inv["file"]["path"].as_str().unwrap_or_default();
            let name = path.rsplit(['/', '\\']).next().unwrap_or_default();
            inv["warnings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|t| t[lang].as_str())
                .map(|t| (name.to_string(), t.to_string()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// How many of `notes` hold every one of `words`.
fn count(notes: &[(String, String)], words: &[&str]) -> usize {
    notes
        .iter()
        .filter(|(_, t)| words.iter().all(|w| t.contains(w)))
        .count()
}

#[test]
fn skipped_responses_of_a_list_a_device_takes_are_told_once() {
    let list = common::write_temp("app-list-notes", "apps.plist", &list_file());
    let devices = sample("apple-mdm-responses.plist");
    let report = scan(&[devices.clone(), list.clone()]);
    // The list is used: no error row of its own.
    assert!(
        !report["targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["target"]["file"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("apps.plist"))),
        "{report:#}"
    );
    // The iPhone is known to have no messenger; the other iPhone, whose
    // first list could not be read, stays open although its second list
    // names none; the iPad has no list.
    let outcomes = dev06(&report);
    assert_eq!(
        outcomes.iter().filter(|o| *o == "manual").count(),
        2,
        "{outcomes:?}"
    );
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let en = notes(&report, "en");
    let de = notes(&report, "de");
    for (words_en, words_de) in [
        (
            &["installed-app list", "apps.plist, response 4: the device answered Status = NotNow, no app list; skipped"][..],
            &["Liste installierter Apps „", "apps.plist“, Antwort 4: das Gerät antwortete mit Status = NotNow, keine App-Liste; übersprungen"][..],
        ),
        (
            &["apps.plist, response 5: names no UDID, so it cannot be joined to a device; skipped"][..],
            &["apps.plist“, Antwort 5: nennt keine UDID und lässt sich daher keinem Gerät zuordnen; übersprungen"][..],
        ),
        (
            &["apps.plist, response 2: its InstalledApplicationList is not a list of app entries", "which messengers the device has is left unknown"][..],
            &["apps.plist“, Antwort 2: ihre InstalledApplicationList ist keine Liste von App-Einträgen", "bleibt daher unbekannt"][..],
        ),
    ] {
        assert_eq!(count(&en, words_en), 1, "{words_en:?} once: {en:#?}");
        assert_eq!(count(&de, words_de), 1, "{words_de:?} once: {de:#?}");
        // On the export whose devices took the list.
        assert!(en.iter().any(|(file, t)| file == "apple-mdm-responses.plist"
            && words_en.iter().all(|w| t.contains(w))));
    }

    // Two exports whose devices take the list: the file's notes are told
    // once in the scan, with the export read first.
    let copy = common::write_temp(
        "app-list-notes-copy",
        "second.plist",
        &std::fs::read_to_string(&devices).unwrap(),
    );
    let report = scan(&[devices, copy, list]);
    let en = notes(&report, "en");
    let told: Vec<&String> = en
        .iter()
        .filter(|(_, t)| t.contains("response 4: the device answered Status = NotNow"))
        .map(|(file, _)| file)
        .collect();
    assert_eq!(told, ["apple-mdm-responses.plist"], "{en:#?}");
    // Unknown stays unknown with the same devices listed twice.
    assert_eq!(dev06(&report).iter().filter(|o| *o == "manual").count(), 2);
}

#[test]
fn a_device_that_answered_not_now_stays_unknown() {
    // The iPhone answered NotNow; the other iPhone's list holds no messenger.
    let text = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><array>
<dict><key>Status</key><string>NotNow</string><key>UDID</key><string>{IPHONE}</string></dict>
{}
</array></plist>"#,
        response(OTHER_IPHONE, SAFARI)
    );
    let list = common::write_temp("app-list-not-now", "apps.plist", &text);
    let report = scan(&[sample("apple-mdm-responses.plist"), list]);
    // Only the other iPhone is decided; the iPhone and the iPad stay open.
    let outcomes = dev06(&report);
    assert_eq!(
        outcomes.iter().filter(|o| *o == "manual").count(),
        2,
        "{outcomes:?}"
    );
    let en = notes(&report, "en");
    assert_eq!(
        count(
            &en,
            &["apps.plist, response 1: the device answered Status = NotNow"]
        ),
        1,
        "{en:#?}"
    );
}
