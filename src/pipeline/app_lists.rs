//! Installed-app lists given to `scan` as files of their own (Apple MDM
//! `InstalledApplicationList`, Workspace ONE `DeviceApps`): told apart from device
//! exports, read into one bounded index before the device lists stream,
//! handed to the readers through [`ExtractOptions::app_lists`], and — after
//! the scan — every list that found no device is reported.

use std::io::BufReader;
use std::sync::Arc;

use super::collect::Skipped;
use super::stream::{InventoryContent, InventoryFile};
use crate::assess::UnusedAppList;
use crate::checks::{Input, InputFailure};
use crate::extract::inventory::app_lists::{AppListIndex, APP_LIST_BUDGET};
use crate::extract::inventory::pseudonym::Pseudonymizer;
use crate::extract::{ExtractOptions, READ_BUF};
use crate::facts::TargetKind;
use crate::limits::Limits;

/// Splits the inventory files into app-list responses and device exports, by
/// what [`super::load`] found in each file's head.
pub fn split(files: Vec<InventoryFile>) -> (Vec<InventoryFile>, Vec<InventoryFile>) {
    files
        .into_iter()
        .partition(|f| f.content == InventoryContent::AppList)
}

/// A file that could not be used: an error row, or skipped with its reason
/// when found by walking a folder; `unused` says why an installed-app list
/// was not used (`None` for a compliance export).
pub(super) fn fail(
    f: &InventoryFile,
    (en, de): (String, String),
    unused: Option<UnusedAppList>,
    limits: &Limits,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
) {
    if f.from_folder {
        skipped.push(Skipped::other(f.path.clone(), en));
    } else {
        inputs.push(Input::Failed(InputFailure {
            path: f.path.display().to_string(),
            kind: TargetKind::Inventory,
            reason: en,
            cause: None,
            reason_de: Some(de),
            unused_app_list: unused,
            file: super::load::failure_file(&f.path, limits),
        }));
    }
}

/// Opens `f` for reading, or the reason it cannot be read (English, German).
pub(super) fn open(f: &InventoryFile) -> Result<BufReader<std::fs::File>, (String, String)> {
    std::fs::File::open(&f.path)
        .map(|file| BufReader::with_capacity(READ_BUF, file))
        .map_err(|e| {
            let name = f.path.display();
            (
                format!("{name}: cannot read the file: {e}"),
                format!("{name}: Datei nicht lesbar: {e}"),
            )
        })
}

/// Opens the installed-app list `f` for reading, or the reason it cannot
/// be read, naming it an installed-app list (English, German).
fn open_list(f: &InventoryFile) -> Result<BufReader<std::fs::File>, (String, String)> {
    std::fs::File::open(&f.path)
        .map(|file| BufReader::with_capacity(READ_BUF, file))
        .map_err(|e| {
            let name = f.path.display();
            (
                format!("{name}: cannot read the installed-app list: {e}"),
                format!("{name}: Liste installierter Apps nicht lesbar: {e}"),
            )
        })
}

/// Reads the app lists into `options.app_lists`; a file that cannot be read
/// becomes an error row in `inputs` (skipped when found in a folder).
pub fn load(
    files: &[InventoryFile],
    options: &mut ExtractOptions,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
) {
    if files.is_empty() {
        return;
    }
    let pn = Pseudonymizer::new(options.pseudonym_key.as_deref(), options.reveal_identities);
    let mut ix = AppListIndex::new(pn, APP_LIST_BUDGET);
    for f in files {
        let name = f.path.display().to_string();
        let read = open_list(f).and_then(|mut input| {
            ix.read(&name, &mut input, &options.limits)
                .map_err(|e| (e.to_string(), e.message_de()))
        });
        if let Err(msg) = read {
            let unused = Some(UnusedAppList::Unreadable);
            fail(f, msg, unused, &options.limits, inputs, skipped);
        }
    }
    if !ix.is_empty() {
        options.app_lists = Some(Arc::new(ix));
    }
}

/// After the device lists have streamed: what the app-list files some of
/// whose lists found their device tell of the lists that found none
/// ([`AppListIndex::left_over`]; information about the exports, not an
/// error: such a file was read in full and used).
pub fn left_over(options: &ExtractOptions) -> Vec<crate::facts::note::Note> {
    options
        .app_lists
        .as_ref()
        .map(|ix| ix.left_over())
        .unwrap_or_default()
}

/// After the device lists have streamed: every app-list file none of whose
/// lists found its device (an error row, or skipped when found in a folder).
pub fn unmatched(
    files: &[InventoryFile],
    options: &ExtractOptions,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<Skipped>,
) {
    let Some(ix) = &options.app_lists else {
        return;
    };
    for u in ix.unmatched() {
        if let Some(f) = files
            .iter()
            .find(|f| f.path.display().to_string() == u.file)
        {
            fail(
                f,
                AppListIndex::without_device(&u),
                Some(UnusedAppList::Unmatched),
                &options.limits,
                inputs,
                skipped,
            );
        }
    }
}
