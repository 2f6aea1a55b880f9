//! CSV: one row per (target, result), RFC 4180 quoting, UTF-8, header row in the
//! report language. A target without results (unreadable file) gets one row with
//! the reason in the message column. For fleets, [`render_remediation`] gives
//! the devices × failed checks list with remediation texts. Columns are
//! documented in `docs/report.md`.

use std::io::Write;

use super::attestation;
use super::common::{evidence_joined_in, read_problems, target_title, write_devices};
use super::coverage;
use super::csv_cell::neutralize_all;
use super::csv_dialect;
use super::i18n::{self, Label};
use crate::assess::{Assessment, CheckResult, Lang, Outcome, TargetAssessment};

/// Renders one row per (target, result).
pub fn render(a: &Assessment, lang: Lang) -> std::io::Result<String> {
    let mut out = Vec::new();
    write(a, lang, &mut out)?;
    into_text(out)
}

/// Writes the same rows as [`render`] to `out`, one at a time, without
/// building the report in memory first. `out` should be buffered.
pub fn write<W: Write>(a: &Assessment, lang: Lang, mut out: W) -> std::io::Result<()> {
    let l = lang;
    csv_dialect::write_start(l, &mut out)?;
    let header = [
        Label::Target.get(l),
        Label::Kind.get(l),
        Label::File.get(l),
        Label::Sha256.get(l),
        Label::Source.get(l),
        Label::Verdict.get(l),
        Label::Score.get(l),
        coverage::decided_header(l),
        coverage::applicable_header(l),
        Label::Check.get(l),
        Label::Requirement.get(l),
        Label::Level.get(l),
        Label::Outcome.get(l),
        Label::Title.get(l),
        Label::Message.get(l),
        Label::Evidence.get(l),
        Label::Remediation.get(l),
        Label::Attestation.get(l),
    ];
    let mut w = csv_dialect::builder(l).from_writer(out);
    w.write_record(header)?;
    write_notices(&mut w, a, l)?;
    // The titles the other formats give: an app as in the summary and the
    // headings (told apart by its file where two are alike), a device by
    // [`target_title`] („Datensatz 1 (amapi.json)“).
    let apps = super::fleet::apps(a);
    let mut app_titles = super::summary::distinct_titles(&apps, l).into_iter();
    for t in a.targets.iter() {
        let title = if super::fleet::is_device(t) {
            target_title(t, l)
        } else {
            app_titles.next().unwrap_or_else(|| target_title(t, l))
        };
        write_target(&mut w, t, &title, l)?;
    }
    write_partial_exports(&mut w, a, l)?;
    write_export_info(&mut w, a, l)?;
    write_messengers(&mut w, a, l)?;
    w.flush()?;
    let mut out = w.into_inner().map_err(|e| e.into_error())?;
    write_devices(a, &mut out, |_, d, buf| {
        let mut w = csv_dialect::builder(l).from_writer(buf);
        write_target(&mut w, d, &target_title(d, l), l)?;
        w.flush()
    })?;
    out.flush()
}

/// One row per report notice (stale OS support data), before every target:
/// the subject, the kind `notice`/`Hinweis` and the text in the message column.
fn write_notices<W: Write>(w: &mut csv::Writer<W>, a: &Assessment, l: Lang) -> std::io::Result<()> {
    for n in super::notice::texts(a, l) {
        write_message_row(w, super::notice::subject(l), super::notice::heading(l), n)?;
    }
    Ok(())
}

/// A row that is not a check result: `target` and `kind` in the first two
/// columns, `message` in the message column, the others empty.
fn write_message_row<W: Write>(
    w: &mut csv::Writer<W>,
    target: &str,
    kind: &str,
    message: String,
) -> std::io::Result<()> {
    let mut row = vec![target.to_string(), kind.to_string()];
    // File … Title: the twelve columns between the kind and the message.
    row.extend(std::iter::repeat_n(String::new(), 12));
    row.push(message);
    row.extend(std::iter::repeat_n(String::new(), 3));
    w.write_record(neutralize_all(&row).iter().map(|c| c.as_ref()))?;
    Ok(())
}

