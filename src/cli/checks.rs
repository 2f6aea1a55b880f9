//! `msgaudit checks`: list the checks of a profile, or run their examples (`--test`).

use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::{exit, write_output, CheckSetArgs};
use crate::assess::{Lang, Level};
use crate::checks::{Check, CheckSet, Profile};
use crate::facts::TargetKind;

/// Output format of the check list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// Terminal table.
    #[default]
    Table,
    /// JSON array.
    Json,
    /// Markdown table.
    Md,
    /// Self-contained HTML (the scan report's stylesheet).
    Html,
    /// CSV, one row per check (German: `;`, BOM).
    Csv,
    /// An answers-file template (TOML) with one `[[answer]]` per check that can
    /// need an attestation, its question as a comment; per APP (bound to its
    /// id, version and SHA-256) when apps are given.
    Answers,
}

/// Arguments of `msgaudit checks`.
#[derive(Debug, Args)]
pub struct ChecksArgs {
    /// Checks and profile.
    #[command(flatten)]
    pub checks: CheckSetArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Language of the titles.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Write the list (or the `--test` output) to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Run the `[[example]]`s of every check (built-in and `--checks`) instead
    /// of listing: exit 0 when all hold, 1 when one fails, 5 for a broken file.
    #[arg(long, conflicts_with = "format")]
    pub test: bool,
    /// Apps the answers template is for (with `--format answers`): each
    /// answer is bound to the app's id, version and file SHA-256.
    #[arg(value_name = "APP")]
    pub apps: Vec<std::path::PathBuf>,
}

/// Runs `msgaudit checks`.
pub fn run(args: ChecksArgs) -> u8 {
    let (set, profile) = match args.checks.load() {
        Ok(x) => x,
        Err(e) => return super::failure::fail(&e, args.lang),
    };
    if args.test {
        let report = super::checks_test::run_examples(&set, args.lang);
        for w in &report.warnings {
            eprintln!("{w}");
        }
        return match write_output(args.output.as_ref(), &report.stdout) {
            Ok(()) => report.code,
            Err(e) => super::failure::fail(&e, args.lang),
        };
    }
    if !args.apps.is_empty() && args.format != ListFormat::Answers {
        eprintln!(
            "msgaudit: {}",
            super::input_messages::apps_need_answers(args.lang)
        );
        return exit::USAGE;
    }
    let apps = match super::answers_template::read_apps(&args.apps, args.lang) {
        Ok(apps) => apps,
        Err(e) => {
            eprintln!("msgaudit: {e}");
            return exit::INPUT_ERROR;
        }
    };
    let text = match args.format {
        ListFormat::Answers => {
            let checks = profile.selected(&set);
            super::answers_template::render(&checks, &profile, args.lang, &apps)
        }
        format => list(&set, &profile, format, args.lang),
    };
    match write_output(args.output.as_ref(), &text) {
        Ok(()) => exit::OK,
        Err(e) => super::failure::fail(&e, args.lang),
    }
}

fn level_name(level: Level) -> &'static str {
    match level {
        Level::Must => "must",
        Level::Should => "should",
        Level::Alternative => "alternative",
        Level::Desirable => "desirable",
    }
}

