//! The command-line help in German: every text of the German command tree
//! is German, and the binary prints it for `--lang de` or a German
//! environment, and English otherwise.

use std::process::Command as Process;

use clap::{Command, CommandFactory};
use msgaudit::cli::help_de::{german, SAME_IN_GERMAN};
use msgaudit::cli::Cli;

/// The English command tree, built as clap builds it for help.
fn english() -> Command {
    let mut c = Cli::command();
    c.build();
    c
}

/// The placeholders that read the same in German.
const SAME_PLACEHOLDERS: &[&str] = &["FORMAT", "N", "MIB", "APP", "ID", "NAME", "NAME=APP,APP"];

/// `de` is a German text for `en`: present, and not the English one
/// (unless it is a name that reads the same in both languages).
fn check(what: &str, en: Option<String>, de: Option<String>, missing: &mut Vec<String>) {
    let Some(en) = en else { return };
    match de {
        None => missing.push(format!("{what}: no German text for {en:?}")),
        Some(de) if de == en && !SAME_IN_GERMAN.contains(&en.as_str()) => {
            missing.push(format!("{what}: still English: {en:?}"))
        }
        Some(_) => {}
    }
}

/// Walks the English and the German tree side by side.
fn walk(en: &Command, de: &Command, path: &str, missing: &mut Vec<String>) {
    let path = format!("{path} {}", en.get_name());
    let s = |t: Option<&clap::builder::StyledStr>| t.map(|t| t.to_string());
    if en.get_about().is_none() {
        missing.push(format!("{path}: no about in English"));
    }
    check(
        &format!("{path} about"),
        s(en.get_about()),
        s(de.get_about()),
        missing,
    );
    check(
        &format!("{path} long about"),
        s(en.get_long_about()),
        s(de.get_long_about()),
        missing,
    );
    check(
        &format!("{path} after help"),
        s(en.get_after_help()),
        s(de.get_after_help()),
        missing,
    );
    check(
        &format!("{path} after long help"),
        s(en.get_after_long_help()),
        s(de.get_after_long_help()),
        missing,
    );
    for a in en.get_arguments() {
        let id = a.get_id().as_str();
        let what = format!("{path} {id}");
        let Some(g) = de.get_arguments().find(|g| g.get_id() == id) else {
            missing.push(format!("{what}: missing in German"));
            continue;
        };
        if a.is_positional() && a.get_help().is_none() {
            continue;
        }
        if a.get_help().is_none() {
            missing.push(format!("{what}: no help in English"));
        }
        // The German help adds the brackets clap says in English
        // (`[Vorgabe: …]`): compare the text before them.
        let plain = |t: Option<&clap::builder::StyledStr>| {
            t.map(|t| {
                let t = t.to_string();
                let cut = [" [Vorgabe:", " [mögliche Werte:"]
                    .iter()
                    .filter_map(|b| t.find(b))
                    .min()
                    .unwrap_or(t.len());
                t[..cut].to_string()
            })
        };
        check(
            &format!("{what} help"),
            s(a.get_help()),
            plain(g.get_help()),
            missing,
        );
        check(
            &format!("{what} long help"),
            s(a.get_long_help()),
            s(g.get_long_help()),
            missing,
        );
        if let Some(h) = a.get_help_heading() {
            check(
                &format!("{what} heading"),
                Some(h.to_string()),
                g.get_help_heading().map(str::to_string),
                missing,
            );
        }
        if a.get_action().takes_values() {
            for (n, m) in a
                .get_value_names()
                .unwrap_or_default()
                .iter()
                .zip(g.get_value_names().unwrap_or_default())
            {
                if n == m && !SAME_PLACEHOLDERS.contains(&n.as_str()) {
                    missing.push(format!("{what}: placeholder <{n}> still English"));
                }
            }
        }
        // Possible values with help: listed in the German long help, each
        // with its German help.
        let long = s(g.get_long_help()).unwrap_or_default();
        // A hidden value (one a command takes only to refuse it in
        // words, as compare's `sarif`) is listed in neither language.
        for v in a
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
        {
            let Some(help) = v.get_help().map(|h| h.to_string()) else {
                continue;
            };
            let line = long
                .lines()
                .find_map(|l| l.strip_prefix(&format!("- {}:", v.get_name())))
                .map(|l| l.trim().to_string());
            check(
                &format!("{what} value {}", v.get_name()),
                Some(help),
                line,
                missing,
            );
        }
    }
    for sub in en.get_subcommands() {
        match de.find_subcommand(sub.get_name()) {
            Some(g) => walk(sub, g, &path, missing),
            None => missing.push(format!("{path} {}: missing in German", sub.get_name())),
        }
    }
}

