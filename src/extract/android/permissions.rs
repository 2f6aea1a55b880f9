//! What Android grants beyond the requested permissions: aapt's implied
//! permissions and the platform's split permissions by target SDK, and
//! whether an advertising-ID client can read the ID. The rules and their
//! sources are data: `checks/android-permissions.toml`.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::facts::{AdvertisingId, AndroidFacts, ImpliedPermission};

/// The built-in rules file.
pub const BUILTIN_TOML: &str = include_str!("../../../checks/android-permissions.toml");

/// The target SDK of a codename (preview) build, as aapt and the platform read it.
pub const CODENAME_TARGET_SDK: u32 = 10_000;

/// The rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionRules {
    /// Format version (1).
    pub version: u32,
    /// aapt's `uses-implied-permission` rules, in aapt's order.
    pub aapt: Vec<ImplyRule>,
    /// The platform's `<split-permission>` table, in file order.
    pub split: Vec<SplitRule>,
    /// Google's rule for reading the advertising ID.
    pub advertising_id: AdvertisingIdRule,
}

/// One aapt rule: `permission` is implied when `from` is requested (if set)
/// and the target SDK is below `below_target_sdk` (if set).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImplyRule {
    /// The implied permission.
    pub permission: String,
    /// The permission that must be requested.
    #[serde(default)]
    pub from: Option<String>,
    /// Applies below this target SDK only.
    #[serde(default)]
    pub below_target_sdk: Option<u32>,
}

/// One `<split-permission>`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SplitRule {
    /// The split permission.
    pub from: String,
    /// The new permissions granted with it.
    pub to: Vec<String>,
    /// The split's `targetSdk`: applies below it; `None` = always.
    #[serde(default)]
    pub below_target_sdk: Option<u32>,
}

/// When an advertising-ID client can read the ID.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdvertisingIdRule {
    /// The permission Google requires (`com.google.android.gms.permission.AD_ID`).
    pub permission: String,
    /// The target SDK from which it is required.
    pub required_from_target_sdk: u32,
    /// Class-name prefixes of advertising-ID clients.
    pub client_prefixes: Vec<String>,
}

impl PermissionRules {
    /// Parses a rules file.
    pub fn parse(text: &str) -> Result<Self, toml::de::Error> {
        toml::from_str(text)
    }

    /// The built-in rules (`checks/android-permissions.toml`, compiled in and
    /// checked by the tests).
    pub fn builtin() -> &'static PermissionRules {
        static RULES: OnceLock<PermissionRules> = OnceLock::new();
        RULES.get_or_init(|| {
            Self::parse(BUILTIN_TOML).expect("checks/android-permissions.toml is valid (tested)")
        })
    }
}

/// The target SDK as Android reads it from the manifest facts' `target_os`
/// (`targetSdkVersion`, else `minSdkVersion`): a number, [`CODENAME_TARGET_SDK`]
/// for a codename, 0 when the manifest has neither.
pub fn target_sdk(target_os: Option<&str>) -> u32 {
    match target_os.map(str::trim) {
        None | Some("") => 0,
        Some(t) => t.parse().unwrap_or(CODENAME_TARGET_SDK),
    }
}

fn applies(below: Option<u32>, target: u32) -> bool {
    below.is_none_or(|b| target < b)
}

fn reason(from: Option<&str>, below: Option<u32>, target: u32) -> String {
    let cond = below.map(|b| format!("targetSdk {target} < {b}"));
    match (from, cond) {
        (Some(f), Some(c)) => format!("{f}; {c}"),
        (Some(f), None) => f.to_string(),
        (None, Some(c)) => c,
        (None, None) => String::new(),
    }
}

