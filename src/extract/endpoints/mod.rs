//! Endpoints: the hosts an app names, collected from the strings the
//! extractors already read.
//!
//! One job per module: [`parse`] finds `scheme://host` in bytes and checks
//! host names, [`filter`] drops documentation and local hosts, [`region`]
//! reads the region a host name states. [`EndpointFinds`] collects what
//! the Android and iOS extractors hand it (DEX and resource strings, native
//! libraries, manifest meta-data, the network security configuration,
//! `Info.plist`, the Mach-O executable) under caps, and turns it into the
//! facts' `endpoints` with owners from the SDK knowledge base.

pub mod filter;
pub mod parse;
pub mod region;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use memchr::memmem::Finder;

use crate::extract::sdks::KnowledgeBase;
use crate::facts::{
    AndroidFacts, Endpoint, EndpointOwner, EndpointSource, EndpointSourceKind, EndpointsCapped,
    MetaValue,
};

/// New hosts taken from one source (file and kind) at most.
pub const MAX_PER_SOURCE: usize = 256;
/// Hosts listed at most.
pub const MAX_TOTAL: usize = 1024;

/// Meta-data names (lower case) whose value is read as a bare host: those
/// ending in one of these words (`api_host`, `com.example.ENDPOINT`,
/// `io.sentry.dsn`, `server_url`).
const HOST_KEY_ENDINGS: &[&str] = &[
    "host", "hostname", "domain", "endpoint", "url", "uri", "server", "dsn", "baseurl",
];

/// Hosts found so far, with their schemes and sources, bounded by
/// [`MAX_PER_SOURCE`] and [`MAX_TOTAL`].
#[derive(Debug, Clone, Default)]
pub struct EndpointFinds {
    hosts: BTreeMap<String, Found>,
    sources: Vec<EndpointSource>,
    source_index: HashMap<EndpointSource, usize>,
    new_hosts: Vec<usize>,
    capped_sources: BTreeSet<usize>,
    total_capped: bool,
}

#[derive(Debug, Clone, Default)]
struct Found {
    schemes: BTreeSet<&'static str>,
    sources: BTreeSet<usize>,
}

/// Finds `://` quickly in long byte runs.
fn separator() -> &'static Finder<'static> {
    static FINDER: std::sync::OnceLock<Finder<'static>> = std::sync::OnceLock::new();
    FINDER.get_or_init(|| Finder::new(b"://"))
}

