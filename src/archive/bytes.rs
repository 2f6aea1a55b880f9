//! Little-endian field reads that never panic.

/// The `u16` at `at`, if the bytes are there.
pub(super) fn u16_at(bytes: &[u8], at: u64) -> Option<u16> {
    let at = usize::try_from(at).ok()?;
    let b: [u8; 2] = bytes.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

/// The `u32` at `at`, if the bytes are there.
pub(super) fn u32_at(bytes: &[u8], at: u64) -> Option<u32> {
    let at = usize::try_from(at).ok()?;
    let b: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// The `u64` at `at`, if the bytes are there.
pub(super) fn u64_at(bytes: &[u8], at: u64) -> Option<u64> {
    let at = usize::try_from(at).ok()?;
    let b: [u8; 8] = bytes.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_le_bytes(b))
}

/// `len` bytes at `at`, if they are there.
pub(super) fn slice_at(bytes: &[u8], at: u64, len: u64) -> Option<&[u8]> {
    let at = usize::try_from(at).ok()?;
    let len = usize::try_from(len).ok()?;
    bytes.get(at..at.checked_add(len)?)
}

/// Whether `sig` starts at `at`.
pub(super) fn sig_at(bytes: &[u8], at: u64, sig: &[u8; 4]) -> bool {
    slice_at(bytes, at, 4) == Some(sig.as_slice())
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
