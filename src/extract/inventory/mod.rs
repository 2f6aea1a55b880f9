//! MDM inventory exports: one adapter per format, all producing [`crate::facts::Device`].
//!
//! Flow: [`registry`] lists the formats; its detection picks one by content (or `--inventory-format` forces
//! it), the format's adapter turns every record into a `Device` through
//! [`record::Builder`] (identifiers pseudonymized by [`pseudonym`]), and
//! [`derive()`] adds the audit-date dependent fields (patch age, check-in age,
//! OS support from [`os_support`]). Field mapping per format:
//! `docs/facts-inventory.md`.

pub mod android_management;
pub mod app_lists;
pub mod apple_mdm;
pub mod batch;
pub mod compliance_join;
pub mod dates;
pub use crate::detect::inventory as detect;
pub mod generic_csv;
pub mod intune;
pub mod intune_compliance;
pub mod jamf;
pub mod json;
pub mod messengers;
pub mod meter;
pub mod os_import;
pub mod os_support;
pub mod peek;
pub mod pseudonym;
pub mod record;
pub mod registry;
pub mod same_ids;
pub mod workspace_one;
pub mod write;
pub mod ws1_apps;
pub mod xml;

use std::path::PathBuf;

use chrono::NaiveDate;
use thiserror::Error;

use crate::extract::file_problem::FileProblem;
use crate::extract::file_problem_de;
use crate::extract::ExtractOptions;
use crate::facts::{Device, FileInfo, InventoryFacts, TargetKind};

pub use crate::facts::note::{self, Note};
pub use crate::facts::partial::{self, Partial, Place};
pub use crate::limits::{MAX_DEVICES, MAX_WARNINGS};
pub use registry::{Format, FormatSpec, INVENTORY_FORMATS};

