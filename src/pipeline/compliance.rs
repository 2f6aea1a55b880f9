//! Intune compliance exports given to `scan`: told apart from device lists,
//! read into one bounded index before the device lists stream, and handed to
//! the readers through [`ExtractOptions::compliance`].

use std::io::Read;
use std::sync::Arc;

use super::collect::Skipped;
use super::stream::InventoryFile;
use crate::checks::Input;
use crate::extract::inventory::intune_compliance::{
    sniff, ComplianceIndex, ComplianceKind, COMPLIANCE_BUDGET,
};
use crate::extract::inventory::pseudonym::Pseudonymizer;
use crate::extract::inventory::{Format, HEAD_BYTES};
use crate::extract::ExtractOptions;

/// Splits the inventory files into compliance exports (by content; never
/// when `--inventory-format` forces a format) and device lists.
pub fn split(
    files: Vec<InventoryFile>,
    options: &ExtractOptions,
) -> (Vec<(InventoryFile, ComplianceKind)>, Vec<InventoryFile>) {
    if options.inventory_format.is_some() {
        return (Vec::new(), files);
    }
    let mut compliance = Vec::new();
    let mut devices = Vec::new();
    for f in files {
        let head = std::fs::File::open(&f.path).and_then(|file| {
            let mut head = Vec::with_capacity(HEAD_BYTES);
            file.take(HEAD_BYTES as u64).read_to_end(&mut head)?;
            Ok(head)
        });
        match head.ok().as_deref().and_then(sniff) {
            Some(kind) => compliance.push((f, kind)),
            None => devices.push(f),
        }
    }
    (compliance, devices)
}

/// Reads the compliance exports into `options.compliance`. A file that
/// cannot be read, or that has no Intune device list to join in this scan,
/// becomes an error row in `inputs` (skipped with its reason when found by
/// walking a folder).
pub fn load(
    files: &[(InventoryFile, ComplianceKind)],
    devices: &[InventoryFile],
    options: &mut ExtractOptions,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
) {
    if files.is_empty() {
        return;
    }
    let intune = devices
        .iter()
        .any(|d| matches!(d.format, Format::IntuneGraph | Format::IntuneCsv));
    let mut fail = |f: &InventoryFile, en: String, de: String| {
        super::app_lists::fail(f, (en, de), inputs, skipped)
    };
    if !intune {
        for (f, kind) in files {
            let (en, de) = kind.without_devices();
            fail(f, en, de);
        }
        return;
    }
    let pn = Pseudonymizer::new(options.pseudonym_key.as_deref(), options.reveal_identities);
    let mut ix = ComplianceIndex::new(pn, options.as_of, COMPLIANCE_BUDGET);
    for (f, kind) in files {
        let name = f.path.display().to_string();
        let read = super::app_lists::open(f).and_then(|mut input| {
            ix.read(&name, *kind, &mut input, options.limits.max_record_size)
                .map_err(|e| (e.to_string(), e.message_de()))
        });
        if let Err((en, de)) = read {
            fail(f, en, de);
        }
    }
    if !ix.files().is_empty() {
        options.compliance = Some(Arc::new(ix));
    }
}
