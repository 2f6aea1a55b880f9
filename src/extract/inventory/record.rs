//! Reading one exported record (as a JSON value) into a [`Device`]: path
//! lookups, lenient scalars, pseudonymized identifiers and raw-field evidence.
//!
//! Adapters describe *where* a fact lives in their format; this module does
//! the *how* once for all of them.

use std::borrow::Cow;

use serde_json::Value;

use super::dates::{lenient_bool, lenient_timestamp, patch_level, rfc3339, split_version};
use super::json::Record;
use super::pseudonym::{IdKind, Pseudonymizer};
use super::Ctx;
use crate::facts::Device;

/// Longest raw value quoted in evidence (characters).
const MAX_RAW: usize = 120;

/// A record of an export, with dotted-path access (`general.os_version`).
///
/// An adapter looks up some 40 keys of a record; a JSON object's keys are a
/// sorted tree, where each lookup compares the key with several others. The
/// top-level keys of an object record are therefore listed once, when the
/// record is wrapped ([`Rec::new`]), and found by their length first: most
/// lookups compare one key's bytes. A record read with a keep list
/// ([`Record::Kept`]) is such a list already.
#[derive(Debug, Clone)]
pub struct Rec<'a> {
    top: Top<'a>,
    /// Where the top-level keys of kept or listed entries are ([`Slots`]).
    slots: Slots,
}

/// The places of a record's top-level entries by a small hash of their key
/// ([`slot_of`]): 0 for no entry, [`SEVERAL`] for more than one (then the
/// entries are searched), else the entry's place + 1. A key a record lacks
/// (most of an adapter's lookups) is mostly told absent by one load, and a
/// key it has is found by one comparison.
#[derive(Debug, Clone)]
struct Slots([u8; 64]);

/// A slot of more than one entry.
const SEVERAL: u8 = u8::MAX;

impl Slots {
    /// The slots of `keys` (each key once); `None` for more keys than a
    /// slot can number.
    fn of<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Option<Slots> {
        if keys.len() >= usize::from(SEVERAL) {
            return None;
        }
        let mut slots = [0u8; 64];
        for (i, key) in keys.enumerate() {
            let slot = &mut slots[slot_of(key)];
            // `i + 1` fits: fewer keys than SEVERAL.
            *slot = if *slot == 0 { i as u8 + 1 } else { SEVERAL };
        }
        Some(Slots(slots))
    }
}

/// The slot of `key`: from its length and its first and last bytes.
fn slot_of(key: &str) -> usize {
    let b = key.as_bytes();
    let first = usize::from(b.first().copied().unwrap_or(0));
    let last = usize::from(b.last().copied().unwrap_or(0));
    (b.len().wrapping_mul(7) ^ first ^ last.wrapping_mul(3)) & 63
}

/// The top-level entries of a [`Rec`].
#[derive(Debug, Clone)]
enum Top<'a> {
    /// The kept entries of a record read with a keep list (distinct keys).
    Kept(&'a [(&'static str, Value)]),
    /// The entries of an object record, listed.
    Listed(Vec<(&'a str, &'a Value)>),
    /// Anything else (not an object, or an object with more keys than
    /// [`INDEXED_KEYS`]), looked up in the value itself.
    Tree(&'a Value),
}

impl<'a> From<&'a Value> for Rec<'a> {
    /// Wraps a record read as a value ([`Rec::new`]).
    fn from(value: &'a Value) -> Rec<'a> {
        Rec::new(value)
    }
}

impl<'a> From<&'a Record> for Rec<'a> {
    /// Wraps a record as read: kept entries as they are, a value with
    /// [`Rec::new`].
    fn from(record: &'a Record) -> Rec<'a> {
        match record {
            Record::Kept(entries) => Rec::listing(Top::Kept(entries)),
            Record::Value(value) => Rec::new(value),
        }
    }
}

/// Most top-level keys listed by [`Rec::new`] (more are looked up in the tree).
const INDEXED_KEYS: usize = 96;

