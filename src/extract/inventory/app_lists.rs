//! Apple MDM `InstalledApplicationList` responses given to a scan as files
//! of their own (one per device, the device's `UDID` in the response): read
//! into one bounded index before the device lists stream, and joined to the
//! device with the same (pseudonymized) UDID from any export of the scan,
//! which then knows its installed messengers.
//!
//! Decisions (documented in `docs/facts-inventory.md`):
//! - an app is matched by its `Identifier` (bundle id), else by its whole
//!   `Name` ([`super::messengers::recognise`]);
//! - a device's own app list (from its export) and the lists of the files
//!   that name it are united (a messenger any of them names is on the
//!   device); lists that disagree are kept as a field conflict of the
//!   device (`installed_messengers`), each with the export or file and
//!   response it comes from, so the report shows the disagreement;
//! - a response with `Status` other than `Acknowledged`, or without `UDID`,
//!   tells nothing: such a file is an error when it holds no usable list;
//! - lists of one device in several files are each that file's list (a
//!   file is used when a device takes any of its lists) and are united
//!   when the device takes them, as several lists of one device in one
//!   file are (the messengers are unknown when those of any list are);
//! - a list whose device is not in the scan is reported after the scan,
//!   never silently dropped: a file none of whose lists found its device
//!   is an error ([`AppListIndex::unmatched`]); a file some of whose lists
//!   found theirs was used, and how many of its lists found none is told
//!   for information ([`AppListIndex::left_over`]);
//! - a response that gives a key twice in one dictionary with different
//!   values (two `Identifier`s of one app, say) gives no messengers (they
//!   are unknown, whichever value another reader would keep): the export
//!   whose device takes it is told, naming the key and both values;
//! - a response that gives no list (an error status such as `NotNow`, no
//!   `UDID`, no list) is noted for its file: the first export whose device
//!   takes a list of the file is told, once per scan, else the file's own
//!   row; a response whose list cannot be read leaves the messengers of the
//!   device it names unknown (even when another response lists them), and
//!   that device's export is told.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use thiserror::Error;

use super::note::{AppListSkip, Note};
use super::pseudonym::{IdKind, Pseudonymizer};
use super::record::scalar_text;
use super::ws1_apps::{self, Unusable};
use crate::facts::{Device, DeviceSource, FieldConflict, SourceValue};

/// Most bytes of app-list files read in one scan (decoded plist bytes are
/// bounded per file by the plist reader's own budget): over it is an error,
/// never a silent truncation.
pub const APP_LIST_BUDGET: u64 = 256 << 20;

/// The response key that holds the list.
const KEY: &str = "InstalledApplicationList";

/// Whether the head of a file is an Apple MDM `InstalledApplicationList`
/// response and no device response (a property list naming the list, with
/// neither `QueryResponses` nor `SecurityInfo`).
pub fn sniff(head: &[u8]) -> bool {
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let plist = head.starts_with(b"bplist00") || has(b"<plist");
    plist && has(KEY.as_bytes()) && !has(b"QueryResponses") && !has(b"SecurityInfo")
}

/// Whether a file of `kind` whose head is `head` is an installed-app list
/// joined to the devices of other files (Apple MDM `InstalledApplicationList`
/// responses, Workspace ONE `DeviceApps`/`app_items` responses), not a device export.
pub fn is_app_list(kind: crate::extract::kind::Kind, head: &[u8]) -> bool {
    use crate::extract::kind::Kind;
    match kind {
        Kind::Inventory(super::Format::AppleMdm) => sniff(head),
        Kind::Inventory(_) | Kind::Unknown => ws1_apps::sniff(head),
        _ => false,
    }
}

/// Why an app-list file could not be used.
#[derive(Debug, Error)]
pub enum AppListError {
    /// The file could not be read or parsed.
    #[error("{file}: installed-app list not readable: {reason}")]
    Read {
        /// The file.
        file: String,
        /// What went wrong.
        reason: String,
    },
    /// No acknowledged `InstalledApplicationList` response with a `UDID`.
    #[error(
        "{file}: no acknowledged Apple MDM InstalledApplicationList response with a UDID in it"
    )]
    NoList {
        /// The file.
        file: String,
    },
    /// A Workspace ONE app-list response that gives no list of a named device.
    #[error("{file}: {}", ws1_reason(*why).0)]
    Ws1 {
        /// The file.
        file: String,
        /// Why.
        why: Unusable,
    },
    /// The files of the scan exceed [`APP_LIST_BUDGET`].
    #[error(
        "{file}: the installed-app lists of this scan exceed {budget} bytes; scan fewer at once"
    )]
    OverBudget {
        /// The file that went over.
        file: String,
        /// The budget.
        budget: u64,
    },
}

impl AppListError {
    /// The message in German.
    pub fn message_de(&self) -> String {
        match self {
            AppListError::Read { file, reason } => {
                format!("{file}: Liste installierter Apps nicht lesbar: {reason}")
            }
            AppListError::NoList { file } => format!(
                "{file}: keine bestätigte Apple-MDM-Antwort InstalledApplicationList mit UDID enthalten"
            ),
            AppListError::Ws1 { file, why } => format!("{file}: {}", ws1_reason(*why).1),
            AppListError::OverBudget { file, budget } => format!(
                "{file}: Die Listen installierter Apps dieses Prüflaufs überschreiten {budget} Bytes; bitte weniger auf einmal prüfen"
            ),
        }
    }
}

