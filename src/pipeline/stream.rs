//! Streams an inventory export file through the evaluator, in two steps
//! (`super::exports` runs them): [`read_export`] reads the export once —
//! one thread reads devices and two more normalize them (in batches,
//! `crate::extract::inventory::batch`) while the caller's thread keeps them
//! compactly (`DeviceSpill`) and another hashes the file; [`assess_export`]
//! later takes the kept devices back, on one thread, while the caller's
//! thread assesses each batch in parallel and stores it.
//! [`read_and_assess`] does both at once for the only device export of a
//! run, keeping only its first few thousand Android devices (whose results
//! depend on the fleet's patch-level floor). Neither the export nor the
//! fleet's devices or results are held in memory whole.

use crate::extract::inventory::intune_compliance::ComplianceKind;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rayon::prelude::*;

use chrono::NaiveDate;

use super::dedupe::{MergeCount, Merger};
use super::device_codec::Derived;
use super::device_spill::{DeviceSpill, IN_MEMORY};
use super::patch_floor::PatchFloor;
use crate::checks::{FleetBuilder, InventorySource, Ordinals, Placement};
use crate::extract::inventory::os_support::OsData;
use crate::extract::inventory::{
    derive, os_data, Format, InventoryError, InventoryRead, InventoryStream, Note,
};
use crate::extract::{file_info_streamed, ExtractOptions, READ_BUF};
use crate::facts::{Device, DeviceSource, FileInfo};

/// Devices per batch handed from the reading thread to the evaluation.
const BATCH: usize = 1024;

/// Bytes of devices ([`Device::heap_bytes`]) after which a batch is handed
/// on before it has [`BATCH`] devices: a device's texts come from a record
/// of up to 8 MiB (`Limits::max_record_size`), and by their number alone the
/// batches in flight could hold gigabytes. A device of a 21-field Intune
/// export weighs about 1.3 KB, so its batches are full by number first.
const BATCH_BYTES: usize = 4 << 20;

/// Batches in flight between reading and evaluation (bounds memory). Two:
/// since records are mapped on threads of their own, the reading side
/// keeps ahead and the channel stays full, and four held 3.6 MiB more and
/// were no faster (docs/benchmarks.md, twenty-fourth round).
const IN_FLIGHT: usize = 2;

/// Decoded batches waiting for evaluation: decoding a kept batch is much
/// faster than assessing it, so the channel is always full and every
/// waiting batch is 1,024 devices held (measured on the 100,000-device
/// scan: 4 waiting batches peaked at 53–57 MiB, 2 at 50–54 MiB, at the
/// same speed within the noise; 1 left the evaluation waiting at times).
const DECODED_IN_FLIGHT: usize = 2;

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

impl StreamError {
    /// The error in German where it has a German text of its own
    /// ([`InventoryError::german`]).
    pub fn german(&self) -> Option<String> {
        match self {
            StreamError::Inventory(e) => e.german(),
            StreamError::Io(_) => None,
        }
    }
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Inventory(e) => e.fmt(f),
            StreamError::Io(e) => f.write_str(e),
        }
    }
}

/// What the one read of a device export gave: its file's description, the
/// read's outcome, and how many batches of its devices were kept.
#[derive(Debug)]
pub struct ReadExport {
    /// The file's path, SHA-256 and size (hashed while it was read).
    file: std::io::Result<FileInfo>,
    /// What reading gave besides the devices, or why it failed; an I/O
    /// error when the file could not be opened (nothing was read).
    read: std::io::Result<Result<InventoryRead, InventoryError>>,
    /// Batches of its devices kept in the spill.
    batches: usize,
    /// Why (some of) its devices could not be kept.
    not_kept: Option<std::io::Error>,
}

impl ReadExport {
    /// Whether reading gave the export's devices (perhaps only in part).
    pub fn is_read(&self) -> bool {
        matches!(self.read, Ok(Ok(_)))
    }

