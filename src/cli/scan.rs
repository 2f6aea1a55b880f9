//! `msgaudit scan`: extract every target (in parallel), evaluate the profile, render, exit code.
//!
//! Exit codes (precedence from high to low): 5 configuration error (nothing was
//! evaluated), 4 an input could not be read, 1 a target is not compliant (or
//! below `--min-score`), 3 a target is incomplete, 0 otherwise. `--fail-on`
//! lowers which verdicts count.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use rayon::prelude::*;

use super::inventory_stream::{self, InventoryFile, StreamError};
use super::{exit, CheckSetArgs, OutputArgs};
use crate::assess::{Assessment, Lang, Verdict};
use crate::checks::{Answers, Evaluator, Input, InputFailure};
use crate::detect::{classify_zip, looks_like_zip, InputKind};
use crate::extract::inventory::Note;
use crate::extract::inventory::{os_status, resolve_format, InventoryError, HEAD_BYTES};
use crate::extract::{check_input_file, file_looks_like_zip, ExtractError};
use crate::extract::{extract_bytes, ExtractOptions};
use crate::facts::{Facts, InventoryFacts, TargetKind, UnreadKind};
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
3 any incomplete; 4 an input, or an entry of an app that carries facts (manifest, resources, \
DEX, signatures, Info.plist, executable, profile, privacy manifests), could not be read; \
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
    /// List every file a folder scan skipped, with the reason (on standard error).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// How targets are read and assessed; shared by `scan`, `compare` and `diff`.
#[derive(Debug, Clone, Args)]
pub struct AssessArgs {
    /// Checks and profile.
    #[command(flatten)]
    pub checks: CheckSetArgs,
    /// Audit date (YYYY-MM-DD); default today.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Answers file (TOML) attesting manual checks.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Force the input format of inventories instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub inventory_format: Option<String>,
    /// OS support data file replacing the built-in `checks/os-support.toml`.
    #[arg(long, value_name = "FILE")]
    pub os_data: Option<PathBuf>,
    /// Key for pseudonymizing personal data in inventories (default: env MSGAUDIT_PSEUDONYM_KEY).
    #[arg(long, value_name = "KEY")]
    pub pseudonym_key: Option<String>,
    /// Show personal identifiers from inventories in clear.
    #[arg(long)]
    pub reveal_identities: bool,
    /// Resource limits.
    #[command(flatten)]
    pub limits: super::limits::LimitArgs,
    /// Extra trackers (Exodus Privacy format).
    #[command(flatten)]
    pub trackers: super::sdks::TrackersArg,
}

pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("`{s}` is not a date YYYY-MM-DD: {e}"))
}

