//! What an export did not say clearly: the notes reading an inventory
//! gives besides its devices, in English and German.
//!
//! A note never quotes personal data: it names a record by its number and a
//! value only when the value is a state word of the export (`"Unknown"`,
//! `Status = Error`), never an identifier. The English text
//! ([`std::fmt::Display`]) is what the facts document's `warnings` hold.

use std::fmt;

use super::partial::{Partial, Place};
use crate::limits::MAX_DEVICES;

/// The warning added to the inventory facts when the default pseudonym key is used.
pub const DEFAULT_KEY_WARNING: &str = "pseudonyms were made with msgaudit's public default key: they hide names in this report but anyone can recompute them from a known name or serial; set --pseudonym-key or MSGAUDIT_PSEUDONYM_KEY for pseudonyms that are secret and differ between organisations";

/// One thing an export did not say clearly, or could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A record (line, response, JSON value) that was skipped.
    Skipped {
        /// What kind of unit was skipped.
        unit: Unit,
        /// Its number, counted from 1 (a line number for CSV).
        number: u64,
        /// Why.
        reason: Reason,
    },
    /// A single JSON document broke; the records before the break were read.
    BrokeAfterRecords(Reason),
    /// More unreadable JSON values than were noted one by one.
    MoreUnreadableJson(usize),
    /// An Apple MDM response in which the device answered with an error
    /// status (`Error`, `NotNow`) instead of facts.
    DeviceAnswered {
        /// The response's number, counted from 1.
        response: u64,
        /// The status word.
        status: String,
    },
    /// Devices for which the export said something msgaudit cannot read as
    /// a clear state; the fact was left unknown.
    LeftUnknown {
        /// Number of devices.
        devices: usize,
        /// What the export said (field and value, no identifier).
        said: String,
        /// The device fact left unknown (a `Device` field name).
        fact: &'static str,
    },
    /// Devices beyond [`MAX_DEVICES`] that were not read.
    OverLimit(usize),
    /// Notes beyond [`crate::limits::MAX_WARNINGS`] that were counted, not kept.
    NotShown(usize),
    /// The pseudonyms were made with the public default key.
    DefaultPseudonymKey,
    /// Reading stopped part-way (an error after some devices were read).
    ReadingStopped {
        /// The error (English).
        error: String,
        /// Where, when the reader could say.
        place: Option<Place>,
    },
    /// The export was read only in part (the summary, first of the notes).
    Partial {
        /// The summary.
        partial: Partial,
        /// The first unread part's reason in German.
        reason_de: String,
    },
    /// Devices of this export that other exports of the scan list too (same
    /// serial number, IMEI, UDID or device id): each is assessed once.
    Duplicates {
        /// Devices of this export that other exports list too.
        devices: usize,
        /// Of them, merged into a device counted with an export read later.
        counted_elsewhere: usize,
        /// Of them, not merged (the memory budget for held devices was hit).
        unmerged: usize,
    },
    /// Devices held to be merged with a device of an export that could not
    /// be read in the end: assessed as this export lists them.
    HeldNotMerged(usize),
    /// The export's last page links to a further page (`key`:
    /// `@odata.nextLink`, `nextPageToken`) that is not in the file: the
    /// fleet may have more devices than the file lists.
    FurtherPage {
        /// The key that holds the link.
        key: &'static str,
    },
    /// The export's pages say it has `total` records in all (`key`:
    /// Workspace ONE's `Total`, Jamf Pro API's `totalCount`), and the file
    /// holds another number: more (the fleet may have more devices than the
    /// file lists) or fewer (the file contradicts itself).
    PageTotal {
        /// The key that gives the total.
        key: &'static str,
        /// The total the last page that gives one says.
        total: u64,
        /// The records the file holds, on all its pages.
        records: u64,
        /// That page's number (`Page`), when it says.
        page: Option<u64>,
        /// That page's size (`PageSize`), when it says.
        page_size: Option<u64>,
    },
    /// Files of the same scan that together are every page of one paged
    /// export, and show it whole: they give one total (`key`: `Total`,
    /// `totalCount`, `@odata.count`), together hold exactly that many
    /// records, no page is given twice and, for linked pages, exactly one of
    /// them links to no further page. Informational, not a warning: one
    /// note stands for the whole set (not a note of one export), and it
    /// stands in for the pages' [`Note::PageTotal`] and
    /// [`Note::FurtherPage`]: no page is missing.
    PagesReadTogether {
        /// The key that gives the total.
        key: &'static str,
        /// The total, which the pages' records add up to.
        total: u64,
        /// The names of the export's files, in the scan's order.
        files: Vec<String>,
    },
    /// This file is one page of a linked export (`key`: `@odata.nextLink`,
    /// `nextPageToken`) given with other files of the same format in the
    /// scan, and the files do not show that no page is missing: a link does
    /// not say which page follows it, so pages can only be counted whole by
    /// a total they give. Stands in for the page's [`Note::FurtherPage`].
    PagesNotShownWhole {
        /// The key that holds the links.
        key: &'static str,
        /// This file's name.
        file: String,
        /// Whether this file's last page links to a further page (else it
        /// is a page that links to none).
        links: bool,
        /// The names of the files of this format in the scan, this one
        /// included, in the scan's order.
        files: Vec<String>,
        /// Of them, the files whose last page links to no further page (a
        /// last page); empty when none is: then a page is missing for sure.
        last: Vec<String>,
        /// What the files' totals say, when they give any.
        totals: PageTotals,
    },
    /// This file was given to the scan once before (the same path): its
    /// pages are counted once, with the first time it was given, and that
    /// is where what its pages show is said. Stands in for the repeat's
    /// [`Note::PageTotal`] and [`Note::FurtherPage`].
    GivenTwice {
        /// The file's name.
        file: String,
    },
    /// Serial numbers, IMEIs or UDIDs that more than one record of this
    /// export gives (e.g. a stale record after a re-enrolment): each record
    /// is counted as a device.
    SameIdentifier {
        /// Distinct serial numbers in more than one record.
        serials: usize,
        /// Distinct IMEIs in more than one record.
        imeis: usize,
        /// Distinct UDIDs in more than one record.
        udids: usize,
        /// Some of them, pseudonymized (never in clear).
        examples: Vec<(IdentifierKind, String)>,
        /// Records with an identifier not remembered (the budget was reached).
        unchecked: usize,
        /// The most identifiers remembered.
        budget: usize,
    },
    /// A key one dictionary of an Apple MDM response gives twice with
    /// different values: both are kept, the fact it gives is unknown.
    RepeatedKey {
        /// The response's number, counted from 1.
        response: u64,
        /// The key's dotted path in the response (`SecurityInfo.PasscodePresent`).
        key: String,
        /// The two values, when they may be quoted (device facts, never
        /// identifiers).
        values: Option<(String, String)>,
    },
    /// More repeated keys than were noted one by one.
    MoreRepeatedKeys(usize),
    /// Two Apple MDM responses of one device (same UDID) that give a key
    /// different values: both are kept, the fact it gives is unknown.
    ResponsesDisagree {
        /// The device's first response, counted from 1.
        first: u64,
        /// The response that disagrees with it.
        again: u64,
        /// The key's dotted path in the responses.
        key: String,
        /// The two values, when they may be quoted (device facts, never
        /// identifiers).
        values: Option<(String, String)>,
    },
    /// The export lists no device at all (a header without rows, an empty
    /// record list): nothing of the fleet it stands for is assessed (a scan
    /// that assesses nothing at all exits as incomplete, not as compliant).
    NoDevices,
    /// A key an Apple MDM response gives both in `QueryResponses` and at its
    /// top level, with different values: both are kept, the fact it gives
    /// is unknown.
    TwoPlaces {
        /// The response's number, counted from 1.
        response: u64,
        /// The key's dotted path (`OSVersion`).
        key: String,
        /// The two values (`QueryResponses`' first), when they may be quoted
        /// (device facts, never identifiers).
        values: Option<(String, String)>,
    },
    /// A key that an Apple MDM installed-app list given as a file of its own
    /// (joined to a device of this export by UDID) gives twice in one
    /// dictionary with different values: the messengers of that list are
    /// left unknown.
    AppListRepeat {
        /// The list's file.
        file: String,
        /// The response's number in the file, counted from 1.
        response: u64,
        /// The key's dotted path in the response
        /// (`InstalledApplicationList.Identifier`).
        key: String,
        /// The two values, when they may be quoted (app entries, never
        /// identifiers).
        values: Option<(String, String)>,
    },
    /// A response of an installed-app list given as a file of its own that
    /// gave no list of a device (told to the export whose device takes a
    /// list of that file, or on the file's own row when no device does).
    AppListSkipped {
        /// The list's file.
        file: String,
        /// The response's number in the file, counted from 1.
        response: u64,
        /// Why it gave no list.
        why: AppListSkip,
    },
    /// An installed-app list file some of whose lists a device of the scan
    /// took, while others name a device no export of the scan lists (one
    /// retired since, say): those were not used. Information about the
    /// exports, not a warning; the devices' ids are not told.
    AppListsLeftOver {
        /// The list's file.
        file: String,
        /// The devices its lists name.
        devices: u64,
        /// Of them, those no export of the scan lists.
        left: u64,
    },
    /// A note read back from a facts document, in its one (English) wording.
    Other(String),
}

