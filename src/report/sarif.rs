//! SARIF 2.1.0: one run, one rule per check id, one result per fail, warn,
//! manual or error outcome. The mapping is documented in `docs/report.md`.

use serde_json::{json, Map, Value};

use super::common::{attestation_line, evidence_line};
use super::fleet;
use super::i18n::{self, Label};
use crate::assess::{Assessment, CheckResult, Lang, Outcome, TargetAssessment, Verdict};

/// The `$schema` URI written into every SARIF log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the assessment as a SARIF 2.1.0 log.
pub fn render(a: &Assessment, lang: Lang) -> String {
    let log = log(a, lang);
    serde_json::to_string_pretty(&log)
        .unwrap_or_else(|e| json!({ "error": format!("cannot serialize SARIF: {e}") }).to_string())
}

/// Builds the SARIF log as a JSON value.
pub fn log(a: &Assessment, lang: Lang) -> Value {
    let rule_ids = rule_ids(a);
    let rules: Vec<Value> = rule_ids
        .iter()
        .filter_map(|id| first_result(a, id).map(|r| rule(r, help_for(a, id, lang), lang)))
        .collect();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let mut artifacts: Vec<Value> = Vec::new();
    let mut artifact_uris: Vec<String> = Vec::new();
    for t in &a.targets {
        let artifact_index = t.target.file.as_ref().map(|f| {
            let uri = uri_reference(&f.path);
            match artifact_uris.iter().position(|u| *u == uri) {
                Some(i) => i,
                None => {
                    artifacts.push(json!({
                        "location": { "uri": uri },
                        "length": f.size,
                        "hashes": { "sha-256": f.sha256 },
                        "roles": ["analysisTarget"],
                    }));
                    artifact_uris.push(uri);
                    artifact_uris.len().saturating_sub(1)
                }
            }
        });
        if t.verdict == Verdict::Error {
            let mut n = json!({
                "level": "error",
                "message": { "text": format!("{}: {}: {}", Label::ReadError.get(lang), t.target.name,
                    t.error.as_deref().unwrap_or_default()) },
            });
            if let Some(loc) = location(t, artifact_index) {
                if let Some(obj) = n.as_object_mut() {
                    obj.insert("locations".into(), json!([loc]));
                }
            }
            notifications.push(n);
        }
        for r in &t.results {
            let Some(level) = sarif_level(r.outcome) else {
                continue;
            };
            let rule_index = rule_ids.iter().position(|id| *id == r.check);
            results.push(result(t, r, level, rule_index, artifact_index, lang));
        }
    }
    let mut invocation = json!({
        "executionSuccessful": true,
        "properties": {
            "profile": a.profile.id,
            "profileSource": a.profile.source,
            "asOf": a.as_of,
            "checkSetDigest": a.tool.check_set_digest,
            "reportSchemaVersion": a.schema_version,
        },
    });
    if !notifications.is_empty() {
        if let Some(obj) = invocation.as_object_mut() {
            obj.insert(
                "toolExecutionNotifications".into(),
                Value::Array(notifications),
            );
        }
    }
    let mut run = json!({
        "tool": {
            "driver": {
                "name": a.tool.name,
                "version": a.tool.version,
                "rules": rules,
            }
        },
        "invocations": [invocation],
        "language": match lang { Lang::De => "de-DE", Lang::En => "en-US" },
        "artifacts": artifacts,
        "results": results,
    });
    if let (Some(f), Some(obj)) = (&a.fleet, run.as_object_mut()) {
        obj.insert(
            "properties".into(),
            json!({
                "fleet": {
                    "devices": f.devices,
                    "compliant": f.compliant,
                    "notCompliant": f.not_compliant,
                    "incomplete": f.incomplete,
                    "pseudonymized": f.pseudonymized,
                }
            }),
        );
    }
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// The SARIF level of an outcome; `None` for outcomes that produce no result.
pub fn sarif_level(o: Outcome) -> Option<&'static str> {
    match o {
        Outcome::Fail => Some("error"),
        Outcome::Warn => Some("warning"),
        Outcome::Manual | Outcome::Error => Some("note"),
        Outcome::Pass | Outcome::NotApplicable => None,
    }
}

/// Every check id in the assessment, in first-seen order.
fn rule_ids(a: &Assessment) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for r in a.targets.iter().flat_map(|t| t.results.iter()) {
        if !ids.contains(&r.check) {
            ids.push(r.check.clone());
        }
    }
    ids
}

fn first_result<'a>(a: &'a Assessment, id: &str) -> Option<&'a CheckResult> {
    a.targets
        .iter()
        .flat_map(|t| t.results.iter())
        .find(|r| r.check == id)
}

