//! Streaming JSON reading for device exports.
//!
//! Accepts a single record object, an object holding a record array under a
//! known key (`value`, `devices`, `Devices`, `results`, `mobile_devices`), a bare
//! array of records or of pages, several pages concatenated, and JSON lines.
//! The input is read from a [`BufRead`] one top-level value at a time, and
//! record arrays are streamed element by element (serde `SeqAccess`), so only
//! one record is held as a JSON tree at a time, whatever the export's size.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::note::{JsonProblem, Note, Reason, Unit};
use super::{peek, InventoryError, MAX_WARNINGS};

/// Keys under which exports carry their record arrays.
pub const RECORD_KEYS: &[&str] = &["value", "devices", "Devices", "results", "mobile_devices"];

/// Keys with which a page (an object with a record array) links to the
/// export's next page: Microsoft Graph's `@odata.nextLink` and the Android
/// Management API's `nextPageToken`. A page that has one is not the last.
pub const NEXT_PAGE_KEYS: &[&str] = &["@odata.nextLink", "nextPageToken"];

/// Keys with which a page says how many records the export has in all:
/// Workspace ONE's `Total` (beside `Page` and `PageSize`), the Jamf Pro
/// API's `totalCount` and Microsoft Graph's `@odata.count` (the count of the
/// whole collection, not of the page: OData leaves `$top` and `$skip` out of
/// it; the recorded Intune `managedDevices` response gives it).
pub const TOTAL_KEYS: &[&str] = &["Total", "totalCount", "@odata.count"];

/// What the pages read so far said of the export's pages.
#[derive(Debug, Default)]
struct LastPage {
    /// The link key of the last page read, when that page links to a
    /// further page (`None`: no page read yet, or the last one links to none).
    link: Cell<Option<&'static str>>,
    /// The total of the last page that gives one.
    total: Cell<Option<PageTotal>>,
}

impl LastPage {
    /// Takes what a page said, at its end.
    fn end(&self, says: PageSays) {
        self.link.set(says.link);
        if let Some((key, total)) = says.total {
            self.total.set(Some(PageTotal {
                key,
                total,
                page: says.page,
                page_size: says.page_size,
            }));
        }
    }

    /// The note for a file whose pages say the export has another number
    /// of records in all than the `records` the file holds.
    fn total_note(&self, records: usize) -> Option<Note> {
        let t = self.total.get()?;
        let records = records as u64;
        (t.total != records).then_some(Note::PageTotal {
            key: t.key,
            total: t.total,
            records,
            page: t.page,
            page_size: t.page_size,
        })
    }
}

/// A page's total and where it stands.
#[derive(Debug, Clone, Copy)]
struct PageTotal {
    key: &'static str,
    total: u64,
    page: Option<u64>,
    page_size: Option<u64>,
}

/// What one object said of its page, besides its records: a link to a
/// further page, the total and the page's number and size (each a whole
/// number from 0; anything else is nothing said).
#[derive(Debug, Default)]
struct PageSays {
    link: Option<&'static str>,
    total: Option<(&'static str, u64)>,
    page: Option<u64>,
    page_size: Option<u64>,
}

impl PageSays {
    /// Reads the value of key `k` of an object into `rest` as
    /// [`keep_value`] does, noting it when it is a page key.
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        map: &mut A,
        keep: Keep<'_>,
        k: String,
        rest: &mut serde_json::Map<String, Value>,
    ) -> Result<(), A::Error> {
        if let Some(key) = next_page_key(&k) {
            let link = page_value(map, keep, k, rest, |v| links(v).then_some(key))?;
            self.link = link.or(self.link);
        } else if let Some(key) = TOTAL_KEYS.iter().copied().find(|t| *t == k) {
            let n = page_value(map, keep, k, rest, Value::as_u64)?;
            self.total = n.map(|n| (key, n)).or(self.total);
        } else if k == "Page" {
            self.page = page_value(map, keep, k, rest, Value::as_u64)?.or(self.page);
        } else if k == "PageSize" {
            self.page_size = page_value(map, keep, k, rest, Value::as_u64)?.or(self.page_size);
        } else {
            keep_value(map, keep, k, rest)?;
        }
        Ok(())
    }
}

/// The [`NEXT_PAGE_KEYS`] entry `k` is, if any.
fn next_page_key(k: &str) -> Option<&'static str> {
    NEXT_PAGE_KEYS.iter().copied().find(|n| *n == k)
}

/// Whether the value of a next-page key links somewhere (a non-empty
/// text; Graph leaves the key out on the last page, others give `null` or
/// `""`).
fn links(v: &Value) -> bool {
    v.as_str().is_some_and(|s| !s.trim().is_empty())
}

/// Describes a serde_json error by kind and position only — never by content,
/// which may be personal data.
pub fn describe(e: &serde_json::Error) -> Reason {
    describe_at(e, None)
}

/// [`describe`], with the problem's byte offset in the export.
fn describe_at(e: &serde_json::Error, byte: Option<u64>) -> Reason {
    use serde_json::error::Category;
    // serde_json names these two syntax errors by their message alone
    // (which never holds content).
    let message = e.to_string();
    let problem = match e.classify() {
        Category::Syntax if message.starts_with("recursion limit exceeded") => JsonProblem::TooDeep,
        Category::Syntax if message.starts_with("number out of range") => {
            JsonProblem::NumberOutOfRange
        }
        Category::Syntax => JsonProblem::Syntax,
        Category::Eof => JsonProblem::Truncated,
        Category::Data => JsonProblem::WrongType,
        Category::Io => JsonProblem::Read,
    };
    Reason::Json {
        problem,
        line: e.line(),
        column: e.column(),
        byte,
    }
}

/// The byte offset of (1-based) `line` and `column` in `text` (clamped to its length).
fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line {
        match text
            .get(start..)
            .and_then(|t| t.iter().position(|b| *b == b'\n'))
        {
            Some(i) => start = start.saturating_add(i).saturating_add(1),
            None => break,
        }
    }
    start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}

/// The record size limit while serde reads a value: the visitors ask for a
/// new count at each record, the [`ValueReader`] counts the bytes it hands
/// to serde and fails the read (an I/O error to serde) past the limit, so a
/// huge record or string is never buffered.
#[derive(Debug)]
pub struct RecordCap {
    max: u64,
    reset: Cell<bool>,
    tripped: Cell<bool>,
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
    fn next_record(&self) {
        self.reset.set(true);
    }
}

/// Counts the bytes consumed from a reader (to give byte offsets).
struct Counting<'a> {
    inner: &'a mut dyn BufRead,
    count: &'a Cell<u64>,
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

/// Calls `sink` with each record of a JSON export read from `input`.
/// Returns the warnings for top-level values that could not be read; fails
/// when nothing could be read. A record (an element of a record array, or a
/// top-level value that is not a page) over `max_record` bytes stops the
/// top-level value it is in, before it is buffered: the value is skipped to
/// its end (without buffering) and reading goes on with the next one.
///
/// Reading is streaming: each top-level value is passed to serde_json through
/// a [`ValueReader`] that ends at the value's last byte, and record arrays
/// (also those of pages inside a top-level array) are visited element by
/// element, so only one record is held as a JSON tree at a time. A broken
/// value is read to its end (by bracket matching) and skipped.
pub fn for_each_record(
    input: &mut dyn BufRead,
    max_record: u64,
    mut sink: impl FnMut(Value),
) -> Result<Vec<Note>, InventoryError> {
    read_records(input, max_record, true, None, |r| sink(r.into_value()))
}

