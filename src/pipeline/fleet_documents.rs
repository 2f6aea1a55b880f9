//! Inventory facts documents given to a scan (`msgaudit facts` output of a
//! device export): their devices join the fleet judged as this run judges
//! the exports it reads.
//!
//! A document keeps the fields derived on the day it was made
//! (`patch_age_days`, `days_since_check_in`, `os_support`): with the audit
//! date, OS support data and Android patch-level floor of that run. Scanned
//! later, those fields would show a device as it stood then: a check-in
//! "115 days" ago when a year has passed, a patch level judged against an
//! older newest level. So the devices are derived again with this run's
//! audit date, OS data and floor ([`derive`]), from the fields the document
//! holds as read (platform, OS version, patch level, check-in). Their patch
//! levels count towards the floor every device of the run is judged against
//! ([`seed`]), as an export's do.

use super::exports::failed;
use super::patch_floor::PatchFloor;
use crate::checks::{FleetBuilder, Input};
use crate::extract::inventory::{derive, os_data};
use crate::extract::ExtractOptions;
use crate::facts::Facts;

/// Whether `input` is an inventory facts document.
pub(super) fn is_document(input: &Input) -> bool {
    matches!(input, Input::Facts(Facts::Inventory(_)))
}

/// The patch-level floor the devices of the documents at `at` in `inputs`
/// show, for an audit on `options.as_of`.
pub(super) fn seed(inputs: &[Input], at: &[usize], options: &ExtractOptions) -> PatchFloor {
    let mut floor = PatchFloor::new(options.as_of);
    for &i in at {
        if let Input::Facts(Facts::Inventory(inv)) = &inputs[i] {
            inv.devices.iter().for_each(|d| floor.see(d));
        }
    }
    floor
}

/// Takes the documents at `at` in `inputs` into `fleet`, in order, their
/// devices derived again with `options` (the run's audit date, OS data and
/// final floor). When the OS data cannot be loaded, a document is no
/// fleet of its own: it is added to `unreadable` with the reason, as an
/// export would be.
pub(super) fn take(
    inputs: &mut [Input],
    at: &[usize],
    options: &ExtractOptions,
    fleet: &mut FleetBuilder<'_, '_>,
    unreadable: &mut Vec<Input>,
) -> std::io::Result<()> {
    if at.is_empty() {
        return Ok(());
    }
    let os = os_data(options);
    for &i in at {
        let Input::Facts(Facts::Inventory(inv)) = &mut inputs[i] else {
            continue;
        };
        match &os {
            Ok(os) => {
                for d in &mut inv.devices {
                    derive(d, os, options.as_of);
                }
                fleet.take_inventories(std::iter::once(&inputs[i]))?;
            }
            Err(e) => {
                fleet.note_inventory();
                unreadable.push(failed(inv.file.path.clone(), e));
            }
        }
    }
    Ok(())
}
