//! Evidence of disagreeing exports: when several exports list one device and
//! disagree on a fact a check reads (`facts.<field>` in its rules), the check's
//! result names every value and the export that says it, so a merged device's
//! verdict never hides what another export said.

use std::borrow::Cow;
use std::collections::BTreeMap;

use cel::common::ast::{EntryExpr, Expr, LiteralValue};
use cel::IdedExpr;
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
    if c.field == "installed_messengers" {
        return lists_item(c);
    }
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

/// The evidence that a device's installed-app lists disagree: each list
/// with its export or app-list file and record. The lists are united (a
/// messenger any of them names counts), so no one list decides.
fn lists_item(c: &FieldConflict) -> Evidence {
    let list = |de: bool| {
        c.values
            .iter()
            .map(|v| format!("{} = {} ({})", c.field, v.value, record_of(&v.source, de)))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut e = Evidence::new(
        "conflict",
        format!(
            "the installed-app lists disagree, every messenger any of them names counts: {}",
            list(false)
        ),
    );
    e.value_de = Some(format!(
        "die Listen installierter Apps weichen voneinander ab, es zählt jeder Messenger, den eine von ihnen nennt: {}",
        list(true)
    ));
    e.location = c.values.first().map(|v| v.source.file.clone());
    e
}

/// Where the field evidence of a merged device's rule is read from, when
/// it quotes a value the device takes from another record than its most
/// recent one ([`Device::filled_from`]): the evidence then names that
/// record instead of the device's own (`facts.record`, the most recent
/// record's, which does not give the value).
///
/// [`Device::filled_from`]: crate::facts::Device::filled_from
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Relocation {
    /// The device's record: the location of the items moved.
    record: String,
    location: String,
    location_de: String,
}

/// The [`Relocation`] of the evidence of rule number `rule` (1-based) of
/// `check` on the device of `facts`; `None` (the evidence stays as the
/// rule gives it) for a device no other export lists, or when none of the
/// facts the rule's field items quote comes from another record.
///
/// The facts an item quotes are read from the rule's `evidence` program,
/// not from the texts it gives: every `facts.…` path its map literals of
/// kind `field` read in their `value` or `value_de` (`facts.raw.encryption`,
/// `facts.days_since_check_in`). When they come from one record, the items
/// name it (`intune-graph, record 3 (intune.json)`); when from several, each
/// record with the facts it gives (`encryption: intune-graph, record 3
/// (intune.json); last_check_in: csv, line 2 (ward.csv)`), never one record
/// for both.
pub(crate) fn relocation(
    check: &Check,
    rule: Option<usize>,
    facts: &TargetFacts<'_>,
) -> Option<Relocation> {
    let (filled_from, sources) = filled_from(facts)?;
    let program = check
        .rules
        .get(rule?.checked_sub(1)?)?
        .evidence_program()?
        .ok()?;
    let mut quoted = Vec::new();
    field_items_quote(program.expression(), &mut quoted);
    quoted.sort();
    quoted.dedup();
    let json = facts.json();
    // Per record (by its place in `sources`), the facts quoted from it.
    let mut by_source: Vec<(usize, Vec<String>)> = Vec::new();
    for path in &quoted {
        if lookup(json, path).is_none_or(Value::is_null) {
            continue;
        }
        let dotted = path.join(".");
        // The fact lies within a fact filled whole: that record's alone.
        let within = filled_from
            .iter()
            .filter(|(p, _)| on_path(&dotted, p))
            .map(|(_, &at)| at)
            .next();
        let from: Vec<usize> = match within {
            Some(at) => vec![at],
            // An object read whole: the records of the parts filled, and
            // the most recent record for the rest.
            None => std::iter::once(0)
                .chain(
                    filled_from
                        .iter()
                        .filter(|(p, _)| on_path(p, &dotted))
                        .map(|(_, &at)| at),
                )
                .collect(),
        };
        let label = label(path);
        for at in from {
            match by_source.iter_mut().find(|(s, _)| *s == at) {
                Some((_, labels)) if !labels.contains(&label) => labels.push(label.clone()),
                Some(_) => {}
                None => by_source.push((at, vec![label.clone()])),
            }
        }
    }
    if by_source.iter().all(|(at, _)| *at == 0) {
        return None;
    }
    by_source.sort_by_key(|(at, _)| *at);
    let named = |de: bool| -> Option<String> {
        if let [(at, _)] = by_source.as_slice() {
            return Some(record_of(sources.get(*at)?, de));
        }
        by_source
            .iter()
            .map(|(at, labels)| {
                let words: Vec<&str> = labels.iter().map(|l| label_words(l, de)).collect();
                Some(format!(
                    "{}: {}",
                    words.join(", "),
                    record_of(sources.get(*at)?, de)
                ))
            })
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("; "))
    };
    Some(Relocation {
        record: facts.record()?.to_string(),
        location: named(false)?,
        location_de: named(true)?,
    })
}

