//! A minimal BER/DER walker: just enough to pull the certificates out of a
//! PKCS#7 `SignedData` that the strict DER decoder of the `cms` crate rejects
//! (old `jarsigner` versions wrote indefinite lengths), and to read a DSA
//! parameter. It never allocates per byte, bounds its recursion, and every
//! length is checked against the input.

use thiserror::Error;

/// Deepest nesting of indefinite-length elements followed.
const MAX_DEPTH: usize = 32;
/// Most children listed for one constructed element.
const MAX_CHILDREN: usize = 10_000;

/// Why BER input could not be walked.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum BerError {
    /// The input ends inside an element.
    #[error("truncated BER element")]
    Truncated,
    /// A length form that BER does not allow or that is too large.
    #[error("unsupported BER length")]
    BadLength,
    /// Indefinite lengths nested deeper than the limit.
    #[error("BER nesting deeper than {MAX_DEPTH}")]
    TooDeep,
    /// More children than the limit.
    #[error("more than {MAX_CHILDREN} BER elements in one container")]
    TooMany,
    /// The structure is not the expected one.
    #[error("unexpected BER structure: {0}")]
    Unexpected(&'static str),
}

/// One BER element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// First identifier octet (class, constructed bit, low tag number).
    pub tag: u8,
    /// The whole encoding: identifier, length, contents (and end-of-contents).
    pub raw: &'a [u8],
    /// The contents octets (without an end-of-contents marker).
    pub content: &'a [u8],
}

/// Reads one element from the start of `input`; returns it and the rest.
pub fn read_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), BerError> {
    read_tlv_depth(input, 0)
}

fn read_tlv_depth(input: &[u8], depth: usize) -> Result<(Tlv<'_>, &[u8]), BerError> {
    if depth > MAX_DEPTH {
        return Err(BerError::TooDeep);
    }
    let tag = *input.first().ok_or(BerError::Truncated)?;
    let mut pos = 1usize;
    if tag & 0x1F == 0x1F {
        // High tag number: base-128 continuation octets.
        loop {
            let b = *input.get(pos).ok_or(BerError::Truncated)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if pos > 6 {
                return Err(BerError::BadLength);
            }
        }
    }
    let first_len = *input.get(pos).ok_or(BerError::Truncated)?;
    pos += 1;
    if first_len == 0x80 {
        if tag & 0x20 == 0 {
            return Err(BerError::BadLength);
        }
        // Indefinite length: children until the end-of-contents octets.
        let start = pos;
        let mut rest = input.get(pos..).ok_or(BerError::Truncated)?;
        loop {
            if rest.starts_with(&[0, 0]) {
                let content_end = input.len() - rest.len();
                let end = content_end + 2;
                let tlv = Tlv {
                    tag,
                    raw: input.get(..end).ok_or(BerError::Truncated)?,
                    content: input.get(start..content_end).ok_or(BerError::Truncated)?,
                };
                return Ok((tlv, input.get(end..).ok_or(BerError::Truncated)?));
            }
            let (_, next) = read_tlv_depth(rest, depth + 1)?;
            rest = next;
        }
    }
    let len = if first_len & 0x80 == 0 {
        usize::from(first_len)
    } else {
        let n = usize::from(first_len & 0x7F);
        if n > 4 {
            return Err(BerError::BadLength);
        }
        let bytes = input.get(pos..pos + n).ok_or(BerError::Truncated)?;
        pos += n;
        bytes
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    let end = pos.checked_add(len).ok_or(BerError::BadLength)?;
    let tlv = Tlv {
        tag,
        raw: input.get(..end).ok_or(BerError::Truncated)?,
        content: input.get(pos..end).ok_or(BerError::Truncated)?,
    };
    Ok((tlv, input.get(end..).ok_or(BerError::Truncated)?))
}

/// The elements inside the contents `content` of a constructed element.
pub fn children(content: &[u8]) -> Result<Vec<Tlv<'_>>, BerError> {
    let mut out = Vec::new();
    let mut rest = content;
    while !rest.is_empty() {
        if out.len() >= MAX_CHILDREN {
            return Err(BerError::TooMany);
        }
        let (tlv, next) = read_tlv(rest)?;
        out.push(tlv);
        rest = next;
    }
    Ok(out)
}

/// DER of the OID 1.2.840.113549.1.7.2 (`signedData`), contents only.
const OID_SIGNED_DATA: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02];

/// The fields of the `SignedData` inside a PKCS#7 `ContentInfo`.
fn signed_data_fields(input: &[u8]) -> Result<Vec<Tlv<'_>>, BerError> {
    let (content_info, _) = read_tlv(input)?;
    if content_info.tag != 0x30 {
        return Err(BerError::Unexpected("ContentInfo is not a SEQUENCE"));
    }
    let ci = children(content_info.content)?;
    match ci.first() {
        Some(oid) if oid.tag == 0x06 && oid.content == OID_SIGNED_DATA => {}
        _ => return Err(BerError::Unexpected("content type is not signedData")),
    }
    let explicit = ci
        .get(1)
        .filter(|t| t.tag == 0xA0)
        .ok_or(BerError::Unexpected("no [0] content"))?;
    let (signed_data, _) = read_tlv(explicit.content)?;
    if signed_data.tag != 0x30 {
        return Err(BerError::Unexpected("SignedData is not a SEQUENCE"));
    }
    children(signed_data.content)
}

