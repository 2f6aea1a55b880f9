//! `msgaudit compare` and `msgaudit diff` through the binary: every format
//! and language, the scan's header, `diff --format sarif` against the
//! official OASIS SARIF 2.1.0 schema, refused formats with exit code 2.

mod common;

use std::path::Path;

use common::run_msgaudit;

const OLD: &str = "sample-apps/android/out/securechat-1.0.apk";
const NEW: &str = "sample-apps/android/out/leakychat-2.3.apk";

fn sample(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn stdout(args: &[&str]) -> (String, Option<i32>) {
    let out = run_msgaudit(args);
    (
        String::from_utf8(out.stdout).expect("UTF-8 output"),
        out.status.code(),
    )
}

/// The official OASIS SARIF 2.1.0 schema (tests/data/sarif/README.md).
fn sarif_validator() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        common::json_str(&std::fs::read_to_string(path).expect("schema")).expect("JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile SARIF schema")
}

#[test]
fn diff_sarif_has_the_regressions_as_valid_results() {
    let (old, new) = (sample(OLD), sample(NEW));
    let validator = sarif_validator();
    for lang in ["en", "de"] {
        let (text, code) = stdout(&["diff", &old, &new, "--format", "sarif", "--lang", lang]);
        assert_eq!(code, Some(1), "a regression exits 1");
        let log: serde_json::Value = common::json_str(&text).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
        let run = &log["runs"][0];
        let results = run["results"].as_array().expect("results");
        // The crash-reporting check went from pass to fail: an error result
        // of the check's own rule, with the scan's rule metadata.
        let app05 = results
            .iter()
            .find(|r| r["ruleId"] == "APP-05-crash-default-off")
            .expect("APP-05 regression");
        assert_eq!(app05["level"], "error");
        assert_eq!(app05["kind"], "fail");
        // Every result names its kind; only a failure has a level.
        for r in results {
            assert!(r["kind"].is_string(), "{r}");
            assert_eq!(r["kind"] == "fail", r["level"] != "none", "{r}");
        }
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let rule = &rules[app05["ruleIndex"].as_u64().expect("index") as usize];
        assert_eq!(rule["id"], "APP-05-crash-default-off");
        assert_eq!(rule["properties"]["security-severity"], "8.0");
        assert!(rule["helpUri"]
            .as_str()
            .unwrap_or("")
            .starts_with("https://"));
        // Other regressions: SDKs and permissions, by their own rules.
        assert!(results
            .iter()
            .any(|r| r["ruleId"] == "msgaudit-diff/permission_added"));
        // Every result points at the new file, never by a bare absolute path.
        for r in results {
            let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
            let uri = loc["uri"].as_str().expect("uri");
            assert!(
                uri.starts_with("file://") || loc["uriBaseId"] == "%SRCROOT%",
                "{uri}"
            );
            assert!(uri.ends_with("leakychat-2.3.apk"), "{uri}");
            assert_eq!(
                r["partialFingerprints"]["msgaudit/v1"]
                    .as_str()
                    .map(str::len),
                Some(64)
            );
            // Improvements are no results.
            assert_ne!(r["properties"]["severity"], "improvement");
        }
        let props = &run["invocations"][0]["properties"];
        assert_eq!(props["regression"], true);
        assert_eq!(props["profile"], "dsk-must");
    }
    // The reverse direction has no regression of a check: no check results.
    let (text, _) = stdout(&["diff", &new, &old, "--format", "sarif"]);
    let log: serde_json::Value = common::json_str(&text).expect("JSON");
    assert!(validator.is_valid(&log));
    assert!(log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .all(|r| r["ruleId"]
            .as_str()
            .unwrap_or("")
            .starts_with("msgaudit-diff/")));
}

#[test]
fn diff_in_every_format_is_german_with_lang_de() {
    let (old, new) = (sample(OLD), sample(NEW));
    let dir = tempfile::tempdir().expect("tempdir");
    for format in ["table", "md", "html", "csv", "json"] {
        let file = dir.path().join(format!("diff.{format}"));
        let file_s = file.to_string_lossy().into_owned();
        let (text, code) = stdout(&[
            "diff", &old, &new, "--format", format, "--lang", "de", "--output", &file_s,
        ]);
        assert_eq!(code, Some(1), "{format}");
        assert!(text.is_empty(), "--output writes the file, not stdout");
        let written = std::fs::read_to_string(&file).expect("output file");
        if format != "json" {
            for needle in ["Verschlechterung", "Nicht erfüllt"] {
                assert!(written.contains(needle), "{format} lacks {needle}");
            }
            for english in [
                "Regression",
                " decided",
                "Severity",
                "Change",
                "pass → fail",
            ] {
                assert!(!written.contains(english), "{format} has {english}");
            }
        }
        if format == "html" || format == "md" || format == "table" {
            assert!(written.contains("Prüfdatum") && written.contains("SHA-256"));
            assert!(written.contains("5 von 13 entschieden"), "coverage old/new");
        }
    }
}

