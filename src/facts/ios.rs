//! Facts read from an iOS app (IPA).
//!
//! Every field is documented in `docs/facts-ios.md`. `None` / `null` means the
//! value is absent from the app (the platform default applies) or could not be
//! read — never a guess.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything read from an iOS app that a check may use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IosFacts {
    /// The bundle directory inside the IPA, e.g. `Payload/Signal.app`.
    pub bundle_path: String,
    /// The whole main `Info.plist` as JSON (dates as RFC 3339 strings, data as base64).
    #[serde(default)]
    pub info_plist: serde_json::Value,
    /// App Transport Security settings (`NSAppTransportSecurity`).
    #[serde(default)]
    pub ats: Ats,
    /// Usage descriptions: every `NS…UsageDescription` key with its text.
    #[serde(default)]
    pub usage_descriptions: BTreeMap<String, String>,
    /// `UIBackgroundModes`.
    #[serde(default)]
    pub background_modes: Vec<String>,
    /// `UIFileSharingEnabled` (documents visible in the Files app / Finder).
    #[serde(default)]
    pub file_sharing_enabled: Option<bool>,
    /// `LSSupportsOpeningDocumentsInPlace`.
    #[serde(default)]
    pub opens_documents_in_place: Option<bool>,
    /// URL schemes from `CFBundleURLTypes[].CFBundleURLSchemes`.
    #[serde(default)]
    pub url_schemes: Vec<String>,
    /// Entitlements, merged: provisioning-profile entitlements overlaid by the
    /// code-signature entitlements (which are what the OS enforces).
    #[serde(default)]
    pub entitlements: serde_json::Map<String, serde_json::Value>,
    /// Where each entitlement key came from: `code_signature` or `provisioning_profile`.
    #[serde(default)]
    pub entitlements_source: BTreeMap<String, String>,
    /// `com.apple.developer.default-data-protection`, e.g. `NSFileProtectionComplete`.
    #[serde(default)]
    pub data_protection: Option<String>,
    /// `com.apple.security.application-groups`.
    #[serde(default)]
    pub app_groups: Vec<String>,
    /// Any `com.apple.developer.icloud-*` or `…ubiquity-*` entitlement present.
    #[serde(default)]
    pub icloud: bool,
    /// `keychain-access-groups`.
    #[serde(default)]
    pub keychain_groups: Vec<String>,
    /// `aps-environment` (`development` / `production`): push notifications.
    #[serde(default)]
    pub aps_environment: Option<String>,
    /// The embedded provisioning profile, if any.
    #[serde(default)]
    pub provisioning: Option<Provisioning>,
    /// The main executable.
    #[serde(default)]
    pub binary: Option<MachoBinary>,
    /// Framework names linked by the main executable (from install names,
    /// without path and `.framework`), e.g. `LocalAuthentication`.
    #[serde(default)]
    pub linked_frameworks: Vec<String>,
    /// Whether the main executable is FairPlay-encrypted (`cryptid != 0`); `None` without a readable executable.
    #[serde(default)]
    pub encrypted: Option<bool>,
    /// Objective-C classes defined or referenced by the main executable.
    #[serde(default)]
    pub objc_classes: ObjcClasses,
    /// Whether the main executable still has a readable symbol table.
    #[serde(default)]
    pub symbols_readable: bool,
    /// Notable API symbols and classes the main executable imports or defines
    /// (photo-library saving, contacts, backup exclusion, keychain protection
    /// classes, `LAContext`, …), from a fixed list in `extract/ios/symbols.rs`.
    #[serde(default)]
    pub notable_symbols: Vec<String>,
    /// The DER entitlements of the code signature (iOS 15+ reads them)
    /// compared with the XML ones; `None` when the signature has no DER blob.
    #[serde(default)]
    pub entitlements_der: Option<super::DerEntitlements>,
    /// Curated APIs referenced by the main executable, frameworks, app
    /// extensions and watch apps; `None` when no binary was read.
    #[serde(default)]
    pub code: Option<super::IosCode>,
    /// Embedded frameworks and dylibs (`Frameworks/`).
    #[serde(default)]
    pub frameworks: Vec<EmbeddedFramework>,
    /// App extensions (`PlugIns/*.appex`).
    #[serde(default)]
    pub extensions: Vec<AppExtension>,
    /// Every `PrivacyInfo.xcprivacy` in the bundle (app, frameworks, resource bundles).
    #[serde(default)]
    pub privacy_manifests: Vec<PrivacyManifest>,
    /// `GoogleService-Info.plist` (Firebase configuration) as JSON, if present.
    #[serde(default)]
    pub google_service_info: Option<serde_json::Map<String, serde_json::Value>>,
}

