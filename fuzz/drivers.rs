//! What each fuzz target feeds its input to.
//!
//! Shared (via `#[path]`) by the cargo-fuzz targets in `fuzz/fuzz_targets/`
//! and by the bounded, deterministic mutation test in `tests/hostile.rs`, so
//! CI exercises exactly the code the long fuzz runs exercise. Each driver
//! parses the input and then walks everything the parser exposes (strings,
//! tables, certificates) so lazily decoded data is reached too. A driver
//! returns normally whatever the input; a panic, hang or runaway allocation
//! is the bug the fuzzer looks for.

#![allow(dead_code)]

use std::sync::{Arc, OnceLock};

use msgaudit::extract::android::{arsc, axml, dex, native, signing, strpool};
use msgaudit::extract::ios::{codesign, macho, plist, provision};
use msgaudit::extract::{extract_bytes, sdks::KnowledgeBase, ExtractOptions};
use msgaudit::facts::NativeLib;
use msgaudit::limits::Limits;

/// Limits used while fuzzing: the defaults, with archive budgets lowered so
/// a legitimate large allocation is not mistaken for a leak by libFuzzer's
/// RSS limit (the code paths are the same).
pub fn limits() -> Limits {
    Limits {
        max_entry_size: 64 << 20,
        max_total_inflated: 128 << 20,
        ..Limits::default()
    }
}

/// Extraction options built once (the SDK knowledge base is costly to load).
fn options(inventory_format: Option<&str>) -> ExtractOptions {
    static BASE: OnceLock<ExtractOptions> = OnceLock::new();
    let base = BASE.get_or_init(|| ExtractOptions {
        limits: limits(),
        sdks: Arc::new(KnowledgeBase::builtin()),
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default(),
        ..ExtractOptions::default()
    });
    ExtractOptions {
        inventory_format: inventory_format.map(str::to_string),
        ..base.clone()
    }
}

/// Binary XML (AndroidManifest.xml and res/xml/*.xml).
pub fn axml(data: &[u8]) {
    if let Ok(doc) = axml::parse(data, &limits()) {
        let _ = format!("{doc:?}");
    }
}

/// The resource table (resources.arsc): parse, then look up every id the
/// input could name cheaply (the first ones of each of the first packages).
pub fn arsc(data: &[u8]) {
    if let Ok(table) = arsc::ResourceTable::parse(data, &limits()) {
        for pkg in [0x01u32, 0x7f] {
            for ty in 1..=4u32 {
                for entry in 0..8u32 {
                    let id = (pkg << 24) | (ty << 16) | entry;
                    if let Some(v) = table.value(id) {
                        let _ = table.resolve(&v);
                    }
                    let _ = table.name(id);
                }
            }
        }
        let _ = table.exhausted();
    }
}

/// A string pool chunk (shared by AXML and ARSC).
pub fn strpool(data: &[u8]) {
    if let Ok(pool) = strpool::StringPool::parse(data, &limits()) {
        let n = u32::try_from(pool.len()).unwrap_or(u32::MAX).min(4096);
        for i in 0..n {
            let _ = pool.get(i);
        }
        let _ = pool.get(u32::MAX);
    }
}

/// DEX header, string, type and class tables.
pub fn dex(data: &[u8]) {
    if let Ok(tables) = dex::DexTables::parse(data, &limits()) {
        let _ = tables.version();
        let _ = tables.integrity_problems("classes.dex");
        let _ = tables.strings().count();
        let _ = tables.class_names();
        let _ = tables.type_descriptor(0);
        let _ = tables.string_bytes(u32::MAX);
    }
}

/// The APK Signing Block (v2/v3/v3.1) found from the zip EOCD, and every
/// scheme value in it.
pub fn signing_block(data: &[u8]) {
    let block = signing::block::read_block(data);
    for (_, value) in &block.pairs {
        if let Ok(certs) = signing::block::scheme_certificates(value) {
            for (der, _) in certs {
                let _ = signing::cert::describe(der);
            }
        }
    }
}

