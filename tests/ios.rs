//! iOS extraction against oracle tools, on the corpus and the sample IPAs.
//!
//! Oracles: `llvm-objdump --macho --private-headers --dylibs-used` (Mach-O),
//! `plistutil -f xml` (plists), `openssl cms -verify -noverify` (profiles),
//! `rcodesign print-signature-info` (code-signature entitlements). Each test
//! skips with a message when its tool or the corpus is missing.

mod common;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::archive::Archive;
use msgaudit::extract::ios::{bundle, codesign, macho, plist as iplist, provision};
use msgaudit::extract::{extract_bytes, ExtractOptions};
use msgaudit::facts::{AppFacts, Facts, IosFacts};
use msgaudit::limits::Limits;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("ios").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "SKIP: corpus not found at {} (set MSGAUDIT_CORPUS)",
            dir.display()
        );
        None
    }
}

fn samples() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/ios");
    vec![dir.join("SecureChat.ipa"), dir.join("LeakyChat.ipa")]
}

fn have(tool: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {tool}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("SKIP: {tool} not on PATH");
    }
    found
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn ios_facts(path: &Path) -> (AppFacts, IosFacts) {
    let bytes = std::fs::read(path).unwrap();
    let facts = extract_bytes(
        &path.display().to_string(),
        &bytes,
        &ExtractOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let Facts::App(app) = facts else {
        panic!("{}: not an app", path.display())
    };
    let ios = app.ios.clone().expect("ios facts");
    (*app, ios)
}

/// Every Mach-O to check: corpus files, plus the main executables inside
/// the corpus IPAs and sample IPAs (written to a temp dir for the oracle).
fn macho_files(tmp: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut ipas = samples();
    if let Some(c) = corpus() {
        out.extend(files(&c.join("ios/macho")));
        ipas.extend(files(&c.join("ios/ipa")));
        ipas.extend(files(&c.join("ios/app-zip")));
    }
    for ipa in ipas {
        let bytes = std::fs::read(&ipa).unwrap();
        let Ok(archive) = Archive::new(&bytes, Limits::default()) else {
            continue;
        };
        let Some(b) = bundle::find_bundle(archive.entries()) else {
            continue;
        };
        let exe_name = archive
            .read(&b.entry("Info.plist"))
            .ok()
            .and_then(|p| iplist::read_dict(&p, &Limits::default()).ok())
            .and_then(|d| iplist::get_string(&d, "CFBundleExecutable"))
            .unwrap_or_else(|| b.stem().to_string());
        if let Ok(exe) = archive.read(&b.entry(&exe_name)) {
            if exe.is_empty() {
                continue;
            }
            let name = format!("{}--{exe_name}", ipa.file_name().unwrap().to_string_lossy());
            let p = tmp.join(name);
            std::fs::write(&p, exe).unwrap();
            out.push(p);
        }
    }
    out
}

/// What llvm-objdump says about one Mach-O file.
#[derive(Debug, Default, PartialEq)]
struct Oracle {
    architectures: Vec<String>,
    min_os: Option<String>,
    sdk: Option<String>,
    platform: Option<String>,
    dylibs: Vec<(String, bool)>,
}

fn arch_from_header(cputype: &str, subtype: &str) -> String {
    match (cputype, subtype) {
        ("ARM64", "E") => "arm64e".into(),
        ("ARM64", _) => "arm64".into(),
        ("ARM64_32", _) => "arm64_32".into(),
        ("ARM", s) => format!("arm{}", s.to_ascii_lowercase()),
        ("X86_64", "H") => "x86_64h".into(),
        ("X86_64", _) => "x86_64".into(),
        ("I386", _) => "i386".into(),
        (c, s) => format!("{c}/{s}"),
    }
}

fn objdump(path: &Path) -> Option<Oracle> {
    let out = Command::new("llvm-objdump")
        .args([
            "--macho",
            "--private-headers",
            "--dylibs-used",
            "--arch=all",
        ])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !out.stderr.is_empty() {
        return None;
    }
    let mut o = Oracle::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut version_seen = false;
    let mut ids: Vec<String> = Vec::new();
    while i < lines.len() {
        let line = lines[i];
        if let Some(lib) = line.strip_prefix('\t') {
            if let Some((name, rest)) = lib.split_once(" (compatibility version") {
                let weak = rest.contains(", weak)");
                if !o.dylibs.iter().any(|(n, _)| n == name) {
                    o.dylibs.push((name.to_string(), weak));
                }
            }
        } else if line.trim_start().starts_with("magic cputype") {
            let f: Vec<&str> = lines.get(i + 1)?.split_whitespace().collect();
            o.architectures.push(arch_from_header(f.get(1)?, f.get(2)?));
        } else if line.trim() == "cmd LC_BUILD_VERSION" && !version_seen {
            let field = |k: &str| {
                lines[i..(i + 6).min(lines.len())]
                    .iter()
                    .find_map(|l| l.trim().strip_prefix(k).map(|v| v.trim().to_string()))
            };
            o.platform = field("platform ").map(|p| {
                let p = p.to_ascii_lowercase();
                match p.strip_suffix("simulator") {
                    Some(os) => format!("{os}-simulator"),
                    None => p,
                }
            });
            o.min_os = field("minos ");
            o.sdk = field("sdk ").filter(|s| s != "n/a");
            version_seen = true;
        } else if line.trim().starts_with("cmd LC_VERSION_MIN_") && !version_seen {
            let field = |k: &str| {
                lines[i..(i + 5).min(lines.len())]
                    .iter()
                    .find_map(|l| l.trim().strip_prefix(k).map(|v| v.trim().to_string()))
            };
            o.min_os = field("version ");
            o.sdk = field("sdk ").filter(|s| s != "n/a");
            version_seen = true;
        }
        if line.trim() == "cmd LC_ID_DYLIB" {
            // --dylibs-used also lists the dylib's own id; it is not a dependency.
            if let Some(id) = lines
                .get(i + 2)
                .and_then(|l| l.trim().strip_prefix("name "))
                .and_then(|l| l.rsplit_once(" (offset"))
            {
                ids.push(id.0.to_string());
            }
        }
        i += 1;
    }
    o.dylibs.retain(|(n, _)| !ids.contains(n));
    Some(o)
}

#[test]
fn macho_matches_llvm_objdump() {
    if !have("llvm-objdump") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let all = macho_files(tmp.path());
    assert!(all.len() >= 2, "no Mach-O files found");
    let (mut agree, mut both_reject, mut we_reject) = (0, 0, Vec::new());
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        let ours = catch_unwind(|| macho::read_macho(&bytes))
            .unwrap_or_else(|_| panic!("read_macho panicked on {}", path.display()));
        let oracle = objdump(path);
        match (ours, oracle) {
            (Ok(m), Some(o)) => {
                let name = path.display();
                assert_eq!(m.architectures, o.architectures, "{name}: architectures");
                assert_eq!(m.min_os, o.min_os, "{name}: min OS");
                assert_eq!(m.sdk, o.sdk, "{name}: SDK");
                if o.platform.is_some() {
                    assert_eq!(m.platform, o.platform, "{name}: platform");
                }
                let ours: Vec<(String, bool)> = m
                    .linked_dylibs
                    .iter()
                    .map(|d| (d.name.clone(), d.weak))
                    .collect();
                assert_eq!(ours, o.dylibs, "{name}: linked dylibs");
                agree += 1;
            }
            (Err(_), None) => both_reject += 1,
            (Err(e), Some(_)) => we_reject.push(format!("{}: {e}", path.display())),
            (Ok(_), None) => {
                // llvm-objdump refused or complained; we read it leniently. Fine,
                // as long as it is one of the deliberately malformed files.
                let name = path.file_name().unwrap().to_string_lossy();
                assert!(
                    name.contains("MALFORMED"),
                    "llvm-objdump rejected {name} but we did not"
                );
            }
        }
    }
    eprintln!(
        "Mach-O: {agree} agree with llvm-objdump, {both_reject} rejected by both, {} rejected only by us",
        we_reject.len()
    );
    assert!(
        we_reject.is_empty(),
        "rejected files llvm-objdump reads: {we_reject:#?}"
    );
    assert!(agree >= 2);
}

