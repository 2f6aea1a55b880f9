//! Pseudonymization of personal identifiers (user names, e-mails, device
//! names, serials, IMEI, phone numbers, UDIDs, MDM device ids).
//!
//! A pseudonym is `pn-` followed by the first 12 hex characters of
//! HMAC-SHA256(key, normalized value). The same value under the same key always
//! gives the same pseudonym, so devices of one user can still be grouped; a
//! different key gives unrelated pseudonyms.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The key used when none is given (`--pseudonym-key` / `MSGAUDIT_PSEUDONYM_KEY`).
/// It is public, so pseudonyms made with it can be recomputed by anyone who
/// knows a clear value: they hide identities in a report, but are not secret.
pub const DEFAULT_KEY: &str = "msgaudit-default-pseudonym-key-v1";

pub use crate::facts::note::DEFAULT_KEY_WARNING;

/// What kind of identifier a value is; decides how it is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    /// User name, UPN or e-mail: compared without case.
    User,
    /// Serial number, MDM device id: compared without case.
    DeviceId,
    /// Apple UDID (hex digits and dashes): compared without case, and
    /// kept in clear (revealed) in upper case, as Apple writes it
    /// ([`udid`]), so a UDID some MDM exports in lower case is one device.
    Udid,
    /// IMEI or phone number: spaces, dashes, dots and brackets ignored.
    Number,
    /// Device name: surrounding and repeated whitespace ignored.
    Name,
}

/// Turns identifiers into pseudonyms (or keeps them when identities are revealed).
#[derive(Clone)]
pub struct Pseudonymizer {
    mac: Hmac<Sha256>,
    reveal: bool,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pseudonymizer")
            .field("reveal", &self.reveal)
            .finish_non_exhaustive()
    }
}

impl Pseudonymizer {
    /// A pseudonymizer keyed with `key` (or [`DEFAULT_KEY`]); with `reveal`,
    /// values are kept in clear (only trimmed).
    pub fn new(key: Option<&str>, reveal: bool) -> Self {
        let key = key.filter(|k| !k.is_empty()).unwrap_or(DEFAULT_KEY);
        // HMAC accepts keys of any length, so this cannot fail.
        let mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        Pseudonymizer { mac, reveal }
    }

    /// Whether clear values are kept.
    pub fn reveals(&self) -> bool {
        self.reveal
    }

    /// This pseudonymizer with the same key, never revealing: for a note
    /// that names an identifier when the devices carry clear values.
    pub fn hiding(&self) -> Pseudonymizer {
        Pseudonymizer {
            mac: self.mac.clone(),
            reveal: false,
        }
    }

    /// The pseudonym (or the trimmed clear value) of `value`; `None` for an
    /// empty value, and for a placeholder where a device identifier should
    /// be ([`is_placeholder`]: "unknown", an all-zero IMEI or UDID): no
    /// identifier, which never makes two devices one.
    pub fn apply(&self, kind: IdKind, value: &str) -> Option<String> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return None;
        }
        if matches!(kind, IdKind::DeviceId | IdKind::Udid | IdKind::Number)
            && is_placeholder(trimmed)
        {
            return None;
        }
        if self.reveal {
            return Some(match kind {
                IdKind::Udid => udid(trimmed),
                _ => trimmed.to_string(),
            });
        }
        // The keyed HMAC state (inner and outer pad already hashed) is copied,
        // and the normalized value is fed to it in pieces, without building it.
        let mut mac = self.mac.clone();
        normalize_into(kind, trimmed, &mut |part| mac.update(part));
        let digest = mac.finalize().into_bytes();
        let mut out = String::with_capacity(PREFIX.len() + 2 * HEX_BYTES);
        out.push_str(PREFIX);
        for b in digest.iter().take(HEX_BYTES) {
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        Some(out)
    }
}

