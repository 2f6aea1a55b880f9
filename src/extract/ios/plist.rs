//! Property lists (XML or binary), read with bounds, and their JSON form.
//!
//! The `plist` crate's event stream is consumed here with an explicit stack,
//! so nesting depth and the *decoded size* are checked while parsing, event by
//! event, before the next value is read: every string, data blob and key costs
//! its decoded length and every value a fixed [`VALUE_COST`], against
//! `Limits::max_plist_decoded`. A binary plist can reference one object from
//! many places (its object table is shared); the crate reads a referenced
//! object again for each reference, and each reference is charged here, so
//! "one 4 MiB string referenced 2,000 times" or an exponential graph of arrays
//! fails after the budget (64 MiB by default), in milliseconds, instead of
//! materialising gigabytes.
//!
//! Why the event stream and not a walk of our own over the object table: the
//! crate already bounds each single object by the file (every length is
//! checked against the offset table's position, and an object on the current
//! path cannot be entered again), so one event costs at most the file's size
//! (UTF-16 strings: 1.5 times). Charging the events therefore bounds the whole
//! read by `budget + 1.5 × file size`, for XML and binary plists alike, with
//! one code path; a separate pre-check of the bplist graph would be a second
//! parser of the format that could disagree with the one that builds the
//! values.

use std::collections::BTreeMap;
use std::io::Cursor;

use base64::Engine;
use plist::stream::{Event, Reader};
use plist::{Dictionary, Value};
use thiserror::Error;

use crate::archive::working::{self, Refused};
use crate::facts::MetaValue;
use crate::limits::Limits;

/// Largest property list accepted (bytes). Info.plists are kilobytes; this
/// leaves room for large `GoogleService-Info.plist`s and profiles.
pub const MAX_PLIST_SIZE: usize = 8 << 20;

/// Decoded bytes charged for every value besides its text: roughly the
/// memory of a `plist::Value` and its slot in the parent collection.
pub const VALUE_COST: u64 = 64;

/// Why a property list could not be read.
#[derive(Debug, Error)]
pub enum PlistError {
    /// The file is empty.
    #[error("empty property list (0 bytes)")]
    Empty,
    /// The file is larger than the size limit.
    #[error("property list is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Actual size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Nesting deeper than `Limits::max_depth`.
    #[error("property list nests deeper than the limit of {limit} levels")]
    TooDeep {
        /// The limit.
        limit: usize,
    },
    /// The values decode to more than `Limits::max_plist_decoded` bytes.
    #[error("property list decodes to more than the budget of {limit} bytes (--max-plist-decoded; a value referenced many times counts each time: reference amplification); refused")]
    OverBudget {
        /// The budget (bytes).
        limit: u64,
    },
    /// The app's property lists together decode to more than its share of
    /// the scan's working memory ([`Limits::working_pool`]).
    #[error("the app's property lists together decode to more than {limit} bytes (twice --max-plist-decoded: the most one app may hold at once, so that a scan's memory does not grow with its threads); refused")]
    AppOverBudget {
        /// The allowance (bytes).
        limit: u64,
    },
    /// Other apps read at the same time hold the scan's working memory: this
    /// reading is abandoned and the app is read again when the memory is
    /// free (`archive::working`). Never reported: the second reading replaces it.
    #[error(
        "the scan's working memory is held by other apps; this app is read again when it is free"
    )]
    Retry,
    /// The bytes are not a valid XML or binary property list.
    #[error("not a valid property list: {0}")]
    Syntax(String),
    /// The top level is not a dictionary where one is required.
    #[error("property list top level is a {found}, expected a dictionary")]
    NotADictionary {
        /// The kind found.
        found: &'static str,
    },
}

/// A container being built.
enum Frame {
    Array(Vec<Value>),
    Dict(Dictionary, Option<String>),
}

/// Reads a property list (XML or binary) of at most [`MAX_PLIST_SIZE`] bytes
/// with depth and decoded-size bounds.
pub fn read_plist(bytes: &[u8], limits: &Limits) -> Result<Value, PlistError> {
    read_plist_sized(bytes, MAX_PLIST_SIZE, limits)
}

