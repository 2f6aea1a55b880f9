//! The printed report: headless Chromium prints the German HTML reports of
//! the sample apps and of the sample fleet, and the English one of the sample
//! apps, to PDF, and poppler's `pdfinfo` and `pdftotext` confirm A4 pages,
//! "Seite N von M" / "Page N of M" and the running header on every page, the summary (not a hash table) on page 1, the signature
//! block on the last page, and that nothing runs past the right margin
//! (no clipped table). A control document with a table too wide for the
//! page shows that the margin check catches clipping.
//!
//! Skips with a message when chromium, pdfinfo or pdftotext are missing
//! (CI installs chromium and poppler-utils).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;

/// A4 in PostScript points.
const A4: (f64, f64) = (595.0, 842.0);
/// The right page margin of the print stylesheet (14 mm) in points.
const RIGHT_MARGIN_PT: f64 = 14.0 * 72.0 / 25.4;

fn tools_present() -> bool {
    ["chromium", "pdfinfo", "pdftotext"]
        .iter()
        .all(|t| common::tool_available(t))
}

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// The words a printed report shows, in one language.
struct Words {
    /// `--lang` value.
    lang: &'static str,
    /// The page footer before N and between N and M.
    page: (&'static str, &'static str),
    /// The running header: profile and audit date.
    header: [&'static str; 2],
    /// Headings of the summary on page 1.
    summary: [&'static str; 3],
    /// Texts page 1 must not show (hashes, tool metadata).
    not_first: [&'static str; 2],
    /// The fields of the signature block.
    signature: [&'static str; 4],
    /// The appendix heading.
    appendix: &'static str,
    /// The footer label, not counted as content of a page.
    footer_word: &'static str,
}

const DE: Words = Words {
    lang: "de",
    page: ("Seite ", " von "),
    header: ["Profil: DSK", "Prüfdatum: 20"],
    summary: [
        "Zusammenfassung",
        "Gesamturteil",
        "Nicht erfüllte Muss-Anforderungen",
    ],
    not_first: ["SHA-256", "Prüfsatz-"],
    signature: ["Prüfer/in", "Ort", "Datum", "Unterschrift"],
    appendix: "Anhang: Prüfgrundlagen",
    footer_word: "Seite",
};

const EN: Words = Words {
    lang: "en",
    page: ("Page ", " of "),
    header: ["Profile: DSK", "Audit date: 20"],
    summary: ["Executive summary", "Verdict", "Failed must-requirements"],
    not_first: ["SHA-256", "Check-set"],
    signature: ["Auditor", "Place", "Date", "Signature"],
    appendix: "Appendix: audit basis",
    footer_word: "Page",
};

/// Writes the HTML report of `input` in `lang` to `dir/name.html`.
fn html_report(input: &Path, dir: &Path, name: &str, lang: &str) -> PathBuf {
    let out = dir.join(format!("{name}.html"));
    let run = common::run_msgaudit([
        "scan".as_ref(),
        input.as_os_str(),
        "--lang".as_ref(),
        lang.as_ref(),
        "--format".as_ref(),
        "html".as_ref(),
        "--output".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        out.is_file(),
        "no report written for {}: {}",
        input.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    out
}

/// Prints `html` to `dir/name.pdf` with headless Chromium.
fn print_pdf(html: &Path, dir: &Path, name: &str) -> PathBuf {
    let pdf = dir.join(format!("{name}.pdf"));
    let run = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.join(format!("profile-{name}")).display()
        ))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium runs");
    assert!(
        run.status.success() && pdf.is_file(),
        "chromium could not print {}: {}",
        html.display(),
        String::from_utf8_lossy(&run.stderr)
    );
    pdf
}

/// `pdfinfo`'s page count and page size in points.
fn pdf_info(pdf: &Path) -> (usize, (f64, f64)) {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("pdfinfo gives no {name}: {text}"))
            .trim()
            .to_string()
    };
    let pages = field("Pages:").parse().expect("page count");
    // "594.96 x 841.92 pts (A4)"
    let size = field("Page size:");
    let nums: Vec<f64> = size
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (pages, (nums[0], nums[1]))
}

/// The text of each page (`pdftotext -layout`; pages end with a form feed).
fn page_texts(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-layout".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A word of `pdftotext -bbox`: its page (from 1), text and box.
#[derive(Debug)]
struct Word {
    page: usize,
    text: String,
    x_max: f64,
    y_max: f64,
}

/// Every word of the PDF with its bounding box (`pdftotext -bbox`).
fn words(pdf: &Path) -> Vec<Word> {
    let out = Command::new("pdftotext")
        .args(["-bbox".as_ref(), pdf.as_os_str(), "-".as_ref()])
        .output()
        .expect("pdftotext -bbox");
    let xml = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut page, mut words, mut open) = (0, Vec::new(), None::<Word>);
    let attr = |e: &quick_xml::events::BytesStart, name: &[u8]| -> f64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| String::from_utf8_lossy(&a.value).parse().ok())
            .unwrap_or(0.0)
    };
    loop {
        match reader.read_event().expect("pdftotext -bbox gives XHTML") {
            Event::Start(e) if e.name().as_ref() == b"page" => page += 1,
            Event::Start(e) if e.name().as_ref() == b"word" => {
                open = Some(Word {
                    page,
                    text: String::new(),
                    x_max: attr(&e, b"xMax"),
                    y_max: attr(&e, b"yMax"),
                })
            }
            Event::Text(t) => {
                if let Some(w) = open.as_mut() {
                    w.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::End(e) if e.name().as_ref() == b"word" => words.extend(open.take()),
            Event::Eof => break,
            _ => {}
        }
    }
    words
}

/// Words that end right of the right margin (2 pt tolerance): text of a
/// table wider than the page, clipped in print.
fn past_the_margin(words: &[Word], width: f64) -> Vec<&Word> {
    words
        .iter()
        .filter(|w| w.x_max > width - RIGHT_MARGIN_PT + 2.0)
        .collect()
}

/// Checks one printed report in the language of `t`; `first_page` and
/// `body` are texts page 1 and the whole PDF must show.
fn check_printed(pdf: &Path, t: &Words, first_page: &[&str], body: &[&str]) {
    let (pages, (w, h)) = pdf_info(pdf);
    assert!(
        (w - A4.0).abs() < 1.0 && (h - A4.1).abs() < 1.0,
        "{}: page size {w} x {h} pts, not A4",
        pdf.display()
    );
    assert!(pages >= 2, "{}: only {pages} page(s)", pdf.display());
    let texts = page_texts(pdf);
    assert_eq!(texts.len(), pages, "one text per page");
    for (i, text) in texts.iter().enumerate() {
        let n = i + 1;
        let footer = format!("{}{n}{}{pages}", t.page.0, t.page.1);
        assert!(
            text.contains(&footer),
            "page {n} lacks \"{footer}\":\n{text}"
        );
        assert!(
            t.header.iter().all(|h| text.contains(h)),
            "page {n} lacks the running header (profile, audit date):\n{text}"
        );
    }
    let first = &texts[0];
    for want in t.summary.iter().chain(first_page) {
        assert!(first.contains(want), "page 1 lacks \"{want}\":\n{first}");
    }
    assert!(
        !t.not_first.iter().any(|x| first.contains(x)),
        "page 1 shows hashes or tool metadata:\n{first}"
    );
    let last = texts.last().expect("pages");
    for want in t.signature {
        assert!(last.contains(want), "last page lacks \"{want}\":\n{last}");
    }
    let all = texts.concat();
    for want in body {
        assert!(all.contains(want), "the PDF lacks \"{want}\"");
    }
    // The last mention: page 1 links to it.
    let appendix = texts
        .iter()
        .rposition(|x| x.contains(t.appendix))
        .expect("the appendix is printed");
    // It may run over a second page, and the signature block may follow on
    // a page of its own.
    assert!(
        appendix + 3 >= pages,
        "the appendix is on page {} of {pages}, not at the end",
        appendix + 1
    );
    let words = words(pdf);
    assert!(words.len() > 100, "pdftotext -bbox found too few words");
    let over = past_the_margin(&words, w);
    assert!(
        over.is_empty(),
        "{}: text runs past the right margin (clipped table): {:?}",
        pdf.display(),
        over.iter().take(5).collect::<Vec<_>>()
    );
    // No page but the last is left mostly empty by a forced break.
    for p in 1..pages {
        let bottom = words
            .iter()
            .filter(|x| x.page == p && !x.text.starts_with(t.footer_word) && x.y_max < h - 50.0)
            .map(|x| x.y_max)
            .fold(0.0, f64::max);
        assert!(
            bottom > h * 0.6,
            "page {p} of {} ends at {bottom:.0} of {h:.0} pt: a large empty area",
            pdf.display()
        );
    }
}

#[test]
fn german_app_report_prints_on_a4_with_summary_first_and_signature_last() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let html = html_report(&repo("sample-apps"), dir.path(), "apps", DE.lang);
    let pdf = print_pdf(&html, dir.path(), "apps");
    check_printed(
        &pdf,
        &DE,
        &["LeakyChat 2.3", "Android-App"],
        &[
            "Wichtigste Maßnahmen",
            "Auf einen Blick",
            "Apps je Anforderung",
            // The last column of the results and of the appendix's file table.
            "Befund",
            "Größe",
        ],
    );
    // A long identifier in evidence breaks after a dot, never inside a
    // name: every printed occurrence of the method's name is whole.
    let name = "setUserAuthenticationRequired";
    let words = words(&pdf);
    let parts: Vec<&str> = words
        .iter()
        .map(|w| w.text.as_str())
        .filter(|t| t.contains("setUserAuth"))
        .collect();
    assert!(!parts.is_empty(), "the PDF does not show {name}");
    assert!(
        parts.iter().all(|t| t.contains(name)),
        "{name} is broken inside the name: {parts:?}"
    );
}

#[test]
fn german_fleet_report_prints_on_a4_with_summary_first_and_signature_last() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let html = html_report(
        &repo("sample-apps/inventories"),
        dir.path(),
        "fleet",
        DE.lang,
    );
    let pdf = print_pdf(&html, dir.path(), "fleet");
    check_printed(
        &pdf,
        &DE,
        &[
            "Geräteflotte",
            "Geräten nicht erfüllt",
            "Wichtigste Maßnahmen",
        ],
        &[
            "Geräte nach Betriebssystemversion",
            "Alter des Sicherheitspatches",
            // The last columns of the fleet's widest tables.
            "Anteil erfüllt",
            "Eigentümertyp",
        ],
    );
}

