//! One device, one row: a device that several exports of one scan list (the
//! same serial number, IMEI, UDID, or the same MDM's device id) is assessed
//! once.
//!
//! While every export is read (once, `super::exports`), a hash of each
//! device's identifiers is kept ([`SurveyBuilder`]), enough to find the
//! devices that more than one export lists. While the exports' devices are
//! then assessed, such a device is held until the last export that lists it
//! is assessed; its records
//! are then merged into one device ([`merge`]) that keeps every source, takes
//! each value from the most recent check-in that has it, and records every
//! value the sources disagree on ([`FieldConflict`]) — never silently
//! overwritten. The merged device counts with the export read last.
//!
//! Memory: the identifier hashes take about 40 bytes per identifier; held devices are
//! budgeted by their encoded size ([`HELD_BUDGET`]). Beyond the budget a
//! device is not held but assessed as its export lists it, and the export's
//! notes say how many such devices were left unmerged.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};

use serde_json::{Map, Value};

use crate::extract::inventory::{Format, Note};
use crate::facts::{
    Device, DeviceSource, FieldConflict, FilledValue, PolicyCompliance, SourceValue,
};

/// Encoded bytes of devices held for merging at most (about 256 MiB).
pub const HELD_BUDGET: usize = 256 * 1024 * 1024;

/// Device fields whose disagreement between exports is evidence: what the
/// device checks judge. Names as in the facts (`Device` field names).
const COMPARED: &[&str] = &[
    "platform",
    "os_version",
    "os_build",
    "security_patch_level",
    "passcode",
    "passcode_compliant",
    "encryption",
    "managed",
    "supervised",
    "user_enrollment",
    "compromised",
    "ownership",
    "cloud_backup",
    "lost_mode",
];

/// Position of a device: the export's index among the streamed exports and
/// the device's ordinal in it (as the reader hands devices out).
type Slot = (usize, usize);

/// The devices several exports list, grouped (found by [`SurveyBuilder`]).
#[derive(Debug, Default)]
pub struct Survey {
    /// The group of each device that shares an identifier with a device of
    /// another export.
    group_of: HashMap<Slot, usize>,
    /// Per group, its members in streaming order.
    members: Vec<Vec<Slot>>,
}

/// Finds the devices several exports list, export by export, from the
/// identifiers of the devices their one read gives ([`ExportKeys`]).
#[derive(Debug, Default)]
pub struct SurveyBuilder {
    /// The first device (in streaming order) that has each identifier hash.
    first_with: HashMap<u64, Slot>,
    /// Devices of different exports that share an identifier.
    links: Vec<(Slot, Slot)>,
}

impl SurveyBuilder {
    /// A builder for `lists` device lists: `None` with fewer than two
    /// (nothing to merge, and no identifiers need to be kept).
    pub fn for_lists(lists: usize) -> Option<SurveyBuilder> {
        (lists >= 2).then(SurveyBuilder::default)
    }

    /// Adds the identifiers of one export that was read (an export that
    /// cannot be read takes no part; its assessment reports it). Exports
    /// are added in the order they stream.
    pub fn add(&mut self, keys: ExportKeys) {
        for (key, slot) in keys.local {
            match self.first_with.get(&key) {
                Some(&earlier) if earlier.0 != slot.0 => self.links.push((earlier, slot)),
                Some(_) => {}
                None => {
                    self.first_with.insert(key, slot);
                }
            }
        }
    }

    /// The groups of devices found.
    pub fn finish(self) -> Survey {
        Survey::grouped(&self.links)
    }
}

/// The identifier hashes ([`keys`]) of one export's devices, in the order
/// read: about 40 bytes per identifier.
#[derive(Debug)]
pub struct ExportKeys {
    export: usize,
    format: Format,
    ordinal: usize,
    local: Vec<(u64, Slot)>,
}

impl ExportKeys {
    /// Keys of export `export` (its index among the streamed exports), of `format`.
    pub fn new(export: usize, format: Format) -> ExportKeys {
        ExportKeys {
            export,
            format,
            ordinal: 0,
            local: Vec::new(),
        }
    }

