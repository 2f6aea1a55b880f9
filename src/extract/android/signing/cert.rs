//! One X.509 signing certificate → [`Certificate`] facts (x509-parser).

use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::objects::{oid2sn, oid_registry};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::ber;
use crate::facts::Certificate;

/// Describes the DER certificate `der`. `schemes` is left empty for the caller.
/// Digests are of the bytes as stored, which is what apksigner prints.
pub fn describe(der: &[u8]) -> Result<Certificate, String> {
    let (_, cert) =
        X509Certificate::from_der(der).map_err(|e| format!("unparsable X.509 certificate: {e}"))?;
    let spki = cert.public_key();
    let key_oid = spki.algorithm.algorithm.to_id_string();
    let (key_algorithm, key_size) = match key_oid.as_str() {
        "1.2.840.113549.1.1.1" => ("RSA".to_string(), rsa_bits(spki)),
        "1.2.840.10045.2.1" => ("EC".to_string(), ec_bits(spki)),
        "1.2.840.10040.4.1" => ("DSA".to_string(), dsa_bits(spki)),
        "1.3.101.112" => ("Ed25519".to_string(), Some(256)),
        other => (other.to_string(), None),
    };
    let sig_oid = &cert.signature_algorithm.algorithm;
    let signature_algorithm = oid2sn(sig_oid, oid_registry())
        .map(str::to_string)
        .unwrap_or_else(|_| sig_oid.to_id_string());
    let debug = cert
        .subject()
        .iter_common_name()
        .any(|cn| cn.as_str() == Ok("Android Debug"));
    Ok(Certificate {
        schemes: Vec::new(),
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        serial: cert.tbs_certificate.serial.to_str_radix(16),
        not_before: rfc3339(cert.validity().not_before.timestamp()),
        not_after: rfc3339(cert.validity().not_after.timestamp()),
        sha256: hex::encode(Sha256::digest(der)),
        sha1: hex::encode(Sha1::digest(der)),
        key_algorithm,
        key_size,
        signature_algorithm,
        debug,
    })
}

/// Seconds since the epoch → RFC 3339 in UTC (the raw number if out of range).
fn rfc3339(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ts.to_string())
}

/// Bit length of a big-endian unsigned integer (leading zero octets ignored).
fn bit_length(bytes: &[u8]) -> Option<u32> {
    let start = bytes.iter().position(|&b| b != 0)?;
    let first = *bytes.get(start)?;
    let rest = u32::try_from(bytes.len() - start - 1).ok()?;
    Some(
        rest.checked_mul(8)?
            .checked_add(8 - first.leading_zeros())?,
    )
}

fn rsa_bits(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> Option<u32> {
    match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => bit_length(rsa.modulus),
        _ => None,
    }
}

fn ec_bits(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> Option<u32> {
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|o| o.to_id_string());
    match curve.as_deref() {
        Some("1.2.840.10045.3.1.7") => Some(256),
        Some("1.3.132.0.34") => Some(384),
        Some("1.3.132.0.35") => Some(521),
        Some("1.3.132.0.10") => Some(256),
        _ => match spki.parsed() {
            Ok(key @ PublicKey::EC(_)) => u32::try_from(key.key_size()).ok().filter(|&b| b > 0),
            _ => None,
        },
    }
}

/// DSA key size: the bit length of `p` in the parameters `SEQUENCE {p, q, g}`.
fn dsa_bits(spki: &x509_parser::x509::SubjectPublicKeyInfo<'_>) -> Option<u32> {
    let params = spki.algorithm.parameters.as_ref()?;
    let (p, _) = ber::read_tlv(params.data).ok()?;
    if p.tag != 0x02 {
        return None;
    }
    bit_length(p.content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[0x00, 0x80, 0x00]), Some(16));
        assert_eq!(bit_length(&[0x01]), Some(1));
        assert_eq!(bit_length(&[0x00, 0x00]), None);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(describe(b"not a certificate").is_err());
        assert!(describe(&[]).is_err());
    }
}
