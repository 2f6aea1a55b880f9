//! An inventory's facts document scanned later is judged on the scan's
//! audit date, with the scan's OS data and the fleet's patch-level floor:
//! exactly as the export it was made from would be. A document made in
//! summer must not show a device as having checked in "11 days ago" in
//! December, and its devices' patch levels count towards the floor every
//! device of the scan is judged against.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{run_msgaudit, write_temp};

const EXPORT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/sample-apps/inventories/intune-graph-managedDevices.json"
);

/// The scan's audit date, later than every check-in of the sample export.
const SCAN_DATE: &str = "2027-03-01";

/// The facts document of `export` made with `--as-of as_of`.
fn document(export: &Path, as_of: &str, name: &str) -> PathBuf {
    let path = std::env::temp_dir()
        .join(format!("msgaudit-fleet-docs-{}", std::process::id()))
        .join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let out = run_msgaudit([
        "facts",
        export.to_str().unwrap(),
        "--as-of",
        as_of,
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// The device results of a CSV scan of `inputs` on [`SCAN_DATE`]: per row
/// target, source, verdict, check, outcome, finding and evidence (not the
/// file it was read from, which differs between an export and its document).
fn device_rows(inputs: &[&Path]) -> BTreeSet<Vec<String>> {
    let mut args = vec!["scan", "--format", "csv", "--as-of", SCAN_DATE];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let out = run_msgaudit(&args);
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let kept = [
        "Target", "Kind", "Source", "Verdict", "Check", "Outcome", "Finding", "Evidence",
    ]
    .map(column);
    let rows: BTreeSet<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[column("Kind")] == "Device")
        .map(|r| kept.iter().map(|&i| r[i].to_string()).collect())
        .collect();
    assert!(!rows.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    rows
}

/// The rows of check `check` that say `outcome`.
fn with_outcome<'a>(
    rows: &'a BTreeSet<Vec<String>>,
    check: &'a str,
    outcome: &'a str,
) -> impl Iterator<Item = &'a Vec<String>> + 'a {
    rows.iter()
        .filter(move |r| r[4] == check && r[5] == outcome)
}

#[test]
fn a_document_made_earlier_is_judged_on_the_scans_audit_date() {
    let doc = document(Path::new(EXPORT), "2026-12-01", "earlier.json");
    let from_document = device_rows(&[&doc]);
    let from_export = device_rows(&[Path::new(EXPORT)]);
    assert_eq!(from_document, from_export);
    // On the document's date the sample devices had checked in within 30
    // days; on the scan's date, three months later, none has.
    assert_eq!(
        with_outcome(&from_document, "DEV-04-managed", "Pass").count(),
        0
    );
    assert!(
        from_document
            .iter()
            .any(|r| r[4] == "DEV-04-managed" && r[7].contains(&format!("before {SCAN_DATE}"))),
        "{from_document:#?}"
    );
}

/// A device list in the generic CSV format with one Android device.
fn android_list(name: &str, serial: &str, patch: &str) -> PathBuf {
    let csv = format!(
        "device_id,device_name,platform,os_version,android_patch_level,passcode_present,encrypted,compromised,managed,last_checkin,serial\n\
         {serial},{name},android,16,{patch},true,true,false,true,2027-02-27T08:00:00Z,{serial}\n"
    );
    write_temp("fleet-docs", &format!("{name}.csv"), &csv)
}

#[test]
fn a_documents_patch_level_is_the_floor_of_the_exports_scanned_with_it() {
    // The document's device reports a level newer than the built-in OS
    // data's: evidence the level was published, so the other export's
    // device, three months behind it, is judged against it.
    let newest = android_list("newest", "N-0001", "2027-02-01");
    let behind = android_list("behind", "B-0001", "2026-11-01");
    let doc = document(&newest, "2027-02-28", "newest.json");
    let with_document = device_rows(&[&doc, &behind]);
    let with_export = device_rows(&[&newest, &behind]);
    assert_eq!(with_document, with_export);
    let behind_dev01: Vec<_> = with_document
        .iter()
        .filter(|r| r[4] == "DEV-01-os-supported-patched" && r[7].contains("2026-11-01"))
        .collect();
    assert_eq!(behind_dev01.len(), 1, "{with_document:#?}");
    assert!(
        behind_dev01[0][7].contains("2027-02-01"),
        "{behind_dev01:#?}"
    );
}

#[test]
fn a_device_several_documents_list_is_one_device() {
    // The sample Intune Graph export and the Intune portal's CSV export list
    // the same devices: as documents they are merged as the exports are.
    let dir = Path::new(EXPORT).parent().unwrap();
    let graph = Path::new(EXPORT);
    let portal = dir.join("intune-portal-export.csv");
    let graph_doc = document(graph, "2026-12-01", "graph.json");
    let portal_doc = document(&portal, "2026-12-01", "portal.json");
    let from_documents = device_rows(&[&graph_doc, &portal_doc]);
    let from_exports = device_rows(&[graph, &portal]);
    assert_eq!(from_documents, from_exports);
    let targets = |rows: &BTreeSet<Vec<String>>| {
        rows.iter()
            .map(|r| r[0].clone())
            .collect::<BTreeSet<_>>()
            .len()
    };
    let listed = device_rows(&[&graph_doc])
        .iter()
        .map(|r| &r[0])
        .collect::<BTreeSet<_>>()
        .len()
        + device_rows(&[&portal_doc])
            .iter()
            .map(|r| &r[0])
            .collect::<BTreeSet<_>>()
            .len();
    assert!(targets(&from_documents) < listed, "{from_documents:#?}");
    // A document and an export of the same devices merge too; the document
    // counts as the device list after the exports (a device counts with the
    // list read last, and equal check-ins are taken in that order).
    assert_eq!(
        device_rows(&[&graph_doc, &portal]),
        device_rows(&[&portal, graph])
    );
}
