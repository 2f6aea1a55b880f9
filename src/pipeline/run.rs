//! One run: collect, read, stream the inventories through the evaluator,
//! assess the apps, and build the [`Assessment`].

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use super::app_lists;
use super::collect::{collect_targets, Skipped, Target};
use super::compliance;
use super::exports;
use super::fleet_documents;
use super::load::{read_all, Item};
use super::supporting;
use super::{Observer, Options, PipelineError};
use crate::assess::saved::{self, SavedError, SavedReportError};
use crate::assess::{Assessment, FactsKeeper, InputRole, TargetAssessment, FACTS_IN_MEMORY};
use crate::checks::{failed_target, Evaluator, Input, InputFailure};
use crate::checks::{fleet_messengers, os_status};
use crate::facts::{Facts, InventoryFacts, TargetKind, UnreadKind};

/// The result of a run, and the files folders held that were skipped (also
/// when the run failed: they explain an empty input).
#[derive(Debug)]
pub struct Run<T = Assessment> {
    /// The assessment, or why there is none.
    pub result: Result<T, PipelineError>,
    /// Files found in folders that are not an app, inventory export or facts document.
    pub skipped: Vec<Skipped>,
}

/// Reads and assesses `paths` (files or folders).
pub fn assess(paths: &[PathBuf], options: &Options, observer: &dyn Observer) -> Run {
    let collected = collect_targets(paths);
    let mut skipped = collected.skipped;
    let result = assess_files(
        &collected.targets,
        collected.failures,
        options,
        &mut skipped,
        observer,
    );
    let result = result.map(|mut assessment| {
        assessment.skipped_files = skipped.len();
        assessment.skipped_unrecognized = Some(skipped.iter().filter(|s| s.unrecognized).count());
        assessment
    });
    Run { result, skipped }
}

/// What [`assess_or_load`] read: the assessed app targets, and the device
/// inventories among the inputs (given directly or inside a saved report),
/// which commands that compare apps refuse.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The assessed targets (apps, and facts documents of apps).
    pub targets: Vec<TargetAssessment>,
    /// Inventory exports found among the inputs, by path as given or as read
    /// from a saved report.
    pub inventories: Vec<String>,
    /// Profile, audit date and tool: of the run that assessed inputs, else
    /// of the first saved report read.
    pub header: Option<crate::assess::ReportHeader>,
}

/// The assessed targets of `paths`: saved JSON reports (of `msgaudit scan
/// --format json`) are read as they are, everything else is assessed.
pub fn assess_or_load(
    paths: &[PathBuf],
    options: &Options,
    observer: &dyn Observer,
) -> Run<Loaded> {
    let mut loaded = Loaded::default();
    let mut to_assess = Vec::new();
    // The facts of the saved reports' apps, kept as the facts of a scan are.
    let keeper = FactsKeeper::new(facts_in_memory());
    for path in paths {
        match saved_report(path, &keeper) {
            Saved::NotAReport => to_assess.push(path.clone()),
            Saved::Fleet => loaded.inventories.push(path.display().to_string()),
            Saved::Apps(header, targets) => {
                loaded.header.get_or_insert(header);
                loaded.targets.extend(targets);
            }
            Saved::Unreadable(e) => loaded.targets.push(unreadable_report(&e)),
            Saved::FactsStore(e) => {
                return Run {
                    result: Err(PipelineError::FactsStore(e)),
                    skipped: Vec::new(),
                }
            }
        }
    }
    if to_assess.is_empty() {
        return Run {
            result: Ok(loaded),
            skipped: Vec::new(),
        };
    }
    let run = assess(&to_assess, options, observer);
    Run {
        result: run.result.map(|a| {
            loaded.header = Some(crate::assess::ReportHeader::of(&a));
            if let Some(fleet) = &a.fleet {
                loaded
                    .inventories
                    .extend(fleet.inventories.iter().map(|i| i.file.path.clone()));
            }
            loaded.targets.extend(a.targets);
            loaded
        }),
        skipped: run.skipped,
    }
}

/// What a file given to [`assess_or_load`] is, as a saved report.
enum Saved {
    /// Not a saved JSON report: the file is assessed.
    NotAReport,
    /// A saved report of a run with inventories (its devices are not read).
    Fleet,
    /// A saved report's header and its targets.
    Apps(crate::assess::ReportHeader, Vec<TargetAssessment>),
    /// A saved report (or damaged JSON beginning like one) that cannot be read.
    Unreadable(SavedReportError),
    /// The facts of a saved report could not be stored (temporary file).
    FactsStore(std::io::Error),
}

