//! The `scan`, `checks` and `explain` commands as a user runs them: exit codes,
//! user checks through `--checks DIR`, answers, folders, broken inputs.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_msgaudit"));
    c.env_remove("MSGAUDIT_PSEUDONYM_KEY");
    c
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/facts")
        .join(name)
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run msgaudit")
}

fn scan_json(extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["scan", "--format", "json", "--as-of", "2026-11-23"];
    args.extend_from_slice(extra);
    let out = run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = common::json(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn write_modified(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut v: Value =
        common::json_str(&std::fs::read_to_string(fixture("android-base.json")).unwrap()).unwrap();
    edit(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path.display().to_string()
}

const ALL_ANSWERS: &str = r#"
[[answer]]
requirement = "APP-01"
outcome = "pass"
by = "M. Muster, Datenschutzbeauftragte"
date = "2026-11-20"
note = "Menü › Datenschutz, jederzeit erreichbar"
[[answer]]
requirement = "APP-02"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "APP-06"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "APP-09"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "APP-11"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "COM-02"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "COM-04"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
[[answer]]
requirement = "COM-06"
target = "de.example.securechat"
outcome = "pass"
by = "M. Muster"
date = "2026-11-20"
"#;

#[test]
fn facts_file_scan_is_incomplete_without_answers_and_compliant_with_them() {
    let a = fixture("android-base.json").display().to_string();
    let (code, json, _) = scan_json(&[&a]);
    assert_eq!(code, 3, "incomplete");
    assert_eq!(json["targets"][0]["verdict"], "incomplete");
    assert_eq!(json["profile"]["id"], "dsk-must");
    assert_eq!(json["as_of"], "2026-11-23");

    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, ALL_ANSWERS).unwrap();
    let (code, json, stderr) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr} {json}");
    assert_eq!(json["targets"][0]["verdict"], "compliant");
    // A typo in an answers file is a configuration error, not a silently unanswered check.
    std::fs::write(&answers, ALL_ANSWERS.replace("APP-09", "APP-90")).unwrap();
    let (code, _, stderr) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    assert_eq!(code, 5);
    assert!(
        stderr.contains("answer 4 (line 18): `APP-90` names no check"),
        "{stderr}"
    );
    std::fs::write(&answers, ALL_ANSWERS).unwrap();
    let (_, json, _) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    let app01 = json["targets"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "APP-01-privacy-info")
        .unwrap();
    assert_eq!(
        app01["attestation"]["by"],
        "M. Muster, Datenschutzbeauftragte"
    );
}

#[test]
fn exit_codes_follow_the_verdict_and_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write_modified(dir.path(), "crash.json", |v| {
        v["sdks"][5]["collection_default"] = "enabled".into()
    });
    let good = fixture("ios-base.json").display().to_string();
    let (code, json, _) = scan_json(&[&bad, &good]);
    assert_eq!(code, 1, "one not compliant wins over incomplete");
    assert_eq!(json["targets"][0]["verdict"], "not_compliant");
    assert_eq!(json["targets"][1]["verdict"], "incomplete");
    assert_eq!(scan_json(&[&bad, "--fail-on", "never"]).0, 0);
    assert_eq!(scan_json(&[&good, "--fail-on", "not-compliant"]).0, 0);
    assert_eq!(scan_json(&[&bad, "--fail-on", "not-compliant"]).0, 1);
    // The fixture scores 100 %, which every floor from 0 to 100 meets; a
    // floor beyond 100 could never be met and is a usage error.
    assert_eq!(
        scan_json(&[&good, "--fail-on", "never", "--min-score", "101"]).0,
        2
    );
    assert_eq!(
        scan_json(&[&good, "--fail-on", "never", "--min-score", "100"]).0,
        0
    );
    assert_eq!(
        scan_json(&[&good, "--fail-on", "never", "--min-score", "50"]).0,
        0
    );
}

