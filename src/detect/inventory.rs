//! Detects the export format of an inventory by its content (never by name).
//!
//! Looks at the first bytes only: plist magic / XML root elements, JSON keys
//! typical of each vendor, CSV header vocabularies. This module prepares the
//! [`Head`] every format's predicate looks at; the predicates live with their
//! readers (one file per format under `extract::inventory`), and the registry
//! of inventory formats (`extract::inventory::registry`) names them and tries
//! them in its order.

/// Bytes of the head examined for JSON key signatures.
pub const HEAD: usize = 64 * 1024;

/// Normalizes a CSV header or key: lowercase letters and digits only
/// (`"Primary user UPN"` → `primaryuserupn`, `iOS_Version` → `iosversion`).
pub fn norm_header(h: &str) -> String {
    h.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The head of an export as the format predicates see it: at most [`HEAD`]
/// bytes after a BOM and leading whitespace, as text, and the normalized
/// headers of its first line (for CSV vocabularies).
#[derive(Debug, Clone)]
pub struct Head {
    /// Whether the export is a binary property list (`bplist00`).
    pub binary_plist: bool,
    /// The first non-blank byte (`None` when there is none).
    pub first: Option<u8>,
    /// The head as text (lossy UTF-8).
    pub text: String,
    /// The normalized headers of the first line, split at `,`, `;` or tab.
    pub headers: Vec<String>,
}

impl Head {
    /// Prepares the head of an export (its first bytes).
    pub fn new(bytes: &[u8]) -> Head {
        let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let binary_plist = b.starts_with(b"bplist00");
        let start = b
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(b.len());
        let b = &b[start..];
        let text = String::from_utf8_lossy(&b[..HEAD.min(b.len())]).into_owned();
        let headers = text
            .lines()
            .next()
            .unwrap_or_default()
            .split([',', ';', '\t'])
            .map(|h| norm_header(h.trim_matches('"')))
            .collect();
        Head {
            binary_plist,
            first: b.first().copied(),
            text,
            headers,
        }
    }

    /// Whether the head's text contains `key` (e.g. a quoted JSON key).
    pub fn has(&self, key: &str) -> bool {
        self.text.contains(key)
    }

    /// Whether the head starts like JSON (an object or an array).
    pub fn json(&self) -> bool {
        matches!(self.first, Some(b'{' | b'['))
    }

    /// Whether the head looks like CSV: text, not JSON/XML, and at least two
    /// columns in its first line.
    pub fn csv(&self) -> bool {
        !self.binary_plist
            && !matches!(self.first, Some(b'{' | b'[' | b'<') | None)
            && self.headers.len() >= 2
    }

    /// Whether the first line has the column `key` (normalized, see
    /// [`norm_header`]).
    pub fn header(&self, key: &str) -> bool {
        self.headers.iter().any(|h| h == key)
    }
}
