//! Android binary readers (DEX tables, native libraries, signatures) checked
//! against the real oracle tools on the third-party corpus:
//! `dexdump -f` (class counts), `readelf -d` / `readelf -lW` (NEEDED, NX,
//! RELRO) and `apksigner verify --print-certs -v` (certificate digests).
//!
//! The corpus is found through `MSGAUDIT_CORPUS`, else `../shared/corpus`
//! next to the crate; without it (or without a tool) a test prints a skip
//! message and passes. Everything runs through the library on in-memory
//! bytes (`Archive::new`), as the CLI will.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use msgaudit::archive::Archive;
use msgaudit::extract::android::dex::{read_dex, DexTables};
use msgaudit::extract::android::native::{inspect_elf, read_native_libs};
use msgaudit::extract::android::signing::read_signing;
use msgaudit::extract::problems::Problems;
use msgaudit::facts::NativeLib;
use msgaudit::limits::Limits;

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIP: corpus not found at {}", dir.display());
        None
    }
}

fn have(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(tool).is_file()));
    if !found {
        eprintln!("SKIP: {tool} not on PATH");
    }
    found
}

/// All files under `dir` whose name ends with `ext`, sorted.
fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs a tool; stdout when it exits successfully.
fn run(tool: &str, args: &[&str], file: &Path) -> Option<String> {
    let out = Command::new(tool).args(args).arg(file).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Writes `bytes` to a fresh temporary file for an oracle tool.
fn temp_file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write temp file");
    f
}

/// `class_defs_size` from `dexdump -f` and the class names of its
/// `Class descriptor` lines (dotted), or `None` when dexdump rejects the file.
fn dexdump_classes(file: &Path) -> Option<(usize, Vec<String>)> {
    let text = run("dexdump", &["-f"], file)?;
    let count = text
        .lines()
        .find_map(|l| l.strip_prefix("class_defs_size"))
        .and_then(|v| v.trim_start_matches([' ', ':']).trim().parse().ok())?;
    let names = text
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("Class descriptor  : '"))
        .map(|d| {
            let d = d.strip_suffix('\'').unwrap_or(d);
            d.strip_prefix('L')
                .and_then(|d| d.strip_suffix(';'))
                .unwrap_or(d)
                .replace('/', ".")
        })
        .collect();
    Some((count, names))
}

/// Wraps `dex` as `classes.dex` in an in-memory zip.
fn zip_with_dex(dex: &[u8]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    w.start_file("classes.dex", zip::write::SimpleFileOptions::default())
        .expect("zip entry");
    w.write_all(dex).expect("zip write");
    w.finish().expect("zip finish");
    buf.into_inner()
}

fn is_dex_name(name: &str) -> bool {
    msgaudit::extract::android::dex::multidex_number(name).is_some()
}

