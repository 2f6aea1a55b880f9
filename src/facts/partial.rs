//! Exports read only in part: where reading stopped, how many devices were
//! read, and whether reading went on after the damage.
//!
//! An export that could not be read to its end (a broken byte, a record over
//! the size limit, nesting too deep, more devices than the limit) is
//! *partial*: its devices are kept and assessed, but the run exits 4
//! (`cli::exit::INPUT_ERROR`), and every report says how many devices were
//! read and where reading stopped, because an audit of "the fleet" that
//! silently lost part of it would look better than the fleet is.

use serde::{Deserialize, Serialize};

use super::note::by_count;

/// A place in an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    /// A byte offset from the start of the file (0-based).
    Byte(u64),
    /// A line of the file (1-based; CSV).
    Line(u64),
    /// A record of the export (1-based), e.g. the first one over the device limit.
    Record(u64),
}

impl Place {
    /// "byte 1234", "Zeile 17", …
    pub fn text(self, german: bool) -> String {
        match (self, german) {
            (Place::Byte(n), false) => format!("byte {n}"),
            (Place::Byte(n), true) => format!("Byte {n}"),
            (Place::Line(n), false) => format!("line {n}"),
            (Place::Line(n), true) => format!("Zeile {n}"),
            (Place::Record(n), false) => format!("record {n}"),
            (Place::Record(n), true) => format!("Datensatz {n}"),
        }
    }
}

/// How an export was read only in part (facts `partial`, report
/// `fleet.inventories[].partial`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Devices read from the export: those the facts and the report hold.
    pub devices_read: usize,
    /// Where the first part that could not be read is (absent when the
    /// reader could not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped_at: Option<Place>,
    /// Why that part could not be read (English; the report's notes carry
    /// German and English).
    pub reason: String,
    /// Parts of the export that could not be read (lines, JSON values,
    /// records; 1 when reading ended at the first).
    pub unread_parts: usize,
    /// Whether reading went on after the first unread part (JSON lines,
    /// CSV rows, XML records can be resynchronised); when `false`, nothing
    /// after `stopped_at` was read.
    pub resumed: bool,
}

/// Collects the unread parts of one export while it is read.
#[derive(Debug, Default)]
pub struct Tracker {
    first: Option<(Option<Place>, String, String)>,
    parts: usize,
    resumed: bool,
    ended: bool,
}

impl Tracker {
    /// Notes one part that could not be read: where, why (German, English),
    /// and whether reading goes on after it.
    pub fn unread(&mut self, place: Option<Place>, de: String, en: String, goes_on: bool) {
        self.parts = self.parts.saturating_add(1);
        if self.first.is_none() {
            self.first = Some((place, de, en));
            self.resumed = goes_on;
        } else if self.ended {
            // A part after the end cannot exist; keep the first stop.
        } else {
            self.resumed = true;
        }
        if !goes_on {
            self.ended = true;
        }
    }

    /// The summary, when any part could not be read, and the German reason.
    pub fn finish(self, devices_read: usize) -> Option<(Partial, String)> {
        let (place, de, en) = self.first?;
        Some((
            Partial {
                devices_read,
                stopped_at: place,
                reason: en,
                unread_parts: self.parts,
                resumed: self.resumed && !self.ended,
            },
            de,
        ))
    }
}

impl Partial {
    /// The one-line summary in German or English, given the reason in that
    /// language (the English one is `self.reason`).
    pub fn text(&self, german: bool, reason_de: &str) -> String {
        let n = self.devices_read;
        let at = self.stopped_at.map(|p| p.text(german));
        if german {
            let at = at.map(|a| format!(" bei {a}")).unwrap_or_default();
            let rest = if self.resumed {
                format!(
                    "danach wurde weitergelesen; {} {} des Exports {} ungelesen",
                    self.unread_parts,
                    by_count(self.unread_parts, "Teil", "Teile"),
                    by_count(self.unread_parts, "ist", "sind")
                )
            } else {
                "der Rest des Exports wurde nicht gelesen".to_string()
            };
            format!(
                "NUR TEILWEISE GELESEN: {} gelesen; das Lesen brach{at} ab ({reason_de}); {rest} — die Flottenzahlen gelten nur für die gelesenen Geräte",
                super::note::devices(n, true)
            )
        } else {
            let at = at.map(|a| format!(" at {a}")).unwrap_or_default();
            let rest = if self.resumed {
                format!(
                    "reading went on after it; {} part(s) of the export are unread",
                    self.unread_parts
                )
            } else {
                "the rest of the export was not read".to_string()
            };
            format!(
                "READ ONLY IN PART: {n} device(s) read; reading stopped{at} ({}); {rest} — the fleet figures cover the devices read only",
                self.reason
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_stop_wins_and_an_end_is_final() {
        let mut t = Tracker::default();
        t.unread(Some(Place::Line(7)), "kaputt".into(), "broken".into(), true);
        t.unread(Some(Place::Line(9)), "kaputt".into(), "broken".into(), true);
        let (p, de) = t.finish(40).unwrap();
        assert_eq!(p.stopped_at, Some(Place::Line(7)));
        assert_eq!((p.unread_parts, p.resumed, p.devices_read), (2, true, 40));
        assert_eq!(
            p.text(false, &de),
            "READ ONLY IN PART: 40 device(s) read; reading stopped at line 7 (broken); reading went on after it; 2 part(s) of the export are unread — the fleet figures cover the devices read only"
        );
        assert!(p.text(true, &de).starts_with(
            "NUR TEILWEISE GELESEN: 40 Geräte gelesen; das Lesen brach bei Zeile 7 ab (kaputt)"
        ));
        let mut t = Tracker::default();
        t.unread(Some(Place::Byte(5)), "x".into(), "x".into(), false);
        let (p, _) = t.finish(0).unwrap();
        assert!(!p.resumed);
        assert!(p
            .text(false, "")
            .contains("the rest of the export was not read"));
        assert!(Tracker::default().finish(3).is_none());
        assert_eq!(
            serde_json::to_value(&p).unwrap()["stopped_at"],
            serde_json::json!({"byte": 5})
        );
    }
}
