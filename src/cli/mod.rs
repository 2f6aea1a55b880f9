//! The command line: argument parsing and one module per subcommand.

mod facts;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

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

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Facts(args) => facts::run(args),
    };
    ExitCode::from(code)
}

/// Writes `text` to `output` or standard output; a write error becomes a message.
pub(crate) fn write_output(output: Option<&PathBuf>, text: &str) -> Result<(), String> {
    use std::io::Write;
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .and_then(|_| if text.ends_with('\n') { Ok(()) } else { out.write_all(b"\n") })
                .map_err(|e| format!("cannot write to standard output: {e}"))
        }
    }
}
