//! Joins Intune's compliance exports ([`super::intune_compliance`]) to the
//! devices of an Intune device list, by (pseudonymized) device id, as they
//! stream: the passcode fact (DEV-02) and, where the device list is silent,
//! the encryption fact (DEV-03).
//!
//! Decisions (documented in `docs/facts-inventory.md`):
//! - a setting state `compliant` or `remediated` → the fact is `true`;
//!   `nonCompliant` → `false`, also while Intune's grace period runs (the
//!   grace period delays Intune's enforcement; the device is unprotected now);
//! - `unknown`, `notApplicable`, `error`, `conflict`, `notAssigned`, no row
//!   at all → the fact stays unknown, and `policy_compliance` says why;
//! - a per-policy device status counts only for a policy that requires the
//!   setting (policy list given in the same scan): `compliant`/`remediated` →
//!   `true`; `nonCompliant` → unknown (the status does not say which of the
//!   policy's settings failed), every other status → unknown;
//! - the device list's own value is never overwritten; an encryption state
//!   that contradicts it is noted in `encryption_detail` (and in German in
//!   `encryption_detail_de`), and `encryption_contradiction` is `exports`.

use super::intune_compliance::{Aspect, ComplianceIndex, DeviceEntry, Finding};
use crate::facts::{locator_de, Device, PolicyCompliance};

/// Most compliance file names cited in one "missing" evidence text.
const NAMED_FILES: usize = 3;

/// Adds what `ix` says about `d` (an Intune device) to its facts.
pub fn apply(ix: &ComplianceIndex, d: &mut Device) {
    let entry = d
        .identifiers
        .device_id
        .as_deref()
        .and_then(|id| ix.device(id));
    let mut pc = PolicyCompliance::default();
    if d.passcode.is_none() {
        let (state, value, evidence, evidence_de) = decide(ix, entry, Aspect::Passcode);
        d.passcode = value;
        d.raw.passcode = Some(evidence);
        d.raw.passcode_de = Some(evidence_de);
        pc.passcode = Some(state);
    }
    if d.encryption.is_none() {
        let (state, value, evidence, evidence_de) = decide(ix, entry, Aspect::Encryption);
        d.encryption = value;
        d.raw.encryption = Some(evidence);
        d.raw.encryption_de = Some(evidence_de);
        pc.encryption = Some(state);
    } else if let Some(f) = entry.and_then(|e| e.settings.get(&Aspect::Encryption)) {
        if f.decides().is_some_and(|v| Some(v) != d.encryption) && d.encryption_detail.is_none() {
            // The text names both records (the device list's and the
            // compliance export's): DEV-03 cites it without a location.
            let record_de = locator_de(&d.record).unwrap_or_else(|| d.record.clone());
            d.encryption_detail = Some(format!(
                "{} in the device list ({}), but {} (the exports disagree)",
                d.raw.encryption.as_deref().unwrap_or("encryption"),
                d.record,
                f.evidence
            ));
            d.encryption_detail_de = Some(format!(
                "{} laut Geräteliste ({record_de}), aber {}; die Exporte widersprechen sich",
                d.raw.encryption.as_deref().unwrap_or("Verschlüsselung"),
                f.evidence_de
            ));
            d.encryption_contradiction = Some("exports".into());
        }
    }
    if pc != PolicyCompliance::default() {
        d.policy_compliance = Some(pc);
    }
}

/// What the aspect's words are in evidence texts.
fn what(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Passcode => "a passcode",
        Aspect::Encryption => "storage encryption",
    }
}

/// [`what`] in German (the object of „verlangt“ / „zu“).
fn what_de(aspect: Aspect) -> &'static str {
    match aspect {
        Aspect::Passcode => "eine Gerätesperre",
        Aspect::Encryption => "Speicherverschlüsselung",
    }
}

/// The state word, the fact and the evidence (English, German) for one
/// aspect of a device.
fn decide(
    ix: &ComplianceIndex,
    entry: Option<&DeviceEntry>,
    aspect: Aspect,
) -> (String, Option<bool>, String, String) {
    if let Some(f) = entry.and_then(|e| e.settings.get(&aspect)) {
        return (
            f.state.clone(),
            f.decides(),
            f.evidence.clone(),
            f.evidence_de.clone(),
        );
    }
    let statuses = entry.map(|e| e.statuses.as_slice()).unwrap_or_default();
    let mut relevant: Vec<(&Finding, &str)> = Vec::new();
    let mut unknown_policy: Option<&Finding> = None;
    for s in statuses {
        match ix.policy(&s.policy) {
            Some(p) => {
                let requires = match aspect {
                    Aspect::Passcode => p.passcode,
                    Aspect::Encryption => p.encryption,
                };
                if requires {
                    relevant.push((&s.finding, p.name.as_str()));
                }
            }
            None => {
                unknown_policy.get_or_insert(&s.finding);
            }
        }
    }
    let pick = relevant
        .iter()
        .find(|(f, _)| f.decides() == Some(false))
        .or_else(|| relevant.iter().find(|(f, _)| f.decides() == Some(true)))
        .or_else(|| relevant.first());
    if let Some((f, name)) = pick {
        let required = format!("; policy {name:?} requires {}", what(aspect));
        let required_de = format!("; die Richtlinie {name:?} verlangt {}", what_de(aspect));
        let plain = format!("{}{required}", f.evidence);
        let plain_de = format!("{}{required_de}", f.evidence_de);
        return match f.decides() {
            Some(true) => (f.state.clone(), Some(true), plain, plain_de),
            Some(false) => (
                f.state.clone(),
                None,
                format!(
                    "{plain}, but a policy status does not say which of the policy's settings failed (the setting states export decides)"
                ),
                format!(
                    "{plain_de}, aber ein Richtlinienstatus sagt nicht, welche Einstellung der Richtlinie verfehlt wurde (das entscheidet der Export der Einstellungszustände)"
                ),
            ),
            None => (f.state.clone(), None, plain, plain_de),
        };
    }
    if let Some(f) = unknown_policy {
        return (
            "policyNotGiven".into(),
            None,
            format!(
                "{}; the settings of this policy were not given (add the deviceCompliancePolicies export to the scan)",
                f.evidence
            ),
            format!(
                "{}; die Einstellungen dieser Richtlinie lagen nicht vor (den Export deviceCompliancePolicies in die Prüfung aufnehmen)",
                f.evidence_de
            ),
        );
    }
    let mut files = ix
        .files()
        .iter()
        .take(NAMED_FILES)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ix.files().len() > NAMED_FILES {
        files.push_str(", …");
    }
    (
        "missing".into(),
        None,
        format!(
            "no setting state or policy status on {} for this device in the Intune compliance exports ({files})",
            what(aspect)
        ),
        format!(
            "kein Einstellungs- oder Richtlinienstatus {} für dieses Gerät in den Intune-Konformitätsexporten ({files})",
            match aspect {
                Aspect::Passcode => "zur Gerätesperre",
                Aspect::Encryption => "zur Speicherverschlüsselung",
            }
        ),
    )
}
