//! The fleet summary's messenger list: devices per messenger found in the
//! installed-app lists, joined with the verdicts of that messenger's apps
//! audited in the same run.

use std::collections::BTreeMap;

use crate::assess::{Assessment, FleetMessenger, MessengerApp};
use crate::extract::inventory::messengers::builtin;

/// Sets `fleet.messengers` of `a` from `counts` (devices per messenger id),
/// most devices first; each with the verdicts of the run's apps whose
/// package or bundle id is one of the messenger's.
pub fn attach(a: &mut Assessment, counts: &BTreeMap<String, usize>) {
    let list = builtin();
    let mut out: Vec<FleetMessenger> = counts
        .iter()
        .filter_map(|(id, devices)| {
            let m = list.iter().find(|m| &m.id == id)?;
            let apps = a
                .targets
                .iter()
                .filter_map(|t| {
                    let app_id = t.target.id.as_deref()?;
                    m.android
                        .iter()
                        .chain(&m.ios)
                        .any(|x| x == app_id)
                        .then(|| MessengerApp {
                            name: t.target.name.clone(),
                            id: app_id.to_string(),
                            verdict: t.verdict,
                        })
                })
                .collect();
            Some(FleetMessenger {
                id: id.clone(),
                name: m.name.clone(),
                devices: *devices,
                apps,
            })
        })
        .collect();
    out.sort_by(|x, y| y.devices.cmp(&x.devices).then(x.id.cmp(&y.id)));
    if let Some(fleet) = &mut a.fleet {
        fleet.messengers = out;
    }
}
