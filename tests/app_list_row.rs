//! The error row of an Apple MDM installed-app list that no device of the
//! scan takes, in every report format: the notes reading the file gave are
//! told each apart (a list item in the table, Markdown and HTML, one line in
//! JSON, ` | ` between them in a CSV cell — the notes hold `;`
//! themselves), without the file's name the row already gives, and the row
//! is labelled an installed-app list, not a device inventory.
//!
//! The list is synthetic, written to a temporary folder; the devices are
//! the sample `apple-mdm-responses.plist`, none of which the list names.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The list file: an acknowledged list of a device no export of the scan
/// lists, a device that answered `NotNow`, and a list without `UDID`.
const LIST: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><array>
<dict><key>CommandUUID</key><string>c</string><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>00008101-00000000000F00FF</string></dict>
<dict><key>CommandUUID</key><string>c</string><key>Status</key><string>NotNow</string><key>UDID</key><string>00008101-00000000000D001C</string></dict>
<dict><key>CommandUUID</key><string>c</string><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array><key>Status</key><string>Acknowledged</string></dict>
</array></plist>"#;

/// The first words of the two notes, English and German.
const NOTES_EN: [&str; 2] = [
    "response 2: the device answered Status = NotNow, no app list; skipped (the device's messengers stay unknown unless another response lists them)",
    "response 3: names no UDID, so it cannot be joined to a device; skipped",
];
const NOTES_DE: [&str; 2] = [
    "Antwort 2: das Gerät antwortete mit Status = NotNow, keine App-Liste; übersprungen (die Messenger des Geräts bleiben unbekannt, sofern keine andere Antwort sie nennt)",
    "Antwort 3: nennt keine UDID und lässt sich daher keinem Gerät zuordnen; übersprungen",
];

/// The list's file name.
const NAME: &str = "unjoined-apps.plist";

/// The list, written once per test process.
fn list() -> PathBuf {
    common::write_temp("app-list-row", NAME, LIST)
}

/// `scan --format FORMAT --lang LANG` of the sample devices and `list`
/// (stdout; never failing on findings).
fn scan(format: &str, lang: &str, list: &Path) -> String {
    let out = scan_with(format, lang, "apple-mdm-responses.plist", list);
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// `scan --format FORMAT --lang LANG` of the sample export `devices` and
/// the list `list`, never failing on findings.
fn scan_with(format: &str, lang: &str, devices: &str, list: &Path) -> std::process::Output {
    scan_lists(format, lang, devices, &[list])
}

/// [`scan_with`] of several list files (or other exports) `lists`.
fn scan_lists(format: &str, lang: &str, devices: &str, lists: &[&Path]) -> std::process::Output {
    let options = [
        "scan",
        "--format",
        format,
        "--lang",
        lang,
        "--as-of",
        "2026-12-05",
    ];
    let devices = common::sample(&format!("inventories/{devices}"));
    let args = options
        .iter()
        .map(|o| o.to_string())
        .chain(["--fail-on".to_string(), "never".into(), devices])
        .chain(lists.iter().map(|l| l.display().to_string()));
    common::run_msgaudit(args.collect::<Vec<_>>())
}

/// The notes of `lang`.
fn notes(lang: &str) -> [&'static str; 2] {
    if lang == "de" {
        NOTES_DE
    } else {
        NOTES_EN
    }
}

/// The verdict of a list that matched no device in `lang`, and the
/// verdict it is not called (it was read).
fn verdicts(lang: &str) -> (&'static str, &'static str) {
    if lang == "de" {
        ("Nicht zugeordnet", "Nicht lesbar")
    } else {
        ("Not matched", "Unreadable")
    }
}

/// The kind label of the list in `lang`.
fn label(lang: &str) -> &'static str {
    if lang == "de" {
        "Liste installierter Apps"
    } else {
        "Installed-app list"
    }
}

