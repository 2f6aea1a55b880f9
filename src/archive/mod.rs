//! Bounded reading of zip containers (APK, split sets, IPA), exactly as
//! Android's `libziparchive` reads them.
//!
//! The archive is read in place, from a file with positioned reads
//! ([`Archive::open`]; never read whole, never mapped — see `source`) or
//! from a byte slice ([`Archive::new`]): nothing is extracted to disk, only
//! the entries asked for are inflated, and every inflation is checked
//! against [`Limits`] (entry size, compression ratio, total budget) and
//! holds its bytes on the process-wide in-flight budget (`budget`). A
//! STORED archive inside a file-backed one (an APK in a split set) is read
//! in place too ([`Archive::open_nested`]).
//!
//! Opening is one pass over the central directory and the local headers
//! (`cdir`, `local`). The directory is the one Android reads; whenever
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

mod budget;
mod bytes;
mod cdir;
mod local;
mod source;
mod trick;
pub mod working;

#[cfg(test)]
mod file_tests;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::cell::Cell;
use std::fs::File;
use std::io::{Cursor, Read, Seek};
use std::sync::Arc;

use thiserror::Error;

use crate::lang::Lang;
use crate::limits::Limits;

pub use budget::{in_flight, Inflated};
pub use cdir::{find_end_record, MAX_DIRECTORY};
pub use trick::{ReadAs, Trick};

use budget::Lease;
use cdir::RawEntry;
use local::Placement;
use source::{FileRange, ReadAt};

/// Bytes before the central directory read for the APK Signing Block of a
/// file-backed archive (real blocks are a few KiB to a few MiB).
pub const SIGNING_WINDOW: u64 = 32 << 20;

/// Why an archive or one of its entries could not be read.
#[derive(Debug, Error)]
pub enum ArchiveError {
    /// The archive is built so that readers disagree about its content:
    /// evidence of tampering. The text (`Display`) words the trick for an
    /// Android app; [`ArchiveError::message`] for what the archive was read as.
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
    /// The central directory is larger than [`MAX_DIRECTORY`].
    #[error("the central directory is {size} bytes, more than the limit of {limit}")]
    DirectoryTooLarge {
        /// Declared size of the directory.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The central directory, counted twice (its bytes and the entries read
    /// from it), is more than the app's share of the scan's working memory
    /// ([`working`], `Limits::working_pool`).
    #[error("the central directory of {size} bytes (counted twice: its bytes and its entries) and the app's property lists do not fit in the app's share of {limit} bytes of working memory (twice --max-plist-decoded)")]
    DirectoryOverShare {
        /// Size of the directory.
        size: u64,
        /// The share in bytes.
        limit: u64,
    },
    /// Other apps read at the same time hold the scan's working memory: this
    /// reading is abandoned and the app read again when it is free
    /// ([`working`]). Never reported: the second reading replaces it.
    #[error(
        "the scan's working memory is held by other apps; this app is read again when it is free"
    )]
    Retry,
    /// The entry's bytes do not fit in the process-wide budget of decoded
    /// bytes in flight (`Limits::max_inflight`).
    #[error("entry '{name}' does not fit in the budget of {limit} decoded bytes in flight (--max-inflight; shared by all entries read at the same time)")]
    InFlight {
        /// Entry name.
        name: String,
        /// The budget in bytes.
        limit: u64,
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
            ArchiveError::Tampering(_)
            | ArchiveError::Malformed(_)
            | ArchiveError::DirectoryOverShare { .. }
            | ArchiveError::Retry => true,
            ArchiveError::Nested { source, .. } => source.has_german(),
            _ => false,
        }
    }

    /// Whether this error is evidence of tampering (see [`Trick`]).
    pub fn is_tampering(&self) -> bool {
        self.trick().is_some()
    }

    /// The error in `lang`: tricks, damaged archives and both nested in
    /// German or English; other errors keep their English text. A trick is
    /// worded for what the archive was read as (`read_as`, see [`ReadAs`]);
    /// one in an archive inside this one is in an APK of a split set.
    pub fn message(&self, lang: Lang, read_as: ReadAs) -> String {
        match (self, lang) {
            (ArchiveError::Tampering(t), Lang::En) => {
                format!("archive trick: {}", t.message(lang, read_as))
            }
            (ArchiveError::Tampering(t), Lang::De) => {
                format!("Archiv-Trick: {}", t.message(lang, read_as))
            }
            (ArchiveError::Malformed(detail), Lang::De) => {
                format!("abgeschnittenes oder beschädigtes ZIP-Archiv ({detail})")
            }
            (ArchiveError::Nested { entry, source }, _) => {
                format!("{entry}: {}", source.message(lang, ReadAs::Android))
            }
            (ArchiveError::InFlight { name, limit }, Lang::De) => format!(
                "Eintrag '{name}' passt nicht in das Budget von {limit} gleichzeitig entpackten Bytes (--max-inflight; gilt für alle zugleich gelesenen Einträge)"
            ),
            (ArchiveError::DirectoryOverShare { size, limit }, Lang::De) => format!(
                "das zentrale Verzeichnis von {size} Bytes (doppelt gezählt: seine Bytes und seine Einträge) und die Property-Listen der App passen nicht in ihren Anteil von {limit} Bytes am Arbeitsspeicher des Laufs (das Doppelte von --max-plist-decoded)"
            ),
            (ArchiveError::Retry, Lang::De) => "der Arbeitsspeicher des Laufs ist von anderen Apps belegt; diese App wird erneut gelesen, sobald er frei ist".to_string(),
            (ArchiveError::DirectoryTooLarge { size, limit }, Lang::De) => format!(
                "das zentrale Verzeichnis ist {size} Bytes groß, mehr als die Grenze von {limit}"
            ),
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

/// Where an archive's bytes are.
enum Source<'a> {
    Memory(&'a [u8]),
    File(FileRange),
}

impl Source<'_> {
    fn read_at(&self) -> &dyn ReadAt {
        match self {
            Source::Memory(b) => b,
            Source::File(r) => r,
        }
    }
}

/// A zip archive read with limits, from memory or from a file.
pub struct Archive<'a> {
    source: Source<'a>,
    directory: u64,
    entries: Vec<EntryInfo>,
    stored: Vec<Stored>,
    limits: Limits,
    inflated: Cell<u64>,
}

