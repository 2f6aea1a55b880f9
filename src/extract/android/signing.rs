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
use crate::facts::warning::AppWarning;
use crate::facts::{Certificate, Signing, UnreadKind};

/// The entry name under which the APK Signing Block is reported when unread.
pub const SIGNING_BLOCK: &str = "APK Signing Block";

/// Collects certificates unique by SHA-256 with the schemes they appear in.
struct Collector<'p> {
    signing: Signing,
    problems: &'p mut Problems,
    signers: SchemeSigners,
}

/// The signers' own certificates (SHA-256) of each scheme, as Android picks
/// them: what [`scheme_warnings`] compares. (A certificate's `signer` flag in
/// the facts says it signs in *some* scheme.)
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SchemeSigners(Vec<(String, String)>);

impl SchemeSigners {
    /// The signer certificates (SHA-256) of `scheme`, sorted.
    fn of(&self, scheme: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .0
            .iter()
            .filter(|(s, _)| s == scheme)
            .map(|(_, sha)| sha.as_str())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
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
        if signer {
            self.signers.0.push((scheme.to_string(), c.sha256.clone()));
        }
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
    read_signing_by_scheme(archive, problems).0
}

/// [`read_signing`], with the signers of each scheme.
pub fn read_signing_by_scheme(
    archive: &Archive<'_>,
    problems: &mut Problems,
) -> (Signing, SchemeSigners) {
    let mut col = Collector {
        signing: Signing::default(),
        problems,
        signers: SchemeSigners::default(),
    };
    read_v1(archive, &mut col);
    let (region, base) = archive.signing_region();
    read_v2_plus(&region, base, &mut col);
    (col.signing, col.signers)
}

/// The first API level whose Android checks the v2 signature (Android 7.0),
/// and the v3 signature (Android 9).
const V2_FROM: u32 = 24;
const V3_FROM: u32 = 28;

/// What the signatures tell that Android and other readers disagree on,
/// given the app's `minSdkVersion` (`None`: unknown, e.g. an unknown
/// codename; an APK without one is API level 1). Android checks one scheme
/// per device: v3 (or v3.1) from API level 28 when present, else v2 from 24
/// when present, else the JAR signature (v1); a device never looks at the
/// others.
///
/// - A JAR signer that no v2/v3 signature names, in an app every device of
///   which checks v2/v3 (`minSdkVersion` ≥ 24 with a v2 signature, ≥ 28
///   with v3): no device checks it, yet tools that read only the JAR
///   signature show it as the signer ([`AppWarning::SigningV1Ignored`],
///   fdroidserver issue 1128).
/// - A JAR signer set that differs from the v2 (else v3) signer set, in an
///   app that older devices check by its JAR signature: devices see another
///   signer depending on their version ([`AppWarning::SigningSchemesDiffer`];
///   apksigner refuses an APK whose v1 and v2 signers differ).
///
/// v2 and v3 signers may differ by design (key rotation): not compared.
/// The JAR signers no device checks are marked
/// [`Certificate::unchecked`](crate::facts::Certificate::unchecked).
pub fn scheme_warnings(
    signing: &mut Signing,
    signers: &SchemeSigners,
    min_sdk: Option<u32>,
) -> Vec<AppWarning> {
    let has = |scheme: &str| signing.schemes.iter().any(|s| s == scheme);
    let v1 = signers.of("v1");
    if v1.is_empty() {
        return Vec::new();
    }
    let (newer, from) = if has("v2") {
        ("v2", V2_FROM)
    } else if has("v3") {
        ("v3", V3_FROM)
    } else {
        return Vec::new();
    };
    let newer_signers: Vec<&str> = if newer == "v2" {
        let mut all = signers.of("v2");
        all.extend(signers.of("v3"));
        all.extend(signers.of("v3.1"));
        all
    } else {
        let mut all = signers.of("v3");
        all.extend(signers.of("v3.1"));
        all
    };
    let named = |shas: &[&str]| -> String {
        shas.iter()
            .map(|sha| {
                let subject = signing
                    .certificates
                    .iter()
                    .find(|c| c.sha256 == *sha)
                    .map_or("?", |c| c.subject.as_str());
                format!("{subject} (SHA-256 {sha})")
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    match min_sdk {
        Some(min) if min >= from => {
            let decoys: Vec<&str> = v1
                .iter()
                .copied()
                .filter(|sha| !newer_signers.contains(sha))
                .collect();
            if decoys.is_empty() {
                return Vec::new();
            }
            let warning = AppWarning::SigningV1Ignored {
                signers: named(&decoys),
                checked: named(&signers.of(newer)),
                scheme: newer.to_string(),
                min_sdk: min,
            };
            for c in &mut signing.certificates {
                c.unchecked |= decoys.contains(&c.sha256.as_str());
            }
            vec![warning]
        }
        Some(_) | None => {
            let checked = signers.of(newer);
            if checked.is_empty() || checked == v1 {
                return Vec::new();
            }
            vec![AppWarning::SigningSchemesDiffer {
                v1: named(&v1),
                newer: named(&checked),
                scheme: newer.to_string(),
                from,
            }]
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Signing facts with certificates `a` and `b`, and the signers of each
    /// scheme as `(scheme, sha256)`.
    fn signing(schemes: &[&str], signers: &[(&str, &str)]) -> (Signing, SchemeSigners) {
        let cert = |sha: &str| Certificate {
            subject: format!("CN={}", sha.to_uppercase()),
            sha256: sha.to_string(),
            signer: true,
            ..Certificate::default()
        };
        let s = Signing {
            schemes: schemes.iter().map(|s| s.to_string()).collect(),
            certificates: vec![cert("a"), cert("b")],
            problems: Vec::new(),
        };
        let by = SchemeSigners(
            signers
                .iter()
                .map(|(s, sha)| (s.to_string(), sha.to_string()))
                .collect(),
        );
        (s, by)
    }

    fn codes(w: &[AppWarning]) -> Vec<&str> {
        w.iter().map(AppWarning::code).collect()
    }

    #[test]
    fn a_jar_signer_no_device_checks_is_marked_and_named() {
        let (mut s, by) = signing(
            &["v1", "v2", "v3"],
            &[("v1", "a"), ("v2", "b"), ("v3", "b")],
        );
        let w = scheme_warnings(&mut s, &by, Some(24));
        assert_eq!(codes(&w), ["apk.signing.v1-ignored"]);
        assert!(s.certificates[0].unchecked && !s.certificates[1].unchecked);
        let en = w[0].english();
        assert!(
            en.contains("CN=A (SHA-256 a)") && en.contains("it names CN=B (SHA-256 b)"),
            "{en}"
        );
        assert!(en.contains("minSdkVersion 24"), "{en}");
        // Only a v3 signature: devices from API level 28 check it.
        let (mut s, by) = signing(&["v1", "v3"], &[("v1", "a"), ("v3", "b")]);
        assert_eq!(
            codes(&scheme_warnings(&mut s, &by, Some(28))),
            ["apk.signing.v1-ignored"]
        );
    }

    #[test]
    fn signers_that_differ_by_android_version_are_named() {
        // minSdkVersion 23: Android 6 checks the JAR signature, 7 and later v2.
        let (mut s, by) = signing(&["v1", "v2"], &[("v1", "a"), ("v2", "b")]);
        let w = scheme_warnings(&mut s, &by, Some(23));
        assert_eq!(codes(&w), ["apk.signing.signers-differ"]);
        assert!(!s.certificates[0].unchecked, "older devices check it");
        let de = w[0].german();
        assert!(de.contains("Geräte vor API-Level 24 (Android 7.0)"), "{de}");
        // Without minSdkVersion the app runs from API level 1; an unknown
        // codename leaves it open: both may reach devices that check v1.
        assert_eq!(
            codes(&scheme_warnings(&mut s, &by, Some(1))),
            ["apk.signing.signers-differ"]
        );
        assert_eq!(
            codes(&scheme_warnings(&mut s, &by, None)),
            ["apk.signing.signers-differ"]
        );
        // Only v3: devices before API level 28 check the JAR signature.
        let (mut s, by) = signing(&["v1", "v3"], &[("v1", "a"), ("v3", "b")]);
        let w = scheme_warnings(&mut s, &by, Some(26));
        assert!(w[0].english().contains("before API level 28 (Android 9)"));
    }

    #[test]
    fn agreeing_signers_and_key_rotation_are_no_warning() {
        let (mut s, by) = signing(&["v1", "v2"], &[("v1", "a"), ("v2", "a")]);
        assert!(scheme_warnings(&mut s, &by, Some(21)).is_empty());
        assert!(scheme_warnings(&mut s, &by, Some(30)).is_empty());
        // v3 rotated to a new key; v1 and v2 keep the old one.
        let (mut s, by) = signing(
            &["v1", "v2", "v3"],
            &[("v1", "a"), ("v2", "a"), ("v3", "b")],
        );
        assert!(scheme_warnings(&mut s, &by, Some(21)).is_empty());
        assert!(scheme_warnings(&mut s, &by, Some(30)).is_empty());
        // A JAR signer the v3 signature names is checked by the devices
        // that check v3.
        let (mut s, by) = signing(
            &["v1", "v2", "v3"],
            &[("v1", "b"), ("v2", "a"), ("v3", "b")],
        );
        assert!(scheme_warnings(&mut s, &by, Some(30)).is_empty());
        // Only a JAR signature, or none: nothing to compare.
        let (mut s, by) = signing(&["v1"], &[("v1", "a")]);
        assert!(scheme_warnings(&mut s, &by, Some(30)).is_empty());
    }
}
