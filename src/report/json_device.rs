//! Writing the JSON report's device lines straight from the store's compact
//! records (schema 2.0, docs/report.md): the same bytes as rebuilding each
//! device's [`crate::assess::TargetAssessment`], preparing it and interning
//! it as a `serde_json::Value` ([`super::json_catalog`]), without those
//! intermediate trees.
//!
//! A line is made in two steps. [`prepare`] runs in parallel: it reads a
//! record and writes everything that does not depend on the catalog
//! (coverage, score, the target) as JSON text, and each evidence item as its
//! catalog key. [`LineWriter::write`] runs in device order: it interns the
//! checks, messages, evidence items and the file, and writes the line.
//! Devices the fast form does not cover (a check not in the store's
//! metadata, an answer applied to a result, a catalog entry with other
//! texts) are written by the general path. A unit test in [`super::json`]
//! writes varied devices (answers, errors, messages and checks missing from
//! the metadata, escaped texts, no file) both ways and compares the bytes.

use std::io;
use std::ops::Range;

use crate::assess::shared_evidence::SharedText;

use super::json_catalog::{most_common_location, text_value, Catalog};
use crate::assess::{
    item_at, shared_item_view, CheckMeta, EvidenceList, EvidenceView, ItemAt, Outcome, RecordView,
    Records, Text, Verdict,
};

/// A device line made ready for [`LineWriter::write`], or the position of a
/// device the general path writes.
pub(crate) enum Line {
    /// Ready to be interned and written.
    Fast(DeviceLine),
    /// Written by the general path (read back as an assessment).
    General,
}

/// The parts of a device's line that do not depend on the catalog. The
/// texts are in one buffer: a line costs a handful of allocations.
pub(crate) struct DeviceLine {
    /// `{"coverage":…` and `,"error":…`, then `,"evidence_location":{…}`
    /// (empty when no location is shared), then `,"score":…,"target":{` and
    /// `"device":{…},`, then `"kind":"device",…}` to the end of the line;
    /// after the line the evidence items' catalog keys, one after the other.
    text: Vec<u8>,
    /// Where in `text` the head, the shared location, the target part and
    /// the line end.
    head: usize,
    located: usize,
    target: usize,
    end: usize,
    results: Vec<LineResult>,
    /// The evidence items of all results, in order.
    evidence: Vec<LineEvidence>,
    /// Index into the store's files.
    file: Option<u32>,
}

struct LineResult {
    check: u16,
    rule: Option<u16>,
    message: Option<Text>,
    outcome: Outcome,
    /// How many of the line's evidence items are this result's.
    evidence: usize,
}

struct LineEvidence {
    /// The catalog key in `text`: compact JSON, with `at_target` for the
    /// location when the item is at the device's common location. Empty
    /// for an item of `shared`.
    key: Range<usize>,
    /// A numbered shared item whose key is the same on every device (for
    /// the same `at_target`): its number, its place among the items, and
    /// whether it is at the device's common location. Its catalog index is
    /// looked up once per run, not per device.
    shared: Option<SharedKey>,
    /// Where the item is in the device's record, when `key` left its
    /// location out (written whole when the catalog is full).
    whole: Option<ItemAt>,
}

