//! Finds and walks the central directory exactly as Android's
//! `libziparchive` does (`zip_archive.cc`: `FindCentralDirectoryInfo`,
//! `FindCentralDirectoryInfoForZip64`, `ParseZipArchive`), and refuses the
//! structures on which other readers would see a different directory.
//!
//! Android takes the *last* end-record signature in the final 64 KiB + 22
//! bytes, requires its comment to end exactly at the end of the file, ignores
//! the disk fields and the "entries on this disk" count, switches to the
//! Zip64 record when any classic field is at its maximum, and reads the
//! directory at exactly the offset given. It then requires valid UTF-8 names
//! without NUL, unique names, and a local header at offset 0.

use std::collections::HashSet;

use super::bytes::{sig_at, slice_at, slice_in, u16_at, u32_at, u64_at, zip64_extra};
use super::source::ReadAt;
use super::{ArchiveError, Trick};

/// Largest central directory read (bytes). A directory is held in memory
/// while it is walked; 64 MiB holds 100,000 entries (`--max-entries`) with
/// names of over 600 bytes each, far beyond any real app.
pub const MAX_DIRECTORY: u64 = 64 << 20;

const END_SIG: &[u8; 4] = b"PK\x05\x06";
const END_LEN: u64 = 22;
const CENTRAL_SIG: &[u8; 4] = b"PK\x01\x02";
const CENTRAL_LEN: u64 = 46;
const LOCATOR_SIG: &[u8; 4] = b"PK\x06\x07";
const ZIP64_END_SIG: &[u8; 4] = b"PK\x06\x06";
const ZIP64_END_LEN: u64 = 56;

/// One record of the central directory, as Android reads it.
#[derive(Debug, Clone)]
pub(super) struct RawEntry {
    /// Name (valid UTF-8: other names are refused).
    pub name: String,
    /// Compression method from the central record (Android uses this one).
    pub method: u16,
    /// CRC-32 of the inflated data.
    pub crc32: u32,
    /// Compressed size.
    pub compressed: u64,
    /// Inflated size.
    pub size: u64,
    /// Offset of the local header.
    pub local: u64,
}

/// The central directory Android reads.
#[derive(Debug)]
pub(super) struct Directory {
    /// Offset of the directory (entries must lie before it).
    pub offset: u64,
    /// Its records, in order.
    pub entries: Vec<RawEntry>,
}

fn broken(what: impl Into<String>) -> ArchiveError {
    ArchiveError::Malformed(what.into())
}

fn trick(t: Trick) -> ArchiveError {
    ArchiveError::Tampering(t)
}

/// Offset of the end record Android uses: the last signature in the final
/// 65,535 + 22 bytes (`None` when there is none).
pub fn find_end_record(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(END_LEN as usize)?;
    let min = bytes.len().saturating_sub(65_535 + END_LEN as usize);
    (min..=last)
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(END_SIG.as_slice()))
}

/// An end record before `before` whose comment ends exactly at the end of
/// the file (a second complete end record; Android never reads it).
fn earlier_end_record(bytes: &[u8], before: usize) -> Option<usize> {
    let min = bytes.len().saturating_sub(65_535 + END_LEN as usize);
    let len = bytes.len() as u64;
    (min..before).rev().find(|&i| {
        bytes.get(i..i + 4) == Some(END_SIG.as_slice())
            && u16_at(bytes, i as u64 + 20)
                .is_some_and(|c| i as u64 + END_LEN + u64::from(c) == len)
    })
}

/// The bytes the end record can be in: the last 65,535 + 22 bytes of the
/// archive, with their offset.
fn tail<R: ReadAt + ?Sized>(bytes: &R) -> Option<(std::borrow::Cow<'_, [u8]>, u64)> {
    let len = bytes.size();
    let from = len.saturating_sub(65_535 + END_LEN);
    Some((bytes.get(from, len - from)?, from))
}

/// Where the directory is and how many records it has, from the end records.
struct Location {
    offset: u64,
    size: u64,
    count: u64,
}

/// The Zip64 end record's (disk, directory disk, entries on disk, entries,
/// size, offset), if a locator right before `end` points at one.
fn zip64_record<R: ReadAt + ?Sized>(bytes: &R, end: u64) -> Option<(u64, [u64; 6])> {
    let locator = end.checked_sub(20)?;
    if !sig_at(bytes, locator, LOCATOR_SIG) {
        return None;
    }
    let record = u64_at(bytes, locator + 8)?;
    if record > locator.checked_sub(ZIP64_END_LEN)? || !sig_at(bytes, record, ZIP64_END_SIG) {
        return None;
    }
    let locator_disk = u64::from(u32_at(bytes, locator + 4)?);
    Some((
        record,
        [
            u64::from(u32_at(bytes, record + 16)?).max(locator_disk),
            u64::from(u32_at(bytes, record + 20)?),
            u64_at(bytes, record + 24)?,
            u64_at(bytes, record + 32)?,
            u64_at(bytes, record + 40)?,
            u64_at(bytes, record + 48)?,
        ],
    ))
}

