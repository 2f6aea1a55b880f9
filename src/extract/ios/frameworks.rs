//! Embedded frameworks (`Frameworks/*.framework`, `Frameworks/*.dylib`) and
//! app extensions (`PlugIns/*.appex`) of the bundle.

use plist::Value;

use super::bundle::Bundle;
use super::plist::{get_string, read_dict};
use crate::archive::Archive;
use crate::extract::problems::Problems;
use crate::facts::{AppExtension, EmbeddedFramework};
use crate::limits::Limits;

/// Reads the dictionary plist `name`: `None`, recorded in
/// `problems.unread`, when it cannot be inflated or parsed.
pub fn read_plist_entry(
    archive: &Archive<'_>,
    name: &str,
    limits: &Limits,
    problems: &mut Problems,
) -> Option<plist::Dictionary> {
    match archive.read(name) {
        Ok(bytes) => match read_dict(&bytes, limits) {
            Ok(d) => Some(d),
            Err(e) => {
                problems.unread(name, &e);
                None
            }
        },
        Err(e) => {
            problems.unread(name, &e);
            None
        }
    }
}

/// The first path segment of `rest` that ends with `suffix` and is a
/// directory (something follows it), e.g. `X.framework` of `X.framework/Info.plist`.
fn dir_with_suffix<'a>(rest: &'a str, suffix: &str) -> Option<&'a str> {
    let (dir, _) = rest.split_once('/')?;
    (dir.len() > suffix.len() && dir.ends_with(suffix)).then_some(dir)
}

/// Lists embedded frameworks and dylibs, reading each framework's Info.plist
/// (one that cannot be read goes to `problems.unread`).
pub fn frameworks(
    archive: &Archive<'_>,
    bundle: &Bundle,
    limits: &Limits,
    problems: &mut Problems,
) -> Vec<EmbeddedFramework> {
    let mut out: Vec<EmbeddedFramework> = Vec::new();
    for e in archive.entries() {
        let Some(rest) = bundle
            .relative(&e.name)
            .and_then(|r| r.strip_prefix("Frameworks/"))
        else {
            continue;
        };
        if let Some(dir) = dir_with_suffix(rest, ".framework") {
            let path = bundle.entry(&format!("Frameworks/{dir}"));
            if out.iter().any(|f| f.path == path) {
                continue;
            }
            let name = dir.strip_suffix(".framework").unwrap_or(dir).to_string();
            let mut fw = EmbeddedFramework {
                name,
                path: path.clone(),
                kind: "framework".into(),
                ..EmbeddedFramework::default()
            };
            let plist_name = format!("{path}/Info.plist");
            if archive.contains(&plist_name) {
                if let Some(d) = read_plist_entry(archive, &plist_name, limits, problems) {
                    fw.bundle_id = get_string(&d, "CFBundleIdentifier");
                    fw.version = get_string(&d, "CFBundleShortVersionString");
                }
            }
            out.push(fw);
        } else if !rest.contains('/') && rest.ends_with(".dylib") && !e.is_dir {
            out.push(EmbeddedFramework {
                name: rest.strip_suffix(".dylib").unwrap_or(rest).to_string(),
                path: e.name.clone(),
                kind: "dylib".into(),
                ..EmbeddedFramework::default()
            });
        }
    }
    out
}

/// Lists app extensions with their extension point (an Info.plist that
/// cannot be read goes to `problems.unread`).
pub fn extensions(
    archive: &Archive<'_>,
    bundle: &Bundle,
    limits: &Limits,
    problems: &mut Problems,
) -> Vec<AppExtension> {
    let mut out: Vec<AppExtension> = Vec::new();
    for e in archive.entries() {
        let Some(dir) = bundle
            .relative(&e.name)
            .and_then(|r| r.strip_prefix("PlugIns/"))
            .and_then(|r| dir_with_suffix(r, ".appex"))
        else {
            continue;
        };
        let path = bundle.entry(&format!("PlugIns/{dir}"));
        if out.iter().any(|x| x.path == path) {
            continue;
        }
        let mut ext = AppExtension {
            path: path.clone(),
            ..AppExtension::default()
        };
        let plist_name = format!("{path}/Info.plist");
        if archive.contains(&plist_name) {
            if let Some(d) = read_plist_entry(archive, &plist_name, limits, problems) {
                ext.bundle_id = get_string(&d, "CFBundleIdentifier");
                ext.extension_point = match d.get("NSExtension") {
                    Some(Value::Dictionary(n)) => get_string(n, "NSExtensionPointIdentifier"),
                    _ => None,
                };
            }
        }
        out.push(ext);
    }
    out
}
