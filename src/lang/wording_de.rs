//! The German wording of English texts the library writes into its errors
//! and skip reasons: I/O causes, TOML parser messages, problems of check,
//! profile and answers files, why a folder scan passed a file over.
//!
//! The library keeps its English `Display` (for Rust callers); messages and
//! reports say the same in German when the run's language is German (a
//! target that could not be read keeps both texts, `error` and `error_de`). A text this module
//! does not know is quoted as the library wrote it („…“), as the glossary
//! allows for third-party wording: nothing is dropped.

use std::sync::OnceLock;

use regex::{Captures, Regex};

/// The German wording of an I/O error ([`super::io_german`]).
pub(crate) use super::io_german as io;

/// The system's English error texts (as `std::io::Error` formats them on
/// Linux and macOS) and their German wording.
const STRERROR: &[(&str, &str)] = &[
    (
        "No such file or directory",
        "Datei oder Ordner nicht gefunden",
    ),
    ("Permission denied", "keine Berechtigung"),
    ("Is a directory", "ist ein Ordner"),
    ("Not a directory", "ein Teil des Pfads ist kein Ordner"),
    ("File exists", "existiert bereits"),
    ("No space left on device", "kein Speicherplatz mehr frei"),
    (
        "Read-only file system",
        "das Dateisystem ist schreibgeschützt",
    ),
    ("File name too long", "Dateiname zu lang"),
    (
        "Too many levels of symbolic links",
        "zu viele verkettete symbolische Links",
    ),
    ("Input/output error", "Ein-/Ausgabefehler"),
    (
        "stream did not contain valid UTF-8",
        "der Inhalt ist kein gültiger UTF-8-Text",
    ),
];

/// `text` with the system's English error texts in German and `(os error N)`
/// as `(Systemfehler N)`.
fn strerror(text: &str) -> String {
    let mut out = text.to_string();
    for (en, de) in STRERROR {
        out = out.replace(en, de);
    }
    out.replace("(os error ", "(Systemfehler ")
}

/// How a known English wording is said in German, from its captures.
pub(super) type Render = fn(&Captures) -> String;

/// Known wordings (each matching a whole text) and their German.
pub(super) type Rules = Vec<(Regex, Render)>;

/// One rule: `en` (a regular expression for a whole text) and its German.
pub(super) fn rule(en: &str, de: Render) -> (Regex, Render) {
    (
        Regex::new(&format!("^(?s:{en})$")).expect("the built-in patterns compile"),
        de,
    )
}

/// The German of `text` by the first rule that matches it.
pub(super) fn apply(rules: &Rules, text: &str) -> Option<String> {
    rules
        .iter()
        .find_map(|(en, de)| en.captures(text).map(|c| de(&c)))
}

/// The text of capture `i`, empty when it did not take part.
pub(super) fn cap<'a>(c: &'a Captures, i: usize) -> &'a str {
    c.get(i).map_or("", |m| m.as_str())
}

