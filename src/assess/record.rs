//! The binary layout of a device's record in the [`super::store`], and its
//! reading back as a view that borrows every text from the record's bytes
//! (or from the store's shared evidence).
//!
//! A record holds what differs between devices (see the store): the name,
//! where the device is in the inventory, the verdict and score, the device
//! list's columns and per result the outcome, the message (as the index of a
//! rule of the check, or the text itself) and the evidence: its items, or the
//! number of shared items in the store's table, with the device's record
//! (and its German wording) written once after the device list's columns.
//! Texts are a length and UTF-8 bytes; optional fields are announced by a byte of
//! presence bits. What only answers and checks missing from the metadata
//! give a result (rare) is kept as a small JSON text (an [`Extra`]).
//!
//! Everything but the texts is written in ASCII bytes: numbers as varints of
//! six bits a byte (bit 6 says another byte follows), the score as the
//! varint of its bits with the bytes swapped (the low bytes of a score's bits
//! are mostly zero). A whole record is therefore valid UTF-8: it is checked
//! once when it is read back, and each text is then a slice of it (a check
//! of two char boundaries) instead of being validated on its own.
//!
//! Reading a record back allocates one vector (its results); the evidence
//! items are decoded as they are iterated. Writers of reports take the texts
//! straight from the view, and the store turns it into a
//! [`super::TargetAssessment`] where one is asked for.

use std::io;

use serde::{Deserialize, Serialize};

use super::device_summary::DeviceSummary;
use super::model::{Attestation, AttestationStatus, Level, Outcome, Text, Verdict};
use super::shared_evidence::{borrow_text, SharedEvidence, SharedItem, SharedText};
use crate::facts::Evidence;
use std::sync::Arc;

/// A record as it is written: borrowed from the assessment (no copies).
pub(super) struct RecordOut<'t> {
    pub(super) name: &'t str,
    pub(super) source: Option<&'t str>,
    pub(super) file: Option<u32>,
    pub(super) verdict: Verdict,
    pub(super) score: Option<f64>,
    pub(super) error: Option<&'t str>,
    pub(super) device: Option<&'t DeviceSummary>,
    pub(super) results: Vec<ResultOut<'t>>,
}

/// One result of a [`RecordOut`].
pub(super) struct ResultOut<'t> {
    pub(super) check: u16,
    pub(super) outcome: Outcome,
    pub(super) rule: Option<u16>,
    pub(super) message: Option<&'t Text>,
    pub(super) evidence: EvidenceOut<'t>,
    /// Written only when it holds something.
    pub(super) extra: ExtraOut<'t>,
}

/// The evidence of a [`ResultOut`]: items, or shared items with the
/// device's record put in (written as the items they fill give, or as
/// their number in the store's [`super::shared_evidence::SharedTable`]).
#[derive(Clone, Copy)]
pub(super) enum EvidenceOut<'t> {
    Items(&'t [Evidence]),
    Shared {
        items: &'t SharedEvidence,
        record: &'t str,
        record_de: Option<&'t str>,
        /// The items' number in the store's table, when they have one.
        number: Option<u32>,
    },
}

impl EvidenceOut<'_> {
    fn write(self, out: &mut Vec<u8>) {
        match self {
            EvidenceOut::Items(items) => {
                put_len(out, items.len());
                for e in items {
                    out.push(
                        bit(e.location.is_some(), LOCATION)
                            | bit(e.value_de.is_some(), VALUE_DE)
                            | bit(e.location_de.is_some(), LOCATION_DE),
                    );
                    put_str(out, &e.kind);
                    put_str(out, &e.value);
                    for s in [&e.location, &e.value_de, &e.location_de]
                        .into_iter()
                        .flatten()
                    {
                        put_str(out, s);
                    }
                }
            }
            EvidenceOut::Shared {
                number: Some(number),
                ..
            } => put_u64(out, u64::from(number)),
            EvidenceOut::Shared {
                items,
                record,
                record_de,
                number: None,
            } => {
                put_len(out, items.items().len());
                let present =
                    |t: &Option<SharedText>| t.as_ref().is_some_and(|t| t.present(record_de));
                for e in items.items() {
                    out.push(
                        bit(present(&e.location), LOCATION)
                            | bit(present(&e.value_de), VALUE_DE)
                            | bit(present(&e.location_de), LOCATION_DE),
                    );
                    put_str(out, &e.kind);
                    if e.value.present(record_de) {
                        put_shared(out, &e.value, record, record_de);
                    } else {
                        put_str(out, "");
                    }
                    for t in [&e.location, &e.value_de, &e.location_de]
                        .into_iter()
                        .flatten()
                    {
                        put_shared(out, t, record, record_de);
                    }
                }
            }
        }
    }
}

