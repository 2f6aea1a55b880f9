//! iOS code depth: the imports and selector references of every binary in
//! an IPA (main executable, frameworks, dylibs, extensions, watch apps)
//! against `llvm-objdump --macho --bind --lazy-bind` and its
//! `__objc_selrefs` listing; the curated API references and the DER
//! entitlements in the facts of the sample IPAs; DER entitlements that
//! disagree with the XML ones are reported as tampering.

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::archive::Archive;
use msgaudit::extract::ios::{binaries, bundle, codesign, der_entitlements, macho, plist};
use msgaudit::extract::problems::Problems;
use msgaudit::extract::{extract_bytes, ExtractOptions};
use msgaudit::facts::{AppFacts, Facts, IosBinarySignature, UnreadKind};
use msgaudit::limits::Limits;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/ios")
        .join(name)
}

fn app_facts(name: &str, bytes: &[u8]) -> AppFacts {
    match extract_bytes(name, bytes, &ExtractOptions::default()).unwrap() {
        Facts::App(a) => *a,
        _ => panic!("{name}: not an app"),
    }
}

/// Every binary of an IPA, with its entry name: the main executable and
/// what [`binaries::nested_binaries`] lists.
fn ipa_binaries(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let limits = Limits::default();
    let Ok(archive) = Archive::new(bytes, limits) else {
        return Vec::new();
    };
    let Some(b) = bundle::find_bundle(archive.entries()) else {
        return Vec::new();
    };
    let exe = archive
        .read(&b.entry("Info.plist"))
        .ok()
        .and_then(|p| plist::read_dict(&p, &limits).ok())
        .and_then(|d| plist::get_string(&d, "CFBundleExecutable"))
        .unwrap_or_else(|| b.stem().to_string());
    let mut names = vec![b.entry(&exe)];
    let mut problems = Problems::default();
    names.extend(
        binaries::nested_binaries(&archive, &b, &limits, &mut problems)
            .into_iter()
            .map(|(_, n)| n),
    );
    names
        .into_iter()
        .filter_map(|n| {
            let data = archive.read(&n).ok()?.to_vec();
            (!data.is_empty()).then_some((n, data))
        })
        .collect()
}

/// Every Mach-O to compare: corpus files and every binary of the corpus
/// and sample IPAs, as `(label, bytes)`.
fn all_machos() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut ipas = vec![
        sample("SecureChat.ipa"),
        sample("LeakyChat.ipa"),
        sample("DepthChat.ipa"),
    ];
    if let Some(c) = common::corpus_dir() {
        for p in common::files_under(&c.join("ios/macho")) {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
        ipas.extend(common::files_under(&c.join("ios/ipa")));
        ipas.extend(common::files_under(&c.join("ios/app-zip")));
    }
    ipas.push(foreign_fixture());
    for ipa in ipas {
        let bytes = std::fs::read(&ipa).unwrap();
        for (name, data) in ipa_binaries(&bytes) {
            out.push((format!("{}:{name}", ipa.display()), data));
        }
    }
    out
}

