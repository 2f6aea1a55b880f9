//! Writing the text catalog of the JSON report (schema 2.0, docs/report.md
//! *Catalog*): what repeats from target to target — a check's requirement,
//! level, weight, title and remediation, its rule messages, evidence items and
//! input files — is written once in the top-level `catalog`; a target keeps
//! only what varies and refers to the catalog by check id and by index.
//!
//! The compaction works on each result's own JSON form: it leaves out the
//! fields the catalog stands for and passes every other field through as
//! written, so a field added to [`CheckResult`] needs no change here (unless
//! it is a text that repeats). [`crate::assess::catalog::expand`] is the
//! inverse; `tests/reports.rs` checks that a report reads back unchanged.
//!
//! Interning is done in the order targets are written, so the catalog is the
//! same in every run. It is bounded: once it holds [`MAX_EVIDENCE`] evidence
//! items or [`MAX_EVIDENCE_BYTES`] of them, or a check [`MAX_MESSAGES`]
//! messages, further ones stay inline in their results.

use std::io::{self, Write};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::assess::{CheckResult, TargetAssessment, TargetJson, Text};
use crate::facts::{Evidence, FileInfo};

/// Evidence items the catalog holds at most.
pub const MAX_EVIDENCE: usize = 1 << 16;
/// Bytes of (compact JSON) evidence items the catalog holds at most.
pub const MAX_EVIDENCE_BYTES: usize = 4 << 20;
/// Messages per check the catalog holds at most.
pub const MAX_MESSAGES: usize = 256;

/// A target made ready for interning (done in parallel): its JSON without
/// results, and its results split into what the catalog may take.
pub struct Prepared {
    shell: Map<String, Value>,
    file: Option<FileInfo>,
    at: Option<(String, Option<String>)>,
    results: Vec<PreparedResult>,
}

struct PreparedResult {
    /// The result's JSON without title, message, remediation and evidence.
    rest: Map<String, Value>,
    title: Text,
    message: Text,
    remediation: Text,
    evidence: Vec<PreparedEvidence>,
}

struct PreparedEvidence {
    /// Compact JSON of the item; with `at_target` instead of the location
    /// when the item is at its target's `evidence_location`.
    key: String,
    /// The complete item, when `key` left its location out.
    whole: Option<Value>,
}

/// A check's entry in the catalog.
struct CheckEntry {
    id: String,
    fields: Map<String, Value>,
    title: Text,
    remediation: Text,
    messages: Vec<Text>,
}

/// The catalog as it is built while the targets are written.
#[derive(Default)]
pub struct Catalog {
    checks: Vec<CheckEntry>,
    check_index: foldhash::HashMap<String, usize>,
    /// Compact JSON of each item (UTF-8).
    evidence: Vec<Arc<[u8]>>,
    /// Looked up once per evidence item of every device: a fast hash
    /// (seeded per run) rather than SipHash.
    evidence_index: foldhash::HashMap<Arc<[u8]>, usize>,
    evidence_bytes: usize,
    files: Vec<FileInfo>,
}

/// Makes `t` ready for [`Catalog::intern`]; takes no shared state, so
/// targets can be prepared in parallel.
pub fn prepare(mut t: TargetAssessment) -> io::Result<Prepared> {
    let coverage = t.coverage();
    let results = std::mem::take(&mut t.results);
    let file = t.target.file.take();
    let mut shell = match serde_json::to_value(TargetJson::new(&t))? {
        Value::Object(m) => m,
        _ => return Err(io::Error::other("a target is not a JSON object")),
    };
    shell.insert("coverage".into(), serde_json::to_value(coverage)?);
    let at = most_common_location(
        results
            .iter()
            .flat_map(|r| &r.evidence)
            .map(|e| (e.location.as_deref(), e.location_de.as_deref())),
    )
    .map(|(l, d)| (l.to_string(), d.map(str::to_string)));
    let results = results
        .into_iter()
        .map(|r| prepare_result(r, at.as_ref()))
        .collect::<io::Result<Vec<_>>>()?;
    Ok(Prepared {
        shell,
        file,
        at,
        results,
    })
}

fn prepare_result(
    mut r: CheckResult,
    at: Option<&(String, Option<String>)>,
) -> io::Result<PreparedResult> {
    let title = std::mem::take(&mut r.title);
    let message = std::mem::take(&mut r.message);
    let remediation = std::mem::take(&mut r.remediation);
    let evidence = std::mem::take(&mut r.evidence)
        .iter()
        .map(|e| prepare_evidence(e, at))
        .collect::<io::Result<Vec<_>>>()?;
    let mut rest = match serde_json::to_value(&r)? {
        Value::Object(m) => m,
        _ => return Err(io::Error::other("a result is not a JSON object")),
    };
    for key in ["title", "message", "remediation", "evidence"] {
        rest.remove(key);
    }
    Ok(PreparedResult {
        rest,
        title,
        message,
        remediation,
        evidence,
    })
}

