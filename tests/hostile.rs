//! Hostile input: apps and exports built to break the scanner must yield a
//! clear error (or best-effort facts), never a panic, a hang or a runaway
//! allocation. See docs/hardening.md.
//!
//! - every parser gets a few thousand seeded, deterministic mutations of
//!   real inputs (the same drivers the cargo-fuzz targets call);
//! - every crash input the fuzzers ever found (`fuzz/regressions/`) is replayed;
//! - sample APKs are cut at many byte offsets;
//! - zip bombs and crafted archives hit the limits with an error naming them;
//! - one broken target in a scan does not stop the others.
//!
//! Corpus files are read from `MSGAUDIT_CORPUS` (default `../shared/corpus`);
//! the parts needing them skip with a message when it is absent.

mod common;

use common::Rng;

#[path = "../fuzz/drivers.rs"]
mod drivers;

use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use msgaudit::archive::{Archive, ArchiveError};
use msgaudit::extract::{extract_bytes, ExtractError, ExtractOptions};
use msgaudit::facts::Facts;
use msgaudit::limits::Limits;

/// Longest a single parse may take before it counts as a hang. Generous for
/// unoptimized test builds on a loaded machine; real runs take milliseconds.
const WATCHDOG: Duration = Duration::from_secs(2);

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skip: corpus not found at {} (set MSGAUDIT_CORPUS)",
            dir.display()
        );
        None
    }
}

/// `Payload/X.app/X`: the main executable of an IPA.
fn is_app_executable(name: &str) -> bool {
    let parts: Vec<&str> = name.split('/').collect();
    matches!(parts.as_slice(), ["Payload", app, exe] if app.strip_suffix(".app") == Some(exe))
}

fn corpus_quiet() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    dir.is_dir().then_some(dir)
}

fn sample_apps() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        "sample-apps/android/out",
        "sample-apps/ios/out",
        "sample-apps/ios",
    ] {
        let Ok(rd) = std::fs::read_dir(root().join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            if matches!(ext, "apk" | "apks" | "xapk" | "ipa") {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    assert!(!out.is_empty(), "no sample apps found");
    out
}

/// Runs `f(input)` on its own thread: fails the test with `what` when it
/// panics or does not return within [`WATCHDOG`].
fn guarded<T: Send + 'static>(
    what: &str,
    input: Vec<u8>,
    f: impl FnOnce(&[u8]) -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    let handle = std::thread::Builder::new()
        .name(what.to_string())
        .spawn(move || {
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&input)));
            let _ = tx.send(r);
        })
        .unwrap();
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(v)) => {
            let _ = handle.join();
            v
        }
        Ok(Err(_)) => panic!("{what}: the parser panicked"),
        Err(_) => panic!("{what}: no result within {WATCHDOG:?} (hang)"),
    }
}

/// One mutation of the kinds that break binary parsers: flipped bits,
/// boundary values written over length and offset fields, cuts, repeats.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..1 + rng.below(4) {
        if m.is_empty() {
            m.push(rng.next() as u8);
            continue;
        }
        let at = rng.below(m.len());
        match rng.below(7) {
            0 => m[at] ^= 1 << rng.below(8),
            1 => m[at] = [0, 0xff, 0x7f, 0x80, 1][rng.below(5)],
            2 => {
                let v: u32 =
                    [0, u32::MAX, 0x7fff_ffff, 0x8000_0000, m.len() as u32 + 1][rng.below(5)];
                let end = (at + 4).min(m.len());
                let bytes = v.to_le_bytes();
                m[at..end].copy_from_slice(&bytes[..end - at]);
            }
            3 => m.truncate(at),
            4 => {
                let len = rng.below(64).min(m.len() - at);
                let chunk = m[at..at + len].to_vec();
                let to = rng.below(m.len());
                m.splice(to..to, chunk);
            }
            5 => {
                let len = rng.below(16).min(m.len() - at);
                m.drain(at..at + len);
            }
            _ => {
                let to = rng.below(m.len());
                m[to] = m[at];
            }
        }
    }
    m
}

