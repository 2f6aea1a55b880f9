//! Every Mach-O binary of the bundle besides the main executable — embedded
//! frameworks and dylibs, app extensions, watch apps with their frameworks,
//! dylibs and extensions — read like the main executable (code and code
//! signature), and the curated API references (`checks/ios-apis.toml`) of
//! all of them (`ios.code`).

use super::apilist::IosApiList;
use super::bundle::Bundle;
use super::macho::{read_macho, MachoInfo};
use super::plist::{get_string, read_dict};
use super::signing::{read_signature, SignatureRead};
use crate::archive::Archive;
use crate::extract::problems::Problems;
use crate::facts::warning::AppWarning;
use crate::facts::{IosApiBinary, IosApiRef, IosBinaryCode, IosBinarySignature, IosCode};
use crate::limits::Limits;

/// Role of the main executable in [`IosBinaryCode::role`].
pub const ROLE_MAIN: &str = "main";

/// A nested bundle directory (relative to the app bundle) and its role.
fn nested_bundle(rel: &str) -> Option<(&'static str, &str)> {
    let dir_of = |rest: &str, prefix_len: usize, suffix: &str| -> Option<usize> {
        let (dir, _) = rest[prefix_len..].split_once('/')?;
        (dir.len() > suffix.len() && dir.ends_with(suffix)).then_some(prefix_len + dir.len())
    };
    if let Some(rest) = rel.strip_prefix("Watch/") {
        let app = dir_of(rest, 0, ".app")?;
        let inner = &rest[app..];
        if let Some(p) = inner.strip_prefix("/PlugIns/") {
            let ext = dir_of(p, 0, ".appex")?;
            let len = "Watch/".len() + app + "/PlugIns/".len() + ext;
            return Some(("watch_extension", &rel[..len]));
        }
        if let Some(p) = inner.strip_prefix("/Frameworks/") {
            let fw = dir_of(p, 0, ".framework")?;
            let len = "Watch/".len() + app + "/Frameworks/".len() + fw;
            return Some(("watch_framework", &rel[..len]));
        }
        return Some(("watch_app", &rel[.."Watch/".len() + app]));
    }
    if let Some(rest) = rel.strip_prefix("PlugIns/") {
        let ext = dir_of(rest, 0, ".appex")?;
        return Some(("extension", &rel[.."PlugIns/".len() + ext]));
    }
    if let Some(rest) = rel.strip_prefix("Frameworks/") {
        let fw = dir_of(rest, 0, ".framework")?;
        return Some(("framework", &rel[.."Frameworks/".len() + fw]));
    }
    None
}

/// Role of a loose dylib: `Frameworks/*.dylib` is `dylib`,
/// `Watch/*.app/Frameworks/*.dylib` is `watch_dylib`.
fn loose_dylib(rel: &str) -> Option<&'static str> {
    let is_dylib = |name: &str| !name.contains('/') && name.ends_with(".dylib");
    if rel.strip_prefix("Frameworks/").is_some_and(is_dylib) {
        return Some("dylib");
    }
    let (app, rest) = rel.strip_prefix("Watch/")?.split_once('/')?;
    let name = rest.strip_prefix("Frameworks/")?;
    (app.len() > ".app".len() && app.ends_with(".app") && is_dylib(name)).then_some("watch_dylib")
}

