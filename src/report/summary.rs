//! The executive summary: what a reader of page 1 needs, built once from the
//! [`Assessment`] and presented by the HTML, Markdown and terminal renderers
//! ([`super::summary_view`]).
//!
//! Per app its verdict, score and coverage and the must-requirements it
//! failed; for a fleet the devices per verdict and the must-requirements
//! failed on devices; the top actions (remediations ordered by how many apps
//! and devices they would fix); and the counts behind the charts. Nothing
//! here decides an outcome: it only counts and orders what the evaluator said.

use std::collections::BTreeMap;

use super::common::target_title;
use super::fleet;
use crate::assess::{
    Assessment, CheckResult, FleetDistribution, FleetRequirement, Lang, Level, Outcome,
    TargetAssessment, Text, Verdict,
};
use crate::facts::TargetKind;

/// How many actions the summary lists.
pub const TOP_ACTIONS: usize = 5;

/// The executive summary of one report.
#[derive(Debug, Clone)]
pub struct Summary<'a> {
    /// The apps (and unreadable files), in report order.
    pub apps: Vec<AppLine<'a>>,
    /// The fleet, when the run had inventories.
    pub fleet: Option<FleetLine<'a>>,
    /// What to do first: remediations of failed checks, most apps and devices fixed first.
    pub actions: Vec<Action>,
    /// Apps (Android and iOS) by verdict.
    pub app_verdicts: VerdictCounts,
    /// The other targets that are no device — an export or a file that could
    /// not be read, a file of unknown kind — by verdict: counted apart, so
    /// that the "Apps" count means apps.
    pub other_verdicts: VerdictCounts,
    /// Of `other_verdicts`' errors, the installed-app lists that were read
    /// but matched no device ([`crate::assess::TargetAssessment::is_unmatched_app_list`]):
    /// the chart does not call them unreadable.
    pub unmatched_app_lists: usize,
    /// Per check applying to apps: apps by outcome.
    pub app_checks: Vec<CheckBar>,
}

/// One app in the summary.
#[derive(Debug, Clone)]
pub struct AppLine<'a> {
    /// The app.
    pub target: &'a TargetAssessment,
    /// Its failed must-checks, in result order.
    pub failed_must: Vec<&'a CheckResult>,
}

/// The fleet in the summary.
#[derive(Debug, Clone)]
pub struct FleetLine<'a> {
    /// Devices by verdict.
    pub verdicts: VerdictCounts,
    /// Must-checks failed on at least one device, most devices first.
    pub failed_must: Vec<&'a FleetRequirement>,
    /// Per device check: devices by outcome.
    pub checks: Vec<CheckBar>,
    /// Devices by OS version and patch age.
    pub distribution: &'a FleetDistribution,
}

/// Targets (apps or devices) by verdict.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerdictCounts {
    /// Compliant.
    pub compliant: usize,
    /// Not compliant.
    pub not_compliant: usize,
    /// Incomplete.
    pub incomplete: usize,
    /// Unreadable.
    pub error: usize,
}

impl VerdictCounts {
    /// All counted.
    pub fn total(&self) -> usize {
        self.compliant + self.not_compliant + self.incomplete + self.error
    }

    /// The counts with their verdicts, in the order of the charts (best first).
    pub fn by_verdict(&self) -> [(Verdict, usize); 4] {
        [
            (Verdict::Compliant, self.compliant),
            (Verdict::Incomplete, self.incomplete),
            (Verdict::NotCompliant, self.not_compliant),
            (Verdict::Error, self.error),
        ]
    }

    fn add(&mut self, v: Verdict) {
        match v {
            Verdict::Compliant => self.compliant += 1,
            Verdict::NotCompliant => self.not_compliant += 1,
            Verdict::Incomplete => self.incomplete += 1,
            Verdict::Error => self.error += 1,
        }
    }
}

/// One check's targets by outcome (one stacked bar).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckBar {
    /// Requirement id.
    pub requirement: String,
    /// Check title.
    pub title: Text,
    /// Passed.
    pub passed: usize,
    /// Failed.
    pub failed: usize,
    /// Open: warn, manual, error.
    pub open: usize,
    /// Not applicable.
    pub not_applicable: usize,
}

