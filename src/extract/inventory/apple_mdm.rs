//! Apple MDM protocol responses: `DeviceInformation` (`QueryResponses`) and
//! `SecurityInfo`, as a property list (XML or binary) holding one response
//! or an array of responses. Responses of the same device (`UDID`, or
//! `EnrollmentID` for User Enrollment) are merged into one device.
//!
//! Apple's rule for data protection (the iOS "encrypted storage" fact):
//! `HardwareEncryptionCaps == 3` **and** `PasscodePresent == true`.
//! The protocol reports no jailbreak status, no patch level and no check-in
//! time: those stay unknown.

use std::io::Read;

use serde_json::{Map, Value};

use super::detect::Head;
use super::note::{Note, Reason, Unit};
use super::pseudonym::udid;
use super::record::{raw, scalar_text, Builder, Flag, Slot};
use super::{xml, Collected, Ctx, InventoryError};
use crate::facts::Device;
use crate::lang::wording_de::plist as words;

/// Converts a plist value to JSON (dates as RFC 3339, data and UIDs dropped),
/// bounded in depth.
fn to_json(v: &plist::Value, depth: usize, max: usize) -> Result<Value, InventoryError> {
    if depth > max {
        return Err(InventoryError::TooDeep(max));
    }
    Ok(match v {
        plist::Value::Dictionary(d) => {
            let mut m = Map::new();
            for (k, v) in d {
                m.insert(k.clone(), to_json(v, depth + 1, max)?);
            }
            Value::Object(m)
        }
        plist::Value::Array(a) => Value::Array(
            a.iter()
                .map(|v| to_json(v, depth + 1, max))
                .collect::<Result<_, _>>()?,
        ),
        plist::Value::Boolean(b) => Value::Bool(*b),
        plist::Value::Integer(i) => match (i.as_signed(), i.as_unsigned()) {
            (Some(s), _) => Value::from(s),
            (None, Some(u)) => Value::from(u),
            _ => Value::Null,
        },
        plist::Value::Real(r) => {
            serde_json::Number::from_f64(*r).map_or(Value::Null, Value::Number)
        }
        plist::Value::String(s) => Value::String(s.clone()),
        plist::Value::Date(d) => {
            let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::from(*d).into();
            Value::String(t.to_rfc3339())
        }
        _ => Value::Null,
    })
}

/// Largest Apple MDM response file read (bytes). These exports are single
/// command responses (one device, or one response per device of a small
/// batch) and are parsed as a whole, so their size is bounded instead of
/// streamed; a real response is a few KiB.
pub const MAX_PLIST: u64 = 64 << 20;

/// Apple MDM DeviceInformation / SecurityInfo responses: a property list.
pub fn detect(h: &Head) -> bool {
    h.binary_plist || (h.first == Some(b'<') && h.has("<plist"))
}

