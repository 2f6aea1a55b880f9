//! The SARIF fields code-scanning services rely on: artifact URIs they can
//! resolve, stable fingerprints, a numeric security severity and a help
//! link. Documented in `docs/report.md` (§ SARIF).

use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::assess::{CheckResult, Level, Outcome, TargetAssessment};
use crate::facts::{FileInfo, TargetKind};

/// The `uriBaseId` of artifact URIs relative to the working directory.
pub const SRCROOT: &str = "%SRCROOT%";

/// The key of msgaudit's entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "msgaudit/v1";

/// Where every rule's requirement is documented: the DSK whitepaper
/// "Technische Datenschutzanforderungen an Messenger-Dienste im
/// Krankenhausbereich" (`helpUri` of every rule; the check itself is
/// explained by `msgaudit explain ID`).
pub const DSK_WHITEPAPER: &str = "https://www.datenschutzkonferenz-online.de/media/oh/20191106_whitepaper_messenger_krankenhaus_dsk.pdf";

/// The SARIF `artifactLocation` of an input file: relative to `cwd` (with
/// `uriBaseId` [`SRCROOT`]) when the file lies below it, else an absolute
/// `file://` URI. A path as given that is relative stays relative when it
/// does not leave the working directory; without a known `cwd`, a relative
/// path stays relative and an absolute one becomes `file://`.
pub fn artifact_location(path: &str, cwd: Option<&Path>) -> Value {
    match locate(path, cwd) {
        Located::Relative(rel) => json!({ "uri": uri_reference(&rel), "uriBaseId": SRCROOT }),
        Located::Absolute(abs) => json!({ "uri": file_uri(&abs) }),
    }
}

/// The `run.artifacts[]` entry of an input file at `location`: its length
/// and SHA-256 when it was read; a file that could not be read (no hash)
/// has no `hashes` and `length: -1`, SARIF's "unknown", not an empty hash
/// and 0 bytes.
pub fn artifact(f: &FileInfo, location: Value) -> Value {
    let mut a = json!({
        "location": location,
        "roles": ["analysisTarget"],
    });
    if f.sha256.is_empty() {
        a["length"] = json!(-1);
    } else {
        a["length"] = json!(f.size);
        a["hashes"] = json!({ "sha-256": f.sha256 });
    }
    a
}

/// The line of its export a device's record names, from the target's
/// `source` (`csv line 4`, `intune-csv line 6`: a row of a CSV export, whose
/// readers number the physical line the row starts on, from 1); `None` for
/// any other record (`intune-graph record 2`, `apple-mdm response 3`), which
/// is no line of the file.
pub fn record_line(source: &str) -> Option<u64> {
    let (rest, n) = source.rsplit_once(' ')?;
    let (format, unit) = rest.rsplit_once(' ').unwrap_or(("", rest));
    if unit != "line" || format.contains(' ') || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.parse().ok().filter(|n| *n > 0)
}

/// The `originalUriBaseIds` entry for [`SRCROOT`]: the working directory
/// as a `file://` URI ending in `/`.
pub fn srcroot_base(cwd: &Path) -> Value {
    let mut uri = file_uri(&cwd.to_string_lossy());
    if !uri.ends_with('/') {
        uri.push('/');
    }
    json!({ SRCROOT: { "uri": uri } })
}

enum Located {
    Relative(String),
    Absolute(String),
}

fn locate(path: &str, cwd: Option<&Path>) -> Located {
    let p = Path::new(path);
    let absolute = p.is_absolute() || is_windows_absolute(path);
    let Some(cwd) = cwd else {
        return if absolute {
            Located::Absolute(path.to_string())
        } else {
            Located::Relative(strip_dot(path))
        };
    };
    let full = if absolute {
        p.to_path_buf()
    } else {
        cwd.join(p)
    };
    let full = normalize(&full);
    match full.strip_prefix(normalize(cwd)) {
        Ok(rel) if !rel.as_os_str().is_empty() => {
            Located::Relative(rel.to_string_lossy().replace('\\', "/"))
        }
        _ => Located::Absolute(full.to_string_lossy().into_owned()),
    }
}

fn strip_dot(path: &str) -> String {
    let mut s = path;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.replace('\\', "/")
}

/// `C:\…` or `C:/…`, which `Path` does not call absolute on Unix.
fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/')
}

/// Removes `.` and resolves `..` lexically (no file-system access, so a
/// report renders the same wherever it is made).
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// An absolute path as a `file://` URI (`C:\x` → `file:///C:/x`).
pub fn file_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let rooted = if slashed.starts_with('/') {
        slashed
    } else {
        format!("/{slashed}")
    };
    let mut out = String::from("file://");
    for (i, segment) in rooted.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        // A drive letter (`C:`) keeps its colon.
        if i == 1 && is_windows_absolute(&format!("{segment}/")) {
            out.push_str(segment);
        } else {
            out.push_str(&uri_reference(segment));
        }
    }
    out
}

/// Turns a path into a URI reference: unreserved characters and `/` stay,
/// everything else (spaces, `\`, `:`, non-ASCII) is percent-encoded byte by
/// byte.
pub fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The stable fingerprint of a result: hex SHA-256 over the target's file
/// SHA-256 (for a device also its name, which is the pseudonym in
/// pseudonymized reports, since all devices share the inventory's hash) and
/// the check id. Equal for the same file and check in every run, whatever
/// the path, language or order.
pub fn fingerprint(t: &TargetAssessment, r: &CheckResult) -> String {
    let sha = t.target.file.as_ref().map_or("", |f| f.sha256.as_str());
    let device = (t.target.kind == TargetKind::Device).then_some(t.target.name.as_str());
    fingerprint_of(sha, device, &r.check)
}

