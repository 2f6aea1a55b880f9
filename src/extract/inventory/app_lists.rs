//! Apple MDM `InstalledApplicationList` responses given to a scan as files
//! of their own (one per device, the device's `UDID` in the response): read
//! into one bounded index before the device lists stream, and joined to the
//! device with the same (pseudonymized) UDID from any export of the scan,
//! which then knows its installed messengers.
//!
//! Decisions (documented in `docs/facts-inventory.md`):
//! - an app is matched by its `Identifier` (bundle id), else by its whole
//!   `Name` ([`super::messengers::recognise`]);
//! - a device's own app list (from its export) is never overwritten;
//! - a response with `Status` other than `Acknowledged`, or without `UDID`,
//!   tells nothing: such a file is an error when it holds no usable list;
//! - a list whose device is not in the scan is reported after the scan
//!   ([`AppListIndex::unmatched`]), never silently dropped.

use std::collections::HashMap;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::Value;
use thiserror::Error;

use super::pseudonym::{IdKind, Pseudonymizer};
use super::record::scalar_text;
use crate::facts::Device;

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
            AppListError::OverBudget { file, budget } => format!(
                "{file}: Die Listen installierter Apps dieses Scans überschreiten {budget} Bytes; bitte weniger auf einmal prüfen"
            ),
        }
    }
}

/// One device's list.
#[derive(Debug)]
struct Entry {
    /// Messenger ids, sorted, without repeats.
    messengers: Vec<String>,
    /// Apps the list holds.
    apps: usize,
    /// The file it came from.
    file: String,
    /// Whether a device of the scan took it.
    matched: AtomicBool,
}

/// The app lists of a scan, by pseudonymized UDID.
#[derive(Debug)]
pub struct AppListIndex {
    pn: Pseudonymizer,
    budget: u64,
    used: u64,
    by_udid: HashMap<String, Entry>,
}

impl AppListIndex {
    /// An empty index pseudonymizing UDIDs like the device readers, holding
    /// at most `budget` bytes of files.
    pub fn new(pn: Pseudonymizer, budget: u64) -> Self {
        AppListIndex {
            pn,
            budget,
            used: 0,
            by_udid: HashMap::new(),
        }
    }

    /// Whether no list was read.
    pub fn is_empty(&self) -> bool {
        self.by_udid.is_empty()
    }

    /// Reads one file (a single response or an array of responses, XML or
    /// binary plist) named `file`.
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
        let root = super::apple_mdm::to_value(&bytes, limits).map_err(|e| fail(e.to_string()))?;
        drop(bytes);
        let responses = match root {
            Value::Array(a) => a,
            other => vec![other],
        };
        let mut read = 0usize;
        for r in &responses {
            let acknowledged = r
                .get("Status")
                .and_then(scalar_text)
                .is_none_or(|s| s == "Acknowledged");
            let udid = r.get("UDID").and_then(scalar_text);
            let list = r.get(KEY).filter(|_| acknowledged);
            let (Some(udid), Some(list)) = (udid, list) else {
                continue;
            };
            let Some((messengers, apps)) =
                super::messengers::in_app_list(list, &["Identifier"], &["Name"])
            else {
                continue;
            };
            let Some(key) = self.pn.apply(IdKind::DeviceId, &udid) else {
                continue;
            };
            read += 1;
            // A later list of the same device adds to the earlier one.
            let e = self.by_udid.entry(key).or_insert_with(|| Entry {
                messengers: Vec::new(),
                apps: 0,
                file: file.to_string(),
                matched: AtomicBool::new(false),
            });
            e.messengers.extend(messengers);
            e.messengers.sort();
            e.messengers.dedup();
            e.apps = e.apps.saturating_add(apps);
        }
        if read == 0 {
            return Err(AppListError::NoList {
                file: file.to_string(),
            });
        }
        Ok(())
    }

    /// Gives `d` the list of its UDID when its export listed no apps.
    pub fn apply(&self, d: &mut Device) {
        let Some(e) = d
            .identifiers
            .udid
            .as_deref()
            .and_then(|u| self.by_udid.get(u))
        else {
            return;
        };
        e.matched.store(true, Ordering::Relaxed);
        if d.installed_messengers.is_none() {
            d.installed_messengers = Some(e.messengers.clone());
        }
    }

    /// The files whose lists no device of the scan took, each once, with
    /// the (pseudonymized) UDIDs left over, sorted.
    pub fn unmatched(&self) -> Vec<(String, Vec<String>)> {
        let mut by_file: std::collections::BTreeMap<&str, Vec<String>> = Default::default();
        for (udid, e) in &self.by_udid {
            if !e.matched.load(Ordering::Relaxed) {
                by_file.entry(&e.file).or_default().push(udid.clone());
            }
        }
        by_file
            .into_iter()
            .map(|(f, mut u)| {
                u.sort();
                (f.to_string(), u)
            })
            .collect()
    }

    /// The message for a file none of whose lists found its device (English,
    /// German; the file is named by the row that carries it).
    pub fn without_device(udids: &[String]) -> (String, String) {
        let list = udids.join(", ");
        (
            format!(
                "an Apple MDM installed-app list is joined to the device with the same UDID in the same scan; no device of this scan has UDID {list}, so the list was not used (add the device's export)"
            ),
            format!(
                "Eine Apple-MDM-Liste installierter Apps wird dem Gerät mit derselben UDID im selben Scan zugeordnet; kein Gerät dieses Scans hat die UDID {list}, daher blieb die Liste unberücksichtigt (bitte den Export des Geräts hinzufügen)"
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

    #[test]
    fn joins_by_udid_and_keeps_the_exports_own_list() {
        assert!(sniff(LIST.as_bytes()));
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("a.plist", &mut LIST.as_bytes(), &limits).unwrap();
        let pn = Pseudonymizer::new(Some("k"), false);
        let mut d = Device::default();
        d.identifiers.udid = pn.apply(IdKind::DeviceId, "00008110-000000000000001e");
        ix.apply(&mut d);
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
        let mut own = Device::default();
        own.identifiers.udid = d.identifiers.udid.clone();
        own.installed_messengers = Some(Vec::new());
        ix.apply(&mut own);
        assert_eq!(own.installed_messengers, Some(Vec::new()));
    }

    #[test]
    fn a_list_without_its_device_is_reported() {
        let mut ix = index();
        let limits = crate::limits::Limits::default();
        ix.read("a.plist", &mut LIST.as_bytes(), &limits).unwrap();
        let mut other = Device::default();
        other.identifiers.udid = Some("someone-else".into());
        ix.apply(&mut other);
        assert_eq!(other.installed_messengers, None);
        let left = ix.unmatched();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].0, "a.plist");
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
}
