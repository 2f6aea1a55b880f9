//! Unit tests of the DEX table reader on synthetic files.

use std::io::Write;

use super::*;

/// Builds a little-endian DEX with `strings` (sorted by the caller as needed),
/// one type per string index in `types`, and one class def per index in `classes`
/// (indices into `types`). The header `file_size` and checksum are correct.
fn build_dex(strings: &[&[u8]], types: &[u32], classes: &[u32]) -> Vec<u8> {
    let string_ids_off = HEADER_SIZE;
    let type_ids_off = string_ids_off + 4 * strings.len();
    let class_defs_off = type_ids_off + 4 * types.len();
    let data_off = class_defs_off + CLASS_DEF_SIZE * classes.len();
    let mut out = vec![0u8; data_off];
    out[..8].copy_from_slice(b"dex\n035\0");
    let put = |out: &mut Vec<u8>, off: usize, v: u32| {
        out[off..off + 4].copy_from_slice(&v.to_le_bytes());
    };
    put(&mut out, 36, HEADER_SIZE as u32);
    put(&mut out, 40, ENDIAN_CONSTANT);
    put(&mut out, 56, strings.len() as u32);
    put(&mut out, 60, string_ids_off as u32);
    put(&mut out, 64, types.len() as u32);
    put(&mut out, 68, type_ids_off as u32);
    put(&mut out, 96, classes.len() as u32);
    put(&mut out, 100, class_defs_off as u32);
    for (i, s) in strings.iter().enumerate() {
        let at = out.len() as u32;
        put(&mut out, string_ids_off + 4 * i, at);
        out.push(s.len() as u8); // utf16_size as 1-byte ULEB (short test strings)
        out.extend_from_slice(s);
        out.push(0);
    }
    for (i, t) in types.iter().enumerate() {
        put(&mut out, type_ids_off + 4 * i, *t);
    }
    for (i, c) in classes.iter().enumerate() {
        put(&mut out, class_defs_off + CLASS_DEF_SIZE * i, *c);
    }
    let len = out.len() as u32;
    put(&mut out, 32, len);
    let sum = adler32(&out[12..]);
    put(&mut out, 8, sum);
    out
}

fn sample_dex() -> Vec<u8> {
    build_dex(
        &[
            b"Lcom/example/Main;",
            b"Lcom/example/Util$Inner;",
            b"http://api.example.com/upload",
            b"http://schemas.android.com/apk/res/android",
            b"setUserAuthenticationRequired",
            b"plain",
        ],
        &[0, 1],
        &[0, 1],
    )
}

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, data) in files {
            w.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn parses_tables_and_names() {
    let bytes = sample_dex();
    let dex = DexTables::parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(dex.version(), "035");
    assert_eq!(dex.class_count(), 2);
    assert_eq!(
        dex.class_names(),
        vec!["com.example.Main", "com.example.Util$Inner"]
    );
    assert!(dex.integrity_problems("classes.dex").is_empty());
}

#[test]
fn read_dex_collects_urls_notable_and_gaps() {
    let one = sample_dex();
    let three = build_dex(&[b"Lz/Late;", b"http://cdn.example.org/x"], &[0], &[0]);
    let apk = zip_of(&[("classes.dex", &one), ("classes3.dex", &three)]);
    let archive = Archive::new(&apk, Limits::default()).unwrap();
    let mut problems = Problems::default();
    let notable = vec!["setUserAuthenticationRequired".to_string(), "absent".into()];
    let out = read_dex(
        &archive,
        "base.apk!",
        &notable,
        &Limits::default(),
        &mut problems,
    );
    let warnings = &problems.warnings;
    assert_eq!(out.facts.classes, 3);
    assert_eq!(out.facts.files.len(), 2);
    assert_eq!(out.facts.files[0].name, "base.apk!classes.dex");
    assert_eq!(out.facts.files[1].strings, 2);
    assert_eq!(
        out.facts.cleartext_urls,
        vec!["http://api.example.com/upload", "http://cdn.example.org/x"]
    );
    assert_eq!(
        out.facts.notable_strings,
        vec!["setUserAuthenticationRequired"]
    );
    assert_eq!(out.class_names.last().map(String::as_str), Some("z.Late"));
    assert!(problems.unread.is_empty(), "{problems:?}");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].code() == "apk.dex.gap"
            && warnings[0].english().contains("classes2.dex is missing")
            && warnings[0].german().contains("classes2.dex fehlt"),
        "{warnings:?}"
    );
}

#[test]
fn malformed_file_is_unread_and_others_still_read() {
    let good = sample_dex();
    let mut bad = sample_dex();
    // class_defs_off far past the end.
    bad[100..104].copy_from_slice(&0x7fff_fff0u32.to_le_bytes());
    let apk = zip_of(&[("classes.dex", &good), ("classes2.dex", &bad)]);
    let archive = Archive::new(&apk, Limits::default()).unwrap();
    let mut problems = Problems::default();
    let out = read_dex(&archive, "", &[], &Limits::default(), &mut problems);
    assert_eq!(out.facts.files.len(), 1);
    assert_eq!(out.facts.classes, 2);
    assert_eq!(problems.unread.len(), 1, "{problems:?}");
    let u = &problems.unread[0];
    assert_eq!(u.entry, "classes2.dex");
    assert_eq!(u.kind, UnreadKind::Damage);
    assert!(
        u.reason.starts_with("not a readable DEX file: class_defs"),
        "{u:?}"
    );
}

