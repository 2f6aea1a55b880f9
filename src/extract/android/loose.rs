//! Split APKs given as loose files (`adb install-multiple base.apk
//! split_a.apk …`): which of a scan's APK files belong together, and reading
//! such a group as one app.
//!
//! Android installs a split only together with its base APK of the same
//! package (and the same `versionCode`), and refuses a split without it. So
//! a scan groups each split with the one base APK of its package among its
//! files, and reads the group exactly as a `.apks` split set is read
//! ([`super::splits`]: the same member reading, the same merge). A split
//! that finds no base stays alone and is refused
//! ([`super::AndroidError::SplitWithoutBase`]); one that finds several, none
//! or more than one of them in its own folder, is refused too
//! ([`super::AndroidError::SplitOfSeveralBases`]).

use std::path::{Path, PathBuf};

use super::manifest::{read_identity, ApkIdentity};
use super::splits::{merge_members, read_member, MergedSet};
use super::AndroidError;
use crate::archive::Archive;
use crate::detect::{classify_zip, InputKind};
use crate::extract::problems::Problems;
use crate::extract::ExtractOptions;
use crate::limits::Limits;

/// The identity of the APK at `path`, read from its manifest's root
/// element, when the file is an APK (not a `.apks`, `.xapk`, IPA or other
/// file) whose manifest can be read; `None` otherwise (such a file is read
/// on its own, as before, and fails there if it cannot be read).
pub fn identify(path: &Path, limits: &Limits) -> Option<ApkIdentity> {
    let file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let archive = Archive::open(file, len, *limits).ok()?;
    if classify_zip(archive.entries()) != InputKind::AndroidApk {
        return None;
    }
    read_identity(&archive, limits).ok()
}

/// One file of a scan, as the grouping sees it.
#[derive(Debug, Clone, Default)]
pub struct Peeked {
    /// Its identity when it is a readable APK ([`identify`]).
    pub identity: Option<ApkIdentity>,
    /// The folder it is in (a split with several candidate bases joins the
    /// one in its own folder).
    pub folder: PathBuf,
}

/// How a scan's files are read: alone, or as a split set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    /// The file at this index, read on its own (a plain APK, any other
    /// input, or a split with no base among the files: refused when read).
    One(usize),
    /// A base APK and its splits, by index, read as one app.
    Set {
        /// The base APK.
        base: usize,
        /// Its splits, in the files' order.
        splits: Vec<usize>,
    },
    /// A split with several bases of its package among the files and not
    /// exactly one of them in its own folder: which one it belongs to is not
    /// clear, so it is refused ([`AndroidError::SplitOfSeveralBases`]).
    Unclear {
        /// The split.
        split: usize,
        /// The bases it could belong to, in the files' order.
        bases: Vec<usize>,
    },
}

/// Where a split of a scan belongs.
enum Claim {
    /// Not a split, or a split with no base among the files.
    None,
    /// The one base it joins.
    Base(usize),
    /// Several bases could take it.
    Unclear(Vec<usize>),
}

/// Groups a scan's files as Android installs them: each split (a manifest
/// with `split`) joins the base APK (a manifest without `split`) of its
/// package whose `versionCode` agrees (where both give one). When several
/// bases qualify, only those in the split's own folder count; a split with
/// no base stays alone (and is refused when read), one with still more than
/// one is [`Unit::Unclear`]. Splits never join a base of another package.
/// Units come in the files' order, a set at its base's place.
pub fn group(files: &[Peeked]) -> Vec<Unit> {
    let claims: Vec<Claim> = (0..files.len()).map(|i| claim(files, i)).collect();
    let mut units = Vec::with_capacity(files.len());
    for (i, claim) in claims.iter().enumerate() {
        match claim {
            Claim::Base(_) => {}
            Claim::Unclear(bases) => units.push(Unit::Unclear {
                split: i,
                bases: bases.clone(),
            }),
            Claim::None => {
                let splits: Vec<usize> = claims
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| matches!(c, Claim::Base(b) if *b == i))
                    .map(|(j, _)| j)
                    .collect();
                units.push(if splits.is_empty() {
                    Unit::One(i)
                } else {
                    Unit::Set { base: i, splits }
                });
            }
        }
    }
    units
}

