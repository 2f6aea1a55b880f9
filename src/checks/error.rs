//! Errors in check files, profiles and answers files (configuration errors, exit code 5).

use thiserror::Error;

pub use crate::extract::file_problem::{line_column, FileProblem};

/// A check file, profile or answers file could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed or does not fit the format (unknown key, wrong type, …).
    #[error("{file}:{}{}", place(problem), problem.what())]
    Toml {
        /// The file.
        file: String,
        /// Where and what, classified.
        problem: Box<FileProblem>,
    },
    /// A CEL expression does not parse.
    #[error("{file}: rule {rule}: the `{field}` expression does not parse: {error}")]
    Cel {
        /// The check file.
        file: String,
        /// 1-based index of the `[[rule]]`.
        rule: usize,
        /// `when` or `evidence`.
        field: &'static str,
        /// The CEL parser's message.
        error: String,
    },
    /// The file parses but breaks a rule of the format (missing text, bad id, …).
    #[error("{file}: {message}")]
    Invalid {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Two check files in the same source declare the same id.
    #[error("duplicate check id `{id}`: in {first} and in {second}")]
    DuplicateId {
        /// The id.
        id: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
    /// `--profile NAME` names no built-in profile and no file.
    #[error("unknown profile `{name}`: neither a built-in profile ({known}) nor a readable file")]
    UnknownProfile {
        /// The name given.
        name: String,
        /// The built-in profile ids.
        known: String,
    },
}

impl ConfigError {
    /// Builds a [`ConfigError::Toml`] from a TOML error, turning its byte span into line and column.
    pub fn from_toml(file: &str, text: &str, err: &toml::de::Error) -> Self {
        ConfigError::Toml {
            file: file.to_string(),
            problem: Box::new(FileProblem::from_toml(text, err)),
        }
    }

    /// Builds a [`ConfigError::Invalid`].
    pub fn invalid(file: &str, message: impl Into<String>) -> Self {
        ConfigError::Invalid {
            file: file.to_string(),
            message: message.into(),
        }
    }
}

/// `LINE:COLUMN: ` of a problem (empty when the parser gave no position).
fn place(problem: &FileProblem) -> String {
    match problem.line {
        0 => " ".into(),
        line => format!("{line}:{}: ", problem.column),
    }
}
