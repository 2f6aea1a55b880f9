//! Attestations end to end on the sample apps and an Intune export: an answer
//! is bound to the app version or file it was made for and to its
//! `valid_until`; an answer that decided a check carries a "bestätigt" /
//! "attested" badge, once; an answer contradicting an automatic outcome is a
//! conflict shown in every format, and the automatic fail stands.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

fn sample(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(rel)
        .display()
        .to_string()
}

fn secure(version: &str) -> String {
    sample(&format!("android/out/securechat-{version}.apk"))
}

/// Runs `msgaudit scan` with `args` and returns (exit code, stdout).
fn scan(args: &[&str]) -> (i32, String) {
    let mut all = vec!["scan"];
    all.extend_from_slice(args);
    let out = run_msgaudit(&all);
    let stdout = String::from_utf8(out.stdout).expect("UTF-8 output");
    assert!(
        !stdout.is_empty(),
        "scan {args:?} printed nothing; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), stdout)
}

/// `scan --format FORMAT --lang LANG --as-of AS_OF --answers ANSWERS FILE`.
fn scan_as(format: &str, lang: &str, as_of: &str, answers: &Path, file: &str) -> (i32, String) {
    let answers = answers.to_str().unwrap();
    scan(&[
        "--format",
        format,
        "--lang",
        lang,
        "--as-of",
        as_of,
        "--answers",
        answers,
        file,
    ])
}

/// The JSON report of `scan` over `files` with `answers` at `as_of`.
fn report(files: &[&str], answers: &Path, as_of: &str) -> Value {
    let mut args = vec!["--format", "json", "--as-of", as_of, "--answers"];
    let answers = answers.to_str().unwrap();
    args.push(answers);
    args.extend_from_slice(files);
    common::json_str(&scan(&args).1).expect("JSON report")
}

/// The result of `check` on the target whose file name ends in `file` (apps)
/// or whose name is `file` (devices).
fn result<'a>(report: &'a Value, file: &str, check: &str) -> &'a Value {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["target"]["file"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(file))
                && t["target"]["kind"] != "device"
                || t["target"]["name"] == file
        })
        .and_then(|t| t["results"].as_array())
        .and_then(|rs| rs.iter().find(|r| r["check"] == check))
        .unwrap_or_else(|| panic!("{file}: no result for {check}"))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn answer(check: &str, outcome: &str, extra: &str) -> String {
    format!(
        "[[answer]]\ncheck = \"{check}\"\n{extra}outcome = \"{outcome}\"\nby = \"Dr. A. Prüfer\"\ndate = \"2026-05-01\"\nnote = \"Auf dem Gerät getestet.\"\n"
    )
}

#[test]
fn a_version_bound_answer_decides_its_version_and_not_another() {
    // The sample answers are bound to SecureChat 1.0; 1.1 has the same app id.
    let answers = PathBuf::from(sample("answers/securechat.toml"));
    let r = report(&[&secure("1.0"), &secure("1.1")], &answers, "2026-11-23");
    let old = result(&r, "securechat-1.0.apk", "APP-06-deletion");
    assert_eq!(old["outcome"], "pass");
    assert_eq!(old["attested"], true);
    assert_eq!(old["attestation_status"], "applied");
    assert_eq!(old["attestation"]["version"], "1.0");
    assert_eq!(old["attestation"]["automatic_outcome"], "manual");
    let new = result(&r, "securechat-1.1.apk", "APP-06-deletion");
    assert_eq!(new["outcome"], "manual", "1.0's answer does not decide 1.1");
    assert!(new.get("attested").is_none(), "{new}");
    assert_eq!(new["attestation_status"], "other_version");
    assert_eq!(
        new["attestation"]["reason"]["de"],
        "Bestätigung vom 2026-11-20 gilt für Version 1.0, geprüft wird 1.1 (2); es gilt das automatische Ergebnis."
    );
    // Every format says why, in German.
    for format in ["table", "html", "md", "csv", "sarif"] {
        let (_, out) = scan_as(format, "de", "2026-11-23", &answers, &secure("1.1"));
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("gilt für Version 1.0, geprüft wird 1.1 (2)"),
            "{format}: {out}"
        );
        // The badge (the table may wrap it in its outcome column).
        assert!(
            flat.contains("(Bestätigung für") || flat.contains("Bestätigung für andere Version"),
            "{format}"
        );
    }
}