/// App Transport Security settings. `None` = key absent (iOS default: secure).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ats {
    /// `NSAllowsArbitraryLoads`.
    pub allows_arbitrary_loads: Option<bool>,
    /// `NSAllowsArbitraryLoadsInWebContent`.
    pub allows_arbitrary_loads_in_web_content: Option<bool>,
    /// `NSAllowsLocalNetworking`.
    pub allows_local_networking: Option<bool>,
    /// `NSExceptionDomains`.
    pub exception_domains: Vec<AtsException>,
    /// Domains with `NSPinnedDomains` (certificate / key pinning in Info.plist).
    pub pinned_domains: Vec<String>,
}

/// One `NSExceptionDomains` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AtsException {
    /// The domain.
    pub domain: String,
    /// `NSExceptionAllowsInsecureHTTPLoads` (or the third-party variant).
    pub allows_insecure_http_loads: Option<bool>,
    /// `NSExceptionMinimumTLSVersion` (or the third-party variant), e.g. `TLSv1.0`.
    pub minimum_tls_version: Option<String>,
    /// `NSExceptionRequiresForwardSecrecy` (or the third-party variant).
    pub requires_forward_secrecy: Option<bool>,
    /// `NSIncludesSubdomains`.
    pub includes_subdomains: Option<bool>,
}

/// An embedded provisioning profile (`embedded.mobileprovision`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Provisioning {
    /// `development`, `ad_hoc`, `enterprise` or `app_store`.
    #[serde(rename = "type")]
    pub kind: String,
    /// First `TeamIdentifier`.
    pub team_id: Option<String>,
    /// `TeamName`.
    pub team_name: Option<String>,
    /// `Name`.
    pub name: Option<String>,
    /// `UUID`.
    pub uuid: Option<String>,
    /// `ExpirationDate`, RFC 3339.
    pub expiration: Option<String>,
    /// Number of `ProvisionedDevices`.
    pub provisioned_devices: usize,
    /// `ProvisionsAllDevices` (enterprise / in-house distribution).
    pub provisions_all_devices: bool,
    /// The profile's `Entitlements` dictionary as JSON.
    pub entitlements: serde_json::Map<String, serde_json::Value>,
}

/// Facts from a Mach-O executable (all slices of a fat binary).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MachoBinary {
    /// Entry path inside the IPA.
    pub path: String,
    /// Architectures, in file order, e.g. `["armv7", "arm64"]`.
    pub architectures: Vec<String>,
    /// Platform of the first slice that names one: `ios`, `ios-simulator`,
    /// `macos`, `maccatalyst`, `tvos`, `watchos`, … (`None` when no load command says).
    pub platform: Option<String>,
    /// Minimum OS version, e.g. `15.0`.
    pub min_os: Option<String>,
    /// SDK version the binary was built with.
    pub sdk: Option<String>,
    /// Every slice is position independent (`MH_PIE`).
    pub pie: bool,
    /// Any slice is FairPlay-encrypted (`cryptid != 0`).
    pub encrypted: bool,
    /// Linked dylibs (union over slices, first-seen order).
    pub linked_dylibs: Vec<LinkedDylib>,
}

/// A dylib the executable links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedDylib {
    /// Install name, e.g. `/System/Library/Frameworks/UIKit.framework/UIKit`.
    pub name: String,
    /// Weakly linked (`LC_LOAD_WEAK_DYLIB`): the app runs without it.
    pub weak: bool,
}

/// Objective-C class names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjcClasses {
    /// Number of distinct class names.
    pub count: usize,
    /// The names, only with `msgaudit facts --full`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

/// An embedded framework or dylib.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedFramework {
    /// Name without extension, e.g. `FirebaseCrashlytics` or `libswiftCore`.
    pub name: String,
    /// Entry path inside the IPA.
    pub path: String,
    /// `CFBundleIdentifier` of the framework's Info.plist.
    pub bundle_id: Option<String>,
    /// `CFBundleShortVersionString` of the framework's Info.plist.
    pub version: Option<String>,
    /// `framework` or `dylib`.
    pub kind: String,
}

/// An app extension.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppExtension {
    /// Entry path inside the IPA.
    pub path: String,
    /// `CFBundleIdentifier`.
    pub bundle_id: Option<String>,
    /// `NSExtension.NSExtensionPointIdentifier`, e.g. `com.apple.share-services`.
    pub extension_point: Option<String>,
}

/// A privacy manifest (`PrivacyInfo.xcprivacy`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacyManifest {
    /// Entry path inside the IPA (or the file name for a single file).
    pub path: String,
    /// `NSPrivacyTracking`.
    pub tracking: Option<bool>,
    /// `NSPrivacyTrackingDomains`.
    pub tracking_domains: Vec<String>,
    /// `NSPrivacyCollectedDataTypes[].NSPrivacyCollectedDataType`.
    pub collected_data_types: Vec<String>,
    /// `NSPrivacyAccessedAPITypes[].NSPrivacyAccessedAPIType`.
    pub accessed_api_types: Vec<String>,
}
