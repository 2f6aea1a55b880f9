//! Split sets: bundletool `.apks` (`splits/*.apk`, or `standalones/*.apk`
//! when there are no splits), flat `.apks` (`base.apk` + `split_*.apk`) and
//! `.xapk` (a zip with `manifest.json` and APKs). Each inner APK is opened in
//! memory; the base is the APK whose manifest has no `split` attribute, and
//! the splits' DEX files, native libraries, components and permissions are
//! merged into it. An APK of the set that cannot be read, and every entry of
//! an APK that cannot be read, goes to the unread entries (named
//! `<apk entry>/<entry>`): the target becomes an error, it is never skipped.

use super::{read_apk_parts, AndroidError, ApkParts};
use crate::archive::{Archive, ArchiveError};
use crate::extract::problems::{kind_of_message, Classify, Problems};
use crate::extract::ExtractOptions;
use crate::facts::warning::AppWarning;
use crate::limits::Limits;

/// A merged split set.
#[derive(Debug, Clone, Default)]
pub struct MergedSet {
    /// Names of the APKs merged, base first.
    pub apks: Vec<String>,
    /// The merged parts.
    pub parts: ApkParts,
}

/// Names of the APK entries to read: every APK outside `standalones/`; when
/// there are only standalone APKs (bundletool's pre-Lollipop variants, each a
/// complete app for one device configuration), the first of them.
fn apk_entries(archive: &Archive<'_>, problems: &mut Problems) -> Vec<String> {
    let apks: Vec<&str> = archive
        .entries()
        .iter()
        .filter(|e| !e.is_dir && e.name.to_ascii_lowercase().ends_with(".apk"))
        .map(|e| e.name.as_str())
        .collect();
    let not_standalone: Vec<String> = apks
        .iter()
        .filter(|n| !n.starts_with("standalones/"))
        .map(|n| n.to_string())
        .collect();
    if !not_standalone.is_empty() {
        return not_standalone;
    }
    if apks.len() > 1 {
        problems.warn(AppWarning::SplitStandaloneOnly {
            count: apks.len(),
            read: apks.first().copied().unwrap_or_default().to_string(),
        });
    }
    apks.first()
        .map(|n| vec![n.to_string()])
        .unwrap_or_default()
}

