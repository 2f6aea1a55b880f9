//! The app profile: what an app is and what it asks for, read from its facts
//! (`targets[].profile` in the JSON report, since schema 1.4; rendered by
//! `report::profile`). Nothing here decides an outcome and nothing is
//! extracted: every value is a fact `msgaudit facts` already holds, or a
//! lookup in a data table (protection levels, SDK vendors). A value the facts
//! do not hold stays absent — never guessed.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::extract::sdks::KnowledgeBase;

/// The built-in protection-level table (`checks/android-protection-levels.toml`).
pub const PROTECTION_LEVELS_TOML: &str =
    include_str!("../../checks/android-protection-levels.toml");

/// The protection-level table: permission name → level as the platform
/// writes it (`dangerous`, `signature|privileged`, …).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProtectionLevels {
    /// Format version; 1.
    pub version: u32,
    /// Generated from the framework's manifest (API 29).
    pub framework: BTreeMap<String, String>,
    /// Where the levels of [`ProtectionLevels::added`] were read: source
    /// key → description.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// Permissions the framework added after API 29, with their level, API
    /// level and source.
    #[serde(default)]
    pub added: BTreeMap<String, AddedPermission>,
}

/// A permission the framework added after the API level of
/// [`ProtectionLevels::framework`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddedPermission {
    /// The protection level, flags included (`dangerous|instant`).
    pub level: String,
    /// The API level that added the permission.
    pub api: u32,
    /// Where the level was read: a key of [`ProtectionLevels::sources`].
    pub source: String,
}

impl ProtectionLevels {
    /// The built-in table, parsed once.
    pub fn builtin() -> &'static ProtectionLevels {
        static TABLE: OnceLock<ProtectionLevels> = OnceLock::new();
        TABLE.get_or_init(|| {
            toml::from_str(PROTECTION_LEVELS_TOML)
                .expect("checks/android-protection-levels.toml is valid (tested)")
        })
    }

    /// The framework's protection level of `permission`, if it defines it.
    pub fn get(&self, permission: &str) -> Option<&str> {
        self.framework
            .get(permission)
            .or_else(|| self.added.get(permission).map(|a| &a.level))
            .map(String::as_str)
    }
}

/// The profile of one app target.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AppProfile {
    /// Who the app is and who signed it.
    pub identity: Identity,
    /// URL schemes and deep links the app registers (iOS `CFBundleURLSchemes`;
    /// Android `<data>` of the components' intent filters with a scheme).
    pub url_schemes: Vec<String>,
    /// Android: requested permissions, then the ones Android grants on top.
    pub permissions: Vec<PermissionEntry>,
    /// iOS: `NS…UsageDescription` keys with the text the user is shown.
    pub usage_descriptions: Vec<UsageDescription>,
    /// Third-party SDKs found.
    pub sdks: Vec<SdkEntry>,
    /// Host names the facts know (network configuration, cleartext URLs in
    /// the code); not an extraction of every endpoint.
    pub endpoints: Vec<Endpoint>,
    /// Android: components other apps can start or bind to.
    pub exported_components: Vec<ExportedComponent>,
    /// Network security config (Android) or App Transport Security (iOS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<NetworkSummary>,
}

/// Identity of the app and its signature.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// `android` or `ios`.
    pub platform: String,
    /// Package name / bundle id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Version name (`versionName`, `CFBundleShortVersionString`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Version code / build (`versionCode`, `CFBundleVersion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Minimum SDK (API level) or iOS version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_os: Option<String>,
    /// Target SDK, or the iOS SDK the app was built with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_os: Option<String>,
    /// Android: signature schemes present (`v1`, `v2`, `v3`, `v3.1`).
    pub signature_schemes: Vec<String>,
    /// Android: the signing certificates.
    pub certificates: Vec<Certificate>,
    /// iOS: the team id of the provisioning profile or the entitlements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// iOS: the team name of the provisioning profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
    /// iOS: how the app is provisioned (`app_store`, `ad_hoc`, `development`, `enterprise`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioning: Option<String>,
}

