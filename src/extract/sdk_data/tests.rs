use std::collections::BTreeMap;

use super::*;
use crate::extract::sdks::KnowledgeBase;
use crate::facts::DataState;

fn mv(kind: &str, value: &str) -> MetaValue {
    MetaValue {
        kind: kind.into(),
        value: Some(value.into()),
        reference: None,
    }
}

fn switches(pairs: &[(&str, MetaValue)]) -> BTreeMap<String, MetaValue> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn find<'a>(cats: &'a [DataCategory], category: &str, source: &str) -> &'a DataCategory {
    cats.iter()
        .find(|c| c.category == category && c.source == source)
        .unwrap_or_else(|| panic!("no {category} from {source} in {cats:#?}"))
}

#[test]
fn builtin_switch_table_is_valid() {
    let t = SwitchTable::from_toml(BUILTIN_TOML, "checks/sdk-switches.toml").unwrap();
    assert!(t.switches().len() >= 40, "{}", t.switches().len());
}

#[test]
fn every_switch_names_an_sdk_of_the_knowledge_base_and_every_category_is_used() {
    let kb = KnowledgeBase::builtin();
    let t = SwitchTable::builtin();
    for s in t.switches() {
        assert!(kb.ids().contains(&s.sdk.as_str()), "unknown sdk {}", s.sdk);
    }
    for c in t.category_defs() {
        assert!(
            t.switches().iter().any(|s| s.category == c.id),
            "category {} is used by no switch",
            c.id
        );
        assert_ne!(c.en, c.de, "category {} needs a German name", c.id);
    }
}

#[test]
fn sentry_absent_switches_give_documented_defaults() {
    let cats = SwitchTable::builtin().categories(Platform::Android, "sentry", &BTreeMap::new());
    let shot = find(&cats, "screenshots", "io.sentry.attach-screenshot");
    assert_eq!(shot.state, DataState::DefaultOff);
    assert_eq!(shot.value, None);
    assert_eq!(shot.file, "AndroidManifest.xml");
    assert_eq!(
        shot.reason,
        "io.sentry.attach-screenshot absent: documented default off"
    );
    assert_eq!(
        shot.reason_de,
        "io.sentry.attach-screenshot nicht gesetzt: dokumentierte Vorgabe aus"
    );
    assert_eq!(
        find(&cats, "anr", "io.sentry.anr.enable").state,
        DataState::DefaultOn
    );
    assert_eq!(
        find(&cats, "ndk_crashes", "io.sentry.ndk.enable").state,
        DataState::DefaultOn
    );
    assert_eq!(
        find(
            &cats,
            "session_replay",
            "io.sentry.session-replay.session-sample-rate"
        )
        .state,
        DataState::DefaultOff
    );
    // No iOS switches for Sentry: options are set in code.
    assert!(SwitchTable::builtin()
        .categories(Platform::Ios, "sentry", &BTreeMap::new())
        .is_empty());
}

