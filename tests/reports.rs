//! Every report format, built from hand-made but realistic assessments: an
//! Android app failing APP-05 with evidence, an iOS app with an attested manual
//! check, an unreadable file and a fleet of devices.

mod common;

use std::path::Path;
use std::process::Command;

use msgaudit::assess::{
    Assessment, Attestation, AttestationStatus, CheckResult, DeviceStore, FleetInventory,
    FleetRequirement, FleetSummary, Lang, Level, Outcome, ProfileInfo, TargetAssessment,
    TargetInfo, Text, ToolInfo, Verdict, REPORT_SCHEMA_VERSION,
};
use msgaudit::facts::{Evidence, FileInfo, TargetKind};
use msgaudit::report::{render, write_to, Format, RenderOptions};

const ALL_FORMATS: [Format; 6] = [
    Format::Table,
    Format::Json,
    Format::Sarif,
    Format::Html,
    Format::Md,
    Format::Csv,
];

fn text(de: &str, en: &str) -> Text {
    Text {
        de: de.into(),
        en: en.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn result(
    check: &str,
    requirement: &str,
    level: Level,
    outcome: Outcome,
    title: Text,
    message: Text,
    remediation: Text,
    evidence: Vec<Evidence>,
) -> CheckResult {
    CheckResult {
        check: check.into(),
        requirement: requirement.into(),
        level,
        outcome,
        title,
        message,
        remediation,
        evidence,
        attestation: None,
        attested: false,
        attestation_status: None,
        weight: 1.0,
    }
}

fn app05_title() -> Text {
    text(
        "Absturzberichte an Dritte standardmäßig aus",
        "Crash reports to third parties off by default",
    )
}

fn android_app(name: &str) -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind: TargetKind::Android,
            name: name.into(),
            id: Some("org.example.messenger".into()),
            version: Some("7.20.2".into()),
            file: Some(FileInfo {
                path: "apps/Example Messenger.apk".into(),
                sha256: "9f2b5c0e3d1a4b6c8e7f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d".into(),
                size: 48_213_504,
            }),
            source: None,
            device: None,
        },
        verdict: Verdict::NotCompliant,
        score: Some(62.5),
        results: vec![
            result(
                "APP-05-crash-default-off",
                "APP-05",
                Level::Must,
                Outcome::Fail,
                app05_title(),
                text(
                    "Firebase Crashlytics ist eingebunden und sammelt ab dem ersten Start, weil der Schalter im Manifest auf true steht.",
                    "Firebase Crashlytics is built in and collects from first start, because the manifest switch is set to true.",
                ),
                text(
                    "Den Hersteller auffordern, firebase_crashlytics_collection_enabled auf false zu setzen und eine Einwilligung einzuholen.",
                    "Ask the vendor to set firebase_crashlytics_collection_enabled to false and ask for consent first.",
                ),
                vec![
                    Evidence::new("class_prefix", "com.google.firebase.crashlytics").at("classes2.dex"),
                    Evidence::new("meta_data", "firebase_crashlytics_collection_enabled = true")
                        .at("AndroidManifest.xml"),
                ],
            ),
            result(
                "APP-12-privacy-defaults",
                "APP-12",
                Level::Must,
                Outcome::Warn,
                text("Datenschutzfreundliche Voreinstellungen", "Privacy-friendly defaults"),
                text(
                    "Die Werbe-ID-Berechtigung ist angefordert.",
                    "The advertising ID permission is requested.",
                ),
                text("Berechtigung entfernen lassen.", "Have the permission removed."),
                vec![Evidence::new("permission", "com.google.android.gms.permission.AD_ID")
                    .at("AndroidManifest.xml")],
            ),
            result(
                "APP-03-contacts-separate",
                "APP-03",
                Level::Must,
                Outcome::Pass,
                text("Kontakte getrennt vom Adressbuch", "Contacts kept apart from the address book"),
                text(
                    "Die App fordert keine Schreibberechtigung für Kontakte an.",
                    "The app does not request permission to write contacts.",
                ),
                Text::default(),
                vec![],
            ),
            result(
                "APP-01-privacy-info",
                "APP-01",
                Level::Must,
                Outcome::Manual,
                text("Datenschutzinformationen in der App", "Privacy information in the app"),
                text(
                    "Aus der Datei nicht entscheidbar; bitte in der Antwortdatei bestätigen.",
                    "Cannot be decided from the file; please attest in the answers file.",
                ),
                text(
                    "In der App prüfen, ob die Datenschutzhinweise jederzeit sichtbar sind.",
                    "Check in the app that the privacy notice is visible at any time.",
                ),
                vec![],
            ),
            result(
                "COM-05-key-verification",
                "COM-05",
                Level::Should,
                Outcome::NotApplicable,
                text("Schlüsselverifikation | Fingerabdruck", "Key verification | fingerprint"),
                text("Nicht im Profil dsk-must.", "Not in the dsk-must profile."),
                Text::default(),
                vec![],
            ),
        ],
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: None,
    }
}