/// One signing certificate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// SHA-256 of the DER certificate, lowercase hex.
    pub sha256: String,
    /// Valid from (RFC 3339).
    pub not_before: String,
    /// Valid until (RFC 3339).
    pub not_after: String,
    /// The schemes this certificate signs with.
    pub schemes: Vec<String>,
    /// The Android debug certificate.
    pub debug: bool,
    /// No device checks it: a JAR (v1) signer in an app every device of
    /// which checks only its v2/v3 signature (warning
    /// `apk.signing.v1-ignored`). Written only when true; such certificates
    /// are listed after the others.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unchecked: bool,
}

/// Where a permission's protection level comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelSource {
    /// The framework defines it (`checks/android-protection-levels.toml`).
    Framework,
    /// The app defines it itself (`<permission>`).
    App,
    /// Neither: another app or library defines it, or a framework version
    /// the table does not cover; the level is unknown.
    Unknown,
}

/// One permission of an Android app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PermissionEntry {
    /// Permission name.
    pub name: String,
    /// Protection level as the platform writes it (`dangerous`,
    /// `signature|privileged`); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection_level: Option<String>,
    /// Where the level comes from.
    pub level_source: LevelSource,
    /// Granted by Android without the manifest requesting it: the reason
    /// (`android.permission.X; targetSdk 28 < 29`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implied_by: Option<String>,
}

impl PermissionEntry {
    /// The base level (`dangerous` of `dangerous|instant`), if known.
    pub fn base_level(&self) -> Option<&str> {
        self.protection_level
            .as_deref()
            .map(|l| l.split('|').next().unwrap_or(l))
    }
}

/// One iOS usage description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsageDescription {
    /// The Info.plist key, e.g. `NSCameraUsageDescription`.
    pub key: String,
    /// The text iOS shows when it asks.
    pub text: String,
}

/// One SDK with what the knowledge base knows of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SdkEntry {
    /// Knowledge-base id.
    pub id: String,
    /// Name.
    pub name: String,
    /// German name, for an SDK whose name describes rather than names it
    /// (the facts' `sdks[].name_de`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_de: Option<String>,
    /// Category (`crash_reporting`, `analytics`, …).
    pub category: String,
    /// Vendor, from `checks/sdks.toml`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// Crash and analytics SDKs: `enabled`, `disabled` or `unknown`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_default: Option<String>,
}

/// A host name the facts know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Host (a `*.` prefix means subdomains included).
    pub host: String,
    /// Where it was named: `network_security_config`, `ats_exception`,
    /// `ats_pinned`, `cleartext_url`.
    pub source: String,
    /// The SDK whose vendor owns the host (`checks/sdks.toml` hosts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sdk: Option<String>,
}

/// An exported Android component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportedComponent {
    /// `activity`, `activity-alias`, `service`, `receiver`, `provider`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Class name.
    pub name: String,
    /// The permission a caller needs (`android:permission`; providers also
    /// read/write permissions as `read: X`, `write: Y`); empty: none.
    pub guards: Vec<String>,
    /// Exported by the platform default (intent filter, no `android:exported`).
    pub implicit: bool,
}

/// Transport security in one summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    /// Where it is configured: the config file (Android) or `NSAppTransportSecurity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Cleartext (HTTP) allowed in general; `None` when the facts do not tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleartext_allowed: Option<bool>,
    /// User-installed CAs trusted for all connections (Android).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_cas_trusted: Option<bool>,
    /// Domains with certificate pinning.
    pub pinned_domains: Vec<String>,
    /// Domains with their own rules.
    pub exception_domains: Vec<DomainRule>,
}

