//! SDK knowledge base and detection: the built-in `checks/sdks.toml`, prefix
//! matching, every collection-default rule (Android and iOS), and the Android
//! sample apps checked against the real tools (aapt, apksigner, dexdump).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::run_msgaudit;
use msgaudit::extract::sdks::rules::nsstring_bool_value;
use msgaudit::extract::sdks::{KnowledgeBase, Platform, SdkInput, BUILTIN_TOML};
use msgaudit::facts::{CollectionDefault, MetaValue, SdkCategory, SdkHit};

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

fn boolean(v: bool) -> MetaValue {
    MetaValue {
        kind: "boolean".into(),
        value: Some(v.to_string()),
        reference: None,
    }
}

fn string(v: &str) -> MetaValue {
    MetaValue {
        kind: "string".into(),
        value: Some(v.into()),
        reference: None,
    }
}

/// Everything a test input owns; `input()` borrows it as an [`SdkInput`].
#[derive(Default)]
struct Owned {
    platform: Platform,
    classes: Vec<String>,
    native_libs: Vec<String>,
    components: Vec<String>,
    permissions: Vec<String>,
    frameworks: Vec<String>,
    linked: Vec<String>,
    symbols: Vec<String>,
    strings: Vec<String>,
    switches: BTreeMap<String, MetaValue>,
}

impl Owned {
    fn android(classes: &[&str]) -> Self {
        Owned {
            platform: Platform::Android,
            classes: classes.iter().map(|s| s.to_string()).collect(),
            ..Owned::default()
        }
    }

    fn ios() -> Self {
        Owned {
            platform: Platform::Ios,
            ..Owned::default()
        }
    }

    fn switch(mut self, key: &str, v: MetaValue) -> Self {
        self.switches.insert(key.into(), v);
        self
    }

    fn component(mut self, c: &str) -> Self {
        self.components.push(c.into());
        self
    }

    fn input(&self) -> SdkInput<'_> {
        SdkInput {
            platform: self.platform,
            class_names: &self.classes,
            native_libs: self.native_libs.iter().map(String::as_str).collect(),
            components: self.components.iter().map(String::as_str).collect(),
            permissions: self.permissions.iter().map(String::as_str).collect(),
            frameworks: self.frameworks.iter().map(String::as_str).collect(),
            linked: self.linked.iter().map(String::as_str).collect(),
            symbols: &self.symbols,
            strings: &self.strings,
            binary: None,
            switches: self.switches.clone(),
        }
    }

    fn detect(&self) -> Vec<SdkHit> {
        KnowledgeBase::builtin().detect(&self.input())
    }

    fn hit(&self, id: &str) -> SdkHit {
        let hits = self.detect();
        hits.iter()
            .find(|h| h.id == id)
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "{id} not detected; hits: {:?}",
                    hits.iter().map(|h| &h.id).collect::<Vec<_>>()
                )
            })
    }
}

fn outcome(hit: &SdkHit) -> (CollectionDefault, String) {
    (
        hit.collection_default.expect("collection_default set"),
        hit.switch.clone().expect("switch text set"),
    )
}

const CRASHLYTICS: &str = "com.google.firebase.crashlytics.FirebaseCrashlytics";
const CL_KEY: &str = "firebase_crashlytics_collection_enabled";
const FB_GLOBAL: &str = "firebase_data_collection_default_enabled";

fn crashlytics() -> Owned {
    Owned::android(&[
        CRASHLYTICS,
        "com.google.firebase.crashlytics.internal.common.DataCollectionArbiter",
    ])
}

// ---------------------------------------------------------------------------
// the built-in knowledge base
// ---------------------------------------------------------------------------

#[test]
fn builtin_knowledge_base_is_valid() {
    let kb = KnowledgeBase::from_toml(BUILTIN_TOML, "checks/sdks.toml")
        .expect("built-in KB parses and validates");
    assert!(
        kb.len() >= 60,
        "expected a broad KB, got {} entries",
        kb.len()
    );
    let ids = kb.ids();
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique");
    for (id, cat) in [
        ("firebase-crashlytics", SdkCategory::CrashReporting),
        ("sentry", SdkCategory::CrashReporting),
        ("bugsnag", SdkCategory::CrashReporting),
        ("acra", SdkCategory::CrashReporting),
        ("firebase-analytics", SdkCategory::Analytics),
        ("facebook-sdk", SdkCategory::Analytics),
        ("google-mobile-ads", SdkCategory::Advertising),
        ("libsignal", SdkCategory::E2eCrypto),
        ("olm", SdkCategory::E2eCrypto),
        ("matrix-sdk-crypto", SdkCategory::E2eCrypto),
        ("libsodium", SdkCategory::E2eCrypto),
        ("sqlcipher", SdkCategory::StorageEncryption),
        ("jetpack-security", SdkCategory::StorageEncryption),
        ("realm", SdkCategory::StorageEncryption),
        ("tink", SdkCategory::StorageEncryption),
        ("androidx-biometric", SdkCategory::Biometrics),
        ("ios-local-authentication", SdkCategory::Biometrics),
        ("okhttp-certificate-pinner", SdkCategory::CertificatePinning),
        ("trustkit", SdkCategory::CertificatePinning),
        ("firebase-messaging", SdkCategory::Push),
        ("unifiedpush", SdkCategory::Push),
    ] {
        assert_eq!(kb.category(id), Some(cat), "{id}");
    }
}

#[test]
fn knowledge_base_rejects_invalid_entries() {
    let head = "version = 1\n";
    let sentry = "[[sdk]]\nid = \"x\"\nname = \"X\"\ncategory = \"crash_reporting\"\nandroid.class_prefixes = [\"x.\"]\n";
    let cases: [(&str, String, &str); 7] = [
        ("duplicate id", format!("{head}{sentry}{sentry}"), "duplicate id"),
        (
            "unknown category",
            format!("{head}[[sdk]]\nid = \"x\"\nname = \"X\"\ncategory = \"telemetry\"\nandroid.class_prefixes = [\"x.\"]\n"),
            "telemetry",
        ),
        (
            "no matcher",
            format!("{head}[[sdk]]\nid = \"x\"\nname = \"X\"\ncategory = \"other\"\n"),
            "no matcher",
        ),
        (
            "misspelt matcher field",
            format!("{head}[[sdk]]\nid = \"x\"\nname = \"X\"\ncategory = \"other\"\nandroid.class_prefix = [\"x.\"]\n"),
            "class_prefix",
        ),
        (
            "key without read",
            format!("{head}{sentry}[sdk.collection.android]\ndefault = \"enabled\"\ndefault_reason = \"r\"\ndefault_reason_de = \"r\"\nsteps = [{{ key = \"k\", if_true = \"enabled\" }}]\n"),
            "needs `read`",
        ),
        (
            "Android read on iOS",
            format!("{head}{sentry}[sdk.collection.ios]\ndefault = \"enabled\"\ndefault_reason = \"r\"\ndefault_reason_de = \"r\"\nsteps = [{{ key = \"k\", read = \"bool_default_true\", if_true = \"enabled\" }}]\n"),
            "bool_objc",
        ),
        ("wrong version", "version = 2\n".to_string(), "version 2"),
    ];
    for (what, text, needle) in cases {
        let err = KnowledgeBase::from_toml(&text, "test.toml")
            .expect_err(what)
            .to_string();
        assert!(
            err.contains(needle),
            "{what}: error {err:?} should mention {needle:?}"
        );
        assert!(
            err.contains("test.toml"),
            "{what}: error names the file: {err}"
        );
    }
}

#[test]
fn knowledge_base_refuses_oversized_and_empty_step_values() {
    let huge = format!("version = 1\n# {}\n", "x".repeat(5 * 1024 * 1024));
    let err = KnowledgeBase::from_toml(&huge, "huge.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than the limit"), "{err}");

    let empty_prefix =
        "version = 1\n[[sdk]]\nid = \"x\"\nname = \"X\"\ncategory = \"crash_reporting\"\n\
        android.class_prefixes = [\"x.\"]\n[sdk.collection.android]\ndefault = \"unknown\"\n\
        default_reason = \"r\"\ndefault_reason_de = \"r\"\nsteps = [{ class_prefix = \"\", if_true = \"disabled\" }]\n";
    let err = KnowledgeBase::from_toml(empty_prefix, "e.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("empty key, component or class_prefix"),
        "{err}"
    );
}

