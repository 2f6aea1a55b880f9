//! The comparison matrix of `msgaudit compare` in every format but SARIF,
//! with the scan report's escaping, labels, stylesheet and header. Wide
//! matrices are split into column groups of [`GROUP`] candidates, so that
//! neither a terminal nor an A4 page clips the right-most column.

use std::fmt::Write as _;

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell as TCell, ContentArrangement, Table};

use super::attestation::status_label;
use super::common::evidence_line_in;
use super::html::{self, code_html, esc, verdict_badge};
use super::i18n::{self, pick, Label};
use super::run_header::{self, Input};
use super::unsupported::Unsupported;
use super::workflow_labels::WLabel;
use super::{coverage, csv_dialect, markdown, Format};
use crate::assess::comparison::{Candidate, Cell, CellEvidence, Comparison, Row, UnreadTarget};
use crate::assess::{AttestationStatus, Lang, Outcome, Verdict};
use crate::facts::TargetKind;

/// At most this many candidates share one table.
pub const GROUP: usize = 4;

/// The formats `compare` writes.
pub const FORMATS: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Html,
    Format::Md,
    Format::Csv,
];

/// Renders the comparison; SARIF is refused (a matrix has no findings to locate).
pub fn render(c: &Comparison, format: Format, lang: Lang) -> Result<String, Unsupported> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(c).unwrap_or_default() + "\n",
        Format::Table => table(c, lang),
        Format::Md => md(c, lang),
        Format::Html => html_doc(c, lang),
        Format::Csv => csv(c, lang),
        Format::Sarif => return Err(Unsupported::new("compare", format, FORMATS)),
    })
}

/// The inputs of the comparison: every member of every candidate.
fn inputs(c: &Comparison) -> Vec<Input<'_>> {
    c.candidates
        .iter()
        .flat_map(|k| &k.members)
        .map(|m| Input {
            name: &m.name,
            kind: m.kind,
            path: m.path.as_deref(),
            sha256: m.sha256.as_deref(),
        })
        .collect()
}

/// The name of a platform: `Android`, `iOS`.
fn platform(kind: TargetKind, lang: Lang) -> &'static str {
    match kind {
        TargetKind::Android => "Android",
        TargetKind::Ios => "iOS",
        other => i18n::kind(other, lang),
    }
}

/// The candidates' platforms: `Android · iOS`.
fn platforms(k: &Candidate, lang: Lang) -> String {
    k.platforms()
        .into_iter()
        .map(|p| platform(p, lang))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Verdict, score and coverage of a candidate on one line.
fn standing(k: &Candidate, lang: Lang) -> String {
    format!(
        "{} · {} · {}",
        i18n::verdict(k.verdict, lang),
        i18n::score(k.score, lang),
        coverage::decided(k.coverage, lang)
    )
}

fn outcome_label(o: Option<Outcome>, lang: Lang) -> &'static str {
    o.map_or(WLabel::NotAssessed.get(lang), |o| i18n::outcome(o, lang))
}

