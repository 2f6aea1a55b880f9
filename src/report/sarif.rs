//! SARIF 2.1.0: one run, one rule per check id, one result per fail, warn,
//! manual or error outcome, each with the `kind` and `level` of
//! [`sarif_kind_level`] (a finding is `fail`, an open check `review`). The
//! mapping is documented in `docs/report.md`.

use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::appendix;
use super::common::{app_warnings, attestation_line, evidence_line_in, read_problems};
use super::fleet;
use super::i18n::{self, Label};
pub use super::sarif_fields::uri_reference;
use super::sarif_fields::{
    artifact, artifact_location, fingerprint, record_line, security_severity, severity_text,
    srcroot_base, DSK_WHITEPAPER, FINGERPRINT_KEY,
};
use super::RunExit;
use crate::assess::{Assessment, CheckResult, InputRole, Lang, Outcome, TargetAssessment, Verdict};
use crate::facts::FileInfo;

/// The `$schema` URI written into every SARIF log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the assessment as a SARIF 2.1.0 log; with `exit`, the run's
/// exit code and why become `invocations[0].exitCode` and
/// `exitCodeDescription`.
pub fn render(a: &Assessment, lang: Lang, exit: Option<RunExit>) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(a, lang, exit, &mut out)?;
    String::from_utf8(out).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Writes the SARIF log to `out`. The rules, artifacts and notifications are
/// collected in a first pass; the results are then written one target at a
/// time (a fleet's devices are read back from the store, never all held).
/// `exit` as for [`render`].
pub fn write<W: std::io::Write>(
    a: &Assessment,
    lang: Lang,
    exit: Option<RunExit>,
    out: W,
) -> std::io::Result<()> {
    let index = Index::build(a, lang)?;
    let skeleton = skeleton(a, lang, &index, exit);
    let streamed = WithResults {
        value: &skeleton,
        results: Results {
            a,
            index: &index,
            lang,
        },
    };
    serde_json::to_writer_pretty(out, &streamed).map_err(std::io::Error::from)
}

/// Marks where the streamed results array goes in the skeleton.
const RESULTS_MARK: &str = "\u{0}msgaudit:sarif-results\u{0}";

/// What the log needs to know before the results: rules (first-seen order),
/// artifacts (one per input file) and notifications (unreadable inputs, warnings,
/// notes on the exports).
struct Index {
    rule_ids: Vec<String>,
    rules: Vec<Value>,
    /// Input paths as given, one per artifact.
    artifact_paths: Vec<String>,
    /// The `artifactLocation` of each artifact (without its index).
    artifact_locations: Vec<Value>,
    artifacts: Vec<Value>,
    notifications: Vec<Value>,
    /// The working directory artifact URIs are relative to, when known.
    cwd: Option<std::path::PathBuf>,
    /// False when an input could not be read (in full) or a check could not
    /// be evaluated: `invocations[0].executionSuccessful`.
    successful: bool,
}