#[test]
fn dex_over_the_entry_limit_is_unread_as_a_limit() {
    let small = sample_dex();
    let mut big = sample_dex();
    big.resize(64 * 1024, 0);
    let apk = zip_of(&[("classes.dex", &small), ("classes2.dex", &big)]);
    let limits = Limits {
        max_entry_size: 16 * 1024,
        ..Limits::default()
    };
    let archive = Archive::new(&apk, limits).unwrap();
    let mut problems = Problems::default();
    let out = read_dex(&archive, "", &[], &limits, &mut problems);
    assert_eq!(out.facts.files.len(), 1);
    assert_eq!(problems.unread.len(), 1, "{problems:?}");
    assert_eq!(problems.unread[0].entry, "classes2.dex");
    assert_eq!(problems.unread[0].kind, UnreadKind::Limit);
    assert!(problems.warnings.is_empty(), "{problems:?}");
}

#[test]
fn unknown_dex_version_is_unsupported() {
    let mut dex = sample_dex();
    dex[4..7].copy_from_slice(b"099");
    let apk = zip_of(&[("classes.dex", &dex)]);
    let archive = Archive::new(&apk, Limits::default()).unwrap();
    let mut problems = Problems::default();
    let _ = read_dex(&archive, "", &[], &Limits::default(), &mut problems);
    assert_eq!(
        problems.unread.first().map(|u| u.kind),
        Some(UnreadKind::Unsupported),
        "{problems:?}"
    );
}

#[test]
fn header_errors_are_typed() {
    let limits = Limits::default();
    assert_eq!(
        DexTables::parse(b"dex\n035\0", &limits).unwrap_err(),
        DexError::TooShort(8)
    );
    let mut bad_magic = sample_dex();
    bad_magic[4..7].copy_from_slice(b"-5\0");
    assert!(matches!(
        DexTables::parse(&bad_magic, &limits),
        Err(DexError::BadMagic(_))
    ));
    let mut bad_tag = sample_dex();
    bad_tag[40..44].copy_from_slice(&[1, 2, 3, 4]);
    assert!(matches!(
        DexTables::parse(&bad_tag, &limits),
        Err(DexError::BadEndianTag(_))
    ));
    let tight = Limits {
        max_strings: 3,
        ..Limits::default()
    };
    assert_eq!(
        DexTables::parse(&sample_dex(), &tight).unwrap_err(),
        DexError::TooManyStrings { count: 6, limit: 3 }
    );
}

#[test]
fn integrity_problems_are_reported() {
    let mut bytes = sample_dex();
    bytes.push(0); // file now longer than file_size, checksum no longer matches
    let dex = DexTables::parse(&bytes, &Limits::default()).unwrap();
    let problems = dex.integrity_problems("classes.dex");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].code(), "apk.dex.file-size");
    assert!(problems[0]
        .english()
        .starts_with("classes.dex: header file_size"));
    assert_eq!(problems[1].code(), "apk.dex.checksum");
    assert!(problems[1].german().contains("Prüfsumme"));
}

#[test]
fn out_of_range_string_and_type_ids_do_not_panic() {
    // Type 0 points at string 99, class 1 at type 7: both unresolvable.
    let bytes = build_dex(&[b"La;"], &[99], &[0, 7]);
    let dex = DexTables::parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        dex.class_names(),
        vec!["<invalid type 0>", "<invalid type 7>"]
    );
    // Every truncation of a valid file parses or errors, never panics.
    let full = sample_dex();
    for cut in 0..full.len() {
        if let Ok(d) = DexTables::parse(&full[..cut], &Limits::default()) {
            let _ = d.class_names();
            let _ = d.strings().count();
        }
    }
}

#[test]
fn multidex_names() {
    assert_eq!(multidex_number("classes.dex"), Some(1));
    assert_eq!(multidex_number("classes2.dex"), Some(2));
    assert_eq!(multidex_number("classes12.dex"), Some(12));
    assert_eq!(multidex_number("classes1.dex"), None);
    assert_eq!(multidex_number("classes02.dex"), None);
    assert_eq!(multidex_number("assets/classes.dex"), None);
    assert_eq!(multidex_number("classesX.dex"), None);
}

#[test]
fn adler32_known_value() {
    // Wikipedia example.
    assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
}

