//! SDK detection from the signature knowledge base `checks/sdks.toml`.
//!
//! The knowledge base is data (format in `docs/sdks.md`): one entry per SDK
//! with matchers per platform and, for crash-reporting and analytics SDKs, a
//! declarative collection-default rule. [`KnowledgeBase::detect`] matches every
//! entry against what an extractor found ([`SdkInput`]) and returns one
//! [`SdkHit`] per SDK found, with short evidence.

pub mod etip;
pub mod kb;
pub mod matcher;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

pub use kb::{SdkFileKind, SdkKbError};

use crate::facts::{CollectionDefault, Evidence, MetaValue, SdkCategory, SdkHit};
pub use kb::SdkEntry;
use kb::{AndroidMatchers, IosMatchers};
use matcher::{
    dylib_name, file_name, minimal_prefixes, normalize_symbol, ClassScanner, PatternOwner,
    SortedIndex,
};
use rules::RuleInput;

/// The built-in knowledge base text, embedded at build time.
pub const BUILTIN_TOML: &str = include_str!("../../../checks/sdks.toml");

/// Name of the knowledge-base file inside a `--checks` directory.
pub const KB_FILE_NAME: &str = "sdks.toml";

/// Which platform the evidence comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Platform {
    /// Android.
    #[default]
    Android,
    /// iOS.
    Ios,
}

/// Everything an extractor found that SDK signatures can match.
#[derive(Debug, Clone, Default)]
pub struct SdkInput<'a> {
    /// The platform.
    pub platform: Platform,
    /// Class names: dotted Java names (Android) or Objective-C/Swift class names (iOS).
    pub class_names: &'a [String],
    /// Native library file names (`libsentry.so`) or embedded dylib names.
    pub native_libs: Vec<&'a str>,
    /// Manifest component class names (Android).
    pub components: Vec<&'a str>,
    /// Permissions (Android).
    pub permissions: Vec<&'a str>,
    /// Embedded frameworks (iOS): names without extension
    /// (`FirebaseCrashlytics`) or bundle-relative paths
    /// (`Watch/W.app/Frameworks/FirebaseCrashlytics.framework`), which the
    /// evidence then names.
    pub frameworks: Vec<&'a str>,
    /// Linked dylib / framework install names (iOS).
    pub linked: Vec<&'a str>,
    /// Symbol names (iOS).
    pub symbols: &'a [String],
    /// The binary `class_names`, `symbols` and `linked` come from (iOS: its
    /// entry path), named by their evidence; `None`: `Mach-O`.
    pub binary: Option<&'a str>,
    /// Notable string constants found in code.
    pub strings: &'a [String],
    /// Configuration switches: Android `<meta-data>` of the application; iOS
    /// Info.plist keys (nested dictionaries flattened with `.`), plus
    /// `GoogleService-Info.plist` keys.
    pub switches: BTreeMap<String, MetaValue>,
}

/// The SDK signature knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {
    entries: Vec<SdkEntry>,
    strings: Vec<String>,
    /// `class_contains` and `class_patterns` of every entry, scanned in one pass.
    scanner: Option<ClassScanner>,
}

/// The SDK a host name belongs to (see [`KnowledgeBase::owner_of_host`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostOwner<'k> {
    /// The entry's id.
    pub id: &'k str,
    /// The SDK's name.
    pub name: &'k str,
    /// Its vendor.
    pub vendor: &'k str,
    /// The `hosts` value that matched (the host itself or a parent domain).
    pub matched: &'k str,
}

