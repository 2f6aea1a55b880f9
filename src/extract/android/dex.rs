//! DEX files: class names and string constants from the string and type tables.
//!
//! Only the header, `string_ids`, `type_ids` and `class_defs` are read; code is
//! never decoded. Every offset and size is checked against the file length
//! and against [`Limits::max_strings`], so a hostile file yields a warning,
//! never a panic or an unbounded allocation.
//!
//! Multidex: Android loads `classes.dex`, then `classes2.dex`, `classes3.dex`, …
//! and stops at the first missing number. All `classes*.dex` that exist at the
//! archive root are read here (an app may hide code past a gap from a naive
//! scanner, or a scanner may report code Android never loads), and each gap is
//! named in a warning.

mod apilist;
mod apirefs;
mod code;
mod mutf8;
mod patterns;
mod urls;

use std::cell::Cell;
use std::collections::{BTreeSet, HashSet};

use thiserror::Error;

use crate::archive::Archive;
use crate::extract::endpoints::EndpointFinds;
use crate::extract::problems::{Classify, Problems};
use crate::facts::warning::AppWarning;
use crate::facts::{DexFacts, DexFile, EndpointSourceKind, UnreadKind};
use crate::limits::Limits;

pub use apilist::{ApiList, ApiListError};
pub use apirefs::CodeScan;
pub use mutf8::decode_mutf8;
pub use urls::is_cleartext_url;

/// Most cleartext URLs kept over all DEX files (the alphabetically first ones).
pub const MAX_CLEARTEXT_URLS: usize = 200;

/// Size of the fixed DEX header.
const HEADER_SIZE: usize = 0x70;
/// Size of one `class_def_item`.
const CLASS_DEF_SIZE: usize = 32;
/// Little-endian `endian_tag` value.
const ENDIAN_CONSTANT: u32 = 0x1234_5678;
/// Byte-swapped `endian_tag` value (big-endian file).
const REVERSE_ENDIAN_CONSTANT: u32 = 0x7856_3412;

/// What reading the DEX files of one APK yields.
#[derive(Debug, Clone, Default)]
pub struct DexOutput {
    /// Per-file counts and derived facts (cleartext URLs, notable strings).
    pub facts: DexFacts,
    /// All class names, dotted (`com.example.Foo`), over all files.
    pub class_names: Vec<String>,
    /// Platform classes the code refers to (`android.*`, `java.*`, `javax.*`,
    /// `dalvik.*`: types listed in `type_ids` that an app cannot define
    /// itself), dotted, sorted, unique — evidence of platform API use such as
    /// `android.hardware.biometrics.BiometricPrompt`.
    pub platform_types: Vec<String>,
    /// API references and code patterns from the code items.
    pub code: CodeScan,
    /// Hosts named by `scheme://host` string constants.
    pub endpoints: EndpointFinds,
    /// Whether the archive holds `classes.dex` (readable or not): the entry
    /// Android requires when the manifest declares code.
    pub has_classes_dex: bool,
}

/// Why one DEX file could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum DexError {
    /// The file is shorter than the 112-byte header.
    #[error("file is {0} bytes, shorter than the 112-byte DEX header")]
    TooShort(usize),
    /// The magic is not `dex\n0NN\0`.
    #[error("bad magic {0:02x?} (expected 'dex\\n035\\0' … 'dex\\n041\\0')")]
    BadMagic([u8; 8]),
    /// The endian tag is neither little- nor big-endian.
    #[error("bad endian tag {0:#010x}")]
    BadEndianTag(u32),
    /// A table lies (partly) outside the file.
    #[error("{table} table ({count} items at offset {offset}) extends past the end of the file ({len} bytes)")]
    TableOutOfBounds {
        /// Which table.
        table: &'static str,
        /// Item count from the header.
        count: u32,
        /// Table offset from the header.
        offset: u32,
        /// File length.
        len: usize,
    },
    /// The string table is larger than [`Limits::max_strings`].
    #[error("string table has {count} entries, more than the limit of {limit}")]
    TooManyStrings {
        /// Entries in the header.
        count: u32,
        /// The configured limit.
        limit: usize,
    },
}

