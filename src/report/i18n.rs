//! Labels of every report format in German and English.
//!
//! Texts that come from checks (`Text {de, en}`) are picked by [`Text::get`];
//! everything the renderers write themselves comes from here.

use crate::assess::{Lang, Level, Outcome, TargetAssessment, Text, UnusedAppList, Verdict};
use crate::facts::{TargetKind, UnreadKind};

/// A fixed label used by the renderers (headings, column headers, notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// Title of the whole report.
    ReportTitle,
    /// "Profile".
    Profile,
    /// "Audit date".
    AsOf,
    /// "Tool version".
    ToolVersion,
    /// "Check-set digest".
    CheckSetDigest,
    /// "Summary".
    Summary,
    /// "Target".
    Target,
    /// "Kind".
    Kind,
    /// "App id".
    AppId,
    /// "Version".
    Version,
    /// "Verdict".
    Verdict,
    /// "Score".
    Score,
    /// "File".
    File,
    /// "SHA-256".
    Sha256,
    /// "Source" (a device's inventory record).
    Source,
    /// "Outcome".
    Outcome,
    /// "Check".
    Check,
    /// "Requirement".
    Requirement,
    /// "Level".
    Level,
    /// "Title".
    Title,
    /// "Message" (the finding).
    Message,
    /// "Evidence".
    Evidence,
    /// "Remediation".
    Remediation,
    /// "Attested by".
    AttestedBy,
    /// "Attestation".
    Attestation,
    /// "Results".
    Results,
    /// "Why the target could not be read".
    ReadError,
    /// "No results".
    NoResults,
    /// "Device fleet".
    Fleet,
    /// "devices", after a count ("30 devices", "devices: 4").
    Devices,
    /// "Devices", as a heading or a chart row's label.
    DevicesHeading,
    /// "not found": a file that was named but does not exist (no size, no hash).
    NotFound,
    /// "Device".
    Device,
    /// "Passed".
    Passed,
    /// "Failed".
    Failed,
    /// "Undecided".
    Undecided,
    /// "Share passed (of all applicable)": passed ÷ devices the check applies to.
    ShareCompliant,
    /// "Failed" (number of failed checks of a device).
    Failures,
    /// "Failed requirements" (the ids of a device's failed checks).
    FailedChecks,
    /// "Devices, worst first".
    WorstDevices,
    /// "more not shown here; the JSON and CSV reports list every one".
    OmittedSuffix,
    /// "Personal identifiers are pseudonymized."
    Pseudonymized,
    /// "Personal identifiers are shown in clear."
    NotPseudonymized,
    /// "Notes on the exports".
    ExportNotes,
    /// Heading of what the exports showed together, for information
    /// ([`crate::assess::FleetSummary::export_info`]).
    ExportInfo,
    /// The note that pseudonyms were made with the public default key.
    DefaultKeyNote,
    /// "more notes".
    MoreNotes,
    /// "not decided" (no score).
    NoScore,
    /// "Apps".
    Apps,
    /// "Other files": targets that are neither an app nor a device (an
    /// export or file that could not be read, a file of unknown kind).
    OtherFiles,
    /// "Legend".
    Legend,
    /// "Findings" (evidence block heading in the terminal).
    Findings,
    /// Heading of the entries that carry facts but could not be read.
    UnreadEntries,
    /// Why such a target is unreadable.
    UnreadVerdict,
    /// What to do when a reading limit stopped the read.
    LimitHint,
    /// The results of a target with unread entries are for information only.
    PartialResults,
    /// Heading of an app's reading warnings (problems that did not stop the
    /// read) when none of them leaves facts unknown.
    AppWarnings,
    /// Heading of an app's reading warnings when one of them leaves facts
    /// unknown (a missing Info.plist or executable, an encrypted executable,
    /// a missing resource).
    AppWarningsFactsMissing,
}