    /// Notes the identifiers of the export's next device.
    pub fn see(&mut self, d: &Device) {
        for key in keys(d, self.format) {
            self.local.push((key, (self.export, self.ordinal)));
        }
        self.ordinal += 1;
    }
}

impl Survey {
    /// Groups linked devices (connected components), members in streaming order.
    fn grouped(links: &[(Slot, Slot)]) -> Survey {
        let mut parent: HashMap<Slot, Slot> = HashMap::new();
        fn root(parent: &mut HashMap<Slot, Slot>, s: Slot) -> Slot {
            let mut r = s;
            while let Some(&p) = parent.get(&r) {
                if p == r {
                    break;
                }
                r = p;
            }
            // Path compression.
            let mut c = s;
            while c != r {
                let next = parent.get(&c).copied().unwrap_or(r);
                parent.insert(c, r);
                c = next;
            }
            r
        }
        for &(a, b) in links {
            parent.entry(a).or_insert(a);
            parent.entry(b).or_insert(b);
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            if ra != rb {
                parent.insert(ra.max(rb), ra.min(rb));
            }
        }
        let mut slots: Vec<Slot> = parent.keys().copied().collect();
        slots.sort_unstable();
        let mut survey = Survey::default();
        let mut index_of_root: HashMap<Slot, usize> = HashMap::new();
        for s in slots {
            let r = root(&mut parent, s);
            let g = *index_of_root.entry(r).or_insert_with(|| {
                survey.members.push(Vec::new());
                survey.members.len() - 1
            });
            survey.members[g].push(s);
            survey.group_of.insert(s, g);
        }
        survey
    }

    /// Devices listed by more than one export (all members of all groups).
    pub fn listed_twice(&self) -> usize {
        self.group_of.len()
    }
}

/// Merges held devices while the exports stream.
#[derive(Debug)]
pub struct Merger {
    survey: Survey,
    /// Held members per group: the device and where it came from.
    held: HashMap<usize, Vec<(Device, DeviceSource)>>,
    /// Encoded bytes held per group (counted once, when held).
    held_size: HashMap<usize, usize>,
    held_bytes: usize,
    /// Groups given up (over budget): their members stream unmerged.
    given_up: HashSet<usize>,
}

/// What merging did to one export's devices, for its notes.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MergeCount {
    /// Devices of this export held to merge with a later export.
    pub merged_later: usize,
    /// Devices of this export that completed a merged device.
    pub merged_here: usize,
    /// Devices listed elsewhere too but not merged (memory budget).
    pub unmerged: usize,
}

impl Merger {
    /// A merger for the groups `survey` found.
    pub fn new(survey: Survey) -> Merger {
        Merger {
            survey,
            held: HashMap::new(),
            held_size: HashMap::new(),
            held_bytes: 0,
            given_up: HashSet::new(),
        }
    }

    /// Passes `device` (ordinal `ordinal` of export `export`, read from
    /// `source`) on: `Some` to assess now (a device no other export lists,
    /// or the merged device when this is its group's last member), `None`
    /// when it is held for a later export.
    pub fn pass(
        &mut self,
        export: usize,
        ordinal: usize,
        device: Device,
        source: DeviceSource,
        count: &mut MergeCount,
    ) -> Option<Device> {
        let slot = (export, ordinal);
        let Some(&g) = self.survey.group_of.get(&slot) else {
            return Some(device);
        };
        if self.given_up.contains(&g) {
            count.unmerged += 1;
            return Some(device);
        }
        let last = self.survey.members[g].last() == Some(&slot);
        if !last {
            let size = serde_json::to_vec(&device).map_or(0, |v| v.len());
            if !self.held.contains_key(&g) && self.held_bytes + size > HELD_BUDGET {
                // Over budget: a group none of whose members is held yet
                // streams unmerged. A group already begun is finished (a
                // device is in a handful of exports at most).
                self.given_up.insert(g);
                count.unmerged += 1;
                return Some(device);
            }
            self.held_bytes += size;
            *self.held_size.entry(g).or_default() += size;
            self.held.entry(g).or_default().push((device, source));
            count.merged_later += 1;
            return None;
        }
        let mut members = self.held.remove(&g).unwrap_or_default();
        let size = self.held_size.remove(&g).unwrap_or(0);
        self.held_bytes = self.held_bytes.saturating_sub(size);
        members.push((device, source));
        count.merged_here += 1;
        Some(merge(members))
    }

