//! `resources.arsc`: the compiled resource table, read to resolve the
//! `@string/…`, `@bool/…`, `@integer/…`, `@xml/…` and `@drawable/…`
//! references that manifest attributes and meta-data use.
//!
//! For a reference the default configuration (no qualifiers) wins, else the
//! first configuration that has the entry. Reference chains are followed at
//! most [`MAX_REFERENCE_DEPTH`] steps.

use thiserror::Error;

use super::axml::{value_type, TypedValue};
use super::chunk::{u16_at, u32_at, ChunkHeader};
use super::strpool::StringPool;
use crate::limits::Limits;

const RES_STRING_POOL_TYPE: u16 = 0x0001;
const RES_TABLE_TYPE: u16 = 0x0002;
const RES_TABLE_PACKAGE_TYPE: u16 = 0x0200;
const RES_TABLE_TYPE_TYPE: u16 = 0x0201;
const FLAG_SPARSE: u8 = 0x01;
const FLAG_OFFSET16: u8 = 0x02;
const ENTRY_FLAG_COMPLEX: u16 = 0x0001;
const ENTRY_FLAG_COMPACT: u16 = 0x0008;
/// Most references followed to reach a value.
pub const MAX_REFERENCE_DEPTH: usize = 8;
/// Most type chunks examined over all lookups in one table: a crafted table
/// with very many configurations cannot make resolution take forever. When
/// it is spent, lookups find nothing and [`ResourceTable::exhausted`] says so.
pub const MAX_LOOKUP_WORK: u64 = 20_000_000;

/// Why a resource table could not be read.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ArscError {
    /// Not a resource table, or its header is inconsistent.
    #[error("bad resource table header: {0}")]
    BadHeader(String),
    /// A chunk is malformed.
    #[error("bad resource table chunk: {0}")]
    BadChunk(String),
    /// A string pool is malformed.
    #[error("bad resource table string pool: {0}")]
    StringPool(String),
}

/// One `ResTable_type` chunk: the entries of a type in one configuration.
#[derive(Debug, Clone)]
struct TypeChunk<'a> {
    id: u8,
    flags: u8,
    default_config: bool,
    entry_count: usize,
    index: &'a [u8],
    entries: &'a [u8],
}

impl<'a> TypeChunk<'a> {
    /// The bytes of entry `e`, when present in this configuration.
    fn entry(&self, e: u16) -> Option<&'a [u8]> {
        let offset = if self.flags & FLAG_SPARSE != 0 {
            // Sorted (index, offset / 4) pairs.
            let mut lo = 0usize;
            let mut hi = self.entry_count;
            let mut found = None;
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                let idx = u16_at(self.index, mid.checked_mul(4)?)?;
                match idx.cmp(&e) {
                    std::cmp::Ordering::Equal => {
                        found = Some(usize::from(u16_at(self.index, mid * 4 + 2)?) * 4);
                        break;
                    }
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                }
            }
            found?
        } else {
            let e = usize::from(e);
            if e >= self.entry_count {
                return None;
            }
            if self.flags & FLAG_OFFSET16 != 0 {
                let o = u16_at(self.index, e * 2)?;
                if o == 0xffff {
                    return None;
                }
                usize::from(o) * 4
            } else {
                let o = u32_at(self.index, e * 4)?;
                if o == 0xffff_ffff {
                    return None;
                }
                o as usize
            }
        };
        self.entries.get(offset..)
    }
}

/// One package of the table.
#[derive(Debug, Clone)]
struct Package<'a> {
    id: u32,
    type_names: StringPool<'a>,
    key_names: StringPool<'a>,
    types: Vec<TypeChunk<'a>>,
}

/// A parsed resource table over the bytes of `resources.arsc`.
#[derive(Debug, Clone)]
pub struct ResourceTable<'a> {
    strings: StringPool<'a>,
    packages: Vec<Package<'a>>,
    work: std::cell::Cell<u64>,
}

/// A simple entry's value and key.
struct Entry {
    key: u32,
    value: Option<TypedValue>,
}

impl<'a> ResourceTable<'a> {
    /// Parses a resource table.
    pub fn parse(data: &'a [u8], limits: &Limits) -> Result<Self, ArscError> {
        let h = ChunkHeader::read(data, 0)
            .ok_or_else(|| ArscError::BadHeader(format!("only {} bytes", data.len())))?;
        if h.kind != RES_TABLE_TYPE {
            return Err(ArscError::BadHeader(format!(
                "chunk type 0x{:04x}, not a table",
                h.kind
            )));
        }
        h.validate(0, data.len(), 12)
            .map_err(ArscError::BadHeader)?;
        let data = data.get(..h.size).unwrap_or_default();
        let mut strings = None;
        let mut packages = Vec::new();
        for (off, c) in chunks(data, h.header_size) {
            let c = c.map_err(ArscError::BadChunk)?;
            let body = data.get(off..off + c.size).unwrap_or_default();
            match c.kind {
                RES_STRING_POOL_TYPE if strings.is_none() => {
                    strings = Some(StringPool::parse(body, limits).map_err(ArscError::StringPool)?);
                }
                RES_TABLE_PACKAGE_TYPE => packages.push(parse_package(body, &c, limits)?),
                _ => {}
            }
        }
        Ok(ResourceTable {
            strings: strings.unwrap_or_default(),
            packages,
            work: std::cell::Cell::new(0),
        })
    }

