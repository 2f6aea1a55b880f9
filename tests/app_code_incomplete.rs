//! Missing or unread app code never makes a verdict better.
//!
//! An APK whose manifest declares code but holds no `classes.dex`, and an IPA
//! without its main executable, are built at test time from the sample apps.
//! Their code facts are incomplete (with a warning naming the file), the
//! checks whose pass rests on finding nothing in the code are undecided, the
//! verdict is no better than the complete app's, a DEX file over
//! `--max-strings` leaves APP-05 undecided too, and `diff` counts nothing the
//! unread code might hide as an improvement (docs/checks.md, "Code not
//! completely read"; docs/workflows.md).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::run_msgaudit;
use msgaudit::archive::Archive;
use msgaudit::limits::Limits;
use serde_json::Value;

const AS_OF: &str = "2026-12-05";
const LEAKYCHAT: &str = "android/out/leakychat-2.3.apk";
const LEAKYCHAT_SET: &str = "android/out/leakychat-2.3.apks";
const SECURECHAT_IPA: &str = "ios/SecureChat.ipa";
const SECURECHAT_EXE: &str = "Payload/SecureChat.app/SecureChat";

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(rel)
}

/// The entries of the zip `bytes` other than `drop` (directories left out),
/// as a new zip.
fn zip_without(bytes: &[u8], drop: &str) -> Vec<u8> {
    let archive = Archive::new(bytes, Limits::default()).unwrap();
    assert!(archive.contains(drop), "{drop} is in the original");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, e) in archive.entries().iter().enumerate() {
        if e.is_dir || e.name == drop {
            continue;
        }
        out.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&archive.read_index(i).unwrap()).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Writes `sample` without the entry `drop` into `dir` as `name`.
fn copy_without(dir: &Path, sample_rel: &str, drop: &str, name: &str) -> PathBuf {
    let bytes = std::fs::read(sample(sample_rel)).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, zip_without(&bytes, drop)).unwrap();
    path
}

/// `msgaudit facts FILE` as JSON.
fn facts(path: &Path) -> Value {
    let out = run_msgaudit([Path::new("facts"), path]);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "facts {}: {e}; stderr: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn warning_codes(facts: &Value) -> Vec<&str> {
    facts["warning_details"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w["code"].as_str()).collect())
        .unwrap_or_default()
}

/// `msgaudit scan --format json --as-of AS_OF ARGS…`: exit code and report.
fn scan_json<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> (i32, Value) {
    let mut all: Vec<std::ffi::OsString> = ["scan", "--format", "json", "--as-of", AS_OF]
        .iter()
        .map(Into::into)
        .collect();
    all.extend(args.iter().map(|a| a.as_ref().to_os_string()));
    let out = run_msgaudit(&all);
    let report = common::json(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "scan {all:?} printed no JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// `msgaudit scan --format FORMAT --lang LANG --as-of AS_OF FILE`: the output.
fn scan_text(format: &str, lang: &str, extra: &[&str], path: &Path) -> String {
    let mut args: Vec<std::ffi::OsString> =
        ["scan", "--format", format, "--lang", lang, "--as-of", AS_OF]
            .iter()
            .map(Into::into)
            .collect();
    args.extend(extra.iter().map(Into::into));
    args.push(path.into());
    String::from_utf8_lossy(&run_msgaudit(&args).stdout).into_owned()
}

/// The one target's result for `check`.
fn result<'a>(report: &'a Value, check: &str) -> &'a Value {
    report["targets"][0]["results"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["check"] == check))
        .unwrap_or_else(|| panic!("no result for {check}: {report}"))
}

fn outcome<'a>(report: &'a Value, check: &str) -> &'a str {
    result(report, check)["outcome"].as_str().unwrap()
}

fn verdict(report: &Value) -> &str {
    report["targets"][0]["verdict"].as_str().unwrap()
}

