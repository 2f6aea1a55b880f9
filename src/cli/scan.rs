//! `msgaudit scan`: extract every target (in parallel), evaluate the profile, render, exit code.
//!
//! Exit codes (precedence from high to low): 5 configuration error (nothing was
//! evaluated), 4 an input could not be read, 1 a target is not compliant (or
//! below `--min-score`), 3 a target is incomplete or nothing was assessed at
//! all (every export lists no device), 0 otherwise. `--fail-on`
//! lowers which verdicts count.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

pub use super::inputs::AssessArgs;
use super::inputs::{fail_on_paths, print_skipped, Printer};
use super::localized::WriteError;
use super::{exit, OutputArgs};
use crate::assess::{Assessment, Verdict};
use crate::report::{write_to, Format, RenderOptions};

/// Which verdicts make `scan` exit non-zero.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Exit 1 only when a target is not compliant.
    NotCompliant,
    /// Exit 1 when not compliant, 3 when incomplete (the default).
    #[default]
    Incomplete,
    /// Always exit 0 for verdicts (input and configuration errors still count).
    Never,
}

/// Arguments of `msgaudit scan`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Exit codes: 0 all compliant; 1 any not compliant (or below --min-score); \
2 usage error (an unknown option, or a bad --format, --lang or --as-of value); \
3 any incomplete, or nothing assessed (every export lists no device); 4 an input, or an entry \
of an app that carries facts (manifest, resources, \
DEX, signatures, Info.plist, executable, profile, privacy manifests), could not be read, \
or the inputs hold no app, inventory export or facts document (e.g. an empty folder); \
5 a check, profile, answers or --trackers file is broken. \
When several apply, the highest in this order wins: 5, 4, 1, 3."
)]
pub struct ScanArgs {
    /// Apps (.apk, .apks, .xapk, .ipa), inventory exports, facts JSON files, or folders
    /// (searched recursively; files are picked by content, others skipped and
    /// counted; a file named like an app or holding a zip that cannot be read is an error).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How targets are read and assessed.
    #[command(flatten)]
    pub assess: AssessArgs,
    /// Which verdicts make the exit code non-zero.
    #[arg(long, value_enum, default_value_t = FailOn::Incomplete)]
    pub fail_on: FailOn,
    /// Exit 1 when any target's score is below N (a target without a score counts as below).
    #[arg(long, value_name = "N")]
    pub min_score: Option<f64>,
    /// Also write the fleet's remediation list as CSV to FILE: one row per
    /// device and failed check, worst devices first, with what to do.
    #[arg(long, value_name = "FILE")]
    pub remediation_csv: Option<PathBuf>,
    /// Also write the fleet's device list as CSV to FILE: one row per device,
    /// worst first, with platform, model, OS, patch level, last check-in,
    /// ownership and the failed requirements.
    #[arg(long, value_name = "FILE")]
    pub device_list_csv: Option<PathBuf>,
    /// List every file a folder scan skipped, with the reason (on standard error).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// Writes a CSV beside the report (`--remediation-csv`, `--device-list-csv`).
type SideWriter = fn(
    &crate::assess::Assessment,
    crate::assess::Lang,
    &mut std::io::BufWriter<std::fs::File>,
) -> std::io::Result<()>;

pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{s}` is not a date YYYY-MM-DD: {e}"))
}

/// Runs `msgaudit scan`.
pub fn run(args: ScanArgs) -> u8 {
    let options = args.assess.to_options(args.output.lang);
    let run = crate::pipeline::assess(&args.paths, &options, &Printer::new(args.output.lang));
    let assessment = match run.result {
        Ok(a) => {
            print_skipped(&run.skipped, args.verbose, args.output.lang);
            a
        }
        Err(e) => {
            print_skipped(&run.skipped, args.verbose, args.output.lang);
            return fail_on_paths(&e, &args.paths, run.skipped.len(), args.output.lang);
        }
    };
    let color = args.output.format == Format::Table
        && args.output.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let options = RenderOptions {
        format: args.output.format,
        lang: args.output.lang,
        color,
    };
    if let Err(e) = write_report(args.output.output.as_ref(), &assessment, &options) {
        return super::failure::fail(&e, args.output.lang);
    }
    let lang = args.output.lang;
    let side_files: [(&Option<PathBuf>, SideWriter); 2] = [
        (&args.remediation_csv, |a, l, out| {
            crate::report::csv::write_remediation(a, l, out)
        }),
        (&args.device_list_csv, |a, l, out| {
            crate::report::device_list::write_csv(a, l, out)
        }),
    ];
    for (path, write) in side_files {
        let Some(path) = path else { continue };
        let written = std::fs::File::create(path).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            write(&assessment, lang, &mut out)?;
            std::io::Write::flush(&mut out)
        });
        if let Err(e) = written {
            return super::failure::fail(&WriteError::to(Some(path), e), lang);
        }
    }
    for t in assessment
        .targets
        .iter()
        .filter(|t| t.verdict == Verdict::Error)
    {
        let path = t
            .target
            .file
            .as_ref()
            .map(|f| f.path.as_str())
            .unwrap_or(&t.target.name);
        eprintln!(
            "msgaudit: {path}: {}: {}",
            super::input_messages::error_label(lang),
            super::input_messages::target_error(t, lang)
        );
    }
    exit_code(&assessment, args.fail_on, args.min_score)
}

/// The pseudonym key: the option's value, else env `MSGAUDIT_PSEUDONYM_KEY`.
pub(crate) fn pseudonym_key(option: Option<&str>) -> Option<String> {
    option
        .map(str::to_string)
        .or_else(|| std::env::var("MSGAUDIT_PSEUDONYM_KEY").ok())
        .filter(|k| !k.is_empty())
}

/// The exit code for an assessment (see the module documentation for the precedence).
pub fn exit_code(assessment: &Assessment, fail_on: FailOn, min_score: Option<f64>) -> u8 {
    let devices = assessment.devices.verdicts();
    let all = || {
        assessment
            .targets
            .iter()
            .map(|t| (t.verdict, t.score))
            .chain(devices.iter().copied())
    };
    // The worst verdict decides, in the one order of verdicts.
    let worst = all()
        .map(|(verdict, _)| verdict)
        .max_by_key(|v| v.severity());
    // An export read only in part is an input that could not be read.
    let partial = assessment
        .fleet
        .as_ref()
        .is_some_and(|f| f.inventories.iter().any(|i| i.partial.is_some()));
    if worst == Some(Verdict::Error) || partial {
        return exit::INPUT_ERROR;
    }
    let below = min_score.is_some_and(|min| all().any(|(_, s)| s.is_none_or(|s| s < min)));
    if below || (fail_on != FailOn::Never && worst == Some(Verdict::NotCompliant)) {
        return exit::NOT_COMPLIANT;
    }
    // Nothing assessed at all (every export named lists no device): nothing
    // is decided, which is never "every target compliant".
    let nothing = worst.is_none();
    if fail_on == FailOn::Incomplete && (nothing || worst == Some(Verdict::Incomplete)) {
        return exit::INCOMPLETE;
    }
    exit::OK
}

/// Writes the report to `output` (or standard output, ending with a newline)
/// as it is rendered: JSON and CSV are streamed, so a 100,000-device report is
/// never held as one string.
fn write_report(
    output: Option<&PathBuf>,
    assessment: &Assessment,
    options: &RenderOptions,
) -> Result<(), WriteError> {
    use std::io::{BufWriter, Write};
    match output {
        Some(path) => {
            let cannot = |e: std::io::Error| WriteError::to(Some(path), e);
            let file = std::fs::File::create(path).map_err(cannot)?;
            write_to(assessment, options, BufWriter::new(file)).map_err(cannot)
        }
        None => {
            let mut out = LastByte {
                inner: BufWriter::new(std::io::stdout().lock()),
                last: None,
            };
            write_to(assessment, options, &mut out)
                .and_then(|_| {
                    if out.last == Some(b'\n') {
                        Ok(())
                    } else {
                        out.write_all(b"\n")
                    }
                })
                .and_then(|_| out.flush())
                .map_err(|e| WriteError::to(None, e))
        }
    }
}

/// A writer that remembers the last byte written (to end standard output with a newline).
struct LastByte<W> {
    inner: W,
    last: Option<u8>,
}

impl<W: std::io::Write> std::io::Write for LastByte<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(b) = buf.get(..n).and_then(|b| b.last()) {
            self.last = Some(*b);
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
