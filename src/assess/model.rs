//! Data model of an assessment. Its JSON form is the versioned report contract
//! (documented in `docs/report.md`).

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::store::DeviceStore;
use crate::facts::{Evidence, FileInfo, TargetKind, Unread, UnreadKind};

/// Version of the JSON report shape; bump the minor for additions, the major for breaks.
pub const REPORT_SCHEMA_VERSION: &str = "2.6";

/// A text in both report languages.
///
/// The strings are shared (`Arc<str>`): a check's title, remediation and rule
/// messages are cloned into every result of every target, and a clone only
/// bumps a reference count. The JSON form is `{"de": "…", "en": "…"}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    /// German.
    pub de: Arc<str>,
    /// English.
    pub en: Arc<str>,
}

impl Text {
    /// A text from its German and English wording.
    pub fn new(de: impl Into<Arc<str>>, en: impl Into<Arc<str>>) -> Self {
        Text {
            de: de.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::De => &self.de,
            Lang::En => &self.en,
        }
    }
}

pub use crate::lang::Lang;

/// Requirement level as the DSK gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Muss.
    Must,
    /// Soll.
    Should,
    /// An accepted alternative to another requirement.
    Alternative,
    /// Wünschenswert.
    Desirable,
}

/// The outcome of one check on one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The requirement is met, by the evidence.
    Pass,
    /// The requirement is not met, by the evidence.
    Fail,
    /// Heuristic evidence against the requirement; needs a look.
    Warn,
    /// Cannot be decided from files; needs an attestation in the answers file.
    Manual,
    /// Does not apply to this target.
    NotApplicable,
    /// The check could not be evaluated (reason in the message).
    Error,
}

/// The verdict on one target (strict, separate from the score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Every must-check passed.
    Compliant,
    /// At least one must-check failed.
    NotCompliant,
    /// No must-check failed, but some are undecided (manual, warn, error).
    Incomplete,
    /// The target could not be read.
    Error,
}

impl Outcome {
    /// The outcome's name in JSON and as a CSS class (`pass`, `not_applicable`, …).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Warn => "warn",
            Outcome::Manual => "manual",
            Outcome::NotApplicable => "not_applicable",
            Outcome::Error => "error",
        }
    }
}

impl Verdict {
    /// The verdict's name in JSON and as a CSS class (`compliant`, `not_compliant`, …).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Compliant => "compliant",
            Verdict::NotCompliant => "not_compliant",
            Verdict::Incomplete => "incomplete",
            Verdict::Error => "error",
        }
    }

    /// How bad the verdict is, the one order of verdicts (higher is worse):
    /// compliant < incomplete < not compliant < error. An unreadable target
    /// is the worst, since nothing unread may look better than what was read.
    /// The device order of reports, the worst cell of a comparison, a
    /// regression in `diff` and the exit code of `scan` all follow it.
    pub fn severity(self) -> u8 {
        match self {
            Verdict::Compliant => 0,
            Verdict::Incomplete => 1,
            Verdict::NotCompliant => 2,
            Verdict::Error => 3,
        }
    }
}

/// An auditor's answer to a check, from the answers file.
///
/// Present on a result whenever an answer was found for it, also one that did
/// not decide it (see [`AttestationStatus`]); `outcome`, `version`, `sha256`,
/// `valid_until`, `automatic_outcome` and `reason` since schema 1.4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attestation {
    /// Who attested (name / role), as written in the answers file.
    pub by: String,
    /// Date of the attestation (YYYY-MM-DD).
    pub date: String,
    /// The auditor's note.
    #[serde(default)]
    pub note: String,
    /// The outcome the answer gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The app version the answer was made for, as written (`2.3` or `2.3 (230)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The SHA-256 of the file the answer was made for (lowercase hex).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The last day the answer holds (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// The outcome the check's rules gave, before the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automatic_outcome: Option<Outcome>,
    /// Why the answer did not decide the check, or how it conflicts with the
    /// automatic outcome; absent when it was applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Text>,
}

