//! Microsoft Intune compliance exports: what a device list never says about
//! the screen lock (and, where it is silent, encryption), read into a bounded
//! index keyed by the device's (pseudonymized) id.
//!
//! Three Graph shapes are read (all as a page `{"value": […]}`, a bare array
//! or JSON lines):
//! - setting states (`…/deviceCompliancePolicySettingStateSummaries/{id}/deviceComplianceSettingStates`):
//!   one row per device and setting, `setting`, `settingName`, `deviceId`,
//!   `state`, `complianceGracePeriodExpirationDateTime`;
//! - per-policy device statuses (`…/deviceCompliancePolicies/{id}/deviceStatuses`):
//!   `id` = `{userId}_{policyId}_{deviceId}`, `status`,
//!   `complianceGracePeriodExpirationDateTime`, `lastReportedDateTime`;
//! - the compliance policies (`…/deviceCompliancePolicies`): which policy
//!   requires a passcode/password (`passcodeRequired`, `passwordRequired`) or
//!   encryption (`storageRequireEncryption`, `bitLockerEnabled`).
//!
//! These files are small next to device lists and are read whole before the
//! devices stream. What the index keeps is budgeted by the bytes of the
//! strings it stores ([`COMPLIANCE_BUDGET`]); over budget is an error, never a
//! silent cut. The join itself is in [`super::compliance_join`].

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;
use thiserror::Error;

use super::dates::lenient_timestamp;
use super::json::for_each_record;
use super::pseudonym::{IdKind, Pseudonymizer};
use super::record::Rec;

/// Most bytes of decoded text the compliance index keeps (device ids,
/// evidence texts, policy names), over all compliance files of a scan.
pub const COMPLIANCE_BUDGET: u64 = 64 << 20;

/// Bytes counted per stored entry besides its strings (map and vector slots).
const ENTRY_OVERHEAD: u64 = 64;

/// Which compliance export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplianceKind {
    /// `deviceComplianceSettingState` rows.
    SettingStates,
    /// `deviceComplianceDeviceStatus` rows of one policy.
    DeviceStatuses,
    /// `deviceCompliancePolicy` objects.
    Policies,
}

impl ComplianceKind {
    /// A short English name for messages.
    pub fn name(self) -> &'static str {
        match self {
            ComplianceKind::SettingStates => "Intune compliance setting states",
            ComplianceKind::DeviceStatuses => "Intune compliance policy device statuses",
            ComplianceKind::Policies => "Intune compliance policies",
        }
    }
}

impl ComplianceKind {
    /// The German name for messages.
    pub fn name_de(self) -> &'static str {
        match self {
            ComplianceKind::SettingStates => "Intune-Einstellungszustände zur Konformität",
            ComplianceKind::DeviceStatuses => "Intune-Gerätestatus je Konformitätsrichtlinie",
            ComplianceKind::Policies => "Intune-Konformitätsrichtlinien",
        }
    }

    /// Why a compliance export of this kind was not used when the scan has
    /// no Intune device list (English, German).
    pub fn without_devices(self) -> (String, String) {
        (
            format!(
                "{} are joined to the Intune device list of the same scan by device id; this scan has no Intune device list, so the file was not used (add the managedDevices export)",
                self.name()
            ),
            format!(
                "{} werden über die Geräte-ID mit der Intune-Geräteliste desselben Laufs verknüpft; dieser Lauf enthält keine Intune-Geräteliste, daher wurde die Datei nicht verwendet (bitte den managedDevices-Export dazunehmen)",
                self.name_de()
            ),
        )
    }
}