#[test]
fn dex_class_counts_match_dexdump() {
    let Some(corpus) = corpus() else { return };
    if !have("dexdump") {
        return;
    }
    let limits = Limits::default();
    let (mut matched, mut malformed) = (0usize, 0usize);
    let mut failures = Vec::new();

    // Loose DEX files, each read through read_dex inside an in-memory zip.
    for path in files(&corpus.join("android/dex"), ".dex") {
        let bytes = std::fs::read(&path).expect("read dex");
        let apk = zip_with_dex(&bytes);
        let archive = Archive::new(&apk, limits).expect("in-memory zip");
        let mut problems = Problems::default();
        let out = read_dex(&archive, "", &[], &limits, &mut problems);
        let clean = problems.warnings.is_empty() && problems.unread.is_empty();
        match dexdump_classes(&path) {
            Some((n, names)) if out.facts.classes == n && out.class_names == names && clean => {
                matched += 1
            }
            Some((n, _)) => failures.push(format!(
                "{}: dexdump {n} classes, msgaudit {} (problems {problems:?})",
                path.display(),
                out.facts.classes
            )),
            None if !clean => malformed += 1,
            None => failures.push(format!(
                "{}: dexdump rejects it, msgaudit gave no warning",
                path.display()
            )),
        }
    }

    // Every classes*.dex inside every corpus APK.
    for path in files(&corpus.join("android"), ".apk") {
        let bytes = std::fs::read(&path).expect("read apk");
        let Ok(archive) = Archive::new(&bytes, limits) else {
            continue;
        };
        let mut problems = Problems::default();
        let out = read_dex(&archive, "", &[], &limits, &mut problems);
        for (i, entry) in archive.entries().iter().enumerate() {
            if !is_dex_name(&entry.name) {
                continue;
            }
            let Ok(dex) = archive.read_index(i) else {
                continue;
            };
            let tmp = temp_file(&dex);
            let ours = out.facts.files.iter().find(|f| f.name == entry.name);
            let label = format!("{}!{}", path.display(), entry.name);
            let our_names = DexTables::parse(&dex, &limits)
                .map(|d| d.class_names())
                .ok();
            match (dexdump_classes(tmp.path()), ours) {
                (Some((n, names)), Some(f)) if f.classes == n && our_names.as_ref() == Some(&names) => {
                    matched += 1
                }
                (None, _)
                    if problems.unread.iter().any(|u| u.entry == entry.name)
                        || problems.warnings.iter().any(|w| w.english().starts_with(&entry.name)) =>
                {
                    malformed += 1
                }
                (theirs, ours) => failures.push(format!(
                    "{label}: dexdump {:?} classes, msgaudit {:?} (problems {problems:?}; names equal: {})",
                    theirs.as_ref().map(|t| t.0),
                    ours.map(|f| f.classes),
                    theirs.map(|t| t.1) == our_names
                )),
            }
        }
    }
    eprintln!(
        "DEX: {matched} files match dexdump (class_defs_size and every class descriptor), {malformed} rejected by both, {} mismatches",
        failures.len()
    );
    assert!(matched > 50, "too few DEX files compared: {matched}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn malformed_dex_files_warn_without_panic() {
    let Some(corpus) = corpus() else { return };
    let limits = Limits::default();
    let malformed: Vec<PathBuf> = files(&corpus.join("android/dex"), ".dex")
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("MALFORMED"))
        .collect();
    assert_eq!(malformed.len(), 4, "expected the 4 fuzzed DEX files");
    for path in malformed {
        let bytes = std::fs::read(&path).expect("read dex");
        let apk = zip_with_dex(&bytes);
        let archive = Archive::new(&apk, limits).expect("in-memory zip");
        let mut problems = Problems::default();
        let _ = read_dex(&archive, "", &[], &limits, &mut problems);
        assert!(
            !problems.unread.is_empty() || !problems.warnings.is_empty(),
            "{}: neither unread nor a warning",
            path.display()
        );
        assert!(problems.unread.iter().all(|u| u.entry == "classes.dex"));
        assert!(problems
            .warnings
            .iter()
            .all(|w| w.english().starts_with("classes.dex: ")));
        // Every prefix of the file must be handled too.
        for cut in (0..bytes.len()).step_by(7) {
            if let Ok(d) = DexTables::parse(bytes.get(..cut).unwrap_or_default(), &limits) {
                let _ = d.class_names();
                let _ = d.strings().count();
            }
        }
    }
}

/// What `readelf` says about one library.
#[derive(Debug, PartialEq, Eq)]
struct ReadElf {
    needed: Vec<String>,
    nx: bool,
    relro: String,
}