/// The vectorised Adler-32 agrees with the definition (RFC 1950) on
/// lengths around its block sizes and zlib's 5552-byte reduction step,
/// with bytes that make the sums wrap the modulus.
#[test]
fn adler32_matches_the_definition() {
    fn reference(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u64, 0u64);
        for &byte in data {
            a = (a + u64::from(byte)) % 65_521;
            b = (b + a) % 65_521;
        }
        ((b << 16) | a) as u32
    }
    let data: Vec<u8> = (0..40_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80)
        .collect();
    for len in [
        0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 5551, 5552, 5553, 11_105, 40_000,
    ] {
        assert_eq!(
            adler32(&data[..len]),
            reference(&data[..len]),
            "length {len}"
        );
        assert_eq!(
            adler32(&data[1..len.max(1)]),
            reference(&data[1..len.max(1)]),
            "unaligned, length {len}"
        );
    }
    assert_eq!(adler32(&[0xff; 100_000]), reference(&[0xff; 100_000]));
}

/// Byte-swaps the header numbers and table entries of a little-endian
/// `build_dex` file, giving the big-endian layout the format also allows.
fn to_big_endian(le: &[u8]) -> Vec<u8> {
    let mut out = le.to_vec();
    let swap = |out: &mut Vec<u8>, off: usize| {
        let v = u32::from_le_bytes(out[off..off + 4].try_into().unwrap());
        out[off..off + 4].copy_from_slice(&v.to_be_bytes());
    };
    let field = |off: usize| u32::from_le_bytes(le[off..off + 4].try_into().unwrap()) as usize;
    let (strings, string_off) = (field(56), field(60));
    let (types, type_off) = (field(64), field(68));
    let (classes, class_off) = (field(96), field(100));
    for off in [8].into_iter().chain((32..HEADER_SIZE).step_by(4)) {
        swap(&mut out, off);
    }
    for i in 0..strings {
        swap(&mut out, string_off + 4 * i);
    }
    for i in 0..types {
        swap(&mut out, type_off + 4 * i);
    }
    for i in 0..classes {
        swap(&mut out, class_off + CLASS_DEF_SIZE * i);
    }
    let sum = adler32(&out[12..]);
    out[8..12].copy_from_slice(&sum.to_be_bytes());
    out
}

#[test]
fn big_endian_files_read_the_same() {
    let le = sample_dex();
    let be = to_big_endian(&le);
    let dex = DexTables::parse(&be, &Limits::default()).unwrap();
    assert!(dex.header().big_endian);
    assert_eq!(
        dex.class_names(),
        vec!["com.example.Main", "com.example.Util$Inner"]
    );
    assert_eq!(dex.strings().count(), 6);
    // The checksum (recomputed over the swapped bytes) is read big-endian.
    assert!(
        dex.integrity_problems("classes.dex").is_empty(),
        "{:?}",
        dex.integrity_problems("classes.dex")
    );
}

/// Many string ids pointing at one long unterminated run: without a bound
/// this is quadratic work; with it, a warning and a quick return.
#[test]
fn overlapping_unterminated_strings_are_bounded() {
    let ids = 200_000usize;
    let run = 200_000usize;
    let string_ids_off = HEADER_SIZE;
    let data_off = string_ids_off + 4 * ids;
    let mut bytes = vec![0u8; data_off];
    bytes[..8].copy_from_slice(b"dex\n035\0");
    bytes[40..44].copy_from_slice(&ENDIAN_CONSTANT.to_le_bytes());
    bytes[56..60].copy_from_slice(&(ids as u32).to_le_bytes());
    bytes[60..64].copy_from_slice(&(string_ids_off as u32).to_le_bytes());
    for i in 0..ids {
        let at = string_ids_off + 4 * i;
        bytes[at..at + 4].copy_from_slice(&(data_off as u32).to_le_bytes());
    }
    bytes.push(0x05); // utf16_size
    bytes.extend(std::iter::repeat_n(b'a', run)); // never terminated
    let apk = zip_of(&[("classes.dex", &bytes)]);
    let archive = Archive::new(&apk, Limits::default()).unwrap();
    let mut problems = Problems::default();
    let started = std::time::Instant::now();
    let _ = read_dex(&archive, "", &[], &Limits::default(), &mut problems);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        problems
            .unread
            .iter()
            .any(|u| u.entry == "classes.dex" && u.reason.contains("unterminated runs")),
        "{problems:?}"
    );
}

#[test]
fn platform_types_are_referenced_platform_classes_only() {
    let bytes = build_dex(
        &[
            b"Landroid/hardware/biometrics/BiometricPrompt;",
            b"Lcom/example/Main;",
            b"Ljava/lang/Object;",
            b"Landroidx/biometric/BiometricPrompt;",
        ],
        &[0, 1, 2, 3],
        &[1],
    );
    let dex = DexTables::parse(&bytes, &Limits::default()).unwrap();
    assert_eq!(
        dex.platform_type_names(),
        vec![
            "android.hardware.biometrics.BiometricPrompt",
            "java.lang.Object"
        ],
        "androidx is a library inside the app, not the platform"
    );
    assert_eq!(dex.class_names(), vec!["com.example.Main"]);
}
