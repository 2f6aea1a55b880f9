//! Identifiers that more than one record of one export gives (the same
//! serial number, IMEI or UDID twice, e.g. a stale record left in the MDM
//! after a re-enrolment). Both records stay devices; the export gets a
//! note ([`Note::SameIdentifier`]) so the duplicate is not silent.
//!
//! Every device of an export passes [`SameIds::see`] once. It keeps one
//! 8-byte key per identifier (a pseudonym's 48 hash bits, or a hash of the
//! normalized clear value when identities are revealed) in a set bounded by
//! [`MAX_TRACKED`] keys (about 9 MiB), so a fleet of any size is checked
//! in bounded memory, at the cost of a set insert per identifier.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use super::note::{IdentifierKind, Note};
use super::pseudonym::{IdKind, Pseudonymizer};
use crate::facts::Device;

/// Most identifiers remembered per export: a set of this many 8-byte keys
/// fits a table of 2^20 slots (about 9 MiB). Identifiers after it are
/// compared with those remembered, not with each other.
pub const MAX_TRACKED: usize = 917_504;

/// Most identifiers a note names (by pseudonym).
const EXAMPLES: usize = 3;

/// The kinds checked, in the order a note counts them.
const KINDS: [IdentifierKind; 3] = [
    IdentifierKind::Serial,
    IdentifierKind::Imei,
    IdentifierKind::Udid,
];

/// Finds identifiers given by more than one record of an export (the
/// default remembers none: see [`SameIds::new`]).
#[derive(Debug, Default)]
pub struct SameIds {
    /// Keys of the identifiers seen.
    seen: HashSet<u64, Keyed>,
    /// Keys of the identifiers seen in more than one record.
    repeated: HashSet<u64, Keyed>,
    /// Distinct repeated identifiers per kind (in [`KINDS`] order).
    counts: [usize; 3],
    /// Some repeated identifiers, pseudonymized.
    examples: Vec<(IdentifierKind, String)>,
    /// Records with an identifier that was not remembered (budget reached).
    unchecked: usize,
    budget: usize,
    /// When identities are revealed: pseudonymizes the examples (a note
    /// never names an identifier in clear).
    hiding: Option<Pseudonymizer>,
}

impl SameIds {
    /// A finder for an export whose identifiers `pn` made (pseudonyms, or
    /// clear values when it reveals them).
    pub fn new(pn: &Pseudonymizer) -> Self {
        SameIds::with_budget(pn, MAX_TRACKED)
    }

    /// [`SameIds::new`], remembering at most `budget` identifiers.
    pub fn with_budget(pn: &Pseudonymizer, budget: usize) -> Self {
        SameIds {
            seen: HashSet::default(),
            repeated: HashSet::default(),
            counts: [0; 3],
            examples: Vec::new(),
            unchecked: 0,
            budget,
            hiding: pn.reveals().then(|| pn.hiding()),
        }
    }

    /// Looks at the identifiers of the next device of the export.
    pub fn see(&mut self, d: &Device) {
        let ids = &d.identifiers;
        let mut unchecked = false;
        for (i, value) in [&ids.serial, &ids.imei, &ids.udid].into_iter().enumerate() {
            let Some(value) = value.as_deref() else {
                continue;
            };
            let kind = KINDS.get(i).copied().unwrap_or(IdentifierKind::Serial);
            let key = key(i as u64, kind, value, self.hiding.is_some());
            // One lookup while under budget: an insert that finds the key.
            let remembering = self.seen.len() < self.budget;
            let seen_before = if remembering {
                !self.seen.insert(key)
            } else {
                self.seen.contains(&key)
            };
            if seen_before {
                if self.repeated.insert(key) {
                    if let Some(n) = self.counts.get_mut(i) {
                        *n = n.saturating_add(1);
                    }
                    if self.examples.len() < EXAMPLES {
                        let shown = match &self.hiding {
                            Some(pn) => pn.apply(id_kind(kind), value),
                            None => Some(value.to_string()),
                        };
                        if let Some(shown) = shown {
                            self.examples.push((kind, shown));
                        }
                    }
                }
            } else if !remembering {
                unchecked = true;
            }
        }
        if unchecked {
            self.unchecked = self.unchecked.saturating_add(1);
        }
    }

    /// The note for the export, when an identifier was in more than one
    /// record (or some could not be checked).
    pub fn note(self) -> Option<Note> {
        let any = self.counts.iter().any(|n| *n > 0);
        (any || self.unchecked > 0).then_some(Note::SameIdentifier {
            serials: self.counts[0],
            imeis: self.counts[1],
            udids: self.counts[2],
            examples: self.examples,
            unchecked: self.unchecked,
            budget: self.budget,
        })
    }
}

/// How an identifier of `kind` is normalized before pseudonymization.
fn id_kind(kind: IdentifierKind) -> IdKind {
    match kind {
        IdentifierKind::Serial => IdKind::DeviceId,
        IdentifierKind::Imei => IdKind::Number,
        IdentifierKind::Udid => IdKind::Udid,
    }
}

/// The key of identifier `value` of kind number `tag`: a pseudonym's 48
/// hash bits (no hashing needed), else a hash of the value as
/// pseudonymization normalizes it (revealed identities), with the kind in
/// the top bits so a serial never meets an IMEI.
fn key(tag: u64, kind: IdentifierKind, value: &str, clear: bool) -> u64 {
    let bits = if clear { None } else { pseudonym_bits(value) };
    let bits = bits.unwrap_or_else(|| super::pseudonym::normalized_hash(id_kind(kind), value));
    (tag << 48) | (bits & ((1 << 48) - 1))
}

/// The 48 bits of a pseudonym `pn-` + 12 hex digits.
fn pseudonym_bits(value: &str) -> Option<u64> {
    let hex = value.strip_prefix("pn-").filter(|h| h.len() == 12)?;
    u64::from_str_radix(hex, 16).ok()
}

/// A hasher for keys that are hashes already: the key is its own hash.
#[derive(Debug, Default, Clone, Copy)]
struct Passed(u64);

impl Hasher for Passed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        // Spread the bits (the low bits pick the slot; the kind is on top).
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Builds [`Passed`] hashers.
type Keyed = BuildHasherDefault<Passed>;
