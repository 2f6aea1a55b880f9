//! What a pipeline run reads with and evaluates against, as plain values (the
//! CLI fills them from its flags; a Rust caller builds them directly).

use std::path::PathBuf;
use std::sync::Arc;

use crate::assess::Lang;
use crate::checks::{Answers, CheckSet, ConfigError, Profile};
use crate::extract::sdks::KnowledgeBase;
use crate::extract::ExtractOptions;
use crate::limits::Limits;

use super::{Observer, PipelineError};

/// How inputs are read: shared by assessing (`scan`, `compare`, `diff`) and
/// printing facts (`facts`).
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    /// Audit date; `None` is today.
    pub as_of: Option<chrono::NaiveDate>,
    /// Force the inventory format (`--inventory-format`: a name or `csv=MAPPING.toml`).
    pub inventory_format: Option<String>,
    /// OS support data file replacing the built-in `checks/os-support.toml`.
    pub os_data: Option<PathBuf>,
    /// Key for pseudonymizing personal data in inventories (`None`: the built-in default key).
    pub pseudonym_key: Option<String>,
    /// Show personal identifiers from inventories in clear.
    pub reveal_identities: bool,
    /// Resource limits.
    pub limits: Limits,
    /// Extra trackers (Exodus Privacy format) added to the SDK knowledge base.
    pub trackers: Option<PathBuf>,
    /// Include bulky detail (every DEX class name) in the facts.
    pub full: bool,
}

impl InputOptions {
    /// The audit date: [`InputOptions::as_of`] or today.
    pub fn audit_date(&self) -> chrono::NaiveDate {
        self.as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The SDK knowledge base: the built-in one plus the `trackers` file
    /// (what it added is reported to `observer`).
    pub fn knowledge_base(&self, observer: &dyn Observer) -> Result<KnowledgeBase, PipelineError> {
        let mut kb = KnowledgeBase::builtin();
        if let Some(path) = &self.trackers {
            let import = kb.add_etip_path(path)?;
            observer.trackers_added(path, &import);
        }
        Ok(kb)
    }

    /// The extraction options for these input options and knowledge base.
    pub fn extract_options(&self, sdks: Arc<KnowledgeBase>) -> ExtractOptions {
        ExtractOptions {
            inventory_format: self.inventory_format.clone(),
            sdks,
            as_of: self.audit_date(),
            os_data: self.os_data.clone(),
            pseudonym_key: self.pseudonym_key.clone(),
            reveal_identities: self.reveal_identities,
            limits: self.limits,
            full: self.full,
            compliance: None,
            app_lists: None,
            android_patch_floor: None,
        }
    }
}

/// Which checks a run evaluates, under which profile.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Profile: a built-in id (`dsk-must`, `dsk-full`) or a profile file.
    pub profile: String,
    /// A directory of extra check files (a check whose id equals a built-in one replaces it).
    pub checks_dir: Option<PathBuf>,
    /// Answers file (TOML) attesting manual checks.
    pub answers: Option<PathBuf>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            profile: crate::checks::DEFAULT_PROFILE.to_string(),
            checks_dir: None,
            answers: None,
        }
    }
}

impl CheckOptions {
    /// Loads the check set (built-in plus `checks_dir`) and the profile, validated against each other.
    pub fn load_set(&self) -> Result<(CheckSet, Profile), ConfigError> {
        load_check_set(&self.profile, self.checks_dir.as_deref())
    }

    /// The answers file, validated against `set` (no file: no answers).
    pub fn load_answers(&self, set: &CheckSet) -> Result<Answers, ConfigError> {
        match &self.answers {
            Some(path) => Answers::load(path).and_then(|a| a.validate_against(set).map(|()| a)),
            None => Ok(Answers::none()),
        }
    }
}

/// Loads the built-in check set plus the checks of `checks_dir`, and the
/// profile `profile` (a built-in id or a file), validated against each other.
pub fn load_check_set(
    profile: &str,
    checks_dir: Option<&std::path::Path>,
) -> Result<(CheckSet, Profile), ConfigError> {
    let mut set = CheckSet::builtin()?;
    if let Some(dir) = checks_dir {
        set.add_dir(dir)?;
    }
    let profile = Profile::load(profile)?;
    profile.validate_against(&set)?;
    Ok((set, profile))
}

/// Everything an assessment run needs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// How inputs are read.
    pub input: InputOptions,
    /// Which checks are evaluated.
    pub checks: CheckOptions,
    /// Language of the assessment's texts.
    pub lang: Lang,
}