#[test]
fn every_text_of_the_german_help_is_german() {
    let en = english();
    let de = german(Cli::command());
    let mut missing = Vec::new();
    walk(&en, &de, "", &mut missing);
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// Every help page of the German tree (short and long), with its path.
fn pages(c: &mut Command, path: &str, out: &mut Vec<(String, String)>) {
    let path = format!("{path} {}", c.get_name());
    out.push((format!("{path} -h"), c.render_help().to_string()));
    out.push((format!("{path} --help"), c.render_long_help().to_string()));
    for sub in c.get_subcommands_mut() {
        pages(sub, &path, out);
    }
}

#[test]
fn the_german_help_has_no_english_headings_brackets_or_placeholders() {
    let mut de = german(Cli::command());
    let mut all = Vec::new();
    pages(&mut de, "", &mut all);
    assert!(all.len() > 30, "{} pages", all.len());
    let english = [
        "Usage:",
        "Options:",
        "Arguments:",
        "Commands:",
        "Possible values:",
        "[default:",
        "[possible values:",
        "[OPTIONS]",
        "COMMAND",
        "<FILE>",
        "<DIR>",
        "<PATH>",
        "<YYYY-MM-DD>",
        "Print help",
        "Print version",
        "Print this message",
        "Resource limits",
        " standard output",
    ];
    for (page, text) in &all {
        assert!(text.contains("Aufruf: msgaudit"), "{page}:\n{text}");
        for e in english {
            assert!(!text.contains(e), "{page} says {e:?}:\n{text}");
        }
        // „z. B.“ is never torn apart where the help is wrapped.
        assert!(
            !text.lines().any(|l| l.trim_end().ends_with(" z.")),
            "{page} breaks „z. B.“:\n{text}"
        );
    }
    let page = |name: &str| {
        &all.iter()
            .find(|(p, _)| p == name)
            .unwrap_or_else(|| panic!("no page {name}"))
            .1
    };
    // The positional arguments come first, as in English.
    let checks = page(" msgaudit checks --help");
    let (arguments, options) = (
        checks.find("Argumente:").expect(checks),
        checks.find("Optionen:").expect(checks),
    );
    assert!(arguments < options, "{checks}");
    assert!(
        checks.contains("Aufruf: msgaudit checks [OPTIONEN] [APP]..."),
        "{checks}"
    );
    let scan = page(" msgaudit scan --help");
    for expected in [
        "Ressourcengrenzen (Schutz vor präparierten Eingaben):",
        "--as-of <JJJJ-MM-TT>",
        "-o, --output <DATEI>",
        "[Vorgabe: table]",
        "- table: Tabelle im Terminal",
        "- never:",
        "Ohne --lang gilt Englisch",
        "Rückgabewerte: 0 alle Prüfobjekte konform",
        "-h, --help",
        "Hilfe anzeigen (Kurzfassung mit „-h“)",
        "-V, --version",
        "Version anzeigen",
    ] {
        assert!(
            scan.contains(expected),
            "scan --help lacks {expected:?}:\n{scan}"
        );
    }
    // Words only: clap wraps the lines to the terminal's width.
    let short = page(" msgaudit scan -h")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        short.contains(
            "Format des Berichts [Vorgabe: table] [mögliche Werte: table, json, sarif, html, md, \
             csv]"
        ),
        "{short}"
    );
    assert!(
        short.contains("Hilfe anzeigen (ausführlich mit „--help“)"),
        "{short}"
    );
    let root = page(" msgaudit -h");
    assert!(
        root.contains("Befehle:") && root.contains("Aufruf: msgaudit <BEFEHL>"),
        "{root}"
    );
    assert!(
        root.contains("Diese Hilfe oder die Hilfe der angegebenen Unterbefehle anzeigen"),
        "{root}"
    );
    let help = page(" msgaudit help --help");
    assert!(help.contains("Aufruf: msgaudit help [BEFEHL]"), "{help}");
}

