//! Facts read from an Android app (APK or split set).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Everything read from an Android app that a check may use.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AndroidFacts {
    /// Names of the APKs merged (base first, then config splits); one entry for a plain APK.
    pub apks: Vec<String>,
    /// The files of a split set given as loose APK files (a base APK and its
    /// splits found among a scan's files), in the order of `apks`: path,
    /// SHA-256 and size of each. Empty for a plain APK and for a `.apks` or
    /// `.xapk` (one file, the target's own `file`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apk_files: Vec<super::FileInfo>,
    /// `uses-permission` (and `uses-permission-sdk-23`) names, sorted, unique:
    /// what the manifest requests.
    pub permissions: Vec<String>,
    /// Permissions Android grants on top of `permissions` because of the
    /// target SDK (aapt's `uses-implied-permission` rules and the platform's
    /// split permissions), each with its reason; none of them is in `permissions`.
    #[serde(default)]
    pub implied_permissions: Vec<ImpliedPermission>,
    /// `permissions` ∪ `implied_permissions`: what the app holds (or may be
    /// granted), sorted, unique. The checks use this set.
    #[serde(default)]
    pub effective_permissions: Vec<String>,
    /// Whether the app can read the advertising ID; `None` when no
    /// advertising-ID client is in the DEX.
    #[serde(default)]
    pub advertising_id: Option<AdvertisingId>,
    /// Permissions the app itself declares (`<permission>`), with protection level.
    #[serde(default)]
    pub declared_permissions: Vec<DeclaredPermission>,
    /// `android:sharedUserId` of the manifest, if set.
    #[serde(default)]
    pub shared_user_id: Option<String>,
    /// Attributes of `<application>`.
    pub application: ApplicationFacts,
    /// Activities, services, receivers and providers.
    pub components: Vec<Component>,
    /// `<meta-data>` of `<application>`, by name, with type and value.
    pub meta_data: BTreeMap<String, MetaValue>,
    /// Compiled XML resources referenced from the manifest, decoded.
    pub xml: XmlResources,
    /// DEX files and their tables.
    pub dex: DexFacts,
    /// Native libraries under `lib/<abi>/`.
    pub native_libs: Vec<NativeLib>,
    /// Signing schemes and certificates.
    pub signing: Signing,
    /// What the DEX code references and does: curated framework API
    /// references and unsafe TLS code patterns (read from code items, not
    /// decompiled). `complete == false` when code was not (fully) read.
    #[serde(default)]
    pub code: CodeFacts,
}

/// A permission declared by the app itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclaredPermission {
    /// Permission name.
    pub name: String,
    /// `android:protectionLevel` as text (e.g. `signature`), if set.
    pub protection_level: Option<String>,
}

/// A permission Android grants without the manifest requesting it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImpliedPermission {
    /// Permission name.
    pub name: String,
    /// Which rule implies it: `aapt` (a rule `aapt dump badging` applies and
    /// prints as `uses-implied-permission`; the platform grants these too) or
    /// `split` (the platform's `<split-permission>` table in `platform.xml`).
    pub rule: String,
    /// The requested (or earlier implied) permission it derives from; `None`
    /// for the grants to every app targeting SDK < 4.
    pub from: Option<String>,
    /// The rule applies because the target SDK is below this level; `None`
    /// when it applies whatever the target.
    pub below_target_sdk: Option<u32>,
    /// The target SDK the rule was applied with (`targetSdkVersion`, else
    /// `minSdkVersion`, else 0 as on Android; 10000 for a codename preview).
    pub target_sdk: u32,
    /// The reason in one language-neutral line, e.g.
    /// `android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29`.
    pub reason: String,
}

/// Whether the app can read the advertising ID.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdvertisingId {
    /// The advertising-ID client class-name prefixes found in the DEX, e.g.
    /// `com.google.android.gms.ads.identifier.`.
    pub clients: Vec<String>,
    /// The permission Google requires from `required_from_target_sdk` on
    /// (`com.google.android.gms.permission.AD_ID`).
    pub permission: String,
    /// Whether the app requests that permission.
    pub permission_declared: bool,
    /// The target SDK from which Google requires the permission (33).
    pub required_from_target_sdk: u32,
    /// The app's target SDK as Android reads it (see [`ImpliedPermission::target_sdk`]).
    pub target_sdk: u32,
    /// The client can read the ID: the permission is declared, or the target
    /// SDK is below `required_from_target_sdk`.
    pub readable: bool,
}

