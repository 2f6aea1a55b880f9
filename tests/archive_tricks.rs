//! Differential archive-trick generator: builds crafted archives from the
//! sample apps (two central directories, disk fields, prepended data, stray
//! end records, Zip64 variants, duplicate names, local/central mismatches,
//! lying data descriptors, unknown methods, overlapping entries) and asserts
//! for each that msgaudit either reads the package `aapt dump badging` reads
//! or refuses the file naming the trick — never another package.
//!
//! `MSGAUDIT_TRICKS_DUMP=DIR` writes every generated file to DIR (the fuzz
//! seeds: `fuzz/seed.sh` uses it).

mod common;
#[path = "common/ziptricks.rs"]
mod ziptricks;

use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::extract::{extract_bytes, extract_path, ExtractOptions};
use msgaudit::facts::Facts;
use ziptricks::{
    body, directory, end_record, parse, plain_end, stored_entry, zip64_close, zip64_tail, Entry,
};

/// What msgaudit must do with a generated file.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    /// Read it: the real app's package (and aapt's, when aapt reads one).
    Reads,
    /// Refuse it, naming this trick.
    Refused(&'static str),
}

struct Case {
    name: String,
    bytes: Vec<u8>,
    expect: Expect,
}

fn sample(path: &str) -> Option<Vec<u8>> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(path);
    match std::fs::read(&p) {
        Ok(b) => Some(b),
        Err(_) => {
            eprintln!("skipped: {} not built", p.display());
            None
        }
    }
}

/// Appends the local records of `entries` to `out`, returning their offsets.
fn locals(out: &mut Vec<u8>, entries: &[Entry]) -> Vec<usize> {
    entries
        .iter()
        .map(|e| {
            let at = out.len();
            out.extend_from_slice(&e.local);
            at
        })
        .collect()
}

/// Appends the directory of `entries` to `out`: (offset, length).
fn dir(out: &mut Vec<u8>, entries: &[Entry], offsets: &[usize]) -> (u32, u32) {
    let d = directory(entries, offsets);
    let at = out.len();
    out.extend_from_slice(&d);
    (at as u32, d.len() as u32)
}

/// The local records of the real app, then the decoy's: (bytes, real
/// offsets, decoy offsets).
fn both(real: &[Entry], decoy: &[Entry]) -> (Vec<u8>, Vec<usize>, Vec<usize>) {
    let mut b = Vec::new();
    let ro = locals(&mut b, real);
    let dof = locals(&mut b, decoy);
    (b, ro, dof)
}

fn closed(entries: &[Entry], comment: &[u8]) -> Vec<u8> {
    let b = body(&[], entries);
    let mut bytes = b.bytes.clone();
    bytes.extend_from_slice(&plain_end(&b, comment));
    bytes
}

fn manifest_index(entries: &[Entry]) -> usize {
    entries
        .iter()
        .position(|e| e.name == b"AndroidManifest.xml")
        .expect("manifest entry")
}

/// Sets general-purpose flag bits in an entry's local and central headers.
fn set_flags(e: &mut Entry, bits: u16) {
    for (rec, at) in [(&mut e.local, 6), (&mut e.central, 8)] {
        let v = u16::from_le_bytes([rec[at], rec[at + 1]]) | bits;
        rec[at..at + 2].copy_from_slice(&v.to_le_bytes());
    }
}

