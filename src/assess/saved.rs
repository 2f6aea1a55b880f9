//! Reading a saved JSON report (of `msgaudit scan --format json`) as a
//! stream, in bounded memory, for `compare` and `diff`.
//!
//! A report may be gigabytes: every app's facts are in `targets[].facts`,
//! and schema 2.0 writes the `catalog` the targets refer to after them. So
//! the file is read twice, and never as one JSON tree:
//!
//! 1. [`open`] walks the top-level object and keeps only the header fields
//!    (`schema_version`, `tool`, `profile`, `as_of`, `lang`, `skipped_files`,
//!    `inputs`),
//!    whether there is a `fleet`, and the `catalog`; everything else is
//!    skipped as it is parsed. A file is a saved report when its object has
//!    `schema_version` and `targets` (as [`crate::detect::is_saved_report`]
//!    says of a parsed document); any other JSON file is recognized as not
//!    one without holding more of it than one key.
//! 2. [`SavedReport::targets`] streams the `targets` array one target at a
//!    time: the target's facts are copied as they are parsed into their
//!    compact text, kept by a [`FactsKeeper`] (in memory up to its budget,
//!    else in its temporary file), the rest of the target is read as JSON,
//!    its catalog references resolved ([`catalog::expand_target`]), and read
//!    as a [`TargetAssessment`].
//!
//! What is held at once is bounded by budgets on the report text it is
//! decoded from: [`HEAD_BYTES`] for each header field and key,
//! [`CATALOG_BYTES`] for the catalog, [`TARGET_BYTES`] for one target
//! without its facts, [`FACTS_BYTES`] for one target's facts (which stream
//! through); and by budgets on the memory the decoded values take (as
//! estimated while they are built, `super::decoded`): [`CATALOG_DECODED`],
//! [`TARGET_DECODED`], [`EXPANDED_DECODED`] for the catalog texts one
//! target takes, and [`FACTS_DECODED`] for what one target's facts decode
//! to when parsed back from the keeper (estimated from their text as it is
//! kept, `super::decoded::CostedWriter`).
//! Reports written by msgaudit stay far below each; over one, the report is
//! refused with an error naming the budget (docs/hardening.md).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::{Map, Value};

use super::catalog::{self, Catalog, CatalogError};
use super::decoded::{is_over_budget, CostedWriter, ValueSeed};
use super::{
    Assessment, DeviceStore, FactsKeeper, FleetSummary, KeptFacts, Lang, ProfileInfo, ReportHeader,
    SupportingInput, TargetAssessment, ToolInfo,
};
use crate::facts::TargetKind;
use crate::lang::io_german;

/// Bytes of report text one header field or one top-level key may take.
pub const HEAD_BYTES: u64 = 1 << 20;
/// Bytes of report text the `catalog` may take (msgaudit writes at most
/// 4 MiB of compact evidence items, plus check texts and input files).
pub const CATALOG_BYTES: u64 = 16 << 20;
/// Bytes of report text the `fleet` summary may take (read only for a whole
/// [`Assessment`], see [`SavedReport::assessment`]).
pub const FLEET_BYTES: u64 = 32 << 20;
/// Bytes of report text one target may take, its facts left out.
pub const TARGET_BYTES: u64 = 4 << 20;
/// Bytes of memory the decoded catalog may take (a catalog msgaudit writes
/// holds at most 65,536 evidence items, of 4 MiB of text together: about
/// 1.2 KiB each in memory as estimated).
pub const CATALOG_DECODED: usize = 128 << 20;
/// Bytes of memory one target's decoded JSON may take, its facts left out.
pub const TARGET_DECODED: usize = 32 << 20;
/// Bytes of memory of the catalog texts one target may take.
pub const EXPANDED_DECODED: usize = 64 << 20;
/// Bytes of memory one target's facts may take once parsed back from the
/// keeper into a `Value` (by `diff`, `compare` and the renderers): `diff`
/// holds one old and one new target's facts at once, so this keeps them
/// under 768 MiB together, while leaving an app's facts six times the 64 MiB
/// an Info.plist may decode to by default (`--max-plist-decoded`).
pub const FACTS_DECODED: usize = 384 << 20;
/// Bytes of report text one target's facts may take: well above what an
/// app read within the default limits yields (a 64 MiB decoded Info.plist,
/// `--max-plist-decoded`), since the facts stream to the keeper; it bounds
/// the parser's buffer for one string of them.
pub const FACTS_BYTES: u64 = 256 << 20;

