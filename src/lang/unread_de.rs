//! The German wording of why an app entry that carries facts could not be
//! read (`facts.unread[].reason`): the texts of the readers' errors (DEX,
//! zip, binary XML and resource table, signatures, Mach-O, property lists,
//! provisioning profiles) and the reasons the extractors word themselves.
//!
//! The facts keep the reader's English reason (the JSON contract); German
//! reports say it with these rules ([`super::wording_de::known`] tries them
//! after its own). A reason is often built from parts (`not a readable DEX
//! file: ` and the DEX error, an APK's name and its manifest's error): each
//! part is said in German by its own rule, and a part no rule knows — a
//! third-party parser's message — is quoted as written („…“). Counts, sizes
//! and limits are written with German digit grouping; offsets, indexes and
//! hexadecimal values stay as the reader wrote them.

use std::sync::OnceLock;

use regex::Captures;

use super::wording_de::{apply, cap, quoted, rule, Rules};
use super::{count, value_type_de, Lang};

/// The German of an unread entry's reason, `None` when no rule knows its
/// outer wording.
pub(crate) fn german(reason: &str) -> Option<String> {
    apply(reasons(), reason).or_else(|| prefixed(reason))
}

/// A reason after a name and `: ` (an APK of a split set, a DEX file's
/// label, a signature scheme): the name kept, the rest in German (a reason
/// or a detail, such as a scheme's signer list).
fn prefixed(reason: &str) -> Option<String> {
    let (name, rest) = reason.split_once(": ")?;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    german(rest)
        .or_else(|| apply(details(), rest))
        .map(|de| format!("{name}: {de}"))
}

/// A part of a reason in German: by the reasons' rules, then by the details'
/// ([`detail`]); quoted as written when none knows it.
fn part(text: &str) -> String {
    german(text)
        .or_else(|| apply(details(), text))
        .unwrap_or_else(|| quoted(text))
}

/// A count or size with German digit grouping.
fn n(c: &Captures, i: usize) -> String {
    count(cap(c, i), Lang::De)
}

/// `n` and the singular or plural noun.
fn counted(c: &Captures, i: usize, one: &str, many: &str) -> String {
    let noun = if cap(c, i) == "1" { one } else { many };
    format!("{} {noun}", n(c, i))
}

/// A Mach-O slice label (` (slice N)`, ` (fat header entry N)`, or none)
/// in German.
fn slice(label: &str) -> String {
    label
        .replace("(slice ", "(Slice ")
        .replace("(fat header entry ", "(Fat-Header-Eintrag ")
}

/// The German name of a property list value's type as the iOS reader
/// names it (`plist::kind_name`).
fn plist_type(kind: &str) -> &str {
    match kind {
        "data" => "Binärdaten",
        "uid" => "UID",
        "unknown" => "unbekannt",
        other => value_type_de(other),
    }
}

/// A team id as the iOS reader words it (`none (ad hoc)` for none).
fn team(id: &str) -> String {
    if id == "none (ad hoc)" {
        "keine (ad hoc)".to_string()
    } else {
        id.to_string()
    }
}

