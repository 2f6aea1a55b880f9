//! Missing or unread app code never makes a verdict better.
//!
//! An APK whose manifest declares code but holds no `classes.dex`, and an IPA
//! without the main executable its Info.plist names, are built at test time
//! from the sample apps. Both are refused, as Android and iOS refuse to
//! install them: the missing file is an unread entry naming the cause, the
//! target an error (exit 4) in every format. An IPA whose executable is only
//! guessed (no CFBundleExecutable) and missing has incomplete code facts
//! (with a warning naming the file): the checks whose pass rests on finding
//! nothing in the code are undecided, and its verdict is no better than the
//! complete app's. A DEX file over `--max-strings` leaves APP-05 undecided
//! too, and `diff` counts nothing the unread code might hide as an
//! improvement (docs/checks.md, "Code not completely read";
//! docs/workflows.md).

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

/// The zip `bytes` rewritten entry by entry (directories left out): `edit`
/// gets each entry's name and bytes and gives the bytes to write, or `None`
/// to leave the entry out.
fn rezip(bytes: &[u8], mut edit: impl FnMut(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    let archive = Archive::new(bytes, Limits::default()).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (i, e) in archive.entries().iter().enumerate() {
        if e.is_dir {
            continue;
        }
        let Some(data) = edit(&e.name, archive.read_index(i).unwrap().to_vec()) else {
            continue;
        };
        out.start_file(e.name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// The entries of the zip `bytes` other than `drop` (directories left out),
/// as a new zip.
fn zip_without(bytes: &[u8], drop: &str) -> Vec<u8> {
    let archive = Archive::new(bytes, Limits::default()).unwrap();
    assert!(archive.contains(drop), "{drop} is in the original");
    rezip(bytes, |name, data| (name != drop).then_some(data))
}

/// Writes `sample` without the entry `drop` into `dir` as `name`.
fn copy_without(dir: &Path, sample_rel: &str, drop: &str, name: &str) -> PathBuf {
    let bytes = std::fs::read(sample(sample_rel)).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, zip_without(&bytes, drop)).unwrap();
    path
}

/// SecureChat's IPA without its main executable and with Info.plist
/// without `CFBundleExecutable`: msgaudit can only guess the executable's
/// name, so nothing proves it missing (a warning, incomplete code facts).
fn ipa_without_named_executable(dir: &Path) -> PathBuf {
    let bytes = std::fs::read(sample(SECURECHAT_IPA)).unwrap();
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let info_name = "Payload/SecureChat.app/Info.plist";
    let mut info: plist::Dictionary = plist::from_bytes(&archive.read(info_name).unwrap()).unwrap();
    assert!(info.remove("CFBundleExecutable").is_some());
    let mut info_bytes = Vec::new();
    plist::to_writer_binary(&mut info_bytes, &info).unwrap();
    let patched = rezip(&bytes, |name, data| match name {
        SECURECHAT_EXE => None,
        n if n == info_name => Some(info_bytes.clone()),
        _ => Some(data),
    });
    let path = dir.join("sc-guessed.ipa");
    std::fs::write(&path, patched).unwrap();
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

const UNDECIDED_EN: &str = "Could not be decided: the app's code was not completely read";
const UNDECIDED_DE: &str = "Nicht entscheidbar: Der Code der App wurde nicht vollständig gelesen";

const REFUSED_EN: &str = "the manifest declares code (android:hasCode is absent, so true), but the APK holds no classes.dex: Android refuses to install it (\"code is missing\")";
const REFUSED_DE: &str = "Das Manifest gibt Code an (android:hasCode ist nicht gesetzt, gilt also als true), die APK enthält aber keine classes.dex: Android verweigert die Installation („code is missing“)";

#[test]
fn an_apk_declaring_code_without_classes_dex_is_an_error_as_android_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let nodex = copy_without(dir.path(), LEAKYCHAT, "classes.dex", "lc-nodex.apk");

    let original = facts(&sample(LEAKYCHAT));
    assert_eq!(original["android"]["code"]["complete"], true);

    let out = run_msgaudit([Path::new("facts"), &nodex]);
    assert_eq!(out.status.code(), Some(4), "facts refuses it");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(REFUSED_EN), "{err}");
    assert_dexless_apk_is_refused(&nodex);
}
#[test]
fn an_apk_with_has_code_false_needs_no_dex() {
    // LeakyChat's config split (hasCode="false", resources only), read
    // alone as an APK's parts: no classes.dex is required, none is unread.
    let set = std::fs::read(sample(LEAKYCHAT_SET)).unwrap();
    let archive = Archive::new(&set, Limits::default()).unwrap();
    let split = archive.read("splits/base-xxhdpi.apk").unwrap();
    let split_archive = Archive::new(&split, Limits::default()).unwrap();
    let mut problems = msgaudit::extract::problems::Problems::default();
    let parts = msgaudit::extract::android::read_apk_parts(
        &split_archive,
        "",
        &msgaudit::extract::ExtractOptions::default(),
        &mut problems,
    )
    .unwrap();
    assert_eq!(parts.manifest.facts.application.has_code, Some(false));
    assert!(parts.dex.facts.files.is_empty());
    assert!(problems.unread.is_empty(), "{:?}", problems.unread);
    assert!(problems.warnings.is_empty(), "{:?}", problems.warnings);
    // As a file of its own it is a split without its base: refused, as
    // Android refuses to install it (tests/loose_splits.rs).
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base-xxhdpi.apk");
    std::fs::write(&path, &split[..]).unwrap();
    let out = run_msgaudit(["facts".as_ref(), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("Android installs a split only together with its base APK"));

    // The set: the base holds the code, the split declares none.
    let f = facts(&sample(LEAKYCHAT_SET));
    assert_eq!(f["android"]["code"]["complete"], true);
    assert!(!warning_codes(&f).contains(&"apk.dex.missing"), "{f}");
}

/// The DEX-less copy is an error target in every format, naming why, and
/// no check passes on it: exit 4, as for any app that cannot be read.
fn assert_dexless_apk_is_refused(nodex: &Path) {
    let (code, report) = scan_json(&[nodex]);
    assert_eq!(code, 4, "{report}");
    assert_eq!(verdict(&report), "error");
    let target = &report["targets"][0];
    assert!(
        target.to_string().contains("holds no classes.dex"),
        "{target}"
    );
    // The results are shown for information only; none that needs the code
    // to pass says „Erfüllt“.
    for check in [
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
        "COM-06-no-advertising-tracking",
    ] {
        assert_ne!(outcome(&report, check), "pass", "{check}");
    }
    let de = scan_text("table", "de", &[], nodex);
    assert!(de.contains("Nicht lesbar"), "{de}");
    let flat = de.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(REFUSED_DE), "{flat}");
    let csv = scan_text("csv", "de", &[], nodex);
    assert!(
        csv.contains("Nicht lesbar") && csv.contains(REFUSED_DE),
        "{csv}"
    );
    let row = csv
        .lines()
        .find(|l| l.contains("APP-05-crash-default-off"))
        .unwrap();
    assert!(!row.contains(";Erfüllt;"), "{row}");
}

/// Re-signed with the samples' throwaway key (v1–v3, as `build.sh` signs),
/// so that the missing DEX is the only trick: apksigner verifies it, Android
/// still refuses to install it, and so does msgaudit.
#[test]
fn a_resigned_dexless_apk_is_refused() {
    if !common::tool_available("apksigner") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(sample(LEAKYCHAT)).unwrap();
    // Without classes.dex and without the old v1 signature files.
    let stripped = rezip(&bytes, |name, data| {
        (name != "classes.dex" && !name.starts_with("META-INF/")).then_some(data)
    });
    let unsigned = dir.path().join("unsigned.apk");
    std::fs::write(&unsigned, stripped).unwrap();
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
    let verify = Command::new("apksigner")
        .arg("verify")
        .arg(&signed)
        .status()
        .unwrap();
    assert!(verify.success(), "apksigner verifies the re-signed copy");
    assert_dexless_apk_is_refused(&signed);
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

const EXE_REFUSED_EN: &str = "Info.plist names the main executable \"SecureChat\" (CFBundleExecutable), but the bundle does not hold it: iOS refuses to install the app";
const EXE_REFUSED_DE: &str = "Die Info.plist nennt die ausführbare Hauptdatei „SecureChat“ (CFBundleExecutable), das Bundle enthält sie aber nicht: iOS verweigert die Installation";

#[test]
fn an_ipa_without_the_executable_its_info_plist_names_is_an_error_as_ios_refuses_it() {
    let dir = tempfile::tempdir().unwrap();
    let noexe = copy_without(dir.path(), SECURECHAT_IPA, SECURECHAT_EXE, "sc-noexe.ipa");
    let answers = ipa_answers(dir.path());

    // The name is not guessed, so no warning about it; no binary read at
    // all: incomplete code facts, not `null`.
    let f = facts(&noexe);
    assert!(
        !warning_codes(&f).contains(&"ipa.executable.missing"),
        "{f}"
    );
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
    assert_ipa_refused(
        &noexe,
        SECURECHAT_EXE,
        (EXE_REFUSED_EN, EXE_REFUSED_DE),
        true,
    );
}

/// The results of checks whose pass rests on finding nothing in the code
/// (APP-03, APP-05, APP-12), each asserted to be the warning „Nicht
/// entscheidbar: Der Code der App wurde nicht vollständig gelesen …“.
fn code_checks_undecided(report: &Value) -> Vec<&Value> {
    [
        "APP-03-contacts-separate",
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
    ]
    .into_iter()
    .map(|check| {
        let r = result(report, check);
        assert_eq!(r["outcome"], "warn", "{check}: {r}");
        let de = r["message"]["de"].as_str().unwrap();
        assert!(de.starts_with(UNDECIDED_DE), "{check}: {r}");
        r
    })
    .collect()
}

const UNNAMED_EN: &str = "Info.plist names no main executable (CFBundleExecutable is missing or empty): iOS refuses to install the app (\"missing or invalid CFBundleExecutable\")";
const UNNAMED_DE: &str = "Die Info.plist nennt keine ausführbare Hauptdatei (CFBundleExecutable fehlt oder ist leer): iOS verweigert die Installation („missing or invalid CFBundleExecutable“)";
const NO_INFO_EN: &str = "the app bundle holds no Info.plist: iOS refuses to install the app (\"Failed to load Info.plist from bundle\")";
const NO_INFO_DE: &str = "Das App-Bundle enthält keine Info.plist: iOS verweigert die Installation („Failed to load Info.plist from bundle“)";

/// A refused IPA `path` whose only unread entry is `entry` for `en`: `facts`
/// and `scan` exit 4 in every format and language, the target is an error
/// (also with every answer), and the German reports give the reason in
/// German (`de`) and no English. With `code_unread`, no check that needs
/// the code passes.
fn assert_ipa_refused(path: &Path, entry: &str, (en, de): (&str, &str), code_unread: bool) {
    let dir = tempfile::tempdir().unwrap();
    let answers = ipa_answers(dir.path());
    let out = run_msgaudit([Path::new("facts"), path]);
    assert_eq!(out.status.code(), Some(4), "facts refuses it");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(en), "{err}");
    let f: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        f["unread"],
        serde_json::json!([{"entry": entry, "kind": "damage", "reason": en}]),
        "{f}"
    );
    let (code, report) = scan_json(&[path.as_os_str(), "--answers".as_ref(), answers.as_os_str()]);
    assert_eq!((code, verdict(&report)), (4, "error"), "{report}");
    for check in [
        "APP-03-contacts-separate",
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
    ] {
        assert!(!code_unread || outcome(&report, check) != "pass", "{check}");
    }
    for format in ["table", "json", "csv", "sarif", "md", "html"] {
        for lang in ["en", "de"] {
            let out = run_msgaudit(
                ["scan", "--format", format, "--lang", lang, "--as-of", AS_OF]
                    .iter()
                    .map(std::ffi::OsStr::new)
                    .chain([path.as_os_str()]),
            );
            assert_eq!(out.status.code(), Some(4), "{format} {lang}");
        }
    }
    for format in ["table", "csv", "md", "html"] {
        let text = scan_text(format, "de", &[], path);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("Nicht lesbar"), "{format}: {flat}");
        assert!(flat.contains(de), "{format}: {flat}");
        assert!(!flat.contains("refuses to install"), "{format}: {flat}");
    }
    let text = scan_text("table", "en", &[], path);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(en), "{flat}");
}

