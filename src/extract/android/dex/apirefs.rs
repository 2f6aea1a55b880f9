//! API references and code patterns from the code of DEX files.
//!
//! Per DEX file: the type, method and field ids of the curated list
//! ([`ApiList`]) are resolved once, then every `code_item` of every class is
//! walked instruction by instruction ([`super::code`]); an invoke-* or field
//! access whose index is wanted records the class whose code holds it. The
//! same walk notes which types another class's code references (for the
//! "referenced" flag of code patterns) and checks the candidate methods of
//! [`super::patterns`]. Over all DEX files of an app (and its splits) the
//! results are merged in [`CodeScan`] and turned into [`CodeFacts`] by
//! [`CodeScan::finish`], which knows the app's package.

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};

use super::apilist::{ApiList, RefKind};
use super::code::{CodeTables, Operand};
use super::patterns::{candidate, matches, MethodFlags, PatternKind};
use super::{decode_mutf8, descriptor_to_dotted, DexTables};
use crate::facts::{ApiRef, CodeFacts, CodePattern};

/// Most classes listed per API reference.
pub const MAX_CLASSES_PER_API: usize = 50;
/// Most code patterns kept.
pub const MAX_PATTERNS: usize = 500;
/// Longest type descriptor or member name compared (longer ones never match).
const MAX_NAME: usize = 512;
/// No index.
const NONE: u32 = u32::MAX;

/// Results of the code scan so far, over several DEX files.
#[derive(Debug, Clone, Default)]
pub struct CodeScan {
    /// Slot → referencing classes (dotted; at most [`MAX_CLASSES_PER_API`]) and count.
    hits: BTreeMap<u32, (BTreeSet<String>, usize)>,
    /// Patterns found: kind, class descriptor, method signature.
    patterns: BTreeSet<(String, String, String)>,
    /// Hashes of the descriptors of types that some class's code references
    /// from outside the type itself.
    referenced: HashSet<u64>,
    /// DEX files of the app, files whose code was read, and problems that
    /// left code unread.
    expected: usize,
    files: usize,
    problems: usize,
    /// APKs that declare code but hold no `classes.dex`.
    missing: usize,
}

fn hash(descriptor: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    descriptor.hash(&mut h);
    h.finish()
}

/// Per-file lookup tables: what each method id, field id and type id means.
struct Resolved {
    /// Method id → slot (or NONE).
    method_slot: Vec<u32>,
    /// Field id → slot (or NONE).
    field_slot: Vec<u32>,
    /// Method id → class type id (for "referenced" bookkeeping).
    method_class: Vec<u16>,
    /// Field id → class type id.
    field_class: Vec<u16>,
    /// Method id is a Kotlin parameter null check.
    null_check: Vec<bool>,
    /// Method id is `SslErrorHandler.proceed`.
    proceed: Vec<bool>,
    /// Method id → pattern candidate kind.
    candidate: Vec<Option<PatternKind>>,
}

impl MethodFlags for Resolved {
    fn is_null_check(&self, idx: u16) -> bool {
        self.null_check
            .get(usize::from(idx))
            .copied()
            .unwrap_or(false)
    }
    fn is_proceed(&self, idx: u16) -> bool {
        self.proceed.get(usize::from(idx)).copied().unwrap_or(false)
    }
}

/// Instruction operands are 16 bits wide: only the first 65 536 ids of a
/// table can be used by code.
fn addressable(count: u32) -> u32 {
    count.min(1 << 16)
}

fn resolve(t: &CodeTables<'_, '_>, list: &ApiList) -> Resolved {
    let types = addressable(t.dex.header.type_ids_size);
    let type_class: Vec<u32> = (0..types)
        .map(|i| {
            t.short_type(i, MAX_NAME)
                .and_then(|d| list.class_of(d))
                .unwrap_or(NONE)
        })
        .collect();
    let type_is = |idx: u16, want: &[u8]| t.short_type(u32::from(idx), want.len()) == Some(want);
    let max_member = list.max_member_len().max(b"checkNotNullParameter".len());
    let methods = addressable(t.method_count()) as usize;
    let mut r = Resolved {
        method_slot: vec![NONE; methods],
        field_slot: Vec::new(),
        method_class: vec![0; methods],
        field_class: Vec::new(),
        null_check: vec![false; methods],
        proceed: vec![false; methods],
        candidate: vec![None; methods],
    };
    for i in 0..methods {
        let Some((class, proto, name_idx)) = t.method_id(i as u32) else {
            continue;
        };
        r.method_class[i] = class;
        let Some(name) = t.short_string(name_idx, MAX_NAME) else {
            continue;
        };
        if let Some(&class_no) = type_class.get(usize::from(class)) {
            if class_no != NONE && name.len() <= max_member {
                r.method_slot[i] = list
                    .slot_of(class_no, RefKind::Method, name)
                    .unwrap_or(NONE);
            }
        }
        match name {
            b"checkNotNullParameter" | b"checkParameterIsNotNull" => {
                r.null_check[i] = type_is(class, b"Lkotlin/jvm/internal/Intrinsics;");
            }
            b"proceed" => r.proceed[i] = type_is(class, b"Landroid/webkit/SslErrorHandler;"),
            b"checkServerTrusted" | b"verify" | b"onReceivedSslError" => {
                if let Some((ret, params)) = t.proto(proto) {
                    let ret = t.short_type(ret, MAX_NAME).unwrap_or_default();
                    let params: Vec<&[u8]> = params
                        .iter()
                        .map(|&p| t.short_type(u32::from(p), MAX_NAME).unwrap_or_default())
                        .collect();
                    r.candidate[i] = candidate(name, ret, &params);
                }
            }
            _ => {}
        }
    }
    let fields = addressable(t.field_count()) as usize;
    r.field_slot = vec![NONE; fields];
    r.field_class = vec![0; fields];
    for i in 0..fields {
        let Some((class, _, name_idx)) = t.field_id(i as u32) else {
            continue;
        };
        r.field_class[i] = class;
        let class_no = type_class.get(usize::from(class)).copied().unwrap_or(NONE);
        if class_no != NONE {
            if let Some(name) = t.short_string(name_idx, max_member) {
                r.field_slot[i] = list.slot_of(class_no, RefKind::Field, name).unwrap_or(NONE);
            }
        }
    }
    r
}