/// The permissions implied for an app that requests `requested` (every
/// `uses-permission*` name), of which `plain` came from `<uses-permission>`
/// itself, at `target` SDK: first aapt's rules (as `aapt dump badging` applies
/// them, looking at `plain` only), then the split permissions (as the platform
/// applies them, to everything requested or implied so far). Names already
/// requested are not listed; each name is listed once, with the first rule
/// that implies it.
pub fn implied(
    rules: &PermissionRules,
    requested: &[String],
    plain: &[String],
    target: u32,
) -> Vec<ImpliedPermission> {
    let requested: BTreeSet<&str> = requested.iter().map(String::as_str).collect();
    let mut aapt_has: BTreeSet<String> = plain.iter().cloned().collect();
    let mut out: Vec<ImpliedPermission> = Vec::new();
    let push = |out: &mut Vec<ImpliedPermission>,
                name: &str,
                rule: &str,
                from: Option<&str>,
                below: Option<u32>| {
        if !requested.contains(name) && !out.iter().any(|i| i.name == name) {
            out.push(ImpliedPermission {
                name: name.to_string(),
                rule: rule.to_string(),
                from: from.map(str::to_string),
                below_target_sdk: below,
                target_sdk: target,
                reason: reason(from, below, target),
            });
        }
    };
    for r in &rules.aapt {
        let from_ok = r.from.as_ref().is_none_or(|f| aapt_has.contains(f));
        if from_ok && applies(r.below_target_sdk, target) && !aapt_has.contains(&r.permission) {
            push(
                &mut out,
                &r.permission,
                "aapt",
                r.from.as_deref(),
                r.below_target_sdk,
            );
            aapt_has.insert(r.permission.clone());
        }
    }
    let mut has: BTreeSet<String> = requested.iter().map(|s| s.to_string()).collect();
    has.extend(out.iter().map(|i| i.name.clone()));
    for s in &rules.split {
        if !applies(s.below_target_sdk, target) || !has.contains(&s.from) {
            continue;
        }
        for to in &s.to {
            if has.insert(to.clone()) {
                push(&mut out, to, "split", Some(&s.from), s.below_target_sdk);
            }
        }
    }
    out
}

/// Whether an advertising-ID client is among `classes` (DEX class names and
/// referenced types, dotted) and whether it can read the ID.
pub fn advertising_id(
    rule: &AdvertisingIdRule,
    classes: &[String],
    requested: &[String],
    target: u32,
) -> Option<AdvertisingId> {
    let clients: Vec<String> = rule
        .client_prefixes
        .iter()
        .filter(|p| classes.iter().any(|c| c.starts_with(p.as_str())))
        .cloned()
        .collect();
    if clients.is_empty() {
        return None;
    }
    let declared = requested.contains(&rule.permission);
    Some(AdvertisingId {
        clients,
        permission: rule.permission.clone(),
        permission_declared: declared,
        required_from_target_sdk: rule.required_from_target_sdk,
        target_sdk: target,
        readable: declared || target < rule.required_from_target_sdk,
    })
}

