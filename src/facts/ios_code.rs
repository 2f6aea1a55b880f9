//! What the Mach-O code of an iOS app references and how each binary is
//! signed (`ios.code`), and how the
//! DER entitlements of the code signature compare with the XML ones
//! (`ios.entitlements_der`). Documented in `docs/facts-ios.md`.

use serde::{Deserialize, Serialize};

/// API references of every binary in the bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosCode {
    /// Whether every binary in the bundle was read to the end. `false` when
    /// one could not be read or was cut short (the unread entries say why),
    /// and when one is FairPlay-encrypted (App Store downloads: the
    /// encryption hides its code; warning `ipa.executable.encrypted`).
    pub complete: bool,
    /// The binaries read: main executable, frameworks, dylibs, app
    /// extensions, watch apps, in bundle order (main executable first).
    pub binaries: Vec<IosBinaryCode>,
    /// Curated APIs (`checks/ios-apis.toml`) a binary references, sorted by `id`.
    pub api_refs: Vec<IosApiRef>,
}

/// What one Mach-O binary of the bundle references.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosBinaryCode {
    /// Entry path inside the IPA.
    pub path: String,
    /// `main`, `framework`, `dylib`, `extension`, `watch_app`,
    /// `watch_framework`, `watch_dylib` or `watch_extension`.
    pub role: String,
    /// Whether the binary is FairPlay-encrypted (its selector names are then unreadable).
    pub encrypted: bool,
    /// Number of distinct symbols the binary imports through its bind and
    /// lazy-bind opcodes.
    pub imports: usize,
    /// Number of distinct Objective-C class names it defines or references.
    pub objc_classes: usize,
    /// Number of distinct selectors it references (`__objc_selrefs`).
    pub selectors: usize,
    /// Its code signature (`LC_CODE_SIGNATURE`); `None` only in facts
    /// written before msgaudit read nested signatures.
    #[serde(default)]
    pub signature: Option<IosBinarySignature>,
}

/// The code signature of one binary: who signed it and what it claims.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosBinarySignature {
    /// `signed`, `unsigned` (no `LC_CODE_SIGNATURE`) or `unreadable` (the
    /// binary is then listed in `unread`).
    pub state: String,
    /// Signing identifier of the primary CodeDirectory, e.g. `com.example.app`.
    pub identifier: Option<String>,
    /// Team identifier of the primary CodeDirectory (ad-hoc signatures have none).
    pub team_id: Option<String>,
    /// Names of the CodeDirectory flags, e.g. `adhoc`, `runtime`, `linker-signed`.
    pub flags: Vec<String>,
    /// Whether the signature carries a CMS signature (a certificate-based
    /// signature; not verified). `false` for ad-hoc signatures.
    pub cms: bool,
    /// Every CodeDirectory, primary first: hash type and CD hash.
    pub code_directories: Vec<IosCdHash>,
    /// The entitlements of the signature; `None` when it has none.
    pub entitlements: Option<IosSignatureEntitlements>,
    /// Whether the team id equals the main executable's (both absent counts
    /// as equal); `None` for the main executable itself and when either
    /// signature is missing or unreadable.
    pub same_team_as_main: Option<bool>,
}

/// One CodeDirectory's hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosCdHash {
    /// `sha1`, `sha256`, `sha256-truncated`, `sha384` or `unknown-N`.
    pub hash_type: String,
    /// The CD hash, lowercase hex, 20 bytes (as `codesign -d` prints it);
    /// `None` for an unknown hash type.
    pub cd_hash: Option<String>,
}

/// The entitlements a binary's code signature carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosSignatureEntitlements {
    /// Entitlement keys as the platform reads them (DER blob when present, else XML), sorted.
    pub keys: Vec<String>,
    /// The DER blob compared with the XML blob; `None` without a DER blob.
    pub der: Option<DerEntitlements>,
}

/// One curated API referenced by one or more binaries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosApiRef {
    /// Entry id in `checks/ios-apis.toml`, e.g. `la-evaluate-policy`.
    pub id: String,
    /// The names that matched, e.g. `LAContext`, `evaluatePolicy:localizedReason:reply:`
    /// (symbols without the leading `_`), sorted.
    pub api: Vec<String>,
    /// DSK requirement ids the API is evidence for, e.g. `APP-02`.
    pub requirements: Vec<String>,
    /// The binaries that reference it, in the order of `ios.code.binaries`.
    pub binaries: Vec<IosApiBinary>,
    /// What the reference means (the table's `why`).
    #[serde(default)]
    pub why: super::ApiWhy,
}

/// A binary that references a curated API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosApiBinary {
    /// Entry path inside the IPA.
    pub path: String,
    /// Its role, as in [`IosBinaryCode::role`].
    pub role: String,
}

/// The DER entitlements blob (`CSSLOT_DER_ENTITLEMENTS`, magic `0xfade7172`)
/// of the main executable's code signature, compared with the XML blob.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerEntitlements {
    /// Whether the signature also has an XML entitlements blob to compare with.
    pub xml_present: bool,
    /// Whether both blobs hold the same entitlements (`true` without an XML blob).
    pub matches_xml: bool,
    /// Keys whose value differs, or that only one blob has, sorted.
    pub differing_keys: Vec<String>,
}
