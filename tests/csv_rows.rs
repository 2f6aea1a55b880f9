//! CSV rows whose fields do not line up with the header. A row cut short
//! (a truncated export, an open quote that swallowed the lines after it) or
//! shifted (an unquoted delimiter in a value) would put values under the
//! wrong columns or drop the ones at its end — a jailbroken flag among them —
//! and so could improve a device's verdict. Such a row is unreadable: the
//! export is read only in part, which every report shows, and the scan exits
//! 4. A row of nothing but delimiters is no device.

mod common;

use std::path::{Path, PathBuf};

use common::run_msgaudit;
use serde_json::Value;

const HEADER: &str = "Device ID,Device name,OS,OS version,Security patch level,Encrypted,Jailbroken,Supervised,Compliance,Managed by,Ownership,Last check-in,Primary user UPN,Serial number,Model";
const GOOD: &str = "aaaa-0,WARD-PHONE,iOS,26.5,,True,False,True,Compliant,Intune,Corporate,2026-12-01 10:00:00,ward@klinik.invalid,SER0,iPhone 15";
const JAILBROKEN: &str = "aaaa-1,JB-PHONE,iOS,26.5,,True,True,True,Compliant,Intune,Corporate,2026-12-01 10:00:00,jb@klinik.invalid,SER1,iPhone 15";

fn write(name: &str, text: &str) -> PathBuf {
    common::write_temp("csv-rows", name, text)
}

/// The JSON report of a scan of `path`, with its exit code.
fn scan(path: &Path) -> (i32, Value) {
    let out = run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
    ]);
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap(), report)
}

/// Asserts that the report's export was read to its end.
fn assert_read_whole(report: &Value) {
    let inventory = inventory(report);
    assert!(inventory["partial"].is_null(), "{inventory}");
}

fn inventory(report: &Value) -> &Value {
    &report["fleet"]["inventories"][0]
}

#[test]
fn a_whole_row_is_read_as_before() {
    let (code, report) = scan(&write(
        "whole.csv",
        &format!("{HEADER}\n{GOOD}\n{JAILBROKEN}\n"),
    ));
    assert_eq!(common::device_targets(&report).len(), 2);
    assert_read_whole(&report);
    // The jailbroken device fails: not compliant, exit 1.
    assert_eq!(code, 1);
}

#[test]
fn a_row_cut_short_is_unreadable_and_makes_the_export_partial() {
    // The jailbroken row lost its flag and everything after it.
    let cut = &JAILBROKEN[..JAILBROKEN.find(",True,True").unwrap() + ",True".len()];
    let (code, report) = scan(&write("cut.csv", &format!("{HEADER}\n{GOOD}\n{cut}\n")));
    // Only the whole row is a device; the cut one is not assessed as
    // though its missing values were unknown.
    assert_eq!(common::device_targets(&report).len(), 1);
    let partial = &inventory(&report)["partial"];
    assert!(partial.is_object(), "{}", inventory(&report));
    let warnings = inventory(&report)["warnings"].to_string();
    assert!(warnings.contains("line 3"), "{warnings}");
    assert!(warnings.contains("wrong number of fields"), "{warnings}");
    // Something unread: exit 4, whatever the devices read show.
    assert_eq!(code, 4);
}

#[test]
fn an_unquoted_delimiter_in_a_value_is_unreadable_not_shifted() {
    let shifted = JAILBROKEN.replace("JB-PHONE", "JB,PHONE");
    let (code, report) = scan(&write(
        "shift.csv",
        &format!("{HEADER}\n{shifted}\n{GOOD}\n"),
    ));
    assert_eq!(common::device_targets(&report).len(), 1);
    assert!(inventory(&report)["partial"].is_object());
    // The user's address never lands in another column's evidence.
    assert!(!report.to_string().contains("jb@klinik.invalid"));
    assert_eq!(code, 4);
}

#[test]
fn an_open_quote_that_swallows_the_rows_after_it_is_unreadable() {
    let open = JAILBROKEN.replace("JB-PHONE", "\"JB PHONE");
    let (code, report) = scan(&write(
        "quote.csv",
        &format!("{HEADER}\n{GOOD}\n{open}\n{GOOD}\n"),
    ));
    assert!(
        inventory(&report)["partial"].is_object(),
        "{}",
        inventory(&report)
    );
    assert_eq!(code, 4);
}

#[test]
fn rows_of_only_delimiters_or_spaces_are_no_devices() {
    let text = format!("{HEADER}\n{GOOD}\n,,,,,,,,,,,,,,\n  \n,,,\n");
    let (code, report) = scan(&write("blank.csv", &text));
    assert_eq!(common::device_targets(&report).len(), 1);
    assert_read_whole(&report);
    assert_ne!(code, 4);
}

#[test]
fn an_empty_field_after_the_last_column_is_a_trailing_delimiter() {
    let (_, report) = scan(&write(
        "trailing.csv",
        &format!("{HEADER}\n{JAILBROKEN},\n"),
    ));
    assert_eq!(common::device_targets(&report).len(), 1);
    assert_read_whole(&report);
}

/// The results of the one device of a report, by check id prefix.
fn outcome(report: &Value, check: &str) -> String {
    let device = common::device_targets(report)[0];
    let r = device["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["check"].as_str().unwrap().starts_with(check))
        .unwrap_or_else(|| panic!("no {check} in {device}"));
    r["outcome"].as_str().unwrap().to_string()
}

#[test]
fn an_encryption_state_intune_calls_unknown_stays_undecided() {
    // An Android row: on an iPhone `Encrypted` alone stays open (the
    // passcode Data Protection needs is not in an Intune export), below.
    let android = GOOD
        .replace(",iOS,26.5,", ",Android,16,")
        .replace("iPhone 15", "Pixel 9");
    for (word, expected) in [
        ("Unknown", "manual"),
        ("Not applicable", "manual"),
        ("Not encrypted", "fail"),
        ("Encrypted", "pass"),
    ] {
        let row = android.replace(",True,False,True,", &format!(",{word},False,True,"));
        let (_, report) = scan(&write("encrypted.csv", &format!("{HEADER}\n{row}\n")));
        assert_eq!(outcome(&report, "DEV-03"), expected, "{word}");
    }
    let (_, iphone) = scan(&write("encrypted.csv", &format!("{HEADER}\n{GOOD}\n")));
    assert_eq!(outcome(&iphone, "DEV-03"), "manual");
}

#[test]
fn a_check_in_after_the_audit_date_is_no_proof_of_a_fresh_device() {
    // (Android: an iPhone's DEV-03 is open before any date, see above.)
    let row = GOOD
        .replace("2026-12-01 10:00:00", "2099-01-01 00:00:00")
        .replace(",iOS,26.5,", ",Android,16,")
        .replace("iPhone 15", "Pixel 9");
    let (_, report) = scan(&write("future.csv", &format!("{HEADER}\n{row}\n")));
    // Managed, but the date cannot be: undecided, not passed.
    assert_eq!(outcome(&report, "DEV-04"), "manual");
    // The encryption it reports is flagged as of unknown age.
    assert_eq!(outcome(&report, "DEV-03"), "warn");
    let text = report.to_string();
    assert!(text.contains("days after 2026-12-05"), "{text}");
    // A date a few days back still passes.
    let (_, fresh) = scan(&write("fresh.csv", &format!("{HEADER}\n{GOOD}\n")));
    assert_eq!(outcome(&fresh, "DEV-04"), "pass");
}
