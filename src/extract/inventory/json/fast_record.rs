//! Record objects of the plain kind most exports are made of, read
//! straight from their text: the same kept entries [`KeptRecord`] builds
//! through serde, several times faster.
//!
//! Only a strict part of JSON is read here: strings without escapes or
//! control characters, `true`, `false`, `null`, and integers and decimals
//! of at most 18 digits without an exponent; objects and arrays only as
//! values of keys that are not kept (and not deeper than
//! [`MAX_NESTING`]), or, holding only such scalars, as the object of a
//! partly kept key. Every text of that part is valid JSON that serde reads
//! without error into the entries built here. Anything else (an escape, a
//! kept array, a long number, a syntax error) gives `None`, and the record
//! is read by serde as before: so the entries, the warnings and the errors
//! never depend on which way a record was read.

use super::*;

/// Nesting levels the values of a record's keys that are not kept may have
/// here (serde allows some 120 more; deeper values are read by serde).
const MAX_NESTING: usize = 32;

/// Digits a number may have here (any integer of 18 digits fits in a
/// `u64`, and its decimal form is exact).
const MAX_DIGITS: usize = 18;

/// The kept entries (as [`KeptRecord`] builds them) of the record object
/// `text` (from its `{` to its `}`), keeping the keys in `keys`; `None`
/// when the record holds anything but the plain part of JSON read here.
pub(super) fn kept_entries(
    text: &str,
    keys: &'static [&'static str],
    room: usize,
) -> Option<Vec<(&'static str, Value)>> {
    let mut r = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
    };
    r.expect(b'{')?;
    let table = KeyTable::of(keys);
    let mut entries: Vec<(&'static str, Value)> = Vec::with_capacity(room);
    let mut used = 0u64;
    r.space();
    if r.peek()? == b'}' {
        r.at += 1;
        return r.ends().then_some(entries);
    }
    loop {
        let k = r.string()?;
        r.space();
        r.expect(b':')?;
        r.space();
        match table.get(k) {
            None => r.skip(0)?,
            Some((at, how)) => {
                let (key, v) = match how {
                    Kept::Part(outer) => (outer, r.part(keys, outer)?),
                    _ => (keys.get(at).copied().unwrap_or_default(), r.scalar()?),
                };
                keep_entry(&mut entries, &mut used, at, key, v);
            }
        }
        r.space();
        match r.next()? {
            b',' => r.space(),
            b'}' => return r.ends().then_some(entries),
            _ => return None,
        }
    }
}

/// What [`kept_entry`] gives for each key it keeps, looked up by the key
/// (one hash instead of comparing the key with every entry of the list).
struct KeyTable {
    keys: &'static [&'static str],
    kept: foldhash::HashMap<&'static str, (usize, Kept<'static>)>,
}

thread_local! {
    /// The table of the keep list this thread read a record with last.
    static TABLE: RefCell<Option<std::rc::Rc<KeyTable>>> = const { RefCell::new(None) };
}

impl KeyTable {
    /// The table of `keys` (made once per thread and keep list).
    fn of(keys: &'static [&'static str]) -> std::rc::Rc<KeyTable> {
        TABLE.with(|table| {
            let mut table = table.borrow_mut();
            match &*table {
                Some(t) if std::ptr::eq(t.keys, keys) => t.clone(),
                _ => {
                    let t = std::rc::Rc::new(KeyTable::new(keys));
                    *table = Some(t.clone());
                    t
                }
            }
        })
    }

    /// The keys [`kept_entry`] keeps are the entries themselves and their
    /// parts before a dot; each is asked of it, so the table says what it
    /// says.
    fn new(keys: &'static [&'static str]) -> KeyTable {
        let mut kept = foldhash::HashMap::default();
        for entry in keys {
            let dots = entry.match_indices('.').map(|(i, _)| i);
            for k in dots.filter_map(|i| entry.get(..i)).chain([*entry]) {
                if let Some(how) = kept_entry(keys, k) {
                    kept.insert(k, how);
                }
            }
        }
        KeyTable { keys, kept }
    }

    fn get(&self, k: &str) -> Option<(usize, Kept<'static>)> {
        self.kept.get(k).copied()
    }
}

/// A position in a record's text.
struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