/// Why an inventory could not be read.
#[derive(Debug, Error)]
pub enum InventoryError {
    /// The content matches no known export format.
    #[error("not a recognised app or MDM inventory export (tried: Intune, Jamf, Workspace ONE, Android Management API, Apple MDM, CSV)")]
    Unrecognized,
    /// `--inventory-format` names no known format.
    #[error("unknown inventory format {0:?}; known: intune-graph, intune-csv, jamf-xml, jamf-json, jamf-csv, workspace-one, android-management, apple-mdm, csv (or csv=MAPPING.toml)")]
    UnknownFormat(String),
    /// The file holds nothing but whitespace.
    #[error("the inventory file is empty")]
    Empty,
    /// JSON that could not be read at all.
    #[error("unreadable JSON inventory: {0}")]
    Json(String),
    /// XML that could not be read.
    #[error("unreadable XML inventory: {0}")]
    Xml(String),
    /// XML that could not be read from a known byte on.
    #[error("unreadable XML inventory: {what} near byte {byte}")]
    XmlAt {
        /// What is wrong.
        what: String,
        /// Byte offset of the problem.
        byte: u64,
    },
    /// A record over `Limits::max_record_size` (refused before buffering).
    #[error("a record from byte {byte} is larger than the limit of {limit} bytes (--max-record-size); refused before it was buffered")]
    RecordTooLarge {
        /// The limit (bytes).
        limit: u64,
        /// Byte offset where the record starts.
        byte: u64,
    },
    /// An XML document declares entities (possible entity-expansion attack).
    #[error("the XML declares a DOCTYPE internal subset or entities; refused (entity expansion is never performed)")]
    XmlEntities,
    /// Nesting deeper than the limit.
    #[error("the document nests deeper than the limit of {0} levels")]
    TooDeep(usize),
    /// A property list that could not be read.
    #[error("unreadable property list: {0}")]
    Plist(String),
    /// A CSV export that could not be read.
    #[error("unreadable CSV inventory: {0}")]
    Csv(String),
    /// The CSV column-mapping file could not be used.
    #[error("CSV column mapping {file}: {reason}")]
    Mapping {
        /// The mapping file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The CSV column-mapping file is not valid TOML or does not follow
    /// its format.
    #[error("CSV column mapping {file} is not valid: {problem}")]
    MappingToml {
        /// The mapping file.
        file: String,
        /// Where and what, classified.
        problem: Box<FileProblem>,
    },
    /// The OS support data file could not be used.
    #[error("OS support data {file}: {reason}")]
    OsData {
        /// The data file.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The OS support data file is not valid TOML or does not follow its
    /// format.
    #[error("OS support data {file} is not valid: {problem}")]
    OsDataToml {
        /// The data file.
        file: String,
        /// Where and what, classified.
        problem: Box<FileProblem>,
    },
    /// The export is valid but of another kind (e.g. a policy list, an admin list).
    #[error("{0}")]
    NotDevices(String),
    /// The input could not be read (an I/O error, not a format problem).
    #[error("cannot read the inventory: {0}")]
    Read(String),
    /// The export was read only in part (its devices were written; see
    /// [`Partial`]).
    #[error("{0}")]
    Partial(String),
    /// An Apple MDM property list larger than [`apple_mdm::MAX_PLIST`].
    #[error("the property list is larger than {0} bytes; an Apple MDM response file is a few KiB (refused)")]
    PlistTooLarge(u64),
}

impl InventoryError {
    /// The error in German where it has a German text of its own (a broken
    /// column-mapping or OS support data file: the file, line, column, key
    /// path and kind of problem); `None` where only the English text exists.
    pub fn german(&self) -> Option<String> {
        match self {
            InventoryError::MappingToml { file, problem } => Some(format!(
                "Die CSV-Spaltenzuordnung {file} ist ungültig: {}",
                file_problem_de::german(problem)
            )),
            InventoryError::OsDataToml { file, problem } => Some(format!(
                "Die Daten zur OS-Unterstützung {file} sind ungültig: {}",
                file_problem_de::german(problem)
            )),
            _ => None,
        }
    }

    /// Where in the export the error is, when the reader could say.
    pub fn place(&self) -> Option<Place> {
        match self {
            InventoryError::XmlAt { byte, .. } | InventoryError::RecordTooLarge { byte, .. } => {
                Some(Place::Byte(*byte))
            }
            _ => None,
        }
    }
}

/// What every adapter needs: pseudonymizer and bounds.
#[derive(Debug)]
pub struct Ctx {
    /// Pseudonymizes identifiers.
    pub pn: pseudonym::Pseudonymizer,
    /// The resource limits (nesting depth, plist decoded-byte budget,
    /// record size).
    pub limits: crate::limits::Limits,
    /// CSV column mapping file (generic CSV).
    pub mapping: Option<PathBuf>,
}

/// Where an adapter puts what it reads: each device goes straight to the
/// caller's sink (after the audit-date fields are derived), so no adapter
/// holds the fleet; warnings are kept (bounded).
pub struct Collected<'s> {
    sink: &'s mut dyn FnMut(Device),
    os: &'s os_support::OsData,
    as_of: NaiveDate,
    compliance: Option<&'s intune_compliance::ComplianceIndex>,
    app_lists: Option<&'s app_lists::AppListIndex>,
    /// The export is a Workspace ONE device list (its device ids join
    /// Workspace ONE app lists).
    workspace_one: bool,
    /// The export's format name and file, named as the source of a
    /// device's own app list when a list of another file disagrees.
    export: (&'static str, &'s str),
    /// Whether the audit-date fields are derived ([`InventoryStream::underived`]).
    derived: bool,
    devices: usize,
    /// Problems that did not stop reading (no personal data).
    pub warnings: Vec<Note>,
    unmapped: Unmapped,
    skipped_warnings: usize,
    over_limit: usize,
    unread: partial::Tracker,
    /// Identifiers given by more than one record of the export.
    same_ids: same_ids::SameIds,
}

impl<'s> Collected<'s> {
    /// Adds a device (bounded by [`MAX_DEVICES`]).
    pub fn push(&mut self, mut d: Device) {
        if self.devices < MAX_DEVICES {
            self.deriving().apply(&mut d);
        }
        self.push_derived(d);
    }

