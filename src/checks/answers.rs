//! The answers file: an auditor's attestations for manual (and warn) outcomes.

use serde::Deserialize;

use super::error::ConfigError;
use crate::assess::{Attestation, Outcome};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswers {
    #[serde(default)]
    answer: Vec<toml::Spanned<RawAnswer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    #[serde(default)]
    check: Option<String>,
    #[serde(default)]
    requirement: Option<String>,
    #[serde(default)]
    target: Option<String>,
    /// Read as text: the template leaves it empty for the auditor to fill in.
    outcome: String,
    #[serde(default)]
    note: String,
    by: String,
    date: String,
}

/// One attested answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The check id it answers, or …
    pub check: Option<String>,
    /// … every check of this requirement id.
    pub requirement: Option<String>,
    /// App id, file name/path or device name/record; `None` = every target.
    pub target: Option<String>,
    /// `pass`, `fail` or `not_applicable`.
    pub outcome: Outcome,
    /// The attestation (who, when, note).
    pub attestation: Attestation,
    /// The line of the answers file where the answer starts (1-based), for
    /// error messages.
    pub line: usize,
}

/// All answers of a run.
#[derive(Debug, Clone, Default)]
pub struct Answers {
    answers: Vec<Answer>,
    /// The file the answers came from (for error messages).
    source: String,
}

impl Answers {
    /// No answers.
    pub fn none() -> Answers {
        Answers::default()
    }

    /// Parses an answers file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Answers, ConfigError> {
        let raw: RawAnswers =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        let mut answers = Vec::with_capacity(raw.answer.len());
        for (i, spanned) in raw.answer.into_iter().enumerate() {
            let line = super::error::line_column(text, spanned.span().start).0;
            let a = spanned.into_inner();
            let n = format!("answer {} (line {line})", i + 1);
            if a.check.is_some() == a.requirement.is_some() {
                return Err(ConfigError::invalid(
                    file,
                    format!("{n}: give exactly one of `check` or `requirement`"),
                ));
            }
            let outcome = match a.outcome.trim() {
                "pass" => Outcome::Pass,
                "fail" => Outcome::Fail,
                "not_applicable" => Outcome::NotApplicable,
                "" => {
                    return Err(ConfigError::invalid(
                        file,
                        format!("{n}: outcome is empty: write pass, fail or not_applicable, or delete the answer"),
                    ))
                }
                other => {
                    return Err(ConfigError::invalid(
                        file,
                        format!("{n}: outcome `{other}` must be pass, fail or not_applicable"),
                    ))
                }
            };
            if a.by.trim().is_empty() {
                return Err(ConfigError::invalid(
                    file,
                    format!("{n}: `by` (who attests) is empty"),
                ));
            }
            if chrono::NaiveDate::parse_from_str(&a.date, "%Y-%m-%d").is_err() {
                return Err(ConfigError::invalid(
                    file,
                    format!("{n}: date `{}` is not YYYY-MM-DD", a.date),
                ));
            }
            answers.push(Answer {
                check: a.check,
                requirement: a.requirement,
                target: a.target.filter(|t| !t.trim().is_empty()),
                outcome,
                attestation: Attestation {
                    by: a.by,
                    date: a.date,
                    note: a.note,
                },
                line,
            });
        }
        Ok(Answers {
            answers,
            source: file.to_string(),
        })
    }

    /// Checks that every answer names a check id or a requirement id of `set`
    /// (a typo would otherwise leave the check silently unanswered).
    pub fn validate_against(&self, set: &super::CheckSet) -> Result<(), ConfigError> {
        for (i, a) in self.answers.iter().enumerate() {
            let known = match (&a.check, &a.requirement) {
                (Some(id), _) => set.get(id).is_some(),
                (None, Some(req)) => set.checks().iter().any(|c| &c.requirement == req),
                (None, None) => false,
            };
            if !known {
                let what = a
                    .check
                    .as_deref()
                    .or(a.requirement.as_deref())
                    .unwrap_or_default();
                return Err(ConfigError::invalid(
                    &self.source,
                    format!("answer {} (line {}): `{what}` names no check or requirement of the check set (`msgaudit checks --profile dsk-full` lists them)", i + 1, a.line),
                ));
            }
        }
        Ok(())
    }

    /// Reads and parses an answers file.
    pub fn load(path: &std::path::Path) -> Result<Answers, ConfigError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: name.clone(),
            source,
        })?;
        Answers::parse(&name, &text)
    }

    /// The answer for `check` (id, requirement) on a target known by `names`
    /// (app id, file path, file name, device name, record). An answer for a
    /// check id wins over one for the requirement; one naming the target wins
    /// over one for every target.
    pub fn find(&self, check: &str, requirement: &str, names: &[&str]) -> Option<&Answer> {
        let target_ok = |a: &Answer| match &a.target {
            None => true,
            Some(t) => names.iter().any(|n| n == t),
        };
        let rank = |a: &Answer| -> Option<u8> {
            let by_check = a.check.as_deref() == Some(check);
            let by_req = a.requirement.as_deref() == Some(requirement);
            if !(by_check || by_req) || !target_ok(a) {
                return None;
            }
            Some(u8::from(by_check) * 2 + u8::from(a.target.is_some()))
        };
        self.answers
            .iter()
            .filter_map(|a| rank(a).map(|r| (r, a)))
            .max_by_key(|(r, _)| *r)
            .map(|(_, a)| a)
    }

    /// Number of answers.
    pub fn len(&self) -> usize {
        self.answers.len()
    }

    /// Whether there are no answers.
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specific_answers_win() {
        let a = Answers::parse(
            "a.toml",
            r#"
[[answer]]
requirement = "APP-06"
outcome = "fail"
by = "Auditor"
date = "2026-11-01"
[[answer]]
check = "APP-06-deletion"
target = "org.example.chat"
outcome = "pass"
by = "Auditor"
date = "2026-11-01"
note = "tested on device"
"#,
        )
        .unwrap();
        let hit = a
            .find("APP-06-deletion", "APP-06", &["org.example.chat"])
            .unwrap();
        assert_eq!(hit.outcome, Outcome::Pass);
        let other = a.find("APP-06-deletion", "APP-06", &["other.app"]).unwrap();
        assert_eq!(other.outcome, Outcome::Fail);
        assert!(a.find("APP-01-privacy-info", "APP-01", &["x"]).is_none());
    }

    #[test]
    fn rejects_bad_answers() {
        let e = Answers::parse(
            "a.toml",
            "[[answer]]\ncheck = \"X\"\noutcome = \"warn\"\nby = \"A\"\ndate = \"2026-01-01\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("answer 1"), "{e}");
        let e = Answers::parse(
            "a.toml",
            "[[answer]]\ncheck = \"X\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"01.01.2026\"\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        let e =
            Answers::parse("a.toml", "[[answer]]\ncheck = \"X\"\noutcom = \"pass\"\n").unwrap_err();
        assert!(e.to_string().starts_with("a.toml:"), "{e}");
    }
}