/// Why a Workspace ONE app-list file gives no list (English, German).
fn ws1_reason(why: Unusable) -> (&'static str, &'static str) {
    match why {
        Unusable::NamesNoDevice => (
            "a Workspace ONE DeviceApps response none of whose entries names its device (DeviceId), so it cannot be joined to a device and was not used",
            "eine Workspace-ONE-Antwort DeviceApps, deren Einträge ihr Gerät nicht nennen (DeviceId); sie lässt sich keinem Gerät zuordnen und blieb unberücksichtigt",
        ),
        Unusable::SearchNamesNoDevice => (
            "a Workspace ONE apps/search response (app_items) names no device (only its request URL does), so it cannot be joined to a device and is not read; export GET /API/mdm/devices/{id}/apps instead, whose entries name their device",
            "eine Workspace-ONE-Antwort apps/search (app_items) nennt kein Gerät (nur ihre Anfrage-URL), lässt sich also keinem Gerät zuordnen und wird nicht gelesen; bitte stattdessen die Antwort von GET /API/mdm/devices/{id}/apps exportieren, deren Einträge ihr Gerät nennen",
        ),
        Unusable::NoList => (
            "no Workspace ONE DeviceApps list in it",
            "keine Workspace-ONE-Liste DeviceApps enthalten",
        ),
    }
}

/// One device's list.
#[derive(Debug)]
struct Entry {
    /// Messenger ids, sorted, without repeats; `None` when a list of the
    /// device tells no clear fact (see [`AppListIndex::notes`]).
    messengers: Option<Vec<String>>,
    /// Whether the device may have more apps than its lists name (entries
    /// of a response that name no device).
    partial: bool,
    /// Each clear list united into `messengers`, with the response
    /// (numbered from 1) it was read from: the evidence when the lists of
    /// a device disagree ([`AppListIndex::apply`]).
    lists: Vec<(u64, Vec<String>)>,
    /// What the export whose device takes the list is told.
    notes: Vec<Note>,
    /// Apps the list holds.
    apps: usize,
    /// The file it came from.
    file: String,
    /// How the list names its device: `UDID …` or `device id …`
    /// (pseudonymized), for the message when no device takes it.
    label: String,
    /// Whether a Workspace ONE device id names the device (else its UDID).
    ws1: bool,
    /// Whether a device of the scan took it.
    matched: AtomicBool,
    /// Whether an export has been told `notes` ([`AppListIndex::notes_once`]).
    told: AtomicBool,
}

/// A file none of whose lists found its device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unjoined {
    /// The file.
    pub file: String,
    /// The (pseudonymized) UDIDs of its Apple MDM lists left over, sorted.
    pub udids: Vec<String>,
    /// The (pseudonymized) device ids of its Workspace ONE lists left over, sorted.
    pub ws1_ids: Vec<String>,
    /// What reading the file noted: of the file (responses skipped) and of
    /// its lists left over (keys given twice), in the file's order. With no
    /// device to take them, they go with the file's own error row.
    pub notes: Vec<Note>,
}

/// The app lists of a scan, by pseudonymized UDID (Apple MDM) and by
/// pseudonymized Workspace ONE device id (`Id.Value` or `Uuid`): under one
/// id, one list per file that names it, in the order the files were read.
#[derive(Debug)]
pub struct AppListIndex {
    pn: Pseudonymizer,
    budget: u64,
    used: u64,
    entries: Vec<Entry>,
    by_udid: HashMap<String, Vec<usize>>,
    by_ws1: HashMap<String, Vec<usize>>,
    /// Notes of a file as a whole (responses skipped), by file name.
    file_notes: HashMap<String, FileNotes>,
}

/// What reading a file noted of the file as a whole.
#[derive(Debug, Default)]
struct FileNotes {
    /// The responses skipped, in the file's order.
    notes: Vec<Note>,
    /// Whether an export has been told them ([`AppListIndex::file_notes_once`]).
    told: AtomicBool,
}

impl AppListIndex {
    /// An empty index pseudonymizing UDIDs like the device readers, holding
    /// at most `budget` bytes of files.
    pub fn new(pn: Pseudonymizer, budget: u64) -> Self {
        AppListIndex {
            pn,
            budget,
            used: 0,
            entries: Vec::new(),
            by_udid: HashMap::new(),
            by_ws1: HashMap::new(),
            file_notes: HashMap::new(),
        }
    }

