//! OS support knowledge: which iOS/iPadOS and Android majors still receive
//! security updates, the newest known releases, and the derivation of a
//! device's [`OsSupport`] at the audit date.
//!
//! The built-in data is `checks/os-support.toml`; `--os-data FILE` replaces it.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};

use super::dates::{compare_versions, iso_date, major, patch_level};
use super::InventoryError;
use crate::extract::file_problem::FileProblem;
use crate::facts::OsSupport;

/// The built-in OS support data.
pub const BUILTIN: &str = include_str!("../../../checks/os-support.toml");

/// Largest OS data file read (bytes).
const MAX_FILE: u64 = 4 << 20;

/// The OS support data file.
///
/// Only [`OsData::fleet_patch_level`] changes after the data is read (the
/// memo of [`OsData::assess_shared`] keys on it; the other fields are the
/// file's).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OsData {
    /// Date the file was compiled.
    pub as_of: NaiveDate,
    /// Newest date the facts were confirmed for (defaults to `as_of`).
    #[serde(default)]
    pub facts_as_of: Option<NaiveDate>,
    /// After this many days past `facts_as_of`, "still supported" becomes unknown.
    #[serde(default)]
    pub stale_after_days: Option<i64>,
    /// Android data.
    #[serde(default)]
    pub android: Option<AndroidData>,
    /// iOS data.
    #[serde(default)]
    pub ios: Option<AppleData>,
    /// iPadOS data (falls back to iOS for majors not listed).
    #[serde(default)]
    pub ipados: Option<AppleData>,
    /// The newest Android security patch level the scanned fleet reports
    /// (not after the audit date; never read from the file): when newer than
    /// `android.latest_patch_level`, it is the newest known level
    /// ([`OsData::newest_patch_level`]).
    #[serde(skip)]
    pub fleet_patch_level: Option<NaiveDate>,
    /// Tells this data's results apart from those of any other in the
    /// memo of [`OsData::assess_shared`] (never the same for two values).
    #[serde(skip, default = "next_memo_id")]
    memo_id: u64,
}

impl Clone for OsData {
    /// A copy with a memo of its own (a copy may be changed; the original's
    /// results must not be taken for it).
    fn clone(&self) -> OsData {
        OsData {
            as_of: self.as_of,
            facts_as_of: self.facts_as_of,
            stale_after_days: self.stale_after_days,
            android: self.android.clone(),
            ios: self.ios.clone(),
            ipados: self.ipados.clone(),
            fleet_patch_level: self.fleet_patch_level,
            memo_id: next_memo_id(),
        }
    }
}

/// A number no [`OsData`] had before.
fn next_memo_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Slots of the per-thread memo of [`OsData::assess_shared`] (a fleet has
/// some dozens to a few hundred distinct platform, version and patch
/// combinations).
const MEMO_SLOTS: usize = 256;

/// What an [`OsData::assess`] result was made from: everything it reads
/// (the data by its number, and the one field of it that changes).
#[derive(Debug)]
struct MemoKey {
    data: u64,
    fleet_patch_level: Option<NaiveDate>,
    as_of: NaiveDate,
    platform: Option<String>,
    version: Option<String>,
    patch: Option<NaiveDate>,
}

impl MemoKey {
    /// Whether this is the key of these inputs (compared without copying them).
    fn is(
        &self,
        data: u64,
        fleet_patch_level: Option<NaiveDate>,
        as_of: NaiveDate,
        platform: Option<&str>,
        version: Option<&str>,
        patch: Option<NaiveDate>,
    ) -> bool {
        self.data == data
            && self.fleet_patch_level == fleet_patch_level
            && self.as_of == as_of
            && self.platform.as_deref() == platform
            && self.version.as_deref() == version
            && self.patch == patch
    }
}

/// A memo slot: the key and the shared result.
type MemoSlot = Option<(MemoKey, Arc<OsSupport>)>;

thread_local! {
    /// The results [`OsData::assess_shared`] made on this thread, by a hash
    /// of the device's platform, version and patch level (one per slot, the
    /// last one made).
    static MEMO: std::cell::RefCell<Vec<MemoSlot>> =
        std::cell::RefCell::new(std::iter::repeat_with(|| None).take(MEMO_SLOTS).collect());
}

/// Where the newest known Android security patch level comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchLevelSource {
    /// `android.latest_patch_level` of the OS support data.
    OsData,
    /// A device of the scanned fleet reports it, newer than the data's.
    Fleet,
}

