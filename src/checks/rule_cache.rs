//! Evaluating device checks once per distinct input.
//!
//! A fleet has few distinct combinations of the facts a rule reads: 100,000
//! devices share a handful of OS versions, patch levels and states. Each
//! program of a device check (a rule's `when` and `evidence`) is analysed once
//! for the fact paths it reads (`facts.os_support.note`, and `facts.sdks` as a
//! whole when a comprehension iterates it); its value for a device is cached
//! under the values of exactly those paths. Only a program that reads `facts`
//! as a whole object, or shadows it, is never cached.
//!
//! The device's `record` (`record 61`) is in most evidence, as its location,
//! and differs on every device. Where every program passes it through
//! untouched (as a map or list element, a branch of `?:`, an operand of `+`),
//! programs run with a placeholder in its place that no other text of the
//! device contains, and the placeholder is replaced by the device's record in
//! the evidence items before they become [`crate::facts::Evidence`] (so a
//! German locator and the sort order come out as without the cache). Where
//! the items' order comes out the same whatever the record, they are also
//! kept in that order as [`SharedEvidence`]: a store's device record is
//! written straight from them ([`RuleCache::run_shared`]), without making the
//! items' texts for every device. A
//! program that errs is never cached: its device is evaluated without the
//! cache, so an error message names the real values.
//!
//! Each thread of the pool looks values up in a map of its own, so the cores
//! never take turns at a lock or a reference count; a value another thread
//! already has is copied over instead of evaluated again. The cache is
//! bounded ([`MAX_BYTES`], copies included); once full, programs are
//! evaluated for each device again. Results are the same with and without
//! the cache (`tests/check_cache.rs` compares both on the sample
//! inventories and a generated fleet).

use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use std::sync::{Arc, LazyLock, Mutex};

use cel::common::ast::{EntryExpr, Expr};
use cel::IdedExpr;
use serde_json::Value as Json;

use super::cel::{
    evidence_items, finish_evidence, item_evidence, items_to_evidence, no_rule_matched,
    sort_runs_of_a_kind, when_of, Program, RuleResult, TargetContext, When, MAX_EVIDENCE,
};
use super::def::{Check, Rule};
use super::target_facts::{KeyParts, PathTree, TargetFacts};
use crate::assess::shared_evidence::{SharedEvidence, SharedItem, SharedText};
use crate::facts::{locator_de, Evidence};

/// Bytes (keys and cached evidence, estimated) the cache of an evaluator holds at most.
pub const MAX_BYTES: usize = 8 << 20;

/// Stands for the device's record while programs run. `<` occurs only at its
/// start, so an occurrence can never overlap another one or text around it.
const PLACEHOLDER: &str = "<msgaudit:record:9c41e7b2d05f3a68>";

/// Finds [`PLACEHOLDER`] in bytes (made once, not for every search).
static FIND_PLACEHOLDER: LazyLock<memchr::memmem::Finder<'static>> =
    LazyLock::new(|| memchr::memmem::Finder::new(PLACEHOLDER));

/// Whether [`PLACEHOLDER`] occurs in `bytes`.
fn holds_placeholder_text(bytes: &[u8]) -> bool {
    FIND_PLACEHOLDER.find(bytes).is_some()
}

/// The fact paths one program reads; `None` when it cannot be cached.
#[derive(Debug, Clone, Default, PartialEq)]
struct Reads {
    paths: Vec<Vec<String>>,
    /// Per path, its number among the distinct paths of all programs
    /// (set by [`RuleCache::new`]; a device's key part of a path is made once).
    ids: Vec<usize>,
    /// `facts` itself is read as a value, or a comprehension variable shadows it.
    whole: bool,
    /// `facts.record` is read other than passed through untouched.
    record_used: bool,
    /// `facts.record` is passed through untouched.
    record_passed: bool,
}

impl Reads {
    fn of(program: &Program) -> Reads {
        let mut reads = Reads::default();
        reads.visit(program.expression(), true);
        reads.paths.sort();
        reads.paths.dedup();
        reads
    }

    /// Collects the reads of `e`; `pass` says whether its value is passed
    /// through untouched into the program's value.
    fn visit(&mut self, e: &IdedExpr, pass: bool) {
        if let Some((path, test)) = facts_path(e) {
            if path.is_empty() {
                self.whole = true;
            } else if path.len() == 1 && path[0] == "record" && pass && !test {
                // Passed through: replaced by the placeholder.
                self.record_passed = true;
            } else {
                if path[0] == "record" {
                    self.record_used = true;
                }
                self.paths.push(path);
            }
            return;
        }
        match &e.expr {
            Expr::Call(call) => {
                let through = |i: usize| match call.func_name.as_str() {
                    "_+_" => pass,
                    "_?_:_" => pass && i > 0,
                    _ => false,
                };
                if let Some(t) = &call.target {
                    self.visit(t, false);
                }
                for (i, a) in call.args.iter().enumerate() {
                    self.visit(a, through(i));
                }
            }
            Expr::Comprehension(c) => {
                let binds_facts = [Some(&c.iter_var), c.iter_var2.as_ref(), Some(&c.accu_var)]
                    .into_iter()
                    .flatten()
                    .any(|v| v == "facts");
                if binds_facts {
                    self.whole = true;
                }
                for x in [
                    &c.iter_range,
                    &c.accu_init,
                    &c.loop_cond,
                    &c.loop_step,
                    &c.result,
                ] {
                    self.visit(x, false);
                }
            }
            Expr::List(l) => {
                for x in &l.elements {
                    self.visit(x, pass);
                }
            }
            Expr::Map(m) => {
                for entry in &m.entries {
                    self.visit_entry(&entry.expr, pass);
                }
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    self.visit_entry(&entry.expr, false);
                }
            }
            Expr::Select(s) => self.visit(&s.operand, false),
            Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
        }
    }

    fn visit_entry(&mut self, entry: &EntryExpr, pass: bool) {
        match entry {
            EntryExpr::MapEntry(m) => {
                self.visit(&m.key, false);
                self.visit(&m.value, pass);
            }
            EntryExpr::StructField(f) => self.visit(&f.value, false),
        }
    }
}

