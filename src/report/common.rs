//! Small formatting helpers shared by the renderers.

use crate::assess::{Assessment, Attestation, CheckResult, Outcome, TargetAssessment};
use crate::facts::Evidence;

/// One evidence item as a single line: `kind: value (location)`.
pub fn evidence_line(e: &Evidence) -> String {
    match &e.location {
        Some(loc) if !loc.is_empty() => format!("{}: {} ({})", e.kind, e.value, loc),
        _ => format!("{}: {}", e.kind, e.value),
    }
}

/// All evidence of a result joined with `; `.
pub fn evidence_joined(r: &CheckResult) -> String {
    r.evidence
        .iter()
        .map(evidence_line)
        .collect::<Vec<_>>()
        .join("; ")
}

/// An attestation as one line: `by, date: note`.
pub fn attestation_line(a: &Attestation) -> String {
    if a.note.trim().is_empty() {
        format!("{}, {}", a.by, a.date)
    } else {
        format!("{}, {}: {}", a.by, a.date, a.note)
    }
}

/// True for outcomes whose evidence and remediation a reader needs to see.
pub fn needs_attention(o: Outcome) -> bool {
    matches!(
        o,
        Outcome::Fail | Outcome::Warn | Outcome::Manual | Outcome::Error
    )
}

/// The display name of a target with its version, if any and not already in the name.
pub fn target_title(t: &TargetAssessment) -> String {
    match &t.target.version {
        Some(v) if !v.is_empty() && !t.target.name.contains(v.as_str()) => {
            format!("{} {}", t.target.name, v)
        }
        _ => t.target.name.clone(),
    }
}

/// Short identifying line of the check set, for headers: first 16 hex digits.
pub fn short_digest(a: &Assessment) -> &str {
    let d = a.tool.check_set_digest.as_str();
    d.get(..16).unwrap_or(d)
}

/// Replaces line breaks and other control characters by spaces (one-line formats).
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
