//! The compare matrix prints on A4 without clipping: a 6-app comparison as
//! HTML, printed by headless Chromium, read back with pdfinfo and pdftotext.
//! Skips with a message when chromium or poppler's tools are missing.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{run_msgaudit, tool_available};

const APPS: [&str; 6] = [
    "sample-apps/android/out/securechat-1.0.apk",
    "sample-apps/android/out/securechat-1.1.apk",
    "sample-apps/android/out/oldchat-1.0.apk",
    "sample-apps/android/out/oldchat-2.0.apk",
    "sample-apps/android/out/leakychat-2.3.apk",
    "sample-apps/ios/LeakyChat.ipa",
];

fn chromium_pdf(html: &Path, pdf: &Path, profile: &Path) {
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("run chromium");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every word of the PDF with its page's width and its right edge (pdftotext -bbox).
fn words(pdf: &Path) -> Vec<(String, f64, f64)> {
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let attr = |tag: &str, name: &str| -> f64 {
        let key = format!("{name}=\"");
        let start = tag.find(&key).map(|i| i + key.len()).expect("attribute");
        let end = tag[start..].find('"').expect("quote") + start;
        tag[start..end].parse().expect("number")
    };
    let mut page_width = 0.0;
    let mut words = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page_width = attr(line, "width");
        } else if line.starts_with("<word ") {
            let word = line
                .split_once('>')
                .and_then(|(_, rest)| rest.strip_suffix("</word>"))
                .unwrap_or("")
                .to_string();
            words.push((word, page_width, attr(line, "xMax")));
        }
    }
    words
}

#[test]
fn six_app_comparison_prints_on_a4_with_the_rightmost_column() {
    if !tool_available("chromium") || !tool_available("pdfinfo") || !tool_available("pdftotext") {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let apps: Vec<String> = APPS
        .iter()
        .map(|a| root.join(a).to_string_lossy().into_owned())
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    for lang in ["de", "en"] {
        let html = dir.path().join(format!("compare-{lang}.html"));
        let mut args = vec![
            "compare".to_string(),
            "--no-auto-group".into(),
            "--format".into(),
            "html".into(),
            "--lang".into(),
            lang.into(),
            "--output".into(),
            html.to_string_lossy().into_owned(),
        ];
        args.extend(apps.iter().cloned());
        let out = run_msgaudit(&args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The right-most column's texts, from the same comparison as JSON.
        let json_args: Vec<String> = args
            .iter()
            .map(|a| {
                if a == "html" {
                    "json".into()
                } else {
                    a.clone()
                }
            })
            .take(6)
            .chain(apps.iter().cloned())
            .collect();
        let json = run_msgaudit(&json_args);
        let c: serde_json::Value = common::json(&json.stdout).expect("JSON");
        let last = c["candidates"][5]["name"].as_str().expect("6 candidates");
        assert_eq!(c["candidates"].as_array().map(Vec::len), Some(6));

        let pdf = dir.path().join(format!("compare-{lang}.pdf"));
        chromium_pdf(&html, &pdf, &dir.path().join(format!("profile-{lang}")));
        let info = Command::new("pdfinfo").arg(&pdf).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        assert!(info.contains("(A4)"), "not A4: {info}");

        let words = words(&pdf);
        assert!(!words.is_empty(), "no text in the PDF");
        // Nothing lies beyond the right edge of its page.
        for (word, width, x_max) in &words {
            assert!(x_max <= width, "`{word}` clipped at x={x_max} > {width}");
        }
        let text: String = words
            .iter()
            .map(|(w, _, _)| w.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // Every input's SHA-256 is printed in full (wrapped, not cut off).
        let flat: String = text.split_whitespace().collect();
        for k in c["candidates"].as_array().expect("candidates") {
            for m in k["members"].as_array().expect("members") {
                let sha = m["sha256"].as_str().expect("sha256");
                assert!(flat.contains(sha), "SHA-256 {sha} not printed in full");
            }
        }
        // The right-most column: its name.
        for part in last.split_whitespace() {
            assert!(text.contains(part), "`{part}` of {last} missing");
        }
        // Every cell's reason reaches its end: the last word of each reason
        // is in the PDF at least as often as cells end with it (a clipped
        // column loses the ends of its long reasons first).
        let key = if lang == "de" { "de" } else { "en" };
        let trim = |w: &str| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string();
        let mut need: BTreeMap<String, usize> = BTreeMap::new();
        for area in c["areas"].as_array().expect("areas") {
            for row in area["rows"].as_array().expect("rows") {
                for cell in row["cells"].as_array().expect("cells") {
                    let reason = cell["reason"][key].as_str().unwrap_or("");
                    if let Some(w) = reason
                        .split_whitespace()
                        .map(trim)
                        .rfind(|w| w.chars().count() > 3)
                    {
                        *need.entry(w).or_default() += 1;
                    }
                }
            }
        }
        let mut have: BTreeMap<String, usize> = BTreeMap::new();
        for (w, _, _) in &words {
            *have.entry(trim(w)).or_default() += 1;
        }
        assert!(need.values().sum::<usize>() >= 60, "6 columns of reasons");
        for (w, n) in &need {
            let found = have.get(w).copied().unwrap_or(0);
            assert!(
                found >= *n,
                "`{w}` ends {n} reasons but is in the PDF {found} times"
            );
        }
        let decided = if lang == "de" {
            "entschieden"
        } else {
            "decided"
        };
        assert!(text.matches(decided).count() >= 6, "coverage per column");
    }
}
