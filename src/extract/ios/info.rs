//! Facts derived from the main `Info.plist`: identity, App Transport
//! Security, usage descriptions, background modes, file sharing, URL schemes.

use plist::{Dictionary, Value};

use super::plist::{get_bool, get_string, get_strings};
use crate::facts::{AppInfo, Ats, AtsException, IosFacts};

/// Identity and versions from Info.plist (`min_os`/`target_os` may be
/// completed from the executable later).
pub fn app_info(info: &Dictionary) -> AppInfo {
    AppInfo {
        id: get_string(info, "CFBundleIdentifier"),
        name: get_string(info, "CFBundleDisplayName").or_else(|| get_string(info, "CFBundleName")),
        version: get_string(info, "CFBundleShortVersionString"),
        build: get_string(info, "CFBundleVersion"),
        min_os: get_string(info, "MinimumOSVersion"),
        target_os: get_string(info, "DTPlatformVersion"),
        ..AppInfo::default()
    }
}

/// Reads `NSAppTransportSecurity`.
pub fn ats(info: &Dictionary) -> Ats {
    let Some(Value::Dictionary(ats)) = info.get("NSAppTransportSecurity") else {
        return Ats::default();
    };
    let mut out = Ats {
        allows_arbitrary_loads: get_bool(ats, "NSAllowsArbitraryLoads"),
        allows_arbitrary_loads_in_web_content: get_bool(ats, "NSAllowsArbitraryLoadsInWebContent"),
        allows_local_networking: get_bool(ats, "NSAllowsLocalNetworking"),
        ..Ats::default()
    };
    if let Some(Value::Dictionary(domains)) = ats.get("NSExceptionDomains") {
        for (domain, v) in domains {
            let Value::Dictionary(d) = v else { continue };
            let either = |a: &str, b: &str| get_bool(d, a).or_else(|| get_bool(d, b));
            out.exception_domains.push(AtsException {
                domain: domain.clone(),
                allows_insecure_http_loads: either(
                    "NSExceptionAllowsInsecureHTTPLoads",
                    "NSThirdPartyExceptionAllowsInsecureHTTPLoads",
                ),
                minimum_tls_version: get_string(d, "NSExceptionMinimumTLSVersion")
                    .or_else(|| get_string(d, "NSThirdPartyExceptionMinimumTLSVersion")),
                requires_forward_secrecy: either(
                    "NSExceptionRequiresForwardSecrecy",
                    "NSThirdPartyExceptionRequiresForwardSecrecy",
                ),
                includes_subdomains: get_bool(d, "NSIncludesSubdomains"),
            });
        }
    }
    if let Some(Value::Dictionary(pinned)) = ats.get("NSPinnedDomains") {
        out.pinned_domains = pinned.keys().cloned().collect();
    }
    out
}

/// Fills the Info.plist-derived fields of `facts`.
pub fn fill(info: &Dictionary, facts: &mut IosFacts) {
    facts.ats = ats(info);
    for (k, v) in info {
        if k.starts_with("NS") && k.ends_with("UsageDescription") {
            let text = match v {
                Value::String(s) => s.clone(),
                other => format!("({})", super::plist::kind_name(other)),
            };
            facts.usage_descriptions.insert(k.clone(), text);
        }
    }
    facts.background_modes = get_strings(info, "UIBackgroundModes");
    facts.file_sharing_enabled = get_bool(info, "UIFileSharingEnabled");
    facts.opens_documents_in_place = get_bool(info, "LSSupportsOpeningDocumentsInPlace");
    if let Some(Value::Array(types)) = info.get("CFBundleURLTypes") {
        for t in types {
            if let Value::Dictionary(t) = t {
                for s in get_strings(t, "CFBundleURLSchemes") {
                    if !facts.url_schemes.contains(&s) {
                        facts.url_schemes.push(s);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn reads_ats_usage_and_sharing() {
        let xml = br#"<?xml version="1.0"?><plist version="1.0"><dict>
<key>CFBundleIdentifier</key><string>a.b</string>
<key>NSAppTransportSecurity</key><dict><key>NSAllowsArbitraryLoads</key><true/>
<key>NSExceptionDomains</key><dict><key>example.com</key><dict><key>NSIncludesSubdomains</key><true/>
<key>NSThirdPartyExceptionMinimumTLSVersion</key><string>TLSv1.0</string></dict></dict></dict>
<key>NSContactsUsageDescription</key><string>Find friends</string>
<key>UIFileSharingEnabled</key><string>YES</string>
<key>UIBackgroundModes</key><array><string>location</string></array>
<key>CFBundleURLTypes</key><array><dict><key>CFBundleURLSchemes</key><array><string>chat</string></array></dict></array>
</dict></plist>"#;
        let d = super::super::plist::read_dict(xml, &Limits::default()).unwrap();
        let mut f = IosFacts::default();
        fill(&d, &mut f);
        assert_eq!(f.ats.allows_arbitrary_loads, Some(true));
        assert_eq!(f.ats.allows_local_networking, None);
        let ex = &f.ats.exception_domains[0];
        assert_eq!(ex.domain, "example.com");
        assert_eq!(ex.minimum_tls_version.as_deref(), Some("TLSv1.0"));
        assert_eq!(ex.includes_subdomains, Some(true));
        assert_eq!(
            f.usage_descriptions["NSContactsUsageDescription"],
            "Find friends"
        );
        assert_eq!(f.file_sharing_enabled, Some(true));
        assert_eq!(f.opens_documents_in_place, None);
        assert_eq!(f.background_modes, vec!["location"]);
        assert_eq!(f.url_schemes, vec!["chat"]);
        assert_eq!(app_info(&d).id.as_deref(), Some("a.b"));
    }
}
