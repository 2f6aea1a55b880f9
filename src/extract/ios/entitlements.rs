//! Merging entitlements from the code signature and the provisioning
//! profile, and the facts derived from them.

use plist::{Dictionary, Value};

use super::der_entitlements::differing_keys;
use super::plist::{get_string, get_strings, to_json};
use crate::extract::problems::Problems;
use crate::facts::{DerEntitlements, IosFacts, UnreadKind};

/// Source label of code-signature entitlements.
pub const FROM_CODE_SIGNATURE: &str = "code_signature";
/// Source label of provisioning-profile entitlements.
pub const FROM_PROFILE: &str = "provisioning_profile";

/// Merges `profile` and `signature` entitlements into `facts` (the code
/// signature wins: it is what the OS enforces; the profile only allows) and
/// derives data protection, app groups, iCloud, keychain groups and push.
pub fn fill(profile: Option<&Dictionary>, signature: Option<&Dictionary>, facts: &mut IosFacts) {
    let mut merged = Dictionary::new();
    for (source, dict) in [(FROM_PROFILE, profile), (FROM_CODE_SIGNATURE, signature)] {
        for (k, v) in dict.into_iter().flatten() {
            merged.insert(k.clone(), v.clone());
            facts
                .entitlements_source
                .insert(k.clone(), source.to_string());
        }
    }
    facts.entitlements = merged
        .iter()
        .map(|(k, v)| (k.clone(), to_json(v)))
        .collect();
    facts.data_protection = get_string(&merged, "com.apple.developer.default-data-protection");
    facts.app_groups = get_strings(&merged, "com.apple.security.application-groups");
    facts.keychain_groups = get_strings(&merged, "keychain-access-groups");
    facts.aps_environment = get_string(&merged, "aps-environment");
    facts.icloud = merged.iter().any(|(k, v)| {
        let icloud_key = k.starts_with("com.apple.developer.icloud-")
            || k.starts_with("com.apple.developer.ubiquity-");
        icloud_key && !matches!(v, Value::Array(a) if a.is_empty())
    });
}

/// The code-signature entitlements as the platform reads them: the DER
/// blob when there is one (iOS 15 and later enforce it), else the XML blob,
/// and the comparison of both (`None` without a DER blob). DER and XML blobs
/// that disagree make `entry` (the binary) an unread entry of kind
/// tampering (older iOS versions and tools that read the XML blob see other
/// entitlements).
pub fn read_as_platform(
    xml: Option<Dictionary>,
    der: Option<Dictionary>,
    entry: &str,
    problems: &mut Problems,
) -> (Option<Dictionary>, Option<DerEntitlements>) {
    let Some(der) = der else {
        return (xml, None);
    };
    let differing = xml
        .as_ref()
        .map(|xml| differing_keys(&der, xml))
        .unwrap_or_default();
    if !differing.is_empty() {
        problems.unread_as(
            entry,
            UnreadKind::Tampering,
            format!(
                "code signature: the DER entitlements (enforced by iOS 15 and later) differ from the XML entitlements in {}",
                differing.join(", ")
            ),
        );
    }
    let comparison = DerEntitlements {
        xml_present: xml.is_some(),
        matches_xml: differing.is_empty(),
        differing_keys: differing,
    };
    (Some(der), Some(comparison))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_wins_and_derived_facts() {
        let mut profile = Dictionary::new();
        profile.insert(
            "aps-environment".into(),
            Value::String("development".into()),
        );
        profile.insert(
            "com.apple.developer.icloud-container-identifiers".into(),
            Value::Array(vec![]),
        );
        let mut sig = Dictionary::new();
        sig.insert("aps-environment".into(), Value::String("production".into()));
        sig.insert(
            "com.apple.developer.default-data-protection".into(),
            Value::String("NSFileProtectionComplete".into()),
        );
        let mut f = IosFacts::default();
        fill(Some(&profile), Some(&sig), &mut f);
        assert_eq!(f.aps_environment.as_deref(), Some("production"));
        assert_eq!(
            f.entitlements_source["aps-environment"],
            FROM_CODE_SIGNATURE
        );
        assert_eq!(
            f.entitlements_source["com.apple.developer.icloud-container-identifiers"],
            FROM_PROFILE
        );
        assert_eq!(
            f.data_protection.as_deref(),
            Some("NSFileProtectionComplete")
        );
        assert!(!f.icloud, "an empty iCloud container list enables nothing");
        sig.insert(
            "com.apple.developer.ubiquity-kvstore-identifier".into(),
            Value::String("T.a".into()),
        );
        fill(None, Some(&sig), &mut f);
        assert!(f.icloud);
    }
}