    /// The notes reading gave, when the export was read.
    pub fn warnings_mut(&mut self) -> Option<&mut Vec<Note>> {
        match &mut self.read {
            Ok(Ok(read)) => Some(&mut read.warnings),
            _ => None,
        }
    }
}

/// Reads `inv`'s devices once, in full, and keeps them in `spill` (in
/// batches, in the order read), showing each to `visit`; the file is hashed
/// on its own thread meanwhile. Nothing is assessed: [`assess_export`]
/// does that once every export was read.
pub fn read_export(
    inv: &InventoryFile,
    options: &ExtractOptions,
    spill: &mut DeviceSpill,
    visit: &mut dyn FnMut(&Device),
) -> ReadExport {
    let name = inv.path.display().to_string();
    std::thread::scope(|s| {
        let hashing = s.spawn(|| file_info_streamed(&name, &inv.path));
        let (read, batches, not_kept) = match File::open(&inv.path) {
            Ok(input) => {
                let (read, batches, not_kept) = read_devices(input, &name, options, spill, visit);
                (Ok(read), batches, not_kept)
            }
            Err(e) => (Err(e), 0, None),
        };
        let file = hashing
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("internal error while hashing")));
        ReadExport {
            file,
            read,
            batches,
            not_kept,
        }
    })
}

/// Reads the devices of the opened export `input` (on a thread of its own)
/// into `spill`: what reading gave, the batches kept, and why not all
/// devices could be kept.
fn read_devices(
    input: File,
    name: &str,
    options: &ExtractOptions,
    spill: &mut DeviceSpill,
    visit: &mut dyn FnMut(&Device),
) -> (
    Result<InventoryRead, InventoryError>,
    usize,
    Option<std::io::Error>,
) {
    let (read, (batches, not_kept)) = read_batches(input, name, options, |batches| {
        let (mut kept, mut not_kept) = (0, None);
        while let Some(batch) = batches.next() {
            batch.iter().for_each(&mut *visit);
            if not_kept.is_none() {
                match spill.keep(&batch) {
                    Ok(()) => kept += 1,
                    Err(e) => not_kept = Some(e),
                }
            }
            batches.give_back(batch);
        }
        (kept, not_kept)
    });
    (read, batches, not_kept)
}

/// The batches of devices the reading thread of [`read_batches`] sends, in
/// the order read, without the fields derived from the floor.
struct Batches {
    read: Receiver<Vec<Device>>,
    emptied: SyncSender<Vec<Device>>,
}

impl Batches {
    /// The next batch; none once the export was read.
    fn next(&mut self) -> Option<Vec<Device>> {
        self.read.recv().ok()
    }

    /// Hands a batch done with back to be refilled.
    fn give_back(&self, batch: Vec<Device>) {
        give_back_to(&self.emptied, batch);
    }

    /// What hands a batch done with back to be refilled, apart from the
    /// batches (for the threads that assess them).
    fn recycler(&self) -> impl Fn(Vec<Device>) + Sync {
        let emptied = self.emptied.clone();
        move |batch| give_back_to(&emptied, batch)
    }
}

/// Hands `batch`, emptied, back to the reading thread through `emptied`.
fn give_back_to(emptied: &SyncSender<Vec<Device>>, mut batch: Vec<Device>) {
    batch.clear();
    // Full (the reader is ahead) or closed (it has finished): dropped.
    let _ = emptied.try_send(batch);
}

