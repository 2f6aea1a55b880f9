//! The terminal table: readable at 80 columns, coloured only on request.

use comfy_table::{presets, Cell, Color, ColumnConstraint, ContentArrangement, Table, Width};

use super::attestation;
use super::common::{
    app_warnings, evidence_line_in, needs_attention, one_line, read_problems, short_digest,
    target_title,
};
use super::coverage;
use super::fleet::{self, TABLE_DEVICE_CAP};
use super::i18n::{self, Label};
use crate::assess::{Assessment, FleetSummary, Lang, Outcome, TargetAssessment, Verdict};
use crate::lang::count;

/// Longest text (in characters) the terminal shows of one input value; the
/// JSON report keeps everything.
const MAX_TEXT: usize = 1000;

/// An input text made safe and short for the terminal: one line, no control or
/// bidi-override characters, at most [`MAX_TEXT`] characters (then `…`).
fn clean(s: &str) -> String {
    let line = one_line(s);
    match line.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => format!("{}…", line.get(..cut).unwrap_or_default()),
        None => line,
    }
}

/// Width the terminal report is laid out for.
pub const WIDTH: usize = 80;

/// Renders the terminal report.
pub fn render(a: &Assessment, lang: Lang, color: bool) -> std::io::Result<String> {
    let r = Renderer { lang, color };
    let mut out = String::new();
    r.header(a, &mut out);
    for n in super::notice::texts(a, lang) {
        out.push('\n');
        push_hanging(
            &mut out,
            &format!("!! {}: {n}", super::notice::heading(lang)),
            0,
            3,
        );
    }
    out.push('\n');
    for (indent, line) in super::summary_view::text_lines(&super::summary::Summary::of(a), lang) {
        push_hanging(&mut out, &line, indent, indent + 2);
    }
    for t in fleet::apps(a) {
        out.push('\n');
        r.target(t, &mut out);
    }
    let devices = fleet::worst_devices(a, TABLE_DEVICE_CAP)?;
    if a.fleet.is_some() || !devices.is_empty() {
        out.push('\n');
        r.fleet(a.fleet.as_ref(), &devices, &mut out);
    }
    r.summary(a, &mut out);
    Ok(out)
}

struct Renderer {
    lang: Lang,
    color: bool,
}

impl Renderer {
    fn header(&self, a: &Assessment, out: &mut String) {
        let l = self.lang;
        push_wrapped(out, &Label::ReportTitle.get(l).to_uppercase(), 0);
        push_wrapped(
            out,
            &format!(
                "{}: {} ({}) · {}: {}",
                Label::Profile.get(l),
                i18n::text(&a.profile.title, l),
                a.profile.id,
                Label::AsOf.get(l),
                a.as_of
            ),
            0,
        );
        push_wrapped(
            out,
            &format!(
                "{}: {} {} · {}: {}…",
                Label::ToolVersion.get(l),
                a.tool.name,
                a.tool.version,
                Label::CheckSetDigest.get(l),
                short_digest(a)
            ),
            0,
        );
    }

