//! The one decision of what kind of input a file is, from its first bytes
//! (and, for a generic CSV, a `<name>.mapping.toml` beside it).
//!
//! It lives in `extract`, not `detect`, because the inventory formats are
//! listed by the registry ([`super::inventory::registry`]), whose lines
//! join `detect`'s content predicates to `extract`'s readers; `detect` stays
//! free of `extract`.

use crate::detect::{looks_like_zip, starts_like_facts, starts_like_report};
use crate::extract::inventory::intune_compliance::{sniff as sniff_compliance, ComplianceKind};
use crate::extract::inventory::{resolve_format, Format};

/// What an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A zip archive: an APK, a split set (.apks/.xapk) or an IPA. Which one
    /// its central directory says ([`crate::detect::classify_zip`]), read as
    /// Android and iOS read it, never from the local headers at its head.
    Zip,
    /// A facts document of `msgaudit facts` (its first key is `"kind"`).
    Facts,
    /// A saved JSON report of `msgaudit scan --format json`.
    Report,
    /// An Intune compliance export (joined to Intune device lists; no
    /// devices of its own).
    Compliance(ComplianceKind),
    /// An MDM inventory export of this registered format.
    Inventory(Format),
    /// None of these.
    Unknown,
}

/// Decides the kind of the input `name` whose first bytes (up to
/// [`super::inventory::HEAD_BYTES`]) are `head`. In this order: a zip, a
/// facts document, a saved report, an Intune compliance export (before the
/// device lists: its rows carry Graph keys), an inventory export of a
/// registered format (or a CSV with a mapping file beside it).
pub fn detect(head: &[u8], name: &str) -> Kind {
    if looks_like_zip(head) {
        Kind::Zip
    } else if starts_like_facts(head) {
        Kind::Facts
    } else if starts_like_report(head) {
        Kind::Report
    } else if let Some(kind) = sniff_compliance(head) {
        Kind::Compliance(kind)
    } else {
        match resolve_format(name, head, None) {
            Ok((format, _)) => Kind::Inventory(format),
            Err(_) => Kind::Unknown,
        }
    }
}