/// `llvm-objdump` output for `bytes` (written to a temp file).
fn objdump(bytes: &[u8], args: &[&str]) -> Option<String> {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    let out = Command::new("llvm-objdump")
        .args(["--macho", "--arch=all"])
        .args(args)
        .arg(f.path())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Symbol names (without the leading `_`) of the bind and lazy-bind tables.
fn oracle_imports(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_table = false;
    for line in text.lines() {
        if line == "Bind table:" || line == "Lazy bind table:" {
            in_table = true;
            continue;
        }
        if line.is_empty() || line.ends_with(':') || line.starts_with("segment") {
            in_table = in_table && line.starts_with("segment");
            continue;
        }
        if in_table {
            let mut fields: Vec<&str> = line.split_whitespace().collect();
            if fields.last() == Some(&"(weak_import)") {
                fields.pop();
            }
            if let Some(sym) = fields.last() {
                out.insert(sym.strip_prefix('_').unwrap_or(sym).to_string());
            }
        }
    }
    out
}

/// Selector names of the `__objc_selrefs` listings, and the number of
/// pointers llvm-objdump could not resolve to a name.
fn oracle_selectors(text: &str) -> (BTreeSet<String>, usize) {
    let mut names = BTreeSet::new();
    let mut unresolved = 0;
    for line in text.lines() {
        let Some((addr, rest)) = line.split_once(' ') else {
            continue;
        };
        if addr.len() < 8 || !addr.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        // `__TEXT:__objc_methname:name` (Xcode) or `__TEXT:__cstring:name` (lld).
        match rest
            .trim()
            .strip_prefix("__TEXT:")
            .and_then(|r| r.split_once(':'))
        {
            Some((_, name)) => {
                names.insert(name.to_string());
            }
            None => unresolved += 1,
        }
    }
    (names, unresolved)
}

#[test]
fn imports_and_selectors_of_every_binary_match_llvm_objdump() {
    if !common::tool_available("llvm-objdump") {
        return;
    }
    let (mut files, mut imports_agree, mut selectors_agree, mut selectors_skipped) = (0, 0, 0, 0);
    let mut disagree = Vec::new();
    for (label, bytes) in all_machos() {
        let Ok(ours) = macho::read_macho(&bytes) else {
            continue; // rejected files: tests/ios.rs compares the rejections
        };
        let Some(binds) = objdump(&bytes, &["--bind", "--lazy-bind"]) else {
            continue;
        };
        files += 1;
        let theirs = oracle_imports(&binds);
        let mine: BTreeSet<String> = ours.imports.iter().cloned().collect();
        if theirs == mine {
            imports_agree += 1;
        } else {
            disagree.push(format!(
                "{label}: imports only objdump {:?}, only ours {:?}",
                theirs.difference(&mine).take(5).collect::<Vec<_>>(),
                mine.difference(&theirs).take(5).collect::<Vec<_>>()
            ));
        }
        let mut sel_text = String::new();
        for seg in ["__DATA", "__DATA_CONST"] {
            sel_text +=
                &objdump(&bytes, &[&format!("--section={seg},__objc_selrefs")]).unwrap_or_default();
        }
        let (theirs, unresolved) = oracle_selectors(&sel_text);
        if unresolved > 0 || ours.encrypted {
            // llvm-objdump 14 does not follow chained-fixup pointers; encrypted
            // names are unreadable to both.
            selectors_skipped += 1;
            continue;
        }
        let mine: BTreeSet<String> = ours.selectors.iter().cloned().collect();
        if theirs == mine {
            selectors_agree += 1;
        } else {
            disagree.push(format!(
                "{label}: selectors only objdump {:?}, only ours {:?}",
                theirs.difference(&mine).take(5).collect::<Vec<_>>(),
                mine.difference(&theirs).take(5).collect::<Vec<_>>()
            ));
        }
    }
    eprintln!(
        "{files} Mach-O files: imports agree on {imports_agree}, selectors agree on {selectors_agree} ({selectors_skipped} not comparable)"
    );
    assert!(disagree.is_empty(), "{disagree:#?}");
    assert!(
        files >= 15,
        "the samples and the fixture alone have 15 binaries"
    );
}

#[test]
fn sample_ipas_name_the_binary_of_each_api_reference() {
    let secure = app_facts(
        "SecureChat.ipa",
        &std::fs::read(sample("SecureChat.ipa")).unwrap(),
    );
    let ios = secure.ios.unwrap();
    let code = ios.code.expect("code facts");
    assert!(code.complete);
    assert_eq!(code.binaries.len(), 1);
    assert_eq!(code.binaries[0].role, "main");
    let ids: Vec<&str> = code.api_refs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["file-protection-complete", "local-authentication"]);
    let la = &code.api_refs[1];
    assert_eq!(la.api, ["LAContext"]);
    assert_eq!(la.binaries[0].path, "Payload/SecureChat.app/SecureChat");
    // rcodesign writes both entitlement forms; they agree.
    let der = ios.entitlements_der.expect("DER entitlements");
    assert!(der.xml_present && der.matches_xml, "{der:?}");

    let leaky = app_facts(
        "LeakyChat.ipa",
        &std::fs::read(sample("LeakyChat.ipa")).unwrap(),
    );
    let code = leaky.ios.unwrap().code.expect("code facts");
    let roles: Vec<(&str, &str)> = code
        .binaries
        .iter()
        .map(|b| (b.role.as_str(), b.path.as_str()))
        .collect();
    assert_eq!(
        roles,
        [
            ("main", "Payload/LeakyChat.app/LeakyChat"),
            (
                "framework",
                "Payload/LeakyChat.app/Frameworks/FirebaseCrashlytics.framework/FirebaseCrashlytics"
            )
        ]
    );
    let contacts = code
        .api_refs
        .iter()
        .find(|r| r.id == "contacts-read")
        .unwrap();
    assert_eq!(contacts.api, ["CNContactStore"]);
    assert_eq!(contacts.binaries[0].role, "main");
    assert!(code.api_refs.iter().any(|r| r.id == "location-updates"));
    assert!(leaky.unread.is_empty(), "{:?}", leaky.unread);
}