#[test]
fn a_sha256_bound_answer_decides_that_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let none = write(dir.path(), "none.toml", "");
    let r = report(&[&secure("1.0")], &none, "2026-11-23");
    let sha = r["targets"][0]["target"]["file"]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let answers = write(
        dir.path(),
        "a.toml",
        &answer(
            "APP-06-deletion",
            "pass",
            &format!("sha256 = \"{}\"\n", sha.to_uppercase()),
        ),
    );
    let r = report(&[&secure("1.0"), &secure("1.1")], &answers, "2026-11-23");
    let hit = result(&r, "securechat-1.0.apk", "APP-06-deletion");
    assert_eq!(
        (&hit["outcome"], &hit["attestation_status"]),
        (&"pass".into(), &"applied".into())
    );
    let miss = result(&r, "securechat-1.1.apk", "APP-06-deletion");
    assert_eq!(miss["outcome"], "manual");
    assert_eq!(miss["attestation_status"], "other_version");
    let reason = miss["attestation"]["reason"]["en"].as_str().unwrap();
    assert!(
        reason.starts_with(&format!(
            "Attestation of 2026-05-01 is for the file with SHA-256 {}…, the audited file is ",
            &sha[..16]
        )),
        "{reason}"
    );
}

#[test]
fn an_answer_holds_until_valid_until_and_is_ignored_with_the_reason_after() {
    let dir = tempfile::tempdir().unwrap();
    let answers = write(
        dir.path(),
        "a.toml",
        &answer(
            "APP-06-deletion",
            "pass",
            "version = \"1.0 (1)\"\nvalid_until = \"2026-11-30\"\n",
        ),
    );
    // On the last valid day it decides.
    let r = report(&[&secure("1.0")], &answers, "2026-11-30");
    let on = result(&r, "securechat-1.0.apk", "APP-06-deletion");
    assert_eq!(on["outcome"], "pass");
    assert_eq!(on["attestation"]["valid_until"], "2026-11-30");
    // A day later it no longer does, and the report says why.
    let r = report(&[&secure("1.0")], &answers, "2026-12-01");
    let after = result(&r, "securechat-1.0.apk", "APP-06-deletion");
    assert_eq!(after["outcome"], "manual");
    assert_eq!(after["attestation_status"], "expired");
    assert_eq!(
        after["attestation"]["reason"]["en"],
        "Attestation of 2026-05-01 was valid until 2026-11-30 and has expired at the audit date 2026-12-01; the automatic outcome stands."
    );
    for (format, lang, needle) in [
        ("table", "de", "ist zum Prüfdatum 2026-12-01 abgelaufen"),
        ("html", "de", "Bestätigung abgelaufen"),
        ("md", "en", "has expired at the audit date 2026-12-01"),
        (
            "csv",
            "en",
            "attestation expired: Attestation of 2026-05-01",
        ),
        ("sarif", "en", "\"attestationStatus\": \"expired\""),
    ] {
        let (code, out) = scan_as(format, lang, "2026-12-01", &answers, &secure("1.0"));
        assert_eq!(code, 3, "{format}: still incomplete");
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains(needle), "{format}: {needle}\n{out}");
    }
}