impl<'a> Rec<'a> {
    /// Wraps the record `value`.
    pub fn new(value: &'a Value) -> Rec<'a> {
        let top = match value.as_object().filter(|m| m.len() <= INDEXED_KEYS) {
            Some(m) => Top::Listed(m.iter().map(|(k, v)| (k.as_str(), v)).collect()),
            None => Top::Tree(value),
        };
        Rec::listing(top)
    }

    /// The record of `top`, its entries' slots made.
    fn listing(top: Top<'a>) -> Rec<'a> {
        let slots = match &top {
            Top::Kept(entries) => Slots::of(entries.iter().map(|(k, _)| *k)),
            Top::Listed(entries) => Slots::of(entries.iter().map(|(k, _)| *k)),
            Top::Tree(_) => None,
        };
        // No slot numbers an entry: every lookup searches the entries.
        let slots = slots.unwrap_or(Slots([SEVERAL; 64]));
        Rec { top, slots }
    }

    /// The top-level value under `key` as read (JSON `null` included).
    pub fn raw(&self, key: &str) -> Option<&'a Value> {
        self.top_level(key)
    }

    /// The top-level value under `key` (JSON `null` included).
    fn top_level(&self, key: &str) -> Option<&'a Value> {
        #[cfg(test)]
        looked_up::note(key);
        // Keys of an object are distinct (and kept entries are): the first
        // with the same length and bytes is the one the record holds.
        let same = |k: &str| k.len() == key.len() && k == key;
        // The one entry in the key's slot, or every entry (a tree's slots
        // are all SEVERAL); none when the slot is empty.
        let (skip, take) = match self.slots.0[slot_of(key)] {
            0 => return None,
            SEVERAL => (0, usize::MAX),
            n => (usize::from(n) - 1, 1),
        };
        match &self.top {
            Top::Kept(entries) => entries
                .iter()
                .skip(skip)
                .take(take)
                .find(|(k, _)| same(k))
                .map(|(_, v)| v),
            Top::Listed(entries) => entries
                .iter()
                .skip(skip)
                .take(take)
                .find(|(k, _)| same(k))
                .map(|(_, v)| *v),
            Top::Tree(value) => value.as_object()?.get(key),
        }
    }

    /// The value at a dotted path; JSON `null` counts as absent.
    pub fn get(&self, path: &str) -> Option<&'a Value> {
        // Paths are a few dozen bytes: a plain scan finds the dot sooner
        // than `split_once`'s searcher is set up.
        let dot = path.bytes().position(|b| b == b'.');
        let cur = match dot.map(|at| (&path[..at], &path[at + 1..])) {
            None => self.top_level(path)?,
            Some((first, rest)) => {
                let mut cur = self.top_level(first)?;
                for part in rest.split('.') {
                    cur = cur.as_object()?.get(part)?;
                }
                cur
            }
        };
        (!cur.is_null()).then_some(cur)
    }

    /// The first present value among `paths`, with the path that held it.
    pub fn first<'p>(&self, paths: &[&'p str]) -> Option<(&'p str, &'a Value)> {
        paths
            .iter()
            .find_map(|p| self.get(p).filter(|v| !is_blank(v)).map(|v| (*p, v)))
    }

    /// The first present scalar among `paths` as text (trimmed, non-empty),
    /// borrowed from the record when it is a string.
    pub fn text_ref<'p>(&self, paths: &[&'p str]) -> Option<(&'p str, Cow<'a, str>)> {
        paths.iter().find_map(|p| {
            let v = self.get(p)?;
            scalar_text_ref(v).map(|s| (*p, s))
        })
    }

    /// The first present scalar among `paths` as text (trimmed, non-empty).
    pub fn text<'p>(&self, paths: &[&'p str]) -> Option<(&'p str, String)> {
        paths.iter().find_map(|p| {
            let v = self.get(p)?;
            scalar_text(v).map(|s| (*p, s))
        })
    }
}

/// Whether a value is an empty string (treated as absent).
fn is_blank(v: &Value) -> bool {
    matches!(v, Value::String(s) if trim(s).is_empty())
}

/// `s` without surrounding whitespace, as [`str::trim`] gives it. A text
/// whose first and last bytes are printable ASCII other than space (no
/// whitespace character, ASCII or not, has such a byte) is returned as it
/// is, without looking at its characters.
pub fn trim(s: &str) -> &str {
    let plain = |b: &u8| (0x21..0x7f).contains(b);
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(first), Some(last)) if plain(first) && plain(last) => s,
        _ => s.trim(),
    }
}

