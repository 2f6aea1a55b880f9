//! Evaluation: every selected check on every target → the [`Assessment`].

use std::path::Path;

use rayon::prelude::*;

use super::answers::{Answers, AppBuild, Subject};
use super::attest;
use super::cel::{json_to_cel, RuleResult};
use super::def::Check;
use super::load::CheckSet;
use super::profile::Profile;
use super::rule_cache::{Contexts, Decided, RuleCache};
use super::target_facts::TargetFacts;
use crate::assess::{
    Assessment, CheckMeta, CheckOutcome, CheckResult, DeviceOutcomes, DeviceStore,
    DeviceStoreWriter, EncodedDevice, FleetInventory, FleetRequirement, FleetSummary, FormatCount,
    KeptFacts, Lang, Level, Mark, Outcome, OutcomeEvidence, Positions, TargetAssessment,
    TargetInfo, Text, ToolInfo, Verdict, REPORT_SCHEMA_VERSION,
};
use crate::facts::note::Note;
use crate::facts::{AppFacts, Device, Facts, FileInfo, TargetKind, Unread, UnreadKind};

/// An input that could not be turned into facts: it becomes a target with verdict `error`.
#[derive(Debug, Clone, PartialEq)]
pub struct InputFailure {
    /// The path as given.
    pub path: String,
    /// The best guess of what it is (from its bytes).
    pub kind: TargetKind,
    /// Why it could not be read.
    pub reason: String,
    /// What kind of problem it is, when known (a limit, damage, an
    /// unsupported format, tampering).
    pub cause: Option<UnreadKind>,
    /// [`InputFailure::reason`] in German, where the reader has a German text.
    pub reason_de: Option<String>,
    /// For an installed-app list given as a file of its own: why it was
    /// not used ([`TargetAssessment::unused_app_list`]); `None` for any
    /// other input.
    pub unused_app_list: Option<crate::assess::UnusedAppList>,
    /// The file's size and SHA-256 as far as they could be taken (the
    /// report's list of files shows them: an unreadable file is evidence
    /// too); `None` when the file itself cannot be read.
    pub file: Option<FileInfo>,
}

/// One input of a run.
#[derive(Debug, Clone)]
pub enum Input {
    /// Facts extracted by msgaudit (an app or an inventory).
    Facts(Facts),
    /// An app's facts as JSON read from a file (as `msgaudit facts` prints them).
    /// The JSON is given to the checks verbatim, so fields this build does not
    /// know are still visible to them.
    AppJson(serde_json::Value),
    /// An input that could not be read.
    Failed(InputFailure),
}

/// Evaluates the profile's checks over every input and builds the assessment.
///
/// Apps come first (in input order), then devices (worst first). Each check's
/// CEL is compiled once (when the check set was loaded); each target's facts are
/// converted to CEL once. Everything is kept in memory; for large inventories
/// read from files use an [`Evaluator`] with an [`Evaluator::fleet_spilling`] builder.
pub fn evaluate(
    inputs: &[Input],
    set: &CheckSet,
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
    lang: Lang,
) -> Assessment {
    let evaluator = Evaluator::new(set, profile, answers, as_of);
    let mut fleet = evaluator.fleet_in_memory();
    // In memory, nothing can fail to be stored.
    let apps_inputs = fleet.take_inventories(inputs).unwrap_or_default();
    // Targets are independent: evaluate them in parallel (rayon keeps the input order).
    let apps: Vec<TargetAssessment> = apps_inputs
        .par_iter()
        .map(|input| evaluator.assess_input(input))
        .collect();
    match evaluator.assessment(apps, fleet, lang) {
        Ok(a) => a,
        // The in-memory store performs no I/O; keep a result anyway.
        Err(_) => evaluator.assessment_without_devices(lang),
    }
}

/// Evaluates targets one by one: apps with [`Evaluator::assess_input`], devices
/// through a [`FleetBuilder`], then [`Evaluator::assessment`] puts the report together.
pub struct Evaluator<'a> {
    set: &'a CheckSet,
    selected: Vec<&'a Check>,
    prepared: Vec<Prepared<'a>>,
    profile: &'a Profile,
    answers: &'a Answers,
    as_of: String,
    /// Device checks evaluated once per distinct input ([`super::rule_cache`]).
    cache: Option<RuleCache>,
}