/// When `e` is `facts` or a chain of field selections on it, the fields
/// (empty for `facts` itself) and whether the last is a `has()` test.
pub(super) fn facts_path(e: &IdedExpr) -> Option<(Vec<String>, bool)> {
    let mut fields = Vec::new();
    let mut test = false;
    let mut at = e;
    loop {
        match &at.expr {
            Expr::Ident(name) if name == "facts" => break,
            Expr::Select(s) => {
                // Only the outermost selection can be a `has()` test.
                test |= s.test && fields.is_empty();
                fields.push(s.field.clone());
                at = &s.operand;
            }
            _ => return None,
        }
    }
    fields.reverse();
    Some((fields, test))
}

/// A cached program: the paths it reads and its values by their values.
struct Slot<V> {
    reads: Option<Reads>,
    /// By key, one map per thread of the pool (and one for other threads):
    /// looked up for every rule of every device, so a thread reads and
    /// writes only its own map (no lock or reference count shared between
    /// cores), hashed with foldhash (seeded per run) rather than SipHash.
    shards: Box<[Shard<V>]>,
}

/// One thread's values of a [`Slot`], each with the bytes it was counted
/// for in the budget; on cache lines of its own.
#[repr(align(128))]
struct Shard<V>(Mutex<Values<V>>);

/// Values by key, each with its size in the budget.
type Values<V> = foldhash::HashMap<Box<[u8]>, (V, usize)>;

/// A value a thread can take from another thread's [`Shard`] without sharing
/// anything with it afterwards.
trait Unshared {
    /// A copy that shares no reference count with `self`.
    fn unshared(&self) -> Self;
}

impl Unshared for Cached {
    fn unshared(&self) -> Self {
        *self
    }
}

impl Unshared for Items {
    fn unshared(&self) -> Self {
        self.as_ref().map(|items| {
            let mut copy = CachedItems::clone(items);
            copy.shared = copy.shared.map(|s| Arc::new(SharedEvidence::clone(&s)));
            Arc::new(copy)
        })
    }
}

impl<V: Clone + Unshared> Slot<V> {
    /// The slot of `program` (`None`: it does not compile, and is never
    /// cached, so that running it reports why).
    fn new(program: Option<&Program>, source: &str) -> Slot<V> {
        let reads = program
            .map(Reads::of)
            .filter(|reads| !reads.whole && !source.contains(PLACEHOLDER));
        Slot::reading(reads)
    }

    /// A slot keyed by the values of the paths `reads` names (`None`: never
    /// cached).
    fn reading(reads: Option<Reads>) -> Slot<V> {
        // The pool's threads, and one map for any other thread.
        let shards = (0..=rayon::current_num_threads())
            .map(|_| Shard(Mutex::new(foldhash::HashMap::default())))
            .collect();
        Slot { reads, shards }
    }

    /// Makes a passed-through record part of the key (when it is not replaced).
    fn add_record_path(&mut self) {
        if let Some(reads) = self.reads.as_mut().filter(|r| r.record_passed) {
            reads.paths.push(vec!["record".to_string()]);
            reads.paths.sort();
            reads.paths.dedup();
        }
    }

    /// The map of the calling thread.
    fn own(&self) -> (usize, &Shard<V>) {
        let at = rayon::current_thread_index().map_or(0, |i| i + 1) % self.shards.len();
        (at, &self.shards[at])
    }

    /// The value under `key`: from the calling thread's map, or else copied
    /// into it from another thread's (so it is evaluated about once per run;
    /// the copy counts against `budget` like the value did).
    fn get(&self, key: &[u8], budget: &AtomicUsize) -> Option<V> {
        let (at, own) = self.own();
        if let Some((v, _)) = own.0.lock().ok()?.get(key) {
            return Some(v.clone());
        }
        let (found, size) = self
            .shards
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != at)
            .find_map(|(_, other)| {
                let values = other.0.lock().ok()?;
                values.get(key).map(|(v, size)| (v.unshared(), *size))
            })?;
        if take_budget(budget, size) {
            if let Ok(mut values) = own.0.lock() {
                values.insert(key.into(), (found.clone(), size));
            }
        }
        Some(found)
    }

    fn put(&self, key: &[u8], value: V, size: usize, budget: &AtomicUsize) {
        let size = size + key.len() + 64;
        if !take_budget(budget, size) {
            return;
        }
        if let Ok(mut values) = self.own().1 .0.lock() {
            values.insert(key.into(), (value, size));
        }
    }
}

/// Takes `size` bytes from `budget`; `false` (and nothing taken) when it
/// would exceed [`MAX_BYTES`].
fn take_budget(budget: &AtomicUsize, size: usize) -> bool {
    if budget.fetch_add(size, Ordering::Relaxed) + size > MAX_BYTES {
        budget.fetch_sub(size, Ordering::Relaxed);
        return false;
    }
    true
}

/// What a rule's `when` gave for one set of values: cached only when it
/// could be evaluated.
#[derive(Debug, Clone, Copy)]
enum Cached {
    Holds,
    Fails,
    /// Evaluated only for the real device (its error names real values).
    Uncached,
}

/// The evidence of a rule for one set of values, or `None` when evaluated
/// only for the real device.
type Items = Option<Arc<CachedItems>>;

