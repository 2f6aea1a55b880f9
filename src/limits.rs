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
    /// Most bytes one property list may decode to: strings, data and keys,
    /// plus a fixed cost per value. A value referenced many times (binary
    /// plists share objects) counts each time it is referenced, so reference
    /// amplification is refused after this many bytes, not after the machine's
    /// memory.
    #[serde(default = "default_plist_decoded")]
    pub max_plist_decoded: u64,
    /// Largest inventory record, in bytes of the export: one JSON record (or
    /// top-level value that is not a page), one CSV row (the header row too),
    /// one XML record. Checked while streaming, before the record is buffered.
    #[serde(default = "default_record_size")]
    pub max_record_size: u64,
    /// Most decoded bytes of archive entries held at the same time by the
    /// whole process (all targets, all threads): every inflated entry holds
    /// its bytes on this budget until it is dropped. An entry that cannot
    /// fit is refused as a limit (see `archive::budget`).
    #[serde(default = "default_inflight")]
    pub max_inflight: u64,
}

/// Default of [`Limits::max_inflight`]: 512 MiB, one entry of the default
/// `max_entry_size`.
pub const DEFAULT_INFLIGHT: u64 = 512 << 20;

fn default_inflight() -> u64 {
    DEFAULT_INFLIGHT
}

/// Default of [`Limits::max_plist_decoded`]: 64 MiB.
pub const DEFAULT_PLIST_DECODED: u64 = 64 << 20;

/// Default of [`Limits::max_record_size`]: 8 MiB.
pub const DEFAULT_RECORD_SIZE: u64 = 8 << 20;

fn default_plist_decoded() -> u64 {
    DEFAULT_PLIST_DECODED
}

fn default_record_size() -> u64 {
    DEFAULT_RECORD_SIZE
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
            max_plist_decoded: DEFAULT_PLIST_DECODED,
            max_record_size: DEFAULT_RECORD_SIZE,
            max_inflight: DEFAULT_INFLIGHT,
        }
    }
}

impl Limits {
    /// The scan's working memory for decoded property lists, in charged
    /// bytes (see `Limits::max_plist_decoded`): twice `max_plist_decoded`.
    /// All apps read at the same time share it, whatever the number of
    /// threads, and it is also the most one app's property lists may decode
    /// to together (`archive::working`).
    pub fn working_pool(&self) -> u64 {
        self.max_plist_decoded.saturating_mul(2)
    }
}

/// Most devices read from one inventory export; the rest are skipped with a warning.
pub const MAX_DEVICES: usize = 1_000_000;

/// Most warnings kept per inventory export; further ones are counted.
pub const MAX_WARNINGS: usize = 1_000;