    /// What [`Collected::push`] adds to a device before it is passed on
    /// (to be done beforehand, on any thread: see [`Collected::push_derived`]).
    pub fn deriving(&self) -> Deriving<'s> {
        Deriving {
            os: self.os,
            as_of: self.as_of,
            derive: self.derived,
        }
    }

    /// [`Collected::push`] for a device [`Collected::deriving`] has been
    /// applied to.
    pub fn push_derived(&mut self, d: Device) {
        if self.devices < MAX_DEVICES {
            let mut d = d;
            self.unmapped.count(&d);
            if let Some(ix) = self.compliance {
                compliance_join::apply(ix, &mut d);
            }
            if let Some(ix) = self.app_lists {
                for i in ix.apply(&mut d, self.workspace_one, self.export) {
                    // The list's file's skipped responses and the list's
                    // own notes, each once per scan (a device several
                    // exports list is one device): in the file's order (a
                    // stable sort keeps the notes of one response in theirs).
                    let mut told: Vec<Note> = ix.file_notes_once(i).to_vec();
                    told.extend(ix.notes_once(i).iter().cloned());
                    told.sort_by_key(|n| n.app_list_response().unwrap_or(u64::MAX));
                    for n in told {
                        self.warn(n);
                    }
                }
            }
            self.same_ids.see(&d);
            self.devices = self.devices.saturating_add(1);
            (self.sink)(d);
        } else {
            self.over_limit = self.over_limit.saturating_add(1);
        }
    }

    /// Devices passed on so far.
    pub fn devices(&self) -> usize {
        self.devices
    }

    /// Adds a warning (bounded by [`MAX_WARNINGS`]); a note that says part
    /// of the export could not be read (see [`Note::unread`]) also makes the
    /// export partial, counted even when the note itself is not kept.
    pub fn warn(&mut self, w: Note) {
        if let Some((place, goes_on)) = w.unread() {
            let (de, en) = w.cause();
            self.unread.unread(place, de, en, goes_on);
        }
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        } else {
            self.skipped_warnings = self.skipped_warnings.saturating_add(1);
        }
    }

    /// The notes, the summary of a partial read first (when the export
    /// could not be read to its end), and that summary.
    fn finish(mut self) -> (Vec<Note>, Option<Partial>) {
        for w in std::mem::take(&mut self.unmapped).summary() {
            self.warn(w);
        }
        if let Some(note) = std::mem::take(&mut self.same_ids).note() {
            self.warn(note);
        }
        // An export of no device says so, unless its skipped records
        // already say why.
        let explained = self.skipped_warnings > 0
            || self.warnings.iter().any(|w| {
                matches!(
                    w,
                    Note::Skipped { .. }
                        | Note::DeviceAnswered { .. }
                        | Note::BrokeAfterRecords(_)
                        | Note::MoreUnreadableJson(_)
                )
            });
        if self.devices == 0 && self.over_limit == 0 && !explained {
            self.warn(Note::NoDevices);
        }
        if self.over_limit > 0 {
            let note = Note::OverLimit(self.over_limit);
            if let Some((place, goes_on)) = note.unread() {
                let (de, en) = note.cause();
                self.unread.unread(place, de, en, goes_on);
            }
            self.warnings.push(note);
        }
        if self.skipped_warnings > 0 {
            self.warnings.push(Note::NotShown(self.skipped_warnings));
        }
        let partial = std::mem::take(&mut self.unread).finish(self.devices);
        match partial {
            Some((partial, reason_de)) => {
                self.warnings.insert(
                    0,
                    Note::Partial {
                        partial: partial.clone(),
                        reason_de,
                    },
                );
                (self.warnings, Some(partial))
            }
            None => (self.warnings, None),
        }
    }
}

/// The audit-date fields [`Collected`] derives for each device it is given
/// ([`derive()`]; nothing when [`InventoryStream::underived`]).
#[derive(Debug, Clone, Copy)]
pub struct Deriving<'s> {
    os: &'s os_support::OsData,
    as_of: NaiveDate,
    derive: bool,
}

impl Deriving<'_> {
    /// Adds the audit-date fields to `d`.
    pub fn apply(&self, d: &mut Device) {
        if self.derive {
            derive(d, self.os, self.as_of);
        }
    }
}