impl<'a> Evaluator<'a> {
    /// Prepares the profile's checks (parameters and weights) once.
    pub fn new(
        set: &'a CheckSet,
        profile: &'a Profile,
        answers: &'a Answers,
        as_of: &str,
    ) -> Evaluator<'a> {
        let selected = profile.selected(set);
        // What does not depend on the target is prepared once, not per target.
        let prepared: Vec<Prepared> = selected
            .iter()
            .map(|check| Prepared {
                check,
                params: json_to_cel(
                    &serde_json::to_value(profile.params_for(check))
                        .unwrap_or(serde_json::Value::Null),
                ),
                weight: profile.weight(check),
            })
            .collect();
        let device_checks: Vec<Option<&Check>> = prepared
            .iter()
            .map(|p| p.check.applies_to(TargetKind::Device).then_some(p.check))
            .collect();
        Evaluator {
            set,
            selected,
            prepared,
            profile,
            answers,
            as_of: as_of.to_string(),
            cache: Some(RuleCache::new(&device_checks)),
        }
    }

    /// The same evaluator evaluating every device check on every device
    /// anew, without the cache of results per distinct input. The results
    /// are the same; this is the reference that shows it (and a way to rule
    /// the cache out when a result looks wrong).
    pub fn without_rule_cache(mut self) -> Evaluator<'a> {
        self.cache = None;
        self
    }

    /// Assesses an app input (extracted, JSON or failed); inventories go through a [`FleetBuilder`].
    pub fn assess_input(&self, input: &Input) -> TargetAssessment {
        assess_input(
            input,
            &self.prepared,
            self.profile,
            self.answers,
            &self.as_of,
        )
    }

    /// Assesses one device of the inventory `source`.
    pub fn assess_device(&self, source: &InventorySource, device: &Device) -> TargetAssessment {
        self.assess_device_with(source, Some(source.file.clone()), device)
    }

    /// Assesses one device for a [`DeviceStoreWriter`], which keeps its
    /// inventory file by number: the target has no copy of the file's details.
    fn assess_device_for_store(
        &self,
        source: &InventorySource,
        device: &Device,
    ) -> TargetAssessment {
        self.assess_device_with(source, None, device)
    }

    /// Assesses one device for a [`DeviceStoreWriter`] without making a
    /// [`TargetAssessment`]: the results of the device checks in their
    /// order, with the texts left to the store's metadata. Only without
    /// answers (an answer may change a result and adds to it); the record
    /// the store writes is the one of [`Evaluator::assess_device_for_store`]'s
    /// assessment. The texts the outcomes keep are taken out of `device`
    /// (it is not needed afterwards), neither copied nor the whole device
    /// moved.
    fn assess_device_outcomes(
        &self,
        source: &InventorySource,
        device: &mut Device,
    ) -> DeviceOutcomes {
        let (results, record_de) = {
            let facts = TargetFacts::device(device, &source.format);
            let mut ctx = Contexts::new(&facts, &self.as_of);
            let results: Vec<CheckOutcome> = self
                .device_checks()
                .map(|(at, prep)| decide_outcome(at, prep, &facts, &mut ctx, self.cache.as_ref()))
                .collect();
            (results, ctx.record_de().map(str::to_string))
        };
        let rated = || self.device_checks().map(|(_, p)| p).zip(&results);
        let verdict = verdict_of(
            rated().map(|(p, r)| (p.check.level, r.outcome)),
            self.profile,
        );
        let score = score_of(rated().map(|(p, r)| (r.outcome, p.weight)));
        // The device is not needed after this: its texts are taken into
        // the outcomes instead of being copied.
        let source = device_source(source, device);
        let name = match device.name.take() {
            Some(name) => name,
            None => device.record.clone(),
        };
        let (summary, record) = crate::assess::device_summary::DeviceSummary::taken_from(device);
        DeviceOutcomes {
            name,
            source,
            device: summary,
            verdict,
            score,
            results,
            record,
            record_de,
        }
    }

    /// The selected checks that apply to devices, with their numbers.
    fn device_checks(&self) -> impl Iterator<Item = (usize, &Prepared<'a>)> + '_ {
        self.prepared
            .iter()
            .enumerate()
            .filter(|(_, p)| p.check.applies_to(TargetKind::Device))
    }

    /// Assesses one device with `file` as its target's file.
    fn assess_device_with(
        &self,
        source: &InventorySource,
        file: Option<FileInfo>,
        device: &Device,
    ) -> TargetAssessment {
        assess_device(
            source,
            file,
            device,
            &self.prepared,
            self.profile,
            self.answers,
            &self.as_of,
            self.cache.as_ref(),
        )
    }

    /// A fleet builder keeping the device assessments in memory.
    pub fn fleet_in_memory(&self) -> FleetBuilder<'_, 'a> {
        FleetBuilder::new(self, Devices::Memory(Vec::new()))
    }

    /// A fleet builder writing the device assessments as compact records that
    /// move to a temporary file when many (bounded memory for any fleet size).
    pub fn fleet_spilling(&self) -> FleetBuilder<'_, 'a> {
        let checks = self
            .prepared
            .iter()
            .filter(|p| p.check.applies_to(TargetKind::Device))
            .map(|p| CheckMeta {
                id: p.check.id.clone(),
                requirement: p.check.requirement.clone(),
                level: p.check.level,
                title: p.check.title.clone(),
                remediation: p.check.remediation.clone(),
                weight: p.weight,
                messages: p.check.rules.iter().map(|r| r.message.clone()).collect(),
            })
            .collect();
        FleetBuilder::new(self, Devices::Writer(DeviceStoreWriter::new(checks)))
    }

    /// Puts the report together: `apps` in their order, then the fleet's devices worst first.
    pub fn assessment(
        &self,
        apps: Vec<TargetAssessment>,
        fleet: FleetBuilder<'_, 'a>,
        lang: Lang,
    ) -> std::io::Result<Assessment> {
        let had_inventory = fleet.had_inventory;
        let (devices, summary) = fleet.finish()?;
        let mut a = self.assessment_without_devices(lang);
        a.targets = apps;
        a.devices = devices;
        a.fleet = had_inventory.then_some(summary);
        Ok(a)
    }

    fn assessment_without_devices(&self, lang: Lang) -> Assessment {
        Assessment {
            schema_version: REPORT_SCHEMA_VERSION.to_string(),
            tool: ToolInfo {
                name: "msgaudit".to_string(),
                version: env!("CARGO_PKG_VERSION").to_string(),
                check_set_digest: CheckSet::digest(self.set.checks()),
            },
            profile: self.profile.info(),
            as_of: self.as_of.clone(),
            lang,
            targets: Vec::new(),
            devices: DeviceStore::default(),
            fleet: None,
            skipped_files: 0,
            skipped_unrecognized: None,
            inputs: Vec::new(),
        }
    }
}

/// The inventory export a device came from.
#[derive(Debug, Clone, PartialEq)]
pub struct InventorySource {
    /// The export file.
    pub file: FileInfo,
    /// Its format name (e.g. `intune-graph`).
    pub format: String,
}

/// Where a [`FleetBuilder`] keeps the device assessments.
enum Devices {
    Memory(Vec<TargetAssessment>),
    Writer(DeviceStoreWriter),
}

/// Per device check: how many devices passed, failed, or neither.
#[derive(Debug, Clone, Default)]
struct Counts {
    devices: usize,
    compliant: usize,
    not_compliant: usize,
    incomplete: usize,
    /// Per device check, in check order.
    per_check: Vec<CheckCounts>,
    /// Devices by OS version and patch age.
    distribution: crate::assess::DistributionCounts,
}

