//! The languages msgaudit writes in (a leaf every stage may use: archive
//! tricks, extraction errors and reports all have English and German texts).

use serde::{Deserialize, Serialize};

mod unread_de;
pub(crate) mod wording_de;

/// Report language.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Deutsch.
    De,
    /// English.
    #[default]
    En,
}

/// A count for human-readable text (table, HTML and Markdown reports,
/// notes, messages on stderr), with the language's thousands separator
/// from 1,000 on: „100.000 Geräte“ in German, "100,000 devices" in
/// English; below 1,000 the digits alone („999“). Machine-readable
/// formats (JSON, SARIF, CSV) keep plain numbers and never use this.
/// Takes any unsigned count (`usize`, `u64`, …); text that is not all
/// digits is returned unchanged.
pub fn count(n: impl std::fmt::Display, l: Lang) -> String {
    let digits = n.to_string();
    if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits;
    }
    let sep = match l {
        Lang::De => '.',
        Lang::En => ',',
    };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// The words for a kind of unread entry, by its JSON name (`limit`,
/// `damage`, `unsupported`, `tampering`): `(English, German)`, as reports
/// name it. The one place they are spelled: `facts::UnreadKind` names its
/// kinds by them, and the German wording of the unread summary (a text
/// that carries only the JSON name) reads them back; `None` for a name
/// that is no kind.
pub fn unread_kind_words(name: &str) -> Option<(&'static str, &'static str)> {
    Some(match name {
        "limit" => ("limit exceeded", "Lesegrenze überschritten"),
        "damage" => ("damaged", "beschädigt"),
        "unsupported" => ("unsupported", "nicht unterstützt"),
        "tampering" => ("tampering", "Manipulationsverdacht"),
        _ => return None,
    })
}

/// The German name of a value's type (`boolean` → „Wahrheitswert“); a type
/// this list does not know keeps its name. Used where a typed value (Android
/// meta-data, plist values) is shown to a German reader.
pub fn value_type_de(kind: &str) -> &str {
    match kind {
        "boolean" => "Wahrheitswert",
        "string" => "Zeichenkette",
        "int" | "integer" => "Ganzzahl",
        "float" | "real" => "Gleitkommazahl",
        "color" => "Farbwert",
        "reference" => "Ressourcenverweis",
        "null" => "kein Wert",
        "date" => "Datum",
        "array" => "Liste",
        "dict" => "Schlüssel-Wert-Tabelle",
        other => other,
    }
}

/// The German words of [`io_german`] for a file or folder that does not
/// exist; a report tells a named file that was not found by them in its
/// target's German error (`TargetAssessment::file_not_found`).
pub const NOT_FOUND_DE: &str = "Datei oder Ordner nicht gefunden";

/// The German wording of an I/O error: its kind in words, with the
/// system's error number where there is one (for German reports and
/// messages; `std::io::Error` itself speaks English).
pub fn io_german(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match e.kind() {
        ErrorKind::NotFound => NOT_FOUND_DE,
        ErrorKind::PermissionDenied => "keine Berechtigung",
        ErrorKind::AlreadyExists => "existiert bereits",
        ErrorKind::IsADirectory => "ist ein Ordner",
        ErrorKind::NotADirectory => "ein Teil des Pfads ist kein Ordner",
        ErrorKind::StorageFull => "kein Speicherplatz mehr frei",
        ErrorKind::ReadOnlyFilesystem => "das Dateisystem ist schreibgeschützt",
        ErrorKind::InvalidFilename => "ungültiger Dateiname",
        ErrorKind::UnexpectedEof => "die Datei endet unerwartet",
        ErrorKind::BrokenPipe => "die Gegenstelle hat die Verbindung geschlossen",
        ErrorKind::InvalidData => "ungültige Daten (z. B. kein UTF-8-Text)",
        ErrorKind::OutOfMemory => "nicht genug Arbeitsspeicher",
        ErrorKind::Interrupted => "unterbrochen",
        _ => "Ein-/Ausgabefehler",
    };
    match e.raw_os_error() {
        Some(n) => format!("{words} (Systemfehler {n})"),
        None => words.to_string(),
    }
}

#[cfg(test)]
mod count_tests {
    use super::{count, Lang};

    #[test]
    fn small_counts_have_no_separator() {
        for l in [Lang::De, Lang::En] {
            assert_eq!(count(0, l), "0");
            assert_eq!(count(7, l), "7");
            assert_eq!(count(999, l), "999");
        }
    }

    #[test]
    fn german_groups_thousands_with_a_dot() {
        assert_eq!(count(1000, Lang::De), "1.000");
        assert_eq!(count(12345, Lang::De), "12.345");
        assert_eq!(count(100_000, Lang::De), "100.000");
        assert_eq!(count(1_234_567, Lang::De), "1.234.567");
    }

    #[test]
    fn english_groups_thousands_with_a_comma() {
        assert_eq!(count(1000, Lang::En), "1,000");
        assert_eq!(count(100_000, Lang::En), "100,000");
        assert_eq!(count(1_234_567, Lang::En), "1,234,567");
        assert_eq!(count(5_000_000_000_u64, Lang::En), "5,000,000,000");
        assert_eq!(
            count(usize::MAX, Lang::En).len(),
            usize::MAX.to_string().len() + (usize::MAX.to_string().len() - 1) / 3
        );
    }
}

#[cfg(test)]
mod value_type_tests {
    use super::value_type_de;

    #[test]
    fn value_types_have_german_names_a_reader_knows() {
        // A plist `dict` is a table of keys and values, not a dictionary.
        assert_eq!(value_type_de("dict"), "Schlüssel-Wert-Tabelle");
        assert_eq!(value_type_de("boolean"), "Wahrheitswert");
        assert_eq!(value_type_de("array"), "Liste");
        assert_eq!(value_type_de("uuid"), "uuid");
    }
}