/// Reads Apple MDM responses from `input` (at most [`MAX_PLIST`] bytes).
pub fn read(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_PLIST.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| InventoryError::Read(e.to_string()))?;
    if bytes.len() as u64 > MAX_PLIST {
        return Err(InventoryError::PlistTooLarge(MAX_PLIST));
    }
    let (root, repeats) = to_value_noting(&bytes, &ctx.limits)?;
    drop(bytes);
    // A key one dictionary gives twice with different values: both kept
    // (the fact is left unknown), and said.
    for r in repeats.listed {
        let values = shown(&r.path, r.values);
        out.warn(Note::RepeatedKey {
            response: r.element.map_or(1, |e| e.saturating_add(1)) as u64,
            key: r.path,
            values,
        });
    }
    if repeats.more > 0 {
        out.warn(Note::MoreRepeatedKeys(repeats.more));
    }
    let responses = match root {
        Value::Array(a) => a,
        other => vec![other],
    };
    // Merge responses per device, keeping first-seen order.
    let mut order: Vec<String> = Vec::new();
    let mut merged: std::collections::HashMap<String, (usize, Map<String, Value>)> =
        std::collections::HashMap::new();
    // Responses that come from a device (answers, errors, NotNow): a property
    // list with none of them is not an MDM export (e.g. an app's Info.plist).
    let mut device_responses = 0usize;
    // InstalledApplicationList responses: (response number, UDID, list).
    let mut app_lists: Vec<(usize, String, Value)> = Vec::new();
    for (i, r) in responses.into_iter().enumerate() {
        let n = i.saturating_add(1);
        let Value::Object(mut r) = r else {
            out.warn(Note::Skipped {
                unit: Unit::Response,
                number: n as u64,
                reason: Reason::NotDictionary,
            });
            continue;
        };
        let status = r.get("Status").and_then(scalar_text).unwrap_or_default();
        if status == "Error" || status == "NotNow" {
            device_responses += 1;
            out.warn(Note::DeviceAnswered {
                response: n as u64,
                status,
            });
            continue;
        }
        // An InstalledApplicationList response of a device in this file:
        // joined to it below by UDID (acknowledged answers only).
        if let (Some(udid), Some(list)) = (
            r.get("UDID").and_then(scalar_text),
            r.get(APP_LIST)
                .filter(|_| status.is_empty() || status == "Acknowledged"),
        ) {
            if !r.contains_key("QueryResponses") && !r.contains_key("SecurityInfo") {
                app_lists.push((n, udid, list.clone()));
                continue;
            }
        }
        let mut flat = Map::new();
        if let Some(Value::Object(q)) = r.remove("QueryResponses") {
            flat.extend(q);
        }
        let has_security = r.contains_key("SecurityInfo");
        let has_info = flat.contains_key("OSVersion") || r.contains_key("OSVersion");
        if !has_security && !has_info {
            out.warn(Note::Skipped {
                unit: Unit::Response,
                number: n as u64,
                reason: Reason::NotDeviceResponse,
            });
            continue;
        }
        device_responses += 1;
        // A key given in `QueryResponses` and at the top level: the same
        // value is that value, two values leave the fact unknown.
        let mut differ = Vec::new();
        merge_response(&mut flat, r, "", &[], &mut differ);
        for (path, a, b) in differ {
            let values = shown(&path, (json_short(&a), json_short(&b)));
            out.warn(Note::TwoPlaces {
                response: n as u64,
                key: path,
                values,
            });
        }
        // One device whatever the case of its UDID's hex letters.
        let key = ["UDID", "EnrollmentID", "EnrollmentUserID"]
            .iter()
            .find_map(|k| flat.get(*k).and_then(scalar_text))
            .map(|id| udid(&id))
            .unwrap_or_else(|| format!("#response-{n}"));
        match merged.get_mut(&key) {
            Some((first, m)) => {
                let mut differ = Vec::new();
                merge_response(m, flat, "", &OWN_KEYS, &mut differ);
                for (path, a, b) in differ {
                    let values = shown(&path, (json_short(&a), json_short(&b)));
                    out.warn(Note::ResponsesDisagree {
                        first: *first as u64,
                        again: n as u64,
                        key: path,
                        values,
                    });
                }
            }
            None => {
                order.push(key.clone());
                merged.insert(key, (n, flat));
            }
        }
    }
    if device_responses == 0 {
        return Err(InventoryError::NotDevices(
            "a property list, but no Apple MDM DeviceInformation or SecurityInfo response in it"
                .to_string(),
        ));
    }
    // Each app list goes to the device with its UDID; several lists of one
    // device are one list. A list whose device is not in the file is noted.
    for (n, id, list) in app_lists {
        match merged.get_mut(&udid(&id)) {
            Some((_, m)) => match m.get_mut(APP_LIST) {
                Some(Value::Array(apps)) => {
                    if let Value::Array(more) = list {
                        apps.extend(more);
                    }
                }
                _ => {
                    m.insert(APP_LIST.to_string(), list);
                }
            },
            None => out.warn(Note::Skipped {
                unit: Unit::Response,
                number: n as u64,
                reason: Reason::AppListWithoutDevice,
            }),
        }
    }
    for key in order {
        if let Some((n, m)) = merged.remove(&key) {
            out.push(device(&Value::Object(m), n, ctx));
        }
    }
    Ok(())
}

/// Keys of a response that each response has its own of (every command
/// its own `CommandUUID`), or that are the key responses are merged by
/// (equal but for letter case): a device's first response keeps its own.
const OWN_KEYS: [&str; 6] = [
    "CommandUUID",
    "RequestType",
    "Status",
    "UDID",
    "EnrollmentID",
    "EnrollmentUserID",
];

/// Keys whose values are device facts msgaudit reads (no identifiers): a
/// note quotes the values of these keys only.
const FACT_KEYS: [&str; 18] = [
    "OSVersion",
    "BuildVersion",
    "SupplementalOSVersionExtra",
    "SupplementalBuildVersion",
    "ProductName",
    "ModelName",
    "Model",
    "IsSupervised",
    "IsCloudBackupEnabled",
    "IsMDMLostModeEnabled",
    "IsActivationLockEnabled",
    "PasscodePresent",
    "PasscodeCompliant",
    "PasscodeCompliantWithProfiles",
    "IsUserEnrollment",
    "FDE_Enabled",
    "HardwareEncryptionCaps",
    "Status",
];

/// The two values a note may quote for the key at `path`: those of a
/// device fact ([`FACT_KEYS`]) or of an installed-app list (bundle ids,
/// app names and versions, under `InstalledApplicationList`); `None` for
/// anything else (it may be an identifier).
pub(super) fn shown(path: &str, values: (String, String)) -> Option<(String, String)> {
    let last = path.rsplit('.').next().unwrap_or(path);
    let app = path == APP_LIST
        || path
            .strip_prefix(APP_LIST)
            .is_some_and(|rest| rest.starts_with('.'));
    (app || FACT_KEYS.contains(&last)).then_some(values)
}

