//! Facts read from an iOS app (IPA).

use serde::{Deserialize, Serialize};

/// Everything read from an iOS app that a check may use.
/// (Filled by the iOS extractor; fields are documented in `docs/facts.md`.)
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IosFacts {
    /// The bundle directory inside the IPA, e.g. `Payload/Signal.app`.
    pub bundle_path: String,
}
