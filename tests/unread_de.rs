//! A German report says in German why an entry that carries facts could not
//! be read: two hostile copies of the sample app (a DEX string table over
//! `--max-strings`, a DEX cut in half) scanned with `--lang de` in md, table,
//! html and csv name the reason in German, and no English fragment of the
//! reader's reason is left in the report or on standard error.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The sample app the hostile copies are made of.
fn sample_apk() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("sample-apps/android/out/leakychat-2.3.apk")
}

/// A copy of `from` at `to` whose `classes.dex` is cut to its first half.
fn truncate_dex(from: &Path, to: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let name = zip.by_index_raw(i).unwrap().name().unwrap().to_string();
        if name == "classes.dex" {
            let mut dex = Vec::new();
            zip.by_index(i).unwrap().read_to_end(&mut dex).unwrap();
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(name, options).unwrap();
            out.write_all(&dex[..dex.len() / 2]).unwrap();
        } else {
            out.raw_copy_file(zip.by_index_raw(i).unwrap()).unwrap();
        }
    }
    out.finish().unwrap();
}

/// `scan --lang de` of `apk` in `format` with `extra` arguments: the report
/// and standard error, whitespace collapsed (the table wraps its lines).
fn german_scan(apk: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "scan",
        "--lang",
        "de",
        "--as-of",
        "2026-12-05",
        "--format",
        format,
    ];
    args.extend(extra);
    let apk = apk.display().to_string();
    args.push(&apk);
    let out = common::run_msgaudit(&args);
    // Exit 4: a target with an unread entry is an error.
    assert_eq!(
        out.status.code(),
        Some(4),
        "scan {apk} --format {format}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    // HTML: the words a reader sees, not style rules and class names.
    let text = if format == "html" {
        let style = regex::Regex::new(r"(?s)<style>.*?</style>").unwrap();
        let tags = regex::Regex::new(r"<[^>]*>").unwrap();
        tags.replace_all(&style.replace_all(&text, " "), " ")
            .into_owned()
    } else {
        text
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// English fragments of the two readers' reasons.
const ENGLISH: &[&str] = &[
    "not a readable",
    "DEX file",
    "string table",
    "entries",
    "more than the limit",
    "class data item",
    "code item",
    "run past",
    "end of the file",
    "API references",
    "code patterns",
    "incomplete",
    "could not be read",
];

fn assert_german(text: &str, german: &str, what: &str) {
    assert!(
        text.contains(german),
        "{what}: the German reason {german:?} is missing from: {text}"
    );
    let english: Vec<&&str> = ENGLISH.iter().filter(|e| text.contains(**e)).collect();
    assert!(
        english.is_empty(),
        "{what}: English {english:?} in the German report: {text}"
    );
}

#[test]
fn german_reports_say_why_a_dex_file_was_not_read_in_german() {
    let dir = tempfile::tempdir().unwrap();
    let apk = dir.path().join("a.apk");
    std::fs::copy(sample_apk(), &apk).unwrap();
    let trunc = dir.path().join("trunc.apk");
    truncate_dex(&apk, &trunc);
    for format in ["md", "table", "html", "csv"] {
        let text = german_scan(&apk, format, &["--max-strings", "60"]);
        assert_german(
            &text,
            "Keine lesbare DEX-Datei: Die Zeichenkettentabelle hat 63 Einträge, mehr als die Grenze von 60",
            &format!("a.apk --max-strings 60 --format {format}"),
        );
        let text = german_scan(&trunc, format, &[]);
        assert_german(
            &text,
            "classes.dex: 8 Klassendaten-Einträge und 0 Code-Einträge reichen über das Ende der Datei oder ihres Codes hinaus; API-Verweise und Code-Muster sind unvollständig",
            &format!("trunc.apk --format {format}"),
        );
    }
}