/// Reads the devices of the opened export `input` on a thread of its own,
/// in batches, while `take` takes them on the caller's thread: what reading
/// gave, and what `take` gave. `take` need not take every batch: those left
/// are dropped.
fn read_batches<T>(
    input: File,
    name: &str,
    options: &ExtractOptions,
    take: impl FnOnce(&mut Batches) -> T,
) -> (Result<InventoryRead, InventoryError>, T) {
    let (tx, rx) = sync_channel::<Vec<Device>>(IN_FLIGHT);
    // Batches come back emptied, so their memory (about 1 MiB each) is
    // reused instead of taken fresh from the system for every batch.
    let (give_back, emptied) = sync_channel::<Vec<Device>>(IN_FLIGHT + 1);
    let mut batches = Batches {
        read: rx,
        emptied: give_back,
    };
    // Set once `take` returned: reading stops at the next read from the
    // file, so an export abandoned half-way is not read to its end.
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let stop = &stop;
        let reader = s.spawn(move || {
            let input = Stoppable { input, stop };
            let mut input = BufReader::with_capacity(READ_BUF, input);
            let next = || {
                emptied
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(BATCH))
            };
            let mut batch = next();
            let mut bytes = 0;
            // The fields derived from the floor are left out: the spill
            // does not keep them, and they are derived once the floor is known.
            let read = InventoryStream::open(name, &mut input, options).and_then(|stream| {
                stream.underived().read(&mut |d| {
                    bytes += d.heap_bytes();
                    batch.push(d);
                    if batch.len() >= BATCH || bytes >= BATCH_BYTES {
                        // A closed channel means taking stopped; reading
                        // ends at the next read from the file.
                        let _ = tx.send(std::mem::replace(&mut batch, next()));
                        bytes = 0;
                    }
                })
            });
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            read
        });
        let taken = take(&mut batches);
        stop.store(true, Ordering::Relaxed);
        // Whatever was not taken is dropped, so the reader never waits.
        drop(batches);
        let read = reader.join().unwrap_or_else(|_| {
            Err(InventoryError::Json(
                "internal error while reading the export".to_string(),
            ))
        });
        (read, taken)
    })
}

/// A file whose reads fail once `stop` is set: the reading thread of
/// [`read_batches`] ends when nothing takes its batches any more.
struct Stoppable<'a> {
    input: File,
    stop: &'a AtomicBool,
}

impl Read for Stoppable<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("reading was stopped"));
        }
        self.input.read(buf)
    }
}

