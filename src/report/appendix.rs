//! The appendix at the end of the HTML and Markdown reports ("Anhang:
//! Prüfgrundlagen"): what the audit rests on — profile, audit date, tool
//! version, check-set digest, and every input file with its size and
//! SHA-256. Kept off page 1, which is the summary.

use std::fmt::Write as _;

use super::fleet;
use super::html::esc;
use super::i18n::{self, Label};
use crate::assess::{Assessment, Lang};
use crate::facts::FileInfo;

/// The appendix heading.
pub fn heading(l: Lang) -> &'static str {
    match l {
        Lang::De => "Anhang: Prüfgrundlagen",
        Lang::En => "Appendix: basis of the audit",
    }
}

fn files_heading(l: Lang) -> &'static str {
    match l {
        Lang::De => "Geprüfte Dateien",
        Lang::En => "Files audited",
    }
}

fn size_label(l: Lang) -> &'static str {
    match l {
        Lang::De => "Größe (Byte)",
        Lang::En => "Size (bytes)",
    }
}

/// The metadata rows: label and value.
fn rows(a: &Assessment, l: Lang) -> [(&'static str, String); 4] {
    super::run_header::run_rows(&a.profile, &a.as_of, &a.tool, l)
}

/// Every input file: the apps' files in report order, then the inventories.
fn files(a: &Assessment) -> Vec<FileInfo> {
    fleet::apps(a)
        .iter()
        .filter_map(|t| t.target.file.clone())
        .chain(fleet::inventory_files(a))
        .collect()
}

/// Appends the appendix as an HTML section (`id="appendix"`).
pub fn html(a: &Assessment, l: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"appendix\" id=\"appendix\">\n<h2>{}</h2>\n<dl class=\"meta\">",
        esc(heading(l))
    );
    for (k, v) in rows(a, l) {
        let _ = writeln!(
            out,
            "<dt>{}</dt><dd class=\"mono\">{}</dd>",
            esc(k),
            esc(&v)
        );
    }
    out.push_str("</dl>\n");
    let files = files(a);
    if !files.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table class=\"files\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(files_heading(l)),
            esc(Label::File.get(l)),
            esc(size_label(l)),
            esc(Label::Sha256.get(l))
        );
        for f in &files {
            let _ = writeln!(
                out,
                "<tr><td class=\"mono\">{}</td><td class=\"num\">{}</td><td class=\"mono\">{}</td></tr>",
                esc(&f.path),
                f.size,
                esc(&f.sha256)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    if a.skipped_files > 0 {
        let _ = writeln!(
            out,
            "<p>{}</p>",
            esc(&i18n::skipped_files(
                a.skipped_files,
                a.skipped_unrecognized,
                l
            ))
        );
    }
    out.push_str("</section>\n");
}

/// Appends the appendix as Markdown.
pub fn markdown(a: &Assessment, l: Lang, out: &mut String) {
    let m = super::markdown::esc;
    let _ = writeln!(out, "## {}\n", m(heading(l)));
    for (k, v) in rows(a, l) {
        let _ = writeln!(out, "- **{}:** {}", m(k), m(&v));
    }
    out.push('\n');
    let files = files(a);
    if !files.is_empty() {
        let _ = writeln!(
            out,
            "### {}\n\n| {} | {} | {} |\n|---|---:|---|",
            m(files_heading(l)),
            m(Label::File.get(l)),
            m(size_label(l)),
            m(Label::Sha256.get(l))
        );
        for f in &files {
            let _ = writeln!(out, "| {} | {} | {} |", m(&f.path), f.size, m(&f.sha256));
        }
        out.push('\n');
    }
    if a.skipped_files > 0 {
        let _ = writeln!(
            out,
            "{}\n",
            m(&i18n::skipped_files(
                a.skipped_files,
                a.skipped_unrecognized,
                l
            ))
        );
    }
}
