//! v1 (JAR) signatures: the PKCS#7 `SignedData` blocks `META-INF/*.RSA`,
//! `*.DSA` and `*.EC`, read with the `cms` crate, falling back to a minimal
//! BER walker for encodings that strict DER rejects (indefinite lengths).

use cms::cert::x509::der::{Decode, Encode};
use cms::cert::CertificateChoices;
use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;

use super::{ber, cert};

/// Whether `name` is a v1 signature block file as Android looks for it:
/// directly in `META-INF/`, ending in `.RSA`, `.DSA` or `.EC`.
pub fn is_signature_block(name: &str) -> bool {
    let Some(file) = name.strip_prefix("META-INF/") else {
        return false;
    };
    !file.contains('/')
        && [".RSA", ".DSA", ".EC"]
            .iter()
            .any(|ext| file.len() > ext.len() && file.ends_with(ext))
}

/// Whether `name` is one of the other v1 signature files: `META-INF/MANIFEST.MF`
/// (the digests of every entry) or a signature file `META-INF/*.SF` (the
/// digests of the manifest, signed by the block of the same name).
pub fn is_signature_file(name: &str) -> bool {
    let Some(file) = name.strip_prefix("META-INF/") else {
        return false;
    };
    file == "MANIFEST.MF" || (!file.contains('/') && file.len() > 3 && file.ends_with(".SF"))
}

/// A certificate of a v1 signature block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockCertificate {
    /// The DER encoding as stored.
    pub der: Vec<u8>,
    /// Whether a SignerInfo names this certificate (Android's signer
    /// certificate); `true` for all when the SignerInfos cannot be read.
    pub signer: bool,
}

/// The certificates of a PKCS#7 signature block, each marked whether a
/// SignerInfo names it.
pub fn certificates(block: &[u8]) -> Result<Vec<BlockCertificate>, String> {
    let ders = certificate_ders(block)?;
    let ids = ber::pkcs7_signer_ids(block).ok();
    Ok(ders
        .into_iter()
        .map(|der| {
            let signer = ids
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|id| cert::matches_signer_id(&der, id)));
            BlockCertificate { der, signer }
        })
        .collect())
}

/// The certificates (DER) of a PKCS#7 signature block. Uses `cms` first;
/// when its strict DER decoder refuses the input, the BER walker pulls the
/// certificate set out instead.
pub fn certificate_ders(block: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    match certificates_cms(block) {
        Ok(certs) => Ok(certs),
        Err(cms_err) => ber::pkcs7_certificates(block)
            .map(|certs| certs.into_iter().map(<[u8]>::to_vec).collect())
            .map_err(|ber_err| {
                format!("not a readable PKCS#7 SignedData (DER: {cms_err}; BER: {ber_err})")
            }),
    }
}

fn certificates_cms(block: &[u8]) -> Result<Vec<Vec<u8>>, String> {
    let info = ContentInfo::from_der(block).map_err(|e| e.to_string())?;
    let signed: SignedData = info.content.decode_as().map_err(|e| e.to_string())?;
    let Some(set) = signed.certificates else {
        return Ok(Vec::new());
    };
    set.0
        .iter()
        .filter_map(|choice| match choice {
            CertificateChoices::Certificate(c) => Some(c.to_der().map_err(|e| e.to_string())),
            CertificateChoices::Other(_) => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_block_names() {
        assert!(is_signature_block("META-INF/CERT.RSA"));
        assert!(is_signature_block("META-INF/ANDROIDD.DSA"));
        assert!(is_signature_block("META-INF/KEY.EC"));
        assert!(!is_signature_block("META-INF/CERT.SF"));
        assert!(!is_signature_block("META-INF/sub/CERT.RSA"));
        assert!(!is_signature_block("META-INF/.RSA"));
        assert!(!is_signature_block("assets/META-INF/CERT.RSA"));
    }

    /// Re-encodes a DER element with an indefinite length, keeping its
    /// children as they are (what old jarsigner versions wrote).
    fn indefinite(tlv: &ber::Tlv<'_>, children: Vec<u8>) -> Vec<u8> {
        let mut out = vec![tlv.tag, 0x80];
        out.extend(children);
        out.extend([0, 0]);
        out
    }

    /// `openssl crl2pkcs7 -nocrl` of the two self-made test certificates,
    /// first as is (DER, read by `cms`), then with ContentInfo, `[0]`,
    /// SignedData and the certificate set re-encoded with indefinite lengths,
    /// which `cms` refuses and the BER fallback must read to the same bytes.
    #[test]
    fn der_and_indefinite_length_pkcs7_give_the_same_certificates() {
        let p7 = include_bytes!("testdata/two-certs.p7b");
        // The file holds RSA then EC; `cms` returns its SET OF sorted by
        // encoding (EC first), the BER walker in file order.
        let rsa = include_bytes!("testdata/debug-rsa2048.der").to_vec();
        let ec = include_bytes!("testdata/release-ec384.der").to_vec();
        assert_eq!(certificate_ders(p7).unwrap(), vec![ec.clone(), rsa.clone()]);

        let (ci, _) = ber::read_tlv(p7).unwrap();
        let ci_parts = ber::children(ci.content).unwrap();
        let (sd, _) = ber::read_tlv(ci_parts[1].content).unwrap();
        let sd_parts = ber::children(sd.content).unwrap();
        let mut sd_body = Vec::new();
        for part in &sd_parts {
            if part.tag == 0xA0 {
                let certs: Vec<u8> = ber::children(part.content)
                    .unwrap()
                    .iter()
                    .flat_map(|c| c.raw.to_vec())
                    .collect();
                sd_body.extend(indefinite(part, certs));
            } else {
                sd_body.extend(part.raw);
            }
        }
        let explicit = indefinite(&ci_parts[1], indefinite(&sd, sd_body));
        let mut ci_body = ci_parts[0].raw.to_vec();
        ci_body.extend(explicit);
        let ber_p7 = indefinite(&ci, ci_body);

        assert!(certificates_cms(&ber_p7).is_err(), "cms accepts BER");
        assert_eq!(certificate_ders(&ber_p7).unwrap(), vec![rsa, ec]);
        // No SignerInfo in a degenerate PKCS#7: nobody is named, so none signs.
        assert!(certificates(&ber_p7).unwrap().iter().all(|c| !c.signer));
    }

    #[test]
    fn garbage_is_an_error_naming_both_readers() {
        let err = certificates(b"\x30\x03\x02\x01\x01").unwrap_err();
        assert!(err.contains("DER:") && err.contains("BER:"), "{err}");
    }
}
