//! The result of `msgaudit diff` in every format, with the scan report's
//! escaping, labels, stylesheet and header: verdict, score and coverage
//! before and after, then the changes, regressions first. SARIF is in
//! [`super::diff_sarif`].

use std::fmt::Write as _;

use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::common::evidence_line_in;
use super::compare::html_head;
use super::html::{esc, verdict_badge};
use super::i18n::{self, pick, Label};
use super::run_header::{self, Input};
use super::unsupported::Unsupported;
use super::workflow_labels::WLabel;
use super::{coverage, csv_dialect, markdown, Format};
use crate::assess::app_diff::{AppDiff, Change, ChangeKind, Severity};
use crate::assess::{Lang, TargetInfo};

/// The formats `diff` writes (all).
pub const FORMATS: &[Format] = &[
    Format::Table,
    Format::Json,
    Format::Sarif,
    Format::Html,
    Format::Md,
    Format::Csv,
];

/// Renders the diff.
pub fn render(d: &AppDiff, format: Format, lang: Lang) -> Result<String, Unsupported> {
    Ok(match format {
        Format::Json => serde_json::to_string_pretty(d).unwrap_or_default() + "\n",
        Format::Table => table(d, lang),
        Format::Md => md(d, lang),
        Format::Html => html_doc(d, lang),
        Format::Csv => csv(d, lang),
        Format::Sarif => super::diff_sarif::render(d, lang),
    })
}

/// The name of a change's severity in `lang`.
pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    let (de, en) = match s {
        Severity::Info => ("Hinweis", "Info"),
        Severity::Improvement => ("Verbesserung", "Improvement"),
        Severity::Regression => ("Verschlechterung", "Regression"),
        Severity::Critical => ("KRITISCH", "CRITICAL"),
    };
    pick(lang, de, en)
}

fn input(t: &TargetInfo) -> Input<'_> {
    Input {
        name: &t.name,
        kind: t.kind,
        path: t.file.as_ref().map(|f| f.path.as_str()),
        sha256: t.file.as_ref().map(|f| f.sha256.as_str()),
    }
}

/// The two inputs, old first.
fn inputs(d: &AppDiff) -> [Input<'_>; 2] {
    [input(&d.old), input(&d.new)]
}

