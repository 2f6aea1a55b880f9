//! The gates of `msgaudit scan`: which verdicts (`--fail-on`), scores
//! (`--min-score`) and shares of decided checks (`--min-coverage`) make a
//! run fail, the exit code that follows (as [`RunExit`], which the SARIF
//! log states too), and what standard error says about the coverage.
//!
//! Exit codes (precedence from high to low): 5 configuration error (nothing
//! was evaluated; decided before this module is reached), 4 an input could
//! not be read, 1 a target is not compliant, or below `--min-score` or
//! `--min-coverage`, 3 a target is incomplete or nothing was assessed at all
//! (every export lists no device), 0 otherwise. `--fail-on` lowers which
//! verdicts count; the two floors apply under every `--fail-on`.
//!
//! *Coverage* is [`Coverage`]'s share: decided (pass or fail) among the
//! applicable checks. A target with no applicable check is below every floor
//! above 0, as a target without a score is below `--min-score`: nothing of it
//! was decided. A target that could not be read has nothing decided either;
//! it already ends the run with 4, which ranks above 1, and its error line
//! says why, so no coverage line is printed for it.

use crate::assess::{Assessment, Coverage, Lang, TargetAssessment, Verdict};
use crate::report::i18n;
use crate::report::RunExit;

use super::exit;
use super::scan::FailOn;

/// Without `--min-coverage`, `--min-score`'s note on a score that rests on
/// few checks is printed below this share of decided checks (percent).
pub const NOTE_BELOW: f64 = 50.0;

/// The gates of a run, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Gates {
    /// Which verdicts count.
    pub fail_on: FailOn,
    /// `--min-score`.
    pub min_score: Option<f64>,
    /// `--min-coverage` (0–100).
    pub min_coverage: Option<f64>,
}

/// Parses `--min-coverage` and `--min-score`: a percentage from 0 to 100 (a
/// fraction such as `66.7` is allowed; a score beyond 100 could never be met).
pub(crate) fn parse_percent(s: &str) -> Result<f64, String> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| (0.0..=100.0).contains(p))
        .ok_or_else(|| format!("`{s}` is not a percentage from 0 to 100"))
}

/// True when `c` is below `min` percent decided (exact for whole counts:
/// 4 of 5 decided meets 80).
pub fn below(c: Coverage, min: f64) -> bool {
    if c.total == 0 {
        return min > 0.0;
    }
    (c.decided as f64) * 100.0 < min * (c.total as f64)
}

/// The exit code of an assessment under `gates`, and why.
/// `device_coverages` are the devices' coverages in the order of
/// `assessment.devices.verdicts()` ([`crate::assess::DeviceStore::coverages`]).
pub fn run_exit(assessment: &Assessment, gates: &Gates, device_coverages: &[Coverage]) -> RunExit {
    let devices = assessment.devices.verdicts();
    let all = || {
        assessment
            .targets
            .iter()
            .map(|t| (t.verdict, t.score))
            .chain(devices.iter().copied())
    };
    // The worst verdict decides, in the one order of verdicts.
    let worst = all()
        .map(|(verdict, _)| verdict)
        .max_by_key(|v| v.severity());
    // An export read only in part is an input that could not be read.
    let partial = assessment
        .fleet
        .as_ref()
        .is_some_and(|f| f.inventories.iter().any(|i| i.partial.is_some()));
    if worst == Some(Verdict::Error) || partial {
        return RunExit {
            code: exit::INPUT_ERROR,
            input_error: true,
            ..RunExit::default()
        };
    }
    let below_score = gates
        .min_score
        .is_some_and(|min| all().any(|(_, s)| s.is_none_or(|s| s < min)));
    let below_coverage = gates.min_coverage.is_some_and(|min| {
        assessment
            .targets
            .iter()
            .map(TargetAssessment::coverage)
            .chain(device_coverages.iter().copied())
            .any(|c| below(c, min))
    });
    let not_compliant = gates.fail_on != FailOn::Never && worst == Some(Verdict::NotCompliant);
    if below_score || below_coverage || not_compliant {
        return RunExit {
            code: exit::NOT_COMPLIANT,
            not_compliant,
            below_score,
            below_coverage,
            ..RunExit::default()
        };
    }
    // Nothing assessed at all (every export named lists no device): nothing
    // is decided, which is never "every target compliant".
    let nothing = worst.is_none();
    if gates.fail_on == FailOn::Incomplete && (nothing || worst == Some(Verdict::Incomplete)) {
        return RunExit {
            code: exit::INCOMPLETE,
            incomplete: !nothing,
            nothing_assessed: nothing,
            ..RunExit::default()
        };
    }
    RunExit {
        code: exit::OK,
        all_compliant: worst == Some(Verdict::Compliant),
        ..RunExit::default()
    }
}

