//! `msgaudit facts` with files joined to the devices of others: as in
//! `scan`, the Intune compliance exports given beside Intune device lists,
//! and the installed-app lists (Apple MDM, Workspace ONE) given beside any
//! device list, are read into bounded indexes first and joined to the
//! devices as the lists are written (`policy_compliance`, and
//! `passcode`/`encryption` where the list is silent; `installed_messengers`
//! where the list has none); they are no facts documents of their own.
//! Folders are searched and loose split APKs grouped as by `scan`.

use std::path::PathBuf;

use super::app_lists;
use super::collect::{collect_targets, Skipped, Target};
use super::compliance;
use super::load::{read_head as head, read_units, unclear_split};
use super::stream::{InventoryContent, InventoryFile};
use crate::checks::Input;
use crate::extract::android::loose::Unit;
use crate::extract::inventory::app_lists::{is_app_list, AppListIndex};
use crate::extract::inventory::{resolve_format, Format};
use crate::extract::kind::{detect, Kind};
use crate::extract::{ExtractError, ExtractOptions};

/// One facts document `msgaudit facts` writes.
#[derive(Debug)]
pub enum FactsDocument {
    /// The facts of one file (an app, an inventory export).
    File(Target),
    /// A base APK and the split APKs of its package given as loose files:
    /// one app, read as `scan` reads it
    /// ([`crate::extract::extract_split_files`]).
    SplitSet {
        /// The base APK.
        base: PathBuf,
        /// Its splits, in the files' order.
        splits: Vec<PathBuf>,
    },
    /// A file refused before it is read, as `scan` refuses it (a split APK
    /// whose base is unclear): written as an error, never as a document.
    Refused {
        /// The file.
        path: PathBuf,
        /// Why.
        error: ExtractError,
    },
}

impl FactsDocument {
    /// The file the document is named by (a split set's base).
    pub fn path(&self) -> &std::path::Path {
        match self {
            FactsDocument::File(t) => &t.path,
            FactsDocument::SplitSet { base, .. } => base,
            FactsDocument::Refused { path, .. } => path,
        }
    }
}

