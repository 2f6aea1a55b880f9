//! Apple MDM installed-app lists that say one thing twice: a key one
//! dictionary gives twice with different values (two `Identifier`s or
//! `Name`s of one app, two `UDID`s of one response). Which value a reader
//! keeps is the reader's choice (`plistutil` and Python's `plistlib` keep
//! the last), so the list names no messengers (they are unknown, never
//! matched by one value or dropped by the other), and the export whose
//! device takes the list says so, naming the key and both values.

use std::sync::Arc;

use super::*;
use crate::extract::ExtractOptions;

const UDID: &str = "00008110-00000000000000AB";
const OTHER: &str = "00008110-00000000000000CD";

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

fn plist(body: &str) -> String {
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">{body}</plist>")
}

/// An `InstalledApplicationList` response of `udid` (a `<string>` or what
/// stands in its place) with Threema Work and the entries `apps`.
fn response(udid: &str, apps: &str) -> String {
    format!(
        "<dict><key>CommandUUID</key><string>c3</string><key>InstalledApplicationList</key><array>\
         <dict><key>Identifier</key><string>ch.threema.app.work</string><key>Name</key><string>Threema Work</string></dict>\
         {apps}</array><key>Status</key><string>Acknowledged</string><key>UDID</key>{udid}</dict>"
    )
}

fn udid(u: &str) -> String {
    format!("<string>{u}</string>")
}

/// A Jamf device with UDID `u` and no app list of its own.
fn jamf(u: &str) -> String {
    format!(
        r#"{{"mobile_device":{{"general":{{"id":7,"name":"Station-1","udid":"{u}","os_type":"iOS","os_version":"26.1"}}}}}}"#
    )
}

/// The device of `export` read with the app list `list` (file `apps.plist`),
/// and the notes of the export about repeated keys (a note shows the list
/// was joined, as its messengers are unknown either way).
fn joined(list: &str, export: &str) -> (Device, Vec<Note>) {
    let pn = pseudonym::Pseudonymizer::new(Some("test-key"), false);
    let mut ix = app_lists::AppListIndex::new(pn, app_lists::APP_LIST_BUDGET);
    ix.read(
        "apps.plist",
        &mut list.as_bytes(),
        &crate::limits::Limits::default(),
    )
    .unwrap();
    let o = ExtractOptions {
        app_lists: Some(Arc::new(ix)),
        ..opts()
    };
    let mut devices = Vec::new();
    let read = stream_inventory("jamf.json", &mut export.as_bytes(), &o, &mut |d| {
        devices.push(d)
    })
    .unwrap();
    assert_eq!(devices.len(), 1);
    let notes = read
        .warnings
        .into_iter()
        .filter(|w| matches!(w, Note::AppListRepeat { .. } | Note::MoreRepeatedKeys(_)))
        .collect();
    (devices.remove(0), notes)
}

#[test]
fn an_identifier_given_twice_leaves_the_messengers_unknown_in_either_order() {
    let (whatsapp, notes) = ("net.whatsapp.WhatsApp", "com.apple.mobilenotes");
    for (a, b) in [(whatsapp, notes), (notes, whatsapp)] {
        let app = format!(
            "<dict><key>Identifier</key><string>{a}</string><key>Identifier</key><string>{b}</string>\
             <key>Name</key><string>Notes</string></dict>"
        );
        let (d, said) = joined(&plist(&response(&udid(UDID), &app)), &jamf(UDID));
        assert_eq!(d.installed_messengers, None, "{a} {b}");
        assert_eq!(
            said,
            [Note::AppListRepeat {
                file: "apps.plist".into(),
                response: 1,
                key: "InstalledApplicationList.Identifier".into(),
                values: Some((format!("{a:?}"), format!("{b:?}"))),
            }]
        );
        let en = said[0].english();
        assert_eq!(
            en,
            format!("installed-app list apps.plist, response 1: `InstalledApplicationList.Identifier` is given twice in one dictionary, with different values (\"{a}\" and \"{b}\"); which messengers the list names is left unknown")
        );
        let de = said[0].german();
        assert_eq!(
            de,
            format!("Liste installierter Apps apps.plist, Antwort 1: `InstalledApplicationList.Identifier` steht zweimal in derselben Schlüssel-Wert-Liste (dict), mit verschiedenen Werten (\"{a}\" und \"{b}\"); welche Messenger die Liste nennt, bleibt daher unbekannt")
        );
    }
}