/// Decoded bytes of one event beyond [`VALUE_COST`] (text and data lengths).
fn event_cost(event: &Event) -> u64 {
    let text = match event {
        Event::String(s) => s.len(),
        Event::Data(d) => d.len(),
        _ => 0,
    };
    VALUE_COST.saturating_add(text as u64)
}

/// Reads a property list (XML or binary) of at most `max_size` bytes, with
/// the depth (`limits.max_depth`) and decoded-size
/// (`limits.max_plist_decoded`) bounds checked event by event.
pub fn read_plist_sized(
    bytes: &[u8],
    max_size: usize,
    limits: &Limits,
) -> Result<Value, PlistError> {
    read_events(bytes, max_size, limits, None)
}

/// A key that one dictionary gives twice with different values, as
/// [`read_plist_repeats`] reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repeat {
    /// The element of a top-level array the dictionary is in (from 0), when
    /// the top level is an array.
    pub element: Option<usize>,
    /// The key's dotted path from that element (or the top level).
    pub path: String,
    /// The value given first and the other one, shortly ([`short`]).
    pub values: (String, String),
}

/// Most repeats [`read_plist_repeats`] describes (the others are counted).
pub const MAX_REPEATS: usize = 32;

/// The repeats of one read: described, and counted beyond [`MAX_REPEATS`].
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repeats {
    /// The repeats described.
    pub listed: Vec<Repeat>,
    /// Repeats beyond [`MAX_REPEATS`].
    pub more: usize,
    /// Where repeats were found, listed or counted: the elements of a
    /// top-level array (from 0), or `None` for a top level that is no array.
    pub elements: std::collections::BTreeSet<Option<usize>>,
}

/// [`read_plist_sized`], a key a dictionary gives twice kept as both:
/// the `plist` crate's events give every key as written, and a dictionary
/// keeps one value per key, so [`read_plist_sized`] keeps the last, which
/// another reader of the file may not. Here the same value again changes
/// nothing; two dictionaries are merged key by key (by the same rule);
/// other values become an array of both (a reader that expects a scalar
/// finds none, so the fact is left unknown), and each such key is listed.
pub fn read_plist_repeats(
    bytes: &[u8],
    max_size: usize,
    limits: &Limits,
) -> Result<(Value, Repeats), PlistError> {
    let mut repeats = Repeats::default();
    let value = read_events(bytes, max_size, limits, Some(&mut repeats))?;
    Ok((value, repeats))
}

/// `s` quoted, cut after 40 characters (marked with `…`): for a note.
pub fn short_text(s: &str) -> String {
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("{cut:?}…")
    } else {
        format!("{cut:?}")
    }
}

/// A value in a few characters (no more than 40 of a text): for a note.
pub fn short(v: &Value) -> String {
    match v {
        Value::Boolean(b) => b.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::String(s) => short_text(s),
        other => kind_name(other).to_string(),
    }
}