/// The saved JSON report of `msgaudit scan --format json` at `path`, if it
/// is one. Only a file starting with `{` is read, as a stream, twice
/// ([`crate::assess::saved`]): neither an app (which may be gigabytes) nor
/// the report, nor any other JSON file, is held whole.
fn saved_report(path: &std::path::Path, keeper: &FactsKeeper) -> Saved {
    if !path.is_file() {
        return Saved::NotAReport;
    }
    let Ok(head) = super::load::read_head(path) else {
        return Saved::NotAReport;
    };
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Saved::NotAReport;
    }
    let report = match saved::open(path) {
        Ok(Some(report)) => report,
        Ok(None) => return Saved::NotAReport,
        Err(e) => return Saved::Unreadable(e),
    };
    if report.has_fleet() {
        return Saved::Fleet;
    }
    match report.targets(keeper) {
        Ok(targets) => Saved::Apps(report.header(), targets),
        Err(SavedReportError {
            error: SavedError::FactsStore(e),
            ..
        }) => Saved::FactsStore(e),
        Err(e) => Saved::Unreadable(e),
    }
}

/// The target standing for a saved report that cannot be read: verdict
/// `error`, the reason naming the file. Its kind is an app's (`android`),
/// since `compare` and `diff` read saved reports for their apps and list
/// the apps that could not be read.
fn unreadable_report(e: &SavedReportError) -> TargetAssessment {
    let cause = match e.error {
        SavedError::OverBudget { .. } | SavedError::OverDecoded { .. } => Some(UnreadKind::Limit),
        SavedError::Io(_) | SavedError::FactsStore(_) => None,
        _ => Some(UnreadKind::Damage),
    };
    failed_target(&InputFailure {
        path: e.path.display().to_string(),
        kind: TargetKind::Android,
        reason: e.to_string(),
        cause,
        reason_de: Some(e.german()),
        unused_app_list: None,
        file: None,
    })
}

