//! What an auditor's answer does to a check result.
//!
//! An answer decides only what the files could not: a `manual` or `warn`
//! outcome, and only when it holds for the target (its version or file
//! binding matches and it has not expired at the audit date). It never
//! overrides an automatic `fail`: an answer contradicting a decided outcome is
//! a *conflict*, shown with both sides, and the stricter outcome stands (an
//! automatic fail against an answer's pass; an answer's fail against an
//! automatic pass). An answer that does not hold leaves the automatic outcome
//! and says why. Every found answer is kept on the result
//! ([`CheckResult::attestation`]) with its [`AttestationStatus`].

use super::answers::{Answer, AppBuild, Binding};
use crate::assess::{AttestationStatus, CheckResult, Outcome, Text};

/// Applies `answer` (found for `result` with `binding`) to `result`.
/// `app` is the target's build (`None`: a device); `as_of` the audit date.
pub fn apply(
    result: &mut CheckResult,
    answer: &Answer,
    binding: &Binding,
    app: Option<&AppBuild>,
    as_of: &str,
) {
    let automatic = result.outcome;
    let decidable = matches!(automatic, Outcome::Manual | Outcome::Warn);
    let decided = matches!(automatic, Outcome::Pass | Outcome::Fail);
    // Not applicable and error outcomes are not the answer's to change, and an
    // answer that agrees with the rules adds nothing to report.
    if !(decidable || decided && answer.outcome != automatic) {
        return;
    }
    let mut att = answer.attestation.clone();
    att.automatic_outcome = Some(automatic);
    let status = match binding {
        Binding::Holds if decidable => {
            result.outcome = answer.outcome;
            result.message = note_message(&att.note);
            result.attested = true;
            AttestationStatus::Applied
        }
        Binding::Holds => {
            att.reason = Some(conflict_reason(automatic, answer.outcome));
            if stricter(answer.outcome, automatic) {
                result.outcome = answer.outcome;
                result.message = note_message(&att.note);
                result.attested = true;
            }
            AttestationStatus::Conflict
        }
        Binding::Expired => {
            att.reason = Some(expired_reason(answer, as_of));
            AttestationStatus::Expired
        }
        Binding::OtherVersion | Binding::OtherFile => {
            att.reason = Some(other_build_reason(answer, binding, app));
            AttestationStatus::OtherVersion
        }
    };
    result.attestation = Some(att);
    result.attestation_status = Some(status);
}

/// Whether `answer` is stricter than the automatic `automatic` (only a fail
/// against a pass: an answer never improves an automatic outcome).
fn stricter(answer: Outcome, automatic: Outcome) -> bool {
    answer == Outcome::Fail && automatic == Outcome::Pass
}

/// The message of a result the answer decided: the auditor's note (who and
/// when are shown once, with the badge).
fn note_message(note: &str) -> Text {
    if note.trim().is_empty() {
        Text::new(
            "Vom Prüfer ohne Anmerkung entschieden.",
            "Decided by the auditor without a note.",
        )
    } else {
        Text::new(note, note)
    }
}

/// An outcome in quotation marks, as the reasons name it.
fn quoted(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Pass => ("„erfüllt“", "“pass”"),
        Outcome::Fail => ("„nicht erfüllt“", "“fail”"),
        Outcome::Warn => ("„Warnung“", "“warn”"),
        Outcome::Manual => ("„manuell“", "“manual”"),
        Outcome::NotApplicable => ("„nicht anwendbar“", "“not applicable”"),
        Outcome::Error => ("„Fehler“", "“error”"),
    }
}

fn conflict_reason(automatic: Outcome, answer: Outcome) -> Text {
    let (auto_de, auto_en) = quoted(automatic);
    let (ans_de, ans_en) = quoted(answer);
    let (rule_de, rule_en) = if stricter(answer, automatic) {
        (
            "Das strengere Ergebnis der Antwort gilt.",
            "The answer's stricter outcome stands.",
        )
    } else if automatic == Outcome::Fail {
        (
            "Das automatische Ergebnis gilt: Eine Antwort hebt kein automatisches „nicht erfüllt“ auf.",
            "The automatic outcome stands: an answer never overrides an automatic fail.",
        )
    } else {
        (
            "Das automatische Ergebnis gilt.",
            "The automatic outcome stands.",
        )
    };
    Text::new(
        format!("Widerspruch: Die automatische Prüfung ergab {auto_de}, die Antwort lautet {ans_de}. {rule_de}"),
        format!("Conflict: the automatic check found {auto_en}, the answer says {ans_en}. {rule_en}"),
    )
}

fn expired_reason(answer: &Answer, as_of: &str) -> Text {
    let a = &answer.attestation;
    let until = a.valid_until.as_deref().unwrap_or_default();
    Text::new(
        format!(
            "Bestätigung vom {} galt bis {until} und ist zum Prüfdatum {as_of} abgelaufen; es gilt das automatische Ergebnis.",
            a.date
        ),
        format!(
            "Attestation of {} was valid until {until} and has expired at the audit date {as_of}; the automatic outcome stands.",
            a.date
        ),
    )
}

fn other_build_reason(answer: &Answer, binding: &Binding, app: Option<&AppBuild>) -> Text {
    let date = &answer.attestation.date;
    if *binding == Binding::OtherFile {
        let short = |h: &str| h.get(..16).unwrap_or(h).to_string();
        let made = short(answer.sha256.as_deref().unwrap_or_default());
        let audited = short(app.map(|a| a.sha256).unwrap_or_default());
        return Text::new(
            format!("Bestätigung vom {date} gilt für die Datei mit SHA-256 {made}…, geprüft wird {audited}…; es gilt das automatische Ergebnis."),
            format!("Attestation of {date} is for the file with SHA-256 {made}…, the audited file is {audited}…; the automatic outcome stands."),
        );
    }
    let made = answer.version.as_deref().unwrap_or_default();
    match app.and_then(AppBuild::version_label) {
        Some(audited) => Text::new(
            format!("Bestätigung vom {date} gilt für Version {made}, geprüft wird {audited}; es gilt das automatische Ergebnis."),
            format!("Attestation of {date} is for version {made}, the audited version is {audited}; the automatic outcome stands."),
        ),
        None => Text::new(
            format!("Bestätigung vom {date} gilt für Version {made}, die Version der geprüften App ist unbekannt; es gilt das automatische Ergebnis."),
            format!("Attestation of {date} is for version {made}, the audited app's version is unknown; the automatic outcome stands."),
        ),
    }
}
