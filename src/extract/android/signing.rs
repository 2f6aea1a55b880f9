//! APK signatures: v1 (JAR, PKCS#7 in META-INF) and the v2/v3/v3.1 signing block.
//!
//! This module *reads* signatures: which schemes are present and which
//! certificates sign. It does not verify any signature or digest; a
//! certificate listed here proves nothing until `apksigner verify` (or the
//! device) has checked it. Problems met while reading go to
//! [`Signing::problems`]; reading never fails. A signature file or signing
//! block that cannot be read (a limit, damage) also goes to
//! [`Problems::unread`]: the certificates it holds are unknown.

pub mod ber;
pub mod block;
pub mod cert;
pub mod v1;

use crate::archive::Archive;
use crate::extract::problems::Problems;
use crate::facts::{Certificate, Signing, UnreadKind};

/// The entry name under which the APK Signing Block is reported when unread.
pub const SIGNING_BLOCK: &str = "APK Signing Block";

/// Collects certificates unique by SHA-256 with the schemes they appear in.
struct Collector<'p> {
    signing: Signing,
    problems: &'p mut Problems,
}

impl Collector<'_> {
    fn scheme(&mut self, scheme: &str) {
        if !self.signing.schemes.iter().any(|s| s == scheme) {
            self.signing.schemes.push(scheme.to_string());
        }
    }

    /// Adds a certificate found in `entry` (a signature block file or the
    /// signing block); `origin` names it in problems.
    fn certificate(&mut self, scheme: &str, der: &[u8], signer: bool, entry: &str, origin: &str) {
        match cert::describe(der) {
            Ok(c) => self.add(scheme, c, signer),
            Err(e) => {
                self.signing.problems.push(format!("{origin}: {e}"));
                self.problems
                    .unread_as(entry, UnreadKind::Damage, format!("{origin}: {e}"));
            }
        }
    }

    fn add(&mut self, scheme: &str, mut c: Certificate, signer: bool) {
        let certs = &mut self.signing.certificates;
        let entry = match certs.iter().position(|k| k.sha256 == c.sha256) {
            Some(i) => certs.get_mut(i),
            None => {
                c.schemes.clear();
                certs.push(c);
                certs.last_mut()
            }
        };
        if let Some(entry) = entry {
            entry.signer |= signer;
            if !entry.schemes.iter().any(|s| s == scheme) {
                entry.schemes.push(scheme.to_string());
            }
        }
    }
}

/// Reads the signing schemes and certificates of one APK. Never fails:
/// problems are listed in [`Signing::problems`], and signature files or a
/// signing block that could not be read in [`Problems::unread`].
pub fn read_signing(archive: &Archive<'_>, problems: &mut Problems) -> Signing {
    let mut col = Collector {
        signing: Signing::default(),
        problems,
    };
    read_v1(archive, &mut col);
    let (region, base) = archive.signing_region();
    read_v2_plus(&region, base, &mut col);
    col.signing
}

/// v1: every `META-INF/*.RSA|DSA|EC`; `MANIFEST.MF` and the `*.SF` files are
/// inflated too, so that one that cannot be read is not passed over.
fn read_v1(archive: &Archive<'_>, col: &mut Collector) {
    for (index, entry) in archive.entries().iter().enumerate() {
        if entry.is_dir {
            continue;
        }
        if v1::is_signature_file(&entry.name) {
            if let Err(e) = archive.read_index(index) {
                col.signing.problems.push(format!("v1: {e}"));
                col.problems.unread(&entry.name, &e);
            }
            continue;
        }
        if !v1::is_signature_block(&entry.name) {
            continue;
        }
        col.scheme("v1");
        let bytes = match archive.read_index(index) {
            Ok(b) => b,
            Err(e) => {
                col.signing.problems.push(format!("v1: {e}"));
                col.problems.unread(&entry.name, &e);
                continue;
            }
        };
        match v1::certificates(&bytes) {
            Ok(certs) if certs.is_empty() => col
                .signing
                .problems
                .push(format!("v1: {} holds no certificate", entry.name)),
            Ok(certs) => {
                let origin = format!("v1: {}", entry.name);
                for c in certs {
                    col.certificate("v1", &c.der, c.signer, &entry.name, &origin);
                }
            }
            Err(e) => {
                col.signing
                    .problems
                    .push(format!("v1: {}: {e}", entry.name));
                col.problems.unread_as(
                    &entry.name,
                    UnreadKind::Damage,
                    format!("not a readable PKCS#7 signature block: {e}"),
                );
            }
        }
    }
}

/// v2, v3, v3.1 from the APK Signing Block.
fn read_v2_plus(bytes: &[u8], base: u64, col: &mut Collector) {
    let found = block::read_block_at(bytes, base);
    col.signing.problems.extend(found.problems);
    if let Some((kind, why)) = found.cut_short {
        col.problems.unread_as(SIGNING_BLOCK, kind, why);
    }
    for (id, value) in found.pairs {
        let scheme = match id {
            block::ID_V2 => "v2",
            block::ID_V3 => "v3",
            block::ID_V31 => "v3.1",
            _ => continue,
        };
        if col.signing.schemes.iter().any(|s| s == scheme) {
            // Android takes the first pair with a scheme's id; a later one is
            // a parser-differential trick (fdroidserver issue 1128).
            let hidden = block::scheme_certificates(value)
                .map(|certs| {
                    certs
                        .iter()
                        .filter_map(|(der, _)| cert::describe(der).ok())
                        .map(|c| format!("{} ({})", c.sha256, c.subject))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            col.signing.problems.push(format!(
                "{scheme}: a second {scheme} block follows the first in the APK Signing Block; Android ignores it, so its certificates do not sign [{hidden}]"
            ));
            continue;
        }
        col.scheme(scheme);
        match block::scheme_certificates(value) {
            Ok(certs) => {
                for (der, signer) in certs {
                    col.certificate(scheme, der, signer, SIGNING_BLOCK, scheme);
                }
            }
            Err(e) => {
                col.signing.problems.push(format!("{scheme}: {e}"));
                col.problems
                    .unread_as(SIGNING_BLOCK, UnreadKind::Damage, format!("{scheme}: {e}"));
            }
        }
    }
    // Present schemes in a stable order.
    let order = |s: &String| ["v1", "v2", "v3", "v3.1"].iter().position(|k| k == s);
    col.signing.schemes.sort_by_key(order);
    for c in &mut col.signing.certificates {
        c.schemes.sort_by_key(order);
    }
}