#[test]
fn an_answer_never_overrides_an_automatic_fail_and_the_conflict_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    // LeakyChat reports crashes by default: APP-05 fails automatically.
    let answers = write(
        dir.path(),
        "a.toml",
        &format!(
            "{}{}",
            answer("APP-05-crash-default-off", "pass", ""),
            answer("APP-03-contacts-separate", "fail", ""),
        ),
    );
    let leaky = sample("android/out/leakychat-2.3.apk");
    let r = report(&[&leaky, &secure("1.0")], &answers, "2026-11-23");
    let fail = result(&r, "leakychat-2.3.apk", "APP-05-crash-default-off");
    assert_eq!(fail["outcome"], "fail", "the automatic fail stands");
    assert!(fail.get("attested").is_none());
    assert_eq!(fail["attestation_status"], "conflict");
    assert_eq!(fail["attestation"]["outcome"], "pass");
    assert_eq!(fail["attestation"]["automatic_outcome"], "fail");
    assert!(
        fail["message"]["en"]
            .as_str()
            .unwrap()
            .contains("crash-reporting SDK collects data from the first start"),
        "the automatic finding stays: {}",
        fail["message"]
    );
    assert!(!fail["evidence"].as_array().unwrap().is_empty());
    // An answer's fail against an automatic pass: the stricter answer stands.
    let strict = result(&r, "securechat-1.0.apk", "APP-03-contacts-separate");
    assert_eq!(strict["outcome"], "fail");
    assert_eq!(strict["attested"], true);
    assert_eq!(strict["attestation_status"], "conflict");
    assert_eq!(strict["attestation"]["automatic_outcome"], "pass");

    // HTML and Markdown show both the answer and the automatic finding.
    for (format, badge) in [
        (
            "html",
            "<span class=\"badge attest conflict\">Widerspruch</span>",
        ),
        ("md", "<br>Widerspruch"),
    ] {
        let (code, out) = scan_as(format, "de", "2026-11-23", &answers, &leaky);
        assert_eq!(code, 1, "{format}: not compliant");
        assert!(out.contains(badge), "{format}: {out}");
        assert!(
            out.contains("Widerspruch: Die automatische Prüfung ergab „nicht erfüllt“, die Antwort lautet „erfüllt“. Das automatische Ergebnis gilt: Eine Antwort hebt kein automatisches „nicht erfüllt“ auf."),
            "{format}"
        );
        assert!(
            out.contains("Antwort von Dr. A. Prüfer, 2026-05-01: Auf dem Gerät getestet."),
            "{format}"
        );
        assert!(
            out.contains("firebase_crashlytics_collection_enabled"),
            "{format}: evidence kept"
        );
    }
}

/// The lines (Markdown rows, HTML result rows) that hold `check`.
fn rows_of<'a>(out: &'a str, check: &str, split: &str) -> Vec<&'a str> {
    out.split(split).filter(|r| r.contains(check)).collect()
}

#[test]
fn the_badge_appears_once_and_the_hint_disappears() {
    let answers = PathBuf::from(sample("answers/securechat.toml"));
    let attested = [
        "APP-01-privacy-info",
        "APP-06-deletion",
        "COM-04-certificate-management",
    ];
    let run = |format: &str| scan_as(format, "de", "2026-11-23", &answers, &secure("1.0")).1;
    let md = run("md");
    for check in attested {
        let rows = rows_of(&md, &format!("`{check}`"), "\n");
        assert_eq!(rows.len(), 1, "{check}");
        assert_eq!(rows[0].matches("bestätigt").count(), 1, "{}", rows[0]);
        assert!(!rows[0].contains("bestätigen"), "hint gone: {}", rows[0]);
    }
    let html = run("html");
    for check in attested {
        let rows = rows_of(&html, &format!(">{check}<"), "<tr class=\"finding\">");
        assert_eq!(rows.len(), 1, "{check}");
        let row = rows[0].split("</tr>").next().unwrap();
        assert_eq!(row.matches("bestätigt").count(), 1, "{row}");
        assert!(row.contains("<span class=\"badge attest applied\">bestätigt</span>"));
        assert!(!row.contains("bestätigen"), "hint gone: {row}");
    }
    // The terminal table: once per attested check, in the outcome column.
    let table = run("table");
    let json: Value = common::json_str(&run("json")).unwrap();
    let results = json["targets"][0]["results"].as_array().unwrap();
    let n = results.iter().filter(|r| r["attested"] == true).count();
    assert_eq!(n, 8, "the sample answers decide eight checks");
    assert_eq!(table.matches("bestätigt").count(), n, "{table}");
    // Without answers the same checks ask for one.
    let none = scan(&[
        "--format",
        "json",
        "--lang",
        "de",
        "--as-of",
        "2026-11-23",
        &secure("1.0"),
    ])
    .1;
    let none: Value = common::json_str(&none).unwrap();
    let hint = result(&none, "securechat-1.0.apk", "APP-06-deletion");
    assert!(hint["message"]["de"]
        .as_str()
        .unwrap()
        .contains("in der Antwortdatei bestätigen"));
    let answered = result(&json, "securechat-1.0.apk", "APP-06-deletion");
    assert!(!answered["message"]["de"]
        .as_str()
        .unwrap()
        .contains("bestätigen"));
}

