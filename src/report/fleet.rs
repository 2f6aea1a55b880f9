//! Fleet presentation shared by the renderers: which targets are devices, the
//! worst devices first, and how many are left out of a capped list.
//!
//! Nothing here decides an outcome; it only orders and counts what the
//! [`Assessment`] already says.

use std::cmp::Ordering;

use crate::assess::{Assessment, Level, Outcome, TargetAssessment, Verdict};
use crate::facts::{FileInfo, TargetKind};

/// How many devices the terminal table lists before it says how many were omitted.
pub const TABLE_DEVICE_CAP: usize = 25;

/// How many devices HTML and Markdown show in full detail.
pub const DETAIL_DEVICE_CAP: usize = 50;

/// How many devices HTML and Markdown list in the worst-devices overview.
pub const LIST_DEVICE_CAP: usize = 500;

/// True when `t` is one device of an inventory.
pub fn is_device(t: &TargetAssessment) -> bool {
    t.target.kind == TargetKind::Device
}

/// The app (and unreadable-file) targets, in report order.
pub fn apps(a: &Assessment) -> Vec<&TargetAssessment> {
    a.targets.iter().filter(|t| !is_device(t)).collect()
}

/// The device targets, worst first: not compliant, then unreadable, then
/// incomplete, then compliant; within a verdict, more failed must-checks first,
/// then more failed checks, then by name (stable for equal devices).
pub fn devices_worst_first(a: &Assessment) -> Vec<&TargetAssessment> {
    let mut devices: Vec<&TargetAssessment> = a.targets.iter().filter(|t| is_device(t)).collect();
    devices.sort_by(|x, y| compare_worst_first(x, y));
    devices
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::NotCompliant => 0,
        Verdict::Error => 1,
        Verdict::Incomplete => 2,
        Verdict::Compliant => 3,
    }
}

fn compare_worst_first(x: &TargetAssessment, y: &TargetAssessment) -> Ordering {
    verdict_rank(x.verdict)
        .cmp(&verdict_rank(y.verdict))
        .then_with(|| failed_must(y).cmp(&failed_must(x)))
        .then_with(|| failures(y).cmp(&failures(x)))
        .then_with(|| x.target.name.cmp(&y.target.name))
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

/// The inventory files the devices came from, each once, in report order.
pub fn inventory_files(a: &Assessment) -> Vec<&FileInfo> {
    let mut files: Vec<&FileInfo> = Vec::new();
    for f in a
        .targets
        .iter()
        .filter(|t| is_device(t))
        .filter_map(|t| t.target.file.as_ref())
    {
        if !files.iter().any(|known| known.path == f.path) {
            files.push(f);
        }
    }
    files
}

/// Splits `items` into the first `cap` and the number left out.
pub fn capped<T>(items: &[T], cap: usize) -> (&[T], usize) {
    let shown = items.get(..cap).unwrap_or(items);
    (shown, items.len().saturating_sub(shown.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{CheckResult, ProfileInfo, TargetInfo, Text, ToolInfo};

    fn device(name: &str, verdict: Verdict, fails: &[Level]) -> TargetAssessment {
        TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Device,
                name: name.into(),
                id: None,
                version: None,
                file: None,
                source: None,
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
                    weight: 1.0,
                })
                .collect(),
            error: None,
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
            targets: vec![
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
            ],
            fleet: None,
        };
        let names: Vec<&str> = devices_worst_first(&a)
            .iter()
            .map(|d| d.target.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["two-must", "one-should", "unreadable", "open", "ok"]
        );
        assert!(apps(&a).is_empty());
    }

    #[test]
    fn capped_counts_omitted() {
        let v = [1, 2, 3, 4, 5];
        assert_eq!(capped(&v, 2), (&v[..2], 3));
        assert_eq!(capped(&v, 10), (&v[..], 0));
    }
}
