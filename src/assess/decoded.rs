//! JSON values read within a budget of decoded bytes: what a `Value` takes
//! in memory is estimated as it is built, since a few bytes of crafted JSON
//! text can decode to a hundred (`{"a":0}` is 7 bytes of text and a B-tree
//! node of about 600 bytes). Used by the saved-report reader
//! (`super::saved`) for the catalog and each target; [`cost`] estimates an
//! existing value the same way (the catalog texts a target takes), and
//! [`CostedWriter`] the value compact JSON text will decode to, as the text
//! is written (a target's facts, kept as text and parsed back later).

use std::cell::Cell;
use std::fmt;
use std::io;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Bytes charged for every value: the `Value` itself.
const VALUE: usize = std::mem::size_of::<Value>();
/// Bytes charged for every object: its first B-tree node (11 entries).
const OBJECT: usize = 640;
/// Bytes charged for every object entry besides its key's text and value.
const ENTRY: usize = 64;

/// The estimated bytes `v` takes in memory (as charged by [`ValueSeed`]).
pub fn cost(v: &Value) -> usize {
    VALUE
        + match v {
            Value::String(s) => s.len(),
            // Elements are charged once more: a vector grown by doubling.
            Value::Array(items) => items.iter().map(|i| VALUE + cost(i)).sum(),
            Value::Object(map) => {
                OBJECT
                    + map
                        .iter()
                        .map(|(k, v)| ENTRY + k.len() + cost(v))
                        .sum::<usize>()
            }
            _ => 0,
        }
}

/// Reads a `Value`, charging its estimated memory ([`cost`]) to `left`;
/// fails once more than `left` would be taken.
#[derive(Clone, Copy)]
pub struct ValueSeed<'a> {
    /// Bytes still allowed; decreases as the value is built.
    pub left: &'a Cell<usize>,
}

impl ValueSeed<'_> {
    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        match self.left.get().checked_sub(bytes) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(OverBudget)),
        }
    }
}

/// The error text of a value over its budget (see [`is_over_budget`]).
struct OverBudget;

impl fmt::Display for OverBudget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the value decodes to more than its budget")
    }
}

