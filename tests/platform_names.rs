//! DEV-01's evidence names a device's platform as its vendor writes it
//! (iOS, Android), also where it quotes what the OS support data says about
//! the version: the stale-data case and a version the data does not know.

mod common;

use common::run_msgaudit;

const EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-apps/inventories/generic-devices.csv"
);

/// The CSV report of the sample generic export in `lang` on `as_of`.
fn csv(lang: &str, as_of: &str) -> String {
    let out = run_msgaudit([
        "scan", EXPORT, "--format", "csv", "--lang", lang, "--as-of", as_of,
    ]);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn dev01_evidence_names_the_platform_as_written() {
    // 2027-03-01: the built-in OS data is stale, so DEV-01 quotes its note
    // after the platform and version.
    for (lang, stale) in [("en", "more than 180 days"), ("de", "mehr als 180 Tage")] {
        let report = csv(lang, "2027-03-01");
        let quoted = "iOS 26.5: ";
        assert!(
            report
                .lines()
                .any(|l| l.contains(quoted) && l.contains(stale)),
            "{lang}: {report}"
        );
        for raw in ["ios 26.5:", "android 16:", "android 13:"] {
            assert!(!report.contains(raw), "{lang}: {raw} in {report}");
        }
    }
}
