//! Procurement and update workflows built on the assessment of a scan:
//! [`compare`] puts candidate messengers side by side, [`diff`] shows what
//! changed between two versions of an app.

pub mod attestation_diff;
pub mod compare;
pub mod diff;

use crate::assess::Outcome;

/// How bad an outcome is, for picking the worst of several (higher = worse).
pub fn badness(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::NotApplicable => 0,
        Outcome::Pass => 1,
        Outcome::Manual => 2,
        Outcome::Warn => 3,
        Outcome::Error => 4,
        Outcome::Fail => 5,
    }
}

/// The requirement area of a DSK requirement id, by its prefix.
pub fn area_of(requirement: &str) -> Area {
    match requirement.split('-').next().unwrap_or_default() {
        "APP" => Area::App,
        "COM" => Area::Communication,
        "DEV" => Area::Device,
        "PLT" => Area::Platform,
        _ => Area::Other,
    }
}

pub use crate::assess::comparison::Area;

#[cfg(test)]
mod tests;
