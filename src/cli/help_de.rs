//! The command-line help in German (`--help`, `-h`, `msgaudit help …`).
//!
//! clap writes its help in English: the texts come from the doc comments
//! of the argument structs, and clap adds its own headings (`Usage:`,
//! `Options:`), the spec brackets (`[default: …]`, `[possible values: …]`)
//! and its `-h`/`-V` flags and `help` subcommand. [`german`] rewrites the
//! command for German: every text is looked up by its English
//! wording in `TEXTS` (one German text for one English text, wherever it
//! is used), the placeholders that are words become German ones (`<FILE>`
//! → `<DATEI>`), and the headings, brackets and the usage line are said in
//! German. Identifiers (flags, values such as `table`, file and format
//! names) stay as they are. A text missing from the table stays English;
//! `tests/help_de.rs` fails on it.
//!
//! Which language the help speaks (`lang`): `--lang de` or `--lang en` on
//! the command line, else the environment (`MSGAUDIT_LANG`, then the first
//! non-empty of `LC_ALL`, `LC_MESSAGES` and `LANG`). The environment
//! chooses only the help's language: reports and messages stay English
//! unless `--lang de` is given.

use std::ffi::{OsStr, OsString};

use clap::builder::{PossibleValue, Str, StyledStr, Styles};
use clap::error::ErrorKind;
use clap::{Arg, ArgMatches, Command};

use super::clap_de;
use crate::assess::Lang;

