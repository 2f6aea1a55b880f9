//! Trackers in the format of the Exodus Privacy tracker API (ETIP): the
//! `--trackers FILE` option adds them to the knowledge base, so that users stay
//! current offline.
//!
//! The format is `{"trackers": {"<id>": {"id", "name", "code_signature",
//! "network_signature", "website", "categories": [...], …}}}`; other fields
//! (`description`, `creation_date`, `documentation`, `is_in_exodus`) are
//! accepted and ignored. A code signature is a regular expression searched in
//! dotted class names, in practice `|`-separated literal names such as
//! `com.crashlytics.|io.fabric.`. Each literal alternative becomes a class
//! prefix (an alternative starting with `.` a substring); anything else is kept
//! as a regular expression (`class_patterns`). A tracker whose ETIP id an entry
//! of the knowledge base already covers is left to that entry.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::kb::{
    self, is_host_name, AndroidMatchers, IosMatchers, SdkEntry, SdkFileKind, SdkKbError,
};
use super::rules::CollectionRules;
use super::KnowledgeBase;
use crate::extract::file_problem::FileProblem;
use crate::facts::SdkCategory;

/// Why a tracker cannot be added: it has no number to name it by.
pub const NO_NUMERIC_ID: &str = "no numeric id (neither an \"id\" field nor a numeric key)";

/// Largest tracker file accepted (bytes); the full ETIP export with its long
/// descriptions is about 0.6 MB.
pub const MAX_ETIP_SIZE: u64 = 32 * 1024 * 1024;

/// The public tracker page of an ETIP id.
pub fn tracker_url(id: u32) -> String {
    format!("https://reports.exodus-privacy.eu.org/en/trackers/{id}/")
}

#[derive(Debug, Deserialize)]
struct EtipFile {
    trackers: BTreeMap<String, EtipTracker>,
}

#[derive(Debug, Deserialize)]
struct EtipTracker {
    #[serde(default)]
    id: Option<u32>,
    name: String,
    code_signature: String,
    #[serde(default)]
    network_signature: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    categories: Vec<String>,
}

/// What an import added and what it left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EtipImport {
    /// Trackers added as new entries.
    pub added: usize,
    /// ETIP ids already covered by an entry of the knowledge base.
    pub known: Vec<u32>,
    /// Trackers without a code signature: they cannot be found in an app's code.
    pub no_code_signature: Vec<String>,
}

/// The knowledge-base category of a tracker with these ETIP categories:
/// crash reporting, then advertisement, then analytics or profiling win;
/// identification or location alone is `other`.
pub fn category(categories: &[String]) -> SdkCategory {
    let has = |c: &str| categories.iter().any(|x| x.eq_ignore_ascii_case(c));
    if has("Crash reporting") {
        SdkCategory::CrashReporting
    } else if has("Advertisement") {
        SdkCategory::Advertising
    } else if has("Analytics") || has("Profiling") {
        SdkCategory::Analytics
    } else {
        SdkCategory::Other
    }
}

/// Class matchers of one ETIP code signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeSignature {
    /// Literal alternatives anchored at a package root.
    pub prefixes: Vec<String>,
    /// Literal alternatives starting with `.` (matched anywhere in the name).
    pub contains: Vec<String>,
    /// Alternatives that are real regular expressions.
    pub patterns: Vec<String>,
}

/// Splits a code signature into class matchers. ETIP searches the expression
/// anywhere in a dotted class name and writes `.` unescaped meaning a dot; a
/// literal alternative is therefore taken as a package prefix, which differs
/// from ETIP's search only for copies of a library shaded under another package.
pub fn code_signature(signature: &str) -> CodeSignature {
    let mut out = CodeSignature::default();
    if signature.contains(['(', ')']) {
        // Alternation inside a group: `|` cannot be split on; keep it whole.
        out.patterns.push(signature.to_string());
        return out;
    }
    for alt in signature
        .split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let (anchored, body) = match alt.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, alt),
        };
        let literal = body.replace("\\.", ".").replace("\\-", "-");
        let is_literal = literal
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '$' | '-'));
        if !is_literal {
            out.patterns.push(alt.to_string());
        } else if literal.starts_with('.') && !anchored {
            out.contains.push(literal);
        } else {
            out.prefixes.push(literal);
        }
    }
    out
}