#[test]
fn sentry_switches_set_in_the_manifest() {
    let sw = switches(&[
        ("io.sentry.attach-screenshot", mv("boolean", "true")),
        ("io.sentry.attach-view-hierarchy", mv("boolean", "false")),
        (
            "io.sentry.session-replay.on-error-sample-rate",
            mv("float", "1.0"),
        ),
        (
            "io.sentry.session-replay.session-sample-rate",
            mv("int", "0"),
        ),
        (
            "io.sentry.session-replay.mask-all-text",
            mv("boolean", "false"),
        ),
        ("io.sentry.send-default-pii", mv("string", "true")),
        ("io.sentry.traces.sample-rate", mv("float", "1.5")),
        ("io.sentry.ndk.enable", mv("boolean", "false")),
    ]);
    let cats = SwitchTable::builtin().categories(Platform::Android, "sentry", &sw);
    let shot = find(&cats, "screenshots", "io.sentry.attach-screenshot");
    assert_eq!(shot.state, DataState::On);
    assert_eq!(shot.value.as_deref(), Some("true"));
    assert_eq!(
        shot.reason,
        "io.sentry.attach-screenshot = true (boolean, manifest meta-data)"
    );
    assert_eq!(
        find(&cats, "view_hierarchy", "io.sentry.attach-view-hierarchy").state,
        DataState::Off
    );
    let replay = find(
        &cats,
        "session_replay",
        "io.sentry.session-replay.on-error-sample-rate",
    );
    assert_eq!(replay.state, DataState::On);
    assert_eq!(replay.sample_rate, Some(1.0));
    let session = find(
        &cats,
        "session_replay",
        "io.sentry.session-replay.session-sample-rate",
    );
    assert_eq!(session.state, DataState::Off);
    assert_eq!(session.sample_rate, Some(0.0));
    // mask-all-text = false: text is shown unmasked (inverted switch).
    let unmasked = find(
        &cats,
        "replay_unmasked_text",
        "io.sentry.session-replay.mask-all-text",
    );
    assert_eq!(unmasked.state, DataState::On);
    assert!(
        unmasked.reason.ends_with("(true switches it off)"),
        "{}",
        unmasked.reason
    );
    // A string "true" is ignored by Bundle.getBoolean(key, default): default off.
    let pii = find(&cats, "pii", "io.sentry.send-default-pii");
    assert_eq!(pii.state, DataState::DefaultOff);
    assert!(pii.reason.contains("mistyped"), "{}", pii.reason);
    assert!(pii.reason_de.contains("falscher Typ"), "{}", pii.reason_de);
    // A rate outside 0–1 cannot be read: unknown, never off.
    let traces = find(&cats, "performance_traces", "io.sentry.traces.sample-rate");
    assert_eq!(traces.state, DataState::Unknown);
    assert_eq!(
        find(&cats, "ndk_crashes", "io.sentry.ndk.enable").state,
        DataState::Off
    );
}

#[test]
fn unresolved_references_are_unknown() {
    let sw = switches(&[(
        "io.sentry.attach-screenshot",
        MetaValue {
            kind: "reference".into(),
            value: Some("@0x7f050001".into()),
            reference: Some("@0x7f050001".into()),
        },
    )]);
    let cats = SwitchTable::builtin().categories(Platform::Android, "sentry", &sw);
    let shot = find(&cats, "screenshots", "io.sentry.attach-screenshot");
    assert_eq!(shot.state, DataState::Unknown);
    assert!(shot.state.may_send());
    assert_eq!(shot.reference.as_deref(), Some("@0x7f050001"));
}

#[test]
fn firebase_reads_strictly_and_falls_back_to_the_global_flag() {
    let t = SwitchTable::builtin();
    let none = t.categories(Platform::Android, "firebase-crashlytics", &BTreeMap::new());
    let crash = find(
        &none,
        "crash_reports",
        "firebase_crashlytics_collection_enabled",
    );
    assert_eq!(crash.state, DataState::DefaultOn);
    assert_eq!(
        crash.reason,
        "firebase_crashlytics_collection_enabled and firebase_data_collection_default_enabled absent: documented default on"
    );
    let global = switches(&[(
        "firebase_data_collection_default_enabled",
        mv("boolean", "false"),
    )]);
    let cats = t.categories(Platform::Android, "firebase-crashlytics", &global);
    let crash = find(
        &cats,
        "crash_reports",
        "firebase_data_collection_default_enabled",
    );
    assert_eq!(crash.state, DataState::Off);
    assert!(crash
        .reason
        .starts_with("firebase_crashlytics_collection_enabled absent; firebase_data_collection_default_enabled = false"));
    // Resolved @bool reference, and a mistyped string read as false.
    let sw = switches(&[
        (
            "firebase_crashlytics_collection_enabled",
            MetaValue {
                kind: "boolean".into(),
                value: Some("true".into()),
                reference: Some("@bool/crash_on".into()),
            },
        ),
        ("firebase_sessions_enabled", mv("string", "true")),
    ]);
    let cats = t.categories(Platform::Android, "firebase-crashlytics", &sw);
    let crash = find(
        &cats,
        "crash_reports",
        "firebase_crashlytics_collection_enabled",
    );
    assert_eq!(crash.state, DataState::On);
    assert_eq!(crash.reference.as_deref(), Some("@bool/crash_on"));
    assert!(
        crash.reason.contains("via @bool/crash_on"),
        "{}",
        crash.reason
    );
    let sessions = find(&cats, "sessions", "firebase_sessions_enabled");
    assert_eq!(sessions.state, DataState::Off);
    assert!(
        sessions.reason.contains("reads it as false"),
        "{}",
        sessions.reason
    );
}

