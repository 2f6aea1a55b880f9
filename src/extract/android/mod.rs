//! Android apps: APKs and split sets (.apks / .xapk), read in memory.
//!
//! One job per module: [`axml`] decodes binary XML, [`arsc`] the resource
//! table, [`manifest`] turns both into manifest facts, [`xmlres`] decodes
//! the XML files the manifest points to, [`dex`] reads DEX tables, [`native`]
//! ELF libraries, [`permissions`] what Android grants beyond the requested
//! permissions, [`signing`] the v1/v2/v3 signatures, [`splits`] merges
//! split sets, [`loose`] groups split APKs given as loose files and reads
//! them as one set. The zip structure itself is read as Android reads it by
//! [`crate::archive`].

pub mod arsc;
pub mod attrs;
pub mod axml;
pub mod chunk;
pub mod dex;
pub mod loose;
pub mod manifest;
pub mod native;
pub mod permissions;
pub mod signing;
pub mod splits;
pub mod strpool;
pub mod xmlres;

use thiserror::Error;

use crate::archive::{Archive, ArchiveError};
use crate::extract::endpoints::EndpointFinds;
use crate::extract::problems::Problems;
use crate::extract::sdks::{Platform, SdkInput};
use crate::extract::ExtractOptions;
use crate::facts::{AndroidFacts, AppFacts, FileInfo, NativeLib, Signing, TargetKind};

