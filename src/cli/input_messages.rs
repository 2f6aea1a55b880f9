//! Messages about the inputs of a command, in the report language: nothing
//! to read in the given paths, inventories given to a command for apps, two
//! different apps given to `diff`.

use std::path::PathBuf;

use crate::assess::{Lang, TargetAssessment};
use crate::facts::TargetKind;

/// The paths as a list: `a`, `a and b`, `a, b and c` (German: `und`); a
/// folder is called one.
fn named(paths: &[PathBuf], lang: Lang) -> String {
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            let shown = p.display();
            match (p.is_dir(), lang) {
                (true, Lang::De) => format!("im Ordner {shown}"),
                (true, Lang::En) => format!("the folder {shown}"),
                (false, Lang::De) => format!("in {shown}"),
                (false, Lang::En) => shown.to_string(),
            }
        })
        .collect();
    let and = match lang {
        Lang::De => " und ",
        Lang::En => " and ",
    };
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{}{and}{last}", rest.join(", ")),
    }
}

/// The line `-v` prints for one file a folder scan skipped, with the
/// reader's reason (in German where the run is German).
pub(crate) fn skipped_file(path: &std::path::Path, reason: &str, lang: Lang) -> String {
    match lang {
        Lang::De => {
            // A phrase in parentheses: lower case, as in the running text.
            let reason = super::wording_de::text(reason);
            let mut chars = reason.chars();
            let reason: String = match (chars.next(), chars.clone().next()) {
                (Some(first), Some(second)) if second.is_lowercase() => {
                    first.to_lowercase().chain(chars).collect()
                }
                _ => reason,
            };
            format!("msgaudit: übersprungen: {} ({reason})", path.display())
        }
        Lang::En => format!("msgaudit: skipped {}: {reason}", path.display()),
    }
}

/// Why a target could not be read, in `lang`: the reader's German text
/// where it has one, else its English text in German words.
pub(crate) fn target_error(t: &TargetAssessment, lang: Lang) -> String {
    match (lang, &t.error_de, &t.error) {
        (Lang::De, Some(de), _) => de.clone(),
        (Lang::De, None, Some(en)) => super::wording_de::text(en),
        (Lang::De, None, None) => "nicht lesbar".into(),
        (Lang::En, _, Some(en)) => en.clone(),
        (Lang::En, _, None) => "cannot be read".into(),
    }
}

/// Why a file could not be read, in `lang`: the reader's German text where
/// it has one, else its English text in German words; an archive trick
/// worded for what the archive was read as (`read_as`).
pub(crate) fn extract_error(
    e: &crate::extract::ExtractError,
    read_as: crate::archive::ReadAs,
    lang: Lang,
) -> String {
    match (lang, e.message_de(read_as)) {
        (Lang::De, Some(de)) => de,
        (Lang::De, None) => super::wording_de::text(&e.to_string()),
        (Lang::En, _) => e.english(read_as),
    }
}

/// `checks` was given apps without `--format answers`.
pub(crate) fn apps_need_answers(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Apps werden nur für die Vorlage einer Antwortdatei gelesen (--format answers)",
        Lang::En => "apps are read only for the answers template (--format answers)",
    }
}

/// `compare` found no app it could read.
pub(crate) fn no_readable_app(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Keine der Eingaben ist eine lesbare App",
        Lang::En => "no readable app among the inputs",
    }
}

/// `diff` was given a file with no app, or with `n` apps.
pub(crate) fn not_one_app_in(path: &std::path::Path, n: usize, lang: Lang) -> String {
    let path = path.display();
    match (lang, n) {
        (Lang::De, 0) => format!("{path} enthält keine App"),
        (Lang::En, 0) => format!("{path}: holds no app"),
        (Lang::De, n) => {
            format!("{path} enthält {n} Apps; diff vergleicht genau eine App mit einer anderen")
        }
        (Lang::En, n) => {
            format!("{path}: holds {n} apps; diff compares one app with one app")
        }
    }
}

