//! The app profile's "Endpoints" section: every host the facts'
//! `endpoints` list (issue #16 item 4, "endpoints (where known)"), with its
//! owner, the region its name states and where it was found. Read from the
//! facts JSON so that the profile data model stays as it is.

use serde_json::Value;

use super::profile::{tr, Cell, Section};
use crate::assess::Lang;
use crate::facts::{Endpoint, EndpointSourceKind, EndpointsCapped};

/// Sources shown per host; the rest are counted.
const SOURCES_SHOWN: usize = 3;

/// Appends the Endpoints section to `sections`, built from `facts` (an
/// app's facts JSON); nothing for facts without an `endpoints` list.
pub fn append(sections: &mut Vec<Section>, facts: &Value, l: Lang) {
    let Some(list) = facts.get("endpoints") else {
        return;
    };
    let endpoints: Vec<Endpoint> = serde_json::from_value(list.clone()).unwrap_or_default();
    let capped: Option<EndpointsCapped> = facts
        .get("endpoints_capped")
        .and_then(|c| serde_json::from_value(c.clone()).ok());
    sections.push(section(&endpoints, capped.as_ref(), l));
}

/// An endpoint's operator: the SDK's name with its vendor in brackets
/// (`Firebase Analytics (Google)`), the name alone when the vendor is the
/// same (`mParticle`, not `mParticle (mParticle)`), and the vendor after a
/// comma when either already has brackets (`Sentry, Functional Software
/// (Sentry)`, not nested brackets).
fn owner(name: &str, vendor: &str) -> String {
    let vendor = vendor.trim();
    if vendor.is_empty() || vendor.eq_ignore_ascii_case(name.trim()) {
        name.to_string()
    } else if name.contains('(') || vendor.contains('(') {
        format!("{name}, {vendor}")
    } else {
        format!("{name} ({vendor})")
    }
}

/// The section for `endpoints` in `l`.
pub fn section(endpoints: &[Endpoint], capped: Option<&EndpointsCapped>, l: Lang) -> Section {
    let rows = endpoints
        .iter()
        .map(|e| {
            vec![
                Cell::code(e.host.clone()),
                Cell::text(
                    e.owner
                        .as_ref()
                        .map(|o| owner(&o.name, &o.vendor))
                        .unwrap_or_default(),
                ),
                Cell::code(e.region.clone().unwrap_or_default()),
                Cell::text(sources(e, l)),
            ]
        })
        .collect();
    Section {
        title: tr(l, "Endpoints", "Endpunkte"),
        columns: vec![
            "Host",
            tr(l, "Operator (knowledge base)", "Betreiber (Wissensbasis)"),
            tr(l, "Region in the name", "Region im Namen"),
            tr(l, "Found in", "Gefunden in"),
        ],
        rows,
        empty: tr(l, "none found", "keine gefunden"),
        note: Some(if capped.is_some() {
            tr(
                l,
                "Hosts named in the app's strings, configuration and binaries (documentation and example hosts left out). The list was cut at a cap: more hosts may exist. A region is only what the host name states, not a verified server location.",
                "Hosts, die Zeichenketten, Konfiguration und Binärdateien der App nennen (Dokumentations- und Beispiel-Hosts ausgenommen). Die Liste wurde an einer Obergrenze abgeschnitten: Es kann weitere Hosts geben. Eine Region ist nur, was der Hostname angibt, kein geprüfter Serverstandort.",
            )
        } else {
            tr(
                l,
                "Hosts named in the app's strings, configuration and binaries (documentation and example hosts left out). A region is only what the host name states, not a verified server location.",
                "Hosts, die Zeichenketten, Konfiguration und Binärdateien der App nennen (Dokumentations- und Beispiel-Hosts ausgenommen). Eine Region ist nur, was der Hostname angibt, kein geprüfter Serverstandort.",
            )
        }),
    }
}

/// "classes2.dex (DEX string); …" with at most [`SOURCES_SHOWN`] sources.
fn sources(e: &Endpoint, l: Lang) -> String {
    let mut parts: Vec<String> = e
        .sources
        .iter()
        .take(SOURCES_SHOWN)
        .map(|s| {
            let kind = kind_label(s.kind, l);
            match &s.key {
                Some(k) => format!("{} ({kind}: {k})", s.file),
                None => format!("{} ({kind})", s.file),
            }
        })
        .collect();
    let more = e.sources.len().saturating_sub(SOURCES_SHOWN);
    if more > 0 {
        parts.push(match l {
            Lang::De => format!("und {more} weitere"),
            Lang::En => format!("and {more} more"),
        });
    }
    parts.join("; ")
}

fn kind_label(k: EndpointSourceKind, l: Lang) -> &'static str {
    let (en, de) = k.label();
    tr(l, en, de)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{EndpointOwner, EndpointSource};

    fn ep() -> Endpoint {
        Endpoint {
            host: "o1.ingest.de.sentry.io".into(),
            schemes: vec!["https".into()],
            sources: (0..5)
                .map(|i| EndpointSource {
                    file: format!("classes{i}.dex"),
                    kind: EndpointSourceKind::DexString,
                    key: None,
                })
                .collect(),
            owner: Some(EndpointOwner {
                sdk: "sentry".into(),
                name: "Sentry".into(),
                vendor: "Functional Software (Sentry)".into(),
            }),
            region: Some("de".into()),
        }
    }

    #[test]
    fn german_rows_and_empty_list() {
        let s = section(&[ep()], None, Lang::De);
        assert_eq!(s.title, "Endpunkte");
        let row: Vec<&str> = s.rows[0].iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            row,
            [
                "o1.ingest.de.sentry.io",
                "Sentry, Functional Software (Sentry)",
                "de",
                "classes0.dex (DEX-Zeichenkette); classes1.dex (DEX-Zeichenkette); classes2.dex (DEX-Zeichenkette); und 2 weitere"
            ]
        );
        let mut out = Vec::new();
        append(&mut out, &serde_json::json!({"endpoints": []}), Lang::En);
        assert!(out[0].rows.is_empty());
        assert_eq!(out[0].empty, "none found");
        let mut none = Vec::new();
        append(&mut none, &serde_json::json!({"kind": "device"}), Lang::En);
        assert!(none.is_empty());
    }
}

#[cfg(test)]
mod owner_tests {
    use super::owner;

    /// The operator column names each name once, without nested brackets
    /// (the corpus report read „mParticle (mParticle)“ and „Sentry
    /// (Functional Software (Sentry))“).
    #[test]
    fn an_operator_is_named_once_without_nested_brackets() {
        assert_eq!(
            owner("Firebase Analytics", "Google"),
            "Firebase Analytics (Google)"
        );
        assert_eq!(owner("mParticle", "mParticle"), "mParticle");
        assert_eq!(owner("Matomo", ""), "Matomo");
        assert_eq!(
            owner("Sentry", "Functional Software (Sentry)"),
            "Sentry, Functional Software (Sentry)"
        );
        assert_eq!(
            owner("Google Mobile Ads (AdMob)", "Google"),
            "Google Mobile Ads (AdMob), Google"
        );
    }
}