/// Why a compliance export could not be used.
#[derive(Debug, Error)]
pub enum ComplianceError {
    /// The JSON could not be read.
    #[error("{file}: unreadable {kind}: {reason}")]
    Read {
        /// The file.
        file: String,
        /// What it was taken for.
        kind: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// The index would grow over its budget.
    #[error("{file}: the Intune compliance data of this scan is larger than the budget of {budget} bytes (decoded identifiers and states); split the export or scan fewer compliance files at once")]
    OverBudget {
        /// The file being read when the budget ran out.
        file: String,
        /// The budget (bytes).
        budget: u64,
    },
    /// The file holds no row of the kind it was taken for.
    #[error("{file}: {}", none_is_a_row(*records, kind))]
    NoRows {
        /// The file.
        file: String,
        /// What it was taken for.
        kind: &'static str,
        /// Records seen.
        records: usize,
    },
}

/// "none of its 3 records is a row of …" / "its only record is not a row of …".
fn none_is_a_row(records: usize, kind: &str) -> String {
    match records {
        1 => format!("its only record is not a row of {kind}"),
        n => format!("none of its {n} records is a row of {kind}"),
    }
}

impl ComplianceError {
    /// The message in German.
    pub fn message_de(&self) -> String {
        match self {
            ComplianceError::Read { file, reason, .. } => {
                format!("{file}: Intune-Konformitätsexport nicht lesbar: {reason}")
            }
            ComplianceError::OverBudget { file, budget } => format!(
                "{file}: Die Intune-Konformitätsdaten dieses Prüflaufs übersteigen die Grenze von {budget} Byte (dekodierte Kennungen und Zustände); bitte den Export aufteilen oder weniger Konformitätsexporte auf einmal prüfen"
            ),
            ComplianceError::NoRows { file, records: 1, .. } => format!(
                "{file}: Der einzige Datensatz ist keine Zeile eines Intune-Konformitätsexports"
            ),
            ComplianceError::NoRows { file, records, .. } => format!(
                "{file}: Keiner der {records} Datensätze ist eine Zeile eines Intune-Konformitätsexports"
            ),
        }
    }
}

/// What a compliance row is about, for the DSK checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aspect {
    /// A passcode / password is required (DEV-02).
    Passcode,
    /// Storage encryption is required (DEV-03).
    Encryption,
}

/// Which aspect a setting name is about: the part after the last `.` of
/// `setting` (e.g. `IosCompliancePolicy.passcodeRequired`) or `settingName`.
pub fn setting_aspect(setting: &str) -> Option<Aspect> {
    let last = setting.rsplit('.').next().unwrap_or(setting);
    match last.trim().to_ascii_lowercase().as_str() {
        "passcoderequired" | "passwordrequired" => Some(Aspect::Passcode),
        "storagerequireencryption" | "bitlockerenabled" => Some(Aspect::Encryption),
        _ => None,
    }
}

/// One state reported for a device: the Graph state word and the evidence
/// text (field, value, file and record; never an identifier).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The state as exported (`compliant`, `nonCompliant`, `error`, …).
    pub state: String,
    /// Evidence text for the report.
    pub evidence: String,
    /// `evidence` in German.
    pub evidence_de: String,
}

impl Finding {
    /// `Some(true)` for `compliant`/`remediated`, `Some(false)` for
    /// `nonCompliant`, `None` for every other state.
    pub fn decides(&self) -> Option<bool> {
        match self.state.to_ascii_lowercase().as_str() {
            "compliant" | "remediated" => Some(true),
            "noncompliant" => Some(false),
            _ => None,
        }
    }

    /// Ranks findings for one aspect: a failing state beats a passing one,
    /// which beats an undecided one.
    fn rank(&self) -> u8 {
        match self.decides() {
            Some(false) => 2,
            Some(true) => 1,
            None => 0,
        }
    }
}

/// A device's status for one policy (decided against the policy's settings
/// at join time, so the policy list may come in any order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyStatus {
    /// The policy's id.
    pub policy: String,
    /// The status and its evidence.
    pub finding: Finding,
}

/// What a compliance policy requires.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PolicyRequires {
    /// Its display name (policy names are configuration, not personal data).
    pub name: String,
    /// `passcodeRequired` / `passwordRequired` is `true`.
    pub passcode: bool,
    /// `storageRequireEncryption` / `bitLockerEnabled` is `true`.
    pub encryption: bool,
}

/// What the compliance exports say about one device.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceEntry {
    /// The deciding setting state per aspect (the worst one seen).
    pub settings: HashMap<Aspect, Finding>,
    /// The device's statuses per policy.
    pub statuses: Vec<PolicyStatus>,
}

/// The compliance exports of one scan, keyed by pseudonymized device id.
#[derive(Debug, Clone)]
pub struct ComplianceIndex {
    devices: HashMap<String, DeviceEntry>,
    policies: HashMap<String, PolicyRequires>,
    files: Vec<String>,
    used: u64,
    budget: u64,
    pn: Pseudonymizer,
    as_of: NaiveDate,
}