/// Writes `t` (when present) for a device with `record` as [`put_str`] writes its text.
fn put_shared(out: &mut Vec<u8>, t: &SharedText, record: &str, record_de: Option<&str>) {
    t.write(record, record_de, &mut |len, parts| {
        put_len(out, len);
        parts.for_each(|p| out.extend_from_slice(p.as_bytes()));
    });
}

/// The rare parts of a result, as they are written.
#[derive(Serialize)]
pub(super) struct ExtraOut<'t> {
    #[serde(rename = "k", skip_serializing_if = "Option::is_none")]
    pub(super) inline: Option<InlineCheckOut<'t>>,
    #[serde(rename = "a", skip_serializing_if = "Option::is_none")]
    pub(super) attestation: Option<&'t Attestation>,
    #[serde(rename = "t", skip_serializing_if = "std::ops::Not::not")]
    pub(super) attested: bool,
    #[serde(rename = "s", skip_serializing_if = "Option::is_none")]
    pub(super) attestation_status: Option<AttestationStatus>,
}

impl ExtraOut<'_> {
    fn is_empty(&self) -> bool {
        self.inline.is_none()
            && self.attestation.is_none()
            && !self.attested
            && self.attestation_status.is_none()
    }
}

/// The texts of a check the store's metadata does not have, as written.
#[derive(Serialize)]
pub(super) struct InlineCheckOut<'t> {
    pub(super) id: &'t str,
    pub(super) requirement: &'t str,
    pub(super) level: Level,
    pub(super) title: &'t Text,
    pub(super) remediation: &'t Text,
    pub(super) weight: f64,
}

/// The rare parts of a result: a check stored with it, an answer applied.
#[derive(Deserialize)]
pub(crate) struct Extra {
    /// The check's texts, when the metadata does not have them.
    #[serde(rename = "k", default)]
    pub(crate) inline: Option<InlineCheck>,
    /// An answer applied to the result.
    #[serde(rename = "a", default)]
    pub(crate) attestation: Option<Attestation>,
    /// Whether the outcome comes from an answer.
    #[serde(rename = "t", default)]
    pub(crate) attested: bool,
    /// What became of an answer.
    #[serde(rename = "s", default)]
    pub(crate) attestation_status: Option<AttestationStatus>,
}

/// A check's texts stored with a result (a check the writer was not told of).
#[derive(Deserialize)]
pub(crate) struct InlineCheck {
    pub(crate) id: String,
    pub(crate) requirement: String,
    pub(crate) level: Level,
    pub(crate) title: Text,
    pub(crate) remediation: Text,
    pub(crate) weight: f64,
}

// Presence bits of a record.
const SOURCE: u8 = 1;
const FILE: u8 = 2;
const SCORE: u8 = 4;
const ERROR: u8 = 8;
const DEVICE: u8 = 16;
/// The device's record (and [`RECORD_DE`] its German wording) follow the
/// device's columns: results refer to numbered shared evidence.
const RECORD: u8 = 32;
const RECORD_DE: u8 = 64;
// Presence bits of a result.
const RULE: u8 = 1;
const MESSAGE: u8 = 2;
const EXTRA: u8 = 4;
/// The evidence is the number of shared items in the store's table.
const SHARED: u8 = 8;
// Presence bits of an evidence item.
const LOCATION: u8 = 1;
const VALUE_DE: u8 = 2;
const LOCATION_DE: u8 = 4;

