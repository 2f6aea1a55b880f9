//! Extraction: turns an input file into [`Facts`]. Knows file formats, nothing about the DSK.

pub mod android;
pub mod endpoints;
pub mod file_problem;
pub mod file_problem_de;
pub mod inventory;
pub mod ios;
pub mod json_path;
pub mod kind;
pub mod problems;
pub mod sdk_data;
pub mod sdks;

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::archive::{Archive, ArchiveError, ReadAs};
use crate::detect::{classify_zip, looks_like_zip, InputKind};
use crate::facts::{Facts, FileInfo};
use crate::limits::Limits;

/// Why a file could not be turned into facts.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The path is not a regular file (a device, pipe or socket could block
    /// or never end, so it is not read).
    #[error("{NOT_REGULAR}")]
    NotRegularFile,
    /// The file is larger than the input limit.
    #[error("the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Actual size.
        size: u64,
        /// The configured limit.
        limit: u64,
    },
    /// The file is a zip but neither an APK, a split set nor an IPA.
    #[error("a zip archive, but neither an Android app (no AndroidManifest.xml, no APKs inside) nor an iOS app (no Payload/*.app/, no *.app/Info.plist)")]
    UnknownZip,
    /// The container could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The Android app could not be read.
    #[error(transparent)]
    Android(#[from] android::AndroidError),
    /// The iOS app could not be read.
    #[error(transparent)]
    Ios(#[from] ios::IosError),
    /// The inventory could not be read.
    #[error(transparent)]
    Inventory(#[from] inventory::InventoryError),
}

impl ExtractError {
    /// The archive error behind this error, whichever reader met it.
    pub fn archive_error(&self) -> Option<&ArchiveError> {
        match self {
            ExtractError::Archive(e)
            | ExtractError::Android(android::AndroidError::Archive(e))
            | ExtractError::Ios(ios::IosError::Archive(e)) => Some(e),
            _ => None,
        }
    }

    /// The archive trick behind this error, if the file was refused as
    /// tampered (see [`crate::archive::Trick`]): evidence for the report.
    pub fn trick(&self) -> Option<&crate::archive::Trick> {
        self.archive_error().and_then(ArchiveError::trick)
    }

    /// The error in English, an archive trick worded for what the archive
    /// was read as (`read_as`; the `Display` text words it for an Android app).
    pub fn english(&self, read_as: ReadAs) -> String {
        match self.archive_error() {
            // Every archive error is shown as is (`transparent`).
            Some(e) => e.message(crate::lang::Lang::En, read_as),
            None => self.to_string(),
        }
    }

    /// The error in German where the reader has a German text (archive
    /// tricks, damaged archives, a broken column-mapping or OS support data
    /// file: [`inventory::InventoryError::german`]), a trick worded for what the archive was
    /// read as (`read_as`); `None` where only the English text exists.
    pub fn message_de(&self, read_as: ReadAs) -> Option<String> {
        if let ExtractError::Inventory(e) = self {
            return e.german();
        }
        self.archive_error()
            .filter(|e| e.has_german())
            .map(|e| e.message(crate::lang::Lang::De, read_as))
    }
}

/// Options for extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Resource bounds.
    pub limits: Limits,
    /// Include bulky detail (all DEX class names) in the facts.
    pub full: bool,
    /// Force an inventory input format instead of detecting it.
    pub inventory_format: Option<String>,
    /// The SDK signature knowledge base.
    pub sdks: Arc<sdks::KnowledgeBase>,
    /// Audit date: ages (patch level, last check-in) are computed relative to it.
    pub as_of: chrono::NaiveDate,
    /// A user-supplied OS support data file replacing the built-in `checks/os-support.toml`.
    pub os_data: Option<std::path::PathBuf>,
    /// Key for pseudonymizing personal data in inventories (keyed hash); a
    /// built-in per-installation default is used when `None`.
    pub pseudonym_key: Option<String>,
    /// Show personal identifiers in clear instead of pseudonyms.
    pub reveal_identities: bool,
    /// Intune compliance exports read before the device lists: joined to
    /// Intune devices by device id (`extract::inventory::compliance_join`).
    pub compliance: Option<Arc<inventory::intune_compliance::ComplianceIndex>>,
    /// Apple MDM installed-app lists read before the device lists: joined
    /// to devices by UDID (`extract::inventory::app_lists`).
    pub app_lists: Option<Arc<inventory::app_lists::AppListIndex>>,
    /// The newest Android security patch level the scan's device exports
    /// report (not after the audit date), surveyed before they stream: the
    /// floor of the newest known level (`os_support::OsData::fleet_patch_level`).
    pub android_patch_floor: Option<chrono::NaiveDate>,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            limits: Limits::default(),
            full: false,
            inventory_format: None,
            sdks: Arc::new(sdks::KnowledgeBase::builtin()),
            as_of: chrono::Local::now().date_naive(),
            os_data: None,
            pseudonym_key: None,
            reveal_identities: false,
            compliance: None,
            app_lists: None,
            android_patch_floor: None,
        }
    }
}