/// Why a response of an installed-app list file gave no list ([`Note::AppListSkipped`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppListSkip {
    /// The device answered with an error status (`NotNow`, `Error`): the
    /// device's messengers are not known from it.
    Answered(String),
    /// A Workspace ONE `DeviceApps` response holds this many entries that
    /// name no device (`DeviceId`) beside entries that do: the lists of the
    /// devices it names are incomplete (`Device::installed_messengers_partial`).
    EntriesWithoutDevice(usize),
    /// None of the entries (this many) of a Workspace ONE `DeviceApps`
    /// response names a device, while other responses of its file do.
    NoEntryNamesDevice(usize),
    /// It names no device (`UDID`), so it cannot be joined to one.
    NoUdid,
    /// It holds no `InstalledApplicationList`.
    NoList,
    /// Its `InstalledApplicationList` is not a list of app entries (an
    /// entry, or its `Identifier` or `Name`, is itself a list): the
    /// messengers of the device it names are left unknown.
    Unreadable,
}

/// What the totals of linked pages given as several files say
/// ([`Note::PagesNotShownWhole`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageTotals {
    /// No page gives a total.
    None,
    /// Every page gives the same total (`key`: `@odata.count`), and the
    /// pages hold `held` records together (short of it, over it, or as
    /// many with more than one last page).
    Same {
        /// The key that gives the total.
        key: &'static str,
        /// The total the pages give.
        total: u64,
        /// The records the pages hold together.
        held: u64,
    },
    /// Some pages give a total (`key`), the files `without` do not.
    Lacking {
        /// The key that gives the total.
        key: &'static str,
        /// The files whose pages give no total.
        without: Vec<String>,
    },
    /// The pages give different totals (`key`).
    Differ {
        /// The key that gives the totals.
        key: &'static str,
    },
}

/// A device identifier that names one device (a note counts them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentifierKind {
    /// Serial number.
    Serial,
    /// IMEI.
    Imei,
    /// UDID.
    Udid,
}

impl IdentifierKind {
    /// `n` identifiers of this kind, the noun in the number's form.
    fn count(self, n: usize, de: bool) -> String {
        let (one, many) = match (self, de) {
            (IdentifierKind::Serial, true) => ("Seriennummer", "Seriennummern"),
            (IdentifierKind::Serial, false) => ("serial number", "serial numbers"),
            (IdentifierKind::Imei, true) => ("IMEI", "IMEIs"),
            (IdentifierKind::Imei, false) => ("IMEI", "IMEIs"),
            (IdentifierKind::Udid, true) => ("UDID", "UDIDs"),
            (IdentifierKind::Udid, false) => ("UDID", "UDIDs"),
        };
        format!("{n} {}", by_count(n, one, many))
    }

    /// The kind's name (singular).
    fn name(self, de: bool) -> &'static str {
        match (self, de) {
            (IdentifierKind::Serial, true) => "Seriennummer",
            (IdentifierKind::Serial, false) => "serial number",
            (IdentifierKind::Imei, _) => "IMEI",
            (IdentifierKind::Udid, _) => "UDID",
        }
    }
}

/// What a skipped unit of an export is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A device record of a JSON or XML export.
    Record,
    /// A CSV line.
    Line,
    /// A response of an Apple MDM export.
    Response,
    /// A top-level JSON value (a line of JSON lines, a page).
    JsonValue,
}

/// Why a unit of an export was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Not a JSON object.
    NotJsonObject,
    /// An Intune record that is not a managed device.
    NotIntuneDevice,
    /// A Jamf record that is not a mobile device.
    NotJamfDevice,
    /// A Workspace ONE record without `Id`, `Udid` or `Platform`.
    NotWorkspaceOneDevice,
    /// An Apple MDM response that is not a dictionary.
    NotDictionary,
    /// An Apple MDM response that is neither DeviceInformation nor SecurityInfo.
    NotDeviceResponse,
    /// An `InstalledApplicationList` response whose device (by UDID) has no
    /// DeviceInformation or SecurityInfo response in the same file.
    AppListWithoutDevice,
    /// A CSV row the CSV reader refused.
    CsvRow(CsvProblem),
    /// A CSV field over the size limit.
    FieldTooLong {
        /// Column number, from 1.
        field: usize,
        /// Its size.
        bytes: usize,
        /// The limit.
        limit: usize,
    },
    /// A CSV field that is not UTF-8.
    FieldNotUtf8 {
        /// Column number, from 1.
        field: usize,
    },
    /// An XML element whose text is over the size limit.
    ElementTooLong {
        /// The element's name (cut to 40 characters).
        element: String,
        /// The limit.
        limit: usize,
    },
    /// JSON that could not be parsed.
    Json {
        /// What kind of problem.
        problem: JsonProblem,
        /// Line of the problem, from 1, counted in the top-level value.
        line: usize,
        /// Column of the problem, from 1.
        column: usize,
        /// Byte offset of the problem in the export, when known.
        byte: Option<u64>,
    },
    /// A record (JSON record or top-level value, CSV row, XML record) over
    /// `Limits::max_record_size`; refused before it was buffered.
    RecordTooLarge {
        /// The limit (bytes).
        limit: u64,
        /// Byte offset in the export where reading of it stopped, when known.
        byte: Option<u64>,
    },
}

/// What was wrong with a CSV row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvProblem {
    /// Reading failed.
    Read,
    /// Text that is not UTF-8.
    NotUtf8,
    /// A row with another number of fields than the header.
    FieldCount,
    /// Anything else the reader refused.
    Malformed,
}

/// What was wrong with JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonProblem {
    /// A syntax error.
    Syntax,
    /// Arrays and objects nested deeper than the JSON reader's limit of 128
    /// levels (serde_json's recursion limit).
    TooDeep,
    /// A number too large for the reader (e.g. `1e999`).
    NumberOutOfRange,
    /// The JSON ends early.
    Truncated,
    /// A value of an unexpected type.
    WrongType,
    /// Reading failed.
    Read,
}

/// The languages a note is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    De,
    En,
}

impl Note {
    /// The note in German.
    pub fn german(&self) -> String {
        self.write(Lang::De)
    }

    /// The note in English (as [`fmt::Display`]).
    pub fn english(&self) -> String {
        self.write(Lang::En)
    }

