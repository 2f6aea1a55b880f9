//! Installed messengers in fleets: installed-app lists read from the exports
//! (Intune `detectedApps`, Android Management API `applicationReports`),
//! matched against `checks/messengers.toml`, counted in the fleet summary,
//! failed by `DEV-06-approved-messengers` unless the profile approves them,
//! and joined with the verdict of the same messenger's app in the same scan.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

fn run(args: &[&str]) -> Output {
    common::run_msgaudit(args)
}

/// `scan --format json` with `args`; the profile is dsk-full unless `args` name one.
fn scan_json(args: &[&str]) -> Value {
    let mut all = vec!["scan", "--format", "json", "--as-of", "2026-11-23"];
    if !args.contains(&"--profile") {
        all.extend(["--profile", "dsk-full"]);
    }
    all.extend_from_slice(args);
    let out = run(&all);
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// The outcome of `DEV-06-approved-messengers` per device, in report order.
fn approved_outcomes(report: &Value) -> Vec<String> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["target"]["kind"] == "device")
        .map(|t| {
            t["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["check"] == "DEV-06-approved-messengers")
                .map(|r| r["outcome"].as_str().unwrap().to_string())
                .unwrap_or_default()
        })
        .collect()
}

/// Two Android Management API devices: one with WhatsApp and Threema Work
/// installed, one with Threema Work only; a third without an app list.
fn amapi_export(dir: &Path) -> PathBuf {
    let device = |n: u32, apps: Option<Value>| {
        let mut d = json!({
            "name": format!("enterprises/LC00/devices/{n}"),
            "managementMode": "DEVICE_OWNER",
            "ownership": "COMPANY_OWNED",
            "state": "ACTIVE",
            "apiLevel": 35,
            "lastStatusReportTime": "2026-11-22T19:04:11Z",
            "softwareInfo": {"androidVersion": "15", "securityPatchLevel": "2026-11-05"},
            "deviceSettings": {"isDeviceSecure": true, "isEncrypted": true},
            "hardwareInfo": {"model": "Pixel 8"}
        });
        if let Some(a) = apps {
            d["applicationReports"] = a;
        }
        d
    };
    let doc = json!({"devices": [
        device(1, Some(json!([
            {"packageName": "com.whatsapp", "displayName": "WhatsApp", "versionName": "2.24.1"},
            {"packageName": "ch.threema.app.work", "displayName": "Threema Work", "versionName": "6.0"},
            {"packageName": "com.android.chrome", "displayName": "Chrome"}
        ]))),
        device(2, Some(json!([
            {"packageName": "ch.threema.app.work", "displayName": "Threema Work"}
        ]))),
        device(3, None)
    ]});
    let p = dir.join("amapi-devices.json");
    std::fs::write(&p, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    p
}

/// A profile like dsk-full that approves `approved`.
fn profile_approving(dir: &Path, approved: &[&str]) -> PathBuf {
    let full = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("profiles/dsk-full.toml"),
    )
    .unwrap();
    let list: Vec<String> = approved.iter().map(|a| format!("{a:?}")).collect();
    let text = full.replace(
        "approved_messengers = []",
        &format!("approved_messengers = [{}]", list.join(", ")),
    );
    assert_ne!(text, full, "dsk-full sets approved_messengers");
    let p = dir.join("profile.toml");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn messengers_are_counted_and_unapproved_ones_fail() {
    let dir = tempfile::tempdir().unwrap();
    let export = amapi_export(dir.path());
    let export = export.to_str().unwrap();
    let v = scan_json(&[export]);
    let found = v["fleet"]["messengers"].as_array().unwrap();
    let counts: Vec<(&str, u64)> = found
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["devices"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, [("threema-work", 2), ("whatsapp", 1)]);
    // Nothing approved: both devices with a list fail, the one without is undecided.
    let mut outcomes = approved_outcomes(&v);
    outcomes.sort();
    assert_eq!(outcomes, ["fail", "fail", "manual"]);
    // Threema Work approved: only the device with WhatsApp fails.
    let profile = profile_approving(dir.path(), &["threema-work"]);
    let v = scan_json(&["--profile", profile.to_str().unwrap(), export]);
    let mut outcomes = approved_outcomes(&v);
    outcomes.sort();
    assert_eq!(outcomes, ["fail", "manual", "pass"]);
    let failed = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["results"].as_array().unwrap())
        .find(|r| r["check"] == "DEV-06-approved-messengers" && r["outcome"] == "fail")
        .unwrap();
    assert!(
        failed["evidence"].to_string().contains("whatsapp"),
        "{failed}"
    );
    // dsk-must does not carry the check.
    let out = run(&["scan", "--format", "json", "--as-of", "2026-11-23", export]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(approved_outcomes(&v).iter().all(String::is_empty));
}

#[test]
fn the_messengers_app_verdict_stands_beside_its_device_count() {
    let dir = tempfile::tempdir().unwrap();
    let export = amapi_export(dir.path());
    // A facts document of an app that is Threema Work by its package name.
    let base =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facts/android-base.json");
    let mut app: Value = serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    let text = serde_json::to_string(&app).unwrap();
    assert!(text.contains("de.example.securechat"));
    app = serde_json::from_str(&text.replace("de.example.securechat", "ch.threema.app.work"))
        .unwrap();
    let app_file = dir.path().join("threema-work-facts.json");
    std::fs::write(&app_file, serde_json::to_string(&app).unwrap()).unwrap();
    let v = scan_json(&[app_file.to_str().unwrap(), export.to_str().unwrap()]);
    let app_verdict = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["target"]["id"] == "ch.threema.app.work")
        .map(|t| t["verdict"].clone())
        .expect("the app is a target");
    let threema = v["fleet"]["messengers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "threema-work")
        .unwrap();
    assert_eq!(threema["apps"][0]["verdict"], app_verdict);
    assert_eq!(threema["apps"][0]["id"], "ch.threema.app.work");
    let whatsapp = v["fleet"]["messengers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == "whatsapp")
        .unwrap();
    assert!(
        whatsapp.get("apps").is_none(),
        "WhatsApp's app was not audited"
    );
    // The table, HTML and Markdown list them in both languages.
    for (lang, heading, devices) in [
        ("en", "Installed messengers", "Threema Work: 2 devices"),
        ("de", "Installierte Messenger", "Threema Work: 2 Geräte"),
    ] {
        for format in ["table", "html", "md"] {
            let out = run(&[
                "scan",
                "--format",
                format,
                "--lang",
                lang,
                "--as-of",
                "2026-11-23",
                "--profile",
                "dsk-full",
                app_file.to_str().unwrap(),
                export.to_str().unwrap(),
            ]);
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains(heading), "{format} {lang}");
            assert!(text.contains(devices), "{format} {lang}: {text}");
            assert!(text.contains("ch.threema.app.work"), "{format} {lang}");
        }
        let csv = run(&[
            "scan",
            "--format",
            "csv",
            "--lang",
            lang,
            "--as-of",
            "2026-11-23",
            "--profile",
            "dsk-full",
            app_file.to_str().unwrap(),
            export.to_str().unwrap(),
        ]);
        let csv = String::from_utf8_lossy(&csv.stdout);
        // German CSV is for German Excel: `;` between cells.
        let sep = if lang == "de" { ';' } else { ',' };
        let row_start = format!("Threema Work{sep}Messenger{sep}");
        assert!(
            csv.lines()
                .any(|r| r.trim_start_matches('\u{feff}').starts_with(&row_start)
                    && r.contains(devices)),
            "csv {lang}: {csv}"
        );
    }
    let sarif = run(&[
        "scan",
        "--format",
        "sarif",
        "--as-of",
        "2026-11-23",
        "--profile",
        "dsk-full",
        app_file.to_str().unwrap(),
        export.to_str().unwrap(),
    ]);
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let listed = &sarif["runs"][0]["properties"]["fleet"]["messengers"];
    assert_eq!(listed[0]["id"], "threema-work", "{listed}");
    assert_eq!(listed[0]["devices"], 2);
}

#[test]
fn intune_detected_apps_from_the_corpus_are_read() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let file = corpus.join("mdm/intune/graph-beta-managedDevice-expand-detectedApps-a.json");
    if !file.is_file() {
        eprintln!("skipped: {} not in the corpus", file.display());
        return;
    }
    let out = run(&["facts", "--as-of", "2026-11-23", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts: Value = serde_json::from_slice(&out.stdout).unwrap();
    let device = &facts["devices"][0];
    // 87 detected apps; Slack is the one messenger of the list among them
    // ("Messenger" alone is too ambiguous a name to count).
    assert_eq!(device["installed_messengers"], json!(["slack"]), "{device}");
    let v = scan_json(&[file.to_str().unwrap()]);
    assert_eq!(v["fleet"]["messengers"][0]["id"], "slack");
    assert_eq!(v["fleet"]["messengers"][0]["devices"], 1);
    assert_eq!(approved_outcomes(&v), ["fail"]);
}
