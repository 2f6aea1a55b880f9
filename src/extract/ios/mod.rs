//! iOS apps (IPA), read in memory.

use thiserror::Error;

use crate::archive::Archive;
use crate::extract::ExtractOptions;
use crate::facts::{AppFacts, FileInfo};

/// Why an iOS app could not be read.
#[derive(Debug, Error)]
pub enum IosError {
    /// No `Payload/*.app/` bundle in the archive.
    #[error("no Payload/*.app bundle in the archive")]
    NoAppBundle,
}

/// Extracts the facts of an IPA.
pub fn extract_ipa(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, IosError> {
    let _ = (file, archive, options);
    Err(IosError::NoAppBundle)
}
