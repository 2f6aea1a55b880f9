//! The assessed devices of a run, worst first, in bounded memory.
//!
//! A fleet of 100,000 devices has about a million check results. Holding them
//! as [`TargetAssessment`]s would cost several KB per device, so the evaluator
//! writes each device's assessment through a [`DeviceStoreWriter`] as a compact
//! record: the per-check texts (title, remediation, the matched rule's message)
//! are stored once per check, a record keeps only what differs per device
//! (name, outcomes, evidence). Evidence the rule cache shares between devices
//! is kept once as well ([`SharedTable`]): a record refers to it by number and
//! holds only the device's record (`record 61`) that goes into it (about 200
//! instead of 875 bytes a device of the 100,000-device benchmark).
//! Records go to an in-memory buffer and, once that
//! passes [`SPILL_BYTES`], to an anonymous temporary file. What stays in memory
//! per device is one 32-byte index entry holding the sort key (so the devices
//! can be ordered worst first without reading them back). Renderers read the
//! devices back one at a time, in order, as full [`TargetAssessment`]s, or
//! (the JSON report) as views borrowing from the records (the binary layout
//! is in [`super::record`]).
//!
//! Reports read from JSON (and assessments built by hand) keep their devices as
//! [`TargetAssessment`]s in memory; both kinds look the same to readers.

use rayon::slice::ParallelSliceMut;
use std::cmp::Ordering;
use std::fs::File;
use std::io::{self, Write};
use std::sync::Arc;

use std::borrow::Cow;

use super::record::{EvidenceOut, ExtraOut, InlineCheckOut, RecordOut, RecordView, ResultOut};
use super::shared_evidence::{SharedEvidence, SharedTable};
use super::spill_file::SpillFile;

use super::device_summary::DeviceSummary;
use super::model::{
    CheckResult, Coverage, Level, Outcome, TargetAssessment, TargetInfo, Text, Verdict,
};
use crate::facts::{Evidence, FileInfo, TargetKind};

/// Records are kept in memory up to this many bytes (1 MiB), then moved to
/// a temporary file. With 4 MiB here and in [`crate::pipeline`]'s device
/// spill, the 100,000-device scan peaked 7 MiB higher (59.6 against 52.2
/// MiB, 15 paired runs) at the same speed (0.98×): writing 1 MiB at a time
/// costs no more than 4 MiB.
pub const SPILL_BYTES: usize = 1024 * 1024;

/// The devices of a run, ordered worst first (see [`worst_first`]).
#[derive(Clone, Default)]
pub struct DeviceStore {
    inner: Arc<Inner>,
}

enum Inner {
    Memory(Vec<TargetAssessment>),
    Encoded(Encoded),
}

impl Default for Inner {
    fn default() -> Self {
        Inner::Memory(Vec::new())
    }
}

/// What is known of a check once, for all devices: the texts a record leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckMeta {
    /// Check id.
    pub id: String,
    /// Requirement id.
    pub requirement: String,
    /// Requirement level.
    pub level: Level,
    /// Check title.
    pub title: Text,
    /// What to do about a failure.
    pub remediation: Text,
    /// Weight in the score.
    pub weight: f64,
    /// The messages of the check's rules, in rule order.
    pub messages: Vec<Text>,
}

/// One device in the index: its sort key and where its record is.
#[derive(Debug, Clone, Copy)]
struct Entry {
    score: f64,
    offset: u64,
    len: u32,
    seq: u32,
    failed_must: u16,
    failed: u16,
    verdict: Verdict,
    coverage: SmallCoverage,
}

struct Encoded {
    checks: Arc<[CheckMeta]>,
    /// The shared evidence records refer to by number.
    shared: Box<[Arc<SharedEvidence>]>,
    files: Vec<FileInfo>,
    index: Vec<Entry>,
    memory: Vec<u8>,
    spill: Option<SpillFile>,
}

/// `ResultOut::check` of a check not in the metadata (stored with the result).
const INLINE: u16 = u16::MAX;

/// A device's [`Coverage`] in the two bytes an index entry has spare (the
/// entry stays 32 bytes): `None` when a count does not fit, and the record
/// is read back for it.
#[derive(Debug, Clone, Copy)]
struct SmallCoverage {
    decided: u8,
    total: u8,
}

impl SmallCoverage {
    /// Marks a coverage too large for the index.
    const UNKNOWN: SmallCoverage = SmallCoverage {
        decided: u8::MAX,
        total: u8::MAX,
    };

    fn new(c: Coverage) -> SmallCoverage {
        match (u8::try_from(c.decided), u8::try_from(c.total)) {
            (Ok(decided), Ok(total)) if total < u8::MAX => SmallCoverage { decided, total },
            _ => SmallCoverage::UNKNOWN,
        }
    }

    fn get(self) -> Option<Coverage> {
        (self.total < u8::MAX).then_some(Coverage {
            decided: usize::from(self.decided),
            total: usize::from(self.total),
        })
    }
}

/// The sort key of a device (and its coverage, kept beside it in the index).
#[derive(Debug, Clone, Copy)]
struct Key {
    verdict: Verdict,
    failed_must: u16,
    failed: u16,
    score: f64,
    seq: u32,
    coverage: SmallCoverage,
}

impl Key {
    fn of(t: &TargetAssessment, seq: usize) -> Key {
        let results = t.results.iter().map(|r| (r.outcome, r.level));
        Key::new(t.verdict, t.score, results, seq)
    }

    /// The key of a device with `verdict`, `score` and the `results`'
    /// outcomes and levels.
    fn new(
        verdict: Verdict,
        score: Option<f64>,
        results: impl Iterator<Item = (Outcome, Level)> + Clone,
        seq: usize,
    ) -> Key {
        let applicable = results
            .clone()
            .filter(|(outcome, _)| *outcome != Outcome::NotApplicable)
            .count();
        // As `Coverage::of`: nothing of an unreadable device is decided.
        let decided = if verdict == Verdict::Error {
            0
        } else {
            results
                .clone()
                .filter(|(outcome, _)| matches!(outcome, Outcome::Pass | Outcome::Fail))
                .count()
        };
        let count = |must: bool| {
            let n = results
                .clone()
                .filter(|(outcome, level)| {
                    *outcome == Outcome::Fail && (!must || *level == Level::Must)
                })
                .count();
            u16::try_from(n).unwrap_or(u16::MAX)
        };
        Key {
            verdict,
            failed_must: count(true),
            failed: count(false),
            // Nothing decided sorts after every score.
            score: score.unwrap_or(f64::INFINITY),
            seq: u32::try_from(seq).unwrap_or(u32::MAX),
            coverage: SmallCoverage::new(Coverage {
                decided,
                total: applicable,
            }),
        }
    }

