//! A record that gives one field twice with different values (a JSON key
//! repeated in one object, two CSV columns for one field) says nothing
//! certain about it: which one a reader takes is a choice of the reader
//! (serde_json keeps the last, others the first), so an altered export could
//! show the audit a different device than the MDM sees. The fact is left
//! unknown, whatever the order, and the warning names both values.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

fn write(name: &str, text: &str) -> PathBuf {
    common::write_temp("repeated", name, text)
}

/// The facts document of the export at `path`.
fn facts(path: &Path) -> Value {
    let out = run_msgaudit(["facts".as_ref(), path.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn graph(first: &str, second: &str) -> String {
    format!(
        r#"{{"value":[{{"id":"d1","deviceName":"WARD-1","operatingSystem":"iOS","osVersion":"26.5","jailBroken":"{first}","isEncrypted":true,"jailBroken":"{second}","managementAgent":"mdm"}}]}}"#
    )
}

#[test]
fn a_json_key_given_twice_with_different_values_is_unknown_in_either_order() {
    for (name, text) in [
        ("true-false.json", graph("True", "False")),
        ("false-true.json", graph("False", "True")),
    ] {
        let doc = facts(&write(name, &text));
        let device = &doc["devices"][0];
        assert!(device["compromised"].is_null(), "{name}: {device}");
        // The other facts of the record are read as usual.
        assert_eq!(device["encryption"], true, "{name}");
        let warnings = doc["warnings"].to_string();
        assert!(
            warnings.contains("jailBroken = [")
                && warnings.contains("the root/jailbreak status is left unknown"),
            "{name}: {warnings}"
        );
    }
}

#[test]
fn a_json_key_given_twice_with_the_same_value_is_that_value() {
    let doc = facts(&write("same.json", &graph("True", "True")));
    assert_eq!(doc["devices"][0]["compromised"], true);
}

#[test]
fn two_csv_columns_for_one_field_that_disagree_leave_it_unknown() {
    let csv = "device_id,platform,os_version,encrypted,encrypted\n\
               d1,ios,26.5,true,false\n\
               d2,ios,26.5,true,true\n";
    let doc = facts(&write("columns.csv", csv));
    assert!(doc["devices"][0]["encryption"].is_null(), "{doc}");
    assert_eq!(doc["devices"][1]["encryption"], true);
}