/// Fills `implied_permissions`, `effective_permissions` and `advertising_id`
/// of merged Android facts (`permissions` already set) at `target` SDK;
/// `plain` are the `<uses-permission>` names, `classes` the DEX class names
/// and referenced types.
pub fn apply(
    android: &mut AndroidFacts,
    rules: &PermissionRules,
    plain: &[String],
    target: u32,
    classes: &[String],
) {
    android.implied_permissions = implied(rules, &android.permissions, plain, target);
    let mut effective: Vec<String> = android
        .permissions
        .iter()
        .cloned()
        .chain(android.implied_permissions.iter().map(|i| i.name.clone()))
        .collect();
    effective.sort();
    effective.dedup();
    android.effective_permissions = effective;
    android.advertising_id =
        advertising_id(&rules.advertising_id, classes, &android.permissions, target);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[ImpliedPermission]) -> Vec<&str> {
        v.iter().map(|i| i.name.as_str()).collect()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter()
            .map(|x| format!("android.permission.{x}"))
            .collect()
    }

    #[test]
    fn builtin_rules_parse_and_cite_their_sources() {
        let r = PermissionRules::builtin();
        assert_eq!(r.version, 1);
        assert_eq!(r.aapt.len(), 5);
        assert!(r.split.len() >= 18);
        assert!(BUILTIN_TOML.contains("tools/aapt/Command.cpp"));
        assert!(BUILTIN_TOML.contains("data/etc/platform.xml"));
        assert!(BUILTIN_TOML.contains("answer/6048248"));
        assert_eq!(r.advertising_id.required_from_target_sdk, 33);
    }

    #[test]
    fn target_sdk_reads_like_android() {
        assert_eq!(target_sdk(Some("28")), 28);
        assert_eq!(target_sdk(Some("Tiramisu")), CODENAME_TARGET_SDK);
        assert_eq!(target_sdk(None), 0);
    }

    #[test]
    fn aapt_rules_below_4_and_16() {
        let r = PermissionRules::builtin();
        let req = s(&["READ_CONTACTS", "WRITE_CONTACTS"]);
        let got = implied(r, &req, &req, 3);
        let aapt: Vec<&str> = got
            .iter()
            .filter(|i| i.rule == "aapt")
            .map(|i| i.name.as_str())
            .collect();
        assert_eq!(
            aapt,
            vec![
                "android.permission.WRITE_EXTERNAL_STORAGE",
                "android.permission.READ_PHONE_STATE",
                "android.permission.READ_EXTERNAL_STORAGE",
                "android.permission.READ_CALL_LOG",
                "android.permission.WRITE_CALL_LOG",
            ]
        );
        assert_eq!(got[0].reason, "targetSdk 3 < 4");
        assert_eq!(
            got[2].reason, "android.permission.WRITE_EXTERNAL_STORAGE",
            "aapt implies READ from WRITE whatever the target"
        );
        // From 16 on, contacts imply nothing.
        assert!(implied(r, &req, &req, 16).is_empty());
    }

    #[test]
    fn aapt_looks_at_plain_uses_permission_only() {
        let r = PermissionRules::builtin();
        let req = s(&["WRITE_EXTERNAL_STORAGE"]);
        // Requested only as uses-permission-sdk-23: aapt implies nothing, the
        // platform's split still grants READ_EXTERNAL_STORAGE.
        let got = implied(r, &req, &[], 34);
        assert_eq!(got.len(), 1);
        assert_eq!(
            (got[0].name.as_str(), got[0].rule.as_str()),
            ("android.permission.READ_EXTERNAL_STORAGE", "split")
        );
    }

    #[test]
    fn split_permissions_by_target_and_in_order() {
        let r = PermissionRules::builtin();
        let req = s(&[
            "ACCESS_FINE_LOCATION",
            "WRITE_EXTERNAL_STORAGE",
            "BLUETOOTH",
        ]);
        let at28 = implied(r, &req, &req, 28);
        let n = names(&at28);
        for p in [
            "android.permission.READ_EXTERNAL_STORAGE",
            "android.permission.ACCESS_COARSE_LOCATION",
            "android.permission.ACCESS_BACKGROUND_LOCATION",
            "android.permission.ACCESS_MEDIA_LOCATION",
            "android.permission.BLUETOOTH_SCAN",
            "android.permission.BLUETOOTH_CONNECT",
            "android.permission.BLUETOOTH_ADVERTISE",
            "android.permission.READ_MEDIA_IMAGES",
            "android.permission.READ_MEDIA_VIDEO",
            "android.permission.READ_MEDIA_AUDIO",
            "android.permission.READ_MEDIA_VISUAL_USER_SELECTED",
        ] {
            assert!(n.contains(&p), "{p} missing at targetSdk 28: {n:?}");
        }
        let bg = at28
            .iter()
            .find(|i| i.name == "android.permission.ACCESS_BACKGROUND_LOCATION")
            .unwrap();
        assert_eq!(bg.rule, "split");
        assert_eq!(bg.below_target_sdk, Some(29));
        assert_eq!(
            bg.reason,
            "android.permission.ACCESS_FINE_LOCATION; targetSdk 28 < 29"
        );
        // At 33 only the unconditional splits remain.
        let at33 = implied(r, &req, &req, 33);
        assert_eq!(
            names(&at33),
            vec![
                "android.permission.READ_EXTERNAL_STORAGE",
                "android.permission.ACCESS_COARSE_LOCATION"
            ]
        );
        // Nothing requested twice, nothing requested listed.
        let req2 = s(&["ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION"]);
        let got = implied(r, &req2, &req2, 28);
        assert_eq!(
            names(&got),
            vec!["android.permission.ACCESS_BACKGROUND_LOCATION"]
        );
    }

    #[test]
    fn advertising_id_readable_by_target_and_permission() {
        let rule = &PermissionRules::builtin().advertising_id;
        let classes = vec!["com.google.android.gms.ads.identifier.AdvertisingIdClient".to_string()];
        let ad_id = vec!["com.google.android.gms.permission.AD_ID".to_string()];
        let low = advertising_id(rule, &classes, &[], 30).unwrap();
        assert!(low.readable && !low.permission_declared);
        assert!(!advertising_id(rule, &classes, &[], 33).unwrap().readable);
        assert!(advertising_id(rule, &classes, &ad_id, 34).unwrap().readable);
        let androidx = vec!["androidx.ads.identifier.AdvertisingIdClient".to_string()];
        assert_eq!(
            advertising_id(rule, &androidx, &[], 32).unwrap().clients,
            vec!["androidx.ads.identifier."]
        );
        assert!(advertising_id(rule, &["com.example.Main".to_string()], &ad_id, 20).is_none());
    }
}
