//! One check: its definition as read from a TOML file, validated, with its CEL compiled.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::cel::Program;
use super::error::ConfigError;
use crate::assess::{Level, Outcome, Text};
use crate::facts::TargetKind;

/// How a check is decided (informational; shown by `checks` and `explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Decide {
    /// A file field settles it.
    Automatic,
    /// Evidence points one way; reported as warn unless a strong signal.
    Heuristic,
    /// Needs an auditor's attestation in the answers file.
    Manual,
}

impl Decide {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Decide::Automatic => "automatic",
            Decide::Heuristic => "heuristic",
            Decide::Manual => "manual",
        }
    }
}

/// Whether the DSK wording behind a check was confirmed or reconstructed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum SourceConfidence {
    /// Confirmed by a readable source.
    C,
    /// Reconstructed: reports say "derived from".
    R,
}

/// The TOML shape of a check file (see `docs/checks.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    id: String,
    requirement: String,
    level: Level,
    applies_to: Vec<TargetKind>,
    decide: Decide,
    source_confidence: SourceConfidence,
    title: Text,
    rationale: Text,
    remediation: Text,
    #[serde(default)]
    question: Option<Text>,
    #[serde(default)]
    decide_hint: Option<Text>,
    #[serde(default)]
    params: toml::Table,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    example: Vec<super::example::RawExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    when: String,
    outcome: Outcome,
    message: Text,
    #[serde(default)]
    evidence: Option<String>,
}

/// When the CEL programs of a check are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compile {
    /// As it is loaded: a program that does not compile is a load error.
    Now,
    /// When first run (checks every program of which is known to compile:
    /// the built-in ones), with the fast parser ([`super::cel::compile_known`]).
    OnFirstUse,
}

/// A rule: the first rule whose `when` is true decides the outcome.
#[derive(Debug)]
pub struct Rule {
    /// The CEL condition as written.
    pub when: String,
    /// The outcome when the condition holds.
    pub outcome: Outcome,
    /// The message shown for this outcome.
    pub message: Text,
    /// The CEL expression producing evidence, as written.
    pub evidence: Option<String>,
    when_program: Compiled,
    evidence_program: Option<Compiled>,
}

/// A rule's CEL program: compiled when its check is loaded (checks of
/// `--checks`), or when it is first asked for (the built-in checks, whose
/// every program the test suite compiles): a scan of device exports never
/// compiles the app checks, two thirds of the CEL text.
#[derive(Debug, Default)]
struct Compiled(OnceLock<Result<Program, String>>);

impl Compiled {
    /// `source` compiled now.
    fn now(source: &str) -> Result<Compiled, String> {
        let program = super::cel::compile(source)?;
        Ok(Compiled(OnceLock::from(Ok(program))))
    }

    /// The program of `source` (its source), compiled on first use (a
    /// program of the built-in checks: [`super::cel::compile_known`]); the
    /// compiler's error when it does not compile.
    fn get(&self, source: &str) -> Result<&Program, &str> {
        self.0
            .get_or_init(|| super::cel::compile_known(source))
            .as_ref()
            .map_err(String::as_str)
    }
}

impl Rule {
    /// The `when` program; the compiler's error when it does not compile.
    pub(crate) fn when_program(&self) -> Result<&Program, &str> {
        self.when_program.get(&self.when)
    }

    /// The `evidence` program, when the rule has one; the compiler's error
    /// when it does not compile.
    pub(crate) fn evidence_program(&self) -> Option<Result<&Program, &str>> {
        let source = self.evidence.as_deref()?;
        Some(self.evidence_program.as_ref()?.get(source))
    }

    /// Runs the `when` program in `scope` (a program that does not compile
    /// is an error of the run).
    pub(crate) fn run_when(&self, scope: &cel::Context) -> cel::ResolveResult {
        run(self.when_program(), scope)
    }

    /// Runs the `evidence` program in `scope`, when the rule has one.
    pub(crate) fn run_evidence(&self, scope: &cel::Context) -> Option<cel::ResolveResult> {
        Some(run(self.evidence_program()?, scope))
    }
}

/// Runs `program` in `scope`, its compiler's error as an error of the run.
fn run(program: Result<&Program, &str>, scope: &cel::Context) -> cel::ResolveResult {
    program
        .map_err(|e| cel::ExecutionError::function_error("compile", e))?
        .execute(scope)
}