    /// Whether no list was read.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Reads one file named `file`: an Apple MDM `InstalledApplicationList`
    /// response or an array of them (XML or binary plist), or a Workspace ONE
    /// `DeviceApps` response or an array of them (JSON).
    pub fn read(
        &mut self,
        file: &str,
        input: &mut dyn Read,
        limits: &crate::limits::Limits,
    ) -> Result<(), AppListError> {
        let fail = |reason: String| AppListError::Read {
            file: file.to_string(),
            reason,
        };
        let left = self.budget.saturating_sub(self.used);
        let max = left.min(super::apple_mdm::MAX_PLIST);
        let mut bytes = Vec::new();
        input
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| fail(e.to_string()))?;
        if bytes.len() as u64 > max {
            return Err(if max < super::apple_mdm::MAX_PLIST {
                AppListError::OverBudget {
                    file: file.to_string(),
                    budget: self.budget,
                }
            } else {
                fail(super::InventoryError::PlistTooLarge(max).to_string())
            });
        }
        self.used = self.used.saturating_add(bytes.len() as u64);
        if ws1_apps::sniff(&bytes[..bytes.len().min(super::HEAD_BYTES)]) {
            return self.read_ws1(file, bytes);
        }
        let (root, repeats) =
            super::apple_mdm::to_value_noting(&bytes, limits).map_err(|e| fail(e.to_string()))?;
        drop(bytes);
        let (responses, array) = match root {
            Value::Array(a) => (a, true),
            other => (vec![other], false),
        };
        // Keys a response gives twice with different values, by response.
        let mut notes: HashMap<usize, Vec<Note>> = HashMap::new();
        for r in repeats.listed {
            let i = r.element.unwrap_or(0);
            notes.entry(i).or_default().push(Note::AppListRepeat {
                file: file.to_string(),
                response: i.saturating_add(1) as u64,
                values: super::apple_mdm::shown(&r.path, r.values),
                key: r.path,
            });
        }
        let mut read = 0usize;
        // Responses that tell nothing, noted for the file.
        let mut skipped: Vec<Note> = Vec::new();
        for (i, r) in responses.iter().enumerate() {
            // Any repeat, listed or only counted, leaves the list unclear.
            let unclear = repeats.elements.contains(&array.then_some(i));
            let acknowledged = r
                .get("Status")
                .and_then(scalar_text)
                .is_none_or(|s| s == "Acknowledged");
            // A UDID given twice: the list goes to whichever device is in
            // the scan (its messengers unknown), so the note is seen.
            let udids: Vec<String> = match r.get("UDID") {
                Some(Value::Array(a)) => a.iter().filter_map(scalar_text).collect(),
                other => other.and_then(scalar_text).into_iter().collect(),
            };
            let response = i.saturating_add(1) as u64;
            let skip = |why| Note::AppListSkipped {
                file: file.to_string(),
                response,
                why,
            };
            if !acknowledged {
                // The device answered with an error status: no list, and
                // its messengers are not known from this response.
                if let Some(status) = r.get("Status").and_then(scalar_text) {
                    skipped.push(skip(AppListSkip::Answered(status)));
                }
                continue;
            }
            let Some(list) = r.get(KEY) else {
                skipped.push(skip(AppListSkip::NoList));
                continue;
            };
            let keys: Vec<String> = udids
                .iter()
                .filter_map(|u| self.pn.apply(IdKind::Udid, u))
                .collect();
            if keys.is_empty() {
                skipped.push(skip(AppListSkip::NoUdid));
                continue;
            }
            let mut said = notes.remove(&i).unwrap_or_default();
            let (messengers, apps) =
                match super::messengers::in_app_list(list, &["Identifier"], &["Name"]) {
                    Some((m, apps)) => (Some(m).filter(|_| !unclear), apps),
                    None => {
                        // Not a list of app entries: the device it names
                        // keeps unknown messengers, and its export is told.
                        if !unclear {
                            said.push(skip(AppListSkip::Unreadable));
                        }
                        (None, list.as_array().map_or(0, Vec::len))
                    }
                };
            if unclear && said.is_empty() {
                said.push(Note::MoreRepeatedKeys(repeats.more));
            }
            read += 1;
            let _ = self.add(false, &keys, messengers, (apps, response), file, said);
        }
        if read == 0 {
            return Err(AppListError::NoList {
                file: file.to_string(),
            });
        }
        if !skipped.is_empty() {
            self.file_notes
                .entry(file.to_string())
                .or_default()
                .notes
                .extend(skipped);
        }
        Ok(())
    }

    /// Reads a Workspace ONE `DeviceApps` file (at most [`ws1_apps::MAX_WS1_APPS`] bytes).
    fn read_ws1(&mut self, file: &str, bytes: Vec<u8>) -> Result<(), AppListError> {
        let fail = |reason: String| AppListError::Read {
            file: file.to_string(),
            reason,
        };
        if bytes.len() as u64 > ws1_apps::MAX_WS1_APPS {
            return Err(fail(format!(
                "a Workspace ONE app list larger than {} bytes; split it into files of one device each",
                ws1_apps::MAX_WS1_APPS
            )));
        }
        let root: Value = serde_json::from_slice(&bytes).map_err(|e| fail(e.to_string()))?;
        drop(bytes);
        let lists = ws1_apps::lists(&root).map_err(|why| AppListError::Ws1 {
            file: file.to_string(),
            why,
        })?;
        let skip = |response: u64, why: AppListSkip| Note::AppListSkipped {
            file: file.to_string(),
            response,
            why,
        };
        for l in lists.lists {
            let keys: Vec<String> = [l.device.id, l.device.uuid]
                .iter()
                .flatten()
                .filter_map(|v| self.pn.apply(IdKind::DeviceId, v))
                .collect();
            // Entries beside the device's that name no device may be its
            // apps: the messengers named are on it, others may be too, and
            // its export is told.
            let notes: Vec<Note> = l
                .unnamed
                .iter()
                .map(|&(response, n)| skip(response, AppListSkip::EntriesWithoutDevice(n)))
                .collect();
            let partial = !notes.is_empty();
            if !keys.is_empty() {
                let at = (l.apps, l.response);
                let i = self.add(true, &keys, Some(l.messengers), at, file, notes);
                if let Some(e) = self.entries.get_mut(i) {
                    e.partial |= partial;
                }
            }
        }
        if !lists.unnamed.is_empty() {
            self.file_notes
                .entry(file.to_string())
                .or_default()
                .notes
                .extend(
                    lists
                        .unnamed
                        .iter()
                        .map(|&(response, n)| skip(response, AppListSkip::NoEntryNamesDevice(n))),
                );
        }
        Ok(())
    }

    /// Adds a device's list under `keys` (UDID, or Workspace ONE ids); a
    /// later list of the same device in the same file adds to the earlier
    /// one (the messengers are unknown when those of either are); a list of
    /// the device in another file is that file's own entry, so that each
    /// file is told as used when the device takes its list.
    fn add(
        &mut self,
        ws1: bool,
        keys: &[String],
        messengers: Option<Vec<String>>,
        (apps, response): (usize, u64),
        file: &str,
        notes: Vec<Note>,
    ) -> usize {
        let map = if ws1 {
            &mut self.by_ws1
        } else {
            &mut self.by_udid
        };
        let entries = &self.entries;
        let of_file = keys
            .iter()
            .filter_map(|k| map.get(k))
            .flatten()
            .copied()
            .find(|&i| entries.get(i).is_some_and(|e| e.file == file));
        let i = match of_file {
            Some(i) => i,
            None => {
                self.entries.push(Entry {
                    messengers: Some(Vec::new()),
                    partial: false,
                    lists: Vec::new(),
                    notes: Vec::new(),
                    apps: 0,
                    file: file.to_string(),
                    label: keys.first().cloned().unwrap_or_default(),
                    ws1,
                    matched: AtomicBool::new(false),
                    told: AtomicBool::new(false),
                });
                self.entries.len() - 1
            }
        };
        for k in keys {
            let under = map.entry(k.clone()).or_default();
            if !under.contains(&i) {
                under.push(i);
            }
        }
        if let Some(e) = self.entries.get_mut(i) {
            if let Some(list) = &messengers {
                e.lists.push((response, list.clone()));
            }
            match (&mut e.messengers, messengers) {
                (Some(known), Some(more)) => {
                    known.extend(more);
                    known.sort();
                    known.dedup();
                }
                (known, _) => *known = None,
            }
            e.notes.extend(notes);
            e.apps = e.apps.saturating_add(apps);
        }
        i
    }

    /// Gives `d` the lists of its UDID and, for a device of a Workspace ONE
    /// export (`workspace_one`), of its Workspace ONE device id, from every
    /// file that lists it, united with the list of its own export (`export`:
    /// the export's format name and file) when that has one; its messengers
    /// are unknown when any list it takes is unclear. Lists that disagree
    /// become a [`FieldConflict`] of `installed_messengers`, each list with
    /// where it comes from. Gives the lists taken (for
    /// [`AppListIndex::notes_once`]).
    pub fn apply(&self, d: &mut Device, workspace_one: bool, export: (&str, &str)) -> Vec<usize> {
        let by_udid = d
            .identifiers
            .udid
            .as_deref()
            .and_then(|u| self.by_udid.get(u));
        let by_ws1 = d
            .identifiers
            .device_id
            .as_deref()
            .filter(|_| workspace_one)
            .and_then(|id| self.by_ws1.get(id));
        let taken: Vec<usize> = [by_udid, by_ws1]
            .into_iter()
            .flatten()
            .flatten()
            .copied()
            .collect();
        if taken.is_empty() {
            return taken;
        }
        let entries: Vec<&Entry> = taken.iter().filter_map(|&i| self.entries.get(i)).collect();
        let mut found: Vec<String> = d.installed_messengers.clone().unwrap_or_default();
        let (mut unclear, mut partial) = (false, d.installed_messengers_partial);
        for e in &entries {
            e.matched.store(true, Ordering::Relaxed);
            partial |= e.partial;
            match &e.messengers {
                Some(m) => found.extend(m.iter().cloned()),
                None => unclear = true,
            }
        }
        if unclear {
            // A list that tells no clear fact: which messengers the device
            // has is unknown, as its export is told.
            d.installed_messengers = None;
            d.installed_messengers_partial = false;
            return taken;
        }
        let lists = entries.iter().map(|e| e.lists.len()).sum::<usize>()
            + usize::from(d.installed_messengers.is_some());
        if lists > 1 {
            let values = Self::lists_of(d, &entries, export);
            if values.iter().any(|v| v.value != values[0].value) {
                d.conflicts.push(FieldConflict {
                    field: "installed_messengers".to_string(),
                    values,
                });
            }
        }
        found.sort();
        found.dedup();
        d.installed_messengers = Some(found);
        d.installed_messengers_partial = partial;
        taken
    }

    /// Each list `d` takes, as text, with where it comes from: its own
    /// export's first (`export`: format name and file), then the files'
    /// in the order read.
    fn lists_of(d: &Device, entries: &[&Entry], export: (&str, &str)) -> Vec<SourceValue> {
        let own = d.installed_messengers.as_deref().map(|m| SourceValue {
            value: crate::facts::messengers_text(m),
            source: DeviceSource {
                format: export.0.to_string(),
                file: export.1.to_string(),
                record: d.record.clone(),
                last_check_in: d.last_check_in.clone(),
            },
        });
        let listed = entries.iter().flat_map(|e| {
            e.lists.iter().map(|(response, m)| SourceValue {
                value: crate::facts::messengers_text(m),
                source: DeviceSource {
                    format: if e.ws1 { "workspace-one" } else { "apple-mdm" }.to_string(),
                    file: e.file.clone(),
                    record: format!("response {response}"),
                    last_check_in: None,
                },
            })
        });
        own.into_iter().chain(listed).collect()
    }

    /// What the export whose device takes list `i` (from
    /// [`AppListIndex::apply`]) is told about it: keys its file gives twice.
    pub fn notes(&self, i: usize) -> &[Note] {
        self.entries.get(i).map_or(&[], |e| e.notes.as_slice())
    }

    /// [`AppListIndex::notes`] the first time any export's device takes
    /// list `i`, nothing after that: a device that several exports list is
    /// one device of the scan (see `pipeline::dedupe`), and what its list
    /// says is told once (the exports are read in order, so the export told
    /// is the same each run).
    pub fn notes_once(&self, i: usize) -> &[Note] {
        match self.entries.get(i) {
            Some(e) if !e.notes.is_empty() && !e.told.swap(true, Ordering::Relaxed) => &e.notes,
            _ => &[],
        }
    }

    /// What the export whose device takes list `i` (from
    /// [`AppListIndex::apply`]) is told about the list's file as a whole
    /// (its responses that gave no list): the first time any export's
    /// device takes a list of that file, nothing after that (the exports
    /// are read in order, so the first export told is the same each run).
    pub fn file_notes_once(&self, i: usize) -> &[Note] {
        let Some(f) = self
            .entries
            .get(i)
            .and_then(|e| self.file_notes.get(&e.file))
        else {
            return &[];
        };
        if f.told.swap(true, Ordering::Relaxed) {
            &[]
        } else {
            &f.notes
        }
    }

    /// The names of the files some list of which a device of the scan took.
    fn files_taken(&self) -> std::collections::HashSet<&str> {
        self.entries
            .iter()
            .filter(|e| e.matched.load(Ordering::Relaxed))
            .map(|e| e.file.as_str())
            .collect()
    }

    /// The files none of whose lists a device of the scan took, each once,
    /// with the (pseudonymized) ids left over; the notes of the file as a
    /// whole when no export was told them ([`AppListIndex::file_notes_once`]).
    /// A file some list of which was taken is not among them: it was used,
    /// and its lists left over are told by [`AppListIndex::left_over`].
    pub fn unmatched(&self) -> Vec<Unjoined> {
        let taken = self.files_taken();
        let mut by_file: std::collections::BTreeMap<&str, Unjoined> = Default::default();
        for e in self
            .entries
            .iter()
            .filter(|e| !taken.contains(e.file.as_str()))
        {
            let u = by_file.entry(&e.file).or_insert_with(|| Unjoined {
                file: e.file.clone(),
                udids: Vec::new(),
                ws1_ids: Vec::new(),
                notes: self
                    .file_notes
                    .get(&e.file)
                    .filter(|f| !f.told.load(Ordering::Relaxed))
                    .map(|f| f.notes.clone())
                    .unwrap_or_default(),
            });
            u.notes.extend(e.notes.iter().cloned());
            if e.ws1 {
                u.ws1_ids.push(e.label.clone());
            } else {
                u.udids.push(e.label.clone());
            }
        }
        by_file
            .into_values()
            .map(|mut u| {
                u.udids.sort();
                u.ws1_ids.sort();
                // The file's notes and its lists' in the file's order (a
                // stable sort: notes of one response keep theirs).
                u.notes
                    .sort_by_key(|n| n.app_list_response().unwrap_or(u64::MAX));
                u
            })
            .collect()
    }

    /// For each file some list of which a device of the scan took while
    /// others found no device ([`Note::AppListsLeftOver`], by file name):
    /// how many devices its lists name and how many of them no export of
    /// the scan lists. Lists naming devices retired between two exports
    /// are usual, so this is information, not an error; the ids are not
    /// told (their count is what matters).
    pub fn left_over(&self) -> Vec<Note> {
        let taken = self.files_taken();
        let mut by_file: std::collections::BTreeMap<&str, (u64, u64)> = Default::default();
        for e in self
            .entries
            .iter()
            .filter(|e| taken.contains(e.file.as_str()))
        {
            let (devices, left) = by_file.entry(&e.file).or_default();
            *devices += 1;
            if !e.matched.load(Ordering::Relaxed) {
                *left += 1;
            }
        }
        by_file
            .into_iter()
            .filter(|(_, (_, left))| *left > 0)
            .map(|(file, (devices, left))| Note::AppListsLeftOver {
                file: file.to_string(),
                devices,
                left,
            })
            .collect()
    }

    /// The message for a list given without any device export (`msgaudit
    /// facts` on app lists alone; English, German).
    pub fn without_devices() -> (String, String) {
        (
            "an installed-app list holds no devices: it is joined to the devices of the device exports given with it, and none was given".to_string(),
            "Eine Liste installierter Apps enthält keine Geräte: Sie wird den Geräten der mit ihr angegebenen Geräteexporte zugeordnet, doch es wurde kein Geräteexport angegeben".to_string(),
        )
    }

    /// The message for a file none of whose lists found its device (English,
    /// German; the file is named by the row that carries it), followed by
    /// what reading the file noted ([`Unjoined::notes`]): one list item per
    /// note ([`crate::facts::note::listed`]; the notes hold `;` themselves),
    /// without the file's name, which the row already gives.
    pub fn without_device(u: &Unjoined) -> (String, String) {
        let (mut en, mut de) = Self::no_such_device(u);
        if !u.notes.is_empty() {
            let list = |german: bool| {
                super::note::listed(u.notes.iter().map(|n| n.beside_its_file(german)))
            };
            en.push_str(&format!(". Reading the file also noted:{}", list(false)));
            de.push_str(&format!(
                ". Beim Lesen der Datei außerdem vermerkt:{}",
                list(true)
            ));
        }
        (en, de)
    }

    /// [`AppListIndex::without_device`]'s message without the notes.
    fn no_such_device(u: &Unjoined) -> (String, String) {
        if u.udids.is_empty() {
            let list = u.ws1_ids.join(", ");
            return (
                format!(
                    "a Workspace ONE installed-app list is joined to the device with the same device id (Id.Value or Uuid) in a Workspace ONE device export of the same scan; no such device has id {list}, so the list was not used (add the devices/search export)"
                ),
                format!(
                    "Eine Workspace-ONE-Liste installierter Apps wird dem Gerät mit derselben Geräte-ID (Id.Value oder Uuid) aus einem Workspace-ONE-Geräteexport desselben Prüflaufs zugeordnet; kein solches Gerät hat die ID {list}, daher blieb die Liste unberücksichtigt (bitte den Export devices/search hinzufügen)"
                ),
            );
        }
        let list = u.udids.join(", ");
        (
            format!(
                "an Apple MDM installed-app list is joined to the device with the same UDID in the same scan; no device of this scan has UDID {list}, so the list was not used (add the device's export)"
            ),
            format!(
                "Eine Apple-MDM-Liste installierter Apps wird dem Gerät mit derselben UDID im selben Prüflauf zugeordnet; kein Gerät dieses Prüflaufs hat die UDID {list}, daher blieb die Liste unberücksichtigt (bitte den Export des Geräts hinzufügen)"
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>CommandUUID</key><string>c1</string>
<key>InstalledApplicationList</key><array>
 <dict><key>Identifier</key><string>ch.threema.app.work</string><key>Name</key><string>Threema Work</string></dict>
 <dict><key>Identifier</key><string>net.whatsapp.WhatsApp</string><key>Name</key><string>WhatsApp</string></dict>
 <dict><key>Name</key><string>Signal</string></dict>
 <dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict>
</array>
<key>RequestType</key><string>InstalledApplicationList</string>
<key>Status</key><string>Acknowledged</string>
<key>UDID</key><string>00008110-000000000000001E</string>
</dict></plist>"#;

    fn index() -> AppListIndex {
        AppListIndex::new(Pseudonymizer::new(Some("k"), false), APP_LIST_BUDGET)
    }

    /// The export whose devices take the lists in these tests.
    const EXPORT: (&str, &str) = ("jamf-json", "jamf.json");

    #[test]
    fn joins_by_udid_and_unites_with_the_exports_own_list() {
        assert!(sniff(LIST.as_bytes()));
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("a.plist", &mut LIST.as_bytes(), &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let mut d = Device::default();
        d.identifiers.udid = pn.apply(IdKind::DeviceId, "00008110-000000000000001e");
        ix.apply(&mut d, false, EXPORT);
        // Threema Work matched by bundle id, WhatsApp by bundle id, Signal by name.
        assert_eq!(
            d.installed_messengers.as_deref(),
            Some(
                &[
                    "signal".to_string(),
                    "threema-work".into(),
                    "whatsapp".into()
                ][..]
            )
        );
        assert!(ix.unmatched().is_empty());
        assert!(d.conflicts.is_empty(), "one list: nothing disagrees");
        // The export's own list (no messenger) and the file's disagree:
        // united, a messenger either names counts, and the disagreement is
        // kept with where each list comes from.
        let mut own = Device {
            record: "record 3".into(),
            identifiers: d.identifiers.clone(),
            installed_messengers: Some(Vec::new()),
            ..Device::default()
        };
        ix.apply(&mut own, false, EXPORT);
        assert_eq!(own.installed_messengers, d.installed_messengers);
        let [conflict] = &own.conflicts[..] else {
            panic!("one conflict: {:?}", own.conflicts)
        };
        assert_eq!(conflict.field, "installed_messengers");
        let said: Vec<(&str, &str, &str, &str)> = conflict
            .values
            .iter()
            .map(|v| {
                let s = &v.source;
                (
                    v.value.as_str(),
                    s.format.as_str(),
                    s.file.as_str(),
                    s.record.as_str(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                ("[]", "jamf-json", "jamf.json", "record 3"),
                (
                    r#"["signal","threema-work","whatsapp"]"#,
                    "apple-mdm",
                    "a.plist",
                    "response 1"
                ),
            ]
        );
        // The same list in the export and the file: no conflict.
        let mut same = Device::default();
        same.identifiers.udid = d.identifiers.udid.clone();
        same.installed_messengers = d.installed_messengers.clone();
        ix.apply(&mut same, false, EXPORT);
        assert!(same.conflicts.is_empty());
    }

    #[test]
    fn a_list_without_its_device_is_reported() {
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("a.plist", &mut LIST.as_bytes(), &limits).unwrap();
        let mut other = Device::default();
        other.identifiers.udid = Some("someone-else".into());
        ix.apply(&mut other, false, EXPORT);
        assert_eq!(other.installed_messengers, None);
        let left = ix.unmatched();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].file, "a.plist");
        // Nothing was noted, so the message is the reason alone.
        assert!(left[0].notes.is_empty());
        assert!(AppListIndex::without_device(&left[0])
            .0
            .ends_with("so the list was not used (add the device's export)"));
    }

    #[test]
    fn a_file_partly_taken_is_no_unmatched_file_and_counts_its_lists_left_over() {
        let text = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>{}{}{}</array></plist>"#,
            response("u-1", "<array/>"),
            response("u-2", "<array/>"),
            response("u-3", "<array/>"),
        );
        let limits = crate::limits::Limits::default();
        let mut ix = index();
        ix.read("p.plist", &mut text.as_bytes(), &limits).unwrap();
        // Before any device takes a list: the file is unmatched, nothing left over.
        assert_eq!(ix.unmatched().len(), 1);
        assert!(ix.left_over().is_empty());
        let pn = Pseudonymizer::new(Some("k"), false);
        let mut d = Device::default();
        d.identifiers.udid = pn.apply(IdKind::DeviceId, "u-2");
        ix.apply(&mut d, false, EXPORT);
        assert!(ix.unmatched().is_empty());
        let left = ix.left_over();
        assert_eq!(
            left,
            [Note::AppListsLeftOver {
                file: "p.plist".into(),
                devices: 3,
                left: 2,
            }]
        );
        // No identifier is told.
        let (en, de) = (left[0].english(), left[0].german());
        assert!(!en.contains("pn-") && !de.contains("pn-"), "{en}\n{de}");
        assert!(en.contains("3 devices, 2 of which no export"), "{en}");
        assert!(
            de.contains("von 3 Geräten, von denen 2 in keinem Export"),
            "{de}"
        );
    }

    #[test]
    fn a_device_in_two_files_takes_both_lists_and_counts_for_both_files() {
        let limits = crate::limits::Limits::default();
        let whatsapp = "<array><dict><key>Identifier</key><string>net.whatsapp.WhatsApp</string></dict></array>";
        let signal = "<array><dict><key>Name</key><string>Signal</string></dict></array>";
        let file = |responses: &[String]| {
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>{}</array></plist>"#,
                responses.concat()
            )
        };
        let first = file(&[response("u-1", whatsapp)]);
        let second = file(&[response("u-1", signal), response("u-2", signal)]);
        let mut ix = index();
        ix.read("a.plist", &mut first.as_bytes(), &limits).unwrap();
        ix.read("b.plist", &mut second.as_bytes(), &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let mut d = Device::default();
        d.identifiers.udid = pn.apply(IdKind::DeviceId, "u-1");
        let taken = ix.apply(&mut d, false, EXPORT);
        assert_eq!(taken.len(), 2, "one list of each file");
        assert_eq!(
            d.installed_messengers,
            Some(vec!["signal".to_string(), "whatsapp".into()])
        );
        // The two lists disagree: each is named with its file and response.
        let [conflict] = &d.conflicts[..] else {
            panic!("one conflict: {:?}", d.conflicts)
        };
        let said: Vec<(&str, &str, &str)> = conflict
            .values
            .iter()
            .map(|v| {
                (
                    v.value.as_str(),
                    v.source.file.as_str(),
                    v.source.record.as_str(),
                )
            })
            .collect();
        assert_eq!(
            said,
            [
                (r#"["whatsapp"]"#, "a.plist", "response 1"),
                (r#"["signal"]"#, "b.plist", "response 1"),
            ]
        );
        // Both files were used; only b.plist's list of u-2 is left over.
        assert!(ix.unmatched().is_empty());
        assert_eq!(
            ix.left_over(),
            [Note::AppListsLeftOver {
                file: "b.plist".into(),
                devices: 2,
                left: 1,
            }]
        );
        // Without the device, each file is a row of its own.
        let mut ix = index();
        ix.read("a.plist", &mut first.as_bytes(), &limits).unwrap();
        ix.read("c.plist", &mut first.as_bytes(), &limits).unwrap();
        let files: Vec<String> = ix.unmatched().into_iter().map(|u| u.file).collect();
        assert_eq!(files, ["a.plist", "c.plist"]);
    }

    #[test]
    fn a_lists_notes_are_told_once_per_scan() {
        let list = br#"{"DeviceApps":[{"ApplicationName":"Signal","DeviceId":{"Uuid":"u-8"}},{"ApplicationName":"WhatsApp"}]}"#;
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("m.json", &mut &list[..], &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        // The same device in two exports: the second is not told again.
        let told: Vec<usize> = (0..2)
            .map(|_| {
                let mut d = Device::default();
                d.identifiers.device_id = pn.apply(IdKind::DeviceId, "u-8");
                let taken = ix.apply(&mut d, true, EXPORT);
                taken.iter().map(|&i| ix.notes_once(i).len()).sum()
            })
            .collect();
        assert_eq!(told, [1, 0]);
    }

    #[test]
    fn what_reading_a_list_noted_goes_with_it_when_no_device_takes_it() {
        // The list of one device, and a response of another device that
        // answered NotNow.
        let body = LIST
            .trim_start_matches(r#"<?xml version="1.0" encoding="UTF-8"?>"#)
            .trim()
            .trim_start_matches(r#"<plist version="1.0">"#)
            .trim_end_matches("</plist>");
        let text = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>{body}<dict><key>Status</key><string>NotNow</string><key>UDID</key><string>u-2</string></dict></array></plist>"#
        );
        let limits = crate::limits::Limits::default();
        let read = |ix: &mut AppListIndex| ix.read("a.plist", &mut text.as_bytes(), &limits);
        let mut ix = index();
        read(&mut ix).unwrap();
        let left = ix.unmatched();
        assert_eq!(left.len(), 1);
        assert_eq!(
            left[0].notes,
            [Note::AppListSkipped {
                file: "a.plist".into(),
                response: 2,
                why: AppListSkip::Answered("NotNow".into()),
            }]
        );
        let (en, de) = AppListIndex::without_device(&left[0]);
        // One list item per note, without the file the row names.
        assert!(
            en.contains("(add the device's export). Reading the file also noted:\n- response 2: the device answered Status = NotNow, no app list; skipped"),
            "{en}"
        );
        assert!(
            de.contains("(bitte den Export des Geräts hinzufügen). Beim Lesen der Datei außerdem vermerkt:\n- Antwort 2: das Gerät antwortete mit Status = NotNow, keine App-Liste; übersprungen"),
            "{de}"
        );
        assert!(
            !en.contains("a.plist") && !de.contains("a.plist"),
            "{en}\n{de}"
        );
        // Taken by its device, the list is not left over.
        let mut ix = index();
        read(&mut ix).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let mut d = Device::default();
        d.identifiers.udid = pn.apply(IdKind::DeviceId, "00008110-000000000000001e");
        ix.apply(&mut d, false, EXPORT);
        assert!(ix.unmatched().is_empty());
    }

    /// `LIST`'s response without the plist around it.
    fn response(udid: &str, list: &str) -> String {
        format!(
            "<dict><key>InstalledApplicationList</key>{list}<key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>"
        )
    }

    #[test]
    fn skipped_responses_are_told_once_and_never_make_a_device_known() {
        let safari = "<array><dict><key>Identifier</key><string>com.apple.mobilesafari</string></dict></array>";
        let broken = "<array><array><string>x</string></array></array>";
        let text = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>{}{}<dict><key>Status</key><string>NotNow</string><key>UDID</key><string>u-3</string></dict>{}{}</array></plist>"#,
            response("u-1", safari),
            response("u-2", broken),
            response("u-2", safari),
            response("", safari),
        );
        let limits = crate::limits::Limits::default();
        let mut ix = index();
        ix.read("l.plist", &mut text.as_bytes(), &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let device = |udid: &str| {
            let mut d = Device::default();
            d.identifiers.udid = pn.apply(IdKind::DeviceId, udid);
            d
        };
        // u-1's list holds no messenger: known to have none.
        let mut one = device("u-1");
        let taken = ix.apply(&mut one, false, EXPORT);
        assert_eq!(one.installed_messengers, Some(Vec::new()));
        // The file's skipped responses are told with the first list taken, once.
        let skip = |response, why| Note::AppListSkipped {
            file: "l.plist".into(),
            response,
            why,
        };
        assert_eq!(
            ix.file_notes_once(taken[0]),
            [
                skip(3, AppListSkip::Answered("NotNow".into())),
                skip(5, AppListSkip::NoUdid)
            ]
        );
        assert!(ix.file_notes_once(taken[0]).is_empty());
        // u-2's first list cannot be read: its empty second list does not
        // make it a device without messengers, and its export is told.
        let mut two = device("u-2");
        let taken = ix.apply(&mut two, false, EXPORT);
        assert_eq!(two.installed_messengers, None);
        assert!(ix.file_notes_once(taken[0]).is_empty());
        assert_eq!(ix.notes(taken[0]), [skip(2, AppListSkip::Unreadable)]);
        // u-3 answered NotNow: no list, so unknown.
        let mut three = device("u-3");
        assert!(ix.apply(&mut three, false, EXPORT).is_empty());
        assert_eq!(three.installed_messengers, None);
        // Told to an export, the notes are not on a row of the file again.
        assert!(ix.unmatched().is_empty());
        let mut ix = index();
        ix.read("l.plist", &mut text.as_bytes(), &limits).unwrap();
        let taken = ix.apply(&mut device("u-1"), false, EXPORT);
        assert_eq!(ix.file_notes_once(taken[0]).len(), 2);
        // A file one list of which was taken was used: no row of its own;
        // u-2's list, left over, is counted (its note is not told: the
        // list was not used).
        assert!(ix.unmatched().is_empty());
        assert_eq!(
            ix.left_over(),
            [Note::AppListsLeftOver {
                file: "l.plist".into(),
                devices: 2,
                left: 1,
            }]
        );
    }

    #[test]
    fn workspace_one_lists_join_workspace_one_devices_only() {
        let list = br#"{"DeviceApps":[{"ApplicationName":"Signal","ApplicationIdentifier":"org.whispersystems.signal",
            "DeviceId":{"Id":{"Value":7},"Uuid":"u-7"}}],"Page":0,"PageSize":500,"Total":1}"#;
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("w.json", &mut &list[..], &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        // Another MDM's device with the same id is another device.
        let mut other = Device::default();
        other.identifiers.device_id = pn.apply(IdKind::DeviceId, "7");
        ix.apply(&mut other, false, EXPORT);
        assert_eq!(other.installed_messengers, None);
        assert_eq!(ix.unmatched()[0].ws1_ids.len(), 1);
        // A Workspace ONE device takes it by Id.Value or, without one, by Uuid.
        for id in ["7", "U-7"] {
            let mut d = Device::default();
            d.identifiers.device_id = pn.apply(IdKind::DeviceId, id);
            ix.apply(&mut d, true, EXPORT);
            assert_eq!(d.installed_messengers, Some(vec!["signal".to_string()]));
        }
        assert!(ix.unmatched().is_empty());
        // An entry beside a device's that names no device may be its app:
        // the device has the messengers named and perhaps more, and its
        // export is told.
        let mixed = br#"{"DeviceApps":[{"ApplicationName":"Signal","ApplicationIdentifier":"org.whispersystems.signal",
            "DeviceId":{"Uuid":"u-8"}},{"ApplicationName":"WhatsApp","ApplicationIdentifier":"net.whatsapp.WhatsApp"}]}"#;
        let mut ix = index();
        ix.read("m.json", &mut &mixed[..], &limits).unwrap();
        let mut d = Device::default();
        d.identifiers.device_id = pn.apply(IdKind::DeviceId, "u-8");
        let taken = ix.apply(&mut d, true, EXPORT);
        assert_eq!(d.installed_messengers, Some(vec!["signal".to_string()]));
        assert!(d.installed_messengers_partial, "WhatsApp may be its too");
        assert_eq!(
            ix.notes(taken[0]),
            [Note::AppListSkipped {
                file: "m.json".into(),
                response: 1,
                why: AppListSkip::EntriesWithoutDevice(1),
            }]
        );
        let told = ix.notes(taken[0])[0].german();
        assert!(
            told.contains("einer ihrer Einträge nennt kein Gerät (DeviceId)"),
            "{told}"
        );
        let search = br#"{"app_items":[],"TotalResults":0}"#;
        let e = ix.read("s.json", &mut &search[..], &limits).unwrap_err();
        assert!(e.to_string().contains("names no device"), "{e}");
        assert!(e.message_de().contains("nennt kein Gerät"));
    }

    #[test]
    fn refuses_errors_other_plists_and_too_much() {
        let limits = crate::limits::Limits::default();
        let mut ix = index();
        let error = LIST.replace("Acknowledged", "Error");
        assert!(matches!(
            ix.read("e.plist", &mut error.as_bytes(), &limits),
            Err(AppListError::NoList { .. })
        ));
        let no_udid = LIST.replace("<key>UDID</key>", "<key>X</key>");
        assert!(matches!(
            ix.read("u.plist", &mut no_udid.as_bytes(), &limits),
            Err(AppListError::NoList { .. })
        ));
        assert!(matches!(
            ix.read("b.plist", &mut &b"<plist><dict"[..], &limits),
            Err(AppListError::Read { .. })
        ));
        let mut small = AppListIndex::new(Pseudonymizer::new(Some("k"), false), 100);
        let e = small
            .read("big.plist", &mut LIST.as_bytes(), &limits)
            .unwrap_err();
        assert!(matches!(e, AppListError::OverBudget { .. }), "{e}");
        assert!(e.message_de().contains("überschreiten"));
        assert!(small.is_empty());
    }

    #[test]
    fn the_notes_of_an_unused_list_keep_the_files_order() {
        // Response 1: a device absent from the scan and an entry naming
        // none; response 2: only an entry naming none.
        let list = br#"[{"DeviceApps":[{"ApplicationName":"Signal","DeviceId":{"Uuid":"u-9999"}},
            {"ApplicationName":"WhatsApp"}]},{"DeviceApps":[{"ApplicationName":"Threema"}]}]"#;
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("f.json", &mut &list[..], &limits).unwrap();
        let left = ix.unmatched();
        let responses: Vec<Option<u64>> =
            left[0].notes.iter().map(Note::app_list_response).collect();
        assert_eq!(responses, [Some(1), Some(2)]);
        assert_eq!(
            left[0].notes[1],
            Note::AppListSkipped {
                file: "f.json".into(),
                response: 2,
                why: AppListSkip::NoEntryNamesDevice(1),
            }
        );
    }
}
