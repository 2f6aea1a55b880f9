//! Reads the collected files: apps and facts documents are extracted (in
//! parallel) and each app is assessed as soon as it is read; inventory
//! exports are only recognised here and streamed later.

use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::collect::{Skipped, Target};
use super::stream::{InventoryContent, InventoryFile};
use super::Observer;
use crate::archive::{working, ReadAs};
use crate::assess::TargetAssessment;
use crate::checks::{Input, InputFailure};
use crate::detect::{
    classify_zip, facts_document_kind, looks_like_app_name, looks_like_zip, starts_like_json,
    FactsDocKind, InputKind,
};
use crate::extract::android::loose::{self, Unit};
use crate::extract::android::AndroidError;
use crate::extract::inventory::app_lists::is_app_list;
use crate::extract::inventory::{resolve_format, Format, InventoryError, HEAD_BYTES};
use crate::extract::kind::{detect, Kind};
use crate::extract::{check_input_file, extract_split_files, extract_zip_path};
use crate::extract::{file_info_streamed, ExtractError, ExtractOptions};
use crate::extract::{file_looks_like_zip, zip_sniff};
use crate::facts::{Facts, FileInfo, InventoryFacts, TargetKind, UnreadKind};
use crate::limits::Limits;

/// What reading a file gave, in the report's order: an input still to be
/// assessed (a failure, an inventory's facts), or an app assessed right
/// after it was read.
pub(super) enum Item {
    /// To be assessed (or streamed into the fleet) later.
    Input(Input),
    /// An app assessed as soon as it was read, its facts kept compactly
    /// ([`crate::assess::KeptFacts`]); an error when they could not be kept.
    Assessed(Box<std::io::Result<TargetAssessment>>),
}

/// Assesses one app input and keeps its facts for the report (see
/// `pipeline::run`); called on the reading threads.
pub(super) type AssessApp<'a> = dyn Fn(&Input) -> std::io::Result<TargetAssessment> + Sync + 'a;

/// Reads every file: apps and facts documents are extracted (in parallel)
/// and each app is assessed by `assess` on the thread that read it, so its
/// facts are dropped before the next file is read and the facts of all apps
/// are never held at once; inventory exports are only recognised here and
/// streamed later. Files from folders that are none of these are added to
/// `skipped`.
pub(super) fn read_all(
    files: &[Target],
    options: &ExtractOptions,
    assess: &AssessApp,
    skipped: &mut Vec<Skipped>,
    observer: &dyn Observer,
) -> (Vec<Item>, Vec<InventoryFile>) {
    observer.reading(files.len());
    let (units, peeked) = read_units(files, options);
    let per_file: Vec<Loaded> = units
        .par_iter()
        .map(|unit| match unit {
            Unit::One(i) => {
                let t = &files[*i];
                let loaded = read_one(&t.path, t.from_folder, options, assess);
                observer.file_read(&t.path);
                loaded
            }
            Unit::Set { base, splits } => {
                let splits: Vec<&Path> = splits.iter().map(|&j| files[j].path.as_path()).collect();
                let loaded = read_split_files(&files[*base].path, &splits, options, assess);
                observer.file_read(&files[*base].path);
                for split in splits {
                    observer.file_read(split);
                }
                loaded
            }
            Unit::Unclear { split, bases } => {
                let t = &files[*split];
                let e = unclear_split(files, &peeked, *split, bases);
                observer.file_read(&t.path);
                android_failure(&t.path, &e, options)
            }
        })
        .collect();
    observer.reading_done();
    let mut inputs = Vec::new();
    let mut inventories = Vec::new();
    for loaded in per_file {
        match loaded {
            Loaded::Inputs(v) => inputs.extend(v),
            Loaded::Inventory(inv) => inventories.push(inv),
            Loaded::Skipped(s) => skipped.push(s),
        }
    }
    (inputs, inventories)
}

