//! Android extraction against the real corpus, with `aapt` as the oracle.
//!
//! For every APK-like file (android/apk/**, android/apksig/*, android/split/**)
//! that `aapt dump badging` reads, msgaudit's package, versionName,
//! versionCode, minSdk, targetSdk, uses-permission list and application label
//! must equal aapt's, android:debuggable (resolved) must agree with aapt's
//! `application-debuggable`, components with a literal `android:exported`
//! must have that value, and the activity/activity-alias/service/receiver/provider
//! names must equal those in `aapt dump xmltree … AndroidManifest.xml`
//! (qualified the way Android qualifies them). Split sets are compared with
//! aapt's view of their inner APKs: identity and versions of the base,
//! permissions and components as the union over base and splits. A split
//! APK read alone (aapt prints its `split=`) must be refused, as Android
//! refuses to install it without its base.
//!
//! Requested plus aapt-implied permissions must equal aapt's
//! `uses-permission` ∪ `uses-implied-permission` (of the base APK).
//!
//! Principled exclusions:
//! - targetSdk is compared only when aapt prints `targetSdkVersion:` (aapt
//!   omits it when the manifest has none; msgaudit then reports minSdk, the
//!   platform default).
//! - The label is compared only when the oracle prints a non-empty one: the
//!   installed aapt2 prints `application-label:''` when it cannot read the
//!   resource table (compact entries in apktool issue3705.apk, the shared
//!   library table of shared_library_client.apk).
//! - Where the manifest gives a codename SDK level, aapt applies its
//!   implied-permission rules at level 0 (Donut: 4) while Android reads a
//!   preview as 10000; the facts follow Android, and aapt's rules are checked
//!   by applying msgaudit's rule table at aapt's level.
//! - aapt1 predates some aapt2 features (compact resource entries, shared
//!   library references, codename SDK levels); where aapt1 fails, aapt2 is
//!   the oracle. Files neither reads are not compared (several are
//!   deliberately broken); they must still give an error or a best-effort
//!   result without panicking.

mod common;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::extract::android::{arsc::ResourceTable, axml, permissions};
use msgaudit::extract::{extract_path, ExtractOptions};
use msgaudit::facts::{AppFacts, Facts};
use msgaudit::limits::Limits;

/// What aapt says about one APK.
#[derive(Debug, Default, Clone)]
struct Oracle {
    tool: String,
    package: Option<String>,
    split: Option<String>,
    version_code: Option<String>,
    version_name: Option<String>,
    min_sdk: Option<String>,
    target_sdk: Option<String>,
    label: Option<String>,
    debuggable: bool,
    /// Components with a literal `android:exported`, and its value.
    exported: std::collections::BTreeMap<(String, String), bool>,
    permissions: BTreeSet<String>,
    /// `uses-implied-permission` names (of this APK only; never merged from splits).
    implied: BTreeSet<String>,
    components: BTreeSet<(String, String)>,
}

/// The value of `key='…'` in an aapt badging line.
fn quoted(line: &str, key: &str) -> Option<String> {
    let at = line.find(key)? + key.len();
    let rest = line.get(at..)?.strip_prefix('\'')?;
    let end = rest.find('\'')?;
    Some(rest[..end].to_string())
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|v| !v.is_empty())
}

fn qualify(package: &str, name: &str) -> String {
    if name.starts_with('.') {
        format!("{package}{name}")
    } else if !name.contains('.') {
        format!("{package}.{name}")
    } else {
        name.to_string()
    }
}

/// Runs `aapt dump badging` and `aapt dump xmltree`; when aapt1 cannot read
/// the APK (e.g. aapt2-only resource features), `aapt2` the same way; `None`
/// when neither reads it.
fn aapt(apk: &Path) -> Option<Oracle> {
    oracle_with(apk, "aapt").or_else(|| oracle_with(apk, "aapt2"))
}