/// How many files folder scans skipped: `unrecognized` for not being an
/// app, inventory export or facts document, `other` for another reason (a
/// special file, a link to a folder, an unreadable or unjoinable export).
/// Each file counts once; with `verbose` every one was listed above.
pub(crate) fn skipped_count(
    unrecognized: usize,
    other: usize,
    verbose: bool,
    facts_documents: bool,
    lang: Lang,
) -> String {
    let n = unrecognized + other;
    let (n_, u_, o_) = (
        crate::lang::count(n, lang),
        crate::lang::count(unrecognized, lang),
        crate::lang::count(other, lang),
    );
    // What a file that is no input is not (`facts` reads no facts documents).
    let (not_de, not_en) = if facts_documents {
        (
            "weder App noch Inventarexport noch Fakten-Dokument",
            "not an app, inventory export or facts document",
        )
    } else {
        (
            "weder App noch Inventarexport",
            "not an app or inventory export",
        )
    };
    match lang {
        Lang::De => {
            let files = if n == 1 {
                "andere Datei"
            } else {
                "andere Dateien"
            };
            let why = match (unrecognized, other) {
                (_, 0) => not_de.to_string(),
                (0, _) if verbose => "aus den oben genannten Gründen".to_string(),
                (0, _) => "aus anderen Gründen".to_string(),
                (_, _) => format!("{u_} {not_de}, {o_} aus einem anderen Grund"),
            };
            let hint = if verbose { "" } else { " (-v listet sie auf)" };
            format!("msgaudit: {n_} {files} übersprungen: {why}{hint}")
        }
        Lang::En => {
            let files = if n == 1 { "other file" } else { "other files" };
            let why = match (unrecognized, other) {
                (_, 0) => not_en.to_string(),
                (0, _) if verbose => "for the reasons above".to_string(),
                (0, _) => "for other reasons".to_string(),
                (_, _) => format!("{u_} {not_en}, {o_} for another reason"),
            };
            let hint = match (verbose, n) {
                (true, _) => "",
                (false, 1) => " (-v lists it)",
                (false, _) => " (-v lists them)",
            };
            format!("msgaudit: {n_} {files} skipped: {why}{hint}")
        }
    }
}

/// Why a scan of `paths` found nothing to assess, naming the paths and how
/// many files were skipped (`-v` lists them); `facts_documents`: whether
/// the command reads facts documents too (`scan` does, `facts` does not).
pub(crate) fn nothing_found(
    paths: &[PathBuf],
    skipped: usize,
    facts_documents: bool,
    lang: Lang,
) -> String {
    let where_ = named(paths, lang);
    let mut msg = match (lang, facts_documents) {
        (Lang::De, true) => format!(
            "{where_} wurde keine App, kein Inventarexport und kein Fakten-Dokument gefunden"
        ),
        (Lang::De, false) => format!("{where_} wurde keine App und kein Inventarexport gefunden"),
        (Lang::En, true) => format!("no app, inventory export or facts document found in {where_}"),
        (Lang::En, false) => format!("no app or inventory export found in {where_}"),
    };
    msg.push_str(&match (lang, skipped) {
        (Lang::De, 0) => " (keine Dateien)".to_string(),
        (Lang::En, 0) => " (no files)".to_string(),
        (Lang::De, 1) => " (1 andere Datei übersprungen; -v listet sie auf)".to_string(),
        (Lang::De, n) => format!(
            " ({} andere Dateien übersprungen; -v listet sie auf)",
            crate::lang::count(n, lang)
        ),
        (Lang::En, 1) => " (1 other file skipped; -v lists it)".to_string(),
        (Lang::En, n) => format!(
            " ({} other files skipped; -v lists them)",
            crate::lang::count(n, lang)
        ),
    });
    if lang == Lang::De {
        // The German sentence starts with its preposition ("Im Ordner …").
        let mut chars = msg.chars();
        if let Some(first) = chars.next() {
            return first.to_uppercase().chain(chars).collect();
        }
    }
    msg
}

/// `compare` and `diff` work on apps: the message for device inventories
/// among their inputs (`files`, as given or as read from a saved report).
pub(crate) fn inventories_refused(command: &str, files: &[String], lang: Lang) -> String {
    let list = files.join(", ");
    match lang {
        Lang::De => format!(
            "{command} vergleicht Apps; {list} enthält Geräte aus einem Inventarexport. Geräte prüft `msgaudit scan`."
        ),
        Lang::En => format!(
            "{command} compares apps; {list} holds devices from an inventory export. Use `msgaudit scan` for devices."
        ),
    }
}

