//! What the Mach-O code of an iOS app references (`ios.code`) and how the
//! DER entitlements of the code signature compare with the XML ones
//! (`ios.entitlements_der`). Documented in `docs/facts-ios.md`.

use serde::{Deserialize, Serialize};

/// API references of every binary in the bundle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IosCode {
    /// Whether every binary in the bundle was read to the end. `false` when
    /// one could not be read or was cut short (the unread entries say why).
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
    /// `main`, `framework`, `dylib`, `extension`, `watch_app` or `watch_extension`.
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
