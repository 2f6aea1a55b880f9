//! Fleet presentation shared by the renderers: which targets are devices, the
//! worst devices first, and how many are left out of a capped list.
//!
//! Nothing here decides an outcome; it only orders and counts what the
//! [`Assessment`] already says.

use super::i18n::Label;
use crate::assess::{
    Assessment, FleetInventory, FleetSummary, Lang, Level, Outcome, TargetAssessment, Text, Verdict,
};
use crate::facts::{FileInfo, TargetKind};

/// How many devices the terminal table lists before it says how many were omitted.
pub const TABLE_DEVICE_CAP: usize = 25;

/// How many devices HTML and Markdown show in full detail.
pub const DETAIL_DEVICE_CAP: usize = 50;

/// How many devices HTML and Markdown list in the worst-devices overview.
pub const LIST_DEVICE_CAP: usize = 500;

/// How many notes per export the table, HTML and Markdown show (JSON has all).
pub const NOTES_PER_EXPORT: usize = 10;

/// The exports that left something unclear, each with its first
/// [`NOTES_PER_EXPORT`] notes and how many more there are.
pub fn export_notes(s: &FleetSummary) -> Vec<(&FleetInventory, &[Text], usize)> {
    s.inventories
        .iter()
        .filter(|i| !i.warnings.is_empty())
        .map(|i| {
            let shown = i.warnings.get(..NOTES_PER_EXPORT).unwrap_or(&i.warnings);
            (i, shown, i.warnings.len() - shown.len())
        })
        .collect()
}

/// How many devices an export in the export list holds, after its label:
/// `Devices: 5`, and for an export some of whose devices were merged with
/// another export's `Devices: 0 counted here, 6 merged into another export`
/// (a bare 0 would read as an empty export).
pub fn export_devices(inv: &FleetInventory, l: Lang) -> String {
    let label = Label::Devices.get(l);
    let devices = crate::lang::count(inv.devices, l);
    match (inv.merged_elsewhere, l) {
        (0, _) => format!("{label}: {devices}"),
        (m, Lang::De) => format!(
            "{label}: {devices} hier gezählt, {} mit einem anderen Export zusammengeführt",
            crate::lang::count(m, l)
        ),
        (m, Lang::En) => format!(
            "{label}: {devices} counted here, {} merged into another export",
            crate::lang::count(m, l)
        ),
    }
}

/// True when `t` is one device of an inventory.
pub fn is_device(t: &TargetAssessment) -> bool {
    t.target.kind == TargetKind::Device
}

/// The app (and unreadable-file) targets, in report order.
pub fn apps(a: &Assessment) -> Vec<&TargetAssessment> {
    a.targets.iter().filter(|t| !is_device(t)).collect()
}

/// The worst devices of a fleet, read back from the [`crate::assess::DeviceStore`]
/// (already ordered worst first), with the counts a capped list needs.
#[derive(Debug, Clone, Default)]
pub struct WorstDevices {
    /// The first devices, worst first (at most the cap asked for).
    pub shown: Vec<TargetAssessment>,
    /// All devices.
    pub total: usize,
    /// Devices that are not compliant (not compliant, unreadable, incomplete).
    pub needing_action: usize,
}

impl WorstDevices {
    /// True when the run has no devices.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The first `cap` devices and how many are left out.
    pub fn listed(&self, cap: usize) -> (&[TargetAssessment], usize) {
        let shown = self.shown.get(..cap).unwrap_or(&self.shown);
        (shown, self.total.saturating_sub(shown.len()))
    }

    /// The first `cap` devices needing action and how many more need it.
    /// Devices needing action come before compliant ones, so `cap` up to the
    /// number of devices read gives them all.
    pub fn needing(&self, cap: usize) -> (Vec<&TargetAssessment>, usize) {
        let detailed: Vec<&TargetAssessment> = self
            .shown
            .iter()
            .filter(|d| d.verdict != Verdict::Compliant)
            .take(cap)
            .collect();
        let more = self.needing_action.saturating_sub(detailed.len());
        (detailed, more)
    }
}