fn ios_app() -> TargetAssessment {
    let mut attested = result(
        "APP-01-privacy-info",
        "APP-01",
        Level::Must,
        Outcome::Pass,
        text(
            "Datenschutzinformationen in der App",
            "Privacy information in the app",
        ),
        text(
            "Von der Prüferin bestätigt: Hinweise unter Einstellungen › Datenschutz.",
            "Attested by the auditor: notice under Settings › Privacy.",
        ),
        Text::default(),
        vec![Evidence::new("answers", "APP-01-privacy-info = pass").at("answers.toml")],
    );
    attested.attestation = Some(Attestation::new(
        "A. Prüferin (DSB)",
        "2026-11-20",
        "Geprüft auf iPhone 15, iOS 18.1",
    ));
    attested.attested = true;
    attested.attestation_status = Some(AttestationStatus::Applied);
    TargetAssessment {
        target: TargetInfo {
            kind: TargetKind::Ios,
            name: "Secure Chat".into(),
            id: Some("de.example.securechat".into()),
            version: Some("3.1".into()),
            file: Some(FileInfo {
                path: "apps/securechat.ipa".into(),
                sha256: "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9".into(),
                size: 30_001_234,
            }),
            source: None,
            device: None,
        },
        verdict: Verdict::Compliant,
        score: Some(100.0),
        results: vec![
            attested,
            result(
                "APP-05-crash-default-off",
                "APP-05",
                Level::Must,
                Outcome::Pass,
                app05_title(),
                text(
                    "Kein Absturzbericht-SDK gefunden.",
                    "No crash-reporting SDK found.",
                ),
                Text::default(),
                vec![],
            ),
        ],
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: None,
    }
}

fn unreadable() -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind: TargetKind::Ios,
            name: "broken.ipa".into(),
            id: None,
            version: None,
            file: Some(FileInfo {
                path: "apps/broken.ipa".into(),
                sha256: "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100".into(),
                size: 1024,
            }),
            source: None,
            device: None,
        },
        verdict: Verdict::Error,
        score: None,
        results: vec![],
        error: Some("not a zip archive: end of central directory not found".into()),
        error_kind: Some(msgaudit::facts::UnreadKind::Damage),
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: None,
    }
}

fn device(i: usize, patched: bool, mdm: bool) -> TargetAssessment {
    let outcome = |ok: bool| if ok { Outcome::Pass } else { Outcome::Fail };
    let results = vec![
        result(
            "DEV-01-patch-level",
            "DEV-01",
            Level::Must,
            outcome(patched),
            text("Sicherheitspatches aktuell", "Security patches current"),
            if patched {
                text("Patchstand 2026-11-01.", "Patch level 2026-11-01.")
            } else {
                text(
                    "Patchstand 2025-03-01 ist älter als 90 Tage.",
                    "Patch level 2025-03-01 is older than 90 days.",
                )
            },
            text(
                "Das Gerät auf den neuesten Sicherheitspatch aktualisieren.",
                "Update the device to the latest security patch.",
            ),
            vec![Evidence::new("field", "securityPatchLevel").at(format!("intune-graph#{i}"))],
        ),
        result(
            "DEV-04-mdm",
            "DEV-04",
            Level::Must,
            outcome(mdm),
            text("Gerät in der MDM verwaltet", "Device managed by MDM"),
            text(
                "Verwaltungsstatus laut Inventar.",
                "Management state per the inventory.",
            ),
            text(
                "Das Gerät in der MDM registrieren.",
                "Enrol the device in the MDM.",
            ),
            vec![Evidence::new("field", "managementState").at(format!("intune-graph#{i}"))],
        ),
    ];
    let verdict = if patched && mdm {
        Verdict::Compliant
    } else {
        Verdict::NotCompliant
    };
    TargetAssessment {
        target: TargetInfo {
            kind: TargetKind::Device,
            name: format!("device-{i:04x}"),
            id: None,
            version: None,
            file: Some(FileInfo {
                path: "inventory/intune devices.json".into(),
                sha256: "1111111111111111111111111111111111111111111111111111111111111111".into(),
                size: 99_000,
            }),
            source: Some(format!("intune-graph#{i}")),
            device: None,
        },
        verdict,
        score: Some(if patched && mdm {
            100.0
        } else if patched || mdm {
            50.0
        } else {
            0.0
        }),
        results,
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: None,
    }
}