/// Every trick, built from the real app `real` and a decoy app `decoy`.
fn android_cases(real_bytes: &[u8], decoy_bytes: &[u8]) -> Vec<Case> {
    let real = parse(real_bytes);
    let decoy = parse(decoy_bytes);
    let (nr, nd) = (real.len() as u16, decoy.len() as u16);
    let mut cases = Vec::new();
    let mut add = |name: &str, bytes: Vec<u8>, expect: Expect| {
        cases.push(Case {
            name: name.to_string(),
            bytes,
            expect,
        })
    };
    add("control", closed(&real, b""), Expect::Reads);

    // The last end record names disk 1 (Android ignores it); an earlier,
    // plausible end record for the decoy sits before the real directory.
    let (mut b, ro, dof) = both(&real, &decoy);
    let (dcd, dlen) = dir(&mut b, &decoy, &dof);
    b.extend_from_slice(&end_record(0, nd, nd, dlen, dcd, b""));
    let (rcd, rlen) = dir(&mut b, &real, &ro);
    b.extend_from_slice(&end_record(1, nr, nr, rlen, rcd, b""));
    add(
        "eocd-disk-field",
        b,
        Expect::Refused("end-record-disk-fields"),
    );

    let rb = body(&[], &real);
    let mut b = rb.bytes.clone();
    b.extend_from_slice(&end_record(
        0,
        nr - 1,
        nr,
        rb.cd_len as u32,
        rb.cd as u32,
        b"",
    ));
    add(
        "eocd-count-mismatch",
        b,
        Expect::Refused("end-record-counts"),
    );

    // The end record points at the real directory; the decoy's abuts it and
    // its size and count are the decoy's.
    let (mut b, ro, dof) = both(&real, &decoy);
    let (rcd, _) = dir(&mut b, &real, &ro);
    let (_, dlen) = dir(&mut b, &decoy, &dof);
    b.extend_from_slice(&end_record(0, nd, nd, dlen, rcd, b""));
    add(
        "two-central-directories",
        b,
        Expect::Refused("two-central-directories"),
    );

    let mut b = b"#!/bin/sh\necho decoy\nexit 0\n".to_vec();
    b.extend_from_slice(real_bytes);
    add("prepended-data", b, Expect::Refused("prepended-data"));

    let pb = body(&[0x90; 4096], &real);
    let mut b = pb.bytes.clone();
    b.extend_from_slice(&plain_end(&pb, b""));
    add(
        "prepended-data-adjusted-offsets",
        b,
        Expect::Refused("prepended-data"),
    );

    let mut comment = b"signed-by: PK\x05\x06".to_vec();
    comment.extend_from_slice(&[b'.'; 40]);
    add(
        "eocd-signature-in-comment",
        closed(&real, &comment),
        Expect::Refused("stray-end-signature"),
    );

    // A complete end record for the decoy inside the real one's comment:
    // Android reads the last one (the decoy's).
    let (mut b, ro, dof) = both(&real, &decoy);
    let (dcd, dlen) = dir(&mut b, &decoy, &dof);
    let (rcd, rlen) = dir(&mut b, &real, &ro);
    let inner = end_record(0, nd, nd, dlen, dcd, b"");
    b.extend_from_slice(&end_record(0, nr, nr, rlen, rcd, &inner));
    add("two-end-records", b, Expect::Refused("two-end-records"));

    add("zip64", zip64_close(body(&[], &real)), Expect::Reads);

    // A Zip64 record for the decoy that Android ignores (no field of the
    // classic record sends it there).
    let (mut b, ro, dof) = both(&real, &decoy);
    let (rcd, rlen) = dir(&mut b, &real, &ro);
    let (dcd, dlen) = dir(&mut b, &decoy, &dof);
    let at = b.len();
    b.extend_from_slice(&zip64_tail(at, nd.into(), dlen.into(), dcd.into()));
    b.extend_from_slice(&end_record(0, nr, nr, rlen, rcd, b""));
    add("zip64-ignored-record", b, Expect::Refused("zip64-mismatch"));

    let mut dup = real.clone();
    dup.push(decoy[manifest_index(&decoy)].clone());
    add(
        "duplicate-manifest",
        closed(&dup, b""),
        Expect::Refused("duplicate-name"),
    );
    add(
        "duplicate-manifest-zip64",
        zip64_close(body(&[], &dup)),
        Expect::Refused("duplicate-name"),
    );
    let mut first = vec![decoy[manifest_index(&decoy)].clone()];
    first.extend(real.iter().cloned());
    add(
        "duplicate-manifest-decoy-first",
        closed(&first, b""),
        Expect::Refused("duplicate-name"),
    );
    add(
        "duplicate-manifest-stray-eocd",
        closed(&dup, &comment),
        Expect::Refused("stray-end-signature"),
    );

    let mut renamed = real.clone();
    let m = manifest_index(&renamed);
    let name_at = 30 + renamed[m].name.len() - 1;
    renamed[m].local[name_at] = b'm';
    add(
        "local-central-name-mismatch",
        closed(&renamed, b""),
        Expect::Refused("local-name-mismatch"),
    );

    // Data descriptors after the manifest's data: an honest one (read) and
    // one whose CRC lies (refused).
    for (name, lie, expect) in [
        ("data-descriptor", 0u32, Expect::Reads),
        (
            "lying-data-descriptor",
            1,
            Expect::Refused("lying-data-descriptor"),
        ),
    ] {
        let mut dd = real.clone();
        let e = &mut dd[m];
        set_flags(e, 8);
        let crc = u32::from_le_bytes(e.central[16..20].try_into().unwrap()) ^ lie;
        let mut desc = b"PK\x07\x08".to_vec();
        desc.extend_from_slice(&crc.to_le_bytes());
        desc.extend_from_slice(&e.central[20..28]);
        e.local.extend_from_slice(&desc);
        add(name, closed(&dd, b""), expect);
    }

    // Every DEFLATE entry relabelled as method 21: Android inflates it anyway.
    let mut odd = real.clone();
    for e in &mut odd {
        if e.local[8] == 8 {
            e.local[8] = 21;
            e.central[10] = 21;
        }
    }
    add(
        "unknown-compression-method",
        closed(&odd, b""),
        Expect::Reads,
    );

    // An entry whose stored data is another entry's whole local record.
    let inner = stored_entry(b"assets/b", b"hidden bytes");
    let outer = stored_entry(b"assets/a", &inner.local);
    let mut b = Vec::new();
    let mut all = real.clone();
    let mut offsets = locals(&mut b, &real);
    offsets.push(b.len());
    offsets.push(b.len() + 30 + outer.name.len());
    b.extend_from_slice(&outer.local);
    all.push(outer);
    all.push(inner);
    let (cd, len) = dir(&mut b, &all, &offsets);
    let n = all.len() as u16;
    b.extend_from_slice(&end_record(0, n, n, len, cd, b""));
    add(
        "overlapping-entries",
        b,
        Expect::Refused("overlapping-entries"),
    );
    cases
}

