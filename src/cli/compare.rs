//! `msgaudit compare`: candidate messengers side by side.

use std::path::PathBuf;

use clap::Args;

use super::scan::AssessArgs;
use super::{exit, load_targets, write_output, OutputArgs};
use crate::assess::comparison::UnreadTarget;
use crate::report::compare::render as render_comparison;
use crate::workflows::compare::{compare, Grouping};

/// Arguments of `msgaudit compare`.
#[derive(Debug, Args)]
#[command(
    mut_arg("format", |a: clap::Arg| a.value_parser(super::formats_only(crate::report::compare::FORMATS))),
    after_long_help = "Each cell is the worst outcome of the candidate's checks for that \
requirement, with the reason. A candidate made of several builds (e.g. Android and iOS) gets the \
worst verdict and the lowest score of its builds. Inputs may be apps or JSON reports saved with \
`msgaudit scan --format json`.\n\nExit codes: 0 the matrix was written; 4 an input could not be \
read, or is an installed-app list, which joins no device here (the matrix is still written); 2 a \
device inventory among the inputs (compare is for apps; `msgaudit scan` reads inventories); 5 a \
check, profile or answers file is broken."
)]
pub struct CompareArgs {
    /// Apps (.apk, .apks, .xapk, .ipa), folders, or saved JSON reports.
    #[arg(required = true, value_name = "APP")]
    pub apps: Vec<PathBuf>,
    /// Group apps into one candidate: NAME=APP,APP (file name, path or app id); repeatable.
    #[arg(long, value_name = "NAME=APP,APP")]
    pub group: Vec<String>,
    /// Do not group Android and iOS builds that share the same app id.
    #[arg(long)]
    pub no_auto_group: bool,
    /// Output options (sarif is not available for a comparison).
    #[command(flatten)]
    pub output: OutputArgs,
    /// How apps are read and assessed.
    #[command(flatten)]
    pub assess: AssessArgs,
}

/// Runs `msgaudit compare`.
pub fn run(args: CompareArgs) -> u8 {
    let mut grouping = Grouping {
        groups: Vec::new(),
        by_app_id: !args.no_auto_group,
    };
    for spec in &args.group {
        match Grouping::parse_group(spec) {
            Ok(g) => grouping.groups.push(g),
            Err(e) => {
                eprintln!("msgaudit: {}", in_lang(&e, args.output.lang));
                return exit::USAGE;
            }
        }
    }
    let loaded = match load_targets("compare", &args.apps, &args.assess, args.output.lang) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let mut comparison = compare(&loaded.targets, &grouping);
    comparison.header = loaded.header;
    if comparison.candidates.is_empty() {
        eprintln!(
            "msgaudit: {}",
            super::input_messages::no_readable_app(args.output.lang)
        );
        print_errors(&comparison.errors, args.output.lang);
        return exit::INPUT_ERROR;
    }
    let text = match render_comparison(&comparison, args.output.format, args.output.lang) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("msgaudit: {}", e.message(args.output.lang));
            return exit::USAGE;
        }
    };
    if let Err(e) = write_output(args.output.output.as_ref(), &text) {
        return super::failure::fail(&e, args.output.lang);
    }
    print_errors(&comparison.errors, args.output.lang);
    if comparison.errors.is_empty() {
        exit::OK
    } else {
        exit::INPUT_ERROR
    }
}

/// A library text in `lang` (German: [`super::wording_de::text`]).
fn in_lang(text: &str, lang: crate::assess::Lang) -> String {
    match lang {
        crate::assess::Lang::De => super::wording_de::text(text),
        crate::assess::Lang::En => text.to_string(),
    }
}

/// Prints why each input that is no candidate could not be read.
fn print_errors(errors: &[UnreadTarget], lang: crate::assess::Lang) {
    for unread in errors {
        let reason = match (lang, &unread.2) {
            (crate::assess::Lang::De, Some(de)) => de.clone(),
            _ => in_lang(&unread.1, lang),
        };
        eprintln!("msgaudit: {}: {reason}", unread.name());
    }
}
