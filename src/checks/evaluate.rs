//! Evaluation: every selected check on every target → the [`Assessment`].

use std::path::Path;

use rayon::prelude::*;

use super::answers::Answers;
use super::cel::{json_to_cel, TargetContext};
use super::def::Check;
use super::load::CheckSet;
use super::profile::Profile;
use crate::assess::{
    Assessment, CheckResult, FleetRequirement, FleetSummary, Lang, Outcome, TargetAssessment,
    TargetInfo, Text, ToolInfo, Verdict, REPORT_SCHEMA_VERSION,
};
use crate::facts::{AppFacts, Device, Facts, FileInfo, InventoryFacts, TargetKind};

/// An input that could not be turned into facts: it becomes a target with verdict `error`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFailure {
    /// The path as given.
    pub path: String,
    /// The best guess of what it is (from its bytes).
    pub kind: TargetKind,
    /// Why it could not be read.
    pub reason: String,
}

/// One input of a run.
#[derive(Debug, Clone)]
pub enum Input {
    /// Facts extracted by msgaudit (an app or an inventory).
    Facts(Facts),
    /// An app's facts as JSON read from a file (as `msgaudit facts` prints them).
    /// The JSON is given to the checks verbatim, so fields this build does not
    /// know are still visible to them.
    AppJson(serde_json::Value),
    /// An input that could not be read.
    Failed(InputFailure),
}

/// Evaluates the profile's checks over every input and builds the assessment.
///
/// Apps come first (in input order), then devices (worst first). Each check's
/// CEL is compiled once (when the check set was loaded); each target's facts are
/// converted to CEL once.
pub fn evaluate(
    inputs: &[Input],
    set: &CheckSet,
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
    lang: Lang,
) -> Assessment {
    let selected = profile.selected(set);
    // What does not depend on the target is prepared once, not per target.
    let prepared: Vec<Prepared> = selected
        .iter()
        .map(|check| Prepared {
            check,
            params: json_to_cel(
                &serde_json::to_value(profile.params_for(check)).unwrap_or(serde_json::Value::Null),
            ),
            weight: profile.weight(check),
        })
        .collect();
    let mut apps = Vec::new();
    let mut devices = Vec::new();
    let mut had_inventory = false;
    // Targets are independent: evaluate them in parallel (rayon keeps the input order).
    enum Job<'a> {
        App(&'a Input),
        Device(&'a InventoryFacts, &'a Device),
    }
    let mut jobs = Vec::new();
    for input in inputs {
        match input {
            Input::Facts(Facts::Inventory(inv)) => {
                had_inventory = true;
                jobs.extend(inv.devices.iter().map(|d| Job::Device(inv, d)));
            }
            Input::Failed(f) if f.kind == TargetKind::Inventory => {
                had_inventory = true;
                jobs.push(Job::App(input));
            }
            other => jobs.push(Job::App(other)),
        }
    }
    let assessed: Vec<(bool, TargetAssessment)> = jobs
        .par_iter()
        .map(|job| match job {
            Job::Device(inv, device) => (
                true,
                assess_device(inv, device, &prepared, profile, answers, as_of),
            ),
            Job::App(input) => (
                false,
                assess_input(input, &prepared, profile, answers, as_of),
            ),
        })
        .collect();
    for (is_device, t) in assessed {
        if is_device {
            devices.push(t);
        } else {
            apps.push(t);
        }
    }
    devices.sort_by(|a, b| {
        verdict_rank(a.verdict)
            .cmp(&verdict_rank(b.verdict))
            .then(a.score.unwrap_or(-1.0).total_cmp(&b.score.unwrap_or(-1.0)))
            .then(a.target.name.cmp(&b.target.name))
    });
    let fleet = had_inventory.then(|| fleet_summary(&devices, &selected));
    apps.extend(devices);
    Assessment {
        schema_version: REPORT_SCHEMA_VERSION.to_string(),
        tool: ToolInfo {
            name: "msgaudit".to_string(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            check_set_digest: CheckSet::digest(set.checks()),
        },
        profile: profile.info(),
        as_of: as_of.to_string(),
        lang,
        targets: apps,
        fleet,
    }
}

/// A selected check with what the profile gives it: its parameters (as CEL) and weight.
struct Prepared<'a> {
    check: &'a Check,
    params: cel::Value,
    weight: f64,
}