/// Host names of a network signature: each `|` alternative that is a plain
/// host name once `\.` is read as a dot (a leading `.*` or `.` dropped);
/// other alternatives are regular expressions over URLs and are left out.
pub fn network_hosts(signature: &str) -> Vec<String> {
    let mut out = Vec::new();
    for alt in signature.split('|').map(str::trim) {
        let h = alt.replace("\\.", ".").replace("\\-", "-");
        let h = h.strip_prefix(".*").unwrap_or(&h).trim_matches('.');
        let h = h.to_ascii_lowercase();
        let numeric = h.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        if is_host_name(&h) && !numeric && !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

impl KnowledgeBase {
    /// Adds the trackers of an ETIP JSON text (see the module documentation);
    /// `source_name` names it in errors. Nothing is added when the text is not
    /// valid: the knowledge base is left as it was. Every error names the
    /// file a tracker file ([`SdkFileKind::Trackers`]).
    pub fn add_etip(&mut self, text: &str, source_name: &str) -> Result<EtipImport, SdkKbError> {
        self.import_etip(text, source_name)
            .map_err(SdkKbError::in_tracker_file)
    }

    /// [`KnowledgeBase::add_etip`], except that the errors of the steps it
    /// shares with knowledge bases (validation, merging) name a knowledge base.
    fn import_etip(&mut self, text: &str, source_name: &str) -> Result<EtipImport, SdkKbError> {
        let file: EtipFile = serde_json::from_str(text).map_err(|e| SdkKbError::Parse {
            kind: SdkFileKind::Trackers,
            source_name: source_name.to_string(),
            problem: Box::new(FileProblem::from_json(text, &e)),
        })?;
        let covered: BTreeSet<u32> = self
            .entries()
            .iter()
            .flat_map(|e| e.exodus.iter().copied())
            .collect();
        let mut report = EtipImport::default();
        let mut entries = Vec::new();
        for (key, t) in file.trackers {
            let id = match (t.id, key.trim().parse::<u32>()) {
                (Some(id), _) | (None, Ok(id)) => id,
                (None, Err(_)) => {
                    return Err(SdkKbError::Invalid {
                        kind: SdkFileKind::Trackers,
                        source_name: source_name.to_string(),
                        id: key,
                        problem: NO_NUMERIC_ID.to_string(),
                    })
                }
            };
            if covered.contains(&id) {
                report.known.push(id);
                continue;
            }
            let code = code_signature(&t.code_signature);
            if code == CodeSignature::default() {
                report.no_code_signature.push(format!("{id} {}", t.name));
                continue;
            }
            let mut source = vec![tracker_url(id)];
            if !t.website.trim().is_empty() {
                source.push(t.website.trim().to_string());
            }
            entries.push(SdkEntry {
                id: format!("etip-{id}"),
                name: t.name.clone(),
                name_de: None,
                category: category(&t.categories),
                vendor: t.name.clone(),
                source,
                exodus: vec![id],
                hosts: network_hosts(&t.network_signature),
                note: format!(
                    "From {source_name}; ETIP categories: {}",
                    t.categories.join(", ")
                ),
                android: AndroidMatchers {
                    class_prefixes: code.prefixes,
                    class_contains: code.contains,
                    class_patterns: code.patterns,
                    ..AndroidMatchers::default()
                },
                ios: IosMatchers::default(),
                collection: CollectionRules::default(),
            });
        }
        report.added = entries.len();
        let file = kb::KbFile {
            version: 1,
            strings: Vec::new(),
            sdk: entries,
        };
        kb::validate(&file, source_name)?;
        let mut merged = self.clone();
        merged.merge(
            KnowledgeBase::from_entries(file.sdk, Vec::new(), source_name)?,
            source_name,
        )?;
        *self = merged;
        Ok(report)
    }

    /// Adds the trackers of the ETIP file at `path`.
    pub fn add_etip_path(&mut self, path: &Path) -> Result<EtipImport, SdkKbError> {
        let text = super::read_bounded(path, MAX_ETIP_SIZE).map_err(SdkKbError::in_tracker_file)?;
        self.add_etip(&text, &path.display().to_string())
    }
}