/// Header fields of one DEX file that this module uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DexHeader {
    /// Format version, e.g. `035`.
    pub version: [u8; 3],
    /// Whether the file is big-endian (never produced by Android tools).
    pub big_endian: bool,
    /// `checksum` field (Adler-32 of everything after it).
    pub checksum: u32,
    /// `file_size` field.
    pub file_size: u32,
    /// `string_ids_size`.
    pub string_ids_size: u32,
    /// `string_ids_off`.
    pub string_ids_off: u32,
    /// `type_ids_size`.
    pub type_ids_size: u32,
    /// `type_ids_off`.
    pub type_ids_off: u32,
    /// `class_defs_size`.
    pub class_defs_size: u32,
    /// `class_defs_off`.
    pub class_defs_off: u32,
}

/// A bounds-checked view of one DEX file's tables.
///
/// Reading strings is bounded: string ids may all point into one long
/// unterminated run of bytes, so the bytes searched for terminators are
/// counted, and once they exceed four times the file size (a valid file
/// needs about twice: one scan of all strings, one of the class names) no
/// further strings are returned and [`DexTables::scan_budget_exhausted`] is set.
#[derive(Debug, Clone)]
pub struct DexTables<'a> {
    bytes: &'a [u8],
    header: DexHeader,
    scan_left: Cell<u64>,
    exhausted: Cell<bool>,
}

/// Reads a `u32` at `off` with the given byte order; `None` past the end.
fn read_u32(bytes: &[u8], off: usize, big_endian: bool) -> Option<u32> {
    let end = off.checked_add(4)?;
    let raw: [u8; 4] = bytes.get(off..end)?.try_into().ok()?;
    Some(if big_endian {
        u32::from_be_bytes(raw)
    } else {
        u32::from_le_bytes(raw)
    })
}

/// Checks that `count` items of `item_size` bytes at `offset` lie inside `len`.
fn check_table(
    table: &'static str,
    count: u32,
    offset: u32,
    item_size: usize,
    len: usize,
) -> Result<(), DexError> {
    let fits = (count as usize)
        .checked_mul(item_size)
        .and_then(|size| size.checked_add(offset as usize))
        .is_some_and(|end| count == 0 || end <= len);
    if fits {
        Ok(())
    } else {
        Err(DexError::TableOutOfBounds {
            table,
            count,
            offset,
            len,
        })
    }
}

impl<'a> DexTables<'a> {
    /// Parses the header of `bytes` and checks that the string, type and
    /// class-def tables lie inside the file and within `limits`.
    pub fn parse(bytes: &'a [u8], limits: &Limits) -> Result<Self, DexError> {
        let magic: [u8; 8] = bytes
            .get(..8)
            .and_then(|m| m.try_into().ok())
            .ok_or(DexError::TooShort(bytes.len()))?;
        if bytes.len() < HEADER_SIZE {
            return Err(DexError::TooShort(bytes.len()));
        }
        let version = [magic[4], magic[5], magic[6]];
        let version_ok = matches!(
            &version,
            b"035" | b"036" | b"037" | b"038" | b"039" | b"040" | b"041"
        );
        if &magic[..4] != b"dex\n" || magic[7] != 0 || !version_ok {
            return Err(DexError::BadMagic(magic));
        }
        let tag = read_u32(bytes, 40, false).ok_or(DexError::TooShort(bytes.len()))?;
        let big_endian = match tag {
            ENDIAN_CONSTANT => false,
            REVERSE_ENDIAN_CONSTANT => true,
            other => return Err(DexError::BadEndianTag(other)),
        };
        let field = |off: usize| read_u32(bytes, off, big_endian).unwrap_or(0);
        let header = DexHeader {
            version,
            big_endian,
            checksum: field(8),
            file_size: field(32),
            string_ids_size: field(56),
            string_ids_off: field(60),
            type_ids_size: field(64),
            type_ids_off: field(68),
            class_defs_size: field(96),
            class_defs_off: field(100),
        };
        if header.string_ids_size as usize > limits.max_strings {
            return Err(DexError::TooManyStrings {
                count: header.string_ids_size,
                limit: limits.max_strings,
            });
        }
        let len = bytes.len();
        check_table(
            "string_ids",
            header.string_ids_size,
            header.string_ids_off,
            4,
            len,
        )?;
        check_table(
            "type_ids",
            header.type_ids_size,
            header.type_ids_off,
            4,
            len,
        )?;
        check_table(
            "class_defs",
            header.class_defs_size,
            header.class_defs_off,
            CLASS_DEF_SIZE,
            len,
        )?;
        let budget = (bytes.len() as u64)
            .saturating_mul(4)
            .saturating_add(1 << 20);
        Ok(DexTables {
            bytes,
            header,
            scan_left: Cell::new(budget),
            exhausted: Cell::new(false),
        })
    }