#[test]
fn firebase_analytics_consent_defaults_and_deactivation() {
    let sw = switches(&[
        (
            "firebase_analytics_collection_deactivated",
            mv("boolean", "true"),
        ),
        (
            "google_analytics_default_allow_ad_personalization_signals",
            mv("boolean", "false"),
        ),
    ]);
    let cats = SwitchTable::builtin().categories(Platform::Android, "firebase-analytics", &sw);
    assert_eq!(
        find(
            &cats,
            "analytics_events",
            "firebase_analytics_collection_deactivated"
        )
        .state,
        DataState::Off
    );
    assert_eq!(
        find(
            &cats,
            "analytics_events",
            "firebase_analytics_collection_enabled"
        )
        .state,
        DataState::DefaultOn
    );
    assert_eq!(
        find(
            &cats,
            "consent_ad_personalization",
            "google_analytics_default_allow_ad_personalization_signals"
        )
        .state,
        DataState::Off
    );
    assert_eq!(
        find(
            &cats,
            "consent_ad_storage",
            "google_analytics_default_allow_ad_storage"
        )
        .state,
        DataState::DefaultOn
    );
    assert_eq!(
        find(
            &cats,
            "advertising_id",
            "google_analytics_adid_collection_enabled"
        )
        .state,
        DataState::DefaultOn
    );
}

#[test]
fn ios_plist_switches_read_as_bool_value() {
    let t = SwitchTable::builtin();
    let sw = switches(&[
        ("FirebaseCrashlyticsCollectionEnabled", mv("string", "NO")),
        (
            "FIREBASE_ANALYTICS_COLLECTION_ENABLED",
            mv("boolean", "false"),
        ),
        ("bugsnag.autoTrackSessions", mv("int", "0")),
    ]);
    let crash = t.categories(Platform::Ios, "firebase-crashlytics", &sw);
    let c = find(
        &crash,
        "crash_reports",
        "FirebaseCrashlyticsCollectionEnabled",
    );
    assert_eq!(c.state, DataState::Off);
    assert_eq!(c.file, "Info.plist");
    assert!(
        c.reason.contains("boolValue reads it as false"),
        "{}",
        c.reason
    );
    let an = t.categories(Platform::Ios, "firebase-analytics", &sw);
    assert_eq!(
        find(
            &an,
            "analytics_events",
            "FIREBASE_ANALYTICS_COLLECTION_ENABLED"
        )
        .state,
        DataState::Off
    );
    let bs = t.categories(Platform::Ios, "bugsnag", &sw);
    assert_eq!(
        find(&bs, "sessions", "bugsnag.autoTrackSessions").state,
        DataState::Off
    );
    assert_eq!(
        find(&bs, "crash_reports", "bugsnag.autoDetectErrors").state,
        DataState::DefaultOn
    );
}