/// The German text of each English help text. The English side is the
/// text as clap holds it (a doc comment's first paragraph, without its
/// closing period).
const TEXTS: &[(&str, &str)] = &[
    // The program, the subcommands and what clap adds to each.
    (
        "Offline auditor of messenger apps (APK, IPA) and MDM device inventories against the \
         German DSK data-protection requirements",
        "Offline-Prüfwerkzeug für Messenger-Apps (APK, IPA) und Geräteinventare aus dem \
         Mobile-Device-Management (MDM) nach den Datenschutzanforderungen der DSK",
    ),
    ("Print help", "Hilfe anzeigen"),
    (
        "Print help (see more with '--help')",
        "Hilfe anzeigen (ausführlich mit „--help“)",
    ),
    (
        "Print help (see a summary with '-h')",
        "Hilfe anzeigen (Kurzfassung mit „-h“)",
    ),
    ("Print version", "Version anzeigen"),
    (
        "Print this message or the help of the given subcommand(s)",
        "Diese Hilfe oder die Hilfe der angegebenen Unterbefehle anzeigen",
    ),
    (
        "Print the facts extracted from apps or inventories as JSON (the input of every check)",
        "Die aus Apps oder Inventaren gewonnenen Fakten als JSON ausgeben (die Grundlage jeder \
         Prüfung)",
    ),
    (
        "Audit apps, inventories or facts files against a profile and write a report",
        "Apps, Inventare oder Fakten-Dokumente nach einem Profil prüfen und einen Bericht \
         schreiben",
    ),
    (
        "List the checks of a profile",
        "Die Prüfungen eines Profils auflisten",
    ),
    (
        "Explain one check (or every check of a requirement): what, why, how decided, how to fix",
        "Eine Prüfung (oder jede Prüfung einer Anforderung) erklären: was sie prüft, warum, wie \
         sie entscheidet und was abhilft",
    ),
    (
        "Compare candidate messengers side by side: requirements as rows, apps as columns",
        "Messenger-Kandidaten nebeneinander vergleichen: Anforderungen als Zeilen, Apps als \
         Spalten",
    ),
    (
        "Show what changed between two versions of an app; exit 1 on a regression",
        "Zeigen, was sich zwischen zwei Versionen einer App geändert hat; Rückgabewert 1 bei \
         einer Verschlechterung",
    ),
    (
        "List the SDK and tracker knowledge base (with --trackers: merged with a tracker file)",
        "Die SDK- und Tracker-Wissensbasis auflisten (mit --trackers: ergänzt um eine \
         Tracker-Datei)",
    ),
    (
        "Manage the OS support data (import endoflife.date files for `scan --os-data`)",
        "Die Daten zur OS-Unterstützung verwalten (Dateien von endoflife.date für `scan \
         --os-data` importieren)",
    ),
    (
        "Read endoflife.date product files (https://endoflife.date/api/ios.json, ipados.json, \
         android.json) into an OS support data file for `scan --os-data`",
        "Produktdateien von endoflife.date (https://endoflife.date/api/ios.json, ipados.json, \
         android.json) in eine Datei mit Daten zur OS-Unterstützung für `scan --os-data` \
         übernehmen",
    ),
    // The texts after the options (`--help` only).
    (
        "The facts are documented field by field in docs/facts.md (apps, Android), \
         docs/facts-ios.md (iOS) and docs/facts-inventory.md (devices). One FILE prints one JSON \
         document; several print a JSON array. Folders are searched as by `scan` (files that are \
         no input are skipped; -v lists them). A base APK and the split APKs of its app (same \
         package and versionCode), named or found in a folder, are read as one app, as by `scan`: \
         one document whose `android.apk_files` lists every file; a split APK without its base is \
         refused. Intune compliance exports given with Intune device \
         lists are joined to their devices (`policy_compliance`), and installed-app lists (Apple \
         MDM InstalledApplicationList, Workspace ONE DeviceApps) given with device lists are \
         joined to their devices (`installed_messengers`), as by `scan`; neither is printed \
         itself. Exit codes: 0 every file was read; 4 a file could not be read (the others are \
         still printed), or an app's entry that carries facts could not be read (its facts are \
         printed with the entry in `unread`). 5 the --trackers file is broken. Devices, pipes and \
         sockets are refused, as by `scan`.",
        "Die Fakten sind Feld für Feld in docs/facts.md (Apps, Android), docs/facts-ios.md (iOS) \
         und docs/facts-inventory.md (Geräte) beschrieben. Für eine DATEI wird ein JSON-Dokument \
         ausgegeben, für mehrere ein JSON-Array. Ordner werden wie bei `scan` durchsucht \
         (Dateien, die keine Eingabe sind, werden übersprungen; -v listet sie auf). Eine Basis-APK \
         und die Split-APKs ihrer App (gleiches Paket, gleicher versionCode) werden wie bei `scan` \
         als eine App gelesen, ob einzeln angegeben oder in einem Ordner gefunden: ein Dokument, \
         dessen `android.apk_files` jede ihrer Dateien aufführt; eine Split-APK ohne ihre \
         Basis-APK wird abgelehnt. Intune-Konformitätsexporte, die zusammen mit \
         Intune-Gerätelisten angegeben werden, werden wie bei `scan` mit ihren Geräten verknüpft \
         (`policy_compliance`), ebenso Listen installierter Apps (Apple MDM \
         InstalledApplicationList, Workspace ONE DeviceApps), die zusammen mit Gerätelisten \
         angegeben werden (`installed_messengers`); beide werden nicht selbst ausgegeben. \
         Rückgabewerte: 0 alle Dateien wurden gelesen; 4 eine Datei war nicht lesbar (die übrigen \
         werden trotzdem ausgegeben) oder ein Eintrag einer App mit prüfrelevanten Angaben war \
         nicht lesbar (ihre Fakten werden mit dem Eintrag unter `unread` ausgegeben); 5 die \
         --trackers-Datei ist fehlerhaft. Gerätedateien, Pipes und Sockets werden wie bei `scan` \
         abgelehnt.",
    ),
    (
        "Exit codes: 0 all compliant; 1 any not compliant (or below --min-score or \
         --min-coverage); 2 usage error (an unknown option, or a bad --format, --lang or --as-of \
         value); 3 any \
         incomplete, or nothing assessed (every export lists no device); 4 an input, or an entry of an app that carries facts (manifest, resources, \
         DEX, signatures, Info.plist, executable, profile, privacy manifests), could not be read, \
         or the inputs hold no app, inventory export or facts document (e.g. an empty folder); \
         5 a check, profile, answers or --trackers file is broken. When several apply, the \
         highest in this order wins: 5, 4, 1, 3.",
        "Rückgabewerte: 0 alle Prüfobjekte konform; 1 mindestens eines nicht konform (oder unter \
         --min-score oder --min-coverage); 2 Aufruffehler (unbekannte Option oder ungültiger Wert für --format, \
         --lang oder --as-of); 3 mindestens eines unvollständig oder nichts geprüft (kein Export \
         enthält ein Gerät); 4 eine Eingabe oder ein Eintrag einer \
         App mit prüfrelevanten Angaben (Manifest, Ressourcen, DEX, Signaturen, Info.plist, \
         ausführbare Datei, Bereitstellungsprofil, Datenschutz-Manifeste) war nicht lesbar, oder \
         unter den Eingaben ist weder eine App noch ein Inventarexport noch ein Fakten-Dokument \
         (z. B. ein leerer Ordner); 5 \
         eine Prüf-, Profil-, Antwort- oder --trackers-Datei ist fehlerhaft. Trifft mehreres zu, \
         gilt der in dieser Reihenfolge erste Wert: 5, 4, 1, 3.",
    ),
    (
        "Each cell is the worst outcome of the candidate's checks for that requirement, with the \
         reason. A candidate made of several builds (e.g. Android and iOS) gets the worst verdict \
         and the lowest score of its builds. Inputs may be apps or JSON reports saved with \
         `msgaudit scan --format json`.\n\nExit codes: 0 the matrix was written; 4 an input could \
         not be read, or is an installed-app list, which joins no device here (the matrix is \
         still written); 2 a device inventory among the inputs (compare is for apps; `msgaudit \
         scan` reads inventories); 5 a check, profile or answers file is broken.",
        "Jede Zelle zeigt das schlechteste Ergebnis der Prüfungen des Kandidaten zu dieser \
         Anforderung, mit Begründung. Ein Kandidat aus mehreren App-Dateien (z. B. für Android \
         und iOS) erhält das schlechteste Gesamturteil und den niedrigsten Erfüllungsgrad dieser \
         Dateien. Eingaben können Apps oder mit `msgaudit scan --format json` gespeicherte \
         JSON-Berichte sein.\n\nRückgabewerte: 0 die Matrix wurde geschrieben; 4 eine Eingabe \
         war nicht lesbar oder ist eine Liste installierter Apps, die sich hier keinem Gerät \
         zuordnen lässt (die Matrix wird trotzdem geschrieben); 2 unter den Eingaben ist ein \
         Geräteinventar (compare vergleicht Apps; Inventare liest `msgaudit scan`); 5 eine \
         Prüf-, Profil- oder Antwortdatei ist fehlerhaft.",
    ),
    (
        "Lists SDKs added or removed (with category and default collection), permissions, \
         entitlements, manifest and Info.plist switches, signing certificates (a changed signing \
         key is CRITICAL), check outcomes that got better or worse, and the verdict and score \
         change. OLD and NEW may be apps or JSON reports saved with `msgaudit scan --format json` \
         (one app each).\n\nExit codes: 0 no regression; 1 a regression (hold the update back); 4 \
         an input could not be read; 5 a check, profile or answers file is broken.",
        "Listet hinzugekommene und entfernte SDKs (mit Kategorie und Voreinstellung der \
         Erfassung), Berechtigungen, Entitlements, Schalter in Manifest und Info.plist, \
         Signaturzertifikate (ein geänderter Signaturschlüssel ist KRITISCH), besser oder \
         schlechter gewordene Prüfergebnisse sowie die Änderung von Gesamturteil und \
         Erfüllungsgrad auf. ALT und NEU können Apps oder mit `msgaudit scan --format json` \
         gespeicherte JSON-Berichte sein (je eine App).\n\nRückgabewerte: 0 keine \
         Verschlechterung; 1 eine Verschlechterung (das Update zurückhalten); 4 eine Eingabe war \
         nicht lesbar; 5 eine Prüf-, Profil- oder Antwortdatei ist fehlerhaft.",
    ),
    (
        "Lists every SDK signature of the knowledge base (checks/sdks.toml, documented in \
         docs/sdks.md), merged with --trackers. Exit codes: 0 listed; 4 the output could not be \
         written; 5 the --trackers file is broken.",
        "Listet jede SDK-Signatur der Wissensbasis auf (checks/sdks.toml, beschrieben in \
         docs/sdks.md), ergänzt um --trackers. Rückgabewerte: 0 aufgelistet; 4 die Ausgabe ließ \
         sich nicht schreiben; 5 die --trackers-Datei ist fehlerhaft.",
    ),
    // Headings.
    (
        super::limits::HEADING,
        "Ressourcengrenzen (Schutz vor präparierten Eingaben)",
    ),
    // Inputs.
    (
        "Apps (.apk, .apks, .xapk, .ipa), inventory exports, or folders; the kind is detected \
         from the content",
        "Apps (.apk, .apks, .xapk, .ipa), Inventarexporte oder Ordner; die Art wird am Inhalt \
         erkannt",
    ),
    (
        "Apps (.apk, .apks, .xapk, .ipa), inventory exports, facts JSON files, or folders \
         (searched recursively; files are picked by content, others skipped and counted; a file \
         named like an app or holding a zip that cannot be read is an error)",
        "Apps (.apk, .apks, .xapk, .ipa), Inventarexporte, Fakten-Dokumente (JSON) oder Ordner \
         (rekursiv durchsucht; Dateien werden nach ihrem Inhalt ausgewählt, andere übersprungen \
         und gezählt; eine nicht lesbare Datei, die wie eine App benannt oder ein Zip-Archiv ist, \
         ist ein Fehler)",
    ),
    (
        "Apps (.apk, .apks, .xapk, .ipa), folders, or saved JSON reports",
        "Apps (.apk, .apks, .xapk, .ipa), Ordner oder gespeicherte JSON-Berichte",
    ),
    (
        "The version in use (app or saved JSON report)",
        "Die eingesetzte Version (App oder gespeicherter JSON-Bericht)",
    ),
    (
        "The update (app or saved JSON report)",
        "Das Update (App oder gespeicherter JSON-Bericht)",
    ),
    (
        "A check id (e.g. `APP-05-crash-default-off`) or a requirement id (e.g. `APP-05`)",
        "Eine Prüfungskennung (z. B. `APP-05-crash-default-off`) oder eine Anforderungskennung \
         (z. B. `APP-05`)",
    ),
    (
        "Apps the answers template is for (with `--format answers`): each answer is bound to the \
         app's id, version and file SHA-256",
        "Apps, für die die Antwortvorlage gilt (mit `--format answers`): Jede Antwort wird an \
         Kennung, Version und SHA-256 der App-Datei gebunden",
    ),
    // How inputs are read and assessed.
    (
        "Include bulky detail (every DEX class name)",
        "Umfangreiche Einzelheiten aufnehmen (jeden DEX-Klassennamen)",
    ),
    (
        "Audit date (YYYY-MM-DD) that patch and check-in ages are computed for; default today",
        "Prüfdatum (JJJJ-MM-TT), für das das Alter von Sicherheitspatch-Stand und letztem \
         Kontakt mit dem MDM berechnet wird; Vorgabe: heute",
    ),
    (
        "Force the input format of inventories instead of detecting it (`csv=MAPPING.toml` for a \
         generic CSV with a column mapping)",
        "Das Eingabeformat von Inventaren vorgeben, statt es zu erkennen (`csv=MAPPING.toml` für \
         eine allgemeine CSV-Datei mit Spaltenzuordnung)",
    ),
    (
        "OS support data file replacing the built-in `checks/os-support.toml`",
        "Datei mit Daten zur OS-Unterstützung, die die mitgelieferte `checks/os-support.toml` \
         ersetzt",
    ),
    (
        "Key for pseudonymizing personal data in inventories (default: env \
         MSGAUDIT_PSEUDONYM_KEY)",
        "Schlüssel zum Pseudonymisieren personenbezogener Daten in Inventaren (Vorgabe: \
         Umgebungsvariable MSGAUDIT_PSEUDONYM_KEY)",
    ),
    (
        "Show personal identifiers from inventories in clear",
        "Personenbezogene Kennungen aus Inventaren im Klartext zeigen",
    ),
    (
        "Profile: a built-in id (`dsk-must`, `dsk-full`) or a profile file",
        "Profil: die Kennung eines mitgelieferten Profils (`dsk-must`, `dsk-full`) oder eine \
         Profildatei",
    ),
    (
        "A directory of extra check files (`*.toml`, recursively); a check whose id equals a \
         built-in one replaces it. These checks are always evaluated",
        "Ein Ordner mit zusätzlichen Prüfdateien (`*.toml`, rekursiv); eine Prüfung mit der \
         Kennung einer mitgelieferten Prüfung ersetzt diese. Diese Prüfungen werden immer \
         ausgewertet",
    ),
    (
        "Answers file (TOML) attesting manual checks",
        "Antwortdatei (TOML), die manuelle Prüfungen bestätigt",
    ),
    (
        "Add the trackers of FILE, a JSON file in the Exodus Privacy tracker API format \
         ({\"trackers\": {\"<id>\": {\"name\", \"code_signature\", \"network_signature\", \
         \"categories\", …}}}), to the built-in SDK knowledge base. Trackers whose Exodus id a \
         built-in entry covers are left to it",
        "Die Tracker aus DATEI, einer JSON-Datei im Format der Tracker-API von Exodus Privacy \
         ({\"trackers\": {\"<id>\": {\"name\", \"code_signature\", \"network_signature\", \
         \"categories\", …}}}), zur mitgelieferten SDK-Wissensbasis hinzufügen. Tracker, deren \
         Exodus-Kennung ein mitgelieferter Eintrag abdeckt, bleiben diesem überlassen",
    ),
    (
        "Group apps into one candidate: NAME=APP,APP (file name, path or app id); repeatable",
        "Apps zu einem Kandidaten zusammenfassen: NAME=APP,APP (Dateiname, Pfad oder \
         App-Kennung); mehrfach angebbar",
    ),
    (
        "Do not group Android and iOS builds that share the same app id",
        "Android- und iOS-Fassungen mit derselben App-Kennung nicht zusammenfassen",
    ),
    // Resource limits.
    (
        "Largest input file read at all, in MiB [default: 4096]",
        "Größte Eingabedatei, die überhaupt gelesen wird, in MiB [Vorgabe: 4096]",
    ),
    (
        "Largest inflated size of one archive entry, in MiB [default: 512]",
        "Höchstgröße eines Archiveintrags nach dem Entpacken, in MiB [Vorgabe: 512]",
    ),
    (
        "Largest inflated size summed over one archive, in MiB [default: 2048]",
        "Höchstgröße aller Einträge eines Archivs zusammen nach dem Entpacken, in MiB [Vorgabe: \
         2048]",
    ),
    (
        "Largest compression ratio of an entry over 1 MiB (zip-bomb guard) [default: 1000]",
        "Höchstes Kompressionsverhältnis eines Eintrags über 1 MiB (Schutz vor Zip-Bomben) \
         [Vorgabe: 1000]",
    ),
    (
        "Most entries an archive may list [default: 100000]",
        "Höchstzahl der Einträge, die ein Archiv aufführen darf [Vorgabe: 100000]",
    ),
    (
        "Deepest nesting of archives in archives (split sets need 1) [default: 2]",
        "Größte Verschachtelungstiefe von Archiven in Archiven (Split-APK-Sätze brauchen 1) \
         [Vorgabe: 2]",
    ),
    (
        "Most strings in one string pool or DEX string table [default: 4000000]",
        "Höchstzahl der Zeichenketten in einem String-Pool oder einer DEX-Stringtabelle \
         [Vorgabe: 4000000]",
    ),
    (
        "Deepest element nesting in XML, binary XML and plist documents [default: 256]",
        "Größte Verschachtelungstiefe von Elementen in XML-, Binär-XML- und Plist-Dokumenten \
         [Vorgabe: 256]",
    ),
    (
        "Most bytes one property list may decode to, counting a shared value each time it is \
         referenced (reference-amplification guard), in MiB [default: 64]. Twice this is what \
         the plists of all apps read at the same time may hold together, and of one app",
        "Höchstmenge, zu der eine Property-Liste dekodiert werden darf, wobei ein gemeinsam \
         genutzter Wert bei jedem Verweis auf ihn mitzählt (Schutz vor Verstärkung durch \
         Verweise), in MiB [Vorgabe: 64]. Das Doppelte davon dürfen die Property-Listen aller \
         gleichzeitig gelesenen Apps zusammen umfassen, ebenso die einer einzelnen App",
    ),
    (
        "Largest inventory record (JSON record, CSV row or header, XML record), in MiB [default: \
         8]",
        "Größter Datensatz eines Inventars (JSON-Datensatz, CSV-Zeile oder -Kopfzeile, \
         XML-Datensatz), in MiB [Vorgabe: 8]",
    ),
    (
        "Most decoded bytes of app entries held at once by the whole scan (all targets and \
         threads together), in MiB [default: 512]",
        "Höchstmenge dekodierter Daten aus App-Einträgen, die die gesamte Prüfung gleichzeitig \
         hält (alle Prüfobjekte und Threads zusammen), in MiB [Vorgabe: 512]",
    ),
    // Output.
    ("Report format", "Format des Berichts"),
    ("Output format", "Ausgabeformat"),
    (
        "Output format: table (plain text), json, html or md; csv and sarif are refused",
        "Ausgabeformat: table (reiner Text), json, html oder md; csv und sarif werden abgelehnt",
    ),
    (
        "Write the JSON to FILE instead of standard output",
        "Das JSON in DATEI statt auf die Standardausgabe schreiben",
    ),
    (
        "Write the report to FILE instead of standard output",
        "Den Bericht in DATEI statt auf die Standardausgabe schreiben",
    ),
    (
        "Write the list (or the `--test` output) to FILE instead of standard output",
        "Die Liste (oder die Ausgabe von `--test`) in DATEI statt auf die Standardausgabe \
         schreiben",
    ),
    (
        "Write the explanation to FILE instead of standard output",
        "Die Erklärung in DATEI statt auf die Standardausgabe schreiben",
    ),
    (
        "Write the list to FILE instead of standard output",
        "Die Liste in DATEI statt auf die Standardausgabe schreiben",
    ),
    (
        "Write the data to FILE instead of standard output",
        "Die Daten in DATEI statt auf die Standardausgabe schreiben",
    ),
    ("Language of the report", "Sprache des Berichts"),
    ("Language of the titles", "Sprache der Titel"),
    (
        "Language of headers and labels",
        "Sprache der Überschriften und Beschriftungen",
    ),
    ("Language", "Sprache"),
    (
        "Language of the messages on standard error (the facts are JSON)",
        "Sprache der Meldungen auf der Standardfehlerausgabe (die Fakten sind JSON)",
    ),
    (
        "Language of the messages on standard error (the data file is TOML)",
        "Sprache der Meldungen auf der Standardfehlerausgabe (die Datendatei ist TOML)",
    ),
    // `scan`.
    (
        "Which verdicts make the exit code non-zero",
        "Welche Gesamturteile zu einem Rückgabewert ungleich 0 führen",
    ),
    (
        "Exit 1 when any target's score (0–100) is below N (a target without a score counts as \
         below); the score counts only decided checks, see --min-coverage",
        "Rückgabewert 1, wenn der Erfüllungsgrad (0–100) eines Prüfobjekts unter N liegt (ein \
         Prüfobjekt ohne Erfüllungsgrad gilt als darunter); der Erfüllungsgrad zählt nur \
         entschiedene Prüfungen, siehe --min-coverage",
    ),
    (
        "Exit 1 when any target has fewer than PERCENT (0–100) of its applicable checks decided \
         (pass or fail; an unreadable target exits 4 instead)",
        "Rückgabewert 1, wenn bei einem Prüfobjekt weniger als PROZENT (0–100) der anwendbaren \
         Prüfungen entschieden sind (erfüllt oder nicht erfüllt; ein nicht lesbares Prüfobjekt \
         führt stattdessen zu Rückgabewert 4)",
    ),
    (
        "Also write the fleet's remediation list as CSV to FILE: one row per device and failed \
         check, worst devices first, with what to do",
        "Zusätzlich die Abhilfeliste der Flotte als CSV in DATEI schreiben: eine Zeile je Gerät \
         und nicht erfüllter Prüfung, die schlechtesten Geräte zuerst, jeweils mit der Abhilfe",
    ),
    (
        "Also write the fleet's device list as CSV to FILE: one row per device, worst first, \
         with platform, model, OS, patch level, last check-in, ownership and the failed \
         requirements",
        "Zusätzlich die Geräteliste der Flotte als CSV in DATEI schreiben: eine Zeile je Gerät, \
         die schlechtesten zuerst, mit Plattform, Modell, Betriebssystem, \
         Sicherheitspatch-Stand, letztem Kontakt mit dem MDM, Eigentümertyp und den nicht \
         erfüllten Anforderungen",
    ),
    (
        "List every file a folder scan skipped, with the reason (on standard error)",
        "Jede beim Durchsuchen eines Ordners übersprungene Datei mit Grund auflisten (auf der \
         Standardfehlerausgabe)",
    ),
    // `checks`.
    (
        "Run the `[[example]]`s of every check (built-in and `--checks`) instead of listing: exit \
         0 when all hold, 1 when one fails, 5 for a broken file",
        "Statt aufzulisten die `[[example]]`-Beispiele jeder Prüfung ausführen (mitgelieferte \
         und aus `--checks`): Rückgabewert 0, wenn alle zutreffen, 1, wenn eines fehlschlägt, 5 \
         bei einer fehlerhaften Datei",
    ),
    // `os-data import`.
    (
        "endoflife.date's iOS file (a JSON array of release cycles)",
        "Die iOS-Datei von endoflife.date (ein JSON-Array von Versionen)",
    ),
    (
        "endoflife.date's iPadOS file",
        "Die iPadOS-Datei von endoflife.date",
    ),
    (
        "endoflife.date's Android file",
        "Die Android-Datei von endoflife.date",
    ),
    (
        "Newest published Android security patch level (from the Android Security Bulletin; \
         endoflife.date does not carry it)",
        "Neuester veröffentlichter Android-Sicherheitspatch-Stand (aus dem \
         Android-Sicherheitsbulletin; endoflife.date führt ihn nicht)",
    ),
    (
        "The day the files were fetched (default today): the data's date, from which it turns \
         stale after 180 days",
        "Der Tag, an dem die Dateien abgerufen wurden (Vorgabe: heute): der Stand der Daten, ab \
         dem sie nach 180 Tagen als veraltet gelten",
    ),
    // The values of `--format`, `--lang` and `--fail-on`.
    ("Terminal table", "Tabelle im Terminal"),
    (
        "The complete JSON record",
        "Der vollständige Datensatz als JSON",
    ),
    ("Self-contained HTML", "Eigenständiges HTML-Dokument"),
    (
        "Self-contained HTML (the scan report's stylesheet)",
        "Eigenständiges HTML-Dokument (mit dem Stylesheet des Prüfberichts)",
    ),
    ("CSV, one row per result", "CSV, eine Zeile je Ergebnis"),
    ("JSON array", "JSON-Array"),
    ("Markdown table", "Markdown-Tabelle"),
    (
        "CSV, one row per check (German: `;`, BOM)",
        "CSV, eine Zeile je Prüfung (auf Deutsch mit `;` als Trennzeichen und BOM)",
    ),
    (
        "An answers-file template (TOML) with one `[[answer]]` per check that can need an \
         attestation, its question as a comment; per APP (bound to its id, version and SHA-256) \
         when apps are given",
        "Vorlage einer Antwortdatei (TOML) mit einem `[[answer]]` je Prüfung, die eine \
         Bestätigung brauchen kann, und deren Frage als Kommentar; je APP (gebunden an ihre \
         Kennung, Version und SHA-256), wenn Apps angegeben sind",
    ),
    (
        "JSON document (shape in docs/sdks.md)",
        "JSON-Dokument (Aufbau in docs/sdks.md)",
    ),
    (
        "Markdown: the summary and one table row per SDK",
        "Markdown: die Übersicht und eine Tabellenzeile je SDK",
    ),
    (
        "CSV, one row per SDK (German: `;`, BOM)",
        "CSV, eine Zeile je SDK (auf Deutsch mit `;` als Trennzeichen und BOM)",
    ),
    ("English", "Englisch"),
    (
        "Exit 1 only when a target is not compliant",
        "Rückgabewert 1 nur, wenn ein Prüfobjekt nicht konform ist",
    ),
    (
        "Exit 1 when not compliant, 3 when incomplete (the default)",
        "Rückgabewert 1 bei „nicht konform“, 3 bei „unvollständig“ (die Vorgabe)",
    ),
    (
        "Always exit 0 for verdicts (input and configuration errors still count)",
        "Für Gesamturteile immer Rückgabewert 0 (Eingabe- und Konfigurationsfehler zählen \
         weiterhin)",
    ),
];

