//! Tests of the compare and diff workflows on hand-built assessments.

use serde_json::json;

use super::compare::{compare, Grouping};
use super::diff::{diff, ChangeKind, Severity};
use crate::assess::*;
use crate::facts::{Evidence, FileInfo, TargetKind};
use crate::report::compare::render as render_comparison;
use crate::report::diff::render as render_diff;
use crate::report::Format;

fn t(de: &str, en: &str) -> Text {
    Text {
        de: de.into(),
        en: en.into(),
    }
}

fn result(check: &str, requirement: &str, outcome: Outcome, en: &str) -> CheckResult {
    CheckResult {
        check: check.into(),
        requirement: requirement.into(),
        level: Level::Must,
        outcome,
        title: t(&format!("Titel {check}"), &format!("Title {check}")),
        message: t(&format!("DE {en}"), en),
        remediation: Text::default(),
        evidence: vec![Evidence::new("test", en)],
        attestation: None,
        attested: false,
        attestation_status: None,
        weight: 1.0,
    }
}

fn target(
    kind: TargetKind,
    name: &str,
    id: &str,
    file: &str,
    verdict: Verdict,
    results: Vec<CheckResult>,
    facts: Option<serde_json::Value>,
) -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind,
            name: name.into(),
            id: Some(id.into()),
            version: Some("1.0".into()),
            file: Some(FileInfo {
                path: format!("apps/{file}"),
                sha256: "00".into(),
                size: 1,
            }),
            source: None,
            device: None,
        },
        verdict,
        score: Some(50.0),
        results,
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts: facts.as_ref().map(KeptFacts::of),
    }
}

#[test]
fn compare_groups_platforms_and_takes_the_worst_outcome() {
    let a = target(
        TargetKind::Android,
        "Chat A",
        "org.chat",
        "chat.apk",
        Verdict::NotCompliant,
        vec![
            result("APP-05-crash", "APP-05", Outcome::Fail, "Crashlytics on"),
            result("COM-02-e2e", "COM-02", Outcome::Manual, "libsignal found"),
        ],
        None,
    );
    let i = target(
        TargetKind::Ios,
        "Chat A",
        "org.chat",
        "chat.ipa",
        Verdict::Incomplete,
        vec![result(
            "APP-05-crash",
            "APP-05",
            Outcome::Pass,
            "no crash SDK",
        )],
        None,
    );
    let b = target(
        TargetKind::Android,
        "Other",
        "com.other",
        "other.apk",
        Verdict::Compliant,
        vec![result(
            "APP-05-crash",
            "APP-05",
            Outcome::Pass,
            "no crash SDK",
        )],
        None,
    );
    let grouping = Grouping {
        groups: vec![Grouping::parse_group("ChatA=chat.apk,chat.ipa").unwrap()],
        by_app_id: false,
    };
    let c = compare(&[a, i, b], &grouping);
    assert_eq!(c.candidates.len(), 2);
    assert_eq!(c.candidates[0].name, "ChatA");
    assert_eq!(c.candidates[0].members.len(), 2);
    assert_eq!(c.candidates[0].verdict, Verdict::NotCompliant);
    let app = c.areas.iter().find(|a| a.area == super::Area::App).unwrap();
    let row = app.rows.iter().find(|r| r.requirement == "APP-05").unwrap();
    assert_eq!(row.cells[0].outcome, Some(Outcome::Fail));
    assert!(row.cells[0].reason.en.contains("Android: Crashlytics on"));
    assert!(row.cells[0].reason.en.contains("iOS: no crash SDK"));
    assert_eq!(row.cells[1].outcome, Some(Outcome::Pass));
    // COM-02 not assessed for the second candidate.
    let com = c
        .areas
        .iter()
        .find(|a| a.area == super::Area::Communication)
        .unwrap();
    assert_eq!(com.rows[0].cells[1].outcome, None);

    // By app id, without explicit groups, the two builds also form one candidate.
    let auto = compare(
        &[
            target(
                TargetKind::Android,
                "A",
                "org.chat",
                "x.apk",
                Verdict::Compliant,
                vec![],
                None,
            ),
            target(
                TargetKind::Ios,
                "A",
                "org.chat",
                "x.ipa",
                Verdict::Compliant,
                vec![],
                None,
            ),
        ],
        &Grouping {
            groups: vec![],
            by_app_id: true,
        },
    );
    assert_eq!(auto.candidates.len(), 1);
    assert!(Grouping::parse_group("nogroup").is_err());
}

