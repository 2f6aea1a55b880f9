//! What changed between two versions of an app: SDKs, permissions,
//! entitlements, settings, signing certificates, and check outcomes. The
//! result types live in [`crate::assess::app_diff`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::badness;
use super::compare::verdict_badness;
pub use crate::assess::app_diff::{AppDiff, Change, ChangeKind, Severity};
use crate::assess::{Lang, Outcome, TargetAssessment, Text, Verdict};
use crate::report::i18n;

fn text(de: impl Into<String>, en: impl Into<String>) -> Text {
    let (de, en): (String, String) = (de.into(), en.into());
    Text {
        de: de.into(),
        en: en.into(),
    }
}

/// Compares two assessed versions of an app.
pub fn diff(old: &TargetAssessment, new: &TargetAssessment) -> AppDiff {
    let mut changes = Vec::new();
    // Facts are read back one target at a time (they may be spilled); facts
    // that cannot be read back leave the outcomes only, as missing ones do.
    let facts = |t: &TargetAssessment| t.facts.as_ref().and_then(|f| f.value().ok());
    let (old_facts, new_facts) = (facts(old), facts(new));
    let outcomes_only = old_facts.is_none() || new_facts.is_none();
    if let (Some(o), Some(n)) = (&old_facts, &new_facts) {
        diff_facts(o, n, &mut changes);
    }
    diff_outcomes(old, new, &mut changes);
    super::attestation_diff::diff_attestations(old, new, &mut changes);
    if old.verdict != new.verdict {
        let worse = verdict_badness(new.verdict) > verdict_badness(old.verdict);
        let (o, n) = (verdict_name(old.verdict), verdict_name(new.verdict));
        changes.push(Change {
            result: None,
            kind: ChangeKind::VerdictChanged,
            severity: if worse {
                Severity::Regression
            } else {
                Severity::Improvement
            },
            subject: "verdict".into(),
            old: Some(o.into()),
            new: Some(n.into()),
            detail: text(
                format!(
                    "Das Gesamturteil ändert sich von „{}“ zu „{}“.",
                    i18n::verdict(old.verdict, Lang::De),
                    i18n::verdict(new.verdict, Lang::De)
                ),
                format!(
                    "The verdict changes from {} to {}.",
                    i18n::verdict(old.verdict, Lang::En),
                    i18n::verdict(new.verdict, Lang::En)
                ),
            ),
        });
    }
    if old.score != new.score {
        let fmt = |s: Option<f64>| s.map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into());
        let worse = new.score.unwrap_or(0.0) < old.score.unwrap_or(0.0);
        changes.push(Change {
            result: None,
            kind: ChangeKind::ScoreChanged,
            severity: if worse {
                Severity::Info
            } else {
                Severity::Improvement
            },
            subject: "score".into(),
            old: Some(fmt(old.score)),
            new: Some(fmt(new.score)),
            detail: text(
                format!(
                    "Erfüllungsgrad {} → {}.",
                    i18n::score(old.score, Lang::De),
                    i18n::score(new.score, Lang::De)
                ),
                format!(
                    "Score {} → {}.",
                    i18n::score(old.score, Lang::En),
                    i18n::score(new.score, Lang::En)
                ),
            ),
        });
    }
    if let Some(n) = new_facts.as_ref().filter(|n| code_incomplete(n)) {
        not_judged(&mut changes);
        if old_facts.as_ref().is_some_and(|o| !code_incomplete(o)) {
            changes.push(code_no_longer_read(n));
        }
    }
    changes.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.kind.cmp(&b.kind)));
    let regression = changes.iter().any(|c| c.severity >= Severity::Regression);
    AppDiff {
        old: old.target.clone(),
        new: new.target.clone(),
        old_verdict: old.verdict,
        new_verdict: new.verdict,
        old_score: old.score,
        new_score: new.score,
        old_coverage: old.coverage(),
        new_coverage: new.coverage(),
        changes,
        regression,
        outcomes_only,
        header: None,
    }
}

/// Whether an app's facts say its code was not (completely) read: the
/// platform's `code` object present with `complete` not `true`, or `null`
/// (an iOS bundle of which no binary was read). Facts written before
/// `code` existed do not say, and count as read, as in the checks
/// (docs/checks.md, "Code not completely read").
fn code_incomplete(facts: &Value) -> bool {
    let platform = match facts.get("kind").and_then(Value::as_str) {
        Some("android") => "android",
        Some("ios") => "ios",
        _ => return false,
    };
    match facts.get(platform).and_then(|p| p.get("code")) {
        None => false,
        Some(Value::Null) => true,
        Some(code) => code.get("complete").and_then(Value::as_bool) != Some(true),
    }
}

