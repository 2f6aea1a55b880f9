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

/// Deterministic xorshift generator (no dependency, same sequence everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
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
                _ => false,
            };
            if wanted {
                if let Ok(data) = archive.read(n) {
                    out.push(data);
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
                let mut input = vec![(i % 9) as u8];
                input.extend(std::fs::read(p).unwrap());
                out.push(input);
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
    mutate_target("arsc", 2000);
}

#[test]
fn mutations_strpool() {
    mutate_target("strpool", 4000);
}

#[test]
fn mutations_dex() {
    mutate_target("dex", 3000);
}

#[test]
fn mutations_pkcs7() {
    mutate_target("pkcs7", 3000);
}

#[test]
fn mutations_signing_block() {
    mutate_target("signing_block", 400);
}

#[test]
fn mutations_app() {
    mutate_target("app", 400);
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
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
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
