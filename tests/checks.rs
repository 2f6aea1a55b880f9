//! The check engine over realistic facts fixtures: verdict and score rules,
//! answers, evidence, broken check files. What each shipped check decides is
//! stated by the `[[example]]`s in its file, run here through `msgaudit checks --test`.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use msgaudit::assess::{Assessment, AttestationStatus, CheckResult, Lang, Outcome, Verdict};
use msgaudit::checks::cel::TargetContext;
use msgaudit::checks::{evaluate, Answers, CheckSet, Input, Profile};
use msgaudit::facts::AppFacts;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/facts")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    common::json_str(&text).unwrap()
}

fn android() -> Value {
    fixture("android-base.json")
}

fn ios() -> Value {
    fixture("ios-base.json")
}

/// Sets the value at a JSON pointer, creating missing object members.
fn set(v: &mut Value, pointer: &str, new: Value) {
    let mut cur = &mut *v;
    for part in pointer.trim_start_matches('/').split('/') {
        cur = match cur {
            Value::Array(a) => &mut a[part.parse::<usize>().unwrap()],
            Value::Object(m) => m.entry(part.to_string()).or_insert(Value::Null),
            other => panic!("cannot descend into {other}"),
        };
    }
    *cur = new;
    sync_effective(v, pointer);
}

/// Appends to the array at a JSON pointer.
fn push(v: &mut Value, pointer: &str, new: Value) {
    v.pointer_mut(pointer)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("{pointer}"))
        .push(new);
    sync_effective(v, pointer);
}

/// After a change to the requested or implied permissions, sets
/// `effective_permissions` to their union, sorted, as the extractor does.
fn sync_effective(v: &mut Value, pointer: &str) {
    if !matches!(
        pointer,
        "/android/permissions" | "/android/implied_permissions"
    ) {
        return;
    }
    let names = |p: &str, key: Option<&str>| -> Vec<String> {
        v.pointer(p)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| key.map_or(Some(x), |k| x.get(k)))
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut all: BTreeSet<String> = names("/android/permissions", None).into_iter().collect();
    all.extend(names("/android/implied_permissions", Some("name")));
    *v.pointer_mut("/android/effective_permissions").unwrap() = json!(all);
}

/// Android facts whose DEX holds Google's advertising-ID client, at `target`
/// SDK, with or without the AD_ID permission, readable as the extractor decides.
fn with_ad_id_client(target: u32, declared: bool) -> Value {
    let mut v = android();
    set(&mut v, "/app/target_os", json!(target.to_string()));
    if declared {
        push(
            &mut v,
            "/android/permissions",
            json!("com.google.android.gms.permission.AD_ID"),
        );
    }
    set(
        &mut v,
        "/android/advertising_id",
        json!({
            "clients": ["com.google.android.gms.ads.identifier."],
            "permission": "com.google.android.gms.permission.AD_ID",
            "permission_declared": declared,
            "required_from_target_sdk": 33,
            "target_sdk": target,
            "readable": declared || target < 33
        }),
    );
    v
}

/// Android facts at targetSdk 28 requesting ACCESS_FINE_LOCATION, with the
/// background location Android grants by the split-permission table.
fn with_implied_background_location() -> Value {
    let mut v = android();
    set(&mut v, "/app/target_os", json!("28"));
    push(
        &mut v,
        "/android/permissions",
        json!("android.permission.ACCESS_FINE_LOCATION"),
    );
    set(
        &mut v,
        "/android/implied_permissions",
        json!([
            {"name": "android.permission.ACCESS_COARSE_LOCATION", "rule": "split", "from": "android.permission.ACCESS_FINE_LOCATION", "below_target_sdk": null, "target_sdk": 28, "reason": "android.permission.ACCESS_FINE_LOCATION"},
            {"name": "android.permission.ACCESS_BACKGROUND_LOCATION", "rule": "split", "from": "android.permission.ACCESS_FINE_LOCATION", "below_target_sdk": 29, "target_sdk": 28, "reason": "android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29"}
        ]),
    );
    v
}

/// The built-in check set, loaded (and its CEL compiled) once for all tests.
fn builtin() -> &'static CheckSet {
    static SET: std::sync::OnceLock<CheckSet> = std::sync::OnceLock::new();
    SET.get_or_init(|| CheckSet::builtin().expect("built-in checks load"))
}

fn assess(facts: Value, answers: &Answers) -> Assessment {
    let profile = Profile::load("dsk-full").unwrap();
    evaluate(
        &[Input::AppJson(facts)],
        builtin(),
        &profile,
        answers,
        "2026-11-23",
        Lang::En,
    )
}

/// Runs one check the way `evaluate` does (facts JSON → CEL once, the check's
/// params after the dsk-full profile), without evaluating every other check.
fn result(check: &str, facts: Value) -> CheckResult {
    let _: AppFacts = serde_json::from_value(facts.clone()).expect("facts match the model");
    let c = builtin()
        .get(check)
        .unwrap_or_else(|| panic!("{check} not shipped"));
    let profile = Profile::load("dsk-full").unwrap();
    assert!(profile.selects(c, builtin()), "{check} not in dsk-full");
    let params = serde_json::to_value(profile.params_for(c)).unwrap();
    let r = TargetContext::new(&facts, "2026-11-23").run(c, &params);
    CheckResult {
        check: c.id.clone(),
        requirement: c.requirement.clone(),
        level: c.level,
        outcome: r.outcome,
        title: c.title.clone(),
        message: r.message,
        remediation: c.remediation.clone(),
        evidence: r.evidence,
        attestation: None,
        attested: false,
        attestation_status: None,
        weight: profile.weight(c),
    }
}

