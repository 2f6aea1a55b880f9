//! What a crash-reporting or analytics SDK is set to send.
//!
//! The switch table `checks/sdk-switches.toml` (data, format in `docs/sdks.md`
//! "Data categories") lists per SDK and platform the documented manifest
//! `<meta-data>` / Info.plist switches, the data category each controls, how
//! the SDK reads it and its documented default. [`SwitchTable::categories`]
//! reads an app's switches the way the SDK does and returns one
//! [`DataCategory`] per switch: a switch that is absent means the documented
//! default applies (and says so); a value that cannot be read is `unknown`.

mod read;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde::Deserialize;

use super::sdks::Platform;
use crate::facts::{DataCategory, MetaValue};

/// The built-in switch table, embedded at build time.
pub const BUILTIN_TOML: &str = include_str!("../../../checks/sdk-switches.toml");

/// Largest switch-table file accepted (bytes).
pub const MAX_TABLE_SIZE: usize = 1024 * 1024;

/// A broken switch table.
#[derive(Debug, thiserror::Error)]
pub enum SdkSwitchError {
    /// The file is larger than [`MAX_TABLE_SIZE`].
    #[error(
        "the SDK switch table {source_name} is {size} bytes, more than the limit of {limit} bytes"
    )]
    TooLarge {
        /// File name.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not valid TOML, or not the format.
    #[error("the SDK switch table {source_name} is not valid: {message}")]
    Parse {
        /// File name.
        source_name: String,
        /// The parser's message (with line and column).
        message: String,
    },
    /// An entry breaks a rule of the format.
    #[error("the SDK switch table {source_name}, {entry}: {problem}")]
    Invalid {
        /// File name.
        source_name: String,
        /// The entry (`category x`, `switch sdk/platform/key`).
        entry: String,
        /// What is wrong.
        problem: String,
    },
}

/// How an SDK reads a switch (see `docs/sdks.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwitchRead {
    /// Android `Bundle.getBoolean(key, default)`: another type → the default.
    Bool,
    /// Android `containsKey` + `Bundle.getBoolean(key)`: another type → false.
    BoolStrict,
    /// iOS `boolValue` of the Info.plist value.
    BoolObjc,
    /// A sample rate 0.0–1.0: > 0 on, 0 off.
    Rate,
    /// Android `"1".equals(String.valueOf(bundle.get(key)))` (CleverTap): true
    /// only for the integer or string 1.
    StringOne,
}

/// The documented default of a switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SwitchDefault {
    /// Sent unless switched off.
    On,
    /// Not sent unless switched on.
    Off,
}

/// One data category of the table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryDef {
    /// Id, e.g. `screenshots`.
    pub id: String,
    /// English name.
    pub en: String,
    /// German name.
    pub de: String,
}

/// One documented switch of one SDK on one platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchDef {
    /// The SDK's id in `checks/sdks.toml`.
    pub sdk: String,
    /// `android` or `ios`.
    pub platform: String,
    /// Manifest `<meta-data>` name or Info.plist key.
    pub key: String,
    /// The category it controls.
    pub category: String,
    /// How the SDK reads it.
    pub read: SwitchRead,
    /// True when `true` turns the category off.
    #[serde(default)]
    pub invert: bool,
    /// A switch read the same way when `key` is absent.
    #[serde(default)]
    pub fallback: Option<String>,
    /// What the SDK does when neither is set.
    pub default: SwitchDefault,
    /// Where the switch and its default are documented (https URL).
    pub source: String,
    /// A remark for readers of the table (not shown in reports).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    version: u32,
    #[serde(default)]
    category: Vec<CategoryDef>,
    #[serde(default)]
    switch: Vec<SwitchDef>,
}

/// The validated switch table.
#[derive(Debug, Clone, Default)]
pub struct SwitchTable {
    categories: BTreeMap<String, CategoryDef>,
    switches: Vec<SwitchDef>,
}

