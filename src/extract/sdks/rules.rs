//! Collection-default rules: a small declarative rule list per SDK and platform,
//! interpreted here. Each rule emulates how the SDK itself reads its switches
//! (see `docs/sdks.md` for every rule and where its semantics were verified).
//!
//! A rule is an ordered list of steps. A step tests one thing — a switch read
//! with given semantics, a manifest component, or a class prefix — and yields
//! true, false or nothing (absent, fall through). If the step names an outcome
//! for that value, the rule is decided; otherwise the next step runs. When no
//! step decides, the rule's `default` applies.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::matcher::SortedIndex;
use super::Platform;
use crate::facts::{CollectionDefault, MetaValue};

/// Longest switch value quoted in a `switch` text (characters).
const MAX_QUOTED_VALUE: usize = 120;

/// Collection rules of one SDK, per platform.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionRules {
    /// Rule for Android apps.
    #[serde(default)]
    pub android: Option<PlatformRule>,
    /// Rule for iOS apps.
    #[serde(default)]
    pub ios: Option<PlatformRule>,
}

/// The rule for one platform.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformRule {
    /// Ordered steps; the first that decides wins.
    #[serde(default)]
    pub steps: Vec<Step>,
    /// The outcome when no step decides.
    pub default: CollectionDefault,
    /// Why the default applies, e.g. `Firebase default: collection on`.
    pub default_reason: String,
    /// `default_reason` in German (shown in German reports).
    pub default_reason_de: String,
}

/// How a switch value is read — each emulates an SDK's own read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadAs {
    /// Android `containsKey(k)` then `Bundle.getBoolean(k)`: absent → no value
    /// (fall through); a typed boolean → its value; any other type → false
    /// (the Bundle returns the default `false` on a type mismatch), reported
    /// as mistyped.
    BoolStrictFalseOnMistype,
    /// Android `Bundle.getBoolean(k, true)`: absent → true; boolean → its value;
    /// other type → true (mistyped, ignored by the SDK).
    BoolDefaultTrue,
    /// Android `Bundle.getBoolean(k, false)`: absent → false; boolean → value;
    /// other type → false (mistyped).
    BoolDefaultFalse,
    /// iOS `[dict objectForKey:k]` then `boolValue`: absent → no value;
    /// Boolean → value; number → non-zero; string → `-[NSString boolValue]`
    /// (true on a leading `Y`, `y`, `T`, `t` or digit 1–9 after spaces, a
    /// sign and zeros); other types → no value (mistyped).
    BoolObjc,
    /// A non-empty string value: true; absent, empty or another type: false.
    NonEmptyString,
    /// Present with any value: true; absent: false.
    Present,
}

/// One step of a rule. Exactly one of `key`, `component`, `class_prefix` is set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// A switch: manifest meta-data name (Android) or flattened Info.plist key (iOS).
    #[serde(default)]
    pub key: Option<String>,
    /// How the switch is read (required with `key`).
    #[serde(default)]
    pub read: Option<ReadAs>,
    /// A manifest component class that must be present (true) or not (false).
    #[serde(default)]
    pub component: Option<String>,
    /// A class-name prefix present in code (true) or not (false).
    #[serde(default)]
    pub class_prefix: Option<String>,
    /// Outcome when the step yields true.
    #[serde(default)]
    pub if_true: Option<CollectionDefault>,
    /// Outcome when the step yields false.
    #[serde(default)]
    pub if_false: Option<CollectionDefault>,
    /// Explanation appended when this step decides (e.g. why the outcome).
    #[serde(default)]
    pub because: Option<String>,
    /// `because` in German (required with `because`).
    #[serde(default)]
    pub because_de: Option<String>,
}

impl CollectionRules {
    /// The rule for `platform`, if any.
    pub fn for_platform(&self, platform: Platform) -> Option<&PlatformRule> {
        match platform {
            Platform::Android => self.android.as_ref(),
            Platform::Ios => self.ios.as_ref(),
        }
    }

