//! The exit code of a `scan` run and why, as the SARIF log states it
//! (`invocations[0].exitCode` and `exitCodeDescription`).
//!
//! The code depends on the command line (`--fail-on`, `--min-score`,
//! `--min-coverage`), which the assessment does not hold: the command
//! computes it before the report is rendered and hands it over in
//! [`RenderOptions::exit`](super::RenderOptions::exit). A run that stops
//! before its report ([`RunStop`]) still writes a SARIF log without results
//! that says why ([`super::sarif_stop`]).

use crate::assess::Lang;

/// The exit code of a run and which of its causes applied.
///
/// Only causes that would make the run fail under its `--fail-on` are meant
/// to be set (a target that is not compliant under `--fail-on never` is no
/// cause), but every such cause, not only the one that decides
/// [`RunExit::code`]: a target that is incomplete under `--fail-on
/// incomplete` is named beside one below `--min-coverage`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunExit {
    /// The process exit code.
    pub code: u8,
    /// An input (or an export in full) could not be read (code 4).
    pub input_error: bool,
    /// An installed-app list was read, but none of its lists names a
    /// device of the run (code 4; not an input that could not be read).
    pub unmatched_app_list: bool,
    /// A target is not compliant (code 1).
    pub not_compliant: bool,
    /// A target's score is below `--min-score`, or it has none, or nothing
    /// was assessed and the floor is above 0 (code 1).
    pub below_score: bool,
    /// A target's share of decided checks is below `--min-coverage`, or
    /// nothing was assessed and the floor is above 0 (code 1).
    pub below_coverage: bool,
    /// A target is incomplete (code 3).
    pub incomplete: bool,
    /// Nothing was assessed: every export lists no device (code 3 under
    /// `--fail-on incomplete`; code 1 with a floor above 0).
    pub nothing_assessed: bool,
    /// Every target is compliant (code 0).
    pub all_compliant: bool,
}

impl RunExit {
    /// A short text in `lang` saying why the run ends with [`RunExit::code`]
    /// (SARIF `exitCodeDescription`, in the language of the log's messages):
    /// every cause that applies, in the order of precedence.
    pub fn description(&self, lang: Lang) -> String {
        let de = lang == Lang::De;
        let mut why: Vec<&str> = Vec::new();
        let mut say = |on: bool, de_text: &'static str, en_text: &'static str| {
            if on {
                why.push(if de { de_text } else { en_text });
            }
        };
        say(
            self.input_error,
            "eine Eingabe konnte nicht vollständig gelesen werden",
            "an input could not be read in full",
        );
        say(
            self.unmatched_app_list,
            "keine Liste einer Datei installierter Apps ließ sich einem Gerät dieses Prüflaufs zuordnen",
            "none of the lists of an installed-app list file matched a device of the run",
        );
        say(
            self.not_compliant,
            "ein Prüfobjekt ist nicht konform",
            "a target is not compliant",
        );
        // Nothing assessed: no target can meet a floor above 0.
        let nothing = self.nothing_assessed;
        say(
            self.below_score && !nothing,
            "der Erfüllungsgrad eines Prüfobjekts liegt unter --min-score",
            "a target's score is below --min-score",
        );
        say(
            self.below_coverage && !nothing,
            "der Anteil entschiedener Prüfungen eines Prüfobjekts liegt unter --min-coverage",
            "a target's share of decided checks is below --min-coverage",
        );
        say(
            self.incomplete,
            "ein Prüfobjekt ist unvollständig",
            "a target is incomplete",
        );
        say(
            nothing,
            "es wurde nichts bewertet (kein Export enthält ein Gerät)",
            "nothing was assessed (no export lists a device)",
        );
        say(
            self.below_score && nothing,
            "ohne bewertetes Prüfobjekt ist --min-score nicht erfüllbar",
            "--min-score cannot be met without an assessed target",
        );
        say(
            self.below_coverage && nothing,
            "ohne bewertetes Prüfobjekt ist --min-coverage nicht erfüllbar",
            "--min-coverage cannot be met without an assessed target",
        );
        say(
            self.all_compliant,
            "jedes Prüfobjekt ist konform",
            "every target is compliant",
        );
        match (why.as_slice(), de) {
            ([], true) if self.code == 0 => {
                "kein Prüfobjekt unterschreitet eine Schwelle dieses Prüflaufs".to_string()
            }
            ([], false) if self.code == 0 => "no target fails the run's gates".to_string(),
            ([], true) => format!("Exit-Code {}", self.code),
            ([], false) => format!("exit code {}", self.code),
            _ => why.join("; "),
        }
    }
}

