//! A record as read: its kept entries ([`Record::Kept`]) or a value built
//! exactly as serde_json's own `Value` is, but for a repeated key.

use super::*;

/// A record inside `depth` one-element arrays (so serde's nesting budget is
/// the one it has inside the export).
pub(super) struct Nested {
    pub(super) depth: usize,
    pub(super) keep: Keep<'static>,
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

/// A record as serde_json reads a [`Value`], an object holding only the
/// keys in `keep`: with a keep list, an object is read into its kept
/// entries ([`Record::Kept`]).
pub(super) fn record<'de, D: Deserializer<'de>>(
    d: D,
    keep: Keep<'static>,
) -> Result<Record, D::Error> {
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
    /// few dozen keys once ([`crate::extract::inventory::record::Rec`]).
    Kept(Vec<(&'static str, Value)>),
    /// Any other record: read whole, a single record object, or anything
    /// but an object.
    Value(Value),
}

impl Record {
    /// About the bytes the record holds: its texts, and 32 for each of its
    /// values (what bounds a batch of records,
    /// [`crate::extract::inventory::batch::BATCH_BYTES`]).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Record::Kept(entries) => entries.iter().map(|(_, v)| value_bytes(v)).sum(),
            Record::Value(v) => value_bytes(v),
        }
    }

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
pub(super) fn repeat(value: &mut Value, again: Value) {
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
pub(super) fn object_of(entries: Vec<(String, Value)>) -> serde_json::Map<String, Value> {
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
pub(crate) fn insert_repeated(map: &mut serde_json::Map<String, Value>, k: String, v: Value) {
    match map.entry(k) {
        serde_json::map::Entry::Vacant(e) => {
            e.insert(v);
        }
        serde_json::map::Entry::Occupied(mut e) => repeat(e.get_mut(), v),
    }
}

/// Reads a record with a keep list exactly as [`Built`] reads it (the
/// same deserializer calls), an object into [`Record::Kept`].
pub(super) struct KeptRecord {
    keys: &'static [&'static str],
}

thread_local! {
    /// How many entries the last record [`KeptRecord`] read on this thread had.
    pub(super) static LAST_KEPT: Cell<usize> = const { Cell::new(0) };
}

/// Adds the value `v` of `key` (kept by keep-list entry number `at`) to a
/// record's kept `entries`, a repeated key as [`repeat`] keeps it; `used`
/// marks the entries used so far.
pub(super) fn keep_entry(
    entries: &mut Vec<(&'static str, Value)>,
    used: &mut u64,
    at: usize,
    key: &'static str,
    v: Value,
) {
    let bit = (at < TRACKED).then(|| 1u64 << at);
    let seen = bit.is_none_or(|b| *used & b != 0);
    if let Some(b) = bit {
        *used |= b;
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

/// Most keep-list entries whose use [`KeptRecord`] tracks in a bit set (a
/// key seen again is searched for only when its entry's bit is set).
pub(super) const TRACKED: usize = 64;

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
            keep_entry(&mut entries, &mut used, at, key, v);
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
pub(super) struct EntryKey {
    keys: &'static [&'static str],
}

/// What [`EntryKey`] gives.
pub(super) type EntryOf = Option<(usize, &'static str, Option<&'static str>)>;

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
pub(super) struct Built<'k> {
    pub(super) keep: Keep<'k>,
    /// Building the object under this key of the record: only the keys
    /// `keep` names inside it are kept (see [`Kept::Part`]).
    pub(super) inside: Option<&'k str>,
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
pub(super) struct KeyIn<'k> {
    pub(super) keep: Keep<'k>,
    /// The key of the partly kept object whose keys these are.
    pub(super) inside: Option<&'k str>,
}

/// What [`KeyIn`] gives.
pub(super) type KeptKey<'k> = Option<(String, Option<&'k str>)>;

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
pub(super) struct Skip;

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
pub(super) fn object_from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Value, A::Error> {
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

/// About the bytes `v` holds ([`Record::heap_bytes`]); the nesting is
/// bounded by serde's recursion limit, which the record was read under.
fn value_bytes(v: &Value) -> usize {
    const VALUE: usize = 32;
    VALUE
        + match v {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(value_bytes).sum(),
            Value::Object(map) => map.iter().map(|(k, v)| k.len() + value_bytes(v)).sum(),
            Value::Null | Value::Bool(_) | Value::Number(_) => 0,
        }
}