/// The known wordings, tried in order; each matches a whole text.
fn patterns() -> &'static Rules {
    static PATTERNS: OnceLock<Rules> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let p = rule;
        vec![
            // An app's entries that carry facts and could not be read
            // (`checks::evaluate::unread_summary`): each reason in German
            // where its words are known.
            p(r"an entry that carries facts could not be read: (.*)", |c| {
                format!("Ein Eintrag mit prüfrelevanten Angaben konnte nicht gelesen werden: {}", unread_items(cap(c, 1)))
            }),
            p(r"(\d+) entries that carry facts could not be read: (.*)", |c| {
                format!("{} Einträge mit prüfrelevanten Angaben konnten nicht gelesen werden: {}", cap(c, 1), unread_items(cap(c, 2)))
            }),
            // Android apps the platform refuses to install.
            p(r#"the manifest declares code \(android:hasCode(?: is absent, so true|="true")\), but the APK holds no classes\.dex: Android refuses to install it \("code is missing"\)"#, |c| {
                let has_code = if c.get(0).is_some_and(|m| m.as_str().contains("is absent")) {
                    "android:hasCode ist nicht gesetzt, gilt also als true"
                } else {
                    "android:hasCode=\"true\""
                };
                format!("Das Manifest gibt Code an ({has_code}), die APK enthält aber keine classes.dex: Android verweigert die Installation („code is missing“)")
            }),
            // iOS apps the platform refuses to install.
            p(r#"Info\.plist names the main executable "(.*)" \(CFBundleExecutable\), but the bundle does not hold it: iOS refuses to install the app"#, |c| {
                format!("Die Info.plist nennt die ausführbare Hauptdatei „{}“ (CFBundleExecutable), das Bundle enthält sie aber nicht: iOS verweigert die Installation", cap(c, 1))
            }),
            p(r#"Info\.plist names no main executable \(CFBundleExecutable is missing or empty\): iOS refuses to install the app \("missing or invalid CFBundleExecutable"\)"#, |_| {
                "Die Info.plist nennt keine ausführbare Hauptdatei (CFBundleExecutable fehlt oder ist leer): iOS verweigert die Installation („missing or invalid CFBundleExecutable“)".into()
            }),
            p(r#"the app bundle holds no Info\.plist: iOS refuses to install the app \("Failed to load Info\.plist from bundle"\)"#, |_| {
                "Das App-Bundle enthält keine Info.plist: iOS verweigert die Installation („Failed to load Info.plist from bundle“)".into()
            }),
            p(r#"split APK "(.*)" of the app (.*): Android installs a split only together with its base APK; give the base APK too, or scan the whole split set \(\.apks\)"#, |c| {
                format!("Split-APK „{}“ der App {} – Android installiert sie nur zusammen mit ihrer Basis-APK; bitte die Basis-APK mit angeben oder das ganze Split-Set (.apks) prüfen", cap(c, 1), cap(c, 2))
            }),
            p(r#"split APK "(.*)" of the app (.*): the scan holds (\d+) base APKs of this app \((.*)\), and which one it belongs to is not clear; Android installs a split only together with its own base APK: scan each split set on its own \(in a folder of its own, or as \.apks\)"#, |c| {
                format!("Split-APK „{}“ der App {}: Die Prüfung enthält {} Basis-APKs dieser App ({}), und zu welcher sie gehört, ist unklar; Android installiert eine Split-APK nur zusammen mit ihrer eigenen Basis-APK: bitte jedes Split-Set für sich prüfen (in einem eigenen Ordner oder als .apks)", cap(c, 1), cap(c, 2), cap(c, 3), cap(c, 4))
            }),
            p(r"(.*): an APK file of the split set cannot be read: (.*)", |c| {
                format!("{}: Eine APK-Datei des Split-Sets ist nicht lesbar: {}", cap(c, 1), strerror(cap(c, 2)))
            }),
            p(r"split set without a base APK \(no APK inside has a manifest without a split name\)", |_| {
                "Split-Set ohne Basis-APK (keine enthaltene APK hat ein Manifest ohne Split-Namen)".into()
            }),
            // `msgaudit os-data import` (endoflife.date product files).
            p(r"not an endoflife\.date product file \(a JSON array of release cycles\): (.*) at line (\d+) column (\d+)", |c| {
                format!(
                    "Keine Produktdatei von endoflife.date (ein JSON-Array von Versionen): {} in Zeile {}, Spalte {}",
                    import_detail(cap(c, 1)), cap(c, 2), cap(c, 3)
                )
            }),
            p(r"unreadable JSON: (.*) at line (\d+) column (\d+)", |c| {
                format!("Kein lesbares JSON: {} in Zeile {}, Spalte {}", toml(cap(c, 1)), cap(c, 2), cap(c, 3))
            }),
            p(r"no release cycles \(an empty array\)", |_| {
                "Keine Versionen (ein leeres Array)".into()
            }),
            p(r"(\d+) bytes, more than the limit of (\d+) for an endoflife\.date file", |c| {
                format!("{} Byte, mehr als die Grenze von {} Byte für eine Datei von endoflife.date", cap(c, 1), cap(c, 2))
            }),
            p(r"--android-patch-level needs --android \(the Android section it belongs to\)", |_| {
                "--android-patch-level braucht --android (den Android-Teil, zu dem die Angabe gehört)".into()
            }),
            p(r"--android-patch-level (\S+) is after the as-of date (\S+): a patch level cannot be published later than the data was fetched", |c| {
                format!(
                    "--android-patch-level {} liegt nach dem Stichtag {}: Ein Patch-Stand kann nicht nach dem Abruf der Daten veröffentlicht worden sein",
                    cap(c, 1), cap(c, 2)
                )
            }),
            p(r"(.*): cycle (\S+) has a release on (\S+), after the as-of date (\S+): give the day the files were fetched with --as-of", |c| {
                format!(
                    "{}: Version {} erschien laut Datei am {}, also nach dem Stichtag {}: bitte mit --as-of den Tag angeben, an dem die Dateien abgerufen wurden",
                    cap(c, 1), cap(c, 2), cap(c, 3), cap(c, 4)
                )
            }),
            // Reading inputs, and why a folder scan skipped a file.
            p(r"cannot read the file: (.*)", |c| {
                format!("Die Datei ist nicht lesbar: {}", strerror(cap(c, 1)))
            }),
            p(r"cannot search the folder \(it may hold apps\): (.*)", |c| {
                format!(
                    "Der Ordner lässt sich nicht durchsuchen (er könnte Apps enthalten): {}",
                    strerror(cap(c, 1))
                )
            }),
            p(r"not an app, inventory export or facts document \(by its content\)", |_| {
                "Dem Inhalt nach weder App noch Inventarexport noch Fakten-Dokument".into()
            }),
            p(r"a symbolic link to a folder \(not followed\)", |_| {
                "Symbolischer Link auf einen Ordner (wird nicht verfolgt)".into()
            }),
            p(r"not a regular file \(devices, pipes and sockets are not read: they could block or never end\)", |_| {
                "Keine gewöhnliche Datei (Geräte, Pipes und Sockets werden nicht gelesen: Sie könnten blockieren oder nie enden)".into()
            }),
            p(r"named like an app \(\.apk, \.apks, \.xapk, \.ipa\) but not a zip archive", |_| {
                "Trägt die Endung einer App (.apk, .apks, .xapk, .ipa), ist aber kein Zip-Archiv".into()
            }),
            p(r"a zip archive, but neither an Android app \(no AndroidManifest\.xml, no APKs inside\) nor an iOS app \(no Payload/\*\.app/, no \*\.app/Info\.plist\)", |_| {
                "Ein Zip-Archiv, aber weder eine Android-App (keine AndroidManifest.xml, keine APKs darin) noch eine iOS-App (kein Payload/*.app/, keine *.app/Info.plist)".into()
            }),
            p(r"not a recognised app or MDM inventory export \(tried: (.*)\)", |c| {
                format!("Weder eine bekannte App noch ein bekannter MDM-Inventarexport (geprüft: {})", cap(c, 1))
            }),
            p(r"the file is (\d+) bytes, more than the limit of (\d+) bytes", |c| {
                format!("Die Datei ist {} Byte groß, mehr als die Grenze von {} Byte", cap(c, 1), cap(c, 2))
            }),
            p(r"none of the (\d+) records is an Intune managedDevice \(a policy or report export\?\)", |c| {
                format!("Keiner der {} Datensätze ist ein Intune-managedDevice (ein Richtlinien- oder Berichtsexport?)", cap(c, 1))
            }),
            p(r"the only record is not an Intune managedDevice \(a policy or report export\?\)", |_| {
                "Der einzige Datensatz ist kein Intune-managedDevice (ein Richtlinien- oder Berichtsexport?)".to_string()
            }),
            // Why an inventory export could not be read (`InventoryError`),
            // and why its devices could not be kept or stored.
            p(r"the inventory file is empty", |_| "Die Inventardatei ist leer".into()),
            p(r"unreadable JSON inventory: (JSON syntax error|nested deeper than 128 levels|number out of range|the JSON ends early \(truncated\)|unexpected JSON value type|read error) at line (\d+) column (\d+)(?:, byte (\d+) of the export)?", |c| {
                let what = match cap(c, 1) {
                    "JSON syntax error" => "JSON-Syntaxfehler",
                    "nested deeper than 128 levels" => "tiefer als 128 Ebenen verschachtelt",
                    "number out of range" => "Zahl außerhalb des darstellbaren Bereichs",
                    "unexpected JSON value type" => "unerwarteter JSON-Werttyp",
                    "read error" => "Lesefehler",
                    _ => "das JSON endet zu früh (abgeschnitten)",
                };
                let at = c
                    .get(4)
                    .map(|b| format!(", Byte {} des Exports", b.as_str()))
                    .unwrap_or_default();
                format!("Nicht lesbares JSON-Inventar: {what} in Zeile {}, Spalte {}{at}", cap(c, 2), cap(c, 3))
            }),
            p(r"unreadable XML inventory: (.*) near byte (\d+)", |c| {
                format!("Nicht lesbares XML-Inventar: {} bei Byte {}", quoted(cap(c, 1)), cap(c, 2))
            }),
            p(r"unreadable CSV inventory: the file ends inside the header row \(a quoted column name is not closed\): the export is cut short", |_| {
                "Nicht lesbares CSV-Inventar: Die Datei endet innerhalb der Kopfzeile (ein Spaltenname in Anführungszeichen ist nicht geschlossen); der Export ist abgeschnitten".into()
            }),
            p(r"unreadable CSV inventory: the header row is longer than the limit of (\d+) bytes \(--max-record-size\); refused before it was buffered", |c| {
                format!("Nicht lesbares CSV-Inventar: Die Kopfzeile ist länger als die Grenze von {} Bytes (--max-record-size); sie wurde abgewiesen, bevor sie zwischengespeichert wurde", cap(c, 1))
            }),
            p(r"unreadable CSV inventory: cannot read the header row: (.*)", |c| {
                let why = match cap(c, 1) {
                    "read error" => "Lesefehler".to_string(),
                    "text is not valid UTF-8" => "Text ist kein gültiges UTF-8".to_string(),
                    "wrong number of fields" => "falsche Anzahl Felder".to_string(),
                    "malformed CSV" => "fehlerhaftes CSV".to_string(),
                    other => quoted(&strerror(other)),
                };
                format!("Nicht lesbares CSV-Inventar: Die Kopfzeile ist nicht lesbar: {why}")
            }),
            p(r"unreadable CSV inventory: a header is longer than (\d+) bytes", |c| {
                format!("Nicht lesbares CSV-Inventar: Ein Spaltenname ist länger als {} Bytes", cap(c, 1))
            }),
            p(r"unreadable CSV inventory: no known column in the header row", |_| {
                "Nicht lesbares CSV-Inventar: Die Kopfzeile nennt keine bekannte Spalte".into()
            }),
            p(r"unreadable (JSON|XML|CSV) inventory: (.*)", |c| {
                format!("Nicht lesbares {}-Inventar: {}", cap(c, 1), quoted(&strerror(cap(c, 2))))
            }),
            p(r"unreadable property list: (.*)", |c| {
                let what = cap(c, 1);
                let de = plist::german(what)
                    .unwrap_or_else(|| quoted(what));
                format!("Nicht lesbare Property-Liste: {de}")
            }),
            p(r"a record from byte (\d+) is larger than the limit of (\d+) bytes \(--max-record-size\); refused before it was buffered", |c| {
                format!("Ein Datensatz ab Byte {} ist größer als die Grenze von {} Byte (--max-record-size); abgelehnt, bevor er gepuffert wurde", cap(c, 1), cap(c, 2))
            }),
            p(r"the XML declares a DOCTYPE internal subset or entities; refused \(entity expansion is never performed\)", |_| {
                "Das XML deklariert eine interne DOCTYPE-Teilmenge oder Entitäten; abgelehnt (Entitäten werden nie expandiert)".into()
            }),
            p(r"the document nests deeper than the limit of (\d+) levels", |c| {
                format!("Das Dokument ist tiefer verschachtelt als erlaubt (Grenze: {} Ebenen)", cap(c, 1))
            }),
            p(r"the property list is larger than (\d+) bytes; an Apple MDM response file is a few KiB \(refused\)", |c| {
                format!("Die Property-Liste ist größer als {} Byte; eine Antwortdatei von Apple MDM umfasst wenige KiB (abgelehnt)", cap(c, 1))
            }),
            p(r"a property list, but no Apple MDM DeviceInformation or SecurityInfo response in it", |_| {
                "Eine Property-Liste, aber ohne Apple-MDM-Antwort DeviceInformation oder SecurityInfo".into()
            }),
            p(r"cannot read the inventory: (.*)", |c| {
                format!("Das Inventar ist nicht lesbar: {}", strerror(cap(c, 1)))
            }),
            p(r#"unknown inventory format "(.*)"; known: (.*)"#, |c| {
                format!(
                    "Unbekanntes Inventarformat „{}“; bekannt sind: {}",
                    cap(c, 1),
                    cap(c, 2).replace(" (or ", " (oder ")
                )
            }),
            // A CSV column mapping that could not be read (its TOML and format
            // errors have a German text of their own).
            p(r"CSV column mapping (.*?): larger than (\d+) bytes", |c| {
                format!("CSV-Spaltenzuordnung {}: größer als {} Byte", cap(c, 1), cap(c, 2))
            }),
            p(r"CSV column mapping (.*?): (.*)", |c| {
                format!("CSV-Spaltenzuordnung {}: {}", cap(c, 1), strerror(cap(c, 2)))
            }),
            p(r"the devices read could not be kept for their assessment: (.*)", |c| {
                format!("Die gelesenen Geräte konnten für ihre Bewertung nicht zwischengespeichert werden: {}", strerror(cap(c, 1)))
            }),
            p(r"the device results could not be stored: (.*)", |c| {
                format!("Die Ergebnisse der Geräte konnten nicht gespeichert werden: {}", strerror(cap(c, 1)))
            }),
            p(r"an XML document with root <(.*)>, not a Jamf mobile device export", |c| {
                format!("Ein XML-Dokument mit dem Wurzelelement <{}>, kein Jamf-Export mobiler Geräte", cap(c, 1))
            }),
            p(r"--group '(.*)': expected NAME=APP,APP", |c| {
                format!("--group „{}“: erwartet wird NAME=APP,APP", cap(c, 1))
            }),
            // The OS support data (`--os-data`).
            p(r"OS support data (.*?): TOML parse error at line (\d+), column (\d+)\n(.*)\n([^\n]*)", |c| {
                format!(
                    "Daten zur OS-Unterstützung {}: TOML-Fehler in Zeile {}, Spalte {}: {}\n{}",
                    cap(c, 1),
                    cap(c, 2),
                    cap(c, 3),
                    toml(cap(c, 5)),
                    cap(c, 4)
                )
            }),
            p(r"OS support data (.*?): (\d+) bytes, more than the limit of (\d+)", |c| {
                format!("Daten zur OS-Unterstützung {}: {} Byte, mehr als die Grenze von {} Byte", cap(c, 1), cap(c, 2), cap(c, 3))
            }),
            p(r"OS support data (.*?): (.*)", |c| {
                format!("Daten zur OS-Unterstützung {}: {}", cap(c, 1), strerror(cap(c, 2)))
            }),
            // A tracker of a --trackers file (ETIP).
            p(r#"no numeric id \(neither an "id" field nor a numeric key\)"#, |_| {
                "Keine numerische Kennung (weder ein Feld „id“ noch ein numerischer Schlüssel)".into()
            }),
            // An entry of an SDK knowledge base or tracker file.
            p(r"unsupported format version (\d+), expected 1", |c| {
                format!("Nicht unterstützte Formatversion {}; erwartet wird 1", cap(c, 1))
            }),
            p(r"empty notable string", |_| "Ein Eintrag von `strings` ist leer".into()),
            p(r"the id must be non-empty lowercase ASCII letters, digits and `-`", |_| {
                "Die Kennung muss aus ASCII-Kleinbuchstaben, Ziffern und `-` bestehen und darf nicht leer sein".into()
            }),
            p(r"duplicate id", |_| "Die Kennung kommt doppelt vor".into()),
            p(r"empty name", |_| "Der Name ist leer".into()),
            p(r"no matcher for either platform", |_| {
                "Kein Erkennungsmerkmal, weder für Android noch für iOS".into()
            }),
            p(r#"matcher value "(.*)" is empty or has surrounding spaces"#, |c| {
                format!("Das Erkennungsmerkmal „{}“ ist leer oder beginnt oder endet mit Leerzeichen", cap(c, 1))
            }),
            p(r#"host "(.*)" is not a host name"#, |c| format!("„{}“ ist kein Hostname", cap(c, 1))),
            p(r#"class pattern "(.*)" is not a valid regular expression: (.*)"#, |c| {
                format!("Das Klassenmuster „{}“ ist kein gültiger regulärer Ausdruck ({})", cap(c, 1), quoted(cap(c, 2)))
            }),
            p(r"the class patterns together are too large: (.*)", |c| {
                format!("Die Klassenmuster sind zusammen zu groß ({})", quoted(cap(c, 1)))
            }),
            // Answers files.
            p(r"answer (\d+) \(line (\d+)\): (.*)", |c| {
                format!("Antwort {} (Zeile {}): {}", cap(c, 1), cap(c, 2), answer(cap(c, 3)))
            }),
            // Profiles and check files.
            p(r"id is empty", |_| "`id` ist leer".into()),
            p(r"([\w.]+)\.(de|en) is empty", |c| format!("`{}.{}` ist leer", cap(c, 1), cap(c, 2))),
            p(r"rule (\d+) message\.(de|en) is empty", |c| {
                format!("`message.{}` von Regel {} ist leer", cap(c, 2), cap(c, 1))
            }),
            p(r"weights\.(\w+) = (.*): a weight must be a number ≥ 0", |c| {
                format!("`weights.{} = {}`: Ein Gewicht muss eine Zahl ≥ 0 sein", cap(c, 1), cap(c, 2))
            }),
            p(r"params\.([\w.\-]+): no check with this id", |c| {
                format!("`params.{}`: Es gibt keine Prüfung mit dieser Kennung", cap(c, 1))
            }),
            p(r"params\.([\w.\-]+): the check has no such parameter \(it has: (.*)\)", |c| {
                format!("`params.{}`: Die Prüfung hat keinen solchen Parameter (sie hat: {})", cap(c, 1), cap(c, 2))
            }),
            p(r"applies_to is empty: list at least one of android, ios, device", |_| {
                "`applies_to` ist leer: mindestens eines von android, ios, device angeben".into()
            }),
            p(r"applies_to: `inventory` is not a check target; use `device` \(each device of an inventory is a target\)", |_| {
                "`applies_to`: `inventory` ist kein Prüfziel; stattdessen `device` angeben (jedes Gerät eines Inventars ist ein Prüfziel)".into()
            }),
            p(r"no \[\[rule\]\]: a check needs at least one rule", |_| {
                "Kein `[[rule]]`: Eine Prüfung braucht mindestens eine Regel".into()
            }),
            p(r"rule (\d+): outcome `error` is reserved for evaluation errors; use pass, fail, warn, manual or not_applicable", |c| {
                format!("Regel {}: Das Ergebnis `error` ist Auswertungsfehlern vorbehalten; pass, fail, warn, manual oder not_applicable verwenden", cap(c, 1))
            }),
            p(r"rule (\d+) has outcome `manual` but the check has no question\.de/question\.en for the auditor", |c| {
                format!("Regel {} hat das Ergebnis `manual`, aber die Prüfung stellt den Prüfenden keine Frage (`question.de`/`question.en` fehlt)", cap(c, 1))
            }),
            p(r"id `(.*)` is not a valid check id \(.*\)", |c| {
                format!("„{}“ ist keine gültige Prüfungskennung (Buchstaben, Ziffern, `-`, `_`, `.`; beginnt mit einem Buchstaben; höchstens 80 Zeichen)", cap(c, 1))
            }),
            p(r"requirement `(.*)` is not a requirement id like `APP-05` \(.*\)", |c| {
                format!("„{}“ ist keine Anforderungskennung der Form `APP-05` (2–5 Großbuchstaben, `-`, 2–3 Ziffern)", cap(c, 1))
            }),
        ]
    })
}