/// Reads and merges a split set.
pub fn read_split_set(
    archive: &Archive<'_>,
    options: &ExtractOptions,
    problems: &mut Problems,
) -> Result<MergedSet, AndroidError> {
    if options.limits.max_nesting < 1 {
        problems.warn(AppWarning::SplitNestingDisabled);
        return Err(AndroidError::NoBaseApk);
    }
    let mut read: Vec<(String, ApkParts)> = Vec::new();
    let mut spent = archive.inflated_total();
    for name in apk_entries(archive, problems) {
        let budget = options.limits.max_total_inflated.saturating_sub(spent);
        let mut inner_limits = Limits {
            max_total_inflated: budget,
            max_nesting: options.limits.max_nesting - 1,
            ..options.limits
        };
        let index = archive
            .entries()
            .iter()
            .position(|e| e.name == name)
            .unwrap_or(usize::MAX);
        // A STORED APK in a file is read in place; another is inflated
        // (and holds its bytes on the in-flight budget while it is read).
        let inflated;
        let opened = match archive.open_nested(index, inner_limits) {
            Ok(Some(inner)) => Ok(inner),
            Ok(None) => match archive.read_index(index) {
                Ok(bytes) => {
                    inflated = bytes;
                    spent = spent.saturating_add(inflated.len() as u64);
                    inner_limits.max_total_inflated = budget.saturating_sub(inflated.len() as u64);
                    Archive::new(&inflated, inner_limits)
                }
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        };
        let inner_options = ExtractOptions {
            limits: inner_limits,
            ..options.clone()
        };
        let member = read_member(&name, opened, &inner_options, problems)?;
        spent = spent.saturating_add(member.inflated);
        if let Some(parts) = member.parts {
            read.push((name, parts));
        }
    }
    merge_members(read, problems)
}

/// What reading one member APK of a split set gave.
pub(super) struct MemberRead {
    /// Its parts; `None` when it could not be opened or read (it is then
    /// among the unread entries, named by its name in the set).
    pub parts: Option<ApkParts>,
    /// Bytes inflated while reading it, for the set's budget.
    pub inflated: u64,
}

/// Reads one member APK of a split set (an entry of a `.apks`, or a loose
/// APK file), `opened` as its archive or the error opening it met: its
/// parts, named with `name/` in evidence, and its problems prefixed with
/// its name. A member that cannot be opened or read goes to the unread
/// entries (the target becomes an error); a trick in it is an error of the
/// whole set, never a split quietly left out.
pub(super) fn read_member(
    name: &str,
    opened: Result<Archive<'_>, ArchiveError>,
    options: &ExtractOptions,
    problems: &mut Problems,
) -> Result<MemberRead, AndroidError> {
    let inner = match opened {
        Ok(a) => a,
        Err(e) if e.is_tampering() => {
            return Err(AndroidError::Archive(ArchiveError::Nested {
                entry: name.to_string(),
                source: Box::new(e),
            }))
        }
        Err(e) => {
            problems.unread(name, &e);
            return Ok(MemberRead {
                parts: None,
                inflated: 0,
            });
        }
    };
    let mut own = Problems::default();
    let result = read_apk_parts(&inner, &format!("{name}/"), options, &mut own);
    let inflated = inner.inflated_total();
    problems.extend_prefixed(own, name);
    let parts = match result {
        Ok(parts) => Some(parts),
        // The APK's manifest, structure or archive could not be read:
        // whatever it holds (code, components, permissions) is unknown.
        Err(e) => {
            let kind = match &e {
                AndroidError::Archive(a) => a.unread_kind(),
                AndroidError::Manifest(super::manifest::ManifestError::Archive(a)) => {
                    a.unread_kind()
                }
                AndroidError::Manifest(super::manifest::ManifestError::Axml(a)) => a.unread_kind(),
                other => kind_of_message(&other.to_string()),
            };
            problems.unread_as(name, kind, e.to_string());
            None
        }
    };
    Ok(MemberRead { parts, inflated })
}

/// Merges the member APKs read (name and parts, in the set's order) into
/// one app, as Android installs them: the base is the APK whose manifest
/// has no `split` attribute (a conventionally named one first), and every
/// split of the base's package is merged into it; a second base or a split
/// of another package is left out with a warning.
pub(super) fn merge_members(
    mut read: Vec<(String, ApkParts)>,
    problems: &mut Problems,
) -> Result<MergedSet, AndroidError> {
    let is_base = |(_, p): &(String, ApkParts)| p.manifest.split.is_none();
    let base_index = read
        .iter()
        .position(|r| is_base(r) && is_base_name(&r.0))
        .or_else(|| read.iter().position(is_base))
        .ok_or(AndroidError::NoBaseApk)?;
    let (base_name, mut base) = read.remove(base_index);
    let package = base.manifest.app.id.clone();
    let mut apks = vec![base_name];
    for (name, split) in read {
        if split.manifest.split.is_none() {
            problems.warn(AppWarning::SplitSecondBase { apk: name });
            continue;
        }
        if split.manifest.app.id.is_some() && split.manifest.app.id != package {
            problems.warn(AppWarning::SplitOtherPackage {
                apk: name,
                package: split.manifest.app.id.clone().unwrap_or_default(),
            });
            continue;
        }
        merge(&mut base, split);
        apks.push(name);
    }
    Ok(MergedSet { apks, parts: base })
}

/// Whether an entry name is a conventional base APK name.
fn is_base_name(name: &str) -> bool {
    let file = name.rsplit('/').next().unwrap_or(name);
    matches!(file, "base.apk" | "base-master.apk") || file.starts_with("base-master")
}

/// Merges one split into the base.
fn merge(base: &mut ApkParts, split: ApkParts) {
    let facts = &mut base.manifest.facts;
    for p in split.manifest.facts.permissions {
        if !facts.permissions.contains(&p) {
            facts.permissions.push(p);
        }
    }
    facts.permissions.sort();
    let plain = &mut base.manifest.plain_permissions;
    for p in split.manifest.plain_permissions {
        if !plain.contains(&p) {
            plain.push(p);
        }
    }
    plain.sort();
    let facts = &mut base.manifest.facts;
    for c in split.manifest.facts.components {
        if !facts
            .components
            .iter()
            .any(|x| x.kind == c.kind && x.name == c.name)
        {
            facts.components.push(c);
        }
    }
    let d = &mut base.dex;
    d.facts.files.extend(split.dex.facts.files);
    d.facts.classes = d.facts.classes.saturating_add(split.dex.facts.classes);
    for u in split.dex.facts.cleartext_urls {
        if d.facts.cleartext_urls.len() < 200 && !d.facts.cleartext_urls.contains(&u) {
            d.facts.cleartext_urls.push(u);
        }
    }
    for s in split.dex.facts.notable_strings {
        if !d.facts.notable_strings.contains(&s) {
            d.facts.notable_strings.push(s);
        }
    }
    d.facts.notable_strings.sort();
    d.class_names.extend(split.dex.class_names);
    d.platform_types.extend(split.dex.platform_types);
    d.platform_types.sort_unstable();
    d.platform_types.dedup();
    d.code.merge(split.dex.code);
    base.native_libs.extend(split.native_libs);
    base.endpoints.merge(split.endpoints);
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::extract::android::axml::tests::{build_doc, Node};
    use crate::extract::android::axml::value_type;
    use crate::facts::{FileInfo, UnreadKind};
    use std::io::Write;

    const NO: u32 = 0xffff_ffff;

    /// A manifest of `com.ex` with, for splits, `split`; one uses-permission.
    fn manifest(split: Option<&str>, permission: &str) -> Vec<u8> {
        manifest_of("com.ex", split, permission)
    }

    /// A manifest with `package` and, for splits, `split`; one uses-permission.
    pub(in crate::extract::android) fn manifest_of(
        package: &str,
        split: Option<&str>,
        permission: &str,
    ) -> Vec<u8> {
        let s = [
            "n",
            "manifest",
            "package",
            package,
            "split",
            split.unwrap_or(""),
            "uses-permission",
            permission,
            "http://schemas.android.com/apk/res/android",
        ];
        let mut attrs = vec![(NO, 2, 3, value_type::STRING, 3)];
        if split.is_some() {
            attrs.push((NO, 4, 5, value_type::STRING, 5));
        }
        build_doc(
            &s,
            &[0x0101_0003],
            &[
                Node::Start(1, attrs),
                Node::Start(6, vec![(8, 0, 7, value_type::STRING, 7)]),
                Node::End(6),
                Node::End(1),
            ],
            0,
            0,
        )
    }

    /// A zip of `files` (name, bytes), deflated.
    pub(in crate::extract::android) fn zip(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (n, b) in files {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn xapk_merges_splits_and_lists_a_damaged_one_as_unread() {
        let base = zip(&[(
            "AndroidManifest.xml",
            &manifest(None, "android.permission.CAMERA"),
        )]);
        let split = zip(&[(
            "AndroidManifest.xml",
            &manifest(Some("config.de"), "android.permission.INTERNET"),
        )]);
        let xapk = zip(&[
            ("manifest.json", b"{}"),
            ("config.de.apk", &split),
            ("com.ex.apk", &base),
            ("broken.apk", b"not a zip at all"),
        ]);
        let archive = Archive::new(&xapk, Limits::default()).unwrap();
        let file = FileInfo {
            path: "x.xapk".into(),
            ..FileInfo::default()
        };
        let facts =
            super::super::extract_split_set(file, &archive, &ExtractOptions::default()).unwrap();
        let a = facts.android.unwrap();
        assert_eq!(
            a.apks,
            vec!["com.ex.apk", "config.de.apk"],
            "base first, the broken one left out"
        );
        assert_eq!(facts.app.id.as_deref(), Some("com.ex"));
        assert_eq!(
            a.permissions,
            vec!["android.permission.CAMERA", "android.permission.INTERNET"]
        );
        // These APKs declare code (no android:hasCode) but hold no
        // classes.dex, which Android refuses: unread, as the broken one.
        let unread: Vec<(&str, UnreadKind)> = facts
            .unread
            .iter()
            .map(|u| (u.entry.as_str(), u.kind))
            .collect();
        assert_eq!(
            unread,
            [
                ("config.de.apk/classes.dex", UnreadKind::Damage),
                ("com.ex.apk/classes.dex", UnreadKind::Damage),
                ("broken.apk", UnreadKind::Damage),
            ]
        );
        assert_eq!(facts.file.path, "x.xapk");
    }

    #[test]
    fn a_set_without_base_is_an_error() {
        let split = zip(&[("AndroidManifest.xml", &manifest(Some("config.de"), "p"))]);
        let apks = zip(&[("split_config.de.apk", &split)]);
        let archive = Archive::new(&apks, Limits::default()).unwrap();
        let r = super::super::extract_split_set(
            FileInfo::default(),
            &archive,
            &ExtractOptions::default(),
        );
        assert!(matches!(r, Err(AndroidError::NoBaseApk)));
    }

    #[test]
    fn standalone_only_sets_read_one_variant() {
        let base = zip(&[("AndroidManifest.xml", &manifest(None, "p"))]);
        let apks = zip(&[
            ("toc.pb", b""),
            ("standalones/standalone-x86.apk", &base),
            ("standalones/standalone-arm.apk", &base),
        ]);
        let archive = Archive::new(&apks, Limits::default()).unwrap();
        let f = super::super::extract_split_set(
            FileInfo::default(),
            &archive,
            &ExtractOptions::default(),
        )
        .unwrap();
        assert_eq!(
            f.android.unwrap().apks,
            vec!["standalones/standalone-x86.apk"]
        );
        assert!(
            f.warnings
                .iter()
                .any(|w| w.code() == "apk.split.standalone-only"),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn base_names() {
        assert!(is_base_name("splits/base-master.apk"));
        assert!(is_base_name("base.apk"));
        assert!(!is_base_name("split_config.de.apk"));
    }
}