#[test]
fn an_ipa_whose_info_plist_names_no_executable_is_an_error_as_ios_refuses_it() {
    // installd: "Bundle at path … has missing or invalid CFBundleExecutable
    // in its Info.plist" (MIInstallerErrorDomain 11).
    let dir = tempfile::tempdir().unwrap();
    let guessed = ipa_without_named_executable(dir.path());
    // The executable's name is only guessed, and it is missing too: the
    // code facts stay incomplete and say so.
    let f = facts(&guessed);
    assert!(warning_codes(&f).contains(&"ipa.executable.missing"), "{f}");
    assert_eq!(f["ios"]["code"]["complete"], false, "{f}");
    assert_ipa_refused(
        &guessed,
        "Payload/SecureChat.app/Info.plist",
        (UNNAMED_EN, UNNAMED_DE),
        true,
    );
}

#[test]
fn an_ipa_without_info_plist_is_an_error_as_ios_refuses_it() {
    // installd: "Failed to load Info.plist from bundle at path …"
    // (MIInstallerErrorDomain 35, PackageInspectionFailed).
    let dir = tempfile::tempdir().unwrap();
    let path = copy_without(
        dir.path(),
        SECURECHAT_IPA,
        "Payload/SecureChat.app/Info.plist",
        "sc-noinfo.ipa",
    );
    let f = facts(&path);
    assert!(warning_codes(&f).contains(&"ipa.info-plist.missing"), "{f}");
    // The executable (its name guessed from the bundle's) is read: the
    // results, shown for information only, rest on it alone.
    assert_ipa_refused(
        &path,
        "Payload/SecureChat.app/Info.plist",
        (NO_INFO_EN, NO_INFO_DE),
        false,
    );
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
    let app05 = result(&report, "APP-05-crash-default-off");
    assert!(
        app05["message"]["en"]
            .as_str()
            .unwrap()
            .starts_with(UNDECIDED_EN),
        "{app05}"
    );
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
    // A facts document without `ios.code` does not say whether the code
    // was read: the checks judge it as before (docs/checks.md).
    let dir = tempfile::tempdir().unwrap();
    let noexe = ipa_without_named_executable(dir.path());
    let mut f = facts(&noexe);
    let (_, report) = scan_json(&[noexe.as_os_str()]);
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "warn");
    f["ios"].as_object_mut().unwrap().remove("code");
    let old = dir.path().join("old.facts.json");
    std::fs::write(&old, serde_json::to_vec(&f).unwrap()).unwrap();
    let (_, report) = scan_json(&[old.as_os_str()]);
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "pass");
}