fn oracle_with(apk: &Path, tool: &str) -> Option<Oracle> {
    let out = Command::new(tool)
        .args(["dump", "badging"])
        .arg(apk)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !text.starts_with("package:") {
        return None;
    }
    let mut o = Oracle {
        tool: tool.to_string(),
        ..Oracle::default()
    };
    // aapt1 lists permissions it infers (e.g. READ_EXTERNAL_STORAGE from
    // WRITE_EXTERNAL_STORAGE) as uses-permission too, each with a
    // uses-implied-permission line: those are not in the manifest (unless
    // requested with uses-permission-sdk-23, which aapt's rules do not see).
    let implied: BTreeSet<String> = text
        .lines()
        .filter(|l| l.starts_with("uses-implied-permission:"))
        .filter_map(|l| quoted(l, " name="))
        .collect();
    o.implied = implied.clone();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("package:") {
            o.package = non_empty(quoted(rest, " name="));
            o.split = non_empty(quoted(rest, " split="));
            o.version_code = non_empty(quoted(rest, " versionCode="));
            o.version_name = non_empty(quoted(rest, " versionName="));
        } else if line.starts_with("sdkVersion:") {
            o.min_sdk = non_empty(quoted(line, "sdkVersion:"));
        } else if line.starts_with("targetSdkVersion:") {
            o.target_sdk = non_empty(quoted(line, "targetSdkVersion:"));
        } else if line.starts_with("application-debuggable") {
            o.debuggable = true;
        } else if line.starts_with("application-label:") {
            o.label = non_empty(quoted(line, "application-label:"));
        } else if line.starts_with("uses-permission:") {
            if let Some(n) = quoted(line, " name=").filter(|n| !implied.contains(n)) {
                o.permissions.insert(n);
            }
        } else if line.starts_with("uses-permission-sdk-23:") {
            if let Some(n) = quoted(line, " name=") {
                o.permissions.insert(n);
            }
        }
    }
    let mut xml = Command::new(tool);
    if tool == "aapt2" {
        xml.args(["dump", "xmltree", "--file", "AndroidManifest.xml"])
            .arg(apk);
    } else {
        xml.args(["dump", "xmltree"])
            .arg(apk)
            .arg("AndroidManifest.xml");
    }
    let xml = xml.output().ok()?;
    let package = o.package.clone().unwrap_or_default();
    // (indent, tag, name, explicit exported) of the component being read.
    let mut current: Option<(usize, String, Option<String>, Option<bool>)> = None;
    let flush = |c: Option<(usize, String, Option<String>, Option<bool>)>, o: &mut Oracle| {
        if let Some((_, tag, Some(name), exported)) = c {
            let name = qualify(&package, &name);
            if let Some(e) = exported {
                o.exported.insert((tag.clone(), name.clone()), e);
            }
            o.components.insert((tag, name));
        }
    };
    for line in String::from_utf8_lossy(&xml.stdout).lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("E: ") {
            let tag = rest.split_whitespace().next().unwrap_or("");
            flush(current.take(), &mut o);
            current = [
                "activity",
                "activity-alias",
                "service",
                "receiver",
                "provider",
            ]
            .contains(&tag)
            .then(|| (indent, tag.to_string(), None, None));
        } else if let (Some((ei, _, name, exported)), true) = (&mut current, t.starts_with("A: ")) {
            if indent != *ei + 2 {
                continue;
            }
            if let Some(v) = t.split("(0x01010003)=\"").nth(1) {
                *name = v.split('"').next().map(str::to_string);
            }
            // Literal booleans only: (type 0x12)0x0 is false, anything else true.
            if let Some(v) = t.split("(0x01010010)=(type 0x12)").nth(1) {
                *exported = Some(v.trim() != "0x0");
            }
        }
    }
    flush(current.take(), &mut o);
    Some(o)
}

/// The oracle for a split set: aapt on each inner APK, merged.
fn aapt_split_set(path: &Path, tmp: &Path) -> Option<Oracle> {
    let bytes = std::fs::read(path).ok()?;
    let archive = msgaudit::archive::Archive::new(&bytes, Limits::default()).ok()?;
    let names: Vec<String> = archive
        .entries()
        .iter()
        .map(|e| e.name.clone())
        .filter(|n| n.ends_with(".apk"))
        .collect();
    let has_splits = names.iter().any(|n| !n.starts_with("standalones/"));
    let mut base: Option<Oracle> = None;
    let mut splits = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if has_splits && name.starts_with("standalones/") {
            continue;
        }
        let out = tmp.join(format!("inner-{i}.apk"));
        std::fs::write(&out, archive.read(name).ok()?).ok()?;
        if let Some(o) = aapt(&out) {
            if o.split.is_none() && base.is_none() {
                base = Some(o);
            } else {
                splits.push(o);
            }
        }
    }
    let mut base = base?;
    for s in splits {
        if s.package == base.package {
            base.permissions.extend(s.permissions);
            base.components.extend(s.components);
        }
    }
    Some(base)
}

