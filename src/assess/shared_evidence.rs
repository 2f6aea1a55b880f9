//! Evidence shared by every device a cached rule decided alike.
//!
//! Most devices of a fleet are decided by the rule cache
//! ([`crate::checks`]): the evidence of a rule is the same for every device
//! with the same facts but for the device's record (`record 61`), which is
//! put in where the rule wrote it. [`SharedEvidence`] holds such evidence
//! once, already in its final order: a store writes each device's items
//! straight from it ([`SharedEvidence::fill`] gives the same items as
//! [`Evidence`]), instead of making and freeing up to five texts per item
//! and device.

use crate::facts::Evidence;

/// A text of [`SharedEvidence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharedText {
    /// The same on every device.
    Plain(Box<str>),
    /// Pieces with the device's record between each two (at least two pieces).
    Record(Box<[Box<str>]>),
    /// The German wording of the device's record; the item has none when
    /// the record has none.
    RecordDe,
}

impl SharedText {
    /// The text for a device with `record` and its German wording `record_de`.
    pub fn fill(&self, record: &str, record_de: Option<&str>) -> Option<String> {
        match self {
            SharedText::Plain(s) => Some(s.to_string()),
            SharedText::Record(pieces) => Some(pieces.join(record)),
            SharedText::RecordDe => record_de.map(str::to_string),
        }
    }

    /// The length in bytes of the text for a device with `record` and
    /// `record_de`, and the pieces it is made of, passed to `put` in order
    /// (nothing when it has no text).
    pub(crate) fn write(
        &self,
        record: &str,
        record_de: Option<&str>,
        put: &mut impl FnMut(usize, &mut dyn Iterator<Item = &str>),
    ) {
        match self {
            SharedText::Plain(s) => put(s.len(), &mut std::iter::once(&**s)),
            SharedText::Record(pieces) => {
                let len = pieces.iter().map(|p| p.len()).sum::<usize>()
                    + (pieces.len() - 1) * record.len();
                let mut parts = pieces
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| [(i > 0).then_some(record), Some(&**p)])
                    .flatten();
                put(len, &mut parts);
            }
            SharedText::RecordDe => {
                if let Some(d) = record_de {
                    put(d.len(), &mut std::iter::once(d));
                }
            }
        }
    }

    /// Whether the text is the record and nothing else.
    pub fn is_record(&self) -> bool {
        matches!(self, SharedText::Record(p) if p.len() == 2 && p.iter().all(|s| s.is_empty()))
    }

    /// Whether the text is present for a device whose record has the
    /// German wording `record_de`.
    pub(crate) fn present(&self, record_de: Option<&str>) -> bool {
        !matches!(self, SharedText::RecordDe) || record_de.is_some()
    }
}

/// One evidence item of [`SharedEvidence`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedItem {
    /// What kind of evidence (the same on every device).
    pub kind: Box<str>,
    /// The matched value.
    pub value: SharedText,
    /// Where it was found.
    pub location: Option<SharedText>,
    /// The value in German.
    pub value_de: Option<SharedText>,
    /// The location in German.
    pub location_de: Option<SharedText>,
}

/// The evidence items of a rule, in their final order, with the device's
/// record left open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedEvidence {
    items: Box<[SharedItem]>,
    /// Whether a text is the German wording of the record.
    needs_record_de: bool,
}

impl SharedEvidence {
    /// Evidence of `items`, in the order given.
    pub fn new(items: Vec<SharedItem>) -> SharedEvidence {
        let needs_record_de = items.iter().any(|i| {
            [&i.location, &i.value_de, &i.location_de]
                .into_iter()
                .flatten()
                .chain(std::iter::once(&i.value))
                .any(|t| matches!(t, SharedText::RecordDe))
        });
        SharedEvidence {
            items: items.into_boxed_slice(),
            needs_record_de,
        }
    }

    /// The items.
    pub fn items(&self) -> &[SharedItem] {
        &self.items
    }

    /// The items of a device with `record` and its German wording `record_de`.
    pub fn fill(&self, record: &str, record_de: Option<&str>) -> Vec<Evidence> {
        let fill = |t: &Option<SharedText>| t.as_ref().and_then(|t| t.fill(record, record_de));
        self.items
            .iter()
            .map(|i| Evidence {
                kind: i.kind.to_string(),
                value: i.value.fill(record, record_de).unwrap_or_default(),
                location: fill(&i.location),
                value_de: fill(&i.value_de),
                location_de: fill(&i.location_de),
            })
            .collect()
    }

    /// Whether a text is the German wording of the record.
    pub fn needs_record_de(&self) -> bool {
        self.needs_record_de
    }
}

/// Shared items of every form, the value `value`: for tests of writers.
#[cfg(test)]
pub(crate) fn test_items(value: &str) -> SharedEvidence {
    let record = |p: &[&str]| SharedText::Record(p.iter().map(|s| Box::from(*s)).collect());
    SharedEvidence::new(vec![
        SharedItem {
            kind: "field".into(),
            value: SharedText::Plain(value.into()),
            location: Some(record(&["", ""])),
            value_de: None,
            location_de: Some(SharedText::RecordDe),
        },
        SharedItem {
            kind: "os_support".into(),
            value: record(&["at ", " of \"", "\""]),
            location: Some(SharedText::Plain("OS support data".into())),
            value_de: Some(record(&["bei ", ""])),
            location_de: Some(SharedText::Plain("Daten zur OS-Unterstützung".into())),
        },
        SharedItem {
            kind: "ä".into(),
            value: SharedText::Plain("€".into()),
            location: None,
            value_de: None,
            location_de: None,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(p: &[&str]) -> SharedText {
        SharedText::Record(p.iter().map(|s| Box::from(*s)).collect())
    }

    #[test]
    fn texts_are_written_as_they_are_filled() {
        let texts = [
            SharedText::Plain("os_version = 14".into()),
            pieces(&["", ""]),
            pieces(&["at ", " of ", ""]),
            SharedText::RecordDe,
        ];
        for record_de in [Some("Datensatz 7"), None] {
            for t in &texts {
                let mut written = None;
                t.write("record 7", record_de, &mut |len, parts| {
                    let s: String = parts.collect();
                    assert_eq!(s.len(), len);
                    written = Some(s);
                });
                assert_eq!(written, t.fill("record 7", record_de));
                assert_eq!(t.present(record_de), written.is_some());
            }
        }
        assert_eq!(
            texts[2].fill("r", None).as_deref(),
            Some("at r of r"),
            "the record goes between each two pieces"
        );
    }
}
