use super::*;
use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

fn zip_of(files: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in files {
        w.start_file(
            *name,
            SimpleFileOptions::default().compression_method(*method),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Rewrites the compression method of every entry (local and central headers).
fn set_method(bytes: &mut [u8], method: u16) {
    let mut i = 0;
    while i + 10 < bytes.len() {
        let at = match &bytes[i..i + 4] {
            b"PK\x03\x04" => Some(i + 8),
            b"PK\x01\x02" => Some(i + 10),
            _ => None,
        };
        if let Some(at) = at {
            bytes[at..at + 2].copy_from_slice(&method.to_le_bytes());
        }
        i += 1;
    }
}

#[test]
fn unknown_method_is_inflated_as_deflate_like_android() {
    let text = b"certificate bytes ".repeat(50);
    let mut bytes = zip_of(&[("META-INF/CERT.RSA", &text, CompressionMethod::Deflated)]);
    set_method(&mut bytes, 21);
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    assert_eq!(&*archive.read("META-INF/CERT.RSA").unwrap(), &text[..]);
    assert_eq!(archive.inflated_total(), text.len() as u64);
}

#[test]
fn unknown_method_with_corrupt_data_fails_on_crc() {
    let text = b"abcdefgh".repeat(40);
    let mut bytes = zip_of(&[("a", &text, CompressionMethod::Stored)]);
    // STORED bytes are not a valid DEFLATE stream, or decode to other bytes.
    set_method(&mut bytes, 99);
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    let err = archive.read("a").unwrap_err();
    assert!(
        matches!(err, ArchiveError::Crc { .. } | ArchiveError::Inflate { .. }),
        "{err}"
    );
}

#[test]
fn unknown_method_respects_entry_limit() {
    let text = vec![b'z'; 100_000];
    let mut bytes = zip_of(&[("big", &text, CompressionMethod::Deflated)]);
    set_method(&mut bytes, 21);
    let limits = Limits {
        max_entry_size: 1000,
        ..Limits::default()
    };
    // The central directory declares 100 000 bytes: refused before inflating.
    let archive = Archive::new(&bytes, limits).unwrap();
    assert!(matches!(
        archive.read("big"),
        Err(ArchiveError::EntryTooLarge { limit: 1000, .. })
    ));
}

#[test]
fn overlapping_entries_are_refused() {
    // The first entry's data is declared to run over the second's local header.
    let mut bytes = zip_of(&[
        ("first", b"one", CompressionMethod::Stored),
        ("second", b"two", CompressionMethod::Stored),
    ]);
    let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    let long = 40u32.to_le_bytes();
    for at in [18, 22, cd + 20, cd + 24] {
        bytes[at..at + 4].copy_from_slice(&long);
    }
    let err = Archive::new(&bytes, Limits::default())
        .err()
        .expect("refused");
    assert!(
        matches!(err, ArchiveError::Tampering(Trick::Overlap { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("overlap"), "{err}");
    assert!(err.is_tampering());
}

#[test]
fn well_formed_archive_has_no_overlap() {
    let bytes = zip_of(&[
        ("a", b"", CompressionMethod::Stored),
        ("b/", b"", CompressionMethod::Stored),
        ("c", &[7u8; 5000], CompressionMethod::Deflated),
    ]);
    let archive = Archive::new(&bytes, Limits::default()).unwrap();
    assert_eq!(&*archive.read("c").unwrap(), &[7u8; 5000][..]);
}

#[test]
fn huge_declared_zip64_entry_count_is_refused_before_parsing() {
    // An archive whose Zip64 record claims 2^40 entries.
    let mut b = vec![0u8; 100];
    let record = 100u64;
    b.extend_from_slice(b"PK\x06\x06");
    b.extend_from_slice(&44u64.to_le_bytes()); // size of the rest of the record
    b.extend_from_slice(&45u16.to_le_bytes());
    b.extend_from_slice(&45u16.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&(1u64 << 40).to_le_bytes()); // entries on this disk
    b.extend_from_slice(&(1u64 << 40).to_le_bytes()); // entries in total
    b.extend_from_slice(&46u64.to_le_bytes()); // directory size
    b.extend_from_slice(&0u64.to_le_bytes()); // directory offset
    let locator = b.len();
    b.extend_from_slice(b"PK\x06\x07");
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&record.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    assert_eq!(b.len(), locator + 20);
    b.extend_from_slice(b"PK\x05\x06");
    b.extend_from_slice(&[0u8; 4]);
    b.extend_from_slice(&[0xff; 4]); // entry counts: see Zip64
    b.extend_from_slice(&[0xff; 8]); // directory size and offset: see Zip64
    b.extend_from_slice(&[0u8; 2]);
    let err = Archive::new(&b, Limits::default()).err().expect("refused");
    assert!(
        matches!(err, ArchiveError::TooManyEntries { limit: 100_000, .. }),
        "{err}"
    );
}

#[test]
fn too_many_entries_is_an_error_naming_the_limit() {
    let bytes = zip_of(&[
        ("a", b"1", CompressionMethod::Stored),
        ("b", b"2", CompressionMethod::Stored),
    ]);
    let limits = Limits {
        max_entries: 1,
        ..Limits::default()
    };
    let err = Archive::new(&bytes, limits).err().expect("refused");
    assert!(err.to_string().contains("limit of 1"), "{err}");
}

#[test]
fn lying_declared_size_is_capped_while_inflating() {
    // A 2 MiB run of zeros (ratio ~1000:1) whose central directory claims 10 bytes.
    let data = vec![0u8; 2 << 20];
    let mut bytes = zip_of(&[("bomb", &data, CompressionMethod::Deflated)]);
    let cd = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[cd + 24..cd + 28].copy_from_slice(&10u32.to_le_bytes());
    bytes[22..26].copy_from_slice(&10u32.to_le_bytes()); // the local header's copy
    let limits = Limits {
        max_entry_size: 1 << 20,
        ..Limits::default()
    };
    let archive = Archive::new(&bytes, limits).unwrap();
    let err = archive.read("bomb").unwrap_err();
    assert!(
        matches!(
            err,
            ArchiveError::EntryTooLarge { .. } | ArchiveError::Inflate { .. }
        ),
        "{err}"
    );
}

/// Offsets of every `sig` in `bytes`.
fn all(bytes: &[u8], sig: &[u8; 4]) -> Vec<usize> {
    bytes
        .windows(4)
        .enumerate()
        .filter(|(_, w)| w == sig)
        .map(|(i, _)| i)
        .collect()
}

/// The archive in a temporary file, opened in place.
fn open_file(
    bytes: &[u8],
    limits: Limits,
) -> (
    tempfile::NamedTempFile,
    Result<Archive<'static>, ArchiveError>,
) {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(bytes).unwrap();
    let file = std::fs::File::open(tmp.path()).unwrap();
    let archive = Archive::open(file, bytes.len() as u64, limits);
    (tmp, archive)
}

/// The refusal of `bytes`, which must be the same read from memory and
/// read in place from a file.
fn open_err(bytes: &[u8]) -> ArchiveError {
    let err = Archive::new(bytes, Limits::default())
        .err()
        .expect("refused");
    let (_tmp, from_file) = open_file(bytes, Limits::default());
    assert_eq!(
        from_file.err().map(|e| e.to_string()),
        Some(err.to_string()),
        "the file is refused differently than its bytes"
    );
    err
}

fn two() -> Vec<u8> {
    zip_of(&[
        ("AndroidManifest.xml", b"real", CompressionMethod::Stored),
        ("AndroidManifesu.xml", b"decoy", CompressionMethod::Stored),
    ])
}

/// [`two`] with its second entry renamed to the first's name.
fn duplicate_manifest() -> Vec<u8> {
    let mut dup = two();
    let cd = all(&dup, b"PK\x01\x02")[1];
    let at = cd + 46 + 14;
    assert_eq!(dup[at], b'u');
    dup[at] = b't';
    // Keep the local header consistent so only the duplicate is the trick.
    let lfh = all(&dup, b"PK\x03\x04")[1];
    dup[lfh + 30 + 14] = b't';
    dup
}

#[test]
fn duplicate_names_are_refused_on_the_raw_directory() {
    let err = open_err(&duplicate_manifest());
    assert_eq!(
        err.trick(),
        Some(&Trick::DuplicateName("AndroidManifest.xml".into()))
    );
    assert!(
        err.message(Lang::De, ReadAs::Android).contains("mehrfach"),
        "{}",
        err.message(Lang::De, ReadAs::Android)
    );
}

#[test]
fn local_name_mismatch_is_refused() {
    let mut b = two();
    let lfh = all(&b, b"PK\x03\x04")[1];
    b[lfh + 30 + 14] = b't';
    let err = open_err(&b);
    assert!(
        matches!(err.trick(), Some(Trick::LocalNameMismatch { .. })),
        "{err}"
    );
}

#[test]
fn end_record_fields_android_ignores_are_refused() {
    let base = two();
    let end = find_end_record(&base).unwrap();
    let mut disk = base.clone();
    disk[end + 4] = 1;
    assert!(matches!(
        open_err(&disk).trick(),
        Some(Trick::EndRecordDiskFields { .. })
    ));
    let mut counts = base.clone();
    counts[end + 8] = 1;
    assert!(matches!(
        open_err(&counts).trick(),
        Some(Trick::EndRecordCounts {
            on_disk: 1,
            total: 2
        })
    ));
    let mut fewer = base.clone();
    fewer[end + 8] = 1;
    fewer[end + 10] = 1;
    assert!(matches!(
        open_err(&fewer).trick(),
        Some(Trick::UncountedEntries { declared: 1 })
    ));
}

#[test]
fn stray_and_second_end_records_are_refused() {
    let base = two();
    let end = find_end_record(&base).unwrap();
    // A signature in the comment: Android stops there and refuses.
    let mut stray = base.clone();
    let comment = b"....PK\x05\x06..........................";
    stray[end + 20..end + 22].copy_from_slice(&(comment.len() as u16).to_le_bytes());
    stray.extend_from_slice(comment);
    assert!(matches!(
        open_err(&stray).trick(),
        Some(Trick::StrayEndSignature { .. })
    ));
    // A complete second end record in the comment.
    let mut second = base.clone();
    second[end + 20..end + 22].copy_from_slice(&22u16.to_le_bytes());
    let mut copy = base[end..end + 22].to_vec();
    copy[20..22].copy_from_slice(&0u16.to_le_bytes());
    second.extend_from_slice(&copy);
    assert!(matches!(
        open_err(&second).trick(),
        Some(Trick::TwoEndRecords { .. })
    ));
}

#[test]
fn prepended_data_is_refused() {
    let mut b = b"MZ-decoy-bytes".to_vec();
    b.extend_from_slice(&two());
    assert_eq!(open_err(&b).trick(), Some(&Trick::PrependedData));
}

#[test]
fn two_central_directories_are_refused() {
    // Directory A (the real one) is where the end record points; a copy B
    // of it sits right before the end record.
    let base = two();
    let end = find_end_record(&base).unwrap();
    let cd = all(&base, b"PK\x01\x02")[0];
    let mut b = base[..end].to_vec();
    b.extend_from_slice(&base[cd..end]);
    b.extend_from_slice(&base[end..]);
    let err = open_err(&b);
    assert_eq!(
        err.trick(),
        Some(&Trick::TwoCentralDirectories {
            android: cd as u64,
            other: end as u64
        }),
        "{err}"
    );
    assert!(err.to_string().contains("Android reads the one at offset"));
}

#[test]
fn lying_data_descriptor_and_local_sizes_are_refused() {
    let base = two();
    let lfh = all(&base, b"PK\x03\x04")[0];
    let mut sizes = base.clone();
    sizes[lfh + 14] ^= 1; // local CRC
    assert!(matches!(
        open_err(&sizes).trick(),
        Some(Trick::LocalHeaderMismatch(_))
    ));
    // Data-descriptor flag set: the bytes after the data become the descriptor.
    let mut dd = base.clone();
    dd[lfh + 6] |= 8;
    assert!(matches!(
        open_err(&dd).trick(),
        Some(Trick::LyingDataDescriptor(_))
    ));
}

#[test]
fn every_trick_has_a_german_text() {
    let tricks = [
        Trick::PrependedData,
        Trick::Zip64Fields,
        Trick::TwoCentralDirectories {
            android: 1,
            other: 2,
        },
        Trick::DuplicateName("a".into()),
    ];
    for t in tricks {
        assert_ne!(
            t.message(Lang::De, ReadAs::Android),
            t.message(Lang::En, ReadAs::Android)
        );
        assert!(!t.id().is_empty());
    }
}

/// Every kind of trick, once.
fn every_trick() -> Vec<Trick> {
    let name = || "Payload/Chat.app/Info.plist".to_string();
    vec![
        Trick::EndRecordDiskFields { end: 9 },
        Trick::EndRecordCounts {
            on_disk: 1,
            total: 2,
        },
        Trick::TwoCentralDirectories {
            android: 1,
            other: 2,
        },
        Trick::PrependedData,
        Trick::StrayEndSignature { stray: 7, real: 3 },
        Trick::TwoEndRecords {
            android: 7,
            other: 3,
        },
        Trick::Zip64Mismatch {
            field: "entries",
            classic: 1,
            zip64: 2,
        },
        Trick::Zip64Fields,
        Trick::UncountedEntries { declared: 1 },
        Trick::DirectoryOverrunsEnd {
            offset: 5,
            size: 80,
            end: 60,
        },
        Trick::DuplicateName(name()),
        Trick::InvalidName(name()),
        Trick::LocalNameMismatch {
            central: name(),
            local: "Payload/Chat.app/Info.plisT".into(),
        },
        Trick::LocalHeaderMismatch(name()),
        Trick::LyingDataDescriptor(name()),
        Trick::StoredSizeMismatch(name()),
        Trick::Overlap {
            first: name(),
            second: "Payload/Chat.app/Chat".into(),
        },
        Trick::ReadersDisagree {
            android: 1,
            other: 2,
        },
    ]
}

/// An Android app's texts say what Android does, as `Display` always has.
#[test]
fn an_android_apps_trick_says_what_android_does() {
    for t in every_trick() {
        assert_eq!(t.message(Lang::En, ReadAs::Android), t.to_string());
        assert_ne!(
            t.message(Lang::De, ReadAs::Android),
            t.message(Lang::En, ReadAs::Android)
        );
    }
    let dup = Trick::DuplicateName("AndroidManifest.xml".into());
    assert_eq!(
        dup.message(Lang::En, ReadAs::Android),
        "entry name \"AndroidManifest.xml\" appears more than once (the \"Master Key\" trick); \
         Android refuses such an APK, other tools read either copy"
    );
    assert_eq!(
        dup.message(Lang::De, ReadAs::Android),
        "der Eintragsname \"AndroidManifest.xml\" kommt mehrfach vor (der „Master Key“-Trick); \
         Android weist eine solche APK zurück, andere Werkzeuge lesen die eine oder die andere Kopie"
    );
}

/// Nothing establishes what iOS's installer does with a trick: an iOS
/// app's text (and that of an archive of no known kind) states the
/// structure and the readers' disagreement, and names Android only as the
/// zip library msgaudit reads like.
#[test]
fn an_ios_apps_trick_names_no_platforms_behaviour() {
    for t in every_trick() {
        for lang in [Lang::En, Lang::De] {
            let unknown = t.message(lang, ReadAs::Unknown);
            let ios = t.message(lang, ReadAs::Ios);
            for text in [&unknown, &ios] {
                let rest = text
                    .replace("msgaudit, like Android's zip library,", "")
                    .replace("msgaudit liest wie Androids Zip-Bibliothek", "");
                assert!(!rest.contains("Android"), "{} {lang:?}: {text}", t.id());
                assert!(!rest.contains("APK"), "{} {lang:?}: {text}", t.id());
                if !matches!(t, Trick::Overlap { .. }) {
                    assert_ne!(text, &t.message(lang, ReadAs::Android), "{}", t.id());
                }
            }
            // Only an iOS app's text speaks of the device that installs it.
            assert!(
                !unknown.contains("device") && !unknown.contains("Gerät"),
                "{unknown}"
            );
            if !matches!(t, Trick::Overlap { .. }) {
                let rest = ios.strip_prefix(unknown.as_str());
                assert!(
                    rest.is_some_and(|r| r.contains("which app the device installs")
                        || r.contains("welche App das Gerät installiert")),
                    "{ios}"
                );
            }
        }
    }
    let lying = Trick::LyingDataDescriptor("Payload/Chat.app/Info.plist".into());
    assert_eq!(
        lying.message(Lang::En, ReadAs::Ios),
        "entry \"Payload/Chat.app/Info.plist\": its data descriptor and the central directory \
         disagree on size or checksum; zip readers read different bytes for it, so the file \
         cannot show which app the device installs"
    );
    assert_eq!(
        lying.message(Lang::De, ReadAs::Ios),
        "Eintrag \"Payload/Chat.app/Info.plist\": Datendeskriptor und zentrales Verzeichnis \
         nennen verschiedene Größen oder Prüfsummen; Zip-Leser lesen dafür verschiedene Bytes, \
         die Datei kann also nicht zeigen, welche App das Gerät installiert"
    );
    let two = Trick::TwoCentralDirectories {
        android: 20480,
        other: 21002,
    };
    assert_eq!(
        two.message(Lang::De, ReadAs::Ios),
        "zwei zentrale Verzeichnisse; msgaudit liest wie Androids Zip-Bibliothek das bei Offset \
         20480, andere Zip-Leser das bei Offset 21002, die Datei kann also nicht zeigen, welche \
         App das Gerät installiert"
    );
}

/// A refused archive's error words its trick for what it was read as; an
/// archive inside it is an APK of a split set, worded for Android.
#[test]
fn archive_errors_word_the_trick_for_what_was_read() {
    let err = open_err(&duplicate_manifest());
    assert_eq!(err.message(Lang::En, ReadAs::Android), err.to_string());
    // The entry is named "AndroidManifest.xml": no "Android" alone is checked.
    for (lang, start, disagree, android) in [
        (
            Lang::En,
            "archive trick: entry name",
            "; zip readers read one copy or the other, so",
            "Android refuses",
        ),
        (
            Lang::De,
            "Archiv-Trick: der Eintragsname",
            "; Zip-Leser lesen die eine oder die andere Kopie, die",
            "Android weist",
        ),
    ] {
        let ios = err.message(lang, ReadAs::Ios);
        assert!(ios.starts_with(start), "{ios}");
        assert!(ios.contains(disagree), "{ios}");
        assert!(!ios.contains(android), "{ios}");
        assert!(err.message(lang, ReadAs::Android).contains(android));
    }
    let nested = ArchiveError::Nested {
        entry: "splits/base.apk".into(),
        source: Box::new(err),
    };
    for read_as in [ReadAs::Android, ReadAs::Unknown] {
        assert!(nested
            .message(Lang::De, read_as)
            .contains("Android weist eine solche APK zurück"));
    }
}

/// `base` with its end record replaced by Zip64 records (the Zip64 record's
/// disk number `zip64_disk`) and a classic record with every field maxed,
/// the disk fields too.
fn as_zip64(base: &[u8], zip64_disk: u32) -> Vec<u8> {
    let end = find_end_record(base).unwrap();
    let count = u64::from(u16::from_le_bytes([base[end + 10], base[end + 11]]));
    let size = u64::from(u32::from_le_bytes(
        base[end + 12..end + 16].try_into().unwrap(),
    ));
    let offset = u64::from(u32::from_le_bytes(
        base[end + 16..end + 20].try_into().unwrap(),
    ));
    let mut b = base[..end].to_vec();
    let record = b.len() as u64;
    b.extend_from_slice(b"PK\x06\x06");
    b.extend_from_slice(&44u64.to_le_bytes());
    b.extend_from_slice(&[45, 0, 45, 0]);
    b.extend_from_slice(&zip64_disk.to_le_bytes());
    b.extend_from_slice(&0u32.to_le_bytes());
    for v in [count, count, size, offset] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(b"PK\x06\x07");
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(&record.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(b"PK\x05\x06");
    b.extend_from_slice(&[0xff; 16]);
    b.extend_from_slice(&[0, 0]);
    b
}

#[test]
fn zip64_end_records_are_read_and_their_disk_fields_checked() {
    let ok = as_zip64(&two(), 0);
    let archive = Archive::new(&ok, Limits::default()).unwrap();
    assert_eq!(&*archive.read("AndroidManifest.xml").unwrap(), b"real");
    assert_eq!(
        open_err(&as_zip64(&two(), 1)).trick(),
        Some(&Trick::Zip64Fields)
    );
}

#[test]
fn mutated_archives_never_panic() {
    // Deterministic byte flips over the whole file, weighted to the
    // directory and end records: every result is a value or an error.
    let base = as_zip64(&two(), 0);
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let mut b = base.clone();
        for _ in 0..1 + next() % 4 {
            let len = b.len() as u64;
            let at = if next() % 2 == 0 {
                len - 1 - next() % 120.min(len)
            } else {
                next() % len
            } as usize;
            b[at] = next() as u8;
        }
        if let Ok(a) = Archive::new(&b, Limits::default()) {
            for i in 0..a.entries().len() {
                let _ = a.read_index(i);
            }
        }
    }
}

#[test]
fn an_apps_central_directory_is_charged_to_its_share_of_working_memory() {
    use super::working::{in_use, run_target};
    // 2,000 entries with 200-byte names: a directory of about 490 KB.
    let names: Vec<String> = (0..2000)
        .map(|i| format!("{i:05}-{}", "x".repeat(194)))
        .collect();
    let files: Vec<(&str, &[u8], CompressionMethod)> = names
        .iter()
        .map(|n| (n.as_str(), &b""[..], CompressionMethod::Stored))
        .collect();
    let bytes = zip_of(&files);
    // A share (and pool) smaller than twice the directory: a limit of this app.
    const SMALL: u64 = 700_001;
    let (r, again) = run_target(SMALL, || {
        Archive::new(&bytes, Limits::default()).map(|_| ())
    });
    assert!(!again);
    match r {
        Err(e @ ArchiveError::DirectoryOverShare { .. }) => {
            assert!(e.to_string().contains("--max-plist-decoded"), "{e}");
            assert!(
                e.message(Lang::De, ReadAs::Android)
                    .contains("Arbeitsspeicher"),
                "{e}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A share that holds it: read, charged while the app is read, given back.
    const LARGE: u64 = 4_000_003;
    let (held, again) = run_target(LARGE, || {
        Archive::new(&bytes, Limits::default()).unwrap();
        in_use(LARGE)
    });
    assert!(!again);
    assert!(held >= 900_000, "{held}");
    assert_eq!(in_use(LARGE), 0);
    // Outside an app's scope nothing is charged.
    Archive::new(&bytes, Limits::default()).unwrap();
}

/// A count of one is in the singular, in both languages and for every kind
/// of archive ("zählt 1 Einträge" read in the report of a crafted APK).
#[test]
fn trick_counts_of_one_are_singular() {
    let one = Trick::EndRecordCounts {
        on_disk: 1,
        total: 2,
    };
    assert_eq!(
        one.message(Lang::De, ReadAs::Android),
        "der Endeintrag zählt 1 Eintrag auf diesem Datenträger, aber 2 insgesamt; Android liest \
         2, andere Werkzeuge womöglich 1"
    );
    assert_eq!(
        one.message(Lang::En, ReadAs::Android),
        "the end record counts 1 entry on this disk but 2 in total; Android reads 2, other \
         tools may read 1"
    );
    let several = Trick::EndRecordCounts {
        on_disk: 3,
        total: 1,
    };
    assert!(several
        .message(Lang::De, ReadAs::Ios)
        .starts_with("der Endeintrag zählt 3 Einträge auf diesem Datenträger, aber 1 insgesamt; msgaudit liest wie Androids Zip-Bibliothek 1 Eintrag, "));
    assert!(several
        .message(Lang::En, ReadAs::Ios)
        .starts_with("the end record counts 3 entries on this disk"));
    let uncounted = |declared| Trick::UncountedEntries { declared };
    assert!(uncounted(1).message(Lang::De, ReadAs::Android).starts_with(
        "das zentrale Verzeichnis enthält mehr Einträge als den einen, den der Endeintrag zählt;"
    ));
    assert!(uncounted(4).message(Lang::De, ReadAs::Ios).starts_with(
        "das zentrale Verzeichnis enthält mehr Einträge als die 4, die der Endeintrag zählt;"
    ));
    assert!(uncounted(1).message(Lang::En, ReadAs::Android).starts_with(
        "the central directory holds more entries than the one the end record counts;"
    ));
    assert!(uncounted(4)
        .message(Lang::En, ReadAs::Unknown)
        .starts_with("the central directory holds more entries than the 4 the end record counts;"));
}
