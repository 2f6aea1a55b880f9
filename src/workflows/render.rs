//! Views of a [`Comparison`] and an [`AppDiff`] in the report formats.

use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell as TCell, ContentArrangement, Table};

use super::compare::Comparison;
use super::diff::{AppDiff, Severity};
use crate::assess::{Lang, Outcome, Verdict};
use crate::report::html::esc;
use crate::report::{i18n, Format};

/// Why a view cannot be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The format has no meaning for this view.
    #[error("--format {0} is not available for this command (use table, json, html, md or csv)")]
    Unsupported(&'static str),
}

fn l(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// Short label of an outcome; `—` when not assessed.
pub fn outcome_label(o: Option<Outcome>, lang: Lang) -> &'static str {
    o.map_or("—", |o| i18n::outcome(o, lang))
}

/// Label of a verdict.
pub fn verdict_label(v: Verdict, lang: Lang) -> &'static str {
    i18n::verdict(v, lang)
}

fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Info => l(lang, "Info", "info"),
        Severity::Improvement => l(lang, "Verbesserung", "improvement"),
        Severity::Regression => l(lang, "Verschlechterung", "regression"),
        Severity::Critical => l(lang, "KRITISCH", "CRITICAL"),
    }
}

fn score_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.0}")).unwrap_or_else(|| "–".into())
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

const HTML_STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #bbb;padding:.35em .5em;vertical-align:top;text-align:left}th{background:#eee}tr{page-break-inside:avoid}.pass{background:#d9f2d9}.fail{background:#f7d4d4}.warn{background:#fbecc4}.manual,.error{background:#e4e4f4}.regression,.critical{background:#f7d4d4}.improvement{background:#d9f2d9}small{color:#444}@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

fn outcome_class(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::NotApplicable) | None => "",
        Some(o) => o.name(),
    }
}

/// Renders a comparison matrix.
pub fn render_comparison(
    c: &Comparison,
    format: Format,
    lang: Lang,
) -> Result<String, RenderError> {
    match format {
        Format::Json => Ok(serde_json::to_string_pretty(c).unwrap_or_default()),
        Format::Table => Ok(comparison_table(c, lang)),
        Format::Md => Ok(comparison_md(c, lang)),
        Format::Html => Ok(comparison_html(c, lang)),
        Format::Csv => Ok(comparison_csv(c, lang)),
        Format::Sarif => Err(RenderError::Unsupported("sarif")),
    }
}

fn comparison_table(c: &Comparison, lang: Lang) -> String {
    let mut out = String::new();
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100);
    let mut header = vec![TCell::new(l(lang, "Anforderung", "Requirement"))];
    header.extend(c.candidates.iter().map(|k| TCell::new(&k.name)));
    t.set_header(header);
    for area in &c.areas {
        let mut row = vec![TCell::new(format!("— {} —", area.title.get(lang)))];
        row.extend(c.candidates.iter().map(|_| TCell::new("")));
        t.add_row(row);
        for r in &area.rows {
            let mut row = vec![TCell::new(format!(
                "{} {}",
                r.requirement,
                truncate(r.title.get(lang), 40)
            ))];
            row.extend(r.cells.iter().map(|cell| {
                let mark = if cell.attested { " ✎" } else { "" };
                TCell::new(format!(
                    "{}{mark}\n{}",
                    outcome_label(cell.outcome, lang),
                    truncate(cell.reason.get(lang), 60)
                ))
            }));
            t.add_row(row);
        }
    }
    let mut verdict = vec![TCell::new(l(lang, "Urteil / Punkte", "Verdict / score"))];
    verdict.extend(c.candidates.iter().map(|k| {
        TCell::new(format!(
            "{} / {}",
            verdict_label(k.verdict, lang),
            score_text(k.score)
        ))
    }));
    t.add_row(verdict);
    out.push_str(&t.to_string());
    out.push('\n');
    for (name, reason) in &c.errors {
        out.push_str(&format!(
            "{}: {name}: {reason}\n",
            l(lang, "Nicht lesbar", "Unreadable")
        ));
    }
    out
}