#[test]
fn diff_counts_nothing_the_unread_code_may_hide_as_an_improvement() {
    let dir = tempfile::tempdir().unwrap();
    // A new version whose code is not completely read (FairPlay-encrypted,
    // as the App Store hands it out) but that iOS installs.
    let noexe = dir.path().join("sc-appstore.ipa");
    let bytes = std::fs::read(sample(SECURECHAT_IPA)).unwrap();
    std::fs::write(&noexe, ipa_encrypted(&bytes, SECURECHAT_EXE)).unwrap();
    let refused = copy_without(dir.path(), SECURECHAT_IPA, SECURECHAT_EXE, "sc-noexe.ipa");
    let saved = dir.path().join("sc.json");
    let out = run_msgaudit([
        "scan".as_ref(),
        "--as-of".as_ref(),
        AS_OF.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        saved.as_os_str(),
        sample(SECURECHAT_IPA).as_os_str(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let diff = |format: &str, lang: &str, new: &Path| {
        run_msgaudit([
            "diff".as_ref(),
            "--as-of".as_ref(),
            AS_OF.as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            "--lang".as_ref(),
            lang.as_ref(),
            saved.as_os_str(),
            new.as_os_str(),
        ])
    };
    let out = diff("json", "en", &noexe);
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
    assert!(
        changes.iter().any(|c| c["kind"] == "setting_changed"
            && c["subject"]
                .as_str()
                .is_some_and(|s| s.starts_with("ios.code"))
            && c["severity"] == "regression"),
        "{changes:#?}"
    );
    // Whatever went from worse to undecided cannot be judged, in both languages.
    for c in changes.iter().filter(|c| c["severity"] == "info") {
        let (en, de) = (c["detail"]["en"].to_string(), c["detail"]["de"].to_string());
        if en.contains("cannot be judged") {
            assert!(de.contains("nicht beurteilbar"), "{c}");
        }
    }

    let de = String::from_utf8_lossy(&diff("table", "de", &noexe).stdout).into_owned();
    assert!(!de.contains("Keine Verschlechterung gefunden"), "{de}");

    // A new version iOS refuses to install is not compared: exit 4, why.
    let out = diff("table", "de", &refused);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(EXE_REFUSED_DE), "{err}");

    // The complete app against its own report: nothing changed, as before.
    let out = diff("json", "en", &sample(SECURECHAT_IPA));
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
    let (code, report) = scan_json(&[fallingblocks.as_os_str()]);
    assert_eq!((code, verdict(&report)), (4, "error"), "{report}");
    assert!(
        report["targets"][0]
            .to_string()
            .contains("holds no classes.dex: Android refuses to install it"),
        "{report}"
    );

    let f = facts(&framework);
    assert_eq!(f["android"]["application"]["has_code"], false);
    assert_eq!(f["android"]["code"]["complete"], true);
}

#[test]
fn corpus_ipas_without_their_named_executable_read_as_the_platform_reads() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    // fdroidserver's test IPA: Info.plist names OnionShare, which is absent.
    let ipa = corpus.join("ios/ipa/fdroidserver-com.fake.IpaApp_1000000000001.ipa");
    if !ipa.is_file() {
        eprintln!("skipped: corpus file missing");
        return;
    }
    let (code, report) = scan_json(&[ipa.as_os_str()]);
    assert_eq!((code, verdict(&report)), (4, "error"), "{report}");
    let unread = &report["targets"][0]["facts"]["unread"];
    assert_eq!(
        unread[0]["entry"], "Payload/IpaApp.app/OnionShare",
        "{unread}"
    );
    assert!(
        unread[0]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("iOS refuses to install the app")),
        "{unread}"
    );
}

