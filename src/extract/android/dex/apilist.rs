//! The curated list of framework APIs looked for in DEX code
//! (`checks/android-apis.toml`): parsing, validation and the lookup tables
//! the code scan uses.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;
use thiserror::Error;

/// The list built into the binary.
pub const BUILTIN_TOML: &str = include_str!("../../../../checks/android-apis.toml");

/// Why the API list is invalid.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ApiListError {
    /// The TOML does not parse or has unknown keys.
    #[error("android-apis.toml: {0}")]
    Parse(String),
    /// An entry breaks a rule of the format.
    #[error("android-apis.toml: entry {id:?}: {problem}")]
    Entry {
        /// The entry id.
        id: String,
        /// What is wrong.
        problem: String,
    },
}

/// English and German text.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Why {
    /// English.
    pub en: String,
    /// German.
    pub de: String,
}

/// One `[[api]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    /// Stable id, e.g. `webview-js-bridge`.
    pub id: String,
    /// Dotted class name; inner classes with `$`.
    pub class: String,
    /// Methods looked for (any signature).
    #[serde(default)]
    pub methods: Vec<String>,
    /// Fields looked for.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Whether app classes extending `class` directly are looked for.
    #[serde(default)]
    pub extends: bool,
    /// DSK requirement ids the API is evidence for.
    pub requirements: Vec<String>,
    /// What a hit means.
    pub why: Why,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiFile {
    version: u32,
    api: Vec<ApiEntry>,
}

/// What kind of reference a slot stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// A method reference (invoke-*).
    Method,
    /// A field reference (iget/iput/sget/sput).
    Field,
    /// A class whose direct superclass is the listed class.
    Extends,
}

impl RefKind {
    /// The name used in the facts.
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::Method => "method",
            RefKind::Field => "field",
            RefKind::Extends => "extends",
        }
    }
}

/// One looked-for member: the unit a hit is recorded for.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Index of the entry in [`ApiList::entries`].
    pub entry: usize,
    /// Method or field or extends.
    pub kind: RefKind,
    /// Dotted `class.member`, or the class for `extends`.
    pub api: String,
}

/// The parsed list with its lookup tables.
#[derive(Debug, Clone)]
pub struct ApiList {
    /// The entries, in file order.
    pub entries: Vec<ApiEntry>,
    /// The looked-for members.
    pub slots: Vec<Slot>,
    /// Type descriptor (`Landroid/webkit/WebView;`) → class number.
    classes: HashMap<Vec<u8>, u32>,
    /// Class number → (kind, member name, slot).
    members: Vec<Vec<(RefKind, Vec<u8>, u32)>>,
    /// Longest descriptor in `classes`.
    max_descriptor: usize,
    /// Second bytes of the descriptors in `classes` (a cheap pre-filter
    /// before hashing: most types of an app start differently).
    second_bytes: [bool; 256],
}

/// `com.foo.Bar$Baz` → `Lcom/foo/Bar$Baz;`.
pub fn dotted_to_descriptor(class: &str) -> Vec<u8> {
    format!("L{};", class.replace('.', "/")).into_bytes()
}

