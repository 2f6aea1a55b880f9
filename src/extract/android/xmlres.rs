//! Compiled `res/xml` files the manifest points to: network security config,
//! backup rules, data extraction rules, FileProvider paths, sync adapters and
//! app restrictions.

use super::attrs;
use super::axml::{self, XmlElement};
use crate::archive::{Archive, ArchiveError};
use crate::extract::problems::Problems;
use crate::facts::warning::AppWarning;
use crate::facts::UnreadKind;
use crate::facts::{
    AndroidFacts, BackupRule, BackupRules, DataExtractionRules, FileProviderPaths,
    NetworkSecurityConfig, NscDomainConfig, SyncAdapter, XmlResources,
};
use crate::limits::Limits;

/// Decodes every XML resource the manifest facts reference. A referenced
/// file that is missing is a warning (the platform finds nothing either);
/// one that cannot be read or decoded in full goes to `problems.unread`.
pub fn read_all(
    archive: &Archive<'_>,
    facts: &AndroidFacts,
    limits: &Limits,
    problems: &mut Problems,
) -> XmlResources {
    let mut load = |path: &str| -> Option<XmlElement> {
        match archive.read(path) {
            Ok(bytes) => match axml::parse(&bytes, limits) {
                Ok(doc) => {
                    for w in doc.warnings {
                        problems.unread_as(path, UnreadKind::Damage, w);
                    }
                    Some(doc.root)
                }
                Err(e) => {
                    problems.unread(path, &e);
                    None
                }
            },
            Err(ArchiveError::Missing(_)) => {
                problems.warn(AppWarning::XmlResourceMissing {
                    path: path.to_string(),
                });
                None
            }
            Err(e) => {
                problems.unread(path, &e);
                None
            }
        }
    };
    let app = &facts.application;
    let mut out = XmlResources::default();
    if let Some(p) = app
        .network_security_config
        .as_deref()
        .filter(|p| is_path(p))
    {
        out.network_security_config = load(p).map(|r| network_security_config(p, &r));
    }
    if let Some(p) = app.full_backup_content.as_deref().filter(|p| is_path(p)) {
        out.full_backup_content = load(p).map(|r| BackupRules {
            file: p.to_string(),
            rules: rules(&r),
        });
    }
    if let Some(p) = app.data_extraction_rules.as_deref().filter(|p| is_path(p)) {
        out.data_extraction_rules = load(p).map(|r| data_extraction_rules(p, &r));
    }
    let path_of = |c: &crate::facts::Component, key: &str| -> Option<String> {
        let m = c.meta_data.get(key)?;
        m.value.clone().filter(|p| is_path(p))
    };
    for c in &facts.components {
        if c.kind == "provider" {
            if let Some(p) = path_of(c, "android.support.FILE_PROVIDER_PATHS") {
                if let Some(r) = load(&p) {
                    out.file_provider_paths.push(FileProviderPaths {
                        provider: c.name.clone(),
                        file: p,
                        paths: provider_paths(&r),
                    });
                }
            }
        }
        if c.kind == "service" {
            if let Some(p) = path_of(c, "android.content.SyncAdapter") {
                if let Some(r) = load(&p) {
                    let get = |a| attrs::android_value(&r, a, false, None);
                    out.sync_adapters.push(SyncAdapter {
                        service: c.name.clone(),
                        file: p,
                        content_authority: get(attrs::CONTENT_AUTHORITY)
                            .as_ref()
                            .and_then(attrs::string),
                        account_type: get(attrs::ACCOUNT_TYPE).as_ref().and_then(attrs::string),
                    });
                }
            }
        }
    }
    if let Some(m) = facts.meta_data.get("android.content.APP_RESTRICTIONS") {
        if let Some(p) = m.value.as_deref().filter(|p| is_path(p)) {
            if let Some(r) = load(p) {
                restriction_keys(&r, &mut out.app_restrictions);
            }
        }
    }
    out
}

/// Whether a value names a resource file: not empty, not a boolean, not an
/// unresolved reference (`@…`). Obfuscated paths (`res/K2.xml`, `r/a`) count.
fn is_path(p: &str) -> bool {
    !p.is_empty() && p != "true" && p != "false" && !p.starts_with('@')
}