impl ComplianceIndex {
    /// An empty index whose device ids are pseudonymized like the device
    /// lists' (same key), kept within `budget` bytes.
    pub fn new(pn: Pseudonymizer, as_of: NaiveDate, budget: u64) -> Self {
        ComplianceIndex {
            devices: HashMap::new(),
            policies: HashMap::new(),
            files: Vec::new(),
            used: 0,
            budget,
            pn,
            as_of,
        }
    }

    /// The files read into the index.
    pub fn files(&self) -> &[String] {
        &self.files
    }

    /// What the exports say about the device with pseudonymized id `id`.
    pub fn device(&self, id: &str) -> Option<&DeviceEntry> {
        self.devices.get(id)
    }

    /// What policy `id` requires, when the policy list was given.
    pub fn policy(&self, id: &str) -> Option<&PolicyRequires> {
        self.policies.get(id)
    }

    /// Reads one compliance export of `kind` from `input` (named `file`);
    /// records over `max_record` bytes are refused before buffering.
    pub fn read(
        &mut self,
        file: &str,
        kind: ComplianceKind,
        input: &mut dyn std::io::BufRead,
        max_record: u64,
    ) -> Result<(), ComplianceError> {
        let mut records = 0usize;
        let mut rows = 0usize;
        let mut over = false;
        let read_err = |reason: String| ComplianceError::Read {
            file: file.to_string(),
            kind: kind.name(),
            reason,
        };
        let notes = for_each_record(input, max_record, |v| {
            records += 1;
            if over {
                return;
            }
            let added = match kind {
                ComplianceKind::SettingStates => self.setting_row(&v, file, records),
                ComplianceKind::DeviceStatuses => self.status_row(&v, file, records),
                ComplianceKind::Policies => self.policy_row(&v),
            };
            match added {
                Ok(true) => rows += 1,
                Ok(false) => {}
                Err(()) => over = true,
            }
        })
        .map_err(|e| read_err(e.to_string()))?;
        // A skipped row could be the failing state of a device whose other
        // rows pass: a compliance export is used whole or not at all.
        if let Some(note) = notes.first() {
            return Err(read_err(format!("read only in part, so not used: {note}")));
        }
        if over {
            return Err(ComplianceError::OverBudget {
                file: file.to_string(),
                budget: self.budget,
            });
        }
        if rows == 0 {
            return Err(ComplianceError::NoRows {
                file: file.to_string(),
                kind: kind.name(),
                records,
            });
        }
        self.files.push(file.to_string());
        Ok(())
    }

    /// Counts `bytes` against the budget; `Err` when it would be exceeded.
    fn spend(&mut self, bytes: usize) -> Result<(), ()> {
        let bytes = (bytes as u64).saturating_add(ENTRY_OVERHEAD);
        match self.used.checked_add(bytes) {
            Some(n) if n <= self.budget => {
                self.used = n;
                Ok(())
            }
            _ => Err(()),
        }
    }

    /// ` within Intune's grace period until D` when a grace period runs
    /// past the audit date (the `9999-12-31` sentinel means none).
    /// (in English and German).
    fn grace(&self, r: Rec<'_>) -> (String, String) {
        let until = r
            .get("complianceGracePeriodExpirationDateTime")
            .and_then(lenient_timestamp)
            .map(|t| t.date_naive());
        match until {
            Some(d) if d.format("%Y").to_string() != "9999" && d >= self.as_of => (
                format!("; within Intune's grace period until {d}"),
                format!("; in der Karenzzeit von Intune bis {d}"),
            ),
            _ => (String::new(), String::new()),
        }
    }