/// Old and new side by side: (label, old, new) for verdict, score, coverage.
fn standing(d: &AppDiff, lang: Lang) -> [(&'static str, String, String); 3] {
    [
        (
            Label::Verdict.get(lang),
            i18n::verdict(d.old_verdict, lang).to_string(),
            i18n::verdict(d.new_verdict, lang).to_string(),
        ),
        (
            Label::Score.get(lang),
            i18n::score(d.old_score, lang),
            i18n::score(d.new_score, lang),
        ),
        (
            WLabel::Coverage.get(lang),
            coverage::decided(d.old_coverage, lang),
            coverage::decided(d.new_coverage, lang),
        ),
    ]
}

/// The verdict sentence, and the note when only outcomes were compared.
fn summary(d: &AppDiff, lang: Lang) -> String {
    let mut s = if d.regression {
        WLabel::RegressionFound.get(lang).to_string()
    } else {
        WLabel::NoRegression.get(lang).to_string()
    };
    if d.outcomes_only {
        s.push(' ');
        s.push_str(WLabel::OutcomesOnly.get(lang));
    }
    s
}

/// The evidence of a changed check in the new version, one line.
fn evidence(c: &Change, lang: Lang) -> Option<String> {
    // An attestation change says who answered; the check's evidence is
    // with its outcome change.
    if c.kind == ChangeKind::AttestationChanged {
        return None;
    }
    let r = c.result.as_ref()?;
    (!r.evidence.is_empty()).then(|| {
        r.evidence
            .iter()
            .map(|e| evidence_line_in(e, lang))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

fn table(d: &AppDiff, lang: Lang) -> String {
    let mut out = format!("{}\n\n", WLabel::DiffTitle.get(lang));
    run_header::text(d.header.as_ref(), &inputs(d), lang, &mut out);
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(vec!["", WLabel::Old.get(lang), WLabel::New.get(lang)]);
    for (k, o, n) in standing(d, lang) {
        t.add_row(vec![k.to_string(), o, n]);
    }
    let _ = writeln!(out, "\n{t}\n{}\n", summary(d, lang));
    if d.changes.is_empty() {
        let _ = writeln!(out, "{}", WLabel::NoChanges.get(lang));
        return out;
    }
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(100)
        .set_header(vec![WLabel::Severity.get(lang), WLabel::Change.get(lang)]);
    for c in &d.changes {
        let mut text = i18n::text(&c.detail, lang).to_string();
        if let Some(e) = evidence(c, lang) {
            let _ = write!(text, "\n{}: {e}", Label::Evidence.get(lang));
        }
        t.add_row(vec![severity_label(c.severity, lang).to_string(), text]);
    }
    let _ = writeln!(out, "{t}");
    out
}

fn md(d: &AppDiff, lang: Lang) -> String {
    let e = markdown::esc;
    let mut out = format!("# {}\n\n", e(WLabel::DiffTitle.get(lang)));
    run_header::md(d.header.as_ref(), &inputs(d), lang, &mut out);
    let _ = writeln!(
        out,
        "| | {} | {} |\n|---|---|---|",
        e(WLabel::Old.get(lang)),
        e(WLabel::New.get(lang))
    );
    for (k, o, n) in standing(d, lang) {
        let _ = writeln!(out, "| **{}** | {} | {} |", e(k), e(&o), e(&n));
    }
    let _ = writeln!(out, "\n**{}**\n", e(&summary(d, lang)));
    if d.changes.is_empty() {
        let _ = writeln!(out, "{}", e(WLabel::NoChanges.get(lang)));
        return out;
    }
    let _ = writeln!(
        out,
        "| {} | {} |\n|---|---|",
        e(WLabel::Severity.get(lang)),
        e(WLabel::Change.get(lang))
    );
    for c in &d.changes {
        let more = evidence(c, lang)
            .map(|x| format!(" — {}: {}", e(Label::Evidence.get(lang)), e(&x)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {}{more} |",
            e(severity_label(c.severity, lang)),
            e(i18n::text(&c.detail, lang))
        );
    }
    out
}

fn html_doc(d: &AppDiff, lang: Lang) -> String {
    let mut out = html_head(WLabel::DiffTitle.get(lang), DIFF_CSS, lang);
    run_header::html(d.header.as_ref(), &inputs(d), lang, &mut out);
    let _ = writeln!(
        out,
        "<table class=\"standing\"><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(WLabel::Old.get(lang)),
        esc(WLabel::New.get(lang))
    );
    let [verdict, score, cov] = standing(d, lang);
    let _ = writeln!(
        out,
        "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
        esc(verdict.0),
        verdict_badge(d.old_verdict, lang),
        verdict_badge(d.new_verdict, lang)
    );
    for (k, o, n) in [score, cov] {
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            esc(k),
            esc(&o),
            esc(&n)
        );
    }
    out.push_str("</tbody></table>\n");
    let class = if d.regression { "fail" } else { "pass" };
    let _ = writeln!(
        out,
        "<p><span class=\"badge {class}\">{}</span></p>",
        esc(&summary(d, lang))
    );
    if d.changes.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", esc(WLabel::NoChanges.get(lang)));
    } else {
        let _ = writeln!(
            out,
            "<table class=\"changes\"><thead><tr><th class=\"sev\">{}</th><th>{}</th></tr></thead><tbody>",
            esc(WLabel::Severity.get(lang)),
            esc(WLabel::Change.get(lang))
        );
        for c in &d.changes {
            let class = match c.severity {
                Severity::Critical | Severity::Regression => "fail",
                Severity::Improvement => "pass",
                Severity::Info => "not_applicable",
            };
            let _ = write!(
                out,
                "<tr><td class=\"sev\"><span class=\"badge {class}\">{}</span></td><td>{}",
                esc(severity_label(c.severity, lang)),
                esc(i18n::text(&c.detail, lang))
            );
            if let Some(e) = evidence(c, lang) {
                let _ = write!(
                    out,
                    "<details><summary>{}</summary>{}</details>",
                    esc(Label::Evidence.get(lang)),
                    esc(&e)
                );
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Extra rules for the diff: a narrow severity column, A4 pages.
const DIFF_CSS: &str = r#"
table.changes{table-layout:fixed}
table.changes td{overflow-wrap:anywhere}
table.changes .sev{width:11em}
table.standing{width:auto}
@page{size:A4;margin:14mm}
"#;

fn csv(d: &AppDiff, lang: Lang) -> String {
    let l = |de, en| pick(lang, de, en);
    let mut out = csv_dialect::start(lang).to_string();
    out += &csv_dialect::line(
        lang,
        &[
            l("bewertung", "severity"),
            l("art", "kind"),
            l("gegenstand", "subject"),
            l("alt", "old"),
            l("neu", "new"),
            l("beschreibung", "detail"),
            l("belege", "evidence"),
        ],
    );
    for c in &d.changes {
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        out += &csv_dialect::line(
            lang,
            &[
                severity_label(c.severity, lang),
                &kind,
                &c.subject,
                c.old.as_deref().unwrap_or(""),
                c.new.as_deref().unwrap_or(""),
                i18n::text(&c.detail, lang),
                &evidence(c, lang).unwrap_or_default(),
            ],
        );
    }
    out
}