    /// Checks the structure of the rules; returns the problem.
    pub fn validate(&self) -> Result<(), String> {
        for (name, rule) in [("android", &self.android), ("ios", &self.ios)] {
            let Some(rule) = rule else { continue };
            if rule.default_reason.trim().is_empty() || rule.default_reason_de.trim().is_empty() {
                return Err(format!(
                    "collection.{name}: empty default_reason or default_reason_de"
                ));
            }
            for (i, step) in rule.steps.iter().enumerate() {
                step.validate(name == "android")
                    .map_err(|p| format!("collection.{name}.steps[{i}]: {p}"))?;
            }
        }
        Ok(())
    }
}

impl Step {
    fn validate(&self, android: bool) -> Result<(), String> {
        let set = [
            self.key.is_some(),
            self.component.is_some(),
            self.class_prefix.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if set != 1 {
            return Err("exactly one of key, component, class_prefix must be set".to_string());
        }
        let named = [&self.key, &self.component, &self.class_prefix];
        if named
            .iter()
            .any(|v| v.as_deref().is_some_and(|s| s.trim().is_empty()))
        {
            return Err("empty key, component or class_prefix".to_string());
        }
        match (&self.key, self.read) {
            (Some(_), None) => return Err("a key needs `read`".to_string()),
            (None, Some(_)) => return Err("`read` without a key".to_string()),
            _ => {}
        }
        if self.component.is_some() && !android {
            return Err("component steps exist only on Android".to_string());
        }
        if let Some(read) = self.read {
            let objc = read == ReadAs::BoolObjc;
            if objc && android {
                return Err("bool_objc is an iOS read".to_string());
            }
            let android_only = matches!(
                read,
                ReadAs::BoolStrictFalseOnMistype
                    | ReadAs::BoolDefaultTrue
                    | ReadAs::BoolDefaultFalse
            );
            if android_only && !android {
                return Err(format!(
                    "{read:?} is an Android Bundle read; use bool_objc on iOS"
                ));
            }
        }
        if self.if_true.is_none() && self.if_false.is_none() {
            return Err("a step needs if_true or if_false".to_string());
        }
        if self.because.is_some() != self.because_de.is_some() {
            return Err("`because` and `because_de` go together".to_string());
        }
        Ok(())
    }
}

/// What a rule can look at.
pub struct RuleInput<'i, 'a> {
    /// The platform (decides how sources are named).
    pub platform: Platform,
    /// Switches (meta-data / Info.plist).
    pub switches: &'i BTreeMap<String, MetaValue>,
    /// Manifest components.
    pub components: &'i [&'a str],
    /// Class names, sorted.
    pub classes: &'i SortedIndex<'a>,
}

/// The result of one step.
struct Reading {
    value: Option<bool>,
    text: String,
    text_de: String,
}

/// The outcome of a rule and the text saying which switch decided, in
/// English and German.
pub struct Decision {
    /// Collection before consent.
    pub outcome: CollectionDefault,
    /// Which switches were read and why the outcome follows.
    pub text: String,
    /// `text` in German.
    pub text_de: String,
}

/// Evaluates `rule`: the outcome and the text saying which switch decided.
pub fn evaluate(rule: &PlatformRule, input: &RuleInput<'_, '_>) -> Decision {
    let mut trail: Vec<String> = Vec::new();
    let mut trail_de: Vec<String> = Vec::new();
    for step in &rule.steps {
        let reading = read_step(step, input);
        trail.push(reading.text);
        trail_de.push(reading.text_de);
        let outcome = match reading.value {
            Some(true) => step.if_true,
            Some(false) => step.if_false,
            None => None,
        };
        if let Some(outcome) = outcome {
            if let Some(because) = &step.because {
                trail.push(because.clone());
            }
            if let Some(because) = step.because_de.as_ref().or(step.because.as_ref()) {
                trail_de.push(because.clone());
            }
            return Decision {
                outcome,
                text: trail.join("; "),
                text_de: trail_de.join("; "),
            };
        }
    }
    trail.push(rule.default_reason.clone());
    trail_de.push(rule.default_reason_de.clone());
    Decision {
        outcome: rule.default,
        text: trail.join("; "),
        text_de: trail_de.join("; "),
    }
}