/// A v1 signature block (PKCS#7 SignedData, META-INF/*.RSA|DSA|EC).
pub fn pkcs7(data: &[u8]) {
    if let Ok(certs) = signing::v1::certificates(data) {
        for c in certs {
            let _ = signing::cert::describe(&c.der);
        }
    }
    let _ = signing::ber::pkcs7_certificates(data);
    let _ = signing::ber::pkcs7_signer_ids(data);
}

/// An ELF native library.
pub fn elf(data: &[u8]) {
    let mut lib = NativeLib::default();
    native::inspect_elf(data, &mut lib);
}

/// A Mach-O executable or library, thin or fat.
pub fn macho(data: &[u8]) {
    if let Ok(info) = macho::read_macho(data) {
        let _ = format!("{info:?}");
    }
}

/// A code-signature SuperBlob (what `LC_CODE_SIGNATURE` points at).
pub fn codesign(data: &[u8]) {
    let _ = codesign::read_code_signature(data, &limits());
}

/// A provisioning profile (CMS-signed plist, or a bare plist).
pub fn provision(data: &[u8]) {
    let _ = provision::read_profile(data, &limits());
}

/// A property list (XML or binary: Info.plist, entitlements, privacy manifests).
pub fn plist(data: &[u8]) {
    if let Ok(value) = plist::read_plist(data, &limits()) {
        let _ = plist::to_json(&value);
    }
}

/// A whole file through the public entry point: zip handling, APK, split
/// set, IPA (whatever the bytes are detected as).
pub fn app(data: &[u8]) {
    let _ = extract_bytes("fuzz.bin", data, &options(None));
}

/// The inventory formats, by name; the fuzz input's first byte picks one
/// (or auto-detection), the rest is the export.
pub const INVENTORY_FORMATS: [&str; 8] = [
    "intune-graph",
    "intune-csv",
    "jamf-xml",
    "jamf-json",
    "jamf-csv",
    "workspace-one",
    "android-management",
    "apple-mdm",
];

/// An MDM inventory export. First byte: adapter in the low nibble (see
/// [`INVENTORY_FORMATS`]; any other value auto-detects) and, in the high
/// nibble, how the export is read: 0 from memory at once, else as a stream
/// handing out at most 1–15 bytes per read (so every buffer boundary of the
/// streaming readers is crossed); rest: the file.
pub fn inventory(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = INVENTORY_FORMATS.get(usize::from(selector & 0x0f)).copied();
    let chunk = usize::from(selector >> 4);
    if chunk == 0 {
        let _ = extract_bytes("fuzz.csv", rest, &options(format));
        return;
    }
    let mut reader = std::io::BufReader::with_capacity(chunk, Trickle { data: rest, chunk });
    let mut devices = 0usize;
    let _ = msgaudit::extract::inventory::stream_inventory(
        "fuzz.csv",
        &mut reader,
        &options(format),
        &mut |_| devices += 1,
    );
}

/// A reader that hands out at most `chunk` bytes per call.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.data.len());
        let (head, tail) = self.data.split_at(n);
        buf.get_mut(..n).unwrap_or_default().copy_from_slice(head);
        self.data = tail;
        Ok(n)
    }
}

/// A driver: takes one input, returns whatever happens.
pub type Driver = fn(&[u8]);

/// Every target, by name.
pub const TARGETS: &[(&str, Driver)] = &[
    ("axml", axml),
    ("arsc", arsc),
    ("strpool", strpool),
    ("dex", dex),
    ("signing_block", signing_block),
    ("pkcs7", pkcs7),
    ("elf", elf),
    ("macho", macho),
    ("codesign", codesign),
    ("provision", provision),
    ("plist", plist),
    ("app", app),
    ("inventory", inventory),
];

/// Fuzz-target init: replaces libFuzzer's abort-on-any-panic hook by a
/// silent one, so that a panic msgaudit contains itself (its `catch_unwind`
/// guards around goblin's ELF and Mach-O parsers turn one into an error for
/// that file) is not reported, while a panic that escapes msgaudit still
/// reaches libfuzzer-sys's outer guard, aborts, and is saved as a crash.
pub fn contain_guarded_panics() {
    std::panic::set_hook(Box::new(|_| {}));
}