/// [`for_each_record`], each record object holding only the keys `keep`
/// names ([`Keep`]; all with `None`): the same records, warnings and
/// errors, the other keys' values checked as serde checks them but never
/// built. A record object of a record array comes as its kept entries
/// ([`Record::Kept`]: no tree built, no key allocated), anything else as a
/// value; the keep list is a constant of the adapter.
pub fn for_each_record_keeping(
    input: &mut dyn BufRead,
    max_record: u64,
    keep: Keep<'static>,
    sink: impl FnMut(Record),
) -> Result<Vec<Note>, InventoryError> {
    read_records(input, max_record, true, keep, sink)
}

/// The keys of a record object an adapter reads (`None`: all): a key
/// (its whole value), or `key.inner` (of the object under `key`, only
/// `inner`; a value under `key` that is no object is kept whole). An entry
/// is matched as a whole key first, so a key with a dot (`@odata.type`)
/// is kept whole. Values that are not kept are still read and checked as
/// serde checks them.
pub type Keep<'k> = Option<&'k [&'k str]>;

/// [`for_each_record_keeping`]; without `steal`, serde reads every byte of a
/// large value itself (the slower way, kept to check the faster one against).
fn read_records(
    input: &mut dyn BufRead,
    max_record: u64,
    steal: bool,
    keep: Keep<'static>,
    mut sink: impl FnMut(Record),
) -> Result<Vec<Note>, InventoryError> {
    let consumed = Cell::new(0u64);
    let mut counted = Counting {
        inner: input,
        count: &consumed,
    };
    let mut input = peek::skip_bom(&mut counted).map_err(read_error)?;
    let input: &mut dyn BufRead = &mut input;
    let mut count = 0usize;
    let mut values = 0usize;
    // (value number, description), bounded; `more` counts the rest.
    let mut errors: Vec<(usize, Reason)> = Vec::new();
    let mut more = 0usize;
    let mut buf = Vec::new();
    let mut small = Vec::new();
    let cap = RecordCap::new(max_record.max(1));
    let last_page = LastPage::default();
    let small_max = usize::try_from(max_record)
        .unwrap_or(usize::MAX)
        .clamp(1, SMALL);
    while let Some(first) = skip_whitespace(input).map_err(read_error)? {
        values = values.saturating_add(1);
        let start = consumed.get();
        cap.tripped.set(false);
        let mut value =
            ValueReader::new(&mut *input, first, std::mem::take(&mut buf)).with_cap(&cap);
        let mut counting = |v: Record| {
            count = count.saturating_add(1);
            sink(v)
        };
        // A value that ends within SMALL bytes (a JSON line, a small page)
        // is parsed from a slice, which is faster; a larger one is streamed.
        small.clear();
        value
            .read_up_to(&mut small, small_max)
            .map_err(read_error)?;
        let in_slice = value.finished();
        let (res, streamed) = if in_slice {
            // Text checked as UTF-8 in one pass is parsed as text, which
            // serde reads as it reads the bytes (the same values, and errors
            // at the same places) without checking every string again.
            let res = match std::str::from_utf8(&small) {
                Ok(text) => visit_top(
                    serde_json::Deserializer::from_str(text),
                    &cap,
                    &last_page,
                    None,
                    keep,
                    &mut counting,
                ),
                Err(_) => visit_top(
                    serde_json::Deserializer::from_slice(&small),
                    &cap,
                    &last_page,
                    None,
                    keep,
                    &mut counting,
                ),
            };
            (res, None)
        } else {
            let source = RefCell::new(Source::new(&small, &mut value));
            let res = visit_top(
                serde_json::Deserializer::from_reader(Shared(&source)),
                &cap,
                &last_page,
                Some(&source as &dyn Steal).filter(|_| steal),
                keep,
                &mut counting,
            );
            (res, Some(source.into_inner().finish()))
        };
        if let Err(e) = res {
            let pulled_small = small.len() as u64;
            let at = match streamed {
                None => offset_of(&small, e.line(), e.column()) as u64,
                Some(_) => pulled_small.saturating_add(value.delivered()),
            };
            let reason = match streamed {
                _ if cap.tripped.get() => Reason::RecordTooLarge {
                    limit: cap.max,
                    byte: Some(start.saturating_add(at)),
                },
                // A record read past serde failed: serde's own error for it.
                Some(Finish {
                    failure: Some(f), ..
                }) if f.problem == JsonProblem::Read => {
                    return Err(InventoryError::Read(
                        Reason::Json {
                            problem: f.problem,
                            line: f.line,
                            column: f.column,
                            byte: None,
                        }
                        .to_string(),
                    ))
                }
                Some(Finish {
                    failure: Some(f), ..
                }) => Reason::Json {
                    problem: f.problem,
                    line: f.line,
                    column: f.column,
                    byte: Some(start.saturating_add(at)),
                },
                _ if e.classify() == serde_json::error::Category::Io => {
                    return Err(InventoryError::Read(describe(&e).to_string()));
                }
                None => describe_at(&e, Some(start.saturating_add(at))),
                // serde saw only part of the bytes (records were read past
                // it): its position as it would have counted every byte.
                Some(f) => match describe_at(&e, Some(start.saturating_add(at))) {
                    Reason::Json {
                        problem,
                        line,
                        column,
                        byte,
                    } => {
                        let (line, column) = f.position(line, column);
                        Reason::Json {
                            problem,
                            line,
                            column,
                            byte,
                        }
                    }
                    other => other,
                },
            };
            value.drain().map_err(read_error)?;
            if errors.len() < MAX_WARNINGS {
                errors.push((values, reason));
            } else {
                more = more.saturating_add(1);
            }
        }
        buf = value.into_buffer();
    }
    if values == 0 {
        return Err(InventoryError::Empty);
    }
    let several = values > 1;
    let first_error = errors.first().map(|(_, m)| m.clone());
    let mut warnings: Vec<Note> = errors
        .into_iter()
        .map(|(i, reason)| {
            if several {
                Note::Skipped {
                    unit: Unit::JsonValue,
                    number: i as u64,
                    reason,
                }
            } else {
                Note::BrokeAfterRecords(reason)
            }
        })
        .collect();
    if more > 0 {
        warnings.push(Note::MoreUnreadableJson(more));
    }
    // Once per export, whatever the pages before it said: only a file
    // that ends with a page promising more lacks pages.
    if let Some(key) = last_page.link.get() {
        warnings.push(Note::FurtherPage { key });
    }
    // The total of the last page that gives one, against the records of
    // every page of the file.
    warnings.extend(last_page.total_note(count));
    match first_error {
        Some(reason) if count == 0 => Err(InventoryError::Json(reason.to_string())),
        _ => Ok(warnings),
    }
}

/// An input error while reading JSON.
fn read_error(e: std::io::Error) -> InventoryError {
    InventoryError::Read(e.to_string())
}

/// Skips ASCII whitespace; returns the next byte without consuming it, or
/// `None` at the end of the input.
fn skip_whitespace(input: &mut dyn BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let first = buf.get(i).copied();
                input.consume(i);
                return Ok(first);
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

/// Where the scan of one top-level value stands. A value starting with `{`
/// or `[` ends where its brackets balance (brackets inside strings, and
/// escaped quotes, do not count); any other value ends before whitespace or
/// the next `{` / `[` (such a value is never valid and is reported).
#[derive(Debug, Clone, Copy)]
struct Scan {
    bracketed: bool,
    depth: usize,
    in_str: bool,
    esc: bool,
    done: bool,
}

impl Scan {
    fn new(first: u8) -> Self {
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
    fn take(&mut self, buf: &[u8]) -> usize {
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
const MARKED_DEPTH: usize = 3;

/// Values that end within this many bytes are parsed from memory.
const SMALL: usize = 1 << 20;

/// Size of the [`ValueReader`] buffer.
const VALUE_BUF: usize = 64 * 1024;

/// Passes through the bytes of exactly one top-level JSON value of the
/// underlying reader and reports the end of input at the value's end, so
/// serde_json reads one value and the next one stays in the input.
pub struct ValueReader<'a, R: BufRead + ?Sized> {
    inner: &'a mut R,
    scan: Scan,
    buf: Vec<u8>,
    pos: usize,
    cap: Option<&'a RecordCap>,
    /// Bytes handed out by `read` since the current record began.
    in_record: u64,
    /// Bytes handed out by `read` in all.
    delivered: u64,
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
    fn record_end(&mut self, depth: usize) -> Option<usize> {
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
    fn deliver(&mut self, n: usize) -> Result<(), usize> {
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

/// Passes the records of the one top-level value `de` reads to `sink`;
/// with `side`, record objects are read past serde (see [`Source`]).
fn visit_top<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    cap: &RecordCap,
    last_page: &LastPage,
    side: Option<&dyn Steal>,
    keep: Keep<'static>,
    sink: &mut impl FnMut(Record),
) -> serde_json::Result<()> {
    Top {
        sink,
        cap,
        last_page,
        side,
        keep,
    }
    .deserialize(&mut de)?;
    de.end()
}

/// Visits one top-level value: a page object, a record object or an array.
struct Top<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    last_page: &'s LastPage,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for Top<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for Top<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object or array of device records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        loop {
            self.cap.next_record();
            let seed = PageOrRecord {
                sink: &mut *self.sink,
                cap: self.cap,
                last_page: self.last_page,
                side: self.side,
                keep: self.keep,
            };
            if seq.next_element_seed(seed)?.is_none() {
                break;
            }
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut found = false;
        let mut says = PageSays::default();
        while let Some(k) = map.next_key::<String>()? {
            if !found && RECORD_KEYS.contains(&k.as_str()) {
                map.next_value_seed(Elements {
                    sink: &mut *self.sink,
                    cap: self.cap,
                    side: self.side,
                    keep: self.keep,
                })?;
                found = true;
            } else {
                says.read(&mut map, self.keep, k, &mut rest)?;
            }
        }
        if found {
            self.last_page.end(says);
        } else {
            (self.sink)(Record::Value(Value::Object(rest)));
        }
        Ok(())
    }
}

/// An element of a top-level array: a page (an object with an array under a
/// record key, whose elements are streamed to the sink; its other keys are
/// dropped) or a record (passed whole).
struct PageOrRecord<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    last_page: &'s LastPage,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for PageOrRecord<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for PageOrRecord<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page or a device record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut page = false;
        let mut says = PageSays::default();
        while let Some(k) = map.next_key::<String>()? {
            if !page && RECORD_KEYS.contains(&k.as_str()) {
                match map.next_value_seed(ArrayOrValue {
                    sink: &mut *self.sink,
                    cap: self.cap,
                    side: self.side,
                    keep: self.keep,
                })? {
                    None => page = true,
                    Some(v) => match kept(self.keep, &k) {
                        Kept::Whole => insert_repeated(&mut rest, k, v),
                        Kept::Part(outer) => {
                            insert_repeated(&mut rest, k, project(v, self.keep, outer));
                        }
                        Kept::Not => {}
                    },
                }
            } else {
                says.read(&mut map, self.keep, k, &mut rest)?;
            }
        }
        if page {
            self.last_page.end(says);
        } else {
            (self.sink)(Record::Value(Value::Object(rest)));
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        (self.sink)(Record::Value(v));
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        (self.sink)(Record::Value(Value::Bool(v)));
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        (self.sink)(Record::Value(Value::from(v)));
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        (self.sink)(Record::Value(Value::String(v.to_string())));
        Ok(())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(), E> {
        (self.sink)(Record::Value(Value::String(v)));
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        (self.sink)(Record::Value(Value::Null));
        Ok(())
    }
}

/// The value under a record key of an array element: an array is streamed
/// to the sink (`None`: the element is a page); anything else is returned.
struct ArrayOrValue<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        // Inside a top-level array, a page object and this array.
        records(seq, self.cap, self.side, self.keep, 3, self.sink)?;
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        object_from_map(map).map(Some)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_string())))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v)))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