/// The target SDK aapt applies its implied-permission rules with, when the
/// manifest gives a codename (aapt: `Donut` → 4, other codenames leave the
/// level at the numeric minSdk or 0; then the larger of min and target);
/// `None` when both levels are numbers or absent (aapt and the platform agree).
fn aapt_codename_target(o: &Oracle) -> Option<u32> {
    let level = |v: &Option<String>| -> (bool, u32) {
        match v.as_deref() {
            None => (false, 0),
            Some(t) => match t.parse::<u32>() {
                Ok(n) => (false, n),
                Err(_) => (true, if t == "Donut" { 4 } else { 0 }),
            },
        }
    };
    let (min_code, min) = level(&o.min_sdk);
    let (target_code, target) = level(&o.target_sdk);
    (min_code || target_code).then_some(min.max(target))
}

fn extract(path: &Path) -> Result<Result<AppFacts, String>, String> {
    let options = ExtractOptions::default();
    catch_unwind(AssertUnwindSafe(|| match extract_path(path, &options) {
        Ok(Facts::App(a)) => Ok(*a),
        Ok(Facts::Inventory(_)) => Err("read as an inventory".to_string()),
        Err(e) => Err(e.to_string()),
    }))
    .map_err(|p| {
        p.downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "panic".into())
    })
}

fn apk_like(corpus: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for sub in ["android/apk", "android/apksig", "android/split"] {
        files.extend(
            common::files_under(&corpus.join(sub))
                .into_iter()
                .filter(|p| {
                    let n = p.to_string_lossy().to_ascii_lowercase();
                    n.ends_with(".apk") || n.ends_with(".apks") || n.ends_with(".xapk")
                }),
        );
    }
    files
}

