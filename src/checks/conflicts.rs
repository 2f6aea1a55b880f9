//! Evidence of disagreeing exports: when several exports list one device and
//! disagree on a fact a check reads (`facts.<field>` in its rules), the check's
//! result names every value and the export that says it, so a merged device's
//! verdict never hides what another export said.

use serde_json::Value;

use super::def::Check;
use super::target_facts::TargetFacts;
use crate::facts::{DeviceSource, Evidence, FieldConflict, FilledValue};

/// Evidence for `check` from the `conflicts` of a device's facts: one item
/// per conflicting field its rules read.
pub(crate) fn evidence(check: &Check, facts: &TargetFacts<'_>) -> Vec<Evidence> {
    if let Some((conflicts, filled)) = facts.conflicts() {
        return conflicts
            .iter()
            .filter(|c| reads(check, &c.field))
            .map(item)
            .chain(
                filled
                    .iter()
                    .filter(|f| reads(check, &f.field))
                    .map(|f| filled_item(f, facts.record())),
            )
            .collect();
    }
    let listed = |key: &str| {
        facts
            .json()
            .get(key)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    };
    let conflicts = listed("conflicts")
        .iter()
        .filter_map(|c| serde_json::from_value::<FieldConflict>(c.clone()).ok())
        .filter(|c| reads(check, &c.field))
        .map(|c| item(&c));
    let filled = listed("filled")
        .iter()
        .filter_map(|f| serde_json::from_value::<FilledValue>(f.clone()).ok())
        .filter(|f| reads(check, &f.field))
        .map(|f| filled_item(&f, facts.record()));
    conflicts.chain(filled).collect()
}

/// "csv, line 2" / "csv, Zeile 2": an export's record as the evidence names it.
fn record_of(source: &DeviceSource, de: bool) -> String {
    let record = if de {
        crate::facts::locator_de(&source.record).unwrap_or_else(|| source.record.clone())
    } else {
        source.record.clone()
    };
    format!("{}, {record}", source.format)
}

/// The evidence that a value comes from another export than the device's
/// most recent record (`record`, the record the device's other evidence
/// cites), which does not give it.
fn filled_item(f: &FilledValue, record: Option<&str>) -> Evidence {
    let (recent, recent_de) = match record {
        Some(r) => (
            format!(" ({r})"),
            format!(
                " ({})",
                crate::facts::locator_de(r).unwrap_or_else(|| r.to_string())
            ),
        ),
        None => (String::new(), String::new()),
    };
    let mut e = Evidence::new(
        "filled",
        format!(
            "{} = {} from {}: the most recent record{recent} does not give it",
            f.field,
            f.from.value,
            record_of(&f.from.source, false)
        ),
    );
    e.value_de = Some(format!(
        "{} = {} laut {}: Der jüngste Datensatz{recent_de} nennt den Wert nicht",
        f.field,
        f.from.value,
        record_of(&f.from.source, true)
    ));
    e.location = Some(f.from.source.file.clone());
    e
}

/// Whether a rule of `check` reads `facts.<field>`.
fn reads(check: &Check, field: &str) -> bool {
    let needle = format!("facts.{field}");
    let at_word_end = |text: &str| {
        text.match_indices(&needle).any(|(i, _)| {
            !text[i + needle.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        })
    };
    check
        .rules
        .iter()
        .any(|r| at_word_end(&r.when) || r.evidence.as_deref().is_some_and(at_word_end))
}

fn item(c: &FieldConflict) -> Evidence {
    let list = |from: &str| {
        c.values
            .iter()
            .map(|v| {
                let record = match from {
                    "laut" => crate::facts::locator_de(&v.source.record)
                        .unwrap_or_else(|| v.source.record.clone()),
                    _ => v.source.record.clone(),
                };
                format!(
                    "{} = {} ({from} {}, {record})",
                    c.field, v.value, v.source.format
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut e = Evidence::new(
        "conflict",
        format!(
            "the exports disagree, the most recent check-in counts: {}",
            list("in")
        ),
    );
    e.value_de = Some(format!(
        "maßgeblich ist die jüngste Meldung an das MDM: {}",
        list("laut")
    ));
    e.location = c.values.first().map(|v| v.source.file.clone());
    e
}