/// Attributes of the `<application>` element. `None` = attribute absent
/// (the platform default applies; checks decide what that default means).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFacts {
    /// `android:name` (Application subclass), fully qualified.
    pub name: Option<String>,
    /// `android:label`, resolved.
    pub label: Option<String>,
    /// `android:allowBackup`.
    pub allow_backup: Option<bool>,
    /// `android:debuggable`.
    pub debuggable: Option<bool>,
    /// `android:usesCleartextTraffic`.
    pub uses_cleartext_traffic: Option<bool>,
    /// `android:networkSecurityConfig`: the resource file path (e.g. `res/xml/network_security_config.xml`).
    pub network_security_config: Option<String>,
    /// `android:fullBackupContent`: a resource file path, or `"true"`/`"false"` when given as a boolean.
    pub full_backup_content: Option<String>,
    /// `android:dataExtractionRules`: the resource file path.
    pub data_extraction_rules: Option<String>,
    /// `android:requestLegacyExternalStorage`.
    pub request_legacy_external_storage: Option<bool>,
    /// `android:backupAgent`, fully qualified.
    pub backup_agent: Option<String>,
    /// `android:fullBackupOnly`.
    pub full_backup_only: Option<bool>,
    /// `android:hasFragileUserData`.
    pub has_fragile_user_data: Option<bool>,
    /// `android:testOnly`.
    pub test_only: Option<bool>,
    /// `android:hasCode`. Absent (`None`) means `true`, as on the platform:
    /// the APK must then hold a `classes.dex` (Android refuses to install it
    /// otherwise). Facts written before this field existed read as `None`.
    #[serde(default)]
    pub has_code: Option<bool>,
}

/// An app component from the manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// `activity`, `activity-alias`, `service`, `receiver` or `provider`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Fully qualified class name.
    pub name: String,
    /// Effective export state: the explicit `android:exported`, else the platform
    /// default (exported when it has intent filters; providers before API 17).
    pub exported: bool,
    /// Whether `android:exported` was written explicitly.
    pub exported_explicit: bool,
    /// `android:permission`.
    pub permission: Option<String>,
    /// Provider `android:readPermission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_permission: Option<String>,
    /// Provider `android:writePermission`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_permission: Option<String>,
    /// Provider `android:authorities` (split at `;`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorities: Vec<String>,
    /// Provider `android:grantUriPermissions`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_uri_permissions: Option<bool>,
    /// Service `android:foregroundServiceType` flags as names (e.g. `location`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreground_service_type: Vec<String>,
    /// Intent filters.
    pub intent_filters: Vec<IntentFilter>,
    /// `<meta-data>` of this component.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub meta_data: BTreeMap<String, MetaValue>,
}

/// An `<intent-filter>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntentFilter {
    /// Action names.
    pub actions: Vec<String>,
    /// Category names.
    pub categories: Vec<String>,
    /// `<data>` elements as `scheme://host:port/path` style strings or mime types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
}

/// A typed `<meta-data>` value, as the platform hands it to an SDK's `Bundle`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaValue {
    /// `boolean`, `int`, `float`, `string`, `color`, `reference` (a `@xml/…`-style
    /// resource given with `android:resource`), or `null` (no value).
    #[serde(rename = "type")]
    pub kind: String,
    /// The value as text: `true`/`false`, a decimal number, a string, or a
    /// resource path for references. References in `android:value` (`@bool/x`,
    /// `@string/y`) are resolved to the referenced value and type.
    pub value: Option<String>,
    /// The unresolved reference when the value came through one, e.g. `@bool/crash_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// Compiled XML resources that the manifest points to, decoded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct XmlResources {
    /// The network security config, if the manifest names one.
    pub network_security_config: Option<NetworkSecurityConfig>,
    /// `fullBackupContent` rules (API 23–30).
    pub full_backup_content: Option<BackupRules>,
    /// `dataExtractionRules` (API 31+).
    pub data_extraction_rules: Option<DataExtractionRules>,
    /// FileProvider path declarations, per provider.
    #[serde(default)]
    pub file_provider_paths: Vec<FileProviderPaths>,
    /// Sync adapters (`android.content.SyncAdapter` meta-data).
    #[serde(default)]
    pub sync_adapters: Vec<SyncAdapter>,
    /// Keys of managed app restrictions (`android.content.APP_RESTRICTIONS`).
    #[serde(default)]
    pub app_restrictions: Vec<String>,
}

