//! Every reason an unread entry can carry has German words: one value of
//! every variant of every error type that becomes a reason (each listed in
//! an exhaustive `match`, so a new variant does not compile until it is
//! listed here), the free-form details the readers put into them, and the
//! reasons the extractors word themselves.

use crate::archive::ArchiveError;
use crate::extract::android::arsc::ArscError;
use crate::extract::android::axml::AxmlError;
use crate::extract::android::dex::DexError;
use crate::extract::android::manifest::ManifestError;
use crate::extract::android::signing::ber::BerError;
use crate::extract::android::AndroidError;
use crate::extract::ios::code_directory::CodeDirectoryError;
use crate::extract::ios::codesign::CodeSignError;
use crate::extract::ios::der_entitlements::DerEntitlementsError;
use crate::extract::ios::macho::MachoError;
use crate::extract::ios::plist::PlistError;
use crate::extract::ios::provision::ProfileError;
use crate::lang::wording_de::known;

/// English words that give away an untranslated text (compared with each
/// whole word outside quotes, identifiers and options).
const ENGLISH: &[&str] = &[
    "the",
    "is",
    "not",
    "of",
    "file",
    "entries",
    "entry",
    "bytes",
    "byte",
    "past",
    "end",
    "and",
    "than",
    "limit",
    "expected",
    "truncated",
    "missing",
    "outside",
    "cannot",
    "lies",
    "runs",
    "are",
    "with",
    "without",
    "only",
    "more",
    "stops",
    "early",
    "bad",
    "read",
    "has",
    "does",
    "refused",
    "corrupt",
    "invalid",
    "damaged",
    "unsupported",
    "malformed",
    "unexpected",
    "unreadable",
    "strings",
    "items",
    "table",
    "no",
    "none",
    "while",
    "signature",
    "code",
    "data",
    "rest",
    "at",
    "to",
    "a",
    "or",
    "by",
];

/// The English words of `de` outside „…“ and '…' quotes, `<…>` elements,
/// options (`--…`) and hexadecimal values.
fn english_words(de: &str) -> Vec<String> {
    let mut plain = String::new();
    let mut closing = None;
    for ch in de.chars() {
        match closing {
            Some(end) if ch == end => closing = None,
            Some(_) => {}
            None => match ch {
                '„' => closing = Some('“'),
                '\'' => closing = Some('\''),
                '<' => closing = Some('>'),
                _ => plain.push(ch),
            },
        }
    }
    plain
        .split_whitespace()
        .filter(|w| !w.starts_with("--") && !w.starts_with("0x"))
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| ENGLISH.contains(w))
        .map(str::to_string)
        .collect()
}

/// What is wrong with the German of `reason`: none, no German words, English
/// outside quotes, or (unless `quotes`: a third-party text in it) a part that
/// is only quoted.
fn problem(reason: &str, quotes: bool) -> Option<String> {
    let Some(de) = known(reason) else {
        return Some(format!("no German for the unread reason {reason:?}"));
    };
    let english = english_words(&de);
    if !english.is_empty() {
        return Some(format!(
            "English words {english:?} in the German of {reason:?}: {de:?}"
        ));
    }
    (!quotes && de.contains('„'))
        .then(|| format!("part of {reason:?} is only quoted in German: {de:?}"))
}

/// Collects what is wrong with the German of reasons, to report all at once.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, reason: &str, quotes: bool) {
        self.0.extend(problem(reason, quotes));
    }
}

fn dex_errors() -> Vec<DexError> {
    let all = vec![
        DexError::TooShort(40),
        DexError::BadMagic(*b"dey\n035\0"),
        DexError::BadEndianTag(0x7856_3412),
        DexError::TableOutOfBounds {
            table: "method_ids",
            count: 1200,
            offset: 112,
            len: 4096,
        },
        DexError::TooManyStrings {
            count: 63,
            limit: 60,
        },
    ];
    for e in &all {
        match e {
            DexError::TooShort(_)
            | DexError::BadMagic(_)
            | DexError::BadEndianTag(_)
            | DexError::TableOutOfBounds { .. }
            | DexError::TooManyStrings { .. } => {}
        }
    }
    all
}

