//! The device exports of a run: each is read once, in full, its devices
//! kept compactly ([`DeviceSpill`]); while they are read, the fleet's newest
//! Android patch level ([`PatchFloor`]) and, with two or more device lists,
//! the devices several exports list ([`dedupe::SurveyBuilder`]) are found.
//! Then every export's devices are assessed in order, their floor-dependent
//! fields derived again with the fleet's floor ([`derive`]), the devices
//! several exports list merged ([`dedupe::Merger`]).
//!
//! A run's only device list is read and assessed at once
//! ([`stream::read_and_assess`]): each batch is assessed with the floor of
//! the devices read so far, and when a later device moves the floor the
//! Android devices assessed before are assessed again once it is known.
//! When that export cannot be read or stored in full, or the floor moves
//! after more Android devices were assessed than are kept for that, it is
//! read again as above (which reports why it failed).
//!
//! The fields [`derive`] sets (`patch_age_days`, `days_since_check_in`,
//! `os_support`) are not kept with the devices ([`Derived::Left`]) but
//! derived again for every device: with the final floor they are what
//! reading with it would have given, since [`derive`] sets all three anew
//! from fields (platform, OS version, patch level, check-in) the joins
//! (compliance, app lists) never change.

use super::collect::Skipped;
use super::dedupe::{self, ExportKeys, Merger, SurveyBuilder};
use super::device_codec::Derived;
use super::device_spill::{DeviceSpill, IN_MEMORY};
use super::fleet_documents;
use super::load::failure_file;
use super::page_sets;
use super::patch_floor::PatchFloor;
use super::stream::{self, Assessing, InventoryContent, InventoryFile, StreamError};
use super::Observer;
use crate::checks::{FleetBuilder, Input, InputFailure};
use crate::extract::inventory::{os_data, InventoryError};
use crate::extract::ExtractOptions;
use crate::facts::{FileInfo, InventoryFacts, TargetKind};

#[cfg(doc)]
use crate::extract::inventory::derive;

/// Reads and assesses `inventories` (device lists, in order) and then the
/// inventory facts `documents` ([`fleet_documents`]) into `fleet`; sets
/// `options.android_patch_floor` to the floor found (from the devices of
/// both). Exports found in folders that hold no devices are added to
/// `skipped`; exports that cannot be read, and documents that cannot be
/// assessed, to `unreadable`.
pub(super) fn assess_exports(
    inventories: &[InventoryFile],
    documents: &[&InventoryFacts],
    options: &mut ExtractOptions,
    fleet: &mut FleetBuilder<'_, '_>,
    skipped: &mut Vec<Skipped>,
    unreadable: &mut Vec<Input>,
    observer: &dyn Observer,
) -> PatchFloor {
    let seed = fleet_documents::seed(documents, options);
    options.android_patch_floor = seed.newest;
    if inventories.is_empty() && documents.is_empty() {
        return seed;
    }
    // The only device list of a run: its devices are assessed as they are
    // read (else it is read again below, and the reason for failing found).
    if let ([inv], []) = (inventories, documents) {
        if inv.content == InventoryContent::Devices {
            if let Some((read, floor)) = stream::read_and_assess(inv, options, fleet, seed) {
                options.android_patch_floor = floor.newest;
                observer.inventory_read(&inv.path, &read);
                return floor;
            }
        }
    }
    // The devices are kept without the fields derived from the floor, and
    // derived once it is known.
    let mut spill = DeviceSpill::new(IN_MEMORY, Derived::Left);
    let (floor, merger, mut reads) =
        read_exports(inventories, documents, options, &mut spill, seed);
    // Pages of one export given as several files: whole, they warn of no
    // missing page; linked pages that cannot be shown whole say so for the
    // scan's files.
    let paths: Vec<&std::path::Path> = inventories.iter().map(|i| i.path.as_path()).collect();
    let names = page_sets::page_names(&paths);
    // Whether a file was given before (a set: thousands of pages stay linear).
    let mut given = std::collections::HashSet::new();
    let mut paged: Vec<page_sets::PageFile<'_>> = inventories
        .iter()
        .zip(reads.iter_mut())
        .zip(names)
        .map(|((inv, read), name)| {
            let again = !given.insert(inv.path.as_path());
            (inv.format, name, read.warnings_mut(), again)
        })
        .collect();
    for note in page_sets::join_pages(&mut paged) {
        observer.exports_noted(&note);
        fleet.note_exports(&note);
    }
    options.android_patch_floor = floor.newest;
    let os = os_data(options);
    let derive = match &os {
        Ok(os) => Ok((os, options.as_of)),
        Err(e) => Err(e),
    };
    let mut merger = merger;
    for (i, (inv, read)) in inventories.iter().zip(reads).enumerate() {
        let merge = merger.as_mut().map(|m| (m, i));
        let with = Assessing {
            spill: &mut spill,
            derive,
        };
        match stream::assess_export(inv, read, with, fleet, merge) {
            Ok(read) => observer.inventory_read(&inv.path, &read),
            Err(StreamError::Inventory(
                e @ (InventoryError::Unrecognized | InventoryError::NotDevices(_)),
            )) if inv.from_folder => {
                skipped.push(Skipped::unrecognized(inv.path.clone(), e.to_string()))
            }
            Err(e) => {
                fleet.note_inventory();
                let file = failure_file(&inv.path, &options.limits);
                let path = inv.path.display().to_string();
                unreadable.push(failed(path, &e, e.german(), file));
            }
        }
    }
    for (j, doc) in documents.iter().enumerate() {
        let merge = merger.as_mut().map(|m| (m, inventories.len() + j));
        if let Err(e) = fleet_documents::assess(doc, derive, merge, fleet) {
            fleet.note_inventory();
            // A document fails first for OS data that could not be read.
            let german = derive.err().and_then(InventoryError::german);
            unreadable.push(failed(
                doc.file.path.clone(),
                &e,
                german,
                Some(doc.file.clone()),
            ));
        }
    }
    if let Some(merger) = merger.as_mut() {
        for (file, devices) in merger.release() {
            let inv = inventories
                .iter()
                .find(|inv| inv.path.display().to_string() == file);
            let held = match inv {
                Some(inv) => stream::assess_held(inv, &devices, fleet).map_err(|e| e.to_string()),
                None => match documents.iter().find(|doc| doc.file.path == file) {
                    Some(doc) => fleet_documents::assess_held(doc, devices, fleet),
                    None => Ok(()),
                },
            };
            if let Err(e) = held {
                let info = match inv {
                    Some(inv) => failure_file(&inv.path, &options.limits),
                    None => documents
                        .iter()
                        .find(|doc| doc.file.path == file)
                        .map(|doc| doc.file.clone()),
                };
                unreadable.push(failed(file, &e, None, info));
            }
        }
    }
    floor
}

