//! A German report is German throughout: `scan --lang de` over the sample apps
//! and every sample inventory (with the compliance and app-list samples
//! joined), in html, md, table and csv, and its messages on standard error,
//! contain no English sentence; nor do the CLI's refusals and errors with
//! `--lang de` (a missing file, a bad `--format`, an unknown flag, broken
//! answers and OS support data files, `scan -v` over skipped files). Identifiers (text set as code, package and
//! class names, keys, `key = value` switches, file names, URLs) are taken out
//! first; what remains must not hold an English function word.

mod common;

use std::path::{Path, PathBuf};

use regex::Regex;

/// Words that are English and never German (as whole words, case-sensitive:
/// "Export" and "App" are German nouns, "export" and "app" are not).
const ENGLISH: &[&str] = &[
    "the",
    "The",
    "and",
    "of",
    "is",
    "Is",
    "are",
    "not",
    "Not",
    "with",
    "from",
    "by",
    "for",
    "For",
    "to",
    "this",
    "This",
    "that",
    "which",
    "be",
    "been",
    "has",
    "have",
    "or",
    "on",
    "at",
    "it",
    "its",
    "when",
    "where",
    "than",
    "then",
    "only",
    "found",
    "enabled",
    "disabled",
    "missing",
    "export",
    "default",
    "unknown",
    "Unknown",
    "absent",
    "present",
    "declared",
    "requested",
    "device",
    "devices",
    "says",
    "left",
    "more",
    "classes",
    "collection",
    "shares",
    "permitted",
    "trusts",
    "none",
    "no",
    "No",
    "yes",
    "file",
    "files",
    "app",
    "apps",
    "read",
    "cannot",
    "can",
    "should",
    "must",
    "will",
    "would",
    "other",
    "skipped",
    "warning",
    "error",
    "record",
    "limit",
    "days",
    "before",
    "after",
    "reported",
    "needs",
    "set",
    "without",
    "contains",
    "advertising",
    "library",
    "used",
    "referenced",
    "requires",
    "supported",
    "support",
    "until",
    "since",
    "newer",
    "older",
    "latest",
    "released",
    "version",
    "check-in",
    "last",
    "passcode",
    "compliance",
    "compliant",
    "managed",
    "unmanaged",
    "encrypted",
    "enrolled",
    "ownership",
    "personal",
    "corporate",
    "lists",
    "listed",
    "see",
    "evidence",
    "but",
    "into",
    "line",
    "grace",
    "period",
    "policy",
    "requires",
    "state",
    "setting",
];

/// Product names that hold English words; they stay as the vendor spells them.
const PRODUCT_NAMES: &[&str] = &["Google Analytics for Firebase"];

/// Text that names things rather than says something: code spans, URLs,
/// `key = value` switches, quoted values, record locators, and tokens holding dots, underscores, slashes, digits or inner
/// capitals (package, class, key and file names, versions, dates).
struct Stripper {
    blocks: Regex,
    code: Regex,
    tags: Regex,
    url: Regex,
    switch: Regex,
    dn: Regex,
    quoted: Regex,
    locator: Regex,
    sourced: Regex,
    split: Regex,
    ident: Regex,
}

