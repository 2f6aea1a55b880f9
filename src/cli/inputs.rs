//! The input options shared by `scan`, `compare`, `diff` and `facts`, the
//! observer that prints the pipeline's progress and notices, and the one
//! mapping from pipeline errors to exit codes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use clap::Args;
use std::io::IsTerminal;

use super::{exit, CheckSetArgs};
use crate::assess::Lang;
use crate::extract::inventory::{InventoryRead, Note};
use crate::extract::sdks::etip::EtipImport;
use crate::pipeline::{CheckOptions, InputOptions, Observer, Options, PipelineError, Skipped};

/// How inputs are read; flattened into `scan`, `compare`, `diff` and `facts`.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Audit date (YYYY-MM-DD) that patch and check-in ages are computed for; default today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::scan::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Force the input format of inventories instead of detecting it
    /// (`csv=MAPPING.toml` for a generic CSV with a column mapping).
    #[arg(long, value_name = "NAME")]
    pub inventory_format: Option<String>,
    /// OS support data file replacing the built-in `checks/os-support.toml`.
    #[arg(long, value_name = "FILE")]
    pub os_data: Option<PathBuf>,
    /// Key for pseudonymizing personal data in inventories (default: env MSGAUDIT_PSEUDONYM_KEY).
    #[arg(long, value_name = "KEY")]
    pub pseudonym_key: Option<String>,
    /// Show personal identifiers from inventories in clear.
    #[arg(long)]
    pub reveal_identities: bool,
    /// Resource limits.
    #[command(flatten)]
    pub limits: super::limits::LimitArgs,
    /// Extra trackers (Exodus Privacy format).
    #[command(flatten)]
    pub trackers: super::sdks::TrackersArg,
}

impl InputArgs {
    /// The library's input options for these flags (`full`: every DEX class name).
    pub fn to_options(&self, full: bool) -> InputOptions {
        InputOptions {
            as_of: self.as_of,
            inventory_format: self.inventory_format.clone(),
            os_data: self.os_data.clone(),
            pseudonym_key: super::scan::pseudonym_key(self.pseudonym_key.as_deref()),
            reveal_identities: self.reveal_identities,
            limits: self.limits.to_limits(),
            trackers: self.trackers.trackers.clone(),
            full,
        }
    }
}

/// How targets are read and assessed; shared by `scan`, `compare` and `diff`.
#[derive(Debug, Clone, Args)]
pub struct AssessArgs {
    /// Checks and profile.
    #[command(flatten)]
    pub checks: CheckSetArgs,
    /// Answers file (TOML) attesting manual checks.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// How inputs are read.
    #[command(flatten)]
    pub input: InputArgs,
}

impl AssessArgs {
    /// The library's options for these flags and report language.
    pub fn to_options(&self, lang: crate::assess::Lang) -> Options {
        Options {
            input: self.input.to_options(false),
            checks: CheckOptions {
                profile: self.checks.profile.clone(),
                checks_dir: self.checks.checks_dir.clone(),
                answers: self.answers.clone(),
            },
            lang,
        }
    }
}

/// The exit code for a pipeline error, after printing it in `lang` (through
/// the one mapping, [`super::failure::fail`]).
pub fn fail(e: &PipelineError, lang: Lang) -> u8 {
    super::failure::fail(e, lang)
}

/// The exit code for a pipeline error on `paths`, after printing it; an
/// input without anything to assess is named, with the number of files
/// skipped, in the report language.
pub fn fail_on_paths(
    e: &PipelineError,
    paths: &[std::path::PathBuf],
    skipped: usize,
    lang: crate::assess::Lang,
) -> u8 {
    match e {
        PipelineError::NoInputs => {
            eprintln!("msgaudit: {}", message_on_paths(e, paths, skipped, lang));
            exit::INPUT_ERROR
        }
        _ => fail(e, lang),
    }
}

/// The message [`fail_on_paths`] prints for `e` (without the `msgaudit:`
/// prefix), in `lang`.
pub fn message_on_paths(
    e: &PipelineError,
    paths: &[std::path::PathBuf],
    skipped: usize,
    lang: Lang,
) -> String {
    match e {
        PipelineError::NoInputs => super::input_messages::nothing_found(paths, skipped, true, lang),
        _ => super::localized::Localized::message(e, lang),
    }
}