fn readelf(file: &Path) -> Option<ReadElf> {
    let dynamic = run("readelf", &["-dW"], file)?;
    let segments = run("readelf", &["-lW"], file)?;
    let needed = dynamic
        .lines()
        .filter(|l| l.contains("(NEEDED)"))
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect();
    let bind_now = dynamic.lines().any(|l| {
        l.contains("(BIND_NOW)")
            || (l.contains("(FLAGS)") && l.contains("BIND_NOW"))
            || (l.contains("(FLAGS_1)") && l.split_whitespace().any(|w| w == "NOW"))
    });
    let mut nx = false;
    let mut relro = false;
    for line in segments.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        match tokens.first() {
            // GNU_STACK offset vaddr paddr filesz memsz FLAGS… align
            Some(&"GNU_STACK") if tokens.len() > 7 => {
                let flags = tokens.get(6..tokens.len() - 1).unwrap_or_default().concat();
                nx = !flags.contains('E');
            }
            Some(&"GNU_RELRO") => relro = true,
            _ => {}
        }
    }
    let relro = match (relro, bind_now) {
        (false, _) => "none",
        (true, false) => "partial",
        (true, true) => "full",
    };
    Some(ReadElf {
        needed,
        nx,
        relro: relro.to_string(),
    })
}

fn compare_lib(label: &str, lib: &NativeLib, file: &Path, failures: &mut Vec<String>) -> bool {
    let Some(theirs) = readelf(file) else {
        if lib.error.is_none() {
            failures.push(format!("{label}: readelf rejects it, msgaudit read it"));
        }
        return false;
    };
    let ours = lib.hardening.as_ref().map(|h| ReadElf {
        needed: lib.needed.clone(),
        nx: h.nx,
        relro: h.relro.clone(),
    });
    if ours.as_ref() != Some(&theirs) {
        failures.push(format!(
            "{label}: readelf {theirs:?}, msgaudit {ours:?} (error {:?})",
            lib.error
        ));
        return false;
    }
    true
}

#[test]
fn native_libs_match_readelf() {
    let Some(corpus) = corpus() else { return };
    if !have("readelf") {
        return;
    }
    let mut matched = 0usize;
    let mut failures = Vec::new();
    for path in files(&corpus.join("android/so"), ".so") {
        let bytes = std::fs::read(&path).expect("read so");
        let mut lib = NativeLib::default();
        inspect_elf(&bytes, &mut lib);
        if compare_lib(&path.display().to_string(), &lib, &path, &mut failures) {
            matched += 1;
        }
    }
    let mut in_apks = 0usize;
    for path in files(&corpus.join("android"), ".apk") {
        let bytes = std::fs::read(&path).expect("read apk");
        let Ok(archive) = Archive::new(&bytes, Limits::default()) else {
            continue;
        };
        for lib in read_native_libs(&archive, "", &mut Problems::default()) {
            in_apks += 1;
            let Ok(data) = archive.read(&lib.path) else {
                continue;
            };
            let tmp = temp_file(&data);
            let label = format!("{}!{}", path.display(), lib.path);
            if compare_lib(&label, &lib, tmp.path(), &mut failures) {
                matched += 1;
            }
        }
    }
    eprintln!(
        "ELF: {matched} libraries agree with readelf (NEEDED, NX, RELRO), {in_apks} listed inside APKs, {} mismatches",
        failures.len()
    );
    assert!(matched > 30, "too few libraries compared: {matched}");
    assert!(failures.is_empty(), "{failures:#?}");
}

/// `(SHA-256 digest, DN)` of each signer certificate apksigner prints for a
/// verified APK (the DN line precedes the digest line of the same signer).
fn apksigner_certs(file: &Path) -> BTreeMap<String, String> {
    let Ok(out) = Command::new("apksigner")
        .args(["verify", "--print-certs", "-v"])
        .arg(file)
        .output()
    else {
        return BTreeMap::new();
    };
    let mut certs = BTreeMap::new();
    let mut dn = String::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if let Some((_, d)) = line.split_once("certificate DN: ") {
            dn = d.trim().to_string();
        } else if let Some((_, d)) = line.split_once("certificate SHA-256 digest: ") {
            certs.insert(d.trim().to_string(), std::mem::take(&mut dn));
        }
    }
    certs
}

