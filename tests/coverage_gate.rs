//! `scan --min-coverage`: the run fails (exit 1, as below `--min-score`) when
//! a target has fewer than PERCENT of its applicable checks decided, and
//! standard error says what a score rests on (docs/checks.md, *`--min-score`
//! and `--min-coverage`*). The SARIF log states the process's exit code
//! (`invocations[0].exitCode`).
//!
//! The sample OldChat 2.0 has 2 of 13 applicable checks decided (15.38 %),
//! both passed: a score of 100 % that `--min-score 80` alone lets through.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const AS_OF: &str = "2026-12-05";

fn sample(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(rel)
}

fn oldchat() -> String {
    sample("android/out/oldchat-2.0.apk").display().to_string()
}

/// `msgaudit scan PATHS… ARGS…` with a fixed audit date, as JSON on stdout.
fn scan(paths: &[&str], args: &[&str]) -> Output {
    let mut all = vec!["scan"];
    all.extend_from_slice(paths);
    all.extend_from_slice(&["--as-of", AS_OF, "--format", "json"]);
    all.extend_from_slice(args);
    common::run_msgaudit(all)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("msgaudit exits with a code")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Valid against the official OASIS SARIF 2.1.0 schema.
fn assert_valid(log: &Value) {
    common::assert_valid_sarif(log);
}

#[test]
fn the_sample_rests_on_two_of_thirteen_checks() {
    let out = scan(&[&oldchat()], &[]);
    let report: Value = common::json(&out.stdout).expect("a JSON report");
    let t = &report["targets"][0];
    assert_eq!(t["coverage"]["decided"], 2, "{}", t["coverage"]);
    assert_eq!(t["coverage"]["total"], 13, "{}", t["coverage"]);
    assert_eq!(t["score"], 100.0);
}

#[test]
fn min_score_alone_passes_but_min_coverage_above_the_real_coverage_fails() {
    let app = oldchat();
    let gate = ["--fail-on", "not-compliant", "--min-score", "80"];
    // The misleading pass: 100 % of 2 decided checks.
    assert_eq!(code(&scan(&[&app], &gate)), 0);
    for (floor, expected) in [
        ("80", 1),
        ("16", 1),
        // 2 of 13 is 15.38 %: exact at the boundary.
        ("15.39", 1),
        ("15.38", 0),
        ("15", 0),
        ("0", 0),
    ] {
        let mut args = gate.to_vec();
        args.extend(["--min-coverage", floor]);
        let out = scan(&[&app], &args);
        assert_eq!(
            code(&out),
            expected,
            "--min-coverage {floor}: {}",
            stderr(&out)
        );
        // The report is written either way.
        let report: Value = common::json(&out.stdout).expect("a JSON report");
        assert_eq!(report["targets"][0]["verdict"], "incomplete");
    }
    // Without --min-score and under every --fail-on.
    for fail_on in ["never", "not-compliant", "incomplete"] {
        let out = scan(&[&app], &["--fail-on", fail_on, "--min-coverage", "50"]);
        assert_eq!(code(&out), 1, "--fail-on {fail_on}");
    }
    // A floor the sample meets leaves the verdict's code: incomplete is 3.
    let out = scan(&[&app], &["--min-coverage", "10"]);
    assert_eq!(code(&out), 3);
}

#[test]
fn stderr_says_what_the_score_rests_on_in_english_and_german() {
    let app = oldchat();
    let failing = ["--fail-on", "not-compliant", "--min-score", "80"];
    let with_floor = |lang: &str| {
        let mut args = failing.to_vec();
        args.extend(["--min-coverage", "80", "--lang", lang]);
        scan(&[&app], &args)
    };
    let en = with_floor("en");
    assert_eq!(code(&en), 1);
    assert!(
        stderr(&en).contains(
            "oldchat-2.0.apk: the score of 100 % rests on only 2 of 13 applicable checks \
             (15.4 % decided); --min-coverage asks for at least 80 %"
        ),
        "{}",
        stderr(&en)
    );
    let de = with_floor("de");
    assert_eq!(code(&de), 1);
    assert!(
        stderr(&de).contains(
            "oldchat-2.0.apk: Der Erfüllungsgrad von 100 % beruht auf nur 2 von 13 anwendbaren \
             Prüfungen (15,4 % entschieden); --min-coverage verlangt mindestens 80 %"
        ),
        "{}",
        stderr(&de)
    );

    // --min-score alone: a note (the exit code stays 0) that points to --min-coverage.
    let note = |lang: &str| {
        let mut args = failing.to_vec();
        args.extend(["--lang", lang]);
        scan(&[&app], &args)
    };
    let en = note("en");
    assert_eq!(code(&en), 0);
    assert!(
        stderr(&en).contains(
            "oldchat-2.0.apk: note: the score of 100 % rests on only 2 of 13 applicable checks \
             (15.4 % decided); --min-coverage sets how many must be decided"
        ),
        "{}",
        stderr(&en)
    );
    let de = note("de");
    assert_eq!(code(&de), 0);
    assert!(
        stderr(&de).contains(
            "oldchat-2.0.apk: Hinweis: Der Erfüllungsgrad von 100 % beruht auf nur 2 von 13 \
             anwendbaren Prüfungen (15,4 % entschieden); wie viele entschieden sein müssen, \
             legt --min-coverage fest"
        ),
        "{}",
        stderr(&de)
    );

    // Without --min-score the line says how many were decided.
    let out = scan(&[&app], &["--min-coverage", "50", "--lang", "de"]);
    assert!(
        stderr(&out).contains(
            "oldchat-2.0.apk: nur 2 von 13 anwendbaren Prüfungen entschieden (15,4 %); \
             --min-coverage verlangt mindestens 50 %"
        ),
        "{}",
        stderr(&out)
    );
    // A floor that is met says nothing about coverage.
    let out = scan(&[&app], &["--min-score", "80", "--min-coverage", "15"]);
    assert!(!stderr(&out).contains("rests on"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("decided"), "{}", stderr(&out));
}

#[test]
fn devices_below_the_floor_are_counted_in_one_line() {
    let export = sample("inventories/intune-graph-managedDevices.json")
        .display()
        .to_string();
    let out = scan(&[&export], &["--fail-on", "never", "--min-coverage", "0"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report: Value = common::json(&out.stdout).expect("a JSON report");
    let devices = common::device_targets(&report);
    assert!(!devices.is_empty());
    let below_all = devices
        .iter()
        .filter(|d| d["coverage"]["decided"] != d["coverage"]["total"])
        .count();
    assert!(below_all > 0, "a device has an open check");
    let out = scan(&[&export], &["--fail-on", "never", "--min-coverage", "100"]);
    assert_eq!(code(&out), 1);
    let line = format!(
        "msgaudit: on {below_all} of {} devices fewer than the 100 % of the applicable checks \
         that --min-coverage asks for are decided",
        devices.len()
    );
    assert!(stderr(&out).contains(&line), "{}", stderr(&out));
    // One line for the devices, not one per device.
    assert_eq!(stderr(&out).matches("--min-coverage").count(), 1);
}

#[test]
fn an_unreadable_target_exits_4_whatever_the_floor() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(oldchat()).unwrap();
    let truncated = dir.path().join("oldchat-truncated.apk");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let truncated = truncated.display().to_string();
    for floor in ["0", "100"] {
        let out = scan(
            &[&truncated, &oldchat()],
            &["--fail-on", "never", "--min-coverage", floor],
        );
        assert_eq!(code(&out), 4, "--min-coverage {floor}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("oldchat-truncated.apk: error:"), "{err}");
        // Its error line says why; no coverage line is printed for it.
        assert!(
            !err.lines()
                .any(|l| l.contains("oldchat-truncated.apk") && l.contains("decided")),
            "{err}"
        );
    }
}

/// `scan … --format sarif -o FILE`: the exit code and the log written.
fn sarif_run(dir: &Path, paths: &[&str], args: &[&str]) -> (i32, Value) {
    let file = dir.join("report.sarif");
    let _ = std::fs::remove_file(&file);
    let mut all = vec!["scan"];
    all.extend_from_slice(paths);
    all.extend_from_slice(&["--as-of", AS_OF, "--format", "sarif", "-o"]);
    let file_arg = file.display().to_string();
    all.push(&file_arg);
    all.extend_from_slice(args);
    let out = common::run_msgaudit(all);
    let text = std::fs::read_to_string(&file).expect("the SARIF file is written");
    let log: Value = common::json_str(&text).expect("SARIF is JSON");
    assert_valid(&log);
    (code(&out), log)
}

/// One run of [`sarif_states_the_exit_code_the_process_returns`].
struct Case<'a> {
    what: &'a str,
    paths: Vec<&'a str>,
    args: &'a [&'a str],
    code: i32,
    description: &'a str,
}

fn invocation(log: &Value) -> &Value {
    &log["runs"][0]["invocations"][0]
}

#[test]
fn sarif_states_the_exit_code_the_process_returns() {
    let dir = tempfile::tempdir().unwrap();
    let app = oldchat();
    // SecureChat 1.1 scores 60 % (OldChat 2.0 100 %, which no gate of at most 100 fails).
    let scored_60 = sample("android/out/securechat-1.1.apk")
        .display()
        .to_string();
    let bytes = std::fs::read(&app).unwrap();
    let truncated = dir.path().join("truncated.apk");
    std::fs::write(&truncated, &bytes[..bytes.len() / 3]).unwrap();
    let truncated = truncated.display().to_string();
    let failing = ["--fail-on", "not-compliant", "--min-coverage", "80"];
    let case = |what, paths, args, code, description| Case {
        what,
        paths,
        args,
        code,
        description,
    };
    let cases = [
        case(
            "a failing coverage gate",
            vec![app.as_str()],
            &failing,
            1,
            "a target's share of decided checks is below --min-coverage",
        ),
        case(
            "a failing score gate",
            vec![scored_60.as_str()],
            &["--fail-on", "never", "--min-score", "70"],
            1,
            "a target's score is below --min-score",
        ),
        // Every cause that applies, not only the one that decides the code.
        case(
            "an incomplete target below the coverage gate",
            vec![app.as_str()],
            &["--min-coverage", "80"],
            1,
            "a target's share of decided checks is below --min-coverage; a target is incomplete",
        ),
        case(
            "a passing run",
            vec![app.as_str()],
            &["--fail-on", "not-compliant", "--min-coverage", "15"],
            0,
            "no target fails the run's gates",
        ),
        case(
            "an incomplete target",
            vec![app.as_str()],
            &[],
            3,
            "a target is incomplete",
        ),
        case(
            "an unreadable target",
            vec![truncated.as_str(), app.as_str()],
            &failing,
            4,
            "an input could not be read in full",
        ),
        case(
            "an unreadable target beside an incomplete one",
            vec![truncated.as_str(), app.as_str()],
            &[],
            4,
            "an input could not be read in full; a target is incomplete",
        ),
    ];
    for Case {
        what,
        paths,
        args,
        code: expected,
        description,
    } in cases
    {
        let (code, log) = sarif_run(dir.path(), &paths, args);
        assert_eq!(code, expected, "{what}");
        let inv = invocation(&log);
        assert_eq!(inv["exitCode"], code, "{what}: {inv}");
        assert_eq!(inv["exitCodeDescription"], description, "{what}: {inv}");
        // executionSuccessful stays what it was: false only for unread input.
        assert_eq!(inv["executionSuccessful"], code != 4, "{what}: {inv}");
    }
    // The German log states the same code, and why in German, as its messages.
    let mut args = failing.to_vec();
    args.extend(["--lang", "de"]);
    let (code, log) = sarif_run(dir.path(), &[&app], &args);
    assert_eq!(code, 1);
    assert_eq!(invocation(&log)["exitCode"], 1);
    assert_eq!(log["runs"][0]["language"], "de-DE");
    assert_eq!(
        invocation(&log)["exitCodeDescription"],
        "der Anteil entschiedener Prüfungen eines Prüfobjekts liegt unter --min-coverage"
    );
    // On standard output too.
    let out = common::run_msgaudit([
        "scan",
        &app,
        "--as-of",
        AS_OF,
        "--format",
        "sarif",
        "--min-coverage",
        "80",
    ]);
    let log: Value = common::json(&out.stdout).expect("SARIF on stdout");
    assert_valid(&log);
    assert_eq!(Some(1), out.status.code());
    assert_eq!(invocation(&log)["exitCode"], 1);
}

#[test]
fn a_side_file_that_cannot_be_written_leaves_no_report_with_another_code() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.sarif");
    let csv = dir.path().join("no-such-folder").join("remediation.csv");
    let out = common::run_msgaudit([
        "scan".as_ref(),
        sample("android/out/oldchat-2.0.apk").as_os_str(),
        "--format".as_ref(),
        "sarif".as_ref(),
        "-o".as_ref(),
        report.as_os_str(),
        "--remediation-csv".as_ref(),
        csv.as_os_str(),
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    assert!(!report.exists(), "a report stating exit code 3 was written");
}

#[test]
fn min_coverage_and_min_score_outside_0_to_100_are_usage_errors_in_both_languages() {
    for (lang, expected) in [
        ("en", "is not a percentage from 0 to 100"),
        ("de", "keine Prozentzahl von 0 bis 100"),
    ] {
        // A score is a percentage too: `--min-score 150` could never be met.
        for (option, bad) in ["--min-coverage", "--min-score"]
            .iter()
            .flat_map(|o| ["101", "-5", "viel", "NaN"].map(|b| (*o, b)))
        {
            let arg = format!("{option}={bad}");
            let out = scan(&[&oldchat()], &["--lang", lang, &arg]);
            assert_eq!(code(&out), 2, "{arg}");
            assert!(
                stderr(&out).contains(expected),
                "{lang} {bad}: {}",
                stderr(&out)
            );
        }
    }
}

fn securechat(version: &str) -> String {
    sample(&format!("android/out/securechat-{version}.apk"))
        .display()
        .to_string()
}

#[test]
fn a_failing_min_score_is_explained_in_english_and_german() {
    // SecureChat 1.1 scores 60 %; its coverage meets 10 %.
    let app = securechat("1.1");
    let gate = [
        "--fail-on",
        "never",
        "--min-score",
        "70",
        "--min-coverage",
        "10",
    ];
    for (lang, expected) in [
        (
            "en",
            "securechat-1.1.apk: the score of 60 % is below the 70 % that --min-score asks for",
        ),
        (
            "de",
            "securechat-1.1.apk: Der Erfüllungsgrad von 60 % liegt unter den von --min-score \
             verlangten 70 %",
        ),
    ] {
        let mut args = gate.to_vec();
        args.extend(["--lang", lang]);
        let out = scan(&[&app], &args);
        assert_eq!(code(&out), 1, "{lang}");
        assert!(stderr(&out).contains(expected), "{lang}: {}", stderr(&out));
    }
    // A score that meets the floor says nothing about it.
    let out = scan(&[&app], &["--fail-on", "never", "--min-score", "60"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!stderr(&out).contains("--min-score"), "{}", stderr(&out));

    // Devices: one line, how many are below and the lowest score.
    let export = sample("inventories/intune-graph-managedDevices.json")
        .display()
        .to_string();
    let out = scan(&[&export], &["--fail-on", "never", "--min-score", "100"]);
    let report: Value = common::json(&out.stdout).expect("a JSON report");
    let devices = common::device_targets(&report);
    let below: Vec<Option<f64>> = devices
        .iter()
        .map(|d| d["score"].as_f64())
        .filter(|s| s.is_none_or(|s| s < 100.0))
        .collect();
    assert!(!below.is_empty(), "a device scores below 100 %");
    assert_eq!(code(&out), 1);
    let line = format!(
        "msgaudit: on {} of {} devices the score is below the 100 % that --min-score asks for (",
        below.len(),
        devices.len()
    );
    assert!(stderr(&out).contains(&line), "{}", stderr(&out));
    assert_eq!(
        stderr(&out).matches("--min-score").count(),
        1,
        "{}",
        stderr(&out)
    );
    let out = scan(
        &[&export],
        &["--fail-on", "never", "--min-score", "100", "--lang", "de"],
    );
    let line = format!(
        "msgaudit: Auf {} von {} Geräten liegt der Erfüllungsgrad unter den von --min-score \
         verlangten 100 % (",
        below.len(),
        devices.len()
    );
    assert!(stderr(&out).contains(&line), "{}", stderr(&out));
}

/// An Intune export that lists no device, in `dir`.
fn empty_export(dir: &Path) -> String {
    let file = dir.join("intune-empty.json");
    std::fs::write(
        &file,
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[]}"#,
    )
    .unwrap();
    file.display().to_string()
}

#[test]
fn a_floor_above_0_fails_a_run_that_assessed_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let export = empty_export(dir.path());
    let floors = ["--min-coverage", "100", "--min-score", "100"];
    for fail_on in ["never", "not-compliant", "incomplete"] {
        let mut args = floors.to_vec();
        args.extend(["--fail-on", fail_on]);
        let out = scan(&[&export], &args);
        assert_eq!(code(&out), 1, "--fail-on {fail_on}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(
                "msgaudit: nothing was assessed (no export lists a device); --min-score 100 % \
                 and --min-coverage 100 % cannot be met without an assessed target"
            ),
            "{}",
            stderr(&out)
        );
    }
    let mut args = floors.to_vec();
    args.extend(["--lang", "de"]);
    let out = scan(&[&export], &args);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains(
            "msgaudit: Es wurde nichts bewertet (kein Export enthält ein Gerät); ohne bewertetes \
             Prüfobjekt sind --min-score 100 % und --min-coverage 100 % nicht erfüllbar"
        ),
        "{}",
        stderr(&out)
    );
    // One floor above 0 is enough.
    let out = scan(&[&export], &["--fail-on", "never", "--min-coverage", "0.5"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    // Floors of 0 are met: the code is the verdicts' (nothing assessed is 3).
    let zero = ["--min-coverage", "0", "--min-score", "0"];
    let out = scan(&[&export], &zero);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        !stderr(&out).contains("nothing was assessed"),
        "{}",
        stderr(&out)
    );
    let mut args = zero.to_vec();
    args.extend(["--fail-on", "never"]);
    assert_eq!(code(&scan(&[&export], &args)), 0);

    // The SARIF log says why.
    let (code, log) = sarif_run(dir.path(), &[&export], &floors);
    assert_eq!(code, 1);
    let inv = invocation(&log);
    assert_eq!(inv["exitCode"], 1);
    assert_eq!(
        inv["exitCodeDescription"],
        "nothing was assessed (no export lists a device); --min-score cannot be met without an \
         assessed target; --min-coverage cannot be met without an assessed target",
        "{inv}"
    );
}

#[test]
fn the_table_says_an_export_lists_no_device() {
    let dir = tempfile::tempdir().unwrap();
    let export = empty_export(dir.path());
    for (lang, expected) in [
        ("en", "Device fleet (0 devices) — no devices read"),
        ("de", "Geräteflotte (0 Geräte) — keine Geräte gelesen"),
    ] {
        let out = common::run_msgaudit([
            "scan", &export, "--as-of", AS_OF, "--format", "table", "--lang", lang,
        ]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expected), "{lang}: {text}");
    }
}