/// A JSON value in a few characters (at most 40 of a text), as
/// [`crate::extract::ios::plist::short`] writes a plist value.
fn json_short(v: &Value) -> String {
    match v {
        Value::String(s) => crate::extract::ios::plist::short_text(s),
        Value::Object(_) => "dict".into(),
        Value::Array(_) => "array".into(),
        other => other.to_string(),
    }
}

/// Adds a later response of a device (`from`) to its responses so far
/// (`into`): a key the device has not given yet is added; the same value
/// again changes nothing; dictionaries are merged key by key; another
/// value makes the key's value the list of both (a reader that expects a
/// scalar finds none, so the fact is left unknown, whichever response came
/// first) and is listed in `differ` (dotted path, value so far, new value).
/// The top-level keys `own` (each response's own: [`OWN_KEYS`]) keep the
/// value so far.
fn merge_response(
    into: &mut Map<String, Value>,
    from: Map<String, Value>,
    path: &str,
    own: &[&str],
    differ: &mut Vec<(String, Value, Value)>,
) {
    for (k, v) in from {
        let inner = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        match into.get_mut(&k) {
            None => {
                into.insert(k, v);
            }
            Some(_) if path.is_empty() && own.contains(&k.as_str()) => {}
            Some(old) if *old == v => {}
            Some(Value::Object(o)) if v.is_object() => {
                if let Value::Object(v) = v {
                    merge_response(o, v, &inner, &[], differ);
                }
            }
            Some(old) => {
                differ.push((inner, old.clone(), v.clone()));
                let first = old.take();
                *old = Value::Array(vec![first, v]);
            }
        }
    }
}

/// A property list (XML, checked for entities first, or binary) as JSON,
/// read with the shared bounded reader (depth and the decoded-byte budget,
/// `Limits::max_plist_decoded`, are checked value by value, so a binary
/// plist whose objects are referenced many times is refused after the
/// budget instead of expanding in memory); a key a dictionary gives twice
/// is kept as both and listed
/// ([`crate::extract::ios::plist::read_plist_repeats`]).
pub(super) fn to_value_noting(
    bytes: &[u8],
    limits: &crate::limits::Limits,
) -> Result<(Value, crate::extract::ios::plist::Repeats), InventoryError> {
    use crate::extract::ios::plist::read_plist_repeats;
    if !bytes.starts_with(b"bplist") {
        xml::check_safe(bytes, limits.max_depth)?;
    }
    let max = usize::try_from(MAX_PLIST).unwrap_or(usize::MAX);
    let (value, repeats) = read_plist_repeats(bytes, max, limits).map_err(plist_error)?;
    Ok((to_json(&value, 0, limits.max_depth)?, repeats))
}

/// A property list reader's error as an inventory error.
fn plist_error(e: crate::extract::ios::plist::PlistError) -> InventoryError {
    use crate::extract::ios::plist::PlistError;
    match e {
        PlistError::TooLarge { .. } => InventoryError::PlistTooLarge(MAX_PLIST),
        PlistError::TooDeep { limit } => InventoryError::TooDeep(limit),
        PlistError::Empty => InventoryError::Empty,
        PlistError::Syntax(s) => InventoryError::Plist(plist_syntax(&s)),
        PlistError::OverBudget { limit } => InventoryError::Plist(words::over_budget(limit)),
        other => InventoryError::Plist(other.to_string()),
    }
}

/// A property list reader's syntax error `s` in words, with the byte
/// where the reader stopped when it says: „UnclosedXmlElement (offset
/// 400)“ is "the file ends early (truncated) at byte 400 of the export".
/// [`words::german`] says the same in German; both
/// read the one table of wordings ([`words::PLIST_PROBLEMS`]).
fn plist_syntax(s: &str) -> String {
    use words::{AT_BYTE, KEY_WITHOUT_VALUE, PLIST_INVALID, PLIST_PROBLEMS};
    let (body, byte) = match s.rsplit_once(" (offset ") {
        Some((body, rest)) => match rest.strip_suffix(')').map(str::parse::<u64>) {
            Some(Ok(n)) => (body, Some(n)),
            _ => (s, None),
        },
        None => (s, None),
    };
    // The kind's name: `UnknownObjectType(7)` and `UnexpectedEventType {
    // expected: …, found: … }` are named by their first word.
    let name: String = body
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let what = PLIST_PROBLEMS
        .iter()
        .find(|(names, ..)| names.contains(&body) || names.contains(&name.as_str()))
        .map(|(_, en, _)| (*en).to_string())
        .or_else(|| {
            let key = body
                .strip_prefix("dictionary key '")?
                .strip_suffix("' has no value")?;
            Some(format!(
                "{}{key}{}",
                KEY_WITHOUT_VALUE.0, KEY_WITHOUT_VALUE.1
            ))
        })
        .unwrap_or_else(|| PLIST_INVALID.0.to_string());
    match byte {
        Some(n) => format!("{what}{}{n}{}", AT_BYTE.0, AT_BYTE.1),
        None => what,
    }
}

