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
    if let Some((conflicts, filled, sources)) = facts.conflicts() {
        return conflicts
            .iter()
            .filter(|c| reads(check, &c.field))
            .map(item)
            .chain(
                filled
                    .iter()
                    .filter(|f| reads(check, &f.field))
                    .map(|f| filled_item(f, sources.first())),
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
    let filled: Vec<FilledValue> = listed("filled")
        .iter()
        .filter_map(|f| serde_json::from_value::<FilledValue>(f.clone()).ok())
        .filter(|f| reads(check, &f.field))
        .collect();
    // The most recent record, read only when a value the check reads was filled.
    let leading = (!filled.is_empty())
        .then(|| listed("sources").first())
        .flatten()
        .and_then(|s| serde_json::from_value::<DeviceSource>(s.clone()).ok());
    conflicts
        .chain(filled.iter().map(|f| filled_item(f, leading.as_ref())))
        .collect()
}

/// An export's record ("line 2"), in German ("Zeile 2") when `de`.
fn record_in(source: &DeviceSource, de: bool) -> String {
    match de {
        true => crate::facts::locator_de(&source.record).unwrap_or_else(|| source.record.clone()),
        false => source.record.clone(),
    }
}

/// "csv, line 2 (ward.csv)" / "csv, Zeile 2 (ward.csv)": an export's record
/// as the evidence names it, with the export's file name (two exports of
/// one format both have a "response 1").
fn record_of(source: &DeviceSource, de: bool) -> String {
    let record = record_in(source, de);
    let file = std::path::Path::new(&source.file)
        .file_name()
        .map_or(source.file.as_str().into(), |n| n.to_string_lossy());
    format!("{}, {record} ({file})", source.format)
}

/// The evidence that a value comes from another export than the device's
/// most recent record (`leading`, the record the device's other evidence
/// cites), which does not give it.
fn filled_item(f: &FilledValue, leading: Option<&DeviceSource>) -> Evidence {
    let recent = |de| leading.map(|s| format!(", {},", record_of(s, de)));
    let mut e = Evidence::new(
        "filled",
        format!(
            "{} = {} from {}: the most recent record{} does not give it",
            f.field,
            f.from.value,
            record_of(&f.from.source, false),
            recent(false).unwrap_or_default()
        ),
    );
    e.value_de = Some(format!(
        "{} = {} laut {}: Der jüngste Datensatz{} nennt den Wert nicht",
        f.field,
        f.from.value,
        record_of(&f.from.source, true),
        recent(true).unwrap_or_default()
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
                let record = record_in(&v.source, from == "laut");
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