#[test]
fn single_check_runs_agree_with_full_evaluation() {
    let a = assess(ios(), &Answers::none());
    for r in &a.targets[0].results {
        assert_eq!(&result(&r.check, ios()), r);
    }
}

fn expect(check: &str, facts: Value, outcome: Outcome) -> CheckResult {
    let r = result(check, facts);
    assert_eq!(r.outcome, outcome, "{check}: {}", r.message.en);
    r
}

#[test]
fn base_fixtures_match_the_facts_model() {
    let a: AppFacts = serde_json::from_value(android()).unwrap();
    assert!(a.android.is_some());
    let i: AppFacts = serde_json::from_value(ios()).unwrap();
    assert_eq!(i.app.id.as_deref(), Some("de.example.securechat"));
}

#[test]
fn advertising_id_and_implied_permission_evidence_in_both_languages() {
    for check in ["COM-06-no-advertising-tracking", "APP-12-privacy-defaults"] {
        let r = result(check, with_ad_id_client(30, false));
        let e = r
            .evidence
            .iter()
            .find(|e| e.kind == "advertising_id")
            .unwrap_or_else(|| panic!("{check}: {:?}", r.evidence));
        assert_eq!(
            e.value,
            "advertising-ID client com.google.android.gms.ads.identifier included; the advertising ID is readable even without a permission, because Google requires the permission com.google.android.gms.permission.AD_ID only from targetSdk 33 (here: 30)"
        );
        assert_eq!(
            e.value_de.as_deref(),
            Some("Werbe-ID-Client com.google.android.gms.ads.identifier eingebunden; die Werbe-ID ist auch ohne Berechtigung lesbar, weil Google die Berechtigung com.google.android.gms.permission.AD_ID erst ab targetSdk 33 verlangt (hier: 30)")
        );
        let none = result(check, with_ad_id_client(33, false));
        assert!(
            none.evidence.iter().all(|e| e.kind != "advertising_id"),
            "{check}: targetSdk 33 without AD_ID reads zeros: {:?}",
            none.evidence
        );
        let declared = result(check, with_ad_id_client(34, true));
        let e = declared
            .evidence
            .iter()
            .find(|e| e.kind == "advertising_id")
            .unwrap();
        assert!(e
            .value
            .ends_with("the advertising ID is readable because the app requests the permission com.google.android.gms.permission.AD_ID"));
        assert!(e
            .value_de
            .as_deref()
            .unwrap()
            .ends_with("die Werbe-ID ist lesbar, weil die App die Berechtigung com.google.android.gms.permission.AD_ID anfordert"));
    }
    let r = result(
        "APP-08-no-permanent-location",
        with_implied_background_location(),
    );
    assert!(
        r.evidence.iter().any(|e| e.kind == "implied_permission"
            && e.value == "android.permission.ACCESS_BACKGROUND_LOCATION ← android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29"),
        "{:?}",
        r.evidence
    );
}

/// APP-12: a background location Android requests implicitly (targetSdk
/// < 29) is a finding of lower weight than a declared one: the user still
/// decides whether to grant location. It warns, with the reason in both
/// languages; the declared permission fails.
#[test]
fn app12_warns_on_implied_background_location_and_fails_on_a_declared_one() {
    let base_outcome = result("APP-12-privacy-defaults", android()).outcome;
    assert_eq!(base_outcome, Outcome::Pass, "the base fixture passes");

    let implied = expect(
        "APP-12-privacy-defaults",
        with_implied_background_location(),
        Outcome::Warn,
    );
    assert!(
        implied
            .message
            .de
            .contains("Standortnutzung im Hintergrund"),
        "{}",
        implied.message.de
    );
    let e = implied
        .evidence
        .iter()
        .find(|e| e.kind == "implied_permission")
        .unwrap_or_else(|| panic!("{:?}", implied.evidence));
    assert_eq!(
        e.value,
        "android.permission.ACCESS_BACKGROUND_LOCATION ← android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29 — requested implicitly because targetSdkVersion < 29: once the user grants location, the app may also use it in the background, depending on the Android version and the user's choice"
    );
    assert_eq!(
        e.value_de.as_deref(),
        Some("android.permission.ACCESS_BACKGROUND_LOCATION ← android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29 — wird wegen targetSdkVersion < 29 stillschweigend mit angefordert: gibt der Nutzer den Standort frei, darf die App ihn je nach Android-Version und Auswahl auch im Hintergrund nutzen")
    );

    let mut declared = with_implied_background_location();
    push(
        &mut declared,
        "/android/permissions",
        json!("android.permission.ACCESS_BACKGROUND_LOCATION"),
    );
    let r = expect("APP-12-privacy-defaults", declared, Outcome::Fail);
    assert!(
        r.evidence.iter().any(|e| e.kind == "permission"
            && e.value == "android.permission.ACCESS_BACKGROUND_LOCATION"),
        "{:?}",
        r.evidence
    );
}

#[test]
fn evidence_names_the_switch() {
    let mut v = android();
    set(&mut v, "/sdks/5/collection_default", json!("enabled"));
    set(
        &mut v,
        "/sdks/5/switch",
        json!("no io.sentry.auto-init; io.sentry.dsn set"),
    );
    let r = expect("APP-05-crash-default-off", v, Outcome::Fail);
    assert_eq!(r.evidence.len(), 1);
    assert!(
        r.evidence[0].value.contains("Sentry") && r.evidence[0].value.contains("io.sentry.dsn"),
        "{:?}",
        r.evidence
    );
    // Where the switch lives, and where the SDK itself was found.
    assert_eq!(
        r.evidence[0].location.as_deref(),
        Some("AndroidManifest.xml; SDK found in classes.dex")
    );
}