    /// The parsed header.
    pub fn header(&self) -> &DexHeader {
        &self.header
    }

    /// The version as text, e.g. `035`.
    pub fn version(&self) -> String {
        String::from_utf8_lossy(&self.header.version).into_owned()
    }

    /// Problems that do not stop reading the tables: a `file_size` field that
    /// differs from the real size, a wrong Adler-32 checksum. Android rejects
    /// such a file, so they are worth a warning; `file` names the DEX file.
    pub fn integrity_problems(&self, file: &str) -> Vec<AppWarning> {
        let mut problems = Vec::new();
        if self.header.file_size as usize != self.bytes.len() {
            problems.push(AppWarning::DexFileSize {
                file: file.to_string(),
                declared: u64::from(self.header.file_size),
                actual: self.bytes.len() as u64,
            });
        }
        let computed = adler32(self.bytes.get(12..).unwrap_or_default());
        if computed != self.header.checksum {
            problems.push(AppWarning::DexChecksum {
                file: file.to_string(),
                declared: self.header.checksum,
                computed,
            });
        }
        problems
    }

    /// Raw MUTF-8 bytes of string `idx` (without the NUL terminator), or
    /// `None` when the id or its data lies outside the file.
    pub fn string_bytes(&self, idx: u32) -> Option<&'a [u8]> {
        if idx >= self.header.string_ids_size {
            return None;
        }
        let id_off =
            (self.header.string_ids_off as usize).checked_add((idx as usize).checked_mul(4)?)?;
        let data_off = read_u32(self.bytes, id_off, self.header.big_endian)? as usize;
        let data = self.bytes.get(data_off..)?;
        let body = data.get(uleb128_len(data)?..)?;
        // An unterminated last string ends at the end of the file.
        let left = self.scan_left.get();
        let window = body.get(..usize::try_from(left).unwrap_or(usize::MAX).min(body.len()))?;
        let (end, scanned) = match window.iter().position(|&b| b == 0) {
            Some(end) => (end, end + 1),
            None if window.len() == body.len() => (body.len(), body.len()),
            None => {
                self.scan_left.set(0);
                self.exhausted.set(true);
                return None;
            }
        };
        self.scan_left.set(left.saturating_sub(scanned as u64));
        body.get(..end)
    }

    /// Whether string reading stopped because the scan budget ran out (a
    /// hostile file whose string ids overlap in long unterminated runs).
    pub fn scan_budget_exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// Iterates over the raw bytes of all readable strings.
    pub fn strings(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        (0..self.header.string_ids_size).filter_map(|i| self.string_bytes(i))
    }

    /// Type descriptor bytes (e.g. `Lcom/foo/Bar;`) of type `idx`.
    pub fn type_descriptor(&self, idx: u32) -> Option<&'a [u8]> {
        if idx >= self.header.type_ids_size {
            return None;
        }
        let off =
            (self.header.type_ids_off as usize).checked_add((idx as usize).checked_mul(4)?)?;
        let string_idx = read_u32(self.bytes, off, self.header.big_endian)?;
        self.string_bytes(string_idx)
    }

    /// Number of class definitions.
    pub fn class_count(&self) -> usize {
        self.header.class_defs_size as usize
    }

    /// Dotted names of the platform types (`android.*`, `java.*`, `javax.*`,
    /// `dalvik.*`) referenced in `type_ids`. Only descriptors with those
    /// prefixes are decoded.
    pub fn platform_type_names(&self) -> Vec<String> {
        const PLATFORM: [&[u8]; 4] = [b"Landroid/", b"Ljava/", b"Ljavax/", b"Ldalvik/"];
        (0..self.header.type_ids_size)
            .filter_map(|i| self.type_descriptor(i))
            .filter(|d| PLATFORM.iter().any(|p| d.starts_with(p)))
            .map(|d| descriptor_to_dotted(&decode_mutf8(d)))
            .collect()
    }

    /// Dotted names of all defined classes, in table order. A class whose
    /// type cannot be resolved is named `<invalid type N>`.
    pub fn class_names(&self) -> Vec<String> {
        (0..self.header.class_defs_size)
            .map(|i| {
                let off = (self.header.class_defs_off as usize)
                    .saturating_add((i as usize).saturating_mul(CLASS_DEF_SIZE));
                let class_idx = read_u32(self.bytes, off, self.header.big_endian);
                match class_idx.and_then(|t| self.type_descriptor(t)) {
                    Some(desc) => descriptor_to_dotted(&decode_mutf8(desc)),
                    None => format!("<invalid type {}>", class_idx.unwrap_or(u32::MAX)),
                }
            })
            .collect()
    }
}