/// Seeds per target: entries of the sample apps, plus matching corpus files.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let apps = sample_apps();
    for (_, bytes) in &apps {
        let Ok(archive) = Archive::new(bytes, Limits::default()) else {
            continue;
        };
        for e in archive.entries() {
            let n = e.name.as_str();
            let wanted = match target {
                "axml" => n.ends_with(".xml") && !n.starts_with("META-INF"),
                "arsc" => n == "resources.arsc",
                "dex" => n.ends_with(".dex"),
                "pkcs7" => n.starts_with("META-INF/") && n.ends_with(".RSA"),
                "elf" => n.ends_with(".so"),
                "plist" => n.ends_with(".plist") || n.ends_with(".xcprivacy"),
                "provision" => n.ends_with(".mobileprovision"),
                // The app executable: Payload/X.app/X.
                "macho" | "codesign" => is_app_executable(n),
                _ => false,
            };
            if wanted {
                if let Ok(data) = archive.read(n) {
                    if target == "codesign" {
                        // The SuperBlob: from its magic 0xfade0cc0 to the end.
                        let at = data.windows(4).position(|w| w == [0xfa, 0xde, 0x0c, 0xc0]);
                        out.extend(at.and_then(|at| data.get(at..)).map(<[u8]>::to_vec));
                    } else {
                        out.push(data.to_vec());
                    }
                }
            }
        }
    }
    match target {
        "app" | "signing_block" => out.extend(apps.iter().map(|(_, b)| b.clone())),
        "strpool" => {
            // The string pool chunk of each manifest (right after the 8-byte XML header).
            for m in seeds("axml") {
                if let Some(len) = m.get(12..16) {
                    let len = u32::from_le_bytes(len.try_into().unwrap()) as usize;
                    if let Some(pool) = m.get(8..8 + len) {
                        out.push(pool.to_vec());
                    }
                }
            }
        }
        "inventory" => {
            let dir = root().join("sample-apps/inventories");
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .map(|rd| rd.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            files.sort();
            for (i, p) in files.iter().filter(|p| p.is_file()).enumerate() {
                let bytes = std::fs::read(p).unwrap();
                // Low nibble: adapter (8 = detect); high nibble: read from
                // memory (0) or as a stream of 1–15-byte reads.
                for stream in [0u8, (1 + i % 15) as u8] {
                    let mut input = vec![(i % 9) as u8 | (stream << 4)];
                    input.extend(&bytes);
                    out.push(input);
                }
            }
        }
        "elf" => {
            // The sample apps carry no native code: ELF seeds come from the corpus.
            if let Some(dir) = corpus_quiet().map(|c| c.join("android/so")) {
                let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                    .map(|rd| rd.flatten().map(|e| e.path()).collect())
                    .unwrap_or_default();
                files.sort();
                out.extend(files.iter().filter_map(|p| std::fs::read(p).ok()));
            }
        }
        _ => {}
    }
    out.retain(|s| s.len() <= 256 << 10);
    out
}

/// Runs `count` seeded mutations of every seed of `target`.
fn mutate_target(target: &str, count: usize) {
    let driver = drivers::TARGETS
        .iter()
        .find(|(n, _)| *n == target)
        .unwrap()
        .1;
    let seeds = seeds(target);
    assert!(!seeds.is_empty(), "{target}: no seed inputs");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ target.len() as u64);
    let per_seed = (count / seeds.len()).max(1);
    let start = Instant::now();
    // Batches on one guarded thread keep the thread overhead low; a batch
    // that panics or hangs is re-run input by input to name the culprit.
    for seed in &seeds {
        driver(seed);
        let inputs: Vec<Vec<u8>> = (0..per_seed).map(|_| mutate(&mut rng, seed)).collect();
        for batch in inputs.chunks(50) {
            let owned = batch.to_vec();
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                let r = std::panic::catch_unwind(|| owned.iter().for_each(|i| driver(i)));
                let _ = tx.send(r.is_ok());
            });
            let ok = rx.recv_timeout(WATCHDOG * 10).unwrap_or(false);
            if !ok {
                for (i, input) in batch.iter().enumerate() {
                    let path = std::env::temp_dir().join(format!("msgaudit-{target}-crash-{i}"));
                    let _ = std::fs::write(&path, input);
                    guarded(
                        &format!("{target} mutation ({})", path.display()),
                        input.clone(),
                        driver,
                    );
                }
                panic!("{target}: a batch of mutations failed only when run together");
            }
        }
    }
    eprintln!(
        "{target}: {} seeds x {per_seed} mutations in {:?}",
        seeds.len(),
        start.elapsed()
    );
}

#[test]
fn mutations_axml() {
    mutate_target("axml", 4000);
}

#[test]
fn mutations_arsc() {
    mutate_target("arsc", 20000);
}

#[test]
fn mutations_strpool() {
    mutate_target("strpool", 20000);
}

#[test]
fn mutations_dex() {
    mutate_target("dex", 10000);
}

#[test]
fn mutations_pkcs7() {
    mutate_target("pkcs7", 3000);
}

#[test]
fn mutations_signing_block() {
    mutate_target("signing_block", 2000);
}

#[test]
fn mutations_app() {
    mutate_target("app", 1500);
}

#[test]
fn mutations_elf() {
    if corpus().is_none() {
        return;
    }
    mutate_target("elf", 3000);
}

#[test]
fn mutations_macho() {
    mutate_target("macho", 2000);
}

#[test]
fn mutations_codesign() {
    mutate_target("codesign", 4000);
}

