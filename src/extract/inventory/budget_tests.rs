//! Budgets and partial reads of inventory exports: a record over the size
//! limit is refused while it streams (never buffered), an amplified Apple
//! MDM property list fails on the decoded-byte budget, and an export that
//! could not be read to its end keeps the devices read and says it is
//! partial (where reading stopped, how many devices were read).

use std::io::{BufReader, Read};
use std::time::{Duration, Instant};

use super::*;
use crate::extract::ExtractOptions;

fn opts(format: Option<&str>) -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        inventory_format: format.map(str::to_string),
        ..ExtractOptions::default()
    }
}

/// Reads `input` as an export; the devices' names and what reading said.
fn read(
    input: &mut dyn std::io::BufRead,
    o: &ExtractOptions,
) -> Result<(usize, InventoryRead), InventoryError> {
    let mut n = 0usize;
    let read = stream_inventory("x", input, o, &mut |_| n += 1)?;
    Ok((n, read))
}

/// `head`, then `size` bytes of `fill`, then `tail`, generated as read.
fn huge<'a>(head: &'a str, fill: u8, size: u64, tail: &'a str) -> impl std::io::BufRead + 'a {
    BufReader::new(
        head.as_bytes()
            .chain(std::io::repeat(fill).take(size))
            .chain(tail.as_bytes()),
    )
}

const IOS: &str = r#""operatingSystem":"iOS","osVersion":"17.1""#;