/// One row per messenger found in the fleet's installed-app lists: its name,
/// the kind `Messenger`, and in the message column its device count and the
/// verdicts of its apps audited in the same run.
fn write_messengers<W: Write>(
    w: &mut csv::Writer<W>,
    a: &Assessment,
    l: Lang,
) -> std::io::Result<()> {
    let Some(fleet) = &a.fleet else {
        return Ok(());
    };
    for (m, line) in fleet
        .messengers
        .iter()
        .zip(super::messengers::lines(fleet, l))
    {
        write_message_row(w, &m.name, "Messenger", line)?;
    }
    Ok(())
}

/// One row per inventory export that could not be read to its end: the
/// export, verdict `error`, and in the message column how many devices were
/// read and where reading stopped (the export's first note).
fn write_partial_exports<W: Write>(
    w: &mut csv::Writer<W>,
    a: &Assessment,
    l: Lang,
) -> std::io::Result<()> {
    let Some(fleet) = &a.fleet else {
        return Ok(());
    };
    for export in fleet.inventories.iter().filter(|e| e.partial.is_some()) {
        let note = export
            .warnings
            .first()
            .map(|t| i18n::text(t, l).to_string())
            .unwrap_or_default();
        let mut row = vec![
            export.file.path.clone(),
            i18n::kind(crate::facts::TargetKind::Inventory, l).to_string(),
            export.file.path.clone(),
            export.file.sha256.clone(),
            export.format.clone(),
            i18n::verdict(crate::assess::Verdict::Error, l).to_string(),
        ];
        row.extend(std::iter::repeat_n(String::new(), 8));
        row.push(note);
        row.extend(std::iter::repeat_n(String::new(), 3));
        w.write_record(neutralize_all(&row).iter().map(|c| c.as_ref()))?;
    }
    Ok(())
}

/// One row per note on the run's exports for information
/// (`fleet.export_info`: pages of one export given as several files and
/// read together), after the exports read only in part: the target
/// „Exporte“ / "Exports", the kind „Information“ / "Information" — never
/// a warning or an error — and the note in the message column.
fn write_export_info<W: Write>(
    w: &mut csv::Writer<W>,
    a: &Assessment,
    l: Lang,
) -> std::io::Result<()> {
    let Some(fleet) = &a.fleet else {
        return Ok(());
    };
    let (target, kind) = match l {
        Lang::De => ("Exporte", "Information"),
        Lang::En => ("Exports", "Information"),
    };
    for t in &fleet.export_info {
        write_message_row(w, target, kind, i18n::text(t, l).to_string())?;
    }
    Ok(())
}

