//! clap's refusals of a command line in German. clap has no German, and it
//! refuses before `--lang` is parsed: the language is read from the raw
//! arguments (`--lang de`, `--lang=de`), and the refusal is said again from
//! clap's error kind and context (the argument, the rejected value, the
//! accepted values, a suggestion, the usage line). The exit code stays
//! clap's (2). Help output (`--help`, `-h`, `msgaudit help …`) is German
//! too, from the German command of `super::help_de`, which also gives a
//! German refusal its German placeholders and usage line; `--version`
//! prints the name and version, the same in both languages.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::assess::Lang;

/// The language the raw arguments ask for (`--lang de` or `--lang=de`);
/// English otherwise. Arguments after `--` are values, not options.
pub(crate) fn lang_of(args: &[OsString]) -> Lang {
    lang_arg(args).unwrap_or(Lang::En)
}

/// The language the raw arguments name with `--lang` (the last one wins);
/// `None` when they name none.
pub(crate) fn lang_arg(args: &[OsString]) -> Option<Lang> {
    let mut lang = None;
    let mut iter = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(arg) = iter.next() {
        let value = match arg.as_ref() {
            "--" => break,
            "--lang" => iter.next().map(|v| v.into_owned()),
            a => a.strip_prefix("--lang=").map(str::to_string),
        };
        match value.as_deref() {
            Some("de") => lang = Some(Lang::De),
            Some("en") => lang = Some(Lang::En),
            _ => {}
        }
    }
    lang
}

/// Prints clap's refusal `e` in `lang` and gives clap's exit code.
pub(crate) fn exit(e: &clap::Error, lang: Lang) -> u8 {
    let code = u8::try_from(e.exit_code()).unwrap_or(super::exit::USAGE);
    match (lang, german(e)) {
        (Lang::De, Some(text)) => eprint!("{text}"),
        _ => {
            let _ = e.print();
        }
    }
    code
}

fn string(e: &clap::Error, kind: ContextKind) -> Option<&str> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s),
        _ => None,
    }
}

fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

fn number(e: &clap::Error, kind: ContextKind) -> Option<isize> {
    match e.get(kind) {
        Some(ContextValue::Number(n)) => Some(*n),
        _ => None,
    }
}

/// The refusal in German, ending with a newline; `None` for help and
/// version output (not a refusal) and for a refusal without the context
/// this module needs.
fn german(e: &clap::Error) -> Option<String> {
    let arg = string(e, ContextKind::InvalidArg);
    let value = string(e, ContextKind::InvalidValue);
    let mut text = match e.kind() {
        ErrorKind::InvalidValue => {
            let (arg, value) = (arg?, value?);
            let mut t = if value.is_empty() {
                format!("{arg} braucht einen Wert, es wurde keiner angegeben")
            } else {
                format!("„{value}“ ist kein gültiger Wert für {arg}")
            };
            let valid = strings(e, ContextKind::ValidValue);
            if !valid.is_empty() {
                t.push_str(&format!("\n  [mögliche Werte: {}]", valid.join(", ")));
            }
            t
        }
        ErrorKind::ValueValidation => {
            let mut t = format!("„{}“ ist kein gültiger Wert für {}", value?, arg?);
            if let Some(source) = std::error::Error::source(e) {
                t.push_str(&format!(": {}", value_cause(&source.to_string())));
            }
            t
        }
        ErrorKind::UnknownArgument => format!("Unbekanntes Argument „{}“", arg?),
        ErrorKind::InvalidSubcommand => format!(
            "Unbekannter Unterbefehl „{}“",
            string(e, ContextKind::InvalidSubcommand)?
        ),
        ErrorKind::MissingRequiredArgument => {
            let missing = strings(e, ContextKind::InvalidArg);
            if missing.is_empty() {
                return None;
            }
            format!("Es fehlen Pflichtangaben:\n  {}", missing.join("\n  "))
        }
        ErrorKind::MissingSubcommand => {
            let mut t = format!(
                "„{}“ braucht einen Unterbefehl",
                string(e, ContextKind::InvalidSubcommand)?
            );
            let valid = strings(e, ContextKind::ValidSubcommand);
            if !valid.is_empty() {
                t.push_str(&format!("\n  [Unterbefehle: {}]", valid.join(", ")));
            }
            t
        }
        ErrorKind::ArgumentConflict => {
            let arg = arg?;
            let prior = strings(e, ContextKind::PriorArg);
            if prior.iter().any(|p| p == arg) {
                format!("{arg} darf nur einmal angegeben werden")
            } else if prior.is_empty() {
                format!("{arg} lässt sich nicht mit den übrigen Argumenten verbinden")
            } else {
                format!(
                    "{arg} lässt sich nicht zusammen mit {} verwenden",
                    prior.join(", ")
                )
            }
        }
        ErrorKind::NoEquals => format!(
            "{} braucht seinen Wert mit Gleichheitszeichen (--option=WERT)",
            arg?
        ),
        ErrorKind::TooManyValues => {
            format!(
                "Unerwarteter Wert „{}“ für {}: Mehr Werte sind nicht vorgesehen",
                value?, arg?
            )
        }
        ErrorKind::TooFewValues => format!(
            "{} braucht mindestens {} Werte, angegeben: {}",
            arg?,
            number(e, ContextKind::MinValues)?,
            number(e, ContextKind::ActualNumValues)?
        ),
        ErrorKind::WrongNumberOfValues => format!(
            "{} braucht {} Werte, angegeben: {}",
            arg?,
            number(e, ContextKind::ExpectedNumValues)?,
            number(e, ContextKind::ActualNumValues)?
        ),
        ErrorKind::InvalidUtf8 => "Ein Argument ist kein gültiger UTF-8-Text".to_string(),
        _ => return None,
    };
    let mut tips = Vec::new();
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        let s = strings(e, kind);
        if !s.is_empty() {
            let list: Vec<String> = s.iter().map(|v| format!("„{v}“")).collect();
            tips.push(format!("Vielleicht ist {} gemeint", list.join(" oder ")));
        }
    }
    if e.kind() == ErrorKind::UnknownArgument && tips.is_empty() {
        if let Some(arg) = arg.filter(|a| a.starts_with('-')) {
            tips.push(format!(
                "Um „{arg}“ als Wert zu übergeben, „-- {arg}“ schreiben"
            ));
        }
    }
    if !tips.is_empty() {
        text.push('\n');
        for tip in tips {
            text.push_str(&format!("\n  Tipp: {tip}"));
        }
    }
    if let Some(ContextValue::StyledStr(usage)) = e.get(ContextKind::Usage) {
        let usage = usage.to_string();
        let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
        text.push_str(&format!("\n\nAufruf: {usage}"));
    }
    text.push_str("\n\nWeitere Informationen mit „--help“.\n");
    Some(format!("Fehler: {text}"))
}