    /// Devices still held when every export has streamed — their group's
    /// last member was in an export that could not be read in the end — to
    /// be assessed as their exports listed them: by the file they came from.
    pub fn release(&mut self) -> Vec<(String, Vec<Device>)> {
        let mut rest: Vec<(usize, Vec<(Device, DeviceSource)>)> = self.held.drain().collect();
        rest.sort_by_key(|(g, _)| *g);
        self.held_size.clear();
        self.held_bytes = 0;
        let mut by_file: Vec<(String, Vec<Device>)> = Vec::new();
        for (device, source) in rest.into_iter().flat_map(|(_, m)| m) {
            match by_file.iter_mut().find(|(f, _)| *f == source.file) {
                Some((_, v)) => v.push(device),
                None => by_file.push((source.file, vec![device])),
            }
        }
        by_file
    }
}

/// The note an export gets when some of its devices are also in other exports.
pub fn note(count: MergeCount) -> Option<Note> {
    let shared = count.merged_later + count.merged_here + count.unmerged;
    (shared > 0).then_some(Note::Duplicates {
        devices: shared,
        counted_elsewhere: count.merged_later,
        unmerged: count.unmerged,
    })
}

/// Hashes of the identifiers that make two records one device: serial
/// number, IMEI, UDID (whatever MDM exported them), and the device id within
/// one MDM (ids of different MDMs are different numbering schemes).
pub fn keys(d: &Device, format: Format) -> Vec<u64> {
    let ids = &d.identifiers;
    let mut keys = Vec::with_capacity(4);
    let mut push = |kind: &str, value: &Option<String>| {
        if let Some(v) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            kind.hash(&mut h);
            v.to_ascii_uppercase().hash(&mut h);
            keys.push(h.finish());
        }
    };
    push("serial", &ids.serial);
    push("imei", &ids.imei);
    push("udid", &ids.udid);
    push(&format!("device_id:{}", mdm_of(format)), &ids.device_id);
    keys
}

/// The MDM an export format comes from (its device ids are one numbering).
fn mdm_of(format: Format) -> &'static str {
    let name = format.name();
    name.split('-').next().unwrap_or(name)
}

