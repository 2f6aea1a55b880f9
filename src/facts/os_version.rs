//! Numeric companions of the OS versions in [`AppInfo`]: what checks compare.
//!
//! Android: the API level as an integer. A preview build names its platform by
//! codename (`minSdkVersion="VanillaIceCream"`); the codename is resolved to
//! the API level that release got. An unknown codename stays `None` (never a guess).
//!
//! iOS: the version `major.minor.patch` as one comparable integer,
//! `major × 10000 + minor × 100 + patch` (`"15.2.1"` → `150201`, `"17"` → `170000`).

use super::{AppInfo, TargetKind};

/// Android platform codenames that apps name in `minSdkVersion`/`targetSdkVersion`
/// when built against a preview SDK, with the API level of the release.
const ANDROID_CODENAMES: &[(&str, u32)] = &[
    ("L", 21),
    ("M", 23),
    ("N", 24),
    ("O", 26),
    ("P", 28),
    ("Q", 29),
    ("R", 30),
    ("S", 31),
    ("Sv2", 32),
    ("Tiramisu", 33),
    ("UpsideDownCake", 34),
    ("VanillaIceCream", 35),
    ("Baklava", 36),
];

/// The Android API level of a `minSdkVersion`/`targetSdkVersion` value: a
/// number, or a known preview codename (case-sensitive, as Android compares).
pub fn android_api_level(value: &str) -> Option<u32> {
    let value = value.trim();
    if let Ok(n) = value.parse::<u32>() {
        return Some(n);
    }
    ANDROID_CODENAMES
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, level)| *level)
}

/// An iOS version `major[.minor[.patch]]` as `major × 10000 + minor × 100 + patch`;
/// `None` when it is not such a version (minor and patch must be below 100).
pub fn ios_version_number(value: &str) -> Option<u32> {
    let mut parts = value.trim().split('.');
    let mut number = 0u32;
    for scale in [10_000u32, 100, 1] {
        let part = match parts.next() {
            Some(p) => p,
            None if scale < 10_000 => "0",
            None => return None,
        };
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 4 {
            return None;
        }
        let n: u32 = part.parse().ok()?;
        if scale < 10_000 && n >= 100 {
            return None;
        }
        number = number.checked_add(n.checked_mul(scale)?)?;
    }
    if parts.next().is_some() {
        return None;
    }
    Some(number)
}

impl AppInfo {
    /// Sets `min_os_number` and `target_os_number` from `min_os` and
    /// `target_os` as the platform of `kind` reads them.
    pub fn set_os_numbers(&mut self, kind: TargetKind) {
        let parse = |v: &Option<String>| {
            v.as_deref().and_then(|v| match kind {
                TargetKind::Android => android_api_level(v),
                TargetKind::Ios => ios_version_number(v),
                _ => None,
            })
        };
        self.min_os_number = parse(&self.min_os);
        self.target_os_number = parse(&self.target_os);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn android_levels_and_codenames() {
        assert_eq!(android_api_level("24"), Some(24));
        assert_eq!(android_api_level(" 33 "), Some(33));
        assert_eq!(android_api_level("VanillaIceCream"), Some(35));
        assert_eq!(android_api_level("Baklava"), Some(36));
        assert_eq!(android_api_level("baklava"), None);
        assert_eq!(android_api_level("FutureCake"), None);
        assert_eq!(android_api_level(""), None);
    }

    #[test]
    fn ios_versions_compare_as_numbers() {
        assert_eq!(ios_version_number("15.0"), Some(150_000));
        assert_eq!(ios_version_number("15.2.1"), Some(150_201));
        assert_eq!(ios_version_number("17"), Some(170_000));
        assert!(ios_version_number("9.3").unwrap() < ios_version_number("10.0").unwrap());
        assert!(ios_version_number("16.10").unwrap() > ios_version_number("16.9").unwrap());
        for bad in ["", "15.", "x", "15.0.0.1", "15.100", "-1", "15.0b"] {
            assert_eq!(ios_version_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn app_info_numbers_follow_the_kind() {
        let mut app = AppInfo {
            min_os: Some("Baklava".into()),
            target_os: Some("35".into()),
            ..AppInfo::default()
        };
        app.set_os_numbers(TargetKind::Android);
        assert_eq!(
            (app.min_os_number, app.target_os_number),
            (Some(36), Some(35))
        );
        let mut app = AppInfo {
            min_os: Some("16.4".into()),
            target_os: None,
            ..AppInfo::default()
        };
        app.set_os_numbers(TargetKind::Ios);
        assert_eq!(
            (app.min_os_number, app.target_os_number),
            (Some(160_400), None)
        );
    }
}