#[test]
fn der_entitlements_equal_xml_entitlements_wherever_both_exist() {
    let mut both = 0;
    let mut ldid_form_read = false;
    for (label, bytes) in all_machos() {
        let Ok(m) = macho::read_macho(&bytes) else {
            continue;
        };
        let Some((off, len)) = m.code_signature else {
            continue;
        };
        let Some(sig) = bytes.get(off..(off + len).min(bytes.len())) else {
            continue;
        };
        let cs = match codesign::read_code_signature(sig, &Limits::default()) {
            Ok(cs) => cs,
            // Fuzzed files: tests/ios.rs checks that they fail cleanly.
            Err(_) if label.contains("MALFORMED") => continue,
            Err(e) => panic!("{label}: {e}"),
        };
        ldid_form_read |= label.ends_with("r2tb-TrollStore") && cs.der_entitlements.is_some();
        if let (Some(der), Some(xml)) = (&cs.der_entitlements, &cs.entitlements) {
            both += 1;
            let diff = der_entitlements::differing_keys(der, xml);
            assert!(diff.is_empty(), "{label}: {diff:?}");
        }
    }
    eprintln!("{both} code signatures with DER and XML entitlements agree");
    assert!(both >= 2, "both sample IPAs carry DER entitlements");
    if common::corpus_dir().is_some() {
        assert!(
            ldid_form_read,
            "r2tb-TrollStore's ldid-form DER entitlements"
        );
    }
}

/// SecureChat.ipa with `f` applied to its main executable.
fn patched_secure_chat(f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    patched_sample("SecureChat.ipa", "Payload/SecureChat.app/SecureChat", f)
}

