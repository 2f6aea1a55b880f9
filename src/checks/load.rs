//! The check set: built-in checks embedded at build time, plus a user's `--checks DIR`.

use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::def::{Check, Compile};
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
        // The files are parsed in parallel; the results are taken in file
        // order, so the first error is always the same one. Compiling the
        // CEL rules waits for their first run, with the fast parser
        // (`cel::compile_known`: about 4 ms of CPU for all, 54 ms with the
        // environment's).
        let parsed: Vec<Result<Check, ConfigError>> = embedded_files()
            .par_iter()
            .filter(|(p, _)| is_check_path(p))
            .map(|(path, text)| {
                // Every program of the built-in checks compiles (tested
                // below): each is compiled when first run.
                Check::parse_compiling(&format!("built-in:{path}"), text, Compile::OnFirstUse)
            })
            .collect();
        let mut checks: Vec<Check> = Vec::with_capacity(parsed.len());
        for check in parsed {
            insert_unique(&mut checks, check?)?;
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
        // Parsed in parallel like the built-in checks, the results taken in
        // file order.
        let parsed: Vec<Result<Check, ConfigError>> = files
            .par_iter()
            .map(|file| {
                let name = file.display().to_string();
                let text = std::fs::read_to_string(file).map_err(|source| ConfigError::Io {
                    path: name.clone(),
                    source,
                })?;
                Check::parse(&name, &text)
            })
            .collect();
        let mut added: Vec<Check> = Vec::new();
        for check in parsed {
            insert_unique(&mut added, check?)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A user check: the built-in passcode check under the id `id`, its
    /// first rule's condition replaced by `when`.
    fn user_check(id: &str, when: &str) -> String {
        let text = embedded_file("checks/device/DEV-02-passcode.toml")
            .unwrap_or_default()
            .replacen("id = \"DEV-02-passcode\"", &format!("id = \"{id}\""), 1);
        let first = text.find("when = '").unwrap_or_default();
        let end = first + text[first..].find('\n').unwrap_or_default();
        format!("{}when = '{when}'{}", &text[..first], &text[end..])
    }

    #[test]
    fn the_built_in_checks_load_in_id_order() {
        let set = CheckSet::builtin().expect("built-in checks load");
        let ids: Vec<&str> = set.checks().iter().map(|c| c.id.as_str()).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(ids, sorted);
        assert!(ids.contains(&"DEV-02-passcode"));
    }

    /// The built-in checks are compiled by the Pratt parser
    /// (`cel::compile_known`): every one of their programs parses there,
    /// to the expression the environment's parser makes of it, macros
    /// expanded (node numbers, which only name nodes, aside).
    #[test]
    fn the_fast_parser_reads_every_built_in_program_as_the_environment_does() {
        // The expression's Debug text without its node numbers (`id: 12`).
        fn shape(program: &crate::checks::cel::Program) -> String {
            let text = format!("{:?}", program.expression());
            let mut out = String::with_capacity(text.len());
            let mut rest = text.as_str();
            while let Some(at) = rest.find("id: ") {
                out.push_str(&rest[..at]);
                let after = &rest[at + 4..];
                rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
            }
            out.push_str(rest);
            out
        }
        let set = CheckSet::builtin().expect("built-in checks load");
        let mut programs = 0;
        for check in set.checks() {
            for rule in &check.rules {
                for source in std::iter::once(&rule.when).chain(&rule.evidence) {
                    assert!(
                        cel::parser::PrattParser::new().parse(source).is_ok(),
                        "{}: the Pratt parser refuses {source}",
                        check.id
                    );
                    let fast = crate::checks::cel::compile_known(source).unwrap();
                    let slow = crate::checks::cel::compile(source).unwrap();
                    assert_eq!(shape(&fast), shape(&slow), "{}: {source}", check.id);
                    programs += 1;
                }
            }
        }
        assert!(programs > 200, "only {programs} programs");
    }

    /// A user check (`--checks`) is compiled by the environment's parser,
    /// which expands the extensions' macros (`math.greatest`): the Pratt
    /// parser, which does not know them, would read the call as a call of
    /// an unknown function.
    #[test]
    fn user_checks_may_use_the_extensions_macros() {
        use crate::checks::cel::{compile, compile_known, json_to_cel, TargetContext};
        let source = "math.greatest(1, 3, 2) == 3";
        let check = Check::parse("user.toml", &user_check("X-MACRO", source)).expect("loads");
        let facts = serde_json::json!({"kind": "device", "platform": "ios"});
        let context = TargetContext::new(&facts, "2026-12-05");
        let result = context.run(&check, &serde_json::json!({}));
        assert_eq!(result.outcome, check.rules[0].outcome, "{result:?}");
        let scope = context.scope(json_to_cel(&serde_json::json!({})));
        let holds = Ok(cel::Value::Bool(true));
        assert_eq!(compile(source).unwrap().execute(&scope), holds);
        assert_ne!(compile_known(source).unwrap().execute(&scope), holds);
    }

    /// The built-in checks are compiled on first use, so a program that
    /// did not compile would show only when run: every one compiles.
    #[test]
    fn every_program_of_the_built_in_checks_compiles() {
        let set = CheckSet::builtin().expect("built-in checks load");
        for check in set.checks() {
            check.compile_all().unwrap_or_else(|e| panic!("{e}"));
        }
        // A program compiled on first use that does not compile is an
        // error when run, named like a load error by `compile_all`.
        let text = user_check("X-LATE", "facts.platform ==");
        let late = Check::parse_compiling("late.toml", &text, Compile::OnFirstUse)
            .expect("loads without compiling");
        match late.compile_all() {
            Err(ConfigError::Cel {
                file, rule, field, ..
            }) => assert_eq!((file.as_str(), rule, field), ("late.toml", 1, "when")),
            other => panic!("expected the CEL error, got {other:?}"),
        }
        let facts = serde_json::json!({"kind": "device", "platform": "ios"});
        let result = crate::checks::cel::TargetContext::new(&facts, "2026-12-05")
            .run(&late, &serde_json::json!({}));
        assert_eq!(result.outcome, crate::assess::Outcome::Error);
    }

    #[test]
    fn a_user_folder_reports_its_first_broken_file_every_time() {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, id) in [("a.toml", "X-A"), ("b.toml", "X-B"), ("c.toml", "X-C")] {
            std::fs::write(dir.path().join(name), user_check(id, "facts.platform ==")).unwrap();
        }
        std::fs::write(dir.path().join("0-good.toml"), user_check("X-0", "true")).unwrap();
        // Parsed in parallel, the files are still judged in name order.
        for _ in 0..8 {
            let mut set = CheckSet::builtin().expect("built-in checks load");
            match set.add_dir(dir.path()) {
                Err(ConfigError::Cel { file, rule, .. }) => {
                    assert!(file.ends_with("a.toml"), "{file}");
                    assert_eq!(rule, 1);
                }
                other => panic!("expected the CEL error of a.toml, got {other:?}"),
            }
        }
    }

    #[test]
    fn two_user_files_with_one_id_are_refused_naming_both() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("one.toml"), user_check("X-SAME", "true")).unwrap();
        std::fs::write(dir.path().join("two.toml"), user_check("X-SAME", "false")).unwrap();
        let mut set = CheckSet::builtin().expect("built-in checks load");
        match set.add_dir(dir.path()) {
            Err(ConfigError::DuplicateId { id, first, second }) => {
                assert_eq!(id, "X-SAME");
                assert!(first.ends_with("one.toml"), "{first}");
                assert!(second.ends_with("two.toml"), "{second}");
            }
            other => panic!("expected a duplicate id, got {other:?}"),
        }
        // A user check with a built-in id replaces the built-in one.
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("mine.toml"),
            user_check("DEV-02-passcode", "false"),
        )
        .unwrap();
        let mut set = CheckSet::builtin().expect("built-in checks load");
        let before = set.checks().len();
        set.add_dir(dir.path()).expect("the replacement loads");
        assert_eq!(set.checks().len(), before);
        assert!(set.is_user("DEV-02-passcode"));
        let check = set.get("DEV-02-passcode").expect("still there");
        assert!(check.source.ends_with("mine.toml"), "{}", check.source);
    }
}
