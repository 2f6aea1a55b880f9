//! Workspace ONE UEM installed-app lists: the MDM API v1 response of
//! `GET /API/mdm/devices/{id}/apps` (and of `GET /API/mdm/devices/apps?searchby=…`),
//! `{"DeviceApps":[…],"Page":…,"PageSize":…,"Total":…}`, whose entries name
//! their device (`DeviceId.Id.Value`, `DeviceId.Uuid`), the app's bundle or
//! package id (`ApplicationIdentifier`) and name (`ApplicationName`).
//!
//! Decisions (documented in `docs/facts-inventory.md`):
//! - entries are grouped by the device they name; an entry that names no
//!   device is not used, and a file none of whose entries names one cannot
//!   be joined to a device (an error naming the file);
//! - an entry that names no device may be an app of any device its response
//!   names (a `devices/{id}/apps` response lists one device's apps): the
//!   messengers of those devices are then unknown, never judged from the
//!   rest of the list, and the skipped entries are noted
//!   ([`DeviceList::unnamed`], [`Ws1Lists::unnamed`]);
//! - the v1 `apps/search` response (`app_items`) names no device — only its
//!   request URL does — so it is refused with that reason, never guessed;
//! - `Status` is a number whose values are not documented: every listed
//!   entry counts as on the device (an unknown state can make a device
//!   fail `DEV-06`, never pass it).

use std::collections::BTreeMap;

use serde_json::Value;

use super::messengers::{builtin, recognise};
use super::record::scalar_text;

/// Most bytes of one Workspace ONE app-list file (a page of 500 apps is a
/// few hundred KiB); over it is an error, never a silent cut.
pub const MAX_WS1_APPS: u64 = 16 << 20;

/// The key of the list in a `devices/{id}/apps` response.
const KEY: &str = "DeviceApps";
/// The key of the list in a v1 `devices/{uuid}/apps/search` response.
const SEARCH_KEY: &str = "app_items";

/// Whether the head of a file is a Workspace ONE app-list response: JSON
/// naming `DeviceApps` or `app_items`, and no device search (`Devices`).
pub fn sniff(head: &[u8]) -> bool {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    let json = matches!(
        head.iter().find(|b| !b.is_ascii_whitespace()),
        Some(b'{' | b'[')
    );
    json && (has(b"\"DeviceApps\"") || has(b"\"app_items\"")) && !has(b"\"Devices\"")
}

/// The device an app entry names, as the device search names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct DeviceRef {
    /// `DeviceId.Id.Value` (the device search's `Id.Value`).
    pub id: Option<String>,
    /// `DeviceId.Uuid` (the device search's `Uuid`).
    pub uuid: Option<String>,
}

/// One device's list in a response.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DeviceList {
    /// The device.
    pub device: DeviceRef,
    /// Messenger ids, sorted, without repeats.
    pub messengers: Vec<String>,
    /// Entries the list holds.
    pub apps: usize,
    /// The first response (numbered from 1) with an entry of the device.
    pub response: u64,
    /// The responses (numbered from 1) with entries of the device that also
    /// hold entries naming no device, and how many: those entries may be
    /// the device's, so which messengers it has is unknown.
    pub unnamed: Vec<(u64, usize)>,
}

/// The lists of one file.
#[derive(Debug, PartialEq, Eq)]
pub struct Ws1Lists {
    /// One per device named, in the order of the devices' ids.
    pub lists: Vec<DeviceList>,
    /// Responses (numbered from 1) none of whose entries names a device,
    /// and how many entries they hold, in a file whose other responses do.
    pub unnamed: Vec<(u64, usize)>,
}

/// Why a Workspace ONE app-list file gives no list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unusable {
    /// A `DeviceApps` response none of whose entries names its device.
    NamesNoDevice,
    /// An `apps/search` response (`app_items`): it names no device.
    SearchNamesNoDevice,
    /// No `DeviceApps` list in it.
    NoList,
}