fn comparison_md(c: &Comparison, lang: Lang) -> String {
    let mut out = format!(
        "# {}\n\n",
        l(lang, "Messenger-Vergleich", "Messenger comparison")
    );
    out.push_str(&format!("| {} |", l(lang, "Anforderung", "Requirement")));
    for k in &c.candidates {
        out.push_str(&format!(" {} |", md_escape(&k.name)));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(c.candidates.len()));
    out.push('\n');
    out.push_str(&format!(
        "| **{}** |",
        l(lang, "Urteil / Punkte", "Verdict / score")
    ));
    for k in &c.candidates {
        out.push_str(&format!(
            " **{}** / {} |",
            verdict_label(k.verdict, lang),
            score_text(k.score)
        ));
    }
    out.push('\n');
    for area in &c.areas {
        out.push_str(&format!(
            "| **{}** |{}\n",
            md_escape(area.title.get(lang)),
            " |".repeat(c.candidates.len())
        ));
        for r in &area.rows {
            out.push_str(&format!(
                "| {} {} |",
                r.requirement,
                md_escape(r.title.get(lang))
            ));
            for cell in &r.cells {
                out.push_str(&format!(
                    " **{}**{} {} |",
                    outcome_label(cell.outcome, lang),
                    if cell.attested { " ✎" } else { "" },
                    md_escape(cell.reason.get(lang))
                ));
            }
            out.push('\n');
        }
    }
    for (name, reason) in &c.errors {
        out.push_str(&format!(
            "\n- {}: {} — {}\n",
            l(lang, "Nicht lesbar", "Unreadable"),
            md_escape(name),
            md_escape(reason)
        ));
    }
    out
}