/// The lines standard error shows about coverage: for each app (or other
/// non-device target) below `--min-coverage`, and, with `--min-score`, for
/// each whose score rests on few checks (below `--min-coverage`, else below
/// [`NOTE_BELOW`]); devices in one line each for the two cases, counted.
/// `label` names a target as the run's other lines do (its file).
pub fn coverage_lines(
    assessment: &Assessment,
    gates: &Gates,
    device_coverages: &[Coverage],
    label: impl Fn(&TargetAssessment) -> String,
    lang: Lang,
) -> Vec<String> {
    let mut lines = Vec::new();
    if gates.min_coverage.is_none() && gates.min_score.is_none() {
        return lines;
    }
    for t in assessment
        .targets
        .iter()
        .filter(|t| t.verdict != Verdict::Error)
    {
        let c = t.coverage();
        let score = gates.min_score.map(|_| t.score);
        if let Some(min) = gates.min_coverage.filter(|min| below(c, *min)) {
            lines.push(format!(
                "msgaudit: {}: {}",
                label(t),
                below_floor(c, score, min, lang)
            ));
        } else if let Some(score) = score {
            let floor = gates.min_coverage.unwrap_or(NOTE_BELOW);
            if below(c, floor) {
                let hint = gates.min_coverage.is_none();
                lines.push(format!(
                    "msgaudit: {}: {}",
                    label(t),
                    score_note(c, score, hint, lang)
                ));
            }
        }
    }
    let devices = assessment.devices.verdicts();
    let counted: Vec<Coverage> = devices
        .iter()
        .zip(device_coverages)
        .filter(|((verdict, _), _)| *verdict != Verdict::Error)
        .map(|(_, c)| *c)
        .collect();
    let n = device_coverages.len();
    if let Some(min) = gates.min_coverage {
        if let Some(line) = devices_line(&counted, n, min, false, lang) {
            lines.push(line);
        }
    } else if gates.min_score.is_some() {
        if let Some(line) = devices_line(&counted, n, NOTE_BELOW, true, lang) {
            lines.push(line);
        }
    }
    lines
}

/// "2 of 13 applicable checks" (German: „2 von 13 anwendbaren Prüfungen“).
fn of_applicable(c: Coverage, lang: Lang) -> String {
    let (decided, total) = (c.decided, c.total);
    match (lang, total) {
        (Lang::De, 1) => format!("{decided} von 1 anwendbaren Prüfung"),
        (Lang::De, _) => format!("{decided} von {total} anwendbaren Prüfungen"),
        (Lang::En, 1) => format!("{decided} of 1 applicable check"),
        (Lang::En, _) => format!("{decided} of {total} applicable checks"),
    }
}

/// The share decided, as the reports write a percentage (`15,4 %`).
fn share(c: Coverage, lang: Lang) -> String {
    let share = if c.total == 0 {
        0.0
    } else {
        c.decided as f64 * 100.0 / c.total as f64
    };
    i18n::score(Some(share), lang)
}

/// The score with `lang`'s decimal comma (`100 %`).
fn percent(p: f64, lang: Lang) -> String {
    i18n::score(Some(p), lang)
}

