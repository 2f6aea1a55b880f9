//! The devices of every device export, kept between their one read and
//! their assessment ([`super::exports`]): batches encoded compactly
//! ([`super::device_codec`]), in memory up to a budget ([`IN_MEMORY`]) and
//! in an anonymous temporary file beyond it, taken back in the order they
//! were kept. Memory stays bounded whatever the fleet's size.

use std::borrow::Borrow;
use std::collections::VecDeque;
use std::io;
use std::ops::Range;

use rayon::prelude::*;

use super::device_codec::{decode, encode, Derived};
use crate::assess::spill_file::SpillFile;
use crate::facts::Device;

/// Encoded bytes of devices kept in memory at most (1 MiB); the rest goes
/// to the temporary file (see [`crate::assess::SPILL_BYTES`] for the
/// figures that set it).
pub const IN_MEMORY: usize = 1 << 20;

/// Devices kept in batches, taken back first in, first out.
#[derive(Debug)]
pub struct DeviceSpill {
    batches: VecDeque<Batch>,
    /// Encoded bytes of the batches in memory.
    in_memory: usize,
    budget: usize,
    /// Whether the derived fields are kept.
    derived: Derived,
    /// The temporary file, created when the budget is first exceeded.
    file: Option<SpillFile>,
    /// Bytes written to the temporary file.
    file_len: u64,
}

/// One batch: where its devices' encodings lie. Each encoding follows its
/// length ([`LEN_BYTES`]), so nothing per device is held beside the bytes:
/// a batch in the temporary file costs the same few bytes of memory
/// whatever its size (a list of where each device ends took 8 bytes a
/// device, 4 MB for the half million Android devices of a million).
#[derive(Debug)]
struct Batch {
    /// Its devices.
    count: usize,
    place: Place,
}

/// Bytes before each device's encoding in a batch: the encoding's length,
/// as a little-endian `u32`.
const LEN_BYTES: usize = 4;

#[derive(Debug)]
enum Place {
    Memory(Vec<u8>),
    File { offset: u64, len: usize },
}

impl DeviceSpill {
    /// An empty spill keeping up to `budget` encoded bytes in memory
    /// ([`IN_MEMORY`] normally), the devices' derived fields as `derived` says.
    pub fn new(budget: usize, derived: Derived) -> DeviceSpill {
        DeviceSpill {
            batches: VecDeque::new(),
            in_memory: 0,
            budget,
            derived,
            file: None,
            file_len: 0,
        }
    }

    /// Keeps `devices` (or references to them) as one batch (after every
    /// batch kept before). Nothing is kept when the temporary file cannot
    /// be written.
    pub fn keep<D: Borrow<Device> + Sync>(&mut self, devices: &[D]) -> io::Result<()> {
        let bytes = self.encode(devices)?;
        if self.fits_in_memory(&bytes) {
            self.push_in_memory(devices.len(), bytes);
        } else {
            let place = self.write(&bytes)?;
            self.batches.push_back(Batch {
                count: devices.len(),
                place,
            });
        }
        Ok(())
    }

    /// Keeps `devices` as one batch, like [`DeviceSpill::keep`], only when
    /// the batch fits into the memory left of the budget: whether it was
    /// kept. Never writes the temporary file.
    pub fn keep_in_memory<D: Borrow<Device> + Sync>(&mut self, devices: &[D]) -> io::Result<bool> {
        let bytes = self.encode(devices)?;
        if !self.fits_in_memory(&bytes) {
            return Ok(false);
        }
        self.push_in_memory(devices.len(), bytes);
        Ok(true)
    }

    /// Keeps the encodings of `count` devices as a batch in memory.
    fn push_in_memory(&mut self, count: usize, bytes: Vec<u8>) {
        self.in_memory += bytes.len();
        self.batches.push_back(Batch {
            count,
            place: Place::Memory(bytes),
        });
    }