    fn package(&self, id: u32) -> Option<&Package<'a>> {
        let pid = id >> 24;
        self.packages.iter().find(|p| p.id == pid)
    }

    /// Finds entry `id`: default configuration first, else the first that has it.
    fn find_entry(&self, id: u32) -> Option<Entry> {
        let pkg = self.package(id)?;
        let type_id = ((id >> 16) & 0xff) as u8;
        let entry = (id & 0xffff) as u16;
        let candidates = pkg.types.iter().filter(|t| t.id == type_id);
        let mut first = None;
        for t in candidates {
            let spent = self.work.get().saturating_add(1);
            if spent > MAX_LOOKUP_WORK {
                return None;
            }
            self.work.set(spent);
            if let Some(bytes) = t.entry(entry) {
                if t.default_config {
                    return read_entry(bytes);
                }
                if first.is_none() {
                    first = Some(bytes);
                }
            }
        }
        read_entry(first?)
    }

    /// The value of resource `id` (not following references), if it is a simple value.
    pub fn value(&self, id: u32) -> Option<TypedValue> {
        let mut v = self.find_entry(id)?.value?;
        if v.data_type == value_type::STRING {
            v.string = self.strings.get(v.data);
        }
        Some(v)
    }

    /// Resolves `value`: follows references (bounded) to the final value.
    /// Returns `None` when a reference cannot be resolved.
    pub fn resolve(&self, value: &TypedValue) -> Option<TypedValue> {
        let mut current = value.clone();
        for _ in 0..=MAX_REFERENCE_DEPTH {
            if !is_reference(current.data_type) {
                return Some(current);
            }
            if current.data == 0 {
                return None;
            }
            current = self.value(current.data)?;
        }
        None
    }

    /// The global string pool (string values of the table).
    pub fn global_strings(&self) -> &StringPool<'a> {
        &self.strings
    }

    /// Whether lookups stopped because [`MAX_LOOKUP_WORK`] was spent.
    pub fn exhausted(&self) -> bool {
        self.work.get() >= MAX_LOOKUP_WORK
    }

    /// `@type/name` for resource `id`, e.g. `@string/app_name`.
    pub fn name(&self, id: u32) -> Option<String> {
        let pkg = self.package(id)?;
        let type_id = (id >> 16) & 0xff;
        let type_name = pkg.type_names.get(type_id.checked_sub(1)?)?;
        let key = self.find_entry(id)?.key;
        let key_name = pkg.key_names.get(key)?;
        Some(format!("@{type_name}/{key_name}"))
    }
}

/// Whether a value type is a resource reference.
pub fn is_reference(data_type: u8) -> bool {
    data_type == value_type::REFERENCE || data_type == value_type::DYNAMIC_REFERENCE
}

/// Reads an entry: compact, simple, or complex (a map: no simple value).
fn read_entry(b: &[u8]) -> Option<Entry> {
    let size = u16_at(b, 0)?;
    let flags = u16_at(b, 2)?;
    if flags & ENTRY_FLAG_COMPACT != 0 {
        return Some(Entry {
            key: u32::from(size),
            value: Some(TypedValue {
                data_type: (flags >> 8) as u8,
                data: u32_at(b, 4)?,
                string: None,
            }),
        });
    }
    let key = u32_at(b, 4)?;
    if flags & ENTRY_FLAG_COMPLEX != 0 {
        return Some(Entry { key, value: None });
    }
    let v = usize::from(size);
    let value = TypedValue {
        data_type: *b.get(v.checked_add(3)?)?,
        data: u32_at(b, v.checked_add(4)?)?,
        string: None,
    };
    Some(Entry {
        key,
        value: Some(value),
    })
}

