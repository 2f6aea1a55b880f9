//! Looking ahead in a [`BufRead`] without losing what was looked at.
//!
//! Format detection, BOM stripping and CSV delimiter sniffing need the first
//! bytes of an export before the adapter reads it. `fill_buf` alone cannot
//! promise them (a reader may hand out one byte at a time), so the bytes are
//! read into a small vector and handed back in front of the rest with
//! [`std::io::Read::chain`].

use std::io::{self, BufRead, Cursor, Read};

/// A reader that yields the peeked bytes again, then the rest of the input.
pub type Peeked<'a> = io::Chain<Cursor<Vec<u8>>, &'a mut dyn BufRead>;

/// The UTF-8 byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Reads at most `max` bytes from the start of `input`, stopping after the
/// first `stop` byte when one is given. Returns them and a reader that
/// yields them again followed by the rest of the input.
pub fn head(
    input: &mut dyn BufRead,
    max: usize,
    stop: Option<u8>,
) -> io::Result<(Vec<u8>, Peeked<'_>)> {
    let mut bytes = Vec::new();
    while bytes.len() < max {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            break;
        }
        let room = max.saturating_sub(bytes.len()).min(buf.len());
        let part = buf.get(..room).unwrap_or(buf);
        let (take, found) = match stop.and_then(|s| part.iter().position(|b| *b == s)) {
            Some(i) => (i.saturating_add(1), true),
            None => (part.len(), false),
        };
        bytes.extend_from_slice(part.get(..take).unwrap_or(part));
        input.consume(take);
        if found {
            break;
        }
    }
    let again = Cursor::new(bytes.clone());
    Ok((bytes, again.chain(input)))
}

/// Drops a UTF-8 byte order mark at the start of `input`, even when its three
/// bytes arrive in separate reads; anything else is given back untouched.
pub fn skip_bom(input: &mut dyn BufRead) -> io::Result<Peeked<'_>> {
    let mut matched = 0usize;
    while let Some(&want) = BOM.get(matched) {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.first() != Some(&want) {
            break;
        }
        input.consume(1);
        matched = matched.saturating_add(1);
    }
    let back = if matched == BOM.len() {
        Vec::new()
    } else {
        BOM.get(..matched).unwrap_or_default().to_vec()
    };
    Ok(Cursor::new(back).chain(input))
}

/// A test reader handing out 1 to 7 bytes per `fill_buf`, cycling, so every
/// buffer boundary case is met.
#[cfg(test)]
pub struct Chunky<'a> {
    data: &'a [u8],
    step: usize,
}

#[cfg(test)]
impl<'a> Chunky<'a> {
    /// Reads `data` in tiny chunks.
    pub fn new(data: &'a [u8]) -> Self {
        Chunky { data, step: 0 }
    }

    fn size(&self) -> usize {
        (self.step % 7 + 1).min(self.data.len())
    }
}

#[cfg(test)]
impl Read for Chunky<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.size().min(out.len());
        out[..n].copy_from_slice(&self.data[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
impl BufRead for Chunky<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        Ok(&self.data[..self.size()])
    }

    fn consume(&mut self, amt: usize) {
        self.data = &self.data[amt.min(self.data.len())..];
        self.step += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(mut r: impl Read) -> Vec<u8> {
        let mut v = Vec::new();
        r.read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    fn head_gives_everything_back() {
        let data = b"a,b;c\nrow1\nrow2\n";
        let mut r = Chunky::new(data);
        let (h, rest) = head(&mut r, 1000, Some(b'\n')).unwrap();
        assert_eq!(h, b"a,b;c\n");
        assert_eq!(all(rest), data);
        let mut r = Chunky::new(data);
        let (h, rest) = head(&mut r, 4, None).unwrap();
        assert_eq!(h, b"a,b;");
        assert_eq!(all(rest), data);
        let mut r: &[u8] = b"";
        let (h, rest) = head(&mut r, 4, None).unwrap();
        assert!(h.is_empty());
        assert!(all(rest).is_empty());
    }

    #[test]
    fn bom_split_across_reads() {
        let mut r = Chunky::new(b"\xEF\xBB\xBF{\"a\":1}");
        assert_eq!(all(skip_bom(&mut r).unwrap()), b"{\"a\":1}");
        // A partial BOM is not a BOM: the bytes come back.
        let mut r = Chunky::new(b"\xEF\xBBx");
        assert_eq!(all(skip_bom(&mut r).unwrap()), b"\xEF\xBBx");
        let mut r: &[u8] = b"";
        assert!(all(skip_bom(&mut r).unwrap()).is_empty());
    }
}
