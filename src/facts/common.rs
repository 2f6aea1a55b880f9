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
}

impl TargetKind {
    /// The lowercase name used in JSON and in check `applies_to` lists.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Android => "android",
            TargetKind::Ios => "ios",
            TargetKind::Device => "device",
            TargetKind::Inventory => "inventory",
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
}

impl Evidence {
    /// Builds evidence of `kind` with `value`, without a location.
    pub fn new(kind: impl Into<String>, value: impl Into<String>) -> Self {
        Evidence {
            kind: kind.into(),
            value: value.into(),
            location: None,
            value_de: None,
        }
    }

    /// Adds the location where the evidence was found.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
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
}
