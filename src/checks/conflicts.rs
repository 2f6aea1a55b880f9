//! Evidence of disagreeing exports: when several exports list one device and
//! disagree on a fact a check reads (`facts.<field>` in its rules), the check's
//! result names every value and the export that says it, so a merged device's
//! verdict never hides what another export said.

use serde_json::Value;

use super::def::Check;
use super::target_facts::TargetFacts;
use crate::facts::{Evidence, FieldConflict};

/// Evidence for `check` from the `conflicts` of a device's facts: one item
/// per conflicting field its rules read.
pub(crate) fn evidence(check: &Check, facts: &TargetFacts<'_>) -> Vec<Evidence> {
    if let Some(conflicts) = facts.conflicts() {
        return conflicts
            .iter()
            .filter(|c| reads(check, &c.field))
            .map(item)
            .collect();
    }
    let Some(list) = facts.json().get("conflicts").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|c| serde_json::from_value::<FieldConflict>(c.clone()).ok())
        .filter(|c| reads(check, &c.field))
        .map(|c| item(&c))
        .collect()
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