/// Devices by outcome of one device check.
#[derive(Debug, Clone, Default)]
struct CheckCounts {
    passed: usize,
    failed: usize,
    /// Warn, manual, error.
    undecided: usize,
    not_applicable: usize,
    /// Of `undecided`: the devices whose check warned.
    warned: usize,
    /// Of `undecided`: the devices left open (manual, error) by the format
    /// of the export their result names, in first-seen order.
    open_by_format: Vec<(String, usize)>,
}

impl CheckCounts {
    /// Counts `n` open devices from an export of `format`.
    fn open_from(&mut self, format: &str, n: usize) {
        match self.open_by_format.iter_mut().find(|(f, _)| f == format) {
            Some((_, count)) => *count += n,
            None => self.open_by_format.push((format.to_string(), n)),
        }
    }
}

/// What the fleet summary needs of one device: its verdict, per device
/// check (by position) its outcome, and the format of the export its
/// result names (the leading one of a device merged from several).
struct Tally<'s> {
    verdict: Verdict,
    outcomes: Vec<(usize, Outcome)>,
    sample: crate::assess::DeviceSample,
    format: &'s str,
}

impl<'s> Tally<'s> {
    fn of(t: &TargetAssessment, d: &Device, checks: &[&Check], format: &'s str) -> Tally<'s> {
        let outcomes = t
            .results
            .iter()
            .enumerate()
            .filter_map(|(at, r)| {
                // Results come in check order: the check at the same place is tried first.
                let same = |c: &&Check| c.id == r.check;
                let i = match checks.get(at) {
                    Some(c) if same(c) => Some(at),
                    _ => checks.iter().position(same),
                };
                i.map(|i| (i, r.outcome))
            })
            .collect();
        Tally {
            verdict: t.verdict,
            outcomes,
            sample: crate::assess::DeviceSample::of(d),
            format,
        }
    }

    /// [`Tally::of`] for results in the order of `checks`.
    fn of_outcomes(
        d: &DeviceOutcomes,
        sample: crate::assess::DeviceSample,
        format: &'s str,
    ) -> Tally<'s> {
        Tally {
            verdict: d.verdict,
            outcomes: d.results.iter().map(|r| r.outcome).enumerate().collect(),
            sample,
            format,
        }
    }
}

impl Counts {
    fn add(&mut self, t: &Tally, checks: usize) {
        self.devices += 1;
        match t.verdict {
            Verdict::Compliant => self.compliant += 1,
            Verdict::NotCompliant => self.not_compliant += 1,
            Verdict::Incomplete => self.incomplete += 1,
            Verdict::Error => {}
        }
        self.distribution.add(&t.sample);
        self.per_check
            .resize(checks.max(self.per_check.len()), CheckCounts::default());
        for (i, outcome) in &t.outcomes {
            if let Some(slot) = self.per_check.get_mut(*i) {
                match outcome {
                    Outcome::Pass => slot.passed += 1,
                    Outcome::Fail => slot.failed += 1,
                    Outcome::NotApplicable => slot.not_applicable += 1,
                    Outcome::Warn => {
                        slot.undecided += 1;
                        slot.warned += 1;
                    }
                    Outcome::Manual | Outcome::Error => {
                        slot.undecided += 1;
                        slot.open_from(t.format, 1);
                    }
                }
            }
        }
    }

    fn merge(&mut self, other: &Counts) {
        self.devices += other.devices;
        self.compliant += other.compliant;
        self.not_compliant += other.not_compliant;
        self.incomplete += other.incomplete;
        self.distribution.merge(&other.distribution);
        if self.per_check.len() < other.per_check.len() {
            self.per_check
                .resize(other.per_check.len(), CheckCounts::default());
        }
        for (a, b) in self.per_check.iter_mut().zip(&other.per_check) {
            a.passed += b.passed;
            a.failed += b.failed;
            a.undecided += b.undecided;
            a.not_applicable += b.not_applicable;
            a.warned += b.warned;
            for (format, n) in &b.open_by_format {
                a.open_from(format, *n);
            }
        }
    }
}

/// Collects the devices of a run's inventories: assesses them in parallel
/// batches, counts the fleet summary as they come, and stores them (in memory,
/// or as compact records that spill to a temporary file). An inventory is
/// bracketed by [`FleetBuilder::begin`] and [`FleetBuilder::commit_with`] (or
/// [`FleetBuilder::rollback`] when it failed half-way: its devices are dropped).
pub struct FleetBuilder<'e, 'a> {
    eval: &'e Evaluator<'a>,
    device_checks: Vec<&'a Check>,
    devices: Devices,
    totals: Counts,
    pending: Counts,
    current: Option<(InventorySource, Option<u32>, Mark, usize)>,
    had_inventory: bool,
    inventories: Vec<FleetInventory>,
    /// [`FleetSummary::export_info`].
    export_info: Vec<Text>,
    default_pseudonym_key: bool,
    observed: super::os_status::Observed,
    /// What the devices showed before the current inventory (restored by
    /// [`FleetBuilder::rollback`]: an inventory dropped shows nothing).
    observed_before: Option<super::os_status::Observed>,
    /// The current inventory's provisional results
    /// ([`Placement::provisional`]): their counts, and their
    /// positions in the order the store's devices were added.
    provisional: Counts,
    provisional_at: Positions,
    /// The store's next place among equal devices when the current
    /// inventory began (the [`Ordinals`] count from it).
    first_seq: usize,
    /// The inventories committed so far, with their file numbers in the
    /// store: a device merged from several exports names the one its
    /// leading record comes from ([`leading_inventory`]).
    committed: Vec<(InventorySource, Option<u32>)>,
}

