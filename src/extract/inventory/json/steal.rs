//! Record objects read past serde's streaming reader: their bytes taken
//! in whole runs and parsed from a slice, serde's positions and the record
//! cap kept as if serde had read every byte.

use super::*;

/// What [`Steal::take_record`] did.
pub(super) enum Taken {
    /// The element is no object: serde reads it.
    NotHere,
    /// The record, read; its closing bracket is left for serde.
    Record(Box<Record>),
    /// The record could not be read (the reason is kept by the source).
    Failed,
}

/// Reads a record object past serde (see [`Source`]).
pub(super) trait Steal {
    /// Called when serde has just peeked the first byte of a record-array
    /// element (`depth` arrays and objects deep); the record keeps the keys
    /// in `keep`.
    fn take_record(&self, depth: usize, keep: Keep<'static>) -> Taken;
}

/// Why a record read past serde failed: serde's error for it, as it would
/// have reported it reading the whole value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failure {
    pub(super) problem: JsonProblem,
    pub(super) line: usize,
    pub(super) column: usize,
}

/// What a [`Source`] knows when serde is done with the value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Finish {
    pub(super) failure: Option<Failure>,
    /// Where serde stood (line, column) after the last record read past it,
    /// and where it would have stood seeing every byte; `None` when no
    /// record was.
    shift: Option<((usize, usize), (usize, usize))>,
}

impl Finish {
    /// serde's position `(line, column)` of an error (made after the last
    /// record read past it) where serde would have put it seeing every byte.
    pub(super) fn position(&self, line: usize, column: usize) -> (usize, usize) {
        let Some(((serde_line, serde_column), (true_line, true_column))) = self.shift else {
            return (line, column);
        };
        if line == 0 {
            return (line, column);
        }
        let line_shift = true_line.saturating_sub(serde_line);
        let column = if line == serde_line {
            column
                .saturating_sub(serde_column)
                .saturating_add(true_column)
        } else {
            column
        };
        (line.saturating_add(line_shift), column)
    }
}

/// The ValueReader's counting state, to be put back when a record read past
/// serde fails and is read again through the counting.
#[derive(Debug, Clone, Copy)]
pub(super) struct Counts {
    delivered: u64,
    in_record: u64,
    reset: bool,
}

/// The bytes of one top-level value (first those already read into memory,
/// then the rest from the [`ValueReader`]) for serde's streaming reader,
/// which gets them one byte at a time. Record objects are handed to serde
/// as `{}`: their bytes are taken here in whole runs and parsed from a slice,
/// which is several times faster. Everything serde reports is kept as it
/// would have been: the line and column of its errors are corrected by the
/// bytes it did not see, the record cap counts every byte, and a record that
/// does not parse (or is over the cap, or cannot be read) is read again by
/// serde's streaming reader, placed at the same line, column and nesting,
/// with its bytes counted one at a time as before and the input after it,
/// for the error serde gives and the bytes it pulls.
pub(super) struct Source<'v, 'a, R: BufRead + ?Sized> {
    small: &'v [u8],
    pos: usize,
    value: &'v mut ValueReader<'a, R>,
    /// Line and column after the last byte pulled, over every byte.
    pub(super) line: usize,
    pub(super) column: usize,
    /// serde's own count (of the bytes it pulled itself).
    serde_line: usize,
    serde_column: usize,
    last: Option<u8>,
    pub(super) failure: Option<Failure>,
    /// See [`Finish::shift`].
    shift: Option<((usize, usize), (usize, usize))>,
    /// The record being read (reused).
    record: Vec<u8>,
}

impl<'v, 'a, R: BufRead + ?Sized> Source<'v, 'a, R> {
    pub(super) fn new(small: &'v [u8], value: &'v mut ValueReader<'a, R>) -> Self {
        Source {
            small,
            pos: 0,
            value,
            line: 1,
            column: 0,
            serde_line: 1,
            serde_column: 0,
            last: None,
            failure: None,
            shift: None,
            record: Vec::new(),
        }
    }

    pub(super) fn finish(self) -> Finish {
        Finish {
            failure: self.failure,
            shift: self.shift,
        }
    }