/// Why the split APK `split` of `files` is refused: several base APKs of
/// its app among `files` (`bases`), and not one of them alone in its folder
/// ([`Unit::Unclear`]).
pub(super) fn unclear_split(
    files: &[Target],
    peeked: &[loose::Peeked],
    split: usize,
    bases: &[usize],
) -> ExtractError {
    let identity = peeked
        .get(split)
        .and_then(|p| p.identity.clone())
        .unwrap_or_default();
    ExtractError::Android(AndroidError::SplitOfSeveralBases {
        split: identity.split.unwrap_or_default(),
        package: identity.package.unwrap_or_default(),
        bases: bases
            .iter()
            .filter_map(|&b| files.get(b))
            .map(|f| f.path.display().to_string())
            .collect(),
    })
}

/// How the files are read: each alone, except a base APK and the split APKs
/// of its package among them, read together as one app as Android installs
/// them ([`loose::group`]); and what grouping saw of each file. Grouping
/// reads the manifest of every APK among two or more files; a single file
/// is read alone (a split alone is refused when read), and
/// `--inventory-format` makes every file an export.
pub(super) fn read_units(
    files: &[Target],
    options: &ExtractOptions,
) -> (Vec<Unit>, Vec<loose::Peeked>) {
    if files.len() < 2 || options.inventory_format.is_some() {
        return ((0..files.len()).map(Unit::One).collect(), Vec::new());
    }
    let peeked: Vec<loose::Peeked> = files
        .par_iter()
        .map(|t| loose::Peeked {
            identity: check_input_file(&t.path, &options.limits)
                .ok()
                .filter(|_| file_looks_like_zip(&t.path).unwrap_or(false))
                .and_then(|_| loose::identify(&t.path, &options.limits)),
            folder: t.path.parent().map(Path::to_path_buf).unwrap_or_default(),
        })
        .collect();
    (loose::group(&peeked), peeked)
}

/// Reads a base APK and its splits as one app ([`extract_split_files`]) and
/// assesses it; a set that cannot be read is an error row named by its base.
fn read_split_files(
    base: &Path,
    splits: &[&Path],
    options: &ExtractOptions,
    assess: &AssessApp,
) -> Loaded {
    let (read, _again) = working::run_target(options.limits.working_pool(), || {
        extract_split_files(base, splits, options).map(|facts| {
            let input = Input::Facts(facts);
            if working::abandoned() {
                Item::Input(input)
            } else {
                Item::Assessed(Box::new(assess(&input)))
            }
        })
    });
    match read {
        Ok(item) => Loaded::Inputs(vec![item]),
        Err(e) => android_failure(base, &e, options),
    }
}

/// The error row of the Android app at `path` that `e` refused.
fn android_failure(path: &Path, e: &ExtractError, options: &ExtractOptions) -> Loaded {
    Loaded::Inputs(vec![Item::Input(Input::Failed(InputFailure {
        path: path.display().to_string(),
        kind: TargetKind::Android,
        reason: e.english(ReadAs::Android),
        cause: e.unread_kind(),
        reason_de: e.message_de(ReadAs::Android),
        unused_app_list: None,
        file: failure_file(path, &options.limits),
    }))])
}

/// What a file turned out to be.
enum Loaded {
    /// Assessed apps, facts documents, or why the file could not be read.
    Inputs(Vec<Item>),
    /// An inventory export, to be streamed.
    Inventory(InventoryFile),
    /// A file from a folder that is neither an app, an inventory nor facts.
    Skipped(Skipped),
}

/// Largest JSON file checked in full for being a facts document when its
/// beginning does not say so (larger ones must start with `"kind"`).
const FACTS_SNIFF_LIMIT: u64 = 4 << 20;

/// The size and SHA-256 of a file that could not be read as an app or an
/// export, for the report's list of files (an unreadable file is evidence
/// too: a crafted APK is named by its hash). The hash is taken for files up
/// to `--max-input-size` (streamed, in bounded memory); a larger file has
/// its size only, and a file that cannot be opened none.
pub(super) fn failure_file(path: &Path, limits: &Limits) -> Option<FileInfo> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    if meta.len() > limits.max_input_size {
        return Some(FileInfo {
            path: name,
            size: meta.len(),
            sha256: String::new(),
        });
    }
    file_info_streamed(&name, path).ok()
}

