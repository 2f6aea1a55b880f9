//! Notes an export gets as a whole: a last page that links to a further
//! page not in the file.

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
