//! A broken `--answers`, `--profile`, `--checks` or `--trackers` file stops
//! `scan` with exit 5 and a message that names the file, the line and
//! column, the key path where known, and the kind of problem — in German
//! with `--lang de`, without the parser's English wording or Rust type
//! names, on standard error and in the SARIF log alike (docs/checks.md).

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::Value;

fn oldchat() -> String {
    common::sample("android/out/oldchat-2.0.apk")
}

fn scan(args: &[&str], lang: &str) -> Output {
    let mut all = vec!["scan", "--as-of", "2026-12-05", "--lang", lang];
    all.extend_from_slice(args);
    common::run_msgaudit(all)
}

/// A broken configuration file and what its messages must say.
struct Case {
    name: &'static str,
    /// The option that names the file (`--checks` gets the file's folder).
    option: &'static str,
    /// The file's name and text.
    file: &'static str,
    text: String,
    /// Words of the German message (after the file name).
    de: &'static [&'static str],
    /// Words of the English message.
    en: &'static [&'static str],
}

const ANSWER: &str =
    "[[answer]]\ncheck = \"APP-01\"\noutcome = \"pass\"\nby = \"A\"\ndate = \"2026-01-01\"\n";

fn check_file(replace: &str, with: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("checks/app/APP-01-privacy-info.toml"),
    )
    .unwrap();
    assert!(text.contains(replace), "{replace}");
    text.replacen(replace, with, 1)
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "TOML syntax error",
            option: "--answers",
            file: "antworten.toml",
            text: "[[answer]]\ncheck \"APP-01\"\n".into(),
            de: &["Zeile 2, Spalte 7", "Syntaxfehler: Nach dem Schlüssel fehlen `=` und ein Wert"],
            en: &["2:7", "TOML syntax error", "expected `=`"],
        },
        Case {
            name: "unknown key",
            option: "--answers",
            file: "antworten.toml",
            text: format!("{ANSWER}[[answer]]\ncheck = \"APP-02\"\nbemerkung = \"x\"\n"),
            de: &[
                "Zeile 8, Spalte 1",
                "Unbekannter Schlüssel `answer[2].bemerkung`",
                "erlaubt sind hier `check`,",
                "`sha256` und `valid_until`",
            ],
            en: &["8:1", "unknown field `bemerkung`", "(at `answer[2].bemerkung`)"],
        },
        Case {
            name: "missing key",
            option: "--answers",
            file: "antworten.toml",
            text: ANSWER.replace("by = \"A\"\n", ""),
            de: &["Zeile 1, Spalte 1", "In `answer[1]` fehlt der Pflichtschlüssel `by`"],
            en: &["1:1", "missing field `by`", "(at `answer[1]`)"],
        },
        Case {
            name: "wrong type",
            option: "--answers",
            file: "antworten.toml",
            text: ANSWER.replace("date = \"2026-01-01\"", "date = 2026"),
            de: &[
                "Zeile 5, Spalte 8",
                "Falscher Typ bei `answer[1].date`",
                "Erwartet wird ein Text (in Anführungszeichen), angegeben ist die ganze Zahl 2026",
            ],
            en: &["5:8", "invalid type: integer `2026`, expected a string"],
        },
        Case {
            name: "TOML syntax error the German wording does not know",
            option: "--answers",
            file: "antworten.toml",
            text: "[[answer]]\ncheck = \"APP-01\nby = \"A\"\n".into(),
            de: &["Zeile 2, Spalte", "Syntaxfehler: An dieser Stelle ist die Datei kein gültiges TOML"],
            en: &["TOML syntax error"],
        },
        Case {
            name: "duplicate key",
            option: "--answers",
            file: "antworten.toml",
            text: ANSWER.replace("by = \"A\"\n", "by = \"A\"\nby = \"B\"\n"),
            de: &["Zeile 5, Spalte 1", "Der Schlüssel `by` steht doppelt"],
            en: &["5:1", "duplicate key `by`"],
        },
        Case {
            name: "text in both languages expected",
            option: "--checks",
            file: "APP-01-privacy-info.toml",
            text: check_file(
                "title.de = \"Datenschutzinformationen in der App jederzeit sichtbar\"\ntitle.en = \"Privacy information visible in the app at any time\"",
                "title = \"Datenschutz\"",
            ),
            de: &[
                "Zeile 7, Spalte 9",
                "Falscher Typ bei `title`",
                "Erwartet wird ein Text in beiden Sprachen (Tabelle mit `de` und `en`), angegeben ist der Text „Datenschutz“",
            ],
            en: &["7:9", "expected struct Text", "(at `title`)"],
        },
        Case {
            name: "unknown value",
            option: "--checks",
            file: "APP-01-privacy-info.toml",
            text: check_file("level = \"must\"", "level = \"mandatory\""),
            de: &[
                "Zeile 3, Spalte 9",
                "Unbekannter Wert „mandatory“ bei `level`; erlaubt sind `must`, `should`, `alternative` und `desirable`",
            ],
            en: &["3:9", "unknown variant `mandatory`", "(at `level`)"],
        },
        Case {
            name: "profile: list expected",
            option: "--profile",
            file: "profil.toml",
            text: "id = \"p\"\ntitle.de = \"P\"\ntitle.en = \"P\"\n[select]\nlevels = \"must\"\n"
                .into(),
            de: &[
                "Zeile 5, Spalte 10",
                "Falscher Typ bei `select.levels`",
                "Erwartet wird eine Liste ([…]), angegeben ist der Text „must“",
            ],
            en: &["5:10", "expected a sequence", "(at `select.levels`)"],
        },
        Case {
            name: "JSON syntax error",
            option: "--trackers",
            file: "tracker.json",
            text: "{\"trackers\": {\"1\": {\"name\": \"x\",}}}".into(),
            de: &[
                "Die Tracker-Datei",
                "Zeile 1, Spalte 33",
                "kein gültiges JSON",
                "ETIP-Trackerformat",
            ],
            en: &["line 1, column 33", "JSON syntax error: trailing comma"],
        },
        Case {
            name: "JSON wrong type",
            option: "--trackers",
            file: "tracker.json",
            text: "{\"trackers\": [\n]}".into(),
            de: &[
                "Zeile 1, Spalte 13",
                "Erwartet wird ein Objekt ({…}), angegeben ist eine Liste",
            ],
            en: &["line 1, column 13", "invalid type: sequence, expected a map"],
        },
    ]
}