/// The reasons' rules, each matching a whole text.
fn reasons() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let p = rule;
        vec![
            // DEX files (`DexError` and what the code scan met).
            p(r"not a readable DEX file: (.*)", |c| {
                format!("Keine lesbare DEX-Datei: {}", part(cap(c, 1)))
            }),
            p(r"file is (\d+) bytes, shorter than the 112-byte DEX header", |c| {
                format!("Die Datei ist nur {} Byte groß, kürzer als der 112 Byte lange DEX-Header", n(c, 1))
            }),
            p(r"bad magic (\[[0-9a-f, ]*\]) \(expected 'dex\\n035\\0' … 'dex\\n041\\0'\)", |c| {
                format!("Die Kennung (Magic) {} ist ungültig (erwartet: 'dex\\n035\\0' … 'dex\\n041\\0')", cap(c, 1))
            }),
            p(r"bad endian tag (0x[0-9a-f]+)", |c| {
                format!("Die Endian-Kennung {} ist ungültig", cap(c, 1))
            }),
            p(r"(\S+) table \((\d+) items at offset (\d+)\) extends past the end of the file \((\d+) bytes\)", |c| {
                format!(
                    "Die Tabelle {} ({} ab Offset {}) reicht über das Dateiende hinaus (die Datei hat {} Byte)",
                    cap(c, 1), counted(c, 2, "Eintrag", "Einträge"), cap(c, 3), n(c, 4)
                )
            }),
            p(r"string table has (\d+) entries, more than the limit of (\d+)", |c| {
                format!("Die Zeichenkettentabelle hat {} Einträge, mehr als die Grenze von {}", n(c, 1), n(c, 2))
            }),
            p(r"(.+?): (\S+) table extends past the end of the file; code not read", |c| {
                format!("{}: Die Tabelle {} reicht über das Dateiende hinaus; der Code wurde nicht gelesen", cap(c, 1), cap(c, 2))
            }),
            p(r"(.+?): class data and code items overlap so much that reading stopped after the file size; API references and code patterns are incomplete", |c| {
                format!("{}: Klassendaten und Code-Einträge überlappen so stark, dass das Lesen nach der Dateigröße abgebrochen wurde; API-Verweise und Code-Muster sind unvollständig", cap(c, 1))
            }),
            p(r"(.+?): (\d+) class data item\(s\) and (\d+) code item\(s\) run past the end of the file or of their code; API references and code patterns are incomplete", |c| {
                format!(
                    "{}: {} und {} reichen über das Ende der Datei oder ihres Codes hinaus; API-Verweise und Code-Muster sind unvollständig",
                    cap(c, 1),
                    counted(c, 2, "Klassendaten-Eintrag", "Klassendaten-Einträge"),
                    counted(c, 3, "Code-Eintrag", "Code-Einträge")
                )
            }),
            p(r"string data overlaps in long unterminated runs; reading stopped after four times the file size, so strings and class names are incomplete", |_| {
                "Die Zeichenkettendaten überlappen in langen, nicht abgeschlossenen Folgen; das Lesen wurde nach der vierfachen Dateigröße abgebrochen, Zeichenketten und Klassennamen sind daher unvollständig".into()
            }),
            // The zip archive (`ArchiveError`).
            p(r"truncated or damaged zip archive \((.*)\)", |c| {
                format!("Abgeschnittenes oder beschädigtes ZIP-Archiv ({})", part(cap(c, 1)))
            }),
            p(r"archive lists (\d+) entries, more than the limit of (\d+)", |c| {
                format!("Das Archiv verzeichnet {} Einträge, mehr als die Grenze von {}", n(c, 1), n(c, 2))
            }),
            p(r"entry '(.*)' not found in the archive", |c| {
                format!("Der Eintrag '{}' fehlt im Archiv", cap(c, 1))
            }),
            p(r"entry '(.*)' inflates to more than (\d+) bytes", |c| {
                format!("Der Eintrag '{}' ist entpackt größer als {} Byte", cap(c, 1), n(c, 2))
            }),
            p(r"entry '(.*)' has a compression ratio above (\d+):1 \(possible zip bomb\)", |c| {
                format!("Der Eintrag '{}' ist stärker als {}:1 komprimiert (möglicherweise eine ZIP-Bombe)", cap(c, 1), n(c, 2))
            }),
            p(r"total inflated size exceeds the limit of (\d+) bytes", |c| {
                format!("Die entpackte Gesamtgröße überschreitet die Grenze von {} Byte", n(c, 1))
            }),
            p(r"entry '(.*)' is corrupt: CRC-32 ([0-9a-f]{8}) does not match the stored ([0-9a-f]{8})", |c| {
                format!("Der Eintrag '{}' ist beschädigt: Die Prüfsumme CRC-32 {} weicht von der gespeicherten {} ab", cap(c, 1), cap(c, 2), cap(c, 3))
            }),
            p(r"the central directory is (\d+) bytes, more than the limit of (\d+)", |c| {
                format!("Das zentrale Verzeichnis ist {} Byte groß, mehr als die Grenze von {} Byte", n(c, 1), n(c, 2))
            }),
            p(r"the central directory of (\d+) bytes \(counted twice: its bytes and its entries\) and the app's property lists do not fit in the app's share of (\d+) bytes of working memory \(twice --max-plist-decoded\)", |c| {
                format!(
                    "Das zentrale Verzeichnis mit {} Byte (doppelt gezählt: seine Bytes und seine Einträge) und die Property-Listen der App passen nicht in ihren Anteil von {} Byte am Arbeitsspeicher des Laufs (das Doppelte von --max-plist-decoded)",
                    n(c, 1), n(c, 2)
                )
            }),
            p(r"the scan's working memory is held by other apps; this app is read again when it is free", |_| {
                "Der Arbeitsspeicher des Laufs ist von anderen Apps belegt; diese App wird erneut gelesen, sobald er frei ist".into()
            }),
            p(r"entry '(.*)' does not fit in the budget of (\d+) decoded bytes in flight \(--max-inflight; shared by all entries read at the same time\)", |c| {
                format!(
                    "Der Eintrag '{}' passt nicht in das Budget von {} gleichzeitig entpackten Byte (--max-inflight; es gilt für alle zugleich gelesenen Einträge)",
                    cap(c, 1), n(c, 2)
                )
            }),
            p(r"entry '(.*)' cannot be inflated: (.*)", |c| {
                format!("Der Eintrag '{}' lässt sich nicht entpacken: {}", cap(c, 1), part(cap(c, 2)))
            }),
            // An APK of a split set whose manifest could not be read
            // (`AndroidError::Manifest`).
            p(r"AndroidManifest\.xml: missing", |_| "AndroidManifest.xml fehlt".into()),
            p(r"AndroidManifest\.xml: cannot be read: (.*)", |c| {
                format!("AndroidManifest.xml ist nicht lesbar: {}", part(cap(c, 1)))
            }),
            p(r"AndroidManifest\.xml: root element is <(.*)>, not <manifest>", |c| {
                format!("AndroidManifest.xml: Das Wurzelelement ist <{}>, nicht <manifest>", cap(c, 1))
            }),
            // Binary XML (`AxmlError` and where decoding stopped early).
            p(r"binary XML truncated: (\d+) bytes", |c| {
                format!("Das binäre XML ist abgeschnitten ({} Byte)", n(c, 1))
            }),
            p(r"bad binary XML header: (.*)", |c| {
                format!("Ungültiger Header des binären XML: {}", part(cap(c, 1)))
            }),
            p(r"bad binary XML chunk: (.*)", |c| {
                format!("Ungültiger Chunk im binären XML: {}", part(cap(c, 1)))
            }),
            p(r"bad binary XML string pool: (.*)", |c| {
                format!("Ungültiger Zeichenketten-Pool im binären XML: {}", part(cap(c, 1)))
            }),
            p(r"binary XML without a root element", |_| "Binäres XML ohne Wurzelelement".into()),
            p(r"binary XML decodes to more than (\d+) bytes of strings", |c| {
                format!("Das binäre XML ergibt dekodiert mehr als {} Byte an Zeichenketten", n(c, 1))
            }),
            p(r"binary XML nests elements deeper than the limit of (\d+)", |c| {
                format!("Das binäre XML verschachtelt Elemente tiefer als die Grenze von {} Ebenen", n(c, 1))
            }),
            p(r"binary XML stops early: (.*)", |c| {
                format!("Das binäre XML endet vorzeitig: {}", part(cap(c, 1)))
            }),
            // The resource table (`ArscError`), and what its reader stopped at.
            p(r"(.*); references are left unresolved", |c| {
                format!("{}; Verweise bleiben daher unaufgelöst", part(cap(c, 1)))
            }),
            p(r"bad resource table header: (.*)", |c| {
                format!("Ungültiger Header der Ressourcentabelle: {}", part(cap(c, 1)))
            }),
            p(r"bad resource table chunk: (.*)", |c| {
                format!("Ungültiger Chunk in der Ressourcentabelle: {}", part(cap(c, 1)))
            }),
            p(r"bad resource table string pool: (.*)", |c| {
                format!("Ungültiger Zeichenketten-Pool der Ressourcentabelle: {}", part(cap(c, 1)))
            }),
            p(r"resolution stopped after examining (\d+) type chunks; some references are left unresolved", |c| {
                format!("Die Auflösung wurde nach {} geprüften Typ-Chunks abgebrochen; einige Verweise bleiben unaufgelöst", n(c, 1))
            }),
            // Android signatures: v1 signature blocks, the APK Signing Block,
            // certificates.
            p(r"not a readable PKCS#7 signature block: (.*)", |c| {
                format!("Kein lesbarer PKCS#7-Signaturblock: {}", part(cap(c, 1)))
            }),
            p(r"not a readable PKCS#7 SignedData \(DER: (.*); BER: (.*)\)", |c| {
                format!("Keine lesbaren PKCS#7-SignedData (DER: {}; BER: {})", quoted(cap(c, 1)), part(cap(c, 2)))
            }),
            p(r"(v1: .+?|v2|v3|v3\.1): unparsable X\.509 certificate: (.*)", |c| {
                format!("{}: Nicht lesbares X.509-Zertifikat: {}", cap(c, 1), quoted(cap(c, 2)))
            }),
            p(r"APK Signing Block of (\d+) bytes is larger than the (\d+) bytes read before the central directory \(32 MiB\); its signatures are not read", |c| {
                format!(
                    "Der APK Signing Block ist mit {} Byte größer als die {} Byte, die vor dem zentralen Verzeichnis gelesen werden (32 MiB); seine Signaturen werden nicht gelesen",
                    n(c, 1), n(c, 2)
                )
            }),
            p(r"APK Signing Block holds more than (\d+) pairs; the rest is ignored", |c| {
                format!("Der APK Signing Block enthält mehr als {} Paare; die übrigen werden nicht beachtet", n(c, 1))
            }),
            p(r"APK Signing Block pair at offset (\d+) has an invalid length; the rest of the block is ignored", |c| {
                format!("Das Paar bei Offset {} im APK Signing Block hat eine ungültige Länge; der Rest des Blocks wird nicht beachtet", cap(c, 1))
            }),
            // iOS code signatures (`CodeSignError` and the bundle's checks).
            p(r"code signature: none, while the main executable is signed \(iOS loads no unsigned code in a signed app: the bundle was changed after signing\)", |_| {
                "Codesignatur: keine, obwohl die ausführbare Hauptdatei signiert ist (iOS lädt in einer signierten App keinen unsignierten Code: Das Bundle wurde nach dem Signieren verändert)".into()
            }),
            p(r"code signature: team id (.*) differs from the main executable's team id (.*) \(iOS loads only code of the app's own team: the bundle was changed or put together after signing\)", |c| {
                format!(
                    "Codesignatur: Die Team-ID {} weicht von der Team-ID {} der ausführbaren Hauptdatei ab (iOS lädt nur Code des eigenen Teams der App: Das Bundle wurde nach dem Signieren verändert oder zusammengestellt)",
                    team(cap(c, 1)), team(cap(c, 2))
                )
            }),
            p(r"code signature: the DER entitlements \(enforced by iOS 15 and later\) differ from the XML entitlements in (.*)", |c| {
                format!("Codesignatur: Die DER-Entitlements (ab iOS 15 maßgeblich) weichen von den XML-Entitlements ab bei: {}", cap(c, 1))
            }),
            p(r"code signature offset (\d+) lies outside the file", |c| {
                format!("Der Offset {} der Codesignatur liegt außerhalb der Datei", cap(c, 1))
            }),
            p(r"code signature: (.*)", |c| format!("Codesignatur: {}", part(cap(c, 1)))),
            p(r"code signature truncated: header", |_| "Die Codesignatur ist abgeschnitten (Header)".into()),
            p(r"code signature truncated: blob index", |_| "Die Codesignatur ist abgeschnitten (Blob-Index)".into()),
            p(r"code signature has magic (0x[0-9a-f]+), expected 0xfade0cc0 \(embedded signature\)", |c| {
                format!("Die Codesignatur hat die Kennung (Magic) {}, erwartet wird 0xfade0cc0 (eingebettete Signatur)", cap(c, 1))
            }),
            p(r"code signature lists (\d+) blobs, more than the limit of (\d+)", |c| {
                format!("Die Codesignatur verzeichnet {} Blobs, mehr als die Grenze von {}", n(c, 1), n(c, 2))
            }),
            p(r"code signature blob at offset (\d+) \(length (\d+)\) lies outside the signature", |c| {
                format!("Ein Blob der Codesignatur bei Offset {} (Länge {} Byte) liegt außerhalb der Signatur", cap(c, 1), n(c, 2))
            }),
            p(r"entitlements blob: (.*)", |c| format!("Entitlements-Blob: {}", part(cap(c, 1)))),
            p(r"DER entitlements nest deeper than (\d+) levels", |c| {
                format!("Die DER-Entitlements sind tiefer verschachtelt als {} Ebenen", n(c, 1))
            }),
            p(r"DER entitlements: (.*)", |c| format!("DER-Entitlements: {}", part(cap(c, 1)))),
            p(r"code directory truncated \((\d+) bytes, the header alone has 44\)", |c| {
                format!("Das Code Directory ist abgeschnitten ({} Byte; allein sein Header hat 44)", n(c, 1))
            }),
            p(r"code directory (.*) at offset (\d+) is not a terminated string inside the blob", |c| {
                format!("Das Feld {} des Code Directory bei Offset {} ist keine abgeschlossene Zeichenkette innerhalb des Blobs", cap(c, 1), cap(c, 2))
            }),
            // Mach-O (`MachoError` and what its reader left out).
            p(r"not a Mach-O file: only (\d+) bytes", |c| {
                format!("Keine Mach-O-Datei: nur {} Byte", n(c, 1))
            }),
            p(r"not a Mach-O file: magic (0x[0-9a-f]+)", |c| {
                format!("Keine Mach-O-Datei: Kennung (Magic) {}", cap(c, 1))
            }),
            p(r"fat Mach-O lists (\d+) architectures \(expected 1\.\.=(\d+)\)", |c| {
                format!("Die Fat-Mach-O-Datei verzeichnet {} Architekturen (erwartet: 1 bis {})", n(c, 1), n(c, 2))
            }),
            p(r"fat Mach-O slice (\d+) \(offset (\d+), size (\d+)\) lies outside the (\d+)-byte file", |c| {
                format!(
                    "Slice {} der Fat-Mach-O-Datei (Offset {}, Größe {} Byte) liegt außerhalb der Datei ({} Byte)",
                    cap(c, 1), cap(c, 2), n(c, 3), n(c, 4)
                )
            }),
            p(r"malformed Mach-O((?: \([a-z ]+ \d+\))?): (.*)", |c| {
                format!("Fehlerhafte Mach-O-Datei{}: {}", slice(cap(c, 1)), quoted(cap(c, 2)))
            }),
            p(r"Mach-O: (\d+) Objective-C class names kept, the rest not read", |c| {
                format!("Mach-O: {} Objective-C-Klassennamen übernommen, die übrigen nicht gelesen", n(c, 1))
            }),
            p(r"Mach-O((?: \(slice \d+\))?): unreadable dylib name at load command offset (\d+)", |c| {
                format!("Mach-O{}: nicht lesbarer Dylib-Name beim Load Command an Offset {}", slice(cap(c, 1)), cap(c, 2))
            }),
            p(r"Mach-O((?: \(slice \d+\))?): symbol table cut short", |c| {
                format!("Mach-O{}: Die Symboltabelle ist abgeschnitten", slice(cap(c, 1)))
            }),
            p(r"Mach-O: more than (\d+) symbols, rest not read", |c| {
                format!("Mach-O: mehr als {} Symbole, die übrigen nicht gelesen", n(c, 1))
            }),
            p(r"Mach-O: more than (\d+) imported symbols, rest not read", |c| {
                format!("Mach-O: mehr als {} importierte Symbole, die übrigen nicht gelesen", n(c, 1))
            }),
            p(r"Mach-O((?: \(slice \d+\))?): bind opcodes: (.*)", |c| {
                format!("Mach-O{}: Bind-Opcodes: {}", slice(cap(c, 1)), quoted(cap(c, 2)))
            }),
            p(r"Mach-O((?: \(slice \d+\))?): __objc_selrefs lies outside the file", |c| {
                format!("Mach-O{}: __objc_selrefs liegt außerhalb der Datei", slice(cap(c, 1)))
            }),
            p(r"Mach-O: more than (\d+) selector references, rest not read", |c| {
                format!("Mach-O: mehr als {} Selektorverweise, die übrigen nicht gelesen", n(c, 1))
            }),
            // Property lists (`PlistError`) and provisioning profiles
            // (`ProfileError`).
            p(r"empty property list \(0 bytes\)", |_| "Leere Property-Liste (0 Byte)".into()),
            p(r"property list is (\d+) bytes, more than the limit of (\d+) bytes", |c| {
                format!("Die Property-Liste ist {} Byte groß, mehr als die Grenze von {} Byte", n(c, 1), n(c, 2))
            }),
            p(r"property list nests deeper than the limit of (\d+) levels", |c| {
                format!("Die Property-Liste ist tiefer verschachtelt als die Grenze von {} Ebenen", n(c, 1))
            }),
            p(r"property list decodes to more than the budget of (\d+) bytes \(--max-plist-decoded; a value referenced many times counts each time: reference amplification\); refused", |c| {
                format!(
                    "Die Property-Liste ergibt dekodiert mehr als das Budget von {} Byte (--max-plist-decoded; ein mehrfach referenzierter Wert zählt jedes Mal: Referenzverstärkung); abgelehnt",
                    n(c, 1)
                )
            }),
            p(r"the app's property lists together decode to more than (\d+) bytes \(twice --max-plist-decoded: the most one app may hold at once, so that a scan's memory does not grow with its threads\); refused", |c| {
                format!(
                    "Die Property-Listen der App ergeben dekodiert zusammen mehr als {} Byte (das Doppelte von --max-plist-decoded: das Höchstmaß, das eine App auf einmal belegen darf, damit der Speicherbedarf eines Laufs nicht mit seinen Threads wächst); abgelehnt",
                    n(c, 1)
                )
            }),
            p(r"not a valid property list: (.*)", |c| {
                let what = cap(c, 1);
                let de = super::wording_de::plist::german(what).unwrap_or_else(|| quoted(what));
                format!("Keine gültige Property-Liste: {de}")
            }),
            p(r"property list top level is a (\w+), expected a dictionary", |c| {
                format!(
                    "Die oberste Ebene der Property-Liste hat den Typ {}, erwartet wird eine Schlüssel-Wert-Tabelle",
                    plist_type(cap(c, 1))
                )
            }),
            p(r"empty provisioning profile \(0 bytes\)", |_| "Leeres Provisioning-Profil (0 Byte)".into()),
            p(r"no property list inside the provisioning profile \(CMS: (.*)\)", |c| {
                format!("Das Provisioning-Profil enthält keine Property-Liste (CMS: {})", quoted(cap(c, 1)))
            }),
            p(r"provisioning profile plist: (.*)", |c| {
                format!("Property-Liste des Provisioning-Profils: {}", part(cap(c, 1)))
            }),
        ]
    })
}

