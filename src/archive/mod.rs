//! Bounded, in-memory reading of zip containers (APK, split sets, IPA),
//! exactly as Android's `libziparchive` reads them.
//!
//! The archive is read in place from a byte slice: nothing is extracted to
//! disk, only the entries asked for are inflated, and every inflation is
//! checked against [`Limits`] (entry size, compression ratio, total budget).
//!
//! Opening is one pass over the central directory and the local headers
//! ([`cdir`], [`local`]). The directory is the one Android reads; whenever
//! another reader would see a different app (a second directory, disk
//! fields, a stray end record, duplicate names, a local header naming
//! another file, …) the archive is refused with
//! [`ArchiveError::Tampering`] naming the [`Trick`] — never read another way.
//! As a last guard the `zip` crate's reading (that of general-purpose
//! tools) is compared with Android's, entry by entry.
//!
//! Entries are inflated as Android does: STORED (0) is copied, every other
//! method is inflated as raw DEFLATE (so an app cannot hide its signature
//! behind "method 21" from stricter tools), and the CRC-32 is checked.

mod bytes;
mod cdir;
mod local;
mod trick;

#[cfg(test)]
mod tests;

use std::cell::Cell;
use std::io::{Cursor, Read};

use thiserror::Error;

use crate::lang::Lang;
use crate::limits::Limits;

pub use cdir::find_end_record;
pub use trick::Trick;

use cdir::RawEntry;
use local::Placement;

/// Why an archive or one of its entries could not be read.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// The archive is built so that readers disagree about its content:
    /// evidence of tampering.
    #[error("archive trick: {0}")]
    Tampering(Trick),
    /// The archive is damaged (not a trick other readers would read
    /// differently, but nothing Android reads either).
    #[error("truncated or damaged zip archive ({0})")]
    Malformed(String),
    /// An archive inside this one (an APK in a split set) is refused.
    #[error("{entry}: {source}")]
    Nested {
        /// The entry holding the inner archive.
        entry: String,
        /// Why it is refused.
        source: Box<ArchiveError>,
    },
    /// The archive lists more entries than allowed.
    #[error("archive lists {count} entries, more than the limit of {limit}")]
    TooManyEntries {
        /// Entries listed by the central directory.
        count: usize,
        /// The configured limit.
        limit: usize,
    },
    /// The named entry does not exist.
    #[error("entry '{0}' not found in the archive")]
    Missing(String),
    /// An entry inflates to more than the per-entry limit.
    #[error("entry '{name}' inflates to more than {limit} bytes")]
    EntryTooLarge {
        /// Entry name.
        name: String,
        /// The configured limit in bytes.
        limit: u64,
    },
    /// An entry's compression ratio exceeds the zip-bomb guard.
    #[error("entry '{name}' has a compression ratio above {limit}:1 (possible zip bomb)")]
    RatioTooHigh {
        /// Entry name.
        name: String,
        /// The configured ratio limit.
        limit: u64,
    },
    /// The total inflated size of all read entries exceeds the budget.
    #[error("total inflated size exceeds the limit of {limit} bytes")]
    TotalTooLarge {
        /// The configured limit in bytes.
        limit: u64,
    },
    /// The inflated data does not match the CRC-32 stored for the entry.
    #[error(
        "entry '{name}' is corrupt: CRC-32 {actual:08x} does not match the stored {expected:08x}"
    )]
    Crc {
        /// Entry name.
        name: String,
        /// CRC-32 stored in the central directory.
        expected: u32,
        /// CRC-32 of the inflated bytes.
        actual: u32,
    },
    /// Inflating an entry failed (corrupt data).
    #[error("entry '{name}' cannot be inflated: {source}")]
    Inflate {
        /// Entry name.
        name: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

impl ArchiveError {
    /// The trick behind this error, if it is a tampering finding (also
    /// inside a nested archive).
    pub fn trick(&self) -> Option<&Trick> {
        match self {
            ArchiveError::Tampering(t) => Some(t),
            ArchiveError::Nested { source, .. } => source.trick(),
            _ => None,
        }
    }

    /// Whether [`ArchiveError::message`] has a German text for this error.
    pub fn has_german(&self) -> bool {
        match self {
            ArchiveError::Tampering(_) | ArchiveError::Malformed(_) => true,
            ArchiveError::Nested { source, .. } => source.has_german(),
            _ => false,
        }
    }

    /// Whether this error is evidence of tampering (see [`Trick`]).
    pub fn is_tampering(&self) -> bool {
        self.trick().is_some()
    }

    /// The error in `lang`: tricks, damaged archives and both nested in
    /// German or English; other errors keep their English text.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ArchiveError::Tampering(t), Lang::De) => format!("Archiv-Trick: {}", t.message(lang)),
            (ArchiveError::Malformed(detail), Lang::De) => {
                format!("abgeschnittenes oder beschädigtes ZIP-Archiv ({detail})")
            }
            (ArchiveError::Nested { entry, source }, _) => {
                format!("{entry}: {}", source.message(lang))
            }
            _ => self.to_string(),
        }
    }
}

