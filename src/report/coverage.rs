//! The honest headline: beside every score, how many of the applicable
//! checks were decided ("3 of 13 decided" / "3 von 13 entschieden"), and,
//! for fleet checks left open, what would decide them.
//!
//! What counts as decided is [`Coverage`]'s rule (pass or fail, attested or
//! not; not-applicable checks are not counted). Documented in `docs/report.md`.

use super::i18n;
use crate::assess::{Coverage, FleetRequirement, Lang, TargetAssessment, Text};

/// "N of M decided" in `lang`.
pub fn decided(c: Coverage, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{} von {} entschieden", c.decided, c.total),
        Lang::En => format!("{} of {} decided", c.decided, c.total),
    }
}

/// The score and the coverage of a target on one line:
/// `87,5 % · 12 von 13 entschieden`.
pub fn headline(t: &TargetAssessment, lang: Lang) -> String {
    format!(
        "{} · {}",
        i18n::score(t.score, lang),
        decided(t.coverage(), lang)
    )
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
        (Lang::De, n) => format!("Auf {n} Geräten offen – zur Entscheidung fehlt: {hint}"),
        (Lang::En, 1) => format!("Open on 1 device — what would decide it: {hint}"),
        (Lang::En, n) => format!("Open on {n} devices — what would decide it: {hint}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::Level;

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