impl Label {
    /// The label in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        let (de, en) = self.pair();
        match lang {
            Lang::De => de,
            Lang::En => en,
        }
    }

    fn pair(self) -> (&'static str, &'static str) {
        match self {
            Label::ReportTitle => ("msgaudit-Prüfbericht", "msgaudit audit report"),
            Label::Profile => ("Profil", "Profile"),
            Label::AsOf => ("Prüfdatum", "Audit date"),
            Label::ToolVersion => ("Werkzeugversion", "Tool version"),
            Label::CheckSetDigest => ("Prüfsatz-Prüfsumme", "Check-set digest"),
            Label::Summary => ("Übersicht", "Summary"),
            Label::Target => ("Prüfobjekt", "Target"),
            Label::Kind => ("Art", "Kind"),
            Label::AppId => ("App-Kennung", "App id"),
            Label::Version => ("Version", "Version"),
            Label::Verdict => ("Gesamturteil", "Verdict"),
            Label::Score => ("Erfüllungsgrad", "Score"),
            Label::File => ("Datei", "File"),
            Label::Sha256 => ("SHA-256", "SHA-256"),
            Label::Source => ("Quelle", "Source"),
            Label::Outcome => ("Ergebnis", "Outcome"),
            Label::Check => ("Prüfung", "Check"),
            Label::Requirement => ("Anforderung", "Requirement"),
            Label::Level => ("Stufe", "Level"),
            Label::Title => ("Titel", "Title"),
            Label::Message => ("Befund", "Finding"),
            Label::Evidence => ("Belege", "Evidence"),
            Label::Remediation => ("Abhilfe", "Remediation"),
            Label::AttestedBy => ("Bestätigt von", "Attested by"),
            Label::Attestation => ("Bestätigung", "Attestation"),
            Label::Results => ("Ergebnisse", "Results"),
            // Not only unreadable files: an app list no device takes was
            // read, yet it could not be assessed (its reason follows).
            Label::ReadError => (
                "Das Prüfobjekt konnte nicht ausgewertet werden",
                "The target could not be assessed",
            ),
            Label::NoResults => ("Keine Ergebnisse", "No results"),
            Label::Fleet => ("Geräteflotte", "Device fleet"),
            Label::Devices => ("Geräte", "devices"),
            Label::DevicesHeading => ("Geräte", "Devices"),
            Label::NotFound => ("nicht gefunden", "not found"),
            Label::Device => ("Gerät", "Device"),
            Label::Passed => ("Erfüllt", "Passed"),
            Label::Failed => ("Nicht erfüllt", "Failed"),
            Label::Undecided => ("Offen", "Undecided"),
            Label::ShareCompliant => (
                "Anteil erfüllt (von allen anwendbaren)",
                "Share passed (of all applicable)",
            ),
            Label::Failures => ("Nicht erfüllt", "Failed"),
            Label::FailedChecks => ("Nicht erfüllte Anforderungen", "Failed requirements"),
            Label::WorstDevices => ("Geräte (die schlechtesten zuerst)", "Devices, worst first"),
            Label::OmittedSuffix => (
                "weitere hier nicht gezeigt; der JSON- und der CSV-Bericht enthalten alle",
                "more not shown here; the JSON and CSV reports list every one",
            ),
            Label::Pseudonymized => (
                "Personenbezogene Kennungen sind pseudonymisiert.",
                "Personal identifiers are pseudonymized.",
            ),
            Label::NotPseudonymized => (
                "Personenbezogene Kennungen werden im Klartext gezeigt.",
                "Personal identifiers are shown in clear.",
            ),
            Label::ExportNotes => (
                "Hinweise zu den Exporten (was sie nicht eindeutig angeben)",
                "Notes on the exports (what they did not say clearly)",
            ),
            Label::ExportInfo => (
                "Zu den Exporten (zur Information)",
                "About the exports (for information)",
            ),
            Label::DefaultKeyNote => (
                "Die Pseudonyme wurden mit dem öffentlichen Standardschlüssel von msgaudit gebildet: Sie verbergen Namen, lassen sich aber aus einem bekannten Namen nachrechnen. Für geheime Pseudonyme --pseudonym-key oder MSGAUDIT_PSEUDONYM_KEY setzen.",
                "Pseudonyms were made with msgaudit's public default key: they hide names, but anyone can recompute them from a known name. Set --pseudonym-key or MSGAUDIT_PSEUDONYM_KEY for secret pseudonyms.",
            ),
            Label::MoreNotes => ("weitere Hinweise", "more notes"),
            Label::NoScore => ("nicht bewertet", "not scored"),
            Label::Apps => ("Apps", "Apps"),
            Label::OtherFiles => ("Andere Dateien", "Other files"),
            Label::Legend => ("Legende", "Legend"),
            Label::Findings => ("Belege zu den Befunden", "Evidence for findings"),
            Label::UnreadEntries => (
                "Nicht gelesene oder manipulierte Einträge mit prüfrelevanten Angaben",
                "Entries that carry facts but could not be read or show tampering",
            ),
            Label::UnreadVerdict => (
                "Solange sie nicht gelesen sind, lautet das Gesamturteil „Nicht lesbar“: Ungelesenes darf kein Urteil verbessern.",
                "As long as they are not read, the verdict is “Unreadable”: nothing unread may improve a verdict.",
            ),
            Label::LimitHint => (
                "Eine Lesegrenze hat das Lesen abgebrochen. Ist die Datei vertrauenswürdig, die Grenze anheben (--max-entry-size, --max-total-inflated …) und erneut prüfen.",
                "A reading limit stopped the read. If the file is trusted, raise the limit (--max-entry-size, --max-total-inflated, …) and scan again.",
            ),
            Label::PartialResults => (
                "Die Ergebnisse beruhen nur auf dem Gelesenen und dienen allein der Information; ein Erfüllungsgrad wird nicht angegeben.",
                "The results rest only on what could be read and are for information only; no score is given.",
            ),
            Label::AppWarnings => (
                "Hinweise beim Lesen (die Datei ist lesbar)",
                "Reading warnings (the file is readable)",
            ),
            Label::AppWarningsFactsMissing => (
                "Hinweise beim Lesen (die Datei ist lesbar, einzelne Angaben fehlen)",
                "Reading warnings (the file is readable, some facts are missing)",
            ),
        }
    }
}