impl CodeScan {
    /// Notes that `n` more DEX files belong to the app: the facts are
    /// complete only when the code of each of them was read.
    pub fn expect_files(&mut self, n: usize) {
        self.expected += n;
    }

    /// Notes that an APK declares code (`android:hasCode` absent or `true`)
    /// but holds no `classes.dex`: the code Android would run is not there
    /// to read, so the facts are not complete, whatever else was read.
    pub fn code_missing(&mut self) {
        self.missing += 1;
    }

    /// Reads the code of one DEX file; problems go to `warnings`, prefixed
    /// with `label`.
    pub fn scan(&mut self, dex: &DexTables<'_>, label: &str, warnings: &mut Vec<String>) {
        self.scan_with(dex, ApiList::builtin(), label, warnings);
    }

    /// [`CodeScan::scan`] with a given API list.
    pub fn scan_with(
        &mut self,
        dex: &DexTables<'_>,
        list: &ApiList,
        label: &str,
        warnings: &mut Vec<String>,
    ) {
        self.files += 1;
        let t = match CodeTables::new(dex) {
            Ok(t) => t,
            Err(e) => {
                self.problems += 1;
                warnings.push(format!(
                    "{label}: {} table extends past the end of the file; code not read",
                    e.0
                ));
                return;
            }
        };
        let r = resolve(&t, list);
        // Code units (and class data, in 2-byte units) read; a valid file
        // holds fewer than half its size.
        let mut budget = dex.bytes.len() as u64 + (1 << 20);
        let mut referenced = vec![0u64; 1 << 10];
        let mut hits: HashSet<(u32, u32)> = HashSet::new();
        let mut found: Vec<(PatternKind, u32, u32)> = Vec::new();
        let (mut bad_classes, mut truncated, mut exhausted) = (0usize, 0usize, false);
        let mark = |bits: &mut Vec<u64>, ty: u16, own: u32| {
            if u32::from(ty) != own {
                bits[usize::from(ty) >> 6] |= 1 << (ty & 63);
            }
        };
        'classes: for i in 0..dex.header.class_defs_size {
            let Some(def) = t.class_def(i) else {
                bad_classes += 1;
                continue;
            };
            let me = def.class_idx;
            if let Some(class_no) = t
                .short_type(def.superclass_idx, MAX_NAME)
                .and_then(|d| list.class_of(d))
            {
                if let Some(slot) = list.slot_of(class_no, RefKind::Extends, b"") {
                    hits.insert((slot, me));
                }
            }
            if def.class_data_off == 0 {
                continue;
            }
            let (methods, data_len) = t.methods_with_code(def.class_data_off);
            // Class data decoded counts against the budget too (in code
            // units: half its bytes), so shared or broken items cannot
            // make this quadratic.
            budget = budget.saturating_sub(data_len as u64 / 2);
            if budget == 0 {
                exhausted = true;
                break;
            }
            let Some(methods) = methods else {
                bad_classes += 1;
                continue;
            };
            for m in methods {
                let Some(insns) = t.insns(m.code_off) else {
                    truncated += 1;
                    continue;
                };
                if insns.is_empty() {
                    continue;
                }
                budget = budget.saturating_sub(insns.len() as u64);
                if budget == 0 {
                    exhausted = true;
                    break 'classes;
                }
                let complete = insns.for_each_operand(|op| {
                    let (slots, classes, idx) = match op {
                        Operand::Method(idx) => (&r.method_slot, &r.method_class, idx),
                        Operand::Field(idx) => (&r.field_slot, &r.field_class, idx),
                        Operand::Type(ty) => return mark(&mut referenced, ty, me),
                        Operand::None => return,
                    };
                    let idx = usize::from(idx);
                    if let Some(&slot) = slots.get(idx) {
                        if slot != NONE {
                            hits.insert((slot, me));
                        }
                        mark(&mut referenced, classes[idx], me);
                    }
                });
                if !complete {
                    truncated += 1;
                }
                if let Some(kind) = r.candidate.get(m.method_idx as usize).copied().flatten() {
                    if matches(kind, insns, &r) {
                        found.push((kind, me, m.method_idx));
                    }
                }
            }
        }
        if exhausted {
            self.problems += 1;
            warnings.push(format!(
                "{label}: class data and code items overlap so much that reading stopped after the file size; API references and code patterns are incomplete"
            ));
        }
        if bad_classes + truncated > 0 {
            self.problems += 1;
            warnings.push(format!(
                "{label}: {bad_classes} class data item(s) and {truncated} code item(s) run past the end of the file or of their code; API references and code patterns are incomplete"
            ));
        }
        self.record(&t, list, hits, found, &referenced);
    }

    /// Turns one file's hits (by id) into names and merges them.
    fn record(
        &mut self,
        t: &CodeTables<'_, '_>,
        list: &ApiList,
        hits: HashSet<(u32, u32)>,
        found: Vec<(PatternKind, u32, u32)>,
        referenced: &[u64],
    ) {
        let class_name = |ty: u32| match t.short_type(ty, MAX_NAME) {
            Some(d) => descriptor_to_dotted(&decode_mutf8(d)),
            None => format!("<type {ty}>"),
        };
        for (slot, class) in hits {
            if list.slots.get(slot as usize).is_none() {
                continue;
            }
            let (classes, count) = self.hits.entry(slot).or_default();
            *count += 1;
            classes.insert(class_name(class));
            if classes.len() > MAX_CLASSES_PER_API {
                classes.pop_last();
            }
        }
        for (kind, class, method) in found {
            let desc = t
                .short_type(class, MAX_NAME)
                .map(decode_mutf8)
                .unwrap_or_else(|| format!("<type {class}>"));
            let signature = t
                .method_id(method)
                .and_then(|(_, proto, name)| {
                    let name = decode_mutf8(t.short_string(name, MAX_NAME)?);
                    let (ret, params) = t.proto(proto)?;
                    let ty = |i: u32| decode_mutf8(t.short_type(i, MAX_NAME).unwrap_or_default());
                    let params: String = params.iter().map(|&p| ty(u32::from(p))).collect();
                    Some(format!("{name}({params}){}", ty(ret)))
                })
                .unwrap_or_default();
            if self.patterns.len() < MAX_PATTERNS {
                self.patterns
                    .insert((kind.as_str().to_string(), desc, signature));
            }
        }
        for (word_no, &word) in referenced.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let ty = (word_no as u32) * 64 + bits.trailing_zeros();
                bits &= bits - 1;
                if let Some(d) = t.short_type(ty, MAX_NAME) {
                    self.referenced.insert(hash(d));
                }
            }
        }
    }

    /// Adds the results of another APK of the same app (a split).
    pub fn merge(&mut self, other: CodeScan) {
        for (slot, (classes, count)) in other.hits {
            let (mine, n) = self.hits.entry(slot).or_default();
            *n += count;
            mine.extend(classes);
            while mine.len() > MAX_CLASSES_PER_API {
                mine.pop_last();
            }
        }
        for p in other.patterns {
            if self.patterns.len() < MAX_PATTERNS {
                self.patterns.insert(p);
            }
        }
        self.referenced.extend(other.referenced);
        self.expected += other.expected;
        self.files += other.files;
        self.problems += other.problems;
        self.missing += other.missing;
    }

    /// The facts: `package` is the manifest package, `app_class` the
    /// `Application` class (both decide which classes are the app's own).
    pub fn finish(self, package: Option<&str>, app_class: Option<&str>) -> CodeFacts {
        let list = ApiList::builtin();
        let own_prefixes: Vec<String> = [
            package.map(str::to_string),
            app_class
                .and_then(|c| c.rsplit_once('.'))
                .map(|(p, _)| p.to_string()),
        ]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}."))
        .collect();
        let mut api_refs = self
            .hits
            .into_iter()
            .filter_map(|(slot, (classes, count))| {
                let s = list.slots.get(slot as usize)?;
                let e = &list.entries[s.entry];
                Some(ApiRef {
                    id: e.id.clone(),
                    api: s.api.clone(),
                    kind: s.kind.as_str().to_string(),
                    requirements: e.requirements.clone(),
                    classes: classes.into_iter().collect(),
                    class_count: count,
                    why: crate::facts::ApiWhy {
                        en: e.why.en.clone(),
                        de: e.why.de.clone(),
                    },
                })
            })
            .collect::<Vec<_>>();
        let patterns = self
            .patterns
            .into_iter()
            .map(|(kind, desc, method)| {
                let class = descriptor_to_dotted(&desc);
                CodePattern {
                    own: own_prefixes.iter().any(|p| class.starts_with(p.as_str())),
                    referenced: self.referenced.contains(&hash(desc.as_bytes())),
                    kind,
                    class,
                    method,
                }
            })
            .collect();
        api_refs.sort_by(|a, b| a.api.cmp(&b.api));
        CodeFacts {
            complete: self.files == self.expected && self.problems == 0 && self.missing == 0,
            api_refs,
            patterns,
        }
    }
}