    fn setting_row(&mut self, v: &Value, file: &str, n: usize) -> Result<bool, ()> {
        let r = Rec::new(v);
        let Some((_, setting)) = r.text(&["setting", "settingName"]) else {
            return Ok(false);
        };
        let aspect = setting_aspect(&setting).or_else(|| {
            r.text(&["settingName"])
                .and_then(|(_, s)| setting_aspect(&s))
        });
        let (Some(aspect), Some((_, device)), Some((_, state))) =
            (aspect, r.text(&["deviceId"]), r.text(&["state"]))
        else {
            return Ok(true);
        };
        let Some(id) = self.pn.apply(IdKind::DeviceId, &device) else {
            return Ok(true);
        };
        let (grace, grace_de) = self.grace(r);
        let evidence =
            format!("Intune setting state {setting} = {state:?} ({file}, record {n}{grace})");
        let evidence_de = format!(
            "Intune-Einstellungszustand {setting} = {state:?} ({file}, Datensatz {n}{grace_de})"
        );
        let finding = Finding {
            state,
            evidence,
            evidence_de,
        };
        let keep = match self.devices.get(&id).and_then(|e| e.settings.get(&aspect)) {
            Some(old) => finding.rank() > old.rank(),
            None => true,
        };
        if keep {
            self.spend(
                id.len() + finding.evidence.len() + finding.evidence_de.len() + finding.state.len(),
            )?;
            self.devices
                .entry(id)
                .or_default()
                .settings
                .insert(aspect, finding);
        }
        Ok(true)
    }

    fn status_row(&mut self, v: &Value, file: &str, n: usize) -> Result<bool, ()> {
        let r = Rec::new(v);
        let (Some((_, composite)), Some((_, status))) = (r.text(&["id"]), r.text(&["status"]))
        else {
            return Ok(false);
        };
        // `{userId}_{policyId}_{deviceId}` (recorded in the corpus).
        let parts: Vec<&str> = composite.split('_').collect();
        let [_, policy, device] = parts[..] else {
            return Ok(false);
        };
        let Some(id) = self.pn.apply(IdKind::DeviceId, device) else {
            return Ok(false);
        };
        let reported_on = r
            .get("lastReportedDateTime")
            .and_then(lenient_timestamp)
            .map(|t| t.date_naive());
        let reported = reported_on
            .map(|d| format!("; reported {d}"))
            .unwrap_or_default();
        let reported_de = reported_on
            .map(|d| format!("; gemeldet am {d}"))
            .unwrap_or_default();
        let (grace, grace_de) = self.grace(r);
        let evidence = format!(
            "Intune device status = {status:?} for compliance policy {policy} ({file}, record {n}{reported}{grace})"
        );
        let evidence_de = format!(
            "Intune-Gerätestatus = {status:?} für die Konformitätsrichtlinie {policy} ({file}, Datensatz {n}{reported_de}{grace_de})"
        );
        let policy = policy.to_string();
        self.spend(id.len() + evidence.len() + evidence_de.len() + status.len() + policy.len())?;
        self.devices
            .entry(id)
            .or_default()
            .statuses
            .push(PolicyStatus {
                policy,
                finding: Finding {
                    state: status,
                    evidence,
                    evidence_de,
                },
            });
        Ok(true)
    }

    fn policy_row(&mut self, v: &Value) -> Result<bool, ()> {
        let r = Rec::new(v);
        // `@odata.type` holds a dot: looked up as one key, not as a path.
        let is_policy = v
            .get("@odata.type")
            .and_then(Value::as_str)
            .is_some_and(|t| t.to_ascii_lowercase().contains("compliancepolicy"));
        let Some((_, id)) = r.text(&["id"]) else {
            return Ok(false);
        };
        if !is_policy {
            return Ok(false);
        }
        let yes = |paths: &[&str]| {
            paths
                .iter()
                .any(|p| r.get(p).and_then(Value::as_bool) == Some(true))
        };
        let req = PolicyRequires {
            name: r.text(&["displayName"]).map(|(_, s)| s).unwrap_or_default(),
            passcode: yes(&["passcodeRequired", "passwordRequired"]),
            encryption: yes(&["storageRequireEncryption", "bitLockerEnabled"]),
        };
        self.spend(id.len() + req.name.len())?;
        self.policies.insert(id, req);
        Ok(true)
    }
}