/// Merges the records of one device (in streaming order, the last being the
/// one that completed the group): the most recent check-in first, each value
/// from the first record that has it, every disagreement on a judged field
/// kept as a [`FieldConflict`], every judged value that the most recent
/// record does not give and another does as a [`FilledValue`], installed
/// messengers united.
pub fn merge(members: Vec<(Device, DeviceSource)>) -> Device {
    let mut members = members;
    // Most recent check-in first; records without one last, in streaming order.
    members.sort_by(|(a, _), (b, _)| {
        check_in_key(b.last_check_in.as_deref()).cmp(&check_in_key(a.last_check_in.as_deref()))
    });
    let values: Vec<Map<String, Value>> = members
        .iter()
        .map(|(d, _)| match serde_json::to_value(d) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        })
        .collect();
    let mut merged = values.first().cloned().unwrap_or_default();
    let mut filled_from = BTreeMap::new();
    fill(
        &mut merged,
        values.get(1..).unwrap_or_default(),
        &mut filled_from,
    );
    let (mut conflicts, mut filled) = (Vec::new(), Vec::new());
    for field in COMPARED {
        let mut seen: Vec<SourceValue> = Vec::new();
        for (v, (_, source)) in values.iter().zip(&members) {
            if let Some(value) = v.get(*field).filter(|x| !x.is_null()) {
                seen.push(SourceValue {
                    value: scalar(value),
                    source: source.clone(),
                });
            }
        }
        let leading_says = values
            .first()
            .and_then(|v| v.get(*field))
            .is_some_and(|x| !x.is_null());
        if seen.iter().any(|s| s.value != seen[0].value) {
            conflicts.push(FieldConflict {
                field: (*field).to_string(),
                values: seen,
            });
        } else if let Some(from) = seen.into_iter().next().filter(|_| !leading_says) {
            // The most recent record does not say: the value is another's.
            filled.push(FilledValue {
                field: (*field).to_string(),
                from,
            });
        }
    }
    let mut device: Device = serde_json::from_value(Value::Object(merged))
        .unwrap_or_else(|_| members.first().map(|(d, _)| d.clone()).unwrap_or_default());
    let messengers: Vec<String> = members
        .iter()
        .filter_map(|(d, _)| d.installed_messengers.clone())
        .flatten()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if let Some(c) = messenger_lists_disagree(&members) {
        conflicts.push(c);
    }
    if members
        .iter()
        .any(|(d, _)| d.installed_messengers.is_some())
    {
        // United: no one record's; incomplete when one of the lists is.
        device.installed_messengers = Some(messengers);
        device.installed_messengers_partial = members
            .iter()
            .any(|(d, _)| d.installed_messengers.is_some() && d.installed_messengers_partial);
        filled_from.retain(|path, _| !on_path(path, "installed_messengers"));
    }
    tie_to_raw_values(&mut device, &members, &mut filled_from);
    device.sources = members.into_iter().map(|(_, s)| s).collect();
    device.conflicts = conflicts;
    device.filled = filled;
    device.filled_from = filled_from;
    device
}

/// The installed-app lists of a device's records (most recent check-in
/// first), when they disagree: each record's list with its export, or, for
/// a record whose own lists already disagreed (its export's and an app-list
/// file's, [`AppListIndex::apply`]), each of those with its source; the
/// same list from the same source once.
///
/// [`AppListIndex::apply`]: crate::extract::inventory::app_lists::AppListIndex::apply
fn messenger_lists_disagree(members: &[(Device, DeviceSource)]) -> Option<FieldConflict> {
    const FIELD: &str = "installed_messengers";
    let mut values: Vec<SourceValue> = Vec::new();
    for (d, source) in members {
        let own = d.conflicts.iter().find(|c| c.field == FIELD);
        let listed: Vec<SourceValue> = match (own, &d.installed_messengers) {
            (Some(c), _) => c.values.clone(),
            (None, Some(m)) => vec![SourceValue {
                value: crate::facts::messengers_text(m),
                source: source.clone(),
            }],
            (None, None) => Vec::new(),
        };
        for v in listed {
            if !values.contains(&v) {
                values.push(v);
            }
        }
    }
    let first = values.first()?;
    values
        .iter()
        .any(|v| v.value != first.value)
        .then(|| FieldConflict {
            field: FIELD.to_string(),
            values,
        })
}

