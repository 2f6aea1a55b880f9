//! Facts about one managed device, normalized from any MDM export.
//!
//! Every adapter in `extract::inventory` produces this one shape. The field
//! by field mapping per export format is documented in `docs/facts-inventory.md`.

use std::collections::BTreeMap;

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
    /// OS version as exported, e.g. `17.5.1` or `14` (build suffixes such as
    /// ` (20D74)` are moved to `os_build`).
    pub os_version: Option<String>,
    /// OS build, e.g. `21H450` (Apple) or `AP4A.250905.002` (Android).
    #[serde(default)]
    pub os_build: Option<String>,
    /// Apple Rapid Security Response / Background Security Improvement suffix, e.g. `(a)`.
    #[serde(default)]
    pub os_rsr_suffix: Option<String>,
    /// Android security patch level, `YYYY-MM-DD`.
    pub security_patch_level: Option<String>,
    /// Device model.
    pub model: Option<String>,
    /// A passcode / screen lock is set.
    pub passcode: Option<bool>,
    /// The passcode meets the MDM's passcode policy.
    #[serde(default)]
    pub passcode_compliant: Option<bool>,
    /// Storage encryption is active (bound to the user credential where the export says so).
    pub encryption: Option<bool>,
    /// The export's own words on encryption (e.g. `ACTIVE_DEFAULT_KEY`).
    pub encryption_detail: Option<String>,
    /// `encryption_detail` in German, where it is msgaudit's words (two
    /// values that disagree); German reports show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_detail_de: Option<String>,
    /// What `encryption_detail` says contradicts the encryption fact:
    /// `exports` (the device list and Intune's compliance data of the scan
    /// disagree) or `export` (two fields of one export disagree); absent
    /// when nothing contradicts it. DEV-03 decides on this, never on the
    /// detail's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_contradiction: Option<String>,
    /// The device is enrolled in and managed by the MDM.
    pub managed: Option<bool>,
    /// How the device is managed, as exported (e.g. `DEVICE_OWNER`, `PROFILE_OWNER`,
    /// `userEnrollment`, `mdm`).
    #[serde(default)]
    pub management_mode: Option<String>,
    /// Apple User Enrollment (BYOD enrollment with a separate managed volume).
    #[serde(default)]
    pub user_enrollment: Option<bool>,
    /// Supervised (iOS) / fully managed (Android device owner).
    pub supervised: Option<bool>,
    /// Rooted / jailbroken / integrity compromised.
    pub compromised: Option<bool>,
    /// The export's own words on integrity (e.g. `Normal`, `POTENTIALLY_COMPROMISED`).
    #[serde(default)]
    pub compromised_detail: Option<String>,
    /// `corporate` or `personal`.
    pub ownership: Option<String>,
    /// The MDM's own compliance state, as exported.
    pub compliance_state: Option<String>,
    /// Backups of the device go to the platform cloud (iCloud backup on).
    #[serde(default)]
    pub cloud_backup: Option<bool>,
    /// Lost mode (remote lock) is currently enabled.
    #[serde(default)]
    pub lost_mode: Option<bool>,
    /// Last check-in with the MDM, RFC 3339.
    pub last_check_in: Option<String>,
    /// Enrollment time, RFC 3339.
    #[serde(default)]
    pub enrolled_at: Option<String>,
    /// Days from the security patch level to the audit date.
    pub patch_age_days: Option<i64>,
    /// Days from the last check-in to the audit date.
    pub days_since_check_in: Option<i64>,
    /// Whether the OS version still receives security updates, from the OS
    /// support data (`checks/os-support.toml` or `--os-data`). Shared by the
    /// devices of a fleet that have the same platform, version and patch
    /// level ([`crate::extract::inventory::os_support::OsData::assess_shared`]);
    /// `Arc::make_mut` changes one device's.
    #[serde(default)]
    pub os_support: std::sync::Arc<OsSupport>,
    /// Messengers among the installed apps the export lists for the device
    /// (ids of `checks/messengers.toml`, sorted); `None` when the export
    /// lists no installed apps for it (unknown, never "none installed").
    #[serde(default)]
    pub installed_messengers: Option<Vec<String>>,
    /// Whether the installed-app list behind `installed_messengers` may
    /// hold more apps than it names (entries of its MDM response that name
    /// no device may be this device's): the messengers named are on the
    /// device, others may be too. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub installed_messengers_partial: bool,
    /// Where each security fact came from: the export's field name and raw value.
    #[serde(default)]
    pub raw: DeviceRaw,
    /// The states Intune's compliance exports (given in the same scan) report
    /// for this device's passcode and encryption settings; `None` when no
    /// compliance export was given or the device is not an Intune device.
    #[serde(default)]
    pub policy_compliance: Option<PolicyCompliance>,
    /// Every export of the scan that lists this device, most recent check-in
    /// first, when more than one does (same serial number, IMEI, UDID or the
    /// same MDM's device id); empty for a device only one export lists.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<DeviceSource>,
    /// The judged values those exports disagree on (each value with its
    /// source); the device's own value is the most recent check-in's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
    /// The judged values the device takes from another export than the one
    /// of its most recent record (`sources`' first), because that record
    /// does not give them: the evidence citing such a value names the
    /// export and record it comes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filled: Vec<FilledValue>,
    /// Every fact (by its path in the facts: `raw.encryption`,
    /// `encryption`, `security_patch_level`, `identifiers.imei`) the device
    /// takes from another record than its most recent one, with that
    /// record's position in `sources` (`1` is the second): a field evidence
    /// item quoting such a fact names that record as its location. Empty for
    /// a device only one export lists, and for values the most recent
    /// record gives.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filled_from: BTreeMap<String, usize>,
}