/// Reads one file: an app (extracted), a facts JSON document (or an array of
/// them), else an inventory export (recognised by its first bytes, streamed
/// later). A file found in a folder that is neither is skipped — unless it is
/// named like an app: then it is an error, as is any zip that cannot be read.
fn read_one(
    path: &Path,
    from_folder: bool,
    options: &ExtractOptions,
    assess: &AssessApp,
) -> Loaded {
    let name = path.display().to_string();
    let failed_as = |kind: TargetKind, reason: String, cause: Option<UnreadKind>, reason_de| {
        Loaded::Inputs(vec![Item::Input(Input::Failed(InputFailure {
            path: name.clone(),
            kind,
            reason,
            cause,
            reason_de,
            unused_app_list: None,
            file: failure_file(path, &options.limits),
        }))])
    };
    let failed = |kind: TargetKind, reason: String| failed_as(kind, reason, None, None);
    // A trick is worded for the kind the error row takes.
    let extract_failed = |kind: TargetKind, e: &ExtractError| {
        let read_as = read_as_of(kind);
        failed_as(
            kind,
            e.english(read_as),
            e.unread_kind(),
            e.message_de(read_as),
        )
    };
    let skip = |reason: String| {
        // Only ever for a file whose content is none of the inputs.
        Loaded::Skipped(Skipped::unrecognized(path.to_path_buf(), reason))
    };
    let named = looks_like_app_name(path);
    let size = match check_input_file(path, &options.limits) {
        Ok(size) => size,
        Err(e) => return extract_failed(kind_by_name(path), &e),
    };
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => return failed(kind_by_name(path), format!("cannot read the file: {e}")),
    };
    let forced = options.inventory_format.is_some();
    // What the head says; `--inventory-format` makes any file an export.
    let kind = detect(&head, &name);
    // A zip by its first bytes or by an end record at its end (data may precede an APK).
    let zip = !forced && (kind == Kind::Zip || file_looks_like_zip(path).unwrap_or(false));
    // An empty file holds nothing to detect: it is what its name says (an
    // app by its extension, given or found in a folder), never an export.
    if !forced && size == 0 && (named || !from_folder) {
        return failed_as(
            kind_by_name(path),
            "the file is empty (0 bytes)".to_string(),
            None,
            Some("Die Datei ist leer (0 Byte)".to_string()),
        );
    }
    // Named like an app but no zip: an app that cannot be read, as Android
    // and iOS would read it — whether named on the command line or found
    // in a folder; never an inventory export.
    if !forced && named && !zip {
        return failed(
            kind_by_name(path),
            "named like an app (.apk, .apks, .xapk, .ipa) but not a zip archive".to_string(),
        );
    }
    if zip {
        // Read in place, never whole (bounded memory whatever the size), and
        // assessed in the same scope of the working-memory pool: the app's
        // share (its plists' decoded bytes) is held until its facts are
        // evaluated and dropped, so the pool also bounds the facts of the
        // apps in flight. An attempt abandoned for want of pool is thrown
        // away and run again whole (`working::run_target`): same facts,
        // same assessment.
        let (read, _again) = working::run_target(options.limits.working_pool(), || {
            extract_zip_path(&name, path, options).map(|facts| {
                let input = Input::Facts(facts);
                if working::abandoned() || matches!(input, Input::Facts(Facts::Inventory(_))) {
                    Item::Input(input)
                } else {
                    Item::Assessed(Box::new(assess(&input)))
                }
            })
        });
        return match read {
            Ok(item) => Loaded::Inputs(vec![item]),
            Err(e) => match passed_over(path, from_folder, &e) {
                Some(skipped) => Loaded::Skipped(skipped),
                None => extract_failed(guess_refused_kind(path, options), &e),
            },
        };
    }
    // Facts whose first key is not `"kind"` are recognised when read whole.
    if kind == Kind::Facts || (size <= FACTS_SNIFF_LIMIT && starts_like_json(&head)) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return failed(kind_by_name(path), format!("cannot read the file: {e}")),
        };
        if let Some(inputs) = facts_json(&bytes) {
            drop(bytes);
            let items = inputs
                .into_iter()
                .map(|input| match input {
                    Input::AppJson(_) => Item::Assessed(Box::new(assess(&input))),
                    other => Item::Input(other),
                })
                .collect();
            return Loaded::Inputs(items);
        }
    }
    // An Intune compliance export or an Apple MDM app list is joined to the
    // devices of other files; what a file holds is decided here, once.
    let content = match kind {
        _ if forced => InventoryContent::Devices,
        Kind::Compliance(k) => InventoryContent::Compliance(k),
        _ if is_app_list(kind, &head) => InventoryContent::AppList,
        _ => InventoryContent::Devices,
    };
    let file = |format| {
        Loaded::Inventory(InventoryFile {
            path: path.to_path_buf(),
            format,
            from_folder,
            content,
        })
    };
    match resolve_format(&name, &head, options.inventory_format.as_deref()) {
        Ok((format, _)) => file(format),
        Err(_) if matches!(content, InventoryContent::Compliance(_)) => file(Format::IntuneGraph),
        // A Workspace ONE app list is no device export of a known format.
        Err(_) if content == InventoryContent::AppList => file(Format::WorkspaceOne),
        Err(e @ (InventoryError::Unrecognized | InventoryError::NotDevices(_))) if from_folder => {
            skip(e.to_string())
        }
        Err(e) => failed(
            TargetKind::Inventory,
            ExtractError::Inventory(e).to_string(),
        ),
    }
}

