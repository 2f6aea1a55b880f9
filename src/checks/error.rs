//! Errors in check files, profiles and answers files (configuration errors, exit code 5).

use thiserror::Error;

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
    #[error("{file}:{line}:{column}: {message}")]
    Toml {
        /// The file.
        file: String,
        /// 1-based line of the problem (0 when the parser gave no position).
        line: usize,
        /// 1-based column of the problem (0 when the parser gave no position).
        column: usize,
        /// What is wrong.
        message: String,
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
        let (line, column) = err
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or((0, 0));
        ConfigError::Toml {
            file: file.to_string(),
            line,
            column,
            message: err.message().trim().to_string(),
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

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut line = 1;
    let mut column = 1;
    for (i, c) in text.char_indices() {
        if i >= offset {
            break;
        }
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbb = ?\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 11), (2, 6));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }
}
