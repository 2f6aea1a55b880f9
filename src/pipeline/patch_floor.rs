//! The fleet's newest Android security patch level, surveyed before the
//! device exports stream, so that every device is judged against the same
//! newest known level: a level a device reports has been published, and
//! when it is newer than the OS support data's `latest_patch_level` it is the
//! floor of the newest known level (`os_support::OsData::fleet_patch_level`).
//!
//! A level after the audit date cannot have been installed by then (a wrong
//! date or a forged report): it is no evidence, is counted, and the report
//! says so. Memory: one date and one count, whatever the fleet's size.

use std::fs::File;
use std::io::BufReader;

use chrono::NaiveDate;

use super::dedupe;
use super::stream::{InventoryContent, InventoryFile};
use crate::extract::inventory::dates::patch_level;
use crate::extract::inventory::survey_inventory;
use crate::extract::{ExtractOptions, READ_BUF};
use crate::facts::Device;

/// What the survey found about the fleet's Android patch levels.
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

/// Surveys the device lists among `files` once: the patch-level floor, and
/// (with two or more device lists) the devices several exports list
/// ([`dedupe::Survey`]), in the same pass. An export that cannot be read
/// adds nothing (streaming reports it).
pub fn survey(
    files: &[InventoryFile],
    options: &ExtractOptions,
) -> (PatchFloor, Option<dedupe::Survey>) {
    let mut floor = PatchFloor::new(options.as_of);
    let dedupe = dedupe::Survey::of(files, options, &mut |d| floor.see(d));
    if dedupe.is_none() {
        // Fewer than two device lists: the dedupe survey read nothing.
        for f in files
            .iter()
            .filter(|f| f.content == InventoryContent::Devices)
        {
            let Ok(file) = File::open(&f.path) else {
                continue;
            };
            let mut input = BufReader::with_capacity(READ_BUF, file);
            let name = f.path.display().to_string();
            let mut seen = PatchFloor::new(options.as_of);
            if survey_inventory(&name, &mut input, options, false, &mut |d| seen.see(&d)).is_ok() {
                floor.newest = floor.newest.max(seen.newest);
                floor.after_audit_date += seen.after_audit_date;
            }
        }
    }
    (floor, dedupe)
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