/// Runs `msgaudit scan`.
pub fn run(args: ScanArgs) -> u8 {
    let assessment =
        match assess_paths_listing(&args.paths, &args.assess, args.output.lang, args.verbose) {
            Ok(a) => a,
            Err(code) => return code,
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
        eprintln!("msgaudit: {e}");
        return exit::INPUT_ERROR;
    }
    if let Some(path) = &args.remediation_csv {
        let written = std::fs::File::create(path).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            crate::report::csv::write_remediation(&assessment, args.output.lang, &mut out)?;
            std::io::Write::flush(&mut out)
        });
        if let Err(e) = written {
            eprintln!("msgaudit: cannot write {}: {e}", path.display());
            return exit::INPUT_ERROR;
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
            "msgaudit: {path}: {}",
            t.error.as_deref().unwrap_or("cannot be read")
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

/// Reads and assesses the given paths (files or folders) with the shared options.
/// Errors are printed; the `Err` value is the exit code to return.
pub(crate) fn assess_paths(
    paths: &[PathBuf],
    args: &AssessArgs,
    lang: Lang,
) -> Result<Assessment, u8> {
    assess_paths_listing(paths, args, lang, false)
}

/// [`assess_paths`], printing the number of files folders held that were
/// skipped and, when `verbose`, each of them with the reason.
fn assess_paths_listing(
    paths: &[PathBuf],
    args: &AssessArgs,
    lang: Lang,
    verbose: bool,
) -> Result<Assessment, u8> {
    let collected = collect_targets(paths);
    let mut skipped = collected.skipped;
    let result = assess_files(
        &collected.targets,
        collected.failures,
        args,
        lang,
        &mut skipped,
    );
    print_skipped(&skipped, verbose);
    let mut assessment = result?;
    assessment.skipped_files = skipped.len();
    Ok(assessment)
}

/// Prints how many files folder scans skipped and, when `verbose`, which and why.
fn print_skipped(skipped: &[Skipped], verbose: bool) {
    if skipped.is_empty() {
        return;
    }
    if verbose {
        for s in skipped {
            eprintln!("msgaudit: skipped {}: {}", s.path.display(), s.reason);
        }
    }
    let n = skipped.len();
    let files = if n == 1 { "file" } else { "files" };
    let hint = if verbose { "" } else { " (-v lists them)" };
    eprintln!(
        "msgaudit: {n} other {files} skipped: not an app, inventory export or facts document{hint}"
    );
}

/// Reads and assesses `files`; `failures` (paths found unreadable while
/// collecting) join the report as errors, and files that turn out to be
/// neither app, inventory nor facts are added to `skipped`.
fn assess_files(
    files: &[Target],
    failures: Vec<InputFailure>,
    args: &AssessArgs,
    lang: Lang,
    skipped: &mut Vec<Skipped>,
) -> Result<Assessment, u8> {
    if files.is_empty() && failures.is_empty() {
        eprintln!("msgaudit: no app, inventory or facts file found in the given paths");
        return Err(exit::INPUT_ERROR);
    }
    let (set, profile) = args.checks.load().map_err(|e| {
        eprintln!("msgaudit: {e}");
        exit::CONFIG_ERROR
    })?;
    let answers = match &args.answers {
        Some(path) => Answers::load(path)
            .and_then(|a| a.validate_against(&set).map(|()| a))
            .map_err(|e| {
                eprintln!("msgaudit: {e}");
                exit::CONFIG_ERROR
            })?,
        None => Answers::none(),
    };
    let sdks = args.trackers.load().map_err(|e| {
        eprintln!("msgaudit: {e}");
        exit::CONFIG_ERROR
    })?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let options = ExtractOptions {
        inventory_format: args.inventory_format.clone(),
        sdks: Arc::new(sdks),
        as_of,
        os_data: args.os_data.clone(),
        pseudonym_key: pseudonym_key(args.pseudonym_key.as_deref()),
        reveal_identities: args.reveal_identities,
        limits: args.limits.to_limits(),
        ..ExtractOptions::default()
    };
    let (mut inputs, inventories) = read_all(files, &options, skipped);
    inputs.extend(failures.into_iter().map(Input::Failed));
    if inputs.is_empty() && inventories.is_empty() {
        eprintln!("msgaudit: no app, inventory or facts file found in the given paths");
        return Err(exit::INPUT_ERROR);
    }
    let as_of = as_of.format("%Y-%m-%d").to_string();
    let evaluator = Evaluator::new(&set, &profile, &answers, &as_of);
    let mut fleet = evaluator.fleet_spilling();
    let store_failed = |e: std::io::Error| {
        eprintln!("msgaudit: the device results could not be stored: {e}");
        exit::INPUT_ERROR
    };
    let app_inputs: Vec<&Input> = fleet.take_inventories(&inputs).map_err(store_failed)?;
    let mut unreadable_inventories = Vec::new();
    // Inventories are streamed one after the other (each is assessed in parallel).
    let mut key_note_printed = false;
    for inv in &inventories {
        match inventory_stream::stream_into(inv, &options, &mut fleet) {
            Ok(read) => print_warnings(&inv.path, &read.warnings, &mut key_note_printed),
            Err(StreamError::Inventory(
                e @ (InventoryError::Unrecognized | InventoryError::NotDevices(_)),
            )) if inv.from_folder => skipped.push(Skipped {
                path: inv.path.clone(),
                reason: e.to_string(),
            }),
            Err(e) => {
                fleet.note_inventory();
                unreadable_inventories.push(Input::Failed(InputFailure {
                    path: inv.path.display().to_string(),
                    kind: TargetKind::Inventory,
                    reason: e.to_string(),
                    cause: None,
                    reason_de: None,
                }));
            }
        }
    }
    let apps = app_inputs
        .into_par_iter()
        .chain(unreadable_inventories.par_iter())
        .map(|input| evaluator.assess_input(input))
        .collect();
    let observed = fleet.observed().clone();
    let mut assessment = evaluator
        .assessment(apps, fleet, lang)
        .map_err(store_failed)?;
    if let Some(fleet) = &mut assessment.fleet {
        fleet.pseudonymized = !args.reveal_identities;
        fleet.os_data =
            os_status::status(args.os_data.as_deref(), options.as_of, observed.newest());
    }
    crate::extract::inventory::fleet_messengers::attach(&mut assessment, observed.messengers());
    Ok(assessment)
}

/// Most warnings printed per inventory; the rest are counted.
const MAX_PRINTED_WARNINGS: usize = 10;

/// Prints what an export did not say clearly (warnings never hold personal
/// data). The note about the default pseudonym key is the same for every
/// export of a run: it is printed once.
fn print_warnings(path: &Path, warnings: &[Note], key_note_printed: &mut bool) {
    let key_note = Note::DefaultPseudonymKey;
    if warnings.contains(&key_note) && !*key_note_printed {
        eprintln!("msgaudit: warning: {key_note}");
        *key_note_printed = true;
    }
    let own: Vec<&Note> = warnings.iter().filter(|w| **w != key_note).collect();
    for w in own.iter().take(MAX_PRINTED_WARNINGS) {
        eprintln!("msgaudit: {}: warning: {w}", path.display());
    }
    if own.len() > MAX_PRINTED_WARNINGS {
        eprintln!(
            "msgaudit: {}: {} more warnings (the report has them all)",
            path.display(),
            own.len() - MAX_PRINTED_WARNINGS
        );
    }
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
    let any = |v: Verdict| all().any(|(verdict, _)| verdict == v);
    // An export read only in part is an input that could not be read.
    let partial = assessment
        .fleet
        .as_ref()
        .is_some_and(|f| f.inventories.iter().any(|i| i.partial.is_some()));
    if any(Verdict::Error) || partial {
        return exit::INPUT_ERROR;
    }
    let below = min_score.is_some_and(|min| all().any(|(_, s)| s.is_none_or(|s| s < min)));
    if below || (fail_on != FailOn::Never && any(Verdict::NotCompliant)) {
        return exit::NOT_COMPLIANT;
    }
    if fail_on == FailOn::Incomplete && any(Verdict::Incomplete) {
        return exit::INCOMPLETE;
    }
    exit::OK
}

/// A file to scan.
struct Target {
    path: PathBuf,
    /// Found by walking a folder (not named on the command line): a file that
    /// turns out to be neither an app nor an inventory is skipped, not an
    /// error — unless it looks like an app (see [`looks_like_app_name`]).
    from_folder: bool,
}

/// A file a folder scan passed over, and why.
pub(crate) struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
}

