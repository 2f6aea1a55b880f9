//! What a fleet list shows of a device so that IT can find and act on it
//! (`targets[].target.device` in the JSON report, since schema 1.4): taken
//! from the device's facts as the evaluator reads them. Personal identifiers
//! are not here; the device's name is the (pseudonymized) target name.

use serde::{Deserialize, Serialize};

use crate::facts::Device;

/// The columns of the fleet device list. A value the export did not give is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSummary {
    /// `android`, `ios`, `ipados`, … as exported (lowercase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Device model.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// OS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_version: Option<String>,
    /// Android security patch level, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patch_level: Option<String>,
    /// Last check-in with the MDM, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check_in: Option<String>,
    /// `corporate` or `personal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ownership: Option<String>,
}

impl DeviceSummary {
    /// The summary of `d`.
    pub fn of(d: &Device) -> DeviceSummary {
        DeviceSummary {
            platform: d.platform.clone(),
            model: d.model.clone(),
            os_version: d.os_version.clone(),
            patch_level: d.security_patch_level.clone(),
            last_check_in: d.last_check_in.clone(),
            ownership: d.ownership.clone(),
        }
    }

    /// The summary of `d`, its texts taken out of the device (left empty),
    /// and the device's record (`record 61`): for a device that is not
    /// needed afterwards. Taken rather than moved, so the device (some
    /// 1,300 bytes) is not copied to be taken apart.
    pub fn taken_from(d: &mut Device) -> (DeviceSummary, String) {
        let summary = DeviceSummary {
            platform: d.platform.take(),
            model: d.model.take(),
            os_version: d.os_version.take(),
            patch_level: d.security_patch_level.take(),
            last_check_in: d.last_check_in.take(),
            ownership: d.ownership.take(),
        };
        (summary, std::mem::take(&mut d.record))
    }
}
