//! The executive summary ([`Summary`]) as HTML, Markdown and terminal text:
//! per target the verdict, score and coverage and the failed must-requirements
//! with a one-line reason; the top actions with how many apps and devices
//! they fix; and the charts ([`super::charts`]).

use std::fmt::Write as _;

use super::charts::{self, Row, Segment};
use super::common::one_line;
use super::coverage;
use super::html::esc;
use super::i18n::{self, Label};
use super::summary::{first_sentence, Action, CheckBar, FleetLine, Summary, VerdictCounts};
use crate::assess::{FleetDistribution, Lang, Outcome, Verdict};

/// Longest one-line reason for a failed must-requirement.
const REASON_CHARS: usize = 160;

/// Most OS versions a chart shows; the rest are summed up in one row.
const OS_ROWS: usize = 16;

fn pick(l: Lang, de: &'static str, en: &'static str) -> &'static str {
    match l {
        Lang::De => de,
        Lang::En => en,
    }
}

/// The heading of the summary.
pub fn heading(l: Lang) -> &'static str {
    pick(l, "Zusammenfassung", "Executive summary")
}

fn failed_must_heading(l: Lang) -> &'static str {
    pick(
        l,
        "Nicht erfüllte Muss-Anforderungen",
        "Failed must-requirements",
    )
}

fn actions_heading(l: Lang) -> &'static str {
    pick(l, "Wichtigste Maßnahmen", "Top actions")
}

fn charts_heading(l: Lang) -> &'static str {
    pick(l, "Auf einen Blick", "At a glance")
}

fn none(l: Lang) -> &'static str {
    pick(l, "keine", "none")
}

/// What an app's column of failed must-requirements says when it lists
/// none: "none" only for a target that was read; for one that could not be
/// read (verdict "Unreadable") that nothing was checked, or, when some of it
/// was read, that nothing failed in what was read; for an installed-app list
/// no device takes, that it was joined to none.
fn none_failed(t: &crate::assess::TargetAssessment, l: Lang) -> &'static str {
    if t.verdict != Verdict::Error {
        none(l)
    } else if t.is_unmatched_app_list() {
        // Read, but no device of the run takes it: not a file that could not be read.
        pick(
            l,
            "nicht geprüft (keinem Gerät zugeordnet)",
            "not checked (joined to no device)",
        )
    } else if t.results.is_empty() {
        pick(
            l,
            "nicht geprüft (Datei nicht lesbar)",
            "not checked (file unreadable)",
        )
    } else {
        pick(
            l,
            "keine im Gelesenen (Datei nicht vollständig lesbar)",
            "none in what was read (file not fully readable)",
        )
    }
}

/// "2 Apps", "1 device", … in `l`.
fn count(n: usize, l: Lang, one: (&str, &str), many: (&str, &str)) -> String {
    let (de, en) = if n == 1 { one } else { many };
    format!("{} {}", crate::lang::count(n, l), pick_str(l, de, en))
}

fn pick_str<'s>(l: Lang, de: &'s str, en: &'s str) -> &'s str {
    match l {
        Lang::De => de,
        Lang::En => en,
    }
}

fn apps_n(n: usize, l: Lang) -> String {
    count(n, l, ("App", "app"), ("Apps", "apps"))
}

fn devices_n(n: usize, l: Lang) -> String {
    count(n, l, ("Gerät", "device"), ("Geräten", "devices"))
}

/// "Fixes the failure on 2 apps and 19 devices" in `l`.
pub fn fixes(a: &Action, l: Lang) -> String {
    let mut parts = Vec::new();
    if a.apps > 0 {
        parts.push(apps_n(a.apps, l));
    }
    if a.devices > 0 {
        parts.push(devices_n(a.devices, l));
    }
    let joined = parts.join(pick(l, " und ", " and "));
    match l {
        Lang::De => format!("Behebt den Mangel bei {joined}"),
        Lang::En => format!("Fixes the failure on {joined}"),
    }
}