/// Why a saved report cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum SavedError {
    /// The file cannot be opened or read.
    #[error("cannot be read: {0}")]
    Io(#[source] io::Error),
    /// The file is not well-formed JSON, or a field has the wrong shape.
    #[error("is damaged: {0}")]
    Json(#[source] serde_json::Error),
    /// A part of the report is larger than the reader allows.
    #[error("has {part} larger than {budget} bytes, more than msgaudit writes")]
    OverBudget {
        /// Which part: `a catalog`, `target 3`, `the facts of target 3`, …
        part: String,
        /// The budget in bytes.
        budget: u64,
    },
    /// A part of the report decodes to more memory than the reader allows.
    #[error("has {part} taking more than {budget} bytes in memory, more than msgaudit writes")]
    OverDecoded {
        /// Which part: `a catalog`, `target 3`, `the facts of target 3`.
        part: String,
        /// The budget in bytes of memory.
        budget: usize,
    },
    /// A field every report has is missing.
    #[error("has no \"{0}\"")]
    Missing(&'static str),
    /// A target of the report is not a valid target.
    #[error("has a damaged target {index}: {source}")]
    Target {
        /// Index in `targets`.
        index: usize,
        /// What is wrong with it.
        #[source]
        source: serde_json::Error,
    },
    /// A catalog reference cannot be resolved.
    #[error("has a broken reference: {0}")]
    Catalog(#[from] CatalogError),
    /// The facts could not be stored in the keeper's temporary file.
    #[error("could not have its facts stored: {0}")]
    FactsStore(#[source] io::Error),
}

/// A [`SavedError`] with the report it is about.
#[derive(Debug, thiserror::Error)]
#[error("the saved report {} {error}", path.display())]
pub struct SavedReportError {
    /// The report file.
    pub path: PathBuf,
    /// What is wrong.
    #[source]
    pub error: SavedError,
}

impl SavedReportError {
    /// The error in German (the report's `error_de`): the same facts as the
    /// English text, with the parser's own wording quoted.
    pub fn german(&self) -> String {
        let report = format!("Der gespeicherte Bericht {}", self.path.display());
        match &self.error {
            SavedError::Io(e) => format!("{report} ist nicht lesbar: {}", io_german(e)),
            SavedError::Json(e) => format!("{report} ist beschädigt: {}", json_german(e)),
            SavedError::OverBudget { part, budget } => format!(
                "{report} überschreitet eine Grenze: mehr als {budget} Byte für {} \
                 (mehr, als ein von msgaudit geschriebener Bericht enthält)",
                part_german(part)
            ),
            SavedError::OverDecoded { part, budget } => format!(
                "{report} überschreitet eine Grenze: mehr als {budget} Byte Arbeitsspeicher \
                 für {} (mehr, als ein von msgaudit geschriebener Bericht braucht)",
                part_german(part)
            ),
            SavedError::Missing(field) => format!("{report} hat kein Feld \"{field}\""),
            SavedError::Target { index, source } => format!(
                "{report} ist beschädigt: Prüfobjekt {index} ist ungültig: {}",
                json_german(source)
            ),
            SavedError::Catalog(CatalogError::Missing {
                what,
                reference,
                target,
                result,
            }) => {
                let what = match *what {
                    "check" => "die Prüfung",
                    "message" => "die Meldung",
                    "evidence item" => "der Beleg",
                    "file" => "die Datei",
                    other => other,
                };
                format!(
                    "{report} verweist auf Einträge, die sein Katalog nicht enthält: \
                     Es fehlt {what} {reference} (Prüfobjekt {target}, Ergebnis {result})"
                )
            }
            SavedError::Catalog(CatalogError::TooLarge { target, budget }) => format!(
                "{report} überschreitet eine Grenze: Prüfobjekt {target} verweist auf \
                 Katalogtexte mit mehr als {budget} Byte Arbeitsspeicher (ein von msgaudit \
                 geschriebener Bericht verweist auf weit weniger)"
            ),
            SavedError::Catalog(CatalogError::NotAReport) => {
                format!("{report} ist kein JSON-Objekt mit einer Liste \"targets\"")
            }
            SavedError::FactsStore(e) => format!(
                "Die Fakten des gespeicherten Berichts {} ließen sich nicht \
                 zwischenspeichern: {}",
                self.path.display(),
                io_german(e)
            ),
        }
    }
}

/// A JSON parser error in German: where the text ends early, said so;
/// otherwise the parser's wording quoted, with its position in German.
fn json_german(e: &serde_json::Error) -> String {
    let at = format!("Zeile {}, Spalte {}", e.line(), e.column());
    if e.classify() == serde_json::error::Category::Eof {
        return format!("Die Datei endet mitten in einem JSON-Wert ({at})");
    }
    let text = e.to_string();
    let problem = text
        .strip_suffix(&format!(" at line {} column {}", e.line(), e.column()))
        .unwrap_or(&text);
    format!("JSON-Fehler „{problem}“ ({at})")
}

/// A part of a report (as [`SavedError::OverBudget`] names it) in German,
/// in the accusative ("für …").
fn part_german(part: &str) -> String {
    if let Some(n) = part.strip_prefix("the facts of target ") {
        return format!("die Fakten von Prüfobjekt {n}");
    }
    if let Some(n) = part.strip_prefix("target ") {
        return format!("Prüfobjekt {n}");
    }
    if let Some(field) = part.strip_prefix("a \"") {
        return format!("das Feld \"{field}");
    }
    match part {
        "a catalog" => "den Katalog".into(),
        "a top-level key" => "einen Schlüssel der obersten Ebene".into(),
        "a fleet summary" => "die Flottenübersicht".into(),
        other => format!("„{other}“"),
    }
}

/// The header of a saved report, read by [`open`]; its targets are read by
/// [`SavedReport::targets`].
#[derive(Debug)]
pub struct SavedReport {
    path: PathBuf,
    schema_version: String,
    tool: ToolInfo,
    profile: ProfileInfo,
    as_of: String,
    lang: Lang,
    skipped_files: usize,
    inputs: Vec<SupportingInput>,
    /// Whether the report holds devices (see [`SavedReport::has_fleet`]).
    has_fleet: bool,
    /// The catalog of a 2.0 report (1.x reports have none: their targets
    /// are read as written).
    catalog: Option<Catalog>,
}

/// The saved report at `path` (pass 1: header and catalog), or `None` when
/// the file is JSON but not a saved report (nor damaged JSON that begins
/// like one: whose top-level object has a `schema_version` before the
/// damage). Only the header fields and the catalog are held.
pub fn open(path: &Path) -> Result<Option<SavedReport>, SavedReportError> {
    let error = |error| SavedReportError {
        path: path.to_path_buf(),
        error,
    };
    let (meter, mut de) = reader(path).map_err(|e| error(SavedError::Io(e)))?;
    let cx = Context::new(meter);
    let walked = de
        .deserialize_map(HeadVisitor { cx: &cx })
        .and_then(|head| de.end().map(|()| head));
    let head = match walked {
        Ok(head) => head,
        Err(e) if cx.saw_schema_version.get() => return Err(error(cx.error(e))),
        Err(_) => return Ok(None),
    };
    if head.schema_version.is_none() || !head.targets {
        return Ok(None);
    }
    header(path, head).map(Some).map_err(error)
}

/// The saved report whose pass 1 gave `head`.
fn header(path: &Path, head: Head) -> Result<SavedReport, SavedError> {
    Ok(SavedReport {
        path: path.to_path_buf(),
        schema_version: head
            .schema_version
            .ok_or(SavedError::Missing("schema_version"))?,
        tool: head.tool.ok_or(SavedError::Missing("tool"))?,
        profile: head.profile.ok_or(SavedError::Missing("profile"))?,
        as_of: head.as_of.ok_or(SavedError::Missing("as_of"))?,
        lang: head.lang.ok_or(SavedError::Missing("lang"))?,
        skipped_files: head.skipped_files.unwrap_or(0),
        inputs: head.inputs.unwrap_or_default(),
        // A fleet of no devices (a run given only installed-app lists
        // besides apps) holds nothing but apps to read.
        has_fleet: head.fleet && head.fleet_devices != Some(0),
        catalog: head.catalog.map(Catalog::new),
    })
}

impl SavedReport {
    /// Whether the report has a `fleet` with devices (it was made from
    /// inventories). A `fleet` that counts no devices (its `devices` is 0,
    /// as when a run was given an installed-app list that matched no
    /// device) does not count: the report holds only apps.
    pub fn has_fleet(&self) -> bool {
        self.has_fleet
    }

    /// The report's profile, audit date and tool.
    pub fn header(&self) -> ReportHeader {
        ReportHeader {
            tool: self.tool.clone(),
            profile: self.profile.clone(),
            as_of: self.as_of.clone(),
        }
    }

    /// The report's targets in order (pass 2), each with its catalog
    /// references resolved and its facts kept by `keeper`.
    pub fn targets(&self, keeper: &FactsKeeper) -> Result<Vec<TargetAssessment>, SavedReportError> {
        self.read_targets(keeper, false).map(|(targets, _)| targets)
    }

    /// The whole report as an [`Assessment`] (pass 2 reads the `fleet` as
    /// well): the same as parsing the file whole, in bounded memory.
    pub fn assessment(self, keeper: &FactsKeeper) -> Result<Assessment, SavedReportError> {
        let (targets, fleet) = self.read_targets(keeper, true)?;
        let (devices, targets): (Vec<_>, Vec<_>) = targets
            .into_iter()
            .partition(|t| t.target.kind == TargetKind::Device);
        Ok(Assessment {
            schema_version: self.schema_version,
            tool: self.tool,
            profile: self.profile,
            as_of: self.as_of,
            lang: self.lang,
            targets,
            devices: DeviceStore::from_targets(devices),
            fleet,
            skipped_files: self.skipped_files,
            skipped_unrecognized: None,
            inputs: self.inputs,
        })
    }

    fn read_targets(
        &self,
        keeper: &FactsKeeper,
        with_fleet: bool,
    ) -> Result<(Vec<TargetAssessment>, Option<FleetSummary>), SavedReportError> {
        let error = |error| SavedReportError {
            path: self.path.clone(),
            error,
        };
        let (meter, mut de) = reader(&self.path).map_err(|e| error(SavedError::Io(e)))?;
        let cx = Context::new(meter);
        let visitor = BodyVisitor {
            cx: &cx,
            catalog: self.catalog.as_ref(),
            keeper,
            with_fleet,
        };
        de.deserialize_map(visitor).map_err(|e| error(cx.error(e)))
    }
}

type JsonReader = serde_json::de::IoRead<BufReader<Metered<File>>>;

/// Bytes the parser's buffer reads ahead: a budget is enforced within this.
const READ_AHEAD: usize = 1 << 16;

/// A JSON deserializer over the file at `path`, and the meter of its bytes.
/// The meter sits under the buffer (the parser reads a `BufReader` byte by
/// byte on its fast path), so it counts the bytes read ahead: a budget may
/// stop reading up to [`READ_AHEAD`] bytes early or late.
fn reader(path: &Path) -> io::Result<(Rc<Meter>, serde_json::Deserializer<JsonReader>)> {
    let file = File::open(path)?;
    let meter = Rc::new(Meter::default());
    let metered = Metered {
        inner: file,
        meter: Rc::clone(&meter),
    };
    let buffered = BufReader::with_capacity(READ_AHEAD, metered);
    Ok((meter, serde_json::Deserializer::from_reader(buffered)))
}

/// Counts the bytes read and stops reading past an armed limit.
#[derive(Debug)]
struct Meter {
    /// Bytes read so far.
    pos: Cell<u64>,
    /// Reading stops at this position.
    limit: Cell<u64>,
    /// What the armed limit is for, and its budget.
    armed: RefCell<Option<(String, u64)>>,
    /// Set when reading stopped at the limit.
    tripped: RefCell<Option<(String, u64)>>,
}

impl Default for Meter {
    fn default() -> Self {
        Meter {
            pos: Cell::new(0),
            limit: Cell::new(u64::MAX),
            armed: RefCell::new(None),
            tripped: RefCell::new(None),
        }
    }
}

impl Meter {
    /// Allows `budget` more bytes for `part`; returns what was armed before.
    fn arm(&self, part: String, budget: u64) -> Armed {
        let pos = self.pos.get();
        let before = Armed {
            left: self
                .limit
                .get()
                .checked_sub(pos)
                .filter(|_| self.limit.get() != u64::MAX),
            armed: self.armed.borrow().clone(),
        };
        self.limit.set(pos.saturating_add(budget));
        *self.armed.borrow_mut() = Some((part, budget));
        before
    }

    /// Restores what [`Meter::arm`] returned: the enclosing part has the
    /// bytes it had left when the nested part began (a nested part does not
    /// count against the enclosing one).
    fn restore(&self, before: Armed) {
        let limit = before
            .left
            .map_or(u64::MAX, |left| self.pos.get().saturating_add(left));
        self.limit.set(limit);
        *self.armed.borrow_mut() = before.armed;
    }
}

/// A meter's state before [`Meter::arm`].
struct Armed {
    /// Bytes the enclosing part had left (`None`: no limit).
    left: Option<u64>,
    armed: Option<(String, u64)>,
}

/// A reader whose bytes a [`Meter`] counts and limits.
struct Metered<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R: Read> Read for Metered<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let m = &self.meter;
        let left = m.limit.get().saturating_sub(m.pos.get());
        if left == 0 && !buf.is_empty() {
            *m.tripped.borrow_mut() = m.armed.borrow().clone();
            return Err(io::Error::other("over the reading budget"));
        }
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let read = self.inner.read(&mut buf[..n])?;
        m.pos.set(m.pos.get() + read as u64);
        Ok(read)
    }
}

/// State shared by the visitors of one pass: the meter, the first typed
/// error (serde passes only its text up), whether `schema_version` was seen.
struct Context {
    meter: Rc<Meter>,
    failure: RefCell<Option<SavedError>>,
    saw_schema_version: Cell<bool>,
}

impl Context {
    fn new(meter: Rc<Meter>) -> Context {
        Context {
            meter,
            failure: RefCell::new(None),
            saw_schema_version: Cell::new(false),
        }
    }

    /// Notes `error` (the first one counts) and turns it into serde's error.
    fn fail<E: de::Error>(&self, error: SavedError) -> E {
        let text = error.to_string();
        self.failure.borrow_mut().get_or_insert(error);
        E::custom(text)
    }

    /// The typed error behind `e`: a budget that stopped reading, an error
    /// noted by a visitor, or `e` itself.
    fn error(&self, e: serde_json::Error) -> SavedError {
        if let Some((part, budget)) = self.meter.tripped.borrow_mut().take() {
            return SavedError::OverBudget { part, budget };
        }
        if let Some(failure) = self.failure.borrow_mut().take() {
            return failure;
        }
        if e.is_io() {
            return SavedError::Io(io::Error::from(e));
        }
        SavedError::Json(e)
    }

    /// Runs `read` with `budget` bytes armed for `part`.
    fn within<T>(&self, part: impl Into<String>, budget: u64, read: impl FnOnce() -> T) -> T {
        let before = self.meter.arm(part.into(), budget);
        let out = read();
        self.meter.restore(before);
        out
    }
}

/// `e`, or when it is a decoded value over its budget, the error saying so
/// for `part`.
fn over_decoded<E: de::Error>(cx: &Context, e: E, part: impl Into<String>, budget: usize) -> E {
    if !is_over_budget(&e) {
        return e;
    }
    cx.fail(SavedError::OverDecoded {
        part: part.into(),
        budget,
    })
}

/// The top-level keys the reader looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    SchemaVersion,
    Tool,
    Profile,
    AsOf,
    Lang,
    Targets,
    Fleet,
    SkippedFiles,
    Inputs,
    Catalog,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
                Ok(match key {
                    "schema_version" => Key::SchemaVersion,
                    "tool" => Key::Tool,
                    "profile" => Key::Profile,
                    "as_of" => Key::AsOf,
                    "lang" => Key::Lang,
                    "targets" => Key::Targets,
                    "fleet" => Key::Fleet,
                    "skipped_files" => Key::SkippedFiles,
                    "inputs" => Key::Inputs,
                    "catalog" => Key::Catalog,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// The next top-level key, within [`HEAD_BYTES`].
fn next_key<'de, A: MapAccess<'de>>(cx: &Context, map: &mut A) -> Result<Option<Key>, A::Error> {
    cx.within("a top-level key", HEAD_BYTES, || map.next_key::<Key>())
}

/// What pass 1 keeps.
#[derive(Default)]
struct Head {
    schema_version: Option<String>,
    tool: Option<ToolInfo>,
    profile: Option<ProfileInfo>,
    as_of: Option<String>,
    lang: Option<Lang>,
    skipped_files: Option<usize>,
    inputs: Option<Vec<SupportingInput>>,
    targets: bool,
    fleet: bool,
    /// The fleet's count of devices (`fleet.devices`), when it is a number.
    fleet_devices: Option<u64>,
    catalog: Option<Value>,
}

struct HeadVisitor<'a> {
    cx: &'a Context,
}

/// Reads a report's `fleet` for its count of devices (`devices`, when a
/// whole number; `FleetDevices(true)`), or the value under `devices`
/// (`FleetDevices(false)`: the number, if it is one), passing over
/// everything else as it comes.
struct FleetDevices(bool);

impl<'de> DeserializeSeed<'de> for FleetDevices {
    type Value = Option<u64>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<u64>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FleetDevices {
    type Value = Option<u64>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fleet summary")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u64>, A::Error> {
        let mut devices = None;
        while let Some(key) = map.next_key::<String>()? {
            if self.0 && key == "devices" {
                devices = map.next_value_seed(FleetDevices(false))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(devices)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<u64>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<u64>, E> {
        Ok((!self.0).then_some(n))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }
}

impl<'de> Visitor<'de> for HeadVisitor<'_> {
    type Value = Head;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Head, A::Error> {
        let cx = self.cx;
        let mut head = Head::default();
        let small = |part| (part, HEAD_BYTES);
        while let Some(key) = next_key(cx, &mut map)? {
            let (part, budget) = match key {
                Key::Catalog => ("a catalog", CATALOG_BYTES),
                Key::SchemaVersion => small("a \"schema_version\""),
                Key::Tool => small("a \"tool\""),
                Key::Profile => small("a \"profile\""),
                Key::AsOf => small("an \"as_of\""),
                Key::Lang => small("a \"lang\""),
                Key::SkippedFiles => small("a \"skipped_files\""),
                Key::Inputs => small("an \"inputs\""),
                Key::Fleet => {
                    head.fleet = true;
                    // Keys are read into memory: within the fleet's budget.
                    head.fleet_devices = cx.within("a fleet summary", FLEET_BYTES, || {
                        map.next_value_seed(FleetDevices(true))
                    })?;
                    continue;
                }
                Key::Targets | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                    head.targets |= key == Key::Targets;
                    continue;
                }
            };
            if key == Key::SchemaVersion {
                cx.saw_schema_version.set(true);
            }
            cx.within(part, budget, || -> Result<(), A::Error> {
                match key {
                    Key::SchemaVersion => head.schema_version = Some(map.next_value()?),
                    Key::Tool => head.tool = Some(map.next_value()?),
                    Key::Profile => head.profile = Some(map.next_value()?),
                    Key::AsOf => head.as_of = Some(map.next_value()?),
                    Key::Lang => head.lang = Some(map.next_value()?),
                    Key::SkippedFiles => head.skipped_files = Some(map.next_value()?),
                    Key::Inputs => head.inputs = Some(map.next_value()?),
                    _ => {
                        let left = Cell::new(CATALOG_DECODED);
                        let seed = ValueSeed { left: &left };
                        let catalog = map
                            .next_value_seed(seed)
                            .map_err(|e| over_decoded(cx, e, "a catalog", CATALOG_DECODED))?;
                        head.catalog = Some(catalog);
                    }
                }
                Ok(())
            })?;
        }
        Ok(head)
    }
}

/// Pass 2: the targets (and the fleet, when asked for); the rest is skipped.
struct BodyVisitor<'a> {
    cx: &'a Context,
    catalog: Option<&'a Catalog>,
    keeper: &'a FactsKeeper,
    with_fleet: bool,
}

impl<'de> Visitor<'de> for BodyVisitor<'_> {
    type Value = (Vec<TargetAssessment>, Option<FleetSummary>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        let mut targets = Vec::new();
        let mut fleet = None;
        while let Some(key) = next_key(cx, &mut map)? {
            match key {
                Key::Targets => {
                    targets = map.next_value_seed(TargetsSeed {
                        cx,
                        catalog: self.catalog,
                        keeper: self.keeper,
                    })?;
                }
                Key::Fleet if self.with_fleet => {
                    fleet = cx.within("a fleet summary", FLEET_BYTES, || map.next_value())?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((targets, fleet))
    }
}

struct TargetsSeed<'a> {
    cx: &'a Context,
    catalog: Option<&'a Catalog>,
    keeper: &'a FactsKeeper,
}

impl<'de> DeserializeSeed<'de> for TargetsSeed<'_> {
    type Value = Vec<TargetAssessment>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TargetsSeed<'_> {
    type Value = Vec<TargetAssessment>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of targets")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut targets = Vec::new();
        loop {
            let index = targets.len();
            let seed = TargetSeed {
                cx: self.cx,
                index,
                keeper: self.keeper,
            };
            let read = self
                .cx
                .within(format!("target {index}"), TARGET_BYTES, || {
                    seq.next_element_seed(seed)
                })?;
            let Some((mut json, facts)) = read else {
                return Ok(targets);
            };
            if let Some(catalog) = self.catalog {
                catalog::expand_target(&mut json, index, catalog, EXPANDED_DECODED)
                    .map_err(|e| self.cx.fail(SavedError::Catalog(e)))?;
            }
            let mut target: TargetAssessment = serde_json::from_value(json)
                .map_err(|source| self.cx.fail(SavedError::Target { index, source }))?;
            target.facts = facts;
            targets.push(target);
        }
    }
}

/// One target: its JSON without the facts (and without `coverage` and
/// `profile`, which are derived again), and its facts as kept.
struct TargetSeed<'a> {
    cx: &'a Context,
    index: usize,
    keeper: &'a FactsKeeper,
}

impl<'de> DeserializeSeed<'de> for TargetSeed<'_> {
    type Value = (Value, Option<KeptFacts>);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TargetSeed<'_> {
    type Value = (Value, Option<KeptFacts>);

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a target object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let cx = self.cx;
        let mut fields = Map::new();
        let left = Cell::new(TARGET_DECODED);
        let mut facts = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "facts" => {
                    let seed = FactsSeed {
                        cx,
                        index: self.index,
                        keeper: self.keeper,
                    };
                    let part = format!("the facts of target {}", self.index);
                    facts = cx.within(part, FACTS_BYTES, || map.next_value_seed(seed))?;
                }
                "coverage" | "profile" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => {
                    let value = map
                        .next_value_seed(ValueSeed { left: &left })
                        .map_err(|e| {
                            let part = format!("target {}", self.index);
                            over_decoded(cx, e, part, TARGET_DECODED)
                        })?;
                    fields.insert(key, value);
                }
            }
        }
        Ok((Value::Object(fields), facts))
    }
}

