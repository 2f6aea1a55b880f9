//! Markdown: the same content as the HTML report, as GitHub-flavoured tables.

use std::fmt::Write as _;

use super::attestation;
use super::common::{app_warnings, evidence_line_in, needs_attention, read_problems, target_title};
use super::coverage;
use super::fleet::{self, DETAIL_DEVICE_CAP, LIST_DEVICE_CAP};
use super::i18n::{self, Label};
use crate::assess::{Assessment, FleetSummary, Lang, TargetAssessment, Verdict};
use crate::lang::count;

/// Renders the assessment as Markdown.
pub fn render(a: &Assessment, lang: Lang) -> std::io::Result<String> {
    let l = lang;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", esc(Label::ReportTitle.get(l)));
    super::notice::markdown(a, l, &mut out);
    let _ = writeln!(
        out,
        "- **{}:** {} ({}, {})",
        esc(Label::Profile.get(l)),
        esc(i18n::text(&a.profile.title, l)),
        esc(&a.profile.id),
        esc(i18n::profile_source(&a.profile.source, l))
    );
    let _ = writeln!(out, "- **{}:** {}", esc(Label::AsOf.get(l)), esc(&a.as_of));
    let _ = writeln!(out);
    super::summary_view::markdown(&super::summary::Summary::of(a), l, &mut out);
    let apps = fleet::apps(a);
    let titles = super::summary::distinct_titles(&apps, l);
    for (t, title) in apps.iter().zip(&titles) {
        target(t, title, l, 2, &mut out);
    }
    let devices = fleet::worst_devices(a, LIST_DEVICE_CAP)?;
    if a.fleet.is_some() || !devices.is_empty() {
        let list = super::device_list::markdown(a, l)?;
        fleet_section(a.fleet.as_ref(), &devices, &list, l, &mut out);
    }
    super::appendix::markdown(a, l, &mut out);
    super::signature::markdown(l, &mut out);
    Ok(out)
}

fn target(t: &TargetAssessment, title: &str, l: Lang, depth: usize, out: &mut String) {
    let hashes = "#".repeat(depth);
    let _ = writeln!(
        out,
        "{hashes} {} — {}\n",
        esc(title),
        esc(i18n::target_verdict(t, l))
    );
    let _ = writeln!(
        out,
        "- **{}:** {}",
        esc(Label::Kind.get(l)),
        esc(i18n::target_kind(t, l))
    );
    let _ = writeln!(
        out,
        "- **{}:** {}",
        esc(Label::Verdict.get(l)),
        esc(i18n::target_verdict(t, l))
    );
    let _ = writeln!(
        out,
        "- **{}:** {}",
        esc(Label::Score.get(l)),
        esc(&coverage::headline(t, l))
    );
    if let Some(id) = &t.target.id {
        let _ = writeln!(out, "- **{}:** {}", esc(Label::AppId.get(l)), esc(id));
    }
    if let Some(f) = &t.target.file {
        if super::html::missing(f) {
            let _ = writeln!(
                out,
                "- **{}:** {} ({})",
                esc(Label::File.get(l)),
                esc(&f.path),
                esc(Label::NotFound.get(l))
            );
        } else {
            let _ = writeln!(out, "- **{}:** {}", esc(Label::File.get(l)), esc(&f.path));
        }
        if !f.sha256.is_empty() {
            let _ = writeln!(
                out,
                "- **{}:** {}",
                esc(Label::Sha256.get(l)),
                esc(&f.sha256)
            );
        }
    }
    if let Some(s) = &t.target.source {
        let s = super::locator::source(s, l);
        let _ = writeln!(out, "- **{}:** {}", esc(Label::Source.get(l)), esc(&s));
    }
    if let Some(p) = read_problems(t, l) {
        let _ = writeln!(out, "- **{}:** {}", esc(p.heading), esc(&p.lead));
        for item in &p.items {
            let _ = writeln!(out, "  - {}", esc(item));
        }
        for note in &p.notes {
            let _ = writeln!(out, "- {}", esc(note));
        }
    }
    let (heading, warnings) = app_warnings(t, l);
    if !warnings.is_empty() {
        let _ = writeln!(out, "- **{}:**", esc(heading));
        for w in &warnings {
            let _ = writeln!(out, "  - {}", esc(w));
        }
    }
    out.push('\n');
    if t.results.is_empty() {
        return;
    }
    row(
        out,
        &[
            Label::Outcome.get(l),
            Label::Requirement.get(l),
            Label::Title.get(l),
            Label::Message.get(l),
            Label::Evidence.get(l),
            Label::Remediation.get(l),
            Label::Attestation.get(l),
        ],
    );
    out.push_str("|---|---|---|---|---|---|---|\n");
    for r in &t.results {
        let evidence = r
            .evidence
            .iter()
            .map(|e| format!("`{}`", code(&evidence_line_in(e, l))))
            .collect::<Vec<_>>()
            .join("<br>");
        let rem = if needs_attention(r.outcome) {
            esc(i18n::text(&r.remediation, l))
        } else {
            String::new()
        };
        let att = attestation::detail(r, l)
            .map(|d| esc(&d))
            .unwrap_or_default();
        let badge = attestation::badge(r, l)
            .map(|b| format!("<br>{}", esc(b)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| **{}**{} | {} ({})<br>`{}` | {} | {} | {} | {} | {} |",
            esc(i18n::outcome(r.outcome, l)),
            badge,
            esc(&r.requirement),
            esc(i18n::requirement_level(r.level, &r.requirement, l)),
            code(&r.check),
            esc(i18n::text(&r.title, l)),
            esc(i18n::text(&r.message, l)),
            evidence,
            rem,
            att
        );
    }
    out.push('\n');
    if let Some(sections) = super::profile::sections_of(t, l) {
        super::profile::markdown(&sections, l, depth + 1, out);
    }
}

/// What the exports showed together, for information (pages read together).
fn export_info(s: &FleetSummary, l: Lang, out: &mut String) {
    if s.export_info.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {}\n", esc(Label::ExportInfo.get(l)));
    for t in &s.export_info {
        let _ = writeln!(out, "- {}", esc(t.get(l)));
    }
    out.push('\n');
}

/// What each export did not say clearly.
fn export_notes(s: &FleetSummary, l: Lang, out: &mut String) {
    let notes = fleet::export_notes(s);
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "### {}\n", esc(Label::ExportNotes.get(l)));
    for (inv, shown, more) in notes {
        let _ = writeln!(
            out,
            "`{}` ({}, {}):\n",
            code(&inv.file.path),
            esc(&inv.format),
            esc(&fleet::export_devices(inv, l))
        );
        for w in shown {
            let _ = writeln!(out, "- {}", esc(w.get(l)));
        }
        if more > 0 {
            let _ = writeln!(
                out,
                "- … {} {}",
                count(more, l),
                esc(Label::MoreNotes.get(l))
            );
        }
        out.push('\n');
    }
}