#[test]
fn table_lists_each_note_without_the_file_and_names_the_kind() {
    let list = list();
    for lang in ["en", "de"] {
        let out = scan("table", lang, &list);
        // The table wraps long lines: read the list items joined again.
        let text = out.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        for note in notes(lang) {
            assert!(text.contains(&format!("- {note}")), "{lang}: {note}\n{out}");
        }
        // Each note starts a line of its own.
        for note in notes(lang) {
            let start: String = note.chars().take(24).collect();
            assert!(
                out.lines()
                    .any(|l| l.trim().starts_with(&format!("- {start}"))),
                "{lang}: {note}\n{out}"
            );
        }
        // The file is named by the row, not again in its notes.
        assert!(!text.contains(&format!("{NAME}, response")), "{out}");
        assert!(!text.contains(&format!("{NAME}“, Antwort")), "{out}");
        let kind = label(lang);
        assert!(
            out.contains(&format!("== {NAME} ({kind})")),
            "{lang}: {out}"
        );
        // Read, it is not called unreadable: it matched no device.
        let (matched, unreadable) = verdicts(lang);
        assert!(
            out.contains(&format!("{NAME} ({kind}) — {matched} —")),
            "{lang}: executive summary\n{out}"
        );
        assert!(
            out.contains(&format!(": {matched}   ")),
            "{lang}: the target's verdict line\n{out}"
        );
        assert!(
            !out.lines()
                .any(|l| l.contains(NAME) && l.contains(unreadable)),
            "{lang}: {out}"
        );
        assert!(
            !out.contains(&format!("{NAME} (Device inventory)")),
            "{out}"
        );
        assert!(!out.contains(&format!("{NAME} (Geräteinventar)")), "{out}");
    }
}

#[test]
fn markdown_lists_each_note_without_the_file_and_names_the_kind() {
    let list = list();
    for (lang, kind_label) in [("en", "Kind"), ("de", "Art")] {
        let out = scan("md", lang, &list);
        // The overview says why nothing was checked: the list was read.
        let why = if lang == "de" {
            "| nicht geprüft (keinem Gerät zugeordnet) |"
        } else {
            "| not checked (joined to no device) |"
        };
        assert!(
            out.lines()
                .any(|l| l.starts_with(&format!("| {NAME} (")) && l.ends_with(why)),
            "{lang}: {out}"
        );
        assert!(!out.contains("Datei nicht lesbar)"), "{out}");
        assert!(!out.contains("(file unreadable)"), "{out}");
        for note in notes(lang) {
            // Markdown escapes `_` and the like; the notes hold none of them.
            assert!(
                out.lines().any(|l| l == format!("  - {note}")),
                "{lang}: {note}\n{out}"
            );
        }
        assert!(!out.contains(&format!("{NAME}, response")), "{out}");
        assert!(!out.contains(&format!("{NAME}“, Antwort")), "{out}");
        let kind = label(lang);
        assert!(
            out.contains(&format!("- **{kind_label}:** {kind}")),
            "{lang}: {out}"
        );
        assert!(
            out.contains(&format!("| {NAME} ({kind}) |")),
            "{lang}: {out}"
        );
        let (matched, unreadable) = verdicts(lang);
        assert!(
            out.contains(&format!("## {NAME} — {matched}\n")),
            "{lang}: {out}"
        );
        assert!(
            out.contains(&format!("| {NAME} ({kind}) | **{matched}** |")),
            "{lang}: {out}"
        );
        assert!(!out.contains(&format!("## {NAME} — {unreadable}")), "{out}");
    }
}

#[test]
fn csv_holds_the_notes_apart_in_one_cell_and_names_the_kind() {
    let list = list();
    for (lang, separator) in [("en", b','), ("de", b';')] {
        let out = scan("csv", lang, &list);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("CSV row")).collect();
        let row = rows
            .iter()
            .find(|r| r.get(0) == Some(NAME))
            .unwrap_or_else(|| panic!("{lang}: no row of the list\n{out}"));
        // The columns stay: 18 of them, the kind in the second.
        assert_eq!(row.len(), 18, "{row:?}");
        assert_eq!(row.get(1), Some(label(lang)), "{row:?}");
        assert_eq!(row.get(5), Some(verdicts(lang).0), "{row:?}");
        let message = row.get(14).unwrap_or_default();
        let [first, second] = notes(lang);
        assert!(
            message.contains(&format!("{first} | {second}")),
            "{lang}: {message}"
        );
        assert!(!message.contains(NAME), "{lang}: {message}");
    }
}

