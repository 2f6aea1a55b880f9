//! A CodeDirectory blob (`0xfade0c02`) of a code signature: who signed the
//! binary (signing identifier, team id), how (flags, hash type) and the CD
//! hash that identifies the signed code.
//!
//! Layout (big-endian, offsets from the blob's start): `magic, length,
//! version, flags, hashOffset, identOffset, nSpecialSlots, nCodeSlots,
//! codeLimit` (u32 each), `hashSize, hashType, platform, pageSize` (u8,
//! page size as log2), `spare2` (u32), from version `0x20100` `scatterOffset`,
//! from `0x20200` `teamOffset` (u32); identifier and team id are
//! NUL-terminated strings at their offsets. The CD hash is the digest of the
//! whole blob with the directory's own hash type, cut to 20 bytes (what
//! `codesign -d` and `rcodesign` print as CDHash).

use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384};
use thiserror::Error;

/// CodeDirectory magic.
pub const CSMAGIC_CODEDIRECTORY: u32 = 0xfade_0c02;
/// First version with a team id offset.
const VERSION_TEAM: u32 = 0x20200;
/// Longest identifier or team id read (bytes).
const MAX_NAME: usize = 1024;
/// Bytes of a CD hash as Apple prints it.
const CDHASH_LEN: usize = 20;

/// Why a CodeDirectory could not be read.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum CodeDirectoryError {
    /// Shorter than its fixed header.
    #[error("code directory truncated ({0} bytes, the header alone has 44)")]
    Truncated(usize),
    /// An identifier or team id offset outside the blob, or no terminating NUL.
    #[error("code directory {what} at offset {offset} is not a terminated string inside the blob")]
    BadString {
        /// `identifier` or `team id`.
        what: &'static str,
        /// Its offset.
        offset: u32,
    },
}

/// What a CodeDirectory says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeDirectory {
    /// Format version, e.g. `0x20400`.
    pub version: u32,
    /// `CS_*` flags (`0x2` ad hoc, `0x10000` hardened runtime, `0x20000` linker-signed, …).
    pub flags: u32,
    /// Signing identifier, e.g. `com.example.app` (ld64 writes the file name).
    pub identifier: String,
    /// Team identifier (from version `0x20200`; ad-hoc signatures have none).
    pub team_id: Option<String>,
    /// Hash type number: 1 SHA-1, 2 SHA-256, 3 SHA-256 truncated, 4 SHA-384.
    pub hash_type: u8,
    /// Number of page hashes.
    pub code_slots: u32,
    /// Number of special-slot hashes (Info.plist, requirements, entitlements, …).
    pub special_slots: u32,
    /// Page size in bytes (0 = one page for the whole file).
    pub page_size: u64,
    /// Bytes of the file the page hashes cover.
    pub code_limit: u32,
    /// The CD hash (lowercase hex, 20 bytes); `None` for an unknown hash type.
    pub cd_hash: Option<String>,
}

impl CodeDirectory {
    /// The name of the hash type: `sha1`, `sha256`, `sha256-truncated`,
    /// `sha384`, or `unknown-N`.
    pub fn hash_name(&self) -> String {
        match self.hash_type {
            1 => "sha1".into(),
            2 => "sha256".into(),
            3 => "sha256-truncated".into(),
            4 => "sha384".into(),
            n => format!("unknown-{n}"),
        }
    }

    /// Names of the flags that are set, e.g. `["adhoc", "linker-signed"]`
    /// (unnamed bits as `0x…`).
    pub fn flag_names(&self) -> Vec<String> {
        const NAMES: [(u32, &str); 9] = [
            (0x1, "host"),
            (0x2, "adhoc"),
            (0x100, "hard"),
            (0x200, "kill"),
            (0x400, "check-expiration"),
            (0x800, "restrict"),
            (0x1000, "enforcement"),
            (0x2000, "library-validation"),
            (0x10000, "runtime"),
        ];
        let mut out = Vec::new();
        let mut rest = self.flags;
        for (bit, name) in NAMES {
            if self.flags & bit != 0 {
                out.push(name.to_string());
                rest &= !bit;
            }
        }
        if rest & 0x20000 != 0 {
            out.push("linker-signed".into());
            rest &= !0x20000;
        }
        if rest != 0 {
            out.push(format!("{rest:#x}"));
        }
        out
    }
}