/// The new version's code was not completely read: what looks better may
/// only be unread. A removed SDK, an outcome or verdict that went from worse
/// to undecided, and a higher score (it may rest on fewer checks) cannot be
/// judged: they become information, saying so. Improvements to a pass or
/// to compliant stand (a check that needs the code does not pass without it).
fn not_judged(changes: &mut [Change]) {
    const WHY_DE: &str = "nicht beurteilbar: Der Code der neuen Version wurde nicht vollständig gelesen (siehe die Hinweise beim Lesen ihres Berichts)";
    const WHY_EN: &str = "cannot be judged: the new version's code was not completely read (see the reading warnings of its report)";
    for c in changes.iter_mut() {
        if c.severity != Severity::Improvement {
            continue;
        }
        let unjudged = match c.kind {
            ChangeKind::SdkRemoved | ChangeKind::ScoreChanged => true,
            ChangeKind::OutcomeChanged => c.new.as_deref() != Some(outcome_name(Outcome::Pass)),
            ChangeKind::VerdictChanged => {
                c.new.as_deref() != Some(verdict_name(Verdict::Compliant))
            }
            _ => false,
        };
        if !unjudged {
            continue;
        }
        c.severity = Severity::Info;
        let (de, en) = (c.detail.de.to_string(), c.detail.en.to_string());
        c.detail = text(
            format!("{} — {WHY_DE}.", de.trim_end_matches('.')),
            format!("{} — {WHY_EN}.", en.trim_end_matches('.')),
        );
    }
}

/// The change that says the new version's code was not completely read
/// while the old one's was: a regression (the update cannot be judged, and
/// without its `classes.dex` or main executable it does not even run).
fn code_no_longer_read(new: &Value) -> Change {
    let platform = new.get("kind").and_then(Value::as_str).unwrap_or("android");
    let code = new.get(platform).and_then(|p| p.get("code"));
    let (subject, was, now) = match code {
        Some(Value::Null) => (format!("{platform}.code"), "{complete: true}", "null"),
        _ => (format!("{platform}.code.complete"), "true", "false"),
    };
    Change {
        result: None,
        kind: ChangeKind::SettingChanged,
        severity: Severity::Regression,
        old: Some(was.to_string()),
        new: Some(now.to_string()),
        detail: text(
            format!("Der Code der neuen Version wurde nicht vollständig gelesen ({subject}: {was} → {now}; siehe die Hinweise beim Lesen ihres Berichts): Was dort fehlt oder besser aussieht, ist nicht beurteilbar. Das Update zurückhalten und prüfen."),
            format!("The new version's code was not completely read ({subject}: {was} → {now}; see the reading warnings of its report): what is missing or looks better there cannot be judged. Hold the update back and check it."),
        ),
        subject,
    }
}

/// The verdict's JSON name.
fn verdict_name(v: Verdict) -> &'static str {
    v.name()
}

fn outcome_name(o: Outcome) -> &'static str {
    o.name()
}

fn diff_outcomes(old: &TargetAssessment, new: &TargetAssessment, out: &mut Vec<Change>) {
    let before: BTreeMap<&str, Outcome> = old
        .results
        .iter()
        .map(|r| (r.check.as_str(), r.outcome))
        .collect();
    for r in &new.results {
        let Some(&was) = before.get(r.check.as_str()) else {
            continue;
        };
        if was == r.outcome {
            continue;
        }
        // Passing is never worse (e.g. not applicable → pass).
        let worse = r.outcome != Outcome::Pass && badness(r.outcome) > badness(was);
        let (o, n) = (outcome_name(was), outcome_name(r.outcome));
        out.push(Change {
            result: Some(Box::new(r.clone())),
            kind: ChangeKind::OutcomeChanged,
            severity: if worse {
                Severity::Regression
            } else {
                Severity::Improvement
            },
            subject: r.check.clone(),
            old: Some(o.into()),
            new: Some(n.into()),
            detail: text(
                format!(
                    "{} ({}): {} → {}. {}",
                    r.title.de,
                    r.requirement,
                    i18n::outcome(was, Lang::De),
                    i18n::outcome(r.outcome, Lang::De),
                    r.message.de
                ),
                format!(
                    "{} ({}): {} → {}. {}",
                    r.title.en,
                    r.requirement,
                    i18n::outcome(was, Lang::En),
                    i18n::outcome(r.outcome, Lang::En),
                    r.message.en
                ),
            ),
        });
    }
}

