//! The signature block at the end of the HTML and Markdown reports: lines
//! for the auditor's name, place, date and signature, for consultants who
//! sign the printed report.

use std::fmt::Write as _;

use super::html::esc;
use crate::assess::Lang;

/// The heading and the fields to sign, in `l`.
fn texts(l: Lang) -> (&'static str, &'static str, [&'static str; 4]) {
    match l {
        Lang::De => (
            "Bestätigung der Prüfung",
            "Die Prüfung wurde wie in diesem Bericht beschrieben durchgeführt.",
            ["Prüfer/in", "Ort", "Datum", "Unterschrift"],
        ),
        Lang::En => (
            "Sign-off",
            "The audit was carried out as described in this report.",
            ["Auditor", "Place", "Date", "Signature"],
        ),
    }
}

/// Appends the signature block as HTML (`class="signature"`, kept on one page).
pub fn html(l: Lang, out: &mut String) {
    let (heading, statement, fields) = texts(l);
    let _ = writeln!(
        out,
        "<section class=\"signature\" id=\"signature\">\n<h2>{}</h2>\n<p>{}</p>\n<table class=\"sign\"><tbody>",
        esc(heading),
        esc(statement)
    );
    for f in fields {
        let _ = writeln!(out, "<tr><th>{}</th><td></td></tr>", esc(f));
    }
    out.push_str("</tbody></table>\n</section>\n");
}

/// Appends the signature block as Markdown: one line to sign on per field.
pub fn markdown(l: Lang, out: &mut String) {
    let (heading, statement, fields) = texts(l);
    let m = super::markdown::esc;
    let _ = writeln!(out, "## {}\n\n{}\n", m(heading), m(statement));
    for f in fields {
        // Escaped underscores: a line to sign on, never emphasis.
        let _ = writeln!(out, "**{}:** {}\n", m(f), "\\_".repeat(40));
    }
}
