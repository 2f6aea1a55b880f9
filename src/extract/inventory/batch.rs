//! Normalizes an export's records in batches, in parallel: an adapter's
//! record → [`Device`] mapping and the audit-date fields
//! ([`super::derive`]) run on several threads, then the devices and the
//! notes of the records that are no devices go to [`Collected`] one by one,
//! in record order, exactly as mapping each record when read would pass
//! them on (the device limit, the unmapped-value counts, the joins and the
//! sink see the same sequence).
//!
//! Read from outside rayon's pool (the streaming thread, the survey),
//! batches are mapped on two threads of their own, one batch each,
//! while the next one is read: at most three batches of [`BATCH`] records
//! or [`BATCH_BYTES`] bytes (and one record) are held. Not on the pool: its jobs are taken in the order they come, so
//! a batch to map waited there behind the assessing of earlier devices, the
//! reading thread waited for it, and the pool then waited for devices
//! (docs/benchmarks.md, twenty-fourth round). Read from inside the pool,
//! each batch is mapped when full, on the pool (a pool thread must not
//! block waiting for the pool).

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use rayon::prelude::*;

use super::note::{Note, Reason, Unit};
use super::{Collected, Deriving};
use crate::facts::Device;

/// Records mapped together.
pub const BATCH: usize = 512;

/// Bytes of records (as [`map_records`]'s `weigh` counts them) after which
/// a batch is mapped before it has [`BATCH`] records. A record may hold up
/// to `Limits::max_record_size` (8 MiB): by their number alone, the
/// batches being read and mapped could hold gigabytes. A record of a
/// 21-field Intune export weighs about 900 bytes, so its batches are full
/// by number long before.
pub const BATCH_BYTES: usize = 2 << 20;

/// Threads that map batches, one batch at a time each: mapping a record
/// takes about as long as reading it, so two keep up with the reading
/// thread.
const MAPPERS: usize = 2;

/// What mapping a record gave.
type Mapped = Result<Device, Reason>;

/// A batch of records, the number of its first record, and (once mapped)
/// what each gave.
type Done<T> = (Vec<T>, usize, Vec<Mapped>);

/// Reads an export's records with `read` (which passes each record to the
/// sink it is given, and gives its own result) and maps each with `map`
/// (the record and its 1-based number in the export); the devices go to
/// `out`, the records that are no devices become [`Note::Skipped`] notes.
/// `weigh` gives the bytes a record holds: a batch is mapped once it has
/// [`BATCH`] records or [`BATCH_BYTES`] bytes.
/// Gives `read`'s result, the number of records and how many were devices.
/// Every record `read` passed on has been handed to `out` when this returns,
/// also when `read` failed (a partial read keeps them).
pub fn map_records<T, F, R>(
    out: &mut Collected<'_>,
    map: F,
    weigh: impl Fn(&T) -> usize,
    read: impl FnOnce(&mut dyn FnMut(T)) -> R,
) -> (R, usize, usize)
where
    T: Send + Sync,
    F: Fn(&T, usize) -> Mapped + Sync,
{
    let derive = out.deriving();
    let mut tally = Tally::default();
    if rayon::current_thread_index().is_some() {
        let mut pending = Vec::with_capacity(BATCH);
        let mut bytes = 0;
        let r = read(&mut |record| {
            bytes += weigh(&record);
            pending.push(record);
            if pending.len() >= BATCH || bytes >= BATCH_BYTES {
                let first = tally.first_of(pending.len());
                let mapped = map_batch(&pending, first, &map, derive);
                pending.clear();
                bytes = 0;
                tally.pass(first, mapped, out);
            }
        });
        let first = tally.first_of(pending.len());
        let mapped = map_batch(&pending, first, &map, derive);
        tally.pass(first, mapped, out);
        return (r, tally.records, tally.devices);
    }
    std::thread::scope(|s| {
        let map = &map;
        let mut lanes = Vec::with_capacity(MAPPERS);
        for _ in 0..MAPPERS {
            let (to_map, batches) = sync_channel::<(Vec<T>, usize)>(1);
            let (done_tx, done) = sync_channel::<Done<T>>(1);
            s.spawn(move || mapper(batches, done_tx, map, derive));
            lanes.push((to_map, done));
        }
        let mut pipe = Pipe {
            lanes,
            sent: 0,
            received: 0,
            pending: Vec::with_capacity(BATCH),
            spare: Vec::with_capacity(BATCH),
        };
        let mut bytes = 0;
        let r = read(&mut |record| {
            bytes += weigh(&record);
            pipe.pending.push(record);
            if pipe.pending.len() >= BATCH || bytes >= BATCH_BYTES {
                pipe.send(&mut tally, out);
                bytes = 0;
            }
        });
        pipe.send(&mut tally, out);
        while pipe.received < pipe.sent {
            pipe.receive(&mut tally, out);
        }
        // Closing the channels ends the mapping threads.
        pipe.lanes.clear();
        (r, tally.records, tally.devices)
    })
}