/// The sample IPA `name` with `f` applied to its entry `entry`.
fn patched_sample(name: &str, entry: &str, f: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    let bytes = std::fs::read(sample(name)).unwrap();
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for e in archive.entries() {
        if e.is_dir {
            continue;
        }
        let mut data = archive.read(&e.name).unwrap().to_vec();
        if e.name == entry {
            f(&mut data);
        }
        w.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

#[test]
fn der_entitlements_that_disagree_with_xml_are_tampering_and_win() {
    // Changes `production` to `productioN` inside the DER blob only.
    let ipa = patched_secure_chat(|exe| {
        let magic = codesign::CSMAGIC_EMBEDDED_DER_ENTITLEMENTS.to_be_bytes();
        let at = exe.windows(4).position(|w| w == magic).expect("DER blob");
        let rel = exe[at..]
            .windows(10)
            .position(|w| w == b"production")
            .expect("aps-environment value");
        exe[at + rel + 9] = b'N';
    });
    let facts = app_facts("SecureChat-tampered.ipa", &ipa);
    let ios = facts.ios.as_ref().unwrap();
    let der = ios.entitlements_der.as_ref().unwrap();
    assert!(!der.matches_xml);
    assert_eq!(der.differing_keys, ["aps-environment"]);
    // Read as iOS 15+ reads: the DER value.
    assert_eq!(ios.aps_environment.as_deref(), Some("productioN"));
    let u = facts
        .unread
        .iter()
        .find(|u| u.kind == UnreadKind::Tampering)
        .expect("tampering entry");
    assert_eq!(u.entry, "Payload/SecureChat.app/SecureChat");
    assert!(u.reason.contains("aps-environment"), "{}", u.reason);

    // A DER blob that is not DER: the signature is unread, not skipped.
    let ipa = patched_secure_chat(|exe| {
        let magic = codesign::CSMAGIC_EMBEDDED_DER_ENTITLEMENTS.to_be_bytes();
        let at = exe.windows(4).position(|w| w == magic).expect("DER blob");
        exe[at + 8] = 0x04; // OCTET STRING instead of [APPLICATION 16]
    });
    let facts = app_facts("SecureChat-bad-der.ipa", &ipa);
    assert!(
        facts
            .unread
            .iter()
            .any(|u| u.kind == UnreadKind::Damage && u.reason.contains("DER entitlements")),
        "{:?}",
        facts.unread
    );
}

#[test]
fn a_framework_binary_that_cannot_be_read_is_unread() {
    let bytes = std::fs::read(sample("LeakyChat.ipa")).unwrap();
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let fw = "Payload/LeakyChat.app/Frameworks/FirebaseCrashlytics.framework/FirebaseCrashlytics";
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    for e in archive.entries().iter().filter(|e| !e.is_dir) {
        let mut data = archive.read(&e.name).unwrap().to_vec();
        if e.name == fw {
            data.truncate(100);
        }
        w.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&data).unwrap();
    }
    w.finish().unwrap();
    let facts = app_facts("LeakyChat-cut.ipa", &buf.into_inner());
    assert!(
        facts.unread.iter().any(|u| u.entry == fw),
        "{:?}",
        facts.unread
    );
    assert!(!facts.ios.unwrap().code.unwrap().complete);
}

#[test]
fn depth_sample_names_main_framework_extension_and_watch_binaries() {
    let facts = app_facts(
        "DepthChat.ipa",
        &std::fs::read(sample("DepthChat.ipa")).unwrap(),
    );
    assert!(facts.unread.is_empty(), "{:?}", facts.unread);
    let code = facts.ios.unwrap().code.expect("code facts");
    assert!(code.complete);
    let app = "Payload/DepthChat.app";
    let roles: Vec<(&str, String)> = code
        .binaries
        .iter()
        .map(|b| (b.role.as_str(), b.path.replace(app, "")))
        .collect();
    assert_eq!(
        roles,
        [
            ("main", "/DepthChat".to_string()),
            ("extension", "/PlugIns/Share.appex/Share".to_string()),
            ("watch_app", "/Watch/DepthWatch.app/DepthWatch".to_string()),
            (
                "watch_extension",
                "/Watch/DepthWatch.app/PlugIns/DepthWatchExtension.appex/DepthWatchExtension"
                    .to_string()
            ),
            (
                "watch_framework",
                "/Watch/DepthWatch.app/Frameworks/WristKit.framework/WristKit".to_string()
            ),
            (
                "framework",
                "/Frameworks/DepthKit.framework/DepthKit".to_string()
            ),
        ]
    );
    // Each curated API with the names found and the roles of the binaries
    // that reference it: what the sources in src/depth/ call.
    let got: Vec<(String, Vec<String>, Vec<String>)> = code
        .api_refs
        .iter()
        .map(|r| {
            (
                r.id.clone(),
                r.api.clone(),
                r.binaries.iter().map(|b| b.role.clone()).collect(),
            )
        })
        .collect();
    let want = |id: &str, api: &[&str], roles: &[&str]| {
        (
            id.to_string(),
            api.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            roles.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        got,
        [
            want(
                "advertising-identifier",
                &["ASIdentifierManager"],
                &["framework"]
            ),
            want(
                "app-tracking-transparency",
                &[
                    "ATTrackingManager",
                    "requestTrackingAuthorizationWithCompletionHandler:"
                ],
                &["framework"]
            ),
            want("commoncrypto", &["CCCrypt"], &["framework"]),
            want(
                "contacts-read",
                &[
                    "CNContactStore",
                    "enumerateContactsWithFetchRequest:error:usingBlock:"
                ],
                &["framework"]
            ),
            want(
                "contacts-write",
                &["CNSaveRequest", "executeSaveRequest:error:"],
                &["framework"]
            ),
            want("cryptokit", &["$s9CryptoKit…"], &["watch_extension"]),
            want(
                "file-protection-complete",
                &["NSFileProtectionComplete"],
                &["main"]
            ),
            want(
                "file-protection-none",
                &["NSFileProtectionNone"],
                &["watch_extension"]
            ),
            want(
                "keychain-access-control",
                &["SecAccessControlCreateWithFlags", "kSecAttrAccessControl"],
                &["main"]
            ),
            want(
                "keychain-accessible-always",
                &["kSecAttrAccessibleAlways"],
                &["watch_framework"]
            ),
            want(
                "keychain-this-device-only",
                &[
                    "kSecAttrAccessibleWhenPasscodeSetThisDeviceOnly",
                    "kSecAttrAccessibleWhenUnlockedThisDeviceOnly"
                ],
                &["main", "extension"]
            ),
            want(
                "local-authentication",
                &[
                    "LAContext",
                    "canEvaluatePolicy:error:",
                    "evaluatePolicy:localizedReason:reply:"
                ],
                &["main", "extension"]
            ),
            want(
                "location-always",
                &["requestAlwaysAuthorization"],
                &["framework"]
            ),
            want(
                "location-background",
                &["setAllowsBackgroundLocationUpdates:"],
                &["framework"]
            ),
            want(
                "location-updates",
                &["CLLocationManager", "startUpdatingLocation"],
                &["watch_app", "framework"]
            ),
        ]
    );
}

#[test]
fn depth_sample_api_references_reach_the_checks() {
    let out = common::run_msgaudit([
        "scan",
        "--profile",
        "dsk-full",
        "--format",
        "json",
        sample("DepthChat.ipa").to_str().unwrap(),
    ]);
    let report: serde_json::Value = common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let results = report["targets"][0]["results"].as_array().expect("results");
    let result = |id: &str| {
        results
            .iter()
            .find(|r| r["check"].as_str() == Some(id) || r["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no result for {id}"))
    };
    let api_evidence = |id: &str| -> Vec<String> {
        result(id)["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "api_ref")
            .map(|e| e["value"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(result("COM-06-no-advertising-tracking")["outcome"], "fail");
    // Each reference says what it means (the table's `why`), after a dash.
    let cites = |id: &str, start: &str| {
        api_evidence(id).iter().any(|v| {
            v.strip_prefix(start)
                .and_then(|rest| rest.strip_prefix(" — "))
                .is_some_and(|why| !why.trim().is_empty())
        })
    };
    assert!(cites(
        "COM-06-no-advertising-tracking",
        "ASIdentifierManager in Payload/DepthChat.app/Frameworks/DepthKit.framework/DepthKit"
    ));
    assert_eq!(result("APP-02-app-authentication")["outcome"], "manual");
    assert!(cites(
        "APP-02-app-authentication",
        "LAContext, canEvaluatePolicy:error:, evaluatePolicy:localizedReason:reply: in Payload/DepthChat.app/DepthChat and 1 more binary"
    ));
    assert_eq!(result("APP-08-no-permanent-location")["outcome"], "warn");
    assert_eq!(result("APP-03-contacts-separate")["outcome"], "warn");
    assert!(!api_evidence("APP-04-storage-encrypted").is_empty());
    assert!(!api_evidence("COM-02-end-to-end").is_empty());
}

/// The DepthChat bundle changed after signing (built by build-depth.sh
/// next to DepthChat.ipa): WristKit.framework re-signed by another team,
/// the watch extension unsigned.
fn foreign_fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ios/DepthChat-foreign-signatures.ipa")
}

/// The facts of `ipa` and the signature facts of every binary, by path below the app.
fn depth_signatures(ipa: &Path) -> (AppFacts, Vec<(String, IosBinarySignature)>) {
    let facts = app_facts("DepthChat.ipa", &std::fs::read(ipa).unwrap());
    let code = facts
        .ios
        .as_ref()
        .unwrap()
        .code
        .clone()
        .expect("code facts");
    let sigs = code
        .binaries
        .into_iter()
        .map(|b| {
            let path = b.path.replace("Payload/DepthChat.app/", "");
            (
                path,
                b.signature.expect("every binary states its signature"),
            )
        })
        .collect();
    (facts, sigs)
}

type SigRow<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<bool>,
);

fn sig_rows(sigs: &[(String, IosBinarySignature)]) -> Vec<SigRow<'_>> {
    sigs.iter()
        .map(|(p, s)| {
            (
                p.as_str(),
                s.state.as_str(),
                s.identifier.as_deref(),
                s.team_id.as_deref(),
                s.same_team_as_main,
            )
        })
        .collect()
}

#[test]
fn depth_sample_states_each_binarys_signature() {
    let (facts, sigs) = depth_signatures(&sample("DepthChat.ipa"));
    assert!(
        facts.unread.is_empty(),
        "one team signs all: {:?}",
        facts.unread
    );
    let ours = Some("DEPTHTEAM1");
    let wext = "Watch/DepthWatch.app/PlugIns/DepthWatchExtension.appex/DepthWatchExtension";
    let wkit = "Watch/DepthWatch.app/Frameworks/WristKit.framework/WristKit";
    assert_eq!(
        sig_rows(&sigs),
        [
            (
                "DepthChat",
                "signed",
                Some("com.example.depthchat"),
                ours,
                None
            ),
            (
                "PlugIns/Share.appex/Share",
                "signed",
                Some("com.example.depthchat.share"),
                ours,
                Some(true)
            ),
            (
                "Watch/DepthWatch.app/DepthWatch",
                "signed",
                Some("com.example.depthchat.watchkitapp"),
                ours,
                Some(true)
            ),
            (
                wext,
                "signed",
                Some("com.example.depthchat.watchkitapp.extension"),
                ours,
                Some(true)
            ),
            (
                wkit,
                "signed",
                Some("com.example.wristkit"),
                ours,
                Some(true)
            ),
            (
                "Frameworks/DepthKit.framework/DepthKit",
                "signed",
                Some("com.example.depthkit"),
                ours,
                Some(true)
            ),
        ]
    );
    for (p, s) in &sigs {
        assert!(s.cms, "{p}: the build adds a CMS signature");
        assert_eq!(s.code_directories.len(), 1, "{p}");
        assert_eq!(s.code_directories[0].hash_type, "sha256", "{p}");
        assert_eq!(
            s.code_directories[0].cd_hash.as_ref().map(String::len),
            Some(40)
        );
    }
    // The extension's entitlements, DER and XML alike.
    let share = &sigs[1].1;
    let ents = share
        .entitlements
        .as_ref()
        .expect("Share.appex entitlements");
    assert_eq!(
        ents.keys,
        [
            "application-identifier",
            "com.apple.developer.team-identifier",
            "com.apple.security.application-groups",
            "keychain-access-groups"
        ]
    );
    let der = ents.der.as_ref().expect("DER blob");
    assert!(der.xml_present && der.matches_xml, "{der:?}");
}

#[test]
fn nested_binaries_unsigned_or_signed_by_another_team_are_tampering() {
    let (facts, sigs) = depth_signatures(&foreign_fixture());
    let rows = sig_rows(&sigs);
    let wext = "Watch/DepthWatch.app/PlugIns/DepthWatchExtension.appex/DepthWatchExtension";
    let wkit = "Watch/DepthWatch.app/Frameworks/WristKit.framework/WristKit";
    assert_eq!(rows[3], (wext, "unsigned", None, None, None));
    assert_eq!(
        rows[4],
        (
            wkit,
            "signed",
            Some("com.example.wristkit"),
            Some("OTHERTEAM9"),
            Some(false)
        )
    );
    // The evidence: tampering entries naming the binary and the teams.
    let evidence: Vec<(&str, UnreadKind)> = facts
        .unread
        .iter()
        .map(|u| (u.entry.as_str(), u.kind))
        .collect();
    assert_eq!(
        evidence,
        [
            (
                "Payload/DepthChat.app/Watch/DepthWatch.app/PlugIns/DepthWatchExtension.appex/DepthWatchExtension",
                UnreadKind::Tampering
            ),
            (
                "Payload/DepthChat.app/Watch/DepthWatch.app/Frameworks/WristKit.framework/WristKit",
                UnreadKind::Tampering
            ),
        ]
    );
    assert!(facts.unread[0]
        .reason
        .contains("none, while the main executable is signed"));
    assert!(facts.unread[1].reason.contains("OTHERTEAM9"));
    assert!(facts.unread[1].reason.contains("DEPTHTEAM1"));
    // The rest reads as in DepthChat.ipa: code and SDKs of the changed binaries too.
    let code = facts.ios.as_ref().unwrap().code.as_ref().unwrap();
    assert!(code
        .api_refs
        .iter()
        .any(|r| r.id == "keychain-accessible-always"));
    assert!(facts.sdks.iter().any(|h| h.id == "sentry"));
}

#[test]
fn extension_der_entitlements_that_disagree_with_xml_are_tampering() {
    let share = "Payload/DepthChat.app/PlugIns/Share.appex/Share";
    // Changes the app group inside the DER blob only.
    let ipa = patched_sample("DepthChat.ipa", share, |exe| {
        let magic = codesign::CSMAGIC_EMBEDDED_DER_ENTITLEMENTS.to_be_bytes();
        let at = exe.windows(4).position(|w| w == magic).expect("DER blob");
        let group = b"group.com.example.depthchat";
        let rel = exe[at..]
            .windows(group.len())
            .position(|w| w == group)
            .expect("app group value");
        exe[at + rel + group.len() - 1] = b'T';
    });
    let facts = app_facts("DepthChat-tampered.ipa", &ipa);
    let code = facts.ios.as_ref().unwrap().code.as_ref().unwrap();
    let sig = code
        .binaries
        .iter()
        .find(|b| b.path == share)
        .and_then(|b| b.signature.as_ref())
        .unwrap();
    let der = sig.entitlements.as_ref().unwrap().der.as_ref().unwrap();
    assert!(!der.matches_xml);
    assert_eq!(
        der.differing_keys,
        ["com.apple.security.application-groups"]
    );
    let u = facts
        .unread
        .iter()
        .find(|u| u.entry == share)
        .expect("the extension is listed");
    assert_eq!(u.kind, UnreadKind::Tampering);
    assert!(u.reason.contains("application-groups"), "{}", u.reason);

    // A code signature cut inside its CodeDirectory: unreadable, not unsigned.
    let ipa = patched_sample("DepthChat.ipa", share, |exe| {
        let cd = 0xfade_0c02u32.to_be_bytes();
        let at = exe.windows(4).position(|w| w == cd).expect("CodeDirectory");
        exe[at + 20..at + 24].copy_from_slice(&0xffff_fff0u32.to_be_bytes());
    });
    let facts = app_facts("DepthChat-bad-cd.ipa", &ipa);
    let u = facts
        .unread
        .iter()
        .find(|u| u.entry == share)
        .expect("listed");
    assert_eq!(u.kind, UnreadKind::Damage, "{}", u.reason);
    let code = facts.ios.unwrap().code.unwrap();
    let b = code.binaries.iter().find(|b| b.path == share).unwrap();
    assert_eq!(b.signature.as_ref().unwrap().state, "unreadable");
}

/// The CMS blob (slot `0x10000`) of a thin Mach-O's code signature, found
/// through the `LC_CODE_SIGNATURE` offset `llvm-objdump` prints.
fn cms_blob(bytes: &[u8]) -> Option<Vec<u8>> {
    if !matches!(
        bytes.get(..4)?,
        [0xcf, 0xfa, 0xed, 0xfe] | [0xce, 0xfa, 0xed, 0xfe]
    ) {
        return None; // fat: offsets are per slice
    }
    let headers = objdump(bytes, &["--private-headers"])?;
    let mut lines = headers
        .lines()
        .skip_while(|l| !l.contains("LC_CODE_SIGNATURE"));
    let off: usize = lines
        .find_map(|l| l.trim().strip_prefix("dataoff "))?
        .trim()
        .parse()
        .ok()?;
    let be = |at: usize| -> Option<usize> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    for i in 0..be(off + 8)? {
        if be(off + 12 + i * 8)? == 0x10000 {
            let blob = off + be(off + 16 + i * 8)?;
            let len = be(blob + 4)?;
            return bytes.get(blob + 8..blob + len).map(<[u8]>::to_vec);
        }
    }
    None
}

#[test]
fn cd_hashes_and_team_ids_match_the_cms_signature() {
    if !common::tool_available("llvm-objdump") || !common::tool_available("openssl") {
        return;
    }
    let (mut teams, mut hashes) = (0, 0);
    let mut disagree = Vec::new();
    for (label, bytes) in all_machos() {
        let Ok(m) = macho::read_macho(&bytes) else {
            continue;
        };
        let Some((off, len)) = m.code_signature else {
            continue;
        };
        let Ok(cs) = codesign::read_code_signature(
            &bytes[off..(off + len).min(bytes.len())],
            &Limits::default(),
        ) else {
            continue;
        };
        let Some(cms) = cms_blob(&bytes).filter(|c| !c.is_empty()) else {
            continue;
        };
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(&cms).unwrap();
        let certs = Command::new("openssl")
            .args(["pkcs7", "-inform", "DER", "-print_certs", "-noout", "-in"])
            .arg(f.path())
            .output()
            .unwrap();
        let certs = String::from_utf8_lossy(&certs.stdout);
        // The team id is the signing certificate's organisational unit.
        if let Some(team) = cs
            .code_directories
            .first()
            .and_then(|cd| cd.team_id.as_ref())
        {
            teams += 1;
            if !certs.lines().any(|l| l.contains(&format!("OU = {team},"))) {
                disagree.push(format!("{label}: team {team} not in {certs}"));
            }
        }
        // Apple's signer records the CD hashes in a signed attribute
        // (1.2.840.113635.100.9.1): a plist with `cdhashes`.
        let oid = [
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x09, 0x01,
        ];
        let Some(at) = cms.windows(oid.len()).position(|w| w == oid) else {
            continue;
        };
        let rest = &cms[at..];
        let (Some(start), Some(end)) = (
            rest.windows(5).position(|w| w == b"<?xml"),
            rest.windows(8).position(|w| w == b"</plist>"),
        ) else {
            continue;
        };
        let dict = plist::read_dict(&rest[start..end + 8], &Limits::default()).unwrap();
        let theirs: BTreeSet<String> = match dict.get("cdhashes") {
            Some(::plist::Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_data().map(|d| hex_lower(&d[..d.len().min(20)])))
                .collect(),
            _ => continue,
        };
        let ours: BTreeSet<String> = cs
            .code_directories
            .iter()
            .filter_map(|cd| cd.cd_hash.clone())
            .collect();
        hashes += 1;
        if ours != theirs {
            disagree.push(format!("{label}: CD hashes ours {ours:?}, CMS {theirs:?}"));
        }
    }
    eprintln!("team ids compared with the certificate: {teams}; CD hash sets compared with the CMS attribute: {hashes}");
    assert!(disagree.is_empty(), "{disagree:#?}");
    assert!(
        teams >= 5,
        "DepthChat.ipa alone has 5 signed binaries with a team id"
    );
}

fn hex_lower(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn sdks_are_detected_in_every_binary_and_name_it() {
    let bytes = std::fs::read(sample("DepthChat.ipa")).unwrap();
    let facts = app_facts("DepthChat.ipa", &bytes);
    let sentry = facts
        .sdks
        .iter()
        .find(|h| h.id == "sentry")
        .expect("the watch framework's crash reporter");
    let app = "Payload/DepthChat.app/Watch/DepthWatch.app";
    let wristkit = format!("{app}/Frameworks/WristKit.framework/WristKit");
    let wext = format!("{app}/PlugIns/DepthWatchExtension.appex/DepthWatchExtension");
    let found: Vec<(&str, &str, &str)> = sentry
        .evidence
        .iter()
        .map(|e| {
            (
                e.kind.as_str(),
                e.value.as_str(),
                e.location.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("symbol", "SentryCrash* (1 symbol)", wext.as_str()),
            ("class_prefix", "SentrySDK (1 class)", wristkit.as_str()),
            ("symbol", "SentrySDK* (1 symbol)", wristkit.as_str()),
            ("symbol", "SentryCrash* (1 symbol)", wristkit.as_str()),
        ]
    );
    // The Share extension's LocalAuthentication counts too, under its name.
    let la = facts
        .sdks
        .iter()
        .find(|h| h.id == "ios-local-authentication")
        .unwrap();
    assert!(la
        .evidence
        .iter()
        .any(|e| e.location.as_deref() == Some("Payload/DepthChat.app/PlugIns/Share.appex/Share")));
    // Each symbol count against the symbol table llvm-objdump lists.
    if !common::tool_available("llvm-objdump") {
        return;
    }
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    for (kind, value, location) in found.iter().filter(|(k, _, _)| *k == "symbol") {
        let prefix = value.split('*').next().unwrap();
        let data = archive.read(location).unwrap();
        let syms = objdump(&data, &["--syms"]).unwrap();
        // Distinct names without the linker's decoration (the class
        // symbol and metaclass symbol of one class are one name).
        let n = syms
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .map(|s| {
                ["_OBJC_CLASS_$_", "_OBJC_METACLASS_$_", "_"]
                    .iter()
                    .find_map(|p| s.strip_prefix(p))
                    .unwrap_or(s)
            })
            .filter(|s| s.starts_with(prefix))
            .collect::<BTreeSet<_>>()
            .len();
        assert_eq!(n, 1, "{kind} {value} in {location}:\n{syms}");
    }
}