/// Assesses an app input (extracted, JSON or failed); inventories are split into devices by the caller.
fn assess_input(
    input: &Input,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
) -> TargetAssessment {
    match input {
        Input::Facts(Facts::App(app)) => {
            let json = serde_json::to_value(app).unwrap_or(serde_json::Value::Null);
            assess_app(app, &json, selected, profile, answers, as_of)
        }
        Input::AppJson(json) => match serde_json::from_value::<AppFacts>(json.clone()) {
            Ok(app) => assess_app(&app, json, selected, profile, answers, as_of),
            Err(e) => failed_target(&InputFailure {
                path: json
                    .pointer("/file/path")
                    .and_then(|p| p.as_str())
                    .unwrap_or("facts JSON")
                    .to_string(),
                kind: kind_of_json(json),
                reason: format!("the facts JSON does not match the facts format: {e}"),
            }),
        },
        Input::Facts(Facts::Inventory(inv)) => failed_target(&InputFailure {
            path: inv.file.path.clone(),
            kind: TargetKind::Inventory,
            reason: "internal: an inventory is assessed per device".to_string(),
        }),
        Input::Failed(failure) => failed_target(failure),
    }
}

fn verdict_rank(v: Verdict) -> u8 {
    match v {
        Verdict::NotCompliant => 0,
        Verdict::Error => 1,
        Verdict::Incomplete => 2,
        Verdict::Compliant => 3,
    }
}

fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

fn kind_of_json(json: &serde_json::Value) -> TargetKind {
    match json.get("kind").and_then(|k| k.as_str()) {
        Some("ios") => TargetKind::Ios,
        _ => TargetKind::Android,
    }
}

fn assess_app(
    app: &AppFacts,
    json: &serde_json::Value,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
) -> TargetAssessment {
    let name = match (&app.app.name, &app.app.version) {
        (Some(n), Some(v)) => format!("{n} {v}"),
        (Some(n), None) => n.clone(),
        _ => app
            .app
            .id
            .clone()
            .unwrap_or_else(|| file_name(&app.file.path).to_string()),
    };
    let target = TargetInfo {
        kind: app.kind,
        name,
        id: app.app.id.clone(),
        version: app.app.version.clone(),
        file: Some(app.file.clone()),
        source: None,
    };
    let mut names = vec![app.file.path.as_str(), file_name(&app.file.path)];
    if let Some(id) = &app.app.id {
        names.push(id);
    }
    assess_target(target, json, selected, profile, answers, as_of, &names)
}

fn assess_device(
    inv: &InventoryFacts,
    device: &Device,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
) -> TargetAssessment {
    let name = device.name.clone().unwrap_or_else(|| device.record.clone());
    let target = TargetInfo {
        kind: TargetKind::Device,
        name: name.clone(),
        id: None,
        version: None,
        file: Some(inv.file.clone()),
        source: Some(format!("{} {}", inv.format, device.record)),
    };
    let mut json = serde_json::to_value(device).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut json {
        map.insert("kind".into(), "device".into());
        map.insert("inventory_format".into(), inv.format.clone().into());
    }
    let names = [name.as_str(), device.record.as_str()];
    assess_target(target, &json, selected, profile, answers, as_of, &names)
}

