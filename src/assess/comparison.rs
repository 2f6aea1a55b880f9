//! The comparison matrix of `msgaudit compare` (computed in
//! `crate::workflows::compare`, rendered in `crate::report::compare`):
//! requirements as rows, candidates as columns, each cell the worst outcome
//! with a short reason and the evidence behind it.

use serde::{Deserialize, Serialize};

use super::{AttestationStatus, Coverage, Lang, Level, Outcome, ReportHeader, Text, Verdict};
use crate::facts::{Evidence, TargetKind};

/// The four areas of the DSK paper, plus anything else.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// The messenger app.
    App,
    /// The communication.
    Communication,
    /// End devices.
    Device,
    /// Platform and operation.
    Platform,
    /// Not one of the four areas (organisational, extensions).
    Other,
}

impl Area {
    /// The area's title.
    pub fn title(self) -> Text {
        let (de, en) = match self {
            Area::App => ("Messenger-App", "Messenger app"),
            Area::Communication => ("Kommunikation", "Communication"),
            Area::Device => ("Endgeräte", "End devices"),
            Area::Platform => ("Plattform und Betrieb", "Platform and operation"),
            Area::Other => ("Sonstiges", "Other"),
        };
        Text {
            de: de.into(),
            en: en.into(),
        }
    }
}

/// One app assessed, as a member of a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// `android` or `ios`.
    pub kind: TargetKind,
    /// Display name of the app.
    pub name: String,
    /// App id.
    pub id: Option<String>,
    /// App version.
    pub version: Option<String>,
    /// SHA-256 of the input file.
    pub sha256: Option<String>,
    /// The input file as given (since report schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The member's own verdict.
    pub verdict: Verdict,
    /// The member's own score.
    pub score: Option<f64>,
}

/// A candidate product: one or more apps (e.g. its Android and iOS builds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Candidate name (the group name, or the app's name).
    pub name: String,
    /// The apps assessed.
    pub members: Vec<Member>,
    /// The worst verdict of the members.
    pub verdict: Verdict,
    /// The lowest score of the members (a product is as good as its weakest build).
    pub score: Option<f64>,
    /// Checks decided of the applicable ones, summed over the members
    /// (since report schema 1.4).
    #[serde(default)]
    pub coverage: Coverage,
}

impl Candidate {
    /// The platforms of the members, each once, in member order.
    pub fn platforms(&self) -> Vec<TargetKind> {
        let mut kinds: Vec<TargetKind> = Vec::new();
        for m in &self.members {
            if !kinds.contains(&m.kind) {
                kinds.push(m.kind);
            }
        }
        kinds
    }
}

/// The evidence of one build behind a cell: the check that decided the
/// build's outcome and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellEvidence {
    /// The build's platform.
    pub platform: TargetKind,
    /// The check with the build's worst outcome for the requirement.
    pub check: String,
    /// That check's outcome.
    pub outcome: Outcome,
    /// Its evidence.
    pub evidence: Vec<Evidence>,
    /// What became of an auditor's answer found for that check (since
    /// report schema 1.5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attestation_status: Option<AttestationStatus>,
}

/// One cell: the outcome of a requirement for a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Worst outcome over the candidate's checks for this requirement; `None` when not assessed.
    pub outcome: Option<Outcome>,
    /// Short reason: the message of the check that decided the worst outcome,
    /// prefixed by the platform when the candidate has several builds.
    pub reason: Text,
    /// Whether an auditor's answer decided it.
    pub attested: bool,
    /// Whether an auditor's answer contradicts an automatic outcome of a
    /// build (the stricter outcome stands; since report schema 1.5).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub conflict: bool,
    /// The evidence behind the cell, one entry per build (since report
    /// schema 1.4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<CellEvidence>,
}

/// One requirement row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Requirement id.
    pub requirement: String,
    /// Strictest level of the checks behind it.
    pub level: Level,
    /// Title (of the first check for it).
    pub title: Text,
    /// One cell per candidate, in candidate order.
    pub cells: Vec<Cell>,
}

/// Rows of one requirement area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaRows {
    /// The area.
    pub area: Area,
    /// Its title.
    pub title: Text,
    /// Requirement rows, sorted by id.
    pub rows: Vec<Row>,
}

/// A target that could not be compared: its name and why (in JSON, the
/// pair `[name, reason]`; the German reason and why an installed-app list
/// was not used are not written).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnreadTarget(
    /// The target's name.
    pub String,
    /// Why it could not be read (English).
    pub String,
    /// The same in German, where the reader has a German text.
    #[serde(skip)]
    pub Option<String>,
    /// Why the target, an installed-app list given as a file of its own,
    /// was not used ([`super::TargetAssessment::unused_app_list`]): one
    /// that matched no device is no unreadable file.
    #[serde(skip)]
    pub Option<super::UnusedAppList>,
);

impl UnreadTarget {
    /// The target's name.
    pub fn name(&self) -> &str {
        &self.0
    }

    /// The reason in `lang`; English where the reader has no German text.
    pub fn reason(&self, lang: Lang) -> &str {
        match (lang, &self.2) {
            (Lang::De, Some(de)) => de,
            _ => &self.1,
        }
    }
}

/// The comparison matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// Candidates (columns), in the order given.
    pub candidates: Vec<Candidate>,
    /// Rows grouped by area.
    pub areas: Vec<AreaRows>,
    /// Targets that could not be compared (unreadable), with the reason.
    #[serde(default)]
    pub errors: Vec<UnreadTarget>,
    /// Profile, audit date and tool of the run (since report schema 1.4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<ReportHeader>,
}
