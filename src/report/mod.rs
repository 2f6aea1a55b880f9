//! Renderers: every output format is a view of one [`Assessment`].
//!
//! Renderers never compute outcomes; they present what the evaluator decided
//! (counting and ordering for summaries only). The formats and the JSON
//! contract are documented in `docs/report.md`; [`registry`] lists them.

pub mod appendix;
pub mod attestation;
pub mod charts;
mod common;
pub mod compare;
pub mod coverage;
pub mod csv;
pub mod csv_cell;
pub mod csv_dialect;
pub mod device_list;
pub mod diff;
pub mod diff_sarif;
pub mod fleet;
pub mod html;
pub mod i18n;
pub mod json;
pub mod json_catalog;
mod json_device;
pub mod locator;
pub mod markdown;
pub mod messengers;
pub mod notice;
pub mod print;
pub mod profile;
pub mod profile_endpoints;
pub mod registry;
pub mod run_exit;
pub mod run_header;
pub mod sarif;
pub mod sarif_fields;
pub mod sarif_stop;
pub mod signature;
pub mod summary;
pub mod summary_view;
pub mod table;
pub mod unsupported;
pub mod workflow_labels;

use crate::assess::{Assessment, Lang};
pub use run_exit::{RunExit, RunStop, StopCause};

/// Output format of a report (`--format`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Terminal table.
    #[default]
    Table,
    /// The complete JSON record.
    Json,
    /// SARIF 2.1.0.
    Sarif,
    /// Self-contained HTML.
    Html,
    /// Markdown.
    Md,
    /// CSV, one row per result.
    Csv,
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// The format.
    pub format: Format,
    /// The language of labels and texts.
    pub lang: Lang,
    /// Use ANSI colours (terminal table only).
    pub color: bool,
    /// The run's exit code, when the command knows it before rendering
    /// (`scan`): SARIF writes it as `invocations[0].exitCode`. `None`
    /// (a report rendered apart from a run) writes no exit code.
    pub exit: Option<RunExit>,
}

/// Renders `assessment` as text in the chosen format. Fails only when a
/// device cannot be read back from the assessment's device store.
pub fn render(assessment: &Assessment, options: &RenderOptions) -> std::io::Result<String> {
    (options.format.spec().render)(assessment, options)
}

/// Writes `assessment` in the chosen format to `out`: the same bytes as
/// [`render`]. JSON, CSV and SARIF are streamed, one target at a time (no
/// report-sized string in memory, a fleet's devices read back one by one);
/// the other formats show capped device lists and are rendered first. `out`
/// should be buffered.
pub fn write_to<W: std::io::Write>(
    assessment: &Assessment,
    options: &RenderOptions,
    mut out: W,
) -> std::io::Result<()> {
    match options.format.spec().stream {
        Some(stream) => stream(assessment, options, &mut out)?,
        None => out.write_all(render(assessment, options)?.as_bytes())?,
    }
    out.flush()
}