/// Why an Android app could not be read.
#[derive(Debug, Error)]
pub enum AndroidError {
    /// The container could not be read.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// `AndroidManifest.xml` is missing or undecodable.
    #[error("AndroidManifest.xml: {0}")]
    Manifest(#[from] manifest::ManifestError),
    /// A split set holds no base APK.
    #[error("split set without a base APK (no APK inside has a manifest without a split name)")]
    NoBaseApk,
    /// A split APK given without its base APK: Android refuses to install
    /// it alone (German in `lang::wording_de`).
    #[error("split APK \"{split}\" of the app {package}: Android installs a split only together with its base APK; give the base APK too, or scan the whole split set (.apks)")]
    SplitWithoutBase {
        /// The manifest's `split` attribute.
        split: String,
        /// The manifest's `package` attribute (empty when absent).
        package: String,
    },
    /// A split APK among a scan's files with several base APKs of its
    /// package and versionCode among them, and not exactly one in its own
    /// folder: which one it belongs to is not clear, so it is refused
    /// (German in `lang::wording_de`).
    #[error("split APK \"{split}\" of the app {package}: the scan holds {} base APKs of this app ({}), and which one it belongs to is not clear; Android installs a split only together with its own base APK: scan each split set on its own (in a folder of its own, or as .apks)", bases.len(), bases.join(", "))]
    SplitOfSeveralBases {
        /// The manifest's `split` attribute.
        split: String,
        /// The manifest's `package` attribute.
        package: String,
        /// The base APKs it could belong to, as given.
        bases: Vec<String>,
    },
    /// A member file of a split set given as loose APK files could not be
    /// opened (it could when the scan grouped it).
    #[error("{name}: an APK file of the split set cannot be read: {source}")]
    MemberFile {
        /// The member's name in the set.
        name: String,
        /// Why it could not be opened.
        source: std::io::Error,
    },
}

/// Why an APK whose manifest declares code (`<application android:hasCode>`
/// absent or `true`) but that holds no `classes.dex` is not read: Android
/// refuses to install it (PackageManager: "code is missing"). The reason of
/// the unread `classes.dex` ([`Problems::unread_as`]), which makes the
/// target an error while its other facts are still shown; German in
/// `lang::wording_de`.
pub fn code_missing_reason(has_code: Option<bool>) -> String {
    let has_code = match has_code {
        Some(_) => "android:hasCode=\"true\"",
        None => "android:hasCode is absent, so true",
    };
    format!("the manifest declares code ({has_code}), but the APK holds no classes.dex: Android refuses to install it (\"code is missing\")")
}

/// Everything read from one APK (a plain APK or one member of a split set).
#[derive(Debug, Clone, Default)]
pub struct ApkParts {
    /// The manifest.
    pub manifest: manifest::Manifest,
    /// DEX tables and class names.
    pub dex: dex::DexOutput,
    /// Native libraries.
    pub native_libs: Vec<NativeLib>,
    /// Signatures.
    pub signing: Signing,
    /// Hosts from resource strings, DEX strings and native libraries.
    pub endpoints: EndpointFinds,
}

/// Reads manifest, DEX, native libraries and signatures of one APK.
/// `prefix` is put before DEX and library names (the APK's name in split sets).
/// Entries that carry facts but cannot be read go to `problems.unread`
/// (without the prefix: split sets add it when merging the problems).
pub fn read_apk_parts(
    archive: &Archive<'_>,
    prefix: &str,
    options: &ExtractOptions,
    problems: &mut Problems,
) -> Result<ApkParts, AndroidError> {
    let manifest = manifest::read_manifest(archive, &options.limits, problems)?;
    read_apk_content(archive, manifest, prefix, options, problems)
}

/// [`read_apk_parts`] after the manifest: DEX, native libraries, signatures
/// and endpoints of the APK whose manifest is `manifest`.
fn read_apk_content(
    archive: &Archive<'_>,
    mut manifest: manifest::Manifest,
    prefix: &str,
    options: &ExtractOptions,
    problems: &mut Problems,
) -> Result<ApkParts, AndroidError> {
    let limits = &options.limits;
    let notable = options.sdks.notable_strings();
    let mut dex = dex::read_dex(archive, prefix, &notable, limits, problems);
    // Read as the platform reads: an APK whose manifest declares code
    // (`android:hasCode` absent or true; also without `<application>`, as
    // for splits) must hold `classes.dex`, or Android refuses to install it
    // (PackageManager: "code is missing"). There is no app to audit.
    // The missing entry is one that carries facts and could not be read:
    // the target is an error (exit 4), its facts still shown.
    let has_code = manifest.facts.application.has_code;
    if has_code != Some(false) && !dex.has_classes_dex {
        let why = code_missing_reason(has_code);
        problems.unread_as("classes.dex", crate::facts::UnreadKind::Damage, why);
        dex.code.code_missing();
    }
    let mut endpoints = std::mem::take(&mut manifest.endpoints);
    endpoints.prefix_files(prefix);
    endpoints.merge(std::mem::take(&mut dex.endpoints));
    let native_libs = native::read_native_libs_scanning(archive, prefix, problems, &mut endpoints);
    let (mut signing, signers) = signing::read_signing_by_scheme(archive, problems);
    // An APK without minSdkVersion runs from API level 1.
    let min_sdk = match manifest.app.min_os.as_deref() {
        None => Some(1),
        Some(v) => crate::facts::os_version::android_api_level(v),
    };
    for w in signing::scheme_warnings(&mut signing, &signers, min_sdk) {
        problems.warn(w);
    }
    Ok(ApkParts {
        manifest,
        dex,
        native_libs,
        signing,
        endpoints,
    })
}

/// Extracts the facts of a single APK. A split APK (its manifest has a
/// `split` attribute) is refused, as Android refuses to install it without
/// its base: [`AndroidError::SplitWithoutBase`].
pub fn extract_apk(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, AndroidError> {
    let mut problems = Problems::default();
    let manifest = manifest::read_manifest(archive, &options.limits, &mut problems)?;
    if let Some(split) = &manifest.split {
        return Err(AndroidError::SplitWithoutBase {
            split: split.clone(),
            package: manifest.app.id.clone().unwrap_or_default(),
        });
    }
    let parts = read_apk_content(archive, manifest, "", options, &mut problems)?;
    let name = file
        .path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file.path.as_str())
        .to_string();
    Ok(assemble(file, vec![name], parts, (options, ""), problems))
}

/// Extracts the facts of a split set: the base APK merged with its splits.
pub fn extract_split_set(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, AndroidError> {
    let mut problems = Problems::default();
    let merged = splits::read_split_set(archive, options, &mut problems)?;
    let base_prefix = format!("{}/", merged.apks[0]);
    Ok(assemble(
        file,
        merged.apks,
        merged.parts,
        (options, &base_prefix),
        problems,
    ))
}

/// Extracts the facts of a split set given as loose APK files, base first
/// ([`loose`]): merged as [`extract_split_set`] merges a `.apks`. `files`
/// describes the members in the same order (path, size, SHA-256): the first
/// is the target's file, and all of them are listed in
/// [`AndroidFacts::apk_files`].
pub fn extract_loose_set(
    members: &[loose::LooseApk<'_>],
    files: Vec<FileInfo>,
    options: &ExtractOptions,
) -> Result<AppFacts, AndroidError> {
    let mut problems = Problems::default();
    let merged = loose::read_loose_set(members, options, &mut problems)?;
    let base_prefix = format!("{}/", merged.apks[0]);
    let file = files.first().cloned().unwrap_or_default();
    let mut facts = assemble(
        file,
        merged.apks,
        merged.parts,
        (options, &base_prefix),
        problems,
    );
    if let Some(android) = &mut facts.android {
        android.apk_files = files;
    }
    Ok(facts)
}

/// Builds the facts from the parts and runs SDK detection. `base_prefix`
/// is put before the manifest's files in endpoint sources (the base APK's
/// name in split sets).
fn assemble(
    file: FileInfo,
    apks: Vec<String>,
    parts: ApkParts,
    (options, base_prefix): (&ExtractOptions, &str),
    problems: Problems,
) -> AppFacts {
    let ApkParts {
        manifest,
        dex,
        native_libs,
        signing,
        mut endpoints,
    } = parts;
    let mut android = AndroidFacts {
        apks,
        native_libs,
        signing,
        dex: dex.facts,
        ..manifest.facts
    };
    android.code = dex.code.finish(
        manifest.app.id.as_deref(),
        android.application.name.as_deref(),
    );
    // SDK signatures match the app's own classes and the platform APIs it uses.
    let own_classes = dex.class_names.len();
    let mut matchable = dex.class_names;
    matchable.extend(dex.platform_types);
    permissions::apply(
        &mut android,
        permissions::PermissionRules::builtin(),
        &manifest.plain_permissions,
        permissions::target_sdk(manifest.app.target_os.as_deref()),
        &matchable,
    );
    let sdks = {
        let input = SdkInput {
            platform: Platform::Android,
            class_names: &matchable,
            native_libs: android
                .native_libs
                .iter()
                .map(|l| l.name.as_str())
                .collect(),
            components: android.components.iter().map(|c| c.name.as_str()).collect(),
            permissions: android.permissions.iter().map(String::as_str).collect(),
            strings: &android.dex.notable_strings,
            switches: android.meta_data.clone(),
            ..SdkInput::default()
        };
        options.sdks.detect(&input)
    };
    endpoints.android_manifest(&android, base_prefix);
    let (endpoints, endpoints_capped) = endpoints.finish(&options.sdks);
    if options.full {
        matchable.truncate(own_classes);
        android.dex.class_names = matchable;
    }
    AppFacts {
        kind: TargetKind::Android,
        file,
        app: manifest.app,
        android: Some(android),
        ios: None,
        sdks,
        endpoints,
        endpoints_capped,
        warnings: problems.warnings.into(),
        unread: problems.unread,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_refusal_names_has_code_in_english_and_german() {
        let absent = code_missing_reason(None);
        assert!(
            absent.contains("(android:hasCode is absent, so true)"),
            "{absent}"
        );
        assert_eq!(
            crate::lang::wording_de::known(&absent).as_deref(),
            Some("Das Manifest gibt Code an (android:hasCode ist nicht gesetzt, gilt also als true), die APK enthält aber keine classes.dex: Android verweigert die Installation („code is missing“)")
        );
        let set = code_missing_reason(Some(true));
        assert!(set.contains("(android:hasCode=\"true\")"), "{set}");
        assert_eq!(
            crate::lang::wording_de::known(&set).as_deref(),
            Some("Das Manifest gibt Code an (android:hasCode=\"true\"), die APK enthält aber keine classes.dex: Android verweigert die Installation („code is missing“)")
        );
    }
}
