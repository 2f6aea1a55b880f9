//! A configuration file's parse error ([`FileProblem`]) in German: the
//! place (line, column, key path) and the kind of problem in words, the
//! expected value described rather than named by its Rust type. The
//! parser's own English message stays in the English text only.

use crate::extract::file_problem::{Expected, FileProblem, Found, ProblemKind, Syntax};

/// `Zeile L, Spalte C: WHAT` (without the place when it is not known).
pub fn german(p: &FileProblem) -> String {
    match p.line {
        0 => what(p),
        line => format!("Zeile {line}, Spalte {}: {}", p.column, what(p)),
    }
}

/// The problem in German, without its line and column.
pub fn what(p: &FileProblem) -> String {
    let syntax = p.syntax.name();
    // The place by its key path, when known: `answer[1].check`.
    let at = |or: &str| match p.path.as_str() {
        "" => or.to_string(),
        path => format!("`{path}`"),
    };
    match &p.kind {
        // The parser's detail where it is known in German (TOML).
        ProblemKind::Syntax => match crate::lang::wording_de::toml_syntax(&p.message) {
            Some(detail) if p.syntax == Syntax::Toml => format!("Syntaxfehler: {detail}"),
            _ => format!("Syntaxfehler: An dieser Stelle ist die Datei kein gültiges {syntax}"),
        },
        ProblemKind::Truncated => {
            format!("Syntaxfehler: Das {syntax} endet vorzeitig (die Datei ist abgeschnitten)")
        }
        ProblemKind::DuplicateKey { key } => {
            let key = key.as_ref().map(|k| format!("`{k}`"));
            match (key, p.path.as_str()) {
                (Some(key), "") => format!("Der Schlüssel {key} steht doppelt"),
                (Some(key), path) => format!("Der Schlüssel {key} steht in `{path}` doppelt"),
                (None, _) => "Ein Schlüssel steht doppelt".into(),
            }
        }
        ProblemKind::UnknownKey { key, allowed } => {
            let allowed = match allowed.as_slice() {
                [] => "hier ist kein Schlüssel erlaubt".to_string(),
                keys => format!("erlaubt sind hier {}", listed(keys)),
            };
            format!(
                "Unbekannter Schlüssel {}; {allowed}",
                at(&format!("`{key}`"))
            )
        }
        ProblemKind::MissingKey { key } => match p.path.as_str() {
            "" => format!("Der Pflichtschlüssel `{key}` fehlt"),
            path => format!("In `{path}` fehlt der Pflichtschlüssel `{key}`"),
        },
        ProblemKind::WrongType { found, expected } => format!(
            "Falscher Typ {}: Erwartet wird {}, angegeben ist {}",
            in_path(&p.path),
            expected_de(*expected, p.syntax),
            found_de(found, p.syntax)
        ),
        ProblemKind::UnknownValue { value, allowed } => {
            let allowed = match allowed.as_slice() {
                [] => String::new(),
                words => format!("; erlaubt sind {}", listed(words)),
            };
            format!("Unbekannter Wert „{value}“ {}{allowed}", in_path(&p.path))
        }
        ProblemKind::InvalidValue { found, expected } => format!(
            "Ungültiger Wert {}: Erwartet wird {}, angegeben ist {}",
            in_path(&p.path),
            expected_de(*expected, p.syntax),
            found_de(found, p.syntax)
        ),
        ProblemKind::Other => format!(
            "Der Inhalt {} passt nicht zum Aufbau der Datei",
            match p.path.as_str() {
                "" => "an dieser Stelle".to_string(),
                path => format!("von `{path}`"),
            }
        ),
    }
}

/// `bei `path`` (empty path: `an dieser Stelle`).
fn in_path(path: &str) -> String {
    match path {
        "" => "an dieser Stelle".into(),
        path => format!("bei `{path}`"),
    }
}

/// `` `a`, `b` und `c` ``.
fn listed(words: &[String]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} und {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The value found, in words.
fn found_de(found: &Found, syntax: Syntax) -> String {
    match found {
        Found::Bool(v) => format!("der Wahrheitswert {v}"),
        Found::Integer(v) => format!("die ganze Zahl {v}"),
        Found::Float(v) => format!("die Zahl {v}"),
        Found::Text(v) => format!("der Text „{v}“"),
        Found::List => "eine Liste".into(),
        Found::Table => match syntax {
            Syntax::Toml => "eine Tabelle".into(),
            Syntax::Json => "ein Objekt".into(),
        },
        Found::Other => "ein Wert anderer Art".into(),
    }
}

/// The value expected, in words.
fn expected_de(expected: Expected, syntax: Syntax) -> &'static str {
    match expected {
        Expected::Table if syntax == Syntax::Json => "ein Objekt ({…})",
        Expected::Text => "ein Text (in Anführungszeichen)",
        Expected::BilingualText => "ein Text in beiden Sprachen (Tabelle mit `de` und `en`)",
        Expected::Integer => "eine ganze Zahl",
        Expected::Natural => "eine ganze Zahl ab 0",
        Expected::Number => "eine Zahl",
        Expected::Bool => "ein Wahrheitswert (true oder false)",
        Expected::List => "eine Liste ([…])",
        Expected::Table => "eine Tabelle",
        Expected::Choice => "einer der erlaubten Werte (als Text)",
        Expected::Character => "ein einzelnes ASCII-Zeichen",
        Expected::Other => "ein Wert anderer Art",
    }
}