#[test]
fn corpus_ipas_without_info_plist_read_as_the_platform_reads() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    // fastlane's gym fixtures: a Payload/Client.app without Info.plist.
    for name in [
        "fastlane-gym-with_no_swift.ipa",
        "fastlane-gym-with_swift_twice.ipa",
    ] {
        let ipa = corpus.join("ios/ipa").join(name);
        if !ipa.is_file() {
            eprintln!("skipped: corpus file {name} missing");
            continue;
        }
        let (code, report) = scan_json(&[ipa.as_os_str()]);
        assert_eq!((code, verdict(&report)), (4, "error"), "{name}: {report}");
        let unread = &report["targets"][0]["facts"]["unread"];
        assert_eq!(
            unread,
            &serde_json::json!([{"entry": "Payload/Client.app/Info.plist", "kind": "damage", "reason": NO_INFO_EN}]),
            "{name}"
        );
    }
}

/// `bytes` (a thin or fat Mach-O) with `cryptid` set to 1 in every
/// `LC_ENCRYPTION_INFO(_64)`, as the App Store's FairPlay encryption leaves
/// it; the number of load commands set.
fn set_cryptid(bytes: &mut [u8]) -> usize {
    use goblin::mach::load_command::CommandVariant;
    let slices: Vec<usize> = match goblin::mach::Mach::parse(bytes).unwrap() {
        goblin::mach::Mach::Binary(_) => vec![0],
        goblin::mach::Mach::Fat(fat) => fat
            .iter_arches()
            .map(|a| a.unwrap().offset as usize)
            .collect(),
    };
    let mut at = Vec::new();
    for offset in slices {
        let m = goblin::mach::MachO::parse(bytes, offset).unwrap();
        at.extend(
            m.load_commands
                .iter()
                .filter(|lc| {
                    matches!(
                        lc.command,
                        CommandVariant::EncryptionInfo32(_) | CommandVariant::EncryptionInfo64(_)
                    )
                })
                // cmd, cmdsize, cryptoff, cryptsize, then cryptid (goblin's
                // offsets count from the start of the file, not the slice).
                .map(|lc| lc.offset + 16),
        );
    }
    // iOS slices are little-endian (a fat header is big-endian, not its
    // slices).
    for &i in &at {
        bytes[i..i + 4].copy_from_slice(&1u32.to_le_bytes());
    }
    at.len()
}

