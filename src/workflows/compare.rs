//! Side-by-side comparison of candidate messengers: requirements as rows,
//! candidates as columns, each cell the worst outcome with a short reason.
//! The matrix types live in [`crate::assess::comparison`].

use std::collections::BTreeMap;

use super::{area_of, badness, Area};
use crate::assess::comparison::UnreadTarget;
pub use crate::assess::comparison::{
    AreaRows, Candidate, Cell, CellEvidence, Comparison, Member, Row,
};
use crate::assess::{AttestationStatus, Coverage, Level, Outcome, TargetAssessment, Text, Verdict};
use crate::facts::TargetKind;

/// How apps are grouped into candidates.
#[derive(Debug, Clone, Default)]
pub struct Grouping {
    /// Explicit groups: name → keys (file name, file path or app id).
    pub groups: Vec<(String, Vec<String>)>,
    /// Also group apps of different platforms that share the same app id.
    pub by_app_id: bool,
}

impl Grouping {
    /// Parses a `--group NAME=KEY,KEY` value.
    pub fn parse_group(spec: &str) -> Result<(String, Vec<String>), String> {
        let (name, keys) = spec
            .split_once('=')
            .ok_or_else(|| format!("--group '{spec}': expected NAME=APP,APP"))?;
        let keys: Vec<String> = keys
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(str::to_string)
            .collect();
        if name.trim().is_empty() || keys.is_empty() {
            return Err(format!("--group '{spec}': expected NAME=APP,APP"));
        }
        Ok((name.trim().to_string(), keys))
    }

    fn explicit_group(&self, target: &TargetAssessment) -> Option<&str> {
        let t = &target.target;
        let path = t.file.as_ref().map(|f| f.path.as_str());
        let file_name = path.and_then(|p| std::path::Path::new(p).file_name()?.to_str());
        self.groups
            .iter()
            .find(|(_, keys)| {
                keys.iter().any(|k| {
                    Some(k.as_str()) == path
                        || Some(k.as_str()) == file_name
                        || Some(k.as_str()) == t.id.as_deref()
                })
            })
            .map(|(name, _)| name.as_str())
    }
}

/// Builds the comparison of the app targets in `targets` (devices are ignored).
pub fn compare(targets: &[TargetAssessment], grouping: &Grouping) -> Comparison {
    let mut errors = Vec::new();
    // Candidate name → member target indices, in first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut members: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in targets.iter().enumerate() {
        // A named file that does not exist is no app, but it is an input
        // that could not be read; an installed-app list given on its own
        // joins no device here, and is told, not passed over.
        if !matches!(t.target.kind, TargetKind::Android | TargetKind::Ios)
            && !t.file_not_found()
            && t.unused_app_list.is_none()
        {
            continue;
        }
        if t.verdict == Verdict::Error {
            errors.push(UnreadTarget(
                t.target.name.clone(),
                t.error.clone().unwrap_or_default(),
                t.error_de.clone(),
                t.unused_app_list,
            ));
            continue;
        }
        let key = match grouping.explicit_group(t) {
            Some(name) => name.to_string(),
            // Builds of one product for different platforms share an app id;
            // two builds for the same platform (e.g. two versions) stay apart.
            None if grouping.by_app_id => match &t.target.id {
                Some(id)
                    if !members.get(&format!("id:{id}")).is_some_and(|m| {
                        m.iter().any(|&j| targets[j].target.kind == t.target.kind)
                    }) =>
                {
                    format!("id:{id}")
                }
                _ => format!("#{i}"),
            },
            None => format!("#{i}"),
        };
        if !members.contains_key(&key) {
            order.push(key.clone());
        }
        members.entry(key).or_default().push(i);
    }

    let candidates: Vec<(Candidate, Vec<&TargetAssessment>)> = order
        .iter()
        .map(|key| {
            let ts: Vec<&TargetAssessment> = members[key].iter().map(|&i| &targets[i]).collect();
            (candidate(key, &ts), ts)
        })
        .collect();

    // Requirement → (level, title), from every result seen.
    let mut requirements: BTreeMap<String, (Level, Text)> = BTreeMap::new();
    for (_, ts) in &candidates {
        for t in ts {
            for r in &t.results {
                let entry = requirements
                    .entry(r.requirement.clone())
                    .or_insert((r.level, r.title.clone()));
                if r.level < entry.0 {
                    entry.0 = r.level;
                }
            }
        }
    }

    let mut areas: BTreeMap<Area, Vec<Row>> = BTreeMap::new();
    for (requirement, (level, title)) in requirements {
        let cells = candidates
            .iter()
            .map(|(_, ts)| cell(&requirement, ts))
            .collect();
        areas.entry(area_of(&requirement)).or_default().push(Row {
            requirement,
            level,
            title,
            cells,
        });
    }
    Comparison {
        candidates: candidates.into_iter().map(|(c, _)| c).collect(),
        areas: areas
            .into_iter()
            .map(|(area, rows)| AreaRows {
                area,
                title: area.title(),
                rows,
            })
            .collect(),
        errors,
        header: None,
    }
}

