//! The curated list of Apple APIs looked for in Mach-O code
//! (`checks/ios-apis.toml`): parsing, validation and matching one binary.

use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;

use super::macho::MachoInfo;

/// The list built into the binary.
pub const BUILTIN_TOML: &str = include_str!("../../../checks/ios-apis.toml");

/// Why the API list is invalid.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum IosApiListError {
    /// The TOML does not parse or has unknown keys.
    #[error("ios-apis.toml: {0}")]
    Parse(String),
    /// An entry breaks a rule of the format.
    #[error("ios-apis.toml: entry {id:?}: {problem}")]
    Entry {
        /// The entry id.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

/// English and German text of what a hit means.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosWhy {
    /// English.
    pub en: String,
    /// German.
    pub de: String,
}

/// One `[[api]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IosApiEntry {
    /// Stable id, e.g. `local-authentication`.
    pub id: String,
    /// C symbols without the leading `_`.
    #[serde(default)]
    pub symbols: Vec<String>,
    /// Objective-C class names.
    #[serde(default)]
    pub classes: Vec<String>,
    /// Selector names.
    #[serde(default)]
    pub selectors: Vec<String>,
    /// Symbol-name prefixes (mangled Swift modules).
    #[serde(default)]
    pub prefixes: Vec<String>,
    /// DSK requirement ids the API is evidence for.
    pub requirements: Vec<String>,
    /// What a hit means.
    pub why: IosWhy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiFile {
    version: u32,
    api: Vec<IosApiEntry>,
}

/// The parsed list.
#[derive(Debug, Clone)]
pub struct IosApiList {
    /// The entries, in file order.
    pub entries: Vec<IosApiEntry>,
}

fn contains(sorted: &[String], name: &str) -> bool {
    sorted.binary_search_by(|s| s.as_str().cmp(name)).is_ok()
}

impl IosApiList {
    /// The list built into the binary (validated by the tests).
    pub fn builtin() -> &'static IosApiList {
        static BUILTIN: OnceLock<IosApiList> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            IosApiList::from_toml(BUILTIN_TOML)
                .expect("the built-in checks/ios-apis.toml is valid (checked by tests)")
        })
    }

    /// Parses and validates a list: version 1, unique ids, at least one name
    /// and one requirement per entry, no empty names.
    pub fn from_toml(text: &str) -> Result<IosApiList, IosApiListError> {
        let file: ApiFile =
            toml::from_str(text).map_err(|e| IosApiListError::Parse(e.to_string()))?;
        if file.version != 1 {
            return Err(IosApiListError::Parse(format!(
                "version {} is not supported (expected 1)",
                file.version
            )));
        }
        let mut ids = std::collections::BTreeSet::new();
        for e in &file.api {
            let problem = |problem: &str| IosApiListError::Entry {
                id: e.id.clone(),
                problem: problem.to_string(),
            };
            if !ids.insert(e.id.as_str()) {
                return Err(problem("duplicate id"));
            }
            let names = [&e.symbols, &e.classes, &e.selectors, &e.prefixes];
            if names.iter().all(|n| n.is_empty()) {
                return Err(problem("lists no symbol, class, selector or prefix"));
            }
            if names.iter().any(|n| n.iter().any(|s| s.is_empty())) {
                return Err(problem("lists an empty name"));
            }
            if e.requirements.is_empty() {
                return Err(problem("names no requirement"));
            }
            if e.why.en.is_empty() || e.why.de.is_empty() {
                return Err(problem("needs why.en and why.de"));
            }
        }
        Ok(IosApiList { entries: file.api })
    }

    /// For each entry (by index), the names of it that the binary
    /// references, sorted; entries without a hit are left out.
    pub fn matches(&self, m: &MachoInfo) -> Vec<(usize, Vec<String>)> {
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let mut hits: Vec<String> = Vec::new();
            for s in &e.symbols {
                if contains(&m.imports, s) || contains(&m.symbols, s) {
                    hits.push(s.clone());
                }
            }
            for c in &e.classes {
                if contains(&m.objc_classes, c) {
                    hits.push(c.clone());
                }
            }
            for s in &e.selectors {
                if contains(&m.selectors, s) {
                    hits.push(s.clone());
                }
            }
            for p in &e.prefixes {
                let starts = |list: &[String]| {
                    let at = list.partition_point(|s| s.as_str() < p.as_str());
                    list.get(at).is_some_and(|s| s.starts_with(p.as_str()))
                };
                if starts(&m.imports) || starts(&m.symbols) {
                    hits.push(format!("{p}…"));
                }
            }
            if !hits.is_empty() {
                hits.sort();
                hits.dedup();
                out.push((i, hits));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_is_valid_and_bilingual() {
        let list = IosApiList::from_toml(BUILTIN_TOML).unwrap();
        assert!(list.entries.len() >= 15);
        for req in [
            "APP-02", "APP-03", "APP-04", "APP-08", "COM-01", "COM-02", "COM-06",
        ] {
            assert!(
                list.entries
                    .iter()
                    .any(|e| e.requirements.iter().any(|r| r == req)),
                "no entry for {req}"
            );
        }
    }

    #[test]
    fn rejects_bad_entries() {
        let bad = |body: &str| IosApiList::from_toml(&format!("version = 1\n{body}")).unwrap_err();
        let entry =
            "[[api]]\nid = \"x\"\nrequirements = [\"APP-02\"]\nwhy.en = \"a\"\nwhy.de = \"b\"\n";
        assert!(matches!(bad(entry), IosApiListError::Entry { .. }));
        let twice = format!("{entry}classes = [\"A\"]\n{entry}classes = [\"A\"]\n");
        assert_eq!(
            bad(&twice),
            IosApiListError::Entry {
                id: "x".into(),
                problem: "duplicate id".into()
            }
        );
        assert!(matches!(
            bad("[[api]]\nid = 1\n"),
            IosApiListError::Parse(_)
        ));
    }

    #[test]
    fn matches_symbols_classes_selectors_and_prefixes() {
        let m = MachoInfo {
            imports: vec![
                "$s9CryptoKit3AESO3GCMO4seal".into(),
                "SecAccessControlCreateWithFlags".into(),
            ],
            objc_classes: vec!["LAContext".into()],
            selectors: vec!["requestAlwaysAuthorization".into()],
            ..MachoInfo::default()
        };
        let list = IosApiList::builtin();
        let hits: Vec<(&str, Vec<String>)> = list
            .matches(&m)
            .into_iter()
            .map(|(i, names)| (list.entries[i].id.as_str(), names))
            .collect();
        assert_eq!(
            hits,
            [
                ("local-authentication", vec!["LAContext".to_string()]),
                (
                    "keychain-access-control",
                    vec!["SecAccessControlCreateWithFlags".to_string()]
                ),
                ("cryptokit", vec!["$s9CryptoKit…".to_string()]),
                (
                    "location-always",
                    vec!["requestAlwaysAuthorization".to_string()]
                ),
            ]
        );
        assert!(list.matches(&MachoInfo::default()).is_empty());
    }
}