/// Length in bytes of the ULEB128 at the start of `data` (at most 5 bytes).
fn uleb128_len(data: &[u8]) -> Option<usize> {
    data.iter()
        .take(5)
        .position(|&b| b & 0x80 == 0)
        .map(|p| p + 1)
}

/// Adler-32 as used by the DEX `checksum` field (zlib-rs's, vectorised where
/// the CPU allows).
pub fn adler32(data: &[u8]) -> u32 {
    zlib_rs::adler32::adler32(1, data)
}

/// `Lcom/foo/Bar;` → `com.foo.Bar`; other descriptors are returned unchanged.
pub fn descriptor_to_dotted(desc: &str) -> String {
    match desc.strip_prefix('L').and_then(|d| d.strip_suffix(';')) {
        Some(inner) => inner.replace('/', "."),
        None => desc.to_string(),
    }
}

/// Entry name → multidex number: `classes.dex` → 1, `classesN.dex` → N (N ≥ 2,
/// no leading zero). Other names → `None`.
pub fn multidex_number(name: &str) -> Option<u32> {
    let middle = name.strip_prefix("classes")?.strip_suffix(".dex")?;
    if middle.is_empty() {
        return Some(1);
    }
    if middle.starts_with('0') || !middle.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    middle.parse::<u32>().ok().filter(|&n| n >= 2)
}

/// Collects string-derived facts over several DEX files.
struct StringScan<'n> {
    notable: HashSet<&'n [u8]>,
    found: BTreeSet<String>,
    urls: BTreeSet<String>,
    endpoints: EndpointFinds,
}

impl<'n> StringScan<'n> {
    fn new(notable: &'n [String]) -> Self {
        StringScan {
            notable: notable.iter().map(|s| s.as_bytes()).collect(),
            found: BTreeSet::new(),
            urls: BTreeSet::new(),
            endpoints: EndpointFinds::default(),
        }
    }

