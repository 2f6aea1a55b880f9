//! The knowledge-base file format (`checks/sdks.toml`): parsing and validation.
//!
//! The format is documented in `docs/sdks.md`. Unknown fields are rejected so a
//! typo in a user-supplied file is an error, not a silently ignored matcher.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::rules::CollectionRules;
use crate::extract::file_problem::FileProblem;
use crate::facts::SdkCategory;

/// Largest knowledge-base file accepted (bytes).
pub const MAX_KB_SIZE: usize = 4 * 1024 * 1024;

/// Which kind of file an [`SdkKbError`] is about: the errors read the same
/// for a knowledge base (TOML) and a `--trackers` file (ETIP JSON), but name
/// the file as the user knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkFileKind {
    /// A knowledge base in the format of `checks/sdks.toml` (the built-in
    /// one, or `sdks.toml` of a `--checks` folder).
    KnowledgeBase,
    /// A tracker file in the Exodus Privacy (ETIP) format (`--trackers`).
    Trackers,
}

/// `the SDK knowledge base`, `the tracker file`.
impl std::fmt::Display for SdkFileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SdkFileKind::KnowledgeBase => "the SDK knowledge base",
            SdkFileKind::Trackers => "the tracker file",
        })
    }
}

/// Why a knowledge-base or tracker file could not be used.
#[derive(Debug, Error)]
pub enum SdkKbError {
    /// The file could not be read.
    #[error("cannot read {kind} {path}: {source}")]
    Io {
        /// Knowledge base or tracker file.
        kind: SdkFileKind,
        /// The path that was read.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_KB_SIZE`] (a tracker file: than
    /// [`super::etip::MAX_ETIP_SIZE`]).
    #[error("{kind} {source_name} is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// Knowledge base or tracker file.
        kind: SdkFileKind,
        /// File name.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The file is not valid TOML (a knowledge base) or JSON (an ETIP
    /// tracker file), or does not follow the format.
    #[error("{kind} {source_name} is not valid: {problem}{}", etip_hint(*kind))]
    Parse {
        /// Knowledge base or tracker file.
        kind: SdkFileKind,
        /// File name.
        source_name: String,
        /// Where and what, classified.
        problem: Box<FileProblem>,
    },
    /// An entry breaks a rule of the format (duplicate id, no matcher, …).
    #[error("{kind} {source_name}, entry `{id}`: {problem}")]
    Invalid {
        /// Knowledge base or tracker file.
        kind: SdkFileKind,
        /// File name.
        source_name: String,
        /// The entry's id.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

impl SdkKbError {
    /// Which kind of file the error is about.
    pub fn kind(&self) -> SdkFileKind {
        match self {
            SdkKbError::Io { kind, .. }
            | SdkKbError::TooLarge { kind, .. }
            | SdkKbError::Parse { kind, .. }
            | SdkKbError::Invalid { kind, .. } => *kind,
        }
    }

    /// The same error, about a `--trackers` file: what the ETIP import
    /// reports, whichever shared step (reading, validating, merging) found it.
    pub fn in_tracker_file(mut self) -> Self {
        match &mut self {
            SdkKbError::Io { kind, .. }
            | SdkKbError::TooLarge { kind, .. }
            | SdkKbError::Parse { kind, .. }
            | SdkKbError::Invalid { kind, .. } => *kind = SdkFileKind::Trackers,
        }
        self
    }
}

/// What an ETIP tracker file must look like, after the problem of one that
/// does not parse.
fn etip_hint(kind: SdkFileKind) -> &'static str {
    match kind {
        SdkFileKind::Trackers => " (expected the ETIP tracker format {\"trackers\": {\"<id>\": {\"name\", \"code_signature\", \"categories\", …}}})",
        SdkFileKind::KnowledgeBase => "",
    }
}

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KbFile {
    /// Format version; must be 1.
    pub version: u32,
    /// Notable string constants not tied to one SDK.
    #[serde(default)]
    pub strings: Vec<NotableString>,
    /// SDK signatures.
    #[serde(default)]
    pub sdk: Vec<SdkEntry>,
}

/// A string constant worth reporting when it occurs in code.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotableString {
    /// The exact string.
    pub value: String,
    /// Why it matters (shown in docs).
    #[serde(default)]
    pub meaning: String,
}

/// One SDK signature.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SdkEntry {
    /// Stable id, e.g. `firebase-crashlytics`.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// The name in German, where `name` describes the SDK in English words
    /// rather than naming a product (German reports show it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_de: Option<String>,
    /// What the SDK is for.
    pub category: SdkCategory,
    /// Who makes it.
    #[serde(default)]
    pub vendor: String,
    /// Where the entry's facts come from: the Exodus tracker page, the vendor's
    /// documentation or repository (URLs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source: Vec<String>,
    /// Ids of the Exodus Privacy (ETIP) trackers this entry covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exodus: Vec<u32>,
    /// Host names (and their subdomains) the SDK talks to, from the ETIP network
    /// signature or the vendor's documentation: `crashlytics.com` also owns
    /// `settings.crashlytics.com`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// A note for readers of the file (why a matcher was chosen or left out).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Android matchers.
    #[serde(default, skip_serializing_if = "AndroidMatchers::is_empty")]
    pub android: AndroidMatchers,
    /// iOS matchers.
    #[serde(default, skip_serializing_if = "IosMatchers::is_empty")]
    pub ios: IosMatchers,
    /// Collection-default rules (crash reporting and analytics).
    #[serde(default, skip_serializing)]
    pub collection: CollectionRules,
}

