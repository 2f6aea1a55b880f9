//! CEL: the environment checks are compiled in, facts → CEL values, and running rules.
//!
//! The environment is the CEL standard library plus the `strings`, `lists` and
//! `math` extensions of the `cel` crate (e.g. `"15.0".split(".")`, `s.lowerAscii()`).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt,
};
use cel::common::value::Val;
use cel::objects::{Key, Map};
use cel::{Context, Env, Value};

use super::def::Check;
use crate::assess::{Outcome, Text};
use crate::facts::{locator_de, Evidence};

/// Deepest JSON nesting converted; deeper values become `null` (facts are shallow).
const MAX_DEPTH: usize = 64;
/// Most evidence items one rule may produce.
pub(crate) const MAX_EVIDENCE: usize = 200;

/// The shared CEL environment (stdlib plus string, list and math extensions).
pub(crate) fn env() -> Arc<Env> {
    static ENV: OnceLock<Arc<Env>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Env::stdlib();
        // The extensions are the crate's own; declaring them on a fresh stdlib cannot conflict.
        let _ = env.add_extension(cel::extensions::strings);
        let _ = env.add_extension(cel::extensions::lists);
        let _ = env.add_extension(cel::extensions::math);
        Arc::new(env)
    })
    .clone()
}

/// A compiled CEL program: the expression its source parses to, macros
/// expanded.
#[derive(Debug)]
pub(crate) struct Program {
    expression: cel::parser::Expression,
}

impl Program {
    /// The parsed expression.
    pub(crate) fn expression(&self) -> &cel::parser::Expression {
        &self.expression
    }

    /// Runs the program in `scope` (what [`cel::Program::execute`] does).
    pub(crate) fn execute(&self, scope: &Context) -> cel::ResolveResult {
        Value::resolve(&self.expression, scope)
    }
}

/// Compiles one expression in the shared environment (what `Env::compile`
/// does, keeping the expression).
pub(crate) fn compile(source: &str) -> Result<Program, String> {
    env()
        .parser()
        .parse(source)
        .map(|expression| Program { expression })
        .map_err(|e| e.to_string())
}

/// Compiles an expression of the built-in checks, whose every program is
/// known to compile: with the cel crate's Pratt parser, about 14 times as
/// fast as the environment's ANTLR parser (54 → 4 ms for the 246 programs;
/// compiling took 60 % of the instructions of a one-APK scan). It knows
/// only the standard macros, not those of the extensions, which no
/// built-in program uses; every built-in program parses to the same
/// expression with both (tested, node numbers aside). A source it cannot
/// parse is compiled by [`compile`], whose error the run reports.
pub(crate) fn compile_known(source: &str) -> Result<Program, String> {
    match cel::parser::PrattParser::new().parse(source) {
        Ok(expression) => Ok(Program { expression }),
        Err(_) => compile(source),
    }
}

/// Converts JSON to a CEL value. Integers become `int` when they fit, so that
/// comparisons with literals (`facts.x > 90`) work without `uint` suffixes.
pub fn json_to_cel(value: &serde_json::Value) -> Value {
    convert(value, 0)
}

fn convert(value: &serde_json::Value, depth: usize) -> Value {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    match value {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Int(i)
            } else if let Some(u) = n.as_u64() {
                Value::UInt(u)
            } else {
                Value::Float(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        J::String(s) => Value::String(Arc::new(s.clone())),
        J::Array(items) => Value::List(Arc::new(
            items.iter().map(|v| convert(v, depth + 1)).collect(),
        )),
        J::Object(map) => {
            let converted: HashMap<Key, Value> = map
                .iter()
                .map(|(k, v)| (Key::String(Arc::new(k.clone())), convert(v, depth + 1)))
                .collect();
            Value::Map(Map {
                map: Arc::new(converted),
            })
        }
    }
}

/// Converts JSON straight to the interpreter's value representation: the same
/// values as [`json_to_cel`] gives (after the `cel` crate's own conversion),
/// without building the intermediate [`Value`] maps first (done per target,
/// this is most of the cost of a large fleet).
fn json_to_val(value: &serde_json::Value, depth: usize) -> Box<dyn Val> {
    use serde_json::Value as J;
    if depth > MAX_DEPTH {
        return Box::new(CelNull);
    }
    match value {
        J::Null => Box::new(CelNull),
        J::Bool(b) => Box::new(CelBool::from(*b)),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                Box::new(CelInt::from(i))
            } else if let Some(u) = n.as_u64() {
                Box::new(CelUInt::from(u))
            } else {
                Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN)))
            }
        }
        J::String(s) => Box::new(CelString::from(s.clone())),
        J::Array(items) => Box::new(CelList::from(
            items
                .iter()
                .map(|v| json_to_val(v, depth + 1))
                .collect::<Vec<_>>(),
        )),
        J::Object(map) => Box::new(CelMap::from(
            map.iter()
                .map(|(k, v)| (CelMapKey::from(k.clone()), json_to_val(v, depth + 1)))
                .collect::<HashMap<_, _>>(),
        )),
    }
}