#[test]
fn compare_header_platforms_and_refused_sarif() {
    let apps = [
        sample("sample-apps/android/out/securechat-1.0.apk"),
        sample("sample-apps/ios/SecureChat.ipa"),
        sample("sample-apps/android/out/leakychat-2.3.apk"),
    ];
    let mut args = vec![
        "compare",
        "--no-auto-group",
        "--format",
        "html",
        "--lang",
        "de",
    ];
    args.extend(apps.iter().map(String::as_str));
    let (html, code) = stdout(&args);
    assert_eq!(code, Some(0));
    assert!(html.contains("Plattform: iOS") && html.contains("Plattform: Android"));
    assert!(html.contains("von") && html.contains("entschieden"));
    assert!(html.contains("Prüfdatum") && html.contains("dsk-must"));
    assert!(html.contains("<details><summary>Belege</summary>"));
    let mut args = vec!["compare", "--format", "sarif", "--lang", "de"];
    args.extend(apps.iter().map(String::as_str));
    let out = run_msgaudit(&args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--format sarif ist für „msgaudit compare“ nicht verfügbar"),
        "{err}"
    );
}

#[test]
fn checks_and_explain_write_every_format_they_have_and_refuse_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    // checks: table, json, md, html, csv (and answers).
    for (format, needle) in [
        ("table", "Anforderung"),
        ("json", "\"requirement\""),
        ("md", "| Anforderung |"),
        ("html", "<th>Anforderung</th>"),
        ("csv", "ID;Anforderung;Stufe"),
    ] {
        let file = dir.path().join(format!("checks.{format}"));
        let file_s = file.to_string_lossy().into_owned();
        let (text, code) = stdout(&["checks", "--format", format, "--lang", "de", "-o", &file_s]);
        assert_eq!(code, Some(0), "{format}");
        assert!(text.is_empty());
        let written = std::fs::read_to_string(&file).expect("written");
        assert!(written.contains(needle), "{format}: {written}");
        // The terminal table may wrap a long id.
        assert!(written.contains("APP-05-crash"), "{format}");
        if format != "json" {
            assert!(!written.contains("Requirement"), "{format} is German");
        }
    }
    let out = run_msgaudit(["checks", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2), "no SARIF for a check list");

    // explain: table, json, md, html; csv and sarif refused with exit 2.
    for (format, needle) in [
        ("table", "Wie entschieden wird"),
        ("md", "### Wie entschieden wird"),
        ("html", "<h3>Wie entschieden wird"),
        ("json", "\"rules\""),
    ] {
        let file = dir.path().join(format!("explain.{format}"));
        let file_s = file.to_string_lossy().into_owned();
        let (text, code) = stdout(&[
            "explain", "APP-05", "--format", format, "--lang", "de", "--output", &file_s,
        ]);
        assert_eq!(code, Some(0), "{format}");
        assert!(text.is_empty());
        let written = std::fs::read_to_string(&file).expect("written");
        assert!(written.contains(needle), "{format}: {written}");
        assert!(written.contains("APP-05-crash-default-off"), "{format}");
        if format != "json" {
            assert!(written.contains("Abhilfe") && !written.contains("How to fix"));
        }
    }
    let json: serde_json::Value =
        common::json_str(&stdout(&["explain", "APP-05-crash-default-off", "--format", "json"]).0)
            .expect("JSON");
    assert_eq!(json["checks"][0]["id"], "APP-05-crash-default-off");
    assert_eq!(json["requirement"]["id"], "APP-05");
    assert!(json["checks"][0]["rules"]
        .as_array()
        .is_some_and(|r| !r.is_empty()));
    for format in ["csv", "sarif"] {
        let out = run_msgaudit(["explain", "APP-05", "--format", format, "--lang", "de"]);
        assert_eq!(out.status.code(), Some(2), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!(
                "--format {format} ist für „msgaudit explain“ nicht verfügbar"
            )),
            "{err}"
        );
    }
}

#[test]
fn sdks_writes_table_json_md_html_and_csv() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, needle) in [
        ("md", "| Kategorie |"),
        ("html", "<th>Erfassung ab Werk</th>"),
        ("csv", "ID;Name;Kategorie"),
    ] {
        let file = dir.path().join(format!("sdks.{format}"));
        let file_s = file.to_string_lossy().into_owned();
        let (text, code) = stdout(&["sdks", "--format", format, "--lang", "de", "-o", &file_s]);
        assert_eq!(code, Some(0), "{format}");
        assert!(text.is_empty());
        let written = std::fs::read_to_string(&file).expect("written");
        assert!(written.contains(needle), "{format}");
        assert!(written.contains("Firebase Crashlytics"), "{format}");
        assert!(written.contains("SDK-Signaturen") || format == "csv");
    }
    let out = run_msgaudit(["sdks", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(2), "no SARIF for the SDK list");
}

/// Writes `text` to `name` in `dir`.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

