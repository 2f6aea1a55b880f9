//! `msgaudit explain ID`: what a check examines, why, how it is decided, how to fix it.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::Args;
use serde_json::{json, Value};

use super::{exit, write_output, CheckSetArgs};
use crate::assess::{Lang, Outcome};
use crate::checks::{requirements, Check, CheckSet, Profile, SourceConfidence};
use crate::report::compare::html_head;
use crate::report::html::esc;
use crate::report::unsupported::Unsupported;
use crate::report::{i18n, markdown, Format};

/// The formats `explain` writes (CSV and SARIF have no rows or findings to hold).
pub const FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Html, Format::Md];

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
    /// Output format: table (plain text), json, html or md; csv and sarif are refused.
    #[arg(long, value_parser = super::formats_only(FORMATS), default_value = "table")]
    pub format: Format,
    /// Write the explanation to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `msgaudit explain`.
pub fn run(args: ExplainArgs) -> u8 {
    let (set, profile) = match args.checks.load() {
        Ok(x) => x,
        Err(e) => return super::failure::fail(&e, args.lang),
    };
    if !FORMATS.contains(&args.format) {
        let e = Unsupported::new("explain", args.format, FORMATS);
        eprintln!("msgaudit: {}", e.message(args.lang));
        return exit::USAGE;
    }
    let text = match args.format {
        Format::Table => explain(&set, &profile, &args.id, args.lang),
        format => {
            document(&set, &profile, &args.id, args.lang).map(|d| render(&d, format, args.lang))
        }
    };
    let Some(text) = text else {
        match args.lang {
            Lang::De => eprintln!("msgaudit: keine Prüfung und keine Anforderung mit der Kennung „{}“; `msgaudit checks --profile dsk-full` listet sie auf", args.id),
            Lang::En => eprintln!("msgaudit: no check and no requirement with id `{}`; `msgaudit checks --profile dsk-full` lists them", args.id),
        }
        return exit::USAGE;
    };
    match write_output(args.output.as_ref(), &text) {
        Ok(()) => exit::OK,
        Err(e) => super::failure::fail(&e, args.lang),
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
    } else {
        out.push_str(&checks_line(&checks, lang));
    }
    // The requirement is named once, above: each check's explanation
    // leaves its requirement block out.
    for c in checks {
        out.push('\n');
        out.push_str(&check_text(c, profile, lang, req.is_none()));
    }
    Some(out)
}

