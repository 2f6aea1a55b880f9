//! The header of the `compare` and `diff` views, as the scan report has it:
//! profile, audit date, tool version, check-set digest, and the inputs with
//! their SHA-256.

use std::fmt::Write as _;

use super::html::esc;
use super::i18n::{self, Label};
use super::markdown;
use super::workflow_labels::WLabel;
use crate::assess::{Lang, ProfileInfo, ReportHeader, ToolInfo};
use crate::facts::TargetKind;

/// The CSS of the inputs table: fixed columns, and paths and hashes broken
/// anywhere, so that a 64-digit SHA-256 beside a long path stays within an
/// A4 page (and a narrow window) instead of running past its right edge.
pub const CSS: &str = "table.inputs{table-layout:fixed;width:100%}\
table.inputs th:first-child{width:28%}table.inputs th:nth-child(2){width:34%}\
table.inputs td.mono{overflow-wrap:anywhere;word-break:break-all}";

/// One input file of the view.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// Display name of the app.
    pub name: &'a str,
    /// Its platform.
    pub kind: TargetKind,
    /// The file as given, when known.
    pub path: Option<&'a str>,
    /// SHA-256 of the file, when known.
    pub sha256: Option<&'a str>,
}

/// The header's key–value lines in `lang` (without the inputs).
fn rows(h: Option<&ReportHeader>, lang: Lang) -> Vec<(&'static str, String)> {
    h.map(|h| run_rows(&h.profile, &h.as_of, &h.tool, lang).to_vec())
        .unwrap_or_default()
}

/// The lines that say how a report came about — profile, audit date, tool
/// version, check-set digest — shared by the compare/diff header and the
/// scan report's appendix.
pub(super) fn run_rows(
    profile: &ProfileInfo,
    as_of: &str,
    tool: &ToolInfo,
    lang: Lang,
) -> [(&'static str, String); 4] {
    [
        (
            Label::Profile.get(lang),
            format!(
                "{} ({}, {})",
                i18n::text(&profile.title, lang),
                profile.id,
                i18n::profile_source(&profile.source, lang)
            ),
        ),
        (Label::AsOf.get(lang), as_of.to_string()),
        (
            Label::ToolVersion.get(lang),
            format!("{} {}", tool.name, tool.version),
        ),
        (
            Label::CheckSetDigest.get(lang),
            tool.check_set_digest.clone(),
        ),
    ]
}

fn input_name(i: &Input, lang: Lang) -> String {
    format!("{} ({})", i.name, i18n::kind(i.kind, lang))
}

/// The header as HTML: a definition list and a table of the inputs.
pub fn html(h: Option<&ReportHeader>, inputs: &[Input], lang: Lang, out: &mut String) {
    out.push_str("<dl class=\"meta\">\n");
    for (k, v) in rows(h, lang) {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v));
    }
    out.push_str("</dl>\n");
    if inputs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<table class=\"inputs\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(WLabel::Inputs.get(lang)),
        esc(Label::File.get(lang)),
        esc(Label::Sha256.get(lang))
    );
    for i in inputs {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"mono\">{}</td><td class=\"mono\">{}</td></tr>",
            esc(&input_name(i, lang)),
            esc(i.path.unwrap_or("–")),
            esc(i.sha256.unwrap_or("–"))
        );
    }
    out.push_str("</tbody></table>\n");
}

/// The header as Markdown: a bullet list and a table of the inputs.
pub fn md(h: Option<&ReportHeader>, inputs: &[Input], lang: Lang, out: &mut String) {
    for (k, v) in rows(h, lang) {
        let _ = writeln!(out, "- **{}:** {}", markdown::esc(k), markdown::esc(&v));
    }
    if inputs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n| {} | {} | {} |\n|---|---|---|",
        markdown::esc(WLabel::Inputs.get(lang)),
        markdown::esc(Label::File.get(lang)),
        markdown::esc(Label::Sha256.get(lang))
    );
    for i in inputs {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            markdown::esc(&input_name(i, lang)),
            markdown::esc(i.path.unwrap_or("–")),
            markdown::esc(i.sha256.unwrap_or("–"))
        );
    }
    out.push('\n');
}

/// The header as plain text lines (terminal).
pub fn text(h: Option<&ReportHeader>, inputs: &[Input], lang: Lang, out: &mut String) {
    for (k, v) in rows(h, lang) {
        let _ = writeln!(out, "{k}: {v}");
    }
    if inputs.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}:", WLabel::Inputs.get(lang));
    for i in inputs {
        let _ = writeln!(
            out,
            "  {} — {} — SHA-256 {}",
            input_name(i, lang),
            i.path.unwrap_or("–"),
            i.sha256.unwrap_or("–")
        );
    }
}
