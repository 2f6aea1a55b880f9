//! What crash-reporting and analytics SDKs are set to send
//! (`sdks[].data_categories`, `checks/sdk-switches.toml`): the sample apps
//! end to end (facts checked against `aapt dump xmltree`), APP-05 evidence in
//! English and German, and every corpus APK with documented switches.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{corpus_dir, files_under, run_msgaudit, tool_available};
use msgaudit::extract::sdk_data::SwitchTable;
use msgaudit::extract::{extract_path, ExtractOptions};
use msgaudit::facts::{AppFacts, DataCategory, DataState, Facts, SdkHit};
use serde_json::Value;

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/android/out")
        .join(rel)
}

fn facts(path: &Path) -> AppFacts {
    match extract_path(path, &ExtractOptions::default()) {
        Ok(Facts::App(a)) => *a,
        other => panic!("{}: not app facts: {other:?}", path.display()),
    }
}

fn hit<'a>(f: &'a AppFacts, id: &str) -> &'a SdkHit {
    f.sdks
        .iter()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("{id} not found"))
}

fn cat<'a>(h: &'a SdkHit, source: &str) -> &'a DataCategory {
    h.data_categories
        .iter()
        .find(|c| c.source == source)
        .unwrap_or_else(|| panic!("{}: no category from {source}", h.id))
}

#[test]
fn securechat_sentry_sends_screenshots_and_replays_errors() {
    let f = facts(&sample("securechat-1.1.apk"));
    let sentry = hit(&f, "sentry");
    let shot = cat(sentry, "io.sentry.attach-screenshot");
    assert_eq!(shot.category, "screenshots");
    assert_eq!(shot.state, DataState::On);
    assert_eq!(shot.value.as_deref(), Some("true"));
    assert_eq!(shot.file, "AndroidManifest.xml");
    let replay = cat(sentry, "io.sentry.session-replay.on-error-sample-rate");
    assert_eq!(replay.category, "session_replay");
    assert_eq!(replay.state, DataState::On);
    assert_eq!(replay.sample_rate, Some(1.0));
    // Not set in the manifest: the documented defaults, saying so.
    let session = cat(sentry, "io.sentry.session-replay.session-sample-rate");
    assert_eq!(session.state, DataState::DefaultOff);
    assert!(session.reason.contains("absent: documented default off"));
    let anr = cat(sentry, "io.sentry.anr.enable");
    assert_eq!(anr.state, DataState::DefaultOn);
    assert_eq!(
        anr.reason_de,
        "io.sentry.anr.enable nicht gesetzt: dokumentierte Vorgabe an"
    );
    // One entry per documented switch.
    let table = SwitchTable::builtin();
    let n = table
        .switches()
        .iter()
        .filter(|s| s.sdk == "sentry" && s.platform == "android")
        .count();
    assert_eq!(sentry.data_categories.len(), n);

    // SecureChat 1.0 has no crash reporter, so no categories anywhere.
    let clean = facts(&sample("securechat-1.0.apk"));
    assert!(clean.sdks.iter().all(|s| s.data_categories.is_empty()));
}

#[test]
fn sample_switch_values_equal_aapt() {
    if !tool_available("aapt") {
        return;
    }
    let out = Command::new("aapt")
        .args(["dump", "xmltree"])
        .arg(sample("securechat-1.1.apk"))
        .arg("AndroidManifest.xml")
        .output()
        .unwrap();
    let tree = String::from_utf8_lossy(&out.stdout);
    // aapt: type 0x12 is a boolean (0xffffffff = true), type 0x4 a float (0x3f800000 = 1.0).
    let value_after = |name: &str| -> String {
        let at = tree
            .find(&format!("\"{name}\""))
            .unwrap_or_else(|| panic!("{name} not in {tree}"));
        let rest = &tree[at..];
        let line = rest.lines().find(|l| l.contains("android:value(")).unwrap();
        line.split(")=").nth(1).unwrap().trim().to_string()
    };
    assert_eq!(
        value_after("io.sentry.attach-screenshot"),
        "(type 0x12)0xffffffff"
    );
    assert_eq!(
        value_after("io.sentry.session-replay.on-error-sample-rate"),
        "(type 0x4)0x3f800000"
    );
    let f = facts(&sample("securechat-1.1.apk"));
    let sentry = hit(&f, "sentry");
    assert_eq!(
        cat(sentry, "io.sentry.attach-screenshot").value.as_deref(),
        Some("true")
    );
    assert_eq!(
        cat(sentry, "io.sentry.session-replay.on-error-sample-rate").sample_rate,
        Some(f64::from(f32::from_bits(0x3f80_0000)))
    );
}