/// SDK categories whose addition makes an update worse for data protection.
const RISKY_CATEGORIES: &[&str] = &["crash_reporting", "analytics", "advertising"];

fn diff_facts(old: &Value, new: &Value, out: &mut Vec<Change>) {
    diff_versions(old, new, out);
    diff_sdks(old, new, out);
    diff_string_set(
        old.pointer("/android/permissions"),
        new.pointer("/android/permissions"),
        out,
    );
    diff_entitlements(
        old.pointer("/ios/entitlements"),
        new.pointer("/ios/entitlements"),
        out,
    );
    for pointer in SETTINGS {
        diff_setting(pointer, old.pointer(pointer), new.pointer(pointer), out);
    }
    diff_certificates(old, new, out);
}

/// Switches whose change is worth reporting (JSON pointers into the facts).
const SETTINGS: &[&str] = &[
    "/android/application/allow_backup",
    "/android/application/debuggable",
    "/android/application/uses_cleartext_traffic",
    "/android/application/network_security_config",
    "/android/application/full_backup_content",
    "/android/application/data_extraction_rules",
    "/android/application/request_legacy_external_storage",
    "/android/xml/network_security_config/base_cleartext_permitted",
    "/android/meta_data",
    "/ios/ats",
    "/ios/background_modes",
    "/ios/file_sharing_enabled",
    "/ios/opens_documents_in_place",
    "/ios/data_protection",
    "/ios/usage_descriptions",
    "/ios/icloud",
    "/ios/url_schemes",
];

fn diff_versions(old: &Value, new: &Value, out: &mut Vec<Change>) {
    for (key, de, en) in [
        ("id", "App-Kennung", "App id"),
        ("version", "Version", "Version"),
        ("min_os", "Mindest-Betriebssystem", "Minimum OS"),
        ("target_os", "Ziel-Betriebssystem", "Target OS"),
    ] {
        let o = old.pointer(&format!("/app/{key}")).and_then(Value::as_str);
        let n = new.pointer(&format!("/app/{key}")).and_then(Value::as_str);
        if o != n {
            let severity = if key == "id" {
                Severity::Regression
            } else {
                Severity::Info
            };
            out.push(Change {
                result: None,
                kind: ChangeKind::VersionChanged,
                severity,
                subject: format!("app.{key}"),
                old: o.map(str::to_string),
                new: n.map(str::to_string),
                detail: text(
                    format!("{de}: {} → {}", o.unwrap_or("–"), n.unwrap_or("–")),
                    format!("{en}: {} → {}", o.unwrap_or("–"), n.unwrap_or("–")),
                ),
            });
        }
    }
}

fn sdk_map(facts: &Value) -> BTreeMap<String, &Value> {
    facts
        .get("sdks")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| Some((s.get("id")?.as_str()?.to_string(), s)))
                .collect()
        })
        .unwrap_or_default()
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

