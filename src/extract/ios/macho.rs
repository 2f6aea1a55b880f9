//! Mach-O executables and dylibs (thin or fat), read with goblin.
//!
//! Per slice: architecture, platform / minimum OS / SDK (`LC_BUILD_VERSION`
//! or `LC_VERSION_MIN_*`), `MH_PIE`, `LC_ENCRYPTION_INFO(_64)` `cryptid`,
//! linked dylibs, the nlist symbol table (bounded), Objective-C class names
//! (`_OBJC_CLASS_$_…` symbols and the `__objc_classname` section) and where the
//! code signature lies. Slices are merged into one [`MachoInfo`].

use goblin::mach::constants::cputype::{get_arch_name_from_types, CPU_SUBTYPE_MASK};
use goblin::mach::fat::{FatArch, FAT_MAGIC, SIZEOF_FAT_ARCH};
use goblin::mach::header::{MH_DYLIB, MH_EXECUTE, MH_PIE};
use goblin::mach::load_command::{CommandVariant, DylibCommand};
use std::collections::BTreeSet;

use goblin::mach::MachO;
use thiserror::Error;

use crate::facts::{LinkedDylib, UnreadKind};

/// Most slices read from a fat binary.
pub const MAX_SLICES: usize = 16;
/// Most symbol names kept per binary (over all slices).
pub const MAX_SYMBOLS: usize = 500_000;
/// Most Objective-C class names kept per binary.
pub const MAX_CLASSES: usize = 200_000;
/// Most imported symbol names kept per binary (over all slices).
pub const MAX_IMPORTS: usize = 500_000;
/// Most selector references kept per binary (over all slices).
pub const MAX_SELECTORS: usize = 500_000;
/// Longest selector name read.
const MAX_SELECTOR_LEN: usize = 1024;

/// Why a Mach-O could not be read.
#[derive(Debug, Error)]
pub enum MachoError {
    /// Too short to hold a magic number.
    #[error("not a Mach-O file: only {0} bytes")]
    TooShort(usize),
    /// Neither a Mach-O nor a fat magic.
    #[error("not a Mach-O file: magic {0:#010x}")]
    BadMagic(u32),
    /// A fat header that lists no or too many slices.
    #[error("fat Mach-O lists {0} architectures (expected 1..={MAX_SLICES})")]
    BadSliceCount(u32),
    /// A fat slice lies outside the file.
    #[error(
        "fat Mach-O slice {index} (offset {offset}, size {size}) lies outside the {len}-byte file"
    )]
    SliceOutOfBounds {
        /// Slice index.
        index: usize,
        /// Declared offset.
        offset: u32,
        /// Declared size.
        size: u32,
        /// File length.
        len: usize,
    },
    /// goblin rejected the structure.
    #[error("malformed Mach-O{slice}: {message}")]
    Malformed {
        /// ` (slice N)` for fat binaries, empty otherwise.
        slice: String,
        /// goblin's description.
        message: String,
    },
}

/// Facts from one Mach-O file (all slices merged).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachoInfo {
    /// Architecture names in file order, e.g. `armv7`, `arm64`, `arm64e`, `x86_64`.
    pub architectures: Vec<String>,
    /// Platform named by the first slice that has a build/version load command.
    pub platform: Option<String>,
    /// Minimum OS version (first slice that names one).
    pub min_os: Option<String>,
    /// SDK version (first slice that names one).
    pub sdk: Option<String>,
    /// Every executable slice has `MH_PIE` (dylibs count as position independent).
    pub pie: bool,
    /// Any slice has `cryptid != 0`.
    pub encrypted: bool,
    /// Whether the file is an executable (`MH_EXECUTE`) in every slice.
    pub executable: bool,
    /// Linked dylibs (union over slices, first-seen order).
    pub linked_dylibs: Vec<LinkedDylib>,
    /// Symbol names from the nlist tables, without the leading `_`, sorted, unique.
    pub symbols: Vec<String>,
    /// Objective-C class names (defined or referenced), sorted, unique.
    pub objc_classes: Vec<String>,
    /// Symbols bound by the bind and lazy-bind opcodes (`LC_DYLD_INFO`),
    /// without the leading `_`, sorted, unique: what `llvm-objdump --macho
    /// --bind --lazy-bind` lists.
    pub imports: Vec<String>,
    /// Selector names the `__objc_selrefs` sections point at, sorted, unique.
    pub selectors: Vec<String>,
    /// Absolute file range `(offset, length)` of the first slice's code signature.
    pub code_signature: Option<(usize, usize)>,
    /// Slices read leniently, which leaves the facts complete: the slice's
    /// number in a fat binary (`None` for a thin binary) and the strict
    /// parser's message.
    pub warnings: Vec<(Option<usize>, String)>,
    /// Parts that could not be read, so facts may be missing (a symbol
    /// table cut short, more symbols or class names than kept, an unreadable
    /// dylib name), with their kind.
    pub incomplete: Vec<(UnreadKind, String)>,
}

