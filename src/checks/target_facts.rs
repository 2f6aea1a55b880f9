//! The facts a target's checks run on: a JSON value, or a device's typed
//! facts. The JSON form of a device (`serde_json::to_value`, with `kind` and
//! `inventory_format` added) is made only when a program has to run on it;
//! the rule cache ([`super::rule_cache`]) reads the values of the fact paths
//! its programs read straight from the typed device, all in one pass through
//! its `Serialize` implementation ([`Gather`]), so a device whose checks all
//! come from the cache is never converted.

use std::cell::OnceCell;
use std::fmt;
use std::sync::OnceLock;

use serde::ser::{self, Impossible, Serialize, SerializeStruct};
use serde_json::Value as Json;

use super::typed_paths::{accessor, Accessor};
use crate::facts::{Device, DeviceSource, FieldConflict, FilledValue};

/// The facts of one target.
pub(crate) enum TargetFacts<'f> {
    /// Facts given as JSON (apps, facts documents).
    Json(&'f Json),
    /// A device of an inventory in format `format`.
    Device {
        /// The device.
        device: &'f Device,
        /// The inventory's format (the `inventory_format` fact).
        format: &'f str,
        /// The JSON form, once made.
        json: OnceCell<Json>,
    },
}

impl<'f> TargetFacts<'f> {
    /// The facts of `device` from an inventory in `format`.
    pub(crate) fn device(device: &'f Device, format: &'f str) -> TargetFacts<'f> {
        TargetFacts::Device {
            device,
            format,
            json: OnceCell::new(),
        }
    }

    /// The facts as JSON (made on first use for a device).
    pub(crate) fn json(&self) -> &Json {
        match self {
            TargetFacts::Json(json) => json,
            TargetFacts::Device {
                device,
                format,
                json,
            } => json.get_or_init(|| device_json(device, format)),
        }
    }

    /// The top-level `record` fact, when it is a string.
    pub(crate) fn record(&self) -> Option<&str> {
        match self {
            TargetFacts::Json(json) => json.get("record").and_then(Json::as_str),
            TargetFacts::Device { device, .. } => Some(&device.record),
        }
    }

    /// The typed device; `None` when the facts are JSON.
    pub(crate) fn typed_device(&self) -> Option<&'f Device> {
        match self {
            TargetFacts::Json(_) => None,
            TargetFacts::Device { device, .. } => Some(device),
        }
    }

    /// The device's field conflicts (`conflicts`), the values it takes
    /// from another export than its most recent record's (`filled`), and
    /// the exports that list it (`sources`, most recent first); `None` when
    /// the facts are JSON.
    pub(crate) fn conflicts(
        &self,
    ) -> Option<(&'f [FieldConflict], &'f [FilledValue], &'f [DeviceSource])> {
        match self {
            TargetFacts::Json(_) => None,
            TargetFacts::Device { device, .. } => {
                Some((&device.conflicts, &device.filled, &device.sources))
            }
        }
    }

    /// Appends to `key` the key part of `path` ([`TargetFacts::write_key_parts`]).
    #[cfg(test)]
    pub(crate) fn write_key_part(&self, path: &[String], key: &mut Vec<u8>) {
        let mut parts = KeyParts::default();
        self.write_key_parts(&PathTree::new(vec![path.to_vec()]), &mut parts);
        key.extend_from_slice(parts.get(0));
    }
}

/// The distinct fact paths a set of programs reads, as a tree by field, so
/// that one pass over a device's typed facts writes the key parts of all of
/// them ([`TargetFacts::write_key_parts`]) instead of one pass per path.
#[derive(Debug, Default)]
pub(crate) struct PathTree {
    /// The paths by number.
    paths: Vec<Vec<String>>,
    root: Node,
    /// Per path, its accessor on the typed device; `None` unless every
    /// path has one ([`super::typed_paths`]).
    typed: Option<Box<[Accessor]>>,
}

