//! The facts a target's checks run on: a JSON value, or a device's typed
//! facts. The JSON form of a device (`serde_json::to_value`, with `kind` and
//! `inventory_format` added) is made only when a program has to run on it;
//! the rule cache ([`super::rule_cache`]) reads the values of the fact paths
//! its programs read straight from the typed device, through its `Serialize`
//! implementation ([`Select`]), so a device whose checks all come from the
//! cache is never converted.

use std::cell::OnceCell;
use std::fmt;

use serde::ser::{self, Impossible, Serialize, SerializeStruct};
use serde_json::Value as Json;

use crate::facts::{Device, FieldConflict};

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

    /// The device's field conflicts (`conflicts`); `None` when the facts are JSON.
    pub(crate) fn conflicts(&self) -> Option<&'f [FieldConflict]> {
        match self {
            TargetFacts::Json(_) => None,
            TargetFacts::Device { device, .. } => Some(&device.conflicts),
        }
    }

    /// Appends to `key` what the value of `path` is: the JSON of its value,
    /// or where and why following it stopped (a missing field, or a value
    /// that is not an object, written out). A cache key is the parts of the
    /// paths a program reads: equal keys mean equal values at every path,
    /// whichever form the facts have.
    pub(crate) fn write_key_part(&self, path: &[String], key: &mut Vec<u8>) {
        // 0xF8..=0xFF never occur in UTF-8 (JSON text), so the key is unambiguous.
        key.push(0xFF);
        let start = key.len();
        let selected = match self {
            TargetFacts::Json(_) => false,
            TargetFacts::Device { device, format, .. } => {
                select_in_device(device, format, path, key)
            }
        };
        if !selected {
            key.truncate(start);
            write_path(path, self.json(), key);
        }
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

/// Writes the key part of `path` in the device's facts; `false` when the
/// path leads through a value [`Select`] cannot follow (nothing useful is
/// written then: the caller uses the JSON form).
fn select_in_device(device: &Device, format: &str, path: &[String], key: &mut Vec<u8>) -> bool {
    let added = match path.first().map(String::as_str) {
        Some("kind") => Some("device"),
        Some("inventory_format") => Some(format),
        _ => None,
    };
    if let Some(text) = added {
        match path.len() {
            1 => {
                key.push(0xFC);
                let _ = serde_json::to_writer(&mut *key, text);
            }
            _ => {
                key.extend_from_slice(&[0xFD, 1]);
                let _ = serde_json::to_writer(&mut *key, text);
            }
        }
        return true;
    }
    if path.is_empty() {
        return false;
    }
    device
        .serialize(Select {
            path,
            depth: 0,
            key,
        })
        .is_ok()
}

/// Why [`Select`] stopped.
#[derive(Debug)]
enum Stop {
    /// The value is not an object (a JSON object: a struct).
    NotObject,
    /// The value is one `Select` does not follow (a map, an enum with data).
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

/// A serializer that follows `path` from depth `depth` through structs and
/// writes the key part of the value it leads to (as [`write_path`] does on
/// the JSON form). Any value other than a struct (or an option or newtype
/// of one) stops it with [`Stop::NotObject`] before anything is written.
struct Select<'p, 'k> {
    path: &'p [String],
    depth: usize,
    key: &'k mut Vec<u8>,
}

/// The fields of a struct [`Select`] is in.
struct SelectFields<'p, 'k> {
    select: Select<'p, 'k>,
    found: bool,
    failed: bool,
}

impl SerializeStruct for SelectFields<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        let s = &mut self.select;
        if self.found || s.path.get(s.depth).map(String::as_str) != Some(name) {
            return Ok(());
        }
        self.found = true;
        let next = s.depth + 1;
        if next == s.path.len() {
            s.key.push(0xFC);
            let _ = serde_json::to_writer(&mut *s.key, value);
            return Ok(());
        }
        let inner = Select {
            path: s.path,
            depth: next,
            key: &mut *s.key,
        };
        match value.serialize(inner) {
            Ok(()) => Ok(()),
            Err(Stop::NotObject) => {
                s.key
                    .extend_from_slice(&[0xFD, u8::try_from(next).unwrap_or(u8::MAX)]);
                let _ = serde_json::to_writer(&mut *s.key, value);
                Ok(())
            }
            Err(Stop::Unsupported) => {
                self.failed = true;
                Err(Stop::Unsupported)
            }
        }
    }

    fn end(self) -> Result<(), Stop> {
        if self.failed {
            return Err(Stop::Unsupported);
        }
        if !self.found {
            let depth = u8::try_from(self.select.depth).unwrap_or(u8::MAX);
            self.select.key.extend_from_slice(&[0xFE, depth]);
        }
        Ok(())
    }
}

macro_rules! not_object {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), Stop> {
            Err(Stop::NotObject)
        })*
    };
}

impl<'p, 'k> ser::Serializer for Select<'p, 'k> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Impossible<(), Stop>;
    type SerializeStruct = SelectFields<'p, 'k>;
    type SerializeStructVariant = Impossible<(), Stop>;

    not_object! {
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_f32: f32,
        serialize_f64: f64, serialize_char: char, serialize_str: &str, serialize_bytes: &[u8],
    }

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
        Err(Stop::Unsupported)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Stop> {
        Err(Stop::NotObject)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Stop> {
        Err(Stop::Unsupported)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::Unsupported)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Stop> {
        Ok(SelectFields {
            select: self,
            found: false,
            failed: false,
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Stop> {
        Err(Stop::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{DeviceSource, PolicyCompliance, SourceValue};

    /// Every path of the JSON form (and paths that miss or lead through
    /// non-objects) gives the same value whichever form the key is read from.
    fn same_values(device: &Device) {
        let facts = TargetFacts::device(device, "intune-graph");
        let json = device_json(device, "intune-graph");
        let mut paths: Vec<Vec<String>> =
            vec![vec!["nope".into()], vec!["kind".into(), "x".into()]];
        let map = json.as_object().unwrap();
        for (k, v) in map {
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
        for path in &paths {
            let mut typed = Vec::new();
            facts.write_key_part(path, &mut typed);
            let mut reference = vec![0xFF];
            write_path(path, &json, &mut reference);
            // Same stop markers; values equal as JSON (field order may differ).
            assert_eq!(typed.get(..3), reference.get(..3), "{path:?}");
            let value = |k: &[u8]| {
                let at = if k[1] == 0xFC { 2 } else { 3 };
                k.get(at..)
                    .filter(|rest| !rest.is_empty())
                    .map(|rest| serde_json::from_slice::<Json>(rest).unwrap())
            };
            assert_eq!(value(&typed), value(&reference), "{path:?}");
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
        d.os_support.note = Some("ok".into());
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