#[test]
fn json_gives_each_note_a_line_of_its_own() {
    let list = list();
    let out = scan("json", "en", &list);
    let report: Value = common::json(out.as_bytes()).expect("JSON report");
    let target = report["targets"]
        .as_array()
        .expect("targets")
        .iter()
        .find(|t| t["target"]["name"] == NAME)
        .expect("the list's target");
    // The machine-readable kind stays `inventory`, the verdict `error`;
    // why it was not used is a field of its own (since schema 2.4).
    assert_eq!(target["target"]["kind"], "inventory");
    assert_eq!(target["verdict"], "error");
    assert_eq!(target["unused_app_list"], "unmatched");
    for (field, lang) in [("error", "en"), ("error_de", "de")] {
        let error = target[field].as_str().expect("error");
        let lines: Vec<&str> = error.lines().skip(1).collect();
        let expected: Vec<String> = notes(lang).iter().map(|n| format!("- {n}")).collect();
        assert_eq!(lines, expected, "{field}: {error}");
        assert!(!error.contains(NAME), "{field}: {error}");
    }
}

/// A device export that cannot be read is labelled a device inventory, not
/// an installed-app list. (An empty `.json` is a file of unknown kind: its
/// name does not say what it is, docs/report.md.)
#[test]
fn an_unreadable_device_export_stays_a_device_inventory() {
    let cut = common::write_temp(
        "app-list-row-cut",
        "devices.json",
        r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices","value":[{"id":"1","#,
    );
    for (lang, kind) in [("en", "Device inventory"), ("de", "Geräteinventar")] {
        let out = common::run_msgaudit([
            "scan",
            "--format",
            "md",
            "--lang",
            lang,
            "--as-of",
            "2026-12-05",
            &cut.display().to_string(),
        ]);
        let out = String::from_utf8(out.stdout).expect("UTF-8 report");
        assert!(
            out.contains(&format!("devices.json ({kind})")) || out.contains(&format!(":** {kind}")),
            "{lang}: {out}"
        );
    }
}

/// An Apple MDM list file with the lists of three devices, only the first
/// of which (`…A001C`) is in the sample export: the two others name devices
/// no export of the scan lists (retired since, say).
const PARTLY_APPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><array>
<dict><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>net.whatsapp.WhatsApp</string><key>Name</key><string>WhatsApp</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>00008101-00000000000A001C</string></dict>
<dict><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>00008101-00000000000F00FF</string></dict>
<dict><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>com.apple.mobilesafari</string><key>Name</key><string>Safari</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>00008101-00000000000F00EE</string></dict>
</array></plist>"#;

/// A Workspace ONE list file with the lists of two devices, only the first
/// of which (5521) is in the sample export.
const PARTLY_WS1: &str = r#"{"DeviceApps":[
 {"ApplicationName":"Signal","ApplicationIdentifier":"org.whispersystems.signal","DeviceId":{"Id":{"Value":5521}}},
 {"ApplicationName":"Safari","ApplicationIdentifier":"com.apple.mobilesafari","DeviceId":{"Id":{"Value":987654}}}]}"#;