impl Attestation {
    /// An attestation of `by` on `date` with `note` and nothing else.
    pub fn new(by: impl Into<String>, date: impl Into<String>, note: impl Into<String>) -> Self {
        Attestation {
            by: by.into(),
            date: date.into(),
            note: note.into(),
            outcome: None,
            version: None,
            sha256: None,
            valid_until: None,
            automatic_outcome: None,
            reason: None,
        }
    }
}

/// What became of an answer found for a check (`attestation_status` in the
/// JSON report, since schema 1.4). Only `applied` (and the stricter side of a
/// `conflict`) decides an outcome; the others leave the automatic outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttestationStatus {
    /// The answer decided a manual or warn outcome.
    Applied,
    /// The answer's `valid_until` lies before the audit date.
    Expired,
    /// The answer was made for another app version or another file (SHA-256).
    OtherVersion,
    /// The answer contradicts the automatic outcome; the stricter one stands.
    Conflict,
}

impl AttestationStatus {
    /// The status's name in JSON (`applied`, `other_version`, …).
    pub fn name(self) -> &'static str {
        match self {
            AttestationStatus::Applied => "applied",
            AttestationStatus::Expired => "expired",
            AttestationStatus::OtherVersion => "other_version",
            AttestationStatus::Conflict => "conflict",
        }
    }
}

/// The result of one check on one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Check id, e.g. `APP-05-crash-default-off`.
    pub check: String,
    /// DSK requirement id, e.g. `APP-05`.
    pub requirement: String,
    /// Requirement level.
    pub level: Level,
    /// The outcome.
    pub outcome: Outcome,
    /// Check title.
    pub title: Text,
    /// Why it came out this way, in words a non-specialist understands.
    pub message: Text,
    /// What to do about a fail/warn/manual outcome.
    #[serde(default)]
    pub remediation: Text,
    /// The evidence that decided the outcome.
    pub evidence: Vec<Evidence>,
    /// The auditor's answer found for this check, when one was: it decided
    /// the outcome when [`CheckResult::attested`] is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation: Option<Attestation>,
    /// True when the outcome was decided by an auditor's answer, not by the
    /// rules (since schema 1.4; absent = false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub attested: bool,
    /// What became of the answer found for this check (since schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_status: Option<AttestationStatus>,
    /// Weight in the score, from the profile.
    pub weight: f64,
}

/// What a target is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetInfo {
    /// `android`, `ios` or `device`.
    pub kind: TargetKind,
    /// Display name: app name and version, or the device's (pseudonymized) name.
    pub name: String,
    /// App id (package / bundle id), when an app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// App version, when an app.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The input file (apps, and the inventory a device came from).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<FileInfo>,
    /// For devices: the inventory format and record (e.g. `intune-graph#12`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// For devices: what IT needs to find and act on it (since schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<super::device_summary::DeviceSummary>,
}

/// The assessment of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetAssessment {
    /// What was assessed.
    pub target: TargetInfo,
    /// The strict verdict.
    pub verdict: Verdict,
    /// Weighted share of passed checks among the decided ones, 0–100; `None` when nothing was decided.
    pub score: Option<f64>,
    /// One result per check of the profile that applies to this kind.
    pub results: Vec<CheckResult>,
    /// Why the target could not be read (verdict `error`): the file's read
    /// error, or a summary of [`TargetAssessment::unread`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// What kind of problem made the whole file unreadable, when known
    /// (`limit`, `damage`, `unsupported`, `tampering`; since schema 1.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_kind: Option<UnreadKind>,
    /// [`TargetAssessment::error`] in German, where the reader has a German
    /// text (archive tricks; since schema 1.2). German reports show it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_de: Option<String>,
    /// For an installed-app list given as a file of its own that is a
    /// target (verdict `error`): why it was not used (since schema 2.4).
    /// Reports label such a target an installed-app list, and one that
    /// matched no device „Nicht zugeordnet“ / "Not matched", not unreadable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unused_app_list: Option<UnusedAppList>,
    /// Entries that carry facts but could not be read (since schema 1.2).
    /// Not empty → verdict `error` and no score, though the checks were
    /// evaluated on what was read (for information).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<Unread>,
    /// The facts the checks were evaluated on (as `msgaudit facts` prints
    /// them), so that a saved report can be compared and diffed later. Kept
    /// as their JSON text, in memory or spilled to a temporary file
    /// ([`KeptFacts`](crate::assess::KeptFacts)); written to the report as the same JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<super::KeptFacts>,
}