fn answers_for(check: &str, outcome: &str, target: Option<&str>) -> Answers {
    let target = target
        .map(|t| format!("target = \"{t}\"\n"))
        .unwrap_or_default();
    Answers::parse(
        "answers.toml",
        &format!("[[answer]]\ncheck = \"{check}\"\n{target}outcome = \"{outcome}\"\nby = \"Dr. A. Prüfer, DSB\"\ndate = \"2026-11-20\"\nnote = \"tested on a Pixel 8\"\n"),
    )
    .unwrap()
}

#[test]
fn answers_decide_manual_checks() {
    // Every app example that ends manual passes with an answer.
    let manual = builtin().checks().iter().flat_map(|c| {
        c.examples
            .iter()
            .filter(|e| {
                e.outcome == Outcome::Manual && e.kind != msgaudit::facts::TargetKind::Device
            })
            .map(move |e| (c.id.as_str(), e.facts.clone()))
    });
    for (check, facts) in manual {
        let a = assess(facts, &answers_for(check, "pass", None));
        let r = a.targets[0]
            .results
            .iter()
            .find(|r| r.check == check)
            .unwrap();
        assert_eq!(r.outcome, Outcome::Pass, "{check}");
        let att = r.attestation.as_ref().expect("attestation shown");
        assert_eq!(att.by, "Dr. A. Prüfer, DSB");
        assert!(r.attested, "{check}");
        // The note is the message; the "please confirm" hint is gone.
        assert_eq!(&*r.message.en, "tested on a Pixel 8", "{check}");
    }
}

#[test]
fn answers_respect_the_target_and_never_override_automatic_outcomes() {
    // An answer for another app does not apply.
    let a = assess(
        android(),
        &answers_for("APP-06-deletion", "pass", Some("org.other.app")),
    );
    let r = a.targets[0]
        .results
        .iter()
        .find(|r| r.check == "APP-06-deletion")
        .unwrap();
    assert_eq!(r.outcome, Outcome::Manual);
    // Matching by app id, by file name.
    for target in ["de.example.securechat", "securechat-4.2.0.apk"] {
        let a = assess(
            android(),
            &answers_for("APP-06-deletion", "fail", Some(target)),
        );
        let r = a.targets[0]
            .results
            .iter()
            .find(|r| r.check == "APP-06-deletion")
            .unwrap();
        assert_eq!(r.outcome, Outcome::Fail, "{target}");
    }
    // A fail decided by the evidence stays a fail.
    let mut v = android();
    push(
        &mut v,
        "/android/permissions",
        json!("android.permission.WRITE_CONTACTS"),
    );
    let a = assess(v, &answers_for("APP-03-contacts-separate", "pass", None));
    let r = a.targets[0]
        .results
        .iter()
        .find(|r| r.check == "APP-03-contacts-separate")
        .unwrap();
    assert_eq!(r.outcome, Outcome::Fail);
    // … and the contradicting answer is shown as a conflict, not dropped.
    assert!(!r.attested);
    assert_eq!(r.attestation_status, Some(AttestationStatus::Conflict));
    let att = r.attestation.as_ref().expect("the answer is kept");
    assert_eq!(att.outcome, Some(Outcome::Pass));
    assert_eq!(att.automatic_outcome, Some(Outcome::Fail));
}

fn all_must_answers() -> String {
    let set = CheckSet::builtin().unwrap();
    set.checks()
        .iter()
        .filter(|c| c.rules.iter().any(|r| matches!(r.outcome, Outcome::Manual | Outcome::Warn)))
        .map(|c| format!("[[answer]]\ncheck = \"{}\"\noutcome = \"pass\"\nby = \"QA\"\ndate = \"2026-11-20\"\n", c.id))
        .collect()
}

#[test]
fn verdict_is_strict_and_separate_from_the_score() {
    let set = CheckSet::builtin().unwrap();
    let must = Profile::load("dsk-must").unwrap();
    let run = |facts: Value, answers: &Answers| {
        evaluate(
            &[Input::AppJson(facts)],
            &set,
            &must,
            answers,
            "2026-11-23",
            Lang::De,
        )
        .targets
        .remove(0)
    };
    // Without answers: manual must-checks → incomplete, never compliant.
    let t = run(android(), &Answers::none());
    assert_eq!(t.verdict, Verdict::Incomplete);
    // Every undecided check answered → compliant, score 100.
    let answers = Answers::parse("a.toml", &all_must_answers()).unwrap();
    let t = run(android(), &answers);
    assert_eq!(
        t.verdict,
        Verdict::Compliant,
        "{:?}",
        t.results
            .iter()
            .filter(|r| r.outcome != Outcome::Pass)
            .map(|r| &r.check)
            .collect::<Vec<_>>()
    );
    assert_eq!(t.score, Some(100.0));
    // One failed must-check → not compliant, even with a high score.
    let mut v = android();
    set_crash_enabled(&mut v);
    let t = run(v, &answers);
    assert_eq!(t.verdict, Verdict::NotCompliant);
    let decided: Vec<_> = t
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Pass | Outcome::Fail))
        .collect();
    let w = |o: Outcome| {
        decided
            .iter()
            .filter(|r| r.outcome == o)
            .map(|r| r.weight)
            .sum::<f64>()
    };
    let expected = w(Outcome::Pass) / (w(Outcome::Pass) + w(Outcome::Fail)) * 100.0;
    assert!((t.score.unwrap() - expected).abs() < 1e-9);
    assert!(t.score.unwrap() > 50.0 && t.score.unwrap() < 100.0);
    // dsk-must holds only must-checks of the §0 list.
    assert!(t
        .results
        .iter()
        .all(|r| r.level == msgaudit::assess::Level::Must));
    assert!(!t
        .results
        .iter()
        .any(|r| r.requirement == "COM-01" || r.requirement == "APP-08"));
}