/// Why a path that is not a regular file is not read.
pub const NOT_REGULAR: &str =
    "not a regular file (devices, pipes and sockets are not read: they could block or never end)";

/// Checks, before anything is read, that `path` is a regular file (following
/// symbolic links) within the input size limit; returns its size. `scan`,
/// `facts` and the library share this check.
pub fn check_input_file(path: &Path, limits: &Limits) -> Result<u64, ExtractError> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ExtractError::NotRegularFile);
    }
    if meta.len() > limits.max_input_size {
        return Err(ExtractError::TooLarge {
            size: meta.len(),
            limit: limits.max_input_size,
        });
    }
    Ok(meta.len())
}

/// Reads `path` and extracts its facts. An app archive is read in place
/// (see [`extract_zip_path`]); an inventory is read whole.
pub fn extract_path(path: &Path, options: &ExtractOptions) -> Result<Facts, ExtractError> {
    check_input_file(path, &options.limits)?;
    let name = path.display().to_string();
    if options.inventory_format.is_none() && file_looks_like_zip(path)? {
        return extract_zip_path(&name, path, options);
    }
    let bytes = std::fs::read(path)?;
    extract_bytes(&name, &bytes, options)
}

/// Extracts the facts of the app archive at `path` (`name` for display)
/// without reading it into memory: its directory and the entries that carry
/// facts are read with positioned reads ([`Archive::open`]) while a second
/// thread hashes the file as a stream (only the facts' `file.sha256` needs
/// the hash, so the two overlap). Memory stays bounded by the in-flight
/// budget whatever the file's size.
pub fn extract_zip_path(
    name: &str,
    path: &Path,
    options: &ExtractOptions,
) -> Result<Facts, ExtractError> {
    check_input_file(path, &options.limits)?;
    let (hashed, facts) = std::thread::scope(|s| {
        let hashing = s.spawn(|| file_info_streamed(name, path));
        // The app's decoded values share the scan's working memory with the
        // other apps read at the same time; when it is full, the app is read
        // again once it can hold its whole share (same facts, later).
        let (facts, _again) =
            crate::archive::working::run_target(options.limits.working_pool(), || {
                let f = std::fs::File::open(path)?;
                let len = f.metadata()?.len();
                let archive = Archive::open(f, len, options.limits)?;
                // Replaced by the hashed description below; the readers use
                // only its path.
                let pending = FileInfo {
                    path: name.to_string(),
                    sha256: String::new(),
                    size: len,
                };
                extract_archive(pending, &archive, options)
            });
        let hashed = hashing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (hashed, facts)
    });
    // A file that cannot be read fails as the hash found it, as before.
    let file = hashed?;
    let mut facts = facts?;
    match &mut facts {
        Facts::App(app) => app.file = file,
        Facts::Inventory(inventory) => inventory.file = file,
    }
    Ok(facts)
}