impl KnowledgeBase {
    /// The knowledge base built into the binary (`checks/sdks.toml`).
    ///
    /// The embedded file is validated by the test suite
    /// (`builtin_knowledge_base_is_valid`), so parsing it cannot fail in a
    /// released binary.
    pub fn builtin() -> Self {
        static BUILTIN: OnceLock<KnowledgeBase> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                KnowledgeBase::from_toml(BUILTIN_TOML, "built-in checks/sdks.toml")
                    .expect("the built-in checks/sdks.toml is valid (checked by tests)")
            })
            .clone()
    }

    /// Parses and validates a knowledge base; `source_name` names it in errors.
    pub fn from_toml(text: &str, source_name: &str) -> Result<Self, SdkKbError> {
        let file = kb::parse(text, source_name)?;
        Self::from_entries(
            file.sdk,
            file.strings.into_iter().map(|s| s.value).collect(),
            source_name,
        )
    }

    /// Builds a knowledge base from validated entries.
    fn from_entries(
        entries: Vec<SdkEntry>,
        strings: Vec<String>,
        source_name: &str,
    ) -> Result<Self, SdkKbError> {
        let mut kb = KnowledgeBase {
            entries,
            strings,
            scanner: None,
        };
        kb.rebuild(source_name)?;
        Ok(kb)
    }

    /// Reads a knowledge-base file.
    pub fn from_path(path: &Path) -> Result<Self, SdkKbError> {
        let text = read_bounded(path, kb::MAX_KB_SIZE as u64)?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The built-in knowledge base, overridden by `<dir>/sdks.toml` when a
    /// user `--checks DIR` has one: entries with the same id replace the
    /// built-in ones, new ids are added, notable strings are merged.
    pub fn load_dir_override(dir: &Path) -> Result<Self, SdkKbError> {
        let mut base = Self::builtin();
        let path = dir.join(KB_FILE_NAME);
        if path.is_file() {
            base.merge(Self::from_path(&path)?, &path.display().to_string())?;
        }
        Ok(base)
    }

    /// Merges `other` into `self`: same id → replaced, new id → appended.
    /// `source_name` names `other` in an error.
    pub fn merge(&mut self, other: KnowledgeBase, source_name: &str) -> Result<(), SdkKbError> {
        for entry in other.entries {
            match self.entries.iter_mut().find(|e| e.id == entry.id) {
                Some(slot) => *slot = entry,
                None => self.entries.push(entry),
            }
        }
        self.strings.extend(other.strings);
        self.rebuild(source_name)
    }

    /// All signatures, in file order.
    pub fn entries(&self) -> &[SdkEntry] {
        &self.entries
    }

    /// The SDK whose `hosts` contain `host` or one of its parent domains; the
    /// longest (most specific) match wins, ties go to the earlier entry.
    pub fn owner_of_host(&self, host: &str) -> Option<HostOwner<'_>> {
        let host = host.trim_end_matches('.');
        let mut best: Option<HostOwner<'_>> = None;
        for e in &self.entries {
            for h in &e.hosts {
                let hit = host.eq_ignore_ascii_case(h)
                    || (host.len() > h.len()
                        && host.as_bytes()[host.len() - h.len() - 1] == b'.'
                        && host[host.len() - h.len()..].eq_ignore_ascii_case(h));
                if hit && best.as_ref().is_none_or(|b| h.len() > b.matched.len()) {
                    best = Some(HostOwner {
                        id: &e.id,
                        name: &e.name,
                        vendor: &e.vendor,
                        matched: h,
                    });
                }
            }
        }
        best
    }

    /// Number of SDK signatures.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are no signatures.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The ids of all signatures, in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.id.as_str()).collect()
    }

    /// The category of the signature `id`.
    pub fn category(&self, id: &str) -> Option<SdkCategory> {
        self.entries.iter().find(|e| e.id == id).map(|e| e.category)
    }

    /// String constants worth looking for in code (union over all signatures).
    pub fn notable_strings(&self) -> Vec<String> {
        self.strings.clone()
    }

    /// Recomputes what is derived from the entries: minimal class prefixes,
    /// the notable strings and the class scanner.
    fn rebuild(&mut self, source_name: &str) -> Result<(), SdkKbError> {
        let mut all: BTreeSet<String> = self.strings.drain(..).collect();
        let mut owners = Vec::new();
        for (i, e) in self.entries.iter_mut().enumerate() {
            e.android.class_prefixes = minimal_prefixes(&e.android.class_prefixes);
            all.extend(e.android.strings.iter().cloned());
            all.extend(e.ios.strings.iter().cloned());
            owners.extend(e.android.class_contains.iter().map(|t| PatternOwner {
                entry: i,
                contains: true,
                text: t.clone(),
            }));
            owners.extend(e.android.class_patterns.iter().map(|t| PatternOwner {
                entry: i,
                contains: false,
                text: t.clone(),
            }));
        }
        self.strings = all.into_iter().collect();
        self.scanner = ClassScanner::new(owners).map_err(|e| SdkKbError::Invalid {
            kind: SdkFileKind::KnowledgeBase,
            source_name: source_name.to_string(),
            id: "(class patterns)".to_string(),
            problem: format!("the class patterns together are too large: {e}"),
        })?;
        Ok(())
    }

    /// Matches every signature against `input`.
    pub fn detect(&self, input: &SdkInput<'_>) -> Vec<SdkHit> {
        let classes = SortedIndex::new(input.class_names.iter().map(String::as_str));
        let symbols = SortedIndex::new(input.symbols.iter().map(|s| normalize_symbol(s)));
        let strings = SortedIndex::new(input.strings.iter().map(String::as_str));
        let ctx = Ctx {
            input,
            classes: &classes,
            symbols: &symbols,
            strings: &strings,
        };
        // Per entry: (contains?, matcher, classes matched) of its scanned patterns.
        let mut scanned: BTreeMap<usize, Vec<(bool, &str, usize)>> = BTreeMap::new();
        if let (Platform::Android, Some(scanner)) = (input.platform, &self.scanner) {
            let counts = scanner.count(classes.names());
            for (owner, n) in scanner.owners().iter().zip(counts) {
                if n > 0 {
                    scanned
                        .entry(owner.entry)
                        .or_default()
                        .push((owner.contains, &owner.text, n));
                }
            }
        }
        let mut hits = Vec::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let mut evidence = match input.platform {
                Platform::Android => ctx.android_evidence(&entry.android),
                Platform::Ios => ctx.ios_evidence(&entry.ios),
            };
            for (contains, text, n) in scanned.remove(&i).unwrap_or_default() {
                let (kind, value) = if contains {
                    ("class_contains", format!("…{text}"))
                } else {
                    ("class_pattern", format!("/{text}/"))
                };
                evidence.push(
                    Evidence::new(kind, format!("{value} ({})", plural(n, "class", "classes")))
                        .at("classes*.dex"),
                );
            }
            if evidence.is_empty() {
                continue;
            }
            let (collection_default, switch, switch_de) = ctx.collection(entry);
            hits.push(SdkHit {
                id: entry.id.clone(),
                name: entry.name.clone(),
                name_de: entry.name_de.clone(),
                category: entry.category,
                evidence,
                collection_default,
                switch,
                switch_de,
                data_categories: super::sdk_data::SwitchTable::builtin().categories(
                    input.platform,
                    &entry.id,
                    &input.switches,
                ),
            });
        }
        hits
    }

    /// Merges the hits of another [`KnowledgeBase::detect`] call (e.g. of
    /// another binary of the same app) into `into`: an SDK already there
    /// gets the new evidence it lacks (its collection default stays), a new
    /// one is added; the result is in knowledge-base order, as `detect`'s.
    pub fn merge_hits(&self, into: &mut Vec<SdkHit>, more: Vec<SdkHit>) {
        for hit in more {
            match into.iter_mut().find(|h| h.id == hit.id) {
                Some(h) => {
                    for e in hit.evidence {
                        if !h.evidence.contains(&e) {
                            h.evidence.push(e);
                        }
                    }
                }
                None => into.push(hit),
            }
        }
        let rank = |id: &str| self.entries.iter().position(|e| e.id == id);
        into.sort_by_key(|h| rank(&h.id));
    }
}