/// The line below a requirement's heading that lists its checks:
/// „2 Prüfungen zu dieser Anforderung: A, B“ / "2 checks for this
/// requirement: A, B" (one: „1 Prüfung …“ / "1 check …").
fn checks_line(checks: &[&Check], lang: Lang) -> String {
    let ids: Vec<&str> = checks.iter().map(|c| c.id.as_str()).collect();
    let n = ids.len();
    let label = match (lang, n) {
        (Lang::De, 1) => "Prüfung zu dieser Anforderung",
        (Lang::De, _) => "Prüfungen zu dieser Anforderung",
        (Lang::En, 1) => "check for this requirement",
        (Lang::En, _) => "checks for this requirement",
    };
    format!("{n} {label}: {}\n", ids.join(", "))
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

/// The explanation of one check, with the requirement it belongs to.
pub fn explain_check(c: &Check, profile: &crate::checks::Profile, lang: Lang) -> String {
    check_text(c, profile, lang, true)
}

/// The explanation of one check; its requirement's block (heading and
/// whether its wording is reconstructed) only `with_requirement`, so that
/// the explanation of a requirement says it once, above its checks.
fn check_text(
    c: &Check,
    profile: &crate::checks::Profile,
    lang: Lang,
    with_requirement: bool,
) -> String {
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
        super::checks::applies(&c.applies_to, lang),
        h("Decided", "Entscheidung"),
        super::checks::decided(c.decide.as_str(), lang)
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
    if let Some(r) = requirements::find(&c.requirement).filter(|_| with_requirement) {
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
                "Parameter (Vorgabe → in diesem Profil)"
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

/// The explanation of `id` as data (JSON shape of `explain --format json`):
/// the requirement (when known) and every check for it; `None` when neither
/// a check nor a requirement has that id.
pub fn document(set: &CheckSet, profile: &Profile, id: &str, lang: Lang) -> Option<Value> {
    let checks: Vec<&Check> = match set.get(id) {
        Some(c) => vec![c],
        None => set
            .checks()
            .iter()
            .filter(|c| c.requirement == id)
            .collect(),
    };
    let requirement = checks
        .first()
        .map_or(id, |c| c.requirement.as_str())
        .to_string();
    let req = requirements::find(&requirement);
    if checks.is_empty() && req.is_none() {
        return None;
    }
    let req = req.map(|r| {
        json!({
            "id": r.id,
            "level": r.level,
            "title": match lang { Lang::De => r.title_de, Lang::En => r.title_en },
            "reconstructed": r.source.contains('R'),
        })
    });
    let checks: Vec<Value> = checks
        .iter()
        .map(|c| {
            let effective = profile.params_for(c);
            json!({
                "id": c.id,
                "title": c.title.get(lang),
                "requirement": c.requirement,
                "level": c.level,
                "applies_to": c.applies_to,
                "decide": c.decide.as_str(),
                "reconstructed": c.source_confidence == SourceConfidence::R,
                "source": c.source,
                "rationale": c.rationale.get(lang),
                "rules": c.rules.iter().map(|r| json!({
                    "outcome": r.outcome,
                    "message": r.message.get(lang),
                    "when": r.when.split_whitespace().collect::<Vec<_>>().join(" "),
                    "evidence": r.evidence.as_ref().map(|e| e.split_whitespace().collect::<Vec<_>>().join(" ")),
                })).collect::<Vec<_>>(),
                "question": c.question.as_ref().map(|q| q.get(lang)),
                "params": c.params.iter().map(|(k, v)| json!({
                    "name": k,
                    "default": v,
                    "in_profile": effective.get(k).unwrap_or(v),
                })).collect::<Vec<_>>(),
                "remediation": c.remediation.get(lang),
            })
        })
        .collect();
    Some(json!({ "requirement": req, "checks": checks }))
}

/// Headings of the explanation, in `lang`.
fn heading(lang: Lang, en: &'static str, de: &'static str) -> &'static str {
    match lang {
        Lang::De => de,
        Lang::En => en,
    }
}

/// Renders [`document`] as JSON, Markdown or HTML.
fn render(doc: &Value, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => serde_json::to_string_pretty(doc).unwrap_or_default() + "\n",
        Format::Html => {
            let mut out = html_head(
                heading(lang, "Check explained", "Prüfung erklärt"),
                "",
                lang,
            );
            sections(doc, lang, &mut HtmlSink(&mut out));
            out.push_str("</body>\n</html>\n");
            out
        }
        _ => {
            let mut out = String::new();
            sections(doc, lang, &mut MdSink(&mut out));
            out
        }
    }
}

/// Where [`sections`] writes: headings, paragraphs, list items, code.
trait Sink {
    fn heading(&mut self, level: u8, text: &str);
    fn para(&mut self, text: &str);
    fn item(&mut self, text: &str, code: Option<(&str, &str)>);
}

struct MdSink<'a>(&'a mut String);

impl Sink for MdSink<'_> {
    fn heading(&mut self, level: u8, text: &str) {
        let _ = writeln!(
            self.0,
            "{} {}\n",
            "#".repeat(level.into()),
            markdown::esc(text)
        );
    }
    fn para(&mut self, text: &str) {
        let _ = writeln!(self.0, "{}\n", markdown::esc(text));
    }
    fn item(&mut self, text: &str, code: Option<(&str, &str)>) {
        let _ = write!(self.0, "- {}", markdown::esc(text));
        if let Some((label, code)) = code {
            let _ = write!(
                self.0,
                " — {}: `{}`",
                markdown::esc(label),
                code.replace('`', "'")
            );
        }
        self.0.push('\n');
    }
}

struct HtmlSink<'a>(&'a mut String);

