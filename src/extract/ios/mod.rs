//! iOS apps (IPA), read in memory.
//!
//! One job per module: [`bundle`] finds `Payload/*.app/`, [`plist`] reads
//! property lists with bounds, [`info`] turns the main Info.plist into facts,
//! [`macho`] reads the executable, [`codesign`] its embedded entitlements,
//! [`provision`] the provisioning profile, [`entitlements`] merges both,
//! [`frameworks`] lists embedded frameworks and extensions, [`privacy`]
//! reads privacy manifests, [`symbols`] picks notable API symbols,
//! [`binaries`] reads the frameworks', extensions' and watch apps' binaries
//! and [`apilist`] matches the curated APIs of `checks/ios-apis.toml`;
//! [`der_entitlements`] decodes the DER entitlements of the code signature,
//! [`code_directory`] its CodeDirectories, [`signing`] turns every binary's
//! signature into facts and evidence, and [`sdk_scan`] detects SDKs binary
//! by binary. Fields are documented in `docs/facts-ios.md`.

pub use crate::detect::bundle;
pub mod apilist;
pub mod binaries;
pub mod code_directory;
pub mod codesign;
pub mod der_entitlements;
pub mod entitlements;
pub mod frameworks;
pub mod info;
pub mod macho;
pub mod plist;
pub mod privacy;
pub mod provision;
pub mod sdk_scan;
pub mod signing;
pub mod symbols;

use std::collections::BTreeMap;

use thiserror::Error;

use crate::archive::{Archive, ArchiveError};
use crate::extract::endpoints::EndpointFinds;
use crate::extract::problems::Problems;
use crate::extract::ExtractOptions;
use crate::facts::warning::AppWarning;
use crate::facts::{
    AppFacts, EndpointSourceKind, FileInfo, IosFacts, MachoBinary, MetaValue, ObjcClasses,
    TargetKind,
};

/// Why an iOS app could not be read.
#[derive(Debug, Error)]
pub enum IosError {
    /// No `Payload/*.app/` bundle in the archive.
    #[error("no Payload/*.app bundle in the archive")]
    NoAppBundle,
    /// The main Info.plist could not be inflated.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// The main Info.plist is unreadable.
    #[error("{path}: {source}")]
    InfoPlist {
        /// Entry name.
        path: String,
        /// Why.
        source: plist::PlistError,
    },
}

/// Why an IPA whose Info.plist names a main executable (`CFBundleExecutable`
/// = `name`) that the bundle does not hold is not read: iOS refuses to
/// install it. The reason of the unread executable entry
/// ([`Problems::unread_as`]), which makes the target an error while its
/// other facts are still shown; German in `lang::wording_de`.
pub fn executable_missing_reason(name: &str) -> String {
    format!("Info.plist names the main executable \"{name}\" (CFBundleExecutable), but the bundle does not hold it: iOS refuses to install the app")
}

/// Why an IPA whose app bundle holds no Info.plist is not read: iOS refuses
/// to install it (installd: "Failed to load Info.plist from bundle"). The
/// reason of the unread Info.plist entry; German in `lang::wording_de`.
pub fn info_plist_missing_reason() -> String {
    "the app bundle holds no Info.plist: iOS refuses to install the app (\"Failed to load Info.plist from bundle\")".to_string()
}

/// Why an IPA whose Info.plist names no main executable (no
/// `CFBundleExecutable`, or an empty one) is not read: iOS refuses to
/// install it (installd: "missing or invalid CFBundleExecutable in its
/// Info.plist"). The reason of the unread Info.plist entry; German in
/// `lang::wording_de`.
pub fn executable_unnamed_reason() -> String {
    "Info.plist names no main executable (CFBundleExecutable is missing or empty): iOS refuses to install the app (\"missing or invalid CFBundleExecutable\")".to_string()
}