impl std::fmt::Debug for Collected<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Collected")
            .field("devices", &self.devices)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// Parses `--inventory-format`: a format name, or `csv=MAPPING.toml`.
fn forced_format(name: &str) -> Result<(Format, Option<PathBuf>), InventoryError> {
    if let Some(path) = name.strip_prefix("csv=") {
        return Ok((Format::Csv, Some(PathBuf::from(path))));
    }
    Format::from_name(name)
        .map(|f| (f, None))
        .ok_or_else(|| InventoryError::UnknownFormat(name.to_string()))
}

/// The column mapping a generic CSV export at `export` is read with, as
/// [`resolve_format`] finds it: the one `--inventory-format csv=FILE`
/// (`forced`) names, else `<export>.mapping.toml` beside it; `None` for the
/// default columns.
pub fn mapping_file(export: &std::path::Path, forced: Option<&str>) -> Option<PathBuf> {
    forced
        .and_then(|f| f.strip_prefix("csv="))
        .map(PathBuf::from)
        .or_else(|| sidecar_mapping(export))
}

/// A mapping file next to the export: `<export>.mapping.toml`.
fn sidecar_mapping(export: &std::path::Path) -> Option<PathBuf> {
    let p = PathBuf::from(format!("{}.mapping.toml", export.display()));
    p.is_file().then_some(p)
}

/// The format of the export at `path` whose first bytes are `head` (up to
/// [`HEAD_BYTES`] are looked at): the forced one (`--inventory-format`), else
/// detected by content, else generic CSV when a `<export>.mapping.toml` is
/// beside it. Also gives the CSV column mapping file, if any.
pub fn resolve_format(
    path: &str,
    head: &[u8],
    forced: Option<&str>,
) -> Result<(Format, Option<PathBuf>), InventoryError> {
    let path_buf = PathBuf::from(path);
    let head = head.get(..HEAD_BYTES).unwrap_or(head);
    let format = match forced {
        Some(name) => forced_format(name)?.0,
        None => match registry::detect(head) {
            Some(f) => f,
            None if sidecar_mapping(&path_buf).is_some() => Format::Csv,
            None => return Err(InventoryError::Unrecognized),
        },
    };
    // The mapping as a run's list of inputs names it too.
    let mapping = (format == Format::Csv)
        .then(|| mapping_file(&path_buf, forced))
        .flatten();
    Ok((format, mapping))
}

/// How much of an export's beginning format detection looks at.
pub const HEAD_BYTES: usize = detect::HEAD;

/// What reading an inventory export gave besides its devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventoryRead {
    /// The format read (detected or forced).
    pub format: Format,
    /// Number of devices passed to the sink.
    pub devices: usize,
    /// Problems that did not stop reading (no personal data); when the
    /// export was read only in part, the first is [`Note::Partial`].
    pub warnings: Vec<Note>,
    /// Set when the export could not be read to its end: its devices are
    /// kept, but the run must exit 4 and the report says so.
    pub partial: Option<Partial>,
}

/// An inventory export whose format is known and whose devices are about to
/// be read: [`InventoryStream::open`] looks at the first 64 KiB only
/// ([`detect::HEAD`]) and gives them back to the adapter, so nothing of the
/// export is held beyond what the adapter reads.
pub struct InventoryStream<'a> {
    format: Format,
    /// The export's file, as given.
    path: String,
    input: peek::Peeked<'a>,
    ctx: Ctx,
    os: os_support::OsData,
    as_of: NaiveDate,
    default_key: bool,
    compliance: Option<std::sync::Arc<intune_compliance::ComplianceIndex>>,
    app_lists: Option<std::sync::Arc<app_lists::AppListIndex>>,
    derived: bool,
}

impl std::fmt::Debug for InventoryStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InventoryStream")
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

