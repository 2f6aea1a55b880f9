//! AndroidManifest.xml → manifest facts.

use thiserror::Error;

/// Why the manifest could not be read.
#[derive(Debug, Error)]
pub enum ManifestError {
    /// The entry is missing.
    #[error("missing")]
    Missing,
}
