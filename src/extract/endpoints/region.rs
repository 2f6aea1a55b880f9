//! The region a host name states.
//!
//! Rules (docs/facts.md, "Endpoints"): the labels left of the last one are
//! read from left to right;
//! - a label `eu`, `us`, `de`, `uk`, `ap`, `au`, `ca`, `jp`, `in`, `sg`,
//!   `br`, optionally followed by digits (`us3`, `eu1`), states that region;
//! - a cloud region label `<area>-<direction>-<n>` (`eu-central-1`,
//!   `us-east-2`, `ap-southeast-1`) states its area (`eu`, `us`, `ap`, …);
//! - the top-level label `eu` states `eu` (`datadoghq.eu`); other
//!   country-code top-level domains say where a name is registered, not where
//!   the server stands, and state nothing.
//!
//! When labels state different regions the host states none.

/// Region words a label may consist of (with optional digits after).
const REGIONS: &[&str] = &[
    "eu", "us", "de", "uk", "ap", "au", "ca", "jp", "in", "sg", "br",
];

/// Areas of cloud region labels (`eu-central-1`).
const AREAS: &[&str] = &["eu", "us", "ap", "ca", "sa", "me", "af", "il", "mx"];

/// Directions of cloud region labels.
const DIRECTIONS: &[&str] = &[
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// The region `host` (lower case) states, if any.
pub fn region_of(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let (tld, rest) = labels.split_last()?;
    if rest.is_empty() {
        return None;
    }
    let mut found: Option<&str> = None;
    let mut states = |r: &'static str| -> bool {
        match found {
            Some(f) if f != r => false,
            _ => {
                found = Some(r);
                true
            }
        }
    };
    for label in rest {
        if let Some(r) = label_region(label) {
            if !states(r) {
                return None;
            }
        }
    }
    if *tld == "eu" && !states("eu") {
        return None;
    }
    found.map(str::to_string)
}

fn label_region(label: &str) -> Option<&'static str> {
    if let Some(r) = REGIONS.iter().find(|r| {
        label
            .strip_prefix(**r)
            .is_some_and(|d| d.bytes().all(|b| b.is_ascii_digit()))
    }) {
        return Some(r);
    }
    let mut parts = label.split('-');
    let (area, dir, n) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    AREAS
        .iter()
        .find(|a| **a == area)
        .copied()
        .filter(|_| DIRECTIONS.contains(&dir))
}

#[cfg(test)]
mod tests {
    use super::region_of;

    #[test]
    fn stated_regions() {
        assert_eq!(region_of("o1.ingest.us.sentry.io").as_deref(), Some("us"));
        assert_eq!(region_of("o1.ingest.de.sentry.io").as_deref(), Some("de"));
        assert_eq!(region_of("browser-intake-eu.datadoghq.com"), None);
        assert_eq!(
            region_of("rum.browser-intake.eu.datadoghq.com").as_deref(),
            Some("eu")
        );
        assert_eq!(region_of("us3.datadoghq.com").as_deref(), Some("us"));
        assert_eq!(region_of("api.datadoghq.eu").as_deref(), Some("eu"));
        assert_eq!(
            region_of("s3.eu-central-1.amazonaws.com").as_deref(),
            Some("eu")
        );
        assert_eq!(
            region_of("x.ap-southeast-1.example.io").as_deref(),
            Some("ap")
        );
    }

    #[test]
    fn no_or_conflicting_region() {
        assert_eq!(region_of("o1.ingest.sentry.io"), None);
        assert_eq!(region_of("api.example.de"), None);
        assert_eq!(region_of("us.eu.example.io"), None);
        assert_eq!(region_of("eu.example.eu").as_deref(), Some("eu"));
        assert_eq!(region_of("user.example.io"), None);
        assert_eq!(region_of("eu"), None);
    }
}