fn fleet(n: usize) -> (Vec<TargetAssessment>, FleetSummary) {
    let devices: Vec<TargetAssessment> =
        (0..n).map(|i| device(i, i % 3 != 0, i % 4 != 1)).collect();
    let count = |check: &str, o: Outcome| {
        devices
            .iter()
            .filter(|d| d.results.iter().any(|r| r.check == check && r.outcome == o))
            .count()
    };
    let req = |check: &str, requirement: &str, title: Text| {
        let passed = count(check, Outcome::Pass);
        FleetRequirement {
            check: check.into(),
            requirement: requirement.into(),
            level: Level::Must,
            title,
            passed,
            failed: count(check, Outcome::Fail),
            undecided: 0,
            not_applicable: 0,
            share_compliant: passed as f64 * 100.0 / n.max(1) as f64,
            warned: 0,
            open_by_format: Vec::new(),
            decide_hint: None,
        }
    };
    let compliant = devices
        .iter()
        .filter(|d| d.verdict == Verdict::Compliant)
        .count();
    let summary = FleetSummary {
        devices: n,
        compliant,
        not_compliant: n - compliant,
        incomplete: 0,
        requirements: vec![
            req(
                "DEV-01-patch-level",
                "DEV-01",
                text("Sicherheitspatches aktuell", "Security patches current"),
            ),
            req(
                "DEV-04-mdm",
                "DEV-04",
                text("Gerät in der MDM verwaltet", "Device managed by MDM"),
            ),
        ],
        pseudonymized: true,
        default_pseudonym_key: true,
        os_data: None,
        messengers: Vec::new(),
        distribution: Default::default(),
        export_info: Vec::new(),
        inventories: vec![FleetInventory {
            file: FileInfo {
                path: "exports/intune devices.json".into(),
                sha256: "ab".repeat(32),
                size: 4096,
            },
            format: "intune-graph".into(),
            devices: n,
            merged_elsewhere: 0,
            warnings: (1..=12)
                .map(|i| {
                    Text::new(
                        format!("{i} Gerät(e): Der Export meldet jailBroken = \"Unknown\"; der Root-/Jailbreak-Status bleibt daher unbekannt"),
                        format!("{i} device(s): the export says jailBroken = \"Unknown\"; the root/jailbreak status is left unknown"),
                    )
                })
                .collect(),
            partial: None,
        }],
    };
    (devices, summary)
}

fn assessment(app_name: &str, devices: usize, lang: Lang) -> Assessment {
    let targets = vec![android_app(app_name), ios_app(), unreadable()];
    let (devices, fleet) = if devices > 0 {
        let (d, s) = fleet(devices);
        (DeviceStore::from_targets(d), Some(s))
    } else {
        (DeviceStore::default(), None)
    };
    Assessment {
        schema_version: REPORT_SCHEMA_VERSION.into(),
        tool: ToolInfo {
            name: "msgaudit".into(),
            version: "0.1.0".into(),
            check_set_digest: "5d41402abc4b2a76b9719d911017c592aaf0c1b2c3d4e5f60718293a4b5c6d7e"
                .into(),
        },
        profile: ProfileInfo {
            id: "dsk-must".into(),
            title: text("DSK-Mussanforderungen", "DSK must requirements"),
            source: "built-in".into(),
        },
        as_of: "2026-11-23".into(),
        lang,
        targets,
        devices,
        fleet,
        skipped_files: 0,
        skipped_unrecognized: None,
        inputs: Vec::new(),
    }
}

/// Apps, then devices (as the JSON report lists them).
fn all_targets(a: &Assessment) -> Vec<TargetAssessment> {
    let devices = a.devices.iter().map(|d| d.expect("device read back"));
    a.targets.iter().cloned().chain(devices).collect()
}

fn opts(format: Format, lang: Lang) -> RenderOptions {
    RenderOptions {
        format,
        lang,
        color: false,
        exit: None,
    }
}

