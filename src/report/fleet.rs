//! Fleet presentation shared by the renderers: which targets are devices, the
//! worst devices first, and how many are left out of a capped list.
//!
//! Nothing here decides an outcome; it only orders and counts what the
//! [`Assessment`] already says.

use super::i18n::Label;
use crate::assess::{
    Assessment, FleetInventory, FleetSummary, Lang, Level, Outcome, TargetAssessment, Text, Verdict,
};
use crate::facts::{FileInfo, TargetKind};
use rayon::prelude::*;

/// How many devices the terminal table lists before it says how many were omitted.
pub const TABLE_DEVICE_CAP: usize = 25;

/// How many devices HTML and Markdown show in full detail.
pub const DETAIL_DEVICE_CAP: usize = 50;

/// How many devices HTML and Markdown list in the worst-devices overview.
pub const LIST_DEVICE_CAP: usize = 500;

/// How many notes per export the table, HTML and Markdown show (JSON has all).
pub const NOTES_PER_EXPORT: usize = 10;

/// The exports that left something unclear, each with its first
/// [`NOTES_PER_EXPORT`] notes and how many more there are.
pub fn export_notes(s: &FleetSummary) -> Vec<(&FleetInventory, &[Text], usize)> {
    s.inventories
        .iter()
        .filter(|i| !i.warnings.is_empty())
        .map(|i| {
            let shown = i.warnings.get(..NOTES_PER_EXPORT).unwrap_or(&i.warnings);
            (i, shown, i.warnings.len() - shown.len())
        })
        .collect()
}

/// How many devices an export in the export list holds, after its label:
/// `Devices: 5`, and for an export some of whose devices were merged with
/// another export's `Devices: 0 counted here, 6 merged into another export`
/// (a bare 0 would read as an empty export).
pub fn export_devices(inv: &FleetInventory, l: Lang) -> String {
    let label = Label::Devices.get(l);
    match (inv.merged_elsewhere, l) {
        (0, _) => format!("{label}: {}", inv.devices),
        (m, Lang::De) => format!(
            "{label}: {} hier gezählt, {m} mit einem anderen Export zusammengeführt",
            inv.devices
        ),
        (m, Lang::En) => format!(
            "{label}: {} counted here, {m} merged into another export",
            inv.devices
        ),
    }
}

/// True when `t` is one device of an inventory.
pub fn is_device(t: &TargetAssessment) -> bool {
    t.target.kind == TargetKind::Device
}

/// The app (and unreadable-file) targets, in report order.
pub fn apps(a: &Assessment) -> Vec<&TargetAssessment> {
    a.targets.iter().filter(|t| !is_device(t)).collect()
}

/// The worst devices of a fleet, read back from the [`crate::assess::DeviceStore`]
/// (already ordered worst first), with the counts a capped list needs.
#[derive(Debug, Clone, Default)]
pub struct WorstDevices {
    /// The first devices, worst first (at most the cap asked for).
    pub shown: Vec<TargetAssessment>,
    /// All devices.
    pub total: usize,
    /// Devices that are not compliant (not compliant, unreadable, incomplete).
    pub needing_action: usize,
}

impl WorstDevices {
    /// True when the run has no devices.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The first `cap` devices and how many are left out.
    pub fn listed(&self, cap: usize) -> (&[TargetAssessment], usize) {
        let shown = self.shown.get(..cap).unwrap_or(&self.shown);
        (shown, self.total.saturating_sub(shown.len()))
    }

    /// The first `cap` devices needing action and how many more need it.
    /// Devices needing action come before compliant ones, so `cap` up to the
    /// number of devices read gives them all.
    pub fn needing(&self, cap: usize) -> (Vec<&TargetAssessment>, usize) {
        let detailed: Vec<&TargetAssessment> = self
            .shown
            .iter()
            .filter(|d| d.verdict != Verdict::Compliant)
            .take(cap)
            .collect();
        let more = self.needing_action.saturating_sub(detailed.len());
        (detailed, more)
    }
}

/// The worst `cap` devices (see [`WorstDevices`]); the order is the one the
/// store keeps ([`crate::assess::Verdict::severity`]): unreadable, then not
/// compliant, then incomplete, then compliant; within a verdict more failed must-checks first, then more
/// failed checks, then the lower score, then input order.
pub fn worst_devices(a: &Assessment, cap: usize) -> std::io::Result<WorstDevices> {
    let needing_action = a
        .devices
        .verdicts()
        .iter()
        .filter(|(v, _)| *v != Verdict::Compliant)
        .count();
    Ok(WorstDevices {
        shown: a.devices.first(cap)?,
        total: a.devices.len(),
        needing_action,
    })
}

