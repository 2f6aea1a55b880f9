//! Small formatting helpers shared by the renderers.

use super::i18n::{self, Label};
use crate::assess::{Assessment, Attestation, CheckResult, Lang, Outcome, TargetAssessment};
use crate::facts::warning::{AppWarnings, OTHER_CODE};
use crate::facts::{Evidence, TargetKind, UnreadKind};

/// One evidence item as a single line for a reader of `lang`: the kind
/// named in that language ([`super::i18n::evidence_kind`]), and the German
/// value (`value_de`) where there is one.
pub fn evidence_line_in(e: &Evidence, lang: Lang) -> String {
    let (value, location) = match lang {
        Lang::De => (
            e.value_de.as_ref().unwrap_or(&e.value),
            e.location_de.as_ref().or(e.location.as_ref()),
        ),
        _ => (&e.value, e.location.as_ref()),
    };
    evidence_line_with(super::i18n::evidence_kind(&e.kind, lang), value, location)
}

fn evidence_line_with(kind: &str, value: &str, location: Option<&String>) -> String {
    match location {
        Some(loc) if !loc.is_empty() => format!("{kind}: {value} ({loc})"),
        _ => format!("{kind}: {value}"),
    }
}

/// All evidence of a result joined with `; `, for a reader of `lang`: each
/// item as [`evidence_line_in`] writes it (the kind named in that language,
/// the German value and location where given).
pub fn evidence_joined_in(r: &CheckResult, lang: Lang) -> String {
    r.evidence
        .iter()
        .map(|e| evidence_line_in(e, lang))
        .collect::<Vec<_>>()
        .join("; ")
}

/// An attestation as one line: `by, date: note`.
pub fn attestation_line(a: &Attestation) -> String {
    if a.note.trim().is_empty() {
        format!("{}, {}", a.by, a.date)
    } else {
        format!("{}, {}: {}", a.by, a.date, a.note)
    }
}

/// The codes of reading warnings that leave some of an app's facts unknown
/// (the file was still read and assessed).
const FACTS_MISSING_CODES: &[&str] = &[
    "ipa.info-plist.missing",
    "ipa.executable.missing",
    "ipa.executable.encrypted",
    "apk.xml-resource.missing",
];

/// The warnings reading an app gave (problems that did not stop the read),
/// in `lang`, each after its stable code: `text [code]`, and the heading
/// they go under: it says that some facts are missing when one of them
/// leaves facts unknown. Read from the target's facts (`warning_details`; a
/// facts document without them gives its English `warnings` in both
/// languages). No warnings: an empty list.
pub fn app_warnings(t: &TargetAssessment, lang: Lang) -> (&'static str, Vec<String>) {
    // Facts kept in a temporary file that cannot be read back give none
    // (the JSON report then fails to be written, naming the cause).
    let Some(facts) = t.facts.as_ref().and_then(|f| f.value().ok()) else {
        return (Label::AppWarnings.get(lang), Vec::new());
    };
    let warnings = AppWarnings::from_facts_json(&facts);
    let heading = if warnings
        .iter()
        .any(|w| FACTS_MISSING_CODES.contains(&w.code()))
    {
        Label::AppWarningsFactsMissing
    } else {
        Label::AppWarnings
    };
    let lines = warnings
        .iter()
        .map(|w| {
            let text = match lang {
                Lang::De => w.german(),
                Lang::En => w.english(),
            };
            match w.code() {
                OTHER_CODE => text,
                code => format!("{text} [{code}]"),
            }
        })
        .collect();
    (heading.get(lang), lines)
}

/// Why a target is unreadable, worded in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblems {
    /// The heading: "The target could not be assessed" or "Entries that carry
    /// facts but could not be read".
    pub heading: &'static str,
    /// The file's read error, after the kind of problem when known (empty
    /// for unread entries).
    pub lead: String,
    /// One line per unread entry: `entry — kind: reason`.
    pub items: Vec<String>,
    /// What to make of it: a hint when a limit stopped the read, and that
    /// the results are for information only.
    pub notes: Vec<String>,
}

