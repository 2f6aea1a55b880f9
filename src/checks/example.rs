//! Examples in check files: `[[example]]` tables that state, for a partial
//! facts document, which outcome the check must give. `msgaudit checks --test`
//! runs them; the format is documented in `docs/checks.md`.
//!
//! An example's `facts` are deep-merged over the minimal valid facts document
//! of its kind ([`minimal_facts`]): tables are merged key by key, arrays and
//! scalars replace what is there. The merged document must fit the facts
//! model, and a key the model does not know is an error (a typo would otherwise
//! test nothing).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::cel::TargetContext;
use super::def::Check;
use super::error::ConfigError;
use crate::assess::{Outcome, Text};
use crate::facts::{AndroidFacts, AppFacts, Device, FileInfo, IosFacts, TargetKind};

/// The audit date examples run at unless they set `as_of`.
pub const EXAMPLE_AS_OF: &str = "2026-01-01";

/// The TOML shape of one `[[example]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawExample {
    name: String,
    outcome: Outcome,
    #[serde(default)]
    message_contains: Option<String>,
    #[serde(default)]
    facts: toml::Table,
    #[serde(default)]
    params: toml::Table,
    #[serde(default)]
    as_of: Option<String>,
}

/// One validated example of a check.
#[derive(Debug, Clone)]
pub struct Example {
    /// The example's name (unique within its check).
    pub name: String,
    /// The outcome the check must give.
    pub outcome: Outcome,
    /// Text the message must contain (in English or German), if set.
    pub message_contains: Option<String>,
    /// The target kind (`facts.kind`, or the check's only target kind).
    pub kind: TargetKind,
    /// The full facts document: the example's facts merged over [`minimal_facts`].
    pub facts: serde_json::Value,
    /// The check's parameters with the example's overrides.
    pub params: serde_json::Value,
    /// The audit date (`as_of`, default [`EXAMPLE_AS_OF`]).
    pub as_of: String,
}

/// The minimal valid facts document of a target kind: every field of the facts
/// model present, nothing found (`null`, empty lists, `false`). Examples are
/// merged over it. `None` for `inventory` (not a check target).
///
/// Made once per kind and copied: every check file's examples are built
/// when the check set loads (some 200 built-in ones each run), and making
/// the document took a third of that.
pub fn minimal_facts(kind: TargetKind) -> Option<serde_json::Value> {
    static MADE: OnceLock<[Option<serde_json::Value>; 3]> = OnceLock::new();
    let [android, ios, device] = MADE.get_or_init(|| {
        [TargetKind::Android, TargetKind::Ios, TargetKind::Device].map(make_minimal_facts)
    });
    match kind {
        TargetKind::Android => android.clone(),
        TargetKind::Ios => ios.clone(),
        TargetKind::Device => device.clone(),
        TargetKind::Inventory | TargetKind::Unknown => None,
    }
}

/// Makes [`minimal_facts`]' document of `kind`.
fn make_minimal_facts(kind: TargetKind) -> Option<serde_json::Value> {
    let app = |android: Option<AndroidFacts>, ios: Option<IosFacts>, path: &str| AppFacts {
        kind,
        file: FileInfo {
            path: path.to_string(),
            ..FileInfo::default()
        },
        android,
        ios,
        ..AppFacts::default()
    };
    let value = match kind {
        TargetKind::Android => {
            serde_json::to_value(app(Some(AndroidFacts::default()), None, "example.apk"))
        }
        TargetKind::Ios => {
            serde_json::to_value(app(None, Some(IosFacts::default()), "example.ipa"))
        }
        TargetKind::Device => {
            let device = Device {
                record: "example".to_string(),
                ..Device::default()
            };
            serde_json::to_value(device).and_then(|v| through_the_model(kind, v))
        }
        TargetKind::Inventory | TargetKind::Unknown => return None,
    };
    value.ok()
}