/// The details inside a reader's error (a damaged zip archive, a binary
/// XML or resource table chunk, a string pool, DER entitlements, a BER
/// structure, the signer list of the APK Signing Block), each matching a
/// whole text; they start in lower case, after a colon or parenthesis.
fn details() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let p = rule;
        vec![
            // Damaged zip archives (`ArchiveError::Malformed`).
            p(r"the end of the file cannot be read", |_| "das Ende der Datei ist nicht lesbar".into()),
            p(r"no end-of-central-directory record in the last 64 KiB", |_| {
                "kein EOCD-Eintrag (Ende des zentralen Verzeichnisses) in den letzten 64 KiB".into()
            }),
            p(r"the end-of-central-directory record at offset (\d+) does not end the file \(Android refuses such a file\)", |c| {
                format!("der Endeintrag des zentralen Verzeichnisses bei Offset {} steht nicht am Dateiende (Android lehnt eine solche Datei ab)", cap(c, 1))
            }),
            p(r"the end record refers to a Zip64 record that is missing or misplaced", |_| {
                "der Endeintrag verweist auf einen Zip64-Eintrag, der fehlt oder an falscher Stelle steht".into()
            }),
            p(r"the central directory lies outside the file", |_| "das zentrale Verzeichnis liegt außerhalb der Datei".into()),
            p(r"the central directory ends after (\d+) of (\d+) entries", |c| {
                format!("das zentrale Verzeichnis endet nach {} von {} Einträgen", n(c, 1), n(c, 2))
            }),
            p(r"central directory record (\d+) has no signature", |c| {
                format!("Eintrag {} des zentralen Verzeichnisses hat keine Signatur", cap(c, 1))
            }),
            p(r"entry name (\d+) runs past the central directory", |c| {
                format!("der Name von Eintrag {} reicht über das zentrale Verzeichnis hinaus", cap(c, 1))
            }),
            p(r"extra field of entry (\d+) runs past the central directory", |c| {
                format!("das Zusatzfeld von Eintrag {} reicht über das zentrale Verzeichnis hinaus", cap(c, 1))
            }),
            p(r"entry (\d+) lacks its Zip64 extra field", |c| {
                format!("bei Eintrag {} fehlt das Zip64-Zusatzfeld", cap(c, 1))
            }),
            p(r"entry '(.*)' starts at offset (\d+), inside or after the central directory", |c| {
                format!("Eintrag '{}' beginnt bei Offset {}, im oder hinter dem zentralen Verzeichnis", cap(c, 1), cap(c, 2))
            }),
            p(r"entry '(.*)' runs past the central directory", |c| {
                format!("Eintrag '{}' reicht über das zentrale Verzeichnis hinaus", cap(c, 1))
            }),
            p(r"entry '(.*)' lies past the end", |c| {
                format!("Eintrag '{}' liegt hinter dem Dateiende", cap(c, 1))
            }),
            p(r"entry '(.*)': local header runs into the central directory", |c| {
                format!("Eintrag '{}': Der lokale Header reicht in das zentrale Verzeichnis hinein", cap(c, 1))
            }),
            p(r"entry '(.*)': no local header at offset (\d+)", |c| {
                format!("Eintrag '{}': kein lokaler Header bei Offset {}", cap(c, 1), cap(c, 2))
            }),
            p(r"entry '(.*)': local Zip64 sizes are missing or incomplete", |c| {
                format!("Eintrag '{}': Die lokalen Zip64-Größen fehlen oder sind unvollständig", cap(c, 1))
            }),
            p(r"entry '(.*)': data runs into the central directory", |c| {
                format!("Eintrag '{}': Die Daten reichen in das zentrale Verzeichnis hinein", cap(c, 1))
            }),
            // Binary XML and resource table chunks.
            p(r"header size (\d+) or total size (\d+) larger than the data \((\d+) bytes\)", |c| {
                format!("Header-Größe {} oder Gesamtgröße {} ist größer als die Daten ({} Byte)", n(c, 1), n(c, 2), n(c, 3))
            }),
            p(r"header size (\d+) smaller than 8", |c| format!("Header-Größe {} ist kleiner als 8", n(c, 1))),
            p(r"only (\d+) bytes", |c| format!("nur {} Byte", n(c, 1))),
            p(r"chunk type (0x[0-9a-f]+), not a table", |c| format!("Chunk-Typ {}, keine Tabelle", cap(c, 1))),
            p(r"package header truncated", |_| "der Paket-Header ist abgeschnitten".into()),
            p(r"package string pool offset (\d+) outside the package", |c| {
                format!("der Offset {} eines Zeichenketten-Pools liegt außerhalb des Pakets", cap(c, 1))
            }),
            p(r"chunk (0x[0-9a-f]+) at offset (\d+): header size (\d+) is smaller than (\d+)", |c| {
                format!("Chunk {} bei Offset {}: Die Header-Größe {} ist kleiner als {}", cap(c, 1), cap(c, 2), n(c, 3), n(c, 4))
            }),
            p(r"chunk (0x[0-9a-f]+) at offset (\d+): header size (\d+) is larger than the chunk size (\d+)", |c| {
                format!("Chunk {} bei Offset {}: Die Header-Größe {} ist größer als die Chunk-Größe {}", cap(c, 1), cap(c, 2), n(c, 3), n(c, 4))
            }),
            p(r"chunk (0x[0-9a-f]+) at offset (\d+): sizes (\d+)/(\d+) are not multiples of 4", |c| {
                format!("Chunk {} bei Offset {}: Die Größen {}/{} sind keine Vielfachen von 4", cap(c, 1), cap(c, 2), n(c, 3), n(c, 4))
            }),
            p(r"chunk (0x[0-9a-f]+) at offset (\d+): size (\d+) runs past the end \((\d+) bytes left\)", |c| {
                format!("Chunk {} bei Offset {}: Die Größe {} reicht über das Ende hinaus (nur noch {} Byte)", cap(c, 1), cap(c, 2), n(c, 3), n(c, 4))
            }),
            p(r"node (0x[0-9a-f]+) at offset (\d+) has (\d+) bytes of data, needs (\d+)", |c| {
                format!("Knoten {} bei Offset {} hat {} Byte Daten, braucht aber {}", cap(c, 1), cap(c, 2), n(c, 3), n(c, 4))
            }),
            p(r"start element at offset (\d+): header size (\d+), size (\d+)", |c| {
                format!("Startelement bei Offset {}: Header-Größe {}, Größe {} (zu klein für die Attributangaben)", cap(c, 1), n(c, 2), n(c, 3))
            }),
            p(r"start element at offset (\d+): (\d+) attributes of (\d+) bytes from (\d+) do not fit in (\d+) bytes", |c| {
                format!(
                    "Startelement bei Offset {}: {} zu je {} Byte ab {} passen nicht in {} Byte",
                    cap(c, 1), counted(c, 2, "Attribut", "Attribute"), n(c, 3), cap(c, 4), n(c, 5)
                )
            }),
            // String pools.
            p(r"string pool header truncated", |_| "der Header des Zeichenketten-Pools ist abgeschnitten".into()),
            p(r"string pool truncated", |_| "der Zeichenketten-Pool ist abgeschnitten".into()),
            p(r"string pool has (\d+) strings, more than the limit of (\d+)", |c| {
                format!("der Zeichenketten-Pool hat {} Zeichenketten, mehr als die Grenze von {}", n(c, 1), n(c, 2))
            }),
            p(r"string pool index overflows", |_| "der Index des Zeichenketten-Pools läuft über".into()),
            p(r"string pool index of (\d+) strings and (\d+) styles does not fit in (\d+) bytes", |c| {
                format!("der Index für {} Zeichenketten und {} Stile passt nicht in {} Byte", n(c, 1), n(c, 2), n(c, 3))
            }),
            p(r"string data offset (\d+) lies outside the pool \((\d+) bytes\)", |c| {
                format!("der Offset {} der Zeichenkettendaten liegt außerhalb des Pools ({} Byte)", cap(c, 1), n(c, 2))
            }),
            // DER entitlements.
            p(r"starts with tag (\d+), expected \[APPLICATION 16\]", |c| {
                format!("beginnt mit Tag {}, erwartet wird [APPLICATION 16]", cap(c, 1))
            }),
            p(r"version (\d+), expected 1", |c| format!("Version {}, erwartet wird 1", cap(c, 1))),
            p(r"expected one \[CONTEXT 16\] dictionary after the version", |_| {
                "nach der Version wird genau eine Schlüssel-Wert-Tabelle [CONTEXT 16] erwartet".into()
            }),
            p(r"a string is not UTF-8", |_| "eine Zeichenkette ist kein gültiges UTF-8".into()),
            p(r"a BOOLEAN is not one byte long", |_| "ein BOOLEAN ist nicht genau ein Byte lang".into()),
            p(r"a dictionary entry has tag (\d+), expected SEQUENCE", |c| {
                format!("ein Eintrag der Schlüssel-Wert-Tabelle hat Tag {}, erwartet wird SEQUENCE", cap(c, 1))
            }),
            p(r"a dictionary key is not a UTF8String", |_| "ein Schlüssel ist kein UTF8String".into()),
            p(r#"dictionary entry (".*") has more than a key and a value"#, |c| {
                format!("der Eintrag {} enthält mehr als Schlüssel und Wert", cap(c, 1))
            }),
            p(r"value with tag (\d+), which entitlements do not use", |c| {
                format!("ein Wert mit Tag {}, den Entitlements nicht verwenden", cap(c, 1))
            }),
            // BER (`BerError`), the fallback reader of v1 signature blocks.
            p(r"truncated BER element", |_| "abgeschnittenes BER-Element".into()),
            p(r"unsupported BER length", |_| "nicht unterstützte BER-Längenangabe".into()),
            p(r"BER nesting deeper than (\d+)", |c| format!("BER-Verschachtelung tiefer als {} Ebenen", n(c, 1))),
            p(r"more than (\d+) BER elements in one container", |c| {
                format!("mehr als {} BER-Elemente in einem Container", n(c, 1))
            }),
            p(r"unexpected BER structure: (.*)", |c| {
                let what = match cap(c, 1) {
                    "ContentInfo is not a SEQUENCE" => "ContentInfo ist keine SEQUENCE".to_string(),
                    "SignedData is not a SEQUENCE" => "SignedData ist keine SEQUENCE".to_string(),
                    "SignerInfo without sid" => "SignerInfo ohne sid".to_string(),
                    "content type is not signedData" => "der Inhaltstyp ist nicht signedData".to_string(),
                    "malformed IssuerAndSerialNumber" => "fehlerhafte IssuerAndSerialNumber".to_string(),
                    "no [0] content" => "kein Inhalt [0]".to_string(),
                    "no signerInfos SET" => "kein SET signerInfos".to_string(),
                    "unknown SignerIdentifier" => "unbekannter SignerIdentifier".to_string(),
                    other => quoted(other),
                };
                format!("unerwartete BER-Struktur: {what}")
            }),
            // The signer list of a v2/v3 scheme in the APK Signing Block.
            p(r"signer list is truncated", |_| "die Liste der Unterzeichner ist abgeschnitten".into()),
            p(r"signer list is malformed", |_| "die Liste der Unterzeichner ist fehlerhaft".into()),
            p(r"no signers", |_| "keine Unterzeichner".into()),
            p(r"signer #(\d+): (signed data is truncated|digests are truncated|certificates are truncated|certificate list is malformed|no certificates)", |c| {
                let what = match cap(c, 2) {
                    "signed data is truncated" => "Die signierten Daten sind abgeschnitten",
                    "digests are truncated" => "Die Digests sind abgeschnitten",
                    "certificates are truncated" => "Die Zertifikate sind abgeschnitten",
                    "certificate list is malformed" => "Die Zertifikatsliste ist fehlerhaft",
                    _ => "keine Zertifikate",
                };
                format!("Unterzeichner Nr. {}: {what}", cap(c, 1))
            }),
        ]
    })
}