/// Why an installed-app list given as a file of its own was not used
/// ([`TargetAssessment::unused_app_list`]; `unused_app_list` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnusedAppList {
    /// It could not be read, or holds no list that can be joined to a device.
    Unreadable,
    /// It was read, but none of its lists names a device of the run's
    /// exports: it matched no device.
    Unmatched,
}

/// How many of a target's applicable checks were decided: the honest
/// companion of the score (`coverage` in the JSON report, since schema 1.3).
///
/// A check is *decided* when its outcome is `pass` or `fail` (also when an
/// auditor's answer made it so); `warn`, `manual` and `error` are open;
/// `not_applicable` is not counted at all. A target that could not be read
/// (verdict `error`) has nothing decided: its results, if any, are for
/// information only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Applicable checks with a pass or fail outcome.
    pub decided: usize,
    /// Applicable checks (every result except not-applicable ones).
    pub total: usize,
}

impl Coverage {
    /// The coverage of `results` on a target with `verdict`.
    pub fn of(results: &[CheckResult], verdict: Verdict) -> Coverage {
        let applicable = || {
            results
                .iter()
                .filter(|r| r.outcome != Outcome::NotApplicable)
        };
        let decided = if verdict == Verdict::Error {
            0
        } else {
            applicable()
                .filter(|r| matches!(r.outcome, Outcome::Pass | Outcome::Fail))
                .count()
        };
        Coverage {
            decided,
            total: applicable().count(),
        }
    }

    /// Applicable checks still open (warn, manual, error).
    pub fn open(&self) -> usize {
        self.total.saturating_sub(self.decided)
    }
}

impl TargetAssessment {
    /// Whether this is an installed-app list that was read but none of
    /// whose lists names a device of the run ([`UnusedAppList::Unmatched`]):
    /// its verdict is `error`, yet reports call it „Nicht zugeordnet“ /
    /// "Not matched", not unreadable.
    pub fn is_unmatched_app_list(&self) -> bool {
        self.unused_app_list == Some(UnusedAppList::Unmatched)
    }

    /// How many of the applicable checks were decided ([`Coverage`]).
    pub fn coverage(&self) -> Coverage {
        Coverage::of(&self.results, self.verdict)
    }

    /// True for a file named as an input that does not exist: an error
    /// target of kind `unknown` (its name says what it was meant to be,
    /// not what it is) without a hash or size, whose German error says
    /// „Datei oder Ordner nicht gefunden“ ([`crate::lang::NOT_FOUND_DE`],
    /// the same words on every system). Reports label it „Datei nicht
    /// gefunden“ / "File not found", never an app.
    pub fn file_not_found(&self) -> bool {
        self.verdict == Verdict::Error
            && self.target.kind == TargetKind::Unknown
            && self
                .target
                .file
                .as_ref()
                .is_none_or(|f| f.sha256.is_empty() && f.size == 0)
            && self
                .error_de
                .as_deref()
                .is_some_and(|e| e.contains(crate::lang::NOT_FOUND_DE))
    }
}

