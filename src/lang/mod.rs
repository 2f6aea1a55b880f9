//! The languages msgaudit writes in (a leaf every stage may use: archive
//! tricks, extraction errors and reports all have English and German texts).

use serde::{Deserialize, Serialize};

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

/// The German wording of an I/O error: its kind in words, with the
/// system's error number where there is one (for German reports and
/// messages; `std::io::Error` itself speaks English).
pub fn io_german(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let words = match e.kind() {
        ErrorKind::NotFound => "Datei oder Ordner nicht gefunden",
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