/// "Failed on 19 of 39 devices" in `l`.
fn failed_on(failed: usize, devices: usize, l: Lang) -> String {
    let failed = crate::lang::count(failed, l);
    match l {
        Lang::De if devices == 1 => format!("Auf {failed} von {devices} Gerät nicht erfüllt"),
        Lang::De => format!(
            "Auf {failed} von {} Geräten nicht erfüllt",
            crate::lang::count(devices, l)
        ),
        Lang::En if devices == 1 => format!("Failed on {failed} of {devices} device"),
        Lang::En => format!(
            "Failed on {failed} of {} devices",
            crate::lang::count(devices, l)
        ),
    }
}

/// The fleet's row label: "Device fleet (39 devices)".
fn fleet_label(f: &FleetLine, l: Lang) -> String {
    format!(
        "{} ({})",
        Label::Fleet.get(l),
        super::i18n::devices_counted(f.verdicts.total(), l)
    )
}

/// The one-line reason of a failed app check: `REQ title: first sentence of the finding`.
fn app_reason(r: &crate::assess::CheckResult, l: Lang) -> (String, String) {
    (
        i18n::text(&r.title, l).to_string(),
        first_sentence(i18n::text(&r.message, l), REASON_CHARS),
    )
}

/// The apps' titles, told apart where two are the same
/// ([`super::summary::distinct_titles`]).
fn app_titles(s: &Summary, l: Lang) -> Vec<String> {
    let targets: Vec<_> = s.apps.iter().map(|a| a.target).collect();
    super::summary::distinct_titles(&targets, l)
}

// ---------------------------------------------------------------- HTML

