//! The notices every report shows once at its top ([`Assessment::notices`]:
//! stale OS support data with how to refresh it, the fleet's Android
//! patch-level floor), in the wording of each format.

use std::fmt::Write as _;

use crate::assess::{Assessment, Lang};

/// The word that introduces a notice.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Hinweis",
        Lang::En => "Notice",
    }
}

/// What a notice is about (the target column of a CSV notice row).
pub fn subject(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Daten zur OS-Unterstützung",
        Lang::En => "OS support data",
    }
}

/// The notices of `a` in `lang`.
pub fn texts(a: &Assessment, lang: Lang) -> Vec<String> {
    a.notices()
        .iter()
        .map(|t| t.get(lang).to_string())
        .collect()
}

/// Markdown: one block quote per notice.
pub fn markdown(a: &Assessment, lang: Lang, out: &mut String) {
    for n in texts(a, lang) {
        let _ = writeln!(
            out,
            "> **{}:** {}\n",
            heading(lang),
            super::markdown::esc(&n)
        );
    }
}

/// HTML: one alert box per notice.
pub fn html(a: &Assessment, lang: Lang, out: &mut String) {
    for n in texts(a, lang) {
        let _ = writeln!(
            out,
            "<p class=\"notice\" role=\"alert\" style=\"border:2px solid #b35900;background:#fff4e5;padding:.6em .8em\"><strong>{}:</strong> {}</p>",
            super::html::esc(heading(lang)),
            super::html::esc(&n)
        );
    }
}

/// SARIF: the notices as tool configuration notifications (level warning).
pub fn sarif(a: &Assessment, lang: Lang) -> Vec<serde_json::Value> {
    texts(a, lang)
        .into_iter()
        .map(|n| {
            serde_json::json!({
                "level": "warning",
                "descriptor": {"id": "msgaudit/os-data"},
                "message": {"text": n},
            })
        })
        .collect()
}
