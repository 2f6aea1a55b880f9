//! `scan --format sarif` that stops before anything is assessed (an empty
//! folder: exit 4; a missing or broken `--answers` or `--trackers` file, an
//! unknown `--profile`: exit 5, also with an empty folder) still writes a SARIF 2.1.0 log, to `--output` or
//! standard output: one run without results whose invocation failed, with
//! the process's exit code, why, and the error as a notification in the
//! run's language (docs/report.md, § SARIF). Other formats write nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const AS_OF: &str = "2026-12-05";

fn oldchat() -> String {
    common::sample("android/out/oldchat-2.0.apk")
}

/// `msgaudit scan ARGS… --as-of AS_OF --lang LANG`.
fn scan(args: &[&str], lang: &str) -> Output {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--as-of", AS_OF, "--lang", lang]);
    common::run_msgaudit(all)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("msgaudit exits with a code")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One way a run stops: its arguments (without `--format`), its exit code,
/// and words its notification holds, per language.
struct Stop {
    name: &'static str,
    args: Vec<String>,
    code: i32,
    /// Words of the English message.
    en: Vec<String>,
    /// Words of the German message.
    de: Vec<String>,
}

/// The stops the tests run, with their fixtures under `dir`.
fn stops(dir: &Path) -> Vec<Stop> {
    let empty = dir.join("leer");
    std::fs::create_dir_all(&empty).unwrap();
    let empty = empty.display().to_string();
    let missing = dir.join("fehlt.toml").display().to_string();
    let broken = dir.join("kaputt.toml");
    std::fs::write(&broken, "[[answer]\ncheck = \"APP-01\"\n").unwrap();
    let broken = broken.display().to_string();
    let strings = |words: &[&str]| words.iter().map(|w| w.to_string()).collect();
    vec![
        Stop {
            name: "empty folder",
            args: vec![empty.clone()],
            code: 4,
            en: strings(&["no app, inventory export or facts document found", &empty]),
            de: strings(&["wurde keine App, kein Inventarexport", &empty]),
        },
        Stop {
            name: "missing answers",
            args: vec![oldchat(), "--answers".into(), missing.clone()],
            code: 5,
            en: strings(&["cannot read", &missing]),
            de: strings(&[&missing, "ist nicht lesbar"]),
        },
        Stop {
            name: "broken answers",
            args: vec![oldchat(), "--answers".into(), broken.clone()],
            code: 5,
            en: strings(&[&broken]),
            de: strings(&[&broken, "Zeile 1"]),
        },
        // The configuration is checked before the inputs: a broken one is
        // exit 5 even when there is nothing to assess (exit 4).
        Stop {
            name: "unknown profile, empty folder",
            args: vec![empty.clone(), "--profile".into(), "nope".into()],
            code: 5,
            en: strings(&["unknown profile `nope`"]),
            de: strings(&["Unbekanntes Profil „nope“"]),
        },
        Stop {
            name: "broken answers, empty folder",
            args: vec![empty.clone(), "--answers".into(), broken.clone()],
            code: 5,
            en: strings(&[&broken, "TOML syntax error"]),
            de: strings(&[&broken, "Zeile 1", "Syntaxfehler"]),
        },
        Stop {
            name: "missing trackers, empty folder",
            args: vec![empty.clone(), "--trackers".into(), missing.clone()],
            code: 5,
            en: strings(&["cannot read", &missing]),
            de: strings(&[&missing, "ist nicht lesbar"]),
        },
        Stop {
            name: "unknown profile",
            args: vec![oldchat(), "--profile".into(), "kein-solches-profil".into()],
            code: 5,
            en: strings(&["unknown profile", "kein-solches-profil"]),
            de: strings(&["Unbekanntes Profil", "kein-solches-profil"]),
        },
    ]
}

/// Checks the log of stop `s` run in `lang` with exit code `exit`: valid
/// SARIF 2.1.0, one run without results, a failed invocation with the exit
/// code, a description and the error naming its cause; gives the texts a
/// reader sees (description and notification).
fn check_log(log: &Value, s: &Stop, lang: &str, exit: i32, stderr: &str) -> Vec<String> {
    common::assert_valid_sarif(log);
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "{}: {log:#}", s.name);
    let run = &runs[0];
    assert_eq!(run["results"], Value::Array(Vec::new()), "{}", s.name);
    assert_eq!(run["tool"]["driver"]["name"], "msgaudit");
    assert_eq!(run["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    let tag = if lang == "de" { "de-DE" } else { "en-US" };
    assert_eq!(run["language"], tag, "{}", s.name);
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false, "{}: {inv:#}", s.name);
    assert_eq!(inv["exitCode"], exit, "{}: {inv:#}", s.name);
    let description = inv["exitCodeDescription"].as_str().unwrap_or_default();
    let nothing = if lang == "de" {
        "es wurde nichts bewertet"
    } else {
        "nothing was assessed"
    };
    assert!(description.contains(nothing), "{}: {description}", s.name);
    let notes = inv["toolExecutionNotifications"].as_array().expect("notes");
    assert_eq!(notes.len(), 1, "{}: {inv:#}", s.name);
    assert_eq!(notes[0]["level"], "error", "{}", s.name);
    let text = notes[0]["message"]["text"].as_str().unwrap_or_default();
    let words = if lang == "de" { &s.de } else { &s.en };
    for w in words {
        assert!(text.contains(w.as_str()), "{}: `{w}` not in {text}", s.name);
    }
    // The same error as standard error shows it.
    assert!(
        stderr.contains(&format!("msgaudit: {text}")),
        "{}: {stderr}",
        s.name
    );
    vec![description.to_string(), text.to_string()]
}

/// English words a German text must not hold (the paths taken out first).
const ENGLISH: &[&str] = &[
    "the",
    "no",
    "not",
    "nothing",
    "found",
    "cannot",
    "read",
    "file",
    "broken",
    "was",
    "assessed",
    "inputs",
    "unknown",
    "neither",
    "nor",
    "or",
    "and",
    "is",
    "of",
    "folder",
    "such",
    "directory",
    "error",
    "missing",
    "expected",
];

fn assert_no_english(text: &str, dir: &Path) {
    common::assert_without_words(&text.replace(&dir.display().to_string(), ""), ENGLISH);
}

#[test]
fn every_early_stop_writes_a_sarif_log_to_the_output_file() {
    let dir = tempfile::tempdir().unwrap();
    for s in stops(dir.path()) {
        for lang in ["en", "de"] {
            let file = dir.path().join(format!("bericht-{lang}.sarif"));
            let _ = std::fs::remove_file(&file);
            let mut args: Vec<&str> = s.args.iter().map(String::as_str).collect();
            let file_arg = file.display().to_string();
            args.extend_from_slice(&["--format", "sarif", "-o", &file_arg]);
            let out = scan(&args, lang);
            let err = stderr(&out);
            assert_eq!(code(&out), s.code, "{} ({lang}): {err}", s.name);
            assert!(out.stdout.is_empty(), "{}: stdout is not the log", s.name);
            let text = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{} ({lang}): no log ({e}): {err}", s.name));
            let log: Value = serde_json::from_str(&text).expect("the log is JSON");
            let texts = check_log(&log, &s, lang, code(&out), &err);
            if lang == "de" {
                for t in texts {
                    assert_no_english(&t, dir.path());
                }
            }
        }
    }
}

#[test]
fn every_early_stop_writes_a_sarif_log_to_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    for s in stops(dir.path()) {
        for lang in ["en", "de"] {
            let mut args: Vec<&str> = s.args.iter().map(String::as_str).collect();
            args.extend_from_slice(&["--format", "sarif"]);
            let out = scan(&args, lang);
            let err = stderr(&out);
            assert_eq!(code(&out), s.code, "{} ({lang}): {err}", s.name);
            assert!(out.stdout.ends_with(b"\n"), "{}: {err}", s.name);
            let log: Value = serde_json::from_slice(&out.stdout)
                .unwrap_or_else(|e| panic!("{} ({lang}): no log ({e}): {err}", s.name));
            let texts = check_log(&log, &s, lang, code(&out), &err);
            if lang == "de" {
                for t in texts {
                    assert_no_english(&t, dir.path());
                }
            }
        }
    }
}