/// The IPA `bytes` with the binary `exe` encrypted as by the App Store.
fn ipa_encrypted(bytes: &[u8], exe: &str) -> Vec<u8> {
    rezip(bytes, |name, mut data| {
        if name == exe {
            assert!(set_cryptid(&mut data) > 0, "{exe} has LC_ENCRYPTION_INFO");
        }
        Some(data)
    })
}

const FAIRPLAY_EN: &str = "is encrypted with Apple FairPlay (App Store download): the encryption hides class names, method names and strings inside the code, so the code was not completely read";
const FAIRPLAY_DE: &str = "ist mit Apple FairPlay verschlüsselt (Download aus dem App Store): die Verschlüsselung verbirgt Klassennamen, Methodennamen und Zeichenketten im Code, der Code wurde also nicht vollständig gelesen";

#[test]
fn a_fairplay_encrypted_ipa_leaves_the_code_checks_undecided() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(sample(SECURECHAT_IPA)).unwrap();
    let path = dir.path().join("sc-appstore.ipa");
    std::fs::write(&path, ipa_encrypted(&bytes, SECURECHAT_EXE)).unwrap();
    let answers = ipa_answers(dir.path());

    let f = facts(&path);
    assert_eq!(f["ios"]["encrypted"], true);
    assert_eq!(f["ios"]["code"]["binaries"][0]["encrypted"], true, "{f}");
    assert_eq!(f["ios"]["code"]["complete"], false, "{f}");
    // Readable, so no error: a reading note in both languages.
    assert_eq!(f["unread"], serde_json::json!([]), "{f}");
    let note = f["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["code"] == "ipa.executable.encrypted")
        .unwrap_or_else(|| panic!("{f}"));
    let (en, de) = (note["en"].as_str().unwrap(), note["de"].as_str().unwrap());
    assert!(
        en.starts_with(SECURECHAT_EXE) && en.contains(FAIRPLAY_EN),
        "{en}"
    );
    assert!(
        en.ends_with("A decrypted IPA is needed for a full audit"),
        "{en}"
    );
    assert!(de.contains(FAIRPLAY_DE), "{de}");
    assert!(
        de.ends_with("Für eine vollständige Prüfung wird eine entschlüsselte IPA benötigt"),
        "{de}"
    );

    // With the answers that make the decrypted IPA compliant: the checks
    // whose pass rests on finding nothing in the code are undecided, their
    // evidence names the encryption, the verdict is no longer compliant.
    let (code, report) = scan_json(&[path.as_os_str(), "--answers".as_ref(), answers.as_os_str()]);
    assert_eq!((code, verdict(&report)), (3, "incomplete"), "{report}");
    for r in code_checks_undecided(&report) {
        assert!(r["evidence"].to_string().contains(FAIRPLAY_DE), "{r}");
    }
    let de = scan_text("table", "de", &[], &path);
    let flat = de.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("entschlüsselte IPA benötigt"), "{flat}");
    assert!(!flat.contains("decrypted IPA"), "{flat}");
}