/// What the command-line paths expand to.
#[derive(Default)]
struct Collected {
    /// Files to read, in order.
    targets: Vec<Target>,
    /// Paths in folders that may hold an app but cannot be read (an
    /// unlistable folder, one nested too deep, an app-named file that is not
    /// a regular file): errors in the report, never skipped.
    failures: Vec<InputFailure>,
    /// Files that are neither apps, inventories nor facts documents.
    skipped: Vec<Skipped>,
}

/// Deepest folder nesting searched below a folder given on the command line.
const MAX_FOLDER_DEPTH: usize = 32;

/// Expands folders (recursively, at most [`MAX_FOLDER_DEPTH`] levels, not
/// following directory symlinks) into files whose content or name looks like
/// an input; named files are kept as they are.
fn collect_targets(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        if p.is_dir() {
            let mut found = Collected::default();
            walk(p, 0, &mut found);
            found.targets.sort_by(|a, b| a.path.cmp(&b.path));
            found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
            out.targets.extend(found.targets);
            out.failures.extend(found.failures);
            out.skipped.extend(found.skipped);
        } else {
            out.targets.push(Target {
                path: p.clone(),
                from_folder: false,
            });
        }
    }
    out
}

/// A path in a folder that could hold an app but cannot be searched or read.
fn folder_failure(path: &Path, reason: String) -> InputFailure {
    InputFailure {
        path: path.display().to_string(),
        kind: TargetKind::Android,
        reason,
        cause: None,
        reason_de: None,
    }
}

