//! Notes an export gets as a whole: a last page that links to a further
//! page not in the file, and identifiers more than one of its records give.

use super::*;
use crate::extract::ExtractOptions;

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

/// Reads `text` as the export `path`: its devices and what reading gave.
fn read(path: &str, text: &str) -> (Vec<Device>, InventoryRead) {
    let mut devices = Vec::new();
    let read = stream_inventory(path, &mut text.as_bytes(), &opts(), &mut |d| {
        devices.push(d)
    })
    .unwrap();
    (devices, read)
}

/// The further-page notes of a read.
fn further(read: &InventoryRead) -> Vec<&Note> {
    read.warnings
        .iter()
        .filter(|w| matches!(w, Note::FurtherPage { .. }))
        .collect()
}

/// A Graph page of devices `from..to`, linking to the next page when `next`.
fn graph_page(from: usize, to: usize, next: bool) -> String {
    let devices: Vec<String> = (from..to)
        .map(|i| format!(r#"{{"id":"d{i}","operatingSystem":"iOS","osVersion":"26.1","serialNumber":"S{i}"}}"#))
        .collect();
    let link = if next {
        format!(
            r#","@odata.nextLink":"https://graph.microsoft.com/beta/deviceManagement/managedDevices?$skiptoken={to}""#
        )
    } else {
        String::new()
    };
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices","value":[{}]{link}}}"#,
        devices.join(",")
    )
}

#[test]
fn a_single_graph_page_with_a_next_link_says_the_fleet_may_be_larger() {
    let (devices, read) = read("page1.json", &graph_page(0, 3, true));
    // Its devices are read as usual, and the export is not partial.
    assert_eq!(devices.len(), 3);
    assert!(read.partial.is_none(), "{:?}", read.warnings);
    let notes = further(&read);
    assert_eq!(
        notes,
        [&Note::FurtherPage {
            key: "@odata.nextLink"
        }]
    );
    let en = notes[0].english();
    assert!(
        en.contains("`@odata.nextLink`") && en.contains("more devices than this file lists"),
        "{en}"
    );
    let de = notes[0].german();
    assert!(
        de.contains("weitere Seite") && de.contains("mehr Geräte"),
        "{de}"
    );
    // The link (a URL of the tenant) is never quoted.
    assert!(!en.contains("skiptoken") && !de.contains("skiptoken"));
}

#[test]
fn every_page_in_the_file_ending_with_the_last_one_gives_no_note() {
    // JSON lines, an array of pages, and concatenated pages: the last page
    // links to none, so every page is here.
    let p1 = graph_page(0, 2, true);
    let p2 = graph_page(2, 4, true);
    let p3 = graph_page(4, 5, false);
    for (name, text) in [
        ("lines.jsonl", format!("{p1}\n{p2}\n{p3}\n")),
        ("array.json", format!("[{p1},{p2},{p3}]")),
        ("concatenated.json", format!("{p1}{p2}{p3}")),
    ] {
        let (devices, read) = read(name, &text);
        assert_eq!(devices.len(), 5, "{name}");
        assert!(further(&read).is_empty(), "{name}: {:?}", read.warnings);
    }
    // A last page whose link is null or empty links to none.
    let null = graph_page(0, 1, false).replace("\"value\"", "\"@odata.nextLink\":null,\"value\"");
    let empty = graph_page(0, 1, false).replace("\"value\"", "\"@odata.nextLink\":\"\",\"value\"");
    for text in [null, empty] {
        assert!(further(&read("p.json", &text).1).is_empty(), "{text}");
    }
}

#[test]
fn a_file_ending_with_a_page_that_promises_more_gets_one_note() {
    // Several pages with links, in every shape a file of pages has: one
    // note for the file, however many pages carry a link.
    let p1 = graph_page(0, 2, true);
    let p2 = graph_page(2, 4, true);
    for (name, text) in [
        ("lines.jsonl", format!("{p1}\n{p2}\n")),
        ("array.json", format!("[{p1},{p2}]")),
        ("concatenated.json", format!("{p1}{p2}")),
        // The link before the records.
        (
            "link-first.json",
            graph_page(0, 2, false).replace(
                "\"value\"",
                "\"@odata.nextLink\":\"https://graph.microsoft.com/beta/x?$skiptoken=2\",\"value\"",
            ),
        ),
    ] {
        let (devices, read) = read(name, &text);
        assert!(!devices.is_empty(), "{name}");
        assert_eq!(further(&read).len(), 1, "{name}: {:?}", read.warnings);
    }
    // A page large enough to be streamed (over 1 MiB), its link after the
    // records.
    let (devices, read) = read("big.json", &graph_page(0, 20_000, true));
    assert_eq!(devices.len(), 20_000);
    assert_eq!(further(&read).len(), 1, "{:?}", read.warnings);
}

#[test]
fn an_android_management_page_with_a_next_page_token_says_so_too() {
    let page = r#"{"devices":[{"name":"enterprises/e/devices/1","managementMode":"DEVICE_OWNER","state":"ACTIVE","softwareInfo":{"androidVersion":"15"},"hardwareInfo":{"serialNumber":"R5"}}],"nextPageToken":"abc"}"#;
    let (devices, read) = read("amapi.json", page);
    assert_eq!(read.format, Format::AndroidManagement);
    assert_eq!(devices.len(), 1);
    assert_eq!(
        further(&read),
        [&Note::FurtherPage {
            key: "nextPageToken"
        }]
    );
}

/// The same-identifier notes of a read.
fn same(read: &InventoryRead) -> Vec<&Note> {
    read.warnings
        .iter()
        .filter(|w| matches!(w, Note::SameIdentifier { .. }))
        .collect()
}

#[test]
fn identifiers_in_two_records_of_one_export_are_two_devices_and_a_note() {
    // Records 1 and 3 share a serial number (in another spelling), records
    // 2 and 4 an IMEI (spaced differently) and a UDID (another case);
    // record 5 shares nothing.
    let text = r#"{"value":[
      {"id":"a","operatingSystem":"iOS","osVersion":"26.1","serialNumber":"F2LXX0000001","udid":"00008110-00000000000000AA"},
      {"id":"b","operatingSystem":"iOS","osVersion":"26.1","imei":"35 735005 003432 4","udid":"00008110-00000000000000BB"},
      {"id":"c","operatingSystem":"iOS","osVersion":"26.1","serialNumber":" f2lxx0000001 "},
      {"id":"d","operatingSystem":"iOS","osVersion":"26.1","imei":"357350050034324","udid":"00008110-00000000000000bb"},
      {"id":"e","operatingSystem":"iOS","osVersion":"26.1","serialNumber":"F2LXX0000009","imei":"35 735005 003432 9"}
    ]}"#;
    let (devices, read) = read("dupes.json", text);
    // Every record stays a device.
    assert_eq!(devices.len(), 5);
    let notes = same(&read);
    assert_eq!(notes.len(), 1, "{:?}", read.warnings);
    let Note::SameIdentifier {
        serials,
        imeis,
        udids,
        examples,
        unchecked,
        ..
    } = notes[0]
    else {
        unreachable!()
    };
    assert_eq!((*serials, *imeis, *udids, *unchecked), (1, 1, 1, 0));
    // The examples are the devices' pseudonyms, never the clear values.
    let serial = devices[0].identifiers.serial.clone().unwrap();
    assert!(serial.starts_with("pn-"), "{serial}");
    assert!(examples.contains(&(note::IdentifierKind::Serial, serial.clone())));
    let en = notes[0].english();
    let de = notes[0].german();
    for text in [&en, &de] {
        for clear in ["F2LXX", "f2lxx", "357350", "00008110"] {
            assert!(!text.contains(clear), "{text}");
        }
        assert!(text.contains(&serial), "{text}");
    }
    assert!(
        en.starts_with("1 serial number, 1 IMEI and 1 UDID each appear in more than one record")
            && en.contains("each record is counted as a device"),
        "{en}"
    );
    assert!(
        de.starts_with("1 Seriennummer, 1 IMEI und 1 UDID stehen jeweils in diesem Export in mehr als einem Datensatz")
            && de.contains("Jeder Datensatz wird als eigenes Gerät gezählt"),
        "{de}"
    );
}