/// The details of damaged archives (`ArchiveError::Malformed`).
const ARCHIVE_DETAILS: &[&str] = &[
    "the end of the file cannot be read",
    "no end-of-central-directory record in the last 64 KiB",
    "the end-of-central-directory record at offset 2000 does not end the file (Android refuses such a file)",
    "the end record refers to a Zip64 record that is missing or misplaced",
    "the central directory lies outside the file",
    "the central directory ends after 3 of 1500 entries",
    "central directory record 4 has no signature",
    "entry name 4 runs past the central directory",
    "extra field of entry 4 runs past the central directory",
    "entry 4 lacks its Zip64 extra field",
    "entry 'classes.dex' starts at offset 9000, inside or after the central directory",
    "entry 'classes.dex' runs past the central directory",
    "entry 'classes.dex' lies past the end",
    "entry 'classes.dex': local header runs into the central directory",
    "entry 'classes.dex': no local header at offset 12",
    "entry 'classes.dex': local Zip64 sizes are missing or incomplete",
    "entry 'classes.dex': data runs into the central directory",
];

/// Archive errors, and whether their German may quote a third-party text.
fn archive_errors() -> Vec<(ArchiveError, bool)> {
    let name = || "lib/arm64-v8a/libchat.so".to_string();
    let mut all = vec![
        (
            ArchiveError::TooManyEntries {
                count: 70_000,
                limit: 65_535,
            },
            false,
        ),
        (ArchiveError::Missing(name()), false),
        (
            ArchiveError::EntryTooLarge {
                name: name(),
                limit: 268_435_456,
            },
            false,
        ),
        (
            ArchiveError::RatioTooHigh {
                name: name(),
                limit: 1000,
            },
            false,
        ),
        (ArchiveError::TotalTooLarge { limit: 1 << 30 }, false),
        (
            ArchiveError::Crc {
                name: name(),
                expected: 0xdead_beef,
                actual: 0x0bad_f00d,
            },
            false,
        ),
        (
            ArchiveError::DirectoryTooLarge {
                size: 70_000_000,
                limit: 67_108_864,
            },
            false,
        ),
        (
            ArchiveError::DirectoryOverShare {
                size: 9_000_000,
                limit: 8_388_608,
            },
            false,
        ),
        (ArchiveError::Retry, false),
        (
            ArchiveError::InFlight {
                name: name(),
                limit: 1 << 28,
            },
            false,
        ),
        (
            ArchiveError::Inflate {
                name: name(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "corrupt deflate stream",
                ),
            },
            true,
        ),
        (
            ArchiveError::Nested {
                entry: "splits/config.arm64_v8a.apk".into(),
                source: Box::new(ArchiveError::Missing(name())),
            },
            false,
        ),
    ];
    all.extend(
        ARCHIVE_DETAILS
            .iter()
            .map(|d| (ArchiveError::Malformed((*d).to_string()), false)),
    );
    for (e, _) in &all {
        match e {
            // Tricks are found when an archive is opened, which refuses the
            // whole target (a German text of their own: `ArchiveError::message`):
            // they never become an unread entry's reason.
            ArchiveError::Tampering(_)
            | ArchiveError::Malformed(_)
            | ArchiveError::Nested { .. }
            | ArchiveError::TooManyEntries { .. }
            | ArchiveError::Missing(_)
            | ArchiveError::EntryTooLarge { .. }
            | ArchiveError::RatioTooHigh { .. }
            | ArchiveError::TotalTooLarge { .. }
            | ArchiveError::Crc { .. }
            | ArchiveError::DirectoryTooLarge { .. }
            | ArchiveError::DirectoryOverShare { .. }
            | ArchiveError::Retry
            | ArchiveError::InFlight { .. }
            | ArchiveError::Inflate { .. } => {}
        }
    }
    all
}