    fn write(&self, l: Lang) -> String {
        let de = l == Lang::De;
        match self {
            Note::Skipped {
                unit,
                number,
                reason,
            } => {
                let what = unit.label(*number, l);
                if de {
                    format!("{what}: {}; übersprungen", reason.text(l))
                } else {
                    format!("{what}: {}; skipped", reason.text(l))
                }
            }
            Note::BrokeAfterRecords(reason) => {
                if de {
                    format!(
                        "{}; die Datensätze davor wurden gelesen",
                        reason.text(l)
                    )
                } else {
                    format!("{}; records before it were read", reason.text(l))
                }
            }
            Note::MoreUnreadableJson(n) => {
                if de {
                    format!("{n} weitere unlesbare JSON-Werte übersprungen")
                } else {
                    format!("{n} more unreadable JSON values skipped")
                }
            }
            Note::DeviceAnswered { response, status } => {
                if de {
                    format!("Antwort {response}: das Gerät antwortete mit Status = {status}, keine Geräteangaben; übersprungen")
                } else {
                    format!("response {response}: the device answered Status = {status}, no device facts; skipped")
                }
            }
            Note::LeftUnknown {
                devices,
                said,
                fact,
            } => {
                if de {
                    format!(
                        "{}: Der Export meldet {said}; {} bleibt daher unbekannt",
                        self::devices(*devices, true),
                        fact_de(fact)
                    )
                } else {
                    format!(
                        "{}: the export says {said}; {} is left unknown",
                        self::devices(*devices, false),
                        fact_en(fact)
                    )
                }
            }
            Note::OverLimit(n) => {
                let max = number(MAX_DEVICES, de);
                match (de, *n) {
                    (true, 1) => format!("1 weiteres Gerät nicht gelesen: die Grenze ist {max} Geräte je Export"),
                    (true, n) => format!("{} weitere Geräte nicht gelesen: die Grenze ist {max} Geräte je Export", number(n, de)),
                    (false, 1) => format!("1 more device was not read: the limit is {max} devices per export"),
                    (false, n) => format!("{} more devices were not read: the limit is {max} devices per export", number(n, de)),
                }
            }
            Note::NotShown(n) => {
                if de {
                    format!("{n} weitere Hinweise nicht aufgeführt")
                } else {
                    format!("{n} more warnings not shown")
                }
            }
            Note::ReadingStopped { error, place } => {
                let at = place.map(|p| p.text(de));
                if de {
                    let at = at.map(|a| format!(" bei {a}")).unwrap_or_default();
                    format!("Lesen{at} abgebrochen: {error}; die Geräte davor wurden gelesen")
                } else {
                    let at = at.map(|a| format!(" at {a}")).unwrap_or_default();
                    format!("reading stopped{at}: {error}; the devices above were read before it")
                }
            }
            Note::Partial { partial, reason_de } => partial.text(de, reason_de),
            Note::Duplicates {
                devices,
                counted_elsewhere,
                unmerged,
            } => duplicates_text(*devices, *counted_elsewhere, *unmerged, de),
            Note::HeldNotMerged(n) => {
                if de {
                    format!("{} dieses Exports {} mit einem Gerät eines Exports zusammengeführt werden, der am Ende nicht gelesen werden konnte; {} so bewertet, wie dieser Export {} führt", self::devices(*n, true), by_count(*n, "sollte", "sollten"), by_count(*n, "es wird", "sie werden"), by_count(*n, "es", "sie"))
                } else {
                    format!("{} of this export {} to be merged with a device of an export that could not be read in the end; {} assessed as this export lists {}", self::devices(*n, false), by_count(*n, "was", "were"), by_count(*n, "it is", "they are"), by_count(*n, "it", "them"))
                }
            }
            Note::FurtherPage { key } => {
                if de {
                    format!("Die letzte Seite dieses Exports verweist mit `{key}` auf eine weitere Seite, die nicht in dieser Datei steht: Die Flotte kann mehr Geräte haben, als diese Datei aufführt. Alle Seiten exportieren und im selben Prüflauf einlesen (in einer Datei oder in mehreren)")
                } else {
                    format!("the last page of this export links with `{key}` to a further page that is not in this file: the fleet may have more devices than this file lists. Export every page and give them to the same scan (in one file or several)")
                }
            }
            Note::PageTotal {
                key,
                total,
                records,
                page,
                page_size,
            } => page_total(key, *total, *records, (*page, *page_size), de),
            Note::PagesReadTogether { key, total, files } => {
                let n = files.len();
                let all = file_names(files, de);
                if de {
                    format!("{all} sind die {n} Seiten eines Exports und wurden in diesem Prüflauf zusammen gelesen: Zusammen enthalten sie so viele Geräte, wie der Export insgesamt nennt ({total}, `{key}`); es fehlt keine Seite")
                } else {
                    format!("{all} are the {n} pages of one export, read together in this scan: together they hold as many devices as the export says it has in all ({total}, `{key}`); no page is missing")
                }
            }
            Note::PagesNotShownWhole {
                key,
                file,
                links,
                files,
                last,
                totals,
            } => pages_not_shown_whole(key, file, *links, (files, last), totals, de),
            Note::GivenTwice { file } => {
                if de {
                    format!("{file} wurde diesem Prüflauf zweimal übergeben: Seine Seiten zählen einmal, beim ersten Mal; was sie zeigen, steht dort")
                } else {
                    format!("{file} was given twice to this scan: its pages count once, the first time it was given, and what they show is said there")
                }
            }
            Note::SameIdentifier {
                serials,
                imeis,
                udids,
                examples,
                unchecked,
                budget,
            } => same_identifier(
                [
                    (IdentifierKind::Serial, *serials),
                    (IdentifierKind::Imei, *imeis),
                    (IdentifierKind::Udid, *udids),
                ],
                examples,
                (*unchecked, *budget),
                de,
            ),
            Note::RepeatedKey {
                response,
                key,
                values,
            } => different_values(
                &response_lead(*response, de),
                key,
                values.as_ref(),
                [IN_ONE_DICT, FACT_UNKNOWN],
                de,
            ),
            Note::MoreRepeatedKeys(n) => {
                if de {
                    if *n == 1 {
                        "1 weiterer Schlüssel steht zweimal, mit verschiedenen Werten; seine Angabe bleibt daher unbekannt".to_string()
                    } else {
                        format!("{n} weitere Schlüssel stehen jeweils zweimal, mit verschiedenen Werten; ihre Angaben bleiben daher unbekannt")
                    }
                } else {
                    format!("{n} more keys given twice with different values; the facts they give are left unknown")
                }
            }
            Note::ResponsesDisagree {
                first,
                again,
                key,
                values,
            } => {
                let values = quoted(values.as_ref(), de);
                if de {
                    format!("Die Antworten {first} und {again} desselben Geräts (gleiche UDID) nennen für `{key}` verschiedene Werte ({values}); {}", FACT_UNKNOWN.0)
                } else {
                    format!("responses {first} and {again} of one device (same UDID) give `{key}` different values ({values}); {}", FACT_UNKNOWN.1)
                }
            }
            Note::NoDevices => pick(
                de,
                "Der Export enthält kein Gerät: Von der Flotte, für die er steht, wurde nichts geprüft. Falls er versehentlich leer, gefiltert oder abgeschnitten ist, neu exportieren",
                "the export lists no device: nothing of the fleet it stands for was assessed. If it is empty, filtered or cut short by mistake, export it again",
            )
            .to_string(),
            Note::TwoPlaces {
                response,
                key,
                values,
            } => different_values(
                &response_lead(*response, de),
                key,
                values.as_ref(),
                [
                    (
                        "steht in `QueryResponses` und auf oberster Ebene",
                        "is given both in `QueryResponses` and at the top level",
                    ),
                    FACT_UNKNOWN,
                ],
                de,
            ),
            Note::AppListRepeat { .. } | Note::AppListSkipped { .. } => {
                self.app_list_note(true, l).unwrap_or_default()
            }
            Note::AppListsLeftOver {
                file,
                devices,
                left,
            } => app_lists_left_over(file, *devices, *left, de),
            Note::Other(text) => text.clone(),
            Note::DefaultPseudonymKey => if de {
                "Pseudonyme wurden mit dem öffentlichen Standardschlüssel von msgaudit gebildet: Sie verbergen Namen in diesem Bericht, aber jeder kann sie aus einem bekannten Namen oder einer Seriennummer nachrechnen. Für geheime, je Organisation verschiedene Pseudonyme --pseudonym-key oder MSGAUDIT_PSEUDONYM_KEY setzen"
            } else {
                DEFAULT_KEY_WARNING
            }
            .to_string(),
        }
    }
}