#[test]
fn other_formats_still_write_no_report() {
    let dir = tempfile::tempdir().unwrap();
    for s in stops(dir.path()) {
        for format in ["json", "html", "csv", "md", "table"] {
            let file = dir.path().join(format!("bericht.{format}"));
            let mut args: Vec<&str> = s.args.iter().map(String::as_str).collect();
            let file_arg = file.display().to_string();
            args.extend_from_slice(&["--format", format]);
            let out = scan(&args, "en");
            assert_eq!(code(&out), s.code, "{} {format}", s.name);
            assert!(out.stdout.is_empty(), "{} {format}", s.name);
            args.extend_from_slice(&["-o", &file_arg]);
            let out = scan(&args, "en");
            assert_eq!(code(&out), s.code, "{} {format}", s.name);
            assert!(!file.exists(), "{} {format}: a report was written", s.name);
        }
    }
}

#[test]
fn a_log_that_cannot_be_written_keeps_the_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let empty: PathBuf = dir.path().join("leer");
    std::fs::create_dir_all(&empty).unwrap();
    let file = dir.path().join("kein-ordner").join("bericht.sarif");
    let (empty, file) = (empty.display().to_string(), file.display().to_string());
    let out = scan(&[&empty, "--format", "sarif", "-o", &file], "en");
    let err = stderr(&out);
    assert_eq!(code(&out), 4, "{err}");
    assert!(
        err.contains("no app, inventory export or facts document found"),
        "{err}"
    );
    assert!(err.contains(&format!("cannot write {file}")), "{err}");
    let out = scan(
        &[
            &oldchat(),
            "--answers",
            "/nonexistent/antworten.toml",
            "--format",
            "sarif",
            "-o",
            &file,
        ],
        "de",
    );
    let err = stderr(&out);
    assert_eq!(code(&out), 5, "{err}");
    assert!(err.contains("lässt sich nicht schreiben"), "{err}");
}