/// apksigner prints the signer certificates of the newest scheme it verified
/// (v3.1/v3 when present, else v2, else v1). With key rotation the v3 signer
/// is the newest key while v1/v2 carry the oldest, so msgaudit — which lists
/// the certificates of every scheme present — must contain apksigner's set,
/// and equals it whenever no rotation is involved (counted below).
///
/// `weird-compression-method.apk` stores `META-INF/CERT.RSA` with zip
/// compression method 21, which Android (and apksig) inflate as Deflate;
/// `Archive` does the same, so it is compared like every other file.
#[test]
fn signing_certificates_match_apksigner() {
    let Some(corpus) = corpus() else { return };
    if !have("apksigner") {
        return;
    }
    let (mut compared, mut equal, mut dn_equal) = (0usize, 0usize, 0usize);
    let mut failures = Vec::new();
    for path in files(&corpus.join("android"), ".apk") {
        let their_certs = apksigner_certs(&path);
        let theirs: BTreeSet<String> = their_certs.keys().cloned().collect();
        if theirs.is_empty() {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read apk");
        let archive = match Archive::new(&bytes, Limits::default()) {
            Ok(a) => a,
            // apksigner checks signatures, not what Android installs: an
            // archive trick Android refuses (Janus prepended data, NUL in a
            // name) is refused as tampering, whatever apksigner says.
            Err(e) if e.is_tampering() => continue,
            Err(e) => {
                failures.push(format!(
                    "{}: apksigner verifies it, Archive::new fails: {e}",
                    path.display()
                ));
                continue;
            }
        };
        let signing = read_signing(&archive, &mut Problems::default());
        let ours: BTreeSet<String> = signing
            .certificates
            .iter()
            .map(|c| c.sha256.clone())
            .collect();
        compared += 1;
        if !theirs.is_subset(&ours) {
            failures.push(format!(
                "{}: apksigner {theirs:?} not all in msgaudit {ours:?} (problems {:?})",
                path.display(),
                signing.problems
            ));
        } else if theirs == ours {
            equal += 1;
        }
        for c in &signing.certificates {
            match their_certs.get(&c.sha256) {
                Some(dn) if *dn == c.subject => dn_equal += 1,
                Some(dn) => failures.push(format!(
                    "{}: apksigner DN '{dn}', msgaudit subject '{}'",
                    path.display(),
                    c.subject
                )),
                None => {}
            }
        }
    }
    eprintln!(
        "signing: {compared} APKs with apksigner certificates; {equal} identical digest sets; {dn_equal} subjects equal apksigner's DN; {} mismatches",
        failures.len()
    );
    assert!(compared > 30, "too few APKs compared: {compared}");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn signing_block_vectors() {
    let Some(corpus) = corpus() else { return };
    let read = |name: &str| {
        let bytes = std::fs::read(corpus.join("android/apksig").join(name)).expect("read vector");
        let archive = Archive::new(&bytes, Limits::default()).expect("zip");
        read_signing(&archive, &mut Problems::default())
    };
    let v31 = read("v31-ec-p256-2-tgt-33-1-tgt-28-targetSdk-30.apk");
    assert!(v31.schemes.iter().any(|s| s == "v3.1"), "{:?}", v31.schemes);
    assert!(v31
        .certificates
        .iter()
        .all(|c| c.key_algorithm == "EC" && c.key_size == Some(256)));
    let dsa = read("v1-only-with-dsa-sha1-1.2.840.10040.4.1-1024.apk");
    assert_eq!(dsa.schemes, vec!["v1"]);
    assert_eq!(dsa.certificates[0].key_algorithm, "DSA");
    assert_eq!(dsa.certificates[0].key_size, Some(1024));
    let magic = read("v2-only-wrong-apk-sig-block-magic.apk");
    assert!(magic.schemes.is_empty(), "{:?}", magic.schemes);
    assert!(
        magic.problems.iter().any(|p| p.contains("magic")),
        "{:?}",
        magic.problems
    );
    let mismatch = read("v2-only-apk-sig-block-size-mismatch.apk");
    assert!(mismatch.schemes.is_empty(), "{:?}", mismatch.schemes);
    assert!(!mismatch.problems.is_empty());
    // Two signers in one v1/v2 signature: both sign.
    let two = read("two-signers.apk");
    assert_eq!(
        two.certificates.iter().filter(|c| c.signer).count(),
        2,
        "{two:?}"
    );
    let lineage = read("v1v2v3-with-rsa-2048-lineage-3-signers.apk");
    assert_eq!(lineage.schemes, vec!["v1", "v2", "v3"]);
    assert!(
        lineage.certificates.len() >= 2,
        "rotation: old and new signer"
    );
}

/// fdroidserver issue 1128: APKs built to make a scanner report the wrong
/// signer — a second v2/v3 block after the real one (Android reads only the
/// first), or an extra certificate in the v1 PKCS#7 that no SignerInfo names.
/// apksigner names the real signer `CN=oops`; the decoy is `CN=Ciaran Gultnieks`.
#[test]
fn decoy_certificates_are_not_signers() {
    let Some(corpus) = corpus() else { return };
    let read = |name: &str| {
        let path = corpus.join("android/apk/fdroidserver").join(name);
        let bytes = std::fs::read(path).expect("read");
        let archive = Archive::new(&bytes, Limits::default()).expect("zip");
        read_signing(&archive, &mut Problems::default())
    };
    let signer_subjects = |s: &msgaudit::facts::Signing, scheme: &str| -> Vec<String> {
        s.certificates
            .iter()
            .filter(|c| c.signer && c.schemes.iter().any(|x| x == scheme))
            .map(|c| c.subject.clone())
            .collect()
    };
    for name in ["issue-1128-poc2.apk", "issue-1128-min-sdk-30-poc.apk"] {
        let s = read(name);
        assert_eq!(signer_subjects(&s, "v2"), vec!["CN=oops"], "{name}");
        assert_eq!(signer_subjects(&s, "v3"), vec!["CN=oops"], "{name}");
        assert!(
            s.problems
                .iter()
                .any(|p| p.contains("second v2 block") && p.contains("CN=Ciaran Gultnieks")),
            "{name}: {:?}",
            s.problems
        );
    }
    let poc3a = read("issue-1128-poc3a.apk");
    assert_eq!(signer_subjects(&poc3a, "v1"), vec!["CN=oops"]);
    let decoy = poc3a
        .certificates
        .iter()
        .find(|c| c.subject.starts_with("CN=Ciaran Gultnieks"))
        .expect("decoy listed");
    assert!(!decoy.signer);
}

/// Deterministic xorshift for the mutation test.
struct XorShift(u64);

impl XorShift {
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

/// Copies `bytes` and overwrites a few random bytes (header area favoured,
/// where offsets and sizes live).
fn mutate(bytes: &[u8], rng: &mut XorShift) -> Vec<u8> {
    let mut out = bytes.to_vec();
    for _ in 0..1 + rng.below(8) {
        let span = if rng.below(2) == 0 {
            256.min(out.len())
        } else {
            out.len()
        };
        let at = rng.below(span);
        if let Some(b) = out.get_mut(at) {
            *b = rng.next() as u8;
        }
    }
    out
}

/// Hostile input: thousands of randomly corrupted DEX files, ELF libraries,
/// v1 signature blocks and APK signing blocks from the corpus. Each reader
/// must return (facts, warnings or problems) — never panic or hang.
#[test]
fn corrupted_inputs_never_panic() {
    let Some(corpus) = corpus() else { return };
    use msgaudit::extract::android::signing::{block, v1};
    let limits = Limits::default();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let dex = std::fs::read(corpus.join("android/dex/r2tb-dex38.dex")).expect("dex");
    for _ in 0..2000 {
        let m = mutate(&dex, &mut rng);
        if let Ok(d) = DexTables::parse(&m, &limits) {
            let _ = d.class_names();
            let _ = d.strings().count();
            let _ = d.integrity_problems("classes.dex");
        }
    }
    let so = std::fs::read(corpus.join("android/so/minicap-android29-x86_64.so")).expect("so");
    for _ in 0..500 {
        let mut lib = NativeLib::default();
        inspect_elf(&mutate(&so, &mut rng), &mut lib);
    }
    let apk =
        std::fs::read(corpus.join("android/apksig/v1v2v3-with-rsa-2048-lineage-3-signers.apk"))
            .expect("apk");
    let archive = Archive::new(&apk, limits).expect("zip");
    let rsa = archive
        .entries()
        .iter()
        .find(|e| v1::is_signature_block(&e.name))
        .map(|e| archive.read(&e.name).expect("read RSA"))
        .expect("v1 block");
    for _ in 0..1000 {
        let _ = v1::certificates(&mutate(&rsa, &mut rng));
    }
    // Corrupt only the bytes of the signing block (just before the central directory).
    let cd = apk.len() - 22; // no EOCD comment in this vector
    let cd_off = u32::from_le_bytes(apk[cd + 16..cd + 20].try_into().expect("4 bytes")) as usize;
    assert!(
        !block::read_block(&apk).pairs.is_empty(),
        "the unmodified vector has a signing block"
    );
    let block_len = 4096.min(cd_off);
    for _ in 0..1000 {
        let mut m = apk.clone();
        for _ in 0..1 + rng.below(4) {
            let at = cd_off - 1 - rng.below(block_len);
            m[at] = rng.next() as u8;
        }
        let found = block::read_block(&m);
        for (_, value) in found.pairs {
            let _ = block::scheme_certificates(value);
        }
    }
}

/// The Android framework's resource table: `MSGAUDIT_ANDROID_FRAMEWORK`, else
/// the one apktool installs (`~/.local/share/apktool/framework/1.apk`).
fn android_framework() -> Option<PathBuf> {
    let path = std::env::var_os("MSGAUDIT_ANDROID_FRAMEWORK")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".local/share/apktool/framework/1.apk"))
        })?;
    path.is_file().then_some(path)
}