    fn of_entry(e: &Entry) -> Key {
        Key {
            verdict: e.verdict,
            failed_must: e.failed_must,
            failed: e.failed,
            score: e.score,
            seq: e.seq,
            coverage: e.coverage,
        }
    }
}

/// Worst first by [`Verdict::severity`] (unreadable, then not compliant, then
/// incomplete, then compliant); within a verdict more failed must-checks first, then more failed
/// checks, then the lower score; equal devices keep their input order.
fn compare_keys(x: &Key, y: &Key) -> Ordering {
    y.verdict
        .severity()
        .cmp(&x.verdict.severity())
        .then_with(|| y.failed_must.cmp(&x.failed_must))
        .then_with(|| y.failed.cmp(&x.failed))
        .then_with(|| x.score.total_cmp(&y.score))
        .then_with(|| x.seq.cmp(&y.seq))
}

/// Orders device assessments worst first (the order of every report).
pub fn worst_first(devices: &mut Vec<TargetAssessment>) {
    let mut keyed: Vec<(Key, TargetAssessment)> = std::mem::take(devices)
        .into_iter()
        .enumerate()
        .map(|(i, t)| (Key::of(&t, i), t))
        .collect();
    keyed.sort_by(|a, b| compare_keys(&a.0, &b.0));
    *devices = keyed.into_iter().map(|(_, t)| t).collect();
}

impl DeviceStore {
    /// Keeps `devices` (device assessments) in memory, ordered worst first.
    pub fn from_targets(mut devices: Vec<TargetAssessment>) -> DeviceStore {
        worst_first(&mut devices);
        DeviceStore {
            inner: Arc::new(Inner::Memory(devices)),
        }
    }

    /// Number of devices.
    pub fn len(&self) -> usize {
        match &*self.inner {
            Inner::Memory(v) => v.len(),
            Inner::Encoded(e) => e.index.len(),
        }
    }

    /// True when there are no devices.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the records were moved to a temporary file.
    pub fn spilled(&self) -> bool {
        matches!(&*self.inner, Inner::Encoded(e) if e.spill.is_some())
    }

    /// The device at position `i` (0 = worst).
    pub fn get(&self, i: usize) -> io::Result<TargetAssessment> {
        match &*self.inner {
            Inner::Memory(v) => v.get(i).cloned().ok_or_else(|| out_of_range(i)),
            Inner::Encoded(e) => e.get(i),
        }
    }

    /// Every device, worst first, read back one at a time (records of a
    /// temporary file are read a round of `ROUND` devices at once).
    pub fn iter(&self) -> impl Iterator<Item = io::Result<TargetAssessment>> + '_ {
        self.range(0..self.len())
    }

    /// The devices at positions `devices` (0 = worst), read back as
    /// [`DeviceStore::iter`] reads them: cheaper than [`DeviceStore::get`]
    /// per device when the records are in a temporary file.
    pub fn range(
        &self,
        devices: std::ops::Range<usize>,
    ) -> impl Iterator<Item = io::Result<TargetAssessment>> + '_ {
        Iter {
            store: self,
            next: devices.start,
            end: devices.end.min(self.len()),
            round: None,
        }
    }

    /// The first (worst) `n` devices.
    pub fn first(&self, n: usize) -> io::Result<Vec<TargetAssessment>> {
        self.range(0..n).collect()
    }

    /// Verdict and score of every device, worst first, without reading the records.
    pub fn verdicts(&self) -> Vec<(Verdict, Option<f64>)> {
        match &*self.inner {
            Inner::Memory(v) => v.iter().map(|t| (t.verdict, t.score)).collect(),
            Inner::Encoded(e) => e
                .index
                .iter()
                .map(|x| (x.verdict, x.score.is_finite().then_some(x.score)))
                .collect(),
        }
    }

    /// The [`Coverage`] of every device, worst first (the order of
    /// [`DeviceStore::verdicts`]), from the index; only a device with more
    /// than 254 applicable checks is read back for it.
    pub fn coverages(&self) -> io::Result<Vec<Coverage>> {
        match &*self.inner {
            Inner::Memory(v) => Ok(v.iter().map(TargetAssessment::coverage).collect()),
            Inner::Encoded(e) => e
                .index
                .iter()
                .enumerate()
                .map(|(i, x)| match x.coverage.get() {
                    Some(c) => Ok(c),
                    None => e.get(i).map(|t| t.coverage()),
                })
                .collect(),
        }
    }

    /// The remediation text of device check `check` (the same for every
    /// device), without reading the records; `None` when no device has it.
    pub fn remediation(&self, check: &str) -> Option<Text> {
        match &*self.inner {
            Inner::Memory(v) => v
                .iter()
                .flat_map(|t| &t.results)
                .find(|r| r.check == check)
                .map(|r| r.remediation.clone()),
            Inner::Encoded(e) => e
                .checks
                .iter()
                .find(|c| c.id == check)
                .map(|c| c.remediation.clone()),
        }
    }

    /// The inventory files the devices came from, each once, in input order.
    pub fn files(&self) -> Vec<FileInfo> {
        match &*self.inner {
            Inner::Memory(v) => {
                let mut files: Vec<FileInfo> = Vec::new();
                for f in v.iter().filter_map(|t| t.target.file.as_ref()) {
                    if !files.iter().any(|known| known.path == f.path) {
                        files.push(f.clone());
                    }
                }
                files
            }
            Inner::Encoded(e) => e.files.clone(),
        }
    }
}

/// Devices [`DeviceStore::iter`] reads back at once (bounds the memory of a round).
const ROUND: usize = 256;

/// The iterator of [`DeviceStore::iter`].
struct Iter<'s> {
    store: &'s DeviceStore,
    next: usize,
    end: usize,
    /// The records of devices from the first position on, when encoded.
    round: Option<(usize, RoundRecords<'s>)>,
}

impl Iterator for Iter<'_> {
    type Item = io::Result<TargetAssessment>;

    fn next(&mut self) -> Option<Self::Item> {
        let i = self.next;
        if i >= self.end {
            return None;
        }
        self.next += 1;
        let Inner::Encoded(enc) = &*self.store.inner else {
            return Some(self.store.get(i));
        };
        let current = matches!(&self.round, Some((first, r)) if i - first < r.len());
        if !current {
            let end = self.end.min(i + ROUND);
            match (Records { enc }).round(i..end) {
                Ok(r) => self.round = Some((i, r)),
                Err(e) => return Some(Err(e)),
            }
        }
        let (first, round) = self.round.as_ref()?;
        Some(
            round
                .get(i - first)
                .and_then(|bytes| RecordView::read(bytes, &enc.shared))
                .and_then(|r| enc.decode(r)),
        )
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end.saturating_sub(self.next);
        (left, Some(left))
    }
}