/// One entry of the central directory, as listed (nothing inflated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInfo {
    /// Entry name as stored.
    pub name: String,
    /// Declared inflated size.
    pub size: u64,
    /// Declared compressed size.
    pub compressed_size: u64,
    /// Whether the entry is a directory.
    pub is_dir: bool,
}

/// How to read one entry.
#[derive(Debug, Clone, Copy)]
struct Stored {
    /// Where its bytes lie.
    placement: Placement,
    /// STORED (copied) rather than inflated as DEFLATE.
    stored: bool,
    /// CRC-32 of the inflated data.
    crc32: u32,
}

/// A zip archive held in memory, read with limits.
pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<EntryInfo>,
    stored: Vec<Stored>,
    limits: Limits,
    inflated: Cell<u64>,
}

impl<'a> Archive<'a> {
    /// Opens an archive over `bytes` as Android does, listing its entries;
    /// refuses it when another reader would read a different directory.
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, ArchiveError> {
        let dir = cdir::read_directory(bytes, limits.max_entries)?;
        let mut entries = Vec::with_capacity(dir.entries.len());
        let mut stored = Vec::with_capacity(dir.entries.len());
        for e in &dir.entries {
            let placement = local::check_local(bytes, e, dir.offset)?;
            stored.push(Stored {
                placement,
                stored: e.method == 0,
                crc32: e.crc32,
            });
            entries.push(EntryInfo {
                name: e.name.clone(),
                size: e.size,
                compressed_size: e.compressed,
                is_dir: e.name.ends_with('/'),
            });
        }
        check_overlap(&entries, &stored)?;
        cross_check(bytes, dir.offset, &dir.entries)?;
        Ok(Archive {
            bytes,
            entries,
            stored,
            limits,
            inflated: Cell::new(0),
        })
    }

