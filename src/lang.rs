//! The languages msgaudit writes in (a leaf every stage may use: archive
//! tricks, extraction errors and reports all have English and German texts).

use serde::{Deserialize, Serialize};

/// Report language.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Deutsch.
    De,
    /// English.
    #[default]
    En,
}
