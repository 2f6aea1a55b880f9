//! Wording and print polish a reviewer asked for: idiomatic English in the
//! check definitions, thousands separators in counts of human-readable
//! reports (never in JSON, SARIF or CSV), chart segments that stay apart in
//! greyscale, and a file that does not exist labelled as what it is, not
//! as the app its name promised. Run through the CLI binary, as a user does.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

const AS_OF: &str = "2026-12-05";

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `msgaudit scan --as-of … --format FORMAT --lang LANG INPUTS…`: exit code,
/// standard output, standard error.
fn scan(inputs: &[&Path], format: &str, lang: &str) -> (i32, String, String) {
    let mut args: Vec<String> = ["scan", "--as-of", AS_OF, "--format", format, "--lang", lang]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let out = run_msgaudit(&args);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// Line breaks and table borders folded into single spaces, so that a
/// phrase wrapped by the table renderer can be searched for.
fn flat(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || matches!(c, '│' | '┆' | '|'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------------ 1.

fn check_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            check_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// German-flavoured English the reviewer found in the `.en` texts of the
/// check definitions (and its like): none of it is left.
#[test]
fn check_texts_in_english_read_idiomatically() {
    let mut files = Vec::new();
    check_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("checks"),
        &mut files,
    );
    assert!(files.len() > 30, "{files:?}");
    let unidiomatic = [
        "must be asked from",
        "attested by hand",
        "user's doing",
        "on a device change",
        "transfers them",
        "checked by hand",
        "and attest.",
        "bring chats",
        "Exceptions from encrypted",
        "sits in a library",
        "past the audited solution",
        "checked in for long.",
        "That cannot be (",
        "running sessions",
        "without own encryption",
        "does not know this OS version",
        "an own backup agent",
        "own trust managers",
        "(own trust anchors",
    ];
    let mut found = Vec::new();
    for f in &files {
        let body = std::fs::read_to_string(f).unwrap();
        for line in body.lines() {
            let english = line.contains(".en = ")
                || line.trim_start().starts_with("en = ")
                || line.contains("why.en");
            if !english {
                continue;
            }
            for phrase in unidiomatic {
                if line.contains(phrase) {
                    found.push(format!("{}: {phrase}", f.display()));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
    // The replacements say the same, in English a native writer would use.
    let com04 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("checks/app/COM-04-certificate-management.toml"),
    )
    .unwrap();
    assert!(com04.contains("Ask the vendor whether and how certificates and keys are managed."));
    assert!(com04.contains("must be confirmed by the vendor or the auditor"));
    let plt03 = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("checks/app/PLT-03-backup-encrypted.toml"),
    )
    .unwrap();
    assert!(plt03.contains("transfers it to a new device"));
}

/// The reworded messages reach the report (COM-04 on an app without
/// certificate pinning).
#[test]
fn reworded_messages_reach_the_report() {
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out/oldchat-1.0.apk");
    let (_, table, stderr) = scan(&[&app], "table", "en");
    let table = flat(&table);
    assert!(!table.is_empty(), "{stderr}");
    assert!(!table.contains("asked from the vendor"), "{table}");
    assert!(!table.contains("by hand"), "{table}");
}

// ------------------------------------------------------------------ 2.

/// An Intune Graph export of `n` invented devices in `dir`.
fn intune_export(dir: &Path, n: usize) -> PathBuf {
    let records: Vec<Value> = (0..n)
        .map(|i| {
            let android = i % 2 == 0;
            serde_json::json!({
                "id": format!("00000000-0000-4000-8000-{i:012}"),
                "deviceName": format!("POLISH-{i:06}"),
                "userPrincipalName": format!("user{i}@polish.invalid"),
                "managedDeviceOwnerType": "company",
                "operatingSystem": if android { "Android" } else { "iOS" },
                "osVersion": if android { "14" } else { "17.6.1" },
                "androidSecurityPatchLevel": if android { "2026-10-01" } else { "" },
                "isEncrypted": i % 3 != 0,
                "jailBroken": "False",
                "isSupervised": true,
                "complianceState": "compliant",
                "managementAgent": "mdm",
                "deviceEnrollmentType": if android { "androidEnterpriseFullyManaged" } else { "appleBulkWithUser" },
                "lastSyncDateTime": "2026-12-01T08:00:00Z",
                "enrolledDateTime": "2025-01-01T00:00:00Z",
                "serialNumber": format!("SN{i:010}"),
                "model": if android { "SM-A556B" } else { "iPhone 15" },
                "manufacturer": if android { "samsung" } else { "Apple" },
            })
        })
        .collect();
    let doc = serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",
        "value": records,
    });
    let path = dir.join("intune.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    path
}

/// A fleet of 1,234 devices: the table, Markdown and HTML write „1.234
/// Geräte“ in German and "1,234 devices" in English; JSON, SARIF and CSV
/// keep plain numbers.
#[test]
fn device_counts_have_the_languages_thousands_separator() {
    let dir = tempfile::tempdir().unwrap();
    let export = intune_export(dir.path(), 1234);
    for format in ["table", "md", "html"] {
        let (code, de, stderr) = scan(&[&export], format, "de");
        assert!(code == 0 || code == 1 || code == 2, "{format}: {stderr}");
        let de = flat(&de);
        assert!(
            de.contains("1.234 Geräte"),
            "{format} de: no „1.234 Geräte“"
        );
        assert!(!de.contains("1234 Geräte"), "{format} de: „1234 Geräte“");
        let (_, en, _) = scan(&[&export], format, "en");
        let en = flat(&en);
        assert!(
            en.contains("1,234 devices"),
            "{format} en: no \"1,234 devices\""
        );
        assert!(
            !en.contains("1234 devices"),
            "{format} en: \"1234 devices\""
        );
    }
    // The fleet line of the table's summary and its chart count.
    let (_, table, _) = scan(&[&export], "table", "de");
    assert!(
        flat(&table).contains("Geräteflotte (1.234 Geräte)"),
        "{table}"
    );
    // Machine-readable formats keep their numbers as they were: numbers in
    // JSON and SARIF, no value of a JSON string or CSV cell a grouped number.
    for lang in ["de", "en"] {
        let (_, json, _) = scan(&[&export], "json", lang);
        let report: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(report["fleet"]["devices"], 1234, "{}", report["fleet"]);
        assert_eq!(report["fleet"]["inventories"][0]["devices"], 1234);
        assert_no_grouped_value(&report, "json");
        let (_, sarif, _) = scan(&[&export], "sarif", lang);
        assert_no_grouped_value(&serde_json::from_str(&sarif).unwrap(), "sarif");
        let (_, csv, _) = scan(&[&export], "csv", lang);
        for cell in csv.split(['\n', ';', ',']) {
            assert!(!grouped(cell.trim_matches('"')), "csv {lang}: {cell}");
        }
    }
}

/// True for a number written with thousands separators (`1.234`, `1,234`).
fn grouped(s: &str) -> bool {
    let groups: Vec<&str> = s.split(['.', ',']).collect();
    groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        && groups[1..].iter().all(|g| g.len() == 3)
        && !(s.contains('.') && s.contains(','))
}

fn assert_no_grouped_value(v: &Value, what: &str) {
    match v {
        Value::String(s) => assert!(!grouped(s), "{what}: {s}"),
        Value::Array(a) => a.iter().for_each(|v| assert_no_grouped_value(v, what)),
        Value::Object(o) => o.values().for_each(|v| assert_no_grouped_value(v, what)),
        _ => {}
    }
}

/// Below 1,000 a count has no separator.
#[test]
fn small_counts_stay_as_they_are() {
    use msgaudit::assess::Lang;
    assert_eq!(msgaudit::lang::count(999, Lang::De), "999");
    assert_eq!(msgaudit::lang::count(100_000, Lang::De), "100.000");
    assert_eq!(msgaudit::lang::count(100_000, Lang::En), "100,000");
}

// ------------------------------------------------------------------ 3.

/// WCAG relative luminance of `#rrggbb`.
fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

/// The value of attribute `name` in the tag `tag`.
fn attr<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].split('"').next()
}

/// Per chart: (segment label → fill) from the segments' tooltips, and the
/// legend's (label, fill) pairs.
type ChartColours = (Vec<(String, String)>, Vec<(String, String)>);

fn chart_colours(svg: &str) -> ChartColours {
    let mut segments = Vec::new();
    let mut legend = Vec::new();
    let mut rest = svg;
    while let Some(at) = rest.find("<rect ") {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..end];
        let after = &rest[end + 1..];
        if let Some(fill) = attr(tag, "fill").filter(|f| f.starts_with('#')) {
            if let Some(title) = after.strip_prefix("<title>") {
                // A segment: <rect fill><title>LABEL: N</title></rect>.
                let title = &title[..title.find("</title>").unwrap()];
                let label = title.rsplit_once(": ").map_or(title, |(l, _)| l);
                segments.push((label.to_string(), fill.to_string()));
            } else if attr(tag, "width") == Some("10") {
                // A legend swatch, followed by its label.
                let label = after
                    .strip_prefix("<text")
                    .and_then(|t| t.split_once('>'))
                    .map(|(_, t)| t[..t.find("</text>").unwrap()].to_string())
                    .unwrap_or_default();
                legend.push((label, fill.to_string()));
            }
        }
        rest = &rest[end..];
    }
    (segments, legend)
}