/// What chunk and node checks of binary XML and resource tables say.
const CHUNK_DETAILS: &[&str] = &[
    "chunk 0x0003 at offset 0: header size 4 is smaller than 8",
    "chunk 0x0001 at offset 8: header size 40 is larger than the chunk size 28",
    "chunk 0x0102 at offset 1024: sizes 18/1030 are not multiples of 4",
    "chunk 0x0102 at offset 1024: size 4096 runs past the end (1200 bytes left)",
    "start element at offset 640: header size 16, size 20",
    "start element at offset 640: 3 attributes of 20 bytes from 20 do not fit in 60 bytes",
    "header size 16 or total size 9000 larger than the data (4096 bytes)",
    "header size 4 smaller than 8",
];

/// What string pool checks say.
const POOL_DETAILS: &[&str] = &[
    "string pool header truncated",
    "string pool truncated",
    "string pool has 70000 strings, more than the limit of 65536",
    "string pool index overflows",
    "string pool index of 12 strings and 1 styles does not fit in 40 bytes",
    "string data offset 400 lies outside the pool (380 bytes)",
    "chunk 0x0001 at offset 0: header size 20 is smaller than 28",
];

fn axml_errors() -> Vec<AxmlError> {
    let mut all = vec![
        AxmlError::Truncated(6),
        AxmlError::NoRoot,
        AxmlError::TooLarge(16 << 20),
        AxmlError::TooDeep(64),
    ];
    all.extend(CHUNK_DETAILS.iter().flat_map(|d| {
        [
            AxmlError::BadHeader((*d).into()),
            AxmlError::BadChunk((*d).into()),
        ]
    }));
    all.extend(
        POOL_DETAILS
            .iter()
            .map(|d| AxmlError::StringPool((*d).into())),
    );
    for e in &all {
        match e {
            AxmlError::Truncated(_)
            | AxmlError::BadHeader(_)
            | AxmlError::BadChunk(_)
            | AxmlError::StringPool(_)
            | AxmlError::NoRoot
            | AxmlError::TooLarge(_)
            | AxmlError::TooDeep(_) => {}
        }
    }
    all
}

fn arsc_errors() -> Vec<ArscError> {
    let mut all = vec![
        ArscError::BadHeader("only 6 bytes".into()),
        ArscError::BadHeader("chunk type 0x0003, not a table".into()),
        ArscError::BadChunk("package header truncated".into()),
        ArscError::BadChunk("package string pool offset 9000 outside the package".into()),
    ];
    all.extend(
        CHUNK_DETAILS
            .iter()
            .map(|d| ArscError::BadChunk((*d).into())),
    );
    all.extend(
        POOL_DETAILS
            .iter()
            .map(|d| ArscError::StringPool((*d).into())),
    );
    for e in &all {
        match e {
            ArscError::BadHeader(_) | ArscError::BadChunk(_) | ArscError::StringPool(_) => {}
        }
    }
    all
}

/// Property list errors, and whether their German may quote a parser's text.
fn plist_errors() -> Vec<(PlistError, bool)> {
    let mut all = vec![
        (PlistError::Empty, false),
        (
            PlistError::TooLarge {
                size: 20_000_000,
                limit: 16_777_216,
            },
            false,
        ),
        (PlistError::TooDeep { limit: 64 }, false),
        (PlistError::OverBudget { limit: 67_108_864 }, false),
        (PlistError::AppOverBudget { limit: 134_217_728 }, false),
        (PlistError::Retry, false),
        (
            PlistError::Syntax("unexpected end of file at byte 12".into()),
            true,
        ),
    ];
    // Every kind of value the reader names (`plist::kind_name`) but a dict.
    all.extend(
        [
            "array", "boolean", "data", "date", "real", "integer", "string", "uid", "unknown",
        ]
        .map(|found| (PlistError::NotADictionary { found }, false)),
    );
    for (e, _) in &all {
        match e {
            PlistError::Empty
            | PlistError::TooLarge { .. }
            | PlistError::TooDeep { .. }
            | PlistError::OverBudget { .. }
            | PlistError::AppOverBudget { .. }
            | PlistError::Retry
            | PlistError::Syntax(_)
            | PlistError::NotADictionary { .. } => {}
        }
    }
    all
}