/// Texts that read the same in both languages: names, not words.
pub const SAME_IN_GERMAN: &[&str] = &["Deutsch", "Markdown", "SARIF 2.1.0"];

/// The German placeholders of values that are words; a placeholder that
/// is the same in German (`<FORMAT>`, `<N>`, `<APP>`) or that the user
/// types as it stands is not listed.
const PLACEHOLDERS: &[(&str, &str)] = &[
    ("FILE", "DATEI"),
    ("DIR", "ORDNER"),
    ("PATH", "PFAD"),
    ("NAME|FILE", "NAME|DATEI"),
    ("KEY", "SCHLÜSSEL"),
    ("YYYY-MM-DD", "JJJJ-MM-TT"),
    ("OLD", "ALT"),
    ("NEW", "NEU"),
    ("LANG", "SPRACHE"),
    ("FAIL_ON", "SCHWELLE"),
    ("PERCENT", "PROZENT"),
];

/// Added to the long help of every `--lang`: the environment does not
/// choose the language of reports and messages.
const LANG_NOTE: &str = "Ohne --lang gilt Englisch, auch wenn die Umgebung Deutsch vorgibt: \
                         MSGAUDIT_LANG, LC_ALL, LC_MESSAGES und LANG bestimmen nur die Sprache \
                         dieser Hilfe.";