/// Tells a compliance export by its first bytes (up to 64 KiB): the Graph
/// `@odata.context` where present, else the keys of its rows. A head that
/// holds managed-device keys (`osVersion`, `operatingSystem`) is a device
/// list, never a compliance export.
pub fn sniff(head: &[u8]) -> Option<ComplianceKind> {
    let text = String::from_utf8_lossy(head);
    let has = |s: &str| text.contains(s);
    if has("\"osVersion\"") || has("\"operatingSystem\"") {
        return None;
    }
    if has("deviceComplianceSettingStates") || (has("\"settingName\"") && has("\"state\"")) {
        return Some(ComplianceKind::SettingStates);
    }
    if has("/deviceStatuses")
        || (has("\"deviceDisplayName\"") && has("\"status\"") && has("\"lastReportedDateTime\""))
    {
        return Some(ComplianceKind::DeviceStatuses);
    }
    if has("CompliancePolicy\"") && (has("\"passcodeRequired\"") || has("\"passwordRequired\"")) {
        return Some(ComplianceKind::Policies);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(budget: u64) -> ComplianceIndex {
        ComplianceIndex::new(
            Pseudonymizer::new(Some("k"), false),
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            budget,
        )
    }

    const STATES: &str = r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/deviceCompliancePolicySettingStateSummaries('x')/deviceComplianceSettingStates","value":[
      {"setting":"IosCompliancePolicy.passcodeRequired","settingName":"passcodeRequired","deviceId":"d1","state":"compliant"},
      {"setting":"IosCompliancePolicy.passcodeRequired","settingName":"passcodeRequired","deviceId":"d2","state":"nonCompliant","complianceGracePeriodExpirationDateTime":"2026-12-01T00:00:00Z"},
      {"setting":"IosCompliancePolicy.passcodeRequired","settingName":"passcodeRequired","deviceId":"d2","state":"compliant"},
      {"setting":"IosCompliancePolicy.osMinimumVersion","settingName":"osMinimumVersion","deviceId":"d3","state":"nonCompliant"}]}"#;

    #[test]
    fn setting_states_keep_the_worst_state_and_the_grace_period() {
        assert_eq!(
            sniff(STATES.as_bytes()),
            Some(ComplianceKind::SettingStates)
        );
        let mut ix = index(COMPLIANCE_BUDGET);
        ix.read(
            "s.json",
            ComplianceKind::SettingStates,
            &mut STATES.as_bytes(),
            1 << 20,
        )
        .unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let d1 = pn.apply(IdKind::DeviceId, "D1").unwrap();
        let f = &ix.device(&d1).unwrap().settings[&Aspect::Passcode];
        assert_eq!(f.decides(), Some(true));
        let d2 = pn.apply(IdKind::DeviceId, "d2").unwrap();
        let f = &ix.device(&d2).unwrap().settings[&Aspect::Passcode];
        assert_eq!(f.decides(), Some(false));
        assert!(
            f.evidence.contains("grace period until 2026-12-01"),
            "{f:?}"
        );
        // A setting about something else is not kept.
        let d3 = pn.apply(IdKind::DeviceId, "d3").unwrap();
        assert!(ix.device(&d3).is_none());
    }

    #[test]
    fn over_budget_is_an_error_naming_the_file() {
        let mut ix = index(100);
        let e = ix
            .read(
                "big.json",
                ComplianceKind::SettingStates,
                &mut STATES.as_bytes(),
                1 << 20,
            )
            .unwrap_err();
        assert!(matches!(e, ComplianceError::OverBudget { .. }));
        assert!(e.to_string().starts_with("big.json: "), "{e}");
    }

    #[test]
    fn device_lists_and_other_json_are_not_compliance_exports() {
        assert_eq!(sniff(br#"{"value":[{"id":"1","osVersion":"17"}]}"#), None);
        assert_eq!(sniff(br#"{"Devices":[]}"#), None);
        let mut ix = index(COMPLIANCE_BUDGET);
        let e = ix
            .read(
                "x.json",
                ComplianceKind::DeviceStatuses,
                &mut &br#"{"value":[{"a":1}]}"#[..],
                1 << 20,
            )
            .unwrap_err();
        assert!(
            matches!(e, ComplianceError::NoRows { records: 1, .. }),
            "{e}"
        );
        // One record is said in the singular, in both languages.
        assert!(
            e.to_string()
                .starts_with("x.json: its only record is not a row of "),
            "{e}"
        );
        assert_eq!(
            e.message_de(),
            "x.json: Der einzige Datensatz ist keine Zeile eines Intune-Konformitätsexports"
        );
    }
}