/// What msgaudit read: the package, or the error's trick id and text.
type Reading = Result<Option<String>, (Option<String>, String)>;

/// What msgaudit reads: the package, or the error (with its trick id).
fn msgaudit_reads(name: &str, bytes: &[u8]) -> Reading {
    reading(extract_bytes(name, bytes, &ExtractOptions::default()))
}

/// What msgaudit reads from a file: in place, with positioned reads (a
/// STORED APK in a split set too), never the whole file in memory.
fn msgaudit_reads_file(path: &Path) -> Reading {
    reading(extract_path(path, &ExtractOptions::default()))
}

fn reading(result: Result<Facts, msgaudit::extract::ExtractError>) -> Reading {
    match result {
        Ok(Facts::App(app)) => Ok(app.app.id.clone()),
        Ok(_) => Err((None, "not read as an app".into())),
        Err(e) => Err((e.trick().map(|t| t.id().to_string()), e.to_string())),
    }
}

fn aapt_package(path: &Path) -> Option<String> {
    let out = Command::new("aapt")
        .args(["dump", "badging"])
        .arg(path)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("package: name='"))?;
    Some(line.split('\'').nth(1)?.to_string())
}

/// Signs `path` with the sample apps' debug key (`sample-apps/android/
/// keystore`, see `sample-apps/android/build.sh`); `None` when apksigner
/// refuses the input. apksigner rewrites the archive, so most directory
/// tricks do not survive, but entry-level ones (an unknown compression
/// method) do: such a file is what a phone would install.
fn apksigner_sign(path: &Path) -> Option<PathBuf> {
    let keystore = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/android/keystore/msgaudit-samples.p12");
    let out = path.with_extension("signed.apk");
    let ok = Command::new("apksigner")
        .args(["sign", "--ks"])
        .arg(&keystore)
        .args([
            "--ks-pass",
            "pass:msgaudit-samples",
            "--ks-key-alias",
            "samples",
            "--v4-signing-enabled",
            "false",
        ])
        .arg("--out")
        .arg(&out)
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success());
    let verified = ok
        && Command::new("apksigner")
            .arg("verify")
            .arg(&out)
            .output()
            .is_ok_and(|o| o.status.success());
    verified.then_some(out)
}