fn plistutil_json(path: &Path) -> Option<serde_json::Value> {
    let out = Command::new("plistutil")
        .args(["-f", "xml", "-o", "-", "-i"])
        .arg(path)
        .output()
        .ok()?;
    if !out.status.success() || out.stdout.is_empty() {
        return None;
    }
    let v = plist::Value::from_reader_xml(std::io::Cursor::new(out.stdout)).ok()?;
    Some(iplist::to_json(&v))
}

#[test]
fn plists_match_plistutil() {
    if !have("plistutil") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    let mut ipas = samples();
    if let Some(c) = corpus() {
        all.extend(files(&c.join("ios/plist")));
        all.extend(files(&c.join("ios/xcprivacy")));
        ipas.extend(files(&c.join("ios/ipa")));
    }
    // Every plist-like entry inside the IPAs, too.
    for ipa in ipas {
        let bytes = std::fs::read(&ipa).unwrap();
        let Ok(archive) = Archive::new(&bytes, Limits::default()) else {
            continue;
        };
        for (i, e) in archive.entries().iter().enumerate() {
            if e.name.ends_with(".plist") || e.name.ends_with(".xcprivacy") {
                if let Ok(data) = archive.read_index(i) {
                    let p = tmp.path().join(format!(
                        "{}--{i}.plist",
                        ipa.file_name().unwrap().to_string_lossy()
                    ));
                    std::fs::write(&p, data).unwrap();
                    all.push(p);
                }
            }
        }
    }
    let (mut agree, mut both_reject) = (0, 0);
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        let ours = catch_unwind(|| iplist::read_plist(&bytes, &Limits::default()))
            .unwrap_or_else(|_| panic!("read_plist panicked on {}", path.display()));
        match (ours, plistutil_json(path)) {
            (Ok(v), Some(o)) => {
                assert_eq!(iplist::to_json(&v), o, "{}", path.display());
                agree += 1;
            }
            (Err(_), None) => both_reject += 1,
            (ours, theirs) => panic!(
                "{}: we say {:?}, plistutil {}",
                path.display(),
                ours.map(|_| "ok"),
                if theirs.is_some() {
                    "reads it"
                } else {
                    "fails"
                }
            ),
        }
    }
    eprintln!("plists: {agree} equal to plistutil, {both_reject} rejected by both");
    assert!(agree >= 5);
}