fn comparison_html(c: &Comparison, lang: Lang) -> String {
    let lang_attr = l(lang, "de", "en");
    let title = l(lang, "Messenger-Vergleich", "Messenger comparison");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{HTML_STYLE}</style></head><body>\n<h1>{title}</h1>\n<table>\n<tr><th>{}</th>",
        l(lang, "Anforderung", "Requirement")
    );
    for k in &c.candidates {
        out.push_str(&format!("<th>{}</th>", esc(&k.name)));
    }
    out.push_str("</tr>\n");
    out.push_str(&format!(
        "<tr><th>{}</th>",
        l(lang, "Urteil / Punkte", "Verdict / score")
    ));
    for k in &c.candidates {
        out.push_str(&format!(
            "<td><strong>{}</strong> / {}</td>",
            verdict_label(k.verdict, lang),
            score_text(k.score)
        ));
    }
    out.push_str("</tr>\n");
    for area in &c.areas {
        out.push_str(&format!(
            "<tr><th colspan=\"{}\">{}</th></tr>\n",
            c.candidates.len() + 1,
            esc(area.title.get(lang))
        ));
        for r in &area.rows {
            out.push_str(&format!(
                "<tr><td>{} {}</td>",
                esc(&r.requirement),
                esc(r.title.get(lang))
            ));
            for cell in &r.cells {
                out.push_str(&format!(
                    "<td class=\"{}\"><strong>{}</strong>{}<br><small>{}</small></td>",
                    outcome_class(cell.outcome),
                    outcome_label(cell.outcome, lang),
                    if cell.attested { " ✎" } else { "" },
                    esc(cell.reason.get(lang))
                ));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</table>\n");
    for (name, reason) in &c.errors {
        out.push_str(&format!(
            "<p>{}: {} — {}</p>\n",
            l(lang, "Nicht lesbar", "Unreadable"),
            esc(name),
            esc(reason)
        ));
    }
    out.push_str("</body></html>\n");
    out
}

fn csv_line(lang: Lang, fields: &[&str]) -> String {
    crate::report::csv_dialect::line(lang, fields)
}

/// The start of a CSV in `lang` (the BOM for German) and its header row.
fn csv_head(lang: Lang, header: &[&str]) -> String {
    let mut out = crate::report::csv_dialect::start(lang).to_string();
    out += &csv_line(lang, header);
    out
}

fn comparison_csv(c: &Comparison, lang: Lang) -> String {
    let mut out = csv_head(
        lang,
        &[
            l(lang, "bereich", "area"),
            l(lang, "anforderung", "requirement"),
            l(lang, "stufe", "level"),
            l(lang, "titel", "title"),
            l(lang, "kandidat", "candidate"),
            l(lang, "ergebnis", "outcome"),
            l(lang, "begründung", "reason"),
            l(lang, "bestätigt", "attested"),
        ],
    );
    for area in &c.areas {
        for r in &area.rows {
            for (k, cell) in c.candidates.iter().zip(&r.cells) {
                let level = serde_json::to_value(r.level)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                out.push_str(&csv_line(
                    lang,
                    &[
                        area.title.get(lang),
                        &r.requirement,
                        &level,
                        r.title.get(lang),
                        &k.name,
                        outcome_label(cell.outcome, lang),
                        cell.reason.get(lang),
                        if cell.attested {
                            l(lang, "ja", "yes")
                        } else {
                            ""
                        },
                    ],
                ));
            }
        }
    }
    out
}

/// Renders a diff of two app versions.
pub fn render_diff(d: &AppDiff, format: Format, lang: Lang) -> Result<String, RenderError> {
    match format {
        Format::Json => Ok(serde_json::to_string_pretty(d).unwrap_or_default()),
        Format::Table => Ok(diff_table(d, lang)),
        Format::Md => Ok(diff_md(d, lang)),
        Format::Html => Ok(diff_html(d, lang)),
        Format::Csv => Ok(diff_csv(d, lang)),
        Format::Sarif => Err(RenderError::Unsupported("sarif")),
    }
}

fn diff_heading(d: &AppDiff, lang: Lang) -> String {
    format!(
        "{} → {}: {} {} → {}, {} {} → {}",
        d.old.name,
        d.new.name,
        l(lang, "Urteil", "verdict"),
        verdict_label(d.old_verdict, lang),
        verdict_label(d.new_verdict, lang),
        l(lang, "Punkte", "score"),
        score_text(d.old_score),
        score_text(d.new_score),
    )
}

fn diff_summary(d: &AppDiff, lang: Lang) -> String {
    let mut s = if d.regression {
        l(
            lang,
            "VERSCHLECHTERUNG: Update vor der Verteilung prüfen.",
            "REGRESSION: review the update before rollout.",
        )
        .to_string()
    } else {
        l(
            lang,
            "Keine Verschlechterung gefunden.",
            "No regression found.",
        )
        .to_string()
    };
    if d.outcomes_only {
        s.push(' ');
        s.push_str(l(
            lang,
            "(Nur Prüfergebnisse verglichen: Fakten fehlen in einem Bericht.)",
            "(Only check outcomes compared: facts missing from a report.)",
        ));
    }
    s
}

fn diff_table(d: &AppDiff, lang: Lang) -> String {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(80)
        .set_header(vec![
            l(lang, "Bewertung", "Severity"),
            l(lang, "Änderung", "Change"),
        ]);
    for c in &d.changes {
        t.add_row(vec![
            severity_label(c.severity, lang).to_string(),
            c.detail.get(lang).to_string(),
        ]);
    }
    format!(
        "{}\n{}\n{}\n",
        diff_heading(d, lang),
        t,
        diff_summary(d, lang)
    )
}

fn diff_md(d: &AppDiff, lang: Lang) -> String {
    let mut out = format!(
        "# {}\n\n{}\n\n",
        md_escape(&diff_heading(d, lang)),
        diff_summary(d, lang)
    );
    out.push_str(&format!(
        "| {} | {} |\n|---|---|\n",
        l(lang, "Bewertung", "Severity"),
        l(lang, "Änderung", "Change")
    ));
    for c in &d.changes {
        out.push_str(&format!(
            "| {} | {} |\n",
            severity_label(c.severity, lang),
            md_escape(c.detail.get(lang))
        ));
    }
    out
}

fn diff_html(d: &AppDiff, lang: Lang) -> String {
    let title = l(lang, "Update-Vergleich", "Update diff");
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{HTML_STYLE}</style></head><body>\n<h1>{title}</h1>\n<p>{}</p>\n<p><strong>{}</strong></p>\n<table><tr><th>{}</th><th>{}</th></tr>\n",
        l(lang, "de", "en"),
        esc(&diff_heading(d, lang)),
        esc(&diff_summary(d, lang)),
        l(lang, "Bewertung", "Severity"),
        l(lang, "Änderung", "Change"),
    );
    for c in &d.changes {
        let class = match c.severity {
            Severity::Critical => "critical",
            Severity::Regression => "regression",
            Severity::Improvement => "improvement",
            Severity::Info => "",
        };
        out.push_str(&format!(
            "<tr class=\"{class}\"><td>{}</td><td>{}</td></tr>\n",
            severity_label(c.severity, lang),
            esc(c.detail.get(lang))
        ));
    }
    out.push_str("</table></body></html>\n");
    out
}

fn diff_csv(d: &AppDiff, lang: Lang) -> String {
    let mut out = csv_head(
        lang,
        &[
            l(lang, "bewertung", "severity"),
            l(lang, "art", "kind"),
            l(lang, "gegenstand", "subject"),
            l(lang, "alt", "old"),
            l(lang, "neu", "new"),
            l(lang, "beschreibung", "detail"),
        ],
    );
    for c in &d.changes {
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out.push_str(&csv_line(
            lang,
            &[
                severity_label(c.severity, lang),
                &kind,
                &c.subject,
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
                c.detail.get(lang),
            ],
        ));
    }
    out
}