/// Where the devices of a batch given to [`FleetBuilder::add_placed`] go.
#[derive(Debug, Clone, Default)]
pub struct Placement {
    /// Each device's position in its inventory, which places it among
    /// equal devices in the report.
    pub ordinals: Ordinals,
    /// The devices whose results are provisional (for example because they
    /// depend on the fleet's patch-level floor, which may still move):
    /// counted apart, and dropped by a later batch that says so; those left
    /// when the inventory is committed are final.
    pub provisional: Option<fn(&Device) -> bool>,
    /// Before this batch is stored, the provisional results stored so far
    /// are dropped.
    pub drop_provisional: bool,
    /// The devices were shown before ([`FleetBuilder::observed`]) and are
    /// not shown again.
    pub seen: bool,
}

/// The positions in its inventory (counted from 0) of a batch's devices.
#[derive(Debug, Clone, Default)]
pub enum Ordinals {
    /// After the devices added before.
    #[default]
    Next,
    /// One after the other from this position.
    From(usize),
    /// Each device's own.
    Each(Vec<usize>),
}

impl Ordinals {
    /// The position of the `k`th device of the batch.
    fn of(&self, k: usize) -> Option<usize> {
        match self {
            Ordinals::Next => None,
            Ordinals::From(first) => Some(first + k),
            Ordinals::Each(each) => each.get(k).copied(),
        }
    }
}

impl<'e, 'a> FleetBuilder<'e, 'a> {
    fn new(eval: &'e Evaluator<'a>, devices: Devices) -> FleetBuilder<'e, 'a> {
        let device_checks = eval
            .selected
            .iter()
            .copied()
            .filter(|c| c.applies_to(TargetKind::Device))
            .collect();
        FleetBuilder {
            eval,
            device_checks,
            devices,
            totals: Counts::default(),
            pending: Counts::default(),
            current: None,
            had_inventory: false,
            inventories: Vec::new(),
            export_info: Vec::new(),
            default_pseudonym_key: false,
            observed: Default::default(),
            observed_before: None,
            provisional: Counts::default(),
            provisional_at: Positions::default(),
            first_seq: 0,
            committed: Vec::new(),
        }
    }

