//! The answers file: an auditor's attestations for manual (and warn) outcomes,
//! each optionally bound to an app version, a file (SHA-256) and a last valid
//! day. [`super::attest`] decides what a found answer does to a result.

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
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    sha256: Option<String>,
    #[serde(default)]
    valid_until: Option<String>,
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
    /// The attestation (who, when, note, and the binding below as written).
    pub attestation: Attestation,
    /// The app version it was made for: `2.3` (version name) or `2.3 (230)`
    /// (version name and build / version code). Apps only.
    pub version: Option<String>,
    /// The SHA-256 of the file it was made for, lowercase hex. Apps only.
    pub sha256: Option<String>,
    /// The last day it holds.
    pub valid_until: Option<chrono::NaiveDate>,
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
            let version = a.version.filter(|v| !v.trim().is_empty());
            let sha256 = match a.sha256.filter(|h| !h.trim().is_empty()) {
                Some(h) if is_sha256(h.trim()) => Some(h.trim().to_ascii_lowercase()),
                Some(h) => {
                    return Err(ConfigError::invalid(
                        file,
                        format!("{n}: sha256 `{h}` is not 64 hexadecimal digits"),
                    ))
                }
                None => None,
            };
            let valid_until = match a.valid_until.filter(|d| !d.trim().is_empty()) {
                Some(d) => match chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d") {
                    Ok(day) => Some(day),
                    Err(_) => {
                        return Err(ConfigError::invalid(
                            file,
                            format!("{n}: valid_until `{d}` is not YYYY-MM-DD"),
                        ))
                    }
                },
                None => None,
            };
            let mut attestation = Attestation::new(a.by, a.date, a.note);
            attestation.outcome = Some(outcome);
            attestation.version = version.clone();
            attestation.sha256 = sha256.clone();
            attestation.valid_until = valid_until.map(|d| d.format("%Y-%m-%d").to_string());
            answers.push(Answer {
                check: a.check,
                requirement: a.requirement,
                target: a.target.filter(|t| !t.trim().is_empty()),
                outcome,
                attestation,
                version,
                sha256,
                valid_until,
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

    /// The answer for `check` (id, requirement) on `subject`, and whether it
    /// holds there at the audit date `as_of` (YYYY-MM-DD).
    ///
    /// Answers bound to a version or file (SHA-256) are for apps: a device
    /// never matches them. Among the matching answers one that holds wins over
    /// one that does not (expired, other version), then an answer for a check
    /// id over one for the requirement, one naming the target over one for
    /// every target, one bound to a version or file over an unbound one.
    pub fn find(
        &self,
        check: &str,
        requirement: &str,
        subject: &Subject,
        as_of: &str,
    ) -> Option<(&Answer, Binding)> {
        // Asked once per target and check: nothing to parse without answers.
        if self.answers.is_empty() {
            return None;
        }
        let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").ok();
        let target_ok = |a: &Answer| match &a.target {
            None => true,
            Some(t) => subject.names.iter().any(|n| n == t),
        };
        let rank = |a: &Answer| -> Option<(u8, Binding)> {
            let by_check = a.check.as_deref() == Some(check);
            let by_req = a.requirement.as_deref() == Some(requirement);
            let bound = a.version.is_some() || a.sha256.is_some();
            if !(by_check || by_req) || !target_ok(a) || (bound && subject.app.is_none()) {
                return None;
            }
            let binding = a.binding(subject.app.as_ref(), as_of);
            let holds = binding == Binding::Holds;
            Some((
                u8::from(holds) * 8
                    + u8::from(by_check) * 4
                    + u8::from(a.target.is_some()) * 2
                    + u8::from(bound),
                binding,
            ))
        };
        self.answers
            .iter()
            .filter_map(|a| rank(a).map(|(r, b)| (r, a, b)))
            .max_by_key(|(r, _, _)| *r)
            .map(|(_, a, b)| (a, b))
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

/// What an answer is matched against: the names a target is known by and,
/// for an app, what identifies its build.
#[derive(Debug, Clone, Copy)]
pub struct Subject<'a> {
    /// App id, file path, file name; device name, record.
    pub names: &'a [&'a str],
    /// The app's build; `None` for a device.
    pub app: Option<AppBuild<'a>>,
}

/// What identifies an app build: its version, build number and file hash.
#[derive(Debug, Clone, Copy)]
pub struct AppBuild<'a> {
    /// Version name (versionName / CFBundleShortVersionString).
    pub version: Option<&'a str>,
    /// Build number (versionCode / CFBundleVersion).
    pub build: Option<&'a str>,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: &'a str,
}

impl AppBuild<'_> {
    /// The version as an answer writes it: `2.3 (230)`, or `2.3` without a build.
    pub fn version_label(&self) -> Option<String> {
        let v = self.version?;
        Some(match self.build {
            Some(b) => format!("{v} ({b})"),
            None => v.to_string(),
        })
    }
}

/// Whether a found answer holds for the target at the audit date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Binding {
    /// It holds: no binding, or every binding matches.
    Holds,
    /// It was made for another file: the SHA-256 differs.
    OtherFile,
    /// It was made for another version (or the app's version is unknown).
    OtherVersion,
    /// Its `valid_until` lies before the audit date.
    Expired,
}

impl Answer {
    /// Whether this answer holds for `app` (`None`: a device) on `as_of`. A
    /// version or file binding is checked before the expiry; an unknown app
    /// version never matches a version binding.
    fn binding(&self, app: Option<&AppBuild>, as_of: Option<chrono::NaiveDate>) -> Binding {
        if let Some(app) = app {
            if let Some(h) = &self.sha256 {
                if !h.eq_ignore_ascii_case(app.sha256) {
                    return Binding::OtherFile;
                }
            }
            if let Some(v) = &self.version {
                if !version_matches(v, app) {
                    return Binding::OtherVersion;
                }
            }
        }
        match (self.valid_until, as_of) {
            (Some(last), Some(day)) if day > last => Binding::Expired,
            // An audit date that is no date cannot show an answer still holds.
            (Some(_), None) => Binding::Expired,
            _ => Binding::Holds,
        }
    }
}