/// Appends the summary as an HTML section (`id="summary"`), with charts.
pub fn html(s: &Summary, l: Lang, out: &mut String) {
    let _ = writeln!(
        out,
        "<section class=\"exec\" id=\"summary\">\n<h2>{}</h2>",
        esc(heading(l))
    );
    if !s.apps.is_empty() || s.fleet.is_some() {
        let _ = writeln!(
            out,
            "<table class=\"exec-targets\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(Label::Target.get(l)),
            esc(Label::Verdict.get(l)),
            esc(failed_must_heading(l))
        );
        let titles = app_titles(s, l);
        for (i, (line, title)) in s.apps.iter().zip(&titles).enumerate() {
            let t = line.target;
            let _ = write!(
                out,
                "<tr><td><a href=\"#t{i}\">{}</a><br><span class=\"sub\">{}</span></td><td>{}<br><span class=\"score\">{}</span><br><span class=\"sub\">{}</span></td><td>",
                esc(title),
                esc(i18n::target_kind(t, l)),
                super::html::target_badge(t, l),
                esc(&coverage::score(t, l)),
                esc(&coverage::decided_of(t, l).unwrap_or_default()),
            );
            if line.failed_must.is_empty() {
                out.push_str(&esc(none_failed(t, l)));
            } else {
                out.push_str("<ul class=\"reasons\">");
                for r in &line.failed_must {
                    let (head, reason) = app_reason(r, l);
                    let _ = write!(
                        out,
                        "<li><b>{}</b> {}: {}</li>",
                        esc(&i18n::failed_requirement(&r.requirement, l)),
                        esc(&head),
                        esc(&reason)
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</td></tr>\n");
        }
        if let Some(f) = &s.fleet {
            let _ = write!(
                out,
                "<tr><td><a href=\"#fleet\">{}</a></td><td>{}<br><span class=\"sub\">{}</span></td><td>",
                esc(&fleet_label(f, l)),
                verdict_counts_html(&f.verdicts, l),
                esc(&fleet_share(f, l))
            );
            if f.failed_must.is_empty() {
                out.push_str(&esc(none(l)));
            } else {
                out.push_str("<ul class=\"reasons\">");
                for q in &f.failed_must {
                    let _ = write!(
                        out,
                        "<li><b>{}</b> {}: {}</li>",
                        esc(&i18n::failed_requirement(&q.requirement, l)),
                        esc(i18n::text(&q.title, l)),
                        esc(&failed_on(q.failed, f.verdicts.total(), l))
                    );
                }
                out.push_str("</ul>");
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody></table>\n");
    }
    if !s.actions.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<ol class=\"actions\">",
            esc(actions_heading(l))
        );
        for a in &s.actions {
            let _ = write!(
                out,
                "<li><b>{}</b> <span class=\"sub\">({}, {})</span> — <span class=\"fixes\">{}</span>",
                esc(i18n::text(&a.title, l)),
                esc(&a.requirement),
                esc(i18n::requirement_level(a.level, &a.requirement, l)),
                esc(&fixes(a, l))
            );
            let rem = i18n::text(&a.remediation, l);
            if !rem.trim().is_empty() {
                let _ = write!(out, "<br>{}", esc(rem));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n");
    }
    let charts = charts_of(s, l);
    if !charts.is_empty() {
        let _ = writeln!(
            out,
            "<h3>{}</h3>\n<div class=\"charts\">",
            esc(charts_heading(l))
        );
        for c in charts {
            let _ = writeln!(out, "<figure class=\"chart\">{c}</figure>");
        }
        out.push_str("</div>\n");
    }
    out.push_str("</section>\n");
}

/// The fleet's verdicts as badges with counts, zero counts left out.
fn verdict_counts_html(v: &VerdictCounts, l: Lang) -> String {
    v.by_verdict()
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(verdict, n)| {
            format!(
                "<span class=\"vc\">{} {}</span>",
                super::html::verdict_badge(*verdict, l),
                crate::lang::count(*n, l)
            )
        })
        .collect::<Vec<_>>()
        .join("<br>")
}

/// "6 of 39 devices compliant" in `l`.
fn fleet_share(f: &FleetLine, l: Lang) -> String {
    let (c, n) = (f.verdicts.compliant, f.verdicts.total());
    let c = crate::lang::count(c, l);
    match l {
        Lang::De if n == 1 => format!("{c} von 1 Gerät konform"),
        Lang::De => format!("{c} von {} Geräten konform", crate::lang::count(n, l)),
        Lang::En if n == 1 => format!("{c} of 1 device compliant"),
        Lang::En => format!("{c} of {} devices compliant", crate::lang::count(n, l)),
    }
}

// ---------------------------------------------------------------- Charts

/// The verdict chart's segments. `errors` says what its errors are: of
/// all `total` targets with verdict error, `unmatched` are installed-app
/// lists that were read but matched no device, which the chart does not
/// call unreadable („Nicht zugeordnet“ when they are all, „Nicht lesbar
/// oder nicht zugeordnet“ when they are some).
fn verdict_segments(l: Lang, (unmatched, total): (usize, usize)) -> Vec<Segment> {
    [
        (Verdict::Compliant, "#2da44e", "#ffffff"),
        (Verdict::Incomplete, "#d4a72c", "#1b1f24"),
        (Verdict::NotCompliant, "#cf222e", "#ffffff"),
        // Dark violet, not the mid violet #8250df: in greyscale that had
        // the red's lightness (see `segments_differ_in_greyscale`).
        (Verdict::Error, "#3e1f79", "#ffffff"),
    ]
    .into_iter()
    .map(|(v, color, ink)| Segment {
        label: match v {
            Verdict::Error if unmatched > 0 && unmatched == total => {
                pick(l, "Nicht zugeordnet", "Not matched")
            }
            Verdict::Error if unmatched > 0 => pick(
                l,
                "Nicht lesbar oder nicht zugeordnet",
                "Unreadable or not matched",
            ),
            _ => i18n::verdict(v, l),
        }
        .to_string(),
        color,
        ink,
    })
    .collect()
}

fn outcome_segments(l: Lang) -> Vec<Segment> {
    vec![
        Segment {
            label: i18n::outcome(Outcome::Pass, l).to_string(),
            color: "#2da44e",
            ink: "#ffffff",
        },
        Segment {
            label: i18n::outcome(Outcome::Fail, l).to_string(),
            color: "#cf222e",
            ink: "#ffffff",
        },
        Segment {
            label: pick(l, "Offen", "Open").to_string(),
            color: "#d4a72c",
            ink: "#1b1f24",
        },
        Segment {
            label: i18n::outcome(Outcome::NotApplicable, l).to_string(),
            // Light grey, not the mid grey #afb8c1: printed in greyscale,
            // that had the lightness of the amber „Offen“.
            color: "#d8dee4",
            ink: "#1b1f24",
        },
    ]
}

fn check_rows(bars: &[CheckBar], l: Lang) -> Vec<Row> {
    bars.iter()
        .map(|b| Row {
            label: format!("{} {}", b.requirement, i18n::text(&b.title, l)),
            values: vec![b.passed, b.failed, b.open, b.not_applicable],
        })
        .collect()
}

/// The charts of the summary as SVG strings, in reading order.
pub fn charts_of(s: &Summary, l: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut verdict_rows = Vec::new();
    if s.app_verdicts.total() > 0 {
        verdict_rows.push(Row {
            label: Label::Apps.get(l).to_string(),
            values: counts(&s.app_verdicts),
        });
    }
    if s.other_verdicts.total() > 0 {
        verdict_rows.push(Row {
            label: Label::OtherFiles.get(l).to_string(),
            values: counts(&s.other_verdicts),
        });
    }
    if let Some(f) = &s.fleet {
        verdict_rows.push(Row {
            label: Label::DevicesHeading.get(l).to_string(),
            values: counts(&f.verdicts),
        });
    }
    if !verdict_rows.is_empty() {
        let errors = s.app_verdicts.error
            + s.other_verdicts.error
            + s.fleet.as_ref().map_or(0, |f| f.verdicts.error);
        out.push(charts::stacked(
            pick(l, "Gesamturteile", "Verdicts"),
            &verdict_segments(l, (s.unmatched_app_lists, errors)),
            &verdict_rows,
            l,
        ));
    }
    if !s.app_checks.is_empty() {
        out.push(charts::stacked(
            pick(l, "Apps je Anforderung", "Apps per requirement"),
            &outcome_segments(l),
            &check_rows(&s.app_checks, l),
            l,
        ));
    }
    if let Some(f) = &s.fleet {
        if !f.checks.is_empty() {
            out.push(charts::stacked(
                pick(l, "Geräte je Anforderung", "Devices per requirement"),
                &outcome_segments(l),
                &check_rows(&f.checks, l),
                l,
            ));
        }
        let os = os_rows(f.distribution, l);
        if !os.is_empty() {
            out.push(charts::bars(
                pick(
                    l,
                    "Geräte nach Betriebssystemversion",
                    "Devices by OS version",
                ),
                "#0969da",
                &os,
                l,
            ));
        }
        let patch = patch_rows(f.distribution, l);
        if !patch.is_empty() {
            out.push(charts::bars(
                pick(
                    l,
                    "Android-Geräte nach Alter des Sicherheitspatches (Monate vor dem Prüfdatum)",
                    "Android devices by security patch age (months before the audit date)",
                ),
                "#bf8700",
                &patch,
                l,
            ));
        }
    }
    out
}

fn counts(v: &VerdictCounts) -> Vec<usize> {
    v.by_verdict().iter().map(|(_, n)| *n).collect()
}

fn os_rows(d: &FleetDistribution, l: Lang) -> Vec<Row> {
    let mut rows: Vec<Row> = d
        .os_versions
        .iter()
        .map(|o| Row {
            label: match &o.major {
                Some(m) => format!("{} {m}", i18n::platform(&o.platform, l)),
                None => format!(
                    "{}, {}",
                    i18n::platform(&o.platform, l),
                    pick(l, "Version unbekannt", "version unknown")
                ),
            },
            values: vec![o.devices],
        })
        .collect();
    if rows.len() > OS_ROWS {
        let rest: usize = rows
            .drain(OS_ROWS - 1..)
            .map(|r| r.values.first().copied().unwrap_or(0))
            .sum();
        rows.push(Row {
            label: pick(l, "weitere Versionen", "other versions").into(),
            values: vec![rest],
        });
    }
    rows
}

fn patch_rows(d: &FleetDistribution, l: Lang) -> Vec<Row> {
    if d.patch_age.is_empty() {
        return Vec::new();
    }
    let mut rows: Vec<Row> = d
        .patch_age
        .iter()
        .map(|b| {
            let label = match (b.min_months, b.max_months) {
                (0, Some(0)) => pick(l, "unter 1 Monat", "under 1 month").to_string(),
                (min, Some(max)) => match l {
                    Lang::De => format!("{min}–{max} Monate"),
                    Lang::En => format!("{min}–{max} months"),
                },
                (min, None) => match l {
                    Lang::De => format!("{min} Monate und mehr"),
                    Lang::En => format!("{min} months or more"),
                },
            };
            Row {
                label,
                values: vec![b.devices],
            }
        })
        .collect();
    if d.patch_age_unknown > 0 {
        rows.push(Row {
            label: pick(
                l,
                "Patch-Stand nicht im Export",
                "patch level not in the export",
            )
            .into(),
            values: vec![d.patch_age_unknown],
        });
    }
    rows
}

// ---------------------------------------------------------------- Markdown

/// Appends the summary as Markdown: a table of targets, the top actions as a
/// numbered list, the charts as inline SVG (HTML blocks).
pub fn markdown(s: &Summary, l: Lang, out: &mut String) {
    let m = super::markdown::esc;
    let _ = writeln!(out, "## {}\n", m(heading(l)));
    if !s.apps.is_empty() || s.fleet.is_some() {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            m(Label::Target.get(l)),
            m(Label::Verdict.get(l)),
            m(Label::Score.get(l)),
            m(failed_must_heading(l))
        );
        let titles = app_titles(s, l);
        for (line, title) in s.apps.iter().zip(&titles) {
            let t = line.target;
            let reasons = if line.failed_must.is_empty() {
                m(none_failed(t, l))
            } else {
                line.failed_must
                    .iter()
                    .map(|r| {
                        let (head, reason) = app_reason(r, l);
                        format!(
                            "**{}** {}: {}",
                            m(&i18n::failed_requirement(&r.requirement, l)),
                            m(&head),
                            m(&reason)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                out,
                "| {} ({}) | **{}** | {} | {} |",
                m(title),
                m(i18n::target_kind(t, l)),
                m(i18n::target_verdict(t, l)),
                m(&coverage::headline(t, l)),
                reasons
            );
        }
        if let Some(f) = &s.fleet {
            let verdicts = f
                .verdicts
                .by_verdict()
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(v, n)| format!("{} {}", m(i18n::verdict(*v, l)), crate::lang::count(*n, l)))
                .collect::<Vec<_>>()
                .join(", ");
            let reasons = if f.failed_must.is_empty() {
                m(none(l))
            } else {
                f.failed_must
                    .iter()
                    .map(|q| {
                        format!(
                            "**{}** {}: {}",
                            m(&i18n::failed_requirement(&q.requirement, l)),
                            m(i18n::text(&q.title, l)),
                            m(&failed_on(q.failed, f.verdicts.total(), l))
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                m(&fleet_label(f, l)),
                verdicts,
                m(&fleet_share(f, l)),
                reasons
            );
        }
        out.push('\n');
    }
    if !s.actions.is_empty() {
        let _ = writeln!(out, "### {}\n", m(actions_heading(l)));
        for (i, a) in s.actions.iter().enumerate() {
            let _ = write!(
                out,
                "{}. **{}** ({}, {}) — {}.",
                i + 1,
                m(i18n::text(&a.title, l)),
                m(&a.requirement),
                m(i18n::requirement_level(a.level, &a.requirement, l)),
                m(&fixes(a, l))
            );
            let rem = i18n::text(&a.remediation, l);
            if !rem.trim().is_empty() {
                let _ = write!(out, " {}", m(&one_line(rem)));
            }
            out.push('\n');
        }
        out.push('\n');
    }
    let charts = charts_of(s, l);
    if !charts.is_empty() {
        let _ = writeln!(out, "### {}\n", m(charts_heading(l)));
        for c in charts {
            // One line each: an HTML block in Markdown ends at a blank line.
            let _ = writeln!(out, "{c}\n");
        }
    }
}

// ---------------------------------------------------------------- Terminal

/// The summary as terminal lines, each with its indent (the caller wraps them):
/// one line per target with its failed must-requirements, the fleet's
/// verdicts, and the top actions.
pub fn text_lines(s: &Summary, l: Lang) -> Vec<(usize, String)> {
    let mut out = vec![(0, heading(l).to_uppercase())];
    let titles = app_titles(s, l);
    for (line, title) in s.apps.iter().zip(&titles) {
        let t = line.target;
        out.push((
            2,
            format!(
                "{} ({}) — {} — {}",
                one_line(title),
                i18n::target_kind(t, l),
                i18n::target_verdict(t, l),
                coverage::headline_compact(t, l)
            ),
        ));
        if !line.failed_must.is_empty() {
            let ids: Vec<String> = line
                .failed_must
                .iter()
                .map(|r| i18n::failed_requirement(&r.requirement, l))
                .collect();
            out.push((4, format!("{}: {}", failed_must_heading(l), ids.join(", "))));
        }
    }
    if let Some(f) = &s.fleet {
        let verdicts = f
            .verdicts
            .by_verdict()
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(v, n)| format!("{} {}", i18n::verdict(*v, l), crate::lang::count(*n, l)))
            .collect::<Vec<_>>()
            .join(", ");
        // No device read (an empty export, or one that could not be read,
        // whose error is listed with the targets): no verdict to count.
        let verdicts = if verdicts.is_empty() {
            pick(l, "keine Geräte gelesen", "no devices read").to_string()
        } else {
            verdicts
        };
        out.push((2, format!("{} — {verdicts}", fleet_label(f, l))));
        if !f.failed_must.is_empty() {
            let ids: Vec<String> = f
                .failed_must
                .iter()
                .map(|q| {
                    let count = crate::lang::count(q.failed, l);
                    if i18n::level_unconfirmed(&q.requirement) {
                        let word = pick(l, "unbestätigt", "unconfirmed");
                        format!("{} ({count}, {word})", q.requirement)
                    } else {
                        format!("{} ({count})", q.requirement)
                    }
                })
                .collect();
            out.push((4, format!("{}: {}", failed_must_heading(l), ids.join(", "))));
        }
    }
    if !s.actions.is_empty() {
        out.push((2, format!("{}:", actions_heading(l))));
        for (i, a) in s.actions.iter().enumerate() {
            out.push((
                4,
                format!(
                    "{}. {} ({}) — {}",
                    i + 1,
                    i18n::text(&a.title, l),
                    a.requirement,
                    fixes(a, l)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{Level, Text};

    fn action(apps: usize, devices: usize) -> Action {
        Action {
            check: "c".into(),
            requirement: "R".into(),
            level: Level::Must,
            title: Text::new("t", "t"),
            remediation: Text::new("", ""),
            apps,
            devices,
        }
    }

    #[test]
    fn fixes_reads_naturally_in_both_languages() {
        assert_eq!(
            fixes(&action(2, 19), Lang::De),
            "Behebt den Mangel bei 2 Apps und 19 Geräten"
        );
        assert_eq!(
            fixes(&action(1, 0), Lang::De),
            "Behebt den Mangel bei 1 App"
        );
        assert_eq!(
            fixes(&action(0, 1), Lang::En),
            "Fixes the failure on 1 device"
        );
    }

    #[test]
    fn unreadable_files_get_their_own_row_in_the_verdict_chart() {
        let s = Summary {
            apps: Vec::new(),
            fleet: None,
            actions: Vec::new(),
            app_verdicts: VerdictCounts {
                not_compliant: 1,
                ..VerdictCounts::default()
            },
            other_verdicts: VerdictCounts {
                error: 2,
                ..VerdictCounts::default()
            },
            unmatched_app_lists: 0,
            app_checks: Vec::new(),
        };
        for (l, apps, other) in [
            (Lang::De, "Apps", "Andere Dateien"),
            (Lang::En, "Apps", "Other files"),
        ] {
            let texts = super::super::charts::tests::parse_svg(&charts_of(&s, l)[0]);
            assert!(texts.iter().any(|t| t == apps), "{texts:?}");
            assert!(texts.iter().any(|t| t == other), "{texts:?}");
        }
        // Only unreadable files: no "Apps" row at all.
        let s = Summary {
            app_verdicts: VerdictCounts::default(),
            ..s
        };
        let texts = super::super::charts::tests::parse_svg(&charts_of(&s, Lang::En)[0]);
        assert!(!texts.iter().any(|t| t == "Apps"), "{texts:?}");
        assert!(texts.iter().any(|t| t == "Other files"), "{texts:?}");
        // An installed-app list that matched no device is not called
        // unreadable: the legend names what the errors are.
        for (unmatched, de, en) in [
            (0, "Nicht lesbar", "Unreadable"),
            (
                1,
                "Nicht lesbar oder nicht zugeordnet",
                "Unreadable or not matched",
            ),
            (2, "Nicht zugeordnet", "Not matched"),
        ] {
            let s = Summary {
                unmatched_app_lists: unmatched,
                ..s.clone()
            };
            for (l, want) in [(Lang::De, de), (Lang::En, en)] {
                let texts = super::super::charts::tests::parse_svg(&charts_of(&s, l)[0]);
                assert!(texts.iter().any(|t| t == want), "{unmatched}: {texts:?}");
            }
        }
    }

    #[test]
    fn every_chart_is_well_formed() {
        use crate::assess::{DeviceSample, DistributionCounts};
        use crate::facts::Device;
        let mut c = DistributionCounts::default();
        for (p, v, days) in [("android", "14", Some(3)), ("ios", "17.5", None)] {
            c.add(&DeviceSample::of(&Device {
                platform: Some(p.into()),
                os_version: Some(v.into()),
                patch_age_days: days,
                ..Device::default()
            }));
        }
        let dist = c.finish();
        let fleet = FleetLine {
            verdicts: VerdictCounts {
                compliant: 1,
                not_compliant: 1,
                incomplete: 0,
                error: 0,
            },
            failed_must: Vec::new(),
            checks: vec![CheckBar {
                requirement: "DEV-01".into(),
                title: Text::new("Betriebssystem <aktuell>", "OS <current>"),
                passed: 1,
                failed: 1,
                open: 0,
                not_applicable: 0,
            }],
            distribution: &dist,
        };
        let s = Summary {
            apps: Vec::new(),
            fleet: Some(fleet),
            actions: Vec::new(),
            app_verdicts: VerdictCounts::default(),
            other_verdicts: VerdictCounts::default(),
            unmatched_app_lists: 0,
            app_checks: Vec::new(),
        };
        for l in [Lang::De, Lang::En] {
            let charts = charts_of(&s, l);
            assert_eq!(charts.len(), 4, "verdicts, requirements, OS, patch age");
            let texts: Vec<Vec<String>> = charts
                .iter()
                .map(|c| super::super::charts::tests::parse_svg(c))
                .collect();
            if l == Lang::De {
                assert_eq!(texts[0][0], "Gesamturteile");
                assert!(texts[1]
                    .iter()
                    .any(|t| t == "DEV-01 Betriebssystem <aktuell>"));
                assert!(texts[2].iter().any(|t| t == "Android 14"));
                assert!(texts[2].iter().any(|t| t == "iOS 17"));
                assert!(texts[3].iter().any(|t| t == "unter 1 Monat"));
            } else {
                assert_eq!(texts[0][0], "Verdicts");
                assert!(texts[3].iter().any(|t| t == "12 months or more"));
            }
        }
    }

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    /// Printed in greyscale, every segment of a stacked chart keeps a
    /// lightness of its own: no two differ by less than 0.08 in relative
    /// luminance (the amber „Offen“ and the grey „Nicht anwendbar“ once
    /// printed as the same grey, as did „Nicht konform“ and „Fehler“).
    #[test]
    fn segments_differ_in_greyscale() {
        for l in [Lang::De, Lang::En] {
            for segments in [outcome_segments(l), verdict_segments(l, (0, 0))] {
                for (i, a) in segments.iter().enumerate() {
                    for b in &segments[i + 1..] {
                        let d = (luminance(a.color) - luminance(b.color)).abs();
                        assert!(
                            d >= 0.08,
                            "{} ({}) and {} ({}) differ by only {d:.3} in luminance",
                            a.label,
                            a.color,
                            b.label,
                            b.color
                        );
                    }
                }
            }
        }
    }
}