const OUTCOMES: [Outcome; 6] = [
    Outcome::Pass,
    Outcome::Fail,
    Outcome::Warn,
    Outcome::Manual,
    Outcome::NotApplicable,
    Outcome::Error,
];
const VERDICTS: [Verdict; 4] = [
    Verdict::Compliant,
    Verdict::NotCompliant,
    Verdict::Incomplete,
    Verdict::Error,
];

fn code<T: PartialEq>(all: &[T], x: &T) -> u8 {
    all.iter()
        .position(|y| y == x)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

fn bit(present: bool, b: u8) -> u8 {
    if present {
        b
    } else {
        0
    }
}

/// Bit 6 of a varint byte: another byte follows.
const MORE: u8 = 0x40;
/// The six value bits of a varint byte.
const BITS: u8 = 0x3F;

/// Writes `n` as a varint of ASCII bytes (six bits each, lowest first).
fn put_len(out: &mut Vec<u8>, n: usize) {
    put_u64(out, n as u64);
}

fn put_u64(out: &mut Vec<u8>, mut n: u64) {
    while n > u64::from(BITS) {
        out.push((n as u8 & BITS) | MORE);
        n >>= 6;
    }
    out.push(n as u8);
}

/// The varint of a score: its bits with the bytes swapped, so the zero low
/// bytes of round numbers make it short.
fn put_f64(out: &mut Vec<u8>, x: f64) {
    put_u64(out, x.to_bits().swap_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

impl RecordOut<'_> {
    /// The record's bytes.
    pub(super) fn encode(&self) -> io::Result<Vec<u8>> {
        // A device record of a fleet is some 200 bytes: one allocation.
        let mut out = Vec::with_capacity(512);
        // Every result of a device has the same record.
        let shared_record = self.results.iter().find_map(|r| match r.evidence {
            EvidenceOut::Shared {
                record,
                record_de,
                number: Some(_),
                ..
            } => Some((record, record_de)),
            _ => None,
        });
        out.push(
            bit(self.source.is_some(), SOURCE)
                | bit(self.file.is_some(), FILE)
                | bit(self.score.is_some(), SCORE)
                | bit(self.error.is_some(), ERROR)
                | bit(self.device.is_some(), DEVICE)
                | bit(shared_record.is_some(), RECORD)
                | bit(shared_record.is_some_and(|(_, de)| de.is_some()), RECORD_DE),
        );
        put_str(&mut out, self.name);
        if let Some(s) = self.source {
            put_str(&mut out, s);
        }
        if let Some(f) = self.file {
            put_u64(&mut out, u64::from(f));
        }
        out.push(code(&VERDICTS, &self.verdict));
        if let Some(s) = self.score {
            put_f64(&mut out, s);
        }
        if let Some(e) = self.error {
            put_str(&mut out, e);
        }
        if let Some(d) = self.device {
            let fields = summary_fields(d);
            let mut present = 0u8;
            for (i, f) in fields.iter().enumerate() {
                present |= bit(f.is_some(), 1 << i);
            }
            out.push(present);
            for f in fields.into_iter().flatten() {
                put_str(&mut out, f);
            }
        }
        if let Some((record, record_de)) = shared_record {
            put_str(&mut out, record);
            if let Some(d) = record_de {
                put_str(&mut out, d);
            }
        }
        put_len(&mut out, self.results.len());
        for r in &self.results {
            put_u64(&mut out, u64::from(r.check));
            out.push(code(&OUTCOMES, &r.outcome));
            let extra = !r.extra.is_empty();
            let numbered = matches!(
                r.evidence,
                EvidenceOut::Shared {
                    number: Some(_),
                    ..
                }
            );
            out.push(
                bit(r.rule.is_some(), RULE)
                    | bit(r.message.is_some(), MESSAGE)
                    | bit(extra, EXTRA)
                    | bit(numbered, SHARED),
            );
            if let Some(rule) = r.rule {
                put_u64(&mut out, u64::from(rule));
            }
            if let Some(m) = r.message {
                put_str(&mut out, &m.de);
                put_str(&mut out, &m.en);
            }
            r.evidence.write(&mut out);
            if extra {
                put_str(&mut out, &serde_json::to_string(&r.extra)?);
            }
        }
        Ok(out)
    }
}

/// The columns of a device summary, in the order of its fields.
fn summary_fields(d: &DeviceSummary) -> [Option<&str>; 6] {
    [
        d.platform.as_deref(),
        d.model.as_deref(),
        d.os_version.as_deref(),
        d.patch_level.as_deref(),
        d.last_check_in.as_deref(),
        d.ownership.as_deref(),
    ]
}

/// A record read back; every text borrows from the record's bytes.
pub(crate) struct RecordView<'b> {
    /// Target name.
    pub(crate) name: &'b str,
    /// Where in the inventory the device is.
    pub(crate) source: Option<&'b str>,
    /// Index into the store's files.
    pub(crate) file: Option<u32>,
    /// The device's verdict.
    pub(crate) verdict: Verdict,
    /// The device's score.
    pub(crate) score: Option<f64>,
    /// Why the device could not be assessed.
    pub(crate) error: Option<&'b str>,
    /// The device list's columns.
    pub(crate) device: Option<SummaryView<'b>>,
    /// The results, in check order.
    pub(crate) results: Vec<ResultView<'b>>,
    /// The device's record and its German wording, when results refer to
    /// numbered shared evidence.
    record: Option<(&'b str, Option<&'b str>)>,
}

/// The device list's columns of a [`RecordView`].
pub(crate) struct SummaryView<'b> {
    /// Platform.
    pub(crate) platform: Option<&'b str>,
    /// Model.
    pub(crate) model: Option<&'b str>,
    /// OS version.
    pub(crate) os_version: Option<&'b str>,
    /// Android security patch level.
    pub(crate) patch_level: Option<&'b str>,
    /// Last check-in.
    pub(crate) last_check_in: Option<&'b str>,
    /// Ownership.
    pub(crate) ownership: Option<&'b str>,
}