/// English words (and Rust type names) a German message must not hold,
/// once the file's path, `identifiers` and „quoted values“ are taken out.
const ENGLISH: &[&str] = &[
    "the",
    "a",
    "expected",
    "invalid",
    "type",
    "field",
    "key",
    "missing",
    "unknown",
    "duplicate",
    "parse",
    "error",
    "struct",
    "string",
    "sequence",
    "map",
    "integer",
    "value",
    "with",
    "no",
    "not",
    "of",
    "at",
    "line",
    "column",
    "found",
    "variant",
    "one",
    "or",
    "is",
    "valid",
    "syntax",
    "trailing",
    "comma",
];

fn assert_german(text: &str) {
    let mut plain = String::new();
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (None, '`') => quote = Some('`'),
            (None, '„') => quote = Some('“'),
            (Some(end), c) if c == end => quote = None,
            (None, c) => plain.push(c),
            _ => {}
        }
    }
    common::assert_without_words(&plain, ENGLISH);
}

#[test]
fn each_kind_of_configuration_error_is_said_in_german_with_its_place() {
    let app = oldchat();
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(case.file);
        std::fs::write(&file, &case.text).unwrap();
        let arg = if case.option == "--checks" {
            dir.path().display().to_string()
        } else {
            file.display().to_string()
        };
        let path = file.display().to_string();
        for lang in ["de", "en"] {
            let out = scan(&[&app, case.option, &arg], lang);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(out.status.code(), Some(5), "{} ({lang}): {err}", case.name);
            let message = err
                .lines()
                .find_map(|l| l.strip_prefix("msgaudit: "))
                .unwrap_or_else(|| panic!("{}: {err}", case.name));
            assert!(message.contains(&path), "{} ({lang}): {message}", case.name);
            let words = if lang == "de" { case.de } else { case.en };
            for w in words {
                assert!(
                    message.contains(w),
                    "{} ({lang}): `{w}` not in {message}",
                    case.name
                );
            }
            if lang == "de" {
                assert_german(&message.replace(&path, ""));
                if case.file.ends_with(".json") {
                    assert!(!message.contains("TOML"), "{}: {message}", case.name);
                }
            }
        }
        // The SARIF log of the stopped run says the same.
        let out = scan(&[&app, case.option, &arg, "--format", "sarif"], "de");
        assert_eq!(out.status.code(), Some(5), "{}", case.name);
        let log: Value = serde_json::from_slice(&out.stdout).expect("a SARIF log");
        let inv = &log["runs"][0]["invocations"][0];
        assert_eq!(inv["exitCode"], 5, "{}", case.name);
        let text = inv["toolExecutionNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap_or_default();
        for w in case.de {
            assert!(
                text.contains(w),
                "{} (SARIF): `{w}` not in {text}",
                case.name
            );
        }
        assert_german(&text.replace(&path, ""));
    }
}