fn profile_errors() -> Vec<(ProfileError, bool)> {
    let mut all = vec![
        (ProfileError::Empty, false),
        (
            ProfileError::NoPlist {
                cms: "unexpected ASN.1 tag".into(),
            },
            true,
        ),
    ];
    all.extend(
        plist_errors()
            .into_iter()
            .map(|(p, q)| (ProfileError::Plist(p), q)),
    );
    for (e, _) in &all {
        match e {
            ProfileError::Empty | ProfileError::NoPlist { .. } | ProfileError::Plist(_) => {}
        }
    }
    all
}

/// What the DER entitlements reader says of a layout it does not accept.
const DER_LAYOUTS: &[&str] = &[
    "starts with tag 16, expected [APPLICATION 16]",
    "version 2, expected 1",
    "expected one [CONTEXT 16] dictionary after the version",
    "a string is not UTF-8",
    "a BOOLEAN is not one byte long",
    "a dictionary entry has tag 4, expected SEQUENCE",
    "a dictionary key is not a UTF8String",
    "dictionary entry \"com.apple.developer.team-identifier\" has more than a key and a value",
    "value with tag 9, which entitlements do not use",
];

fn codesign_errors() -> Vec<(CodeSignError, bool)> {
    let mut all = vec![
        (CodeSignError::Truncated("header"), false),
        (CodeSignError::Truncated("blob index"), false),
        (CodeSignError::BadMagic(0xfade_0c02), false),
        (CodeSignError::TooManyBlobs(1000), false),
        (
            CodeSignError::OutOfBounds {
                offset: 4000,
                length: 2000,
            },
            false,
        ),
        (
            CodeSignError::DerEntitlements(DerEntitlementsError::Der(
                "ASN.1 DER message is incomplete".into(),
            )),
            true,
        ),
        (
            CodeSignError::DerEntitlements(DerEntitlementsError::TooDeep),
            false,
        ),
        (
            CodeSignError::CodeDirectory(CodeDirectoryError::Truncated(10)),
            false,
        ),
        (
            CodeSignError::CodeDirectory(CodeDirectoryError::BadString {
                what: "identifier",
                offset: 88,
            }),
            false,
        ),
    ];
    all.extend(DER_LAYOUTS.iter().map(|d| {
        (
            CodeSignError::DerEntitlements(DerEntitlementsError::Layout((*d).into())),
            false,
        )
    }));
    all.extend(
        plist_errors()
            .into_iter()
            .map(|(p, q)| (CodeSignError::Entitlements(p), q)),
    );
    for (e, _) in &all {
        match e {
            CodeSignError::Truncated(_)
            | CodeSignError::BadMagic(_)
            | CodeSignError::TooManyBlobs(_)
            | CodeSignError::OutOfBounds { .. }
            | CodeSignError::Entitlements(_)
            | CodeSignError::DerEntitlements(
                DerEntitlementsError::Der(_)
                | DerEntitlementsError::Layout(_)
                | DerEntitlementsError::TooDeep,
            )
            | CodeSignError::CodeDirectory(
                CodeDirectoryError::Truncated(_) | CodeDirectoryError::BadString { .. },
            ) => {}
        }
    }
    all
}

