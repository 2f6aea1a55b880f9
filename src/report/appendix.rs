//! The appendix at the end of the HTML and Markdown reports ("Anhang:
//! Prüfgrundlagen"): what the audit rests on — profile, audit date, tool
//! version, check-set digest, every input file with its size and SHA-256,
//! and the further inputs results rest on (answers, OS data, compliance
//! exports, …). Kept off page 1, which is the summary.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::fleet;
use super::html::esc;
use super::i18n::{self, Label};
use crate::assess::{Assessment, InputRole, Lang, TargetAssessment};
use crate::facts::FileInfo;

/// The appendix heading.
pub fn heading(l: Lang) -> &'static str {
    match l {
        Lang::De => "Anhang: Prüfgrundlagen",
        Lang::En => "Appendix: audit basis",
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

fn inputs_heading(l: Lang) -> &'static str {
    match l {
        Lang::De => "Weitere Eingaben, auf denen Ergebnisse beruhen",
        Lang::En => "Other inputs the results rest on",
    }
}

fn role_label(l: Lang) -> &'static str {
    match l {
        Lang::De => "Art",
        Lang::En => "Role",
    }
}

/// What a further input is for, in words.
pub fn role(r: InputRole, l: Lang) -> &'static str {
    match (r, l) {
        (InputRole::Answers, Lang::De) => "Antworten (Bestätigungen manueller Prüfungen)",
        (InputRole::Answers, Lang::En) => "Answers (manual checks confirmed)",
        (InputRole::Profile, Lang::De) => "Profildatei",
        (InputRole::Profile, Lang::En) => "Profile file",
        (InputRole::OsData, Lang::De) => "OS-Supportdaten (--os-data)",
        (InputRole::OsData, Lang::En) => "OS support data (--os-data)",
        (InputRole::Trackers, Lang::De) => "Tracker-Signaturen (--trackers)",
        (InputRole::Trackers, Lang::En) => "Tracker signatures (--trackers)",
        (InputRole::ColumnMapping, Lang::De) => "Spaltenzuordnung eines CSV-Exports",
        (InputRole::ColumnMapping, Lang::En) => "Column mapping of a CSV export",
        (InputRole::ComplianceExport, Lang::De) => "Intune-Konformitätsdaten",
        (InputRole::ComplianceExport, Lang::En) => "Intune compliance data",
        (InputRole::InstalledApps, Lang::De) => "Liste installierter Apps",
        (InputRole::InstalledApps, Lang::En) => "Installed-app list",
    }
}

/// A file's size, or „nicht gefunden“ / "not found" for a file that was
/// named but does not exist (it has no hash; its size 0 is no size).
fn size_cell(f: &FileInfo, l: Lang) -> String {
    if super::html::missing(f) {
        Label::NotFound.get(l).to_string()
    } else {
        f.size.to_string()
    }
}

/// A file's SHA-256, or „—“ for a file without one (not found, or over
/// `--max-input-size`).
fn hash_cell(f: &FileInfo) -> &str {
    if f.sha256.is_empty() {
        "—"
    } else {
        &f.sha256
    }
}

/// The metadata rows: label and value.
fn rows(a: &Assessment, l: Lang) -> [(&'static str, String); 4] {
    super::run_header::run_rows(&a.profile, &a.as_of, &a.tool, l)
}

/// Every input file: the apps' files in report order (each APK file of a
/// split set given as loose files), then the inventories.
fn files(a: &Assessment) -> Vec<FileInfo> {
    fleet::apps(a)
        .iter()
        .flat_map(|t| {
            let members = apk_files(t);
            if members.is_empty() {
                t.target.file.clone().into_iter().collect()
            } else {
                members
            }
        })
        .chain(fleet::inventory_files(a))
        .collect()
}

/// The APK files of an app read from a split set given as loose files
/// (`android.apk_files` of its facts, base first); empty for any other
/// target. The reports' lists of files (appendix, SARIF artifacts) name
/// each of them.
pub(super) fn apk_files(t: &TargetAssessment) -> Vec<FileInfo> {
    t.facts
        .as_ref()
        .and_then(|f| f.value().ok())
        .and_then(|mut facts| {
            let files = facts.get_mut("android")?.get_mut("apk_files")?.take();
            serde_json::from_value(files).ok()
        })
        .unwrap_or_default()
}

/// One of the appendix's file tables: the files audited, or the further
/// inputs (those with a first column naming their role).
struct FileTable<'a> {
    heading: &'static str,
    /// Each row: the input's role (further inputs only) and its file.
    rows: Vec<(Option<&'static str>, Cow<'a, FileInfo>)>,
}

impl FileTable<'_> {
    /// Whether the table has the role column.
    fn has_role(&self) -> bool {
        self.rows.iter().any(|(role, _)| role.is_some())
    }
}

/// The appendix's file tables that have rows, in order.
fn file_tables(a: &Assessment, l: Lang) -> Vec<FileTable<'_>> {
    let audited = FileTable {
        heading: files_heading(l),
        rows: files(a)
            .into_iter()
            .map(|f| (None, Cow::Owned(f)))
            .collect(),
    };
    let further = FileTable {
        heading: inputs_heading(l),
        rows: a
            .inputs
            .iter()
            .map(|i| (Some(role(i.role, l)), Cow::Borrowed(&i.file)))
            .collect(),
    };
    [audited, further]
        .into_iter()
        .filter(|t| !t.rows.is_empty())
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
    for table in file_tables(a, l) {
        let role = if table.has_role() {
            format!("<th>{}</th>", esc(role_label(l)))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<table class=\"files\"><thead><tr>{role}<th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(table.heading),
            esc(Label::File.get(l)),
            esc(size_label(l)),
            esc(Label::Sha256.get(l))
        );
        for (role, f) in &table.rows {
            let role = role
                .map(|r| format!("<td>{}</td>", esc(r)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr>{role}<td class=\"mono path\">{}</td><td class=\"num\">{}</td><td class=\"mono\">{}</td></tr>",
                super::html::path_html(&f.path),
                esc(&size_cell(f, l)),
                esc(hash_cell(f))
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
    for table in file_tables(a, l) {
        let (role, rule) = if table.has_role() {
            (format!(" {} |", m(role_label(l))), "---|")
        } else {
            (String::new(), "")
        };
        let _ = writeln!(
            out,
            "### {}\n\n|{role} {} | {} | {} |\n|{rule}---|---:|---|",
            m(table.heading),
            m(Label::File.get(l)),
            m(size_label(l)),
            m(Label::Sha256.get(l))
        );
        for (role, f) in &table.rows {
            let role = role.map(|r| format!(" {} |", m(r))).unwrap_or_default();
            let _ = writeln!(
                out,
                "|{role} {} | {} | {} |",
                m(&f.path),
                m(&size_cell(f, l)),
                m(hash_cell(f))
            );
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
