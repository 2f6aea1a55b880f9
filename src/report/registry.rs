//! The registry of report formats: one line per `--format` value, naming its
//! renderer, its streaming writer (if it streams), its file extension, its
//! MIME type and its source file (the row of `docs/report.md`).
//!
//! A new format is its renderer file, its [`Format`] variant (clap takes the
//! `--format` value from it) and one line in [`REPORT_FORMATS`];
//! [`Format::spec`] panics in every test until the line exists.

use std::io::Write;

use super::{csv, html, json, markdown, sarif, table, Format, RenderOptions};
use crate::assess::Assessment;

/// Renders a whole report as text.
pub type Render = fn(&Assessment, &RenderOptions) -> std::io::Result<String>;

/// Writes a report to `out` as it is rendered, one target at a time.
pub type Stream = fn(&Assessment, &RenderOptions, &mut dyn Write) -> std::io::Result<()>;

/// One report format.
#[derive(Debug)]
pub struct ReportSpec {
    /// The `--format` value.
    pub format: Format,
    /// Renders the report as text.
    pub render: Render,
    /// Streams the report (JSON, CSV and SARIF); `None`: rendered first, then written.
    pub stream: Option<Stream>,
    /// The usual file extension (without the dot).
    pub extension: &'static str,
    /// The MIME type.
    pub mime: &'static str,
    /// The renderer's source file, as in the table of `docs/report.md`.
    pub source: &'static str,
}

/// Every report format.
pub static REPORT_FORMATS: &[ReportSpec] = &[
    ReportSpec {
        format: Format::Table,
        render: |a, o| table::render(a, o.lang, o.color),
        stream: None,
        extension: "txt",
        mime: "text/plain; charset=utf-8",
        source: "src/report/table.rs",
    },
    ReportSpec {
        format: Format::Json,
        render: |a, _| json::render(a),
        stream: Some(|a, _, out| json::write(a, out)),
        extension: "json",
        mime: "application/json",
        source: "src/report/json.rs",
    },
    ReportSpec {
        format: Format::Sarif,
        render: |a, o| sarif::render(a, o.lang, o.exit),
        stream: Some(|a, o, out| sarif::write(a, o.lang, o.exit, out)),
        extension: "sarif",
        mime: "application/sarif+json",
        source: "src/report/sarif.rs",
    },
    ReportSpec {
        format: Format::Html,
        render: |a, o| html::render(a, o.lang),
        stream: None,
        extension: "html",
        mime: "text/html; charset=utf-8",
        source: "src/report/html.rs",
    },
    ReportSpec {
        format: Format::Md,
        render: |a, o| markdown::render(a, o.lang),
        stream: None,
        extension: "md",
        mime: "text/markdown; charset=utf-8",
        source: "src/report/markdown.rs",
    },
    ReportSpec {
        format: Format::Csv,
        render: |a, o| csv::render(a, o.lang),
        stream: Some(|a, o, out| csv::write(a, o.lang, out)),
        extension: "csv",
        mime: "text/csv; charset=utf-8",
        source: "src/report/csv.rs",
    },
];

impl Format {
    /// This format's registry line.
    pub fn spec(self) -> &'static ReportSpec {
        REPORT_FORMATS
            .iter()
            .find(|spec| spec.format == self)
            .expect("every report format has a line in REPORT_FORMATS")
    }
}