#[test]
fn notable_strings_are_the_union_of_string_matchers() {
    let strings = KnowledgeBase::builtin().notable_strings();
    for s in [
        "AndroidKeyStore",
        "setUserAuthenticationRequired",
        "setIsStrongBoxBacked",
        "NSURLIsExcludedFromBackupKey",
        "com.apple.configuration.managed",
        "kSecAttrTokenIDSecureEnclave",
    ] {
        assert!(
            strings.iter().any(|x| x == s),
            "{s} missing from notable strings"
        );
    }
    let mut sorted = strings.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, strings, "sorted and without duplicates");
}

#[test]
fn user_override_replaces_and_adds_entries() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sdks.toml"),
        r#"version = 1
[[strings]]
value = "MyInHouseSecret"

[[sdk]]
id = "sentry"
name = "Sentry (self-hosted)"
category = "crash_reporting"
android.class_prefixes = ["io.sentry."]

[[sdk]]
id = "inhouse-crash"
name = "In-house crash reporter"
category = "crash_reporting"
android.class_prefixes = ["com.example.crash."]
"#,
    )
    .unwrap();
    let kb = KnowledgeBase::load_dir_override(dir.path()).unwrap();
    assert_eq!(kb.len(), KnowledgeBase::builtin().len() + 1);
    assert!(kb.notable_strings().iter().any(|s| s == "MyInHouseSecret"));
    let owned = Owned::android(&["io.sentry.Sentry", "com.example.crash.Reporter"]);
    let hits = kb.detect(&owned.input());
    let sentry = hits.iter().find(|h| h.id == "sentry").unwrap();
    assert_eq!(sentry.name, "Sentry (self-hosted)");
    // the replacement has no collection rule: unknown
    assert_eq!(sentry.collection_default, Some(CollectionDefault::Unknown));
    assert!(hits.iter().any(|h| h.id == "inhouse-crash"));

    // no sdks.toml in the directory: the built-in KB
    let empty = tempfile::tempdir().unwrap();
    assert_eq!(
        KnowledgeBase::load_dir_override(empty.path())
            .unwrap()
            .len(),
        KnowledgeBase::builtin().len()
    );

    // a broken override is an error naming the file
    std::fs::write(
        empty.path().join("sdks.toml"),
        "version = 1\n[[sdk]]\nid = \n",
    )
    .unwrap();
    let err = KnowledgeBase::load_dir_override(empty.path())
        .unwrap_err()
        .to_string();
    assert!(err.contains("sdks.toml"), "{err}");
}

// ---------------------------------------------------------------------------
// matching
// ---------------------------------------------------------------------------

#[test]
fn class_prefix_matches_package_not_sibling() {
    let sibling = Owned::android(&["io.sentryx.Foo", "io.sentry", "io.sentryfoo.Bar"]);
    assert!(
        !sibling.detect().iter().any(|h| h.id == "sentry"),
        "io.sentryx. and a class named io.sentry are not the Sentry package"
    );

    let real = Owned::android(&[
        "io.sentry.Sentry",
        "io.sentry.android.core.SentryAndroid",
        "io.sentryx.Foo",
    ]);
    let hit = real.hit("sentry");
    assert_eq!(hit.category, SdkCategory::CrashReporting);
    let ev = hit
        .evidence
        .iter()
        .find(|e| e.kind == "class_prefix")
        .unwrap();
    assert_eq!(ev.value, "io.sentry. (2 classes)");
}

#[test]
fn sorted_index_and_name_helpers() {
    use msgaudit::extract::sdks::matcher::{dylib_name, file_name, normalize_symbol, SortedIndex};
    let names = [
        "io.sentry.b",
        "io.sentry",
        "io.sentryx.A",
        "io.sentry.a",
        "io.sentry.b",
        "zz",
        "a",
    ];
    let idx = SortedIndex::new(names);
    assert_eq!(idx.len(), 6, "duplicates removed");
    assert_eq!(
        idx.with_prefix("io.sentry."),
        ["io.sentry.a", "io.sentry.b"]
    );
    assert_eq!(idx.count_prefix("io.sentry"), 4);
    assert_eq!(idx.count_prefix("zzz"), 0);
    assert_eq!(idx.count_prefix("0"), 0);
    assert!(idx.contains("io.sentry") && !idx.contains("io.sentry."));
    assert!(SortedIndex::new([]).is_empty());

    assert_eq!(normalize_symbol("_OBJC_CLASS_$_LAContext"), "LAContext");
    assert_eq!(normalize_symbol("_OBJC_METACLASS_$_SentrySDK"), "SentrySDK");
    assert_eq!(normalize_symbol("_sqlite3_key"), "sqlite3_key");
    assert_eq!(normalize_symbol("plain"), "plain");
    assert_eq!(dylib_name("@rpath/Sentry.framework/Sentry"), "Sentry");
    assert_eq!(dylib_name("/usr/lib/libsqlite3.dylib"), "libsqlite3");
    assert_eq!(dylib_name("/usr/lib/libz.1.tbd"), "libz.1");
    assert_eq!(file_name("lib/arm64-v8a/libsentry.so"), "libsentry.so");
    assert_eq!(file_name("libsentry.so"), "libsentry.so");
}

#[test]
fn ad_id_client_is_not_an_ad_sdk() {
    let owned = Owned::android(&["com.google.android.gms.ads.identifier.AdvertisingIdClient"]);
    let hits = owned.detect();
    assert!(
        !hits.iter().any(|h| h.id == "google-mobile-ads"),
        "{hits:?}"
    );
    let client = owned.hit("google-ad-id-client");
    assert_eq!(client.category, SdkCategory::Other);

    let ads = Owned::android(&[
        "com.google.android.gms.ads.MobileAds",
        "com.google.android.gms.ads.AdRequest$Builder",
    ]);
    assert_eq!(
        ads.hit("google-mobile-ads").category,
        SdkCategory::Advertising
    );
}

#[test]
fn prefix_matching_scales_to_100k_classes() {
    let mut classes: Vec<String> = (0..100_000)
        .map(|i| format!("com.example.app.p{}.C{i}", i % 997))
        .collect();
    classes.extend((0..1234).map(|i| format!("io.sentry.internal.K{i}")));
    classes.extend((0..10).map(|i| format!("org.signal.libsignal.protocol.X{i}")));
    let owned = Owned {
        classes,
        ..Owned::android(&[])
    };
    let input = owned.input();
    let kb = KnowledgeBase::builtin();
    let start = std::time::Instant::now();
    let hits = kb.detect(&input);
    let elapsed = start.elapsed();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["sentry", "libsignal"]);
    assert_eq!(hits[0].evidence[0].value, "io.sentry. (1234 classes)");
    // sort + binary search: well under a second even unoptimised on a loaded machine
    assert!(elapsed.as_secs() < 5, "detect took {elapsed:?}");
}