#[test]
fn android_attribute_ids_are_the_frameworks() {
    use msgaudit::extract::android::attrs::ALL;
    let Some(framework) = android_framework() else {
        eprintln!("skipped: no Android framework resource table (run apktool once, or set MSGAUDIT_ANDROID_FRAMEWORK)");
        return;
    };
    let Ok(out) = Command::new("aapt")
        .args(["dump", "resources"])
        .arg(&framework)
        .output()
    else {
        eprintln!("skipped: aapt not available");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // "spec resource 0x0101027f android:attr/backupAgent: flags=…"
    let mut framework_ids = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("spec resource 0x") else {
            continue;
        };
        let Some((id, name)) = rest.split_once(" android:attr/") else {
            continue;
        };
        let name = name.split(':').next().unwrap_or_default();
        if let Ok(id) = u32::from_str_radix(id, 16) {
            framework_ids.insert(name.to_string(), id);
        }
    }
    assert!(framework_ids.len() > 1000, "framework attributes read");
    let mut newer = Vec::new();
    for attr in ALL {
        let id = attr.id.expect("every built-in attribute has an id");
        match framework_ids.get(attr.name) {
            Some(known) => assert_eq!(*known, id, "android:{} id", attr.name),
            // Public ids never change; an older framework just lacks newer attributes.
            None => newer.push(attr.name),
        }
    }
    if !newer.is_empty() {
        eprintln!("not in this (older) framework, not checked: {newer:?}");
    }
    assert!(newer.len() < ALL.len() / 4, "most attributes checked");
}