/// The cause a value parser gave (the standard library's, chrono's or
/// msgaudit's own wording) in German; an unknown one quoted as written.
fn value_cause(en: &str) -> String {
    // msgaudit's date parser names the value, which the sentence before
    // names already.
    if let Some((_, cause)) = en
        .strip_prefix('`')
        .and_then(|r| r.split_once("` is not a date YYYY-MM-DD: "))
    {
        return format!("kein Datum der Form JJJJ-MM-TT ({})", value_cause(cause));
    }
    // `--min-coverage`'s parser names the value too.
    if en.starts_with('`') && en.ends_with("` is not a percentage from 0 to 100") {
        return "keine Prozentzahl von 0 bis 100".to_string();
    }
    let de = match en {
        "invalid digit found in string" => "Die Angabe enthält ein Zeichen, das keine Ziffer ist",
        "cannot parse integer from empty string" => "Die Angabe ist leer",
        "number too large to fit in target type" => "Die Zahl ist zu groß",
        "number too small to fit in target type" => "Die Zahl ist zu klein",
        "invalid float literal" => "Die Angabe ist keine Zahl",
        "input is out of range" => "Wert außerhalb des gültigen Bereichs",
        "input contains invalid characters" => "ungültige Zeichen",
        "premature end of input" => "zu kurz",
        "trailing input" => "überzählige Zeichen am Ende",
        "input is not enough for unique date and time" => "unvollständig",
        _ => return super::wording_de::text(en),
    };
    de.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_language_is_read_before_clap_parses() {
        assert_eq!(
            lang_of(&args(&["msgaudit", "scan", "--lang", "de"])),
            Lang::De
        );
        assert_eq!(
            lang_of(&args(&["msgaudit", "scan", "--lang=de", "x"])),
            Lang::De
        );
        assert_eq!(lang_of(&args(&["msgaudit", "scan", "x"])), Lang::En);
        assert_eq!(
            lang_of(&args(&["msgaudit", "scan", "--", "--lang", "de"])),
            Lang::En
        );
    }

    fn refusal(list: &[&str]) -> String {
        let e = super::super::Cli::try_parse_from(list).expect_err("a refused command line");
        german(&e).expect("a German refusal")
    }

    #[test]
    fn refusals_name_the_argument_value_and_choices_in_german() {
        let t = refusal(&["msgaudit", "scan", "x.apk", "--format", "pdf"]);
        assert!(
            t.starts_with("Fehler: „pdf“ ist kein gültiger Wert für --format <FORMAT>"),
            "{t}"
        );
        assert!(
            t.contains("[mögliche Werte: table, json, sarif, html, md, csv]"),
            "{t}"
        );
        let t = refusal(&["msgaudit", "scan", "x.apk", "--formt", "html"]);
        assert!(t.contains("Unbekanntes Argument „--formt“"), "{t}");
        assert!(t.contains("Aufruf: msgaudit scan"), "{t}");
        assert!(t.contains("Tipp: Vielleicht ist „--format“ gemeint"), "{t}");
        let t = refusal(&["msgaudit", "scan"]);
        assert!(t.contains("Es fehlen Pflichtangaben:\n  <PATH>..."), "{t}");
        let t = refusal(&["msgaudit", "scan", "x", "--as-of", "2026-13-01"]);
        assert!(
            t.contains("„2026-13-01“ ist kein gültiger Wert für --as-of <YYYY-MM-DD>: kein Datum der Form JJJJ-MM-TT (Wert außerhalb des gültigen Bereichs)"),
            "{t}"
        );
        let t = refusal(&["msgaudit", "scan", "x", "--min-coverage", "120"]);
        assert!(
            t.contains("„120“ ist kein gültiger Wert für --min-coverage <PERCENT>: keine Prozentzahl von 0 bis 100"),
            "{t}"
        );
        let t = refusal(&["msgaudit", "scna"]);
        assert!(t.contains("Unbekannter Unterbefehl „scna“"), "{t}");
        assert!(t.contains("Tipp: Vielleicht ist „scan“ gemeint"), "{t}");
    }
}
