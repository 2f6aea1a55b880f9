//! `msgaudit diff --format sarif`: the regressions of an update as SARIF
//! 2.1.0 results, so that code scanning flags an update that got worse.
//!
//! A check whose outcome got worse is a result of that check's rule (the
//! scan's rule metadata: `security-severity`, `helpUri`), with the `kind` and
//! `level` its new outcome has in a scan log (a check that became manual is
//! `kind: "review"`, `level: "none"`); any other regression (a risky SDK or
//! a sensitive permission added, the app id or default collection changed,
//! an attestation that no longer decides a check or a new conflict) and a
//! changed signing key are `kind: "fail"` results of a `msgaudit-diff/…`
//! rule; every
//! change of an attestation status is also listed in the invocation's
//! `attestationChanges`. Results
//! point at the new version's file (URI relative to the working directory or
//! `file://`) and carry `partialFingerprints` (a changed check: the same
//! value as the scan's result for that file and check). Improvements and
//! information are no results: they are counted in the invocation's
//! properties (a code-scanning alert closes when its result no longer
//! appears). Documented in `docs/workflows.md`.

use serde_json::{json, Value};

use super::diff::severity_label;
use super::i18n;
use super::sarif::{rule, sarif_kind_level, SCHEMA_URI};
use super::sarif_fields::{
    artifact as artifact_entry, artifact_location, fingerprint_of, security_severity,
    severity_text, srcroot_base, DSK_WHITEPAPER, FINGERPRINT_KEY, SRCROOT,
};
use crate::assess::app_diff::{AppDiff, Change, ChangeKind, Severity};
use crate::assess::{Lang, TargetInfo};

/// The security severity of a regression that is not a check: a changed
/// signing key is critical, anything else medium.
fn change_severity(s: Severity) -> f64 {
    match s {
        Severity::Critical => 9.0,
        _ => 6.0,
    }
}

/// Renders the diff as a SARIF log (a JSON text).
pub fn render(d: &AppDiff, lang: Lang) -> String {
    serde_json::to_string_pretty(&log(d, lang, std::env::current_dir().ok().as_deref()))
        .unwrap_or_default()
        + "\n"
}

/// A regression as a result: (rule id, SARIF kind and level, its rule).
type Classified = (String, (&'static str, &'static str), Value);

