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
    common::json(&out.stdout)
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

/// Each messenger of the fleet summary with its device count.
fn messenger_counts(report: &Value) -> Vec<(&str, u64)> {
    report["fleet"]["messengers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["id"].as_str().unwrap(), m["devices"].as_u64().unwrap()))
        .collect()
}

/// The first failed `DEV-06-approved-messengers` result of a report.
fn failed_dev06(report: &Value) -> &Value {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["results"].as_array().unwrap())
        .find(|r| r["check"] == "DEV-06-approved-messengers" && r["outcome"] == "fail")
        .unwrap()
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
    let failed = failed_dev06(&v);
    assert!(
        failed["evidence"].to_string().contains("whatsapp"),
        "{failed}"
    );
    // dsk-must does not carry the check.
    let out = run(&["scan", "--format", "json", "--as-of", "2026-11-23", export]);
    let v: Value = common::json(&out.stdout).unwrap();
    assert!(approved_outcomes(&v).iter().all(String::is_empty));
}

#[test]
fn the_messengers_app_verdict_stands_beside_its_device_count() {
    let dir = tempfile::tempdir().unwrap();
    let export = amapi_export(dir.path());
    // A facts document of an app that is Threema Work by its package name.
    let base =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facts/android-base.json");
    let mut app: Value = common::json_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    let text = serde_json::to_string(&app).unwrap();
    assert!(text.contains("de.example.securechat"));
    app = common::json_str(&text.replace("de.example.securechat", "ch.threema.app.work")).unwrap();
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
        assert!(
            csv.lines()
                .any(|r| (r.starts_with("Threema Work,Messenger,")
                    || r.starts_with("Threema Work;Messenger;"))
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
    let sarif: Value = common::json(&sarif.stdout).unwrap();
    let listed = &sarif["runs"][0]["properties"]["fleet"]["messengers"];
    assert_eq!(listed[0]["id"], "threema-work", "{listed}");
    assert_eq!(listed[0]["devices"], 2);
}

#[test]
fn intune_detected_apps_from_the_corpus_are_read() {
    let Some(file) = corpus_file("mdm/intune/graph-beta-managedDevice-expand-detectedApps-a.json")
    else {
        return;
    };
    // 87 detected apps; Slack is the one messenger of the list among them
    // ("Messenger" alone is too ambiguous a name to count).
    assert_eq!(facts_messengers(&file), [json!(["slack"])]);
    let v = scan_json(&[file.to_str().unwrap()]);
    assert_eq!(v["fleet"]["messengers"][0]["id"], "slack");
    assert_eq!(v["fleet"]["messengers"][0]["devices"], 1);
    assert_eq!(approved_outcomes(&v), ["fail"]);
}

/// `installed_messengers` of each device `facts` reads from `file`.
fn facts_messengers(file: &Path) -> Vec<Value> {
    let out = run(&["facts", "--as-of", "2026-11-23", file.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    messengers_of(&common::json(&out.stdout).unwrap())
}

/// A corpus file, or `None` (with a message) when the corpus or the file is absent.
fn corpus_file(rel: &str) -> Option<PathBuf> {
    let file = common::corpus_dir()?.join(rel);
    if !file.is_file() {
        eprintln!("skipped: {} not in the corpus", file.display());
        return None;
    }
    Some(file)
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn sample(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories")
        .join(name)
}

#[test]
fn jamf_application_lists_are_read_in_every_shape() {
    // Classic XML: several <application> (an array), one (an object),
    // <size>0</size> (read, none installed), and no <applications> at all.
    assert_eq!(
        facts_messengers(&sample("jamf-mobile-devices.xml")),
        [
            json!(["signal"]),
            json!(["whatsapp"]),
            json!([]),
            Value::Null
        ]
    );
    // Pro API inventory with the applications section on its first device only.
    assert_eq!(
        facts_messengers(&sample("jamf-pro-inventory.json")),
        [json!(["teams"]), Value::Null, Value::Null]
    );
    // The advanced-search CSV carries no app list: unknown, never "none".
    assert!(facts_messengers(&sample("jamf-advanced-search.csv"))
        .iter()
        .all(Value::is_null));
    // The scan counts them and fails the devices that carry them.
    let v = scan_json(&[sample("jamf-mobile-devices.xml").to_str().unwrap()]);
    let counts = messenger_counts(&v);
    assert_eq!(counts, [("signal", 1), ("whatsapp", 1)]);
    assert_eq!(
        sorted(approved_outcomes(&v)),
        ["fail", "fail", "manual", "pass"]
    );
}

#[test]
fn jamf_classic_json_applications_from_the_corpus_are_read() {
    let Some(file) = corpus_file("mdm/jamf/classic-mobiledevice-detail-api-example.json") else {
        return;
    };
    // Apple Store and Self Service: a list was read, and it holds no messenger.
    assert_eq!(facts_messengers(&file), [json!([])]);
    // The summary list has no applications section: unknown.
    if let Some(list) = corpus_file("mdm/jamf/classic-JSSResource-mobiledevices-list.json") {
        assert!(facts_messengers(&list).iter().all(Value::is_null));
    }
}

#[test]
fn apple_mdm_installed_app_lists_join_the_device_with_their_udid() {
    let devices = sample("apple-mdm-responses.plist");
    let list = sample("installed-apps-apple-mdm.plist");
    // Without the list: no device knows its apps.
    let v = scan_json(&[devices.to_str().unwrap()]);
    assert_eq!(approved_outcomes(&v), ["manual", "manual", "manual"]);
    assert!(v["fleet"]["messengers"]
        .as_array()
        .is_none_or(|m| m.is_empty()));
    // With it: the iPhone with the list's UDID carries WhatsApp, the others stay unknown.
    let v = scan_json(&[devices.to_str().unwrap(), list.to_str().unwrap()]);
    assert_eq!(sorted(approved_outcomes(&v)), ["fail", "manual", "manual"]);
    assert_eq!(v["fleet"]["messengers"][0]["id"], "whatsapp");
    assert_eq!(v["fleet"]["messengers"][0]["devices"], 1);
    // The list is not a device of its own.
    assert_eq!(v["fleet"]["devices"], 3);
    // A list joins a device from any export with that UDID, in either order.
    let dir = tempfile::tempdir().unwrap();
    let jamf = dir.path().join("jamf.xml");
    std::fs::write(
        &jamf,
        std::fs::read_to_string(sample("jamf-mobile-devices.xml"))
            .unwrap()
            .replace("00008030-000000000000413A", "00008101-00000000000A001C")
            .replace(
                "<applications>\n      <size>1</size>",
                "<applications_x>\n      <size>1</size>",
            )
            .replace(
                "</applications>\n    <security>\n      <data_protection>false",
                "</applications_x>\n    <security>\n      <data_protection>false",
            ),
    )
    .unwrap();
    let v = scan_json(&[list.to_str().unwrap(), jamf.to_str().unwrap()]);
    // The iPhone's own list is gone: its WhatsApp comes from the Apple MDM list.
    assert_eq!(
        sorted(approved_outcomes(&v)),
        ["fail", "fail", "manual", "pass"]
    );
    assert_eq!(
        v["fleet"]["messengers"][1]["id"], "whatsapp",
        "{}",
        v["fleet"]
    );
    assert_eq!(v["fleet"]["messengers"][1]["devices"], 1);
}

/// A device whose export lists its apps and whose Apple MDM installed-app
/// list names another messenger: the lists are united (a messenger either
/// names counts, so DEV-06 fails on WhatsApp, which the export's own list
/// does not name), and DEV-06's evidence names both lists with where each
/// comes from, in both languages. Before, the export's own list alone was
/// used and the file's WhatsApp was passed over without a word.
#[test]
fn an_exports_own_app_list_and_a_disagreeing_list_file_are_united_and_both_named() {
    let dir = tempfile::tempdir().unwrap();
    let jamf = edited(
        dir.path(),
        "jamf-mobile-devices.xml",
        &[
            ("00008030-000000000000413A", "00008101-00000000000A001C"),
            (
                "<application><application_name>WhatsApp</application_name><application_version>25.30.74</application_version><identifier>net.whatsapp.WhatsApp</identifier></application>",
                "<application><application_name>Signal</application_name><application_version>7.40</application_version><identifier>org.whispersystems.signal</identifier></application>",
            ),
        ],
    );
    let list = sample("installed-apps-apple-mdm.plist");
    let approving = profile_approving(dir.path(), &["signal"]);
    let v = scan_json(&[
        "--profile",
        approving.to_str().unwrap(),
        jamf.to_str().unwrap(),
        list.to_str().unwrap(),
    ]);
    let device = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["results"].as_array().unwrap().iter().any(|r| {
                r["check"] == "DEV-06-approved-messengers"
                    && r["evidence"]
                        .as_array()
                        .is_some_and(|e| e.iter().any(|e| e["kind"] == "conflict"))
            })
        })
        .unwrap_or_else(|| panic!("no DEV-06 result names the lists: {v:#}"));
    let dev06 = device["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "DEV-06-approved-messengers")
        .unwrap();
    assert_eq!(
        dev06["outcome"], "fail",
        "WhatsApp from the list file counts"
    );
    let conflict = dev06["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "conflict")
        .unwrap();
    let en = conflict["value"].as_str().unwrap();
    let de = conflict["value_de"].as_str().unwrap();
    assert!(
        en.starts_with(
            "the installed-app lists disagree, every messenger any of them names counts: "
        ),
        "{en}"
    );
    assert!(
        en.contains(
            r#"installed_messengers = ["signal"] (jamf-xml, record 2 (jamf-mobile-devices.xml))"#
        ),
        "{en}"
    );
    assert!(
        en.contains(r#"installed_messengers = ["whatsapp"] (apple-mdm, response 1 (installed-apps-apple-mdm.plist))"#),
        "{en}"
    );
    assert!(
        de.starts_with("die Listen installierter Apps weichen voneinander ab, es zählt jeder Messenger, den eine von ihnen nennt: "),
        "{de}"
    );
    assert!(
        de.contains(r#"["signal"] (jamf-xml, Datensatz 2 (jamf-mobile-devices.xml))"#),
        "{de}"
    );
    assert!(
        de.contains(r#"["whatsapp"] (apple-mdm, Antwort 1 (installed-apps-apple-mdm.plist))"#),
        "{de}"
    );
    // Both messengers are counted for the device.
    let counts = messenger_counts(&v);
    assert!(counts.contains(&("whatsapp", 1)), "{counts:?}");
    assert!(counts.contains(&("signal", 2)), "{counts:?}");
}

/// The sample `name` with each `(from, to)` replaced, written into `dir`
/// (each replacement must change it).
fn edited(dir: &Path, name: &str, edits: &[(&str, &str)]) -> PathBuf {
    let mut text = std::fs::read_to_string(sample(name)).unwrap();
    for (from, to) in edits {
        assert!(text.contains(from), "{name} holds {from}");
        text = text.replace(from, to);
    }
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// `scan --format json` that never fails on findings, with `extra`.
fn scan_never(extra: &[&str]) -> Output {
    let mut args = vec!["scan", "--format", "json", "--as-of", "2026-11-23"];
    args.extend(["--fail-on", "never"]);
    args.extend_from_slice(extra);
    run(&args)
}

/// Scans the app list `list` with the export `other`, which has none of its
/// devices: exit 4, the reason `en` on standard error naming the list and
/// `de` in the German report. The English report.
fn unjoined(list: &Path, other: &Path, en: &str, de: &str) -> Value {
    let (l, o) = (list.to_str().unwrap(), other.to_str().unwrap());
    let out = scan_never(&[l, o]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let name = list.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(name) && stderr.contains(en), "{stderr}");
    let german = scan_never(&["--lang", "de", l, o]);
    let german = String::from_utf8_lossy(&german.stdout);
    assert!(german.contains(de), "{german}");
    common::json(&out.stdout).unwrap()
}

#[test]
fn an_app_list_without_its_device_is_an_error_row_or_a_skip_in_a_folder() {
    let list = sample("installed-apps-apple-mdm.plist");
    let other = sample("jamf-pro-inventory.json");
    let scan = scan_never;
    let v = unjoined(
        &list,
        &other,
        "no device of this scan has UDID",
        "kein Gerät dieses Prüflaufs hat die UDID",
    );
    assert_eq!(v["fleet"]["devices"], 3);
    // Found by walking a folder: skipped with the reason.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&list, dir.path().join("apps.plist")).unwrap();
    std::fs::copy(&other, dir.path().join("jamf.json")).unwrap();
    let out = scan(&["-v", dir.path().to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("skipped")
            && stderr.contains("apps.plist: an Apple MDM installed-app list"),
        "{stderr}"
    );
}

#[test]
fn apple_mdm_installed_app_lists_from_the_corpus_are_read() {
    let Some(file) = corpus_file("mdm/apple/micromdm-mdm-InstalledApplicationList-response.plist")
    else {
        return;
    };
    // A DeviceInformation answer of the device the corpus list names.
    let dir = tempfile::tempdir().unwrap();
    let info = dir.path().join("info.plist");
    std::fs::write(
        &info,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>CommandUUID</key><string>00000000-1111-2222-3333-444455556667</string>
<key>QueryResponses</key><dict>
 <key>OSVersion</key><string>15.1</string><key>ProductName</key><string>MacBookPro18,3</string>
 <key>SerialNumber</key><string>C02XX0000001</string>
</dict>
<key>Status</key><string>Acknowledged</string>
<key>UDID</key><string>00000000-1111-2222-3333-444455556666</string>
</dict></plist>"#,
    )
    .unwrap();
    let v = scan_json(&[info.to_str().unwrap()]);
    assert_eq!(approved_outcomes(&v), ["manual"]);
    // System Preferences and three apps without bundle id: read, no messenger.
    let v = scan_json(&[info.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(approved_outcomes(&v), ["pass"]);
}

/// An Apple MDM export whose file holds the devices' DeviceInformation and
/// SecurityInfo responses and, beside them, InstalledApplicationList
/// responses: each list joins its device by UDID in the same file; a list
/// whose device is not in the file is a note, never dropped silently.
#[test]
fn installed_app_lists_inside_an_apple_mdm_export_join_their_device() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    let devices = std::fs::read_to_string(root.join("apple-mdm-responses.plist")).unwrap();
    let list = std::fs::read_to_string(root.join("installed-apps-apple-mdm.plist")).unwrap();
    let body = |plist: &str| {
        let start = plist.find("<dict>").unwrap();
        let end = plist.rfind("</dict>").unwrap() + "</dict>".len();
        plist[start..end].to_string()
    };
    let own = body(&list);
    let stray = own.replace("00008101-00000000000A001C", "00008101-00000000DEADBEEF");
    let end = devices.rfind("</array>").unwrap();
    let combined = format!("{}{own}\n{stray}\n{}", &devices[..end], &devices[end..]);
    let dir = std::env::temp_dir().join(format!("msgaudit-mdm-applist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("apple-mdm-with-apps.plist");
    std::fs::write(&file, combined).unwrap();
    let out = run(&["facts", file.to_str().unwrap()]);
    let facts: Value = common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let devices = facts["devices"].as_array().unwrap();
    let with_list: Vec<&Value> = devices
        .iter()
        .filter(|d| !d["installed_messengers"].is_null())
        .collect();
    assert_eq!(
        with_list.len(),
        1,
        "only the device with the UDID has a list"
    );
    assert_eq!(with_list[0]["installed_messengers"], json!(["whatsapp"]));
    let warnings = facts["warnings"].to_string();
    assert!(
        warnings.contains("InstalledApplicationList response whose device (UDID) has no"),
        "{warnings}"
    );
    // The same file without the lists: no device knows its apps (unknown).
    let plain = run(&[
        "facts",
        root.join("apple-mdm-responses.plist").to_str().unwrap(),
    ]);
    let plain: Value = common::json(&plain.stdout).unwrap();
    assert!(plain["devices"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["installed_messengers"].is_null()));
    assert_eq!(plain["devices"].as_array().unwrap().len(), devices.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// `msgaudit facts FILE…` as JSON (one document or an array), with its output.
fn facts_run(args: &[&str]) -> (Output, Value) {
    let mut all = vec!["facts"];
    all.extend_from_slice(args);
    let out = run(&all);
    let v = common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out, v)
}

/// The installed messengers of each device of a facts document, in order.
fn messengers_of(facts: &Value) -> Vec<Value> {
    facts["devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["installed_messengers"].clone())
        .collect()
}

#[test]
fn workspace_one_device_apps_join_the_device_with_their_device_id() {
    let devices = sample("workspace-one-devices.json");
    let list = sample("installed-apps-workspace-one.json");
    let (devices, list) = (devices.to_str().unwrap(), list.to_str().unwrap());
    // Without the list: no device knows its apps.
    let v = scan_json(&[devices]);
    assert_eq!(approved_outcomes(&v), ["manual", "manual", "manual"]);
    // With it (in either order): device 5521 carries Threema Work and
    // WhatsApp, the others stay unknown; the list is no device of its own.
    for args in [[devices, list], [list, devices]] {
        let v = scan_json(&args);
        assert_eq!(v["fleet"]["devices"], 3);
        let counts = messenger_counts(&v);
        assert_eq!(counts, [("threema-work", 1), ("whatsapp", 1)]);
        assert_eq!(sorted(approved_outcomes(&v)), ["fail", "manual", "manual"]);
    }
    // Both approved: the device passes DEV-06.
    let dir = tempfile::tempdir().unwrap();
    let profile = profile_approving(dir.path(), &["threema-work", "whatsapp"]);
    let v = scan_json(&["--profile", profile.to_str().unwrap(), devices, list]);
    assert_eq!(sorted(approved_outcomes(&v)), ["manual", "manual", "pass"]);
    // Only Threema Work approved: it fails, naming WhatsApp.
    let profile = profile_approving(dir.path(), &["threema-work"]);
    let v = scan_json(&["--profile", profile.to_str().unwrap(), devices, list]);
    let failed = failed_dev06(&v);
    let evidence = failed["evidence"].to_string();
    assert!(
        evidence.contains("whatsapp") && !evidence.contains("threema"),
        "{failed}"
    );
}

#[test]
fn a_workspace_one_list_joins_no_device_of_another_mdm_or_id() {
    let list = sample("installed-apps-workspace-one.json");
    // A Jamf device whose id is the list's Workspace ONE id is another device.
    let dir = tempfile::tempdir().unwrap();
    let jamf = edited(
        dir.path(),
        "jamf-pro-inventory.json",
        &[
            ("\"mobileDeviceId\":\"512\"", "\"mobileDeviceId\":\"5521\""),
            (
                "\"applications\":[{\"identifier\":\"com.microsoft.skype.teams\"",
                "\"applications_x\":[{\"identifier\":\"com.microsoft.skype.teams\"",
            ),
        ],
    );
    let v = unjoined(
        &list,
        &jamf,
        "no such device has id pn-",
        "kein solches Gerät hat die ID pn-",
    );
    assert!(
        !v["fleet"]["messengers"]
            .to_string()
            .contains("threema-work"),
        "{}",
        v["fleet"]
    );
    // A Workspace ONE device with another id takes nothing either.
    let ws1 = edited(
        dir.path(),
        "workspace-one-devices.json",
        &[("{\"Value\":5521}", "{\"Value\":9521}")],
    );
    let out = scan_never(&[ws1.to_str().unwrap(), list.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4));
    let v: Value = common::json(&out.stdout).unwrap();
    assert_eq!(approved_outcomes(&v), ["", "", ""]);
}

#[test]
fn workspace_one_lists_that_name_no_device_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let devices = sample("workspace-one-devices.json");
    // The v1 apps/search response: the device is only in the request URL.
    let search = dir.path().join("apps-search.json");
    std::fs::write(
        &search,
        r#"{"app_items":[{"name":"WhatsApp","assignment_status":"NotAssigned",
 "installed_status":"Installed","installed_version":"25.33.73","bundle_id":"net.whatsapp.WhatsApp"}],
 "TotalResults":1}"#,
    )
    .unwrap();
    // A DeviceApps response whose entries carry no DeviceId.
    let anonymous = edited(
        dir.path(),
        "installed-apps-workspace-one.json",
        &[("\"DeviceId\"", "\"Device\"")],
    );
    for (file, reason, grund) in [
        (
            &search,
            "apps/search response (app_items) names no device",
            "nennt kein Gerät",
        ),
        (
            &anonymous,
            "none of whose entries names its device (DeviceId)",
            "deren Einträge ihr Gerät nicht nennen",
        ),
    ] {
        let args = [devices.to_str().unwrap(), file.to_str().unwrap()];
        let out = run(&[
            &["scan", "--format", "json", "--as-of", "2026-11-23"][..],
            &["--profile", "dsk-full", "--fail-on", "never"],
            &args,
        ]
        .concat());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{stderr}");
        assert!(stderr.contains(reason), "{stderr}");
        let v: Value = common::json(&out.stdout).unwrap();
        assert_eq!(approved_outcomes(&v), ["manual", "manual", "manual"]);
        let out = run(&[&["facts", "--lang", "de"][..], &args].concat());
        assert_eq!(out.status.code(), Some(4));
        assert!(String::from_utf8_lossy(&out.stderr).contains(grund));
    }
}

/// An entry of a `DeviceApps` response that names no device may be an app
/// of the device its other entries name: that device's list is incomplete
/// (DEV-06 undecided when what it names is approved, never passed; failed
/// when it names a messenger that is not), and its export says why, in
/// both languages. A response none of whose entries
/// names a device, in a file that names devices elsewhere, is told too.
#[test]
fn workspace_one_entries_naming_no_device_leave_its_messengers_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let devices = sample("workspace-one-devices.json");
    let mut response: Value = serde_json::from_str(
        &std::fs::read_to_string(sample("installed-apps-workspace-one.json")).unwrap(),
    )
    .unwrap();
    // The third entry (an app that is no messenger) loses its DeviceId.
    response["DeviceApps"][2]
        .as_object_mut()
        .unwrap()
        .remove("DeviceId");
    let unnamed = serde_json::json!({"DeviceApps": [
        {"ApplicationName": "Signal", "ApplicationIdentifier": "org.whispersystems.signal"}
    ]});
    let list = dir.path().join("apps-unnamed.json");
    std::fs::write(&list, serde_json::json!([response, unnamed]).to_string()).unwrap();
    let profile = profile_approving(dir.path(), &["threema-work", "whatsapp"]);
    let v = scan_json(&[
        "--profile",
        profile.to_str().unwrap(),
        devices.to_str().unwrap(),
        list.to_str().unwrap(),
    ]);
    // With every entry named, device 5521 passes (see above); now its list
    // may hold more than it names: the auditor decides.
    assert_eq!(approved_outcomes(&v), ["manual", "manual", "manual"]);
    let incomplete = v.to_string();
    assert!(
        incomplete.contains("installed-app list incomplete (entries naming no device)"),
        "{incomplete}"
    );
    // What it names is on the device: WhatsApp, not approved, still fails it.
    let only_threema = profile_approving(dir.path(), &["threema-work"]);
    let v2 = scan_json(&[
        "--profile",
        only_threema.to_str().unwrap(),
        devices.to_str().unwrap(),
        list.to_str().unwrap(),
    ]);
    assert_eq!(sorted(approved_outcomes(&v2)), ["fail", "manual", "manual"]);
    assert!(failed_dev06(&v2)["evidence"]
        .to_string()
        .contains("whatsapp"));
    let warnings = v["fleet"]["inventories"][0]["warnings"].to_string();
    for text in [
        "apps-unnamed.json, response 1: one of its entries names no device (DeviceId) and was skipped",
        "Antwort 1: einer ihrer Einträge nennt kein Gerät (DeviceId) und wurde übersprungen",
        "response 2: its one entry names no device (DeviceId), so it cannot be joined to a device; skipped",
        "Antwort 2: ihr einziger Eintrag nennt kein Gerät (DeviceId), daher lässt sie sich keinem Gerät zuordnen; übersprungen",
    ] {
        assert!(warnings.contains(text), "{text}: {warnings}");
    }
    // Told in the file's order: response 1 before response 2.
    let at = |t: &str| warnings.find(t).unwrap_or(usize::MAX);
    assert!(
        at("apps-unnamed.json, response 1:") < at("apps-unnamed.json, response 2:"),
        "{warnings}"
    );
}

#[test]
fn facts_joins_installed_app_lists_like_scan() {
    let apple = sample("apple-mdm-responses.plist");
    let apple_list = sample("installed-apps-apple-mdm.plist");
    let ws1 = sample("workspace-one-devices.json");
    let ws1_list = sample("installed-apps-workspace-one.json");
    let (apple, apple_list) = (apple.to_str().unwrap(), apple_list.to_str().unwrap());
    let (ws1, ws1_list) = (ws1.to_str().unwrap(), ws1_list.to_str().unwrap());
    // Alone, the device lists know no apps.
    let (_, v) = facts_run(&[apple]);
    assert!(messengers_of(&v).iter().all(Value::is_null));
    // One device list and its app list: one document, the list joined.
    let (out, v) = facts_run(&[apple, apple_list]);
    assert_eq!(out.status.code(), Some(0));
    let mut got = messengers_of(&v);
    got.sort_by_key(Value::to_string);
    assert_eq!(got, [json!(["whatsapp"]), Value::Null, Value::Null]);
    // Both MDMs with their lists, in any order: two documents, both joined.
    let (out, v) = facts_run(&[ws1_list, apple, ws1, apple_list]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs = v.as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(
        messengers_of(&docs[0])
            .iter()
            .filter(|m| !m.is_null())
            .count(),
        1
    );
    assert_eq!(
        messengers_of(&docs[1]),
        [
            json!(["threema-work", "whatsapp"]),
            Value::Null,
            Value::Null
        ]
    );
    // A list whose device is not given: the devices are printed, the list is an error.
    let (out, v) = facts_run(&[ws1, apple_list]);
    assert_eq!(out.status.code(), Some(4));
    assert!(messengers_of(&v).iter().all(Value::is_null));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("installed-apps-apple-mdm.plist")
            && stderr.contains("no device of this scan has UDID"),
        "{stderr}"
    );
    // A list alone holds no devices.
    let out = run(&["facts", ws1_list]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no devices"));
    let out = run(&["facts", "--lang", "de", apple_list]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("enthält keine Geräte"));
}

/// A list that gives an app's `Identifier` twice with different values names
/// no messenger: the device's DEV-06 stays open, and its message says the
/// list is not clear (not that there is none), pointing at the export's note.
#[test]
fn an_unclear_app_list_leaves_dev06_open_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let devices = sample("apple-mdm-responses.plist");
    let list = edited(
        dir.path(),
        "installed-apps-apple-mdm.plist",
        &[(
            "<key>Identifier</key><string>net.whatsapp.WhatsApp</string>",
            "<key>Identifier</key><string>net.whatsapp.WhatsApp</string>\
             <key>Identifier</key><string>com.apple.mobilenotes</string>",
        )],
    );
    let v = scan_json(&[devices.to_str().unwrap(), list.to_str().unwrap()]);
    // No device fails on WhatsApp (nor passes without it): all stay open.
    assert_eq!(approved_outcomes(&v), ["manual", "manual", "manual"]);
    // (`common::json` puts the catalog's texts back into the results.)
    let said = v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["results"].as_array().unwrap())
        .filter(|r| r["check"] == "DEV-06-approved-messengers")
        .map(|r| r["message"]["en"].to_string())
        .collect::<Vec<_>>();
    assert_eq!(said.len(), 3, "{v}");
    assert!(
        said.iter()
            .all(|m| m.contains("no clear list of the device's installed apps")),
        "{said:?}"
    );
    let notes = v["fleet"]["inventories"].to_string();
    assert!(
        notes.contains("`InstalledApplicationList.Identifier` is given twice"),
        "{notes}"
    );
}