/// A field of a struct, by its name, and the number of its branch in a
/// [`Node`] (`None`: no path goes through it).
type Field = (&'static str, Option<usize>);

/// The fields one level down the paths of a [`PathTree`], by name.
#[derive(Debug, Default)]
struct Node {
    branches: Vec<Branch>,
    /// The fields of the struct found here, in the order it serializes
    /// them, each with its branch: noted on the first pass, so that later
    /// passes find a field's branch by its place without comparing names.
    order: OnceLock<Box<[Field]>>,
}

impl Node {
    /// The branch of field `name`, the field number `k` of its struct.
    fn branch_of(&self, k: usize, name: &'static str) -> Option<usize> {
        match self.order.get().and_then(|order| order.get(k)) {
            // The same text at the same address: the same field name.
            Some(&(known, at)) if std::ptr::eq(known, name) => at,
            _ => self
                .branches
                .binary_search_by(|b| b.name.as_str().cmp(name))
                .ok(),
        }
    }
}

/// One field of a [`Node`]: the path ending here, the paths going on.
#[derive(Debug)]
struct Branch {
    name: String,
    /// The number of the path that ends at this field.
    leaf: Option<usize>,
    below: Node,
    /// The numbers of the paths going on below this field.
    below_ids: Vec<usize>,
}

impl PathTree {
    /// The tree of `paths` (path number `i` is `paths[i]`; none is empty).
    pub(crate) fn new(paths: Vec<Vec<String>>) -> PathTree {
        let mut root = Node::default();
        for (id, path) in paths.iter().enumerate() {
            let mut node = &mut root;
            for (depth, field) in path.iter().enumerate() {
                let at = match node
                    .branches
                    .binary_search_by(|b| b.name.as_str().cmp(field))
                {
                    Ok(at) => at,
                    Err(at) => {
                        node.branches.insert(
                            at,
                            Branch {
                                name: field.clone(),
                                leaf: None,
                                below: Node::default(),
                                below_ids: Vec::new(),
                            },
                        );
                        at
                    }
                };
                let branch = &mut node.branches[at];
                if depth + 1 == path.len() {
                    branch.leaf = Some(id);
                } else {
                    branch.below_ids.push(id);
                }
                node = &mut branch.below;
            }
        }
        let typed = paths.iter().map(|p| accessor(p)).collect();
        PathTree { paths, root, typed }
    }

    /// The same tree with every path read through the gatherer (to compare
    /// the accessors with it).
    #[cfg(test)]
    fn gathering(mut self) -> PathTree {
        self.typed = None;
        self
    }

    /// How many paths there are.
    pub(crate) fn len(&self) -> usize {
        self.paths.len()
    }
}

/// The key parts of a target's facts for the paths of a [`PathTree`].
#[derive(Debug, Default)]
pub(crate) struct KeyParts {
    bytes: Vec<u8>,
    /// Per path number, where its part is in `bytes`.
    at: Vec<(usize, usize)>,
}

impl KeyParts {
    /// The key part of path number `id` (empty when it was not written).
    pub(crate) fn get(&self, id: usize) -> &[u8] {
        self.at
            .get(id)
            .and_then(|&(start, end)| self.bytes.get(start..end))
            .unwrap_or_default()
    }

    /// The parts one after the other.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether the part of path `id` is written.
    fn written(&self, id: usize) -> bool {
        self.at.get(id).is_some_and(|&(_, end)| end > 0)
    }

    /// Starts the part of path `id`: it is what is written until [`KeyParts::end`].
    fn start(&mut self, id: usize) {
        if self.at.len() <= id {
            self.at.resize(id + 1, (0, 0));
        }
        self.at[id] = (self.bytes.len(), self.bytes.len());
        // 0xF8..=0xFF never occur in UTF-8 (JSON text), and a value in
        // [`Plain`] form has its length in it: the key is unambiguous.
        self.bytes.push(0xFF);
    }

    fn end(&mut self, id: usize) {
        self.at[id].1 = self.bytes.len();
    }

    /// Writes the part of path `id` that stops at `depth` with `marker`
    /// (and the value there written out as JSON, when given).
    pub(super) fn stop<T: ?Sized + Serialize>(
        &mut self,
        id: usize,
        marker: u8,
        depth: usize,
        value: Option<&T>,
    ) {
        self.start(id);
        self.bytes
            .extend_from_slice(&[marker, u8::try_from(depth).unwrap_or(u8::MAX)]);
        if let Some(v) = value {
            // Writing JSON to a Vec cannot fail.
            let _ = serde_json::to_writer(&mut self.bytes, v);
        }
        self.end(id);
    }

    /// Writes the part of path `id` that leads to `value`: in [`Plain`]
    /// form (marked 0xFB) when it is a text, number, boolean or nothing, else
    /// as JSON (0xFC).
    pub(super) fn value<T: ?Sized + Serialize>(&mut self, id: usize, value: &T) {
        self.start(id);
        let mark = self.bytes.len();
        self.bytes.push(0xFB);
        if value.serialize(Plain(&mut self.bytes)).is_err() {
            self.bytes.truncate(mark);
            self.bytes.push(0xFC);
            let _ = serde_json::to_writer(&mut self.bytes, value);
        }
        self.end(id);
    }
}

impl TargetFacts<'_> {
    /// Writes the key part of every path of `tree` into `parts`, in one pass
    /// over a device's typed facts: what the value of the path is (the JSON
    /// of its value), or where and why following it stopped (a missing
    /// field, or a value that is not an object, written out). A cache key is
    /// the parts of the paths a program reads: equal keys mean equal values
    /// at every path, whichever form the facts have.
    pub(crate) fn write_key_parts(&self, tree: &PathTree, parts: &mut KeyParts) {
        parts.bytes.clear();
        // Room for short values of every path. The rule cache hands in the
        // buffers of the thread's last device (`rule_cache::SCRATCH`), which
        // already have the room a fleet's alike devices take.
        parts.bytes.reserve(tree.len() * 32);
        parts.at.clear();
        parts.at.resize(tree.len(), (0, 0));
        if let (TargetFacts::Device { device, format, .. }, Some(typed)) = (self, &tree.typed) {
            for (id, write) in typed.iter().enumerate() {
                write(device, format, parts, id);
            }
            return;
        }
        let mut failed = Vec::new();
        if let TargetFacts::Device { device, format, .. } = self {
            for branch in &tree.root.branches {
                if let Some(text) = added_fact(&branch.name, format) {
                    if let Some(id) = branch.leaf {
                        parts.value(id, text);
                    }
                    for id in &branch.below_ids {
                        parts.stop(*id, 0xFD, 1, Some(text));
                    }
                }
            }
            let gather = Gather {
                node: &tree.root,
                depth: 0,
                parts,
                failed: &mut failed,
            };
            if device.serialize(gather).is_err() {
                failed.extend(0..tree.len());
            }
        }
        // What the typed facts could not give is read from the JSON form.
        failed.extend((0..tree.len()).filter(|id| !parts.written(*id)));
        failed.sort_unstable();
        failed.dedup();
        for id in failed {
            parts.start(id);
            write_path(&tree.paths[id], self.json(), &mut parts.bytes);
            parts.end(id);
        }
    }
}