impl Relocation {
    /// Moves the field items of `evidence` located at the device's record
    /// (the rule's evidence, before the merge's own items are added) to
    /// the record(s) their facts are read from.
    pub(crate) fn apply(&self, evidence: &mut [Evidence]) {
        let mut moved = false;
        for e in evidence
            .iter_mut()
            .filter(|e| e.kind == "field" && e.location.as_deref() == Some(self.record.as_str()))
        {
            e.location = Some(self.location.clone());
            e.location_de = Some(self.location_de.clone());
            moved = true;
        }
        if moved {
            // As the rule's evidence is ordered.
            super::cel::in_stable_order(evidence);
        }
    }
}

/// A merged device's `filled_from` and `sources`.
type Filled<'f> = (Cow<'f, BTreeMap<String, usize>>, Cow<'f, [DeviceSource]>);

/// The merged device's `filled_from` and `sources` (typed, or from a facts
/// document); `None` when it takes no fact from another record.
fn filled_from<'f>(facts: &'f TargetFacts<'_>) -> Option<Filled<'f>> {
    if let Some(device) = facts.typed_device() {
        return (!device.filled_from.is_empty()).then(|| {
            (
                Cow::Borrowed(&device.filled_from),
                Cow::Borrowed(&device.sources[..]),
            )
        });
    }
    let json = facts.json();
    let from: BTreeMap<String, usize> = json
        .get("filled_from")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .filter(|m: &BTreeMap<String, usize>| !m.is_empty())?;
    let sources: Vec<DeviceSource> = json
        .get("sources")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    Some((Cow::Owned(from), Cow::Owned(sources)))
}

/// Whether the fact at `path` is the one at `field` or lies within it.
fn on_path(path: &str, field: &str) -> bool {
    path.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// The value at `path` in `json`.
fn lookup<'j>(json: &'j Value, path: &[String]) -> Option<&'j Value> {
    path.iter().try_fold(json, |v, field| v.get(field))
}

/// The name a location gives a quoted fact: the fact it is read from
/// (`raw.encryption_de` → `encryption`, `days_since_check_in` →
/// `last_check_in`).
/// A fact's label as a location names it: the check-in and the patch
/// level in words (the evidence says "last check-in 13 days before …"),
/// other facts by their name.
fn label_words(label: &str, de: bool) -> &str {
    match (label, de) {
        ("last_check_in", false) => "last check-in",
        ("last_check_in", true) => "letzter MDM-Kontakt",
        ("security_patch_level", false) => "security patch level",
        ("security_patch_level", true) => "Sicherheitspatch-Stand",
        (other, _) => other,
    }
}

fn label(path: &[String]) -> String {
    let last = path.last().map_or("", String::as_str);
    match last.strip_suffix("_de").unwrap_or(last) {
        "days_since_check_in" => "last_check_in",
        "patch_age_days" => "security_patch_level",
        other => other,
    }
    .to_string()
}

/// Collects the `facts.…` paths the map literals of kind `field` in `e`
/// read in their `value` and `value_de` entries.
fn field_items_quote(e: &IdedExpr, out: &mut Vec<Vec<String>>) {
    if let Expr::Map(m) = &e.expr {
        let entries = || {
            m.entries.iter().filter_map(|en| match &en.expr {
                EntryExpr::MapEntry(me) => Some(me),
                EntryExpr::StructField(_) => None,
            })
        };
        let is_field =
            entries().any(|me| text(&me.key) == Some("kind") && text(&me.value) == Some("field"));
        for me in entries() {
            if is_field && matches!(text(&me.key), Some("value" | "value_de")) {
                facts_read(&me.value, out);
            } else {
                field_items_quote(&me.value, out);
            }
        }
        return;
    }
    for c in children(e) {
        field_items_quote(c, out);
    }
}

/// Collects the `facts.…` paths `e` reads.
fn facts_read(e: &IdedExpr, out: &mut Vec<Vec<String>>) {
    if let Some((path, _)) = super::rule_cache::facts_path(e) {
        if !path.is_empty() {
            out.push(path);
        }
        return;
    }
    for c in children(e) {
        facts_read(c, out);
    }
}