/// What is wrong with one answer of an answers file, in German.
fn answer(problem: &str) -> String {
    static ANSWER: OnceLock<Rules> = OnceLock::new();
    let table = ANSWER.get_or_init(|| {
        let p = rule;
        vec![
            p(r"give exactly one of `check` or `requirement`", |_| {
                "Genau eines von `check` oder `requirement` angeben".into()
            }),
            p(r"outcome is empty: write pass, fail or not_applicable, or delete the answer", |_| {
                "`outcome` ist leer: pass, fail oder not_applicable eintragen oder die Antwort löschen".into()
            }),
            p(r"outcome `(.*)` must be pass, fail or not_applicable", |c| {
                format!("`outcome` ist „{}“, erlaubt sind pass, fail und not_applicable", cap(c, 1))
            }),
            p(r"`by` \(who attests\) is empty", |_| {
                "`by` (wer bestätigt) ist leer".into()
            }),
            p(r"date `(.*)` is not YYYY-MM-DD", |c| {
                format!("Das Datum „{}“ hat nicht die Form JJJJ-MM-TT", cap(c, 1))
            }),
            p(r"valid_until `(.*)` is not YYYY-MM-DD", |c| {
                format!("`valid_until` „{}“ hat nicht die Form JJJJ-MM-TT", cap(c, 1))
            }),
            p(r"sha256 `(.*)` is not 64 hexadecimal digits", |c| {
                format!("`sha256` „{}“ besteht nicht aus 64 Hexadezimalziffern", cap(c, 1))
            }),
            p(r"`(.*)` names no check or requirement of the check set \(`msgaudit checks --profile dsk-full` lists them\)", |c| {
                format!("„{}“ ist weder eine Prüfung noch eine Anforderung des Prüfsatzes (`msgaudit checks --profile dsk-full` listet sie auf)", cap(c, 1))
            }),
        ]
    });
    apply(table, problem).unwrap_or_else(|| quoted(problem))
}