#[test]
fn every_format_shows_verdict_and_finding_in_both_languages() {
    for lang in [Lang::De, Lang::En] {
        let a = assessment("Example Messenger", 6, lang);
        let (verdict, title, other_title) = match lang {
            Lang::De => (
                "Nicht konform",
                app05_title().de.to_string(),
                app05_title().en.to_string(),
            ),
            Lang::En => (
                "Not compliant",
                app05_title().en.to_string(),
                app05_title().de.to_string(),
            ),
        };
        for format in ALL_FORMATS {
            let out = render(&a, &opts(format, lang)).expect("render");
            // A line-break opportunity in HTML shows as nothing.
            let out = out.replace("<wbr>", "");
            match format {
                Format::Json => {
                    // The complete record holds both languages and the machine verdict.
                    assert!(out.contains("\"not_compliant\""), "{format:?}");
                    assert!(out.contains(&title) && out.contains(&other_title));
                }
                Format::Sarif => {
                    assert!(out.contains("\"verdict\": \"not_compliant\""), "{format:?}");
                    assert!(
                        out.contains(&title),
                        "{format:?} {lang:?}: no finding title"
                    );
                    assert!(!out.contains(&other_title), "{format:?}: wrong language");
                }
                Format::Table => {
                    // Long lines wrap at 80 columns: compare with whitespace collapsed.
                    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
                    assert!(
                        flat.contains(verdict),
                        "{format:?} {lang:?}: no verdict\n{out}"
                    );
                    assert!(
                        flat.contains(&title),
                        "{format:?} {lang:?}: no finding\n{out}"
                    );
                    assert!(out.contains("com.google.firebase.crashlytics"));
                }
                _ => {
                    assert!(out.contains(verdict), "{format:?} {lang:?}: no verdict");
                    assert!(out.contains(&title), "{format:?} {lang:?}: no finding");
                    assert!(!out.contains(&other_title), "{format:?}: wrong language");
                    assert!(out.contains("com.google.firebase.crashlytics"));
                }
            }
        }
    }
}

#[test]
fn german_labels_have_umlauts_in_every_human_format() {
    let a = assessment("Example Messenger", 3, Lang::De);
    for format in [Format::Table, Format::Html, Format::Md, Format::Csv] {
        let out = render(&a, &opts(format, Lang::De)).expect("render");
        assert!(
            out.contains("Prüfung") || out.contains("Prüfdatum"),
            "{format:?}"
        );
        assert!(out.contains("Anforderung"), "{format:?}");
        assert!(out.contains("Nicht erfüllt"), "{format:?}");
    }
}

#[test]
fn table_fits_80_columns_and_has_no_ansi_without_color() {
    for lang in [Lang::De, Lang::En] {
        let a = assessment(
            "A messenger with a rather long display name that goes on",
            40,
            lang,
        );
        let out = render(&a, &opts(Format::Table, lang)).expect("render");
        assert!(!out.contains('\u{1b}'), "ANSI escape without color");
        for line in out.lines() {
            assert!(
                line.chars().count() <= 80,
                "line wider than 80 columns ({}): {line}",
                line.chars().count()
            );
        }
        // Attested results are marked.
        let marker = if lang == Lang::De {
            "bestätigt"
        } else {
            "attested"
        };
        assert!(out.contains(marker));
        // The unreadable file says why (wrapped at 80 columns).
        let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(flat.contains("end of central directory not found"), "{out}");
    }
    let a = assessment("Example Messenger", 3, Lang::En);
    let colored = render(
        &a,
        &RenderOptions {
            format: Format::Table,
            lang: Lang::En,
            color: true,
            exit: None,
        },
    )
    .expect("render");
    assert!(
        colored.contains("\u{1b}["),
        "color requested but no ANSI escape"
    );
}

#[test]
fn table_strips_control_characters_from_input_texts() {
    let a = assessment("Evil\u{1b}[2J\u{1b}]0;pwned\u{7}App", 0, Lang::En);
    let out = render(&a, &opts(Format::Table, Lang::En)).expect("render");
    assert!(
        !out.contains('\u{1b}'),
        "terminal escape from an app name reached the output"
    );
}

#[test]
fn table_caps_devices_worst_first_and_says_how_many_were_omitted() {
    let a = assessment("Example Messenger", 100, Lang::En);
    let out = render(&a, &opts(Format::Table, Lang::En)).expect("render");
    assert!(out.contains("… 75 more not shown here"), "{out}");
    // Device 0 fails both checks (0 % 3 == 0 and … is managed), device 1 fails MDM only;
    // the worst device (both failed) must come before any single failure.
    let both_failed = out.find("device-0009").expect("device 9 fails both checks");
    let single = out.find("device-0001").expect("device 1 fails one check");
    assert!(both_failed < single, "worst devices must come first");
    // A compliant device (device 2) is not among the 25 worst of 100.
    assert!(!out.contains("device-0002 "));
    // Fleet share column (its header wraps in the narrow count columns).
    let lines: Vec<&str> = out.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.contains("Requirement") && l.contains("Share"))
        .expect("fleet table header with the share column");
    let words = lines[header..header + 4].join(" ");
    assert!(
        words.contains("passed") && words.contains("applicable)"),
        "{out}"
    );
}