/// Reads the end records as Android does and refuses the fields other
/// readers would interpret differently.
fn locate<R: ReadAt + ?Sized>(bytes: &R) -> Result<(Location, u64), ArchiveError> {
    let len = bytes.size();
    let (tail, base) = tail(bytes).ok_or_else(|| broken("the end of the file cannot be read"))?;
    let end_in_tail = find_end_record(&tail)
        .ok_or_else(|| broken("no end-of-central-directory record in the last 64 KiB"))?;
    let earlier = || earlier_end_record(&tail, end_in_tail).map(|i| i as u64 + base);
    let end = end_in_tail as u64 + base;
    let comment = u64::from(u16_at(bytes, end + 20).unwrap_or(0));
    if end + END_LEN + comment != len {
        if let Some(real) = earlier() {
            return Err(trick(Trick::StrayEndSignature { stray: end, real }));
        }
        return Err(broken(format!(
            "the end-of-central-directory record at offset {end} does not end the file \
             (Android refuses such a file)"
        )));
    }
    if let Some(other) = earlier() {
        return Err(trick(Trick::TwoEndRecords {
            android: end,
            other,
        }));
    }
    let field16 = |at| u64::from(u16_at(bytes, end + at).unwrap_or(0));
    let field32 = |at| u64::from(u32_at(bytes, end + at).unwrap_or(0));
    let classic = [
        field16(4),
        field16(6),
        field16(8),
        field16(10),
        field32(12),
        field32(16),
    ];
    let maxed = [
        classic[2] == 0xFFFF,
        classic[3] == 0xFFFF,
        classic[4] == 0xFFFF_FFFF,
        classic[5] == 0xFFFF_FFFF,
    ];
    // The newest libziparchive also looks for Zip64 when the comment is
    // 65,535 bytes long; earlier releases (and aapt) read such an archive
    // (AOSP's `v1-only-max-sized-eocd-comment.apk`) from the classic record.
    // Both readings agree unless a Zip64 record is present, and then the two
    // records must agree (checked below).
    let uses_zip64 = maxed.iter().any(|&m| m);
    let zip64 = zip64_record(bytes, end);
    if uses_zip64 && zip64.is_none() {
        return Err(broken(
            "the end record refers to a Zip64 record that is missing or misplaced",
        ));
    }
    // Zip64 writers may set the classic disk fields to 0xFFFF as well; the
    // Zip64 record's disk fields are checked below.
    let disk_ok = |v: u64| v == 0 || (v == 0xFFFF && zip64.is_some());
    if !disk_ok(classic[0]) || !disk_ok(classic[1]) {
        return Err(trick(Trick::EndRecordDiskFields { end }));
    }
    if let Some((_, z)) = zip64 {
        if z[0] != 0 || z[1] != 0 || z[2] != z[3] {
            return Err(trick(Trick::Zip64Fields));
        }
        // Android reads only one of the two records; they must agree.
        let names = [
            "entries on this disk",
            "entries",
            "directory size",
            "directory offset",
        ];
        for i in 0..4 {
            let (c, z) = (classic[i + 2], z[i + 2]);
            let sentinel = maxed[i] && uses_zip64;
            if !sentinel && c != z {
                return Err(trick(Trick::Zip64Mismatch {
                    field: names[i],
                    classic: c,
                    zip64: z,
                }));
            }
        }
    }
    match zip64.filter(|_| uses_zip64) {
        Some((record, z)) => {
            if record <= z[4] || z[5] > record - z[4] {
                return Err(trick(Trick::DirectoryOverrunsEnd {
                    offset: z[5],
                    size: z[4],
                    end: record,
                }));
            }
            let location = Location {
                offset: z[5],
                size: z[4],
                count: z[3],
            };
            Ok((location, record))
        }
        None => {
            if classic[2] != classic[3] {
                return Err(trick(Trick::EndRecordCounts {
                    on_disk: classic[2],
                    total: classic[3],
                }));
            }
            if classic[5] + classic[4] > end {
                return Err(trick(Trick::DirectoryOverrunsEnd {
                    offset: classic[5],
                    size: classic[4],
                    end,
                }));
            }
            let location = Location {
                offset: classic[5],
                size: classic[4],
                count: classic[3],
            };
            Ok((location, end))
        }
    }
}