/// A target below `--min-coverage` `min`; `score` is `Some` with
/// `--min-score` (the target's score, if any), so the line says what the
/// score rests on.
fn below_floor(c: Coverage, score: Option<Option<f64>>, min: f64, lang: Lang) -> String {
    let floor = percent(min, lang);
    let (share, of) = (share(c, lang), of_applicable(c, lang));
    match (score.flatten().filter(|s| s.is_finite()), lang) {
        (_, _) if c.total == 0 => match lang {
            Lang::De => format!(
                "keine anwendbare Prüfung, also nichts entschieden; --min-coverage verlangt mindestens {floor}"
            ),
            Lang::En => format!(
                "no applicable check, so nothing decided; --min-coverage asks for at least {floor}"
            ),
        },
        (Some(s), Lang::De) => format!(
            "Der Erfüllungsgrad von {} beruht auf nur {of} ({share} entschieden); --min-coverage verlangt mindestens {floor}",
            percent(s, lang)
        ),
        (Some(s), Lang::En) => format!(
            "the score of {} rests on only {of} ({share} decided); --min-coverage asks for at least {floor}",
            percent(s, lang)
        ),
        (None, Lang::De) => format!(
            "nur {of} entschieden ({share}); --min-coverage verlangt mindestens {floor}"
        ),
        (None, Lang::En) => format!(
            "only {of} decided ({share}); --min-coverage asks for at least {floor}"
        ),
    }
}

/// `--min-score`'s note on a score that rests on few checks (`score`
/// `None`: none decided, which counts as below `--min-score`); `hint`: say
/// that `--min-coverage` sets a floor (when it was not given).
fn score_note(c: Coverage, score: Option<f64>, hint: bool, lang: Lang) -> String {
    let of = of_applicable(c, lang);
    let mut line = match (score.filter(|s| s.is_finite()), lang) {
        (Some(s), Lang::De) => format!(
            "Hinweis: Der Erfüllungsgrad von {} beruht auf nur {of} ({} entschieden)",
            percent(s, lang),
            share(c, lang)
        ),
        (Some(s), Lang::En) => format!(
            "note: the score of {} rests on only {of} ({} decided)",
            percent(s, lang),
            share(c, lang)
        ),
        (None, Lang::De) => {
            format!("Hinweis: kein Erfüllungsgrad, {of} entschieden (gilt als unter --min-score)")
        }
        (None, Lang::En) => {
            format!("note: no score, {of} decided (counts as below --min-score)")
        }
    };
    if hint {
        line.push_str(match lang {
            Lang::De => "; wie viele entschieden sein müssen, legt --min-coverage fest",
            Lang::En => "; --min-coverage sets how many must be decided",
        });
    }
    line
}

