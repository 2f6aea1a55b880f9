//! The JSON report: the complete, versioned record (contract in `docs/report.md`).

use std::io::Write;

use crate::assess::Assessment;

/// Renders the whole assessment as pretty-printed JSON.
pub fn render(a: &Assessment) -> std::io::Result<String> {
    serde_json::to_string_pretty(a).map_err(std::io::Error::from)
}

/// Writes the same bytes as [`render`] to `out` without building the report
/// as one string first (a 100,000-device report is several hundred MB).
/// `out` should be buffered.
pub fn write<W: Write>(a: &Assessment, out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(out, a).map_err(std::io::Error::from)
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
        };
        let mut out = Vec::new();
        write(&a, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), render(&a).unwrap());
        // A Text still serializes as {"de": …, "en": …}.
        assert!(render(&a).unwrap().contains("\"title\": {\n      \"de\": \"Prüfprofil \\\"ä\\\"\",\n      \"en\": \"Profile\\n\"\n    }"));
    }
}