impl SummaryView<'_> {
    /// The columns as a [`DeviceSummary`].
    pub(crate) fn to_summary(&self) -> DeviceSummary {
        let own = |s: Option<&str>| s.map(str::to_string);
        DeviceSummary {
            platform: own(self.platform),
            model: own(self.model),
            os_version: own(self.os_version),
            patch_level: own(self.patch_level),
            last_check_in: own(self.last_check_in),
            ownership: own(self.ownership),
        }
    }
}

/// One result of a [`RecordView`].
pub(crate) struct ResultView<'b> {
    /// Index into the check metadata; [`super::store::INLINE`] when the check is in the extra.
    pub(crate) check: u16,
    /// The outcome.
    pub(crate) outcome: Outcome,
    /// The rule whose message this is; absent when the message is stored.
    pub(crate) rule: Option<u16>,
    /// The message (German, English), when no rule of the check has it.
    pub(crate) message: Option<(&'b str, &'b str)>,
    /// The evidence items.
    pub(crate) evidence: EvidenceList<'b>,
    /// The rare parts ([`Extra`]) as JSON, when the result has any.
    extra: Option<&'b str>,
}

impl ResultView<'_> {
    /// Whether the result has a check stored with it or an answer applied.
    pub(crate) fn has_extra(&self) -> bool {
        self.extra.is_some()
    }

    /// The rare parts of the result (all empty when it has none).
    pub(crate) fn extra(&self) -> io::Result<Extra> {
        match self.extra {
            None => Ok(Extra {
                inline: None,
                attestation: None,
                attested: false,
                attestation_status: None,
            }),
            Some(json) => serde_json::from_str(json).map_err(invalid),
        }
    }

    /// The stored message as a [`Text`].
    pub(crate) fn message_text(&self) -> Option<Text> {
        self.message.map(|(de, en)| Text::new(de, en))
    }
}

/// An evidence item of a [`ResultView`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EvidenceView<'b> {
    /// What kind of evidence.
    pub(crate) kind: &'b str,
    /// The matched value.
    pub(crate) value: &'b str,
    /// Where it was found.
    pub(crate) location: Option<&'b str>,
    /// `value` in German.
    pub(crate) value_de: Option<&'b str>,
    /// `location` in German.
    pub(crate) location_de: Option<&'b str>,
}