/// Formats a nibble-encoded version `xxxx.yy.zz` as llvm-objdump does (`15.0`, `14.2.1`).
pub fn format_version(v: u32) -> String {
    let (major, minor, patch) = (v >> 16, (v >> 8) & 0xff, v & 0xff);
    if patch == 0 {
        format!("{major}.{minor}")
    } else {
        format!("{major}.{minor}.{patch}")
    }
}

/// The lowercase platform name of an `LC_BUILD_VERSION` platform number.
pub fn platform_name(platform: u32) -> String {
    match platform {
        1 => "macos".into(),
        2 => "ios".into(),
        3 => "tvos".into(),
        4 => "watchos".into(),
        5 => "bridgeos".into(),
        6 => "maccatalyst".into(),
        7 => "ios-simulator".into(),
        8 => "tvos-simulator".into(),
        9 => "watchos-simulator".into(),
        10 => "driverkit".into(),
        11 => "visionos".into(),
        12 => "visionos-simulator".into(),
        n => format!("platform-{n}"),
    }
}

/// The architecture name for a CPU type and subtype (capability bits ignored).
pub fn arch_name(cputype: u32, cpusubtype: u32) -> String {
    get_arch_name_from_types(cputype, cpusubtype & !CPU_SUBTYPE_MASK)
        .map(str::to_string)
        .unwrap_or_else(|| format!("cpu{cputype}-{}", cpusubtype & !CPU_SUBTYPE_MASK))
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// Reads a thin or fat Mach-O.
pub fn read_macho(bytes: &[u8]) -> Result<MachoInfo, MachoError> {
    let magic = be_u32(bytes, 0).ok_or(MachoError::TooShort(bytes.len()))?;
    let mut info = MachoInfo {
        pie: true,
        executable: true,
        ..MachoInfo::default()
    };
    let mut sets = Sets::default();
    if magic == FAT_MAGIC {
        let n = be_u32(bytes, 4).unwrap_or(0);
        if n == 0 || n as usize > MAX_SLICES {
            return Err(MachoError::BadSliceCount(n));
        }
        for index in 0..n as usize {
            let at = 8 + index * SIZEOF_FAT_ARCH;
            let arch = FatArch::parse(bytes, at).map_err(|e| MachoError::Malformed {
                slice: format!(" (fat header entry {index})"),
                message: e.to_string(),
            })?;
            let slice = (arch.offset as usize)
                .checked_add(arch.size as usize)
                .and_then(|end| bytes.get(arch.offset as usize..end))
                .ok_or(MachoError::SliceOutOfBounds {
                    index,
                    offset: arch.offset,
                    size: arch.size,
                    len: bytes.len(),
                })?;
            read_slice(
                slice,
                arch.offset as usize,
                Some(index),
                &mut info,
                &mut sets,
            )?;
        }
    } else {
        let m = magic.swap_bytes();
        let known = [
            goblin::mach::header::MH_MAGIC,
            goblin::mach::header::MH_CIGAM,
            goblin::mach::header::MH_MAGIC_64,
            goblin::mach::header::MH_CIGAM_64,
        ];
        if !known.contains(&magic) && !known.contains(&m) {
            return Err(MachoError::BadMagic(magic));
        }
        read_slice(bytes, 0, None, &mut info, &mut sets)?;
    }
    let Sets {
        symbols,
        classes,
        imports,
        selectors,
    } = sets;
    if classes.len() >= MAX_CLASSES {
        info.incomplete.push((
            UnreadKind::Limit,
            format!("Mach-O: {MAX_CLASSES} Objective-C class names kept, the rest not read"),
        ));
    }
    info.symbols = symbols.into_iter().collect();
    info.objc_classes = classes.into_iter().collect();
    info.imports = imports.into_iter().collect();
    info.selectors = selectors.into_iter().collect();
    Ok(info)
}

/// Names collected over all slices.
#[derive(Default)]
struct Sets {
    symbols: BTreeSet<String>,
    classes: BTreeSet<String>,
    imports: BTreeSet<String>,
    selectors: BTreeSet<String>,
}

fn dylib_name<'a>(slice: &'a [u8], offset: usize, cmd: &DylibCommand) -> Option<&'a str> {
    let start = offset.checked_add(cmd.dylib.name as usize)?;
    let end = offset.checked_add(cmd.cmdsize as usize)?.min(slice.len());
    let raw = slice.get(start..end)?;
    let raw = raw.split(|&b| b == 0).next()?;
    std::str::from_utf8(raw).ok()
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 512
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.'))
}