/// The text of a fact the JSON form of a device adds to its fields (`kind`,
/// `inventory_format`), when `name` is one.
fn added_fact<'f>(name: &str, format: &'f str) -> Option<&'f str> {
    match name {
        "kind" => Some("device"),
        "inventory_format" => Some(format),
        _ => None,
    }
}

/// The JSON form of a device's facts, as checks see it.
fn device_json(device: &Device, format: &str) -> Json {
    let mut json = serde_json::to_value(device).unwrap_or(Json::Null);
    if let Json::Object(map) = &mut json {
        map.insert("kind".into(), "device".into());
        map.insert("inventory_format".into(), format.into());
    }
    json
}

/// Writes the key part of `path` in `facts` (see [`TargetFacts::write_key_part`]).
fn write_path(path: &[String], facts: &Json, key: &mut Vec<u8>) {
    let mut value = facts;
    for (depth, field) in path.iter().enumerate() {
        let depth = u8::try_from(depth).unwrap_or(u8::MAX);
        match value {
            Json::Object(map) => match map.get(field) {
                Some(v) => value = v,
                None => {
                    key.extend_from_slice(&[0xFE, depth]);
                    return;
                }
            },
            other => {
                key.extend_from_slice(&[0xFD, depth]);
                // Writing JSON to a Vec cannot fail.
                let _ = serde_json::to_writer(&mut *key, other);
                return;
            }
        }
    }
    key.push(0xFC);
    let _ = serde_json::to_writer(&mut *key, value);
}

/// Why [`Gather`] stopped.
#[derive(Debug)]
enum Stop {
    /// The value is not an object (a JSON object: a struct).
    NotObject,
    /// The value is one `Gather` does not follow (a map, an enum with data).
    Unsupported,
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stop::NotObject => "not an object",
            Stop::Unsupported => "not followed",
        })
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop::Unsupported
    }
}