impl Index {
    fn build(a: &Assessment, lang: Lang) -> std::io::Result<Index> {
        let mut index = Index {
            rule_ids: Vec::new(),
            rules: Vec::new(),
            artifact_paths: Vec::new(),
            artifact_locations: Vec::new(),
            artifacts: Vec::new(),
            notifications: Vec::new(),
            cwd: std::env::current_dir().ok(),
            successful: true,
        };
        // (first result, remediation text, highest security severity of its
        // results) per rule id, in first-seen order.
        let mut firsts: Vec<(CheckResult, String, Option<f64>)> = Vec::new();
        // Per check id that could not be evaluated: its first message and
        // the number of targets, in first-seen order.
        let mut unevaluated: Vec<(String, String, usize)> = Vec::new();
        let mut visit = |t: &TargetAssessment, index: &mut Index| {
            let artifact = index.artifact(t);
            if t.verdict == Verdict::Error {
                index.successful = false;
                let mut n = json!({
                    "level": "error",
                    "message": { "text": format!("{}: {}", t.target.name,
                        read_problems(t, lang).map(|p| p.one_line()).unwrap_or_default()) },
                });
                if let Some(obj) = n.as_object_mut() {
                    let mut props = serde_json::Map::new();
                    if let Some(kind) = t.error_kind {
                        props.insert("errorKind".into(), json!(kind));
                    }
                    if let Some(unused) = t.unused_app_list {
                        props.insert("unusedAppList".into(), json!(unused));
                    }
                    if !t.unread.is_empty() {
                        props.insert("unread".into(), json!(t.unread));
                    }
                    if !props.is_empty() {
                        obj.insert("properties".into(), Value::Object(props));
                    }
                }
                if let Some(loc) = location(t, index.located(artifact)) {
                    if let Some(obj) = n.as_object_mut() {
                        obj.insert("locations".into(), json!([loc]));
                    }
                }
                index.notifications.push(n);
            }
            for r in &t.results {
                if r.outcome == Outcome::Error {
                    index.successful = false;
                    match unevaluated.iter_mut().find(|(id, _, _)| *id == r.check) {
                        Some((_, _, n)) => *n += 1,
                        None => unevaluated.push((
                            r.check.clone(),
                            i18n::text(&r.message, lang).to_string(),
                            1,
                        )),
                    }
                }
                let help = i18n::text(&r.remediation, lang);
                // Only outcomes that become results count for the severity.
                let severity =
                    sarif_kind_level(r.outcome).and_then(|_| security_severity(r.level, r.outcome));
                match index.rule_ids.iter().position(|id| *id == r.check) {
                    None => {
                        index.rule_ids.push(r.check.clone());
                        firsts.push((r.clone(), help.to_string(), severity));
                    }
                    Some(i) => {
                        if let Some((_, h, sev)) = firsts.get_mut(i) {
                            if h.trim().is_empty() {
                                *h = help.to_string();
                            }
                            *sev = match (*sev, severity) {
                                (Some(a), Some(b)) => Some(a.max(b)),
                                (a, b) => a.or(b),
                            };
                        }
                    }
                }
            }
        };
        for t in &a.targets {
            visit(t, &mut index);
        }
        for d in a.devices.iter() {
            visit(&d?, &mut index);
        }
        // A check that could not be evaluated is a failure of the run: one
        // error per check, with how many targets it could not decide.
        for (check, message, n) in unevaluated {
            let targets = match lang {
                Lang::De => format!("{n} Ziel(e)"),
                Lang::En => format!("{n} target(s)"),
            };
            let mut rule = json!({ "id": check });
            if let Some(i) = index.rule_ids.iter().position(|id| *id == check) {
                rule["index"] = json!(i);
            }
            index.notifications.push(json!({
                "level": "error",
                "message": { "text": format!("{check} ({targets}): {message}") },
                "associatedRule": rule,
                "properties": { "targets": n },
            }));
        }
        // Every export (also one whose devices were all merged into another
        // export's) and every further input the results rest on (answers,
        // OS data, compliance exports, …) is an artifact too.
        for inv in a.fleet.iter().flat_map(|f| &f.inventories) {
            index.add_file(&inv.file);
        }
        for input in &a.inputs {
            let i = index.add_file(&input.file);
            if let Some(artifact) = index.artifacts.get_mut(i) {
                artifact["roles"] = json!([input_role(input.role)]);
                artifact["description"] = json!({ "text": appendix::role(input.role, lang) });
            }
        }
        // What reading the apps met (problems that did not stop it) and what the
        // inventory exports did not say clearly.
        let apps = a.targets.iter().filter_map(|t| {
            let file = t.target.file.as_ref()?;
            Some((file.path.as_str(), app_warnings(t, lang).1))
        });
        let apps = apps.map(|(path, warnings)| (path, warnings, false));
        // An export read only in part is an input that could not be read:
        // its first warning (where reading stopped) is an error.
        let exports = a.fleet.iter().flat_map(|f| &f.inventories).map(|inv| {
            let texts = inv.warnings.iter().map(|w| w.get(lang).to_string());
            (
                inv.file.path.as_str(),
                texts.collect(),
                inv.partial.is_some(),
            )
        });
        for (path, warnings, partial) in apps.chain(exports) {
            let artifact = index.artifact_paths.iter().position(|p| *p == path);
            if partial {
                index.successful = false;
            }
            for (i, w) in warnings.into_iter().enumerate() {
                let level = if partial && i == 0 {
                    "error"
                } else {
                    "warning"
                };
                let mut n = json!({
                    "level": level,
                    "message": { "text": format!("{path}: {w}") },
                });
                if let (Some(loc), Some(obj)) = (index.located(artifact), n.as_object_mut()) {
                    obj.insert(
                        "locations".into(),
                        json!([{ "physicalLocation": { "artifactLocation": loc } }]),
                    );
                }
                index.notifications.push(n);
            }
        }
        // What the exports showed together (pages read together) is
        // information, not a warning: a note.
        for info in a.fleet.iter().flat_map(|f| &f.export_info) {
            index.notifications.push(json!({
                "level": "note",
                "message": { "text": info.get(lang) },
            }));
        }
        index.rules = firsts
            .iter()
            .map(|(r, help, severity)| rule(r, help, *severity, lang))
            .collect();
        Ok(index)
    }

