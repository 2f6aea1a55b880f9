//! `msgaudit os-data import`: endoflife.date product files → OS support data.
//!
//! endoflife.date publishes one JSON array per product (`ios`, `ipados`,
//! `android`), one object per release cycle: `cycle`, `releaseDate`, `eol`,
//! `latest`, `latestReleaseDate`, `support`, `lts` (`eol` and `support` are
//! `true`, `false` or a date). [`import`] turns them into the TOML format of
//! `checks/os-support.toml` ([`super::os_support::OsData`]), dated with the
//! day the files were fetched, so that `--os-data` can use current data.
//!
//! Cycles are merged per major version (Android `12` and `12.1` (12L) are
//! both major 12). `eol`: `false` → still gets security updates, `true` → no
//! longer, a date → the last day of security updates. A cycle without `eol`
//! is "unknown", never "supported". Broken input is an error naming the file
//! and, where the JSON says so, the line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::{self, Deserializer, IgnoredAny};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::dates::major;
use super::os_support::OsData;

/// Largest endoflife.date file read (bytes); the real ones are a few KiB.
const MAX_FILE: u64 = 4 << 20;

/// Days after the fetch date from which imported data counts as stale (the
/// built-in data's window).
pub const STALE_AFTER_DAYS: i64 = 180;

/// Why an import failed.
#[derive(Debug, Error)]
pub enum ImportError {
    /// None of `--ios`, `--ipados`, `--android` was given.
    #[error("nothing to import: give at least one of --ios, --ipados, --android")]
    NoInput,
    /// A file could not be read.
    #[error("{file}: {reason}")]
    Read {
        /// The file.
        file: String,
        /// Why.
        reason: String,
    },
    /// A file is not an endoflife.date product file (with the line where known).
    #[error("{file}: {reason}")]
    Content {
        /// The file.
        file: String,
        /// What is wrong, with line and column where the JSON reader knows them.
        reason: String,
    },
    /// The command line contradicts the data.
    #[error("{0}")]
    Options(String),
}

/// What to import.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// endoflife.date `ios` file.
    pub ios: Option<PathBuf>,
    /// endoflife.date `ipados` file.
    pub ipados: Option<PathBuf>,
    /// endoflife.date `android` file.
    pub android: Option<PathBuf>,
    /// Newest published Android security patch level (endoflife.date does
    /// not carry it).
    pub android_patch_level: Option<NaiveDate>,
    /// The day the files were fetched: the data's `as_of` and `facts_as_of`.
    pub as_of: NaiveDate,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The OS support data as TOML (parses with [`OsData::parse`]).
    pub toml: String,
    /// The parsed data.
    pub data: OsData,
    /// Major versions per platform, e.g. `("iOS", 12)`.
    pub majors: Vec<(&'static str, usize)>,
}

/// A date as endoflife.date writes it (`YYYY-MM-DD`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day(NaiveDate);

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Day)
            .map_err(|_| de::Error::custom(format!("{s:?} is not a date YYYY-MM-DD")))
    }
}

/// `eol` / `support`: `true`, `false` or a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BoolOrDate {
    Bool(bool),
    Date(NaiveDate),
}

impl<'de> Deserialize<'de> for BoolOrDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)
            .map_err(|_| de::Error::custom("expected true, false or a date YYYY-MM-DD"))?
        {
            Raw::Bool(b) => Ok(BoolOrDate::Bool(b)),
            Raw::Text(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map(BoolOrDate::Date)
                .map_err(|_| {
                    de::Error::custom(format!("{s:?}: expected true, false or a date YYYY-MM-DD"))
                }),
        }
    }
}

impl std::fmt::Display for BoolOrDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BoolOrDate::Bool(b) => write!(f, "{b}"),
            BoolOrDate::Date(d) => write!(f, "{d}"),
        }
    }
}

/// A string or a number (endoflife.date writes some cycles and versions as numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label(String);

impl<'de> Deserialize<'de> for Label {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Label(s)),
            serde_json::Value::Number(n) => Ok(Label(n.to_string())),
            other => Err(de::Error::custom(format!(
                "expected a string or a number, found {other}"
            ))),
        }
    }
}

/// A cycle name whose first component is a major version number.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CycleName {
    name: String,
    major: u64,
}

impl<'de> Deserialize<'de> for CycleName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Label(name) = Label::deserialize(d)?;
        let major = major(&name)
            .and_then(|m| m.parse::<u64>().ok())
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "cycle {name:?} does not start with a major version number"
                ))
            })?;
        Ok(CycleName { name, major })
    }
}

