//! How a result's attestation is shown, the same in every format: a badge
//! ("bestätigt" / "attested" for an answer that decided the check, distinct
//! from an automatic pass; "Widerspruch" / "conflict", "Bestätigung
//! abgelaufen" / "attestation expired", "Bestätigung für andere Version" /
//! "attestation for another version" for one that did not), shown once per
//! check beside the outcome, and one detail line: who and when (the note is
//! the result's message), or why the answer did not decide the check.
//!
//! What an answer does is decided in [`crate::checks::attest`].

use super::i18n::Label;
use crate::assess::{AttestationStatus, CheckResult, Lang};

/// The CSS of the HTML badges (one class per status, after `badge`).
pub const CSS: &str = ".attest{background:#eef0ff;color:#3e1f79;border-color:#8c6df0;margin-top:3px;white-space:normal}\
.attest.conflict,.attest.expired,.attest.other_version{background:#fff1e5;color:#8a2a00;border-color:#fb8f44}";

/// The badge of `r`'s attestation in `lang`; `None` without one.
pub fn badge(r: &CheckResult, lang: Lang) -> Option<&'static str> {
    r.attestation_status.map(|s| status_label(s, lang))
}

/// The badge text of an attestation status in `lang` (also used by
/// `compare` and `diff`).
pub fn status_label(status: AttestationStatus, lang: Lang) -> &'static str {
    let (de, en) = match status {
        AttestationStatus::Applied => ("bestätigt", "attested"),
        AttestationStatus::Conflict => ("Widerspruch", "conflict"),
        AttestationStatus::Expired => ("Bestätigung abgelaufen", "attestation expired"),
        AttestationStatus::OtherVersion => (
            "Bestätigung für andere Version",
            "attestation for another version",
        ),
    };
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The HTML class suffix of the badge (`applied`, `conflict`, …).
pub fn class(r: &CheckResult) -> &'static str {
    r.attestation_status.map_or("", AttestationStatus::name)
}

/// The detail line of `r`'s attestation in `lang`, without the badge.
///
/// An applied answer: `by, date` and the binding (`für Version 2.3`,
/// `gültig bis 2027-05-01`); its note is the result's message. Otherwise the
/// reason it did not decide (or the conflict), then who answered what.
pub fn detail(r: &CheckResult, lang: Lang) -> Option<String> {
    let a = r.attestation.as_ref()?;
    let de = lang == Lang::De;
    let mut parts = vec![a.by.clone(), a.date.clone()];
    if let Some(v) = &a.version {
        parts.push(if de {
            format!("für Version {v}")
        } else {
            format!("for version {v}")
        });
    }
    if let Some(h) = &a.sha256 {
        let short = h.get(..16).unwrap_or(h);
        parts.push(if de {
            format!("für Datei-SHA-256 {short}…")
        } else {
            format!("for file SHA-256 {short}…")
        });
    }
    if let Some(d) = &a.valid_until {
        parts.push(if de {
            format!("gültig bis {d}")
        } else {
            format!("valid until {d}")
        });
    }
    let who = parts.join(", ");
    let Some(reason) = &a.reason else {
        return Some(who);
    };
    // The note is the message when the answer decided; else it is said here.
    let note = if r.attested || a.note.trim().is_empty() {
        String::new()
    } else {
        format!(": {}", a.note)
    };
    let answered = if de { "Antwort von" } else { "answer by" };
    Some(format!("{} ({answered} {who}{note})", reason.get(lang)))
}

/// The detail for a details block, with the label it needs: "Bestätigung" /
/// "Attestation" before who and when of an applied answer; none before a
/// reason, which names the attestation itself.
pub fn labelled(r: &CheckResult, lang: Lang) -> Option<(Option<&'static str>, String)> {
    let detail = detail(r, lang)?;
    let applied = r.attestation_status == Some(AttestationStatus::Applied);
    Some((applied.then(|| Label::Attestation.get(lang)), detail))
}

/// `badge: detail` on one line (CSV, SARIF), or `None`.
pub fn line(r: &CheckResult, lang: Lang) -> Option<String> {
    Some(format!("{}: {}", badge(r, lang)?, detail(r, lang)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Attestation, Level, Outcome, Text};

    fn result(status: AttestationStatus, attested: bool, reason: Option<Text>) -> CheckResult {
        let mut a = Attestation::new("A. Prüferin", "2026-05-01", "auf dem Gerät getestet");
        a.version = Some("1.0".into());
        a.reason = reason;
        CheckResult {
            check: "APP-06-deletion".into(),
            requirement: "APP-06".into(),
            level: Level::Must,
            outcome: Outcome::Pass,
            title: Text::default(),
            message: Text::default(),
            remediation: Text::default(),
            evidence: Vec::new(),
            attestation: Some(a),
            attested,
            attestation_status: Some(status),
            weight: 1.0,
        }
    }

    #[test]
    fn applied_shows_who_and_when_and_the_binding() {
        let r = result(AttestationStatus::Applied, true, None);
        assert_eq!(
            line(&r, Lang::De).unwrap(),
            "bestätigt: A. Prüferin, 2026-05-01, für Version 1.0"
        );
        assert_eq!(
            line(&r, Lang::En).unwrap(),
            "attested: A. Prüferin, 2026-05-01, for version 1.0"
        );
    }

    #[test]
    fn an_answer_that_did_not_decide_says_why_and_what_it_said() {
        let reason = Text::new("Gilt für Version 1.0.", "Is for version 1.0.");
        let r = result(AttestationStatus::OtherVersion, false, Some(reason));
        assert_eq!(
            line(&r, Lang::De).unwrap(),
            "Bestätigung für andere Version: Gilt für Version 1.0. (Antwort von A. Prüferin, 2026-05-01, für Version 1.0: auf dem Gerät getestet)"
        );
        let mut none = r.clone();
        none.attestation_status = None;
        none.attestation = None;
        assert_eq!(line(&none, Lang::En), None);
    }
}