fn set_crash_enabled(v: &mut Value) {
    set(v, "/sdks/5/collection_default", json!("enabled"));
}

#[test]
fn score_is_none_when_nothing_is_decided() {
    let set = CheckSet::builtin().unwrap();
    let profile = Profile::parse("p.toml", "id = \"only-manual\"\ntitle.de = \"x\"\ntitle.en = \"x\"\n[select]\nchecks = [\"APP-06-deletion\"]\nlevels = [\"desirable\"]\n", "p.toml").unwrap();
    let a = evaluate(
        &[Input::AppJson(android())],
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    assert_eq!(
        a.targets[0].results.len(),
        2,
        "APP-06 by id plus the desirable APP-10"
    );
    assert_eq!(a.targets[0].score, None);
    assert_eq!(a.targets[0].verdict, Verdict::Incomplete);
}

#[test]
fn profile_params_override_check_defaults() {
    let set = CheckSet::builtin().unwrap();
    let text = "id = \"strict\"\ntitle.de = \"x\"\ntitle.en = \"x\"\n[params.\"DEV-01-app-min-os\"]\nmin_supported_android_api = 30\n";
    let profile = Profile::parse("strict.toml", text, "strict.toml").unwrap();
    profile.validate_against(&set).unwrap();
    let a = evaluate(
        &[Input::AppJson(android())],
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    let r = a.targets[0]
        .results
        .iter()
        .find(|r| r.check == "DEV-01-app-min-os")
        .unwrap();
    assert_eq!(r.outcome, Outcome::Pass, "min_os 31 ≥ 30");
    let bad = Profile::parse(
        "bad.toml",
        &text.replace("min_supported_android_api", "max_api"),
        "bad.toml",
    )
    .unwrap();
    let err = bad.validate_against(&set).unwrap_err().to_string();
    assert!(err.contains("bad.toml") && err.contains("max_api"), "{err}");
}

#[test]
fn a_target_that_failed_is_an_error_and_the_others_go_on() {
    let set = CheckSet::builtin().unwrap();
    let profile = Profile::load("dsk-must").unwrap();
    let failed = msgaudit::checks::InputFailure {
        path: "broken.apk".into(),
        kind: msgaudit::facts::TargetKind::Android,
        reason: "cannot read the zip".into(),
        cause: Some(msgaudit::facts::UnreadKind::Damage),
        reason_de: None,
        unused_app_list: None,
        file: None,
    };
    let a = evaluate(
        &[Input::Failed(failed), Input::AppJson(ios())],
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    assert_eq!(a.targets.len(), 2);
    assert_eq!(a.targets[0].verdict, Verdict::Error);
    assert_eq!(a.targets[0].error.as_deref(), Some("cannot read the zip"));
    assert_eq!(a.targets[1].verdict, Verdict::Incomplete);
    assert_eq!(a.tool.check_set_digest.len(), 64);
}

#[test]
fn a_broken_check_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(
        &path,
        "id = \"X-01\"\nrequirement = \"APP-05\"\nlevel = must\n",
    )
    .unwrap();
    let mut set = CheckSet::builtin().unwrap();
    let err = set.add_dir(dir.path()).unwrap_err().to_string();
    assert!(err.starts_with(&format!("{}:3:", path.display())), "{err}");
}

#[test]
fn an_evaluation_error_is_reported_per_check() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("typo.toml"),
        r#"id = "ORG-01-typo"
requirement = "ORG-01"
level = "should"
applies_to = ["android"]
decide = "automatic"
source_confidence = "R"
title = { de = "T", en = "T" }
rationale = { de = "R", en = "R" }
remediation = { de = "M", en = "M" }
[[rule]]
when = 'facts.android.no_such_field == true'
outcome = "fail"
message = { de = "x", en = "x" }
"#,
    )
    .unwrap();
    let mut set = CheckSet::builtin().unwrap();
    set.add_dir(dir.path()).unwrap();
    let profile = Profile::load("dsk-must").unwrap();
    let a = evaluate(
        &[Input::AppJson(android())],
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    let r = a.targets[0]
        .results
        .iter()
        .find(|r| r.check == "ORG-01-typo")
        .expect("user checks are always evaluated");
    assert_eq!(r.outcome, Outcome::Error);
    assert!(r.message.en.contains("no_such_field"), "{}", r.message.en);
}

#[test]
fn dsk_must_selects_exactly_the_section_0_requirements() {
    let set = CheckSet::builtin().unwrap();
    let must = Profile::load("dsk-must").unwrap();
    let reqs: BTreeSet<&str> = must
        .selected(&set)
        .iter()
        .map(|c| c.requirement.as_str())
        .collect();
    let expected: BTreeSet<&str> = [
        "APP-01", "APP-02", "APP-03", "APP-04", "APP-05", "APP-06", "APP-09", "APP-11", "APP-12",
        "COM-02", "COM-04", "COM-06", "PLT-03",
    ]
    .into_iter()
    .collect();
    // DEV-01..04 come from checks/device (the inventory engineer's files) once merged.
    let app_reqs: BTreeSet<&str> = reqs
        .into_iter()
        .filter(|r| !r.starts_with("DEV-"))
        .collect();
    assert_eq!(app_reqs, expected);
    let full = Profile::load("dsk-full").unwrap();
    assert_eq!(full.selected(&set).len(), set.checks().len());
}

const PASSCODE_CHECK: &str = r#"id = "TEST-02-passcode"
requirement = "DEV-02"
level = "must"
applies_to = ["device"]
decide = "automatic"
source_confidence = "C"
title = { de = "Gerätesperre", en = "Device passcode" }
rationale = { de = "R", en = "R" }
remediation = { de = "M", en = "M" }
[[rule]]
when = 'facts.kind == "device" && facts.inventory_format == "intune-graph" && facts.passcode == false'
outcome = "fail"
message = { de = "keine Sperre", en = "no passcode" }
evidence = '[{"kind": "field", "value": "passcode = false", "location": facts.inventory_format + " " + facts.record}]'
[[rule]]
when = 'facts.passcode == null'
outcome = "warn"
message = { de = "unbekannt", en = "unknown" }
[[rule]]
when = 'true'
outcome = "pass"
message = { de = "ok", en = "ok" }
"#;

#[test]
fn every_device_is_a_target_with_a_fleet_summary_worst_first() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("passcode.toml"), PASSCODE_CHECK).unwrap();
    let mut set = CheckSet::builtin().unwrap();
    set.add_dir(dir.path()).unwrap();
    let mut profile = Profile::load("dsk-must").unwrap();
    // Only the test's device check: leave the built-in device checks out.
    let builtin_device_checks: Vec<String> = set
        .checks()
        .iter()
        .filter(|c| c.applies_to(msgaudit::facts::TargetKind::Device) && !set.is_user(&c.id))
        .map(|c| c.id.clone())
        .collect();
    assert!(!builtin_device_checks.is_empty());
    profile.select.exclude.extend(builtin_device_checks);
    let inv: msgaudit::facts::InventoryFacts =
        serde_json::from_value(fixture("inventory.json")).unwrap();
    let inputs = [
        Input::AppJson(android()),
        Input::Facts(msgaudit::facts::Facts::Inventory(Box::new(inv))),
    ];
    let a = evaluate(
        &inputs,
        &set,
        &profile,
        &Answers::none(),
        "2026-11-23",
        Lang::En,
    );
    // The app is a target; the devices are in the device store, worst first
    // (the JSON report lists them after the apps).
    assert_eq!(a.targets.len(), 1);
    assert_eq!(
        a.targets[0].target.kind,
        msgaudit::facts::TargetKind::Android
    );
    let devices: Vec<_> = a.devices.iter().map(|d| d.unwrap()).collect();
    let names: Vec<&str> = devices.iter().map(|t| t.target.name.as_str()).collect();
    assert_eq!(names, ["pn-77c0d4e1", "pn-19be5a77", "pn-3f9a01c2"]);
    assert_eq!(devices[0].verdict, Verdict::NotCompliant);
    assert_eq!(devices[0].target.source.as_deref(), Some("intune-graph #2"));
    // Evidence names the record it came from.
    assert!(devices[0].results[0].evidence[0]
        .location
        .as_deref()
        .is_some_and(|l| l.ends_with("#2")));
    assert_eq!(devices[1].verdict, Verdict::Incomplete);
    assert_eq!(devices[2].verdict, Verdict::Compliant);
    // Device checks do not run on apps, app checks not on devices.
    assert!(a.targets[0]
        .results
        .iter()
        .all(|r| r.check != "TEST-02-passcode"));
    assert_eq!(devices[2].results.len(), 1);
    // In the JSON report, the devices follow the app in the one `targets` array.
    let json: serde_json::Value = serde_json::to_value(&a).unwrap();
    let kinds: Vec<&str> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["android", "device", "device", "device"]);
    // Reading the report back splits them again.
    let back: msgaudit::assess::Assessment = serde_json::from_value(json).unwrap();
    assert_eq!(back, a);
    let fleet = a.fleet.expect("fleet summary");
    assert_eq!(
        (
            fleet.devices,
            fleet.compliant,
            fleet.not_compliant,
            fleet.incomplete
        ),
        (3, 1, 1, 1)
    );
    let req = &fleet.requirements[0];
    assert_eq!((req.passed, req.failed, req.undecided), (1, 1, 1));
    assert!((req.share_compliant - 100.0 / 3.0).abs() < 1e-9);
}