/// The raw encodings of the certificates in a PKCS#7 `ContentInfo` holding
/// `SignedData` (the `certificates [0] IMPLICIT SET` field).
pub fn pkcs7_certificates(input: &[u8]) -> Result<Vec<&[u8]>, BerError> {
    // version, digestAlgorithms, encapContentInfo, then optional [0] certificates.
    let fields = signed_data_fields(input)?;
    let certs = fields.iter().skip(3).find(|t| t.tag == 0xA0);
    match certs {
        Some(set) => Ok(children(set.content)?.into_iter().map(|c| c.raw).collect()),
        None => Ok(Vec::new()),
    }
}

/// How a PKCS#7 `SignerInfo` names its certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerId<'a> {
    /// `IssuerAndSerialNumber`: the issuer `Name` (whole encoding) and the
    /// serial number (INTEGER contents).
    IssuerSerial {
        /// Encoded issuer name.
        issuer: &'a [u8],
        /// Serial number contents octets.
        serial: &'a [u8],
    },
    /// `[0] SubjectKeyIdentifier`.
    KeyId(&'a [u8]),
}

/// The signer identifiers of all `SignerInfo`s of a PKCS#7 `SignedData`.
pub fn pkcs7_signer_ids(input: &[u8]) -> Result<Vec<SignerId<'_>>, BerError> {
    let fields = signed_data_fields(input)?;
    let infos = fields
        .iter()
        .skip(3)
        .rfind(|t| t.tag == 0x31)
        .ok_or(BerError::Unexpected("no signerInfos SET"))?;
    let mut ids = Vec::new();
    for info in children(infos.content)? {
        let info_fields = children(info.content)?;
        let sid = info_fields
            .get(1)
            .ok_or(BerError::Unexpected("SignerInfo without sid"))?;
        match sid.tag {
            0x30 => {
                let parts = children(sid.content)?;
                match (parts.first(), parts.get(1)) {
                    (Some(issuer), Some(serial)) if serial.tag == 0x02 => {
                        ids.push(SignerId::IssuerSerial {
                            issuer: issuer.raw,
                            serial: serial.content,
                        })
                    }
                    _ => return Err(BerError::Unexpected("malformed IssuerAndSerialNumber")),
                }
            }
            0x80 | 0xA0 => ids.push(SignerId::KeyId(sid.content)),
            _ => return Err(BerError::Unexpected("unknown SignerIdentifier")),
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_and_long_lengths() {
        let (t, rest) = read_tlv(&[0x04, 0x02, 0xAA, 0xBB, 0xFF]).unwrap();
        assert_eq!(
            (t.tag, t.content, rest),
            (0x04, &[0xAA, 0xBB][..], &[0xFF][..])
        );
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        let (t, rest) = read_tlv(&long).unwrap();
        assert_eq!(t.content.len(), 0x80);
        assert!(rest.is_empty());
    }

    #[test]
    fn indefinite_length() {
        // SEQUENCE (indefinite) { INTEGER 5, OCTET STRING 'a' } EOC, then a NULL.
        let data = [
            0x30, 0x80, 0x02, 0x01, 0x05, 0x04, 0x01, b'a', 0x00, 0x00, 0x05, 0x00,
        ];
        let (t, rest) = read_tlv(&data).unwrap();
        assert_eq!(t.raw.len(), 10);
        assert_eq!(t.content, &data[2..8]);
        assert_eq!(rest, &[0x05, 0x00]);
        assert_eq!(children(t.content).unwrap().len(), 2);
    }

    #[test]
    fn hostile_inputs_are_errors() {
        assert_eq!(read_tlv(&[]), Err(BerError::Truncated));
        assert_eq!(read_tlv(&[0x04, 0x05, 0x00]), Err(BerError::Truncated));
        assert_eq!(
            read_tlv(&[0x04, 0x85, 1, 1, 1, 1, 1]),
            Err(BerError::BadLength)
        );
        assert_eq!(read_tlv(&[0x04, 0x80, 0, 0]), Err(BerError::BadLength));
        // Unterminated indefinite length.
        assert_eq!(
            read_tlv(&[0x30, 0x80, 0x05, 0x00]),
            Err(BerError::Truncated)
        );
        // Deep nesting of indefinite lengths.
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100).flatten().collect();
        assert_eq!(read_tlv(&deep), Err(BerError::TooDeep));
    }

    #[test]
    fn pkcs7_with_indefinite_lengths() {
        // ContentInfo { signedData, [0] { SignedData { 1, {}, {data}, [0] { cert, cert } } } }
        // written with indefinite lengths, as old jarsigner did.
        let cert_a = [0x30, 0x03, 0x02, 0x01, 0x01];
        let cert_b = [0x30, 0x03, 0x02, 0x01, 0x02];
        let mut sd = vec![
            0x30, 0x80, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x80, 0x06, 0x01, 0x2A, 0, 0,
        ];
        sd.extend([0xA0, 0x80]);
        sd.extend(cert_a);
        sd.extend(cert_b);
        sd.extend([0, 0, 0x31, 0x00, 0, 0]);
        let mut ci = vec![0x30, 0x80, 0x06, 0x09];
        ci.extend(OID_SIGNED_DATA);
        ci.extend([0xA0, 0x80]);
        ci.extend(&sd);
        ci.extend([0, 0, 0, 0]);
        let certs = pkcs7_certificates(&ci).unwrap();
        assert_eq!(certs, vec![&cert_a[..], &cert_b[..]]);
        // The signerInfos SET here is empty.
        assert_eq!(pkcs7_signer_ids(&ci).unwrap(), vec![]);
    }
}
