//! SARIF 2.1.0: one run, one rule per check id, one result per fail, warn,
//! manual or error outcome. The mapping is documented in `docs/report.md`.

use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::common::{app_warnings, attestation_line, evidence_line_in, read_problems};
use super::fleet;
use super::i18n::{self, Label};
pub use super::sarif_fields::uri_reference;
use super::sarif_fields::{
    artifact_location, fingerprint, security_severity, severity_text, srcroot_base, DSK_WHITEPAPER,
    FINGERPRINT_KEY,
};
use crate::assess::{Assessment, CheckResult, Lang, Outcome, TargetAssessment, Verdict};

/// The `$schema` URI written into every SARIF log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the assessment as a SARIF 2.1.0 log.
pub fn render(a: &Assessment, lang: Lang) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(a, lang, &mut out)?;
    String::from_utf8(out).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Writes the SARIF log to `out`. The rules, artifacts and notifications are
/// collected in a first pass; the results are then written one target at a
/// time (a fleet's devices are read back from the store, never all held).
pub fn write<W: std::io::Write>(a: &Assessment, lang: Lang, out: W) -> std::io::Result<()> {
    let index = Index::build(a, lang)?;
    let skeleton = skeleton(a, lang, &index);
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
/// artifacts (one per input file) and notifications (unreadable inputs).
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
        };
        // (first result, remediation text, highest security severity of its
        // results) per rule id, in first-seen order.
        let mut firsts: Vec<(CheckResult, String, Option<f64>)> = Vec::new();
        let mut visit = |t: &TargetAssessment, index: &mut Index| {
            let artifact = index.artifact(t);
            if t.verdict == Verdict::Error {
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
                let help = i18n::text(&r.remediation, lang);
                // Only outcomes that become results count for the severity.
                let severity =
                    sarif_level(r.outcome).and_then(|_| security_severity(r.level, r.outcome));
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
        // What reading the apps met (problems that did not stop it) and what the
        // inventory exports did not say clearly.
        let apps = a.targets.iter().filter_map(|t| {
            let file = t.target.file.as_ref()?;
            Some((file.path.as_str(), app_warnings(t, lang).1))
        });
        let exports = a.fleet.iter().flat_map(|f| &f.inventories).map(|inv| {
            let texts = inv.warnings.iter().map(|w| w.get(lang).to_string());
            (inv.file.path.as_str(), texts.collect())
        });
        for (path, warnings) in apps.chain(exports) {
            let artifact = index.artifact_paths.iter().position(|p| *p == path);
            for w in warnings {
                let mut n = json!({
                    "level": "warning",
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
        index.rules = firsts
            .iter()
            .map(|(r, help, severity)| rule(r, help, *severity, lang))
            .collect();
        Ok(index)
    }

    /// The artifact index of a target's file (added when new).
    fn artifact(&mut self, t: &TargetAssessment) -> Option<usize> {
        let f = t.target.file.as_ref()?;
        if let Some(i) = self.artifact_paths.iter().position(|p| *p == f.path) {
            return Some(i);
        }
        let location = artifact_location(&f.path, self.cwd.as_deref());
        self.artifacts.push(json!({
            "location": location,
            "length": f.size,
            "hashes": { "sha-256": f.sha256 },
            "roles": ["analysisTarget"],
        }));
        self.artifact_paths.push(f.path.clone());
        self.artifact_locations.push(location);
        Some(self.artifact_paths.len().saturating_sub(1))
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
fn skeleton(a: &Assessment, lang: Lang, index: &Index) -> Value {
    let mut invocation = json!({
        "executionSuccessful": true,
        "properties": {
            "profile": a.profile.id,
            "profileSource": a.profile.source,
            "asOf": a.as_of,
            "checkSetDigest": a.tool.check_set_digest,
            "reportSchemaVersion": a.schema_version,
        },
    });
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
        "tool": {
            "driver": {
                "name": a.tool.name,
                "version": a.tool.version,
                "rules": index.rules,
            }
        },
        "invocations": [invocation],
        "language": match lang { Lang::De => "de-DE", Lang::En => "en-US" },
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
                let Some(level) = sarif_level(r.outcome) else {
                    continue;
                };
                let rule_index = self.index.rule_ids.iter().position(|id| *id == r.check);
                let at = Located {
                    rule_index,
                    artifact: artifact.clone(),
                };
                seq.serialize_element(&result(t, r, level, at, self.lang))?;
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

/// The SARIF level of an outcome; `None` for outcomes that produce no result.
pub fn sarif_level(o: Outcome) -> Option<&'static str> {
    match o {
        Outcome::Fail => Some("error"),
        Outcome::Warn => Some("warning"),
        Outcome::Manual | Outcome::Error => Some("note"),
        Outcome::Pass | Outcome::NotApplicable => None,
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
        i18n::level(r.level, lang)
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
        loc.insert(
            "physicalLocation".into(),
            json!({ "artifactLocation": artifact }),
        );
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

fn result(t: &TargetAssessment, r: &CheckResult, level: &str, at: Located, lang: Lang) -> Value {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_undecided_or_failed_outcomes_become_results() {
        assert_eq!(sarif_level(Outcome::Fail), Some("error"));
        assert_eq!(sarif_level(Outcome::Warn), Some("warning"));
        assert_eq!(sarif_level(Outcome::Manual), Some("note"));
        assert_eq!(sarif_level(Outcome::Pass), None);
        assert_eq!(sarif_level(Outcome::NotApplicable), None);
    }
}
