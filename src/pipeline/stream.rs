//! Streams an inventory export file through the evaluator: one thread reads
//! and normalizes devices (in batches), the caller's thread assesses each
//! batch in parallel and stores it. Neither the export nor the fleet's results
//! are held in memory whole.

use crate::extract::inventory::intune_compliance::ComplianceKind;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use super::dedupe::{MergeCount, Merger};
use crate::checks::{FleetBuilder, InventorySource};
use crate::extract::inventory::{stream_inventory, Format, InventoryError, InventoryRead, Note};
use crate::extract::{file_info_streamed, ExtractOptions, READ_BUF};
use crate::facts::{Device, DeviceSource};

/// Devices per batch handed from the reading thread to the evaluation.
const BATCH: usize = 1024;

/// Batches in flight between reading and evaluation (bounds memory).
const IN_FLIGHT: usize = 4;

/// An inventory export to stream.
#[derive(Debug, Clone)]
pub struct InventoryFile {
    /// The file.
    pub path: PathBuf,
    /// Its format, as resolved from its first bytes (or forced).
    pub format: Format,
    /// Found by walking a folder: an export that turns out not to hold devices is skipped.
    pub from_folder: bool,
    /// What it holds, as [`crate::extract::kind::detect`] found from its head.
    pub content: InventoryContent,
}

/// What an inventory file holds, decided once from its head when it is loaded
/// (never re-read to decide): devices, or data joined to the devices of
/// other files. A format forced with `--inventory-format` always means devices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryContent {
    /// A device list of its format.
    Devices,
    /// An Intune compliance export (setting states or device statuses).
    Compliance(ComplianceKind),
    /// Apple MDM InstalledApplicationList responses.
    AppList,
}

/// Why an inventory file contributed no devices.
#[derive(Debug)]
pub enum StreamError {
    /// The export could not be read (its devices were dropped).
    Inventory(InventoryError),
    /// The file could not be read, or the results could not be stored.
    Io(String),
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Inventory(e) => e.fmt(f),
            StreamError::Io(e) => f.write_str(e),
        }
    }
}

/// Reads `inv`'s devices into `fleet` (assessing them on the way). On error
/// the inventory's devices are rolled back, so a half-read export never
/// counts.
///
/// With `merge` (the merger and this export's index among the streamed
/// exports), devices other exports list too are held and merged
/// ([`super::dedupe`]); the export's notes say how many.
pub fn stream_into(
    inv: &InventoryFile,
    options: &ExtractOptions,
    fleet: &mut FleetBuilder<'_, '_>,
    mut merge: Option<(&mut Merger, usize)>,
) -> Result<InventoryRead, StreamError> {
    let io = |e: std::io::Error| StreamError::Io(format!("cannot read the file: {e}"));
    let file = file_info_streamed(&inv.path.display().to_string(), &inv.path).map_err(io)?;
    let name = file.path.clone();
    fleet.begin(InventorySource {
        file,
        format: inv.format.name().to_string(),
    });
    let input = File::open(&inv.path).map_err(io)?;
    let (tx, rx) = sync_channel::<Vec<Device>>(IN_FLIGHT);
    let (read, stored) = std::thread::scope(|s| {
        let merge = merge.as_mut();
        let reader = s.spawn(move || {
            let mut input = BufReader::with_capacity(READ_BUF, input);
            let mut batch = Vec::with_capacity(BATCH);
            let mut count = MergeCount::default();
            let mut ordinal = 0usize;
            let mut merge = merge;
            let read = stream_inventory(&name, &mut input, options, &mut |d| {
                let d = match merge.as_mut() {
                    Some((merger, export)) => {
                        let source = DeviceSource {
                            format: inv.format.name().to_string(),
                            file: name.clone(),
                            record: d.record.clone(),
                            last_check_in: d.last_check_in.clone(),
                        };
                        ordinal += 1;
                        match merger.pass(*export, ordinal - 1, d, source, &mut count) {
                            Some(d) => d,
                            None => return,
                        }
                    }
                    None => d,
                };
                batch.push(d);
                if batch.len() >= BATCH {
                    // A closed channel means evaluation stopped; reading ends with the file.
                    let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                }
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            read.map(|mut read| {
                read.warnings.extend(super::dedupe::note(count));
                read
            })
        });
        let mut stored = Ok(());
        for batch in rx {
            if stored.is_ok() {
                stored = fleet.add(&batch);
            }
        }
        let read = reader.join().unwrap_or_else(|_| {
            Err(InventoryError::Json(
                "internal error while reading the export".to_string(),
            ))
        });
        (read, stored)
    });
    match (read, stored) {
        (Ok(read), Ok(())) => {
            fleet.commit_with(&read.warnings);
            Ok(read)
        }
        (Err(e), _) => {
            fleet.rollback();
            Err(StreamError::Inventory(e))
        }
        (Ok(_), Err(e)) => {
            fleet.rollback();
            Err(StreamError::Io(format!(
                "the device results could not be stored: {e}"
            )))
        }
    }
}

/// Assesses `devices` of `inv` that were held to be merged but whose merge
/// never completed ([`Merger::release`]), as one more part of that export,
/// with a note saying why.
pub fn assess_held(
    inv: &InventoryFile,
    devices: &[Device],
    fleet: &mut FleetBuilder<'_, '_>,
) -> Result<(), StreamError> {
    let io = |e: std::io::Error| StreamError::Io(format!("cannot read the file: {e}"));
    let file = file_info_streamed(&inv.path.display().to_string(), &inv.path).map_err(io)?;
    fleet.begin(InventorySource {
        file,
        format: inv.format.name().to_string(),
    });
    if let Err(e) = fleet.add(devices) {
        fleet.rollback();
        return Err(StreamError::Io(format!(
            "the device results could not be stored: {e}"
        )));
    }
    fleet.commit_with(&[Note::HeldNotMerged(devices.len())]);
    Ok(())
}