/// Finds and walks the central directory as Android does. `max_entries`
/// bounds the declared count before anything is allocated.
pub(super) fn read_directory<R: ReadAt + ?Sized>(
    bytes: &R,
    max_entries: usize,
) -> Result<Directory, ArchiveError> {
    let (loc, dir_limit) = locate(bytes)?;
    if loc.count > max_entries as u64 {
        return Err(ArchiveError::TooManyEntries {
            count: usize::try_from(loc.count).unwrap_or(usize::MAX),
            limit: max_entries,
        });
    }
    if loc.count > 0 && !sig_at(bytes, 0, b"PK\x03\x04") {
        return Err(trick(Trick::PrependedData));
    }
    // A second directory abutting the end record while the end record
    // points elsewhere: readers that locate the directory from its size see
    // that one.
    let dir_end = loc.offset + loc.size;
    if dir_end < dir_limit {
        if let Some(other) = dir_limit.checked_sub(loc.size) {
            if other != loc.offset
                && sig_at(bytes, other, CENTRAL_SIG)
                && sig_at(bytes, loc.offset, CENTRAL_SIG)
            {
                return Err(trick(Trick::TwoCentralDirectories {
                    android: loc.offset,
                    other,
                }));
            }
        }
    }
    if loc.count == 0 {
        return Ok(Directory {
            offset: loc.offset,
            entries: Vec::new(),
        });
    }
    if loc.size > MAX_DIRECTORY {
        return Err(ArchiveError::DirectoryTooLarge {
            size: loc.size,
            limit: MAX_DIRECTORY,
        });
    }
    // The directory's bytes and the entries read from it, held while the
    // app is read: on the app's share of the working memory, taken before
    // they are read (so threads do not each hold one unbounded).
    super::working::charge(loc.size.saturating_mul(2)).map_err(|r| match r {
        super::working::Refused::OverAllowance(limit) => ArchiveError::DirectoryOverShare {
            size: loc.size,
            limit,
        },
        super::working::Refused::Retry => ArchiveError::Retry,
    })?;
    let cd = slice_at(bytes, loc.offset, loc.size)
        .ok_or_else(|| broken("the central directory lies outside the file"))?;
    let cd: &[u8] = &cd;
    let capacity = usize::try_from(loc.count.min(loc.size / CENTRAL_LEN)).unwrap_or(0);
    let mut entries = Vec::with_capacity(capacity);
    let mut seen: HashSet<&[u8]> = HashSet::with_capacity(capacity);
    let mut at = 0u64;
    let cd_len = cd.len() as u64;
    for i in 0..loc.count {
        if at + CENTRAL_LEN > cd_len {
            return Err(broken(format!(
                "the central directory ends after {i} of {} entries",
                loc.count
            )));
        }
        if !sig_at(cd, at, CENTRAL_SIG) {
            return Err(broken(format!(
                "central directory record {i} has no signature"
            )));
        }
        let f16 = |o| u16_at(cd, at + o).unwrap_or(0);
        let f32 = |o| u32_at(cd, at + o).unwrap_or(0);
        let (name_len, extra_len, comment_len) =
            (u64::from(f16(28)), u64::from(f16(30)), u64::from(f16(32)));
        let name = slice_in(cd, at + CENTRAL_LEN, name_len)
            .ok_or_else(|| broken(format!("entry name {i} runs past the central directory")))?;
        let extra = slice_in(cd, at + CENTRAL_LEN + name_len, extra_len).ok_or_else(|| {
            broken(format!(
                "extra field of entry {i} runs past the central directory"
            ))
        })?;
        let (size32, compressed32, local32) = (f32(24), f32(20), f32(42));
        let mut entry = RawEntry {
            name: String::new(),
            method: f16(10),
            crc32: f32(16),
            compressed: compressed32.into(),
            size: size32.into(),
            local: local32.into(),
        };
        if size32 == u32::MAX || compressed32 == u32::MAX || local32 == u32::MAX {
            let [s, c, l] = zip64_extra(extra, size32, compressed32, Some(local32))
                .ok_or_else(|| broken(format!("entry {i} lacks its Zip64 extra field")))?;
            entry.size = s.unwrap_or(entry.size);
            entry.compressed = c.unwrap_or(entry.compressed);
            entry.local = l.unwrap_or(entry.local);
        }
        let text = match std::str::from_utf8(name) {
            Ok(t) if !name.contains(&0) => t,
            _ => {
                return Err(trick(Trick::InvalidName(
                    String::from_utf8_lossy(name).into_owned(),
                )))
            }
        };
        if entry.local >= loc.offset {
            return Err(broken(format!(
                "entry '{text}' starts at offset {}, inside or after the central directory",
                entry.local
            )));
        }
        if !seen.insert(name) {
            return Err(trick(Trick::DuplicateName(text.to_string())));
        }
        entry.name = text.to_string();
        entries.push(entry);
        at += CENTRAL_LEN + name_len + extra_len + comment_len;
        if at > cd_len {
            return Err(broken(format!(
                "entry '{text}' runs past the central directory"
            )));
        }
    }
    if sig_at(cd, at, CENTRAL_SIG) {
        return Err(trick(Trick::UncountedEntries {
            declared: loc.count,
        }));
    }
    Ok(Directory {
        offset: loc.offset,
        entries,
    })
}