fn diff_sdks(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (o, n) = (sdk_map(old), sdk_map(new));
    for (id, sdk) in &n {
        let name = str_field(sdk, "name").unwrap_or(id);
        let name_de = str_field(sdk, "name_de").unwrap_or(name);
        let category = str_field(sdk, "category").unwrap_or("other");
        let (category_de, category_en) = category_words(category);
        let collection = str_field(sdk, "collection_default");
        match o.get(id) {
            None => {
                let risky = RISKY_CATEGORIES.contains(&category);
                let on = collection == Some("enabled");
                let how = collection
                    .map(|c| format!(", collection_default={c}"))
                    .unwrap_or_default();
                out.push(Change {
                    result: None,
                    kind: ChangeKind::SdkAdded,
                    severity: if risky {
                        Severity::Regression
                    } else {
                        Severity::Info
                    },
                    subject: id.clone(),
                    old: None,
                    new: Some(format!("{name} ({category}{how})")),
                    detail: text(
                        format!(
                            "Neu: {name_de} ({category_de}){}",
                            if on {
                                " — sammelt ab dem ersten Start, ohne Einwilligung"
                            } else {
                                ""
                            }
                        ),
                        format!(
                            "Added: {name} ({category_en}){}",
                            if on {
                                " — collects from first start, without consent"
                            } else {
                                ""
                            }
                        ),
                    ),
                });
            }
            Some(before) => {
                let was = str_field(before, "collection_default");
                if was != collection {
                    let worse = collection == Some("enabled");
                    let switch_de = str_field(sdk, "switch_de")
                        .or_else(|| str_field(sdk, "switch"))
                        .unwrap_or("");
                    out.push(Change {
                        result: None,
                        kind: ChangeKind::SdkCollectionChanged,
                        severity: if worse {
                            Severity::Regression
                        } else {
                            Severity::Info
                        },
                        subject: id.clone(),
                        old: was.map(str::to_string),
                        new: collection.map(str::to_string),
                        detail: text(
                            format!(
                                "{name_de}: Datenerfassung ab Werk {} → {} ({switch_de})",
                                collection_de(was),
                                collection_de(collection),
                            ),
                            format!(
                                "{name}: default collection {} → {} ({})",
                                was.unwrap_or("–"),
                                collection.unwrap_or("–"),
                                str_field(sdk, "switch").unwrap_or("")
                            ),
                        ),
                    });
                }
            }
        }
    }
    for (id, sdk) in &o {
        if !n.contains_key(id) {
            let name = str_field(sdk, "name").unwrap_or(id);
            let name_de = str_field(sdk, "name_de").unwrap_or(name);
            let category = str_field(sdk, "category").unwrap_or("other");
            let (category_de, category_en) = category_words(category);
            let risky = RISKY_CATEGORIES.contains(&category);
            out.push(Change {
                result: None,
                kind: ChangeKind::SdkRemoved,
                severity: if risky {
                    Severity::Improvement
                } else {
                    Severity::Info
                },
                subject: id.clone(),
                old: Some(format!("{name} ({category})")),
                new: None,
                detail: text(
                    format!("Entfernt: {name_de} ({category_de})"),
                    format!("Removed: {name} ({category_en})"),
                ),
            });
        }
    }
}

/// An SDK category in words, `(German, English)` („Absturzberichte“,
/// "crash reporting"), as the app profile names it; the id stays in the
/// change's `old`/`new` fields.
fn category_words(category: &str) -> (String, String) {
    (
        crate::report::profile::category(category, Lang::De),
        crate::report::profile::category(category, Lang::En),
    )
}

/// An SDK's default collection state (`collection_default`) in German.
fn collection_de(state: Option<&str>) -> &str {
    match state {
        Some("enabled") => "an",
        Some("disabled") => "aus",
        Some("unknown") => "unbekannt",
        Some(other) => other,
        None => "–",
    }
}

fn string_set(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Permissions whose addition widens access to personal data or tracking.
const SENSITIVE_PERMISSIONS: &[&str] = &[
    "android.permission.READ_CONTACTS",
    "android.permission.WRITE_CONTACTS",
    "android.permission.GET_ACCOUNTS",
    "android.permission.ACCESS_FINE_LOCATION",
    "android.permission.ACCESS_COARSE_LOCATION",
    "android.permission.ACCESS_BACKGROUND_LOCATION",
    "android.permission.WRITE_EXTERNAL_STORAGE",
    "android.permission.MANAGE_EXTERNAL_STORAGE",
    "android.permission.READ_PHONE_STATE",
    "android.permission.READ_CALL_LOG",
    "android.permission.READ_SMS",
    "com.google.android.gms.permission.AD_ID",
    "android.permission.ACCESS_ADSERVICES_AD_ID",
    "android.permission.ACCESS_ADSERVICES_ATTRIBUTION",
];

fn diff_string_set(old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let (o, n) = (string_set(old), string_set(new));
    for p in n.difference(&o) {
        let sensitive = SENSITIVE_PERMISSIONS.contains(&p.as_str());
        out.push(Change {
            result: None,
            kind: ChangeKind::PermissionAdded,
            severity: if sensitive {
                Severity::Regression
            } else {
                Severity::Info
            },
            subject: p.clone(),
            old: None,
            new: Some(p.clone()),
            detail: text(
                format!("Neue Berechtigung: {p}"),
                format!("New permission: {p}"),
            ),
        });
    }
    for p in o.difference(&n) {
        out.push(Change {
            result: None,
            kind: ChangeKind::PermissionRemoved,
            severity: Severity::Info,
            subject: p.clone(),
            old: Some(p.clone()),
            new: None,
            detail: text(
                format!("Berechtigung entfernt: {p}"),
                format!("Permission removed: {p}"),
            ),
        });
    }
}

fn compact(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn diff_entitlements(old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let empty = serde_json::Map::new();
    let o = old.and_then(Value::as_object).unwrap_or(&empty);
    let n = new.and_then(Value::as_object).unwrap_or(&empty);
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    for key in keys {
        let (a, b) = (o.get(key), n.get(key));
        if a == b {
            continue;
        }
        let (a, b) = (a.map(compact), b.map(compact));
        out.push(Change {
            result: None,
            kind: ChangeKind::EntitlementChanged,
            severity: Severity::Info,
            subject: key.clone(),
            detail: text(
                format!(
                    "Berechtigung (Entitlement) {key}: {} → {}",
                    a.as_deref().unwrap_or("–"),
                    b.as_deref().unwrap_or("–")
                ),
                format!(
                    "Entitlement {key}: {} → {}",
                    a.as_deref().unwrap_or("–"),
                    b.as_deref().unwrap_or("–")
                ),
            ),
            old: a,
            new: b,
        });
    }
}

/// A setting's value as a diff shows it: `en` as written (also the
/// change's `old`/`new`), `de` with a typed value's type in German.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    en: String,
    de: String,
}

/// Flattens a JSON value into `path → scalar text` pairs. A typed value
/// (`{"type": …, "value": …}`, as in Android meta-data) stays one entry,
/// its type named in brackets: "true (boolean)", „true (Wahrheitswert)“.
fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, Shown>) {
    if let (Some(kind), Some(value), 2..=3) = (
        v.get("type").and_then(Value::as_str),
        v.get("value"),
        v.as_object().map_or(0, |m| m.len()),
    ) {
        let value = compact(value);
        let shown = Shown {
            de: format!("{value} ({})", crate::lang::value_type_de(kind)),
            en: format!("{value} ({kind})"),
        };
        out.insert(prefix.to_string(), shown);
        return;
    }
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                flatten(&format!("{prefix}.{k}"), child, out);
            }
        }
        Value::Null => {}
        other => {
            let text = compact(other);
            let shown = Shown {
                en: text.clone(),
                de: text,
            };
            out.insert(prefix.to_string(), shown);
        }
    }
}

