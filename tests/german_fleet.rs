//! The fleet part of a German report reads German throughout: evidence kinds
//! in every format a person reads (CSV and SARIF's evidence lines too), a
//! device named by its record, the platform, the profile's origin, and the
//! disagreement of two exports.

mod common;

use common::run_msgaudit;
use serde_json::Value;

const INVENTORIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/sample-apps/inventories");

/// The report of the sample inventories in German, in `format`.
fn german(format: &str) -> String {
    let out = run_msgaudit([
        "scan",
        INVENTORIES,
        "--lang",
        "de",
        "--format",
        format,
        "--as-of",
        "2026-12-05",
    ]);
    assert!(
        out.status.code().is_some_and(|c| c < 4),
        "{format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn evidence_kinds_are_german_in_csv_and_in_sarifs_evidence_lines() {
    let csv = german("csv");
    assert!(csv.contains("Feld: "), "{csv}");
    assert!(!csv.contains("field: "), "{csv}");
    assert!(csv.contains("Widerspruch zwischen Exporten: maßgeblich ist die jüngste Meldung"));
    let sarif: Value = serde_json::from_str(&german("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let lines: Vec<&str> = results
        .iter()
        .flat_map(|r| r["properties"]["evidence"].as_array().unwrap())
        .map(|e| e["text"].as_str().unwrap())
        .collect();
    assert!(lines.iter().any(|l| l.starts_with("Feld: ")), "{lines:?}");
    assert!(!lines.iter().any(|l| l.starts_with("field: ")), "{lines:?}");
    // The kind itself stays machine-readable.
    assert!(results
        .iter()
        .flat_map(|r| r["properties"]["evidence"].as_array().unwrap())
        .any(|e| e["kind"] == "field"));
}

#[test]
fn devices_platforms_and_the_profile_are_named_in_german() {
    for format in ["md", "html", "table"] {
        let text = german(format);
        // A device the export names nothing else is named by its record.
        assert!(text.contains("Datensatz 2"), "{format}");
        assert!(!text.contains("record 2"), "{format}");
        assert!(!text.contains("response 5"), "{format}");
        assert!(!text.contains("Gerät(e)"), "{format}");
        assert!(!text.contains("conflict:"), "{format}");
        assert!(!text.contains("Check-in"), "{format}");
    }
    let md = german("md");
    assert!(md.contains("(dsk-must, mitgeliefert)"), "{md}");
    assert!(md.contains("| Letzter MDM-Kontakt |"), "{md}");
    assert!(md.contains("| iOS |") && md.contains("| Android |"), "{md}");
    assert!(
        !md.contains("| ios |") && !md.contains("| android |"),
        "{md}"
    );
    assert!(md.contains("| dienstlich |"), "{md}");
}

/// The report of the sample inventories in `lang` and `format`.
fn report(lang: &str, format: &str) -> String {
    let out = run_msgaudit([
        "scan",
        INVENTORIES,
        "--lang",
        lang,
        "--format",
        format,
        "--as-of",
        "2026-12-05",
    ]);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_export_whose_devices_count_with_another_export_does_not_read_as_empty() {
    // The Intune Graph export's 6 devices are all merged with devices of
    // exports read later; the export list says so instead of "Devices: 0".
    let json: Value = serde_json::from_str(&report("en", "json")).unwrap();
    let graph = json["fleet"]["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| {
            i["file"]["path"]
                .as_str()
                .unwrap()
                .ends_with("intune-graph-managedDevices.json")
        })
        .expect("the Graph export is listed");
    assert_eq!(
        (
            graph["devices"].as_u64(),
            graph["merged_elsewhere"].as_u64()
        ),
        (Some(0), Some(6)),
        "{graph}"
    );
    let merged = |lang: &str| match lang {
        "de" => {
            "(intune-graph, Geräte: 0 hier gezählt, 6 mit einem anderen Export zusammengeführt)"
        }
        _ => "(intune-graph, devices: 0 counted here, 6 merged into another export)",
    };
    let plain = |lang: &str| match lang {
        "de" => "(jamf-xml, Geräte: 4)",
        _ => "(jamf-xml, devices: 4)",
    };
    for lang in ["de", "en"] {
        for format in ["table", "html", "md"] {
            // The table wraps long lines: compare words only.
            let text = report(lang, format)
                .split_whitespace()
                .filter(|w| *w != "│" && *w != "|")
                .collect::<Vec<_>>()
                .join(" ");
            assert!(text.contains(merged(lang)), "{lang} {format}:\n{text}");
            assert!(text.contains(plain(lang)), "{lang} {format}:\n{text}");
            for empty in ["(intune-graph, Geräte: 0)", "(intune-graph, devices: 0)"] {
                assert!(!text.contains(empty), "{lang} {format} says {empty}");
            }
        }
    }
}
