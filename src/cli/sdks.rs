//! `msgaudit sdks`: list the SDK knowledge base, and the `--trackers FILE`
//! option shared with `scan` and `facts`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};

use super::{exit, write_output};
use crate::assess::Lang;
use crate::extract::sdks::{KnowledgeBase, Platform, SdkEntry, SdkKbError};
use crate::facts::{CollectionDefault, SdkCategory};

/// `--trackers FILE`: extra trackers in the Exodus Privacy (ETIP) API format.
#[derive(Debug, Clone, Default, Args)]
pub struct TrackersArg {
    /// Add the trackers of FILE, a JSON file in the Exodus Privacy tracker API
    /// format ({"trackers": {"<id>": {"name", "code_signature",
    /// "network_signature", "categories", …}}}), to the built-in SDK knowledge
    /// base. Trackers whose Exodus id a built-in entry covers are left to it.
    #[arg(long, value_name = "FILE")]
    pub trackers: Option<PathBuf>,
}

impl TrackersArg {
    /// The built-in knowledge base plus the `--trackers` file; the caller
    /// ends a failure through [`super::failure::fail`] (exit 5).
    /// A summary of what was added goes to standard error.
    pub fn load(&self, lang: crate::assess::Lang) -> Result<KnowledgeBase, SdkKbError> {
        let mut kb = KnowledgeBase::builtin();
        if let Some(path) = &self.trackers {
            let report = kb.add_etip_path(path)?;
            crate::pipeline::Observer::trackers_added(
                &super::inputs::Printer::new(lang),
                path,
                &report,
            );
        }
        Ok(kb)
    }
}

/// Output format of the SDK list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum SdksFormat {
    /// Terminal table.
    #[default]
    Table,
    /// JSON document (shape in docs/sdks.md).
    Json,
    /// Markdown: the summary and one table row per SDK.
    Md,
    /// Self-contained HTML (the scan report's stylesheet).
    Html,
    /// CSV, one row per SDK (German: `;`, BOM).
    Csv,
}

/// Arguments of `msgaudit sdks`.
#[derive(Debug, Args)]
#[command(
    after_long_help = "Lists every SDK signature of the knowledge base (checks/sdks.toml, \
documented in docs/sdks.md), merged with --trackers. Exit codes: 0 listed; 4 the output \
could not be written; 5 the --trackers file is broken."
)]
pub struct SdksArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = SdksFormat::Table)]
    pub format: SdksFormat,
    /// Language of headers and labels.
    #[arg(long, value_enum, default_value_t = Lang::En)]
    pub lang: Lang,
    /// Write the list to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Extra trackers.
    #[command(flatten)]
    pub trackers: TrackersArg,
}

/// Runs `msgaudit sdks`.
pub fn run(args: SdksArgs) -> u8 {
    let kb = match args.trackers.load(args.lang) {
        Ok(kb) => kb,
        Err(e) => return super::failure::fail(&e, args.lang),
    };
    let text = match args.format {
        SdksFormat::Table => table(&kb, args.lang),
        SdksFormat::Json => json(&kb),
        SdksFormat::Md => md(&kb, args.lang),
        SdksFormat::Html => html(&kb, args.lang),
        SdksFormat::Csv => csv(&kb, args.lang),
    };
    match write_output(args.output.as_ref(), &text) {
        Ok(()) => exit::OK,
        Err(e) => super::failure::fail(&e, args.lang),
    }
}

/// The JSON name of a category (`crash_reporting`).
fn category_id(c: SdkCategory) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A category in words.
pub fn category_label(c: SdkCategory, lang: Lang) -> &'static str {
    match (c, lang) {
        (SdkCategory::CrashReporting, Lang::En) => "crash reporting",
        (SdkCategory::CrashReporting, Lang::De) => "Absturzberichte",
        (SdkCategory::Analytics, Lang::En) => "analytics",
        (SdkCategory::Analytics, Lang::De) => "Nutzungsanalyse",
        (SdkCategory::Advertising, Lang::En) => "advertising",
        (SdkCategory::Advertising, Lang::De) => "Werbung",
        (SdkCategory::E2eCrypto, Lang::En) => "end-to-end encryption",
        (SdkCategory::E2eCrypto, Lang::De) => "Ende-zu-Ende-Verschlüsselung",
        (SdkCategory::StorageEncryption, Lang::En) => "storage encryption",
        (SdkCategory::StorageEncryption, Lang::De) => "Speicherverschlüsselung",
        (SdkCategory::Biometrics, Lang::En) => "biometrics",
        (SdkCategory::Biometrics, Lang::De) => "Biometrie",
        (SdkCategory::Push, Lang::En) => "push messaging",
        (SdkCategory::Push, Lang::De) => "Push-Benachrichtigungen",
        (SdkCategory::CertificatePinning, Lang::En) => "certificate pinning",
        (SdkCategory::CertificatePinning, Lang::De) => "Zertifikats-Pinning",
        (SdkCategory::Other, Lang::En) => "other",
        (SdkCategory::Other, Lang::De) => "Sonstiges",
    }
}

