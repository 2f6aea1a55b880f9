//! What reading an app met without stopping: warnings, and entries that carry
//! facts but could not be read ([`Unread`]).
//!
//! The split is the point: a warning leaves the facts complete (a missing
//! optional file, a gap in the multidex numbering), an unread entry means
//! facts may be missing (a DEX over `--max-entry-size`, a damaged signature
//! block), and the evaluation makes such a target an `error` — nothing
//! unread may improve a verdict. [`Classify`] sorts each reader's errors into
//! the [`UnreadKind`]s.

use crate::archive::ArchiveError;
use crate::extract::android::arsc::ArscError;
use crate::extract::android::axml::AxmlError;
use crate::extract::android::dex::DexError;
use crate::extract::ios::codesign::CodeSignError;
use crate::extract::ios::macho::MachoError;
use crate::extract::ios::plist::PlistError;
use crate::extract::ios::provision::ProfileError;
use crate::facts::warning::AppWarning;
use crate::facts::{Unread, UnreadKind};

/// Warnings and unread entries collected while reading one app.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Problems that leave the facts complete, each naming its entry.
    pub warnings: Vec<AppWarning>,
    /// Entries that carry facts and could not be read (in full).
    pub unread: Vec<Unread>,
}

impl Problems {
    /// Adds a warning.
    pub fn warn(&mut self, warning: AppWarning) {
        self.warnings.push(warning);
    }

    /// Records that `entry` could not be read, sorted by `error`'s kind.
    pub fn unread(&mut self, entry: &str, error: &(impl Classify + std::fmt::Display + ?Sized)) {
        self.unread_as(entry, error.unread_kind(), error.to_string());
    }

    /// Records that `entry` could not be read, with an explicit kind and reason.
    pub fn unread_as(&mut self, entry: &str, kind: UnreadKind, reason: impl Into<String>) {
        self.unread.push(Unread::new(entry, kind, reason));
    }

    /// Takes over `other`'s problems (those of an APK inside a split set),
    /// putting `prefix` before each warning and entry name.
    pub fn extend_prefixed(&mut self, other: Problems, prefix: &str) {
        self.warnings
            .extend(other.warnings.into_iter().map(|w| AppWarning::InSplit {
                apk: prefix.to_string(),
                warning: Box::new(w),
            }));
        self.unread.extend(other.unread.into_iter().map(|mut u| {
            u.entry = format!("{prefix}/{}", u.entry);
            u
        }));
    }
}

/// Sorts a reader's error into an [`UnreadKind`].
pub trait Classify {
    /// The kind of this error.
    fn unread_kind(&self) -> UnreadKind;
}

impl Classify for ArchiveError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            e if e.is_tampering() => UnreadKind::Tampering,
            ArchiveError::Nested { source, .. } => source.unread_kind(),
            ArchiveError::TooManyEntries { .. }
            | ArchiveError::EntryTooLarge { .. }
            | ArchiveError::RatioTooHigh { .. }
            | ArchiveError::TotalTooLarge { .. }
            | ArchiveError::DirectoryTooLarge { .. }
            | ArchiveError::DirectoryOverShare { .. }
            | ArchiveError::Retry
            | ArchiveError::InFlight { .. } => UnreadKind::Limit,
            ArchiveError::Tampering(_)
            | ArchiveError::Malformed(_)
            | ArchiveError::Missing(_)
            | ArchiveError::Crc { .. }
            | ArchiveError::Inflate { .. } => UnreadKind::Damage,
        }
    }
}

impl Classify for DexError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            DexError::TooManyStrings { .. } => UnreadKind::Limit,
            // `dex\n` and a terminating NUL around an unknown version number.
            DexError::BadMagic(m) if m.starts_with(b"dex\n") && m.last() == Some(&0) => {
                UnreadKind::Unsupported
            }
            DexError::TooShort(_)
            | DexError::BadMagic(_)
            | DexError::BadEndianTag(_)
            | DexError::TableOutOfBounds { .. } => UnreadKind::Damage,
        }
    }
}

impl Classify for AxmlError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            AxmlError::TooLarge(_) | AxmlError::TooDeep(_) => UnreadKind::Limit,
            AxmlError::StringPool(m) => kind_of_message(m),
            AxmlError::Truncated(_)
            | AxmlError::BadHeader(_)
            | AxmlError::BadChunk(_)
            | AxmlError::NoRoot => UnreadKind::Damage,
        }
    }
}

impl Classify for ArscError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            ArscError::StringPool(m) => kind_of_message(m),
            ArscError::BadHeader(_) | ArscError::BadChunk(_) => UnreadKind::Damage,
        }
    }
}

impl Classify for PlistError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            PlistError::TooLarge { .. }
            | PlistError::TooDeep { .. }
            | PlistError::OverBudget { .. }
            | PlistError::AppOverBudget { .. }
            | PlistError::Retry => UnreadKind::Limit,
            PlistError::Empty | PlistError::Syntax(_) | PlistError::NotADictionary { .. } => {
                UnreadKind::Damage
            }
            #[allow(unreachable_patterns)]
            other => kind_of_message(&other.to_string()),
        }
    }
}

impl Classify for ProfileError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            ProfileError::Plist(p) => p.unread_kind(),
            ProfileError::Empty | ProfileError::NoPlist { .. } => UnreadKind::Damage,
        }
    }
}