#[test]
fn english_app_report_prints_on_a4_with_summary_first_and_signature_last() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let html = html_report(&repo("sample-apps"), dir.path(), "apps-en", EN.lang);
    let pdf = print_pdf(&html, dir.path(), "apps-en");
    check_printed(
        &pdf,
        &EN,
        &["LeakyChat 2.3", "Android app"],
        &[
            "Top actions",
            "At a glance",
            "Apps per requirement",
            // The last column of the results and of the appendix's file table
            // (the widest tables).
            "Finding",
            "Size",
        ],
    );
    // Nothing German in the English print but names.
    let all = page_texts(&pdf).concat();
    for german in ["Seite ", "Prüfdatum", "Unterschrift", "Zusammenfassung"] {
        assert!(!all.contains(german), "the English PDF says \"{german}\"");
    }
}

/// The margin check can fail: a table wider than the page, with the
/// report's print stylesheet, runs past the right margin in the PDF.
#[test]
fn the_margin_check_catches_a_clipped_table() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let html = html_report(
        &repo("sample-apps/inventories"),
        dir.path(),
        "wide",
        DE.lang,
    );
    let page = std::fs::read_to_string(&html).expect("html");
    let cells: String = (0..12)
        .map(|i| format!("<td style=\"white-space:nowrap\">unbreakable-column-{i}</td>"))
        .collect();
    let wide = page.replacen(
        "<section class=\"exec\"",
        &format!("<table><tr>{cells}</tr></table><section class=\"exec\""),
        1,
    );
    assert_ne!(wide, page, "the control table was inserted");
    std::fs::write(&html, wide).expect("write");
    let pdf = print_pdf(&html, dir.path(), "wide");
    let (_, (w, _)) = pdf_info(&pdf);
    let words = words(&pdf);
    assert!(
        !past_the_margin(&words, w).is_empty(),
        "a 12-column unbreakable table should run past the margin"
    );
}