impl PatchLevelSource {
    /// The name in the facts (`os_support.latest_patch_level_source`).
    pub fn name(self) -> &'static str {
        match self {
            PatchLevelSource::OsData => "os-data",
            PatchLevelSource::Fleet => "fleet",
        }
    }
}

/// Android section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidData {
    /// Newest published security patch level (`YYYY-MM-DD`).
    #[serde(default)]
    pub latest_patch_level: Option<String>,
    /// Free text on the bulletin cadence.
    #[serde(default)]
    pub cadence: Option<String>,
    /// Majors.
    #[serde(default)]
    pub versions: Vec<MajorEntry>,
}

/// iOS / iPadOS section.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppleData {
    /// Majors.
    #[serde(default)]
    pub versions: Vec<MajorEntry>,
}

/// The words of `security_updates`.
const UPDATE_STATUSES: &[&str] = &["yes", "no", "unknown"];

/// A `security_updates` word (serde's error, an unknown variant, names the
/// value's place).
fn update_status<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let word = String::deserialize(d)?;
    match UPDATE_STATUSES.contains(&word.as_str()) {
        true => Ok(word),
        false => Err(D::Error::unknown_variant(&word, UPDATE_STATUSES)),
    }
}

/// One major OS version.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MajorEntry {
    /// Major version, e.g. `"17"`.
    pub major: String,
    /// Release date.
    #[serde(default)]
    pub released: Option<String>,
    /// `yes`, `no` or `unknown`.
    #[serde(deserialize_with = "update_status")]
    pub security_updates: String,
    /// Last day with security updates, if known.
    #[serde(default)]
    pub security_updates_until: Option<NaiveDate>,
    /// Newest security release of this major (Apple).
    #[serde(default)]
    pub latest_version: Option<String>,
    /// When `latest_version` shipped (`YYYY-MM` or `YYYY-MM-DD`).
    #[serde(default)]
    pub latest_release: Option<String>,
    /// What a report says about this major (English), e.g. `back-ports for
    /// iPhone 8/X only`.
    #[serde(default)]
    pub note: Option<String>,
    /// `note` in German (German reports show it instead).
    #[serde(default)]
    pub note_de: Option<String>,
    /// Where the facts come from and how sure they are (e.g. `U: recollection`);
    /// kept in the data file for its maintainers, never shown in a report.
    #[serde(default)]
    pub provenance: Option<String>,
}

impl OsData {
    /// The built-in data.
    pub fn builtin() -> Result<Self, InventoryError> {
        Self::parse(BUILTIN, "built-in checks/os-support.toml")
    }