/// Verdicts from best to worst (an `error` is the worst: nothing decided).
fn rank(verdict: &str) -> usize {
    ["compliant", "incomplete", "not_compliant", "error"]
        .iter()
        .position(|v| *v == verdict)
        .unwrap_or_else(|| panic!("unknown verdict {verdict}"))
}

const UNDECIDED_EN: &str = "Could not be decided: the app's code was not completely read";
const UNDECIDED_DE: &str = "Nicht entscheidbar: Der Code der App wurde nicht vollständig gelesen";

#[test]
fn an_apk_declaring_code_without_classes_dex_has_incomplete_code_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let nodex = copy_without(dir.path(), LEAKYCHAT, "classes.dex", "lc-nodex.apk");

    let original = facts(&sample(LEAKYCHAT));
    assert_eq!(original["android"]["code"]["complete"], true);
    assert!(!warning_codes(&original).contains(&"apk.dex.missing"));

    let f = facts(&nodex);
    assert_eq!(f["android"]["dex"]["files"], serde_json::json!([]));
    // The manifest still names Crashlytics; the code it would run is not there.
    assert_eq!(
        f["android"]["meta_data"]["firebase_crashlytics_collection_enabled"]["value"],
        "true"
    );
    assert_eq!(f["android"]["application"]["has_code"], Value::Null);
    assert_eq!(
        f["android"]["code"]["complete"], false,
        "no classes.dex: the code was not read"
    );
    assert_eq!(
        f["unread"],
        serde_json::json!([]),
        "a warning, not an error"
    );
    let w = f["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "apk.dex.missing")
        .unwrap_or_else(|| panic!("no apk.dex.missing warning: {f}"));
    let (en, de) = (w["en"].as_str().unwrap(), w["de"].as_str().unwrap());
    assert!(
        en.starts_with("classes.dex is missing") && en.contains("android:hasCode is absent"),
        "{en}"
    );
    assert!(
        de.starts_with("classes.dex fehlt") && de.contains("android:hasCode ist nicht gesetzt"),
        "{de}"
    );
    assert_eq!(f["warnings"][0], w["en"], "the English text is the warning");

    // The report shows it with its code, in the report's language.
    let table = scan_text("table", "de", &[], &nodex);
    assert!(
        table.contains("classes.dex fehlt") && table.contains("[apk.dex.missing]"),
        "{table}"
    );
}

#[test]
fn an_apk_with_has_code_false_needs_no_dex() {
    // LeakyChat's config split (hasCode="false", resources only), read alone.
    let set = std::fs::read(sample(LEAKYCHAT_SET)).unwrap();
    let archive = Archive::new(&set, Limits::default()).unwrap();
    let split = archive.read("splits/base-xxhdpi.apk").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base-xxhdpi.apk");
    std::fs::write(&path, &split[..]).unwrap();
    let f = facts(&path);
    assert_eq!(f["android"]["application"]["has_code"], false);
    assert_eq!(f["android"]["dex"]["files"], serde_json::json!([]));
    assert_eq!(f["android"]["code"]["complete"], true, "{f}");
    assert!(warning_codes(&f).is_empty(), "{f}");

    // The set: the base holds the code, the split declares none.
    let f = facts(&sample(LEAKYCHAT_SET));
    assert_eq!(f["android"]["code"]["complete"], true);
    assert!(!warning_codes(&f).contains(&"apk.dex.missing"), "{f}");
}