/// Calls `f` with `s` in ASCII lower case (other characters as they are),
/// made on the stack for a short text: for the many small words of an
/// export (`mdm`, `company`, `iOS`) that are compared, not kept.
pub fn with_ascii_lowercase<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 64];
    match buf.get_mut(..s.len()) {
        Some(short) => {
            short.copy_from_slice(s.as_bytes());
            short.make_ascii_lowercase();
            // Lower-casing ASCII bytes keeps UTF-8 valid.
            f(std::str::from_utf8(short).unwrap_or_default())
        }
        None => f(&s.to_ascii_lowercase()),
    }
}

/// Longest scalar read as a fact or identifier (bytes); longer values are
/// treated as unreadable.
pub const MAX_VALUE: usize = 4096;

/// A scalar as trimmed text; `None` for empty or oversized strings, objects
/// and arrays.
pub fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let t = trim(s);
            (!t.is_empty() && t.len() <= MAX_VALUE).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// [`scalar_text`], borrowed from the value when it is a string.
pub fn scalar_text_ref(v: &Value) -> Option<Cow<'_, str>> {
    match v {
        Value::String(s) => {
            let t = trim(s);
            (!t.is_empty() && t.len() <= MAX_VALUE).then_some(Cow::Borrowed(t))
        }
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Owned(b.to_string())),
        _ => None,
    }
}

/// Evidence text `field = value`, the value shortened to `MAX_RAW` characters.
pub fn raw(path: &str, v: &Value) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len() + 32);
    out.push_str(path);
    out.push_str(" = ");
    let start = out.len();
    // Only what can be shown is written (a value may hold megabytes); a
    // write past it fails, which ends the writing.
    let mut shown = Shown {
        out: &mut out,
        room: SHOWN_BYTES,
    };
    let _ = match v {
        // Debug-quoting a text of printable ASCII without quotes or
        // backslashes changes nothing but the quotes around it (only the
        // bytes that can be shown are looked at).
        Value::String(s)
            if s.bytes()
                .take(SHOWN_BYTES)
                .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\') =>
        {
            shown
                .write_char('"')
                .and_then(|()| shown.write_str(s))
                .and_then(|()| shown.write_char('"'))
        }
        Value::String(s) => write!(shown, "{s:?}"),
        // As serde_json writes them, without its formatter.
        Value::Bool(b) => shown.write_str(if *b { "true" } else { "false" }),
        Value::Null => shown.write_str("null"),
        other => write!(shown, "{other}"),
    };
    // More bytes than MAX_RAW may still be few enough characters.
    if out.len() - start > MAX_RAW {
        let cut = out
            .get(start..)
            .and_then(|shown| shown.char_indices().nth(MAX_RAW))
            .map(|(i, _)| start + i);
        if let Some(cut) = cut {
            out.truncate(cut);
            out.push('…');
        }
    }
    out
}

/// Bytes of a value [`raw`] writes at most: enough for `MAX_RAW`
/// characters and one more (which says the value was shortened), at up to
/// four bytes each.
const SHOWN_BYTES: usize = 4 * (MAX_RAW + 1);

/// Appends to `out` until `room` bytes were appended (at a character
/// boundary), then fails.
struct Shown<'a> {
    out: &'a mut String,
    room: usize,
}

impl std::fmt::Write for Shown<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if s.len() <= self.room {
            self.out.push_str(s);
            self.room -= s.len();
            return Ok(());
        }
        let fits = (0..=self.room)
            .rev()
            .find(|&i| s.is_char_boundary(i))
            .unwrap_or(0);
        self.out.push_str(&s[..fits]);
        self.room = 0;
        Err(std::fmt::Error)
    }
}

/// Which identifier slot a value goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The MDM's device id.
    DeviceId,
    /// Device name (also the device's display name).
    DeviceName,
    /// User name / UPN.
    User,
    /// E-mail address.
    Email,
    /// Serial number.
    Serial,
    /// IMEI.
    Imei,
    /// Phone number.
    Phone,
    /// UDID.
    Udid,
}

/// How an identifier slot's values are normalized.
fn id_kind(slot: Slot) -> IdKind {
    match slot {
        Slot::User | Slot::Email => IdKind::User,
        Slot::DeviceId | Slot::Serial => IdKind::DeviceId,
        Slot::Udid => IdKind::Udid,
        Slot::Imei | Slot::Phone => IdKind::Number,
        Slot::DeviceName => IdKind::Name,
    }
}

