//! Reading in place from files, and the in-flight budget.

use super::*;
use std::io::Write;
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

fn zip_of(files: &[(&str, &[u8], CompressionMethod)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in files {
        let options = SimpleFileOptions::default().compression_method(*method);
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn temp_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut tmp = tempfile::NamedTempFile::new().unwrap();
    tmp.write_all(bytes).unwrap();
    tmp
}

fn open(tmp: &tempfile::NamedTempFile, limits: Limits) -> Archive<'static> {
    let file = File::open(tmp.path()).unwrap();
    let len = file.metadata().unwrap().len();
    Archive::open(file, len, limits).unwrap()
}

/// Bytes that do not compress (so sizes in the file are real).
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[test]
fn a_file_reads_the_same_entries_as_its_bytes() {
    let big = noise(300_000, 7);
    let text = b"manifest text ".repeat(10_000);
    let bytes = zip_of(&[
        ("AndroidManifest.xml", &text, CompressionMethod::Deflated),
        ("lib/arm64-v8a/libx.so", &big, CompressionMethod::Stored),
        ("res/empty", b"", CompressionMethod::Stored),
    ]);
    let tmp = temp_with(&bytes);
    let from_file = open(&tmp, Limits::default());
    let from_memory = Archive::new(&bytes, Limits::default()).unwrap();
    assert_eq!(from_file.entries(), from_memory.entries());
    for i in 0..from_file.entries().len() {
        assert_eq!(
            &*from_file.read_index(i).unwrap(),
            &*from_memory.read_index(i).unwrap()
        );
    }
    assert_eq!(&*from_file.read("lib/arm64-v8a/libx.so").unwrap(), &big[..]);
}

#[test]
fn a_file_that_shrinks_while_it_is_read_is_an_error_not_a_crash() {
    let big = noise(400_000, 11);
    let bytes = zip_of(&[
        ("a", b"first", CompressionMethod::Stored),
        ("classes.dex", &big, CompressionMethod::Deflated),
    ]);
    let tmp = temp_with(&bytes);
    let archive = open(&tmp, Limits::default());
    // Another process truncates the file after it was opened.
    std::fs::OpenOptions::new()
        .write(true)
        .open(tmp.path())
        .unwrap()
        .set_len(200)
        .unwrap();
    let err = archive.read("classes.dex").unwrap_err();
    assert!(matches!(err, ArchiveError::Inflate { .. }), "{err:?}");
    assert!(err.to_string().contains("classes.dex"), "{err}");
    let (region, _) = archive.signing_region();
    assert!(region.is_empty(), "nothing past the end is invented");
}

#[test]
fn a_stored_archive_inside_a_file_is_read_in_place_and_crc_checked() {
    let inner = zip_of(&[("AndroidManifest.xml", b"inner", CompressionMethod::Stored)]);
    let set = zip_of(&[
        ("base.apk", &inner, CompressionMethod::Stored),
        ("packed.apk", &inner, CompressionMethod::Deflated),
    ]);
    let tmp = temp_with(&set);
    let outer = open(&tmp, Limits::default());
    let nested = outer
        .open_nested(0, Limits::default())
        .unwrap()
        .expect("in place");
    assert_eq!(&*nested.read("AndroidManifest.xml").unwrap(), b"inner");
    assert_eq!(outer.inflated_total(), 0, "nothing inflated from the set");
    // A compressed one must be inflated; an archive in memory is never opened in place.
    assert!(outer.open_nested(1, Limits::default()).unwrap().is_none());
    let in_memory = Archive::new(&set, Limits::default()).unwrap();
    assert!(in_memory
        .open_nested(0, Limits::default())
        .unwrap()
        .is_none());

    // A flipped byte in the inner archive fails the outer entry's CRC-32.
    let mut damaged = set.clone();
    let at = damaged
        .windows(5)
        .position(|w| w == b"inner")
        .expect("inner bytes");
    damaged[at] ^= 1;
    let tmp = temp_with(&damaged);
    let outer = open(&tmp, Limits::default());
    let err = outer
        .open_nested(0, Limits::default())
        .err()
        .expect("refused");
    assert!(matches!(err, ArchiveError::Crc { .. }), "{err:?}");
}

#[test]
fn an_entry_over_the_in_flight_budget_is_refused_and_reading_goes_on() {
    let big = noise(3 << 20, 3);
    let bytes = zip_of(&[
        ("classes.dex", &big, CompressionMethod::Deflated),
        ("AndroidManifest.xml", b"small", CompressionMethod::Stored),
    ]);
    let limits = Limits {
        max_inflight: 1 << 20,
        ..Limits::default()
    };
    let tmp = temp_with(&bytes);
    let archive = open(&tmp, limits);
    let err = archive.read("classes.dex").unwrap_err();
    assert!(matches!(err, ArchiveError::InFlight { .. }), "{err:?}");
    assert!(err.to_string().contains("--max-inflight"), "{err}");
    assert!(err
        .message(Lang::De, ReadAs::Android)
        .contains("--max-inflight"));
    assert_eq!(&*archive.read("AndroidManifest.xml").unwrap(), b"small");
}

#[test]
fn a_lying_size_grows_the_lease_up_to_the_budget() {
    // The directory says 10 bytes; the stream inflates to 2 MiB.
    let data = vec![b'x'; 2 << 20];
    let mut bytes = zip_of(&[("a", &data, CompressionMethod::Deflated)]);
    let central = bytes.windows(4).rposition(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&10u32.to_le_bytes());
    let local = 0;
    bytes[local + 22..local + 26].copy_from_slice(&10u32.to_le_bytes());
    let small = Limits {
        max_inflight: 1 << 20,
        max_compression_ratio: u64::MAX,
        ..Limits::default()
    };
    let err = Archive::new(&bytes, small).unwrap().read("a").unwrap_err();
    assert!(matches!(err, ArchiveError::InFlight { .. }), "{err:?}");
    let roomy = Limits {
        max_compression_ratio: u64::MAX,
        ..Limits::default()
    };
    let read = Archive::new(&bytes, roomy).unwrap().read("a").unwrap();
    assert_eq!(read.len(), 2 << 20);
}

#[test]
fn holders_never_wait_for_each_other() {
    // Two threads each hold half the budget and ask for more: neither can be
    // served until the other gives back, so one is refused at once instead of
    // both waiting for ever; the other is then served.
    let total = 1 << 40; // private to this test: no other lease comes near it
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let run = |barrier: std::sync::Arc<std::sync::Barrier>| {
        std::thread::spawn(move || {
            let mut lease = Lease::take(total / 2 - (1 << 30), total).unwrap();
            barrier.wait();
            let grown = lease.grow(total / 2).is_ok();
            drop(lease);
            grown
        })
    };
    let (a, b) = (run(barrier.clone()), run(barrier));
    let results = [a.join().unwrap(), b.join().unwrap()];
    assert!(results.contains(&false), "{results:?}");
}

#[test]
fn a_request_over_the_whole_budget_is_refused_and_leases_are_given_back() {
    assert!(Lease::take(2 << 20, 1 << 20).is_err());
    let total = (1 << 40) + 1; // a pool of this test's own
    {
        let _lease = Lease::take(1 << 30, total).unwrap();
        assert_eq!(in_flight(total), 1 << 30);
    }
    assert_eq!(in_flight(total), 0);
}