#[test]
fn diff_says_when_an_answer_no_longer_decides_a_check_in_every_format() {
    // The sample answers are bound to SecureChat 1.0: for 1.1 they are
    // answers for another version, and the diff must say so.
    let old = sample("sample-apps/android/out/securechat-1.0.apk");
    let new = sample("sample-apps/android/out/securechat-1.1.apk");
    let answers = sample("sample-apps/answers/securechat.toml");
    let base = [
        "diff",
        old.as_str(),
        new.as_str(),
        "--answers",
        answers.as_str(),
        "--as-of",
        "2026-11-23",
    ];
    for (format, lang, needles) in [
        (
            "table",
            "de",
            &[
                "Bestätigung von",
                "bestätigt → Bestätigung für andere Version",
            ][..],
        ),
        (
            "md",
            "en",
            &["attested → attestation for another version"][..],
        ),
        (
            "html",
            "de",
            &["bestätigt → Bestätigung für andere Version", "APP-06"][..],
        ),
        (
            "csv",
            "en",
            &["attestation_changed,APP-06-deletion,applied,other_version"][..],
        ),
        (
            "json",
            "en",
            &[
                "\"kind\": \"attestation_changed\"",
                "\"new\": \"other_version\"",
            ][..],
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(["--format", format, "--lang", lang]);
        let (text, code) = stdout(&args);
        assert_eq!(
            code,
            Some(1),
            "{format}: a lost attestation is a regression"
        );
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for n in needles {
            assert!(flat.contains(n), "{format} lacks {n}:\n{text}");
        }
    }
    // SARIF: a result of the attestation rule per check, and every change
    // in the invocation's properties.
    let mut args = base.to_vec();
    args.extend(["--format", "sarif"]);
    let log: serde_json::Value = serde_json::from_str(&stdout(&args).0).expect("JSON");
    assert!(sarif_validator().is_valid(&log));
    let run = &log["runs"][0];
    let results = run["results"].as_array().expect("results");
    let att = results
        .iter()
        .find(|r| {
            r["ruleId"] == "msgaudit-diff/attestation_changed"
                && r["properties"]["subject"] == "APP-06-deletion"
        })
        .expect("attestation result");
    assert_eq!(att["properties"]["old"], "applied");
    assert_eq!(att["properties"]["new"], "other_version");
    let changes = run["invocations"][0]["properties"]["attestationChanges"]
        .as_array()
        .expect("attestationChanges");
    assert!(changes
        .iter()
        .any(|c| c["check"] == "APP-06-deletion" && c["new"] == "other_version"));
    // Without answers on either side nothing changed about attestations.
    let (text, _) = stdout(&["diff", &old, &new, "--format", "json"]);
    assert!(!text.contains("attestation_changed"));
}

#[test]
fn compare_marks_a_cell_where_an_answer_conflicts_with_an_automatic_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    // LeakyChat reports crashes by default: APP-05 fails automatically; an
    // answer saying it passes is a conflict, and the fail stands.
    let answers = write(
        dir.path(),
        "a.toml",
        "[[answer]]\ncheck = \"APP-05-crash-default-off\"\ntarget = \"org.example.leakychat\"\n\
         outcome = \"pass\"\nby = \"Dr. A. Prüfer\"\ndate = \"2026-05-01\"\nnote = \"Getestet.\"\n",
    );
    let leaky = sample("sample-apps/android/out/leakychat-2.3.apk");
    let secure = sample("sample-apps/android/out/securechat-1.0.apk");
    let base = [
        "compare",
        "--no-auto-group",
        leaky.as_str(),
        secure.as_str(),
        "--answers",
        answers.as_str(),
        "--as-of",
        "2026-11-23",
    ];
    for (format, lang, needles) in [
        (
            "table",
            "de",
            &[
                "Nicht erfüllt ≠",
                "≠ Widerspruch: Eine Antwort widerspricht",
            ][..],
        ),
        (
            "md",
            "en",
            &["**Fail** ≠", "≠ conflict: an answer contradicts"][..],
        ),
        (
            "html",
            "de",
            &[
                "<span class=\"badge attest conflict\" title=",
                "≠ Widerspruch</span>",
            ][..],
        ),
        (
            "csv",
            "en",
            &["APP-05-crash-default-off (Fail; conflict)"][..],
        ),
        (
            "json",
            "en",
            &["\"conflict\": true", "\"attestation_status\": \"conflict\""][..],
        ),
    ] {
        let mut args = base.to_vec();
        args.extend(["--format", format, "--lang", lang]);
        let (text, _) = stdout(&args);
        for n in needles {
            assert!(text.contains(n), "{format} lacks {n}:\n{text}");
        }
    }
    // The CSV's conflict column is "yes" on LeakyChat's APP-05 row only.
    let mut args = base.to_vec();
    args.extend(["--format", "csv"]);
    let csv = stdout(&args).0;
    let header = csv.lines().next().expect("header");
    assert!(header.ends_with(",conflict"), "{header}");
    let conflicted: Vec<&str> = csv.lines().filter(|l| l.ends_with(",yes")).collect();
    assert_eq!(conflicted.len(), 1, "{conflicted:?}");
    assert!(conflicted[0].contains("APP-05") && conflicted[0].contains("LeakyChat"));
    // Without the answer no cell is marked.
    let (text, _) = stdout(&["compare", "--no-auto-group", &leaky, &secure]);
    assert!(!text.contains('≠'));
}