impl EndpointFinds {
    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.hosts.is_empty()
    }

    fn source(&mut self, file: &str, kind: EndpointSourceKind, key: Option<&str>) -> usize {
        let s = EndpointSource {
            file: file.to_string(),
            kind,
            key: key.map(str::to_string),
        };
        if let Some(&i) = self.source_index.get(&s) {
            return i;
        }
        let i = self.sources.len();
        self.sources.push(s.clone());
        self.source_index.insert(s, i);
        self.new_hosts.push(0);
        i
    }

    /// Records `host` (already checked) from source `src`, unless filtered
    /// or over a cap.
    fn add(&mut self, src: usize, scheme: Option<&'static str>, host: String) {
        if filter::is_filtered(&host) {
            return;
        }
        if let Some(f) = self.hosts.get_mut(&host) {
            f.schemes.extend(scheme);
            f.sources.insert(src);
            return;
        }
        if self.new_hosts[src] >= MAX_PER_SOURCE {
            self.capped_sources.insert(src);
            return;
        }
        if self.hosts.len() >= MAX_TOTAL {
            self.total_capped = true;
            return;
        }
        self.new_hosts[src] += 1;
        self.hosts.insert(
            host,
            Found {
                schemes: scheme.into_iter().collect(),
                sources: BTreeSet::from([src]),
            },
        );
    }

    /// Every `scheme://host` in `bytes` (a string constant, or a whole
    /// binary such as a native library or Mach-O file). Cheap for the
    /// common string without `://`: one `memmem` search.
    pub fn scan(&mut self, bytes: &[u8], file: &str, kind: EndpointSourceKind) {
        let mut hits = separator().find_iter(bytes).peekable();
        if hits.peek().is_none() {
            return;
        }
        let src = self.source(file, kind, None);
        let mut found = Vec::new();
        parse::urls_in(bytes, hits, |scheme, host| found.push((scheme, host)));
        for (scheme, host) in found {
            self.add(src, Some(scheme), host);
        }
    }

    /// A value under `key`: taken whole as a host, URL or DSN when the key
    /// says it names one (`api_host`, `ServerURL`, `io.sentry.dsn`, see
    /// `HOST_KEY_ENDINGS`), else scanned for URLs only.
    pub fn value(&mut self, value: &str, file: &str, kind: EndpointSourceKind, key: &str) {
        let whole = host_key(key).then(|| parse::host_value(value)).flatten();
        if let Some((scheme, host)) = whole {
            let src = self.source(file, kind, Some(key));
            self.add(src, scheme, host);
        } else if value.contains("://") {
            let src = self.source(file, kind, Some(key));
            let seps = value.match_indices("://").map(|(i, _)| i);
            let mut found = Vec::new();
            parse::urls_in(value.as_bytes(), seps, |scheme, host| {
                found.push((scheme, host))
            });
            for (scheme, host) in found {
                self.add(src, Some(scheme), host);
            }
        }
    }

    /// A bare domain (network security configuration, ATS), `*.` allowed.
    pub fn domain(
        &mut self,
        domain: &str,
        file: &str,
        kind: EndpointSourceKind,
        key: Option<&str>,
    ) {
        let bare = domain.trim().trim_start_matches("*.");
        if let Some(host) = parse::valid_host(bare) {
            let src = self.source(file, kind, key);
            self.add(src, None, host);
        }
    }

    /// Puts `prefix` before every source file (the split APK's name).
    pub fn prefix_files(&mut self, prefix: &str) {
        if prefix.is_empty() {
            return;
        }
        for s in &mut self.sources {
            s.file = format!("{prefix}{}", s.file);
        }
        self.source_index = self
            .sources
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, s)| (s, i))
            .collect();
    }

    /// Adds everything `other` found (caps apply again).
    pub fn merge(&mut self, other: EndpointFinds) {
        let map: Vec<usize> = other
            .sources
            .iter()
            .map(|s| self.source(&s.file, s.kind, s.key.as_deref()))
            .collect();
        for (host, f) in other.hosts {
            for &s in &f.sources {
                self.add(map[s], f.schemes.iter().next().copied(), host.clone());
                if let Some(mine) = self.hosts.get_mut(&host) {
                    mine.schemes.extend(f.schemes.iter().copied());
                }
            }
        }
        for s in other.capped_sources {
            self.capped_sources.insert(map[s]);
        }
        self.total_capped |= other.total_capped;
    }

    /// Manifest meta-data values under host-like names and the network
    /// security configuration's domains. A meta-data value that came
    /// through a resource reference is found in `resources.arsc`. `prefix`
    /// goes before the file names (the base APK's name in split sets).
    pub fn android_manifest(&mut self, android: &AndroidFacts, prefix: &str) {
        for (name, v) in &android.meta_data {
            let Some(value) = meta_string(v) else {
                continue;
            };
            let file = if v.reference.is_some() {
                "resources.arsc"
            } else {
                "AndroidManifest.xml"
            };
            let file = format!("{prefix}{file}");
            self.value(value, &file, EndpointSourceKind::ManifestMetaData, name);
        }
        if let Some(nsc) = &android.xml.network_security_config {
            for d in nsc.domains.iter().flat_map(|c| &c.domains) {
                let file = format!("{prefix}{}", nsc.file);
                self.domain(d, &file, EndpointSourceKind::NetworkSecurityConfig, None);
            }
        }
    }

    /// String values of `Info.plist` (as the facts hold it, JSON) with
    /// their key paths, and the ATS exception and pinned domains (keys).
    pub fn info_plist(&mut self, info: &serde_json::Value, file: &str) {
        let mut stack = vec![(String::new(), info, 0usize)];
        while let Some((path, v, depth)) = stack.pop() {
            match v {
                serde_json::Value::String(s) => {
                    self.value(s, file, EndpointSourceKind::InfoPlist, &path)
                }
                serde_json::Value::Array(a) if depth < 32 => {
                    for x in a.iter().rev() {
                        stack.push((format!("{path}[]"), x, depth + 1));
                    }
                }
                serde_json::Value::Object(o) if depth < 32 => {
                    let domains =
                        path.ends_with("NSExceptionDomains") || path.ends_with("NSPinnedDomains");
                    for (k, x) in o.iter().rev() {
                        let child = if path.is_empty() {
                            k.clone()
                        } else {
                            format!("{path}.{k}")
                        };
                        if domains {
                            self.domain(k, file, EndpointSourceKind::InfoPlist, Some(&path));
                        }
                        stack.push((child, x, depth + 1));
                    }
                }
                _ => {}
            }
        }
    }

    /// The facts: hosts sorted by name, owners from `kb`, regions from the
    /// names; the caps when one was hit.
    pub fn finish(self, kb: &KnowledgeBase) -> (Vec<Endpoint>, Option<EndpointsCapped>) {
        let sources = &self.sources;
        let endpoints = self
            .hosts
            .into_iter()
            .map(|(host, f)| {
                let mut srcs: Vec<EndpointSource> =
                    f.sources.iter().map(|&i| sources[i].clone()).collect();
                srcs.sort();
                Endpoint {
                    owner: kb.owner_of_host(&host).map(|o| EndpointOwner {
                        sdk: o.id.to_string(),
                        name: o.name.to_string(),
                        vendor: o.vendor.to_string(),
                    }),
                    region: region::region_of(&host),
                    schemes: f.schemes.iter().map(|s| s.to_string()).collect(),
                    sources: srcs,
                    host,
                }
            })
            .collect();
        let capped =
            (self.total_capped || !self.capped_sources.is_empty()).then(|| EndpointsCapped {
                max_per_source: MAX_PER_SOURCE,
                max_total: MAX_TOTAL,
                sources: self
                    .capped_sources
                    .iter()
                    .map(|&i| sources[i].clone())
                    .collect(),
                total: self.total_capped,
            });
        (endpoints, capped)
    }
}

/// Whether a meta-data name or plist key path says its value is a host,
/// URL or DSN: it ends in one of [`HOST_KEY_ENDINGS`].
fn host_key(name: &str) -> bool {
    let lower = name.trim_end_matches("[]").to_ascii_lowercase();
    HOST_KEY_ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn meta_string(v: &MetaValue) -> Option<&str> {
    (v.kind == "string").then_some(v.value.as_deref()).flatten()
}

#[cfg(test)]
mod tests;
