//! Paged exports given as one file per page, through `scan` as a user runs
//! it: Microsoft Graph pages linked by `@odata.nextLink`, Workspace ONE
//! pages that say `Page`, `PageSize` and `Total`; and the notes of an
//! installed-app list no device takes, on that list's error row.
//!
//! Every file is synthetic, written to a temporary folder in the shapes of
//! `docs` and the research note on MDM formats (no corpus file is needed).

mod common;

use std::path::PathBuf;

use serde_json::Value;

/// A Graph `managedDevices` page of devices `from..to`; linking to the
/// next page when `next`, saying the export has `count` devices in all
/// (`@odata.count`) when given.
fn graph_page(from: usize, to: usize, next: bool, count: Option<usize>) -> String {
    let devices: Vec<String> = (from..to)
        .map(|i| format!(r#"{{"id":"3f2b9c1e-0000-4000-8000-{i:012}","deviceName":"D{i}","operatingSystem":"iOS","osVersion":"26.1","isEncrypted":true,"jailBroken":"False","managementAgent":"mdm","serialNumber":"F2LXX{i:07}"}}"#))
        .collect();
    let link = if next {
        format!(
            r#","@odata.nextLink":"https://graph.microsoft.com/beta/deviceManagement/managedDevices?$skiptoken=LastDeviceId%3d%27{to}%27""#
        )
    } else {
        String::new()
    };
    let count = count
        .map(|c| format!(r#""@odata.count":{c},"#))
        .unwrap_or_default();
    format!(
        r#"{{"@odata.context":"https://graph.microsoft.com/beta/$metadata#deviceManagement/managedDevices",{count}"value":[{}]{link}}}"#,
        devices.join(",")
    )
}

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

/// Writes `files` (named, with their texts) to a folder of their own.
fn write(test: &str, files: &[(&str, String)]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|(name, text)| common::write_temp(test, name, text))
        .collect()
}

/// The three pages of a five-device Graph export, each with the total, the
/// last one linking to none: every page of one export (in `test`'s folder).
fn whole_graph_export(test: &str) -> Vec<PathBuf> {
    write(
        test,
        &[
            ("page1.json", graph_page(0, 2, true, Some(5))),
            ("page2.json", graph_page(2, 4, true, Some(5))),
            ("page3.json", graph_page(4, 5, false, Some(5))),
        ],
    )
}

/// `scan --format format --lang lang --as-of 2026-12-05` of `paths`.
fn run(paths: &[PathBuf], format: &str, lang: &str) -> std::process::Output {
    let mut args: Vec<String> = [
        "scan",
        "--format",
        format,
        "--lang",
        lang,
        "--as-of",
        "2026-12-05",
    ]
    .map(String::from)
    .to_vec();
    args.extend(paths.iter().map(|p| p.display().to_string()));
    common::run_msgaudit(&args)
}

/// `scan --format json` of `paths`: the JSON report.
fn scan(paths: &[PathBuf]) -> Value {
    scan_in(paths, "en").0
}

/// `scan --format json --lang lang` of `paths`: the JSON report and what
/// the run printed to stderr.
fn scan_in(paths: &[PathBuf], lang: &str) -> (Value, String) {
    let out = run(paths, "json", lang);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report =
        common::json(&out.stdout).unwrap_or_else(|e| panic!("no JSON report ({e}): {stderr}"));
    (report, stderr)
}

/// The run's notes on its exports for information (`fleet.export_info`),
/// in `lang`.
fn export_info(report: &Value, lang: &str) -> Vec<String> {
    report["fleet"]["export_info"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t[lang].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// One export's notes in the report: English and German, by position.
#[derive(Debug)]
struct Notes {
    en: Vec<String>,
    de: Vec<String>,
}

impl Notes {
    fn any_en(&self, words: &[&str]) -> bool {
        self.en.iter().any(|t| words.iter().all(|w| t.contains(w)))
    }

    fn any_de(&self, words: &[&str]) -> bool {
        self.de.iter().any(|t| words.iter().all(|w| t.contains(w)))
    }
}

/// The fleet's exports' notes, per file name, in the report's order.
fn notes(report: &Value) -> Vec<(String, Notes)> {
    report["fleet"]["inventories"]
        .as_array()
        .expect("the fleet's exports")
        .iter()
        .map(|inv| {
            let path = inv["file"]["path"].as_str().unwrap_or_default();
            let name = path.rsplit(['/', '\\']).next().unwrap_or_default();
            let texts = |lang: &str| -> Vec<String> {
                inv["warnings"]
                    .as_array()
                    .map(|w| {
                        w.iter()
                            .filter_map(|t| t[lang].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            (
                name.to_string(),
                Notes {
                    en: texts("en"),
                    de: texts("de"),
                },
            )
        })
        .collect()
}

/// Whether a note says the fleet may have more devices than listed.
fn warns_of_more(n: &Notes) -> bool {
    n.any_en(&["may have more devices"]) && n.any_de(&["kann mehr Geräte haben"])
}

#[test]
fn every_graph_page_given_with_its_total_is_read_together() {
    let paths = whole_graph_export("graph-all");
    let (report, stderr) = scan_in(&paths, "en");
    assert_eq!(report["fleet"]["devices"], 5, "{report:#}");
    let all = notes(&report);
    assert_eq!(all.len(), 3, "{all:?}");
    // No page warns: that the pages were read together is no warning of
    // one export, but one note for the set.
    for (name, n) in &all {
        assert!(n.en.is_empty() && n.de.is_empty(), "{name}: {n:?}");
    }
    let en = export_info(&report, "en");
    let de = export_info(&report, "de");
    assert_eq!(en.len(), 1, "{report:#}");
    assert!(
        en[0].starts_with("page1.json, page2.json and page3.json are the 3 pages of one export, read together in this scan")
            && en[0].contains("(5, `@odata.count`); no page is missing"),
        "{en:?}"
    );
    assert!(
        de[0].starts_with("page1.json, page2.json und page3.json sind die 3 Seiten eines Exports und wurden in diesem Prüflauf zusammen gelesen")
            && de[0].contains("es fehlt keine Seite"),
        "{de:?}"
    );
    // On stderr a note, once, not a warning.
    assert_eq!(stderr.matches("read together").count(), 1, "{stderr}");
    assert!(
        stderr.contains("msgaudit: note: page1.json, page2.json and page3.json are the 3 pages"),
        "{stderr}"
    );
    assert!(!stderr.contains("warning: this file is one of"), "{stderr}");
    assert!(!stderr.contains(".json: warning"), "{stderr}");
    let (_, stderr) = scan_in(&paths, "de");
    assert!(
        stderr.contains("msgaudit: Hinweis: page1.json, page2.json und page3.json sind"),
        "{stderr}"
    );
    assert!(!stderr.contains(".json: Warnung"), "{stderr}");
    // The human report does not list it as something the exports left
    // unclear.
    let out = run(&paths, "table", "en");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("About the exports (for information):"),
        "{table}"
    );
    assert!(!table.contains("did not say clearly"), "{table}");
}

/// `scan --format sarif --lang lang` of `paths`: the SARIF log's
/// notifications (`invocations[0].toolExecutionNotifications`) as (level,
/// text), the log valid SARIF 2.1.0.
fn sarif_notifications(paths: &[PathBuf], lang: &str) -> Vec<(String, String)> {
    let out = run(paths, "sarif", lang);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no SARIF log ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    common::assert_valid_sarif(&log);
    log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .map(|notes| {
            notes
                .iter()
                .map(|n| {
                    let text = n["message"]["text"].as_str().unwrap_or_default();
                    (n["level"].as_str().unwrap_or_default().into(), text.into())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_sarif_log_notes_the_pages_read_together_for_information() {
    let paths = whole_graph_export("graph-all-sarif");
    for (lang, start, end) in [
        (
            "en",
            "page1.json, page2.json and page3.json are the 3 pages of one export, read together in this scan",
            "no page is missing",
        ),
        (
            "de",
            "page1.json, page2.json und page3.json sind die 3 Seiten eines Exports und wurden in diesem Prüflauf zusammen gelesen",
            "es fehlt keine Seite",
        ),
    ] {
        let notes = sarif_notifications(&paths, lang);
        let about: Vec<&(String, String)> = notes
            .iter()
            .filter(|(_, text)| text.contains("page1.json, page2.json"))
            .collect();
        assert_eq!(about.len(), 1, "{lang}: {notes:?}");
        let (level, text) = about[0];
        assert_eq!(level, "note", "{lang}: information, not a warning: {notes:?}");
        assert!(text.starts_with(start) && text.contains(end), "{lang}: {text}");
    }
}

#[test]
fn graph_pages_without_their_last_page_keep_warning_naming_the_file() {
    let paths = write(
        "graph-no-last",
        &[
            ("page1.json", graph_page(0, 2, true, Some(5))),
            ("page2.json", graph_page(2, 4, true, Some(5))),
        ],
    );
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 2, "{all:?}");
    for (name, n) in &all {
        assert!(warns_of_more(n), "{name}: {n:?}");
        // The total still says how many devices the export has.
        assert!(
            n.any_en(&["5 devices in all (`@odata.count`)"]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_en(&[
                &format!("{name} links with `@odata.nextLink` to a further page"),
                "no file of this scan is the export's last page",
                "at least one page is missing",
            ]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_de(&[
                &format!("{name} verweist mit `@odata.nextLink` auf eine weitere Seite"),
                "Mindestens eine Seite fehlt",
            ]),
            "{name}: {n:?}"
        );
        assert!(!n.any_en(&["read together"]), "{name}: {n:?}");
    }
}

#[test]
fn graph_pages_a_total_does_not_add_up_to_keep_warning() {
    // Page 2 of 3 left out: the last page is there, the total shows the gap.
    let paths = write(
        "graph-gap",
        &[
            ("page1.json", graph_page(0, 2, true, Some(5))),
            ("page3.json", graph_page(4, 5, false, Some(5))),
        ],
    );
    let all = notes(&scan(&paths));
    for (name, n) in &all {
        assert!(warns_of_more(n), "{name}: {n:?}");
        assert!(!n.any_en(&["read together"]), "{name}: {n:?}");
    }
}

#[test]
fn graph_pages_without_a_total_cannot_be_shown_whole_and_say_how_to() {
    // Every page is here, but nothing in the files shows it: a link does
    // not say which page follows, and the pages give no total.
    let paths = write(
        "graph-no-count",
        &[
            ("page1.json", graph_page(0, 2, true, None)),
            ("page2.json", graph_page(2, 4, true, None)),
            ("page3.json", graph_page(4, 5, false, None)),
        ],
    );
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 3, "{all:?}");
    for (name, n) in &all {
        assert!(warns_of_more(n), "{name}: {n:?}");
        assert!(
            n.any_en(&[
                name.as_str(),
                "This scan has 3 pages of this format (page1.json, page2.json and page3.json); page3.json links to no further page",
                "do not show that no page is missing",
                "`@odata.count`",
            ]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_de(&[
                "Dieser Prüflauf enthält 3 Seiten dieses Formats",
                "lässt sich aus den Dateien nicht belegen",
                "Damit diese Warnung entfällt",
                "(ohne `@odata.count` zu entfernen)",
            ]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_en(&["(do not strip `@odata.count`)"]),
            "{name}: {n:?}"
        );
        // A page set's German says „Prüflauf“, never „Scan“.
        assert!(!n.de.iter().any(|t| t.contains("Scan")), "{name}: {n:?}");
    }
}

#[test]
fn a_single_graph_page_alone_keeps_its_further_page_warning() {
    let paths = write(
        "graph-alone",
        &[("page1.json", graph_page(0, 2, true, None))],
    );
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(
        all[0]
            .1
            .any_en(&["the last page of this export links with `@odata.nextLink`"]),
        "{all:?}"
    );
}

#[test]
fn a_workspace_one_page_short_of_its_total_warns_with_page_and_counts() {
    // One page of 3 devices, as many as PageSize, of 7 in all.
    let paths = write("ws1-one", &[("ws1-page0.json", ws1_page(0, 0, 3, 7))]);
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 1, "{all:?}");
    let (name, n) = &all[0];
    assert_eq!(name, "ws1-page0.json");
    assert!(
        n.any_en(&["7 devices in all (`Total`); this file holds 3 (page 0, 3 a page)"]),
        "{n:?}"
    );
    assert!(
        n.any_de(&["insgesamt 7 Geräte (`Total`), diese Datei enthält 3 (Seite 0, 3 je Seite)"]),
        "{n:?}"
    );
    // Every page given: read together instead.
    let paths = write(
        "ws1-all",
        &[
            ("ws1-page0.json", ws1_page(0, 0, 3, 7)),
            ("ws1-page1.json", ws1_page(1, 3, 6, 7)),
            ("ws1-page2.json", ws1_page(2, 6, 7, 7)),
        ],
    );
    let report = scan(&paths);
    for (name, n) in notes(&report) {
        assert!(!warns_of_more(&n), "{name}: {n:?}");
    }
    let en = export_info(&report, "en");
    assert!(
        en.len() == 1 && en[0].contains("read together") && en[0].contains("(7, `Total`)"),
        "{en:?}"
    );
}

/// The notes of the export `name` in the report.
fn of<'a>(all: &'a [(String, Notes)], name: &str) -> &'a Notes {
    &all.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no export {name}: {all:?}"))
        .1
}

/// Whether a page set's note tells it gives no total to add up to (true
/// only when no page gives one).
fn says_no_total(n: &Notes) -> bool {
    n.any_en(&["the pages give no total"]) || n.any_de(&["die Seiten nennen keine Gesamtzahl"])
}

#[test]
fn graph_pages_short_of_their_total_say_how_many_they_hold() {
    // Pages 1 and 3 of an export of 7 devices: 4 devices together.
    let paths = write(
        "graph-short",
        &[
            ("page1.json", graph_page(0, 2, true, Some(7))),
            ("page3.json", graph_page(5, 7, false, Some(7))),
        ],
    );
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 2, "{all:?}");
    for (name, n) in &all {
        assert!(
            n.any_en(&["These 2 pages hold 4 of the 7 devices the export names in all (`@odata.count`): at least one page is missing"]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_de(&["Diese 2 Seiten enthalten 4 der 7 Geräte, die der Export insgesamt nennt (`@odata.count`): Mindestens eine Seite fehlt"]),
            "{name}: {n:?}"
        );
        assert!(!says_no_total(n), "{name}: {n:?}");
        assert!(!n.any_en(&["do not strip"]), "{name}: {n:?}");
    }
    // Every page says 8, the three hold 7.
    let paths = write(
        "graph-short-all",
        &[
            ("page1.json", graph_page(0, 3, true, Some(8))),
            ("page2.json", graph_page(3, 6, true, Some(8))),
            ("page3.json", graph_page(6, 7, false, Some(8))),
        ],
    );
    for (name, n) in notes(&scan(&paths)) {
        assert!(
            n.any_en(&["These 3 pages hold 7 of the 8 devices the export names in all"]),
            "{name}: {n:?}"
        );
        assert!(!says_no_total(&n), "{name}: {n:?}");
    }
}

#[test]
fn a_graph_page_without_the_total_is_named() {
    let paths = write(
        "graph-lacking",
        &[
            ("page1.json", graph_page(0, 2, true, Some(5))),
            ("page2.json", graph_page(2, 4, true, None)),
            ("page3.json", graph_page(4, 5, false, Some(5))),
        ],
    );
    let all = notes(&scan(&paths));
    assert_eq!(all.len(), 3, "{all:?}");
    for (name, n) in &all {
        assert!(
            n.any_en(&["page2.json gives no total (`@odata.count`), the other pages do"]),
            "{name}: {n:?}"
        );
        assert!(
            n.any_de(&[
                "page2.json nennt keine Gesamtzahl (`@odata.count`), die anderen Seiten schon"
            ]),
            "{name}: {n:?}"
        );
        assert!(!says_no_total(n), "{name}: {n:?}");
    }
}

#[test]
fn a_page_given_twice_is_named_as_given_twice() {
    let paths = whole_graph_export("graph-twice");
    let mut given = paths.clone();
    given.push(paths[2].clone());
    let report = scan(&given);
    let all = notes(&report);
    assert_eq!(all.len(), 4, "{all:?}");
    for (name, n) in &all {
        assert!(!n.any_en(&["page3.json and page3.json"]), "{name}: {n:?}");
        assert!(!warns_of_more(n), "{name}: {n:?}");
    }
    // The repeat says so; the pages given once are read together.
    let (_, again) = &all[3];
    assert!(
        again.any_en(&["page3.json was given twice to this scan"])
            && again.any_de(&["page3.json wurde diesem Prüflauf zweimal übergeben"]),
        "{again:?}"
    );
    assert!(of(&all, "page1.json").en.is_empty(), "{all:?}");
    let en = export_info(&report, "en");
    assert!(
        en.len() == 1 && en[0].starts_with("page1.json, page2.json and page3.json are the 3 pages"),
        "{en:?}"
    );
}

/// An Apple MDM answer of two responses: an installed-app list of device
/// `udid` that gives one app's `Identifier` twice with different values,
/// and a device that answered `NotNow`.
fn app_list(udid: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><array>
<dict>
<key>CommandUUID</key><string>00000000-1111-2222-3333-444455556601</string>
<key>InstalledApplicationList</key><array>
 <dict><key>Identifier</key><string>org.whispersystems.signal</string><key>Identifier</key><string>ph.telegra.Telegraph</string><key>Name</key><string>Signal</string></dict>
</array>
<key>Status</key><string>Acknowledged</string>
<key>UDID</key><string>{udid}</string>
</dict>
<dict>
<key>CommandUUID</key><string>00000000-1111-2222-3333-444455556602</string>
<key>Status</key><string>NotNow</string>
<key>UDID</key><string>00000000-1111-2222-3333-444455556699</string>
</dict>
</array></plist>"#
    )
}

#[test]
fn the_notes_of_an_app_list_no_device_takes_are_on_its_error_row() {
    let paths = write(
        "apps-unjoined",
        &[
            ("devices.json", graph_page(0, 2, false, None)),
            (
                "apps.plist",
                app_list("00000000-1111-2222-3333-444455556666"),
            ),
        ],
    );
    let report = scan(&paths);
    let row = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| {
            t["target"]["file"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("apps.plist"))
        })
        .unwrap_or_else(|| panic!("no row for the list: {report:#}"));
    assert_eq!(row["verdict"], "error", "{row:#}");
    // The file is identifiable: its hash.
    assert!(row["target"]["file"]["sha256"].is_string(), "{row:#}");
    let en = row["error"].as_str().unwrap_or_default();
    let de = row["error_de"].as_str().unwrap_or_default();
    assert!(en.contains("no device of this scan has UDID"), "{en}");
    assert!(
        en.contains("Reading the file also noted")
            && en.contains("response 2: the device answered Status = NotNow")
            && en.contains("`InstalledApplicationList.Identifier` is given twice"),
        "{en}"
    );
    assert!(
        de.contains("Beim Lesen der Datei außerdem vermerkt")
            && de.contains("Antwort 2: das Gerät antwortete mit Status = NotNow")
            && de.contains("`InstalledApplicationList.Identifier` steht zweimal"),
        "{de}"
    ); // The file was read; it is not called unreadable, but not assessed.
    for (lang, heading, wrong) in [
        (
            "en",
            "The target could not be assessed",
            "could not be read",
        ),
        (
            "de",
            "Das Prüfobjekt konnte nicht ausgewertet werden",
            "nicht gelesen werden",
        ),
    ] {
        let md = String::from_utf8_lossy(&run(&paths, "md", lang).stdout).into_owned();
        assert!(md.contains(heading) && !md.contains(wrong), "{lang}:\n{md}");
    }
}

/// `scan --format csv --lang lang` of `paths`: the CSV's rows (header
/// first), read in the report language's dialect.
fn csv_rows(paths: &[PathBuf], lang: &str) -> Vec<Vec<String>> {
    let out = run(paths, "csv", lang);
    let text = String::from_utf8(out.stdout).expect("UTF-8 CSV");
    let separator = if lang == "de" { b';' } else { b',' };
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.expect("CSV row").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_csv_tells_pages_read_together_as_information() {
    let paths = whole_graph_export("graph-all-csv");
    for (lang, target, kind, words) in [
        (
            "en",
            "Exports",
            "Information",
            "page1.json, page2.json and page3.json are the 3 pages of one export, read together in this scan",
        ),
        (
            "de",
            "Exporte",
            "Information",
            "page1.json, page2.json und page3.json sind die 3 Seiten eines Exports und wurden in diesem Prüflauf zusammen gelesen",
        ),
    ] {
        let rows = csv_rows(&paths, lang);
        let told: Vec<&Vec<String>> = rows
            .iter()
            .filter(|r| r.get(14).is_some_and(|m| m.contains(words)))
            .collect();
        assert_eq!(told.len(), 1, "{lang}: {rows:#?}");
        let row = told[0];
        // The CSV keeps its 18 columns; the row is information: its own
        // kind, no verdict, nothing in the check columns.
        assert_eq!(row.len(), 18, "{row:?}");
        assert_eq!((row[0].as_str(), row[1].as_str()), (target, kind), "{row:?}");
        assert!(
            row.iter()
                .enumerate()
                .all(|(i, c)| i < 2 || i == 14 || c.is_empty()),
            "{row:?}"
        );
    }
}

/// Page sets from different folders whose files share names: the notes
/// name each page by the end of its path that tells it apart, not by a
/// bare name that two files have („page1.json und page1.json“).
#[test]
fn pages_of_same_name_from_different_folders_are_named_apart() {
    let eu = write(
        "names-eu",
        &[
            ("page1.json", graph_page(0, 2, true, Some(4))),
            ("page2.json", graph_page(2, 4, false, Some(4))),
        ],
    );
    let us = write(
        "names-us",
        &[
            ("page1.json", graph_page(10, 12, true, Some(3))),
            ("page2.json", graph_page(12, 13, false, Some(3))),
        ],
    );
    let folder = |p: &PathBuf| {
        let dir = p.parent().and_then(|d| d.file_name()).unwrap();
        dir.to_string_lossy().into_owned()
    };
    let (eu_dir, us_dir) = (folder(&eu[0]), folder(&us[0]));
    let paths: Vec<PathBuf> = eu.iter().chain(&us).cloned().collect();
    let report = scan(&paths);
    assert_eq!(report["fleet"]["devices"], 7, "{report:#}");
    let en = export_info(&report, "en");
    let de = export_info(&report, "de");
    assert_eq!(en.len(), 2, "{en:?}");
    for dir in [&eu_dir, &us_dir] {
        let (one, two) = (format!("{dir}/page1.json"), format!("{dir}/page2.json"));
        assert!(
            en.iter()
                .any(|n| n.starts_with(&format!("{one} and {two} are the 2 pages of one export"))),
            "{en:?}"
        );
        assert!(
            de.iter()
                .any(|n| n.starts_with(&format!("{one} und {two} sind die 2 Seiten eines Exports"))),
            "{de:?}"
        );
    }
    // Names no other file of the scan has stay bare.
    let single = write(
        "names-single",
        &[
            ("alpha.json", graph_page(20, 22, true, Some(3))),
            ("beta.json", graph_page(22, 23, false, Some(3))),
        ],
    );
    let mut mixed = single.clone();
    mixed.extend(eu.iter().cloned());
    let en = export_info(&scan(&mixed), "en");
    assert!(
        en.iter()
            .any(|n| n.starts_with("alpha.json and beta.json are the 2 pages")),
        "{en:?}"
    );
    assert!(
        en.iter()
            .any(|n| n.starts_with("page1.json and page2.json are the 2 pages")),
        "{en:?}"
    );
}
