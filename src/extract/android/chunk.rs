//! Bounds-checked little-endian reads and the `ResChunk_header` shared by
//! binary XML and the resource table.

/// Reads a little-endian `u16` at `off`, `None` when out of bounds.
pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_le_bytes([*s.first()?, *s.get(1)?]))
}

/// Reads a little-endian `u32` at `off`, `None` when out of bounds.
pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_le_bytes([
        *s.first()?,
        *s.get(1)?,
        *s.get(2)?,
        *s.get(3)?,
    ]))
}

/// A `ResChunk_header`: type, header size and total size of a chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkHeader {
    /// Chunk type (e.g. `0x0001` string pool).
    pub kind: u16,
    /// Size of the chunk header in bytes (may be larger than the fields read).
    pub header_size: usize,
    /// Size of the whole chunk in bytes, header included.
    pub size: usize,
}

impl ChunkHeader {
    /// Reads a chunk header at `off`, `None` when the 8 bytes are not there.
    pub fn read(b: &[u8], off: usize) -> Option<ChunkHeader> {
        Some(ChunkHeader {
            kind: u16_at(b, off)?,
            header_size: usize::from(u16_at(b, off.checked_add(2)?)?),
            size: usize::try_from(u32_at(b, off.checked_add(4)?)?).ok()?,
        })
    }

    /// Validates the header as Android's `validate_chunk` does: the header is
    /// at least `min_header` bytes, not larger than the chunk, both sizes are
    /// multiples of four, and the chunk fits in `end - off` bytes.
    pub fn validate(&self, off: usize, end: usize, min_header: usize) -> Result<(), String> {
        if self.header_size < min_header {
            return Err(format!(
                "chunk 0x{:04x} at offset {off}: header size {} is smaller than {min_header}",
                self.kind, self.header_size
            ));
        }
        if self.header_size > self.size {
            return Err(format!(
                "chunk 0x{:04x} at offset {off}: header size {} is larger than the chunk size {}",
                self.kind, self.header_size, self.size
            ));
        }
        if (self.header_size | self.size) & 3 != 0 {
            return Err(format!(
                "chunk 0x{:04x} at offset {off}: sizes {}/{} are not multiples of 4",
                self.kind, self.header_size, self.size
            ));
        }
        if self.size > end.saturating_sub(off) {
            return Err(format!(
                "chunk 0x{:04x} at offset {off}: size {} runs past the end ({} bytes left)",
                self.kind,
                self.size,
                end.saturating_sub(off)
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_are_bounds_checked() {
        let b = [1u8, 0, 2, 0, 0, 0];
        assert_eq!(u16_at(&b, 0), Some(1));
        assert_eq!(u32_at(&b, 2), Some(2));
        assert_eq!(u32_at(&b, 3), None);
        assert_eq!(u16_at(&b, usize::MAX), None);
    }

    #[test]
    fn validate_rejects_bad_sizes() {
        let h = ChunkHeader {
            kind: 1,
            header_size: 8,
            size: 16,
        };
        assert!(h.validate(0, 16, 8).is_ok());
        assert!(h.validate(4, 16, 8).is_err());
        let odd = ChunkHeader {
            kind: 1,
            header_size: 8,
            size: 18,
        };
        assert!(odd.validate(0, 32, 8).is_err());
        let big_header = ChunkHeader {
            kind: 1,
            header_size: 20,
            size: 16,
        };
        assert!(big_header.validate(0, 32, 8).is_err());
    }
}