/// A decoded network security config.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkSecurityConfig {
    /// Resource file it came from.
    pub file: String,
    /// `<base-config cleartextTrafficPermitted>`; `None` when absent.
    pub base_cleartext_permitted: Option<bool>,
    /// Whether `<base-config>` trusts user-installed CAs.
    pub base_trusts_user_certs: bool,
    /// `<domain-config>` entries.
    pub domains: Vec<NscDomainConfig>,
    /// Whether `<debug-overrides>` is present.
    pub has_debug_overrides: bool,
}

/// One `<domain-config>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NscDomainConfig {
    /// Domain names (with `includeSubdomains` as `*.` prefix).
    pub domains: Vec<String>,
    /// `cleartextTrafficPermitted`.
    pub cleartext_permitted: Option<bool>,
    /// Whether user-installed CAs are trusted here.
    pub trusts_user_certs: bool,
    /// Number of pins in `<pin-set>`.
    pub pins: usize,
    /// `<pin-set expiration>`.
    pub pin_expiration: Option<String>,
}

/// One include/exclude rule of a backup rules file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRule {
    /// `include` or `exclude`.
    pub action: String,
    /// `domain` (root, file, database, sharedpref, external, device_*).
    pub domain: String,
    /// `path` (may be `.` or empty for the whole domain).
    pub path: String,
}

/// A `<full-backup-content>` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupRules {
    /// Resource file it came from.
    pub file: String,
    /// The rules, in order.
    pub rules: Vec<BackupRule>,
}

/// A `<data-extraction-rules>` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataExtractionRules {
    /// Resource file it came from.
    pub file: String,
    /// Rules under `<cloud-backup>`; `None` when the section is absent.
    pub cloud_backup: Option<Vec<BackupRule>>,
    /// `<cloud-backup disableIfNoEncryptionCapabilities>`.
    pub cloud_backup_disable_if_no_encryption: Option<bool>,
    /// Rules under `<device-transfer>`; `None` when the section is absent.
    pub device_transfer: Option<Vec<BackupRule>>,
}

/// Paths a FileProvider shares.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileProviderPaths {
    /// The provider class.
    pub provider: String,
    /// Resource file it came from.
    pub file: String,
    /// Path elements, e.g. `external-path:/`, `files-path:images/`.
    pub paths: Vec<String>,
}

/// A sync adapter declaration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncAdapter {
    /// The service class.
    pub service: String,
    /// Resource file it came from.
    pub file: String,
    /// `android:contentAuthority` (e.g. `com.android.contacts`).
    pub content_authority: Option<String>,
    /// `android:accountType`.
    pub account_type: Option<String>,
}

/// DEX files and their tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DexFacts {
    /// Each `classes*.dex`.
    pub files: Vec<DexFile>,
    /// Total number of class definitions over all files.
    pub classes: usize,
    /// String constants that look like cleartext URLs (`http://…`), excluding
    /// XML namespaces and local hosts; at most 200.
    #[serde(default)]
    pub cleartext_urls: Vec<String>,
    /// Notable string constants found (from the list in `checks/sdks.toml`
    /// `[[strings]]`), e.g. `setUserAuthenticationRequired`.
    #[serde(default)]
    pub notable_strings: Vec<String>,
    /// All class names (dotted), only with `msgaudit facts --full`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_names: Vec<String>,
}

/// One DEX file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DexFile {
    /// Entry name, e.g. `classes2.dex` (prefixed with the split APK name for split sets).
    pub name: String,
    /// DEX format version, e.g. `035`.
    pub version: String,
    /// Number of class definitions.
    pub classes: usize,
    /// Number of strings in the string table.
    pub strings: usize,
}

/// A native library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NativeLib {
    /// Entry path, e.g. `lib/arm64-v8a/libsqlcipher.so`.
    pub path: String,
    /// File name, e.g. `libsqlcipher.so`.
    pub name: String,
    /// ABI directory, e.g. `arm64-v8a`.
    pub abi: String,
    /// Inflated size in bytes.
    pub size: u64,
    /// ELF machine as read from the header (e.g. `aarch64`); `None` if unreadable.
    pub machine: Option<String>,
    /// Hardening facts; `None` if the ELF could not be parsed.
    pub hardening: Option<Hardening>,
    /// `DT_NEEDED` libraries.
    #[serde(default)]
    pub needed: Vec<String>,
    /// Why the library could not be parsed, if it could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// ELF hardening facts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hardening {
    /// Non-executable stack (`PT_GNU_STACK` without X).
    pub nx: bool,
    /// Position independent (ET_DYN).
    pub pie: bool,
    /// `none`, `partial` or `full` RELRO.
    pub relro: String,
    /// References `__stack_chk_fail`.
    pub stack_canary: bool,
    /// References `*_chk` fortified functions.
    pub fortify: bool,
    /// Symbol table stripped.
    pub stripped: bool,
}