impl Classify for CodeSignError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            CodeSignError::TooManyBlobs(_) => UnreadKind::Limit,
            CodeSignError::Entitlements(p) => p.unread_kind(),
            CodeSignError::DerEntitlements(
                crate::extract::ios::der_entitlements::DerEntitlementsError::TooDeep,
            ) => UnreadKind::Limit,
            CodeSignError::DerEntitlements(_) => UnreadKind::Damage,
            CodeSignError::Truncated(_)
            | CodeSignError::BadMagic(_)
            | CodeSignError::OutOfBounds { .. }
            | CodeSignError::CodeDirectory(_) => UnreadKind::Damage,
        }
    }
}

impl Classify for MachoError {
    fn unread_kind(&self) -> UnreadKind {
        match self {
            MachoError::BadSliceCount(0) => UnreadKind::Damage,
            MachoError::BadSliceCount(_) => UnreadKind::Limit,
            MachoError::TooShort(_)
            | MachoError::BadMagic(_)
            | MachoError::SliceOutOfBounds { .. }
            | MachoError::Malformed { .. } => UnreadKind::Damage,
        }
    }
}

impl crate::extract::ExtractError {
    /// What kind of problem made the whole file unreadable, when it is one
    /// of the [`UnreadKind`]s (an I/O error, a file that is not a regular
    /// file or a zip that is no app are none of them).
    pub fn unread_kind(&self) -> Option<UnreadKind> {
        use crate::extract::android::manifest::ManifestError;
        use crate::extract::android::AndroidError;
        use crate::extract::ios::IosError;
        use crate::extract::ExtractError;
        match self {
            ExtractError::TooLarge { .. } => Some(UnreadKind::Limit),
            ExtractError::Archive(e)
            | ExtractError::Android(AndroidError::Archive(e))
            | ExtractError::Android(AndroidError::Manifest(ManifestError::Archive(e)))
            | ExtractError::Ios(IosError::Archive(e)) => Some(e.unread_kind()),
            ExtractError::Android(AndroidError::Manifest(ManifestError::Axml(e))) => {
                Some(e.unread_kind())
            }
            ExtractError::Android(AndroidError::Manifest(
                ManifestError::Missing | ManifestError::NotManifest(_),
            ))
            | ExtractError::Android(AndroidError::NoBaseApk) => Some(UnreadKind::Damage),
            ExtractError::Ios(IosError::InfoPlist { source, .. }) => Some(source.unread_kind()),
            // Not damaged: incomplete input (the base APK was not given),
            // or a file that could not be opened.
            ExtractError::Io(_)
            | ExtractError::Android(
                AndroidError::SplitWithoutBase { .. }
                | AndroidError::SplitOfSeveralBases { .. }
                | AndroidError::MemberFile { .. },
            )
            | ExtractError::NotRegularFile
            | ExtractError::UnknownZip
            | ExtractError::Ios(IosError::NoAppBundle)
            | ExtractError::Inventory(_) => None,
        }
    }
}

/// The kind of an error known only by its message (string pools report
/// their limits as text; error variants this module does not list by name):
/// `Tampering` when it names a crafted file, a trick or tampering, `Limit`
/// when it names a limit or budget, `Unsupported` when it says so, else
/// `Damage`.
pub fn kind_of_message(message: &str) -> UnreadKind {
    let m = message.to_ascii_lowercase();
    if ["crafted", "tamper", "trick"].iter().any(|k| m.contains(k)) {
        UnreadKind::Tampering
    } else if m.contains("limit") || m.contains("budget") {
        UnreadKind::Limit
    } else if m.contains("unsupported") {
        UnreadKind::Unsupported
    } else {
        UnreadKind::Damage
    }
}

impl Classify for str {
    fn unread_kind(&self) -> UnreadKind {
        kind_of_message(self)
    }
}

impl Classify for String {
    fn unread_kind(&self) -> UnreadKind {
        kind_of_message(self)
    }
}

#[cfg(test)]
#[path = "problems_de_tests.rs"]
mod german_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archive_limits_are_limits_and_overlaps_tampering() {
        let limit = ArchiveError::EntryTooLarge {
            name: "classes.dex".into(),
            limit: 1,
        };
        assert_eq!(limit.unread_kind(), UnreadKind::Limit);
        let in_flight = ArchiveError::InFlight {
            name: "classes.dex".into(),
            limit: 1 << 20,
        };
        assert_eq!(in_flight.unread_kind(), UnreadKind::Limit);
        let overlap = ArchiveError::Tampering(crate::archive::Trick::Overlap {
            first: "a".into(),
            second: "b".into(),
        });
        assert_eq!(overlap.unread_kind(), UnreadKind::Tampering);
        let crc = ArchiveError::Crc {
            name: "a".into(),
            expected: 1,
            actual: 2,
        };
        assert_eq!(crc.unread_kind(), UnreadKind::Damage);
    }

    #[test]
    fn split_problems_are_prefixed() {
        let mut inner = Problems::default();
        inner.warn(AppWarning::SplitNestingDisabled);
        inner.unread_as("classes.dex", UnreadKind::Limit, "too large");
        let mut outer = Problems::default();
        outer.extend_prefixed(inner, "splits/base.apk");
        assert_eq!(
            outer.warnings[0].english(),
            "splits/base.apk: split set: nested archives are not allowed by the nesting limit"
        );
        assert_eq!(outer.warnings[0].code(), "apk.split.nesting-disabled");
        assert_eq!(
            outer.unread.first().map(|u| u.entry.as_str()),
            Some("splits/base.apk/classes.dex")
        );
    }
}