/// Which tri-state fact a boolean goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// `passcode`.
    Passcode,
    /// `passcode_compliant`.
    PasscodeCompliant,
    /// `encryption`.
    Encryption,
    /// `managed`.
    Managed,
    /// `supervised`.
    Supervised,
    /// `compromised`.
    Compromised,
    /// `cloud_backup`.
    CloudBackup,
    /// `lost_mode`.
    LostMode,
    /// `user_enrollment`.
    UserEnrollment,
}

/// Builds one [`Device`] from a record.
#[derive(Debug)]
pub struct Builder<'a> {
    /// The device being built.
    pub d: Device,
    /// The record read.
    pub rec: Rec<'a>,
    pn: &'a Pseudonymizer,
    /// The last identifier pseudonymized from the record (kind, clear value)
    /// and the slot its pseudonym went to: a UPN repeated as the e-mail
    /// address is hashed once (its pseudonym copied from that slot).
    last: Option<(IdKind, &'a str, Slot)>,
}

impl<'a> Builder<'a> {
    /// Starts a device for record `record` (e.g. `record 3`) read as `value`
    /// (a [`Value`] or a [`Record`]).
    pub fn new(record: String, value: impl Into<Rec<'a>>, pn: &'a Pseudonymizer) -> Self {
        Builder {
            d: Device {
                record,
                ..Device::default()
            },
            rec: value.into(),
            pn,
            last: None,
        }
    }

    /// Starts a device for record `record`, its identifiers pseudonymized
    /// with `ctx`'s key.
    pub fn of(record: String, value: impl Into<Rec<'a>>, ctx: &'a Ctx) -> Self {
        Builder::new(record, value, &ctx.pn)
    }

    /// Evidence `path = value` ([`raw`]).
    pub fn evidence(&self, path: &str, v: &Value) -> Option<String> {
        Some(raw(path, v))
    }

    /// Sets an identifier from the first present path (pseudonymized unless revealed).
    pub fn ident(&mut self, slot: Slot, paths: &[&str]) {
        match self.rec.text_ref(paths) {
            Some((_, Cow::Borrowed(v))) => {
                let kind = id_kind(slot);
                let cached = match self.last {
                    Some((k, clear, from)) if k == kind && clear == v => {
                        self.ident_in(from).cloned()
                    }
                    _ => None,
                };
                // The pseudonym of a value is always the same: a cached one
                // is the one `apply` would give.
                if let Some(p) = cached.or_else(|| self.pn.apply(kind, v)) {
                    if self.set_ident(slot, p) {
                        self.last = Some((kind, v, slot));
                    }
                }
            }
            Some((_, Cow::Owned(v))) => self.ident_value(slot, &v),
            None => {}
        }
    }

    /// Sets an identifier from a value (pseudonymized unless revealed); an
    /// already set slot is kept.
    pub fn ident_value(&mut self, slot: Slot, value: &str) {
        if let Some(p) = self.pn.apply(id_kind(slot), value) {
            let _ = self.set_ident(slot, p);
        }
    }

    /// The pseudonym in `slot`, if set.
    fn ident_in(&self, slot: Slot) -> Option<&String> {
        let ids = &self.d.identifiers;
        match slot {
            Slot::DeviceId => ids.device_id.as_ref(),
            Slot::DeviceName => ids.device_name.as_ref(),
            Slot::User => ids.user.as_ref(),
            Slot::Email => ids.email.as_ref(),
            Slot::Serial => ids.serial.as_ref(),
            Slot::Imei => ids.imei.as_ref(),
            Slot::Phone => ids.phone.as_ref(),
            Slot::Udid => ids.udid.as_ref(),
        }
    }

    /// Puts pseudonym `p` into `slot` (an already set slot is kept);
    /// whether it went there.
    fn set_ident(&mut self, slot: Slot, p: String) -> bool {
        let name = slot == Slot::DeviceName && self.d.name.is_none();
        let ids = &mut self.d.identifiers;
        let target = match slot {
            Slot::DeviceId => &mut ids.device_id,
            Slot::DeviceName => &mut ids.device_name,
            Slot::User => &mut ids.user,
            Slot::Email => &mut ids.email,
            Slot::Serial => &mut ids.serial,
            Slot::Imei => &mut ids.imei,
            Slot::Phone => &mut ids.phone,
            Slot::Udid => &mut ids.udid,
        };
        if target.is_some() {
            if name {
                self.d.name = Some(p);
            }
            return false;
        }
        if name {
            self.d.name = Some(p.clone());
        }
        *target = Some(p);
        true
    }

