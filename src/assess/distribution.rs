//! How a fleet's devices spread over OS versions and over the age of their
//! Android security patch level: the data behind the summary's fleet charts;
//! and how many devices were joined with Intune compliance exports, which
//! the fleet summary's note on open checks needs.
//!
//! Counted by the evaluator as devices are assessed (so devices of an export
//! that could not be read to its end are dropped with it); renderers only
//! present it. Informational: it never changes an outcome or a verdict.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::facts::Device;

/// Upper bounds (inclusive, in whole months behind the audit date) of the
/// patch-age buckets; a last, open bucket takes everything older.
pub const PATCH_AGE_BOUNDS: [u32; 4] = [0, 2, 5, 11];

/// Average days per month, to turn a patch age in days into months behind.
const DAYS_PER_MONTH: f64 = 30.436_875;

/// Devices by OS version and by patch age (since schema 1.4).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetDistribution {
    /// Devices per platform and major OS version, by platform, newest major
    /// first; devices whose export gives no version have `major: null`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub os_versions: Vec<OsVersionCount>,
    /// Android devices by how many whole months their security patch level
    /// lies behind the audit date ([`PATCH_AGE_BOUNDS`]); iOS has no patch
    /// level (its currency shows in the OS versions).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patch_age: Vec<PatchAgeBucket>,
    /// Android devices whose export gives no security patch level.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub patch_age_unknown: usize,
    /// Devices joined with the Intune compliance exports of the run (their
    /// facts carry the exports' setting states or policy statuses; since
    /// schema 2.2, omitted when 0): 0 when the run had no Intune compliance
    /// export it could use. The fleet summary asks for those exports only
    /// then.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub intune_compliance: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Devices on one platform and major OS version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsVersionCount {
    /// Lowercase platform as exported (`android`, `ios`, `ipados`, …);
    /// `unknown` when the export does not say.
    pub platform: String,
    /// Major version (`14`, `17`); `None` when the export gives no version.
    pub major: Option<String>,
    /// Number of devices.
    pub devices: usize,
}

/// Android devices whose patch level is `min_months` to `max_months` whole
/// months behind the audit date (`max_months: null`: or more).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatchAgeBucket {
    /// Lower bound, months (inclusive).
    pub min_months: u32,
    /// Upper bound, months (inclusive); `None` for the open last bucket.
    pub max_months: Option<u32>,
    /// Number of devices.
    pub devices: usize,
}

/// What one device adds to a [`FleetDistribution`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceSample {
    os: (String, Option<String>),
    /// Index of the patch-age bucket; `None` for an Android device without
    /// a patch level; not counted at all for other platforms.
    patch: Option<Option<usize>>,
    /// The device was joined with Intune compliance exports.
    intune_compliance: bool,
}

impl DeviceSample {
    /// The platform, major version and patch-age bucket of `d`.
    pub fn of(d: &Device) -> DeviceSample {
        let platform = d
            .platform
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .unwrap_or("unknown")
            .to_ascii_lowercase();
        let major = d
            .os_version
            .as_deref()
            .and_then(|v| v.trim().split(['.', ' ']).next())
            .filter(|m| !m.is_empty())
            .map(str::to_string);
        let patch = (platform == "android").then(|| d.patch_age_days.map(bucket_of_days));
        DeviceSample {
            os: (platform, major),
            patch,
            intune_compliance: d.policy_compliance.is_some(),
        }
    }
}

/// The bucket index of a patch age in days (an age below zero — a level
/// after the audit date — counts as current).
fn bucket_of_days(days: i64) -> usize {
    let months = (days.max(0) as f64 / DAYS_PER_MONTH).floor() as u32;
    PATCH_AGE_BOUNDS
        .iter()
        .position(|b| months <= *b)
        .unwrap_or(PATCH_AGE_BOUNDS.len())
}

/// Running counts of a [`FleetDistribution`].
#[derive(Debug, Clone, Default)]
pub struct DistributionCounts {
    os: BTreeMap<(String, Option<String>), usize>,
    patch: [usize; PATCH_AGE_BOUNDS.len() + 1],
    patch_unknown: usize,
    intune_compliance: usize,
}

