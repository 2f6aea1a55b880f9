//! Decides what kind of input a file is, by its bytes — never by its name alone.
//!
//! The one place that tells inputs apart: zips (APK, split set, IPA) by their
//! entry names ([`classify_zip`]), inventory exports by their first bytes
//! ([`inventory`]), facts documents and saved JSON reports by their shape
//! ([`content`]), and which files a folder scan reads at all ([`sniff`]).

pub mod bundle;
pub mod content;
pub mod inventory;

pub use content::{
    facts_document_kind, is_saved_report, looks_like_app_name, sniff, starts_like_facts,
    starts_like_json, starts_like_report, FactsDocKind,
};

use crate::archive::EntryInfo;

/// What an input file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A single Android APK (zip with `AndroidManifest.xml`).
    AndroidApk,
    /// An Android split set (.apks / .xapk: a zip of APKs).
    AndroidSplitSet,
    /// An iOS app (IPA: zip with `Payload/*.app/`).
    IosIpa,
    /// A zip that is none of the above.
    OtherZip,
    /// Not a zip: possibly an MDM inventory (JSON, XML, plist, CSV).
    NotZip,
}

/// Whether `bytes` start like a zip archive (local header or empty archive).
pub fn looks_like_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
        // APKs may carry data before the first local header; Android reads
        // from the end of central directory, so look for its signature.
        || find_eocd(bytes).is_some()
}

/// Offset of the end-of-central-directory record Android uses: the last
/// signature in the final 64 KiB + 22 bytes (see [`crate::archive`]).
pub fn find_eocd(bytes: &[u8]) -> Option<usize> {
    crate::archive::find_end_record(bytes)
}

/// Classifies a zip by its entry names.
pub fn classify_zip(entries: &[EntryInfo]) -> InputKind {
    let has = |pred: &dyn Fn(&str) -> bool| entries.iter().any(|e| pred(&e.name));
    if has(&|n| n == "AndroidManifest.xml") {
        return InputKind::AndroidApk;
    }
    // `Payload/X.app/` (App Store layout), one folder deeper, or a zipped
    // `X.app/` (simulator builds): an app bundle with its Info.plist.
    if let Some(bundle) = bundle::find_bundle(entries) {
        let info = bundle.entry("Info.plist");
        let in_payload =
            bundle.path().starts_with("Payload/") || bundle.path().contains("/Payload/");
        if in_payload || has(&|n| n == info) {
            return InputKind::IosIpa;
        }
    }
    if has(&|n| n.to_ascii_lowercase().ends_with(".apk")) {
        return InputKind::AndroidSplitSet;
    }
    InputKind::OtherZip
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Empty central-directory entries with these names (a name ending in
    /// `/` is a directory), for the detect tests of this module and its
    /// children.
    pub(super) fn entries(names: &[&str]) -> Vec<EntryInfo> {
        names
            .iter()
            .map(|n| EntryInfo {
                name: n.to_string(),
                size: 0,
                compressed_size: 0,
                is_dir: n.ends_with('/'),
            })
            .collect()
    }

    #[test]
    fn classifies_by_entries() {
        assert_eq!(
            classify_zip(&entries(&["classes.dex", "AndroidManifest.xml"])),
            InputKind::AndroidApk
        );
        assert_eq!(
            classify_zip(&entries(&["Payload/Foo.app/Info.plist"])),
            InputKind::IosIpa
        );
        assert_eq!(
            classify_zip(&entries(&["build/Payload/Foo.app/Info.plist"])),
            InputKind::IosIpa
        );
        assert_eq!(
            classify_zip(&entries(&["Foo.app/Info.plist", "Foo.app/Foo"])),
            InputKind::IosIpa
        );
        assert_eq!(
            classify_zip(&entries(&["docs/Foo.app/readme.txt"])),
            InputKind::OtherZip,
            "a folder named .app without Info.plist is no app"
        );
        assert_eq!(
            classify_zip(&entries(&["toc.pb", "splits/base-master.apk"])),
            InputKind::AndroidSplitSet
        );
        assert_eq!(classify_zip(&entries(&["a.txt"])), InputKind::OtherZip);
    }

    #[test]
    fn finds_eocd_with_comment() {
        let mut z = b"PK\x05\x06".to_vec();
        z.extend_from_slice(&[0u8; 18]);
        z.extend_from_slice(b"comment");
        assert_eq!(find_eocd(&z), Some(0));
        assert!(find_eocd(b"short").is_none());
    }
}