/// One release cycle of an endoflife.date product file.
#[derive(Debug, Clone, Deserialize)]
struct Cycle {
    cycle: CycleName,
    #[serde(rename = "releaseDate", default)]
    release_date: Option<Day>,
    #[serde(default)]
    eol: Option<BoolOrDate>,
    #[serde(default)]
    support: Option<BoolOrDate>,
    #[serde(default)]
    latest: Option<Label>,
    #[serde(rename = "latestReleaseDate", default)]
    latest_release_date: Option<Day>,
    #[serde(default)]
    #[allow(dead_code)]
    lts: Option<IgnoredAny>,
}

/// Reads one endoflife.date product file.
fn read_cycles(path: &Path) -> Result<(Vec<Cycle>, String), ImportError> {
    let file = path.display().to_string();
    let read_err = |e: std::io::Error| ImportError::Read {
        file: file.clone(),
        reason: format!("cannot read the file: {e}"),
    };
    let len = std::fs::metadata(path).map_err(read_err)?.len();
    if len > MAX_FILE {
        return Err(ImportError::Read {
            file,
            reason: format!(
                "{len} bytes, more than the limit of {MAX_FILE} for an endoflife.date file"
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let digest = hex::encode(Sha256::digest(&bytes));
    let cycles: Vec<Cycle> = serde_json::from_slice(&bytes).map_err(|e| ImportError::Content {
        file: file.clone(),
        reason: match e.classify() {
            serde_json::error::Category::Data => {
                format!("not an endoflife.date product file (a JSON array of release cycles): {e}")
            }
            _ => format!("unreadable JSON: {e}"),
        },
    })?;
    if cycles.is_empty() {
        return Err(ImportError::Content {
            file,
            reason: "no release cycles (an empty array)".into(),
        });
    }
    Ok((cycles, digest))
}

/// One major version, merged from its cycles.
#[derive(Debug, Default)]
struct Major {
    cycles: Vec<String>,
    released: Option<NaiveDate>,
    /// Some cycle has `eol: false`.
    open: bool,
    /// Latest `eol` date of the cycles.
    until: Option<NaiveDate>,
    /// Some cycle has no `eol`.
    unknown: bool,
    eols: Vec<String>,
    eols_de: Vec<String>,
    latest: Option<(Option<NaiveDate>, String)>,
}

impl Major {
    fn add(&mut self, c: &Cycle) {
        self.cycles.push(c.cycle.name.clone());
        if let Some(Day(d)) = c.release_date {
            self.released = Some(self.released.map_or(d, |r| r.min(d)));
        }
        match c.eol {
            Some(BoolOrDate::Bool(false)) => self.open = true,
            Some(BoolOrDate::Bool(true)) => {}
            Some(BoolOrDate::Date(d)) => self.until = Some(self.until.map_or(d, |u| u.max(d))),
            None => self.unknown = true,
        }
        let eol = c.eol.map_or("not given".to_string(), |e| e.to_string());
        let support = c
            .support
            .map(|s| format!(", support {s}"))
            .unwrap_or_default();
        self.eols
            .push(format!("{}: eol {eol}{support}", c.cycle.name));
        // endoflife.date's `eol` is `true` once support has ended; its
        // `support` (active support) is `true` while it lasts.
        let eol_de = match c.eol {
            Some(BoolOrDate::Bool(true)) => "Sicherheitsupdates beendet".to_string(),
            Some(BoolOrDate::Bool(false)) => "Sicherheitsupdates laufen noch".to_string(),
            Some(BoolOrDate::Date(d)) => format!("Sicherheitsupdates bis {d}"),
            None => "Ende der Sicherheitsupdates nicht angegeben".to_string(),
        };
        let support_de = match c.support {
            Some(BoolOrDate::Bool(true)) => ", aktive Unterstützung: ja".to_string(),
            Some(BoolOrDate::Bool(false)) => ", aktive Unterstützung: nein".to_string(),
            Some(BoolOrDate::Date(d)) => format!(", aktive Unterstützung bis {d}"),
            None => String::new(),
        };
        self.eols_de
            .push(format!("{}: {eol_de}{support_de}", c.cycle.name));
        if let Some(Label(v)) = &c.latest {
            let date = c.latest_release_date.map(|Day(d)| d);
            let newer = match &self.latest {
                None => true,
                Some((d, _)) => date > *d,
            };
            if newer {
                self.latest = Some((date, v.clone()));
            }
        }
    }

    /// `security_updates` and `security_updates_until` at `as_of`.
    fn status(&self, as_of: NaiveDate) -> (&'static str, Option<NaiveDate>) {
        if self.open {
            ("yes", None)
        } else if self.unknown {
            ("unknown", self.until)
        } else if let Some(until) = self.until {
            (if until >= as_of { "yes" } else { "no" }, Some(until))
        } else {
            ("no", None)
        }
    }
}

/// The newest date a product file mentions (a release or an end date that has passed).
fn newest_release(cycles: &[Cycle]) -> Option<(NaiveDate, String)> {
    cycles
        .iter()
        .flat_map(|c| {
            [c.release_date, c.latest_release_date]
                .into_iter()
                .flatten()
                .map(move |Day(d)| (d, c.cycle.name.clone()))
        })
        .max()
}

/// TOML string literal.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Writes one platform's `[[<table>.versions]]` entries; returns how many majors.
fn write_platform(
    out: &mut String,
    table: &str,
    product: &str,
    cycles: &[Cycle],
    as_of: NaiveDate,
) -> usize {
    let mut majors: BTreeMap<u64, Major> = BTreeMap::new();
    for c in cycles {
        majors.entry(c.cycle.major).or_default().add(c);
    }
    for (major, m) in &majors {
        let (status, until) = m.status(as_of);
        let _ = writeln!(out, "\n[[{table}.versions]]");
        let _ = writeln!(out, "major = {}", quote(&major.to_string()));
        if let Some(r) = m.released {
            let _ = writeln!(out, "released = {}", quote(&r.to_string()));
        }
        let _ = writeln!(out, "security_updates = {}", quote(status));
        if let Some(u) = until {
            let _ = writeln!(out, "security_updates_until = {}", quote(&u.to_string()));
        }
        if let Some((date, v)) = &m.latest {
            let _ = writeln!(out, "latest_version = {}", quote(v));
            if let Some(d) = date {
                let _ = writeln!(out, "latest_release = {}", quote(&d.to_string()));
            }
        }
        let note = format!(
            "endoflife.date {product} as of {as_of}: {}",
            m.eols.join("; ")
        );
        let note_de = format!(
            "endoflife.date {product} mit Stand {as_of}: {}",
            m.eols_de.join("; ")
        );
        let _ = writeln!(out, "note = {}", quote(&note));
        let _ = writeln!(out, "note_de = {}", quote(&note_de));
    }
    majors.len()
}

/// Reads the endoflife.date files of `req` and writes the OS support data.
pub fn import(req: &ImportRequest) -> Result<Imported, ImportError> {
    let inputs: Vec<(&str, &str, &'static str, &PathBuf)> = [
        ("ios", "ios", "iOS", req.ios.as_ref()),
        ("ipados", "ipados", "iPadOS", req.ipados.as_ref()),
        ("android", "android", "Android", req.android.as_ref()),
    ]
    .into_iter()
    .filter_map(|(t, p, n, path)| path.map(|path| (t, p, n, path)))
    .collect();
    if inputs.is_empty() {
        return Err(ImportError::NoInput);
    }
    if let Some(level) = req.android_patch_level {
        if req.android.is_none() {
            return Err(ImportError::Options(
                "--android-patch-level needs --android (the Android section it belongs to)".into(),
            ));
        }
        if level > req.as_of {
            return Err(ImportError::Options(format!(
                "--android-patch-level {level} is after the as-of date {}: a patch level cannot be published later than the data was fetched",
                req.as_of
            )));
        }
    }
    let mut header = String::new();
    let _ = writeln!(
        header,
        "# OS support data for msgaudit (--os-data), written by `msgaudit os-data import`\n\
         # from endoflife.date product files, fetched on {}:",
        req.as_of
    );
    let mut body = String::new();
    let mut majors = Vec::new();
    for (table, product, name, path) in inputs {
        let (cycles, digest) = read_cycles(path)?;
        if let Some((newest, cycle)) = newest_release(&cycles) {
            if newest > req.as_of {
                return Err(ImportError::Options(format!(
                    "{}: cycle {cycle} has a release on {newest}, after the as-of date {}: give the day the files were fetched with --as-of",
                    path.display(),
                    req.as_of
                )));
            }
        }
        let _ = writeln!(
            header,
            "#   {product}: {} (SHA-256 {digest})",
            path.display()
        );
        if table == "android" {
            let _ = writeln!(body, "\n[android]");
            if let Some(level) = req.android_patch_level {
                let _ = writeln!(body, "latest_patch_level = {}", quote(&level.to_string()));
            }
        }
        let n = write_platform(&mut body, table, product, &cycles, req.as_of);
        majors.push((name, n));
    }
    let mut toml = header;
    let _ = writeln!(
        toml,
        "# Field meanings: docs/facts-inventory.md (OS support data).\n\n\
         as_of = {as_of}\nfacts_as_of = {as_of}\nstale_after_days = {STALE_AFTER_DAYS}",
        as_of = quote(&req.as_of.to_string())
    );
    toml.push_str(&body);
    let data = OsData::parse(&toml, "imported OS support data").map_err(|e| {
        ImportError::Options(format!(
            "internal: the imported data does not read back: {e}"
        ))
    })?;
    Ok(Imported { toml, data, majors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn request(android: Option<PathBuf>, as_of: &str) -> ImportRequest {
        ImportRequest {
            ios: None,
            ipados: None,
            android,
            android_patch_level: None,
            as_of: day(as_of),
        }
    }

    #[test]
    fn merges_cycles_of_a_major_and_maps_eol() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "android.json",
            r#"[
  {"cycle": "14", "releaseDate": "2023-10-04", "eol": false, "support": true, "lts": false},
  {"cycle": "12.1", "codename": "12L", "releaseDate": "2022-03-07", "eol": "2025-03-31"},
  {"cycle": "12", "releaseDate": "2021-10-04", "eol": "2025-03-31"},
  {"cycle": 11, "releaseDate": "2020-09-08", "eol": true},
  {"cycle": "13", "releaseDate": "2022-08-15", "eol": "2026-12-31"},
  {"cycle": "10", "releaseDate": "2019-09-03"}
]"#,
        );
        let out = import(&request(Some(p), "2026-06-01")).unwrap();
        let d = &out.data;
        let as_of = day("2026-06-01");
        assert_eq!(d.facts_date(), as_of);
        assert!(!d.is_stale(day("2026-11-28")));
        assert!(d.is_stale(day("2026-11-29")));
        let s = |v: &str| d.assess(Some("android"), Some(v), None, as_of).supported;
        assert_eq!(s("14"), Some(true));
        assert_eq!(s("12"), Some(false), "ended 2025-03-31");
        assert_eq!(s("11"), Some(false));
        assert_eq!(s("13"), Some(true), "ends 2026-12-31");
        assert_eq!(s("10"), None, "no eol given: unknown, never supported");
        assert_eq!(
            d.assess(Some("android"), Some("13"), None, day("2027-01-01"))
                .supported,
            Some(false)
        );
        assert_eq!(out.majors, vec![("Android", 5)]);
        assert!(
            out.toml.contains("released = \"2021-10-04\""),
            "{}",
            out.toml
        );
    }

    #[test]
    fn broken_input_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "android.json",
            "[\n  {\"cycle\": \"14\", \"eol\": false},\n  {\"cycle\": \"13\", \"eol\": \"soon\"}\n]",
        );
        let e = import(&request(Some(p.clone()), "2026-06-01"))
            .unwrap_err()
            .to_string();
        assert!(e.contains(&p.display().to_string()), "{e}");
        assert!(e.contains("line 3"), "{e}");
        assert!(e.contains("\"soon\""), "{e}");
        std::fs::write(&p, "[{\"cycle\": \"Pie\", \"eol\": true}]").unwrap();
        let e = import(&request(Some(p.clone()), "2026-06-01"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("major version number") && e.contains("line 1"),
            "{e}"
        );
        std::fs::write(&p, "{\"cycle\": \"14\"}").unwrap();
        let e = import(&request(Some(p.clone()), "2026-06-01"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an endoflife.date product file"), "{e}");
        std::fs::write(&p, "[{\"cycle\": \"14\", \"eol\": false").unwrap();
        let e = import(&request(Some(p.clone()), "2026-06-01"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("unreadable JSON") && e.contains("line 1"), "{e}");
        std::fs::write(&p, "[]").unwrap();
        let e = import(&request(Some(p), "2026-06-01"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no release cycles"), "{e}");
    }

    #[test]
    fn refuses_dates_after_the_fetch_date() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(
            &dir,
            "ios.json",
            r#"[{"cycle": "26", "releaseDate": "2025-09-15", "eol": false, "latest": "26.5", "latestReleaseDate": "2026-05-12"}]"#,
        );
        let mut req = request(None, "2026-05-01");
        req.ios = Some(p);
        let e = import(&req).unwrap_err().to_string();
        assert!(e.contains("2026-05-12") && e.contains("--as-of"), "{e}");
        req.as_of = day("2026-05-20");
        let out = import(&req).unwrap();
        let s = out
            .data
            .assess(Some("ios"), Some("26.4.1"), None, req.as_of);
        assert_eq!(s.up_to_date, Some(false));
        assert_eq!(s.latest_version.as_deref(), Some("26.5"));
        req.android_patch_level = Some(day("2026-05-05"));
        assert!(import(&req)
            .unwrap_err()
            .to_string()
            .contains("needs --android"));
    }

    #[test]
    fn nothing_to_import() {
        let e = import(&request(None, "2026-06-01")).unwrap_err();
        assert!(matches!(e, ImportError::NoInput));
    }
}
