//! The status of the OS support data a run's devices were judged with
//! ([`OsDataStatus`]): its source, whether it is stale for the audit date,
//! and the Android patch-level floor the fleet gives.

use std::path::Path;

use chrono::NaiveDate;

use crate::assess::OsDataStatus;
use crate::extract::inventory::dates::patch_level;
use crate::extract::inventory::os_support::OsData;
use crate::facts::Device;

/// What the fleet's devices show beyond their own checks: the newest Android
/// security patch level, and how many devices carry each messenger.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    newest_patch: Option<NaiveDate>,
    messengers: std::collections::BTreeMap<String, usize>,
}

impl Observed {
    /// Notes the patch levels of the Android devices among `devices`. A level
    /// after the audit date `as_of` (`YYYY-MM-DD`) is no evidence of a
    /// published level and is passed over.
    pub fn see_all(&mut self, devices: &[Device], as_of: &str) {
        let audit = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").ok();
        let newest = devices
            .iter()
            .filter(|d| d.platform.as_deref() == Some("android"))
            .filter_map(|d| d.security_patch_level.as_deref().and_then(patch_level))
            .filter(|p| audit.is_none_or(|a| *p <= a))
            .max();
        self.newest_patch = self.newest_patch.max(newest);
        for id in devices
            .iter()
            .filter_map(|d| d.installed_messengers.as_ref())
            .flatten()
        {
            // The id is cloned only for a messenger not seen before.
            match self.messengers.get_mut(id) {
                Some(n) => *n += 1,
                None => {
                    self.messengers.insert(id.clone(), 1);
                }
            }
        }
    }

    /// The newest level seen.
    pub fn newest(&self) -> Option<NaiveDate> {
        self.newest_patch
    }

    /// Devices per messenger id, by id.
    pub fn messengers(&self) -> &std::collections::BTreeMap<String, usize> {
        &self.messengers
    }
}

/// The status of the data in `os_data` (the built-in data when `None`) for
/// an audit on `as_of`, with the fleet's newest Android patch level as the
/// floor when it is newer than the data's. `None` when the data cannot be
/// read (the inventories then report that error themselves).
pub fn status(
    os_data: Option<&Path>,
    as_of: NaiveDate,
    fleet_newest_patch: Option<NaiveDate>,
) -> Option<OsDataStatus> {
    let data = match os_data {
        Some(p) => OsData::load(p).ok()?,
        None => OsData::builtin().ok()?,
    };
    let data_latest = data
        .android
        .as_ref()
        .and_then(|a| a.latest_patch_level.as_deref())
        .and_then(patch_level);
    let floor = fleet_newest_patch.filter(|f| data_latest.is_none_or(|d| f > &d));
    Some(OsDataStatus {
        source: os_data.map_or("built-in".to_string(), |p| p.display().to_string()),
        facts_as_of: data.facts_date().to_string(),
        stale_after_days: data.stale_after_days,
        stale: data.is_stale(as_of),
        latest_android_patch_level: data_latest.map(|d| d.to_string()),
        fleet_android_patch_level: floor.map(|d| d.to_string()),
        android_patch_levels_after_audit_date: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn android(patch: &str) -> Device {
        Device {
            platform: Some("android".into()),
            security_patch_level: Some(patch.into()),
            ..Device::default()
        }
    }

    #[test]
    fn builtin_turns_stale_after_its_window() {
        let fresh = status(None, day("2026-12-13"), None).unwrap();
        assert!(!fresh.stale);
        assert!(fresh.notices("2026-12-13").is_empty());
        let stale = status(None, day("2026-12-14"), None).unwrap();
        assert!(stale.stale);
        assert_eq!(stale.source, "built-in");
        assert_eq!(stale.facts_as_of, "2026-06-16");
        let n = stale.notices("2026-12-14");
        assert_eq!(n.len(), 1);
        assert!(n[0].en.contains("msgaudit os-data import"), "{}", n[0].en);
        assert!(n[0].de.contains("veraltet"), "{}", n[0].de);
    }

    #[test]
    fn fleet_patch_level_is_the_floor_when_newer() {
        let mut seen = Observed::default();
        seen.see_all(
            &[
                android("2026-09-05"),
                android("2026-11-01"),
                // After the audit date: no evidence.
                android("2027-03-01"),
                Device {
                    platform: Some("ios".into()),
                    security_patch_level: Some("2026-11-20".into()),
                    ..Device::default()
                },
            ],
            "2026-11-23",
        );
        assert_eq!(seen.newest(), Some(day("2026-11-01")));
        let s = status(None, day("2026-11-23"), seen.newest()).unwrap();
        assert_eq!(s.latest_android_patch_level.as_deref(), Some("2026-06-05"));
        assert_eq!(s.fleet_android_patch_level.as_deref(), Some("2026-11-01"));
        let n = s.notices("2026-11-23");
        assert_eq!(n.len(), 1);
        assert!(n[0].en.contains("2026-11-01") && n[0].en.contains("2026-06-05"));
        assert!(n[0].de.contains("Sicherheitspatch-Stand 2026-11-01"));
        // Older than the data's level: no floor.
        let s = status(None, day("2026-11-23"), Some(day("2026-05-01"))).unwrap();
        assert_eq!(s.fleet_android_patch_level, None);
    }
}