    /// Assesses the devices of the extracted inventories among `inputs` and
    /// gives back the other inputs (apps, facts documents, unreadable files),
    /// for [`Evaluator::assess_input`].
    pub fn take_inventories<'i>(
        &mut self,
        inputs: impl IntoIterator<Item = &'i Input>,
    ) -> std::io::Result<Vec<&'i Input>> {
        let mut others = Vec::new();
        for input in inputs {
            match input {
                Input::Facts(Facts::Inventory(inv)) => {
                    self.begin(InventorySource {
                        file: inv.file.clone(),
                        format: inv.format.clone(),
                    });
                    self.add(&inv.devices)?;
                    self.commit_with(&inv.warnings);
                    if let Some(last) = self.inventories.last_mut() {
                        last.partial.clone_from(&inv.partial);
                    }
                }
                Input::Failed(f) if f.kind == TargetKind::Inventory => {
                    self.note_inventory();
                    others.push(input);
                }
                other => others.push(other),
            }
        }
        Ok(others)
    }

    /// Notes that the run has an inventory (also one that could not be read),
    /// so the report has a fleet summary.
    pub fn note_inventory(&mut self) {
        self.had_inventory = true;
    }

    /// Starts the devices of inventory `source` (commits an unfinished one).
    pub fn begin(&mut self, source: InventorySource) {
        self.commit();
        self.had_inventory = true;
        self.observed_before = Some(self.observed.clone());
        self.provisional = Counts::default();
        self.provisional_at.clear();
        let (file, mark, len) = match &mut self.devices {
            Devices::Memory(v) => (None, Mark::default(), v.len()),
            Devices::Writer(w) => {
                self.first_seq = w.next_seq();
                let mark = w.mark();
                (Some(w.add_file(source.file.clone())), mark, 0)
            }
        };
        self.current = Some((source, file, mark, len));
    }

    /// Assesses `devices` of the current inventory (in parallel) and keeps them.
    pub fn add(&mut self, devices: &[Device]) -> std::io::Result<()> {
        let committed = &self.committed;
        let Some((source, file, _, _)) = &self.current else {
            return Err(std::io::Error::other(
                "internal: devices outside an inventory",
            ));
        };
        let eval = self.eval;
        let checks = &self.device_checks;
        self.observed.see_all(devices, &eval.as_of);
        match &mut self.devices {
            Devices::Memory(v) => {
                let assessed: Vec<(Tally, TargetAssessment)> = devices
                    .par_iter()
                    .map(|d| {
                        let (source, _) = leading_inventory(committed, (source, *file), d);
                        let t = eval.assess_device(source, d);
                        (Tally::of(&t, d, checks, &source.format), t)
                    })
                    .collect();
                for (tally, t) in assessed {
                    self.pending.add(&tally, checks.len());
                    v.push(t);
                }
            }
            Devices::Writer(w) => {
                // Assessing and encoding run in parallel; only appending is sequential.
                let encoder = w.encoder();
                let encoded: Vec<(Tally, std::io::Result<EncodedDevice>)> = devices
                    .par_iter()
                    .map(|d| {
                        let (source, file) = leading_inventory(committed, (source, *file), d);
                        let t = eval.assess_device_for_store(source, d);
                        (
                            Tally::of(&t, d, checks, &source.format),
                            encoder.encode(&t, file),
                        )
                    })
                    .collect();
                for (tally, e) in encoded {
                    self.pending.add(&tally, checks.len());
                    w.push_encoded(e?)?;
                }
            }
        }
        Ok(())
    }

    /// Assesses the batches of devices of the current inventory as
    /// [`FleetBuilder::add`] does each, but stores a batch while the next one
    /// is assessed, and lets the threads that assess a device drop it: the
    /// storing (in input order) no longer holds up assessing. Stops at the
    /// first error; the batches after it are dropped unread.
    pub fn add_batches(
        &mut self,
        batches: impl Iterator<Item = Vec<Device>>,
    ) -> std::io::Result<()> {
        if !self.stores_records() {
            for batch in batches {
                self.add(&batch)?;
            }
            return Ok(());
        }
        self.add_placed(batches.map(|b| (b, Placement::default())))
    }

    /// Whether the devices go to a [`DeviceStoreWriter`] (from
    /// [`Evaluator::fleet_spilling`]), which [`FleetBuilder::add_placed`] needs.
    pub fn stores_records(&self) -> bool {
        matches!(self.devices, Devices::Writer(_))
    }

    /// [`FleetBuilder::add_batches`] with each batch placed as its
    /// [`Placement`] says. Only for a builder that
    /// [stores records](FleetBuilder::stores_records).
    pub fn add_placed(
        &mut self,
        batches: impl Iterator<Item = (Vec<Device>, Placement)>,
    ) -> std::io::Result<()> {
        self.add_placed_recycling(batches, &|_| {})
    }

    /// [`FleetBuilder::add_placed`], handing each batch, emptied, to
    /// `give_back` once its devices were assessed, so that the reader can
    /// fill it again: a batch of 1,024 devices is about 1 MB, which taken
    /// fresh from the system for every batch cost the 100,000-device scan
    /// some 23,000 page faults, two fifths of all.
    pub fn add_placed_recycling(
        &mut self,
        batches: impl Iterator<Item = (Vec<Device>, Placement)>,
        give_back: &(dyn Fn(Vec<Device>) + Sync),
    ) -> std::io::Result<()> {
        let FleetBuilder {
            eval,
            device_checks,
            devices,
            pending,
            current,
            observed,
            provisional,
            provisional_at,
            first_seq,
            committed,
            ..
        } = self;
        let Some((source, file, _, _)) = current.as_ref() else {
            return Err(std::io::Error::other(
                "internal: devices outside an inventory",
            ));
        };
        let (eval, checks, file, first_seq) = (*eval, &*device_checks, *file, *first_seq);
        let Devices::Writer(writer) = devices else {
            return Err(std::io::Error::other(
                "internal: placed devices without a store",
            ));
        };
        let encoder = writer.encoder();
        // Without answers, results go to the store without the texts its
        // metadata holds (the same records, less copied and dropped).
        let outcomes_only = eval.answers.is_empty();
        type Assessed<'s> = (Tally<'s>, bool, std::io::Result<EncodedDevice>);
        let assess =
            |(mut batch, placement): (Vec<Device>, Placement)| -> (Vec<Assessed<'_>>, Placement) {
                let assessed = batch
                    .par_drain(..)
                    .map(|mut d| {
                        let held = placement.provisional.is_some_and(|p| p(&d));
                        let (source, file) = leading_inventory(committed, (source, file), &d);
                        if outcomes_only {
                            let sample = crate::assess::DeviceSample::of(&d);
                            let o = eval.assess_device_outcomes(source, &mut d);
                            (
                                Tally::of_outcomes(&o, sample, &source.format),
                                held,
                                encoder.encode_outcomes(&o, file),
                            )
                        } else {
                            let t = eval.assess_device_for_store(source, &d);
                            (
                                Tally::of(&t, &d, checks, &source.format),
                                held,
                                encoder.encode(&t, file),
                            )
                        }
                    })
                    .collect();
                give_back(batch);
                (assessed, placement)
            };
        let mut store = |(assessed, placement): (Vec<Assessed<'_>>, Placement)| {
            if placement.drop_provisional {
                writer.forget(provisional_at);
                provisional_at.clear();
                *provisional = Counts::default();
            }
            for (k, (tally, held, e)) in assessed.into_iter().enumerate() {
                if held {
                    provisional.add(&tally, checks.len());
                    provisional_at.insert(writer.len());
                } else {
                    pending.add(&tally, checks.len());
                }
                let e = e?;
                match placement.ordinals.of(k) {
                    Some(ordinal) => writer.push_encoded_at(e, first_seq + ordinal)?,
                    None => writer.push_encoded(e)?,
                }
            }
            Ok::<(), std::io::Error>(())
        };
        let mut assessed: Option<(Vec<Assessed<'_>>, Placement)> = None;
        for batch in batches {
            if !batch.1.seen {
                observed.see_all(&batch.0, &eval.as_of);
            }
            let (next, stored) = rayon::join(
                || assess(batch),
                || assessed.take().map_or(Ok(()), &mut store),
            );
            stored?;
            assessed = Some(next);
        }
        assessed.map_or(Ok(()), store)
    }

    /// What the devices so far showed beyond their checks: the newest
    /// Android patch level (none after the audit date), messengers per device.
    pub fn observed(&self) -> &super::os_status::Observed {
        &self.observed
    }

    /// Adds a note on the run's exports that is information, not a
    /// warning ([`FleetSummary::export_info`]): pages read together.
    pub fn note_exports(&mut self, note: &Note) {
        self.export_info
            .push(Text::new(note.german(), note.english()));
    }

    /// Keeps the current inventory's devices.
    fn commit(&mut self) {
        self.commit_notes(Vec::new(), false, None, 0);
    }

    /// Keeps the current inventory's devices, with the notes reading it
    /// gave (shown in the report in both languages; the note about the
    /// default pseudonym key becomes [`FleetSummary::default_pseudonym_key`]).
    pub fn commit_with(&mut self, notes: &[Note]) {
        let default_key = notes.contains(&Note::DefaultPseudonymKey);
        let texts = notes
            .iter()
            .filter(|n| **n != Note::DefaultPseudonymKey)
            .map(|n| Text::new(n.german(), n.english()))
            .collect();
        let partial = notes.iter().find_map(|n| match n {
            Note::Partial { partial, .. } => Some(partial.clone()),
            _ => None,
        });
        let merged_elsewhere = notes
            .iter()
            .map(|n| match n {
                Note::Duplicates {
                    counted_elsewhere, ..
                } => *counted_elsewhere,
                _ => 0,
            })
            .sum();
        self.commit_notes(texts, default_key, partial, merged_elsewhere);
    }

    fn commit_notes(
        &mut self,
        warnings: Vec<Text>,
        default_key: bool,
        partial: Option<crate::facts::partial::Partial>,
        merged_elsewhere: usize,
    ) {
        if let Some((source, number, _, _)) = self.current.take() {
            self.committed.push((source.clone(), number));
            self.observed_before = None;
            // Provisional results not dropped by now are final.
            self.provisional_at.clear();
            let provisional = std::mem::take(&mut self.provisional);
            self.pending.merge(&provisional);
            let pending = std::mem::take(&mut self.pending);
            self.default_pseudonym_key |= default_key;
            self.inventories.push(FleetInventory {
                file: source.file,
                format: source.format,
                devices: pending.devices,
                merged_elsewhere,
                warnings,
                partial,
            });
            self.totals.merge(&pending);
        }
    }

    /// Drops the current inventory's devices (it could not be read to the
    /// end), and what they showed ([`FleetBuilder::observed`]).
    pub fn rollback(&mut self) {
        if let Some((_, _, mark, len)) = self.current.take() {
            match &mut self.devices {
                Devices::Memory(v) => v.truncate(len),
                Devices::Writer(w) => w.rollback(mark),
            }
            self.pending = Counts::default();
            self.provisional = Counts::default();
            self.provisional_at.clear();
            if let Some(before) = self.observed_before.take() {
                self.observed = before;
            }
        }
    }

    /// Gives the current inventory its file's details, when they were known
    /// only after its devices were added (the file is hashed as it is read):
    /// the devices added so far, and those to come, name `file`.
    pub fn name_file(&mut self, file: FileInfo) {
        let Some((source, number, _, len)) = &mut self.current else {
            return;
        };
        match (&mut self.devices, *number) {
            (Devices::Memory(v), _) => {
                for t in v.iter_mut().skip(*len) {
                    t.target.file = Some(file.clone());
                }
            }
            (Devices::Writer(w), Some(number)) => w.name_file(number, file.clone()),
            (Devices::Writer(_), None) => {}
        }
        source.file = file;
    }

    /// The devices worst first, and the fleet summary.
    pub fn finish(mut self) -> std::io::Result<(DeviceStore, FleetSummary)> {
        self.commit();
        let mut summary = fleet_summary(&self.totals, &self.device_checks);
        super::open_devices::explain_open(&mut summary);
        summary.inventories = std::mem::take(&mut self.inventories);
        summary.export_info = std::mem::take(&mut self.export_info);
        summary.default_pseudonym_key = self.default_pseudonym_key;
        let store = match self.devices {
            Devices::Memory(v) => DeviceStore::from_targets(v),
            Devices::Writer(w) => w.finish()?,
        };
        Ok((store, summary))
    }
}

