//! Finding `scheme://host` in bytes and checking host names.
//!
//! Only network schemes count ([`SCHEMES`]): `content://`, `file://` and app
//! schemes name no server. A host is taken only when it is a complete DNS
//! name (at least two labels of `a-z 0-9 -`, an alphabetic top-level label)
//! or an IPv4 address; anything with a template or escape character
//! (`%s.api.com`, `${host}`) is left out rather than guessed at.

/// URL schemes whose authority is a network host.
pub const SCHEMES: &[&str] = &[
    "https", "http", "wss", "ws", "ftps", "ftp", "mqtts", "mqtt", "rtmps", "rtmp", "rtsp",
];

/// Longest host name DNS allows.
const MAX_HOST: usize = 253;

/// Calls `found(scheme, host)` for each `scheme://host` in `bytes` with a
/// network scheme and a valid host. `seps` are the positions of `://`.
pub fn urls_in(
    bytes: &[u8],
    seps: impl Iterator<Item = usize>,
    mut found: impl FnMut(&'static str, String),
) {
    for p in seps {
        let Some(scheme) = scheme_before(bytes, p) else {
            continue;
        };
        if let Some(host) = bytes.get(p + 3..).and_then(authority_host) {
            found(scheme, host);
        }
    }
}

/// The network scheme that ends at `p` (case-insensitive), when the byte
/// before it does not continue a word.
fn scheme_before(bytes: &[u8], p: usize) -> Option<&'static str> {
    SCHEMES.iter().copied().find(|s| {
        let Some(start) = p.checked_sub(s.len()) else {
            return false;
        };
        bytes[start..p].eq_ignore_ascii_case(s.as_bytes())
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
    })
}

/// Whether `b` may appear in a URL authority (RFC 3986 userinfo, host, port).
fn authority_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~%!$&'()*+,;=:@[]{}".contains(&b)
}

/// The host of the authority at the start of `rest`, checked; `None` when
/// the authority holds no valid host.
fn authority_host(rest: &[u8]) -> Option<String> {
    let end = rest
        .iter()
        .take(MAX_HOST + 64)
        .position(|&b| !authority_byte(b))
        .unwrap_or(rest.len().min(MAX_HOST + 64));
    let authority = std::str::from_utf8(&rest[..end]).ok()?;
    let host_port = authority.rsplit('@').next()?;
    let host = match host_port.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        Some(_) => return None,
        None => host_port,
    };
    valid_host(host)
}

/// A bare host value (`api.example.io`, `api.example.io:443`,
/// `api.example.io/v1`) or a URL, as meta-data and plist values give them:
/// `(scheme, host)`. The whole value must be the host (or URL): free text
/// that merely contains one yields `None` (the caller scans it as text).
pub fn host_value(value: &str) -> Option<(Option<&'static str>, String)> {
    let v = value.trim();
    if let Some(p) = v.find("://") {
        let scheme = scheme_before(v.as_bytes(), p)?;
        if p != scheme.len() {
            return None;
        }
        return authority_host(&v.as_bytes()[p + 3..]).map(|h| (Some(scheme), h));
    }
    let end = v.find('/').unwrap_or(v.len());
    let authority = &v[..end];
    if authority.contains('@') || v.contains(char::is_whitespace) {
        return None;
    }
    authority_host(authority.as_bytes())
        .filter(|_| authority.bytes().all(authority_byte))
        .map(|h| (None, h))
}

/// `host` lower-cased when it is a complete DNS name or an IPv4 address.
pub fn valid_host(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || host.len() > MAX_HOST {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    if labels.len() == 4
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()))
    {
        return labels
            .iter()
            .all(|l| l.parse::<u16>().is_ok_and(|n| n <= 255))
            .then(|| host.to_string());
    }
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let tld = labels[labels.len() - 1];
    (labels.iter().all(label_ok) && tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
        .then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(&'static str, String)> {
        let seps = text.match_indices("://").map(|(i, _)| i);
        let mut out = Vec::new();
        urls_in(text.as_bytes(), seps, |s, h| out.push((s, h)));
        out
    }

    #[test]
    fn network_urls_give_their_host() {
        assert_eq!(
            all("x https://Key@O12.Ingest.US.sentry.io/42 and wss://chat.example.im:8443/ws"),
            vec![
                ("https", "o12.ingest.us.sentry.io".to_string()),
                ("wss", "chat.example.im".to_string())
            ]
        );
        assert_eq!(
            all("HTTP://1.2.3.4/x"),
            vec![("http", "1.2.3.4".to_string())]
        );
    }

    #[test]
    fn other_schemes_templates_and_words_are_left_out() {
        assert!(all("content://com.example.provider/items").is_empty());
        assert!(all("file:///sdcard/x myapp://callback.done").is_empty());
        assert!(all("https://%s.api.example.io/ https://${host}/").is_empty());
        assert!(all("https://localhost/ https:// https://nodot/").is_empty());
        assert!(all("xhttps://a.example.io").is_empty());
        assert!(all("https://a.example.io:port/").is_empty());
        assert!(all("https://256.1.1.1/ https://a.b.c123").is_empty());
    }

    #[test]
    fn host_values() {
        assert_eq!(
            host_value(" api.mixpanel.com:443/track "),
            Some((None, "api.mixpanel.com".to_string()))
        );
        assert_eq!(
            host_value("https://abc@o1.ingest.de.sentry.io/7"),
            Some((Some("https"), "o1.ingest.de.sentry.io".to_string()))
        );
        assert_eq!(host_value("see https://x.example.io"), None);
        assert_eq!(host_value("true"), None);
        assert_eq!(host_value("1.5"), None);
    }
}
