//! Facts shared by every kind of target.

use serde::{Deserialize, Serialize};

/// What kind of thing a target is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// An Android app (APK or split set).
    #[default]
    Android,
    /// An iOS app (IPA).
    Ios,
    /// One device from an inventory.
    Device,
    /// An MDM inventory export (a set of devices).
    Inventory,
    /// An input whose kind could not be told: only an error target (a file
    /// that could not be read, such as a device or a pipe, whose name does
    /// not say what it holds). No check applies to it.
    Unknown,
}

impl TargetKind {
    /// The lowercase name used in JSON and in check `applies_to` lists.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Android => "android",
            TargetKind::Ios => "ios",
            TargetKind::Device => "device",
            TargetKind::Inventory => "inventory",
            TargetKind::Unknown => "unknown",
        }
    }
}

/// The input file a target was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileInfo {
    /// Path as given on the command line.
    pub path: String,
    /// SHA-256 of the whole file, lowercase hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// Identity and versions of an app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppInfo {
    /// Package name (Android) or bundle identifier (iOS).
    pub id: Option<String>,
    /// Display name (label / CFBundleDisplayName), resolved from resources.
    pub name: Option<String>,
    /// User-visible version (versionName / CFBundleShortVersionString).
    pub version: Option<String>,
    /// Build number (versionCode / CFBundleVersion).
    pub build: Option<String>,
    /// Minimum OS: Android API level (e.g. "24") or iOS version (e.g. "15.0").
    pub min_os: Option<String>,
    /// Target OS: Android targetSdkVersion; iOS SDK version the app was built with.
    pub target_os: Option<String>,
    /// `min_os` as a number: the Android API level (codenames resolved) or the
    /// iOS version as `major × 10000 + minor × 100 + patch`; `null` when it
    /// cannot be read as one (see `src/facts/os_version.rs`).
    #[serde(default)]
    pub min_os_number: Option<u32>,
    /// `target_os` as a number, like [`AppInfo::min_os_number`].
    #[serde(default)]
    pub target_os_number: Option<u32>,
}

/// What an SDK is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SdkCategory {
    /// Crash and error reporting to a third party.
    CrashReporting,
    /// Usage analytics, attribution, engagement.
    Analytics,
    /// Advertising and ad networks.
    Advertising,
    /// End-to-end encryption protocols.
    E2eCrypto,
    /// Encryption of data at rest (databases, files, key stores).
    StorageEncryption,
    /// Biometric or app-level authentication.
    Biometrics,
    /// Push messaging.
    Push,
    /// Certificate pinning / key management.
    CertificatePinning,
    /// Anything else worth knowing (e.g. WebRTC, QR scanning).
    Other,
}

/// Whether an SDK collects and sends data from first start, before any consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionDefault {
    /// Collection starts without the user's consent.
    Enabled,
    /// Collection is off until the app turns it on (opt-in possible).
    Disabled,
    /// Cannot be told from the file (initialised in code).
    Unknown,
}

/// What a curated API reference means for the audit, in English and
/// German: the `why` of its entry in `checks/android-apis.toml` or
/// `checks/ios-apis.toml` (empty in facts documents written before it was
/// kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiWhy {
    /// English.
    pub en: String,
    /// German.
    pub de: String,
}

/// One piece of evidence: where in the file a fact came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// What kind of evidence: `class_prefix`, `native_lib`, `manifest_component`,
    /// `meta_data`, `permission`, `framework`, `dylib`, `plist_key`, `symbol`,
    /// `entitlement`, `file`, `field`, …
    pub kind: String,
    /// The matched value (class prefix, key = value, library name, …).
    pub value: String,
    /// Where it was found (archive entry, manifest path, record index, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `value` in German, where the value carries explanatory text rather
    /// than bare data (the German report shows it instead of `value`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_de: Option<String>,
    /// `location` in German, where the location is words rather than a file
    /// path (`line 4` → `Zeile 4`, `record 2` → `Datensatz 2`; see
    /// [`locator_de`]). The German report shows it instead of `location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_de: Option<String>,
}

/// The German wording of a record locator as inventories write them into
/// `location` (`line 4`, `record 2`, `response 5`, optionally after a format
/// name: `intune-graph record 1`); `None` for anything else (file paths,
/// archive entries), which is not translated.
pub fn locator_de(location: &str) -> Option<String> {
    let (prefix, last) = location.rsplit_once(' ')?;
    if last.is_empty() || !last.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (format, unit) = match prefix.rsplit_once(' ') {
        Some((format, unit)) => (Some(format), unit),
        None => (None, prefix),
    };
    let unit_de = match unit {
        "line" => "Zeile",
        "record" => "Datensatz",
        "response" => "Antwort",
        _ => return None,
    };
    if format.is_some_and(|f| f.contains(' ') || f.contains('/')) {
        return None;
    }
    // Put together by hand: this runs for every device of a fleet, and
    // `format!` costs several times as much.
    let mut out =
        String::with_capacity(format.map_or(0, |f| f.len() + 1) + unit_de.len() + 1 + last.len());
    if let Some(f) = format {
        out.push_str(f);
        out.push(' ');
    }
    out.push_str(unit_de);
    out.push(' ');
    out.push_str(last);
    Some(out)
}

impl Evidence {
    /// Builds evidence of `kind` with `value`, without a location.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Evidence {
            kind: kind.into(),
            value: value.into(),
            location: None,
            value_de: None,
            location_de: None,
        }
    }

    /// Adds the location where the evidence was found (and its German
    /// wording when it is a record locator, see [`locator_de`]).
    pub fn at(mut self, location: impl Into<String>) -> Self {
        let location = location.into();
        self.location_de = locator_de(&location);
        self.location = Some(location);
        self
    }

    /// Adds the German wording of `value`.
    pub fn de(mut self, value_de: impl Into<String>) -> Self {
        self.value_de = Some(value_de.into());
        self
    }
}

/// An SDK found in an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SdkHit {
    /// Stable id from `checks/sdks.toml`, e.g. `firebase-crashlytics`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// The name in German, where the knowledge base gives one (`name` that
    /// describes rather than names a product).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_de: Option<String>,
    /// What the SDK is for.
    pub category: SdkCategory,
    /// What matched, and where.
    pub evidence: Vec<Evidence>,
    /// For crash-reporting and analytics SDKs: collection before consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_default: Option<CollectionDefault>,
    /// The switch (key = value, and its source) that decided `collection_default`,
    /// or why it could not be decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch: Option<String>,
    /// `switch` in German (German reports show it instead).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub switch_de: Option<String>,
    /// For SDKs with documented switches (`checks/sdk-switches.toml`): the data
    /// categories it is set to send, one per switch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_categories: Vec<super::DataCategory>,
}

#[cfg(test)]
mod locator_tests {
    use super::*;

    #[test]
    fn record_locators_get_their_german_wording_and_paths_stay() {
        assert_eq!(locator_de("line 4").as_deref(), Some("Zeile 4"));
        assert_eq!(locator_de("record 12").as_deref(), Some("Datensatz 12"));
        assert_eq!(
            locator_de("intune-graph record 2").as_deref(),
            Some("intune-graph Datensatz 2")
        );
        assert_eq!(locator_de("response 5").as_deref(), Some("Antwort 5"));
        assert_eq!(locator_de("AndroidManifest.xml"), None);
        assert_eq!(locator_de("res/xml/a b line 3"), None);
        assert_eq!(locator_de("line x"), None);
        let e = Evidence::new("field", "x").at("csv line 3");
        assert_eq!(e.location_de.as_deref(), Some("csv Zeile 3"));
    }
}
