//! Embeds every file under `checks/` and `profiles/` into the binary.
//!
//! Writes `$OUT_DIR/embedded.rs` with a sorted table of `(relative path, contents)`,
//! each contents an `include_str!` of the source file, so adding a check or profile
//! needs no code change (only a rebuild).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["checks", "profiles"] {
        let path = root.join(dir);
        println!("cargo:rerun-if-changed={}", path.display());
        collect(&path, &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Every file under `checks/` and `profiles/`: (path relative to the crate root, contents).\n\
         pub static EMBEDDED_FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        // Directories are watched above; watch every file too, so edits are picked up.
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file
            .strip_prefix(&root)
            .expect("under the crate root")
            .to_string_lossy()
            .replace('\\', "/");
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("embedded.rs");
    let mut f = fs::File::create(out).expect("create embedded.rs");
    f.write_all(code.as_bytes()).expect("write embedded.rs");
}
