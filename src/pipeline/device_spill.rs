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

/// One batch: its devices' encodings and where they lie.
#[derive(Debug)]
struct Batch {
    /// The end of each device's encoding in the batch's bytes.
    ends: Vec<usize>,
    place: Place,
}

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
        let derived = self.derived;
        // Encoded in parallel, a few hundred devices per part.
        let parts: Vec<(Vec<u8>, Vec<usize>)> = devices
            .par_chunks(256)
            .map(|part| {
                let mut bytes = Vec::with_capacity(part.len() * 512);
                let mut ends = Vec::with_capacity(part.len());
                for d in part {
                    encode(d.borrow(), derived, &mut bytes);
                    ends.push(bytes.len());
                }
                (bytes, ends)
            })
            .collect();
        let mut bytes = Vec::with_capacity(parts.iter().map(|(b, _)| b.len()).sum());
        let mut ends = Vec::with_capacity(devices.len());
        for (part, part_ends) in parts {
            let start = bytes.len();
            bytes.extend_from_slice(&part);
            ends.extend(part_ends.into_iter().map(|e| start + e));
        }
        let place = if self.file.is_none() && self.in_memory + bytes.len() <= self.budget {
            self.in_memory += bytes.len();
            Place::Memory(bytes)
        } else {
            self.write(&bytes)?
        };
        self.batches.push_back(Batch { ends, place });
        Ok(())
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
        let ranges: Vec<Range<usize>> = std::iter::once(0)
            .chain(batch.ends.iter().copied())
            .zip(batch.ends.iter().copied())
            .map(|(start, end)| start..end)
            .collect();
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

    #[test]
    fn an_empty_batch_is_kept_too() {
        let mut spill = DeviceSpill::new(IN_MEMORY, Derived::Left);
        spill.keep::<Device>(&[]).unwrap();
        assert!(spill.take(&|_| {}).unwrap().unwrap().is_empty());
        assert!(spill.file.is_none());
    }
}
