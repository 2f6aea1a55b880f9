//! Inventory facts documents given to a scan (`msgaudit facts` output of a
//! device export): their devices join the fleet as the devices of the
//! export they were made from would.
//!
//! A document keeps the fields derived on the day it was made
//! (`patch_age_days`, `days_since_check_in`, `os_support`): with the audit
//! date, OS support data and Android patch-level floor of that run. Scanned
//! later, those fields would show a device as it stood then: a check-in
//! "11 days" ago when three months have passed, a patch level judged against
//! an older newest level. So the devices are derived again with this run's
//! audit date, OS data and floor ([`derive`]), from the fields the document
//! holds as read (platform, OS version, patch level, check-in). Their patch
//! levels count towards the floor every device of the run is judged against
//! ([`seed`]), and a device a document lists with other device lists (exports
//! or documents) is merged with them into one device ([`Merger`]), as one
//! several exports list is.

use super::dedupe::{self, ExportKeys, MergeCount, Merger};
use super::patch_floor::PatchFloor;
use crate::checks::{FleetBuilder, Input};
use crate::extract::inventory::os_support::OsData;
use crate::extract::inventory::{derive, Format, InventoryError, Note};
use crate::extract::ExtractOptions;
use crate::facts::{Device, DeviceSource, Facts, InventoryFacts};

/// Whether `input` is an inventory facts document.
pub(super) fn is_document(input: &Input) -> bool {
    matches!(input, Input::Facts(Facts::Inventory(_)))
}

/// The patch-level floor the devices of `documents` show, for an audit on
/// `options.as_of`.
pub(super) fn seed(documents: &[&InventoryFacts], options: &ExtractOptions) -> PatchFloor {
    let mut floor = PatchFloor::new(options.as_of);
    for doc in documents {
        doc.devices.iter().for_each(|d| floor.see(d));
    }
    floor
}

/// The identifier hashes of `doc`'s devices, as device list `index` of the
/// run; none when its format is not one msgaudit reads (the document was
/// edited, or made by another version): its devices are not merged.
pub(super) fn keys(doc: &InventoryFacts, index: usize) -> Option<ExportKeys> {
    let mut keys = ExportKeys::new(index, Format::from_name(&doc.format)?);
    doc.devices.iter().for_each(|d| keys.see(d));
    Some(keys)
}

/// Takes `doc`'s devices into `fleet`, each derived again with `derive`
/// (the run's OS data and audit date) and passed through `merge` (the
/// merger and the document's index as a device list) when the run has one.
pub(super) fn assess(
    doc: &InventoryFacts,
    derive_with: Result<(&OsData, chrono::NaiveDate), &InventoryError>,
    mut merge: Option<(&mut Merger, usize)>,
    fleet: &mut FleetBuilder<'_, '_>,
) -> Result<(), String> {
    let (os, as_of) = derive_with.map_err(ToString::to_string)?;
    let mut count = MergeCount::default();
    let mut devices = Vec::with_capacity(doc.devices.len());
    for (ordinal, d) in doc.devices.iter().enumerate() {
        let mut d = d.clone();
        derive(&mut d, os, as_of);
        legacy_contradiction(&mut d);
        let d = match merge.as_mut() {
            Some((merger, list)) => {
                let source = DeviceSource {
                    format: doc.format.clone(),
                    file: doc.file.path.clone(),
                    record: d.record.clone(),
                    last_check_in: d.last_check_in.clone(),
                };
                match merger.pass(*list, ordinal, d, source, &mut count) {
                    Some(d) => d,
                    None => continue,
                }
            }
            None => d,
        };
        devices.push(d);
    }
    let mut warnings = doc.warnings.clone();
    warnings.extend(dedupe::note(count));
    take(doc, devices, warnings, fleet)
}

/// Gives a device of a document written before `encryption_contradiction`
/// existed the flag its encryption detail stands for. Such a document has
/// the detail's words (msgaudit's readers wrote them: „… (the exports
/// disagree)“ by the compliance join, „… (the export disagrees with
/// itself)“ by the Intune reader) but not the flag DEV-03 now reads; without
/// it, a contradiction of an older document would no longer warn or fail.
/// A device with the flag, or with another detail, is left as it is.
fn legacy_contradiction(d: &mut Device) {
    if d.encryption_contradiction.is_some() {
        return;
    }
    let Some(detail) = d.encryption_detail.as_deref() else {
        return;
    };
    let flag = if detail.ends_with("(the exports disagree)") {
        "exports"
    } else if detail.ends_with("(the export disagrees with itself)") {
        "export"
    } else {
        return;
    };
    d.encryption_contradiction = Some(flag.to_string());
}

/// Takes `devices` of `doc` that were held to be merged but whose merge
/// never completed ([`Merger::release`]) into `fleet`, as one more part of
/// the document, with a note saying why.
pub(super) fn assess_held(
    doc: &InventoryFacts,
    devices: Vec<Device>,
    fleet: &mut FleetBuilder<'_, '_>,
) -> Result<(), String> {
    let held = vec![Note::HeldNotMerged(devices.len())];
    take(doc, devices, held, fleet)
}

/// Takes `devices` into `fleet` as a device list with `doc`'s file, format
/// and partial state, and `warnings`.
fn take(
    doc: &InventoryFacts,
    devices: Vec<Device>,
    warnings: Vec<Note>,
    fleet: &mut FleetBuilder<'_, '_>,
) -> Result<(), String> {
    let list = Input::Facts(Facts::Inventory(Box::new(InventoryFacts {
        kind: doc.kind,
        file: doc.file.clone(),
        format: doc.format.clone(),
        pseudonymized: doc.pseudonymized,
        devices,
        warnings,
        partial: doc.partial.clone(),
    })));
    fleet
        .take_inventories(std::iter::once(&list))
        .map(drop)
        .map_err(|e| format!("the device results could not be stored: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_detail(detail: Option<&str>, flag: Option<&str>) -> Device {
        Device {
            encryption_detail: detail.map(str::to_string),
            encryption_contradiction: flag.map(str::to_string),
            ..Device::default()
        }
    }

    #[test]
    fn an_older_documents_contradiction_gets_its_flag() {
        let cases = [
            (
                Some("isEncrypted = true in the device list (record 2), but Intune setting state X = \"nonCompliant\" (s.json, record 1) (the exports disagree)"),
                None,
                Some("exports"),
            ),
            (
                Some("isEncrypted = true, but hardwareInformation.isEncrypted = false (the export disagrees with itself)"),
                None,
                Some("export"),
            ),
            // A flag written by this version stays as it is.
            (Some("… (the exports disagree)"), Some("export"), Some("export")),
            // Another detail, or none, gives no flag.
            (Some("ACTIVE_DEFAULT_KEY"), None, None),
            (Some("the exports disagree, says a crafted name"), None, None),
            (None, None, None),
        ];
        for (detail, flag, expected) in cases {
            let mut d = with_detail(detail, flag);
            legacy_contradiction(&mut d);
            assert_eq!(
                d.encryption_contradiction.as_deref(),
                expected,
                "{detail:?}"
            );
        }
    }
}