/// The remediation of a check: the first non-empty one among its results.
fn help_for<'a>(a: &'a Assessment, id: &str, lang: Lang) -> &'a str {
    a.targets
        .iter()
        .flat_map(|t| t.results.iter())
        .filter(|r| r.check == id)
        .map(|r| i18n::text(&r.remediation, lang))
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default()
}

fn rule(r: &CheckResult, help: &str, lang: Lang) -> Value {
    let title = i18n::text(&r.title, lang);
    let full = format!(
        "{title} — {}: {} ({}: {})",
        Label::Requirement.get(lang),
        r.requirement,
        Label::Level.get(lang),
        i18n::level(r.level, lang)
    );
    let mut rule = json!({
        "id": r.check,
        "shortDescription": { "text": non_empty(title, &r.check) },
        "fullDescription": { "text": full },
        "properties": {
            "requirement": r.requirement,
            "level": r.level,
            "tags": [r.requirement],
        },
    });
    if !help.trim().is_empty() {
        if let Some(obj) = rule.as_object_mut() {
            obj.insert("help".into(), json!({ "text": help }));
        }
    }
    rule
}

fn non_empty<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() {
        fallback
    } else {
        s
    }
}

fn location(t: &TargetAssessment, artifact_index: Option<usize>) -> Option<Value> {
    let mut loc = Map::new();
    if let (Some(f), Some(i)) = (&t.target.file, artifact_index) {
        loc.insert(
            "physicalLocation".into(),
            json!({ "artifactLocation": { "uri": uri_reference(&f.path), "index": i } }),
        );
    }
    let mut logical = json!({
        "name": t.target.name,
        "kind": if fleet::is_device(t) { "device" } else { "module" },
    });
    let fqn = t.target.source.as_ref().or(t.target.id.as_ref());
    if let (Some(fqn), Some(obj)) = (fqn, logical.as_object_mut()) {
        obj.insert("fullyQualifiedName".into(), json!(fqn));
    }
    loc.insert("logicalLocations".into(), json!([logical]));
    Some(Value::Object(loc))
}

fn result(
    t: &TargetAssessment,
    r: &CheckResult,
    level: &str,
    rule_index: Option<usize>,
    artifact_index: Option<usize>,
    lang: Lang,
) -> Value {
    let message = format!(
        "{} [{}]: {}",
        i18n::text(&r.title, lang),
        i18n::outcome(r.outcome, lang),
        i18n::text(&r.message, lang)
    );
    let evidence: Vec<Value> = r
        .evidence
        .iter()
        .map(|e| json!({ "kind": e.kind, "value": e.value, "location": e.location, "text": evidence_line(e) }))
        .collect();
    let mut props = json!({
        "requirement": r.requirement,
        "level": r.level,
        "outcome": r.outcome,
        "target": t.target.name,
        "targetKind": t.target.kind,
        "verdict": t.verdict,
        "evidence": evidence,
    });
    if let Some(obj) = props.as_object_mut() {
        if let Some(att) = &r.attestation {
            obj.insert(
                "attestation".into(),
                json!({ "by": att.by, "date": att.date, "note": att.note, "text": attestation_line(att) }),
            );
        }
        let rem = i18n::text(&r.remediation, lang);
        if !rem.trim().is_empty() {
            obj.insert("remediation".into(), json!(rem));
        }
    }
    let mut res = json!({
        "ruleId": r.check,
        "level": level,
        "message": { "text": message },
        "properties": props,
    });
    if let Some(obj) = res.as_object_mut() {
        if let Some(i) = rule_index {
            obj.insert("ruleIndex".into(), json!(i));
        }
        if let Some(loc) = location(t, artifact_index) {
            obj.insert("locations".into(), json!([loc]));
        }
    }
    res
}

/// Turns a path as given on the command line into a URI reference: unreserved
/// characters and `/` stay, everything else (spaces, `\`, `:`, non-ASCII) is
/// percent-encoded byte by byte.
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_reference("apps/Signal 7.apk"), "apps/Signal%207.apk");
        assert_eq!(uri_reference("C:\\x\\ä.ipa"), "C%3A%5Cx%5C%C3%A4.ipa");
    }

    #[test]
    fn only_undecided_or_failed_outcomes_become_results() {
        assert_eq!(sarif_level(Outcome::Fail), Some("error"));
        assert_eq!(sarif_level(Outcome::Warn), Some("warning"));
        assert_eq!(sarif_level(Outcome::Manual), Some("note"));
        assert_eq!(sarif_level(Outcome::Pass), None);
        assert_eq!(sarif_level(Outcome::NotApplicable), None);
    }
}