/// A boolean attribute read with `getAttributeBooleanValue(null, name, …)`
/// (network security config): typed integers only.
fn flag(el: &XmlElement, name: &str) -> Option<bool> {
    attrs::plain_bool(el, name)
}

/// A boolean attribute read as a string and compared with `"true"` (backup rules).
fn text_flag(el: &XmlElement, name: &str) -> Option<bool> {
    attrs::plain_string(el, name).map(|v| v == "true")
}

fn plain_text(el: &XmlElement, name: &str) -> Option<String> {
    attrs::plain_string(el, name)
}

fn trusts_user(el: &XmlElement) -> bool {
    el.children_named("trust-anchors")
        .flat_map(|t| t.children_named("certificates"))
        .any(|c| plain_text(c, "src").as_deref() == Some("user"))
}

fn network_security_config(file: &str, root: &XmlElement) -> NetworkSecurityConfig {
    let base = root.children_named("base-config").next();
    let mut domains = Vec::new();
    for d in root.children_named("domain-config") {
        domain_configs(d, &mut domains);
    }
    NetworkSecurityConfig {
        file: file.to_string(),
        base_cleartext_permitted: base.and_then(|b| flag(b, "cleartextTrafficPermitted")),
        base_trusts_user_certs: base.is_some_and(trusts_user),
        domains,
        has_debug_overrides: root.children_named("debug-overrides").next().is_some(),
    }
}

/// A `<domain-config>` and its nested ones (bounded by the document depth).
fn domain_configs(d: &XmlElement, out: &mut Vec<NscDomainConfig>) {
    let names = d
        .children_named("domain")
        .filter_map(|x| {
            let name = x.text.as_deref()?.trim().to_string();
            Some(if flag(x, "includeSubdomains") == Some(true) {
                format!("*.{name}")
            } else {
                name
            })
        })
        .collect();
    let pin_set = d.children_named("pin-set").next();
    out.push(NscDomainConfig {
        domains: names,
        cleartext_permitted: flag(d, "cleartextTrafficPermitted"),
        trusts_user_certs: trusts_user(d),
        pins: pin_set.map_or(0, |p| p.children_named("pin").count()),
        pin_expiration: pin_set.and_then(|p| plain_text(p, "expiration")),
    });
    for nested in d.children_named("domain-config") {
        domain_configs(nested, out);
    }
}

/// `<include>` / `<exclude>` children.
fn rules(el: &XmlElement) -> Vec<BackupRule> {
    el.children
        .iter()
        .filter(|c| c.name == "include" || c.name == "exclude")
        .map(|c| BackupRule {
            action: c.name.clone(),
            domain: plain_text(c, "domain").unwrap_or_default(),
            path: plain_text(c, "path").unwrap_or_default(),
        })
        .collect()
}

fn data_extraction_rules(file: &str, root: &XmlElement) -> DataExtractionRules {
    let cloud = root.children_named("cloud-backup").next();
    DataExtractionRules {
        file: file.to_string(),
        cloud_backup: cloud.map(rules),
        cloud_backup_disable_if_no_encryption: cloud
            .and_then(|c| text_flag(c, "disableIfNoEncryptionCapabilities")),
        device_transfer: root.children_named("device-transfer").next().map(rules),
    }
}

/// `tag:path` for each path element of a FileProvider `<paths>` file.
fn provider_paths(root: &XmlElement) -> Vec<String> {
    root.children
        .iter()
        .map(|c| format!("{}:{}", c.name, plain_text(c, "path").unwrap_or_default()))
        .collect()
}

