//! The errors a command ends with, in the run's language. The library's
//! `Display` stays English for Rust callers; the CLI prints
//! [`Localized::message`], which names the same file, line and cause.

use std::path::PathBuf;

use super::wording_de as de;
use crate::assess::Lang;
use crate::checks::ConfigError;
use crate::extract::file_problem_de;
use crate::extract::inventory::os_import::ImportError;
use crate::extract::sdks::{SdkFileKind, SdkKbError};
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
        let file = file_de(self.kind());
        match self {
            SdkKbError::Io { path, source, .. } => {
                format!("{file} {path} ist nicht lesbar: {}", de::io(source))
            }
            SdkKbError::TooLarge {
                source_name,
                size,
                limit,
                ..
            } => format!(
                "{file} {source_name} ist {size} Byte groß, mehr als die Grenze von {limit} Byte"
            ),
            SdkKbError::Parse {
                source_name,
                problem,
                kind,
            } => format!(
                "{file} {source_name} ist ungültig: {}{}",
                file_problem_de::german(problem),
                etip_hint_de(*kind)
            ),
            SdkKbError::Invalid {
                source_name,
                id,
                problem,
                ..
            } => format!(
                "{file} {source_name}, Eintrag `{id}`: {}",
                de::text(problem)
            ),
        }
    }
}

/// How a message begins that names an SDK file of `kind`.
fn file_de(kind: SdkFileKind) -> &'static str {
    match kind {
        SdkFileKind::KnowledgeBase => "Die SDK-Wissensbasis",
        SdkFileKind::Trackers => "Die Tracker-Datei",
    }
}

/// What a tracker file must look like, after the problem of one that does
/// not parse.
fn etip_hint_de(kind: SdkFileKind) -> &'static str {
    match kind {
        SdkFileKind::Trackers => " (erwartet wird das ETIP-Trackerformat {\"trackers\": {\"<id>\": {\"name\", \"code_signature\", \"categories\", …}}})",
        SdkFileKind::KnowledgeBase => "",
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

    /// A `--trackers` file is called a tracker file whatever went wrong; a
    /// knowledge base keeps its name.
    #[test]
    fn a_tracker_file_is_named_as_such_in_every_error() {
        use crate::extract::sdks::{etip::MAX_ETIP_SIZE, KnowledgeBase};
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("fehlt.json");
        let e = KnowledgeBase::builtin()
            .add_etip_path(&missing)
            .unwrap_err();
        let name = missing.display();
        assert_eq!(
            e.message(Lang::De),
            format!("Die Tracker-Datei {name} ist nicht lesbar: Datei oder Ordner nicht gefunden (Systemfehler 2)")
        );
        assert!(e
            .message(Lang::En)
            .starts_with(&format!("cannot read the tracker file {name}: ")));

        let big = dir.path().join("gross.json");
        let file = std::fs::File::create(&big).unwrap();
        file.set_len(MAX_ETIP_SIZE + 1).unwrap();
        let e = KnowledgeBase::builtin().add_etip_path(&big).unwrap_err();
        let (name, size) = (big.display(), MAX_ETIP_SIZE + 1);
        assert_eq!(
            e.message(Lang::De),
            format!("Die Tracker-Datei {name} ist {size} Byte groß, mehr als die Grenze von {MAX_ETIP_SIZE} Byte")
        );
        assert_eq!(
            e.message(Lang::En),
            format!("the tracker file {name} is {size} bytes, more than the limit of {MAX_ETIP_SIZE} bytes")
        );

        let e = KnowledgeBase::from_toml("version = 2\n", "sdks.toml").unwrap_err();
        assert!(e
            .message(Lang::De)
            .starts_with("Die SDK-Wissensbasis sdks.toml, Eintrag `(file)`: "));
        assert!(e
            .message(Lang::En)
            .starts_with("the SDK knowledge base sdks.toml, entry `(file)`: "));
    }

    /// Every problem of a knowledge-base or tracker entry has its German
    /// wording.
    #[test]
    fn every_knowledge_base_entry_problem_is_said_in_german() {
        let sdk = |body: &str| {
            format!("version = 1\n[[sdk]]\nid = \"a\"\nname = \"A\"\ncategory = \"advertising\"\n{body}")
        };
        let matcher = "android.class_prefixes = [\"a.\"]\n";
        let cases = [
            "version = 2\n".to_string(),
            "version = 1\n[[strings]]\nvalue = \" \"\n".into(),
            sdk(matcher).replace("id = \"a\"", "id = \"A\""),
            format!("{}{}", sdk(matcher), &sdk(matcher)["version = 1\n".len()..]),
            sdk(matcher).replace("name = \"A\"", "name = \" \""),
            sdk(""),
            sdk("android.class_prefixes = [\" a.\"]\n"),
            sdk(&format!("{matcher}hosts = [\"nohost\"]\n")),
            sdk("android.class_patterns = [\"(\"]\n"),
        ];
        for text in cases {
            let e = crate::extract::sdks::KnowledgeBase::from_toml(&text, "kb.toml")
                .expect_err("each case is a broken knowledge base");
            let SdkKbError::Invalid { problem, .. } = &e else {
                panic!("{e}")
            };
            assert!(de::knows(problem), "no German wording for: {problem}");
            assert!(e
                .message(Lang::De)
                .starts_with("Die SDK-Wissensbasis kb.toml, Eintrag `"));
        }
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