impl SwitchTable {
    /// The table built into the binary (`checks/sdk-switches.toml`), validated
    /// by the test suite (`builtin_switch_table_is_valid`).
    pub fn builtin() -> &'static SwitchTable {
        static BUILTIN: OnceLock<SwitchTable> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            SwitchTable::from_toml(BUILTIN_TOML, "built-in checks/sdk-switches.toml")
                .expect("the built-in checks/sdk-switches.toml is valid (checked by tests)")
        })
    }

    /// Parses and validates a table; `source_name` names it in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, SdkSwitchError> {
        if text.len() > MAX_TABLE_SIZE {
            return Err(SdkSwitchError::TooLarge {
                source_name: source_name.to_string(),
                size: text.len(),
                limit: MAX_TABLE_SIZE,
            });
        }
        let file: TableFile = toml::from_str(text).map_err(|e| SdkSwitchError::Parse {
            source_name: source_name.to_string(),
            message: e.to_string(),
        })?;
        let invalid = |entry: String, problem: &str| SdkSwitchError::Invalid {
            source_name: source_name.to_string(),
            entry,
            problem: problem.to_string(),
        };
        if file.version != 1 {
            return Err(invalid("version".into(), "only version 1 is supported"));
        }
        let mut categories = BTreeMap::new();
        for c in file.category {
            let entry = format!("category `{}`", c.id);
            if !is_id(&c.id) {
                return Err(invalid(
                    entry,
                    "the id must be lowercase letters, digits and '_'",
                ));
            }
            if c.en.trim().is_empty() || c.de.trim().is_empty() {
                return Err(invalid(
                    entry,
                    "needs an English (en) and a German (de) name",
                ));
            }
            if categories.insert(c.id.clone(), c).is_some() {
                return Err(invalid(entry, "defined twice"));
            }
        }
        let mut seen = BTreeSet::new();
        for s in &file.switch {
            let entry = format!("switch `{}/{}/{}`", s.sdk, s.platform, s.key);
            let platform = match s.platform.as_str() {
                "android" => Platform::Android,
                "ios" => Platform::Ios,
                _ => return Err(invalid(entry, "platform must be android or ios")),
            };
            if s.sdk.trim().is_empty()
                || s.key.trim().is_empty()
                || s.key.contains(char::is_whitespace)
            {
                return Err(invalid(
                    entry,
                    "sdk and key must be non-empty, the key without spaces",
                ));
            }
            if !categories.contains_key(&s.category) {
                return Err(invalid(
                    entry,
                    &format!("unknown category `{}`", s.category),
                ));
            }
            let read_ok = match s.read {
                SwitchRead::Bool | SwitchRead::BoolStrict | SwitchRead::StringOne => {
                    platform == Platform::Android
                }
                SwitchRead::BoolObjc => platform == Platform::Ios,
                SwitchRead::Rate => true,
            };
            if !read_ok {
                return Err(invalid(
                    entry,
                    "bool/bool_strict/string_one are Android reads, bool_objc an iOS read",
                ));
            }
            if s.read == SwitchRead::Rate && (s.invert || s.fallback.is_some()) {
                return Err(invalid(
                    entry,
                    "a rate switch takes neither invert nor fallback",
                ));
            }
            if s.fallback
                .as_deref()
                .is_some_and(|f| f.trim().is_empty() || f == s.key)
            {
                return Err(invalid(
                    entry,
                    "the fallback must be another, non-empty key",
                ));
            }
            if !s.source.starts_with("https://") {
                return Err(invalid(
                    entry,
                    "source must be an https URL to the documentation",
                ));
            }
            if !seen.insert((s.sdk.clone(), s.platform.clone(), s.key.clone())) {
                return Err(invalid(entry, "listed twice"));
            }
        }
        Ok(SwitchTable {
            categories,
            switches: file.switch,
        })
    }

    /// Every switch, in file order.
    pub fn switches(&self) -> &[SwitchDef] {
        &self.switches
    }

    /// Every category definition, by id.
    pub fn category_defs(&self) -> impl Iterator<Item = &CategoryDef> {
        self.categories.values()
    }

    /// True when the table documents switches of `sdk_id`.
    pub fn has_sdk(&self, sdk_id: &str) -> bool {
        self.switches.iter().any(|s| s.sdk == sdk_id)
    }

    /// The data categories `sdk_id` is set to send on `platform`, one per
    /// documented switch, read from `switches` (Android application
    /// `<meta-data>`, iOS flattened Info.plist keys). Empty when the table has
    /// no switch for that SDK and platform.
    pub fn categories(
        &self,
        platform: Platform,
        sdk_id: &str,
        switches: &BTreeMap<String, MetaValue>,
    ) -> Vec<DataCategory> {
        let name = match platform {
            Platform::Android => "android",
            Platform::Ios => "ios",
        };
        self.switches
            .iter()
            .filter(|s| s.sdk == sdk_id && s.platform == name)
            .filter_map(|s| {
                let def = self.categories.get(&s.category)?;
                Some(read::category(s, def, platform, switches))
            })
            .collect()
    }
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests;