/// `2.3` matches version name 2.3 (any build); `2.3 (230)` also needs build 230.
fn version_matches(written: &str, app: &AppBuild) -> bool {
    let written = written.trim();
    let (name, build) = match written.strip_suffix(')').and_then(|w| w.rsplit_once(" (")) {
        Some((name, build)) => (name.trim(), Some(build.trim())),
        None => (written, None),
    };
    app.version.map(str::trim) == Some(name)
        && build.is_none_or(|b| app.build.map(str::trim) == Some(b))
}

fn is_sha256(h: &str) -> bool {
    h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit())
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
        let find = |check: &str, req: &str, name: &str| {
            a.find(check, req, &device(&[name]), "2026-11-23")
                .map(|(a, _)| a.outcome)
        };
        assert_eq!(
            find("APP-06-deletion", "APP-06", "org.example.chat"),
            Some(Outcome::Pass)
        );
        assert_eq!(
            find("APP-06-deletion", "APP-06", "other.app"),
            Some(Outcome::Fail)
        );
        assert_eq!(find("APP-01-privacy-info", "APP-01", "x"), None);
    }

    fn device<'a>(names: &'a [&'a str]) -> Subject<'a> {
        Subject { names, app: None }
    }

    const SHA: &str = "ab12000000000000000000000000000000000000000000000000000000000000";

    fn app(version: &'static str, build: &'static str) -> AppBuild<'static> {
        AppBuild {
            version: Some(version),
            build: Some(build),
            sha256: SHA,
        }
    }

    fn bound(extra: &str) -> Answers {
        Answers::parse(
            "a.toml",
            &format!("[[answer]]\ncheck = \"X\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-05-01\"\n{extra}"),
        )
        .unwrap()
    }

    fn binding(a: &Answers, app: Option<AppBuild>, as_of: &str) -> Option<Binding> {
        let subject = Subject { names: &["x"], app };
        a.find("X", "R", &subject, as_of).map(|(_, b)| b)
    }

    #[test]
    fn bindings_decide_whether_an_answer_holds() {
        let d = "2026-11-23";
        let v = bound("version = \"1.0\"\n");
        assert_eq!(binding(&v, Some(app("1.0", "7")), d), Some(Binding::Holds));
        assert_eq!(
            binding(&v, Some(app("2.3", "9")), d),
            Some(Binding::OtherVersion)
        );
        // Version and build: the build must match too.
        let vb = bound("version = \"1.0 (7)\"\n");
        assert_eq!(binding(&vb, Some(app("1.0", "7")), d), Some(Binding::Holds));
        assert_eq!(
            binding(&vb, Some(app("1.0", "8")), d),
            Some(Binding::OtherVersion)
        );
        // An unknown app version never matches a version binding.
        let unknown = AppBuild {
            version: None,
            build: None,
            sha256: SHA,
        };
        assert_eq!(binding(&v, Some(unknown), d), Some(Binding::OtherVersion));
        // A bound answer is for apps: a device never matches it.
        assert_eq!(binding(&v, None, d), None);
        let h = bound(&format!("sha256 = \"{}\"\n", SHA.to_uppercase()));
        assert_eq!(binding(&h, Some(app("2.3", "9")), d), Some(Binding::Holds));
        let other = AppBuild {
            sha256: "cd",
            ..app("2.3", "9")
        };
        assert_eq!(binding(&h, Some(other), d), Some(Binding::OtherFile));
        // valid_until is the last day the answer holds; it applies to devices too.
        let e = bound("valid_until = \"2026-06-30\"\n");
        assert_eq!(binding(&e, None, "2026-06-30"), Some(Binding::Holds));
        assert_eq!(binding(&e, None, "2026-07-01"), Some(Binding::Expired));
    }

    #[test]
    fn an_answer_that_holds_wins_over_one_that_does_not() {
        let a = Answers::parse(
            "a.toml",
            r#"
[[answer]]
check = "X"
target = "x"
version = "1.0"
outcome = "fail"
by = "A"
date = "2026-05-01"
[[answer]]
check = "X"
target = "x"
version = "2.3"
outcome = "pass"
by = "A"
date = "2026-11-01"
"#,
        )
        .unwrap();
        for (version, outcome) in [("1.0", Outcome::Fail), ("2.3", Outcome::Pass)] {
            let subject = Subject {
                names: &["x"],
                app: Some(app(version, "1")),
            };
            let (hit, b) = a.find("X", "R", &subject, "2026-11-23").unwrap();
            assert_eq!((hit.outcome, b), (outcome, Binding::Holds), "{version}");
        }
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
        let base =
            "[[answer]]\ncheck = \"X\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-01-01\"\n";
        let e = Answers::parse("a.toml", &format!("\n{base}valid_until = \"31.12.2026\"\n"))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.toml: answer 1 (line 2): valid_until `31.12.2026` is not YYYY-MM-DD"
        );
        let e = Answers::parse("a.toml", &format!("{base}sha256 = \"abc\"\n")).unwrap_err();
        assert!(e.to_string().contains("64 hexadecimal digits"), "{e}");
        // Empty bindings (as the template leaves them) bind nothing.
        let a = Answers::parse(
            "a.toml",
            &format!("{base}version = \"\"\nsha256 = \"\"\nvalid_until = \"\"\n"),
        )
        .unwrap();
        assert_eq!(binding(&a, None, "2030-01-01"), Some(Binding::Holds));
    }
}