/// Words MDMs export where a device identifier is not known (compared
/// without case). `0123456789ABCDEF` is the serial number Android devices
/// whose maker set none report.
const PLACEHOLDERS: &[&str] = &[
    "unknown",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "undefined",
    "not available",
    "unavailable",
    "not applicable",
    "0123456789abcdef",
    "redacted",
    "removed",
    "hidden",
    "masked",
];

/// Whether `value` (trimmed, not empty) says that a device identifier is
/// not known, or hides it, rather than giving one: a placeholder word
/// (`unknown`, `N/A`, `redacted`, …), also in brackets (`[REDACTED]`,
/// `<unknown>`), or only zeros, mask characters and separators (`0`, `000000000000000`, the
/// all-zero UDID or GUID `00000000-0000-0000-0000-000000000000`, `-`,
/// `XXXX-XXXX`, `***`). Such values are shared by unrelated devices (an
/// export redacted before it was handed to an auditor shares them all), so
/// they must never identify one.
pub fn is_placeholder(value: &str) -> bool {
    if value.len() > 40 {
        return false;
    }
    let masked = value.bytes().all(|b| {
        matches!(
            b,
            b'0' | b'x' | b'X' | b'*' | b'#' | b'-' | b':' | b'.' | b' '
        )
    });
    let word = value.trim_matches(|c| matches!(c, '[' | ']' | '<' | '>' | '(' | ')' | ' '));
    masked || PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(word))
}

/// What every pseudonym starts with.
const PREFIX: &str = "pn-";

/// Digest bytes shown (as 12 hex characters).
const HEX_BYTES: usize = 6;

/// Lower-case hex digits.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// The one spelling of a UDID (or of another identifier Apple MDM keys a
/// device by): trimmed, ASCII letters in upper case. UDIDs are hex digits,
/// which name the same device in either case; Apple writes them in upper
/// case, some MDMs export them in lower case. Its pseudonym is that of any
/// other spelling.
pub fn udid(value: &str) -> String {
    value.trim().to_ascii_uppercase()
}

/// A 64-bit hash (not keyed, not a pseudonym) of `value` normalized as
/// for its pseudonym: two values with one pseudonym have one hash. For
/// comparing clear identifiers in memory, never for output.
pub fn normalized_hash(kind: IdKind, value: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    normalize_into(kind, value.trim(), &mut |part| h.write(part));
    h.finish()
}

/// Normalizes an identifier so trivial spelling differences map to one pseudonym.
#[cfg(test)]
fn normalize(kind: IdKind, value: &str) -> String {
    match kind {
        IdKind::User | IdKind::DeviceId | IdKind::Udid => value.to_lowercase(),
        IdKind::Number => value
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '/'))
            .collect(),
        IdKind::Name => value.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// Passes the bytes of the normalized `value` (as [`normalize`] spells it)
