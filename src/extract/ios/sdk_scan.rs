//! SDK detection over every binary of the bundle, one binary at a time:
//! the main executable with the embedded frameworks' names and the
//! Info.plist switches, then each framework, dylib, extension and watch-app
//! binary with its own class names, symbols and linked dylibs. Each piece of
//! evidence names the binary (or framework directory) it was found in.

use std::collections::BTreeMap;

use super::macho::MachoInfo;
use crate::extract::sdks::{KnowledgeBase, Platform, SdkInput};
use crate::facts::{MetaValue, SdkHit};

/// Collects SDK hits binary by binary (nothing of a binary is kept once
/// it is matched).
#[derive(Debug)]
pub struct SdkScan<'k> {
    kb: &'k KnowledgeBase,
    switches: BTreeMap<String, MetaValue>,
    hits: Vec<SdkHit>,
}

impl<'k> SdkScan<'k> {
    /// Starts a scan with the app's configuration switches (Info.plist,
    /// `GoogleService-Info.plist`).
    pub fn new(kb: &'k KnowledgeBase, switches: BTreeMap<String, MetaValue>) -> Self {
        SdkScan {
            kb,
            switches,
            hits: Vec::new(),
        }
    }

    /// Matches one binary: `path` is its entry name (named by the evidence),
    /// `frameworks` the embedded frameworks to match by name (given once,
    /// with the main executable).
    pub fn add(&mut self, path: &str, m: &MachoInfo, frameworks: Vec<&str>) {
        let input = SdkInput {
            platform: Platform::Ios,
            class_names: &m.objc_classes,
            frameworks,
            linked: m.linked_dylibs.iter().map(|d| d.name.as_str()).collect(),
            symbols: &m.symbols,
            binary: Some(path),
            switches: std::mem::take(&mut self.switches),
            ..SdkInput::default()
        };
        let hits = self.kb.detect(&input);
        self.switches = input.switches;
        self.kb.merge_hits(&mut self.hits, hits);
    }

    /// The hits, in knowledge-base order.
    pub fn finish(self) -> Vec<SdkHit> {
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hits_name_the_binary_they_were_found_in_and_merge() {
        let kb = KnowledgeBase::builtin();
        let mut scan = SdkScan::new(&kb, BTreeMap::new());
        let main = MachoInfo::default();
        scan.add(
            "P/A.app/A",
            &main,
            vec!["Watch/W.app/Frameworks/FirebaseCrashlytics.framework"],
        );
        let framework = MachoInfo {
            objc_classes: vec!["FIRCrashlytics".into()],
            ..MachoInfo::default()
        };
        scan.add(
            "P/A.app/Watch/W.app/Frameworks/FirebaseCrashlytics.framework/FirebaseCrashlytics",
            &framework,
            Vec::new(),
        );
        let hits = scan.finish();
        let crashlytics = hits
            .iter()
            .find(|h| h.id == "firebase-crashlytics")
            .expect("found by name and by class");
        let places: Vec<_> = crashlytics
            .evidence
            .iter()
            .map(|e| (e.kind.as_str(), e.location.as_deref().unwrap_or("")))
            .collect();
        assert!(
            places.contains(&(
                "framework",
                "Watch/W.app/Frameworks/FirebaseCrashlytics.framework"
            )),
            "{places:?}"
        );
        assert!(
            places.iter().any(|(k, l)| *k == "class_prefix"
                && l.ends_with("FirebaseCrashlytics.framework/FirebaseCrashlytics")),
            "{places:?}"
        );
        assert_eq!(
            hits.iter()
                .filter(|h| h.id == "firebase-crashlytics")
                .count(),
            1
        );
    }
}