/// What one check decided on one target, before answers and weights.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    /// The outcome.
    pub outcome: Outcome,
    /// The message of the matching rule, or the evaluation error.
    pub message: Text,
    /// Evidence from the matching rule's `evidence` expression.
    pub evidence: Vec<Evidence>,
    /// The 1-based number of the rule that decided; `None` for an evaluation error.
    pub rule: Option<usize>,
}

/// A target's CEL context: `facts` and `as_of` bound; `params` is bound per check.
pub struct TargetContext {
    root: Context<'static, 'static>,
}

impl TargetContext {
    /// Converts the facts JSON once for this target.
    pub fn new(facts: &serde_json::Value, as_of: &str) -> TargetContext {
        let mut root = Context::with_env(env());
        root.add_variable_as_val("facts", json_to_val(facts, 0));
        root.add_variable_from_value("as_of", Value::String(Arc::new(as_of.to_string())));
        TargetContext { root }
    }

    /// Like [`TargetContext::new`], with the top-level field `name` of the
    /// facts (an object) replaced by the string `value`.
    pub(crate) fn with_string_field(
        facts: &serde_json::Value,
        as_of: &str,
        name: &str,
        value: &str,
    ) -> TargetContext {
        let facts_val: Box<dyn Val> = match facts {
            serde_json::Value::Object(map) => Box::new(CelMap::from(
                map.iter()
                    .map(|(k, v)| {
                        let v: Box<dyn Val> = if k == name {
                            Box::new(CelString::from(value.to_string()))
                        } else {
                            json_to_val(v, 1)
                        };
                        (CelMapKey::from(k.clone()), v)
                    })
                    .collect::<HashMap<_, _>>(),
            )),
            other => json_to_val(other, 0),
        };
        let mut root = Context::with_env(env());
        root.add_variable_as_val("facts", facts_val);
        root.add_variable_from_value("as_of", Value::String(Arc::new(as_of.to_string())));
        TargetContext { root }
    }

    /// Runs `check`'s rules in order with `params`; the first true `when` decides.
    pub fn run(&self, check: &Check, params: &serde_json::Value) -> RuleResult {
        self.run_with(check, json_to_cel(params))
    }

    /// Like [`TargetContext::run`], with `params` already converted to CEL
    /// (convert once per check with [`json_to_cel`]; cloning a CEL map is cheap).
    pub fn run_with(&self, check: &Check, params: Value) -> RuleResult {
        let scope = self.scope(params);
        for (i, rule) in check.rules.iter().enumerate() {
            let index = i + 1;
            match when_of(rule.run_when(&scope), index) {
                When::Holds => {
                    let evidence = match rule.run_evidence(&scope) {
                        Some(value) => match evidence_items(value, index) {
                            Ok(items) => items_to_evidence(items),
                            Err(failed) => failed,
                        },
                        None => Vec::new(),
                    };
                    return RuleResult {
                        outcome: rule.outcome,
                        message: rule.message.clone(),
                        evidence,
                        rule: Some(index),
                    };
                }
                When::Fails => {}
                When::Error(reason) => return error_result(reason),
            }
        }
        no_rule_matched()
    }

