//! One top-level JSON value of a reader at a time: its end found by a
//! bracket scan, its bytes counted against the record size cap.

use super::*;

/// The record size limit while serde reads a value: the visitors ask for a
/// new count at each record, the [`ValueReader`] counts the bytes it hands
/// to serde and fails the read (an I/O error to serde) past the limit, so a
/// huge record or string is never buffered.
#[derive(Debug)]
pub struct RecordCap {
    pub(super) max: u64,
    pub(super) reset: Cell<bool>,
    pub(super) tripped: Cell<bool>,
}

impl RecordCap {
    /// A cap of `max` bytes per record.
    pub fn new(max: u64) -> Self {
        RecordCap {
            max,
            reset: Cell::new(false),
            tripped: Cell::new(false),
        }
    }

    /// A new record starts: its bytes are counted from here.
    pub(super) fn next_record(&self) {
        self.reset.set(true);
    }
}

/// Counts the bytes consumed from a reader (to give byte offsets).
pub(super) struct Counting<'a> {
    pub(super) inner: &'a mut dyn BufRead,
    pub(super) count: &'a Cell<u64>,
}

impl Read for Counting<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get().saturating_add(n as u64));
        Ok(n)
    }
}

impl BufRead for Counting<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count.set(self.count.get().saturating_add(amt as u64));
        self.inner.consume(amt);
    }
}

/// Where the scan of one top-level value stands. A value starting with `{`
/// or `[` ends where its brackets balance (brackets inside strings, and
/// escaped quotes, do not count); any other value ends before whitespace or
/// the next `{` / `[` (such a value is never valid and is reported).
#[derive(Debug, Clone, Copy)]
pub(super) struct Scan {
    pub(super) bracketed: bool,
    pub(super) depth: usize,
    pub(super) in_str: bool,
    pub(super) esc: bool,
    pub(super) done: bool,
}

impl Scan {
    pub(super) fn new(first: u8) -> Self {
        Scan {
            bracketed: first == b'{' || first == b'[',
            depth: 0,
            in_str: false,
            esc: false,
            done: false,
        }
    }

    /// How many bytes at the start of `buf` belong to the value; sets `done`
    /// when the value ends within them.
    pub(super) fn take(&mut self, buf: &[u8]) -> usize {
        self.take_marking(buf, &mut |_, _| {})
    }

    /// [`Scan::take`], calling `closed(i, depth)` for each closing bracket
    /// (at `buf[i]`) that leaves the nesting at `depth` <= [`MARKED_DEPTH`].
    #[inline]
    fn take_marking(&mut self, buf: &[u8], closed: &mut impl FnMut(usize, usize)) -> usize {
        if self.done {
            return 0;
        }
        if !self.bracketed {
            return match buf
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'{' || *b == b'[')
            {
                Some(n) => {
                    self.done = true;
                    n
                }
                None => buf.len(),
            };
        }
        let mut i = 0usize;
        while let Some(&b) = buf.get(i) {
            i = i.saturating_add(1);
            if self.in_str {
                if self.esc {
                    self.esc = false;
                } else if b == b'\\' {
                    self.esc = true;
                } else if b == b'"' {
                    self.in_str = false;
                } else {
                    // Skip ahead to the next quote or backslash.
                    let rest = buf.get(i..).unwrap_or_default();
                    let skip = memchr::memchr2(b'"', b'\\', rest).unwrap_or(rest.len());
                    i = i.saturating_add(skip);
                }
                continue;
            }
            match b {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth = self.depth.saturating_add(1),
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
                    if self.depth <= MARKED_DEPTH {
                        closed(i.saturating_sub(1), self.depth);
                    }
                    if self.depth == 0 {
                        self.done = true;
                        return i;
                    }
                }
                _ => {}
            }
        }
        i
    }
}

/// The deepest nesting after a closing bracket that [`ValueReader`] marks:
/// records sit at most this deep (in an array of a page in an array).
pub(super) const MARKED_DEPTH: usize = 3;

/// Values that end within this many bytes are parsed from memory.
pub(super) const SMALL: usize = 1 << 20;

/// Size of the [`ValueReader`] buffer.
pub(super) const VALUE_BUF: usize = 64 * 1024;

/// Passes through the bytes of exactly one top-level JSON value of the
/// underlying reader and reports the end of input at the value's end, so
/// serde_json reads one value and the next one stays in the input.
pub struct ValueReader<'a, R: BufRead + ?Sized> {
    pub(super) inner: &'a mut R,
    scan: Scan,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    pub(super) cap: Option<&'a RecordCap>,
    /// Bytes handed out by `read` since the current record began.
    pub(super) in_record: u64,
    /// Bytes handed out by `read` in all.
    pub(super) delivered: u64,
    /// Where in `buf` a closing bracket leaves the value's nesting at most
    /// [`MARKED_DEPTH`] deep, and that depth, in order; `closes_from`
    /// indexes the first not before `pos`.
    closes: Vec<(usize, usize)>,
    closes_from: usize,
}

impl<'a, R: BufRead + ?Sized> ValueReader<'a, R> {
    /// Starts a value whose first byte (not yet consumed) is `first`;
    /// `buf` is reused as the internal buffer.
    pub fn new(inner: &'a mut R, first: u8, mut buf: Vec<u8>) -> Self {
        buf.clear();
        ValueReader {
            inner,
            scan: Scan::new(first),
            buf,
            pos: 0,
            cap: None,
            in_record: 0,
            delivered: 0,
            closes: Vec::new(),
            closes_from: 0,
        }
    }

