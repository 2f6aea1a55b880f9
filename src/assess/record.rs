//! The binary layout of a device's record in the [`super::store`], and its
//! reading back as a view that borrows every text from the record's bytes.
//!
//! A record holds what differs between devices (see the store): the name,
//! where the device is in the inventory, the verdict and score, the device
//! list's columns and per result the outcome, the message (as the index of a
//! rule of the check, or the text itself) and the evidence. Texts are a
//! LEB128 length and UTF-8 bytes; optional fields are announced by a byte of
//! presence bits. What only answers and checks missing from the metadata
//! give a result (rare) is kept as a small JSON text (an [`Extra`]).
//!
//! Reading a record back allocates one vector (its results); the evidence
//! items are decoded as they are iterated. Writers of reports take the texts
//! straight from the view, and the store turns it into a
//! [`super::TargetAssessment`] where one is asked for.

use std::io;

use serde::{Deserialize, Serialize};

use super::device_summary::DeviceSummary;
use super::model::{Attestation, AttestationStatus, Level, Outcome, Text, Verdict};
use crate::facts::Evidence;

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
    pub(super) evidence: &'t [Evidence],
    /// Written only when it holds something.
    pub(super) extra: ExtraOut<'t>,
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
// Presence bits of a result.
const RULE: u8 = 1;
const MESSAGE: u8 = 2;
const EXTRA: u8 = 4;
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

fn put_len(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7F) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

impl RecordOut<'_> {
    /// The record's bytes.
    pub(super) fn encode(&self) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(256);
        out.push(
            bit(self.source.is_some(), SOURCE)
                | bit(self.file.is_some(), FILE)
                | bit(self.score.is_some(), SCORE)
                | bit(self.error.is_some(), ERROR)
                | bit(self.device.is_some(), DEVICE),
        );
        put_str(&mut out, self.name);
        if let Some(s) = self.source {
            put_str(&mut out, s);
        }
        if let Some(f) = self.file {
            out.extend_from_slice(&f.to_le_bytes());
        }
        out.push(code(&VERDICTS, &self.verdict));
        if let Some(s) = self.score {
            out.extend_from_slice(&s.to_le_bytes());
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
        put_len(&mut out, self.results.len());
        for r in &self.results {
            out.extend_from_slice(&r.check.to_le_bytes());
            out.push(code(&OUTCOMES, &r.outcome));
            let extra = !r.extra.is_empty();
            out.push(
                bit(r.rule.is_some(), RULE) | bit(r.message.is_some(), MESSAGE) | bit(extra, EXTRA),
            );
            if let Some(rule) = r.rule {
                out.extend_from_slice(&rule.to_le_bytes());
            }
            if let Some(m) = r.message {
                put_str(&mut out, &m.de);
                put_str(&mut out, &m.en);
            }
            put_len(&mut out, r.evidence.len());
            for e in r.evidence {
                out.push(
                    bit(e.location.is_some(), LOCATION)
                        | bit(e.value_de.is_some(), VALUE_DE)
                        | bit(e.location_de.is_some(), LOCATION_DE),
                );
                put_str(&mut out, &e.kind);
                put_str(&mut out, &e.value);
                for s in [&e.location, &e.value_de, &e.location_de]
                    .into_iter()
                    .flatten()
                {
                    put_str(&mut out, s);
                }
            }
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
pub(crate) struct EvidenceList<'b> {
    record: &'b [u8],
    start: usize,
    count: usize,
}

impl<'b> EvidenceList<'b> {
    /// The number of items.
    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Each item with its position in the record's bytes (for [`item_at`]).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, EvidenceView<'b>)> + 'b {
        let mut r = Reader {
            bytes: self.record,
            at: self.start,
        };
        (0..self.count).map_while(move |_| {
            let at = r.at;
            r.evidence().ok().map(|e| (at, e))
        })
    }
}

/// The evidence item at position `at` of `record` (from [`EvidenceList::iter`]).
pub(crate) fn item_at(record: &[u8], at: usize) -> io::Result<EvidenceView<'_>> {
    Reader { bytes: record, at }.evidence()
}

fn invalid(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("a stored device result cannot be read back: {e}"),
    )
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> io::Result<&'b [u8]> {
        let end = self.at.checked_add(n).ok_or_else(|| invalid("length"))?;
        let s = self
            .bytes
            .get(self.at..end)
            .ok_or_else(|| invalid("the record ends early"))?;
        self.at = end;
        Ok(s)
    }

    fn byte(&mut self) -> io::Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn array<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        self.take(N)?.try_into().map_err(invalid)
    }

    fn len(&mut self) -> io::Result<usize> {
        let mut n = 0usize;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(invalid("length"))
    }

    fn str(&mut self) -> io::Result<&'b str> {
        let n = self.len()?;
        std::str::from_utf8(self.take(n)?).map_err(invalid)
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

    fn result(&mut self) -> io::Result<ResultView<'b>> {
        let check = u16::from_le_bytes(self.array()?);
        let outcome = *OUTCOMES
            .get(usize::from(self.byte()?))
            .ok_or_else(|| invalid("outcome"))?;
        let present = self.byte()?;
        let rule = (present & RULE != 0)
            .then(|| self.array().map(u16::from_le_bytes))
            .transpose()?;
        let message = if present & MESSAGE != 0 {
            Some((self.str()?, self.str()?))
        } else {
            None
        };
        let count = self.len()?;
        let start = self.at;
        for _ in 0..count {
            self.evidence()?;
        }
        let evidence = EvidenceList {
            record: self.bytes,
            start,
            count,
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
    /// Reads the record `bytes` back.
    pub(crate) fn read(bytes: &'b [u8]) -> io::Result<RecordView<'b>> {
        let mut r = Reader { bytes, at: 0 };
        let present = r.byte()?;
        let name = r.str()?;
        let source = r.opt_str(present & SOURCE != 0)?;
        let file = (present & FILE != 0)
            .then(|| r.array().map(u32::from_le_bytes))
            .transpose()?;
        let verdict = *VERDICTS
            .get(usize::from(r.byte()?))
            .ok_or_else(|| invalid("verdict"))?;
        let score = (present & SCORE != 0)
            .then(|| r.array().map(f64::from_le_bytes))
            .transpose()?;
        let error = r.opt_str(present & ERROR != 0)?;
        let device = (present & DEVICE != 0).then(|| r.summary()).transpose()?;
        let n = r.len()?;
        // Each result takes at least five bytes: no allocation beyond the record's size.
        let mut results = Vec::with_capacity(n.min(bytes.len() / 5));
        for _ in 0..n {
            results.push(r.result()?);
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                    evidence: &evidence,
                    extra: ExtraOut {
                        inline: None,
                        attestation: None,
                        attested: false,
                        attestation_status: None,
                    },
                },
                ResultOut {
                    check: 3,
                    outcome: Outcome::NotApplicable,
                    rule: None,
                    message: Some(&message),
                    evidence: &[],
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
        let r = RecordView::read(&bytes).unwrap();
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
                assert_eq!(item_at(&bytes, at).unwrap(), e);
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
            assert!(RecordView::read(&bytes[..end]).is_err(), "cut at {end}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(RecordView::read(&longer).is_err());
    }
}