fn walk(dir: &Path, depth: usize, out: &mut Collected) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.failures.push(folder_failure(
                dir,
                format!("cannot search the folder (it may hold apps): {e}"),
            ));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                out.failures.push(folder_failure(
                    dir,
                    format!("cannot list every file of the folder (it may hold apps): {e}"),
                ));
                continue;
            }
        };
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            if depth >= MAX_FOLDER_DEPTH {
                out.failures.push(folder_failure(
                    &path,
                    format!(
                        "folder nested more than {MAX_FOLDER_DEPTH} levels deep: not searched (it may hold apps)"
                    ),
                ));
            } else {
                walk(&path, depth + 1, out);
            }
            continue;
        }
        match sort_folder_file(&path) {
            FolderFile::Candidate => out.targets.push(Target {
                path,
                from_folder: true,
            }),
            FolderFile::Failed(reason) => out.failures.push(folder_failure(&path, reason)),
            FolderFile::Skipped(reason) => out.skipped.push(Skipped { path, reason }),
        }
    }
}

/// What a file met in a folder is.
enum FolderFile {
    /// Read it (an app, inventory or facts document by its content or name).
    Candidate,
    /// It looks like an app but cannot be read: an error.
    Failed(String),
    /// Neither: skipped, with the reason.
    Skipped(String),
}

/// Whether a file name ends like an app: `.apk`, `.apks`, `.xapk`, `.ipa`
/// (any case). Such a file in a folder is read whatever its content, and is
/// an error when it cannot be read.
pub fn looks_like_app_name(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["apk", "apks", "xapk", "ipa"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Sorts a file met in a folder: app-named files and zips (by their first
/// bytes or an end-of-central-directory record at their end) are read; so is
/// anything whose first bytes look like JSON, XML, a plist or CSV.
fn sort_folder_file(path: &Path) -> FolderFile {
    let named = looks_like_app_name(path);
    let unreadable = |reason: String| {
        if named {
            FolderFile::Failed(reason)
        } else {
            FolderFile::Skipped(reason)
        }
    };
    match std::fs::metadata(path) {
        Err(e) => return unreadable(format!("cannot read the file: {e}")),
        Ok(m) if m.is_dir() => {
            return FolderFile::Skipped("a symbolic link to a folder (not followed)".into())
        }
        Ok(m) if !m.is_file() => return unreadable(crate::extract::NOT_REGULAR.to_string()),
        Ok(_) => {}
    }
    if named {
        return FolderFile::Candidate;
    }
    match crate::extract::file_looks_like_zip(path) {
        Ok(true) => return FolderFile::Candidate,
        Ok(false) => {}
        Err(e) => return FolderFile::Skipped(format!("cannot read the file: {e}")),
    }
    if looks_scannable(path) {
        FolderFile::Candidate
    } else {
        FolderFile::Skipped(
            "not an app, inventory export or facts document (by its content)".into(),
        )
    }
}

/// Whether a file's first bytes look like a zip, JSON, XML, plist or CSV.
fn looks_scannable(path: &Path) -> bool {
    let mut head = [0u8; 4096];
    let n = match std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(_) => return false,
    };
    let head = head.get(..n).unwrap_or_default();
    sniff(head)
}

/// Content sniffing for folder scans.
pub fn sniff(head: &[u8]) -> bool {
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"bplist")
    {
        return true;
    }
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let Some(first) = text.iter().find(|b| !b.is_ascii_whitespace()) else {
        return false;
    };
    if matches!(first, b'{' | b'[' | b'<') {
        return true;
    }
    // CSV: text without NUL bytes whose first line has a separator.
    if text.contains(&0) {
        return false;
    }
    let line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    std::str::from_utf8(line).is_ok()
        && (line.contains(&b',') || line.contains(&b';') || line.contains(&b'\t'))
}

/// Reads every file: apps and facts documents are extracted (in parallel);
/// inventory exports are only recognised here and streamed later. Files from
/// folders that are none of these are added to `skipped`.
fn read_all(
    files: &[Target],
    options: &ExtractOptions,
    skipped: &mut Vec<Skipped>,
) -> (Vec<Input>, Vec<InventoryFile>) {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(files.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
        {
            bar.set_style(style);
        }
        bar
    });
    let per_file: Vec<Loaded> = files
        .par_iter()
        .map(|t| {
            let loaded = read_one(&t.path, t.from_folder, options);
            if let Some(bar) = &bar {
                bar.set_message(t.path.display().to_string());
                bar.inc(1);
            }
            loaded
        })
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let mut inputs = Vec::new();
    let mut inventories = Vec::new();
    for loaded in per_file {
        match loaded {
            Loaded::Inputs(v) => inputs.extend(v),
            Loaded::Inventory(inv) => inventories.push(inv),
            Loaded::Skipped(s) => skipped.push(s),
        }
    }
    (inputs, inventories)
}