/// The sentence on the files folder scans skipped, in `lang`: `total` of
/// them, of which `unrecognized` (when known) were neither an app, an
/// inventory export nor a facts document and the rest were skipped for
/// another reason (a special file, a link to a folder, an export that could
/// not be read or joined). A scan knows the split
/// ([`crate::assess::Assessment::skipped_unrecognized`]); a report read back
/// from JSON keeps only the total, and then no reason is named: `-v` lists
/// every file with its reason.
///
/// `123 weitere Dateien übersprungen: 93 weder App noch Inventarexport noch
/// Fakten-Dokument, 30 aus einem anderen Grund (mit -v aufgelistet)`.
pub fn skipped_files(total: usize, unrecognized: Option<usize>, lang: Lang) -> String {
    let head = match (lang, total) {
        (Lang::De, 1) => "1 weitere Datei übersprungen".to_string(),
        (Lang::De, n) => format!(
            "{} weitere Dateien übersprungen",
            crate::lang::count(n, lang)
        ),
        (Lang::En, 1) => "1 other file skipped".to_string(),
        (Lang::En, n) => format!("{} other files skipped", crate::lang::count(n, lang)),
    };
    let (neither, other, listed) = match lang {
        Lang::De => (
            "weder App noch Inventarexport noch Fakten-Dokument",
            "aus einem anderen Grund",
            "mit -v aufgelistet",
        ),
        Lang::En => (
            "not an app, inventory export or facts document",
            "for another reason",
            "-v lists them",
        ),
    };
    match unrecognized.map(|u| u.min(total)) {
        None => match (lang, total) {
            (Lang::De, 1) => format!("{head} (den Grund nennt -v)"),
            (Lang::De, _) => format!("{head} (die Gründe nennt -v)"),
            (Lang::En, 1) => format!("{head} (-v gives the reason)"),
            (Lang::En, _) => format!("{head} (-v gives the reasons)"),
        },
        Some(u) if u == total => format!("{head}: {neither}"),
        Some(0) => match (lang, total) {
            (Lang::De, 1) => format!("{head}: {other} (mit -v aufgelistet)"),
            (Lang::De, _) => format!("{head}: aus anderen Gründen (mit -v aufgelistet)"),
            (Lang::En, 1) => format!("{head}: {other} (-v lists it)"),
            (Lang::En, _) => format!("{head}: for other reasons ({listed})"),
        },
        Some(u) => format!(
            "{head}: {} {neither}, {} {other} ({listed})",
            crate::lang::count(u, lang),
            crate::lang::count(total - u, lang)
        ),
    }
}

/// The name of a verdict in `lang`.
pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
    let (de, en) = match v {
        Verdict::Compliant => ("Konform", "Compliant"),
        Verdict::NotCompliant => ("Nicht konform", "Not compliant"),
        Verdict::Incomplete => ("Unvollständig", "Incomplete"),
        Verdict::Error => ("Nicht lesbar", "Unreadable"),
    };
    pick(lang, de, en)
}

