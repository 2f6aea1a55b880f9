//! Native libraries (`lib/<abi>/*.so`) via goblin: names, ABIs, hardening.
//!
//! Android's package installer only extracts files of the form
//! `lib/<abi>/<name>.so` (exactly one directory below `lib/`), so those are
//! the entries listed here. Each library is parsed from memory with goblin;
//! the hardening facts mirror what `readelf` shows:
//!
//! - `nx`: a `PT_GNU_STACK` program header without the execute flag;
//! - `pie`: ELF type `ET_DYN`;
//! - `relro`: `PT_GNU_RELRO` present = `partial`, plus immediate binding
//!   (`DT_BIND_NOW`, `DF_BIND_NOW` in `DT_FLAGS` or `DF_1_NOW` in `DT_FLAGS_1`)
//!   = `full`, else `none`;
//! - `stack_canary`: `__stack_chk_fail` is imported;
//! - `fortify`: some other `__*_chk` function is imported;
//! - `stripped`: no `.symtab` section.

use goblin::elf::dynamic::{DF_1_NOW, DF_BIND_NOW, DT_BIND_NOW, DT_FLAGS, DT_FLAGS_1};
use goblin::elf::header::{self, ET_DYN};
use goblin::elf::program_header::{PF_X, PT_GNU_RELRO, PT_GNU_STACK};
use goblin::elf::Elf;

use crate::archive::Archive;
use crate::extract::endpoints::EndpointFinds;
use crate::extract::problems::Problems;
use crate::facts::{EndpointSourceKind, Hardening, NativeLib};

/// Splits `lib/<abi>/<name>.so` into `(abi, name)`; other paths → `None`.
pub fn split_lib_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("lib/")?;
    let (abi, name) = rest.split_once('/')?;
    if abi.is_empty() || name.contains('/') || name.len() <= 3 || !name.ends_with(".so") {
        return None;
    }
    Some((abi, name))
}

/// Lists and inspects every `lib/<abi>/*.so` of `archive`. `name_prefix` is
/// put before each path (the split APK's name in split sets, else empty).
/// An unparsable library is listed with its `error` set; one that cannot be
/// inflated (a limit, damage) also goes to `problems.unread`, since its
/// hardening facts stay unknown.
pub fn read_native_libs(
    archive: &Archive<'_>,
    name_prefix: &str,
    problems: &mut Problems,
) -> Vec<NativeLib> {
    read_native_libs_scanning(
        archive,
        name_prefix,
        problems,
        &mut EndpointFinds::default(),
    )
}

/// [`read_native_libs`], also collecting the hosts of `scheme://host`
/// strings in each library into `endpoints`.
pub fn read_native_libs_scanning(
    archive: &Archive<'_>,
    name_prefix: &str,
    problems: &mut Problems,
    endpoints: &mut EndpointFinds,
) -> Vec<NativeLib> {
    let mut libs = Vec::new();
    for (index, entry) in archive.entries().iter().enumerate() {
        if entry.is_dir {
            continue;
        }
        let Some((abi, name)) = split_lib_path(&entry.name) else {
            continue;
        };
        let mut lib = NativeLib {
            path: format!("{name_prefix}{}", entry.name),
            name: name.to_string(),
            abi: abi.to_string(),
            size: entry.size,
            ..NativeLib::default()
        };
        match archive.read_index(index) {
            Ok(bytes) => {
                lib.size = bytes.len() as u64;
                inspect_elf(&bytes, &mut lib);
                endpoints.scan(&bytes, &lib.path, EndpointSourceKind::NativeLibrary);
            }
            Err(e) => {
                problems.unread(&entry.name, &e);
                lib.error = Some(e.to_string());
            }
        }
        libs.push(lib);
    }
    libs
}

/// Fills `machine`, `hardening`, `needed` (or `error`) of `lib` from the ELF `bytes`.
pub fn inspect_elf(bytes: &[u8], lib: &mut NativeLib) {
    lib.machine = Elf::parse_header(bytes)
        .ok()
        .map(|h| machine_name(h.e_machine));
    // goblin reports malformed input as errors; the unwind guard is defence in
    // depth so that a parser bug on hostile input costs one library, not the run.
    let parsed = std::panic::catch_unwind(|| match Elf::parse(bytes) {
        Ok(elf) => Ok((hardening(&elf), needed(&elf))),
        Err(e) => Err(format!("not a readable ELF file: {e}")),
    });
    match parsed {
        Ok(Ok((hardening, needed))) => {
            lib.hardening = Some(hardening);
            lib.needed = needed;
        }
        Ok(Err(e)) => lib.error = Some(e),
        Err(_) => lib.error = Some("not a readable ELF file: the ELF parser failed".into()),
    }
}