#[test]
fn corpus_matches_aapt_and_never_panics() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    if !common::tool_available("aapt") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    let mut panics = Vec::new();
    let mut not_compared = Vec::new();
    println!("{:<72} {:<8} result", "file", "aapt");
    for path in apk_like(&corpus) {
        let rel = path
            .strip_prefix(&corpus)
            .unwrap_or(&path)
            .display()
            .to_string();
        let is_set = rel.ends_with(".apks") || rel.ends_with(".xapk");
        let oracle = if is_set {
            aapt_split_set(&path, tmp.path())
        } else {
            aapt(&path)
        };
        let ours = match extract(&path) {
            Err(p) => {
                panics.push(format!("{rel}: {p}"));
                println!(
                    "{rel:<72} {:<8} PANIC {p}",
                    if oracle.is_some() { "ok" } else { "fails" }
                );
                continue;
            }
            Ok(r) => r,
        };
        let Some(o) = oracle else {
            let what = match &ours {
                Ok(f) => format!("best effort: {}", f.app.id.as_deref().unwrap_or("-")),
                Err(e) => format!("error: {e}"),
            };
            println!("{rel:<72} {:<8} {what}", "fails");
            not_compared.push(rel);
            continue;
        };
        compared += 1;
        // A split APK alone (aapt reads its manifest) is refused, as Android
        // refuses to install it without its base (tests/loose_splits.rs
        // reads such files together with their base).
        if !is_set && o.split.is_some() {
            match ours {
                Err(e)
                    if e.contains("Android installs a split only together with its base APK") =>
                {
                    println!("{rel:<72} {:<8} match (split alone refused)", o.tool);
                }
                other => {
                    let got = other.map(|f| f.app.id.unwrap_or_default());
                    println!(
                        "{rel:<72} {:<8} MISMATCH: a split alone gave {got:?}",
                        o.tool
                    );
                    mismatches.push(format!("{rel}: a split alone gave {got:?}, not a refusal"));
                }
            }
            continue;
        }
        let f = match ours {
            Ok(f) => f,
            Err(e) => {
                println!("{rel:<72} {:<8} MISMATCH: msgaudit error {e}", "ok");
                mismatches.push(format!("{rel}: msgaudit error {e}"));
                continue;
            }
        };
        let a = f.android.clone().unwrap_or_default();
        let mut diffs = Vec::new();
        let cmp = |diffs: &mut Vec<String>, what: &str, ours: String, theirs: String| {
            if ours != theirs {
                diffs.push(format!("{what}: msgaudit {ours} / aapt {theirs}"));
            }
        };
        cmp(
            &mut diffs,
            "package",
            format!("{:?}", f.app.id),
            format!("{:?}", o.package),
        );
        cmp(
            &mut diffs,
            "versionName",
            format!("{:?}", f.app.version),
            format!("{:?}", o.version_name),
        );
        cmp(
            &mut diffs,
            "versionCode",
            format!("{:?}", f.app.build),
            format!("{:?}", o.version_code),
        );
        cmp(
            &mut diffs,
            "minSdk",
            format!("{:?}", f.app.min_os),
            format!("{:?}", o.min_sdk),
        );
        cmp(
            &mut diffs,
            "minSdk as an API level",
            format!("{:?}", f.app.min_os_number),
            format!(
                "{:?}",
                o.min_sdk
                    .as_deref()
                    .and_then(msgaudit::facts::os_version::android_api_level)
            ),
        );
        if o.target_sdk.is_some() {
            cmp(
                &mut diffs,
                "targetSdk",
                format!("{:?}", f.app.target_os),
                format!("{:?}", o.target_sdk),
            );
        }
        if o.label.is_some() {
            cmp(
                &mut diffs,
                "label",
                format!("{:?}", f.app.name),
                format!("{:?}", o.label),
            );
        }
        // aapt prints application-debuggable when android:debuggable resolves to true.
        cmp(
            &mut diffs,
            "debuggable",
            format!("{}", a.application.debuggable == Some(true)),
            format!("{}", o.debuggable),
        );
        for ((kind, name), e) in &o.exported {
            let ours = a
                .components
                .iter()
                .find(|c| &c.kind == kind && &c.name == name);
            let ours = ours.map(|c| (c.exported_explicit, c.exported));
            if ours != Some((true, *e)) {
                diffs.push(format!(
                    "exported of {kind} {name}: msgaudit {ours:?} / aapt explicit {e}"
                ));
            }
        }
        let perms: BTreeSet<String> = a.permissions.iter().cloned().collect();
        cmp(
            &mut diffs,
            "permissions",
            format!("{perms:?}"),
            format!("{:?}", o.permissions),
        );
        if a.permissions.windows(2).any(|w| w[0] >= w[1]) {
            diffs.push("permissions not sorted and unique".into());
        }
        // Effective permissions: declared + aapt-implied equal aapt's
        // uses-permission ∪ uses-implied-permission (of the base APK: aapt
        // judges a config split without uses-sdk as targetSdk 0, which Android
        // never applies to a split). Split-permission grants aapt does not
        // print are tested on the low-target sample apps (tests/permissions.rs).
        let aapt_implied: BTreeSet<String> = match aapt_codename_target(&o) {
            // aapt reads a codename SDK level as 0 (Donut as 4), the platform
            // as 10000 (a preview): the facts follow the platform, so aapt's
            // own rules are checked here by applying them at aapt's level.
            Some(level) => permissions::implied(
                permissions::PermissionRules::builtin(),
                &a.permissions,
                &a.permissions,
                level,
            )
            .into_iter()
            .filter(|i| i.rule == "aapt")
            .map(|i| i.name)
            .collect(),
            None => a
                .implied_permissions
                .iter()
                .filter(|i| i.rule == "aapt")
                .map(|i| i.name.clone())
                .collect(),
        };
        let ours: BTreeSet<String> = perms.union(&aapt_implied).cloned().collect();
        let theirs: BTreeSet<String> = o.permissions.union(&o.implied).cloned().collect();
        cmp(
            &mut diffs,
            "declared + aapt-implied permissions",
            format!("{ours:?}"),
            format!("{theirs:?}"),
        );
        if !aapt_implied.is_subset(&o.implied) {
            diffs.push(format!(
                "aapt-implied: msgaudit {aapt_implied:?} / aapt uses-implied-permission {:?}",
                o.implied
            ));
        }
        let effective: BTreeSet<String> = a.effective_permissions.iter().cloned().collect();
        let facts_union: BTreeSet<String> = perms
            .iter()
            .cloned()
            .chain(a.implied_permissions.iter().map(|i| i.name.clone()))
            .collect();
        if facts_union != effective || a.effective_permissions.windows(2).any(|w| w[0] >= w[1]) {
            diffs
                .push("effective permissions are not declared ∪ implied, sorted and unique".into());
        }
        let comps: BTreeSet<(String, String)> = a
            .components
            .iter()
            .map(|c| (c.kind.clone(), c.name.clone()))
            .collect();
        cmp(
            &mut diffs,
            "components",
            format!("{comps:?}"),
            format!("{:?}", o.components),
        );
        if diffs.is_empty() {
            println!(
                "{rel:<72} {:<8} match ({} perms, {} components)",
                o.tool,
                perms.len(),
                comps.len()
            );
        } else {
            println!("{rel:<72} {:<8} MISMATCH {}", o.tool, diffs.join("; "));
            mismatches.push(format!("{rel}: {}", diffs.join("; ")));
        }
    }
    println!(
        "\n{compared} compared with aapt, {} mismatches; {} not readable by aapt; {} panics",
        mismatches.len(),
        not_compared.len(),
        panics.len()
    );
    assert!(panics.is_empty(), "panics: {panics:#?}");
    assert!(mismatches.is_empty(), "mismatches: {mismatches:#?}");
    assert!(compared >= 100, "only {compared} files compared");
}