fn macho_errors() -> Vec<(MachoError, bool)> {
    let all = vec![
        (MachoError::TooShort(3), false),
        (MachoError::BadMagic(0xcafe_d00d), false),
        (MachoError::BadSliceCount(0), false),
        (
            MachoError::SliceOutOfBounds {
                index: 1,
                offset: 16384,
                size: 2_000_000,
                len: 1_048_576,
            },
            false,
        ),
        (
            MachoError::Malformed {
                slice: " (slice 1)".into(),
                message: "load command 3 is too small".into(),
            },
            true,
        ),
        (
            MachoError::Malformed {
                slice: " (fat header entry 2)".into(),
                message: "bad arch".into(),
            },
            true,
        ),
    ];
    for (e, _) in &all {
        match e {
            MachoError::TooShort(_)
            | MachoError::BadMagic(_)
            | MachoError::BadSliceCount(_)
            | MachoError::SliceOutOfBounds { .. }
            | MachoError::Malformed { .. } => {}
        }
    }
    all
}

fn ber_errors() -> Vec<BerError> {
    let mut all = vec![
        BerError::Truncated,
        BerError::BadLength,
        BerError::TooDeep,
        BerError::TooMany,
    ];
    all.extend(
        [
            "ContentInfo is not a SEQUENCE",
            "SignedData is not a SEQUENCE",
            "SignerInfo without sid",
            "content type is not signedData",
            "malformed IssuerAndSerialNumber",
            "no [0] content",
            "no signerInfos SET",
            "unknown SignerIdentifier",
        ]
        .map(BerError::Unexpected),
    );
    for e in &all {
        match e {
            BerError::Truncated
            | BerError::BadLength
            | BerError::TooDeep
            | BerError::TooMany
            | BerError::Unexpected(_) => {}
        }
    }
    all
}

/// The manifest of an APK in a split set (`AndroidError`, as `splits.rs`
/// words it with `to_string`).
fn android_errors() -> Vec<AndroidError> {
    let mut all = vec![
        AndroidError::NoBaseApk,
        AndroidError::Archive(ArchiveError::TotalTooLarge { limit: 1 << 30 }),
        AndroidError::Manifest(ManifestError::Missing),
        AndroidError::Manifest(ManifestError::NotManifest("html".into())),
        AndroidError::Manifest(ManifestError::Archive(ArchiveError::Crc {
            name: "AndroidManifest.xml".into(),
            expected: 1,
            actual: 2,
        })),
        AndroidError::SplitWithoutBase {
            split: "config.arm64_v8a".into(),
            package: "com.example".into(),
        },
        AndroidError::SplitOfSeveralBases {
            split: "config.de".into(),
            package: "com.example".into(),
            bases: vec!["eins/base.apk".into(), "zwei/base.apk".into()],
        },
        AndroidError::MemberFile {
            name: "split_config.de.apk".into(),
            source: std::io::Error::from_raw_os_error(2),
        },
    ];
    all.extend(
        axml_errors()
            .into_iter()
            .map(|a| AndroidError::Manifest(ManifestError::Axml(a))),
    );
    for e in &all {
        match e {
            AndroidError::Archive(_)
            | AndroidError::NoBaseApk
            | AndroidError::SplitWithoutBase { .. }
            | AndroidError::SplitOfSeveralBases { .. }
            | AndroidError::MemberFile { .. }
            | AndroidError::Manifest(
                ManifestError::Missing
                | ManifestError::Archive(_)
                | ManifestError::Axml(_)
                | ManifestError::NotManifest(_),
            ) => {}
        }
    }
    all
}