#[test]
fn a_name_given_twice_is_neither_matched_nor_dropped() {
    // Without an identifier the name decides: "Signal" or not, unknown.
    let app =
        "<dict><key>Name</key><string>Signal</string><key>Name</key><string>Clock</string></dict>";
    let list = plist(&format!(
        "<array>{}{}</array>",
        response(&udid(OTHER), ""),
        response(&udid(UDID), app)
    ));
    let (d, said) = joined(&list, &jamf(UDID));
    assert_eq!(d.installed_messengers, None);
    assert_eq!(said.len(), 1, "{said:?}");
    let Note::AppListRepeat {
        response, values, ..
    } = &said[0]
    else {
        panic!("{said:?}")
    };
    assert_eq!(*response, 2);
    assert_eq!(
        values.as_ref(),
        Some(&("\"Signal\"".to_string(), "\"Clock\"".to_string()))
    );
    // The other response of the file is clear: its device gets its list.
    let (d, said) = joined(&list, &jamf(OTHER));
    assert_eq!(
        d.installed_messengers,
        Some(vec!["threema-work".to_string()])
    );
    assert!(said.is_empty(), "{said:?}");
}

#[test]
fn a_key_given_twice_with_one_value_is_that_value() {
    let app = "<dict><key>Identifier</key><string>net.whatsapp.WhatsApp</string>\
               <key>Identifier</key><string>net.whatsapp.WhatsApp</string></dict>";
    let (d, said) = joined(&plist(&response(&udid(UDID), app)), &jamf(UDID));
    assert_eq!(
        d.installed_messengers,
        Some(vec!["threema-work".to_string(), "whatsapp".into()])
    );
    assert!(said.is_empty(), "{said:?}");
}

#[test]
fn a_udid_given_twice_joins_either_device_without_quoting_it() {
    let twice = format!("{}<key>UDID</key>{}", udid(OTHER), udid(UDID));
    let list = plist(&response(&twice, ""));
    for device in [UDID, OTHER] {
        let (d, said) = joined(&list, &jamf(device));
        // The list may be another device's: its messengers are not this one's.
        assert_eq!(d.installed_messengers, None);
        assert_eq!(said.len(), 1, "{said:?}");
        for text in [said[0].english(), said[0].german()] {
            assert!(!text.contains("00008110"), "{text}");
            assert!(text.contains("`UDID`"), "{text}");
        }
    }
}

#[test]
fn an_app_list_inside_a_device_export_quotes_the_app_values() {
    let info = format!(
        "<dict><key>CommandUUID</key><string>c1</string><key>QueryResponses</key><dict>\
         <key>OSVersion</key><string>26.1</string><key>ProductName</key><string>iPhone17,1</string></dict>\
         <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{UDID}</string></dict>"
    );
    let app = "<dict><key>Identifier</key><string>com.apple.mobilenotes</string>\
               <key>Identifier</key><string>org.whispersystems.signal</string></dict>";
    let file = plist(&format!(
        "<array>{info}{}</array>",
        response(&udid(UDID), app)
    ));
    let o = ExtractOptions {
        inventory_format: Some("apple-mdm".into()),
        ..opts()
    };
    let mut devices = Vec::new();
    let read = stream_inventory("mdm.plist", &mut file.as_bytes(), &o, &mut |d| {
        devices.push(d)
    })
    .unwrap();
    assert_eq!(devices.len(), 1);
    assert_eq!(devices[0].installed_messengers, None);
    let note = read
        .warnings
        .iter()
        .find(|w| matches!(w, Note::RepeatedKey { .. }))
        .expect("a note");
    assert!(
        note.english().contains(
            "(\"com.apple.mobilenotes\" and \"org.whispersystems.signal\"); the fact it gives is left unknown"
        ),
        "{}",
        note.english()
    );
}
