//! Resource limits that keep hostile input from exhausting memory or time.
//!
//! Every parser takes its bounds from [`Limits`]; a value over a bound is an
//! error naming the limit, never a silent truncation.

use serde::{Deserialize, Serialize};

/// Bounds applied while reading one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest input file read at all (bytes).
    pub max_input_size: u64,
    /// Largest inflated size of one archive entry (bytes).
    pub max_entry_size: u64,
    /// Largest inflated size summed over all entries read from one archive (bytes).
    pub max_total_inflated: u64,
    /// Largest ratio of inflated to compressed size for an entry (zip-bomb guard).
    pub max_compression_ratio: u64,
    /// Most entries an archive may list.
    pub max_entries: usize,
    /// Deepest nesting of archives inside archives (split sets: 1).
    pub max_nesting: u32,
    /// Most strings in one string pool / DEX string table.
    pub max_strings: usize,
    /// Deepest element nesting in XML / plist documents.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_input_size: 4 << 30,
            max_entry_size: 512 << 20,
            max_total_inflated: 2 << 30,
            max_compression_ratio: 1000,
            max_entries: 100_000,
            max_nesting: 2,
            max_strings: 4_000_000,
            max_depth: 256,
        }
    }
}