impl EvidenceView<'_> {
    /// The item as an [`Evidence`].
    pub(crate) fn to_evidence(self) -> Evidence {
        let own = |s: Option<&str>| s.map(str::to_string);
        Evidence {
            kind: self.kind.to_string(),
            value: self.value.to_string(),
            location: own(self.location),
            value_de: own(self.value_de),
            location_de: own(self.location_de),
        }
    }
}

/// The evidence items of a result, decoded as they are iterated (they
/// were checked when the record was read).
#[derive(Clone, Copy)]
pub(crate) enum EvidenceList<'b> {
    /// Items written into the record.
    Stored {
        record: &'b str,
        start: usize,
        count: usize,
    },
    /// Numbered shared items, with the device's record put in.
    Shared {
        number: u32,
        items: &'b SharedEvidence,
        record: &'b str,
        record_de: Option<&'b str>,
    },
}

/// Where an item of an [`EvidenceList`] is, for [`item_at`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemAt {
    /// At this byte of the record.
    Stored(usize),
    /// Item `item` of the shared items numbered `number`.
    Shared { number: u32, item: usize },
}

impl<'b> EvidenceList<'b> {
    /// The number of items.
    pub(crate) fn len(&self) -> usize {
        match self {
            EvidenceList::Stored { count, .. } => *count,
            EvidenceList::Shared { items, .. } => items.items().len(),
        }
    }

    /// Each item with where it is (for [`item_at`]).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (ItemAt, EvidenceView<'b>)> + 'b {
        let (stored, shared) = match *self {
            EvidenceList::Stored {
                record,
                start,
                count,
            } => {
                let mut r = Reader {
                    text: record,
                    at: start,
                };
                let items = (0..count).map_while(move |_| {
                    let at = r.at;
                    r.evidence().ok().map(|e| (ItemAt::Stored(at), e))
                });
                (Some(items), None)
            }
            EvidenceList::Shared {
                number,
                items,
                record,
                record_de,
            } => {
                let items = items.items().iter().enumerate().map(move |(item, i)| {
                    (
                        ItemAt::Shared { number, item },
                        shared_view(i, record, record_de),
                    )
                });
                (None, Some(items))
            }
        };
        stored
            .into_iter()
            .flatten()
            .chain(shared.into_iter().flatten())
    }
}

/// A borrowable shared item as the device with `record` has it (as
/// [`EvidenceOut::write`] writes it into a record).
fn shared_view<'b>(
    i: &'b SharedItem,
    record: &'b str,
    record_de: Option<&'b str>,
) -> EvidenceView<'b> {
    let text =
        |t: &'b Option<SharedText>| t.as_ref().and_then(|t| borrow_text(t, record, record_de));
    EvidenceView {
        kind: &i.kind,
        value: borrow_text(&i.value, record, record_de).unwrap_or_default(),
        location: text(&i.location),
        value_de: text(&i.value_de),
        location_de: text(&i.location_de),
    }
}

/// A shared item whose key texts are the same on every device, as any
/// device has it (its record-dependent texts empty).
pub(crate) fn shared_item_view(i: &SharedItem) -> EvidenceView<'_> {
    shared_view(i, "", None)
}

/// The evidence item `at` of `record` (from [`EvidenceList::iter`]), whose
/// store numbered `shared`.
pub(crate) fn item_at<'b>(
    record: &'b [u8],
    shared: &'b [Arc<SharedEvidence>],
    at: ItemAt,
) -> io::Result<EvidenceView<'b>> {
    let text = std::str::from_utf8(record).map_err(invalid)?;
    match at {
        ItemAt::Stored(at) => Reader { text, at }.evidence(),
        ItemAt::Shared { number, item } => {
            let view = RecordView::read(record, shared)?;
            let (record, record_de) = view.record.ok_or_else(|| invalid("no record"))?;
            let items = shared_items(shared, number)?;
            let i = items
                .items()
                .get(item)
                .ok_or_else(|| invalid("shared item"))?;
            Ok(shared_view(i, record, record_de))
        }
    }
}

/// The shared items numbered `number` (of a store's `shared`).
fn shared_items(shared: &[Arc<SharedEvidence>], number: u32) -> io::Result<&SharedEvidence> {
    shared
        .get(number as usize)
        .map(|e| &**e)
        .ok_or_else(|| invalid("shared evidence the store does not hold"))
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a stored device result cannot be read back: {e}"),
    )
}

