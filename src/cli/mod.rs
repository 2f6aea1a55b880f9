//! The command line: argument parsing and one module per subcommand.

mod answers_template;
mod checks;
mod checks_test;
mod clap_de;
mod compare;
mod diff;
mod explain;
mod facts;
mod failure;
mod gates;
pub mod help_de;
mod input_messages;
mod inputs;
pub mod limits;
mod localized;
mod os_data;
mod scan;
mod sdks;
pub(crate) use crate::lang::wording_de;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::assess::Lang;
use crate::report::Format;

/// Exit codes, stable for CI pipelines.
pub mod exit {
    /// Every target compliant (or, for `facts`/`checks`/`explain`, success).
    pub const OK: u8 = 0;
    /// At least one target not compliant (or a regression in `diff`).
    pub const NOT_COMPLIANT: u8 = 1;
    /// The command line was wrong (clap's own code).
    pub const USAGE: u8 = 2;
    /// No target failed, but at least one is incomplete (undecided must-checks).
    pub const INCOMPLETE: u8 = 3;
    /// At least one input could not be read.
    pub const INPUT_ERROR: u8 = 4;
    /// A check file, profile, answers file or other configuration is broken.
    pub const CONFIG_ERROR: u8 = 5;
}

/// Audits messenger apps (APK, split APK sets, IPA) and MDM device inventories
/// against the German data protection authorities' (DSK) messenger requirements.
/// Offline: msgaudit never opens a network connection.
#[derive(Debug, Parser)]
#[command(name = "msgaudit", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the facts extracted from apps or inventories as JSON (the input of every check).
    Facts(facts::FactsArgs),
    /// Audit apps, inventories or facts files against a profile and write a report.
    Scan(scan::ScanArgs),
    /// List the checks of a profile.
    Checks(checks::ChecksArgs),
    /// Explain one check (or every check of a requirement): what, why, how decided, how to fix.
    Explain(explain::ExplainArgs),
    /// Compare candidate messengers side by side: requirements as rows, apps as columns.
    Compare(compare::CompareArgs),
    /// Show what changed between two versions of an app; exit 1 on a regression.
    Diff(diff::DiffArgs),
    /// List the SDK and tracker knowledge base (with --trackers: merged with a tracker file).
    Sdks(sdks::SdksArgs),
    /// Manage the OS support data (import endoflife.date files for `scan --os-data`).
    OsData(os_data::OsDataArgs),
}

/// Which checks and profile a run uses; shared by `scan`, `checks` and `explain`.
#[derive(Debug, Clone, Args)]
pub struct CheckSetArgs {
    /// Profile: a built-in id (`dsk-must`, `dsk-full`) or a profile file.
    #[arg(long, value_name = "NAME|FILE", default_value = crate::checks::DEFAULT_PROFILE)]
    pub profile: String,
    /// A directory of extra check files (`*.toml`, recursively); a check whose id
    /// equals a built-in one replaces it. These checks are always evaluated.
    #[arg(long = "checks", value_name = "DIR")]
    pub checks_dir: Option<PathBuf>,
}

impl CheckSetArgs {
    /// Loads the check set (built-in plus `--checks`) and the profile, validated against each other.
    pub fn load(
        &self,
    ) -> Result<(crate::checks::CheckSet, crate::checks::Profile), crate::checks::ConfigError> {
        crate::pipeline::load_check_set(&self.profile, self.checks_dir.as_deref())
    }
}

/// Where and how to write output; shared by every subcommand that writes a report.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Language of the report.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// The `--format` values of a command that writes only `formats`: its help
/// (English and German) lists those alone; the others are still taken, so
/// that the command itself can say that it does not write them and which
/// it does (exit 2), instead of clap's bare "invalid value".
pub(crate) fn formats_only(
    formats: &'static [Format],
) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    use clap::ValueEnum;
    clap::builder::PossibleValuesParser::new(
        Format::value_variants()
            .iter()
            .filter_map(|f| f.to_possible_value().map(|v| v.hide(!formats.contains(f)))),
    )
    .try_map(|s| Format::from_str(&s, false))
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let args = lang_last(std::env::args_os().collect());
    // As `Cli::try_parse_from`, with the help in German when German is asked for.
    let parsed = help_de::matches(Cli::command(), &args).and_then(|mut m| {
        Cli::from_arg_matches_mut(&mut m).map_err(|e| e.format(&mut Cli::command()))
    });
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(clap_de::exit(&e, clap_de::lang_of(&args))),
    };
    let code = match cli.command {
        Command::Facts(args) => facts::run(args),
        Command::Scan(args) => scan::run(args),
        Command::Checks(args) => checks::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Sdks(args) => sdks::run(args),
        Command::OsData(args) => os_data::run(args),
    };
    ExitCode::from(code)
}