/// Why a `scan` run stopped before its report: nothing was assessed (or
/// its results could not be kept), so the SARIF log it still writes has no
/// results ([`super::sarif_stop`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// The inputs hold no app, inventory export or facts document (code 4).
    NothingFound,
    /// A check, profile, answers or `--trackers` file is missing, unreadable
    /// or broken (code 5).
    Configuration,
    /// The run's intermediate results could not be stored or read back
    /// (code 4).
    Storage,
}

impl StopCause {
    /// A short text in `lang` saying why the run stopped (SARIF
    /// `exitCodeDescription` of a log without results).
    pub fn description(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (StopCause::NothingFound, Lang::De) => {
                "die Eingaben enthalten keine App, keinen Inventarexport und kein Fakten-Dokument; es wurde nichts bewertet"
            }
            (StopCause::NothingFound, Lang::En) => {
                "the inputs hold no app, inventory export or facts document; nothing was assessed"
            }
            (StopCause::Configuration, Lang::De) => {
                "eine Prüf-, Profil-, Antwort- oder Tracker-Datei (--trackers) fehlt, ist nicht lesbar oder fehlerhaft; es wurde nichts bewertet"
            }
            (StopCause::Configuration, Lang::En) => {
                "a check, profile, answers or --trackers file is missing, unreadable or broken; nothing was assessed"
            }
            (StopCause::Storage, Lang::De) => {
                "die Zwischenergebnisse des Prüflaufs ließen sich nicht speichern oder zurücklesen; der Prüflauf endete vor dem Bericht"
            }
            (StopCause::Storage, Lang::En) => {
                "the run's intermediate results could not be stored or read back; the run ended before its report"
            }
        }
    }

    /// The cause's name in the SARIF log (`properties.stopCause` of the
    /// notification): `nothingFound`, `configuration` or `storage`.
    pub fn name(self) -> &'static str {
        match self {
            StopCause::NothingFound => "nothingFound",
            StopCause::Configuration => "configuration",
            StopCause::Storage => "storage",
        }
    }
}

/// A `scan` run that stopped before its report: the process's exit code,
/// why, and the error as standard error shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunStop {
    /// The process exit code.
    pub code: u8,
    /// Why the run stopped.
    pub cause: StopCause,
    /// The error in the run's language, as printed on standard error
    /// (without the `msgaudit:` prefix).
    pub message: String,
    /// The files folder scans skipped.
    pub skipped_files: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_every_cause() {
        let exit = RunExit {
            code: 1,
            not_compliant: true,
            below_coverage: true,
            ..RunExit::default()
        };
        assert_eq!(
            exit.description(Lang::En),
            "a target is not compliant; a target's share of decided checks is below --min-coverage"
        );
        assert_eq!(
            exit.description(Lang::De),
            "ein Prüfobjekt ist nicht konform; der Anteil entschiedener Prüfungen eines Prüfobjekts liegt unter --min-coverage"
        );
        assert_eq!(
            RunExit::default().description(Lang::En),
            "no target fails the run's gates"
        );
        assert_eq!(
            RunExit::default().description(Lang::De),
            "kein Prüfobjekt unterschreitet eine Schwelle dieses Prüflaufs"
        );
        let nothing = RunExit {
            code: 1,
            below_score: true,
            nothing_assessed: true,
            ..RunExit::default()
        };
        assert_eq!(
            nothing.description(Lang::En),
            "nothing was assessed (no export lists a device); --min-score cannot be met without an assessed target"
        );
    }

    #[test]
    fn a_stopped_run_says_why_in_its_language() {
        for cause in [
            StopCause::NothingFound,
            StopCause::Configuration,
            StopCause::Storage,
        ] {
            let (de, en) = (cause.description(Lang::De), cause.description(Lang::En));
            assert_ne!(de, en, "{cause:?}");
            assert!(!de.contains("nothing") && !de.contains("file"), "{de}");
        }
        assert_eq!(
            StopCause::Configuration.description(Lang::En),
            "a check, profile, answers or --trackers file is missing, unreadable or broken; nothing was assessed"
        );
        assert_eq!(StopCause::NothingFound.name(), "nothingFound");
    }
}
