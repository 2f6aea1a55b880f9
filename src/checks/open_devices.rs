//! The fleet note on devices whose screen-lock check is open: what would
//! decide it, cause by cause (by MDM, from the open devices the assessment
//! counted by export format), instead of the check's general `decide_hint`.

use crate::assess::{FleetRequirement, FleetSummary, Lang, Text};

/// The check whose fleet note [`explain_open`] makes precise.
pub const PASSCODE_CHECK: &str = "DEV-02-passcode";

/// Why the screen-lock check ([`PASSCODE_CHECK`]) is open on a run's
/// devices: by MDM and by outcome, from each device's result and source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenPasscode {
    /// Intune devices left open (manual or error).
    pub intune: usize,
    /// Devices of other MDMs left open (manual or error).
    pub other: usize,
    /// The other MDMs, in first-seen order (English and German names).
    pub other_mdms: Vec<(&'static str, &'static str)>,
    /// Devices with a screen lock set whose check warned (stale or future
    /// check-in, lock below the passcode policy), of any MDM.
    pub warned: usize,
    /// Whether the run's Intune devices were joined with Intune compliance
    /// exports ([`crate::assess::FleetDistribution::intune_compliance`]).
    pub intune_compliance: bool,
}

/// The MDMs other than Intune the fleet note names, in the order it names
/// them: format prefix, English and German name (the German one after „aus“).
const OTHER_MDMS: [(&str, &str, &str); 5] = [
    ("jamf", "Jamf", "Jamf"),
    ("workspace-one", "Workspace ONE", "Workspace ONE"),
    (
        "android-management",
        "Android Management",
        "Android Management",
    ),
    ("apple-mdm", "Apple MDM", "Apple MDM"),
    ("csv", "generic CSV exports", "generischen CSV-Exporten"),
];

/// The MDM of an export `format` (`intune-graph`): `None` for Intune,
/// else its English and German name (`None` inside when the format is not
/// one the note names).
fn mdm_of(format: &str) -> Option<Option<(&'static str, &'static str)>> {
    if format.starts_with("intune") {
        return None;
    }
    Some(
        OTHER_MDMS
            .iter()
            .find(|(prefix, _, _)| format == *prefix || format.starts_with(&format!("{prefix}-")))
            .map(|(_, en, de)| (*en, *de)),
    )
}

impl OpenPasscode {
    /// The open devices of the screen-lock check's fleet line `q`, as the
    /// assessment counted them ([`FleetRequirement::open_by_format`],
    /// [`FleetRequirement::warned`]).
    pub fn of(q: &FleetRequirement, intune_compliance: bool) -> OpenPasscode {
        let mut open = OpenPasscode {
            intune_compliance,
            warned: q.warned,
            ..OpenPasscode::default()
        };
        for c in &q.open_by_format {
            match mdm_of(&c.format) {
                None => open.intune += c.devices,
                Some(name) => {
                    open.other += c.devices;
                    if let Some(name) = name.filter(|n| !open.other_mdms.contains(n)) {
                        open.other_mdms.push(name);
                    }
                }
            }
        }
        let rank = |n: &(&str, &str)| OTHER_MDMS.iter().position(|m| m.1 == n.0);
        open.other_mdms.sort_by_key(rank);
        open
    }

    /// Devices counted.
    pub fn total(&self) -> usize {
        self.intune + self.other + self.warned
    }

