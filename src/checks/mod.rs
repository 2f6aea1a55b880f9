//! Checks: loading check definitions and profiles, and evaluating them over facts.
//!
//! - [`def`]: one check file (TOML) → a validated [`Check`] with compiled CEL.
//! - [`load`]: the [`CheckSet`]: built-ins embedded at build time plus `--checks DIR`.
//! - [`profile`]: which checks, weights, parameter overrides, verdict rule.
//! - [`answers`]: the auditor's attestations for manual outcomes, and their bindings.
//! - [`attest`]: what a found answer does to a result (applied, expired, other version, conflict).
//! - [`example`]: the `[[example]]`s of check files and running them (`checks --test`).
//! - [`cel`]: the CEL environment, facts → CEL values, running rules.
//! - [`evaluate`](mod@evaluate): checks × targets → the [`crate::assess::Assessment`].
//! - `rule_cache`: device checks evaluated once per distinct input.
//! - [`requirements`]: the DSK requirement catalogue (titles, levels) for `explain`.
//!
//! The formats are documented in `docs/checks.md`.

pub mod answers;
pub mod attest;
pub mod cel;
mod conflicts;
pub mod def;
pub mod error;
pub mod evaluate;
pub mod example;
pub mod fleet_messengers;
pub mod load;
pub mod open_devices;
pub mod os_status;
pub mod profile;
pub mod requirements;
mod rule_cache;
mod target_facts;
mod typed_paths;

pub use answers::{Answer, Answers};
pub use def::{Check, Decide, Rule, SourceConfidence};
pub use error::ConfigError;
pub use evaluate::{
    evaluate, failed_target, score, verdict, Evaluator, FleetBuilder, Input, InputFailure,
    InventorySource, Ordinals, Placement,
};
pub use load::{embedded_file, embedded_files, CheckSet};
pub use profile::{Profile, DEFAULT_PROFILE};