/// The official OASIS SARIF 2.1.0 schema (errata 01; provenance in
/// tests/data/sarif/README.md), used as it is.
fn sarif_schema() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json");
    common::json_str(&std::fs::read_to_string(&path).expect("schema file")).expect("schema JSON")
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile SARIF schema");
    for lang in [Lang::De, Lang::En] {
        let a = assessment("Example <Messenger> \"quoted\"", 8, lang);
        let out = render(&a, &opts(Format::Sarif, lang)).expect("render");
        let log: serde_json::Value = common::json_str(&out).expect("SARIF is JSON");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");

        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "msgaudit");
        let results = run["results"].as_array().expect("results");
        let expected = all_targets(&a)
            .iter()
            .flat_map(|t| &t.results)
            .filter(|r| {
                matches!(
                    r.outcome,
                    Outcome::Fail | Outcome::Warn | Outcome::Manual | Outcome::Error
                )
            })
            .count();
        assert_eq!(results.len(), expected);
        let app05 = results
            .iter()
            .find(|r| r["ruleId"] == "APP-05-crash-default-off")
            .expect("APP-05 result");
        assert_eq!(app05["level"], "error");
        assert_eq!(app05["kind"], "fail");
        let app01 = results
            .iter()
            .find(|r| r["ruleId"] == "APP-01-privacy-info")
            .expect("APP-01 manual result");
        assert_eq!(app01["kind"], "review");
        assert_eq!(app01["level"], "none");
        // The unreadable file makes the run unsuccessful.
        assert_eq!(run["invocations"][0]["executionSuccessful"], false);
        assert_eq!(
            app05["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "apps/Example%20Messenger.apk"
        );
        assert_eq!(
            app05["properties"]["evidence"].as_array().map(Vec::len),
            Some(2)
        );
        let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
        let rule = rules
            .iter()
            .find(|r| r["id"] == "APP-05-crash-default-off")
            .expect("rule");
        assert_eq!(rule["properties"]["requirement"], "APP-05");
        assert_eq!(rule["properties"]["level"], "must");
        assert_eq!(run["invocations"][0]["properties"]["profile"], "dsk-must");
        assert_eq!(run["invocations"][0]["properties"]["asOf"], "2026-11-23");
        // The unreadable file is a tool notification.
        let notes = run["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .expect("notifications");
        assert!(notes[0]["message"]["text"]
            .as_str()
            .unwrap_or("")
            .contains("central directory"));
        // Devices are logical locations.
        let dev = results
            .iter()
            .find(|r| r["properties"]["targetKind"] == "device")
            .expect("a device result");
        assert_eq!(dev["locations"][0]["logicalLocations"][0]["kind"], "device");
    }
}

#[test]
fn sarif_validator_rejects_a_broken_log() {
    // Guards the test above: the schema really is enforced.
    let schema = sarif_schema();
    let validator = jsonschema::options()
        .build(&schema)
        .expect("compile SARIF schema");
    let a = assessment("Example Messenger", 0, Lang::En);
    let log: serde_json::Value =
        common::json_str(&render(&a, &opts(Format::Sarif, Lang::En)).expect("render"))
            .expect("JSON");
    assert!(validator.is_valid(&log));
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = serde_json::json!("fatal");
    assert!(!validator.is_valid(&bad_level));
    let mut no_message = log.clone();
    if let Some(r) = no_message["runs"][0]["results"][0].as_object_mut() {
        r.remove("message");
    }
    assert!(!validator.is_valid(&no_message));
}

