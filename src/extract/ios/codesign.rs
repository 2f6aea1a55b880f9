//! The embedded code signature (`LC_CODE_SIGNATURE` SuperBlob) of a Mach-O:
//! the entitlements the OS enforces for the app.
//!
//! Layout (all big-endian): SuperBlob `{magic 0xfade0cc0, length, count,
//! index[count] {type, offset}}`; each indexed blob `{magic, length, data}`.
//! The XML entitlements blob has magic `0xfade7171`; the DER form
//! (`0xfade7172`, enforced by iOS 15 and later) is decoded by
//! [`super::der_entitlements`]. The CodeDirectories (slot 0 and the
//! alternates from slot `0x1000`) are read by [`super::code_directory`].

use plist::Dictionary;
use thiserror::Error;

use super::code_directory::{
    read_code_directory, CodeDirectory, CodeDirectoryError, CSMAGIC_CODEDIRECTORY,
};
use super::der_entitlements::{self, DerEntitlementsError};
use super::plist::{read_dict, PlistError};
use crate::limits::Limits;

/// SuperBlob magic.
pub const CSMAGIC_EMBEDDED_SIGNATURE: u32 = 0xfade_0cc0;
/// XML entitlements blob magic.
pub const CSMAGIC_EMBEDDED_ENTITLEMENTS: u32 = 0xfade_7171;
/// DER entitlements blob magic.
pub const CSMAGIC_EMBEDDED_DER_ENTITLEMENTS: u32 = 0xfade_7172;
/// Slot of the primary CodeDirectory.
const CSSLOT_CODEDIRECTORY: u32 = 0;
/// First and last slot of alternate CodeDirectories.
const CSSLOT_ALTERNATE: std::ops::RangeInclusive<u32> = 0x1000..=0x1004;
/// Slot of the CMS signature (empty in ad-hoc signatures).
const CSSLOT_SIGNATURESLOT: u32 = 0x10000;
/// Most blobs a SuperBlob index may list.
const MAX_BLOBS: u32 = 64;