    fn scan(&mut self, dex: &DexTables<'_>, label: &str) {
        for raw in dex.strings() {
            self.endpoints
                .scan(raw, label, EndpointSourceKind::DexString);
            if raw.starts_with(b"http://") {
                let text = decode_mutf8(raw);
                if is_cleartext_url(&text) {
                    self.urls.insert(text);
                    if self.urls.len() > MAX_CLEARTEXT_URLS {
                        self.urls.pop_last();
                    }
                }
            }
            if !self.notable.is_empty() && self.notable.contains(raw) {
                self.found.insert(decode_mutf8(raw));
            }
        }
    }
}

/// Reads every `classes*.dex` of `archive`. `name_prefix` is put before each
/// file name in the facts (the split APK's name in split sets, else empty).
/// `notable` lists string constants to report when present. A DEX file that
/// cannot be read (a limit, damage, an unknown version) or whose strings
/// could be read only in part goes to `problems.unread` under its entry name
/// (without the prefix); the others are still read. Multidex gaps and
/// integrity problems are warnings: the file's tables were read.
pub fn read_dex(
    archive: &Archive<'_>,
    name_prefix: &str,
    notable: &[String],
    limits: &Limits,
    problems: &mut Problems,
) -> DexOutput {
    let mut dex_entries: Vec<(u32, usize, &str)> = archive
        .entries()
        .iter()
        .enumerate()
        .filter(|(_, e)| !e.is_dir)
        .filter_map(|(i, e)| multidex_number(&e.name).map(|n| (n, i, e.name.as_str())))
        .collect();
    dex_entries.sort_unstable();
    dex_entries.dedup_by_key(|(n, _, _)| *n);

    let mut expected = 1u32;
    for &(n, _, name) in &dex_entries {
        if n > expected {
            let missing = if expected == 1 {
                "classes.dex".to_string()
            } else {
                format!("classes{expected}.dex")
            };
            problems.warn(AppWarning::DexGap {
                file: format!("{name_prefix}{name}"),
                missing: format!("{name_prefix}{missing}"),
            });
        }
        expected = n.saturating_add(1);
    }

    let mut out = DexOutput {
        has_classes_dex: dex_entries.first().is_some_and(|(n, _, _)| *n == 1),
        ..DexOutput::default()
    };
    let mut scan = StringScan::new(notable);
    out.code.expect_files(dex_entries.len());
    for (_, index, name) in dex_entries {
        let label = format!("{name_prefix}{name}");
        let bytes = match archive.read_index(index) {
            Ok(b) => b,
            Err(e) => {
                problems.unread(name, &e);
                continue;
            }
        };
        let dex = match DexTables::parse(&bytes, limits) {
            Ok(d) => d,
            Err(e) => {
                problems.unread_as(
                    name,
                    e.unread_kind(),
                    format!("not a readable DEX file: {e}"),
                );
                continue;
            }
        };
        for problem in dex.integrity_problems(&label) {
            problems.warn(problem);
        }
        scan.scan(&dex, &label);
        // Code that cannot be walked could hide an unsafe TLS pattern or an
        // API call: the DEX file counts as not fully read.
        let mut code_problems = Vec::new();
        out.code.scan(&dex, &label, &mut code_problems);
        for problem in code_problems {
            problems.unread_as(name, UnreadKind::Damage, problem);
        }
        let names = dex.class_names();
        if dex.scan_budget_exhausted() {
            problems.unread_as(
                name,
                UnreadKind::Damage,
                "string data overlaps in long unterminated runs; reading stopped after four times the file size, so strings and class names are incomplete",
            );
        }
        out.class_names.extend(names);
        out.platform_types.extend(dex.platform_type_names());
        out.facts.classes = out.facts.classes.saturating_add(dex.class_count());
        out.facts.files.push(DexFile {
            name: label,
            version: dex.version(),
            classes: dex.class_count(),
            strings: dex.header().string_ids_size as usize,
        });
    }
    out.facts.cleartext_urls = scan.urls.into_iter().collect();
    out.facts.notable_strings = scan.found.into_iter().collect();
    out.endpoints = scan.endpoints;
    out.platform_types.sort_unstable();
    out.platform_types.dedup();
    out
}

#[cfg(test)]
mod tests;
