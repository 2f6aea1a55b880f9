//! One X.509 signing certificate → [`Certificate`] facts (x509-parser).

use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_parser::extensions::ParsedExtension;
use x509_parser::objects::{oid2abbrev, oid2sn, oid_registry};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use x509_parser::x509::X509Name;

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
        subject: rfc4514(cert.subject()),
        issuer: rfc4514(cert.issuer()),
        serial: cert.tbs_certificate.serial.to_str_radix(16),
        not_before: rfc3339(cert.validity().not_before.timestamp()),
        not_after: rfc3339(cert.validity().not_after.timestamp()),
        sha256: hex::encode(Sha256::digest(der)),
        sha1: hex::encode(Sha1::digest(der)),
        key_algorithm,
        key_size,
        signature_algorithm,
        debug,
        signer: false,
        unchecked: false,
    })
}

/// A distinguished name in RFC 4514 order (most specific RDN first) with
/// the attribute keys apksigner and keytool print (`EMAILADDRESS=`); RDNs
/// separated by `, `, multi-valued RDNs joined with `+`, non-string values
/// as `#` and the hex of their DER contents.
pub fn rfc4514(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> =
        name.iter_rdn()
            .map(|rdn| {
                rdn.iter()
                    .map(|attr| {
                        let oid = attr.attr_type();
                        let dotted = oid.to_id_string();
                        let key = match attribute_key(&dotted) {
                            Some(k) => k.to_string(),
                            None => oid2abbrev(oid, oid_registry())
                                .map(str::to_string)
                                .unwrap_or(dotted),
                        };
                        let value = attr.as_str().map(escape_value).unwrap_or_else(|_| {
                            format!("#{}", hex::encode(attr.attr_value().data))
                        });
                        format!("{key}={value}")
                    })
                    .collect::<Vec<_>>()
                    .join("+")
            })
            .collect();
    rdns.into_iter().rev().collect::<Vec<_>>().join(", ")
}

/// Attribute keys as apksigner and keytool print them (Java's X500Principal).
fn attribute_key(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "SERIALNUMBER",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "EMAILADDRESS",
        _ => return None,
    })
}

/// Escapes an attribute value as RFC 4514 §2.4 asks.
fn escape_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let last = v.chars().count().saturating_sub(1);
    for (i, c) in v.chars().enumerate() {
        let special = matches!(c, '"' | '+' | ',' | ';' | '<' | '>' | '\\')
            || (i == 0 && (c == '#' || c == ' '))
            || (i == last && c == ' ');
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the DER certificate `der` is the one `id` names.
pub fn matches_signer_id(der: &[u8], id: &ber::SignerId<'_>) -> bool {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return false;
    };
    match id {
        ber::SignerId::IssuerSerial { issuer, serial } => {
            cert.tbs_certificate.issuer.as_raw() == *issuer && cert.raw_serial() == *serial
        }
        ber::SignerId::KeyId(key_id) => cert.extensions().iter().any(|ext| {
            matches!(ext.parsed_extension(),
                ParsedExtension::SubjectKeyIdentifier(k) if k.0 == *key_id)
        }),
    }
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
    rest.checked_mul(8)?.checked_add(8 - first.leading_zeros())
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
    fn escapes_specials() {
        assert_eq!(escape_value("Doe, John"), "Doe\\, John");
        assert_eq!(escape_value("#1 "), "\\#1\\ ");
        assert_eq!(escape_value("plain"), "plain");
    }

    /// Self-made with `openssl req -x509 -newkey rsa:2048 -subj
    /// "/C=US/O=Android/CN=Android Debug" -set_serial 0x1a2b -outform DER`;
    /// expected values from `openssl x509 -fingerprint -sha256 -nameopt RFC2253`.
    #[test]
    fn rsa_debug_certificate() {
        let c = describe(include_bytes!("testdata/debug-rsa2048.der")).unwrap();
        assert_eq!(
            c.sha256,
            "2cd3c4e5e776020135e81b50cff817639eb4ee51691cbd80ae9ea2f3254e64dd"
        );
        assert_eq!(c.subject, "CN=Android Debug, O=Android, C=US");
        assert_eq!(c.issuer, c.subject);
        assert_eq!(c.serial, "1a2b");
        assert_eq!(c.not_before, "2026-11-23T11:14:25Z");
        assert_eq!(c.key_algorithm, "RSA");
        assert_eq!(c.key_size, Some(2048));
        assert_eq!(c.signature_algorithm, "sha256WithRSAEncryption");
        assert!(c.debug);
        assert_eq!(c.sha1.len(), 40);
    }

    /// Self-made P-384 certificate with a comma in the organisation.
    #[test]
    fn ec_release_certificate() {
        let c = describe(include_bytes!("testdata/release-ec384.der")).unwrap();
        assert_eq!(
            c.sha256,
            "7ec34fa535e8214707bc171d210a6583b1e184704a84378a0c5790f3d8195184"
        );
        assert_eq!(c.subject, "CN=release, O=Doe\\, John, C=DE");
        assert_eq!(c.key_algorithm, "EC");
        assert_eq!(c.key_size, Some(384));
        assert_eq!(c.signature_algorithm, "ecdsa-with-SHA256");
        assert!(!c.debug);
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(describe(b"not a certificate").is_err());
        assert!(describe(&[]).is_err());
    }
}