/// A selected check with what the profile gives it: its parameters (as CEL) and weight.
struct Prepared<'a> {
    check: &'a Check,
    params: cel::Value,
    weight: f64,
}

/// Assesses an app input (extracted, JSON or failed); inventories are split into devices by the caller.
fn assess_input(
    input: &Input,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
) -> TargetAssessment {
    match input {
        Input::Facts(Facts::App(app)) => {
            let json = serde_json::to_value(app).unwrap_or(serde_json::Value::Null);
            assess_app(app, &json, selected, profile, answers, as_of)
        }
        Input::AppJson(json) => match serde_json::from_value::<AppFacts>(json.clone()) {
            Ok(app) => assess_app(&app, json, selected, profile, answers, as_of),
            Err(e) => failed_target(&InputFailure {
                path: json
                    .pointer("/file/path")
                    .and_then(|p| p.as_str())
                    .unwrap_or("facts JSON")
                    .to_string(),
                kind: kind_of_json(json),
                reason: format!("the facts JSON does not match the facts format: {e}"),
                cause: None,
                reason_de: None,
                unused_app_list: None,
                file: None,
            }),
        },
        Input::Facts(Facts::Inventory(inv)) => failed_target(&InputFailure {
            path: inv.file.path.clone(),
            kind: TargetKind::Inventory,
            reason: "internal: an inventory is assessed per device".to_string(),
            cause: None,
            reason_de: None,
            unused_app_list: None,
            file: Some(inv.file.clone()),
        }),
        Input::Failed(failure) => failed_target(failure),
    }
}

fn file_name(path: &str) -> &str {
    Path::new(path)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(path)
}

fn kind_of_json(json: &serde_json::Value) -> TargetKind {
    match json.get("kind").and_then(|k| k.as_str()) {
        Some("ios") => TargetKind::Ios,
        _ => TargetKind::Android,
    }
}

fn assess_app(
    app: &AppFacts,
    json: &serde_json::Value,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
) -> TargetAssessment {
    let name = match (&app.app.name, &app.app.version) {
        (Some(n), Some(v)) => format!("{n} {v}"),
        (Some(n), None) => n.clone(),
        _ => app
            .app
            .id
            .clone()
            .unwrap_or_else(|| file_name(&app.file.path).to_string()),
    };
    let target = TargetInfo {
        kind: app.kind,
        name,
        id: app.app.id.clone(),
        version: app.app.version.clone(),
        file: Some(app.file.clone()),
        source: None,
        device: None,
    };
    let mut names = vec![app.file.path.as_str(), file_name(&app.file.path)];
    if let Some(id) = &app.app.id {
        names.push(id);
    }
    let build = AppBuild {
        version: app.app.version.as_deref(),
        build: app.app.build.as_deref(),
        sha256: &app.file.sha256,
    };
    let subject = Subject {
        names: &names,
        app: Some(build),
    };
    let mut assessed = assess_target(
        target,
        &TargetFacts::Json(json),
        selected,
        profile,
        answers,
        as_of,
        subject,
        None,
    );
    mark_unread(&mut assessed, &app.unread);
    assessed
}

/// Nothing unread improves a verdict: an app with entries that carry facts
/// but could not be read is an error, whatever the checks said on the rest.
/// The results stay (for information); the score is withdrawn, so no number
/// looks better than what a full read would give.
fn mark_unread(t: &mut TargetAssessment, unread: &[Unread]) {
    if unread.is_empty() {
        return;
    }
    t.verdict = Verdict::Error;
    t.score = None;
    t.error = Some(unread_summary(unread));
    t.unread = unread.to_vec();
}

