//! The JSON report: the complete, versioned record (contract in `docs/report.md`).

use std::io::Write;

use rayon::prelude::*;

use super::json_catalog::{prepare, Catalog, Prepared};
use super::json_device::{self, Line, LineWriter};
use crate::assess::{Assessment, Records, RoundRecords};

/// Renders the whole assessment as JSON (the bytes of [`write()`]).
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
    if let Some(records) = a.devices.records() {
        write_records(a, &records, &mut catalog, &mut written, &mut out)?;
    } else {
        for start in (0..n).step_by(ROUND) {
            let prepared: Vec<std::io::Result<Prepared>> = (start..n.min(start + ROUND))
                .into_par_iter()
                .map(|i| prepare(a.devices.get(i)?))
                .collect();
            write_round(prepared, &mut catalog, &mut written, &mut out)?;
        }
    }
    out.write_all(if written == 0 { b"]" } else { b"\n  ]" })?;
    out.write_all(b",\n  \"catalog\": ")?;
    catalog.write(&mut out)?;
    out.write_all(tail.as_bytes())
}

/// Writes the devices of a store of compact records: each round's records
/// are read at once and its lines made ready in parallel
/// ([`json_device::prepare`]), then interned and written in order; the next
/// round is read and made ready while one is written.
fn write_records<W: Write>(
    a: &Assessment,
    records: &Records<'_>,
    catalog: &mut Catalog,
    written: &mut usize,
    out: &mut W,
) -> std::io::Result<()> {
    let n = a.devices.len();
    let mut writer = LineWriter::new(records);
    let round = |start: usize| -> std::io::Result<Round<'_>> {
        let bytes = records.round(start..n.min(start + ROUND))?;
        let lines = (0..bytes.len())
            .into_par_iter()
            .map(|k| json_device::prepare(records, bytes.get(k)?))
            .collect();
        Ok((bytes, lines))
    };
    let mut buf = Vec::with_capacity(ROUND * 1024);
    let mut next = (n > 0).then(|| round(0)).transpose()?;
    let mut start = 0;
    while let Some(lines) = next.take() {
        let following = start + ROUND;
        let (done, prepared) = rayon::join(
            || {
                buf.clear();
                write_lines(
                    a,
                    records,
                    lines,
                    start,
                    &mut writer,
                    catalog,
                    written,
                    &mut buf,
                )
            },
            || (following < n).then(|| round(following)).transpose(),
        );
        done?;
        out.write_all(&buf)?;
        next = prepared?;
        start = following;
    }
    Ok(())
}

/// A round's records and its lines made ready.
type Round<'s> = (RoundRecords<'s>, Vec<std::io::Result<Line>>);

