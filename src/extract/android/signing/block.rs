//! The APK Signing Block (v2, v3, v3.1 schemes) just before the zip central
//! directory, and the certificates of its signers.
//!
//! Layout (all little-endian): `u64 size`, pairs of `u64 len, u32 id, value`,
//! `u64 size` again, the 16-byte magic `APK Sig Block 42`; the central
//! directory starts right after the magic. `size` counts everything after
//! the first size field. Both size fields must agree.

use crate::facts::UnreadKind;

/// The magic at the end of the signing block.
pub const MAGIC: &[u8; 16] = b"APK Sig Block 42";
/// Pair id of the v2 signature scheme.
pub const ID_V2: u32 = 0x7109_871a;
/// Pair id of the v3 signature scheme.
pub const ID_V3: u32 = 0xf053_68c0;
/// Pair id of the v3.1 signature scheme.
pub const ID_V31: u32 = 0x1b93_ad61;

/// Most signers read from one scheme block.
const MAX_SIGNERS: usize = 64;
/// Most certificates read from one signer.
const MAX_CERTS: usize = 64;
/// Most pairs read from one signing block.
const MAX_PAIRS: usize = 1024;

fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        b.get(off..off.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        b.get(off..off.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_le_bytes(
        b.get(off..off.checked_add(8)?)?.try_into().ok()?,
    ))
}

/// Offset of the End of Central Directory record: the last `PK\5\6` whose
/// comment length reaches exactly to the end of the file (as apksig requires).
pub fn find_eocd(bytes: &[u8]) -> Option<usize> {
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(0xFFFF);
    (first..=last).rev().find(|&pos| {
        bytes.get(pos..pos + 4) == Some(b"PK\x05\x06")
            && u16_at(bytes, pos + 20).map(usize::from) == Some(bytes.len() - pos - 22)
    })
}

/// The id/value pairs of the signing block, and problems met reading it.
#[derive(Debug, Default)]
pub struct BlockPairs<'a> {
    /// `(id, value)` in file order.
    pub pairs: Vec<(u32, &'a [u8])>,
    /// Problems found (size mismatch, wrong magic, truncated pairs).
    pub problems: Vec<String>,
    /// Why the pairs were read only in part (too many pairs, a pair with an
    /// invalid length): later pairs, perhaps a signature scheme, are unread.
    pub cut_short: Option<(UnreadKind, String)>,
}

/// Finds and splits the APK Signing Block of `bytes`. No block → no pairs
/// and no problems (the APK has no v2+ signature).
pub fn read_block(bytes: &[u8]) -> BlockPairs<'_> {
    read_block_at(bytes, 0)
}