#[test]
fn ios_checks_tolerate_absent_and_null_optional_fields() {
    // An iOS facts document with only the fields the skeleton guarantees:
    // no check may end in `error` because an optional iOS field is missing or null.
    let mut sparse = ios();
    let keep = ["bundle_path"];
    sparse["ios"]
        .as_object_mut()
        .unwrap()
        .retain(|k, _| keep.contains(&k.as_str()));
    // Optional (`Option`) fields as null.
    let mut nulls = ios();
    for k in [
        "file_sharing_enabled",
        "opens_documents_in_place",
        "data_protection",
        "encrypted",
    ] {
        nulls["ios"][k] = Value::Null;
    }
    nulls["ios"]["extensions"][0]["bundle_id"] = Value::Null;
    nulls["ios"]["extensions"][0]["extension_point"] = Value::Null;
    nulls["ios"]["privacy_manifests"][0]["tracking"] = Value::Null;
    for facts in [sparse, nulls] {
        let a = assess(facts, &Answers::none());
        assert!(a.targets[0].error.is_none(), "{:?}", a.targets[0].error);
        let errors: Vec<String> = a.targets[0]
            .results
            .iter()
            .filter(|r| {
                r.outcome == Outcome::Error
                    || r.evidence.iter().any(|e| e.kind == "evaluation_error")
            })
            .map(|r| format!("{}: {} {:?}", r.check, r.message.en, r.evidence))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
}

#[test]
fn android_checks_tolerate_a_minimal_manifest() {
    // What an APK with a bare manifest yields: no backup rules, no NSC, no SDKs, null versions.
    let mut v = android();
    set(&mut v, "/sdks", json!([]));
    set(&mut v, "/app/min_os", Value::Null);
    set(&mut v, "/app/target_os", Value::Null);
    set(&mut v, "/android/application", json!({}));
    set(&mut v, "/android/components", json!([]));
    set(&mut v, "/android/meta_data", json!({}));
    set(
        &mut v,
        "/android/xml",
        json!({"network_security_config": null, "full_backup_content": null, "data_extraction_rules": null}),
    );
    // Round-trip through the model, as `msgaudit facts` would print it.
    let app: AppFacts = serde_json::from_value(v).unwrap();
    let v = serde_json::to_value(&app).unwrap();
    let a = assess(v, &Answers::none());
    assert!(a.targets[0].error.is_none(), "{:?}", a.targets[0].error);
    let errors: Vec<String> = a.targets[0]
        .results
        .iter()
        .filter(|r| {
            r.outcome == Outcome::Error || r.evidence.iter().any(|e| e.kind == "evaluation_error")
        })
        .map(|r| format!("{}: {} {:?}", r.check, r.message.en, r.evidence))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let outcome = |id: &str| {
        a.targets[0]
            .results
            .iter()
            .find(|r| r.check == id)
            .unwrap()
            .outcome
    };
    assert_eq!(
        outcome("PLT-03-backup-encrypted"),
        Outcome::Fail,
        "allowBackup absent = true, nothing excluded"
    );
    assert_eq!(
        outcome("COM-01-transport-encryption"),
        Outcome::Fail,
        "no targetSdkVersion: the platform treats it as old, cleartext allowed"
    );
    assert_eq!(outcome("DEV-01-app-min-os"), Outcome::Warn);
}

#[test]
fn duplicate_ids_and_broken_profiles_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), PASSCODE_CHECK).unwrap();
    std::fs::create_dir(dir.path().join("more")).unwrap();
    std::fs::write(dir.path().join("more/b.toml"), PASSCODE_CHECK).unwrap();
    let mut set = CheckSet::builtin().unwrap();
    let err = set.add_dir(dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("duplicate check id `TEST-02-passcode`")
            && err.contains("a.toml")
            && err.contains("b.toml"),
        "{err}"
    );

    let err = Profile::parse(
        "p.toml",
        "id = \"x\"\ntitle.de = \"x\"\ntitle.en = \"x\"\n[select]\nlevels = [\"muss\"]\n",
        "p.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("p.toml:5:"), "{err}");
    let err = Profile::parse(
        "p.toml",
        "id = \"x\"\ntitle.de = \"x\"\ntitle.en = \"x\"\n[weights]\nmust = -1\n",
        "p.toml",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("weights.must"), "{err}");
    let path = dir.path().join("custom.toml");
    std::fs::write(&path, "id = \"custom\"\ntitle.de = \"Eigen\"\ntitle.en = \"Custom\"\n[select]\nchecks = [\"APP-05-crash-default-off\"]\nlevels = [\"desirable\"]\nrequirements = [\"APP-10\"]\n").unwrap();
    let p = Profile::load(path.to_str().unwrap()).unwrap();
    let ids: Vec<&str> = p
        .selected(builtin())
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["APP-05-crash-default-off", "APP-10-image-redaction"]);
    assert_eq!(p.info().source, path.to_str().unwrap());
}