/// Interns and writes one round of device lines (the first is device `start`).
#[allow(clippy::too_many_arguments)]
fn write_lines(
    a: &Assessment,
    records: &Records<'_>,
    (bytes, lines): Round<'_>,
    start: usize,
    writer: &mut LineWriter<'_>,
    catalog: &mut Catalog,
    written: &mut usize,
    buf: &mut Vec<u8>,
) -> std::io::Result<()> {
    for (k, line) in lines.into_iter().enumerate() {
        buf.extend_from_slice(if *written == 0 { b"\n    " } else { b",\n    " });
        let done = match line? {
            Line::Fast(l) => writer.write(&l, bytes.get(k)?, records, catalog, buf)?,
            Line::General => false,
        };
        if !done {
            let element = catalog.intern(prepare(a.devices.get(start + k)?)?);
            serde_json::to_writer(&mut *buf, &element)?;
        }
        *written += 1;
    }
    Ok(())
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
        assert_eq!(doc["schema_version"], "2.6");
        let mut new: Assessment = serde_json::from_str(&text).unwrap();
        new.schema_version = old.schema_version.clone();
        assert_eq!(new, old);
        // Every target is one line.
        let lines = text.lines().filter(|l| l.starts_with("    {\"")).count();
        assert_eq!(lines, old.targets.len() + old.devices.len());
    }

    /// The check texts of `devices`' results, each message once (the
    /// metadata a spilling evaluator hands the store).
    fn metadata(devices: &[crate::assess::TargetAssessment]) -> Vec<crate::assess::CheckMeta> {
        let mut metas: Vec<crate::assess::CheckMeta> = Vec::new();
        for r in devices.iter().flat_map(|d| &d.results) {
            let at = match metas.iter().position(|m| m.id == r.check) {
                Some(at) => at,
                None => {
                    metas.push(crate::assess::CheckMeta {
                        id: r.check.clone(),
                        requirement: r.requirement.clone(),
                        level: r.level,
                        title: r.title.clone(),
                        remediation: r.remediation.clone(),
                        weight: r.weight,
                        messages: Vec::new(),
                    });
                    metas.len() - 1
                }
            };
            if !metas[at].messages.contains(&r.message) {
                metas[at].messages.push(r.message.clone());
            }
        }
        metas
    }

    /// Devices whose evidence a store numbered are written as the same
    /// devices with their items filled in: shared items at the device's
    /// record and elsewhere, German record wordings present and missing,
    /// and evidence with the record amid its text (not numbered).
    #[test]
    fn numbered_shared_evidence_is_written_as_its_items() {
        use crate::assess::shared_evidence::{test_borrowable, test_items, SharedEvidence};
        use crate::assess::{CheckOutcome, DeviceOutcomes, DeviceStore, OutcomeEvidence};
        use std::sync::Arc;
        let old: Assessment = serde_json::from_str(FLEET_1_4).unwrap();
        let base: Vec<_> = old.devices.iter().map(Result::unwrap).collect();
        let metas = metadata(&base);
        let shared: Vec<Arc<SharedEvidence>> = [
            test_borrowable("14"),
            test_borrowable("17.6.1 \"x\""),
            test_items("amid"),
        ]
        .into_iter()
        .map(Arc::new)
        .collect();
        let mut w = crate::assess::DeviceStoreWriter::new(metas.clone());
        let encoder = w.encoder();
        let mut filled = Vec::new();
        for (n, d) in base.iter().cycle().take(4 * base.len()).enumerate() {
            let aligned = d.results.len() == metas.len()
                && d.results.iter().zip(&metas).all(|(r, m)| r.check == m.id);
            let (Some(source), Some(device), true) = (&d.target.source, &d.target.device, aligned)
            else {
                continue;
            };
            let record = format!("record {n}");
            let record_de = (n % 3 != 0).then(|| format!("Datensatz {n}"));
            let mut whole = d.clone();
            whole.target.name = format!("{} {n}", d.target.name);
            whole.target.file = None;
            let mut results = Vec::new();
            for (k, r) in whole.results.iter_mut().enumerate() {
                let items = &shared[(n + k) % shared.len()];
                r.evidence = items.fill(&record, record_de.as_deref());
                results.push(CheckOutcome {
                    outcome: r.outcome,
                    message: r.message.clone(),
                    evidence: OutcomeEvidence::Shared(Arc::clone(items)),
                });
            }
            let outcomes = DeviceOutcomes {
                name: whole.target.name.clone(),
                source: source.clone(),
                device: device.clone(),
                verdict: d.verdict,
                score: d.score,
                results,
                record,
                record_de,
            };
            w.push_encoded(encoder.encode_outcomes(&outcomes, None).unwrap())
                .unwrap();
            filled.push(whole);
        }
        assert!(filled.len() >= 8, "{} devices", filled.len());
        let mut encoded = old.clone();
        encoded.devices = w.finish().unwrap();
        assert_eq!(encoded.devices.records().unwrap().shared().len(), 2);
        let mut memory = old.clone();
        memory.devices = DeviceStore::from_targets(filled);
        let expected = render(&memory).unwrap();
        assert!(expected.contains("\"at_target\":true"), "{expected}");
        assert!(expected.contains("Datensatz "), "{expected}");
        assert_eq!(render(&encoded).unwrap(), expected);
    }

    /// Devices of every kind the store keeps: the fixture's, and variants
    /// with an answer applied, an error, a message no rule has, evidence
    /// at other places and texts that need escaping, no file, no columns.
    fn varied_devices() -> (Vec<crate::assess::TargetAssessment>, Assessment) {
        use crate::assess::{Attestation, Outcome, Text, Verdict};
        use crate::facts::Evidence;
        let old: Assessment = serde_json::from_str(FLEET_1_4).unwrap();
        let base: Vec<_> = old.devices.iter().map(Result::unwrap).collect();
        assert!(!base.is_empty());
        let mut devices = Vec::new();
        for round in 0..3 {
            for (n, d) in base.iter().enumerate() {
                let mut d = d.clone();
                d.target.name = format!("{} \"{round}\" ä\\", d.target.name);
                match (round * base.len() + n) % 7 {
                    1 => {
                        if let Some(r) = d.results.first_mut() {
                            r.attestation = Some(Attestation::new("Q", "2026-01-01", "ok"));
                            r.attested = true;
                            r.outcome = Outcome::Pass;
                        }
                    }
                    2 => {
                        d.verdict = Verdict::Error;
                        d.score = None;
                        d.error = Some("kaputt \u{1}".into());
                    }
                    3 => {
                        if let Some(r) = d.results.last_mut() {
                            r.message =
                                Text::new(format!("nur hier {n}"), format!("only here {n}"));
                            r.evidence.push(Evidence::new("x", "y \"z\"").at("line 9"));
                            r.evidence.push(Evidence::new("x", "w").de("v"));
                        }
                    }
                    4 => {
                        d.target.file = None;
                        d.target.device = None;
                        d.target.source = None;
                    }
                    5 => {
                        if let Some(dev) = &mut d.target.device {
                            dev.model = None;
                            dev.platform = Some("ios".into());
                        }
                    }
                    6 => {
                        for r in &mut d.results {
                            r.evidence
                                .push(Evidence::new("k", format!("v{n}")).at("record 5"));
                        }
                    }
                    _ => {}
                }
                devices.push(d);
            }
        }
        (devices, old)
    }

    fn spilled(
        devices: &[crate::assess::TargetAssessment],
        metas: Vec<crate::assess::CheckMeta>,
    ) -> crate::assess::DeviceStore {
        let mut w = crate::assess::DeviceStoreWriter::new(metas);
        let mut files: Vec<crate::facts::FileInfo> = Vec::new();
        for d in devices {
            let file = d
                .target
                .file
                .as_ref()
                .map(|f| match files.iter().position(|x| x == f) {
                    Some(i) => i as u32,
                    None => {
                        files.push(f.clone());
                        w.add_file(f.clone())
                    }
                });
            w.push(d, file).unwrap();
        }
        w.finish().unwrap()
    }

    #[test]
    fn devices_written_from_records_are_the_bytes_of_the_general_path() {
        let (devices, old) = varied_devices();
        let mut memory = old.clone();
        memory.devices = crate::assess::DeviceStore::from_targets(devices.clone());
        let expected = render(&memory).unwrap();
        // With all texts in the metadata, with one check and one message
        // missing (stored in the records), and with none.
        let full = metadata(&devices);
        let mut partial = full.clone();
        partial.remove(0);
        if let Some(m) = partial.first_mut() {
            m.messages.pop();
        }
        for metas in [full, partial, Vec::new()] {
            let mut encoded = old.clone();
            encoded.devices = spilled(&devices, metas);
            assert!(encoded.devices.records().is_some());
            let text = render(&encoded).unwrap();
            assert_eq!(text, expected);
        }
        // An app with a check of the devices' ids but other texts: the
        // devices' results then carry their own texts.
        let mut app = old.targets.first().cloned().unwrap();
        let mut r = devices[0].results[0].clone();
        r.title = crate::assess::Text::new("anders", "other");
        app.results = vec![r];
        memory.targets = vec![app.clone()];
        let mut encoded = old.clone();
        encoded.targets = vec![app];
        encoded.devices = spilled(&devices, metadata(&devices));
        let expected = render(&memory).unwrap();
        assert!(
            expected.contains("\"title\":{\"de\""),
            "the devices' titles are inline"
        );
        assert_eq!(render(&encoded).unwrap(), expected);
    }
}