    /// The artifact index of a target's file (added when new). Each APK
    /// file of an app read from loose split APKs is an artifact too
    /// ([`appendix::apk_files`]); the target's results point at its base.
    fn artifact(&mut self, t: &TargetAssessment) -> Option<usize> {
        let base = t.target.file.as_ref().map(|f| self.add_file(f));
        if !fleet::is_device(t) {
            for member in appendix::apk_files(t) {
                self.add_file(&member);
            }
        }
        base
    }

    /// The artifact index of file `f` (added when new).
    fn add_file(&mut self, f: &FileInfo) -> usize {
        if let Some(i) = self.artifact_paths.iter().position(|p| *p == f.path) {
            return i;
        }
        let location = artifact_location(&f.path, self.cwd.as_deref());
        self.artifacts.push(artifact(f, location.clone()));
        self.artifact_paths.push(f.path.clone());
        self.artifact_locations.push(location);
        self.artifact_paths.len() - 1
    }

    fn artifact_of(&self, t: &TargetAssessment) -> Option<usize> {
        let f = t.target.file.as_ref()?;
        self.artifact_paths.iter().position(|p| *p == f.path)
    }

    /// The `artifactLocation` of artifact `i`, with its index.
    fn located(&self, i: Option<usize>) -> Option<Value> {
        let i = i?;
        let mut loc = self.artifact_locations.get(i)?.clone();
        if let Some(obj) = loc.as_object_mut() {
            obj.insert("index".into(), json!(i));
        }
        Some(loc)
    }

    /// True when some artifact URI is relative to the working directory.
    fn uses_srcroot(&self) -> bool {
        self.artifact_locations
            .iter()
            .any(|l| l.get("uriBaseId").is_some())
    }
}