/// The heading of the positional arguments (clap: `Arguments:`).
const ARGUMENTS: &str = "Argumente";
/// The heading of the options (clap: `Options:`).
const OPTIONS: &str = "Optionen";
/// The heading of the subcommands (clap: `Commands:`).
const COMMANDS: &str = "Befehle";

/// The German text of `en`; `None` when the table has none.
fn text(en: &str) -> Option<&'static str> {
    TEXTS.iter().find(|(e, _)| *e == en).map(|(_, de)| *de)
}

/// `en` in German, or as it is when the table has no German for it.
fn say(en: &str) -> String {
    text(en).map_or_else(|| en.to_string(), str::to_string)
}

/// The language of the help for the command line `args`: `--lang` when it
/// is given (`de` or `en`), else the environment.
pub(crate) fn lang(args: &[OsString]) -> Lang {
    clap_de::lang_arg(args).unwrap_or_else(|| env_lang(|name| std::env::var_os(name)))
}

/// The help's language from the environment `var`: `MSGAUDIT_LANG` (`de`
/// or `en`), else the first non-empty of `LC_ALL`, `LC_MESSAGES` and `LANG`
/// (German when it starts with `de`, as `de_DE.UTF-8`).
fn env_lang(var: impl Fn(&str) -> Option<OsString>) -> Lang {
    let value = |name: &str| {
        var(name)
            .map(|v| v.to_string_lossy().trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
    };
    match value("MSGAUDIT_LANG").as_deref() {
        Some("de") => return Lang::De,
        Some("en") => return Lang::En,
        _ => {}
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| value(name));
    match locale {
        Some(l) if l.starts_with("de") => Lang::De,
        _ => Lang::En,
    }
}

/// Parses `args` with `command` (the English one): refusals in the
/// language of `--lang` (German ones name the German placeholders and
/// usage), help in the language of `lang`. `--lang` given to a command
/// that has none (`msgaudit --lang de --help`, `msgaudit help scan --lang
/// de`) still chooses the language of the help asked for; without a request
/// for help it is refused as before.
pub(crate) fn matches(command: Command, args: &[OsString]) -> Result<ArgMatches, clap::Error> {
    let refusals = clap_de::lang_of(args);
    let help = lang(args);
    let in_lang = |l: Lang| match l {
        Lang::De => german(command.clone()),
        Lang::En => command.clone(),
    };
    match in_lang(refusals).try_get_matches_from(args) {
        Err(e) if shows_help(&e) && help != refusals => in_lang(help).try_get_matches_from(args),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand
            ) && clap_de::lang_arg(args).is_some() =>
        {
            match in_lang(help).try_get_matches_from(without_lang(args)) {
                Err(h) if h.kind() == ErrorKind::DisplayHelp => Err(h),
                _ => Err(e),
            }
        }
        result => result,
    }
}