/// Reads a device's `record` (of `records`) and makes its line ready (runs
/// in parallel).
pub(crate) fn prepare(records: &Records<'_>, record: &[u8]) -> io::Result<Line> {
    let checks = records.checks();
    let r = RecordView::read(record, records.shared())?;
    let general = r.results.iter().any(|x| {
        x.has_extra()
            || usize::from(x.check) >= checks.len()
            || (x.message.is_none()
                && x.rule.is_none_or(|rule| {
                    checks[usize::from(x.check)]
                        .messages
                        .get(usize::from(rule))
                        .is_none()
                }))
    });
    if general {
        return Ok(Line::General);
    }
    let mut text = Vec::with_capacity(1024);
    let applicable = r
        .results
        .iter()
        .filter(|x| x.outcome != Outcome::NotApplicable);
    let total = applicable.clone().count();
    let decided = if r.verdict == Verdict::Error {
        0
    } else {
        applicable
            .filter(|x| matches!(x.outcome, Outcome::Pass | Outcome::Fail))
            .count()
    };
    text.extend_from_slice(b"{\"coverage\":{\"decided\":");
    put_int(&mut text, decided);
    text.extend_from_slice(b",\"total\":");
    put_int(&mut text, total);
    text.push(b'}');
    if let Some(error) = r.error {
        text.extend_from_slice(b",\"error\":");
        put_str(&mut text, error);
    }
    let head = text.len();
    let at = most_common_location(
        r.results
            .iter()
            .flat_map(|x| x.evidence.iter())
            .map(|(_, e)| (e.location, e.location_de)),
    );
    if let Some((l, d)) = at {
        text.extend_from_slice(b",\"evidence_location\":{\"location\":");
        put_str(&mut text, l);
        if let Some(d) = d {
            text.extend_from_slice(b",\"location_de\":");
            put_str(&mut text, d);
        }
        text.push(b'}');
    }
    let located = text.len();
    text.extend_from_slice(b",\"score\":");
    serde_json::to_writer(&mut text, &r.score)?;
    text.extend_from_slice(b",\"target\":{");
    if let Some(d) = &r.device {
        text.extend_from_slice(b"\"device\":{");
        let fields: [(&[u8], _); 6] = [
            (b"\"last_check_in\":", d.last_check_in),
            (b"\"model\":", d.model),
            (b"\"os_version\":", d.os_version),
            (b"\"ownership\":", d.ownership),
            (b"\"patch_level\":", d.patch_level),
            (b"\"platform\":", d.platform),
        ];
        let mut first = true;
        for (name, value) in fields {
            let Some(value) = value else { continue };
            if !first {
                text.push(b',');
            }
            first = false;
            text.extend_from_slice(name);
            put_str(&mut text, value);
        }
        text.extend_from_slice(b"},");
    }
    let target = text.len();
    text.extend_from_slice(b"\"kind\":\"device\",\"name\":");
    put_str(&mut text, r.name);
    if let Some(source) = r.source {
        text.extend_from_slice(b",\"source\":");
        put_str(&mut text, source);
    }
    text.extend_from_slice(b"},\"verdict\":\"");
    text.extend_from_slice(r.verdict.name().as_bytes());
    text.extend_from_slice(b"\"}");
    let end = text.len();
    let items: usize = r.results.iter().map(|x| x.evidence.len()).sum();
    let mut evidence = Vec::with_capacity(items);
    let mut results = Vec::with_capacity(r.results.len());
    for x in &r.results {
        let list = &x.evidence;
        for (k, (pos, e)) in list.iter().enumerate() {
            let here = is_here(&e, at);
            if let Some(shared) = shared_key(list, k, here) {
                evidence.push(LineEvidence {
                    key: 0..0,
                    shared: Some(shared),
                    whole: here.then_some(pos),
                });
                continue;
            }
            let start = text.len();
            write_key(&e, here, &mut text);
            evidence.push(LineEvidence {
                key: start..text.len(),
                shared: None,
                whole: here.then_some(pos),
            });
        }
        results.push(LineResult {
            check: x.check,
            rule: x.rule,
            message: x.message_text(),
            outcome: x.outcome,
            evidence: x.evidence.len(),
        });
    }
    Ok(Line::Fast(DeviceLine {
        text,
        head,
        located,
        target,
        end,
        results,
        evidence,
        file: r.file,
    }))
}