#[test]
fn compare_renders_in_every_format_and_both_languages() {
    let a = target(
        TargetKind::Android,
        "Chat <A>",
        "org.chat",
        "chat.apk",
        Verdict::NotCompliant,
        vec![result(
            "APP-05-crash",
            "APP-05",
            Outcome::Fail,
            "Crashlytics on",
        )],
        None,
    );
    let c = compare(&[a], &Grouping::default());
    let en = render_comparison(&c, Format::Table, Lang::En).unwrap();
    assert!(
        en.contains("Not compliant") && en.contains("Crashlytics on"),
        "{en}"
    );
    let de = render_comparison(&c, Format::Table, Lang::De).unwrap();
    assert!(
        de.contains("Nicht konform") && de.contains("Nicht erfüllt"),
        "{de}"
    );
    let html = render_comparison(&c, Format::Html, Lang::De).unwrap();
    assert!(html.contains("Chat &lt;A&gt;") && !html.contains("Chat <A>"));
    assert!(html.contains("lang=\"de\""));
    let md = render_comparison(&c, Format::Md, Lang::En).unwrap();
    assert!(
        md.contains("| APP-05 Title APP-05-crash (Must) | **Fail** Crashlytics on (E1) |"),
        "{md}"
    );
    let csv = render_comparison(&c, Format::Csv, Lang::En).unwrap();
    let rows: Vec<_> = csv::Reader::from_reader(csv.as_bytes()).records().collect();
    assert_eq!(rows.len(), 1);
    let json: serde_json::Value =
        serde_json::from_str(&render_comparison(&c, Format::Json, Lang::En).unwrap()).unwrap();
    assert_eq!(json["candidates"][0]["verdict"], "not_compliant");
    assert!(render_comparison(&c, Format::Sarif, Lang::En).is_err());
}

/// Six single-build candidates, the last one an iOS app with an attested cell.
fn six_candidates() -> Vec<TargetAssessment> {
    (1..=6)
        .map(|i| {
            let kind = if i == 6 {
                TargetKind::Ios
            } else {
                TargetKind::Android
            };
            let mut r = result(
                "APP-05-crash",
                "APP-05",
                if i % 2 == 0 {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                },
                &format!("reason of candidate {i}"),
            );
            if i == 6 {
                // Built from JSON, as an answers file gives it.
                r.attestation = serde_json::from_value(json!({"by": "DSB", "date": "2026-11-01"}))
                    .expect("an attestation");
                r.attested = true;
            }
            target(
                kind,
                &format!("Messenger {i}"),
                &format!("org.m{i}"),
                &format!("m{i}.apk"),
                Verdict::Incomplete,
                vec![
                    r,
                    result("COM-02-e2e", "COM-02", Outcome::Manual, "libsignal found"),
                ],
                None,
            )
        })
        .collect()
}

