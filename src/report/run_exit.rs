//! The exit code of a `scan` run and why, as the SARIF log states it
//! (`invocations[0].exitCode` and `exitCodeDescription`).
//!
//! The code depends on the command line (`--fail-on`, `--min-score`,
//! `--min-coverage`), which the assessment does not hold: the command
//! computes it before the report is rendered and hands it over in
//! [`RenderOptions::exit`](super::RenderOptions::exit).

/// The exit code of a run and which of its causes applied.
///
/// Only the causes that decide [`RunExit::code`] are meant to be set: a
/// target that is not compliant under `--fail-on never` is no cause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunExit {
    /// The process exit code.
    pub code: u8,
    /// An input (or an export in full) could not be read (code 4).
    pub input_error: bool,
    /// A target is not compliant (code 1).
    pub not_compliant: bool,
    /// A target's score is below `--min-score`, or it has none (code 1).
    pub below_score: bool,
    /// A target's share of decided checks is below `--min-coverage` (code 1).
    pub below_coverage: bool,
    /// A target is incomplete (code 3).
    pub incomplete: bool,
    /// Nothing was assessed: every export lists no device (code 3).
    pub nothing_assessed: bool,
    /// Every target is compliant (code 0).
    pub all_compliant: bool,
}

impl RunExit {
    /// A short English text saying why the run ends with [`RunExit::code`]
    /// (SARIF `exitCodeDescription`; machine-facing, as the property names).
    pub fn description(&self) -> String {
        let mut why: Vec<&str> = Vec::new();
        let mut say = |on: bool, text: &'static str| {
            if on {
                why.push(text);
            }
        };
        say(self.input_error, "an input could not be read in full");
        say(self.not_compliant, "a target is not compliant");
        say(self.below_score, "a target's score is below --min-score");
        say(
            self.below_coverage,
            "a target's share of decided checks is below --min-coverage",
        );
        say(self.incomplete, "a target is incomplete");
        say(
            self.nothing_assessed,
            "nothing was assessed (no export lists a device)",
        );
        say(self.all_compliant, "every target is compliant");
        match why.as_slice() {
            [] if self.code == 0 => "no target fails the run's gates".to_string(),
            [] => format!("exit code {}", self.code),
            _ => why.join("; "),
        }
    }
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
            exit.description(),
            "a target is not compliant; a target's share of decided checks is below --min-coverage"
        );
        assert_eq!(
            RunExit::default().description(),
            "no target fails the run's gates"
        );
    }
}
