//! Where and why a TOML or JSON configuration file (a check, profile or
//! answers file, an SDK knowledge base, a `--trackers` file, the OS support
//! data, a CSV column mapping) could not be read: the parser's error sorted
//! into a [`ProblemKind`] (syntax error, unknown or missing key, wrong type,
//! duplicate key, …) with its line, column and key path, so that messages
//! can say it in any language.
//!
//! The sorting is structural where the parsers allow it: a TOML text that
//! does not parse as a table is a syntax error, anything else a data error;
//! `serde_json` classifies its own errors. A data error's category is the
//! one serde gives it (`invalid type`, `missing field`, `unknown field`,
//! `duplicate field`, `unknown variant`, `invalid value`), with the value
//! found and the type expected read from serde's fixed wording.

use std::fmt;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// The syntax of a configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// TOML (checks, profiles, answers, the SDK knowledge base, the OS
    /// support data, column mappings).
    Toml,
    /// JSON (`--trackers`, the ETIP format).
    Json,
}

impl Syntax {
    /// The syntax's name (`TOML`, `JSON`), the same in every language.
    pub fn name(self) -> &'static str {
        match self {
            Syntax::Toml => "TOML",
            Syntax::Json => "JSON",
        }
    }
}

/// A value the file gives where another was expected (serde's
/// "unexpected" value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A boolean, as written.
    Bool(String),
    /// An integer, as written.
    Integer(String),
    /// A floating-point number, as written.
    Float(String),
    /// A string (its content).
    Text(String),
    /// An array.
    List,
    /// A table (JSON: an object).
    Table,
    /// Any other value.
    Other,
}

/// The kind of value a place of the file needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A string.
    Text,
    /// A text in both languages: a table with `de` and `en`.
    BilingualText,
    /// An integer.
    Integer,
    /// An integer ≥ 0.
    Natural,
    /// A number.
    Number,
    /// `true` or `false`.
    Bool,
    /// An array.
    List,
    /// A table (JSON: an object).
    Table,
    /// One of a fixed set of words.
    Choice,
    /// A single ASCII character (a delimiter).
    Character,
    /// Something else.
    Other,
}

/// What is wrong with the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The text is not well-formed TOML or JSON.
    Syntax,
    /// The JSON ends before its value does (a cut-off file).
    Truncated,
    /// A key appears twice in a table.
    DuplicateKey {
        /// The key, when known.
        key: Option<String>,
    },
    /// A key the format does not have.
    UnknownKey {
        /// The key.
        key: String,
        /// The keys allowed in its place (empty: none).
        allowed: Vec<String>,
    },
    /// A required key is missing.
    MissingKey {
        /// The key.
        key: String,
    },
    /// A value of the wrong type.
    WrongType {
        /// The value given.
        found: Found,
        /// What the format needs there.
        expected: Expected,
    },
    /// A word outside the fixed set of a key.
    UnknownValue {
        /// The word given.
        value: String,
        /// The words allowed.
        allowed: Vec<String>,
    },
    /// A value of the right type that is out of range.
    InvalidValue {
        /// The value given.
        found: Found,
        /// What the format needs there.
        expected: Expected,
    },
    /// Another data error (the parser's message says which).
    Other,
}

/// A configuration file's parse error, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// TOML or JSON.
    pub syntax: Syntax,
    /// 1-based line (0: the parser gave no position).
    pub line: usize,
    /// 1-based column in characters (0: the parser gave no position).
    pub column: usize,
    /// The key path of the place (`answer[2].check`, arrays counted from
    /// 1); empty when the place is the whole file or not known.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The parser's own message (English).
    pub message: String,
}

