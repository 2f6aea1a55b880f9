//! `msgaudit os-data import`: turns endoflife.date product files into the OS
//! support data that `scan --os-data` reads.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use super::exit;
use super::scan::parse_date;
use crate::extract::inventory::os_import::{import, ImportRequest};

/// `msgaudit os-data`.
#[derive(Debug, Args)]
pub struct OsDataArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: OsDataCommand,
}

/// The `os-data` subcommands.
#[derive(Debug, Subcommand)]
pub enum OsDataCommand {
    /// Read endoflife.date product files (https://endoflife.date/api/ios.json,
    /// ipados.json, android.json) into an OS support data file for `scan --os-data`.
    Import(ImportArgs),
}

/// `msgaudit os-data import`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("inputs").required(true).multiple(true).args(["ios", "ipados", "android"])))]
pub struct ImportArgs {
    /// endoflife.date's iOS file (a JSON array of release cycles).
    #[arg(long, value_name = "FILE")]
    pub ios: Option<PathBuf>,
    /// endoflife.date's iPadOS file.
    #[arg(long, value_name = "FILE")]
    pub ipados: Option<PathBuf>,
    /// endoflife.date's Android file.
    #[arg(long, value_name = "FILE")]
    pub android: Option<PathBuf>,
    /// Newest published Android security patch level (from the Android
    /// Security Bulletin; endoflife.date does not carry it).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub android_patch_level: Option<chrono::NaiveDate>,
    /// The day the files were fetched (default today): the data's date, from
    /// which it turns stale after 180 days.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Write the data to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of the messages on standard error (the data file is TOML).
    #[arg(long, value_enum, default_value_t = crate::assess::Lang::En)]
    pub lang: crate::assess::Lang,
}

/// Runs `msgaudit os-data`.
pub fn run(args: OsDataArgs) -> u8 {
    match args.command {
        OsDataCommand::Import(a) => run_import(a),
    }
}

fn run_import(args: ImportArgs) -> u8 {
    use crate::assess::Lang;
    let lang = args.lang;
    let req = ImportRequest {
        ios: args.ios,
        ipados: args.ipados,
        android: args.android,
        android_patch_level: args.android_patch_level,
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
    };
    let imported = match import(&req) {
        Ok(i) => i,
        Err(e) => return super::failure::fail(&e, lang),
    };
    if let Err(e) = super::write_output(args.output.as_ref(), &imported.toml) {
        return super::failure::fail(&e, lang);
    }
    let counts: Vec<String> = imported
        .majors
        .iter()
        .map(|(name, n)| match lang {
            Lang::De => format!("{name}: {n} Hauptversionen"),
            Lang::En => format!("{name} {n} major versions"),
        })
        .collect();
    let target = match (lang, args.output.as_ref()) {
        (Lang::De, Some(p)) => format!("in {}", p.display()),
        (Lang::De, None) => "auf die Standardausgabe".to_string(),
        (Lang::En, Some(p)) => format!("to {}", p.display()),
        (Lang::En, None) => "to standard output".to_string(),
    };
    let file = args.output.as_ref().map_or(
        match lang {
            Lang::De => "DATEI".to_string(),
            Lang::En => "FILE".to_string(),
        },
        |p| p.display().to_string(),
    );
    match lang {
        Lang::De => eprintln!(
            "msgaudit: Daten zur OS-Unterstützung mit Stand {} {target} geschrieben ({}); zu verwenden mit `msgaudit scan --os-data {file}`",
            req.as_of,
            counts.join(", ")
        ),
        Lang::En => eprintln!(
            "msgaudit: wrote OS support data as of {} {target} ({}); use it with `msgaudit scan --os-data {file}`",
            req.as_of,
            counts.join(", ")
        ),
    }
    if req.android.is_some() && req.android_patch_level.is_none() {
        match lang {
            Lang::De => eprintln!(
                "msgaudit: Hinweis: Ohne --android-patch-level nennen die Daten keinen neuesten Android-Sicherheitspatch (Android-Geräte werden dann allein nach dem Alter ihres Patches beurteilt)"
            ),
            Lang::En => eprintln!(
                "msgaudit: note: without --android-patch-level the data names no newest Android patch level (Android devices are then judged by patch age alone)"
            ),
        }
    }
    exit::OK
}