    /// What would decide the check on these devices, cause by cause: the
    /// Intune setting-state export only for Intune devices of a run without
    /// Intune compliance exports; for other MDMs their own data or a look at
    /// the device.
    pub fn hint(&self) -> Text {
        let mut de = Vec::new();
        let mut en = Vec::new();
        let devices_de = |n: usize| match n {
            1 => "1 Gerät".to_string(),
            n => format!("{} Geräten", crate::lang::count(n, Lang::De)),
        };
        let devices_en = |n: usize| match n {
            1 => "1 device".to_string(),
            n => format!("{} devices", crate::lang::count(n, Lang::En)),
        };
        if self.intune > 0 {
            let n = self.intune;
            let (d, e) = (
                devices_de(n).replace("Gerät", "Intune-Gerät"),
                devices_en(n).replace("device", "Intune device"),
            );
            if self.intune_compliance {
                de.push(format!(
                    "bei {d} ein eindeutiger Zustand der Einstellung „Code erforderlich“ \
                     (die Intune-Konformitätsdaten dieses Prüflaufs reichen nicht aus: \
                     {} in Intune synchronisieren und die Einstellungszustände erneut \
                     exportieren oder die Gerätesperre am Gerät prüfen)",
                    if n == 1 { "das Gerät" } else { "die Geräte" }
                ));
                en.push(format!(
                    "for {e}, a conclusive state of the passcode-required setting \
                     (this run's Intune compliance data does not decide it: sync {} \
                     in Intune and export the setting states again, or check the lock \
                     on the device)",
                    if n == 1 { "the device" } else { "the devices" }
                ));
            } else {
                de.push(format!(
                    "bei {d} der Export der Einstellungszustände der \
                     Intune-Konformitätsrichtlinien (deviceComplianceSettingStates) oder \
                     der Gerätestatus einer Konformitätsrichtlinie, die eine Gerätesperre \
                     verlangt (deviceStatuses)"
                ));
                en.push(format!(
                    "for {e}, the Intune compliance setting-state export \
                     (deviceComplianceSettingStates) or the device statuses of a compliance \
                     policy that requires a passcode (deviceStatuses)"
                ));
            }
        }
        if self.other > 0 {
            let (from_de, from_en) = match self.other_mdms.as_slice() {
                [] if self.other == 1 => (
                    " eines anderen MDM".to_string(),
                    " of another MDM".to_string(),
                ),
                [] => (" anderer MDM".to_string(), " of other MDMs".to_string()),
                names => (
                    format!(" aus {}", list(names.iter().map(|n| n.1), "und")),
                    format!(" from {}", list(names.iter().map(|n| n.0), "and")),
                ),
            };
            // „des jeweiligen MDM“ where the devices come from several.
            let which = if self.other_mdms.len() == 1 {
                "des MDM"
            } else {
                "des jeweiligen MDM"
            };
            de.push(format!(
                "bei {}{from_de} die Angabe {which}, ob eine Gerätesperre gesetzt ist \
                 (etwa der Status seiner Code-Richtlinie), oder eine Prüfung am Gerät",
                devices_de(self.other)
            ));
            en.push(format!(
                "for {}{from_en}, the MDM's record of whether a screen lock is set (e.g. \
                 its passcode policy status) or a check on the device",
                devices_en(self.other)
            ));
        }
        if self.warned > 0 {
            de.push(format!(
                "bei {} mit gesetzter Gerätesperre ein aktueller MDM-Kontakt bzw. eine \
                 Gerätesperre, die die Code-Richtlinie erfüllt",
                devices_de(self.warned)
            ));
            en.push(format!(
                "for {} with a screen lock set, a current MDM check-in or a lock that meets \
                 the passcode policy",
                devices_en(self.warned)
            ));
        }
        let (each_de, each_en) = if de.len() > 1 {
            (" jeweils", " for each")
        } else {
            ("", "")
        };
        Text::new(
            format!(
                "{} – oder{each_de} eine Antwort in der Antwortdatei.",
                de.join("; ")
            ),
            format!(
                "{} — or an answer in the answers file{each_en}.",
                en.join("; ")
            ),
        )
    }
}