/// A target as the JSON report writes it: its fields followed by the derived
/// `coverage` (since schema 1.3). Reading a report ignores `coverage` and
/// derives it again from the results.
#[derive(Serialize)]
pub struct TargetJson<'a> {
    #[serde(flatten)]
    target: &'a TargetAssessment,
    coverage: Coverage,
    /// Apps: what the app is and asks for (since schema 1.4), from the facts.
    #[serde(skip_serializing_if = "Option::is_none")]
    profile: Option<super::app_profile::AppProfile>,
}

impl<'a> TargetJson<'a> {
    /// The JSON form of `target`.
    pub fn new(target: &'a TargetAssessment) -> Self {
        TargetJson {
            target,
            coverage: target.coverage(),
            profile: target
                .facts
                .as_ref()
                .and_then(|f| f.value().ok())
                .and_then(|f| super::app_profile::build(&f)),
        }
    }
}

/// The tool that made the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolInfo {
    /// `msgaudit`.
    pub name: String,
    /// Tool version.
    pub version: String,
    /// SHA-256 over the effective check set (built-in plus `--checks`), hex.
    pub check_set_digest: String,
}

/// The profile used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileInfo {
    /// Profile id, e.g. `dsk-must`.
    pub id: String,
    /// Profile title.
    pub title: Text,
    /// Where the profile came from (`built-in` or a file path).
    pub source: String,
}

/// Share of devices meeting one device check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetRequirement {
    /// Check id.
    pub check: String,
    /// Requirement id.
    pub requirement: String,
    /// Requirement level.
    pub level: Level,
    /// Check title.
    pub title: Text,
    /// Devices that passed.
    pub passed: usize,
    /// Devices that failed.
    pub failed: usize,
    /// Devices where the check is open (warn, manual, error); devices
    /// where it does not apply are not counted here (since schema 1.3).
    pub undecided: usize,
    /// Devices where the check does not apply (since schema 1.3; 0 in
    /// older reports).
    #[serde(default)]
    pub not_applicable: usize,
    /// passed / (devices where the check applies) × 100; 0 when it applies
    /// to none.
    pub share_compliant: f64,
    /// What would decide the check where it is open (e.g. which export, or
    /// an answer), from the check's `decide_hint` (since schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decide_hint: Option<Text>,
    /// Of `undecided`: the devices whose check warned (since schema 2.3;
    /// absent when none, and in older reports).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub warned: usize,
    /// Of `undecided`: the devices left open (manual or error) by the
    /// format of the export their result names (a device merged from
    /// several exports counts under the leading one), sorted by format
    /// (since schema 2.3; absent when none, and in older reports).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_by_format: Vec<FormatCount>,
}

/// Devices of one export format (e.g. `intune-graph`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatCount {
    /// The export format's name, as in a device result's `source`.
    pub format: String,
    /// Devices.
    pub devices: usize,
}

impl FleetRequirement {
    /// The share to show: `None` when the check applies to no device (no
    /// device at all, or none it applies to), where `share_compliant` is 0
    /// but "0 %" would read as "every device fails".
    pub fn shown_share(&self) -> Option<f64> {
        (self.passed + self.failed + self.undecided > 0).then_some(self.share_compliant)
    }
}

/// Summary over all devices of the inventories in a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetSummary {
    /// Number of devices.
    pub devices: usize,
    /// Devices by verdict.
    pub compliant: usize,
    /// Devices failing at least one must-check.
    pub not_compliant: usize,
    /// Devices with undecided must-checks.
    pub incomplete: usize,
    /// Per device check, the share of compliant devices.
    pub requirements: Vec<FleetRequirement>,
    /// Whether personal identifiers in this report are pseudonymized.
    pub pseudonymized: bool,
    /// Whether the pseudonyms were made with msgaudit's public default key
    /// (they hide names, but anyone can recompute them from a known name).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default_pseudonym_key: bool,
    /// The inventory exports read, with what each did not say clearly
    /// (since schema 1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inventories: Vec<FleetInventory>,
    /// What the run's exports showed together, for information, not as
    /// warnings: one note per paged export whose pages were given as
    /// several files and read together as one export, every page there
    /// (since schema 2.3), in both languages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub export_info: Vec<Text>,
    /// The OS support data the devices were judged with: its source, whether
    /// it is stale, the fleet's patch-level floor (since schema 1.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_data: Option<super::os_data::OsDataStatus>,
    /// Messengers in the devices' installed-app lists, with device counts
    /// and the verdicts of their apps audited in the same run (since schema 1.3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messengers: Vec<super::messengers::FleetMessenger>,
    /// Devices by OS version and by patch age, for the summary's charts
    /// (since schema 1.4).
    #[serde(
        default,
        skip_serializing_if = "super::distribution::FleetDistribution::is_empty"
    )]
    pub distribution: super::distribution::FleetDistribution,
}