impl FileProblem {
    /// The problem of TOML `text` that `err` reports.
    pub fn from_toml(text: &str, err: &toml::de::Error) -> Self {
        let span = err.span();
        let (line, column) = span
            .as_ref()
            .map(|s| line_column(text, s.start))
            .unwrap_or((0, 0));
        let message = err.message().trim().to_string();
        let (kind, path) = match DeTable::parse(text) {
            // Not a table: the text itself is malformed.
            Err(_) if message.starts_with("duplicate key") => {
                let key = span
                    .and_then(|s| text.get(s))
                    .map(|k| k.trim().trim_matches(['"', '\'']).to_string())
                    .filter(|k| !k.is_empty());
                (ProblemKind::DuplicateKey { key }, String::new())
            }
            Err(_) => (ProblemKind::Syntax, String::new()),
            Ok(doc) => {
                let path = span.and_then(|s| table_path(doc.get_ref(), s.start));
                (data_kind(&message), path.unwrap_or_default())
            }
        };
        FileProblem {
            syntax: Syntax::Toml,
            line,
            column,
            path,
            kind,
            message,
        }
    }

    /// The problem `err` reports of the JSON `text`, with the key path of
    /// its place ([`super::json_path`]).
    pub fn from_json(text: &str, err: &serde_json::Error) -> Self {
        use serde_json::error::Category;
        let full = err.to_string();
        let message = full
            .strip_suffix(&format!(" at line {} column {}", err.line(), err.column()))
            .unwrap_or(&full)
            .to_string();
        let kind = match err.classify() {
            Category::Syntax => ProblemKind::Syntax,
            Category::Eof => ProblemKind::Truncated,
            Category::Data => data_kind(&message),
            Category::Io => ProblemKind::Other,
        };
        FileProblem {
            syntax: Syntax::Json,
            line: err.line(),
            column: err.column(),
            path: super::json_path::at_line_column(text, err.line(), err.column()),
            kind,
            message,
        }
    }

    /// The problem without its place, in English (the parser's message,
    /// named a syntax error when it is one, with the key path).
    pub fn what(&self) -> String {
        let mut out = match &self.kind {
            ProblemKind::Syntax | ProblemKind::Truncated => {
                format!("{} syntax error: {}", self.syntax.name(), self.message)
            }
            // TOML's parser does not say which key.
            ProblemKind::DuplicateKey { key: Some(key) } if !self.message.contains('`') => {
                format!("{} `{key}`", self.message)
            }
            _ => self.message.clone(),
        };
        if !self.path.is_empty() {
            out.push_str(&format!(" (at `{}`)", self.path));
        }
        out
    }
}

/// `line L, column C: WHAT` (without the place when it is not known).
impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: ", self.line, self.column)?;
        }
        f.write_str(&self.what())
    }
}

/// The key path (`a.b[2].c`) to byte `at` of the text `table` was parsed
/// from: the key at `at`, or the deepest value holding it. A table's own
/// span is only its header (`[[answer]]`), so its keys are searched first.
fn table_path(table: &DeTable<'_>, at: usize) -> Option<String> {
    table.iter().find_map(|(key, value)| {
        let name = key.get_ref().to_string();
        if spans(key, at) {
            return Some(name);
        }
        match value_path(value.get_ref(), at) {
            Some(rest) if rest.starts_with('[') => Some(format!("{name}{rest}")),
            Some(rest) => Some(format!("{name}.{rest}")),
            None => spans(value, at).then_some(name),
        }
    })
}

/// The path inside `value` to byte `at` (`[2].c`, `c`), if it holds it.
fn value_path(value: &DeValue<'_>, at: usize) -> Option<String> {
    match value {
        DeValue::Table(t) => table_path(t, at),
        DeValue::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let index = format!("[{}]", i + 1);
            match value_path(item.get_ref(), at) {
                Some(rest) if rest.starts_with('[') => Some(format!("{index}{rest}")),
                Some(rest) => Some(format!("{index}.{rest}")),
                None => spans(item, at).then_some(index),
            }
        }),
        _ => None,
    }
}