#[test]
fn android_evidence_kinds() {
    let mut owned = Owned::android(&["org.signal.libsignal.protocol.IdentityKeyPair"]);
    owned.native_libs = vec![
        "lib/arm64-v8a/libsqlcipher.so".into(),
        "libsignal_jni.so".into(),
    ];
    owned.permissions = vec!["android.permission.USE_BIOMETRIC".into()];
    owned.strings = vec![
        "AndroidKeyStore".into(),
        "setUserAuthenticationRequired".into(),
    ];
    let owned = owned
        .component("com.google.firebase.messaging.FirebaseMessagingService")
        .switch(
            "com.google.android.gms.ads.APPLICATION_ID",
            string("ca-app-pub-0~1"),
        );

    let signal = owned.hit("libsignal");
    let kinds: Vec<&str> = signal.evidence.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["class_prefix", "native_lib"]);
    assert_eq!(signal.collection_default, None, "not a collecting SDK");

    let sqlcipher = owned.hit("sqlcipher");
    assert_eq!(sqlcipher.evidence[0].kind, "native_lib");
    assert_eq!(
        sqlcipher.evidence[0].location.as_deref(),
        Some("lib/arm64-v8a/libsqlcipher.so")
    );

    let bio = owned.hit("android-biometric-platform");
    let values: Vec<&str> = bio.evidence.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(
        values,
        [
            "android.permission.USE_BIOMETRIC",
            "setUserAuthenticationRequired"
        ]
    );

    assert_eq!(owned.hit("android-keystore").evidence[0].kind, "string");
    assert_eq!(
        owned.hit("firebase-messaging").evidence[0].kind,
        "manifest_component"
    );
    let ads = owned.hit("google-mobile-ads");
    assert_eq!(ads.evidence[0].kind, "meta_data");
    assert_eq!(
        ads.evidence[0].value,
        "com.google.android.gms.ads.APPLICATION_ID = ca-app-pub-0~1"
    );
}

#[test]
fn ios_evidence_kinds() {
    let mut owned = Owned::ios();
    owned.frameworks = vec!["FirebaseCrashlytics".into(), "Sentry.framework".into()];
    owned.linked = vec![
        "/System/Library/Frameworks/LocalAuthentication.framework/LocalAuthentication".into(),
        "@rpath/Sentry.framework/Sentry".into(),
    ];
    owned.symbols = vec![
        "_OBJC_CLASS_$_LAContext".into(),
        "_sqlite3_key".into(),
        "_sqlite3_open".into(),
    ];
    owned.classes = vec!["SentrySDK".into(), "SentryCrashReporter".into()];
    let owned = owned
        .switch("bugsnag.apiKey", string("abc"))
        .switch("bugsnag-other", string("x"))
        .switch("NSFaceIDUsageDescription", string("Unlock"));

    let la = owned.hit("ios-local-authentication");
    let kinds: Vec<&str> = la.evidence.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["dylib", "symbol", "plist_key"]);

    assert_eq!(owned.hit("sqlcipher").evidence[0].value, "sqlite3_key");
    let sentry = owned.hit("sentry");
    let kinds: Vec<&str> = sentry.evidence.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["framework", "class_prefix", "class_prefix"]);
    // Sentry Cocoa has no Info.plist switch: unknown
    assert_eq!(sentry.collection_default, Some(CollectionDefault::Unknown));

    let bugsnag = owned.hit("bugsnag");
    assert_eq!(bugsnag.evidence[0].kind, "plist_key");
    assert_eq!(bugsnag.evidence[0].value, "bugsnag.apiKey");

    // Android matchers do not fire on iOS input and vice versa
    assert!(!owned
        .detect()
        .iter()
        .any(|h| h.id == "android-biometric-platform"));
}

// ---------------------------------------------------------------------------
// collection defaults: Firebase Crashlytics (Android)
// ---------------------------------------------------------------------------

#[test]
fn crashlytics_android_switch_absent_is_enabled() {
    let (o, text) = outcome(&crashlytics().hit("firebase-crashlytics"));
    assert_eq!(o, CollectionDefault::Enabled);
    assert!(
        text.contains("firebase_crashlytics_collection_enabled absent"),
        "{text}"
    );
    assert!(
        text.contains("firebase_data_collection_default_enabled absent"),
        "{text}"
    );
}

#[test]
fn crashlytics_android_switch_true_and_false() {
    let (o, text) = outcome(
        &crashlytics()
            .switch(CL_KEY, boolean(true))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Enabled);
    assert_eq!(
        text,
        "firebase_crashlytics_collection_enabled = true (boolean, manifest meta-data)"
    );

    let (o, text) = outcome(
        &crashlytics()
            .switch(CL_KEY, boolean(false))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Disabled);
    assert_eq!(
        text,
        "firebase_crashlytics_collection_enabled = false (boolean, manifest meta-data)"
    );
}

#[test]
fn crashlytics_android_mistyped_string_reads_as_false() {
    // Bundle.getBoolean(key) on a String returns false — even for "true".
    for raw in ["false", "true", "0"] {
        let (o, text) = outcome(
            &crashlytics()
                .switch(CL_KEY, string(raw))
                .hit("firebase-crashlytics"),
        );
        assert_eq!(o, CollectionDefault::Disabled, "string {raw:?}");
        assert!(text.contains("mistyped"), "{text}");
        assert!(
            text.contains(&format!("= \"{raw}\" (string, manifest meta-data)")),
            "{text}"
        );
    }
}

#[test]
fn crashlytics_android_bool_resource_is_resolved() {
    let v = MetaValue {
        kind: "boolean".into(),
        value: Some("false".into()),
        reference: Some("@bool/crash_on".into()),
    };
    let (o, text) = outcome(&crashlytics().switch(CL_KEY, v).hit("firebase-crashlytics"));
    assert_eq!(o, CollectionDefault::Disabled);
    assert_eq!(
        text,
        "firebase_crashlytics_collection_enabled = false (boolean via @bool/crash_on, manifest meta-data)"
    );
}