/// Extracts the facts of a base APK and its split APKs given as loose files
/// (`base` first; grouped by [`android::loose::group`]): one app, merged as
/// a `.apks` split set is merged, its file the base's, and every member's
/// path, size and SHA-256 in `android.apk_files`. Each member is named in
/// the set (`android.apks`, evidence) by its file name, or by its path as
/// given when two members share a file name.
pub fn extract_split_files(
    base: &Path,
    splits: &[&Path],
    options: &ExtractOptions,
) -> Result<Facts, ExtractError> {
    let paths: Vec<&Path> = std::iter::once(base)
        .chain(splits.iter().copied())
        .collect();
    let mut files = Vec::with_capacity(paths.len());
    for path in &paths {
        check_input_file(path, &options.limits)?;
        files.push(file_info_streamed(&path.display().to_string(), path)?);
    }
    let file_name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let shared = |p: &Path| {
        paths
            .iter()
            .filter(|q| file_name(q) == file_name(p))
            .count()
            > 1
    };
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            if shared(p) {
                p.display().to_string()
            } else {
                file_name(p)
            }
        })
        .collect();
    let members: Vec<android::loose::LooseApk<'_>> = names
        .iter()
        .zip(&paths)
        .map(|(name, path)| android::loose::LooseApk { name, path })
        .collect();
    let (facts, _again) =
        crate::archive::working::run_target(options.limits.working_pool(), || {
            android::extract_loose_set(&members, files.clone(), options)
        });
    Ok(Facts::App(Box::new(facts?)))
}

/// Why `write_facts_path` failed.
#[derive(Debug, Error)]
pub enum FactsWriteError {
    /// The input could not be read. When `started` (an inventory read as a
    /// stream), the beginning of its document was written and then closed
    /// as valid JSON with the error as its last warning.
    #[error("{error}")]
    Input {
        /// What went wrong.
        error: ExtractError,
        /// Whether part of the file's document was written.
        started: bool,
    },
    /// The output could not be written.
    #[error("cannot write the facts: {0}")]
    Output(std::io::Error),
}

/// Buffer size for reading inventories from files.
pub const READ_BUF: usize = 256 * 1024;

/// Writes the facts of the file at `path` as pretty JSON to `out`, preceded
/// by `separator` when a document is written. An inventory export is read
/// as a stream and its devices are written as they are read, so memory does
/// not grow with the fleet (the file is read twice: first for its SHA-256,
/// which comes before the devices); an app is extracted whole. The output is
/// the same as `serde_json::to_writer_pretty` of [`extract_path`]'s facts.
/// Returns the app's entries that carry facts but could not be read (also
/// in the facts written), for the caller to report.
pub fn write_facts_path(
    path: &Path,
    options: &ExtractOptions,
    separator: &[u8],
    out: &mut dyn std::io::Write,
) -> Result<Vec<crate::facts::Unread>, FactsWriteError> {
    let input = |error: ExtractError| FactsWriteError::Input {
        error,
        started: false,
    };
    check_input_file(path, &options.limits).map_err(input)?;
    let inventory = options.inventory_format.is_some()
        || !file_looks_like_zip(path).map_err(|e| input(e.into()))?;
    if !inventory {
        return write_app_facts(extract_path(path, options), separator, out);
    }
    let name = path.display().to_string();
    let file = file_info_streamed(&name, path).map_err(|e| input(e.into()))?;
    let f = std::fs::File::open(path).map_err(|e| input(e.into()))?;
    let mut reader = std::io::BufReader::with_capacity(READ_BUF, f);
    match inventory::write::write_facts(&file, &mut reader, options, separator, out) {
        Ok(_) => Ok(Vec::new()),
        Err(inventory::write::WriteError::Inventory { error, started }) => {
            Err(FactsWriteError::Input {
                error: error.into(),
                started,
            })
        }
        Err(inventory::write::WriteError::Output(e)) => Err(FactsWriteError::Output(e)),
    }
}

/// Writes the facts of a base APK and its split APKs given as loose files
/// as one document ([`extract_split_files`]), as [`write_facts_path`]
/// writes an app's.
pub fn write_split_files_facts(
    base: &Path,
    splits: &[&Path],
    options: &ExtractOptions,
    separator: &[u8],
    out: &mut dyn std::io::Write,
) -> Result<Vec<crate::facts::Unread>, FactsWriteError> {
    write_app_facts(extract_split_files(base, splits, options), separator, out)
}