fn ends_early() -> io::Error {
    invalid("the record ends early")
}

/// Reads a record checked to be UTF-8 as a whole; a text is a slice of it.
struct Reader<'b> {
    text: &'b str,
    at: usize,
}

impl<'b> Reader<'b> {
    fn byte(&mut self) -> io::Result<u8> {
        let b = *self.text.as_bytes().get(self.at).ok_or_else(ends_early)?;
        self.at += 1;
        Ok(b)
    }

    fn u64(&mut self) -> io::Result<u64> {
        let b = self.byte()?;
        if b & MORE == 0 {
            return Ok(u64::from(b));
        }
        let mut n = u64::from(b & BITS);
        for shift in (6..64).step_by(6) {
            let b = self.byte()?;
            n |= u64::from(b & BITS) << shift;
            if b & MORE == 0 {
                return Ok(n);
            }
        }
        Err(invalid("length"))
    }

    fn len(&mut self) -> io::Result<usize> {
        usize::try_from(self.u64()?).map_err(invalid)
    }

    fn u16(&mut self) -> io::Result<u16> {
        u16::try_from(self.u64()?).map_err(invalid)
    }

    fn str(&mut self) -> io::Result<&'b str> {
        let n = self.len()?;
        let end = self.at.checked_add(n).ok_or_else(|| invalid("length"))?;
        // Past the end, or not at a character's boundary: a damaged record.
        let s = self.text.get(self.at..end).ok_or_else(ends_early)?;
        self.at = end;
        Ok(s)
    }

    fn opt_str(&mut self, present: bool) -> io::Result<Option<&'b str>> {
        present.then(|| self.str()).transpose()
    }

    fn evidence(&mut self) -> io::Result<EvidenceView<'b>> {
        let present = self.byte()?;
        Ok(EvidenceView {
            kind: self.str()?,
            value: self.str()?,
            location: self.opt_str(present & LOCATION != 0)?,
            value_de: self.opt_str(present & VALUE_DE != 0)?,
            location_de: self.opt_str(present & LOCATION_DE != 0)?,
        })
    }

    fn summary(&mut self) -> io::Result<SummaryView<'b>> {
        let present = self.byte()?;
        let mut field = |i: u8| self.opt_str(present & (1 << i) != 0);
        Ok(SummaryView {
            platform: field(0)?,
            model: field(1)?,
            os_version: field(2)?,
            patch_level: field(3)?,
            last_check_in: field(4)?,
            ownership: field(5)?,
        })
    }

    fn result(
        &mut self,
        shared: &'b [Arc<SharedEvidence>],
        record: Option<(&'b str, Option<&'b str>)>,
    ) -> io::Result<ResultView<'b>> {
        let check = self.u16()?;
        let outcome = *OUTCOMES
            .get(usize::from(self.byte()?))
            .ok_or_else(|| invalid("outcome"))?;
        let present = self.byte()?;
        let rule = (present & RULE != 0).then(|| self.u16()).transpose()?;
        let message = if present & MESSAGE != 0 {
            Some((self.str()?, self.str()?))
        } else {
            None
        };
        let evidence = if present & SHARED != 0 {
            let number = u32::try_from(self.u64()?).map_err(invalid)?;
            let items = shared_items(shared, number)?;
            let (record, record_de) = record.ok_or_else(|| invalid("no record"))?;
            EvidenceList::Shared {
                number,
                items,
                record,
                record_de,
            }
        } else {
            let count = self.len()?;
            let start = self.at;
            for _ in 0..count {
                self.evidence()?;
            }
            EvidenceList::Stored {
                record: self.text,
                start,
                count,
            }
        };
        let extra = self.opt_str(present & EXTRA != 0)?;
        Ok(ResultView {
            check,
            outcome,
            rule,
            message,
            evidence,
            extra,
        })
    }
}

