//! The answers-file template (`msgaudit checks --format answers [APP…]`):
//! one `[[answer]]` per check that can end undecided (manual or warn), with
//! its question as a comment. Given apps, one block per app and check, bound
//! to the app's id, version and file SHA-256, so that an answer cannot
//! silently decide another version later.

use std::path::{Path, PathBuf};

use crate::assess::{Lang, Outcome};
use crate::checks::{Check, Profile};
use crate::facts::{AppFacts, Facts};
use crate::pipeline::InputOptions;

/// What the template binds an app's answers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppBinding {
    /// `target`: the app id, else the file name.
    pub target: String,
    /// `version`: `name (build)` or `name`; `None` when the app has none.
    pub version: Option<String>,
    /// `sha256` of the file.
    pub sha256: String,
    /// `android` or `ios`: which checks apply.
    kind: crate::facts::TargetKind,
}

impl AppBinding {
    fn of(app: &AppFacts) -> AppBinding {
        let file_name = Path::new(&app.file.path)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(&app.file.path);
        AppBinding {
            target: app.app.id.clone().unwrap_or_else(|| file_name.to_string()),
            version: app.app.version.as_ref().map(|v| match &app.app.build {
                Some(b) => format!("{v} ({b})"),
                None => v.clone(),
            }),
            sha256: app.file.sha256.clone(),
            kind: app.kind,
        }
    }
}

/// Reads each app of `paths` for what its answers are bound to; the error
/// names the file and the cause (an inventory is refused: answers for
/// devices are not bound to a version).
pub fn read_apps(paths: &[PathBuf], lang: Lang) -> Result<Vec<AppBinding>, String> {
    use super::localized::Localized;
    if paths.is_empty() {
        return Ok(Vec::new());
    }
    let input = InputOptions::default();
    let kb = input
        .knowledge_base(&super::inputs::Printer::new(lang))
        .map_err(|e| e.message(lang))?;
    let options = input.extract_options(std::sync::Arc::new(kb));
    paths
        .iter()
        .map(|path| match crate::extract::extract_path(path, &options) {
            Ok(Facts::App(app)) => Ok(AppBinding::of(&app)),
            Ok(Facts::Inventory(_)) => Err(match lang {
                Lang::De => format!(
                    "{} ist ein Geräteinventar, keine App: An eine Version gebundene Antworten gibt es nur für Apps (ohne die Datei entsteht eine Vorlage ohne Bindung)",
                    path.display()
                ),
                Lang::En => format!(
                    "{}: is a device inventory, not an app: answers bound to a version are for apps (leave the file out for a template without bindings)",
                    path.display()
                ),
            }),
            Err(e) => Err(format!(
                "{}: {}",
                path.display(),
                super::input_messages::extract_error(
                    &e,
                    crate::pipeline::refused_read_as(path, &e, &options),
                    lang
                )
            )),
        })
        .collect()
}

/// The template for `checks` of `profile` in `lang`; per app of `apps` when
/// given, else one unbound block per check.
pub fn render(checks: &[&Check], profile: &Profile, lang: Lang, apps: &[AppBinding]) -> String {
    let t = Texts::of(lang);
    let mut out = format!(
        "# {} — {}\n# {}\n",
        profile.title.get(lang),
        profile.id,
        t.intro
    );
    let answerable = checks.iter().filter(|c| {
        c.rules
            .iter()
            .any(|r| matches!(r.outcome, Outcome::Manual | Outcome::Warn))
    });
    if apps.is_empty() {
        for c in answerable {
            head(&mut out, c, lang);
            out.push_str(&format!(
                "[[answer]]\ncheck = \"{}\"\n# target = \"\"   # {}\n# version = \"\"   # {}\n# sha256 = \"\"   # {}\n",
                c.id, t.target, t.version, t.sha256
            ));
            tail(&mut out, &t);
        }
        return out;
    }
    let answerable: Vec<_> = answerable.collect();
    for app in apps {
        out.push_str(&format!(
            "\n# ===== {} {} =====\n",
            app.target,
            app.version.as_deref().unwrap_or("")
        ));
        for c in answerable.iter().filter(|c| c.applies_to(app.kind)) {
            head(&mut out, c, lang);
            out.push_str(&format!(
                "[[answer]]\ncheck = \"{}\"\ntarget = \"{}\"\n",
                c.id,
                toml_escape(&app.target)
            ));
            match &app.version {
                Some(v) => out.push_str(&format!("version = \"{}\"\n", toml_escape(v))),
                None => out.push_str(&format!("# version = \"\"   # {}\n", t.no_version)),
            }
            out.push_str(&format!("sha256 = \"{}\"\n", app.sha256));
            tail(&mut out, &t);
        }
    }
    out
}

fn head(out: &mut String, c: &Check, lang: Lang) {
    out.push_str(&format!("\n# {} — {}\n", c.id, c.title.get(lang)));
    if let Some(q) = &c.question {
        out.push_str(&format!("# {}\n", q.get(lang)));
    }
}

fn tail(out: &mut String, t: &Texts) {
    out.push_str(&format!(
        "# valid_until = \"\"   # {}\noutcome = \"\"   # pass | fail | not_applicable\nby = \"\"\ndate = \"\"\nnote = \"\"\n",
        t.valid_until
    ));
}

/// A TOML basic-string body (quotes and backslashes escaped).
fn toml_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// The template's comments in one language.
struct Texts {
    intro: &'static str,
    target: &'static str,
    version: &'static str,
    sha256: &'static str,
    valid_until: &'static str,
    no_version: &'static str,
}

impl Texts {
    fn of(lang: Lang) -> Texts {
        match lang {
            Lang::De => Texts {
                intro: "Antwortdatei für msgaudit (--answers). Je Prüfung: outcome = pass | fail | not_applicable,\n# by = wer bestätigt, date = JJJJ-MM-TT, note = Begründung/Fundstelle. Nicht beantwortete Einträge löschen.\n# Eine Antwort entscheidet nur manuelle und Warn-Ergebnisse, nie ein automatisches „nicht erfüllt“.\n# version/sha256 binden sie an eine App-Version bzw. Datei, valid_until (JJJJ-MM-TT) begrenzt ihre Gültigkeit.",
                target: "optional: App-ID oder Dateiname; ohne = alle Ziele",
                version: "optional: Version, für die die Antwort gilt, z. B. \"2.3\" oder \"2.3 (230)\" (mit Versionscode)",
                sha256: "optional: SHA-256 der Datei, für die die Antwort gilt",
                valid_until: "optional: letzter Tag, an dem die Antwort gilt (JJJJ-MM-TT)",
                no_version: "die App gibt keine Version an",
            },
            Lang::En => Texts {
                intro: "Answers file for msgaudit (--answers). Per check: outcome = pass | fail | not_applicable,\n# by = who attests, date = YYYY-MM-DD, note = reasoning / reference. Delete entries you do not answer.\n# An answer decides only manual and warn outcomes, never an automatic fail.\n# version/sha256 bind it to an app version or file, valid_until (YYYY-MM-DD) limits how long it holds.",
                target: "optional: app id or file name; absent = every target",
                version: "optional: the version the answer is for, e.g. \"2.3\" or \"2.3 (230)\" (with version code)",
                sha256: "optional: SHA-256 of the file the answer is for",
                valid_until: "optional: last day the answer holds (YYYY-MM-DD)",
                no_version: "the app gives no version",
            },
        }
    }
}