/// The worst `cap` devices (see [`WorstDevices`]); the order is the one the
/// store keeps ([`crate::assess::Verdict::severity`]): unreadable, then not
/// compliant, then incomplete, then compliant; within a verdict more failed must-checks first, then more
/// failed checks, then the lower score, then input order.
pub fn worst_devices(a: &Assessment, cap: usize) -> std::io::Result<WorstDevices> {
    let needing_action = a
        .devices
        .verdicts()
        .iter()
        .filter(|(v, _)| *v != Verdict::Compliant)
        .count();
    Ok(WorstDevices {
        shown: a.devices.first(cap)?,
        total: a.devices.len(),
        needing_action,
    })
}

/// Number of failed checks of a target.
pub fn failures(t: &TargetAssessment) -> usize {
    t.results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .count()
}

/// Number of failed must-checks of a target.
pub fn failed_must(t: &TargetAssessment) -> usize {
    t.results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail && r.level == Level::Must)
        .count()
}

/// The ids of the requirements a target failed, in result order, without repeats.
pub fn failed_requirements(t: &TargetAssessment) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for r in t.results.iter().filter(|r| r.outcome == Outcome::Fail) {
        if !ids.contains(&r.requirement.as_str()) {
            ids.push(r.requirement.as_str());
        }
    }
    ids
}

/// The inventory files the devices came from, each once, in input order.
pub fn inventory_files(a: &Assessment) -> Vec<FileInfo> {
    a.devices.files()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{CheckResult, DeviceStore, ProfileInfo, TargetInfo, Text, ToolInfo};

    fn device(name: &str, verdict: Verdict, fails: &[Level]) -> TargetAssessment {
        TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Device,
                name: name.into(),
                id: None,
                version: None,
                file: None,
                source: None,
                device: None,
            },
            verdict,
            score: None,
            results: fails
                .iter()
                .enumerate()
                .map(|(i, level)| CheckResult {
                    check: format!("C{i}"),
                    requirement: format!("DEV-0{i}"),
                    level: *level,
                    outcome: Outcome::Fail,
                    title: Text::default(),
                    message: Text::default(),
                    remediation: Text::default(),
                    evidence: vec![],
                    attestation: None,
                    attested: false,
                    attestation_status: None,
                    weight: 1.0,
                })
                .collect(),
            error: None,
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    #[test]
    fn devices_are_ordered_worst_first() {
        let a = Assessment {
            schema_version: "1.0".into(),
            tool: ToolInfo {
                name: "msgaudit".into(),
                version: "0".into(),
                check_set_digest: String::new(),
            },
            profile: ProfileInfo {
                id: "p".into(),
                title: Text::default(),
                source: "built-in".into(),
            },
            as_of: "2026-01-01".into(),
            lang: crate::assess::Lang::En,
            targets: Vec::new(),
            devices: DeviceStore::from_targets(vec![
                device("ok", Verdict::Compliant, &[]),
                device("open", Verdict::Incomplete, &[]),
                device(
                    "one-should",
                    Verdict::NotCompliant,
                    &[Level::Must, Level::Should],
                ),
                device("unreadable", Verdict::Error, &[]),
                device(
                    "two-must",
                    Verdict::NotCompliant,
                    &[Level::Must, Level::Must],
                ),
            ]),
            fleet: None,
            skipped_files: 0,
            skipped_unrecognized: None,
            inputs: Vec::new(),
        };
        let worst = worst_devices(&a, 3).unwrap();
        let names: Vec<&str> = worst.shown.iter().map(|d| d.target.name.as_str()).collect();
        assert_eq!(names, ["unreadable", "two-must", "one-should"]);
        assert_eq!((worst.total, worst.needing_action), (5, 4));
        assert_eq!(worst.listed(2).1, 3);
        let (detailed, more) = worst.needing(2);
        assert_eq!(detailed.len(), 2);
        assert_eq!(more, 2);
        assert!(apps(&a).is_empty());
    }
}
