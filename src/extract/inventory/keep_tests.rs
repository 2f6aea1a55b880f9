//! Test support for adapters that read only some keys of their records
//! ([`super::json::Keep`]): read so, every record must map to what it maps
//! to read whole, and every key the mapping looks up must be listed.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::json::{for_each_record_keeping, Record};
use super::note::Reason;
use super::record::looked_up;
use super::Ctx;
use crate::facts::Device;

/// Maps one record (as an adapter's mapping does).
pub type Map = fn(&Record, usize, &Ctx) -> Result<Device, Reason>;

/// The JSON files of the corpus folder `mdm/{folder}` (none, with a
/// message, when the corpus is absent).
fn corpus_files(folder: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")
        })
        .join("mdm")
        .join(folder);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping the corpus part: {} not found", dir.display());
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// What `map` makes of each record of `input` (a device as JSON, or the
/// reason it is none), read with `keep` (or whole), then how reading ended;
/// and the top-level keys the mapping looked up.
fn mapped(
    input: &[u8],
    keep: Option<&'static [&'static str]>,
    map: Map,
) -> (Vec<String>, BTreeSet<String>) {
    let ctx = Ctx {
        pn: super::pseudonym::Pseudonymizer::new(None, false),
        limits: crate::limits::Limits::default(),
        mapping: None,
    };
    let mut records = Vec::new();
    let max = ctx.limits.max_record_size;
    let mut reader = input;
    let read = for_each_record_keeping(&mut reader, max, keep, |v| records.push(v));
    let _ = looked_up::take();
    let mut out: Vec<String> = records
        .iter()
        .enumerate()
        .map(|(i, v)| match map(v, i, &ctx) {
            Ok(d) => serde_json::to_string(&d).unwrap_or_default(),
            Err(r) => format!("{r:?}"),
        })
        .collect();
    out.push(format!("{:?}", read.map(|w| w.len())));
    (out, looked_up::take())
}

/// Checks `keys` (sorted by their top-level key) for `map`: the records of
/// `sample` and of every JSON file of the corpus folder `folder` map to the
/// same devices and reasons read with `keys` as read whole; no key looked
/// up is missing from `keys`; and `sample` looks up every one. Returns what
/// the sample's records mapped to, and how many devices were read in all.
pub fn check(
    keys: &'static [&'static str],
    sample: &str,
    folder: &str,
    map: Map,
) -> (Vec<String>, usize) {
    let mut inputs = vec![("sample".to_string(), sample.as_bytes().to_vec())];
    inputs.extend(corpus_files(folder));
    let listed = |k: &str| {
        keys.iter()
            .any(|x| *x == k || x.strip_prefix(k).is_some_and(|r| r.starts_with('.')))
    };
    let mut devices = 0;
    for (name, bytes) in &inputs {
        let (whole, looked) = mapped(bytes, None, map);
        let (kept, _) = mapped(bytes, Some(keys), map);
        assert_eq!(kept, whole, "{name}");
        let unlisted: Vec<&String> = looked.iter().filter(|k| !listed(k)).collect();
        assert!(
            unlisted.is_empty(),
            "{name}: keys read but not listed: {unlisted:?}"
        );
        devices += whole.iter().filter(|d| d.starts_with('{')).count();
    }
    let (sample_mapped, looked) = mapped(sample.as_bytes(), None, map);
    // A listed key with a dot is a key of its own (`@odata.type`) when it
    // is looked up as such, else one key of an inner object.
    let mut top: Vec<&str> = keys
        .iter()
        .map(|k| match k.split_once('.') {
            Some((outer, _)) if !looked.contains(*k) => outer,
            _ => k,
        })
        .collect();
    top.dedup();
    assert_eq!(
        looked.iter().map(String::as_str).collect::<Vec<_>>(),
        top,
        "the sample looks up every listed key (and the list is sorted)"
    );
    (sample_mapped, devices)
}