#[test]
fn an_export_without_repeated_identifiers_gets_no_note() {
    let (devices, read) = read("pages.json", &graph_page(0, 50, false));
    assert_eq!(devices.len(), 50);
    assert!(same(&read).is_empty(), "{:?}", read.warnings);
}

#[test]
fn with_identities_revealed_the_note_still_names_pseudonyms() {
    let o = ExtractOptions {
        reveal_identities: true,
        ..opts()
    };
    let text = r#"[{"id":"a","operatingSystem":"Android","osVersion":"14","serialNumber":"R58N000000X"},
                   {"id":"b","operatingSystem":"Android","osVersion":"14","serialNumber":"r58n000000x"}]"#;
    let mut devices = Vec::new();
    let read =
        stream_inventory("r.json", &mut text.as_bytes(), &o, &mut |d| devices.push(d)).unwrap();
    assert_eq!(devices.len(), 2);
    assert_eq!(
        devices[0].identifiers.serial.as_deref(),
        Some("R58N000000X")
    );
    let notes = same(&read);
    assert_eq!(notes.len(), 1, "{:?}", read.warnings);
    let en = notes[0].english();
    let want = pseudonym::Pseudonymizer::new(Some("test-key"), false)
        .apply(pseudonym::IdKind::DeviceId, "R58N000000X")
        .unwrap();
    assert!(
        en.contains(&want) && !en.to_lowercase().contains("r58n"),
        "{en}"
    );
}

