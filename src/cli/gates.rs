//! The gates of `msgaudit scan`: which verdicts (`--fail-on`), scores
//! (`--min-score`) and shares of decided checks (`--min-coverage`) make a
//! run fail, the exit code that follows (as [`RunExit`], which the SARIF
//! log states too), and what standard error says about scores and coverage.
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
//! says why, so no coverage line is printed for it. A run that assessed
//! nothing (every export lists no device) meets no floor above 0.
//!
//! Shares and scores below a floor are shown with as many decimals as it
//! takes to read below it (`38.46 %` against `--min-coverage 38.5`), and a
//! floor as it was given.

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
        // Exit 4 whatever else holds; the verdicts that would fail the run
        // under its --fail-on are named beside it (the floors are not: an
        // unreadable target has no score to hold against them).
        let any = |v: Verdict| all().any(|(x, _)| x == v);
        // An installed-app list that matched no device was read: it is
        // named for what it is, not as an input that could not be read.
        let unreadable = partial
            || devices.iter().any(|(v, _)| *v == Verdict::Error)
            || assessment
                .targets
                .iter()
                .any(|t| t.verdict == Verdict::Error && !t.is_unmatched_app_list());
        return RunExit {
            code: exit::INPUT_ERROR,
            input_error: unreadable,
            unmatched_app_list: assessment
                .targets
                .iter()
                .any(TargetAssessment::is_unmatched_app_list),
            not_compliant: gates.fail_on != FailOn::Never && any(Verdict::NotCompliant),
            incomplete: gates.fail_on == FailOn::Incomplete && any(Verdict::Incomplete),
            ..RunExit::default()
        };
    }
    // Nothing assessed at all (every export named lists no device): nothing
    // is decided, which is never "every target compliant", and no floor
    // above 0 can be met.
    let nothing = worst.is_none();
    let below_score = gates
        .min_score
        .is_some_and(|min| (nothing && min > 0.0) || all().any(|(_, s)| s.is_none_or(|s| s < min)));
    let below_coverage = gates.min_coverage.is_some_and(|min| {
        (nothing && min > 0.0)
            || assessment
                .targets
                .iter()
                .map(TargetAssessment::coverage)
                .chain(device_coverages.iter().copied())
                .any(|c| below(c, min))
    });
    let not_compliant = gates.fail_on != FailOn::Never && worst == Some(Verdict::NotCompliant);
    // Every cause that applies is named, not only the one that decides the
    // code: an incomplete target under `--fail-on incomplete` too.
    let counts_incomplete = gates.fail_on == FailOn::Incomplete;
    let incomplete = counts_incomplete && all().any(|(v, _)| v == Verdict::Incomplete);
    if below_score || below_coverage || not_compliant {
        return RunExit {
            code: exit::NOT_COMPLIANT,
            not_compliant,
            below_score,
            below_coverage,
            incomplete,
            nothing_assessed: nothing && (below_score || below_coverage || counts_incomplete),
            ..RunExit::default()
        };
    }
    if counts_incomplete && (nothing || incomplete) {
        return RunExit {
            code: exit::INCOMPLETE,
            incomplete,
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

/// The lines standard error shows about the floors: for each app (or other
/// non-device target) below `--min-score`, its score against the floor; below
/// `--min-coverage`, and, with `--min-score`, for each whose score rests on
/// few checks (below `--min-coverage`, else below [`NOTE_BELOW`]); devices
/// in one line each for these cases, counted. A run that assessed nothing
/// has one line, when a floor above 0 cannot be met.
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
    let devices = assessment.devices.verdicts();
    if assessment.targets.is_empty() && devices.is_empty() {
        lines.extend(nothing_line(gates, lang));
        return lines;
    }
    for t in assessment
        .targets
        .iter()
        .filter(|t| t.verdict != Verdict::Error)
    {
        let c = t.coverage();
        let score = gates.min_score.map(|_| t.score);
        if let Some(min) = gates.min_score {
            if t.score.is_none_or(|s| s < min) {
                lines.push(format!(
                    "msgaudit: {}: {}",
                    label(t),
                    score_below(t.score, c, min, lang)
                ));
            }
        }
        if let Some(min) = gates.min_coverage.filter(|min| below(c, *min)) {
            lines.push(format!(
                "msgaudit: {}: {}",
                label(t),
                below_floor(c, score, min, lang)
            ));
        } else if let Some(Some(score)) = score {
            // (A target without a score has its line above already.)
            let floor = gates.min_coverage.unwrap_or(NOTE_BELOW);
            if below(c, floor) {
                let hint = gates.min_coverage.is_none();
                lines.push(format!(
                    "msgaudit: {}: {}",
                    label(t),
                    score_note(c, Some(score), floor, hint, lang)
                ));
            }
        }
    }
    if let Some(min) = gates.min_score {
        let scores: Vec<Option<f64>> = devices
            .iter()
            .filter(|(verdict, _)| *verdict != Verdict::Error)
            .map(|(_, s)| *s)
            .collect();
        lines.extend(devices_score_line(&scores, devices.len(), min, lang));
    }
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

/// The share decided, as the reports write a percentage (`15,4 %`), with
/// as many more decimals as it takes to show a share below `floor` below
/// it (`38,46 %` against 38.5).
fn share(c: Coverage, floor: f64, lang: Lang) -> String {
    let share = if c.total == 0 {
        0.0
    } else {
        c.decided as f64 * 100.0 / c.total as f64
    };
    shown_against(share, floor, lang)
}

/// A floor as it was given (`38,5 %`, `15,39 %`), with `lang`'s decimal
/// comma: rounded to one decimal, a floor could read like the value below it.
fn percent(p: f64, lang: Lang) -> String {
    with_comma(format!("{p}"), lang)
}

/// `value` as a percentage, rounded to one decimal as the reports write it
/// unless that would show a value below `floor` at or above it: then with
/// as many decimals as it takes (up to 6), so that no line reads
/// "38.5 % … asks for at least 38.5 %".
fn shown_against(value: f64, floor: f64, lang: Lang) -> String {
    if !value.is_finite() {
        return i18n::score(None, lang);
    }
    let mut decimals = 1;
    let mut text = format!("{value:.decimals$}");
    while value < floor && decimals < 6 && text.parse::<f64>().is_ok_and(|v| v >= floor) {
        decimals += 1;
        text = format!("{value:.decimals$}");
    }
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    with_comma(text, lang)
}

/// `number %`, with a decimal comma in German.
fn with_comma(number: String, lang: Lang) -> String {
    match lang {
        Lang::De => format!("{} %", number.replace('.', ",")),
        Lang::En => format!("{number} %"),
    }
}

/// A target below `--min-score` `min`: its score against the floor, or that
/// it has none (nothing of its `c` decided), which counts as below.
fn score_below(score: Option<f64>, c: Coverage, min: f64, lang: Lang) -> String {
    let floor = percent(min, lang);
    match (score.filter(|s| s.is_finite()), lang) {
        (Some(s), Lang::De) => format!(
            "Der Erfüllungsgrad von {} liegt unter den von --min-score verlangten {floor}",
            shown_against(s, min, lang)
        ),
        (Some(s), Lang::En) => format!(
            "the score of {} is below the {floor} that --min-score asks for",
            shown_against(s, min, lang)
        ),
        (None, Lang::De) => format!(
            "kein Erfüllungsgrad ({} entschieden); das gilt als unter den von --min-score verlangten {floor}",
            of_applicable(c, lang)
        ),
        (None, Lang::En) => format!(
            "no score ({} decided), which counts as below the {floor} that --min-score asks for",
            of_applicable(c, lang)
        ),
    }
}

/// One line for the devices below `--min-score` `min`, of `n` devices
/// (`scores`: those that could be read; `None`: no score, which counts as
/// below), with the lowest score. `None` when no device is below.
fn devices_score_line(scores: &[Option<f64>], n: usize, min: f64, lang: Lang) -> Option<String> {
    let low: Vec<Option<f64>> = scores
        .iter()
        .copied()
        .filter(|s| s.is_none_or(|s| s < min))
        .collect();
    // No score ranks below every score.
    let lowest = low.iter().copied().min_by(|a, b| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(a), Some(b)) => a.total_cmp(b),
    })?;
    let (k, floor) = (crate::lang::count(low.len(), lang), percent(min, lang));
    let n_text = crate::lang::count(n, lang);
    let lowest = match (lowest, lang) {
        (Some(s), Lang::De) => format!("der niedrigste: {}", shown_against(s, min, lang)),
        (Some(s), Lang::En) => format!("the lowest: {}", shown_against(s, min, lang)),
        (None, Lang::De) => "im ungünstigsten Fall: kein Erfüllungsgrad".to_string(),
        (None, Lang::En) => "at worst: no score".to_string(),
    };
    Some(match (lang, n) {
        (Lang::De, 1) => format!(
            "msgaudit: Auf {k} von 1 Gerät liegt der Erfüllungsgrad unter den von --min-score verlangten {floor} ({lowest})"
        ),
        (Lang::De, _) => format!(
            "msgaudit: Auf {k} von {n_text} Geräten liegt der Erfüllungsgrad unter den von --min-score verlangten {floor} ({lowest})"
        ),
        (Lang::En, 1) => format!(
            "msgaudit: on {k} of 1 device the score is below the {floor} that --min-score asks for ({lowest})"
        ),
        (Lang::En, _) => format!(
            "msgaudit: on {k} of {n_text} devices the score is below the {floor} that --min-score asks for ({lowest})"
        ),
    })
}