/// What a file turned out to be.
enum Loaded {
    /// Extracted apps, facts documents, or why the file could not be read.
    Inputs(Vec<Input>),
    /// An inventory export, to be streamed.
    Inventory(InventoryFile),
    /// A file from a folder that is neither an app, an inventory nor facts.
    Skipped(Skipped),
}

/// Largest JSON file checked in full for being a facts document when its
/// beginning does not say so (larger ones must start with `"kind"`).
const FACTS_SNIFF_LIMIT: u64 = 4 << 20;

/// Reads one file: an app (extracted), a facts JSON document (or an array of
/// them), else an inventory export (recognised by its first bytes, streamed
/// later). A file found in a folder that is neither is skipped — unless it is
/// named like an app: then it is an error, as is any zip that cannot be read.
fn read_one(path: &Path, from_folder: bool, options: &ExtractOptions) -> Loaded {
    let name = path.display().to_string();
    let failed_as = |kind: TargetKind, reason: String, cause: Option<UnreadKind>, reason_de| {
        Loaded::Inputs(vec![Input::Failed(InputFailure {
            path: name.clone(),
            kind,
            reason,
            cause,
            reason_de,
        })])
    };
    let failed = |kind: TargetKind, reason: String| failed_as(kind, reason, None, None);
    let extract_failed = |kind: TargetKind, e: &ExtractError| {
        failed_as(kind, e.to_string(), e.unread_kind(), e.message_de())
    };
    let skip = |reason: String| {
        Loaded::Skipped(Skipped {
            path: path.to_path_buf(),
            reason,
        })
    };
    let named = looks_like_app_name(path);
    let size = match check_input_file(path, &options.limits) {
        Ok(size) => size,
        Err(e) => return extract_failed(TargetKind::Android, &e),
    };
    let head = match read_head(path) {
        Ok(h) => h,
        Err(e) => return failed(TargetKind::Android, format!("cannot read the file: {e}")),
    };
    let forced = options.inventory_format.is_some();
    // A zip by its first bytes or by an end record at its end (data may precede an APK).
    let zip = !forced && (looks_like_zip(&head) || file_looks_like_zip(path).unwrap_or(false));
    if from_folder && named && !zip {
        return failed(
            TargetKind::Android,
            "named like an app (.apk, .apks, .xapk, .ipa) but not a zip archive".to_string(),
        );
    }
    if zip || starts_like_facts(&head) || (size <= FACTS_SNIFF_LIMIT && starts_like_json(&head)) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => return failed(TargetKind::Android, format!("cannot read the file: {e}")),
        };
        if zip {
            return match extract_bytes(&name, &bytes, options) {
                Ok(facts) => Loaded::Inputs(vec![Input::Facts(facts)]),
                Err(e @ ExtractError::UnknownZip) if from_folder && !named => skip(e.to_string()),
                Err(e) => extract_failed(guess_kind(&bytes, options), &e),
            };
        }
        if let Some(inputs) = facts_json(&bytes) {
            return Loaded::Inputs(inputs);
        }
    }
    match resolve_format(&name, &head, options.inventory_format.as_deref()) {
        Ok((format, _)) => Loaded::Inventory(InventoryFile {
            path: path.to_path_buf(),
            format,
            from_folder,
        }),
        Err(e @ (InventoryError::Unrecognized | InventoryError::NotDevices(_))) if from_folder => {
            skip(e.to_string())
        }
        Err(e) => failed(
            TargetKind::Inventory,
            ExtractError::Inventory(e).to_string(),
        ),
    }
}

/// The first [`HEAD_BYTES`] of a file (fewer when it is shorter).
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// Whether the first non-blank byte (after a BOM) opens JSON.
fn starts_like_json(head: &[u8]) -> bool {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    matches!(
        text.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    )
}

/// Whether a file begins like `msgaudit facts` output: an object (or an array
/// of objects) whose first key is `"kind"` with `android`, `ios` or `inventory`.
fn starts_like_facts(head: &[u8]) -> bool {
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let skip = |rest: &mut &[u8], token: &[u8]| -> bool {
        *rest = rest.trim_ascii_start();
        match rest.strip_prefix(token) {
            Some(r) => {
                *rest = r;
                true
            }
            None => false,
        }
    };
    skip(&mut rest, b"[");
    skip(&mut rest, b"{")
        && skip(&mut rest, b"\"kind\"")
        && skip(&mut rest, b":")
        && [&b"\"android\""[..], b"\"ios\"", b"\"inventory\""]
            .iter()
            .any(|k| skip(&mut { rest }, k))
}

