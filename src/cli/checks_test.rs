//! `msgaudit checks --test`: runs the `[[example]]`s of every check of the set.

use super::exit;
use crate::assess::Lang;
use crate::checks::example::{outcome_name, run_all, undecided_rules, ExampleRun};
use crate::checks::CheckSet;

/// What `checks --test` prints and returns.
pub struct TestReport {
    /// Standard output: each failing example, then the summary line.
    pub stdout: String,
    /// Standard error: warnings (checks without examples, rules no example reaches).
    pub warnings: Vec<String>,
    /// 0 when every example holds, 1 when one fails.
    pub code: u8,
}

/// Runs the examples of every check in `set` (built-in and `--checks`).
pub fn run_examples(set: &CheckSet, lang: Lang) -> TestReport {
    let (mut stdout, mut warnings) = (String::new(), Vec::new());
    let (mut examples, mut failed) = (0usize, 0usize);
    for check in set.checks() {
        if check.examples.is_empty() {
            warnings.push(match lang {
                Lang::De => format!(
                    "Warnung: Die Prüfung {} hat keine Beispiele ({}).",
                    check.id, check.source
                ),
                Lang::En => format!(
                    "warning: check {} has no examples ({})",
                    check.id, check.source
                ),
            });
            continue;
        }
        let runs = run_all(check);
        examples += runs.len();
        for run in runs.iter().filter(|r| !r.holds()) {
            failed += 1;
            stdout.push_str(&failure(run, lang));
        }
        for rule in undecided_rules(check, &runs) {
            warnings.push(match lang {
                Lang::De => format!(
                    "Warnung: {}: Regel {rule} entscheidet in keinem Beispiel.",
                    check.id
                ),
                Lang::En => format!("warning: {}: rule {rule} decides no example", check.id),
            });
        }
    }
    let checks = set.checks().len();
    stdout.push_str(&match lang {
        Lang::De => {
            format!("{examples} Beispiele in {checks} Prüfungen, {failed} fehlgeschlagen\n")
        }
        Lang::En => format!("{examples} examples in {checks} checks, {failed} failed\n"),
    });
    TestReport {
        stdout,
        warnings,
        code: if failed == 0 {
            exit::OK
        } else {
            exit::NOT_COMPLIANT
        },
    }
}

/// One failing example: check id, example name, expected and actual outcome, message.
fn failure(run: &ExampleRun, lang: Lang) -> String {
    let (expected, actual) = (outcome_name(run.expected), outcome_name(run.actual));
    let message = run.message.get(lang);
    let mut line = match lang {
        Lang::De => format!(
            "FEHLGESCHLAGEN {} – Beispiel „{}“: erwartet {expected}, erhalten {actual}: {message}\n",
            run.check, run.example
        ),
        Lang::En => format!(
            "FAILED {} – example \"{}\": expected {expected}, got {actual}: {message}\n",
            run.check, run.example
        ),
    };
    if let Some(e) = &run.evidence_error {
        line.push_str(&match lang {
            Lang::De => format!("  die Belege ließen sich nicht auswerten: {e}\n"),
            Lang::En => format!("  the evidence could not be evaluated: {e}\n"),
        });
    }
    if let Some(m) = run.message_contains.as_deref() {
        if run.expected == run.actual {
            line.push_str(&match lang {
                Lang::De => format!("  die Meldung enthält nicht „{m}“\n"),
                Lang::En => format!("  the message does not contain \"{m}\"\n"),
            });
        }
    }
    line
}