/// What identifies an SDK in an Android app.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AndroidMatchers {
    /// Dotted class-name prefixes; end a package prefix with `.` so that
    /// `io.sentry.` does not match `io.sentryx.`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_prefixes: Vec<String>,
    /// Substrings of dotted class names, for signatures that are not anchored
    /// at a package root (ETIP's `.tealium.`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_contains: Vec<String>,
    /// Regular expressions searched in dotted class names (ETIP code signatures
    /// that are more than literal names); prefer `class_prefixes`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_patterns: Vec<String>,
    /// Native library file names (`libsentry.so`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub native_libs: Vec<String>,
    /// Manifest component class names (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// Application `<meta-data>` names (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meta_data: Vec<String>,
    /// Permissions (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// String constants in DEX code (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strings: Vec<String>,
}

/// What identifies an SDK in an iOS app.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IosMatchers {
    /// Embedded framework names without extension (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub frameworks: Vec<String>,
    /// Linked library names: the last path component of the install name,
    /// without `.dylib`/`.tbd` (`LocalAuthentication`, `libsqlcipher`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dylibs: Vec<String>,
    /// Objective-C / Swift class-name prefixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_prefixes: Vec<String>,
    /// Symbol-name prefixes (after stripping `_` and `_OBJC_CLASS_$_`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbol_prefixes: Vec<String>,
    /// Exact symbol names (after the same stripping).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<String>,
    /// Info.plist keys (a dictionary key also matches its flattened children).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plist_keys: Vec<String>,
    /// String constants in the binary (exact).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub strings: Vec<String>,
}

impl AndroidMatchers {
    /// True when no Android matcher is set.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    fn count(&self) -> usize {
        self.class_prefixes.len()
            + self.class_contains.len()
            + self.class_patterns.len()
            + self.native_libs.len()
            + self.components.len()
            + self.meta_data.len()
            + self.permissions.len()
            + self.strings.len()
    }

    fn all_values(&self) -> impl Iterator<Item = &String> {
        self.class_prefixes
            .iter()
            .chain(&self.class_contains)
            .chain(&self.class_patterns)
            .chain(&self.native_libs)
            .chain(&self.components)
            .chain(&self.meta_data)
            .chain(&self.permissions)
            .chain(&self.strings)
    }
}

impl IosMatchers {
    /// True when no iOS matcher is set.
    pub fn is_empty(&self) -> bool {
        self.count() == 0
    }

    fn count(&self) -> usize {
        self.frameworks.len()
            + self.dylibs.len()
            + self.class_prefixes.len()
            + self.symbol_prefixes.len()
            + self.symbols.len()
            + self.plist_keys.len()
            + self.strings.len()
    }

    fn all_values(&self) -> impl Iterator<Item = &String> {
        self.frameworks
            .iter()
            .chain(&self.dylibs)
            .chain(&self.class_prefixes)
            .chain(&self.symbol_prefixes)
            .chain(&self.symbols)
            .chain(&self.plist_keys)
            .chain(&self.strings)
    }
}

/// Parses and validates a knowledge-base text.
pub fn parse(text: &str, source_name: &str) -> Result<KbFile, SdkKbError> {
    if text.len() > MAX_KB_SIZE {
        return Err(SdkKbError::TooLarge {
            kind: SdkFileKind::KnowledgeBase,
            source_name: source_name.to_string(),
            size: text.len(),
            limit: MAX_KB_SIZE,
        });
    }
    let file: KbFile = toml::from_str(text).map_err(|e| SdkKbError::Parse {
        kind: SdkFileKind::KnowledgeBase,
        source_name: source_name.to_string(),
        problem: Box::new(FileProblem::from_toml(text, &e)),
    })?;
    validate(&file, source_name)?;
    Ok(file)
}

/// Checks the rules of the format that serde cannot express.
pub fn validate(file: &KbFile, source_name: &str) -> Result<(), SdkKbError> {
    let invalid = |id: &str, problem: String| SdkKbError::Invalid {
        kind: SdkFileKind::KnowledgeBase,
        source_name: source_name.to_string(),
        id: id.to_string(),
        problem,
    };
    if file.version != 1 {
        return Err(invalid(
            "(file)",
            format!("unsupported format version {}, expected 1", file.version),
        ));
    }
    for s in &file.strings {
        if s.value.trim().is_empty() {
            return Err(invalid("(strings)", "empty notable string".to_string()));
        }
    }
    let mut ids = BTreeSet::new();
    for entry in &file.sdk {
        let id = entry.id.as_str();
        if id.is_empty()
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(invalid(
                id,
                "the id must be non-empty lowercase ASCII letters, digits and `-`".to_string(),
            ));
        }
        if !ids.insert(id) {
            return Err(invalid(id, "duplicate id".to_string()));
        }
        if entry.name.trim().is_empty() {
            return Err(invalid(id, "empty name".to_string()));
        }
        if entry.android.count() + entry.ios.count() == 0 {
            return Err(invalid(id, "no matcher for either platform".to_string()));
        }
        if let Some(v) = entry
            .android
            .all_values()
            .chain(entry.ios.all_values())
            .find(|v| v.trim().is_empty() || v.trim() != v.as_str())
        {
            return Err(invalid(
                id,
                format!("matcher value {v:?} is empty or has surrounding spaces"),
            ));
        }
        if let Some(h) = entry.hosts.iter().find(|h| !is_host_name(h)) {
            return Err(invalid(id, format!("host {h:?} is not a host name")));
        }
        for p in &entry.android.class_patterns {
            regex::Regex::new(p).map_err(|e| {
                invalid(
                    id,
                    format!("class pattern {p:?} is not a valid regular expression: {e}"),
                )
            })?;
        }
        entry.collection.validate().map_err(|p| invalid(id, p))?;
    }
    Ok(())
}

/// True for a DNS host name: dot-separated labels of ASCII letters, digits and `-`.
pub fn is_host_name(h: &str) -> bool {
    h.len() <= 253
        && h.contains('.')
        && h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}