fn spans<T>(s: &Spanned<T>, at: usize) -> bool {
    s.span().contains(&at)
}

/// The category of a serde data error by serde's wording of it.
fn data_kind(message: &str) -> ProblemKind {
    let ticked = |s: &str| -> Option<String> {
        let s = s.strip_prefix('`')?;
        Some(s[..s.find('`')?].to_string())
    };
    if let Some(rest) = message.strip_prefix("missing field ") {
        if let Some(key) = ticked(rest) {
            return ProblemKind::MissingKey { key };
        }
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return ProblemKind::DuplicateKey { key: ticked(rest) };
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        if let Some(key) = ticked(rest) {
            let allowed = rest
                .split_once(", ")
                .map(|(_, l)| ticks(l))
                .unwrap_or_default();
            return ProblemKind::UnknownKey { key, allowed };
        }
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        if let Some(value) = ticked(rest) {
            let allowed = rest
                .split_once(", ")
                .map(|(_, l)| ticks(l))
                .unwrap_or_default();
            return ProblemKind::UnknownValue { value, allowed };
        }
    }
    for (prefix, wrong_type) in [("invalid type: ", true), ("invalid value: ", false)] {
        if let Some((found, expected)) = message
            .strip_prefix(prefix)
            .and_then(|r| r.rsplit_once(", expected "))
        {
            let (found, expected) = (found_value(found), expected_value(expected));
            return if wrong_type {
                ProblemKind::WrongType { found, expected }
            } else {
                ProblemKind::InvalidValue { found, expected }
            };
        }
    }
    ProblemKind::Other
}

