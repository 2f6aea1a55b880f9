//! What a crash-reporting or analytics SDK is set to send: its data
//! categories, read from the documented manifest / Info.plist switches
//! (`checks/sdk-switches.toml`, `docs/sdks.md` "Data categories").

use serde::{Deserialize, Serialize};

/// Whether an SDK sends one data category, as its switch sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataState {
    /// Switched on in the file.
    On,
    /// Switched off in the file.
    Off,
    /// The switch is absent (or ignored by the SDK); the documented default is on.
    DefaultOn,
    /// The switch is absent (or ignored by the SDK); the documented default is off.
    DefaultOff,
    /// The switch is set but its value cannot be read (an unresolved resource
    /// reference, a value the SDK cannot read). Never counts as off.
    Unknown,
}

impl DataState {
    /// True when the category is sent (on, explicitly or by default) or may be
    /// (unknown).
    pub fn may_send(self) -> bool {
        !matches!(self, DataState::Off | DataState::DefaultOff)
    }
}

/// One data category an SDK is set to send (or not), with the switch that says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCategory {
    /// Category id from `checks/sdk-switches.toml`, e.g. `screenshots`.
    pub category: String,
    /// The category's English name.
    pub label: String,
    /// The category's German name.
    pub label_de: String,
    /// What the switch (or its absence) means for this category.
    pub state: DataState,
    /// The switch value as written (after resolving `@bool/…` references);
    /// `null` when the switch is absent.
    pub value: Option<String>,
    /// The sample rate (0.0–1.0) for rate switches that are set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<f64>,
    /// The switch: manifest `<meta-data>` name or Info.plist key (nested
    /// dictionaries joined with `.`). When the switch is absent but its
    /// fallback (Firebase's global flag) is set, the fallback.
    pub source: String,
    /// Where the switch is read from: `AndroidManifest.xml` or `Info.plist`.
    pub file: String,
    /// The resource reference the value came through, e.g. `@bool/screenshots`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// How the state was reached, in English: the switch and value, or "absent:
    /// documented default …", a mistyped value, an inverted switch.
    pub reason: String,
    /// `reason` in German.
    pub reason_de: String,
    /// Where the switch and its default are documented.
    pub doc: String,
}
