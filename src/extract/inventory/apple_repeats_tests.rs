//! Apple MDM property lists that say one thing twice: a key one dictionary
//! gives twice, and two responses of one device (same UDID) that give a
//! key different values. Which value a reader takes is the reader's
//! choice, so the fact is left unknown, whatever the order, and a note
//! names both values (only a device fact's, never an identifier's).

use super::*;
use crate::extract::ExtractOptions;

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        inventory_format: Some("apple-mdm".into()),
        ..ExtractOptions::default()
    }
}

fn read(text: &str) -> (Vec<Device>, InventoryRead) {
    let mut devices = Vec::new();
    let read = stream_inventory("mdm.plist", &mut text.as_bytes(), &opts(), &mut |d| {
        devices.push(d)
    })
    .unwrap();
    (devices, read)
}

fn plist(body: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">{body}</plist>")
}

fn security(udid: &str, inner: &str) -> String {
    format!(
        "<dict><key>CommandUUID</key><string>c-{inner_len}</string><key>SecurityInfo</key><dict>\
         <key>HardwareEncryptionCaps</key><integer>3</integer>{inner}</dict>\
         <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>",
        inner_len = inner.len()
    )
}

const UDID: &str = "00008110-00000000000000AB";

#[test]
fn a_key_given_twice_in_one_dictionary_is_unknown_in_either_order() {
    for (a, b) in [("true", "false"), ("false", "true")] {
        let inner = format!("<key>PasscodePresent</key><{a}/><key>PasscodePresent</key><{b}/>");
        let (devices, read) = read(&plist(&security(UDID, &inner)));
        assert_eq!(devices.len(), 1);
        let d = &devices[0];
        assert_eq!(d.passcode, None, "{a} {b}");
        // Data protection needs the passcode: unknown too.
        assert_eq!(d.encryption, None, "{a} {b}");
        let notes: Vec<&Note> = read
            .warnings
            .iter()
            .filter(|w| matches!(w, Note::RepeatedKey { .. }))
            .collect();
        assert_eq!(
            notes,
            [&Note::RepeatedKey {
                response: 1,
                key: "SecurityInfo.PasscodePresent".into(),
                values: Some((a.into(), b.into())),
            }]
        );
        let en = notes[0].english();
        assert!(en.contains(&format!("({a} and {b})")), "{en}");
        let de = notes[0].german();
        assert!(
            de.starts_with("Antwort 1: `SecurityInfo.PasscodePresent` steht zweimal"),
            "{de}"
        );
    }
}

#[test]
fn a_key_given_twice_with_one_value_is_that_value() {
    let inner = "<key>PasscodePresent</key><true/><key>PasscodePresent</key><true/>";
    let (devices, read) = read(&plist(&security(UDID, inner)));
    assert_eq!(devices[0].passcode, Some(true));
    assert!(
        read.warnings
            .iter()
            .all(|w| !matches!(w, Note::RepeatedKey { .. })),
        "{:?}",
        read.warnings
    );
}

#[test]
fn an_identifier_given_twice_is_noted_without_its_values() {
    let body = format!(
        "<dict><key>QueryResponses</key><dict><key>OSVersion</key><string>26.1</string>\
         <key>SerialNumber</key><string>F2LXX0000001</string><key>SerialNumber</key><string>F2LXX0000002</string></dict>\
         <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{UDID}</string></dict>"
    );
    let (devices, read) = read(&plist(&body));
    assert_eq!(devices[0].identifiers.serial, None);
    assert_eq!(devices[0].os_version.as_deref(), Some("26.1"));
    let note = read
        .warnings
        .iter()
        .find(|w| matches!(w, Note::RepeatedKey { .. }))
        .expect("a note");
    for text in [note.english(), note.german()] {
        assert!(!text.contains("F2LXX"), "{text}");
        assert!(text.contains("QueryResponses.SerialNumber"), "{text}");
    }
}

#[test]
fn two_responses_of_one_device_that_disagree_leave_the_fact_unknown() {
    for (a, b) in [("true", "false"), ("false", "true")] {
        let body = format!(
            "<array>{}{}</array>",
            security(UDID, &format!("<key>PasscodePresent</key><{a}/>")),
            security(
                UDID,
                &format!("<key>PasscodePresent</key><{b}/><key>PasscodeCompliant</key><true/>")
            )
        );
        let (devices, read) = read(&plist(&body));
        assert_eq!(devices.len(), 1, "{:?}", read.warnings);
        let d = &devices[0];
        assert_eq!(d.passcode, None, "{a} {b}");
        // What only the second response says, and what both say alike, is read.
        assert_eq!(d.passcode_compliant, Some(true));
        assert_eq!(
            d.encryption_detail.as_deref(),
            Some("HardwareEncryptionCaps = 3")
        );
        let notes: Vec<&Note> = read
            .warnings
            .iter()
            .filter(|w| matches!(w, Note::ResponsesDisagree { .. }))
            .collect();
        assert_eq!(
            notes,
            [&Note::ResponsesDisagree {
                first: 1,
                again: 2,
                key: "SecurityInfo.PasscodePresent".into(),
                values: Some((a.into(), b.into())),
            }],
            "{:?}",
            read.warnings
        );
        let de = notes[0].german();
        assert!(
            de.starts_with("Die Antworten 1 und 2 desselben Geräts (gleiche UDID) nennen für `SecurityInfo.PasscodePresent` verschiedene Werte"),
            "{de}"
        );
    }
}

#[test]
fn two_responses_of_one_device_that_agree_give_no_note() {
    let body = format!(
        "<array>{}{}</array>",
        security(UDID, "<key>PasscodePresent</key><true/>"),
        security(&UDID.to_lowercase(), "<key>PasscodePresent</key><true/>")
    );
    let (devices, read) = read(&plist(&body));
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].passcode, Some(true));
    assert!(
        read.warnings
            .iter()
            .all(|w| !matches!(w, Note::ResponsesDisagree { .. } | Note::RepeatedKey { .. })),
        "{:?}",
        read.warnings
    );
}

#[test]
fn a_key_in_query_responses_and_at_the_top_level_is_unknown_unless_equal() {
    for (top, known) in [("17.0", None), ("26.1", Some("26.1"))] {
        let body = format!(
            "<dict><key>QueryResponses</key><dict><key>OSVersion</key><string>26.1</string></dict>\
             <key>OSVersion</key><string>{top}</string>\
             <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{UDID}</string></dict>"
        );
        let (devices, read) = read(&plist(&body));
        assert_eq!(devices.len(), 1);
        assert_eq!(devices[0].os_version.as_deref(), known, "{top}");
        let notes: Vec<&Note> = read
            .warnings
            .iter()
            .filter(|w| matches!(w, Note::TwoPlaces { .. }))
            .collect();
        if known.is_some() {
            assert!(notes.is_empty(), "{notes:?}");
            continue;
        }
        assert_eq!(
            notes,
            [&Note::TwoPlaces {
                response: 1,
                key: "OSVersion".into(),
                values: Some(("\"26.1\"".into(), "\"17.0\"".into())),
            }]
        );
        assert_eq!(notes[0].english(), "response 1: `OSVersion` is given both in `QueryResponses` and at the top level, with different values (\"26.1\" and \"17.0\"); the fact it gives is left unknown");
        assert_eq!(notes[0].german(), "Antwort 1: `OSVersion` steht in `QueryResponses` und auf oberster Ebene, mit verschiedenen Werten (\"26.1\" und \"17.0\"); die Angabe bleibt daher unbekannt");
    }
}