/// `a, b und c`.
fn list<'s>(names: impl Iterator<Item = &'s str>, and: &str) -> String {
    let names: Vec<&str> = names.collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} {and} {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Makes the fleet note on the open screen-lock check true for the run's
/// devices: the check's general `decide_hint` becomes what would decide it
/// cause by cause ([`OpenPasscode::hint`]), from the open devices the
/// assessment counted by export format (nothing is read back). Only when
/// that check is open on some device and has a hint; a summary whose counts
/// disagree with each other (e.g. of a report saved before schema 2.3,
/// which has no counts by format) keeps the check's hint.
pub fn explain_open(fleet: &mut FleetSummary) {
    let intune_compliance = fleet.distribution.intune_compliance > 0;
    let Some(q) = fleet
        .requirements
        .iter_mut()
        .find(|q| q.check == PASSCODE_CHECK && q.undecided > 0 && q.decide_hint.is_some())
    else {
        return;
    };
    let open = OpenPasscode::of(q, intune_compliance);
    if open.total() == q.undecided {
        q.decide_hint = Some(open.hint());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{FormatCount, Level};

    /// The screen-lock check's fleet line with these open devices by
    /// export format and `warned` devices.
    fn passcode_line(open: &[(&str, usize)], warned: usize) -> FleetRequirement {
        let open_by_format: Vec<FormatCount> = open
            .iter()
            .map(|(format, devices)| FormatCount {
                format: format.to_string(),
                devices: *devices,
            })
            .collect();
        FleetRequirement {
            check: PASSCODE_CHECK.into(),
            requirement: "DEV-02".into(),
            level: Level::Must,
            title: Text::default(),
            passed: 1,
            failed: 0,
            undecided: open_by_format.iter().map(|c| c.devices).sum::<usize>() + warned,
            not_applicable: 0,
            share_compliant: 0.0,
            decide_hint: Some(Text::default()),
            warned,
            open_by_format,
        }
    }

    #[test]
    fn the_open_screen_lock_note_asks_each_mdm_for_what_decides_it() {
        let fleet = passcode_line(
            &[
                ("intune-csv", 1),
                ("intune-graph", 1),
                ("jamf-json", 1),
                ("jamf-xml", 1),
                ("workspace-one", 1),
            ],
            1,
        );
        let without = OpenPasscode::of(&fleet, false);
        assert_eq!((without.intune, without.other, without.warned), (2, 3, 1));
        assert_eq!(without.total(), 6);
        let hint = without.hint();
        assert!(hint.de.starts_with(
            "bei 2 Intune-Geräten der Export der Einstellungszustände der \
             Intune-Konformitätsrichtlinien (deviceComplianceSettingStates)"
        ));
        assert!(hint.de.contains(
            "; bei 3 Geräten aus Jamf und Workspace ONE die Angabe des jeweiligen MDM, ob eine Gerätesperre \
             gesetzt ist"
        ));
        assert!(hint
            .de
            .ends_with("– oder jeweils eine Antwort in der Antwortdatei."));
        assert!(hint
            .en
            .contains("; for 3 devices from Jamf and Workspace ONE, the MDM's record"));
        let with = OpenPasscode::of(&fleet, true).hint();
        for text in [&*with.de, &*with.en] {
            assert!(!text.contains("deviceComplianceSettingStates"), "{text}");
        }
        assert!(with
            .de
            .starts_with("bei 2 Intune-Geräten ein eindeutiger Zustand der Einstellung"));
        // Only other MDMs: Intune is not named; one device, one cause.
        let jamf = OpenPasscode::of(&passcode_line(&[("jamf-xml", 1)], 0), false).hint();
        assert!(!jamf.de.contains("Intune") && !jamf.en.contains("Intune"));
        assert_eq!(
            &*jamf.de,
            "bei 1 Gerät aus Jamf die Angabe des MDM, ob eine Gerätesperre gesetzt ist (etwa \
             der Status seiner Code-Richtlinie), oder eine Prüfung am Gerät – oder eine Antwort \
             in der Antwortdatei."
        );
        assert_eq!(
            &*jamf.en,
            "for 1 device from Jamf, the MDM's record of whether a screen lock is set (e.g. its \
             passcode policy status) or a check on the device — or an answer in the answers file."
        );
        let unknown = OpenPasscode::of(&passcode_line(&[("facts", 1)], 0), false).hint();
        assert!(unknown
            .de
            .starts_with("bei 1 Gerät eines anderen MDM die Angabe"));
    }
}
