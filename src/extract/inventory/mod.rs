//! MDM inventory exports: one adapter per format, all producing [`crate::facts::Device`].

use thiserror::Error;

use crate::extract::ExtractOptions;
use crate::facts::{FileInfo, InventoryFacts};

/// Why an inventory could not be read.
#[derive(Debug, Error)]
pub enum InventoryError {
    /// The content matches no known export format.
    #[error("not a recognised app or MDM inventory export (tried: Intune, Jamf, Workspace ONE, Android Management API, Apple MDM, CSV)")]
    Unrecognized,
}

/// Extracts the devices of an inventory export.
pub fn extract_inventory(
    file: FileInfo,
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<InventoryFacts, InventoryError> {
    let _ = (file, bytes, options);
    Err(InventoryError::Unrecognized)
}
