//! The scan pipeline as a library: collect inputs → detect → extract (apps,
//! facts documents) or stream (inventory exports) → evaluate → [`Assessment`].
//!
//! The CLI only turns its flags into [`Options`], calls [`assess`] (or
//! [`assess_or_load`], which also accepts saved JSON reports), renders, and
//! maps a [`PipelineError`] to an exit code. A Rust caller does the same:
//!
//! ```no_run
//! use msgaudit::pipeline::{assess, Options, Quiet};
//!
//! let mut options = Options::default();
//! options.input.as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
//! let run = assess(&["sample-apps/".into()], &options, &Quiet);
//! let assessment = run.result.expect("the check set loads");
//! for target in &assessment.targets {
//!     println!("{}: {:?}", target.target.name, target.verdict);
//! }
//! ```

mod app_lists;
mod collect;
mod compliance;
pub mod dedupe;
mod device_codec;
mod device_spill;
mod exports;
mod facts_join;
mod fleet_documents;
mod load;
mod options;
mod page_sets;
mod patch_floor;
mod run;
pub mod stream;
mod supporting;

pub use collect::{collect_targets, Collected, Skipped, Target, UNRECOGNIZED};
pub use facts_join::{facts_inputs, FactsDocument, FactsInputs};
pub(crate) use load::{passed_over, refused_read_as};
pub use options::{load_check_set, CheckOptions, InputOptions, Options};
pub use run::{assess, assess_or_load, Loaded, Run};

use std::path::Path;

use crate::extract::inventory::{InventoryRead, Note};
use crate::extract::sdks::etip::EtipImport;
use crate::extract::sdks::SdkKbError;

#[cfg(doc)]
use crate::assess::Assessment;

/// Why a run produced no assessment.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// The paths held no app, inventory export or facts document.
    #[error("no app, inventory or facts file found in the given paths")]
    NoInputs,
    /// A check file, profile or answers file is broken.
    #[error(transparent)]
    Config(#[from] crate::checks::ConfigError),
    /// The `trackers` file is broken.
    #[error(transparent)]
    Trackers(#[from] SdkKbError),
    /// The device results of a fleet could not be stored (temporary file).
    #[error("the device results could not be stored: {0}")]
    Store(std::io::Error),
    /// The facts of the apps, kept for the report, could not be stored
    /// (temporary file).
    #[error("the facts of the apps could not be stored: {0}")]
    FactsStore(std::io::Error),
}

/// What a run tells its caller while it works (progress, notices); every
/// method does nothing by default.
pub trait Observer: Sync {
    /// Trackers were added to the knowledge base from `path`.
    fn trackers_added(&self, _path: &Path, _import: &EtipImport) {}
    /// Reading of `_files` files begins.
    fn reading(&self, _files: usize) {}
    /// One file was read (called from worker threads).
    fn file_read(&self, _path: &Path) {}
    /// Every file was read.
    fn reading_done(&self) {}
    /// An inventory export was streamed; `read` holds its warnings.
    fn inventory_read(&self, _path: &Path, _read: &InventoryRead) {}
    /// The exports of the run showed something for information, not as a
    /// warning (pages of one export read together).
    fn exports_noted(&self, _note: &Note) {}
}

/// An observer that ignores everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quiet;

impl Observer for Quiet {}