/// Whether `n` is 0 (a count a JSON report omits then).
fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// One inventory export of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FleetInventory {
    /// The export file.
    pub file: FileInfo,
    /// Its format (e.g. `intune-graph`).
    pub format: String,
    /// Devices counted with it: a device other exports of the run list too
    /// counts once, with the export read last.
    pub devices: usize,
    /// Devices it lists that were merged into a device counted with an
    /// export read later, so not in `devices` (omitted when none).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub merged_elsewhere: usize,
    /// What the export did not say clearly or could not be read (records
    /// skipped, values left unknown, with counts), in both languages; never
    /// personal data.
    pub warnings: Vec<Text>,
    /// Present when the export could not be read to its end (since schema
    /// 1.2): devices read, where reading stopped, why; the run exits 4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<crate::facts::partial::Partial>,
}

/// What a further input of a run is for: a file that decides results
/// without being an app or a device list of its own (since schema 2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputRole {
    /// `--answers`: attestations that decide manual checks.
    Answers,
    /// `--profile FILE`: which checks apply, with which parameters.
    Profile,
    /// `--os-data`: the OS support data devices are judged by (DEV-01).
    OsData,
    /// `--trackers`: SDK signatures added to the built-in ones.
    Trackers,
    /// The column mapping a generic CSV export was read with.
    ColumnMapping,
    /// An Intune compliance export joined to the devices (DEV-02, DEV-03).
    ComplianceExport,
    /// An installed-app list joined to the devices (messengers found).
    InstalledApps,
}

/// A further input of a run, with its size and SHA-256 (an empty hash when
/// it could not be hashed, e.g. over `--max-input-size`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportingInput {
    /// What it is for.
    pub role: InputRole,
    /// The file.
    pub file: FileInfo,
}

/// The complete result of one run: the JSON report.
///
/// In memory, apps (and unreadable inputs) are in `targets` and devices in
/// `devices` (which may live in a temporary file, see [`DeviceStore`]). The JSON
/// form has one `targets` array: the apps, then the devices worst first — so
/// serializing streams the devices and reading a report splits them again.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct Assessment {
    /// Version of this JSON shape ([`REPORT_SCHEMA_VERSION`]).
    pub schema_version: String,
    /// The tool.
    pub tool: ToolInfo,
    /// The profile.
    pub profile: ProfileInfo,
    /// Audit date (YYYY-MM-DD) the checks were evaluated for.
    pub as_of: String,
    /// Language of the report texts chosen for rendering.
    pub lang: Lang,
    /// The apps and unreadable inputs, in input order.
    pub targets: Vec<TargetAssessment>,
    /// The devices of the inventories, worst first.
    pub devices: DeviceStore,
    /// Present when the run included inventories.
    pub fleet: Option<FleetSummary>,
    /// Files found in folders and passed over (since schema 1.2; omitted
    /// when 0): neither an app, an inventory export nor a facts document, or
    /// skipped for another reason (a special file, a link to a folder, an
    /// export found in a folder that holds no devices). Files that look like
    /// apps but cannot be read are targets with the verdict `error`, never
    /// skipped.
    pub skipped_files: usize,
    /// Of [`Assessment::skipped_files`], those that are neither an app, an
    /// inventory export nor a facts document, when the run knows it (a
    /// report read back from JSON does not: the JSON keeps the total only).
    pub skipped_unrecognized: Option<usize>,
    /// The further inputs that decided results (answers, profile file, OS
    /// data, trackers, column mappings, Intune compliance exports,
    /// installed-app lists), in that order (since schema 2.2; omitted when
    /// none). The apps' and device lists' files are their targets' and
    /// exports' own.
    pub inputs: Vec<SupportingInput>,
}