/// APP-05 on the DEX-less copy is undecided, not „Erfüllt“, in every
/// format, and the verdict is no better than the complete app's.
fn assert_dexless_apk_is_no_better(original: &Path, nodex: &Path) {
    let (orig_code, orig) = scan_json(&[original]);
    let (code, report) = scan_json(&[nodex]);
    assert_eq!(outcome(&orig, "APP-05-crash-default-off"), "fail");
    let app05 = result(&report, "APP-05-crash-default-off");
    assert_eq!(app05["outcome"], "warn", "{app05}");
    assert!(
        app05["message"]["en"]
            .as_str()
            .unwrap()
            .starts_with(UNDECIDED_EN),
        "{app05}"
    );
    assert!(
        app05["evidence"]
            .to_string()
            .contains("android.code.complete = false"),
        "{app05}"
    );
    assert!(rank(verdict(&report)) >= rank(verdict(&orig)), "{report}");
    assert_eq!(verdict(&report), "not_compliant");
    assert!(code >= orig_code && code != 0);
    // Every check that needs the code to pass is undecided or worse.
    for check in ["APP-12-privacy-defaults", "COM-06-no-advertising-tracking"] {
        assert_ne!(outcome(&report, check), "pass", "{check}");
    }

    // German table (cells wrap: the row's first line) and CSV.
    let de = scan_text("table", "de", &[], nodex);
    let row = de.lines().find(|l| l.contains("APP-05 (Muss)")).unwrap();
    assert!(row.contains("Warnung") && !row.contains("Erfüllt"), "{row}");
    assert!(
        !de.contains("Kein bekanntes SDK eines Dritten für Absturzberichte"),
        "{de}"
    );
    let csv = scan_text("csv", "de", &[], nodex);
    let row = csv
        .lines()
        .find(|l| l.contains("APP-05-crash-default-off"))
        .unwrap();
    assert!(
        row.contains(";Warnung;") && !row.contains(";Erfüllt;"),
        "{row}"
    );
    assert!(row.contains(UNDECIDED_DE), "{row}");
}

#[test]
fn a_dexless_apk_does_not_pass_app05() {
    let dir = tempfile::tempdir().unwrap();
    let nodex = copy_without(dir.path(), LEAKYCHAT, "classes.dex", "lc-nodex.apk");
    assert_dexless_apk_is_no_better(&sample(LEAKYCHAT), &nodex);
}

/// Re-signed with the samples' throwaway key (v1–v3, as `build.sh` signs),
/// so that the missing DEX is the only trick: the same.
#[test]
fn a_resigned_dexless_apk_does_not_pass_app05() {
    if !common::tool_available("apksigner") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(sample(LEAKYCHAT)).unwrap();
    // Without classes.dex and without the old v1 signature files.
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, e) in archive.entries().iter().enumerate() {
        if e.is_dir || e.name == "classes.dex" || e.name.starts_with("META-INF/") {
            continue;
        }
        out.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&archive.read_index(i).unwrap()).unwrap();
    }
    let unsigned = dir.path().join("unsigned.apk");
    std::fs::write(&unsigned, out.finish().unwrap().into_inner()).unwrap();
    let signed = dir.path().join("lc-nodex-signed.apk");
    let status = Command::new("apksigner")
        .args(["sign", "--ks"])
        .arg(sample("android/keystore/msgaudit-samples.p12"))
        .args([
            "--ks-pass",
            "pass:msgaudit-samples",
            "--key-pass",
            "pass:msgaudit-samples",
            "--ks-key-alias",
            "samples",
            "--v1-signing-enabled",
            "true",
            "--v2-signing-enabled",
            "true",
            "--v3-signing-enabled",
            "true",
            "--out",
        ])
        .arg(&signed)
        .arg(&unsigned)
        .status()
        .unwrap();
    assert!(status.success(), "apksigner sign");
    let f = facts(&signed);
    assert_eq!(
        f["android"]["signing"]["schemes"],
        serde_json::json!(["v1", "v2", "v3"])
    );
    assert_eq!(f["android"]["code"]["complete"], false);
    assert!(warning_codes(&f).contains(&"apk.dex.missing"));
    assert_dexless_apk_is_no_better(&sample(LEAKYCHAT), &signed);
}