fn prepare_evidence(
    e: &Evidence,
    at: Option<&(String, Option<String>)>,
) -> io::Result<PreparedEvidence> {
    let here =
        matches!((at, &e.location), (Some((l, d)), Some(el)) if l == el && *d == e.location_de);
    let mut v = serde_json::to_value(e)?;
    if !here {
        return Ok(PreparedEvidence {
            key: serde_json::to_string(&v)?,
            whole: None,
        });
    }
    let whole = v.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("location");
        m.remove("location_de");
        m.insert("at_target".into(), Value::Bool(true));
    }
    Ok(PreparedEvidence {
        key: serde_json::to_string(&v)?,
        whole: Some(whole),
    })
}

/// The location (with its German wording) most evidence items of a target
/// share, when at least two do: written once per target.
pub(crate) fn most_common_location<'e>(
    locations: impl Iterator<Item = (Option<&'e str>, Option<&'e str>)>,
) -> Option<(&'e str, Option<&'e str>)> {
    let mut counts: Vec<((&str, Option<&str>), usize)> = Vec::new();
    for (loc, de) in locations {
        let Some(loc) = loc else { continue };
        match counts.iter_mut().find(|(k, _)| k.0 == loc && k.1 == de) {
            Some((_, n)) => *n += 1,
            None => counts.push(((loc, de), 1)),
        }
    }
    // The first of the most common, so the choice does not depend on hashing.
    let mut best: Option<((&str, Option<&str>), usize)> = None;
    for (k, n) in counts {
        if n >= 2 && best.is_none_or(|(_, b)| n > b) {
            best = Some((k, n));
        }
    }
    best.map(|(k, _)| k)
}

pub(crate) fn same_text(a: &Text, b: &Text) -> bool {
    (Arc::ptr_eq(&a.de, &b.de) || a.de == b.de) && (Arc::ptr_eq(&a.en, &b.en) || a.en == b.en)
}

pub(crate) fn text_value(t: &Text) -> Value {
    serde_json::json!({"de": &*t.de, "en": &*t.en})
}

impl Catalog {
    /// The target's JSON element with every repeated text replaced by a
    /// reference into the catalog (which learns what it did not hold yet).
    pub fn intern(&mut self, p: Prepared) -> Value {
        let mut shell = p.shell;
        if let Some(file) = p.file {
            let i = self.file_index(file);
            if let Some(info) = shell.get_mut("target").and_then(Value::as_object_mut) {
                info.insert("file".into(), Value::from(i));
            }
        }
        let mut located = false;
        let results: Vec<Value> = p
            .results
            .into_iter()
            .map(|r| Value::Object(self.intern_result(r, &mut located)))
            .collect();
        shell.insert("results".into(), Value::Array(results));
        if let (true, Some((l, d))) = (located, p.at) {
            let mut at = Map::new();
            at.insert("location".into(), Value::String(l));
            if let Some(d) = d {
                at.insert("location_de".into(), Value::String(d));
            }
            shell.insert("evidence_location".into(), Value::Object(at));
        }
        Value::Object(shell)
    }

    /// The index of `file` in the catalog's files (added when new).
    pub(crate) fn file_index(&mut self, file: FileInfo) -> usize {
        match self.files.iter().position(|f| *f == file) {
            Some(i) => i,
            None => {
                self.files.push(file);
                self.files.len() - 1
            }
        }
    }

    /// The catalog entry of the check of `meta` (added when new, as
    /// [`Catalog::intern`] adds it for a result of that check), when a
    /// result with the texts of `meta` leaves every check field to it;
    /// `None` when the entry holds other texts (the result must be interned
    /// whole).
    pub(crate) fn check_entry(
        &mut self,
        meta: &crate::assess::CheckMeta,
    ) -> io::Result<Option<usize>> {
        let fields = [
            ("requirement", Value::String(meta.requirement.clone())),
            ("level", serde_json::to_value(meta.level)?),
            ("weight", serde_json::to_value(meta.weight)?),
        ];
        let at = match self.check_index.get(&meta.id) {
            Some(i) => *i,
            None => {
                self.checks.push(CheckEntry {
                    id: meta.id.clone(),
                    fields: fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect(),
                    title: meta.title.clone(),
                    remediation: meta.remediation.clone(),
                    messages: Vec::new(),
                });
                self.check_index
                    .insert(meta.id.clone(), self.checks.len() - 1);
                return Ok(Some(self.checks.len() - 1));
            }
        };
        let entry = &self.checks[at];
        let same = entry.fields.len() == fields.len()
            && fields.iter().all(|(k, v)| entry.fields.get(*k) == Some(v))
            && same_text(&entry.title, &meta.title)
            && same_text(&entry.remediation, &meta.remediation);
        Ok(same.then_some(at))
    }

    /// The index of `message` among the messages of check entry `entry`
    /// (added when new and there is room); `None` when it stays inline.
    pub(crate) fn message_index(&mut self, entry: usize, message: &Text) -> Option<usize> {
        let entry = self.checks.get_mut(entry)?;
        match entry.messages.iter().position(|m| same_text(m, message)) {
            Some(i) => Some(i),
            None if entry.messages.len() < MAX_MESSAGES => {
                entry.messages.push(message.clone());
                Some(entry.messages.len() - 1)
            }
            None => None,
        }
    }

