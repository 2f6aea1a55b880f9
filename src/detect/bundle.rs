//! Locating the app bundle inside an IPA and naming its parts.

use crate::archive::EntryInfo;

/// The app bundle inside the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// Entry-name prefix of the bundle, with trailing `/`, e.g. `Payload/Signal.app/`.
    pub prefix: String,
}

impl Bundle {
    /// The bundle path without trailing `/`, e.g. `Payload/Signal.app`.
    pub fn path(&self) -> &str {
        self.prefix.trim_end_matches('/')
    }

    /// The bundle directory name without `.app`, e.g. `Signal`.
    pub fn stem(&self) -> &str {
        let dir = self.path().rsplit('/').next().unwrap_or_default();
        dir.strip_suffix(".app").unwrap_or(dir)
    }

    /// The entry name of `relative` inside the bundle.
    pub fn entry(&self, relative: &str) -> String {
        format!("{}{relative}", self.prefix)
    }

    /// The path of an entry relative to the bundle, if it lies inside it.
    pub fn relative<'a>(&self, entry: &'a str) -> Option<&'a str> {
        entry.strip_prefix(self.prefix.as_str())
    }
}

/// The `<dir>.app/` prefix of an entry name, ending right after the first
/// path segment that ends in `.app`; `None` inside `__MACOSX/` resource forks.
fn app_prefix(name: &str) -> Option<&str> {
    if name.starts_with("__MACOSX/") {
        return None;
    }
    let mut end = 0usize;
    for seg in name.split('/') {
        let seg_end = end.checked_add(seg.len())?;
        if seg.ends_with(".app") && seg.len() > 4 && seg_end < name.len() {
            return name.get(..seg_end.checked_add(1)?);
        }
        end = seg_end.checked_add(1)?;
    }
    None
}

/// Finds the app bundle: `Payload/<X>.app/` as the App Store ships it; else
/// a `Payload/<X>.app/` below one extra top-level folder; else a zipped
/// `<X>.app/` (simulator builds). The shallowest candidate wins (a watch app
/// inside the main app is not the main app).
pub fn find_bundle(entries: &[EntryInfo]) -> Option<Bundle> {
    let mut best: Option<(u8, usize, &str)> = None;
    for e in entries {
        let Some(prefix) = app_prefix(&e.name) else {
            continue;
        };
        let rank = if prefix.starts_with("Payload/") {
            0
        } else if prefix.contains("/Payload/") {
            1
        } else {
            2
        };
        let depth = prefix.matches('/').count();
        let key = (rank, depth, prefix);
        if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
            best = Some(key);
        }
    }
    best.map(|(_, _, p)| Bundle {
        prefix: p.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::tests::entries;

    #[test]
    fn finds_payload_nested_and_zipped_bundles() {
        let b = find_bundle(&entries(&[
            "Payload/A.app/Watch/W.app/Info.plist",
            "Payload/A.app/Info.plist",
        ]))
        .unwrap();
        assert_eq!(b.prefix, "Payload/A.app/");
        assert_eq!(b.stem(), "A");
        assert_eq!(b.relative("Payload/A.app/x/y"), Some("x/y"));
        let b = find_bundle(&entries(&[
            "__MACOSX/x/Payload/S.app/._Info.plist",
            "x/Payload/S.app/Info.plist",
        ]))
        .unwrap();
        assert_eq!(b.path(), "x/Payload/S.app");
        let b = find_bundle(&entries(&["TestApp.app/", "TestApp.app/TestApp"])).unwrap();
        assert_eq!(b.prefix, "TestApp.app/");
        assert!(find_bundle(&entries(&["Payload/", "readme.txt", ".app/"])).is_none());
    }
}
