//! Streaming JSON reading for device exports.
//!
//! Accepts a single record object, an object holding a record array under a
//! known key (`value`, `devices`, `Devices`, `results`, `mobile_devices`), a bare
//! array of records or of pages, several pages concatenated, and JSON lines.
//! The record array is streamed element by element (serde `SeqAccess`), so only
//! one record is held as a JSON tree at a time.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::InventoryError;

/// Keys under which exports carry their record arrays.
pub const RECORD_KEYS: &[&str] = &["value", "devices", "Devices", "results", "mobile_devices"];

/// Describes a serde_json error by kind and position only — never by content,
/// which may be personal data.
pub fn describe(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "JSON syntax error",
        Category::Eof => "the JSON ends early (truncated)",
        Category::Data => "unexpected JSON value type",
        Category::Io => "read error",
    };
    format!("{what} at line {} column {}", e.line(), e.column())
}

/// Calls `sink` with each record of a JSON export. Returns the warnings for
/// top-level values that could not be read; fails when nothing could be read.
pub fn for_each_record(
    bytes: &[u8],
    mut sink: impl FnMut(Value),
) -> Result<Vec<String>, InventoryError> {
    let values = split_values(bytes);
    if values.is_empty() {
        return Err(InventoryError::Empty);
    }
    let mut warnings = Vec::new();
    let mut count = 0usize;
    let mut first_error = None;
    let several = values.len() > 1;
    for (i, slice) in values.iter().enumerate() {
        let mut counting = |v: Value| {
            count = count.saturating_add(1);
            sink(v)
        };
        let mut de = serde_json::Deserializer::from_slice(slice);
        let res = Top {
            sink: &mut counting,
        }
        .deserialize(&mut de)
        .and_then(|()| de.end());
        if let Err(e) = res {
            let msg = describe(&e);
            if several {
                warnings.push(format!(
                    "JSON value {} (line or page {}): {msg}; skipped",
                    i.saturating_add(1),
                    i.saturating_add(1)
                ));
            } else {
                warnings.push(format!("{msg}; records before it were read"));
            }
            first_error.get_or_insert(msg);
        }
    }
    match first_error {
        Some(msg) if count == 0 => Err(InventoryError::Json(msg)),
        _ => Ok(warnings),
    }
}

/// Splits the input into top-level JSON values by bracket matching (string
/// aware), so JSON lines and concatenated pages can be read one by one and a
/// broken line does not stop the others.
fn split_values(bytes: &[u8]) -> Vec<&[u8]> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::new();
    let mut i = 0usize;
    let len = bytes.len();
    while i < len {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        let Some(&first) = bytes.get(i) else { break };
        let start = i;
        if first == b'{' || first == b'[' {
            let mut depth = 0usize;
            let mut in_str = false;
            let mut esc = false;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                if in_str {
                    if esc {
                        esc = false;
                    } else if b == b'\\' {
                        esc = true;
                    } else if b == b'"' {
                        in_str = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_str = true,
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
            }
        } else {
            while bytes
                .get(i)
                .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'{' && *b != b'[')
            {
                i += 1;
            }
        }
        if let Some(s) = bytes.get(start..i) {
            out.push(s);
        }
    }
    out
}

/// Visits one top-level value: a page object, a record object or an array.
struct Top<'s, F> {
    sink: &'s mut F,
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
        while let Some(v) = seq.next_element::<Value>()? {
            page_or_record(v, self.sink);
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

/// An element of a top-level array: a page (with a record array) or a record.
fn page_or_record(v: Value, sink: &mut impl FnMut(Value)) {
    let Value::Object(mut map) = v else {
        sink(v);
        return;
    };
    let key = RECORD_KEYS
        .iter()
        .find(|k| matches!(map.get(**k), Some(Value::Array(_))));
    if let Some(Value::Array(items)) = key.and_then(|k| map.remove(*k)) {
        items.into_iter().for_each(sink);
        return;
    }
    sink(Value::Object(map));
}

/// The record array under a record key, streamed element by element.
struct Elements<'s, F> {
    sink: &'s mut F,
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

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            (self.sink)(v);
        }
        Ok(())
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

    fn collect(s: &str) -> (Vec<Value>, Result<Vec<String>, InventoryError>) {
        let mut v = Vec::new();
        let r = for_each_record(s.as_bytes(), |x| v.push(x));
        (v, r)
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
