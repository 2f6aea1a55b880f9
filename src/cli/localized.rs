//! The errors a command ends with, in the run's language. The library's
//! `Display` stays English for Rust callers; the CLI prints
//! [`Localized::message`], which names the same file, line and cause.

use std::path::PathBuf;

use super::file_problem_de;
use super::wording_de as de;
use crate::assess::Lang;
use crate::checks::ConfigError;
use crate::extract::file_problem::Syntax;
use crate::extract::inventory::os_import::ImportError;
use crate::extract::sdks::SdkKbError;
use crate::pipeline::PipelineError;

/// An error that can say itself in the report languages.
pub trait Localized: std::fmt::Display {
    /// The message in `lang` (English: the error's `Display`).
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::De => self.german(),
            Lang::En => self.to_string(),
        }
    }

    /// The message in German.
    fn german(&self) -> String;
}

impl Localized for ConfigError {
    fn german(&self) -> String {
        match self {
            ConfigError::Io { path, source } => {
                format!("{path} ist nicht lesbar: {}", de::io(source))
            }
            ConfigError::Toml { file, problem } => {
                format!("{file}, {}", file_problem_de::german(problem))
            }
            ConfigError::Cel {
                file,
                rule,
                field,
                error,
            } => format!(
                "{file}: Regel {rule}: Der Ausdruck `{field}` ist kein gültiger CEL-Ausdruck („{error}“)"
            ),
            ConfigError::Invalid { file, message } => format!("{file}: {}", de::text(message)),
            ConfigError::DuplicateId { id, first, second } => format!(
                "Die Prüfungskennung `{id}` kommt zweimal vor: in {first} und in {second}"
            ),
            ConfigError::UnknownProfile { name, known } => format!(
                "Unbekanntes Profil „{name}“: weder ein mitgeliefertes Profil ({known}) noch eine lesbare Datei"
            ),
        }
    }
}

impl Localized for SdkKbError {
    fn german(&self) -> String {
        match self {
            SdkKbError::Io { path, source } => format!(
                "Die SDK-Wissensbasis {path} ist nicht lesbar: {}",
                de::io(source)
            ),
            SdkKbError::TooLarge {
                source_name,
                size,
                limit,
            } => format!(
                "Die SDK-Wissensbasis {source_name} ist {size} Byte groß, mehr als die Grenze von {limit} Byte"
            ),
            SdkKbError::Parse {
                source_name,
                problem,
            } => match problem.syntax {
                Syntax::Toml => format!(
                    "Die SDK-Wissensbasis {source_name} ist ungültig: {}",
                    file_problem_de::german(problem)
                ),
                Syntax::Json => format!(
                    "Die Tracker-Datei {source_name} ist ungültig: {} (erwartet wird das ETIP-Trackerformat {{\"trackers\": {{\"<id>\": {{\"name\", \"code_signature\", \"categories\", …}}}}}})",
                    file_problem_de::german(problem)
                ),
            },
            SdkKbError::Invalid {
                source_name,
                id,
                problem,
            } => format!(
                "Die SDK-Wissensbasis {source_name}, Eintrag `{id}`: {}",
                de::text(problem)
            ),
        }
    }
}

impl Localized for PipelineError {
    fn german(&self) -> String {
        match self {
            PipelineError::NoInputs => {
                "In den angegebenen Pfaden wurde keine App, kein Inventarexport und kein Fakten-Dokument gefunden".into()
            }
            PipelineError::Config(e) => e.german(),
            PipelineError::Trackers(e) => e.german(),
            PipelineError::Store(e) => format!(
                "Die Geräteergebnisse ließen sich nicht zwischenspeichern: {}",
                de::io(e)
            ),
            PipelineError::FactsStore(e) => format!(
                "Die Fakten der Apps ließen sich nicht zwischenspeichern: {}",
                de::io(e)
            ),
        }
    }
}

impl Localized for ImportError {
    fn german(&self) -> String {
        match self {
            ImportError::NoInput => {
                "Nichts zu importieren: mindestens eine der Optionen --ios, --ipados, --android angeben".into()
            }
            ImportError::Read { file, reason } | ImportError::Content { file, reason } => {
                format!("{file}: {}", de::text(reason))
            }
            ImportError::Options(reason) => de::text(reason),
        }
    }
}

/// A report, list or data file that could not be written (`--output` and the
/// side files of `scan`), or standard output.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file could not be created or written.
    #[error("cannot write {}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Standard output could not be written.
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
}

impl WriteError {
    /// The error for `path` (`None`: standard output).
    pub fn to(path: Option<&PathBuf>, source: std::io::Error) -> Self {
        match path {
            Some(path) => WriteError::File {
                path: path.clone(),
                source,
            },
            None => WriteError::Stdout(source),
        }
    }
}

impl Localized for WriteError {
    fn german(&self) -> String {
        match self {
            WriteError::File { path, source } => format!(
                "{} lässt sich nicht schreiben: {}",
                path.display(),
                de::io(source)
            ),
            WriteError::Stdout(e) => format!(
                "Die Standardausgabe lässt sich nicht schreiben: {}",
                de::io(e)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_messages_keep_file_line_and_cause() {
        let text = "[[answer]]\ncheck = \"APP-01\"\noutcome = \"pass\"\ndate = \"2026-01-01\"\n";
        let e = crate::checks::Answers::parse("answers.toml", text).unwrap_err();
        assert_eq!(
            e.message(Lang::De),
            "answers.toml, Zeile 1, Spalte 1: In `answer[1]` fehlt der Pflichtschlüssel `by`"
        );
        assert_eq!(
            e.message(Lang::En),
            "answers.toml:1:1: missing field `by` (at `answer[1]`)"
        );
        let w = WriteError::to(
            Some(&PathBuf::from("/x/report.html")),
            std::io::Error::from_raw_os_error(13),
        );
        assert_eq!(
            w.message(Lang::De),
            "/x/report.html lässt sich nicht schreiben: keine Berechtigung (Systemfehler 13)"
        );
        assert!(w
            .message(Lang::En)
            .starts_with("cannot write /x/report.html: "));
    }

    /// Every problem the answers reader reports has its German wording.
    #[test]
    fn every_answers_problem_is_said_in_german() {
        let head = "[[answer]]\n";
        let cases = [
            "check = \"APP-01\"\nrequirement = \"APP-01\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-01-01\"\n",
            "check = \"APP-01\"\noutcome = \"\"\nby = \"A\"\ndate = \"2026-01-01\"\n",
            "check = \"APP-01\"\noutcome = \"ok\"\nby = \"A\"\ndate = \"2026-01-01\"\n",
            "check = \"APP-01\"\noutcome = \"pass\"\nby = \" \"\ndate = \"2026-01-01\"\n",
            "check = \"APP-01\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"1.1.2026\"\n",
            "check = \"APP-01\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-01-01\"\nsha256 = \"ab\"\n",
            "check = \"APP-01\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-01-01\"\nvalid_until = \"bald\"\n",
        ];
        for body in cases {
            let text = format!("{head}{body}");
            let e = crate::checks::Answers::parse("a.toml", &text)
                .expect_err("each case is a broken answer");
            let ConfigError::Invalid { message, .. } = &e else {
                panic!("{e}")
            };
            assert!(de::knows(message), "no German wording for: {message}");
            assert!(e
                .message(Lang::De)
                .starts_with("a.toml: Antwort 1 (Zeile 1): "));
        }
    }
}