/// A TOML reader's message (the `toml` crate's and serde's wording) in
/// German; a message this module does not know is quoted as the parser
/// wrote it.
pub(crate) fn toml(message: &str) -> String {
    static TOML: OnceLock<Rules> = OnceLock::new();
    let table = TOML.get_or_init(|| {
        let p = rule;
        vec![
            p(r"unknown field `([^`]*)`, expected (?:one of )?(.*)", |c| {
                format!(
                    "Unbekannter Schlüssel `{}`; erlaubt: {}",
                    cap(c, 1),
                    cap(c, 2).replace(" or ", " oder ")
                )
            }),
            p(r"unknown field `([^`]*)`, there are no fields", |c| {
                format!(
                    "Unbekannter Schlüssel `{}`; hier ist kein Schlüssel erlaubt",
                    cap(c, 1)
                )
            }),
            p(r"missing field `([^`]*)`", |c| {
                format!("Der Pflichtschlüssel `{}` fehlt", cap(c, 1))
            }),
            p(r"duplicate key(?:: `([^`]*)`)?", |c| match c.get(1) {
                Some(k) => format!("Der Schlüssel `{}` steht doppelt", k.as_str()),
                None => "Ein Schlüssel steht doppelt".into(),
            }),
            p(r"invalid type: (.*), expected (.*)", |c| {
                format!(
                    "Falscher Typ: {} statt {}",
                    value_kind(cap(c, 1)),
                    value_kind(cap(c, 2))
                )
            }),
            p(
                r"unknown variant `([^`]*)`, expected (?:one of )?(.*)",
                |c| {
                    format!(
                        "Unbekannter Wert „{}“; erlaubt: {}",
                        cap(c, 1),
                        cap(c, 2).replace(" or ", " oder ")
                    )
                },
            ),
            p(r"unclosed array table, expected `([^`]*)`", |c| {
                format!(
                    "Die Kopfzeile der Tabellenliste ist nicht geschlossen: `{}` fehlt",
                    cap(c, 1)
                )
            }),
            p(r"unclosed table, expected `\]`", |_| {
                "Die Tabellenkopfzeile ist nicht geschlossen: `]` fehlt".into()
            }),
            p(r"unclosed array, expected `\]`", |_| {
                "Die Liste ist nicht geschlossen: `]` fehlt".into()
            }),
            p(r"unclosed inline table, expected `\}`", |_| {
                "Die Inline-Tabelle ist nicht geschlossen: `}` fehlt".into()
            }),
            p(r"key with no value, expected `=`", |_| {
                "Nach dem Schlüssel fehlen `=` und ein Wert".into()
            }),
            p(r"missing value for key", |_| {
                "Dem Schlüssel fehlt ein Wert".into()
            }),
            p(
                r"missing assignment between key-value pairs, expected `=`",
                |_| "Zwischen Schlüssel und Wert fehlt `=`".into(),
            ),
            p(r"invalid string", |_| "Ungültige Zeichenkette".into()),
        ]
    });
    apply(table, message.trim())
        .unwrap_or_else(|| format!("TOML-Fehler ({})", quoted(message.trim())))
}

