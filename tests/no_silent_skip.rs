//! Nothing unread improves a verdict: an entry that carries facts but cannot
//! be read (a limit, damage) makes the target an error in every report format
//! and exit code 4; `facts` refuses what `scan` refuses; folder scans do not
//! hide files that look like apps. Run through the CLI binary, as a user does.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const FORMATS: [&str; 6] = ["table", "json", "sarif", "html", "md", "csv"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_msgaudit"));
    c.env_remove("MSGAUDIT_PSEUDONYM_KEY");
    c
}

/// Runs msgaudit with `args`; fails the test (instead of hanging) after 60 s.
/// The output is collected on another thread, so a report larger than the
/// pipe buffer cannot block the child.
fn run(args: &[&str]) -> Output {
    let child = bin()
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run msgaudit");
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.expect("output"),
        Err(_) => {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
            panic!("msgaudit {args:?} did not finish within 60 s");
        }
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `s` with every run of whitespace made one space (the table wraps lines).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A scan of `paths` in `format` and `lang`: (exit code, stdout, stderr).
fn scan(extra: &[&str], format: &str, lang: &str) -> (i32, String, String) {
    let mut args = vec![
        "scan",
        "--as-of",
        "2026-11-23",
        "--format",
        format,
        "--lang",
        lang,
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    (
        out.status.code().unwrap_or(-1),
        text(&out.stdout),
        text(&out.stderr),
    )
}

/// Rewrites the zip at `src` into `dst`, letting `edit` replace an entry's
/// bytes (`None` keeps them) and store it uncompressed when replaced.
fn rewrite_zip(src: &Path, dst: &Path, edit: impl Fn(&str, &[u8]) -> Option<Vec<u8>>) {
    let bytes = std::fs::read(src).expect("read sample");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("sample is a zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(dst).expect("create"));
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("entry");
        let name = f.name().expect("entry name").to_string();
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut data).expect("inflate");
        if f.is_dir() {
            w.add_directory(name, zip::write::SimpleFileOptions::default())
                .expect("dir");
            continue;
        }
        let (data, method) = match edit(&name, &data) {
            Some(new) => (new, zip::CompressionMethod::Stored),
            None => (data, zip::CompressionMethod::Deflated),
        };
        w.start_file(
            name,
            zip::write::SimpleFileOptions::default().compression_method(method),
        )
        .expect("start");
        w.write_all(&data).expect("write");
    }
    w.finish().expect("finish");
}

/// LeakyChat (a crash SDK in its code) with `classes.dex` grown past 1 MiB
/// by padding after the DEX data (the tables still read the same).
fn leakychat_with_big_dex(dir: &Path) -> PathBuf {
    let out = dir.join("leakychat-bigdex.apk");
    rewrite_zip(
        &root().join("sample-apps/android/out/leakychat-2.3.apk"),
        &out,
        |name, data| {
            (name == "classes.dex").then(|| {
                let mut d = data.to_vec();
                d.resize(data.len() + (2 << 20), 0);
                d
            })
        },
    );
    out
}

fn json_of(stdout: &str) -> Value {
    common::json_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn app05(target: &Value) -> String {
    target["results"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["requirement"] == "APP-05"))
        .map(|r| r["outcome"].as_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

/// The scenario of the issue: a `classes*.dex` over `--max-entry-size` was
/// skipped with a warning in the facts, the crash SDK inside vanished and
/// the verdict improved. Now the target is an error, in every format.
#[test]
fn a_dex_over_the_entry_limit_is_an_error_in_every_format_not_a_vanished_sdk() {
    let dir = tempfile::tempdir().unwrap();
    let apk = leakychat_with_big_dex(dir.path());
    let apk = apk.to_str().unwrap();

    // Read in full, the crash SDK is found and APP-05 fails.
    let (code, stdout, stderr) = scan(&[apk], "json", "en");
    assert_eq!(code, 1, "{stderr}");
    let full = json_of(&stdout);
    assert_eq!(full["targets"][0]["verdict"], "not_compliant");
    assert_eq!(app05(&full["targets"][0]), "fail", "{stdout}");

    for limit in [["--max-entry-size", "1"], ["--max-total-inflated", "1"]] {
        let args = [limit[0], limit[1], apk];
        let (code, stdout, stderr) = scan(&args, "json", "en");
        assert_eq!(code, 4, "{limit:?}: {stderr}");
        let report = json_of(&stdout);
        let t = &report["targets"][0];
        assert_eq!(t["verdict"], "error", "{limit:?}");
        assert!(t["score"].is_null(), "no score may look better: {t}");
        assert_eq!(t["unread"][0]["entry"], "classes.dex", "{t}");
        assert_eq!(t["unread"][0]["kind"], "limit", "{t}");
        assert_eq!(t["facts"]["unread"][0]["entry"], "classes.dex");
        assert!(
            t["error"]
                .as_str()
                .unwrap_or_default()
                .contains("classes.dex"),
            "{t}"
        );
        assert!(stderr.contains("classes.dex"), "{stderr}");
        assert_eq!(
            report["schema_version"],
            msgaudit::assess::REPORT_SCHEMA_VERSION
        );
    }

    for format in FORMATS {
        for (lang, kind, reason) in [
            (
                "en",
                "limit exceeded",
                "inflates to more than 1048576 bytes",
            ),
            (
                "de",
                "Lesegrenze überschritten",
                "ist entpackt größer als 1.048.576 Byte",
            ),
        ] {
            let (code, stdout, _) = scan(&["--max-entry-size", "1", apk], format, lang);
            let stdout = flat(&stdout);
            assert_eq!(code, 4, "{format} {lang}");
            assert!(
                stdout.contains("classes.dex"),
                "{format} {lang} does not name the entry:\n{stdout}"
            );
            if format != "json" {
                assert!(
                    stdout.contains(kind),
                    "{format} {lang} does not say why ({kind}):\n{stdout}"
                );
                // The reader's reason, in the report's language.
                assert!(
                    stdout.contains(reason),
                    "{format} {lang} lacks the reason:\n{stdout}"
                );
            }
        }
    }
}

#[test]
fn facts_lists_the_unread_entry_and_exits_4() {
    let dir = tempfile::tempdir().unwrap();
    let apk = leakychat_with_big_dex(dir.path());
    let out = run(&["facts", "--max-entry-size", "1", apk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let facts = json_of(&text(&out.stdout));
    assert_eq!(facts["unread"][0]["entry"], "classes.dex");
    assert_eq!(facts["unread"][0]["kind"], "limit");
    assert!(
        facts["warnings"]
            .as_array()
            .is_some_and(|w| w.iter().all(|w| !w.to_string().contains("classes.dex"))),
        "a limit hit is never only a warning: {facts}"
    );
    assert!(text(&out.stderr).contains("classes.dex"));
    // Read in full: nothing unread, exit 0.
    let out = run(&["facts", apk.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json_of(&text(&out.stdout))["unread"], serde_json::json!([]));
}

/// A damaged signature block, privacy manifest or provisioning profile is
/// an unread entry too; so is a facts document that lists one.
#[test]
fn damaged_signature_and_ios_entries_are_errors_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    let apk = dir.path().join("securechat-badsig.apk");
    rewrite_zip(
        &root().join("sample-apps/android/out/securechat-1.0.apk"),
        &apk,
        |name, _| name.ends_with(".RSA").then(|| b"\x30\x82garbage".to_vec()),
    );
    let ipa = dir.path().join("leakychat-badprivacy.ipa");
    rewrite_zip(
        &root().join("sample-apps/ios/LeakyChat.ipa"),
        &ipa,
        |name, _| {
            (name.ends_with("PrivacyInfo.xcprivacy") || name.ends_with("embedded.mobileprovision"))
                .then(|| b"<?xml version=\"1.0\"?><plist><dict><key>".to_vec())
        },
    );
    let (code, stdout, stderr) = scan(
        &[apk.to_str().unwrap(), ipa.to_str().unwrap()],
        "json",
        "en",
    );
    assert_eq!(code, 4, "{stderr}");
    let report = json_of(&stdout);
    let entries = |i: usize| -> Vec<String> {
        report["targets"][i]["unread"]
            .as_array()
            .map(|u| {
                u.iter()
                    .map(|e| format!("{} {}", e["entry"], e["kind"]))
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(report["targets"][0]["verdict"], "error");
    assert_eq!(entries(0), ["\"META-INF/SAMPLES.RSA\" \"damage\""]);
    assert_eq!(report["targets"][1]["verdict"], "error");
    let ios = entries(1);
    assert!(
        ios.iter().any(|e| e.contains("embedded.mobileprovision"))
            && ios
                .iter()
                .any(|e| e.contains("FirebaseCrashlytics.framework/PrivacyInfo.xcprivacy")),
        "{ios:?}"
    );

    // The facts document carries the list: scanning it gives the same verdict.
    let facts = run(&["facts", ipa.to_str().unwrap()]);
    let doc = dir.path().join("ios.facts.json");
    std::fs::write(&doc, &facts.stdout).unwrap();
    let (code, stdout, _) = scan(&[doc.to_str().unwrap()], "json", "en");
    assert_eq!(code, 4);
    assert_eq!(json_of(&stdout)["targets"][0]["verdict"], "error");
}

/// A file that cannot be opened as an app is a target error in every format,
/// with its reason, and exit 4; the other targets are still assessed.
#[test]
fn an_unreadable_file_is_named_with_its_reason_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let sample = std::fs::read(root().join("sample-apps/android/out/securechat-1.0.apk")).unwrap();
    let cut = dir.path().join("cut-short.apk");
    std::fs::write(&cut, &sample[..sample.len() - 100]).unwrap();
    let good = root().join("sample-apps/android/out/securechat-1.1.apk");
    let (code, stdout, _) = scan(
        &[cut.to_str().unwrap(), good.to_str().unwrap()],
        "json",
        "en",
    );
    assert_eq!(code, 4);
    let report = json_of(&stdout);
    let t = &report["targets"][0];
    assert_eq!(t["verdict"], "error", "{t}");
    let reason = t["error"].as_str().unwrap_or_default().to_string();
    assert!(!reason.is_empty(), "{t}");
    assert_ne!(report["targets"][1]["verdict"], "error");
    for format in FORMATS {
        for lang in ["en", "de"] {
            let (code, stdout, _) = scan(
                &[cut.to_str().unwrap(), good.to_str().unwrap()],
                format,
                lang,
            );
            let stdout = flat(&stdout);
            assert_eq!(code, 4, "{format} {lang}");
            assert!(
                stdout.contains("cut-short.apk"),
                "{format} {lang}:\n{stdout}"
            );
            // The reason as the reader gave it: its first words.
            let core = reason
                .split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ");
            // German reports name a damaged archive in German.
            let german = lang == "de"
                && reason.starts_with("truncated or damaged zip archive")
                && stdout.contains("abgeschnittenes oder beschädigtes ZIP-Archiv");
            assert!(
                stdout.contains(&core) || german,
                "{format} {lang} lacks {core:?}:\n{stdout}"
            );
        }
    }
}

/// `facts` refuses devices and pipes with the message `scan` gives, at once.
#[test]
fn facts_refuses_non_regular_files_like_scan() {
    let started = Instant::now();
    let facts = run(&["facts", "/dev/zero"]);
    assert_eq!(facts.status.code(), Some(4));
    let (code, _, scan_err) = scan(&["/dev/zero"], "json", "en");
    assert_eq!(code, 4);
    let facts_err = text(&facts.stderr);
    assert!(facts_err.contains("not a regular file"), "{facts_err}");
    assert_eq!(
        facts_err.trim(),
        scan_err.trim(),
        "facts and scan say the same"
    );
    assert!(started.elapsed() < Duration::from_secs(30));
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.apk");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let out = run(&["facts", fifo.to_str().unwrap()]);
            assert_eq!(out.status.code(), Some(4));
            assert!(text(&out.stderr).contains("not a regular file"));
        }
    }
}

/// A device or a pipe named on the command line is an error target whose
/// kind is unknown ("File of unknown kind", „Datei unbekannter Art“), never
/// an Android app; a pipe named like an app keeps the kind its name says.
#[test]
fn a_file_of_unknown_kind_is_not_called_an_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut inputs = vec![("/dev/zero".to_string(), "unknown")];
    #[cfg(unix)]
    {
        let fifos = [
            ("pipe", "unknown"),
            ("pipe.apk", "android"),
            ("pipe.ipa", "ios"),
        ];
        for (name, kind) in fifos {
            let fifo = dir.path().join(name);
            let made = Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success());
            assert!(made, "mkfifo {name}");
            inputs.push((fifo.display().to_string(), kind));
        }
    }
    for (path, kind) in &inputs {
        let (code, json, stderr) = scan(&[path.as_str()], "json", "en");
        assert_eq!(code, 4, "{path}: {stderr}");
        let report: Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            report["schema_version"],
            msgaudit::assess::REPORT_SCHEMA_VERSION
        );
        let target = &report["targets"][0];
        assert_eq!(target["target"]["kind"], *kind, "{path}: {target}");
        assert!(
            target["error"]
                .as_str()
                .unwrap_or_default()
                .starts_with("not a regular file"),
            "{path}: {target}"
        );
        let labels = match *kind {
            "unknown" => ("(File of unknown kind)", "(Datei unbekannter Art)"),
            "android" => ("(Android app)", "(Android-App)"),
            _ => ("(iOS app)", "(iOS-App)"),
        };
        for (lang, label) in [("en", labels.0), ("de", labels.1)] {
            let (code, table, _) = scan(&[path.as_str()], "table", lang);
            assert_eq!(code, 4, "{path} {lang}");
            let table = flat(&table);
            assert!(table.contains(label), "{path} {lang}: {table}");
            if *kind == "unknown" {
                assert!(!table.contains("Android"), "{path} {lang}: {table}");
            }
        }
    }
}

/// A zip archive that holds no app is named by its name's kind: an `.ipa`
/// stays an iOS app, an `.apk` an Android app, any other name a file of
/// unknown kind (never "Android app" for an archive that is none).
#[test]
fn a_zip_that_holds_no_app_takes_the_kind_its_name_says() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut bytes);
        zip.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"no app here").unwrap();
        zip.finish().unwrap();
    }
    for (name, kind) in [
        ("archive.zip", "unknown"),
        ("bundle.ipa", "ios"),
        ("app.apk", "android"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes.get_ref()).unwrap();
        let (code, json, stderr) = scan(&[path.to_str().unwrap()], "json", "en");
        assert_eq!(code, 4, "{name}: {stderr}");
        let report: Value = serde_json::from_str(&json).unwrap();
        let target = &report["targets"][0];
        assert_eq!(target["target"]["kind"], kind, "{name}: {target}");
        assert!(
            target["error"]
                .as_str()
                .unwrap_or_default()
                .starts_with("a zip archive, but neither an Android app"),
            "{name}: {target}"
        );
    }
}