    /// Sets the platform from the first present path (normalized, see [`platform_word`]).
    pub fn platform(&mut self, paths: &[&str]) {
        if let Some((_, v)) = self.rec.text_ref(paths) {
            self.d.platform = Some(platform_word(&v));
        }
    }

    /// Sets the OS version (and build / RSR suffix found in it).
    pub fn os_version(&mut self, paths: &[&str]) {
        if let Some((p, v)) = self.rec.first(paths) {
            self.d.raw.os_version = self.evidence(p, v);
            if let Some(text) = scalar_text(v) {
                let s = split_version(&text);
                self.d.os_version = s.version;
                self.d.os_build = self.d.os_build.take().or(s.build);
                self.d.os_rsr_suffix = self.d.os_rsr_suffix.take().or(s.rsr);
            }
        }
    }

    /// Sets the OS build.
    pub fn os_build(&mut self, paths: &[&str]) {
        if let Some((_, v)) = self.rec.text(paths) {
            self.d.os_build = Some(v);
        }
    }

    /// Sets the RSR suffix (`(a)`).
    pub fn rsr(&mut self, paths: &[&str]) {
        if let Some((_, v)) = self.rec.text(paths) {
            self.d.os_rsr_suffix = Some(v);
        }
    }

    /// Sets the Android security patch level (normalized to `YYYY-MM-DD`);
    /// an unreadable value is left unset but cited in `raw`.
    pub fn patch(&mut self, paths: &[&str]) {
        if let Some((p, v)) = self.rec.first(paths) {
            self.d.raw.security_patch_level = self.evidence(p, v);
            self.d.security_patch_level = scalar_text_ref(v)
                .as_deref()
                .and_then(patch_level)
                .map(|d| d.to_string());
        }
    }

    /// Sets the model.
    pub fn model(&mut self, paths: &[&str]) {
        if let Some((_, v)) = self.rec.text(paths) {
            self.d.model = Some(v);
        }
    }

    /// Sets a tri-state fact from the first present path (lenient boolean).
    /// Returns whether the field was present.
    pub fn flag(&mut self, flag: Flag, paths: &[&str]) -> bool {
        match self.rec.first(paths) {
            Some((p, v)) => {
                self.set_flag(flag, lenient_bool(v), self.evidence(p, v));
                true
            }
            None => false,
        }
    }

    /// Sets a tri-state fact to `value`, citing `evidence`.
    pub fn set_flag(&mut self, flag: Flag, value: Option<bool>, evidence: Option<String>) {
        let d = &mut self.d;
        let (slot, raw_slot) = match flag {
            Flag::Passcode => (&mut d.passcode, Some(&mut d.raw.passcode)),
            Flag::PasscodeCompliant => (&mut d.passcode_compliant, None),
            Flag::Encryption => (&mut d.encryption, Some(&mut d.raw.encryption)),
            Flag::Managed => (&mut d.managed, Some(&mut d.raw.managed)),
            Flag::Supervised => (&mut d.supervised, None),
            Flag::Compromised => (&mut d.compromised, Some(&mut d.raw.compromised)),
            Flag::CloudBackup => (&mut d.cloud_backup, Some(&mut d.raw.cloud_backup)),
            Flag::LostMode => (&mut d.lost_mode, None),
            Flag::UserEnrollment => (&mut d.user_enrollment, None),
        };
        *slot = value;
        if let Some(r) = raw_slot {
            *r = evidence;
        }
    }

    /// Sets the last check-in from the first path holding a readable timestamp.
    pub fn check_in(&mut self, paths: &[&str]) {
        for p in paths {
            if let Some(v) = self.rec.get(p) {
                if let Some(t) = lenient_timestamp(v) {
                    self.d.last_check_in = Some(rfc3339(&t));
                    self.d.raw.last_check_in = Some(raw(p, v));
                    return;
                }
                self.d.raw.last_check_in.get_or_insert_with(|| raw(p, v));
            }
        }
    }

    /// Sets the enrollment time from the first path holding a readable timestamp.
    pub fn enrolled(&mut self, paths: &[&str]) {
        self.d.enrolled_at = paths
            .iter()
            .find_map(|p| self.rec.get(p).and_then(lenient_timestamp))
            .map(|t| rfc3339(&t));
    }