/// Reads and assesses `files`; `failures` (paths found unreadable while
/// collecting) join the report as errors, and files that turn out to be
/// neither app, inventory nor facts are added to `skipped`.
fn assess_files(
    files: &[Target],
    failures: Vec<InputFailure>,
    run: &Options,
    skipped: &mut Vec<Skipped>,
    observer: &dyn Observer,
) -> Result<Assessment, PipelineError> {
    // The configuration is checked before the inputs: a broken profile,
    // check, answers or trackers file is exit 5 even when there is nothing
    // to assess (exit 4).
    let (set, profile) = run.checks.load_set()?;
    let answers = run.checks.load_answers(&set)?;
    let sdks = run.input.knowledge_base(observer)?;
    if files.is_empty() && failures.is_empty() {
        return Err(PipelineError::NoInputs);
    }
    let mut options = run.input.extract_options(Arc::new(sdks));
    let as_of = options.as_of.format("%Y-%m-%d").to_string();
    let evaluator = Evaluator::new(&set, &profile, &answers, &as_of);
    // Apps are assessed on the thread that read them, and their facts kept
    // for the report as compact JSON: in memory up to FACTS_IN_MEMORY for the
    // whole scan, in a temporary file beyond (docs/hardening.md).
    let keeper = FactsKeeper::new(facts_in_memory());
    let assess_app = |input: &Input| keep_facts(evaluator.assess_input(input), &keeper);
    let (items, inventories) = read_all(files, &options, &assess_app, skipped, observer);
    let mut inputs = Vec::new();
    // Intune compliance exports are read first and joined to the devices as they stream.
    let (compliance_files, inventories) = compliance::split(inventories);
    compliance::load(
        &compliance_files,
        &inventories,
        &mut options,
        &mut inputs,
        skipped,
    );
    // Apple MDM installed-app lists likewise, joined to devices by UDID.
    let (app_list_files, inventories) = app_lists::split(inventories);
    app_lists::load(&app_list_files, &mut options, &mut inputs, skipped);
    if inventories.is_empty() {
        app_lists::unmatched(&app_list_files, &options, &mut inputs, skipped);
    }
    inputs.extend(failures.into_iter().map(Input::Failed));
    if items.is_empty() && inputs.is_empty() && inventories.is_empty() {
        return Err(PipelineError::NoInputs);
    }
    let mut fleet = evaluator.fleet_spilling();
    let store_failed = PipelineError::Store;
    // The report's rows in input order: apps already assessed, and the
    // inputs still to be assessed (inventories' facts documents go to the
    // fleet, after the exports, in their order).
    let mut rows = Vec::with_capacity(items.len() + inputs.len());
    let mut read_inputs = Vec::new();
    for item in items {
        match item {
            Item::Assessed(t) => rows.push(Row::Done(t)),
            Item::Input(input) => {
                rows.push(Row::Input(read_inputs.len()));
                read_inputs.push(input);
            }
        }
    }
    let first_added = read_inputs.len();
    rows.extend((0..inputs.len()).map(|i| Row::Input(first_added + i)));
    read_inputs.extend(inputs);
    let inputs = read_inputs;
    // A facts document's identifiers are pseudonymized only when it says so
    // (one made with --reveal-identities, or by an earlier version, may
    // hold them in clear).
    let documents_pseudonymized = inputs.iter().all(|i| match i {
        Input::Facts(Facts::Inventory(inv)) => inv.pseudonymized == Some(true),
        _ => true,
    });
    let mut app_rows = Vec::with_capacity(rows.len());
    // Inventory facts documents, taken into the fleet once the floor is known.
    let mut documents = Vec::new();
    for row in rows {
        match row {
            Row::Input(i) if fleet_documents::is_document(&inputs[i]) => documents.push(i),
            Row::Input(i) => {
                let others = fleet
                    .take_inventories(std::iter::once(&inputs[i]))
                    .map_err(store_failed)?;
                if !others.is_empty() {
                    app_rows.push(Row::Input(i));
                }
            }
            done => app_rows.push(done),
        }
    }
    let mut unreadable_inventories = Vec::new();
    // Each export is read once (finding the fleet's newest Android patch
    // level, the floor every device is judged against, and the devices
    // several exports list, assessed once), then assessed in order; the
    // facts documents' devices after them, derived again with this run's
    // date, OS data and floor, and merged with the exports' and each other's.
    let documents: Vec<&InventoryFacts> = documents
        .iter()
        .filter_map(|&i| match &inputs[i] {
            Input::Facts(Facts::Inventory(doc)) => Some(&**doc),
            _ => None,
        })
        .collect();
    let floor = exports::assess_exports(
        &inventories,
        &documents,
        &mut options,
        &mut fleet,
        skipped,
        &mut unreadable_inventories,
        observer,
    );
    if !inventories.is_empty() {
        app_lists::unmatched(
            &app_list_files,
            &options,
            &mut unreadable_inventories,
            skipped,
        );
        // A list file some of whose lists were taken was used: its lists
        // left over are information about the exports.
        for note in app_lists::left_over(&options) {
            observer.exports_noted(&note);
            fleet.note_exports(&note);
        }
    }
    let unreadable = unreadable_inventories.len();
    let apps = app_rows
        .into_par_iter()
        .chain((0..unreadable).into_par_iter().map(Row::Unreadable))
        .map(|row| match row {
            Row::Done(t) => *t,
            Row::Input(i) => assess_app(&inputs[i]),
            Row::Unreadable(i) => assess_app(&unreadable_inventories[i]),
        })
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(PipelineError::FactsStore)?;
    let observed = fleet.observed().clone();
    let mut assessment = evaluator
        .assessment(apps, fleet, run.lang)
        .map_err(store_failed)?;
    if let Some(fleet) = &mut assessment.fleet {
        fleet.pseudonymized = !run.input.reveal_identities && documents_pseudonymized;
        fleet.os_data = os_status::status(
            run.input.os_data.as_deref(),
            options.as_of,
            floor.newest.max(observed.newest()),
        )
        .map(|s| s.with_after_audit_date(floor.after_audit_date));
    }
    fleet_messengers::attach(&mut assessment, observed.messengers());
    let failed: HashSet<String> = inputs
        .iter()
        .chain(&unreadable_inventories)
        .filter_map(|i| match i {
            Input::Failed(f) => Some(f.path.clone()),
            _ => None,
        })
        .chain(skipped.iter().map(|s| s.path.display().to_string()))
        .collect();
    let compliance_files: Vec<_> = compliance_files.into_iter().map(|(f, _)| f).collect();
    let sources = supporting::Sources {
        options: run,
        exports: &inventories,
        compliance: &compliance_files,
        app_lists: &app_list_files,
        failed: &failed,
    };
    assessment.inputs = supporting::collect(&sources, &options.limits);
    // A column mapping found in a folder beside its export is an input, not a skipped file.
    skipped.retain(|s| {
        !assessment.inputs.iter().any(|i| {
            i.role == InputRole::ColumnMapping && i.file.path == s.path.display().to_string()
        })
    });
    Ok(assessment)
}

/// A row of the report's app targets, in order.
enum Row {
    /// Assessed while the files were read.
    Done(Box<std::io::Result<TargetAssessment>>),
    /// The input at this index, still to be assessed.
    Input(usize),
    /// The unreadable inventory at this index.
    Unreadable(usize),
}

/// `t` with its facts kept by `keeper` (moved to its temporary file when the
/// scan's facts in memory are over its budget).
fn keep_facts(mut t: TargetAssessment, keeper: &FactsKeeper) -> std::io::Result<TargetAssessment> {
    if let Some(facts) = t.facts.take() {
        t.facts = Some(keeper.keep(facts)?);
    }
    Ok(t)
}

/// The scan's budget of kept facts in memory: [`FACTS_IN_MEMORY`], or the
/// bytes given in the environment variable `MSGAUDIT_FACTS_IN_MEMORY`
/// (tests and diagnosis: a small value makes a scan of small apps spill).
fn facts_in_memory() -> usize {
    std::env::var("MSGAUDIT_FACTS_IN_MEMORY")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(FACTS_IN_MEMORY)
}