/// [`read_block`] on the end of an APK: `bytes` are the APK from offset
/// `base` to its end (`Archive::signing_region`). A block reaching before
/// `base` is left unread as a limit.
pub fn read_block_at(bytes: &[u8], base: u64) -> BlockPairs<'_> {
    let mut out = BlockPairs::default();
    let base = usize::try_from(base).unwrap_or(usize::MAX);
    let Some(eocd) = find_eocd(bytes) else {
        out.problems.push(
            "no zip End of Central Directory record found; signing block not searched".into(),
        );
        return out;
    };
    let Some(cd_abs) = u32_at(bytes, eocd + 16).map(|v| v as usize) else {
        return out;
    };
    let Some(cd_off) = cd_abs.checked_sub(base) else {
        return out;
    };
    if cd_off > eocd {
        out.problems.push(format!(
            "central directory offset {cd_abs} lies past the End of Central Directory record at {}; signing block not searched",
            eocd.saturating_add(base)
        ));
        return out;
    }
    let Some(footer) = cd_off.checked_sub(24) else {
        return out;
    };
    let magic_ok = bytes.get(footer + 8..cd_off) == Some(&MAGIC[..]);
    let Some(size) = u64_at(bytes, footer) else {
        return out;
    };
    // Start of the block = the leading size field.
    let start = usize::try_from(size)
        .ok()
        .and_then(|s| s.checked_add(8))
        .and_then(|s| cd_off.checked_sub(s));
    let header_size = start.and_then(|s| u64_at(bytes, s));
    if !magic_ok {
        if size >= 24 && header_size == Some(size) {
            out.problems.push(
                "a block with consistent APK Signing Block sizes precedes the central directory, but its magic is not 'APK Sig Block 42'; Android ignores it, so its signatures do not count".into(),
            );
        }
        return out;
    }
    if start.is_none() && base > 0 && size >= 24 && size < cd_abs as u64 {
        let why = format!(
            "APK Signing Block of {size} bytes is larger than the {cd_off} bytes read before the central directory (32 MiB); its signatures are not read"
        );
        out.problems.push(why.clone());
        out.cut_short = Some((UnreadKind::Limit, why));
        return out;
    }
    let Some(start) = start.filter(|_| size >= 24) else {
        out.problems.push(format!(
            "APK Signing Block size {size} in the footer does not fit before the central directory at offset {cd_abs}"
        ));
        return out;
    };
    if header_size != Some(size) {
        out.problems.push(format!(
            "APK Signing Block sizes differ: {} at the start, {size} at the end; Android rejects the block",
            header_size.map_or_else(|| "none".to_string(), |h| h.to_string())
        ));
        return out;
    }
    let mut pos = start + 8;
    while pos < footer {
        if out.pairs.len() >= MAX_PAIRS {
            let why =
                format!("APK Signing Block holds more than {MAX_PAIRS} pairs; the rest is ignored");
            out.problems.push(why.clone());
            out.cut_short = Some((UnreadKind::Limit, why));
            break;
        }
        let len = u64_at(bytes, pos).and_then(|l| usize::try_from(l).ok());
        let value_end = len.and_then(|l| pos.checked_add(8)?.checked_add(l));
        match (len, value_end) {
            (Some(len), Some(end)) if len >= 4 && end <= footer => {
                if let (Some(id), Some(value)) = (u32_at(bytes, pos + 8), bytes.get(pos + 12..end))
                {
                    out.pairs.push((id, value));
                }
                pos = end;
            }
            _ => {
                let why = format!(
                    "APK Signing Block pair at offset {} has an invalid length; the rest of the block is ignored",
                    pos.saturating_add(base)
                );
                out.problems.push(why.clone());
                out.cut_short = Some((UnreadKind::Damage, why));
                break;
            }
        }
    }
    out
}

/// Splits a `u32`-length-prefixed field off the front of `input`.
fn length_prefixed(input: &[u8]) -> Option<(&[u8], &[u8])> {
    let len = u32_at(input, 0)? as usize;
    let end = len.checked_add(4)?;
    Some((input.get(4..end)?, input.get(end..)?))
}

/// All items of a sequence of length-prefixed items, at most `max`.
fn sequence(mut input: &[u8], max: usize) -> Option<Vec<&[u8]>> {
    let mut items = Vec::new();
    while !input.is_empty() {
        if items.len() >= max {
            return None;
        }
        let (item, rest) = length_prefixed(input)?;
        items.push(item);
        input = rest;
    }
    Some(items)
}