    /// A scope of this target with `params` bound, to run a check's programs in.
    pub(crate) fn scope(&self, params: Value) -> Context<'_, 'static> {
        let mut scope = self.root.new_inner_scope();
        scope.add_variable_from_value("params", params);
        scope
    }
}

/// What a rule's `when` gave: it holds, it does not, or it could not be
/// evaluated (the reason, as the result's message gives it).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum When {
    Holds,
    Fails,
    Error(String),
}

/// Reads the value of rule `index`'s `when`.
pub(crate) fn when_of(value: cel::ResolveResult, index: usize) -> When {
    match value {
        Ok(Value::Bool(true)) => When::Holds,
        Ok(Value::Bool(false)) => When::Fails,
        Ok(other) => When::Error(format!(
            "rule {index}: `when` must give true or false, but gave {}",
            other.type_of()
        )),
        Err(e) => When::Error(format!("rule {index}: {e}")),
    }
}

/// The result when no rule of a check matched.
pub(crate) fn no_rule_matched() -> RuleResult {
    error_result("no rule matched".to_string())
}

/// The plain-data items of the value of rule `index`'s `evidence` expression
/// (before they become [`Evidence`], see [`items_to_evidence`]); when the
/// expression failed or gave a value that is not plain data, the evidence
/// saying so instead.
pub(crate) fn evidence_items(
    value: cel::ResolveResult,
    index: usize,
) -> Result<Vec<serde_json::Value>, Vec<Evidence>> {
    let value = value.map_err(|e| {
        vec![Evidence::new(
            "evaluation_error",
            format!("rule {index}: the evidence expression failed: {e}"),
        )]
    })?;
    let json = value.json().map_err(|e| {
        vec![Evidence::new(
            "evaluation_error",
            format!("the evidence expression gave a value that is not plain data: {e}"),
        )]
    })?;
    Ok(match json {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Null => Vec::new(),
        other => vec![other],
    })
}

fn error_result(reason: String) -> RuleResult {
    RuleResult {
        outcome: Outcome::Error,
        message: Text {
            de: format!("Die Prüfung konnte nicht ausgewertet werden: {reason}").into(),
            en: format!("The check could not be evaluated: {reason}").into(),
        },
        evidence: Vec::new(),
        rule: None,
    }
}

/// Turns the items of an `evidence` expression ([`evidence_items`]) into
/// evidence: a list of maps `{kind, value, location?, value_de?,
/// location_de?}` (a single map or plain strings are accepted too). A record
/// locator as `location` (`line 4`) gets its German wording ([`locator_de`])
/// when `location_de` is not given.
pub(crate) fn items_to_evidence(items: Vec<serde_json::Value>) -> Vec<Evidence> {
    finish_evidence(items.into_iter().map(item_to_evidence).collect())
}

/// What [`items_to_evidence`] does after converting each item: the stable
/// order, at most [`MAX_EVIDENCE`] items.
pub(crate) fn finish_evidence(mut evidence: Vec<Evidence>) -> Vec<Evidence> {
    in_stable_order(&mut evidence);
    evidence.truncate(MAX_EVIDENCE);
    evidence
}

/// One evidence item converted as [`items_to_evidence`] converts it, and
/// whether its German location is derived from its location (none given).
pub(crate) fn item_evidence(item: &serde_json::Value) -> (Evidence, bool) {
    let derived = match item.get("location_de") {
        Some(serde_json::Value::String(s)) => s.is_empty(),
        Some(serde_json::Value::Null) | None => true,
        Some(_) => false,
    };
    (item_to_evidence(item.clone()), derived)
}

/// Sorts each run of consecutive items of one kind by value and location.
/// CEL keeps maps in hash maps, so an expression iterating a map (such as the
/// entitlements) gives its items in a different order on every run; sorting
/// them makes a report the same on every run, and keeps the order of kinds a
/// check author chose.
pub(crate) fn in_stable_order(evidence: &mut [Evidence]) {
    sort_runs_of_a_kind(
        evidence,
        |a, b| a.kind == b.kind,
        |a, b| (&a.value, &a.location, &a.value_de).cmp(&(&b.value, &b.location, &b.value_de)),
    );
}

