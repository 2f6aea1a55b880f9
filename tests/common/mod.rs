//! Helpers shared by the integration tests: the corpus location, oracle tools
//! and the built binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The third-party test corpus: `$MSGAUDIT_CORPUS`, else
/// `<CARGO_MANIFEST_DIR>/../shared/corpus`; `None` (with a skip message) when absent.
pub fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipped: corpus not found at {} (set MSGAUDIT_CORPUS)",
            dir.display()
        );
        None
    }
}

/// Whether an oracle tool is on PATH; prints a skip message when not.
pub fn tool_available(name: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.join(name).is_file()));
    if !found {
        eprintln!("skipped: tool '{name}' not on PATH");
    }
    found
}

/// Runs the built `msgaudit` binary with `args`.
pub fn run_msgaudit<I, S>(args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .args(args)
        .output()
        .expect("the msgaudit binary runs")
}

/// All files under `dir` (recursively), sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Parses JSON like `serde_json::from_slice`; a `scan --format json` report
/// (schema 2.0, docs/report.md *Catalog*) first has its catalog references
/// resolved, so tests read every result's texts, evidence and file as in 1.x.
pub fn json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    let mut v: serde_json::Value = serde_json::from_slice(bytes)?;
    let _ = msgaudit::assess::catalog::expand(&mut v);
    serde_json::from_value(v)
}

/// [`json`] of a string.
pub fn json_str<T: serde::de::DeserializeOwned>(text: &str) -> serde_json::Result<T> {
    json(text.as_bytes())
}

/// Deterministic xorshift generator (no dependency, same sequence everywhere).
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 for `n` = 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The device targets of a JSON report, in report order.
pub fn device_targets(report: &serde_json::Value) -> Vec<&serde_json::Value> {
    report["targets"]
        .as_array()
        .map(|targets| {
            targets
                .iter()
                .filter(|t| t["target"]["kind"] == "device")
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `text` to `name` in a folder of this test process named after
/// `prefix` (under the system's temporary folder), and gives its path.
pub fn write_temp(prefix: &str, name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("msgaudit-{prefix}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    // Tests of one process run at once and write the same file: written
    // in a folder beside (never in the one a test may scan) and renamed
    // into place, so that another test never reads it half written (rename
    // replaces it whole).
    let parts = dir.with_extension("parts");
    std::fs::create_dir_all(&parts).unwrap();
    let part = parts.join(format!("{name}.{:?}", std::thread::current().id()));
    std::fs::write(&part, text).unwrap();
    std::fs::rename(&part, &path).unwrap();
    path
}

/// Panics unless `log` is valid against the official OASIS SARIF 2.1.0
/// schema (tests/data/sarif/README.md), listing every violation.
pub fn assert_valid_sarif(log: &serde_json::Value) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        json_str(&std::fs::read_to_string(path).expect("schema file")).expect("schema");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("compile SARIF schema");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
}

/// The path of `sample-apps/REL` as a string.
pub fn sample(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("sample-apps")
        .join(rel)
        .display()
        .to_string()
}

/// Fails when `text` holds one of `words` (whole words, any case): English
/// left in a German text.
pub fn assert_without_words(text: &str, words: &[&str]) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        assert!(
            !words.contains(&word.to_lowercase().as_str()),
            "English `{word}` in German text: {text}"
        );
    }
}
