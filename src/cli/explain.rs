//! `msgaudit explain ID`: what a check examines, why, how it is decided, how to fix it.

use clap::Args;

use super::{exit, write_output, CheckSetArgs};
use crate::assess::{Lang, Outcome};
use crate::checks::{requirements, Check, CheckSet, SourceConfidence};

/// Arguments of `msgaudit explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A check id (e.g. `APP-05-crash-default-off`) or a requirement id (e.g. `APP-05`).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Checks and profile (the profile's parameter overrides are shown).
    #[command(flatten)]
    pub checks: CheckSetArgs,
    /// Language.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
}

/// Runs `msgaudit explain`.
pub fn run(args: ExplainArgs) -> u8 {
    let (set, profile) = match args.checks.load() {
        Ok(x) => x,
        Err(e) => return super::failure::fail(&e),
    };
    let Some(text) = explain(&set, &profile, &args.id, args.lang) else {
        eprintln!("msgaudit: no check and no requirement with id `{}`; `msgaudit checks --profile dsk-full` lists them", args.id);
        return exit::USAGE;
    };
    match write_output(None, &text) {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("msgaudit: {e}");
            exit::INPUT_ERROR
        }
    }
}

/// The explanation of check `id`, or of every check of requirement `id`; `None` when neither exists.
pub fn explain(
    set: &CheckSet,
    profile: &crate::checks::Profile,
    id: &str,
    lang: Lang,
) -> Option<String> {
    if let Some(check) = set.get(id) {
        return Some(explain_check(check, profile, lang));
    }
    let checks: Vec<&Check> = set
        .checks()
        .iter()
        .filter(|c| c.requirement == id)
        .collect();
    let req = requirements::find(id);
    if checks.is_empty() && req.is_none() {
        return None;
    }
    let mut out = String::new();
    if let Some(r) = req {
        out.push_str(&requirement_block(r, lang));
    }
    if checks.is_empty() {
        out.push_str(match lang {
            Lang::De => "\nKeine Prüfung im Prüfkatalog (nur Server oder Organisation).\n",
            Lang::En => "\nNo check in the check set (server or organisation only).\n",
        });
    }
    for c in checks {
        out.push('\n');
        out.push_str(&explain_check(c, profile, lang));
    }
    Some(out)
}

fn requirement_block(r: &requirements::Requirement, lang: Lang) -> String {
    let (title, label, derived) = match lang {
        Lang::De => (
            r.title_de,
            "DSK-Anforderung",
            "aus der DSK-Anforderung abgeleitet (rekonstruierter Wortlaut)",
        ),
        Lang::En => (
            r.title_en,
            "DSK requirement",
            "derived from the DSK requirement (reconstructed wording)",
        ),
    };
    let mut s = format!("{label} {} [{}]: {title}\n", r.id, r.level);
    if r.source.contains('R') {
        s.push_str(&format!("  ({derived})\n"));
    }
    s
}

fn outcome_name(o: Outcome, lang: Lang) -> &'static str {
    match (o, lang) {
        (Outcome::Pass, Lang::En) => "PASS",
        (Outcome::Fail, Lang::En) => "FAIL",
        (Outcome::Warn, Lang::En) => "WARN",
        (Outcome::Manual, Lang::En) => "MANUAL (needs an answer)",
        (Outcome::NotApplicable, Lang::En) => "NOT APPLICABLE",
        (Outcome::Error, Lang::En) => "ERROR",
        (Outcome::Pass, Lang::De) => "ERFÜLLT",
        (Outcome::Fail, Lang::De) => "NICHT ERFÜLLT",
        (Outcome::Warn, Lang::De) => "WARNUNG",
        (Outcome::Manual, Lang::De) => "MANUELL (Antwort nötig)",
        (Outcome::NotApplicable, Lang::De) => "NICHT ANWENDBAR",
        (Outcome::Error, Lang::De) => "FEHLER",
    }
}

/// The explanation of one check.
pub fn explain_check(c: &Check, profile: &crate::checks::Profile, lang: Lang) -> String {
    let de = lang == Lang::De;
    let h = |en: &'static str, de_text: &'static str| if de { de_text } else { en };
    let mut out = String::new();
    out.push_str(&format!("{} — {}\n\n", c.id, c.title.get(lang)));
    out.push_str(&format!(
        "{}: {}   {}: {}   {}: {}   {}: {}\n",
        h("Requirement", "Anforderung"),
        c.requirement,
        h("Level", "Stufe"),
        crate::report::i18n::level(c.level, lang),
        h("Applies to", "Gilt für"),
        c.applies_to
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        h("Decided", "Entscheidung"),
        c.decide.as_str()
    ));
    if c.source_confidence == SourceConfidence::R {
        out.push_str(h(
            "Source: derived from the DSK requirement (reconstructed wording; verify against the original).\n",
            "Quelle: aus der DSK-Anforderung abgeleitet (rekonstruierter Wortlaut; am Original prüfen).\n",
        ));
    }
    out.push_str(&format!(
        "{}: {}\n",
        h("Defined in", "Definiert in"),
        c.source
    ));
    if let Some(r) = requirements::find(&c.requirement) {
        out.push('\n');
        out.push_str(&requirement_block(r, lang));
    }
    out.push_str(&format!(
        "\n{}\n  {}\n",
        h("Why", "Warum"),
        c.rationale.get(lang)
    ));
    out.push_str(&format!(
        "\n{}\n",
        h(
            "How it is decided (the first rule that holds decides)",
            "Wie entschieden wird (die erste zutreffende Regel entscheidet)"
        )
    ));
    for (i, r) in c.rules.iter().enumerate() {
        out.push_str(&format!(
            "  {}. → {}: {}\n     {}: {}\n",
            i + 1,
            outcome_name(r.outcome, lang),
            r.message.get(lang),
            h("when (CEL)", "wenn (CEL)"),
            r.when.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
        if let Some(ev) = &r.evidence {
            out.push_str(&format!(
                "     {}: {}\n",
                h("evidence (CEL)", "Belege (CEL)"),
                ev.split_whitespace().collect::<Vec<_>>().join(" ")
            ));
        }
    }
    if let Some(q) = &c.question {
        out.push_str(&format!(
            "\n{}\n  {}\n",
            h(
                "Question for the auditor (answers file)",
                "Frage an die Prüfer (Antwortdatei)"
            ),
            q.get(lang)
        ));
    }
    if !c.params.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            h(
                "Parameters (default → in this profile)",
                "Parameter (Standard → in diesem Profil)"
            )
        ));
        let effective = profile.params_for(c);
        for (k, v) in &c.params {
            let now = effective.get(k).unwrap_or(v);
            out.push_str(&format!("  {k} = {v} → {now}\n"));
        }
    }
    out.push_str(&format!(
        "\n{}\n  {}\n",
        h("How to fix", "Abhilfe"),
        c.remediation.get(lang)
    ));
    out
}
