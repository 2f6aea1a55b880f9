//! End to end on the sample apps and inventories: the verdicts their design
//! implies, the answers workflow, compare and diff, and the README's scan.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(rel)
}

/// Runs `msgaudit scan --format json` and returns (exit code, report).
fn scan_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["scan", "--format", "json", "--as-of", "2026-11-23"];
    all.extend_from_slice(args);
    let out = run_msgaudit(&all);
    let report: Value = common::json(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "scan {args:?} printed no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// The outcome of `check` for the target whose file name is `file`.
fn outcome<'a>(report: &'a Value, file: &str, check: &str) -> &'a str {
    let target = target(report, file);
    target["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["check"] == check))
        .and_then(|r| r["outcome"].as_str())
        .unwrap_or_else(|| panic!("{file}: no result for {check}"))
}

fn target<'a>(report: &'a Value, file: &str) -> &'a Value {
    report["targets"]
        .as_array()
        .and_then(|ts| {
            ts.iter().find(|t| {
                t["target"]["file"]["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(file))
            })
        })
        .unwrap_or_else(|| panic!("no target {file} in the report"))
}

#[test]
fn android_samples_get_the_verdicts_their_design_implies() {
    let (code, report) = scan_json(&[sample("android/out").to_str().unwrap()]);
    assert_eq!(code, 1, "a not-compliant sample makes the exit code 1");

    // SecureChat 1.0: clean; only manual must-checks are open.
    let clean = target(&report, "securechat-1.0.apk");
    assert_eq!(clean["verdict"], "incomplete");
    for check in [
        "APP-03-contacts-separate",
        "APP-04-storage-encrypted",
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
        "PLT-03-backup-encrypted",
    ] {
        assert_eq!(
            outcome(&report, "securechat-1.0.apk", check),
            "pass",
            "{check}"
        );
    }

    // SecureChat 1.1 adds Sentry with collection on by default.
    assert_eq!(
        target(&report, "securechat-1.1.apk")["verdict"],
        "not_compliant"
    );
    assert_eq!(
        outcome(&report, "securechat-1.1.apk", "APP-05-crash-default-off"),
        "fail"
    );

    // LeakyChat: Crashlytics on, backups, contacts written, ad ID, background location.
    for file in ["leakychat-2.3.apk", "leakychat-2.3.apks"] {
        assert_eq!(target(&report, file)["verdict"], "not_compliant", "{file}");
        for check in [
            "APP-03-contacts-separate",
            "APP-05-crash-default-off",
            "APP-12-privacy-defaults",
            "COM-06-no-advertising-tracking",
            "PLT-03-backup-encrypted",
        ] {
            assert_eq!(outcome(&report, file, check), "fail", "{file} {check}");
        }
    }
    let leaky = target(&report, "leakychat-2.3.apk");
    let app05 = leaky["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "APP-05-crash-default-off")
        .unwrap();
    let evidence = app05["evidence"].to_string();
    assert!(
        evidence.contains("firebase_crashlytics_collection_enabled = true"),
        "the switch that decided is the evidence: {evidence}"
    );
}

#[test]
fn answers_turn_the_clean_sample_compliant() {
    let answers = sample("answers/securechat.toml");
    let (code, report) = scan_json(&[
        sample("android/out/securechat-1.0.apk").to_str().unwrap(),
        "--answers",
        answers.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "every target compliant → exit 0");
    let t = target(&report, "securechat-1.0.apk");
    assert_eq!(t["verdict"], "compliant");
    let attested = t["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "APP-06-deletion")
        .unwrap();
    assert_eq!(attested["outcome"], "pass");
    assert!(attested["attestation"]["by"]
        .as_str()
        .unwrap()
        .contains("Datenschutzbeauftragte"));
}

#[test]
fn diff_flags_the_update_that_adds_a_crash_sdk() {
    let old = sample("android/out/securechat-1.0.apk");
    let new = sample("android/out/securechat-1.1.apk");
    let out = run_msgaudit([
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1), "a regression exits 1");
    let d: Value = common::json(&out.stdout).unwrap();
    assert_eq!(d["regression"], true);
    let sentry = d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "sdk_added" && c["subject"] == "sentry")
        .expect("Sentry reported as added");
    assert_eq!(sentry["severity"], "regression");
    assert!(sentry["new"]
        .as_str()
        .unwrap()
        .contains("collection_default=enabled"));

    // German rendering of the same diff.
    let out = run_msgaudit([
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--lang".as_ref(),
        "de".as_ref(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("VERSCHLECHTERUNG") && text.contains("Neu: Sentry"),
        "{text}"
    );

    // The same app against itself: no regression, exit 0.
    let out = run_msgaudit(["diff".as_ref(), old.as_os_str(), old.as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn diff_and_compare_read_saved_json_reports() {
    let dir = tempfile::tempdir().unwrap();
    let save = |app: &str, name: &str| {
        let path = dir.path().join(name);
        let out = run_msgaudit([
            "scan".as_ref(),
            sample(app).as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
            "--output".as_ref(),
            path.as_os_str(),
        ]);
        assert!(path.is_file(), "{}", String::from_utf8_lossy(&out.stderr));
        path
    };
    let old = save("android/out/securechat-1.0.apk", "old.json");
    let new = save("android/out/securechat-1.1.apk", "new.json");
    let out = run_msgaudit([
        "diff".as_ref(),
        old.as_os_str(),
        new.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let d: Value = common::json(&out.stdout).unwrap();
    assert_eq!(d["outcomes_only"], false, "saved reports carry their facts");
    assert!(d["changes"].to_string().contains("sdk_added"));

    let leaky = sample("android/out/leakychat-2.3.apk");
    let out = run_msgaudit([
        "compare".as_ref(),
        old.as_os_str(),
        leaky.as_os_str(),
        "--format".as_ref(),
        "csv".as_ref(),
        "--lang".as_ref(),
        "de".as_ref(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8_lossy(&out.stdout);
    assert!(csv.starts_with("\u{feff}bereich;anforderung"), "{csv}");
    assert!(csv.contains("LeakyChat 2.3") && csv.contains("SecureChat 1.0"));
    assert!(csv.contains("Nicht erfüllt"));
}

#[test]
fn compare_matrix_has_requirements_as_rows_and_apps_as_columns() {
    let out = run_msgaudit([
        "compare".as_ref(),
        sample("android/out/securechat-1.0.apk").as_os_str(),
        sample("android/out/leakychat-2.3.apk").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let c: Value = common::json(&out.stdout).unwrap();
    let names: Vec<&str> = c["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["SecureChat 1.0", "LeakyChat 2.3"]);
    let app_area = &c["areas"][0];
    assert_eq!(app_area["area"], "app");
    let app05 = app_area["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "APP-05")
        .unwrap();
    assert_eq!(app05["cells"][0]["outcome"], "pass");
    assert_eq!(app05["cells"][1]["outcome"], "fail");

    let out = run_msgaudit([
        "compare".as_ref(),
        sample("android/out/securechat-1.0.apk").as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "sarif is a usage error for compare"
    );
}

/// The facts of a sample app, via `msgaudit facts`.
fn facts_of(rel: &str) -> Value {
    let out = run_msgaudit(["facts", sample(rel).to_str().unwrap()]);
    common::json(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "facts {rel}: no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// `facts` names each app file by its SHA-256 and size (the hash is computed
/// on a second thread while the archive is read): an APK, a split set and an
/// IPA, against the digest of the whole file computed here.
#[test]
fn facts_carry_the_whole_files_sha256_and_size() {
    use sha2::{Digest, Sha256};
    for rel in [
        "android/out/securechat-1.1.apk",
        "android/out/leakychat-2.3.apks",
        "ios/SecureChat.ipa",
    ] {
        let bytes = std::fs::read(sample(rel)).unwrap();
        let facts = facts_of(rel);
        assert_eq!(
            facts["file"]["sha256"].as_str(),
            Some(hex::encode(Sha256::digest(&bytes)).as_str()),
            "{rel}"
        );
        assert_eq!(
            facts["file"]["size"].as_u64(),
            Some(bytes.len() as u64),
            "{rel}"
        );
    }
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The split permissions aapt does not print, on the low-target samples:
/// OldChat 1.0 (targetSdk 15) is granted them, OldChat 2.0 (targetSdk 33) not.
/// Each is named with the first rule that grants it, in the platform's order
/// (READ_EXTERNAL_STORAGE, implied first, carries the media splits).
#[test]
fn low_target_samples_get_the_split_permissions_android_grants() {
    let old = facts_of("android/out/oldchat-1.0.apk");
    let implied: Vec<(&str, &str, &str)> = old["android"]["implied_permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["name"].as_str().unwrap(),
                i["rule"].as_str().unwrap(),
                i["reason"].as_str().unwrap(),
            )
        })
        .collect();
    let p = |n: &str| format!("android.permission.{n}");
    // (granted, rule, from, below targetSdk)
    let table: [(&str, &str, &str, Option<u32>); 12] = [
        (
            "READ_EXTERNAL_STORAGE",
            "aapt",
            "WRITE_EXTERNAL_STORAGE",
            None,
        ),
        ("READ_CALL_LOG", "aapt", "READ_CONTACTS", Some(16)),
        (
            "ACCESS_COARSE_LOCATION",
            "split",
            "ACCESS_FINE_LOCATION",
            None,
        ),
        (
            "ACCESS_BACKGROUND_LOCATION",
            "split",
            "ACCESS_FINE_LOCATION",
            Some(29),
        ),
        (
            "ACCESS_MEDIA_LOCATION",
            "split",
            "READ_EXTERNAL_STORAGE",
            Some(29),
        ),
        ("BLUETOOTH_SCAN", "split", "BLUETOOTH", Some(31)),
        ("BLUETOOTH_CONNECT", "split", "BLUETOOTH", Some(31)),
        ("BLUETOOTH_ADVERTISE", "split", "BLUETOOTH", Some(31)),
        (
            "READ_MEDIA_AUDIO",
            "split",
            "READ_EXTERNAL_STORAGE",
            Some(33),
        ),
        (
            "READ_MEDIA_VIDEO",
            "split",
            "READ_EXTERNAL_STORAGE",
            Some(33),
        ),
        (
            "READ_MEDIA_IMAGES",
            "split",
            "READ_EXTERNAL_STORAGE",
            Some(33),
        ),
        (
            "READ_MEDIA_VISUAL_USER_SELECTED",
            "split",
            "READ_MEDIA_IMAGES",
            None,
        ),
    ];
    let expected: Vec<(String, &str, String)> = table
        .iter()
        .map(|(n, rule, from, below)| {
            let why = match below {
                Some(b) => format!("{}; targetSdk 15 < {b}", p(from)),
                None => p(from),
            };
            (p(n), *rule, why)
        })
        .collect();
    let expected: Vec<(&str, &str, &str)> = expected
        .iter()
        .map(|(n, r, w)| (n.as_str(), *r, w.as_str()))
        .collect();
    assert_eq!(implied, expected);
    let effective = strings(&old["android"]["effective_permissions"]);
    assert_eq!(effective.len(), 5 + expected.len());
    assert!(effective.windows(2).all(|w| w[0] < w[1]));

    let new = facts_of("android/out/oldchat-2.0.apk");
    let implied: Vec<&str> = new["android"]["implied_permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        implied,
        vec![
            "android.permission.READ_EXTERNAL_STORAGE",
            "android.permission.ACCESS_COARSE_LOCATION"
        ]
    );

    // What aapt prints agrees with the aapt rules on both.
    if common::tool_available("aapt") {
        for (facts, rel) in [
            (&old, "android/out/oldchat-1.0.apk"),
            (&new, "android/out/oldchat-2.0.apk"),
        ] {
            let out = std::process::Command::new("aapt")
                .args(["dump", "badging"])
                .arg(sample(rel))
                .output()
                .unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let mut theirs: Vec<String> = text
                .lines()
                .filter(|l| l.starts_with("uses-permission:"))
                .filter_map(|l| l.split('\'').nth(1).map(str::to_string))
                .collect();
            theirs.sort();
            let mut ours: Vec<String> = strings(&facts["android"]["permissions"])
                .into_iter()
                .map(str::to_string)
                .chain(
                    facts["android"]["implied_permissions"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|i| i["rule"] == "aapt")
                        .map(|i| i["name"].as_str().unwrap().to_string()),
                )
                .collect();
            ours.sort();
            assert_eq!(ours, theirs, "{rel}");
        }
    }
}

/// OldChat reads the advertising ID without the AD_ID permission: at targetSdk
/// 15 it gets the ID (evidence in COM-06 and APP-12), at targetSdk 33 zeros.
#[test]
fn advertising_id_read_without_ad_id_counts_only_below_target_33() {
    let old = facts_of("android/out/oldchat-1.0.apk");
    let ad = &old["android"]["advertising_id"];
    assert_eq!(ad["readable"], true);
    assert_eq!(ad["permission_declared"], false);
    assert_eq!(ad["target_sdk"], 15);
    assert_eq!(
        strings(&ad["clients"]),
        vec!["com.google.android.gms.ads.identifier."]
    );
    let new = facts_of("android/out/oldchat-2.0.apk");
    assert_eq!(new["android"]["advertising_id"]["readable"], false);

    let (_, report) = scan_json(&[
        "--profile",
        "dsk-full",
        sample("android/out").to_str().unwrap(),
    ]);
    for check in ["COM-06-no-advertising-tracking", "APP-12-privacy-defaults"] {
        let evidence = |file: &str| -> Vec<Value> {
            target(&report, file)["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["check"] == check)
                .unwrap()["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["kind"] == "advertising_id")
                .cloned()
                .collect()
        };
        assert_eq!(
            outcome(&report, "oldchat-1.0.apk", check),
            "fail",
            "{check}"
        );
        let e = evidence("oldchat-1.0.apk");
        assert_eq!(e.len(), 1, "{check}");
        assert!(
            e[0]["value"]
                .as_str()
                .unwrap()
                .contains("only from targetSdk 33 (here: 15)"),
            "{e:?}"
        );
        assert!(
            e[0]["value_de"].as_str().unwrap().contains("lesbar"),
            "{e:?}"
        );
        assert!(evidence("oldchat-2.0.apk").is_empty(), "{check}");
    }
    // OldChat 2.0 has nothing else for COM-06 to find.
    assert_eq!(
        outcome(&report, "oldchat-2.0.apk", "COM-06-no-advertising-tracking"),
        "manual"
    );
}

#[test]
fn the_readme_scan_of_all_samples_reads_every_sample() {
    let (code, report) = scan_json(&[sample("").to_str().unwrap()]);
    assert_eq!(code, 1);
    let targets = report["targets"].as_array().unwrap();
    assert!(
        targets.iter().all(|t| t["verdict"] != "error"),
        "no sample is unreadable: {:?}",
        targets
            .iter()
            .filter(|t| t["verdict"] == "error")
            .map(|t| (&t["target"]["name"], &t["error"]))
            .collect::<Vec<_>>()
    );
    assert!(targets.iter().any(|t| t["target"]["kind"] == "android"));
    assert!(targets.iter().any(|t| t["target"]["kind"] == "device"));
    assert!(report["fleet"]["devices"].as_u64().unwrap() > 10);
}

#[test]
fn ios_samples_get_the_verdicts_their_design_implies() {
    let (code, report) = scan_json(&[sample("ios").to_str().unwrap()]);
    assert_eq!(code, 1);
    let clean = target(&report, "SecureChat.ipa");
    assert_eq!(clean["verdict"], "incomplete");
    for check in [
        "APP-03-contacts-separate",
        "APP-04-storage-encrypted",
        "APP-05-crash-default-off",
    ] {
        assert_eq!(outcome(&report, "SecureChat.ipa", check), "pass", "{check}");
    }
    let leaky = target(&report, "LeakyChat.ipa");
    assert_eq!(leaky["verdict"], "not_compliant");
    assert_eq!(
        outcome(&report, "LeakyChat.ipa", "APP-05-crash-default-off"),
        "fail"
    );
    assert_eq!(
        outcome(&report, "LeakyChat.ipa", "APP-12-privacy-defaults"),
        "fail"
    );
    assert_eq!(
        outcome(&report, "LeakyChat.ipa", "APP-04-storage-encrypted"),
        "warn"
    );
    assert_eq!(
        outcome(&report, "LeakyChat.ipa", "PLT-03-backup-encrypted"),
        "warn"
    );
}

/// Every clear identifier of the sample inventories, read with `--reveal-identities`.
fn clear_identifiers() -> Vec<String> {
    let mut values = Vec::new();
    for entry in std::fs::read_dir(sample("inventories")).unwrap() {
        let path = entry.unwrap().path();
        let out = run_msgaudit([
            "facts".as_ref(),
            "--reveal-identities".as_ref(),
            path.as_os_str(),
        ]);
        let Ok(facts) = common::json::<Value>(&out.stdout) else {
            continue; // README, mapping file
        };
        for d in facts["devices"].as_array().into_iter().flatten() {
            for v in d["identifiers"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
            {
                if let Some(s) = v.as_str().filter(|s| s.len() >= 6) {
                    values.push(s.to_string());
                }
            }
        }
    }
    values.sort();
    values.dedup();
    values
}

#[test]
fn no_report_contains_a_personal_identifier_unless_revealed() {
    let clear = clear_identifiers();
    assert!(
        clear.len() > 50,
        "the samples hold identifiers: {}",
        clear.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let remediation = dir.path().join("remediation.csv");
    for format in ["table", "json", "sarif", "html", "md", "csv"] {
        for lang in ["de", "en"] {
            let out = run_msgaudit([
                "scan".as_ref(),
                sample("inventories").as_os_str(),
                "--format".as_ref(),
                format.as_ref(),
                "--lang".as_ref(),
                lang.as_ref(),
                "--remediation-csv".as_ref(),
                remediation.as_os_str(),
            ]);
            let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
            text.push_str(&String::from_utf8_lossy(&out.stderr));
            text.push_str(&std::fs::read_to_string(&remediation).unwrap());
            let leaked: Vec<&String> = clear.iter().filter(|v| text.contains(v.as_str())).collect();
            assert!(leaked.is_empty(), "{format}/{lang} report shows {leaked:?}");
        }
    }
    // The same report with --reveal-identities shows them: the test can fail.
    let out = run_msgaudit([
        "scan".as_ref(),
        sample("inventories").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--reveal-identities".as_ref(),
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(clear.iter().any(|v| text.contains(v.as_str())));
}

#[test]
fn remediation_list_names_failed_device_checks_worst_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("todo.csv");
    let out = run_msgaudit([
        "scan".as_ref(),
        sample("inventories").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--output".as_ref(),
        dir.path().join("r.json").as_os_str(),
        "--remediation-csv".as_ref(),
        path.as_os_str(),
        "--lang".as_ref(),
        "de".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(&path)
        .unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "Gerät");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows
        .iter()
        .all(|r| r[4].starts_with("DEV-") || r[4].starts_with("PLT-")));
    assert!(
        rows.iter().all(|r| !r[9].is_empty()),
        "every row says what to do"
    );
    assert_eq!(&rows[0][3], "Nicht konform");
}

#[test]
fn diff_and_compare_on_corpus_apps() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let apksig = corpus.join("android/apksig");
    // Same app, same version, a different signing key: critical, exit 1.
    let out = run_msgaudit([
        "diff".as_ref(),
        apksig.join("original.apk").as_os_str(),
        apksig
            .join("v2-only-with-ecdsa-sha256-p256.apk")
            .as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let d: Value = common::json(&out.stdout).unwrap();
    assert_eq!(d["changes"][0]["kind"], "certificate_changed");
    assert_eq!(d["changes"][0]["severity"], "critical");
    // The same key with other signing schemes: no certificate change.
    let out = run_msgaudit([
        "diff".as_ref(),
        apksig.join("original.apk").as_os_str(),
        apksig.join("v2-stripped.apk").as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let d: Value = common::json(&out.stdout).unwrap();
    assert!(!d["changes"].to_string().contains("certificate_changed"));

    // An app with an ad SDK against one without, in both languages.
    let ads = corpus.join("android/apk/exodus/blooddonation.apk");
    let plain = corpus.join("android/apk/androguard/TestActivity.apk");
    if !(ads.is_file() && plain.is_file()) {
        eprintln!("skipped: corpus apps for compare not found");
        return;
    }
    let out = run_msgaudit([
        "compare".as_ref(),
        ads.as_os_str(),
        plain.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = common::json(&out.stdout).unwrap();
    let com06 = c["areas"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["rows"].as_array().unwrap())
        .find(|r| r["requirement"] == "COM-06")
        .unwrap();
    assert_eq!(
        com06["cells"][0]["outcome"], "fail",
        "AdMob in blooddonation.apk"
    );
    assert_ne!(com06["cells"][1]["outcome"], "fail");
    for (lang, word) in [("de", "Anforderung"), ("en", "Requirement")] {
        let out = run_msgaudit([
            "compare".as_ref(),
            ads.as_os_str(),
            plain.as_os_str(),
            "--format".as_ref(),
            "md".as_ref(),
            "--lang".as_ref(),
            lang.as_ref(),
        ]);
        assert!(String::from_utf8_lossy(&out.stdout).contains(word));
    }
}