/// One export's record of a device that several exports list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSource {
    /// The export's format (`intune-graph`, `jamf-json`, …).
    pub format: String,
    /// The export file, as given.
    pub file: String,
    /// The device's record in that export (record index or CSV line).
    pub record: String,
    /// That record's last check-in, RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_check_in: Option<String>,
}

/// A device fact on which the exports listing the device disagree.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The `Device` field (`passcode`, `os_version`, …).
    pub field: String,
    /// Each export's value, most recent check-in first.
    pub values: Vec<SourceValue>,
}

/// A judged value a device listed by several exports takes from an export
/// other than the one of its most recent record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilledValue {
    /// The `Device` field (`os_version`, `passcode`, …).
    pub field: String,
    /// The value and the export that gives it.
    pub from: SourceValue,
}

/// One export's value of a conflicting field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceValue {
    /// The value as text (`true`, `17.6`, `corporate`).
    pub value: String,
    /// The export that says it.
    pub source: DeviceSource,
}

/// The state of a device's passcode and encryption settings from Intune's
/// compliance exports (setting states, or per-policy device statuses joined
/// with the policies): the Graph state word (`compliant`, `remediated`,
/// `nonCompliant`, `unknown`, `notApplicable`, `error`, `conflict`,
/// `notAssigned`), `missing` when the exports hold nothing for the device, or
/// `policyNotGiven` when only a status of a policy whose settings were not
/// given is known. The evidence text is in `raw.passcode` / `raw.encryption`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyCompliance {
    /// State behind `passcode`.
    pub passcode: Option<String>,
    /// State behind `encryption` (only when the device list did not say).
    pub encryption: Option<String>,
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

/// The OS support status of a device's OS version at the audit date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OsSupport {
    /// The OS data file knows this platform and major version.
    pub known: bool,
    /// The major version still receives security updates at the audit date;
    /// `None` when unknown.
    pub supported: Option<bool>,
    /// The newest security release known for this major (iOS), e.g. `18.7.9`.
    pub latest_version: Option<String>,
    /// The device runs the newest known release of its major (iOS), or its
    /// patch level is not older than the newest known level (Android);
    /// `None` when it cannot be told.
    pub up_to_date: Option<bool>,
    /// Last day of security updates for this major, if known (`YYYY-MM-DD`).
    pub security_updates_until: Option<String>,
    /// The date the OS data's facts were confirmed for (`facts_as_of` in the
    /// data file, else its `as_of`).
    pub data_as_of: Option<String>,
    /// Why the status is unknown or how it was decided.
    pub note: Option<String>,
    /// `note` in German (German reports show it instead); older facts
    /// documents lack it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_de: Option<String>,
    /// Android: the newest known security patch level (`YYYY-MM-DD`) that
    /// `up_to_date` compares with; absent for other platforms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_patch_level: Option<String>,
    /// Where `latest_patch_level` comes from: `os-data` (the OS support
    /// data's `latest_patch_level`) or `fleet` (a device of the scanned
    /// fleet reports it, newer than the data's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_patch_level_source: Option<String>,
}

/// The export's field names and raw values behind each normalized fact,
/// e.g. `jailBroken = "Unknown"`. `None` when the export had no such field.
/// Never holds personal data.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceRaw {
    /// Source of `os_version`.
    pub os_version: Option<String>,
    /// Source of `security_patch_level`.
    pub security_patch_level: Option<String>,
    /// Source of `passcode`.
    pub passcode: Option<String>,
    /// Source of `encryption`.
    pub encryption: Option<String>,
    /// `passcode` in German, where it is words (the Intune compliance
    /// join's evidence); German reports show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passcode_de: Option<String>,
    /// `encryption` in German, where it is words (the Intune compliance
    /// join's evidence); German reports show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_de: Option<String>,
    /// Source of `compromised`.
    pub compromised: Option<String>,
    /// Source of `managed`.
    pub managed: Option<String>,
    /// Source of `ownership`.
    pub ownership: Option<String>,
    /// Source of `last_check_in`.
    pub last_check_in: Option<String>,
    /// Source of `cloud_backup`.
    pub cloud_backup: Option<String>,
}

impl DeviceRaw {
    /// Every evidence text, in the order of the fields.
    pub fn texts_mut(&mut self) -> [&mut Option<String>; 11] {
        [
            &mut self.os_version,
            &mut self.security_patch_level,
            &mut self.passcode,
            &mut self.encryption,
            &mut self.passcode_de,
            &mut self.encryption_de,
            &mut self.compromised,
            &mut self.managed,
            &mut self.ownership,
            &mut self.last_check_in,
            &mut self.cloud_backup,
        ]
    }
}

/// A list of installed messengers (ids of `checks/messengers.toml`) as a
/// [`FieldConflict`] value writes it: the JSON array (`["signal","whatsapp"]`,
/// `[]` for none), as the facts hold it.
pub fn messengers_text(ids: &[String]) -> String {
    serde_json::to_string(ids).unwrap_or_default()
}

/// A device platform as a sentence or a table writes it (`ios` is "iOS",
/// `ipados` "iPadOS"); any other value as it is. Facts and JSON keep the
/// lower-case value the exports are normalized to.
pub fn platform_name(platform: &str) -> &str {
    match platform {
        "android" => "Android",
        "ios" => "iOS",
        "ipados" => "iPadOS",
        "macos" => "macOS",
        "windows" => "Windows",
        other => other,
    }
}
