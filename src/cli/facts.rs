//! `msgaudit facts`: print extracted facts as JSON.

use std::path::PathBuf;

use clap::Args;

use super::{exit, write_output};
use crate::extract::{extract_path, ExtractOptions};

/// Arguments of `msgaudit facts`.
#[derive(Debug, Args)]
#[command(after_long_help = "The facts are documented field by field in docs/facts.md.")]
pub struct FactsArgs {
    /// Apps (.apk, .apks, .xapk, .ipa) or inventory exports; the kind is detected from the content.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Include bulky detail (every DEX class name).
    #[arg(long)]
    pub full: bool,
    /// Force the input format of an inventory instead of detecting it.
    #[arg(long, value_name = "NAME")]
    pub inventory_format: Option<String>,
    /// Write the JSON to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `msgaudit facts`: one JSON document for one file, a JSON array for several.
pub fn run(args: FactsArgs) -> u8 {
    let options = ExtractOptions {
        full: args.full,
        inventory_format: args.inventory_format.clone(),
        ..ExtractOptions::default()
    };
    let mut code = exit::OK;
    let mut docs = Vec::new();
    for path in &args.files {
        match extract_path(path, &options) {
            Ok(facts) => docs.push(serde_json::to_value(&facts).expect("facts serialize")),
            Err(e) => {
                eprintln!("msgaudit: {}: {e}", path.display());
                code = exit::INPUT_ERROR;
            }
        }
    }
    let value = if args.files.len() == 1 {
        docs.pop().unwrap_or(serde_json::Value::Null)
    } else {
        serde_json::Value::Array(docs)
    };
    if !(args.files.len() == 1 && value.is_null()) {
        let text = serde_json::to_string_pretty(&value).expect("json");
        if let Err(e) = write_output(args.output.as_ref(), &text) {
            eprintln!("msgaudit: {e}");
            return exit::INPUT_ERROR;
        }
    }
    code
}
