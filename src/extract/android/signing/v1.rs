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

    #[test]
    fn garbage_is_an_error_naming_both_readers() {
        let err = certificates(b"\x30\x03\x02\x01\x01").unwrap_err();
        assert!(err.contains("DER:") && err.contains("BER:"), "{err}");
    }
}