#[test]
fn a_huge_json_value_is_refused_while_it_streams() {
    // One 512 MiB string in a record: refused after the 8 MiB record limit.
    let t = Instant::now();
    let head = format!(r#"{{"value":[{{{IOS},"deviceName":""#);
    let mut input = huge(&head, b'a', 512 << 20, r#""}]}"#);
    let e = read(&mut input, &opts(None)).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
    let text = e.to_string();
    assert!(
        text.contains("larger than the limit of 8388608 bytes (--max-record-size"),
        "{text}"
    );
}

#[test]
fn a_record_over_the_limit_in_json_lines_is_skipped_and_reading_goes_on() {
    let o = ExtractOptions {
        limits: crate::limits::Limits {
            max_record_size: 1 << 20,
            ..Default::default()
        },
        ..opts(None)
    };
    let line = |i: usize| format!("{{{IOS},\"deviceName\":\"d{i}\"}}\n");
    let first = line(1);
    let text = format!(
        "{first}{{{IOS},\"deviceName\":\"{}\"}}\n{}",
        "b".repeat(3 << 20),
        line(3)
    );
    let (n, r) = read(&mut text.as_bytes(), &o).unwrap();
    assert_eq!(n, 2);
    let p = r.partial.expect("partial");
    assert_eq!((p.devices_read, p.unread_parts, p.resumed), (2, 1, true));
    // Reading stopped inside the second line, after the limit.
    let Some(Place::Byte(b)) = p.stopped_at else {
        panic!("{p:?}")
    };
    assert!(b > first.len() as u64 && b < (first.len() + (3 << 20)) as u64);
    assert!(p.reason.contains("--max-record-size"), "{}", p.reason);
    assert!(matches!(r.warnings[0], Note::Partial { .. }));
    assert!(r.warnings[0]
        .german()
        .starts_with("NUR TEILWEISE GELESEN: 2 Geräte gelesen; das Lesen brach bei Byte"));
}

#[test]
fn one_invalid_byte_in_an_intune_export_makes_it_partial() {
    let records: Vec<String> = (1..=6)
        .map(|i| format!("{{\"id\":\"{i}\",\"deviceName\":\"D{i}\",{IOS}}}"))
        .collect();
    let mut text = format!("{{\"value\":[{}]}}", records.join(",")).into_bytes();
    // Break the 4th record: a raw 0xff byte where a quote belongs.
    let at = text.windows(4).position(|w| w == b"\"D4\"").unwrap();
    text[at] = 0xff;
    let (n, r) = read(&mut &text[..], &opts(None)).unwrap();
    assert_eq!(n, 3, "the records before the break are kept");
    let p = r.partial.clone().expect("partial");
    assert_eq!(p.devices_read, 3);
    assert!(!p.resumed);
    let Some(Place::Byte(b)) = p.stopped_at else {
        panic!("{p:?}")
    };
    assert!(b.abs_diff(at as u64) <= 2, "stopped at {b}, broken at {at}");
    let en = r.warnings[0].english();
    assert!(
        en.starts_with(&format!(
            "READ ONLY IN PART: 3 device(s) read; reading stopped at byte {b} (JSON syntax error"
        )),
        "{en}"
    );
    assert!(en.contains("the rest of the export was not read"), "{en}");
    // The same in facts: `partial` is there, the devices read too.
    let facts = extract_inventory(
        crate::extract::file_info("x.json", &text),
        &text,
        &opts(None),
    )
    .unwrap();
    assert_eq!(facts.devices.len(), 3);
    assert_eq!(facts.partial, Some(p));
}

#[test]
fn csv_header_and_rows_are_capped_before_buffering() {
    let o = opts(Some("intune-csv"));
    // A 64 MiB header: refused after the limit (not buffered).
    let mut input = huge("Device name,", b'A', 64 << 20, ",OS version\nx,17.1\n");
    let e = read(&mut input, &o).unwrap_err();
    assert!(
        e.to_string()
            .contains("header row is longer than the limit"),
        "{e}"
    );
    // A 64 MiB row on line 3: the row before it is read, reading stops there.
    let mut input = huge(
        "Device name,OS version\nd1,17.1\nd2,",
        b'1',
        64 << 20,
        "\nd3,17.1\n",
    );
    let (n, r) = read(&mut input, &o).unwrap();
    assert_eq!(n, 1);
    let p = r.partial.expect("partial");
    assert_eq!(p.stopped_at, Some(Place::Line(3)));
    assert!(!p.resumed);
    // A row with a byte that is not UTF-8: skipped, reading goes on.
    let text = b"Device name,OS version\nd1,17.1\nd\xff2,17.1\nd3,17.1\n";
    let (n, r) = read(&mut &text[..], &o).unwrap();
    assert_eq!(n, 2);
    let p = r.partial.expect("partial");
    assert_eq!((p.stopped_at, p.resumed), (Some(Place::Line(3)), true));
}

#[test]
fn xml_records_are_capped_before_buffering() {
    let o = opts(None);
    let head = "<mobile_devices><mobile_device><general><os_version>17.1</os_version></general></mobile_device><mobile_device><general><name>";
    let mut input = huge(
        head,
        b'a',
        64 << 20,
        "</name></general></mobile_device></mobile_devices>",
    );
    let (n, r) = read(&mut input, &o).unwrap();
    assert_eq!(n, 1);
    let p = r.partial.expect("partial");
    let at = head.find("<mobile_device><general><name>").unwrap() as u64;
    assert_eq!(p.stopped_at, Some(Place::Byte(at)));
    assert!(p.reason.contains("--max-record-size"), "{}", p.reason);
}

#[test]
fn an_amplified_apple_mdm_plist_fails_on_the_budget() {
    let bytes = crate::extract::ios::plist::tests::amplified(4, 2000);
    let t = Instant::now();
    let e = read(&mut &bytes[..], &opts(Some("apple-mdm"))).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
    assert!(e.to_string().contains("--max-plist-decoded"), "{e}");
}

#[test]
fn devices_over_the_limit_make_the_export_partial() {
    let (place, goes_on) = Note::OverLimit(7).unread().unwrap();
    assert_eq!(place, Some(Place::Record(MAX_DEVICES as u64 + 1)));
    assert!(!goes_on);
    // Records that are simply no devices do not.
    let skipped = Note::Skipped {
        unit: note::Unit::Record,
        number: 2,
        reason: note::Reason::NotIntuneDevice,
    };
    assert!(skipped.unread().is_none());
}