/// The binaries of the bundle other than the main executable, as
/// `(role, entry name)`, in archive order: `Frameworks/*.dylib` and
/// `Watch/*.app/Frameworks/*.dylib`, and for each framework, app extension,
/// watch app, watch framework and watch extension the executable
/// its Info.plist names (`CFBundleExecutable`), else the directory's stem.
/// Zero-byte files (placeholders that hold no code) are left out; a nested
/// Info.plist that cannot be read goes to `problems` (the stem is tried).
pub fn nested_binaries(
    archive: &Archive<'_>,
    bundle: &Bundle,
    limits: &Limits,
    problems: &mut Problems,
) -> Vec<(&'static str, String)> {
    let mut dirs: Vec<(&'static str, String)> = Vec::new();
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for e in archive.entries() {
        let Some(rel) = bundle.relative(&e.name) else {
            continue;
        };
        if let Some(role) = loose_dylib(rel) {
            if !e.is_dir && e.size > 0 {
                out.push((role, e.name.clone()));
            }
            continue;
        }
        if let Some((role, dir)) = nested_bundle(rel) {
            let dir = bundle.entry(dir);
            if !dirs.iter().any(|(_, d)| *d == dir) {
                dirs.push((role, dir));
            }
        }
    }
    for (role, dir) in dirs {
        let plist = format!("{dir}/Info.plist");
        let mut exe = None;
        if archive.contains(&plist) {
            match archive.read(&plist) {
                Ok(bytes) => match read_dict(&bytes, limits) {
                    Ok(d) => exe = get_string(&d, "CFBundleExecutable"),
                    // The framework and extension lists report it already.
                    Err(_) if matches!(role, "framework" | "extension") => {}
                    Err(e) => problems.unread(&plist, &e),
                },
                Err(_) if matches!(role, "framework" | "extension") => {}
                Err(e) => problems.unread(&plist, &e),
            }
        }
        let stem = dir.rsplit('/').next().unwrap_or(&dir);
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        let name = format!("{dir}/{}", exe.as_deref().unwrap_or(stem));
        let present = archive
            .entries()
            .iter()
            .any(|e| e.name == name && !e.is_dir && e.size > 0);
        if present {
            out.push((role, name));
        }
    }
    out
}

/// Reads one nested binary and its code signature: `None`, recorded in
/// `problems`, when it cannot be read; lenient reads and FairPlay
/// encryption are warnings, parts cut short and unreadable signatures
/// unread entries.
pub fn read_binary(
    archive: &Archive<'_>,
    name: &str,
    limits: &Limits,
    problems: &mut Problems,
) -> Option<(MachoInfo, SignatureRead)> {
    let bytes = match archive.read(name) {
        Ok(b) => b,
        Err(e) => {
            problems.unread(name, &e);
            return None;
        }
    };
    match read_macho(&bytes) {
        Ok(m) => {
            for (slice, error) in &m.warnings {
                problems.warn(AppWarning::MachoLenient {
                    entry: name.to_string(),
                    slice: *slice,
                    error: error.clone(),
                });
            }
            for (kind, why) in &m.incomplete {
                problems.unread_as(name, *kind, why.clone());
            }
            if m.encrypted {
                problems.warn(AppWarning::ExecutableEncrypted {
                    entry: name.to_string(),
                });
            }
            let signature = read_signature(&bytes, &m, name, limits, problems);
            Some((m, signature))
        }
        Err(e) => {
            problems.unread(name, &e);
            None
        }
    }
}

/// Collects the API references of binaries one at a time (each binary's
/// names are dropped once matched: memory stays one binary's worth).
#[derive(Debug, Default)]
pub struct CodeScan {
    code: IosCode,
    /// `(entry index, names)` hits in binary order.
    hits: Vec<(usize, Vec<String>, IosApiBinary)>,
}

impl CodeScan {
    /// Starts a scan; `complete` stays `true` until a binary is missing,
    /// cut short or FairPlay-encrypted.
    pub fn new() -> CodeScan {
        CodeScan {
            code: IosCode {
                complete: true,
                ..IosCode::default()
            },
            hits: Vec::new(),
        }
    }

    /// Records that a binary could not be read (or was read only in part).
    pub fn incomplete(&mut self) {
        self.code.complete = false;
    }

    /// Adds one binary and its signature facts.
    pub fn add(
        &mut self,
        path: &str,
        role: &str,
        m: &MachoInfo,
        signature: IosBinarySignature,
        list: &IosApiList,
    ) {
        // FairPlay hides the encrypted range's code (class names, selectors,
        // strings): what is not found there may only be unread.
        if !m.incomplete.is_empty() || m.encrypted {
            self.code.complete = false;
        }
        self.code.binaries.push(IosBinaryCode {
            path: path.to_string(),
            role: role.to_string(),
            encrypted: m.encrypted,
            imports: m.imports.len(),
            objc_classes: m.objc_classes.len(),
            selectors: m.selectors.len(),
            signature: Some(signature),
        });
        for (entry, names) in list.matches(m) {
            let binary = IosApiBinary {
                path: path.to_string(),
                role: role.to_string(),
            };
            self.hits.push((entry, names, binary));
        }
    }

    /// The facts: one reference per entry with the union of matched names and
    /// every binary that matched, sorted by id. `None` only when no binary
    /// was expected and none read; a bundle whose binaries are all missing or
    /// unreadable (its main executable missing and nothing else) gives
    /// `complete: false` with no binaries — not `None`, which checks could
    /// not tell from facts written before `code` existed.
    pub fn finish(self, list: &IosApiList) -> Option<IosCode> {
        let CodeScan { mut code, hits } = self;
        if code.binaries.is_empty() && code.complete {
            return None;
        }
        for (entry, names, binary) in hits {
            let e = &list.entries[entry];
            let r = match code.api_refs.iter_mut().find(|r| r.id == e.id) {
                Some(r) => r,
                None => {
                    code.api_refs.push(IosApiRef {
                        id: e.id.clone(),
                        requirements: e.requirements.clone(),
                        why: crate::facts::ApiWhy {
                            en: e.why.en.clone(),
                            de: e.why.de.clone(),
                        },
                        ..IosApiRef::default()
                    });
                    code.api_refs.last_mut().expect("just pushed")
                }
            };
            r.api.extend(names);
            r.api.sort();
            r.api.dedup();
            r.binaries.push(binary);
        }
        code.api_refs.sort_by(|a, b| a.id.cmp(&b.id));
        Some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_bundles_and_roles() {
        assert_eq!(
            nested_bundle("Frameworks/A.framework/A"),
            Some(("framework", "Frameworks/A.framework"))
        );
        assert_eq!(
            nested_bundle("PlugIns/Share.appex/Info.plist"),
            Some(("extension", "PlugIns/Share.appex"))
        );
        assert_eq!(
            nested_bundle("Watch/W.app/PlugIns/WE.appex/WE"),
            Some(("watch_extension", "Watch/W.app/PlugIns/WE.appex"))
        );
        assert_eq!(
            nested_bundle("Watch/W.app/W"),
            Some(("watch_app", "Watch/W.app"))
        );
        assert_eq!(
            nested_bundle("Watch/W.app/Frameworks/WK.framework/WK"),
            Some(("watch_framework", "Watch/W.app/Frameworks/WK.framework"))
        );
        assert_eq!(nested_bundle("Watch/W.app/Frameworks/libz.dylib"), None);
        assert_eq!(
            loose_dylib("Watch/W.app/Frameworks/libz.dylib"),
            Some("watch_dylib")
        );
        assert_eq!(loose_dylib("Frameworks/libz.dylib"), Some("dylib"));
        assert_eq!(loose_dylib("Watch/.app/Frameworks/libz.dylib"), None);
        assert_eq!(
            loose_dylib("Watch/W.app/Frameworks/X.framework/libz.dylib"),
            None
        );
        assert_eq!(nested_bundle("Frameworks/.framework/x"), None);
        assert_eq!(nested_bundle("Frameworks/libz.dylib"), None);
        assert_eq!(nested_bundle("Watch/W.app"), None);
    }

    #[test]
    fn a_bundle_without_any_readable_binary_has_incomplete_code_not_none() {
        let list = IosApiList::builtin();
        let mut scan = CodeScan::new();
        scan.incomplete();
        let code = scan.finish(list).expect("code facts even without binaries");
        assert!(!code.complete);
        assert!(code.binaries.is_empty());
        assert!(CodeScan::new().finish(list).is_none());
    }

    #[test]
    fn a_fairplay_encrypted_binary_leaves_the_code_incomplete() {
        let list = IosApiList::builtin();
        let sig = IosBinarySignature::default;
        let plain = MachoInfo::default();
        let mut scan = CodeScan::new();
        scan.add("P/A.app/A", ROLE_MAIN, &plain, sig(), list);
        assert!(scan.finish(list).unwrap().complete, "read to the end");

        // The main executable or only a framework encrypted: not read.
        let encrypted = MachoInfo {
            encrypted: true,
            ..MachoInfo::default()
        };
        let mut scan = CodeScan::new();
        scan.add("P/A.app/A", ROLE_MAIN, &encrypted, sig(), list);
        let code = scan.finish(list).unwrap();
        assert!(!code.complete);
        assert!(code.binaries[0].encrypted);
        let mut scan = CodeScan::new();
        scan.add("P/A.app/A", ROLE_MAIN, &plain, sig(), list);
        scan.add(
            "P/A.app/Frameworks/F.framework/F",
            "framework",
            &encrypted,
            sig(),
            list,
        );
        assert!(!scan.finish(list).unwrap().complete);
    }

    #[test]
    fn scan_merges_binaries_per_entry() {
        let list = IosApiList::builtin();
        let la = MachoInfo {
            objc_classes: vec!["LAContext".into()],
            ..MachoInfo::default()
        };
        let eval = MachoInfo {
            selectors: vec!["evaluatePolicy:localizedReason:reply:".into()],
            incomplete: vec![(crate::facts::UnreadKind::Limit, "cut".into())],
            ..MachoInfo::default()
        };
        let mut scan = CodeScan::new();
        let sig = IosBinarySignature::default;
        scan.add("P/A.app/A", ROLE_MAIN, &la, sig(), list);
        scan.add("P/A.app/PlugIns/E.appex/E", "extension", &eval, sig(), list);
        let code = scan.finish(list).unwrap();
        assert!(
            !code.complete,
            "a binary cut short leaves the code incomplete"
        );
        assert_eq!(code.api_refs.len(), 1);
        let r = &code.api_refs[0];
        assert_eq!(r.id, "local-authentication");
        assert_eq!(
            r.api,
            ["LAContext", "evaluatePolicy:localizedReason:reply:"]
        );
        assert_eq!(
            r.binaries
                .iter()
                .map(|b| b.role.as_str())
                .collect::<Vec<_>>(),
            ["main", "extension"]
        );
        assert!(CodeScan::new().finish(list).is_none());
    }
}