/// The rules of one domain that differ from the base configuration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DomainRule {
    /// Domain names (`*.` prefix: subdomains included).
    pub domains: Vec<String>,
    /// Cleartext allowed for them; absent when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cleartext: Option<bool>,
    /// User-installed CAs trusted for them (Android).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_cas: Option<bool>,
    /// Certificate pins set (Android `<pin-set>`).
    pub pinned: bool,
    /// Lowest TLS version accepted (iOS `NSExceptionMinimumTLSVersion`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tls: Option<String>,
    /// Forward secrecy required (iOS); absent when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward_secrecy: Option<bool>,
}

/// The profile of an app target from its facts; `None` for devices, for
/// unreadable targets and for facts of an unknown kind.
pub fn build(facts: &Value) -> Option<AppProfile> {
    match facts.get("kind")?.as_str()? {
        "android" => Some(android(facts)),
        "ios" => Some(ios(facts)),
        _ => None,
    }
}

fn s(v: &Value, path: &[&str]) -> Option<String> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    match cur {
        Value::String(x) => Some(x.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn b(v: &Value, key: &str) -> Option<bool> {
    v.get(key)?.as_bool()
}

fn arr<'a>(v: &'a Value, path: &[&str]) -> &'a [Value] {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(x) => cur = x,
            None => return &[],
        }
    }
    cur.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn strings(v: &Value, path: &[&str]) -> Vec<String> {
    arr(v, path)
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect()
}

fn identity(facts: &Value, platform: &str) -> Identity {
    Identity {
        platform: platform.to_string(),
        id: s(facts, &["app", "id"]),
        name: s(facts, &["app", "name"]),
        version: s(facts, &["app", "version"]),
        build: s(facts, &["app", "build"]),
        min_os: s(facts, &["app", "min_os"]),
        target_os: s(facts, &["app", "target_os"]),
        ..Identity::default()
    }
}

fn sdks(kb: &KnowledgeBase, facts: &Value) -> Vec<SdkEntry> {
    arr(facts, &["sdks"])
        .iter()
        .filter_map(|x| {
            let id = s(x, &["id"])?;
            let vendor = kb
                .entries()
                .iter()
                .find(|e| e.id == id)
                .map(|e| e.vendor.clone())
                .filter(|v| !v.is_empty());
            Some(SdkEntry {
                name: s(x, &["name"]).unwrap_or_else(|| id.clone()),
                name_de: s(x, &["name_de"]),
                category: s(x, &["category"]).unwrap_or_default(),
                collection_default: s(x, &["collection_default"]),
                vendor,
                id,
            })
        })
        .collect()
}

fn endpoint(kb: &KnowledgeBase, host: &str, source: &str) -> Endpoint {
    let bare = host.trim_start_matches("*.");
    Endpoint {
        host: host.to_string(),
        source: source.to_string(),
        sdk: kb.owner_of_host(bare).map(|o| o.name.to_string()),
    }
}

/// The host of an `http://` URL.
fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..end)?;
    let host = authority.rsplit_once('@').map_or(authority, |x| x.1);
    let host = host.split(':').next().unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

fn push_unique(list: &mut Vec<Endpoint>, e: Endpoint) {
    if !list
        .iter()
        .any(|x| x.host == e.host && x.source == e.source)
    {
        list.push(e);
    }
}