    fn target(&self, t: &TargetAssessment, out: &mut String) {
        let l = self.lang;
        let title = clean(&target_title(t, l));
        let mut head = format!("== {} ({}", title, i18n::target_kind(t, l));
        if let Some(id) = &t.target.id {
            head.push_str(", ");
            head.push_str(&clean(id));
        }
        head.push(')');
        push_wrapped(out, &head, 0);
        let verdict = self.paint_verdict(t.verdict, i18n::target_verdict(t, l));
        // Widths are counted without colour codes.
        let verdict_part = format!(
            "   {}: {}",
            Label::Verdict.get(l),
            i18n::target_verdict(t, l)
        );
        let score_part = format!("{}: {}", Label::Score.get(l), coverage::score(t, l));
        let decided = coverage::decided_of(t, l).unwrap_or_default();
        // The score stays beside the verdict, and the coverage beside the
        // score, while the line fits; else each goes on a line of its own.
        let width = |s: &str| s.chars().count();
        let (score_sep, score_width) = if width(&verdict_part) + 3 + width(&score_part) <= WIDTH {
            ("   ", width(&verdict_part) + 3 + width(&score_part))
        } else {
            ("\n   ", 3 + width(&score_part))
        };
        let sep = if decided.is_empty() {
            ""
        } else if score_width + 3 + width(&decided) <= WIDTH {
            " · "
        } else {
            "\n   "
        };
        out.push_str(&format!(
            "   {}: {verdict}{score_sep}{score_part}{sep}{decided}\n",
            Label::Verdict.get(l),
        ));
        if let Some(file) = &t.target.file {
            push_wrapped(
                out,
                &match super::html::missing(file) {
                    true => format!(
                        "{}: {} ({})",
                        Label::File.get(l),
                        clean(&file.path),
                        Label::NotFound.get(l)
                    ),
                    false => format!("{}: {}", Label::File.get(l), clean(&file.path)),
                },
                3,
            );
            if !file.sha256.is_empty() {
                push_wrapped(
                    out,
                    &format!("{}: {}", Label::Sha256.get(l), clean(&file.sha256)),
                    3,
                );
            }
        }
        if let Some(source) = &t.target.source {
            push_wrapped(
                out,
                &format!(
                    "{}: {}",
                    Label::Source.get(l),
                    clean(&super::locator::source(source, l))
                ),
                3,
            );
        }
        if let Some(p) = read_problems(t, l) {
            push_wrapped(out, &clean(&p.head()), 3);
            for item in &p.items {
                push_hanging(out, &format!("- {}", clean(item)), 5, 7);
            }
            for note in &p.notes {
                push_wrapped(out, &clean(note), 3);
            }
        }
        let (heading, warnings) = app_warnings(t, l);
        if !warnings.is_empty() {
            push_wrapped(out, &format!("{heading}:"), 3);
            for w in &warnings {
                push_hanging(out, &format!("- {}", clean(w)), 5, 7);
            }
        }
        if t.results.is_empty() {
            if t.error.is_none() {
                push_wrapped(out, Label::NoResults.get(l), 3);
            }
            return;
        }
        let mut table = self.new_table();
        table.set_header(vec![
            Label::Outcome.get(l),
            Label::Requirement.get(l),
            Label::Message.get(l),
        ]);
        for r in &t.results {
            let mut outcome = i18n::outcome(r.outcome, l).to_string();
            if let Some(badge) = attestation::badge(r, l) {
                outcome.push_str(&format!(" ({badge})"));
            }
            table.add_row(vec![
                self.outcome_cell(r.outcome, outcome),
                Cell::new(format!(
                    "{} ({})",
                    clean(&r.requirement),
                    i18n::requirement_level(r.level, &r.requirement, l)
                )),
                Cell::new(format!(
                    "{}\n{}",
                    clean(i18n::text(&r.title, l)),
                    clean(i18n::text(&r.message, l))
                )),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        self.findings(t, out);
        // The essentials only; --format html/md has the full profile.
        for (indent, line) in super::profile::brief_lines(t, l).unwrap_or_default() {
            push_hanging(out, &clean(&line), indent, indent + 2);
        }
    }

    /// The compact evidence block for fail/warn/manual/error results and attestations.
    fn findings(&self, t: &TargetAssessment, out: &mut String) {
        let l = self.lang;
        let relevant: Vec<_> = t
            .results
            .iter()
            .filter(|r| needs_attention(r.outcome) || r.attestation.is_some())
            .collect();
        if relevant.is_empty() {
            return;
        }
        push_wrapped(out, &format!("{}:", Label::Findings.get(l)), 0);
        for r in relevant {
            push_hanging(
                out,
                &format!(
                    "{} [{}] {}",
                    clean(&r.check),
                    i18n::outcome(r.outcome, l),
                    clean(i18n::text(&r.title, l))
                ),
                2,
                4,
            );
            for e in &r.evidence {
                push_hanging(out, &format!("- {}", clean(&evidence_line_in(e, l))), 4, 6);
            }
            if let Some((label, line)) = attestation::labelled(r, l) {
                let line = match label {
                    Some(label) => format!("{label}: {line}"),
                    None => line,
                };
                push_hanging(out, &clean(&line), 4, 6);
            }
            let rem = i18n::text(&r.remediation, l);
            if needs_attention(r.outcome) && !rem.trim().is_empty() {
                push_hanging(
                    out,
                    &format!("{}: {}", Label::Remediation.get(l), clean(rem)),
                    4,
                    6,
                );
            }
        }
    }

    fn fleet(
        &self,
        summary: Option<&FleetSummary>,
        devices: &fleet::WorstDevices,
        out: &mut String,
    ) {
        let l = self.lang;
        if let Some(s) = summary {
            push_wrapped(
                out,
                &format!(
                    "== {}: {} · {} {} · {} {} · {} {}",
                    Label::Fleet.get(l),
                    i18n::devices_counted(s.devices, l),
                    i18n::verdict(Verdict::Compliant, l),
                    count(s.compliant, l),
                    i18n::verdict(Verdict::NotCompliant, l),
                    count(s.not_compliant, l),
                    i18n::verdict(Verdict::Incomplete, l),
                    count(s.incomplete, l)
                ),
                0,
            );
            let note = if s.pseudonymized {
                Label::Pseudonymized
            } else {
                Label::NotPseudonymized
            };
            push_wrapped(out, note.get(l), 3);
            if s.default_pseudonym_key {
                push_wrapped(out, Label::DefaultKeyNote.get(l), 3);
            }
            if !s.requirements.is_empty() {
                let mut table = self.new_table();
                table.set_header(vec![
                    Label::Requirement.get(l),
                    Label::Passed.get(l),
                    Label::Failed.get(l),
                    Label::Undecided.get(l),
                    coverage::not_applicable_header(l),
                    Label::ShareCompliant.get(l),
                ]);
                // The counts and the share stay narrow (their headers wrap),
                // so the titles' long German compounds ("Sicherheitsupdates")
                // are not broken inside a word.
                // The share's header names its denominator ("von allen
                // anwendbaren)"): wide enough for that word unbroken.
                for i in 1..=5 {
                    // "Not applicable" needs 12 for "applicable" unbroken.
                    let width = match i {
                        5 => 14,
                        4 => 12,
                        _ => 11,
                    };
                    if let Some(column) = table.column_mut(i) {
                        column.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(width)));
                    }
                }
                for q in &s.requirements {
                    table.add_row(vec![
                        Cell::new(format!(
                            "{} ({})\n{}",
                            clean(&q.requirement),
                            i18n::requirement_level(q.level, &q.requirement, l),
                            clean(i18n::text(&q.title, l))
                        )),
                        Cell::new(count(q.passed, l)),
                        Cell::new(count(q.failed, l)),
                        Cell::new(count(q.undecided, l)),
                        Cell::new(count(q.not_applicable, l)),
                        Cell::new(i18n::score(q.shown_share(), l)),
                    ]);
                }
                out.push_str(&table.to_string());
                out.push('\n');
                // What would decide the open checks, under the table (the
                // narrow requirement column would break the long hints).
                for q in &s.requirements {
                    if let Some(hint) = coverage::open_hint(q, l) {
                        push_hanging(
                            out,
                            &format!("{}: {}", clean(&q.requirement), clean(&hint)),
                            3,
                            5,
                        );
                    }
                }
            }
            self.export_info(s, out);
            self.export_notes(s, out);
            let found = super::messengers::lines(s, l);
            if !found.is_empty() {
                push_wrapped(out, &format!("{}:", super::messengers::heading(l)), 0);
                found
                    .iter()
                    .for_each(|m| push_hanging(out, &clean(m), 2, 4));
            }
        } else {
            push_wrapped(
                out,
                &format!(
                    "== {}: {}",
                    Label::DevicesHeading.get(l),
                    count(devices.total, l)
                ),
                0,
            );
        }
        if devices.is_empty() {
            return;
        }
        push_wrapped(out, &format!("{}:", Label::WorstDevices.get(l)), 0);
        let (shown, omitted) = devices.listed(TABLE_DEVICE_CAP);
        let mut table = self.new_table();
        table.set_header(vec![
            Label::Device.get(l),
            Label::Verdict.get(l),
            Label::Failures.get(l),
            Label::FailedChecks.get(l),
        ]);
        for d in shown {
            table.add_row(vec![
                Cell::new(
                    format!(
                        "{}\n{}",
                        clean(&target_title(d, l)),
                        clean(&super::device_list::short_line(d, l))
                    )
                    .trim_end()
                    .to_string(),
                ),
                self.verdict_cell(d.verdict, i18n::verdict(d.verdict, l)),
                Cell::new(fleet::failures(d)),
                Cell::new(clean(&fleet::failed_requirements(d).join(", "))),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        if omitted > 0 {
            push_wrapped(
                out,
                &format!("… {} {}", count(omitted, l), Label::OmittedSuffix.get(l)),
                0,
            );
        }
    }

    /// What the exports showed together, for information (pages read
    /// together).
    fn export_info(&self, s: &FleetSummary, out: &mut String) {
        let l = self.lang;
        if s.export_info.is_empty() {
            return;
        }
        push_wrapped(out, &format!("{}:", Label::ExportInfo.get(l)), 0);
        for t in &s.export_info {
            push_wrapped(out, &format!("- {}", clean(t.get(l))), 2);
        }
    }

    /// What each export did not say clearly, a few lines per export.
    fn export_notes(&self, s: &FleetSummary, out: &mut String) {
        let l = self.lang;
        let notes = fleet::export_notes(s);
        if notes.is_empty() {
            return;
        }
        push_wrapped(out, &format!("{}:", Label::ExportNotes.get(l)), 0);
        for (inv, shown, more) in notes {
            push_wrapped(
                out,
                &format!(
                    "{} ({}, {})",
                    clean(&inv.file.path),
                    clean(&inv.format),
                    fleet::export_devices(inv, l)
                ),
                2,
            );
            for w in shown {
                push_wrapped(out, &format!("- {}", clean(w.get(l))), 4);
            }
            if more > 0 {
                push_wrapped(
                    out,
                    &format!("… {} {}", count(more, l), Label::MoreNotes.get(l)),
                    4,
                );
            }
        }
    }

    /// A closing overview: one line per app, one for the fleet — what a
    /// reader sees last in a terminal.
    fn summary(&self, a: &Assessment, out: &mut String) {
        let l = self.lang;
        let apps = fleet::apps(a);
        if apps.len() + usize::from(a.fleet.is_some()) < 2 {
            self.skipped(a, out);
            return;
        }
        out.push('\n');
        push_wrapped(out, &Label::Summary.get(l).to_uppercase(), 0);
        let mut table = self.new_table();
        table.set_header(vec![
            Cell::new(Label::Target.get(l)),
            Cell::new(Label::Kind.get(l)),
            Cell::new(Label::Verdict.get(l)),
            Cell::new(Label::Score.get(l)),
        ]);
        for t in apps {
            let file = t
                .target
                .file
                .as_ref()
                .and_then(|f| std::path::Path::new(&f.path).file_name())
                .map(|n| format!("\n{}", clean(&n.to_string_lossy())))
                .unwrap_or_default();
            table.add_row(vec![
                Cell::new(format!("{}{file}", clean(&t.target.name))),
                Cell::new(i18n::target_kind(t, l)),
                self.verdict_cell(t.verdict, i18n::target_verdict(t, l)),
                Cell::new(match coverage::decided_of(t, l) {
                    Some(d) => format!("{}\n{d}", coverage::score(t, l)),
                    None => coverage::score(t, l),
                }),
            ]);
        }
        if let Some(f) = &a.fleet {
            table.add_row(vec![
                Cell::new(i18n::devices_counted(f.devices, l)),
                Cell::new(i18n::kind(crate::facts::TargetKind::Device, l)),
                Cell::new(format!(
                    "{} {} · {} {} · {} {}",
                    count(f.compliant, l),
                    i18n::verdict(Verdict::Compliant, l),
                    count(f.not_compliant, l),
                    i18n::verdict(Verdict::NotCompliant, l),
                    count(f.incomplete, l),
                    i18n::verdict(Verdict::Incomplete, l)
                )),
                Cell::new(""),
            ]);
        }
        out.push_str(&table.to_string());
        out.push('\n');
        self.skipped(a, out);
    }

    /// The number of files folder scans skipped, when any.
    fn skipped(&self, a: &Assessment, out: &mut String) {
        if a.skipped_files > 0 {
            out.push('\n');
            push_wrapped(
                out,
                &i18n::skipped_files(a.skipped_files, a.skipped_unrecognized, self.lang),
                0,
            );
        }
    }

    fn new_table(&self) -> Table {
        let mut table = Table::new();
        table
            .load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(u16::try_from(WIDTH).unwrap_or(u16::MAX));
        if self.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        table
    }

    fn outcome_cell(&self, o: Outcome, text: String) -> Cell {
        let cell = Cell::new(text);
        match (self.color, outcome_color(o)) {
            (true, Some(c)) => cell.fg(c),
            _ => cell,
        }
    }

    /// A cell saying `name`, in the colour of verdict `v`.
    fn verdict_cell(&self, v: Verdict, name: &str) -> Cell {
        let cell = Cell::new(name);
        if self.color {
            cell.fg(verdict_color(v))
        } else {
            cell
        }
    }

    /// `name` in the colour of verdict `v` (when colour is on).
    fn paint_verdict(&self, v: Verdict, name: &str) -> String {
        if !self.color {
            return name.to_string();
        }
        let code = match verdict_color(v) {
            Color::Green => "32",
            Color::Red => "31",
            Color::Yellow => "33",
            _ => "35",
        };
        format!("\x1b[1;{code}m{name}\x1b[0m")
    }
}

fn outcome_color(o: Outcome) -> Option<Color> {
    match o {
        Outcome::Pass => Some(Color::Green),
        Outcome::Fail => Some(Color::Red),
        Outcome::Warn | Outcome::Manual => Some(Color::Yellow),
        Outcome::Error => Some(Color::Magenta),
        Outcome::NotApplicable => None,
    }
}

fn verdict_color(v: Verdict) -> Color {
    match v {
        Verdict::Compliant => Color::Green,
        Verdict::NotCompliant => Color::Red,
        Verdict::Incomplete => Color::Yellow,
        Verdict::Error => Color::Magenta,
    }
}

/// Appends `text` word-wrapped to [`WIDTH`] columns, every line indented by
/// `indent` spaces; words longer than a line are broken.
fn push_wrapped(out: &mut String, text: &str, indent: usize) {
    push_hanging(out, text, indent, indent);
}

/// Appends `text` word-wrapped to [`WIDTH`] columns: the first line indented by
/// `first` spaces, continuation lines by `rest`; words longer than a line are broken.
fn push_hanging(out: &mut String, text: &str, first: usize, rest: usize) {
    let mut indent = first;
    let mut line = String::new();
    let mut line_len = 0usize;
    let emit = |out: &mut String, line: &str, indent: &mut usize| {
        out.push_str(&" ".repeat(*indent));
        out.push_str(line);
        out.push('\n');
        *indent = rest;
    };
    for word in text.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        let mut rest_of_word: &[char] = &chars;
        loop {
            let avail = WIDTH.saturating_sub(indent).max(10);
            let wlen = rest_of_word.len();
            let needed = if line_len == 0 {
                wlen
            } else {
                line_len + 1 + wlen
            };
            if needed <= avail {
                if line_len > 0 {
                    line.push(' ');
                }
                line.extend(rest_of_word.iter());
                line_len = needed;
                break;
            }
            if line_len > 0 {
                emit(out, &line, &mut indent);
                line.clear();
                line_len = 0;
                continue;
            }
            // A word longer than a whole line: break it.
            let (piece, tail) = rest_of_word.split_at(avail.min(wlen));
            emit(out, &piece.iter().collect::<String>(), &mut indent);
            rest_of_word = tail;
            if rest_of_word.is_empty() {
                break;
            }
        }
    }
    if line_len > 0 || text.trim().is_empty() {
        emit(out, &line, &mut indent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_every_line_within_width() {
        let mut out = String::new();
        let long_word = "x".repeat(200);
        push_wrapped(&mut out, &format!("short words then {long_word} end"), 4);
        assert!(out.lines().all(|l| l.chars().count() <= WIDTH), "{out}");
        assert_eq!(out.matches('x').count(), 200);
        assert!(out.contains("short words then"));
        assert!(out.trim_end().ends_with("end"));
    }

    #[test]
    fn clean_caps_long_texts() {
        let long = "é".repeat(5000);
        let c = clean(&long);
        assert_eq!(c.chars().count(), MAX_TEXT + 1);
        assert!(c.ends_with('…'));
        assert_eq!(clean("short"), "short");
    }

    #[test]
    fn hanging_indent_applies_to_continuation_lines() {
        let mut out = String::new();
        push_hanging(&mut out, &"word ".repeat(40), 2, 6);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1);
        assert!(lines[0].starts_with("  w"));
        assert!(lines[1..].iter().all(|l| l.starts_with("      w")));
        assert!(lines.iter().all(|l| l.chars().count() <= WIDTH));
    }
}