#[test]
fn bugsnag_and_facebook_android_switches() {
    let t = SwitchTable::builtin();
    let sw = switches(&[
        (
            "com.bugsnag.android.AUTO_TRACK_SESSIONS",
            mv("boolean", "false"),
        ),
        (
            "com.facebook.sdk.AdvertiserIDCollectionEnabled",
            mv("boolean", "false"),
        ),
    ]);
    let bs = t.categories(Platform::Android, "bugsnag", &sw);
    assert_eq!(
        find(&bs, "sessions", "com.bugsnag.android.AUTO_TRACK_SESSIONS").state,
        DataState::Off
    );
    assert_eq!(
        find(&bs, "user_identity", "com.bugsnag.android.PERSIST_USER").state,
        DataState::DefaultOn
    );
    let fb = t.categories(Platform::Android, "facebook-sdk", &sw);
    assert_eq!(
        find(
            &fb,
            "advertising_id",
            "com.facebook.sdk.AdvertiserIDCollectionEnabled"
        )
        .state,
        DataState::Off
    );
    assert_eq!(
        find(
            &fb,
            "analytics_events",
            "com.facebook.sdk.AutoLogAppEventsEnabled"
        )
        .state,
        DataState::DefaultOn
    );
    assert!(t.categories(Platform::Android, "acra", &sw).is_empty());
}

#[test]
fn broken_tables_are_refused_with_the_entry_named() {
    let base = "version = 1\n[[category]]\nid = \"logs\"\nen = \"logs\"\nde = \"Logs\"\n";
    let sw = |extra: &str| {
        format!(
            "{base}[[switch]]\nsdk = \"sentry\"\nplatform = \"android\"\nkey = \"k\"\ncategory = \"logs\"\nread = \"bool\"\ndefault = \"off\"\nsource = \"https://example.org/\"\n{extra}"
        )
    };
    assert!(SwitchTable::from_toml(&sw(""), "t.toml").is_ok());
    let cases = [
        (sw("invert = 1\n"), "invalid type"),
        (sw("colour = \"x\"\n"), "unknown field"),
        (
            sw("").replace("category = \"logs\"", "category = \"nope\""),
            "unknown category `nope`",
        ),
        (
            sw("").replace("read = \"bool\"", "read = \"bool_objc\""),
            "an iOS read",
        ),
        (
            sw("").replace("https://example.org/", "see docs"),
            "https URL",
        ),
        (
            sw("").replace("de = \"Logs\"", "de = \" \""),
            "German (de) name",
        ),
        (
            format!("{}{}", sw(""), &sw("")[base.len()..]),
            "listed twice",
        ),
        (
            sw("").replace("version = 1", "version = 2"),
            "only version 1",
        ),
    ];
    for (text, want) in cases {
        let err = SwitchTable::from_toml(&text, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.toml") && err.contains(want),
            "{want}: {err}"
        );
    }
    let huge = "#".repeat(MAX_TABLE_SIZE + 1);
    assert!(matches!(
        SwitchTable::from_toml(&huge, "t.toml"),
        Err(SdkSwitchError::TooLarge { .. })
    ));
}

#[test]
fn clevertap_ad_id_only_for_the_text_one() {
    let t = SwitchTable::builtin();
    let state = |v: MetaValue| {
        let sw = switches(&[("CLEVERTAP_USE_GOOGLE_AD_ID", v)]);
        let cats = t.categories(Platform::Android, "clevertap", &sw);
        find(&cats, "advertising_id", "CLEVERTAP_USE_GOOGLE_AD_ID").state
    };
    assert_eq!(state(mv("int", "1")), DataState::On);
    assert_eq!(state(mv("string", "1")), DataState::On);
    assert_eq!(state(mv("int", "0x1")), DataState::On);
    // Java prints these as "true" and "1.0": not "1".
    assert_eq!(state(mv("boolean", "true")), DataState::Off);
    assert_eq!(state(mv("float", "1")), DataState::Off);
    assert_eq!(state(mv("int", "0")), DataState::Off);
    let none = t.categories(Platform::Android, "clevertap", &BTreeMap::new());
    assert_eq!(
        find(&none, "advertising_id", "CLEVERTAP_USE_GOOGLE_AD_ID").state,
        DataState::DefaultOff
    );
}