/// The JSON shape of [`Assessment`] as read.
#[derive(Deserialize)]
struct AssessmentJson {
    schema_version: String,
    tool: ToolInfo,
    profile: ProfileInfo,
    as_of: String,
    lang: Lang,
    targets: Vec<TargetAssessment>,
    #[serde(default)]
    fleet: Option<FleetSummary>,
    #[serde(default)]
    skipped_files: usize,
    #[serde(default)]
    inputs: Vec<SupportingInput>,
}

impl TryFrom<serde_json::Value> for Assessment {
    type Error = String;

    /// Reads a report of any schema: 2.0 catalog references are resolved
    /// first ([`super::catalog::expand`]), then the 1.x shape is read.
    fn try_from(mut doc: serde_json::Value) -> Result<Self, String> {
        super::catalog::expand(&mut doc).map_err(|e| e.to_string())?;
        serde_json::from_value::<AssessmentJson>(doc)
            .map(Assessment::from)
            .map_err(|e| e.to_string())
    }
}

impl From<AssessmentJson> for Assessment {
    fn from(j: AssessmentJson) -> Self {
        let (devices, targets): (Vec<_>, Vec<_>) = j
            .targets
            .into_iter()
            .partition(|t| t.target.kind == TargetKind::Device);
        Assessment {
            schema_version: j.schema_version,
            tool: j.tool,
            profile: j.profile,
            as_of: j.as_of,
            lang: j.lang,
            targets,
            devices: DeviceStore::from_targets(devices),
            fleet: j.fleet,
            skipped_files: j.skipped_files,
            skipped_unrecognized: None,
            inputs: j.inputs,
        }
    }
}

impl Serialize for Assessment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let notices = self.notices();
        let fields = 6
            + usize::from(self.fleet.is_some())
            + usize::from(self.skipped_files > 0)
            + usize::from(!self.inputs.is_empty())
            + usize::from(!notices.is_empty());
        let mut st = s.serialize_struct("Assessment", fields)?;
        st.serialize_field("schema_version", &self.schema_version)?;
        st.serialize_field("tool", &self.tool)?;
        st.serialize_field("profile", &self.profile)?;
        st.serialize_field("as_of", &self.as_of)?;
        st.serialize_field("lang", &self.lang)?;
        if !notices.is_empty() {
            // Since schema 1.3: what the reader must know first (stale OS data).
            st.serialize_field("notices", &notices)?;
        }
        st.serialize_field("targets", &AllTargets(self))?;
        if let Some(fleet) = &self.fleet {
            st.serialize_field("fleet", fleet)?;
        }
        if self.skipped_files > 0 {
            st.serialize_field("skipped_files", &self.skipped_files)?;
        }
        if !self.inputs.is_empty() {
            st.serialize_field("inputs", &self.inputs)?;
        }
        st.end()
    }
}

/// Serializes apps then devices as one sequence, reading devices back one at a time.
struct AllTargets<'a>(&'a Assessment);

impl Serialize for AllTargets<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let a = self.0;
        let mut seq = s.serialize_seq(Some(a.targets.len() + a.devices.len()))?;
        for t in &a.targets {
            seq.serialize_element(&TargetJson::new(t))?;
        }
        for d in a.devices.iter() {
            seq.serialize_element(&TargetJson::new(&d.map_err(S::Error::custom)?))?;
        }
        seq.end()
    }
}
