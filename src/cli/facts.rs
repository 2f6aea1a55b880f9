//! `msgaudit facts`: print extracted facts as JSON.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use super::exit;
use super::inputs::{fail, print_skipped, InputArgs, Printer};
use super::localized::WriteError;
use crate::assess::Lang;
use crate::extract::{write_facts_path, write_split_files_facts, ExtractError, FactsWriteError};
use crate::pipeline::FactsDocument;

/// Arguments of `msgaudit facts`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "The facts are documented field by field in docs/facts.md \
(apps, Android), docs/facts-ios.md (iOS) and docs/facts-inventory.md (devices). One FILE \
prints one JSON document; several print a JSON array. Folders are searched as by `scan` (files \
that are no input are skipped; -v lists them). A base APK and the split APKs of its app (same \
package and versionCode), named or found in a folder, are read as one app, as by `scan`: one \
document whose `android.apk_files` lists every file; a split APK without its base is refused. Intune compliance exports given with \
Intune device lists are joined to their devices (`policy_compliance`), and installed-app lists \
(Apple MDM InstalledApplicationList, Workspace ONE DeviceApps) given with device lists are joined \
to their devices (`installed_messengers`), as by `scan`; neither is printed itself. Exit codes: 0 every file was read; \
4 a file could not be read (the others are still printed), or an app's entry that carries \
facts could not be read (its facts are printed with the entry in `unread`). 5 the --trackers file is broken. Devices, pipes \
and sockets are refused, as by `scan`."
)]
pub struct FactsArgs {
    /// Apps (.apk, .apks, .xapk, .ipa), inventory exports, or folders; the kind is detected from the content.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Include bulky detail (every DEX class name).
    #[arg(long)]
    pub full: bool,
    /// Write the JSON to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How inputs are read.
    #[command(flatten)]
    pub input: InputArgs,
    /// Language of the messages on standard error (the facts are JSON).
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// List every file a folder scan skipped, with the reason (on standard error).
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

/// Runs `msgaudit facts`: one JSON document for one file, a JSON array for several.
/// Each document is written as soon as it is extracted, so memory holds one
/// app's facts; an inventory's devices are written as they are read.
pub fn run(args: FactsArgs) -> u8 {
    let input = args.input.to_options(args.full);
    let lang = args.lang;
    let mut options = match input.knowledge_base(&Printer::new(lang)) {
        Ok(kb) => input.extract_options(std::sync::Arc::new(kb)),
        Err(e) => return fail(&e, lang),
    };
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(f),
            Err(e) => return super::failure::fail(&WriteError::to(Some(path), e), lang),
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(sink);
    // Compliance exports are joined to the Intune device lists, as by `scan`.
    let inputs = crate::pipeline::facts_inputs(&args.files, &mut options);
    let mut code = exit::OK;
    let report = |failures: &[(PathBuf, String, Option<String>)], code: &mut u8| {
        for (path, reason, reason_de) in failures {
            let reason = match (lang, reason_de) {
                (Lang::De, Some(de)) => de.clone(),
                (Lang::De, None) => super::wording_de::text(reason),
                (Lang::En, _) => reason.clone(),
            };
            let error = super::input_messages::error_label(lang);
            eprintln!("msgaudit: {}: {error}: {reason}", path.display());
            *code = exit::INPUT_ERROR;
        }
    };
    report(&inputs.failures, &mut code);
    let several = inputs.documents.len() > 1;
    let mut written = 0usize;
    let mut skipped = inputs.skipped.clone();
    let mut result = if several {
        out.write_all(b"[\n")
    } else {
        Ok(())
    };
    for document in &inputs.documents {
        if result.is_err() {
            break;
        }
        let path = document.path();
        let separator: &[u8] = if written > 0 { b",\n" } else { b"" };
        let wrote = match document {
            FactsDocument::File(t) => write_facts_path(&t.path, &options, separator, &mut out),
            FactsDocument::SplitSet { base, splits } => {
                let splits: Vec<&Path> = splits.iter().map(PathBuf::as_path).collect();
                write_split_files_facts(base, &splits, &options, separator, &mut out)
            }
            FactsDocument::Refused { error, .. } => {
                input_error(path, error, &options, lang);
                code = exit::INPUT_ERROR;
                continue;
            }
        };
        match wrote {
            Ok(unread) => {
                written += 1;
                for u in &unread {
                    let (entry, kind) = (&u.entry, u.kind.as_str());
                    match lang {
                        Lang::De => eprintln!(
                            "msgaudit: {}: Fehler: {entry} ist nicht lesbar ({kind}): {}",
                            path.display(),
                            super::wording_de::text(&u.reason)
                        ),
                        Lang::En => eprintln!(
                            "msgaudit: {}: error: {entry} could not be read ({kind}): {}",
                            path.display(),
                            u.reason
                        ),
                    }
                }
                if !unread.is_empty() {
                    code = exit::INPUT_ERROR;
                }
            }
            Err(FactsWriteError::Input { error, started }) => {
                // A file found in a folder that is no input is passed over,
                // as by `scan`.
                let from_folder = matches!(document, FactsDocument::File(t) if t.from_folder);
                match crate::pipeline::passed_over(path, from_folder, &error) {
                    Some(s) if !started => skipped.push(s),
                    _ => {
                        input_error(path, &error, &options, lang);
                        code = exit::INPUT_ERROR;
                        if started {
                            written += 1;
                        }
                    }
                }
            }
            Err(FactsWriteError::Output(e)) => result = Err(e),
        }
    }
    print_skipped(&skipped, args.verbose, false, lang);
    if written == 0 && code == exit::OK {
        // Folders that hold no input at all, as `scan` says it.
        eprintln!(
            "msgaudit: {}",
            super::input_messages::nothing_found(&args.files, skipped.len(), false, lang)
        );
        code = exit::INPUT_ERROR;
    }
    // Installed-app lists no written device took: each an error naming the file.
    report(&inputs.unjoined(&options), &mut code);
    // Lists of a file used otherwise that no written device took: a note.
    let printer = Printer::new(lang);
    for note in inputs.left_over(&options) {
        crate::pipeline::Observer::exports_noted(&printer, &note);
    }
    if several {
        result = result.and_then(|()| out.write_all(b"\n]"));
    }
    if written > 0 || several {
        result = result.and_then(|()| out.write_all(b"\n"));
    }
    if let Err(e) = result.and_then(|()| out.flush()) {
        return super::failure::fail(&WriteError::to(args.output.as_ref(), e), lang);
    }
    code
}

/// Says on standard error that the file at `path` could not be read.
fn input_error(
    path: &Path,
    error: &ExtractError,
    options: &crate::extract::ExtractOptions,
    lang: Lang,
) {
    eprintln!(
        "msgaudit: {}: {}: {}",
        path.display(),
        super::input_messages::error_label(lang),
        super::input_messages::extract_error(
            error,
            crate::pipeline::refused_read_as(path, error, options),
            lang
        )
    );
}
