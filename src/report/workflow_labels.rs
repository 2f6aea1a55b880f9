//! Labels only the views of `compare` and `diff` use, in German and
//! English. Words the scan report has too ("Belege", "Nicht lesbar",
//! "Anforderung", …) come from [`super::i18n`], so that both say the same.

use super::i18n::pick;
use crate::assess::Lang;

/// A fixed label of the workflow views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WLabel {
    /// Title of the comparison.
    CompareTitle,
    /// Title of the diff.
    DiffTitle,
    /// "Inputs" (the files read, with their hashes).
    Inputs,
    /// Row header of the verdict/score/coverage row.
    VerdictScore,
    /// "Platform".
    Platform,
    /// "Candidates N–M of K" (a column group); `{}` placeholders filled by the caller.
    Candidates,
    /// "of" between a range and a total.
    Of,
    /// Marks an outcome an auditor's answer decided.
    Attested,
    /// The legend of a cell where an answer contradicts an automatic outcome.
    Conflict,
    /// "Severity" (of a change).
    Severity,
    /// "Change".
    Change,
    /// "Old" version.
    Old,
    /// "New" version.
    New,
    /// "Coverage" (decided of applicable checks).
    Coverage,
    /// The sentence when the update is worse somewhere.
    RegressionFound,
    /// The sentence when it is not.
    NoRegression,
    /// Only check outcomes could be compared.
    OutcomesOnly,
    /// No change at all.
    NoChanges,
    /// "No evidence recorded".
    NoEvidence,
    /// "Not assessed" (a requirement a candidate has no check for).
    NotAssessed,
}

impl WLabel {
    /// The label in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (de, en) = self.pair();
        pick(lang, de, en)
    }

    fn pair(self) -> (&'static str, &'static str) {
        match self {
            WLabel::CompareTitle => ("Messenger-Vergleich", "Messenger comparison"),
            WLabel::DiffTitle => ("Update-Vergleich", "Update diff"),
            WLabel::Inputs => ("Eingaben", "Inputs"),
            WLabel::VerdictScore => (
                "Gesamturteil, Punkte, Abdeckung",
                "Verdict, score, coverage",
            ),
            WLabel::Platform => ("Plattform", "Platform"),
            WLabel::Candidates => ("Kandidaten", "Candidates"),
            WLabel::Of => ("von", "of"),
            WLabel::Attested => ("durch Antwort bestätigt", "attested by an answer"),
            WLabel::Conflict => (
                "Widerspruch: Eine Antwort widerspricht dem automatischen Ergebnis; das strengere Ergebnis gilt (Einzelheiten im Prüfbericht der App).",
                "conflict: an answer contradicts the automatic outcome; the stricter outcome stands (details in the app's audit report).",
            ),
            WLabel::Severity => ("Bewertung", "Severity"),
            WLabel::Change => ("Änderung", "Change"),
            WLabel::Old => ("Alt", "Old"),
            WLabel::New => ("Neu", "New"),
            WLabel::Coverage => ("Abdeckung", "Coverage"),
            WLabel::RegressionFound => (
                "VERSCHLECHTERUNG: Update vor der Verteilung prüfen.",
                "REGRESSION: review the update before rollout.",
            ),
            WLabel::NoRegression => ("Keine Verschlechterung gefunden.", "No regression found."),
            WLabel::OutcomesOnly => (
                "Nur Prüfergebnisse verglichen: In einem der Berichte fehlen die Fakten.",
                "Only check outcomes compared: facts missing from a report.",
            ),
            WLabel::NoChanges => ("Keine Änderungen.", "No changes."),
            WLabel::NoEvidence => ("keine Belege erfasst", "no evidence recorded"),
            WLabel::NotAssessed => ("nicht geprüft", "not assessed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_has_both_languages() {
        use WLabel::*;
        for l in [
            CompareTitle,
            DiffTitle,
            Inputs,
            VerdictScore,
            Platform,
            Candidates,
            Of,
            Attested,
            Conflict,
            Severity,
            Change,
            Old,
            New,
            Coverage,
            RegressionFound,
            NoRegression,
            OutcomesOnly,
            NoChanges,
            NoEvidence,
            NotAssessed,
        ] {
            assert!(!l.get(Lang::De).is_empty() && !l.get(Lang::En).is_empty());
        }
        assert_eq!(WLabel::NoEvidence.get(Lang::De), "keine Belege erfasst");
    }
}