/// One English sentence naming every unread entry and why.
pub fn unread_summary(unread: &[Unread]) -> String {
    let entries = unread
        .iter()
        .map(Unread::line)
        .collect::<Vec<_>>()
        .join("; ");
    match unread.len() {
        1 => format!("an entry that carries facts could not be read: {entries}"),
        n => format!("{n} entries that carry facts could not be read: {entries}"),
    }
}

#[allow(clippy::too_many_arguments)]
fn assess_device(
    inv: &InventorySource,
    file: Option<FileInfo>,
    device: &Device,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
    cache: Option<&RuleCache>,
) -> TargetAssessment {
    let name = device_name(device);
    let target = TargetInfo {
        kind: TargetKind::Device,
        name: name.clone(),
        id: None,
        version: None,
        file,
        source: Some(device_source(inv, device)),
        device: Some(crate::assess::device_summary::DeviceSummary::of(device)),
    };
    // Converted to JSON only when a check has to run on it.
    let facts = TargetFacts::device(device, &inv.format);
    let names = [name.as_str(), device.record.as_str()];
    let subject = Subject {
        names: &names,
        app: None,
    };
    assess_target(
        target, &facts, selected, profile, answers, as_of, subject, cache,
    )
}

/// The inventory (and its file number in the store) a device's target
/// names: for a device merged from several exports ([`Device::sources`],
/// most recent record first), the export its leading record comes from, so
/// that the target's file, source and every evidence location citing its
/// record name one export; else, or when that export is not among the
/// `committed` ones, the `current` one.
fn leading_inventory<'s>(
    committed: &'s [(InventorySource, Option<u32>)],
    current: (&'s InventorySource, Option<u32>),
    device: &Device,
) -> (&'s InventorySource, Option<u32>) {
    let [lead, _, ..] = device.sources.as_slice() else {
        return current;
    };
    if lead.file == current.0.file.path && lead.format == current.0.format {
        return current;
    }
    committed
        .iter()
        .rev()
        .find(|(inv, _)| inv.file.path == lead.file && inv.format == lead.format)
        .map_or(current, |(inv, number)| (inv, *number))
}

/// A device target's name: the device's (pseudonymized) name, or its record.
fn device_name(device: &Device) -> String {
    device.name.clone().unwrap_or_else(|| device.record.clone())
}

/// Where a device target comes from: the export's format and the record.
fn device_source(inv: &InventorySource, device: &Device) -> String {
    [inv.format.as_str(), " ", device.record.as_str()].concat()
}

/// Decides check `prep` (number `at` among the selected checks) on the
/// target `facts` of `ctx`, from `cache` when given; the evidence ends with
/// the field conflicts the check reads.
fn decide(
    at: usize,
    prep: &Prepared,
    facts: &TargetFacts<'_>,
    ctx: &mut Contexts<'_>,
    cache: Option<&RuleCache>,
) -> RuleResult {
    let mut decided = run_check(at, prep, ctx, cache, false).result;
    if let Some(moved) = super::conflicts::relocation(prep.check, decided.rule, facts) {
        moved.apply(&mut decided.evidence);
    }
    decided
        .evidence
        .extend(super::conflicts::evidence(prep.check, facts));
    decided
}

/// Runs check `prep` from `cache` when given; with `share`, a cached rule's
/// evidence may come shared ([`RuleCache::run_shared`]).
fn run_check(
    at: usize,
    prep: &Prepared,
    ctx: &mut Contexts<'_>,
    cache: Option<&RuleCache>,
    share: bool,
) -> Decided {
    match cache {
        Some(cache) if share => cache.run_shared(at, prep.check, &prep.params, ctx),
        Some(cache) => cache.run(at, prep.check, &prep.params, ctx).into(),
        None => ctx.real().run_with(prep.check, prep.params.clone()).into(),
    }
}

/// [`decide`] for a store's [`DeviceOutcomes`]: the evidence of a cached
/// rule is left shared, with the device's record to be put in when it is
/// written (the same items [`decide`] gives).
fn decide_outcome(
    at: usize,
    prep: &Prepared,
    facts: &TargetFacts<'_>,
    ctx: &mut Contexts<'_>,
    cache: Option<&RuleCache>,
) -> CheckOutcome {
    let Decided { mut result, shared } = run_check(at, prep, ctx, cache, true);
    let conflicts = super::conflicts::evidence(prep.check, facts);
    // A merged device's items quoting another record's values are its own:
    // never the items shared with the devices decided alike.
    let moved = super::conflicts::relocation(prep.check, result.rule, facts);
    let evidence = match shared {
        Some(shared) if conflicts.is_empty() && moved.is_none() => OutcomeEvidence::Shared(shared),
        Some(shared) => {
            let mut items = shared.fill(ctx.record(), ctx.record_de());
            if let Some(moved) = &moved {
                moved.apply(&mut items);
            }
            items.extend(conflicts);
            OutcomeEvidence::Items(items)
        }
        None => {
            if let Some(moved) = &moved {
                moved.apply(&mut result.evidence);
            }
            result.evidence.extend(conflicts);
            OutcomeEvidence::Items(result.evidence)
        }
    };
    CheckOutcome {
        outcome: result.outcome,
        message: result.message,
        evidence,
    }
}

