//! Safe XML reading for device exports (Jamf Classic XML) and a safety pass
//! for XML property lists.
//!
//! No entity expansion: a DOCTYPE with an internal subset or any `<!ENTITY`
//! declaration is rejected, and references other than the five predefined
//! entities and character references are errors. Element depth and text
//! size are bounded.

use std::io::BufRead;

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

use super::meter::Metered;
use super::note::Reason;
use super::InventoryError;

/// Longest text of one XML element (bytes); longer makes the record unreadable.
pub const MAX_TEXT: usize = 1 << 20;

/// Checks a DOCTYPE: a plain `<!DOCTYPE plist PUBLIC …>` is fine; an internal
/// subset or entity declaration is rejected.
fn check_doctype(text: &[u8]) -> Result<(), InventoryError> {
    let t = String::from_utf8_lossy(text);
    if t.contains('[') || t.to_ascii_uppercase().contains("ENTITY") {
        return Err(InventoryError::XmlEntities);
    }
    Ok(())
}

/// Resolves a general reference (`&amp;`, `&#x41;`); other entities are errors.
fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Result<String, InventoryError> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Ok(c.to_string());
    }
    let name = r.decode().map(|c| c.into_owned()).unwrap_or_default();
    let s = match name.as_str() {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => {
            return Err(InventoryError::Xml(format!(
                "reference to an undefined entity &{};",
                name.chars().take(40).collect::<String>()
            )))
        }
    };
    Ok(s.to_string())
}

/// The kind of a quick-xml error, in words (no content).
fn xml_err_kind(e: &quick_xml::Error) -> &'static str {
    match e {
        quick_xml::Error::Syntax(_) => "syntax error",
        quick_xml::Error::IllFormed(_) => "ill-formed document (mismatched or unclosed element)",
        quick_xml::Error::Encoding(_) => "text is not valid UTF-8",
        quick_xml::Error::Escape(_) => "bad character reference",
        quick_xml::Error::Io(_) => "read error",
        _ => "unreadable XML",
    }
}

/// A quick-xml error at byte `pos`, with the place kept typed.
fn xml_err_at(e: quick_xml::Error, pos: u64) -> InventoryError {
    InventoryError::XmlAt {
        what: xml_err_kind(&e).to_string(),
        byte: pos,
    }
}

fn xml_err(e: quick_xml::Error, pos: u64) -> InventoryError {
    InventoryError::Xml(format!("{} near byte {pos}", xml_err_kind(&e)))
}