#[test]
fn html_escapes_hostile_app_names_and_evidence() {
    let hostile = "<script>alert(1)</script>";
    let mut a = assessment(hostile, 3, Lang::En);
    if let Some(r) = a.targets.first_mut().and_then(|t| t.results.first_mut()) {
        r.evidence
            .push(Evidence::new("class_prefix", "<img src=x onerror=alert(2)>").at("\"><b>x</b>"));
    }
    let out = render(&a, &opts(Format::Html, Lang::En)).expect("render");
    assert!(!out.contains("<script"), "script tag reached the HTML");
    assert!(!out.contains("<img"), "img tag reached the HTML");
    assert!(!out.contains("<b>x</b>"));
    assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(out.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    // Self-contained: no external resources.
    assert!(!out.contains("src=\"http") && !out.contains("href=\"http") && !out.contains("<link"));
    let de = render(&a, &opts(Format::Html, Lang::De)).expect("render");
    assert!(de.contains("<html lang=\"de\">"));
    assert!(
        de.contains("<span class=\"badge attest applied\">bestätigt</span>"),
        "attestation badge shown"
    );
    assert!(de.contains("A. Prüferin (DSB), 2026-11-20"));
}

#[test]
fn markdown_escapes_pipes_so_rows_keep_their_columns() {
    let a = assessment("Pipe | Messenger", 0, Lang::En);
    let out = render(&a, &opts(Format::Md, Lang::En)).expect("render");
    assert!(out.contains("Pipe \\| Messenger"));
    assert!(out.contains("Key verification \\| fingerprint"));
    // Every row of the results table has exactly 7 cells (8 unescaped pipes).
    let unescaped_pipes = |line: &str| {
        let mut n = 0;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '|' && prev != '\\' {
                n += 1;
            }
            prev = c;
        }
        n
    };
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| **")).collect();
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(unescaped_pipes(row), 8, "{row}");
    }
}

#[test]
fn csv_parses_back_with_one_row_per_result() {
    for lang in [Lang::De, Lang::En] {
        let a = assessment("Example, \"Messenger\"", 7, lang);
        let out = render(&a, &opts(Format::Csv, lang)).expect("render");
        // German: `;` and a BOM for German Excel; English: `,` and none.
        let (sep, bom) = match lang {
            Lang::De => (b';', true),
            Lang::En => (b',', false),
        };
        assert_eq!(out.starts_with('\u{feff}'), bom);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sep)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let headers = reader.headers().expect("header row").clone();
        assert_eq!(headers.len(), 18);
        let records: Vec<csv::StringRecord> = reader
            .records()
            .collect::<Result<_, _>>()
            .expect("valid CSV");
        let expected: usize = all_targets(&a).iter().map(|t| t.results.len().max(1)).sum();
        assert_eq!(records.len(), expected);
        assert!(records.iter().all(|r| r.len() == 18));
        let first = &records[0];
        // The app's title as every other format gives it: name and version.
        assert_eq!(&first[0], "Example, \"Messenger\" 7.20.2");
        // Beside the score: decided and applicable checks of the target.
        let coverage = all_targets(&a)[0].coverage();
        assert_eq!(&first[7], coverage.decided.to_string());
        assert_eq!(&first[8], coverage.total.to_string());
        let app05 = records
            .iter()
            .find(|r| &r[9] == "APP-05-crash-default-off")
            .expect("APP-05 row");
        // The evidence column is read by people: its kinds in their language.
        let kind = match lang {
            Lang::De => "Klassenpräfix",
            Lang::En => "class_prefix",
        };
        assert!(
            app05[15].contains(&format!(
                "{kind}: com.google.firebase.crashlytics (classes2.dex)"
            )),
            "{}",
            &app05[15]
        );
        let unreadable = records
            .iter()
            .find(|r| &r[0] == "broken.ipa")
            .expect("error row");
        assert!(unreadable[14].contains("central directory"));
        let attested = records
            .iter()
            .find(|r| !r[17].is_empty())
            .expect("attested row");
        let badge = if lang == Lang::De {
            "bestätigt"
        } else {
            "attested"
        };
        assert_eq!(
            attested[17],
            format!("{badge}: A. Prüferin (DSB), 2026-11-20")
        );
    }
}

#[test]
fn csv_remediation_list_has_one_row_per_failed_device_check() {
    let a = assessment("Example Messenger", 12, Lang::De);
    let out = msgaudit::report::csv::render_remediation(&a, Lang::De).expect("render");
    assert!(out.starts_with("\u{feff}Gerät;"), "German Excel's dialect");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader
        .records()
        .collect::<Result<_, _>>()
        .expect("valid CSV");
    let expected = all_targets(&a)
        .iter()
        .filter(|t| t.target.kind == TargetKind::Device)
        .flat_map(|t| &t.results)
        .filter(|r| r.outcome == Outcome::Fail)
        .count();
    assert_eq!(records.len(), expected);
    assert!(
        records.iter().all(|r| !r[9].is_empty()),
        "every row has a remediation text"
    );
    assert!(records
        .iter()
        .any(|r| &r[9] == "Das Gerät in der MDM registrieren."));
}

