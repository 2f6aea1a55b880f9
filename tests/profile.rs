//! The app profile (`targets[].profile`) and the fleet device list, checked
//! against the platform's own tools: the protection-level table against the
//! framework's manifest in framework-res.apk, certificate fingerprints against
//! `apksigner verify --print-certs`, exported components against
//! `aapt dump xmltree`, iOS usage descriptions against `plistutil`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{corpus_dir, run_msgaudit, tool_available};
use msgaudit::assess::app_profile::ProtectionLevels;
use serde_json::Value;

const FRAMEWORK_RES: &str = "/usr/share/android-framework-res/framework-res.apk";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn sample_apks() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("sample-apps/android/out"))
        .expect("sample apps are built (sample-apps/android/out)")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no sample APKs");
    v
}

/// Corpus APKs the oracles read (at most `n`, sorted by path).
fn corpus_apks(n: usize) -> Vec<PathBuf> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = common::files_under(&dir.join("android/apk"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    v.sort();
    v.truncate(n);
    v
}

/// The report of `file` scanned alone in `format` and `lang`, as text.
fn scan(file: &Path, format: &str, lang: &str) -> String {
    let out = run_msgaudit([
        "scan".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
        "--lang".as_ref(),
        lang.as_ref(),
    ]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The JSON report of `file` (scanned alone, English).
fn report(file: &Path) -> Value {
    let out = run_msgaudit([
        "scan".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    common::json(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: no JSON report ({e}); stderr: {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn profile_of(file: &Path) -> Option<Value> {
    report(file)["targets"][0].get("profile").cloned()
}

/// The `(a, b)` string fields of each object of the array `v`.
fn pairs<C: FromIterator<(String, String)>>(v: &Value, a: &str, b: &str) -> C {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|x| {
            (
                x[a].as_str().unwrap().to_string(),
                x[b].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn run(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Decodes `android:protectionLevel` as PermissionInfo.protectionToString
/// does (written independently of scripts/android-protection-levels.sh).
fn decode_level(v: u64) -> String {
    let base = match v & 0xf {
        0 => "normal".to_string(),
        1 => "dangerous".to_string(),
        2 => "signature".to_string(),
        3 => "signatureOrSystem".to_string(),
        4 => "internal".to_string(),
        other => format!("base{other}"),
    };
    let flags = [
        (0x10, "privileged"),
        (0x20, "development"),
        (0x40, "appop"),
        (0x80, "pre23"),
        (0x100, "installer"),
        (0x200, "verifier"),
        (0x400, "preinstalled"),
        (0x800, "setup"),
        (0x1000, "instant"),
        (0x2000, "runtime"),
        (0x4000, "oem"),
        (0x8000, "vendorPrivileged"),
        (0x10000, "textClassifier"),
        (0x20000, "wellbeing"),
        (0x40000, "documenter"),
        (0x80000, "configurator"),
        (0x100000, "incidentReportApprover"),
        (0x200000, "appPredictor"),
    ];
    let mut out = base;
    for (bit, name) in flags {
        if v & bit != 0 {
            out.push('|');
            out.push_str(name);
        }
    }
    out
}

/// `<permission>` name → level from `aapt dump xmltree` of a manifest.
fn framework_permissions(xmltree: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut current: Option<(Option<String>, u64)> = None;
    let flush = |c: &mut Option<(Option<String>, u64)>, out: &mut BTreeMap<String, String>| {
        if let Some((Some(name), level)) = c.take() {
            out.insert(name, decode_level(level));
        }
    };
    for line in xmltree.lines() {
        let t = line.trim_start();
        if t.starts_with("E: ") {
            flush(&mut current, &mut out);
            if t.starts_with("E: permission (") {
                current = Some((None, 0));
            }
        } else if let Some((name, level)) = current.as_mut() {
            if t.starts_with("A: android:name(0x01010003)=\"") {
                *name = t.split('"').nth(1).map(str::to_string);
            } else if t.starts_with("A: android:protectionLevel(0x01010009)=") {
                let hex = t.rsplit("0x").next().unwrap_or("0");
                *level = u64::from_str_radix(hex, 16).expect("hex level");
            }
        }
    }
    flush(&mut current, &mut out);
    out
}

#[test]
fn protection_levels_equal_the_framework_manifest() {
    let table = ProtectionLevels::builtin();
    if !Path::new(FRAMEWORK_RES).is_file() {
        eprintln!("skipped: {FRAMEWORK_RES} not installed (Debian package android-framework-res)");
        return;
    }
    if !tool_available("aapt") {
        return;
    }
    let tree = run(
        "aapt",
        &["dump", "xmltree", FRAMEWORK_RES, "AndroidManifest.xml"],
    )
    .expect("aapt reads framework-res.apk");
    let oracle = framework_permissions(&tree);
    assert!(
        oracle.len() > 400,
        "framework permissions: {}",
        oracle.len()
    );
    assert_eq!(
        &table.framework, &oracle,
        "checks/android-protection-levels.toml [framework] differs from framework-res.apk; regenerate it with scripts/android-protection-levels.sh"
    );
    // The later additions are not in this framework version (else they
    // belong to [framework]).
    for name in table.added.keys() {
        assert!(!oracle.contains_key(name), "{name} is in framework-res.apk");
    }
    assert_eq!(
        table.get("android.permission.CAMERA"),
        Some("dangerous|instant")
    );
    assert_eq!(
        table.get("android.permission.INTERNET"),
        Some("normal|instant")
    );
}

/// The level of `name` in a profile's permission list.
fn listed_level(profile: &Value, name: &str) -> Value {
    profile["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("{name} listed"))["protection_level"]
        .clone()
}

#[test]
fn permissions_added_after_api_29_carry_their_level_flags_and_source() {
    let table = ProtectionLevels::builtin();
    for (name, a) in &table.added {
        assert!(
            table.sources.contains_key(&a.source),
            "{name}: source {} is not in [sources]",
            a.source
        );
        assert!((30..=36).contains(&a.api), "{name}: API {}", a.api);
        assert!(
            !table.framework.contains_key(name),
            "{name} is in both tables"
        );
    }
    for (name, level, api) in [
        ("POST_NOTIFICATIONS", "dangerous|instant", 33),
        (
            "MANAGE_EXTERNAL_STORAGE",
            "signature|appop|preinstalled",
            30,
        ),
        ("READ_MEDIA_VISUAL_USER_SELECTED", "dangerous", 34),
        ("BLUETOOTH_CONNECT", "dangerous", 31),
        ("NEARBY_WIFI_DEVICES", "dangerous", 33),
        ("SCHEDULE_EXACT_ALARM", "signature|privileged|appop", 31),
        ("FOREGROUND_SERVICE_DATA_SYNC", "normal", 34),
    ] {
        let full = format!("android.permission.{name}");
        assert_eq!(table.get(&full), Some(level), "{name}");
        assert_eq!(table.added[&full].api, api, "{name}");
    }
    // SecureChat (target API 34) asks for POST_NOTIFICATIONS: its profile
    // shows the level with the flag, not only the base level.
    let secure = root().join("sample-apps/android/out/securechat-1.0.apk");
    let p = profile_of(&secure).expect("an app has a profile");
    assert_eq!(
        listed_level(&p, "android.permission.POST_NOTIFICATIONS"),
        "dangerous|instant"
    );
    let html = scan(&secure, "html", "en");
    assert!(
        html.contains("dangerous (runtime permission) · manifest: dangerous|instant"),
        "the HTML profile shows the flags"
    );
    // A corpus app that asks for all-files access.
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped corpus part: MSGAUDIT_CORPUS not set");
        return;
    };
    let airtest = dir.join("android/apk/pypi/airtest-Yosemite.apk");
    if !airtest.is_file() {
        eprintln!("skipped corpus part: {} absent", airtest.display());
        return;
    }
    let p = profile_of(&airtest).expect("an app has a profile");
    assert_eq!(
        listed_level(&p, "android.permission.MANAGE_EXTERNAL_STORAGE"),
        "signature|appop|preinstalled"
    );
}

/// At most this many lines of the terminal report's app profile are not a
/// dangerous permission or an SDK (one line each, two when an SDK's line
/// wraps): identity, counts and the pointer to the full profile.
const TERMINAL_PROFILE_FIXED_LINES: usize = 22;

#[test]
fn the_terminal_profile_keeps_to_the_essentials_and_points_to_the_full_one() {
    let mut apps = sample_apks();
    apps.push(root().join("sample-apps/ios/LeakyChat.ipa"));
    // The corpus app that requests the most permissions (18).
    if let Some(dir) = corpus_dir() {
        let a2dp = dir.join("android/apk/androguard/a2dp.Vol_137.apk");
        if a2dp.is_file() {
            apps.push(a2dp);
        }
    }
    for app in &apps {
        let p = profile_of(app).expect("an app has a profile");
        for (lang, heading, pointer) in [
            ("en", "App profile:", "--format html or --format md"),
            ("de", "App-Profil:", "--format html oder --format md"),
        ] {
            let text = scan(app, "table", lang);
            let part: Vec<&str> = text.lines().skip_while(|l| l.trim() != heading).collect();
            assert!(!part.is_empty(), "{}: no profile in {lang}", app.display());
            let end = part
                .iter()
                .position(|l| l.contains(pointer))
                .unwrap_or_else(|| panic!("{}: no pointer to the full profile", app.display()));
            let dangerous = p["permissions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| {
                    e["protection_level"]
                        .as_str()
                        .is_some_and(|l| l.split('|').next() == Some("dangerous"))
                })
                .count();
            let sdks = p["sdks"].as_array().map_or(0, Vec::len);
            let bound = TERMINAL_PROFILE_FIXED_LINES + dangerous + 2 * sdks;
            assert!(
                end < bound,
                "{}: the terminal profile has {} lines (bound {bound})",
                app.display(),
                end + 1
            );
            let profile = part[..=end].join("\n");
            // Every dangerous permission is named; a normal one is not.
            for e in p["permissions"].as_array().into_iter().flatten() {
                let name = e["name"].as_str().unwrap();
                let dangerous = e["protection_level"]
                    .as_str()
                    .is_some_and(|l| l.split('|').next() == Some("dangerous"));
                assert_eq!(
                    profile.contains(&format!(" {name}\n")) || profile.ends_with(name),
                    dangerous,
                    "{}: {name}",
                    app.display()
                );
            }
        }
    }
}

#[test]
fn sample_app_profiles_show_levels_and_what_is_unknown() {
    let leaky = root().join("sample-apps/android/out/leakychat-2.3.apk");
    let p = profile_of(&leaky).expect("an app has a profile");
    let level = |name: &str| {
        p["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .unwrap_or_else(|| panic!("{name} listed"))
            .clone()
    };
    assert_eq!(
        level("android.permission.READ_CONTACTS")["protection_level"],
        "dangerous"
    );
    assert_eq!(
        level("android.permission.INTERNET")["protection_level"],
        "normal|instant"
    );
    let ad_id = level("com.google.android.gms.permission.AD_ID");
    assert_eq!(ad_id["level_source"], "unknown");
    assert!(ad_id.get("protection_level").is_none());
    // Implied by ACCESS_FINE_LOCATION, not requested.
    let coarse = level("android.permission.ACCESS_COARSE_LOCATION");
    assert!(coarse["implied_by"]
        .as_str()
        .unwrap()
        .contains("ACCESS_FINE_LOCATION"));
    assert_eq!(p["identity"]["id"], "org.example.leakychat");
    assert_eq!(p["identity"]["build"], "230");
    assert_eq!(p["identity"]["target_os"], "34");
    assert_eq!(p["network"]["cleartext_allowed"], true);
    let sdks: Vec<&str> = p["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["vendor"].as_str().unwrap_or(""))
        .collect();
    assert!(sdks.contains(&"Google"), "{sdks:?}");
    assert_eq!(p["sdks"][0]["collection_default"], "enabled");

    // German HTML says "unbekannt" for the permission no table defines.
    let html = scan(&leaky, "html", "de");
    assert!(html.contains("<h3>App-Profil</h3>"));
    assert!(html.contains("unbekannt (keine Berechtigung des Frameworks)"));
    assert!(html.contains("gefährlich (Laufzeitberechtigung)"));
    // Facts with endpoints: the Endpoints section stands where the narrower
    // "Known hosts" stood, never both (the latter says it is not every host).
    let md = scan(&leaky, "md", "de");
    assert!(md.contains("Endpunkte"), "the endpoints section is shown");
    assert!(!md.contains("Bekannte Hosts"), "no second host section");
    assert!(!md.contains("ermittelt nicht alle Endpunkte"));
}

fn apksigner_sha256(apk: &Path) -> Option<BTreeSet<String>> {
    let out = run(
        "apksigner",
        &["verify", "--print-certs", apk.to_str().unwrap()],
    )?;
    Some(
        out.lines()
            .filter(|l| l.contains("certificate SHA-256 digest:"))
            .filter_map(|l| l.rsplit(' ').next().map(str::to_string))
            .collect(),
    )
}

#[test]
fn certificate_fingerprints_equal_apksigner() {
    if !tool_available("apksigner") {
        return;
    }
    let mut compared = 0;
    for apk in sample_apks().into_iter().chain(corpus_apks(60)) {
        let Some(oracle) = apksigner_sha256(&apk) else {
            continue; // apksigner refuses it (unsigned or damaged)
        };
        if oracle.is_empty() {
            continue;
        }
        let Some(p) = profile_of(&apk) else {
            continue;
        };
        let ours: BTreeSet<String> = p["identity"]["certificates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["sha256"].as_str().unwrap().to_string())
            .collect();
        assert!(
            oracle.is_subset(&ours),
            "{}: apksigner {oracle:?}, profile {ours:?}",
            apk.display()
        );
        assert!(!p["identity"]["signature_schemes"]
            .as_array()
            .unwrap()
            .is_empty());
        compared += 1;
    }
    assert!(compared >= sample_apks().len(), "compared {compared}");
    eprintln!("certificate SHA-256 equal to apksigner for {compared} APKs");
}

/// Exported components as `aapt dump xmltree` shows them: an explicit
/// `android:exported`, else an intent filter (activities, services,
/// receivers) or targetSdk < 17 (providers).
fn aapt_exported(apk: &Path) -> Option<BTreeSet<(String, String)>> {
    let tree = run(
        "aapt",
        &["dump", "xmltree", apk.to_str()?, "AndroidManifest.xml"],
    )?;
    let badging = run("aapt", &["dump", "badging", apk.to_str()?]).unwrap_or_default();
    let package = badging
        .lines()
        .find(|l| l.starts_with("package: name='"))
        .and_then(|l| l.split('\'').nth(1))?
        .to_string();
    let target: u32 = badging
        .lines()
        .find(|l| l.starts_with("targetSdkVersion:'"))
        .or_else(|| badging.lines().find(|l| l.starts_with("sdkVersion:'")))
        .and_then(|l| l.split('\'').nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    struct Comp {
        kind: String,
        depth: usize,
        name: Option<String>,
        exported: Option<bool>,
        filter: bool,
    }
    let mut out = BTreeSet::new();
    let mut cur: Option<Comp> = None;
    let finish = |c: Comp, out: &mut BTreeSet<(String, String)>| {
        let exported = c.exported.unwrap_or(if c.kind == "provider" {
            target < 17
        } else {
            c.filter
        });
        if let (true, Some(name)) = (exported, c.name) {
            let name = if name.starts_with('.') {
                format!("{package}{name}")
            } else if !name.contains('.') {
                format!("{package}.{name}")
            } else {
                name
            };
            out.insert((c.kind, name));
        }
    };
    for line in tree.lines() {
        let depth = line.len() - line.trim_start().len();
        let t = line.trim_start();
        if let Some(rest) = t.strip_prefix("E: ") {
            let kind = rest.split(' ').next().unwrap_or("");
            if let Some(c) = cur.as_mut() {
                if depth > c.depth {
                    if kind == "intent-filter" {
                        c.filter = true;
                    }
                    continue;
                }
            }
            if let Some(c) = cur.take() {
                finish(c, &mut out);
            }
            if [
                "activity",
                "activity-alias",
                "service",
                "receiver",
                "provider",
            ]
            .contains(&kind)
            {
                cur = Some(Comp {
                    kind: kind.to_string(),
                    depth,
                    name: None,
                    exported: None,
                    filter: false,
                });
            }
        } else if let Some(c) = cur.as_mut() {
            if depth != c.depth + 2 {
                continue;
            }
            if t.starts_with("A: android:name(0x01010003)=\"") {
                c.name = t.split('"').nth(1).map(str::to_string);
            } else if t.starts_with("A: android:exported(0x01010010)=") {
                c.exported = Some(!t.ends_with("0x0"));
            }
        }
    }
    if let Some(c) = cur.take() {
        finish(c, &mut out);
    }
    Some(out)
}

#[test]
fn exported_components_equal_aapt() {
    if !tool_available("aapt") {
        return;
    }
    let mut compared = 0;
    let mut exported_total = 0;
    for apk in sample_apks().into_iter().chain(corpus_apks(60)) {
        let Some(oracle) = aapt_exported(&apk) else {
            continue;
        };
        let report = report(&apk);
        let t = &report["targets"][0];
        if t["verdict"] == "error" {
            continue; // msgaudit refuses it; no profile to compare
        }
        let Some(p) = t.get("profile") else {
            continue;
        };
        let ours: BTreeSet<(String, String)> = pairs(&p["exported_components"], "type", "name");
        assert_eq!(ours, oracle, "{}", apk.display());
        exported_total += ours.len();
        compared += 1;
    }
    assert!(compared >= sample_apks().len());
    eprintln!(
        "exported components equal to aapt for {compared} APKs ({exported_total} components)"
    );
}

#[test]
fn ios_usage_descriptions_equal_the_info_plist() {
    if !tool_available("plistutil") || !tool_available("unzip") {
        return;
    }
    for name in ["LeakyChat", "SecureChat"] {
        let ipa = root().join(format!("sample-apps/ios/{name}.ipa"));
        let plist = Command::new("unzip")
            .args([
                "-p",
                ipa.to_str().unwrap(),
                &format!("Payload/{name}.app/Info.plist"),
            ])
            .output()
            .unwrap()
            .stdout;
        let dir =
            std::env::temp_dir().join(format!("msgaudit-profile-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let bin = dir.join("Info.plist");
        std::fs::write(&bin, plist).unwrap();
        let xml = run(
            "plistutil",
            &["-i", bin.to_str().unwrap(), "-f", "xml", "-o", "-"],
        )
        .expect("plistutil reads the Info.plist");
        let _ = std::fs::remove_dir_all(&dir);
        // <key>NS…UsageDescription</key> followed by <string>text</string>
        // (only top-level keys of the sample's plain dictionary).
        let mut oracle = BTreeMap::new();
        for part in xml.split("<key>").skip(1) {
            let Some((key, rest)) = part.split_once("</key>") else {
                continue;
            };
            if !(key.starts_with("NS") && key.ends_with("UsageDescription")) {
                continue;
            }
            let text = rest
                .trim_start()
                .strip_prefix("<string>")
                .and_then(|s| s.split_once("</string>"))
                .map(|(t, _)| t.replace("&apos;", "'").replace("&amp;", "&"))
                .unwrap_or_default();
            oracle.insert(key.to_string(), text);
        }
        let p = profile_of(&ipa).expect("an iOS app has a profile");
        let ours: BTreeMap<String, String> = pairs(&p["usage_descriptions"], "key", "text");
        assert_eq!(ours, oracle, "{name}");
        if name == "LeakyChat" {
            assert!(ours.contains_key("NSContactsUsageDescription"));
            assert_eq!(p["url_schemes"][0], "leakychat");
            assert_eq!(p["identity"]["team_id"], "SAMPLETEAM");
            assert_eq!(p["network"]["cleartext_allowed"], true);
        }
    }
}

/// Failed requirement ids per device name from the JSON report.
fn failed_by_device(report: &Value) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for t in report["targets"].as_array().unwrap() {
        if t["target"]["kind"] != "device" {
            continue;
        }
        let mut ids: Vec<String> = Vec::new();
        for r in t["results"].as_array().unwrap() {
            let id = r["requirement"].as_str().unwrap().to_string();
            if r["outcome"] == "fail" && !ids.contains(&id) {
                ids.push(id);
            }
        }
        out.insert(t["target"]["name"].as_str().unwrap().to_string(), ids);
    }
    out
}

#[test]
fn every_device_is_in_the_html_list_with_its_failed_requirements() {
    let dir = root().join("sample-apps/inventories");
    for inv in [
        "intune-graph-managedDevices.json",
        "jamf-pro-inventory.json",
        "workspace-one-devices.json",
        "android-management-devices.json",
        "generic-devices.csv",
    ] {
        let file = dir.join(inv);
        let json = report(&file);
        let expected = failed_by_device(&json);
        assert!(!expected.is_empty(), "{inv}: no devices");
        // The JSON carries the list's columns.
        let first = &json["targets"][0]["target"]["device"];
        assert!(first.get("platform").is_some(), "{inv}: {first}");
        let html = scan(&file, "html", "en");
        let list = html
            .split("<h3>Device list</h3>")
            .nth(1)
            .unwrap_or_else(|| panic!("{inv}: no device list"));
        // A short name (a pseudonym) is kept whole in a `span.id`.
        let rows: Vec<String> = list
            .split("<tr><td>")
            .skip(1)
            .map(|r| r.split("</tr>").next().unwrap())
            .map(|r| match r.strip_prefix("<span class=\"id\">") {
                Some(rest) => rest.replacen("</span></td>", "</td>", 1),
                None => r.to_string(),
            })
            .collect();
        assert_eq!(rows.len(), expected.len(), "{inv}: one row per device");
        for (name, failed) in &expected {
            let row = rows
                .iter()
                // (A device named by its record alone is named with its file.)
                .find(|r| {
                    r.starts_with(&format!("{name}</td>"))
                        || r.starts_with(&format!("{name} ({inv})</td>"))
                })
                .unwrap_or_else(|| panic!("{inv}: {name} not in the HTML list"));
            let last = row.rsplit("<td>").next().unwrap().trim_end_matches("</td>");
            let shown: Vec<&str> = last.split_whitespace().collect();
            assert_eq!(shown, *failed, "{inv}: {name}");
        }
        // Groups that need action are open; the others closed.
        if html.contains("badge not_compliant\">Not compliant</span>") {
            assert!(html.contains(
                "<details class=\"devices\" open><summary><span class=\"badge not_compliant\">"
            ));
        }
        if html.contains("<summary><span class=\"badge compliant\">") {
            assert!(html
                .contains("<details class=\"devices\"><summary><span class=\"badge compliant\">"));
        }
    }
}

#[test]
fn the_markdown_list_has_every_device_and_german_headers() {
    let file = root().join("sample-apps/inventories/intune-graph-managedDevices.json");
    let expected = failed_by_device(&report(&file));
    let md = scan(&file, "md", "de");
    let list = md.split("### Geräteliste").nth(1).expect("device list");
    assert!(list.contains("| Gerät | Plattform | Modell | Betriebssystem | Patch-Stand | Letzter MDM-Kontakt | Eigentümertyp | Nicht erfüllte Anforderungen |"));
    for (name, failed) in &expected {
        let row = list
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("{name} not in the Markdown list"));
        assert!(row.ends_with(&format!("| {} |", failed.join(" "))), "{row}");
    }
}

#[test]
fn the_device_list_csv_has_one_row_per_device() {
    let file = root().join("sample-apps/inventories/intune-graph-managedDevices.json");
    let expected = failed_by_device(&report(&file));
    let dir = std::env::temp_dir().join(format!("msgaudit-devlist-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("devices.csv");
    let out = run_msgaudit([
        "scan".as_ref(),
        file.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--device-list-csv".as_ref(),
        csv.as_os_str(),
    ]);
    assert!(!out.stdout.is_empty());
    let text = std::fs::read_to_string(&csv).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("Device,Source,File,Verdict,Platform,Model,OS,Patch level,Last check-in,Ownership,Failed requirements")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), expected.len());
    for (name, failed) in &expected {
        let row = rows
            .iter()
            .find(|r| r[0] == name)
            .unwrap_or_else(|| panic!("{name} not in the CSV"));
        assert_eq!(row.len(), 11, "{row:?}");
        assert_eq!(row[10], failed.join(" "), "{name}");
    }
    // The iPhone 12 of the sample: the platform named as people write it,
    // model, OS and ownership as exported.
    assert!(rows
        .iter()
        .any(|r| r[4] == "iOS" && r[5] == "iPhone 12" && r[6] == "17.6.1" && r[9] == "personal"));
}
