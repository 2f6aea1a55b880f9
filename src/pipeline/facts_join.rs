//! `msgaudit facts` with files joined to the devices of others: as in
//! `scan`, the Intune compliance exports given beside Intune device lists,
//! and the installed-app lists (Apple MDM, Workspace ONE) given beside any
//! device list, are read into bounded indexes first and joined to the
//! devices as the lists are written (`policy_compliance`, and
//! `passcode`/`encryption` where the list is silent; `installed_messengers`
//! where the list has none); they are no facts documents of their own.

use std::path::PathBuf;

use super::app_lists;
use super::collect::Skipped;
use super::compliance;
use super::load::read_head as head;
use super::stream::{InventoryContent, InventoryFile};
use crate::checks::Input;
use crate::extract::inventory::app_lists::{is_app_list, AppListIndex};
use crate::extract::inventory::{resolve_format, Format};
use crate::extract::kind::{detect, Kind};
use crate::extract::ExtractOptions;

/// The inputs of `msgaudit facts` once the compliance exports are joined.
#[derive(Debug, Default)]
pub struct FactsInputs {
    /// The files to write as facts documents, in the order given.
    pub documents: Vec<PathBuf>,
    /// Compliance exports that could not be read (file, reason, German reason): none of
    /// their rows was joined. The reason in English, and in German where the
    /// reader gives one.
    pub failures: Vec<(PathBuf, String, Option<String>)>,
    /// The installed-app lists read into the options' index (reported by
    /// [`FactsInputs::unjoined`] when no device took them).
    app_lists: Vec<InventoryFile>,
}

impl FactsInputs {
    /// After the documents are written: every installed-app list file none
    /// of whose lists found its device (file, reason, German reason).
    pub fn unjoined(&self, options: &ExtractOptions) -> Vec<(PathBuf, String, Option<String>)> {
        let mut failed = Vec::new();
        app_lists::unmatched(&self.app_lists, options, &mut failed, &mut Vec::new());
        failures(failed)
    }

    /// After the documents are written: what the installed-app list files
    /// some of whose lists a written device took tell of their lists that
    /// found no device (information, not an error).
    pub fn left_over(&self, options: &ExtractOptions) -> Vec<crate::facts::note::Note> {
        app_lists::left_over(options)
    }
}

/// The failure rows as (file, reason, German reason).
fn failures(rows: Vec<Input>) -> Vec<(PathBuf, String, Option<String>)> {
    rows.into_iter()
        .filter_map(|i| match i {
            Input::Failed(f) => Some((PathBuf::from(f.path), f.reason, f.reason_de)),
            _ => None,
        })
        .collect()
}

/// Splits `paths` into the files to write, the Intune compliance exports
/// and the installed-app lists to join, and reads the latter into
/// `options.compliance` and `options.app_lists`. Without an Intune device
/// list among `paths` the compliance exports are refused, without any
/// device list the app lists (they hold no devices); with
/// `--inventory-format`, which makes every file a device list, every file
/// is a document.
pub fn facts_inputs(paths: &[PathBuf], options: &mut ExtractOptions) -> FactsInputs {
    let mut out = FactsInputs::default();
    if options.inventory_format.is_some() {
        out.documents = paths.to_vec();
        return out;
    }
    let mut joined = Vec::new();
    let mut lists = Vec::new();
    let mut app_list_files = Vec::new();
    for path in paths {
        let file = |format, content| InventoryFile {
            path: path.clone(),
            format,
            from_folder: false,
            content,
        };
        // Only regular files are looked into: a FIFO or a device would block
        // or never end here; they stay documents, which `facts` refuses as
        // `scan` does.
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let Some(head) = regular.then(|| head(path).ok()).flatten() else {
            out.documents.push(path.clone());
            continue;
        };
        let name = path.display().to_string();
        let kind = detect(&head, &name);
        if is_app_list(kind, &head) {
            app_list_files.push(file(Format::WorkspaceOne, InventoryContent::AppList));
            continue;
        }
        match kind {
            Kind::Compliance(k) => {
                joined.push((
                    file(Format::IntuneGraph, InventoryContent::Compliance(k)),
                    k,
                ));
                continue;
            }
            Kind::Inventory(_) => {
                if let Ok((format, _)) = resolve_format(&name, &head, None) {
                    lists.push(file(format, InventoryContent::Devices));
                }
            }
            _ => {}
        }
        out.documents.push(path.clone());
    }
    let mut failed = Vec::new();
    if lists.is_empty() {
        for f in &app_list_files {
            let (en, de) = AppListIndex::without_devices();
            failed.push((f.path.clone(), en, Some(de)));
        }
    } else {
        let mut rows = Vec::new();
        app_lists::load(&app_list_files, options, &mut rows, &mut Vec::new());
        failed.extend(failures(rows));
        out.app_lists = app_list_files;
    }
    let intune = lists
        .iter()
        .any(|d| matches!(d.format, Format::IntuneGraph | Format::IntuneCsv));
    if !intune {
        // Nothing to join to: as in `scan`, a compliance export holds no
        // devices and is refused, naming the file (never read as a device list).
        for (f, kind) in joined {
            let (en, de) = kind.without_devices();
            failed.push((f.path, en, Some(de)));
        }
        out.failures = failed;
        return out;
    }
    let mut rows = Vec::new();
    compliance::load(
        &joined,
        &lists,
        options,
        &mut rows,
        &mut Vec::<Skipped>::new(),
    );
    failed.extend(failures(rows));
    out.failures = failed;
    out
}