#[test]
fn crashlytics_android_global_fallback() {
    let (o, text) = outcome(
        &crashlytics()
            .switch(FB_GLOBAL, boolean(false))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(
        text.starts_with("firebase_crashlytics_collection_enabled absent; "),
        "{text}"
    );
    assert!(
        text.contains("firebase_data_collection_default_enabled = false (boolean"),
        "{text}"
    );

    // the Crashlytics key wins over the global one
    let (o, _) = outcome(
        &crashlytics()
            .switch(FB_GLOBAL, boolean(false))
            .switch(CL_KEY, boolean(true))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Enabled);
}

// ---------------------------------------------------------------------------
// Firebase Crashlytics (iOS)
// ---------------------------------------------------------------------------

fn crashlytics_ios() -> Owned {
    let mut o = Owned::ios();
    o.frameworks = vec!["FirebaseCrashlytics".into()];
    o
}

#[test]
fn crashlytics_ios_rules() {
    let key = "FirebaseCrashlyticsCollectionEnabled";
    let global = "FirebaseDataCollectionDefaultEnabled";

    let (o, text) = outcome(&crashlytics_ios().hit("firebase-crashlytics"));
    assert_eq!(o, CollectionDefault::Enabled);
    assert!(
        text.contains("FirebaseCrashlyticsCollectionEnabled absent"),
        "{text}"
    );

    let (o, text) = outcome(
        &crashlytics_ios()
            .switch(key, boolean(true))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Enabled);
    assert_eq!(
        text,
        "FirebaseCrashlyticsCollectionEnabled = true (boolean, Info.plist)"
    );

    let (o, _) = outcome(
        &crashlytics_ios()
            .switch(key, boolean(false))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Disabled);

    // a string in the plist is read with -[NSString boolValue]
    let (o, text) = outcome(
        &crashlytics_ios()
            .switch(key, string("NO"))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(text.contains("mistyped"), "{text}");
    let (o, _) = outcome(
        &crashlytics_ios()
            .switch(key, string("YES"))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Enabled);

    let (o, text) = outcome(
        &crashlytics_ios()
            .switch(global, boolean(false))
            .hit("firebase-crashlytics"),
    );
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(
        text.contains("FirebaseDataCollectionDefaultEnabled = false (boolean, Info.plist)"),
        "{text}"
    );
}

#[test]
fn nsstring_bool_value_semantics() {
    for t in ["YES", "yes", "true", "T", "1", "  9", "+1", "0001", "Yikes"] {
        assert!(nsstring_bool_value(t), "{t:?}");
    }
    for f in ["NO", "false", "0", "", "  ", "-0", "n", "off", "on"] {
        assert!(!nsstring_bool_value(f), "{f:?}");
    }
}

// ---------------------------------------------------------------------------
// Sentry (Android)
// ---------------------------------------------------------------------------

const SENTRY_PROVIDER: &str = "io.sentry.android.core.SentryInitProvider";
const DSN: &str = "https://0123@o0.ingest.de.sentry.io/0";

fn sentry() -> Owned {
    Owned::android(&["io.sentry.Sentry"])
        .component(SENTRY_PROVIDER)
        .switch("io.sentry.dsn", string(DSN))
}

#[test]
fn sentry_provider_with_dsn_is_enabled() {
    let (o, text) = outcome(&sentry().hit("sentry"));
    assert_eq!(o, CollectionDefault::Enabled);
    assert!(
        text.contains(&format!(
            "io.sentry.dsn = \"{DSN}\" (string, manifest meta-data)"
        )),
        "{text}"
    );
    assert!(
        text.contains("io.sentry.auto-init absent: default true"),
        "{text}"
    );
    assert!(
        text.contains("io.sentry.enabled absent: default true"),
        "{text}"
    );
}

#[test]
fn sentry_unknown_cases() {
    // no provider (removed with tools:node="remove"): initialised in code
    let no_provider = Owned::android(&["io.sentry.Sentry"]).switch("io.sentry.dsn", string(DSN));
    let (o, text) = outcome(&no_provider.hit("sentry"));
    assert_eq!(o, CollectionDefault::Unknown);
    assert!(text.contains("not in the manifest"), "{text}");

    // no DSN
    let no_dsn = Owned::android(&["io.sentry.Sentry"]).component(SENTRY_PROVIDER);
    assert_eq!(outcome(&no_dsn.hit("sentry")).0, CollectionDefault::Unknown);
    let empty_dsn = Owned::android(&["io.sentry.Sentry"])
        .component(SENTRY_PROVIDER)
        .switch("io.sentry.dsn", string(""));
    assert_eq!(
        outcome(&empty_dsn.hit("sentry")).0,
        CollectionDefault::Unknown
    );

    // auto-init off
    let (o, text) = outcome(
        &sentry()
            .switch("io.sentry.auto-init", boolean(false))
            .hit("sentry"),
    );
    assert_eq!(o, CollectionDefault::Unknown);
    assert!(
        text.contains("io.sentry.auto-init = false (boolean, manifest meta-data)"),
        "{text}"
    );
}

#[test]
fn sentry_mistyped_auto_init_stays_on() {
    // getBoolean(key, true) on a String returns the default true
    let (o, text) = outcome(
        &sentry()
            .switch("io.sentry.auto-init", string("false"))
            .hit("sentry"),
    );
    assert_eq!(o, CollectionDefault::Enabled);
    assert!(text.contains("mistyped"), "{text}");
}

#[test]
fn sentry_disabled_switch() {
    let (o, text) = outcome(
        &sentry()
            .switch("io.sentry.enabled", boolean(false))
            .hit("sentry"),
    );
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(text.contains("io.sentry.enabled = false"), "{text}");
}

// ---------------------------------------------------------------------------
// Bugsnag, ACRA, SDKs initialised in code
// ---------------------------------------------------------------------------

#[test]
fn bugsnag_rules() {
    let base = || Owned::android(&["com.bugsnag.android.Bugsnag"]);
    let (o, text) = outcome(&base().hit("bugsnag"));
    assert_eq!(o, CollectionDefault::Unknown);
    assert!(text.contains("Bugsnag.start"), "{text}");

    let off = base().switch("com.bugsnag.android.AUTO_DETECT_ERRORS", boolean(false));
    assert_eq!(outcome(&off.hit("bugsnag")).0, CollectionDefault::Disabled);

    let on = base().switch("com.bugsnag.android.AUTO_DETECT_ERRORS", boolean(true));
    assert_eq!(outcome(&on.hit("bugsnag")).0, CollectionDefault::Unknown);

    // iOS: the `bugsnag` Info.plist dictionary, flattened
    let mut ios = Owned::ios();
    ios.frameworks = vec!["Bugsnag".into()];
    let ios = ios.switch("bugsnag.autoDetectErrors", boolean(false));
    let (o, text) = outcome(&ios.hit("bugsnag"));
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(
        text.contains("bugsnag.autoDetectErrors = false (boolean, Info.plist)"),
        "{text}"
    );
}

#[test]
fn acra_dialog_means_opt_in_per_report() {
    let plain = Owned::android(&["org.acra.ACRA", "org.acra.config.CoreConfigurationBuilder"]);
    assert_eq!(outcome(&plain.hit("acra")).0, CollectionDefault::Unknown);
    let dialog = Owned::android(&["org.acra.ACRA", "org.acra.dialog.CrashReportDialog"]);
    let (o, text) = outcome(&dialog.hit("acra"));
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(text.contains("org.acra.dialog.CrashReportDialog"), "{text}");
}

#[test]
fn sdks_initialised_in_code_are_unknown() {
    let owned = Owned::android(&[
        "com.instabug.library.Instabug",
        "com.microsoft.appcenter.crashes.Crashes",
    ]);
    for id in ["instabug", "appcenter-crashes"] {
        let (o, text) = outcome(&owned.hit(id));
        assert_eq!(o, CollectionDefault::Unknown, "{id}");
        assert!(text.contains("initialised in code"), "{text}");
    }
}

// ---------------------------------------------------------------------------
// Firebase Analytics, Facebook
// ---------------------------------------------------------------------------

#[test]
fn firebase_analytics_rules() {
    let base = || Owned::android(&["com.google.firebase.analytics.FirebaseAnalytics"]);
    assert_eq!(
        outcome(&base().hit("firebase-analytics")).0,
        CollectionDefault::Enabled
    );

    let deactivated = base()
        .switch("firebase_analytics_collection_deactivated", boolean(true))
        .switch("firebase_analytics_collection_enabled", boolean(true));
    let (o, text) = outcome(&deactivated.hit("firebase-analytics"));
    assert_eq!(o, CollectionDefault::Disabled);
    assert!(text.contains("permanently deactivated"), "{text}");

    let off = base().switch("firebase_analytics_collection_enabled", boolean(false));
    assert_eq!(
        outcome(&off.hit("firebase-analytics")).0,
        CollectionDefault::Disabled
    );

    let global_off = base().switch(FB_GLOBAL, boolean(false));
    assert_eq!(
        outcome(&global_off.hit("firebase-analytics")).0,
        CollectionDefault::Disabled
    );

    let mut ios = Owned::ios();
    ios.frameworks = vec!["FirebaseAnalytics".into()];
    assert_eq!(
        outcome(&ios.hit("firebase-analytics")).0,
        CollectionDefault::Enabled
    );
    let ios = ios.switch("FIREBASE_ANALYTICS_COLLECTION_ENABLED", boolean(false));
    assert_eq!(
        outcome(&ios.hit("firebase-analytics")).0,
        CollectionDefault::Disabled
    );
}

#[test]
fn facebook_app_events_rules() {
    let base = || Owned::android(&["com.facebook.appevents.AppEventsLogger"]);
    let (o, text) = outcome(&base().hit("facebook-sdk"));
    assert_eq!(o, CollectionDefault::Enabled);
    assert!(
        text.contains("com.facebook.sdk.AutoLogAppEventsEnabled absent: default true"),
        "{text}"
    );

    let off = base().switch("com.facebook.sdk.AutoLogAppEventsEnabled", boolean(false));
    assert_eq!(
        outcome(&off.hit("facebook-sdk")).0,
        CollectionDefault::Disabled
    );

    let no_auto_init = base().switch("com.facebook.sdk.AutoInitEnabled", boolean(false));
    assert_eq!(
        outcome(&no_auto_init.hit("facebook-sdk")).0,
        CollectionDefault::Unknown
    );

    let mut ios = Owned::ios();
    ios.frameworks = vec!["FBSDKCoreKit".into()];
    let ios = ios.switch("FacebookAutoLogAppEventsEnabled", boolean(false));
    assert_eq!(
        outcome(&ios.hit("facebook-sdk")).0,
        CollectionDefault::Disabled
    );
}

#[test]
fn long_switch_values_are_truncated() {
    let long = "x".repeat(10_000);
    let (_, text) = outcome(
        &sentry()
            .switch("io.sentry.dsn", string(&long))
            .hit("sentry"),
    );
    assert!(
        text.len() < 1000,
        "switch text is bounded, got {} bytes",
        text.len()
    );
}

// ---------------------------------------------------------------------------
// Android sample apps, checked with the real tools
// ---------------------------------------------------------------------------

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/android/out")
        .join(name)
}

fn tool(name: &str) -> bool {
    let found = Command::new(name)
        .arg("--version")
        .output()
        .or_else(|_| Command::new(name).output())
        .is_ok();
    if !found {
        eprintln!("skipping: {name} not on PATH");
    }
    found
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd}: {e}"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn badging(apk: &str) -> String {
    run("aapt", &["dump", "badging", sample(apk).to_str().unwrap()])
}