/// Where the file at `i` belongs ([`group`]'s rule).
fn claim(files: &[Peeked], i: usize) -> Claim {
    let Some(file) = files.get(i) else {
        return Claim::None;
    };
    let Some(split) = file.identity.as_ref().filter(|s| s.split.is_some()) else {
        return Claim::None;
    };
    let Some(package) = split.package.as_ref() else {
        return Claim::None;
    };
    let candidates: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            f.identity.as_ref().is_some_and(|b| {
                b.split.is_none() && b.package.as_ref() == Some(package) && versions_agree(b, split)
            })
        })
        .map(|(j, _)| j)
        .collect();
    match candidates.as_slice() {
        [] => Claim::None,
        [one] => Claim::Base(*one),
        several => {
            let near: Vec<usize> = several
                .iter()
                .copied()
                .filter(|&j| files.get(j).is_some_and(|b| b.folder == file.folder))
                .collect();
            match near.as_slice() {
                [one] => Claim::Base(*one),
                _ => Claim::Unclear(candidates),
            }
        }
    }
}

/// Whether a split's `versionCode` agrees with its base's (equal, or not
/// given by one of them).
fn versions_agree(base: &ApkIdentity, split: &ApkIdentity) -> bool {
    match (&base.version_code, &split.version_code) {
        (Some(b), Some(s)) => b == s,
        _ => true,
    }
}

/// One APK file of a loose split set.
#[derive(Debug, Clone, Copy)]
pub struct LooseApk<'a> {
    /// Its name in the set: in `android.apks` and before its entries in
    /// evidence (`dependencies.apk/classes.dex`).
    pub name: &'a str,
    /// The file.
    pub path: &'a Path,
}