impl Archive<'static> {
    /// Opens the archive in `file` (of `len` bytes) as Android does, reading
    /// only its end records, central directory and local headers; entries
    /// are read when asked for.
    pub fn open(file: File, len: u64, limits: Limits) -> Result<Self, ArchiveError> {
        Archive::with_source(Source::File(FileRange::new(Arc::new(file), 0, len)), limits)
    }
}

impl<'a> Archive<'a> {
    /// Opens an archive over `bytes` as Android does, listing its entries;
    /// refuses it when another reader would read a different directory.
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, ArchiveError> {
        Archive::with_source(Source::Memory(bytes), limits)
    }

    fn with_source(source: Source<'a>, limits: Limits) -> Result<Self, ArchiveError> {
        let bytes = source.read_at();
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
        match &source {
            Source::Memory(b) => cross_check(Cursor::new(*b), dir.offset, &dir.entries)?,
            Source::File(r) => cross_check(
                std::io::BufReader::with_capacity(source::WINDOW as usize, r.cursor()),
                dir.offset,
                &dir.entries,
            )?,
        }
        Ok(Archive {
            source,
            directory: dir.offset,
            entries,
            stored,
            limits,
            inflated: Cell::new(0),
        })
    }

    /// The end of the archive from the start of the APK Signing Block that
    /// the size field right before the central directory declares (at most
    /// [`SIGNING_WINDOW`] bytes before the directory), with the offset of its
    /// first byte in the archive. An archive in memory gives all its bytes.
    /// Bytes a shrunken file no longer has are left out (nothing to find).
    pub fn signing_region(&self) -> (Cow<'_, [u8]>, u64) {
        match &self.source {
            Source::Memory(b) => (Cow::Borrowed(*b), 0),
            Source::File(r) => {
                // The block's size field sits 24 bytes before the directory;
                // its leading copy 8 + size bytes before it.
                let declared = self
                    .directory
                    .checked_sub(24)
                    .and_then(|at| bytes::u64_at(r, at))
                    .and_then(|size| size.checked_add(8))
                    .filter(|&len| len >= 24 && len <= self.directory)
                    .unwrap_or(24);
                let back = declared.min(SIGNING_WINDOW).min(self.directory);
                let base = self.directory - back;
                let region = r.get(base, r.size().saturating_sub(base));
                (region.unwrap_or_default(), base)
            }
        }
    }

