//! The JSON report: the complete, versioned record (contract in `docs/report.md`).

use std::io::Write;

use rayon::prelude::*;

use super::json_catalog::{prepare, Catalog, Prepared};
use crate::assess::Assessment;

/// Renders the whole assessment as JSON (the bytes of [`write`]).
pub fn render(a: &Assessment) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(a, &mut out)?;
    String::from_utf8(out).map_err(std::io::Error::other)
}

/// Targets read back, prepared and serialized per parallel round; bounds
/// the memory in flight.
const ROUND: usize = 1024;

/// Bytes of apps' facts (compact JSON) prepared and serialized per round.
const APP_ROUND_FACTS: usize = 16 << 20;

fn facts_len(t: &crate::assess::TargetAssessment) -> usize {
    t.facts.as_ref().map_or(0, |f| f.len())
}

/// Writes the report (schema 2.0) to `out` without building it as one
/// string first: the frame (everything but the targets) pretty-printed, each
/// target on one line with its repeated texts replaced by references into
/// the `catalog` ([`super::json_catalog`]), which follows the targets. The
/// devices are read back from the store and prepared and serialized in
/// parallel; the catalog is built in the order they are written, so the
/// bytes are the same in every run. `out` should be buffered.
pub fn write<W: Write>(a: &Assessment, mut out: W) -> std::io::Result<()> {
    // The report without targets gives everything around the targets array.
    let mut frame = a.clone();
    // The shape written is this version's, whatever report `a` was read from.
    frame.schema_version = crate::assess::REPORT_SCHEMA_VERSION.to_string();
    frame.targets = Vec::new();
    frame.devices = Default::default();
    let text = serde_json::to_string_pretty(&frame)?;
    // A raw newline never occurs inside a JSON string, so this is the key.
    let marker = "\n  \"targets\": []";
    let at = text
        .find(marker)
        .ok_or_else(|| std::io::Error::other("the report frame has no targets"))?;
    let (head, tail) = text.split_at(at);
    let tail = tail.get(marker.len()..).unwrap_or_default();
    out.write_all(head.as_bytes())?;
    out.write_all(b"\n  \"targets\": [")?;
    let mut catalog = Catalog::default();
    let mut written = 0usize;
    // Apps in rounds of at most APP_ROUND_FACTS bytes of facts (at least one
    // app each): preparing a target parses its facts back, so a round holds
    // them as values (apps' facts may be spilled to a file, KeptFacts).
    let mut start = 0;
    while start < a.targets.len() {
        let mut end = start + 1;
        let mut bytes = facts_len(&a.targets[start]);
        while end < a.targets.len() && bytes + facts_len(&a.targets[end]) <= APP_ROUND_FACTS {
            bytes += facts_len(&a.targets[end]);
            end += 1;
        }
        let apps = a.targets[start..end].iter().cloned().map(prepare);
        write_round(apps.collect(), &mut catalog, &mut written, &mut out)?;
        start = end;
    }
    let n = a.devices.len();
    for start in (0..n).step_by(ROUND) {
        let prepared: Vec<std::io::Result<Prepared>> = (start..n.min(start + ROUND))
            .into_par_iter()
            .map(|i| prepare(a.devices.get(i)?))
            .collect();
        write_round(prepared, &mut catalog, &mut written, &mut out)?;
    }
    out.write_all(if written == 0 { b"]" } else { b"\n  ]" })?;
    out.write_all(b",\n  \"catalog\": ")?;
    catalog.write(&mut out)?;
    out.write_all(tail.as_bytes())
}

/// Interns a round of prepared targets in order, serializes them in
/// parallel and writes them, one line each.
fn write_round<W: Write>(
    prepared: Vec<std::io::Result<Prepared>>,
    catalog: &mut Catalog,
    written: &mut usize,
    out: &mut W,
) -> std::io::Result<()> {
    let mut elements = Vec::with_capacity(prepared.len());
    for p in prepared {
        elements.push(catalog.intern(p?));
    }
    let lines: Vec<std::io::Result<Vec<u8>>> = elements
        .par_iter()
        .map(|e| serde_json::to_vec(e).map_err(std::io::Error::from))
        .collect();
    for line in lines {
        out.write_all(if *written == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(&line?)?;
        *written += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 1.4 report committed as a fixture (generated before schema 2.0).
    const FLEET_1_4: &str = include_str!("../../tests/fixtures/reports-1.4/fleet.json");

    #[test]
    fn a_1_4_report_written_as_2_0_reads_back_the_same() {
        let old: Assessment = serde_json::from_str(FLEET_1_4).unwrap();
        assert_eq!(old.schema_version, "1.4");
        let text = render(&old).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Texts are in the catalog, not in the results.
        let device = doc["targets"]
            .as_array()
            .and_then(|ts| ts.iter().find(|t| t["target"]["kind"] == "device"))
            .unwrap();
        assert!(device["results"][0].get("title").is_none(), "{device}");
        assert!(device["results"][0]["message"].is_u64(), "{device}");
        assert!(device["target"]["file"].is_u64(), "{device}");
        assert!(doc["catalog"]["checks"]["DEV-02-passcode"]["title"]["de"].is_string());
        assert_eq!(doc["schema_version"], "2.0");
        let mut new: Assessment = serde_json::from_str(&text).unwrap();
        new.schema_version = old.schema_version.clone();
        assert_eq!(new, old);
        // Every target is one line.
        let lines = text.lines().filter(|l| l.starts_with("    {\"")).count();
        assert_eq!(lines, old.targets.len() + old.devices.len());
    }
}