#[test]
fn mutations_provision() {
    mutate_target("provision", 2000);
}

#[test]
fn mutations_plist() {
    mutate_target("plist", 4000);
}

#[test]
fn mutations_inventory() {
    mutate_target("inventory", 1500);
}

/// Every input a fuzzer ever crashed on, replayed through its target.
#[test]
fn fuzz_regressions_replay() {
    let dir = root().join("fuzz/regressions");
    let mut replayed = 0;
    for (target, driver) in drivers::TARGETS {
        let Ok(rd) = std::fs::read_dir(dir.join(target)) else {
            continue;
        };
        for e in rd.flatten() {
            let input = std::fs::read(e.path()).unwrap();
            guarded(
                &format!("{target} regression {}", e.path().display()),
                input,
                *driver,
            );
            replayed += 1;
        }
    }
    eprintln!("replayed {replayed} regression inputs");
}

fn cut_offsets(bytes: &[u8]) -> Vec<usize> {
    let len = bytes.len();
    let mut cuts: Vec<usize> = (0..200).map(|i| len * i / 200).collect();
    cuts.extend(len.saturating_sub(64)..len);
    // Around the central directory and the signing block before it.
    if let Some(cd) = bytes.windows(4).position(|w| w == b"PK\x01\x02") {
        cuts.extend(cd.saturating_sub(48)..(cd + 48).min(len));
    }
    if let Some(sb) = bytes.windows(16).position(|w| w == b"APK Sig Block 42") {
        cuts.extend(sb.saturating_sub(16)..(sb + 32).min(len));
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts
}

/// A sample app cut at many offsets: each prefix is an error or facts, in time.
#[test]
fn truncated_apps_never_panic_or_hang() {
    let options = ExtractOptions::default();
    for (name, bytes) in sample_apps() {
        let cuts = cut_offsets(&bytes);
        let mut errors = 0;
        for &cut in &cuts {
            let prefix = bytes[..cut].to_vec();
            let opts = options.clone();
            let started = Instant::now();
            let r = guarded(&format!("{name} cut at {cut}"), prefix, move |b| {
                extract_bytes("cut.apk", b, &opts).map(|_| ())
            });
            assert!(started.elapsed() < WATCHDOG);
            errors += usize::from(r.is_err());
        }
        // Nearly every prefix lacks the central directory: an error, not facts.
        assert!(
            errors + 1 >= cuts.len(),
            "{name}: {errors} errors for {} cuts",
            cuts.len()
        );
        eprintln!("{name}: {} cuts, {errors} errors", cuts.len());
    }
}

fn zip_of(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, data) in files {
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .large_file(data.len() >= u32::MAX as usize);
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A classic zip bomb (one highly compressed entry) is refused with an
/// error naming the ratio limit, before inflating it.
#[test]
fn zip_bomb_hits_the_ratio_limit() {
    let zeros = vec![0u8; 16 << 20];
    let bomb = zip_of(
        &[("AndroidManifest.xml", b"x"), ("classes.dex", &zeros)],
        zip::CompressionMethod::Deflated,
    );
    assert!(bomb.len() < 200 << 10, "bomb is {} bytes", bomb.len());
    // DEFLATE tops out near 1030:1, so the default of 1000 is a backstop;
    // the entry and total budgets bound the rest.
    let limits = Limits {
        max_compression_ratio: 500,
        ..Limits::default()
    };
    let archive = Archive::new(&bomb, limits).unwrap();
    let err = archive.read("classes.dex").unwrap_err();
    assert!(
        matches!(err, ArchiveError::RatioTooHigh { limit: 500, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("zip bomb"), "{err}");
    // Through the whole pipeline with a small entry budget: refused, in time.
    let opts = ExtractOptions {
        limits: Limits {
            max_entry_size: 1 << 20,
            ..limits
        },
        ..ExtractOptions::default()
    };
    let r = guarded("bomb apk", bomb, move |b| {
        extract_bytes("bomb.apk", b, &opts).map(|_| ())
    });
    assert!(r.is_err(), "the manifest is not binary XML");
}

/// Nested split sets beyond `max_nesting` are refused.
#[test]
fn nested_archives_are_bounded() {
    let apk = sample_apps()
        .into_iter()
        .find(|(n, _)| n.ends_with(".apk"))
        .unwrap()
        .1;
    // A split set holding a split set holding an APK.
    let inner = zip_of(&[("base.apk", &apk)], zip::CompressionMethod::Stored);
    let outer = zip_of(&[("nested.apks", &inner)], zip::CompressionMethod::Stored);
    let limits = Limits {
        max_nesting: 0,
        ..Limits::default()
    };
    let opts = ExtractOptions {
        limits,
        ..ExtractOptions::default()
    };
    assert!(extract_bytes("one.apks", &inner, &opts).is_err());
    let r = extract_bytes("outer.apks", &outer, &ExtractOptions::default());
    assert!(r.is_err(), "a split set of split sets is not an app");
}

/// Entry count limit through the pipeline names the limit.
#[test]
fn entry_count_limit_is_reported() {
    let names: Vec<String> = (0..50).map(|i| format!("f{i}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let zip = zip_of(&files, zip::CompressionMethod::Stored);
    let opts = ExtractOptions {
        limits: Limits {
            max_entries: 10,
            ..Limits::default()
        },
        ..ExtractOptions::default()
    };
    let err = extract_bytes("many.apk", &zip, &opts).unwrap_err();
    assert!(
        matches!(
            err,
            ExtractError::Archive(ArchiveError::TooManyEntries {
                count: 50,
                limit: 10
            })
        ),
        "{err}"
    );
}

/// `apksig/weird-compression-method.apk` stores CERT.RSA with method 21,
/// which Android inflates as DEFLATE: the certificate must be read, and be
/// the one `apksigner` prints.
#[test]
fn weird_compression_method_reads_the_certificate_like_android() {
    let Some(corpus) = corpus() else { return };
    let path = corpus.join("android/apksig/weird-compression-method.apk");
    let bytes = std::fs::read(&path).unwrap();
    let Facts::App(app) = extract_bytes("w.apk", &bytes, &ExtractOptions::default()).unwrap()
    else {
        panic!("not an app");
    };
    let signing = &app.android.as_ref().unwrap().signing;
    let ours: Vec<&str> = signing
        .certificates
        .iter()
        .map(|c| c.sha256.as_str())
        .collect();
    assert_eq!(
        ours,
        ["fb5dbd3c669af9fc236c6991e6387b7f11ff0590997f22d0f5c74ff40e04fca8"]
    );
    match std::process::Command::new("apksigner")
        .args(["verify", "--print-certs"])
        .arg(&path)
        .output()
    {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout);
            for sha in &ours {
                assert!(text.contains(sha), "apksigner printed:\n{text}");
            }
        }
        Err(_) => eprintln!("skip oracle: apksigner not on PATH"),
    }
}

/// Every corpus file (hostile and malformed ones included) through the app
/// and inventory entry points: an error or facts, never a panic or hang.
#[test]
fn whole_corpus_never_panics_or_hangs() {
    let Some(corpus) = corpus() else { return };
    let mut stack = vec![corpus];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if e.metadata().map(|m| m.len() <= 32 << 20).unwrap_or(false) {
                files.push(p);
            }
        }
    }
    files.sort();
    let (mut ok, mut err) = (0, 0);
    for p in &files {
        let bytes = std::fs::read(p).unwrap();
        let name = p.display().to_string();
        let r = guarded_long(&name, bytes, |b| {
            extract_bytes("corpus", b, &ExtractOptions::default()).is_ok()
        });
        if r {
            ok += 1;
        } else {
            err += 1;
        }
    }
    eprintln!("corpus: {} files, {ok} read, {err} errors", files.len());
}

/// Like [`guarded`] with a longer watchdog for whole real-world apps (tens
/// of MB) in unoptimized builds.
fn guarded_long<T: Send + 'static>(
    what: &str,
    input: Vec<u8>,
    f: impl FnOnce(&[u8]) -> T + Send + 'static,
) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&input)));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(Ok(v)) => v,
        Ok(Err(_)) => panic!("{what}: panicked"),
        Err(_) => panic!("{what}: no result within 60 s (hang)"),
    }
}

