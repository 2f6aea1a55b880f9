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