/// Maps `records` (the first numbered `first`) in parallel.
fn map_batch<T: Sync, F: Fn(&T, usize) -> Mapped + Sync>(
    records: &[T],
    first: usize,
    map: &F,
    derive: Deriving<'_>,
) -> Vec<Mapped> {
    records
        .par_iter()
        .enumerate()
        .map(|(i, r)| map_one(r, first.saturating_add(i), map, derive))
        .collect()
}

/// Maps record `r` (numbered `number`), with its derived fields.
fn map_one<T, F: Fn(&T, usize) -> Mapped>(
    r: &T,
    number: usize,
    map: &F,
    derive: Deriving<'_>,
) -> Mapped {
    map(r, number).map(|mut d| {
        derive.apply(&mut d);
        d
    })
}

/// A mapping thread: maps each batch it is sent and sends it back with
/// its records, which the reading thread drops when it takes the buffer
/// for the next batch: a record is freed by the thread that allocated it,
/// which costs the allocator far less than a free from another thread.
fn mapper<T: Send + Sync, F: Fn(&T, usize) -> Mapped + Sync>(
    batches: Receiver<(Vec<T>, usize)>,
    done: SyncSender<Done<T>>,
    map: &F,
    derive: Deriving<'_>,
) {
    for (records, first) in batches {
        let mapped = records
            .iter()
            .enumerate()
            .map(|(i, r)| map_one(r, first.saturating_add(i), map, derive))
            .collect();
        if done.send((records, first, mapped)).is_err() {
            return;
        }
    }
}

/// Records read and passed on so far.
#[derive(Debug, Default)]
struct Tally {
    records: usize,
    devices: usize,
}

impl Tally {
    /// Numbers `n` more records; gives the number of the first.
    fn first_of(&mut self, n: usize) -> usize {
        let first = self.records.saturating_add(1);
        self.records = self.records.saturating_add(n);
        first
    }

    /// Passes mapped records (the first numbered `first`) to `out` in order.
    fn pass(&mut self, first: usize, mapped: Vec<Mapped>, out: &mut Collected<'_>) {
        for (i, m) in mapped.into_iter().enumerate() {
            match m {
                Ok(d) => {
                    self.devices = self.devices.saturating_add(1);
                    out.push_derived(d);
                }
                Err(reason) => out.warn(Note::Skipped {
                    unit: Unit::Record,
                    number: first.saturating_add(i) as u64,
                    reason,
                }),
            }
        }
    }
}

/// Where a mapping thread's batches go (records and the number of the
/// first) and come back mapped.
type Lane<T> = (SyncSender<(Vec<T>, usize)>, Receiver<Done<T>>);

/// The reading side of the mapping threads: batches are mapped while the
/// next ones are read, and passed on in the order read.
struct Pipe<T> {
    /// Per mapping thread, where its batches go and come back.
    lanes: Vec<Lane<T>>,
    /// Batches sent to be mapped, and passed on.
    sent: usize,
    received: usize,
    pending: Vec<T>,
    /// A mapped batch's emptied buffer, for the next batch.
    spare: Vec<T>,
}

impl<T> Pipe<T> {
    /// Sends the pending records (if any) to be mapped, once a mapping
    /// thread is free (passing the oldest mapped batch to `out`).
    fn send(&mut self, tally: &mut Tally, out: &mut Collected<'_>) {
        if self.pending.is_empty() {
            return;
        }
        if self.sent - self.received >= MAPPERS {
            self.receive(tally, out);
        }
        let records = std::mem::replace(&mut self.pending, std::mem::take(&mut self.spare));
        let first = tally.first_of(records.len());
        let Some((to_map, _)) = self.lanes.get(self.sent % MAPPERS) else {
            return;
        };
        match to_map.send((records, first)) {
            Ok(()) => self.sent += 1,
            // A mapping thread is gone only when it panicked; the scope
            // passes its panic on.
            Err(_) => panic!("the record mapping thread stopped"),
        }
    }

    /// Passes the oldest batch sent, once it is mapped, to `out`.
    fn receive(&mut self, tally: &mut Tally, out: &mut Collected<'_>) {
        let Some((_, done)) = self.lanes.get(self.received % MAPPERS) else {
            return;
        };
        let Ok((records, first, mapped)) = done.recv() else {
            panic!("the record mapping thread stopped");
        };
        self.received += 1;
        // The records are dropped here, on the thread that read them.
        self.spare = records;
        self.spare.clear();
        tally.pass(first, mapped, out);
    }
}