/// Records further apart than this in the temporary file are read apart:
/// bounds what a round reads besides its own records.
const GAP: u64 = 4 << 10;
/// Bytes read by one read of a round at most (unless one record is larger).
const MAX_READ: u64 = 1 << 20;

/// The records of consecutive devices (a round), read at once: from the
/// temporary file with one read per run of records that lie close together
/// in it (devices that sort alike were mostly written one after the other),
/// instead of one read per device.
pub(crate) struct RoundRecords<'s> {
    /// The store's memory, or what was read from its file.
    base: Cow<'s, [u8]>,
    /// Each device's record in `base`, in device order.
    ranges: Vec<std::ops::Range<usize>>,
}

impl RoundRecords<'_> {
    /// Number of devices of the round.
    pub(crate) fn len(&self) -> usize {
        self.ranges.len()
    }

    /// The record of the round's `k`th device, for [`RecordView::read`].
    pub(crate) fn get(&self, k: usize) -> io::Result<&[u8]> {
        self.ranges
            .get(k)
            .and_then(|r| self.base.get(r.clone()))
            .ok_or_else(|| out_of_range(k))
    }
}

/// The compact records of a store that holds them (see [`DeviceStore::records`]).
pub(crate) struct Records<'s> {
    enc: &'s Encoded,
}

impl<'s> Records<'s> {
    /// The texts of the checks, for [`RecordResult::check`].
    pub(crate) fn checks(&self) -> &'s [CheckMeta] {
        &self.enc.checks
    }

    /// The inventory files, for [`Record::file`].
    pub(crate) fn files(&self) -> &'s [FileInfo] {
        &self.enc.files
    }

    /// The shared evidence records refer to by number, for [`RecordView::read`].
    pub(crate) fn shared(&self) -> &'s [Arc<SharedEvidence>] {
        &self.enc.shared
    }

    /// The records of the devices at positions `devices` (0 = worst).
    pub(crate) fn round(&self, devices: std::ops::Range<usize>) -> io::Result<RoundRecords<'s>> {
        let entries = self
            .enc
            .index
            .get(devices.clone())
            .ok_or_else(|| out_of_range(devices.end))?;
        let Some(file) = &self.enc.spill else {
            let ranges = entries
                .iter()
                .map(|e| {
                    let start = usize::try_from(e.offset).map_err(|_| out_of_range(0))?;
                    Ok(start..start.saturating_add(e.len as usize))
                })
                .collect::<io::Result<_>>()?;
            return Ok(RoundRecords {
                base: Cow::Borrowed(&self.enc.memory),
                ranges,
            });
        };
        // In file order, cut into runs read at once.
        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.sort_unstable_by_key(|&k| entries[k].offset);
        // Runs of `order[a..b]` at file bytes `start..end`, then one buffer
        // of their exact size.
        let mut runs: Vec<(usize, usize, u64, u64)> = Vec::new();
        let mut a = 0;
        while let Some(&first) = order.get(a) {
            let start = entries[first].offset;
            let mut end = start + u64::from(entries[first].len);
            let mut b = a + 1;
            while let Some(e) = order.get(b).map(|&k| &entries[k]) {
                let e_end = e.offset + u64::from(e.len);
                if e.offset > end + GAP || e_end - start > MAX_READ {
                    break;
                }
                end = end.max(e_end);
                b += 1;
            }
            runs.push((a, b, start, end));
            a = b;
        }
        let total: u64 = runs.iter().map(|r| r.3 - r.2).sum();
        let mut base = vec![0u8; usize::try_from(total).map_err(|_| out_of_range(0))?];
        let mut ranges = vec![0..0; entries.len()];
        let mut at = 0usize;
        for (a, b, start, end) in runs {
            let len = (end - start) as usize;
            file.read_exact_at(&mut base[at..at + len], start)?;
            for &k in &order[a..b] {
                let from = at + (entries[k].offset - start) as usize;
                ranges[k] = from..from + entries[k].len as usize;
            }
            at += len;
        }
        Ok(RoundRecords {
            base: Cow::Owned(base),
            ranges,
        })
    }
}

impl DeviceStore {
    /// The devices' compact records, when the store holds records (a store
    /// of [`TargetAssessment`]s gives `None`): for writers that need not
    /// rebuild every assessment.
    pub(crate) fn records(&self) -> Option<Records<'_>> {
        match &*self.inner {
            Inner::Memory(_) => None,
            Inner::Encoded(enc) => Some(Records { enc }),
        }
    }
}

fn out_of_range(i: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        format!("device {i} is not in the store"),
    )
}

impl Encoded {
    fn get(&self, i: usize) -> io::Result<TargetAssessment> {
        if i >= self.index.len() {
            return Err(out_of_range(i));
        }
        let round = (Records { enc: self }).round(i..i + 1)?;
        self.decode(RecordView::read(round.get(0)?, &self.shared)?)
    }

    fn decode(&self, r: RecordView<'_>) -> io::Result<TargetAssessment> {
        let results = r
            .results
            .iter()
            .map(|x| {
                let meta = self.checks.get(usize::from(x.check));
                let message = match (x.message_text(), x.rule) {
                    (Some(m), _) => m,
                    (None, Some(rule)) => meta
                        .and_then(|m| m.messages.get(usize::from(rule)))
                        .cloned()
                        .unwrap_or_default(),
                    (None, None) => Text::default(),
                };
                let evidence = x.evidence.iter().map(|(_, e)| e.to_evidence()).collect();
                let extra = x.extra()?;
                Ok(match (extra.inline, meta) {
                    (Some(c), _) => CheckResult {
                        check: c.id,
                        requirement: c.requirement,
                        level: c.level,
                        outcome: x.outcome,
                        title: c.title,
                        message,
                        remediation: c.remediation,
                        evidence,
                        attestation: extra.attestation,
                        attested: extra.attested,
                        attestation_status: extra.attestation_status,
                        weight: c.weight,
                    },
                    (None, meta) => CheckResult {
                        check: meta.map(|m| m.id.clone()).unwrap_or_default(),
                        requirement: meta.map(|m| m.requirement.clone()).unwrap_or_default(),
                        level: meta.map_or(Level::Must, |m| m.level),
                        outcome: x.outcome,
                        title: meta.map(|m| m.title.clone()).unwrap_or_default(),
                        message,
                        remediation: meta.map(|m| m.remediation.clone()).unwrap_or_default(),
                        evidence,
                        attestation: extra.attestation,
                        attested: extra.attested,
                        attestation_status: extra.attestation_status,
                        weight: meta.map_or(0.0, |m| m.weight),
                    },
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Device,
                name: r.name.to_string(),
                id: None,
                version: None,
                file: r.file.and_then(|f| self.files.get(f as usize)).cloned(),
                source: r.source.map(str::to_string),
                device: r.device.as_ref().map(|d| d.to_summary()),
            },
            verdict: r.verdict,
            score: r.score,
            results,
            error: r.error.map(str::to_string),
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        })
    }
}

/// Positions of devices in a [`DeviceStoreWriter`], each what
/// [`DeviceStoreWriter::len`] was before the device was added: the devices
/// [`DeviceStoreWriter::forget`] may forget. One bit per position (125 KB
/// for a million devices), not a number per device: they are the
/// provisional Android devices of an export, half of a fleet or more,
/// noted until the export is read to its end.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    bits: Vec<u64>,
}

