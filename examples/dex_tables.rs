//! Runs the Android binary readers (DEX tables, native libraries, signatures)
//! on one APK and prints what they found as JSON.
//!
//! ```text
//! cargo run --release --example dex_tables -- app.apk [--class-names]
//! ```
//!
//! This is the benchmark target of `benches/android.sh` until the full
//! `msgaudit facts` pipeline calls these readers.

use std::process::ExitCode;

use msgaudit::archive::Archive;
use msgaudit::extract::android::{dex, native, signing};
use msgaudit::extract::problems::Problems;
use msgaudit::limits::Limits;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: dex_tables APK [--class-names]");
        return ExitCode::from(2);
    };
    let with_names = args.iter().any(|a| a == "--class-names");
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let limits = Limits::default();
    let archive = match Archive::new(&bytes, limits) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(1);
        }
    };
    let mut problems = Problems::default();
    let mut out = dex::read_dex(&archive, "", &[], &limits, &mut problems);
    if with_names {
        out.facts.class_names = out.class_names;
    }
    let report = serde_json::json!({
        "dex": out.facts,
        "native_libs": native::read_native_libs(&archive, "", &mut problems),
        "signing": signing::read_signing(&archive, &mut problems),
        "warnings": problems.warnings.iter().map(|w| w.detail()).collect::<Vec<_>>(),
        "unread": problems.unread,
    });
    match serde_json::to_string_pretty(&report) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(1)
        }
    }
}
