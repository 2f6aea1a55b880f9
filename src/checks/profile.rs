//! Profiles: which checks a run evaluates, their weights, parameter overrides and the verdict rule.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::def::Check;
use super::error::ConfigError;
use super::load::{embedded_files, CheckSet};
use crate::assess::{Level, ProfileInfo, Text};

/// The TOML shape of a profile file (see `docs/checks.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProfile {
    id: String,
    title: Text,
    #[serde(default)]
    description: Option<Text>,
    #[serde(default)]
    select: Selection,
    #[serde(default)]
    weights: Weights,
    #[serde(default)]
    params: BTreeMap<String, toml::Table>,
    #[serde(default)]
    verdict: VerdictRule,
}

/// Which checks a profile selects. A check is selected when its level is in
/// `levels` (any level when empty) **and** its requirement is in `requirements`
/// (any when empty); or when its id is in `checks`; and it is not in `exclude`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    /// Levels to select.
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Requirement ids to select.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// Check ids always selected.
    #[serde(default)]
    pub checks: Vec<String>,
    /// Check ids never selected.
    #[serde(default)]
    pub exclude: Vec<String>,
}

/// Weights of checks in the score.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Weight of must-checks.
    #[serde(default = "default_must_weight")]
    pub must: f64,
    /// Weight of should-checks.
    #[serde(default = "one")]
    pub should: f64,
    /// Weight of alternative-checks.
    #[serde(default = "one")]
    pub alternative: f64,
    /// Weight of desirable-checks.
    #[serde(default = "one")]
    pub desirable: f64,
    /// Per check id, overriding the level weight.
    #[serde(default)]
    pub checks: BTreeMap<String, f64>,
}

fn default_must_weight() -> f64 {
    3.0
}

fn one() -> f64 {
    1.0
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            must: default_must_weight(),
            should: 1.0,
            alternative: 1.0,
            desirable: 1.0,
            checks: BTreeMap::new(),
        }
    }
}

/// Which levels decide the verdict: a failed check of these levels makes a
/// target not compliant; an undecided one (manual, warn, error) incomplete.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictRule {
    /// The levels that decide the verdict (default: `["must"]`).
    #[serde(default = "default_blocking")]
    pub blocking_levels: Vec<Level>,
}

fn default_blocking() -> Vec<Level> {
    vec![Level::Must]
}

impl Default for VerdictRule {
    fn default() -> Self {
        VerdictRule {
            blocking_levels: default_blocking(),
        }
    }
}

/// A loaded profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Profile id.
    pub id: String,
    /// Title.
    pub title: Text,
    /// Longer description.
    pub description: Option<Text>,
    /// The selection.
    pub select: Selection,
    /// The weights.
    pub weights: Weights,
    /// Parameter overrides per check id (JSON values).
    pub params: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// The verdict rule.
    pub verdict: VerdictRule,
    /// `built-in` or the file path.
    pub source: String,
}

/// The id of the default profile.
pub const DEFAULT_PROFILE: &str = "dsk-must";

impl Profile {
    /// Parses a profile file; `file` names it in errors.
    pub fn parse(file: &str, text: &str, source: &str) -> Result<Profile, ConfigError> {
        let raw: RawProfile =
            toml::from_str(text).map_err(|e| ConfigError::from_toml(file, text, &e))?;
        if raw.id.trim().is_empty() {
            return Err(ConfigError::invalid(file, "id is empty"));
        }
        for (lang, t) in [("de", &raw.title.de), ("en", &raw.title.en)] {
            if t.trim().is_empty() {
                return Err(ConfigError::invalid(file, format!("title.{lang} is empty")));
            }
        }
        let w = &raw.weights;
        for (name, value) in [
            ("must", w.must),
            ("should", w.should),
            ("alternative", w.alternative),
            ("desirable", w.desirable),
        ]
        .into_iter()
        .chain(w.checks.iter().map(|(k, v)| (k.as_str(), *v)))
        {
            if !value.is_finite() || value < 0.0 {
                return Err(ConfigError::invalid(
                    file,
                    format!("weights.{name} = {value}: a weight must be a number ≥ 0"),
                ));
            }
        }
        let mut params = BTreeMap::new();
        for (check, table) in raw.params {
            let mut values = BTreeMap::new();
            for (k, v) in table {
                let json = serde_json::to_value(&v)
                    .map_err(|e| ConfigError::invalid(file, format!("params.{check}.{k}: {e}")))?;
                values.insert(k, json);
            }
            params.insert(check, values);
        }
        Ok(Profile {
            id: raw.id,
            title: raw.title,
            description: raw.description,
            select: raw.select,
            weights: raw.weights,
            params,
            verdict: raw.verdict,
            source: source.to_string(),
        })
    }