/// A file found in a folder (`from_folder`) that `error` shows to be no
/// input, passed over rather than an error: a zip that is no app (unless
/// named like one), a file of no known export or an export of something
/// else than devices. `None` for a file named on the command line and for
/// any other error.
pub(crate) fn passed_over(path: &Path, from_folder: bool, error: &ExtractError) -> Option<Skipped> {
    let no_input = match error {
        ExtractError::UnknownZip => !looks_like_app_name(path),
        ExtractError::Inventory(InventoryError::Unrecognized | InventoryError::NotDevices(_)) => {
            true
        }
        _ => false,
    };
    (from_folder && no_input).then(|| Skipped::unrecognized(path.to_path_buf(), error.to_string()))
}

/// The kind of a file that could not be read, as far as its name says: an
/// app by its extension (`.apk`, `.apks`, `.xapk` Android, `.ipa` iOS), an
/// inventory by an export's extension (`.csv`, `.xml`, `.plist`, `.jsonl`);
/// else [`TargetKind::Unknown`] (a device, a pipe, a `.json` that could be
/// an export or a facts document): never a guess. A path that does not
/// exist is [`TargetKind::Unknown`] whatever its name: `missing.apk` holds
/// no app, and reports call it „Datei nicht gefunden“ / "File not
/// found" ([`crate::assess::TargetAssessment::file_not_found`]).
pub(super) fn kind_by_name(path: &Path) -> TargetKind {
    if std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound) {
        return TargetKind::Unknown;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("ipa") => TargetKind::Ios,
        Some("apk" | "apks" | "xapk") => TargetKind::Android,
        Some("csv" | "xml" | "plist" | "jsonl") => TargetKind::Inventory,
        _ => TargetKind::Unknown,
    }
}

/// What an archive of `kind` was read as, for the wording of its trick.
fn read_as_of(kind: TargetKind) -> ReadAs {
    match kind {
        TargetKind::Android => ReadAs::Android,
        TargetKind::Ios => ReadAs::Ios,
        TargetKind::Device | TargetKind::Inventory | TargetKind::Unknown => ReadAs::Unknown,
    }
}

/// What the archive at `path` that `error` refused was read as: the kind
/// `scan` gives its error row ([`guess_refused_kind`]), guessed only when
/// `error` names a trick (other errors are worded the same for every kind).
pub(crate) fn refused_read_as(
    path: &Path,
    error: &ExtractError,
    options: &ExtractOptions,
) -> ReadAs {
    if error.trick().is_none() {
        return ReadAs::Unknown;
    }
    read_as_of(guess_refused_kind(path, options))
}