/// A TOML syntax error's detail (the parser's message) in German, when
/// [`toml`] knows it.
pub(crate) fn toml_syntax(message: &str) -> Option<String> {
    let de = toml(message);
    (!de.starts_with("TOML-Fehler (")).then_some(de)
}

/// serde's words for a value's type (`a string`, `integer `1``) in German.
fn value_kind(en: &str) -> String {
    let (kind, rest) = match en.split_once(' ') {
        Some((k, r)) if !matches!(k, "a" | "an") => (k, Some(r)),
        Some((_, r)) => (r, None),
        None => (en, None),
    };
    let de = match kind {
        "string" => "Zeichenkette",
        "integer" => "Ganzzahl",
        "float" => "Gleitkommazahl",
        "boolean" => "Wahrheitswert",
        "sequence" | "array" => "Liste",
        "map" | "table" => "Tabelle",
        "date" | "datetime" => "Datum",
        _ => return quoted(en),
    };
    match rest {
        Some(value) => format!("{de} {value}"),
        None => de.to_string(),
    }
}

/// The value-level part of an endoflife.date reading error in German; a
/// wording this module does not know goes through the serde rules of
/// [`toml`] (quoted when unknown).
fn import_detail(detail: &str) -> String {
    if let Some(value) = detail.strip_suffix(": expected true, false or a date YYYY-MM-DD") {
        return format!("{value}: erwartet wird true, false oder ein Datum JJJJ-MM-TT");
    }
    if detail == "expected true, false or a date YYYY-MM-DD" {
        return "erwartet wird true, false oder ein Datum JJJJ-MM-TT".into();
    }
    if let Some(found) = detail.strip_prefix("expected a string or a number, found ") {
        return format!("erwartet wird eine Zeichenkette oder eine Zahl, gefunden: {found}");
    }
    toml(detail)
}