impl<'b> RecordView<'b> {
    /// Reads the record `bytes` back (checking once that they are UTF-8),
    /// of a store that numbered the shared evidence `shared`.
    pub(crate) fn read(
        bytes: &'b [u8],
        shared: &'b [Arc<SharedEvidence>],
    ) -> io::Result<RecordView<'b>> {
        let text = std::str::from_utf8(bytes).map_err(invalid)?;
        let mut r = Reader { text, at: 0 };
        let present = r.byte()?;
        let name = r.str()?;
        let source = r.opt_str(present & SOURCE != 0)?;
        let file = (present & FILE != 0)
            .then(|| r.u64().and_then(|f| u32::try_from(f).map_err(invalid)))
            .transpose()?;
        let verdict = *VERDICTS
            .get(usize::from(r.byte()?))
            .ok_or_else(|| invalid("verdict"))?;
        let score = (present & SCORE != 0)
            .then(|| r.u64().map(|bits| f64::from_bits(bits.swap_bytes())))
            .transpose()?;
        let error = r.opt_str(present & ERROR != 0)?;
        let device = (present & DEVICE != 0).then(|| r.summary()).transpose()?;
        let record = if present & RECORD != 0 {
            Some((r.str()?, r.opt_str(present & RECORD_DE != 0)?))
        } else {
            None
        };
        let n = r.len()?;
        // Each result takes at least four bytes: no allocation beyond the record's size.
        let mut results = Vec::with_capacity(n.min(bytes.len() / 4));
        for _ in 0..n {
            results.push(r.result(shared, record)?);
        }
        if r.at != bytes.len() {
            return Err(invalid("bytes after the record"));
        }
        Ok(RecordView {
            name,
            source,
            file,
            verdict,
            score,
            error,
            device,
            results,
            record,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_extra() -> ExtraOut<'static> {
        ExtraOut {
            inline: None,
            attestation: None,
            attested: false,
            attestation_status: None,
        }
    }

    #[test]
    fn records_read_back_and_cut_records_are_refused() {
        let summary = DeviceSummary {
            platform: Some("android".into()),
            ownership: Some("corporate".into()),
            ..Default::default()
        };
        let message = Text::new("nur hier ä", "only here");
        let evidence = vec![
            Evidence::new("field", "value \"x\"").at("record 3"),
            Evidence::new("k", "v").de("w"),
        ];
        let attestation = Attestation::new("Q", "2026-01-01", "ok");
        let out = RecordOut {
            name: "dev ä",
            source: Some("intune-graph record 3"),
            file: Some(2),
            verdict: Verdict::Incomplete,
            score: Some(87.5),
            error: None,
            device: Some(&summary),
            results: vec![
                ResultOut {
                    check: 0,
                    outcome: Outcome::Pass,
                    rule: Some(1),
                    message: None,
                    evidence: EvidenceOut::Items(&evidence),
                    extra: no_extra(),
                },
                ResultOut {
                    check: 3,
                    outcome: Outcome::NotApplicable,
                    rule: None,
                    message: Some(&message),
                    evidence: EvidenceOut::Items(&[]),
                    extra: ExtraOut {
                        inline: None,
                        attestation: Some(&attestation),
                        attested: true,
                        attestation_status: Some(AttestationStatus::Applied),
                    },
                },
            ],
        };
        let bytes = out.encode().unwrap();
        let r = RecordView::read(&bytes, &[]).unwrap();
        assert_eq!(
            (r.name, r.source, r.file),
            ("dev ä", Some("intune-graph record 3"), Some(2))
        );
        assert_eq!(
            (r.verdict, r.score, r.error),
            (Verdict::Incomplete, Some(87.5), None)
        );
        assert_eq!(
            r.device.as_ref().map(SummaryView::to_summary),
            Some(summary)
        );
        assert_eq!(r.results.len(), 2);
        let items: Vec<Evidence> = r.results[0]
            .evidence
            .iter()
            .map(|(at, e)| {
                assert_eq!(item_at(&bytes, &[], at).unwrap(), e);
                e.to_evidence()
            })
            .collect();
        assert_eq!(items, evidence);
        assert_eq!(
            (r.results[0].rule, r.results[0].has_extra()),
            (Some(1), false)
        );
        assert_eq!(r.results[1].message_text(), Some(message));
        let extra = r.results[1].extra().unwrap();
        assert_eq!(extra.attestation, Some(attestation));
        assert!(extra.attested);
        assert_eq!(extra.attestation_status, Some(AttestationStatus::Applied));
        // A record cut short, or with bytes after it, is an error, not a panic.
        for end in 0..bytes.len() {
            assert!(
                RecordView::read(&bytes[..end], &[]).is_err(),
                "cut at {end}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(RecordView::read(&longer, &[]).is_err());
    }

    #[test]
    fn numbered_shared_items_need_the_table_and_the_record() {
        let items = Arc::new(crate::assess::shared_evidence::test_borrowable("14"));
        let out = |number| RecordOut {
            name: "dev",
            source: None,
            file: None,
            verdict: Verdict::Compliant,
            score: None,
            error: None,
            device: None,
            results: vec![ResultOut {
                check: 0,
                outcome: Outcome::Pass,
                rule: Some(0),
                message: None,
                evidence: EvidenceOut::Shared {
                    items: &items,
                    record: "record 7",
                    record_de: Some("Datensatz 7"),
                    number,
                },
                extra: no_extra(),
            }],
        };
        let filled = items.fill("record 7", Some("Datensatz 7"));
        let table = [Arc::clone(&items)];
        for number in [None, Some(0)] {
            let bytes = out(number).encode().unwrap();
            let r = RecordView::read(&bytes, &table).unwrap();
            let read: Vec<Evidence> = r.results[0]
                .evidence
                .iter()
                .map(|(at, e)| {
                    assert_eq!(item_at(&bytes, &table, at).unwrap(), e);
                    e.to_evidence()
                })
                .collect();
            assert_eq!(read, filled, "{number:?}");
        }
        // A number the store does not hold, or no store, is an error.
        let bytes = out(Some(0)).encode().unwrap();
        assert!(RecordView::read(&bytes, &[]).is_err());
        assert!(RecordView::read(&out(Some(1)).encode().unwrap(), &table).is_err());
        for end in 0..bytes.len() {
            assert!(
                RecordView::read(&bytes[..end], &table).is_err(),
                "cut at {end}"
            );
        }
        // Without the record a numbered result cannot be read.
        let mut no_record = bytes.clone();
        no_record[0] &= !(RECORD | RECORD_DE);
        assert!(RecordView::read(&no_record, &table).is_err());
    }

    #[test]
    fn numbers_of_every_size_read_back_and_records_are_utf8() {
        let evidence = vec![Evidence::new("ä", "€ \u{10348}").at("😀")];
        for (score, file, check, rule) in [
            (0.0, 0, 0, 0),
            (-0.0, 63, 63, 64),
            (100.0, 64, 4095, 4096),
            (87.5, u32::MAX, u16::MAX, u16::MAX - 1),
            (f64::MAX, 1 << 20, 1 << 12, 1),
            (f64::MIN_POSITIVE, 7, 300, 2),
            (f64::NAN, 0, 1, 1),
        ] {
            let out = RecordOut {
                name: "é",
                source: None,
                file: Some(file),
                verdict: Verdict::Error,
                score: Some(score),
                error: Some("kaputt ü"),
                device: None,
                results: vec![ResultOut {
                    check,
                    outcome: Outcome::Error,
                    rule: Some(rule),
                    message: None,
                    evidence: EvidenceOut::Items(&evidence),
                    extra: no_extra(),
                }],
            };
            let bytes = out.encode().unwrap();
            // Texts aside, a record is ASCII: the whole of it is UTF-8.
            assert!(std::str::from_utf8(&bytes).is_ok());
            let r = RecordView::read(&bytes, &[]).unwrap();
            assert_eq!(r.file, Some(file));
            assert_eq!(r.score.map(f64::to_bits), Some(score.to_bits()));
            assert_eq!((r.results[0].check, r.results[0].rule), (check, Some(rule)));
            assert_eq!(r.error, Some("kaputt ü"));
            let items: Vec<Evidence> = r.results[0]
                .evidence
                .iter()
                .map(|(_, e)| e.to_evidence())
                .collect();
            assert_eq!(items, evidence);
        }
        // A length whose varint never ends is refused.
        let mut endless = vec![0u8];
        endless.extend([0x7F; 12]);
        assert!(RecordView::read(&endless, &[]).is_err());
    }
}