    /// Sets the ownership (`corporate`/`personal`) from the first present path.
    pub fn ownership(&mut self, paths: &[&str]) {
        if let Some((p, v)) = self.rec.first(paths) {
            self.d.raw.ownership = self.evidence(p, v);
            self.d.ownership = scalar_text_ref(v).as_deref().and_then(ownership_word);
        }
    }

    /// Sets the vendor compliance state (as exported).
    pub fn compliance(&mut self, paths: &[&str]) {
        if let Some((_, v)) = self.rec.text(paths) {
            self.d.compliance_state = Some(v);
        }
    }

    /// Finishes the device: tells iPadOS from iOS by the model.
    pub fn finish(mut self) -> Device {
        if self.d.platform.as_deref() == Some("ios")
            && self
                .d
                .model
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().starts_with("ipad"))
        {
            self.d.platform = Some("ipados".into());
        }
        self.d
    }
}

/// Normalizes an exported platform word: `iOS`/`iPhone` → `ios`, `iPadOS`/`iPad`
/// → `ipados`, `Android*` → `android`, `Apple` (Workspace ONE) → `ios`,
/// `WinRT`/`Windows*` → `windows`, `macOS`/`Mac OS X` → `macos`; others lowercased.
pub fn platform_word(s: &str) -> String {
    with_ascii_lowercase(s.trim(), platform_of_lowercase)
}

/// [`platform_word`] of a trimmed, lower-cased word.
fn platform_of_lowercase(l: &str) -> String {
    if l.starts_with("ipados") || l.starts_with("ipad") {
        "ipados".into()
    } else if l.starts_with("ios") || l.starts_with("iphone") || l == "apple" {
        "ios".into()
    } else if l.starts_with("android") || l == "aosp" {
        "android".into()
    } else if l.starts_with("win") {
        "windows".into()
    } else if l.starts_with("mac") || l == "osx" || l == "apple macos" {
        "macos".into()
    } else {
        l.to_string()
    }
}

/// Maps ownership words of all formats to `corporate`/`personal`;
/// `unknown`, `Undefined` and unmapped words → `None`.
pub fn ownership_word(s: &str) -> Option<String> {
    with_ascii_lowercase(s.trim(), ownership_of_lowercase).map(String::from)
}

/// [`ownership_word`] of a trimmed, lower-cased word.
fn ownership_of_lowercase(l: &str) -> Option<&'static str> {
    let v = match l {
        "company"
        | "corporate"
        | "c"
        | "company_owned"
        | "institutional"
        | "corporate-dedicated"
        | "corporate-shared"
        | "s"
        | "shared"
        | "firma"
        | "unternehmen"
        | "dienstlich" => "corporate",
        "personal" | "personally_owned" | "e" | "employee" | "employee owned" | "byod"
        | "user enrollment" | "privat" | "persönlich" => "personal",
        _ => return None,
    };
    Some(v)
}

/// The top-level keys records were asked for on this thread (tests only):
/// an adapter that reads only some keys of its records checks with it that
/// it names every key it looks up.
#[cfg(test)]
pub mod looked_up {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    thread_local! {
        static KEYS: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    }

    /// Notes that `key` was looked up.
    pub(super) fn note(key: &str) {
        KEYS.with(|k| {
            if !k.borrow().contains(key) {
                k.borrow_mut().insert(key.to_string());
            }
        });
    }