/// Reads a file of at most `limit` bytes as UTF-8.
fn read_bounded(path: &Path, limit: u64) -> Result<String, SdkKbError> {
    let io = |source| SdkKbError::Io {
        kind: SdkFileKind::KnowledgeBase,
        path: path.display().to_string(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > limit {
        return Err(SdkKbError::TooLarge {
            kind: SdkFileKind::KnowledgeBase,
            source_name: path.display().to_string(),
            size: usize::try_from(len).unwrap_or(usize::MAX),
            limit: usize::try_from(limit).unwrap_or(usize::MAX),
        });
    }
    std::fs::read_to_string(path).map_err(io)
}

/// Indexes built once per [`KnowledgeBase::detect`] call.
struct Ctx<'i, 'a> {
    input: &'i SdkInput<'a>,
    classes: &'i SortedIndex<'a>,
    symbols: &'i SortedIndex<'a>,
    strings: &'i SortedIndex<'a>,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl Ctx<'_, '_> {
    fn class_evidence(&self, prefixes: &[String], location: &str, out: &mut Vec<Evidence>) {
        for p in prefixes {
            let n = self.classes.count_prefix(p);
            if n > 0 {
                out.push(
                    Evidence::new(
                        "class_prefix",
                        format!("{p} ({})", plural(n, "class", "classes")),
                    )
                    .at(location),
                );
            }
        }
    }

    fn string_evidence(&self, wanted: &[String], location: &str, out: &mut Vec<Evidence>) {
        for s in wanted {
            if self.strings.contains(s) {
                out.push(Evidence::new("string", s.clone()).at(location));
            }
        }
    }

    fn android_evidence(&self, m: &AndroidMatchers) -> Vec<Evidence> {
        let input = self.input;
        let mut out = Vec::new();
        self.class_evidence(&m.class_prefixes, "classes*.dex", &mut out);
        for lib in &m.native_libs {
            if let Some(found) = input.native_libs.iter().find(|l| file_name(l) == lib) {
                out.push(Evidence::new("native_lib", lib.clone()).at(*found));
            }
        }
        for c in &m.components {
            if input.components.contains(&c.as_str()) {
                out.push(Evidence::new("manifest_component", c.clone()).at("AndroidManifest.xml"));
            }
        }
        for key in &m.meta_data {
            if let Some(v) = input.switches.get(key) {
                let value = match &v.value {
                    Some(val) => format!("{key} = {}", truncate_evidence(val)),
                    None => key.clone(),
                };
                out.push(Evidence::new("meta_data", value).at("AndroidManifest.xml"));
            }
        }
        for p in &m.permissions {
            if input.permissions.contains(&p.as_str()) {
                out.push(Evidence::new("permission", p.clone()).at("AndroidManifest.xml"));
            }
        }
        self.string_evidence(&m.strings, "classes*.dex string table", &mut out);
        out
    }

    fn ios_evidence(&self, m: &IosMatchers) -> Vec<Evidence> {
        let input = self.input;
        let mut out = Vec::new();
        for f in &m.frameworks {
            let found = input.frameworks.iter().find(|x| {
                let name = file_name(x);
                name.strip_suffix(".framework").unwrap_or(name) == f
            });
            if let Some(x) = found {
                let location = if x.contains('/') {
                    (*x).to_string()
                } else {
                    format!("Frameworks/{f}.framework")
                };
                out.push(Evidence::new("framework", f.clone()).at(location));
            }
        }
        let binary = input.binary.unwrap_or("Mach-O");
        for d in &m.dylibs {
            if let Some(found) = input.linked.iter().find(|l| dylib_name(l) == d) {
                let location = match input.binary {
                    Some(b) => format!("{b} (load commands)"),
                    None => "Mach-O load commands".to_string(),
                };
                out.push(Evidence::new("dylib", (*found).to_string()).at(location));
            }
        }
        self.class_evidence(&m.class_prefixes, binary, &mut out);
        for p in &m.symbol_prefixes {
            let n = self.symbols.count_prefix(p);
            if n > 0 {
                out.push(
                    Evidence::new(
                        "symbol",
                        format!("{p}* ({})", plural(n, "symbol", "symbols")),
                    )
                    .at(binary),
                );
            }
        }
        for s in &m.symbols {
            if self.symbols.contains(s) {
                out.push(Evidence::new("symbol", s.clone()).at(binary));
            }
        }
        for key in &m.plist_keys {
            let child = format!("{key}.");
            let found = input
                .switches
                .range::<str, _>((
                    std::ops::Bound::Included(key.as_str()),
                    std::ops::Bound::Unbounded,
                ))
                .take_while(|(k, _)| k.starts_with(key.as_str()))
                .find(|(k, _)| k.as_str() == key || k.starts_with(&child));
            if let Some((k, _)) = found {
                out.push(Evidence::new("plist_key", k.clone()).at("Info.plist"));
            }
        }
        self.string_evidence(&m.strings, "Mach-O strings", &mut out);
        out
    }

    /// Collection before consent, and the switch text in English and German.
    fn collection(
        &self,
        entry: &SdkEntry,
    ) -> (Option<CollectionDefault>, Option<String>, Option<String>) {
        let platform = self.input.platform;
        match entry.collection.for_platform(platform) {
            Some(rule) => {
                let decision = rules::evaluate(
                    rule,
                    &RuleInput {
                        platform,
                        switches: &self.input.switches,
                        components: &self.input.components,
                        classes: self.classes,
                    },
                );
                (
                    Some(decision.outcome),
                    Some(decision.text),
                    Some(decision.text_de),
                )
            }
            None if matches!(entry.category, SdkCategory::CrashReporting | SdkCategory::Analytics) => (
                Some(CollectionDefault::Unknown),
                Some("initialised in code; no switch in the file decides whether collection starts before consent".to_string()),
                Some("im Code gestartet; kein Schalter in der Datei entscheidet, ob die Erfassung vor einer Einwilligung beginnt".to_string()),
            ),
            None => (None, None, None),
        }
    }
}

fn truncate_evidence(s: &str) -> String {
    const MAX: usize = 120;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}