/// Why a code signature could not be read.
#[derive(Debug, Error)]
pub enum CodeSignError {
    /// The signature is shorter than its header or an index entry.
    #[error("code signature truncated: {0}")]
    Truncated(&'static str),
    /// The SuperBlob magic is wrong.
    #[error("code signature has magic {0:#010x}, expected 0xfade0cc0 (embedded signature)")]
    BadMagic(u32),
    /// More index entries than plausible.
    #[error("code signature lists {0} blobs, more than the limit of {MAX_BLOBS}")]
    TooManyBlobs(u32),
    /// A blob lies outside the signature.
    #[error("code signature blob at offset {offset} (length {length}) lies outside the signature")]
    OutOfBounds {
        /// Offset of the blob inside the SuperBlob.
        offset: u64,
        /// Declared length.
        length: u64,
    },
    /// The entitlements blob is not a readable dictionary plist.
    #[error("entitlements blob: {0}")]
    Entitlements(#[from] PlistError),
    /// The DER entitlements blob is not readable.
    #[error(transparent)]
    DerEntitlements(#[from] DerEntitlementsError),
    /// A CodeDirectory is not readable.
    #[error(transparent)]
    CodeDirectory(#[from] CodeDirectoryError),
}

/// What the code signature says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CodeSignature {
    /// The XML entitlements, if the signature has them.
    pub entitlements: Option<Dictionary>,
    /// The DER entitlements, if the signature has them.
    pub der_entitlements: Option<Dictionary>,
    /// Number of blobs in the SuperBlob.
    pub blobs: usize,
    /// The CodeDirectories: the primary one (slot 0) first, then the
    /// alternates (slots `0x1000`…`0x1004`) in index order.
    pub code_directories: Vec<CodeDirectory>,
    /// Whether the CMS signature slot holds a signature (ad-hoc signatures
    /// have none or an empty one). Not verified.
    pub cms: bool,
}

fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes(b.try_into().ok()?))
}

/// Reads a SuperBlob (the bytes `LC_CODE_SIGNATURE` points at).
pub fn read_code_signature(bytes: &[u8], limits: &Limits) -> Result<CodeSignature, CodeSignError> {
    let magic = be_u32(bytes, 0).ok_or(CodeSignError::Truncated("header"))?;
    if magic != CSMAGIC_EMBEDDED_SIGNATURE {
        return Err(CodeSignError::BadMagic(magic));
    }
    let length = be_u32(bytes, 4).ok_or(CodeSignError::Truncated("header"))? as usize;
    let count = be_u32(bytes, 8).ok_or(CodeSignError::Truncated("header"))?;
    if count > MAX_BLOBS {
        return Err(CodeSignError::TooManyBlobs(count));
    }
    // The declared length may be shorter than the linkedit span; never longer.
    let sig = bytes.get(..length.min(bytes.len())).unwrap_or(bytes);
    let mut out = CodeSignature {
        blobs: count as usize,
        ..CodeSignature::default()
    };
    for i in 0..count as usize {
        let entry = 12 + i * 8;
        let slot = be_u32(sig, entry).ok_or(CodeSignError::Truncated("blob index"))?;
        let offset = be_u32(sig, entry + 4).ok_or(CodeSignError::Truncated("blob index"))? as usize;
        let blob_magic = be_u32(sig, offset);
        let blob_len = be_u32(sig, offset.saturating_add(4));
        let (Some(blob_magic), Some(blob_len)) = (blob_magic, blob_len) else {
            return Err(CodeSignError::OutOfBounds {
                offset: offset as u64,
                length: 8,
            });
        };
        let end = offset.checked_add(blob_len as usize);
        let blob = end
            .filter(|&e| blob_len >= 8 && e <= sig.len())
            .and_then(|e| sig.get(offset.saturating_add(8)..e))
            .ok_or(CodeSignError::OutOfBounds {
                offset: offset as u64,
                length: blob_len as u64,
            })?;
        match blob_magic {
            CSMAGIC_EMBEDDED_ENTITLEMENTS => out.entitlements = Some(read_dict(blob, limits)?),
            CSMAGIC_EMBEDDED_DER_ENTITLEMENTS => {
                out.der_entitlements = Some(der_entitlements::decode(blob)?)
            }
            CSMAGIC_CODEDIRECTORY
                if slot == CSSLOT_CODEDIRECTORY || CSSLOT_ALTERNATE.contains(&slot) =>
            {
                // The CD hash covers the whole blob, header included.
                let cd = read_code_directory(&sig[offset..offset + blob.len() + 8])?;
                if slot == CSSLOT_CODEDIRECTORY {
                    out.code_directories.insert(0, cd);
                } else {
                    out.code_directories.push(cd);
                }
            }
            _ if slot == CSSLOT_SIGNATURESLOT => out.cms = !blob.is_empty(),
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn superblob(blobs: &[(u32, Vec<u8>)]) -> Vec<u8> {
        let header = 12 + 8 * blobs.len();
        let mut index = Vec::new();
        let mut data = Vec::new();
        for (i, (magic, body)) in blobs.iter().enumerate() {
            index.extend_from_slice(&(i as u32).to_be_bytes());
            index.extend_from_slice(&((header + data.len()) as u32).to_be_bytes());
            data.extend_from_slice(&magic.to_be_bytes());
            data.extend_from_slice(&((body.len() + 8) as u32).to_be_bytes());
            data.extend_from_slice(body);
        }
        let mut out = CSMAGIC_EMBEDDED_SIGNATURE.to_be_bytes().to_vec();
        out.extend_from_slice(&((header + data.len()) as u32).to_be_bytes());
        out.extend_from_slice(&(blobs.len() as u32).to_be_bytes());
        out.extend(index);
        out.extend(data);
        out
    }

    #[test]
    fn reads_entitlements_and_survives_truncation() {
        let ents = b"<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>aps-environment</key><string>production</string></dict></plist>".to_vec();
        let cd =
            crate::extract::ios::code_directory::tests::directory("com.example", Some("T1"), 0);
        let sb = superblob(&[
            (CSMAGIC_CODEDIRECTORY, cd[8..].to_vec()),
            (CSMAGIC_EMBEDDED_ENTITLEMENTS, ents),
        ]);
        let cs = read_code_signature(&sb, &Limits::default()).unwrap();
        assert_eq!(cs.blobs, 2);
        assert_eq!(cs.code_directories.len(), 1);
        assert_eq!(cs.code_directories[0].identifier, "com.example");
        assert_eq!(cs.code_directories[0].team_id.as_deref(), Some("T1"));
        assert!(!cs.cms);
        let e = cs.entitlements.unwrap();
        assert_eq!(
            e.get("aps-environment").and_then(|v| v.as_string()),
            Some("production")
        );
        for cut in 0..sb.len() {
            let _ = read_code_signature(&sb[..cut], &Limits::default());
        }
        assert!(matches!(
            read_code_signature(&sb[..40], &Limits::default()),
            Err(CodeSignError::OutOfBounds { .. })
        ));
        assert!(matches!(
            read_code_signature(b"\0\0\0\0\0\0\0\0\0\0\0\0", &Limits::default()),
            Err(CodeSignError::BadMagic(0))
        ));
    }
}