/// The reasons the extractors word themselves (`unread_as` with a text of
/// their own), as they write them, and whether their German may quote a
/// third-party text (a platform's or a parser's message).
fn own_reasons() -> Vec<(String, bool)> {
    let all: Vec<String> = vec![
        // DEX code scan (`dex/apirefs.rs`) and string scan (`dex.rs`).
        "classes2.dex: method_ids table extends past the end of the file; code not read".into(),
        "classes.dex: class data and code items overlap so much that reading stopped after the file size; API references and code patterns are incomplete".into(),
        "classes.dex: 8 class data item(s) and 0 code item(s) run past the end of the file or of their code; API references and code patterns are incomplete".into(),
        "classes.dex: 1 class data item(s) and 1 code item(s) run past the end of the file or of their code; API references and code patterns are incomplete".into(),
        "string data overlaps in long unterminated runs; reading stopped after four times the file size, so strings and class names are incomplete".into(),
        // Binary XML that stops early (`axml.rs` warnings).
        "binary XML stops early: node 0x0102 at offset 300 has 4 bytes of data, needs 20".into(),
        "binary XML stops early: start element at offset 300: header size 16, size 20".into(),
        // The resource table (`manifest.rs`).
        "resolution stopped after examining 100000 type chunks; some references are left unresolved".into(),
        // Android signing (`signing.rs`, `signing/block.rs`).
        "APK Signing Block of 40000000 bytes is larger than the 33554432 bytes read before the central directory (32 MiB); its signatures are not read".into(),
        "APK Signing Block holds more than 64 pairs; the rest is ignored".into(),
        "APK Signing Block pair at offset 4096 has an invalid length; the rest of the block is ignored".into(),
        "v2: signer list is truncated".into(),
        "v2: signer list is malformed".into(),
        "v3: no signers".into(),
        "v3.1: signer #1: signed data is truncated".into(),
        "v2: signer #2: digests are truncated".into(),
        "v2: signer #1: certificates are truncated".into(),
        "v2: signer #1: certificate list is malformed".into(),
        "v2: signer #1: no certificates".into(),
        // iOS signatures (`ios/signing.rs`, `ios/entitlements.rs`).
        "code signature offset 90000 lies outside the file".into(),
        "code signature: none, while the main executable is signed (iOS loads no unsigned code in a signed app: the bundle was changed after signing)".into(),
        "code signature: team id none (ad hoc) differs from the main executable's team id ABCDE12345 (iOS loads only code of the app's own team: the bundle was changed or put together after signing)".into(),
        "code signature: the DER entitlements (enforced by iOS 15 and later) differ from the XML entitlements in aps-environment, get-task-allow".into(),
        // Mach-O parts left unread (`ios/macho.rs`).
        "Mach-O: 20000 Objective-C class names kept, the rest not read".into(),
        "Mach-O (slice 1): unreadable dylib name at load command offset 2048".into(),
        "Mach-O: symbol table cut short".into(),
        "Mach-O (slice 0): symbol table cut short".into(),
        "Mach-O: more than 200000 symbols, rest not read".into(),
        "Mach-O: more than 100000 imported symbols, rest not read".into(),
        "Mach-O: __objc_selrefs lies outside the file".into(),
        "Mach-O: more than 100000 selector references, rest not read".into(),
        // Installs the platform refuses.
        crate::extract::android::code_missing_reason(None),
        crate::extract::android::code_missing_reason(Some(true)),
        crate::extract::ios::info_plist_missing_reason(),
        crate::extract::ios::executable_unnamed_reason(),
        crate::extract::ios::executable_missing_reason("Chat"),
    ];
    let mut all: Vec<(String, bool)> = all
        .into_iter()
        .map(|r| {
            // An install the platform refuses quotes the platform's message.
            let quotes = r.contains('"');
            (r, quotes)
        })
        .collect();
    // v1 signature blocks (`signing.rs`, `signing/v1.rs`): the DER reader's
    // message is quoted, the BER reader's is msgaudit's own.
    for ber in ber_errors() {
        let reason = format!(
            "not a readable PKCS#7 signature block: not a readable PKCS#7 SignedData (DER: unexpected ASN.1 tag; BER: {ber})"
        );
        let de = known(&reason).unwrap_or_default();
        assert_eq!(
            de.matches('„').count(),
            1,
            "only the DER message is quoted: {de}"
        );
        all.push((reason, true));
    }
    all
}