/// The expressions directly within `e`.
fn children(e: &IdedExpr) -> Vec<&IdedExpr> {
    fn entry(en: &cel::common::ast::IdedEntryExpr) -> Vec<&IdedExpr> {
        match &en.expr {
            EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
            EntryExpr::StructField(f) => vec![&f.value],
        }
    }
    match &e.expr {
        Expr::Call(call) => call
            .target
            .as_deref()
            .into_iter()
            .chain(&call.args)
            .collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => m.entries.iter().flat_map(entry).collect(),
        Expr::Struct(s) => s.entries.iter().flat_map(entry).collect(),
        Expr::Select(s) => vec![&s.operand],
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => Vec::new(),
    }
}

/// The text of a string literal.
fn text(e: &IdedExpr) -> Option<&str> {
    match &e.expr {
        Expr::Literal(LiteralValue::String(s)) => Some(s.inner()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The facts the field items of rule `rule` of the built-in check `id` quote.
    fn quoted(id: &str, rule: usize) -> Vec<String> {
        let set = super::super::CheckSet::builtin().unwrap();
        let check = set.get(id).unwrap();
        let mut out = Vec::new();
        let program = check.rules[rule - 1].evidence_program().unwrap().unwrap();
        field_items_quote(program.expression(), &mut out);
        out.sort();
        out.dedup();
        out.into_iter().map(|p| p.join(".")).collect()
    }

    /// What an item quotes is read from its rule: the facts its `value` and
    /// `value_de` read, not those its location or another kind of item
    /// reads.
    #[test]
    fn the_facts_a_field_item_quotes_are_read_from_its_rule() {
        // DEV-03's last rule (pass): the raw text and its German wording;
        // not `policy_compliance`, which only its location reads.
        let pass = set_rules("DEV-03-encryption");
        assert_eq!(
            quoted("DEV-03-encryption", pass),
            ["raw.encryption", "raw.encryption_de"]
        );
        // No check-in time: the encryption and the check-in field as exported.
        let unknown = quoted("DEV-03-encryption", pass - 1);
        assert!(
            unknown.contains(&"raw.last_check_in".to_string()),
            "{unknown:?}"
        );
        assert!(
            unknown.contains(&"raw.encryption".to_string()),
            "{unknown:?}"
        );
        // An old check-in: the encryption and the check-in's age.
        let old = quoted("DEV-03-encryption", pass - 2);
        assert!(old.contains(&"days_since_check_in".to_string()), "{old:?}");
        assert!(old.contains(&"raw.encryption".to_string()), "{old:?}");
        // DEV-01's first rule: the OS version (raw or as normalized), not
        // the OS support item's note.
        let os = quoted("DEV-01-os-supported-patched", 1);
        assert!(os.contains(&"raw.os_version".to_string()), "{os:?}");
        assert!(os.contains(&"os_version".to_string()), "{os:?}");
        assert!(!os.iter().any(|p| p.starts_with("os_support")), "{os:?}");
        // Each raw field a merge can fill is quoted by some device check.
        let set = super::super::CheckSet::builtin().unwrap();
        let mut all: Vec<String> = Vec::new();
        for check in set.checks() {
            for program in check
                .rules
                .iter()
                .filter_map(|r| r.evidence_program()?.ok())
            {
                let mut out = Vec::new();
                field_items_quote(program.expression(), &mut out);
                all.extend(out.into_iter().map(|p| p.join(".")));
            }
        }
        for raw in [
            "os_version",
            "passcode",
            "encryption",
            "compromised",
            "managed",
            "ownership",
            "cloud_backup",
            "last_check_in",
        ] {
            assert!(all.contains(&format!("raw.{raw}")), "raw.{raw}: {all:?}");
        }
    }

    /// The number of rules of the built-in check `id`.
    fn set_rules(id: &str) -> usize {
        let set = super::super::CheckSet::builtin().unwrap();
        set.get(id).unwrap().rules.len()
    }

    #[test]
    fn a_location_names_each_fact_as_the_device_fact_it_is_read_from() {
        let path = |p: &str| p.split('.').map(str::to_string).collect::<Vec<_>>();
        assert_eq!(label(&path("raw.encryption_de")), "encryption");
        assert_eq!(label(&path("days_since_check_in")), "last_check_in");
        assert_eq!(label(&path("patch_age_days")), "security_patch_level");
        assert!(on_path("raw.encryption", "raw"));
        assert!(on_path("raw.encryption", "raw.encryption"));
        assert!(!on_path("raw.encryption_de", "raw.encryption"));
    }
}
