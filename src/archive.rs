//! Bounded, in-memory reading of zip containers (APK, split sets, IPA).
//!
//! The archive is read in place from a byte slice: nothing is extracted to
//! disk, only the entries asked for are inflated, and every inflation is
//! checked against [`Limits`] (entry size, compression ratio, total budget).
//!
//! Two behaviours follow Android's `libziparchive` rather than the `zip`
//! crate: an entry whose compression method is neither STORED (0) nor
//! DEFLATE (8) is inflated as raw DEFLATE (Android does exactly that, so an
//! app can hide its signature behind "method 21" from stricter tools), and
//! entries whose local records overlap (the overlapping-file zip-bomb trick,
//! where many entries share one compressed stream) are refused when the
//! archive is opened.

use std::cell::Cell;
use std::io::{Cursor, Read};

use thiserror::Error;
use zip::{CompressionMethod, ZipArchive};

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
    /// Two entries' local records (header plus data) share bytes: the
    /// overlapping-entry zip-bomb pattern. No well-formed archive does this.
    #[error("entries '{first}' and '{second}' overlap in the archive (local records share bytes: an overlapping-entry zip bomb or a crafted archive)")]
    Overlap {
        /// The entry stored first.
        first: String,
        /// The entry whose record starts inside the first one.
        second: String,
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

/// Where an entry's bytes lie in the archive and how they are stored.
#[derive(Debug, Clone, Copy)]
struct Placement {
    /// Offset of the local file header.
    header_start: u64,
    /// Offset of the first byte of the (compressed) data.
    data_start: u64,
    /// Whether the method is one the `zip` crate inflates itself (STORED,
    /// DEFLATE); any other is inflated as raw DEFLATE, as Android does.
    native_method: bool,
    /// Stored CRC-32 of the inflated data.
    crc32: u32,
}

/// A zip archive held in memory, read with limits.
pub struct Archive<'a> {
    zip: std::cell::RefCell<ZipArchive<Cursor<&'a [u8]>>>,
    bytes: &'a [u8],
    entries: Vec<EntryInfo>,
    placements: Vec<Placement>,
    limits: Limits,
    inflated: Cell<u64>,
}

impl<'a> Archive<'a> {
    /// Opens an archive over `bytes`, listing its entries.
    pub fn new(bytes: &'a [u8], limits: Limits) -> Result<Self, ArchiveError> {
        // The zip crate sizes its entry table from the declared count before
        // reading any entry: refuse a huge claim first.
        if let Some(count) = declared_entries(bytes) {
            if count > limits.max_entries as u64 {
                return Err(ArchiveError::TooManyEntries {
                    count: usize::try_from(count).unwrap_or(usize::MAX),
                    limit: limits.max_entries,
                });
            }
        }
        let mut zip = ZipArchive::new(Cursor::new(bytes))?;
        if zip.len() > limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                count: zip.len(),
                limit: limits.max_entries,
            });
        }
        let mut entries = Vec::with_capacity(zip.len());
        let mut placements = Vec::with_capacity(zip.len());
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i)?;
            entries.push(EntryInfo {
                name: String::from_utf8_lossy(f.name_raw()).into_owned(),
                size: f.size(),
                compressed_size: f.compressed_size(),
                is_dir: f.is_dir(),
            });
            placements.push(Placement {
                header_start: f.header_start(),
                // `by_index_raw` has parsed the local header, so this is known.
                data_start: f.data_start().unwrap_or_else(|| f.header_start()),
                native_method: matches!(
                    f.compression(),
                    CompressionMethod::Stored | CompressionMethod::Deflated
                ),
                crc32: f.crc32(),
            });
        }
        check_overlap(&entries, &placements)?;
        Ok(Archive {
            zip: std::cell::RefCell::new(zip),
            bytes,
            entries,
            placements,
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
        let native = self.placements.get(index).is_none_or(|p| p.native_method);
        // The declared size may lie: read at most one byte past the cap.
        let mut out = Vec::with_capacity(info.size.min(cap).min(64 << 20) as usize);
        let inflate_err = |source| ArchiveError::Inflate {
            name: name.clone(),
            source,
        };
        if native {
            let mut zip = self.zip.borrow_mut();
            let file = zip.by_index(index)?;
            file.take(cap.saturating_add(1))
                .read_to_end(&mut out)
                .map_err(inflate_err)?;
        } else {
            self.read_as_deflate(index, info.compressed_size, cap, &mut out)
                .map_err(inflate_err)?;
        }
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
        if !native {
            // The zip crate checks the CRC of the entries it inflates; do the
            // same for the ones inflated here.
            let expected = self.placements.get(index).map_or(0, |p| p.crc32);
            let mut crc = flate2::Crc::new();
            crc.update(&out);
            if crc.sum() != expected {
                return Err(ArchiveError::Crc {
                    name,
                    expected,
                    actual: crc.sum(),
                });
            }
        }
        self.inflated.set(self.inflated.get().saturating_add(got));
        Ok(out)
    }

    /// Inflates the raw data of entry `index` as DEFLATE, whatever method
    /// its header names: what Android's `libziparchive` does for every
    /// method other than STORED. Reads at most `cap + 1` bytes into `out`.
    fn read_as_deflate(
        &self,
        index: usize,
        compressed_size: u64,
        cap: u64,
        out: &mut Vec<u8>,
    ) -> std::io::Result<()> {
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        let start = self
            .placements
            .get(index)
            .ok_or_else(|| bad("entry index out of range"))?
            .data_start;
        let raw = usize::try_from(start)
            .ok()
            .and_then(|s| Some(s..s.checked_add(usize::try_from(compressed_size).ok()?)?))
            .and_then(|r| self.bytes.get(r))
            .ok_or_else(|| bad("compressed data extends past the end of the archive"))?;
        flate2::read::DeflateDecoder::new(raw)
            .take(cap.saturating_add(1))
            .read_to_end(out)?;
        Ok(())
    }
}

