//! `msgaudit facts`: print extracted facts as JSON.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::exit;
use super::scan::parse_date;
use crate::extract::{write_facts_path, ExtractOptions, FactsWriteError};

/// Arguments of `msgaudit facts`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "The facts are documented field by field in docs/facts.md \
(apps, Android), docs/facts-ios.md (iOS) and docs/facts-inventory.md (devices). One FILE \
prints one JSON document; several print a JSON array. Exit codes: 0 every file was read; \
4 a file could not be read (the others are still printed), or an app's entry that carries \
facts could not be read (its facts are printed with the entry in `unread`). 5 the --trackers file is broken. Devices, pipes \
and sockets are refused, as by `scan`."
)]
pub struct FactsArgs {
    /// Apps (.apk, .apks, .xapk, .ipa) or inventory exports; the kind is detected from the content.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Include bulky detail (every DEX class name).
    #[arg(long)]
    pub full: bool,
    /// Force the input format of an inventory instead of detecting it
    /// (`csv=MAPPING.toml` for a generic CSV with a column mapping).
    #[arg(long, value_name = "NAME")]
    pub inventory_format: Option<String>,
    /// Audit date (YYYY-MM-DD) that patch and check-in ages are computed for; default today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// OS support data file replacing the built-in `checks/os-support.toml`.
    #[arg(long, value_name = "FILE")]
    pub os_data: Option<PathBuf>,
    /// Key for pseudonymizing personal data in inventories (default: env MSGAUDIT_PSEUDONYM_KEY).
    #[arg(long, value_name = "KEY")]
    pub pseudonym_key: Option<String>,
    /// Show personal identifiers from inventories in clear.
    #[arg(long)]
    pub reveal_identities: bool,
    /// Write the JSON to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Resource limits.
    #[command(flatten)]
    pub limits: super::limits::LimitArgs,
    /// Extra trackers (Exodus Privacy format).
    #[command(flatten)]
    pub trackers: super::sdks::TrackersArg,
}

/// Runs `msgaudit facts`: one JSON document for one file, a JSON array for several.
/// Each document is written as soon as it is extracted, so memory holds one
/// app's facts; an inventory's devices are written as they are read.
pub fn run(args: FactsArgs) -> u8 {
    let sdks = match args.trackers.load() {
        Ok(kb) => std::sync::Arc::new(kb),
        Err(e) => {
            eprintln!("msgaudit: {e}");
            return exit::CONFIG_ERROR;
        }
    };
    let options = ExtractOptions {
        sdks,
        full: args.full,
        inventory_format: args.inventory_format.clone(),
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        os_data: args.os_data.clone(),
        pseudonym_key: super::scan::pseudonym_key(args.pseudonym_key.as_deref()),
        reveal_identities: args.reveal_identities,
        limits: args.limits.to_limits(),
        compliance: None,
    };
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("msgaudit: cannot write {}: {e}", path.display());
                return exit::INPUT_ERROR;
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    let several = args.files.len() > 1;
    let mut code = exit::OK;
    let mut written = 0usize;
    let mut result = if several {
        out.write_all(b"[\n")
    } else {
        Ok(())
    };
    for path in &args.files {
        if result.is_err() {
            break;
        }
        let separator: &[u8] = if written > 0 { b",\n" } else { b"" };
        match write_facts_path(path, &options, separator, &mut out) {
            Ok(unread) => {
                written += 1;
                for u in &unread {
                    eprintln!(
                        "msgaudit: {}: {} could not be read ({}): {}",
                        path.display(),
                        u.entry,
                        u.kind.as_str(),
                        u.reason
                    );
                }
                if !unread.is_empty() {
                    code = exit::INPUT_ERROR;
                }
            }
            Err(FactsWriteError::Input { error, started }) => {
                eprintln!("msgaudit: {}: {error}", path.display());
                code = exit::INPUT_ERROR;
                if started {
                    written += 1;
                }
            }
            Err(FactsWriteError::Output(e)) => result = Err(e),
        }
    }
    if several {
        result = result.and_then(|()| out.write_all(b"\n]"));
    }
    if written > 0 || several {
        result = result.and_then(|()| out.write_all(b"\n"));
    }
    if let Err(e) = result.and_then(|()| out.flush()) {
        eprintln!("msgaudit: cannot write the facts: {e}");
        return exit::INPUT_ERROR;
    }
    code
}