/// In a folder, files that look like apps but cannot be read are errors;
/// the others are counted, and listed with `-v`.
#[test]
fn folder_scans_report_unreadable_candidates_and_count_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(
        root().join("tests/fixtures/facts/android-base.json"),
        d.join("securechat.facts"),
    )
    .unwrap();
    std::fs::write(d.join("renamed.apk"), b"this is no zip at all\n").unwrap();
    std::fs::write(d.join("payload.bin"), b"PK\x03\x04 a broken zip").unwrap();
    std::fs::write(d.join("notes.txt"), b"nothing to scan here\n").unwrap();
    std::fs::write(d.join("logo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    // A valid zip that is no app, with an ordinary name: skipped.
    {
        let mut w = zip::ZipWriter::new(std::fs::File::create(d.join("docs.zip")).unwrap());
        w.start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"hello").unwrap();
        w.finish().unwrap();
    }
    let folder = d.to_str().unwrap();
    let (code, stdout, stderr) = scan(&[folder], "json", "en");
    assert_eq!(code, 4, "{stderr}");
    let report = json_of(&stdout);
    let targets = report["targets"].as_array().unwrap();
    let verdict_of = |name: &str| {
        targets
            .iter()
            .find(|t| {
                t["target"]["file"]["path"]
                    .as_str()
                    .unwrap_or("")
                    .ends_with(name)
            })
            .map(|t| t["verdict"].as_str().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("{name} is not in the report: {report}"))
    };
    assert_eq!(verdict_of("renamed.apk"), "error");
    assert_eq!(verdict_of("payload.bin"), "error");
    // The facts document (its own `file.path` names the original APK).
    assert_eq!(
        targets
            .iter()
            .filter(|t| t["target"]["id"] == "de.example.securechat")
            .map(|t| t["verdict"].clone())
            .collect::<Vec<_>>(),
        ["incomplete"]
    );
    assert_eq!(targets.len(), 3, "{report}");
    assert_eq!(report["skipped_files"], 3, "{report}");
    assert!(stderr.contains("3 other files skipped"), "{stderr}");
    assert!(!stderr.contains("notes.txt"), "{stderr}");
    let (_, table, verbose_err) = scan(&["-v", folder], "table", "de");
    for name in ["notes.txt", "logo.png", "docs.zip"] {
        assert!(verbose_err.contains(name), "-v lists {name}: {verbose_err}");
    }
    assert!(
        flat(&table).contains("3 weitere Dateien übersprungen"),
        "the summary counts them: {table}"
    );
    for format in FORMATS {
        let (_, out, _) = scan(&[folder], format, "en");
        assert!(
            out.contains("renamed.apk") && out.contains("payload.bin"),
            "{format}:\n{out}"
        );
    }
}
