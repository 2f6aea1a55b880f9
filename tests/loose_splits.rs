//! Split APKs given as loose files are read as Android installs them: a base
//! APK and the splits of its package among a scan's files are one app
//! (merged as a `.apks` split set), and a split without its base is refused.
//! Reads the corpus folder `android/split/sentry-demos-2018-instant-run-splits`
//! (an Instant Run build: `app-debug.apk`, `dependencies.apk` holding the
//! Sentry SDK, `slice_0.apk` … `slice_9.apk`); skipped without the corpus.

mod common;

use std::path::PathBuf;

use serde_json::Value;

const SET: &str = "android/split/sentry-demos-2018-instant-run-splits";

/// The corpus folder of the loose split set, or `None` (skip message printed).
fn set_dir() -> Option<PathBuf> {
    let dir = common::corpus_dir()?.join(SET);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not in the corpus", dir.display());
        None
    }
}

/// `msgaudit scan --format json ARGS…`: the exit code and the report.
fn scan_json(args: &[&std::ffi::OsStr]) -> (i32, Value) {
    let mut all: Vec<&std::ffi::OsStr> = vec![
        "scan".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
    ];
    all.extend_from_slice(args);
    let out = common::run_msgaudit(all);
    let report: Value = common::json(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON report: {e}\n{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), report)
}

fn outcome<'a>(target: &'a Value, check: &str) -> &'a str {
    target["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["check"] == check))
        .and_then(|r| r["outcome"].as_str())
        .unwrap_or_else(|| panic!("no result for {check}"))
}

#[test]
fn a_folder_of_loose_splits_is_one_app_with_the_splits_code() {
    let Some(dir) = set_dir() else { return };
    let (code, report) = scan_json(&[dir.as_os_str()]);
    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 1, "one app, not one per APK: {targets:#?}");
    let t = &targets[0];
    assert_eq!(t["target"]["id"], "com.example.vu.android");
    assert_eq!(t["target"]["kind"], "android");
    let file = t["target"]["file"]["path"].as_str().unwrap_or_default();
    assert!(
        file.ends_with("/app-debug.apk"),
        "the base is the file: {file}"
    );
    let facts = &t["facts"];
    let apks: Vec<&str> = facts["android"]["apks"]
        .as_array()
        .expect("android.apks")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut expected = vec!["app-debug.apk".to_string(), "dependencies.apk".to_string()];
    expected.extend((0..10).map(|i| format!("slice_{i}.apk")));
    assert_eq!(apks, expected, "base first, then the splits");
    // Every member file with its hash, in the same order.
    let files = facts["android"]["apk_files"].as_array().expect("apk_files");
    assert_eq!(files.len(), expected.len());
    for (f, name) in files.iter().zip(&expected) {
        let path = f["path"].as_str().unwrap_or_default();
        assert!(path.ends_with(&format!("/{name}")), "{path} is {name}");
        assert_eq!(f["sha256"].as_str().map(str::len), Some(64), "{path}");
    }
    let sdks: Vec<&str> = facts["sdks"]
        .as_array()
        .expect("sdks")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert!(
        sdks.contains(&"sentry"),
        "Sentry in dependencies.apk: {sdks:?}"
    );
    assert_ne!(
        outcome(t, "APP-05-crash-default-off"),
        "pass",
        "the crash SDK of a split counts"
    );
    // Evidence names the member file the code came from.
    let dex: Vec<&str> = facts["android"]["dex"]["files"]
        .as_array()
        .expect("dex files")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(dex.contains(&"dependencies.apk/classes.dex"), "{dex:?}");
    assert_ne!(code, 4, "nothing unread");
}

#[test]
fn the_report_lists_every_apk_file_of_the_set() {
    let Some(dir) = set_dir() else { return };
    let out = common::run_msgaudit([
        "scan".as_ref(),
        "--format".as_ref(),
        "md".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
        dir.as_os_str(),
    ]);
    let md = String::from_utf8_lossy(&out.stdout);
    for name in ["app-debug.apk", "dependencies.apk", "slice\\_9.apk"] {
        let row = md
            .lines()
            .find(|l| l.starts_with('|') && l.contains(&format!("/{name} |")))
            .unwrap_or_else(|| panic!("{name} not in the file list:\n{md}"));
        assert!(
            row.split('|').any(|c| c.trim().len() == 64),
            "{name} has its SHA-256: {row}"
        );
    }
}