fn openssl_content(path: &Path) -> Option<Vec<u8>> {
    let out = Command::new("openssl")
        // -nosigs: fastlane-match-test.provisionprofile has a content digest
        // mismatch; its content is still what the profile says.
        .args([
            "cms",
            "-verify",
            "-noverify",
            "-nosigs",
            "-inform",
            "DER",
            "-in",
        ])
        .arg(path)
        .output()
        .ok()?;
    (out.status.success() && !out.stdout.is_empty()).then_some(out.stdout)
}

#[test]
fn profiles_match_openssl_cms() {
    if !have("openssl") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    if let Some(c) = corpus() {
        all.extend(files(&c.join("ios/mobileprovision")));
    }
    for ipa in samples() {
        let bytes = std::fs::read(&ipa).unwrap();
        let archive = Archive::new(&bytes, Limits::default()).unwrap();
        let b = bundle::find_bundle(archive.entries()).unwrap();
        let p = tmp
            .path()
            .join(ipa.file_name().unwrap().to_string_lossy().to_string() + ".mobileprovision");
        std::fs::write(
            &p,
            archive.read(&b.entry("embedded.mobileprovision")).unwrap(),
        )
        .unwrap();
        all.push(p);
    }
    let mut agree = 0;
    let mut kinds = BTreeMap::new();
    for path in &all {
        let bytes = std::fs::read(path).unwrap();
        let ours = catch_unwind(|| provision::read_profile(&bytes, &Limits::default()))
            .unwrap_or_else(|_| panic!("read_profile panicked on {}", path.display()));
        let Some(content) = openssl_content(path) else {
            // Not CMS (plain XML, empty): our reader must still be right or fail clearly.
            match &ours {
                Ok(p) => assert_eq!(p.source, provision::ProfileSource::PlainPlist),
                Err(e) => assert!(!e.to_string().is_empty()),
            }
            continue;
        };
        let theirs = iplist::read_dict(&content, &Limits::default()).unwrap();
        let p = ours.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(p.plist, theirs, "{}: whole plist", path.display());
        let ents = theirs
            .get("Entitlements")
            .and_then(|v| v.as_dictionary())
            .map(iplist::dict_to_json)
            .unwrap_or_default();
        assert_eq!(p.facts.entitlements, ents, "{}", path.display());
        kinds.insert(
            path.file_name().unwrap().to_string_lossy().to_string(),
            p.facts.kind.clone(),
        );
        agree += 1;
    }
    eprintln!("profiles: {agree} equal to openssl cms; types {kinds:?}");
    let expect = [
        (
            "fastlane-very-capable-app-embedded.mobileprovision",
            "development",
        ),
        (
            "owasp-UnCrackable-Level1-embedded.mobileprovision",
            "enterprise",
        ),
        ("fastlane-test.mobileprovision", "app_store"),
        ("SecureChat.ipa.mobileprovision", "app_store"),
        ("LeakyChat.ipa.mobileprovision", "development"),
    ];
    for (name, kind) in expect {
        if let Some(k) = kinds.get(name) {
            assert_eq!(k, kind, "{name}");
        }
    }
    assert!(agree >= 2);
}