fn android(facts: &Value) -> AppProfile {
    let kb = KnowledgeBase::builtin();
    let a = facts.get("android").cloned().unwrap_or(Value::Null);
    let mut id = identity(facts, "android");
    id.signature_schemes = strings(&a, &["signing", "schemes"]);
    id.certificates = arr(&a, &["signing", "certificates"])
        .iter()
        .map(|c| Certificate {
            subject: s(c, &["subject"]).unwrap_or_default(),
            issuer: s(c, &["issuer"]).unwrap_or_default(),
            sha256: s(c, &["sha256"]).unwrap_or_default(),
            not_before: s(c, &["not_before"]).unwrap_or_default(),
            not_after: s(c, &["not_after"]).unwrap_or_default(),
            schemes: strings(c, &["schemes"]),
            debug: b(c, "debug").unwrap_or(false),
            unchecked: b(c, "unchecked").unwrap_or(false),
        })
        .collect();
    // The certificates devices check first (a stable sort).
    id.certificates.sort_by_key(|c| c.unchecked);

    let table = ProtectionLevels::builtin();
    let declared: BTreeMap<String, String> = arr(&a, &["declared_permissions"])
        .iter()
        .filter_map(|d| Some((s(d, &["name"])?, s(d, &["protection_level"])?)))
        .collect();
    let level = |name: &str| match (table.get(name), declared.get(name)) {
        (Some(l), _) => (Some(l.to_string()), LevelSource::Framework),
        (None, Some(l)) => (Some(l.clone()), LevelSource::App),
        (None, None) => (None, LevelSource::Unknown),
    };
    let mut permissions: Vec<PermissionEntry> = strings(&a, &["permissions"])
        .into_iter()
        .map(|name| {
            let (protection_level, level_source) = level(&name);
            PermissionEntry {
                name,
                protection_level,
                level_source,
                implied_by: None,
            }
        })
        .collect();
    for imp in arr(&a, &["implied_permissions"]) {
        let Some(name) = s(imp, &["name"]) else {
            continue;
        };
        let (protection_level, level_source) = level(&name);
        permissions.push(PermissionEntry {
            name,
            protection_level,
            level_source,
            implied_by: s(imp, &["reason"]).or_else(|| Some(String::new())),
        });
    }

    let mut url_schemes = Vec::new();
    let mut exported_components = Vec::new();
    for c in arr(&a, &["components"]) {
        for f in arr(c, &["intent_filters"]) {
            for d in strings(f, &["data"]) {
                if d.contains("://") && !url_schemes.contains(&d) {
                    url_schemes.push(d);
                }
            }
        }
        if b(c, "exported") != Some(true) {
            continue;
        }
        let mut guards = Vec::new();
        if let Some(p) = s(c, &["permission"]) {
            guards.push(p);
        }
        if let Some(p) = s(c, &["read_permission"]) {
            guards.push(format!("read: {p}"));
        }
        if let Some(p) = s(c, &["write_permission"]) {
            guards.push(format!("write: {p}"));
        }
        exported_components.push(ExportedComponent {
            kind: s(c, &["type"]).unwrap_or_default(),
            name: s(c, &["name"]).unwrap_or_default(),
            guards,
            implicit: b(c, "exported_explicit") == Some(false),
        });
    }

    let mut endpoints = Vec::new();
    let nsc = a.get("xml").and_then(|x| x.get("network_security_config"));
    let network = nsc.filter(|n| !n.is_null()).map(|n| {
        let mut pinned = Vec::new();
        let mut exceptions = Vec::new();
        for d in arr(n, &["domains"]) {
            let names = strings(d, &["domains"]);
            for h in &names {
                push_unique(&mut endpoints, endpoint(&kb, h, "network_security_config"));
            }
            let pins = d.get("pins").and_then(Value::as_u64).unwrap_or(0);
            if pins > 0 {
                pinned.extend(names.iter().cloned());
            }
            exceptions.push(DomainRule {
                domains: names,
                cleartext: b(d, "cleartext_permitted"),
                user_cas: b(d, "trusts_user_certs"),
                pinned: pins > 0,
                ..DomainRule::default()
            });
        }
        NetworkSummary {
            source: s(n, &["file"]),
            cleartext_allowed: b(n, "base_cleartext_permitted"),
            user_cas_trusted: b(n, "base_trusts_user_certs"),
            pinned_domains: pinned,
            exception_domains: exceptions,
        }
    });
    // Without a config file the manifest attribute decides cleartext.
    let network = network.or_else(|| {
        let app = a.get("application")?;
        // Absent: allowed up to targetSdk 27, not from 28 (the platform default).
        let cleartext = b(app, "uses_cleartext_traffic").or_else(|| {
            let target = facts.get("app")?.get("target_os_number")?.as_u64()?;
            Some(target < 28)
        })?;
        Some(NetworkSummary {
            source: Some("android:usesCleartextTraffic".into()),
            cleartext_allowed: Some(cleartext),
            ..NetworkSummary::default()
        })
    });
    for u in strings(&a, &["dex", "cleartext_urls"]) {
        if let Some(h) = url_host(&u) {
            push_unique(&mut endpoints, endpoint(&kb, h, "cleartext_url"));
        }
    }
    AppProfile {
        identity: id,
        url_schemes,
        permissions,
        usage_descriptions: Vec::new(),
        sdks: sdks(&kb, facts),
        endpoints,
        exported_components,
        network,
    }
}

