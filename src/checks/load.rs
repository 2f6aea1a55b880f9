//! The check set: built-in checks embedded at build time, plus a user's `--checks DIR`.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::def::Check;
use super::error::ConfigError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Every file embedded from `checks/` and `profiles/`: (path relative to the crate root, contents).
pub fn embedded_files() -> &'static [(&'static str, &'static str)] {
    embedded::EMBEDDED_FILES
}

/// The contents of one embedded file, e.g. `checks/sdks.toml`.
pub fn embedded_file(path: &str) -> Option<&'static str> {
    embedded_files()
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, text)| *text)
}

/// Whether an embedded path is a check definition (not a knowledge base or profile).
fn is_check_path(path: &str) -> bool {
    (path.starts_with("checks/app/") || path.starts_with("checks/device/"))
        && path.ends_with(".toml")
}

/// The effective set of checks of a run.
#[derive(Debug, Default)]
pub struct CheckSet {
    checks: Vec<Check>,
    /// Ids of the checks that came from `--checks` (added or overriding).
    user_ids: Vec<String>,
}

impl CheckSet {
    /// The built-in checks (every `checks/app/*.toml` and `checks/device/*.toml` embedded).
    pub fn builtin() -> Result<CheckSet, ConfigError> {
        let mut checks: Vec<Check> = Vec::new();
        for (path, text) in embedded_files().iter().filter(|(p, _)| is_check_path(p)) {
            let check = Check::parse(&format!("built-in:{path}"), text)?;
            insert_unique(&mut checks, check)?;
        }
        checks.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(CheckSet {
            checks,
            user_ids: Vec::new(),
        })
    }

    /// Adds every `*.toml` in `dir` (recursively). A check whose id equals a
    /// built-in one replaces it; two user files with one id are an error.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), ConfigError> {
        let mut files = Vec::new();
        collect_toml(dir, &mut files, 0)?;
        files.sort();
        let mut added: Vec<Check> = Vec::new();
        for file in files {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file).map_err(|source| ConfigError::Io {
                path: name.clone(),
                source,
            })?;
            insert_unique(&mut added, Check::parse(&name, &text)?)?;
        }
        for check in added {
            self.user_ids.push(check.id.clone());
            match self.checks.iter_mut().find(|c| c.id == check.id) {
                Some(slot) => *slot = check,
                None => self.checks.push(check),
            }
        }
        self.checks.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(())
    }

    /// All checks, sorted by id.
    pub fn checks(&self) -> &[Check] {
        &self.checks
    }

    /// The check with `id`.
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Whether the check came from `--checks` (such checks are always evaluated).
    pub fn is_user(&self, id: &str) -> bool {
        self.user_ids.iter().any(|u| u == id)
    }

    /// SHA-256 (hex) over the bytes of the given checks' files, in id order.
    pub fn digest<'a>(checks: impl IntoIterator<Item = &'a Check>) -> String {
        let mut sorted: Vec<&Check> = checks.into_iter().collect();
        sorted.sort_by(|a, b| a.id.cmp(&b.id));
        let mut hasher = Sha256::new();
        for c in sorted {
            hasher.update(c.text.as_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

fn insert_unique(checks: &mut Vec<Check>, check: Check) -> Result<(), ConfigError> {
    if let Some(existing) = checks.iter().find(|c| c.id == check.id) {
        return Err(ConfigError::DuplicateId {
            id: check.id,
            first: existing.source.clone(),
            second: check.source,
        });
    }
    checks.push(check);
    Ok(())
}

/// Collects `*.toml` files under `dir`, at most 8 directory levels deep.
fn collect_toml(
    dir: &Path,
    out: &mut Vec<std::path::PathBuf>,
    depth: usize,
) -> Result<(), ConfigError> {
    let io = |source| ConfigError::Io {
        path: dir.display().to_string(),
        source,
    };
    if depth > 8 {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_toml(&path, out, depth + 1)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}
