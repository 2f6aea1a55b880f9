//! A test-only inventory format, added the way a real one is: this file
//! (its detection predicate and its reader) plus one `#[cfg(test)]` line in
//! [`super::registry::INVENTORY_FORMATS`] — nothing else. The tests show it
//! is then named, forced, detected and read like every built-in format.

use std::io::BufRead;

use super::detect::Head;
use super::registry::{detect as detect_format, Format, INVENTORY_FORMATS};
use super::{stream_inventory, Collected, Ctx, InventoryError};
use crate::extract::ExtractOptions;
use crate::facts::Device;

/// The dummy format.
pub(super) const DUMMY: Format = Format::named("test-dummy");

/// The dummy's first line.
const MAGIC: &str = "#msgaudit-test-dummy";

/// An export starting with [`MAGIC`].
pub(super) fn detect(h: &Head) -> bool {
    h.text.starts_with(MAGIC)
}

/// One device per line after the first: `platform os_version`.
pub(super) fn read(
    input: &mut dyn BufRead,
    _ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    for (i, line) in input.lines().enumerate().skip(1) {
        let line = line.map_err(|e| InventoryError::Read(e.to_string()))?;
        let mut words = line.split_whitespace();
        out.push(Device {
            record: format!("line {}", i + 1),
            platform: words.next().map(str::to_string),
            os_version: words.next().map(str::to_string),
            ..Device::default()
        });
    }
    Ok(())
}

const EXPORT: &str = "#msgaudit-test-dummy\nandroid 14\nios 17.6\n";

#[test]
fn a_format_added_by_its_file_and_one_registry_line_is_named_detected_and_read() {
    assert_eq!(Format::from_name("test-dummy"), Some(DUMMY));
    assert!(Format::all().any(|f| f == DUMMY));
    assert_eq!(detect_format(EXPORT.as_bytes()), Some(DUMMY));
    let options = ExtractOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        pseudonym_key: Some("k".into()),
        ..ExtractOptions::default()
    };
    let mut devices = Vec::new();
    let read = stream_inventory("x.txt", &mut EXPORT.as_bytes(), &options, &mut |d| {
        devices.push(d)
    })
    .unwrap();
    assert_eq!(read.format, DUMMY);
    assert_eq!(devices.len(), 2);
    assert_eq!(devices[1].os_version.as_deref(), Some("17.6"));
    // Forced by name like every format.
    let forced = ExtractOptions {
        inventory_format: Some("test-dummy".into()),
        ..options
    };
    let read = stream_inventory("x.txt", &mut EXPORT.as_bytes(), &forced, &mut |_| {}).unwrap();
    assert_eq!(read.format, DUMMY);
    assert_eq!(read.devices, 2);
}

#[test]
fn every_registered_format_but_the_dummy_has_a_sample_it_detects_and_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    for spec in INVENTORY_FORMATS.iter().filter(|s| s.format != DUMMY) {
        let path = root.join(spec.sample);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: sample {}: {e}", spec.format.name(), path.display()));
        assert_eq!(
            detect_format(&bytes),
            Some(spec.format),
            "{} is detected as its registry line's format",
            spec.sample
        );
    }
}

#[test]
fn csv_vocabularies_tell_the_csv_formats_apart_and_plain_text_is_no_export() {
    let detect = |s: &str| detect_format(s.as_bytes());
    assert_eq!(
        detect("Device ID,Device name,OS,OS version,Primary user UPN\n"),
        Some(Format::IntuneCsv)
    );
    assert_eq!(
        detect("Display Name,Serial Number,iOS Version,Managed\n"),
        Some(Format::JamfCsv)
    );
    assert_eq!(detect("device_id;platform;os_version\n"), Some(Format::Csv));
    // The generic CSV is tried before Intune's, which it excludes by
    // Intune's own columns.
    assert_eq!(
        detect("device_id,platform,os_version,last_checkin\n"),
        Some(Format::Csv)
    );
    assert_eq!(
        detect("device_id,platform,os_version,primary_user_upn\n"),
        Some(Format::IntuneCsv)
    );
    // Every generic column but `platform` may be left out. Intune's export
    // has no `platform` column (it says `OS`), so a CSV with one is the
    // generic CSV even when its other columns are ones Intune's export has
    // too (Intune's reader would find no platform in it).
    assert_eq!(
        detect("device_id,platform,passcode_present,encrypted,last_checkin,serial\n"),
        Some(Format::Csv)
    );
    assert_eq!(
        detect("device_id,platform,compromised,last_checkin\n"),
        Some(Format::Csv)
    );
    assert_eq!(
        detect("device_id,platform,encrypted,last_checkin\n"),
        Some(Format::Csv)
    );
    assert_eq!(detect("platform,last_checkin\n"), Some(Format::Csv));
    // Without `platform`, such columns are Intune's (`Last check-in`).
    assert_eq!(
        detect("device_id,os,encrypted,last_checkin\n"),
        Some(Format::IntuneCsv)
    );
    // `platform` with no other device column is no device export.
    assert_eq!(detect("name,platform,version\n"), None);
    for text in ["hello world\n", "   ", "<html/>"] {
        let h = Head::new(text.as_bytes());
        for spec in INVENTORY_FORMATS {
            assert!(!(spec.detect)(&h), "{text:?} is no {:?}", spec.format);
        }
    }
}
