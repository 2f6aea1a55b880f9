//! JSON values read within a budget of decoded bytes: what a `Value` takes
//! in memory is estimated as it is built, since a few bytes of crafted JSON
//! text can decode to a hundred (`{"a":0}` is 7 bytes of text and a B-tree
//! node of about 600 bytes). Used by the saved-report reader
//! (`super::saved`) for the catalog and each target; [`cost`] estimates an
//! existing value the same way (the catalog texts a target takes).

use std::cell::Cell;
use std::fmt;

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
}