/// A validated check with its CEL expressions compiled.
#[derive(Debug)]
pub struct Check {
    /// Stable unique id, e.g. `APP-05-crash-default-off`.
    pub id: String,
    /// DSK requirement id, e.g. `APP-05`.
    pub requirement: String,
    /// Requirement level.
    pub level: Level,
    /// Target kinds the check applies to (`android`, `ios`, `device`).
    pub applies_to: Vec<TargetKind>,
    /// How it is decided.
    pub decide: Decide,
    /// Confirmed or reconstructed source wording.
    pub source_confidence: SourceConfidence,
    /// Title.
    pub title: Text,
    /// Why the DSK asks this.
    pub rationale: Text,
    /// What to do on fail/warn/manual.
    pub remediation: Text,
    /// The auditor's question (manual checks).
    pub question: Option<Text>,
    /// What would decide the check where it stays open (which export or
    /// setting, or an answer); fleet reports show it beside open devices.
    pub decide_hint: Option<Text>,
    /// Parameters with their defaults (JSON values).
    pub params: BTreeMap<String, serde_json::Value>,
    /// The rules, in order.
    pub rules: Vec<Rule>,
    /// The `[[example]]`s: facts and the outcome the check must give (`checks --test`).
    pub examples: Vec<super::example::Example>,
    /// Where the check came from: `built-in:checks/app/…` or a file path.
    pub source: String,
    /// The file's bytes (for the check-set digest).
    pub text: String,
}