fn permissions(badging: &str) -> Vec<String> {
    badging
        .lines()
        .filter_map(|l| l.strip_prefix("uses-permission: name='"))
        .filter_map(|l| l.split('\'').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn sample_apks_have_intended_identity_and_permissions() {
    if !tool("aapt") {
        return;
    }
    let b = badging("securechat-1.0.apk");
    assert!(
        b.contains("package: name='org.example.securechat' versionCode='1' versionName='1.0'"),
        "{b}"
    );
    assert!(
        b.contains("sdkVersion:'26'") && b.contains("targetSdkVersion:'34'"),
        "{b}"
    );
    assert_eq!(
        permissions(&b),
        [
            "android.permission.INTERNET",
            "android.permission.USE_BIOMETRIC",
            "android.permission.POST_NOTIFICATIONS"
        ]
    );

    let b = badging("securechat-1.1.apk");
    assert!(
        b.contains("package: name='org.example.securechat' versionCode='2' versionName='1.1'"),
        "{b}"
    );

    let b = badging("leakychat-2.3.apk");
    assert!(
        b.contains("package: name='org.example.leakychat' versionCode='230' versionName='2.3'"),
        "{b}"
    );
    let perms = permissions(&b);
    for p in [
        "android.permission.READ_CONTACTS",
        "android.permission.WRITE_CONTACTS",
        "android.permission.ACCESS_BACKGROUND_LOCATION",
        "com.google.android.gms.permission.AD_ID",
    ] {
        assert!(perms.iter().any(|x| x == p), "{p} missing in {perms:?}");
    }
}

#[test]
fn sample_apk_manifests_carry_the_intended_switches() {
    if !tool("aapt") {
        return;
    }
    let tree = |apk: &str| {
        run(
            "aapt",
            &[
                "dump",
                "xmltree",
                sample(apk).to_str().unwrap(),
                "AndroidManifest.xml",
            ],
        )
    };
    let sc = tree("securechat-1.0.apk");
    assert!(
        sc.contains("android:allowBackup(0x01010280)=(type 0x12)0x0"),
        "{sc}"
    );
    assert!(
        sc.contains("android:dataExtractionRules(0x0101063e)=@"),
        "{sc}"
    );
    assert!(
        sc.contains("android:networkSecurityConfig(0x01010527)=@"),
        "{sc}"
    );
    assert!(!sc.contains("sentry"), "1.0 has no crash reporter");

    let sc11 = tree("securechat-1.1.apk");
    assert!(
        sc11.contains("\"io.sentry.android.core.SentryInitProvider\""),
        "{sc11}"
    );
    assert!(sc11.contains("o0.ingest.de.sentry.io"), "{sc11}");

    let lc = tree("leakychat-2.3.apk");
    assert!(
        lc.contains("android:allowBackup(0x01010280)=(type 0x12)0xffffffff"),
        "{lc}"
    );
    assert!(
        lc.contains("\"firebase_crashlytics_collection_enabled\""),
        "{lc}"
    );
    assert!(
        lc.contains("android:foregroundServiceType(0x01010599)=(type 0x11)0x8"),
        "{lc}"
    );
}

/// The bytes of one entry of a sample APK.
fn sample_entry(apk: &str, entry: &str) -> Vec<u8> {
    let bytes = std::fs::read(sample(apk)).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut data = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(entry).unwrap(), &mut data).unwrap();
    data
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

#[test]
fn sample_dex_string_tables_hold_the_intended_constants() {
    let sc = sample_entry("securechat-1.0.apk", "classes.dex");
    for s in ["AndroidKeyStore", "setUserAuthenticationRequired"] {
        assert!(contains(&sc, s), "securechat DEX lacks {s}");
        assert!(KnowledgeBase::builtin()
            .notable_strings()
            .iter()
            .any(|n| n == s));
    }
    assert!(!contains(&sc, "http://"), "securechat has no cleartext URL");
    let lc = sample_entry("leakychat-2.3.apk", "classes.dex");
    assert!(contains(&lc, "http://api.leakychat.example/v1/sync"));
    assert!(!contains(&lc, "AndroidKeyStore"));
}

#[test]
fn sample_apks_are_signed_v1_v2_v3() {
    if !tool("apksigner") {
        return;
    }
    for apk in [
        "securechat-1.0.apk",
        "securechat-1.1.apk",
        "leakychat-2.3.apk",
    ] {
        let path = sample(apk);
        // --min-sdk-version 21 makes apksigner check the v1 signature too
        // (it skips v1 for apps whose minSdk is 24 or higher).
        let out = run(
            "apksigner",
            &[
                "verify",
                "-v",
                "--min-sdk-version",
                "21",
                path.to_str().unwrap(),
            ],
        );
        for scheme in [
            "v1 scheme (JAR signing): true",
            "v2 scheme (APK Signature Scheme v2): true",
            "v3 scheme (APK Signature Scheme v3): true",
        ] {
            assert!(out.contains(scheme), "{apk}: {scheme} not in {out}");
        }
    }
}

/// Class names of every `classes*.dex` of an APK, read with the real `dexdump`.
fn apk_dex_classes(apk: &Path) -> Vec<String> {
    let bytes = std::fs::read(apk).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut classes = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !(name.starts_with("classes") && name.ends_with(".dex") && !name.contains('/')) {
            continue;
        }
        let mut dex = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut dex).unwrap();
        let path = dir.path().join(&name);
        std::fs::write(&path, dex).unwrap();
        let out = run("dexdump", &[path.to_str().unwrap()]);
        classes.extend(
            out.lines()
                .filter_map(|l| l.trim().strip_prefix("Class descriptor  : 'L"))
                .filter_map(|l| l.strip_suffix(";'"))
                .map(|l| l.replace('/', ".")),
        );
    }
    classes
}

fn dex_classes(apk: &str) -> Option<Vec<String>> {
    if !tool("dexdump") {
        return None;
    }
    Some(apk_dex_classes(&sample(apk)))
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: corpus not found at {} (set MSGAUDIT_CORPUS)",
            dir.display()
        );
        None
    }
}

/// Real third-party APKs: class names from `dexdump`, SDKs from the built-in
/// KB. Pins both hits and the absence of false positives (androidx.core's
/// fingerprint compat class is not a biometric SDK; the ad-ID client is not AdMob).
#[test]
fn corpus_apks_sdks_from_dexdump_classes() {
    let Some(corpus) = corpus() else { return };
    if !tool("dexdump") {
        return;
    }
    let expected: [(&str, &[&str]); 7] = [
        (
            "android/apk/exodus/blooddonation.apk",
            &["google-mobile-ads", "google-ad-id-client", "firebase-iid"],
        ),
        (
            "android/apk/androguard/com.example.android.wearable.wear.weardrawers.apk",
            &["google-ad-id-client"],
        ),
        (
            "android/apk/crash-sdk/bugsnag-example-2013-debug.apk",
            &["bugsnag"],
        ),
        (
            "android/split/sentry-demos-2018-instant-run-splits/dependencies.apk",
            &["sentry"],
        ),
        ("android/apk/apktool/issue3533.apk", &[]),
        ("android/apk/github-apps/GitHub-Mobile-app-release.apk", &[]),
        (
            "android/apk/pypi/uiautomator2-3.7.1-app-uiautomator.apk",
            &["okhttp-certificate-pinner"],
        ),
    ];
    for (file, ids) in expected {
        let path = corpus.join(file);
        if !path.is_file() {
            eprintln!("skipping {file}: not in the corpus");
            continue;
        }
        let mut owned = Owned::android(&[]);
        owned.classes = apk_dex_classes(&path);
        assert!(
            !owned.classes.is_empty(),
            "{file}: dexdump found no classes"
        );
        let hits = owned.detect();
        let found: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(found, ids, "{file}");
        if let Some(b) = hits.iter().find(|h| h.id == "bugsnag") {
            // the 2013 notifier: Client, ExceptionHandler, android.Bugsnag
            assert_eq!(b.evidence[0].value, "com.bugsnag. (21 classes)");
            assert_eq!(b.collection_default, Some(CollectionDefault::Unknown));
        }
    }
}

