//! `ResStringPool`: the string pool chunk of binary XML and resource tables.
//!
//! Strings are decoded on demand. An index out of range, an offset outside
//! the pool, a length running past its end or a missing terminator yields
//! `None` for that string (Android's `stringAt` returns NULL likewise); the
//! pool as a whole stays usable.

use super::chunk::{u16_at, u32_at, ChunkHeader};
use crate::limits::Limits;

/// Flag: strings are UTF-8 (else UTF-16).
const UTF8_FLAG: u32 = 0x100;

/// A string pool over the bytes of its chunk.
#[derive(Debug, Clone, Default)]
pub struct StringPool<'a> {
    chunk: &'a [u8],
    offsets_start: usize,
    count: usize,
    strings_start: usize,
    strings_end: usize,
    utf8: bool,
}

impl<'a> StringPool<'a> {
    /// Parses the pool chunk `chunk` (starting at its `ResChunk_header`).
    pub fn parse(chunk: &'a [u8], limits: &Limits) -> Result<Self, String> {
        let h = ChunkHeader::read(chunk, 0).ok_or("string pool header truncated")?;
        h.validate(0, chunk.len(), 28)?;
        let chunk = chunk.get(..h.size).ok_or("string pool truncated")?;
        let count = u32_at(chunk, 8).ok_or("string pool header truncated")? as usize;
        let style_count = u32_at(chunk, 12).ok_or("string pool header truncated")? as usize;
        let flags = u32_at(chunk, 16).ok_or("string pool header truncated")?;
        let strings_start = u32_at(chunk, 20).ok_or("string pool header truncated")? as usize;
        let styles_start = u32_at(chunk, 24).ok_or("string pool header truncated")? as usize;
        if count > limits.max_strings {
            return Err(format!(
                "string pool has {count} strings, more than the limit of {}",
                limits.max_strings
            ));
        }
        let offsets_start = h.header_size;
        let offsets_end = count
            .checked_add(style_count)
            .and_then(|n| n.checked_mul(4))
            .and_then(|n| n.checked_add(offsets_start))
            .ok_or("string pool index overflows")?;
        if offsets_end > chunk.len() {
            return Err(format!(
                "string pool index of {count} strings and {style_count} styles does not fit in {} bytes",
                chunk.len()
            ));
        }
        let strings_end = if style_count > 0 && styles_start > strings_start {
            styles_start.min(chunk.len())
        } else {
            chunk.len()
        };
        if count > 0 && strings_start >= strings_end {
            return Err(format!(
                "string data offset {strings_start} lies outside the pool ({strings_end} bytes)"
            ));
        }
        Ok(StringPool {
            chunk,
            offsets_start,
            count,
            strings_start,
            strings_end,
            utf8: flags & UTF8_FLAG != 0,
        })
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether the pool has no strings.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The string at `index`, `None` when absent or malformed.
    pub fn get(&self, index: u32) -> Option<String> {
        let data = self.entry(index)?;
        if self.utf8 {
            utf8_bytes(data).map(|b| String::from_utf8_lossy(b).into_owned())
        } else {
            decode_utf16(data)
        }
    }

    /// Calls `f` with every string's bytes: UTF-8 pools without copying,
    /// UTF-16 pools decoded (for scans for ASCII text such as URLs).
    pub fn for_each_bytes(&self, mut f: impl FnMut(&[u8])) {
        for index in 0..u32::try_from(self.count).unwrap_or(u32::MAX) {
            if self.utf8 {
                if let Some(b) = self.entry(index).and_then(utf8_bytes) {
                    f(b);
                }
            } else if let Some(s) = self.get(index) {
                f(s.as_bytes());
            }
        }
    }

    /// The pool data from the start of entry `index`.
    fn entry(&self, index: u32) -> Option<&'a [u8]> {
        let index = index as usize;
        if index >= self.count {
            return None;
        }
        let off = u32_at(
            self.chunk,
            self.offsets_start.checked_add(index.checked_mul(4)?)?,
        )?;
        let pos = self.strings_start.checked_add(off as usize)?;
        self.chunk.get(pos..self.strings_end)
    }
}

