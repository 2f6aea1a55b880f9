//! UDIDs are hex digits: the same UDID in upper and lower case is one
//! device, in one Apple MDM file, in an installed-app list joined to a
//! device of another export, and with identities revealed.

use std::sync::Arc;

use super::*;
use crate::extract::ExtractOptions;

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

fn read(path: &str, text: &str, o: &ExtractOptions) -> (Vec<Device>, InventoryRead) {
    let mut devices = Vec::new();
    let read = stream_inventory(path, &mut text.as_bytes(), o, &mut |d| devices.push(d)).unwrap();
    (devices, read)
}

const UPPER: &str = "00008110-00000000000000AB";
const LOWER: &str = "00008110-00000000000000ab";

fn info(udid: &str) -> String {
    format!(
        "<dict><key>CommandUUID</key><string>c1</string><key>QueryResponses</key><dict>\
         <key>OSVersion</key><string>26.1</string><key>ProductName</key><string>iPhone17,1</string>\
         <key>SerialNumber</key><string>F2LXX0000001</string></dict>\
         <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>"
    )
}

fn security(udid: &str) -> String {
    format!(
        "<dict><key>CommandUUID</key><string>c2</string><key>SecurityInfo</key><dict>\
         <key>HardwareEncryptionCaps</key><integer>3</integer><key>PasscodePresent</key><true/></dict>\
         <key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>"
    )
}

fn apps(udid: &str) -> String {
    format!(
        "<dict><key>CommandUUID</key><string>c3</string><key>InstalledApplicationList</key><array>\
         <dict><key>Identifier</key><string>net.whatsapp.WhatsApp</string><key>Name</key><string>WhatsApp</string></dict>\
         </array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>"
    )
}

fn plist(responses: &[String]) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><array>{}</array></plist>",
        responses.concat()
    )
}

#[test]
fn responses_of_one_udid_in_two_cases_are_one_apple_device() {
    let text = plist(&[info(LOWER), security(UPPER), apps(UPPER)]);
    for reveal in [false, true] {
        let o = ExtractOptions {
            reveal_identities: reveal,
            ..opts()
        };
        let (devices, read) = read("mdm.plist", &text, &o);
        assert_eq!(devices.len(), 1, "reveal {reveal}: {:?}", read.warnings);
        let d = &devices[0];
        // Facts of both responses, and the app list joined.
        assert_eq!(d.os_version.as_deref(), Some("26.1"));
        assert_eq!((d.passcode, d.encryption), (Some(true), Some(true)));
        assert_eq!(
            d.installed_messengers.as_deref(),
            Some(&["whatsapp".to_string()][..])
        );
        assert!(
            read.warnings
                .iter()
                .all(|w| !matches!(w, Note::Skipped { .. })),
            "{:?}",
            read.warnings
        );
        if reveal {
            // In clear, the UDID is spelt as Apple spells it.
            assert_eq!(d.identifiers.udid.as_deref(), Some(UPPER));
        }
    }
}

#[test]
fn an_app_list_in_upper_case_joins_a_device_listed_in_lower_case() {
    let list = plist(&[apps(UPPER)]);
    let jamf = format!(
        r#"{{"mobile_device":{{"general":{{"id":7,"name":"Station-1","udid":"{LOWER}","os_type":"iOS","os_version":"26.1"}}}}}}"#
    );
    for reveal in [false, true] {
        let pn = pseudonym::Pseudonymizer::new(Some("test-key"), reveal);
        let mut ix = app_lists::AppListIndex::new(pn, app_lists::APP_LIST_BUDGET);
        ix.read(
            "apps.plist",
            &mut list.as_bytes(),
            &crate::limits::Limits::default(),
        )
        .unwrap();
        let ix = Arc::new(ix);
        let o = ExtractOptions {
            reveal_identities: reveal,
            app_lists: Some(ix.clone()),
            ..opts()
        };
        let (devices, _) = read("jamf.json", &jamf, &o);
        assert_eq!(devices.len(), 1);
        assert_eq!(
            devices[0].installed_messengers.as_deref(),
            Some(&["whatsapp".to_string()][..]),
            "reveal {reveal}"
        );
        assert!(ix.unmatched().is_empty(), "reveal {reveal}");
    }
}

#[test]
fn a_revealed_udid_is_spelt_in_upper_case_and_keeps_its_pseudonym() {
    let clear = pseudonym::Pseudonymizer::new(Some("k"), true);
    assert_eq!(
        clear
            .apply(pseudonym::IdKind::Udid, " 00008110-00000000000000ab ")
            .as_deref(),
        Some(UPPER)
    );
    // Serials keep their spelling in clear.
    assert_eq!(
        clear
            .apply(pseudonym::IdKind::DeviceId, "f2lxx0000001")
            .as_deref(),
        Some("f2lxx0000001")
    );
    // A UDID's pseudonym is the one it had (lower-case hex hashed), in any case.
    let hidden = pseudonym::Pseudonymizer::new(Some("k"), false);
    let p = hidden.apply(pseudonym::IdKind::Udid, UPPER);
    assert_eq!(p, hidden.apply(pseudonym::IdKind::DeviceId, LOWER));
    assert_eq!(p, hidden.apply(pseudonym::IdKind::Udid, LOWER));
}