/// Printed in greyscale, the HTML report's stacked charts keep every
/// segment apart: the legend's colours differ pairwise by at least 0.08 in
/// relative luminance („Offen“ and „Nicht anwendbar“ were the same grey),
/// and each segment has its legend entry's colour.
#[test]
fn chart_segments_are_distinguishable_in_greyscale() {
    let dir = tempfile::tempdir().unwrap();
    let export = intune_export(dir.path(), 40);
    let apps = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out");
    for lang in ["de", "en"] {
        let (_, html, stderr) = scan(&[&export, &apps], "html", lang);
        let svgs: Vec<&str> = html
            .split("<svg ")
            .skip(1)
            .map(|s| &s[..s.find("</svg>").unwrap()])
            .collect();
        assert!(svgs.len() >= 3, "{lang}: {stderr}");
        let mut legends_seen = 0;
        let mut labels = Vec::new();
        for svg in svgs {
            let (segments, legend) = chart_colours(svg);
            if legend.is_empty() {
                continue;
            }
            legends_seen += 1;
            for (i, (a, ca)) in legend.iter().enumerate() {
                labels.push(a.clone());
                for (b, cb) in &legend[i + 1..] {
                    let d = (luminance(ca) - luminance(cb)).abs();
                    assert!(
                        d >= 0.08,
                        "{lang}: {a} ({ca}) and {b} ({cb}) differ by {d:.3} in luminance"
                    );
                }
            }
            for (label, fill) in &segments {
                let entry = legend.iter().find(|(l, _)| l == label);
                assert_eq!(
                    entry.map(|(_, c)| c.as_str()),
                    Some(fill.as_str()),
                    "{lang}: segment {label} has no legend entry of its colour"
                );
            }
        }
        assert!(legends_seen >= 2, "{lang}");
        let (open, na) = match lang {
            "de" => ("Offen", "Nicht anwendbar"),
            _ => ("Open", "Not applicable"),
        };
        assert!(labels.iter().any(|l| l == open), "{lang}: {labels:?}");
        assert!(labels.iter().any(|l| l == na), "{lang}: {labels:?}");
    }
}