impl<'a> InventoryStream<'a> {
    /// Decides the export's format (forced by `options.inventory_format`, or
    /// detected from the head of `input`) and loads what reading needs. `path`
    /// names the export (for a `.mapping.toml` beside it).
    pub fn open(
        path: &str,
        input: &'a mut dyn std::io::BufRead,
        options: &ExtractOptions,
    ) -> Result<Self, InventoryError> {
        let (head, input) = peek::head(input, detect::HEAD, None)
            .map_err(|e| InventoryError::Read(e.to_string()))?;
        let (format, mapping) = resolve_format(path, &head, options.inventory_format.as_deref())?;
        drop(head);
        let mut os = match &options.os_data {
            Some(p) => os_support::OsData::load(p)?,
            None => os_support::OsData::builtin()?,
        };
        os.fleet_patch_level = options.android_patch_floor;
        let ctx = Ctx {
            pn: pseudonym::Pseudonymizer::new(
                options.pseudonym_key.as_deref(),
                options.reveal_identities,
            ),
            limits: options.limits,
            mapping,
        };
        Ok(InventoryStream {
            format,
            path: path.to_string(),
            input,
            ctx,
            os,
            as_of: options.as_of,
            default_key: options.pseudonym_key.as_deref().is_none_or(str::is_empty)
                && !options.reveal_identities,
            compliance: options.compliance.clone(),
            app_lists: options.app_lists.clone(),
            derived: true,
        })
    }

    /// The format that will be read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Passes the devices on without the audit-date fields ([`derive()`]
    /// leaves them as [`Device::default`] has them), for a caller that
    /// derives them itself later (with a floor known only then).
    pub fn underived(mut self) -> Self {
        self.derived = false;
        self
    }

    /// Reads the devices, passing each to `on_device` in the order read, as
    /// soon as it is read (or its batch mapped, see [`batch`]; audit-date
    /// fields derived, identifiers pseudonymized).
    pub fn read(
        mut self,
        on_device: &mut dyn FnMut(Device),
    ) -> Result<InventoryRead, InventoryError> {
        let mut out = Collected {
            sink: on_device,
            os: &self.os,
            as_of: self.as_of,
            // Intune's compliance exports join Intune device lists only.
            compliance: self
                .compliance
                .as_deref()
                .filter(|_| matches!(self.format, Format::IntuneGraph | Format::IntuneCsv)),
            // Installed-app lists join any device by UDID, and Workspace
            // ONE devices by their device id.
            app_lists: self.app_lists.as_deref(),
            workspace_one: self.format == Format::WorkspaceOne,
            export: (self.format.name(), &self.path),
            derived: self.derived,
            devices: 0,
            warnings: Vec::new(),
            unmapped: Unmapped::default(),
            skipped_warnings: 0,
            over_limit: 0,
            unread: partial::Tracker::default(),
            same_ids: same_ids::SameIds::new(&self.ctx.pn),
        };
        if self.default_key {
            out.warn(Note::DefaultPseudonymKey);
        }
        let input: &mut dyn std::io::BufRead = &mut self.input;
        let ctx = &self.ctx;
        let read = (self.format.spec().read)(input, ctx, &mut out);
        match read {
            Ok(()) => {}
            // Devices were read before the error: keep them, and say the
            // export was read only in part.
            Err(e) if out.devices > 0 => out.warn(Note::ReadingStopped {
                place: e.place(),
                error: e.to_string(),
            }),
            Err(e) => return Err(e),
        }
        let devices = out.devices;
        let (warnings, partial) = out.finish();
        Ok(InventoryRead {
            format: self.format,
            devices,
            warnings,
            partial,
        })
    }
}

/// Reads an inventory export from `input` and passes each device to
/// `on_device` in the order read, as soon as it is read (or its batch mapped,
/// see [`batch`]; audit-date fields derived, identifiers pseudonymized).
/// Reading streams: the format is detected from the first 64 KiB, and the
/// adapters read records one at a time (or a bounded batch), so a caller that does
/// not keep the devices reads any fleet in bounded memory (Apple MDM property
/// lists, single responses, are read whole up to [`apple_mdm::MAX_PLIST`]).
/// `path` names the export (for a `.mapping.toml` beside it).
pub fn stream_inventory(
    path: &str,
    input: &mut dyn std::io::BufRead,
    options: &ExtractOptions,
    on_device: &mut dyn FnMut(Device),
) -> Result<InventoryRead, InventoryError> {
    InventoryStream::open(path, input, options)?.read(on_device)
}

