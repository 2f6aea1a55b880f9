//! A fleet of one device is "1 device" / „1 Gerät“ in the fleet's heading
//! of every human format (before: "1 devices" / „1 Geräte“ in the table's
//! `== Device fleet:` line, the Markdown and HTML fleet sections and the
//! run table's fleet row), and several devices keep the plural.

mod common;

/// The sample Graph export cut to its first `n` records, as a file.
fn export_of(n: usize) -> String {
    let text = std::fs::read_to_string(common::sample(
        "inventories/intune-graph-managedDevices.json",
    ))
    .expect("sample export");
    let mut export: serde_json::Value = common::json(text.as_bytes()).expect("JSON");
    let records = export["value"].as_array_mut().expect("records");
    records.truncate(n);
    let path = common::write_temp(
        "fleet-count-words",
        &format!("graph-{n}.json"),
        &export.to_string(),
    );
    path.display().to_string()
}

fn scan(export: &str, format: &str, lang: &str) -> String {
    let out = common::run_msgaudit([
        "scan",
        "--as-of",
        "2026-12-05",
        "--format",
        format,
        "--lang",
        lang,
        export,
    ]);
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn one_device_is_singular_and_more_are_plural_in_every_human_format() {
    let one = export_of(1);
    let two = export_of(2);
    for (lang, single, plural, wrong) in [
        ("de", "1 Gerät", "2 Geräte", "1 Geräte"),
        ("en", "1 device", "2 devices", "1 devices"),
    ] {
        let fleet = if lang == "de" {
            "Geräteflotte"
        } else {
            "Device fleet"
        };
        for format in ["table", "md", "html"] {
            let text = scan(&one, format, lang);
            assert!(!text.contains(wrong), "{format} {lang}: {text}");
            let text2 = scan(&two, format, lang);
            match format {
                "table" => {
                    assert!(
                        text.contains(&format!("== {fleet}: {single} · ")),
                        "{lang}: {text}"
                    );
                    assert!(
                        text2.contains(&format!("== {fleet}: {plural} · ")),
                        "{lang}: {text2}"
                    );
                }
                "md" => {
                    assert!(text.contains(&format!("\n{single}: ")), "{lang}: {text}");
                    assert!(text2.contains(&format!("\n{plural}: ")), "{lang}: {text2}");
                }
                _ => {
                    assert!(text.contains(&format!("<p>{single} — ")), "{lang}: {text}");
                    assert!(
                        text2.contains(&format!("<p>{plural} — ")),
                        "{lang}: {text2}"
                    );
                }
            }
        }
    }
}