/// Extracts the facts of an IPA (or a zipped `.app` bundle).
///
/// Only a missing bundle or an unreadable main Info.plist is an error. A
/// bundle iOS refuses to install has an unread entry (the target is an
/// error, its other facts still shown): without Info.plist, with an
/// Info.plist that names no main executable, or without the executable it
/// names; another missing part (an executable whose name is only guessed,
/// the profile) is a warning; a part that is present
/// but cannot be read in full (the executable or its code signature, the
/// provisioning profile, a framework's or extension's Info.plist, a privacy
/// manifest, `GoogleService-Info.plist`) goes to the unread entries, which
/// make the target an error: facts may be missing.
pub fn extract_ipa(
    file: FileInfo,
    archive: &Archive<'_>,
    options: &ExtractOptions,
) -> Result<AppFacts, IosError> {
    let limits = &options.limits;
    let bundle = bundle::find_bundle(archive.entries()).ok_or(IosError::NoAppBundle)?;
    let mut problems = Problems::default();
    let mut facts = IosFacts {
        bundle_path: bundle.path().to_string(),
        ..IosFacts::default()
    };

    // Info.plist
    let info_name = bundle.entry("Info.plist");
    let info = if archive.contains(&info_name) {
        let bytes = archive.read(&info_name)?;
        Some(
            plist::read_dict(&bytes, limits).map_err(|source| IosError::InfoPlist {
                path: info_name.clone(),
                source,
            })?,
        )
    } else {
        // Read as the platform reads: iOS refuses a bundle without its
        // Info.plist. The entry that carries the app's identity and
        // settings is unread: the target is an error (exit 4).
        problems.warn(AppWarning::InfoPlistMissing {
            path: info_name.clone(),
        });
        problems.unread_as(
            &info_name,
            crate::facts::UnreadKind::Damage,
            info_plist_missing_reason(),
        );
        None
    };
    let mut app = info.as_ref().map(info::app_info).unwrap_or_default();
    if let Some(info) = &info {
        facts.info_plist = serde_json::Value::Object(plist::dict_to_json(info));
        info::fill(info, &mut facts);
    }

    // Main executable: the one Info.plist names, else (no Info.plist or no
    // CFBundleExecutable) guessed from the bundle's name.
    let named_exe = info
        .as_ref()
        .and_then(|i| plist::get_string(i, "CFBundleExecutable"))
        .filter(|name| !name.trim().is_empty());
    if info.is_some() && named_exe.is_none() {
        // iOS refuses a bundle whose Info.plist names no main executable.
        problems.unread_as(
            &info_name,
            crate::facts::UnreadKind::Damage,
            executable_unnamed_reason(),
        );
    }
    let exe_name = named_exe
        .clone()
        .unwrap_or_else(|| bundle.stem().to_string());
    let exe_entry = bundle.entry(&exe_name);
    let mut macho_info = None;
    let mut endpoints = EndpointFinds::default();
    let mut signature_ents = None;
    let mut main_signature = None;
    if archive.contains(&exe_entry) {
        match archive.read(&exe_entry) {
            Ok(bytes) => match macho::read_macho(&bytes) {
                Ok(m) => {
                    endpoints.scan(&bytes, &exe_entry, EndpointSourceKind::MachoString);
                    for (slice, error) in &m.warnings {
                        problems.warn(AppWarning::MachoLenient {
                            entry: exe_entry.clone(),
                            slice: *slice,
                            error: error.clone(),
                        });
                    }
                    for (kind, why) in &m.incomplete {
                        problems.unread_as(&exe_entry, *kind, why.clone());
                    }
                    let sig =
                        signing::read_signature(&bytes, &m, &exe_entry, limits, &mut problems);
                    if let Some(e) = &sig.facts.entitlements {
                        facts.entitlements_der = e.der.clone();
                    }
                    signature_ents = sig.entitlements;
                    main_signature = Some(sig.facts);
                    macho_info = Some(m);
                }
                Err(e) => problems.unread(&exe_entry, &e),
            },
            Err(e) => problems.unread(&exe_entry, &e),
        }
    } else if let Some(named) = &named_exe {
        // Read as the platform reads: iOS refuses to install a bundle
        // without the executable its Info.plist names. There is no app to
        // audit: the missing entry carries facts and could not be read, so
        // the target is an error (exit 4), its other facts still shown.
        let why = executable_missing_reason(named);
        problems.unread_as(&exe_entry, crate::facts::UnreadKind::Damage, why);
    } else {
        // A guessed name proves nothing missing: the code is not read.
        problems.warn(AppWarning::ExecutableMissing {
            entry: exe_entry.clone(),
        });
    }

    // Provisioning profile
    let profile_name = bundle.entry("embedded.mobileprovision");
    let mut profile_ents = None;
    if archive.contains(&profile_name) {
        match archive.read(&profile_name) {
            Ok(b) => match provision::read_profile(&b, limits) {
                Ok(p) => {
                    facts.provisioning = Some(p.facts);
                    profile_ents = Some(p.entitlements);
                }
                Err(e) => problems.unread(&profile_name, &e),
            },
            Err(e) => problems.unread(&profile_name, &e),
        }
    }
    entitlements::fill(profile_ents.as_ref(), signature_ents.as_ref(), &mut facts);

    // Binary facts
    if let Some(m) = &macho_info {
        facts.linked_frameworks = m
            .linked_dylibs
            .iter()
            .filter_map(|d| macho::framework_of(&d.name).map(str::to_string))
            .collect();
        facts.encrypted = Some(m.encrypted);
        if m.encrypted {
            problems.warn(AppWarning::ExecutableEncrypted {
                entry: exe_entry.clone(),
            });
        }
        facts.symbols_readable = !m.symbols.is_empty();
        facts.notable_symbols = symbols::notable(&m.symbols, &m.objc_classes);
        facts.objc_classes = ObjcClasses {
            count: m.objc_classes.len(),
            names: if options.full {
                m.objc_classes.clone()
            } else {
                Vec::new()
            },
        };
        facts.binary = Some(MachoBinary {
            path: exe_entry.clone(),
            architectures: m.architectures.clone(),
            platform: m.platform.clone(),
            min_os: m.min_os.clone(),
            sdk: m.sdk.clone(),
            pie: m.pie,
            encrypted: m.encrypted,
            linked_dylibs: m.linked_dylibs.clone(),
        });
        if app.min_os.is_none() {
            app.min_os = m.min_os.clone();
        }
        if app.target_os.is_none() {
            app.target_os = m.sdk.clone();
        }
    }

    facts.frameworks = frameworks::frameworks(archive, &bundle, limits, &mut problems);
    facts.extensions = frameworks::extensions(archive, &bundle, limits, &mut problems);

    // Privacy manifests and Firebase configuration
    let mut google = None;
    for e in archive.entries() {
        let Some(rel) = bundle.relative(&e.name) else {
            continue;
        };
        if e.is_dir {
            continue;
        }
        let file_name = rel.rsplit('/').next().unwrap_or(rel);
        let is_privacy = file_name == "PrivacyInfo.xcprivacy";
        let is_google = rel == "GoogleService-Info.plist";
        if !is_privacy && !is_google {
            continue;
        }
        match frameworks::read_plist_entry(archive, &e.name, limits, &mut problems) {
            Some(d) if is_privacy => facts
                .privacy_manifests
                .push(privacy::from_dict(&e.name, &d)),
            Some(d) => google = Some(d),
            None => {}
        }
    }
    facts.google_service_info = google.as_ref().map(plist::dict_to_json);

    // Code, signature and SDKs of every binary: main executable, frameworks,
    // extensions, watch apps and their frameworks and extensions.
    let mut switches: BTreeMap<String, MetaValue> = BTreeMap::new();
    if let Some(info) = &info {
        plist::flatten_switches(info, &mut switches);
    }
    if let Some(g) = &google {
        plist::flatten_switches(g, &mut switches);
    }
    let nested = binaries::nested_binaries(archive, &bundle, limits, &mut problems);
    let api_list = apilist::IosApiList::builtin();
    let mut scan = binaries::CodeScan::new();
    let mut sdk_scan = sdk_scan::SdkScan::new(&options.sdks, switches);
    // Frameworks by name: the app's, then the watch apps'.
    let bundle_frameworks: Vec<String> = facts
        .frameworks
        .iter()
        .filter(|f| f.kind == "framework")
        .map(|f| f.name.clone())
        .chain(
            nested
                .iter()
                .filter(|(role, _)| *role == "watch_framework")
                .filter_map(|(_, n)| {
                    let rel = bundle.relative(n)?;
                    Some(rel.rsplit_once('/').map_or(rel, |(dir, _)| dir).to_string())
                }),
        )
        .collect();
    let by_name = bundle_frameworks.iter().map(String::as_str).collect();
    match &macho_info {
        Some(m) => {
            let sig = main_signature.take().unwrap_or_default();
            scan.add(&exe_entry, binaries::ROLE_MAIN, m, sig, api_list);
            sdk_scan.add(&exe_entry, m, by_name);
        }
        None => {
            scan.incomplete();
            sdk_scan.add(&exe_entry, &macho::MachoInfo::default(), by_name);
        }
    }
    for (role, name) in nested {
        match binaries::read_binary(archive, &name, limits, &mut problems) {
            Some((m, sig)) => {
                scan.add(&name, role, &m, sig.facts, api_list);
                sdk_scan.add(&name, &m, Vec::new());
            }
            None => scan.incomplete(),
        }
    }
    facts.code = scan.finish(api_list);
    if let Some(code) = &mut facts.code {
        signing::compare_with_main(code, &mut problems);
    }
    let sdks = sdk_scan.finish();
    app.set_os_numbers(TargetKind::Ios);
    endpoints.info_plist(&facts.info_plist, &info_name);
    let (endpoints, endpoints_capped) = endpoints.finish(&options.sdks);

    Ok(AppFacts {
        kind: TargetKind::Ios,
        file,
        app,
        android: None,
        ios: Some(facts),
        sdks,
        endpoints,
        endpoints_capped,
        warnings: problems.warnings.into(),
        unread: problems.unread,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_named_executable_is_refused_in_english_and_german() {
        let en = executable_missing_reason("Secure Chat");
        assert_eq!(
            en,
            "Info.plist names the main executable \"Secure Chat\" (CFBundleExecutable), but the bundle does not hold it: iOS refuses to install the app"
        );
        assert_eq!(
            crate::lang::wording_de::known(&en).as_deref(),
            Some("Die Info.plist nennt die ausführbare Hauptdatei „Secure Chat“ (CFBundleExecutable), das Bundle enthält sie aber nicht: iOS verweigert die Installation")
        );
    }

    #[test]
    fn bundles_without_info_plist_or_executable_name_are_refused_in_english_and_german() {
        for (en, de) in [
            (
                info_plist_missing_reason(),
                "Das App-Bundle enthält keine Info.plist: iOS verweigert die Installation („Failed to load Info.plist from bundle“)",
            ),
            (
                executable_unnamed_reason(),
                "Die Info.plist nennt keine ausführbare Hauptdatei (CFBundleExecutable fehlt oder ist leer): iOS verweigert die Installation („missing or invalid CFBundleExecutable“)",
            ),
        ] {
            assert_eq!(crate::lang::wording_de::known(&en).as_deref(), Some(de));
        }
    }
}
