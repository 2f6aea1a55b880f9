//! Facts about one managed device, normalized from any MDM export.

use serde::{Deserialize, Serialize};

/// One device from an inventory. Unknown values stay `None` — never assumed good.
/// Personal identifiers are pseudonymized at extraction unless revealed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Device {
    /// Position in the export (record index or CSV line), for evidence.
    pub record: String,
    /// Display name: the pseudonymized device name (or in clear when revealed).
    pub name: Option<String>,
    /// Personal and device identifiers (pseudonymized unless revealed).
    pub identifiers: DeviceIdentifiers,
    /// `android`, `ios`, `ipados`, or another lowercase OS family as exported.
    pub platform: Option<String>,
    /// OS version as exported, e.g. `17.5.1` or `14`.
    pub os_version: Option<String>,
    /// Android security patch level, `YYYY-MM-DD`.
    pub security_patch_level: Option<String>,
    /// Device model.
    pub model: Option<String>,
    /// A passcode / screen lock is set.
    pub passcode: Option<bool>,
    /// Storage encryption is active (bound to the user credential where the export says so).
    pub encryption: Option<bool>,
    /// The export's own words on encryption (e.g. `ACTIVE_DEFAULT_KEY`).
    pub encryption_detail: Option<String>,
    /// The device is enrolled in and managed by the MDM.
    pub managed: Option<bool>,
    /// Supervised (iOS) / fully managed (Android device owner).
    pub supervised: Option<bool>,
    /// Rooted / jailbroken / integrity compromised.
    pub compromised: Option<bool>,
    /// `corporate` or `personal`.
    pub ownership: Option<String>,
    /// The MDM's own compliance state, as exported.
    pub compliance_state: Option<String>,
    /// Last check-in with the MDM, RFC 3339.
    pub last_check_in: Option<String>,
    /// Days from the security patch level to the audit date.
    pub patch_age_days: Option<i64>,
    /// Days from the last check-in to the audit date.
    pub days_since_check_in: Option<i64>,
}

/// Identifiers of a device and its user. Pseudonyms look like `pn-3f9a…`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeviceIdentifiers {
    /// The MDM's device id.
    pub device_id: Option<String>,
    /// Device name.
    pub device_name: Option<String>,
    /// User name / UPN.
    pub user: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Serial number.
    pub serial: Option<String>,
    /// IMEI.
    pub imei: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// UDID.
    pub udid: Option<String>,
}