/// Writes `n` in decimal.
fn put_int(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Writes `s` as a JSON string (serde_json's escaping).
fn put_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // serde_json escapes only `"`, `\` and control characters: a string
    // without them is copied as it is (most are). The scan for them is a
    // fold without an early exit, so it runs over many bytes at once.
    let plain = !bytes.iter().fold(false, |esc, &b| {
        esc | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.reserve(bytes.len() + 2);
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
    } else {
        // Serializing a string into a Vec cannot fail.
        let _ = serde_json::to_writer(out, s);
    }
}

/// Whether evidence item `e` is at the device's common location `at` (its
/// key then leaves the location out).
fn is_here(e: &EvidenceView<'_>, at: Option<(&str, Option<&str>)>) -> bool {
    matches!((at, e.location), (Some((l, d)), Some(el)) if l == el && d == e.location_de)
}

/// A numbered shared item of a device line (see [`LineEvidence::shared`]).
#[derive(Clone, Copy)]
struct SharedKey {
    number: u32,
    item: usize,
    here: bool,
}

/// Item `k` of `list` as a [`SharedKey`], when its catalog key (with the
/// location left out when `here`) has no text of the device's record.
fn shared_key(list: &EvidenceList<'_>, k: usize, here: bool) -> Option<SharedKey> {
    let EvidenceList::Shared { number, items, .. } = list else {
        return None;
    };
    let i = items.items().get(k)?;
    let plain =
        |t: &Option<SharedText>| t.as_ref().is_none_or(|t| matches!(t, SharedText::Plain(_)));
    let same_everywhere = matches!(i.value, SharedText::Plain(_))
        && plain(&i.value_de)
        && (here || (plain(&i.location) && plain(&i.location_de)));
    same_everywhere.then_some(SharedKey {
        number: *number,
        item: k,
        here,
    })
}

/// Writes the catalog key of evidence item `e` (as [`super::json_catalog`]
/// makes it) to `key`, leaving the location out when `here` (the item is
/// at the device's common location).
fn write_key(e: &EvidenceView<'_>, here: bool, key: &mut Vec<u8>) {
    if here {
        key.extend_from_slice(b"{\"at_target\":true,\"kind\":");
        put_str(key, e.kind);
    } else {
        key.extend_from_slice(b"{\"kind\":");
        put_str(key, e.kind);
        if let Some(l) = e.location {
            key.extend_from_slice(b",\"location\":");
            put_str(key, l);
        }
        if let Some(d) = e.location_de {
            key.extend_from_slice(b",\"location_de\":");
            put_str(key, d);
        }
    }
    key.extend_from_slice(b",\"value\":");
    put_str(key, e.value);
    if let Some(v) = e.value_de {
        key.extend_from_slice(b",\"value_de\":");
        put_str(key, v);
    }
    key.push(b'}');
}

/// Interns prepared lines in device order and writes them; remembers per
/// check what it learnt of the catalog.
pub(crate) struct LineWriter<'s> {
    checks: &'s [CheckMeta],
    /// Per check of the metadata: `{"check":"…","evidence":[`, written once.
    openings: Vec<Vec<u8>>,
    /// Per check of the metadata: its catalog entry, once known to match.
    entries: Vec<Option<usize>>,
    /// Per check and rule: the message's index in the catalog, once known.
    messages: Vec<Vec<Option<usize>>>,
    /// Per file of the store: its index in the catalog, once known.
    files: Vec<Option<usize>>,
    /// Per numbered shared evidence, item and `at_target`: the item's index
    /// in the catalog, once known.
    shared: Vec<Vec<[Option<usize>; 2]>>,
    /// A key being made.
    key: Vec<u8>,
    results: Vec<u8>,
}

impl<'s> LineWriter<'s> {
    /// A writer for the devices of `records`.
    pub(crate) fn new(records: &Records<'s>) -> LineWriter<'s> {
        let checks = records.checks();
        let openings = checks
            .iter()
            .map(|c| {
                let mut o = b"{\"check\":".to_vec();
                put_str(&mut o, &c.id);
                o.extend_from_slice(b",\"evidence\":[");
                o
            })
            .collect();
        LineWriter {
            checks,
            openings,
            entries: vec![None; checks.len()],
            messages: checks
                .iter()
                .map(|c| vec![None; c.messages.len()])
                .collect(),
            files: vec![None; records.files().len()],
            shared: records
                .shared()
                .iter()
                .map(|e| vec![[None; 2]; e.items().len()])
                .collect(),
            key: Vec::new(),
            results: Vec::with_capacity(1024),
        }
    }

    /// Interns `line` (made from `record`) into `catalog` and writes it
    /// (without separators) to `out`; `false` when the catalog holds other texts for one of its
    /// checks (nothing is written: the caller writes the device through
    /// the general path, which interns the same items again in the same order).
    pub(crate) fn write(
        &mut self,
        line: &DeviceLine,
        record: &[u8],
        records: &Records<'_>,
        catalog: &mut Catalog,
        out: &mut Vec<u8>,
    ) -> io::Result<bool> {
        for r in &line.results {
            let c = usize::from(r.check);
            if self.entries[c].is_none() {
                match catalog.check_entry(&self.checks[c])? {
                    Some(entry) => self.entries[c] = Some(entry),
                    None => return Ok(false),
                }
            }
        }
        let mut located = false;
        self.results.clear();
        let mut items = line.evidence.iter();
        for (n, r) in line.results.iter().enumerate() {
            let c = usize::from(r.check);
            let entry = self.entries[c].unwrap_or_default();
            if n > 0 {
                self.results.push(b',');
            }
            self.results.extend_from_slice(&self.openings[c]);
            for (k, e) in items.by_ref().take(r.evidence).enumerate() {
                if k > 0 {
                    self.results.push(b',');
                }
                let index = match e.shared {
                    Some(s) => self.shared_index(s, records, catalog)?,
                    None => {
                        catalog.evidence_index(line.text.get(e.key.clone()).unwrap_or_default())
                    }
                };
                match (index, e.whole) {
                    (Some(i), whole) => {
                        located |= whole.is_some();
                        put_int(&mut self.results, i);
                    }
                    (None, Some(whole)) => {
                        let item = item_at(record, records.shared(), whole)?.to_evidence();
                        serde_json::to_writer(&mut self.results, &item)?;
                    }
                    (None, None) => match e.shared {
                        Some(s) => {
                            let key = shared_item_key(s, records, &mut self.key)?;
                            self.results.extend_from_slice(key);
                        }
                        None => self
                            .results
                            .extend_from_slice(line.text.get(e.key.clone()).unwrap_or_default()),
                    },
                }
            }
            self.results.extend_from_slice(b"],\"message\":");
            let index = match (&r.message, r.rule) {
                (Some(m), _) => catalog.message_index(entry, m).ok_or(m),
                (None, Some(rule)) => {
                    let slot = &mut self.messages[c][usize::from(rule)];
                    let m = &self.checks[c].messages[usize::from(rule)];
                    match *slot {
                        Some(i) => Ok(i),
                        None => {
                            let i = catalog.message_index(entry, m);
                            *slot = i;
                            i.ok_or(m)
                        }
                    }
                }
                (None, None) => return Err(io::Error::other("internal: a result without message")),
            };
            match index {
                Ok(i) => put_int(&mut self.results, i),
                Err(m) => serde_json::to_writer(&mut self.results, &text_value(m))?,
            }
            self.results.extend_from_slice(b",\"outcome\":\"");
            self.results.extend_from_slice(r.outcome.name().as_bytes());
            self.results.extend_from_slice(b"\"}");
        }
        out.extend_from_slice(&line.text[..line.head]);
        if located {
            out.extend_from_slice(&line.text[line.head..line.located]);
        }
        out.extend_from_slice(b",\"results\":[");
        out.extend_from_slice(&self.results);
        out.push(b']');
        out.extend_from_slice(&line.text[line.located..line.target]);
        if let Some(f) = line.file {
            let i = usize::try_from(f).unwrap_or(usize::MAX);
            // A file the store does not know is left out (as when read back).
            let index = match (self.files.get(i).copied().flatten(), records.files().get(i)) {
                (Some(index), _) => Some(index),
                (None, Some(file)) => {
                    let index = catalog.file_index(file.clone());
                    self.files[i] = Some(index);
                    Some(index)
                }
                (None, None) => None,
            };
            if let Some(index) = index {
                out.extend_from_slice(b"\"file\":");
                put_int(out, index);
                out.push(b',');
            }
        }
        out.extend_from_slice(&line.text[line.target..line.end]);
        Ok(true)
    }

    /// The catalog index of shared item `s`, interned the first time it is
    /// asked for; `None` when the catalog is full.
    fn shared_index(
        &mut self,
        s: SharedKey,
        records: &Records<'_>,
        catalog: &mut Catalog,
    ) -> io::Result<Option<usize>> {
        let slot = self
            .shared
            .get_mut(s.number as usize)
            .and_then(|items| items.get_mut(s.item))
            .map(|slot| &mut slot[usize::from(s.here)])
            .ok_or_else(|| io::Error::other("internal: shared evidence not in the store"))?;
        if let Some(i) = *slot {
            return Ok(Some(i));
        }
        let key = shared_item_key(s, records, &mut self.key)?;
        let index = catalog.evidence_index(key);
        *slot = index;
        Ok(index)
    }
}

/// Writes the catalog key of shared item `s` (the same on every device) to
/// `key` and gives it.
fn shared_item_key<'k>(
    s: SharedKey,
    records: &Records<'_>,
    key: &'k mut Vec<u8>,
) -> io::Result<&'k [u8]> {
    let item = records
        .shared()
        .get(s.number as usize)
        .and_then(|e| e.items().get(s.item))
        .ok_or_else(|| io::Error::other("internal: shared evidence not in the store"))?;
    key.clear();
    // The key has no text of the record: any record gives it.
    write_key(&shared_item_view(item), s.here, key);
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::put_str;

    /// The copy without escaping gives serde_json's bytes for every string,
    /// plain or not: each ASCII character alone and amid text, non-ASCII
    /// text, and the empty string.
    #[test]
    fn strings_are_written_as_serde_json_writes_them() {
        let mut cases: Vec<String> = vec![String::new(), "Gerät ñ 日本 🙂".into()];
        for c in (0u8..0x80).map(char::from) {
            cases.push(c.to_string());
            cases.push(format!("pn-0a1b2c{c}Pixel 8 Pro — Gerät"));
        }
        for s in &cases {
            let mut ours = Vec::new();
            put_str(&mut ours, s);
            assert_eq!(ours, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
    }
}
