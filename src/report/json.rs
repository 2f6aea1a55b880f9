//! The JSON report: the complete, versioned record (contract in `docs/report.md`).

use std::io::Write;

use super::common::write_devices;
use crate::assess::{Assessment, TargetAssessment, TargetJson};

/// Renders the whole assessment as pretty-printed JSON.
pub fn render(a: &Assessment) -> std::io::Result<String> {
    serde_json::to_string_pretty(a).map_err(std::io::Error::from)
}

/// Writes the same bytes as [`render`] to `out` without building the report
/// as one string first (a 100,000-device report is several hundred MB): the
/// devices are read back from the store and pretty-printed in parallel
/// groups, written in order. `out` should be buffered.
pub fn write<W: Write>(a: &Assessment, mut out: W) -> std::io::Result<()> {
    // The report without targets gives everything around the targets array.
    let mut frame = a.clone();
    frame.targets = Vec::new();
    frame.devices = Default::default();
    let text = serde_json::to_string_pretty(&frame)?;
    // A raw newline never occurs inside a JSON string, so this is the key.
    let marker = "\n  \"targets\": []";
    let Some(at) = text.find(marker) else {
        return serde_json::to_writer_pretty(out, a).map_err(std::io::Error::from);
    };
    let (head, tail) = text.split_at(at);
    let tail = tail.get(marker.len()..).unwrap_or_default();
    out.write_all(head.as_bytes())?;
    out.write_all(b"\n  \"targets\": [")?;
    let element = |first: bool, t: &TargetAssessment, buf: &mut Vec<u8>| {
        buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
        // Nested one level deeper than printed alone: every line moves by 4 spaces.
        let alone = serde_json::to_vec_pretty(&TargetJson::new(t))?;
        for line in alone.split(|b| *b == b'\n').enumerate() {
            if line.0 > 0 {
                buf.extend_from_slice(b"\n    ");
            }
            buf.extend_from_slice(line.1);
        }
        Ok::<(), std::io::Error>(())
    };
    let mut buf = Vec::new();
    for (i, t) in a.targets.iter().enumerate() {
        buf.clear();
        element(i == 0, t, &mut buf)?;
        out.write_all(&buf)?;
    }
    let apps = a.targets.len();
    write_devices(a, &mut out, |i, t, buf| element(apps + i == 0, t, buf))?;
    if apps + a.devices.len() == 0 {
        out.write_all(b"]")?;
    } else {
        out.write_all(b"\n  ]")?;
    }
    out.write_all(tail.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Lang, ProfileInfo, Text, ToolInfo, REPORT_SCHEMA_VERSION};

    #[test]
    fn streamed_json_is_the_rendered_json() {
        let a = Assessment {
            schema_version: REPORT_SCHEMA_VERSION.to_string(),
            tool: ToolInfo {
                name: "msgaudit".into(),
                version: "0".into(),
                check_set_digest: "ab".into(),
            },
            profile: ProfileInfo {
                id: "p".into(),
                title: Text {
                    de: "Prüfprofil \"ä\"".into(),
                    en: "Profile\n".into(),
                },
                source: "built-in".into(),
            },
            as_of: "2026-11-23".into(),
            lang: Lang::De,
            targets: Vec::new(),
            devices: Default::default(),
            fleet: None,
            skipped_files: 0,
        };
        let mut out = Vec::new();
        write(&a, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), render(&a).unwrap());
        // A Text still serializes as {"de": …, "en": …}.
        assert!(render(&a).unwrap().contains("\"title\": {\n      \"de\": \"Prüfprofil \\\"ä\\\"\",\n      \"en\": \"Profile\\n\"\n    }"));
    }
}