fn candidate(key: &str, targets: &[&TargetAssessment]) -> Candidate {
    let name = if key.starts_with('#') || key.starts_with("id:") {
        targets
            .first()
            .map(|t| t.target.name.clone())
            .unwrap_or_default()
    } else {
        key.to_string()
    };
    let verdict = targets
        .iter()
        .map(|t| t.verdict)
        .max_by_key(|v| verdict_badness(*v))
        .unwrap_or(Verdict::Error);
    let score = targets
        .iter()
        .filter_map(|t| t.score)
        .min_by(|a, b| a.total_cmp(b));
    Candidate {
        name,
        members: targets
            .iter()
            .map(|t| Member {
                kind: t.target.kind,
                name: t.target.name.clone(),
                id: t.target.id.clone(),
                version: t.target.version.clone(),
                sha256: t.target.file.as_ref().map(|f| f.sha256.clone()),
                path: t.target.file.as_ref().map(|f| f.path.clone()),
                verdict: t.verdict,
                score: t.score,
            })
            .collect(),
        verdict,
        score,
        coverage: targets.iter().fold(Coverage::default(), |sum, t| {
            let c = t.coverage();
            Coverage {
                decided: sum.decided + c.decided,
                total: sum.total + c.total,
            }
        }),
    }
}

/// How bad a verdict is (higher = worse): [`Verdict::severity`].
pub fn verdict_badness(v: Verdict) -> u8 {
    v.severity()
}

fn cell(requirement: &str, targets: &[&TargetAssessment]) -> Cell {
    let several = targets.len() > 1;
    let mut worst: Option<(u8, Outcome)> = None;
    let mut reasons_de = Vec::new();
    let mut reasons_en = Vec::new();
    let mut attested = false;
    let mut conflict = false;
    let mut evidence = Vec::new();
    for t in targets {
        // The worst result of this target for the requirement.
        let Some(r) = t
            .results
            .iter()
            .filter(|r| r.requirement == requirement)
            .max_by_key(|r| badness(r.outcome))
        else {
            continue;
        };
        attested |= r.attested;
        // A conflict on any of the build's checks for the requirement is
        // shown, also when another check decided the cell.
        conflict |= t.results.iter().any(|x| {
            x.requirement == requirement
                && x.attestation_status == Some(AttestationStatus::Conflict)
        });
        let b = badness(r.outcome);
        if worst.is_none_or(|(wb, _)| b > wb) {
            worst = Some((b, r.outcome));
        }
        let prefix = if several {
            format!("{}: ", platform_label(t.target.kind))
        } else {
            String::new()
        };
        reasons_de.push(format!("{prefix}{}", r.message.de));
        reasons_en.push(format!("{prefix}{}", r.message.en));
        evidence.push(CellEvidence {
            platform: t.target.kind,
            check: r.check.clone(),
            outcome: r.outcome,
            evidence: r.evidence.clone(),
            attestation_status: r.attestation_status,
        });
    }
    Cell {
        outcome: worst.map(|(_, o)| o),
        reason: Text {
            de: reasons_de.join(" · ").into(),
            en: reasons_en.join(" · ").into(),
        },
        attested,
        conflict,
        evidence,
    }
}

fn platform_label(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Android => "Android",
        TargetKind::Ios => "iOS",
        TargetKind::Device => "Device",
        TargetKind::Inventory => "Inventory",
        TargetKind::Unknown => "Unknown",
    }
}