/// Whether `e` is help output rather than a refusal.
fn shows_help(e: &clap::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    )
}

/// `args` without `--lang de`, `--lang en`, `--lang=de` and `--lang=en`
/// (before `--`).
fn without_lang(args: &[OsString]) -> Vec<OsString> {
    let mut out = Vec::with_capacity(args.len());
    let mut iter = args.iter().peekable();
    let mut values = false;
    if let Some(program) = iter.next() {
        out.push(program.clone());
    }
    while let Some(arg) = iter.next() {
        let is_lang = |v: &OsStr| v == "de" || v == "en";
        if !values {
            if arg == "--" {
                values = true;
            } else if arg == "--lang" && iter.peek().is_some_and(|v| is_lang(v)) {
                iter.next();
                continue;
            } else if arg == "--lang=de" || arg == "--lang=en" {
                continue;
            }
        }
        out.push(arg.clone());
    }
    out
}

/// `command` (built or not) with its help in German: every subcommand,
/// argument, heading, placeholder and the usage line. Parsing is
/// unchanged: the arguments keep their ids, names and value parsers.
pub fn german(command: Command) -> Command {
    let mut command = rewrite(command);
    command.build();
    finish(command)
}

/// The German texts the doc comments give: abouts, argument helps,
/// placeholders, headings and the help template; before clap builds the
/// command (and adds its own flags and `help` subcommand).
fn rewrite(mut command: Command) -> Command {
    let styles = command.get_styles().clone();
    if let Some(t) = command.get_about().map(|s| say(&s.to_string())) {
        command = command.about(t);
    }
    if let Some(t) = command.get_long_about().map(|s| say(&s.to_string())) {
        command = command.long_about(t);
    }
    if let Some(t) = command.get_after_help().map(|s| say(&s.to_string())) {
        command = command.after_help(t);
    }
    if let Some(t) = command.get_after_long_help().map(|s| say(&s.to_string())) {
        command = command.after_long_help(t);
    }
    // clap lists the headings in the order of their first arguments, and
    // the English help puts the positional arguments first: they are moved
    // before the options (`mut_arg` puts an argument last).
    let (positional, options): (Vec<&Arg>, Vec<&Arg>) =
        command.get_arguments().partition(|a| a.is_positional());
    let ids: Vec<String> = positional
        .iter()
        .chain(&options)
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        command = command.mut_arg(id, |a| argument(a, &styles));
    }
    command
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name("BEFEHL")
        .help_template(template(&styles))
        .mut_subcommands(rewrite)
}