/// The SecureChat sample answers, bound to the IPA (com.example.securechat
/// 1.2.0), plus the iOS backup answer: the complete IPA is compliant.
fn ipa_answers(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(sample("answers/securechat.toml"))
        .unwrap()
        .replace("org.example.securechat", "com.example.securechat")
        .replace("version = \"1.0\"", "version = \"1.2.0\"");
    let text = format!(
        "{text}\n[[answer]]\ncheck = \"PLT-03-backup-encrypted\"\ntarget = \"com.example.securechat\"\nversion = \"1.2.0\"\noutcome = \"pass\"\nby = \"A. Beispiel (fictional)\"\ndate = \"2026-11-20\"\nnote = \"Message store excluded from backups.\"\n"
    );
    let path = dir.join("answers.toml");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn an_ipa_without_its_main_executable_is_not_compliant() {
    let dir = tempfile::tempdir().unwrap();
    let noexe = copy_without(dir.path(), SECURECHAT_IPA, SECURECHAT_EXE, "sc-noexe.ipa");
    let answers = ipa_answers(dir.path());

    let f = facts(&noexe);
    assert!(warning_codes(&f).contains(&"ipa.executable.missing"), "{f}");
    // No binary read at all: incomplete code facts, not `null`.
    assert_eq!(f["ios"]["code"]["complete"], false, "{f}");
    assert_eq!(f["ios"]["code"]["binaries"], serde_json::json!([]));

    let (orig_code, orig) = scan_json(&[
        sample(SECURECHAT_IPA).as_os_str(),
        "--answers".as_ref(),
        answers.as_os_str(),
    ]);
    assert_eq!(
        (orig_code, verdict(&orig)),
        (0, "compliant"),
        "the complete IPA with its answers: {orig}"
    );
    let (code, report) = scan_json(&[noexe.as_os_str(), "--answers".as_ref(), answers.as_os_str()]);
    assert_ne!(verdict(&report), "compliant", "{report}");
    assert!(rank(verdict(&report)) > rank(verdict(&orig)));
    assert_ne!(code, 0);
    for check in [
        "APP-03-contacts-separate",
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
    ] {
        let r = result(&report, check);
        assert_eq!(r["outcome"], "warn", "{check}: {r}");
        assert!(
            r["message"]["de"]
                .as_str()
                .unwrap()
                .starts_with(UNDECIDED_DE),
            "{check}: {r}"
        );
        assert!(
            r["evidence"]
                .to_string()
                .contains("ios.code.complete = false"),
            "{r}"
        );
    }
    // An auditor's answer still decides what the files could not (COM-06's
    // server side): it is shown as attested, not as an automatic pass.
    let com06 = result(&report, "COM-06-no-advertising-tracking");
    assert_eq!(com06["attested"], true, "{com06}");
}

#[test]
fn a_dex_over_max_strings_leaves_app05_undecided() {
    let path = sample(LEAKYCHAT);
    let (code, report) = scan_json(&["--max-strings".as_ref(), "60".as_ref(), path.as_os_str()]);
    assert_eq!(code, 4, "unread DEX: the target is an error");
    assert_eq!(verdict(&report), "error");
    assert_eq!(
        report["targets"][0]["facts"]["android"]["code"]["complete"],
        false
    );
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "warn");
    // The row says „Warnung“, never „Erfüllt“ (table: the row's first line).
    let de = scan_text("table", "de", &["--max-strings", "60"], &path);
    let row = de.lines().find(|l| l.contains("APP-05 (Muss)")).unwrap();
    assert!(row.contains("Warnung") && !row.contains("Erfüllt"), "{row}");
    let csv = scan_text("csv", "de", &["--max-strings", "60"], &path);
    let row = csv
        .lines()
        .find(|l| l.contains("APP-05-crash-default-off"))
        .unwrap();
    assert!(
        row.contains(";Warnung;") && !row.contains(";Erfüllt;"),
        "{row}"
    );
    assert!(row.contains(UNDECIDED_DE), "{row}");
}

#[test]
fn facts_written_before_code_was_read_are_judged_as_before() {
    // A facts document without `android.code` does not say whether the
    // code was read: the checks judge it as before (docs/checks.md).
    let dir = tempfile::tempdir().unwrap();
    let nodex = copy_without(dir.path(), LEAKYCHAT, "classes.dex", "lc-nodex.apk");
    let mut f = facts(&nodex);
    let (_, report) = scan_json(&[nodex.as_os_str()]);
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "warn");
    f["android"].as_object_mut().unwrap().remove("code");
    let old = dir.path().join("old.facts.json");
    std::fs::write(&old, serde_json::to_vec(&f).unwrap()).unwrap();
    let (_, report) = scan_json(&[old.as_os_str()]);
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "pass");
}