/// Writes extracted app facts (preceded by `separator`) and returns their
/// unread entries.
fn write_app_facts(
    facts: Result<Facts, ExtractError>,
    separator: &[u8],
    out: &mut dyn std::io::Write,
) -> Result<Vec<crate::facts::Unread>, FactsWriteError> {
    let facts = facts.map_err(|error| FactsWriteError::Input {
        error,
        started: false,
    })?;
    out.write_all(separator)
        .and_then(|()| serde_json::to_writer_pretty(&mut *out, &facts).map_err(Into::into))
        .map_err(FactsWriteError::Output)?;
    Ok(match facts {
        Facts::App(app) => app.unread,
        Facts::Inventory(_) => Vec::new(),
    })
}

/// Whether the file at `path` is a zip (see [`looks_like_zip`]), reading only
/// its first bytes and its last 64 KiB (where the end of central directory is).
pub fn file_looks_like_zip(path: &Path) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let mut start = Vec::new();
    (&mut f).take(4).read_to_end(&mut start)?;
    if looks_like_zip(&start) {
        return Ok(true);
    }
    let len = f.seek(SeekFrom::End(0))?;
    let tail_len = len.min(22 + 65_535);
    f.seek(SeekFrom::Start(len.saturating_sub(tail_len)))?;
    let mut tail = Vec::new();
    f.take(tail_len).read_to_end(&mut tail)?;
    Ok(crate::detect::find_eocd(&tail).is_some())
}

/// Bytes of a zip that could not be read, to guess its kind from the names
/// they hold: the whole file up to [`SNIFF_LIMIT`], else its last
/// `SNIFF_LIMIT` bytes (where the central directory is), so a refused
/// archive is never read whole. Empty when the file cannot be read.
pub fn zip_sniff(path: &Path) -> Vec<u8> {
    use std::io::{Read, Seek, SeekFrom};
    let read = || -> std::io::Result<Vec<u8>> {
        let mut f = std::fs::File::open(path)?;
        let len = f.seek(SeekFrom::End(0))?;
        f.seek(SeekFrom::Start(len.saturating_sub(SNIFF_LIMIT)))?;
        let mut out = Vec::new();
        f.take(SNIFF_LIMIT).read_to_end(&mut out)?;
        Ok(out)
    };
    read().unwrap_or_default()
}

/// Most bytes [`zip_sniff`] reads.
pub const SNIFF_LIMIT: u64 = 64 << 20;

/// Describes the file at `path` like [`file_info`], hashing it as a stream.
pub fn file_info_streamed(name: &str, path: &Path) -> std::io::Result<FileInfo> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; READ_BUF];
    let mut size = 0u64;
    loop {
        let n = match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(buf.get(..n).unwrap_or_default());
        size = size.saturating_add(n as u64);
    }
    Ok(FileInfo {
        path: name.to_string(),
        sha256: hex::encode(hasher.finalize()),
        size,
    })
}

/// Describes a file: path as given, SHA-256 and size.
pub fn file_info(path: &str, bytes: &[u8]) -> FileInfo {
    FileInfo {
        path: path.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        size: bytes.len() as u64,
    }
}

/// Extracts facts from the bytes of a file; `path` is used for display only.
pub fn extract_bytes(
    path: &str,
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<Facts, ExtractError> {
    let file = file_info(path, bytes);
    if options.inventory_format.is_none() && looks_like_zip(bytes) {
        let archive = Archive::new(bytes, options.limits)?;
        return extract_archive(file, &archive, options);
    }
    Ok(Facts::Inventory(Box::new(inventory::extract_inventory(
        file, bytes, options,
    )?)))
}

/// Extracts the facts of an opened app archive, by its kind.
fn extract_archive(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<Facts, ExtractError> {
    match classify_zip(archive.entries()) {
        InputKind::AndroidApk => Ok(Facts::App(Box::new(android::extract_apk(
            file, archive, options,
        )?))),
        InputKind::AndroidSplitSet => Ok(Facts::App(Box::new(android::extract_split_set(
            file, archive, options,
        )?))),
        InputKind::IosIpa => Ok(Facts::App(Box::new(ios::extract_ipa(
            file, archive, options,
        )?))),
        _ => Err(ExtractError::UnknownZip),
    }
}