fn read_slice(
    slice: &[u8],
    base: usize,
    index: Option<usize>,
    info: &mut MachoInfo,
    sets: &mut Sets,
) -> Result<(), MachoError> {
    let Sets {
        symbols,
        classes,
        imports,
        selectors,
    } = sets;
    let label = index.map(|i| format!(" (slice {i})")).unwrap_or_default();
    // goblin 0.10 can panic on hostile input (e.g. an `LC_MAIN` image whose
    // `__TEXT` segment has `fileoff > vmaddr`: an unchecked subtraction,
    // found by fuzzing); the unwind guard turns that into an error for this
    // file, as `android::native` does for ELF.
    let guarded = |lossy: bool| {
        std::panic::catch_unwind(|| {
            if lossy {
                MachO::parse_lossy(slice, 0)
            } else {
                MachO::parse(slice, 0)
            }
        })
        .unwrap_or_else(|_| {
            Err(goblin::error::Error::Malformed(
                "the Mach-O parser failed on inconsistent load commands".into(),
            ))
        })
    };
    let macho = match guarded(false) {
        Ok(m) => m,
        Err(strict) => match guarded(true) {
            Ok(m) => {
                info.warnings.push((index, strict.to_string()));
                m
            }
            Err(e) => {
                return Err(MachoError::Malformed {
                    slice: label.to_string(),
                    message: e.to_string(),
                })
            }
        },
    };
    let header = &macho.header;
    info.architectures
        .push(arch_name(header.cputype, header.cpusubtype));
    if header.filetype != MH_EXECUTE {
        info.executable = false;
    }
    if header.filetype == MH_EXECUTE && header.flags & MH_PIE == 0 {
        info.pie = false;
    }
    if header.filetype != MH_EXECUTE && header.filetype != MH_DYLIB {
        info.pie = false;
    }
    let simulator_arch = matches!(header.cputype, 7 | 0x0100_0007);
    let mut cryptid = 0u32;
    let mut encrypted_range: Option<(u64, u64)> = None;
    for lc in &macho.load_commands {
        let (weak, cmd) = match &lc.command {
            CommandVariant::LoadDylib(c)
            | CommandVariant::ReexportDylib(c)
            | CommandVariant::LazyLoadDylib(c)
            | CommandVariant::LoadUpwardDylib(c) => (false, Some(c)),
            CommandVariant::LoadWeakDylib(c) => (true, Some(c)),
            _ => (false, None),
        };
        if let Some(c) = cmd {
            if let Some(name) = dylib_name(slice, lc.offset, c) {
                if !info.linked_dylibs.iter().any(|d| d.name == name) {
                    info.linked_dylibs.push(LinkedDylib {
                        name: name.to_string(),
                        weak,
                    });
                }
            } else {
                info.incomplete.push((
                    UnreadKind::Damage,
                    format!(
                        "Mach-O{label}: unreadable dylib name at load command offset {}",
                        lc.offset
                    ),
                ));
            }
            continue;
        }
        let (platform, min, sdk) = match &lc.command {
            CommandVariant::BuildVersion(b) => (platform_name(b.platform), b.minos, b.sdk),
            CommandVariant::VersionMinIphoneos(v) => (
                if simulator_arch {
                    "ios-simulator"
                } else {
                    "ios"
                }
                .to_string(),
                v.version,
                v.sdk,
            ),
            CommandVariant::VersionMinMacosx(v) => ("macos".to_string(), v.version, v.sdk),
            CommandVariant::VersionMinTvos(v) => ("tvos".to_string(), v.version, v.sdk),
            CommandVariant::VersionMinWatchos(v) => ("watchos".to_string(), v.version, v.sdk),
            CommandVariant::EncryptionInfo32(e) => {
                cryptid |= e.cryptid;
                encrypted_range = Some((e.cryptoff.into(), e.cryptsize.into()));
                continue;
            }
            CommandVariant::EncryptionInfo64(e) => {
                cryptid |= e.cryptid;
                encrypted_range = Some((e.cryptoff.into(), e.cryptsize.into()));
                continue;
            }
            CommandVariant::CodeSignature(cs) => {
                if info.code_signature.is_none() {
                    let start = base.checked_add(cs.dataoff as usize);
                    if let Some(start) = start {
                        info.code_signature = Some((start, cs.datasize as usize));
                    }
                }
                continue;
            }
            _ => continue,
        };
        if info.platform.is_none() {
            info.platform = Some(platform);
            info.min_os = Some(format_version(min));
            // llvm-objdump prints an SDK of 0 as "n/a": not recorded.
            info.sdk = (sdk != 0).then(|| format_version(sdk));
        }
    }
    if cryptid != 0 {
        info.encrypted = true;
    }
    // nlist symbols: defined and undefined (imports survive stripping).
    for sym in macho.symbols() {
        let Ok((name, nlist)) = sym else {
            info.incomplete.push((
                UnreadKind::Damage,
                format!("Mach-O{label}: symbol table cut short"),
            ));
            break;
        };
        if nlist.n_type & goblin::mach::symbols::N_STAB != 0 || name.is_empty() {
            continue;
        }
        if symbols.len() >= MAX_SYMBOLS {
            info.incomplete.push((
                UnreadKind::Limit,
                format!("Mach-O: more than {MAX_SYMBOLS} symbols, rest not read"),
            ));
            break;
        }
        let name = name.strip_prefix('_').unwrap_or(name);
        for prefix in ["OBJC_CLASS_$_", "OBJC_METACLASS_$_"] {
            if let Some(class) = name.strip_prefix(prefix) {
                if is_identifier(class) && classes.len() < MAX_CLASSES {
                    classes.insert(class.to_string());
                }
            }
        }
        symbols.insert(name.to_string());
    }
    // Class names of the app's own classes (survive symbol stripping, not encryption).
    for seg in &macho.segments {
        let Ok(sections) = seg.sections() else {
            continue;
        };
        for (section, _) in sections {
            if section.name().ok() != Some("__objc_classname") {
                continue;
            }
            let start = u64::from(section.offset);
            let inside_crypt = encrypted_range.is_some_and(|(off, size)| {
                cryptid != 0 && start < off.saturating_add(size) && start >= off
            });
            if inside_crypt {
                continue;
            }
            let data = (section.offset as usize)
                .checked_add(section.size as usize)
                .and_then(|end| slice.get(section.offset as usize..end));
            if let Some(data) = data {
                for raw in data.split(|&b| b == 0) {
                    if let Ok(name) = std::str::from_utf8(raw) {
                        if is_identifier(name) && classes.len() < MAX_CLASSES {
                            classes.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
    // Imports from the bind and lazy-bind opcodes (goblin indexes segments
    // by the opcodes' numbers: guarded like the parse).
    let bound = std::panic::catch_unwind(|| macho.imports()).unwrap_or_else(|_| {
        Err(goblin::error::Error::Malformed(
            "bind opcodes name a segment that does not exist".into(),
        ))
    });
    match bound {
        Ok(list) => {
            for import in list {
                if imports.len() >= MAX_IMPORTS {
                    info.incomplete.push((
                        UnreadKind::Limit,
                        format!("Mach-O: more than {MAX_IMPORTS} imported symbols, rest not read"),
                    ));
                    break;
                }
                let name = import.name.strip_prefix('_').unwrap_or(import.name);
                if let Some(class) = name.strip_prefix("OBJC_CLASS_$_") {
                    if is_identifier(class) && classes.len() < MAX_CLASSES {
                        classes.insert(class.to_string());
                    }
                }
                if !name.is_empty() {
                    imports.insert(name.to_string());
                }
            }
        }
        Err(e) => info.incomplete.push((
            UnreadKind::Damage,
            format!("Mach-O{label}: bind opcodes: {e}"),
        )),
    }
    let crypt = (cryptid != 0).then_some(encrypted_range).flatten();
    read_selrefs(slice, &macho, crypt, &label, info, selectors);
    Ok(())
}

/// Resolves a virtual address to a file offset inside `slice` through the
/// segments' file mappings.
fn file_offset(macho: &MachO<'_>, vmaddr: u64) -> Option<u64> {
    macho.segments.iter().find_map(|seg| {
        let inside = vmaddr >= seg.vmaddr && vmaddr - seg.vmaddr < seg.filesize;
        inside.then(|| seg.fileoff + (vmaddr - seg.vmaddr))
    })
}

/// Reads the selector names the `__objc_selrefs` pointers point at. A
/// pointer is a plain address, or (chained fixups) a rebase whose low 36
/// bits hold the target address or its offset from the image base; a
/// pointer that resolves to neither a name nor anything readable is left
/// out, names in the encrypted range are not read.
fn read_selrefs(
    slice: &[u8],
    macho: &MachO<'_>,
    crypt: Option<(u64, u64)>,
    label: &str,
    info: &mut MachoInfo,
    selectors: &mut BTreeSet<String>,
) {
    let width = if macho.is_64 { 8 } else { 4 };
    let base = macho
        .segments
        .iter()
        .find(|s| s.name().ok() == Some("__TEXT"))
        .map_or(0, |s| s.vmaddr);
    for seg in &macho.segments {
        let Ok(sections) = seg.sections() else {
            continue;
        };
        for (section, _) in sections {
            if section.name().ok() != Some("__objc_selrefs") {
                continue;
            }
            let data = (section.offset as usize)
                .checked_add(section.size as usize)
                .and_then(|end| slice.get(section.offset as usize..end));
            let Some(data) = data else {
                info.incomplete.push((
                    UnreadKind::Damage,
                    format!("Mach-O{label}: __objc_selrefs lies outside the file"),
                ));
                continue;
            };
            for chunk in data.chunks_exact(width) {
                let raw = if width == 8 {
                    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
                } else {
                    u64::from(u32::from_le_bytes(chunk.try_into().unwrap_or_default()))
                };
                let target = if width == 8 { raw & 0xf_ffff_ffff } else { raw };
                let name = [target, target.wrapping_add(base)]
                    .into_iter()
                    .filter_map(|v| file_offset(macho, v))
                    .filter(|off| {
                        !crypt.is_some_and(|(o, s)| *off >= o && *off < o.saturating_add(s))
                    })
                    .find_map(|off| selector_at(slice, off));
                if let Some(name) = name {
                    if selectors.len() >= MAX_SELECTORS {
                        info.incomplete.push((
                            UnreadKind::Limit,
                            format!("Mach-O: more than {MAX_SELECTORS} selector references, rest not read"),
                        ));
                        return;
                    }
                    if !selectors.contains(name) {
                        selectors.insert(name.to_string());
                    }
                }
            }
        }
    }
}

/// The NUL-terminated selector name at file offset `off`, if it is one.
fn selector_at(slice: &[u8], off: u64) -> Option<&str> {
    let start = usize::try_from(off).ok()?;
    let rest = slice.get(start..)?;
    let rest = &rest[..rest.len().min(MAX_SELECTOR_LEN + 1)];
    let end = rest.iter().position(|&b| b == 0)?;
    let name = std::str::from_utf8(&rest[..end]).ok()?;
    let valid = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'$' | b'.'));
    valid.then_some(name)
}

/// The framework name of a dylib install name, e.g.
/// `/System/Library/Frameworks/UIKit.framework/UIKit` → `UIKit`,
/// `@rpath/FirebaseCrashlytics.framework/FirebaseCrashlytics` → `FirebaseCrashlytics`.
pub fn framework_of(install_name: &str) -> Option<&str> {
    let mut parts = install_name.split('/').rev();
    parts.find_map(|p| p.strip_suffix(".framework"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_platforms_and_frameworks() {
        assert_eq!(format_version(0x000f_0000), "15.0");
        assert_eq!(format_version(0x000e_0201), "14.2.1");
        assert_eq!(platform_name(7), "ios-simulator");
        assert_eq!(arch_name(0x0100_000c, 0x8000_0002), "arm64e");
        assert_eq!(arch_name(12, 9), "armv7");
        assert_eq!(
            framework_of(
                "/System/Library/Frameworks/LocalAuthentication.framework/LocalAuthentication"
            ),
            Some("LocalAuthentication")
        );
        assert_eq!(framework_of("/usr/lib/libSystem.B.dylib"), None);
    }

    #[test]
    fn rejects_non_macho_and_bad_fat_headers() {
        assert!(matches!(
            read_macho(b"\x7fELF"),
            Err(MachoError::BadMagic(_))
        ));
        assert!(matches!(read_macho(b"ab"), Err(MachoError::TooShort(2))));
        let mut fat = FAT_MAGIC.to_be_bytes().to_vec();
        fat.extend_from_slice(&1000u32.to_be_bytes());
        assert!(matches!(
            read_macho(&fat),
            Err(MachoError::BadSliceCount(1000))
        ));
        let mut fat = FAT_MAGIC.to_be_bytes().to_vec();
        fat.extend_from_slice(&1u32.to_be_bytes());
        for v in [12u32, 9, 4096, 1 << 30, 14] {
            fat.extend_from_slice(&v.to_be_bytes());
        }
        assert!(matches!(
            read_macho(&fat),
            Err(MachoError::SliceOutOfBounds { index: 0, .. })
        ));
    }
}