impl Positions {
    /// Notes position `at`.
    pub fn insert(&mut self, at: usize) {
        let word = at / 64;
        if self.bits.len() <= word {
            self.bits.resize(word + 1, 0);
        }
        if let Some(w) = self.bits.get_mut(word) {
            *w |= 1u64 << (at % 64);
        }
    }

    /// Whether position `at` was noted.
    pub fn contains(&self, at: usize) -> bool {
        self.bits
            .get(at / 64)
            .is_some_and(|w| w & (1u64 << (at % 64)) != 0)
    }

    /// The positions noted, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.bits.iter().enumerate().flat_map(|(word, &w)| {
            (0..64)
                .filter(move |b| w & (1u64 << b) != 0)
                .map(move |b| word * 64 + b)
        })
    }

    /// Forgets every position.
    pub fn clear(&mut self) {
        self.bits.clear();
    }
}

/// Where the evaluator writes device assessments; [`DeviceStoreWriter::finish`]
/// orders them and gives the [`DeviceStore`].
pub struct DeviceStoreWriter {
    enc: Encoded,
    /// Numbers the shared evidence of the devices' results.
    shared: Arc<SharedTable>,
    spill: Option<io::BufWriter<File>>,
    spilled_bytes: u64,
    next_seq: usize,
}

/// A device's assessment as the store keeps it, made by the evaluator
/// without a [`TargetAssessment`]: the outcome of every check of the
/// store's metadata, in its order, and no text copied that the metadata
/// holds ([`DeviceEncoder::encode_outcomes`] writes the same record as
/// [`DeviceEncoder::encode`] of the full assessment).
#[derive(Debug, Clone)]
pub struct DeviceOutcomes {
    /// The device's name (pseudonymized), or its record when it has none.
    pub name: String,
    /// The export and record it came from (`TargetInfo::source`).
    pub source: String,
    /// What the report shows of the device.
    pub device: DeviceSummary,
    /// The verdict of the results.
    pub verdict: Verdict,
    /// The score of the results.
    pub score: Option<f64>,
    /// One result per check of the metadata, in its order.
    pub results: Vec<CheckOutcome>,
    /// The device's record (`record 61`), put into
    /// [`OutcomeEvidence::Shared`] items where they are written.
    pub record: String,
    /// The German wording of `record`, when shared items need it.
    pub record_de: Option<String>,
}

/// One check's result in [`DeviceOutcomes`].
#[derive(Debug, Clone)]
pub struct CheckOutcome {
    /// The outcome.
    pub outcome: Outcome,
    /// Why (the matched rule's message, or the evaluation error).
    pub message: Text,
    /// The evidence that decided the outcome.
    pub evidence: OutcomeEvidence,
}

/// The evidence of a [`CheckOutcome`].
#[derive(Debug, Clone)]
pub enum OutcomeEvidence {
    /// The items.
    Items(Vec<Evidence>),
    /// The items of a cached rule, with [`DeviceOutcomes::record`] put in.
    Shared(Arc<SharedEvidence>),
}

/// A device's record and sort key, made by [`DeviceEncoder::encode`].
#[derive(Debug, Clone)]
pub struct EncodedDevice {
    key: Key,
    bytes: Vec<u8>,
}

/// A point to go back to with [`DeviceStoreWriter::rollback`] (an inventory
/// that failed half-way contributes no devices).
#[derive(Debug, Clone, Copy, Default)]
pub struct Mark {
    index: usize,
    files: usize,
}

impl DeviceStoreWriter {
    /// A writer whose records leave out the texts of `checks`.
    pub fn new(checks: Vec<CheckMeta>) -> DeviceStoreWriter {
        DeviceStoreWriter {
            enc: Encoded {
                checks: checks.into(),
                shared: Box::default(),
                files: Vec::new(),
                index: Vec::new(),
                memory: Vec::new(),
                spill: None,
            },
            shared: Arc::new(SharedTable::new()),
            spill: None,
            spilled_bytes: 0,
            next_seq: 0,
        }
    }

    /// Devices written so far.
    pub fn len(&self) -> usize {
        self.enc.index.len()
    }

    /// True when no device was written.
    pub fn is_empty(&self) -> bool {
        self.enc.index.is_empty()
    }

    /// The current position, for [`DeviceStoreWriter::rollback`].
    pub fn mark(&self) -> Mark {
        Mark {
            index: self.enc.index.len(),
            files: self.enc.files.len(),
        }
    }

