//! Keep lists: which keys of a record (and of an object under one of them)
//! are built, and how a page's keys are read.

use super::*;

/// How a record keeps one of its keys ([`Keep`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kept<'k> {
    /// With its whole value.
    Whole,
    /// An object holding only the keys that `keep` names as `key.inner`
    /// (`key` is the part before the dot).
    Part(&'k str),
    /// Not at all.
    Not,
}

/// How a record keeps key `k` ([`Keep`]).
pub(super) fn kept<'k>(keep: Keep<'k>, k: &str) -> Kept<'k> {
    let Some(keys) = keep else {
        return Kept::Whole;
    };
    kept_entry(keys, k).map_or(Kept::Not, |(_, how)| how)
}

/// How a record keeps key `k` ([`kept`]) with the keep list `keys`, and the
/// entry of `keys` that decides it (the key itself, or the last `k.inner`);
/// `None` for a key not kept.
pub(super) fn kept_entry<'k>(keys: &'k [&'k str], k: &str) -> Option<(usize, Kept<'k>)> {
    let mut how = None;
    // Lengths first: most keys differ from most kept ones in length.
    for (i, x) in keys.iter().enumerate() {
        if x.len() == k.len() && *x == k {
            return Some((i, Kept::Whole));
        }
        if x.len() > k.len() && x.as_bytes().get(k.len()) == Some(&b'.') && x.starts_with(k) {
            how = Some((i, Kept::Part(x.get(..k.len()).unwrap_or_default())));
        }
    }
    how
}

/// Whether the object under `outer` keeps its key `k` (`keep` names
/// `outer.k`).
pub(super) fn kept_inside(keep: Keep<'_>, outer: &str, k: &str) -> bool {
    let len = outer.len().saturating_add(1).saturating_add(k.len());
    keep.is_some_and(|keys| {
        keys.iter().any(|x| {
            x.len() == len
                && x.starts_with(outer)
                && x.as_bytes().get(outer.len()) == Some(&b'.')
                && x.ends_with(k)
        })
    })
}

/// The object `v` (under `outer`) with only the keys `keep` names inside it;
/// anything but an object as it is.
pub(super) fn project(v: Value, keep: Keep<'_>, outer: &str) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .filter(|(k, _)| kept_inside(keep, outer, k))
                .collect(),
        ),
        other => other,
    }
}

/// Reads the value of key `k` of a single record object into `rest` as
/// the record keeps it (see [`kept`]): built as serde builds a [`Value`],
/// or only checked.
pub(super) fn keep_value<'de, A: MapAccess<'de>>(
    map: &mut A,
    keep: Keep<'_>,
    k: String,
    rest: &mut serde_json::Map<String, Value>,
) -> Result<(), A::Error> {
    match kept(keep, &k) {
        Kept::Whole => {
            let v = map.next_value_seed(Built {
                keep: None,
                inside: None,
            })?;
            insert_repeated(rest, k, v);
        }
        Kept::Part(outer) => {
            let v = map.next_value_seed(Built {
                keep,
                inside: Some(outer),
            })?;
            insert_repeated(rest, k, v);
        }
        Kept::Not => map.next_value_seed(Skip)?,
    }
    Ok(())
}
