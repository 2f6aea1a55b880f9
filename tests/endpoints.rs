//! Endpoints (facts `endpoints`): no invented hosts, documentation hosts
//! filtered, owners from the knowledge base.
//!
//! For every sample app and every corpus APK, split set and IPA msgaudit
//! reads, each listed host must occur in the bytes of each file its sources
//! name (as ASCII/UTF-8, UTF-16LE or UTF-16BE, case-insensitive: binary XML
//! and resource tables may hold UTF-16, binary plists UTF-16BE), no listed
//! host may be one the filter list drops, and each owner must be the one
//! `KnowledgeBase::owner_of_host` names. The file is read with the `zip`
//! crate (independently of msgaudit's archive reader); a file it cannot
//! open is skipped for the byte check and counted.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use msgaudit::extract::endpoints::filter::is_filtered;
use msgaudit::extract::sdks::KnowledgeBase;
use msgaudit::extract::{extract_path, ExtractOptions};
use msgaudit::facts::{AppFacts, EndpointSourceKind, Facts};

fn facts(path: &Path) -> Option<AppFacts> {
    match extract_path(path, &ExtractOptions::default()) {
        Ok(Facts::App(a)) => Some(*a),
        _ => None,
    }
}

/// The bytes of `entry` in the zip `bytes`; `a.apk/classes.dex` reads
/// `classes.dex` inside the entry `a.apk` (split sets).
fn entry_bytes(bytes: &[u8], entry: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let direct = (|| {
        let mut f = zip.by_name(entry).ok()?;
        let mut out = Vec::new();
        f.read_to_end(&mut out).ok()?;
        Some(out)
    })();
    if direct.is_some() {
        return direct;
    }
    let (outer, inner) = entry.split_once(".apk/")?;
    let outer_bytes = entry_bytes(bytes, &format!("{outer}.apk"))?;
    entry_bytes(&outer_bytes, inner)
}

fn contains_host(hay: &[u8], host: &str) -> bool {
    let lower: Vec<u8> = hay.iter().map(u8::to_ascii_lowercase).collect();
    let ascii = host.as_bytes();
    let le: Vec<u8> = ascii.iter().flat_map(|&b| [b, 0]).collect();
    let be: Vec<u8> = ascii.iter().flat_map(|&b| [0, b]).collect();
    [ascii, &le[..], &be[..]]
        .iter()
        .any(|needle| lower.windows(needle.len()).any(|w| w == *needle))
}

/// Checks every endpoint of `path`; returns how many (host, file) pairs
/// were verified in the file's bytes.
fn check(path: &Path, kb: &KnowledgeBase) -> usize {
    let Some(f) = facts(path) else {
        return 0;
    };
    let archive = std::fs::read(path).expect("readable");
    let mut verified = 0;
    for e in &f.endpoints {
        assert!(
            !is_filtered(&e.host),
            "{}: filtered host {} listed",
            path.display(),
            e.host
        );
        assert_eq!(
            e.owner.as_ref().map(|o| o.sdk.as_str()),
            kb.owner_of_host(&e.host).map(|o| o.id),
            "{}: owner of {}",
            path.display(),
            e.host
        );
        assert!(
            !e.sources.is_empty(),
            "{}: {} without source",
            path.display(),
            e.host
        );
        for s in &e.sources {
            let Some(bytes) = entry_bytes(&archive, &s.file) else {
                continue;
            };
            assert!(
                contains_host(&bytes, &e.host),
                "{}: host {} does not occur in {} ({:?})",
                path.display(),
                e.host,
                s.file,
                s.kind
            );
            verified += 1;
        }
    }
    verified
}

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

#[test]
fn sample_apps_name_only_hosts_in_their_files() {
    let kb = KnowledgeBase::builtin();
    let mut total = 0;
    for rel in [
        "sample-apps/android/out/leakychat-2.3.apk",
        "sample-apps/android/out/leakychat-2.3.apks",
        "sample-apps/android/out/oldchat-1.0.apk",
        "sample-apps/android/out/securechat-1.0.apk",
        "sample-apps/android/out/securechat-1.1.apk",
        "sample-apps/ios/LeakyChat.ipa",
        "sample-apps/ios/SecureChat.ipa",
    ] {
        total += check(&sample(rel), &kb);
    }
    assert!(total >= 1, "no sample endpoint verified");
}