#[test]
fn over_the_budget_identifiers_are_compared_with_those_remembered() {
    let pn = pseudonym::Pseudonymizer::new(Some("k"), false);
    let mut ids = same_ids::SameIds::with_budget(&pn, 2);
    let device = |serial: &str| {
        let mut d = Device::default();
        d.identifiers.serial = pn.apply(pseudonym::IdKind::DeviceId, serial);
        d
    };
    // Two remembered; a third is not, but is still compared with them.
    for s in ["A", "B", "C", "C", "A"] {
        ids.see(&device(s));
    }
    let Some(Note::SameIdentifier {
        serials, unchecked, ..
    }) = ids.note()
    else {
        panic!("no note")
    };
    // "A" is found again; "C" (twice, after the budget) is not.
    assert_eq!((serials, unchecked), (1, 2));
}

/// The page-total notes of a read.
fn totals(read: &InventoryRead) -> Vec<&Note> {
    read.warnings
        .iter()
        .filter(|w| matches!(w, Note::PageTotal { .. }))
        .collect()
}

/// A Workspace ONE devices/search page of devices `from..to` whose `Total`
/// is the JSON text `total` (left out when empty).
fn ws1_page(from: usize, to: usize, total: &str) -> String {
    let devices: Vec<String> = (from..to)
        .map(|i| format!(r#"{{"Id":{{"Value":{i}}},"Udid":"U{i}","SerialNumber":"S{i}","DeviceFriendlyName":"d{i}","Platform":"Apple","OperatingSystem":"26.1","EnrollmentStatus":"Enrolled"}}"#))
        .collect();
    let total = if total.is_empty() {
        String::new()
    } else {
        format!(r#","Total":{total}"#)
    };
    format!(
        r#"{{"Devices":[{}],"Page":{},"PageSize":3{total}}}"#,
        devices.join(","),
        from / 3
    )
}

/// A Jamf Pro API inventory page of devices `from..to` whose `totalCount`
/// is the JSON text `total` (left out when empty).
fn jamf_page(from: usize, to: usize, total: &str) -> String {
    let devices: Vec<String> = (from..to)
        .map(|i| format!(r#"{{"mobileDeviceId":"{i}","deviceType":"iOS","general":{{"displayName":"d{i}"}},"hardware":{{"serialNumber":"S{i}"}},"ios":{{}}}}"#))
        .collect();
    let total = if total.is_empty() {
        String::new()
    } else {
        format!(r#""totalCount":{total},"#)
    };
    format!(r#"{{{total}"results":[{}]}}"#, devices.join(","))
}

#[test]
fn a_total_larger_than_the_records_says_the_fleet_may_be_larger() {
    let (devices, got) = read("ws1.json", &ws1_page(0, 3, "250"));
    assert_eq!(devices.len(), 3);
    assert!(got.partial.is_none(), "{:?}", got.warnings);
    let notes = totals(&got);
    assert_eq!(
        notes,
        [&Note::PageTotal {
            key: "Total",
            total: 250,
            records: 3,
            page: Some(0),
            page_size: Some(3),
        }]
    );
    assert_eq!(notes[0].english(), "the export says it has 250 devices in all (`Total`); this file holds 3 (page 0, 3 a page): the fleet may have more devices than this file lists. Export every page and give them to the same scan (in one file or several)");
    assert_eq!(notes[0].german(), "Der Export nennt insgesamt 250 Geräte (`Total`), diese Datei enthält 3 (Seite 0, 3 je Seite): Die Flotte kann mehr Geräte haben, als diese Datei aufführt. Alle Seiten exportieren und im selben Prüflauf einlesen (in einer Datei oder in mehreren)");

    let (devices, got) = read("jamf.json", &jamf_page(0, 3, "18446744073709551615"));
    assert_eq!(devices.len(), 3);
    assert!(got.partial.is_none(), "{:?}", got.warnings);
    let notes = totals(&got);
    assert_eq!(
        notes,
        [&Note::PageTotal {
            key: "totalCount",
            total: u64::MAX,
            records: 3,
            page: None,
            page_size: None,
        }]
    );
    assert!(notes[0]
        .german()
        .starts_with("Der Export nennt insgesamt 18.446.744.073.709.551.615 Geräte (`totalCount`), diese Datei enthält 3: Die Flotte"));
}

#[test]
fn a_total_smaller_than_the_records_says_the_file_contradicts_itself() {
    for (file, text, key) in [
        ("ws1.json", ws1_page(0, 3, "1"), "Total"),
        ("jamf.json", jamf_page(0, 3, "1"), "totalCount"),
    ] {
        let (devices, got) = read(file, &text);
        assert_eq!(devices.len(), 3);
        assert!(got.partial.is_none(), "{:?}", got.warnings);
        let notes = totals(&got);
        assert_eq!(notes.len(), 1, "{:?}", got.warnings);
        let en = notes[0].english();
        assert!(
            en.starts_with(&format!(
                "the export says it has 1 device in all (`{key}`), but this file holds 3"
            )),
            "{en}"
        );
        assert!(
            en.ends_with(
                "the file contradicts itself; check that it is the MDM's export, unaltered"
            ),
            "{en}"
        );
        let de = notes[0].german();
        assert!(
            de.starts_with(&format!(
                "Der Export nennt insgesamt 1 Gerät (`{key}`), diese Datei enthält aber 3"
            )),
            "{de}"
        );
        assert!(de.ends_with("Die Datei widerspricht sich selbst; bitte prüfen, ob sie unverändert aus dem MDM stammt"), "{de}");
    }
}

#[test]
fn a_total_equal_to_the_records_absent_or_no_count_gives_no_note() {
    let garbage = [
        "3", // equal
        "",
        "null",
        "-250",
        "250.5",
        "2.5e2",
        "\"250\"",
        "true",
        "[250]",
        r#"{"Value":250}"#,
        "99999999999999999999999",
    ];
    for total in garbage {
        for (file, text) in [
            ("ws1.json", ws1_page(0, 3, total)),
            ("jamf.json", jamf_page(0, 3, total)),
        ] {
            let (devices, got) = read(file, &text);
            assert_eq!(devices.len(), 3, "{total}");
            assert!(totals(&got).is_empty(), "{total}: {:?}", got.warnings);
        }
    }
    // Every page of the file counts: two pages of 3 make the total 6.
    let pages = format!("[{},{}]", ws1_page(0, 3, "6"), ws1_page(3, 6, "6"));
    let (devices, got) = read("ws1.json", &pages);
    assert_eq!(devices.len(), 6);
    assert!(totals(&got).is_empty(), "{:?}", got.warnings);
    // The last page that gives a total says it.
    let pages = format!("{}\n{}", jamf_page(0, 3, "9"), jamf_page(3, 6, "7"));
    let (_, got) = read("jamf.json", &pages);
    assert!(
        matches!(
            totals(&got)[..],
            [Note::PageTotal {
                total: 7,
                records: 6,
                ..
            }]
        ),
        "{:?}",
        got.warnings
    );
}
