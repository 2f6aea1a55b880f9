//! What a reviewer of the printed report found, pinned: a device section of
//! the HTML report says which export and record the device came from and
//! its score with what was decided (as the Markdown report does); two apps
//! of the same name are told apart by their files; headings stay with their
//! content in print; paths break only after `/` and pseudonyms not at all;
//! the English export notes name no internal field; `scan --help` lists
//! exit code 2 and the empty-input case of 4; a file that does not exist is
//! not listed as a file of 0 bytes.

mod common;

use std::path::{Path, PathBuf};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// `scan PATH --as-of 2026-12-05 --format FORMAT --lang LANG` on standard
/// output (the exit code is not looked at: sample apps fail checks).
fn scan(path: &Path, format: &str, lang: &str) -> String {
    let out = common::run_msgaudit([
        "scan".as_ref(),
        path.as_os_str(),
        "--as-of".as_ref(),
        "2026-12-05".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        "--lang".as_ref(),
        lang.as_ref(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1 | 3 | 4)),
        "scan {} --format {format}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 report")
}

/// The detailed device sections of a fleet HTML report: each `<h3>` after
/// the device list, up to the next `<h3>`.
fn device_sections(html: &str) -> Vec<&str> {
    let fleet = &html[html.find("id=\"fleet\"").expect("a fleet section")..];
    let fleet = &fleet[..fleet.find("</section>").expect("the fleet section ends")];
    let after_list = &fleet[fleet.rfind("</details>").expect("a device list")..];
    after_list
        .split("<h3>")
        .skip(1)
        .filter(|s| s.contains("class=\"badge"))
        .collect()
}

#[test]
fn html_device_header_names_file_source_and_headline() {
    let inventories = repo("sample-apps/inventories");
    for (lang, file, source, record, score, decided) in [
        (
            "de",
            "<dt>Datei</dt>",
            "<dt>Quelle</dt>",
            "Datensatz ",
            "<dt>Erfüllungsgrad</dt>",
            " entschieden)",
        ),
        (
            "en",
            "<dt>File</dt>",
            "<dt>Source</dt>",
            "record ",
            "<dt>Score</dt>",
            " decided)",
        ),
    ] {
        let html = scan(&inventories, "html", lang);
        let sections = device_sections(&html);
        assert!(!sections.is_empty(), "{lang}: no device section");
        for s in &sections {
            let head = &s[..s.find("<table").unwrap_or(s.len())];
            for want in [file, "<dt>SHA-256</dt>", source, score, decided] {
                assert!(head.contains(want), "{lang}: {want:?} missing in {head}");
            }
        }
        // The records of the sample exports are named in words.
        assert!(
            sections.iter().any(|s| s.contains(record)),
            "{lang}: no device names its record"
        );
        // The Markdown report says the same of the same devices.
        let md = scan(&inventories, "md", lang);
        assert!(md.contains(&format!("**{}:**", &file[4..file.len() - 5])));
    }
}

#[test]
fn apps_of_the_same_name_are_told_apart_by_their_files() {
    let apps = repo("sample-apps/android/out");
    for lang in ["de", "en"] {
        let html = scan(&apps, "html", lang);
        let md = scan(&apps, "md", lang);
        for report in [&html, &md] {
            assert!(
                report.contains("LeakyChat 2.3 (leakychat-2.3.apk)"),
                "{lang}: the .apk is not named by its file"
            );
            assert!(
                report.contains("LeakyChat 2.3 (leakychat-2.3.apks)"),
                "{lang}: the .apks is not named by its file"
            );
        }
        // The summary row and the section heading of each.
        assert!(html.contains(">LeakyChat 2.3 (leakychat-2.3.apks)</a>"));
        assert!(html.contains("<h2>LeakyChat 2.3 (leakychat-2.3.apks) <span"));
        assert!(md.contains("## LeakyChat 2.3 (leakychat-2.3.apks) —"));
        // An app whose name is its own keeps it plain.
        assert!(!html.contains("(securechat-1.0.apk)</a>"), "{lang}");
    }
}

