//! Collects the inputs: command-line paths expand to files (folders are
//! searched recursively; files are picked by content or app-like name).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::checks::InputFailure;
use crate::detect::{looks_like_app_name, sniff};

/// A file to scan.
#[derive(Debug, Clone)]
pub struct Target {
    /// The file.
    pub path: PathBuf,
    /// Found by walking a folder (not named on the command line): a file that
    /// turns out to be neither an app nor an inventory is skipped, not an
    /// error — unless it looks like an app (see [`looks_like_app_name`]).
    pub from_folder: bool,
}

/// The start of the reason a file found in a folder is skipped with when
/// its content is no app, inventory export or facts document.
pub const UNRECOGNIZED: &str = "not an app, inventory export or facts document";

/// A file a folder scan passed over, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// Why it was skipped.
    pub reason: String,
    /// Skipped because its content is no app, inventory export or facts
    /// document — by its first bytes ([`UNRECOGNIZED`]), or read and found
    /// to be none (a zip that is no app, JSON, XML or a plist of no known
    /// export, an export of something else than devices) — rather than for
    /// another reason (a link to a folder, a file that cannot be read, an
    /// installed-app list or compliance export that cannot be used). The
    /// summary line counts the two apart by this, not by the reason's words.
    pub unrecognized: bool,
}

impl Skipped {
    /// A file skipped because its content is no app, inventory export or
    /// facts document ([`Skipped::unrecognized`]).
    pub fn unrecognized(path: PathBuf, reason: String) -> Self {
        Skipped {
            path,
            reason,
            unrecognized: true,
        }
    }

    /// A file skipped for another reason.
    pub fn other(path: PathBuf, reason: String) -> Self {
        Skipped {
            path,
            reason,
            unrecognized: false,
        }
    }
}

/// What the command-line paths expand to.
#[derive(Debug, Default)]
pub struct Collected {
    /// Files to read, in order.
    pub targets: Vec<Target>,
    /// Paths in folders that may hold an app but cannot be read (an
    /// unlistable folder, one nested too deep, an app-named file that is not
    /// a regular file): errors in the report, never skipped.
    pub failures: Vec<InputFailure>,
    /// Files that are neither apps, inventories nor facts documents.
    pub skipped: Vec<Skipped>,
}

/// Deepest folder nesting searched below a folder given on the command line.
const MAX_FOLDER_DEPTH: usize = 32;

/// Expands folders (recursively, at most `MAX_FOLDER_DEPTH` levels, not
/// following directory symlinks) into files whose content or name looks like
/// an input; named files are kept as they are.
pub fn collect_targets(paths: &[PathBuf]) -> Collected {
    let mut out = Collected::default();
    for p in paths {
        if p.is_dir() {
            let mut found = Collected::default();
            walk(p, 0, &mut found);
            found.targets.sort_by(|a, b| a.path.cmp(&b.path));
            found.skipped.sort_by(|a, b| a.path.cmp(&b.path));
            out.targets.extend(found.targets);
            out.failures.extend(found.failures);
            out.skipped.extend(found.skipped);
        } else {
            out.targets.push(Target {
                path: p.clone(),
                from_folder: false,
            });
        }
    }
    out
}

/// A path in a folder that could hold an app but cannot be searched or read.
fn folder_failure(path: &Path, reason: String) -> InputFailure {
    InputFailure {
        path: path.display().to_string(),
        kind: super::load::kind_by_name(path),
        reason,
        cause: None,
        reason_de: None,
        unused_app_list: None,
        file: None,
    }
}

fn walk(dir: &Path, depth: usize, out: &mut Collected) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.failures.push(folder_failure(
                dir,
                format!("cannot search the folder (it may hold apps): {e}"),
            ));
            return;
        }
    };
    for entry in entries {
        let path = match entry {
            Ok(e) => e.path(),
            Err(e) => {
                out.failures.push(folder_failure(
                    dir,
                    format!("cannot list every file of the folder (it may hold apps): {e}"),
                ));
                continue;
            }
        };
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            if depth >= MAX_FOLDER_DEPTH {
                out.failures.push(folder_failure(
                    &path,
                    format!(
                        "folder nested more than {MAX_FOLDER_DEPTH} levels deep: not searched (it may hold apps)"
                    ),
                ));
            } else {
                walk(&path, depth + 1, out);
            }
            continue;
        }
        match sort_folder_file(&path) {
            FolderFile::Candidate => out.targets.push(Target {
                path,
                from_folder: true,
            }),
            FolderFile::Failed(reason) => out.failures.push(folder_failure(&path, reason)),
            FolderFile::Skipped(reason) => out.skipped.push(Skipped::other(path, reason)),
            FolderFile::Unrecognized(reason) => {
                out.skipped.push(Skipped::unrecognized(path, reason))
            }
        }
    }
}

/// What a file met in a folder is.
enum FolderFile {
    /// Read it (an app, inventory or facts document by its content or name).
    Candidate,
    /// It looks like an app but cannot be read: an error.
    Failed(String),
    /// Skipped for another reason than its content, with the reason.
    Skipped(String),
    /// Neither by its first bytes: skipped, with the reason.
    Unrecognized(String),
}

/// Sorts a file met in a folder: app-named files and zips (by their first
/// bytes or an end-of-central-directory record at their end) are read; so is
/// anything whose first bytes look like JSON, XML, a plist or CSV.
fn sort_folder_file(path: &Path) -> FolderFile {
    let named = looks_like_app_name(path);
    let unreadable = |reason: String| {
        if named {
            FolderFile::Failed(reason)
        } else {
            FolderFile::Skipped(reason)
        }
    };
    match std::fs::metadata(path) {
        Err(e) => return unreadable(format!("cannot read the file: {e}")),
        Ok(m) if m.is_dir() => {
            return FolderFile::Skipped("a symbolic link to a folder (not followed)".into())
        }
        Ok(m) if !m.is_file() => return unreadable(crate::extract::NOT_REGULAR.to_string()),
        Ok(_) => {}
    }
    if named {
        return FolderFile::Candidate;
    }
    match crate::extract::file_looks_like_zip(path) {
        Ok(true) => return FolderFile::Candidate,
        Ok(false) => {}
        Err(e) => return FolderFile::Skipped(format!("cannot read the file: {e}")),
    }
    if looks_scannable(path) {
        FolderFile::Candidate
    } else {
        FolderFile::Unrecognized(format!("{UNRECOGNIZED} (by its content)"))
    }
}

/// Whether a file's first bytes look like a zip, JSON, XML, plist or CSV.
fn looks_scannable(path: &Path) -> bool {
    let mut head = [0u8; 4096];
    let n = match std::fs::File::open(path).and_then(|mut f| f.read(&mut head)) {
        Ok(n) => n,
        Err(_) => return false,
    };
    let head = head.get(..n).unwrap_or_default();
    sniff(head)
}