/// The SARIF log without its results (a mark stands where they go).
fn skeleton(a: &Assessment, lang: Lang, index: &Index, exit: Option<RunExit>) -> Value {
    let mut invocation = json!({
        "executionSuccessful": index.successful,
        "properties": {
            "profile": a.profile.id,
            "profileSource": a.profile.source,
            "asOf": a.as_of,
            "checkSetDigest": a.tool.check_set_digest,
            "reportSchemaVersion": a.schema_version,
        },
    });
    // The exit code depends on the command line (`--fail-on`,
    // `--min-score`, `--min-coverage`): only the command that computed it
    // gives it; a report rendered apart from a run has none.
    if let (Some(exit), Some(obj)) = (exit, invocation.as_object_mut()) {
        obj.insert("exitCode".into(), json!(exit.code));
        obj.insert("exitCodeDescription".into(), json!(exit.description(lang)));
    }
    if a.skipped_files > 0 {
        if let Some(props) = invocation
            .get_mut("properties")
            .and_then(Value::as_object_mut)
        {
            props.insert("skippedFiles".into(), json!(a.skipped_files));
        }
    }
    let notices = super::notice::sarif(a, lang);
    if let (false, Some(obj)) = (notices.is_empty(), invocation.as_object_mut()) {
        obj.insert(
            "toolConfigurationNotifications".into(),
            Value::Array(notices),
        );
    }
    if !index.notifications.is_empty() {
        if let Some(obj) = invocation.as_object_mut() {
            obj.insert(
                "toolExecutionNotifications".into(),
                Value::Array(index.notifications.clone()),
            );
        }
    }
    let mut run = json!({
        "tool": tool(&a.tool.name, &a.tool.version, &index.rules),
        "invocations": [invocation],
        "language": language_tag(lang),
        "artifacts": index.artifacts,
        "results": RESULTS_MARK,
    });
    if let (Some(cwd), true, Some(obj)) = (&index.cwd, index.uses_srcroot(), run.as_object_mut()) {
        obj.insert("originalUriBaseIds".into(), srcroot_base(cwd));
    }
    if let (Some(f), Some(obj)) = (&a.fleet, run.as_object_mut()) {
        obj.insert(
            "properties".into(),
            json!({
                "fleet": {
                    "devices": f.devices,
                    "compliant": f.compliant,
                    "notCompliant": f.not_compliant,
                    "incomplete": f.incomplete,
                    "pseudonymized": f.pseudonymized,
                    "messengers": f.messengers,
                }
            }),
        );
    }
    log_of(run)
}

/// The `tool` of a run: msgaudit as its `driver`, with `rules`.
pub(super) fn tool(name: &str, version: &str, rules: &[Value]) -> Value {
    json!({
        "driver": {
            "name": name,
            "version": version,
            "rules": rules,
        }
    })
}

/// The `language` of a run: the report language as an RFC 5646 tag.
pub(super) fn language_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "de-DE",
        Lang::En => "en-US",
    }
}

/// A SARIF 2.1.0 log of the one `run`.
pub(super) fn log_of(run: Value) -> Value {
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [run],
    })
}

/// Serializes a JSON value, putting the streamed results where the mark is.
struct WithResults<'v, 'a> {
    value: &'v Value,
    results: Results<'a>,
}

impl Serialize for WithResults<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let at = |value| WithResults {
            value,
            results: Results { ..self.results },
        };
        match self.value {
            Value::String(m) if m == RESULTS_MARK => self.results.serialize(s),
            Value::Array(items) => s.collect_seq(items.iter().map(at)),
            Value::Object(map) => s.collect_map(map.iter().map(|(k, v)| (k, at(v)))),
            other => other.serialize(s),
        }
    }
}

/// The results array: one result per fail, warn, manual or error outcome of
/// every app, then of every device (read back one at a time).
#[derive(Clone, Copy)]
struct Results<'a> {
    a: &'a Assessment,
    index: &'a Index,
    lang: Lang,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(None)?;
        let one = |t: &TargetAssessment, seq: &mut S::SerializeSeq| {
            let artifact = self.index.located(self.index.artifact_of(t));
            for r in &t.results {
                let Some((kind, level)) = sarif_kind_level(r.outcome) else {
                    continue;
                };
                let rule_index = self.index.rule_ids.iter().position(|id| *id == r.check);
                let at = Located {
                    rule_index,
                    artifact: artifact.clone(),
                };
                seq.serialize_element(&result(t, r, (kind, level), at, self.lang))?;
            }
            Ok::<(), S::Error>(())
        };
        for t in &self.a.targets {
            one(t, &mut seq)?;
        }
        for d in self.a.devices.iter() {
            one(&d.map_err(S::Error::custom)?, &mut seq)?;
        }
        seq.end()
    }
}