impl ApiList {
    /// The list built into the binary (validated by the tests).
    pub fn builtin() -> &'static ApiList {
        static BUILTIN: OnceLock<ApiList> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            ApiList::from_toml(BUILTIN_TOML)
                .expect("the built-in checks/android-apis.toml is valid (checked by tests)")
        })
    }

    /// Parses and validates a list.
    pub fn from_toml(text: &str) -> Result<ApiList, ApiListError> {
        let file: ApiFile = toml::from_str(text).map_err(|e| ApiListError::Parse(e.to_string()))?;
        if file.version != 1 {
            return Err(ApiListError::Parse(format!(
                "version {} is not supported (expected 1)",
                file.version
            )));
        }
        let mut list = ApiList {
            entries: Vec::new(),
            slots: Vec::new(),
            classes: HashMap::new(),
            members: Vec::new(),
            max_descriptor: 0,
            second_bytes: [false; 256],
        };
        let mut ids = HashSet::new();
        for entry in file.api {
            let bad = |problem: &str| ApiListError::Entry {
                id: entry.id.clone(),
                problem: problem.to_string(),
            };
            if !ids.insert(entry.id.clone()) {
                return Err(bad("duplicate id"));
            }
            let kinds = usize::from(!entry.methods.is_empty())
                + usize::from(!entry.fields.is_empty())
                + usize::from(entry.extends);
            if kinds != 1 {
                return Err(bad("needs exactly one of methods, fields, extends = true"));
            }
            if entry.requirements.is_empty() {
                return Err(bad("requirements is empty"));
            }
            if entry.why.en.trim().is_empty() || entry.why.de.trim().is_empty() {
                return Err(bad("why.en and why.de must both be written"));
            }
            if entry.class.is_empty() || entry.class.contains('/') {
                return Err(bad("class must be a dotted class name"));
            }
            let descriptor = dotted_to_descriptor(&entry.class);
            list.max_descriptor = list.max_descriptor.max(descriptor.len());
            list.second_bytes[usize::from(descriptor[1])] = true;
            let next = list.classes.len() as u32;
            let class_no = *list.classes.entry(descriptor).or_insert(next);
            if class_no == next {
                list.members.push(Vec::new());
            }
            let index = list.entries.len();
            let members: Vec<(RefKind, &str)> = if entry.extends {
                vec![(RefKind::Extends, "")]
            } else {
                entry
                    .methods
                    .iter()
                    .map(|m| (RefKind::Method, m.as_str()))
                    .chain(entry.fields.iter().map(|f| (RefKind::Field, f.as_str())))
                    .collect()
            };
            for (kind, name) in members {
                let slot = list.slots.len() as u32;
                let known = &mut list.members[class_no as usize];
                if known
                    .iter()
                    .any(|(k, n, _)| *k == kind && n == name.as_bytes())
                {
                    return Err(bad(&format!("member {name:?} is listed twice")));
                }
                known.push((kind, name.as_bytes().to_vec(), slot));
                let api = if kind == RefKind::Extends {
                    entry.class.clone()
                } else {
                    format!("{}.{name}", entry.class)
                };
                list.slots.push(Slot {
                    entry: index,
                    kind,
                    api,
                });
            }
            list.entries.push(entry);
        }
        Ok(list)
    }

    /// The class number of a type descriptor, if the class is listed.
    pub fn class_of(&self, descriptor: &[u8]) -> Option<u32> {
        let second = usize::from(*descriptor.get(1)?);
        if descriptor.len() > self.max_descriptor || !self.second_bytes[second] {
            return None;
        }
        self.classes.get(descriptor).copied()
    }

    /// The slot of a member of a listed class.
    pub fn slot_of(&self, class_no: u32, kind: RefKind, name: &[u8]) -> Option<u32> {
        self.members
            .get(class_no as usize)?
            .iter()
            .find(|(k, n, _)| *k == kind && n == name)
            .map(|&(_, _, slot)| slot)
    }

    /// Longest listed member name, in bytes.
    pub fn max_member_len(&self) -> usize {
        self.members
            .iter()
            .flatten()
            .map(|(_, n, _)| n.len())
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_list_is_valid_and_documented() {
        let list = ApiList::from_toml(BUILTIN_TOML).expect("valid");
        assert!(list.entries.len() >= 30);
        for e in &list.entries {
            for r in &e.requirements {
                assert!(
                    r.len() == 6 && r.as_bytes()[3] == b'-',
                    "{}: requirement id {r:?} is not like APP-02",
                    e.id
                );
            }
        }
        // Every requirement named in the brief is served by some entry.
        for req in ["APP-02", "APP-03", "APP-04", "APP-08", "COM-01", "COM-02"] {
            assert!(
                list.entries
                    .iter()
                    .any(|e| e.requirements.iter().any(|r| r == req)),
                "{req}"
            );
        }
        let webview = list.class_of(b"Landroid/webkit/WebView;").expect("listed");
        assert!(list
            .slot_of(webview, RefKind::Method, b"addJavascriptInterface")
            .is_some());
        assert!(list
            .slot_of(webview, RefKind::Field, b"addJavascriptInterface")
            .is_none());
    }

    #[test]
    fn invalid_entries_are_rejected_with_their_id() {
        let base = |body: &str| {
            format!("version = 1\n[[api]]\nid = \"x\"\nclass = \"a.B\"\nrequirements = [\"APP-02\"]\nwhy.en = \"e\"\nwhy.de = \"d\"\n{body}")
        };
        let err = ApiList::from_toml(&base("")).unwrap_err();
        assert!(err.to_string().contains("exactly one"), "{err}");
        let err = ApiList::from_toml(&base("methods = [\"m\"]\nextends = true")).unwrap_err();
        assert!(err.to_string().contains("\"x\""), "{err}");
        let err = ApiList::from_toml(&base("methods = [\"m\", \"m\"]")).unwrap_err();
        assert!(err.to_string().contains("twice"), "{err}");
        let err = ApiList::from_toml(&base("methods = [\"m\"]\nbogus = 1")).unwrap_err();
        assert!(matches!(err, ApiListError::Parse(_)), "{err}");
        assert!(ApiList::from_toml(&base("methods = [\"m\"]")).is_ok());
    }
}