/// One argument in German: its help (with the default and the possible
/// values said in German), its placeholder and its heading.
fn argument(mut arg: Arg, styles: &Styles) -> Arg {
    let heading = match arg.get_help_heading() {
        Some(h) => text(h),
        None if arg.is_positional() => Some(ARGUMENTS),
        None => Some(OPTIONS),
    };
    if let Some(h) = heading {
        arg = arg.help_heading(h);
    }
    let names: Option<Vec<Str>> = arg.get_value_names().map(|names| {
        names
            .iter()
            .map(|n| placeholder(n.as_str()).map_or_else(|| n.clone(), Str::from))
            .collect()
    });
    if let Some(names) = names {
        arg = arg.value_names(names);
    }
    let help = arg.get_help().map(|h| say(&h.to_string()));
    let long = arg.get_long_help().map(|h| say(&h.to_string()));
    let takes_value = arg.get_action().takes_values();
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let values: Vec<PossibleValue> = arg
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    let default = (takes_value && !defaults.is_empty())
        .then(|| bracket(styles, "Vorgabe", &[defaults.join(" ")]));
    let choices = (takes_value && !values.is_empty()).then(|| {
        let names: Vec<String> = values.iter().map(|v| v.get_name().to_string()).collect();
        bracket(styles, "mögliche Werte", &names)
    });
    let lang_note = (arg.get_id() == "lang").then_some(LANG_NOTE);
    if default.is_none() && choices.is_none() && lang_note.is_none() {
        if let Some(h) = help {
            arg = arg.help(h);
        }
        if let Some(h) = long {
            arg = arg.long_help(h);
        }
        return arg;
    }
    // clap's brackets are English: they are hidden, and said here.
    let short: Vec<&str> = [help.as_deref(), default.as_deref(), choices.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut paragraphs: Vec<String> = long.or(help.clone()).into_iter().collect();
    paragraphs.extend(lang_note.map(str::to_string));
    let listed = values.iter().any(|v| v.get_help().is_some());
    if listed {
        paragraphs.push(value_list(styles, &values));
    }
    let specs: Vec<&str> = [default.as_deref(), choices.as_deref().filter(|_| !listed)]
        .into_iter()
        .flatten()
        .collect();
    if !specs.is_empty() {
        paragraphs.push(specs.join("\n"));
    }
    arg.hide_default_value(true)
        .hide_possible_values(takes_value && !values.is_empty())
        .help(short.join(" "))
        .long_help(paragraphs.join("\n\n"))
}

/// The German placeholder for `name`; `None` when it stays as it is.
fn placeholder(name: &str) -> Option<&'static str> {
    PLACEHOLDERS
        .iter()
        .find(|(en, _)| *en == name)
        .map(|(_, de)| *de)
}