/// One remediation and how many targets it would fix.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// Check id.
    pub check: String,
    /// Requirement id.
    pub requirement: String,
    /// Requirement level.
    pub level: Level,
    /// Check title.
    pub title: Text,
    /// What to do.
    pub remediation: Text,
    /// Apps failing the check.
    pub apps: usize,
    /// Devices failing the check.
    pub devices: usize,
}

impl Action {
    /// Apps and devices the action would fix.
    pub fn fixes(&self) -> usize {
        self.apps + self.devices
    }
}

impl<'a> Summary<'a> {
    /// The summary of `a`.
    pub fn of(a: &'a Assessment) -> Summary<'a> {
        let apps: Vec<AppLine> = fleet::apps(a)
            .into_iter()
            .map(|t| AppLine {
                target: t,
                failed_must: t
                    .results
                    .iter()
                    .filter(|r| r.outcome == Outcome::Fail && r.level == Level::Must)
                    .collect(),
            })
            .collect();
        let (mut app_verdicts, mut other_verdicts) = Default::default();
        for line in &apps {
            let counts: &mut VerdictCounts = match line.target.target.kind {
                TargetKind::Android | TargetKind::Ios => &mut app_verdicts,
                TargetKind::Device | TargetKind::Inventory | TargetKind::Unknown => {
                    &mut other_verdicts
                }
            };
            counts.add(line.target.verdict);
        }
        let unmatched_app_lists = apps
            .iter()
            .filter(|line| line.target.is_unmatched_app_list())
            .count();
        let app_checks = app_check_bars(&apps);
        let fleet = a.fleet.as_ref().map(|f| {
            let mut failed_must: Vec<&FleetRequirement> = f
                .requirements
                .iter()
                .filter(|q| q.level == Level::Must && q.failed > 0)
                .collect();
            failed_must.sort_by_key(|q| std::cmp::Reverse(q.failed));
            let counted = f.compliant + f.not_compliant + f.incomplete;
            FleetLine {
                verdicts: VerdictCounts {
                    compliant: f.compliant,
                    not_compliant: f.not_compliant,
                    incomplete: f.incomplete,
                    error: f.devices.saturating_sub(counted),
                },
                failed_must,
                checks: f
                    .requirements
                    .iter()
                    .map(|q| CheckBar {
                        requirement: q.requirement.clone(),
                        title: q.title.clone(),
                        passed: q.passed,
                        failed: q.failed,
                        open: q.undecided,
                        not_applicable: q.not_applicable,
                    })
                    .collect(),
                distribution: &f.distribution,
            }
        });
        let actions = actions(&apps, a);
        Summary {
            apps,
            fleet,
            actions,
            app_verdicts,
            other_verdicts,
            unmatched_app_lists,
            app_checks,
        }
    }
}

/// The titles of `targets` in `lang` (`common::target_title`), each told apart
/// from the others: where two targets' titles are the same (an `.apk` and
/// an `.apks` of one app), each of them gets its file's name in brackets
/// („LeakyChat 2.3 (leakychat-2.3.apks)“), or its whole path when the file
/// names are the same as well. Used by the summary rows and the section
/// headings of the HTML and Markdown reports, so that both say the same.
pub fn distinct_titles(targets: &[&TargetAssessment], lang: Lang) -> Vec<String> {
    let titles: Vec<String> = targets.iter().map(|t| target_title(t, lang)).collect();
    let file_name = |t: &TargetAssessment| {
        t.target.file.as_ref().map(|f| {
            std::path::Path::new(&f.path)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or(&f.path)
                .to_string()
        })
    };
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for title in &titles {
        *seen.entry(title.as_str()).or_insert(0) += 1;
    }
    let named: Vec<Option<String>> = targets
        .iter()
        .zip(&titles)
        .map(|(t, title)| (seen[title.as_str()] > 1).then(|| file_name(t)).flatten())
        .collect();
    let mut names: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for (title, name) in titles.iter().zip(&named) {
        if let Some(n) = name {
            *names.entry((title.as_str(), n.as_str())).or_insert(0) += 1;
        }
    }
    targets
        .iter()
        .zip(&titles)
        .zip(&named)
        .map(|((t, title), name)| match name {
            Some(n) if names[&(title.as_str(), n.as_str())] > 1 => {
                let path = t
                    .target
                    .file
                    .as_ref()
                    .map_or(n.as_str(), |f| f.path.as_str());
                format!("{title} ({path})")
            }
            Some(n) => format!("{title} ({n})"),
            None => title.clone(),
        })
        .collect()
}

/// Per check applying to apps, in first-seen order: apps by outcome.
/// Unreadable apps are not counted (their results are for information only).
fn app_check_bars(apps: &[AppLine]) -> Vec<CheckBar> {
    let mut bars: Vec<(String, CheckBar)> = Vec::new();
    for t in apps
        .iter()
        .map(|l| l.target)
        .filter(|t| t.verdict != Verdict::Error)
    {
        for r in &t.results {
            let i = match bars.iter().position(|(id, _)| *id == r.check) {
                Some(i) => i,
                None => {
                    bars.push((
                        r.check.clone(),
                        CheckBar {
                            requirement: r.requirement.clone(),
                            title: r.title.clone(),
                            passed: 0,
                            failed: 0,
                            open: 0,
                            not_applicable: 0,
                        },
                    ));
                    bars.len() - 1
                }
            };
            let bar = &mut bars[i].1;
            match r.outcome {
                Outcome::Pass => bar.passed += 1,
                Outcome::Fail => bar.failed += 1,
                Outcome::NotApplicable => bar.not_applicable += 1,
                Outcome::Warn | Outcome::Manual | Outcome::Error => bar.open += 1,
            }
        }
    }
    bars.into_iter().map(|(_, b)| b).collect()
}

/// The remediations of failed checks, most apps and devices fixed first,
/// then must before should, then by check id; at most [`TOP_ACTIONS`].
fn actions(apps: &[AppLine], a: &Assessment) -> Vec<Action> {
    let mut by_check: BTreeMap<&str, Action> = BTreeMap::new();
    for r in apps
        .iter()
        .flat_map(|l| &l.target.results)
        .filter(|r| r.outcome == Outcome::Fail)
    {
        by_check
            .entry(r.check.as_str())
            .or_insert_with(|| Action {
                check: r.check.clone(),
                requirement: r.requirement.clone(),
                level: r.level,
                title: r.title.clone(),
                remediation: r.remediation.clone(),
                apps: 0,
                devices: 0,
            })
            .apps += 1;
    }
    if let Some(f) = &a.fleet {
        for q in f.requirements.iter().filter(|q| q.failed > 0) {
            let remediation = a
                .devices
                .remediation(&q.check)
                .unwrap_or_else(|| Text::new("", ""));
            by_check
                .entry(q.check.as_str())
                .or_insert_with(|| Action {
                    check: q.check.clone(),
                    requirement: q.requirement.clone(),
                    level: q.level,
                    title: q.title.clone(),
                    remediation,
                    apps: 0,
                    devices: 0,
                })
                .devices += q.failed;
        }
    }
    let mut out: Vec<Action> = by_check.into_values().collect();
    out.sort_by(|x, y| {
        y.fixes()
            .cmp(&x.fixes())
            .then_with(|| level_rank(x.level).cmp(&level_rank(y.level)))
            .then_with(|| x.check.cmp(&y.check))
    });
    out.truncate(TOP_ACTIONS);
    out
}

fn level_rank(l: Level) -> u8 {
    match l {
        Level::Must => 0,
        Level::Should => 1,
        Level::Alternative => 2,
        Level::Desirable => 3,
    }
}

/// The first sentence of `s` (up to and including its first `. `), at most
/// `max` characters (cut at a word with `…`): a one-line reason.
pub fn first_sentence(s: &str, max: usize) -> String {
    let s = s.trim();
    let sentence = sentence_end(s).map_or(s, |i| &s[..=i]);
    if sentence.chars().count() <= max {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':']))
}

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: [&str; 16] = [
    "bzw", "z", "B", "d", "h", "u", "a", "ggf", "usw", "etc", "vgl", "Nr", "ca", "e.g", "i.e",
    "evtl",
];