/// Walks an XML document checking only safety: no entity declarations, depth
/// at most `max_depth`. Used before handing a plist to the plist parser.
pub fn check_safe(bytes: &[u8], max_depth: usize) -> Result<(), InventoryError> {
    let mut reader = Reader::from_reader(bytes);
    let mut depth = 0usize;
    loop {
        let pos = reader.buffer_position();
        match reader.read_event().map_err(|e| xml_err(e, pos))? {
            Event::DocType(t) => check_doctype(&t)?,
            Event::GeneralRef(r) => {
                resolve_ref(&r)?;
            }
            Event::Start(_) => {
                depth += 1;
                if depth > max_depth {
                    return Err(InventoryError::TooDeep(max_depth));
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// One open element while reading.
struct Open {
    name: String,
    children: Map<String, Value>,
    text: String,
    has_children: bool,
    /// A record-level problem (e.g. oversized text).
    bad: Option<Reason>,
}

impl Open {
    fn new(name: String) -> Self {
        Open {
            name,
            children: Map::new(),
            text: String::new(),
            has_children: false,
            bad: None,
        }
    }

    fn into_value(self) -> Value {
        if self.has_children {
            Value::Object(self.children)
        } else {
            Value::String(self.text.trim().to_string())
        }
    }
}

/// Adds a child value; repeated names become an array.
fn add_child(map: &mut Map<String, Value>, name: String, v: Value) {
    match map.get_mut(&name) {
        Some(Value::Array(a)) => a.push(v),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, v]);
        }
        None => {
            map.insert(name, v);
        }
    }
}

/// Reads an XML export and calls `sink` for every element named one of
/// `record_tags` (outermost only) as a JSON value: elements with children
/// become objects, text-only elements become strings. A record with an
/// oversized text is passed as `Err(reason)`. Returns the root element's name.
///
/// Reading is one streaming pass over `input`: a DOCTYPE with an internal
/// subset or entity declarations is refused when met (it comes before the
/// root element, so before any record is passed on); nesting depth and text
/// size are bounded as the elements arrive.
pub fn for_each_element(
    input: &mut dyn BufRead,
    record_tags: &[&str],
    max_depth: usize,
    max_record: u64,
    mut sink: impl FnMut(Result<Value, Reason>),
) -> Result<String, InventoryError> {
    let mut reader = Reader::from_reader(Metered::new(input, max_record));
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    let mut in_record = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let pos = reader.buffer_position();
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(_) if reader.get_ref().tripped() => {
                let meter = reader.get_ref();
                return Err(InventoryError::RecordTooLarge {
                    limit: meter.limit(),
                    byte: meter.mark(),
                });
            }
            Err(e) => return Err(xml_err_at(e, pos)),
        };
        match ev {
            Event::DocType(t) => check_doctype(&t)?,
            Event::Start(ref s) | Event::Empty(ref s) => {
                let is_empty = matches!(ev, Event::Empty(_));
                let name = String::from_utf8_lossy(s.name().as_ref()).into_owned();
                if stack.len() >= max_depth {
                    return Err(InventoryError::TooDeep(max_depth));
                }
                if root.is_none() {
                    root = Some(name.clone());
                }
                if record_tags.contains(&name.as_str()) {
                    if in_record == 0 {
                        // A record's bytes are counted from its start tag on.
                        reader.get_ref().mark_at(pos);
                    }
                    in_record += 1;
                }
                stack.push(Open::new(name));
                if is_empty {
                    close(&mut stack, record_tags, &mut in_record, &mut sink);
                }
            }
            Event::End(_) => {
                close(&mut stack, record_tags, &mut in_record, &mut sink);
                if in_record == 0 {
                    reader.get_ref().mark_here();
                }
            }
            Event::Text(t) => {
                let text = t.decode().map_err(|_| not_utf8(pos))?;
                push_text(&mut stack, &text);
            }
            Event::CData(t) => {
                let text = t.decode().map_err(|_| not_utf8(pos))?;
                push_text(&mut stack, &text);
            }
            Event::GeneralRef(r) => {
                let s = resolve_ref(&r)?;
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(InventoryError::XmlAt {
            what: "the XML ends early (truncated): unclosed elements".into(),
            byte: reader.buffer_position(),
        });
    }
    root.ok_or_else(|| InventoryError::Xml("no XML element found".into()))
}

/// Text that is not UTF-8 at byte `pos`.
fn not_utf8(pos: u64) -> InventoryError {
    InventoryError::XmlAt {
        what: "text is not valid UTF-8".into(),
        byte: pos,
    }
}

/// Appends text to the innermost open element, bounded by [`MAX_TEXT`].
fn push_text(stack: &mut [Open], text: &str) {
    if let Some(top) = stack.last_mut() {
        if top.text.len().saturating_add(text.len()) > MAX_TEXT {
            top.bad = Some(Reason::ElementTooLong {
                element: top.name.chars().take(40).collect(),
                limit: MAX_TEXT,
            });
        } else {
            top.text.push_str(text);
        }
    }
}

/// Closes the innermost element: hands a record to `sink`, or attaches the
/// element to its parent.
fn close(
    stack: &mut Vec<Open>,
    record_tags: &[&str],
    in_record: &mut usize,
    sink: &mut impl FnMut(Result<Value, Reason>),
) {
    let Some(done) = stack.pop() else { return };
    let is_record = record_tags.contains(&done.name.as_str());
    if is_record {
        *in_record = in_record.saturating_sub(1);
    }
    if is_record && *in_record == 0 {
        match done.bad {
            Some(reason) => sink(Err(reason)),
            None => sink(Ok(done.into_value())),
        }
        return;
    }
    let bad = done.bad.clone();
    if let Some(parent) = stack.last_mut() {
        if parent.bad.is_none() {
            parent.bad = bad;
        }
        parent.has_children = true;
        let name = done.name.clone();
        add_child(&mut parent.children, name, done.into_value());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(x: &str) -> Result<Vec<Result<Value, Reason>>, InventoryError> {
        let mut v = Vec::new();
        for_each_element(
            &mut x.as_bytes(),
            &["mobile_device"],
            64,
            crate::limits::DEFAULT_RECORD_SIZE,
            |r| v.push(r),
        )?;
        Ok(v)
    }

    #[test]
    fn list_and_nested() {
        let r = records(
            "<mobile_devices><size>2</size><mobile_device><general><id>1</id><name>A &amp; B</name></general></mobile_device>\
             <mobile_device><general><id>2</id></general><security/></mobile_device></mobile_devices>",
        )
        .unwrap();
        assert_eq!(r.len(), 2);
        let first = r[0].as_ref().unwrap();
        assert_eq!(first["general"]["name"], "A & B");
        assert_eq!(r[1].as_ref().unwrap()["general"]["id"], "2");
    }

    #[test]
    fn rejects_entities_truncation_depth() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><mobile_device>&lol2;</mobile_device>";
        assert!(matches!(records(bomb), Err(InventoryError::XmlEntities)));
        assert!(matches!(
            records("<mobile_device><general>&xxe;</general></mobile_device>"),
            Err(InventoryError::Xml(_))
        ));
        assert!(matches!(
            records("<mobile_device><general><id>1</id>"),
            Err(InventoryError::XmlAt { byte: 34, .. })
        ));
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(matches!(records(&deep), Err(InventoryError::TooDeep(64))));
        assert!(check_safe(
            b"<?xml version=\"1.0\"?><!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\"><plist><dict/></plist>",
            64
        )
        .is_ok());
    }

    #[test]
    fn oversized_text_marks_record() {
        let big = "x".repeat(MAX_TEXT + 10);
        let r = records(&format!(
            "<mobile_device><general><name>{big}</name></general></mobile_device>"
        ))
        .unwrap();
        assert!(r[0].is_err());
    }
}