/// Reads every export once: the patch-level floor of the device lists (from
/// `seed` on: the documents'), the
/// merger of the devices several of them list (with two or more), and each
/// export's read, in order.
fn read_exports(
    inventories: &[InventoryFile],
    documents: &[&InventoryFacts],
    options: &ExtractOptions,
    spill: &mut DeviceSpill,
    seed: PatchFloor,
) -> (PatchFloor, Option<Merger>, Vec<stream::ReadExport>) {
    let is_list = |f: &InventoryFile| f.content == InventoryContent::Devices;
    let lists = inventories.iter().filter(|f| is_list(f)).count() + documents.len();
    let mut survey = SurveyBuilder::for_lists(lists);
    let mut floor = seed;
    let mut reads = Vec::with_capacity(inventories.len());
    for (i, inv) in inventories.iter().enumerate() {
        let list = is_list(inv);
        let mut keys = survey
            .as_ref()
            .filter(|_| list)
            .map(|_| ExportKeys::new(i, inv.format));
        let read = stream::read_export(inv, options, spill, &mut |d| {
            // Reading fails only before its first device, so the floor
            // sees exactly the devices of the exports that can be read.
            if list {
                floor.see(d);
            }
            if let Some(keys) = keys.as_mut() {
                keys.see(d);
            }
        });
        // An export that cannot be read takes no part in merging.
        if let (Some(survey), Some(keys)) = (survey.as_mut(), keys) {
            if read.is_read() {
                survey.add(keys);
            }
        }
        reads.push(read);
    }
    // The documents, as the device lists after the exports.
    if let Some(survey) = survey.as_mut() {
        for (j, doc) in documents.iter().enumerate() {
            if let Some(keys) = fleet_documents::keys(doc, inventories.len() + j) {
                survey.add(keys);
            }
        }
    }
    let merger = survey.map(|s| dedupe::Merger::new(s.finish()));
    (floor, merger, reads)
}

/// The failed input standing for an export that could not be read, with
/// the error's German text where it has one (`reason_de`; else its English
/// words are said in German). `file` is its size and SHA-256 as far as they
/// can be taken.
pub(super) fn failed(
    path: String,
    e: &impl std::fmt::Display,
    reason_de: Option<String>,
    file: Option<FileInfo>,
) -> Input {
    Input::Failed(InputFailure {
        path,
        kind: TargetKind::Inventory,
        reason: e.to_string(),
        cause: None,
        reason_de,
        unused_app_list: None,
        file,
    })
}