#[test]
fn print_css_keeps_headings_with_their_content() {
    let html = scan(&repo("sample-apps/inventories"), "html", "de");
    assert!(
        html.contains(
            "h4,summary,.evidence{break-after:avoid;page-break-after:avoid;break-inside:avoid;page-break-inside:avoid}"
        ),
        "print CSS keeps h4, group headings and the evidence label with what follows"
    );
    assert!(
        html.contains("summary{list-style:none}"),
        "no ▶ marker in print"
    );
    assert!(html.contains("<div class=\"sub evidence\">Belege</div>"));
    assert!(
        !html.contains("break-all"),
        "nothing breaks anywhere but hashes"
    );
}

#[test]
fn a_path_cell_breaks_only_after_a_slash() {
    let html = scan(&repo("sample-apps/android/out"), "html", "de");
    let files = &html[html
        .find("<table class=\"files\">")
        .expect("the files table")..];
    let files = &files[..files.find("</table>").unwrap()];
    let cells: Vec<&str> = files
        .split("<td class=\"mono path\">")
        .skip(1)
        .map(|c| &c[..c.find("</td>").unwrap()])
        .collect();
    assert!(!cells.is_empty(), "path cells are marked as paths: {files}");
    for cell in cells {
        assert!(cell.contains("/<wbr>"), "{cell}");
        // A break opportunity only right after a slash.
        for (i, _) in cell.match_indices("<wbr>") {
            assert!(cell[..i].ends_with('/'), "{cell}");
        }
        assert_eq!(
            cell.replace("<wbr>", "").matches('/').count(),
            cell.matches("/<wbr>").count()
        );
    }
    assert!(html.contains(".mono.path,.path{overflow-wrap:break-word;word-break:normal}"));
    assert!(html.contains("table.files td.path{word-break:normal;overflow-wrap:break-word}"));
    // Pseudonyms stay whole.
    let fleet = scan(&repo("sample-apps/inventories"), "html", "de");
    assert!(fleet.contains(".id{white-space:nowrap}"));
    assert!(
        fleet.contains("<td><span class=\"id\">pn-"),
        "pseudonym cells are kept whole"
    );
}

#[test]
fn english_notes_name_no_internal_fields() {
    let md = scan(&repo("sample-apps/inventories"), "md", "en");
    for internal in ["compromised left unknown", "last_check_in", "; compromised"] {
        assert!(!md.contains(internal), "{internal:?} in the English notes");
    }
    assert!(
        md.contains("the root/jailbreak status is left unknown"),
        "{md}"
    );
    assert!(md.contains("the last check-in is left unknown"), "{md}");
    // A count is followed by a lower-case noun.
    assert!(
        !md.contains(" Devices:") && !md.contains("30 Devices"),
        "capitalised count"
    );
    assert!(md.contains("## Appendix: audit basis"));
}

#[test]
fn scan_help_lists_exit_codes_2_and_4() {
    for (lang, usage, empty) in [
        ("en", "2 usage error", "(e.g. an empty folder)"),
        ("de", "2 Aufruffehler", "(z. B. ein leerer Ordner)"),
    ] {
        let out = common::run_msgaudit(["scan", "--help", "--lang", lang]);
        let help = String::from_utf8(out.stdout).unwrap();
        // Lines wrap: compare with single spaces.
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains(usage), "{lang}: {help}");
        assert!(help.contains(empty), "{lang}: {help}");
    }
}

#[test]
fn a_missing_file_is_not_listed_as_a_file_of_0_bytes() {
    let missing = std::env::temp_dir().join("msgaudit-print-and-wording-nope.apk");
    let _ = std::fs::remove_file(&missing);
    for (lang, not_found) in [("de", "nicht gefunden"), ("en", "not found")] {
        let html = scan(&missing, "html", lang);
        assert!(html.contains(not_found), "{lang}: {html}");
        assert!(!html.contains("<td class=\"num\">0</td>"), "{lang}: size 0");
        assert!(!html.contains("(0 B)"), "{lang}: size 0");
        let md = scan(&missing, "md", lang);
        assert!(md.contains(not_found), "{lang}: {md}");
        assert!(!md.contains(" | 0 | "), "{lang}: size 0 in {md}");
        assert!(
            !md.contains("SHA-256:** \n"),
            "{lang}: an empty hash in {md}"
        );
        let table = scan(&missing, "table", lang);
        assert!(table.contains(not_found), "{lang}: {table}");
    }
}
