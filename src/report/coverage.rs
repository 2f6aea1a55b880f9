//! The honest headline: beside every score, how many of the applicable
//! checks were decided ("3 of 13 decided" / "3 von 13 entschieden"), and,
//! for fleet checks left open, what would decide them.
//!
//! What counts as decided is [`Coverage`]'s rule (pass or fail, attested or
//! not; not-applicable checks are not counted). Documented in `docs/report.md`.

use super::i18n::{self, Label};
use crate::assess::{Coverage, FleetRequirement, Lang, TargetAssessment, Text, Verdict};

/// "N of M decided" in `lang`.
pub fn decided(c: Coverage, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{} von {} entschieden", c.decided, c.total),
        Lang::En => format!("{} of {} decided", c.decided, c.total),
    }
}

/// The score with what it is a share of: `100 % der entschiedenen
/// Prüfungen` / `100 % of decided checks` (passed ÷ decided, so two decided
/// checks out of thirteen can give 100 %); the "not scored" label when there
/// is no score.
pub fn score(t: &TargetAssessment, lang: Lang) -> String {
    match t.score {
        Some(v) if v.is_finite() => {
            let n = i18n::score(Some(v), lang);
            match lang {
                Lang::De => format!("{n} der entschiedenen Prüfungen"),
                Lang::En => format!("{n} of decided checks"),
            }
        }
        _ => Label::NoScore.get(lang).to_string(),
    }
}

/// "N of M decided" for a target, or `None` for one that could not be read
/// (verdict "Unreadable": "0 of 0 decided" would read as if no check applied).
pub fn decided_of(t: &TargetAssessment, lang: Lang) -> Option<String> {
    (t.verdict != Verdict::Error).then(|| decided(t.coverage(), lang))
}

/// The score and the coverage of a target on one line:
/// `87,5 % der entschiedenen Prüfungen (12 von 13 entschieden)` / `87.5 %
/// of decided checks (12 of 13 decided)`; without a score `nicht bewertet
/// (0 von 13 entschieden)`; only `nicht bewertet` for a target that could
/// not be read.
pub fn headline(t: &TargetAssessment, lang: Lang) -> String {
    let score = score(t, lang);
    match decided_of(t, lang) {
        Some(d) => format!("{score} ({d})"),
        None => score,
    }
}

/// [`headline`] for the terminal's one-line summary of a target, which
/// fits 80 columns: `87,5 % der entschiedenen Prüfungen (12 von 13)`;
/// without a score or unreadable as [`headline`].
pub fn headline_compact(t: &TargetAssessment, lang: Lang) -> String {
    let c = t.coverage();
    match (t.score.is_some_and(f64::is_finite), t.verdict, lang) {
        (true, Verdict::Error, _) | (false, _, _) => headline(t, lang),
        (true, _, Lang::De) => format!("{} ({} von {})", score(t, lang), c.decided, c.total),
        (true, _, Lang::En) => format!("{} ({} of {})", score(t, lang), c.decided, c.total),
    }
}

/// Column header for the decided count (CSV).
pub fn decided_header(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Entschieden",
        Lang::En => "Decided",
    }
}

/// Column header for the number of applicable checks (CSV).
pub fn applicable_header(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Anwendbare Prüfungen",
        Lang::En => "Applicable checks",
    }
}

/// Column header for devices where a check does not apply (fleet tables).
pub fn not_applicable_header(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Nicht anwendbar",
        Lang::En => "Not applicable",
    }
}

