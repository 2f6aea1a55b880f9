//! Entries that carry facts but could not be read.
//!
//! Nothing unread may improve a verdict: an app whose manifest resources,
//! DEX files, signature files, Info.plist, executable, provisioning profile
//! or privacy manifests were not read in full lists them here, and the
//! evaluation turns a non-empty list into the verdict `error`.

use serde::{Deserialize, Serialize};

/// Why an entry could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnreadKind {
    /// A resource limit stopped reading (`--max-entry-size`,
    /// `--max-total-inflated`, string or nesting limits, …).
    Limit,
    /// The bytes are damaged: truncated, corrupt, inconsistent.
    Damage,
    /// A format, version or compression method msgaudit does not read.
    Unsupported,
    /// The archive or entry is crafted so that readers disagree.
    Tampering,
}

impl UnreadKind {
    /// Every kind, in the order of the JSON schema.
    pub const ALL: [UnreadKind; 4] = [
        UnreadKind::Limit,
        UnreadKind::Damage,
        UnreadKind::Unsupported,
        UnreadKind::Tampering,
    ];

    /// The kind whose JSON name is `name` ([`UnreadKind::as_str`]).
    pub fn from_name(name: &str) -> Option<UnreadKind> {
        UnreadKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kind as English reports name it ("limit exceeded", "damaged").
    pub fn english(self) -> &'static str {
        self.words().0
    }

    /// The kind as German reports name it („Lesegrenze überschritten“,
    /// „beschädigt“).
    pub fn german(self) -> &'static str {
        self.words().1
    }

    /// `(English, German)`, spelled once in [`crate::lang::unread_kind_words`]
    /// (a leaf that the German wording of unread summaries uses too).
    fn words(self) -> (&'static str, &'static str) {
        crate::lang::unread_kind_words(self.as_str()).unwrap_or((self.as_str(), self.as_str()))
    }

    /// The lowercase name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            UnreadKind::Limit => "limit",
            UnreadKind::Damage => "damage",
            UnreadKind::Unsupported => "unsupported",
            UnreadKind::Tampering => "tampering",
        }
    }
}

/// One entry that carries facts and could not be read (in full).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unread {
    /// The archive entry, e.g. `classes2.dex`, `META-INF/CERT.RSA`,
    /// `Payload/X.app/Info.plist`; in split sets prefixed with the inner
    /// APK's entry name and `/`. The APK Signing Block is named
    /// `APK Signing Block`.
    pub entry: String,
    /// Why, as a category.
    pub kind: UnreadKind,
    /// Why, in detail (English, as the reader reported it).
    pub reason: String,
}

impl Unread {
    /// An unread entry.
    pub fn new(entry: impl Into<String>, kind: UnreadKind, reason: impl Into<String>) -> Self {
        Unread {
            entry: entry.into(),
            kind,
            reason: reason.into(),
        }
    }

    /// One line: `entry (kind): reason`.
    pub fn line(&self) -> String {
        format!("{} ({}): {}", self.entry, self.kind.as_str(), self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_json_name_and_words() {
        for k in UnreadKind::ALL {
            assert_eq!(UnreadKind::from_name(k.as_str()), Some(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        assert_eq!(UnreadKind::from_name("Damage"), None);
        // Every kind has its own words (not the JSON name as a fallback).
        for k in UnreadKind::ALL {
            assert!(
                crate::lang::unread_kind_words(k.as_str()).is_some(),
                "{k:?}"
            );
        }
        assert_eq!(UnreadKind::Damage.german(), "beschädigt");
        assert_eq!(UnreadKind::Limit.english(), "limit exceeded");
    }
}