/// One line for the devices below `min` percent decided, of `n` devices
/// (`counted`: those that could be read); `note`: `--min-score`'s note
/// rather than `--min-coverage`'s gate. `None` when no device is below.
fn devices_line(
    counted: &[Coverage],
    n: usize,
    min: f64,
    note: bool,
    lang: Lang,
) -> Option<String> {
    let low: Vec<Coverage> = counted.iter().copied().filter(|c| below(*c, min)).collect();
    // The fewest decided, as a share (ties: the one with more checks).
    let fewest = low.iter().copied().min_by(|a, b| {
        let share = |c: &Coverage| c.decided as f64 / c.total.max(1) as f64;
        share(a)
            .total_cmp(&share(b))
            .then_with(|| b.total.cmp(&a.total))
    })?;
    let (k, floor) = (low.len(), percent(min, lang));
    let fewest = match lang {
        Lang::De => format!("am wenigsten: {} von {}", fewest.decided, fewest.total),
        Lang::En => format!("the fewest: {} of {}", fewest.decided, fewest.total),
    };
    let devices = match (lang, n) {
        (Lang::De, 1) => "Gerät".to_string(),
        (Lang::De, _) => "Geräten".to_string(),
        (Lang::En, 1) => "device".to_string(),
        (Lang::En, _) => "devices".to_string(),
    };
    Some(match (lang, note) {
        (Lang::De, false) => format!(
            "msgaudit: Auf {k} von {n} {devices} sind weniger als die von --min-coverage verlangten {floor} der anwendbaren Prüfungen entschieden ({fewest})"
        ),
        (Lang::En, false) => format!(
            "msgaudit: on {k} of {n} {devices} fewer than the {floor} of the applicable checks that --min-coverage asks for are decided ({fewest})"
        ),
        (Lang::De, true) => format!(
            "msgaudit: Hinweis: Auf {k} von {n} {devices} beruht der Erfüllungsgrad auf weniger als {floor} der anwendbaren Prüfungen ({fewest}); wie viele entschieden sein müssen, legt --min-coverage fest"
        ),
        (Lang::En, true) => format!(
            "msgaudit: note: on {k} of {n} {devices} the score rests on fewer than {floor} of the applicable checks ({fewest}); --min-coverage sets how many must be decided"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(decided: usize, total: usize) -> Coverage {
        Coverage { decided, total }
    }

    #[test]
    fn below_is_exact_at_the_floor() {
        assert!(!below(c(4, 5), 80.0));
        assert!(below(c(3, 5), 80.0));
        assert!(below(c(2, 13), 15.5));
        assert!(!below(c(2, 13), 15.3));
        assert!(!below(c(0, 13), 0.0));
        // Nothing applicable: below every floor above 0.
        assert!(below(c(0, 0), 1.0));
        assert!(!below(c(0, 0), 0.0));
    }

    #[test]
    fn percentages_from_0_to_100_are_accepted() {
        assert_eq!(parse_percent("80"), Ok(80.0));
        assert_eq!(parse_percent("66.7"), Ok(66.7));
        assert_eq!(parse_percent("0"), Ok(0.0));
        assert_eq!(parse_percent("100"), Ok(100.0));
        for bad in ["101", "-1", "NaN", "inf", "", "achtzig"] {
            assert!(parse_percent(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_say_what_the_score_rests_on_in_both_languages() {
        let low = c(2, 13);
        assert_eq!(
            below_floor(low, Some(Some(100.0)), 80.0, Lang::En),
            "the score of 100 % rests on only 2 of 13 applicable checks (15.4 % decided); --min-coverage asks for at least 80 %"
        );
        assert_eq!(
            below_floor(low, Some(Some(100.0)), 80.0, Lang::De),
            "Der Erfüllungsgrad von 100 % beruht auf nur 2 von 13 anwendbaren Prüfungen (15,4 % entschieden); --min-coverage verlangt mindestens 80 %"
        );
        assert_eq!(
            below_floor(low, None, 80.0, Lang::En),
            "only 2 of 13 applicable checks decided (15.4 %); --min-coverage asks for at least 80 %"
        );
        assert_eq!(
            score_note(c(1, 3), Some(50.0), true, Lang::De),
            "Hinweis: Der Erfüllungsgrad von 50 % beruht auf nur 1 von 3 anwendbaren Prüfungen (33,3 % entschieden); wie viele entschieden sein müssen, legt --min-coverage fest"
        );
        assert_eq!(
            score_note(c(0, 1), None, false, Lang::En),
            "note: no score, 0 of 1 applicable check decided (counts as below --min-score)"
        );
        assert_eq!(
            devices_line(&[c(1, 4), c(4, 4), c(2, 4)], 3, 80.0, false, Lang::De).as_deref(),
            Some("msgaudit: Auf 2 von 3 Geräten sind weniger als die von --min-coverage verlangten 80 % der anwendbaren Prüfungen entschieden (am wenigsten: 1 von 4)")
        );
        assert_eq!(devices_line(&[c(4, 4)], 1, 80.0, true, Lang::En), None);
    }
}