/// The entry count the end-of-central-directory record declares (the Zip64
/// record's when the classic one says 0xFFFF), read without trusting it.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let eocd = crate::detect::find_eocd(bytes)?;
    let le16 = |at: usize| -> Option<u64> {
        let b = bytes.get(at..at.checked_add(2)?)?;
        Some(u64::from(u16::from_le_bytes([*b.first()?, *b.get(1)?])))
    };
    let le64 = |at: usize| -> Option<u64> {
        let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
        Some(u64::from_le_bytes(b))
    };
    let classic = le16(eocd.checked_add(10)?)?;
    if classic != 0xFFFF {
        return Some(classic);
    }
    // Zip64 locator (20 bytes) right before the EOCD, pointing at the Zip64 record.
    let locator = eocd.checked_sub(20)?;
    if bytes.get(locator..locator.checked_add(4)?)? != b"PK\x06\x07" {
        return Some(classic);
    }
    let record = usize::try_from(le64(locator.checked_add(8)?)?).ok()?;
    if bytes.get(record..record.checked_add(4)?)? != b"PK\x06\x06" {
        return Some(classic);
    }
    le64(record.checked_add(32)?)
}

/// Refuses archives whose entries' local records overlap.
///
/// Each entry occupies its local header up to the end of its compressed
/// data. Sorted by start, each record must end before the next begins; an
/// overlap means several entries decode the same bytes (the Fifield
/// overlapping-file zip bomb) or a local header hides inside another entry's
/// data. Android's `libziparchive` refuses such archives as well.
fn check_overlap(entries: &[EntryInfo], placements: &[Placement]) -> Result<(), ArchiveError> {
    let mut spans: Vec<(u64, u64, usize)> = placements
        .iter()
        .zip(entries)
        .enumerate()
        .map(|(i, (p, e))| {
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
            return Err(ArchiveError::Overlap {
                first: name(a),
                second: name(b),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(files: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data, method) in files {
            w.start_file(
                *name,
                SimpleFileOptions::default().compression_method(*method),
            )
            .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    /// Rewrites the compression method of every entry (local and central headers).
    fn set_method(bytes: &mut [u8], method: u16) {
        let mut i = 0;
        while i + 10 < bytes.len() {
            let at = match &bytes[i..i + 4] {
                b"PK\x03\x04" => Some(i + 8),
                b"PK\x01\x02" => Some(i + 10),
                _ => None,
            };
            if let Some(at) = at {
                bytes[at..at + 2].copy_from_slice(&method.to_le_bytes());
            }
            i += 1;
        }
    }

    #[test]
    fn unknown_method_is_inflated_as_deflate_like_android() {
        let text = b"certificate bytes ".repeat(50);
        let mut bytes = zip_of(&[("META-INF/CERT.RSA", &text, CompressionMethod::Deflated)]);
        set_method(&mut bytes, 21);
        let archive = Archive::new(&bytes, Limits::default()).unwrap();
        assert_eq!(archive.read("META-INF/CERT.RSA").unwrap(), text);
        assert_eq!(archive.inflated_total(), text.len() as u64);
    }

    #[test]
    fn unknown_method_with_corrupt_data_fails_on_crc() {
        let text = b"abcdefgh".repeat(40);
        let mut bytes = zip_of(&[("a", &text, CompressionMethod::Stored)]);
        // STORED bytes are not a valid DEFLATE stream, or decode to other bytes.
        set_method(&mut bytes, 99);
        let archive = Archive::new(&bytes, Limits::default()).unwrap();
        let err = archive.read("a").unwrap_err();
        assert!(
            matches!(err, ArchiveError::Crc { .. } | ArchiveError::Inflate { .. }),
            "{err}"
        );
    }

    #[test]
    fn unknown_method_respects_entry_limit() {
        let text = vec![b'z'; 100_000];
        let mut bytes = zip_of(&[("big", &text, CompressionMethod::Deflated)]);
        set_method(&mut bytes, 21);
        let limits = Limits {
            max_entry_size: 1000,
            ..Limits::default()
        };
        // The central directory declares 100 000 bytes: refused before inflating.
        let archive = Archive::new(&bytes, limits).unwrap();
        assert!(matches!(
            archive.read("big"),
            Err(ArchiveError::EntryTooLarge { limit: 1000, .. })
        ));
    }

    #[test]
    fn overlapping_entries_are_refused() {
        // Two entries whose central records point at the same local header.
        let mut bytes = zip_of(&[
            ("first", b"one", CompressionMethod::Stored),
            ("second", b"two", CompressionMethod::Stored),
        ]);
        let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        let cd2 = cd
            + 4
            + bytes[cd + 4..]
                .windows(4)
                .position(|w| w == b"PK\x01\x02")
                .unwrap();
        // Local header offset of the second central record := that of the first.
        let first_off: [u8; 4] = bytes[cd + 42..cd + 46].try_into().unwrap();
        bytes[cd2 + 42..cd2 + 46].copy_from_slice(&first_off);
        let err = Archive::new(&bytes, Limits::default())
            .err()
            .expect("refused");
        assert!(matches!(err, ArchiveError::Overlap { .. }), "{err}");
        assert!(err.to_string().contains("overlap"), "{err}");
    }

    #[test]
    fn well_formed_archive_has_no_overlap() {
        let bytes = zip_of(&[
            ("a", b"", CompressionMethod::Stored),
            ("b/", b"", CompressionMethod::Stored),
            ("c", &[7u8; 5000], CompressionMethod::Deflated),
        ]);
        let archive = Archive::new(&bytes, Limits::default()).unwrap();
        assert_eq!(archive.read("c").unwrap(), vec![7u8; 5000]);
    }

    #[test]
    fn huge_declared_zip64_entry_count_is_refused_before_parsing() {
        // An empty archive whose Zip64 record claims 2^40 entries in a 2^50-byte
        // directory starting far past the end of the file.
        let mut b = Vec::new();
        let record = 0u64;
        b.extend_from_slice(b"PK\x06\x06");
        b.extend_from_slice(&44u64.to_le_bytes()); // size of the rest of the record
        b.extend_from_slice(&45u16.to_le_bytes());
        b.extend_from_slice(&45u16.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&(1u64 << 40).to_le_bytes()); // entries on this disk
        b.extend_from_slice(&(1u64 << 40).to_le_bytes()); // entries in total
        b.extend_from_slice(&(1u64 << 50).to_le_bytes()); // directory size
        b.extend_from_slice(&(1u64 << 45).to_le_bytes()); // directory offset
        let locator = b.len();
        b.extend_from_slice(b"PK\x06\x07");
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&record.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        assert_eq!(b.len(), locator + 20);
        b.extend_from_slice(b"PK\x05\x06");
        b.extend_from_slice(&[0u8; 4]);
        b.extend_from_slice(&[0xff; 4]); // entry counts: see Zip64
        b.extend_from_slice(&[0xff; 8]); // directory size and offset: see Zip64
        b.extend_from_slice(&[0u8; 2]);
        assert_eq!(declared_entries(&b), Some(1 << 40));
        let err = Archive::new(&b, Limits::default()).err().expect("refused");
        assert!(
            matches!(err, ArchiveError::TooManyEntries { limit: 100_000, .. }),
            "{err}"
        );
    }

    #[test]
    fn too_many_entries_is_an_error_naming_the_limit() {
        let bytes = zip_of(&[
            ("a", b"1", CompressionMethod::Stored),
            ("b", b"2", CompressionMethod::Stored),
        ]);
        let limits = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        let err = Archive::new(&bytes, limits).err().expect("refused");
        assert!(err.to_string().contains("limit of 1"), "{err}");
    }

    #[test]
    fn lying_declared_size_is_capped_while_inflating() {
        // A 2 MiB run of zeros (ratio ~1000:1) whose central directory claims 10 bytes.
        let data = vec![0u8; 2 << 20];
        let mut bytes = zip_of(&[("bomb", &data, CompressionMethod::Deflated)]);
        let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
        let limits = Limits {
            max_entry_size: 1 << 20,
            ..Limits::default()
        };
        let archive = Archive::new(&bytes, limits).unwrap();
        let err = archive.read("bomb").unwrap_err();
        assert!(
            matches!(
                err,
                ArchiveError::EntryTooLarge { .. } | ArchiveError::Inflate { .. }
            ),
            "{err}"
        );
    }
}