    /// Forgets the devices (and inventory files) added since `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        self.enc.index.truncate(mark.index);
        self.enc.files.truncate(mark.files);
    }

    /// Forgets the devices at `positions` (none forgotten or rolled back
    /// since they were noted).
    pub fn forget(&mut self, positions: &Positions) {
        let mut at = 0;
        // Visits the devices in the order added.
        self.enc.index.retain(|_| {
            let keep = !positions.contains(at);
            at += 1;
            keep
        });
    }

    /// Registers an inventory file; its index goes into [`DeviceStoreWriter::push`].
    pub fn add_file(&mut self, file: FileInfo) -> u32 {
        self.enc.files.push(file);
        u32::try_from(self.enc.files.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// Replaces the details of inventory file `number` (of
    /// [`DeviceStoreWriter::add_file`]).
    pub fn name_file(&mut self, number: u32, file: FileInfo) {
        if let Some(known) = self.enc.files.get_mut(number as usize) {
            *known = file;
        }
    }

    /// Adds one device's assessment (from inventory file `file`).
    pub fn push(&mut self, t: &TargetAssessment, file: Option<u32>) -> io::Result<()> {
        let encoded = self.encode(t, file)?;
        self.push_encoded(encoded)
    }

    /// Encodes one device's assessment without adding it (threads encoding
    /// many take one [`DeviceStoreWriter::encoder`] instead).
    pub fn encode(&self, t: &TargetAssessment, file: Option<u32>) -> io::Result<EncodedDevice> {
        self.encoder().encode(t, file)
    }

    /// An encoder of device assessments for this writer, apart from it:
    /// threads can encode a batch while the writer (borrowed mutably) adds
    /// the batch before.
    pub fn encoder(&self) -> DeviceEncoder {
        DeviceEncoder {
            checks: Arc::clone(&self.enc.checks),
            shared: Arc::clone(&self.shared),
        }
    }

    /// Adds a device encoded with [`DeviceEncoder::encode`].
    pub fn push_encoded(&mut self, device: EncodedDevice) -> io::Result<()> {
        self.push_encoded_at(device, self.next_seq)
    }

    /// The place among equal devices the next device added gets
    /// ([`DeviceStoreWriter::push_encoded`]): devices that sort alike are
    /// reported in the order of their places.
    pub fn next_seq(&self) -> usize {
        self.next_seq
    }

    /// Adds a device encoded with [`DeviceEncoder::encode`] at place `seq`
    /// among equal devices (from [`DeviceStoreWriter::next_seq`] on), so
    /// that devices added out of their input order are reported in it; the
    /// next device added without a place follows the last place given.
    pub fn push_encoded_at(&mut self, device: EncodedDevice, seq: usize) -> io::Result<()> {
        self.next_seq = self.next_seq.max(seq.saturating_add(1));
        let seq = u32::try_from(seq).unwrap_or(u32::MAX);
        // Moved to the file before the buffer would grow past its bound.
        if !self.enc.memory.is_empty() && self.enc.memory.len() + device.bytes.len() > SPILL_BYTES {
            self.flush_to_file()?;
        }
        let offset = self.spilled_bytes + self.enc.memory.len() as u64;
        let len = u32::try_from(device.bytes.len())
            .map_err(|_| io::Error::other("a device result is larger than 4 GiB"))?;
        self.enc.memory.extend_from_slice(&device.bytes);
        self.enc.index.push(Entry {
            score: device.key.score,
            offset,
            len,
            seq,
            failed_must: device.key.failed_must,
            failed: device.key.failed,
            verdict: device.key.verdict,
            coverage: device.key.coverage,
        });
        if self.enc.memory.len() >= SPILL_BYTES {
            self.flush_to_file()?;
        }
        Ok(())
    }

    fn flush_to_file(&mut self) -> io::Result<()> {
        if self.spill.is_none() {
            let file = tempfile::tempfile().map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!(
                        "cannot create a temporary file for the device results in {} (set TMPDIR to a writable folder): {e}",
                        std::env::temp_dir().display()
                    ),
                )
            })?;
            // The buffer is written whole: a small write buffer is enough.
            self.spill = Some(io::BufWriter::with_capacity(8 << 10, file));
        }
        if let Some(w) = &mut self.spill {
            w.write_all(&self.enc.memory)?;
        }
        self.spilled_bytes += self.enc.memory.len() as u64;
        self.enc.memory.clear();
        Ok(())
    }

    /// Orders the devices worst first and gives the store.
    pub fn finish(mut self) -> io::Result<DeviceStore> {
        if let Some(mut w) = self.spill.take() {
            w.write_all(&self.enc.memory)?;
            self.enc.memory = Vec::new();
            let file = w.into_inner().map_err(|e| e.into_error())?;
            self.enc.spill = Some(SpillFile::new(file));
        }
        self.enc.shared = self.shared.items();
        // Stable, as the order of equal devices is their input order; on
        // every core (100,000 devices took 15 ms on one).
        self.enc
            .index
            .par_sort_by(|a, b| compare_keys(&Key::of_entry(a), &Key::of_entry(b)));
        self.enc.index.shrink_to_fit();
        Ok(DeviceStore {
            inner: Arc::new(Inner::Encoded(self.enc)),
        })
    }
}

/// Encodes device assessments into the records of a [`DeviceStoreWriter`]
/// (made by [`DeviceStoreWriter::encoder`]; shares the writer's check texts).
#[derive(Debug, Clone)]
pub struct DeviceEncoder {
    checks: Arc<[CheckMeta]>,
    shared: Arc<SharedTable>,
}

impl DeviceEncoder {
    /// Encodes one device's assessment (from inventory file `file`) for
    /// [`DeviceStoreWriter::push_encoded`].
    pub fn encode(&self, t: &TargetAssessment, file: Option<u32>) -> io::Result<EncodedDevice> {
        let key = Key::of(t, 0);
        let bytes = self.record(t, file).encode()?;
        Ok(EncodedDevice { key, bytes })
    }

    /// Encodes `d`, whose results are those of the metadata's checks in
    /// order, exactly as [`DeviceEncoder::encode`] encodes the same
    /// assessment made whole (no answers applied).
    pub fn encode_outcomes(
        &self,
        d: &DeviceOutcomes,
        file: Option<u32>,
    ) -> io::Result<EncodedDevice> {
        if d.results.len() != self.checks.len() {
            return Err(io::Error::other(format!(
                "internal: {} results for {} checks",
                d.results.len(),
                self.checks.len()
            )));
        }
        let rated = d.results.iter().zip(self.checks.iter());
        let key = Key::new(
            d.verdict,
            d.score,
            rated.clone().map(|(r, m)| (r.outcome, m.level)),
            0,
        );
        let results = rated
            .enumerate()
            .map(|(at, (r, m))| {
                let check = u16::try_from(at).ok().filter(|i| *i < INLINE);
                let rule = check.and_then(|_| rule_of(m, &r.message));
                ResultOut {
                    check: check.unwrap_or(INLINE),
                    outcome: r.outcome,
                    rule,
                    message: rule.is_none().then_some(&r.message),
                    evidence: match &r.evidence {
                        OutcomeEvidence::Items(items) => EvidenceOut::Items(items),
                        OutcomeEvidence::Shared(items) => EvidenceOut::Shared {
                            items,
                            record: &d.record,
                            record_de: d.record_de.as_deref(),
                            number: self.shared.number(items),
                        },
                    },
                    extra: ExtraOut {
                        inline: check.is_none().then_some(InlineCheckOut {
                            id: &m.id,
                            requirement: &m.requirement,
                            level: m.level,
                            title: &m.title,
                            remediation: &m.remediation,
                            weight: m.weight,
                        }),
                        attestation: None,
                        attested: false,
                        attestation_status: None,
                    },
                }
            })
            .collect();
        let bytes = RecordOut {
            name: &d.name,
            source: Some(&d.source),
            file,
            verdict: d.verdict,
            score: d.score,
            error: None,
            device: Some(&d.device),
            results,
        }
        .encode()?;
        Ok(EncodedDevice { key, bytes })
    }

