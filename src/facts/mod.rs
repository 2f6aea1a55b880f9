//! Facts: the typed contract between extraction and checks.
//!
//! Every extractor produces [`Facts`]; checks read them as JSON (the same
//! JSON `msgaudit facts` prints). Fields are documented in `docs/facts.md`.
//! A value that could not be determined is `None` / `null` — never a guess.

mod android;
mod common;
mod device;
mod device_size;
mod endpoints;
mod ios;
mod ios_code;
pub mod note;
pub mod os_version;
pub mod partial;
mod sdk_data;
mod unread;
pub mod warning;

pub use android::*;
pub use common::*;
pub use device::*;
pub use endpoints::*;
pub use ios::*;
pub use ios_code::*;
pub use sdk_data::*;
pub use unread::*;

use serde::{Deserialize, Serialize};

/// Facts about one input file: an app (Android or iOS) or a device inventory.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Facts {
    /// An Android or iOS app.
    App(Box<AppFacts>),
    /// An MDM device inventory export.
    Inventory(Box<InventoryFacts>),
}

impl Facts {
    /// The file these facts were read from.
    pub fn file(&self) -> &FileInfo {
        match self {
            Facts::App(a) => &a.file,
            Facts::Inventory(i) => &i.file,
        }
    }
}

/// Facts about one app, Android or iOS.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AppFacts {
    /// `android` or `ios`.
    pub kind: TargetKind,
    /// The input file.
    pub file: FileInfo,
    /// Identity and versions of the app.
    pub app: AppInfo,
    /// Android-specific facts (present when `kind` is `android`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub android: Option<AndroidFacts>,
    /// iOS-specific facts (present when `kind` is `ios`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ios: Option<IosFacts>,
    /// Third-party SDKs and libraries found, with evidence.
    #[serde(default)]
    pub sdks: Vec<SdkHit>,
    /// Hosts the app names, with where they were found, owner and region
    /// (see [`Endpoint`]; filled by `extract::endpoints`).
    #[serde(default)]
    pub endpoints: Vec<Endpoint>,
    /// Present when `endpoints` was cut at a cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoints_capped: Option<EndpointsCapped>,
    /// Problems met while extracting that did not stop it (best-effort
    /// parts), typed with stable codes: in JSON `warnings` (English texts)
    /// and `warning_details` (`{code, en, de}`), see [`warning::AppWarnings`].
    #[serde(flatten)]
    pub warnings: warning::AppWarnings,
    /// Entries that carry facts but could not be read (in full): a limit,
    /// damage, an unsupported format or tampering. Any entry here makes the
    /// target's verdict `error`.
    #[serde(default)]
    pub unread: Vec<Unread>,
}

/// Facts about one MDM inventory export: its devices.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InventoryFacts {
    /// Always `inventory`.
    pub kind: TargetKind,
    /// The input file.
    pub file: FileInfo,
    /// The detected (or forced) export format, e.g. `intune-graph`.
    pub format: String,
    /// Whether the devices' personal identifiers are pseudonymized: `false`
    /// for a document made with `--reveal-identities`. Absent in documents
    /// of earlier versions; a report on such a document does not say that
    /// its identifiers are pseudonymized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pseudonymized: Option<bool>,
    /// The devices, normalized.
    pub devices: Vec<Device>,
    /// What the export did not say clearly: rows or records that could not
    /// be read, with the reason, and values left unknown (English text in
    /// JSON; see [`note::Note`]).
    #[serde(default)]
    pub warnings: Vec<note::Note>,
    /// Present when the export could not be read to its end: how many
    /// devices were read, where reading stopped and why. `devices` holds the
    /// devices read; `msgaudit` exits 4 for such an export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<partial::Partial>,
}
