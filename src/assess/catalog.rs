//! Reading the text catalog of a JSON report (schema 2.0, docs/report.md
//! *Catalog*): every text that repeats from target to target — check titles,
//! remediation, rule messages, evidence, the input files — is written once in
//! the top-level `catalog`, and results refer to it. [`expand`] puts every
//! reference back, so a 2.0 report reads as the complete 1.x shape; a 1.x
//! report (no catalog, everything inline) passes through unchanged.
//!
//! The expansion works on the JSON tree and touches only the fields the
//! catalog stands for, so fields other results carry pass through as written.
//! [`expand_target`] does it for one target, so that a saved report can be
//! read target by target (`super::saved`), with a bound on the catalog texts
//! a target may take.

use serde_json::{Map, Value};

use super::decoded::cost as weight;

/// Why a report's references cannot be resolved.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A reference points outside the catalog.
    #[error("the report's catalog has no {what} {reference} (target {target}, result {result})")]
    Missing {
        /// What was looked up: `check`, `message`, `evidence item`, `file`.
        what: &'static str,
        /// The reference as written.
        reference: String,
        /// Index of the target in `targets`.
        target: usize,
        /// Index of the result in the target's `results` (0 for the target itself).
        result: usize,
    },
    /// The catalog texts one target refers to take more memory than the
    /// reader allows ([`expand_target`]'s `budget`).
    #[error(
        "target {target} refers to catalog texts taking more than {budget} bytes \
         (a report written by msgaudit refers to far less)"
    )]
    TooLarge {
        /// Index of the target in `targets`.
        target: usize,
        /// The budget, in bytes of memory.
        budget: usize,
    },
    /// The report is not a JSON object with a `targets` array.
    #[error("a report is a JSON object with a \"targets\" array")]
    NotAReport,
}

/// The fields of a result that the catalog's check entry gives when the
/// result leaves them out.
pub const CHECK_FIELDS: [&str; 5] = ["requirement", "level", "title", "remediation", "weight"];

/// A report's `catalog`, ready to resolve references target by target.
/// Each entry is kept with the bytes it takes in memory (its weight, as
/// estimated by `super::decoded::cost`), so that what one target takes from
/// the catalog can be bounded.
#[derive(Debug, Default)]
pub struct Catalog {
    checks: Map<String, Value>,
    /// Weight of each check entry's fields other than its messages.
    check_weights: std::collections::HashMap<String, usize>,
    evidence: Vec<(Value, usize)>,
    files: Vec<(Value, usize)>,
}