/// Runs the binary with `args` in an environment without a language but
/// `env`; gives the exit code, standard output and standard error.
fn run(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut p = Process::new(env!("CARGO_BIN_EXE_msgaudit"));
    p.args(args);
    for name in ["MSGAUDIT_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"] {
        p.env_remove(name);
    }
    p.envs(env.iter().copied());
    let out = p.output().expect("msgaudit runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_binary_prints_german_help_for_lang_de_or_a_german_environment() {
    let (code, out, err) = run(&["scan", "--help", "--lang", "de"], &[("LANG", "C")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("Apps, Inventare oder Fakten-Dokumente nach einem Profil prüfen"));
    assert!(
        out.contains("Aufruf: msgaudit scan [OPTIONEN] <PFAD>..."),
        "{out}"
    );
    assert!(
        out.contains("Argumente:") && out.contains("Optionen:"),
        "{out}"
    );
    assert!(out.contains("Format des Berichts"), "{out}");
    assert!(
        !out.contains("Usage:") && !out.contains("Report format"),
        "{out}"
    );

    let (code, out, err) = run(&["os-data", "import", "--help"], &[("LANG", "de_DE.UTF-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Aufruf: msgaudit os-data import"), "{out}");
    assert!(out.contains("--ios <DATEI>"), "{out}");
    assert!(out.contains("Die iOS-Datei von endoflife.date"), "{out}");
    assert!(out.contains("--android-patch-level <JJJJ-MM-TT>"), "{out}");
    assert!(
        !out.contains("Usage:") && !out.contains("Options:"),
        "{out}"
    );

    // `msgaudit help <sub>`, `-h`, and `--lang` before `--help` where the
    // command has no `--lang`.
    let (code, out, _) = run(&["help", "diff"], &[("MSGAUDIT_LANG", "de"), ("LANG", "C")]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Aufruf: msgaudit diff [OPTIONEN] <ALT> <NEU>"),
        "{out}"
    );
    assert!(
        out.contains("Rückgabewerte: 0 keine Verschlechterung"),
        "{out}"
    );
    let (code, out, _) = run(&["compare", "-h", "--lang=de"], &[]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Messenger-Kandidaten nebeneinander vergleichen"),
        "{out}"
    );
    for args in [
        &["--lang", "de", "--help"][..],
        &["help", "scan", "--lang", "de"],
    ] {
        let (code, out, err) = run(args, &[]);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(out.contains("Aufruf: msgaudit"), "{args:?}: {out}");
    }
}

#[test]
fn the_binary_prints_english_help_otherwise() {
    let (code, out, err) = run(&["--help"], &[("LANG", "C")]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Usage: msgaudit <COMMAND>"), "{out}");
    assert!(
        out.contains("Commands:") && out.contains("Options:"),
        "{out}"
    );
    assert!(out.contains("Print help"), "{out}");
    assert!(!out.contains("Aufruf") && !out.contains("Befehle"), "{out}");

    // `--lang en` wins over a German environment.
    let (code, out, _) = run(
        &["scan", "--help", "--lang", "en"],
        &[("LANG", "de_DE.UTF-8")],
    );
    assert_eq!(code, 0);
    assert!(
        out.contains("Usage: msgaudit scan [OPTIONS] <PATH>..."),
        "{out}"
    );
}

#[test]
fn refusals_keep_their_language_and_exit_code() {
    // A German environment without `--lang`: the refusal stays English.
    let (code, _, err) = run(
        &["scan", "x.apk", "--formt", "html"],
        &[("LANG", "de_DE.UTF-8")],
    );
    assert_eq!(code, 2);
    assert!(err.contains("unexpected argument '--formt' found"), "{err}");
    assert!(
        err.contains("Usage: msgaudit scan --format <FORMAT> <PATH>..."),
        "{err}"
    );
    // `--lang de`: German, with the German usage line, and no word of
    // English help any more.
    let (code, _, err) = run(&["scan", "x.apk", "--formt", "html", "--lang", "de"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("Unbekanntes Argument „--formt“"), "{err}");
    assert!(
        err.contains("Aufruf: msgaudit scan [OPTIONEN] <PFAD>..."),
        "{err}"
    );
    assert!(
        err.ends_with("Weitere Informationen mit „--help“.\n"),
        "{err}"
    );
    assert!(!err.contains("Englisch"), "{err}");
    // `--lang` before the subcommand, as the German help is asked for
    // (`msgaudit --lang de --help`): the subcommand runs in German.
    let (code, _, err) = run(&["--lang", "de", "scan", "x.apk", "--formt", "html"], &[]);
    assert_eq!(code, 2);
    assert!(err.contains("Unbekanntes Argument „--formt“"), "{err}");
    let (code, _, err) = run(&["--lang", "de", "scan", "x.apk"], &[]);
    assert_eq!(code, 4, "{err}");
    assert!(
        err.contains("nicht gefunden") && !err.contains("not found"),
        "{err}"
    );
}

/// The long flags (`--max-depth`) listed under `heading` in `help`, up to
/// the next heading.
fn options_under(help: &str, heading: &str) -> Vec<String> {
    let start = help
        .lines()
        .position(|l| l.trim_end() == heading)
        .unwrap_or_else(|| panic!("no heading {heading:?}:\n{help}"));
    help.lines()
        .skip(start + 1)
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .filter(|l| l.trim_start().starts_with('-'))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("--")))
        .map(|flag| flag.trim_end_matches(',').to_string())
        .collect()
}

#[test]
fn only_the_limits_are_listed_under_the_limits_heading() {
    let cases = [
        (
            english(),
            "Options:",
            "Resource limits (hostile-input guards):",
        ),
        (
            german(Cli::command()),
            "Optionen:",
            "Ressourcengrenzen (Schutz vor präparierten Eingaben):",
        ),
    ];
    for (mut root, options, limits) in cases {
        for (command, own) in [
            (
                "scan",
                &[
                    "--trackers",
                    "--fail-on",
                    "--min-score",
                    "--device-list-csv",
                    "--verbose",
                ][..],
            ),
            ("facts", &["--trackers"][..]),
        ] {
            let sub = root.find_subcommand_mut(command).expect(command);
            for help in [
                sub.render_help().to_string(),
                sub.render_long_help().to_string(),
            ] {
                let under_limits = options_under(&help, limits);
                assert_eq!(
                    under_limits.len(),
                    11,
                    "{command}: {under_limits:?}\n{help}"
                );
                for flag in &under_limits {
                    assert!(
                        flag.starts_with("--max-"),
                        "{command}: {flag} is no limit but listed under {limits:?}:\n{help}"
                    );
                }
                let general = options_under(&help, options);
                for flag in own {
                    assert!(
                        general.iter().any(|f| f == flag),
                        "{command}: {flag} not under {options:?}:\n{help}"
                    );
                }
            }
        }
    }
}
