//! Procurement and update workflows built on the assessment of a scan:
//! [`compare`] puts candidate messengers side by side, [`diff`] shows what
//! changed between two versions of an app.

pub mod compare;
pub mod diff;
pub mod render;

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

/// The four areas of the DSK paper, plus anything else.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Area {
    /// The messenger app.
    App,
    /// The communication.
    Communication,
    /// End devices.
    Device,
    /// Platform and operation.
    Platform,
    /// Not one of the four areas (organisational, extensions).
    Other,
}

impl Area {
    /// The area's title.
    pub fn title(self) -> crate::assess::Text {
        let (de, en) = match self {
            Area::App => ("Messenger-App", "Messenger app"),
            Area::Communication => ("Kommunikation", "Communication"),
            Area::Device => ("Endgeräte", "End devices"),
            Area::Platform => ("Plattform und Betrieb", "Platform and operation"),
            Area::Other => ("Sonstiges", "Other"),
        };
        crate::assess::Text {
            de: de.into(),
            en: en.into(),
        }
    }
}

#[cfg(test)]
mod tests;
