//! A broken `--answers`, `--profile`, `--checks` or `--trackers` file stops
//! `scan` with exit 5, a broken `--os-data` or CSV column-mapping file
//! leaves the inventory export that needs it unassessed (exit 4); either
//! way the message names the file, the line and column, the key path where
//! known, and the kind of problem — in German with `--lang de`, without the
//! parser's English wording or Rust type names, on standard error and in the
//! SARIF log alike (docs/checks.md).

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

/// What a broken file does to the run.
#[derive(Clone, Copy)]
enum Stop {
    /// The run stops before reading its input, the app `oldchat` (exit 5).
    Run,
    /// The run goes on, but the inventory export (a sample) that needs the
    /// file is not assessed (exit 4).
    Export(&'static str),
}

/// A broken configuration file and what its messages must say.
struct Case {
    name: &'static str,
    /// The option that names the file (`--checks` gets the file's folder,
    /// `--inventory-format` `csv=FILE`).
    option: &'static str,
    /// What the broken file stops.
    stop: Stop,
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
            stop: Stop::Run,
            file: "antworten.toml",
            text: "[[answer]]\ncheck \"APP-01\"\n".into(),
            de: &["Zeile 2, Spalte 7", "Syntaxfehler: Nach dem Schlüssel fehlen `=` und ein Wert"],
            en: &["2:7", "TOML syntax error", "expected `=`"],
        },
        Case {
            name: "unknown key",
            option: "--answers",
            stop: Stop::Run,
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
            stop: Stop::Run,
            file: "antworten.toml",
            text: ANSWER.replace("by = \"A\"\n", ""),
            de: &["Zeile 1, Spalte 1", "In `answer[1]` fehlt der Pflichtschlüssel `by`"],
            en: &["1:1", "missing field `by`", "(at `answer[1]`)"],
        },
        Case {
            name: "wrong type",
            option: "--answers",
            stop: Stop::Run,
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
            stop: Stop::Run,
            file: "antworten.toml",
            text: "[[answer]]\ncheck = \"APP-01\nby = \"A\"\n".into(),
            de: &["Zeile 2, Spalte", "Syntaxfehler: An dieser Stelle ist die Datei kein gültiges TOML"],
            en: &["TOML syntax error"],
        },
        Case {
            name: "duplicate key",
            option: "--answers",
            stop: Stop::Run,
            file: "antworten.toml",
            text: ANSWER.replace("by = \"A\"\n", "by = \"A\"\nby = \"B\"\n"),
            de: &["Zeile 5, Spalte 1", "Der Schlüssel `by` steht doppelt"],
            en: &["5:1", "duplicate key `by`"],
        },
        Case {
            name: "text in both languages expected",
            option: "--checks",
            stop: Stop::Run,
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
            stop: Stop::Run,
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
            stop: Stop::Run,
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
            stop: Stop::Run,
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
            stop: Stop::Run,
            file: "tracker.json",
            text: "{\"trackers\": [\n]}".into(),
            de: &[
                "Zeile 1, Spalte 13",
                "Falscher Typ bei `trackers`",
                "Erwartet wird ein Objekt ({…}), angegeben ist eine Liste",
            ],
            en: &[
                "line 1, column 13",
                "invalid type: sequence, expected a map",
                "(at `trackers`)",
            ],
        },
        Case {
            name: "JSON wrong type inside an entry (the key path found by scanning)",
            option: "--trackers",
            stop: Stop::Run,
            file: "tracker.json",
            text: "{\"trackers\": {\n  \"12\": {\"name\": \"x\", \"code_signature\": \"com.x.\"},\n  \"13\": {\"name\": 5}\n}}".into(),
            de: &[
                "Die Tracker-Datei",
                "Zeile 3, Spalte 18",
                "Falscher Typ bei `trackers.13.name`",
                "angegeben ist die ganze Zahl 5",
            ],
            en: &["line 3, column 18", "(at `trackers.13.name`)"],
        },
        Case {
            name: "tracker without a numeric id",
            option: "--trackers",
            stop: Stop::Run,
            file: "tracker.json",
            text: "{\"trackers\": {\"abc\": {\"name\": \"x\", \"code_signature\": \"com.x.\"}}}"
                .into(),
            de: &[
                "Die Tracker-Datei",
                "Eintrag `abc`: Keine numerische Kennung",
            ],
            en: &["the tracker file", "entry `abc`: no numeric id"],
        },
        Case {
            name: "tracker with an empty name (found when the entries are checked)",
            option: "--trackers",
            stop: Stop::Run,
            file: "tracker.json",
            text: "{\"trackers\": {\"99999\": {\"name\": \" \", \"code_signature\": \"com.x.\"}}}"
                .into(),
            de: &["Die Tracker-Datei", "Eintrag `etip-99999`: Der Name ist leer"],
            en: &["the tracker file", "entry `etip-99999`: empty name"],
        },
        Case {
            name: "OS support data: wrong type",
            option: "--os-data",
            stop: Stop::Export(GENERIC_DEVICES),
            file: "os.toml",
            text: "as_of = \"2026-01-01\"\n[[ios.versions]]\nmajor = 17\nsecurity_updates = \"yes\"\n"
                .into(),
            de: &[
                "Die Daten zur OS-Unterstützung",
                "sind ungültig: Zeile 3, Spalte 9: Falscher Typ bei `ios.versions[1].major`",
                "Erwartet wird ein Text (in Anführungszeichen), angegeben ist die ganze Zahl 17",
            ],
            en: &[
                "OS support data",
                "line 3, column 9: invalid type: integer `17`, expected a string",
                "(at `ios.versions[1].major`)",
            ],
        },
        Case {
            name: "OS support data: TOML syntax error",
            option: "--os-data",
            stop: Stop::Export(GENERIC_DEVICES),
            file: "os.toml",
            text: "as_of = \"2026-01-01\"\n[[ios.versions]\n".into(),
            de: &[
                "sind ungültig: Zeile 2, Spalte 16: Syntaxfehler: ",
                "`]` fehlt",
            ],
            en: &["line 2, column 16: TOML syntax error: unclosed array table"],
        },
        Case {
            name: "OS support data: unknown update status",
            option: "--os-data",
            stop: Stop::Export(GENERIC_DEVICES),
            file: "os.toml",
            text: "as_of = \"2026-01-01\"\n[[ios.versions]]\nmajor = \"17\"\nsecurity_updates = \"maybe\"\n"
                .into(),
            de: &[
                "Zeile 4, Spalte 20",
                "Unbekannter Wert „maybe“ bei `ios.versions[1].security_updates`; erlaubt sind `yes`, `no` und `unknown`",
            ],
            en: &[
                "line 4, column 20: unknown variant `maybe`",
                "(at `ios.versions[1].security_updates`)",
            ],
        },
        Case {
            name: "CSV column mapping: unknown field in [columns]",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            text: "[columns]\ndevice_id = \"ID\"\ngeraet = \"Gerät\"\n".into(),
            de: &[
                "Zeile 3, Spalte 1",
                "Unbekannter Schlüssel `columns.geraet`; erlaubt sind hier `device_id`, `device_name`,",
                "`phone` und `udid`",
            ],
            en: &[
                "line 3, column 1: unknown field `geraet`, expected one of `device_id`",
                "(at `columns.geraet`)",
            ],
        },
        Case {
            name: "CSV column mapping: delimiter of two characters",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            text: "delimiter = \";;\"\n".into(),
            de: &[
                "Zeile 1, Spalte 13",
                "Ungültiger Wert bei `delimiter`: Erwartet wird ein einzelnes ASCII-Zeichen, angegeben ist der Text „;;“",
            ],
            en: &["line 1, column 13: invalid value: string \";;\", expected a single ASCII character"],
        },
        Case {
            name: "CSV column mapping: unknown key",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            text: "delimiter = \";\"\nspalten = 1\n".into(),
            de: &[
                "Die CSV-Spaltenzuordnung",
                "ist ungültig: Zeile 2, Spalte 1: Unbekannter Schlüssel `spalten`",
                "erlaubt sind hier `delimiter`, `columns`, `values` und `platforms`",
            ],
            en: &[
                "CSV column mapping",
                "line 2, column 1: unknown field `spalten`",
                "(at `spalten`)",
            ],
        },
        Case {
            name: "CSV column mapping: over its size limit",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            // A comment of more than 1 MiB: refused before it is read.
            text: format!("# {}\n", "x".repeat(1 << 20)),
            de: &["CSV-Spaltenzuordnung", "größer als 1048576 Byte"],
            en: &["CSV column mapping", "larger than 1048576 bytes"],
        },
        Case {
            name: "CSV column mapping: wrong type",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            text: "delimiter = \";\"\n[columns]\ndevice_id = 5\n".into(),
            de: &[
                "Zeile 3, Spalte 13: Falscher Typ bei `columns.device_id`",
                "Erwartet wird ein Text (in Anführungszeichen), angegeben ist die ganze Zahl 5",
            ],
            en: &[
                "line 3, column 13: invalid type: integer `5`, expected a string",
                "(at `columns.device_id`)",
            ],
        },
        Case {
            name: "CSV column mapping: TOML syntax error",
            option: "--inventory-format",
            stop: Stop::Export(GENERIC_CUSTOM),
            file: "zuordnung.toml",
            text: "delimiter = \";\"\n[columns\n".into(),
            de: &["Zeile 2, Spalte 9: Syntaxfehler: ", "`]` fehlt"],
            en: &["line 2, column 9: TOML syntax error: unclosed table"],
        },
    ]
}

