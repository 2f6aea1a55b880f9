//! The fleet device list IT can act on (issue #16 item 5): per device its
//! (pseudonymized) name, platform, model, OS version, patch level, last
//! check-in, ownership and the requirements it failed, worst first and
//! grouped by verdict. HTML puts each verdict group in a `<details>` (open for
//! the groups that need action); Markdown gives one table per group.
//!
//! The devices are read back from the store one at a time, so a fleet of
//! 100,000 devices never sits in memory as assessments; a row is about 150
//! bytes of HTML. At most [`DEVICE_LIST_CAP`] rows are written; a longer list
//! says how many are shown and that the CSV and JSON reports have every device.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::fleet;
use super::i18n;
use crate::assess::device_summary::DeviceSummary;
use crate::assess::{Assessment, Lang, TargetAssessment, Verdict};

/// Most devices the HTML and Markdown device list show (worst first); the
/// CSV and JSON reports list every device.
pub const DEVICE_LIST_CAP: usize = 100_000;

/// The device list's styles, added to the HTML report's `<style>`: compact
/// rows; closed groups still print (Chromium's `::details-content`).
pub const CSS: &str = "\ndetails.devices{margin:6px 0}\ndetails.devices>summary{cursor:pointer;font-weight:bold;margin:4px 0}\ntable.devices td{font-size:8.5pt;padding:2px 4px}\ndl.legend{display:grid;grid-template-columns:max-content 1fr;gap:0 10px;font-size:9pt;margin:4px 0}\ndl.legend dt{font-weight:bold}\ndl.legend dd{margin:0}\n@media print{details.devices::details-content{content-visibility:visible;display:block}}\n";

fn tr(l: Lang, en: &'static str, de: &'static str) -> &'static str {
    match l {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The heading of the device list.
pub fn heading(l: Lang) -> &'static str {
    tr(l, "Device list", "Geräteliste")
}

fn devices_word(n: usize, l: Lang) -> &'static str {
    match n {
        1 => tr(l, "device", "Gerät"),
        _ => tr(l, "devices", "Geräte"),
    }
}

/// The column headers.
pub fn columns(l: Lang) -> [&'static str; 8] {
    [
        tr(l, "Device", "Gerät"),
        tr(l, "Platform", "Plattform"),
        tr(l, "Model", "Modell"),
        tr(l, "OS", "Betriebssystem"),
        tr(l, "Patch level", "Patch-Stand"),
        tr(l, "Last check-in", "Letzter MDM-Kontakt"),
        tr(l, "Ownership", "Eigentümertyp"),
        tr(l, "Failed requirements", "Nicht erfüllte Anforderungen"),
    ]
}

/// Ownership in words.
pub fn ownership(o: &str, l: Lang) -> String {
    match o {
        "corporate" => tr(l, "corporate", "dienstlich").into(),
        "personal" => tr(l, "personal", "privat").into(),
        other => other.into(),
    }
}

/// The cells of one device (after the name), in [`columns`] order; empty
/// where the export gave nothing. The check-in is cut to its date.
pub fn cells(d: &TargetAssessment, l: Lang) -> [String; 7] {
    let s = d.target.device.clone().unwrap_or_default();
    let DeviceSummary {
        platform,
        model,
        os_version,
        patch_level,
        last_check_in,
        ownership: owner,
    } = s;
    let check_in = last_check_in
        .map(|c| c.get(..10).map(str::to_string).unwrap_or(c))
        .unwrap_or_default();
    let failed = match (&d.error, d.verdict) {
        (Some(e), Verdict::Error) => e.clone(),
        _ => fleet::failed_requirements(d).join(" "),
    };
    [
        platform
            .map(|p| i18n::platform(&p, l).to_string())
            .unwrap_or_default(),
        model.unwrap_or_default(),
        os_version.unwrap_or_default(),
        patch_level.unwrap_or_default(),
        check_in,
        owner.map(|o| ownership(&o, l)).unwrap_or_default(),
        failed,
    ]
}