#[test]
fn a_split_given_alone_is_refused_in_english_and_german() {
    let Some(dir) = set_dir() else { return };
    for name in ["slice_0.apk", "dependencies.apk"] {
        let path = dir.join(name);
        let (code, report) = scan_json(&[path.as_os_str()]);
        assert_eq!(code, 4, "{name}: a refused target is exit 4");
        let targets = report["targets"].as_array().expect("targets");
        assert_eq!(targets.len(), 1);
        let t = &targets[0];
        assert_eq!(t["verdict"], "error", "{name}");
        let split = format!("lib_{}_apk", name.trim_end_matches(".apk"));
        assert_eq!(
            t["error"].as_str(),
            Some(format!("split APK \"{split}\" of the app com.example.vu.android: Android installs a split only together with its base APK; give the base APK too, or scan the whole split set (.apks)").as_str()),
            "{name}"
        );
        assert_eq!(
            t["error_de"].as_str(),
            Some(format!("Split-APK „{split}“ der App com.example.vu.android – Android installiert sie nur zusammen mit ihrer Basis-APK; bitte die Basis-APK mit angeben oder das ganze Split-Set (.apks) prüfen").as_str()),
            "{name}"
        );
        assert_eq!(
            t["target"]["file"]["sha256"].as_str().map(str::len),
            Some(64)
        );
    }
}

#[test]
fn splits_without_their_base_in_a_scan_are_refused_and_the_base_alone_is_read() {
    let Some(dir) = set_dir() else { return };
    // Two splits without their base: neither is read.
    let a = dir.join("slice_1.apk");
    let b = dir.join("slice_2.apk");
    let (code, report) = scan_json(&[a.as_os_str(), b.as_os_str()]);
    assert_eq!(code, 4);
    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 2);
    assert!(targets.iter().all(|t| t["verdict"] == "error"));
    // The base with one split: merged, the other files not given.
    let base = dir.join("app-debug.apk");
    let (_, report) = scan_json(&[base.as_os_str(), a.as_os_str()]);
    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 1);
    assert_eq!(
        targets[0]["facts"]["android"]["apks"],
        serde_json::json!(["app-debug.apk", "slice_1.apk"])
    );
}

#[test]
fn two_bases_of_one_app_stay_apart_and_a_split_of_neither_folder_is_refused() {
    let Some(dir) = set_dir() else { return };
    // Copies in a temporary folder: x/ and y/ each hold the base, y/ also
    // dependencies.apk; z/ holds slice_0.apk, whose base is unclear.
    let tmp = tempfile::tempdir().unwrap();
    let copy = |sub: &str, name: &str| {
        let to = tmp.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(dir.join(name), to.join(name)).unwrap();
    };
    copy("x", "app-debug.apk");
    copy("y", "app-debug.apk");
    copy("y", "dependencies.apk");
    copy("z", "slice_0.apk");
    let (code, report) = scan_json(&[tmp.path().as_os_str()]);
    assert_eq!(code, 4, "the unclear split is refused");
    let targets = report["targets"].as_array().expect("targets");
    assert_eq!(targets.len(), 3, "{targets:#?}");
    assert_eq!(
        targets[0]["facts"]["android"]["apks"],
        serde_json::json!(["app-debug.apk"])
    );
    assert_eq!(
        targets[1]["facts"]["android"]["apks"],
        serde_json::json!(["app-debug.apk", "dependencies.apk"]),
        "the split joins the base in its own folder"
    );
    let refused = &targets[2];
    assert_eq!(refused["verdict"], "error");
    let x = tmp.path().join("x/app-debug.apk");
    let y = tmp.path().join("y/app-debug.apk");
    assert_eq!(
        refused["error"].as_str(),
        Some(format!("split APK \"lib_slice_0_apk\" of the app com.example.vu.android: the scan holds 2 base APKs of this app ({}, {}), and which one it belongs to is not clear; Android installs a split only together with its own base APK: scan each split set on its own (in a folder of its own, or as .apks)", x.display(), y.display()).as_str())
    );
    assert_eq!(
        refused["error_de"].as_str(),
        Some(format!("Split-APK „lib_slice_0_apk“ der App com.example.vu.android: Die Prüfung enthält 2 Basis-APKs dieser App ({}, {}), und zu welcher sie gehört, ist unklar; Android installiert eine Split-APK nur zusammen mit ihrer eigenen Basis-APK: bitte jedes Split-Set für sich prüfen (in einem eigenen Ordner oder als .apks)", x.display(), y.display()).as_str())
    );
}