/// For a fleet check left open on some devices and with a hint in its
/// definition: "Open on N devices — what would decide it: …"; `None` otherwise.
pub fn open_hint(q: &FleetRequirement, lang: Lang) -> Option<String> {
    let hint: &Text = q.decide_hint.as_ref()?;
    if q.undecided == 0 {
        return None;
    }
    let hint = i18n::text(hint, lang);
    Some(match (lang, q.undecided) {
        (Lang::De, 1) => format!("Auf 1 Gerät offen – zur Entscheidung fehlt: {hint}"),
        (Lang::De, n) => format!(
            "Auf {} Geräten offen – zur Entscheidung fehlt: {hint}",
            crate::lang::count(n, lang)
        ),
        (Lang::En, 1) => format!("Open on 1 device — what would decide it: {hint}"),
        (Lang::En, n) => format!(
            "Open on {} devices — what would decide it: {hint}",
            crate::lang::count(n, lang)
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Level, Outcome};

    fn target(verdict: Verdict, score: Option<f64>, outcomes: &[Outcome]) -> TargetAssessment {
        let results = outcomes
            .iter()
            .enumerate()
            .map(|(i, o)| crate::assess::CheckResult {
                check: format!("APP-0{i}-x"),
                requirement: format!("APP-0{i}"),
                level: Level::Must,
                outcome: *o,
                title: Text::new("t", "t"),
                message: Text::new("m", "m"),
                remediation: Text::new("r", "r"),
                evidence: Vec::new(),
                attestation: None,
                attested: false,
                attestation_status: None,
                weight: 1.0,
            })
            .collect();
        TargetAssessment {
            target: crate::assess::TargetInfo {
                kind: crate::facts::TargetKind::Android,
                name: "a".into(),
                id: None,
                version: None,
                file: None,
                source: None,
                device: None,
            },
            verdict,
            score,
            results,
            error: None,
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    #[test]
    fn headline_says_the_score_is_a_share_of_the_decided_checks() {
        use Outcome::{Manual, Pass};
        let t = target(Verdict::Incomplete, Some(100.0), &[Pass, Pass, Manual]);
        assert_eq!(
            headline(&t, Lang::De),
            "100 % der entschiedenen Prüfungen (2 von 3 entschieden)"
        );
        assert_eq!(
            headline(&t, Lang::En),
            "100 % of decided checks (2 of 3 decided)"
        );
        assert_eq!(
            headline_compact(&t, Lang::De),
            "100 % der entschiedenen Prüfungen (2 von 3)"
        );
        assert_eq!(
            headline_compact(&t, Lang::En),
            "100 % of decided checks (2 of 3)"
        );
        assert_ne!(headline(&t, Lang::De), "100 % · 2 von 3 entschieden");
        let open = target(Verdict::Incomplete, None, &[Manual]);
        assert_eq!(
            headline(&open, Lang::De),
            "nicht bewertet (0 von 1 entschieden)"
        );
        assert_eq!(
            headline_compact(&open, Lang::En),
            "not scored (0 of 1 decided)"
        );
    }

    #[test]
    fn an_unreadable_target_is_not_scored_and_shows_no_count() {
        let t = target(Verdict::Error, None, &[]);
        for l in [Lang::De, Lang::En] {
            assert_eq!(decided_of(&t, l), None);
            assert_eq!(headline(&t, l), headline_compact(&t, l));
        }
        assert_eq!(headline(&t, Lang::De), "nicht bewertet");
        assert_eq!(headline(&t, Lang::En), "not scored");
    }

    #[test]
    fn decided_reads_naturally_in_both_languages() {
        let c = Coverage {
            decided: 3,
            total: 13,
        };
        assert_eq!(decided(c, Lang::De), "3 von 13 entschieden");
        assert_eq!(decided(c, Lang::En), "3 of 13 decided");
    }

    #[test]
    fn open_hint_only_where_devices_are_open_and_a_hint_exists() {
        let mut q = FleetRequirement {
            check: "DEV-02-passcode".into(),
            requirement: "DEV-02".into(),
            level: Level::Must,
            title: Text::new("t", "t"),
            passed: 1,
            failed: 0,
            undecided: 40,
            not_applicable: 0,
            share_compliant: 2.4,
            warned: 0,
            open_by_format: Vec::new(),
            decide_hint: Some(Text::new("der Export", "the export")),
        };
        assert_eq!(
            open_hint(&q, Lang::De).unwrap(),
            "Auf 40 Geräten offen – zur Entscheidung fehlt: der Export"
        );
        assert_eq!(
            open_hint(&q, Lang::En).unwrap(),
            "Open on 40 devices — what would decide it: the export"
        );
        q.undecided = 0;
        assert_eq!(open_hint(&q, Lang::En), None);
        q.undecided = 2;
        q.decide_hint = None;
        assert_eq!(open_hint(&q, Lang::En), None);
    }
}