#[test]
fn wide_comparisons_break_into_column_groups_with_platform_coverage_and_evidence() {
    let c = compare(&six_candidates(), &Grouping::default());
    assert_eq!(c.candidates.len(), 6);
    // Coverage per column: APP-05 decided, COM-02 open.
    assert_eq!(c.candidates[5].coverage.decided, 1);
    assert_eq!(c.candidates[5].coverage.total, 2);
    for lang in [Lang::De, Lang::En] {
        let html = render_comparison(&c, Format::Html, lang).unwrap();
        assert_eq!(
            html.matches("<table class=\"matrix\">").count(),
            2,
            "4 + 2 columns"
        );
        let (first, second) = html.split_at(html.find("Messenger 5").unwrap());
        assert!(first.contains("Messenger 4") && !first.contains("Messenger 6"));
        assert!(second.contains("Messenger 6"));
        assert!(html.contains("<details><summary>"));
        assert!(
            html.contains("reason of candidate 6"),
            "evidence and reason of the last column"
        );
        let md = render_comparison(&c, Format::Md, lang).unwrap();
        let table = render_comparison(&c, Format::Table, lang).unwrap();
        match lang {
            Lang::De => {
                assert!(html.contains("Plattform: iOS") && html.contains("1 von 2 entschieden"));
                assert!(html.contains("Kandidaten 5–6 von 6"));
                assert!(html.contains("durch Antwort bestätigt"));
                assert!(md.contains("## Belege") && md.contains("## Kandidaten 1–4 von 6"));
                assert!(table.contains("1 von 2 entschieden"));
            }
            Lang::En => {
                assert!(html.contains("Platform: Android") && html.contains("1 of 2 decided"));
                assert!(md.contains("## Evidence") && md.contains("test: reason of candidate 6"));
                assert!(table.contains("Candidates 5–6 of 6"));
            }
        }
        // Every cell has evidence, and every evidence marker its note.
        assert_eq!(md.matches("- **E").count(), 12, "two cells per candidate");
        for n in 1..=12 {
            assert!(md.contains(&format!(" (E{n}) |")), "marker E{n}");
            assert!(md.contains(&format!("- **E{n}** ")), "note E{n}");
        }
    }
}

#[test]
fn compare_and_diff_name_profile_date_tool_and_input_hashes() {
    let header = ReportHeader {
        tool: ToolInfo {
            name: "msgaudit".into(),
            version: "9.9.9".into(),
            check_set_digest: "abc123".into(),
        },
        profile: ProfileInfo {
            id: "dsk-must".into(),
            title: t("DSK Muss", "DSK must"),
            source: "built-in".into(),
        },
        as_of: "2026-12-01".into(),
    };
    let mut targets = six_candidates();
    targets[0].target.file.as_mut().unwrap().sha256 = "feedbeef".into();
    let mut c = compare(&targets[..2], &Grouping::default());
    c.header = Some(header.clone());
    let mut d = diff(&targets[0], &targets[1]);
    d.header = Some(header);
    for format in [Format::Html, Format::Md, Format::Table] {
        for text in [
            render_comparison(&c, format, Lang::De).unwrap(),
            render_diff(&d, format, Lang::De).unwrap(),
        ] {
            for needle in [
                "Prüfdatum",
                "2026-12-01",
                "msgaudit 9.9.9",
                "dsk-must",
                "feedbeef",
                "Eingaben",
            ] {
                assert!(text.contains(needle), "{format:?} lacks {needle}: {text}");
            }
        }
    }
    let json: serde_json::Value =
        serde_json::from_str(&render_comparison(&c, Format::Json, Lang::En).unwrap()).unwrap();
    assert_eq!(json["header"]["as_of"], "2026-12-01");
    assert_eq!(json["candidates"][0]["members"][0]["path"], "apps/m1.apk");
}

fn facts(
    sdks: serde_json::Value,
    permissions: &[&str],
    cert: &str,
    allow_backup: bool,
) -> serde_json::Value {
    json!({
        "kind": "android",
        "app": {"id": "org.chat", "version": "1.0", "min_os": "24"},
        "android": {
            "permissions": permissions,
            "application": {"allow_backup": allow_backup},
            "meta_data": {},
            "signing": {"certificates": [{"sha256": cert}]}
        },
        "sdks": sdks
    })
}