/// Where the generated files go: `MSGAUDIT_TRICKS_DUMP` or a scratch dir.
fn out_dir(kind: &str) -> PathBuf {
    let dir = std::env::var_os("MSGAUDIT_TRICKS_DUMP")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_TARGET_TMPDIR")).join("archive-tricks"));
    let dir = dir.join(kind);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One line of the differential table, and the failures it shows.
fn compare(case: &str, path: &Path, bytes: &[u8], aapt: bool) -> (Reading, Option<String>) {
    let ours = msgaudit_reads(case, bytes);
    // Read in place from the file, the archive must read (or be refused)
    // exactly as from memory.
    assert_eq!(
        msgaudit_reads_file(path),
        ours,
        "{case}: read from the file differently than from memory"
    );
    let theirs = if aapt { aapt_package(path) } else { None };
    (ours, theirs)
}

fn describe(ours: &Reading) -> String {
    match ours {
        Ok(p) => format!("reads {}", p.as_deref().unwrap_or("?")),
        Err((t, _)) => format!("refuses ({})", t.as_deref().unwrap_or("no trick")),
    }
}

/// Checks each case against its expectation and, when present, aapt; signs
/// each APK with apksigner where it accepts the file and checks the signed
/// copy the same way (a signed copy of a "reads" case must still read).
fn check(cases: &[Case], kind: &str, ext: &str, expected_package: &str) {
    let dir = out_dir(kind);
    let aapt = ext == "apk" && common::tool_available("aapt");
    let apksigner = ext == "apk" && common::tool_available("apksigner");
    let mut failures = Vec::new();
    for case in cases {
        let path = dir.join(format!("trick-{}.{ext}", case.name));
        std::fs::write(&path, &case.bytes).unwrap();
        let (ours, theirs) = compare(&case.name, &path, &case.bytes, aapt);
        let aapt_text = |t: &Option<String>| {
            t.clone()
                .unwrap_or_else(|| if aapt { "refuses".into() } else { "-".into() })
        };
        eprintln!(
            "{:34} msgaudit: {:42} aapt: {}",
            case.name,
            describe(&ours),
            aapt_text(&theirs)
        );
        match (&ours, case.expect) {
            (Ok(Some(p)), Expect::Reads) if p == expected_package => {}
            (Err((Some(t), msg)), Expect::Refused(want)) if t == want => {
                assert!(!msg.is_empty());
            }
            _ => failures.push(format!(
                "{}: expected {:?}, msgaudit gave {:?}",
                case.name, case.expect, ours
            )),
        }
        let mut runs = vec![(case.name.clone(), ours, theirs)];
        if let Some(signed) = apksigner.then(|| apksigner_sign(&path)).flatten() {
            let bytes = std::fs::read(&signed).unwrap();
            let name = format!("{} (signed)", case.name);
            let (ours, theirs) = compare(&name, &signed, &bytes, aapt);
            eprintln!(
                "{:34} msgaudit: {:42} aapt: {}",
                name,
                describe(&ours),
                aapt_text(&theirs)
            );
            if case.expect == Expect::Reads
                && ours.as_ref().ok() != Some(&Some(expected_package.to_string()))
            {
                failures.push(format!("{name}: msgaudit gave {ours:?}"));
            }
            runs.push((name, ours, theirs));
        }
        // The differential rule: never another package than aapt's.
        for (name, ours, theirs) in runs {
            if let (Ok(Some(p)), Some(a)) = (&ours, &theirs) {
                if p != a {
                    failures.push(format!("{name}: msgaudit reads {p}, aapt reads {a}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn android_tricks_read_as_aapt_or_are_refused() {
    let (Some(real), Some(decoy)) = (
        sample("android/out/securechat-1.0.apk"),
        sample("android/out/leakychat-2.3.apk"),
    ) else {
        return;
    };
    let cases = android_cases(&real, &decoy);
    assert!(cases.len() >= 12, "{} cases", cases.len());
    check(&cases, "apk", "apk", "org.example.securechat");
}

#[test]
fn ipa_tricks_are_refused() {
    let (Some(real), Some(decoy)) = (sample("ios/SecureChat.ipa"), sample("ios/LeakyChat.ipa"))
    else {
        return;
    };
    let expected = match msgaudit_reads("SecureChat.ipa", &real) {
        Ok(Some(id)) => id,
        other => panic!("the sample IPA reads: {other:?}"),
    };
    let entries = parse(&real);
    let decoy_entries = parse(&decoy);
    let info = |es: &[Entry]| {
        es.iter()
            .position(|e| e.name.ends_with(b".app/Info.plist"))
            .expect("Info.plist")
    };
    let mut cases = vec![Case {
        name: "ipa-control".into(),
        bytes: closed(&entries, b""),
        expect: Expect::Reads,
    }];
    let mut prefixed = vec![0u8; 512];
    prefixed.extend_from_slice(&real);
    cases.push(Case {
        name: "ipa-prepended-data".into(),
        bytes: prefixed,
        expect: Expect::Refused("prepended-data"),
    });
    // The decoy's Info.plist under the real app's name, listed first.
    let mut renamed = decoy_entries[info(&decoy_entries)].clone();
    let real_name = entries[info(&entries)].name.clone();
    let local_name = 30..30 + renamed.name.len();
    let central_name = 46..46 + renamed.name.len();
    if renamed.name.len() == real_name.len() {
        renamed.local.splice(local_name, real_name.iter().copied());
        renamed
            .central
            .splice(central_name, real_name.iter().copied());
        renamed.name = real_name;
        let mut dup = vec![renamed];
        dup.extend(entries.iter().cloned());
        cases.push(Case {
            name: "ipa-duplicate-info-plist".into(),
            bytes: closed(&dup, b""),
            expect: Expect::Refused("duplicate-name"),
        });
    }
    let mut dup64 = entries.clone();
    dup64.push(entries[info(&entries)].clone());
    cases.push(Case {
        name: "ipa-duplicate-info-plist-zip64".into(),
        bytes: zip64_close(body(&[], &dup64)),
        expect: Expect::Refused("duplicate-name"),
    });
    let rb = body(&[], &entries);
    let n = rb.count as u16;
    let mut disk = rb.bytes.clone();
    disk.extend_from_slice(&end_record(3, n, n, rb.cd_len as u32, rb.cd as u32, b""));
    cases.push(Case {
        name: "ipa-eocd-disk-field".into(),
        bytes: disk,
        expect: Expect::Refused("end-record-disk-fields"),
    });
    check(&cases, "ipa", "ipa", &expected);
}

#[test]
fn a_tricked_apk_inside_a_split_set_refuses_the_set() {
    let (Some(set), Some(decoy)) = (
        sample("android/out/leakychat-2.3.apks"),
        sample("android/out/securechat-1.0.apk"),
    ) else {
        return;
    };
    let members = parse(&set);
    let base = members
        .iter()
        .position(|e| e.name == b"splits/base-master.apk")
        .expect("base APK");
    // Inflate the base APK through msgaudit's own reader, then trick it.
    let archive =
        msgaudit::archive::Archive::new(&set, msgaudit::limits::Limits::default()).unwrap();
    let base_apk = archive.read("splits/base-master.apk").unwrap();
    let mut inner = parse(&base_apk);
    inner.push(parse(&decoy)[manifest_index(&parse(&decoy))].clone());
    let tricked = closed(&inner, b"");
    let mut outer = members.clone();
    outer[base] = stored_entry(b"splits/base-master.apk", &tricked);
    let cases = [
        Case {
            name: "apks-control".into(),
            bytes: set.clone(),
            expect: Expect::Reads,
        },
        Case {
            name: "apks-nested-duplicate-manifest".into(),
            bytes: closed(&outer, b""),
            expect: Expect::Refused("duplicate-name"),
        },
    ];
    check(&cases, "apks", "apks", "org.example.leakychat");
    let err = extract_bytes("set.apks", &cases[1].bytes, &ExtractOptions::default())
        .expect_err("refused");
    assert!(
        err.to_string().starts_with("splits/base-master.apk: "),
        "{err}"
    );
}

/// A refusal is a finding: the scan report names the trick as tampering, in
/// the reader's language, in every format, and the run exits 4.
#[test]
fn a_refused_trick_is_reported_as_tampering_in_both_languages() {
    let (Some(real), Some(decoy)) = (
        sample("android/out/securechat-1.0.apk"),
        sample("android/out/leakychat-2.3.apk"),
    ) else {
        return;
    };
    let case = android_cases(&real, &decoy)
        .into_iter()
        .find(|c| c.name == "eocd-disk-field")
        .expect("the disk-field case");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tricked.apk");
    std::fs::write(&path, &case.bytes).unwrap();
    for (lang, kind, trick_word) in [
        ("en", "tampering", "disk"),
        ("de", "Manipulation", "Archiv-Trick"),
    ] {
        for format in ["table", "json", "sarif", "html", "md", "csv"] {
            let out = scan(&path, lang, format);
            assert_eq!(out.status.code(), Some(4), "{lang} {format}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.contains(trick_word),
                "{lang} {format}: the trick is named: {text}"
            );
            if format == "json" {
                let report: serde_json::Value = common::json_str(&text).unwrap();
                assert_eq!(report["targets"][0]["error_kind"], "tampering", "{text}");
                assert!(report["targets"][0]["error_de"]
                    .as_str()
                    .is_some_and(|de| de.starts_with("Archiv-Trick")));
            } else if format != "sarif" {
                assert!(
                    text.to_lowercase().contains(&kind.to_lowercase()),
                    "{lang} {format}: named as {kind}: {text}"
                );
            }
        }
    }
}

/// A refused IPA is reported as an iOS app, not as an Android app.
#[test]
fn a_refused_ipa_keeps_its_kind_in_the_report() {
    let Some(real) = sample("ios/SecureChat.ipa") else {
        return;
    };
    let mut prefixed = vec![0u8; 512];
    prefixed.extend_from_slice(&real);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prefixed.ipa");
    std::fs::write(&path, &prefixed).unwrap();
    let out = common::run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(report["targets"][0]["target"]["kind"], "ios", "{report}");
    assert_eq!(report["targets"][0]["error_kind"], "tampering");
}

/// A small app of `names` (each entry a few stored bytes) whose first entry
/// carries `trick`: listed twice (the second copy a decoy), or flagged for a
/// data descriptor that is not there (the next local header is read as it).
fn tricked_app(names: &[&[u8]], trick: &str) -> Vec<u8> {
    let mut entries: Vec<Entry> = names
        .iter()
        .map(|name| stored_entry(name, b"<plist version=\"1.0\"><dict/></plist>"))
        .collect();
    match trick {
        "duplicate-name" => entries.push(stored_entry(names[0], b"decoy")),
        "lying-data-descriptor" => set_flags(&mut entries[0], 8),
        other => panic!("no such trick here: {other}"),
    }
    closed(&entries, b"")
}

/// Runs `msgaudit scan PATH --lang LANG --format FORMAT`.
fn scan(path: &Path, lang: &str, format: &str) -> std::process::Output {
    common::run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--lang".as_ref(),
        lang.as_ref(),
        "--format".as_ref(),
        format.as_ref(),
    ])
}

/// A run's exit code, standard output and standard error, each with its
/// white space collapsed (the table wraps its lines).
fn flat(out: std::process::Output) -> (Option<i32>, String, String) {
    let collapse = |b: &[u8]| {
        String::from_utf8_lossy(b)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    (
        out.status.code(),
        collapse(&out.stdout),
        collapse(&out.stderr),
    )
}

/// msgaudit reads every archive as Android's zip library does, but what
/// Android does with a trick is no fact about an iOS app: a tricked IPA's
/// refusal states the structure and that zip readers disagree, in the table,
/// the JSON report and on standard error (of `scan` and `facts`), in both
/// languages, without naming Android; the same trick in an APK still says
/// what Android does.
#[test]
fn a_tricked_ipa_is_refused_without_claiming_what_android_does() {
    let dir = tempfile::tempdir().unwrap();
    let ipa_names: [&[u8]; 2] = [b"Payload/Chat.app/Info.plist", b"Payload/Chat.app/Chat"];
    let apk_names: [&[u8]; 2] = [b"AndroidManifest.xml", b"classes.dex"];
    let device = (
        "so the file cannot show which app the device installs",
        "die Datei kann also nicht zeigen, welche App das Gerät installiert",
    );
    for (trick, en, de, android_en, android_de) in [
        (
            "duplicate-name",
            "appears more than once (the \"Master Key\" trick); zip readers read one copy or \
             the other",
            "kommt mehrfach vor (der „Master Key“-Trick); Zip-Leser lesen die eine oder die \
             andere Kopie",
            "Android refuses such an APK, other tools read either copy",
            "Android weist eine solche APK zurück, andere Werkzeuge lesen die eine oder die \
             andere Kopie",
        ),
        (
            "lying-data-descriptor",
            "its data descriptor and the central directory disagree on size or checksum; zip \
             readers read different bytes for it",
            "Datendeskriptor und zentrales Verzeichnis nennen verschiedene Größen oder \
             Prüfsummen; Zip-Leser lesen dafür verschiedene Bytes",
            "Android refuses it, other tools read different bytes",
            "Android weist ihn zurück, andere Werkzeuge lesen andere Bytes",
        ),
    ] {
        let ipa = dir.path().join(format!("{trick}.ipa"));
        std::fs::write(&ipa, tricked_app(&ipa_names, trick)).unwrap();
        let apk = dir.path().join(format!("{trick}.apk"));
        std::fs::write(&apk, tricked_app(&apk_names, trick)).unwrap();
        for (lang, words, consequence, android) in [
            ("en", en, device.0, android_en),
            ("de", de, device.1, android_de),
        ] {
            let scanned = |path: &Path, format: &str| flat(scan(path, lang, format));
            let ipa_text = format!("{words}, {consequence}");
            let (code, table, stderr) = scanned(&ipa, "table");
            assert_eq!(code, Some(4), "{trick} {lang}: {table}");
            for text in [&table, &stderr] {
                assert!(text.contains(&ipa_text), "{trick} {lang}: {text}");
                assert!(!text.contains("Android"), "{trick} {lang}: {text}");
            }
            let (_, json, _) = scanned(&ipa, "json");
            let report: serde_json::Value = common::json_str(&json).unwrap();
            let target = &report["targets"][0];
            assert_eq!(target["target"]["kind"], "ios", "{json}");
            assert_eq!(target["error_kind"], "tampering", "{json}");
            let field = if lang == "en" { "error" } else { "error_de" };
            let error = target[field].as_str().unwrap_or_default();
            assert!(error.contains(&ipa_text), "{trick} {lang}: {error}");
            for field in ["error", "error_de"] {
                let error = target[field].as_str().unwrap_or_default();
                assert!(!error.is_empty() && !error.contains("Android"), "{json}");
            }
            // `facts` words its refusal as `scan` does.
            let (code, _, stderr) = flat(common::run_msgaudit([
                "facts".as_ref(),
                ipa.as_os_str(),
                "--lang".as_ref(),
                lang.as_ref(),
            ]));
            assert_eq!(code, Some(4), "{trick} {lang}: {stderr}");
            assert!(stderr.contains(&ipa_text), "{trick} {lang}: {stderr}");
            assert!(!stderr.contains("Android"), "{trick} {lang}: {stderr}");
            // The same trick in an APK: what Android does, as before.
            let (code, table, stderr) = scanned(&apk, "table");
            assert_eq!(code, Some(4), "{trick} {lang}: {table}");
            for text in [&table, &stderr] {
                assert!(text.contains(android), "{trick} {lang}: {text}");
                assert!(!text.contains(consequence), "{trick} {lang}: {text}");
            }
            let (_, json, _) = scanned(&apk, "json");
            let report: serde_json::Value = common::json_str(&json).unwrap();
            let error = report["targets"][0][field].as_str().unwrap_or_default();
            assert!(error.contains(android), "{trick} {lang}: {error}");
        }
    }
}

/// fastlane's iOSAppOnly.ipa (its Info.plist's data descriptor disagrees
/// with the central directory) is refused in German without a word on
/// Android.
#[test]
fn a_refused_corpus_ipa_names_no_android_behaviour_in_german() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let ipa = corpus.join("ios/ipa/fastlane-iOSAppOnly.ipa");
    if !ipa.is_file() {
        eprintln!("skipped: {} not in the corpus", ipa.display());
        return;
    }
    for format in ["table", "json"] {
        let (code, out, stderr) = flat(common::run_msgaudit([
            "scan".as_ref(),
            "--lang".as_ref(),
            "de".as_ref(),
            "--as-of".as_ref(),
            "2026-12-05".as_ref(),
            "--format".as_ref(),
            format.as_ref(),
            ipa.as_os_str(),
        ]));
        assert_eq!(code, Some(4), "{out}");
        let shown = if format == "json" {
            let report: serde_json::Value = common::json_str(&out).unwrap();
            report["targets"][0]["error_de"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        } else {
            out
        };
        for text in [&shown, &stderr] {
            assert!(
                text.contains("Datendeskriptor") && text.contains("Zip-Leser"),
                "{format}: {text}"
            );
            assert!(!text.contains("Android"), "{format}: {text}");
        }
    }
}

/// A file msgaudit refuses is evidence too: the report names it by its size
/// and SHA-256 like any file it read (before, a refused app and an export
/// that could not be read were listed with 0 bytes and no hash, in every
/// format).
#[test]
fn a_refused_file_is_listed_with_its_size_and_hash() {
    use sha2::{Digest, Sha256};
    let dir = tempfile::tempdir().unwrap();
    let apk = tricked_app(&[b"AndroidManifest.xml", b"classes.dex"], "duplicate-name");
    let export = br#"{"value": [{"id": "1", "operatingSystem": "iOS", "osVersion": "#.to_vec();
    let files = [("tricked.apk", apk), ("cut.json", export)];
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let paths: Vec<_> = files.iter().map(|(n, _)| dir.path().join(n)).collect();
    let mut args = vec!["scan".as_ref(), "--format".as_ref(), "json".as_ref()];
    args.extend(paths.iter().map(|p| p.as_os_str()));
    let out = common::run_msgaudit(args);
    assert_eq!(out.status.code(), Some(4));
    let report: serde_json::Value = common::json(&out.stdout).unwrap();
    // (The report as read back: each target's file in place of its catalog index.)
    let targets = report["targets"].as_array().unwrap();
    for (name, bytes) in &files {
        let file = targets
            .iter()
            .map(|t| &t["target"]["file"])
            .find(|f| f["path"].as_str().is_some_and(|p| p.ends_with(name)))
            .unwrap_or_else(|| panic!("{name} listed: {report}"));
        assert_eq!(file["size"], bytes.len() as u64, "{name}");
        assert_eq!(file["sha256"], hex::encode(Sha256::digest(bytes)), "{name}");
    }
    let targets = report["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 2);
    assert!(targets.iter().all(|t| t["verdict"] == "error"), "{report}");
    // On standard error, a file's error is labelled as such, like a warning.
    for (lang, label) in [
        ("en", "tricked.apk: error: "),
        ("de", "tricked.apk: Fehler: "),
    ] {
        let err = flat(scan(&paths[0], lang, "table")).2;
        assert!(err.contains(label), "{lang}: {err}");
    }
    for lang in ["de", "en"] {
        let md = flat(scan(&paths[0], lang, "md")).1;
        assert!(
            md.contains(&hex::encode(Sha256::digest(&files[0].1))),
            "{lang}: {md}"
        );
        assert!(
            md.contains(&format!("| {} |", files[0].1.len())),
            "{lang}: {md}"
        );
    }
    // The CSV row of a refused file has its hash but no score and no counts: "0"
    // decided of "0" applicable would read as "no check applied".
    for (lang, sep, decided) in [("de", b';', "Entschieden"), ("en", b',', "Decided")] {
        let out = scan(&paths[0], lang, "csv");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut rows = csv::ReaderBuilder::new()
            .delimiter(sep)
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        assert_eq!(&rows.headers().unwrap()[7], decided, "{lang}: {text}");
        let row = rows
            .records()
            .map(Result::unwrap)
            .find(|r| r[2].ends_with("tricked.apk"))
            .unwrap_or_else(|| panic!("{lang}: {text}"));
        assert_eq!(&row[3], hex::encode(Sha256::digest(&files[0].1)), "{lang}");
        assert_eq!((&row[6], &row[7], &row[8]), ("", "", ""), "{lang}: {text}");
    }
}
