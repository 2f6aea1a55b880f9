//! Checks each entry's local header against its central record as Android's
//! `FindEntry` does (same name, same sizes and CRC unless a data descriptor
//! follows; data inside the area before the central directory), and the
//! data descriptor against the central record as `ValidateDataDescriptor`
//! does — at open, not only when the entry is extracted.

use super::bytes::{sig_at, slice_at, u16_at, u32_at, u64_at, zip64_extra};
use super::cdir::RawEntry;
use super::source::ReadAt;
use super::{ArchiveError, Trick};

const LOCAL_SIG: &[u8; 4] = b"PK\x03\x04";
const LOCAL_LEN: u64 = 30;
const DESCRIPTOR_SIG: &[u8; 4] = b"PK\x07\x08";

/// Where an entry's bytes lie in the archive.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placement {
    /// Offset of the local file header.
    pub header_start: u64,
    /// Offset of the first byte of the (compressed) data.
    pub data_start: u64,
}

fn broken(name: &str, what: &str) -> ArchiveError {
    ArchiveError::Malformed(format!("entry '{name}': {what}"))
}

/// Checks one entry's local header and data descriptor; `cd_offset` is where
/// the central directory starts (all entry data must end before it).
pub(super) fn check_local<R: ReadAt + ?Sized>(
    bytes: &R,
    e: &RawEntry,
    cd_offset: u64,
) -> Result<Placement, ArchiveError> {
    let at = e.local;
    if at.saturating_add(LOCAL_LEN) >= cd_offset {
        return Err(broken(
            &e.name,
            "local header runs into the central directory",
        ));
    }
    if !sig_at(bytes, at, LOCAL_SIG) {
        return Err(broken(&e.name, &format!("no local header at offset {at}")));
    }
    let f16 = |o| u16_at(bytes, at + o).unwrap_or(0);
    let f32 = |o| u32_at(bytes, at + o).unwrap_or(0);
    let (flags, name_len, extra_len) = (f16(6), u64::from(f16(26)), u64::from(f16(28)));
    let local_name = slice_at(bytes, at + LOCAL_LEN, name_len).unwrap_or_default();
    if local_name != e.name.as_bytes() {
        return Err(ArchiveError::Tampering(Trick::LocalNameMismatch {
            central: e.name.clone(),
            local: String::from_utf8_lossy(&local_name).into_owned(),
        }));
    }
    let (mut size, mut compressed) = (u64::from(f32(22)), u64::from(f32(18)));
    if size == u64::from(u32::MAX) || compressed == u64::from(u32::MAX) {
        let extra = slice_at(bytes, at + LOCAL_LEN + name_len, extra_len).unwrap_or_default();
        let parsed = (size == compressed)
            .then(|| zip64_extra(&extra, u32::MAX, u32::MAX, None))
            .flatten();
        let Some([Some(s), Some(c), _]) = parsed else {
            return Err(broken(
                &e.name,
                "local Zip64 sizes are missing or incomplete",
            ));
        };
        (size, compressed) = (s, c);
    }
    let has_descriptor = flags & 8 != 0;
    if !has_descriptor && (size != e.size || compressed != e.compressed || f32(14) != e.crc32) {
        return Err(ArchiveError::Tampering(Trick::LocalHeaderMismatch(
            e.name.clone(),
        )));
    }
    let data_start = at + LOCAL_LEN + name_len + extra_len;
    if data_start > cd_offset || e.compressed > cd_offset - data_start {
        return Err(broken(&e.name, "data runs into the central directory"));
    }
    if e.method == 0 && e.size != e.compressed {
        return Err(ArchiveError::Tampering(Trick::StoredSizeMismatch(
            e.name.clone(),
        )));
    }
    if has_descriptor {
        check_descriptor(bytes, e, data_start + e.compressed)?;
    }
    Ok(Placement {
        header_start: at,
        data_start,
    })
}

/// The data descriptor after the data must repeat the central record's CRC
/// and sizes (optional signature; 64-bit sizes when either size needs them).
fn check_descriptor<R: ReadAt + ?Sized>(
    bytes: &R,
    e: &RawEntry,
    at: u64,
) -> Result<(), ArchiveError> {
    let at = if sig_at(bytes, at, DESCRIPTOR_SIG) {
        at + 4
    } else {
        at
    };
    let wide = e.compressed >= u64::from(u32::MAX) || e.size >= u64::from(u32::MAX);
    let read = || -> Option<(u32, u64, u64)> {
        let crc = u32_at(bytes, at)?;
        if wide {
            Some((crc, u64_at(bytes, at + 4)?, u64_at(bytes, at + 12)?))
        } else {
            Some((
                crc,
                u32_at(bytes, at + 4)?.into(),
                u32_at(bytes, at + 8)?.into(),
            ))
        }
    };
    match read() {
        Some((crc, compressed, size))
            if crc == e.crc32 && compressed == e.compressed && size == e.size =>
        {
            Ok(())
        }
        _ => Err(ArchiveError::Tampering(Trick::LyingDataDescriptor(
            e.name.clone(),
        ))),
    }
}