/// Short lowercase machine name, e.g. `aarch64`, `arm`, `x86_64`.
pub fn machine_name(e_machine: u16) -> String {
    match e_machine {
        header::EM_ARM => "arm".into(),
        header::EM_AARCH64 => "aarch64".into(),
        header::EM_386 => "x86".into(),
        header::EM_X86_64 => "x86_64".into(),
        header::EM_MIPS => "mips".into(),
        header::EM_RISCV => "riscv".into(),
        other => header::machine_to_str(other).to_ascii_lowercase(),
    }
}

/// `DT_NEEDED` entries in file order.
fn needed(elf: &Elf<'_>) -> Vec<String> {
    elf.libraries.iter().map(|s| (*s).to_string()).collect()
}

/// Names of imported (undefined) dynamic symbols.
fn imports<'a>(elf: &'a Elf<'_>) -> impl Iterator<Item = &'a str> + 'a {
    elf.dynsyms
        .iter()
        .filter(|s| s.is_import())
        .filter_map(|s| elf.dynstrtab.get_at(s.st_name))
}

/// Computes the hardening facts of a parsed ELF.
fn hardening(elf: &Elf<'_>) -> Hardening {
    let nx = elf
        .program_headers
        .iter()
        .find(|p| p.p_type == PT_GNU_STACK)
        .is_some_and(|p| p.p_flags & PF_X == 0);
    let has_relro = elf.program_headers.iter().any(|p| p.p_type == PT_GNU_RELRO);
    let bind_now = elf.dynamic.as_ref().is_some_and(|d| {
        d.dyns.iter().any(|dy| match dy.d_tag {
            DT_BIND_NOW => true,
            DT_FLAGS => dy.d_val & DF_BIND_NOW != 0,
            DT_FLAGS_1 => dy.d_val & DF_1_NOW != 0,
            _ => false,
        })
    });
    let relro = match (has_relro, bind_now) {
        (false, _) => "none",
        (true, false) => "partial",
        (true, true) => "full",
    };
    let mut stack_canary = false;
    let mut fortify = false;
    for name in imports(elf) {
        if name == "__stack_chk_fail" {
            stack_canary = true;
        } else if name.starts_with("__") && name.ends_with("_chk") && name != "__stack_chk_guard" {
            fortify = true;
        }
    }
    let stripped = !elf
        .section_headers
        .iter()
        .any(|sh| elf.shdr_strtab.get_at(sh.sh_name) == Some(".symtab"));
    Hardening {
        nx,
        pie: elf.header.e_type == ET_DYN,
        relro: relro.to_string(),
        stack_canary,
        fortify,
        stripped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lib_paths() {
        assert_eq!(
            split_lib_path("lib/arm64-v8a/libfoo.so"),
            Some(("arm64-v8a", "libfoo.so"))
        );
        assert_eq!(split_lib_path("lib/x86/sub/libfoo.so"), None);
        assert_eq!(split_lib_path("lib/libfoo.so"), None);
        assert_eq!(split_lib_path("lib//libfoo.so"), None);
        assert_eq!(split_lib_path("assets/lib/x86/libfoo.so"), None);
        assert_eq!(split_lib_path("lib/x86/libfoo.so.txt"), None);
        assert_eq!(split_lib_path("lib/x86/.so"), None);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        let mut lib = NativeLib::default();
        inspect_elf(b"\x7fELF\x02\x01\x01garbage", &mut lib);
        assert!(lib.hardening.is_none());
        assert!(lib
            .error
            .as_deref()
            .unwrap()
            .starts_with("not a readable ELF file"));
        let mut lib = NativeLib::default();
        inspect_elf(b"", &mut lib);
        assert!(lib.machine.is_none());
        assert!(lib.error.is_some());
    }

    #[test]
    fn machine_names() {
        assert_eq!(machine_name(header::EM_AARCH64), "aarch64");
        assert_eq!(machine_name(header::EM_ARM), "arm");
        assert_eq!(machine_name(header::EM_X86_64), "x86_64");
    }
}