/// Reads a base APK and its splits given as loose files (base first) and
/// merges them as a `.apks` split set is merged, sharing one inflate budget
/// as the members of a `.apks` do. A member that cannot be opened or read
/// is among the unread entries (the target becomes an error); a trick in
/// one is an error of the whole set.
pub fn read_loose_set(
    members: &[LooseApk<'_>],
    options: &ExtractOptions,
    problems: &mut Problems,
) -> Result<MergedSet, AndroidError> {
    let mut read = Vec::with_capacity(members.len());
    let mut spent = 0u64;
    for member in members {
        let limits = Limits {
            max_total_inflated: options.limits.max_total_inflated.saturating_sub(spent),
            ..options.limits
        };
        let (file, len) = std::fs::File::open(member.path)
            .and_then(|f| f.metadata().map(|m| (f, m.len())))
            .map_err(|source| AndroidError::MemberFile {
                name: member.name.to_string(),
                source,
            })?;
        let opened = Archive::open(file, len, limits);
        let member_options = ExtractOptions {
            limits,
            ..options.clone()
        };
        let got = read_member(member.name, opened, &member_options, problems)?;
        spent = spent.saturating_add(got.inflated);
        if let Some(parts) = got.parts {
            read.push((member.name.to_string(), parts));
        }
    }
    merge_members(read, problems)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn apk(package: &str, split: Option<&str>, version: Option<&str>, folder: &str) -> Peeked {
        Peeked {
            identity: Some(ApkIdentity {
                package: Some(package.into()),
                split: split.map(Into::into),
                version_code: version.map(Into::into),
            }),
            folder: folder.into(),
        }
    }

    /// An APK of `package` (a split when `split` is given) written to `dir`.
    pub(crate) fn write_apk(dir: &Path, name: &str, package: &str, split: Option<&str>) -> PathBuf {
        use crate::extract::android::splits::tests::{manifest_of, zip};
        let manifest = manifest_of(package, split, "android.permission.INTERNET");
        let path = dir.join(name);
        std::fs::write(&path, zip(&[("AndroidManifest.xml", &manifest)])).unwrap();
        path
    }

    #[test]
    fn generated_apks_group_by_package_and_read_as_one_app() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let paths = [
            write_apk(d, "base.apk", "com.a", None),
            write_apk(d, "other.apk", "com.b", Some("config.de")),
            write_apk(d, "split_de.apk", "com.a", Some("config.de")),
            write_apk(d, "second-base.apk", "com.b", None),
        ];
        let limits = Limits::default();
        let peeked: Vec<Peeked> = paths
            .iter()
            .map(|p| Peeked {
                identity: identify(p, &limits),
                folder: d.to_path_buf(),
            })
            .collect();
        assert_eq!(
            peeked[2].identity,
            Some(ApkIdentity {
                package: Some("com.a".into()),
                split: Some("config.de".into()),
                version_code: None,
            })
        );
        assert_eq!(
            group(&peeked),
            [
                Unit::Set {
                    base: 0,
                    splits: vec![2]
                },
                Unit::Set {
                    base: 3,
                    splits: vec![1]
                },
            ]
        );
        let facts = crate::extract::extract_split_files(
            &paths[0],
            &[paths[2].as_path()],
            &ExtractOptions::default(),
        )
        .unwrap();
        let crate::facts::Facts::App(app) = facts else {
            panic!("an app")
        };
        let android = app.android.unwrap();
        assert_eq!(android.apks, ["base.apk", "split_de.apk"]);
        assert_eq!(android.apk_files.len(), 2);
        assert_eq!(android.apk_files[1].path, paths[2].display().to_string());
        assert_eq!(android.apk_files[1].sha256.len(), 64);
        assert_eq!(app.file, android.apk_files[0]);
        // Neither APK holds the classes.dex its manifest declares: both are
        // unread, named by their file.
        let unread: Vec<&str> = app.unread.iter().map(|u| u.entry.as_str()).collect();
        assert_eq!(unread, ["base.apk/classes.dex", "split_de.apk/classes.dex"]);
    }

    #[test]
    fn a_split_alone_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let split = write_apk(dir.path(), "split.apk", "com.a", Some("config.de"));
        let e = crate::extract::extract_path(&split, &ExtractOptions::default()).unwrap_err();
        assert!(
            matches!(
                &e,
                crate::extract::ExtractError::Android(AndroidError::SplitWithoutBase { split, package })
                    if split == "config.de" && package == "com.a"
            ),
            "{e}"
        );
        assert_eq!(
            crate::lang::wording_de::known(&e.to_string()).as_deref(),
            Some("Split-APK „config.de“ der App com.a – Android installiert sie nur zusammen mit ihrer Basis-APK; bitte die Basis-APK mit angeben oder das ganze Split-Set (.apks) prüfen")
        );
    }

    #[test]
    fn splits_join_the_base_of_their_package() {
        let files = [
            apk("com.a", None, Some("3"), "d"),
            apk("com.a", Some("config.de"), Some("3"), "d"),
            Peeked::default(),
            apk("com.a", Some("dependencies"), None, "d"),
        ];
        assert_eq!(
            group(&files),
            [
                Unit::Set {
                    base: 0,
                    splits: vec![1, 3]
                },
                Unit::One(2)
            ]
        );
    }

    #[test]
    fn a_split_of_another_package_or_version_stays_alone() {
        let files = [
            apk("com.b", Some("config.de"), Some("3"), "d"),
            apk("com.a", None, Some("3"), "d"),
            apk("com.a", Some("config.fr"), Some("4"), "d"),
        ];
        assert_eq!(group(&files), [Unit::One(0), Unit::One(1), Unit::One(2)]);
    }

    #[test]
    fn two_bases_stay_apart_and_a_split_joins_the_one_in_its_folder() {
        let files = [
            apk("com.a", None, Some("3"), "x"),
            apk("com.a", None, Some("3"), "y"),
            apk("com.a", Some("config.de"), Some("3"), "y"),
            apk("com.a", Some("config.fr"), Some("3"), "z"),
        ];
        assert_eq!(
            group(&files),
            [
                Unit::One(0),
                Unit::Set {
                    base: 1,
                    splits: vec![2]
                },
                Unit::Unclear {
                    split: 3,
                    bases: vec![0, 1]
                }
            ],
            "config.fr has two candidate bases, neither in its folder"
        );
    }
}