    /// Where the record whose `{` was the last byte handed out ends, when
    /// that is within the buffer: the index in `buf[pos..]` of its closing
    /// bracket. `depth` is the nesting around the record (its `{` made it
    /// `depth + 1` deep). The value's bytes up to here are valid JSON (serde
    /// read them), so the bracket where the nesting is back at `depth` is
    /// the one that closes the record, as scanning the record finds it.
    pub(super) fn record_end(&mut self, depth: usize) -> Option<usize> {
        while self
            .closes
            .get(self.closes_from)
            .is_some_and(|&(at, _)| at < self.pos)
        {
            self.closes_from = self.closes_from.saturating_add(1);
        }
        let rest = self.closes.get(self.closes_from..)?;
        let &(at, _) = rest.iter().find(|&&(_, d)| d <= depth)?;
        at.checked_sub(self.pos)
    }

    /// Fails `read` once a record exceeds `cap` (see [`RecordCap`]).
    pub fn with_cap(mut self, cap: &'a RecordCap) -> Self {
        self.cap = Some(cap);
        self
    }

    /// Bytes handed out through [`Read::read`] so far.
    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// Counts `n` bytes handed out; an error past the record cap.
    #[inline]
    fn count(&mut self, n: usize) -> std::io::Result<()> {
        self.delivered = self.delivered.saturating_add(n as u64);
        let Some(cap) = self.cap else {
            return Ok(());
        };
        if cap.reset.take() {
            self.in_record = 0;
        }
        self.in_record = self.in_record.saturating_add(n as u64);
        if self.in_record > cap.max {
            cap.tripped.set(true);
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "record over the size limit",
            ));
        }
        Ok(())
    }

    /// Counts `n` bytes taken past `read` (already consumed) exactly as `n`
    /// one-byte reads would: at the byte that goes over the cap (counted as
    /// delivered, as `read` counts it) an error with the number of bytes
    /// before it.
    pub(super) fn deliver(&mut self, n: usize) -> Result<(), usize> {
        let Some(cap) = self.cap else {
            self.delivered = self.delivered.saturating_add(n as u64);
            return Ok(());
        };
        if n == 0 {
            return Ok(());
        }
        if cap.reset.take() {
            self.in_record = 0;
        }
        let room = cap.max.saturating_sub(self.in_record);
        if (n as u64) <= room {
            self.delivered = self.delivered.saturating_add(n as u64);
            self.in_record = self.in_record.saturating_add(n as u64);
            return Ok(());
        }
        let upto = room.saturating_add(1);
        self.delivered = self.delivered.saturating_add(upto);
        self.in_record = self.in_record.saturating_add(upto);
        cap.tripped.set(true);
        Err(usize::try_from(room).unwrap_or(usize::MAX))
    }

    /// Copies the next part of the value from the underlying reader into the
    /// buffer (when the buffer is used up).
    fn refill(&mut self) -> std::io::Result<()> {
        if self.pos < self.buf.len() || self.scan.done {
            return Ok(());
        }
        self.buf.clear();
        self.pos = 0;
        self.closes.clear();
        self.closes_from = 0;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                // The input ends inside the value: serde_json reports it truncated.
                self.scan.done = true;
                return Ok(());
            }
            let part = avail.get(..VALUE_BUF.min(avail.len())).unwrap_or(avail);
            let closes = &mut self.closes;
            let n = self
                .scan
                .take_marking(part, &mut |i, depth| closes.push((i, depth)));
            self.buf
                .extend_from_slice(part.get(..n).unwrap_or_default());
            self.inner.consume(n);
            return Ok(());
        }
    }

    /// Appends the value's next bytes to `out` until it holds `max` bytes or
    /// the value ends.
    pub fn read_up_to(&mut self, out: &mut Vec<u8>, max: usize) -> std::io::Result<()> {
        while out.len() < max {
            let avail = self.fill_buf()?;
            if avail.is_empty() {
                return Ok(());
            }
            let n = avail.len().min(max.saturating_sub(out.len()));
            out.extend_from_slice(avail.get(..n).unwrap_or_default());
            self.consume(n);
        }
        Ok(())
    }

    /// Whether every byte of the value has been read.
    pub fn finished(&self) -> bool {
        self.scan.done && self.pos >= self.buf.len()
    }

    /// Reads the rest of the value and drops it.
    pub fn drain(&mut self) -> std::io::Result<()> {
        loop {
            self.pos = self.buf.len();
            self.refill()?;
            if self.pos >= self.buf.len() {
                return Ok(());
            }
        }
    }

    /// The internal buffer, for reuse by the next value.
    pub fn into_buffer(self) -> Vec<u8> {
        self.buf
    }
}

impl<R: BufRead + ?Sized> Read for ValueReader<'_, R> {
    #[inline]
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if let ([slot], Some(&b)) = (&mut *out, self.buf.get(self.pos)) {
            // serde_json reads byte by byte: the fast path.
            self.count(1)?;
            *slot = b;
            self.pos = self.pos.saturating_add(1);
            return Ok(1);
        }
        let avail = self.fill_buf()?;
        let n = avail.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.consume(n);
        self.count(n)?;
        Ok(n)
    }
}

impl<R: BufRead + ?Sized> BufRead for ValueReader<'_, R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.refill()?;
        Ok(self.buf.get(self.pos..).unwrap_or_default())
    }

    fn consume(&mut self, amt: usize) {
        self.pos = self.pos.saturating_add(amt).min(self.buf.len());
    }
}