fn fleet_section(
    summary: Option<&FleetSummary>,
    devices: &fleet::WorstDevices,
    list: &str,
    l: Lang,
    out: &mut String,
) {
    let _ = writeln!(out, "## {}\n", esc(Label::Fleet.get(l)));
    if let Some(s) = summary {
        let note = if s.pseudonymized {
            Label::Pseudonymized
        } else {
            Label::NotPseudonymized
        };
        let _ = writeln!(
            out,
            "{}: {} {}, {} {}, {} {}. {}\n",
            esc(&i18n::devices_counted(s.devices, l)),
            esc(i18n::verdict(Verdict::Compliant, l)),
            count(s.compliant, l),
            esc(i18n::verdict(Verdict::NotCompliant, l)),
            count(s.not_compliant, l),
            esc(i18n::verdict(Verdict::Incomplete, l)),
            count(s.incomplete, l),
            esc(note.get(l))
        );
        if s.default_pseudonym_key {
            let _ = writeln!(out, "{}\n", esc(Label::DefaultKeyNote.get(l)));
        }
        if !s.requirements.is_empty() {
            row(
                out,
                &[
                    Label::Requirement.get(l),
                    Label::Title.get(l),
                    Label::Passed.get(l),
                    Label::Failed.get(l),
                    Label::Undecided.get(l),
                    coverage::not_applicable_header(l),
                    Label::ShareCompliant.get(l),
                ],
            );
            out.push_str("|---|---|---:|---:|---:|---:|---:|\n");
            for q in &s.requirements {
                let hint = coverage::open_hint(q, l)
                    .map(|h| format!(" — {}", esc(&h)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "| {} ({}) | {}{hint} | {} | {} | {} | {} | {} |",
                    esc(&q.requirement),
                    esc(i18n::requirement_level(q.level, &q.requirement, l)),
                    esc(i18n::text(&q.title, l)),
                    count(q.passed, l),
                    count(q.failed, l),
                    count(q.undecided, l),
                    count(q.not_applicable, l),
                    esc(&i18n::score(q.shown_share(), l))
                );
            }
            out.push('\n');
        }
        export_info(s, l, out);
        export_notes(s, l, out);
        let found = super::messengers::lines(s, l);
        if !found.is_empty() {
            let _ = writeln!(out, "### {}\n", esc(super::messengers::heading(l)));
            found.iter().for_each(|m| {
                let _ = writeln!(out, "- {}", esc(m));
            });
            out.push('\n');
        }
    }
    if devices.is_empty() {
        return;
    }
    out.push_str(list);
    let (detailed, more) = devices.needing(DETAIL_DEVICE_CAP);
    for d in detailed {
        target(d, &target_title(d, l), l, 3, out);
    }
    if more > 0 {
        let _ = writeln!(
            out,
            "… {} {}\n",
            count(more, l),
            esc(Label::OmittedSuffix.get(l))
        );
    }
}

fn row(out: &mut String, cells: &[&str]) {
    out.push('|');
    for c in cells {
        let _ = write!(out, " {} |", esc(c));
    }
    out.push('\n');
}

/// Escapes text for Markdown: table pipes, emphasis, links, headings and raw
/// HTML are neutralised; line breaks become spaces so a table row stays one line.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a code span inside a table cell: a backtick cannot be escaped in a
/// code span, so it becomes `'`; a pipe is escaped as `\|` (GFM table rule);
/// line breaks become spaces.
fn code(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '`' => out.push('\''),
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_pipes_and_html() {
        assert_eq!(esc("a|b<script>"), "a\\|b&lt;script&gt;");
        assert_eq!(esc("line\nbreak"), "line break");
        assert_eq!(code("x|`y`"), "x\\|'y'");
    }
}