/// to `feed`, in pieces, without allocating for the common ASCII values.
fn normalize_into(kind: IdKind, value: &str, feed: &mut dyn FnMut(&[u8])) {
    match kind {
        IdKind::User | IdKind::DeviceId | IdKind::Udid => {
            if value.is_ascii() {
                let mut buf = [0u8; 64];
                for chunk in value.as_bytes().chunks(buf.len()) {
                    let dst = buf.get_mut(..chunk.len()).unwrap_or_default();
                    dst.copy_from_slice(chunk);
                    dst.make_ascii_lowercase();
                    feed(dst);
                }
            } else {
                feed(value.to_lowercase().as_bytes());
            }
        }
        IdKind::Number => {
            for part in value.split([' ', '-', '.', '(', ')', '/']) {
                feed(part.as_bytes());
            }
        }
        IdKind::Name => {
            for (i, word) in value.split_whitespace().enumerate() {
                if i > 0 {
                    feed(b" ");
                }
                feed(word.as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_no_device_identifiers() {
        for reveal in [false, true] {
            let p = Pseudonymizer::new(Some("k1"), reveal);
            for (kind, value) in [
                (IdKind::DeviceId, "Unknown"),
                (IdKind::DeviceId, " N/A "),
                (IdKind::DeviceId, "0123456789ABCDEF"),
                (IdKind::DeviceId, "00000000-0000-0000-0000-000000000000"),
                (IdKind::Number, "000000000000000"),
                (IdKind::Number, "0"),
                (IdKind::Udid, "00000000-0000000000000000"),
                (IdKind::Udid, "-"),
                (IdKind::DeviceId, "[REDACTED]"),
                (IdKind::DeviceId, "XXXX-XXXX"),
                (IdKind::Number, "***************"),
                (IdKind::DeviceId, "<unknown>"),
            ] {
                assert_eq!(p.apply(kind, value), None, "{kind:?} {value:?} {reveal}");
            }
            // Real identifiers that merely contain zeros, and names and users,
            // are kept.
            for (kind, value) in [
                (IdKind::DeviceId, "R52X0000A002"),
                (IdKind::DeviceId, "0x1F"),
                (IdKind::Number, "350000000000001"),
                (IdKind::Udid, "00008030-001A2D3E0C12802E"),
                (IdKind::Name, "Unknown"),
                (IdKind::User, "none"),
            ] {
                assert!(
                    p.apply(kind, value).is_some(),
                    "{kind:?} {value:?} {reveal}"
                );
            }
        }
    }

    #[test]
    fn stable_keyed_and_normalized() {
        let p = Pseudonymizer::new(Some("k1"), false);
        let a = p
            .apply(IdKind::User, "Pflege.4B@Klinikum-Beispiel.de")
            .unwrap();
        let b = p
            .apply(IdKind::User, "  pflege.4b@klinikum-beispiel.de ")
            .unwrap();
        assert_eq!(a, b);
        assert!(a.starts_with("pn-") && a.len() == 15, "{a}");
        let other = Pseudonymizer::new(Some("k2"), false)
            .apply(IdKind::User, "pflege.4b@klinikum-beispiel.de")
            .unwrap();
        assert_ne!(a, other);
        assert_eq!(
            p.apply(IdKind::Number, "35 735005 003432 4"),
            p.apply(IdKind::Number, "357350050034324")
        );
        assert_eq!(p.apply(IdKind::Name, "   "), None);
    }

    /// The normalized bytes fed to the HMAC are the reference spelling, for
    /// ASCII and non-ASCII values, long values and every kind.
    #[test]
    fn pieces_spell_the_normalized_value() {
        let values = [
            "Pflege.4B@Klinikum-Beispiel.de",
            "ÄRZTIN.Müller@Beispiel.DE",
            "  OP  Saal\t 3 ",
            "+49 (30) 123-45.67/8",
            "İSTANBUL-ΣΊΣΥΦΟΣ",
            "",
        ];
        let long = "AbC-".repeat(50);
        for v in values.iter().copied().chain([long.as_str()]) {
            for kind in [
                IdKind::User,
                IdKind::DeviceId,
                IdKind::Udid,
                IdKind::Number,
                IdKind::Name,
            ] {
                let mut fed = Vec::new();
                normalize_into(kind, v, &mut |p| fed.extend_from_slice(p));
                assert_eq!(fed, normalize(kind, v).into_bytes(), "{kind:?} {v:?}");
            }
        }
        // The pseudonym of a known value under the default key is unchanged.
        let p = Pseudonymizer::new(None, false);
        let mut mac = p.mac.clone();
        mac.update(b"user1@bench.invalid");
        let hex = hex::encode(mac.finalize().into_bytes());
        assert_eq!(
            p.apply(IdKind::User, " USER1@bench.invalid").unwrap(),
            format!("pn-{}", &hex[..12])
        );
    }

    #[test]
    fn reveal_keeps_clear_values() {
        let p = Pseudonymizer::new(None, true);
        assert_eq!(
            p.apply(IdKind::Name, " OP-Saal ").as_deref(),
            Some("OP-Saal")
        );
    }
}