/// Evidence items with the placeholder for the record: as the program gave
/// them, converted to [`Evidence`] once (when the record can be put
/// into the converted items: see [`Template::of`]), and in their final
/// order (when the order does not depend on the record: see [`shared_of`]).
#[derive(Clone)]
struct CachedItems {
    raw: Box<[Json]>,
    template: Option<Box<[Template]>>,
    shared: Option<Arc<SharedEvidence>>,
}

/// A text of a converted item, the record left open where the placeholder
/// is (never [`SharedText::RecordDe`]).
fn open_text(text: String) -> SharedText {
    if holds_placeholder_text(text.as_bytes()) {
        SharedText::Record(text.split(PLACEHOLDER).map(Box::from).collect())
    } else {
        SharedText::Plain(text.into_boxed_str())
    }
}

/// One evidence item converted with the placeholder in it.
#[derive(Clone)]
struct Template {
    kind: SharedText,
    value: SharedText,
    location: Option<SharedText>,
    value_de: Option<SharedText>,
    location_de: Option<SharedText>,
    /// The German location is derived from the location (none was given).
    derived_de: bool,
}

impl Template {
    /// The converted `items`, when putting a (non-empty) record into them
    /// gives what converting the items with the record in them gives: the
    /// placeholder occurs only in texts the conversion copies (an item that
    /// is a text, or a text field of an item), not inside a value written
    /// out as JSON (which would escape the record).
    fn of(items: &[Json]) -> Option<Box<[Template]>> {
        items
            .iter()
            .map(|item| {
                let copied = match item {
                    Json::Object(map) => map.iter().all(|(k, v)| {
                        !k.contains(PLACEHOLDER)
                            && (matches!(v, Json::String(_)) || !holds_placeholder(v))
                    }),
                    Json::String(_) => true,
                    other => !holds_placeholder(other),
                };
                copied.then(|| {
                    let (e, derived_de) = item_evidence(item);
                    Template {
                        kind: open_text(e.kind),
                        value: open_text(e.value),
                        location: e.location.map(open_text),
                        value_de: e.value_de.map(open_text),
                        location_de: e.location_de.map(open_text),
                        derived_de,
                    }
                })
            })
            .collect()
    }

    /// The item with `record` for the placeholder; `record_de` is the
    /// German wording of `record` (asked for only when needed).
    fn fill(&self, record: &str, record_de: &mut impl FnMut() -> Option<String>) -> Evidence {
        // A template's texts are plain or hold the record: always filled.
        let fill = |t: &SharedText| t.fill(record, None).unwrap_or_default();
        let location = self.location.as_ref().map(fill);
        let location_de = if self.derived_de {
            match (&self.location, &location) {
                (Some(part), Some(_)) if part.is_record() => record_de(),
                (_, Some(l)) => locator_de(l),
                (_, None) => None,
            }
        } else {
            self.location_de.as_ref().map(fill)
        };
        Evidence {
            kind: fill(&self.kind),
            value: fill(&self.value),
            location,
            value_de: self.value_de.as_ref().map(fill),
            location_de,
        }
    }
}

/// Whether the placeholder occurs anywhere in `v` (texts and keys).
fn holds_placeholder(v: &Json) -> bool {
    match v {
        Json::String(s) => s.contains(PLACEHOLDER),
        Json::Array(items) => items.iter().any(holds_placeholder),
        Json::Object(map) => map
            .iter()
            .any(|(k, x)| k.contains(PLACEHOLDER) || holds_placeholder(x)),
        _ => false,
    }
}