    /// The keys looked up on this thread since the last call.
    pub fn take() -> BTreeSet<String> {
        KEYS.with(|k| std::mem::take(&mut *k.borrow_mut()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn trim_is_strs_trim() {
        for s in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\tab\n",
            "\u{a0}x\u{a0}",
            "x\u{2003}",
            "\u{85}y",
            "é",
            "über ",
            "a b",
            "\u{3000}",
            "~",
            "!x!",
        ] {
            assert_eq!(trim(s), s.trim(), "{s:?}");
        }
    }

    #[test]
    fn a_long_raw_value_keeps_only_the_room_it_shows() {
        // A device keeps its raw values as evidence: a value of megabytes,
        // shortened to MAX_RAW characters, must not keep its megabytes.
        let shown = raw("model", &json!("x".repeat(1 << 20)));
        assert_eq!(shown.chars().count(), "model = ".len() + MAX_RAW + 1);
        assert!(shown.ends_with('…'));
        assert!(shown.capacity() < 1_000, "{}", shown.capacity());
    }

    #[test]
    fn raw_quotes_as_debug_does() {
        for s in [
            "plain text 1.2",
            "it's",
            "say \"hi\"",
            "back\\slash",
            "tab\there",
            "nl\n",
            "ümlaut",
            "\u{7f}del",
            "\u{1b}esc",
            "",
            " ",
        ] {
            assert_eq!(raw("k", &json!(s)), format!("k = {s:?}"), "{s:?}");
        }
        // Other values as serde_json writes them.
        for v in [
            json!(true),
            json!(false),
            Value::Null,
            json!(-1.5),
            json!([1, "a"]),
        ] {
            assert_eq!(raw("k", &v), format!("k = {v}"), "{v}");
        }
    }

    #[test]
    fn lookups_in_large_and_small_records_agree() {
        let mut big = serde_json::Map::new();
        for i in 0..(INDEXED_KEYS + 5) {
            big.insert(format!("k{i}"), json!(i));
        }
        big.insert("o".into(), json!({"p": {"q": "deep"}}));
        big.insert("z".into(), Value::Null);
        let big = Value::Object(big);
        let small = json!({"k3": 3, "o": {"p": {"q": "deep"}}, "z": null});
        for v in [&big, &small] {
            let r = Rec::new(v);
            assert_eq!(r.get("k3"), Some(&json!(3)));
            assert_eq!(r.get("o.p.q"), Some(&json!("deep")));
            assert_eq!(r.get("o.p"), Some(&json!({"q": "deep"})));
            assert!(r.get("z").is_none());
            assert!(r.get("o.x").is_none());
            assert!(r.get("k3.x").is_none());
            assert!(r.get("missing").is_none());
        }
        assert!(Rec::new(&json!([1])).get("0").is_none());
    }

    /// Lookups through the slots find what searching the entries finds,
    /// for keys that share a slot and keys the record lacks.
    #[test]
    fn slotted_lookups_find_what_a_search_finds() {
        let keys: Vec<String> = super::super::intune::GRAPH_KEYS
            .iter()
            .map(|k| k.to_string())
            .chain((0..40).map(|i| format!("k{i}")))
            .chain(["a", "aa", "ab", "ba", "", "é", "aé"].map(String::from))
            .collect();
        let object: serde_json::Map<String, Value> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(i, k)| (k.clone(), json!(i)))
            .collect();
        let value = Value::Object(object.clone());
        let kept: Vec<(&'static str, Value)> = object
            .iter()
            .map(|(k, v)| (&*Box::leak(k.clone().into_boxed_str()), v.clone()))
            .collect();
        let record = Record::Kept(kept);
        for rec in [Rec::new(&value), Rec::from(&record)] {
            for key in keys.iter().map(String::as_str).chain(["zz", "k99", "id2"]) {
                assert_eq!(rec.raw(key), object.get(key), "{key:?}");
            }
        }
    }

    #[test]
    fn paths_blank_and_flags() {
        let v = json!({"a": {"b": " 14 "}, "e": "", "j": "Unknown", "n": null});
        let pn = Pseudonymizer::new(None, false);
        let mut b = Builder::new("record 1".into(), &v, &pn);
        assert_eq!(
            b.rec.text(&["e", "a.b"]).map(|x| x.1).as_deref(),
            Some("14")
        );
        assert!(b.rec.get("n").is_none());
        assert!(b.flag(Flag::Compromised, &["n", "j"]));
        assert_eq!(b.d.compromised, None);
        assert_eq!(b.d.raw.compromised.as_deref(), Some("j = \"Unknown\""));
        assert!(!b.flag(Flag::Passcode, &["missing"]));
    }

    #[test]
    fn words() {
        assert_eq!(platform_word("Apple"), "ios");
        assert_eq!(platform_word("AndroidForWork"), "android");
        assert_eq!(platform_word("WinRT"), "windows");
        assert_eq!(ownership_word("C").as_deref(), Some("corporate"));
        assert_eq!(
            ownership_word("PERSONALLY_OWNED").as_deref(),
            Some("personal")
        );
        assert_eq!(ownership_word("Undefined"), None);
    }
}
