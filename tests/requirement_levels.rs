//! A requirement whose level the DSK catalogue only reconstructs (`MUSS?`,
//! `SOLL?` in dsk/requirements.md §2, not on §0's must-list) is shown as
//! unconfirmed in `--profile dsk-full` reports; §0's must-items as plain
//! „Muss“ (docs/report.md).

mod common;

use common::{run_msgaudit, sample};

/// `scan --profile dsk-full --format FORMAT --lang LANG` of LeakyChat.
fn scan(format: &str, lang: &str) -> String {
    let out = run_msgaudit([
        "scan",
        "--as-of",
        "2026-12-05",
        "--profile",
        "dsk-full",
        "--format",
        format,
        "--lang",
        lang,
        &sample("android/out/leakychat-2.3.apk"),
    ]);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The CSV row of `check`.
fn row<'a>(csv: &'a str, check: &str) -> &'a str {
    csv.lines()
        .find(|l| l.contains(&format!(";{check};")) || l.contains(&format!(",{check},")))
        .unwrap_or_else(|| panic!("no row for {check}: {csv}"))
}

#[test]
fn reconstructed_levels_are_unconfirmed_and_must_list_items_plain() {
    let de = scan("csv", "de");
    // APP-08 and COM-01: MUSS? in §2, not in §0.
    for check in [
        "APP-08-no-permanent-location",
        "COM-01-transport-encryption",
    ] {
        assert!(
            row(&de, check).contains(";Muss, unbestätigt;"),
            "{}",
            row(&de, check)
        );
    }
    // §0's must-items, among them APP-12 and COM-06 that §2 did not settle.
    for check in [
        "APP-05-crash-default-off",
        "APP-12-privacy-defaults",
        "COM-06-no-advertising-tracking",
    ] {
        assert!(row(&de, check).contains(";Muss;"), "{}", row(&de, check));
    }
    // A reconstructed should (COM-07: SOLL?).
    assert!(row(&de, "COM-07-push-without-content").contains(";Soll, unbestätigt;"));

    let table = scan("table", "de");
    assert!(table.contains("APP-08 (Muss, unbestätigt)"), "{table}");
    assert!(table.contains("APP-05 (Muss)"), "{table}");
    let en = scan("md", "en");
    assert!(en.contains("COM-01 (Must, unconfirmed)"), "{en}");
    assert!(en.contains("APP-05 (Must)"), "{en}");
}

#[test]
fn the_summary_marks_failed_must_requirements_whose_level_is_unconfirmed() {
    // LeakyChat fails APP-08 and COM-01 (MUSS? in §2) and APP-05 (§0).
    let table = scan("table", "de");
    let summary: String = table
        .split("Nicht erfüllte Muss-Anforderungen:")
        .nth(1)
        .and_then(|rest| rest.split("Wichtigste Maßnahmen").next())
        .unwrap_or_else(|| panic!("{table}"))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(summary.contains("APP-05,"), "{summary}");
    assert!(summary.contains("APP-08 (unbestätigt),"), "{summary}");
    assert!(summary.contains("COM-01 (unbestätigt),"), "{summary}");
    assert!(!summary.contains("APP-05 (unbestätigt)"), "{summary}");
    let md = scan("md", "en");
    assert!(md.contains("**COM-01 (unconfirmed)**"), "{md}");
    assert!(md.contains("**APP-05** "), "{md}");
    let html = scan("html", "de");
    assert!(html.contains("<li><b>APP-08 (unbestätigt)</b>"), "{html}");
}

#[test]
fn the_json_catalog_marks_unconfirmed_levels() {
    let doc: serde_json::Value = serde_json::from_str(&scan("json", "en")).unwrap();
    let checks = &doc["catalog"]["checks"];
    assert_eq!(checks["APP-08-no-permanent-location"]["level"], "must");
    assert_eq!(
        checks["APP-08-no-permanent-location"]["level_unconfirmed"],
        true
    );
    assert_eq!(
        checks["COM-07-push-without-content"]["level_unconfirmed"],
        true
    );
    // §0's must-items carry no mark.
    let app05 = checks["APP-05-crash-default-off"].as_object().unwrap();
    assert_eq!(app05["level"], "must");
    assert!(!app05.contains_key("level_unconfirmed"), "{app05:?}");
}
