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
