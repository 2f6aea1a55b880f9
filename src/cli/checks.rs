//! `msgaudit checks`: list the checks of a profile, or run their examples (`--test`).

use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::{exit, write_output, CheckSetArgs};
use crate::assess::{Lang, Level};
use crate::checks::{Check, CheckSet, Profile};

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
        Err(e) => return super::failure::fail(&e),
    };
    if args.test {
        let report = super::checks_test::run_examples(&set, args.lang);
        for w in &report.warnings {
            eprintln!("{w}");
        }
        return match write_output(None, &report.stdout) {
            Ok(()) => report.code,
            Err(e) => {
                eprintln!("msgaudit: {e}");
                exit::INPUT_ERROR
            }
        };
    }
    if !args.apps.is_empty() && args.format != ListFormat::Answers {
        eprintln!("msgaudit: apps are read only for the answers template (--format answers)");
        return exit::USAGE;
    }
    let apps = match super::answers_template::read_apps(&args.apps) {
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
    match write_output(None, &text) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("msgaudit: {e}");
            exit::INPUT_ERROR
        }
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

fn applies(check: &Check) -> String {
    check
        .applies_to
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
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
            let mut out = format!(
                "# {} ({})\n\n| ID | Requirement | Level | Applies to | Decided | Title |\n|---|---|---|---|---|---|\n",
                profile.title.get(lang),
                profile.id
            );
            for c in &checks {
                out.push_str(&format!(
                    "| `{}` | {} | {} | {} | {} | {} |\n",
                    c.id,
                    c.requirement,
                    level_name(c.level),
                    applies(c),
                    c.decide.as_str(),
                    c.title.get(lang).replace('|', "\\|")
                ));
            }
            out
        }
        ListFormat::Table => {
            let mut table = Table::new();
            table
                .load_style(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(100)
                .set_header(match lang {
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
                });
            for c in &checks {
                table.add_row(vec![
                    c.id.clone(),
                    c.requirement.clone(),
                    crate::report::i18n::level(c.level, lang).to_string(),
                    applies(c),
                    c.decide.as_str().to_string(),
                    c.title.get(lang).to_string(),
                ]);
            }
            format!(
                "{} ({}): {} checks\n{table}\n",
                profile.title.get(lang),
                profile.id,
                checks.len()
            )
        }
    }
}