/// The `…`-quoted words of serde's list of allowed names.
fn ticks(list: &str) -> Vec<String> {
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// serde's `Unexpected` value (`integer `5``, `string "x"`).
fn found_value(en: &str) -> Found {
    let ticked = |p: &str| en.strip_prefix(p).map(|v| v.trim_matches('`').to_string());
    if let Some(v) = ticked("boolean ") {
        return Found::Bool(v);
    }
    if let Some(v) = ticked("integer ") {
        return Found::Integer(v);
    }
    if let Some(v) = ticked("floating point ") {
        return Found::Float(v);
    }
    if let Some(v) = ticked("character ") {
        return Found::Text(v);
    }
    if let Some(v) = en.strip_prefix("string ") {
        let inner = v.strip_prefix('"').and_then(|v| v.strip_suffix('"'));
        return Found::Text(inner.unwrap_or(v).replace("\\\"", "\""));
    }
    match en {
        "sequence" => Found::List,
        "map" => Found::Table,
        _ => Found::Other,
    }
}

/// serde's `Expected` of a type (`a string`, `struct Text`, `u32`).
fn expected_value(en: &str) -> Expected {
    match en.trim() {
        "a string" | "a borrowed string" | "a character" | "string" => Expected::Text,
        // `crate::assess::Text`: the `{ de, en }` tables of check and profile files.
        "struct Text" => Expected::BilingualText,
        "a sequence" | "an array" => Expected::List,
        "a map" | "a table" => Expected::Table,
        "a boolean" => Expected::Bool,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Expected::Natural,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Expected::Integer,
        "f32" | "f64" => Expected::Number,
        "variant identifier" => Expected::Choice,
        "a single ASCII character" => Expected::Character,
        e if e.starts_with("struct ") => Expected::Table,
        e if e.starts_with("enum ") => Expected::Choice,
        _ => Expected::Other,
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

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Text {
        de: String,
        en: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "lowercase")]
    #[allow(dead_code)]
    enum Level {
        Must,
        Should,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        id: String,
        title: Option<Text>,
        level: Option<Level>,
        weight: Option<u32>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        entry: Vec<Entry>,
    }

    fn toml_problem(text: &str) -> FileProblem {
        let e = toml::from_str::<File>(text).expect_err("a broken file");
        FileProblem::from_toml(text, &e)
    }

    #[test]
    fn toml_errors_are_classified_with_place_and_path() {
        let p = toml_problem("[[entry]]\nid \"x\"\n");
        assert_eq!((p.kind, p.line, p.column), (ProblemKind::Syntax, 2, 4));

        let p = toml_problem("[[entry]]\nid = \"x\"\nid = \"y\"\n");
        let key = Some("id".to_string());
        assert_eq!((p.kind, p.line), (ProblemKind::DuplicateKey { key }, 3));

        let p = toml_problem("[[entry]]\nid = \"a\"\n[[entry]]\nid = \"x\"\ncolour = 1\n");
        assert_eq!(p.path, "entry[2].colour");
        assert_eq!(p.to_string(), "line 5, column 1: unknown field `colour`, expected one of `id`, `title`, `level`, `weight` (at `entry[2].colour`)");
        assert_eq!((p.line, p.column), (5, 1));
        let ProblemKind::UnknownKey { key, allowed } = p.kind else {
            panic!("{p:?}")
        };
        assert_eq!(key, "colour");
        assert_eq!(allowed, ["id", "title", "level", "weight"]);

        let p = toml_problem("[[entry]]\nweight = 1\n");
        assert_eq!(p.kind, ProblemKind::MissingKey { key: "id".into() });
        assert_eq!(p.path, "entry[1]");

        let p = toml_problem("[[entry]]\nid = \"a\"\ntitle = \"x\"\n");
        assert_eq!(p.path, "entry[1].title");
        assert_eq!((p.line, p.column), (3, 9));
        assert_eq!(
            p.kind,
            ProblemKind::WrongType {
                found: Found::Text("x".into()),
                expected: Expected::BilingualText
            }
        );

        let p = toml_problem("[[entry]]\nid = \"a\"\nweight = -1\n");
        assert_eq!(
            p.kind,
            ProblemKind::InvalidValue {
                found: Found::Integer("-1".into()),
                expected: Expected::Natural
            }
        );

        let p = toml_problem("[[entry]]\nid = \"a\"\nlevel = \"may\"\n");
        assert_eq!(p.path, "entry[1].level");
        assert_eq!(
            p.kind,
            ProblemKind::UnknownValue {
                value: "may".into(),
                allowed: vec!["must".into(), "should".into()]
            }
        );
        assert!(p
            .to_string()
            .starts_with("line 3, column 9: unknown variant `may`"));
    }

    #[test]
    fn json_errors_are_called_json() {
        let text = "{\"entry\": [}";
        let e = serde_json::from_str::<File>(text).unwrap_err();
        let p = FileProblem::from_json(text, &e);
        assert_eq!(
            (p.syntax, p.kind.clone()),
            (Syntax::Json, ProblemKind::Syntax)
        );
        assert_eq!((p.line, p.column), (1, 12));
        assert!(p.what().starts_with("JSON syntax error: "), "{}", p.what());
        assert!(!p.what().contains("at line"), "{}", p.what());

        let text = "{\"entry\": [";
        let e = serde_json::from_str::<File>(text).unwrap_err();
        assert_eq!(
            FileProblem::from_json(text, &e).kind,
            ProblemKind::Truncated
        );

        let text = "{\"entry\": [{\"id\": 5}]}";
        let e = serde_json::from_str::<File>(text).unwrap_err();
        let p = FileProblem::from_json(text, &e);
        assert_eq!(p.path, "entry[1].id");
        assert!(p.what().ends_with(" (at `entry[1].id`)"), "{}", p.what());
        assert_eq!(
            p.kind,
            ProblemKind::WrongType {
                found: Found::Integer("5".into()),
                expected: Expected::Text
            }
        );
    }

    #[test]
    fn line_column_counts_from_one() {
        let text = "a = 1\nbb = ?\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 11), (2, 6));
        assert_eq!(line_column(text, 10_000), (3, 1));
    }
}