/// The XML entitlements `rcodesign print-signature-info` shows for a Mach-O
/// (first slice): `Err` when rcodesign fails, `Ok(None)` when it shows none.
fn rcodesign_entitlements(path: &Path) -> Result<Option<plist::Dictionary>, String> {
    let out = Command::new("rcodesign")
        .arg("print-signature-info")
        .arg(path)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(entitlements_from_yaml(&String::from_utf8_lossy(
        &out.stdout,
    )))
}

fn entitlements_from_yaml(text: &str) -> Option<plist::Dictionary> {
    // `text` is the YAML printed by print-signature-info.
    // print-signature-info prints YAML: `entitlements_plist:` followed by
    // the XML as a list of lines (`- <line>`, quoted when YAML needs it).
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim() != "entitlements_plist:");
    lines.next()?;
    let xml: String = lines
        .map(str::trim_start)
        .take_while(|l| l.starts_with("- "))
        .map(|l| {
            let l = &l[2..];
            if l.len() >= 2 && l.starts_with('\'') && l.ends_with('\'') {
                l[1..l.len() - 1].replace("''", "'")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    Some(iplist::read_dict(xml.as_bytes(), &Limits::default()).unwrap())
}

/// Our code-signature entitlements of a Mach-O file.
fn our_signature_entitlements(bytes: &[u8]) -> Option<plist::Dictionary> {
    let m = macho::read_macho(bytes).ok()?;
    let (off, len) = m.code_signature?;
    let sig = bytes.get(off..(off + len).min(bytes.len()))?;
    codesign::read_code_signature(sig, &Limits::default())
        .ok()?
        .entitlements
}

#[test]
fn code_signature_entitlements_match_rcodesign() {
    if !have("rcodesign") {
        return;
    }
    // Sample IPAs: the merged facts take these keys from the code signature.
    for ipa in samples() {
        let (_, ios) = ios_facts(&ipa);
        let tmp = tempfile::tempdir().unwrap();
        let bytes = std::fs::read(&ipa).unwrap();
        let archive = Archive::new(&bytes, Limits::default()).unwrap();
        let exe = ios.binary.as_ref().unwrap().path.clone();
        let p = tmp.path().join("exe");
        std::fs::write(&p, archive.read(&exe).unwrap()).unwrap();
        let theirs = rcodesign_entitlements(&p)
            .unwrap()
            .unwrap_or_else(|| panic!("{}: no entitlements in rcodesign output", ipa.display()));
        assert!(!theirs.is_empty());
        for (k, v) in &theirs {
            assert_eq!(ios.entitlements.get(k), Some(&iplist::to_json(v)), "{k}");
            assert_eq!(ios.entitlements_source[k], "code_signature", "{k}");
        }
    }
    // Corpus Mach-O files: same entitlements, or none on both sides.
    let Some(c) = corpus() else { return };
    let (mut with, mut without, mut tool_failed) = (0, 0, 0);
    for path in files(&c.join("ios/macho")) {
        let bytes = std::fs::read(&path).unwrap();
        let ours = our_signature_entitlements(&bytes);
        let theirs = match rcodesign_entitlements(&path) {
            Ok(t) => t,
            Err(e) => {
                // e.g. r2tb-TrollStore: rcodesign cannot decode its DER entitlements blob.
                eprintln!("rcodesign fails on {}: {e}", path.display());
                tool_failed += 1;
                continue;
            }
        };
        assert_eq!(ours, theirs, "{}", path.display());
        if ours.is_some() {
            with += 1;
        } else {
            without += 1;
        }
    }
    eprintln!(
        "code signatures: {with} with entitlements equal to rcodesign, {without} without on both sides, rcodesign failed on {tool_failed}"
    );
    assert!(with >= 1);
}

#[test]
fn sample_ipas_show_the_expected_facts() {
    let [secure, leaky] = [&samples()[0], &samples()[1]].map(|p| ios_facts(p));
    let (app, s) = secure;
    assert_eq!(app.app.id.as_deref(), Some("com.example.securechat"));
    assert_eq!(app.app.min_os.as_deref(), Some("15.0"));
    assert_eq!(
        s.notable_symbols,
        [
            "LAContext",
            "NSURLIsExcludedFromBackupKey",
            "NSFileProtectionComplete"
        ]
    );
    assert_eq!(
        s.data_protection.as_deref(),
        Some("NSFileProtectionComplete")
    );
    assert_eq!(
        s.entitlements_source["com.apple.developer.default-data-protection"],
        "code_signature"
    );
    assert!(s
        .usage_descriptions
        .contains_key("NSFaceIDUsageDescription"));
    assert!(s
        .linked_frameworks
        .contains(&"LocalAuthentication".to_string()));
    assert_eq!(s.file_sharing_enabled, Some(false));
    assert_eq!(s.ats.allows_arbitrary_loads, None);
    assert!(s.frameworks.is_empty());
    assert!(!s.icloud);
    assert_eq!(s.encrypted, Some(false));
    let bin = s.binary.as_ref().unwrap();
    assert_eq!(bin.architectures, ["arm64"]);
    assert_eq!(bin.platform.as_deref(), Some("ios"));
    assert!(bin.pie);
    assert_eq!(s.provisioning.as_ref().unwrap().kind, "app_store");
    assert_eq!(
        s.objc_classes.count, 3,
        "LAContext, NSFileManager, SCEncryptedStore"
    );
    assert!(app.warnings.is_empty(), "{:?}", app.warnings);

    let (app, l) = leaky;
    assert_eq!(app.app.id.as_deref(), Some("com.example.leakychat"));
    assert_eq!(
        l.notable_symbols,
        [
            "UIImageWriteToSavedPhotosAlbum",
            "CNContactStore",
            "CLLocationManager"
        ]
    );
    assert_eq!(l.data_protection, None);
    assert_eq!(l.file_sharing_enabled, Some(true));
    assert_eq!(l.opens_documents_in_place, Some(true));
    assert_eq!(l.ats.allows_arbitrary_loads, Some(true));
    assert_eq!(
        l.ats.exception_domains[0].minimum_tls_version.as_deref(),
        Some("TLSv1.0")
    );
    assert!(l
        .usage_descriptions
        .contains_key("NSContactsUsageDescription"));
    assert!(l
        .usage_descriptions
        .contains_key("NSLocationAlwaysAndWhenInUseUsageDescription"));
    assert!(l.background_modes.contains(&"location".to_string()));
    assert!(l.icloud);
    assert_eq!(l.url_schemes, ["leakychat"]);
    assert_eq!(l.provisioning.as_ref().unwrap().kind, "development");
    let fw = &l.frameworks[0];
    assert_eq!(
        (fw.name.as_str(), fw.kind.as_str()),
        ("FirebaseCrashlytics", "framework")
    );
    assert_eq!(fw.version.as_deref(), Some("10.29.0"));
    assert!(l
        .linked_frameworks
        .contains(&"FirebaseCrashlytics".to_string()));
    assert!(l.linked_frameworks.contains(&"Contacts".to_string()));
    assert!(l
        .info_plist
        .get("FirebaseCrashlyticsCollectionEnabled")
        .is_none());
    let pm = l
        .privacy_manifests
        .iter()
        .find(|p| p.path.contains("FirebaseCrashlytics.framework"))
        .unwrap();
    assert!(pm
        .collected_data_types
        .contains(&"NSPrivacyCollectedDataTypeCrashData".to_string()));
    assert_eq!(
        l.google_service_info.as_ref().unwrap()["PROJECT_ID"],
        "leakychat-sample"
    );
}

#[test]
fn corpus_ipas_give_facts_or_clear_errors() {
    let Some(c) = corpus() else { return };
    let (_, v) = ios_facts(&c.join("ios/ipa/fastlane-very-capable-app.ipa"));
    let p = v.provisioning.as_ref().unwrap();
    assert_eq!(p.kind, "development");
    assert_eq!(p.team_name.as_deref(), Some("TestFixture"));
    assert_eq!(p.provisioned_devices, 1);
    assert_eq!(v.aps_environment.as_deref(), Some("development"));
    assert_eq!(
        v.data_protection.as_deref(),
        Some("NSFileProtectionComplete")
    );
    assert!(v.icloud);
    let (_, u) = ios_facts(&c.join("ios/ipa/owasp-UnCrackable-Level1.ipa"));
    assert_eq!(u.binary.as_ref().unwrap().architectures, ["armv7", "arm64"]);
    assert_eq!(u.provisioning.as_ref().unwrap().kind, "enterprise");
    let (_, f) = ios_facts(&c.join("ios/ipa/checkup-app-capacitor-firebasecore.ipa"));
    let names: Vec<&str> = f.frameworks.iter().map(|f| f.name.as_str()).collect();
    assert!(names.contains(&"FirebaseCore"), "{names:?}");
    assert!(f.google_service_info.is_some());
    assert!(!f.privacy_manifests.is_empty());
    let (_, s) = ios_facts(&c.join("ios/ipa/appium-TestApp-objc-sim-repack.ipa"));
    assert_eq!(
        s.binary.as_ref().unwrap().platform.as_deref(),
        Some("ios-simulator")
    );
    // A zipped simulator .app (no Payload/): the iOS extractor reads it directly.
    let bytes = std::fs::read(c.join("ios/app-zip/appium-TestApp9.4.app.zip")).unwrap();
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let app = msgaudit::extract::ios::extract_ipa(
        msgaudit::extract::file_info("TestApp9.4.app.zip", &bytes),
        &archive,
        &ExtractOptions::default(),
    )
    .unwrap();
    let z = app.ios.unwrap();
    assert_eq!(z.bundle_path, "TestApp.app");
    assert!(z.binary.is_some(), "{:?}", app.warnings);
    // Malformed inputs: clear errors, never a panic.
    for name in ["fastlane-no-app-bundle.ipa", "fastlane-not-an-ipa.ipa"] {
        let bytes = std::fs::read(c.join("ios/ipa").join(name)).unwrap();
        let r = extract_bytes(name, &bytes, &ExtractOptions::default());
        assert!(r.is_err(), "{name} should fail");
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let limits = Limits::default();
    let options = ExtractOptions::default();
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(c) = corpus() {
        for sub in [
            "ipa",
            "app-zip",
            "macho",
            "mobileprovision",
            "plist",
            "xcprivacy",
        ] {
            for p in files(&c.join("ios").join(sub)) {
                inputs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    for p in samples() {
        inputs.push((p.display().to_string(), std::fs::read(&p).unwrap()));
    }
    let run_all = |name: &str, bytes: &[u8]| {
        let r = catch_unwind(AssertUnwindSafe(|| {
            let _ = macho::read_macho(bytes);
            let _ = iplist::read_plist(bytes, &limits);
            let _ = provision::read_profile(bytes, &limits);
            if let Ok(a) = Archive::new(bytes, limits) {
                let _ = msgaudit::extract::ios::extract_ipa(
                    msgaudit::extract::file_info(name, bytes),
                    &a,
                    &options,
                );
            }
            let _ = extract_bytes(name, bytes, &options);
        }));
        assert!(r.is_ok(), "panic on {name}");
    };
    for (name, bytes) in &inputs {
        run_all(name, bytes);
    }
    // Sample IPA and its executable truncated at many offsets.
    let ipa = std::fs::read(&samples()[1]).unwrap();
    for cut in (0..ipa.len())
        .step_by(97)
        .chain(ipa.len().saturating_sub(300)..ipa.len())
    {
        run_all(&format!("LeakyChat.ipa[..{cut}]"), &ipa[..cut]);
    }
    let archive = Archive::new(&ipa, limits).unwrap();
    let exe = archive.read("Payload/LeakyChat.app/LeakyChat").unwrap();
    for cut in (0..exe.len()).step_by(61) {
        let r = catch_unwind(|| macho::read_macho(&exe[..cut]));
        assert!(r.is_ok(), "read_macho panicked on executable cut at {cut}");
    }
    // Truncated: a clear error naming the cause.
    let err = macho::read_macho(&exe[..100]).unwrap_err().to_string();
    assert!(err.contains("Mach-O"), "{err}");
}

#[test]
fn cli_facts_prints_kind_ios() {
    let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .arg("facts")
        .arg(&samples()[0])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(v["kind"], "ios");
    assert_eq!(v["ios"]["bundle_path"], "Payload/SecureChat.app");
    assert_eq!(
        v["ios"]["info_plist"]["CFBundleIdentifier"],
        "com.example.securechat"
    );
}

#[test]
fn fairplay_encrypted_executable_is_reported_plainly() {
    use std::io::Write;
    // ld64.lld writes LC_ENCRYPTION_INFO_64 with cryptid 0; set it to 1 as the
    // App Store does, and rebuild the IPA with the patched executable.
    let ipa = std::fs::read(&samples()[0]).unwrap();
    let archive = Archive::new(&ipa, Limits::default()).unwrap();
    let exe_name = "Payload/SecureChat.app/SecureChat";
    let mut exe = archive.read(exe_name).unwrap().to_vec();
    let lc = goblin::mach::MachO::parse(&exe, 0)
        .unwrap()
        .load_commands
        .iter()
        .find(|lc| {
            matches!(
                lc.command,
                goblin::mach::load_command::CommandVariant::EncryptionInfo64(_)
            )
        })
        .map(|lc| lc.offset)
        .expect("LC_ENCRYPTION_INFO_64");
    assert!(!macho::read_macho(&exe).unwrap().encrypted);
    exe[lc + 16..lc + 20].copy_from_slice(&1u32.to_le_bytes());
    assert!(macho::read_macho(&exe).unwrap().encrypted);

    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, e) in archive.entries().iter().enumerate() {
        if e.is_dir {
            continue;
        }
        let data = if e.name == exe_name {
            exe.clone()
        } else {
            archive.read_index(i).unwrap().to_vec()
        };
        out.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    let patched = out.finish().unwrap().into_inner();
    let facts = extract_bytes("patched.ipa", &patched, &ExtractOptions::default()).unwrap();
    let Facts::App(app) = facts else { panic!() };
    let ios = app.ios.as_ref().unwrap();
    assert_eq!(ios.encrypted, Some(true));
    assert!(ios.binary.as_ref().unwrap().encrypted);
    assert!(
        app.warnings
            .iter()
            .any(|w| w.code() == "ipa.executable.encrypted"
                && w.english().contains("the encryption hides")
                && w.english().contains("A decrypted IPA is needed")
                && w.german().contains("die Verschlüsselung verbirgt")
                && w.german().contains("entschlüsselte IPA benötigt")),
        "{:?}",
        app.warnings
    );

    // A German report shows the warning in German, with its code, and no
    // English warning text; an English report the English text.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("patched.ipa");
    std::fs::write(&path, &patched).unwrap();
    let scan = |format: &str, lang: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_msgaudit"))
            .args(["scan", "--format", format, "--lang", lang])
            .arg(&path)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    for format in ["table", "md", "html"] {
        let de = scan(format, "de");
        assert!(de.contains("Hinweise beim Lesen"), "{format}: {de}");
        assert!(
            de.contains("ist mit Apple FairPlay verschlüsselt"),
            "{format}: {de}"
        );
        assert!(de.contains("ipa.executable.encrypted"), "{format}: {de}");
        assert!(
            !de.contains("is encrypted with Apple FairPlay"),
            "{format}: {de}"
        );
        assert!(!de.contains("Reading warnings"), "{format}: {de}");
        // The code hides facts: the heading says so, and not that the
        // facts are complete.
        assert!(
            de.contains("Hinweise beim Lesen (die Datei ist lesbar, einzelne Angaben fehlen)"),
            "{format}: {de}"
        );
        assert!(
            !de.contains("die Fakten sind vollständig"),
            "{format}: {de}"
        );
        let en = scan(format, "en");
        assert!(
            en.contains("Reading warnings (the file is readable, some facts are missing)"),
            "{format}: {en}"
        );
        assert!(!en.contains("the facts are complete"), "{format}: {en}");
        assert!(
            en.contains("is encrypted with Apple FairPlay"),
            "{format}: {en}"
        );
        assert!(!en.contains("ist mit Apple FairPlay"), "{format}: {en}");
    }
    // SARIF has it as a warning notification in the report language.
    let sarif: serde_json::Value = common::json_str(&scan("sarif", "de")).unwrap();
    let notes = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    let notes = notes.as_array().expect("notifications");
    assert!(
        notes.iter().any(|n| n["level"] == "warning"
            && n["message"]["text"]
                .as_str()
                .is_some_and(|t| t.contains("ist mit Apple FairPlay verschlüsselt"))),
        "{notes:?}"
    );
    // The JSON report keeps the facts' codes and both texts.
    let json: serde_json::Value = common::json_str(&scan("json", "de")).unwrap();
    let details = &json["targets"][0]["facts"]["warning_details"];
    assert_eq!(details[0]["code"], "ipa.executable.encrypted", "{details}");
    assert!(details[0]["de"].as_str().unwrap().contains("FairPlay"));
}