    /// The entry at `index`, STORED in a file-backed archive, opened as an
    /// archive in place (an APK in a split set) after checking its CRC-32
    /// as a stream: nothing is inflated or held. `None` when the entry must
    /// be inflated (compressed, or this archive is in memory): read it with
    /// [`Archive::read_index`] and open it with [`Archive::new`].
    pub fn open_nested(
        &self,
        index: usize,
        limits: Limits,
    ) -> Result<Option<Archive<'static>>, ArchiveError> {
        let (Some(info), Some(how)) = (self.entries.get(index), self.stored.get(index)) else {
            return Err(ArchiveError::Missing(format!("#{index}")));
        };
        let Source::File(range) = &self.source else {
            return Ok(None);
        };
        if !how.stored {
            return Ok(None);
        }
        let start = how.placement.data_start;
        let mut reader = range.reader(start, info.compressed_size);
        let mut crc = crc32fast::Hasher::new();
        let mut buf = vec![0u8; source::WINDOW as usize];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(ArchiveError::Inflate {
                        name: info.name.clone(),
                        source,
                    })
                }
            };
            crc.update(buf.get(..n).unwrap_or_default());
        }
        let actual = crc.finalize();
        if actual != how.crc32 {
            return Err(ArchiveError::Crc {
                name: info.name.clone(),
                expected: how.crc32,
                actual,
            });
        }
        let (file, base) = range.file();
        let inner = FileRange::new(Arc::clone(file), base + start, info.compressed_size);
        Archive::with_source(Source::File(inner), limits).map(Some)
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
    pub fn read(&self, name: &str) -> Result<Inflated, ArchiveError> {
        let index = self
            .entries
            .iter()
            .position(|e| e.name == name)
            .ok_or_else(|| ArchiveError::Missing(name.to_string()))?;
        self.read_index(index)
    }

    /// Inflates the entry at `index` of [`Archive::entries`], enforcing the limits.
    pub fn read_index(&self, index: usize) -> Result<Inflated, ArchiveError> {
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
        let raw: Box<dyn Read + '_> = match &self.source {
            // Checked against the directory when the archive was opened.
            Source::Memory(b) => Box::new(
                bytes::slice_in(b, how.placement.data_start, info.compressed_size).ok_or_else(
                    || ArchiveError::Malformed(format!("entry '{name}' lies past the end")),
                )?,
            ),
            Source::File(r) => Box::new(r.reader(how.placement.data_start, info.compressed_size)),
        };
        let mut reader: Box<dyn Read + '_> = if how.stored {
            raw
        } else {
            Box::new(flate2::read::DeflateDecoder::new(raw))
        };
        let (out, lease) = self.inflate_leased(&mut reader, &name, info.size.min(cap), cap)?;
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
        // crc32fast uses the CPU's carry-less multiply where there is one
        // (flate2's zlib-rs CRC is the portable braid: 7 % of `facts`).
        let actual = crc32fast::hash(&out);
        if actual != how.crc32 {
            return Err(ArchiveError::Crc {
                name,
                expected: how.crc32,
                actual,
            });
        }
        self.inflated.set(self.inflated.get().saturating_add(got));
        Ok(Inflated::new(out, lease))
    }

    /// Reads `reader` to its end, or to one byte past `cap`, holding a lease
    /// on the in-flight budget for every byte buffered: `expected` bytes
    /// first (the declared size), then more as a lying size is exceeded.
    fn inflate_leased(
        &self,
        reader: &mut dyn Read,
        name: &str,
        expected: u64,
        cap: u64,
    ) -> Result<(Vec<u8>, Lease), ArchiveError> {
        let total = self.limits.max_inflight;
        let over = |_| ArchiveError::InFlight {
            name: name.to_string(),
            limit: total,
        };
        let mut leased = expected;
        let mut lease = Lease::take(leased, total).map_err(over)?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            // Room for the leased bytes and the one byte that tells "more".
            let room = leased.saturating_add(1).saturating_sub(out.len() as u64);
            out.reserve_exact(usize::try_from(room).unwrap_or(0));
            Read::take(&mut *reader, room)
                .read_to_end(&mut out)
                .map_err(|source| ArchiveError::Inflate {
                    name: name.to_string(),
                    source,
                })?;
            let got = out.len() as u64;
            if got <= leased || leased >= cap {
                break;
            }
            let more = leased.max(1 << 20).min(cap - leased);
            lease.grow(more).map_err(over)?;
            leased += more;
        }
        lease.shrink_to(out.capacity() as u64);
        Ok((out, lease))
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
fn cross_check<R: Read + Seek>(
    reader: R,
    offset: u64,
    entries: &[RawEntry],
) -> Result<(), ArchiveError> {
    let Ok(zip) = zip::ZipArchive::new(reader) else {
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