/// Extracts the devices of an inventory export into one [`InventoryFacts`].
pub fn extract_inventory(
    file: FileInfo,
    bytes: &[u8],
    options: &ExtractOptions,
) -> Result<InventoryFacts, InventoryError> {
    let mut devices = Vec::new();
    let read = stream_inventory(&file.path, &mut &*bytes, options, &mut |d| devices.push(d))?;
    Ok(InventoryFacts {
        kind: TargetKind::Inventory,
        file,
        format: read.format.name().to_string(),
        pseudonymized: Some(!options.reveal_identities),
        devices,
        warnings: read.warnings,
        partial: read.partial,
    })
}

/// Counts, per fact and distinct exported value, the devices whose value could
/// not be turned into a fact (e.g. `jailBroken = "Unknown"`), so the report can
/// list what the export did not say. Values are security fields, never
/// identifiers; at most 50 distinct pairs are tracked.
#[derive(Debug, Default)]
struct Unmapped {
    /// Devices per fact and value (in the order of the pairs).
    seen: std::collections::BTreeMap<&'static str, std::collections::BTreeMap<String, usize>>,
    /// Distinct (fact, value) pairs tracked.
    pairs: usize,
}

impl Unmapped {
    fn count(&mut self, d: &Device) {
        let pairs: [(&'static str, bool, &Option<String>); 8] = [
            ("passcode", d.passcode.is_none(), &d.raw.passcode),
            ("encryption", d.encryption.is_none(), &d.raw.encryption),
            ("compromised", d.compromised.is_none(), &d.raw.compromised),
            ("managed", d.managed.is_none(), &d.raw.managed),
            ("ownership", d.ownership.is_none(), &d.raw.ownership),
            (
                "security_patch_level",
                d.security_patch_level.is_none(),
                &d.raw.security_patch_level,
            ),
            (
                "last_check_in",
                d.last_check_in.is_none(),
                &d.raw.last_check_in,
            ),
            (
                "cloud_backup",
                d.cloud_backup.is_none(),
                &d.raw.cloud_backup,
            ),
        ];
        for (fact, unknown, raw) in pairs {
            if let (true, Some(r)) = (unknown, raw.as_deref()) {
                let values = self.seen.entry(fact).or_default();
                if let Some(n) = values.get_mut(r) {
                    *n += 1;
                } else if self.pairs < 50 {
                    values.insert(r.to_string(), 1);
                    self.pairs += 1;
                }
            }
        }
    }

    /// One warning per distinct value, with the number of devices.
    fn summary(self) -> Vec<Note> {
        self.seen
            .into_iter()
            .flat_map(|(fact, values)| {
                values
                    .into_iter()
                    .map(move |(said, devices)| Note::LeftUnknown {
                        devices,
                        said,
                        fact,
                    })
            })
            .collect()
    }
}

/// Adds the fields that depend on the audit date: `patch_age_days`,
/// `days_since_check_in` and `os_support`.
pub fn derive(d: &mut Device, os: &os_support::OsData, as_of: NaiveDate) {
    let patch = d
        .security_patch_level
        .as_deref()
        .and_then(dates::patch_level);
    d.patch_age_days = patch.map(|p| (as_of - p).num_days());
    d.days_since_check_in = d
        .last_check_in
        .as_deref()
        .and_then(dates::utc_date)
        .map(|date| (as_of - date).num_days());
    d.os_support = os.assess_shared(d.platform.as_deref(), d.os_version.as_deref(), patch, as_of);
}

#[cfg(test)]
mod keep_tests;

#[cfg(test)]
mod stream_tests;

#[cfg(test)]
mod budget_tests;

#[cfg(test)]
mod export_notes_tests;

#[cfg(test)]
mod udid_case_tests;

#[cfg(test)]
mod apple_repeats_tests;

#[cfg(test)]
mod app_list_repeats_tests;

#[cfg(test)]
mod registry_tests;

/// Whether a sample file is an Intune compliance export or an Apple MDM
/// installed-app list (joined to devices, no devices of its own).
#[cfg(test)]
pub(crate) fn is_compliance_sample(p: &std::path::Path) -> bool {
    p.file_name().is_some_and(|n| {
        let n = n.to_string_lossy();
        n.starts_with("intune-compliance-") || n.starts_with("installed-apps-")
    })
}

/// The sample exports in `sample-apps/inventories` (not the README, the
/// mapping file or the compliance exports), as (file name, path, bytes), sorted by name.
#[cfg(test)]
pub(crate) fn sample_exports() -> Vec<(String, String, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "toml")))
        .filter(|p| !is_compliance_sample(p))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            (name, p.display().to_string(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 11, "only {} sample exports", out.len());
    out
}