#[test]
fn sample_apps_sdks_detected_from_dexdump_classes() {
    let Some(classes) = dex_classes("securechat-1.0.apk") else {
        return;
    };
    let mut owned = Owned::android(&[]);
    owned.classes = classes;
    owned.permissions = vec!["android.permission.USE_BIOMETRIC".into()];
    let ids: Vec<String> = owned.detect().into_iter().map(|h| h.id).collect();
    assert_eq!(
        ids,
        [
            "libsignal",
            "sqlcipher",
            "androidx-biometric",
            "android-biometric-platform"
        ]
    );

    let Some(classes) = dex_classes("securechat-1.1.apk") else {
        return;
    };
    let mut owned = Owned::android(&[]).component(SENTRY_PROVIDER).switch(
        "io.sentry.dsn",
        string("https://0123456789abcdef0123456789abcdef@o0.ingest.de.sentry.io/0"),
    );
    owned.classes = classes;
    let sentry = owned.hit("sentry");
    assert_eq!(sentry.collection_default, Some(CollectionDefault::Enabled));
    assert_eq!(sentry.evidence[0].value, "io.sentry. (4 classes)");

    let Some(classes) = dex_classes("leakychat-2.3.apk") else {
        return;
    };
    let v = MetaValue {
        kind: "boolean".into(),
        value: Some("true".into()),
        reference: Some("@bool/crashlytics_collection_enabled".into()),
    };
    let mut owned = Owned::android(&[]).switch(CL_KEY, v);
    owned.classes = classes;
    let hits = owned.detect();
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["firebase-crashlytics", "firebase-analytics"]);
    assert!(hits
        .iter()
        .all(|h| h.collection_default == Some(CollectionDefault::Enabled)));
}

#[test]
fn sample_split_set_has_signed_base_and_config_split() {
    if !tool("aapt") || !tool("apksigner") {
        return;
    }
    let bytes = std::fs::read(sample("leakychat-2.3.apks")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = (0..zip.len())
        .map(|i| zip.by_index(i).unwrap().name().unwrap().to_string())
        .collect();
    names.sort();
    assert_eq!(names, ["splits/base-master.apk", "splits/base-xxhdpi.apk"]);
    let dir = tempfile::tempdir().unwrap();
    let mut badgings = Vec::new();
    for name in &names {
        let mut data = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_name(name).unwrap(), &mut data).unwrap();
        let path = dir.path().join(name.replace('/', "_"));
        std::fs::write(&path, data).unwrap();
        let p = path.to_str().unwrap();
        let verify = run("apksigner", &["verify", "-v", "--min-sdk-version", "21", p]);
        assert!(
            verify.contains("v2 scheme (APK Signature Scheme v2): true"),
            "{name}: {verify}"
        );
        assert!(
            verify.contains("v3 scheme (APK Signature Scheme v3): true"),
            "{name}: {verify}"
        );
        badgings.push(run("aapt", &["dump", "badging", p]));
    }
    assert!(
        badgings[0]
            .contains("package: name='org.example.leakychat' versionCode='230' versionName='2.3'")
            && !badgings[0].contains("split="),
        "{}",
        badgings[0]
    );
    assert!(
        badgings[1].contains("package: name='org.example.leakychat' versionCode='230'")
            && badgings[1].contains("split='config.xxhdpi_v4'"),
        "{}",
        badgings[1]
    );
}

// ---------------------------------------------------------------------------
// Exodus breadth, provenance, `--trackers` (ETIP format) and `msgaudit sdks`
// ---------------------------------------------------------------------------

/// Per category, the number of built-in entries documented in docs/sdks.md.
const DOCUMENTED_COUNTS: [(SdkCategory, usize); 3] = [
    (SdkCategory::CrashReporting, 21),
    (SdkCategory::Analytics, 163),
    (SdkCategory::Advertising, 121),
];

/// Exodus tracker ids covered by the built-in entries (docs/sdks.md).
const DOCUMENTED_EXODUS_IDS: usize = 293;

/// Entries with iOS matchers (docs/sdks.md).
const DOCUMENTED_IOS_ENTRIES: usize = 124;

/// Runs the binary; the argument type lets `"x".as_ref()` and paths mix.
fn msgaudit_cli(args: &[&std::ffi::OsStr]) -> std::process::Output {
    run_msgaudit(args)
}

fn etip_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/trackers")
        .join(name)
}

/// German reports show an SDK's vendor as it is written and its name unless a
/// German name is given: a vendor is a plain name ("Google", not "Google
/// (platform)"; "ZXing", not "ZXing project"; its history goes in the note),
/// and a name that tells a history in English words has a German name.
#[test]
fn builtin_vendors_and_names_hold_no_english_prose() {
    let kb = KnowledgeBase::builtin();
    // Lower case: "Rubicon Project" is a company's name, "ZXing project" prose.
    let prose = [
        "formerly",
        "legacy",
        "(platform)",
        " project",
        "open source",
        "plugin for",
    ];
    for e in kb.entries() {
        for word in prose {
            assert!(
                !e.vendor.contains(word),
                "{}: vendor {:?} says {word:?} in English; name the vendor, move the rest to the note",
                e.id,
                e.vendor
            );
        }
        let name = e.name.to_lowercase();
        if name.contains("(formerly ") || name.contains("(legacy ") {
            let de = e.name_de.as_deref().unwrap_or_else(|| {
                panic!("{}: name {:?} needs a German name (name_de)", e.id, e.name)
            });
            assert!(
                !de.contains("formerly") && !de.contains("legacy"),
                "{}: {de:?}",
                e.id
            );
        }
    }
    let by_id = |id: &str| {
        kb.entries()
            .iter()
            .find(|e| e.id == id)
            .unwrap_or_else(|| panic!("{id} not shipped"))
    };
    let crashlytics = by_id("fabric-crashlytics");
    assert_eq!(crashlytics.vendor, "Google");
    assert_eq!(
        crashlytics.name_de.as_deref(),
        Some("Crashlytics (altes Fabric-SDK)")
    );
    assert!(crashlytics.note.contains("Formerly Fabric/Twitter"));
}

