//! Defects a reviewer found in the reports and messages, each asserted as
//! the user sees it through the binary: the CSV names a device by the same
//! localized, file-qualified title as every other format; the notice about
//! patch levels after the audit date agrees in number; `explain` names a
//! requirement once; the skipped-files line counts each file in the
//! category its reason says; an empty file named like an app is an app that
//! cannot be read; `compare --help` lists only the formats compare writes;
//! a broken Apple MDM property list is explained in words, not by the
//! parser's token.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::{json, Value};

/// An Android Management API export of one device per patch level, none
/// with a name (so each is named by its record).
fn amapi(dir: &Path, file: &str, patch_levels: &[&str]) -> PathBuf {
    let devices: Vec<Value> = patch_levels
        .iter()
        .map(|p| {
            json!({
                "managementMode": "DEVICE_OWNER",
                "ownership": "COMPANY_OWNED",
                "state": "ACTIVE",
                "apiLevel": 35,
                "lastStatusReportTime": "2026-11-22T19:04:11Z",
                "softwareInfo": {"androidVersion": "15", "securityPatchLevel": p},
                "deviceSettings": {"isDeviceSecure": true, "isEncrypted": true},
                "hardwareInfo": {"model": "Pixel 8"}
            })
        })
        .collect();
    let path = dir.join(file);
    std::fs::write(&path, json!({ "devices": devices }).to_string()).unwrap();
    path
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs msgaudit with `args` and `paths`: (stdout, stderr, exit code).
fn run(args: &[&str], paths: &[&Path]) -> (String, String, Option<i32>) {
    let mut all: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    all.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    let out = run_msgaudit(all);
    (text(&out.stdout), text(&out.stderr), out.status.code())
}

/// The first column of every row of a CSV report (the BOM and `;` of a
/// German one, `,` of an English one).
fn first_column(csv: &str, lang: &str) -> Vec<String> {
    let sep = if lang == "de" { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .delimiter(sep)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    r.records()
        .map(|rec| rec.unwrap().get(0).unwrap_or_default().to_string())
        .collect()
}

#[test]
fn csv_names_a_device_by_its_localized_file_qualified_title() {
    let dir = tempfile::tempdir().unwrap();
    let a = amapi(dir.path(), "a.json", &["2026-11-05"]);
    let b = amapi(dir.path(), "b.json", &["2026-11-05"]);
    for (lang, title_a, title_b, bare) in [
        (
            "de",
            "Datensatz 1 (a.json)",
            "Datensatz 1 (b.json)",
            "Datensatz 1",
        ),
        ("en", "record 1 (a.json)", "record 1 (b.json)", "record 1"),
    ] {
        let args = ["scan", "--as-of", "2026-12-05", "--lang", lang];
        let (csv, _, _) = run(&[&args[..], &["--format", "csv"]].concat(), &[&a, &b]);
        let names = first_column(&csv, lang);
        assert!(names.iter().any(|n| n == title_a), "{lang}: {names:?}");
        assert!(names.iter().any(|n| n == title_b), "{lang}: {names:?}");
        // Never the raw, English and ambiguous `record 1`.
        assert!(
            !names.iter().any(|n| n == "record 1" || n == bare),
            "{lang}: {names:?}"
        );
        // The same title the Markdown report gives the device.
        let (md, _, _) = run(&[&args[..], &["--format", "md"]].concat(), &[&a, &b]);
        assert!(md.contains(title_a) && md.contains(title_b), "{lang}: {md}");
    }
}

/// The notices of a Markdown report over `exports`, with line breaks as spaces.
fn markdown(lang: &str, exports: &[&Path]) -> String {
    let args = [
        "scan",
        "--as-of",
        "2026-12-05",
        "--format",
        "md",
        "--lang",
        lang,
    ];
    let (md, _, _) = run(&args, exports);
    md.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn patch_levels_after_the_audit_date_agree_in_number() {
    let dir = tempfile::tempdir().unwrap();
    let one = amapi(dir.path(), "one.json", &["2026-12-30"]);
    let two = amapi(dir.path(), "two.json", &["2026-12-30", "2026-12-31"]);
    let de = markdown("de", &[&one]);
    assert!(
        de.contains("1 Android-Gerät der Flotte meldet einen Sicherheitspatch-Stand nach dem Prüfdatum 2026-12-05"),
        "{de}"
    );
    assert!(
        de.contains("und DEV-01 bleibt für dieses Gerät offen."),
        "{de}"
    );
    assert!(!de.contains("für diese Geräte"), "{de}");
    let en = markdown("en", &[&one]);
    assert!(en.contains("1 Android device in the fleet reports"), "{en}");
    assert!(
        en.contains("and DEV-01 stays open for that device."),
        "{en}"
    );
    assert!(!en.contains("those devices"), "{en}");
    let de = markdown("de", &[&two]);
    assert!(de.contains("2 Android-Geräte der Flotte melden"), "{de}");
    assert!(
        de.contains("und DEV-01 bleibt für diese Geräte offen."),
        "{de}"
    );
    let en = markdown("en", &[&two]);
    assert!(en.contains("2 Android devices in the fleet report"), "{en}");
    assert!(
        en.contains("and DEV-01 stays open for those devices."),
        "{en}"
    );
}

#[test]
fn explain_names_a_requirement_once_and_lists_its_checks() {
    for (lang, heading, one, two) in [
        (
            "de",
            "DSK-Anforderung",
            "1 Prüfung zu dieser Anforderung: DEV-03-encryption",
            "2 Prüfungen zu dieser Anforderung: DEV-01-app-min-os, DEV-01-os-supported-patched",
        ),
        (
            "en",
            "DSK requirement",
            "1 check for this requirement: DEV-03-encryption",
            "2 checks for this requirement: DEV-01-app-min-os, DEV-01-os-supported-patched",
        ),
    ] {
        for (id, req, list) in [
            ("DEV-03", "DEV-03", one),
            ("DEV-01", "DEV-01", two),
            ("DEV-03-encryption", "DEV-03", ""),
        ] {
            let (out, err, code) = run(&["explain", id, "--lang", lang], &[]);
            assert_eq!(code, Some(0), "{err}");
            let said = format!("{heading} {req} [");
            assert_eq!(out.matches(&said).count(), 1, "{lang} {id}:\n{out}");
            assert!(out.contains(list), "{lang} {id}:\n{out}");
        }
    }
}

#[test]
fn skipped_files_are_counted_in_the_category_of_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("exports");
    std::fs::create_dir(&d).unwrap();
    amapi(&d, "devices.json", &["2026-11-05"]);
    // By its first bytes: no input at all.
    std::fs::write(d.join("notes.txt"), "hi\n").unwrap();
    // JSON of no known export.
    std::fs::write(d.join("admins.json"), r#"{"Admins":[{"Id":1}]}"#).unwrap();
    // A property list, but no Apple MDM device response.
    std::fs::write(
        d.join("other.plist"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>Foo</key><string>x</string></dict></plist>\n",
    )
    .unwrap();
    let (_, err, _) = run(&["scan", "--lang", "de"], &[&d]);
    assert!(
        err.contains("msgaudit: 3 andere Dateien übersprungen: weder App noch Inventarexport noch Fakten-Dokument (-v listet sie auf)"),
        "{err}"
    );
    let (_, err, _) = run(&["scan", "--lang", "en"], &[&d]);
    assert!(
        err.contains("msgaudit: 3 other files skipped: not an app, inventory export or facts document (-v lists them)"),
        "{err}"
    );
    // A link to a folder is skipped for another reason.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path(), d.join("link")).unwrap();
        let (_, err, _) = run(&["scan", "--lang", "de"], &[&d]);
        assert!(
            err.contains("msgaudit: 4 andere Dateien übersprungen: 3 weder App noch Inventarexport noch Fakten-Dokument, 1 aus einem anderen Grund"),
            "{err}"
        );
        let (_, err, _) = run(&["scan", "--lang", "en"], &[&d]);
        assert!(
            err.contains("msgaudit: 4 other files skipped: 3 not an app, inventory export or facts document, 1 for another reason"),
            "{err}"
        );
    }
}

/// The JSON report of `scan --lang de` over `paths`.
fn json_report(paths: &[&Path]) -> Value {
    let (out, err, _) = run(&["scan", "--format", "json", "--lang", "de"], paths);
    common::json_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"))
}

#[test]
fn an_empty_file_is_what_its_name_says_and_said_to_be_empty() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("apps");
    std::fs::create_dir(&folder).unwrap();
    for (name, kind, label) in [
        ("empty.apk", "android", "Android-App"),
        ("empty.apks", "android", "Android-App"),
        ("empty.xapk", "android", "Android-App"),
        ("empty.ipa", "ios", "iOS-App"),
        ("empty.json", "unknown", "Datei unbekannter Art"),
        ("empty.csv", "inventory", "Geräteinventar"),
        ("empty.plist", "inventory", "Geräteinventar"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, b"").unwrap();
        let report = json_report(&[&path]);
        let t = &report["targets"][0];
        assert_eq!(t["target"]["kind"], kind, "{name}: {t}");
        assert_eq!(t["error"], "the file is empty (0 bytes)", "{name}: {t}");
        assert_eq!(t["error_de"], "Die Datei ist leer (0 Byte)", "{name}: {t}");
        let (table, err, code) = run(&["scan", "--lang", "de"], &[&path]);
        assert_eq!(code, Some(4), "{name}: {err}");
        assert!(
            table.contains(&format!("{name} ({label})")),
            "{name}: {table}"
        );
        assert!(err.contains("Die Datei ist leer (0 Byte)"), "{name}: {err}");
        if kind != "inventory" {
            // No fleet: nothing here is a device export.
            assert!(report["fleet"].is_null(), "{name}: {}", report["fleet"]);
            assert!(!table.contains("Geräteflotte"), "{name}: {table}");
            assert!(!table.contains("pseudonymisiert"), "{name}: {table}");
        }
        if kind == "android" || kind == "ios" {
            std::fs::write(folder.join(name), b"").unwrap();
        }
    }
    // Found in a folder, the same.
    let report = json_report(&[&folder]);
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 4, "{targets:?}");
    for t in targets {
        assert_eq!(t["error_de"], "Die Datei ist leer (0 Byte)", "{t}");
        assert_ne!(t["target"]["kind"], "inventory", "{t}");
    }
    // A named non-zip app given on the command line is an app, not an export.
    let junk = dir.path().join("junk.apk");
    std::fs::write(&junk, b"junk").unwrap();
    let report = json_report(&[&junk]);
    assert_eq!(report["targets"][0]["target"]["kind"], "android");
    assert!(report["fleet"].is_null(), "{}", report["fleet"]);
}

/// The values `--format` lists in `help` (clap's and the German list alike:
/// `- name:` lines below the option).
fn listed_formats(help: &str) -> Vec<String> {
    let after = help
        .split("--format <FORMAT>")
        .nth(1)
        .unwrap_or_else(|| panic!("no --format in\n{help}"));
    let mut out = Vec::new();
    for line in after.lines().skip(1) {
        let line = line.trim();
        if line.starts_with('[') || line.starts_with("-o") || line.starts_with("--") {
            break;
        }
        if let Some(value) = line.strip_prefix("- ").and_then(|v| v.split(':').next()) {
            out.push(value.to_string());
        }
    }
    out
}

#[test]
fn help_lists_only_the_formats_a_command_writes() {
    for lang in ["en", "de"] {
        let (help, _, _) = run(&["compare", "--help", "--lang", lang], &[]);
        assert_eq!(
            listed_formats(&help),
            ["table", "json", "html", "md", "csv"],
            "{lang}:\n{help}"
        );
        let (help, _, _) = run(&["explain", "--help", "--lang", lang], &[]);
        assert_eq!(
            listed_formats(&help),
            ["table", "json", "html", "md"],
            "{lang}:\n{help}"
        );
        // diff writes every format, SARIF too.
        let (help, _, _) = run(&["diff", "--help", "--lang", lang], &[]);
        assert_eq!(
            listed_formats(&help),
            ["table", "json", "sarif", "html", "md", "csv"],
            "{lang}:\n{help}"
        );
        let (short, _, _) = run(&["compare", "-h", "--lang", lang], &[]);
        assert!(!short.contains("sarif"), "{lang}:\n{short}");
    }
    // A format left out of the help is still refused in words.
    let app = common::sample("ios/LeakyChat.ipa");
    let out = run_msgaudit(["compare", "--format", "sarif", "--lang", "de", &app]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--format sarif ist für „msgaudit compare“ nicht verfügbar"),
        "{}",
        text(&out.stderr)
    );
}

/// The error of `scan --lang LANG` for one property list holding `bytes`.
fn plist_error(bytes: &[u8], lang: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("response.plist");
    std::fs::write(&path, bytes).unwrap();
    let (_, err, code) = run(&["scan", "--lang", lang], &[&path]);
    assert_eq!(code, Some(4), "{err}");
    err.lines()
        .find(|l| l.contains("response.plist"))
        .unwrap_or_else(|| panic!("no error for the file in\n{err}"))
        .to_string()
}

#[test]
fn a_broken_property_list_is_explained_in_words_with_its_byte() {
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n";
    let whole = format!(
        "{head}<dict>\n<key>CommandUUID</key>\n<string>0001</string>\n<key>Status</key>\n<string>Acknowledged</string>\n</dict>\n</plist>\n"
    );
    let cut = &whole.as_bytes()[..whole.len() - 30];
    let n = cut.len();
    let de = plist_error(cut, "de");
    assert!(
        de.ends_with(&format!("Fehler: Nicht lesbare Property-Liste: die Datei endet zu früh (abgeschnitten) bei Byte {n} des Exports")),
        "{de}"
    );
    let en = plist_error(cut, "en");
    assert!(
        en.ends_with(&format!("error: unreadable property list: the file ends early (truncated) at byte {n} of the export")),
        "{en}"
    );
    // Other kinds of error: each in words, in both languages, never the
    // parser's token (`UnclosedXmlElement (offset 400)`).
    let cases: [(String, &str, &str); 5] = [
        (
            format!("{head}<dict><key>A</key><integer>12x</integer></dict></plist>"),
            "eine ungültige Ganzzahl oder eine außerhalb des darstellbaren Bereichs bei Byte",
            "an invalid integer, or one out of range at byte",
        ),
        (
            format!("{head}<dict><key>A</key><date>nope</date></dict></plist>"),
            "ein ungültiges Datum bei Byte",
            "an invalid date at byte",
        ),
        (
            format!("{head}<dict><key>A</key><foo>1</foo></dict></plist>"),
            "XML-Syntaxfehler oder ein in Property-Listen unbekanntes Element bei Byte",
            "XML syntax error or an element unknown to property lists at byte",
        ),
        (
            format!("{head}<dict><key>CommandUUID</key></dict></plist>"),
            "der Schlüssel „CommandUUID“ hat keinen Wert",
            "the key 'CommandUUID' has no value",
        ),
        (
            "bplist00\u{1}\u{2}\u{3}\u{4}garbage-garbage-garbage-garbage".to_string(),
            "die binäre Property-Liste ist beschädigt (ihre Objekttabelle oder ihr Trailer ist ungültig)",
            "the binary property list is damaged (its object table or trailer is invalid)",
        ),
    ];
    for (bytes, de, en) in &cases {
        let said_de = plist_error(bytes.as_bytes(), "de");
        assert!(
            said_de.contains(&format!("Nicht lesbare Property-Liste: {de}")),
            "{said_de}"
        );
        let said_en = plist_error(bytes.as_bytes(), "en");
        assert!(
            said_en.contains(&format!("unreadable property list: {en}")),
            "{said_en}"
        );
        for said in [&said_de, &said_en] {
            assert!(
                !said.contains("offset") && !said.contains("Invalid"),
                "{said}"
            );
            assert!(
                !said.contains('“') || said.contains("CommandUUID"),
                "{said}"
            );
        }
    }
}