/// Assesses one target; device checks come from `cache` where it has them.
#[allow(clippy::too_many_arguments)]
fn assess_target(
    target: TargetInfo,
    facts: &TargetFacts<'_>,
    selected: &[Prepared],
    profile: &Profile,
    answers: &Answers,
    as_of: &str,
    subject: Subject,
    cache: Option<&RuleCache>,
) -> TargetAssessment {
    // The facts are converted to CEL only when a check has to run on them.
    let mut ctx = Contexts::new(facts, as_of);
    let mut results = Vec::new();
    for (at, prep) in selected
        .iter()
        .enumerate()
        .filter(|(_, p)| p.check.applies_to(target.kind))
    {
        let check = prep.check;
        let cache = cache.filter(|_| target.kind == TargetKind::Device);
        let decided = decide(at, prep, facts, &mut ctx, cache);
        let mut result = CheckResult {
            check: check.id.clone(),
            requirement: check.requirement.clone(),
            level: check.level,
            outcome: decided.outcome,
            title: check.title.clone(),
            message: decided.message,
            remediation: check.remediation.clone(),
            evidence: decided.evidence,
            attestation: None,
            attested: false,
            attestation_status: None,
            weight: prep.weight,
        };
        if let Some((answer, binding)) =
            answers.find(&check.id, &check.requirement, &subject, as_of)
        {
            attest::apply(&mut result, answer, &binding, subject.app.as_ref(), as_of);
        }
        results.push(result);
    }
    // The facts' CEL form goes before their text is made (memory).
    drop(ctx);
    let verdict = verdict(&results, profile);
    let score = score(&results);
    // Apps keep their facts in the report (for `compare`/`diff` of saved
    // reports); devices do not, to keep fleet reports small.
    // Kept as compact JSON text (a third of the `Value`'s memory; a
    // scan may move it to a temporary file, `KeptFacts`).
    let facts = (target.kind != TargetKind::Device).then(|| KeptFacts::of(facts.json()));
    TargetAssessment {
        target,
        verdict,
        score,
        results,
        error: None,
        error_kind: None,
        unused_app_list: None,
        error_de: None,
        unread: Vec::new(),
        facts,
    }
}

/// The strict verdict: a failed blocking check → not compliant; else an
/// undecided one (manual, warn, error) → incomplete; else compliant.
pub fn verdict(results: &[CheckResult], profile: &Profile) -> Verdict {
    verdict_of(results.iter().map(|r| (r.level, r.outcome)), profile)
}

/// [`verdict`] of the results' levels and outcomes.
fn verdict_of(results: impl Iterator<Item = (Level, Outcome)>, profile: &Profile) -> Verdict {
    let (mut failed, mut undecided) = (false, false);
    for (_, outcome) in results.filter(|(level, _)| profile.is_blocking(*level)) {
        failed |= outcome == Outcome::Fail;
        undecided |= matches!(outcome, Outcome::Manual | Outcome::Warn | Outcome::Error);
    }
    if failed {
        Verdict::NotCompliant
    } else if undecided {
        Verdict::Incomplete
    } else {
        Verdict::Compliant
    }
}

/// Weighted share of passed checks among the decided (pass + fail) ones, × 100;
/// `None` when nothing (of weight > 0) was decided.
pub fn score(results: &[CheckResult]) -> Option<f64> {
    score_of(results.iter().map(|r| (r.outcome, r.weight)))
}

/// [`score`] of the results' outcomes and weights.
fn score_of(results: impl Iterator<Item = (Outcome, f64)>) -> Option<f64> {
    let (mut passed, mut decided) = (0.0, 0.0);
    for (outcome, weight) in results {
        match outcome {
            Outcome::Pass => {
                passed += weight;
                decided += weight;
            }
            Outcome::Fail => decided += weight,
            _ => {}
        }
    }
    (decided > 0.0).then(|| passed / decided * 100.0)
}

/// The target standing for an input that could not be read: verdict
/// `error`, named by its file, with the reason (and its German text).
pub fn failed_target(failure: &InputFailure) -> TargetAssessment {
    TargetAssessment {
        target: TargetInfo {
            kind: failure.kind,
            name: file_name(&failure.path).to_string(),
            id: None,
            version: None,
            file: Some(FileInfo {
                path: failure.path.clone(),
                ..failure.file.clone().unwrap_or_default()
            }),
            source: None,
            device: None,
        },
        verdict: Verdict::Error,
        score: None,
        results: Vec::new(),
        error: Some(failure.reason.clone()),
        error_kind: failure.cause,
        unused_app_list: failure.unused_app_list,
        // A reader without a German text of its own: its English words in
        // German (a German report never shows the English alone).
        error_de: Some(
            failure
                .reason_de
                .clone()
                .unwrap_or_else(|| crate::lang::wording_de::text(&failure.reason)),
        ),
        unread: Vec::new(),
        facts: None,
    }
}

/// The open devices of a check by export format, sorted by format (the
/// order devices are counted in differs between streamed and in-memory runs).
fn open_by_format(mut open: Vec<(String, usize)>) -> Vec<FormatCount> {
    open.sort();
    open.into_iter()
        .map(|(format, devices)| FormatCount { format, devices })
        .collect()
}

fn fleet_summary(counts: &Counts, checks: &[&Check]) -> FleetSummary {
    let requirements = checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = counts.per_check.get(i).cloned().unwrap_or_default();
            // Devices where the check does not apply are neither compliant
            // nor open: they leave the base of the share.
            let applicable = counts.devices.saturating_sub(n.not_applicable);
            let share_compliant = if applicable == 0 {
                0.0
            } else {
                n.passed as f64 / applicable as f64 * 100.0
            };
            FleetRequirement {
                check: c.id.clone(),
                requirement: c.requirement.clone(),
                level: c.level,
                title: c.title.clone(),
                passed: n.passed,
                failed: n.failed,
                undecided: n.undecided,
                not_applicable: n.not_applicable,
                share_compliant,
                decide_hint: c.decide_hint.clone(),
                warned: n.warned,
                open_by_format: open_by_format(n.open_by_format),
            }
        })
        .collect();
    FleetSummary {
        devices: counts.devices,
        compliant: counts.compliant,
        not_compliant: counts.not_compliant,
        incomplete: counts.incomplete,
        requirements,
        pseudonymized: true,
        default_pseudonym_key: false,
        inventories: Vec::new(),
        export_info: Vec::new(),
        os_data: None,
        messengers: Vec::new(),
        distribution: counts.distribution.finish(),
    }
}