#[test]
fn a_share_below_the_floor_never_reads_as_the_floor() {
    // SecureChat 1.0 has 5 of 13 applicable checks decided: 38.46 %, which
    // rounds to the floor 38.5.
    let app = securechat("1.0");
    let out = scan(&[&app], &["--fail-on", "never", "--min-coverage", "38.5"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "securechat-1.0.apk: only 5 of 13 applicable checks decided (38.46 %); \
             --min-coverage asks for at least 38.5 %"
        ),
        "{}",
        stderr(&out)
    );
    let out = scan(
        &[&app],
        &[
            "--fail-on",
            "never",
            "--min-coverage",
            "38.5",
            "--lang",
            "de",
        ],
    );
    assert!(
        stderr(&out).contains(
            "securechat-1.0.apk: nur 5 von 13 anwendbaren Prüfungen entschieden (38,46 %); \
             --min-coverage verlangt mindestens 38,5 %"
        ),
        "{}",
        stderr(&out)
    );
    // A floor is shown as given, not rounded up to the share above it.
    let out = scan(
        &[&oldchat()],
        &["--fail-on", "never", "--min-coverage", "15.39"],
    );
    assert!(
        stderr(&out).contains("(15.38 %); --min-coverage asks for at least 15.39 %"),
        "{}",
        stderr(&out)
    );
}