/// The certificates (DER) of every signer in a v2/v3/v3.1 scheme value, each
/// with whether it is the signer's own certificate (the first one; Android
/// ignores the others). In all three schemes a signer starts with its signed
/// data, which starts with the digests and then the certificates.
pub fn scheme_certificates(value: &[u8]) -> Result<Vec<(&[u8], bool)>, String> {
    let (signers, _) = length_prefixed(value).ok_or("signer list is truncated")?;
    let signers = sequence(signers, MAX_SIGNERS).ok_or("signer list is malformed")?;
    if signers.is_empty() {
        return Err("no signers".into());
    }
    let mut certs = Vec::new();
    for (n, signer) in signers.iter().enumerate() {
        let n = n + 1;
        let (signed_data, _) = length_prefixed(signer)
            .ok_or_else(|| format!("signer #{n}: signed data is truncated"))?;
        let (_digests, rest) = length_prefixed(signed_data)
            .ok_or_else(|| format!("signer #{n}: digests are truncated"))?;
        let (cert_seq, _) = length_prefixed(rest)
            .ok_or_else(|| format!("signer #{n}: certificates are truncated"))?;
        let signer_certs = sequence(cert_seq, MAX_CERTS)
            .ok_or_else(|| format!("signer #{n}: certificate list is malformed"))?;
        if signer_certs.is_empty() {
            return Err(format!("signer #{n}: no certificates"));
        }
        certs.extend(
            signer_certs
                .into_iter()
                .enumerate()
                .map(|(i, c)| (c, i == 0)),
        );
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lp(data: &[u8]) -> Vec<u8> {
        let mut v = (data.len() as u32).to_le_bytes().to_vec();
        v.extend_from_slice(data);
        v
    }

    /// A scheme value with one signer holding `certs`.
    fn scheme_value(certs: &[&[u8]]) -> Vec<u8> {
        let cert_seq: Vec<u8> = certs.iter().flat_map(|c| lp(c)).collect();
        let mut signed_data = lp(&[]); // no digests
        signed_data.extend(lp(&cert_seq));
        let mut signer = lp(&signed_data);
        signer.extend(lp(&[])); // signatures
        signer.extend(lp(&[])); // public key
        lp(&lp(&signer))
    }

    /// A fake APK: some bytes, the signing block with `pairs`, a central
    /// directory placeholder and an EOCD pointing at it.
    fn apk_with_block(pairs: &[(u32, Vec<u8>)], magic: &[u8; 16], footer_delta: u64) -> Vec<u8> {
        let mut body = Vec::new();
        for (id, value) in pairs {
            body.extend(((value.len() + 4) as u64).to_le_bytes());
            body.extend(id.to_le_bytes());
            body.extend(value);
        }
        let size = (body.len() + 24) as u64;
        let mut apk = b"local file data".to_vec();
        apk.extend(size.to_le_bytes());
        apk.extend(body);
        apk.extend((size + footer_delta).to_le_bytes());
        apk.extend(magic);
        let cd_off = apk.len() as u32;
        apk.extend(b"PK\x01\x02 central directory");
        let mut eocd = b"PK\x05\x06".to_vec();
        eocd.extend([0u8; 12]);
        eocd.extend(cd_off.to_le_bytes());
        eocd.extend([0u8; 2]);
        apk.extend(eocd);
        apk
    }

    #[test]
    fn reads_pairs_and_certificates() {
        let apk = apk_with_block(
            &[
                (ID_V2, scheme_value(&[b"cert-a"])),
                (ID_V3, scheme_value(&[b"cert-b", b"cert-c"])),
            ],
            MAGIC,
            0,
        );
        let block = read_block(&apk);
        assert!(block.problems.is_empty(), "{:?}", block.problems);
        assert_eq!(block.pairs.len(), 2);
        assert_eq!(block.pairs[0].0, ID_V2);
        assert_eq!(
            scheme_certificates(block.pairs[0].1).unwrap(),
            vec![(&b"cert-a"[..], true)]
        );
        assert_eq!(
            scheme_certificates(block.pairs[1].1).unwrap(),
            vec![(&b"cert-b"[..], true), (&b"cert-c"[..], false)]
        );
    }

    #[test]
    fn size_mismatch_and_wrong_magic_are_problems() {
        let pairs = [(ID_V2, scheme_value(&[b"x"]))];
        let mismatch_apk = apk_with_block(&pairs, MAGIC, 1);
        let mismatch = read_block(&mismatch_apk);
        assert!(mismatch.pairs.is_empty());
        assert_eq!(mismatch.problems.len(), 1);
        assert!(
            mismatch.problems[0].contains("does not fit")
                || mismatch.problems[0].contains("differ")
        );
        let wrong_apk = apk_with_block(&pairs, b"APK Sig Block 43", 0);
        let wrong = read_block(&wrong_apk);
        assert!(wrong.pairs.is_empty());
        assert!(wrong.problems[0].contains("magic"), "{:?}", wrong.problems);
    }

    #[test]
    fn no_block_is_not_a_problem() {
        let mut apk = b"PK\x01\x02".to_vec();
        let mut eocd = b"PK\x05\x06".to_vec();
        eocd.extend([0u8; 18]);
        apk.extend(eocd);
        let block = read_block(&apk);
        assert!(block.pairs.is_empty() && block.problems.is_empty());
    }

    #[test]
    fn truncated_scheme_values_are_errors() {
        let good = scheme_value(&[b"cert"]);
        for cut in 0..good.len() {
            assert!(scheme_certificates(&good[..cut]).is_err(), "cut {cut}");
        }
        // Every truncation of a whole APK: no panic.
        let apk = apk_with_block(&[(ID_V2, good)], MAGIC, 0);
        for cut in 0..apk.len() {
            let _ = read_block(&apk[..cut]);
        }
    }
}