#[test]
fn unreadable_input_is_exit_4_and_the_others_are_still_reported() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("broken.apk");
    std::fs::write(&junk, b"PK\x03\x04 this is not really a zip").unwrap();
    let good = fixture("android-base.json").display().to_string();
    let (code, json, stderr) = scan_json(&[junk.to_str().unwrap(), &good]);
    assert_eq!(code, 4);
    assert_eq!(json["targets"].as_array().unwrap().len(), 2);
    assert_eq!(json["targets"][0]["verdict"], "error");
    assert!(
        json["targets"][0]["error"]
            .as_str()
            .unwrap_or_default()
            .len()
            > 5
    );
    assert_eq!(json["targets"][1]["verdict"], "incomplete");
    assert!(stderr.contains("broken.apk"), "{stderr}");
    // A named pipe is refused, not read (reading it would block).
    #[cfg(unix)]
    {
        let fifo = dir.path().join("pipe.apk");
        let made = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if made {
            let (code, json, _) = scan_json(&[fifo.to_str().unwrap()]);
            assert_eq!(code, 4);
            let error = json["targets"][0]["error"].as_str().unwrap_or_default();
            assert!(error.starts_with("not a regular file"), "{error}");
        }
    }
    // An unreadable input wins over a not-compliant target.
    let bad = write_modified(dir.path(), "crash.json", |v| {
        v["sdks"][5]["collection_default"] = "enabled".into()
    });
    assert_eq!(scan_json(&[junk.to_str().unwrap(), &bad]).0, 4);
}