/// Number of failed checks of a target.
pub fn failures(t: &TargetAssessment) -> usize {
    t.results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail)
        .count()
}

/// Number of failed must-checks of a target.
pub fn failed_must(t: &TargetAssessment) -> usize {
    t.results
        .iter()
        .filter(|r| r.outcome == Outcome::Fail && r.level == Level::Must)
        .count()
}

/// The ids of the requirements a target failed, in result order, without repeats.
pub fn failed_requirements(t: &TargetAssessment) -> Vec<&str> {
    let mut ids: Vec<&str> = Vec::new();
    for r in t.results.iter().filter(|r| r.outcome == Outcome::Fail) {
        if !ids.contains(&r.requirement.as_str()) {
            ids.push(r.requirement.as_str());
        }
    }
    ids
}

/// The inventory files the devices came from, each once, in input order.
pub fn inventory_files(a: &Assessment) -> Vec<FileInfo> {
    a.devices.files()
}

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

/// The MDM of a device from its `source` (`intune-graph record 3`): `None`
/// for Intune, else its English and German name (`None` inside when the
/// source names no known format).
fn mdm_of(source: Option<&str>) -> Option<Option<(&'static str, &'static str)>> {
    let format = source
        .and_then(|s| s.split_whitespace().next())
        .unwrap_or("");
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

/// Devices counted per parallel round by [`explain_open`].
const COUNT_ROUND: usize = 4096;

impl OpenPasscode {
    /// Adds the counts of `other` (devices after this one's), keeping the
    /// other MDMs in first-seen order.
    fn merge(&mut self, other: OpenPasscode) {
        self.intune += other.intune;
        self.other += other.other;
        self.warned += other.warned;
        for name in other.other_mdms {
            if !self.other_mdms.contains(&name) {
                self.other_mdms.push(name);
            }
        }
    }

    /// Counts the open [`PASSCODE_CHECK`] results of `devices`.
    pub fn count(
        devices: impl IntoIterator<Item = std::io::Result<TargetAssessment>>,
        intune_compliance: bool,
    ) -> std::io::Result<OpenPasscode> {
        let mut open = OpenPasscode {
            intune_compliance,
            ..OpenPasscode::default()
        };
        for t in devices {
            let t = t?;
            let Some(r) = t.results.iter().find(|r| r.check == PASSCODE_CHECK) else {
                continue;
            };
            match r.outcome {
                Outcome::Warn => open.warned += 1,
                Outcome::Manual | Outcome::Error => match mdm_of(t.target.source.as_deref()) {
                    None => open.intune += 1,
                    Some(name) => {
                        open.other += 1;
                        if let Some(name) = name.filter(|n| !open.other_mdms.contains(n)) {
                            open.other_mdms.push(name);
                        }
                    }
                },
                _ => {}
            }
        }
        let rank = |n: &(&str, &str)| OTHER_MDMS.iter().position(|m| m.1 == n.0);
        open.other_mdms.sort_by_key(rank);
        Ok(open)
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
            n => format!("{n} Geräten"),
        };
        let devices_en = |n: usize| match n {
            1 => "1 device".to_string(),
            n => format!("{n} devices"),
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
/// cause by cause ([`OpenPasscode::hint`]). Reads every device back once,
/// and only when that check is open on some device and has a hint. A
/// summary whose counts disagree with the devices keeps the check's hint.
pub fn explain_open(a: &mut Assessment) -> std::io::Result<()> {
    let Some(fleet) = &a.fleet else {
        return Ok(());
    };
    let Some(at) = fleet
        .requirements
        .iter()
        .position(|q| q.check == PASSCODE_CHECK && q.undecided > 0 && q.decide_hint.is_some())
    else {
        return Ok(());
    };
    // Read back in parallel, in rounds of devices merged in order (a fleet
    // of 100,000 devices is read back once more: on one thread this took
    // about a tenth of the whole scan).
    let intune_compliance = fleet.distribution.intune_compliance > 0;
    let n = a.devices.len();
    let devices = &a.devices;
    let parts: Vec<std::io::Result<OpenPasscode>> = (0..n)
        .step_by(COUNT_ROUND)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|start| {
            OpenPasscode::count(
                devices.range(start..(start + COUNT_ROUND).min(n)),
                intune_compliance,
            )
        })
        .collect();
    let mut open = OpenPasscode {
        intune_compliance,
        ..OpenPasscode::default()
    };
    for part in parts {
        open.merge(part?);
    }
    if let Some(q) = a.fleet.as_mut().and_then(|f| f.requirements.get_mut(at)) {
        if open.total() == q.undecided {
            q.decide_hint = Some(open.hint());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{CheckResult, DeviceStore, ProfileInfo, TargetInfo, Text, ToolInfo};

    fn device(name: &str, verdict: Verdict, fails: &[Level]) -> TargetAssessment {
        TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Device,
                name: name.into(),
                id: None,
                version: None,
                file: None,
                source: None,
                device: None,
            },
            verdict,
            score: None,
            results: fails
                .iter()
                .enumerate()
                .map(|(i, level)| CheckResult {
                    check: format!("C{i}"),
                    requirement: format!("DEV-0{i}"),
                    level: *level,
                    outcome: Outcome::Fail,
                    title: Text::default(),
                    message: Text::default(),
                    remediation: Text::default(),
                    evidence: vec![],
                    attestation: None,
                    attested: false,
                    attestation_status: None,
                    weight: 1.0,
                })
                .collect(),
            error: None,
            error_kind: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    /// A device from `source` whose DEV-02 check came out `outcome`.
    fn passcode(source: &str, outcome: Outcome) -> std::io::Result<TargetAssessment> {
        let mut t = device(source, Verdict::Incomplete, &[Level::Must]);
        t.target.source = Some(source.into());
        t.results[0].check = PASSCODE_CHECK.into();
        t.results[0].outcome = outcome;
        Ok(t)
    }

    #[test]
    fn the_open_screen_lock_note_asks_each_mdm_for_what_decides_it() {
        use Outcome::{Manual, Pass, Warn};
        let fleet = || {
            vec![
                passcode("intune-graph record 1", Manual),
                passcode("intune-csv line 2", Manual),
                passcode("workspace-one record 1", Manual),
                passcode("jamf-json record 2", Manual),
                passcode("jamf-xml record 3", Manual),
                passcode("csv line 3", Warn),
                passcode("apple-mdm response 1", Pass),
            ]
        };
        let without = OpenPasscode::count(fleet(), false).unwrap();
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
        let with = OpenPasscode::count(fleet(), true).unwrap().hint();
        for text in [&*with.de, &*with.en] {
            assert!(!text.contains("deviceComplianceSettingStates"), "{text}");
        }
        assert!(with
            .de
            .starts_with("bei 2 Intune-Geräten ein eindeutiger Zustand der Einstellung"));
        // Only other MDMs: Intune is not named; one device, one cause.
        let jamf = OpenPasscode::count(vec![passcode("jamf-xml record 1", Manual)], false)
            .unwrap()
            .hint();
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
        let unknown = OpenPasscode::count(vec![passcode("facts 1", Manual)], false)
            .unwrap()
            .hint();
        assert!(unknown
            .de
            .starts_with("bei 1 Gerät eines anderen MDM die Angabe"));
    }

    #[test]
    fn devices_are_ordered_worst_first() {
        let a = Assessment {
            schema_version: "1.0".into(),
            tool: ToolInfo {
                name: "msgaudit".into(),
                version: "0".into(),
                check_set_digest: String::new(),
            },
            profile: ProfileInfo {
                id: "p".into(),
                title: Text::default(),
                source: "built-in".into(),
            },
            as_of: "2026-01-01".into(),
            lang: crate::assess::Lang::En,
            targets: Vec::new(),
            devices: DeviceStore::from_targets(vec![
                device("ok", Verdict::Compliant, &[]),
                device("open", Verdict::Incomplete, &[]),
                device(
                    "one-should",
                    Verdict::NotCompliant,
                    &[Level::Must, Level::Should],
                ),
                device("unreadable", Verdict::Error, &[]),
                device(
                    "two-must",
                    Verdict::NotCompliant,
                    &[Level::Must, Level::Must],
                ),
            ]),
            fleet: None,
            skipped_files: 0,
            skipped_unrecognized: None,
            inputs: Vec::new(),
        };
        let worst = worst_devices(&a, 3).unwrap();
        let names: Vec<&str> = worst.shown.iter().map(|d| d.target.name.as_str()).collect();
        assert_eq!(names, ["unreadable", "two-must", "one-should"]);
        assert_eq!((worst.total, worst.needing_action), (5, 4));
        assert_eq!(worst.listed(2).1, 3);
        let (detailed, more) = worst.needing(2);
        assert_eq!(detailed.len(), 2);
        assert_eq!(more, 2);
        assert!(apps(&a).is_empty());
    }
}