    /// Ids of the built-in profiles.
    pub fn builtin_ids() -> Vec<String> {
        embedded_files()
            .iter()
            .filter_map(|(p, _)| p.strip_prefix("profiles/")?.strip_suffix(".toml"))
            .map(str::to_string)
            .collect()
    }

    /// A built-in profile by id (file `profiles/<id>.toml`).
    pub fn builtin(id: &str) -> Option<Result<Profile, ConfigError>> {
        let path = format!("profiles/{id}.toml");
        embedded_files()
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(p, text)| Profile::parse(&format!("built-in:{p}"), text, "built-in"))
    }

    /// `--profile NAME|FILE`: a built-in id, else a file path.
    pub fn load(name_or_path: &str) -> Result<Profile, ConfigError> {
        if let Some(p) = Profile::builtin(name_or_path) {
            return p;
        }
        let path = Path::new(name_or_path);
        if path.is_file() {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
                path: name_or_path.to_string(),
                source,
            })?;
            return Profile::parse(name_or_path, &text, name_or_path);
        }
        Err(ConfigError::UnknownProfile {
            name: name_or_path.to_string(),
            known: Profile::builtin_ids().join(", "),
        })
    }

    /// Whether the profile selects `check` (checks from `--checks` are always selected).
    pub fn selects(&self, check: &Check, set: &CheckSet) -> bool {
        if self.select.exclude.iter().any(|e| e == &check.id) {
            return false;
        }
        if set.is_user(&check.id) || self.select.checks.iter().any(|c| c == &check.id) {
            return true;
        }
        let level_ok = self.select.levels.is_empty() || self.select.levels.contains(&check.level);
        let req_ok = self.select.requirements.is_empty()
            || self
                .select
                .requirements
                .iter()
                .any(|r| r == &check.requirement);
        level_ok && req_ok
    }

    /// The selected checks of `set`, in id order.
    pub fn selected<'a>(&self, set: &'a CheckSet) -> Vec<&'a Check> {
        set.checks()
            .iter()
            .filter(|c| self.selects(c, set))
            .collect()
    }

    /// Checks that every parameter override names a selected check and one of its parameters.
    pub fn validate_against(&self, set: &CheckSet) -> Result<(), ConfigError> {
        let file = if self.source == "built-in" {
            format!("built-in:profiles/{}.toml", self.id)
        } else {
            self.source.clone()
        };
        for (check_id, values) in &self.params {
            let Some(check) = set.get(check_id) else {
                return Err(ConfigError::invalid(
                    &file,
                    format!("params.{check_id}: no check with this id"),
                ));
            };
            for key in values.keys() {
                if !check.params.contains_key(key) {
                    let known: Vec<&str> = check.params.keys().map(String::as_str).collect();
                    return Err(ConfigError::invalid(
                        &file,
                        format!(
                            "params.{check_id}.{key}: the check has no such parameter (it has: {})",
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The check's parameters after this profile's overrides.
    pub fn params_for(&self, check: &Check) -> BTreeMap<String, serde_json::Value> {
        let mut params = check.params.clone();
        if let Some(over) = self.params.get(&check.id) {
            for (k, v) in over {
                params.insert(k.clone(), v.clone());
            }
        }
        params
    }

    /// The weight of `check` in the score.
    pub fn weight(&self, check: &Check) -> f64 {
        if let Some(w) = self.weights.checks.get(&check.id) {
            return *w;
        }
        match check.level {
            Level::Must => self.weights.must,
            Level::Should => self.weights.should,
            Level::Alternative => self.weights.alternative,
            Level::Desirable => self.weights.desirable,
        }
    }

    /// Whether a check of `level` decides the verdict.
    pub fn is_blocking(&self, level: Level) -> bool {
        self.verdict.blocking_levels.contains(&level)
    }

    /// The profile as shown in the report.
    pub fn info(&self) -> ProfileInfo {
        ProfileInfo {
            id: self.id.clone(),
            title: self.title.clone(),
            source: self.source.clone(),
        }
    }
}