impl Check {
    /// Parses, validates and compiles a check file; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Check, ConfigError> {
        Check::parse_compiling(file, text, Compile::Now)
    }

    /// Compiles every program of the check now: the first that does not
    /// compile is the error (as [`Check::parse`] gives it).
    pub fn compile_all(&self) -> Result<(), ConfigError> {
        for (i, rule) in self.rules.iter().enumerate() {
            let programs = [
                ("when", Some(rule.when_program())),
                ("evidence", rule.evidence_program()),
            ];
            for (field, program) in programs {
                if let Some(Err(error)) = program {
                    return Err(ConfigError::Cel {
                        file: self.source.clone(),
                        rule: i + 1,
                        field,
                        error: error.to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    /// [`Check::parse`], its CEL programs compiled as `compile` says.
    pub(crate) fn parse_compiling(
        file: &str,
        text: &str,
        compile: Compile,
    ) -> Result<Check, ConfigError> {
        let raw: RawCheck =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        validate_id(file, &raw.id)?;
        validate_requirement(file, &raw.requirement)?;
        if raw.applies_to.is_empty() {
            return Err(ConfigError::invalid(
                file,
                "applies_to is empty: list at least one of android, ios, device",
            ));
        }
        if raw.applies_to.contains(&TargetKind::Inventory) {
            return Err(ConfigError::invalid(
                file,
                "applies_to: `inventory` is not a check target; use `device` (each device of an inventory is a target)",
            ));
        }
        if raw.applies_to.contains(&TargetKind::Unknown) {
            return Err(ConfigError::invalid(
                file,
                "applies_to: `unknown` is not a check target (it marks only inputs that could not be read); use android, ios or device",
            ));
        }
        for (name, text) in [
            ("title", &raw.title),
            ("rationale", &raw.rationale),
            ("remediation", &raw.remediation),
        ] {
            validate_text(file, name, text)?;
        }
        if let Some(q) = &raw.question {
            validate_text(file, "question", q)?;
        }
        if raw.rule.is_empty() {
            return Err(ConfigError::invalid(
                file,
                "no [[rule]]: a check needs at least one rule",
            ));
        }
        let mut rules = Vec::with_capacity(raw.rule.len());
        for (i, r) in raw.rule.into_iter().enumerate() {
            let index = i + 1;
            if r.outcome == Outcome::Error {
                return Err(ConfigError::invalid(
                    file,
                    format!("rule {index}: outcome `error` is reserved for evaluation errors; use pass, fail, warn, manual or not_applicable"),
                ));
            }
            validate_text(file, &format!("rule {index} message"), &r.message)?;
            if r.outcome == Outcome::Manual && raw.question.is_none() {
                return Err(ConfigError::invalid(
                    file,
                    format!("rule {index} has outcome `manual` but the check has no question.de/question.en for the auditor"),
                ));
            }
            let compiled = |source: &str, field: &'static str| match compile {
                Compile::Now => Compiled::now(source).map_err(|error| ConfigError::Cel {
                    file: file.to_string(),
                    rule: index,
                    field,
                    error,
                }),
                Compile::OnFirstUse => Ok(Compiled::default()),
            };
            let when_program = compiled(&r.when, "when")?;
            let evidence_program = match &r.evidence {
                Some(src) => Some(compiled(src, "evidence")?),
                None => None,
            };
            rules.push(Rule {
                when: r.when,
                outcome: r.outcome,
                message: r.message,
                evidence: r.evidence,
                when_program,
                evidence_program,
            });
        }
        let mut params = BTreeMap::new();
        for (k, v) in raw.params {
            let json = serde_json::to_value(&v)
                .map_err(|e| ConfigError::invalid(file, format!("params.{k}: {e}")))?;
            params.insert(k, json);
        }
        let examples = super::example::build(file, &params, &raw.applies_to, raw.example)?;
        Ok(Check {
            id: raw.id,
            requirement: raw.requirement,
            level: raw.level,
            applies_to: raw.applies_to,
            decide: raw.decide,
            source_confidence: raw.source_confidence,
            title: raw.title,
            rationale: raw.rationale,
            remediation: raw.remediation,
            question: raw.question,
            decide_hint: raw.decide_hint,
            params,
            rules,
            examples,
            source: file.to_string(),
            text: text.to_string(),
        })
    }

    /// Whether the check applies to targets of `kind`.
    pub fn applies_to(&self, kind: TargetKind) -> bool {
        self.applies_to.contains(&kind)
    }
}

/// A check id: ASCII letters, digits, `-`, `_` and `.`, starting with a letter, at most 80 characters.
fn validate_id(file: &str, id: &str) -> Result<(), ConfigError> {
    let ok = id.len() <= 80
        && id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            file,
            format!("id `{id}` is not a valid check id (letters, digits, `-`, `_`, `.`; starting with a letter; at most 80 characters)"),
        ))
    }
}

/// A requirement id: 2–5 uppercase letters, `-`, 2–3 digits (e.g. `APP-05`, `DEV-01`).
pub fn is_requirement_id(id: &str) -> bool {
    let Some((prefix, number)) = id.split_once('-') else {
        return false;
    };
    (2..=5).contains(&prefix.len())
        && prefix.chars().all(|c| c.is_ascii_uppercase())
        && (2..=3).contains(&number.len())
        && number.chars().all(|c| c.is_ascii_digit())
}

fn validate_requirement(file: &str, id: &str) -> Result<(), ConfigError> {
    if is_requirement_id(id) {
        Ok(())
    } else {
        Err(ConfigError::invalid(
            file,
            format!("requirement `{id}` is not a requirement id like `APP-05` (2–5 capital letters, `-`, 2–3 digits)"),
        ))
    }
}

fn validate_text(file: &str, name: &str, text: &Text) -> Result<(), ConfigError> {
    for (lang, value) in [("de", &text.de), ("en", &text.en)] {
        if value.trim().is_empty() {
            return Err(ConfigError::invalid(
                file,
                format!("{name}.{lang} is empty"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "X-01-test"
requirement = "APP-05"
level = "must"
applies_to = ["android"]
decide = "automatic"
source_confidence = "C"
title.de = "T"
title.en = "T"
rationale.de = "R"
rationale.en = "R"
remediation.de = "M"
remediation.en = "M"
[[rule]]
when = 'true'
outcome = "pass"
message.de = "ok"
message.en = "ok"
"#;

    #[test]
    fn parses_a_valid_check() {
        let c = Check::parse("x.toml", GOOD).unwrap();
        assert_eq!(c.id, "X-01-test");
        assert_eq!(c.level, Level::Must);
        assert_eq!(c.rules.len(), 1);
    }

    #[test]
    fn unknown_level_names_file_and_line() {
        let text = GOOD.replace("level = \"must\"", "level = \"mandatory\"");
        let err = Check::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.starts_with("x.toml:4:9:"), "{err}");
        assert!(err.contains("mandatory"), "{err}");
    }

    #[test]
    fn missing_english_title_is_an_error() {
        let text = GOOD.replace("title.en = \"T\"\n", "");
        let err = Check::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.contains("x.toml") && err.contains("en"), "{err}");
    }

    #[test]
    fn bad_requirement_and_applies_to_and_outcome() {
        let e = Check::parse("x.toml", &GOOD.replace("\"APP-05\"", "\"app5\"")).unwrap_err();
        assert!(e.to_string().contains("requirement `app5`"), "{e}");
        let e =
            Check::parse("x.toml", &GOOD.replace("[\"android\"]", "[\"windows\"]")).unwrap_err();
        assert!(e.to_string().contains("windows"), "{e}");
        // `unknown` marks unreadable inputs only: no check applies to it.
        let e =
            Check::parse("x.toml", &GOOD.replace("[\"android\"]", "[\"unknown\"]")).unwrap_err();
        assert!(
            e.to_string().contains("`unknown` is not a check target"),
            "{e}"
        );
        let e = Check::parse(
            "x.toml",
            &GOOD.replace("outcome = \"pass\"", "outcome = \"error\""),
        )
        .unwrap_err();
        assert!(e.to_string().contains("reserved"), "{e}");
    }

    #[test]
    fn cel_parse_error_names_rule() {
        let text = GOOD.replace("when = 'true'", "when = 'facts.sdks.exists(s, '");
        let err = Check::parse("x.toml", &text).unwrap_err().to_string();
        assert!(
            err.contains("x.toml: rule 1: the `when` expression does not parse"),
            "{err}"
        );
    }

    #[test]
    fn manual_rule_needs_a_question() {
        let text = GOOD.replace("outcome = \"pass\"", "outcome = \"manual\"");
        let err = Check::parse("x.toml", &text).unwrap_err().to_string();
        assert!(err.contains("question"), "{err}");
    }

    #[test]
    fn requirement_id_format() {
        assert!(is_requirement_id("APP-05"));
        assert!(is_requirement_id("DEV-01"));
        assert!(!is_requirement_id("APP-5"));
        assert!(!is_requirement_id("app-05"));
        assert!(!is_requirement_id("APP05"));
    }
}