#[test]
fn builtin_entries_have_category_vendor_and_source() {
    let kb = KnowledgeBase::builtin();
    for e in kb.entries() {
        assert!(!e.vendor.trim().is_empty(), "{}: no vendor", e.id);
        assert!(!e.source.is_empty(), "{}: no source", e.id);
        for s in &e.source {
            assert!(
                s.starts_with("https://") || s.starts_with("http://"),
                "{}: source {s:?} is not a URL",
                e.id
            );
        }
        for id in &e.exodus {
            let page = msgaudit::extract::sdks::etip::tracker_url(*id);
            assert!(
                e.source.contains(&page),
                "{}: covers ETIP {id} but does not cite {page}",
                e.id
            );
        }
    }
    let mut counts: BTreeMap<SdkCategory, usize> = BTreeMap::new();
    for e in kb.entries() {
        *counts.entry(e.category).or_default() += 1;
    }
    for (category, documented) in DOCUMENTED_COUNTS {
        let n = counts.get(&category).copied().unwrap_or(0);
        assert!(
            n >= documented,
            "{category:?}: {n} entries, documented {documented}"
        );
    }
    let mut ids: Vec<u32> = kb.entries().iter().flat_map(|e| e.exodus.clone()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert!(
        ids.len() >= DOCUMENTED_EXODUS_IDS,
        "{} Exodus ids",
        ids.len()
    );
    let ios = kb.entries().iter().filter(|e| !e.ios.is_empty()).count();
    assert!(
        ios >= DOCUMENTED_IOS_ENTRIES,
        "{ios} entries with iOS matchers"
    );
}

/// Every class matcher of every entry finds a class made from it, so no entry
/// is dead (a typo, a prefix shadowed by validation, a pattern that never matches).
#[test]
fn every_android_class_matcher_detects_its_entry() {
    let kb = KnowledgeBase::builtin();
    let mut checked = 0;
    for e in kb.entries() {
        let probes: Vec<String> = e
            .android
            .class_prefixes
            .iter()
            .map(|p| format!("{p}Probe"))
            .chain(
                e.android
                    .class_contains
                    .iter()
                    .map(|c| format!("com.vendor{c}Probe")),
            )
            .collect();
        for probe in probes {
            let owned = Owned::android(&[probe.as_str()]);
            let hits = kb.detect(&owned.input());
            assert!(
                hits.iter().any(|h| h.id == e.id),
                "{}: class {probe} not detected",
                e.id
            );
            checked += 1;
        }
    }
    assert!(checked > 400, "only {checked} class matchers");
}

#[test]
fn older_package_names_are_matched() {
    let cases = [
        (
            "com.mindscapehq.android.raygun4android.RaygunClient",
            "raygun",
        ),
        (
            "com.microsoft.azure.mobile.crashes.Crashes",
            "appcenter-crashes",
        ),
        ("com.appboy.Appboy", "braze"),
        ("com.mintegral.msdk.out.MTGSDK", "mintegral"),
        ("com.yandex.metrica.YandexMetrica", "appmetrica"),
        ("org.piwik.sdk.Tracker", "matomo"),
        ("com.joshdholtz.sentry.Sentry", "sentry"),
        (
            "com.google.firebase.crash.FirebaseCrash",
            "firebase-crashlytics",
        ),
        ("com.mobileapptracker.MobileAppTracker", "tune"),
    ];
    for (class, id) in cases {
        let owned = Owned::android(&[class]);
        let ids: Vec<String> = owned.detect().into_iter().map(|h| h.id).collect();
        assert!(ids.iter().any(|i| i == id), "{class}: {ids:?}");
    }
    // ETIP's `.tealium.` is not anchored at a package root: a class_contains matcher
    let owned = Owned::android(&["com.acme.tealium.Bridge"]);
    let hit = owned.hit("tealium");
    assert_eq!(hit.evidence[0].kind, "class_contains");
    assert_eq!(hit.evidence[0].value, "….tealium. (1 class)");
}

#[test]
fn deliberately_narrowed_signatures_stay_narrow() {
    // ETIP 363 lists all of com.bytedance; only the ad SDK is Pangle.
    let owned = Owned::android(&["com.bytedance.android.live.Foo"]);
    assert!(owned.detect().iter().all(|h| h.id != "pangle"));
    // the advertising-ID client alone is not AdMob (docs/sdks.md)
    let owned = Owned::android(&["com.google.android.gms.ads.identifier.AdvertisingIdClient"]);
    let ids: Vec<String> = owned.detect().into_iter().map(|h| h.id).collect();
    assert_eq!(ids, ["google-ad-id-client"]);
}

#[test]
fn hosts_name_their_owner() {
    let kb = KnowledgeBase::builtin();
    let o = kb.owner_of_host("settings.crashlytics.com").expect("owner");
    assert_eq!((o.id, o.matched), ("fabric-crashlytics", "crashlytics.com"));
    assert_eq!(
        kb.owner_of_host("api.mixpanel.com").map(|o| o.id),
        Some("mixpanel")
    );
    let o = kb
        .owner_of_host("firebase-settings.crashlytics.com")
        .expect("owner");
    assert_eq!(o.id, "firebase-crashlytics", "the longest match wins");
    assert_eq!(
        kb.owner_of_host("o1.ingest.us.sentry.io.").map(|o| o.id),
        Some("sentry")
    );
    assert!(kb.owner_of_host("notcrashlytics.com").is_none());
    assert!(kb.owner_of_host("example.org").is_none());
}

/// Coverage of the four Exodus categories, measured against an ETIP API
/// export when one is available: `$MSGAUDIT_ETIP_JSON`, else
/// `<corpus>/etip/trackers.json` (docs/sdks.md says how to get one).
#[test]
fn exodus_coverage_against_an_etip_export() {
    let path = std::env::var_os("MSGAUDIT_ETIP_JSON")
        .map(PathBuf::from)
        .or_else(|| corpus().map(|c| c.join("etip/trackers.json")))
        .filter(|p| p.is_file());
    let Some(path) = path else {
        eprintln!("skipped: no ETIP export (set MSGAUDIT_ETIP_JSON)");
        return;
    };
    let doc: serde_json::Value =
        common::json_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let kb = KnowledgeBase::builtin();
    let mut total: BTreeMap<String, usize> = BTreeMap::new();
    let mut covered: BTreeMap<String, usize> = BTreeMap::new();
    for t in doc["trackers"].as_object().unwrap().values() {
        let id = t["id"].as_u64().unwrap() as u32;
        let cats: Vec<String> = t["categories"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c.as_str().map(str::to_string))
            .filter(|c| {
                ["Crash reporting", "Analytics", "Advertisement", "Profiling"].contains(&c.as_str())
            })
            .collect();
        if cats.is_empty() {
            continue;
        }
        let entries: Vec<_> = kb
            .entries()
            .iter()
            .filter(|e| e.exodus.contains(&id))
            .collect();
        // covered = an entry cites the id and finds a class of each literal
        // alternative (the narrowed ones of docs/sdks.md excepted)
        let sig =
            msgaudit::extract::sdks::etip::code_signature(t["code_signature"].as_str().unwrap());
        let narrowed = [
            "com.bytedance",
            "com.huawei.hms.location",
            "com.huawei.updatesdk.",
            "com.huawei.agconnect.",
            "com.huawei.hms.support.api.push.",
        ];
        let finds = |class: &str| {
            let owned = Owned::android(&[class]);
            let hits = kb.detect(&owned.input());
            entries.iter().any(|e| hits.iter().any(|h| h.id == e.id))
        };
        let ok = !entries.is_empty()
            && sig
                .prefixes
                .iter()
                .filter(|p| !narrowed.contains(&p.as_str()))
                .all(|p| finds(&format!("{p}Probe")))
            && sig
                .contains
                .iter()
                .all(|c| finds(&format!("com.vendor{c}Probe")));
        for c in cats {
            *total.entry(c.clone()).or_default() += 1;
            if ok {
                *covered.entry(c).or_default() += 1;
            }
        }
    }
    for (cat, n) in &total {
        let c = covered.get(cat).copied().unwrap_or(0);
        eprintln!("{cat}: {c} of {n} ({:.1} %)", 100.0 * c as f64 / *n as f64);
        assert!(
            c * 100 >= n * 80,
            "{cat}: {c} of {n} covered, less than 80 %"
        );
    }
}

#[test]
fn etip_file_adds_trackers() {
    let mut kb = KnowledgeBase::builtin();
    let before = kb.len();
    let report = kb.add_etip_path(&etip_fixture("etip-extra.json")).unwrap();
    assert_eq!(report.added, 2);
    assert_eq!(report.known, [27]);
    assert_eq!(
        report.no_code_signature,
        ["9003 Example Network-Only Tracker"]
    );
    assert_eq!(kb.len(), before + 2);

    let e = kb.entries().iter().find(|e| e.id == "etip-9001").unwrap();
    assert_eq!(e.category, SdkCategory::Analytics, "Location + Profiling");
    assert_eq!(
        e.source[0],
        "https://reports.exodus-privacy.eu.org/en/trackers/9001/"
    );
    assert_eq!(
        e.android.class_prefixes,
        [
            "org.example.leakychat.LocationTracking",
            "org.example.locsdk."
        ]
    );
    assert_eq!(e.android.class_contains, [".exampleloc."]);
    assert_eq!(
        e.hosts,
        ["collect.example-tracker.test", "example-tracker.test"]
    );
    assert_eq!(
        kb.owner_of_host("eu.example-tracker.test").map(|o| o.id),
        Some("etip-9001")
    );

    let input = |classes: &[&str]| {
        let owned = Owned::android(classes);
        kb.detect(&owned.input())
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(input(&["com.acme.exampleloc.Beacon"]), ["etip-9001"]);
    assert_eq!(input(&["com.example.ads.v12.Banner"]), ["etip-9002"]);
    assert!(input(&["com.example.ads.vX.Banner"]).is_empty());
    let owned = Owned::android(&["com.example.ads.v3.A", "com.example.ads.v3.B"]);
    let hit = kb
        .detect(&owned.input())
        .into_iter()
        .find(|h| h.id == "etip-9002")
        .unwrap();
    assert_eq!(hit.category, SdkCategory::Advertising);
    assert_eq!(hit.evidence[0].kind, "class_pattern");
    assert_eq!(
        hit.evidence[0].value,
        "/com\\.example\\.ads\\.v[0-9]+\\./ (2 classes)"
    );
}

#[test]
fn etip_code_signatures_convert_faithfully() {
    use msgaudit::extract::sdks::etip::code_signature;
    let s =
        code_signature("com.crashlytics.|io.fabric.|.S4MAnalytic|^com\\.anchored\\.|com.x.v[0-9]");
    assert_eq!(
        s.prefixes,
        ["com.crashlytics.", "io.fabric.", "com.anchored."]
    );
    assert_eq!(s.contains, [".S4MAnalytic"]);
    assert_eq!(s.patterns, ["com.x.v[0-9]"]);
    let g = code_signature("com.(a|b).sdk.");
    assert_eq!(g.patterns, ["com.(a|b).sdk."], "a group is kept whole");
    assert!(code_signature("").prefixes.is_empty());
}

#[test]
fn broken_tracker_files_are_config_errors() {
    let mut kb = KnowledgeBase::builtin();
    let err = kb
        .add_etip_path(&etip_fixture("bad-regex.json"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("bad-regex.json") && err.contains("etip-9100"),
        "{err}"
    );
    assert!(err.contains("not a valid regular expression"), "{err}");
    let err = kb
        .add_etip_path(&etip_fixture("not-etip.json"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("not-etip.json") && err.contains("trackers"),
        "{err}"
    );
    assert_eq!(kb.len(), KnowledgeBase::builtin().len(), "nothing added");

    let apk =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out/leakychat-2.3.apk");
    for file in ["bad-regex.json", "not-etip.json", "missing.json"] {
        let f = etip_fixture(file);
        for cmd in [
            vec!["sdks".as_ref(), "--trackers".as_ref(), f.as_os_str()],
            vec![
                "facts".as_ref(),
                "--trackers".as_ref(),
                f.as_os_str(),
                apk.as_os_str(),
            ],
            vec![
                "scan".as_ref(),
                "--trackers".as_ref(),
                f.as_os_str(),
                apk.as_os_str(),
            ],
        ] {
            let out = msgaudit_cli(&cmd);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(5), "{cmd:?}: {stderr}");
            assert!(stderr.contains(file), "{cmd:?}: {stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
    }
}

#[test]
fn facts_with_trackers_reports_the_added_tracker() {
    let apk =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out/leakychat-2.3.apk");
    let f = etip_fixture("etip-extra.json");
    let out = msgaudit_cli(&[
        "facts".as_ref(),
        "--trackers".as_ref(),
        f.as_os_str(),
        apk.as_os_str(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let facts: serde_json::Value = common::json(&out.stdout).unwrap();
    let hit = facts["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["id"] == "etip-9001")
        .expect("the added tracker is found");
    assert_eq!(hit["category"], "analytics");
    assert_eq!(
        hit["evidence"][0]["value"],
        "org.example.leakychat.LocationTracking (1 class)"
    );
    assert_eq!(hit["collection_default"], "unknown");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 tracker(s) added"), "{stderr}");
    // without the file the sample app has no such tracker
    let out = msgaudit_cli(&["facts".as_ref(), apk.as_os_str()]);
    let facts: serde_json::Value = common::json(&out.stdout).unwrap();
    assert!(facts["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h["id"] != "etip-9001"));
}

#[test]
fn sdks_command_lists_the_knowledge_base() {
    let kb = KnowledgeBase::builtin();
    let out = msgaudit_cli(&["sdks".as_ref(), "--format".as_ref(), "json".as_ref()]);
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(doc["count"], kb.len());
    assert_eq!(doc["sdks"].as_array().unwrap().len(), kb.len());
    assert!(doc["exodus_trackers"].as_u64().unwrap() >= DOCUMENTED_EXODUS_IDS as u64);
    let fc = doc["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "firebase-crashlytics")
        .unwrap();
    assert_eq!(fc["collection_default"]["android"]["default"], "enabled");
    assert_eq!(
        fc["collection_default"]["android"]["documented_switch"],
        true
    );
    assert_eq!(fc["platforms"], serde_json::json!(["android", "ios"]));
    let adj = doc["sdks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "adjust")
        .unwrap();
    assert_eq!(
        adj["collection_default"]["android"]["documented_switch"],
        false
    );
    assert!(adj["android"]["class_prefixes"]
        .as_array()
        .unwrap()
        .contains(&"com.adjust.sdk.".into()));

    let out = msgaudit_cli(&["sdks".as_ref()]);
    let en = String::from_utf8_lossy(&out.stdout);
    assert!(
        en.contains("Vendor") && en.contains("Collection") && en.contains("crash reporting"),
        "{en}"
    );
    assert!(
        en.starts_with(&format!("{} SDK signatures", kb.len())),
        "{en}"
    );
    let out = msgaudit_cli(&["sdks".as_ref(), "--lang".as_ref(), "de".as_ref()]);
    let de = String::from_utf8_lossy(&out.stdout);
    assert!(
        de.contains("Hersteller") && de.contains("Kategorie") && de.contains("Absturzberichte"),
        "{de}"
    );
    assert!(de.contains("SDK-Signaturen"), "{de}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kb.json");
    let f = etip_fixture("etip-extra.json");
    let out = msgaudit_cli(&[
        "sdks".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--trackers".as_ref(),
        f.as_os_str(),
        "--output".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let doc: serde_json::Value = common::json(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(doc["count"], kb.len() + 2, "the merged set");
}

#[test]
fn ios_signatures_of_major_trackers() {
    let mut owned = Owned::ios();
    owned.frameworks = vec![
        "AppsFlyerLib.framework".into(),
        "YandexMobileMetrica".into(),
    ];
    owned.classes = vec!["KVATracker".into(), "ADJConfig".into()];
    let ids: Vec<String> = owned.detect().into_iter().map(|h| h.id).collect();
    for id in ["appsflyer", "appmetrica", "kochava", "adjust"] {
        assert!(ids.iter().any(|i| i == id), "{id} not in {ids:?}");
    }
    let kochava = owned.hit("kochava");
    assert_eq!(kochava.evidence[0].kind, "class_prefix");
    assert_eq!(kochava.category, SdkCategory::Advertising);
    assert_eq!(
        kochava.collection_default, None,
        "no collection rule for ad SDKs"
    );
    let appsflyer = owned.hit("appsflyer");
    assert_eq!(appsflyer.evidence[0].kind, "framework");
    assert_eq!(
        appsflyer.collection_default,
        Some(CollectionDefault::Unknown)
    );
    // the Android-only ETIP signature is not applied to iOS class names
    let mut owned = Owned::ios();
    owned.classes = vec!["com.tealium.Foo".into(), "io.sentry.Bar".into()];
    assert!(owned.detect().is_empty());
}