/// The record array under a record key, streamed element by element.
struct Elements<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
}

impl<'de, F: FnMut(Record)> DeserializeSeed<'de> for Elements<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Record)> Visitor<'de> for Elements<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of device records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        // Inside a top-level object and this array.
        records(seq, self.cap, self.side, self.keep, 2, self.sink)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = object_from_map(map)?;
        (self.sink)(Record::Value(v));
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Passes each element of a record array to `sink`, each counted as its own
/// record by `cap`; `depth` is the number of arrays and objects around the
/// elements (serde's nesting budget left for a record depends on it).
fn records<'de, A: SeqAccess<'de>>(
    mut seq: A,
    cap: &RecordCap,
    side: Option<&dyn Steal>,
    keep: Keep<'static>,
    depth: usize,
    sink: &mut impl FnMut(Record),
) -> Result<(), A::Error> {
    loop {
        cap.next_record();
        match seq.next_element_seed(RecordSeed { side, keep, depth })? {
            Some(v) => sink(v),
            None => return Ok(()),
        }
    }
}

/// One element of a record array: a record object read past serde when a
/// [`Steal`] source is at hand, else (and for anything but an object)
/// deserialized by serde.
struct RecordSeed<'s> {
    side: Option<&'s dyn Steal>,
    keep: Keep<'static>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Record;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        let Some(side) = self.side else {
            return record(d, self.keep);
        };
        match side.take_record(self.depth, self.keep) {
            Taken::NotHere => record(d, self.keep),
            Taken::Record(v) => {
                // serde reads the `{` it has peeked and the closing `}` left
                // for it (both counted against the record cap).
                serde::de::IgnoredAny::deserialize(d)?;
                Ok(*v)
            }
            Taken::Failed => Err(serde::de::Error::custom("record unreadable")),
        }
    }
}

/// What [`Steal::take_record`] did.
enum Taken {
    /// The element is no object: serde reads it.
    NotHere,
    /// The record, read; its closing bracket is left for serde.
    Record(Box<Record>),
    /// The record could not be read (the reason is kept by the source).
    Failed,
}