/// The SARIF `kind` and `level` (§3.27.9, §3.27.10) of a result with
/// outcome `o`: a finding (fail, warn) is `kind: "fail"` at `"error"` or
/// `"warning"`; a check that needs a human decision (manual) or could not
/// be evaluated (error) is `kind: "review"`; pass and not applicable would
/// be `"pass"` and `"notApplicable"`. Every kind but `"fail"` has level
/// `"none"`, as SARIF requires.
pub fn kind_and_level(o: Outcome) -> (&'static str, &'static str) {
    match o {
        Outcome::Fail => ("fail", "error"),
        Outcome::Warn => ("fail", "warning"),
        Outcome::Manual | Outcome::Error => ("review", "none"),
        Outcome::Pass => ("pass", "none"),
        Outcome::NotApplicable => ("notApplicable", "none"),
    }
}

/// [`kind_and_level`] of the outcomes that become results; `None` for pass
/// and not applicable, which produce none.
pub fn sarif_kind_level(o: Outcome) -> Option<(&'static str, &'static str)> {
    match o {
        Outcome::Pass | Outcome::NotApplicable => None,
        _ => Some(kind_and_level(o)),
    }
}

/// The SARIF rule of a check (shared with the diff log): `help` is the
/// remediation, `severity` the highest security severity of its results.
pub(super) fn rule(r: &CheckResult, help: &str, severity: Option<f64>, lang: Lang) -> Value {
    let title = i18n::text(&r.title, lang);
    let full = format!(
        "{title} — {}: {} ({}: {})",
        Label::Requirement.get(lang),
        r.requirement,
        Label::Level.get(lang),
        i18n::requirement_level(r.level, &r.requirement, lang)
    );
    // A rule without any finding still gets the severity a fail would have.
    let severity = severity.or_else(|| security_severity(r.level, Outcome::Fail));
    let explain = match lang {
        Lang::De => format!("Einzelheiten zur Prüfung: msgaudit explain {}", r.check),
        Lang::En => format!("Details of the check: msgaudit explain {}", r.check),
    };
    let help = if help.trim().is_empty() {
        explain
    } else {
        format!("{help}\n\n{explain}")
    };
    json!({
        "id": r.check,
        "shortDescription": { "text": non_empty(title, &r.check) },
        "fullDescription": { "text": full },
        "help": { "text": help },
        "helpUri": DSK_WHITEPAPER,
        "properties": {
            "requirement": r.requirement,
            "level": r.level,
            "tags": ["security", r.requirement],
            "security-severity": severity.map(severity_text),
        },
    })
}

fn non_empty<'a>(s: &'a str, fallback: &'a str) -> &'a str {
    if s.trim().is_empty() {
        fallback
    } else {
        s
    }
}

/// Where a result points: its rule and its artifact location (with index).
struct Located {
    rule_index: Option<usize>,
    artifact: Option<Value>,
}

fn location(t: &TargetAssessment, artifact: Option<Value>) -> Option<Value> {
    let mut loc = Map::new();
    if let Some(artifact) = artifact {
        let mut physical = json!({ "artifactLocation": artifact });
        // A device read from a CSV row: that line of its export.
        if let Some(line) = t.target.source.as_deref().and_then(record_line) {
            physical["region"] = json!({ "startLine": line });
        }
        loc.insert("physicalLocation".into(), physical);
    }
    let mut logical = json!({
        "name": t.target.name,
        "kind": if fleet::is_device(t) { "device" } else { "module" },
    });
    let fqn = t.target.source.as_ref().or(t.target.id.as_ref());
    if let (Some(fqn), Some(obj)) = (fqn, logical.as_object_mut()) {
        obj.insert("fullyQualifiedName".into(), json!(fqn));
    }
    loc.insert("logicalLocations".into(), json!([logical]));
    Some(Value::Object(loc))
}