#[test]
fn a_corpus_ipa_encrypted_as_by_the_app_store_is_not_completely_read() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    // OWASP's UnCrackable Level 1: a fat (armv7, arm64) executable with
    // LC_ENCRYPTION_INFO(_64), cryptid 0 in both slices (llvm-objdump
    // --macho --private-headers); the corpus holds no encrypted IPA.
    let ipa = corpus.join("ios/ipa/owasp-UnCrackable-Level1.ipa");
    if !ipa.is_file() {
        eprintln!("skipped: corpus file missing");
        return;
    }
    let exe = "Payload/UnCrackable Level 1.app/UnCrackable Level 1";
    let f = facts(&ipa);
    assert_eq!(f["ios"]["encrypted"], false);
    assert_eq!(f["ios"]["code"]["complete"], true, "{f}");

    let bytes = std::fs::read(&ipa).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("uncrackable-appstore.ipa");
    std::fs::write(&path, ipa_encrypted(&bytes, exe)).unwrap();
    let f = facts(&path);
    assert_eq!(f["ios"]["encrypted"], true);
    assert_eq!(f["ios"]["code"]["complete"], false, "{f}");
    assert!(
        warning_codes(&f).contains(&"ipa.executable.encrypted"),
        "{f}"
    );
    let (code, report) = scan_json(&[path.as_os_str()]);
    assert_ne!(code, 4, "readable: no error");
    assert_eq!(outcome(&report, "APP-05-crash-default-off"), "warn");
}