#[test]
fn a_user_check_changes_the_result_without_rebuilding() {
    let dir = tempfile::tempdir().unwrap();
    let checks = dir.path().join("my-checks");
    std::fs::create_dir(&checks).unwrap();
    std::fs::write(
        checks.join("no-camera.toml"),
        r#"id = "ORG-90-no-camera"
requirement = "ORG-90"
level = "must"
applies_to = ["android"]
decide = "automatic"
source_confidence = "C"
title.de = "Keine Kamera"
title.en = "No camera"
rationale.de = "Hausregel."
rationale.en = "House rule."
remediation.de = "Kamera-Berechtigung entfernen."
remediation.en = "Remove the camera permission."
[[rule]]
when = '"android.permission.CAMERA" in facts.android.permissions'
outcome = "fail"
message.de = "Kamera-Berechtigung vorhanden."
message.en = "Camera permission present."
evidence = '[{"kind": "permission", "value": "android.permission.CAMERA", "location": "AndroidManifest.xml"}]'
[[rule]]
when = 'true'
outcome = "pass"
message.de = "ok"
message.en = "ok"
"#,
    )
    .unwrap();
    let a = fixture("android-base.json").display().to_string();
    let (before, json_before, _) = scan_json(&[&a]);
    let (after, json_after, _) = scan_json(&[&a, "--checks", checks.to_str().unwrap()]);
    assert_eq!((before, after), (3, 1));
    assert_eq!(json_after["targets"][0]["verdict"], "not_compliant");
    let r = json_after["targets"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"] == "ORG-90-no-camera")
        .unwrap();
    assert_eq!(r["outcome"], "fail");
    assert_ne!(
        json_before["tool"]["check_set_digest"],
        json_after["tool"]["check_set_digest"]
    );

    // Overriding a built-in id replaces the built-in check.
    let text = std::fs::read_to_string(checks.join("no-camera.toml")).unwrap();
    std::fs::write(
        checks.join("no-camera.toml"),
        text.replace("ORG-90-no-camera", "APP-05-crash-default-off")
            .replace("ORG-90", "APP-05"),
    )
    .unwrap();
    let (_, json, _) = scan_json(&[&a, "--checks", checks.to_str().unwrap()]);
    let results = json["targets"][0]["results"].as_array().unwrap();
    let app05: Vec<_> = results
        .iter()
        .filter(|r| r["check"] == "APP-05-crash-default-off")
        .collect();
    assert_eq!(app05.len(), 1);
    assert_eq!(app05[0]["message"]["en"], "Camera permission present.");
}

#[test]
fn a_broken_check_file_is_a_config_error_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.toml"),
        "id = \"X-01\"\nrequirement = \"APP-05\"\nlevel = \"mandatory\"\n",
    )
    .unwrap();
    let a = fixture("android-base.json").display().to_string();
    let (code, _, stderr) = scan_json(&[&a, "--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 5);
    assert!(
        stderr.contains("bad.toml:3:9:") && stderr.contains("mandatory"),
        "{stderr}"
    );

    std::fs::write(
        dir.path().join("bad.toml"),
        "id = \"X-01\"\nrequirement = \"APP-05\"\nlevel = \"must\"\napplies_to = [\"android\"]\ndecide = \"automatic\"\nsource_confidence = \"C\"\ntitle = { de = \"t\", en = \"t\" }\nrationale = { de = \"r\", en = \"r\" }\nremediation = { de = \"m\", en = \"m\" }\n[[rule]]\nwhen = 'true'\noutcome = \"pass\"\nmessage = { de = \"x\", en = \"x\" }\n[[rule]]\nwhen = 'facts.sdks.exists(s,'\noutcome = \"fail\"\nmessage = { de = \"x\", en = \"x\" }\n",
    )
    .unwrap();
    let (code, _, stderr) = scan_json(&[&a, "--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 5);
    assert!(
        stderr.contains("bad.toml: rule 2: the `when` expression does not parse"),
        "{stderr}"
    );

    let out = run(&["scan", &a, "--profile", "no-such-profile"]);
    assert_eq!(out.status.code(), Some(5));
    assert!(String::from_utf8_lossy(&out.stderr).contains("dsk-full"));
}

#[test]
fn folders_are_searched_and_files_picked_by_content() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("apps");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(fixture("android-base.json"), sub.join("securechat.facts")).unwrap();
    std::fs::copy(fixture("ios-base.json"), dir.path().join("ios.json")).unwrap();
    std::fs::write(
        dir.path().join("README.txt"),
        "Notes about the audit\nnothing to scan here\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("logo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
    )
    .unwrap();
    let (code, json, stderr) = scan_json(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 3, "{stderr}");
    let kinds: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["android", "ios"]);
}

#[test]
fn checks_lists_the_profile() {
    let out = run(&["checks", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let list: Value = common::json(&out.stdout).unwrap();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"APP-05-crash-default-off"));
    assert!(
        !ids.contains(&"COM-01-transport-encryption"),
        "COM-01 is not in the §0 must-list"
    );
    let full = run(&[
        "checks",
        "--profile",
        "dsk-full",
        "--format",
        "md",
        "--lang",
        "de",
    ]);
    let text = String::from_utf8_lossy(&full.stdout);
    assert!(
        text.contains("| `COM-01-transport-encryption` | COM-01 | Muss |"),
        "{text}"
    );
    assert!(text.contains("Transportverschlüsselung"));
}

#[test]
fn explain_says_what_why_how_and_fix() {
    let out = run(&["explain", "DEV-01-app-min-os"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "DEV-01-app-min-os — App does not install on OS versions without security updates",
        "DSK requirement DEV-01 [MUSS]",
        "Why",
        "How it is decided",
        "→ WARN",
        "when (CEL): facts.app.min_os == null",
        "min_supported_android_api = 33 → 33",
        "How to fix",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let de = run(&["explain", "APP-06", "--lang", "de"]);
    let text = String::from_utf8_lossy(&de.stdout);
    assert!(
        text.contains("APP-06-deletion") && text.contains("Frage an die Prüfer"),
        "{text}"
    );
    let reconstructed = run(&["explain", "COM-01-transport-encryption"]);
    assert!(
        String::from_utf8_lossy(&reconstructed.stdout).contains("derived from the DSK requirement")
    );
    let unknown = run(&["explain", "NOPE-1"]);
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn the_answers_template_fills_into_a_working_answers_file() {
    let out = run(&["checks", "--format", "answers"]);
    assert_eq!(out.status.code(), Some(0));
    let template = String::from_utf8(out.stdout).unwrap();
    assert!(template.contains("check = \"APP-06-deletion\""));
    assert!(template.contains("# Can messages, attachments, chats and contacts be deleted"));
    assert!(
        template.contains("check = \"APP-05-crash-default-off\""),
        "checks with a warn rule can be answered too"
    );
    // Nothing is answered until the auditor says so: outcomes start empty.
    assert!(template.contains("outcome = \"\""), "{template}");
    assert!(!template.contains("outcome = \"pass\""), "{template}");
    // Filled in, it is accepted and makes the base fixture compliant.
    let filled = template
        .replace("outcome = \"\"", "outcome = \"pass\"")
        .replace("by = \"\"", "by = \"QA\"")
        .replace("date = \"\"", "date = \"2026-11-20\"");
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, filled).unwrap();
    let a = fixture("android-base.json").display().to_string();
    let (code, json, stderr) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["targets"][0]["verdict"], "compliant");
    // Left unfilled, the error says what is missing.
    std::fs::write(&answers, &template).unwrap();
    let (code, _, stderr) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    assert_eq!(code, 5);
    let first = template.lines().position(|l| l == "[[answer]]").unwrap() + 1;
    assert!(
        stderr.contains(&format!(
            "answer 1 (line {first}): outcome is empty: write pass, fail or not_applicable, or delete the answer"
        )),
        "{stderr}"
    );
    // With an outcome but no name, the error names the line as well.
    let no_name = template.replace("outcome = \"\"", "outcome = \"fail\"");
    std::fs::write(&answers, no_name).unwrap();
    let (code, _, stderr) = scan_json(&[&a, "--answers", answers.to_str().unwrap()]);
    assert_eq!(code, 5);
    assert!(
        stderr.contains(&format!(
            "answer 1 (line {first}): `by` (who attests) is empty"
        )),
        "{stderr}"
    );
}

/// An Intune Graph `managedDevice` record with invented values that vary with `i`.
fn intune_record(i: usize) -> Value {
    let android = i.is_multiple_of(2);
    let pick = |options: &[&'static str]| options[(i * 7919 + options.len()) % options.len()];
    serde_json::json!({
        "id": format!("00000000-0000-4000-8000-{i:012}"),
        "deviceName": format!("TEST-DEVICE-{i:06}"),
        "userPrincipalName": format!("user{}@example.invalid", i % 977),
        "managedDeviceOwnerType": pick(&["company", "company", "personal"]),
        "operatingSystem": if android { "Android" } else { "iOS" },
        "osVersion": if android { pick(&["12", "13", "14", "15", "16"]) } else { pick(&["16.7.16", "17.6.1", "18.7.9", "26.5", "26.2.1"]) },
        "androidSecurityPatchLevel": if android { format!("2026-{:02}-01", 1 + i % 11) } else { String::new() },
        "isEncrypted": !i.is_multiple_of(19),
        "jailBroken": pick(&["False", "False", "False", "True", "Unknown"]),
        "isSupervised": i.is_multiple_of(3),
        "complianceState": pick(&["compliant", "noncompliant", "inGracePeriod", "unknown"]),
        "managementAgent": pick(&["mdm", "mdm", "mdm", "eas", "intuneAosp"]),
        "lastSyncDateTime": format!("2026-{:02}-{:02}T08:00:00Z", 6 + i % 6, 1 + i % 22),
        "serialNumber": format!("SN{i:010}"),
        "model": if android { "SM-A556B" } else { "iPhone 15" },
    })
}

#[test]
fn a_large_fleet_streamed_and_spilled_equals_the_in_memory_assessment() {
    use msgaudit::assess::Lang;
    use msgaudit::checks::{evaluate, Answers, CheckSet, Input, Profile};
    use msgaudit::extract::{extract_path, ExtractOptions};
    // 30,000 devices: their compact records pass the 4 MiB kept in memory,
    // so `scan` moves them to a temporary file and reads them back.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fleet.jsonl");
    let mut lines = String::new();
    for i in 0..30_000 {
        lines.push_str(&intune_record(i).to_string());
        lines.push('\n');
    }
    std::fs::write(&path, lines).unwrap();
    let (code, mut streamed, stderr) = scan_json(&["--fail-on", "never", path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    // `scan` adds the status of its OS support data (--os-data) and the
    // notices from it; the library's evaluate() has no such option.
    assert!(streamed["fleet"]["os_data"].is_object());
    // `scan` surveys the fleet's newest Android patch level first; the
    // library's extraction is given the same floor.
    let floor = streamed["fleet"]["os_data"]["fleet_android_patch_level"]
        .as_str()
        .map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
    assert_eq!(floor, chrono::NaiveDate::from_ymd_opt(2026, 11, 1));
    streamed["fleet"].as_object_mut().unwrap().remove("os_data");
    streamed.as_object_mut().unwrap().remove("notices");
    // The same export, extracted whole and evaluated in memory.
    let options = ExtractOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        android_patch_floor: floor,
        ..ExtractOptions::default()
    };
    let facts = extract_path(&path, &options).unwrap();
    let set = CheckSet::builtin().unwrap();
    let profile = Profile::load("dsk-must").unwrap();
    let in_memory = evaluate(
        &[Input::Facts(facts)],
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    // The note on the open screen-lock check is worded by the assessment
    // itself, in memory as when streamed.
    let expected = serde_json::to_value(&in_memory).unwrap();
    assert_eq!(streamed["fleet"]["devices"], 30_000);
    assert_eq!(streamed["targets"].as_array().map(Vec::len), Some(30_000));
    assert_eq!(streamed["fleet"], expected["fleet"]);
    // Every device, in the same worst-first order, with the same results and evidence.
    assert!(
        streamed == expected,
        "streamed and in-memory reports differ"
    );
    // Worst first: the first device is not compliant, the last compliant or incomplete.
    let verdicts: Vec<&str> = streamed["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts.first(), Some(&"not_compliant"));
    let rank = |v: &str| match v {
        "not_compliant" => 0,
        "error" => 1,
        "incomplete" => 2,
        _ => 3,
    };
    assert!(verdicts.windows(2).all(|w| rank(w[0]) <= rank(w[1])));
}

#[test]
fn an_export_that_breaks_half_way_keeps_the_devices_read_is_partial_and_the_others_go_on() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    let jamf = std::fs::read(samples.join("jamf-mobile-devices.xml")).unwrap();
    // Cut after the first complete device record: one device was read before the error.
    let end = jamf
        .windows(16)
        .position(|w| w == b"</mobile_device>")
        .unwrap()
        + 200;
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("jamf-cut.xml");
    std::fs::write(&broken, &jamf[..end]).unwrap();
    let intune = samples.join("intune-graph-managedDevices.json");
    let (code, report, stderr) = scan_json(&[
        "--fail-on",
        "never",
        broken.to_str().unwrap(),
        intune.to_str().unwrap(),
    ]);
    assert_eq!(code, 4, "an export read only in part exits 4: {stderr}");
    assert!(
        stderr.contains("jamf-cut.xml")
            && stderr.contains("READ ONLY IN PART: 1 device(s) read")
            && stderr.contains("truncated"),
        "{stderr}"
    );
    // The device read before the break is kept, and the export says where
    // reading stopped; the Intune export is read whole. That device (serial
    // DMPXX0000001) is in the Intune export too: it is one device, counted
    // with the export read last.
    let intune_devices = 6;
    assert_eq!(report["fleet"]["devices"], intune_devices);
    let inventories = report["fleet"]["inventories"].as_array().unwrap();
    assert_eq!(inventories[0]["devices"], 0);
    assert_eq!(inventories[1]["devices"], intune_devices);
    assert!(inventories[0]["warnings"]
        .to_string()
        .contains("also listed by other exports"));
    assert_eq!(inventories[0]["partial"]["devices_read"], 1);
    assert_eq!(inventories[0]["partial"]["stopped_at"]["byte"], end);
    assert_eq!(inventories[0]["partial"]["resumed"], false);
    assert!(inventories[1].get("partial").is_none());
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), intune_devices);
    assert!(targets.iter().all(|t| t["target"]["kind"] == "device"));
}

#[test]
fn export_warnings_go_to_stderr_once_and_without_personal_data() {
    let samples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    let intune = samples.join("intune-graph-managedDevices.json");
    let csv = samples.join("generic-devices.csv");
    let (_, report, stderr) = scan_json(&[
        "--fail-on",
        "never",
        intune.to_str().unwrap(),
        csv.to_str().unwrap(),
    ]);
    assert!(report["fleet"]["devices"].as_u64().unwrap() > 6);
    // What the export left unclear, per file.
    assert!(
        stderr.contains("intune-graph-managedDevices.json: warning:")
            && stderr
                .contains("jailBroken = \"Unknown\"; the root/jailbreak status is left unknown"),
        "{stderr}"
    );
    // The default-key note once per run, not once per export.
    assert_eq!(stderr.matches("public default key").count(), 1, "{stderr}");
    for personal in [
        "STATION-4B-IPHONE",
        "pflege.4b@klinikum-beispiel.de",
        "F2LXX0000001",
        "+49 30 0000001",
    ] {
        assert!(!stderr.contains(personal), "{personal} in {stderr}");
    }
    // With a key of one's own, no note.
    let out = bin()
        .args(["scan", "--format", "json", "--fail-on", "never"])
        .arg(&intune)
        .env("MSGAUDIT_PSEUDONYM_KEY", "k-7d1f")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("public default key"));
    // … and the report does not flag the default key.
    let json: serde_json::Value = common::json(&out.stdout).unwrap();
    assert!(json["fleet"].get("default_pseudonym_key").is_none());
}

#[test]
fn export_notes_are_in_the_report_in_its_language() {
    let intune = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories/intune-graph-managedDevices.json");
    let (_, report, _) = scan_json(&["--fail-on", "never", intune.to_str().unwrap()]);
    let inventories = report["fleet"]["inventories"].as_array().unwrap();
    assert_eq!(inventories.len(), 1);
    assert_eq!(inventories[0]["format"], "intune-graph");
    assert_eq!(inventories[0]["devices"], 6);
    let note = inventories[0]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["en"].as_str().unwrap().contains("jailBroken"))
        .expect("the jailBroken note");
    assert_eq!(
        note["de"],
        "2 Geräte: Der Export meldet jailBroken = \"Unknown\"; der Root-/Jailbreak-Status bleibt daher unbekannt"
    );
    assert_eq!(report["fleet"]["default_pseudonym_key"], true);
    // The German Markdown report has the German notes, not the English ones.
    let out = bin()
        .args([
            "scan",
            "--format",
            "md",
            "--lang",
            "de",
            "--fail-on",
            "never",
        ])
        .arg(&intune)
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("Hinweise zu den Exporten"), "{md}");
    assert!(
        md.contains("der Root-/Jailbreak-Status bleibt daher unbekannt"),
        "{md}"
    );
    assert!(!md.contains("left unknown"), "{md}");
}

/// The mimalloc options `src/main.rs` sets by number are the ones meant
/// (mimalloc lists its options with their names when `MIMALLOC_VERBOSE` is
/// set): memory committed as used, given back after 10 ms, no huge pages.
#[test]
#[cfg(target_os = "linux")]
fn the_allocator_runs_with_msgaudits_options() {
    let out = bin()
        .arg("--version")
        .env("MIMALLOC_VERBOSE", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (option, value) in [
        ("arena_eager_commit", 0),
        ("purge_delay", 10),
        ("allow_thp", 0),
    ] {
        let line = format!("option '{option}': {value}");
        assert!(
            stderr.lines().any(|l| l.trim_end() == line),
            "mimalloc does not list {line:?}:\n{stderr}"
        );
    }
}
