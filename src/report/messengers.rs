//! The fleet's installed messengers as the table, HTML and Markdown show them:
//! one line per messenger with its device count and the verdicts of its apps
//! audited in the same run.

use std::fmt::Write as _;

use super::i18n;
use crate::assess::{FleetSummary, Lang};

/// The heading of the list.
pub fn heading(lang: Lang) -> &'static str {
    match lang {
        Lang::De => "Installierte Messenger",
        Lang::En => "Installed messengers",
    }
}

/// One line per messenger of `s`, most devices first; empty when none was found.
pub fn lines(s: &FleetSummary, lang: Lang) -> Vec<String> {
    s.messengers
        .iter()
        .map(|m| {
            let mut line = match lang {
                Lang::De => format!(
                    "{}: {} {}",
                    m.name,
                    crate::lang::count(m.devices, lang),
                    if m.devices == 1 { "Gerät" } else { "Geräte" }
                ),
                Lang::En => format!(
                    "{}: {} {}",
                    m.name,
                    crate::lang::count(m.devices, lang),
                    if m.devices == 1 { "device" } else { "devices" }
                ),
            };
            for app in &m.apps {
                let word = match lang {
                    Lang::De => "geprüfte App",
                    Lang::En => "audited app",
                };
                let _ = write!(
                    line,
                    " · {word} {} ({}): {}",
                    app.name,
                    app.id,
                    i18n::verdict(app.verdict, lang)
                );
            }
            line
        })
        .collect()
}