fn read_step(step: &Step, input: &RuleInput<'_, '_>) -> Reading {
    if let (Some(key), Some(read)) = (&step.key, step.read) {
        return read_switch(key, read, input);
    }
    if let Some(component) = &step.component {
        let present = input.components.contains(&component.as_str());
        let (text, text_de) = if present {
            (
                format!("component {component} declared in the manifest"),
                format!("Komponente {component} im Manifest deklariert"),
            )
        } else {
            (
                format!("component {component} not in the manifest"),
                format!("Komponente {component} nicht im Manifest"),
            )
        };
        return Reading {
            value: Some(present),
            text,
            text_de,
        };
    }
    if let Some(prefix) = &step.class_prefix {
        let n = input.classes.count_prefix(prefix);
        let (text, text_de) = if n > 0 {
            (
                format!("class {prefix} present in code"),
                format!("Klasse {prefix} im Code vorhanden"),
            )
        } else {
            (
                format!("no class {prefix} in code"),
                format!("keine Klasse {prefix} im Code"),
            )
        };
        return Reading {
            value: Some(n > 0),
            text,
            text_de,
        };
    }
    Reading {
        value: None,
        text: "invalid step".to_string(),
        text_de: "ungültiger Schritt".to_string(),
    }
}

fn source_name(platform: Platform, de: bool) -> &'static str {
    match (platform, de) {
        (Platform::Android, false) => "manifest meta-data",
        (Platform::Android, true) => "Manifest-Metadaten",
        (Platform::Ios, _) => "Info.plist",
    }
}

/// `key = value (type[ via @ref], source)`, in German when `de`.
pub(crate) fn describe(key: &str, v: &MetaValue, platform: Platform, de: bool) -> String {
    let shown = match (&v.value, v.kind.as_str()) {
        (None, _) if de => "(kein Wert)".to_string(),
        (None, _) => "(no value)".to_string(),
        (Some(s), "string") => format!("{:?}", truncate(s)),
        (Some(s), _) => truncate(s),
    };
    let via = match (&v.reference, de) {
        (Some(r), false) => format!(" via {}", truncate(r)),
        (Some(r), true) => format!(" über {}", truncate(r)),
        (None, _) => String::new(),
    };
    let kind = if de {
        crate::lang::value_type_de(&v.kind)
    } else {
        &v.kind
    };
    format!(
        "{key} = {shown} ({kind}{via}, {})",
        source_name(platform, de)
    )
}

fn truncate(s: &str) -> String {
    if s.chars().count() <= MAX_QUOTED_VALUE {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_QUOTED_VALUE).collect();
        t.push('…');
        t
    }
}