#[test]
fn securechat_dsn_host_has_owner_region_and_key() {
    let f = facts(&sample("sample-apps/android/out/securechat-1.1.apk")).expect("sample app");
    let e = f
        .endpoints
        .iter()
        .find(|e| e.host.ends_with("sentry.io"))
        .expect("the Sentry DSN host is listed");
    assert_eq!(e.region.as_deref(), Some("de"));
    assert_eq!(
        e.owner.as_ref().map(|o| o.vendor.as_str()),
        Some("Functional Software (Sentry)")
    );
    assert_eq!(e.sources[0].kind, EndpointSourceKind::ManifestMetaData);
    assert_eq!(e.sources[0].key.as_deref(), Some("io.sentry.dsn"));
    // Reserved example hosts (the sample apps' `*.example` URLs) are not endpoints.
    let leaky = facts(&sample("sample-apps/android/out/leakychat-2.3.apk")).expect("sample app");
    assert!(!leaky.android.unwrap().dex.cleartext_urls.is_empty());
    assert!(leaky
        .endpoints
        .iter()
        .all(|e| !e.host.ends_with(".example")));
}

#[test]
fn corpus_apps_name_only_hosts_in_their_files() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let kb = KnowledgeBase::builtin();
    let mut verified = 0;
    let mut files = 0;
    for dir in ["android/apk", "android/apksig", "android/split", "ios/ipa"] {
        for path in common::files_under(&corpus.join(dir)) {
            files += 1;
            verified += check(&path, &kb);
        }
    }
    eprintln!("{files} corpus files, {verified} host/file pairs verified");
    assert!(verified >= 50, "only {verified} host/file pairs verified");
    // Kinds seen on the largest APK: DEX strings and native libraries.
    let airtest = facts(&corpus.join("android/apk/pypi/airtest-Yosemite.apk")).expect("reads");
    let kinds: std::collections::BTreeSet<EndpointSourceKind> = airtest
        .endpoints
        .iter()
        .flat_map(|e| e.sources.iter().map(|s| s.kind))
        .collect();
    assert!(kinds.contains(&EndpointSourceKind::DexString));
    assert!(kinds.contains(&EndpointSourceKind::NativeLibrary));
    assert!(airtest.endpoints.iter().any(|e| e.host == "log.tbs.qq.com"));
}

/// The evidence of `check` in the JSON report of `msgaudit scan FILE --profile dsk-full`.
fn evidence(file: &Path, check: &str) -> Vec<serde_json::Value> {
    let out = common::run_msgaudit([
        "scan".as_ref(),
        file.as_os_str(),
        "--profile".as_ref(),
        "dsk-full".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let report: serde_json::Value = common::json(&out.stdout).expect("JSON report");
    report["targets"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["check"].as_str().is_some_and(|c| c.starts_with(check)))
        .unwrap_or_else(|| panic!("{check} evaluated"))["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn server_location_and_crash_checks_name_the_hosts() {
    let apk = sample("sample-apps/android/out/securechat-1.1.apk");
    let host = "o0.ingest.de.sentry.io";
    let plt = evidence(&apk, "PLT-04");
    let e = plt
        .iter()
        .find(|e| e["kind"] == "endpoint")
        .expect("PLT-04 lists the endpoint");
    assert_eq!(
        e["value"],
        format!("{host} (Sentry, Functional Software (Sentry)) — region stated in the name: de")
    );
    assert_eq!(
        e["value_de"],
        format!("{host} (Sentry, Functional Software (Sentry)) — im Namen genannte Region: de")
    );
    assert_eq!(e["location"], "AndroidManifest.xml");
    let app05 = evidence(&apk, "APP-05");
    let e = app05
        .iter()
        .find(|e| e["kind"] == "endpoint")
        .expect("APP-05 names the Sentry host");
    assert_eq!(e["value"], format!("{host} — host of Sentry, region de"));
    assert_eq!(
        e["value_de"],
        format!("{host} — Host von Sentry, Region de")
    );
    // An app without endpoints gets no endpoint evidence.
    let plain = sample("sample-apps/android/out/securechat-1.0.apk");
    assert!(evidence(&plain, "PLT-04")
        .iter()
        .all(|e| e["kind"] != "endpoint"));
}