/// Reads the only device export of a run and assesses its devices into
/// `fleet` as they are read, so that reading and assessing overlap: what
/// reading gave, and the floor of its devices.
///
/// Only the Android devices' results depend on the fleet's patch-level
/// floor, known once the export was read. Each batch is assessed with the
/// floor of the devices read so far, the Android devices' results as
/// provisional ([`Placement::provisional`]), and the Android devices
/// are kept, in memory only (1 MiB, `device_spill::IN_MEMORY`: about
/// 2,000 devices of the 500 bytes a device of a 21-field Intune export
/// takes). When a device reports a newer level (which a fleet's devices
/// seldom do after the first batch), the provisional results so far are
/// dropped, and once the export was read their devices are taken back and
/// assessed again with the final floor. Every device keeps its place in
/// the export ([`Ordinals`]), so the report is the one of reading first and
/// assessing once the floor is known.
///
/// Past that memory, Android devices are no longer kept: a fleet's newest
/// level is nearly always among its first few thousand devices, and
/// keeping every Android device took 1.4 % of the scan's instructions
/// outside SHA-256 and a temporary file of about 500 bytes a device
/// (docs/benchmarks.md, twenty-third round). Should a later device
/// still move the floor, reading stops there and `None` is returned: the
/// export is then read again, as a run of several exports reads them
/// (taking about twice as long).
///
/// The floor starts from `seed`, the floor known before the export is read
/// (from the run's facts documents).
///
/// `None` (nothing of the export kept in `fleet`) when the fleet does not
/// store records, the file is not a regular file (one that can be read
/// again), the floor moved after Android devices were assessed and not
/// kept, or the export could not be read, kept or stored in full: the
/// caller then reads it with [`read_export`] and [`assess_export`], which
/// say why it failed.
pub fn read_and_assess(
    inv: &InventoryFile,
    options: &ExtractOptions,
    fleet: &mut FleetBuilder<'_, '_>,
    seed: PatchFloor,
) -> Option<(InventoryRead, PatchFloor)> {
    if !fleet.stores_records() || !std::fs::metadata(&inv.path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    let mut os = os_data(options).ok()?;
    let input = File::open(&inv.path).ok()?;
    let name = inv.path.display().to_string();
    let mut android = DeviceSpill::new(IN_MEMORY, Derived::Left);
    std::thread::scope(|s| {
        let hashing = s.spawn(|| file_info_streamed(&name, &inv.path));
        // The file's details are known once it was read to the end.
        fleet.begin(InventorySource {
            file: FileInfo {
                path: name.clone(),
                sha256: String::new(),
                size: 0,
            },
            format: inv.format.name().to_string(),
        });
        let mut floor = seed;
        let as_of = options.as_of;
        // Per kept batch of Android devices, their places in the export.
        let mut places: Vec<Vec<usize>> = Vec::new();
        // Kept batches whose provisional results were dropped.
        let mut again = 0;
        let mut kept = Ok(());
        // An Android device was assessed and not kept (the memory for
        // keeping them was used up): a later move of the floor cannot be
        // followed, and the export is then read again.
        let mut not_kept = false;
        let mut abandoned = false;
        let (read, stored) = read_batches(input, &name, options, |batches| {
            let mut used = None;
            let mut read = 0;
            let recycle = batches.recycler();
            fleet.add_placed_recycling(
                std::iter::from_fn(|| {
                    let mut batch = batches.next()?;
                    let first = read;
                    read += batch.len();
                    batch.iter().for_each(|d| floor.see(d));
                    os.fleet_patch_level = floor.newest;
                    let newest = os.newest_patch_level();
                    let moved = used.is_some_and(|u| u != newest);
                    used = Some(newest);
                    if moved && not_kept {
                        abandoned = true;
                        return None;
                    }
                    if moved {
                        again = places.len();
                    }
                    let ordinals: Vec<usize> = (first..read)
                        .filter(|&o| floor_dependent(&batch[o - first]))
                        .collect();
                    if !ordinals.is_empty() && kept.is_ok() && !not_kept {
                        let devices: Vec<&Device> =
                            ordinals.iter().map(|&o| &batch[o - first]).collect();
                        match android.keep_in_memory(&devices) {
                            Ok(true) => places.push(ordinals),
                            Ok(false) => not_kept = true,
                            Err(e) => kept = Err(e),
                        }
                    }
                    let os = &os;
                    batch.par_iter_mut().for_each(|d| derive(d, os, as_of));
                    Some((
                        batch,
                        Placement {
                            ordinals: Ordinals::From(first),
                            provisional: Some(floor_dependent),
                            drop_provisional: moved,
                            seen: false,
                        },
                    ))
                }),
                &recycle,
            )
        });
        let file = hashing.join();
        let (Ok(Ok(file)), Ok(read), Ok(()), Ok(()), false) = (file, read, stored, kept, abandoned)
        else {
            fleet.rollback();
            return None;
        };
        // The Android devices whose results were dropped, with the final floor.
        let os = &os;
        let finish = |d: &mut Device| derive(d, os, as_of);
        let mut taken = Ok(());
        let assessed = fleet.add_placed(places.into_iter().take(again).map_while(|places| {
            match android.take(&finish) {
                Some(Ok(devices)) => Some((
                    devices,
                    Placement {
                        ordinals: Ordinals::Each(places),
                        seen: true,
                        ..Placement::default()
                    },
                )),
                Some(Err(e)) => {
                    taken = Err(e);
                    None
                }
                None => {
                    taken = Err(std::io::Error::other("internal: a kept batch is missing"));
                    None
                }
            }
        }));
        if assessed.is_err() || taken.is_err() {
            fleet.rollback();
            return None;
        }
        fleet.name_file(file);
        fleet.commit_with(&read.warnings);
        Some((read, floor))
    })
}

/// Whether `d`'s results depend on the fleet's patch-level floor: only an
/// Android device's do (`OsData::assess` uses the floor for `android` alone).
fn floor_dependent(d: &Device) -> bool {
    d.platform.as_deref() == Some("android")
}

/// What [`assess_export`] needs besides the export: where its devices are
/// kept (without their derived fields,
/// `super::device_codec::Derived::Left`), and the OS
/// support data with the fleet's patch-level floor (known only once every
/// export was read) to derive those fields with.
pub struct Assessing<'a> {
    /// The devices of every export, in the order the exports were read.
    pub spill: &'a mut DeviceSpill,
    /// The data with the fleet's floor, and the audit date; the error when
    /// the data could not be loaded again.
    pub derive: Result<(&'a OsData, NaiveDate), &'a InventoryError>,
}

/// Assesses the devices `export` (the read of `inv`) kept, into `fleet`,
/// exactly as streaming the export into it would have. On error the
/// inventory's devices are rolled back, so a half-read export never counts.
///
/// With `merge` (the merger and this export's index among the streamed
/// exports), devices other exports list too are held and merged
/// ([`super::dedupe`]); the export's notes say how many.
pub fn assess_export(
    inv: &InventoryFile,
    export: ReadExport,
    with: Assessing<'_>,
    fleet: &mut FleetBuilder<'_, '_>,
    mut merge: Option<(&mut Merger, usize)>,
) -> Result<InventoryRead, StreamError> {
    let io = |e: std::io::Error| StreamError::Io(format!("cannot read the file: {e}"));
    let ReadExport {
        file,
        read,
        batches,
        not_kept,
    } = export;
    let spill = with.spill;
    let (file, read) = match (file, read) {
        (Ok(file), Ok(read)) => (file, read),
        (Err(e), _) | (Ok(_), Err(e)) => {
            spill.skip(batches);
            return Err(io(e));
        }
    };
    let name = file.path.clone();
    fleet.begin(InventorySource {
        file,
        format: inv.format.name().to_string(),
    });
    let deriving = with.derive;
    let (tx, rx) = sync_channel::<Vec<Device>>(DECODED_IN_FLIGHT);
    let (count, taken, stored) = std::thread::scope(|s| {
        let merge = merge.as_mut();
        let taker = s.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut count = MergeCount::default();
            let mut ordinal = 0usize;
            let mut merge = merge;
            let mut taken = Ok(());
            // The fields derived from the floor are derived on the threads
            // that decode.
            let finish = |d: &mut Device| {
                if let Ok((os, as_of)) = deriving {
                    derive(d, os, as_of);
                }
            };
            for _ in 0..batches {
                if let (Ok(()), Err(e)) = (&taken, deriving) {
                    taken = Err(std::io::Error::other(e.to_string()));
                }
                if taken.is_err() {
                    // The rest of the export's batches are dropped unread.
                    spill.skip(1);
                    continue;
                }
                let devices = match spill.take(&finish) {
                    Some(Ok(devices)) => devices,
                    Some(Err(e)) => {
                        taken = Err(e);
                        continue;
                    }
                    None => break,
                };
                for d in devices {
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
                                None => continue,
                            }
                        }
                        None => d,
                    };
                    batch.push(d);
                    if batch.len() >= BATCH {
                        // A closed channel means evaluation stopped.
                        let _ = tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
                    }
                }
            }
            if !batch.is_empty() {
                let _ = tx.send(batch);
            }
            (count, taken)
        });
        // On an error the channel closes: the taker's batches are dropped.
        let stored = fleet.add_batches(rx.into_iter());
        let (count, taken) = taker.join().unwrap_or_else(|_| {
            (
                MergeCount::default(),
                Err(std::io::Error::other("internal error")),
            )
        });
        (count, taken, stored)
    });
    let kept = match (not_kept, taken) {
        (Some(e), _) | (None, Err(e)) => Err(e),
        (None, Ok(())) => Ok(()),
    };
    match (read, kept, stored) {
        (Ok(mut read), Ok(()), Ok(())) => {
            read.warnings.extend(super::dedupe::note(count));
            fleet.commit_with(&read.warnings);
            Ok(read)
        }
        (Err(e), _, _) => {
            fleet.rollback();
            Err(StreamError::Inventory(e))
        }
        (Ok(_), Err(e), _) => {
            fleet.rollback();
            Err(StreamError::Io(format!(
                "the devices read could not be kept for their assessment: {e}"
            )))
        }
        (Ok(_), Ok(()), Err(e)) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An Intune Graph page of `n` devices.
    fn page(n: usize) -> String {
        let value: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "id": format!("3f2b9c1e-0000-4000-8000-{i:012}"),
                    "deviceName": format!("STATION-{i}"),
                    "operatingSystem": "Android",
                    "osVersion": "16",
                    "androidSecurityPatchLevel": "2026-09-05",
                })
            })
            .collect();
        serde_json::json!({ "value": value }).to_string()
    }

    /// Once the batches are no longer taken, the reading thread stops at
    /// its next read from the file instead of reading the export to its end
    /// (an export abandoned half-way is read again from its start).
    #[test]
    fn reading_stops_when_batches_are_no_longer_taken() {
        let n = 60_000;
        let mut file = tempfile::NamedTempFile::new().unwrap();
        std::io::Write::write_all(&mut file, page(n).as_bytes()).unwrap();
        let open = || File::open(file.path()).unwrap();
        let options = ExtractOptions::default();
        let (read, taken) = read_batches(open(), "export.json", &options, |batches| {
            batches.next().map(|b| b.len())
        });
        assert_eq!(taken, Some(BATCH));
        let read = read.unwrap();
        assert!(read.devices < n / 2, "{} of {n} devices read", read.devices);
        // Taken to the end, every device is read.
        let (read, taken) = read_batches(open(), "export.json", &options, |batches| {
            std::iter::from_fn(|| batches.next())
                .map(|b| b.len())
                .sum::<usize>()
        });
        assert_eq!((read.unwrap().devices, taken), (n, n));
    }

    /// Devices whose texts are long are handed on in batches of about
    /// `BATCH_BYTES`, not of `BATCH` devices.
    #[test]
    fn batches_of_devices_with_long_texts_stop_at_their_bytes() {
        let n = 3_000;
        let model = "M".repeat(4_000);
        let value: Vec<serde_json::Value> = (0..n)
            .map(|i| {
                serde_json::json!({
                    "id": format!("3f2b9c1e-0000-4000-8000-{i:012}"),
                    "operatingSystem": "Android",
                    "osVersion": "16",
                    "model": format!("{model}{i}"),
                })
            })
            .collect();
        let mut file = tempfile::NamedTempFile::new().unwrap();
        let text = serde_json::json!({ "value": value }).to_string();
        std::io::Write::write_all(&mut file, text.as_bytes()).unwrap();
        let input = File::open(file.path()).unwrap();
        let (read, batches) = read_batches(input, "export.json", &ExtractOptions::default(), |b| {
            std::iter::from_fn(|| b.next())
                .map(|batch| {
                    let bytes: Vec<usize> = batch.iter().map(Device::heap_bytes).collect();
                    assert!(batch
                        .iter()
                        .all(|d| d.model.as_deref().is_some_and(|m| m.len() > 4_000)));
                    (
                        bytes.iter().sum::<usize>(),
                        bytes.iter().copied().max().unwrap_or(0),
                        batch.len(),
                    )
                })
                .collect::<Vec<_>>()
        });
        assert_eq!(read.unwrap().devices, n);
        assert_eq!(batches.iter().map(|b| b.2).sum::<usize>(), n);
        assert!(batches.len() > n.div_ceil(BATCH), "{batches:?}");
        for (bytes, largest, _) in &batches {
            assert!(*bytes < BATCH_BYTES + largest, "{batches:?}");
        }
    }
}