    /// Whether a batch of `bytes` goes to memory: nothing is in the
    /// temporary file yet (batches are taken back in order), and the budget
    /// has room for it.
    fn fits_in_memory(&self, bytes: &[u8]) -> bool {
        self.file.is_none() && self.in_memory + bytes.len() <= self.budget
    }

    /// The encodings of `devices`, each after its length.
    fn encode<D: Borrow<Device> + Sync>(&self, devices: &[D]) -> io::Result<Vec<u8>> {
        let derived = self.derived;
        // Encoded in parallel, a few hundred devices per part.
        let parts: Vec<io::Result<Vec<u8>>> = devices
            .par_chunks(256)
            .map(|part| {
                let mut bytes = Vec::with_capacity(part.len() * 512);
                for d in part {
                    let at = bytes.len();
                    bytes.extend_from_slice(&[0; LEN_BYTES]);
                    encode(d.borrow(), derived, &mut bytes);
                    let len = u32::try_from(bytes.len() - at - LEN_BYTES)
                        .map_err(|_| io::Error::other("a device's encoding is over 4 GiB"))?;
                    if let Some(prefix) = bytes.get_mut(at..at + LEN_BYTES) {
                        prefix.copy_from_slice(&len.to_le_bytes());
                    }
                }
                Ok(bytes)
            })
            .collect();
        let parts = parts.into_iter().collect::<io::Result<Vec<_>>>()?;
        let mut bytes = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        parts.iter().for_each(|part| bytes.extend_from_slice(part));
        Ok(bytes)
    }

    /// Appends `bytes` to the temporary file.
    fn write(&mut self, bytes: &[u8]) -> io::Result<Place> {
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(SpillFile::create()?),
        };
        let offset = self.file_len;
        file.write_all_at(bytes, offset)?;
        self.file_len += bytes.len() as u64;
        Ok(Place::File {
            offset,
            len: bytes.len(),
        })
    }

    /// The devices of the batch kept first (and not yet taken), decoded in
    /// parallel, each given to `finish` once decoded (on the same thread);
    /// `None` when every batch was taken.
    pub fn take(
        &mut self,
        finish: &(dyn Fn(&mut Device) + Sync),
    ) -> Option<io::Result<Vec<Device>>> {
        let batch = self.batches.pop_front()?;
        let bytes = match batch.place {
            Place::Memory(bytes) => {
                self.in_memory -= bytes.len();
                bytes
            }
            Place::File { offset, len } => match self.read(offset, len) {
                Ok(bytes) => bytes,
                Err(e) => return Some(Err(e)),
            },
        };
        let ranges = match encodings(&bytes, batch.count) {
            Ok(ranges) => ranges,
            Err(e) => return Some(Err(e)),
        };
        let devices = ranges
            .into_par_iter()
            .with_min_len(64)
            .map(|r| {
                let mut input = bytes.get(r).unwrap_or_default();
                let mut d = decode(&mut input, self.derived).map_err(io::Error::other)?;
                finish(&mut d);
                Ok(d)
            })
            .collect();
        Some(devices)
    }

    /// Drops the next `n` batches unread.
    pub fn skip(&mut self, n: usize) {
        for _ in 0..n {
            if let Some(Batch {
                place: Place::Memory(bytes),
                ..
            }) = self.batches.pop_front()
            {
                self.in_memory -= bytes.len();
            }
        }
    }

    /// The `len` bytes at `offset` of the temporary file.
    fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        let file = self
            .file
            .as_ref()
            .ok_or_else(|| io::Error::other("the temporary file is missing"))?;
        let mut bytes = vec![0u8; len];
        file.read_exact_at(&mut bytes, offset)?;
        Ok(bytes)
    }
}