    /// Reads a user-supplied data file.
    pub fn load(path: &Path) -> Result<Self, InventoryError> {
        let name = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| InventoryError::OsData {
            file: name.clone(),
            reason: e.to_string(),
        })?;
        if meta.len() > MAX_FILE {
            return Err(InventoryError::OsData {
                file: name,
                reason: format!("{} bytes, more than the limit of {MAX_FILE}", meta.len()),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| InventoryError::OsData {
            file: name.clone(),
            reason: e.to_string(),
        })?;
        Self::parse(&text, &name)
    }

    /// Parses the TOML text of a data file.
    pub fn parse(text: &str, name: &str) -> Result<Self, InventoryError> {
        let data: OsData = toml::from_str(text).map_err(|e| InventoryError::OsDataToml {
            file: name.to_string(),
            problem: Box::new(FileProblem::from_toml(text, &e)),
        })?;
        Ok(data)
    }

    /// The date the facts were confirmed for: `facts_as_of`, else `as_of`.
    pub fn facts_date(&self) -> NaiveDate {
        self.facts_as_of.unwrap_or(self.as_of)
    }

    /// Whether the data is too old for an audit on `as_of`: more than
    /// `stale_after_days` after [`OsData::facts_date`]. Then "still
    /// supported" entries without an end date are reported as unknown.
    pub fn is_stale(&self, as_of: NaiveDate) -> bool {
        self.stale_after_days
            .is_some_and(|n| (as_of - self.facts_date()).num_days() > n)
    }

    /// The newest known Android security patch level and where it comes
    /// from: the fleet's newest level ([`OsData::fleet_patch_level`]) when it
    /// is newer than the data's `latest_patch_level`, else the data's.
    pub fn newest_patch_level(&self) -> Option<(NaiveDate, PatchLevelSource)> {
        let data = self
            .android
            .as_ref()
            .and_then(|a| a.latest_patch_level.as_deref())
            .and_then(patch_level);
        match (data, self.fleet_patch_level) {
            (d, Some(f)) if d.is_none_or(|d| f > d) => Some((f, PatchLevelSource::Fleet)),
            (Some(d), _) => Some((d, PatchLevelSource::OsData)),
            (None, _) => None,
        }
    }

    fn entry(&self, platform: &str, major: &str) -> Option<&MajorEntry> {
        fn find<'d>(v: &'d Option<AppleData>, major: &str) -> Option<&'d MajorEntry> {
            v.as_ref()
                .and_then(|d| d.versions.iter().find(|e| e.major == major))
        }
        match platform {
            "android" => self
                .android
                .as_ref()
                .and_then(|d| d.versions.iter().find(|e| e.major == major)),
            "ios" => find(&self.ios, major),
            "ipados" => find(&self.ipados, major).or_else(|| find(&self.ios, major)),
            _ => None,
        }
    }

    /// The oldest numeric major listed for a platform (iPadOS: with iOS).
    fn oldest_major(&self, platform: &str) -> Option<u64> {
        let lists: Vec<&Vec<MajorEntry>> = match platform {
            "android" => self.android.iter().map(|a| &a.versions).collect(),
            "ios" => self.ios.iter().map(|a| &a.versions).collect(),
            "ipados" => self
                .ios
                .iter()
                .chain(self.ipados.iter())
                .map(|a| &a.versions)
                .collect(),
            _ => Vec::new(),
        };
        lists
            .into_iter()
            .flatten()
            .filter_map(|e| e.major.parse::<u64>().ok())
            .min()
    }

    /// [`OsData::assess`], shared: the devices of a fleet that have the
    /// same platform, version and patch level get one result (the same
    /// texts), made once per thread and kept in a memo under everything it
    /// was made from (this data, the fleet's patch level it holds, the
    /// audit date and the device's values).
    pub fn assess_shared(
        &self,
        platform: Option<&str>,
        version: Option<&str>,
        patch: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> Arc<OsSupport> {
        use std::hash::BuildHasher;
        let fleet = self.fleet_patch_level;
        let hash = foldhash::fast::FixedState::with_seed(0).hash_one((platform, version, patch));
        let slot = (hash as usize) % MEMO_SLOTS;
        let found = MEMO.with_borrow(|memo| match &memo[slot] {
            Some((key, support))
                if key.is(self.memo_id, fleet, as_of, platform, version, patch) =>
            {
                Some(Arc::clone(support))
            }
            _ => None,
        });
        if let Some(support) = found {
            return support;
        }
        let support = Arc::new(self.assess(platform, version, patch, as_of));
        let key = MemoKey {
            data: self.memo_id,
            fleet_patch_level: fleet,
            as_of,
            platform: platform.map(str::to_string),
            version: version.map(str::to_string),
            patch,
        };
        MEMO.with_borrow_mut(|memo| memo[slot] = Some((key, Arc::clone(&support))));
        support
    }

    /// The support status of `platform` `version` (with Android `patch`) at `as_of`.
    pub fn assess(
        &self,
        platform: Option<&str>,
        version: Option<&str>,
        patch: Option<NaiveDate>,
        as_of: NaiveDate,
    ) -> OsSupport {
        let mut out = OsSupport {
            data_as_of: Some(iso_date(self.facts_date())),
            ..OsSupport::default()
        };
        let Some(platform) = platform else {
            out.note = Some("the export does not name the platform".into());
            out.note_de = Some("der Export nennt die Plattform nicht".into());
            return out;
        };
        let Some(version) = version else {
            out.note = Some("the export does not give the OS version".into());
            out.note_de = Some("der Export nennt die Betriebssystem-Version nicht".into());
            return out;
        };
        let Some(maj) = major(version) else {
            out.note = Some("the OS version is not a number".into());
            out.note_de = Some("die Betriebssystem-Version ist keine Zahl".into());
            return out;
        };
        let Some(entry) = self.entry(platform, &maj) else {
            let name = crate::facts::platform_name(platform);
            if self
                .oldest_major(platform)
                .is_some_and(|oldest| maj.parse::<u64>().is_ok_and(|m| m < oldest))
            {
                out.supported = Some(false);
                out.note = Some(format!(
                    "{name} {maj} is older than every version in the OS support data: long out of security support"
                ));
                out.note_de = Some(format!(
                    "{name} {maj} ist älter als jede Version der Daten zur OS-Unterstützung: seit Langem ohne Sicherheitsupdates"
                ));
                return out;
            }
            out.note = Some(format!(
                "{name} {maj} is not in the OS support data (newer than the data, or not a mobile OS it covers)"
            ));
            out.note_de = Some(format!(
                "{name} {maj} steht nicht in den Daten zur OS-Unterstützung (neuer als die Daten oder kein mobiles Betriebssystem, das sie abdecken)"
            ));
            return out;
        };
        out.known = true;
        out.latest_version = entry.latest_version.clone();
        out.security_updates_until = entry.security_updates_until.map(iso_date);
        let facts_date = self.facts_date();
        let stale = self.is_stale(as_of);
        out.supported = match (
            entry.security_updates.as_str(),
            entry.security_updates_until,
        ) {
            (_, Some(until)) if as_of > until => Some(false),
            (_, Some(_)) if !stale => Some(true),
            ("no", _) => Some(false),
            ("yes", _) if !stale => Some(true),
            _ => None,
        };
        out.note = entry.note.clone();
        out.note_de = entry.note_de.clone().or_else(|| entry.note.clone());
        if stale && out.supported.is_none() {
            let days = self.stale_after_days.unwrap_or_default();
            out.note = Some(format!(
                "the OS support data was confirmed on {facts_date}, more than {days} days before the audit date: update it (--os-data)"
            ));
            out.note_de = Some(format!(
                "die Daten zur OS-Unterstützung sind auf dem Stand vom {facts_date}, mehr als {days} Tage vor dem Prüfdatum: bitte aktualisieren (--os-data)"
            ));
        }
        out.up_to_date = match platform {
            "android" => {
                let latest = self.newest_patch_level();
                if let Some((level, source)) = latest {
                    out.latest_patch_level = Some(iso_date(level));
                    out.latest_patch_level_source = Some(source.name().to_string());
                }
                match (patch, latest) {
                    (Some(p), Some((l, _))) => Some(p >= l),
                    _ => None,
                }
            }
            _ => entry
                .latest_version
                .as_deref()
                .and_then(|latest| compare_versions(version, latest))
                .map(|o| o != std::cmp::Ordering::Less),
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn builtin_parses_and_decides() {
        let d = OsData::builtin().unwrap();
        let s = d.assess(Some("ios"), Some("18.7.9"), None, day("2026-11-23"));
        assert!(s.known);
        assert_eq!(s.supported, Some(true));
        assert_eq!(s.up_to_date, Some(true));
        let s = d.assess(Some("ios"), Some("18.6.2"), None, day("2026-11-23"));
        assert_eq!(s.up_to_date, Some(false));
        let s = d.assess(Some("ios"), Some("17.7.10"), None, day("2026-11-23"));
        assert_eq!(s.supported, Some(false));
        let s = d.assess(Some("ipados"), Some("17.7.11"), None, day("2026-11-23"));
        assert_eq!(s.supported, Some(true));
        let s = d.assess(Some("android"), Some("13"), None, day("2026-11-23"));
        assert_eq!(s.supported, Some(false));
        // Before the end date Android 13 was still supported.
        let s = d.assess(Some("android"), Some("13"), None, day("2026-01-15"));
        assert_eq!(s.supported, Some(true));
        let s = d.assess(Some("ios"), Some("10.3.2"), None, day("2026-11-23"));
        assert!(!s.known);
        assert_eq!(s.supported, Some(false));
        let s = d.assess(Some("android"), Some("27"), None, day("2026-11-23"));
        assert!(!s.known);
        assert_eq!(s.supported, None);
        // Stale data: "yes" becomes unknown.
        let s = d.assess(Some("android"), Some("16"), None, day("2027-06-01"));
        assert_eq!(s.supported, None);
    }

    #[test]
    fn fleet_patch_level_is_the_floor_only_when_newer() {
        let mut d = OsData::builtin().unwrap();
        let audit = day("2026-11-23");
        let s = d.assess(Some("android"), Some("16"), Some(day("2026-07-01")), audit);
        assert_eq!(s.up_to_date, Some(true));
        assert_eq!(s.latest_patch_level.as_deref(), Some("2026-06-05"));
        assert_eq!(s.latest_patch_level_source.as_deref(), Some("os-data"));
        d.fleet_patch_level = Some(day("2026-11-01"));
        let s = d.assess(Some("android"), Some("16"), Some(day("2026-07-01")), audit);
        assert_eq!(s.up_to_date, Some(false));
        assert_eq!(s.latest_patch_level.as_deref(), Some("2026-11-01"));
        assert_eq!(s.latest_patch_level_source.as_deref(), Some("fleet"));
        let s = d.assess(Some("android"), Some("16"), Some(day("2026-11-01")), audit);
        assert_eq!(s.up_to_date, Some(true));
        // Older than the data's level: the data's stays the newest known.
        d.fleet_patch_level = Some(day("2026-05-01"));
        let s = d.assess(Some("android"), Some("16"), Some(day("2026-05-01")), audit);
        assert_eq!(s.up_to_date, Some(false));
        assert_eq!(s.latest_patch_level_source.as_deref(), Some("os-data"));
        // Apple devices have no patch level.
        let s = d.assess(Some("ios"), Some("18.7.9"), None, audit);
        assert_eq!(s.latest_patch_level, None);
    }

    /// The shared result is the one `assess` makes, for every input it
    /// depends on: the device's values, the audit date, the fleet's newest
    /// patch level and the data itself (another data file, or a changed copy,
    /// never gets this one's remembered result).
    #[test]
    fn shared_results_are_those_of_assess_whatever_changed() {
        let mut d = OsData::builtin().unwrap();
        let audits = [day("2026-11-23"), day("2027-09-01")];
        let devices: [(Option<&str>, Option<&str>, Option<NaiveDate>); 8] = [
            (Some("android"), Some("16"), Some(day("2026-07-01"))),
            (Some("android"), Some("16"), Some(day("2026-11-01"))),
            (Some("android"), Some("16"), None),
            (Some("ios"), Some("18.7.9"), None),
            (Some("ios"), Some("18.6.2"), None),
            (Some("ipados"), Some("18.6.2"), None),
            (None, Some("18.6.2"), None),
            (Some("ios"), None, None),
        ];
        // Every device twice (the second result comes from the memo), at
        // one audit date: the memo then holds this date's results, which a
        // change made next must not bring back.
        let check = |d: &OsData, audit: NaiveDate| {
            for _ in 0..2 {
                for &(p, v, patch) in &devices {
                    assert_eq!(
                        *d.assess_shared(p, v, patch, audit),
                        d.assess(p, v, patch, audit),
                        "{p:?} {v:?} {patch:?} {audit}"
                    );
                }
            }
        };
        check(&d, audits[0]);
        check(&d, audits[1]);
        // A newer level in the fleet changes the Android results.
        d.fleet_patch_level = Some(day("2026-11-01"));
        check(&d, audits[1]);
        check(&d, audits[0]);
        let shared = d.assess_shared(
            Some("android"),
            Some("16"),
            Some(day("2026-07-01")),
            audits[0],
        );
        assert_eq!(shared.latest_patch_level_source.as_deref(), Some("fleet"));
        // A copy with other data: its own results, not the original's.
        let mut other = d.clone();
        other.ios = None;
        check(&other, audits[0]);
        let s = other.assess_shared(Some("ios"), Some("18.7.9"), None, audits[0]);
        assert!(!s.known);
        let s = d.assess_shared(Some("ios"), Some("18.7.9"), None, audits[0]);
        assert!(s.known);
        // Other data read from a file: the same.
        let stale = OsData::parse(
            "as_of = \"2020-01-01\"\nstale_after_days = 10\n[[ios.versions]]\nmajor = \"18\"\nsecurity_updates = \"yes\"\n",
            "x",
        )
        .unwrap();
        check(&stale, audits[0]);
        let s = stale.assess_shared(Some("ios"), Some("18.7.9"), None, audits[0]);
        assert_eq!(s.supported, None);
    }

    #[test]
    fn rejects_bad_status() {
        let e = OsData::parse(
            "as_of = \"2026-01-01\"\n[[ios.versions]]\nmajor = \"1\"\nsecurity_updates = \"maybe\"\n",
            "x",
        )
        .unwrap_err();
        assert!(e.to_string().contains("security_updates"), "{e}");
    }
}