/// What a check applies to, in `lang`: the kinds' names in English
/// (`android, ios`), their German words in German („Android-App, iOS-App“).
pub(super) fn applies(kinds: &[TargetKind], lang: Lang) -> String {
    kinds
        .iter()
        .map(|k| match lang {
            Lang::De => crate::report::i18n::kind(*k, lang),
            Lang::En => k.as_str(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a check is decided (`automatic`, `heuristic`, `manual`), in German
/// „automatisch“, „heuristisch“, „manuell“; a word this list does not know
/// stays as it is.
pub(super) fn decided(word: &str, lang: Lang) -> &str {
    match (lang, word) {
        (Lang::De, "automatic") => "automatisch",
        (Lang::De, "heuristic") => "heuristisch",
        (Lang::De, "manual") => "manuell",
        _ => word,
    }
}

/// Renders the profile's checks of `set` as a table, JSON or Markdown.
pub fn list(set: &CheckSet, profile: &Profile, format: ListFormat, lang: Lang) -> String {
    let checks = profile.selected(set);
    match format {
        ListFormat::Answers => super::answers_template::render(&checks, profile, lang, &[]),
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = checks
                .iter()
                .map(|c| {
                    serde_json::json!({
                        "id": c.id,
                        "requirement": c.requirement,
                        "level": level_name(c.level),
                        "applies_to": c.applies_to,
                        "decide": c.decide.as_str(),
                        "source_confidence": c.source_confidence,
                        "title": c.title.get(lang),
                        "weight": profile.weight(c),
                        "source": c.source,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows).unwrap_or_default()
        }
        ListFormat::Md => {
            let e = crate::report::markdown::esc;
            let mut out = format!(
                "# {} ({})\n\n|{}\n|{}\n",
                e(profile.title.get(lang)),
                e(&profile.id),
                header(lang)
                    .iter()
                    .map(|h| format!(" {} |", e(h)))
                    .collect::<String>(),
                "---|".repeat(header(lang).len())
            );
            for c in &checks {
                let cells: Vec<String> = row(c, lang)
                    .iter()
                    .enumerate()
                    .map(|(i, x)| {
                        if i == 0 {
                            format!("`{}`", x.replace('`', "'"))
                        } else {
                            e(x)
                        }
                    })
                    .collect();
                out.push_str(&format!("| {} |\n", cells.join(" | ")));
            }
            out
        }
        ListFormat::Html => {
            use crate::report::html::esc;
            let title = format!("{} ({})", profile.title.get(lang), profile.id);
            let mut out = crate::report::compare::html_head(&title, "", lang);
            out.push_str("<table><thead><tr>");
            for h in header(lang) {
                out.push_str(&format!("<th>{}</th>", esc(h)));
            }
            out.push_str("</tr></thead><tbody>\n");
            for c in &checks {
                out.push_str("<tr>");
                for (i, x) in row(c, lang).iter().enumerate() {
                    let class = if i == 0 { " class=\"mono\"" } else { "" };
                    out.push_str(&format!("<td{class}>{}</td>", esc(x)));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table>\n</body>\n</html>\n");
            out
        }
        ListFormat::Csv => {
            use crate::report::csv_dialect;
            let mut out = csv_dialect::start(lang).to_string();
            out += &csv_dialect::line(lang, &header(lang));
            for c in &checks {
                let cells = row(c, lang);
                let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                out += &csv_dialect::line(lang, &cells);
            }
            out
        }
        ListFormat::Table => {
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(100)
                .set_header(header(lang));
            for c in &checks {
                table.add_row(row(c, lang));
            }
            let count = match lang {
                Lang::De => "Prüfungen",
                Lang::En => "checks",
            };
            format!(
                "{} ({}): {} {count}\n{table}\n",
                profile.title.get(lang),
                profile.id,
                checks.len()
            )
        }
    }
}

/// Column names of the check list.
fn header(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::De => [
            "ID",
            "Anforderung",
            "Stufe",
            "Gilt für",
            "Entscheidung",
            "Titel",
        ],
        Lang::En => [
            "ID",
            "Requirement",
            "Level",
            "Applies to",
            "Decided",
            "Title",
        ],
    }
}

/// One check as the cells of the list, in `lang`.
fn row(c: &Check, lang: Lang) -> Vec<String> {
    vec![
        c.id.clone(),
        c.requirement.clone(),
        crate::report::i18n::level(c.level, lang).to_string(),
        applies(&c.applies_to, lang),
        decided(c.decide.as_str(), lang).to_string(),
        c.title.get(lang).to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `checks --lang de` and `explain --lang de` name what a check applies
    /// to and how it is decided in German (before: „Gilt für: device“,
    /// „Entscheidung: automatic“); English keeps the identifiers.
    #[test]
    fn kinds_and_decisions_are_said_in_the_report_language() {
        let set = CheckSet::builtin().unwrap();
        let profile = Profile::load("dsk-full").unwrap();
        let device = set.get("DEV-02-passcode").unwrap();
        let app = set.get("APP-05-crash-default-off").unwrap();
        assert_eq!(applies(&device.applies_to, Lang::De), "Gerät");
        assert_eq!(applies(&app.applies_to, Lang::De), "Android-App, iOS-App");
        assert_eq!(applies(&app.applies_to, Lang::En), "android, ios");
        assert_eq!(decided("manual", Lang::De), "manuell");
        assert_eq!(decided("heuristic", Lang::De), "heuristisch");
        assert_eq!(decided("automatic", Lang::En), "automatic");
        let text = super::super::explain::explain_check(device, &profile, Lang::De);
        assert!(
            text.contains("Gilt für: Gerät   Entscheidung: automatisch"),
            "{text}"
        );
        for (lang, word) in [(Lang::De, "manuell"), (Lang::En, "manual")] {
            let table = list(&set, &profile, ListFormat::Table, lang);
            assert!(table.contains(word), "{lang:?}: {table}");
        }
        let de = list(&set, &profile, ListFormat::Table, Lang::De);
        // (Check ids hold such words: `APP-07-automatic-…`.)
        for english in ["┆ automatic ", "┆ manual ", "┆ device ", "┆ android, "] {
            assert!(!de.contains(english), "{english}: {de}");
        }
    }
}