    /// The index of the evidence item written as `key` (compact JSON; added
    /// when new and there is room); `None` when it stays inline.
    pub(crate) fn evidence_index(&mut self, key: &[u8]) -> Option<usize> {
        match self.evidence_index.get(key) {
            Some(i) => Some(*i),
            None if self.evidence.len() < MAX_EVIDENCE
                && self.evidence_bytes + key.len() <= MAX_EVIDENCE_BYTES =>
            {
                let key: Arc<[u8]> = key.into();
                self.evidence_bytes += key.len();
                self.evidence.push(key.clone());
                self.evidence_index.insert(key, self.evidence.len() - 1);
                Some(self.evidence.len() - 1)
            }
            None => None,
        }
    }

    fn intern_result(&mut self, r: PreparedResult, located: &mut bool) -> Map<String, Value> {
        let mut rest = r.rest;
        let id = rest
            .get("check")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let at = match self.check_index.get(&id) {
            Some(i) => *i,
            None => {
                let fields = ["requirement", "level", "weight"]
                    .into_iter()
                    .filter_map(|k| rest.get(k).map(|v| (k.to_string(), v.clone())))
                    .collect();
                self.checks.push(CheckEntry {
                    id: id.clone(),
                    fields,
                    title: r.title.clone(),
                    remediation: r.remediation.clone(),
                    messages: Vec::new(),
                });
                self.check_index.insert(id, self.checks.len() - 1);
                self.checks.len() - 1
            }
        };
        let entry = &mut self.checks[at];
        for (k, v) in &entry.fields {
            if rest.get(k) == Some(v) {
                rest.remove(k);
            }
        }
        if !same_text(&entry.title, &r.title) {
            rest.insert("title".into(), text_value(&r.title));
        }
        if !same_text(&entry.remediation, &r.remediation) {
            rest.insert("remediation".into(), text_value(&r.remediation));
        }
        let message = match entry.messages.iter().position(|m| same_text(m, &r.message)) {
            Some(i) => Value::from(i),
            None if entry.messages.len() < MAX_MESSAGES => {
                entry.messages.push(r.message);
                Value::from(entry.messages.len() - 1)
            }
            None => text_value(&r.message),
        };
        rest.insert("message".into(), message);
        let evidence = r
            .evidence
            .into_iter()
            .map(|e| self.intern_evidence(e, located))
            .collect();
        rest.insert("evidence".into(), Value::Array(evidence));
        rest
    }

    fn intern_evidence(&mut self, e: PreparedEvidence, located: &mut bool) -> Value {
        let index = self.evidence_index(e.key.as_bytes());
        match (index, e.whole) {
            (Some(i), whole) => {
                *located |= whole.is_some();
                Value::from(i)
            }
            (None, Some(whole)) => whole,
            (None, None) => serde_json::from_str(&e.key).unwrap_or(Value::Null),
        }
    }

    /// Writes the catalog as the value of the top-level `catalog` key,
    /// pretty-printed at the nesting of a top-level value.
    pub fn write<W: Write>(&self, out: &mut W) -> io::Result<()> {
        out.write_all(b"{\n    \"checks\": {")?;
        for (i, c) in self.checks.iter().enumerate() {
            let mut entry = c.fields.clone();
            // A level the DSK catalogue only reconstructs (since 2.6).
            let unconfirmed = entry
                .get("requirement")
                .and_then(Value::as_str)
                .is_some_and(super::i18n::level_unconfirmed);
            if unconfirmed {
                entry.insert("level_unconfirmed".into(), Value::Bool(true));
            }
            entry.insert("title".into(), text_value(&c.title));
            entry.insert("remediation".into(), text_value(&c.remediation));
            entry.insert(
                "messages".into(),
                Value::Array(c.messages.iter().map(text_value).collect()),
            );
            out.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
            serde_json::to_writer(&mut *out, &c.id)?;
            out.write_all(b": ")?;
            serde_json::to_writer(&mut *out, &entry)?;
        }
        out.write_all(if self.checks.is_empty() {
            b"}"
        } else {
            b"\n    }"
        })?;
        out.write_all(b",\n    \"evidence\": [")?;
        for (i, e) in self.evidence.iter().enumerate() {
            out.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
            out.write_all(e)?;
        }
        out.write_all(if self.evidence.is_empty() {
            b"]"
        } else {
            b"\n    ]"
        })?;
        out.write_all(b",\n    \"files\": [")?;
        for (i, f) in self.files.iter().enumerate() {
            out.write_all(if i == 0 { b"\n      " } else { b",\n      " })?;
            serde_json::to_writer(&mut *out, f)?;
        }
        out.write_all(if self.files.is_empty() {
            b"]"
        } else {
            b"\n    ]"
        })?;
        out.write_all(b"\n  }")
    }
}