#[test]
fn the_template_binds_each_answer_to_the_apps_version_and_file() {
    let out = run_msgaudit(["checks", "--format", "answers", &secure("1.0")]);
    assert_eq!(out.status.code(), Some(0));
    let template = String::from_utf8(out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let none = write(dir.path(), "none.toml", "");
    let r = report(&[&secure("1.0")], &none, "2026-11-23");
    let sha = r["targets"][0]["target"]["file"]["sha256"]
        .as_str()
        .unwrap();
    assert!(template.contains("target = \"org.example.securechat\"\nversion = \"1.0 (1)\"\n"));
    assert!(template.contains(&format!("sha256 = \"{sha}\"\n")));
    assert!(template.contains("# valid_until = \"\""), "{template}");
    // Filled in, it decides 1.0 and not 1.1.
    let filled = template
        .replace("outcome = \"\"", "outcome = \"pass\"")
        .replace("by = \"\"", "by = \"QA\"")
        .replace("date = \"\"", "date = \"2026-11-20\"");
    let answers = write(dir.path(), "filled.toml", &filled);
    let r = report(&[&secure("1.0"), &secure("1.1")], &answers, "2026-11-23");
    assert_eq!(r["targets"][0]["verdict"], "compliant");
    let new = result(&r, "securechat-1.1.apk", "APP-06-deletion");
    assert_eq!(new["attestation_status"], "other_version");
    // Without apps, the bindings are offered as comments.
    let out = run_msgaudit(["checks", "--format", "answers"]);
    let bare = String::from_utf8(out.stdout).unwrap();
    assert!(bare.contains("# version = \"\""));
    assert!(bare.contains("# sha256 = \"\""));
    assert!(bare.contains("# valid_until = \"\""));
    // An inventory is no app; a missing file is named.
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let out = run_msgaudit(["checks", "--format", "answers", &inv]);
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("intune-graph-managedDevices.json: is a device inventory, not an app"));
    let out = run_msgaudit(["checks", "--format", "answers", "/nonexistent/x.apk"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/x.apk"));
}

#[test]
fn device_answers_expire_and_version_bound_answers_skip_devices() {
    let dir = tempfile::tempdir().unwrap();
    let inv = sample("inventories/intune-graph-managedDevices.json");
    let answers = write(
        dir.path(),
        "a.toml",
        &answer("DEV-02-passcode", "pass", "valid_until = \"2026-11-30\"\n"),
    );
    let count = |r: &Value, status: &str| {
        r["targets"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|t| t["results"].as_array().unwrap())
            .filter(|r| r["check"] == "DEV-02-passcode" && r["attestation_status"] == status)
            .count()
    };
    let before = report(&[&inv], &answers, "2026-11-23");
    // Five devices leave the passcode open, one fails it automatically.
    assert_eq!(count(&before, "applied"), 5);
    assert_eq!(count(&before, "conflict"), 1);
    let after = report(&[&inv], &answers, "2026-12-01");
    // Expired, the answer decides nothing, and the conflict is now an expired answer too.
    assert_eq!(count(&after, "expired"), 6);
    assert_eq!(count(&after, "applied"), 0);
    // A version binding is for apps: devices do not match it.
    let bound = write(
        dir.path(),
        "b.toml",
        &answer("DEV-02-passcode", "pass", "version = \"1.0\"\n"),
    );
    let r = report(&[&inv], &bound, "2026-11-23");
    assert_eq!(count(&r, "applied") + count(&r, "other_version"), 0);
}

#[test]
fn errors_in_bindings_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let answers = write(
        dir.path(),
        "a.toml",
        &format!(
            "# two answers\n{}\n{}",
            answer("APP-06-deletion", "pass", ""),
            answer(
                "APP-01-privacy-info",
                "pass",
                "valid_until = \"31.12.2026\"\n"
            )
        ),
    );
    let out = run_msgaudit([
        "scan",
        "--answers",
        answers.to_str().unwrap(),
        &secure("1.0"),
    ]);
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a.toml: answer 2 (line 9): valid_until `31.12.2026` is not YYYY-MM-DD"),
        "{err}"
    );
}