/// The verdict of target `t` as a reader of `lang` reads it: its
/// [`verdict`], except for an installed-app list that was read but
/// matched no device of the run, which is „Nicht zugeordnet“ / "Not
/// matched" (its verdict in JSON stays `error`; it was read, so it is not
/// unreadable: [`crate::assess::TargetAssessment::is_unmatched_app_list`]).
pub fn target_verdict(t: &crate::assess::TargetAssessment, lang: Lang) -> &'static str {
    verdict_of(t.verdict, t.unused_app_list, lang)
}

/// `n` devices with the noun in the number `n` asks for: "1 device",
/// "3 devices" / „1 Gerät“, „3 Geräte“ (the count grouped as
/// [`crate::lang::count`] groups it).
pub fn devices_counted(n: usize, lang: Lang) -> String {
    let noun = match n {
        1 => pick(lang, "Gerät", "device"),
        _ => Label::Devices.get(lang),
    };
    format!("{} {noun}", crate::lang::count(n, lang))
}

/// [`target_verdict`] from a target's verdict and why it, an installed-app
/// list, was not used (`unused`), for a view that holds no
/// [`crate::assess::TargetAssessment`] (the inputs `compare` could not use).
pub fn verdict_of(v: Verdict, unused: Option<UnusedAppList>, lang: Lang) -> &'static str {
    if unused == Some(UnusedAppList::Unmatched) {
        pick(lang, "Nicht zugeordnet", "Not matched")
    } else {
        verdict(v, lang)
    }
}

/// The name of an outcome in `lang`.
pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    let (de, en) = match o {
        Outcome::Pass => ("Erfüllt", "Pass"),
        Outcome::Fail => ("Nicht erfüllt", "Fail"),
        Outcome::Warn => ("Warnung", "Warn"),
        Outcome::Manual => ("Manuell", "Manual"),
        Outcome::NotApplicable => ("Nicht anwendbar", "Not applicable"),
        Outcome::Error => ("Fehler", "Error"),
    };
    pick(lang, de, en)
}

/// The name of the kind of a reading problem in `lang`.
pub fn unread_kind(k: UnreadKind, lang: Lang) -> &'static str {
    pick(lang, k.german(), k.english())
}

/// The name of a requirement level in `lang`.
pub fn level(l: Level, lang: Lang) -> &'static str {
    let (de, en) = match l {
        Level::Must => ("Muss", "Must"),
        Level::Should => ("Soll", "Should"),
        Level::Alternative => ("Alternative", "Alternative"),
        Level::Desirable => ("Wünschenswert", "Desirable"),
    };
    pick(lang, de, en)
}

/// The level of `requirement`'s check in `lang`, marked unconfirmed where
/// the DSK catalogue only reconstructs it (`MUSS?`, `SOLL?`, … in
/// `dsk/requirements.md` §2, not settled by §0's must-list): „Muss,
/// unbestätigt“ / "Must, unconfirmed"; a confirmed level as [`level`]
/// names it.
pub fn requirement_level(l: Level, requirement: &str, lang: Lang) -> &'static str {
    if !level_unconfirmed(requirement) {
        return level(l, lang);
    }
    let (de, en) = match l {
        Level::Must => ("Muss, unbestätigt", "Must, unconfirmed"),
        Level::Should => ("Soll, unbestätigt", "Should, unconfirmed"),
        Level::Alternative => ("Alternative, unbestätigt", "Alternative, unconfirmed"),
        Level::Desirable => ("Wünschenswert, unbestätigt", "Desirable, unconfirmed"),
    };
    pick(lang, de, en)
}

/// Whether the DSK catalogue only reconstructs the level of `requirement`
/// (`MUSS?`, `SOLL?` in dsk/requirements.md §2; not on §0's must-list).
pub fn level_unconfirmed(requirement: &str) -> bool {
    crate::checks::requirements::find(requirement).is_some_and(|r| r.level.contains('?'))
}

/// `requirement` as a summary lists it among the failed must-requirements:
/// `APP-08 (unbestätigt)` / `APP-08 (unconfirmed)` when its level is only
/// reconstructed ([`level_unconfirmed`]), else the id alone.
pub fn failed_requirement(requirement: &str, lang: Lang) -> String {
    if level_unconfirmed(requirement) {
        format!(
            "{requirement} ({})",
            pick(lang, "unbestätigt", "unconfirmed")
        )
    } else {
        requirement.to_string()
    }
}

