//! The scan pipeline as a library: driven from Rust without the CLI, it gives
//! the report the CLI gives; one `detect` tells every kind of input apart; and
//! every inventory and report format has each piece a format needs
//! (detection, reader, sample, documentation), so a forgotten step fails here.

mod common;

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use msgaudit::detect::{classify_zip, InputKind};
use msgaudit::extract::inventory::intune_compliance::ComplianceKind;
use msgaudit::extract::inventory::{Format as InventoryFormat, INVENTORY_FORMATS};
use msgaudit::extract::kind::{detect, Kind};
use msgaudit::pipeline::{assess, Options, Quiet};
use msgaudit::report::registry::REPORT_FORMATS;
use msgaudit::report::{write_to, Format as ReportFormat, RenderOptions};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn options() -> Options {
    let mut options = Options::default();
    options.input.as_of = chrono::NaiveDate::from_ymd_opt(2026, 12, 1);
    options.input.pseudonym_key = Some("pipeline-test".into());
    options
}

#[test]
fn the_library_gives_the_report_the_cli_gives() {
    let apps = root().join("sample-apps/android/out");
    let run = assess(std::slice::from_ref(&apps), &options(), &Quiet);
    let assessment = run.result.expect("the built-in checks load");
    assert!(run.skipped.is_empty(), "{:?}", run.skipped);
    let names: Vec<&str> = assessment
        .targets
        .iter()
        .map(|t| t.target.file.as_ref().map_or("", |f| f.path.as_str()))
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("securechat-1.0.apk")));

    let mut from_rust = Vec::new();
    let render = RenderOptions {
        format: ReportFormat::Json,
        ..RenderOptions::default()
    };
    write_to(&assessment, &render, &mut from_rust).unwrap();
    let cli = common::run_msgaudit([
        "scan".as_ref(),
        apps.as_os_str(),
        "--as-of".as_ref(),
        "2026-12-01".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "--pseudonym-key".as_ref(),
        "pipeline-test".as_ref(),
    ]);
    let cli_report = String::from_utf8(cli.stdout).unwrap();
    assert_eq!(
        String::from_utf8(from_rust).unwrap().trim_end(),
        cli_report.trim_end(),
        "the library and `msgaudit scan` disagree"
    );
}