/// One short line for the terminal: `platform OS · model · patch P` (the
/// other columns are in the HTML, Markdown and CSV lists).
pub fn short_line(d: &TargetAssessment, l: Lang) -> String {
    let [platform, model, os, patch, _, _, _] = cells(d, l);
    let mut parts = Vec::new();
    let system = format!("{platform} {os}").trim().to_string();
    if !system.is_empty() {
        parts.push(system);
    }
    if !model.is_empty() {
        parts.push(model);
    }
    if !patch.is_empty() {
        parts.push(format!("{} {patch}", tr(l, "patch", "Patch")));
    }
    parts.join(" · ")
}

/// Requirement id → title of the device checks (the legend of the list).
fn legend(a: &Assessment, l: Lang) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(f) = &a.fleet {
        for q in &f.requirements {
            map.entry(q.requirement.clone())
                .or_insert_with(|| i18n::text(&q.title, l).to_string());
        }
    }
    map
}

/// Group order and whether a group opens by default (it needs action).
const GROUPS: [(Verdict, bool); 4] = [
    (Verdict::Error, true),
    (Verdict::NotCompliant, true),
    (Verdict::Incomplete, false),
    (Verdict::Compliant, false),
];

fn counts(a: &Assessment) -> BTreeMap<u8, usize> {
    let mut c = BTreeMap::new();
    for (v, _) in a.devices.verdicts() {
        *c.entry(v.severity()).or_insert(0) += 1;
    }
    c
}

/// The note under the heading: how many devices are listed and, when
/// capped, where the full list is.
fn scope_note(total_n: usize, shown: usize, l: Lang) -> String {
    let total = crate::lang::count(total_n, l);
    let shown_n = shown;
    let shown = crate::lang::count(shown, l);
    if shown_n < total_n {
        match l {
            Lang::De => format!(
                "Die ersten {shown} von {total} Geräten, die schlechtesten zuerst; alle Geräte stehen in der Geräteliste als CSV (scan --device-list-csv DATEI) und im JSON-Bericht (--format json)."
            ),
            Lang::En => format!(
                "The first {shown} of {total} devices, worst first; every device is in the device list CSV (scan --device-list-csv FILE) and the JSON report (--format json)."
            ),
        }
    } else {
        match (l, total_n) {
            (Lang::De, 1) => "Das einzige Gerät dieser Prüfung.".to_string(),
            (Lang::En, 1) => "The only device of this audit.".to_string(),
            (Lang::De, _) => format!(
                "Alle {total} Geräte, die schlechtesten zuerst, nach Gesamturteil gruppiert."
            ),
            (Lang::En, _) => format!("All {total} devices, worst first, grouped by verdict."),
        }
    }
}

