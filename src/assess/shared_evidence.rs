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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

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
#[derive(Debug, Clone)]
pub struct SharedEvidence {
    items: Box<[SharedItem]>,
    /// Whether a text is the German wording of the record.
    needs_record_de: bool,
    /// Whether every text is the same on every device, or the record (or
    /// its German wording) and nothing else: a device's items can then be
    /// read back as slices of the items and the record ([`SharedTable`]).
    borrowable: bool,
    /// The evidence's number in a [`SharedTable`] (the table's id and the
    /// number), once it was given one; `None` inside when the table was full.
    number: OnceLock<Option<(u64, u32)>>,
}

impl PartialEq for SharedEvidence {
    /// Equal items (whether and where they are numbered does not matter).
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl Eq for SharedEvidence {}

impl SharedEvidence {
    /// Evidence of `items`, in the order given.
    pub fn new(items: Vec<SharedItem>) -> SharedEvidence {
        fn texts(i: &SharedItem) -> Vec<&SharedText> {
            [&i.location, &i.value_de, &i.location_de]
                .into_iter()
                .flatten()
                .chain(std::iter::once(&i.value))
                .collect()
        }
        let needs_record_de = items
            .iter()
            .any(|i| texts(i).iter().any(|t| matches!(t, SharedText::RecordDe)));
        let borrowable = items.iter().all(|i| {
            texts(i)
                .iter()
                .all(|t| !matches!(t, SharedText::Record(_)) || t.is_record())
        });
        SharedEvidence {
            items: items.into_boxed_slice(),
            needs_record_de,
            borrowable,
            number: OnceLock::new(),
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

    /// The bytes of text the items hold (for [`SharedTable`]'s budget).
    fn text_bytes(&self) -> usize {
        let len = |t: &SharedText| match t {
            SharedText::Plain(s) => s.len(),
            SharedText::Record(p) => p.iter().map(|s| s.len()).sum(),
            SharedText::RecordDe => 0,
        };
        self.items
            .iter()
            .map(|i| {
                i.kind.len()
                    + len(&i.value)
                    + [&i.location, &i.value_de, &i.location_de]
                        .into_iter()
                        .flatten()
                        .map(len)
                        .sum::<usize>()
                    // The item and its texts' boxes.
                    + 128
            })
            .sum()
    }
}

/// A text of a borrowable item as a device with `record` and `record_de`
/// has it, borrowed (`None` when the device has no such text).
pub(crate) fn borrow_text<'b>(
    t: &'b SharedText,
    record: &'b str,
    record_de: Option<&'b str>,
) -> Option<&'b str> {
    match t {
        SharedText::Plain(s) => Some(s),
        SharedText::Record(_) => Some(record),
        SharedText::RecordDe => record_de,
    }
}

/// Evidence a store holds once and its device records refer to by number,
/// instead of each record holding the items' texts again (most devices of
/// a fleet share the evidence of the rule cache; see the module's text).
///
/// Only [borrowable](SharedEvidence) evidence is numbered, and only while
/// the texts numbered stay within [`SHARED_BYTES`] (a run that shares
/// little, or whose cache shares nothing, writes the items into the
/// records as before). Numbers are given by whichever thread encodes a
/// device first; reading back goes by number, so the order in which they
/// were given does not show in any report.
#[derive(Debug)]
pub struct SharedTable {
    /// Tells tables apart (an item numbered by one is not numbered by another).
    id: u64,
    inner: Mutex<TableItems>,
}

#[derive(Debug, Default)]
struct TableItems {
    items: Vec<Arc<SharedEvidence>>,
    bytes: usize,
}

/// The text bytes a [`SharedTable`] numbers at most.
pub const SHARED_BYTES: usize = 4 << 20;

impl Default for SharedTable {
    fn default() -> Self {
        SharedTable::new()
    }
}

impl SharedTable {
    /// An empty table.
    pub fn new() -> SharedTable {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        SharedTable {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            inner: Mutex::new(TableItems::default()),
        }
    }

    /// The number of `e` in this table, given now if it has none; `None`
    /// when `e` is not borrowable, was numbered by another table, or the
    /// table is full.
    pub fn number(&self, e: &Arc<SharedEvidence>) -> Option<u32> {
        if !e.borrowable {
            return None;
        }
        let given = e.number.get_or_init(|| {
            let mut t = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            let bytes = e.text_bytes();
            let number = u32::try_from(t.items.len()).ok()?;
            if t.bytes + bytes > SHARED_BYTES {
                return None;
            }
            t.bytes += bytes;
            t.items.push(Arc::clone(e));
            Some((self.id, number))
        });
        match *given {
            Some((table, number)) if table == self.id => Some(number),
            _ => None,
        }
    }

    /// The items numbered so far, by number.
    pub fn items(&self) -> Box<[Arc<SharedEvidence>]> {
        let t = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        t.items.clone().into_boxed_slice()
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

/// Shared items a [`SharedTable`] numbers, of every borrowable form (the
/// value `value`): for tests of stores and writers.
#[cfg(test)]
pub(crate) fn test_borrowable(value: &str) -> SharedEvidence {
    let record = || SharedText::Record(vec![Box::from(""), Box::from("")].into_boxed_slice());
    SharedEvidence::new(vec![
        SharedItem {
            kind: "field".into(),
            value: SharedText::Plain(format!("osVersion = \"{value}\"").into()),
            location: Some(record()),
            value_de: None,
            location_de: Some(SharedText::RecordDe),
        },
        SharedItem {
            kind: "os_support".into(),
            value: SharedText::Plain(format!("{value} ended").into()),
            location: Some(SharedText::Plain("OS support data".into())),
            value_de: Some(SharedText::Plain(format!("{value} endete").into())),
            location_de: Some(SharedText::Plain("Daten zur OS-Unterstützung".into())),
        },
        SharedItem {
            kind: "record".into(),
            value: SharedText::RecordDe,
            location: Some(record()),
            value_de: Some(record()),
            location_de: None,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_numbers_borrowable_evidence_once_and_within_its_budget() {
        let table = SharedTable::new();
        let a = Arc::new(test_borrowable("a"));
        let b = Arc::new(test_borrowable("b"));
        assert_eq!(table.number(&a), Some(0));
        assert_eq!(table.number(&b), Some(1));
        assert_eq!(table.number(&a), Some(0), "numbered once");
        // A clone holds the same items: the same number is right for it.
        assert_eq!(table.number(&Arc::new(SharedEvidence::clone(&b))), Some(1));
        assert_eq!(table.items().len(), 2);
        assert_eq!(*table.items()[1], *b);
        // Evidence with the record amid other text is written into records.
        let amid = Arc::new(test_items("c"));
        assert_eq!(table.number(&amid), None);
        // Numbered by one table, another does not refer to it by number.
        let other = SharedTable::new();
        assert_eq!(other.number(&a), None);
        assert!(other.items().is_empty());
        // A full table numbers nothing more.
        let big = "x".repeat(SHARED_BYTES / 2);
        let (c, d) = (
            Arc::new(test_borrowable(&big)),
            Arc::new(test_borrowable(&big)),
        );
        assert_eq!(table.number(&c), None, "more than the budget");
        assert_eq!(table.number(&d), None);
        let small = Arc::new(test_borrowable("small"));
        assert_eq!(table.number(&small), Some(2), "what fits is still numbered");
    }

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