    /// Hands the next bytes of the value to serde (counted, and tracked).
    fn pull(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = if let Some(rest) = self.small.get(self.pos..).filter(|r| !r.is_empty()) {
            let n = rest.len().min(out.len());
            if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
                dst.copy_from_slice(src);
            }
            self.pos = self.pos.saturating_add(n);
            n
        } else {
            self.value.read(out)?
        };
        let got = out.get(..n).unwrap_or_default();
        (self.serde_line, self.serde_column) = advance((self.serde_line, self.serde_column), got);
        (self.line, self.column) = advance((self.line, self.column), got);
        if let Some(&b) = got.last() {
            self.last = Some(b);
        }
        Ok(n)
    }

    fn counts(&self) -> Counts {
        Counts {
            delivered: self.value.delivered,
            in_record: self.value.in_record,
            reset: self.value.cap.is_some_and(|c| c.reset.get()),
        }
    }

    fn restore(&mut self, c: Counts) {
        self.value.delivered = c.delivered;
        self.value.in_record = c.in_record;
        if let Some(cap) = self.value.cap {
            cap.reset.set(c.reset);
            cap.tripped.set(false);
        }
    }

    /// Reads the record whose `{` serde has just pulled, up to (not
    /// including) its closing bracket.
    fn take(&mut self, depth: usize, keep: Keep<'static>) -> Taken {
        if self.last != Some(b'{') {
            return Taken::NotHere;
        }
        let at = (self.line, self.column);
        let counts = self.counts();
        let mut rec = std::mem::take(&mut self.record);
        rec.clear();
        rec.resize(depth, b'[');
        rec.push(b'{');
        let body_start = rec.len();
        let mut from_small = 0usize;
        let mut scan = Scan {
            bracketed: true,
            depth: 1,
            in_str: false,
            esc: false,
            done: false,
        };
        let mut ok = true;
        let closer = loop {
            let in_small = self.pos < self.small.len();
            // Where the record ends, when the reader's scan marked it
            // within its buffer (the record is not scanned a second time).
            let mut end = None;
            if !in_small {
                if self.value.fill_buf().is_err() {
                    ok = false;
                    break None;
                }
                if rec.len() == body_start {
                    end = self.value.record_end(depth);
                }
            }
            let chunk: &[u8] = if in_small {
                self.small.get(self.pos..).unwrap_or_default()
            } else {
                self.value.buf.get(self.value.pos..).unwrap_or_default()
            };
            if chunk.is_empty() {
                break None;
            }
            let n = match end {
                Some(e) => {
                    scan.done = true;
                    e.saturating_add(1)
                }
                None => scan.take(chunk),
            };
            // Tests check that the marked end is the one a scan finds.
            #[cfg(test)]
            if end.is_some() {
                let mut check = Scan::new(b'{');
                check.depth = 1;
                assert_eq!((check.take(chunk), check.done), (n, true));
            }
            let body = if scan.done { n.saturating_sub(1) } else { n };
            let closer = if scan.done {
                chunk.get(body).copied()
            } else {
                None
            };
            rec.extend_from_slice(chunk.get(..body).unwrap_or_default());
            if in_small {
                self.pos = self.pos.saturating_add(body);
                from_small = from_small.saturating_add(body);
            } else {
                self.value.consume(body);
                if self.value.deliver(body).is_err() {
                    ok = false;
                    break None;
                }
            }
            if scan.done {
                break closer;
            }
        };
        if let (true, Some(c)) = (ok, closer) {
            rec.push(c);
            rec.resize(rec.len().saturating_add(depth), b']');
            // Checked as UTF-8 in one pass, the record is parsed as text (see
            // read_records); one that is not is read again below.
            // A plain record is read straight from its text (the same
            // entries serde builds); any other by serde.
            let parsed = std::str::from_utf8(&rec).ok().and_then(|text| {
                let plain = keep.and_then(|keys| {
                    let object = text.get(depth..text.len() - depth)?;
                    let room = LAST_KEPT.with(Cell::get).min(keys.len());
                    fast_record::kept_entries(object, keys, room)
                });
                match plain {
                    Some(entries) => {
                        LAST_KEPT.with(|last| last.set(entries.len()));
                        Some(Record::Kept(entries))
                    }
                    None => (Nested { depth, keep })
                        .deserialize(&mut serde_json::Deserializer::from_str(text))
                        .ok(),
                }
            });
            if let Some(v) = parsed {
                let body = rec
                    .get(body_start..rec.len() - depth - 1)
                    .unwrap_or_default();
                (self.line, self.column) = advance((self.line, self.column), body);
                self.shift = Some((
                    (self.serde_line, self.serde_column),
                    (self.line, self.column),
                ));
                self.record = rec;
                return Taken::Record(Box::new(v));
            }
            rec.truncate(rec.len() - depth - 1);
        }
        // serde's streaming reader reads the record again, at the same line,
        // column and nesting, counting its bytes as before, then the input
        // after it: its error, and the bytes it pulls, are the ones it gave.
        self.restore(counts);
        let body = rec.get(body_start..).unwrap_or_default();
        let err = {
            let input = Replay {
                pad: pad(at, depth),
                body,
                pos: 0,
                from_small,
                src: &mut *self,
            };
            match Value::deserialize(&mut serde_json::Deserializer::from_reader(input)) {
                Err(e) => e,
                // Cannot happen (the same bytes failed): say where it ended.
                Ok(_) => serde_json::Error::io(std::io::Error::other("unreadable record")),
            }
        };
        let problem = match describe(&err) {
            Reason::Json { problem, .. } => problem,
            _ => JsonProblem::Syntax,
        };
        self.failure = Some(Failure {
            problem,
            line: err.line(),
            column: err.column(),
        });
        self.record = rec;
        Taken::Failed
    }
}

