//! OS support data as a user keeps it current: `msgaudit os-data import` of
//! endoflife.date files, the result used by `scan --os-data`, the stale-data
//! notice at the top of every report format, and the fleet's Android
//! patch-level floor.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> String {
    root()
        .join("tests/data/endoflife")
        .join(name)
        .display()
        .to_string()
}

fn inventories() -> String {
    root().join("sample-apps/inventories").display().to_string()
}

fn run(args: &[&str]) -> Output {
    common::run_msgaudit(args)
}

/// Imports the sample endoflife.date files, fetched (as the built-in data
/// was confirmed) on 2026-06-16, into `dir/os-support.toml`.
fn import_samples(dir: &Path) -> String {
    let out_file = dir.join("os-support.toml").display().to_string();
    let out = run(&[
        "os-data",
        "import",
        "--ios",
        &sample("ios.json"),
        "--ipados",
        &sample("ipados.json"),
        "--android",
        &sample("android.json"),
        "--android-patch-level",
        "2026-06-05",
        "--as-of",
        "2026-06-16",
        "-o",
        &out_file,
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("--os-data"), "{stderr}");
    out_file
}

fn scan(extra: &[&str]) -> (Output, String) {
    let mut args = vec!["scan", "--profile", "dsk-full"];
    args.extend_from_slice(extra);
    let out = run(&args);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    (out, text)
}

/// `scan --format json` with `extra` arguments, parsed.
fn scan_json(extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (_, text) = scan(&args);
    common::json_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// DEV-01 outcome and verdict per device (by inventory record).
fn dev01(report: &Value) -> BTreeMap<String, (String, String)> {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["target"]["kind"] == "device")
        .map(|t| {
            let outcome = t["results"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["requirement"] == "DEV-01")
                .map(|r| r["outcome"].as_str().unwrap().to_string())
                .unwrap_or_default();
            (
                format!(
                    "{} {}",
                    t["target"]["file"]["path"].as_str().unwrap_or(""),
                    t["target"]["source"].as_str().unwrap_or("")
                ),
                (outcome, t["verdict"].as_str().unwrap().to_string()),
            )
        })
        .collect()
}

#[test]
fn imported_sample_data_decides_every_sample_device_as_the_builtin_data() {
    let dir = tempfile::tempdir().unwrap();
    let data = import_samples(dir.path());
    let text = std::fs::read_to_string(&data).unwrap();
    assert!(text.contains("as_of = \"2026-06-16\""), "{text}");
    assert!(
        text.contains("latest_patch_level = \"2026-06-05\""),
        "{text}"
    );
    let inv = inventories();
    let (builtin, b) = scan(&["--format", "json", "--as-of", "2026-11-23", &inv]);
    let (imported, i) = scan(&[
        "--format",
        "json",
        "--as-of",
        "2026-11-23",
        "--os-data",
        &data,
        &inv,
    ]);
    assert_eq!(builtin.status.code(), imported.status.code());
    let b: Value = common::json_str(&b).unwrap();
    let i: Value = common::json_str(&i).unwrap();
    let (b, i) = (dev01(&b), dev01(&i));
    assert!(b.len() >= 20, "only {} sample devices", b.len());
    assert_eq!(b, i);
    // And the decisions are real ones: some pass, some fail on OS support.
    let outcomes: Vec<&str> = i.values().map(|(o, _)| o.as_str()).collect();
    assert!(
        outcomes.contains(&"pass") && outcomes.contains(&"fail"),
        "{outcomes:?}"
    );
}

#[test]
fn imported_data_is_fresh_where_the_builtin_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let data = import_samples(dir.path());
    let inv = inventories();
    // 2027-01-10 is more than 180 days after 2026-06-16: both are stale.
    let v = scan_json(&["--as-of", "2027-01-10", "--os-data", &data, &inv]);
    assert_eq!(v["fleet"]["os_data"]["stale"], true);
    assert_eq!(v["fleet"]["os_data"]["source"], data.as_str());
    assert!(
        v["notices"][0]["en"].as_str().unwrap().contains(&data),
        "the notice names the data file in use: {}",
        v["notices"]
    );
    // Data fetched on the audit date: not stale, no notice, and DEV-01
    // decides what the stale data left open.
    let fresh = dir.path().join("fresh.toml").display().to_string();
    let out = run(&[
        "os-data",
        "import",
        "--ios",
        &sample("ios.json"),
        "--android",
        &sample("android.json"),
        "--as-of",
        "2027-01-10",
        "-o",
        &fresh,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fresh_v = scan_json(&["--as-of", "2027-01-10", "--os-data", &fresh, &inv]);
    assert_eq!(fresh_v["fleet"]["os_data"]["stale"], false);
    // No stale notice; the only notice left is the fleet's patch level
    // (this import gave no --android-patch-level).
    let notices = fresh_v["notices"].to_string();
    assert!(!notices.contains("stale"), "{notices}");
    assert!(notices.contains("it names none"), "{notices}");
    assert!(
        notices.contains("nennen keinen neuesten Stand"),
        "{notices}"
    );
    let undecided = |v: &Value| dev01(v).values().filter(|(o, _)| o == "manual").count();
    assert!(
        undecided(&fresh_v) < undecided(&v),
        "fresh data decides more devices: {} vs {}",
        undecided(&fresh_v),
        undecided(&v)
    );
}

/// Where in `text` the report's first real content starts (after the title
/// and run metadata), per format.
fn first_content(format: &str, text: &str) -> usize {
    let marker = match format {
        "table" => "\n== ",
        "json" => "\"targets\"",
        "sarif" => "\"results\"",
        "html" => "<h2",
        "md" => "\n## ",
        "csv" => "\n",
        _ => unreachable!(),
    };
    text.find(marker)
        .unwrap_or_else(|| panic!("{format}: no {marker:?} in {text}"))
}

#[test]
fn stale_data_is_noticed_once_at_the_top_of_every_format_in_both_languages() {
    let inv = inventories();
    // The built-in data was confirmed on 2026-06-16 and is stale after 180 days.
    for (lang, phrase, refresh) in [
        ("en", "OS support data is stale", "scan again with"),
        (
            "de",
            "Daten zur OS-Unterstützung sind veraltet",
            "erneut mit",
        ),
    ] {
        for format in ["table", "json", "sarif", "html", "md", "csv"] {
            let (out, text) = scan(&[
                "--format",
                format,
                "--lang",
                lang,
                "--as-of",
                "2026-12-14",
                &inv,
            ]);
            assert!(out.status.code().is_some(), "{format} {lang}");
            let at = text
                .find(phrase)
                .unwrap_or_else(|| panic!("{format} {lang}: no notice in\n{text}"));
            assert_eq!(text.matches(phrase).count(), 1, "{format} {lang}: once");
            assert!(
                text.contains("os-data import"),
                "{format} {lang}: how to refresh"
            );
            assert!(text.contains(refresh), "{format} {lang}");
            if format == "csv" {
                // The row right after the header.
                let second = text.lines().nth(1).unwrap();
                assert!(second.contains(phrase), "{format} {lang}: {second}");
            } else {
                assert!(
                    at < first_content(format, &text),
                    "{format} {lang}: the notice is not at the top"
                );
            }
        }
        // The day before it turns stale: no notice in any format.
        for format in ["table", "json", "sarif", "html", "md", "csv"] {
            let (_, text) = scan(&[
                "--format",
                format,
                "--lang",
                lang,
                "--as-of",
                "2026-12-13",
                &inv,
            ]);
            assert!(
                !text.contains(phrase),
                "{format} {lang}: stale on 2026-12-13"
            );
        }
    }
}

#[test]
fn the_fleets_newest_android_patch_level_is_the_floor() {
    // The sample CSV has an Android 16 device on patch level 2026-11-05, five
    // months newer than the built-in data's 2026-06-05.
    let csv = root()
        .join("sample-apps/inventories/generic-devices.csv")
        .display()
        .to_string();
    let v = scan_json(&["--as-of", "2026-11-23", &csv]);
    let os = &v["fleet"]["os_data"];
    assert_eq!(os["latest_android_patch_level"], "2026-06-05");
    assert_eq!(os["fleet_android_patch_level"], "2026-11-05");
    assert_eq!(os["stale"], false);
    let notice = v["notices"][0]["en"].as_str().unwrap();
    assert!(
        notice.contains("2026-11-05") && notice.contains("2026-06-05"),
        "{notice}"
    );
    for lang in ["en", "de"] {
        let (_, table) = scan(&["--lang", lang, "--as-of", "2026-11-23", &csv]);
        let at = table.find("!! ").expect("a notice line");
        let top = &table[at..first_content("table", &table)];
        assert!(top.contains("2026-11-05"), "{lang}: {table}");
    }
    // Audited before that level was published: it is no evidence.
    let v = scan_json(&["--as-of", "2026-11-01", &csv]);
    assert!(v["fleet"]["os_data"]
        .get("fleet_android_patch_level")
        .is_none());
}

#[test]
fn broken_endoflife_files_are_errors_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("android.json");
    std::fs::write(
        &bad,
        "[\n  {\"cycle\": \"16\", \"eol\": false},\n  {\"cycle\": \"15\", \"eol\": \"next year\"}\n]\n",
    )
    .unwrap();
    let out_file = dir.path().join("out.toml");
    let out = run(&[
        "os-data",
        "import",
        "--android",
        bad.to_str().unwrap(),
        "--as-of",
        "2026-06-16",
        "-o",
        out_file.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains(bad.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("line 3"), "{stderr}");
    assert!(!out_file.exists(), "nothing written for broken input");
    // No input at all is a usage error.
    let out = run(&["os-data", "import", "-o", out_file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn import_speaks_german_with_lang_de() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("android.json");
    std::fs::write(
        &bad,
        "[\n  {\"cycle\": \"15\", \"eol\": \"next year\"}\n]\n",
    )
    .unwrap();
    let out_file = dir.path().join("out.toml");
    let out_path = out_file.to_str().unwrap();
    let broken = run(&[
        "os-data",
        "import",
        "--android",
        bad.to_str().unwrap(),
        "--lang",
        "de",
        "-o",
        out_path,
    ]);
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(4), "{stderr}");
    assert!(stderr.contains(bad.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("Zeile 2"), "{stderr}");
    assert!(!stderr.contains("line 2"), "{stderr}");

    let ok = run(&[
        "os-data",
        "import",
        "--android",
        &sample("android.json"),
        "--as-of",
        "2026-06-16",
        "--lang",
        "de",
        "-o",
        out_path,
    ]);
    let stderr = String::from_utf8_lossy(&ok.stderr);
    assert_eq!(ok.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("mit Stand 2026-06-16 in "), "{stderr}");
    assert!(stderr.contains("Hauptversionen"), "{stderr}");
    assert!(
        stderr.contains("Hinweis: Ohne --android-patch-level"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("wrote") && !stderr.contains("major versions"),
        "{stderr}"
    );
}
