//! Which `http://` string constants count as cleartext URLs.
//!
//! XML namespace and schema identifiers (`http://schemas.android.com/…`,
//! `http://www.w3.org/…`) look like URLs but are never fetched, and local
//! hosts (emulator, loopback) carry no traffic off the device, so both are
//! excluded. A bare `http://` without a host is a prefix used to build URLs,
//! not a URL, and is excluded too.

/// Hosts whose `http://` strings are namespace identifiers, not endpoints.
const NAMESPACE_HOSTS: &[&str] = &[
    "schemas.android.com",
    "www.w3.org",
    "w3.org",
    "ns.adobe.com",
    "xmlpull.org",
    "www.xmlpull.org",
    "xml.apache.org",
    "xml.org",
    "www.xml.org",
    "schemas.xmlsoap.org",
    "purl.org",
    "relaxng.org",
];

/// Host + path prefixes that are namespace identifiers.
const NAMESPACE_PREFIXES: &[&str] = &[
    "apache.org/xml",
    "java.sun.com/xml",
    "java.sun.com/jaxp",
    "javax.xml.",
];

/// Hosts that never leave the device (loopback, Android emulator host).
const LOCAL_HOSTS: &[&str] = &["localhost", "127.0.0.1", "10.0.2.2", "0.0.0.0", "[::1]"];

/// Whether `s` is an `http://` URL with a real, non-local, non-namespace host.
pub fn is_cleartext_url(s: &str) -> bool {
    let Some(rest) = s
        .get(..7)
        .filter(|p| p.eq_ignore_ascii_case("http://"))
        .and(s.get(7..))
    else {
        return false;
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = rest.get(..authority_end).unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        host_port
            .find(']')
            .and_then(|e| host_port.get(..=e))
            .unwrap_or(host_port)
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let host = host.to_ascii_lowercase();
    if host.is_empty() || host.chars().any(char::is_whitespace) {
        return false;
    }
    let lower_rest = rest.to_ascii_lowercase();
    !(NAMESPACE_HOSTS.contains(&host.as_str())
        || LOCAL_HOSTS.contains(&host.as_str())
        || NAMESPACE_PREFIXES.iter().any(|p| lower_rest.starts_with(p)))
}

#[cfg(test)]
mod tests {
    use super::is_cleartext_url;

    #[test]
    fn real_endpoints_count() {
        assert!(is_cleartext_url("http://api.example.com/v1/upload"));
        assert!(is_cleartext_url("http://tracker.example.net:8080"));
        assert!(is_cleartext_url("HTTP://Example.org/"));
    }

    #[test]
    fn namespaces_and_local_hosts_do_not() {
        assert!(!is_cleartext_url(
            "http://schemas.android.com/apk/res/android"
        ));
        assert!(!is_cleartext_url("http://www.w3.org/2001/XMLSchema"));
        assert!(!is_cleartext_url("http://ns.adobe.com/xap/1.0/"));
        assert!(!is_cleartext_url(
            "http://xmlpull.org/v1/doc/features.html#process-namespaces"
        ));
        assert!(!is_cleartext_url(
            "http://apache.org/xml/features/validation"
        ));
        assert!(!is_cleartext_url("http://xml.org/sax/features/namespaces"));
        assert!(!is_cleartext_url("http://relaxng.org/ns/structure/1.0"));
        assert!(!is_cleartext_url("http://java.sun.com/jaxp/xpath/dom"));
        assert!(!is_cleartext_url("http://localhost:8080/"));
        assert!(!is_cleartext_url("http://127.0.0.1/"));
        assert!(!is_cleartext_url("http://10.0.2.2:3000"));
    }

    #[test]
    fn non_urls_do_not() {
        assert!(!is_cleartext_url("http://"));
        assert!(!is_cleartext_url("https://example.com"));
        assert!(!is_cleartext_url("see http://example.com"));
        assert!(!is_cleartext_url("http:// spaced"));
    }
}
