//! Zip structures Android refuses although the `zip` crate reads them.
//!
//! The `zip` crate is more lenient than Android's `libziparchive` in two
//! ways seen in the AOSP apksig test vectors: a central directory that runs
//! into the end-of-central-directory record (`v2-only-truncated-cd.apk`,
//! `v1v2v3-…-invalid-zip.apk`), and NUL bytes in entry names
//! (`v1-only-with-nul-in-entry-name.apk`). Android rejects such an APK as a
//! whole (`kInvalidOffset`, `kInvalidEntryName`), so it cannot be installed;
//! msgaudit reports it as broken instead of auditing what no device runs.
//! Duplicate entry names (the 2013 "Master Key" pattern, `kDuplicateEntry`)
//! are refused for the same reason.
//! Quirks Android accepts (data before the first entry, garbage between the
//! central directory and the EOCD, a 64 KiB EOCD comment, CR in names) are
//! read by the `zip` crate as they are and need no repair.

use thiserror::Error;

use super::chunk::{u16_at, u32_at};
use crate::archive::Archive;
use crate::detect::find_eocd;

/// Why Android would refuse the zip structure of an APK.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ZipQuirk {
    /// The central directory extends past the start of the EOCD record.
    #[error("broken zip: the central directory (offset {offset}, {size} bytes) runs into the end-of-central-directory record at {eocd}; Android refuses to install such an APK")]
    DirectoryOverrunsEocd {
        /// Central directory offset.
        offset: u64,
        /// Central directory size.
        size: u64,
        /// Offset of the EOCD record.
        eocd: u64,
    },
    /// Two entries have the same name (the "Master Key" pattern: which copy is
    /// used would depend on the reader).
    #[error("broken zip: entry name {0:?} appears more than once; Android refuses to install such an APK")]
    DuplicateEntry(String),
    /// An entry name contains a NUL byte.
    #[error(
        "broken zip: entry name {0:?} contains a NUL byte; Android refuses to install such an APK"
    )]
    NulInEntryName(String),
}

/// Checks the zip structure of an APK the way Android's `libziparchive` does.
pub fn check(archive: &Archive<'_>) -> Result<(), ZipQuirk> {
    let bytes = archive.bytes();
    let Some(eocd) = find_eocd(bytes) else {
        return Ok(());
    };
    let (Some(size), Some(offset)) = (u32_at(bytes, eocd + 12), u32_at(bytes, eocd + 16)) else {
        return Ok(());
    };
    // 0xffffffff: the real values are in the Zip64 record (not checked here).
    if offset == u32::MAX || size == u32::MAX {
        return Ok(());
    }
    if u64::from(offset) + u64::from(size) > eocd as u64 {
        return Err(ZipQuirk::DirectoryOverrunsEocd {
            offset: offset.into(),
            size: size.into(),
            eocd: eocd as u64,
        });
    }
    // Names as stored in the central directory (the zip crate's own listing
    // keeps only one entry per name, so duplicates must be found here). With
    // data prepended to the archive the directory sits right before the EOCD.
    let starts = [offset as usize, eocd.saturating_sub(size as usize)];
    let Some(start) = starts
        .into_iter()
        .find(|&s| bytes.get(s..s.saturating_add(4)) == Some(b"PK\x01\x02".as_slice()))
    else {
        return Ok(());
    };
    let end = start.saturating_add(size as usize).min(eocd);
    let mut seen = std::collections::HashSet::new();
    let mut at = start;
    while at < end && bytes.get(at..at.saturating_add(4)) == Some(b"PK\x01\x02".as_slice()) {
        let (Some(n), Some(x), Some(c)) = (
            u16_at(bytes, at + 28),
            u16_at(bytes, at + 30),
            u16_at(bytes, at + 32),
        ) else {
            break;
        };
        let name_start = at + 46;
        let Some(name) = bytes.get(name_start..name_start + usize::from(n)) else {
            break;
        };
        let text = String::from_utf8_lossy(name).into_owned();
        if name.contains(&0) {
            return Err(ZipQuirk::NulInEntryName(text));
        }
        if !seen.insert(name) {
            return Err(ZipQuirk::DuplicateEntry(text));
        }
        at = name_start + usize::from(n) + usize::from(x) + usize::from(c);
    }
    if let Some(e) = archive.entries().iter().find(|e| e.name.contains('\0')) {
        return Err(ZipQuirk::NulInEntryName(e.name.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;
    use std::io::Write;

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for n in names {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"x").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn accepts_a_plain_zip_and_rejects_overrun_and_nul() {
        let ok = zip_with(&["AndroidManifest.xml"]);
        assert_eq!(
            check(&Archive::new(&ok, Limits::default()).unwrap()),
            Ok(())
        );

        let mut overrun = ok.clone();
        let eocd = find_eocd(&overrun).unwrap();
        let size = u32_at(&overrun, eocd + 12).unwrap() + 2;
        overrun[eocd + 12..eocd + 16].copy_from_slice(&size.to_le_bytes());
        if let Ok(a) = Archive::new(&overrun, Limits::default()) {
            assert!(matches!(
                check(&a),
                Err(ZipQuirk::DirectoryOverrunsEocd { .. })
            ));
        }

        // Two entries renamed to the same name in the central directory.
        let mut dup = zip_with(&["AndroidManifest.xml", "AndroidManifesu.xml"]);
        let cd = dup.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        let at = cd
            + dup[cd..]
                .windows(19)
                .position(|w| w == b"AndroidManifesu.xml")
                .unwrap();
        dup[at + 14] = b't';
        // The zip crate lists one entry per name: the duplicate is invisible there.
        let a = Archive::new(&dup, Limits::default()).unwrap();
        assert_eq!(
            check(&a),
            Err(ZipQuirk::DuplicateEntry("AndroidManifest.xml".into()))
        );

        let nul = zip_with(&["AndroidManifest.xml", "a\0b"]);
        let a = Archive::new(&nul, Limits::default()).unwrap();
        assert_eq!(check(&a), Err(ZipQuirk::NulInEntryName("a\0b".into())));
    }
}
