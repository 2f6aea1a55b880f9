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
