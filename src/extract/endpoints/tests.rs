use super::*;
use crate::facts::{NetworkSecurityConfig, NscDomainConfig};

fn kb() -> KnowledgeBase {
    KnowledgeBase::builtin()
}

#[test]
fn hosts_get_schemes_sources_owner_and_region() {
    let mut f = EndpointFinds::default();
    f.scan(
        b"https://abc@o1.ingest.us.sentry.io/5",
        "classes.dex",
        EndpointSourceKind::DexString,
    );
    f.scan(
        b"\0wss://o1.ingest.us.sentry.io\0http://schemas.android.com/apk/res/android\0",
        "lib/arm64-v8a/libx.so",
        EndpointSourceKind::NativeLibrary,
    );
    let (eps, capped) = f.finish(&kb());
    assert!(capped.is_none());
    assert_eq!(eps.len(), 1);
    let e = &eps[0];
    assert_eq!(e.host, "o1.ingest.us.sentry.io");
    assert_eq!(e.schemes, ["https", "wss"]);
    assert_eq!(e.region.as_deref(), Some("us"));
    assert_eq!(e.owner.as_ref().map(|o| o.sdk.as_str()), Some("sentry"));
    assert_eq!(
        e.sources
            .iter()
            .map(|s| (s.file.as_str(), s.kind))
            .collect::<Vec<_>>(),
        [
            ("classes.dex", EndpointSourceKind::DexString),
            ("lib/arm64-v8a/libx.so", EndpointSourceKind::NativeLibrary)
        ]
    );
}

#[test]
fn caps_are_said() {
    let mut f = EndpointFinds::default();
    for i in 0..MAX_PER_SOURCE + 5 {
        f.scan(
            format!("https://h{i}.cdn.vendor.io/").as_bytes(),
            "classes.dex",
            EndpointSourceKind::DexString,
        );
    }
    f.scan(
        b"https://h1.cdn.vendor.io/",
        "classes2.dex",
        EndpointSourceKind::DexString,
    );
    let (eps, capped) = f.finish(&kb());
    assert_eq!(eps.len(), MAX_PER_SOURCE);
    let capped = capped.expect("the per-source cap is reported");
    assert!(!capped.total);
    assert_eq!(capped.sources.len(), 1);
    assert_eq!(capped.sources[0].file, "classes.dex");
    // A known host still gains a new source after its first source was capped.
    let h1 = eps.iter().find(|e| e.host == "h1.cdn.vendor.io").unwrap();
    assert_eq!(h1.sources.len(), 2);

    let mut f = EndpointFinds::default();
    for i in 0..MAX_TOTAL + 1 {
        f.scan(
            b"https://h.cdn.vendor.io/",
            &format!("lib{}", i / 200),
            EndpointSourceKind::NativeLibrary,
        );
        f.scan(
            format!("https://h{i}.cdn.vendor.io/").as_bytes(),
            &format!("lib{}", i / 200),
            EndpointSourceKind::NativeLibrary,
        );
    }
    let (eps, capped) = f.finish(&kb());
    assert_eq!(eps.len(), MAX_TOTAL);
    assert!(capped.expect("total cap").total);
}

#[test]
fn manifest_meta_data_and_network_security_config() {
    let mut a = AndroidFacts::default();
    let meta = |v: &str, reference: Option<&str>| MetaValue {
        kind: "string".into(),
        value: Some(v.into()),
        reference: reference.map(str::to_string),
    };
    a.meta_data.insert(
        "io.sentry.dsn".into(),
        meta("https://k@o2.ingest.de.sentry.io/9", None),
    );
    a.meta_data.insert(
        "com.mixpanel.api_host".into(),
        meta("api-eu.mixpanel.com", Some("@string/h")),
    );
    a.meta_data
        .insert("com.example.version".into(), meta("cdn.vendor.io", None));
    a.xml.network_security_config = Some(NetworkSecurityConfig {
        file: "res/xml/nsc.xml".into(),
        domains: vec![NscDomainConfig {
            domains: vec!["*.chat.vendor.io".into(), "localhost".into()],
            ..NscDomainConfig::default()
        }],
        ..NetworkSecurityConfig::default()
    });
    let mut f = EndpointFinds::default();
    f.android_manifest(&a, "");
    let (eps, _) = f.finish(&kb());
    let hosts: Vec<(&str, &str, Option<&str>)> = eps
        .iter()
        .map(|e| {
            (
                e.host.as_str(),
                e.sources[0].file.as_str(),
                e.sources[0].key.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        hosts,
        [
            (
                "api-eu.mixpanel.com",
                "resources.arsc",
                Some("com.mixpanel.api_host")
            ),
            ("chat.vendor.io", "res/xml/nsc.xml", None),
            (
                "o2.ingest.de.sentry.io",
                "AndroidManifest.xml",
                Some("io.sentry.dsn")
            ),
        ]
    );
    assert_eq!(
        eps[0].owner.as_ref().map(|o| o.sdk.as_str()),
        Some("mixpanel")
    );
    assert!(eps[1].schemes.is_empty());
}

#[test]
fn info_plist_values_and_ats_domains() {
    let info = serde_json::json!({
        "CFBundleIdentifier": "com.example.app",
        "ServerURL": "https://api.vendor.io/v2",
        "NSAppTransportSecurity": {"NSExceptionDomains": {"legacy.vendor.io": {"NSIncludesSubdomains": true}}},
        "Links": ["see https://help.vendor.io/faq for help"],
    });
    let mut f = EndpointFinds::default();
    f.info_plist(&info, "Payload/A.app/Info.plist");
    let (eps, _) = f.finish(&kb());
    let got: Vec<(&str, Option<&str>)> = eps
        .iter()
        .map(|e| (e.host.as_str(), e.sources[0].key.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            ("api.vendor.io", Some("ServerURL")),
            ("help.vendor.io", Some("Links[]")),
            (
                "legacy.vendor.io",
                Some("NSAppTransportSecurity.NSExceptionDomains")
            ),
        ]
    );
}

#[test]
fn merge_and_prefix() {
    let mut base = EndpointFinds::default();
    base.scan(
        b"https://a.vendor.io",
        "classes.dex",
        EndpointSourceKind::DexString,
    );
    let mut split = EndpointFinds::default();
    split.scan(
        b"wss://a.vendor.io",
        "classes.dex",
        EndpointSourceKind::DexString,
    );
    split.prefix_files("feature.apk/");
    base.merge(split);
    let (eps, _) = base.finish(&kb());
    assert_eq!(eps.len(), 1);
    assert_eq!(eps[0].schemes, ["https", "wss"]);
    assert_eq!(eps[0].sources[1].file, "feature.apk/classes.dex");
}

#[test]
fn bare_hosts_only_under_host_keys() {
    let mut f = EndpointFinds::default();
    let k = EndpointSourceKind::ManifestMetaData;
    f.value(
        "com.vendor.sdk",
        "AndroidManifest.xml",
        k,
        "com.vendor.sdk.package",
    );
    f.value(
        "cdn.vendor.io",
        "AndroidManifest.xml",
        k,
        "com.vendor.API_HOST",
    );
    f.value(
        "key@o3.ingest.sentry.io",
        "AndroidManifest.xml",
        k,
        "x.note",
    );
    f.value(
        "see https://docs.vendor.io",
        "AndroidManifest.xml",
        k,
        "x.note",
    );
    let (eps, _) = f.finish(&kb());
    let hosts: Vec<&str> = eps.iter().map(|e| e.host.as_str()).collect();
    assert_eq!(hosts, ["cdn.vendor.io", "docs.vendor.io"]);
}