fn guess_kind(bytes: &[u8], options: &ExtractOptions) -> TargetKind {
    if options.inventory_format.is_some() || !looks_like_zip(bytes) {
        return TargetKind::Inventory;
    }
    match crate::archive::Archive::new(bytes, options.limits).map(|a| classify_zip(a.entries())) {
        Ok(InputKind::IosIpa) => TargetKind::Ios,
        Ok(_) => TargetKind::Android,
        // A refused archive has no trusted entry list: a best guess from the
        // names stored in its bytes, for the error row's kind only.
        Err(_) => {
            let holds = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
            if holds(b"Payload/") && !holds(b"AndroidManifest.xml") {
                TargetKind::Ios
            } else {
                TargetKind::Android
            }
        }
    }
}

/// Whether `doc` is an app facts document: an object with `kind` android/ios and `file`/`app`.
fn is_app_facts(doc: &serde_json::Value) -> bool {
    matches!(
        doc.get("kind").and_then(|k| k.as_str()),
        Some("android" | "ios")
    ) && (doc.get("file").is_some() || doc.get("app").is_some())
}

fn is_inventory_facts(doc: &serde_json::Value) -> bool {
    doc.get("kind").and_then(|k| k.as_str()) == Some("inventory") && doc.get("devices").is_some()
}

/// Facts produced by `msgaudit facts` (one document or an array): detected by content.
fn facts_json(bytes: &[u8]) -> Option<Vec<Input>> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace())?;
    if !matches!(first, b'{' | b'[') {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let docs = match value {
        serde_json::Value::Array(items)
            if !items.is_empty()
                && items
                    .iter()
                    .all(|d| is_app_facts(d) || is_inventory_facts(d)) =>
        {
            items
        }
        doc @ serde_json::Value::Object(_) if is_app_facts(&doc) || is_inventory_facts(&doc) => {
            vec![doc]
        }
        _ => return None,
    };
    Some(
        docs.into_iter()
            .map(|doc| {
                if is_app_facts(&doc) {
                    Input::AppJson(doc)
                } else {
                    let path = doc
                        .pointer("/file/path")
                        .and_then(|p| p.as_str())
                        .unwrap_or("facts JSON")
                        .to_string();
                    match serde_json::from_value::<InventoryFacts>(doc) {
                        Ok(inv) => Input::Facts(Facts::Inventory(Box::new(inv))),
                        Err(e) => Input::Failed(InputFailure {
                            path,
                            kind: TargetKind::Inventory,
                            reason: format!(
                                "the inventory facts JSON does not match the facts format: {e}"
                            ),
                            cause: None,
                            reason_de: None,
                        }),
                    }
                }
            })
            .collect(),
    )
}

/// Writes the report to `output` (or standard output, ending with a newline)
/// as it is rendered: JSON and CSV are streamed, so a 100,000-device report is
/// never held as one string.
fn write_report(
    output: Option<&PathBuf>,
    assessment: &Assessment,
    options: &RenderOptions,
) -> Result<(), String> {
    use std::io::{BufWriter, Write};
    match output {
        Some(path) => {
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
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
                .map_err(|e| format!("cannot write to standard output: {e}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert!(sniff(b"PK\x03\x04rest"));
        assert!(sniff(b"\xEF\xBB\xBF  {\"a\": 1}"));
        assert!(sniff(b"<?xml version=\"1.0\"?>"));
        assert!(sniff(b"bplist00"));
        assert!(sniff(b"Device name,OS version\nx,1\n"));
        assert!(!sniff(b"\x7fELF\x02\x01\x01\0\0"));
        assert!(!sniff(b"just some notes without separators\n"));
        assert!(!sniff(b""));
    }

    #[test]
    fn detects_facts_documents() {
        assert!(facts_json(br#"{"kind": "android", "file": {}}"#).is_some());
        assert!(facts_json(br#"[{"kind": "ios", "app": {}}]"#).is_some());
        assert!(facts_json(br#"{"kind": "device"}"#).is_none());
        assert!(facts_json(br#"{"value": [{"id": "1"}]}"#).is_none());
    }
}
