//! Endpoints: the hosts an app names, where they were found, who runs them.
//!
//! Filled by `extract::endpoints` from DEX strings, resource strings,
//! manifest meta-data, the network security configuration, native
//! libraries, `Info.plist` and Mach-O strings. Documented in
//! `docs/facts.md` ("Endpoints").

use serde::{Deserialize, Serialize};

/// One host the app names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// The host name (lower case, no port), or an IPv4 address.
    pub host: String,
    /// URL schemes it was written with (`https`, `wss`, …), sorted; empty
    /// when only named as a bare host (meta-data value, network security
    /// configuration domain, ATS exception domain).
    #[serde(default)]
    pub schemes: Vec<String>,
    /// Where it was found, sorted by file and kind.
    pub sources: Vec<EndpointSource>,
    /// The SDK and vendor whose knowledge-base hosts cover this host, when
    /// one does (`KnowledgeBase::owner_of_host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<EndpointOwner>,
    /// The region the host name itself states (`ingest.us.sentry.io` →
    /// `us`); `None` when it states none. Rules in `docs/facts.md`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

/// Where a host was found.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EndpointSource {
    /// The archive entry (with the split APK's name in split sets).
    pub file: String,
    /// What part of the file named it.
    pub kind: EndpointSourceKind,
    /// The meta-data name or `Info.plist` key path, for those kinds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// What part of a file named a host.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EndpointSourceKind {
    /// A string constant of a DEX file.
    #[default]
    DexString,
    /// A string of `resources.arsc`.
    ResourceString,
    /// A `<meta-data>` value of the manifest (`key` is its name).
    ManifestMetaData,
    /// A domain of the network security configuration.
    NetworkSecurityConfig,
    /// A string in a native library (`lib/<abi>/*.so`).
    NativeLibrary,
    /// A value or ATS exception domain of `Info.plist` (`key` is its path).
    InfoPlist,
    /// A string in the main Mach-O executable.
    MachoString,
}

impl EndpointSourceKind {
    /// The English and German names, for reports.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            EndpointSourceKind::DexString => ("DEX string", "DEX-Zeichenkette"),
            EndpointSourceKind::ResourceString => ("resource string", "Ressourcen-Zeichenkette"),
            EndpointSourceKind::ManifestMetaData => ("manifest meta-data", "Manifest-Metadaten"),
            EndpointSourceKind::NetworkSecurityConfig => (
                "network security configuration",
                "Netzwerksicherheitskonfiguration",
            ),
            EndpointSourceKind::NativeLibrary => ("native library", "native Bibliothek"),
            EndpointSourceKind::InfoPlist => ("Info.plist", "Info.plist"),
            EndpointSourceKind::MachoString => ("Mach-O string", "Mach-O-Zeichenkette"),
        }
    }
}

/// The SDK whose knowledge-base hosts cover an endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointOwner {
    /// The SDK id in the knowledge base (`checks/sdks.toml`).
    pub sdk: String,
    /// The SDK's name.
    pub name: String,
    /// The vendor.
    pub vendor: String,
}

/// Present when the endpoint list was cut at a cap: the list is
/// incomplete (evidence only; no verdict depends on it being complete).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointsCapped {
    /// New hosts taken from one source (file and kind) at most.
    pub max_per_source: usize,
    /// Hosts listed at most.
    pub max_total: usize,
    /// Sources that named more hosts than `max_per_source`.
    #[serde(default)]
    pub sources: Vec<EndpointSource>,
    /// Whether the total cap was hit.
    pub total: bool,
}
