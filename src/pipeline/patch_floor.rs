//! The fleet's newest Android security patch level, found while the device
//! exports are read ([`super::exports`]) and before any device is assessed,
//! so that every device is judged against the same newest known level: a level a device reports has been published, and
//! when it is newer than the OS support data's `latest_patch_level` it is the
//! floor of the newest known level (`os_support::OsData::fleet_patch_level`).
//!
//! A level after the audit date cannot have been installed by then (a wrong
//! date or a forged report): it is no evidence, is counted, and the report
//! says so. Memory: one date and one count, whatever the fleet's size.

use chrono::NaiveDate;

use crate::extract::inventory::dates::patch_level;
use crate::facts::Device;

/// What the device exports say about the fleet's Android patch levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PatchFloor {
    as_of: NaiveDate,
    /// The newest level reported, not after the audit date.
    pub newest: Option<NaiveDate>,
    /// Device records whose level is after the audit date (not used).
    pub after_audit_date: usize,
}

impl PatchFloor {
    /// Nothing seen yet, for an audit on `as_of`.
    pub fn new(as_of: NaiveDate) -> PatchFloor {
        PatchFloor {
            as_of,
            newest: None,
            after_audit_date: 0,
        }
    }

    /// Notes `d`'s patch level when it is an Android device.
    pub fn see(&mut self, d: &Device) {
        if d.platform.as_deref() != Some("android") {
            return;
        }
        let Some(level) = d.security_patch_level.as_deref().and_then(patch_level) else {
            return;
        };
        if level > self.as_of {
            self.after_audit_date += 1;
        } else {
            self.newest = self.newest.max(Some(level));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn device(platform: &str, patch: &str) -> Device {
        Device {
            platform: Some(platform.into()),
            security_patch_level: Some(patch.into()),
            ..Device::default()
        }
    }

    #[test]
    fn newest_android_level_not_after_the_audit_date() {
        let mut f = PatchFloor::new(day("2026-11-23"));
        f.see(&device("android", "2026-09-05"));
        f.see(&device("android", "2026-11-23"));
        f.see(&device("android", "2099-01-01"));
        f.see(&device("android", "2026-11-24"));
        f.see(&device("ios", "2026-11-20"));
        f.see(&device("android", "not a date"));
        assert_eq!(f.newest, Some(day("2026-11-23")));
        assert_eq!(f.after_audit_date, 2);
    }
}