/// Whether the fact at `path` is `field` or lies within it.
fn on_path(path: &str, field: &str) -> bool {
    path.strip_prefix(field)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

/// What a merged device says about where its passcode and encryption facts
/// come from (`policy_compliance`: from Intune's compliance data, whose
/// evidence names no record of the device list) and about a contradiction
/// behind its encryption fact (`encryption_detail`) is taken only from the
/// record whose evidence text (`raw`) the device keeps: a value from one
/// export never carries another export's account of it (nor whether it
/// contradicts itself, `encryption_contradiction`). (A detail with no
/// evidence text behind it stays as filled.) `filled_from` is set to where
/// these facts then come from.
fn tie_to_raw_values(
    device: &mut Device,
    members: &[(Device, DeviceSource)],
    filled_from: &mut BTreeMap<String, usize>,
) {
    // The record (by its place among `members`) whose evidence text the
    // device keeps.
    let with_raw = |raw: fn(&Device) -> &Option<String>| {
        let kept = raw(device).clone();
        members
            .iter()
            .map(|(d, _)| d)
            .position(|d| kept.is_some() && *raw(d) == kept)
    };
    let passcode_from = with_raw(|d| &d.raw.passcode);
    let encryption_from = with_raw(|d| &d.raw.encryption);
    let compliance = |at: Option<usize>| at.and_then(|i| members[i].0.policy_compliance.as_ref());
    let passcode = compliance(passcode_from).and_then(|pc| pc.passcode.clone());
    let encryption = compliance(encryption_from).and_then(|pc| pc.encryption.clone());
    // Where each of these facts now comes from, noted anew.
    let mut note = |path: &str, at: Option<usize>, given: bool| {
        filled_from.retain(|p, _| !on_path(p, path));
        if let Some(at) = at.filter(|&i| i > 0 && given) {
            filled_from.insert(path.to_string(), at);
        }
    };
    if let Some(i) = encryption_from {
        let d = &members[i].0;
        device.encryption_detail.clone_from(&d.encryption_detail);
        device
            .encryption_detail_de
            .clone_from(&d.encryption_detail_de);
        device
            .encryption_contradiction
            .clone_from(&d.encryption_contradiction);
        note(
            "encryption_detail",
            encryption_from,
            d.encryption_detail.is_some(),
        );
        note(
            "encryption_detail_de",
            encryption_from,
            d.encryption_detail_de.is_some(),
        );
        note(
            "encryption_contradiction",
            encryption_from,
            d.encryption_contradiction.is_some(),
        );
    }
    note("policy_compliance", None, false);
    note(
        "policy_compliance.passcode",
        passcode_from,
        passcode.is_some(),
    );
    note(
        "policy_compliance.encryption",
        encryption_from,
        encryption.is_some(),
    );
    device.policy_compliance =
        (passcode.is_some() || encryption.is_some()).then_some(PolicyCompliance {
            passcode,
            encryption,
        });
}

/// Fills the keys `merged` lacks (or holds `null` for) from `rest`, in
/// order; nested objects (identifiers, raw fields, OS support) key by key.
/// A German text (`X_de`) is taken only from the record whose `X` the merged
/// device has: a German report never cites one export where an English one
/// cites another. Every value filled is noted in `from` by its path
/// (`raw.encryption`) with the record it comes from (`rest`'s first is
/// record 1: the merged device's own is record 0).
fn fill(
    merged: &mut Map<String, Value>,
    rest: &[Map<String, Value>],
    from: &mut BTreeMap<String, usize>,
) {
    for (i, other) in rest.iter().enumerate() {
        fill_from(merged, other, "", i + 1, from);
    }
}

/// [`fill`] from one record, `source`, the keys of `merged` lying under
/// `prefix` (empty at the top).
fn fill_from(
    merged: &mut Map<String, Value>,
    other: &Map<String, Value>,
    prefix: &str,
    source: usize,
    from: &mut BTreeMap<String, usize>,
) {
    let (german, rest): (Vec<_>, Vec<_>) = other.iter().partition(|(k, _)| {
        k.strip_suffix("_de")
            .is_some_and(|base| other.contains_key(base))
    });
    for (k, v) in rest {
        fill_key(merged, k, v, prefix, source, from);
    }
    for (k, v) in german {
        let base = &k[..k.len() - "_de".len()];
        if merged.get(base) == other.get(base) {
            fill_key(merged, k, v, prefix, source, from);
        }
    }
}

/// Fills `merged[k]` with `v` where it is missing or `null`; objects key by
/// key ([`fill_from`]).
fn fill_key(
    merged: &mut Map<String, Value>,
    k: &str,
    v: &Value,
    prefix: &str,
    source: usize,
    from: &mut BTreeMap<String, usize>,
) {
    let path = || match prefix {
        "" => k.to_string(),
        _ => format!("{prefix}.{k}"),
    };
    match merged.get_mut(k) {
        None | Some(Value::Null) => {
            if !v.is_null() {
                from.insert(path(), source);
            }
            merged.insert(k.to_string(), v.clone());
        }
        Some(Value::Object(inner)) => {
            if let Value::Object(o) = v {
                fill_from(inner, o, &path(), source, from);
            }
        }
        Some(_) => {}
    }
}

/// A value as text for a conflict (strings unquoted).
fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Sort key of a check-in time: RFC 3339 instants compare as UTC; anything
/// else sorts before every parsed time, and a missing one before that.
fn check_in_key(t: Option<&str>) -> (u8, i64) {
    match t {
        None => (0, 0),
        Some(s) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(dt) => (2, dt.timestamp()),
            Err(_) => (1, 0),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(format: &str, record: &str) -> DeviceSource {
        DeviceSource {
            format: format.into(),
            file: format!("{format}.export"),
            record: record.into(),
            last_check_in: None,
        }
    }

    /// Two exports that spell one UDID in upper and lower case list one
    /// device: their merge keys meet, pseudonymized or in clear.
    #[test]
    fn a_udid_in_two_cases_in_two_exports_is_one_device() {
        use crate::extract::inventory::stream_inventory;
        let graph = r#"{"value":[{"id":"i1","operatingSystem":"iOS","osVersion":"26.1","udid":"00008110-00000000000000AB"}]}"#;
        let jamf = r#"{"mobile_device":{"general":{"id":7,"udid":"00008110-00000000000000ab","os_type":"iOS","os_version":"26.1"}}}"#;
        for reveal in [false, true] {
            let o = crate::extract::ExtractOptions {
                pseudonym_key: Some("k".into()),
                reveal_identities: reveal,
                ..crate::extract::ExtractOptions::default()
            };
            let one = |path: &str, text: &str| {
                let mut devices = Vec::new();
                let read =
                    stream_inventory(path, &mut text.as_bytes(), &o, &mut |d| devices.push(d))
                        .unwrap();
                (devices.remove(0), read.format)
            };
            let (a, fa) = one("g.json", graph);
            let (b, fb) = one("j.json", jamf);
            assert_ne!(fa, fb);
            let kb = keys(&b, fb);
            assert!(
                keys(&a, fa).iter().any(|k| kb.contains(k)),
                "reveal {reveal}: {:?} {:?}",
                a.identifiers,
                b.identifiers
            );
        }
    }

    #[test]
    fn groups_join_through_any_shared_identifier() {
        // (0,1)–(1,0) share a serial, (1,0)–(2,5) an IMEI: one device in three exports.
        let s = Survey::grouped(&[((0, 1), (1, 0)), ((1, 0), (2, 5)), ((0, 2), (2, 0))]);
        assert_eq!(s.members.len(), 2);
        assert_eq!(s.members[0], vec![(0, 1), (1, 0), (2, 5)]);
        assert_eq!(s.members[1], vec![(0, 2), (2, 0)]);
        assert_eq!(s.listed_twice(), 5);
    }

    #[test]
    fn freshest_values_win_and_disagreements_are_kept() {
        let old = Device {
            record: "row 2".into(),
            passcode: Some(false),
            encryption: Some(true),
            model: Some("iPhone 15".into()),
            last_check_in: Some("2026-10-01T08:00:00Z".into()),
            installed_messengers: Some(vec!["whatsapp".into()]),
            ..Device::default()
        };
        let fresh = Device {
            record: "record 7".into(),
            passcode: Some(true),
            last_check_in: Some("2026-11-30T08:00:00+01:00".into()),
            installed_messengers: Some(vec!["signal".into()]),
            ..Device::default()
        };
        let merged = merge(vec![
            (fresh, source("intune-graph", "record 7")),
            (old, source("jamf-json", "row 2")),
        ]);
        assert_eq!(merged.passcode, Some(true), "the most recent check-in wins");
        assert_eq!(
            merged.encryption,
            Some(true),
            "filled from the older record"
        );
        assert_eq!(merged.model.as_deref(), Some("iPhone 15"));
        assert_eq!(merged.record, "record 7");
        assert_eq!(merged.sources.len(), 2);
        assert_eq!(merged.sources[0].format, "intune-graph");
        let c: Vec<&str> = merged.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(c, ["passcode", "installed_messengers"]);
        assert_eq!(merged.conflicts[0].values[0].value, "true");
        assert_eq!(merged.conflicts[0].values[1].value, "false");
        assert_eq!(merged.conflicts[0].values[1].source.format, "jamf-json");
        // The lists are united, and their disagreement is kept.
        assert_eq!(
            merged.installed_messengers,
            Some(vec!["signal".to_string(), "whatsapp".to_string()])
        );
        let lists: Vec<(&str, &str)> = merged.conflicts[1]
            .values
            .iter()
            .map(|v| (v.value.as_str(), v.source.format.as_str()))
            .collect();
        assert_eq!(
            lists,
            [
                (r#"["signal"]"#, "intune-graph"),
                (r#"["whatsapp"]"#, "jamf-json")
            ]
        );
    }

    /// A record whose own lists disagreed (its export's and an app-list
    /// file's) brings each of them to the merged device; the same list
    /// from the same source is named once, and lists that agree are no
    /// conflict.
    #[test]
    fn the_lists_behind_a_record_are_kept_when_merged() {
        let file_list = SourceValue {
            value: r#"["whatsapp"]"#.into(),
            source: DeviceSource {
                format: "apple-mdm".into(),
                file: "apps.plist".into(),
                record: "response 1".into(),
                last_check_in: None,
            },
        };
        let own_list = SourceValue {
            value: "[]".into(),
            source: source("jamf-json", "row 2"),
        };
        let jamf = Device {
            record: "row 2".into(),
            installed_messengers: Some(vec!["whatsapp".into()]),
            conflicts: vec![FieldConflict {
                field: "installed_messengers".into(),
                values: vec![own_list.clone(), file_list.clone()],
            }],
            ..Device::default()
        };
        let intune = Device {
            record: "record 1".into(),
            installed_messengers: Some(vec!["whatsapp".into()]),
            ..Device::default()
        };
        let merged = merge(vec![
            (intune.clone(), source("intune-graph", "record 1")),
            (jamf, source("jamf-json", "row 2")),
        ]);
        let [c] = &merged.conflicts[..] else {
            panic!("one conflict: {:?}", merged.conflicts)
        };
        assert_eq!(c.field, "installed_messengers");
        assert_eq!(
            c.values,
            [
                SourceValue {
                    value: r#"["whatsapp"]"#.into(),
                    source: source("intune-graph", "record 1"),
                },
                own_list,
                file_list,
            ]
        );
        let same = merge(vec![
            (intune.clone(), source("intune-graph", "record 1")),
            (intune, source("jamf-json", "row 2")),
        ]);
        assert!(same.conflicts.is_empty(), "{:?}", same.conflicts);
    }

    /// Every value the merged device takes from an older record is noted
    /// with that record (by its place in `sources`); what the most recent
    /// record gives, and the messengers all records give together, are not.
    #[test]
    fn where_each_filled_value_comes_from_is_noted() {
        let raw = |encryption: Option<&str>| crate::facts::DeviceRaw {
            encryption: encryption.map(str::to_string),
            passcode: Some("passcodeSet = true".into()),
            ..Default::default()
        };
        let fresh = Device {
            record: "line 2".into(),
            passcode: Some(true),
            last_check_in: Some("2026-11-22T08:00:00Z".into()),
            installed_messengers: Some(vec!["signal".into()]),
            raw: raw(None),
            ..Device::default()
        };
        let middle = Device {
            record: "record 4".into(),
            model: Some("iPhone 15".into()),
            last_check_in: Some("2026-11-21T08:00:00Z".into()),
            ..Device::default()
        };
        let old = Device {
            record: "record 3".into(),
            encryption: Some(false),
            encryption_detail: Some("isEncrypted = false, but hardwareInformation.isEncrypted = true (the export disagrees with itself)".into()),
            encryption_contradiction: Some("export".into()),
            last_check_in: Some("2026-10-01T08:00:00Z".into()),
            installed_messengers: Some(vec!["whatsapp".into()]),
            raw: raw(Some("isEncrypted = false")),
            ..Device::default()
        };
        let merged = merge(vec![
            (old, source("intune-graph", "record 3")),
            (fresh, source("csv", "line 2")),
            (middle, source("jamf-json", "record 4")),
        ]);
        let noted: Vec<(&str, usize)> = merged
            .filled_from
            .iter()
            .map(|(p, &at)| (p.as_str(), at))
            .collect();
        assert_eq!(
            noted,
            [
                ("encryption", 2),
                ("encryption_contradiction", 2),
                ("encryption_detail", 2),
                ("model", 1),
                ("raw.encryption", 2),
            ]
        );
        assert_eq!(merged.sources[2].record, "record 3");
        assert_eq!(merged.encryption_contradiction.as_deref(), Some("export"));
        // A device only one export lists notes nothing, nor its JSON.
        let one = merge(vec![(Device::default(), source("csv", "line 2"))]);
        assert!(one.filled_from.is_empty());
        assert!(!serde_json::to_string(&one).unwrap().contains("filled_from"));
    }

    /// The contradiction behind the encryption fact is the record's whose
    /// evidence text the device keeps, never another record's.
    #[test]
    fn a_contradiction_comes_only_with_its_records_encryption() {
        let with = |record: &str, check_in: &str, contradiction: Option<&str>| Device {
            record: record.into(),
            encryption: Some(true),
            encryption_contradiction: contradiction.map(str::to_string),
            encryption_detail: contradiction.map(|_| "the words".to_string()),
            last_check_in: Some(check_in.into()),
            raw: crate::facts::DeviceRaw {
                encryption: Some(format!("isEncrypted = true ({record})")),
                ..Default::default()
            },
            ..Device::default()
        };
        let merged = merge(vec![
            (
                with("record 1", "2026-10-01T08:00:00Z", Some("exports")),
                source("intune-graph", "record 1"),
            ),
            (
                with("line 2", "2026-11-22T08:00:00Z", None),
                source("csv", "line 2"),
            ),
        ]);
        assert_eq!(merged.encryption_contradiction, None);
        assert_eq!(merged.encryption_detail, None);
        assert!(merged.filled_from.is_empty(), "{:?}", merged.filled_from);
    }

    #[test]
    fn device_ids_of_different_mdms_never_match() {
        let d = Device {
            identifiers: crate::facts::DeviceIdentifiers {
                device_id: Some("17".into()),
                ..Default::default()
            },
            ..Device::default()
        };
        assert_ne!(keys(&d, Format::JamfJson), keys(&d, Format::WorkspaceOne));
        assert_eq!(keys(&d, Format::JamfJson), keys(&d, Format::JamfXml));
        assert_eq!(keys(&d, Format::IntuneGraph), keys(&d, Format::IntuneCsv));
    }

    #[test]
    fn a_device_no_other_export_lists_passes_at_once() {
        let mut m = Merger::new(Survey::grouped(&[((0, 0), (1, 3))]));
        let mut count = MergeCount::default();
        let d = Device::default();
        assert!(m
            .pass(0, 1, d.clone(), source("a", "1"), &mut count)
            .is_some());
        assert!(m
            .pass(0, 0, d.clone(), source("a", "0"), &mut count)
            .is_none());
        let merged = m.pass(1, 3, d, source("b", "3"), &mut count).unwrap();
        assert_eq!(merged.sources.len(), 2);
        assert_eq!(count.merged_later, 1);
        assert_eq!(count.merged_here, 1);
        assert!(m.release().is_empty());
        // A group whose last export never streams is released by file.
        let mut m = Merger::new(Survey::grouped(&[((0, 0), (1, 3))]));
        assert!(m
            .pass(0, 0, Device::default(), source("a", "0"), &mut count)
            .is_none());
        let rest = m.release();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].0, "a.export");
    }
}