/// `[label: a, b]` styled as clap styles its brackets.
fn bracket(styles: &Styles, label: &str, values: &[String]) -> String {
    let (ctx, value) = (styles.get_context(), styles.get_context_value());
    let values: Vec<String> = values
        .iter()
        .map(|v| format!("{value}{v}{value:#}"))
        .collect();
    format!(
        "{ctx}[{label}: {ctx:#}{}{ctx}]{ctx:#}",
        values.join(&format!("{ctx}, {ctx:#}"))
    )
}

/// The possible values with their German help, one a line, as clap lists
/// them in the long help.
fn value_list(styles: &Styles, values: &[PossibleValue]) -> String {
    let literal = styles.get_literal();
    let width = values.iter().map(|v| v.get_name().chars().count()).max();
    let mut list = String::from("Mögliche Werte:");
    for v in values {
        let name = v.get_name();
        list.push_str(&format!("\n- {literal}{name}{literal:#}"));
        if let Some(help) = v.get_help() {
            let pad = width.unwrap_or(0) - name.chars().count();
            list.push_str(&format!(": {:pad$}{}", "", say(&help.to_string())));
        }
    }
    list
}

/// clap's default help template with a German usage heading.
fn template(styles: &Styles) -> StyledStr {
    let usage = styles.get_usage();
    StyledStr::from(format!(
        "{{before-help}}{{about-with-newline}}\n{usage}Aufruf:{usage:#} \
         {{usage}}\n\n{{all-args}}{{after-help}}"
    ))
}

