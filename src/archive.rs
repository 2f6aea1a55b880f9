//! Bounded, in-memory reading of zip containers (APK, split sets, IPA).
//!
//! The archive is read in place from a byte slice: nothing is extracted to
//! disk, only the entries asked for are inflated, and every inflation is
//! checked against [`Limits`] (entry size, compression ratio, total budget).

use std::cell::Cell;
use std::io::{Cursor, Read};

use thiserror::Error;
use zip::ZipArchive;

use crate::limits::Limits;

/// Why an archive or one of its entries could not be read.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// The bytes are not a readable zip archive.
    #[error("not a readable zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
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
    /// Inflating an entry failed (corrupt data, bad CRC, unsupported method).
    #[error("entry '{name}' cannot be inflated: {source}")]
    Inflate {
        /// Entry name.
        name: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
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

/// A zip archive held in memory, read with limits.
pub struct Archive<'a> {
    zip: std::cell::RefCell<ZipArchive<Cursor<&'a [u8]>>>,
    bytes: &'a [u8],
    entries: Vec<EntryInfo>,
    limits: Limits,
    inflated: Cell<u64>,
}

impl<'a> Archive<'a> {
    /// Opens an archive over `bytes`, listing its entries.
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, ArchiveError> {
        let mut zip = ZipArchive::new(Cursor::new(bytes))?;
        if zip.len() > limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                count: zip.len(),
                limit: limits.max_entries,
            });
        }
        let mut entries = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i)?;
            entries.push(EntryInfo {
                name: String::from_utf8_lossy(f.name_raw()).into_owned(),
                size: f.size(),
                compressed_size: f.compressed_size(),
                is_dir: f.is_dir(),
            });
        }
        Ok(Archive {
            zip: std::cell::RefCell::new(zip),
            bytes,
            entries,
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
        let info = self
            .entries
            .get(index)
            .ok_or_else(|| ArchiveError::Missing(format!("#{index}")))?;
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
        let mut zip = self.zip.borrow_mut();
        let file = zip.by_index(index)?;
        // The declared size may lie: read at most one byte past the cap.
        let mut out = Vec::with_capacity(info.size.min(cap).min(64 << 20) as usize);
        file.take(cap + 1)
            .read_to_end(&mut out)
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
        self.inflated.set(self.inflated.get() + got);
        Ok(out)
    }
}