/// `(line, column)` after `bytes`, counted as serde counts them.
pub(super) fn advance((line, column): (usize, usize), bytes: &[u8]) -> (usize, usize) {
    if let [b] = bytes {
        return if *b == b'\n' {
            (line.saturating_add(1), 0)
        } else {
            (line, column.saturating_add(1))
        };
    }
    match memchr::memrchr(b'\n', bytes) {
        Some(i) => (
            line.saturating_add(memchr::memchr_iter(b'\n', bytes).count()),
            bytes.len() - i - 1,
        ),
        None => (line, column.saturating_add(bytes.len())),
    }
}

/// What serde reads before a record replayed at `(line, column)`: the
/// containers it sits in (an object's array, or a top-level array's page's
/// array), newlines and spaces to reach its place, and its `{`. Made byte by
/// byte (a record far down a large export needs many newlines).
pub(super) fn pad((line, column): (usize, usize), depth: usize) -> impl Iterator<Item = u8> {
    let open: &'static [u8] = if depth >= 3 { b"[{\"\":[" } else { b"{\"\":[" };
    let (newlines, spaces) = if line > 1 {
        (line - 1, column.saturating_sub(1))
    } else {
        (0, column.saturating_sub(1).saturating_sub(open.len()))
    };
    open.iter()
        .copied()
        .chain(std::iter::repeat_n(b'\n', newlines))
        .chain(std::iter::repeat_n(b' ', spaces))
        .chain(std::iter::once(b'{'))
}

impl<R: BufRead + ?Sized> Steal for RefCell<Source<'_, '_, R>> {
    fn take_record(&self, depth: usize, keep: Keep<'static>) -> Taken {
        match self.try_borrow_mut() {
            Ok(mut s) => s.take(depth, keep),
            Err(_) => Taken::NotHere,
        }
    }
}

/// serde's reader of a [`Source`].
pub(super) struct Shared<'r, 'v, 'a, R: BufRead + ?Sized>(
    pub(super) &'r RefCell<Source<'v, 'a, R>>,
);

impl<R: BufRead + ?Sized> Read for Shared<'_, '_, '_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().pull(out)
    }
}

/// A failed record again, for serde's streaming reader: the pad, then the
/// record's bytes (those that came from the reader counted one at a time
/// against the cap, as serde's reads counted them), then the value's next
/// bytes from the source.
pub(super) struct Replay<'r, 'v, 'a, R: BufRead + ?Sized, P> {
    pad: P,
    body: &'r [u8],
    pos: usize,
    /// How many of `body`'s bytes came from memory (not counted).
    from_small: usize,
    src: &'r mut Source<'v, 'a, R>,
}

impl<R: BufRead + ?Sized, P: Iterator<Item = u8>> Read for Replay<'_, '_, '_, R, P> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let Some(slot) = out.first_mut() else {
            return Ok(0);
        };
        if let Some(b) = self.pad.next() {
            *slot = b;
            return Ok(1);
        }
        match self.body.get(self.pos) {
            Some(&b) => {
                if self.pos >= self.from_small && self.src.value.deliver(1).is_err() {
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        "record over the size limit",
                    ));
                }
                *slot = b;
                self.pos += 1;
                Ok(1)
            }
            None => self.src.pull(out),
        }
    }
}