fn assess_target(
    target: TargetInfo,
    facts: &serde_json::Value,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
    names: &[&str],
) -> TargetAssessment {
    let ctx = TargetContext::new(facts, as_of);
    let mut results = Vec::new();
    for prep in selected.iter().filter(|p| p.check.applies_to(target.kind)) {
        let check = prep.check;
        let decided = ctx.run_with(check, prep.params.clone());
        let mut result = CheckResult {
            check: check.id.clone(),
            requirement: check.requirement.clone(),
            level: check.level,
            outcome: decided.outcome,
            title: check.title.clone(),
            message: decided.message,
            remediation: check.remediation.clone(),
            evidence: decided.evidence,
            attestation: None,
            weight: prep.weight,
        };
        if matches!(result.outcome, Outcome::Manual | Outcome::Warn) {
            if let Some(answer) = answers.find(&check.id, &check.requirement, names) {
                let a = &answer.attestation;
                let note = |lang_note: &str| {
                    if a.note.is_empty() {
                        String::new()
                    } else {
                        format!(" {lang_note}: {}", a.note)
                    }
                };
                result.message = Text {
                    de: format!(
                        "Bestätigt von {} am {}.{} Befund der Prüfung: {}",
                        a.by,
                        a.date,
                        note("Anmerkung"),
                        result.message.de
                    )
                    .into(),
                    en: format!(
                        "Attested by {} on {}.{} Finding of the check: {}",
                        a.by,
                        a.date,
                        note("Note"),
                        result.message.en
                    )
                    .into(),
                };
                result.outcome = answer.outcome;
                result.attestation = Some(a.clone());
            }
        }
        results.push(result);
    }
    let verdict = verdict(&results, profile);
    let score = score(&results);
    // Apps keep their facts in the report (for `compare`/`diff` of saved
    // reports); devices do not, to keep fleet reports small.
    let facts = (target.kind != TargetKind::Device).then(|| facts.clone());
    TargetAssessment {
        target,
        verdict,
        score,
        results,
        error: None,
        facts,
    }
}

/// The strict verdict: a failed blocking check → not compliant; else an
/// undecided one (manual, warn, error) → incomplete; else compliant.
pub fn verdict(results: &[CheckResult], profile: &Profile) -> Verdict {
    let blocking = || results.iter().filter(|r| profile.is_blocking(r.level));
    if blocking().any(|r| r.outcome == Outcome::Fail) {
        Verdict::NotCompliant
    } else if blocking()
        .any(|r| matches!(r.outcome, Outcome::Manual | Outcome::Warn | Outcome::Error))
    {
        Verdict::Incomplete
    } else {
        Verdict::Compliant
    }
}

/// Weighted share of passed checks among the decided (pass + fail) ones, × 100;
/// `None` when nothing (of weight > 0) was decided.
pub fn score(results: &[CheckResult]) -> Option<f64> {
    let (mut passed, mut decided) = (0.0, 0.0);
    for r in results {
        match r.outcome {
            Outcome::Pass => {
                passed += r.weight;
                decided += r.weight;
            }
            Outcome::Fail => decided += r.weight,
            _ => {}
        }
    }
    (decided > 0.0).then(|| passed / decided * 100.0)
}

fn failed_target(failure: &InputFailure) -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind: failure.kind,
            name: file_name(&failure.path).to_string(),
            id: None,
            version: None,
            file: Some(FileInfo {
                path: failure.path.clone(),
                ..FileInfo::default()
            }),
            source: None,
        },
        verdict: Verdict::Error,
        score: None,
        results: Vec::new(),
        error: Some(failure.reason.clone()),
        facts: None,
    }
}

fn fleet_summary(devices: &[TargetAssessment], selected: &[&Check]) -> FleetSummary {
    let count = |v: Verdict| devices.iter().filter(|d| d.verdict == v).count();
    let requirements = selected
        .iter()
        .filter(|c| c.applies_to(TargetKind::Device))
        .map(|c| {
            let outcomes = devices.iter().filter_map(|d| {
                d.results
                    .iter()
                    .find(|r| r.check == c.id)
                    .map(|r| r.outcome)
            });
            let (mut passed, mut failed, mut undecided) = (0, 0, 0);
            for o in outcomes {
                match o {
                    Outcome::Pass => passed += 1,
                    Outcome::Fail => failed += 1,
                    _ => undecided += 1,
                }
            }
            let share_compliant = if devices.is_empty() {
                0.0
            } else {
                passed as f64 / devices.len() as f64 * 100.0
            };
            FleetRequirement {
                check: c.id.clone(),
                requirement: c.requirement.clone(),
                level: c.level,
                title: c.title.clone(),
                passed,
                failed,
                undecided,
                share_compliant,
            }
        })
        .collect();
    FleetSummary {
        devices: devices.len(),
        compliant: count(Verdict::Compliant),
        not_compliant: count(Verdict::NotCompliant),
        incomplete: count(Verdict::Incomplete),
        requirements,
        pseudonymized: true,
    }
}
