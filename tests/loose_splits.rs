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

/// Copies of the set's files in a temporary folder: x/ and y/ each hold the
/// base, y/ also dependencies.apk; z/ holds slice_0.apk, whose base is
/// unclear.
fn two_bases(dir: &std::path::Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (sub, name) in [
        ("x", "app-debug.apk"),
        ("y", "app-debug.apk"),
        ("y", "dependencies.apk"),
        ("z", "slice_0.apk"),
    ] {
        let to = tmp.path().join(sub);
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(dir.join(name), to.join(name)).unwrap();
    }
    tmp
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

/// The ids of the SDKs found, from an app's facts.
fn sdk_ids(facts: &Value) -> Vec<&str> {
    facts["sdks"]
        .as_array()
        .expect("sdks")
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect()
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
    let sdks = sdk_ids(facts);
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
    let tmp = two_bases(&dir);
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

/// `msgaudit facts ARGS…`: the exit code, standard output and standard error.
fn facts(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["facts".as_ref()];
    all.extend_from_slice(args);
    let out = common::run_msgaudit(all);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn facts_of_a_base_and_its_splits_is_one_document_as_scan_reads_it() {
    let Some(dir) = set_dir() else { return };
    let base = dir.join("app-debug.apk");
    let slice = dir.join("slice_3.apk");
    let deps = dir.join("dependencies.apk");
    let args = [base.as_os_str(), slice.as_os_str(), deps.as_os_str()];
    let (code, stdout, stderr) = facts(&args);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("one JSON document: {e}\n{stdout}"));
    assert!(doc.is_object(), "one document, not an array of three");
    assert_eq!(doc["app"]["id"], "com.example.vu.android");
    assert_eq!(
        doc["android"]["apks"],
        serde_json::json!(["app-debug.apk", "slice_3.apk", "dependencies.apk"]),
        "base first, then the splits in the order given"
    );
    let files = doc["android"]["apk_files"].as_array().expect("apk_files");
    let paths: Vec<&str> = files.iter().filter_map(|f| f["path"].as_str()).collect();
    let given: Vec<String> = [&base, &slice, &deps]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(paths, given, "every member file by its path as given");
    assert!(files
        .iter()
        .all(|f| f["sha256"].as_str().map(str::len) == Some(64) && f["size"].as_u64() > Some(0)));
    assert_eq!(doc["file"], files[0], "the document's file is the base");
    let sdks = sdk_ids(&doc);
    assert!(sdks.contains(&"sentry"), "dependencies.apk's SDK: {sdks:?}");
    // The same facts as `scan` of the same files assesses.
    let (_, report) = scan_json(&args);
    let scanned = &report["targets"][0]["facts"]["android"];
    assert_eq!(scanned["apk_files"], doc["android"]["apk_files"]);
    assert_eq!(scanned["apks"], doc["android"]["apks"]);
}

#[test]
fn facts_of_the_folder_is_one_document_of_all_twelve_files() {
    let Some(dir) = set_dir() else { return };
    let (code, stdout, stderr) = facts(&[dir.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("one JSON document: {e}\n{stdout}"));
    let (_, report) = scan_json(&[dir.as_os_str()]);
    let scanned = &report["targets"][0]["facts"]["android"];
    assert_eq!(
        doc["android"]["apk_files"].as_array().map(Vec::len),
        Some(12)
    );
    assert_eq!(doc["android"]["apk_files"], scanned["apk_files"]);
    assert_eq!(doc["android"]["apks"], scanned["apks"]);
    assert_eq!(
        doc["android"]["dex"], scanned["dex"],
        "the splits' code too"
    );
}

#[test]
fn facts_of_a_split_alone_is_refused_as_by_scan() {
    let Some(dir) = set_dir() else { return };
    let split = dir.join("slice_0.apk");
    let (_, report) = scan_json(&[split.as_os_str()]);
    let target = &report["targets"][0];
    for (lang, key) in [("en", "error"), ("de", "error_de")] {
        let (code, stdout, stderr) = facts(&["--lang".as_ref(), lang.as_ref(), split.as_os_str()]);
        assert_eq!(code, 4, "{lang}: {stderr}");
        assert!(stdout.trim().is_empty(), "{lang}: no document: {stdout}");
        let said = target[key].as_str().expect("scan's error");
        assert!(
            said.starts_with("split APK \"lib_slice_0_apk\"")
                || said.starts_with("Split-APK „lib_slice_0_apk“"),
            "{said}"
        );
        assert!(
            stderr.contains(&format!("{}: ", split.display())) && stderr.contains(said),
            "{lang}: facts says what scan says ({said}):\n{stderr}"
        );
    }
}

#[test]
fn facts_of_two_bases_keeps_them_apart_and_refuses_the_unclear_split() {
    let Some(dir) = set_dir() else { return };
    let tmp = two_bases(&dir);
    let (code, stdout, stderr) = facts(&[tmp.path().as_os_str()]);
    assert_eq!(code, 4, "the unclear split is refused: {stderr}");
    let docs: Value = serde_json::from_str(&stdout).expect("a JSON array");
    let apks: Vec<&Value> = docs
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| &d["android"]["apks"])
        .collect();
    assert_eq!(
        apks,
        [
            &serde_json::json!(["app-debug.apk"]),
            &serde_json::json!(["app-debug.apk", "dependencies.apk"])
        ]
    );
    let x = tmp.path().join("x/app-debug.apk");
    let y = tmp.path().join("y/app-debug.apk");
    assert!(
        stderr.contains(&format!(
            "{}: error: split APK \"lib_slice_0_apk\" of the app com.example.vu.android: the scan holds 2 base APKs of this app ({}, {})",
            tmp.path().join("z/slice_0.apk").display(),
            x.display(),
            y.display()
        )),
        "{stderr}"
    );
}

#[test]
fn sarif_lists_every_apk_file_of_the_set_and_results_point_at_the_base() {
    let Some(dir) = set_dir() else { return };
    let (_, report) = scan_json(&[dir.as_os_str()]);
    let members = report["targets"][0]["facts"]["android"]["apk_files"]
        .as_array()
        .expect("apk_files")
        .clone();
    assert_eq!(members.len(), 12);
    let out = common::run_msgaudit([
        "scan".as_ref(),
        "--format".as_ref(),
        "sarif".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
        dir.as_os_str(),
    ]);
    let log: Value = serde_json::from_slice(&out.stdout).expect("SARIF JSON");
    common::assert_valid_sarif(&log);
    let run = &log["runs"][0];
    let artifacts = run["artifacts"].as_array().expect("artifacts");
    assert_eq!(
        artifacts.len(),
        12,
        "one artifact per APK file: {artifacts:#?}"
    );
    for (artifact, member) in artifacts.iter().zip(&members) {
        let name = member["path"]
            .as_str()
            .and_then(|p| p.rsplit('/').next())
            .expect("a path");
        let uri = artifact["location"]["uri"].as_str().unwrap_or_default();
        assert!(uri.ends_with(&format!("/{name}")), "{uri} is {name}");
        assert_eq!(artifact["length"], member["size"], "{name}");
        assert_eq!(artifact["hashes"]["sha-256"], member["sha256"], "{name}");
        assert_eq!(artifact["roles"], serde_json::json!(["analysisTarget"]));
    }
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for r in results {
        let location = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(location["index"], 0, "at the base: {r:#}");
        assert!(location["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/app-debug.apk")));
    }
}