/// [`fingerprint`] from its parts: the file's SHA-256, the device name (for
/// devices) and the rule id.
pub fn fingerprint_of(file_sha256: &str, device: Option<&str>, rule: &str) -> String {
    let mut h = Sha256::new();
    h.update(file_sha256.as_bytes());
    h.update([0]);
    if let Some(name) = device {
        h.update(name.as_bytes());
    }
    h.update([0]);
    h.update(rule.as_bytes());
    hex::encode(h.finalize())
}

/// The SARIF `security-severity` (0.1–10, as GitHub reads it: ≥ 9 critical,
/// ≥ 7 high, ≥ 4 medium, else low) of an outcome of a check at `level`: a
/// fail weighs most, a warning less, an open (manual) or erroneous check
/// least; must-requirements above should and alternative ones, desirable
/// ones lowest. `None` for outcomes that are no finding (pass, n.a.).
pub fn security_severity(level: Level, outcome: Outcome) -> Option<f64> {
    let base = match level {
        Level::Must => 8.0,
        Level::Should | Level::Alternative => 5.5,
        Level::Desirable => 3.0,
    };
    let factor = match outcome {
        Outcome::Fail => 1.0,
        Outcome::Warn => 0.75,
        Outcome::Manual | Outcome::Error => 0.5,
        Outcome::Pass | Outcome::NotApplicable => return None,
    };
    Some(base * factor)
}

/// A severity as SARIF wants it: a number in a string, one decimal.
pub fn severity_text(v: f64) -> String {
    format!("{v:.1}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri_reference("apps/Signal 7.apk"), "apps/Signal%207.apk");
        assert_eq!(uri_reference("C:\\x\\ä.ipa"), "C%3A%5Cx%5C%C3%A4.ipa");
    }

    #[test]
    fn files_below_the_working_directory_are_relative_to_srcroot() {
        let cwd = Path::new("/home/a/audit");
        let rel = json!({ "uri": "apps/Signal%207.apk", "uriBaseId": SRCROOT });
        assert_eq!(artifact_location("apps/Signal 7.apk", Some(cwd)), rel);
        assert_eq!(artifact_location("./apps/Signal 7.apk", Some(cwd)), rel);
        assert_eq!(
            artifact_location("/home/a/audit/apps/Signal 7.apk", Some(cwd)),
            rel
        );
        assert_eq!(artifact_location("apps/Signal 7.apk", None), rel);
    }

    #[test]
    fn files_elsewhere_get_file_uris_never_bare_absolute_paths() {
        let cwd = Path::new("/home/a/audit");
        assert_eq!(
            artifact_location("/srv/apps/ä.ipa", Some(cwd)),
            json!({ "uri": "file:///srv/apps/%C3%A4.ipa" })
        );
        assert_eq!(
            artifact_location("../other/x.apk", Some(cwd)),
            json!({ "uri": "file:///home/a/other/x.apk" })
        );
        assert_eq!(
            artifact_location("/srv/x.apk", None),
            json!({ "uri": "file:///srv/x.apk" })
        );
        assert_eq!(file_uri("C:\\Apps\\x y.apk"), "file:///C:/Apps/x%20y.apk");
        assert_eq!(
            srcroot_base(cwd),
            json!({ "%SRCROOT%": { "uri": "file:///home/a/audit/" } })
        );
    }

    #[test]
    fn an_unread_file_has_no_hash_and_an_unknown_length() {
        let loc = json!({ "uri": "x.apk" });
        let unread = FileInfo {
            path: "x.apk".into(),
            sha256: String::new(),
            size: 0,
        };
        let a = artifact(&unread, loc.clone());
        assert_eq!(a["length"], -1);
        assert!(a.get("hashes").is_none());
        let read = FileInfo {
            sha256: "ab".repeat(32),
            size: 12,
            ..unread
        };
        let a = artifact(&read, loc);
        assert_eq!(a["length"], 12);
        assert_eq!(a["hashes"]["sha-256"], "ab".repeat(32));
    }

    #[test]
    fn only_line_records_are_lines() {
        assert_eq!(record_line("csv line 4"), Some(4));
        assert_eq!(record_line("intune-csv line 6"), Some(6));
        assert_eq!(record_line("line 3"), Some(3));
        assert_eq!(record_line("intune-graph record 2"), None);
        assert_eq!(record_line("apple-mdm response 3"), None);
        assert_eq!(record_line("csv line 0"), None);
        assert_eq!(record_line("csv line x"), None);
        assert_eq!(record_line("csv line "), None);
        assert_eq!(record_line("a b line 3"), None);
        assert_eq!(record_line("intune-graph#12"), None);
    }

    #[test]
    fn severity_orders_level_and_outcome() {
        let s = |l, o| security_severity(l, o).unwrap();
        assert_eq!(severity_text(s(Level::Must, Outcome::Fail)), "8.0");
        assert!(
            s(Level::Must, Outcome::Fail) >= 7.0,
            "a failed must is high"
        );
        assert!(s(Level::Must, Outcome::Warn) > s(Level::Must, Outcome::Manual));
        assert!(s(Level::Must, Outcome::Manual) > s(Level::Desirable, Outcome::Fail) - 0.1);
        assert!(s(Level::Should, Outcome::Fail) < 7.0);
        assert!(s(Level::Desirable, Outcome::Manual) > 0.0);
        assert_eq!(security_severity(Level::Must, Outcome::Pass), None);
    }
}