impl Note {
    /// The note as told beside its own file, where the file is already
    /// named (the error row of an installed-app list no device takes): a
    /// note on a response of an installed-app list without the list's file
    /// name (`response 2: …` / `Antwort 2: …`), any other note in full.
    pub fn beside_its_file(&self, german: bool) -> String {
        let l = if german { Lang::De } else { Lang::En };
        self.app_list_note(false, l)
            .unwrap_or_else(|| self.write(l))
    }

    /// The number of the installed-app list response a note is about (from
    /// 1); `None` for any other note.
    pub fn app_list_response(&self) -> Option<u64> {
        match self {
            Note::AppListRepeat { response, .. } | Note::AppListSkipped { response, .. } => {
                Some(*response)
            }
            _ => None,
        }
    }

    /// A note on a response of an installed-app list given as a file of its
    /// own, with the list's file named (`named`) or not; `None` for any
    /// other note.
    fn app_list_note(&self, named: bool, l: Lang) -> Option<String> {
        let de = l == Lang::De;
        // The file's name, German in quotes where the note has always
        // quoted it (a skipped response).
        let lead = |file: &str, response: u64, quote: bool| {
            let response = response_lead(response, de);
            match (named, de, quote) {
                (false, _, _) => response,
                (true, true, true) => format!("Liste installierter Apps „{file}“, {response}"),
                (true, true, false) => format!("Liste installierter Apps {file}, {response}"),
                (true, false, _) => format!("installed-app list {file}, {response}"),
            }
        };
        Some(match self {
            Note::AppListRepeat {
                file,
                response,
                key,
                values,
            } => different_values(
                &lead(file, *response, false),
                key,
                values.as_ref(),
                [
                    IN_ONE_DICT,
                    (
                        "welche Messenger die Liste nennt, bleibt daher unbekannt",
                        "which messengers the list names is left unknown",
                    ),
                ],
                de,
            ),
            Note::AppListSkipped {
                file,
                response,
                why,
            } => format!("{}{}", lead(file, *response, true), app_list_skip(why, de)),
            _ => return None,
        })
    }
}

/// What starts each note of a list told inside one message
/// ([`listed`]): a line of its own after `- `. A note is one line, so the
/// notes stay apart although their texts hold `;` themselves; the reports
/// show them as list items (`report::common::read_problems`).
pub const LIST_ITEM: &str = "\n- ";

/// `notes` as a list inside one message, each after [`LIST_ITEM`]; a
/// line break or other control character inside a note (a value from the
/// export) becomes a space, so that every note stays one item.
pub fn listed<I: IntoIterator<Item = String>>(notes: I) -> String {
    notes
        .into_iter()
        .map(|n| {
            let line: String = n
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            format!("{LIST_ITEM}{line}")
        })
        .collect()
}

/// [`Note::AppListsLeftOver`]: the file, how many devices its lists name
/// (always two or more: one was taken, one left over), how many of them no
/// export lists, and that their lists were not used.
fn app_lists_left_over(file: &str, devices: u64, left: u64, de: bool) -> String {
    let all = number(devices, de);
    let left_n = number(left, de);
    match (de, left) {
        (true, 1) => format!(
            "Liste installierter Apps „{file}“: Sie nennt die Apps von {all} Geräten, von denen eines in keinem Export dieses Prüflaufs vorkommt; dessen Liste wurde nicht verwendet (etwa weil das Gerät inzwischen ausgemustert ist oder sein Export nicht angegeben wurde)"
        ),
        (true, _) => format!(
            "Liste installierter Apps „{file}“: Sie nennt die Apps von {all} Geräten, von denen {left_n} in keinem Export dieses Prüflaufs vorkommen; deren Listen wurden nicht verwendet (etwa weil diese Geräte inzwischen ausgemustert sind oder ihr Export nicht angegeben wurde)"
        ),
        (false, 1) => format!(
            "installed-app list {file}: it lists the apps of {all} devices, 1 of which no export of this scan lists; its list was not used (for instance because the device has been retired since or its export was not given)"
        ),
        (false, _) => format!(
            "installed-app list {file}: it lists the apps of {all} devices, {left_n} of which no export of this scan lists; their lists were not used (for instance because those devices have been retired since or their export was not given)"
        ),
    }
}

/// Why a response of an installed-app list gave no list, and what follows
/// ([`Note::AppListSkipped`]).
fn app_list_skip(why: &AppListSkip, de: bool) -> String {
    match (why, de) {
        (AppListSkip::Answered(status), true) => format!(
            "das Gerät antwortete mit Status = {status}, keine App-Liste; übersprungen (die Messenger des Geräts bleiben unbekannt, sofern keine andere Antwort sie nennt)"
        ),
        (AppListSkip::Answered(status), false) => format!(
            "the device answered Status = {status}, no app list; skipped (the device's messengers stay unknown unless another response lists them)"
        ),
        (AppListSkip::NoUdid, true) => "nennt keine UDID und lässt sich daher keinem Gerät zuordnen; übersprungen".to_string(),
        (AppListSkip::NoUdid, false) => "names no UDID, so it cannot be joined to a device; skipped".to_string(),
        (AppListSkip::NoList, true) => "enthält keine InstalledApplicationList; übersprungen".to_string(),
        (AppListSkip::NoList, false) => "holds no InstalledApplicationList; skipped".to_string(),
        (AppListSkip::Unreadable, true) => "ihre InstalledApplicationList ist keine Liste von App-Einträgen (ein Eintrag oder dessen `Identifier` bzw. `Name` ist selbst eine Liste); welche Messenger das Gerät hat, bleibt daher unbekannt".to_string(),
        (AppListSkip::Unreadable, false) => "its InstalledApplicationList is not a list of app entries (an entry, or its `Identifier` or `Name`, is itself a list); which messengers the device has is left unknown".to_string(),
        (AppListSkip::EntriesWithoutDevice(1), true) => "einer ihrer Einträge nennt kein Gerät (DeviceId) und wurde übersprungen; er kann zu jedem Gerät gehören, das die Antwort nennt, daher sind die Listen dieser Geräte unvollständig: Die genannten Messenger sind installiert; ob weitere installiert sind, ist nicht belegt".to_string(),
        (AppListSkip::EntriesWithoutDevice(n), true) => format!("{} ihrer Einträge nennen kein Gerät (DeviceId) und wurden übersprungen; sie können zu jedem Gerät gehören, das die Antwort nennt, daher sind die Listen dieser Geräte unvollständig: Die genannten Messenger sind installiert; ob weitere installiert sind, ist nicht belegt", number(*n, true)),
        (AppListSkip::EntriesWithoutDevice(1), false) => "one of its entries names no device (DeviceId) and was skipped; it may be an app of any device the response names, so their lists are incomplete: the messengers named are installed; whether others are is not shown".to_string(),
        (AppListSkip::EntriesWithoutDevice(n), false) => format!("{} of its entries name no device (DeviceId) and were skipped; they may be apps of any device the response names, so their lists are incomplete: the messengers named are installed; whether others are is not shown", number(*n, false)),
        (AppListSkip::NoEntryNamesDevice(1), true) => "ihr einziger Eintrag nennt kein Gerät (DeviceId), daher lässt sie sich keinem Gerät zuordnen; übersprungen".to_string(),
        (AppListSkip::NoEntryNamesDevice(1), false) => "its one entry names no device (DeviceId), so it cannot be joined to a device; skipped".to_string(),
        (AppListSkip::NoEntryNamesDevice(n), true) => format!("keiner ihrer {} Einträge nennt ein Gerät (DeviceId), daher lässt sie sich keinem Gerät zuordnen; übersprungen", number(*n, true)),
        (AppListSkip::NoEntryNamesDevice(n), false) => format!("none of its {} entries names a device (DeviceId), so it cannot be joined to a device; skipped", number(*n, false)),
    }
}