/// The bytes of one UTF-8 pool entry: UTF-16 length, UTF-8 length, bytes, NUL.
fn utf8_bytes(data: &[u8]) -> Option<&[u8]> {
    let (_, n1) = utf8_len(data, 0)?;
    let (len, n2) = utf8_len(data, n1)?;
    let start = n1.checked_add(n2)?;
    let end = start.checked_add(len)?;
    let bytes = data.get(start..end)?;
    if *data.get(end)? != 0 {
        return None;
    }
    Some(bytes)
}

/// A UTF-8 pool length: one byte, or two when the high bit is set.
fn utf8_len(data: &[u8], at: usize) -> Option<(usize, usize)> {
    let b = *data.get(at)?;
    if b & 0x80 != 0 {
        let b2 = *data.get(at.checked_add(1)?)?;
        Some(((usize::from(b & 0x7f) << 8) | usize::from(b2), 2))
    } else {
        Some((usize::from(b), 1))
    }
}

/// Decodes one UTF-16 pool entry: length (one or two units), units, NUL.
fn decode_utf16(data: &[u8]) -> Option<String> {
    let first = u16_at(data, 0)?;
    let (len, hdr) = if first & 0x8000 != 0 {
        let second = u16_at(data, 2)?;
        ((usize::from(first & 0x7fff) << 16) | usize::from(second), 4)
    } else {
        (usize::from(first), 2)
    };
    let end = len.checked_mul(2)?.checked_add(hdr)?;
    let bytes = data.get(hdr..end)?;
    if u16_at(data, end)? != 0 {
        return None;
    }
    let units = bytes.chunks_exact(2).map(|c| {
        u16::from_le_bytes([
            c.first().copied().unwrap_or(0),
            c.get(1).copied().unwrap_or(0),
        ])
    });
    Some(
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Builds a string pool chunk (test helper, also used by other modules' tests).
#[cfg(test)]
pub fn build_pool(strings: &[&str], utf8: bool) -> Vec<u8> {
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        if utf8 {
            let u16len = s.encode_utf16().count();
            data.push(u16len as u8);
            data.push(s.len() as u8);
            data.extend_from_slice(s.as_bytes());
            data.push(0);
        } else {
            let units: Vec<u16> = s.encode_utf16().collect();
            data.extend_from_slice(&(units.len() as u16).to_le_bytes());
            for u in units {
                data.extend_from_slice(&u.to_le_bytes());
            }
            data.extend_from_slice(&[0, 0]);
        }
    }
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let header = 28usize;
    let strings_start = header + offsets.len() * 4;
    let size = strings_start + data.len();
    let mut out = Vec::new();
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&(header as u16).to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(if utf8 { UTF8_FLAG } else { 0 }).to_le_bytes());
    out.extend_from_slice(&(strings_start as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    for o in offsets {
        out.extend_from_slice(&o.to_le_bytes());
    }
    out.extend_from_slice(&data);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_and_utf16_pools() {
        for utf8 in [true, false] {
            let chunk = build_pool(&["manifest", "Grüße", ""], utf8);
            let pool = StringPool::parse(&chunk, &Limits::default()).unwrap();
            assert_eq!(pool.len(), 3);
            assert_eq!(pool.get(0).as_deref(), Some("manifest"));
            assert_eq!(pool.get(1).as_deref(), Some("Grüße"));
            assert_eq!(pool.get(2).as_deref(), Some(""));
            assert_eq!(pool.get(3), None);
            assert_eq!(pool.get(u32::MAX), None);
        }
    }

    #[test]
    fn bad_length_or_missing_terminator_is_none() {
        let mut chunk = build_pool(&["abc"], true);
        // The string data starts at 32: lengths 3/3, then "abc", NUL.
        chunk[33] = 200; // UTF-8 length far past the end
        let pool = StringPool::parse(&chunk, &Limits::default()).unwrap();
        assert_eq!(pool.get(0), None);
        let mut chunk = build_pool(&["abc"], true);
        chunk[37] = b'x'; // terminator overwritten
        let pool = StringPool::parse(&chunk, &Limits::default()).unwrap();
        assert_eq!(pool.get(0), None);
    }

    #[test]
    fn too_many_strings_is_an_error() {
        let chunk = build_pool(&["a", "b", "c"], true);
        let limits = Limits {
            max_strings: 2,
            ..Limits::default()
        };
        let err = StringPool::parse(&chunk, &limits).unwrap_err();
        assert!(err.contains("limit"), "{err}");
    }
}
