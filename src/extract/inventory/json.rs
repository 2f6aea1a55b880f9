//! Streaming JSON reading for device exports.
//!
//! Accepts a single record object, an object holding a record array under a
//! known key (`value`, `devices`, `Devices`, `results`, `mobile_devices`), a bare
//! array of records or of pages, several pages concatenated, and JSON lines.
//! The input is read from a [`BufRead`] one top-level value at a time, and
//! record arrays are streamed element by element (serde `SeqAccess`), so only
//! one record is held as a JSON tree at a time, whatever the export's size.

use std::cell::Cell;
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::note::{JsonProblem, Note, Reason, Unit};
use super::{peek, InventoryError, MAX_WARNINGS};

/// Keys under which exports carry their record arrays.
pub const RECORD_KEYS: &[&str] = &["value", "devices", "Devices", "results", "mobile_devices"];

/// Describes a serde_json error by kind and position only — never by content,
/// which may be personal data.
pub fn describe(e: &serde_json::Error) -> Reason {
    describe_at(e, None)
}

/// [`describe`], with the problem's byte offset in the export.
fn describe_at(e: &serde_json::Error, byte: Option<u64>) -> Reason {
    use serde_json::error::Category;
    let problem = match e.classify() {
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
    let small_max = usize::try_from(max_record)
        .unwrap_or(usize::MAX)
        .clamp(1, SMALL);
    while let Some(first) = skip_whitespace(input).map_err(read_error)? {
        values = values.saturating_add(1);
        let start = consumed.get();
        cap.tripped.set(false);
        let mut value =
            ValueReader::new(&mut *input, first, std::mem::take(&mut buf)).with_cap(&cap);
        let mut counting = |v: Value| {
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
        let res = if in_slice {
            visit_top(
                serde_json::Deserializer::from_slice(&small),
                &cap,
                &mut counting,
            )
        } else {
            let rest = std::io::Cursor::new(&small).chain(&mut value);
            visit_top(
                serde_json::Deserializer::from_reader(rest),
                &cap,
                &mut counting,
            )
        };
        if let Err(e) = res {
            let at = if in_slice {
                offset_of(&small, e.line(), e.column()) as u64
            } else {
                (small.len() as u64).saturating_add(value.delivered())
            };
            let byte = Some(start.saturating_add(at));
            let reason = if cap.tripped.get() {
                Reason::RecordTooLarge {
                    limit: cap.max,
                    byte,
                }
            } else if e.classify() == serde_json::error::Category::Io {
                return Err(InventoryError::Read(describe(&e).to_string()));
            } else {
                describe_at(&e, byte)
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
                    let skip = rest
                        .iter()
                        .position(|c| *c == b'"' || *c == b'\\')
                        .unwrap_or(rest.len());
                    i = i.saturating_add(skip);
                }
                continue;
            }
            match b {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth = self.depth.saturating_add(1),
                b'}' | b']' => {
                    self.depth = self.depth.saturating_sub(1);
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
        }
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

    /// Copies the next part of the value from the underlying reader into the
    /// buffer (when the buffer is used up).
    fn refill(&mut self) -> std::io::Result<()> {
        if self.pos < self.buf.len() || self.scan.done {
            return Ok(());
        }
        self.buf.clear();
        self.pos = 0;
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
            let n = self.scan.take(part);
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

/// Passes the records of the one top-level value `de` reads to `sink`.
fn visit_top<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    cap: &RecordCap,
    sink: &mut impl FnMut(Value),
) -> serde_json::Result<()> {
    Top { sink, cap }.deserialize(&mut de)?;
    de.end()
}

/// Visits one top-level value: a page object, a record object or an array.
struct Top<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for Top<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value)> Visitor<'de> for Top<'_, F> {
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
        while let Some(k) = map.next_key::<String>()? {
            if !found && RECORD_KEYS.contains(&k.as_str()) {
                map.next_value_seed(Elements {
                    sink: &mut *self.sink,
                    cap: self.cap,
                })?;
                found = true;
            } else {
                let v: Value = map.next_value()?;
                rest.insert(k, v);
            }
        }
        if !found {
            (self.sink)(Value::Object(rest));
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
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for PageOrRecord<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value)> Visitor<'de> for PageOrRecord<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a page or a device record")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut page = false;
        while let Some(k) = map.next_key::<String>()? {
            if !page && RECORD_KEYS.contains(&k.as_str()) {
                match map.next_value_seed(ArrayOrValue {
                    sink: &mut *self.sink,
                    cap: self.cap,
                })? {
                    None => page = true,
                    Some(v) => {
                        rest.insert(k, v);
                    }
                }
            } else {
                let v: Value = map.next_value()?;
                rest.insert(k, v);
            }
        }
        if !page {
            (self.sink)(Value::Object(rest));
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        (self.sink)(v);
        Ok(())
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<(), E> {
        (self.sink)(Value::Bool(v));
        Ok(())
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<(), E> {
        (self.sink)(Value::from(v));
        Ok(())
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<(), E> {
        (self.sink)(Value::from(v));
        Ok(())
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<(), E> {
        (self.sink)(Value::from(v));
        Ok(())
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        (self.sink)(Value::String(v.to_string()));
        Ok(())
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<(), E> {
        (self.sink)(Value::String(v));
        Ok(())
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        (self.sink)(Value::Null);
        Ok(())
    }
}

/// The value under a record key of an array element: an array is streamed
/// to the sink (`None`: the element is a page); anything else is returned.
struct ArrayOrValue<'s, F> {
    sink: &'s mut F,
    cap: &'s RecordCap,
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value)> Visitor<'de> for ArrayOrValue<'_, F> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        records(seq, self.cap, self.sink)?;
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
}

impl<'de, F: FnMut(Value)> DeserializeSeed<'de> for Elements<'_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Value)> Visitor<'de> for Elements<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of device records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        records(seq, self.cap, self.sink)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = object_from_map(map)?;
        (self.sink)(v);
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Passes each element of a record array to `sink`, each counted as its own
/// record by `cap`.
fn records<'de, A: SeqAccess<'de>>(
    mut seq: A,
    cap: &RecordCap,
    sink: &mut impl FnMut(Value),
) -> Result<(), A::Error> {
    loop {
        cap.next_record();
        match seq.next_element::<Value>()? {
            Some(v) => sink(v),
            None => return Ok(()),
        }
    }
}

/// Builds a JSON object from a map access.
fn object_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Value, A::Error> {
    let mut out = serde_json::Map::new();
    while let Some((k, v)) = map.next_entry::<String, Value>()? {
        out.insert(k, v);
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
        let page = format!("{{\"@odata.count\":1,\"value\":[{}]}}", records.join(","));
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