/// Where the value being read goes: the element of a top-level array,
/// and the dotted path of pending dictionary keys.
fn place_of(stack: &[Frame]) -> (Option<usize>, String) {
    let element = match stack.first() {
        Some(Frame::Array(a)) => Some(a.len()),
        _ => None,
    };
    let path: Vec<&str> = stack
        .iter()
        .filter_map(|f| match f {
            Frame::Dict(_, Some(k)) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    (element, path.join("."))
}

/// Puts `again` into `old` (a key given twice): see [`read_plist_repeats`].
fn repeat(old: &mut Value, again: Value, element: Option<usize>, path: &str, out: &mut Repeats) {
    if *old == again {
        return;
    }
    match (old, again) {
        (Value::Dictionary(o), Value::Dictionary(a)) => {
            for (k, v) in a {
                let inner = format!("{path}.{k}");
                match o.get_mut(&k) {
                    Some(o) => repeat(o, v, element, &inner, out),
                    None => {
                        o.insert(k, v);
                    }
                }
            }
        }
        (old, again) => {
            out.elements.insert(element);
            if out.listed.len() < MAX_REPEATS {
                out.listed.push(Repeat {
                    element,
                    path: path.chars().take(120).collect(),
                    values: (short(old), short(&again)),
                });
            } else {
                out.more = out.more.saturating_add(1);
            }
            let first = std::mem::replace(old, Value::Boolean(false));
            *old = Value::Array(vec![first, again]);
        }
    }
}

/// Reads the events of a property list into a value (see
/// [`read_plist_sized`]); with `repeats`, a repeated key is kept as
/// [`read_plist_repeats`] says.
fn read_events(
    bytes: &[u8],
    max_size: usize,
    limits: &Limits,
    mut repeats: Option<&mut Repeats>,
) -> Result<Value, PlistError> {
    if bytes.is_empty() {
        return Err(PlistError::Empty);
    }
    if bytes.len() > max_size {
        return Err(PlistError::TooLarge {
            size: bytes.len(),
            limit: max_size,
        });
    }
    let budget = limits.max_plist_decoded;
    let mut spent = 0u64;
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<Value> = None;
    for event in Reader::new(Cursor::new(bytes)) {
        let event = event.map_err(|e| PlistError::Syntax(e.to_string()))?;
        let cost = event_cost(&event);
        spent = spent.saturating_add(cost);
        if spent > budget {
            return Err(PlistError::OverBudget { limit: budget });
        }
        working::charge(cost).map_err(|r| match r {
            Refused::OverAllowance(limit) => PlistError::AppOverBudget { limit },
            Refused::Retry => PlistError::Retry,
        })?;
        let value = match event {
            Event::StartArray(_) | Event::StartDictionary(_) => {
                if stack.len() >= limits.max_depth {
                    return Err(PlistError::TooDeep {
                        limit: limits.max_depth,
                    });
                }
                stack.push(match event {
                    Event::StartArray(_) => Frame::Array(Vec::new()),
                    _ => Frame::Dict(Dictionary::new(), None),
                });
                continue;
            }
            Event::EndCollection => match stack.pop() {
                Some(Frame::Array(a)) => Value::Array(a),
                Some(Frame::Dict(d, None)) => Value::Dictionary(d),
                Some(Frame::Dict(_, Some(k))) => {
                    return Err(PlistError::Syntax(format!(
                        "dictionary key '{}' has no value",
                        k.chars().take(80).collect::<String>()
                    )))
                }
                None => return Err(PlistError::Syntax("unbalanced end of collection".into())),
            },
            Event::Boolean(b) => Value::Boolean(b),
            Event::Data(d) => Value::Data(d.into_owned()),
            Event::Date(d) => Value::Date(d),
            Event::Integer(i) => Value::Integer(i),
            Event::Real(r) => Value::Real(r),
            Event::String(s) => Value::String(s.into_owned()),
            Event::Uid(u) => Value::Uid(u),
            _ => return Err(PlistError::Syntax("unsupported event".into())),
        };
        // A key this dictionary has already: where it is, to list it.
        let again = match (&repeats, stack.last()) {
            (Some(_), Some(Frame::Dict(d, Some(k)))) if d.contains_key(k) => Some(place_of(&stack)),
            _ => None,
        };
        match stack.last_mut() {
            None => {
                if root.is_some() {
                    return Err(PlistError::Syntax("more than one top-level value".into()));
                }
                root = Some(value);
            }
            Some(Frame::Array(a)) => a.push(value),
            Some(Frame::Dict(d, key)) => match key.take() {
                Some(k) => match (again, d.get_mut(&k), repeats.as_deref_mut()) {
                    (Some((element, path)), Some(old), Some(out)) => {
                        repeat(old, value, element, &path, out);
                    }
                    _ => {
                        d.insert(k, value);
                    }
                },
                None => match value {
                    Value::String(k) => *key = Some(k),
                    _ => return Err(PlistError::Syntax("dictionary key is not a string".into())),
                },
            },
        }
    }
    if !stack.is_empty() {
        return Err(PlistError::Syntax("unterminated collection".into()));
    }
    root.ok_or_else(|| PlistError::Syntax("no value".into()))
}

/// Reads a property list whose top level must be a dictionary.
pub fn read_dict(bytes: &[u8], limits: &Limits) -> Result<Dictionary, PlistError> {
    match read_plist(bytes, limits)? {
        Value::Dictionary(d) => Ok(d),
        other => Err(PlistError::NotADictionary {
            found: kind_name(&other),
        }),
    }
}

/// The plist type name of a value (`dict`, `array`, `string`, …).
pub fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "array",
        Value::Dictionary(_) => "dict",
        Value::Boolean(_) => "boolean",
        Value::Data(_) => "data",
        Value::Date(_) => "date",
        Value::Real(_) => "real",
        Value::Integer(_) => "integer",
        Value::String(_) => "string",
        Value::Uid(_) => "uid",
        _ => "unknown",
    }
}