pub(crate) fn typed_bool(v: &MetaValue) -> Option<bool> {
    if v.kind != "boolean" {
        return None;
    }
    match v.value.as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

fn read_switch(key: &str, read: ReadAs, input: &RuleInput<'_, '_>) -> Reading {
    let platform = input.platform;
    let reading = |value: Option<bool>, text: String, text_de: String| Reading {
        value,
        text,
        text_de,
    };
    let Some(v) = input.switches.get(key) else {
        return match read {
            ReadAs::BoolStrictFalseOnMistype | ReadAs::BoolObjc => reading(
                None,
                format!("{key} absent"),
                format!("{key} nicht gesetzt"),
            ),
            ReadAs::BoolDefaultTrue => reading(
                Some(true),
                format!("{key} absent: default true"),
                format!("{key} nicht gesetzt: Vorgabe true"),
            ),
            ReadAs::BoolDefaultFalse => reading(
                Some(false),
                format!("{key} absent: default false"),
                format!("{key} nicht gesetzt: Vorgabe false"),
            ),
            ReadAs::NonEmptyString | ReadAs::Present => reading(
                Some(false),
                format!("{key} absent"),
                format!("{key} nicht gesetzt"),
            ),
        };
    };
    let described = describe(key, v, platform, false);
    let described_de = describe(key, v, platform, true);
    match read {
        ReadAs::BoolStrictFalseOnMistype => match typed_bool(v) {
            Some(b) => reading(Some(b), described, described_de),
            None => reading(
                Some(false),
                format!(
                    "{described}: switch present but mistyped (not a boolean), Bundle.getBoolean reads it as false"
                ),
                format!(
                    "{described_de}: Schalter gesetzt, aber mit falschem Typ (kein boolean), Bundle.getBoolean liest ihn als false"
                ),
            ),
        },
        ReadAs::BoolDefaultTrue | ReadAs::BoolDefaultFalse => {
            let default = read == ReadAs::BoolDefaultTrue;
            match typed_bool(v) {
                Some(b) => reading(Some(b), described, described_de),
                None => reading(
                    Some(default),
                    format!(
                        "{described}: switch present but mistyped (not a boolean), the SDK ignores it and uses its default {default}"
                    ),
                    format!(
                        "{described_de}: Schalter gesetzt, aber mit falschem Typ (kein boolean); das SDK übergeht ihn und nimmt seine Vorgabe {default}"
                    ),
                ),
            }
        }
        ReadAs::BoolObjc => {
            let value = objc_bool(v);
            if value.is_some() && v.kind == "boolean" {
                reading(value, described, described_de)
            } else if let Some(b) = value {
                reading(
                    value,
                    format!("{described}: switch present but mistyped (not a Boolean), boolValue reads it as {b}"),
                    format!("{described_de}: Schalter gesetzt, aber mit falschem Typ (kein Boolean), boolValue liest ihn als {b}"),
                )
            } else {
                reading(
                    value,
                    format!("{described}: switch present but mistyped (not a Boolean), ignored"),
                    format!("{described_de}: Schalter gesetzt, aber mit falschem Typ (kein Boolean), wird übergangen"),
                )
            }
        }
        ReadAs::NonEmptyString => {
            let ok = v.kind == "string" && v.value.as_deref().is_some_and(|s| !s.trim().is_empty());
            if ok {
                reading(Some(ok), described, described_de)
            } else {
                reading(
                    Some(ok),
                    format!("{described}: not a non-empty string"),
                    format!("{described_de}: keine nicht-leere Zeichenkette"),
                )
            }
        }
        ReadAs::Present => reading(Some(true), described, described_de),
    }
}

/// Objective-C `boolValue` of a plist value.
pub(crate) fn objc_bool(v: &MetaValue) -> Option<bool> {
    let s = v.value.as_deref()?;
    match v.kind.as_str() {
        "boolean" => typed_bool(v),
        "int" | "integer" | "float" | "real" => s.trim().parse::<f64>().ok().map(|n| n != 0.0),
        "string" => Some(nsstring_bool_value(s)),
        _ => None,
    }
}

/// `-[NSString boolValue]`: skips leading whitespace, an optional sign and
/// leading zeros; true if the next character is Y, y, T, t or a digit 1–9.
pub fn nsstring_bool_value(s: &str) -> bool {
    let rest = s.trim_start();
    let rest = rest.strip_prefix(['+', '-']).unwrap_or(rest);
    let rest = rest.trim_start_matches('0');
    matches!(rest.chars().next(), Some('Y' | 'y' | 'T' | 't' | '1'..='9'))
}

#[cfg(test)]
mod describe_tests {
    use super::*;

    /// A switch's value is described in the report's language: its type and
    /// the resource it came through are words, not Android's identifiers
    /// („(boolean via @bool/…, Manifest-Metadaten)“ read in a German report).
    #[test]
    fn a_value_is_described_in_german_and_english() {
        let v = MetaValue {
            kind: "boolean".into(),
            value: Some("true".into()),
            reference: Some("@bool/crashlytics_collection_enabled".into()),
        };
        let key = "firebase_crashlytics_collection_enabled";
        assert_eq!(
            describe(key, &v, Platform::Android, true),
            "firebase_crashlytics_collection_enabled = true (Wahrheitswert über \
             @bool/crashlytics_collection_enabled, Manifest-Metadaten)"
        );
        assert_eq!(
            describe(key, &v, Platform::Android, false),
            "firebase_crashlytics_collection_enabled = true (boolean via \
             @bool/crashlytics_collection_enabled, manifest meta-data)"
        );
        let s = MetaValue {
            kind: "string".into(),
            value: Some("x".into()),
            reference: None,
        };
        assert_eq!(
            describe("k", &s, Platform::Ios, true),
            "k = \"x\" (Zeichenkette, Info.plist)"
        );
        assert_eq!(
            describe("k", &s, Platform::Ios, false),
            "k = \"x\" (string, Info.plist)"
        );
    }
}