/// The lists of one parsed file (a response or an array of responses), one
/// per device named, in the order of the devices' ids.
pub fn lists(root: &Value) -> Result<Ws1Lists, Unusable> {
    let responses: Vec<&Value> = match root {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    let mut by_device: BTreeMap<DeviceRef, DeviceList> = BTreeMap::new();
    let mut unnamed_responses = Vec::new();
    let (mut has_list, mut has_search) = (false, false);
    for (i, r) in responses.into_iter().enumerate() {
        has_search |= r.get(SEARCH_KEY).is_some_and(Value::is_array);
        let Some(apps) = r.get(KEY).and_then(Value::as_array) else {
            continue;
        };
        has_list = true;
        let mut named: Vec<DeviceRef> = Vec::new();
        let mut unnamed = 0usize;
        for app in apps {
            let Some(device) = named_device(app) else {
                unnamed = unnamed.saturating_add(1);
                continue;
            };
            let text = |k: &str| app.get(k).and_then(Value::as_str);
            let found = recognise(
                builtin(),
                text("ApplicationIdentifier"),
                text("ApplicationName"),
            );
            if !named.contains(&device) {
                named.push(device.clone());
            }
            let e = by_device.entry(device).or_insert_with(|| DeviceList {
                response: i.saturating_add(1) as u64,
                ..DeviceList::default()
            });
            e.messengers.extend(found.map(|(m, _)| m.id.clone()));
            e.apps = e.apps.saturating_add(1);
        }
        if unnamed == 0 {
            continue;
        }
        let response = i.saturating_add(1) as u64;
        if named.is_empty() {
            unnamed_responses.push((response, unnamed));
        }
        for d in named {
            if let Some(e) = by_device.get_mut(&d) {
                e.unnamed.push((response, unnamed));
            }
        }
    }
    if by_device.is_empty() {
        return Err(match (has_list, has_search) {
            (true, _) => Unusable::NamesNoDevice,
            (false, true) => Unusable::SearchNamesNoDevice,
            (false, false) => Unusable::NoList,
        });
    }
    let lists = by_device
        .into_iter()
        .map(|(device, mut list)| {
            list.messengers.sort();
            list.messengers.dedup();
            DeviceList { device, ..list }
        })
        .collect();
    Ok(Ws1Lists {
        lists,
        unnamed: unnamed_responses,
    })
}

/// The device an entry names (`DeviceId` with an `Id.Value` or a `Uuid`).
fn named_device(app: &Value) -> Option<DeviceRef> {
    let d = app.get("DeviceId")?;
    let r = DeviceRef {
        id: d
            .get("Id")
            .and_then(|i| i.get("Value"))
            .and_then(scalar_text),
        uuid: d.get("Uuid").and_then(scalar_text),
    };
    (r.id.is_some() || r.uuid.is_some()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn app(device: Value, id: Option<&str>, name: &str) -> Value {
        let mut a = json!({"ApplicationName": name, "Version": "1.0", "Status": 2,
            "DeviceId": device, "IsManaged": false});
        if let Some(id) = id {
            a["ApplicationIdentifier"] = json!(id);
        }
        a
    }

    #[test]
    fn groups_entries_by_the_device_they_name() {
        let d1 = json!({"Id": {"Value": 5521}, "Name": "x", "Uuid": "u-1"});
        let d2 = json!({"Uuid": "u-2"});
        let page = json!({"DeviceApps": [
            app(d1.clone(), Some("net.whatsapp.WhatsApp"), "WhatsApp"),
            app(d1.clone(), Some("com.example.fake"), "Signal"),
            app(d1, None, "Threema Work"),
            app(d2, Some("org.thoughtcrime.securesms"), "Signal"),
            app(json!(null), Some("com.whatsapp"), "WhatsApp")
        ], "Page": 0, "PageSize": 500, "Total": 5});
        let all = lists(&json!([page])).unwrap();
        let got = &all.lists;
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].device.uuid.as_deref(), Some("u-2"));
        assert_eq!(got[0].messengers, ["signal"]);
        assert_eq!(got[1].device.id.as_deref(), Some("5521"));
        // An id that is no messenger's is not one, whatever its name says.
        assert_eq!(got[1].messengers, ["threema-work", "whatsapp"]);
        assert_eq!(got[1].apps, 3);
        // The entry naming no device may be either device's app.
        assert_eq!(got[0].unnamed, [(1, 1)]);
        assert_eq!(got[1].unnamed, [(1, 1)]);
        assert!(all.unnamed.is_empty());
    }

    #[test]
    fn entries_naming_no_device_are_told_by_response() {
        let d1 = json!({"Uuid": "u-1"});
        let named = json!({"DeviceApps": [app(d1, Some("com.whatsapp"), "WhatsApp")]});
        let unnamed = json!({"DeviceApps": [
            app(json!({}), Some("org.thoughtcrime.securesms"), "Signal"),
            app(json!(null), Some("com.example"), "Example")
        ]});
        let all = lists(&json!([named, unnamed])).unwrap();
        assert_eq!(all.lists.len(), 1);
        assert!(all.lists[0].unnamed.is_empty(), "its own response names it");
        assert_eq!(all.unnamed, [(2, 2)]);
    }

    #[test]
    fn refuses_lists_that_name_no_device() {
        let none = json!({"DeviceApps": [app(json!({}), Some("com.whatsapp"), "WhatsApp")]});
        assert_eq!(lists(&none), Err(Unusable::NamesNoDevice));
        assert_eq!(
            lists(&json!({"DeviceApps": []})),
            Err(Unusable::NamesNoDevice)
        );
        let search = json!({"app_items": [{"name": "WhatsApp", "bundle_id": "net.whatsapp.WhatsApp",
            "installed_status": "Installed"}], "TotalResults": 1});
        assert_eq!(lists(&search), Err(Unusable::SearchNamesNoDevice));
        assert_eq!(lists(&json!({"x": 1})), Err(Unusable::NoList));
        assert!(sniff(br#" {"DeviceApps":[]}"#));
        assert!(sniff(br#"{"app_items":[]}"#));
        assert!(!sniff(br#"{"Devices":[{"DeviceApps":[]}]}"#));
        assert!(!sniff(br#"<plist>"DeviceApps"</plist>"#));
    }
}