/// Platform from an Apple product name (`iPhone11,8`, `iPad7,5`, `MacBookPro11,5`).
fn platform_of_product(p: &str) -> Option<&'static str> {
    let l = p.to_ascii_lowercase();
    if l.starts_with("iphone") || l.starts_with("ipod") {
        Some("ios")
    } else if l.starts_with("ipad") {
        Some("ipados")
    } else if l.starts_with("mac") || l.starts_with("imac") {
        Some("macos")
    } else if l.starts_with("appletv") {
        Some("tvos")
    } else if l.starts_with("watch") {
        Some("watchos")
    } else {
        None
    }
}

/// Maps one merged device.
fn device(v: &Value, n: usize, ctx: &Ctx) -> Device {
    let mut b = Builder::of(format!("response {n}"), v, ctx);
    b.ident(Slot::Udid, &["UDID", "EnrollmentID"]);
    b.ident(Slot::DeviceId, &["UDID", "EnrollmentID"]);
    b.ident(Slot::Serial, &["SerialNumber"]);
    b.ident(Slot::DeviceName, &["DeviceName"]);
    b.ident(Slot::Imei, &["IMEI"]);
    b.ident(Slot::Phone, &["PhoneNumber"]);
    b.d.platform = b
        .rec
        .text(&["ProductName", "ModelName", "Model"])
        .and_then(|(_, p)| platform_of_product(&p))
        .map(str::to_string);
    b.model(&["ModelName", "ProductName"]);
    b.os_version(&["OSVersion"]);
    b.os_build(&["BuildVersion"]);
    b.rsr(&["SupplementalOSVersionExtra"]);
    b.flag(Flag::Supervised, &["IsSupervised"]);
    b.flag(Flag::CloudBackup, &["IsCloudBackupEnabled"]);
    b.flag(Flag::LostMode, &["IsMDMLostModeEnabled"]);
    b.flag(Flag::Passcode, &["SecurityInfo.PasscodePresent"]);
    b.flag(
        Flag::PasscodeCompliant,
        &[
            "SecurityInfo.PasscodeCompliant",
            "SecurityInfo.PasscodeCompliantWithProfiles",
        ],
    );
    b.flag(
        Flag::UserEnrollment,
        &["SecurityInfo.ManagementStatus.IsUserEnrollment"],
    );
    // Answering an MDM command is proof of enrollment.
    let status = b.rec.text(&["Status"]).map(|(_, s)| s).unwrap_or_default();
    b.set_flag(
        Flag::Managed,
        Some(true),
        Some(format!("answered an MDM command (Status = {status:?})")),
    );
    if b.d.user_enrollment == Some(true) {
        b.d.ownership = Some("personal".into());
        b.d.raw.ownership = Some("SecurityInfo.ManagementStatus.IsUserEnrollment = true".into());
        b.d.management_mode = Some("user enrollment".into());
    } else if b.d.supervised == Some(true) {
        b.d.management_mode = Some("supervised".into());
    }
    if b.d.platform.as_deref() == Some("macos") {
        b.flag(Flag::Encryption, &["SecurityInfo.FDE_Enabled"]);
    } else if let Some((p, caps)) = b.rec.first(&["SecurityInfo.HardwareEncryptionCaps"]) {
        let caps_n = caps.as_i64();
        let value = match (caps_n, b.d.passcode) {
            (Some(3), Some(true)) => Some(true),
            (Some(c), _) if c != 3 => Some(false),
            (_, Some(false)) => Some(false),
            _ => None,
        };
        // Data protection needs caps 3 and a passcode: the evidence names
        // both fields as the export gave them (only key = value, so that it
        // reads the same in every report language).
        let evidence = match b.d.passcode {
            Some(x) => format!("{}, SecurityInfo.PasscodePresent = {x}", raw(p, caps)),
            None => format!("{}, SecurityInfo.PasscodePresent = –", raw(p, caps)),
        };
        b.d.encryption_detail = Some(format!("HardwareEncryptionCaps = {}", caps));
        b.set_flag(Flag::Encryption, value, Some(evidence));
    }
    b.d.installed_messengers =
        super::messengers::of_record(&b.rec, APP_LIST, &["Identifier"], &["Name"]);
    b.finish()
}

/// The response key of an installed-app list.
const APP_LIST: &str = "InstalledApplicationList";