impl Note {
    /// Why the part this note is about could not be read, in German and
    /// English: the reason alone for a skipped unit (its place is said
    /// elsewhere), else the whole note.
    pub fn cause(&self) -> (String, String) {
        match self {
            Note::Skipped { reason, .. } | Note::BrokeAfterRecords(reason) => {
                (reason.text(Lang::De), reason.text(Lang::En))
            }
            other => (other.german(), other.english()),
        }
    }

    /// When this note says a part of the export could not be read (damage or
    /// a limit, not a record that is simply no device): where, and whether
    /// reading goes on after it. Such notes make the export partial.
    pub fn unread(&self) -> Option<(Option<Place>, bool)> {
        match self {
            Note::Skipped {
                unit,
                number,
                reason,
            } => match (unit, reason) {
                (_, Reason::Json { byte, .. }) => Some((byte.map(Place::Byte), true)),
                (Unit::Line, Reason::RecordTooLarge { .. }) => {
                    Some((Some(Place::Line(*number)), false))
                }
                (_, Reason::RecordTooLarge { byte, .. }) => Some((byte.map(Place::Byte), true)),
                (Unit::Line, Reason::CsvRow(p)) => {
                    Some((Some(Place::Line(*number)), *p != CsvProblem::Read))
                }
                (Unit::Line, Reason::FieldTooLong { .. } | Reason::FieldNotUtf8 { .. }) => {
                    Some((Some(Place::Line(*number)), true))
                }
                (_, Reason::ElementTooLong { .. }) => Some((Some(Place::Record(*number)), true)),
                _ => None,
            },
            Note::BrokeAfterRecords(reason) => match reason {
                Reason::Json { byte, .. } | Reason::RecordTooLarge { byte, .. } => {
                    Some((byte.map(Place::Byte), false))
                }
                _ => Some((None, false)),
            },
            Note::MoreUnreadableJson(_) => Some((None, true)),
            Note::OverLimit(_) => Some((
                Some(Place::Record((MAX_DEVICES as u64).saturating_add(1))),
                false,
            )),
            Note::ReadingStopped { place, .. } => Some((*place, false)),
            _ => None,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

/// In a facts document a note is its English text.
impl serde::Serialize for Note {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.english())
    }
}

/// A note read from a facts document keeps its text ([`Note::Other`]); the
/// default-key note is recognised, so reports built from facts documents
/// still mark default-key pseudonyms.
impl<'de> serde::Deserialize<'de> for Note {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Ok(if text == DEFAULT_KEY_WARNING {
            Note::DefaultPseudonymKey
        } else {
            Note::Other(text)
        })
    }
}

impl Unit {
    /// "record 7", "Zeile 7", …
    fn label(self, n: u64, l: Lang) -> String {
        match (self, l) {
            (Unit::Record, Lang::En) => format!("record {n}"),
            (Unit::Record, Lang::De) => format!("Datensatz {n}"),
            (Unit::Line, Lang::En) => format!("line {n}"),
            (Unit::Line, Lang::De) => format!("Zeile {n}"),
            (Unit::Response, Lang::En) => format!("response {n}"),
            (Unit::Response, Lang::De) => format!("Antwort {n}"),
            (Unit::JsonValue, Lang::En) => format!("JSON value {n} (line or page {n})"),
            (Unit::JsonValue, Lang::De) => format!("JSON-Wert {n} (Zeile oder Seite {n})"),
        }
    }
}

impl Reason {
    fn text(&self, l: Lang) -> String {
        let de = l == Lang::De;
        match self {
            Reason::NotJsonObject => pick(de, "kein JSON-Objekt", "not a JSON object").into(),
            Reason::NotIntuneDevice => pick(
                de,
                "kein Intune-managedDevice (kein operatingSystem, osVersion oder deviceName)",
                "not an Intune managedDevice (no operatingSystem, osVersion or deviceName)",
            )
            .into(),
            Reason::NotJamfDevice => {
                pick(de, "kein Mobilgeräte-Objekt", "not a mobile device object").into()
            }
            Reason::NotWorkspaceOneDevice => pick(
                de,
                "kein Workspace-ONE-Gerät (kein Id, Udid oder Platform)",
                "not a Workspace ONE device (no Id, Udid or Platform)",
            )
            .into(),
            Reason::NotDictionary => pick(de, "keine Schlüssel-Wert-Liste (dict)", "not a dictionary").into(),
            Reason::AppListWithoutDevice => pick(
                de,
                "eine InstalledApplicationList-Antwort, deren Gerät (UDID) in dieser Datei keine DeviceInformation- oder SecurityInfo-Antwort hat (als eigene Datei gegeben, wird sie Geräten anderer Exporte zugeordnet)",
                "an InstalledApplicationList response whose device (UDID) has no DeviceInformation or SecurityInfo response in this file (given as a file of its own, it is joined to devices of other exports)",
            )
            .into(),
            Reason::NotDeviceResponse => pick(
                de,
                "weder eine DeviceInformation- noch eine SecurityInfo-Antwort",
                "neither a DeviceInformation nor a SecurityInfo response",
            )
            .into(),
            Reason::CsvRow(p) => {
                let what = p.text(l);
                if de {
                    format!("unlesbare CSV-Zeile ({what})")
                } else {
                    format!("unreadable CSV row ({what})")
                }
            }
            Reason::FieldTooLong {
                field,
                bytes,
                limit,
            } => {
                if de {
                    format!("Feld {field} hat {bytes} Bytes, über der Grenze von {limit}")
                } else {
                    format!("field {field} is {bytes} bytes, over the limit of {limit}")
                }
            }
            Reason::FieldNotUtf8 { field } => {
                if de {
                    format!("Feld {field} ist kein gültiges UTF-8")
                } else {
                    format!("field {field} is not valid UTF-8")
                }
            }
            Reason::ElementTooLong { element, limit } => {
                if de {
                    format!("Element <{element}> hat mehr als {limit} Bytes Text")
                } else {
                    format!("element <{element}> has more than {limit} bytes of text")
                }
            }
            Reason::RecordTooLarge { limit, byte } => {
                let at = byte.map(|b| Place::Byte(b).text(de));
                if de {
                    let at = at
                        .map(|a| format!("; bei {a} abgebrochen"))
                        .unwrap_or_default();
                    format!("ein Datensatz ist größer als die Grenze von {limit} Bytes (--max-record-size{at}); nicht gepuffert")
                } else {
                    let at = at.map(|a| format!("; stopped at {a}")).unwrap_or_default();
                    format!("a record is larger than the limit of {limit} bytes (--max-record-size{at}); not buffered")
                }
            }
            Reason::Json {
                problem,
                line,
                column,
                byte,
            } => {
                let what = match problem {
                    JsonProblem::Syntax => pick(de, "JSON-Syntaxfehler", "JSON syntax error"),
                    JsonProblem::TooDeep => pick(
                        de,
                        "tiefer als 128 Ebenen verschachtelt",
                        "nested deeper than 128 levels",
                    ),
                    JsonProblem::NumberOutOfRange => pick(
                        de,
                        "Zahl außerhalb des darstellbaren Bereichs",
                        "number out of range",
                    ),
                    JsonProblem::Truncated => pick(
                        de,
                        "das JSON endet zu früh (abgeschnitten)",
                        "the JSON ends early (truncated)",
                    ),
                    JsonProblem::WrongType => pick(
                        de,
                        "unerwarteter JSON-Werttyp",
                        "unexpected JSON value type",
                    ),
                    JsonProblem::Read => pick(de, "Lesefehler", "read error"),
                };
                let at = byte.map(|b| Place::Byte(b).text(de));
                if de {
                    let at = at.map(|a| format!(", {a} des Exports")).unwrap_or_default();
                    format!("{what} in Zeile {line}, Spalte {column}{at}")
                } else {
                    let at = at
                        .map(|a| format!(", {a} of the export"))
                        .unwrap_or_default();
                    format!("{what} at line {line} column {column}{at}")
                }
            }
        }
    }
}