/// One good app and two broken files in one scan: the good one is assessed,
/// the broken ones are listed as errors with their reasons, exit code 4.
#[test]
fn scan_reports_broken_targets_and_assesses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let good = root().join("sample-apps/android/out/securechat-1.0.apk");
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.path().join("truncated.apk");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    // A zip with an AndroidManifest.xml that is not binary XML.
    let garbage = dir.path().join("garbage-manifest.apk");
    std::fs::write(
        &garbage,
        zip_of(
            &[("AndroidManifest.xml", b"<manifest/> not binary xml")],
            zip::CompressionMethod::Deflated,
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .args(["scan", "--format", "json", "--as-of", "2026-11-23"])
        .arg(&good)
        .arg(&truncated)
        .arg(&garbage)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(4),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = common::json(&out.stdout).unwrap();
    let targets = json["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3, "{json}");
    let by_file = |f: &str| {
        targets
            .iter()
            .find(|t| t.to_string().contains(f))
            .unwrap_or_else(|| panic!("{f} not in report"))
    };
    let g = by_file("securechat-1.0.apk");
    assert_ne!(g["verdict"], "error", "{g}");
    assert!(g["error"].is_null(), "{g}");
    assert_eq!(g["target"]["id"], "org.example.securechat", "{g}");
    assert!(
        g["results"].as_array().is_some_and(|r| !r.is_empty()),
        "{g}"
    );
    for f in ["truncated.apk", "garbage-manifest.apk"] {
        let t = by_file(f);
        assert_eq!(t["verdict"], "error", "{t}");
        let reason = t["error"].as_str().unwrap_or("");
        assert!(!reason.is_empty(), "{f}: no reason: {t}");
        eprintln!("{f}: {reason}");
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("truncated.apk") && stderr.contains("garbage-manifest.apk"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------------------
// Crafted manifests: tricks Android accepts but other tools trip over. Each
// starts from the real compiled manifest of a sample app, edits it at the
// byte level, repacks the APK, and checks msgaudit still reads the values
// Android would use.
// ---------------------------------------------------------------------------

const NO_INDEX: u32 = u32::MAX;

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

fn put_u16(b: &mut [u8], at: usize, v: usize) {
    b[at..at + 2].copy_from_slice(&u16::try_from(v).unwrap().to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// The strings of a string pool chunk (UTF-8 or UTF-16).
fn decode_pool(chunk: &[u8]) -> Vec<String> {
    let count = u32_at(chunk, 8) as usize;
    let utf8 = u32_at(chunk, 16) & 0x100 != 0;
    let strings_start = u32_at(chunk, 20) as usize;
    let offsets = u16_at(chunk, 2);
    (0..count)
        .map(|i| {
            let at = strings_start + u32_at(chunk, offsets + 4 * i) as usize;
            if utf8 {
                // UTF-16 length, then UTF-8 length (1 or 2 bytes each), then bytes.
                let skip = |at: usize| if chunk[at] & 0x80 != 0 { 2 } else { 1 };
                let at = at + skip(at);
                let (len, n) = if chunk[at] & 0x80 != 0 {
                    (
                        (((chunk[at] & 0x7f) as usize) << 8) | chunk[at + 1] as usize,
                        2,
                    )
                } else {
                    (chunk[at] as usize, 1)
                };
                String::from_utf8(chunk[at + n..at + n + len].to_vec()).unwrap()
            } else {
                let len = u16_at(chunk, at);
                assert!(len < 0x8000, "long UTF-16 strings not needed here");
                let units: Vec<u16> = (0..len)
                    .map(|k| u16_at(chunk, at + 2 + 2 * k) as u16)
                    .collect();
                String::from_utf16(&units).unwrap()
            }
        })
        .collect()
}

/// A UTF-16 string pool chunk with `strings` (indices unchanged), `header_pad`
/// extra header bytes, extra offset entries pointing outside the pool (unused
/// strings), and `trailing` junk bytes after the string data.
fn encode_pool(
    strings: &[String],
    header_pad: usize,
    bad_offsets: usize,
    trailing: &[u8],
) -> Vec<u8> {
    let header = 28 + header_pad;
    let count = strings.len() + bad_offsets;
    let mut data = Vec::new();
    let mut offsets = Vec::new();
    for s in strings {
        offsets.push(data.len() as u32);
        let units: Vec<u16> = s.encode_utf16().collect();
        data.extend_from_slice(&(units.len() as u16).to_le_bytes());
        for u in units {
            data.extend_from_slice(&u.to_le_bytes());
        }
        data.extend_from_slice(&[0, 0]);
    }
    offsets.extend(std::iter::repeat_n(0xffff_fff0u32, bad_offsets));
    data.extend_from_slice(trailing);
    while data.len() % 4 != 0 {
        data.push(0);
    }
    let strings_start = header + 4 * count;
    let mut out = vec![0u8; strings_start];
    put_u16(&mut out, 0, 0x0001);
    put_u16(&mut out, 2, header);
    put_u32(&mut out, 8, count as u32);
    put_u32(&mut out, 12, 0);
    put_u32(&mut out, 16, 0);
    put_u32(&mut out, 20, strings_start as u32);
    put_u32(&mut out, 24, 0);
    for (i, o) in offsets.iter().enumerate() {
        put_u32(&mut out, header + 4 * i, *o);
    }
    out.fill_with_header_pad(28, header);
    out.extend_from_slice(&data);
    let size = out.len() as u32;
    put_u32(&mut out, 4, size);
    out
}

trait Pad {
    fn fill_with_header_pad(&mut self, from: usize, to: usize);
}

impl Pad for Vec<u8> {
    /// Fills the extra header bytes with a recognizable non-zero pattern.
    fn fill_with_header_pad(&mut self, from: usize, to: usize) {
        for b in &mut self[from..to] {
            *b = 0xA5;
        }
    }
}

/// A binary manifest split into its string pool and the chunks after it.
struct Axml {
    strings: Vec<String>,
    rest: Vec<u8>,
}

impl Axml {
    fn parse(doc: &[u8]) -> Axml {
        assert_eq!(u16_at(doc, 0), 0x0003, "not binary XML");
        let pool_at = u16_at(doc, 2);
        assert_eq!(u16_at(doc, pool_at), 0x0001, "no string pool first");
        let pool_size = u32_at(doc, pool_at + 4) as usize;
        Axml {
            strings: decode_pool(&doc[pool_at..pool_at + pool_size]),
            rest: doc[pool_at + pool_size..].to_vec(),
        }
    }

    /// The chunks after the pool: (offset in `rest`, type).
    fn chunks(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at + 8 <= self.rest.len() {
            out.push((at, u16_at(&self.rest, at)));
            at += u32_at(&self.rest, at + 4) as usize;
        }
        out
    }

    /// How many strings the resource map gives an id (attribute names).
    fn resource_mapped(&self) -> usize {
        self.chunks()
            .iter()
            .find(|(_, t)| *t == 0x0180)
            .map_or(0, |&(at, _)| (u32_at(&self.rest, at + 4) as usize - 8) / 4)
    }

    fn index_of(&self, s: &str) -> u32 {
        self.strings.iter().position(|x| x == s).unwrap() as u32
    }

    /// The start-element chunk named `name`.
    fn start_element(&self, name: &str) -> usize {
        let idx = self.index_of(name);
        self.chunks()
            .into_iter()
            .find(|&(at, t)| {
                t == 0x0102 && u32_at(&self.rest, at + u16_at(&self.rest, at + 2) + 4) == idx
            })
            .unwrap()
            .0
    }

    /// Appends an attribute to the start element at `at` (the chunk grows).
    fn push_attribute(&mut self, at: usize, attr: [u8; 20]) {
        let header = u16_at(&self.rest, at + 2);
        let size = u32_at(&self.rest, at + 4) as usize;
        let count = u16_at(&self.rest, at + header + 12);
        let stride = u16_at(&self.rest, at + header + 10);
        assert_eq!(stride, 20);
        self.rest.splice(at + size..at + size, attr);
        put_u32(&mut self.rest, at + 4, (size + 20) as u32);
        put_u16(&mut self.rest, at + header + 12, count + 1);
    }

    /// Grows the header of every start element by `pad` bytes (Android skips
    /// to `headerSize`; a tool assuming 16 misreads every field).
    fn pad_element_headers(&mut self, pad: usize) {
        for (at, t) in self.chunks().into_iter().rev() {
            if t != 0x0102 {
                continue;
            }
            let header = u16_at(&self.rest, at + 2);
            let size = u32_at(&self.rest, at + 4) as usize;
            self.rest
                .splice(at + header..at + header, std::iter::repeat_n(0xEEu8, pad));
            put_u16(&mut self.rest, at + 2, header + pad);
            put_u32(&mut self.rest, at + 4, (size + pad) as u32);
        }
    }

    fn build(
        &self,
        doc_header_pad: usize,
        pool_header_pad: usize,
        bad_offsets: usize,
        trailing: &[u8],
    ) -> Vec<u8> {
        let pool = encode_pool(&self.strings, pool_header_pad, bad_offsets, trailing);
        let header = 8 + doc_header_pad;
        let mut out = vec![0xC3u8; header];
        put_u16(&mut out, 0, 0x0003);
        put_u16(&mut out, 2, header);
        out.extend_from_slice(&pool);
        out.extend_from_slice(&self.rest);
        let size = out.len() as u32;
        put_u32(&mut out, 4, size);
        out
    }
}

/// The sample APK with its manifest replaced (other entries copied raw).
fn repack(apk: &[u8], manifest: &[u8]) -> Vec<u8> {
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(apk)).unwrap();
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..src.len() {
        let f = src.by_index_raw(i).unwrap();
        if f.name_raw() == b"AndroidManifest.xml" {
            drop(f);
            w.start_file(
                "AndroidManifest.xml",
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
            w.write_all(manifest).unwrap();
        } else {
            w.raw_copy_file(f).unwrap();
        }
    }
    let out = w.finish().unwrap().into_inner();
    // For comparing with other tools by hand (docs/hardening.md).
    if let Some(dir) = std::env::var_os("MSGAUDIT_HOSTILE_DUMP") {
        let name = std::thread::current()
            .name()
            .unwrap_or("crafted")
            .replace("::", "-");
        std::fs::write(PathBuf::from(dir).join(format!("{name}.apk")), &out).unwrap();
    }
    out
}

/// The manifest facts Android acts on, as JSON (for comparison).
fn manifest_view(apk: &[u8]) -> serde_json::Value {
    let facts = extract_bytes("crafted.apk", apk, &ExtractOptions::default())
        .unwrap_or_else(|e| panic!("crafted APK refused: {e}"));
    let Facts::App(app) = facts else {
        panic!("not an app")
    };
    let a = app.android.as_ref().unwrap();
    serde_json::json!({
        "app": app.app,
        "permissions": a.permissions,
        "application": a.application,
        "components": a.components,
    })
}

fn securechat() -> (Vec<u8>, Axml) {
    let apk = std::fs::read(root().join("sample-apps/android/out/securechat-1.0.apk")).unwrap();
    let manifest = Archive::new(&apk, Limits::default())
        .unwrap()
        .read("AndroidManifest.xml")
        .unwrap();
    let axml = Axml::parse(&manifest);
    (apk, axml)
}

#[test]
fn crafted_manifest_baseline_round_trips() {
    let (apk, axml) = securechat();
    let view = manifest_view(&apk);
    assert_eq!(view["app"]["id"], "org.example.securechat");
    assert_eq!(view["app"]["build"], "1");
    assert_eq!(view["application"]["allow_backup"], false);
    // Re-encoding the pool (as UTF-16) changes nothing.
    assert_eq!(
        manifest_view(&repack(&apk, &axml.build(0, 0, 0, &[]))),
        view
    );
}

/// Attribute names replaced by garbage: Android identifies `android:`
/// attributes by the resource ids of the resource map, not by name.
#[test]
fn crafted_manifest_garbage_attribute_names() {
    let (apk, mut axml) = securechat();
    let expected = manifest_view(&apk);
    let mapped = axml.resource_mapped();
    assert!(mapped >= 5, "resource map covers {mapped} strings");
    for s in axml.strings.iter_mut().take(mapped) {
        *s = s
            .chars()
            .rev()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    'q'
                } else {
                    '\u{fffd}'
                }
            })
            .collect();
    }
    assert!(!axml
        .strings
        .iter()
        .any(|s| s == "allowBackup" || s == "versionCode"));
    let crafted = repack(&apk, &axml.build(0, 0, 0, &[]));
    assert_eq!(manifest_view(&crafted), expected);
}

/// An extra `android:allowBackup="true"` without resource id on
/// `<application>`: not an Android attribute, Android ignores it (the real
/// one, with id 0x01010280, says false).
#[test]
fn crafted_manifest_fake_android_attribute_without_id() {
    let (apk, mut axml) = securechat();
    let expected = manifest_view(&apk);
    let ns = axml.index_of("http://schemas.android.com/apk/res/android");
    axml.strings.push("allowBackup".into());
    let fake_name = (axml.strings.len() - 1) as u32;
    assert!(fake_name as usize >= axml.resource_mapped());
    let app = axml.start_element("application");
    let mut attr = [0u8; 20];
    attr[0..4].copy_from_slice(&ns.to_le_bytes());
    attr[4..8].copy_from_slice(&fake_name.to_le_bytes());
    attr[8..12].copy_from_slice(&NO_INDEX.to_le_bytes());
    attr[12..14].copy_from_slice(&8u16.to_le_bytes());
    attr[15] = 0x12; // TYPE_INT_BOOLEAN
    attr[16..20].copy_from_slice(&u32::MAX.to_le_bytes()); // true
    axml.push_attribute(app, attr);
    let manifest = axml.build(0, 0, 0, &[]);
    // The fake is really there, as a namespaced attribute without id.
    let doc = msgaudit::extract::android::axml::parse(&manifest, &Limits::default()).unwrap();
    let application = doc
        .root
        .children
        .iter()
        .find(|e| e.name == "application")
        .unwrap();
    let ids: Vec<Option<u32>> = application
        .attributes
        .iter()
        .filter(|a| a.name == "allowBackup")
        .map(|a| a.resource_id)
        .collect();
    assert_eq!(ids, [Some(0x0101_0280), None], "{application:?}");
    let crafted = repack(&apk, &manifest);
    let view = manifest_view(&crafted);
    assert_eq!(view["application"]["allow_backup"], false, "{view}");
    assert_eq!(view, expected);
}

/// Oversized chunk headers (document, string pool, every start element):
/// Android skips to `headerSize`; tools assuming fixed sizes misread.
#[test]
fn crafted_manifest_oversized_chunk_headers() {
    let (apk, mut axml) = securechat();
    let expected = manifest_view(&apk);
    axml.pad_element_headers(12);
    let crafted = repack(&apk, &axml.build(16, 8, 0, &[]));
    assert_eq!(manifest_view(&crafted), expected);
}

/// A string pool with unused entries whose offsets point outside the pool
/// and junk after the string data: Android only reads the strings it uses.
#[test]
fn crafted_manifest_string_pool_with_invalid_trailing_data() {
    let (apk, axml) = securechat();
    let expected = manifest_view(&apk);
    // Android checks only that the pool data ends with a NUL character
    // (`ResStringPool::setTo`); this junk (a lone surrogate, bytes that are
    // no valid UTF-16 string) ends with one.
    let junk = [0xffu8, 0xfe, 0x00, 0xd8, 0x41, 0x00, 0x80, 0xff, 0x00, 0x00];
    let crafted = repack(&apk, &axml.build(0, 0, 3, &junk));
    assert_eq!(manifest_view(&crafted), expected);
}

// ---------------------------------------------------------------------------
// Inventory documents: entity expansion and nesting.
// ---------------------------------------------------------------------------

fn inventory_error(format: &str, bytes: Vec<u8>) -> String {
    let format = format.to_string();
    guarded(&format!("{format} document"), bytes, move |b| {
        let opts = ExtractOptions {
            inventory_format: Some(format.clone()),
            ..ExtractOptions::default()
        };
        match extract_bytes("inventory", b, &opts) {
            Ok(_) => panic!("{format}: hostile document accepted"),
            Err(e) => e.to_string(),
        }
    })
}

/// "Billion laughs" in the XML and plist adapters: refused, never expanded.
#[test]
fn entity_expansion_is_refused() {
    let laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
"#;
    let jamf = format!("{laughs}<mobile_devices><mobile_device><name>&lol4;</name></mobile_device></mobile_devices>");
    let err = inventory_error("jamf-xml", jamf.into_bytes());
    assert!(err.contains("entities") || err.contains("DOCTYPE"), "{err}");
    let plist = format!("{laughs}<plist version=\"1.0\"><array><dict><key>DeviceName</key><string>&lol4;</string></dict></array></plist>");
    let err = inventory_error("apple-mdm", plist.into_bytes());
    assert!(err.contains("entities") || err.contains("DOCTYPE"), "{err}");
}

/// Documents nested far deeper than any export: an error naming the limit
/// (XML, plist) or the JSON parser's own depth bound; no stack overflow.
#[test]
fn deep_nesting_is_refused() {
    let n = 100_000;
    let xml = format!(
        "<mobile_devices>{}{}</mobile_devices>",
        "<a>".repeat(n),
        "</a>".repeat(n)
    );
    let err = inventory_error("jamf-xml", xml.into_bytes());
    assert!(err.contains("256"), "{err}");
    let plist = format!(
        "<?xml version=\"1.0\"?><plist version=\"1.0\">{}{}</plist>",
        "<array>".repeat(n),
        "</array>".repeat(n)
    );
    let err = inventory_error("apple-mdm", plist.into_bytes());
    assert!(err.contains("256"), "{err}");
    let json = format!("{}{}", "[".repeat(n), "]".repeat(n));
    for format in [
        "intune-graph",
        "jamf-json",
        "workspace-one",
        "android-management",
    ] {
        let err = inventory_error(format, json.clone().into_bytes());
        assert!(!err.is_empty(), "{format}");
    }
}

/// Found by the `macho` mutations: goblin 0.10 subtracts `__TEXT.fileoff`
/// from `vmaddr` unchecked when an image has `LC_MAIN`, and panics (overflow)
/// when `fileoff > vmaddr`. A 128-byte image with exactly that is an error
/// naming the parser failure, not a crash.
#[test]
fn regression_macho_lc_main_text_fileoff_above_vmaddr() {
    let bytes =
        std::fs::read(root().join("fuzz/regressions/macho/lc-main-text-fileoff-above-vmaddr.bin"))
            .unwrap();
    let r = guarded("crafted Mach-O", bytes, |b| {
        msgaudit::extract::ios::macho::read_macho(b).map(|_| ())
    });
    // With overflow checks (debug builds) goblin panics and msgaudit turns
    // that into an error; without them (release) the subtraction wraps and
    // the file reads. Either way nothing escapes `guarded`.
    if cfg!(debug_assertions) {
        let err = r.expect_err("an inconsistent Mach-O is an error");
        assert!(err.to_string().contains("parser failed"), "{err}");
    }
}

/// The limits are settable on the command line, and hitting one names it.
#[test]
fn limit_options_reach_the_extractors() {
    let apk = root().join("sample-apps/android/out/securechat-1.0.apk");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_msgaudit"))
            .args(args)
            .arg(&apk)
            .output()
            .unwrap()
    };
    let out = run(&["facts", "--max-entries", "3"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("more than the limit of 3"), "{stderr}");
    let out = run(&["facts", "--max-input-size", "0"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("limit of 0 bytes"));
    // Defaults: the same file is read.
    assert_eq!(run(&["facts"]).status.code(), Some(0));
    // scan applies them as well: the app becomes an error target.
    let out = run(&["scan", "--format", "json", "--max-entries", "3"]);
    assert_eq!(out.status.code(), Some(4));
    let json: serde_json::Value = common::json(&out.stdout).unwrap();
    let err = json["targets"][0]["error"].as_str().unwrap_or_default();
    assert!(err.contains("limit of 3"), "{json}");
}
