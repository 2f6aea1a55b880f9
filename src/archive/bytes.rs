//! Little-endian field reads that never panic, from memory or from a file
//! ([`ReadAt`]).

use std::borrow::Cow;

use super::source::ReadAt;

/// The `u16` at `at`, if the bytes are there.
pub(super) fn u16_at<R: ReadAt + ?Sized>(bytes: &R, at: u64) -> Option<u16> {
    let b: [u8; 2] = bytes.get(at, 2)?.as_ref().try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

/// The `u32` at `at`, if the bytes are there.
pub(super) fn u32_at<R: ReadAt + ?Sized>(bytes: &R, at: u64) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at, 4)?.as_ref().try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The `u64` at `at`, if the bytes are there.
pub(super) fn u64_at<R: ReadAt + ?Sized>(bytes: &R, at: u64) -> Option<u64> {
    let b: [u8; 8] = bytes.get(at, 8)?.as_ref().try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// `len` bytes at `at`, if they are there.
pub(super) fn slice_at<R: ReadAt + ?Sized>(bytes: &R, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
    bytes.get(at, len)
}

/// `len` bytes at `at` of a slice, borrowed from it.
pub(super) fn slice_in(bytes: &[u8], at: u64, len: u64) -> Option<&[u8]> {
    let at = usize::try_from(at).ok()?;
    let len = usize::try_from(len).ok()?;
    bytes.get(at..at.checked_add(len)?)
}

/// Whether `sig` starts at `at`.
pub(super) fn sig_at<R: ReadAt + ?Sized>(bytes: &R, at: u64, sig: &[u8; 4]) -> bool {
    bytes.get(at, 4).as_deref() == Some(sig.as_slice())
}

/// The Zip64 extended-information extra field (header id 1) in `extra`:
/// the values present, in the order uncompressed size, compressed size,
/// local header offset — each present when its 32-bit field is 0xFFFFFFFF,
/// or all three when the field holds three (Android's
/// `ParseZip64ExtendedInfoInExtraField`). `None` when absent or malformed.
pub(super) fn zip64_extra(
    extra: &[u8],
    size32: u32,
    compressed32: u32,
    offset32: Option<u32>,
) -> Option<[Option<u64>; 3]> {
    let mut at = 0u64;
    let len = extra.len() as u64;
    while at + 4 <= len {
        let id = u16_at(extra, at)?;
        let mut data = u64::from(u16_at(extra, at + 2)?);
        at += 4;
        if data > len - at {
            return None;
        }
        if id != 1 {
            at += data;
            continue;
        }
        if data == 28 {
            data = 24; // a disk start number follows; ignored as Android does
        }
        let complete = data == 24;
        let mut read = at;
        let mut take = |wanted: bool| -> Option<Option<u64>> {
            if !wanted {
                return Some(None);
            }
            let v = u64_at(extra, read)?;
            read += 8;
            Some(Some(v))
        };
        let size = take(size32 == u32::MAX || complete)?;
        let compressed = take(compressed32 == u32::MAX || complete)?;
        let offset = take(offset32 == Some(u32::MAX) || complete)?;
        if read - at != data || data == 0 {
            return None;
        }
        return Some([size, compressed, offset]);
    }
    None
}
