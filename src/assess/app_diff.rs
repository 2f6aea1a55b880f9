//! The result of `msgaudit diff` (computed in `crate::workflows::diff`,
//! rendered in `crate::report::diff`): what changed between two versions of
//! an app.

use serde::{Deserialize, Serialize};

use super::{CheckResult, Coverage, ReportHeader, TargetInfo, Text, Verdict};

/// How much a change matters for rolling out the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing, no judgement.
    Info,
    /// The update is better here.
    Improvement,
    /// The update is worse here: hold it back and look.
    Regression,
    /// The signing identity changed: the update may not come from the same publisher.
    Critical,
}

/// What kind of thing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An SDK was added.
    SdkAdded,
    /// An SDK was removed.
    SdkRemoved,
    /// An SDK's default collection state changed.
    SdkCollectionChanged,
    /// A permission was added.
    PermissionAdded,
    /// A permission was removed.
    PermissionRemoved,
    /// An entitlement was added, removed or changed.
    EntitlementChanged,
    /// A manifest / Info.plist switch changed.
    SettingChanged,
    /// The signing certificate or team changed.
    CertificateChanged,
    /// A check outcome changed.
    OutcomeChanged,
    /// The verdict changed.
    VerdictChanged,
    /// The score changed.
    ScoreChanged,
    /// App identity or versions changed.
    VersionChanged,
    /// What became of an auditor's answer for a check changed (`old`/`new`:
    /// the attestation status, absent = no answer; since report schema 1.5).
    AttestationChanged,
}

/// One change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What changed.
    pub kind: ChangeKind,
    /// How much it matters.
    pub severity: Severity,
    /// The thing that changed: SDK id, permission, key, check id, …
    pub subject: String,
    /// Old value (absent = did not exist).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    /// New value (absent = no longer exists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// A sentence for the reader.
    pub detail: Text,
    /// For a changed check outcome: the new version's result (rule
    /// metadata and evidence; since report schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Box<CheckResult>>,
}

/// The differences between two versions of an app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppDiff {
    /// The old version.
    pub old: TargetInfo,
    /// The new version.
    pub new: TargetInfo,
    /// Old verdict.
    pub old_verdict: Verdict,
    /// New verdict.
    pub new_verdict: Verdict,
    /// Old score.
    pub old_score: Option<f64>,
    /// New score.
    pub new_score: Option<f64>,
    /// Checks decided of the applicable ones, old version (since report
    /// schema 1.4).
    #[serde(default)]
    pub old_coverage: Coverage,
    /// Checks decided of the applicable ones, new version (since report
    /// schema 1.4).
    #[serde(default)]
    pub new_coverage: Coverage,
    /// Every change, most severe first.
    pub changes: Vec<Change>,
    /// True when any change is a regression or critical: hold the update back.
    pub regression: bool,
    /// True when facts were missing on either side (e.g. a JSON report
    /// written without facts), so only outcomes could be compared.
    pub outcomes_only: bool,
    /// Profile, audit date and tool of the run (since report schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<ReportHeader>,
}