    fn record<'t>(&self, t: &'t TargetAssessment, file: Option<u32>) -> RecordOut<'t> {
        let results = t
            .results
            .iter()
            .map(|r| {
                let known = self.check_index(r);
                let rule = known
                    .and_then(|i| self.checks.get(i))
                    .and_then(|m| rule_of(m, &r.message));
                ResultOut {
                    check: known.and_then(|i| u16::try_from(i).ok()).unwrap_or(INLINE),
                    outcome: r.outcome,
                    rule,
                    message: rule.is_none().then_some(&r.message),
                    evidence: EvidenceOut::Items(&r.evidence),
                    extra: ExtraOut {
                        inline: known.is_none().then(|| InlineCheckOut {
                            id: &r.check,
                            requirement: &r.requirement,
                            level: r.level,
                            title: &r.title,
                            remediation: &r.remediation,
                            weight: r.weight,
                        }),
                        attestation: r.attestation.as_ref(),
                        attested: r.attested,
                        attestation_status: r.attestation_status,
                    },
                }
            })
            .collect();
        RecordOut {
            name: &t.target.name,
            source: t.target.source.as_deref(),
            file,
            verdict: t.verdict,
            score: t.score,
            error: t.error.as_deref(),
            device: t.target.device.as_ref(),
            results,
        }
    }

    /// The index of the check of `r` in the metadata, when it is there with
    /// the same texts (results usually come in metadata order: tried first).
    fn check_index(&self, r: &CheckResult) -> Option<usize> {
        let same = |m: &CheckMeta| {
            m.id == r.check
                && m.requirement == r.requirement
                && m.level == r.level
                && m.weight.to_bits() == r.weight.to_bits()
                && same_text(&m.title, &r.title)
                && same_text(&m.remediation, &r.remediation)
        };
        self.checks
            .iter()
            .position(same)
            .filter(|i| *i < usize::from(INLINE))
    }
}

/// The number of the first rule of check `m` whose message is `message`.
fn rule_of(m: &CheckMeta, message: &Text) -> Option<u16> {
    let i = m.messages.iter().position(|msg| same_text(msg, message))?;
    u16::try_from(i).ok()
}

/// Equal texts (the same shared strings, or equal content).
fn same_text(a: &Text, b: &Text) -> bool {
    (Arc::ptr_eq(&a.de, &b.de) || a.de == b.de) && (Arc::ptr_eq(&a.en, &b.en) || a.en == b.en)
}

impl std::fmt::Debug for DeviceStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeviceStore")
            .field("devices", &self.len())
            .field("spilled", &self.spilled())
            .finish()
    }
}