#[test]
fn every_unread_reason_has_german_words() {
    let mut f = Findings::default();
    for e in dex_errors() {
        f.check(&format!("not a readable DEX file: {e}"), false);
    }
    for (e, quotes) in archive_errors() {
        f.check(&e.to_string(), quotes);
        // The resource table's reason adds what is left unresolved.
        f.check(&format!("{e}; references are left unresolved"), quotes);
    }
    for e in axml_errors() {
        f.check(&e.to_string(), false);
    }
    for e in arsc_errors() {
        f.check(&format!("{e}; references are left unresolved"), false);
    }
    for (e, quotes) in plist_errors() {
        f.check(&e.to_string(), quotes);
    }
    for (e, quotes) in profile_errors() {
        f.check(&e.to_string(), quotes);
    }
    for (e, quotes) in codesign_errors() {
        f.check(&format!("code signature: {e}"), quotes);
    }
    for (e, quotes) in macho_errors() {
        f.check(&e.to_string(), quotes);
    }
    for e in android_errors() {
        // A split's name comes from its manifest: quoted as written.
        let quotes = matches!(
            e,
            AndroidError::SplitWithoutBase { .. } | AndroidError::SplitOfSeveralBases { .. }
        );
        f.check(&e.to_string(), quotes);
    }
    for (reason, quotes) in own_reasons() {
        f.check(&reason, quotes);
    }
    // Certificates a library cannot parse: its message is quoted.
    f.check(
        "v1: META-INF/CERT.RSA: unparsable X.509 certificate: Parsing Error: Der(InvalidLength)",
        true,
    );
    f.check(
        "v2: unparsable X.509 certificate: Parsing Error: Der(InvalidLength)",
        true,
    );
    f.check("Mach-O (slice 1): bind opcodes: bad opcode 0x0d", true);
    assert!(f.0.is_empty(), "{}", f.0.join("\n"));
}

#[test]
fn the_reproduced_reasons_read_as_german() {
    assert_eq!(
        known("not a readable DEX file: string table has 63 entries, more than the limit of 60")
            .as_deref(),
        Some("Keine lesbare DEX-Datei: Die Zeichenkettentabelle hat 63 Einträge, mehr als die Grenze von 60")
    );
    assert_eq!(
        known("classes.dex: 8 class data item(s) and 0 code item(s) run past the end of the file or of their code; API references and code patterns are incomplete").as_deref(),
        Some("classes.dex: 8 Klassendaten-Einträge und 0 Code-Einträge reichen über das Ende der Datei oder ihres Codes hinaus; API-Verweise und Code-Muster sind unvollständig")
    );
    // Sizes are grouped as German writes them; offsets are kept.
    assert_eq!(
        known("entry 'classes.dex' inflates to more than 268435456 bytes").as_deref(),
        Some("Der Eintrag 'classes.dex' ist entpackt größer als 268.435.456 Byte")
    );
}

#[test]
fn an_unknown_reason_is_quoted_never_bare() {
    let de = crate::lang::wording_de::text("something the reader never said");
    assert_eq!(de, "„something the reader never said“");
    // A known frame around an unknown detail quotes only the detail.
    assert_eq!(
        known("bad binary XML chunk: something new").as_deref(),
        Some("Ungültiger Chunk im binären XML: „something new“")
    );
}

#[test]
fn the_error_summary_keeps_reasons_that_hold_semicolons_together() {
    let summary = "2 entries that carry facts could not be read: classes.dex (damage): classes.dex: 8 class data item(s) and 0 code item(s) run past the end of the file or of their code; API references and code patterns are incomplete; resources.arsc (limit): resolution stopped after examining 100000 type chunks; some references are left unresolved";
    assert_eq!(
        known(summary).as_deref(),
        Some("2 Einträge mit prüfrelevanten Angaben konnten nicht gelesen werden: classes.dex (beschädigt): classes.dex: 8 Klassendaten-Einträge und 0 Code-Einträge reichen über das Ende der Datei oder ihres Codes hinaus; API-Verweise und Code-Muster sind unvollständig; resources.arsc (Lesegrenze überschritten): Die Auflösung wurde nach 100.000 geprüften Typ-Chunks abgebrochen; einige Verweise bleiben unaufgelöst")
    );
}
