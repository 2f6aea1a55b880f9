//! A paged export given as one file per page: the pages' "the export has N
//! devices in all" warnings are true of a file alone, not of a scan that
//! reads every page. Checked through `scan`, as a user runs it.

mod common;

use std::path::PathBuf;

use serde_json::Value;

/// A Workspace ONE devices/search page `page` (3 a page) of devices
/// `from..to`, saying the export has `total` in all.
fn ws1_page(page: usize, from: usize, to: usize, total: usize) -> String {
    let devices: Vec<String> = (from..to)
        .map(|i| format!(r#"{{"Id":{{"Value":{i}}},"Udid":"U{i}","SerialNumber":"S{i}","DeviceFriendlyName":"d{i}","Platform":"Apple","OperatingSystem":"26.1","EnrollmentStatus":"Enrolled"}}"#))
        .collect();
    format!(
        r#"{{"Devices":[{}],"Page":{page},"PageSize":3,"Total":{total}}}"#,
        devices.join(",")
    )
}

/// `scan --format json` of `files` (named, with their texts): the fleet's
/// inventories' English warnings, per file name.
fn warnings(test: &str, files: &[(&str, String)]) -> Vec<(String, Vec<String>)> {
    let paths: Vec<PathBuf> = files
        .iter()
        .map(|(name, text)| common::write_temp(test, name, text))
        .collect();
    let mut args = vec![
        "scan".to_string(),
        "--format".into(),
        "json".into(),
        "--as-of".into(),
        "2026-12-05".into(),
    ];
    args.extend(paths.iter().map(|p| p.display().to_string()));
    let out = common::run_msgaudit(&args);
    let report: Value = common::json(&out.stdout).expect("a JSON report");
    report["fleet"]["inventories"]
        .as_array()
        .expect("the fleet's exports")
        .iter()
        .map(|inv| {
            let name = inv["file"]["path"].as_str().unwrap_or_default();
            let name = name.rsplit('/').next().unwrap_or_default().to_string();
            let texts = inv["warnings"]
                .as_array()
                .map(|w| {
                    w.iter()
                        .filter_map(|t| t["en"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (name, texts)
        })
        .collect()
}

fn says_total(texts: &[String]) -> bool {
    texts.iter().any(|t| t.contains("in all (`Total`)"))
}

#[test]
fn every_page_of_an_export_in_one_scan_warns_of_no_missing_devices() {
    let all = warnings(
        "pages-all",
        &[
            ("page0.json", ws1_page(0, 0, 3, 7)),
            ("page1.json", ws1_page(1, 3, 6, 7)),
            ("page2.json", ws1_page(2, 6, 7, 7)),
        ],
    );
    assert_eq!(all.len(), 3, "{all:?}");
    for (name, texts) in &all {
        assert!(!says_total(texts), "{name}: {texts:?}");
    }
}

#[test]
fn a_page_left_out_keeps_the_warning_on_every_page_given() {
    let some = warnings(
        "pages-some",
        &[
            ("page0.json", ws1_page(0, 0, 3, 7)),
            ("page2.json", ws1_page(2, 6, 7, 7)),
        ],
    );
    assert_eq!(some.len(), 2, "{some:?}");
    for (name, texts) in &some {
        assert!(says_total(texts), "{name}: {texts:?}");
    }
    // The same page given twice does not stand in for the one left out.
    let twice = warnings(
        "pages-twice",
        &[
            ("a.json", ws1_page(0, 0, 3, 6)),
            ("b.json", ws1_page(0, 10, 13, 6)),
        ],
    );
    for (name, texts) in &twice {
        assert!(says_total(texts), "{name}: {texts:?}");
    }
}
