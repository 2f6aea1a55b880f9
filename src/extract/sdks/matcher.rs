//! Fast prefix matching: names sorted once, each prefix found by binary search.
//!
//! All names that start with a prefix form one contiguous run in sorted order,
//! so counting them costs two binary searches — O(p · log n) for p prefixes
//! over n names instead of p · n string compares.

/// A sorted, de-duplicated view of a list of names.
#[derive(Debug, Clone, Default)]
pub struct SortedIndex<'a> {
    names: Vec<&'a str>,
}

impl<'a> SortedIndex<'a> {
    /// Sorts and de-duplicates `names`.
    pub fn new(names: impl IntoIterator<Item = &'a str>) -> Self {
        let mut names: Vec<&'a str> = names.into_iter().collect();
        names.sort_unstable();
        names.dedup();
        SortedIndex { names }
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when there are no names.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The names starting with `prefix`, in sorted order.
    pub fn with_prefix(&self, prefix: &str) -> &[&'a str] {
        let start = self.names.partition_point(|n| *n < prefix);
        let rest = self.names.get(start..).unwrap_or(&[]);
        let len = rest.partition_point(|n| n.starts_with(prefix));
        rest.get(..len).unwrap_or(&[])
    }

    /// How many names start with `prefix`.
    pub fn count_prefix(&self, prefix: &str) -> usize {
        self.with_prefix(prefix).len()
    }

    /// All names, sorted and de-duplicated.
    pub fn names(&self) -> &[&'a str] {
        &self.names
    }

    /// True if `name` is one of the names.
    pub fn contains(&self, name: &str) -> bool {
        self.names.binary_search(&name).is_ok()
    }
}

/// A Mach-O symbol name without the decoration the linker adds: a leading
/// `_OBJC_CLASS_$_`, `_OBJC_METACLASS_$_` or `_` (C symbols).
pub fn normalize_symbol(symbol: &str) -> &str {
    for p in [
        "_OBJC_CLASS_$_",
        "_OBJC_METACLASS_$_",
        "OBJC_CLASS_$_",
        "OBJC_METACLASS_$_",
    ] {
        if let Some(rest) = symbol.strip_prefix(p) {
            return rest;
        }
    }
    symbol.strip_prefix('_').unwrap_or(symbol)
}

/// The library name of a linked install name: the last path component
/// without `.dylib` / `.tbd` (`@rpath/Sentry.framework/Sentry` → `Sentry`,
/// `/usr/lib/libsqlite3.dylib` → `libsqlite3`).
pub fn dylib_name(install_name: &str) -> &str {
    let last = install_name.rsplit('/').next().unwrap_or(install_name);
    last.strip_suffix(".dylib")
        .or_else(|| last.strip_suffix(".tbd"))
        .unwrap_or(last)
}

/// The file name of a path (`lib/arm64-v8a/libsentry.so` → `libsentry.so`).
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Keeps of `prefixes` only those not already covered by a shorter one in the
/// same list (`io.fabric.` makes `io.fabric.sdk.android.` redundant), in order.
pub fn minimal_prefixes(prefixes: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(prefixes.len());
    for p in prefixes {
        let covered = prefixes
            .iter()
            .any(|q| q.len() < p.len() && p.starts_with(q.as_str()));
        if !covered && !out.contains(p) {
            out.push(p.clone());
        }
    }
    out
}

/// Which matcher of which entry a pattern of a [`ClassScanner`] came from.
#[derive(Debug, Clone)]
pub struct PatternOwner {
    /// Index of the entry in the knowledge base.
    pub entry: usize,
    /// True for a `class_contains` substring, false for a `class_patterns` regex.
    pub contains: bool,
    /// The matcher as written in the knowledge base.
    pub text: String,
}

/// All `class_contains` and `class_patterns` of a knowledge base as one
/// [`regex::RegexSet`], so that class names are scanned once, whatever the
/// number of such matchers (class prefixes use the faster [`SortedIndex`]).
#[derive(Debug, Clone)]
pub struct ClassScanner {
    set: regex::RegexSet,
    owners: Vec<PatternOwner>,
}

impl ClassScanner {
    /// Builds the scanner; `None` when there is no pattern. Patterns were
    /// validated when the knowledge base was read.
    pub fn new(owners: Vec<PatternOwner>) -> Result<Option<Self>, regex::Error> {
        if owners.is_empty() {
            return Ok(None);
        }
        let sources = owners.iter().map(|o| {
            if o.contains {
                regex::escape(&o.text)
            } else {
                o.text.clone()
            }
        });
        let set = regex::RegexSetBuilder::new(sources)
            .size_limit(64 * 1024 * 1024)
            .build()?;
        Ok(Some(ClassScanner { set, owners }))
    }

    /// The pattern owners, index-aligned with [`ClassScanner::count`]'s result.
    pub fn owners(&self) -> &[PatternOwner] {
        &self.owners
    }

    /// For each pattern, how many of `names` it matches.
    pub fn count(&self, names: &[&str]) -> Vec<usize> {
        let mut counts = vec![0usize; self.owners.len()];
        for name in names {
            if self.set.is_match(name) {
                for i in self.set.matches(name).iter() {
                    if let Some(c) = counts.get_mut(i) {
                        *c += 1;
                    }
                }
            }
        }
        counts
    }
}
