//! Content predicates over a file's first bytes or its parsed JSON: which
//! files a folder scan reads, facts documents, saved reports, app file names.

use std::path::Path;

/// Whether a file name ends like an app: `.apk`, `.apks`, `.xapk`, `.ipa`
/// (any case). Such a file in a folder is read whatever its content, and is
/// an error when it cannot be read.
pub fn looks_like_app_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["apk", "apks", "xapk", "ipa"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Content sniffing for folder scans: whether a file's first bytes look like
/// a zip, JSON, XML, a plist or CSV.
pub fn sniff(head: &[u8]) -> bool {
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"bplist")
    {
        return true;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(first) = text.iter().find(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if matches!(first, b'{' | b'[' | b'<') {
        return true;
    }
    // CSV: text without NUL bytes whose first line has a separator.
    if text.contains(&0) {
        return false;
    }
    let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(line).is_ok()
        && (line.contains(&b',') || line.contains(&b';') || line.contains(&b'\t'))
}

/// Whether the first non-blank byte (after a BOM) opens JSON.
pub fn starts_like_json(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Whether a file begins like `msgaudit facts` output: an object (or an array
/// of objects) whose first key is `"kind"` with `android`, `ios` or `inventory`.
pub fn starts_like_facts(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let skip = |rest: &mut &[u8], token: &[u8]| -> bool {
        *rest = rest.trim_ascii_start();
        match rest.strip_prefix(token) {
            Some(r) => {
                *rest = r;
                true
            }
            None => false,
        }
    };
    skip(&mut rest, b"[");
    skip(&mut rest, b"{")
        && skip(&mut rest, b"\"kind\"")
        && skip(&mut rest, b":")
        && [&b"\"android\""[..], b"\"ios\"", b"\"inventory\""]
            .iter()
            .any(|k| skip(&mut { rest }, k))
}

/// Whether a file begins like a saved JSON report of `msgaudit scan
/// --format json`: an object whose first key is `"schema_version"`.
pub fn starts_like_report(head: &[u8]) -> bool {
    let rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    rest.trim_ascii_start()
        .strip_prefix(b"{")
        .is_some_and(|r| r.trim_ascii_start().starts_with(b"\"schema_version\""))
}

/// What a parsed facts document describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactsDocKind {
    /// An app (`kind` android or ios, with `file` or `app`).
    App,
    /// An inventory (`kind` inventory, with `devices`).
    Inventory,
}

/// Whether `doc` is a facts document of `msgaudit facts`, and of which kind.
pub fn facts_document_kind(doc: &serde_json::Value) -> Option<FactsDocKind> {
    let kind = doc.get("kind").and_then(|k| k.as_str());
    if matches!(kind, Some("android" | "ios"))
        && (doc.get("file").is_some() || doc.get("app").is_some())
    {
        Some(FactsDocKind::App)
    } else if kind == Some("inventory") && doc.get("devices").is_some() {
        Some(FactsDocKind::Inventory)
    } else {
        None
    }
}

/// Whether `doc` is a saved JSON report of `msgaudit scan --format json`
/// (it has `schema_version` and `targets`).
pub fn is_saved_report(doc: &serde_json::Value) -> bool {
    doc.get("schema_version").is_some() && doc.get("targets").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert!(sniff(b"PK\x03\x04rest"));
        assert!(sniff(b"\xEF\xBB\xBF  {\"a\": 1}"));
        assert!(sniff(b"<?xml version=\"1.0\"?>"));
        assert!(sniff(b"bplist00"));
        assert!(sniff(b"Device name,OS version\nx,1\n"));
        assert!(!sniff(b"\x7fELF\x02\x01\x01\0\0"));
        assert!(!sniff(b"just some notes without separators\n"));
        assert!(!sniff(b""));
    }

    #[test]
    fn facts_heads_and_documents() {
        assert!(starts_like_facts(b" [ {\"kind\": \"ios\", \"app\": {}}]"));
        assert!(!starts_like_facts(b"{\"value\": []}"));
        assert!(starts_like_report(b"{\n  \"schema_version\": \"1.3\","));
        assert!(!starts_like_report(b"{\"kind\": \"ios\"}"));
        let doc = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
        assert_eq!(
            facts_document_kind(&doc(r#"{"kind": "android", "file": {}}"#)),
            Some(FactsDocKind::App)
        );
        assert_eq!(
            facts_document_kind(&doc(r#"{"kind": "inventory", "devices": []}"#)),
            Some(FactsDocKind::Inventory)
        );
        assert_eq!(facts_document_kind(&doc(r#"{"kind": "device"}"#)), None);
        assert!(is_saved_report(&doc(
            r#"{"schema_version": "1.2", "targets": []}"#
        )));
        assert!(!is_saved_report(&doc(r#"{"targets": []}"#)));
    }
}