/// A list file some of whose lists a device of the scan takes was read in
/// full and used: it is no error row and does not make the run exit 4
/// („nicht vollständig lesbar“); the lists naming a device no export lists
/// are told, counted, as information about the exports — in both
/// languages, on standard error and in every report — without the ids.
#[test]
fn a_partly_taken_list_is_no_error_and_tells_the_lists_left_over() {
    let apple = common::write_temp("app-list-partly", "partly-apps.plist", PARTLY_APPLE);
    let ws1 = common::write_temp("app-list-partly", "partly-apps.json", PARTLY_WS1);
    let cases = [
        (
            "apple-mdm-responses.plist",
            &apple,
            "partly-apps.plist: it lists the apps of 3 devices, 2 of which no export of this scan lists; their lists were not used (for instance because those devices have been retired since or their export was not given)",
            "partly-apps.plist“: Sie nennt die Apps von 3 Geräten, von denen 2 in keinem Export dieses Prüflaufs vorkommen; deren Listen wurden nicht verwendet (etwa weil diese Geräte inzwischen ausgemustert sind oder ihr Export nicht angegeben wurde)",
            "whatsapp",
        ),
        (
            "workspace-one-devices.json",
            &ws1,
            "partly-apps.json: it lists the apps of 2 devices, 1 of which no export of this scan lists; its list was not used (for instance because the device has been retired since or its export was not given)",
            "partly-apps.json“: Sie nennt die Apps von 2 Geräten, von denen eines in keinem Export dieses Prüflaufs vorkommt; dessen Liste wurde nicht verwendet (etwa weil das Gerät inzwischen ausgemustert ist oder sein Export nicht angegeben wurde)",
            "signal",
        ),
    ];
    for (devices, list, en, de, messenger) in cases {
        let name = list.file_name().unwrap().to_str().unwrap();
        // JSON: no target of the list, exit 0, the list among the inputs,
        // its device's messenger counted, the note among export_info.
        let out = scan_with("json", "en", devices, list);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "msgaudit: note: installed-app list {}",
                list.display()
            )) && stderr.contains(en),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("error"), "{name}: {stderr}");
        let report: Value = common::json(&out.stdout).expect("JSON report");
        assert!(
            !report["targets"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["target"]["name"] == name || t["verdict"] == "error"),
            "{name}: {}",
            report["targets"]
        );
        assert!(
            report["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .any(|i| i["role"] == "installed_apps"
                    && i["file"]["path"].as_str().unwrap().ends_with(name)),
            "{name}: {}",
            report["inputs"]
        );
        assert!(
            report["fleet"]["messengers"]
                .to_string()
                .contains(messenger),
            "{name}: {}",
            report["fleet"]["messengers"]
        );
        let info = report["fleet"]["export_info"].to_string();
        assert!(info.contains(en) && info.contains(de), "{name}: {info}");
        // `msgaudit facts` joins the same way: no error, exit 0, the note.
        let sample = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("sample-apps/inventories")
            .join(devices);
        let out = common::run_msgaudit([
            "facts".as_ref(),
            "--lang".as_ref(),
            "de".as_ref(),
            sample.as_os_str(),
            list.as_os_str(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{name}: {stderr}");
        assert!(
            stderr.contains("msgaudit: Hinweis: Liste installierter Apps „") && stderr.contains(de),
            "{name}: {stderr}"
        );
        // The table and Markdown in both languages tell it as information.
        for (lang, text, heading) in [
            ("en", en, "About the exports (for information)"),
            ("de", de, "Zu den Exporten (zur Information)"),
        ] {
            for format in ["table", "md"] {
                let out = scan_with(format, lang, devices, list);
                assert_eq!(out.status.code(), Some(0), "{name} {format} {lang}");
                let report = String::from_utf8(out.stdout).unwrap();
                let joined = report.lines().map(str::trim).collect::<Vec<_>>().join(" ");
                assert!(
                    joined.contains(heading) && joined.contains(text),
                    "{name} {format} {lang}: {report}"
                );
                // No row of its own, and no identifier of the lists left over.
                for absent in [
                    format!("== {name}"),
                    format!("| {name} ("),
                    "F00FF".into(),
                    "F00EE".into(),
                    "987654".into(),
                ] {
                    assert!(
                        !report.contains(&absent),
                        "{name} {format} {lang}: {absent}\n{report}"
                    );
                }
            }
        }
    }
}

/// HTML and SARIF call the list that matched no device what it is, not
/// unreadable; the run still exits 4 (the JSON verdict stays `error`). A
/// list that cannot be read stays „Nicht lesbar“ / "Unreadable".
#[test]
fn html_and_sarif_say_the_list_matched_no_device_and_the_run_exits_4() {
    let list = list();
    for lang in ["en", "de"] {
        let (matched, unreadable) = verdicts(lang);
        let html = scan("html", lang, &list);
        let badge = format!("<span class=\"badge error\">{matched}</span>");
        assert!(
            html.contains(&format!("<h2>{NAME} {badge}</h2>")),
            "{lang}: {html}"
        );
        assert!(
            !html.contains(&format!(
                "<h2>{NAME} <span class=\"badge error\">{unreadable}"
            )),
            "{lang}"
        );
        // The verdict chart's legend says the same of the run's one error.
        assert!(
            html.contains(&format!(">{matched}</text>")),
            "{lang}: {html}"
        );
        assert!(!html.contains(&format!(">{unreadable}</text>")), "{lang}");
        let sarif = scan("sarif", lang, &list);
        let log: Value = common::json(sarif.as_bytes()).expect("SARIF");
        let invocation = &log["runs"][0]["invocations"][0];
        let note = invocation["toolExecutionNotifications"]
            .as_array()
            .expect("notifications")
            .iter()
            .find(|n| {
                n["message"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(NAME)
            })
            .unwrap_or_else(|| panic!("{lang}: {invocation:#}"));
        assert_eq!(note["properties"]["unusedAppList"], "unmatched", "{note:#}");
        let text = note["message"]["text"].as_str().unwrap().to_lowercase();
        for word in [
            "unreadable",
            "nicht lesbar",
            "could not be read",
            "nicht gelesen",
        ] {
            assert!(!text.contains(word), "{lang}: {text}");
        }
        let why = invocation["exitCodeDescription"]
            .as_str()
            .unwrap_or_default();
        let expected = if lang == "de" {
            "keine Liste einer Datei installierter Apps ließ sich einem Gerät dieses Prüflaufs zuordnen"
        } else {
            "none of the lists of an installed-app list file matched a device of the run"
        };
        assert_eq!(why, expected, "{lang}");
    }
    // The exit code stays 4.
    let devices = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps/inventories/apple-mdm-responses.plist");
    let out = common::run_msgaudit([
        "scan".as_ref(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
        devices.as_os_str(),
        list.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(4));
    // A list that cannot be read is an unreadable installed-app list.
    let broken = common::write_temp(
        "app-list-row-broken",
        "broken-apps.plist",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict><key>InstalledApplicationList</key><array><dict>"#,
    );
    for lang in ["en", "de"] {
        let (matched, unreadable) = verdicts(lang);
        let md = scan("md", lang, &broken);
        let heading = format!("## broken-apps.plist — {unreadable}\n");
        assert!(md.contains(&heading), "{lang}: {md}");
        // Labelled an installed-app list; its summary row says the file
        // could not be read, not that it was joined to no device.
        let why = if lang == "de" {
            "nicht geprüft (Datei nicht lesbar)"
        } else {
            "not checked (file unreadable)"
        };
        let row = format!("| broken-apps.plist ({}) | **{unreadable}** |", label(lang));
        assert!(
            md.lines()
                .any(|l| l.starts_with(&row) && l.ends_with(&format!("| {why} |"))),
            "{lang}: {md}"
        );
        assert!(!md.contains(matched), "{lang}: {md}");
    }
}

/// An Apple MDM list response of `udid` naming one app (`identifier`, `name`).
fn apple_response(udid: &str, identifier: &str, name: &str) -> String {
    format!(
        "<dict><key>InstalledApplicationList</key><array><dict><key>Identifier</key><string>{identifier}</string><key>Name</key><string>{name}</string></dict></array><key>Status</key><string>Acknowledged</string><key>UDID</key><string>{udid}</string></dict>"
    )
}

/// An Apple MDM list file of `responses`.
fn apple_file(responses: &[String]) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><array>{}</array></plist>"#,
        responses.concat()
    )
}

/// Two list files that both carry a list of the same device of the sample
/// export: WhatsApp in the first; Signal in the second, beside a list of a
/// device no export lists. For Apple MDM (UDID `…A001C`) and Workspace ONE
/// (device 5521): (sample export, first file, second file).
fn two_files_one_device() -> [(&'static str, PathBuf, PathBuf); 2] {
    let dir = "app-list-two-files";
    let a001c = "00008101-00000000000A001C";
    let apple_first = apple_file(&[apple_response(a001c, "net.whatsapp.WhatsApp", "WhatsApp")]);
    let apple_second = apple_file(&[
        apple_response(a001c, "org.whispersystems.signal", "Signal"),
        apple_response(
            "00008101-00000000000F00FF",
            "com.apple.mobilesafari",
            "Safari",
        ),
    ]);
    let ws1_first = r#"{"DeviceApps":[{"ApplicationName":"WhatsApp","ApplicationIdentifier":"net.whatsapp.WhatsApp","DeviceId":{"Id":{"Value":5521}}}]}"#;
    let ws1_second = r#"{"DeviceApps":[
 {"ApplicationName":"Signal","ApplicationIdentifier":"org.whispersystems.signal","DeviceId":{"Id":{"Value":5521}}},
 {"ApplicationName":"Safari","ApplicationIdentifier":"com.apple.mobilesafari","DeviceId":{"Id":{"Value":987654}}}]}"#;
    [
        (
            "apple-mdm-responses.plist",
            common::write_temp(dir, "first-apps.plist", &apple_first),
            common::write_temp(dir, "second-apps.plist", &apple_second),
        ),
        (
            "workspace-one-devices.json",
            common::write_temp(dir, "first-apps.json", ws1_first),
            common::write_temp(dir, "second-apps.json", ws1_second),
        ),
    ]
}

/// A device that two list files both list takes both lists: neither file
/// is an error row or says the device is in no export; the second file's
/// other list, whose device no export lists, is told as left over; the
/// device's messengers are those of both lists, united.
#[test]
fn a_device_listed_by_two_files_takes_both_lists() {
    for (devices, first, second) in two_files_one_device() {
        let out = scan_lists("json", "en", devices, &[&first, &second]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{devices}: {stderr}");
        assert!(!stderr.contains("error"), "{devices}: {stderr}");
        let report: Value = common::json(&out.stdout).expect("JSON report");
        let targets = report["targets"].as_array().unwrap();
        assert!(
            !targets
                .iter()
                .any(|t| t["verdict"] == "error" || t.get("unused_app_list").is_some()),
            "{devices}: {targets:#?}"
        );
        let second_name = second.file_name().unwrap().to_str().unwrap();
        let first_name = first.file_name().unwrap().to_str().unwrap();
        let info = report["fleet"]["export_info"].to_string();
        assert!(
            info.contains(&format!(
                "{second_name}: it lists the apps of 2 devices, 1 of which no export of this scan lists; its list was not used"
            )) && info.contains(&format!(
                "{second_name}“: Sie nennt die Apps von 2 Geräten, von denen eines in keinem Export dieses Prüflaufs vorkommt"
            )),
            "{devices}: {info}"
        );
        assert!(!info.contains(first_name), "{devices}: {info}");
        // One device, with the messengers of both lists.
        let messengers = &report["fleet"]["messengers"];
        for id in ["signal", "whatsapp"] {
            let m = messengers
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["id"] == id)
                .unwrap_or_else(|| panic!("{devices}: {id} in {messengers}"));
            assert_eq!(m["devices"], 1, "{devices}: {messengers}");
        }
    }
}

/// Two list files that both list only a device no export of the scan
/// lists: each is a row of its own, not matched (before, the second
/// file's list was counted as the first file's and the second file was
/// silently not reported).
#[test]
fn two_files_listing_only_an_absent_device_are_each_not_matched() {
    for (_, first, _) in two_files_one_device() {
        // The same list once more, under another name; no device of the
        // Jamf export takes either.
        let again = first.with_extension(format!(
            "again.{}",
            first.extension().unwrap().to_str().unwrap()
        ));
        std::fs::copy(&first, &again).unwrap();
        let out = scan_lists("json", "en", "jamf-pro-inventory.json", &[&first, &again]);
        assert_eq!(out.status.code(), Some(4));
        let report: Value = common::json(&out.stdout).expect("JSON report");
        for f in [&first, &again] {
            let name = f.file_name().unwrap().to_str().unwrap();
            let target = report["targets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["target"]["name"] == name)
                .unwrap_or_else(|| panic!("{name}: {}", report["targets"]));
            assert_eq!(target["unused_app_list"], "unmatched", "{target:#}");
        }
    }
}

/// A device that two device exports of the scan list is one device: what
/// its installed-app list notes is told once, not once per export.
#[test]
fn a_lists_notes_are_told_once_for_a_device_in_two_exports() {
    let list = common::write_temp(
        "app-list-two-exports",
        "partial-apps.json",
        r#"{"DeviceApps":[{"ApplicationName":"Signal","ApplicationIdentifier":"org.whispersystems.signal","DeviceId":{"Id":{"Value":5521}}},{"ApplicationName":"WhatsApp","ApplicationIdentifier":"net.whatsapp.WhatsApp"}]}"#,
    );
    let copy = list.with_file_name("workspace-one-devices-again.json");
    std::fs::copy(
        common::sample("inventories/workspace-one-devices.json"),
        &copy,
    )
    .unwrap();
    let out = scan_lists("json", "en", "workspace-one-devices.json", &[&copy, &list]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let note = "partial-apps.json, response 1: one of its entries names no device (DeviceId)";
    assert_eq!(stderr.matches(note).count(), 1, "{stderr}");
    let report: Value = common::json(&out.stdout).expect("JSON report");
    let inventories = report["fleet"]["inventories"].to_string();
    assert_eq!(inventories.matches(note).count(), 1, "{inventories}");
    let de = "partial-apps.json“, Antwort 1: einer ihrer Einträge nennt kein Gerät (DeviceId)";
    assert_eq!(inventories.matches(de).count(), 1, "{inventories}");
    // The German table says it once too.
    let out = scan_lists("table", "de", "workspace-one-devices.json", &[&copy, &list]);
    let table = String::from_utf8(out.stdout).unwrap();
    let joined = table.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    let de_words = "Antwort 1: einer ihrer Einträge nennt kein Gerät (DeviceId)";
    assert_eq!(joined.matches(de_words).count(), 1, "{table}");
}
