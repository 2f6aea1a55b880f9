//! Hosts that are not endpoints: documentation, namespaces, examples
//! (`checks/endpoint-filters.toml`) and addresses that never leave the
//! device or the local network.

use std::sync::OnceLock;

use serde::Deserialize;

/// The filter list, as `checks/endpoint-filters.toml` gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Filters {
    hosts: Vec<String>,
    domains: Vec<String>,
    tlds: Vec<String>,
}

fn builtin() -> &'static Filters {
    static FILTERS: OnceLock<Filters> = OnceLock::new();
    FILTERS.get_or_init(|| {
        toml::from_str(include_str!("../../../checks/endpoint-filters.toml"))
            .expect("checks/endpoint-filters.toml is valid (tested)")
    })
}

/// Whether `host` (lower case, checked by `parse::valid_host`) names no
/// endpoint: a documentation or example host, a reserved name, or a
/// loopback, private or link-local IPv4 address.
pub fn is_filtered(host: &str) -> bool {
    let f = builtin();
    if f.hosts.iter().any(|h| h == host) {
        return true;
    }
    if f.domains.iter().any(|d| {
        host == d
            || host
                .strip_suffix(d.as_str())
                .is_some_and(|p| p.ends_with('.'))
    }) {
        return true;
    }
    let tld = host.rsplit('.').next().unwrap_or(host);
    if f.tlds.iter().any(|t| t == tld) {
        return true;
    }
    is_local_ipv4(host)
}

/// Loopback (127/8), unspecified (0/8), private (10/8, 172.16/12,
/// 192.168/16), link-local (169.254/16) and the emulator's host alias.
fn is_local_ipv4(host: &str) -> bool {
    let Ok(ip) = host.parse::<std::net::Ipv4Addr>() else {
        return false;
    };
    ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.octets()[0] == 0
}

#[cfg(test)]
mod tests {
    use super::is_filtered;

    #[test]
    fn documentation_and_local_hosts_are_filtered() {
        for h in [
            "schemas.android.com",
            "www.w3.org",
            "www.apache.org",
            "example.com",
            "api.example.org",
            "ns.adobe.com",
            "purl.org",
            "dublincore.purl.org",
            "xmlpull.org",
            "printer.local",
            "x.test",
            "127.0.0.1",
            "10.0.2.2",
            "192.168.1.20",
            "0.0.0.0",
        ] {
            assert!(is_filtered(h), "{h}");
        }
    }

    #[test]
    fn endpoints_are_kept() {
        for h in [
            "o1.ingest.sentry.io",
            "notexample.com",
            "api.apache.org.evil.io",
            "8.8.8.8",
            "firebase-settings.crashlytics.com",
        ] {
            assert!(!is_filtered(h), "{h}");
        }
    }
}