impl Catalog {
    /// The catalog of a report, from its `catalog` value. Parts that are
    /// missing or not of the expected JSON type count as empty (references
    /// to them are then [`CatalogError::Missing`]).
    pub fn new(catalog: Value) -> Catalog {
        let Value::Object(mut obj) = catalog else {
            return Catalog::default();
        };
        let weighed = |v: Option<Value>| -> Vec<(Value, usize)> {
            match v {
                Some(Value::Array(items)) => items
                    .into_iter()
                    .map(|item| {
                        let w = weight(&item);
                        (item, w)
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        let evidence = weighed(obj.remove("evidence"));
        let files = weighed(obj.remove("files"));
        let checks = match obj.remove("checks") {
            Some(Value::Object(checks)) => checks,
            _ => Map::new(),
        };
        let check_weights = checks
            .iter()
            .map(|(id, entry)| {
                let w = CHECK_FIELDS
                    .iter()
                    .filter_map(|f| entry.get(*f))
                    .map(weight)
                    .sum();
                (id.clone(), w)
            })
            .collect();
        Catalog {
            checks,
            check_weights,
            evidence,
            files,
        }
    }
}

/// Resolves every catalog reference of the report `doc` in place and removes
/// the catalog: afterwards the report has the 1.x shape (each result with its
/// texts, each evidence item and file written out). Reports without a
/// catalog are left as they are.
pub fn expand(doc: &mut Value) -> Result<(), CatalogError> {
    let Some(obj) = doc.as_object_mut() else {
        return Err(CatalogError::NotAReport);
    };
    let Some(catalog) = obj.remove("catalog") else {
        return Ok(());
    };
    let catalog = Catalog::new(catalog);
    let Some(targets) = obj.get_mut("targets").and_then(Value::as_array_mut) else {
        return Err(CatalogError::NotAReport);
    };
    for (ti, t) in targets.iter_mut().enumerate() {
        expand_target(t, ti, &catalog, usize::MAX)?;
    }
    Ok(())
}

/// Resolves the catalog references of one target `t` (index `ti` in the
/// report's `targets`, for errors) in place, taking texts of at most
/// `budget` bytes (in memory) from `catalog`. A target that is not an object
/// is left as it is.
pub fn expand_target(
    t: &mut Value,
    ti: usize,
    catalog: &Catalog,
    budget: usize,
) -> Result<(), CatalogError> {
    let Some(t) = t.as_object_mut() else {
        return Ok(());
    };
    let missing = |what, reference: &Value, result| CatalogError::Missing {
        what,
        reference: reference.to_string(),
        target: ti,
        result,
    };
    let mut taken = 0usize;
    let mut take = |w: usize| {
        taken = taken.saturating_add(w);
        if taken > budget {
            Err(CatalogError::TooLarge { target: ti, budget })
        } else {
            Ok(())
        }
    };
    if let Some(info) = t.get_mut("target").and_then(Value::as_object_mut) {
        if let Some(file) = info.get_mut("file") {
            if let Some(i) = file.as_u64() {
                let (value, w) =
                    lookup(&catalog.files, i).ok_or_else(|| missing("file", file, 0))?;
                take(*w)?;
                *file = value.clone();
            }
        }
    }
    let at = t.remove("evidence_location");
    let Some(results) = t.get_mut("results").and_then(Value::as_array_mut) else {
        return Ok(());
    };
    for (ri, r) in results.iter_mut().enumerate() {
        let Some(r) = r.as_object_mut() else { continue };
        let check = r.get("check").cloned().unwrap_or(Value::Null);
        let id = check.as_str();
        let entry = id.and_then(|id| catalog.checks.get(id));
        if CHECK_FIELDS.iter().any(|f| !r.contains_key(*f)) {
            take(
                id.and_then(|id| catalog.check_weights.get(id))
                    .copied()
                    .unwrap_or(0),
            )?;
        }
        for field in CHECK_FIELDS {
            if !r.contains_key(field) {
                let value = entry
                    .and_then(|e| e.get(field))
                    .ok_or_else(|| missing("check", &check, ri))?;
                r.insert(field.to_string(), value.clone());
            }
        }
        if let Some(message) = r.get_mut("message") {
            if let Some(i) = message.as_u64() {
                let messages = entry
                    .and_then(|e| e.get("messages"))
                    .and_then(Value::as_array)
                    .map_or(&[][..], Vec::as_slice);
                let value = usize::try_from(i)
                    .ok()
                    .and_then(|i| messages.get(i))
                    .ok_or_else(|| missing("message", message, ri))?;
                take(weight(value))?;
                *message = value.clone();
            }
        }
        if let Some(items) = r.get_mut("evidence").and_then(Value::as_array_mut) {
            for item in items.iter_mut() {
                let Some(i) = item.as_u64() else { continue };
                let (value, w) = lookup(&catalog.evidence, i)
                    .ok_or_else(|| missing("evidence item", item, ri))?;
                take(*w)?;
                let mut full = value.clone();
                place(&mut full, at.as_ref());
                *item = full;
            }
        }
    }
    Ok(())
}

fn lookup(list: &[(Value, usize)], i: u64) -> Option<&(Value, usize)> {
    usize::try_from(i).ok().and_then(|i| list.get(i))
}

/// A catalog evidence item marked `at_target` takes the location of the
/// target that refers to it (its `evidence_location`).
fn place(item: &mut Value, at: Option<&Value>) {
    let Some(obj) = item.as_object_mut() else {
        return;
    };
    if obj.remove("at_target") != Some(Value::Bool(true)) {
        return;
    }
    for key in ["location", "location_de"] {
        if let Some(v) = at.and_then(|a| a.get(key)) {
            obj.insert(key.to_string(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_put_back_and_1x_reports_pass_through() {
        let mut doc = json!({
            "schema_version": "2.0",
            "targets": [{
                "target": {"kind": "device", "name": "d", "file": 0},
                "evidence_location": {"location": "record 3", "location_de": "Datensatz 3"},
                "results": [{
                    "check": "DEV-01", "outcome": "fail", "message": 1,
                    "evidence": [0, {"kind": "k", "value": "inline"}],
                    "future_field": [1, 2]
                }, {
                    "check": "DEV-01", "outcome": "pass", "title": {"de": "eigener", "en": "own"},
                    "message": {"de": "x", "en": "y"}, "evidence": []
                }]
            }],
            "catalog": {
                "checks": {"DEV-01": {
                    "requirement": "DEV-01", "level": "must", "weight": 3.0,
                    "title": {"de": "T", "en": "T"}, "remediation": {"de": "R", "en": "R"},
                    "messages": [{"de": "a", "en": "a"}, {"de": "b", "en": "b"}]
                }},
                "evidence": [{"kind": "field", "value": "v", "at_target": true}],
                "files": [{"path": "f.json", "sha256": "ab", "size": 1}]
            }
        });
        expand(&mut doc).unwrap();
        assert!(doc.get("catalog").is_none());
        let t = &doc["targets"][0];
        assert_eq!(t["target"]["file"]["path"], "f.json");
        assert!(t.get("evidence_location").is_none());
        let r = &t["results"][0];
        assert_eq!(r["message"]["en"], "b");
        assert_eq!(r["remediation"]["de"], "R");
        assert_eq!(
            r["evidence"][0],
            json!({"kind": "field", "value": "v", "location": "record 3", "location_de": "Datensatz 3"})
        );
        assert_eq!(r["evidence"][1]["value"], "inline");
        assert_eq!(r["future_field"], json!([1, 2]));
        // A text the result carries itself wins over the catalog's.
        assert_eq!(t["results"][1]["title"]["en"], "own");

        let before = json!({"schema_version": "1.4", "targets": [{"results": [{"message": 3}]}]});
        let mut after = before.clone();
        expand(&mut after).unwrap();
        assert_eq!(before, after);
    }

    #[test]
    fn a_dangling_reference_is_an_error_naming_it() {
        let mut doc = json!({
            "targets": [{"target": {}, "results": [{"check": "X", "outcome": "pass", "message": 0, "evidence": []}]}],
            "catalog": {"checks": {}}
        });
        let e = expand(&mut doc).unwrap_err().to_string();
        assert!(e.contains("no check \"X\""), "{e}");
    }
}