    /// The raw bytes of the whole archive (for signing-block parsing).
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// The entries listed in the central directory, in order.
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    /// Whether an entry with exactly this name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name == name)
    }

    /// Total bytes inflated so far from this archive.
    pub fn inflated_total(&self) -> u64 {
        self.inflated.get()
    }

    /// Inflates one entry by name, enforcing the limits.
    pub fn read(&self, name: &str) -> Result<Vec<u8>, ArchiveError> {
        let index = self
            .entries
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| ArchiveError::Missing(name.to_string()))?;
        self.read_index(index)
    }

    /// Inflates the entry at `index` of [`Archive::entries`], enforcing the limits.
    pub fn read_index(&self, index: usize) -> Result<Vec<u8>, ArchiveError> {
        let (Some(info), Some(how)) = (self.entries.get(index), self.stored.get(index)) else {
            return Err(ArchiveError::Missing(format!("#{index}")));
        };
        let name = info.name.clone();
        let limits = &self.limits;
        if info.size > limits.max_entry_size {
            return Err(ArchiveError::EntryTooLarge {
                name,
                limit: limits.max_entry_size,
            });
        }
        if info.size > 1 << 20
            && info.size / info.compressed_size.max(1) > limits.max_compression_ratio
        {
            return Err(ArchiveError::RatioTooHigh {
                name,
                limit: limits.max_compression_ratio,
            });
        }
        let budget_left = limits
            .max_total_inflated
            .saturating_sub(self.inflated.get());
        let cap = limits.max_entry_size.min(budget_left);
        // Checked against the directory when the archive was opened.
        let raw = bytes::slice_at(self.bytes, how.placement.data_start, info.compressed_size)
            .ok_or_else(|| ArchiveError::Malformed(format!("entry '{name}' lies past the end")))?;
        // The declared size may lie: read at most one byte past the cap.
        let mut out = Vec::with_capacity(info.size.min(cap).min(64 << 20) as usize);
        if how.stored {
            Cursor::new(raw)
                .take(cap.saturating_add(1))
                .read_to_end(&mut out)
        } else {
            flate2::read::DeflateDecoder::new(raw)
                .take(cap.saturating_add(1))
                .read_to_end(&mut out)
        }
        .map_err(|source| ArchiveError::Inflate {
            name: name.clone(),
            source,
        })?;
        let got = out.len() as u64;
        if got > cap {
            return Err(if cap == limits.max_entry_size {
                ArchiveError::EntryTooLarge {
                    name,
                    limit: limits.max_entry_size,
                }
            } else {
                ArchiveError::TotalTooLarge {
                    limit: limits.max_total_inflated,
                }
            });
        }
        if got > 1 << 20 && got / info.compressed_size.max(1) > limits.max_compression_ratio {
            return Err(ArchiveError::RatioTooHigh {
                name,
                limit: limits.max_compression_ratio,
            });
        }
        let mut crc = flate2::Crc::new();
        crc.update(&out);
        if crc.sum() != how.crc32 {
            return Err(ArchiveError::Crc {
                name,
                expected: how.crc32,
                actual: crc.sum(),
            });
        }
        self.inflated.set(self.inflated.get().saturating_add(got));
        Ok(out)
    }
}

/// Refuses archives whose entries' local records overlap.
///
/// Each entry occupies its local header up to the end of its compressed
/// data. Sorted by start, each record must end before the next begins; an
/// overlap means several entries decode the same bytes (the Fifield
/// overlapping-file zip bomb) or a local header hides inside another entry's
/// data.
fn check_overlap(entries: &[EntryInfo], stored: &[Stored]) -> Result<(), ArchiveError> {
    let mut spans: Vec<(u64, u64, usize)> = stored
        .iter()
        .zip(entries)
        .enumerate()
        .map(|(i, (s, e))| {
            let p = s.placement;
            let end = p.data_start.saturating_add(e.compressed_size);
            (p.header_start, end.max(p.header_start), i)
        })
        .collect();
    spans.sort_unstable();
    for pair in spans.windows(2) {
        let (Some(&(_, prev_end, a)), Some(&(start, _, b))) = (pair.first(), pair.get(1)) else {
            continue;
        };
        if start < prev_end {
            let name = |i: usize| entries.get(i).map(|e| e.name.clone()).unwrap_or_default();
            return Err(ArchiveError::Tampering(Trick::Overlap {
                first: name(a),
                second: name(b),
            }));
        }
    }
    Ok(())
}

/// Compares Android's reading with the `zip` crate's (the reading of
/// general-purpose tools): same directory, same entries at the same
/// offsets. A reader that fails altogether reads no other app and is not
/// a disagreement.
fn cross_check(bytes: &[u8], offset: u64, entries: &[RawEntry]) -> Result<(), ArchiveError> {
    let Ok(zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let other = zip.central_directory_start();
    let same = zip.offset() == 0
        && (entries.is_empty() || other == offset)
        && zip.len() == entries.len()
        && entries.iter().enumerate().all(|(i, e)| {
            zip.by_index_data(i)
                .is_ok_and(|z| z.name_raw() == e.name.as_bytes() && z.header_start() == e.local)
        });
    if same {
        Ok(())
    } else {
        Err(ArchiveError::Tampering(Trick::ReadersDisagree {
            android: offset,
            other,
        }))
    }
}