/// Keys of `<restriction>` elements, nested bundles included.
fn restriction_keys(el: &XmlElement, out: &mut Vec<String>) {
    for c in el.children_named("restriction") {
        let key = attrs::android_value(c, attrs::KEY, false, None)
            .as_ref()
            .and_then(attrs::string);
        if let Some(k) = key {
            out.push(k);
        }
        restriction_keys(c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::android::axml::tests::{build_doc, Node};
    use crate::extract::android::axml::value_type;

    const NO: u32 = 0xffff_ffff;

    #[test]
    fn network_security_config_is_decoded() {
        let s = [
            "network-security-config",
            "base-config",
            "cleartextTrafficPermitted",
            "true",
            "trust-anchors",
            "certificates",
            "src",
            "user",
            "domain-config",
            "domain",
            "includeSubdomains",
            "example.org",
            "pin-set",
            "pin",
            "expiration",
            "2030-01-01",
        ];
        let st = |n: u32, v: u32| (NO, n, v, value_type::STRING, v);
        let bytes = build_doc(
            &s,
            &[],
            &[
                Node::Start(0, vec![]),
                Node::Start(1, vec![(NO, 2, 3, value_type::INT_BOOLEAN, 1)]),
                Node::Start(4, vec![]),
                Node::Start(5, vec![st(6, 7)]),
                Node::End(5),
                Node::End(4),
                Node::End(1),
                Node::Start(8, vec![(NO, 2, NO, value_type::INT_BOOLEAN, 0)]),
                Node::Start(9, vec![(NO, 10, NO, value_type::INT_BOOLEAN, 1)]),
                Node::Text(11),
                Node::End(9),
                Node::Start(12, vec![st(14, 15)]),
                Node::Start(13, vec![]),
                Node::End(13),
                Node::End(12),
                Node::End(8),
                Node::End(0),
            ],
            0,
            0,
        );
        let root = axml::parse(&bytes, &Limits::default()).unwrap().root;
        let nsc = network_security_config("res/xml/n.xml", &root);
        assert_eq!(nsc.base_cleartext_permitted, Some(true));
        assert!(nsc.base_trusts_user_certs);
        assert_eq!(nsc.domains.len(), 1);
        let d = &nsc.domains[0];
        assert_eq!(d.cleartext_permitted, Some(false));
        assert_eq!(d.pins, 1);
        assert_eq!(d.pin_expiration.as_deref(), Some("2030-01-01"));
        // The domain name is the element's text (a CDATA node).
        assert_eq!(d.domains, vec!["*.example.org"]);
        assert!(!nsc.has_debug_overrides);
    }

    #[test]
    fn backup_extraction_rules_and_restrictions() {
        let s = [
            "data-extraction-rules",
            "cloud-backup",
            "disableIfNoEncryptionCapabilities",
            "true",
            "include",
            "domain",
            "sharedpref",
            "path",
            ".",
            "device-transfer",
            "exclude",
            "database",
            "secret.db",
            "restrictions",
            "restriction",
            "key",
            "server_url",
            attrs::ANDROID_NS,
        ];
        let st = |n: u32, v: u32| (NO, n, v, value_type::STRING, v);
        let bytes = build_doc(
            &s,
            &[],
            &[
                Node::Start(0, vec![]),
                Node::Start(1, vec![st(2, 3)]),
                Node::Start(4, vec![st(5, 6), st(7, 8)]),
                Node::End(4),
                Node::End(1),
                Node::Start(9, vec![]),
                Node::Start(10, vec![st(5, 11), st(7, 12)]),
                Node::End(10),
                Node::End(9),
                Node::End(0),
            ],
            0,
            0,
        );
        let root = axml::parse(&bytes, &Limits::default()).unwrap().root;
        let d = data_extraction_rules("res/xml/d.xml", &root);
        assert_eq!(d.cloud_backup_disable_if_no_encryption, Some(true));
        let cloud = d.cloud_backup.unwrap();
        assert_eq!(
            (
                cloud[0].action.as_str(),
                cloud[0].domain.as_str(),
                cloud[0].path.as_str()
            ),
            ("include", "sharedpref", ".")
        );
        let dt = d.device_transfer.unwrap();
        assert_eq!(
            (
                dt[0].action.as_str(),
                dt[0].domain.as_str(),
                dt[0].path.as_str()
            ),
            ("exclude", "database", "secret.db")
        );

        let bytes = build_doc(
            &s,
            &[0x0101_01e8],
            &[
                Node::Start(13, vec![]),
                Node::Start(14, vec![(17, 15, 16, value_type::STRING, 16)]),
                Node::Start(14, vec![(17, 15, 3, value_type::STRING, 3)]),
                Node::End(14),
                Node::End(14),
                Node::End(13),
            ],
            0,
            0,
        );
        let root = axml::parse(&bytes, &Limits::default()).unwrap().root;
        let mut keys = Vec::new();
        restriction_keys(&root, &mut keys);
        assert_eq!(
            keys,
            vec!["server_url", "true"],
            "nested bundle entries included"
        );
    }
}