impl<'t> Reader<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.next()? == b).then_some(())
    }

    /// Whether the text ends here.
    fn ends(&self) -> bool {
        self.at == self.bytes.len()
    }

    /// Skips JSON whitespace.
    fn space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// A string without escapes or control characters (its `"` next).
    fn string(&mut self) -> Option<&'t str> {
        self.expect(b'"')?;
        let rest = self.bytes.get(self.at..)?;
        let len = memchr::memchr2(b'"', b'\\', rest)?;
        let body = rest.get(..len)?;
        if rest.get(len) != Some(&b'"') || body.iter().any(|&b| b < 0x20) {
            return None;
        }
        let s = self.text.get(self.at..self.at + len)?;
        self.at += len + 1;
        Some(s)
    }

    /// A number of at most [`MAX_DIGITS`] digits without an exponent (its
    /// first byte next): whether it has a sign or a fraction.
    fn number(&mut self) -> Option<(&'t str, bool)> {
        let start = self.at;
        let signed = self.peek() == Some(b'-');
        if signed {
            self.at += 1;
        }
        let int = self.digits();
        let first = self.bytes.get(int.0)?;
        // No leading zero but of 0 itself.
        if int.1 == 0 || (*first == b'0' && int.1 > 1) {
            return None;
        }
        let mut digits = int.1;
        let mut fraction = false;
        if self.peek() == Some(b'.') {
            self.at += 1;
            let frac = self.digits();
            if frac.1 == 0 {
                return None;
            }
            digits += frac.1;
            fraction = true;
        }
        if digits > MAX_DIGITS || matches!(self.peek(), Some(b'e' | b'E')) {
            return None;
        }
        Some((self.text.get(start..self.at)?, signed || fraction))
    }

    /// Skips ASCII digits: where they start and how many.
    fn digits(&mut self) -> (usize, usize) {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        (start, self.at - start)
    }

    /// `true`, `false` or `null` (its first byte next).
    fn literal(&mut self) -> Option<Value> {
        let rest = self.bytes.get(self.at..)?;
        let (v, len) = if rest.starts_with(b"true") {
            (Value::Bool(true), 4)
        } else if rest.starts_with(b"false") {
            (Value::Bool(false), 5)
        } else if rest.starts_with(b"null") {
            (Value::Null, 4)
        } else {
            return None;
        };
        self.at += len;
        Some(v)
    }

    /// A kept scalar, as [`Built`] builds it: a string, a literal, or an
    /// integer without a sign (others are left to serde).
    fn scalar(&mut self) -> Option<Value> {
        match self.peek()? {
            b'"' => Some(Value::String(self.string()?.to_string())),
            b'0'..=b'9' => match self.number()? {
                (n, false) => n.parse::<u64>().ok().map(Value::from),
                (_, true) => None,
            },
            _ => self.literal(),
        }
    }

    /// The value of a partly kept key `outer`, as [`Built`] builds it
    /// (`inside` set): an object with only the keys `keys` names inside it,
    /// their values scalars; or a scalar.
    fn part(&mut self, keys: &'static [&'static str], outer: &str) -> Option<Value> {
        if self.peek()? != b'{' {
            return self.scalar();
        }
        self.at += 1;
        let mut entries: Vec<(String, Value)> = Vec::new();
        self.space();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(Value::Object(object_of(entries)));
        }
        loop {
            let k = self.string()?;
            self.space();
            self.expect(b':')?;
            self.space();
            if kept_inside(Some(keys), outer, k) {
                entries.push((k.to_string(), self.scalar()?));
            } else {
                self.skip(1)?;
            }
            self.space();
            match self.next()? {
                b',' => self.space(),
                b'}' => return Some(Value::Object(object_of(entries))),
                _ => return None,
            }
        }
    }

    /// Skips a value `nesting` levels inside a record's value, checking it.
    fn skip(&mut self, nesting: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            b'{' | b'[' if nesting >= MAX_NESTING => None,
            b'{' => {
                self.at += 1;
                self.space();
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.string()?;
                    self.space();
                    self.expect(b':')?;
                    self.space();
                    self.skip(nesting + 1)?;
                    self.space();
                    match self.next()? {
                        b',' => self.space(),
                        b'}' => return Some(()),
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                self.space();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip(nesting + 1)?;
                    self.space();
                    match self.next()? {
                        b',' => self.space(),
                        b']' => return Some(()),
                        _ => return None,
                    }
                }
            }
            _ => self.literal().map(drop),
        }
    }
}

#[cfg(test)]
#[path = "fast_record_tests.rs"]
mod tests;