fn default_id(d: CollectionDefault) -> &'static str {
    match d {
        CollectionDefault::Enabled => "enabled",
        CollectionDefault::Disabled => "disabled",
        CollectionDefault::Unknown => "unknown",
    }
}

fn default_label(d: CollectionDefault, lang: Lang) -> &'static str {
    match (d, lang) {
        (CollectionDefault::Enabled, Lang::En) => "on",
        (CollectionDefault::Enabled, Lang::De) => "an",
        (CollectionDefault::Disabled, Lang::En) => "off",
        (CollectionDefault::Disabled, Lang::De) => "aus",
        (CollectionDefault::Unknown, Lang::En) => "unknown",
        (CollectionDefault::Unknown, Lang::De) => "unbekannt",
    }
}

fn platforms(e: &SdkEntry) -> Vec<&'static str> {
    let mut out = Vec::new();
    if !e.android.is_empty() {
        out.push("android");
    }
    if !e.ios.is_empty() {
        out.push("ios");
    }
    out
}

/// The documented collection default per platform: the rule's default (what
/// the SDK does when the app sets no switch); for a crash-reporting or
/// analytics SDK without a rule `unknown` (it is started in code).
fn collection_defaults(e: &SdkEntry) -> Vec<(Platform, CollectionDefault, bool)> {
    let tracking = matches!(
        e.category,
        SdkCategory::CrashReporting | SdkCategory::Analytics
    );
    let mut out = Vec::new();
    for (platform, present) in [
        (Platform::Android, !e.android.is_empty()),
        (Platform::Ios, !e.ios.is_empty()),
    ] {
        match e.collection.for_platform(platform) {
            Some(rule) => out.push((platform, rule.default, true)),
            None if tracking && present => out.push((platform, CollectionDefault::Unknown, false)),
            None => {}
        }
    }
    out
}

fn platform_id(p: Platform) -> &'static str {
    match p {
        Platform::Android => "android",
        Platform::Ios => "ios",
    }
}

