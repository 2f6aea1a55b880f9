//! Facts about one managed device, normalized from any MDM export.

use serde::{Deserialize, Serialize};

/// One device from an inventory. Unknown values stay `None` — never assumed good.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Device {
    /// Position in the export (record index or line), for evidence.
    pub record: String,
}