/// `--lang` given before the subcommand (`msgaudit --lang de scan …`), as
/// a reader of the German help is shown it, moved to the end of the
/// arguments (before a `--`), where every subcommand takes it; other
/// arguments are left as they are.
fn lang_last(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let taken = match args.get(1).map(|a| a.to_string_lossy()) {
        Some(a) if a == "--lang" && args.len() > 3 => 2,
        Some(a) if a.starts_with("--lang=") && args.len() > 2 => 1,
        _ => return args,
    };
    let lang: Vec<std::ffi::OsString> = args.drain(1..1 + taken).collect();
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    args.splice(end..end, lang);
    args
}

/// Writes `text` to `output` or standard output.
pub(crate) fn write_output(
    output: Option<&PathBuf>,
    text: &str,
) -> Result<(), localized::WriteError> {
    use std::io::Write;
    match output {
        Some(path) => {
            std::fs::write(path, text).map_err(|e| localized::WriteError::to(Some(path), e))
        }
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| {
                    if text.ends_with('\n') {
                        Ok(())
                    } else {
                        out.write_all(b"\n")
                    }
                })
                .map_err(|e| localized::WriteError::to(None, e))
        }
    }
}

/// The assessed targets of `paths`: saved JSON reports are read as they are,
/// everything else is extracted and assessed with `args`. Errors are printed;
/// the `Err` value is the exit code to return. Device inventories (given
/// directly or in a saved report) are refused: `command` (`compare`, `diff`)
/// works on apps.
pub(crate) fn load_targets(
    command: &str,
    paths: &[PathBuf],
    args: &inputs::AssessArgs,
    lang: Lang,
) -> Result<crate::pipeline::Loaded, u8> {
    let run =
        crate::pipeline::assess_or_load(paths, &args.to_options(lang), &inputs::Printer::new(lang));
    inputs::print_skipped(&run.skipped, false, true, lang);
    let loaded = run
        .result
        .map_err(|e| inputs::fail_on_paths(&e, paths, run.skipped.len(), lang))?;
    if !loaded.inventories.is_empty() {
        eprintln!(
            "msgaudit: {}",
            input_messages::inventories_refused(command, &loaded.inventories, lang)
        );
        return Err(exit::USAGE);
    }
    Ok(loaded)
}

#[cfg(test)]
mod lang_last_tests {
    use super::lang_last;

    fn moved(args: &[&str]) -> Vec<String> {
        lang_last(args.iter().map(Into::into).collect())
            .into_iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn a_leading_lang_goes_to_the_end_of_the_subcommands_arguments() {
        assert_eq!(
            moved(&["msgaudit", "--lang", "de", "scan", "a.apk"]),
            ["msgaudit", "scan", "a.apk", "--lang", "de"]
        );
        assert_eq!(
            moved(&[
                "msgaudit",
                "--lang=de",
                "os-data",
                "import",
                "--ios",
                "i.json"
            ]),
            [
                "msgaudit",
                "os-data",
                "import",
                "--ios",
                "i.json",
                "--lang=de"
            ]
        );
        assert_eq!(
            moved(&["msgaudit", "--lang", "de", "scan", "--", "--odd.apk"]),
            ["msgaudit", "scan", "--lang", "de", "--", "--odd.apk"]
        );
        // Nothing to move: no subcommand follows, or --lang is not first.
        for args in [
            &["msgaudit", "--lang", "de"][..],
            &["msgaudit", "--lang", "de", "--help"][..],
            &["msgaudit", "scan", "--lang", "de", "a.apk"][..],
        ] {
            let expected: Vec<String> = if args.len() == 4 && args[3] == "--help" {
                vec![
                    "msgaudit".into(),
                    "--help".into(),
                    "--lang".into(),
                    "de".into(),
                ]
            } else {
                args.iter().map(|a| a.to_string()).collect()
            };
            assert_eq!(moved(args), expected);
        }
    }
}