#[test]
fn malformed_axml_and_arsc_never_panic() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let limits = Limits::default();
    let mut panics = Vec::new();
    let mut decoded = 0;
    for path in common::files_under(&corpus.join("android/axml")) {
        let rel = path
            .strip_prefix(&corpus)
            .unwrap_or(&path)
            .display()
            .to_string();
        let bytes = std::fs::read(&path).unwrap();
        let result = if rel.ends_with(".apk") {
            extract(&path).map(|r| r.map(|f| f.app.id.unwrap_or_default()))
        } else {
            catch_unwind(|| {
                axml::parse(&bytes, &limits)
                    .map(|d| d.root.name)
                    .map_err(|e| e.to_string())
            })
            .map_err(|_| "panic".to_string())
        };
        match result {
            Err(p) => panics.push(format!("{rel}: {p}")),
            Ok(Ok(root)) => {
                decoded += 1;
                println!("{rel:<70} ok: {root}");
            }
            Ok(Err(e)) => println!("{rel:<70} error: {e}"),
        }
    }
    for path in common::files_under(&corpus.join("android/arsc")) {
        let bytes = std::fs::read(&path).unwrap();
        let r = catch_unwind(|| ResourceTable::parse(&bytes, &limits).map(|_| ()));
        match r {
            Err(_) => panics.push(format!("{}: panic", path.display())),
            Ok(r) => {
                println!(
                    "{:<70} {:?}",
                    path.display(),
                    r.as_ref().map_err(|e| e.to_string())
                );
                assert!(
                    r.is_ok(),
                    "{}: real resource tables must parse",
                    path.display()
                );
            }
        }
    }
    assert!(panics.is_empty(), "panics: {panics:#?}");
    assert!(decoded >= 15, "only {decoded} AXML files decoded");
}