impl PartialEq for DeviceStore {
    /// Equal when both hold the same devices in the same order (records that
    /// cannot be read back make the stores unequal).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .zip(other.iter())
                .all(|(a, b)| matches!((a, b), (Ok(a), Ok(b)) if a == b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Text {
        Text {
            de: format!("{s} (de)").into(),
            en: s.into(),
        }
    }

    fn meta(id: &str, level: Level) -> CheckMeta {
        CheckMeta {
            id: id.into(),
            requirement: id.get(..6).unwrap_or(id).into(),
            level,
            title: text(&format!("title {id}")),
            remediation: text(&format!("fix {id}")),
            weight: 1.0,
            messages: vec![text("ok"), text("bad")],
        }
    }

    fn device(i: usize, checks: &[CheckMeta], outcomes: &[Outcome]) -> TargetAssessment {
        let results: Vec<CheckResult> = checks
            .iter()
            .zip(outcomes)
            .map(|(m, o)| CheckResult {
                check: m.id.clone(),
                requirement: m.requirement.clone(),
                level: m.level,
                outcome: *o,
                title: m.title.clone(),
                message: match o {
                    Outcome::Pass => m.messages[0].clone(),
                    Outcome::Fail => m.messages[1].clone(),
                    // A message no rule has (e.g. an evaluation error).
                    _ => text(&format!("custom {i}")),
                },
                remediation: m.remediation.clone(),
                evidence: vec![Evidence::new("field", format!("value {i}")).at("record 1")],
                attestation: None,
                attested: false,
                attestation_status: None,
                weight: m.weight,
            })
            .collect();
        let fails = outcomes.iter().filter(|o| **o == Outcome::Fail).count();
        TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Device,
                name: format!("dev-{i:03}"),
                id: None,
                version: None,
                file: Some(FileInfo {
                    path: "fleet.json".into(),
                    sha256: "ab".into(),
                    size: 7,
                }),
                source: Some(format!("intune-graph record {i}")),
                // Every other device carries its list columns; they come back too.
                device: i
                    .is_multiple_of(2)
                    .then(|| crate::assess::device_summary::DeviceSummary {
                        platform: Some("android".into()),
                        model: Some(format!("Pixel {i}")),
                        patch_level: Some("2026-10-01".into()),
                        ..Default::default()
                    }),
            },
            verdict: if fails > 0 {
                Verdict::NotCompliant
            } else if outcomes.contains(&Outcome::Manual) {
                Verdict::Incomplete
            } else {
                Verdict::Compliant
            },
            score: Some(100.0 - fails as f64 * 10.0),
            results,
            error: None,
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    fn fleet(n: usize) -> (Vec<CheckMeta>, Vec<TargetAssessment>) {
        let checks = vec![
            meta("DEV-01-a", Level::Must),
            meta("DEV-02-b", Level::Must),
            meta("DEV-07-c", Level::Should),
        ];
        let patterns = [
            [Outcome::Pass, Outcome::Pass, Outcome::Pass],
            [Outcome::Fail, Outcome::Pass, Outcome::Pass],
            [Outcome::Pass, Outcome::Manual, Outcome::Fail],
            [Outcome::Fail, Outcome::Fail, Outcome::Pass],
            [Outcome::Pass, Outcome::Manual, Outcome::Pass],
        ];
        let devices = (0..n)
            .map(|i| device(i, &checks, &patterns[i % patterns.len()]))
            .collect();
        (checks, devices)
    }

    fn store(checks: Vec<CheckMeta>, devices: &[TargetAssessment]) -> DeviceStore {
        let mut w = DeviceStoreWriter::new(checks);
        let file = w.add_file(FileInfo {
            path: "fleet.json".into(),
            sha256: "ab".into(),
            size: 7,
        });
        for d in devices {
            w.push(d, Some(file)).unwrap();
        }
        w.finish().unwrap()
    }

    /// The outcomes of an assessment, as the evaluator makes them without it.
    fn outcomes(t: &TargetAssessment) -> DeviceOutcomes {
        DeviceOutcomes {
            name: t.target.name.clone(),
            source: t.target.source.clone().unwrap(),
            device: t.target.device.clone().unwrap(),
            verdict: t.verdict,
            score: t.score,
            results: t
                .results
                .iter()
                .map(|r| CheckOutcome {
                    outcome: r.outcome,
                    message: r.message.clone(),
                    evidence: OutcomeEvidence::Items(r.evidence.clone()),
                })
                .collect(),
            record: String::new(),
            record_de: None,
        }
    }

    #[test]
    fn outcomes_encode_as_the_whole_assessment() {
        let (checks, devices) = fleet(12);
        let encoder = DeviceStoreWriter::new(checks).encoder();
        // Devices with and without failed must-checks, messages of a rule
        // and of none (`custom`), copies of the rule texts as well as the
        // shared ones.
        for (i, t) in devices.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
            let mut o = outcomes(t);
            if i % 4 == 0 {
                for r in &mut o.results {
                    r.message = Text {
                        de: (*r.message.de).into(),
                        en: (*r.message.en).into(),
                    };
                }
            }
            let whole = encoder.encode(t, Some(3)).unwrap();
            let compact = encoder.encode_outcomes(&o, Some(3)).unwrap();
            assert_eq!(compact.bytes, whole.bytes, "device {i}");
            assert_eq!(format!("{:?}", compact.key), format!("{:?}", whole.key));
        }
        // Shared evidence writes the items it fills, with the record and its
        // German wording (or without one) put in.
        let shared = |text: &str| Arc::new(crate::assess::shared_evidence::test_items(text));
        for record_de in [Some("Datensatz 5"), None] {
            let mut o = outcomes(&devices[0]);
            o.record = "record 5".to_string();
            o.record_de = record_de.map(str::to_string);
            let mut filled = o.clone();
            for (k, r) in o.results.iter_mut().enumerate() {
                r.evidence = OutcomeEvidence::Shared(shared(&format!("v{k}")));
            }
            for (k, r) in filled.results.iter_mut().enumerate() {
                r.evidence =
                    OutcomeEvidence::Items(shared(&format!("v{k}")).fill("record 5", record_de));
            }
            let a = encoder.encode_outcomes(&o, Some(3)).unwrap();
            let b = encoder.encode_outcomes(&filled, Some(3)).unwrap();
            assert_eq!(a.bytes, b.bytes, "{record_de:?}");
            let view = RecordView::read(&a.bytes, &[]).unwrap();
            let items: Vec<Evidence> = view.results[0]
                .evidence
                .iter()
                .map(|(_, e)| e.to_evidence())
                .collect();
            assert_eq!(items, shared("v0").fill("record 5", record_de));
            assert_eq!(items[0].location.as_deref(), Some("record 5"));
            assert_eq!(items[0].location_de.as_deref(), record_de);
        }
        let mut short = outcomes(&devices[0]);
        short.results.pop();
        let e = encoder.encode_outcomes(&short, None).unwrap_err();
        assert!(e.to_string().contains("2 results for 3 checks"), "{e}");
    }

    #[test]
    fn numbered_shared_evidence_reads_back_as_its_items() {
        let (checks, devices) = fleet(9);
        let shared: Vec<Arc<SharedEvidence>> = ["a", "b"]
            .into_iter()
            .map(|v| Arc::new(crate::assess::shared_evidence::test_borrowable(v)))
            .chain([Arc::new(crate::assess::shared_evidence::test_items("c"))])
            .collect();
        let mut numbered = DeviceStoreWriter::new(checks.clone());
        let mut inline = DeviceStoreWriter::new(checks);
        let encoder = numbered.encoder();
        let complete = devices
            .iter()
            .enumerate()
            .filter(|(_, t)| t.target.source.is_some() && t.target.device.is_some());
        for (i, t) in complete {
            let record = format!("record {i}");
            let record_de = (i % 3 != 0).then(|| format!("Datensatz {i}"));
            let mut o = outcomes(t);
            o.record = record.clone();
            o.record_de = record_de.clone();
            let mut whole = t.clone();
            for (k, (r, w)) in o.results.iter_mut().zip(&mut whole.results).enumerate() {
                let items = &shared[(i + k) % shared.len()];
                w.evidence = items.fill(&record, record_de.as_deref());
                r.evidence = OutcomeEvidence::Shared(Arc::clone(items));
            }
            let compact = encoder.encode_outcomes(&o, None).unwrap();
            let written = inline.encode(&whole, None).unwrap();
            assert!(
                compact.bytes.len() < written.bytes.len(),
                "device {i}: {} bytes against {}",
                compact.bytes.len(),
                written.bytes.len()
            );
            numbered.push_encoded(compact).unwrap();
            inline.push_encoded(written).unwrap();
        }
        let (numbered, inline) = (numbered.finish().unwrap(), inline.finish().unwrap());
        // The two borrowable ones are held once; the third is in the records.
        assert_eq!(numbered.records().unwrap().shared().len(), 2);
        assert!(inline.records().unwrap().shared().is_empty());
        assert_eq!(numbered, inline);
        let all: Vec<TargetAssessment> = numbered.iter().map(Result::unwrap).collect();
        let de = all
            .iter()
            .flat_map(|t| &t.results)
            .flat_map(|r| &r.evidence)
            .find(|e| e.kind == "field" && e.location_de.is_some())
            .unwrap();
        assert!(de.location_de.as_deref().unwrap().starts_with("Datensatz "));
    }

    #[test]
    fn records_read_back_equal_and_worst_first() {
        let (checks, devices) = fleet(23);
        let encoded = store(checks, &devices);
        let memory = DeviceStore::from_targets(devices.clone());
        assert_eq!(encoded.len(), 23);
        assert!(!encoded.spilled());
        // The compact records give back exactly the assessments (texts included).
        assert!(encoded == memory);
        let first = encoded.get(0).unwrap();
        // Two failed must-checks come first; compliant devices last, in input order.
        assert_eq!(first.target.name, "dev-003");
        let names: Vec<String> = encoded
            .iter()
            .map(|t| t.unwrap().target.name)
            .filter(|n| ["dev-000", "dev-005", "dev-010"].contains(&n.as_str()))
            .collect();
        assert_eq!(names, ["dev-000", "dev-005", "dev-010"]);
        let verdicts = encoded.verdicts();
        assert_eq!(verdicts.first().map(|v| v.0), Some(Verdict::NotCompliant));
        assert_eq!(verdicts.last().map(|v| v.0), Some(Verdict::Compliant));
        assert_eq!(encoded.files().len(), 1);
    }

    #[test]
    fn coverages_come_from_the_index_in_report_order() {
        let (checks, mut devices) = fleet(23);
        // An unreadable device has nothing decided.
        devices[4].verdict = Verdict::Error;
        devices[4].score = None;
        let encoded = store(checks, &devices);
        let memory = DeviceStore::from_targets(devices);
        let read_back: Vec<Coverage> = encoded.iter().map(|t| t.unwrap().coverage()).collect();
        assert_eq!(encoded.coverages().unwrap(), read_back);
        assert_eq!(memory.coverages().unwrap(), read_back);
        assert!(read_back.contains(&Coverage {
            decided: 2,
            total: 3
        }));
        assert!(read_back.contains(&Coverage {
            decided: 0,
            total: 3
        }));
        // The coverage fits in the index entry's spare bytes.
        assert_eq!(std::mem::size_of::<Entry>(), 32);
        let big = Coverage {
            decided: 300,
            total: 400,
        };
        assert_eq!(SmallCoverage::new(big).get(), None);
    }

    #[test]
    fn large_fleets_spill_to_a_file_and_read_back() {
        let (checks, mut devices) = fleet(40);
        // Big evidence makes a few devices pass the spill threshold.
        for d in &mut devices {
            if let Some(r) = d.results.first_mut() {
                r.evidence
                    .push(Evidence::new("blob", "x".repeat(SPILL_BYTES / 16)));
            }
        }
        let encoded = store(checks, &devices);
        assert!(encoded.spilled());
        assert!(encoded == DeviceStore::from_targets(devices));
    }

    #[test]
    fn spilled_rounds_read_the_devices_of_one_at_a_time() {
        let (checks, mut devices) = fleet(3000);
        // 2 KB a device: the records pass the spill threshold, and records
        // close together in the file are read at once.
        for d in &mut devices {
            if let Some(r) = d.results.first_mut() {
                r.evidence.push(Evidence::new("blob", "y".repeat(2048)));
            }
        }
        let encoded = store(checks, &devices);
        assert!(encoded.spilled());
        let one_by_one: Vec<TargetAssessment> = (0..encoded.len())
            .map(|i| encoded.get(i).unwrap())
            .collect();
        let read: Vec<TargetAssessment> = encoded.iter().map(Result::unwrap).collect();
        assert!(read == one_by_one);
        let middle: Vec<TargetAssessment> = encoded.range(700..1300).map(Result::unwrap).collect();
        assert!(middle == one_by_one[700..1300]);
        assert_eq!(encoded.range(2990..4000).count(), 10);
        assert!(encoded == DeviceStore::from_targets(devices));
    }

    #[test]
    fn rollback_forgets_a_failed_inventory() {
        let (checks, devices) = fleet(10);
        let mut w = DeviceStoreWriter::new(checks);
        for d in devices.iter().take(4) {
            w.push(d, None).unwrap();
        }
        let mark = w.mark();
        w.add_file(FileInfo::default());
        for d in devices.iter().skip(4) {
            w.push(d, Some(0)).unwrap();
        }
        w.rollback(mark);
        let s = w.finish().unwrap();
        assert_eq!(s.len(), 4);
        assert!(s.files().is_empty());
    }

    /// Positions hold what was inserted, in order, whatever the first one
    /// and their spacing; one before the first comes first.
    #[test]
    fn positions_hold_what_was_inserted() {
        let mut p = Positions::default();
        assert!(!p.contains(0));
        let noted = [70, 71, 133, 134, 200, 64 * 9 + 5];
        noted.iter().for_each(|&at| p.insert(at));
        assert_eq!(p.iter().collect::<Vec<_>>(), noted);
        for at in 0..700 {
            assert_eq!(p.contains(at), noted.contains(&at), "{at}");
        }
        p.insert(3);
        assert_eq!(p.iter().next(), Some(3));
        assert_eq!(p.iter().count(), noted.len() + 1);
        assert!(p.contains(3) && p.contains(70) && !p.contains(4));
        // One bit a position: a million devices' span is 125 KB.
        let mut wide = Positions::default();
        (0..1_000_000).step_by(2).for_each(|at| wide.insert(at));
        assert_eq!(wide.bits.len(), 999_998 / 64 + 1);
        p.clear();
        assert!(p.iter().next().is_none() && !p.contains(70));
        p.insert(5);
        assert_eq!(p.iter().collect::<Vec<_>>(), [5]);
    }

    /// Devices added out of their input order with their places, and some
    /// forgotten again, read back as the devices left added in input order.
    #[test]
    fn places_and_forgotten_devices() {
        let (checks, devices) = fleet(23);
        let mut w = DeviceStoreWriter::new(checks.clone());
        // Every third device at first, a copy of device 1 to be forgotten,
        // then the others: each at its place.
        let (thirds, others): (Vec<usize>, Vec<usize>) = (0..23).partition(|i| i % 3 == 0);
        for &i in &thirds {
            w.push_encoded_at(w.encode(&devices[i], None).unwrap(), i)
                .unwrap();
        }
        let forgotten = thirds.len();
        w.push_encoded_at(w.encode(&devices[1], None).unwrap(), 1)
            .unwrap();
        for &i in &others {
            w.push_encoded_at(w.encode(&devices[i], None).unwrap(), i)
                .unwrap();
        }
        assert_eq!(w.next_seq(), 23);
        let mut positions = Positions::default();
        positions.insert(forgotten);
        w.forget(&positions);
        let s = w.finish().unwrap();
        assert_eq!(s.len(), 23);
        let in_order = {
            let mut w = DeviceStoreWriter::new(checks);
            for d in &devices {
                w.push(d, None).unwrap();
            }
            w.finish().unwrap()
        };
        assert!(s == in_order);
    }

    #[test]
    fn unknown_checks_are_kept_whole() {
        let (_, devices) = fleet(6);
        // No metadata at all: every check and message is learnt from the results.
        let encoded = store(Vec::new(), &devices);
        assert!(encoded == DeviceStore::from_targets(devices));
    }
}