impl Sink for HtmlSink<'_> {
    fn heading(&mut self, level: u8, text: &str) {
        let level = level.clamp(2, 3);
        let _ = writeln!(self.0, "<h{level}>{}</h{level}>", esc(text));
    }
    fn para(&mut self, text: &str) {
        let _ = writeln!(self.0, "<p>{}</p>", esc(text));
    }
    fn item(&mut self, text: &str, code: Option<(&str, &str)>) {
        let _ = write!(self.0, "<p>• {}", esc(text));
        if let Some((label, code)) = code {
            let _ = write!(
                self.0,
                "<br><span class=\"note\">{}:</span> <code class=\"mono\">{}</code>",
                esc(label),
                esc(code)
            );
        }
        self.0.push_str("</p>\n");
    }
}

fn sections(doc: &Value, lang: Lang, out: &mut dyn Sink) {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    if let Some(r) = doc.get("requirement").filter(|r| !r.is_null()) {
        out.heading(
            1,
            &format!(
                "{} {} [{}]: {}",
                heading(lang, "DSK requirement", "DSK-Anforderung"),
                s(&r["id"]),
                s(&r["level"]),
                s(&r["title"])
            ),
        );
        if r["reconstructed"] == true {
            out.para(heading(
                lang,
                "Derived from the DSK requirement (reconstructed wording).",
                "Aus der DSK-Anforderung abgeleitet (rekonstruierter Wortlaut).",
            ));
        }
    }
    let checks = doc["checks"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if checks.is_empty() {
        out.para(heading(
            lang,
            "No check in the check set (server or organisation only).",
            "Keine Prüfung im Prüfkatalog (nur Server oder Organisation).",
        ));
    }
    for c in checks {
        out.heading(2, &format!("{} — {}", s(&c["id"]), s(&c["title"])));
        let level: crate::assess::Level =
            serde_json::from_value(c["level"].clone()).unwrap_or(crate::assess::Level::Must);
        let applies: Vec<crate::facts::TargetKind> = c["applies_to"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|k| serde_json::from_value(k.clone()).ok())
                    .collect()
            })
            .unwrap_or_default();
        out.para(&format!(
            "{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
            heading(lang, "Requirement", "Anforderung"),
            s(&c["requirement"]),
            heading(lang, "Level", "Stufe"),
            i18n::level(level, lang),
            heading(lang, "Applies to", "Gilt für"),
            super::checks::applies(&applies, lang),
            heading(lang, "Decided", "Entscheidung"),
            super::checks::decided(&s(&c["decide"]), lang),
            heading(lang, "Defined in", "Definiert in"),
            s(&c["source"]),
        ));
        out.heading(3, heading(lang, "Why", "Warum"));
        out.para(&s(&c["rationale"]));
        out.heading(
            3,
            heading(
                lang,
                "How it is decided (the first rule that holds decides)",
                "Wie entschieden wird (die erste zutreffende Regel entscheidet)",
            ),
        );
        for r in c["rules"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let outcome: Outcome =
                serde_json::from_value(r["outcome"].clone()).unwrap_or(Outcome::Error);
            out.item(
                &format!("{}: {}", outcome_name(outcome, lang), s(&r["message"])),
                Some((
                    heading(lang, "when (CEL)", "wenn (CEL)"),
                    r["when"].as_str().unwrap_or(""),
                )),
            );
        }
        if let Some(q) = c["question"].as_str() {
            out.heading(
                3,
                heading(
                    lang,
                    "Question for the auditor (answers file)",
                    "Frage an die Prüfer (Antwortdatei)",
                ),
            );
            out.para(q);
        }
        let params = c["params"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        if !params.is_empty() {
            out.heading(
                3,
                heading(
                    lang,
                    "Parameters (default → in this profile)",
                    "Parameter (Vorgabe → in diesem Profil)",
                ),
            );
            for p in params {
                out.item(
                    &format!("{} = {} → {}", s(&p["name"]), p["default"], p["in_profile"]),
                    None,
                );
            }
        }
        out.heading(3, heading(lang, "How to fix", "Abhilfe"));
        out.para(&s(&c["remediation"]));
    }
}