fn be_u32(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// A NUL-terminated string at `offset` of `blob`, at most [`MAX_NAME`] bytes.
fn c_string(blob: &[u8], offset: u32, what: &'static str) -> Result<String, CodeDirectoryError> {
    let bad = CodeDirectoryError::BadString { what, offset };
    let rest = blob.get(offset as usize..).ok_or(bad.clone())?;
    let rest = &rest[..rest.len().min(MAX_NAME + 1)];
    let end = rest.iter().position(|&b| b == 0).ok_or(bad)?;
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

/// The digest of `blob` with hash type `kind`, cut to 20 bytes, as hex.
fn cd_hash(kind: u8, blob: &[u8]) -> Option<String> {
    let full = match kind {
        1 => Sha1::digest(blob).to_vec(),
        2 | 3 => Sha256::digest(blob).to_vec(),
        4 => Sha384::digest(blob).to_vec(),
        _ => return None,
    };
    Some(hex::encode(&full[..CDHASH_LEN]))
}

/// Reads a CodeDirectory; `blob` is the whole blob, magic and length
/// included (the CD hash covers exactly these bytes).
pub fn read_code_directory(blob: &[u8]) -> Result<CodeDirectory, CodeDirectoryError> {
    const HEADER: usize = 44;
    if blob.len() < HEADER {
        return Err(CodeDirectoryError::Truncated(blob.len()));
    }
    let version = be_u32(blob, 8);
    let team_offset = (version >= VERSION_TEAM && blob.len() >= 52)
        .then(|| be_u32(blob, 48))
        .filter(|&o| o != 0);
    let page_log = blob[39];
    Ok(CodeDirectory {
        version,
        flags: be_u32(blob, 12),
        identifier: c_string(blob, be_u32(blob, 20), "identifier")?,
        team_id: team_offset
            .map(|o| c_string(blob, o, "team id"))
            .transpose()?,
        hash_type: blob[37],
        code_slots: be_u32(blob, 28),
        special_slots: be_u32(blob, 24),
        page_size: if page_log == 0 || page_log >= 64 {
            0
        } else {
            1u64 << page_log
        },
        code_limit: be_u32(blob, 32),
        cd_hash: cd_hash(blob[37], blob),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A version-0x20400 directory with identifier and optional team id.
    pub(crate) fn directory(ident: &str, team: Option<&str>, flags: u32) -> Vec<u8> {
        let header = 88u32;
        let mut strings = ident.as_bytes().to_vec();
        strings.push(0);
        let team_offset = team.map(|t| {
            let at = header + strings.len() as u32;
            strings.extend_from_slice(t.as_bytes());
            strings.push(0);
            at
        });
        let len = header + strings.len() as u32;
        let mut b = Vec::new();
        for v in [
            CSMAGIC_CODEDIRECTORY,
            len,
            0x20400,
            flags,
            len,
            header,
            2,
            0,
            4096,
        ] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        b.extend_from_slice(&[32, 2, 0, 12]);
        b.extend_from_slice(&0u32.to_be_bytes()); // spare2
        b.extend_from_slice(&0u32.to_be_bytes()); // scatter
        b.extend_from_slice(&team_offset.unwrap_or(0).to_be_bytes());
        b.resize(header as usize, 0);
        b.extend(strings);
        b
    }

    #[test]
    fn reads_identifier_team_flags_and_hash() {
        let b = directory("com.example.kit", Some("TEAMA12345"), 0x2 | 0x20000);
        let cd = read_code_directory(&b).unwrap();
        assert_eq!(cd.identifier, "com.example.kit");
        assert_eq!(cd.team_id.as_deref(), Some("TEAMA12345"));
        assert_eq!(cd.hash_name(), "sha256");
        assert_eq!(cd.flag_names(), ["adhoc", "linker-signed"]);
        assert_eq!(cd.page_size, 4096);
        assert_eq!(cd.special_slots, 2);
        let digest = hex::encode(Sha256::digest(&b));
        assert_eq!(cd.cd_hash.as_deref(), Some(&digest[..40]));
        let none = read_code_directory(&directory("x", None, 0)).unwrap();
        assert_eq!(none.team_id, None);
        assert!(none.flag_names().is_empty());
    }

    #[test]
    fn bad_offsets_and_truncation_are_errors() {
        let mut b = directory("id", Some("T"), 0);
        for cut in 0..b.len() {
            let _ = read_code_directory(&b[..cut]);
        }
        assert_eq!(
            read_code_directory(&b[..10]),
            Err(CodeDirectoryError::Truncated(10))
        );
        b[20..24].copy_from_slice(&9999u32.to_be_bytes());
        assert!(matches!(
            read_code_directory(&b),
            Err(CodeDirectoryError::BadString {
                what: "identifier",
                ..
            })
        ));
        let mut unterminated = directory("id", None, 0);
        unterminated.pop();
        assert!(read_code_directory(&unterminated).is_err());
    }
}