/// Deterministic mutations (byte flips, truncations) of real manifests and
/// resource tables: every one decodes or fails with an error, none panics.
#[test]
fn mutated_manifests_and_tables_never_panic() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let limits = Limits::default();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut inputs = Vec::new();
    for name in [
        "androidbinary/AndroidManifest.xml",
        "androguard/AndroidManifest-Chinese.xml",
        "extracted/HomeAssistantLauncher-AndroidManifest.xml",
    ] {
        inputs.push((
            true,
            std::fs::read(corpus.join("android/axml").join(name)).unwrap(),
        ));
    }
    inputs.push((
        false,
        std::fs::read(corpus.join("android/arsc/androidbinary-resources.arsc")).unwrap(),
    ));
    let mut runs = 0;
    for (is_xml, original) in &inputs {
        for _ in 0..300 {
            let mut b = original.clone();
            let flips = 1 + (next() % 8) as usize;
            for _ in 0..flips {
                let at = (next() % b.len() as u64) as usize;
                b[at] = next() as u8;
            }
            if next() % 4 == 0 {
                b.truncate((next() % b.len() as u64) as usize);
            }
            let ok = catch_unwind(AssertUnwindSafe(|| {
                if *is_xml {
                    let _ = axml::parse(&b, &limits);
                } else if let Ok(t) = ResourceTable::parse(&b, &limits) {
                    for id in 0..64u32 {
                        let _ = t.value(0x7f04_0000 + id);
                        let _ = t.name(0x7f04_0000 + id);
                    }
                }
            }));
            assert!(
                ok.is_ok(),
                "panic on a mutation of a {} input",
                if *is_xml { "manifest" } else { "table" }
            );
            runs += 1;
        }
    }
    assert_eq!(runs, 1200);

    // Whole APKs with a mutated manifest or resource table, through the full
    // extraction (manifest facts, reference resolution, XML resources).
    let apk = std::fs::read(corpus.join("android/apksig/debuggable-resource.apk")).unwrap();
    let archive = msgaudit::archive::Archive::new(&apk, limits).unwrap();
    let entries: Vec<(String, Vec<u8>)> = archive
        .entries()
        .iter()
        .map(|e| (e.name.clone(), archive.read(&e.name).unwrap().to_vec()))
        .collect();
    let options = ExtractOptions::default();
    let mut extracted = 0;
    for round in 0..300 {
        let target = if round % 2 == 0 {
            "AndroidManifest.xml"
        } else {
            "resources.arsc"
        };
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (name, data) in &entries {
            let mut data = data.clone();
            if name == target {
                for _ in 0..1 + (next() % 6) {
                    let at = (next() % data.len() as u64) as usize;
                    data[at] = next() as u8;
                }
            }
            w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut w, &data).unwrap();
        }
        let bytes = w.finish().unwrap().into_inner();
        let r = catch_unwind(AssertUnwindSafe(|| {
            msgaudit::extract::extract_bytes("mutated.apk", &bytes, &options)
        }));
        match r {
            Err(_) => panic!("panic on mutation round {round} of {target}"),
            Ok(Ok(_)) => extracted += 1,
            Ok(Err(_)) => {}
        }
    }
    println!("{extracted} of 300 mutated APKs still extracted");
    assert!(extracted > 0);
}

#[test]
fn split_sets_merge_base_and_splits() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let f = extract(&corpus.join("android/split/listall-0.0.1-bundletool-82splits.apks"))
        .unwrap()
        .unwrap();
    let a = f.android.unwrap();
    assert_eq!(f.app.id.as_deref(), Some("com.listall"));
    assert_eq!(a.apks.len(), 82, "base + 81 config splits");
    assert_eq!(a.apks[0], "splits/base-master.apk");
    let f = extract(&corpus.join("android/split/appmanager-2.5.22-PRE-flat-splits.apks"))
        .unwrap()
        .unwrap();
    let a = f.android.unwrap();
    assert_eq!(a.apks[0], "base.apk");
    assert!(
        a.apks.iter().any(|n| n.contains("feat_docs")),
        "{:?}",
        a.apks
    );
    assert!(f.file.path.ends_with(".apks"));
}

#[test]
fn broken_zip_structures_are_clear_errors() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    for (name, needle) in [
        ("v2-only-truncated-cd.apk", "central directory"),
        (
            "v1v2v3-with-rsa-2048-lineage-3-signers-invalid-zip.apk",
            "central directory",
        ),
        ("v1-only-with-nul-in-entry-name.apk", "NUL"),
    ] {
        let err = extract(&corpus.join("android/apksig").join(name))
            .unwrap()
            .unwrap_err();
        assert!(err.contains(needle), "{name}: {err}");
    }
    // Quirks Android accepts are read.
    for name in [
        "v2-only-garbage-between-cd-and-eocd.apk",
        "v1-only-max-sized-eocd-comment.apk",
        "v1-only-with-cr-in-entry-name.apk",
    ] {
        let f = extract(&corpus.join("android/apksig").join(name))
            .unwrap()
            .unwrap();
        assert_eq!(
            f.app.id.as_deref(),
            Some("android.appsecurity.cts.tinyapp"),
            "{name}"
        );
    }
}

#[test]
fn cli_prints_android_facts() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let apk = corpus.join("android/apksig/debuggable-resource.apk");
    let out = common::run_msgaudit([std::ffi::OsStr::new("facts"), apk.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(v["kind"], "android");
    assert_eq!(v["app"]["id"], "android.appsecurity.cts.tinyapp");
    // android:debuggable is a reference to @bool/debuggable (false in the default config): resolved.
    assert_eq!(v["android"]["application"]["debuggable"], false);
    let apk = corpus.join("android/apksig/debuggable-boolean.apk");
    let out = common::run_msgaudit([std::ffi::OsStr::new("facts"), apk.as_os_str()]);
    let v: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(v["android"]["application"]["debuggable"], true);
}