/// The device list as HTML: the legend, then one `<details>` per verdict.
/// Empty when the run has no devices.
pub fn html(a: &Assessment, l: Lang) -> std::io::Result<String> {
    use super::html::esc;
    let total = a.devices.len();
    if total == 0 {
        return Ok(String::new());
    }
    let shown = total.min(DEVICE_LIST_CAP);
    let mut out = String::with_capacity(shown.saturating_mul(160).min(64 << 20) + 4096);
    let _ = writeln!(
        out,
        "<h3>{}</h3>\n<p class=\"note\">{}</p>",
        esc(heading(l)),
        esc(&scope_note(total, shown, l))
    );
    let legend = legend(a, l);
    if !legend.is_empty() {
        out.push_str("<dl class=\"legend\">");
        for (id, title) in &legend {
            let _ = write!(out, "<dt>{}</dt><dd>{}</dd>", esc(id), esc(title));
        }
        out.push_str("</dl>\n");
    }
    let counts = counts(a);
    let header: String = columns(l)
        .iter()
        .map(|c| format!("<th>{}</th>", esc(c)))
        .collect();
    let mut devices = a.devices.iter().take(shown).peekable();
    for (verdict, open) in GROUPS {
        let n = counts.get(&verdict.severity()).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        if devices.peek().is_none() {
            break;
        }
        let _ = writeln!(
            out,
            "<details class=\"devices\"{}><summary><span class=\"badge {}\">{}</span> {} {}</summary>\n<table class=\"devices\"><thead><tr>{header}</tr></thead><tbody>",
            if open { " open" } else { "" },
            verdict.name(),
            esc(i18n::verdict(verdict, l)),
            crate::lang::count(n, l),
            esc(devices_word(n, l))
        );
        while let Some(next) =
            devices.next_if(|d| d.as_ref().map_or(true, |d| d.verdict == verdict))
        {
            let d = next?;
            let _ = write!(
                out,
                "<tr><td>{}</td>",
                super::html::id_html(&super::common::target_title(&d, l))
            );
            for c in cells(&d, l) {
                let _ = write!(out, "<td>{}</td>", esc(&c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></details>\n");
    }
    Ok(out)
}

/// Writes the device list as CSV to `out` (`scan --device-list-csv FILE`):
/// one row per device, worst first, every device; columns Device, Source,
/// File, Verdict, then [`columns`] after the device. German: `;`, BOM (as
/// every CSV msgaudit writes); cells that could start a formula are
/// neutralized. `out` should be buffered.
pub fn write_csv<W: std::io::Write>(a: &Assessment, l: Lang, mut out: W) -> std::io::Result<()> {
    use super::csv_cell::neutralize_all;
    use super::csv_dialect;
    use super::i18n::Label;
    csv_dialect::write_start(l, &mut out)?;
    let mut w = csv_dialect::builder(l).from_writer(out);
    let cols = columns(l);
    let mut header = vec![
        Label::Device.get(l),
        Label::Source.get(l),
        Label::File.get(l),
        Label::Verdict.get(l),
    ];
    header.extend(cols.iter().skip(1));
    w.write_record(&header)?;
    for d in a.devices.iter() {
        let d = d?;
        let mut row = vec![
            super::common::target_title(&d, l),
            super::locator::source(d.target.source.as_deref().unwrap_or_default(), l).into_owned(),
            d.target
                .file
                .as_ref()
                .map_or_else(String::new, |f| f.path.clone()),
            i18n::verdict(d.verdict, l).to_string(),
        ];
        row.extend(cells(&d, l));
        w.write_record(neutralize_all(&row).iter().map(|c| c.as_ref()))?;
    }
    w.flush()
}

/// The device list as Markdown: one table per verdict group.
pub fn markdown(a: &Assessment, l: Lang) -> std::io::Result<String> {
    use super::markdown::esc;
    let total = a.devices.len();
    if total == 0 {
        return Ok(String::new());
    }
    let shown = total.min(DEVICE_LIST_CAP);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {}\n\n{}\n",
        esc(heading(l)),
        esc(&scope_note(total, shown, l))
    );
    let legend = legend(a, l);
    for (id, title) in &legend {
        let _ = writeln!(out, "- **{}:** {}", esc(id), esc(title));
    }
    if !legend.is_empty() {
        out.push('\n');
    }
    let counts = counts(a);
    let header: Vec<String> = columns(l).iter().map(|c| esc(c)).collect();
    let mut devices = a.devices.iter().take(shown).peekable();
    for (verdict, _) in GROUPS {
        let n = counts.get(&verdict.severity()).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        if devices.peek().is_none() {
            break;
        }
        let _ = writeln!(
            out,
            "#### {} ({})\n\n| {} |\n|{}",
            esc(i18n::verdict(verdict, l)),
            crate::lang::count(n, l),
            header.join(" | "),
            "---|".repeat(header.len())
        );
        while let Some(next) =
            devices.next_if(|d| d.as_ref().map_or(true, |d| d.verdict == verdict))
        {
            let d = next?;
            let mut row = vec![esc(&super::common::target_title(&d, l))];
            row.extend(cells(&d, l).iter().map(|c| esc(c)));
            let _ = writeln!(out, "| {} |", row.join(" | "));
        }
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scope_note_of_one_device_reads_in_the_singular() {
        assert_eq!(
            scope_note(1, 1, Lang::De),
            "Das einzige Gerät dieser Prüfung."
        );
        assert_eq!(scope_note(1, 1, Lang::En), "The only device of this audit.");
        assert!(scope_note(2, 2, Lang::De).starts_with("Alle 2 Geräte"));
    }
}