/// Sorts each run of consecutive items of one kind (`same_kind`) with
/// `order`, as [`in_stable_order`] sorts evidence (a stable sort).
pub(crate) fn sort_runs_of_a_kind<T>(
    items: &mut [T],
    same_kind: impl Fn(&T, &T) -> bool,
    mut order: impl FnMut(&T, &T) -> std::cmp::Ordering,
) {
    let mut start = 0;
    while start < items.len() {
        let first = &items[start];
        let len = items[start..]
            .iter()
            .take_while(|e| same_kind(first, e))
            .count();
        items[start..start + len].sort_by(&mut order);
        start += len;
    }
}

fn item_to_evidence(item: serde_json::Value) -> Evidence {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    match item {
        serde_json::Value::Object(map) => {
            let location = map.get("location").map(text).filter(|s| !s.is_empty());
            let location_de = map
                .get("location_de")
                .map(text)
                .filter(|s| !s.is_empty())
                .or_else(|| location.as_deref().and_then(locator_de));
            Evidence {
                kind: map
                    .get("kind")
                    .map(text)
                    .unwrap_or_else(|| "value".to_string()),
                value: map.get("value").map(text).unwrap_or_default(),
                location,
                value_de: map.get("value_de").map(text).filter(|s| !s.is_empty()),
                location_de,
            }
        }
        other => Evidence::new("value", text(&other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(expr: &str, facts: serde_json::Value) -> Result<Value, String> {
        let ctx = TargetContext::new(&facts, "2026-11-23");
        let scope = ctx.scope(json_to_cel(&json!({"max": 90})));
        compile(expr)?.execute(&scope).map_err(|e| e.to_string())
    }

    fn to_evidence(v: Value) -> Vec<Evidence> {
        items_to_evidence(evidence_items(Ok(v), 1).unwrap())
    }

    #[test]
    fn facts_and_params_are_usable() {
        let facts = json!({"kind": "android", "n": 120, "opt": null,
            "sdks": [{"category": "crash_reporting", "collection_default": "enabled", "name": "X"}]});
        assert_eq!(
            eval("facts.n > params.max", facts.clone()),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval("facts.opt == null", facts.clone()),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval("has(facts.missing)", facts.clone()),
            Ok(Value::Bool(false))
        );
        assert_eq!(
            eval(
                r#"facts.sdks.exists(s, has(s.collection_default) && s.collection_default == "enabled")"#,
                facts.clone()
            ),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval(r#"int("15.2".split(".")[0]) < 16"#, facts.clone()),
            Ok(Value::Bool(true))
        );
        assert_eq!(
            eval(r#"as_of == "2026-11-23""#, facts.clone()),
            Ok(Value::Bool(true))
        );
        assert!(eval("facts.missing == 1", facts).is_err());
    }

    #[test]
    fn evidence_from_a_map_comes_in_the_same_order_on_every_run() {
        let facts = json!({"ents": {"b.key": true, "a.key": true, "d.key": true, "c.key": true}});
        let expr = r#"[{"kind": "field", "value": "first"}] + facts.ents.filter(k, k.endsWith(".key")).map(k, {"kind": "entitlement", "value": k})"#;
        let values = |v: &Value| {
            to_evidence(v.clone())
                .into_iter()
                .map(|e| e.value)
                .collect::<Vec<_>>()
        };
        let got = values(&eval(expr, facts).unwrap());
        assert_eq!(got, ["first", "a.key", "b.key", "c.key", "d.key"]);
    }

    #[test]
    fn evidence_maps_become_evidence() {
        let facts = json!({"sdks": [{"name": "Sentry", "switch": "io.sentry.auto-init = true"}]});
        let v = eval(r#"facts.sdks.map(s, {"kind": "sdk", "value": s.name + " — " + s.switch, "location": "AndroidManifest.xml"})"#, facts).unwrap();
        let ev = to_evidence(v);
        assert_eq!(
            ev,
            vec![Evidence::new("sdk", "Sentry — io.sentry.auto-init = true")
                .at("AndroidManifest.xml")]
        );
    }

    #[test]
    fn deep_json_is_cut_not_overflowed() {
        let mut v = json!(1);
        for _ in 0..200 {
            v = json!([v]);
        }
        let _ = json_to_cel(&v);
    }
}