/// Reads a record object past serde (see [`Source`]).
trait Steal {
    /// Called when serde has just peeked the first byte of a record-array
    /// element (`depth` arrays and objects deep); the record keeps the keys
    /// in `keep`.
    fn take_record(&self, depth: usize, keep: Keep<'static>) -> Taken;
}

/// Why a record read past serde failed: serde's error for it, as it would
/// have reported it reading the whole value.
#[derive(Debug, Clone, Copy)]
struct Failure {
    problem: JsonProblem,
    line: usize,
    column: usize,
}

/// What a [`Source`] knows when serde is done with the value.
#[derive(Debug, Clone, Copy)]
struct Finish {
    failure: Option<Failure>,
    /// Where serde stood (line, column) after the last record read past it,
    /// and where it would have stood seeing every byte; `None` when no
    /// record was.
    shift: Option<((usize, usize), (usize, usize))>,
}

impl Finish {
    /// serde's position `(line, column)` of an error (made after the last
    /// record read past it) where serde would have put it seeing every byte.
    fn position(&self, line: usize, column: usize) -> (usize, usize) {
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
struct Counts {
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
struct Source<'v, 'a, R: BufRead + ?Sized> {
    small: &'v [u8],
    pos: usize,
    value: &'v mut ValueReader<'a, R>,
    /// Line and column after the last byte pulled, over every byte.
    line: usize,
    column: usize,
    /// serde's own count (of the bytes it pulled itself).
    serde_line: usize,
    serde_column: usize,
    last: Option<u8>,
    failure: Option<Failure>,
    /// See [`Finish::shift`].
    shift: Option<((usize, usize), (usize, usize))>,
    /// The record being read (reused).
    record: Vec<u8>,
}

impl<'v, 'a, R: BufRead + ?Sized> Source<'v, 'a, R> {
    fn new(small: &'v [u8], value: &'v mut ValueReader<'a, R>) -> Self {
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

    fn finish(self) -> Finish {
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
            let parsed = std::str::from_utf8(&rec).ok().and_then(|text| {
                (Nested { depth, keep })
                    .deserialize(&mut serde_json::Deserializer::from_str(text))
                    .ok()
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
fn advance((line, column): (usize, usize), bytes: &[u8]) -> (usize, usize) {
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
fn pad((line, column): (usize, usize), depth: usize) -> impl Iterator<Item = u8> {
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
struct Shared<'r, 'v, 'a, R: BufRead + ?Sized>(&'r RefCell<Source<'v, 'a, R>>);

impl<R: BufRead + ?Sized> Read for Shared<'_, '_, '_, R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().pull(out)
    }
}

/// A failed record again, for serde's streaming reader: the pad, then the
/// record's bytes (those that came from the reader counted one at a time
/// against the cap, as serde's reads counted them), then the value's next
/// bytes from the source.
struct Replay<'r, 'v, 'a, R: BufRead + ?Sized, P> {
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

/// A record inside `depth` one-element arrays (so serde's nesting budget is
/// the one it has inside the export).
struct Nested {
    depth: usize,
    keep: Keep<'static>,
}

impl<'de> DeserializeSeed<'de> for Nested {
    type Value = Record;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Record, D::Error> {
        if self.depth == 0 {
            record(d, self.keep)
        } else {
            d.deserialize_seq(self)
        }
    }
}

impl<'de> Visitor<'de> for Nested {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a wrapped record")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Record, A::Error> {
        let v = seq
            .next_element_seed(Nested {
                depth: self.depth - 1,
                keep: self.keep,
            })?
            .ok_or_else(|| serde::de::Error::custom("empty wrapper"))?;
        Ok(v)
    }
}

/// How a record keeps one of its keys ([`Keep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kept<'k> {
    /// With its whole value.
    Whole,
    /// An object holding only the keys that `keep` names as `key.inner`
    /// (`key` is the part before the dot).
    Part(&'k str),
    /// Not at all.
    Not,
}

/// How a record keeps key `k` ([`Keep`]).
fn kept<'k>(keep: Keep<'k>, k: &str) -> Kept<'k> {
    let Some(keys) = keep else {
        return Kept::Whole;
    };
    kept_entry(keys, k).map_or(Kept::Not, |(_, how)| how)
}

/// How a record keeps key `k` ([`kept`]) with the keep list `keys`, and the
/// entry of `keys` that decides it (the key itself, or the last `k.inner`);
/// `None` for a key not kept.
fn kept_entry<'k>(keys: &'k [&'k str], k: &str) -> Option<(usize, Kept<'k>)> {
    let mut how = None;
    // Lengths first: most keys differ from most kept ones in length.
    for (i, x) in keys.iter().enumerate() {
        if x.len() == k.len() && *x == k {
            return Some((i, Kept::Whole));
        }
        if x.len() > k.len() && x.as_bytes().get(k.len()) == Some(&b'.') && x.starts_with(k) {
            how = Some((i, Kept::Part(x.get(..k.len()).unwrap_or_default())));
        }
    }
    how
}

/// Whether the object under `outer` keeps its key `k` (`keep` names
/// `outer.k`).
fn kept_inside(keep: Keep<'_>, outer: &str, k: &str) -> bool {
    let len = outer.len().saturating_add(1).saturating_add(k.len());
    keep.is_some_and(|keys| {
        keys.iter().any(|x| {
            x.len() == len
                && x.starts_with(outer)
                && x.as_bytes().get(outer.len()) == Some(&b'.')
                && x.ends_with(k)
        })
    })
}

/// The object `v` (under `outer`) with only the keys `keep` names inside it;
/// anything but an object as it is.
fn project(v: Value, keep: Keep<'_>, outer: &str) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| kept_inside(keep, outer, k))
                .collect(),
        ),
        other => other,
    }
}

/// Reads the value of key `k` of a single record object into `rest` as
/// the record keeps it (see [`kept`]): built as serde builds a [`Value`],
/// or only checked.
fn keep_value<'de, A: MapAccess<'de>>(
    map: &mut A,
    keep: Keep<'_>,
    k: String,
    rest: &mut serde_json::Map<String, Value>,
) -> Result<(), A::Error> {
    match kept(keep, &k) {
        Kept::Whole => {
            let v = map.next_value_seed(Built {
                keep: None,
                inside: None,
            })?;
            insert_repeated(rest, k, v);
        }
        Kept::Part(outer) => {
            let v = map.next_value_seed(Built {
                keep,
                inside: Some(outer),
            })?;
            insert_repeated(rest, k, v);
        }
        Kept::Not => map.next_value_seed(Skip)?,
    }
    Ok(())
}

/// Reads the value of a page key `k` (a next-page link, a total, …):
/// what `said` makes of it. The value is kept in `rest` as [`keep_value`]
/// would keep it (the object may be a record, not a page).
fn page_value<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    keep: Keep<'_>,
    k: String,
    rest: &mut serde_json::Map<String, Value>,
    said: impl FnOnce(&Value) -> T,
) -> Result<T, A::Error> {
    let v = map.next_value_seed(Built {
        keep: None,
        inside: None,
    })?;
    let out = said(&v);
    match kept(keep, &k) {
        Kept::Not => {}
        Kept::Whole => insert_repeated(rest, k, v),
        Kept::Part(outer) => {
            let v = project(v, keep, outer);
            insert_repeated(rest, k, v);
        }
    }
    Ok(out)
}

/// A record as serde_json reads a [`Value`], an object holding only the
/// keys in `keep`: with a keep list, an object is read into its kept
/// entries ([`Record::Kept`]).
fn record<'de, D: Deserializer<'de>>(d: D, keep: Keep<'static>) -> Result<Record, D::Error> {
    match keep {
        None => d
            .deserialize_any(Built { keep, inside: None })
            .map(Record::Value),
        Some(keys) => d.deserialize_any(KeptRecord { keys }),
    }
}

/// A record as [`for_each_record_keeping`] passes it on: the same content
/// as the [`Value`] serde_json reads keeping only the listed keys
/// ([`Record::into_value`] makes that value).
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A record object of a record array read with a keep list: its kept
    /// entries in the order read, each key once (a key repeated with
    /// another value holds the list of its values: `repeat`), spelled as the keep list
    /// spells it. Nothing sorts them into a tree: the adapter looks up a
    /// few dozen keys once ([`super::record::Rec`]).
    Kept(Vec<(&'static str, Value)>),
    /// Any other record: read whole, a single record object, or anything
    /// but an object.
    Value(Value),
}

impl Record {
    /// The record as a [`Value`] (kept entries as an object).
    pub fn into_value(self) -> Value {
        match self {
            Record::Kept(entries) => Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
            ),
            Record::Value(v) => v,
        }
    }

    /// Whether the record is a JSON object.
    pub fn is_object(&self) -> bool {
        match self {
            Record::Kept(_) => true,
            Record::Value(v) => v.is_object(),
        }
    }
}

/// A key an object repeats: the same value again changes nothing; another
/// value makes the key's value the list of both (and of any further one),
/// so no reader of the record takes one of them for what the export says.
/// A mapper finds a list where it expects a text, number or flag, and leaves
/// the fact unknown, citing both values (`jailBroken = ["True","False"]`).
fn repeat(value: &mut Value, again: Value) {
    if *value == again {
        return;
    }
    let first = std::mem::take(value);
    *value = Value::Array(vec![first, again]);
}

/// The object of `entries` in the order read, a repeated key as
/// [`repeat`] keeps it. Without repeated keys (nearly always), the map is
/// built from them at once (a stable sort), which is faster than inserting
/// each key into the sorted tree.
fn object_of(entries: Vec<(String, Value)>) -> serde_json::Map<String, Value> {
    let repeated = entries.len() > 1 && {
        let mut keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        keys.windows(2).any(|w| w[0] == w[1])
    };
    if !repeated {
        return entries.into_iter().collect();
    }
    let mut map = serde_json::Map::new();
    for (k, v) in entries {
        insert_repeated(&mut map, k, v);
    }
    map
}

/// Puts `v` under `k` in `map`, a key already there as [`repeat`] keeps it.
pub(super) fn insert_repeated(map: &mut serde_json::Map<String, Value>, k: String, v: Value) {
    match map.entry(k) {
        serde_json::map::Entry::Vacant(e) => {
            e.insert(v);
        }
        serde_json::map::Entry::Occupied(mut e) => repeat(e.get_mut(), v),
    }
}

/// Reads a record with a keep list exactly as [`Built`] reads it (the
/// same deserializer calls), an object into [`Record::Kept`].
struct KeptRecord {
    keys: &'static [&'static str],
}

thread_local! {
    /// How many entries the last record [`KeptRecord`] read on this thread had.
    static LAST_KEPT: Cell<usize> = const { Cell::new(0) };
}

/// Most keep-list entries whose use [`KeptRecord`] tracks in a bit set (a
/// key seen again is searched for only when its entry's bit is set).
const TRACKED: usize = 64;

impl<'de> Visitor<'de> for KeptRecord {
    type Value = Record;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let keep = Some(self.keys);
        // Room for as many entries as the reading thread's last record had
        // (records of an export are alike; serde gives no size).
        let room = LAST_KEPT.with(Cell::get).min(self.keys.len());
        let mut entries: Vec<(&'static str, Value)> = Vec::with_capacity(room);
        // The entries of `keys` already used; an entry used again may be a
        // repeated key (its value replaced) or, rarely, another key with the
        // same entry (`a` and the dotted key `a.b` for the entry `a.b.c`).
        let mut used = 0u64;
        while let Some(k) = map.next_key_seed(EntryKey { keys: self.keys })? {
            let Some((at, key, inside)) = k else {
                map.next_value_seed(Skip)?;
                continue;
            };
            let v = map.next_value_seed(Built {
                keep: inside.and(keep),
                inside,
            })?;
            let bit = (at < TRACKED).then(|| 1u64 << at);
            let seen = bit.is_none_or(|b| used & b != 0);
            if let Some(b) = bit {
                used |= b;
            }
            let earlier = if seen {
                entries.iter_mut().find(|(e, _)| *e == key)
            } else {
                None
            };
            match earlier {
                Some(entry) => repeat(&mut entry.1, v),
                None => entries.push((key, v)),
            }
        }
        LAST_KEPT.with(|last| last.set(entries.len()));
        Ok(Record::Kept(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Record, A::Error> {
        self.built().visit_seq(seq).map(Record::Value)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Record, E> {
        self.built().visit_bool(v).map(Record::Value)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Record, E> {
        self.built().visit_i64(v).map(Record::Value)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Record, E> {
        self.built().visit_u64(v).map(Record::Value)
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Record, E> {
        self.built().visit_f64(v).map(Record::Value)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Record, E> {
        self.built().visit_str(v).map(Record::Value)
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Record, E> {
        self.built().visit_string(v).map(Record::Value)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Record, E> {
        self.built().visit_unit().map(Record::Value)
    }
}

impl KeptRecord {
    /// The visitor of a value that is no object (built as [`Built`] builds it).
    fn built(&self) -> Built<'static> {
        Built {
            keep: Some(self.keys),
            inside: None,
        }
    }
}

/// A key of a record object read by [`KeptRecord`], when it is kept: the
/// number of the keep-list entry that keeps it, the key as that entry
/// spells it, and the key to build its value as a partly kept object under
/// (`None`: whole). Nothing is allocated.
#[derive(Clone, Copy)]
struct EntryKey {
    keys: &'static [&'static str],
}

/// What [`EntryKey`] gives.
type EntryOf = Option<(usize, &'static str, Option<&'static str>)>;

impl<'de> DeserializeSeed<'de> for EntryKey {
    type Value = EntryOf;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<EntryOf, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for EntryKey {
    type Value = EntryOf;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<EntryOf, E> {
        Ok(kept_entry(self.keys, v).map(|(at, how)| match how {
            Kept::Part(outer) => (at, outer, Some(outer)),
            _ => (at, self.keys.get(at).copied().unwrap_or_default(), None),
        }))
    }
}

/// Reads a value exactly as [`Value`]'s own visitor is driven (the same
/// deserializer calls, so the same bytes read, nesting counted and errors
/// raised), an object keeping only the keys in `keep` (the others' values
/// go to [`Skip`]; nested objects keep all).
///
/// An object's entries are gathered in order and its map is built from
/// them at once (`object_of`; a key repeated with another value holds the
/// list of its values, where serde_json keeps the last).
struct Built<'k> {
    keep: Keep<'k>,
    /// Building the object under this key of the record: only the keys
    /// `keep` names inside it are kept (see [`Kept::Part`]).
    inside: Option<&'k str>,
}

impl<'de> DeserializeSeed<'de> for Built<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Built<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries: Vec<(String, Value)> = Vec::with_capacity(map.size_hint().unwrap_or(0));
        let key = KeyIn {
            keep: self.keep,
            inside: self.inside,
        };
        while let Some(k) = map.next_key_seed(key)? {
            match k {
                Some((k, inside)) => {
                    let v = map.next_value_seed(Built {
                        keep: inside.and(self.keep),
                        inside,
                    })?;
                    entries.push((k, v));
                }
                None => map.next_value_seed(Skip)?,
            }
        }
        Ok(Value::Object(object_of(entries)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(v) = seq.next_element_seed(Built {
            keep: None,
            inside: None,
        })? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// An object key, when it is kept (see [`kept`]): owned, with the key to
/// build its value as a partly kept object under (`None`: whole).
#[derive(Clone, Copy)]
struct KeyIn<'k> {
    keep: Keep<'k>,
    /// The key of the partly kept object whose keys these are.
    inside: Option<&'k str>,
}

/// What [`KeyIn`] gives.
type KeptKey<'k> = Option<(String, Option<&'k str>)>;

impl<'de, 'k> DeserializeSeed<'de> for KeyIn<'k> {
    type Value = KeptKey<'k>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<KeptKey<'k>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'k> Visitor<'de> for KeyIn<'k> {
    type Value = KeptKey<'k>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<KeptKey<'k>, E> {
        if let Some(outer) = self.inside {
            return Ok(kept_inside(self.keep, outer, v).then(|| (v.to_string(), None)));
        }
        Ok(match kept(self.keep, v) {
            Kept::Whole => Some((v.to_string(), None)),
            Kept::Part(outer) => Some((v.to_string(), Some(outer))),
            Kept::Not => None,
        })
    }
}

/// A value read as [`Value`]'s visitor is driven (every string, number and
/// nesting level checked the same way), nothing built.
struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_key_seed(Skip)?.is_some() {
            map.next_value_seed(Skip)?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Builds a JSON object from a map access (a repeated key as [`repeat`]
/// keeps it, also in nested objects).
fn object_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Value, A::Error> {
    let mut out = serde_json::Map::new();
    while let Some(k) = map.next_key::<String>()? {
        let v = map.next_value_seed(Built {
            keep: None,
            inside: None,
        })?;
        insert_repeated(&mut out, k, v);
    }
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::DEFAULT_RECORD_SIZE;

    fn collect(s: &str) -> (Vec<Value>, Result<Vec<String>, InventoryError>) {
        let mut v = Vec::new();
        let r = for_each_record(&mut s.as_bytes(), DEFAULT_RECORD_SIZE, |x| v.push(x));
        (v, r.map(|w| w.iter().map(ToString::to_string).collect()))
    }

    /// Records come out as serde_json's own `Value` reads them, nested
    /// objects and arrays, read from a slice (a small value) and streamed (a
    /// large one) — but for a key an object repeats with another value:
    /// its value is the list of both, where serde_json keeps the last.
    #[test]
    fn records_are_the_values_serde_reads() {
        let record = r#"{"b":[1,{"z":1,"y":[true,null]}],"a":"x","b":2.5,"c":{"k":1,"k":"last","s":0,"s":0},"a":"again"}"#;
        let serde: Value = serde_json::from_str(record).unwrap();
        assert_eq!(serde["a"], "again");
        let want = serde_json::json!({
            "b": [[1, {"z": 1, "y": [true, null]}], 2.5],
            "a": ["x", "again"],
            "c": {"k": [1, "last"], "s": 0},
        });
        let small = format!(r#"{{"value":[{record}]}}"#);
        let filler = format!(r#"{{"pad":"{}"}}"#, "p".repeat(SMALL));
        let large = format!(r#"{{"value":[{filler},{record}]}}"#);
        for text in [small, large] {
            let mut got = Vec::new();
            for_each_record(&mut text.as_bytes(), u64::MAX, |v| got.push(v)).unwrap();
            assert_eq!(got.last(), Some(&want));
            let mut kept = Vec::new();
            for_each_record_keeping(&mut text.as_bytes(), u64::MAX, Some(&["a", "c"]), |v| {
                kept.push(v)
            })
            .unwrap();
            // Read as kept entries, each key once, a repeated one with both values.
            let Some(Record::Kept(entries)) = kept.last() else {
                panic!("not read as kept entries: {kept:?}");
            };
            assert_eq!(entries.len(), 2, "{entries:?}");
            assert_eq!(
                kept.pop().map(Record::into_value),
                Some(serde_json::json!({"a": ["x", "again"], "c": {"k": [1, "last"], "s": 0}}))
            );
        }
    }

    /// Read with a keep list, a record object's entries are the kept keys
    /// once each (a key repeated with another value holding both), also
    /// when two keys are kept by the same entry of the list (`a` and the
    /// dotted key `a.b`, both by `a.b.c`) and when the list is longer than
    /// the entries tracked in a bit set.
    #[test]
    fn kept_entries_are_the_keys_of_the_value_read_whole() {
        let record = r#"{"a":{"b":{"c":1}},"z":0,"a.b":{"c":2,"d":3},"a":{"b":{"c":4}},"y":[1],"a.b":{"c":5}}"#;
        let long: &'static [&'static str] = Box::leak(
            (0..70)
                .map(|i| &*Box::leak(format!("k{i:02}").into_boxed_str()))
                .chain(["a.b.c", "y"])
                .collect::<Vec<&'static str>>()
                .into_boxed_slice(),
        );
        let whole: Value = serde_json::from_str(record).unwrap();
        for keep in [&["a.b.c", "y"][..], long] {
            for text in [
                format!(r#"{{"value":[{record}]}}"#),
                format!(
                    r#"{{"value":[{{"pad":"{}"}},{record}]}}"#,
                    "p".repeat(SMALL)
                ),
            ] {
                let mut got = Vec::new();
                for_each_record_keeping(&mut text.as_bytes(), u64::MAX, Some(keep), |r| {
                    got.push(r)
                })
                .unwrap();
                let Some(Record::Kept(entries)) = got.last() else {
                    panic!("not read as kept entries: {got:?}");
                };
                let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
                assert_eq!(keys, ["a", "a.b", "y"]);
                // `a.b` repeated with another value: both.
                let want =
                    serde_json::json!({"a": {}, "a.b": [{"c": 2}, {"c": 5}], "y": whole["y"]});
                // As the record read on its own (not in an array) keeps it.
                let mut alone = Vec::new();
                for_each_record_keeping(&mut record.as_bytes(), u64::MAX, Some(keep), |r| {
                    alone.push(r.into_value())
                })
                .unwrap();
                assert_eq!(alone, std::slice::from_ref(&want));
                assert_eq!(got.pop().map(Record::into_value), Some(want));
            }
        }
        // Kept inside: the inner keys `keep` names.
        let mut got = Vec::new();
        let text = format!(r#"{{"value":[{record}]}}"#);
        for_each_record_keeping(
            &mut text.as_bytes(),
            u64::MAX,
            Some(&["a.b", "a.b.c"]),
            |r| got.push(r.into_value()),
        )
        .unwrap();
        // Each repeated with another value: both.
        assert_eq!(
            got,
            [serde_json::json!({
                "a": [{"b": {"c": 1}}, {"b": {"c": 4}}],
                "a.b": [{"c": 2, "d": 3}, {"c": 5}],
            })]
        );
    }

    #[test]
    fn shapes() {
        assert_eq!(collect(r#"{"id":"a"}"#).0.len(), 1);
        assert_eq!(
            collect(r#"{"@odata.context":"x","value":[{"id":1},{"id":2}]}"#)
                .0
                .len(),
            2
        );
        assert_eq!(collect(r#"[{"id":1},{"id":2},{"id":3}]"#).0.len(), 3);
        assert_eq!(
            collect(r#"[{"value":[{"id":1}]},{"value":[{"id":2}]}]"#)
                .0
                .len(),
            2
        );
        assert_eq!(
            collect("{\"value\":[{\"id\":1}]}\n{\"value\":[{\"id\":2}]}")
                .0
                .len(),
            2
        );
        assert_eq!(collect("{\"id\":1}\n{\"id\":2}\n").0.len(), 2);
        // An escaped quote and brackets inside strings do not confuse the splitter.
        assert_eq!(collect("{\"id\":\"a\\\"}{[\"}\n{\"id\":2}").0.len(), 2);
    }

    /// Records and warnings read through a reader that hands out 1–7 bytes
    /// at a time, so values, strings and escapes are split across buffers.
    fn collect_chunky(s: &[u8]) -> (Vec<Value>, Result<Vec<String>, InventoryError>) {
        let mut v = Vec::new();
        let r = for_each_record(
            &mut super::super::peek::Chunky::new(s),
            DEFAULT_RECORD_SIZE,
            |x| v.push(x),
        );
        (v, r.map(|w| w.iter().map(ToString::to_string).collect()))
    }

    /// Reads `s` both ways and checks they agree; returns the records.
    fn both(s: &str) -> (Vec<Value>, Vec<String>) {
        let (a, ra) = collect(s);
        let (b, rb) = collect_chunky(s.as_bytes());
        assert_eq!(a, b, "{s}");
        let (wa, wb) = (ra.unwrap(), rb.unwrap());
        assert_eq!(wa, wb, "{s}");
        (a, wa)
    }

    #[test]
    fn value_splitter_strings_escapes_pages_bom() {
        // Brackets and escaped quotes inside strings, also a backslash at the
        // end of a string, do not end or open a value.
        let (v, w) = both("{\"id\":\"a\\\"}{[\",\"n\":\"x\\\\\"}\n{\"id\":\"]]]\"}");
        assert_eq!(v.len(), 2);
        assert_eq!(v[0]["id"], "a\"}{[");
        assert_eq!(v[0]["n"], "x\\");
        assert_eq!(v[1]["id"], "]]]");
        assert!(w.is_empty());
        // Concatenated pages without separators.
        let (v, _) = both(r#"{"value":[{"id":1},{"id":2}]}{"value":[{"id":3}]}"#);
        assert_eq!(v.len(), 3);
        // A top-level array of pages: records of each page, the page's other
        // keys dropped; an element with a record key that is no array is a record.
        let (v, _) = both(
            r#"[{"@odata.nextLink":"x","value":[{"id":1},{"id":2}]},{"value":[{"id":3}],"n":1},{"id":4,"value":"v"}]"#,
        );
        assert_eq!(v.len(), 4);
        assert_eq!(v[2], serde_json::json!({"id":3}));
        assert_eq!(v[3], serde_json::json!({"id":4,"value":"v"}));
        // A BOM, also split across reads, and blank lines between values.
        let (v, _) = both("\u{feff}\n\n{\"id\":1}\n\n\n{\"id\":2}\n");
        assert_eq!(v.len(), 2);
        // Values longer than the reader's buffer.
        let long = format!(
            "{{\"id\":\"{}\"}}\n{{\"id\":2}}",
            "x".repeat(3 * VALUE_BUF + 7)
        );
        let (v, _) = both(&long);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0]["id"].as_str().unwrap().len(), 3 * VALUE_BUF + 7);
    }

    #[test]
    fn values_larger_than_the_slice_limit_are_streamed() {
        // A page and an array of pages, each over SMALL bytes, read through
        // the streaming path (also in tiny reads), then a broken large value
        // skipped and a small one after it read.
        let records: Vec<String> = (0..60_000)
            .map(|i| format!("{{\"id\":{i},\"s\":\"[{{\\\"x\\\"}}]\"}}"))
            .collect();
        let page = format!("{{\"@odata.type\":1,\"value\":[{}]}}", records.join(","));
        assert!(page.len() > SMALL);
        let pages = format!("[{page},{page}]");
        let broken = format!("{{\"value\":[{},]}}", records.join(","));
        let text = format!("{page}\n{pages}\n{broken}\n{{\"id\":\"last\"}}\n");
        let (v, w) = both(&text);
        // The broken page's records before its error were passed on, as before.
        assert_eq!(v.len(), 240_001);
        assert_eq!(v[59_999]["id"], 59_999);
        assert_eq!(v[0]["s"], "[{\"x\"}]");
        assert_eq!(v[240_000]["id"], "last");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("JSON value 3 "), "{w:?}");
    }

    /// Records and warnings of `text` read with records taken past serde and
    /// with serde reading every byte, also in tiny reads: all four agree,
    /// byte offsets, lines and columns of every warning included; and read
    /// keeping only some keys, the same records with only those keys and
    /// the same warnings.
    fn stolen_as_streamed(text: &[u8], max_record: u64) -> (usize, Vec<String>) {
        let run_keeping = |steal: bool, chunky: bool, keep: Keep<'static>| {
            let mut v = Vec::new();
            let r = if chunky {
                let mut input = super::super::peek::Chunky::new(text);
                read_records(&mut input, max_record, steal, keep, |x| {
                    v.push(x.into_value())
                })
            } else {
                read_records(&mut &*text, max_record, steal, keep, |x| {
                    v.push(x.into_value())
                })
            };
            let r = r
                .map(|w| w.iter().map(ToString::to_string).collect::<Vec<_>>())
                .map_err(|e| e.to_string());
            (v, r)
        };
        let run = |steal: bool, chunky: bool| run_keeping(steal, chunky, None);
        let want = run(false, false);
        for (steal, chunky) in [(true, false), (true, true), (false, true)] {
            let got = run(steal, chunky);
            assert_eq!(got.0, want.0, "records, steal {steal} chunky {chunky}");
            assert_eq!(got.1, want.1, "warnings, steal {steal} chunky {chunky}");
        }
        // Whole keys, and keys of inner objects (`n` is an array: kept whole).
        let keeps: [&[&str]; 2] = [&["id", "value"], &["id", "value", "o.x", "n.x", "o.deep"]];
        for keep in keeps {
            let inner = |outer: &str, k: &str| keep.contains(&format!("{outer}.{k}").as_str());
            let projected: Vec<Value> = want
                .0
                .iter()
                .map(|r| match r {
                    Value::Object(m) => Value::Object(
                        m.iter()
                            .filter_map(|(k, v)| {
                                if keep.contains(&k.as_str()) {
                                    return Some((k.clone(), v.clone()));
                                }
                                if !keep.iter().any(|x| x.starts_with(&format!("{k}."))) {
                                    return None;
                                }
                                let v = match v {
                                    Value::Object(o) => Value::Object(
                                        o.iter()
                                            .filter(|(i, _)| inner(k, i))
                                            .map(|(i, v)| (i.clone(), v.clone()))
                                            .collect(),
                                    ),
                                    other => other.clone(),
                                };
                                Some((k.clone(), v))
                            })
                            .collect(),
                    ),
                    other => other.clone(),
                })
                .collect();
            for (steal, chunky) in [(true, false), (true, true), (false, false)] {
                let got = run_keeping(steal, chunky, Some(keep));
                assert_eq!(
                    got.0, projected,
                    "kept records, steal {steal} chunky {chunky}, keep {keep:?}"
                );
                assert_eq!(
                    got.1, want.1,
                    "kept warnings, steal {steal} chunky {chunky}, keep {keep:?}"
                );
            }
        }
        match want.1 {
            Ok(w) => (want.0.len(), w),
            Err(e) => (want.0.len(), vec![e]),
        }
    }

    #[test]
    fn records_taken_past_serde_keep_every_error_position() {
        let records: Vec<String> = (0..40)
            .map(|i| {
                format!(
                    "{{\"id\": \"d{i}\",\n  \"name\": \"a\\\"}}]{{[\",\n  \"n\": [1, 2.5, -3e2, null, {{\"x\": {{}}}}],\n  \"o\": {{\"y\": [{{}}], \"x\": \"}}\", \"z\": 1}}}}"
                )
            })
            .collect();
        let compact = format!(
            "{{\"@odata.context\":\"c\",\"value\":[{}]}}",
            records.join(",")
        );
        let pretty = format!("{{\n \"value\": [\n  {}\n ]\n}}\n", records.join(",\n  "));
        let pages = format!(
            "[{{\"value\":[{}]}},\n{{\"value\":[{}]}}]",
            records[..20].join(","),
            records[20..].join(",\n")
        );
        let deep = format!("{}{}", "[".repeat(126), "]".repeat(126));
        let mut texts = Vec::new();
        for base in [&compact, &pretty, &pages] {
            let at = base.find("\"d25\"").unwrap();
            // The record's closing brace.
            let end = base[at..].find("1}}").unwrap() + at + 2;
            let next = base[at..].find(",\n  \"n\"").unwrap() + at;
            // Inside the inner object `o`.
            let inner = base[at..].find("\"o\": {").unwrap() + at + 6;
            let edits: Vec<(usize, usize, String)> = vec![
                (0, 0, String::new()),
                (at, at, ",".into()),
                (at, at, "\\q".into()),
                (at + 1, at + 1, "\u{1}".into()),
                (end, end, ",".into()),
                (end, end + 1, "]".into()),
                (end + 1, end + 2, "".into()),
                (end + 1, end + 2, " x".into()),
                (next, next, format!(", \"deep\": {deep}")),
                (
                    next,
                    next,
                    format!(", \"deep\": {}", &deep[2..deep.len() - 2]),
                ),
                (next, next, ", \"f\": 1.".into()),
                (next, next, ", \"f\": 1e999".into()),
                (next, next, ", \"s\": \"\\ud800\"".into()),
                (next, next, ", \"s\": \"\u{7f}\\u00e9\"".into()),
                (next, next, format!(", \"big\": \"{}\"", "y".repeat(3000))),
                (next, next, format!(", \"big\": \"{}\",,", "y".repeat(3000))),
                (inner, inner, "\"q\": 1e999, ".into()),
                (inner, inner, "\"x\": [, ".into()),
                (inner, inner, "\"q\": \"\\ud800\", ".into()),
                (at, base.len(), String::new()),
                (at + 2, base.len(), String::new()),
                (base.len() - 2, base.len(), " 7".into()),
            ];
            for (from, to, with) in edits {
                let mut t = base.clone();
                t.replace_range(from..to, &with);
                texts.push(t);
            }
        }
        let mut seen_errors = 0;
        for t in &texts {
            // Record caps around a record's size, and one far above it.
            for max in [200, 230, 260, 3100, 1 << 20] {
                let (n, w) = stolen_as_streamed(t.as_bytes(), max);
                seen_errors += usize::from(!w.is_empty());
                assert!(n <= 40 || t.contains("deep"), "{n}");
            }
            // Two values: the second, broken one, after a valid one.
            let two = format!("{}\n{t}", texts[0]);
            stolen_as_streamed(two.as_bytes(), 230);
        }
        assert!(seen_errors > texts.len(), "{seen_errors}");
    }

    #[test]
    fn bytes_that_are_no_utf8_are_reported_where_serde_reports_them() {
        // Text checked as UTF-8 in one pass is parsed as text: a record with
        // a byte that is no UTF-8 (in a string, a cut-off sequence, outside a
        // string) is reported at the place serde finds it reading every byte.
        let records: Vec<Vec<u8>> = (0..40)
            .map(|i| format!("{{\"id\": \"d{i}\",\n \"name\": \"n{i}\"}}").into_bytes())
            .collect();
        let bad: [&[u8]; 4] = [b"\"n\xff25\"", b"\"\xc3\"", b"\"\xe2\x82\"", b"\"x\" \xff"];
        for with in bad {
            let mut texts = Vec::new();
            let mut broken = records.clone();
            broken[25] = [b"{\"id\": \"d25\",\n \"name\": ".as_slice(), with, b"}"].concat();
            let page = [b"{\"value\":[".as_slice(), &broken.join(&b",\n"[..]), b"]}"].concat();
            texts.push(page);
            texts.push(broken.join(&b"\n"[..]));
            for text in &texts {
                // Streamed (records taken past serde, and serde reading every
                // byte), and parsed from a slice: the same records and warnings
                // (a streamed value's byte is where serde had read to, a
                // sliced one's where the line and column are).
                let without_byte = |(n, w): (usize, Vec<String>)| {
                    let w: Vec<String> = w
                        .iter()
                        .map(|m| match (m.find(", byte "), m.find(" of the export")) {
                            (Some(a), Some(b)) if a < b => format!("{}{}", &m[..a], &m[b..]),
                            _ => m.clone(),
                        })
                        .collect();
                    (n, w)
                };
                let streamed = without_byte(stolen_as_streamed(text, 200));
                let sliced = stolen_as_streamed(text, 1 << 20);
                assert_eq!(
                    streamed,
                    without_byte(sliced.clone()),
                    "{}",
                    String::from_utf8_lossy(text)
                );
                let (n, w) = sliced;
                assert_eq!(n, 39 - usize::from(text.starts_with(b"{\"value\"")) * 14);
                assert_eq!(w.len(), 1, "{w:?}");
                let cut = [b"{\"id\": \"d25\",\n \"name\": ".as_slice(), with, b"}"].concat();
                let e = serde_json::from_slice::<Value>(&cut).unwrap_err();
                let column = format!("column {}", e.column());
                assert!(w[0].contains(&column), "{w:?} {column}");
            }
        }
    }

    #[test]
    fn broken_line_in_the_middle_of_json_lines() {
        let text = "{\"id\":1}\n{\"id\":2,,\"x\":[1]}\n{\"id\":3}\nnull\n{\"id\":5}\n";
        let (v, w) = both(text);
        assert_eq!(
            v.iter()
                .map(|x| x["id"].as_i64().unwrap())
                .collect::<Vec<_>>(),
            vec![1, 3, 5]
        );
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(
            w[0].starts_with("JSON value 2 (line or page 2): JSON syntax error at line 1"),
            "{w:?}"
        );
        assert!(w[1].starts_with("JSON value 4 "), "{w:?}");
        // An unclosed value runs to the end of the input (its brackets never
        // balance): one warning, the lines after it are part of it.
        let (v, w) = both("{\"id\":1}\n{\"id\":2\n{\"id\":3}\n");
        assert_eq!(v.len(), 1);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].starts_with("JSON value 2 "), "{w:?}");
        let (v, w) = both("{\"id\":1}\n{\"id\":[2");
        assert_eq!(v.len(), 1);
        assert!(w[0].contains("truncated"), "{w:?}");
    }

    #[test]
    fn broken_line_is_skipped_with_warning() {
        let (v, r) = collect("{\"id\":1}\n{\"id\":2,,}\n{\"id\":3}\n");
        assert_eq!(v.len(), 2);
        let w = r.unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("JSON value 2"), "{w:?}");
    }

    #[test]
    fn unreadable_is_an_error_without_content() {
        let (_, r) = collect(r#"{"userPrincipalName": "secret@x.de", "#);
        let e = r.unwrap_err().to_string();
        assert!(e.contains("truncated") || e.contains("syntax"), "{e}");
        assert!(!e.contains("secret"));
        assert!(matches!(collect("   ").1, Err(InventoryError::Empty)));
    }
}