#[test]
fn diff_counts_nothing_the_unread_code_may_hide_as_an_improvement() {
    let dir = tempfile::tempdir().unwrap();
    let nodex = copy_without(dir.path(), LEAKYCHAT, "classes.dex", "lc-nodex.apk");
    let saved = dir.path().join("lc.json");
    let out = run_msgaudit([
        "scan".as_ref(),
        "--as-of".as_ref(),
        AS_OF.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        saved.as_os_str(),
        sample(LEAKYCHAT).as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1), "LeakyChat is not compliant");

    let diff = |format: &str, lang: &str| {
        run_msgaudit([
            "diff".as_ref(),
            "--as-of".as_ref(),
            AS_OF.as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "--lang".as_ref(),
            lang.as_ref(),
            saved.as_os_str(),
            nodex.as_os_str(),
        ])
    };
    let out = diff("json", "en");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the update cannot be judged: hold it back"
    );
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["regression"], true);
    let changes = d["changes"].as_array().unwrap();
    assert!(
        changes.iter().all(|c| c["severity"] != "improvement"),
        "{changes:#?}"
    );
    let removed: Vec<&Value> = changes
        .iter()
        .filter(|c| c["kind"] == "sdk_removed")
        .collect();
    assert!(
        removed
            .iter()
            .any(|c| c["subject"] == "firebase-crashlytics"),
        "{changes:#?}"
    );
    for c in &removed {
        assert_eq!(c["severity"], "info", "{c}");
        assert!(
            c["detail"]["en"]
                .as_str()
                .unwrap()
                .contains("cannot be judged"),
            "{c}"
        );
        assert!(
            c["detail"]["de"]
                .as_str()
                .unwrap()
                .contains("nicht beurteilbar"),
            "{c}"
        );
    }
    assert!(
        changes.iter().any(|c| c["kind"] == "setting_changed"
            && c["subject"] == "android.code.complete"
            && c["severity"] == "regression"),
        "{changes:#?}"
    );

    let de = String::from_utf8_lossy(&diff("table", "de").stdout).into_owned();
    assert!(!de.contains("Keine Verschlechterung gefunden"), "{de}");
    assert!(de.contains("nicht beurteilbar"), "{de}");

    // The complete app against its own report: nothing changed, as before.
    let out = run_msgaudit([
        "diff".as_ref(),
        "--as-of".as_ref(),
        AS_OF.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        saved.as_os_str(),
        sample(LEAKYCHAT).as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let d: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d["changes"], serde_json::json!([]));
}

#[test]
fn corpus_apks_without_dex_read_as_the_platform_reads() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    // An F-Droid test APK without any DEX; its manifest has no hasCode.
    let fallingblocks = corpus.join("android/apk/fdroidserver/org.sajeg.fallingblocks_3.apk");
    // The framework resource APK: hasCode="false".
    let framework = corpus.join("android/apk/apktool/framework.apk");
    if !fallingblocks.is_file() || !framework.is_file() {
        eprintln!("skipped: corpus files missing");
        return;
    }
    let f = facts(&fallingblocks);
    assert_eq!(f["android"]["application"]["has_code"], Value::Null);
    assert_eq!(f["android"]["code"]["complete"], false);
    assert!(warning_codes(&f).contains(&"apk.dex.missing"));
    let (_, report) = scan_json(&[fallingblocks.as_os_str()]);
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "warn");

    let f = facts(&framework);
    assert_eq!(f["android"]["application"]["has_code"], false);
    assert_eq!(f["android"]["code"]["complete"], true);
    assert!(!warning_codes(&f).contains(&"apk.dex.missing"));
}