/// A serializer that follows the paths below `node` (the fields of the value
/// serialized, at `depth` in the paths) through structs and writes the key
/// part of each into `parts` (as [`write_path`] does on the JSON form). The numbers of the paths leading through a
/// value it does not follow go to `failed`. A value other than a struct (or
/// an option or newtype of one) stops it with [`Stop::NotObject`] before
/// anything is written.
struct Gather<'t, 'k> {
    node: &'t Node,
    depth: usize,
    parts: &'k mut KeyParts,
    failed: &'k mut Vec<usize>,
}

/// The fields of a struct [`Gather`] is in.
struct GatherFields<'t, 'k> {
    gather: Gather<'t, 'k>,
    /// Fields so far (serialized or skipped).
    fields: usize,
    /// The fields with their branches, while the node's order is not known.
    order: Option<Vec<Field>>,
}

impl GatherFields<'_, '_> {
    /// The branch of the next field, `name`.
    fn next_branch(&mut self, name: &'static str) -> Option<usize> {
        let at = self.gather.node.branch_of(self.fields, name);
        self.fields += 1;
        if let Some(order) = &mut self.order {
            order.push((name, at));
        }
        at
    }
}

impl SerializeStruct for GatherFields<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let Some(at) = self.next_branch(name) else {
            return Ok(());
        };
        let g = &mut self.gather;
        let branch = &g.node.branches[at];
        if g.depth == 0 && added_fact(name, "").is_some() {
            // Written by the caller: the JSON form's added fact wins.
            return Ok(());
        }
        if let Some(id) = branch.leaf {
            g.parts.value(id, value);
        }
        if branch.below_ids.is_empty() {
            return Ok(());
        }
        let inner = Gather {
            node: &branch.below,
            depth: g.depth + 1,
            parts: &mut *g.parts,
            failed: &mut *g.failed,
        };
        match value.serialize(inner) {
            Ok(()) => {}
            Err(Stop::NotObject) => {
                for id in &branch.below_ids {
                    g.parts.stop(*id, 0xFD, g.depth + 1, Some(value));
                }
            }
            Err(Stop::Unsupported) => g.failed.extend_from_slice(&branch.below_ids),
        }
        Ok(())
    }

    /// The paths through fields the struct does not have stop here (a
    /// path of a field it has is written by now, or goes to `failed`).
    fn skip_field(&mut self, name: &'static str) -> Result<(), Stop> {
        self.next_branch(name);
        Ok(())
    }

    fn end(self) -> Result<(), Stop> {
        let g = self.gather;
        if let Some(order) = self.order {
            // Another thread may have noted it meanwhile: the same order.
            let _ = g.node.order.set(order.into_boxed_slice());
        }
        for branch in &g.node.branches {
            if g.depth == 0 && added_fact(&branch.name, "").is_some() {
                continue;
            }
            for id in branch.leaf.iter().chain(&branch.below_ids) {
                if !g.parts.written(*id) {
                    g.parts.stop::<()>(*id, 0xFE, g.depth, None);
                }
            }
        }
        Ok(())
    }
}

/// Scalar methods of a serializer that reject the value with `$err`.
macro_rules! reject {
    ($err:expr; $($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), Stop> {
            Err($err)
        })*
    };
}

/// Integer methods of [`Plain`] that write the value as the integer of `$to`.
macro_rules! widen {
    ($to:ident; $($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), Stop> {
            self.$to(v.into())
        })*
    };
}

/// The associated types of a serializer of this module: only structs
/// (`$structs`) may be followed.
macro_rules! serializer_types {
    ($structs:ty) => {
        type Ok = ();
        type Error = Stop;
        type SerializeSeq = Impossible<(), Stop>;
        type SerializeTuple = Impossible<(), Stop>;
        type SerializeTupleStruct = Impossible<(), Stop>;
        type SerializeTupleVariant = Impossible<(), Stop>;
        type SerializeMap = Impossible<(), Stop>;
        type SerializeStruct = $structs;
        type SerializeStructVariant = Impossible<(), Stop>;
    };
}

/// The methods of a serializer of this module for compound values other
/// than structs: lists and tuples are rejected with `$seq`, maps and enum
/// variants with data with `$variant`; a newtype struct is its value.
macro_rules! reject_compound {
    ($seq:expr, $variant:expr) => {
        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<(), Stop> {
            value.serialize(self)
        }

        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Stop> {
            Err($variant)
        }

        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
            Err($seq)
        }

        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
            Err($seq)
        }

        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Stop> {
            Err($seq)
        }

        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Stop> {
            Err($variant)
        }

        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
            Err($variant)
        }

        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Stop> {
            Err($variant)
        }
    };
}