/// Converts a plist value to JSON: dates become RFC 3339 strings, data
/// becomes base64, UIDs become numbers, non-finite reals become strings.
pub fn to_json(value: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        Value::Array(a) => J::Array(a.iter().map(to_json).collect()),
        Value::Dictionary(d) => J::Object(dict_to_json(d)),
        Value::Boolean(b) => J::Bool(*b),
        Value::Data(d) => J::String(base64::engine::general_purpose::STANDARD.encode(d)),
        Value::Date(d) => J::String(d.to_xml_format()),
        Value::Real(r) => serde_json::Number::from_f64(*r)
            .map(J::Number)
            .unwrap_or_else(|| J::String(r.to_string())),
        Value::Integer(i) => match (i.as_signed(), i.as_unsigned()) {
            (Some(s), _) => J::from(s),
            (None, Some(u)) => J::from(u),
            _ => J::Null,
        },
        Value::String(s) => J::String(s.clone()),
        Value::Uid(u) => J::from(u.get()),
        _ => J::Null,
    }
}

/// Converts a plist dictionary to a JSON object (see [`to_json`]).
pub fn dict_to_json(dict: &Dictionary) -> serde_json::Map<String, serde_json::Value> {
    dict.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()
}

/// Flattens the scalar values of a dictionary into SDK switches: nested
/// dictionaries are joined with `.` (`bugsnag.autoDetectErrors`); arrays,
/// data and dates are skipped.
pub fn flatten_switches(dict: &Dictionary, out: &mut BTreeMap<String, MetaValue>) {
    let mut work: Vec<(String, &Dictionary)> = vec![(String::new(), dict)];
    while let Some((prefix, d)) = work.pop() {
        for (k, v) in d {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            let (kind, value) = match v {
                Value::Dictionary(inner) => {
                    work.push((key, inner));
                    continue;
                }
                Value::Boolean(b) => ("boolean", b.to_string()),
                Value::Integer(i) => ("int", i.to_string()),
                Value::Real(r) => ("float", r.to_string()),
                Value::String(s) => ("string", s.clone()),
                _ => continue,
            };
            out.insert(
                key,
                MetaValue {
                    kind: kind.to_string(),
                    value: Some(value),
                    reference: None,
                },
            );
        }
    }
}

/// A boolean at `key`; also accepts the strings `YES`/`NO`/`true`/`false`
/// and integers 0/1, as iOS does for Info.plist booleans.
pub fn get_bool(dict: &Dictionary, key: &str) -> Option<bool> {
    as_bool(dict.get(key)?)
}

/// A value read as a boolean the way iOS reads Info.plist booleans.
pub fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Boolean(b) => Some(*b),
        Value::Integer(i) => i.as_signed().map(|n| n != 0),
        Value::String(s) => match s.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Some(true),
            "no" | "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A string at `key`.
pub fn get_string(dict: &Dictionary, key: &str) -> Option<String> {
    dict.get(key)?.as_string().map(str::to_string)
}