#[test]
fn the_library_reports_an_empty_input_as_a_typed_error() {
    let dir = std::env::temp_dir().join(format!("msgaudit-pipeline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("notes.txt"), "nothing to audit here\n").unwrap();
    let run = assess(std::slice::from_ref(&dir), &options(), &Quiet);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(matches!(
        run.result,
        Err(msgaudit::pipeline::PipelineError::NoInputs)
    ));
    assert_eq!(
        run.skipped.len(),
        1,
        "the skipped file explains the empty input"
    );
}

/// The kind of a sample, from its first 64 KiB.
fn kind_of(rel: &str) -> Kind {
    let path = root().join(rel);
    let bytes = std::fs::read(&path).unwrap();
    let head = &bytes[..bytes.len().min(msgaudit::extract::inventory::HEAD_BYTES)];
    detect(head, &path.display().to_string())
}

/// Apps, every inventory format, the Intune compliance exports, facts
/// documents and saved reports, each told by the one `detect` from its head;
/// the zips then by their central directory.
#[test]
fn one_detect_tells_every_kind_apart() {
    let zip_kind = |rel: &str| {
        assert_eq!(kind_of(rel), Kind::Zip, "{rel}");
        let bytes = std::fs::read(root().join(rel)).unwrap();
        let archive =
            msgaudit::archive::Archive::new(&bytes, msgaudit::limits::Limits::default()).unwrap();
        classify_zip(archive.entries())
    };
    assert_eq!(
        zip_kind("sample-apps/android/out/securechat-1.0.apk"),
        InputKind::AndroidApk
    );
    assert_eq!(
        zip_kind("sample-apps/android/out/leakychat-2.3.apks"),
        InputKind::AndroidSplitSet
    );
    assert_eq!(
        zip_kind("sample-apps/ios/SecureChat.ipa"),
        InputKind::IosIpa
    );
    for spec in INVENTORY_FORMATS {
        let rel = format!("sample-apps/inventories/{}", spec.sample);
        assert_eq!(kind_of(&rel), Kind::Inventory(spec.format), "{rel}");
    }
    assert_eq!(
        kind_of("sample-apps/inventories/generic-custom.csv"),
        Kind::Inventory(InventoryFormat::Csv),
        "a CSV of no known vocabulary is generic CSV when its mapping file is beside it"
    );
    for (file, want) in [
        (
            "intune-compliance-device-statuses.json",
            ComplianceKind::DeviceStatuses,
        ),
        ("intune-compliance-policies.json", ComplianceKind::Policies),
        (
            "intune-compliance-setting-states.json",
            ComplianceKind::SettingStates,
        ),
    ] {
        let rel = format!("sample-apps/inventories/{file}");
        assert_eq!(kind_of(&rel), Kind::Compliance(want), "{rel}");
    }

    let dir = std::env::temp_dir().join(format!("msgaudit-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let apk = root().join("sample-apps/android/out/securechat-1.0.apk");
    let facts = common::run_msgaudit(["facts".as_ref(), apk.as_os_str()]);
    assert!(facts.status.success());
    std::fs::write(dir.join("facts.json"), &facts.stdout).unwrap();
    let report = common::run_msgaudit([
        "scan".as_ref(),
        apk.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    std::fs::write(dir.join("report.json"), &report.stdout).unwrap();
    std::fs::write(dir.join("notes.txt"), "nothing to audit here\n").unwrap();
    let kind = |f: &str| {
        let bytes = std::fs::read(dir.join(f)).unwrap();
        detect(&bytes, f)
    };
    let (facts, report, notes) = (kind("facts.json"), kind("report.json"), kind("notes.txt"));
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(facts, Kind::Facts);
    assert_eq!(report, Kind::Report);
    assert_eq!(notes, Kind::Unknown);
}

/// The sample export of each inventory format.
fn inventory_samples() -> Vec<PathBuf> {
    let dir = root().join("sample-apps/inventories");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "toml")))
        // Compliance exports and installed-app lists join devices, have none.
        .filter(|p| {
            !p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("intune-compliance-") || n.starts_with("installed-apps-")
            })
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_inventory_format_has_a_name_detection_reader_sample_and_docs() {
    let docs = std::fs::read_to_string(root().join("docs/facts-inventory.md")).unwrap();
    let anchors: Vec<String> = docs
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .map(|h| {
            h.trim_start_matches('#')
                .trim()
                .to_lowercase()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
                .map(|c| if c == ' ' { '-' } else { c })
                .collect()
        })
        .collect();
    let samples = inventory_samples();
    assert_eq!(INVENTORY_FORMATS.len(), 9, "the nine built-in formats");
    for spec in INVENTORY_FORMATS {
        let format = spec.format;
        let name = format.name();
        assert_eq!(InventoryFormat::from_name(name), Some(format), "{name}");
        assert!(!spec.description.is_empty(), "{name}");
        assert!(
            docs.contains(&format!("| `{name}` |")),
            "docs/facts-inventory.md has no row for `{name}`"
        );
        assert!(
            anchors.iter().any(|a| a == spec.docs_anchor),
            "docs/facts-inventory.md has no section #{} for `{name}`",
            spec.docs_anchor
        );
        // Its sample is detected by content alone as this format …
        let sample = root().join("sample-apps/inventories").join(spec.sample);
        assert!(
            samples.contains(&sample),
            "{name}: no sample {}",
            spec.sample
        );
        assert_eq!(
            kind_of(&format!("sample-apps/inventories/{}", spec.sample)),
            Kind::Inventory(format),
            "{}",
            spec.sample
        );
        // … and its reader turns it into devices.
        let run = assess(std::slice::from_ref(&sample), &options(), &Quiet);
        let assessment = run.result.unwrap();
        let fleet = assessment.fleet.expect("an inventory gives a fleet");
        assert_eq!(fleet.inventories.len(), 1, "{name}");
        assert_eq!(fleet.inventories[0].format, name, "{}", sample.display());
        assert!(
            fleet.inventories[0].devices > 0,
            "the `{name}` reader found no device in {}",
            sample.display()
        );
    }
}

#[test]
fn every_report_format_renders_and_is_documented() {
    let docs = std::fs::read_to_string(root().join("docs/report.md")).unwrap();
    let apps = root().join("sample-apps/android/out/securechat-1.0.apk");
    let assessment = assess(std::slice::from_ref(&apps), &options(), &Quiet)
        .result
        .unwrap();
    assert_eq!(
        REPORT_FORMATS.len(),
        ReportFormat::value_variants().len(),
        "one registry line per --format value"
    );
    for format in ReportFormat::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        let spec = format.spec();
        let row = docs
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}`")))
            .unwrap_or_else(|| panic!("docs/report.md has no row for `{name}`"));
        for cell in [
            format!("`{}`", spec.source),
            format!("`.{}`, `{}`", spec.extension, spec.mime),
        ] {
            assert!(row.contains(&cell), "the docs row of `{name}` lacks {cell}");
        }
        assert!(root().join(spec.source).is_file(), "{}", spec.source);
        for lang in [msgaudit::lang::Lang::En, msgaudit::lang::Lang::De] {
            let mut out = Vec::new();
            let options = RenderOptions {
                format: *format,
                lang,
                color: false,
                exit: None,
            };
            write_to(&assessment, &options, &mut out).unwrap();
            let text = String::from_utf8(out).unwrap();
            assert!(
                text.contains("SecureChat") || text.contains("securechat"),
                "`{name}` ({lang:?}) does not name the app"
            );
        }
    }
}
