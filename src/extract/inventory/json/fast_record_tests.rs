//! The plain records read straight from their text give exactly what serde
//! gives, and everything else is left to serde.

use super::*;

/// A keep list with a partly kept key, as Intune's has.
const KEYS: &[&str] = &[
    "id",
    "deviceName",
    "isEncrypted",
    "jailBroken",
    "count",
    "detectedApps",
    "hardwareInformation.isEncrypted",
    "hardwareInformation.serialNumber",
];

/// The entries serde builds for `text` (`None`: serde refuses it).
fn by_serde(text: &str) -> Option<Vec<(&'static str, Value)>> {
    match record(&mut serde_json::Deserializer::from_str(text), Some(KEYS)) {
        Ok(Record::Kept(entries)) => Some(entries),
        Ok(Record::Value(v)) => panic!("not read as kept entries: {v}"),
        Err(_) => None,
    }
}

/// The entries read straight from `text`, checked against serde's: the
/// same whenever they are read here.
fn plain(text: &str) -> Option<Vec<(&'static str, Value)>> {
    let fast = kept_entries(text, KEYS, 0);
    if let Some(entries) = &fast {
        assert_eq!(Some(entries), by_serde(text).as_ref(), "{text}");
    }
    fast
}

#[test]
fn a_plain_record_gives_serdes_entries() {
    let text = r#"{"id": "a-1", "deviceName": "Station 3 – Pflege", "other": "x",
        "isEncrypted": true, "jailBroken": "False", "count": 12, "n": null,
        "nested": {"a": [1, -2.5, {"b": []}], "c": false}, "list": [],
        "hardwareInformation": {"isEncrypted": false, "model": "x", "serialNumber": "S1"}}"#;
    let entries = plain(text).expect("read straight from its text");
    let keys: Vec<&str> = entries.iter().map(|(k, _)| *k).collect();
    assert_eq!(
        keys,
        [
            "id",
            "deviceName",
            "isEncrypted",
            "jailBroken",
            "count",
            "hardwareInformation"
        ]
    );
    assert_eq!(
        entries[5].1,
        serde_json::json!({"isEncrypted": false, "serialNumber": "S1"})
    );
    assert_eq!(plain("{}"), Some(Vec::new()));
    assert_eq!(
        plain(" {\t}\n").map(|e| e.len()),
        None,
        "space outside the object"
    );
    assert_eq!(plain("{ \r\n }"), Some(Vec::new()));
}

#[test]
fn repeated_keys_are_kept_as_serde_keeps_them() {
    for text in [
        r#"{"id": "a", "id": "a"}"#,
        r#"{"id": "a", "id": "b", "id": "a"}"#,
        r#"{"jailBroken": "True", "x": 1, "jailBroken": "False"}"#,
        r#"{"hardwareInformation": {"isEncrypted": true, "isEncrypted": false}}"#,
        r#"{"hardwareInformation": "none", "hardwareInformation": {}}"#,
    ] {
        assert!(plain(text).is_some(), "{text}");
    }
}

#[test]
fn anything_but_plain_json_is_left_to_serde() {
    for text in [
        // Escapes, in kept and in other keys' values and in keys.
        r#"{"id": "a\"b"}"#,
        r#"{"other": "\u00e4"}"#,
        r#"{"i\u0064": "a"}"#,
        // A control character in a string (serde refuses it).
        "{\"id\": \"a\u{1}b\"}",
        // Numbers serde reads as other values, or that are long.
        r#"{"count": -1}"#,
        r#"{"count": 1.5}"#,
        r#"{"count": 1e3}"#,
        r#"{"other": 1E3}"#,
        r#"{"count": 1234567890123456789}"#,
        // Kept arrays and objects.
        r#"{"detectedApps": [{"displayName": "Signal"}]}"#,
        r#"{"id": {"a": 1}}"#,
        r#"{"hardwareInformation": {"isEncrypted": [true]}}"#,
        // Syntax errors.
        r#"{"id": "a",}"#,
        r#"{"id" "a"}"#,
        r#"{"id": "a""#,
        r#"{"id": tru}"#,
        r#"{"id": truex}"#,
        r#"{"count": 01}"#,
        r#"{"count": 1.}"#,
        r#"{"other": -}"#,
        r#"{"other": [1,]}"#,
        r#"{"other": {"a" 1}}"#,
        r#"{id: 1}"#,
        r#"{"id": 1} x"#,
    ] {
        assert_eq!(plain(text), None, "{text}");
    }
    // Nesting deeper than read here.
    let deep = format!(r#"{{"other": {}1{}}}"#, "[".repeat(40), "]".repeat(40));
    assert_eq!(plain(&deep), None);
    let shallow = format!(r#"{{"other": {}1{}}}"#, "[".repeat(20), "]".repeat(20));
    assert!(plain(&shallow).is_some());
}

#[test]
fn numbers_read_here_are_serdes_numbers() {
    for text in [
        r#"{"count": 0}"#,
        r#"{"count": 123456789012345678}"#,
        r#"{"other": -0, "o2": -0.0, "o3": 0.25, "o4": -12.5}"#,
    ] {
        assert!(plain(text).is_some(), "{text}");
    }
}

/// Every text made by cutting, doubling or changing one byte of a record
/// is either read here as serde reads it, or left to serde: never read
/// differently.
#[test]
fn damaged_records_are_never_read_differently() {
    let text = r#"{"id": "a-1", "count": 7, "isEncrypted": true, "jailBroken": null, "o": [1, {"p": "q"}, -2.5], "hardwareInformation": {"isEncrypted": false}}"#;
    let bytes = text.as_bytes();
    let mut read = 0;
    for at in 0..bytes.len() {
        let mut variants: Vec<Vec<u8>> = Vec::new();
        let mut cut = bytes.to_vec();
        cut.remove(at);
        variants.push(cut);
        let mut doubled = bytes.to_vec();
        doubled.insert(at, bytes[at]);
        variants.push(doubled);
        for b in [
            b'"', b'\\', b',', b':', b'{', b'}', b'[', b']', b'0', b'-', b'.', b'e', b' ', 1,
        ] {
            let mut changed = bytes.to_vec();
            changed[at] = b;
            variants.push(changed);
        }
        for v in variants {
            let Ok(v) = String::from_utf8(v) else {
                continue;
            };
            if plain(&v).is_some() {
                read += 1;
            }
        }
    }
    // Many of them are still plain records (a changed digit, a space).
    assert!(read > 100, "{read}");
}