impl ReadProblems {
    /// The heading and the lead: `heading: lead`, or `heading:` alone.
    pub fn head(&self) -> String {
        if self.lead.is_empty() {
            format!("{}:", self.heading)
        } else {
            format!("{}: {}", self.heading, self.lead)
        }
    }

    /// Everything on one line (CSV cells, SARIF messages): unread entries
    /// each closed by `;`; the notes listed in a read error (they hold `;`
    /// themselves) separated by [`NOTE_SEPARATOR`].
    pub fn one_line(&self) -> String {
        let items = if self.lead.is_empty() {
            self.items
                .iter()
                .map(|i| format!("{i};"))
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.items.join(NOTE_SEPARATOR)
        };
        std::iter::once(self.head())
            .chain(Some(items).filter(|i| !i.is_empty()))
            .chain(self.notes.iter().cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// What stands between the notes of a read error where one line must hold
/// them ([`ReadProblems::one_line`]): the notes hold `;` and `,`
/// themselves, never ` | `.
pub const NOTE_SEPARATOR: &str = " | ";

/// A read error split into its first line and the notes listed after it
/// ([`crate::facts::note::listed`]; an installed-app list no device
/// takes lists what reading it noted).
fn split_listed(error: &str) -> (&str, Vec<String>) {
    let mut parts = error.split(crate::facts::note::LIST_ITEM);
    let lead = parts.next().unwrap_or_default();
    (lead, parts.map(str::to_string).collect())
}

/// Whether `t` is an installed-app list given as a file of its own that
/// could not be used: not read, or none of its lists names a device of
/// the run ([`TargetAssessment::unused_app_list`]). Reports label it
/// „Liste installierter Apps“ / "Installed-app list", not a device
/// inventory.
pub fn is_unused_app_list(t: &TargetAssessment) -> bool {
    t.unused_app_list.is_some()
}

/// Why `t` is unreadable, in `lang`; `None` when it was read. The reasons
/// themselves are the readers' (English) wording.
pub fn read_problems(t: &TargetAssessment, lang: Lang) -> Option<ReadProblems> {
    if t.unread.is_empty() {
        // A report saved before `error_de` was always written: its English
        // words in German.
        let error = match (lang, &t.error_de) {
            (Lang::De, Some(de)) => de.clone(),
            (Lang::De, None) => crate::lang::wording_de::text(t.error.as_ref()?),
            (Lang::En, _) => t.error.clone()?,
        };
        let (first, items) = split_listed(&error);
        let lead = match t.error_kind {
            Some(kind) => format!("{}: {first}", i18n::unread_kind(kind, lang)),
            None => first.to_string(),
        };
        return Some(ReadProblems {
            heading: Label::ReadError.get(lang),
            lead,
            items,
            notes: Vec::new(),
        });
    }
    let items = t
        .unread
        .iter()
        .map(|u| {
            // The reader's reason in German where msgaudit knows its words,
            // else quoted as the reader wrote it: never bare English.
            let reason = match lang {
                Lang::De => crate::lang::wording_de::text(&u.reason),
                Lang::En => u.reason.clone(),
            };
            format!(
                "{} — {}: {reason}",
                u.entry,
                i18n::unread_kind(u.kind, lang)
            )
        })
        .collect();
    let mut notes = vec![Label::UnreadVerdict.get(lang).to_string()];
    if t.unread.iter().any(|u| u.kind == UnreadKind::Limit) {
        notes.push(Label::LimitHint.get(lang).to_string());
    }
    if !t.results.is_empty() {
        notes.push(Label::PartialResults.get(lang).to_string());
    }
    Some(ReadProblems {
        heading: Label::UnreadEntries.get(lang),
        lead: String::new(),
        items,
        notes,
    })
}

/// True for outcomes whose evidence and remediation a reader needs to see.
pub fn needs_attention(o: Outcome) -> bool {
    matches!(
        o,
        Outcome::Fail | Outcome::Warn | Outcome::Manual | Outcome::Error
    )
}

/// The display name of a target in `lang` with its version, if any and not
/// already in the name (a device named by its record is named in `lang`:
/// [`super::locator::device_name`], with its export's file name:
/// „Datensatz 1 (amapi.json)“).
pub fn target_title(t: &TargetAssessment, lang: Lang) -> String {
    let name = match t.target.kind {
        TargetKind::Device => {
            let name = super::locator::device_name(&t.target.name, lang);
            // A device named by its record alone (`record 1`): two exports
            // both have a record 1, so its export's file tells them apart.
            match &t.target.file {
                Some(f) if crate::facts::locator_de(&t.target.name).is_some() => {
                    let file = std::path::Path::new(&f.path)
                        .file_name()
                        .map_or(f.path.as_str(), |n| n.to_str().unwrap_or(&f.path));
                    std::borrow::Cow::Owned(format!("{name} ({file})"))
                }
                _ => name,
            }
        }
        _ => std::borrow::Cow::Borrowed(t.target.name.as_str()),
    };
    match &t.target.version {
        Some(v) if !v.is_empty() && !name.contains(v.as_str()) => format!("{name} {v}"),
        _ => name.into_owned(),
    }
}

/// Short identifying line of the check set, for headers: first 16 hex digits.
pub fn short_digest(a: &Assessment) -> &str {
    let d = a.tool.check_set_digest.as_str();
    d.get(..16).unwrap_or(d)
}

/// Replaces line breaks, other control characters and bidirectional-override
/// characters by spaces (one-line formats; keeps a hostile name from sending
/// escape sequences to a terminal or reversing the text around it).
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| {
            let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
            if c.is_control() || bidi {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Devices rendered per parallel task by [`write_devices`].
const DEVICES_PER_TASK: usize = 64;

/// Tasks rendered before their output is written (bounds the memory in flight).
const TASKS_IN_FLIGHT: usize = 16;

/// Writes every device of `a` to `out`, worst first: `render(position, device,
/// buffer)` runs in parallel on groups of devices read back from the store,
/// and the buffers are written in order — the same bytes as rendering one
/// device after the other, with at most a few thousand devices in memory.
pub fn write_devices<W: std::io::Write>(
    a: &Assessment,
    out: &mut W,
    render: impl Fn(usize, &TargetAssessment, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let n = a.devices.len();
    let step = DEVICES_PER_TASK * TASKS_IN_FLIGHT;
    for start in (0..n).step_by(step) {
        let end = start.saturating_add(step).min(n);
        let pieces: Vec<std::io::Result<Vec<u8>>> = (start..end)
            .step_by(DEVICES_PER_TASK)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|first| {
                let mut buf = Vec::with_capacity(DEVICES_PER_TASK * 4096);
                let last = first.saturating_add(DEVICES_PER_TASK).min(end);
                for (i, device) in (first..last).zip(a.devices.range(first..last)) {
                    render(i, &device?, &mut buf)?;
                }
                Ok(buf)
            })
            .collect();
        for piece in pieces {
            out.write_all(&piece?)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two devices named by their record alone (`record 1` of two exports)
    /// are told apart by their export's file; a named device is not.
    #[test]
    fn a_device_named_by_its_record_is_named_with_its_file() {
        let mut t = crate::checks::failed_target(&crate::checks::InputFailure {
            path: "/exports/amapi.json".into(),
            kind: TargetKind::Device,
            reason: String::new(),
            cause: None,
            reason_de: None,
            unused_app_list: None,
            file: None,
        });
        t.target.name = "record 1".into();
        assert_eq!(target_title(&t, Lang::De), "Datensatz 1 (amapi.json)");
        assert_eq!(target_title(&t, Lang::En), "record 1 (amapi.json)");
        t.target.name = "pn-39bf62169304".into();
        assert_eq!(target_title(&t, Lang::De), "pn-39bf62169304");
    }

    /// An installed-app list no device takes: the notes listed in its
    /// reason become items of their own (one line: ` | ` between them, as
    /// they hold `;` themselves), and it is labelled an installed-app
    /// list, its verdict „Nicht zugeordnet“; a device export whose text
    /// merely names an installed-app list is neither.
    #[test]
    fn the_notes_of_an_unused_app_list_stay_apart() {
        use crate::assess::UnusedAppList;
        let failure = |path: &str, reason: &str, unused| {
            crate::checks::failed_target(&crate::checks::InputFailure {
                path: path.into(),
                kind: TargetKind::Inventory,
                reason: reason.into(),
                cause: None,
                reason_de: Some(reason.into()),
                unused_app_list: unused,
                file: None,
            })
        };
        let t = failure(
            "/x/apps.plist",
            "an Apple MDM installed-app list … (add the device's export). Reading the file also noted:\n- response 2: a; skipped\n- response 3: b; skipped",
            Some(UnusedAppList::Unmatched),
        );
        let p = read_problems(&t, Lang::En).unwrap();
        assert!(p.lead.ends_with("Reading the file also noted:"), "{p:?}");
        assert_eq!(
            p.items,
            ["response 2: a; skipped", "response 3: b; skipped"]
        );
        assert!(
            p.one_line()
                .ends_with("also noted: response 2: a; skipped | response 3: b; skipped"),
            "{}",
            p.one_line()
        );
        assert!(is_unused_app_list(&t) && t.is_unmatched_app_list());
        assert_eq!(
            super::super::i18n::target_kind(&t, Lang::De),
            "Liste installierter Apps"
        );
        let verdict = |t: &TargetAssessment, lang| super::super::i18n::target_verdict(t, lang);
        assert_eq!(verdict(&t, Lang::De), "Nicht zugeordnet");
        assert_eq!(verdict(&t, Lang::En), "Not matched");
        // A list that could not be read is an installed-app list, unreadable.
        let unread = failure(
            "/x/apps.plist",
            "/x/apps.plist: installed-app list not readable: broken",
            Some(UnusedAppList::Unreadable),
        );
        assert!(is_unused_app_list(&unread) && !unread.is_unmatched_app_list());
        assert_eq!(verdict(&unread, Lang::De), "Nicht lesbar");
        let export = failure(
            "/x/installed-app list.json",
            "an Apple MDM installed-app list: the inventory file is empty",
            None,
        );
        assert!(!is_unused_app_list(&export));
        assert_eq!(
            super::super::i18n::target_kind(&export, Lang::En),
            "Device inventory"
        );
        assert_eq!(verdict(&export, Lang::En), "Unreadable");
    }

    /// A file that could not be read: its reason in the report's language,
    /// also from a saved report written before `error_de` always was.
    #[test]
    fn read_errors_are_said_in_the_reports_language() {
        let mut t = crate::checks::failed_target(&crate::checks::InputFailure {
            path: "/x/empty.json".into(),
            kind: crate::facts::TargetKind::Inventory,
            reason: "the inventory file is empty".into(),
            cause: None,
            reason_de: None,
            unused_app_list: None,
            file: None,
        });
        assert_eq!(t.error_de.as_deref(), Some("Die Inventardatei ist leer"));
        for error_de in [t.error_de.clone(), None] {
            t.error_de = error_de;
            let lead = |lang| read_problems(&t, lang).map(|p| p.lead);
            assert_eq!(
                lead(Lang::De).as_deref(),
                Some("Die Inventardatei ist leer")
            );
            assert_eq!(
                lead(Lang::En).as_deref(),
                Some("the inventory file is empty")
            );
        }
    }

    #[test]
    fn one_line_removes_escapes_and_bidi_overrides() {
        assert_eq!(one_line("a\u{1b}[31mb\nc\u{202E}d"), "a [31mb c d");
    }

    #[test]
    fn german_lines_show_the_german_kind_and_value_english_lines_the_value() {
        let mut e = Evidence::new("advertising_id", "X — readable").at("AndroidManifest.xml");
        e.value_de = Some("X — lesbar".into());
        assert_eq!(
            evidence_line_in(&e, Lang::De),
            "Werbe-ID: X — lesbar (AndroidManifest.xml)"
        );
        assert_eq!(
            evidence_line_in(&e, Lang::En),
            "advertising_id: X — readable (AndroidManifest.xml)"
        );
    }
}