#[test]
fn diff_detects_each_kind_of_change() {
    let old = target(
        TargetKind::Android,
        "Chat",
        "org.chat",
        "v1.apk",
        Verdict::Incomplete,
        vec![result(
            "APP-05-crash",
            "APP-05",
            Outcome::Pass,
            "no crash SDK",
        )],
        Some(facts(
            json!([{"id": "olm", "name": "Olm", "category": "e2e_crypto"}]),
            &["android.permission.INTERNET"],
            "aa",
            false,
        )),
    );
    let mut new = target(
        TargetKind::Android,
        "Chat",
        "org.chat",
        "v2.apk",
        Verdict::NotCompliant,
        vec![result("APP-05-crash", "APP-05", Outcome::Fail, "Sentry on")],
        Some(facts(
            json!([{"id": "sentry", "name": "Sentry", "category": "crash_reporting", "collection_default": "enabled", "switch": "io.sentry.dsn set"}]),
            &[
                "android.permission.INTERNET",
                "android.permission.READ_CONTACTS",
            ],
            "bb",
            true,
        )),
    );
    new.score = Some(30.0);
    let d = diff(&old, &new);
    assert!(d.regression);
    let has = |kind: ChangeKind, subject: &str| {
        d.changes
            .iter()
            .find(|c| c.kind == kind && c.subject == subject)
    };
    assert_eq!(
        has(ChangeKind::SdkAdded, "sentry").unwrap().severity,
        Severity::Regression
    );
    assert!(has(ChangeKind::SdkAdded, "sentry")
        .unwrap()
        .detail
        .en
        .contains("without consent"));
    assert_eq!(
        has(ChangeKind::SdkRemoved, "olm").unwrap().severity,
        Severity::Info
    );
    assert_eq!(
        has(
            ChangeKind::PermissionAdded,
            "android.permission.READ_CONTACTS"
        )
        .unwrap()
        .severity,
        Severity::Regression
    );
    assert!(has(
        ChangeKind::SettingChanged,
        "android.application.allow_backup"
    )
    .is_some());
    assert_eq!(
        has(ChangeKind::CertificateChanged, "signing")
            .unwrap()
            .severity,
        Severity::Critical
    );
    assert_eq!(
        d.changes[0].kind,
        ChangeKind::CertificateChanged,
        "most severe first"
    );
    assert_eq!(
        has(ChangeKind::OutcomeChanged, "APP-05-crash")
            .unwrap()
            .severity,
        Severity::Regression
    );
    assert!(has(ChangeKind::VerdictChanged, "verdict").is_some());
    assert!(has(ChangeKind::ScoreChanged, "score").is_some());

    // The reverse direction is an improvement, not a regression, except the key change.
    let back = diff(&new, &old);
    assert!(back
        .changes
        .iter()
        .filter(|c| c.kind != ChangeKind::CertificateChanged)
        .all(|c| c.severity < Severity::Regression));

    let de = render_diff(&d, Format::Table, Lang::De).unwrap();
    assert!(
        de.contains("VERSCHLECHTERUNG") && de.contains("Signaturschlüssel"),
        "{de}"
    );
    let en = render_diff(&d, Format::Md, Lang::En).unwrap();
    assert!(
        en.contains("REGRESSION") && en.contains("Added: Sentry"),
        "{en}"
    );
    let csv = render_diff(&d, Format::Csv, Lang::En).unwrap();
    assert_eq!(
        csv::Reader::from_reader(csv.as_bytes()).records().count(),
        d.changes.len()
    );
}

#[test]
fn diff_of_identical_versions_is_empty_and_reports_without_facts_say_so() {
    let a = target(
        TargetKind::Ios,
        "Chat",
        "org.chat",
        "a.ipa",
        Verdict::Compliant,
        vec![result("APP-05-crash", "APP-05", Outcome::Pass, "none")],
        Some(
            json!({"app": {"id": "org.chat"}, "sdks": [], "ios": {"entitlements": {"aps-environment": "production"}}}),
        ),
    );
    let d = diff(&a, &a.clone());
    assert!(d.changes.is_empty() && !d.regression && !d.outcomes_only);
    let mut b = a.clone();
    b.facts = None;
    assert!(diff(&a, &b).outcomes_only);
    let mut c = a.clone();
    c.facts = Some(KeptFacts::of(
        &json!({"app": {"id": "org.chat"}, "sdks": [], "ios": {"entitlements": {"aps-environment": "development"}}}),
    ));
    let d = diff(&a, &c);
    assert_eq!(d.changes[0].kind, ChangeKind::EntitlementChanged);
}