/// Unread entries as `Unread::line` writes them, joined with `; `
/// (`entry (kind): reason`), in German: the kind in words, the reason
/// translated where known, else quoted as written. A list that does not
/// split into such items is quoted whole.
fn unread_items(list: &str) -> String {
    static ITEM: OnceLock<Regex> = OnceLock::new();
    let item = ITEM.get_or_init(|| {
        Regex::new(r"^(.+?) \(([a-z]+)\): (.*)$").expect("the built-in pattern compiles")
    });
    // Items are joined by `; `, which a reason may hold too: a part that
    // does not start an item (`entry (kind): `) continues the reason before.
    let mut items: Vec<(&str, &str, String)> = Vec::new();
    for part in list.split("; ") {
        let start = item.captures(part).and_then(|c| {
            let (_, kind) = super::unread_kind_words(cap(&c, 2))?;
            Some((c.get(1)?.as_str(), kind, cap(&c, 3).to_string()))
        });
        match (start, items.last_mut()) {
            (Some(next), _) => items.push(next),
            (None, Some((_, _, reason))) => {
                reason.push_str("; ");
                reason.push_str(part);
            }
            (None, None) => return quoted(list),
        }
    }
    items
        .into_iter()
        .map(|(entry, kind, reason)| {
            let reason = translate(&reason).unwrap_or_else(|| quoted(&reason));
            format!("{entry} ({kind}): {reason}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// A text quoted as written („…“).
pub(super) fn quoted(text: &str) -> String {
    format!("„{text}“")
}

/// A library text in German: a known wording translated, the system's
/// error texts in it in German; anything else quoted as written.
pub(crate) fn text(en: &str) -> String {
    let en = en.trim_end();
    translate(en).unwrap_or_else(|| quoted(&strerror(en)))
}

/// How the Apple MDM reader (`extract::inventory::apple_mdm`) words a
/// property list it cannot read, in English and German: one table for both
/// languages, so that neither says a parser's token.
pub(crate) mod plist {
    /// What a property list reader's syntax error means, in words: the names
    /// of the `plist` crate's error kinds (its `Display` is the kind's name and
    /// `(offset N)`) and the reader's own texts that mean it; the English and
    /// the German wording (both lower case: they follow a colon).
    pub(crate) const PLIST_PROBLEMS: &[(&[&str], &str, &str)] = &[
        (
            &[
                "UnexpectedEof",
                "UnexpectedEndOfEventStream",
                "UnclosedXmlElement",
                "UnclosedString",
                "IncompleteComment",
                "unterminated collection",
            ],
            "the file ends early (truncated)",
            "die Datei endet zu früh (abgeschnitten)",
        ),
        (
            &[
                "InvalidXmlSyntax",
                "UnexpectedXmlCharactersExpectedElement",
                "UnexpectedXmlOpeningTag",
                "UnknownXmlElement",
            ],
            "XML syntax error or an element unknown to property lists",
            "XML-Syntaxfehler oder ein in Property-Listen unbekanntes Element",
        ),
        (
            &["InvalidUtf8AsciiStream", "InvalidOctalString"],
            "syntax error in the text property list",
            "Syntaxfehler in der Property-Liste im Textformat",
        ),
        (
            &[
                "InvalidMagic",
                "InvalidTrailerObjectOffsetSize",
                "InvalidTrailerObjectReferenceSize",
                "InvalidObjectLength",
                "ObjectReferenceTooLarge",
                "ObjectOffsetTooLarge",
                "RecursiveObject",
                "NullObjectUnimplemented",
                "FillObjectUnimplemented",
                "UnknownObjectType",
            ],
            "the binary property list is damaged (its object table or trailer is invalid)",
            "die binäre Property-Liste ist beschädigt (ihre Objekttabelle oder ihr Trailer ist ungültig)",
        ),
        (
            &["ObjectTooLarge"],
            "an object of the binary property list is larger than a reader allows",
            "ein Objekt der binären Property-Liste ist größer, als ein Leser zulässt",
        ),
        (
            &["InvalidXmlUtf8", "InvalidUtf8String", "InvalidUtf16String"],
            "text that is not valid UTF-8 or UTF-16",
            "Text, der kein gültiges UTF-8 oder UTF-16 ist",
        ),
        (
            &["InvalidDataString"],
            "a data value that is not valid Base64",
            "ein Datenwert, der kein gültiges Base64 ist",
        ),
        (
            &["InvalidDateString", "OverflowOrNanDate"],
            "an invalid date",
            "ein ungültiges Datum",
        ),
        (
            &["InvalidIntegerString", "IntegerOutOfRange"],
            "an invalid integer, or one out of range",
            "eine ungültige Ganzzahl oder eine außerhalb des darstellbaren Bereichs",
        ),
        (
            &["InvalidRealString"],
            "an invalid real number",
            "eine ungültige Gleitkommazahl",
        ),
        (
            &[
                "UnexpectedEventType",
                "ExpectedEndOfEventStream",
                "UidNotSupportedInXmlPlist",
                "dictionary key is not a string",
                "more than one top-level value",
                "unbalanced end of collection",
                "unsupported event",
            ],
            "a value of a type not allowed in its place",
            "ein Wert eines an dieser Stelle nicht erlaubten Typs",
        ),
        (
            &["no value"],
            "the property list holds no value",
            "die Property-Liste enthält keinen Wert",
        ),
        (&["Io"], "read error", "Lesefehler"),
    ];

    /// A syntax error of a kind [`PLIST_PROBLEMS`] does not list.
    pub(crate) const PLIST_INVALID: (&str, &str) =
        ("not a valid property list", "keine gültige Property-Liste");

    /// A dictionary key the reader found without a value: its text's ends.
    pub(crate) const KEY_WITHOUT_VALUE: (&str, &str) = ("the key '", "' has no value");

    /// The budget error's text around the limit (the reader's own text,
    /// `PlistError::OverBudget`, in the words of this module).
    const OVER_BUDGET: &str = "the values decode to more than the budget of";
    const OVER_BUDGET_END: &str =
        "bytes (--max-plist-decoded; a value referenced many times counts each time); refused";

    /// Where a plist error's place is said: ` at byte N of the export`.
    pub(crate) const AT_BYTE: (&str, &str) = (" at byte ", " of the export");

    /// The budget error (`PlistError::OverBudget`) in words, with its limit.
    pub(crate) fn over_budget(limit: u64) -> String {
        format!("{OVER_BUDGET} {limit} {OVER_BUDGET_END}")
    }

    /// The German of a property list error's text as the Apple MDM reader
    /// words it from [`PLIST_PROBLEMS`] (or the budget error, [`over_budget`]):
    /// `None` for a text it did not write.
    pub(crate) fn german(en: &str) -> Option<String> {
        let (what, byte) = match en.rsplit_once(AT_BYTE.0) {
            Some((what, rest)) => match rest.strip_suffix(AT_BYTE.1) {
                Some(n) if n.parse::<u64>().is_ok() => (what, Some(n)),
                _ => (en, None),
            },
            None => (en, None),
        };
        let de = if let Some((_, _, de)) = PLIST_PROBLEMS.iter().find(|(_, e, _)| *e == what) {
            (*de).to_string()
        } else if what == PLIST_INVALID.0 {
            PLIST_INVALID.1.to_string()
        } else if let Some(key) = what
            .strip_prefix(KEY_WITHOUT_VALUE.0)
            .and_then(|k| k.strip_suffix(KEY_WITHOUT_VALUE.1))
        {
            format!("der Schlüssel „{key}“ hat keinen Wert")
        } else {
            let limit = what
                .strip_prefix(OVER_BUDGET)?
                .strip_suffix(OVER_BUDGET_END)?
                .trim();
            limit.parse::<u64>().ok()?;
            format!(
                "die Werte werden zu mehr als {limit} Byte dekodiert, dem Budget von --max-plist-decoded \
                 (ein mehrfach referenzierter Wert zählt jedes Mal); abgelehnt"
            )
        };
        Some(match byte {
            Some(n) => format!("{de} bei Byte {n} des Exports"),
            None => de,
        })
    }
}

/// `en` in German when msgaudit knows its words (see [`text`]); `None`
/// for a text it would only quote.
#[cfg(test)]
pub(crate) fn known(en: &str) -> Option<String> {
    translate(en.trim_end())
}

/// The German of `en` by this module's wordings, then by those of the
/// reasons an app entry could not be read ([`super::unread_de`]).
fn translate(en: &str) -> Option<String> {
    apply(patterns(), en).or_else(|| super::unread_de::german(en))
}

/// Whether [`text`] knows `en` (it is translated, not quoted).
#[cfg(test)]
pub(crate) fn knows(en: &str) -> bool {
    translate(en).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_name_the_cause_and_the_system_error() {
        let e = std::io::Error::from_raw_os_error(2);
        assert_eq!(io(&e), "Datei oder Ordner nicht gefunden (Systemfehler 2)");
        assert_eq!(
            text("cannot read the file: No such file or directory (os error 2)"),
            "Die Datei ist nicht lesbar: Datei oder Ordner nicht gefunden (Systemfehler 2)"
        );
    }

    #[test]
    fn one_record_that_is_no_managed_device_is_said_in_the_singular() {
        assert_eq!(
            text("the only record is not an Intune managedDevice (a policy or report export?)"),
            "Der einzige Datensatz ist kein Intune-managedDevice (ein Richtlinien- oder Berichtsexport?)"
        );
        assert_eq!(
            text("none of the 2 records is an Intune managedDevice (a policy or report export?)"),
            "Keiner der 2 Datensätze ist ein Intune-managedDevice (ein Richtlinien- oder Berichtsexport?)"
        );
    }

    #[test]
    fn answer_problems_keep_number_line_and_value() {
        assert_eq!(
            text("answer 2 (line 7): outcome `passed` must be pass, fail or not_applicable"),
            "Antwort 2 (Zeile 7): `outcome` ist „passed“, erlaubt sind pass, fail und not_applicable"
        );
        assert_eq!(
            text("answer 1 (line 2): `by` (who attests) is empty"),
            "Antwort 1 (Zeile 2): `by` (wer bestätigt) ist leer"
        );
    }

    #[test]
    fn toml_messages_in_german_and_unknown_ones_quoted() {
        assert_eq!(
            toml("unknown field `version`, expected `answer`"),
            "Unbekannter Schlüssel `version`; erlaubt: `answer`"
        );
        assert_eq!(
            toml("invalid type: integer `1`, expected a string"),
            "Falscher Typ: Ganzzahl `1` statt Zeichenkette"
        );
        assert_eq!(toml("unexpected sign"), "TOML-Fehler („unexpected sign“)");
    }

    #[test]
    fn unknown_texts_are_quoted_not_dropped() {
        assert_eq!(text("something new"), "„something new“");
        assert!(!knows("something new"));
        assert!(knows(
            "not an app, inventory export or facts document (by its content)"
        ));
    }

    #[test]
    fn the_os_data_parse_error_keeps_its_place_and_excerpt() {
        let en = "OS support data os.toml: TOML parse error at line 2, column 7\n  |\n2 | [[ios]\n  |       ^\nunclosed array table, expected `]`\n";
        assert_eq!(
            text(en),
            "Daten zur OS-Unterstützung os.toml: TOML-Fehler in Zeile 2, Spalte 7: Die Kopfzeile der Tabellenliste ist nicht geschlossen: `]` fehlt\n  |\n2 | [[ios]\n  |       ^"
        );
    }
}