/// What clap adds when it builds a command, in German: the texts of `-h`
/// and `-V` and of the `help` subcommand, and the usage line (`[OPTIONS]`
/// → `[OPTIONEN]`).
fn finish(command: Command) -> Command {
    let mut command = command
        .subcommand_help_heading(COMMANDS)
        .subcommand_value_name("BEFEHL");
    let usage = command.render_usage().ansi().to_string();
    // "Usage:" and its style are followed by a space; the line follows.
    let line = usage
        .split_once("Usage:")
        .and_then(|(_, rest)| rest.split_once(' '))
        .map_or(usage.as_str(), |(_, line)| line)
        .replace("[OPTIONS]", "[OPTIONEN]");
    let styles = command.get_styles().clone();
    if let Some(t) = command.get_about().map(|s| say(&s.to_string())) {
        command = command.about(t);
    }
    command
        .override_usage(StyledStr::from(line))
        .help_template(template(&styles))
        .mut_args(|mut a| {
            // Only clap's own `-h` and `-V` are still English here.
            if let Some(h) = a.get_help().and_then(|h| text(&h.to_string())) {
                a = a.help(h);
            }
            if let Some(h) = a.get_long_help().and_then(|h| text(&h.to_string())) {
                a = a.long_help(h);
            }
            match a.get_help_heading() {
                None => a.help_heading(OPTIONS),
                Some(_) => a,
            }
        })
        .mut_subcommands(finish)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn os(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn the_environment_chooses_the_language_of_the_help() {
        assert_eq!(env_lang(env(&[])), Lang::En);
        assert_eq!(env_lang(env(&[("LANG", "de_DE.UTF-8")])), Lang::De);
        assert_eq!(env_lang(env(&[("LANG", "C.UTF-8")])), Lang::En);
        assert_eq!(env_lang(env(&[("MSGAUDIT_LANG", "de")])), Lang::De);
        assert_eq!(
            env_lang(env(&[("MSGAUDIT_LANG", "en"), ("LANG", "de_DE.UTF-8")])),
            Lang::En
        );
        // LC_ALL before LC_MESSAGES before LANG; an empty one is skipped.
        assert_eq!(
            env_lang(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "de_DE.UTF-8")])),
            Lang::En
        );
        assert_eq!(
            env_lang(env(&[
                ("LC_ALL", ""),
                ("LC_MESSAGES", "de_AT"),
                ("LANG", "C")
            ])),
            Lang::De
        );
    }

    #[test]
    fn lang_is_taken_out_only_before_the_double_dash() {
        let args = os(&[
            "msgaudit",
            "--lang",
            "de",
            "help",
            "--lang=en",
            "--",
            "--lang",
            "de",
        ]);
        assert_eq!(
            without_lang(&args),
            os(&["msgaudit", "help", "--", "--lang", "de"])
        );
    }

    #[test]
    fn every_german_text_is_used() {
        let mut english = crate::cli::Cli::command();
        english.build();
        let mut used = std::collections::HashSet::new();
        collect(&english, &mut used);
        let unused: Vec<&str> = TEXTS
            .iter()
            .map(|(en, _)| *en)
            .filter(|en| !used.contains(*en))
            .collect();
        assert!(unused.is_empty(), "texts no English help has: {unused:#?}");
    }

    fn collect(c: &Command, used: &mut std::collections::HashSet<String>) {
        let texts = [
            c.get_about(),
            c.get_long_about(),
            c.get_after_help(),
            c.get_after_long_help(),
        ];
        used.extend(texts.into_iter().flatten().map(|s| s.to_string()));
        for a in c.get_arguments() {
            used.extend(
                [a.get_help(), a.get_long_help()]
                    .into_iter()
                    .flatten()
                    .map(|s| s.to_string()),
            );
            used.extend(a.get_help_heading().map(str::to_string));
            for v in a.get_possible_values() {
                used.extend(v.get_help().map(|s| s.to_string()));
            }
        }
        for s in c.get_subcommands() {
            collect(s, used);
        }
    }
}