impl Stripper {
    fn new() -> Self {
        Stripper {
            blocks: Regex::new(r"(?s)<style.*?</style>|<script.*?</script>").unwrap(),
            code: Regex::new(r"(?s)<code[^>]*>.*?</code>|`[^`\n]*`").unwrap(),
            tags: Regex::new(r"<[^>]*>").unwrap(),
            url: Regex::new(r"\b(?:https?|file)://\S+").unwrap(),
            // `key = value`, and `domain:path` (a colon inside a token).
            switch: Regex::new(
                r#"[\w.@:\-\[\]]+\s*(?:=|!=|<|>|≥|≤)\s*(?:"[^"]*"|[\w.@:\-/+]+)|[\w\-]+:[^\s;,)]+"#,
            )
            .unwrap(),
            // A device without a name is named after its record (`record 3`,
            // docs/glossary.md); not in parentheses and not after a format's
            // name: an evidence location and a source (`intune-graph
            // record 2`) are translated.
            locator: Regex::new(r"(?:^|[^(\w])(?:record|line|response) \d+\b").unwrap(),
            sourced: Regex::new(r"\b[a-z]+(?:-[a-z]+)* (record|line|response) \d+\b").unwrap(),
            // X.500 names (certificate subject and issuer) are data.
            dn: Regex::new(r"\b(?:CN|OU|O|L|ST|C)=[^,<|\n]*").unwrap(),
            quoted: Regex::new(r#""[^"\n]*"|“[^”\n]*”|„[^“\n]*“"#).unwrap(),
            split: Regex::new(r"[^\p{L}\p{N}._/@'’*\-]+").unwrap(),
            ident: Regex::new(r"[._/@\d]|\p{Ll}\p{Lu}|^\p{Lu}{2,}").unwrap(),
        }
    }

    /// The English words left in `line` once identifiers are taken out.
    fn english(&self, line: &str, html: bool) -> Vec<String> {
        let mut text = self.code.replace_all(line, " ").into_owned();
        if html {
            // A line-break opportunity inside a word is no word boundary.
            text = text.replace("<wbr>", "");
            text = self.tags.replace_all(&text, " ").into_owned();
            text = text
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'");
        }
        let mut text = self.url.replace_all(&text, " ").into_owned();
        for name in PRODUCT_NAMES {
            text = text.replace(name, " ");
        }
        let text = self.dn.replace_all(&text, " ");
        let text = self.switch.replace_all(&text, " ");
        let text = self.quoted.replace_all(&text, " ");
        // A source keeps its English word (no name), so that it is found.
        let text = self.sourced.replace_all(&text, "$1 ?");
        let text = self.locator.replace_all(&text, " ");
        self.split
            .split(&text)
            .map(|t| t.trim_matches(|c| matches!(c, '.' | '\'' | '’' | '-')))
            .filter(|t| !t.is_empty() && !self.ident.is_match(t))
            .filter(|t| ENGLISH.contains(t))
            .map(str::to_string)
            .collect()
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `scan --lang de` on `inputs` in `format`; returns "where: line"
/// for every line of the report and of standard error with English words.
fn offenders(stripper: &Stripper, inputs: &[PathBuf], format: &str) -> Vec<String> {
    offenders_with(stripper, &[], inputs, format, &[0, 1, 3])
}

/// [`offenders`], with `extra` arguments before the inputs and the exit
/// codes `ok` expected.
fn offenders_with(
    stripper: &Stripper,
    extra: &[&str],
    inputs: &[PathBuf],
    format: &str,
    ok: &[i32],
) -> Vec<String> {
    let mut args: Vec<String> = ["scan", "--lang", "de", "--as-of", "2026-12-03", "--format"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(format.into());
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let out = common::run_msgaudit(&args);
    let code = out.status.code();
    assert!(
        code.is_some_and(|c| ok.contains(&c)),
        "scan {inputs:?} --format {format} exited {code:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let names: Vec<String> = inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    // CSV keeps evidence kinds machine-readable in every language
    // (`permission: …`, docs/report.md): they are identifiers there.
    let kinds = Regex::new(r#"(^|[;"]|; )[a-z][a-z_]*: "#).unwrap();
    let mut found = Vec::new();
    for (stream, bytes, html) in [
        ("report", &out.stdout, format == "html"),
        ("stderr", &out.stderr, false),
    ] {
        let text = String::from_utf8_lossy(bytes);
        // Style and script blocks span lines: take them out of the whole text.
        let text = stripper.blocks.replace_all(&text, " ");
        for line in text.lines() {
            let line = if format == "csv" {
                kinds.replace_all(line, "${1}").into_owned()
            } else {
                line.to_string()
            };
            let words = stripper.english(&line, html);
            if !words.is_empty() {
                found.push(format!(
                    "{} --format {format} ({stream}): {words:?} in: {}",
                    names.join(" + "),
                    line.trim()
                ));
            }
        }
    }
    found
}

/// Fails with every line of `found` (from [`offenders`]) unless it is empty.
fn assert_no_english(mut found: Vec<String>) {
    found.sort();
    found.dedup();
    assert!(
        found.is_empty(),
        "{} German report lines hold English words:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The inventory samples, each with the files joined to it.
fn inventory_runs(dir: &Path) -> Vec<Vec<PathBuf>> {
    let joined = [
        "intune-compliance-device-statuses.json",
        "intune-compliance-policies.json",
        "intune-compliance-setting-states.json",
        "installed-apps-apple-mdm.plist",
        "installed-apps-workspace-one.json",
        "generic-custom.csv.mapping.toml",
        "README.md",
    ];
    let mut runs: Vec<Vec<PathBuf>> = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("sample-apps/inventories is readable")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !joined.contains(&n.as_str()))
        .collect();
    names.sort();
    for name in names {
        let mut run = vec![dir.join(&name)];
        match name.as_str() {
            "intune-graph-managedDevices.json" => {
                run.push(dir.join("intune-compliance-setting-states.json"))
            }
            "intune-graph-pages.jsonl" => {
                run.push(dir.join("intune-compliance-device-statuses.json"));
                run.push(dir.join("intune-compliance-policies.json"));
            }
            "apple-mdm-responses.plist" => run.push(dir.join("installed-apps-apple-mdm.plist")),
            "workspace-one-devices.json" => run.push(dir.join("installed-apps-workspace-one.json")),
            _ => {}
        }
        runs.push(run);
    }
    runs
}

#[test]
fn german_sample_reports_have_no_english_sentences() {
    let stripper = Stripper::new();
    let inventories = root().join("sample-apps/inventories");
    let mut runs = vec![vec![root().join("sample-apps")]];
    runs.extend(inventory_runs(&inventories));
    assert!(runs.len() >= 12, "the sample inventories are all there");
    let mut found = Vec::new();
    for run in &runs {
        for format in ["html", "md", "table", "csv"] {
            found.extend(offenders(&stripper, run, format));
        }
    }
    assert_no_english(found);
}

/// A file that cannot be read is explained in German in every German
/// report (its reader's English reason in German words, also in the JSON
/// report's `error_de`), not in English: a file of no known kind, a
/// property list that is no Apple MDM response, an empty export and one
/// that breaks in its first record.
#[test]
fn german_reports_explain_unreadable_files_in_german() {
    let stripper = Stripper::new();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let unknown = write("policies.json", r#"{"value":[{"foo":1}]}"#);
    let plist = write(
        "other.plist",
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict><key>Foo</key><string>x</string></dict></plist>\n",
    );
    let empty = write("empty.json", "  \n");
    let broken = write("broken.json", r#"{"value":[{"id": tru"#);
    let runs: [(&[&str], Vec<PathBuf>, &[&str]); 3] = [
        (
            &[],
            vec![unknown],
            &["Weder eine bekannte App noch ein bekannter MDM-Inventarexport"],
        ),
        (
            &[],
            vec![plist],
            &["Eine Property-Liste, aber ohne Apple-MDM-Antwort"],
        ),
        (
            &["--inventory-format", "intune-graph"],
            vec![empty, broken],
            &[
                "Die Inventardatei ist leer",
                "Nicht lesbares JSON-Inventar: das JSON endet zu früh (abgeschnitten) in Zeile 1, Spalte 20",
            ],
        ),
    ];
    let mut found = Vec::new();
    for (extra, inputs, said) in &runs {
        for format in ["html", "md", "table", "csv"] {
            found.extend(offenders_with(&stripper, extra, inputs, format, &[4]));
        }
        let mut args = vec!["scan", "--lang", "de", "--format", "md"];
        args.extend(extra.iter().copied());
        let paths: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
        args.extend(paths.iter().map(String::as_str));
        let md = String::from_utf8(common::run_msgaudit(&args).stdout).unwrap();
        for said in *said {
            assert!(
                md.contains(said),
                "{inputs:?}: the report says {said:?}:\n{md}"
            );
        }
        // The JSON report carries both texts.
        args[4] = "json";
        let json: serde_json::Value = common::json(&common::run_msgaudit(&args).stdout).unwrap();
        for t in json["targets"].as_array().unwrap() {
            let (en, de) = (
                t["error"].as_str().unwrap(),
                t["error_de"].as_str().unwrap(),
            );
            assert!(!en.is_empty() && de != en, "{t}");
        }
    }
    assert_no_english(found);
}

#[test]
fn the_english_detector_finds_english_and_spares_identifiers() {
    let s = Stripper::new();
    assert_eq!(
        s.english(
            "Firebase Crashlytics — collection enabled by default",
            false
        ),
        ["collection", "enabled", "by", "default"]
    );
    assert_eq!(
        s.english("Der Export meldet passcode not in the export", false)
            .len(),
        4
    );
    // Identifiers, switches, code and URLs are not sentences.
    assert!(s
        .english(
            "Schalter: firebase_crashlytics_collection_enabled = false, android.permission.READ_CONTACTS, <code>the and of</code> `is not` https://example.org/the/and NSAllowsArbitraryLoads",
            true
        )
        .is_empty());
    assert!(s
        .english("Das Gerät meldet sich regelmäßig (Export, App).", false)
        .is_empty());
    // A device named after its record is a name; an untranslated evidence
    // location or source is not.
    assert!(s.english("Gerät: | record 3 |", false).is_empty());
    assert_eq!(s.english("Feld: x = 1 (record 2)", false), ["record"]);
    assert_eq!(
        s.english("Quelle: intune-graph record 2", false),
        ["record"]
    );
    assert!(s
        .english("Quelle: intune-graph, Datensatz 2", false)
        .is_empty());
}

/// Runs msgaudit with `args`; the exit code and standard error.
fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = common::run_msgaudit(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Broken inputs for the CLI's messages: a folder `scan -v` skips files
/// in, an answers file with a bad outcome, one with a TOML syntax error, and
/// an OS support data file with a TOML syntax error.
struct BrokenInputs {
    dir: tempfile::TempDir,
}

impl BrokenInputs {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("ordner");
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("notizen.txt"), "nur Text\n").unwrap();
        std::fs::copy(
            root().join("sample-apps/inventories/jamf-pro-inventory.json"),
            folder.join("jamf.json"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("antworten.toml"),
            "[[answer]]\ncheck = \"DEV-02-passcode\"\noutcome = \"bestanden\"\nby = \"A. Prüferin\"\ndate = \"2026-11-30\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("kaputt.toml"), "[[answer]\ncheck = 1\n").unwrap();
        std::fs::write(dir.path().join("os.toml"), "as_of = 2026-11-01\n[[ios]\n").unwrap();
        BrokenInputs { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

/// A CLI case: arguments (without `--lang`), the exit code, and what the
/// German and the English message must name.
type CliCase = (Vec<String>, i32, Vec<String>, Vec<String>);

/// The CLI cases.
fn cli_cases(b: &BrokenInputs) -> Vec<CliCase> {
    let inventory = root()
        .join("sample-apps/inventories/intune-graph-managedDevices.json")
        .display()
        .to_string();
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        (
            s(&["scan", "/nonexistent/signal.apk"]),
            4,
            s(&["/nonexistent/signal.apk", "nicht lesbar", "nicht gefunden"]),
            s(&[
                "/nonexistent/signal.apk",
                "cannot read the file",
                "No such file",
            ]),
        ),
        (
            s(&["scan", &inventory, "--format", "pdf"]),
            2,
            s(&[
                "„pdf“ ist kein gültiger Wert für --format",
                "mögliche Werte: table",
            ]),
            s(&[
                "invalid value 'pdf' for '--format",
                "possible values: table",
            ]),
        ),
        (
            s(&["scan", &inventory, "--formt", "html"]),
            2,
            s(&[
                "Unbekanntes Argument „--formt“",
                "„--format“",
                "Aufruf: msgaudit scan",
            ]),
            s(&[
                "unexpected argument '--formt' found",
                "Usage: msgaudit scan",
            ]),
        ),
        (
            s(&["scan", &inventory, "--answers", &b.path("antworten.toml")]),
            5,
            vec![
                b.path("antworten.toml"),
                "Antwort 1 (Zeile 1)".into(),
                "„bestanden“".into(),
            ],
            vec![
                b.path("antworten.toml"),
                "answer 1 (line 1)".into(),
                "must be pass, fail or not_applicable".into(),
            ],
        ),
        (
            s(&["scan", &inventory, "--answers", &b.path("kaputt.toml")]),
            5,
            vec![
                b.path("kaputt.toml"),
                "Zeile 1, Spalte 10".into(),
                "`]` fehlt".into(),
            ],
            vec![
                format!("{}:1:10", b.path("kaputt.toml")),
                "expected `]`".into(),
            ],
        ),
        (
            s(&["scan", &inventory, "--os-data", &b.path("os.toml")]),
            4,
            vec![
                format!("Daten zur OS-Unterstützung {}", b.path("os.toml")),
                "Zeile 2, Spalte 7".into(),
            ],
            vec![
                format!("OS support data {}", b.path("os.toml")),
                "line 2, column 7".into(),
            ],
        ),
        (
            s(&["scan", "-v", "--as-of", "2026-12-03", &b.path("ordner")]),
            1,
            vec![
                format!("übersprungen: {}", b.path("ordner/notizen.txt")),
                "dem Inhalt nach weder App noch Inventarexport".into(),
                "1 andere Datei übersprungen".into(),
            ],
            vec![
                format!("skipped {}", b.path("ordner/notizen.txt")),
                "not an app, inventory export or facts document".into(),
            ],
        ),
        (
            s(&["scan", &inventory, "-o", "/nonexistent/bericht.html"]),
            4,
            s(&["/nonexistent/bericht.html lässt sich nicht schreiben"]),
            s(&["cannot write /nonexistent/bericht.html"]),
        ),
    ]
}

/// German words that never stand in an English message.
const GERMAN: &[&str] = &[
    "nicht",
    "und",
    "ist",
    "Datei",
    "Fehler",
    "Zeile",
    "übersprungen",
];

#[test]
fn german_cli_messages_are_german_and_name_file_and_cause() {
    let stripper = Stripper::new();
    let broken = BrokenInputs::new();
    let mut problems = Vec::new();
    for (args, code, german, english) in cli_cases(&broken) {
        for (lang, wanted) in [("de", &german), ("en", &english)] {
            let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
            all.extend(["--lang", lang]);
            let (got, stderr) = stderr_of(&all);
            let case = format!("{all:?}");
            if got != Some(code) {
                problems.push(format!("{case}: exit {got:?}, not {code}:\n{stderr}"));
            }
            for w in wanted.iter() {
                if !stderr.contains(w.as_str()) {
                    problems.push(format!("{case}: does not say {w:?}:\n{stderr}"));
                }
            }
            for line in stderr.lines() {
                let english = stripper.english(line, false);
                let german = line
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| GERMAN.contains(w))
                    .count();
                if lang == "de" && !english.is_empty() {
                    problems.push(format!("{case}: English words {english:?} in: {line}"));
                }
                if lang == "en" && german > 0 {
                    problems.push(format!("{case}: German words in: {line}"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// German output of `msgaudit ARGS --lang de`, standard output and error.
fn german_output(args: &[String]) -> String {
    let mut all = args.to_vec();
    all.extend(["--lang".into(), "de".into()]);
    let out = common::run_msgaudit(&all);
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn german_reports_say_belege_as_the_glossary_does() {
    // docs/glossary.md: evidence is "Belege" (singular "Beleg"), not
    // "Nachweise" or "Evidenz" — in the scan report as in compare and diff.
    let avoid = Regex::new(r"\b(Nachweise|Evidenz)\b").unwrap();
    let apps = root().join("sample-apps/android/out");
    let app = |n: &str| apps.join(n).display().to_string();
    let answers = root()
        .join("sample-apps/answers/securechat.toml")
        .display()
        .to_string();
    let mut found = Vec::new();
    for format in ["html", "md", "table", "csv"] {
        let f = || vec!["--format".to_string(), format.to_string()];
        let runs: Vec<Vec<String>> = vec![
            [
                vec![
                    "scan".into(),
                    root().join("sample-apps").display().to_string(),
                ],
                vec!["--answers".into(), answers.clone()],
                f(),
            ]
            .concat(),
            [
                vec!["compare".into(), "--no-auto-group".into()],
                vec![app("securechat-1.0.apk"), app("leakychat-2.3.apk")],
                f(),
            ]
            .concat(),
            [
                vec![
                    "diff".into(),
                    app("securechat-1.0.apk"),
                    app("securechat-1.1.apk"),
                ],
                vec!["--answers".into(), answers.clone()],
                f(),
            ]
            .concat(),
        ];
        for args in runs {
            let text = german_output(&args);
            assert!(
                text.contains("Belege") || text.contains("belege"),
                "{args:?}"
            );
            for line in text.lines().filter(|l| avoid.is_match(l)) {
                found.push(format!("{} --format {format}: {}", args[0], line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "German reports say Nachweise/Evidenz (glossary: Belege):\n{}",
        found.join("\n")
    );
}

/// Every German text of the check files under `dir`: values of `de` and
/// `*_de` keys, and the string literals of the German parts
/// (`value_de`, `location_de`) of evidence expressions.
fn german_check_texts(dir: &Path, out: &mut Vec<(String, String)>) {
    fn walk(file: &str, key: &str, v: &toml::Value, out: &mut Vec<(String, String)>) {
        match v {
            toml::Value::String(s) if key == "de" || key.ends_with("_de") => {
                out.push((file.to_string(), s.clone()));
            }
            toml::Value::String(s) if key == "evidence" => {
                for part in s
                    .split("\"value_de\":")
                    .chain(s.split("\"location_de\":"))
                    .skip(1)
                {
                    let german = part.split("\"location\"").next().unwrap_or(part);
                    let literals = german.split('"').skip(1).step_by(2);
                    out.extend(literals.map(|l| (file.to_string(), l.to_string())));
                }
            }
            toml::Value::Table(t) => t.iter().for_each(|(k, v)| walk(file, k, v, out)),
            toml::Value::Array(a) => a.iter().for_each(|v| walk(file, key, v, out)),
            _ => {}
        }
    }
    for path in common::files_under(dir) {
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let doc: toml::Value =
                toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            walk(&path.display().to_string(), "", &doc, out);
        }
    }
}

#[test]
fn german_check_texts_say_sicherung_for_a_backup() {
    // docs/glossary.md: a backup is „Sicherung“ (iCloud-Sicherung,
    // Cloud-Sicherung), never „Backup“; identifiers such as `allowBackup`,
    // `isExcludedFromBackup` or `android.app.backup.BackupAgent` stay.
    let word = Regex::new(r"(?:^|[^A-Za-z.])Backup").unwrap();
    let mut texts = Vec::new();
    german_check_texts(&root().join("checks"), &mut texts);
    assert!(texts.len() > 500, "{} German texts", texts.len());
    let found: Vec<String> = texts
        .iter()
        .filter(|(_, t)| word.is_match(t))
        .map(|(f, t)| format!("{f}: {t}"))
        .collect();
    assert!(
        found.is_empty(),
        "German check texts say Backup (glossary: Sicherung):\n{}",
        found.join("\n")
    );
    assert!(texts.iter().any(|(_, t)| t.contains("iCloud-Sicherung")));
}