/// Where the `count` encodings of a batch's `bytes` lie (each after its
/// length); an error when the bytes do not hold exactly that.
fn encodings(bytes: &[u8], count: usize) -> io::Result<Vec<Range<usize>>> {
    let damaged = || io::Error::other("a kept batch of devices is damaged");
    let mut ranges = Vec::with_capacity(count);
    let mut at = 0;
    while at < bytes.len() {
        let prefix = bytes.get(at..at + LEN_BYTES).ok_or_else(damaged)?;
        let mut len = [0u8; LEN_BYTES];
        len.copy_from_slice(prefix);
        let start = at + LEN_BYTES;
        let end = start.saturating_add(u32::from_le_bytes(len) as usize);
        if end > bytes.len() {
            return Err(damaged());
        }
        ranges.push(start..end);
        at = end;
    }
    if ranges.len() == count {
        Ok(ranges)
    } else {
        Err(damaged())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn devices(from: usize, n: usize) -> Vec<Device> {
        (from..from + n)
            .map(|i| Device {
                record: format!("record {i}"),
                model: Some("x".repeat(i % 50)),
                ..Device::default()
            })
            .collect()
    }

    fn records(v: &[Device]) -> Vec<String> {
        v.iter().map(|d| d.record.clone()).collect()
    }

    #[test]
    fn batches_come_back_in_order_from_memory_and_the_file() {
        // A budget of a few devices: most batches go to the temporary file.
        let mut spill = DeviceSpill::new(300, Derived::Kept);
        let batches: Vec<Vec<Device>> = (0..6).map(|b| devices(b * 100, 3 + b * 40)).collect();
        for b in &batches {
            spill.keep(b).unwrap();
        }
        assert!(spill.file.is_some());
        spill.skip(1);
        for b in &batches[1..] {
            assert_eq!(records(&spill.take(&|_| {}).unwrap().unwrap()), records(b));
        }
        assert!(spill.take(&|_| {}).is_none());
        assert_eq!(spill.in_memory, 0);
    }

    /// Kept only in memory: a batch past the budget is not kept (and the
    /// temporary file never made), and what was kept comes back in order.
    #[test]
    fn batches_past_the_budget_are_not_kept_in_memory() {
        let mut spill = DeviceSpill::new(2000, Derived::Left);
        let batches: Vec<Vec<Device>> = (0..4).map(|b| devices(b * 100, 10)).collect();
        let kept: Vec<bool> = batches
            .iter()
            .map(|b| spill.keep_in_memory(b).unwrap())
            .collect();
        let in_memory = kept.iter().take_while(|k| **k).count();
        assert!((1..4).contains(&in_memory), "{kept:?}");
        assert!(kept[in_memory..].iter().all(|k| !k), "{kept:?}");
        assert!(spill.in_memory <= 2000);
        assert!(spill.file.is_none());
        for b in &batches[..in_memory] {
            assert_eq!(records(&spill.take(&|_| {}).unwrap().unwrap()), records(b));
        }
        assert!(spill.take(&|_| {}).is_none());
    }

    /// Each kept device is read back as its own encoding: also an empty
    /// one among others, and a damaged or cut batch is an error, not
    /// devices made up of the wrong bytes.
    #[test]
    fn encodings_are_found_by_their_lengths() {
        let mut bytes = Vec::new();
        for body in [&b"abc"[..], b"", b"defgh"] {
            bytes.extend_from_slice(&(body.len() as u32).to_le_bytes());
            bytes.extend_from_slice(body);
        }
        assert_eq!(encodings(&bytes, 3).unwrap(), [4..7, 11..11, 15..20]);
        assert!(encodings(&bytes, 2).is_err());
        assert!(encodings(&bytes[..19], 3).is_err());
        assert!(encodings(&bytes[..2], 1).is_err());
        assert!(encodings(&[], 0).unwrap().is_empty());
    }

    #[test]
    fn an_empty_batch_is_kept_too() {
        let mut spill = DeviceSpill::new(IN_MEMORY, Derived::Left);
        spill.keep::<Device>(&[]).unwrap();
        assert!(spill.take(&|_| {}).unwrap().unwrap().is_empty());
        assert!(spill.file.is_none());
    }
}
