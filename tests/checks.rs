//! Every shipped app check against realistic facts fixtures: a passing and a
//! non-passing case each; verdict and score rules; answers; broken check files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use msgaudit::assess::{Assessment, CheckResult, Lang, Outcome, Verdict};
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
    let mut cur = v;
    for part in pointer.trim_start_matches('/').split('/') {
        cur = match cur {
            Value::Array(a) => &mut a[part.parse::<usize>().unwrap()],
            Value::Object(m) => m.entry(part.to_string()).or_insert(Value::Null),
            other => panic!("cannot descend into {other}"),
        };
    }
    *cur = new;
}

/// Appends to the array at a JSON pointer.
fn push(v: &mut Value, pointer: &str, new: Value) {
    v.pointer_mut(pointer)
        .and_then(Value::as_array_mut)
        .unwrap_or_else(|| panic!("{pointer}"))
        .push(new);
}

fn assess(facts: Value, answers: &Answers) -> Assessment {
    let set = CheckSet::builtin().expect("built-in checks load");
    let profile = Profile::load("dsk-full").unwrap();
    evaluate(
        &[Input::AppJson(facts)],
        &set,
        &profile,
        answers,
        "2026-11-23",
        Lang::En,
    )
}

fn result(check: &str, facts: Value) -> CheckResult {
    let a = assess(facts, &Answers::none());
    let t = &a.targets[0];
    assert!(t.error.is_none(), "{:?}", t.error);
    t.results
        .iter()
        .find(|r| r.check == check)
        .unwrap_or_else(|| panic!("{check} not evaluated"))
        .clone()
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
        // manual checks: manual without answers (pass with an answer: see answers test)
        ("APP-01-privacy-info", android, Outcome::Manual),
        ("APP-01-privacy-info", ios, Outcome::Manual),
        ("APP-06-deletion", android, Outcome::Manual),
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
        let manual_only = check.rules.iter().all(|r| r.outcome == Outcome::Manual);
        let has_pass = outcomes.contains("Pass") || (manual_only && outcomes.contains("Manual"));
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
    assert_eq!(r.evidence[0].location.as_deref(), Some("classes.dex"));
}
