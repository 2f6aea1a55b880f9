//! Print layout of the HTML report (HTML → PDF with Chromium): A4 pages, a
//! running header with the profile and the audit date, "Seite N von M" /
//! "Page N of M" at the foot (CSS page-margin boxes), tables that wrap
//! instead of being clipped, short blocks kept on one page, and no forced
//! page breaks that leave half-empty pages. Added after the screen style,
//! so it only adds and overrides.

use std::fmt::Write as _;

use super::i18n::{self, Label};
use crate::assess::{Assessment, Lang};

/// Rules for the summary, charts, appendix and signature block, on screen and in print.
const CSS: &str = r#"
.lead{color:#57606a;font-size:9.5pt;margin:0 0 10px}
.exec-targets ul.reasons{margin:0;padding-left:16px}
.exec-targets td:first-child{width:22%}
.exec-targets td:nth-child(2){width:18%}
.exec-targets .score{font-weight:bold}
ol.actions{padding-left:22px;margin:4px 0 10px}
ol.actions li{margin:0 0 5px}
.fixes{font-weight:bold}
figure.chart{margin:6px 0 12px}
svg.chart{display:block;width:100%;max-width:680px;height:auto}
.exec-targets li,ol.actions li{overflow-wrap:anywhere}
.vc{white-space:nowrap}
table.files td.path{word-break:normal;overflow-wrap:break-word}
table.files td:last-child{white-space:nowrap;overflow-wrap:normal}
table.sign{width:100%;max-width:640px;border:none;margin-top:10px}
table.sign th{border:none;background:none;width:9em;vertical-align:bottom;padding:14px 8px 2px 0;font-size:10pt}
table.sign td{border:none;border-bottom:1px solid #1b1f24;height:2.6em}
@media print{
  .target+.target,.fleet{break-before:auto;page-break-before:auto}
  h2,h3{break-after:avoid;page-break-after:avoid}
  /* A heading, a device group's heading and the evidence label stay with
     what follows them. */
  h4,summary,.evidence{break-after:avoid;page-break-after:avoid;break-inside:avoid;page-break-inside:avoid}
  /* Every group prints expanded: no disclosure triangle on paper. */
  summary{list-style:none}
  summary::-webkit-details-marker,summary::marker{display:none;content:""}
  .exec-targets tr{break-inside:auto;page-break-inside:auto}
  .exec-targets li{break-inside:avoid}
  /* A result row taller than what is left of a page (long evidence) goes
     on over the break, its evidence items whole, instead of leaving the
     rest of the page empty. */
  tr.finding{break-inside:auto;page-break-inside:auto}
  /* A requirement's note on its open devices stays with its row. */
  tr.hint{break-before:avoid;page-break-before:avoid}
  tr.finding li{break-inside:avoid}
  figure.chart,ol.actions li,.meta,.readerror,.att,.appwarnings,section.signature{break-inside:avoid;page-break-inside:avoid}
  a{color:inherit;text-decoration:none}
}
"#;

/// A CSS string literal of `s`: quotes and backslashes escaped, line
/// breaks as `\A`, and `<` as `\3C` so no text can close the `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3C "),
            '>' => out.push_str("\\3E "),
            c if c.is_control() => out.push_str("\\A "),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The words around the page numbers: ("Seite ", " von ") / ("Page ", " of ").
fn page_words(l: Lang) -> (&'static str, &'static str) {
    match l {
        Lang::De => ("Seite ", " von "),
        Lang::En => ("Page ", " of "),
    }
}

/// The print stylesheet of `a`'s report in `l`: the rules above and the
/// page box with its running header (report title and profile on the left,
/// audit date on the right) and page numbers.
pub fn style(a: &Assessment, l: Lang) -> String {
    let left = format!(
        "{} · {}: {}",
        Label::ReportTitle.get(l),
        Label::Profile.get(l),
        i18n::text(&a.profile.title, l)
    );
    let right = format!("{}: {}", Label::AsOf.get(l), a.as_of);
    let (page, of) = page_words(l);
    let margin_font = "font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:8pt;color:#57606a";
    let mut out = String::with_capacity(CSS.len() + 512);
    out.push_str(CSS);
    let _ = writeln!(
        out,
        "@page{{size:A4;margin:18mm 14mm 16mm 14mm;\
         @top-left{{content:{};{margin_font}}}\
         @top-right{{content:{};{margin_font}}}\
         @bottom-right{{content:{} counter(page) {} counter(pages);{margin_font}}}}}",
        css_string(&left),
        css_string(&right),
        css_string(page),
        css_string(of)
    );
    out
}

/// The line under the title: profile and audit date (the rest of the
/// metadata is in the appendix).
pub fn lead_html(a: &Assessment, l: Lang, out: &mut String) {
    use super::html::esc;
    let _ = writeln!(
        out,
        "<p class=\"lead\">{}: {} · {}: {} · <a href=\"#appendix\">{}</a></p>",
        esc(Label::Profile.get(l)),
        esc(i18n::text(&a.profile.title, l)),
        esc(Label::AsOf.get(l)),
        esc(&a.as_of),
        esc(super::appendix::heading(l))
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out_of_the_rule_or_the_style_element() {
        assert_eq!(css_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        assert_eq!(css_string("</style>"), "\"\\3C /style\\3E \"");
        assert_eq!(css_string("x\ny"), "\"x\\A y\"");
    }
}
