//! The further inputs of a run that decide results without being an app or
//! a device list of their own — the answers file, a profile file, OS support
//! data, extra trackers, a generic CSV's column mapping, Intune compliance
//! exports and installed-app lists — each named with its size and SHA-256,
//! so that a report lists every file its verdicts rest on.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::stream::InventoryFile;
use super::Options;
use crate::assess::{InputRole, SupportingInput};
use crate::checks::Profile;
use crate::extract::inventory::{mapping_file, Format};
use crate::limits::Limits;

/// The files a run's further inputs came from.
pub struct Sources<'a> {
    /// The run's options (answers, profile, OS data, trackers, forced format).
    pub options: &'a Options,
    /// The device lists read (a generic CSV's mapping is named by its export).
    pub exports: &'a [InventoryFile],
    /// The Intune compliance exports given.
    pub compliance: &'a [InventoryFile],
    /// The installed-app lists given.
    pub app_lists: &'a [InventoryFile],
    /// Files that could not be used (listed as errors or skipped instead).
    pub failed: &'a HashSet<String>,
}

/// Every further input of the run, in the order of [`InputRole`], each file
/// once: the compliance exports and app lists that could be used (those
/// that could not are error rows or skipped files of their own).
pub fn collect(s: &Sources<'_>, limits: &Limits) -> Vec<SupportingInput> {
    let checks = &s.options.checks;
    let input = &s.options.input;
    // A built-in profile's id wins over a file of that name (`Profile::load`).
    let profile_file = Path::new(&checks.profile);
    let profile_file = (!Profile::builtin_ids().contains(&checks.profile)
        && profile_file.is_file())
    .then(|| profile_file.to_path_buf());
    let forced = input.inventory_format.as_deref();
    let mappings = s
        .exports
        .iter()
        .filter(|e| e.format == Format::Csv)
        .filter_map(|e| mapping_file(&e.path, forced));
    let candidates: Vec<(InputRole, PathBuf)> = checks
        .answers
        .iter()
        .map(|p| (InputRole::Answers, p.clone()))
        .chain(profile_file.map(|p| (InputRole::Profile, p)))
        .chain(input.os_data.iter().map(|p| (InputRole::OsData, p.clone())))
        .chain(
            input
                .trackers
                .iter()
                .map(|p| (InputRole::Trackers, p.clone())),
        )
        .chain(mappings.map(|p| (InputRole::ColumnMapping, p)))
        .chain(used(s.compliance, s.failed).map(|p| (InputRole::ComplianceExport, p)))
        .chain(used(s.app_lists, s.failed).map(|p| (InputRole::InstalledApps, p)))
        .collect();
    let mut seen = HashSet::new();
    candidates
        .into_iter()
        .filter(|(_, p)| seen.insert(p.clone()))
        .filter_map(|(role, path)| {
            let file = super::load::failure_file(&path, limits)?;
            Some(SupportingInput { role, file })
        })
        .collect()
}

/// The paths of `files` that are not among the `failed`.
fn used<'f>(
    files: &'f [InventoryFile],
    failed: &'f HashSet<String>,
) -> impl Iterator<Item = PathBuf> + 'f {
    files
        .iter()
        .filter(|f| !failed.contains(&f.path.display().to_string()))
        .map(|f| f.path.clone())
}