/// Writes a scalar value as a tag and its bytes, without JSON's quoting and
/// escaping: `n` for null (`None`, unit), `t`/`f`, `i` or `u` and 8 bytes,
/// `s` and the text's length (8 bytes) and its UTF-8. Equal bytes are equal
/// values; two forms of one JSON value (`5` as `i64` and `u64`) only miss
/// the cache. Anything else (a list, a struct, a float) is
/// [`Stop::Unsupported`] before anything is written, and is written as JSON.
struct Plain<'k>(&'k mut Vec<u8>);

impl Plain<'_> {
    fn tagged(self, tag: u8, bytes: &[u8]) -> Result<(), Stop> {
        self.0.push(tag);
        self.0.extend_from_slice(bytes);
        Ok(())
    }

    fn int(self, n: i64) -> Result<(), Stop> {
        self.tagged(b'i', &n.to_le_bytes())
    }

    fn uint(self, n: u64) -> Result<(), Stop> {
        self.tagged(b'u', &n.to_le_bytes())
    }

    fn text(self, s: &str) -> Result<(), Stop> {
        self.0.push(b's');
        self.0.extend_from_slice(&(s.len() as u64).to_le_bytes());
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

impl<'k> ser::Serializer for Plain<'k> {
    serializer_types!(Impossible<(), Stop>);

    reject! { Stop::Unsupported;
        serialize_i128: i128, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_bytes: &[u8],
    }

    reject_compound!(Stop::Unsupported, Stop::Unsupported);

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Err(Stop::Unsupported)
    }

    fn serialize_bool(self, v: bool) -> Result<(), Stop> {
        self.tagged(if v { b't' } else { b'f' }, &[])
    }

    widen! { int; serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64 }

    widen! { uint; serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64 }

    fn serialize_str(self, v: &str) -> Result<(), Stop> {
        self.text(v)
    }

    fn serialize_none(self) -> Result<(), Stop> {
        self.tagged(b'n', &[])
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Stop> {
        self.tagged(b'n', &[])
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        self.tagged(b'n', &[])
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Stop> {
        // JSON writes it as its name.
        self.text(variant)
    }
}

impl<'t, 'k> ser::Serializer for Gather<'t, 'k> {
    serializer_types!(GatherFields<'t, 'k>);

    reject! { Stop::NotObject;
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8],
    }

    reject_compound!(Stop::NotObject, Stop::Unsupported);

    fn serialize_none(self) -> Result<(), Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        let order = self.node.order.get().is_none().then(Vec::new);
        Ok(GatherFields {
            gather: self,
            fields: 0,
            order,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DeviceSource, FilledValue, PolicyCompliance, SourceValue};

    /// Every path of the JSON form (and paths that miss or lead through
    /// non-objects) gives the same value whichever form the key is read from.
    fn same_values(device: &Device) {
        let facts = TargetFacts::device(device, "intune-graph");
        let json = device_json(device, "intune-graph");
        let mut paths: Vec<Vec<String>> =
            vec![vec!["nope".into()], vec!["kind".into(), "x".into()]];
        // The paths of a device with every field set too, so that the
        // fields this one's JSON form leaves out are asked for.
        let every = device_json(&filled(), "intune-graph");
        let fields = json.as_object().unwrap().iter();
        for (k, v) in fields.chain(every.as_object().unwrap()) {
            paths.push(vec![k.clone()]);
            paths.push(vec![k.clone(), "missing".into()]);
            paths.push(vec![k.clone(), "a".into(), "b".into()]);
            if let Json::Object(inner) = v {
                for (k2, _) in inner {
                    paths.push(vec![k.clone(), k2.clone()]);
                    paths.push(vec![k.clone(), k2.clone(), "deeper".into()]);
                }
            }
        }
        paths.sort();
        paths.dedup();
        for path in &paths {
            let mut typed = Vec::new();
            facts.write_key_part(path, &mut typed);
            let mut reference = vec![0xFF];
            write_path(path, &json, &mut reference);
            // Same stop markers; values equal as JSON (field order may differ).
            let value = |k: &[u8]| match k[1] {
                0xFB => (0xFC, None, Some(plain_json(&k[2..]))),
                0xFC => (0xFC, None, serde_json::from_slice::<Json>(&k[2..]).ok()),
                0xFD => (
                    0xFD,
                    Some(k[2]),
                    serde_json::from_slice::<Json>(&k[3..]).ok(),
                ),
                marker => (marker, Some(k[2]), None),
            };
            assert_eq!(typed[0], 0xFF, "{path:?}");
            assert_eq!(value(&typed), value(&reference), "{path:?}");
        }
        // The accessors of the paths of one or two names (all but those
        // below `filled_from`, a map) write what the gatherer writes.
        let mut short: Vec<Vec<String>> = paths
            .iter()
            .filter(|p| p.len() == 1 || (p.len() == 2 && p[0] != "filled_from"))
            .cloned()
            .collect();
        for extra in [
            vec!["kind"],
            vec!["inventory_format"],
            vec!["inventory_format", "x"],
            vec!["nope", "x"],
        ] {
            short.push(extra.into_iter().map(String::from).collect());
        }
        // Distinct, as the rule cache gives them.
        short.sort();
        short.dedup();
        let typed = PathTree::new(short.clone());
        assert!(typed.typed.is_some());
        let gathered = PathTree::new(short.clone()).gathering();
        let (mut by_field, mut by_gathering) = (KeyParts::default(), KeyParts::default());
        facts.write_key_parts(&typed, &mut by_field);
        facts.write_key_parts(&gathered, &mut by_gathering);
        for (id, path) in short.iter().enumerate() {
            assert_eq!(by_field.get(id), by_gathering.get(id), "{path:?}");
        }
        // All paths in one pass (twice: the second pass finds the fields
        // by their place) give each path's part.
        let tree = PathTree::new(paths.clone());
        for _ in 0..2 {
            let mut parts = KeyParts::default();
            facts.write_key_parts(&tree, &mut parts);
            for (id, path) in paths.iter().enumerate() {
                let mut one = Vec::new();
                facts.write_key_part(path, &mut one);
                assert_eq!(parts.get(id), one, "{path:?}");
            }
        }
    }

    /// The JSON value of a value in [`Plain`] form (all of `bytes`).
    fn plain_json(bytes: &[u8]) -> Json {
        let eight = |b: &[u8]| <[u8; 8]>::try_from(&b[1..9]).unwrap();
        let (value, len) = match bytes[0] {
            b'n' => (Json::Null, 1),
            b't' => (Json::Bool(true), 1),
            b'f' => (Json::Bool(false), 1),
            b'i' => (i64::from_le_bytes(eight(bytes)).into(), 9),
            b'u' => (u64::from_le_bytes(eight(bytes)).into(), 9),
            b's' => {
                let n = usize::try_from(u64::from_le_bytes(eight(bytes))).unwrap();
                let text = std::str::from_utf8(&bytes[9..9 + n]).unwrap();
                (Json::String(text.into()), 9 + n)
            }
            tag => panic!("unknown tag {tag}"),
        };
        assert_eq!(len, bytes.len(), "trailing bytes");
        value
    }

    #[test]
    fn plain_values_tell_texts_numbers_and_nothing_apart() {
        let plain = |v: &dyn erased::Value| {
            let mut k = Vec::new();
            v.write(&mut k);
            k
        };
        let all: Vec<Vec<u8>> = vec![
            plain(&Some("1")),
            plain(&Some("")),
            plain(&Some("ab")),
            plain(&None::<String>),
            plain(&1i64),
            plain(&1u64),
            plain(&true),
            plain(&false),
        ];
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert_eq!(plain(&Some("ab")), plain(&"ab"));
    }

    /// Plain-form writing for values of different types in one list.
    mod erased {
        pub(super) trait Value {
            fn write(&self, out: &mut Vec<u8>);
        }

        impl<T: serde::Serialize> Value for T {
            fn write(&self, out: &mut Vec<u8>) {
                self.serialize(super::Plain(out)).unwrap();
            }
        }
    }

    #[test]
    fn typed_keys_read_the_values_of_the_json_form() {
        let mut d = Device {
            record: "record 7".into(),
            name: Some("Pixel \"7\"".into()),
            platform: Some("android".into()),
            passcode: Some(true),
            patch_age_days: Some(41),
            installed_messengers: Some(vec!["signal".into()]),
            ..Default::default()
        };
        std::sync::Arc::make_mut(&mut d.os_support).note = Some("ok".into());
        d.raw.passcode_de = Some("ja".into());
        same_values(&d);
        d.policy_compliance = Some(PolicyCompliance {
            passcode: Some("compliant".into()),
            encryption: None,
        });
        let source = DeviceSource {
            format: "csv".into(),
            file: "a.csv".into(),
            record: "line 2".into(),
            last_check_in: None,
        };
        d.sources = vec![source.clone()];
        d.conflicts = vec![FieldConflict {
            field: "model".into(),
            values: vec![SourceValue {
                value: "x".into(),
                source,
            }],
        }];
        same_values(&d);
        same_values(&Device::default());
        same_values(&filled());
    }

    /// A device with every field set (the fields the JSON form leaves out
    /// when they are empty among them).
    fn filled() -> Device {
        let text = |s: &str| Some(s.to_string());
        let source = DeviceSource {
            format: "jamf".into(),
            file: "b.json".into(),
            record: "record 3".into(),
            last_check_in: text("2026-11-30T08:00:00Z"),
        };
        let value = SourceValue {
            value: "y".into(),
            source: source.clone(),
        };
        let mut d = Device {
            record: "record 9".into(),
            name: text("n"),
            platform: text("ios"),
            os_version: text("26.1"),
            os_build: text("23B85"),
            os_rsr_suffix: text("(a)"),
            security_patch_level: text("2026-11-01"),
            model: text("iPhone 15"),
            passcode: Some(false),
            passcode_compliant: Some(true),
            encryption: Some(true),
            encryption_detail: text("detail"),
            encryption_detail_de: text("Detail"),
            encryption_contradiction: text("export"),
            managed: Some(true),
            management_mode: text("mdm"),
            user_enrollment: Some(false),
            supervised: Some(true),
            compromised: Some(false),
            compromised_detail: text("secured"),
            ownership: text("corporate"),
            compliance_state: text("compliant"),
            cloud_backup: Some(false),
            lost_mode: Some(false),
            last_check_in: text("2026-12-01T08:00:00Z"),
            enrolled_at: text("2025-01-01T00:00:00Z"),
            patch_age_days: Some(-3),
            days_since_check_in: Some(4),
            installed_messengers: Some(vec!["signal".into(), "threema".into()]),
            installed_messengers_partial: true,
            policy_compliance: Some(PolicyCompliance {
                passcode: text("nonCompliant"),
                encryption: text("compliant"),
            }),
            sources: vec![source],
            conflicts: vec![FieldConflict {
                field: "model".into(),
                values: vec![value.clone()],
            }],
            filled: vec![FilledValue {
                field: "passcode".into(),
                from: value,
            }],
            filled_from: [("passcode".to_string(), 1usize)].into_iter().collect(),
            ..Default::default()
        };
        let ids = &mut d.identifiers;
        for (i, slot) in [
            &mut ids.device_id,
            &mut ids.device_name,
            &mut ids.user,
            &mut ids.email,
            &mut ids.serial,
            &mut ids.imei,
            &mut ids.phone,
            &mut ids.udid,
        ]
        .into_iter()
        .enumerate()
        {
            *slot = Some(format!("id-{i}"));
        }
        let os = std::sync::Arc::make_mut(&mut d.os_support);
        os.known = true;
        os.supported = Some(true);
        os.up_to_date = Some(false);
        for (i, slot) in [
            &mut os.latest_version,
            &mut os.security_updates_until,
            &mut os.data_as_of,
            &mut os.note,
            &mut os.note_de,
            &mut os.latest_patch_level,
            &mut os.latest_patch_level_source,
        ]
        .into_iter()
        .enumerate()
        {
            *slot = Some(format!("os-{i}"));
        }
        for (i, slot) in d.raw.texts_mut().into_iter().enumerate() {
            *slot = Some(format!("raw-{i}"));
        }
        d
    }

    #[test]
    fn keys_of_different_values_differ() {
        let a = Device {
            model: Some("a".into()),
            ..Default::default()
        };
        let b = Device {
            model: None,
            ..Default::default()
        };
        let key = |d: &Device| {
            let mut k = Vec::new();
            TargetFacts::device(d, "f").write_key_part(&["model".into()], &mut k);
            k
        };
        assert_ne!(key(&a), key(&b));
        assert_eq!(key(&a), key(&a.clone()));
    }
}