impl DistributionCounts {
    /// Counts one device.
    pub fn add(&mut self, s: &DeviceSample) {
        // The key is cloned only for a version not counted before.
        match self.os.get_mut(&s.os) {
            Some(n) => *n += 1,
            None => {
                self.os.insert(s.os.clone(), 1);
            }
        }
        match s.patch {
            Some(Some(i)) => {
                if let Some(slot) = self.patch.get_mut(i) {
                    *slot += 1;
                }
            }
            Some(None) => self.patch_unknown += 1,
            None => {}
        }
        self.intune_compliance += usize::from(s.intune_compliance);
    }

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &DistributionCounts) {
        for (k, n) in &other.os {
            *self.os.entry(k.clone()).or_default() += n;
        }
        for (a, b) in self.patch.iter_mut().zip(other.patch) {
            *a += b;
        }
        self.patch_unknown += other.patch_unknown;
        self.intune_compliance += other.intune_compliance;
    }

    /// The distribution: OS versions by platform, newest major first (the
    /// unknown version last); patch-age buckets only when some Android
    /// device was seen.
    pub fn finish(&self) -> FleetDistribution {
        let mut os_versions: Vec<OsVersionCount> = self
            .os
            .iter()
            .map(|((platform, major), n)| OsVersionCount {
                platform: platform.clone(),
                major: major.clone(),
                devices: *n,
            })
            .collect();
        os_versions.sort_by(|x, y| {
            let key = |m: &Option<String>| match m {
                Some(v) => (
                    0,
                    std::cmp::Reverse(v.parse::<u64>().unwrap_or(0)),
                    v.clone(),
                ),
                None => (1, std::cmp::Reverse(0), String::new()),
            };
            x.platform
                .cmp(&y.platform)
                .then_with(|| key(&x.major).cmp(&key(&y.major)))
        });
        let android = self.patch.iter().sum::<usize>() + self.patch_unknown;
        let patch_age = if android == 0 {
            Vec::new()
        } else {
            let mut min = 0;
            self.patch
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let max = PATCH_AGE_BOUNDS.get(i).copied();
                    let b = PatchAgeBucket {
                        min_months: min,
                        max_months: max,
                        devices: *n,
                    };
                    min = max.map_or(min, |m| m + 1);
                    b
                })
                .collect()
        };
        FleetDistribution {
            os_versions,
            patch_age,
            patch_age_unknown: self.patch_unknown,
            intune_compliance: self.intune_compliance,
        }
    }
}

impl FleetDistribution {
    /// True when no device was counted.
    pub fn is_empty(&self) -> bool {
        self.os_versions.is_empty()
            && self.patch_age.is_empty()
            && self.patch_age_unknown == 0
            && self.intune_compliance == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn device(platform: &str, version: Option<&str>, patch_days: Option<i64>) -> Device {
        Device {
            platform: Some(platform.into()),
            os_version: version.map(str::to_string),
            patch_age_days: patch_days,
            ..Device::default()
        }
    }

    #[test]
    fn counts_majors_newest_first_and_patch_age_in_months() {
        let mut c = DistributionCounts::default();
        for d in [
            device("android", Some("14"), Some(10)),
            device("android", Some("9"), Some(400)),
            device("android", Some("14"), Some(62)),
            device("android", None, None),
            device("iOS", Some("17.5.1"), None),
            device("ios", Some("18.1 (22B83)"), None),
        ] {
            c.add(&DeviceSample::of(&d));
        }
        let f = c.finish();
        let os: Vec<(String, Option<String>, usize)> = f
            .os_versions
            .iter()
            .map(|o| (o.platform.clone(), o.major.clone(), o.devices))
            .collect();
        assert_eq!(
            os,
            [
                ("android".into(), Some("14".into()), 2),
                ("android".into(), Some("9".into()), 1),
                ("android".into(), None, 1),
                ("ios".into(), Some("18".into()), 1),
                ("ios".into(), Some("17".into()), 1),
            ]
        );
        let buckets: Vec<(u32, Option<u32>, usize)> = f
            .patch_age
            .iter()
            .map(|b| (b.min_months, b.max_months, b.devices))
            .collect();
        // 10 days: month 0; 62 days: 2 months; 400 days: 13 months.
        assert_eq!(
            buckets,
            [
                (0, Some(0), 1),
                (1, Some(2), 1),
                (3, Some(5), 0),
                (6, Some(11), 0),
                (12, None, 1)
            ]
        );
        assert_eq!(f.patch_age_unknown, 1);
    }

    #[test]
    fn no_android_devices_no_patch_age() {
        let mut c = DistributionCounts::default();
        c.add(&DeviceSample::of(&device("ios", Some("17.5"), None)));
        let mut other = DistributionCounts::default();
        other.add(&DeviceSample::of(&device("ios", Some("17.1"), None)));
        c.merge(&other);
        let f = c.finish();
        assert!(f.patch_age.is_empty());
        assert_eq!(f.os_versions.len(), 1);
        assert_eq!(f.os_versions[0].devices, 2);
    }
}