/// Prints how many files folder scans skipped and, when `verbose`, which and
/// why, in `lang`; `facts_documents`: whether the command reads facts
/// documents too (`scan` does, `facts` does not).
pub fn print_skipped(skipped: &[Skipped], verbose: bool, facts_documents: bool, lang: Lang) {
    if skipped.is_empty() {
        return;
    }
    if verbose {
        for s in skipped {
            eprintln!(
                "{}",
                super::input_messages::skipped_file(&s.path, &s.reason, lang)
            );
        }
    }
    let unrecognized = skipped.iter().filter(|s| s.unrecognized).count();
    eprintln!(
        "{}",
        super::input_messages::skipped_count(
            unrecognized,
            skipped.len() - unrecognized,
            verbose,
            facts_documents,
            lang
        )
    );
}

/// Most warnings printed per inventory; the rest are counted.
const MAX_PRINTED_WARNINGS: usize = 10;

/// Prints the pipeline's notices on standard error, with a progress bar when
/// standard error is a terminal.
#[derive(Default)]
pub struct Printer {
    bar: OnceLock<indicatif::ProgressBar>,
    key_note_printed: AtomicBool,
    lang: Lang,
}

impl Printer {
    /// A printer writing its notices in `lang`.
    pub fn new(lang: Lang) -> Self {
        Printer {
            lang,
            ..Printer::default()
        }
    }

    fn note(&self, note: &Note) -> String {
        match self.lang {
            Lang::De => note.german(),
            _ => note.english(),
        }
    }
}

impl Observer for Printer {
    fn trackers_added(&self, path: &Path, report: &EtipImport) {
        let (added, known, unsigned) = (
            report.added,
            report.known.len(),
            report.no_code_signature.len(),
        );
        let path = path.display();
        if self.lang == Lang::De {
            eprintln!(
                "msgaudit: {added} Tracker aus {path} hinzugefügt; {known} deckt die mitgelieferte Wissensbasis schon ab; {unsigned} ohne Code-Signatur ausgelassen"
            );
        } else {
            eprintln!(
                "msgaudit: {added} tracker(s) added from {path}; {known} already covered by the built-in knowledge base; {unsigned} without a code signature left out"
            );
        }
    }

    fn reading(&self, files: usize) {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(files as u64);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            {
                bar.set_style(style);
            }
            let _ = self.bar.set(bar);
        }
    }

    fn file_read(&self, path: &Path) {
        if let Some(bar) = self.bar.get() {
            bar.set_message(path.display().to_string());
            bar.inc(1);
        }
    }

    fn reading_done(&self) {
        if let Some(bar) = self.bar.get() {
            bar.finish_and_clear();
        }
    }

    /// Prints what the exports showed together, as a note, not a warning
    /// (pages of one export read together).
    fn exports_noted(&self, note: &Note) {
        let label = if self.lang == Lang::De {
            "Hinweis"
        } else {
            "note"
        };
        eprintln!("msgaudit: {label}: {}", self.note(note));
    }

    /// Prints what an export did not say clearly (warnings never hold personal
    /// data). The note about the default pseudonym key is the same for every
    /// export of a run: it is printed once.
    fn inventory_read(&self, path: &Path, read: &InventoryRead) {
        let warnings = &read.warnings;
        let key_note = Note::DefaultPseudonymKey;
        let de = self.lang == Lang::De;
        let warning = if de { "Warnung" } else { "warning" };
        if warnings.contains(&key_note) && !self.key_note_printed.swap(true, Ordering::Relaxed) {
            eprintln!("msgaudit: {warning}: {}", self.note(&key_note));
        }
        let own: Vec<&Note> = warnings.iter().filter(|w| **w != key_note).collect();
        for w in own.iter().take(MAX_PRINTED_WARNINGS) {
            eprintln!("msgaudit: {}: {warning}: {}", path.display(), self.note(w));
        }
        if own.len() > MAX_PRINTED_WARNINGS {
            let more = own.len() - MAX_PRINTED_WARNINGS;
            if de {
                eprintln!(
                    "msgaudit: {}: {more} weitere Warnungen (der Bericht enthält alle)",
                    path.display()
                );
            } else {
                eprintln!(
                    "msgaudit: {}: {more} more warnings (the report has them all)",
                    path.display()
                );
            }
        }
    }
}