#[test]
fn json_round_trips_into_the_assessment() {
    let a = assessment("Example Messenger", 5, Lang::De);
    let out = render(&a, &opts(Format::Json, Lang::De)).expect("render");
    let back: Assessment = common::json_str(&out).expect("JSON parses into Assessment");
    assert_eq!(back, a);
    let v: serde_json::Value = common::json_str(&out).expect("JSON");
    for key in [
        "schema_version",
        "tool",
        "profile",
        "as_of",
        "lang",
        "targets",
        "fleet",
    ] {
        assert!(v.get(key).is_some(), "missing top-level key {key}");
    }
}

/// Headless Chromium renders the HTML: the verdict and a finding title are in the
/// DOM, and printing to PDF produces a PDF.
#[test]
fn html_renders_and_prints_in_headless_chromium() {
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium not installed");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let html_path = dir.path().join("report.html");
    let a = assessment("<script>alert(1)</script>", 30, Lang::De);
    std::fs::write(
        &html_path,
        render(&a, &opts(Format::Html, Lang::De)).expect("render"),
    )
    .expect("write html");
    let url = format!("file://{}", html_path.display());
    let base_args = |profile: &Path| {
        vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", profile.display()),
        ]
    };
    let dom = Command::new(chromium)
        .args(base_args(&dir.path().join("profile-dom")))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        dom.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.contains("Nicht konform"),
        "verdict missing from rendered DOM"
    );
    assert!(
        dom.contains(&*app05_title().de),
        "finding missing from rendered DOM"
    );
    assert!(!dom.contains("<script>"), "hostile name became markup");

    let pdf = dir.path().join("report.pdf");
    let printed = Command::new(chromium)
        .args(base_args(&dir.path().join("profile-pdf")))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(&url)
        .output()
        .expect("run chromium");
    assert!(
        printed.status.success(),
        "print failed: {}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("PDF written");
    assert!(bytes.len() > 1000, "PDF too small: {} bytes", bytes.len());
    assert!(bytes.starts_with(b"%PDF-"));
}