/// Whether `e` is a [`ValueSeed`] running out of its budget.
pub fn is_over_budget(e: &impl fmt::Display) -> bool {
    e.to_string().starts_with(&OverBudget.to_string())
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.charge(VALUE)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.charge(VALUE)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.charge(VALUE)?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.charge(VALUE)?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.charge(VALUE + v.len())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.charge(VALUE + v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.charge(VALUE)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.charge(VALUE)?;
        let mut items = Vec::new();
        loop {
            self.charge(VALUE)?;
            match seq.next_element_seed(self)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.charge(VALUE + OBJECT)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            self.charge(ENTRY + key.len())?;
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

/// The memory compact JSON text decodes to, estimated from the text as it
/// is scanned: never less than [`cost`] of the value parsed back, the same
/// for text without escapes (an escape is counted as the bytes after its
/// backslash, `\u00e9` as 5 bytes for 2; a repeated key as often as it
/// appears). Text with whitespace is scanned alike.
#[derive(Debug, Default)]
struct TextCost {
    /// Bytes estimated so far.
    total: usize,
    /// The open containers, innermost last: `true` for an array. As deep as
    /// the parser the text comes from allows (serde_json: 128).
    open: Vec<bool>,
    /// Within a string.
    in_string: bool,
    /// Within a string, after a backslash.
    escaped: bool,
    /// Within a number, `true`, `false` or `null`.
    in_scalar: bool,
    /// The next string is an object's key.
    key_next: bool,
}

impl TextCost {
    /// Scans the next bytes of the text.
    fn scan(&mut self, mut bytes: &[u8]) {
        while let Some((&b, rest)) = bytes.split_first() {
            bytes = rest;
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    self.add(1);
                    continue;
                }
                match b {
                    b'\\' => self.escaped = true,
                    b'"' => self.in_string = false,
                    _ => {
                        // The text up to the string's end or next escape.
                        let text = memchr::memchr2(b'"', b'\\', bytes).unwrap_or(bytes.len());
                        self.add(1 + text);
                        bytes = &bytes[text..];
                    }
                }
                continue;
            }
            if !matches!(b, b'"' | b'{' | b'[' | b'}' | b']' | b':' | b',')
                && !b.is_ascii_whitespace()
            {
                if !self.in_scalar {
                    self.in_scalar = true;
                    self.value();
                }
                continue;
            }
            self.in_scalar = false;
            match b {
                b'"' if self.key_next => {
                    self.key_next = false;
                    self.in_string = true;
                    self.add(ENTRY);
                }
                b'"' => {
                    self.in_string = true;
                    self.value();
                }
                b'{' => {
                    self.value();
                    self.add(OBJECT);
                    self.open.push(false);
                    self.key_next = true;
                }
                b'[' => {
                    self.value();
                    self.open.push(true);
                }
                b'}' | b']' => {
                    self.open.pop();
                    self.key_next = false;
                }
                b':' => self.key_next = false,
                b',' => self.key_next = self.open.last() == Some(&false),
                _ => {}
            }
        }
    }

    /// Charges a value starting: an array's element is charged once more.
    fn value(&mut self) {
        self.add(VALUE);
        if self.open.last() == Some(&true) {
            self.add(VALUE);
        }
    }

    fn add(&mut self, bytes: usize) {
        self.total = self.total.saturating_add(bytes);
    }
}

/// Writes compact JSON text to `W`, estimating the memory its value takes
/// once parsed back (never less than [`cost`]); a write fails once the
/// estimate passes the budget ([`CostedWriter::is_over_budget`] then says
/// so, since serializers may pass the error up as text only).
#[derive(Debug)]
pub struct CostedWriter<W> {
    inner: W,
    cost: TextCost,
    budget: usize,
}

impl<W> CostedWriter<W> {
    /// Writes to `inner` while the text decodes to at most `budget` bytes.
    pub fn new(inner: W, budget: usize) -> Self {
        CostedWriter {
            inner,
            cost: TextCost::default(),
            budget,
        }
    }

    /// Whether the text written decodes to more than the budget.
    pub fn is_over_budget(&self) -> bool {
        self.cost.total > self.budget
    }
}

impl<W: io::Write> io::Write for CostedWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.is_over_budget() {
            return Err(io::Error::other(OverBudget.to_string()));
        }
        let written = self.inner.write(data)?;
        self.cost.scan(&data[..written]);
        if self.is_over_budget() {
            return Err(io::Error::other(OverBudget.to_string()));
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, budget: usize) -> serde_json::Result<Value> {
        let left = Cell::new(budget);
        let mut de = serde_json::Deserializer::from_str(text);
        ValueSeed { left: &left }.deserialize(&mut de)
    }

    #[test]
    fn values_read_as_serde_json_reads_them_and_cost_what_they_charged() {
        let text = r#"{"a": [1, -2, 2.5, null, true, "s"], "b": {"c": {}}, "d": []}"#;
        let left = Cell::new(usize::MAX);
        let mut de = serde_json::Deserializer::from_str(text);
        let v = ValueSeed { left: &left }.deserialize(&mut de).unwrap();
        assert_eq!(v, serde_json::from_str::<Value>(text).unwrap());
        // Each array has one more element slot charged (its end).
        assert_eq!(usize::MAX - left.get(), cost(&v) + 2 * VALUE);
    }

    #[test]
    fn small_objects_are_charged_for_their_nodes() {
        // 8 bytes of text per object, about 800 bytes each in memory.
        let text = format!("[{}{{}}]", r#"{"a":0},"#.repeat(1000));
        assert!(read(&text, 900_000).is_ok());
        let e = read(&text, 500_000).unwrap_err();
        assert!(is_over_budget(&e), "{e}");
    }

    /// The estimate of `v`'s compact text, written in pieces of `piece`.
    fn estimate(v: &Value, piece: usize) -> usize {
        let text = serde_json::to_vec(v).unwrap();
        let mut w = CostedWriter::new(Vec::new(), usize::MAX);
        for chunk in text.chunks(piece) {
            io::Write::write_all(&mut w, chunk).unwrap();
        }
        assert_eq!(w.inner, text, "the text is written as it is");
        w.cost.total
    }

    #[test]
    fn the_text_estimate_is_the_cost_of_the_value_it_decodes_to() {
        // Without escapes: exactly the cost, however the text is split.
        for text in [
            "0",
            "null",
            r#""text""#,
            "[]",
            "{}",
            r#"{"a": [1, -2, 2.5e10, null, true, "s"], "b": {"c": {}}, "d": []}"#,
            r#"[[[]], [{"k": [false, {"x": "y"}]}], "é", 12345678901234567890]"#,
            &format!("[{}{{}}]", r#"{"a":0},"#.repeat(100)),
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            for piece in [1, 3, 1 << 20] {
                assert_eq!(estimate(&v, piece), cost(&v), "{text} in pieces of {piece}");
            }
        }
        // With escapes (in keys and values): `\uXXXX` counts more, by a small
        // factor; one-character escapes count as what they decode to.
        for text in [
            r#"{"q\"uote": "a\"b\\c\n", "ctl": "\u0001\u001f"}"#,
            r#"["\\\"", {"\\": "\t"}]"#,
        ] {
            let v: Value = serde_json::from_str(text).unwrap();
            let (estimate, cost) = (estimate(&v, 2), cost(&v));
            assert!(
                estimate >= cost && estimate <= 2 * cost,
                "{text}: {estimate} for {cost}"
            );
        }
    }

    #[test]
    fn a_costed_writer_fails_past_its_budget() {
        let v: Value = serde_json::from_str(&format!("[{}]", "{},".repeat(99) + "{}")).unwrap();
        let text = serde_json::to_vec(&v).unwrap();
        let mut w = CostedWriter::new(Vec::new(), cost(&v));
        io::Write::write_all(&mut w, &text).unwrap();
        assert!(!w.is_over_budget());
        let mut w = CostedWriter::new(Vec::new(), cost(&v) - 1);
        let e = io::Write::write_all(&mut w, &text).unwrap_err();
        assert!(is_over_budget(&e), "{e}");
        assert!(w.is_over_budget());
    }
}