#[test]
fn leakychat_crashlytics_on_through_a_bool_resource() {
    let f = facts(&sample("leakychat-2.3.apk"));
    let crash = hit(&f, "firebase-crashlytics");
    let c = cat(crash, "firebase_crashlytics_collection_enabled");
    assert_eq!(c.category, "crash_reports");
    assert_eq!(c.state, DataState::On);
    assert_eq!(
        c.reference.as_deref(),
        Some("@bool/crashlytics_collection_enabled")
    );
    assert!(
        c.reason
            .contains("via @bool/crashlytics_collection_enabled"),
        "{}",
        c.reason
    );
    // Firebase Analytics: nothing set, every documented default applies.
    let an = hit(&f, "firebase-analytics");
    assert!(!an.data_categories.is_empty());
    assert!(an
        .data_categories
        .iter()
        .all(|c| c.state == DataState::DefaultOn && c.value.is_none()));
}

/// The APP-05 result of `file` in a scan report.
fn app05(file: &str, lang: &str) -> Value {
    let path = sample(file);
    let out = run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--lang".as_ref(),
        lang.as_ref(),
        "--as-of".as_ref(),
        "2026-11-23".as_ref(),
    ]);
    let report: Value = common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["results"].as_array().unwrap().iter())
        .find(|r| r["check"] == "APP-05-crash-default-off")
        .cloned()
        .expect("APP-05 result")
}