fn ios(facts: &Value) -> AppProfile {
    let kb = KnowledgeBase::builtin();
    let i = facts.get("ios").cloned().unwrap_or(Value::Null);
    let mut id = identity(facts, "ios");
    id.team_id = s(&i, &["provisioning", "team_id"])
        .or_else(|| s(&i, &["entitlements", "com.apple.developer.team-identifier"]));
    id.team_name = s(&i, &["provisioning", "team_name"]);
    id.provisioning = s(&i, &["provisioning", "type"]);
    let usage_descriptions = i
        .get("usage_descriptions")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| UsageDescription {
                    key: k.clone(),
                    text: v.as_str().map_or_else(|| v.to_string(), str::to_string),
                })
                .collect()
        })
        .unwrap_or_default();
    let mut endpoints = Vec::new();
    let ats = i.get("ats").filter(|x| !x.is_null());
    let network = ats.map(|ats| {
        let mut exceptions = Vec::new();
        for d in arr(ats, &["exception_domains"]) {
            let Some(domain) = s(d, &["domain"]) else {
                continue;
            };
            let host = if b(d, "includes_subdomains") == Some(true) {
                format!("*.{domain}")
            } else {
                domain.clone()
            };
            push_unique(&mut endpoints, endpoint(&kb, &host, "ats_exception"));
            exceptions.push(DomainRule {
                domains: vec![host],
                cleartext: b(d, "allows_insecure_http_loads"),
                min_tls: s(d, &["minimum_tls_version"]),
                forward_secrecy: b(d, "requires_forward_secrecy"),
                ..DomainRule::default()
            });
        }
        let pinned = strings(ats, &["pinned_domains"]);
        for h in &pinned {
            push_unique(&mut endpoints, endpoint(&kb, h, "ats_pinned"));
        }
        NetworkSummary {
            source: Some("NSAppTransportSecurity".into()),
            // ATS allows cleartext only when switched off; absent = secure default.
            cleartext_allowed: Some(b(ats, "allows_arbitrary_loads") == Some(true)),
            user_cas_trusted: None,
            pinned_domains: pinned,
            exception_domains: exceptions,
        }
    });
    AppProfile {
        identity: id,
        url_schemes: strings(&i, &["url_schemes"]),
        permissions: Vec::new(),
        usage_descriptions,
        sdks: sdks(&kb, facts),
        endpoints,
        exported_components: Vec::new(),
        network,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_knows_the_common_levels() {
        let t = ProtectionLevels::builtin();
        assert_eq!(t.version, 1);
        assert_eq!(t.get("android.permission.READ_CONTACTS"), Some("dangerous"));
        assert_eq!(
            t.get("android.permission.POST_NOTIFICATIONS"),
            Some("dangerous|instant")
        );
        assert_eq!(
            t.get("android.permission.INSTALL_PACKAGES"),
            Some("signature|privileged")
        );
        assert_eq!(t.get("com.google.android.gms.permission.AD_ID"), None);
    }

    #[test]
    fn url_hosts() {
        assert_eq!(url_host("http://a.example.com:80/x"), Some("a.example.com"));
        assert_eq!(url_host("http://u@b.example/"), Some("b.example"));
        assert_eq!(url_host("http://"), None);
    }

    #[test]
    fn devices_and_unknown_kinds_have_no_profile() {
        assert!(build(&serde_json::json!({"kind": "device"})).is_none());
        assert!(build(&Value::Null).is_none());
    }
}