/// The name of a target kind in `lang`.
pub fn kind(k: TargetKind, lang: Lang) -> &'static str {
    let (de, en) = match k {
        TargetKind::Android => ("Android-App", "Android app"),
        TargetKind::Ios => ("iOS-App", "iOS app"),
        TargetKind::Device => ("Gerät", "Device"),
        TargetKind::Inventory => ("Geräteinventar", "Device inventory"),
        TargetKind::Unknown => ("Datei unbekannter Art", "File of unknown kind"),
    };
    pick(lang, de, en)
}

/// What a target is, for a reader of `lang`: its kind ([`kind`]), except
/// for a named file that does not exist, which is „Datei nicht
/// gefunden“ / "File not found" — not the app or export its name
/// promised ([`TargetAssessment::file_not_found`]) — and for an
/// installed-app list that could not be used, which is „Liste
/// installierter Apps“ / "Installed-app list", not a device inventory
/// (`report::common::is_unused_app_list`).
pub fn target_kind(t: &TargetAssessment, lang: Lang) -> &'static str {
    if t.file_not_found() {
        pick(lang, "Datei nicht gefunden", "File not found")
    } else if super::common::is_unused_app_list(t) {
        pick(lang, "Liste installierter Apps", "Installed-app list")
    } else {
        kind(t.target.kind, lang)
    }
}

/// A device platform as a reader writes it ([`crate::facts::platform_name`]),
/// an unknown one in `lang`; the value in JSON stays as the export gave it.
pub fn platform(p: &str, lang: Lang) -> &str {
    match p {
        "unknown" => pick(lang, "Plattform unbekannt", "Platform unknown"),
        other => crate::facts::platform_name(other),
    }
}

/// Where a profile comes from, for a reader of `lang`: `built-in` (the
/// machine-readable value in JSON and SARIF) is "mitgeliefert" in German;
/// a file's path stays as it is.
pub fn profile_source(source: &str, lang: Lang) -> &str {
    match (source, lang) {
        ("built-in", Lang::De) => "mitgeliefert",
        _ => source,
    }
}

/// The name of an evidence kind in `lang`: German names for the kinds the
/// checks and extractors use; English keeps the kind as written (it is also
/// the machine-readable value in JSON, SARIF and CSV), as do unknown kinds.
pub fn evidence_kind(kind: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return kind;
    }
    match kind {
        "advertising_id" => "Werbe-ID",
        "android" => "Android",
        "api_ref" => "API-Referenz",
        "blob" => "Signaturblock",
        "class_prefix" => "Klassenpräfix",
        "code_pattern" => "Code-Muster",
        "conflict" => "Widerspruch zwischen Exporten",
        "data_category" => "Datenkategorie",
        "device" => "Gerät",
        "dylib" => "Bibliothek (dylib)",
        "endpoint" => "Endpunkt",
        "entitlement" => "Entitlement",
        "field" => "Feld",
        "file" => "Datei",
        "filled" => "Wert aus einem anderen Export",
        "framework" => "Framework",
        "implied_permission" => "Stillschweigend mit angeforderte Berechtigung",
        "ios" => "iOS",
        "manifest" => "Manifest",
        "manifest_component" => "Manifest-Komponente",
        "meta_data" => "Manifest-Metadaten",
        "native_lib" => "Native Bibliothek",
        "os_support" => "OS-Unterstützung",
        "permission" => "Berechtigung",
        "plist_key" => "Info.plist-Schlüssel",
        "sdk" => "SDK",
        "string" => "Zeichenkette",
        "symbol" => "Symbol",
        "value" => "Wert",
        other => other,
    }
}

/// A check text in `lang`, falling back to the other language when empty.
pub fn text(t: &Text, lang: Lang) -> &str {
    let chosen = t.get(lang);
    if chosen.trim().is_empty() {
        let other = match lang {
            Lang::De => Lang::En,
            Lang::En => Lang::De,
        };
        t.get(other)
    } else {
        chosen
    }
}

/// A score (0–100) as text: one decimal, decimal comma in German, `%` sign;
/// the "not scored" label when there is none.
pub fn score(s: Option<f64>, lang: Lang) -> String {
    match s {
        Some(v) if v.is_finite() => {
            let rounded = format!("{v:.1}");
            let trimmed = rounded.strip_suffix(".0").unwrap_or(&rounded).to_string();
            match lang {
                Lang::De => format!("{} %", trimmed.replace('.', ",")),
                Lang::En => format!("{trimmed} %"),
            }
        }
        _ => Label::NoScore.get(lang).to_string(),
    }
}