fn result(
    t: &TargetAssessment,
    r: &CheckResult,
    (kind, level): (&str, &str),
    at: Located,
    lang: Lang,
) -> Value {
    let message = format!(
        "{} [{}]: {}",
        i18n::text(&r.title, lang),
        i18n::outcome(r.outcome, lang),
        i18n::text(&r.message, lang)
    );
    let evidence: Vec<Value> = r
        .evidence
        .iter()
        .map(|e| json!({ "kind": e.kind, "value": e.value, "location": e.location, "text": evidence_line_in(e, lang) }))
        .collect();
    let mut props = json!({
        "requirement": r.requirement,
        "level": r.level,
        "outcome": r.outcome,
        "target": t.target.name,
        "targetKind": t.target.kind,
        "verdict": t.verdict,
        "evidence": evidence,
        "coverage": t.coverage(),
        "score": t.score,
    });
    if let Some(obj) = props.as_object_mut() {
        if let Some(att) = &r.attestation {
            let mut a = json!({ "by": att.by, "date": att.date, "note": att.note, "text": attestation_line(att) });
            if let Some(line) = super::attestation::line(r, lang) {
                a["badge"] = json!(line);
            }
            for (key, value) in [
                ("version", &att.version),
                ("sha256", &att.sha256),
                ("valid_until", &att.valid_until),
            ] {
                if let Some(v) = value {
                    a[key] = json!(v);
                }
            }
            if let Some(reason) = &att.reason {
                a["reason"] = json!(reason.get(lang));
            }
            obj.insert("attestation".into(), a);
            obj.insert("attested".into(), json!(r.attested));
            obj.insert(
                "attestationStatus".into(),
                json!(r.attestation_status.map(|s| s.name())),
            );
        }
        let rem = i18n::text(&r.remediation, lang);
        if !rem.trim().is_empty() {
            obj.insert("remediation".into(), json!(rem));
        }
        if let Some(sev) = security_severity(r.level, r.outcome) {
            obj.insert("security-severity".into(), json!(severity_text(sev)));
        }
    }
    let mut res = json!({
        "ruleId": r.check,
        "kind": kind,
        "level": level,
        "message": { "text": message },
        "partialFingerprints": { FINGERPRINT_KEY: fingerprint(t, r) },
        "properties": props,
    });
    if let Some(obj) = res.as_object_mut() {
        if let Some(i) = at.rule_index {
            obj.insert("ruleIndex".into(), json!(i));
        }
        if let Some(loc) = location(t, at.artifact) {
            obj.insert("locations".into(), json!([loc]));
        }
    }
    res
}

/// The SARIF artifact role of a further input: what configures the audit
/// (answers, profile, OS data, trackers, a column mapping) is configuration
/// the user gave; data joined to the devices is analysed like the exports.
fn input_role(role: InputRole) -> &'static str {
    match role {
        InputRole::Answers
        | InputRole::Profile
        | InputRole::OsData
        | InputRole::Trackers
        | InputRole::ColumnMapping => "userSpecifiedConfiguration",
        InputRole::ComplianceExport | InputRole::InstalledApps => "analysisTarget",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_undecided_or_failed_outcomes_become_results() {
        assert_eq!(sarif_kind_level(Outcome::Fail), Some(("fail", "error")));
        assert_eq!(sarif_kind_level(Outcome::Warn), Some(("fail", "warning")));
        assert_eq!(sarif_kind_level(Outcome::Manual), Some(("review", "none")));
        assert_eq!(sarif_kind_level(Outcome::Error), Some(("review", "none")));
        assert_eq!(sarif_kind_level(Outcome::Pass), None);
        assert_eq!(sarif_kind_level(Outcome::NotApplicable), None);
    }

    #[test]
    fn every_kind_but_fail_has_level_none() {
        assert_eq!(kind_and_level(Outcome::Pass), ("pass", "none"));
        assert_eq!(
            kind_and_level(Outcome::NotApplicable),
            ("notApplicable", "none")
        );
        for o in [
            Outcome::Pass,
            Outcome::Fail,
            Outcome::Warn,
            Outcome::Manual,
            Outcome::NotApplicable,
            Outcome::Error,
        ] {
            let (kind, level) = kind_and_level(o);
            assert_eq!(kind == "fail", level != "none", "{o:?}");
        }
    }
}
