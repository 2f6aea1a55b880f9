//! `msgaudit scan`: extract every target (in parallel), evaluate the profile, render, exit code.
//!
//! Exit codes (precedence from high to low): 5 configuration error (nothing was
//! evaluated), 4 an input could not be read, 1 a target is not compliant (or
//! below `--min-score` or `--min-coverage`), 3 a target is incomplete or
//! nothing was assessed at all (every export lists no device), 0 otherwise.
//! `--fail-on` lowers which verdicts count ([`super::gates`]). The code is
//! computed before the report is written, so that the SARIF log states it.
//! A run that stops before its report (nothing to assess, a broken
//! configuration) still writes a SARIF log with `--format sarif`, without
//! results, saying why.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::failure::stop_cause;
use super::gates::{self, Gates};
pub use super::inputs::AssessArgs;
use super::inputs::{fail_on_paths, message_on_paths, print_skipped, Printer};
use super::localized::WriteError;
use super::OutputArgs;
use crate::assess::{Assessment, Verdict};
use crate::pipeline::PipelineError;
use crate::report::{sarif_stop, write_to, Format, RenderOptions, RunStop};

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
    after_long_help = "Exit codes: 0 all compliant; 1 any not compliant (or below --min-score or \
--min-coverage); 2 usage error (an unknown option, or a bad --format, --lang or --as-of value); \
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
    /// Exit 1 when any target's score (0–100) is below N (a target without a score
    /// counts as below); the score counts only decided checks, see --min-coverage.
    #[arg(long, value_name = "N", value_parser = super::gates::parse_percent)]
    pub min_score: Option<f64>,
    /// Exit 1 when any target has fewer than PERCENT (0–100) of its applicable checks
    /// decided (pass or fail; an unreadable target exits 4 instead).
    #[arg(long, value_name = "PERCENT", value_parser = super::gates::parse_percent)]
    pub min_coverage: Option<f64>,
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
            print_skipped(&run.skipped, args.verbose, true, args.output.lang);
            a
        }
        Err(e) => {
            print_skipped(&run.skipped, args.verbose, true, args.output.lang);
            return stopped(&e, &args, run.skipped.len());
        }
    };
    let lang = args.output.lang;
    let gates = Gates {
        fail_on: args.fail_on,
        min_score: args.min_score,
        min_coverage: args.min_coverage,
    };
    // The devices' coverages come from the store's index (a device is read
    // back only when its counts do not fit there).
    let device_coverages = match assessment.devices.coverages() {
        Ok(c) => c,
        Err(e) => {
            return stopped(&PipelineError::Store(e), &args, assessment.skipped_files);
        }
    };
    // Known before the report is written: the SARIF log states it.
    let exit = gates::run_exit(&assessment, &gates, &device_coverages);
    let color = args.output.format == Format::Table
        && args.output.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let options = RenderOptions {
        format: args.output.format,
        lang,
        color,
        exit: Some(exit),
    };
    // The side files first, the report last: a side file that cannot be
    // written ends the run (exit 4) before a report states another exit code.
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
    if let Err(e) = write_report(args.output.output.as_ref(), &assessment, &options) {
        return super::failure::fail(&e, lang);
    }
    let label = |t: &crate::assess::TargetAssessment| {
        t.target
            .file
            .as_ref()
            .map(|f| f.path.clone())
            .unwrap_or_else(|| t.target.name.clone())
    };
    for t in assessment
        .targets
        .iter()
        .filter(|t| t.verdict == Verdict::Error)
    {
        eprintln!(
            "msgaudit: {}: {}: {}",
            label(t),
            super::input_messages::error_label(lang),
            super::input_messages::target_error(t, lang)
        );
    }
    for line in gates::coverage_lines(&assessment, &gates, &device_coverages, label, lang) {
        eprintln!("{line}");
    }
    exit.code
}

/// Ends a run that stopped before its report with pipeline error `e`
/// (`skipped` files skipped): the error on standard error as always and,
/// with `--format sarif`, a SARIF log without results that says why, so a
/// CI job that uploads the log finds one. A log that cannot be written is
/// said on standard error; the exit code stays `e`'s.
fn stopped(e: &PipelineError, args: &ScanArgs, skipped: usize) -> u8 {
    let lang = args.output.lang;
    let code = fail_on_paths(e, &args.paths, skipped, lang);
    if args.output.format != Format::Sarif {
        return code;
    }
    let stop = RunStop {
        code,
        cause: stop_cause(e),
        message: message_on_paths(e, &args.paths, skipped, lang),
        skipped_files: skipped,
    };
    let written = write_output(args.output.output.as_ref(), |out| {
        sarif_stop::write(&stop, lang, out)
    });
    if let Err(e) = written {
        // The run's own failure decides the exit code, not the log's.
        let _ = super::failure::fail(&e, lang);
    }
    code
}

/// The pseudonym key: the option's value, else env `MSGAUDIT_PSEUDONYM_KEY`.
pub(crate) fn pseudonym_key(option: Option<&str>) -> Option<String> {
    option
        .map(str::to_string)
        .or_else(|| std::env::var("MSGAUDIT_PSEUDONYM_KEY").ok())
        .filter(|k| !k.is_empty())
}

/// Writes the report to `output` (or standard output, ending with a newline)
/// as it is rendered: JSON and CSV are streamed, so a 100,000-device report is
/// never held as one string.
fn write_report(
    output: Option<&PathBuf>,
    assessment: &Assessment,
    options: &RenderOptions,
) -> Result<(), WriteError> {
    write_output(output, |out| write_to(assessment, options, out))
}

/// Writes to `output` (or standard output, ending with a newline) what
/// `write` writes, buffered.
fn write_output(
    output: Option<&PathBuf>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    use std::io::{BufWriter, Write};
    match output {
        Some(path) => {
            let cannot = |e: std::io::Error| WriteError::to(Some(path), e);
            let file = std::fs::File::create(path).map_err(cannot)?;
            let mut out = BufWriter::new(file);
            write(&mut out).and_then(|_| out.flush()).map_err(cannot)
        }
        None => {
            let mut out = LastByte {
                inner: BufWriter::new(std::io::stdout().lock()),
                last: None,
            };
            write(&mut out)
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