fn diff_setting(pointer: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<Change>) {
    let base = pointer.trim_start_matches('/').replace('/', ".");
    let (mut o, mut n) = (BTreeMap::new(), BTreeMap::new());
    if let Some(v) = old {
        flatten(&base, v, &mut o);
    }
    if let Some(v) = new {
        flatten(&base, v, &mut n);
    }
    let keys: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
    for key in keys {
        let (a, b) = (o.get(key), n.get(key));
        if a == b {
            continue;
        }
        let de = |s: Option<&Shown>| s.map_or("–", |s| s.de.as_str()).to_string();
        let en = |s: Option<&Shown>| s.map_or("–", |s| s.en.as_str()).to_string();
        out.push(Change {
            result: None,
            kind: ChangeKind::SettingChanged,
            severity: Severity::Info,
            subject: key.clone(),
            old: a.map(|s| s.en.clone()),
            new: b.map(|s| s.en.clone()),
            detail: text(
                format!("Einstellung {key}: {} → {}", de(a), de(b)),
                format!("Setting {key}: {} → {}", en(a), en(b)),
            ),
        });
    }
}

fn signing_identity(facts: &Value) -> BTreeSet<String> {
    let mut ids: BTreeSet<String> = facts
        .pointer("/android/signing/certificates")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|c| c.get("sha256")?.as_str().map(|s| format!("sha256:{s}")))
                .collect()
        })
        .unwrap_or_default();
    if let Some(team) = facts
        .pointer("/ios/entitlements/com.apple.developer.team-identifier")
        .and_then(Value::as_str)
        .or_else(|| {
            facts
                .pointer("/ios/provisioning/team_id")
                .and_then(Value::as_str)
        })
    {
        ids.insert(format!("team:{team}"));
    }
    ids
}

fn diff_certificates(old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (o, n) = (signing_identity(old), signing_identity(new));
    if o.is_empty() || n.is_empty() || o == n {
        return;
    }
    let join = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    out.push(Change {
        result: None,
        kind: ChangeKind::CertificateChanged,
        severity: Severity::Critical,
        subject: "signing".into(),
        old: Some(join(&o)),
        new: Some(join(&n)),
        detail: text(
            "Der Signaturschlüssel hat sich geändert: Das Update stammt möglicherweise nicht vom selben Herausgeber. Vor der Verteilung beim Hersteller bestätigen lassen.",
            "The signing key changed: the update may not come from the same publisher. Confirm with the vendor before rollout.",
        ),
    });
}