/// Removes ANSI CSI sequences (`ESC [ … letter`) to measure visible width.
fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colored_table_keeps_80_visible_columns() {
    let a = assessment("Example Messenger", 30, Lang::De);
    let out = render(
        &a,
        &RenderOptions {
            format: Format::Table,
            lang: Lang::De,
            color: true,
            exit: None,
        },
    )
    .expect("render");
    let visible = strip_ansi(&out);
    assert!(!visible.contains('\u{1b}'));
    for line in visible.lines() {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(visible.contains("Nicht konform"));
}

/// Huge, hostile values (a 300 000-character app name without spaces, 20 000
/// evidence items, 5 000 devices) render in every format without panicking and
/// in bounded time.
#[test]
fn huge_hostile_inputs_render_in_bounded_time() {
    let name = format!("<b>{}</b>\u{1b}[2J", "W".repeat(300_000));
    let mut a = assessment(&name, 5_000, Lang::En);
    if let Some(r) = a.targets.first_mut().and_then(|t| t.results.first_mut()) {
        r.evidence = (0..20_000)
            .map(|i| {
                Evidence::new("class_prefix", format!("com.vendor.sdk{i}|<x>")).at("classes.dex")
            })
            .collect();
    }
    let started = std::time::Instant::now();
    for format in ALL_FORMATS {
        let out = render(&a, &opts(format, Lang::En)).expect("render");
        assert!(!out.is_empty(), "{format:?}");
        if format == Format::Table {
            assert!(out.lines().all(|l| l.chars().count() <= 80));
            assert!(out.contains("… 4,975 more not shown here"));
        }
        if format == Format::Html {
            assert!(!out.contains("<b>W") && !out.contains("<x>"));
        }
    }
    let elapsed = started.elapsed();
    assert!(
        elapsed < std::time::Duration::from_secs(60),
        "rendering took {elapsed:?}"
    );
    eprintln!("all six formats for 5 003 targets rendered in {elapsed:?}");
}

#[test]
fn streamed_reports_are_byte_identical_to_rendered_ones() {
    // 0 devices, a few, and enough for several parallel groups (64 devices each).
    for devices in [0, 6, 300] {
        let a = assessment("Example Messenger", devices, Lang::En);
        for format in ALL_FORMATS {
            let rendered = render(&a, &opts(format, Lang::En)).expect("render");
            let mut streamed = Vec::new();
            write_to(&a, &opts(format, Lang::En), &mut streamed).expect("write");
            assert!(
                String::from_utf8(streamed).unwrap() == rendered,
                "{format:?} with {devices} devices: streamed output differs"
            );
        }
        // The JSON is the complete record: apps then every device.
        let json: serde_json::Value =
            common::json_str(&render(&a, &opts(Format::Json, Lang::En)).unwrap()).unwrap();
        assert_eq!(json["targets"].as_array().unwrap().len(), 3 + devices);
    }
}

#[test]
fn export_notes_and_the_default_key_note_are_in_every_readable_format() {
    for lang in [Lang::De, Lang::En] {
        let a = assessment("Example Messenger", 6, lang);
        let (heading, key_note, more, note) = match lang {
            Lang::De => (
                "Hinweise zu den Exporten",
                "öffentlichen Standardschlüssel",
                "2 weitere Hinweise",
                "Gerät(e): Der Export meldet jailBroken",
            ),
            Lang::En => (
                "Notes on the exports",
                "public default key",
                "2 more notes",
                "device(s): the export says jailBroken",
            ),
        };
        for format in [Format::Table, Format::Html, Format::Md] {
            let out = render(&a, &opts(format, lang)).expect("render");
            assert!(out.contains(heading), "{format:?} {lang:?}");
            assert!(out.contains(key_note), "{format:?} {lang:?}");
            // The first ten notes in the report's language, then how many more.
            assert!(out.contains(&format!("10 {note}")), "{format:?} {lang:?}");
            assert!(!out.contains("11 device(s)"), "{format:?}");
            assert!(!out.contains("11 Gerät(e)"), "{format:?}");
            let other = if lang == Lang::De {
                "device(s)"
            } else {
                "Gerät(e)"
            };
            assert!(!out.contains(other), "{format:?} {lang:?}");
            assert!(out.contains(more), "{format:?} {lang:?}");
        }
        // JSON keeps them all; SARIF has them as warning notifications.
        let json: serde_json::Value =
            common::json_str(&render(&a, &opts(Format::Json, lang)).unwrap()).unwrap();
        assert_eq!(
            json["fleet"]["inventories"][0]["warnings"]
                .as_array()
                .unwrap()
                .len(),
            12
        );
        assert_eq!(json["fleet"]["default_pseudonym_key"], true);
        let sarif: serde_json::Value =
            common::json_str(&render(&a, &opts(Format::Sarif, lang)).unwrap()).unwrap();
        let notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
            .as_array()
            .unwrap();
        assert_eq!(notes.iter().filter(|n| n["level"] == "warning").count(), 12);
        assert!(notes
            .iter()
            .filter(|n| n["level"] == "warning")
            .all(|n| n["message"]["text"].as_str().unwrap().contains(note)));
    }
}

#[test]
fn evidence_kinds_are_named_in_the_readers_language_and_kept_for_machines() {
    let a = assessment("Example Messenger", 0, Lang::De);
    let evidence = "com.google.android.gms.permission.AD_ID";
    for format in [Format::Table, Format::Html, Format::Md] {
        let de = render(&a, &opts(format, Lang::De))
            .expect("render")
            .replace("<wbr>", "");
        let flat = de.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("Berechtigung: {evidence}")),
            "{format:?}: {de}"
        );
        assert!(
            !flat.contains(&format!("permission: {evidence}")),
            "{format:?}"
        );
        let en = render(&a, &opts(format, Lang::En))
            .expect("render")
            .replace("<wbr>", "");
        let flat = en.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains(&format!("permission: {evidence}")),
            "{format:?}"
        );
    }
    // JSON keeps the machine-readable kind in either language; SARIF keeps
    // it in `kind`, its evidence line (`text`) is read by people, as is the
    // CSV report's evidence column.
    let json = render(&a, &opts(Format::Json, Lang::De)).expect("render");
    assert!(json.contains("\"permission\""));
    assert!(!json.contains(&format!("Berechtigung: {evidence}")));
    let sarif: serde_json::Value =
        serde_json::from_str(&render(&a, &opts(Format::Sarif, Lang::De)).expect("render")).unwrap();
    let items: Vec<&serde_json::Value> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["properties"]["evidence"].as_array().unwrap())
        .filter(|e| e["value"] == evidence)
        .collect();
    assert!(!items.is_empty());
    assert!(items
        .iter()
        .all(|e| e["kind"] == "permission"
            && e["text"].as_str().unwrap().starts_with("Berechtigung: ")));
    let csv = render(&a, &opts(Format::Csv, Lang::De)).expect("render");
    assert!(csv.contains(&format!("Berechtigung: {evidence}")));
    assert!(!csv.contains(&format!("permission: {evidence}")));
}