/// A warning when `old` and `new` are not two versions of one app: a
/// different app id or platform. `None` when they are.
pub(crate) fn not_one_app(
    old: &TargetAssessment,
    new: &TargetAssessment,
    lang: Lang,
) -> Option<String> {
    let platform = |k: TargetKind| match k {
        TargetKind::Android => "Android",
        TargetKind::Ios => "iOS",
        _ => "?",
    };
    let id = |t: &TargetAssessment| t.target.id.clone().unwrap_or_else(|| "?".into());
    let what = if old.target.kind != new.target.kind {
        format!(
            "{} → {}",
            platform(old.target.kind),
            platform(new.target.kind)
        )
    } else if old.target.id != new.target.id {
        format!("{} → {}", id(old), id(new))
    } else {
        return None;
    };
    Some(match lang {
        Lang::De => format!(
            "Achtung: Die beiden Eingaben sind nicht zwei Versionen derselben App ({what}); der Vergleich zeigt Unterschiede zwischen verschiedenen Apps."
        ),
        Lang::En => format!(
            "warning: the two inputs are not two versions of one app ({what}); the diff shows differences between different apps."
        ),
    })
}

/// The label of a file's error on standard error, beside the warnings'
/// `warning` / „Warnung“: the run goes on, and exits 4 at its end.
pub(super) fn error_label(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Fehler",
        Lang::En => "error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::{TargetInfo, Verdict};

    fn app(kind: TargetKind, id: &str) -> TargetAssessment {
        TargetAssessment {
            target: TargetInfo {
                kind,
                name: "X".into(),
                id: Some(id.into()),
                version: None,
                file: None,
                source: None,
                device: None,
            },
            verdict: Verdict::Compliant,
            score: None,
            results: Vec::new(),
            error: None,
            error_kind: None,
            unused_app_list: None,
            error_de: None,
            unread: Vec::new(),
            facts: None,
        }
    }

    #[test]
    fn diff_warns_about_other_apps_and_platforms_only() {
        let a = app(TargetKind::Android, "org.a");
        assert_eq!(not_one_app(&a, &a.clone(), Lang::En), None);
        let b = app(TargetKind::Android, "org.b");
        assert_eq!(
            not_one_app(&a, &b, Lang::En).unwrap(),
            "warning: the two inputs are not two versions of one app (org.a → org.b); the diff shows differences between different apps."
        );
        let i = app(TargetKind::Ios, "org.a");
        assert!(not_one_app(&a, &i, Lang::De)
            .unwrap()
            .contains("nicht zwei Versionen derselben App (Android → iOS)"));
    }

    #[test]
    fn nothing_found_names_the_paths() {
        let p = [PathBuf::from("/nonexistent/x.bin")];
        assert_eq!(
            nothing_found(&p, 0, true, Lang::En),
            "no app, inventory export or facts document found in /nonexistent/x.bin (no files)"
        );
        let dir = tempfile::tempdir().unwrap();
        let d = [dir.path().to_path_buf()];
        let shown = dir.path().display();
        assert_eq!(
            nothing_found(&d, 2, true, Lang::De),
            format!("Im Ordner {shown} wurde keine App, kein Inventarexport und kein Fakten-Dokument gefunden (2 andere Dateien übersprungen; -v listet sie auf)")
        );
        assert_eq!(
            nothing_found(&d, 1, true, Lang::En),
            format!("no app, inventory export or facts document found in the folder {shown} (1 other file skipped; -v lists it)")
        );
        // `facts` reads no facts documents, and does not say it looked for one.
        assert_eq!(
            nothing_found(&d, 1, false, Lang::En),
            format!("no app or inventory export found in the folder {shown} (1 other file skipped; -v lists it)")
        );
        assert_eq!(
            nothing_found(&d, 0, false, Lang::De),
            format!("Im Ordner {shown} wurde keine App und kein Inventarexport gefunden (keine Dateien)")
        );
    }
}