fn classify(c: &Change, lang: Lang) -> Option<Classified> {
    if c.severity < Severity::Regression {
        return None;
    }
    if let (ChangeKind::OutcomeChanged, Some(r)) = (c.kind, &c.result) {
        // The kind and level of the new outcome in a scan log (a check that
        // became manual needs a review, not a fix).
        let kind_level = sarif_kind_level(r.outcome)?;
        let severity = security_severity(r.level, r.outcome);
        let help = i18n::text(&r.remediation, lang);
        return Some((r.check.clone(), kind_level, rule(r, help, severity, lang)));
    }
    if matches!(
        c.kind,
        ChangeKind::VerdictChanged | ChangeKind::ScoreChanged
    ) {
        // Summaries of the changed checks, in the invocation's properties.
        return None;
    }
    let kind = serde_json::to_value(c.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let id = format!("msgaudit-diff/{kind}");
    let level = if c.severity == Severity::Critical {
        "error"
    } else {
        "warning"
    };
    let (short, help) = kind_texts(c.kind, lang);
    let rule = json!({
        "id": id,
        "shortDescription": { "text": short },
        "fullDescription": { "text": short },
        "help": { "text": help },
        "helpUri": DSK_WHITEPAPER,
        "properties": {
            "tags": ["security", "update"],
            "security-severity": severity_text(change_severity(c.severity)),
        },
    });
    Some((id, ("fail", level), rule))
}

/// Title and help of a rule for a kind of change, in `lang`.
fn kind_texts(kind: ChangeKind, lang: Lang) -> (&'static str, &'static str) {
    let (de, en) = match kind {
        ChangeKind::SdkAdded => (
            ("Update fügt ein Analyse-, Absturzbericht- oder Werbe-SDK hinzu",
             "Vor der Verteilung prüfen, ob das SDK ohne Einwilligung Daten sammelt und ob es abgeschaltet werden kann."),
            ("Update adds an analytics, crash-reporting or advertising SDK",
             "Before rollout, check whether the SDK collects data without consent and whether it can be switched off."),
        ),
        ChangeKind::SdkCollectionChanged => (
            ("Update schaltet die Datensammlung eines SDK standardmäßig ein",
             "Vor der Verteilung klären, ob die Sammlung per Konfiguration abgeschaltet werden kann."),
            ("Update enables an SDK's data collection by default",
             "Before rollout, find out whether the collection can be switched off by configuration."),
        ),
        ChangeKind::PermissionAdded => (
            ("Update verlangt eine Berechtigung für personenbezogene Daten",
             "Vor der Verteilung klären, wofür die App die neue Berechtigung braucht, und sie per MDM verweigern, wo möglich."),
            ("Update requests a permission for personal data",
             "Before rollout, find out what the app needs the new permission for, and deny it by MDM where possible."),
        ),
        ChangeKind::CertificateChanged => (
            ("Signaturschlüssel des Updates hat sich geändert",
             "Vor der Verteilung beim Hersteller bestätigen lassen, dass das Update von ihm stammt."),
            ("The update's signing key changed",
             "Before rollout, have the vendor confirm that the update comes from them."),
        ),
        ChangeKind::AttestationChanged => (
            ("Eine Bestätigung entscheidet die Prüfung im Update nicht mehr oder widerspricht ihr",
             "Die Prüfung für die neue Version erneut bestätigen (Antwort mit deren Version oder Datei-SHA-256) oder den Widerspruch klären."),
            ("An attestation no longer decides the check in the update, or contradicts it",
             "Attest the check again for the new version (an answer naming its version or file SHA-256), or resolve the conflict."),
        ),
        _ => (
            ("Update ändert die Identität der App",
             "Prüfen, ob beide Dateien Versionen derselben App sind."),
            ("Update changes the app's identity",
             "Check that both files are versions of the same app."),
        ),
    };
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

fn artifact(t: &TargetInfo, cwd: Option<&std::path::Path>) -> Option<Value> {
    let f = t.file.as_ref()?;
    Some(artifact_entry(f, artifact_location(&f.path, cwd)))
}

/// Every change of an attestation status, also those that are no results
/// (a check newly decided by an answer, a conflict resolved):
/// `{check, old, new, severity}`, `old`/`new` absent without an answer.
fn attestation_changes(d: &AppDiff) -> Vec<Value> {
    d.changes
        .iter()
        .filter(|c| c.kind == ChangeKind::AttestationChanged)
        .map(|c| json!({ "check": c.subject, "old": c.old, "new": c.new, "severity": c.severity }))
        .collect()
}

/// The SARIF log of `d`; artifact URIs relative to `cwd` where they lie below it.
pub fn log(d: &AppDiff, lang: Lang, cwd: Option<&std::path::Path>) -> Value {
    let mut rule_ids: Vec<String> = Vec::new();
    let mut rules: Vec<Value> = Vec::new();
    let mut results = Vec::new();
    let artifacts: Vec<Value> = [&d.old, &d.new]
        .into_iter()
        .filter_map(|t| artifact(t, cwd))
        .collect();
    // The new version's artifact is the last one (when it has a file).
    let new_index = d.new.file.as_ref().map(|_| artifacts.len() - 1);
    let sha = d.new.file.as_ref().map_or("", |f| f.sha256.as_str());
    for c in &d.changes {
        let Some((id, (kind, level), rule)) = classify(c, lang) else {
            continue;
        };
        let rule_index = match rule_ids.iter().position(|r| *r == id) {
            Some(i) => i,
            None => {
                rule_ids.push(id.clone());
                rules.push(rule);
                rule_ids.len() - 1
            }
        };
        let key = match c.kind {
            ChangeKind::OutcomeChanged => id.clone(),
            _ => format!("{id}/{}", c.subject),
        };
        let mut location = json!({
            "logicalLocations": [{
                "name": d.new.name,
                "kind": "module",
                "fullyQualifiedName": d.new.id.as_deref().unwrap_or(&d.new.name),
            }],
        });
        if let (Some(i), Some(a)) = (new_index, artifacts.get(new_index.unwrap_or(0))) {
            let mut loc = a["location"].clone();
            loc["index"] = json!(i);
            location["physicalLocation"] = json!({ "artifactLocation": loc });
        }
        let severity = c
            .result
            .as_ref()
            .and_then(|r| security_severity(r.level, r.outcome))
            .unwrap_or_else(|| change_severity(c.severity));
        results.push(json!({
            "ruleId": id,
            "ruleIndex": rule_index,
            "kind": kind,
            "level": level,
            "message": { "text": format!("{}: {}", severity_label(c.severity, lang), i18n::text(&c.detail, lang)) },
            "locations": [location],
            "partialFingerprints": { FINGERPRINT_KEY: fingerprint_of(sha, None, &key) },
            "properties": {
                "change": c.kind,
                "severity": c.severity,
                "subject": c.subject,
                "old": c.old,
                "new": c.new,
                "security-severity": severity_text(severity),
            },
        }));
    }
    let count = |s: Severity| d.changes.iter().filter(|c| c.severity == s).count();
    let mut properties = json!({
        "oldVerdict": d.old_verdict,
        "newVerdict": d.new_verdict,
        "oldScore": d.old_score,
        "newScore": d.new_score,
        "oldCoverage": d.old_coverage,
        "newCoverage": d.new_coverage,
        "regression": d.regression,
        "improvements": count(Severity::Improvement),
        "info": count(Severity::Info),
        "outcomesOnly": d.outcomes_only,
        "attestationChanges": attestation_changes(d),
    });
    let (name, version) = match &d.header {
        Some(h) => {
            properties["profile"] = json!(h.profile.id);
            properties["profileSource"] = json!(h.profile.source);
            properties["asOf"] = json!(h.as_of);
            properties["checkSetDigest"] = json!(h.tool.check_set_digest);
            (h.tool.name.clone(), h.tool.version.clone())
        }
        None => (
            "msgaudit".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
    };
    let mut run = json!({
        "tool": { "driver": { "name": name, "version": version, "rules": rules } },
        "invocations": [{ "executionSuccessful": true, "properties": properties }],
        "language": match lang { Lang::De => "de-DE", Lang::En => "en-US" },
        "artifacts": artifacts,
        "results": results,
    });
    let relative = artifacts
        .iter()
        .any(|a| a["location"].get("uriBaseId").and_then(Value::as_str) == Some(SRCROOT));
    if let (Some(cwd), true) = (cwd, relative) {
        run["originalUriBaseIds"] = srcroot_base(cwd);
    }
    json!({ "$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run] })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regressions_are_results() {
        use crate::assess::Outcome;
        assert_eq!(sarif_kind_level(Outcome::Pass), None);
        assert_eq!(sarif_kind_level(Outcome::Manual), Some(("review", "none")));
        assert!(change_severity(Severity::Critical) >= 9.0);
        assert!(change_severity(Severity::Regression) >= 4.0);
    }
}
