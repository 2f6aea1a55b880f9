//! Intune compliance exports given to `scan`: told apart from device lists,
//! read into one bounded index before the device lists stream, and handed to
//! the readers through [`ExtractOptions::compliance`].

use std::sync::Arc;

use super::collect::Skipped;
use super::stream::{InventoryContent, InventoryFile};
use crate::checks::Input;
use crate::extract::inventory::intune_compliance::{
    ComplianceIndex, ComplianceKind, COMPLIANCE_BUDGET,
};
use crate::extract::inventory::pseudonym::Pseudonymizer;
use crate::extract::inventory::Format;
use crate::extract::ExtractOptions;

/// Splits the inventory files into compliance exports and device lists, by
/// what [`super::load`] found in each file's head.
pub fn split(
    files: Vec<InventoryFile>,
) -> (Vec<(InventoryFile, ComplianceKind)>, Vec<InventoryFile>) {
    let mut compliance = Vec::new();
    let mut devices = Vec::new();
    for f in files {
        match f.content {
            InventoryContent::Compliance(kind) => compliance.push((f, kind)),
            _ => devices.push(f),
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
    let limits = options.limits;
    let mut fail = |f: &InventoryFile, en: String, de: String| {
        super::app_lists::fail(f, (en, de), None, &limits, inputs, skipped)
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