/// Deep-merges `over` into `base`: objects key by key, anything else replaces.
pub fn merge(base: &mut serde_json::Value, over: &serde_json::Value) {
    match (base, over) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The first key of `over` that `base` does not know, as a dotted path: a key
/// missing from an object of `base` that has keys (an empty object or a
/// `null` in `base` is free-form, as are arrays).
fn unknown_key(base: &serde_json::Value, over: &serde_json::Value, path: &str) -> Option<String> {
    let (serde_json::Value::Object(b), serde_json::Value::Object(o)) = (base, over) else {
        return None;
    };
    if b.is_empty() {
        return None;
    }
    for (k, v) in o {
        let here = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        match b.get(k) {
            None => return Some(here),
            Some(inner) => {
                if let Some(found) = unknown_key(inner, v, &here) {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// Validates the `[[example]]` tables of a check and builds its examples.
pub(crate) fn build(
    file: &str,
    check_params: &BTreeMap<String, serde_json::Value>,
    applies_to: &[TargetKind],
    raw: Vec<RawExample>,
) -> Result<Vec<Example>, ConfigError> {
    let mut examples: Vec<Example> = Vec::with_capacity(raw.len());
    for (i, r) in raw.into_iter().enumerate() {
        let label = if r.name.trim().is_empty() {
            return Err(ConfigError::invalid(
                file,
                format!("example {}: `name` is empty", i + 1),
            ));
        } else {
            format!("example \"{}\"", r.name)
        };
        let bad = |message: String| ConfigError::invalid(file, format!("{label}: {message}"));
        if examples.iter().any(|e| e.name == r.name) {
            return Err(bad("two examples have this name".to_string()));
        }
        let over = serde_json::to_value(&r.facts).map_err(|e| bad(format!("facts: {e}")))?;
        let kind = match over.get("kind") {
            Some(k) => serde_json::from_value::<TargetKind>(k.clone())
                .map_err(|_| bad(format!("facts.kind {k} is not android, ios or device")))?,
            None if applies_to.len() == 1 => applies_to[0],
            None => {
                return Err(bad(
                    "set facts.kind: the check applies to more than one kind of target".to_string(),
                ))
            }
        };
        if !applies_to.contains(&kind) {
            return Err(bad(format!(
                "facts.kind `{}` is not among the check's applies_to",
                kind.as_str()
            )));
        }
        let mut facts = minimal_facts(kind)
            .ok_or_else(|| bad(format!("no facts document for kind `{}`", kind.as_str())))?;
        if let Some(key) = unknown_key(&with_optional_fields(kind, &facts), &over, "") {
            return Err(bad(format!(
                "facts.{key} is not a field of {} facts (see docs/facts*.md)",
                kind.as_str()
            )));
        }
        merge(&mut facts, &over);
        let facts = through_the_model(kind, facts)
            .map_err(|e| bad(format!("facts do not fit the model: {e}")))?;
        let mut params = check_params.clone();
        for (k, v) in &r.params {
            if !params.contains_key(k) {
                return Err(bad(format!("params.{k} is not a parameter of the check")));
            }
            let v = serde_json::to_value(v).map_err(|e| bad(format!("params.{k}: {e}")))?;
            params.insert(k.clone(), v);
        }
        let as_of = r.as_of.unwrap_or_else(|| EXAMPLE_AS_OF.to_string());
        if !is_iso_date(&as_of) {
            return Err(bad(format!("as_of `{as_of}` is not a date YYYY-MM-DD")));
        }
        examples.push(Example {
            name: r.name,
            outcome: r.outcome,
            message_contains: r.message_contains,
            kind,
            facts,
            params: serde_json::to_value(params).unwrap_or(serde_json::Value::Null),
            as_of,
        });
    }
    Ok(examples)
}

/// `facts` with the fields of `kind`'s facts that are left out when they
/// are absent (as `msgaudit facts` prints them), for an example to set.
fn with_optional_fields(kind: TargetKind, facts: &serde_json::Value) -> serde_json::Value {
    let mut known = facts.clone();
    if let (TargetKind::Device, serde_json::Value::Object(map)) = (kind, &mut known) {
        for key in ["encryption_detail_de", "encryption_contradiction"] {
            map.entry(key).or_insert(serde_json::Value::Null);
        }
        // Written only when true.
        map.entry("installed_messengers_partial")
            .or_insert(serde_json::Value::Bool(false));
    }
    known
}

/// The facts read into the model and written out again, as `msgaudit facts`
/// prints them: a wrong type is an error, and fields left out of an element of
/// a list get their `null` or empty value (TOML has no `null`).
fn through_the_model(
    kind: TargetKind,
    facts: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Error> {
    match kind {
        TargetKind::Device => {
            let device: Device = serde_json::from_value(facts)?;
            let mut value = serde_json::to_value(device)?;
            if let serde_json::Value::Object(map) = &mut value {
                // As the evaluation adds them for each device of an inventory.
                map.insert("kind".into(), "device".into());
                map.insert("inventory_format".into(), "example".into());
            }
            Ok(value)
        }
        _ => serde_json::to_value(serde_json::from_value::<AppFacts>(facts)?),
    }
}

fn is_iso_date(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

/// What running one example gave.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleRun {
    /// The check's id.
    pub check: String,
    /// The example's name.
    pub example: String,
    /// The outcome the example expects.
    pub expected: Outcome,
    /// The outcome the check gave.
    pub actual: Outcome,
    /// The check's message.
    pub message: Text,
    /// The text the message had to contain, if any.
    pub message_contains: Option<String>,
    /// The 1-based number of the deciding rule (`None` on an evaluation error).
    pub rule: Option<usize>,
    /// Why the deciding rule's `evidence` expression failed, if it did.
    pub evidence_error: Option<String>,
}

impl ExampleRun {
    /// Whether the example holds: the expected outcome, the message contains
    /// `message_contains` (in English or German) when set, and the evidence
    /// expression evaluated.
    pub fn holds(&self) -> bool {
        self.expected == self.actual
            && self.evidence_error.is_none()
            && self
                .message_contains
                .as_deref()
                .is_none_or(|m| self.message.en.contains(m) || self.message.de.contains(m))
    }
}

/// Runs one example of `check`.
pub fn run(check: &Check, example: &Example) -> ExampleRun {
    let decided = TargetContext::new(&example.facts, &example.as_of).run(check, &example.params);
    ExampleRun {
        check: check.id.clone(),
        example: example.name.clone(),
        expected: example.outcome,
        actual: decided.outcome,
        message: decided.message,
        message_contains: example.message_contains.clone(),
        rule: decided.rule,
        evidence_error: decided
            .evidence
            .iter()
            .find(|e| e.kind == "evaluation_error")
            .map(|e| e.value.clone()),
    }
}

/// Runs every example of `check`, in file order.
pub fn run_all(check: &Check) -> Vec<ExampleRun> {
    check.examples.iter().map(|e| run(check, e)).collect()
}

/// The rules (1-based) of `check` that decide none of `runs`.
pub fn undecided_rules(check: &Check, runs: &[ExampleRun]) -> Vec<usize> {
    (1..=check.rules.len())
        .filter(|n| !runs.iter().any(|r| r.rule == Some(*n)))
        .collect()
}

/// An outcome's name as written in check files (`pass`, `not_applicable`, …).
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::Warn => "warn",
        Outcome::Manual => "manual",
        Outcome::NotApplicable => "not_applicable",
        Outcome::Error => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_merges_tables_and_replaces_arrays_and_scalars() {
        let mut base = json!({"a": {"x": 1, "y": [1, 2]}, "b": true, "c": null});
        merge(
            &mut base,
            &json!({"a": {"y": [3]}, "b": false, "c": {"z": "s"}}),
        );
        assert_eq!(
            base,
            json!({"a": {"x": 1, "y": [3]}, "b": false, "c": {"z": "s"}})
        );
    }

    /// The evidence (English, German) `check`'s example `name` gives.
    fn example_evidence(check: &str, name: &str) -> Vec<(String, String)> {
        let set = super::super::CheckSet::builtin().unwrap();
        let check = set.get(check).unwrap();
        let example = check.examples.iter().find(|e| e.name == name).unwrap();
        TargetContext::new(&example.facts, &example.as_of)
            .run(check, &example.params)
            .evidence
            .into_iter()
            .map(|e| (e.value, e.value_de.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn one_of_a_kind_is_said_in_the_singular() {
        // A privacy manifest that declares one collected data type.
        let evidence = example_evidence(
            "APP-01-privacy-info",
            "privacy manifest shown as a hint, the auditor decides",
        );
        assert!(
            evidence.iter().any(|(en, de)| en
                == "privacy manifest: 1 collected data type declared"
                && de == "Datenschutz-Manifest: 1 erhobene Datenkategorie deklariert"),
            "{evidence:?}"
        );
        // One that declares none: „keine“, not „0 erhobene Datenkategorien“.
        let set = super::super::CheckSet::builtin().unwrap();
        let check = set.get("APP-01-privacy-info").unwrap();
        let example = check
            .examples
            .iter()
            .find(|e| e.name == "privacy manifest shown as a hint, the auditor decides")
            .unwrap();
        let mut facts = example.facts.clone();
        facts["ios"]["privacy_manifests"][0]["collected_data_types"] = json!([]);
        let evidence: Vec<_> = TargetContext::new(&facts, &example.as_of)
            .run(check, &example.params)
            .evidence
            .into_iter()
            .map(|e| (e.value, e.value_de.unwrap_or_default()))
            .collect();
        assert!(
            evidence.iter().any(|(en, de)| en
                == "privacy manifest: no collected data type declared"
                && de == "Datenschutz-Manifest: keine erhobene Datenkategorie deklariert"),
            "{evidence:?}"
        );
    }

    /// The api_ref evidence (English, German) of `check`'s example `name`,
    /// with the example's facts changed by `edit`.
    fn api_ref_evidence(
        check: &str,
        name: &str,
        edit: impl Fn(&mut serde_json::Value),
    ) -> Vec<(String, String)> {
        let set = super::super::CheckSet::builtin().unwrap();
        let check = set.get(check).unwrap();
        let example = check.examples.iter().find(|e| e.name == name).unwrap();
        let mut facts = example.facts.clone();
        edit(&mut facts);
        TargetContext::new(&facts, &example.as_of)
            .run(check, &example.params)
            .evidence
            .into_iter()
            .filter(|e| e.kind == "api_ref")
            .map(|e| (e.value, e.value_de.unwrap_or_default()))
            .collect()
    }

    #[test]
    fn one_more_class_or_binary_is_said_in_the_singular() {
        let android = "a biometric prompt called from two classes: the auditor decides";
        assert_eq!(
            api_ref_evidence("APP-02-app-authentication", android, |_| {}),
            [(
                "android.hardware.biometrics.BiometricPrompt.authenticate in de.example.chat.LockActivity and 1 more class".to_string(),
                "android.hardware.biometrics.BiometricPrompt.authenticate in de.example.chat.LockActivity und einer weiteren Klasse".to_string(),
            )]
        );
        // From two more on, the plural as before.
        assert_eq!(
            api_ref_evidence("APP-02-app-authentication", android, |f| {
                f["android"]["code"]["api_refs"][0]["class_count"] = json!(3);
            }),
            [(
                "android.hardware.biometrics.BiometricPrompt.authenticate in de.example.chat.LockActivity and 2 more classes".to_string(),
                "android.hardware.biometrics.BiometricPrompt.authenticate in de.example.chat.LockActivity und 2 weiteren Klassen".to_string(),
            )]
        );
        let ios = "LocalAuthentication called from two binaries: the auditor decides";
        assert_eq!(
            api_ref_evidence("APP-02-app-authentication", ios, |_| {}),
            [(
                "LAContext in Payload/Chat.app/Chat and 1 more binary".to_string(),
                "LAContext in Payload/Chat.app/Chat und einer weiteren Binärdatei".to_string(),
            )]
        );
        assert_eq!(
            api_ref_evidence("APP-02-app-authentication", ios, |f| {
                let refs = &mut f["ios"]["code"]["api_refs"][0]["binaries"];
                let extra = json!({"path": "Payload/Chat.app/PlugIns/Widget.appex/Widget", "role": "extension"});
                refs.as_array_mut().unwrap().push(extra);
            }),
            [(
                "LAContext in Payload/Chat.app/Chat and 2 more binaries".to_string(),
                "LAContext in Payload/Chat.app/Chat und 2 weiteren Binärdateien".to_string(),
            )]
        );
    }

    #[test]
    fn minimal_documents_fit_the_model() {
        for kind in [TargetKind::Android, TargetKind::Ios, TargetKind::Device] {
            let facts = minimal_facts(kind).unwrap();
            assert_eq!(facts["kind"], kind.as_str());
            assert_eq!(through_the_model(kind, facts.clone()).unwrap(), facts);
        }
        assert!(minimal_facts(TargetKind::Inventory).is_none());
    }

    #[test]
    fn unknown_keys_are_found_but_free_form_maps_accept_any() {
        let base = minimal_facts(TargetKind::Ios).unwrap();
        assert_eq!(
            unknown_key(&base, &json!({"ios": {"atss": {}}}), ""),
            Some("ios.atss".to_string())
        );
        assert_eq!(
            unknown_key(&base, &json!({"ios": {"info_plist": {"Anything": 1}}}), ""),
            None
        );
    }
}