/// The inputs of `msgaudit facts` once the compliance exports are joined.
#[derive(Debug, Default)]
pub struct FactsInputs {
    /// The facts documents to write, in the order given (files found in a
    /// folder in the order of their paths); a base APK and its splits are
    /// one document at the base's place, as in `scan`.
    pub documents: Vec<FactsDocument>,
    /// Files found in folders that are no input (as `scan` skips them).
    pub skipped: Vec<Skipped>,
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

/// Expands the folders among `paths` as `scan` does (files that are no
/// input are skipped) and splits the files into the documents to write, the
/// Intune compliance exports and the installed-app lists to join, and reads
/// the latter into `options.compliance` and `options.app_lists`. Without an
/// Intune device list among the files the compliance exports are refused,
/// without any device list the app lists (they hold no devices); with
/// `--inventory-format`, which makes every file a device list, every file
/// is a document. A base APK and the split APKs of its package are one
/// document, grouped as by `scan` ([`crate::extract::android::loose::group`]).
pub fn facts_inputs(paths: &[PathBuf], options: &mut ExtractOptions) -> FactsInputs {
    let collected = collect_targets(paths);
    let mut out = FactsInputs {
        skipped: collected.skipped,
        ..FactsInputs::default()
    };
    let mut failed: Vec<(PathBuf, String, Option<String>)> =
        failures(collected.failures.into_iter().map(Input::Failed).collect());
    if options.inventory_format.is_some() {
        out.documents = collected
            .targets
            .into_iter()
            .map(FactsDocument::File)
            .collect();
        out.failures = failed;
        return out;
    }
    let mut documents = Vec::new();
    let mut joined = Vec::new();
    let mut lists = Vec::new();
    let mut app_list_files = Vec::new();
    for target in collected.targets {
        let path = &target.path;
        let file = |format, content| InventoryFile {
            path: path.clone(),
            format,
            from_folder: target.from_folder,
            content,
        };
        // Only regular files are looked into: a FIFO or a device would block
        // or never end here; they stay documents, which `facts` refuses as
        // `scan` does.
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        let Some(head) = regular.then(|| head(path).ok()).flatten() else {
            documents.push(target);
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
                if let Ok((format, mapping)) = resolve_format(&name, &head, None) {
                    lists.push(file(format, InventoryContent::Devices));
                    // A column mapping found in a folder beside its export
                    // is read with it, not skipped (as in `scan`).
                    if let Some(mapping) = mapping {
                        out.skipped.retain(|s| s.path != mapping);
                    }
                }
            }
            _ => {}
        }
        documents.push(target);
    }
    out.documents = group_documents(documents, options);
    if lists.is_empty() {
        for f in &app_list_files {
            let (en, de) = AppListIndex::without_devices();
            // One found in a folder is passed over, as by `scan`.
            if f.from_folder {
                out.skipped.push(Skipped::other(f.path.clone(), en));
            } else {
                failed.push((f.path.clone(), en, Some(de)));
            }
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
            if f.from_folder {
                out.skipped.push(Skipped::other(f.path, en));
            } else {
                failed.push((f.path, en, Some(de)));
            }
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

/// The documents of `files`: each file alone, except a base APK and its
/// splits, one document as in `scan` ([`read_units`]).
fn group_documents(files: Vec<Target>, options: &ExtractOptions) -> Vec<FactsDocument> {
    let (units, peeked) = read_units(&files, options);
    let path = |i: usize| files.get(i).map(|t| t.path.clone()).unwrap_or_default();
    units
        .into_iter()
        .filter_map(|unit| match unit {
            Unit::One(i) => files.get(i).cloned().map(FactsDocument::File),
            Unit::Set { base, splits } => Some(FactsDocument::SplitSet {
                base: path(base),
                splits: splits.into_iter().map(path).collect(),
            }),
            Unit::Unclear { split, bases } => Some(FactsDocument::Refused {
                path: path(split),
                error: unclear_split(&files, &peeked, split, &bases),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::android::loose::tests::write_apk;

    /// A base APK and its split in a folder are one document at the base's
    /// place, a split of another app without its base stays a document of
    /// its own (refused when written), and a file that is no input is
    /// skipped, as by `scan`.
    #[test]
    fn a_folder_groups_splits_with_their_base() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let base = write_apk(d, "a-base.apk", "com.a", None);
        let alone = write_apk(d, "b-split.apk", "com.b", Some("config.de"));
        let split = write_apk(d, "c-split.apk", "com.a", Some("config.de"));
        std::fs::write(d.join("notes.txt"), "no input\n").unwrap();
        let inputs = facts_inputs(&[d.to_path_buf()], &mut ExtractOptions::default());
        assert!(inputs.failures.is_empty(), "{:?}", inputs.failures);
        let documents: Vec<String> = inputs
            .documents
            .iter()
            .map(|doc| match doc {
                FactsDocument::File(t) => format!("file {}", t.path.display()),
                FactsDocument::SplitSet { base, splits } => format!(
                    "set {} {:?}",
                    base.display(),
                    splits
                        .iter()
                        .map(|s| s.display().to_string())
                        .collect::<Vec<_>>()
                ),
                FactsDocument::Refused { path, error } => {
                    format!("refused {}: {error}", path.display())
                }
            })
            .collect();
        assert_eq!(
            documents,
            [
                format!("set {} {:?}", base.display(), [split.display().to_string()]),
                format!("file {}", alone.display()),
            ]
        );
        let skipped: Vec<&std::path::Path> =
            inputs.skipped.iter().map(|s| s.path.as_path()).collect();
        assert_eq!(skipped, [d.join("notes.txt")]);
    }

    /// The files named are grouped too; with `--inventory-format` every
    /// file is an export, never grouped.
    #[test]
    fn named_files_group_unless_every_file_is_an_export() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let base = write_apk(d, "base.apk", "com.a", None);
        let split = write_apk(d, "split.apk", "com.a", Some("config.de"));
        let paths = [split.clone(), base.clone()];
        let inputs = facts_inputs(&paths, &mut ExtractOptions::default());
        assert!(matches!(
            inputs.documents.as_slice(),
            [FactsDocument::SplitSet { base: b, splits }] if *b == base && *splits == [split.clone()]
        ));
        let mut forced = ExtractOptions {
            inventory_format: Some("csv".into()),
            ..ExtractOptions::default()
        };
        let inputs = facts_inputs(&paths, &mut forced);
        assert!(matches!(
            inputs.documents.as_slice(),
            [FactsDocument::File(a), FactsDocument::File(b)] if a.path == split && b.path == base
        ));
    }
}