#[test]
fn two_versions_for_one_platform_are_two_candidates() {
    let c = compare(
        &[
            target(
                TargetKind::Android,
                "A 1",
                "org.chat",
                "a1.apk",
                Verdict::Compliant,
                vec![],
                None,
            ),
            target(
                TargetKind::Android,
                "A 2",
                "org.chat",
                "a2.apk",
                Verdict::Compliant,
                vec![],
                None,
            ),
            target(
                TargetKind::Ios,
                "A",
                "org.chat",
                "a.ipa",
                Verdict::Compliant,
                vec![],
                None,
            ),
        ],
        &Grouping {
            groups: vec![],
            by_app_id: true,
        },
    );
    assert_eq!(c.candidates.len(), 2);
    assert_eq!(
        c.candidates[0].members.len(),
        2,
        "the iOS build joins the first Android build"
    );
}

/// German diff output names SDK categories, collection states and value
/// types in German words; the change's `old`/`new` keep the ids.
#[test]
fn german_diff_output_has_no_english_ids_or_type_names() {
    let sdk = |collection: &str| {
        json!([
            {"id": "sentry", "name": "Sentry", "category": "crash_reporting", "collection_default": collection, "switch": "io.sentry.auto-init = true", "switch_de": "io.sentry.auto-init = true (Wahrheitswert)"},
            {"id": "adid", "name": "Google advertising ID client", "name_de": "Google-Werbe-ID-Client", "category": "other"}
        ])
    };
    let mut old_facts = facts(sdk("disabled"), &[], "aa", false);
    old_facts["android"]["meta_data"] =
        json!({"firebase_analytics_collection_enabled": {"type": "boolean", "value": "false"}});
    let mut new_facts = facts(
        json!([{"id": "sentry", "name": "Sentry", "category": "crash_reporting", "collection_default": "enabled", "switch": "io.sentry.auto-init = true", "switch_de": "io.sentry.auto-init = true (Wahrheitswert)"},
               {"id": "ga", "name": "Google Analytics for Firebase", "category": "analytics", "collection_default": "enabled"}]),
        &[],
        "aa",
        false,
    );
    new_facts["android"]["meta_data"] = json!({"firebase_analytics_collection_enabled": {"type": "boolean", "value": "true"}, "com.x.level": {"type": "integer", "value": "3"}});
    let v = |file: &str, f| {
        target(
            TargetKind::Android,
            "Chat",
            "org.chat",
            file,
            Verdict::Incomplete,
            vec![],
            Some(f),
        )
    };
    let d = diff(&v("v1.apk", old_facts), &v("v2.apk", new_facts));
    let de = render_diff(&d, Format::Md, Lang::De).unwrap();
    for english in [
        "(crash_reporting)",
        "(analytics)",
        "(other)",
        "(boolean)",
        "(integer)",
        "disabled",
        " enabled ",
        "→ enabled",
        "advertising ID client",
    ] {
        assert!(!de.contains(english), "{english} in: {de}");
    }
    for german in [
        "Neu: Google Analytics for Firebase (Nutzungsanalyse)",
        "Entfernt: Google-Werbe-ID-Client (Sonstiges)",
        "Sentry: Datenerfassung ab Werk aus → an (io.sentry.auto-init = true (Wahrheitswert))",
        "false (Wahrheitswert) → true (Wahrheitswert)",
        "– → 3 (Ganzzahl)",
    ] {
        assert!(de.contains(german), "{german} missing: {de}");
    }
    let en = render_diff(&d, Format::Md, Lang::En).unwrap();
    assert!(
        en.contains("Added: Google Analytics for Firebase (analytics)"),
        "{en}"
    );
    assert!(
        en.contains("Removed: Google advertising ID client (other)"),
        "{en}"
    );
    assert!(en.contains("false (boolean) → true (boolean)"), "{en}");
    // Machine-readable values stay as before.
    let setting = d
        .changes
        .iter()
        .find(|c| c.subject.ends_with("firebase_analytics_collection_enabled"))
        .unwrap();
    assert_eq!(setting.new.as_deref(), Some("true (boolean)"));
    let removed = d.changes.iter().find(|c| c.subject == "adid").unwrap();
    assert_eq!(
        removed.old.as_deref(),
        Some("Google advertising ID client (other)")
    );
}
