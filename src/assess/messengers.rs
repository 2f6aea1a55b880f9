//! The messengers installed on a fleet's devices, for the fleet summary.

use serde::{Deserialize, Serialize};

use super::model::Verdict;

/// One messenger found in the fleet's installed-app lists (since schema 1.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FleetMessenger {
    /// Id from `checks/messengers.toml`, e.g. `whatsapp`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Devices whose installed-app list has it.
    pub devices: usize,
    /// The verdicts of this messenger's apps audited in the same run
    /// (matched by package or bundle id), in input order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<MessengerApp>,
}

/// An audited app of a messenger found in the fleet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessengerApp {
    /// The app's display name (name and version).
    pub name: String,
    /// Its package or bundle id.
    pub id: String,
    /// Its verdict.
    pub verdict: Verdict,
}
