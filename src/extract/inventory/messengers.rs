//! Messengers among a device's installed apps: the knowledge base
//! `checks/messengers.toml` and the matching of installed-app list entries
//! (package or bundle id, else the whole display name) against it.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::Value;

use super::record::Rec;

/// The built-in messenger list.
pub const BUILTIN_TOML: &str = include_str!("../../../checks/messengers.toml");

/// One messenger of the list.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Messenger {
    /// Stable short id, e.g. `threema-work`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Android package names.
    #[serde(default)]
    pub android: Vec<String>,
    /// iOS bundle identifiers.
    #[serde(default)]
    pub ios: Vec<String>,
    /// Display names (matched whole, case-insensitively).
    #[serde(default)]
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    messenger: Vec<Messenger>,
}

/// The built-in list (parsed once; the file is tested to parse).
pub fn builtin() -> &'static [Messenger] {
    static LIST: OnceLock<Vec<Messenger>> = OnceLock::new();
    LIST.get_or_init(|| {
        toml::from_str::<File>(BUILTIN_TOML)
            .map(|f| f.messenger)
            .unwrap_or_default()
    })
}

/// How an installed app was recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// By package or bundle id.
    Id,
    /// By display name alone.
    Name,
}

/// The messenger an installed app is, by its `id` (package or bundle id) or,
/// when it has no id, its whole display `name`.
pub fn recognise<'l>(
    list: &'l [Messenger],
    id: Option<&str>,
    name: Option<&str>,
) -> Option<(&'l Messenger, Match)> {
    if let Some(id) = id.map(str::trim).filter(|i| !i.is_empty()) {
        return list
            .iter()
            .find(|m| m.android.iter().chain(&m.ios).any(|x| x == id))
            .map(|m| (m, Match::Id));
    }
    let name = name.map(str::trim).filter(|n| !n.is_empty())?;
    list.iter()
        .find(|m| m.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
        .map(|m| (m, Match::Name))
}

/// The messengers in an installed-app list (a JSON array of app objects),
/// reading the id from the first of `id_keys` and the name from the first of
/// `name_keys` present in each entry: their ids, sorted, without repeats,
/// and the entries the list holds. `None` when `apps` is not an array, and
/// when an entry is ambiguous (an array where an app object or its id or
/// name belongs: what a property list that gives a key twice with
/// different values is read as), so the list tells no clear fact: neither
/// reading may be matched, nor the entry dropped.
pub fn in_app_list(
    apps: &Value,
    id_keys: &[&str],
    name_keys: &[&str],
) -> Option<(Vec<String>, usize)> {
    let apps = apps.as_array()?;
    let ambiguous = |app: &Value| {
        app.is_array()
            || id_keys
                .iter()
                .chain(name_keys)
                .any(|k| app.get(*k).is_some_and(Value::is_array))
    };
    if apps.iter().any(ambiguous) {
        return None;
    }
    let text = |app: &Value, keys: &[&str]| {
        keys.iter()
            .find_map(|k| app.get(*k).and_then(Value::as_str))
            .map(str::to_string)
    };
    let mut found: Vec<String> = apps
        .iter()
        .filter_map(|app| {
            recognise(
                builtin(),
                text(app, id_keys).as_deref(),
                text(app, name_keys).as_deref(),
            )
        })
        .map(|(m, _)| m.id.clone())
        .collect();
    found.sort();
    found.dedup();
    Some((found, apps.len()))
}

/// The messengers of a device record's installed-app list under `key`
/// (see [`in_app_list`]); `None` when the record has no such list. Looked
/// up through the record, as every key an adapter reads.
pub fn of_record(
    record: &Rec<'_>,
    key: &str,
    id_keys: &[&str],
    name_keys: &[&str],
) -> Option<Vec<String>> {
    record
        .raw(key)
        .and_then(|apps| in_app_list(apps, id_keys, name_keys))
        .map(|(found, _)| found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_list_parses_with_unique_ids() {
        let list: File = toml::from_str(BUILTIN_TOML).unwrap();
        assert_eq!(builtin().len(), list.messenger.len());
        assert!(builtin().len() >= 20);
        let mut ids: Vec<&str> = builtin().iter().map(|m| m.id.as_str()).collect();
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate messenger ids");
        for m in builtin() {
            assert!(!m.names.is_empty(), "{} has no display name", m.id);
        }
    }

    #[test]
    fn ids_decide_before_names() {
        let l = builtin();
        let (m, how) = recognise(l, Some("ch.threema.app.work"), Some("Threema")).unwrap();
        assert_eq!((m.id.as_str(), how), ("threema-work", Match::Id));
        let (m, how) = recognise(l, None, Some("  whatsapp messenger ")).unwrap();
        assert_eq!((m.id.as_str(), how), ("whatsapp", Match::Name));
        // An id that is not a messenger is not one, whatever its name says.
        assert!(recognise(l, Some("com.example.fake"), Some("WhatsApp")).is_none());
        // Names match whole, not in part.
        assert!(recognise(l, None, Some("Signal Strength Meter")).is_none());
        assert!(recognise(l, None, Some("Messages")).is_none());
    }

    #[test]
    fn reads_an_app_list() {
        let apps = serde_json::json!([
            {"displayName": "YouTube", "version": "15.49.4"},
            {"displayName": "WhatsApp", "version": "2.24"},
            {"displayName": "Signal", "version": "7.1"},
            {"displayName": "WhatsApp Messenger"},
            {"packageName": "org.telegram.messenger", "displayName": "Telegram X"}
        ]);
        let (found, n) = in_app_list(&apps, &["packageName"], &["displayName"]).unwrap();
        assert_eq!(found, ["signal", "telegram", "whatsapp"]);
        assert_eq!(n, 5);
        assert!(in_app_list(&Value::Null, &[], &["displayName"]).is_none());
        // Two names for one app (a key given twice): neither is taken.
        let twice = serde_json::json!([
            {"displayName": "Signal"},
            {"displayName": ["Notes", "WhatsApp"]}
        ]);
        assert!(in_app_list(&twice, &["packageName"], &["displayName"]).is_none());
        let lists = serde_json::json!([[{"displayName": "Signal"}], []]);
        assert!(in_app_list(&lists, &["packageName"], &["displayName"]).is_none());
    }
}
