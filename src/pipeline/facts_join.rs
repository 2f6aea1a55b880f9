//! `msgaudit facts` with Intune compliance exports: as in `scan`, the
//! compliance exports given beside Intune device lists are read into one
//! bounded index first and joined to the devices as the lists are written
//! (`policy_compliance`, and `passcode`/`encryption` where the list is
//! silent); they are no facts documents of their own.

use std::path::PathBuf;

use super::collect::Skipped;
use super::compliance;
use super::load::read_head as head;
use super::stream::{InventoryContent, InventoryFile};
use crate::checks::Input;
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
}

/// Splits `paths` into the files to write and the Intune compliance exports
/// to join, and reads the latter into `options.compliance`. Without an
/// Intune device list among `paths` the compliance exports are refused
/// (they hold no devices); with `--inventory-format`, which makes every file
/// a device list, every file is a document.
pub fn facts_inputs(paths: &[PathBuf], options: &mut ExtractOptions) -> FactsInputs {
    let mut out = FactsInputs::default();
    if options.inventory_format.is_some() {
        out.documents = paths.to_vec();
        return out;
    }
    let mut joined = Vec::new();
    let mut lists = Vec::new();
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
        match detect(&head, &name) {
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
    let intune = lists
        .iter()
        .any(|d| matches!(d.format, Format::IntuneGraph | Format::IntuneCsv));
    if !intune {
        // Nothing to join to: as in `scan`, a compliance export holds no
        // devices and is refused, naming the file (never read as a device list).
        for (f, kind) in joined {
            let (en, de) = kind.without_devices();
            out.failures.push((f.path, en, Some(de)));
        }
        return out;
    }
    let mut failed = Vec::new();
    compliance::load(
        &joined,
        &lists,
        options,
        &mut failed,
        &mut Vec::<Skipped>::new(),
    );
    out.failures = failed
        .into_iter()
        .filter_map(|i| match i {
            Input::Failed(f) => Some((PathBuf::from(f.path), f.reason, f.reason_de)),
            _ => None,
        })
        .collect();
    out
}