/// The strings of an array at `key` (non-strings skipped; a single string
/// is accepted as a one-element list).
pub fn get_strings(dict: &Dictionary, key: &str) -> Vec<String> {
    match dict.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|v| v.as_string().map(str::to_string))
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn xml(body: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">{body}</plist>")
            .into_bytes()
    }

    #[test]
    fn reads_xml_dict_and_converts_types() {
        let v = read_plist(
            &xml("<dict><key>a</key><true/><key>d</key><data>AQID</data><key>t</key><date>2016-11-07T12:00:00Z</date><key>n</key><dict><key>x</key><integer>5</integer></dict></dict>"),
            &Limits::default(),
        )
        .unwrap();
        let j = to_json(&v);
        assert_eq!(j["a"], true);
        assert_eq!(j["d"], "AQID");
        assert_eq!(j["t"], "2016-11-07T12:00:00Z");
        assert_eq!(j["n"]["x"], 5);
        let mut sw = BTreeMap::new();
        flatten_switches(v.as_dictionary().unwrap(), &mut sw);
        assert_eq!(sw["n.x"].kind, "int");
        assert_eq!(sw["a"].value.as_deref(), Some("true"));
        assert!(!sw.contains_key("d"));
    }

    #[test]
    fn rejects_deep_nesting_and_garbage() {
        let deep = format!("{}{}", "<array>".repeat(300), "</array>".repeat(300));
        assert!(matches!(
            read_plist(&xml(&deep), &Limits::default()),
            Err(PlistError::TooDeep { limit: 256 })
        ));
        let ok = format!("{}{}", "<array>".repeat(200), "</array>".repeat(200));
        assert!(read_plist(&xml(&ok), &Limits::default()).is_ok());
        assert!(matches!(
            read_plist(b"", &Limits::default()),
            Err(PlistError::Empty)
        ));
        assert!(matches!(
            read_plist(b"bplist00\x01\x02", &Limits::default()),
            Err(PlistError::Syntax(_))
        ));
        assert!(matches!(
            read_dict(&xml("<string>x</string>"), &Limits::default()),
            Err(PlistError::NotADictionary { found: "string" })
        ));
    }

    /// A binary plist of already encoded objects (object 0 is the root;
    /// offsets 4 bytes, references 2 bytes).
    pub(crate) fn bplist(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for o in objects {
            offsets.push(out.len() as u32);
            out.extend_from_slice(o);
        }
        let table = out.len() as u64;
        for off in offsets {
            out.extend_from_slice(&off.to_be_bytes());
        }
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 4, 2]);
        out.extend_from_slice(&(objects.len() as u64).to_be_bytes());
        out.extend_from_slice(&0u64.to_be_bytes());
        out.extend_from_slice(&table.to_be_bytes());
        out
    }

    /// The marker byte(s) of an object of `kind` (high nibble) and length `n`.
    fn marker(kind: u8, n: usize) -> Vec<u8> {
        if n < 15 {
            return vec![kind << 4 | n as u8];
        }
        let mut v = vec![kind << 4 | 0x0f, 0x12];
        v.extend_from_slice(&(n as u32).to_be_bytes());
        v
    }

    /// `{"CFBundleIdentifier": "x", "A": [big; times]}` with one `big_mib`
    /// MiB string referenced `times` times.
    pub(crate) fn amplified(big_mib: usize, times: usize) -> Vec<u8> {
        let string = |s: &[u8]| [marker(0x5, s.len()), s.to_vec()].concat();
        let mut array = marker(0xA, times);
        for _ in 0..times {
            array.extend_from_slice(&5u16.to_be_bytes());
        }
        let root = [marker(0xD, 2), vec![0, 1, 0, 3, 0, 2, 0, 4]].concat();
        bplist(&[
            root,
            string(b"CFBundleIdentifier"),
            string(b"org.example.x"),
            string(b"A"),
            array,
            string(&vec![b'A'; big_mib << 20]),
        ])
    }

    #[test]
    fn one_string_referenced_thousands_of_times_fails_fast_on_the_budget() {
        // 4 MiB referenced 2,000 times: 8 GB when materialised.
        let bytes = amplified(4, 2000);
        assert!(bytes.len() < 5 << 20);
        let t = std::time::Instant::now();
        let e = read_dict(&bytes, &Limits::default()).unwrap_err();
        assert!(
            t.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            t.elapsed()
        );
        assert!(matches!(e, PlistError::OverBudget { limit } if limit == 64 << 20));
        assert!(e.to_string().contains("--max-plist-decoded"), "{e}");
        // The same graph with few references is an ordinary plist, and the
        // budget is the limit given.
        let d = read_dict(&amplified(1, 3), &Limits::default()).unwrap();
        assert_eq!(d["A"].as_array().unwrap().len(), 3);
        let tight = Limits {
            max_plist_decoded: 2 << 20,
            ..Limits::default()
        };
        assert!(matches!(
            read_dict(&amplified(1, 3), &tight),
            Err(PlistError::OverBudget { limit }) if limit == 2 << 20
        ));
    }

    #[test]
    fn xml_plists_are_budgeted_on_text_and_value_count() {
        let tight = Limits {
            max_plist_decoded: 1 << 20,
            ..Limits::default()
        };
        // Many small values: the per-value cost counts, not only text.
        let many = xml(&format!("<array>{}</array>", "<true/>".repeat(20_000)));
        assert!(many.len() < 1 << 20);
        assert!(matches!(
            read_plist(&many, &tight),
            Err(PlistError::OverBudget { .. })
        ));
        // One long text.
        let text = xml(&format!("<string>{}</string>", "x".repeat(1_200_000)));
        assert!(matches!(
            read_plist(&text, &tight),
            Err(PlistError::OverBudget { .. })
        ));
        assert!(read_plist(&many, &Limits::default()).is_ok());
    }

    #[test]
    fn an_apps_property_lists_share_one_allowance_in_a_scope() {
        use crate::archive::working::{in_use, run_target};
        // A pool size no other test uses: pools are process-wide.
        let limits = Limits {
            max_plist_decoded: 3 << 19,
            ..Limits::default()
        };
        let pool = limits.working_pool();
        let doc = xml(&format!("<string>{}</string>", "A".repeat(700 << 10)));
        // Outside an app's scope every read has only its own budget.
        for _ in 0..5 {
            read_plist(&doc, &limits).unwrap();
        }
        let (results, again) = run_target(pool, || {
            (0..5)
                .map(|_| read_plist(&doc, &limits).map(|_| ()))
                .collect::<Vec<_>>()
        });
        assert!(!again);
        assert!(results[..4].iter().all(Result::is_ok), "{results:?}");
        let e = results[4].as_ref().unwrap_err();
        assert!(
            matches!(e, PlistError::AppOverBudget { limit } if *limit == pool),
            "{e}"
        );
        assert!(e.to_string().contains("twice --max-plist-decoded"), "{e}");
        assert_eq!(in_use(pool), 0, "given back at the end of the app");
    }

    #[test]
    fn rejects_exponential_binary_reference_graph() {
        // 40 arrays, each holding two references to the next: 2^40 values when expanded.
        let n: usize = 41;
        let mut objects: Vec<Vec<u8>> = Vec::new();
        for i in 0..n - 1 {
            objects.push(vec![0xA2, (i + 1) as u8, (i + 1) as u8]);
        }
        objects.push(vec![0x09]); // true
        let mut out = b"bplist00".to_vec();
        let mut offsets = Vec::new();
        for o in &objects {
            offsets.push(out.len() as u16);
            out.extend_from_slice(o);
        }
        let table = out.len() as u64;
        for off in offsets {
            out.extend_from_slice(&off.to_be_bytes());
        }
        out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 2, 1]);
        out.extend_from_slice(&(n as u64).to_be_bytes());
        out.extend_from_slice(&0u64.to_be_bytes());
        out.extend_from_slice(&table.to_be_bytes());
        let limits = Limits::default();
        let t = std::time::Instant::now();
        assert!(matches!(
            read_plist(&out, &limits),
            Err(PlistError::OverBudget { .. })
        ));
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }
}