// ------------------------------------------------------------------ 4.

/// A file named on the command line that does not exist is not an
/// Android app because it is called `missing.apk`: every report format
/// says it was not found; JSON gives it the kind `unknown`.
#[test]
fn a_file_that_does_not_exist_is_not_called_an_app() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.apk");
    let (code, json, stderr) = scan(&[&missing], "json", "en");
    assert_eq!(code, 4, "{stderr}");
    let report: Value = serde_json::from_str(&json).unwrap();
    let target = &report["targets"][0];
    assert_eq!(target["target"]["kind"], "unknown", "{target}");
    assert_eq!(target["verdict"], "error", "{target}");
    for (lang, label) in [("de", "Datei nicht gefunden"), ("en", "File not found")] {
        for format in ["table", "md", "html", "csv"] {
            let (code, out, stderr) = scan(&[&missing], format, lang);
            assert_eq!(code, 4, "{format} {lang}: {stderr}");
            let out = flat(&out);
            assert!(out.contains(label), "{format} {lang}: {out}");
            assert!(!out.contains("Android"), "{format} {lang}: {out}");
        }
        let (_, sarif, _) = scan(&[&missing], "sarif", lang);
        assert!(!sarif.contains("Android"), "sarif {lang}: {sarif}");
    }
    // A file that exists keeps the kind its name says.
    let present = dir.path().join("present.apk");
    std::fs::write(&present, b"PK\x03\x04truncated").unwrap();
    let (_, json, _) = scan(&[&present], "json", "en");
    let report: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["targets"][0]["target"]["kind"], "android");
    let (_, table, _) = scan(&[&present], "table", "de");
    assert!(flat(&table).contains("(Android-App)"), "{table}");
}

/// `diff` with a file that does not exist says it cannot be read (not
/// that it "holds no app").
#[test]
fn diff_names_the_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.apk");
    let app = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out/oldchat-1.0.apk");
    let out = run_msgaudit(["diff".as_ref(), missing.as_os_str(), app.as_os_str()]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("cannot read the file"), "{stderr}");
    assert!(!stderr.contains("holds no app"), "{stderr}");
}
