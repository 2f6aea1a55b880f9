//! Self-contained HTML: inline CSS, no scripts, no external assets; the
//! summary first, the appendix and signature block last; prints to A4 PDF
//! with colours kept and no table row split across pages ([`super::print`]).

use std::fmt::Write as _;

use super::attestation;
use super::common::{app_warnings, evidence_line_in, needs_attention, read_problems, target_title};
use super::coverage;
use super::fleet::{self, DETAIL_DEVICE_CAP, LIST_DEVICE_CAP};
use super::i18n::{self, Label};
use crate::assess::{
    Assessment, CheckResult, FleetSummary, Lang, Outcome, TargetAssessment, Verdict,
};
use crate::lang::count;

/// The stylesheet of the scan report, shared by every HTML view (compare, diff).
pub const CSS: &str = r#"
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:10.5pt;line-height:1.4;color:#1b1f24;margin:0 auto;max-width:1100px;padding:24px}
h1{font-size:20pt;margin:0 0 4px}
h2{font-size:14pt;margin:28px 0 6px;border-bottom:2px solid #d0d7de;padding-bottom:4px}
h3{font-size:11.5pt;margin:18px 0 6px}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 16px;font-size:9.5pt}
.meta dt{font-weight:bold;color:#57606a}
.meta dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border:1px solid #d0d7de;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#eef1f4;font-size:9.5pt}
tr{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
td.num{text-align:right;white-space:nowrap}
td.req{width:13em}
td.oc{width:9em}
.mono{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:8.5pt;overflow-wrap:anywhere}
.mono.path,.path{overflow-wrap:break-word;word-break:normal}
.id{white-space:nowrap}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-weight:bold;font-size:9pt;white-space:nowrap;border:1px solid transparent}
.pass,.compliant{background:#dafbe1;color:#116329;border-color:#4ac26b}
.fail,.not_compliant{background:#ffebe9;color:#a40e26;border-color:#ff8182}
.warn,.incomplete{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.manual{background:#ddf4ff;color:#0a3069;border-color:#54aeff}
.not_applicable{background:#f6f8fa;color:#57606a;border-color:#d0d7de}
.error{background:#fbefff;color:#6e40c9;border-color:#c297ff}
.target{margin-top:10px}
.target+.target,.fleet{break-before:page;page-break-before:always}
.finding .t{font-weight:bold}
.finding .msg{margin:2px 0}
.finding ul{margin:2px 0 2px 18px;padding:0}
.sub{color:#57606a;font-size:9pt;font-weight:bold}
.att{background:#f0f6ff;border-left:3px solid #54aeff;padding:2px 6px;margin-top:3px}
.readerror{background:#fbefff;border-left:4px solid #8250df;padding:6px 10px}
.bar{background:#ffebe9;height:8px;width:100%;min-width:60px;border:1px solid #d0d7de}
.bar span{display:block;height:100%;background:#2da44e}
.note{color:#57606a;font-size:9pt}
@media print{body{padding:0;max-width:none;font-size:9.5pt}h2{break-after:avoid}@page{margin:14mm}}
"#;

/// Renders the assessment as one self-contained HTML document.
pub fn render(a: &Assessment, lang: Lang) -> std::io::Result<String> {
    let mut out = String::with_capacity(16 * 1024);
    let l = lang;
    let lang_attr = match lang {
        Lang::De => "de",
        Lang::En => "en",
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{lang_attr}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}{}{}{}</style>\n<style>{}</style>\n</head>\n<body>\n",
        esc(Label::ReportTitle.get(l)),
        super::profile::CSS,
        super::device_list::CSS,
        attestation::CSS,
        super::print::style(a, l)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(Label::ReportTitle.get(l)));
    super::notice::html(a, l, &mut out);
    super::print::lead_html(a, l, &mut out);
    super::summary_view::html(&super::summary::Summary::of(a), l, &mut out);
    let apps = fleet::apps(a);
    let titles = super::summary::distinct_titles(&apps, l);
    for (i, (t, title)) in apps.into_iter().zip(&titles).enumerate() {
        target(t, title, i, l, &mut out);
    }
    let devices = fleet::worst_devices(a, LIST_DEVICE_CAP)?;
    if a.fleet.is_some() || !devices.is_empty() {
        let list = super::device_list::html(a, l)?;
        fleet_section(a.fleet.as_ref(), &devices, &list, l, &mut out);
    }
    super::appendix::html(a, l, &mut out);
    super::signature::html(l, &mut out);
    out.push_str("</body>\n</html>\n");
    Ok(out)
}

fn target(t: &TargetAssessment, title: &str, idx: usize, l: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"target\" id=\"t{idx}\">\n<h2>{} {}</h2>",
        esc(title),
        target_badge(t, l)
    );
    target_meta(t, l, out);
    read_problem_block(t, l, out);
    warning_block(t, l, out);
    results_table(t, l, out);
    if let Some(sections) = super::profile::sections_of(t, l) {
        super::profile::html(&sections, l, out);
    }
    out.push_str("</section>\n");
}

/// Why the target is unreadable: one paragraph for a file that could not
/// be read, or the unread entries as a list.
fn read_problem_block(t: &TargetAssessment, l: Lang, out: &mut String) {
    let Some(p) = read_problems(t, l) else {
        return;
    };
    let _ = writeln!(
        out,
        "<div class=\"readerror\"><p><strong>{}:</strong> {}</p>",
        esc(p.heading),
        esc(&p.lead)
    );
    if !p.items.is_empty() {
        out.push_str("<ul>\n");
        for item in &p.items {
            let _ = writeln!(out, "<li>{}</li>", esc(item));
        }
        out.push_str("</ul>\n");
    }
    for note in &p.notes {
        let _ = writeln!(out, "<p>{}</p>", esc(note));
    }
    out.push_str("</div>\n");
}

/// The warnings reading the app gave, in the report language.
fn warning_block(t: &TargetAssessment, l: Lang, out: &mut String) {
    let (heading, warnings) = app_warnings(t, l);
    if warnings.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<div class=\"appwarnings\"><p><strong>{}:</strong></p>\n<ul>",
        esc(heading)
    );
    for w in &warnings {
        let _ = writeln!(out, "<li>{}</li>", esc(w));
    }
    out.push_str("</ul></div>\n");
}

/// The facts about a target above its results: kind, score with what was
/// decided, id, version, file (path, size, SHA-256) and source record. An
/// app and a device give the same rows, so a device's section says which
/// export and which record of it the device came from.
fn target_meta(t: &TargetAssessment, l: Lang, out: &mut String) {
    out.push_str("<dl class=\"meta\">\n");
    // (label, HTML of the value, class of the value)
    let mut rows: Vec<(&str, String, &str)> = vec![
        (Label::Kind.get(l), esc(i18n::target_kind(t, l)), ""),
        (Label::Score.get(l), esc(&coverage::headline(t, l)), ""),
    ];
    if let Some(id) = &t.target.id {
        rows.push((Label::AppId.get(l), esc(id), "mono"));
    }
    if let Some(v) = &t.target.version {
        rows.push((Label::Version.get(l), esc(v), ""));
    }
    if let Some(f) = &t.target.file {
        let size = match missing(f) {
            true => Label::NotFound.get(l).to_string(),
            false => format!("{} B", f.size),
        };
        rows.push((
            Label::File.get(l),
            format!("{} ({})", path_html(&f.path), esc(&size)),
            "mono path",
        ));
        if !f.sha256.is_empty() {
            rows.push((Label::Sha256.get(l), esc(&f.sha256), "mono"));
        }
    }
    if let Some(s) = &t.target.source {
        rows.push((
            Label::Source.get(l),
            esc(&super::locator::source(s, l)),
            "mono",
        ));
    }
    for (k, v, class) in rows {
        let class = if class.is_empty() {
            String::new()
        } else {
            format!(" class=\"{class}\"")
        };
        let _ = writeln!(out, "<dt>{}</dt><dd{class}>{v}</dd>", esc(k));
    }
    out.push_str("</dl>\n");
}

/// True for a file that was named but not found: it has no hash and no
/// size (even an empty file has a hash; a file over `--max-input-size`
/// has its size). The human reports say „nicht gefunden“ / "not found"
/// instead of a size of 0 and an empty hash; the JSON keeps its shape.
pub fn missing(f: &crate::facts::FileInfo) -> bool {
    f.sha256.trim().is_empty() && f.size == 0
}

/// A file path as HTML: escaped, with a line-break opportunity (`<wbr>`)
/// after each `/` (and `\`), so that a long path breaks between its
/// folders in print, never inside a folder's or the file's name.
pub fn path_html(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 16);
    esc_breaking_into(path, &mut out, |c, _| c == '/' || c == '\\');
    out
}

/// Escapes `text` into `out` as [`esc`] does, with a `<wbr>` after each
/// character `c` for which `breaks_after(c, next)` holds.
fn esc_breaking_into(
    text: &str,
    out: &mut String,
    breaks_after: impl Fn(char, Option<char>) -> bool,
) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        esc_char_into(c, out);
        if breaks_after(c, chars.peek().copied()) {
            out.push_str("<wbr>");
        }
    }
}

/// Words longer than this (in characters) get line-break opportunities in
/// [`code_html`].
const LONG_WORD: usize = 24;

/// Text holding identifiers (evidence: class and method names, bundle
/// paths, host names) as HTML: escaped, with a line-break opportunity
/// (`<wbr>`) after each `.`, `/`, `\`, `$`, `_` and `:` inside a word longer
/// than 24 characters (`LONG_WORD`; after the last of a run such as `://`), so that
/// `KeyGenParameterSpec$Builder.setUserAuthenticationRequired` breaks
/// before `setUserAuthenticationRequired` in a narrow column, not inside it
/// (the style's `overflow-wrap:anywhere` still breaks a word without such a
/// place, a hash). Shorter words and prose are as [`esc`] writes them.
pub fn code_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.chars().count() <= LONG_WORD {
            word.chars().for_each(|c| esc_char_into(c, &mut out));
            continue;
        }
        let separator = |c: char| matches!(c, '.' | '/' | '\\' | '$' | '_' | ':');
        // Not inside a run of separators (`https://`).
        esc_breaking_into(word, &mut out, |c, next| {
            separator(c) && next.is_some_and(|next| !separator(next))
        });
    }
    out
}

fn results_table(t: &TargetAssessment, l: Lang, out: &mut String) {
    if t.results.is_empty() {
        if t.error.is_none() {
            let _ = writeln!(out, "<p>{}</p>", esc(Label::NoResults.get(l)));
        }
        return;
    }
    let _ = writeln!(
        out,
        "<table class=\"results\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(Label::Outcome.get(l)),
        esc(Label::Requirement.get(l)),
        esc(Label::Message.get(l))
    );
    for r in &t.results {
        let _ = write!(
            out,
            "<tr class=\"finding\"><td class=\"oc\">{}{}</td><td class=\"req\">{}<br><span class=\"sub\">{}</span><br><span class=\"mono\">{}</span></td><td>",
            outcome_badge(r.outcome, l),
            attestation_badge(r, l),
            esc(&r.requirement),
            esc(i18n::requirement_level(r.level, &r.requirement, l)),
            esc(&r.check)
        );
        let _ = write!(
            out,
            "<div class=\"t\">{}</div><div class=\"msg\">{}</div>",
            esc(i18n::text(&r.title, l)),
            esc(i18n::text(&r.message, l))
        );
        if !r.evidence.is_empty() {
            let _ = write!(
                out,
                "<div class=\"sub evidence\">{}</div><ul>",
                esc(Label::Evidence.get(l))
            );
            for e in &r.evidence {
                let _ = write!(
                    out,
                    "<li class=\"mono\">{}</li>",
                    code_html(&evidence_line_in(e, l))
                );
            }
            out.push_str("</ul>");
        }
        let rem = i18n::text(&r.remediation, l);
        if needs_attention(r.outcome) && !rem.trim().is_empty() {
            let _ = write!(
                out,
                "<div><span class=\"sub\">{}:</span> {}</div>",
                esc(Label::Remediation.get(l)),
                esc(rem)
            );
        }
        if let Some((label, detail)) = attestation::labelled(r, l) {
            let label = label
                .map(|s| format!("<span class=\"sub\">{}:</span> ", esc(s)))
                .unwrap_or_default();
            let _ = write!(out, "<div class=\"att\">{label}{}</div>", esc(&detail));
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody></table>\n");
}

/// What the exports showed together, for information (pages read together).
fn export_info(s: &FleetSummary, l: Lang, out: &mut String) {
    if s.export_info.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h3>{}</h3>\n<ul>", esc(Label::ExportInfo.get(l)));
    for t in &s.export_info {
        let _ = writeln!(out, "<li>{}</li>", esc(t.get(l)));
    }
    out.push_str("</ul>\n");
}

/// What each export did not say clearly.
fn export_notes(s: &FleetSummary, l: Lang, out: &mut String) {
    let notes = fleet::export_notes(s);
    if notes.is_empty() {
        return;
    }
    let _ = writeln!(out, "<h3>{}</h3>", esc(Label::ExportNotes.get(l)));
    for (inv, shown, more) in notes {
        let _ = writeln!(
            out,
            "<p><span class=\"mono path\">{}</span> ({}, {})</p>\n<ul>",
            path_html(&inv.file.path),
            esc(&inv.format),
            esc(&fleet::export_devices(inv, l))
        );
        for w in shown {
            let _ = writeln!(out, "<li>{}</li>", esc(w.get(l)));
        }
        if more > 0 {
            let _ = writeln!(
                out,
                "<li>… {} {}</li>",
                count(more, l),
                esc(Label::MoreNotes.get(l))
            );
        }
        out.push_str("</ul>\n");
    }
}

fn fleet_section(
    summary: Option<&FleetSummary>,
    devices: &fleet::WorstDevices,
    list: &str,
    l: Lang,
    out: &mut String,
) {
    let _ = writeln!(
        out,
        "<section class=\"fleet\" id=\"fleet\">\n<h2>{}</h2>",
        esc(Label::Fleet.get(l))
    );
    if let Some(s) = summary {
        let note = if s.pseudonymized {
            Label::Pseudonymized
        } else {
            Label::NotPseudonymized
        };
        let _ = writeln!(
            out,
            "<p>{} — {} {}, {} {}, {} {}. <span class=\"note\">{}</span></p>",
            esc(&i18n::devices_counted(s.devices, l)),
            verdict_badge(Verdict::Compliant, l),
            count(s.compliant, l),
            verdict_badge(Verdict::NotCompliant, l),
            count(s.not_compliant, l),
            verdict_badge(Verdict::Incomplete, l),
            count(s.incomplete, l),
            esc(note.get(l))
        );
        if s.default_pseudonym_key {
            let _ = writeln!(
                out,
                "<p class=\"note\">{}</p>",
                esc(Label::DefaultKeyNote.get(l))
            );
        }
        if !s.requirements.is_empty() {
            let _ = writeln!(
                out,
                "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th colspan=\"2\">{}</th></tr></thead><tbody>",
                esc(Label::Requirement.get(l)),
                esc(Label::Title.get(l)),
                esc(Label::Passed.get(l)),
                esc(Label::Failed.get(l)),
                esc(Label::Undecided.get(l)),
                esc(coverage::not_applicable_header(l)),
                esc(Label::ShareCompliant.get(l))
            );
            for q in &s.requirements {
                let share = if q.share_compliant.is_finite() {
                    q.share_compliant.clamp(0.0, 100.0)
                } else {
                    0.0
                };
                let _ = writeln!(
                    out,
                    "<tr><td>{}<br><span class=\"sub\">{}</span></td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td style=\"width:18%\"><div class=\"bar\"><span style=\"width:{share:.1}%\"></span></div></td></tr>{}",
                    esc(&q.requirement),
                    esc(i18n::requirement_level(q.level, &q.requirement, l)),
                    esc(i18n::text(&q.title, l)),
                    count(q.passed, l),
                    count(q.failed, l),
                    count(q.undecided, l),
                    count(q.not_applicable, l),
                    esc(&i18n::score(q.shown_share(), l)),
                    // What would decide the open devices, on a row of its own
                    // across the table (in the title column it made a row
                    // taller than a printed page's rest).
                    coverage::open_hint(q, l)
                        .map(|h| format!(
                            "\n<tr class=\"hint\"><td></td><td colspan=\"7\"><span class=\"sub\">{}</span></td></tr>",
                            esc(&h)
                        ))
                        .unwrap_or_default()
                );
            }
            out.push_str("</tbody></table>\n");
        }
        export_info(s, l, out);
        export_notes(s, l, out);
        let found = super::messengers::lines(s, l);
        if !found.is_empty() {
            let _ = writeln!(out, "<h3>{}</h3>\n<ul>", esc(super::messengers::heading(l)));
            found.iter().for_each(|m| {
                let _ = writeln!(out, "<li>{}</li>", esc(m));
            });
            out.push_str("</ul>\n");
        }
    }
    if devices.is_empty() {
        out.push_str("</section>\n");
        return;
    }
    out.push_str(list);
    // Full detail (evidence, remediation) for the worst devices that need action.
    let (detailed, more) = devices.needing(DETAIL_DEVICE_CAP);
    for d in detailed {
        let _ = writeln!(
            out,
            "<h3>{} {}</h3>",
            id_html(&target_title(d, l)),
            verdict_badge(d.verdict, l)
        );
        target_meta(d, l, out);
        if let Some(err) = &d.error {
            let _ = writeln!(
                out,
                "<p class=\"readerror\"><strong>{}:</strong> {}</p>",
                esc(Label::ReadError.get(l)),
                esc(err)
            );
        }
        results_table(d, l, out);
    }
    if more > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">… {} {}</p>",
            count(more, l),
            esc(Label::OmittedSuffix.get(l))
        );
    }
    out.push_str("</section>\n");
}

fn outcome_badge(o: Outcome, l: Lang) -> String {
    let class = o.name();
    format!(
        "<span class=\"badge {class}\">{}</span>",
        esc(i18n::outcome(o, l))
    )
}

/// The attestation badge under the outcome badge, or nothing.
fn attestation_badge(r: &CheckResult, l: Lang) -> String {
    attestation::badge(r, l).map_or_else(String::new, |b| {
        format!(
            "<br><span class=\"badge attest {}\">{}</span>",
            attestation::class(r),
            esc(b)
        )
    })
}

/// A verdict as a coloured badge.
pub fn verdict_badge(v: Verdict, l: Lang) -> String {
    badge_named(v, i18n::verdict(v, l))
}

/// A target's verdict as a coloured badge, named as the reader reads it
/// ([`i18n::target_verdict`]: an installed-app list that matched no device
/// is „Nicht zugeordnet“, in the colour of its verdict `error`).
pub fn target_badge(t: &TargetAssessment, l: Lang) -> String {
    badge_named(t.verdict, i18n::target_verdict(t, l))
}

/// A badge in the colour of verdict `v`, saying `name`.
fn badge_named(v: Verdict, name: &str) -> String {
    let class = v.name();
    format!("<span class=\"badge {class}\">{}</span>", esc(name))
}

/// A device's or an app's name as HTML: a short name without spaces (a
/// pseudonym such as `pn-1c193e6f12ad`) is kept on one line, so print never
/// breaks it at its hyphen; a longer name may wrap as text does.
pub fn id_html(name: &str) -> String {
    if name.chars().count() <= 40 && !name.contains(char::is_whitespace) {
        format!("<span class=\"id\">{}</span>", esc(name))
    } else {
        esc(name)
    }
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    s.chars().for_each(|c| esc_char_into(c, &mut out));
    out
}

/// Appends `c` escaped for HTML ([`esc`]) to `out`.
fn esc_char_into(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        // Control characters other than tab/newline are not valid in HTML text.
        c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<script>alert('x')</script>&\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
        assert_eq!(esc("a\u{1b}[31m"), "a\u{FFFD}[31m");
    }

    #[test]
    fn a_long_identifier_breaks_after_its_separators_prose_stays_as_it_is() {
        assert_eq!(
            code_html("API: org.example.KeyGenParameterSpec$Builder.setUserAuthenticationRequired in a<b>"),
            "API: org.<wbr>example.<wbr>KeyGenParameterSpec$<wbr>Builder.<wbr>setUserAuthenticationRequired in a&lt;b&gt;"
        );
        // A short word keeps its dots, a long one without a separator is whole.
        assert_eq!(code_html("z. B. v1.2.3"), "z. B. v1.2.3");
        assert_eq!(
            code_html("Ende-zu-Ende-Verschlüsselungsbibliothek."),
            "Ende-zu-Ende-Verschlüsselungsbibliothek."
        );
        assert_eq!(
            code_html("o0.ingest.de.sentry.io/api/1234567"),
            "o0.<wbr>ingest.<wbr>de.<wbr>sentry.<wbr>io/<wbr>api/<wbr>1234567"
        );
    }

    #[test]
    fn a_path_breaks_only_after_its_slashes() {
        assert_eq!(
            path_html("/work/main/sample-apps/android/out/a&b.apk"),
            "/<wbr>work/<wbr>main/<wbr>sample-apps/<wbr>android/<wbr>out/<wbr>a&amp;b.apk"
        );
        assert_eq!(path_html("C:\\x\\y.apk"), "C:\\<wbr>x\\<wbr>y.apk");
        assert_eq!(path_html("<b>"), "&lt;b&gt;");
    }

    #[test]
    fn a_pseudonym_is_kept_whole_and_a_long_name_wraps() {
        assert_eq!(
            id_html("pn-1c193e6f12ad"),
            "<span class=\"id\">pn-1c193e6f12ad</span>"
        );
        assert_eq!(id_html("Datensatz 1 (a.json)"), "Datensatz 1 (a.json)");
    }

    #[test]
    fn a_file_without_hash_and_size_is_missing() {
        let f = |size, sha256: &str| crate::facts::FileInfo {
            path: "/tmp/nope.apk".into(),
            size,
            sha256: sha256.into(),
        };
        assert!(missing(&f(0, "")));
        assert!(!missing(&f(0, "e3b0c442")));
        // Over --max-input-size: a size, no hash.
        assert!(!missing(&f(1 << 40, "")));
    }
}