/// One evidence entry as a line: `Android · CHECK (Fail): kind: value; …`.
fn evidence_text(e: &CellEvidence, lang: Lang) -> String {
    let items = if e.evidence.is_empty() {
        WLabel::NoEvidence.get(lang).to_string()
    } else {
        e.evidence
            .iter()
            .map(|x| evidence_line_in(x, lang))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let status = e
        .attestation_status
        .map(|s| format!("; {}", status_label(s, lang)))
        .unwrap_or_default();
    format!(
        "{} · {} ({}{status}): {items}",
        platform(e.platform, lang),
        e.check,
        i18n::outcome(e.outcome, lang)
    )
}

/// The marks after a cell's outcome: ` ✎` (attested), ` ≠` (conflict).
fn marks(cell: &Cell) -> String {
    let mut m = String::new();
    if cell.attested {
        m.push_str(" ✎");
    }
    if cell.conflict {
        m.push_str(" ≠");
    }
    m
}

/// Whether any cell of the matrix satisfies `f`.
fn any_cell(c: &Comparison, f: impl Fn(&Cell) -> bool) -> bool {
    c.areas
        .iter()
        .any(|a| a.rows.iter().any(|r| r.cells.iter().any(&f)))
}

/// The legend of the marks used: `✎ attested …`, `≠ conflict …`.
fn legend(c: &Comparison, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    if any_cell(c, |x| x.attested) {
        lines.push(format!("✎ {}", WLabel::Attested.get(lang)));
    }
    if any_cell(c, |x| x.conflict) {
        lines.push(format!("≠ {}", WLabel::Conflict.get(lang)));
    }
    lines
}

/// The candidates in column groups, with the index of each group's first.
fn groups(c: &Comparison) -> Vec<(usize, &[Candidate])> {
    c.candidates
        .chunks(GROUP)
        .enumerate()
        .map(|(g, ks)| (g * GROUP, ks))
        .collect()
}

/// "Candidates 5–6 of 6", when there is more than one group.
fn group_title(first: usize, len: usize, total: usize, lang: Lang) -> Option<String> {
    (total > GROUP).then(|| {
        format!(
            "{} {}–{} {} {total}",
            WLabel::Candidates.get(lang),
            first + 1,
            first + len,
            WLabel::Of.get(lang)
        )
    })
}

fn row_title(r: &Row, lang: Lang) -> String {
    format!(
        "{} {} ({})",
        r.requirement,
        i18n::text(&r.title, lang),
        i18n::requirement_level(r.level, &r.requirement, lang)
    )
}

fn table(c: &Comparison, lang: Lang) -> String {
    let mut out = format!("{}\n\n", WLabel::CompareTitle.get(lang));
    run_header::text(c.header.as_ref(), &inputs(c), lang, &mut out);
    for (first, ks) in groups(c) {
        out.push('\n');
        if let Some(title) = group_title(first, ks.len(), c.candidates.len(), lang) {
            let _ = writeln!(out, "{title}");
        }
        let mut t = Table::new();
        t.load_style(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(120);
        let mut header = vec![TCell::new(Label::Requirement.get(lang))];
        header.extend(
            ks.iter()
                .map(|k| TCell::new(format!("{}\n{}", k.name, platforms(k, lang)))),
        );
        t.set_header(header);
        let mut standing_row = vec![TCell::new(WLabel::VerdictScore.get(lang))];
        standing_row.extend(ks.iter().map(|k| TCell::new(standing(k, lang))));
        t.add_row(standing_row);
        for area in &c.areas {
            let mut row = vec![TCell::new(format!("— {} —", i18n::text(&area.title, lang)))];
            row.extend(ks.iter().map(|_| TCell::new("")));
            t.add_row(row);
            for r in &area.rows {
                let mut row = vec![TCell::new(row_title(r, lang))];
                row.extend(r.cells[first..first + ks.len()].iter().map(|cell| {
                    TCell::new(format!(
                        "{}{}\n{}",
                        outcome_label(cell.outcome, lang),
                        marks(cell),
                        i18n::text(&cell.reason, lang)
                    ))
                }));
                t.add_row(row);
            }
        }
        let _ = writeln!(out, "{t}");
    }
    for line in legend(c, lang) {
        let _ = writeln!(out, "{line}");
    }
    errors_text(c, lang, &mut out);
    out
}

/// The verdict of an input that could not be compared, as the scan report
/// names it ([`i18n::verdict_of`]): „Nicht lesbar“, or „Nicht zugeordnet“
/// for an installed-app list that matched no device.
fn unread_verdict(u: &UnreadTarget, lang: Lang) -> &'static str {
    i18n::verdict_of(Verdict::Error, u.3, lang)
}

fn errors_text(c: &Comparison, lang: Lang, out: &mut String) {
    for unread in &c.errors {
        let (name, reason) = (unread.name(), unread.reason(lang));
        let _ = writeln!(out, "{}: {name}: {reason}", unread_verdict(unread, lang));
    }
}

fn md(c: &Comparison, lang: Lang) -> String {
    let e = markdown::esc;
    let mut out = format!("# {}\n\n", e(WLabel::CompareTitle.get(lang)));
    run_header::md(c.header.as_ref(), &inputs(c), lang, &mut out);
    // Evidence notes, numbered in the order the cells are written.
    let mut notes: Vec<String> = Vec::new();
    for (first, ks) in groups(c) {
        if let Some(title) = group_title(first, ks.len(), c.candidates.len(), lang) {
            let _ = writeln!(out, "## {}\n", e(&title));
        }
        let _ = write!(out, "| {} |", e(Label::Requirement.get(lang)));
        for k in ks {
            let _ = write!(out, " {} ({}) |", e(&k.name), e(&platforms(k, lang)));
        }
        let _ = writeln!(out, "\n|---|{}", "---|".repeat(ks.len()));
        let _ = write!(out, "| **{}** |", e(WLabel::VerdictScore.get(lang)));
        for k in ks {
            let _ = write!(out, " {} |", e(&standing(k, lang)));
        }
        out.push('\n');
        for area in &c.areas {
            let _ = writeln!(
                out,
                "| **{}** |{}",
                e(i18n::text(&area.title, lang)),
                " |".repeat(ks.len())
            );
            for r in &area.rows {
                let _ = write!(out, "| {} |", e(&row_title(r, lang)));
                for (k, cell) in ks.iter().zip(&r.cells[first..first + ks.len()]) {
                    let note = md_note(k, r, cell, lang, &mut notes);
                    let _ = write!(
                        out,
                        " **{}**{} {}{note} |",
                        e(outcome_label(cell.outcome, lang)),
                        marks(cell),
                        e(i18n::text(&cell.reason, lang))
                    );
                }
                out.push('\n');
            }
        }
        out.push('\n');
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "## {}\n", e(Label::Evidence.get(lang)));
        for n in &notes {
            let _ = writeln!(out, "{n}");
        }
        out.push('\n');
    }
    for line in legend(c, lang) {
        let _ = writeln!(out, "{}\n", e(&line));
    }
    for unread in &c.errors {
        let (name, reason) = (unread.name(), unread.reason(lang));
        let _ = writeln!(
            out,
            "- {}: {} — {}",
            e(unread_verdict(unread, lang)),
            e(name),
            e(reason)
        );
    }
    out
}