/// `de` or `en`, by `lang` (for one-off texts such as column names).
pub fn pick(lang: Lang, de: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn skipped_files_split_by_reason_in_the_singular_for_one() {
        let de = |t, u| skipped_files(t, u, Lang::De);
        let en = |t, u| skipped_files(t, u, Lang::En);
        assert_eq!(
            de(123, Some(93)),
            "123 weitere Dateien übersprungen: 93 weder App noch Inventarexport noch Fakten-Dokument, 30 aus einem anderen Grund (mit -v aufgelistet)"
        );
        assert_eq!(
            en(123, Some(93)),
            "123 other files skipped: 93 not an app, inventory export or facts document, 30 for another reason (-v lists them)"
        );
        assert_eq!(
            de(5, Some(5)),
            "5 weitere Dateien übersprungen: weder App noch Inventarexport noch Fakten-Dokument"
        );
        assert_eq!(
            de(1, Some(1)),
            "1 weitere Datei übersprungen: weder App noch Inventarexport noch Fakten-Dokument"
        );
        assert_eq!(
            en(1, Some(1)),
            "1 other file skipped: not an app, inventory export or facts document"
        );
        assert_eq!(
            de(2, Some(0)),
            "2 weitere Dateien übersprungen: aus anderen Gründen (mit -v aufgelistet)"
        );
        assert_eq!(
            en(1, Some(0)),
            "1 other file skipped: for another reason (-v lists it)"
        );
        // Only the total known (the report model): no reason claimed for all.
        assert_eq!(
            de(123, None),
            "123 weitere Dateien übersprungen (die Gründe nennt -v)"
        );
        assert_eq!(
            de(1, None),
            "1 weitere Datei übersprungen (den Grund nennt -v)"
        );
        assert_eq!(
            en(123, None),
            "123 other files skipped (-v gives the reasons)"
        );
        assert_eq!(en(1, None), "1 other file skipped (-v gives the reason)");
    }

    #[test]
    fn device_list_and_fleet_labels_name_what_their_values_are() {
        assert_eq!(Label::Failures.get(Lang::De), "Nicht erfüllt");
        assert_eq!(Label::Failures.get(Lang::En), "Failed");
        assert_eq!(
            Label::FailedChecks.get(Lang::De),
            "Nicht erfüllte Anforderungen"
        );
        assert_eq!(Label::FailedChecks.get(Lang::En), "Failed requirements");
        assert_eq!(
            Label::ShareCompliant.get(Lang::De),
            "Anteil erfüllt (von allen anwendbaren)"
        );
        assert_eq!(
            Label::ShareCompliant.get(Lang::En),
            "Share passed (of all applicable)"
        );
    }

    #[test]
    fn reading_warning_headings_do_not_claim_complete_facts() {
        for l in [Label::AppWarnings, Label::AppWarningsFactsMissing] {
            assert!(!l.get(Lang::De).contains("vollständig"), "{l:?}");
            assert!(!l.get(Lang::En).contains("complete"), "{l:?}");
        }
        assert_eq!(
            Label::AppWarningsFactsMissing.get(Lang::De),
            "Hinweise beim Lesen (die Datei ist lesbar, einzelne Angaben fehlen)"
        );
        assert_eq!(
            Label::AppWarningsFactsMissing.get(Lang::En),
            "Reading warnings (the file is readable, some facts are missing)"
        );
    }

    use super::*;

    #[test]
    fn german_labels_use_umlauts() {
        assert_eq!(verdict(Verdict::NotCompliant, Lang::De), "Nicht konform");
        assert_eq!(Label::Check.get(Lang::De), "Prüfung");
        assert_eq!(Label::Requirement.get(Lang::De), "Anforderung");
        assert_eq!(level(Level::Desirable, Lang::De), "Wünschenswert");
    }

    #[test]
    fn score_uses_decimal_comma_in_german() {
        assert_eq!(score(Some(87.54), Lang::De), "87,5 %");
        assert_eq!(score(Some(100.0), Lang::En), "100 %");
        assert_eq!(score(None, Lang::En), "not scored");
        assert_eq!(score(Some(f64::NAN), Lang::De), "nicht bewertet");
    }

    #[test]
    fn empty_text_falls_back_to_other_language() {
        let t = Text {
            de: "".into(),
            en: "only English".into(),
        };
        assert_eq!(text(&t, Lang::De), "only English");
    }
}