#[test]
fn app05_names_the_categories_switched_on_in_both_languages() {
    let en = app05("securechat-1.1.apk", "en");
    assert_eq!(en["outcome"], "fail");
    let items: Vec<&Value> = en["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "data_category")
        .collect();
    let values: Vec<&str> = items.iter().map(|e| e["value"].as_str().unwrap()).collect();
    assert!(
        values.contains(&"Sentry: screenshots — on (io.sentry.attach-screenshot = true (boolean, manifest meta-data))"),
        "{values:#?}"
    );
    assert!(
        values.iter().any(|v| v.starts_with("Sentry: session replay (screen recording) — on (io.sentry.session-replay.on-error-sample-rate = 1")),
        "{values:#?}"
    );
    assert!(
        values.contains(&"Sentry: ANR reports (app not responding) — on by default (io.sentry.anr.enable absent: documented default on)"),
        "{values:#?}"
    );
    // Off categories are not listed as sent.
    assert!(
        !values.iter().any(|v| v.contains("view hierarchy")),
        "{values:#?}"
    );
    assert!(items.iter().all(|e| e["location"] == "AndroidManifest.xml"));

    let de = app05("securechat-1.1.apk", "de").to_string();
    assert!(
        de.contains("Sentry: Bildschirmfotos — an (io.sentry.attach-screenshot = true (Wahrheitswert, Manifest-Metadaten))"),
        "{de}"
    );
    assert!(
        de.contains("Sentry: ANR-Berichte (App reagiert nicht) — standardmäßig an (io.sentry.anr.enable nicht gesetzt: dokumentierte Vorgabe an)"),
        "{de}"
    );
}

#[test]
fn every_corpus_apk_with_documented_switches_gets_categories() {
    let Some(corpus) = corpus_dir() else {
        return;
    };
    let table = SwitchTable::builtin();
    let mut apks = 0;
    let mut with_sdk = 0;
    let mut switched = 0;
    let mut orphans = 0;
    for path in files_under(&corpus.join("android")) {
        let name = path.to_string_lossy().to_ascii_lowercase();
        if !(name.ends_with(".apk") || name.ends_with(".apks")) {
            continue;
        }
        let Ok(Facts::App(f)) = extract_path(&path, &ExtractOptions::default()) else {
            continue;
        };
        apks += 1;
        let Some(android) = &f.android else { continue };
        // Documented switches whose SDK is not in the code: nothing to attach
        // them to (an SDK removed but its meta-data kept); counted, not claimed.
        for w in table.switches().iter().filter(|w| w.platform == "android") {
            if android.meta_data.contains_key(&w.key) && !f.sdks.iter().any(|s| s.id == w.sdk) {
                orphans += 1;
            }
        }
        for s in &f.sdks {
            let documented: Vec<_> = table
                .switches()
                .iter()
                .filter(|w| w.sdk == s.id && w.platform == "android")
                .collect();
            assert_eq!(
                s.data_categories.len(),
                documented.len(),
                "{}: {} has one category per documented switch",
                path.display(),
                s.id
            );
            if documented.is_empty() {
                continue;
            }
            with_sdk += 1;
            for (w, c) in documented.iter().zip(&s.data_categories) {
                assert_eq!(c.category, w.category);
                let set = android.meta_data.get(&w.key);
                let fallback = w.fallback.as_ref().and_then(|k| android.meta_data.get(k));
                match (set, fallback) {
                    (None, None) => assert!(
                        matches!(c.state, DataState::DefaultOn | DataState::DefaultOff),
                        "{}: {} absent but {:?}",
                        path.display(),
                        w.key,
                        c.state
                    ),
                    (Some(v), _) => {
                        switched += 1;
                        assert_eq!(c.source, w.key);
                        assert_eq!(c.value, v.value, "{}: {}", path.display(), w.key);
                        // Set in the file: its value decides, or the reason says why not.
                        assert!(
                            matches!(c.state, DataState::On | DataState::Off | DataState::Unknown)
                                || c.reason.contains("mistyped"),
                            "{}: {} = {:?} gave {:?}",
                            path.display(),
                            w.key,
                            v,
                            c.state
                        );
                    }
                    (None, Some(_)) => {
                        switched += 1;
                        assert_eq!(Some(&c.source), w.fallback.as_ref());
                    }
                }
            }
        }
    }
    eprintln!(
        "{apks} corpus APKs read; {with_sdk} SDK hits with documented switches; {switched} switches set in a manifest; {orphans} switches without their SDK's code"
    );
    assert!(apks > 50, "the corpus has APKs ({apks})");
}

#[test]
fn ios_leakychat_crashlytics_defaults_from_the_info_plist() {
    let ipa = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/ios/LeakyChat.ipa");
    let f = facts(&ipa);
    let crash = hit(&f, "firebase-crashlytics");
    assert_eq!(
        crash.data_categories.len(),
        1,
        "{:#?}",
        crash.data_categories
    );
    let c = &crash.data_categories[0];
    assert_eq!(c.category, "crash_reports");
    assert_eq!(c.state, DataState::DefaultOn);
    assert_eq!(c.file, "Info.plist");
    assert_eq!(
        c.reason,
        "FirebaseCrashlyticsCollectionEnabled and FirebaseDataCollectionDefaultEnabled absent: documented default on"
    );
    // The Info.plist really lacks both keys (plistutil as the oracle).
    if tool_available("plistutil") && tool_available("unzip") {
        let out = Command::new("unzip")
            .args(["-p"])
            .arg(&ipa)
            .arg("Payload/LeakyChat.app/Info.plist")
            .output()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let plist = dir.path().join("Info.plist");
        std::fs::write(&plist, &out.stdout).unwrap();
        let xml = Command::new("plistutil")
            .arg("-i")
            .arg(&plist)
            .args(["-f", "xml"])
            .output()
            .unwrap();
        let xml = String::from_utf8_lossy(&xml.stdout);
        assert!(xml.contains("<key>CFBundleIdentifier</key>"), "{xml}");
        assert!(!xml.contains("FirebaseCrashlyticsCollectionEnabled"));
        assert!(!xml.contains("FirebaseDataCollectionDefaultEnabled"));
    }
}