/// The line for a run that assessed nothing (every export lists no
/// device) under a floor above 0, which it cannot meet. `None` when no
/// floor is above 0.
fn nothing_line(gates: &Gates, lang: Lang) -> Option<String> {
    let floors: Vec<String> = [
        ("--min-score", gates.min_score),
        ("--min-coverage", gates.min_coverage),
    ]
    .into_iter()
    .filter_map(|(option, min)| {
        min.filter(|m| *m > 0.0)
            .map(|m| format!("{option} {}", percent(m, lang)))
    })
    .collect();
    if floors.is_empty() {
        return None;
    }
    Some(match lang {
        Lang::De => format!(
            "msgaudit: Es wurde nichts bewertet (kein Export enthält ein Gerät); ohne bewertetes Prüfobjekt {} {} nicht erfüllbar",
            if floors.len() == 1 { "ist" } else { "sind" },
            floors.join(" und ")
        ),
        Lang::En => format!(
            "msgaudit: nothing was assessed (no export lists a device); {} cannot be met without an assessed target",
            floors.join(" and ")
        ),
    })
}

/// A target below `--min-coverage` `min`; `score` is `Some` with
/// `--min-score` (the target's score, if any), so the line says what the
/// score rests on.
fn below_floor(c: Coverage, score: Option<Option<f64>>, min: f64, lang: Lang) -> String {
    let floor = percent(min, lang);
    let (share, of) = (share(c, min, lang), of_applicable(c, lang));
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
            i18n::score(Some(s), lang)
        ),
        (Some(s), Lang::En) => format!(
            "the score of {} rests on only {of} ({share} decided); --min-coverage asks for at least {floor}",
            i18n::score(Some(s), lang)
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
/// that `--min-coverage` sets a floor (when it was not given); `floor`: the
/// share of decided checks the note is about (for the share's decimals).
fn score_note(c: Coverage, score: Option<f64>, floor: f64, hint: bool, lang: Lang) -> String {
    let of = of_applicable(c, lang);
    let mut line = match (score.filter(|s| s.is_finite()), lang) {
        (Some(s), Lang::De) => format!(
            "Hinweis: Der Erfüllungsgrad von {} beruht auf nur {of} ({} entschieden)",
            i18n::score(Some(s), lang),
            share(c, floor, lang)
        ),
        (Some(s), Lang::En) => format!(
            "note: the score of {} rests on only {of} ({} decided)",
            i18n::score(Some(s), lang),
            share(c, floor, lang)
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
        Lang::De => format!(
            "im ungünstigsten Fall: {} von {}",
            fewest.decided, fewest.total
        ),
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
            score_note(c(1, 3), Some(50.0), 50.0, true, Lang::De),
            "Hinweis: Der Erfüllungsgrad von 50 % beruht auf nur 1 von 3 anwendbaren Prüfungen (33,3 % entschieden); wie viele entschieden sein müssen, legt --min-coverage fest"
        );
        assert_eq!(
            score_note(c(0, 1), None, 50.0, false, Lang::En),
            "note: no score, 0 of 1 applicable check decided (counts as below --min-score)"
        );
        assert_eq!(
            devices_line(&[c(1, 4), c(4, 4), c(2, 4)], 3, 80.0, false, Lang::De).as_deref(),
            Some("msgaudit: Auf 2 von 3 Geräten sind weniger als die von --min-coverage verlangten 80 % der anwendbaren Prüfungen entschieden (im ungünstigsten Fall: 1 von 4)")
        );
        assert_eq!(devices_line(&[c(4, 4)], 1, 80.0, true, Lang::En), None);
    }

    #[test]
    fn a_share_below_the_floor_is_shown_below_it() {
        // 5 of 13 is 38.46 %: one decimal would read as the floor 38.5.
        assert_eq!(share(c(5, 13), 38.5, Lang::En), "38.46 %");
        assert_eq!(share(c(5, 13), 38.5, Lang::De), "38,46 %");
        assert_eq!(share(c(2, 13), 80.0, Lang::De), "15,4 %");
        assert_eq!(share(c(2, 13), 15.39, Lang::En), "15.38 %");
        assert_eq!(percent(15.39, Lang::De), "15,39 %");
        assert_eq!(percent(80.0, Lang::En), "80 %");
        assert_eq!(shown_against(69.96, 70.0, Lang::En), "69.96 %");
    }

    #[test]
    fn scores_below_the_floor_are_named() {
        assert_eq!(
            score_below(Some(60.0), c(5, 10), 70.0, Lang::De),
            "Der Erfüllungsgrad von 60 % liegt unter den von --min-score verlangten 70 %"
        );
        assert_eq!(
            score_below(None, c(0, 3), 70.0, Lang::En),
            "no score (0 of 3 applicable checks decided), which counts as below the 70 % that --min-score asks for"
        );
        assert_eq!(
            devices_score_line(&[Some(40.0), Some(90.0), Some(55.5)], 3, 70.0, Lang::En).as_deref(),
            Some("msgaudit: on 2 of 3 devices the score is below the 70 % that --min-score asks for (the lowest: 40 %)")
        );
        assert_eq!(
            devices_score_line(&[Some(80.0), None], 2, 70.0, Lang::De).as_deref(),
            Some("msgaudit: Auf 1 von 2 Geräten liegt der Erfüllungsgrad unter den von --min-score verlangten 70 % (im ungünstigsten Fall: kein Erfüllungsgrad)")
        );
        assert_eq!(devices_score_line(&[Some(80.0)], 1, 70.0, Lang::En), None);
    }
}