/// Device exports that read the OS support data and a column mapping.
const GENERIC_DEVICES: &str = "inventories/generic-devices.csv";
const GENERIC_CUSTOM: &str = "inventories/generic-custom.csv";

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
    for case in cases() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(case.file);
        std::fs::write(&file, &case.text).unwrap();
        let path = file.display().to_string();
        let arg = match case.option {
            "--checks" => dir.path().display().to_string(),
            "--inventory-format" => format!("csv={path}"),
            _ => path.clone(),
        };
        let (input, exit) = match case.stop {
            Stop::Run => (oldchat(), 5),
            Stop::Export(export) => (common::sample(export), 4),
        };
        for lang in ["de", "en"] {
            let out = scan(&[&input, case.option, &arg], lang);
            let err = String::from_utf8_lossy(&out.stderr).into_owned();
            assert_eq!(
                out.status.code(),
                Some(exit),
                "{} ({lang}): {err}",
                case.name
            );
            let message = err
                .lines()
                .filter_map(|l| l.strip_prefix("msgaudit: "))
                .find(|l| l.contains(&path))
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
                assert_german(&message.replace(&path, "").replace(&input, ""));
                if case.file.ends_with(".json") {
                    assert!(!message.contains("TOML"), "{}: {message}", case.name);
                }
            }
        }
        // The SARIF log of the stopped run (or of the export) says the same.
        let out = scan(&[&input, case.option, &arg, "--format", "sarif"], "de");
        assert_eq!(out.status.code(), Some(exit), "{}", case.name);
        let log: Value = serde_json::from_slice(&out.stdout).expect("a SARIF log");
        let inv = &log["runs"][0]["invocations"][0];
        assert_eq!(inv["exitCode"], exit, "{}", case.name);
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