/// Iterates the chunks of `data` from `start`, stopping at the first invalid one.
fn chunks(
    data: &[u8],
    start: usize,
) -> impl Iterator<Item = (usize, Result<ChunkHeader, String>)> + '_ {
    let mut off = start;
    let mut done = false;
    std::iter::from_fn(move || {
        if done || off.checked_add(8).is_none_or(|e| e > data.len()) {
            return None;
        }
        let here = off;
        let c = ChunkHeader::read(data, off)?;
        match c.validate(off, data.len(), 8) {
            Ok(()) if c.size > 0 => {
                off += c.size;
                Some((here, Ok(c)))
            }
            Ok(()) => {
                done = true;
                None
            }
            Err(e) => {
                done = true;
                Some((here, Err(e)))
            }
        }
    })
}

fn parse_package<'a>(
    body: &'a [u8],
    h: &ChunkHeader,
    limits: &Limits,
) -> Result<Package<'a>, ArscError> {
    let trunc = || ArscError::BadChunk("package header truncated".into());
    let id = u32_at(body, 8).ok_or_else(trunc)?;
    let type_strings = u32_at(body, 268).ok_or_else(trunc)? as usize;
    let key_strings = u32_at(body, 276).ok_or_else(trunc)? as usize;
    let pool_at = |off: usize| -> Result<StringPool<'a>, ArscError> {
        let chunk = body.get(off..).ok_or_else(|| {
            ArscError::BadChunk(format!(
                "package string pool offset {off} outside the package"
            ))
        })?;
        StringPool::parse(chunk, limits).map_err(ArscError::StringPool)
    };
    let type_names = pool_at(type_strings)?;
    let key_names = pool_at(key_strings)?;
    let mut types = Vec::new();
    for (off, c) in chunks(body, h.header_size) {
        let Ok(c) = c else { break };
        if c.kind != RES_TABLE_TYPE_TYPE {
            continue;
        }
        if let Some(t) = parse_type(body.get(off..off + c.size).unwrap_or_default(), &c) {
            types.push(t);
        }
    }
    Ok(Package {
        id,
        type_names,
        key_names,
        types,
    })
}

