//! The scan pipeline as a library: driven from Rust without the CLI, it gives
//! the report the CLI gives; one `detect` tells every kind of input apart; and
//! every inventory and report format has each piece a format needs
//! (detection, reader, sample, documentation), so a forgotten step fails here.

mod common;

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use msgaudit::detect::inventory::detect as detect_inventory;
use msgaudit::detect::{
    classify_zip, is_saved_report, looks_like_zip, starts_like_facts, InputKind,
};
use msgaudit::extract::inventory::Format as InventoryFormat;
use msgaudit::pipeline::{assess, Options, Quiet};
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

/// Every zip kind by its entries, every inventory format, facts documents and
/// saved reports by their first bytes.
#[test]
fn one_detect_tells_every_kind_apart() {
    let zip_kind = |rel: &str| {
        let bytes = std::fs::read(root().join(rel)).unwrap();
        assert!(looks_like_zip(&bytes), "{rel}");
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

    let facts = br#"{"kind": "android", "file": {"path": "x.apk"}}"#;
    assert!(starts_like_facts(facts));
    assert_eq!(detect_inventory(facts), None, "facts are no inventory");
    let report: serde_json::Value =
        serde_json::from_str(r#"{"schema_version": "1.2", "targets": []}"#).unwrap();
    assert!(is_saved_report(&report));
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

/// Every variant, listed by an exhaustive match: a new variant does not
/// compile until it is added here, and then the tests below ask for the rest.
fn every_inventory_format() -> Vec<InventoryFormat> {
    let all = InventoryFormat::ALL.to_vec();
    for f in &all {
        match f {
            InventoryFormat::IntuneGraph
            | InventoryFormat::IntuneCsv
            | InventoryFormat::JamfXml
            | InventoryFormat::JamfJson
            | InventoryFormat::JamfCsv
            | InventoryFormat::WorkspaceOne
            | InventoryFormat::AndroidManagement
            | InventoryFormat::AppleMdm
            | InventoryFormat::Csv => {}
        }
    }
    assert_eq!(all.len(), 9, "Format::ALL lists every variant once");
    all
}

#[test]
fn every_inventory_format_has_a_name_detection_reader_sample_and_docs() {
    let docs = std::fs::read_to_string(root().join("docs/facts-inventory.md")).unwrap();
    let samples = inventory_samples();
    for format in every_inventory_format() {
        let name = format.name();
        assert_eq!(InventoryFormat::from_name(name), Some(format), "{name}");
        assert!(
            docs.contains(&format!("| `{name}` |")),
            "docs/facts-inventory.md has no row for `{name}`"
        );
        // A sample that detection alone recognises as this format …
        let sample = samples
            .iter()
            .find(|p| detect_inventory(&std::fs::read(p).unwrap()) == Some(format))
            .unwrap_or_else(|| {
                panic!("no sample in sample-apps/inventories is detected as `{name}`")
            });
        // … and that its reader turns into devices.
        let run = assess(std::slice::from_ref(sample), &options(), &Quiet);
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
    for format in ReportFormat::value_variants() {
        let name = format.to_possible_value().unwrap().get_name().to_string();
        assert!(
            docs.contains(&format!("| `{name}`")),
            "docs/report.md has no row for `{name}`"
        );
        for lang in [msgaudit::lang::Lang::En, msgaudit::lang::Lang::De] {
            let mut out = Vec::new();
            let options = RenderOptions {
                format: *format,
                lang,
                color: false,
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
