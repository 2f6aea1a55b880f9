//! Every shipped app check against realistic facts fixtures: a passing and a
//! non-passing case each; verdict and score rules; answers; broken check files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use msgaudit::assess::{Assessment, CheckResult, Lang, Outcome, Verdict};
use msgaudit::checks::cel::TargetContext;
use msgaudit::checks::{evaluate, Answers, CheckSet, Input, Profile};
use msgaudit::facts::AppFacts;
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/facts")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
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

type Case = (&'static str, fn() -> Value, Outcome);

fn sdk(id: &str, category: &str, default: Option<&str>) -> Value {
    let mut s = json!({"id": id, "name": id, "category": category,
        "evidence": [{"kind": "class_prefix", "value": format!("{id}."), "location": "classes.dex"}]});
    if let Some(d) = default {
        s["collection_default"] = json!(d);
        s["switch"] = json!(format!("{id} switch"));
    }
    s
}

fn without_sdk(mut v: Value, category: &str) -> Value {
    let sdks = v["sdks"].as_array_mut().unwrap();
    sdks.retain(|s| s["category"] != category);
    v
}

/// (check id, facts, expected outcome): at least one passing and one non-passing case per check.
fn cases() -> Vec<Case> {
    vec![
        // APP-05
        (
            "APP-05-crash-default-off",
            || without_sdk(android(), "crash_reporting"),
            Outcome::Pass,
        ),
        ("APP-05-crash-default-off", android, Outcome::Pass),
        ("APP-05-crash-default-off", ios, Outcome::Pass),
        (
            "APP-05-crash-default-off",
            || {
                let mut v = android();
                set(&mut v, "/sdks/5/collection_default", json!("enabled"));
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-05-crash-default-off",
            || {
                let mut v = ios();
                set(&mut v, "/sdks/2/collection_default", json!("enabled"));
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-05-crash-default-off",
            || {
                let mut v = android();
                set(&mut v, "/sdks/5/collection_default", json!("unknown"));
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-05-crash-default-off",
            || {
                let mut v = without_sdk(android(), "crash_reporting");
                push(&mut v, "/sdks", sdk("acra", "crash_reporting", None));
                v
            },
            Outcome::Warn,
        ),
        // APP-02 (heuristic + manual)
        ("APP-02-app-authentication", android, Outcome::Manual),
        ("APP-02-app-authentication", ios, Outcome::Manual),
        (
            "APP-02-app-authentication",
            || {
                let mut v = without_sdk(android(), "biometrics");
                set(
                    &mut v,
                    "/android/permissions",
                    json!(["android.permission.INTERNET"]),
                );
                set(&mut v, "/android/dex/notable_strings", json!([]));
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-02-app-authentication",
            || {
                let mut v = ios();
                set(&mut v, "/ios/usage_descriptions", json!({}));
                set(&mut v, "/ios/linked_frameworks", json!(["UIKit"]));
                v
            },
            Outcome::Warn,
        ),
        // APP-03
        ("APP-03-contacts-separate", android, Outcome::Pass),
        ("APP-03-contacts-separate", ios, Outcome::Pass),
        (
            "APP-03-contacts-separate",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("android.permission.WRITE_CONTACTS"),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-03-contacts-separate",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/xml/sync_adapters",
                    json!({"service": "de.example.sync.ContactsSyncService", "file": "res/xml/syncadapter.xml", "content_authority": "com.android.contacts", "account_type": "de.example"}),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-03-contacts-separate",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("android.permission.READ_CONTACTS"),
                );
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-03-contacts-separate",
            || {
                let mut v = ios();
                set(
                    &mut v,
                    "/ios/usage_descriptions/NSContactsUsageDescription",
                    json!("Kontakte finden"),
                );
                v
            },
            Outcome::Warn,
        ),
        // APP-04
        ("APP-04-storage-encrypted", android, Outcome::Pass),
        ("APP-04-storage-encrypted", ios, Outcome::Pass),
        (
            "APP-04-storage-encrypted",
            || without_sdk(android(), "storage_encryption"),
            Outcome::Warn,
        ),
        (
            "APP-04-storage-encrypted",
            || {
                let mut v = android();
                set(
                    &mut v,
                    "/android/xml/file_provider_paths/0/paths",
                    json!(["external-path:/"]),
                );
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-04-storage-encrypted",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/components",
                    json!({"type": "provider", "name": "de.example.MediaProvider", "exported": true, "exported_explicit": true, "permission": null, "authorities": ["de.example.media"], "intent_filters": []}),
                );
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-04-storage-encrypted",
            || {
                let mut v = ios();
                set(
                    &mut v,
                    "/ios/data_protection",
                    json!("NSFileProtectionNone"),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-04-storage-encrypted",
            || {
                let mut v = ios();
                set(&mut v, "/ios/file_sharing_enabled", json!(true));
                v
            },
            Outcome::Warn,
        ),
        // APP-07 and other manual checks: manual without answers (pass with an answer: see answers test)
        ("APP-01-privacy-info", android, Outcome::Manual),
        ("APP-01-privacy-info", ios, Outcome::Manual),
        ("APP-06-deletion", android, Outcome::Manual),
        ("APP-07-automatic-deletion", ios, Outcome::Manual),
        ("APP-09-complete-delivery", android, Outcome::Manual),
        ("APP-10-image-redaction", android, Outcome::Manual),
        ("APP-11-proof-of-implementation", ios, Outcome::Manual),
        ("COM-03-e2e-alternative", android, Outcome::Manual),
        ("PLT-01-dpia", android, Outcome::Manual),
        ("PLT-02-processor-agreement", ios, Outcome::Manual),
        ("PLT-04-server-location", android, Outcome::Manual),
        ("PLT-05-central-administration", android, Outcome::Manual),
        // APP-08
        ("APP-08-no-permanent-location", android, Outcome::Pass),
        ("APP-08-no-permanent-location", ios, Outcome::Pass),
        (
            "APP-08-no-permanent-location",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("android.permission.ACCESS_FINE_LOCATION"),
                );
                v
            },
            Outcome::Pass,
        ),
        (
            "APP-08-no-permanent-location",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("android.permission.ACCESS_BACKGROUND_LOCATION"),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-08-no-permanent-location",
            with_implied_background_location,
            Outcome::Fail,
        ),
        (
            "APP-08-no-permanent-location",
            || {
                let mut v = android();
                set(
                    &mut v,
                    "/android/components/1/foreground_service_type",
                    json!(["location"]),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-08-no-permanent-location",
            || {
                let mut v = ios();
                push(&mut v, "/ios/background_modes", json!("location"));
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-08-no-permanent-location",
            || {
                let mut v = ios();
                set(
                    &mut v,
                    "/ios/usage_descriptions/NSLocationAlwaysAndWhenInUseUsageDescription",
                    json!("Standort"),
                );
                v
            },
            Outcome::Warn,
        ),
        // APP-12
        ("APP-12-privacy-defaults", android, Outcome::Pass),
        ("APP-12-privacy-defaults", ios, Outcome::Pass),
        (
            "APP-12-privacy-defaults",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/sdks",
                    sdk("firebase-analytics", "analytics", Some("enabled")),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-12-privacy-defaults",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("com.google.android.gms.permission.AD_ID"),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "APP-12-privacy-defaults",
            || with_ad_id_client(30, false),
            Outcome::Fail,
        ),
        (
            "APP-12-privacy-defaults",
            || with_ad_id_client(33, false),
            Outcome::Pass,
        ),
        (
            "APP-12-privacy-defaults",
            with_implied_background_location,
            Outcome::Fail,
        ),
        (
            "APP-12-privacy-defaults",
            || {
                let mut v = android();
                set(&mut v, "/android/application/allow_backup", Value::Null);
                set(&mut v, "/android/xml/data_extraction_rules", Value::Null);
                v
            },
            Outcome::Warn,
        ),
        (
            "APP-12-privacy-defaults",
            || {
                let mut v = ios();
                set(&mut v, "/ios/icloud", json!(true));
                v
            },
            Outcome::Warn,
        ),
        // COM-01
        ("COM-01-transport-encryption", android, Outcome::Pass),
        ("COM-01-transport-encryption", ios, Outcome::Pass),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = android();
                set(
                    &mut v,
                    "/android/xml/network_security_config/base_cleartext_permitted",
                    json!(true),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = android();
                set(&mut v, "/android/xml/network_security_config", Value::Null);
                set(
                    &mut v,
                    "/android/application/uses_cleartext_traffic",
                    Value::Null,
                );
                set(&mut v, "/app/target_os", json!("27"));
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = android();
                set(&mut v, "/android/xml/network_security_config", Value::Null);
                set(
                    &mut v,
                    "/android/application/uses_cleartext_traffic",
                    Value::Null,
                );
                v
            },
            Outcome::Pass,
        ),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = android();
                set(
                    &mut v,
                    "/android/dex/cleartext_urls",
                    json!(["http://api.example.de/v1"]),
                );
                v
            },
            Outcome::Warn,
        ),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = ios();
                set(&mut v, "/ios/ats/allows_arbitrary_loads", json!(true));
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-01-transport-encryption",
            || {
                let mut v = ios();
                push(
                    &mut v,
                    "/ios/ats/exception_domains",
                    json!({"domain": "legacy.example.de", "allows_insecure_http_loads": true, "minimum_tls_version": "TLSv1.0", "requires_forward_secrecy": null, "includes_subdomains": false}),
                );
                v
            },
            Outcome::Warn,
        ),
        // COM-02
        ("COM-02-end-to-end", android, Outcome::Manual),
        (
            "COM-02-end-to-end",
            || without_sdk(ios(), "e2e_crypto"),
            Outcome::Warn,
        ),
        // COM-04
        ("COM-04-certificate-management", android, Outcome::Manual),
        ("COM-04-certificate-management", ios, Outcome::Manual),
        (
            "COM-04-certificate-management",
            || {
                let mut v = android();
                set(
                    &mut v,
                    "/android/xml/network_security_config/domains/0/pin_expiration",
                    json!("2025-01-31"),
                );
                v
            },
            Outcome::Warn,
        ),
        (
            "COM-04-certificate-management",
            || {
                let mut v = without_sdk(android(), "certificate_pinning");
                set(
                    &mut v,
                    "/android/xml/network_security_config/domains/0/pins",
                    json!(0),
                );
                v
            },
            Outcome::Warn,
        ),
        // COM-05
        ("COM-05-key-verification", ios, Outcome::Manual),
        (
            "COM-05-key-verification",
            || without_sdk(android(), "e2e_crypto"),
            Outcome::Warn,
        ),
        // COM-06
        ("COM-06-no-advertising-tracking", android, Outcome::Manual),
        ("COM-06-no-advertising-tracking", ios, Outcome::Manual),
        (
            "COM-06-no-advertising-tracking",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/sdks",
                    sdk("google-mobile-ads", "advertising", None),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || {
                let mut v = android();
                push(
                    &mut v,
                    "/android/permissions",
                    json!("com.google.android.gms.permission.AD_ID"),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || {
                let mut v = ios();
                set(&mut v, "/ios/privacy_manifests/0/tracking", json!(true));
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || {
                let mut v = ios();
                set(
                    &mut v,
                    "/ios/info_plist/SKAdNetworkItems",
                    json!([{"SKAdNetworkIdentifier": "cstr6suwn9.skadnetwork"}]),
                );
                v
            },
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || with_ad_id_client(32, false),
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || with_ad_id_client(34, false),
            Outcome::Manual,
        ),
        (
            "COM-06-no-advertising-tracking",
            || with_ad_id_client(34, true),
            Outcome::Fail,
        ),
        (
            "COM-06-no-advertising-tracking",
            || {
                let mut v = android();
                push(&mut v, "/sdks", sdk("matomo", "analytics", Some("unknown")));
                v
            },
            Outcome::Warn,
        ),
        // COM-07
        ("COM-07-push-without-content", android, Outcome::Manual),
        ("COM-07-push-without-content", ios, Outcome::Manual),
        (
            "COM-07-push-without-content",
            || {
                let mut v = ios();
                set(&mut v, "/ios/extensions/0/bundle_id", Value::Null);
                v
            },
            Outcome::Manual,
        ),
        (
            "COM-07-push-without-content",
            || {
                let mut v = without_sdk(android(), "push");
                set(&mut v, "/android/components/1/intent_filters", json!([]));
                v
            },
            Outcome::Pass,
        ),
        (
            "COM-07-push-without-content",
            || {
                let mut v = ios();
                v["ios"]["entitlements"]
                    .as_object_mut()
                    .unwrap()
                    .remove("aps-environment");
                v
            },
            Outcome::Pass,
        ),
        // DEV-01 app side
        ("DEV-01-app-min-os", android, Outcome::Warn),
        (
            "DEV-01-app-min-os",
            || {
                let mut v = android();
                set(&mut v, "/app/min_os", json!("33"));
                v
            },
            Outcome::Pass,
        ),
        ("DEV-01-app-min-os", ios, Outcome::Pass),
        (
            "DEV-01-app-min-os",
            || {
                let mut v = ios();
                set(&mut v, "/app/min_os", json!("15.0"));
                v
            },
            Outcome::Warn,
        ),
        (
            "DEV-01-app-min-os",
            || {
                let mut v = ios();
                set(&mut v, "/app/min_os", Value::Null);
                v
            },
            Outcome::Warn,
        ),
        // PLT-03
        ("PLT-03-backup-encrypted", android, Outcome::Pass),
        (
            "PLT-03-backup-encrypted",
            || {
                let mut v = without_sdk(android(), "storage_encryption");
                set(&mut v, "/android/application/allow_backup", Value::Null);
                set(&mut v, "/android/xml/data_extraction_rules", Value::Null);
                v
            },
            Outcome::Fail,
        ),
        (
            "PLT-03-backup-encrypted",
            || {
                let mut v = android();
                set(&mut v, "/android/application/allow_backup", json!(true));
                v
            },
            Outcome::Warn,
        ),
        (
            "PLT-03-backup-encrypted",
            || {
                let mut v = android();
                set(&mut v, "/android/xml/data_extraction_rules", Value::Null);
                v
            },
            Outcome::Warn,
        ),
        ("PLT-03-backup-encrypted", ios, Outcome::Manual),
        (
            "PLT-03-backup-encrypted",
            || {
                let mut v = ios();
                set(&mut v, "/ios/icloud", json!(true));
                set(
                    &mut v,
                    "/ios/entitlements/com.apple.developer.icloud-services",
                    json!(["CloudKit"]),
                );
                v
            },
            Outcome::Warn,
        ),
    ]
}

#[test]
fn base_fixtures_match_the_facts_model() {
    let a: AppFacts = serde_json::from_value(android()).unwrap();
    assert!(a.android.is_some());
    let i: AppFacts = serde_json::from_value(ios()).unwrap();
    assert_eq!(i.app.id.as_deref(), Some("de.example.securechat"));
}

#[test]
fn every_check_case_gives_its_outcome() {
    let mut failures = Vec::new();
    for (check, facts, outcome) in cases() {
        let r = result(check, facts());
        if r.outcome != outcome {
            failures.push(format!(
                "{check}: expected {outcome:?}, got {:?}: {}",
                r.outcome, r.message.en
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_shipped_app_check_has_a_passing_and_a_non_passing_case() {
    let set = CheckSet::builtin().unwrap();
    let cases = cases();
    let mut missing = Vec::new();
    for check in set
        .checks()
        .iter()
        .filter(|c| c.source.starts_with("built-in:checks/app/"))
    {
        let outcomes: BTreeSet<String> = cases
            .iter()
            .filter(|(id, _, _)| *id == check.id)
            .map(|(_, _, o)| format!("{o:?}"))
            .collect();
        // Checks that end in `manual`: manual without an answer here; pass with one in `answers_decide_manual_checks`.
        let ends_manual = check
            .rules
            .last()
            .is_some_and(|r| r.outcome == Outcome::Manual);
        let has_pass = outcomes.contains("Pass") || (ends_manual && outcomes.contains("Manual"));
        let has_other = outcomes.iter().any(|o| o != "Pass");
        if !(has_pass && has_other) {
            missing.push(format!("{} ({outcomes:?})", check.id));
        }
    }
    assert!(
        missing.is_empty(),
        "checks without a passing and a non-passing fixture: {missing:?}"
    );
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
            "com.google.android.gms.ads.identifier. — readable: targetSdk 30 < 33, so Google does not require com.google.android.gms.permission.AD_ID"
        );
        assert_eq!(
            e.value_de.as_deref(),
            Some("com.google.android.gms.ads.identifier. — lesbar: targetSdk 30 < 33, daher verlangt Google com.google.android.gms.permission.AD_ID nicht")
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
            .ends_with("readable: com.google.android.gms.permission.AD_ID requested"));
        assert!(e
            .value_de
            .as_deref()
            .unwrap()
            .ends_with("lesbar: com.google.android.gms.permission.AD_ID angefordert"));
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
    for (check, facts, _) in cases().into_iter().filter(|c| c.2 == Outcome::Manual) {
        let a = assess(facts(), &answers_for(check, "pass", None));
        let r = a.targets[0]
            .results
            .iter()
            .find(|r| r.check == check)
            .unwrap();
        assert_eq!(r.outcome, Outcome::Pass, "{check}");
        let att = r.attestation.as_ref().expect("attestation shown");
        assert_eq!(att.by, "Dr. A. Prüfer, DSB");
        assert!(
            r.message
                .en
                .contains("Attested by Dr. A. Prüfer, DSB on 2026-11-20"),
            "{}",
            r.message.en
        );
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
    assert!(r.attestation.is_none());
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
fn evidence_of_the_base_fixtures_evaluates_cleanly() {
    // Every evidence expression of every rule that fires on the fixtures and their variants evaluates.
    let mut broken = Vec::new();
    for (check, facts, _) in cases() {
        let r = result(check, facts());
        if let Some(e) = r.evidence.iter().find(|e| e.kind == "evaluation_error") {
            broken.push(format!("{check}: {}", e.value));
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
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