/// Signing schemes and certificates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signing {
    /// Schemes present: `v1`, `v2`, `v3`, `v3.1`, `v4` (sidecar not read).
    pub schemes: Vec<String>,
    /// Certificates, unique by SHA-256, with the schemes each appears in.
    pub certificates: Vec<Certificate>,
    /// Problems found while reading signatures (not verification results).
    #[serde(default)]
    pub problems: Vec<String>,
}

/// An X.509 signing certificate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Schemes whose signature data carries this certificate (whether as a
    /// signer's own certificate or only alongside: see `signer`).
    pub schemes: Vec<String>,
    /// Subject distinguished name (RFC 4514 style).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Validity start, RFC 3339.
    pub not_before: String,
    /// Validity end, RFC 3339.
    pub not_after: String,
    /// SHA-256 of the DER encoding, lowercase hex (as apksigner prints).
    pub sha256: String,
    /// SHA-1 of the DER encoding, lowercase hex.
    pub sha1: String,
    /// Public key algorithm: `RSA`, `EC`, `DSA`, `Ed25519`.
    pub key_algorithm: String,
    /// Key size in bits (RSA modulus, EC curve size, DSA p).
    pub key_size: Option<u32>,
    /// Signature algorithm of the certificate, e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// The Android debug certificate (`CN=Android Debug`).
    pub debug: bool,
    /// Whether, in at least one scheme, this is a signer's own certificate as
    /// Android picks it (v2/v3/v3.1: the first certificate of a signer; v1: the
    /// certificate the PKCS#7 SignerInfo names by issuer and serial or key id).
    /// `false` for certificates that only come along (chain or decoy
    /// certificates), which Android ignores.
    #[serde(default)]
    pub signer: bool,
    /// A signer's certificate that no device checks: a JAR (v1) signer the
    /// v2/v3 signature does not name, in an app every device of which checks
    /// only v2/v3 (warning `apk.signing.v1-ignored`). Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked: bool,
}

/// What the DEX code references and does (see docs/facts.md, "Android code").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeFacts {
    /// Whether the code of every DEX file was read to the end. `false` when a
    /// DEX file or some code items could not be read (the warnings say why),
    /// and in facts written before this field existed.
    pub complete: bool,
    /// Curated framework APIs (`checks/android-apis.toml`) the code references,
    /// sorted by `api`.
    pub api_refs: Vec<ApiRef>,
    /// Unsafe TLS code patterns, sorted by class and method.
    pub patterns: Vec<CodePattern>,
}

/// One curated API the code references.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiRef {
    /// Entry id in `checks/android-apis.toml`, e.g. `webview-js-bridge`.
    pub id: String,
    /// The member, dotted: `android.webkit.WebView.addJavascriptInterface`;
    /// for `extends` entries the class itself.
    pub api: String,
    /// `method`, `field` or `extends`.
    #[serde(rename = "type")]
    pub kind: String,
    /// DSK requirement ids the API is evidence for, e.g. `APP-02`.
    pub requirements: Vec<String>,
    /// Classes whose code references the member (or that extend the class),
    /// dotted, sorted; at most 50.
    pub classes: Vec<String>,
    /// Number of such classes (may exceed the length of `classes`).
    pub class_count: usize,
    /// What the reference means (the table's `why`).
    #[serde(default)]
    pub why: super::ApiWhy,
}

/// An unsafe TLS code pattern found in one method.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodePattern {
    /// `trust_all_certificates` (an `X509TrustManager.checkServerTrusted`
    /// that returns without checking), `hostname_verifier_accepts_all` (a
    /// `HostnameVerifier.verify` that returns `true`) or `ssl_error_proceed`
    /// (an `onReceivedSslError` that calls `SslErrorHandler.proceed()`).
    pub kind: String,
    /// The class, dotted.
    pub class: String,
    /// The method with its signature, e.g.
    /// `checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V`.
    pub method: String,
    /// Whether the class lies in the app's own packages (the manifest
    /// package or the package of the `Application` class) rather than a library.
    pub own: bool,
    /// Whether the code of another class references the class (invokes one
    /// of its methods, uses one of its fields, instantiates it or names its type).
    pub referenced: bool,
}