/// A target's facts, copied from the parser into their compact text as kept
/// by the keeper (`null` is no facts, as when the report is parsed whole),
/// within [`FACTS_DECODED`] of the memory the text decodes to.
struct FactsSeed<'a> {
    cx: &'a Context,
    /// The target's index in `targets`.
    index: usize,
    keeper: &'a FactsKeeper,
}

impl<'de> DeserializeSeed<'de> for FactsSeed<'_> {
    type Value = Option<KeptFacts>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for FactsSeed<'_> {
    type Value = Option<KeptFacts>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("the target's facts")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        /// Why copying stopped: the parser's error, the keeper's file, or
        /// the text decoding to more than [`FACTS_DECODED`].
        enum Copy {
            Json(serde_json::Error),
            Store(io::Error),
            Decoded,
        }
        impl From<io::Error> for Copy {
            fn from(e: io::Error) -> Self {
                Copy::Store(e)
            }
        }
        let transcoder = serde_transcode::Transcoder::new(d);
        let kept = self.keeper.keep_with(|w| {
            let mut costed = CostedWriter::new(w, FACTS_DECODED);
            let copied = transcoder.serialize(&mut serde_json::Serializer::new(&mut costed));
            if costed.is_over_budget() {
                return Err(Copy::Decoded);
            }
            copied.map_err(Copy::Json)
        });
        match kept {
            Ok(kept) => Ok(Some(kept)),
            Err(Copy::Json(e)) if e.is_io() => {
                Err(self.cx.fail(SavedError::FactsStore(io::Error::from(e))))
            }
            Err(Copy::Json(e)) => Err(de::Error::custom(e)),
            Err(Copy::Store(e)) => Err(self.cx.fail(SavedError::FactsStore(e))),
            Err(Copy::Decoded) => Err(self.cx.fail(SavedError::OverDecoded {
                part: format!("the facts of target {}", self.index),
                budget: FACTS_DECODED,
            })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn german(error: SavedError) -> String {
        SavedReportError {
            path: PathBuf::from("r.json"),
            error,
        }
        .german()
    }

    #[test]
    fn an_unreadable_report_says_why_in_german_words() {
        assert_eq!(
            german(SavedError::Io(io::Error::from_raw_os_error(2))),
            "Der gespeicherte Bericht r.json ist nicht lesbar: Datei oder Ordner nicht \
             gefunden (Systemfehler 2)"
        );
        // A read error reaches the report through serde_json with its kind.
        let dir = std::env::temp_dir();
        let parsed = serde_json::from_reader::<_, Value>(File::open(&dir).unwrap()).unwrap_err();
        assert!(parsed.is_io());
        assert!(german(SavedError::Io(io::Error::from(parsed)))
            .ends_with("ist nicht lesbar: ist ein Ordner (Systemfehler 21)"));
    }

    #[test]
    fn errors_read_in_german_with_their_figures() {
        let eof = serde_json::from_str::<serde_json::Value>("{\"a\": [1,").unwrap_err();
        assert_eq!(
            german(SavedError::Json(eof)),
            "Der gespeicherte Bericht r.json ist beschädigt: Die Datei endet mitten in einem \
             JSON-Wert (Zeile 1, Spalte 9)"
        );
        let syntax = serde_json::from_str::<serde_json::Value>("{\"a\": x}").unwrap_err();
        assert_eq!(
            german(SavedError::Json(syntax)),
            "Der gespeicherte Bericht r.json ist beschädigt: JSON-Fehler „expected value“ \
             (Zeile 1, Spalte 7)"
        );
        for (part, de) in [
            ("a catalog", "den Katalog"),
            ("target 3", "Prüfobjekt 3"),
            ("the facts of target 3", "die Fakten von Prüfobjekt 3"),
            ("a \"tool\"", "das Feld \"tool\""),
            ("a top-level key", "einen Schlüssel der obersten Ebene"),
            ("a fleet summary", "die Flottenübersicht"),
        ] {
            let text = german(SavedError::OverBudget {
                part: part.into(),
                budget: 16,
            });
            assert!(
                text.contains(&format!("mehr als 16 Byte für {de} (")),
                "{text}"
            );
        }
        let missing = german(SavedError::Catalog(CatalogError::Missing {
            what: "evidence item",
            reference: "7".into(),
            target: 2,
            result: 1,
        }));
        assert!(
            missing.ends_with("Es fehlt der Beleg 7 (Prüfobjekt 2, Ergebnis 1)"),
            "{missing}"
        );
    }
}