// ---- Examples in check files (`msgaudit checks --test`) ----

/// A user check (APP-05 style) with the given `[[example]]` tables appended.
fn user_check(id: &str, examples: &str) -> String {
    format!(
        r#"id = "{id}"
requirement = "APP-05"
level = "must"
applies_to = ["android", "ios"]
decide = "automatic"
source_confidence = "C"
title.de = "Keine Debug-Version"
title.en = "No debuggable build"
rationale.de = "R"
rationale.en = "R"
remediation.de = "M"
remediation.en = "M"

[[rule]]
when = 'facts.kind == "android" && facts.android.application.debuggable == true'
outcome = "fail"
message.de = "Die App ist als Debug-Version gebaut."
message.en = "The app is a debuggable build."

[[rule]]
when = 'true'
outcome = "pass"
message.de = "Keine Debug-Version."
message.en = "Not a debuggable build."
{examples}"#
    )
}

const GOOD_EXAMPLES: &str = r#"
[[example]]
name = "debuggable build fails"
outcome = "fail"
message_contains = "debuggable"
[example.facts]
kind = "android"
android.application.debuggable = true

[[example]]
name = "release build passes"
outcome = "pass"
[example.facts]
kind = "ios"
"#;

fn checks_dir(files: &[(&str, String)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

fn checks_test(extra: &[&str]) -> (i32, String, String) {
    let out = common::run_msgaudit(["checks", "--test"].iter().chain(extra));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_example_of_every_shipped_check_holds() {
    let (code, stdout, stderr) = checks_test(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let checks = builtin().checks().len();
    let examples: usize = builtin().checks().iter().map(|c| c.examples.len()).sum();
    assert!(
        stdout.ends_with(&format!(
            "{examples} examples in {checks} checks, 0 failed\n"
        )),
        "{stdout}"
    );
    // No warnings: every shipped check has examples and each rule decides one.
    assert_eq!(stderr, "", "{stderr}");
    let (code, stdout, _) = checks_test(&["--lang", "de"]);
    assert_eq!(code, 0);
    assert!(
        stdout.ends_with(&format!(
            "{examples} Beispiele in {checks} Prüfungen, 0 fehlgeschlagen\n"
        )),
        "{stdout}"
    );
}

#[test]
fn every_rule_of_every_shipped_check_decides_an_example() {
    use msgaudit::checks::example::{run_all, undecided_rules};
    let mut missing = Vec::new();
    for check in builtin().checks() {
        let runs = run_all(check);
        assert!(!runs.is_empty(), "{} has no examples", check.id);
        for r in &runs {
            assert!(
                r.holds(),
                "{} / {}: expected {:?}, got {:?}: {}",
                r.check,
                r.example,
                r.expected,
                r.actual,
                r.message.en
            );
        }
        for rule in undecided_rules(check, &runs) {
            missing.push(format!("{} rule {rule}", check.id));
        }
    }
    assert!(missing.is_empty(), "rules no example decides: {missing:?}");
}

#[test]
fn user_check_examples_run_from_the_checks_dir() {
    let dir = checks_dir(&[("x.toml", user_check("X-01-debuggable", GOOD_EXAMPLES))]);
    let (code, stdout, stderr) = checks_test(&["--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let checks = builtin().checks().len() + 1;
    let examples: usize = builtin()
        .checks()
        .iter()
        .map(|c| c.examples.len())
        .sum::<usize>()
        + 2;
    assert!(
        stdout.ends_with(&format!(
            "{examples} examples in {checks} checks, 0 failed\n"
        )),
        "{stdout}"
    );
}

#[test]
fn a_wrong_example_fails_with_its_name() {
    let wrong = GOOD_EXAMPLES.replace(
        "name = \"release build passes\"\noutcome = \"pass\"",
        "name = \"release build wrongly expected to fail\"\noutcome = \"fail\"",
    );
    let dir = checks_dir(&[("x.toml", user_check("X-01-debuggable", &wrong))]);
    let (code, stdout, _) = checks_test(&["--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("FAILED X-01-debuggable – example \"release build wrongly expected to fail\": expected fail, got pass: Not a debuggable build."),
        "{stdout}"
    );
    assert!(stdout.ends_with(", 1 failed\n"), "{stdout}");
    // German: the same failure in German words.
    let (code, stdout, _) =
        checks_test(&["--checks", dir.path().to_str().unwrap(), "--lang", "de"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("FEHLGESCHLAGEN X-01-debuggable – Beispiel „release build wrongly expected to fail“: erwartet fail, erhalten pass: Keine Debug-Version."),
        "{stdout}"
    );
    // A message that does not contain the expected text fails too.
    let wrong = GOOD_EXAMPLES.replace(
        "message_contains = \"debuggable\"",
        "message_contains = \"signed\"",
    );
    let dir = checks_dir(&[("x.toml", user_check("X-01-debuggable", &wrong))]);
    let (code, stdout, _) = checks_test(&["--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("the message does not contain \"signed\""),
        "{stdout}"
    );
}

#[test]
fn a_check_without_examples_warns_and_its_unreached_rules_too() {
    let one = GOOD_EXAMPLES
        .split("\n[[example]]")
        .nth(1)
        .map(|e| format!("\n[[example]]{e}"))
        .unwrap();
    let dir = checks_dir(&[
        ("a.toml", user_check("X-01-none", "")),
        ("b.toml", user_check("X-02-one", &one)),
    ]);
    let (code, stdout, stderr) = checks_test(&["--checks", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("warning: check X-01-none has no examples"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: X-02-one: rule 2 decides no example"),
        "{stderr}"
    );
    let (_, _, stderr) = checks_test(&["--checks", dir.path().to_str().unwrap(), "--lang", "de"]);
    assert!(
        stderr.contains("Warnung: Die Prüfung X-01-none hat keine Beispiele"),
        "{stderr}"
    );
}

#[test]
fn a_broken_example_is_a_broken_check_file() {
    for (examples, expect) in [
        // A typo in a field name would test nothing.
        (
            GOOD_EXAMPLES.replace("application.debuggable", "application.debugable"),
            "facts.android.application.debugable is not a field of android facts",
        ),
        // A wrong type.
        (
            GOOD_EXAMPLES.replace("debuggable = true", "debuggable = \"yes\""),
            "facts do not fit the model",
        ),
        // A kind the check does not apply to.
        (
            GOOD_EXAMPLES.replace("kind = \"ios\"", "kind = \"device\""),
            "facts.kind `device` is not among the check's applies_to",
        ),
        // An unknown parameter, an unknown key, an unknown outcome.
        (
            GOOD_EXAMPLES.replace(
                "outcome = \"pass\"",
                "outcome = \"pass\"\nparams = {limit = 3}",
            ),
            "params.limit is not a parameter of the check",
        ),
        (
            GOOD_EXAMPLES.replace(
                "outcome = \"pass\"",
                "outcome = \"pass\"\nexpected = \"pass\"",
            ),
            "unknown field `expected`",
        ),
        (
            GOOD_EXAMPLES.replace("outcome = \"pass\"", "outcome = \"passes\""),
            "unknown variant `passes`",
        ),
        // Two kinds: the example must say which.
        (
            GOOD_EXAMPLES.replace("kind = \"ios\"\n", ""),
            "set facts.kind",
        ),
    ] {
        let dir = checks_dir(&[("x.toml", user_check("X-01-debuggable", &examples))]);
        let (code, stdout, stderr) = checks_test(&["--checks", dir.path().to_str().unwrap()]);
        assert_eq!(code, 5, "{expect}: {stdout}{stderr}");
        assert!(stderr.contains("x.toml"), "{stderr}");
        assert!(stderr.contains(expect), "{expect}: {stderr}");
    }
}

#[test]
fn old_facts_without_numeric_versions_are_undecided_not_errors() {
    let profile = Profile::load("dsk-full").unwrap();
    for mut facts in [android(), ios()] {
        let app = facts["app"].as_object_mut().unwrap();
        app.remove("min_os_number");
        app.remove("target_os_number");
        let a = evaluate(
            &[Input::AppJson(facts)],
            builtin(),
            &profile,
            &Answers::none(),
            "2026-11-23",
            Lang::En,
        );
        for r in &a.targets[0].results {
            assert_ne!(r.outcome, Outcome::Error, "{}: {}", r.check, r.message.en);
        }
        let dev01 = a.targets[0]
            .results
            .iter()
            .find(|r| r.check == "DEV-01-app-min-os")
            .unwrap();
        assert_eq!(dev01.outcome, Outcome::Warn);
        assert!(
            dev01.message.en.contains("older msgaudit"),
            "{}",
            dev01.message.en
        );
    }
}

#[test]
fn a_preview_build_with_a_codename_is_assessed_by_its_api_level() {
    let framework = std::env::var_os("MSGAUDIT_ANDROID_FRAMEWORK")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".local/share/apktool/framework/1.apk"))
        })
        .filter(|p| p.is_file());
    let Some(framework) = framework else {
        eprintln!("skipped: no Android framework resource table (run apktool once, or set MSGAUDIT_ANDROID_FRAMEWORK)");
        return;
    };
    if !common::tool_available("aapt") {
        eprintln!("skipped: aapt not available");
        return;
    }
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/securechat");
    let dir = tempfile::tempdir().unwrap();
    let apk = dir.path().join("preview.apk");
    let status = std::process::Command::new("aapt")
        .args(["package", "-f", "-M"])
        .arg(src.join("AndroidManifest.xml"))
        .arg("-S")
        .arg(src.join("res"))
        .arg("-I")
        .arg(&framework)
        .args([
            "--min-sdk-version",
            "VanillaIceCream",
            "--target-sdk-version",
            "Baklava",
            "-F",
        ])
        .arg(&apk)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // The oracle reads the codenames as written.
    let badging = std::process::Command::new("aapt")
        .args(["dump", "badging"])
        .arg(&apk)
        .output()
        .unwrap();
    let badging = String::from_utf8_lossy(&badging.stdout);
    assert!(
        badging.contains("sdkVersion:'VanillaIceCream'"),
        "{badging}"
    );

    let out = common::run_msgaudit([
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--profile".as_ref(),
        "dsk-full".as_ref(),
    ]);
    let report: Value = common::json(&out.stdout).unwrap();
    let target = &report["targets"][0];
    assert_eq!(target["facts"]["app"]["min_os"], "VanillaIceCream");
    assert_eq!(target["facts"]["app"]["min_os_number"], 35);
    assert_eq!(target["facts"]["app"]["target_os"], "Baklava");
    assert_eq!(target["facts"]["app"]["target_os_number"], 36);
    let outcome = |id: &str| {
        target["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["check"] == id)
            .map(|r| r["outcome"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(outcome("DEV-01-app-min-os"), "pass");
    for id in ["COM-01-transport-encryption", "PLT-03-backup-encrypted"] {
        assert_ne!(outcome(id), "error", "{id}");
    }
}

#[test]
fn ios_sample_min_os_has_its_number() {
    use msgaudit::facts::os_version::ios_version_number;
    let ipa = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-apps/ios/SecureChat.ipa");
    let out = common::run_msgaudit(["facts".as_ref(), ipa.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts: Value = common::json(&out.stdout).unwrap();
    let min_os = facts["app"]["min_os"]
        .as_str()
        .expect("the sample names its minimum iOS");
    let number = facts["app"]["min_os_number"].as_u64().expect("a number");
    assert_eq!(Some(number as u32), ios_version_number(min_os));
    assert!(number >= 100_000, "{min_os} → {number}");
}

/// APP-03 and APP-12 are shown for iOS apps too: their remediation says what
/// to do on each platform, not only Android's manifest steps.
#[test]
fn remediation_of_checks_for_both_platforms_has_an_ios_part() {
    for check in [
        "APP-03-contacts-separate",
        "APP-12-privacy-defaults",
        "COM-06-no-advertising-tracking",
    ] {
        let c = builtin().get(check).unwrap();
        for (lang, text, ios) in [
            ("en", &c.remediation.en, "iOS: "),
            ("de", &c.remediation.de, "iOS: "),
        ] {
            let android = text.find("Android: ");
            let ios_at = text.find(ios);
            assert!(
                matches!((android, ios_at), (Some(a), Some(i)) if a < i),
                "{check} ({lang}): {text}"
            );
        }
    }
    let app03 = &builtin()
        .get("APP-03-contacts-separate")
        .unwrap()
        .remediation;
    assert!(app03
        .de
        .contains("iOS: keine Kontakte über das Contacts-Framework (CNSaveRequest)"));
    assert!(app03
        .en
        .contains("iOS: do not write contacts into the device address book"));
    let app12 = &builtin()
        .get("APP-12-privacy-defaults")
        .unwrap()
        .remediation;
    assert!(app12
        .de
        .contains("iOS: den Hintergrundmodus location (UIBackgroundModes)"));
    assert!(app12
        .en
        .contains("iOS: declare the location background mode (UIBackgroundModes)"));
}