/// The byte index of the period that ends the first sentence of `s`: the
/// first `. ` not after an abbreviation.
fn sentence_end(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = s.get(from..)?.find(". ") {
        let i = from + rel;
        let word = s[..i].rsplit([' ', '(']).next().unwrap_or("");
        if !ABBREVIATIONS.contains(&word) {
            return Some(i);
        }
        from = i + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{
        DeviceStore, FleetSummary, ProfileInfo, TargetInfo, ToolInfo, REPORT_SCHEMA_VERSION,
    };
    use crate::facts::TargetKind;

    fn result(check: &str, level: Level, outcome: Outcome) -> CheckResult {
        CheckResult {
            check: check.into(),
            requirement: check.split('-').take(2).collect::<Vec<_>>().join("-"),
            level,
            outcome,
            title: Text::new(format!("Titel {check}"), format!("Title {check}")),
            message: Text::new("Befund.", "Finding."),
            remediation: Text::new(format!("Abhilfe {check}"), format!("Fix {check}")),
            evidence: Vec::new(),
            attestation: None,
            attested: false,
            attestation_status: None,
            weight: 1.0,
        }
    }

    fn app(name: &str, verdict: Verdict, results: Vec<CheckResult>) -> TargetAssessment {
        TargetAssessment {
            target: TargetInfo {
                kind: TargetKind::Android,
                name: name.into(),
                id: None,
                version: None,
                file: None,
                source: None,
                device: None,
            },
            verdict,
            score: None,
            results,
            error: None,
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    fn fleet_req(check: &str, level: Level, failed: usize) -> FleetRequirement {
        FleetRequirement {
            check: check.into(),
            requirement: check.split('-').take(2).collect::<Vec<_>>().join("-"),
            level,
            title: Text::new(check, check),
            passed: 10 - failed,
            failed,
            undecided: 0,
            not_applicable: 0,
            share_compliant: 0.0,
            warned: 0,
            open_by_format: Vec::new(),
            decide_hint: None,
        }
    }

    fn assessment(targets: Vec<TargetAssessment>, fleet: Option<FleetSummary>) -> Assessment {
        Assessment {
            schema_version: REPORT_SCHEMA_VERSION.into(),
            tool: ToolInfo {
                name: "msgaudit".into(),
                version: "0".into(),
                check_set_digest: "d".into(),
            },
            profile: ProfileInfo {
                id: "p".into(),
                title: Text::new("P", "P"),
                source: "built-in".into(),
            },
            as_of: "2026-01-01".into(),
            lang: crate::assess::Lang::En,
            targets,
            devices: DeviceStore::default(),
            fleet,
            skipped_files: 0,
            skipped_unrecognized: None,
            inputs: Vec::new(),
        }
    }

    #[test]
    fn actions_are_ordered_by_targets_fixed_then_level_then_id() {
        use Outcome::{Fail, Pass};
        let apps = vec![
            app(
                "a",
                Verdict::NotCompliant,
                vec![
                    result("APP-01-x", Level::Must, Fail),
                    result("APP-02-y", Level::Should, Fail),
                    result("APP-03-z", Level::Must, Fail),
                ],
            ),
            app(
                "b",
                Verdict::NotCompliant,
                vec![
                    result("APP-01-x", Level::Must, Pass),
                    result("APP-02-y", Level::Should, Fail),
                    result("APP-03-z", Level::Must, Fail),
                ],
            ),
        ];
        let fleet = FleetSummary {
            devices: 10,
            compliant: 2,
            not_compliant: 8,
            incomplete: 0,
            requirements: vec![
                fleet_req("DEV-01-os", Level::Must, 7),
                fleet_req("DEV-02-code", Level::Must, 2),
                fleet_req("DEV-03-enc", Level::Must, 0),
            ],
            pseudonymized: true,
            default_pseudonym_key: false,
            inventories: Vec::new(),
            export_info: Vec::new(),
            os_data: None,
            messengers: Vec::new(),
            distribution: Default::default(),
        };
        let a = assessment(apps, Some(fleet));
        let s = Summary::of(&a);
        let order: Vec<(&str, usize, usize)> = s
            .actions
            .iter()
            .map(|x| (x.check.as_str(), x.apps, x.devices))
            .collect();
        // 7 devices; then the three fixing 2 targets, must before should
        // and by id among musts; a check failed nowhere is no action.
        assert_eq!(
            order,
            [
                ("DEV-01-os", 0, 7),
                ("APP-03-z", 2, 0),
                ("DEV-02-code", 0, 2),
                ("APP-02-y", 2, 0),
                ("APP-01-x", 1, 0),
            ]
        );
        assert_eq!(s.actions[1].remediation.en.as_ref(), "Fix APP-03-z");
        assert_eq!(s.apps[0].failed_must.len(), 2);
        assert_eq!(s.apps[1].failed_must.len(), 1);
        let f = s.fleet.as_ref().unwrap();
        let failed: Vec<&str> = f.failed_must.iter().map(|q| q.check.as_str()).collect();
        assert_eq!(failed, ["DEV-01-os", "DEV-02-code"]);
        assert_eq!(f.verdicts.total(), 10);
        assert_eq!(s.app_verdicts.not_compliant, 2);
        let x = &s.app_checks[0];
        assert_eq!((x.passed, x.failed, x.open), (1, 1, 0));
    }

    #[test]
    fn unreadable_exports_and_unknown_files_are_not_counted_as_apps() {
        let unreadable = |kind| {
            let mut t = app("x", Verdict::Error, Vec::new());
            t.target.kind = kind;
            t
        };
        let mut ipa = app("b", Verdict::Incomplete, Vec::new());
        ipa.target.kind = TargetKind::Ios;
        let a = assessment(
            vec![
                app("a", Verdict::NotCompliant, Vec::new()),
                ipa,
                unreadable(TargetKind::Inventory),
                unreadable(TargetKind::Unknown),
            ],
            None,
        );
        let s = Summary::of(&a);
        assert_eq!(s.apps.len(), 4, "the summary still lists every file");
        assert_eq!(
            (s.app_verdicts.total(), s.app_verdicts.not_compliant),
            (2, 1)
        );
        assert_eq!(s.app_verdicts.incomplete, 1);
        assert_eq!(s.app_verdicts.error, 0);
        assert_eq!((s.other_verdicts.total(), s.other_verdicts.error), (2, 2));
    }

    #[test]
    fn titles_that_collide_get_their_file_names() {
        let with_file = |name: &str, path: &str| {
            let mut t = app(name, Verdict::NotCompliant, Vec::new());
            t.target.file = Some(crate::facts::FileInfo {
                path: path.into(),
                size: 1,
                sha256: "ab".into(),
            });
            t
        };
        let apk = with_file("LeakyChat 2.3", "out/leakychat-2.3.apk");
        let apks = with_file("LeakyChat 2.3", "out/leakychat-2.3.apks");
        let other = with_file("SecureChat 1.0", "out/securechat-1.0.apk");
        let again = with_file("LeakyChat 2.3", "old/leakychat-2.3.apk");
        assert_eq!(
            distinct_titles(&[&apk, &apks, &other], Lang::De),
            [
                "LeakyChat 2.3 (leakychat-2.3.apk)",
                "LeakyChat 2.3 (leakychat-2.3.apks)",
                "SecureChat 1.0"
            ]
        );
        // The same file name in two folders: the whole path.
        assert_eq!(
            distinct_titles(&[&apk, &again], Lang::En),
            [
                "LeakyChat 2.3 (out/leakychat-2.3.apk)",
                "LeakyChat 2.3 (old/leakychat-2.3.apk)"
            ]
        );
    }

    #[test]
    fn actions_are_capped() {
        let results = (0..9)
            .map(|i| result(&format!("APP-0{i}-c"), Level::Must, Outcome::Fail))
            .collect();
        let a = assessment(vec![app("a", Verdict::NotCompliant, results)], None);
        assert_eq!(Summary::of(&a).actions.len(), TOP_ACTIONS);
    }

    #[test]
    fn first_sentence_makes_a_one_line_reason() {
        assert_eq!(first_sentence("One. Two.", 80), "One.");
        assert_eq!(
            first_sentence("Liest bzw. schreibt z. B. Kontakte. Mehr.", 80),
            "Liest bzw. schreibt z. B. Kontakte."
        );
        assert_eq!(
            first_sentence("a long reason without a stop at all", 14),
            "a long reason…"
        );
        assert_eq!(first_sentence("  short  ", 80), "short");
    }

    /// Two apps (one read, two of three checks decided and passed; one
    /// unreadable), a fleet of ten devices, 123 skipped files: every human
    /// format in both languages.
    fn reviewed(lang: crate::assess::Lang, format: super::super::Format) -> String {
        use Outcome::{Manual, Pass};
        let mut read = app(
            "Read",
            Verdict::Incomplete,
            vec![
                result("APP-01-x", Level::Must, Pass),
                result("APP-02-y", Level::Must, Pass),
                result("APP-03-z", Level::Must, Manual),
            ],
        );
        read.score = Some(100.0);
        let mut unreadable = app("CertChain", Verdict::Error, Vec::new());
        unreadable.error = Some("damaged".into());
        let mut fleet_reqs = vec![fleet_req("PLT-03-backup", Level::Must, 0)];
        fleet_reqs[0].passed = 3;
        fleet_reqs[0].undecided = 6;
        fleet_reqs[0].not_applicable = 5;
        fleet_reqs[0].share_compliant = 100.0 / 3.0;
        let fleet = FleetSummary {
            devices: 14,
            compliant: 3,
            not_compliant: 0,
            incomplete: 11,
            requirements: fleet_reqs,
            pseudonymized: true,
            default_pseudonym_key: false,
            inventories: Vec::new(),
            export_info: Vec::new(),
            os_data: None,
            messengers: Vec::new(),
            distribution: Default::default(),
        };
        let mut a = assessment(vec![read, unreadable], Some(fleet));
        a.lang = lang;
        a.skipped_files = 123;
        let options = super::super::RenderOptions {
            format,
            lang,
            color: false,
            exit: None,
        };
        super::super::render(&a, &options).unwrap()
    }

    #[test]
    fn headline_numbers_say_what_they_are_in_every_human_format() {
        use super::super::Format;
        use crate::assess::Lang;
        for format in [Format::Md, Format::Html, Format::Table] {
            let de = reviewed(Lang::De, format);
            let en = reviewed(Lang::En, format);
            // The score is a share of the decided checks, not of all.
            assert!(
                de.contains("100 % der entschiedenen Prüfungen"),
                "{format:?}: {de}"
            );
            assert!(en.contains("100 % of decided checks"), "{format:?}: {en}");
            assert!(!de.contains("100 % · "), "{format:?}: {de}");
            assert!(!en.contains("100 % · "), "{format:?}: {en}");
            // An unreadable target: not scored, no "0 of 0 decided".
            assert!(!de.contains("0 von 0"), "{format:?}: {de}");
            assert!(!en.contains("0 of 0"), "{format:?}: {en}");
            // The fleet share names its denominator.
            // (The terminal table wraps the header inside its column.)
            assert!(de.contains("anwendbaren)"), "{format:?}: {de}");
            assert!(en.contains("applicable)"), "{format:?}: {en}");
            assert!(de.contains("33,3 %"), "{format:?}: {de}");
            // Skipped files: no single reason claimed for all of them.
            let flat_de = de.split_whitespace().collect::<Vec<_>>().join(" ");
            let flat_en = en.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat_de.contains("123 weitere Dateien übersprungen (die Gründe nennt -v)"),
                "{format:?}: {de}"
            );
            assert!(
                flat_en.contains("123 other files skipped (-v gives the reasons)"),
                "{format:?}: {en}"
            );
            assert!(!de.contains("übersprungen (weder"), "{format:?}: {de}");
            assert!(!en.contains("skipped (neither"), "{format:?}: {en}");
        }
        // The executive summary's column of failed must-requirements: an
        // unreadable target was not checked, it has not "none".
        for format in [Format::Md, Format::Html] {
            let de = reviewed(Lang::De, format);
            let en = reviewed(Lang::En, format);
            assert!(
                de.contains("nicht geprüft (Datei nicht lesbar)"),
                "{format:?}: {de}"
            );
            assert!(
                en.contains("not checked (file unreadable)"),
                "{format:?}: {en}"
            );
        }
        let md = reviewed(Lang::De, Format::Md);
        assert!(
            md.contains(
                "| CertChain (Android-App) | **Nicht lesbar** | nicht bewertet | nicht geprüft (Datei nicht lesbar) |"
            ),
            "{md}"
        );
        assert!(
            md.contains("Anteil erfüllt (von allen anwendbaren)"),
            "{md}"
        );
        assert!(
            md.contains(
                "- **Erfüllungsgrad:** 100 % der entschiedenen Prüfungen (2 von 3 entschieden)"
            ),
            "{md}"
        );
        let en = reviewed(Lang::En, Format::Md);
        assert!(
            en.contains("| CertChain (Android app) | **Unreadable** | not scored | not checked (file unreadable) |"),
            "{en}"
        );
        assert!(en.contains("Share passed (of all applicable)"), "{en}");
        let table = reviewed(Lang::De, Format::Table);
        let table = table.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            table.contains(
                "Read (Android-App) — Unvollständig — 100 % der entschiedenen Prüfungen (2 von 3)"
            ),
            "{table}"
        );
    }
}