/// The rows of target `t`, named `title` in the first column.
fn write_target<W: Write>(
    w: &mut csv::Writer<W>,
    t: &TargetAssessment,
    title: &str,
    l: Lang,
) -> std::io::Result<()> {
    {
        let base = target_columns(t, title, l);
        // An unreadable file has one row saying why; results evaluated on a
        // partly read app are preceded by one row naming the unread entries.
        if t.results.is_empty() || t.error.is_some() {
            let mut row = base.clone();
            row.extend([
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                read_problems(t, l)
                    .map(|p| p.one_line())
                    .unwrap_or_default(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            w.write_record(neutralize_all(&row).iter().map(|c| c.as_ref()))?;
        }
        for r in &t.results {
            let result = result_columns(r, l);
            let row = neutralize_all(base.iter().chain(result.iter()));
            w.write_record(row.iter().map(|c| c.as_ref()))?;
        }
    }
    Ok(())
}

/// Renders the remediation list of a fleet: one row per (device, failed check),
/// worst devices first, with the remediation text in the report language.
pub fn render_remediation(a: &Assessment, lang: Lang) -> std::io::Result<String> {
    let mut out = Vec::new();
    write_remediation(a, lang, &mut out)?;
    into_text(out)
}

/// Writes the same rows as [`render_remediation`] to `out`, one device at a time.
pub fn write_remediation<W: Write>(a: &Assessment, lang: Lang, mut out: W) -> std::io::Result<()> {
    let l = lang;
    csv_dialect::write_start(l, &mut out)?;
    let header = [
        Label::Device.get(l),
        Label::Source.get(l),
        Label::File.get(l),
        Label::Verdict.get(l),
        Label::Check.get(l),
        Label::Requirement.get(l),
        Label::Level.get(l),
        Label::Title.get(l),
        Label::Message.get(l),
        Label::Remediation.get(l),
    ];
    let mut w = csv_dialect::builder(l).from_writer(out);
    w.write_record(header)?;
    for d in a.devices.iter() {
        let d = d?;
        let source = super::locator::source(d.target.source.as_deref().unwrap_or_default(), l);
        for r in d.results.iter().filter(|r| r.outcome == Outcome::Fail) {
            let name = target_title(&d, l);
            let row = neutralize_all([
                name.as_str(),
                &source,
                d.target.file.as_ref().map_or("", |f| f.path.as_str()),
                i18n::verdict(d.verdict, l),
                r.check.as_str(),
                r.requirement.as_str(),
                i18n::requirement_level(r.level, &r.requirement, l),
                i18n::text(&r.title, l),
                i18n::text(&r.message, l),
                i18n::text(&r.remediation, l),
            ]);
            w.write_record(row.iter().map(|c| c.as_ref()))?;
        }
    }
    w.flush()
}

/// The target's columns (1–9), named `title` (the title the other formats
/// give it, in the report language: never the raw `record 1`).
fn target_columns(t: &TargetAssessment, title: &str, l: Lang) -> Vec<String> {
    let counts = t.coverage();
    // An unreadable target was not checked: "0" and "0" would read as
    // "no check applied" (the other formats show no count either).
    let counted = coverage::decided_of(t, l).is_some();
    let count = |n: usize| {
        if counted {
            n.to_string()
        } else {
            String::new()
        }
    };
    let (path, sha) = t
        .target
        .file
        .as_ref()
        .map(|f| (f.path.clone(), f.sha256.clone()))
        .unwrap_or_default();
    vec![
        title.to_string(),
        i18n::target_kind(t, l).to_string(),
        path,
        sha,
        super::locator::source(t.target.source.as_deref().unwrap_or_default(), l).into_owned(),
        i18n::target_verdict(t, l).to_string(),
        score_number(t.score, l),
        count(counts.decided),
        count(counts.total),
    ]
}

fn result_columns(r: &CheckResult, l: Lang) -> [String; 9] {
    [
        r.check.clone(),
        r.requirement.clone(),
        i18n::requirement_level(r.level, &r.requirement, l).to_string(),
        i18n::outcome(r.outcome, l).to_string(),
        i18n::text(&r.title, l).to_string(),
        i18n::text(&r.message, l).to_string(),
        evidence_joined_in(r, l),
        i18n::text(&r.remediation, l).to_string(),
        attestation::line(r, l).unwrap_or_default(),
    ]
}

/// The score as a bare number with one decimal (decimal comma in German), empty when none.
fn score_number(s: Option<f64>, l: Lang) -> String {
    s.map(|v| csv_dialect::number(v, 1, l)).unwrap_or_default()
}

/// The CSV bytes as text (the writer only gets UTF-8 strings).
fn into_text(bytes: Vec<u8>) -> std::io::Result<String> {
    String::from_utf8(bytes).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_number_is_locale_aware() {
        assert_eq!(score_number(Some(66.666), Lang::De), "66,7");
        assert_eq!(score_number(Some(66.666), Lang::En), "66.7");
        assert_eq!(score_number(None, Lang::En), "");
    }
}