fn parse_type<'a>(b: &'a [u8], h: &ChunkHeader) -> Option<TypeChunk<'a>> {
    let id = *b.get(8)?;
    let flags = *b.get(9)?;
    let entry_count = u32_at(b, 12)? as usize;
    let entries_start = u32_at(b, 16)? as usize;
    let config_size = (u32_at(b, 20)? as usize).min(h.header_size.saturating_sub(20));
    let config = b
        .get(24..20usize.checked_add(config_size)?)
        .unwrap_or_default();
    let default_config = config.iter().all(|&x| x == 0);
    Some(TypeChunk {
        id,
        flags,
        default_config,
        entry_count,
        index: b.get(h.header_size..)?,
        entries: b.get(entries_start..)?,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::extract::android::strpool::build_pool;

    /// One entry of a test table: type id (1 = bool, 2 = string, 3 = xml), entry
    /// index, default config?, value type, data.
    pub type TestEntry = (u8, u16, bool, u8, u32);

    fn type_chunk(type_id: u8, default: bool, entries: &[(u16, u8, u32)]) -> Vec<u8> {
        let count = entries.iter().map(|e| e.0 + 1).max().unwrap_or(0) as usize;
        let header = 20 + 64;
        let entries_start = header + count * 4;
        let mut index = vec![0xffu8; count * 4];
        let mut data = Vec::new();
        for (k, &(e, t, d)) in entries.iter().enumerate() {
            index[e as usize * 4..e as usize * 4 + 4]
                .copy_from_slice(&(data.len() as u32).to_le_bytes());
            data.extend_from_slice(&8u16.to_le_bytes());
            data.extend_from_slice(&0u16.to_le_bytes());
            data.extend_from_slice(&(k as u32).to_le_bytes());
            data.extend_from_slice(&8u16.to_le_bytes());
            data.push(0);
            data.push(t);
            data.extend_from_slice(&d.to_le_bytes());
        }
        let mut out = Vec::new();
        out.extend_from_slice(&RES_TABLE_TYPE_TYPE.to_le_bytes());
        out.extend_from_slice(&(header as u16).to_le_bytes());
        out.extend_from_slice(&((entries_start + data.len()) as u32).to_le_bytes());
        out.push(type_id);
        out.extend_from_slice(&[0, 0, 0]);
        out.extend_from_slice(&(count as u32).to_le_bytes());
        out.extend_from_slice(&(entries_start as u32).to_le_bytes());
        let mut config = vec![0u8; 64];
        config[0..4].copy_from_slice(&64u32.to_le_bytes());
        if !default {
            config[8] = b'd';
            config[9] = b'e';
        }
        out.extend_from_slice(&config);
        out.extend_from_slice(&index);
        out.extend_from_slice(&data);
        out
    }

    /// Builds a table with package 0x7f, types bool/string/xml and `entries`.
    pub fn build_table(strings: &[&str], entries: &[TestEntry]) -> Vec<u8> {
        let global = build_pool(strings, true);
        let type_pool = build_pool(&["bool", "string", "xml"], false);
        let key_pool = build_pool(&["k0", "k1", "k2", "k3", "k4", "k5"], false);
        let mut pkg_body = Vec::new();
        let header = 288usize;
        let type_strings = header;
        let key_strings = header + type_pool.len();
        pkg_body.extend_from_slice(&type_pool);
        pkg_body.extend_from_slice(&key_pool);
        for t in 1..=3u8 {
            for default in [false, true] {
                let es: Vec<(u16, u8, u32)> = entries
                    .iter()
                    .filter(|e| e.0 == t && e.2 == default)
                    .map(|e| (e.1, e.3, e.4))
                    .collect();
                if !es.is_empty() {
                    pkg_body.extend_from_slice(&type_chunk(t, default, &es));
                }
            }
        }
        let mut pkg = Vec::new();
        pkg.extend_from_slice(&RES_TABLE_PACKAGE_TYPE.to_le_bytes());
        pkg.extend_from_slice(&(header as u16).to_le_bytes());
        pkg.extend_from_slice(&((header + pkg_body.len()) as u32).to_le_bytes());
        pkg.extend_from_slice(&0x7fu32.to_le_bytes());
        pkg.extend_from_slice(&[0u8; 256]);
        pkg.extend_from_slice(&(type_strings as u32).to_le_bytes());
        pkg.extend_from_slice(&3u32.to_le_bytes());
        pkg.extend_from_slice(&(key_strings as u32).to_le_bytes());
        pkg.extend_from_slice(&6u32.to_le_bytes());
        pkg.extend_from_slice(&0u32.to_le_bytes());
        pkg.extend_from_slice(&pkg_body);
        let mut out = Vec::new();
        out.extend_from_slice(&RES_TABLE_TYPE.to_le_bytes());
        out.extend_from_slice(&12u16.to_le_bytes());
        out.extend_from_slice(&((12 + global.len() + pkg.len()) as u32).to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&global);
        out.extend_from_slice(&pkg);
        out
    }

    #[test]
    fn resolves_default_config_and_reference_chains() {
        let bytes = build_table(
            &["Hallo", "Hello", "res/xml/nsc.xml"],
            &[
                (2, 0, false, value_type::STRING, 0), // de: Hallo
                (2, 0, true, value_type::STRING, 1),  // default: Hello
                (1, 1, true, value_type::INT_BOOLEAN, 0xffff_ffff),
                (1, 2, true, value_type::REFERENCE, 0x7f01_0001), // @bool/k2 -> @bool/k1
                (3, 0, false, value_type::STRING, 2),             // only a non-default config
                (1, 3, true, value_type::REFERENCE, 0x7f01_0003), // refers to itself
            ],
        );
        let t = ResourceTable::parse(&bytes, &Limits::default()).unwrap();
        let hello = t.value(0x7f02_0000).unwrap();
        assert_eq!(hello.string.as_deref(), Some("Hello"));
        assert_eq!(t.name(0x7f02_0000).as_deref(), Some("@string/k0"));
        let r = TypedValue {
            data_type: value_type::REFERENCE,
            data: 0x7f01_0002,
            string: None,
        };
        let b = t.resolve(&r).unwrap();
        assert_eq!(
            (b.data_type, b.data),
            (value_type::INT_BOOLEAN, 0xffff_ffff)
        );
        assert_eq!(
            t.value(0x7f03_0000).unwrap().string.as_deref(),
            Some("res/xml/nsc.xml")
        );
        // A reference loop ends after the bound, unresolved.
        let lp = TypedValue {
            data_type: value_type::REFERENCE,
            data: 0x7f01_0003,
            string: None,
        };
        assert_eq!(t.resolve(&lp), None);
        // Unknown package, type or entry: None.
        assert_eq!(t.value(0x0101_0000), None);
        assert_eq!(t.value(0x7f09_0000), None);
        assert_eq!(t.value(0x7f01_0fff), None);
    }

    #[test]
    fn truncated_tables_never_panic() {
        let bytes = build_table(&["a"], &[(2, 0, true, value_type::STRING, 0)]);
        for cut in 0..bytes.len() {
            let mut b = bytes[..cut].to_vec();
            if b.len() >= 8 {
                b[4..8].copy_from_slice(&(cut as u32).to_le_bytes());
            }
            if let Ok(t) = ResourceTable::parse(&b, &Limits::default()) {
                let _ = t.value(0x7f02_0000);
                let _ = t.name(0x7f02_0000);
            }
        }
        assert!(matches!(
            ResourceTable::parse(b"\x03\x00\x08\x00", &Limits::default()),
            Err(ArscError::BadHeader(_))
        ));
    }
}