impl CsvProblem {
    fn text(self, l: Lang) -> &'static str {
        let de = l == Lang::De;
        match self {
            CsvProblem::Read => pick(de, "Lesefehler", "read error"),
            CsvProblem::NotUtf8 => pick(
                de,
                "Text ist kein gültiges UTF-8",
                "text is not valid UTF-8",
            ),
            CsvProblem::FieldCount => pick(de, "falsche Anzahl Felder", "wrong number of fields"),
            CsvProblem::Malformed => pick(de, "fehlerhaftes CSV", "malformed CSV"),
        }
    }
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(Lang::En))
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// The text of [`Note::SameIdentifier`].
fn same_identifier(
    counts: [(IdentifierKind, usize); 3],
    examples: &[(IdentifierKind, String)],
    (unchecked, budget): (usize, usize),
    de: bool,
) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(kind, n)| kind.count(*n, de))
        .collect();
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let listed = match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), pick(de, "und", "and")),
    };
    let named = examples
        .iter()
        .map(|(kind, p)| format!("{} {p}", kind.name(de)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = String::new();
    if total > 0 {
        let stands = by_count(total, "steht", "stehen jeweils");
        let appears = by_count(total, "appears", "each appear");
        text = if de {
            format!("{listed} {stands} in diesem Export in mehr als einem Datensatz (z. B. {named}), etwa weil nach einer erneuten Registrierung ein veralteter Datensatz im MDM geblieben ist: Jeder Datensatz wird als eigenes Gerät gezählt; veraltete Datensätze im MDM bereinigen")
        } else {
            format!("{listed} {appears} in more than one record of this export (e.g. {named}), as when a re-enrolment leaves a stale record in the MDM: each record is counted as a device; clean up stale records in the MDM")
        };
    }
    if unchecked > 0 {
        if !text.is_empty() {
            text.push_str("; ");
        }
        let records = match (unchecked, de) {
            (1, true) => "1 Datensatz wurde".to_string(),
            (n, true) => format!("{n} Datensätze wurden"),
            (1, false) => "1 record was".to_string(),
            (n, false) => format!("{n} records were"),
        };
        text.push_str(&if de {
            format!("{records} nur mit den ersten {budget} gemerkten Kennungen verglichen, nicht untereinander (Speichergrenze)")
        } else {
            format!("{records} compared only with the first {budget} identifiers remembered, not with each other (memory budget)")
        });
    }
    text
}

/// [`Note::PageTotal`]'s text: the export's total (`key`) against the
/// records of the file, with the page's number and size when given.
fn page_total(
    key: &str,
    total: u64,
    records: u64,
    (page, size): (Option<u64>, Option<u64>),
    de: bool,
) -> String {
    let said: Vec<String> = [
        page.map(|p| format!("{} {p}", pick(de, "Seite", "page"))),
        size.map(|s| format!("{s} {}", pick(de, "je Seite", "a page"))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let at = if said.is_empty() {
        String::new()
    } else {
        format!(" ({})", said.join(", "))
    };
    let all = devices(total, de);
    match (total > records, de) {
        (true, true) => format!("Der Export nennt insgesamt {all} (`{key}`), diese Datei enthält {records}{at}: Die Flotte kann mehr Geräte haben, als diese Datei aufführt. Alle Seiten exportieren und im selben Prüflauf einlesen (in einer Datei oder in mehreren)"),
        (true, false) => format!("the export says it has {all} in all (`{key}`); this file holds {records}{at}: the fleet may have more devices than this file lists. Export every page and give them to the same scan (in one file or several)"),
        (false, true) => format!("Der Export nennt insgesamt {all} (`{key}`), diese Datei enthält aber {records}{at}: Die Datei widerspricht sich selbst; bitte prüfen, ob sie unverändert aus dem MDM stammt"),
        (false, false) => format!("the export says it has {all} in all (`{key}`), but this file holds {records}{at}: the file contradicts itself; check that it is the MDM's export, unaltered"),
    }
}

/// At most this many file names are listed in a note on pages; the rest
/// are counted.
const NAMES_SHOWN: usize = 5;

/// File names as a list („a.json, b.json und c.json“), the first
/// [`NAMES_SHOWN`] named and the rest counted.
fn file_names(names: &[String], de: bool) -> String {
    let and = pick(de, "und", "and");
    let shown = names.get(..NAMES_SHOWN).unwrap_or(names);
    let more = names.len() - shown.len();
    let mut parts: Vec<String> = shown.to_vec();
    if more > 0 {
        parts.push(match (de, more) {
            (true, 1) => "1 weitere Datei".to_string(),
            (true, n) => format!("{n} weitere Dateien"),
            (false, 1) => "1 more file".to_string(),
            (false, n) => format!("{n} more files"),
        });
    }
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// [`Note::PagesNotShownWhole`]'s text: the file's link (or its lack),
/// the scan's pages of the format (`files`) and last pages (`last`), and
/// what their totals show.
fn pages_not_shown_whole(
    key: &str,
    file: &str,
    links: bool,
    (files, last): (&[String], &[String]),
    totals: &PageTotals,
    de: bool,
) -> String {
    let all = file_names(files, de);
    let n = files.len();
    if last.is_empty() {
        return if de {
            format!("{file} verweist mit `{key}` auf eine weitere Seite, doch keine Datei dieses Prüflaufs ist die letzte Seite des Exports (eine Seite ohne `{key}`): Mindestens eine Seite fehlt; die Flotte kann mehr Geräte haben, als die {n} Seiten {all} aufführen. Alle Seiten bis zur letzten exportieren und im selben Prüflauf einlesen")
        } else {
            format!("{file} links with `{key}` to a further page, but no file of this scan is the export's last page (a page without `{key}`): at least one page is missing; the fleet may have more devices than the {n} pages {all} list. Export every page up to the last and give them to the same scan")
        };
    }
    let ends = file_names(last, de);
    let lead = if links {
        pick2(
            de,
            format!("{file} verweist mit `{key}` auf eine weitere Seite"),
            format!("{file} links with `{key}` to a further page"),
        )
    } else {
        pick2(
            de,
            format!("{file} verweist auf keine weitere Seite, andere Seiten dieses Prüflaufs verweisen aber mit `{key}` auf weitere"),
            format!("{file} links to no further page, but other pages of this scan link with `{key}` to further ones"),
        )
    };
    let ends_verb = if de {
        by_count(last.len(), "verweist", "verweisen")
    } else {
        by_count(last.len(), "links", "link")
    };
    let scan = if de {
        format!("{lead}. Dieser Prüflauf enthält {n} Seiten dieses Formats ({all}); {ends} {ends_verb} auf keine weitere Seite")
    } else {
        format!("{lead}. This scan has {n} pages of this format ({all}); {ends} {ends_verb} to no further page")
    };
    let more = pick(
        de,
        "Die Flotte kann mehr Geräte haben, als diese Dateien aufführen",
        "The fleet may have more devices than these files list",
    );
    match totals {
        PageTotals::Same {
            key: count,
            total,
            held,
        } if held < total => {
            let all_devices = devices(*total, de);
            if de {
                format!("{scan}. Diese {n} Seiten enthalten {held} der {all_devices}, die der Export insgesamt nennt (`{count}`): Mindestens eine Seite fehlt. {more}. Alle Seiten exportieren und im selben Prüflauf einlesen")
            } else {
                format!("{scan}. These {n} pages hold {held} of the {all_devices} the export names in all (`{count}`): at least one page is missing. {more}. Export every page and give them to the same scan")
            }
        }
        PageTotals::Same {
            key: count,
            total,
            held,
        } if held > total => {
            let all_devices = devices(*held, de);
            if de {
                format!("{scan}. Diese {n} Seiten enthalten {all_devices}, mehr als die {total}, die der Export insgesamt nennt (`{count}`): Eine Seite ist doppelt dabei, oder der Export hat sich geändert, während seine Seiten abgerufen wurden. Dass keine Seite fehlt, lässt sich aus den Dateien nicht belegen. Damit diese Warnung entfällt, alle Seiten auf einmal neu exportieren und im selben Prüflauf einlesen")
            } else {
                format!("{scan}. These {n} pages hold {all_devices}, more than the {total} the export names in all (`{count}`): a page is given twice, or the export changed while its pages were fetched. The files do not show that no page is missing. For this warning to go away, export every page again at once and give them to the same scan")
            }
        }
        PageTotals::Same {
            key: count, total, ..
        } => {
            if de {
                format!("{scan}. Zusammen enthalten diese {n} Seiten so viele Geräte, wie der Export insgesamt nennt ({total}, `{count}`), doch ein Export hat nur eine letzte Seite: Die Dateien sind nicht die Seiten eines Exports. Dass keine Seite fehlt, lässt sich aus ihnen nicht belegen. Damit diese Warnung entfällt, alle Seiten auf einmal neu exportieren und im selben Prüflauf einlesen")
            } else {
                format!("{scan}. Together these {n} pages hold as many devices as the export names in all ({total}, `{count}`), but an export has only one last page: the files are not the pages of one export. They do not show that no page is missing. For this warning to go away, export every page again at once and give them to the same scan")
            }
        }
        PageTotals::Lacking {
            key: count,
            without,
        } => {
            let names = file_names(without, de);
            if de {
                let verb = by_count(without.len(), "nennt", "nennen");
                format!("{scan}. {names} {verb} keine Gesamtzahl (`{count}`), die anderen Seiten schon: Dass keine Seite dazwischen fehlt, lässt sich aus den Dateien nicht belegen, denn `{key}` sagt nicht, welche Seite folgt. {more}. Damit diese Warnung entfällt, jede Seite mit ihrer Gesamtzahl exportieren (ohne `{count}` zu entfernen) oder alle Seiten in der abgerufenen Reihenfolge in einer Datei einlesen")
            } else {
                let verb = by_count(without.len(), "gives", "give");
                format!("{scan}. {names} {verb} no total (`{count}`), the other pages do: the files do not show that no page is missing between them, as `{key}` does not say which page follows. {more}. For this warning to go away, export every page with its total (do not strip `{count}`) or give every page in one file, in the order they were fetched")
            }
        }
        PageTotals::Differ { key: count } => {
            if de {
                format!("{scan}. Die Seiten nennen verschiedene Gesamtzahlen (`{count}`): Der Export hat sich geändert, während seine Seiten abgerufen wurden, oder sie gehören zu verschiedenen Exporten. Dass keine Seite fehlt, lässt sich aus den Dateien nicht belegen. {more}. Damit diese Warnung entfällt, alle Seiten auf einmal neu exportieren und im selben Prüflauf einlesen")
            } else {
                format!("{scan}. The pages give different totals (`{count}`): the export changed while its pages were fetched, or they are pages of different exports. The files do not show that no page is missing. {more}. For this warning to go away, export every page again at once and give them to the same scan")
            }
        }
        PageTotals::None => {
            // Graph pages can give the export's total; the other linked
            // exports cannot.
            let graph = key == "@odata.nextLink";
            if de {
                let total = if graph {
                    "die Seiten mit ihrer Gesamtzahl exportieren (ohne `@odata.count` zu entfernen) oder "
                } else {
                    ""
                };
                format!("{scan}. Dass keine Seite dazwischen fehlt, lässt sich aus den Dateien nicht belegen: `{key}` sagt nicht, welche Seite folgt, und die Seiten nennen keine Gesamtzahl, die sie zusammen ergeben. {more}. Damit diese Warnung entfällt, {total}alle Seiten in der abgerufenen Reihenfolge in einer Datei einlesen")
            } else {
                let total = if graph {
                    "export the pages with their total (do not strip `@odata.count`) or "
                } else {
                    ""
                };
                format!("{scan}. The files do not show that no page is missing between them: `{key}` does not say which page follows, and the pages give no total that they add up to. {more}. For this warning to go away, {total}give every page in one file, in the order they were fetched")
            }
        }
    }
}

/// The German or the English of two owned texts.
fn pick2(de: bool, german: String, english: String) -> String {
    if de {
        german
    } else {
        english
    }
}

/// Where a key stands twice: in one dictionary (German, English).
const IN_ONE_DICT: (&str, &str) = (
    "steht zweimal in derselben Schlüssel-Wert-Liste (dict)",
    "is given twice in one dictionary",
);

/// What follows when a key gives a fact twice (German, English).
const FACT_UNKNOWN: (&str, &str) = (
    "die Angabe bleibt daher unbekannt",
    "the fact it gives is left unknown",
);

/// "Antwort 3: " / "response 3: ".
fn response_lead(response: u64, de: bool) -> String {
    if de {
        format!("Antwort {response}: ")
    } else {
        format!("response {response}: ")
    }
}

/// A note on a key given twice with different values: `lead`, the key,
/// where it stands twice and what follows (`[at, then]`, each German and
/// English), the values quoted where they may be.
fn different_values(
    lead: &str,
    key: &str,
    values: Option<&(String, String)>,
    [at, then]: [(&str, &str); 2],
    de: bool,
) -> String {
    let values = quoted(values, de);
    if de {
        format!(
            "{lead}`{key}` {}, mit verschiedenen Werten ({values}); {}",
            at.0, then.0
        )
    } else {
        format!(
            "{lead}`{key}` {}, with different values ({values}); {}",
            at.1, then.1
        )
    }
}

/// Two values a note quotes (`true` / `false`), or words saying they are
/// not quoted (they may be identifiers).
fn quoted(values: Option<&(String, String)>, de: bool) -> String {
    match (values, de) {
        (Some((a, b)), true) => format!("{a} und {b}"),
        (Some((a, b)), false) => format!("{a} and {b}"),
        (None, true) => "nicht zitiert, da womöglich eine Kennung".into(),
        (None, false) => "not quoted, as they may be an identifier".into(),
    }
}

/// `n` devices, with the noun in the number's form: "1 Gerät", "2 Geräte",
/// "1 device", "2 devices".
pub(super) fn devices<N: Count>(n: N, de: bool) -> String {
    let noun = match de {
        true => by_count(n, "Gerät", "Geräte"),
        false => by_count(n, "device", "devices"),
    };
    format!("{} {noun}", number(n, de))
}

/// `n` for the note's language, with its thousands separator
/// ([`crate::lang::count`]).
pub(super) fn number<N: Count>(n: N, de: bool) -> String {
    let lang = if de {
        crate::lang::Lang::De
    } else {
        crate::lang::Lang::En
    };
    crate::lang::count(n, lang)
}

/// A count a note writes (`usize` or, for a total an export states, `u64`).
pub(super) trait Count: Copy + PartialEq + From<u8> + fmt::Display {}

impl<N: Copy + PartialEq + From<u8> + fmt::Display> Count for N {}

/// `one` for a count of 1, else `many` (a word that agrees with a count).
pub(super) fn by_count<N: Count>(n: N, one: &'static str, many: &'static str) -> &'static str {
    if n == N::from(1) {
        one
    } else {
        many
    }
}

fn pick(de: bool, german: &'static str, english: &'static str) -> &'static str {
    if de {
        german
    } else {
        english
    }
}

/// The English name of a device fact, with its article, as a reader
/// says it (never the internal field name `last_check_in`).
fn fact_en(fact: &str) -> &'static str {
    match fact {
        "passcode" => "the passcode setting",
        "encryption" => "the encryption status",
        "compromised" => "the root/jailbreak status",
        "managed" => "the MDM management status",
        "ownership" => "the ownership",
        "security_patch_level" => "the security patch level",
        "last_check_in" => "the last check-in",
        "cloud_backup" => "the cloud backup setting",
        _ => "the fact",
    }
}

/// The German name of a device fact, with its article.
fn fact_de(fact: &str) -> &'static str {
    match fact {
        "passcode" => "die Gerätesperre",
        "encryption" => "die Verschlüsselung",
        "compromised" => "der Root-/Jailbreak-Status",
        "managed" => "die MDM-Verwaltung",
        "ownership" => "der Eigentümertyp",
        "security_patch_level" => "der Sicherheitspatch-Stand",
        "last_check_in" => "der letzte Kontakt",
        "cloud_backup" => "die Cloud-Sicherung",
        _ => "die Angabe",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_device_over_the_limit_is_said_in_the_singular() {
        assert!(Note::OverLimit(1)
            .german()
            .starts_with("1 weiteres Gerät nicht gelesen: die Grenze ist "));
        assert!(Note::OverLimit(1)
            .english()
            .starts_with("1 more device was not read: the limit is "));
        assert!(Note::OverLimit(2)
            .german()
            .starts_with("2 weitere Geräte nicht gelesen"));
    }

    #[test]
    fn english_keeps_the_facts_wording_and_german_translates_it() {
        let n = Note::Skipped {
            unit: Unit::Line,
            number: 7,
            reason: Reason::CsvRow(CsvProblem::FieldCount),
        };
        assert_eq!(
            n.to_string(),
            "line 7: unreadable CSV row (wrong number of fields); skipped"
        );
        assert_eq!(
            n.german(),
            "Zeile 7: unlesbare CSV-Zeile (falsche Anzahl Felder); übersprungen"
        );
        let u = Note::LeftUnknown {
            devices: 2,
            said: "jailBroken = \"Unknown\"".into(),
            fact: "compromised",
        };
        assert_eq!(
            u.to_string(),
            "2 devices: the export says jailBroken = \"Unknown\"; the root/jailbreak status is left unknown"
        );
        assert_eq!(
            u.german(),
            "2 Geräte: Der Export meldet jailBroken = \"Unknown\"; der Root-/Jailbreak-Status bleibt daher unbekannt"
        );
        assert_eq!(Note::DefaultPseudonymKey.to_string(), DEFAULT_KEY_WARNING);
    }
}

/// The text of [`Note::Duplicates`]: `devices` of an export also listed by
/// other exports, `counted_elsewhere` of them counted with an export read
/// later, `unmerged` of them not merged (the memory budget was hit). Said of
/// one device in the singular („es wird … zusammengeführt“), of all of them
/// without a count („sie werden …“), of some with it („2 davon werden …“).
fn duplicates_text(devices: usize, counted_elsewhere: usize, unmerged: usize, de: bool) -> String {
    let merged = devices.saturating_sub(unmerged);
    // The subject of a clause on `n` of the devices.
    let of_them = |n: usize| -> String {
        match (de, devices, n == devices) {
            (true, 1, _) => "es".into(),
            (false, 1, _) => "it".into(),
            (true, _, true) => "sie".into(),
            (false, _, true) => "they".into(),
            (true, _, false) => format!("{n} davon"),
            (false, _, false) => format!("{n} of them"),
        }
    };
    let one = |n: usize| n == 1;
    let mut text = if de {
        format!(
            "{} dieses Exports {} auch in anderen Exporten dieses Prüflaufs (gleiche \
             Seriennummer, IMEI, UDID oder Geräte-ID derselben Verwaltung)",
            self::devices(devices, true),
            by_count(devices, "steht", "stehen")
        )
    } else {
        format!(
            "{} of this export {} also listed by other exports of this scan (same serial \
             number, IMEI, UDID or device id of the same MDM)",
            self::devices(devices, false),
            by_count(devices, "is", "are")
        )
    };
    if merged > 0 {
        text.push_str(&if de {
            format!(
                "; {} {} mit deren Einträgen zu {} Gerät zusammengeführt und mit den Werten der \
                 jüngsten Meldung an das MDM bewertet; abweichende Werte stehen als Belege beim \
                 Gerät",
                of_them(merged),
                if one(merged) { "wird" } else { "werden" },
                if devices == 1 { "einem" } else { "je einem" }
            )
        } else {
            format!(
                "; {} {} merged with their entries{} and assessed with the values of the most \
                 recent check-in; values that differ are evidence with the device",
                of_them(merged),
                if one(merged) { "is" } else { "are" },
                if devices == 1 {
                    " into one device"
                } else {
                    ", each into one device,"
                }
            )
        });
    }
    if counted_elsewhere > 0 {
        text.push_str(&if de {
            format!(
                "; {} {} beim zuletzt eingelesenen Export gezählt, nicht hier",
                of_them(counted_elsewhere),
                if one(counted_elsewhere) {
                    "wird"
                } else {
                    "werden"
                }
            )
        } else {
            format!(
                "; {} {} with the export read last, not here",
                of_them(counted_elsewhere),
                if one(counted_elsewhere) {
                    "counts"
                } else {
                    "count"
                }
            )
        });
    }
    if unmerged > 0 {
        text.push_str(&if de {
            format!(
                "; {} {} nicht zusammengeführt, weil die Speichergrenze für zurückgehaltene \
                 Geräte erreicht war: {} mehrfach",
                of_them(unmerged),
                if one(unmerged) { "wurde" } else { "wurden" },
                if one(unmerged) {
                    "es zählt"
                } else {
                    "sie zählen"
                }
            )
        } else {
            format!(
                "; {} {} not merged because the memory budget for held devices was reached: {} \
                 more than once",
                of_them(unmerged),
                if one(unmerged) { "was" } else { "were" },
                if one(unmerged) {
                    "it counts"
                } else {
                    "they count"
                }
            )
        });
    }
    text
}

#[cfg(test)]
mod duplicates_tests {
    use super::duplicates_text;

    /// One device is „es“, all of several „sie“, some „2 davon“; each clause
    /// agrees with its subject (before: „1 davon wird … als je ein Gerät
    /// bewertet“ for the only device, and nothing said it is not counted here).
    #[test]
    fn duplicates_are_said_of_one_all_or_some_devices() {
        assert_eq!(
            duplicates_text(1, 1, 0, true),
            "1 Gerät dieses Exports steht auch in anderen Exporten dieses Prüflaufs (gleiche \
             Seriennummer, IMEI, UDID oder Geräte-ID derselben Verwaltung); es wird mit deren \
             Einträgen zu einem Gerät zusammengeführt und mit den Werten der jüngsten Meldung an \
             das MDM bewertet; abweichende Werte stehen als Belege beim Gerät; es wird beim \
             zuletzt eingelesenen Export gezählt, nicht hier"
        );
        assert_eq!(
            duplicates_text(1, 1, 0, false),
            "1 device of this export is also listed by other exports of this scan (same serial \
             number, IMEI, UDID or device id of the same MDM); it is merged with their entries \
             into one device and assessed with the values of the most recent check-in; values \
             that differ are evidence with the device; it counts with the export read last, not \
             here"
        );
        let some = duplicates_text(5, 2, 1, true);
        assert!(
            some.contains("; 4 davon werden mit deren Einträgen zu je einem Gerät zusammengeführt"),
            "{some}"
        );
        assert!(
            some.contains("; 2 davon werden beim zuletzt eingelesenen Export gezählt, nicht hier"),
            "{some}"
        );
        assert!(some.contains("; 1 davon wurde nicht zusammengeführt, weil die Speichergrenze für zurückgehaltene Geräte erreicht war: es zählt mehrfach"), "{some}");
        let all = duplicates_text(3, 3, 0, false);
        assert!(
            all.contains(
                "; they are merged with their entries, each into one device, and assessed"
            ),
            "{all}"
        );
        assert!(
            all.ends_with("; they count with the export read last, not here"),
            "{all}"
        );
        // Not merged at all: no clause says it was.
        let none = duplicates_text(1, 0, 1, true);
        assert!(!none.contains("zusammengeführt und"), "{none}");
        assert!(none.ends_with("; es wurde nicht zusammengeführt, weil die Speichergrenze für zurückgehaltene Geräte erreicht war: es zählt mehrfach"), "{none}");
    }
}