/// The first [`HEAD_BYTES`] of a file (fewer when it is shorter).
pub(super) fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// The kind of a refused archive, for its error row: guessed from up to
/// [`crate::extract::SNIFF_LIMIT`] bytes of its end. One guess at a time in
/// the whole process, so that refused archives read on many threads at once
/// hold that much memory once, not once per thread (docs/hardening.md);
/// refusals are rare, and the guess changes no result.
fn guess_refused_kind(path: &Path, options: &ExtractOptions) -> TargetKind {
    static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    guess_kind(&zip_sniff(path), options, path)
}

/// [`guess_refused_kind`] from the archive's bytes; a zip that is no app
/// takes the kind its name says ([`kind_by_name`]).
fn guess_kind(bytes: &[u8], options: &ExtractOptions, path: &Path) -> TargetKind {
    if options.inventory_format.is_some() || !looks_like_zip(bytes) {
        return TargetKind::Inventory;
    }
    match crate::archive::Archive::new(bytes, options.limits).map(|a| classify_zip(a.entries())) {
        Ok(InputKind::IosIpa) => TargetKind::Ios,
        Ok(InputKind::AndroidApk | InputKind::AndroidSplitSet) => TargetKind::Android,
        Ok(InputKind::OtherZip | InputKind::NotZip) => kind_by_name(path),
        // A refused archive has no trusted entry list: a best guess from the
        // names stored in its bytes, for the error row's kind only.
        Err(_) => {
            let holds = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
            if holds(b"Payload/") && !holds(b"AndroidManifest.xml") {
                TargetKind::Ios
            } else {
                TargetKind::Android
            }
        }
    }
}

/// Facts produced by `msgaudit facts` (one document or an array): detected by content.
pub(crate) fn facts_json(bytes: &[u8]) -> Option<Vec<Input>> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    if !matches!(first, b'{' | b'[') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let docs = match value {
        serde_json::Value::Array(items)
            if !items.is_empty() && items.iter().all(|d| facts_document_kind(d).is_some()) =>
        {
            items
        }
        doc @ serde_json::Value::Object(_) if facts_document_kind(&doc).is_some() => {
            vec![doc]
        }
        _ => return None,
    };
    Some(
        docs.into_iter()
            .map(|doc| {
                if facts_document_kind(&doc) == Some(FactsDocKind::App) {
                    Input::AppJson(doc)
                } else {
                    let path = doc
                        .pointer("/file/path")
                        .and_then(|p| p.as_str())
                        .unwrap_or("facts JSON")
                        .to_string();
                    match serde_json::from_value::<InventoryFacts>(doc) {
                        Ok(inv) => Input::Facts(Facts::Inventory(Box::new(inv))),
                        Err(e) => Input::Failed(InputFailure {
                            path,
                            kind: TargetKind::Inventory,
                            reason: format!(
                                "the inventory facts JSON does not match the facts format: {e}"
                            ),
                            cause: None,
                            reason_de: None,
                            unused_app_list: None,
                            file: None,
                        }),
                    }
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_facts_documents() {
        assert!(facts_json(br#"{"kind": "android", "file": {}}"#).is_some());
        assert!(facts_json(br#"[{"kind": "ios", "app": {}}]"#).is_some());
        assert!(facts_json(br#"{"kind": "device"}"#).is_none());
        assert!(facts_json(br#"{"value": [{"id": "1"}]}"#).is_none());
    }

    /// A path that does not exist is of unknown kind whatever its name; a
    /// file that exists keeps the kind its name says.
    #[test]
    fn a_missing_file_is_of_unknown_kind() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["missing.apk", "missing.ipa", "missing.csv", "missing"] {
            assert_eq!(
                kind_by_name(&dir.path().join(name)),
                TargetKind::Unknown,
                "{name}"
            );
        }
        let present = dir.path().join("present.apk");
        std::fs::write(&present, b"x").unwrap();
        assert_eq!(kind_by_name(&present), TargetKind::Android);
    }
}
