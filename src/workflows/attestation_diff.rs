//! `diff`: what became of the auditor's answers between two versions. An
//! answer that decided a check for the old version and no longer does for
//! the new one (made for another version, expired, withdrawn), or a new
//! conflict between an answer and an automatic outcome, is a regression: the
//! update must not ride on an attestation made for something else. A check
//! newly decided by an answer is information; a conflict resolved is an
//! improvement.

use std::collections::BTreeMap;

use crate::assess::app_diff::{Change, ChangeKind, Severity};
use crate::assess::{AttestationStatus, CheckResult, Lang, TargetAssessment, Text};
use crate::report::attestation::status_label;

/// How much a change of attestation status matters for the rollout.
pub fn severity(old: Option<AttestationStatus>, new: Option<AttestationStatus>) -> Severity {
    use AttestationStatus::*;
    match (old, new) {
        (_, Some(Conflict)) => Severity::Regression,
        (Some(Applied), _) => Severity::Regression,
        (Some(Conflict), _) => Severity::Improvement,
        _ => Severity::Info,
    }
}

/// The status in words, "keine Antwort" / "no answer" without one.
fn label(s: Option<AttestationStatus>, lang: Lang) -> &'static str {
    match (s, lang) {
        (Some(s), _) => status_label(s, lang),
        (None, Lang::De) => "keine Antwort",
        (None, Lang::En) => "no answer",
    }
}

/// The sentence of a change of `r`'s attestation from `was`.
fn detail(r: &CheckResult, was: Option<AttestationStatus>) -> Text {
    let now = r.attestation_status;
    let reason = |lang: Lang| {
        r.attestation
            .as_ref()
            .and_then(|a| a.reason.as_ref())
            .map(|t| format!(" {}", crate::report::i18n::text(t, lang)))
            .unwrap_or_default()
    };
    Text::new(
        format!(
            "Bestätigung von „{}“ ({}): {} → {}.{}",
            crate::report::i18n::text(&r.title, Lang::De),
            r.requirement,
            label(was, Lang::De),
            label(now, Lang::De),
            reason(Lang::De)
        ),
        format!(
            "Attestation of “{}” ({}): {} → {}.{}",
            crate::report::i18n::text(&r.title, Lang::En),
            r.requirement,
            label(was, Lang::En),
            label(now, Lang::En),
            reason(Lang::En)
        ),
    )
}

/// Adds a change for every check present in both versions whose attestation
/// status differs.
pub fn diff_attestations(old: &TargetAssessment, new: &TargetAssessment, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, Option<AttestationStatus>> = old
        .results
        .iter()
        .map(|r| (r.check.as_str(), r.attestation_status))
        .collect();
    for r in &new.results {
        let Some(&was) = before.get(r.check.as_str()) else {
            continue;
        };
        if was == r.attestation_status {
            continue;
        }
        out.push(Change {
            kind: ChangeKind::AttestationChanged,
            severity: severity(was, r.attestation_status),
            subject: r.check.clone(),
            old: was.map(|s| s.name().to_string()),
            new: r.attestation_status.map(|s| s.name().to_string()),
            detail: detail(r, was),
            result: Some(Box::new(r.clone())),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttestationStatus::*;

    #[test]
    fn losing_an_answer_or_a_new_conflict_is_a_regression() {
        assert_eq!(
            severity(Some(Applied), Some(OtherVersion)),
            Severity::Regression
        );
        assert_eq!(severity(Some(Applied), Some(Expired)), Severity::Regression);
        assert_eq!(severity(Some(Applied), None), Severity::Regression);
        assert_eq!(severity(None, Some(Conflict)), Severity::Regression);
        assert_eq!(
            severity(Some(Conflict), Some(Applied)),
            Severity::Improvement
        );
        assert_eq!(severity(None, Some(Applied)), Severity::Info);
        assert_eq!(severity(Some(OtherVersion), Some(Expired)), Severity::Info);
    }
}