/// The OS support data reading with `options` judges devices against (as
/// [`InventoryStream::open`] loads it): `--os-data` or the built-in data,
/// with the fleet's patch-level floor (`options.android_patch_floor`).
/// [`derive()`] with it gives a device read earlier with another floor the
/// fields reading with this one gives.
pub fn os_data(options: &ExtractOptions) -> Result<os_support::OsData, InventoryError> {
    let mut os = match &options.os_data {
        Some(p) => os_support::OsData::load(p)?,
        None => os_support::OsData::builtin()?,
    };
    os.fleet_patch_level = options.android_patch_floor;
    Ok(os)
}

#[cfg(test)]
mod german_tests {
    /// Why an inventory export could not be read, and why its devices
    /// could not be kept or stored, is said in German (a German report
    /// shows it as the target's error): every reason of the readers' own.
    #[test]
    fn every_inventory_error_is_said_in_german() {
        use super::InventoryError as E;
        use crate::lang::wording_de::{knows, text};
        let io = "No space left on device (os error 28)";
        let cases: Vec<(String, &str)> = vec![
            (E::Unrecognized.to_string(), "Weder eine bekannte App noch ein bekannter MDM-Inventarexport (geprüft: Intune, Jamf, Workspace ONE, Android Management API, Apple MDM, CSV)"),
            (E::UnknownFormat("intune".into()).to_string(), "Unbekanntes Inventarformat „intune“; bekannt sind: intune-graph, intune-csv, jamf-xml, jamf-json, jamf-csv, workspace-one, android-management, apple-mdm, csv (oder csv=MAPPING.toml)"),
            (E::Empty.to_string(), "Die Inventardatei ist leer"),
            (E::Json("unexpected JSON value type at line 3 column 9".into()).to_string(), "Nicht lesbares JSON-Inventar: unerwarteter JSON-Werttyp in Zeile 3, Spalte 9"),
            (E::Json("JSON syntax error at line 1 column 2, byte 1 of the export".into()).to_string(), "Nicht lesbares JSON-Inventar: JSON-Syntaxfehler in Zeile 1, Spalte 2, Byte 1 des Exports"),
            (E::Xml("bad".into()).to_string(), "Nicht lesbares XML-Inventar: „bad“"),
            (E::XmlAt { what: "bad".into(), byte: 7 }.to_string(), "Nicht lesbares XML-Inventar: „bad“ bei Byte 7"),
            (E::RecordTooLarge { limit: 10, byte: 3 }.to_string(), "Ein Datensatz ab Byte 3 ist größer als die Grenze von 10 Byte (--max-record-size); abgelehnt, bevor er gepuffert wurde"),
            (E::XmlEntities.to_string(), "Das XML deklariert eine interne DOCTYPE-Teilmenge oder Entitäten; abgelehnt (Entitäten werden nie expandiert)"),
            (E::TooDeep(64).to_string(), "Das Dokument ist tiefer verschachtelt als erlaubt (Grenze: 64 Ebenen)"),
            (E::Plist("bad".into()).to_string(), "Nicht lesbare Property-Liste: „bad“"),
            (E::Csv("bad".into()).to_string(), "Nicht lesbares CSV-Inventar: „bad“"),
            (E::Csv("no known column in the header row".into()).to_string(), "Nicht lesbares CSV-Inventar: Die Kopfzeile nennt keine bekannte Spalte"),
            (E::Csv("cannot read the header row: text is not valid UTF-8".into()).to_string(), "Nicht lesbares CSV-Inventar: Die Kopfzeile ist nicht lesbar: Text ist kein gültiges UTF-8"),
            (E::Csv("cannot read the header row: malformed CSV".into()).to_string(), "Nicht lesbares CSV-Inventar: Die Kopfzeile ist nicht lesbar: fehlerhaftes CSV"),
            (E::Csv("a header is longer than 65536 bytes".into()).to_string(), "Nicht lesbares CSV-Inventar: Ein Spaltenname ist länger als 65536 Bytes"),
            (E::Csv("the header row is longer than the limit of 1048576 bytes (--max-record-size); refused before it was buffered".into()).to_string(), "Nicht lesbares CSV-Inventar: Die Kopfzeile ist länger als die Grenze von 1048576 Bytes (--max-record-size); sie wurde abgewiesen, bevor sie zwischengespeichert wurde"),
            (E::Csv("the file ends inside the header row (a quoted column name is not closed): the export is cut short".into()).to_string(), "Nicht lesbares CSV-Inventar: Die Datei endet innerhalb der Kopfzeile (ein Spaltenname in Anführungszeichen ist nicht geschlossen); der Export ist abgeschnitten"),
            (E::Json("nested deeper than 128 levels at line 1 column 209, byte 208 of the export".into()).to_string(), "Nicht lesbares JSON-Inventar: tiefer als 128 Ebenen verschachtelt in Zeile 1, Spalte 209, Byte 208 des Exports"),
            (E::Json("number out of range at line 1 column 9".into()).to_string(), "Nicht lesbares JSON-Inventar: Zahl außerhalb des darstellbaren Bereichs in Zeile 1, Spalte 9"),
            (E::Mapping { file: "m.toml".into(), reason: io.into() }.to_string(), "CSV-Spaltenzuordnung m.toml: kein Speicherplatz mehr frei (Systemfehler 28)"),
            (E::Mapping { file: "m.toml".into(), reason: "larger than 1048576 bytes".into() }.to_string(), "CSV-Spaltenzuordnung m.toml: größer als 1048576 Byte"),
            (E::Read(io.into()).to_string(), "Das Inventar ist nicht lesbar: kein Speicherplatz mehr frei (Systemfehler 28)"),
            (E::PlistTooLarge(65536).to_string(), "Die Property-Liste ist größer als 65536 Byte; eine Antwortdatei von Apple MDM umfasst wenige KiB (abgelehnt)"),
            (format!("the devices read could not be kept for their assessment: {io}"), "Die gelesenen Geräte konnten für ihre Bewertung nicht zwischengespeichert werden: kein Speicherplatz mehr frei (Systemfehler 28)"),
            (format!("the device results could not be stored: {io}"), "Die Ergebnisse der Geräte konnten nicht gespeichert werden: kein Speicherplatz mehr frei (Systemfehler 28)"),
        ];
        for (en, de) in cases {
            assert!(knows(&en), "no German wording for: {en}");
            assert_eq!(text(&en), de, "{en}");
        }
    }

    /// A broken OS support data file is said with its place and the kind of
    /// problem, as configuration files are ([`super::InventoryError::german`]).
    #[test]
    fn a_broken_os_data_file_says_its_place_in_german() {
        let text = "as_of = \"2026-01-01\"\n[[ios.versions]]\nmajor = \"1\"\nsecurity_updates = \"maybe\"\n";
        let e = super::os_support::OsData::parse(text, "os.toml").unwrap_err();
        assert_eq!(
            e.german().as_deref(),
            Some("Die Daten zur OS-Unterstützung os.toml sind ungültig: Zeile 4, Spalte 20: Unbekannter Wert „maybe“ bei `ios.versions[1].security_updates`; erlaubt sind `yes`, `no` und `unknown`")
        );
        assert_eq!(
            e.to_string(),
            "OS support data os.toml is not valid: line 4, column 20: unknown variant `maybe`, expected one of `yes`, `no`, `unknown` (at `ios.versions[1].security_updates`)"
        );
    }
}
