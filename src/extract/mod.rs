//! Extraction: turns an input file into [`Facts`]. Knows file formats, nothing about the DSK.

pub mod android;
pub mod inventory;
pub mod ios;
pub mod sdks;

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::archive::{Archive, ArchiveError};
use crate::detect::{classify_zip, looks_like_zip, InputKind};
use crate::facts::{Facts, FileInfo};
use crate::limits::Limits;

/// Why a file could not be turned into facts.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
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
        }
    }
}

/// Reads `path` and extracts its facts.
pub fn extract_path(path: &Path, options: &ExtractOptions) -> Result<Facts, ExtractError> {
    let meta = std::fs::metadata(path)?;
    if meta.len() > options.limits.max_input_size {
        return Err(ExtractError::TooLarge {
            size: meta.len(),
            limit: options.limits.max_input_size,
        });
    }
    let bytes = std::fs::read(path)?;
    extract_bytes(&path.display().to_string(), &bytes, options)
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
        return match classify_zip(archive.entries()) {
            InputKind::AndroidApk => Ok(Facts::App(Box::new(android::extract_apk(
                file, &archive, options,
            )?))),
            InputKind::AndroidSplitSet => Ok(Facts::App(Box::new(android::extract_split_set(
                file, &archive, options,
            )?))),
            InputKind::IosIpa => Ok(Facts::App(Box::new(ios::extract_ipa(
                file, &archive, options,
            )?))),
            _ => Err(ExtractError::UnknownZip),
        };
    }
    Ok(Facts::Inventory(Box::new(inventory::extract_inventory(
        file, bytes, options,
    )?)))
}
