//! A reader that bounds how many bytes one record of an export may span.
//!
//! The CSV and XML parsers buffer a whole row, tag or text before they hand
//! it over, so a 537 MB header line or a 1 GB element would be in memory
//! before any check on the parsed value could run. [`Metered`] sits below the
//! parser: the adapter marks where each record begins, and the reader fails
//! (an I/O error to the parser) once the bytes read since that mark pass the
//! limit, so at most the limit plus one read buffer is ever buffered.

use std::cell::Cell;
use std::io::{self, BufRead, Read};

/// Slack for the parser's own read buffer (the CSV reader reads ahead up to
/// its buffer size before it knows where a record ends).
pub const READ_AHEAD: u64 = 64 * 1024;

/// A reader counting the bytes consumed and failing past `max` bytes since
/// the last mark.
#[derive(Debug)]
pub struct Metered<R> {
    inner: R,
    consumed: u64,
    mark: Cell<u64>,
    max: u64,
    tripped: Cell<bool>,
}

impl<R> Metered<R> {
    /// Wraps `inner`; records may span at most `max` bytes (plus [`READ_AHEAD`]).
    pub fn new(inner: R, max: u64) -> Self {
        Metered {
            inner,
            consumed: 0,
            mark: Cell::new(0),
            max: max.max(1),
            tripped: Cell::new(false),
        }
    }

    /// A record begins at byte `at` of the stream.
    pub fn mark_at(&self, at: u64) {
        self.mark.set(at);
    }

    /// A record begins at the next byte not yet consumed.
    pub fn mark_here(&self) {
        self.mark.set(self.consumed);
    }

    /// Where the current record began.
    pub fn mark(&self) -> u64 {
        self.mark.get()
    }

    /// The limit (bytes).
    pub fn limit(&self) -> u64 {
        self.max
    }

    /// Whether the limit was hit (the parser's I/O error came from here).
    pub fn tripped(&self) -> bool {
        self.tripped.get()
    }

    fn check(&self) -> io::Result<()> {
        let span = self.consumed.saturating_sub(self.mark.get());
        if span > self.max.saturating_add(READ_AHEAD) {
            self.tripped.set(true);
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("a record is larger than the limit of {} bytes", self.max),
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.check()?;
        let n = self.inner.read(buf)?;
        self.consumed = self.consumed.saturating_add(n as u64);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Metered<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.check()?;
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.consumed = self.consumed.saturating_add(amt as u64);
        self.inner.consume(amt);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fails_past_the_limit_since_the_mark_and_marks_move_it() {
        let data = vec![b'x'; 300 * 1024];
        let mut m = Metered::new(&data[..], 100 * 1024);
        let mut buf = [0u8; 16 * 1024];
        let mut total = 0usize;
        let err = loop {
            match m.read(&mut buf) {
                Ok(0) => panic!("read to the end"),
                Ok(n) => total += n,
                Err(e) => break e,
            }
        };
        assert!(m.tripped());
        assert!(total as u64 <= 100 * 1024 + READ_AHEAD + buf.len() as u64);
        assert!(err.to_string().contains("limit of 102400 bytes"));
        // Moving the mark along lets a long stream of short records through.
        let mut m = Metered::new(&data[..], 100 * 1024);
        let mut total = 0usize;
        loop {
            let n = m.fill_buf().unwrap().len().min(1000);
            if n == 0 {
                break;
            }
            m.consume(n);
            total += n;
            m.mark_here();
        }
        assert_eq!(total, data.len());
        assert!(!m.tripped());
    }
}