/// Adds the evidence of a cell to `notes` and returns its marker (` [E3]`),
/// or nothing for a cell without evidence.
fn md_note(k: &Candidate, r: &Row, cell: &Cell, lang: Lang, notes: &mut Vec<String>) -> String {
    if cell.evidence.is_empty() {
        return String::new();
    }
    let n = notes.len() + 1;
    let lines: Vec<String> = cell
        .evidence
        .iter()
        .map(|x| markdown::esc(&evidence_text(x, lang)))
        .collect();
    notes.push(format!(
        "- **E{n}** {} · {}: {}",
        markdown::esc(&k.name),
        markdown::esc(&r.requirement),
        lines.join(" — ")
    ));
    format!(" (E{n})")
}

/// Extra rules for the matrix: fixed column widths so a group fits the page
/// width, long words broken, A4 pages.
const MATRIX_CSS: &str = r#"
table.matrix{table-layout:fixed}
table.matrix th,table.matrix td{overflow-wrap:anywhere;word-break:break-word}
table.matrix th.req,table.matrix td.req{width:24%}
table.matrix details{margin-top:3px;font-size:8.5pt}
table.matrix details ul{margin:2px 0 0 14px;padding:0}
.att-mark{color:#0a3069;font-weight:bold}
.group{break-inside:auto}
.group+.group{break-before:page;page-break-before:always}
@page{size:A4;margin:14mm}
"#;

fn html_doc(c: &Comparison, lang: Lang) -> String {
    let title = WLabel::CompareTitle.get(lang);
    let mut out = html_head(title, MATRIX_CSS, lang);
    run_header::html(c.header.as_ref(), &inputs(c), lang, &mut out);
    for (first, ks) in groups(c) {
        out.push_str("<section class=\"group\">\n");
        if let Some(t) = group_title(first, ks.len(), c.candidates.len(), lang) {
            let _ = writeln!(out, "<h2>{}</h2>", esc(&t));
        }
        let _ = write!(
            out,
            "<table class=\"matrix\"><thead><tr><th class=\"req\">{}</th>",
            esc(Label::Requirement.get(lang))
        );
        for k in ks {
            let _ = write!(
                out,
                "<th>{}<br><span class=\"note\">{}: {}</span></th>",
                esc(&k.name),
                esc(WLabel::Platform.get(lang)),
                esc(&platforms(k, lang))
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let _ = write!(
            out,
            "<tr><th class=\"req\">{}</th>",
            esc(WLabel::VerdictScore.get(lang))
        );
        for k in ks {
            let _ = write!(
                out,
                "<td>{}<br>{} · {}</td>",
                verdict_badge(k.verdict, lang),
                esc(&i18n::score(k.score, lang)),
                esc(&coverage::decided(k.coverage, lang))
            );
        }
        out.push_str("</tr>\n");
        for area in &c.areas {
            let _ = writeln!(
                out,
                "<tr><th colspan=\"{}\">{}</th></tr>",
                ks.len() + 1,
                esc(i18n::text(&area.title, lang))
            );
            for r in &area.rows {
                let _ = write!(
                    out,
                    "<tr><td class=\"req\">{}</td>",
                    esc(&row_title(r, lang))
                );
                for cell in &r.cells[first..first + ks.len()] {
                    html_cell(cell, lang, &mut out);
                }
                out.push_str("</tr>\n");
            }
        }
        out.push_str("</tbody></table>\n</section>\n");
    }
    if any_cell(c, |x| x.attested) {
        let _ = writeln!(
            out,
            "<p class=\"note\"><span class=\"att-mark\">✎</span> {}</p>",
            esc(WLabel::Attested.get(lang))
        );
    }
    if any_cell(c, |x| x.conflict) {
        let _ = writeln!(
            out,
            "<p class=\"note\"><span class=\"badge attest conflict\">≠ {}</span> {}</p>",
            esc(status_label(AttestationStatus::Conflict, lang)),
            esc(WLabel::Conflict.get(lang))
        );
    }
    for unread in &c.errors {
        let (name, reason) = (unread.name(), unread.reason(lang));
        let _ = writeln!(
            out,
            "<p class=\"readerror\">{}: {} — {}</p>",
            esc(unread_verdict(unread, lang)),
            esc(name),
            esc(reason)
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// The start of an HTML view: the scan report's stylesheet plus `extra_css`,
/// and the title as `<h1>`.
pub fn html_head(title: &str, extra_css: &str, lang: Lang) -> String {
    let lang_attr = match lang {
        Lang::De => "de",
        Lang::En => "en",
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{t}</title>\n<style>{}{}{extra_css}</style>\n</head>\n<body>\n<h1>{t}</h1>\n",
        html::CSS,
        run_header::CSS,
        t = esc(title)
    )
}

fn html_cell(cell: &Cell, lang: Lang, out: &mut String) {
    let class = match cell.outcome {
        Some(o) => o.name(),
        None => "not_applicable",
    };
    let _ = write!(
        out,
        "<td><span class=\"badge {class}\">{}</span>",
        esc(outcome_label(cell.outcome, lang))
    );
    if cell.attested {
        let _ = write!(
            out,
            " <span class=\"att-mark\" title=\"{a}\">✎ {a}</span>",
            a = esc(WLabel::Attested.get(lang))
        );
    }
    if cell.conflict {
        let _ = write!(
            out,
            " <span class=\"badge attest conflict\" title=\"{}\">≠ {}</span>",
            esc(WLabel::Conflict.get(lang)),
            esc(status_label(AttestationStatus::Conflict, lang))
        );
    }
    let _ = write!(
        out,
        "<br><span class=\"note\">{}</span>",
        esc(i18n::text(&cell.reason, lang))
    );
    if !cell.evidence.is_empty() {
        let _ = write!(
            out,
            "<details><summary>{}</summary><ul>",
            esc(Label::Evidence.get(lang))
        );
        for e in &cell.evidence {
            let _ = write!(out, "<li>{}</li>", code_html(&evidence_text(e, lang)));
        }
        out.push_str("</ul></details>");
    }
    out.push_str("</td>");
}

fn csv(c: &Comparison, lang: Lang) -> String {
    let l = |de, en| pick(lang, de, en);
    let mut out = csv_dialect::start(lang).to_string();
    out += &csv_dialect::line(
        lang,
        &[
            l("bereich", "area"),
            l("anforderung", "requirement"),
            l("stufe", "level"),
            l("titel", "title"),
            l("kandidat", "candidate"),
            l("plattform", "platform"),
            l("ergebnis", "outcome"),
            l("begründung", "reason"),
            l("bestätigt", "attested"),
            l("belege", "evidence"),
            l("widerspruch", "conflict"),
        ],
    );
    for area in &c.areas {
        for r in &area.rows {
            for (k, cell) in c.candidates.iter().zip(&r.cells) {
                let evidence: Vec<String> = cell
                    .evidence
                    .iter()
                    .map(|e| evidence_text(e, lang))
                    .collect();
                out += &csv_dialect::line(
                    lang,
                    &[
                        i18n::text(&area.title, lang),
                        &r.requirement,
                        i18n::requirement_level(r.level, &r.requirement, lang),
                        i18n::text(&r.title, lang),
                        &k.name,
                        &platforms(k, lang),
                        outcome_label(cell.outcome, lang),
                        i18n::text(&cell.reason, lang),
                        if cell.attested { l("ja", "yes") } else { "" },
                        &evidence.join(" | "),
                        if cell.conflict { l("ja", "yes") } else { "" },
                    ],
                );
            }
        }
    }
    out
}
