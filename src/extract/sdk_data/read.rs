//! Reading one documented switch the way its SDK reads it.

use std::collections::BTreeMap;

use super::{CategoryDef, SwitchDef, SwitchDefault, SwitchRead};
use crate::extract::sdks::rules::{describe, objc_bool, typed_bool};
use crate::extract::sdks::Platform;
use crate::facts::{DataCategory, DataState, MetaValue};

/// What reading a present switch gave.
enum Reading {
    /// A boolean, with a note (English, German) when the value was mistyped.
    Bool(bool, Option<(String, String)>),
    /// A sample rate.
    Rate(f64),
    /// The SDK ignores the value: the documented default applies (why).
    Ignored(&'static str, &'static str),
    /// The value cannot be read here (why).
    Unknown(&'static str, &'static str),
}

fn default_state(d: SwitchDefault) -> DataState {
    match d {
        SwitchDefault::On => DataState::DefaultOn,
        SwitchDefault::Off => DataState::DefaultOff,
    }
}

fn default_text(d: SwitchDefault) -> (&'static str, &'static str) {
    match d {
        SwitchDefault::On => ("documented default on", "dokumentierte Vorgabe an"),
        SwitchDefault::Off => ("documented default off", "dokumentierte Vorgabe aus"),
    }
}

/// The data category one switch sets.
pub(super) fn category(
    s: &SwitchDef,
    def: &CategoryDef,
    platform: Platform,
    switches: &BTreeMap<String, MetaValue>,
) -> DataCategory {
    let file = match platform {
        Platform::Android => "AndroidManifest.xml",
        Platform::Ios => "Info.plist",
    };
    let (dflt, dflt_de) = default_text(s.default);
    let mut out = DataCategory {
        category: def.id.clone(),
        label: def.en.clone(),
        label_de: def.de.clone(),
        state: default_state(s.default),
        value: None,
        sample_rate: None,
        source: s.key.clone(),
        file: file.to_string(),
        reference: None,
        reason: String::new(),
        reason_de: String::new(),
        doc: s.source.clone(),
    };
    let fallback = s
        .fallback
        .as_ref()
        .and_then(|f| switches.get(f).map(|v| (f, v)));
    let (key, v, lead, lead_de) = match (switches.get(&s.key), fallback) {
        (Some(v), _) => (&s.key, v, String::new(), String::new()),
        (None, Some((f, v))) => (
            f,
            v,
            format!("{} absent; ", s.key),
            format!("{} nicht gesetzt; ", s.key),
        ),
        (None, None) => {
            let (absent, absent_de) = match &s.fallback {
                Some(f) => (
                    format!("{} and {f} absent", s.key),
                    format!("{} und {f} nicht gesetzt", s.key),
                ),
                None => (
                    format!("{} absent", s.key),
                    format!("{} nicht gesetzt", s.key),
                ),
            };
            out.reason = format!("{absent}: {dflt}");
            out.reason_de = format!("{absent_de}: {dflt_de}");
            return out;
        }
    };
    out.source = key.clone();
    out.value = v.value.clone();
    out.reference = v.reference.clone();
    let described = format!("{lead}{}", describe(key, v, platform, false));
    let described_de = format!("{lead_de}{}", describe(key, v, platform, true));
    let (invert, invert_de) = if s.invert {
        (" (true switches it off)", " (true schaltet sie ab)")
    } else {
        ("", "")
    };
    match read_value(s.read, v) {
        Reading::Bool(b, note) => {
            out.state = if b != s.invert {
                DataState::On
            } else {
                DataState::Off
            };
            let (n, n_de) = note
                .map(|(e, d)| (format!(": {e}"), format!(": {d}")))
                .unwrap_or_default();
            out.reason = format!("{described}{n}{invert}");
            out.reason_de = format!("{described_de}{n_de}{invert_de}");
        }
        Reading::Rate(r) => {
            out.sample_rate = Some(r);
            out.state = if r > 0.0 {
                DataState::On
            } else {
                DataState::Off
            };
            out.reason = described;
            out.reason_de = described_de;
        }
        Reading::Ignored(why, why_de) => {
            out.reason = format!("{described}: {why}: {dflt}");
            out.reason_de = format!("{described_de}: {why_de}: {dflt_de}");
        }
        Reading::Unknown(why, why_de) => {
            out.state = DataState::Unknown;
            out.reason = format!("{described}: {why}");
            out.reason_de = format!("{described_de}: {why_de}");
        }
    }
    out
}

fn read_value(read: SwitchRead, v: &MetaValue) -> Reading {
    if v.value.is_none() || matches!(v.kind.as_str(), "reference" | "null" | "color") {
        return Reading::Unknown(
            "the value cannot be read (an unresolved resource, or no value)",
            "der Wert ist nicht lesbar (eine nicht aufgelöste Ressource oder kein Wert)",
        );
    }
    match read {
        SwitchRead::Bool => match typed_bool(v) {
            Some(b) => Reading::Bool(b, None),
            None => Reading::Ignored(
                "mistyped (not a boolean), the SDK ignores it",
                "falscher Typ (kein boolean), das SDK übergeht ihn",
            ),
        },
        SwitchRead::BoolStrict => match typed_bool(v) {
            Some(b) => Reading::Bool(b, None),
            None => Reading::Bool(
                false,
                Some((
                    "mistyped (not a boolean), Bundle.getBoolean reads it as false".into(),
                    "falscher Typ (kein boolean), Bundle.getBoolean liest ihn als false".into(),
                )),
            ),
        },
        SwitchRead::BoolObjc => match objc_bool(v) {
            Some(b) if v.kind == "boolean" => Reading::Bool(b, None),
            Some(b) => Reading::Bool(
                b,
                Some((
                    format!("mistyped (not a Boolean), boolValue reads it as {b}"),
                    format!("falscher Typ (kein Boolean), boolValue liest ihn als {b}"),
                )),
            ),
            None => Reading::Ignored(
                "mistyped (not a Boolean), ignored",
                "falscher Typ (kein Boolean), wird übergangen",
            ),
        },
        SwitchRead::StringOne => Reading::Bool(java_text_is_one(v), None),
        SwitchRead::Rate => match v.kind.as_str() {
            "int" | "integer" | "float" | "real" => {
                match v
                    .value
                    .as_deref()
                    .and_then(|s| s.trim().parse::<f64>().ok())
                {
                    Some(r) if (0.0..=1.0).contains(&r) => Reading::Rate(r),
                    _ => Reading::Unknown(
                        "not a sample rate between 0.0 and 1.0",
                        "keine Stichprobenrate zwischen 0,0 und 1,0",
                    ),
                }
            }
            _ => Reading::Ignored(
                "mistyped (not a number), the SDK ignores it",
                "falscher Typ (keine Zahl), das SDK übergeht ihn",
            ),
        },
    }
}

/// Whether `String.valueOf(bundle.get(key))` is `"1"`: an integer 1 or the
/// string "1"; a float prints with a decimal point and a boolean as
/// `true`/`false`, so neither is.
fn java_text_is_one(v: &MetaValue) -> bool {
    let Some(text) = v.value.as_deref() else {
        return false;
    };
    match v.kind.as_str() {
        "string" => text == "1",
        "int" | "integer" => {
            let n = match text.strip_prefix("0x") {
                Some(hex) => i64::from_str_radix(hex, 16).ok(),
                None => text.parse::<i64>().ok(),
            };
            n == Some(1)
        }
        _ => false,
    }
}
