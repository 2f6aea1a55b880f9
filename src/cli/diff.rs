//! `msgaudit diff`: what changed between two versions of an app.

use std::path::PathBuf;

use clap::Args;

use super::scan::AssessArgs;
use super::{exit, load_targets, write_output, OutputArgs};
use crate::assess::{ReportHeader, TargetAssessment, Verdict};
use crate::facts::TargetKind;
use crate::report::diff::render as render_diff;
use crate::workflows::diff::diff;

/// Arguments of `msgaudit diff`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Lists SDKs added or removed (with category and default collection), \
permissions, entitlements, manifest and Info.plist switches, signing certificates (a changed \
signing key is CRITICAL), check outcomes that got better or worse, and the verdict and score \
change. OLD and NEW may be apps or JSON reports saved with `msgaudit scan --format json` (one app \
each).\n\nExit codes: 0 no regression; 1 a regression (hold the update back); 4 an input could not \
be read; 5 a check, profile or answers file is broken."
)]
pub struct DiffArgs {
    /// The version in use (app or saved JSON report).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The update (app or saved JSON report).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output options (sarif: the regressions as results).
    #[command(flatten)]
    pub output: OutputArgs,
    /// How apps are read and assessed.
    #[command(flatten)]
    pub assess: AssessArgs,
}

/// The one app target of an input (with the header of its run), or the exit
/// code after printing why not.
fn one_app(
    path: &PathBuf,
    args: &DiffArgs,
) -> Result<(TargetAssessment, Option<ReportHeader>), u8> {
    let loaded = load_targets(
        "diff",
        std::slice::from_ref(path),
        &args.assess,
        args.output.lang,
    )?;
    let header = loaded.header;
    let apps: Vec<TargetAssessment> = loaded
        .targets
        .into_iter()
        // A file that does not exist is no app, but its read error is what
        // to say (not "holds no app").
        .filter(|t| {
            matches!(t.target.kind, TargetKind::Android | TargetKind::Ios) || t.file_not_found()
        })
        .collect();
    match apps.as_slice() {
        [one] if one.verdict == Verdict::Error => {
            eprintln!(
                "msgaudit: {}: {}",
                path.display(),
                super::input_messages::target_error(one, args.output.lang)
            );
            Err(exit::INPUT_ERROR)
        }
        [_] => Ok((apps.into_iter().next().expect("one element"), header)),
        [] => {
            eprintln!(
                "msgaudit: {}",
                super::input_messages::not_one_app_in(path, 0, args.output.lang)
            );
            Err(exit::INPUT_ERROR)
        }
        many => {
            eprintln!(
                "msgaudit: {}",
                super::input_messages::not_one_app_in(path, many.len(), args.output.lang)
            );
            Err(exit::USAGE)
        }
    }
}

/// Runs `msgaudit diff`.
pub fn run(args: DiffArgs) -> u8 {
    let (old, _) = match one_app(&args.old, &args) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let (new, header) = match one_app(&args.new, &args) {
        Ok(t) => t,
        Err(code) => return code,
    };
    if let Some(warning) = super::input_messages::not_one_app(&old, &new, args.output.lang) {
        eprintln!("msgaudit: {warning}");
    }
    let mut d = diff(&old, &new);
    d.header = header;
    let text = match render_diff(&d, args.output.format, args.output.lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("msgaudit: {}", e.message(args.output.lang));
            return exit::USAGE;
        }
    };
    if let Err(e) = write_output(args.output.output.as_ref(), &text) {
        return super::failure::fail(&e, args.output.lang);
    }
    if d.regression {
        exit::NOT_COMPLIANT
    } else {
        exit::OK
    }
}