/// The items of `templates` as [`SharedEvidence`], in the order the
/// conversion sorts them into ([`finish_evidence`]) whatever the record:
/// `None` when that order, or a German location derived from a location
/// with the record in it, depends on the record.
fn shared_of(templates: &[Template]) -> Option<SharedEvidence> {
    let mut items = templates
        .iter()
        .map(|t| {
            let SharedText::Plain(kind) = &t.kind else {
                return None;
            };
            let location_de = if t.derived_de {
                match &t.location {
                    Some(text) if text.is_record() => Some(SharedText::RecordDe),
                    Some(SharedText::Plain(l)) => {
                        locator_de(l).map(|d| SharedText::Plain(d.into()))
                    }
                    Some(_) => return None,
                    None => None,
                }
            } else {
                t.location_de.clone()
            };
            Some(SharedItem {
                kind: kind.clone(),
                value: t.value.clone(),
                location: t.location.clone(),
                value_de: t.value_de.clone(),
                location_de,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    in_order_of_any_record(&mut items)?;
    items.truncate(MAX_EVIDENCE);
    Some(SharedEvidence::new(items))
}

/// Sorts `items` as [`finish_evidence`] sorts the items they fill, when
/// every comparison the sort makes comes out the same whatever the record:
/// the sort then takes the same steps for every record, and gives every
/// device the same order. `None` when a comparison depends on the record.
fn in_order_of_any_record(items: &mut [SharedItem]) -> Option<()> {
    fn text(a: &SharedText, b: &SharedText) -> Option<std::cmp::Ordering> {
        match (a, b) {
            (SharedText::Plain(x), SharedText::Plain(y)) => Some(x.cmp(y)),
            _ if a == b => Some(std::cmp::Ordering::Equal),
            _ => None,
        }
    }
    fn optional(a: &Option<SharedText>, b: &Option<SharedText>) -> Option<std::cmp::Ordering> {
        match (a, b) {
            (Some(x), Some(y)) => text(x, y),
            _ => Some(a.is_some().cmp(&b.is_some())),
        }
    }
    let mut undecided = false;
    sort_runs_of_a_kind(
        items,
        |a, b| a.kind == b.kind,
        |a, b| {
            // As the tuple (value, location, value_de) compares: a later
            // field only where the earlier ones are equal.
            let order = (|| {
                let by_value = text(&a.value, &b.value)?;
                if by_value.is_ne() {
                    return Some(by_value);
                }
                let by_location = optional(&a.location, &b.location)?;
                if by_location.is_ne() {
                    return Some(by_location);
                }
                optional(&a.value_de, &b.value_de)
            })();
            order.unwrap_or_else(|| {
                undecided = true;
                std::cmp::Ordering::Equal
            })
        },
    );
    (!undecided).then_some(())
}

struct RuleSlots {
    when: Slot<Cached>,
    evidence: Option<Slot<Items>>,
}

/// The caches of one check's rules.
pub(crate) struct CheckCache {
    rules: Vec<RuleSlots>,
    /// Which rule holds (`None`: none does), keyed by the values of every
    /// path any rule's `when` reads: one lookup instead of one for each
    /// rule tried. `None` when one of them cannot be cached.
    holding: Option<Slot<Option<usize>>>,
    /// Values put into `holding` so far (at most [`MAX_HOLDING`]).
    holding_puts: AtomicUsize,
}

/// Values a check's `holding` keeps at most: its paths together may take
/// many combinations (OS version, patch age and days since the check-in
/// on Android devices: some 13,000 in a generated fleet of 100,000), and
/// past the most common ones a device is decided rule by rule as well (whose
/// keys take fewer), without holding memory for rare ones.
const MAX_HOLDING: usize = 2048;

impl Unshared for Option<usize> {
    fn unshared(&self) -> Self {
        *self
    }
}

/// The paths the `when` programs of `rules` read, together (with their
/// numbers); `None` when one of them cannot be cached.
fn when_reads(rules: &[RuleSlots]) -> Option<Reads> {
    let mut read: Vec<(usize, &Vec<String>)> = Vec::new();
    for rule in rules {
        let reads = rule.when.reads.as_ref()?;
        read.extend(reads.ids.iter().copied().zip(&reads.paths));
    }
    read.sort_by_key(|(id, _)| *id);
    read.dedup_by_key(|(id, _)| *id);
    Some(Reads {
        paths: read.iter().map(|(_, p)| p.to_vec()).collect(),
        ids: read.iter().map(|(id, _)| *id).collect(),
        ..Reads::default()
    })
}

/// The rule caches of an evaluator's device checks.
pub(crate) struct RuleCache {
    /// Per selected check (in the evaluator's order); `None` for checks not of devices.
    checks: Vec<Option<CheckCache>>,
    /// Whether programs run with [`PLACEHOLDER`] for the record.
    placeholder: bool,
    /// The distinct paths of all programs, by number ([`Reads::ids`]).
    paths: PathTree,
    bytes: AtomicUsize,
}

/// What [`RuleCache::run_shared`] decided.
pub(crate) struct Decided {
    /// The result; its evidence is empty when `shared` holds it.
    pub(crate) result: RuleResult,
    /// The evidence, shared with every device the rule decided alike.
    pub(crate) shared: Option<Arc<SharedEvidence>>,
}

impl From<RuleResult> for Decided {
    fn from(result: RuleResult) -> Decided {
        Decided {
            result,
            shared: None,
        }
    }
}

thread_local! {
    /// The buffers of the last device's [`Contexts`] on this thread (key
    /// parts and key), taken by the next: a fleet's devices need buffers of
    /// about the same size, which are then not allocated and grown again
    /// for each device.
    static SCRATCH: std::cell::Cell<(KeyParts, Vec<u8>)> =
        std::cell::Cell::new((KeyParts::default(), Vec::new()));
}

impl Drop for Contexts<'_> {
    fn drop(&mut self) {
        let buffers = (
            std::mem::take(&mut self.parts),
            std::mem::take(&mut self.key),
        );
        // A thread being torn down has no scratch left to keep them in.
        let _ = SCRATCH.try_with(|s| s.set(buffers));
    }
}

/// The contexts of one device, made when a program has to run.
pub(crate) struct Contexts<'f> {
    facts: &'f TargetFacts<'f>,
    as_of: &'f str,
    placeholder: Option<TargetContext>,
    real: Option<TargetContext>,
    /// The key parts of all paths (by path number), once a key is asked
    /// for ([`Contexts::parts_made`]); the buffers are the thread's
    /// [`SCRATCH`], taken back when the contexts are dropped.
    parts: KeyParts,
    /// Whether `parts` are written for this device.
    parts_made: bool,
    /// Whether [`PLACEHOLDER`] occurs in any key part.
    parts_hold_placeholder: bool,
    /// The buffer keys are made in (kept for the device's next check).
    key: Vec<u8>,
    /// The German wording of the device's record, once asked for.
    record_de: Option<Option<String>>,
}

impl<'f> Contexts<'f> {
    /// The device `facts`, with nothing converted to CEL yet.
    pub(crate) fn new(facts: &'f TargetFacts<'f>, as_of: &'f str) -> Contexts<'f> {
        let (parts, key) = SCRATCH.with(|s| s.take());
        Contexts {
            facts,
            as_of,
            placeholder: None,
            real: None,
            parts,
            parts_made: false,
            parts_hold_placeholder: false,
            key,
            record_de: None,
        }
    }

    /// The key parts of the device's facts for every path of `paths`,
    /// made (in one pass) the first time a key is asked for.
    fn key_parts(&mut self, paths: &PathTree) -> &KeyParts {
        if !self.parts_made {
            self.facts.write_key_parts(paths, &mut self.parts);
            self.parts_hold_placeholder = holds_placeholder_text(self.parts.bytes());
            self.parts_made = true;
        }
        &self.parts
    }

    /// The device's record, as shared evidence takes it.
    pub(crate) fn record(&self) -> &'f str {
        self.facts.record().unwrap_or_default()
    }

    /// The German wording of the device's record, when shared evidence
    /// asked for it.
    pub(crate) fn record_de(&self) -> Option<&str> {
        self.record_de.as_ref().and_then(Option::as_deref)
    }

    /// The context with the device's real facts.
    pub(crate) fn real(&mut self) -> &TargetContext {
        let (facts, as_of) = (self.facts, self.as_of);
        self.real
            .get_or_insert_with(|| TargetContext::new(facts.json(), as_of))
    }

    fn for_cache(&mut self, placeholder: bool) -> &TargetContext {
        if !placeholder {
            return self.real();
        }
        let (facts, as_of) = (self.facts, self.as_of);
        self.placeholder.get_or_insert_with(|| {
            TargetContext::with_string_field(facts.json(), as_of, "record", PLACEHOLDER)
        })
    }
}

impl RuleCache {
    /// Analyses the programs of `checks` (`None` for a check not cached).
    pub(crate) fn new(checks: &[Option<&Check>]) -> RuleCache {
        // In parallel: analysing a built-in check compiles its programs.
        let cached: Vec<Option<CheckCache>> = checks
            .par_iter()
            .map(|c| {
                c.map(|check| CheckCache {
                    rules: check
                        .rules
                        .iter()
                        .map(|r| RuleSlots {
                            when: Slot::new(r.when_program().ok(), &r.when),
                            evidence: r.evidence_program().map(|p| {
                                Slot::new(p.ok(), r.evidence.as_deref().unwrap_or_default())
                            }),
                        })
                        .collect(),
                    holding: None,
                    holding_puts: AtomicUsize::new(0),
                })
            })
            .collect();
        let reads = || {
            cached
                .iter()
                .flatten()
                .flat_map(|c| &c.rules)
                .flat_map(|r| {
                    std::iter::once(&r.when.reads).chain(r.evidence.as_ref().map(|e| &e.reads))
                })
                .flatten()
        };
        let placeholder = !reads().any(|r| r.record_used);
        let mut cache = RuleCache {
            checks: cached,
            placeholder,
            paths: PathTree::default(),
            bytes: AtomicUsize::new(0),
        };
        if !placeholder {
            // The record is a value some program reads: it is part of the key
            // of every program that reads it at all.
            for rule in cache.checks.iter_mut().flatten().flat_map(|c| &mut c.rules) {
                rule.when.add_record_path();
                if let Some(e) = &mut rule.evidence {
                    e.add_record_path();
                }
            }
        }
        let mut distinct: Vec<Vec<String>> = Vec::new();
        for rule in cache.checks.iter_mut().flatten().flat_map(|c| &mut c.rules) {
            let evidence = rule.evidence.as_mut().and_then(|e| e.reads.as_mut());
            for reads in rule.when.reads.as_mut().into_iter().chain(evidence) {
                reads.ids = reads
                    .paths
                    .iter()
                    .map(|p| match distinct.iter().position(|d| d == p) {
                        Some(id) => id,
                        None => {
                            distinct.push(p.clone());
                            distinct.len() - 1
                        }
                    })
                    .collect();
            }
        }
        for check in cache.checks.iter_mut().flatten() {
            check.holding = when_reads(&check.rules).map(|reads| Slot::reading(Some(reads)));
        }
        cache.paths = PathTree::new(distinct);
        cache
    }

    /// Runs selected check number `at` (`check`, with `params`) on the device
    /// of `ctx`, from the cache where it can; the same result as
    /// [`TargetContext::run_with`] on the device's facts.
    pub(crate) fn run(
        &self,
        at: usize,
        check: &Check,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
    ) -> RuleResult {
        self.decide(at, check, params, ctx, false).result
    }

    /// [`RuleCache::run`], but the evidence of a cached rule whose order does
    /// not depend on the record is given as shared items ([`Decided::shared`],
    /// the result's own evidence left empty), for the device's record to be
    /// put in where they are written ([`Contexts::record`],
    /// [`Contexts::record_de`]).
    pub(crate) fn run_shared(
        &self,
        at: usize,
        check: &Check,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
    ) -> Decided {
        self.decide(at, check, params, ctx, true)
    }

    fn decide(
        &self,
        at: usize,
        check: &Check,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
        share: bool,
    ) -> Decided {
        let mut key = std::mem::take(&mut ctx.key);
        let decided = self.run_keyed(at, check, params, ctx, &mut key, share);
        ctx.key = key;
        decided
    }

    /// [`RuleCache::decide`], making keys in `key`: which rule holds from
    /// the check's own cache when its `when` programs can all be cached (one
    /// lookup under the values of every path any of them reads), else rule
    /// by rule; then that rule's evidence from its own cache.
    fn run_keyed(
        &self,
        at: usize,
        check: &Check,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
        key: &mut Vec<u8>,
        share: bool,
    ) -> Decided {
        let record = ctx.facts.record();
        let cache = match (self.checks.get(at).and_then(Option::as_ref), record) {
            (Some(c), Some(_)) if c.rules.len() == check.rules.len() => c,
            (Some(c), None) if !self.placeholder && c.rules.len() == check.rules.len() => c,
            _ => return ctx.real().run_with(check, params.clone()).into(),
        };
        let record = record.unwrap_or_default();
        let found = match &cache.holding {
            Some(slot) => match self.key(slot, ctx, key) {
                Some(()) => slot.get(key, &self.bytes),
                None => None,
            },
            None => None,
        };
        let holding = match found {
            Some(holding) => holding,
            None => {
                let Some(holding) = self.rule_by_rule(check, cache, params, ctx, key) else {
                    return ctx.real().run_with(check, params.clone()).into();
                };
                if let Some(slot) = &cache.holding {
                    let room = cache.holding_puts.fetch_add(1, Ordering::Relaxed) < MAX_HOLDING;
                    if room && self.key(slot, ctx, key).is_some() {
                        slot.put(key, holding, 0, &self.bytes);
                    }
                }
                holding
            }
        };
        let Some(index) = holding else {
            return no_rule_matched().into();
        };
        let (Some(rule), Some(slots)) = (check.rules.get(index - 1), cache.rules.get(index - 1))
        else {
            return ctx.real().run_with(check, params.clone()).into();
        };
        let items = match (rule.evidence_program(), &slots.evidence) {
            (Some(Ok(program)), Some(slot)) => {
                let items = self
                    .key(slot, ctx, key)
                    .and_then(|()| self.evidence(program, slot, index, params, ctx, key));
                let Some(items) = items else {
                    return ctx.real().run_with(check, params.clone()).into();
                };
                Some(items)
            }
            // A program that does not compile: run without the cache, which says so.
            (Some(Err(_)), _) => return ctx.real().run_with(check, params.clone()).into(),
            _ => None,
        };
        self.finish(rule, index, items.as_ref(), ctx, share, record)
    }

    /// The number of the first rule of `check` whose `when` holds (`None`:
    /// none does), each `when` from its rule's cache; `None` when a program
    /// has to run on the real facts (it errs, or cannot be cached for this
    /// device).
    fn rule_by_rule(
        &self,
        check: &Check,
        cache: &CheckCache,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
        key: &mut Vec<u8>,
    ) -> Option<Option<usize>> {
        for (i, (rule, slots)) in check.rules.iter().zip(&cache.rules).enumerate() {
            let index = i + 1;
            let when = match self.key(&slots.when, ctx, key) {
                None => Cached::Uncached,
                Some(()) => match slots.when.get(key, &self.bytes) {
                    Some(c) => c,
                    None => {
                        let scope = ctx.for_cache(self.placeholder).scope(params.clone());
                        let c = match when_of(rule.run_when(&scope), index) {
                            When::Holds => Cached::Holds,
                            When::Fails => Cached::Fails,
                            When::Error(_) => Cached::Uncached,
                        };
                        slots.when.put(key, c, 0, &self.bytes);
                        c
                    }
                },
            };
            match when {
                Cached::Fails => continue,
                Cached::Uncached => return None,
                Cached::Holds => return Some(Some(index)),
            }
        }
        Some(None)
    }

    /// The evidence items of rule number `index` (whose evidence `program`
    /// is cached in `slot`, under `key`), from the cache or run; `None` when
    /// the program errs (it is run on the real facts, to say so).
    fn evidence(
        &self,
        program: &Program,
        slot: &Slot<Items>,
        index: usize,
        params: &cel::Value,
        ctx: &mut Contexts<'_>,
        key: &[u8],
    ) -> Items {
        if let Some(items) = slot.get(key, &self.bytes) {
            return items;
        }
        let scope = ctx.for_cache(self.placeholder).scope(params.clone());
        let items = evidence_items(program.execute(&scope), index)
            .ok()
            .map(|raw| {
                let template = Template::of(&raw);
                let shared = template.as_deref().and_then(shared_of).map(Arc::new);
                Arc::new(CachedItems {
                    raw: raw.into_boxed_slice(),
                    template,
                    shared,
                })
            });
        // The converted and the shared items are each about as large again.
        let size = items.as_ref().map_or(0, |i| {
            3 * i.raw.iter().map(|v| v.to_string().len()).sum::<usize>()
        });
        slot.put(key, items.clone(), size, &self.bytes);
        items
    }

    /// The result of `rule` (number `index`) for the device of `ctx` (whose
    /// record is `record`): its cached evidence items (`None`: it has no
    /// evidence program) with the record put in, or (with `share`) left
    /// shared for the store to put it in.
    fn finish(
        &self,
        rule: &Rule,
        index: usize,
        items: Option<&Arc<CachedItems>>,
        ctx: &mut Contexts<'_>,
        share: bool,
        record: &str,
    ) -> Decided {
        let evidence = match items {
            None => Vec::new(),
            Some(items) => match (&items.template, &items.shared) {
                // Left to the store to write with the record put in.
                (_, Some(shared)) if share && self.placeholder && !record.is_empty() => {
                    if shared.needs_record_de() {
                        ctx.record_de.get_or_insert_with(|| locator_de(record));
                    }
                    return Decided {
                        result: RuleResult {
                            outcome: rule.outcome,
                            message: rule.message.clone(),
                            evidence: Vec::new(),
                            rule: Some(index),
                        },
                        shared: Some(Arc::clone(shared)),
                    };
                }
                // An empty record would empty texts the conversion keeps.
                (Some(template), _) if !record.is_empty() || !self.placeholder => {
                    // Without the placeholder, texts are kept as they are.
                    let record = if self.placeholder {
                        record
                    } else {
                        PLACEHOLDER
                    };
                    let memo = &mut ctx.record_de;
                    let mut record_de = || memo.get_or_insert_with(|| locator_de(record)).clone();
                    finish_evidence(
                        template
                            .iter()
                            .map(|t| t.fill(record, &mut record_de))
                            .collect(),
                    )
                }
                _ => {
                    let items = items
                        .raw
                        .iter()
                        .map(|v| {
                            let mut v = v.clone();
                            if self.placeholder {
                                put_record(&mut v, record);
                            }
                            v
                        })
                        .collect();
                    items_to_evidence(items)
                }
            },
        };
        RuleResult {
            outcome: rule.outcome,
            message: rule.message.clone(),
            evidence,
            rule: Some(index),
        }
        .into()
    }

    /// Writes the key of `slot`'s program for `facts` into `key`; `None` when
    /// it cannot be cached (for this device).
    fn key<V>(&self, slot: &Slot<V>, ctx: &mut Contexts<'_>, key: &mut Vec<u8>) -> Option<()> {
        let reads = slot.reads.as_ref()?;
        key.clear();
        let parts = ctx.key_parts(&self.paths);
        for id in &reads.ids {
            key.extend_from_slice(parts.get(*id));
        }
        // A value holding the placeholder would be taken for the record.
        let holds_placeholder =
            self.placeholder && ctx.parts_hold_placeholder && holds_placeholder_text(key);
        (!holds_placeholder).then_some(())
    }
}

/// Replaces the placeholder by `record` in every text (and key) of `v`.
fn put_record(v: &mut Json, record: &str) {
    match v {
        Json::String(s) if s.contains(PLACEHOLDER) => *s = s.replace(PLACEHOLDER, record),
        Json::Array(items) => items.iter_mut().for_each(|x| put_record(x, record)),
        Json::Object(map) => {
            if map.keys().any(|k| k.contains(PLACEHOLDER)) {
                let old = std::mem::take(map);
                *map = old
                    .into_iter()
                    .map(|(k, mut x)| {
                        put_record(&mut x, record);
                        (k.replace(PLACEHOLDER, record), x)
                    })
                    .collect();
            } else {
                map.values_mut().for_each(|x| put_record(x, record));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(source: &str) -> Reads {
        Reads::of(&super::super::cel::compile(source).unwrap())
    }

    fn paths(r: &Reads) -> Vec<String> {
        r.paths.iter().map(|p| p.join(".")).collect()
    }

    #[test]
    fn paths_read_are_found() {
        let r = reads(
            r#"facts.platform == "android" && has(facts.os_support.note) && int(facts.patch_age_days) > int(params.max)"#,
        );
        assert_eq!(paths(&r), ["os_support.note", "patch_age_days", "platform"]);
        assert!(!r.whole && !r.record_used);
        // A comprehension reads its range whole.
        let r = reads(r#"facts.sdks.exists(s, s.name == "x")"#);
        assert_eq!(paths(&r), ["sdks"]);
        // `facts` as a value, or shadowed, cannot be cached.
        assert!(reads("size(facts) > 2").whole);
        assert!(reads("[1].exists(facts, facts == 1)").whole);
        assert!(reads(r#"facts["platform"] == "ios""#).whole);
    }

    #[test]
    fn the_record_passed_through_is_not_read() {
        let r = reads(
            r#"[{"value": "x " + facts.record + "!", "location": facts.record}, {"v": facts.a ? facts.record : "-"}]"#,
        );
        assert_eq!(paths(&r), ["a"]);
        assert!(!r.record_used);
        for used in [
            r#"facts.record == "record 1""#,
            r#"[{"value": facts.record.size()}]"#,
            r#"[{"value": facts.record != null ? "y" : "n"}]"#,
            r#"[{"value": string(facts.record)}]"#,
            r#"has(facts.record)"#,
        ] {
            assert!(reads(used).record_used, "{used}");
        }
    }

    #[test]
    fn keys_tell_values_missing_fields_and_non_objects_apart() {
        let key = |facts: serde_json::Value| {
            let mut k = Vec::new();
            let facts = TargetFacts::Json(&facts);
            facts.write_key_part(&["a".into(), "b".into()], &mut k);
            facts.write_key_part(&["c".into()], &mut k);
            k
        };
        let all = [
            serde_json::json!({"a": {"b": 1}, "c": "x"}),
            serde_json::json!({"a": {"b": 1.0}, "c": "x"}),
            serde_json::json!({"a": {"b": null}, "c": "x"}),
            serde_json::json!({"a": {}, "c": "x"}),
            serde_json::json!({"a": null, "c": "x"}),
            serde_json::json!({"c": "x"}),
            serde_json::json!({"a": {"b": 1}}),
            serde_json::json!({"a": {"b": 1}, "c": null}),
        ];
        let keys: Vec<Vec<u8>> = all.iter().cloned().map(key).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
        // Fields not read do not matter.
        assert_eq!(
            key(serde_json::json!({"a": {"b": 1, "z": 2}, "c": "x", "d": 3})),
            keys[0]
        );
    }

    #[test]
    fn the_record_is_put_back_everywhere() {
        let mut v = serde_json::json!([{"location": PLACEHOLDER, "value": format!("a {PLACEHOLDER} b"), "n": 1}]);
        put_record(&mut v, "record 7");
        assert_eq!(
            v,
            serde_json::json!([{"location": "record 7", "value": "a record 7 b", "n": 1}])
        );
    }

    /// The items converted with `record` put in, as without the cache.
    fn converted(items: &[Json], record: &str) -> Vec<Evidence> {
        items_to_evidence(
            items
                .iter()
                .map(|v| {
                    let mut v = v.clone();
                    put_record(&mut v, record);
                    v
                })
                .collect(),
        )
    }

    #[test]
    fn shared_items_fill_as_the_conversion_does() {
        let p = PLACEHOLDER;
        let mut items = vec![
            serde_json::json!({"kind": "field", "value": "b", "location": p}),
            serde_json::json!({"kind": "field", "value": "a", "location": p, "value_de": format!("a {p}")}),
            // Equal up to the record, in the same form: equal for any record.
            serde_json::json!({"kind": "field", "value": "a", "location": p, "value_de": format!("a {p}")}),
            serde_json::json!({"kind": "field", "value": "a"}),
            serde_json::json!({"kind": "os", "value": format!("{p} is old"), "location": "record 3"}),
            serde_json::json!({"kind": "os", "value": format!("{p} is old"), "location": "OS data", "location_de": format!("Daten {p}")}),
            serde_json::json!(format!("only {p}")),
        ];
        // More than a rule may give: the same items are kept.
        items.extend((0..MAX_EVIDENCE + 5).map(|i| serde_json::json!({"kind": "many", "value": format!("{:03}", 999 - i), "location": p})));
        let template = Template::of(&items).expect("texts only");
        let shared = shared_of(&template).expect("the order does not depend on the record");
        assert!(shared.needs_record_de());
        // (An empty record is never put in: the conversion drops empty
        // texts, so such a device takes the converted path.)
        for record in [
            "record 61",
            "line 2",
            "x \"y\" \\ z",
            "zzz",
            "Datensatz",
            "a",
        ] {
            let record_de = locator_de(record);
            let expected = converted(&items, record);
            assert_eq!(
                shared.fill(record, record_de.as_deref()),
                expected,
                "{record}"
            );
        }
    }

    #[test]
    fn shared_items_are_refused_where_the_record_decides_the_order() {
        let p = PLACEHOLDER;
        let refused = [
            // "record 5" sorts before "m", "zone 1" after it.
            vec![
                serde_json::json!({"kind": "k", "value": p}),
                serde_json::json!({"kind": "k", "value": "m"}),
            ],
            // Equal values; the locations are ordered by the record.
            vec![
                serde_json::json!({"kind": "k", "value": "v", "location": p}),
                serde_json::json!({"kind": "k", "value": "v", "location": "line 9"}),
            ],
            // A German location derived from a location with the record in it.
            vec![serde_json::json!({"kind": "k", "value": "v", "location": format!("x {p}")})],
            // The record in the kind.
            vec![serde_json::json!({"kind": p, "value": "v"})],
        ];
        for items in refused {
            let template = Template::of(&items).expect("texts only");
            assert!(shared_of(&template).is_none(), "{items:?}");
        }
        // The first of these really does sort differently by record.
        let first = vec![
            serde_json::json!({"kind": "k", "value": p}),
            serde_json::json!({"kind": "k", "value": "m"}),
        ];
        assert_ne!(
            converted(&first, "a")[0].value,
            converted(&first, "z")[0].value
        );
    }

    #[test]
    fn converted_items_with_the_record_put_in_equal_converting_after() {
        let p = PLACEHOLDER;
        let items = vec![
            serde_json::json!({"kind": "os", "value": "14", "location": p}),
            serde_json::json!({"kind": "os", "value": format!("a {p} b {p}"), "location": format!("x {p}"), "value_de": p}),
            serde_json::json!({"kind": "k", "value": 3, "location": p, "location_de": format!("Ort {p}")}),
            serde_json::json!({"kind": "k", "value": "v", "location": p, "location_de": ""}),
            serde_json::json!({"value": null, "location": "record 3"}),
            serde_json::json!(format!("only {p}")),
            serde_json::json!(7),
        ];
        let template = Template::of(&items).expect("texts only");
        for record in ["record 61", "line 2", "x \"y\" \\ z", "Datensatz"] {
            let expected = converted(&items, record);
            let mut memo = None;
            let mut record_de = || memo.get_or_insert_with(|| locator_de(record)).clone();
            let got = finish_evidence(
                template
                    .iter()
                    .map(|t| t.fill(record, &mut record_de))
                    .collect(),
            );
            assert_eq!(got, expected, "{record}");
        }
        // The placeholder inside a value written out as JSON: not converted ahead.
        for item in [
            serde_json::json!({"kind": "k", "value": [p]}),
            serde_json::json!({"kind": "k", "value": {"a": p}}),
            serde_json::json!([p]),
        ] {
            assert!(
                Template::of(std::slice::from_ref(&item)).is_none(),
                "{item}"
            );
        }
    }

    /// A value one thread put is found by another (copied into its own map,
    /// sharing no reference count, and counted against the budget again);
    /// with the budget spent it is still found but not copied.
    #[test]
    fn values_are_shared_between_threads_as_copies() {
        let source = r#"[facts.platform]"#;
        let program = super::super::cel::compile(source).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        // Made in the pool: a map for each of its two threads and one for others.
        let slot: Slot<Items> = pool.install(|| Slot::new(Some(&program), source));
        assert_eq!(slot.shards.len(), 3);
        let items = Some(Arc::new(CachedItems {
            raw: vec![Json::from("android")].into_boxed_slice(),
            template: None,
            shared: Some(Arc::new(SharedEvidence::new(Vec::new()))),
        }));
        let budget = AtomicUsize::new(0);
        // Put by this thread (not one of the pool's).
        slot.put(b"k", items.clone(), 100, &budget);
        let put = budget.load(Ordering::Relaxed);
        assert!(put > 100);
        let found = pool.install(|| slot.get(b"k", &budget)).flatten().unwrap();
        assert_eq!(found.raw, items.as_ref().unwrap().raw);
        assert!(!Arc::ptr_eq(&found, items.as_ref().unwrap()));
        // The shared items too: no reference count shared between threads.
        let (a, b) = (
            found.shared.as_ref(),
            items.as_ref().and_then(|i| i.shared.as_ref()),
        );
        assert!(!Arc::ptr_eq(a.unwrap(), b.unwrap()));
        assert_eq!(budget.load(Ordering::Relaxed), 2 * put);
        // The copy is now the pool thread's own: found without counting again.
        let again = pool.install(|| slot.get(b"k", &budget)).flatten().unwrap();
        assert_eq!(again.raw, found.raw);
        assert!(budget.load(Ordering::Relaxed) <= 3 * put);
        assert!(pool.install(|| slot.get(b"other", &budget)).is_none());
        // A full budget: found, not kept.
        let full: Slot<Items> = pool.install(|| Slot::new(Some(&program), source));
        let spent = AtomicUsize::new(MAX_BYTES);
        full.put(b"k", items.clone(), 100, &budget);
        let before = budget.load(Ordering::Relaxed);
        assert!(pool.install(|| full.get(b"k", &spent)).flatten().is_some());
        assert_eq!(spent.load(Ordering::Relaxed), MAX_BYTES);
        assert_eq!(budget.load(Ordering::Relaxed), before);
    }
}