/// The knowledge base as JSON: `{"count", "exodus_trackers", "sdks": [...]}`.
pub fn json(kb: &KnowledgeBase) -> String {
    let sdks: Vec<serde_json::Value> = kb
        .entries()
        .iter()
        .map(|e| {
            let mut v = serde_json::to_value(e).unwrap_or_default();
            if let Some(obj) = v.as_object_mut() {
                obj.insert("platforms".into(), serde_json::json!(platforms(e)));
                let defaults: serde_json::Map<String, serde_json::Value> = collection_defaults(e)
                    .into_iter()
                    .map(|(p, d, documented)| {
                        (
                            platform_id(p).to_string(),
                            serde_json::json!({"default": default_id(d), "documented_switch": documented}),
                        )
                    })
                    .collect();
                if !defaults.is_empty() {
                    obj.insert("collection_default".into(), defaults.into());
                }
            }
            v
        })
        .collect();
    let doc = serde_json::json!({
        "count": sdks.len(),
        "by_category": by_category(kb).into_iter().map(|(c, n)| (category_id(c), n)).collect::<BTreeMap<_, _>>(),
        "exodus_trackers": exodus_ids(kb),
        "sdks": sdks,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

fn by_category(kb: &KnowledgeBase) -> BTreeMap<SdkCategory, usize> {
    let mut out = BTreeMap::new();
    for e in kb.entries() {
        *out.entry(e.category).or_insert(0) += 1;
    }
    out
}

fn exodus_ids(kb: &KnowledgeBase) -> usize {
    let mut ids: Vec<u32> = kb
        .entries()
        .iter()
        .flat_map(|e| e.exodus.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids.len()
}

/// Column names of the SDK list.
fn header(lang: Lang) -> [&'static str; 8] {
    match lang {
        Lang::De => [
            "ID",
            "Name",
            "Kategorie",
            "Hersteller",
            "Plattformen",
            "Erfassung ab Werk",
            "Exodus",
            "Quelle",
        ],
        Lang::En => [
            "ID",
            "Name",
            "Category",
            "Vendor",
            "Platforms",
            "Collection default",
            "Exodus",
            "Source",
        ],
    }
}

/// One SDK as the cells of the list; the collection defaults one per line.
fn row(e: &SdkEntry, lang: Lang) -> Vec<String> {
    let defaults = collection_defaults(e)
        .into_iter()
        .map(|(p, d, documented)| {
            let p = match p {
                Platform::Android => "Android",
                Platform::Ios => "iOS",
            };
            let how = match (documented, lang) {
                (true, _) => String::new(),
                (false, Lang::En) => " (set in code)".to_string(),
                (false, Lang::De) => " (im Code festgelegt)".to_string(),
            };
            format!("{p}: {}{how}", default_label(d, lang))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let platforms = platforms(e)
        .into_iter()
        .map(|p| if p == "ios" { "iOS" } else { "Android" })
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        e.id.clone(),
        e.name.clone(),
        category_label(e.category, lang).to_string(),
        e.vendor.clone(),
        platforms,
        defaults,
        e.exodus
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        e.source.first().cloned().unwrap_or_default(),
    ]
}

/// The summary line: signatures per category and Exodus trackers covered.
fn summary(kb: &KnowledgeBase, lang: Lang) -> String {
    let counts = by_category(kb)
        .into_iter()
        .map(|(c, n)| format!("{n} {}", category_label(c, lang)))
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::En => format!(
            "{} SDK signatures ({counts}); {} Exodus Privacy trackers covered",
            kb.len(),
            exodus_ids(kb)
        ),
        Lang::De => format!(
            "{} SDK-Signaturen ({counts}); {} Tracker der Exodus-Privacy-Datenbank abgedeckt",
            kb.len(),
            exodus_ids(kb)
        ),
    }
}

/// The knowledge base as a terminal table with a summary line.
pub fn table(kb: &KnowledgeBase, lang: Lang) -> String {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(140)
        .set_header(header(lang));
    for e in kb.entries() {
        table.add_row(row(e, lang));
    }
    format!("{}\n{table}\n", summary(kb, lang))
}

/// The knowledge base as Markdown.
pub fn md(kb: &KnowledgeBase, lang: Lang) -> String {
    use crate::report::markdown::esc;
    let head = header(lang);
    let mut out = format!(
        "{}\n\n|{}\n|{}\n",
        esc(&summary(kb, lang)),
        head.iter()
            .map(|h| format!(" {} |", esc(h)))
            .collect::<String>(),
        "---|".repeat(head.len())
    );
    for e in kb.entries() {
        let cells: Vec<String> = row(e, lang).iter().map(|c| esc(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// The knowledge base as a self-contained HTML document.
pub fn html(kb: &KnowledgeBase, lang: Lang) -> String {
    use crate::report::html::esc;
    let title = match lang {
        Lang::De => "SDK- und Tracker-Wissensbasis",
        Lang::En => "SDK and tracker knowledge base",
    };
    let mut out = crate::report::compare::html_head(title, "", lang);
    out.push_str(&format!(
        "<p>{}</p>\n<table><thead><tr>",
        esc(&summary(kb, lang))
    ));
    for h in header(lang) {
        out.push_str(&format!("<th>{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>\n");
    for e in kb.entries() {
        out.push_str("<tr>");
        for c in row(e, lang) {
            out.push_str(&format!("<td>{}</td>", esc(&c).replace('\n', "<br>")));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n</body>\n</html>\n");
    out
}

/// The knowledge base as CSV, one row per SDK.
pub fn csv(kb: &KnowledgeBase, lang: Lang) -> String {
    use crate::report::csv_dialect;
    let mut out = csv_dialect::start(lang).to_string();
    out += &csv_dialect::line(lang, &header(lang));
    for e in kb.entries() {
        let cells = row(e, lang);
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        out += &csv_dialect::line(lang, &cells);
    }
    out
}
