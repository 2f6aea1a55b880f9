//! SDK detection from the signature knowledge base `checks/sdks.toml`.

use std::collections::BTreeMap;

use crate::facts::{MetaValue, SdkHit};

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
    /// Embedded framework names without extension (`FirebaseCrashlytics`) (iOS).
    pub frameworks: Vec<&'a str>,
    /// Linked dylib / framework install names (iOS).
    pub linked: Vec<&'a str>,
    /// Symbol names (iOS).
    pub symbols: &'a [String],
    /// Notable string constants found in code.
    pub strings: &'a [String],
    /// Configuration switches: Android `<meta-data>` of the application; iOS
    /// Info.plist keys (nested dictionaries flattened with `.`), plus
    /// `GoogleService-Info.plist` keys.
    pub switches: BTreeMap<String, MetaValue>,
}

/// The SDK signature knowledge base.
#[derive(Debug, Clone, Default)]
pub struct KnowledgeBase {}

impl KnowledgeBase {
    /// The knowledge base built into the binary (`checks/sdks.toml`).
    pub fn builtin() -> Self {
        KnowledgeBase {}
    }

    /// String constants worth looking for in code (union over all signatures).
    pub fn notable_strings(&self) -> Vec<String> {
        Vec::new()
    }

    /// Matches every signature against `input`.
    pub fn detect(&self, input: &SdkInput<'_>) -> Vec<SdkHit> {
        let _ = input;
        Vec::new()
    }
}
