//! Android code facts: API references against `dexdump -d` on the corpus,
//! and the unsafe TLS code patterns on DEX files assembled from smali (each
//! unsafe pattern next to its safe twin), through to COM-01.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use msgaudit::assess::Outcome;
use msgaudit::checks::cel::TargetContext;
use msgaudit::checks::CheckSet;
use msgaudit::extract::android::dex::{ApiList, CodeScan, DexTables};
use msgaudit::extract::{extract_path, ExtractOptions};
use msgaudit::facts::{CodeFacts, Facts};
use msgaudit::limits::Limits;
use serde_json::{json, Value};

/// `(api, referencing class)` pairs: what dexdump shows, restricted to the
/// curated list, plus `complete`.
type Pairs = BTreeSet<(String, String)>;

/// The curated list as dexdump names members: (descriptor, member, kind) → api.
fn wanted() -> HashMap<(String, String, &'static str), String> {
    let list = ApiList::builtin();
    list.slots
        .iter()
        .map(|s| {
            let e = &list.entries[s.entry];
            let desc = format!("L{};", e.class.replace('.', "/"));
            let kind = s.kind.as_str();
            let member = s.api.strip_prefix(&format!("{}.", e.class)).unwrap_or("");
            ((desc, member.to_string(), kind), s.api.clone())
        })
        .collect()
}

fn dotted(desc: &str) -> String {
    desc.trim_start_matches('L')
        .trim_end_matches(';')
        .replace('/', ".")
}

/// Runs `dexdump -d` on `file` and collects the curated references; `None`
/// when dexdump cannot read the file.
fn dexdump_pairs(
    file: &Path,
    wanted: &HashMap<(String, String, &'static str), String>,
) -> Option<Pairs> {
    let mut child = Command::new("dexdump")
        .arg("-d")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut pairs = Pairs::new();
    let mut class = String::new();
    for line in BufReader::new(child.stdout.take()?).split(b'\n') {
        let line = String::from_utf8_lossy(&line.ok()?).into_owned();
        if let Some(rest) = line.trim_start().strip_prefix("Class descriptor  : '") {
            class = rest.trim_end_matches('\'').to_string();
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix("Superclass        : '") {
            let key = (
                rest.trim_end_matches('\'').to_string(),
                String::new(),
                "extends",
            );
            if let Some(api) = wanted.get(&key) {
                pairs.insert((api.clone(), dotted(&class)));
            }
            continue;
        }
        let kind = if line.contains(" // method@") {
            "method"
        } else if line.contains(" // field@") {
            "field"
        } else {
            continue;
        };
        let Some((_, insn)) = line.split_once('|') else {
            continue;
        };
        let Some((_, insn)) = insn.split_once(": ") else {
            continue;
        };
        let op = insn.split_whitespace().next().unwrap_or("");
        let is_access = ["iget", "iput", "sget", "sput"]
            .iter()
            .any(|p| op.starts_with(p));
        if (kind == "method" && (!op.starts_with("invoke-") || op.starts_with("invoke-custom")))
            || (kind == "field" && !is_access)
        {
            continue;
        }
        let before = insn.split(" // ").next().unwrap_or("");
        let Some((_, target)) = before.rsplit_once(", ") else {
            continue;
        };
        let Some((desc, rest)) = target.split_once(";.") else {
            continue;
        };
        let member = rest.split(':').next().unwrap_or("");
        if let Some(api) = wanted.get(&(format!("{desc};"), member.to_string(), kind)) {
            pairs.insert((api.clone(), dotted(&class)));
        }
    }
    child.wait().ok()?.success().then_some(pairs)
}

/// msgaudit's pairs; `None` for refs listed only partly (more than the cap).
fn our_pairs(code: &CodeFacts) -> (Pairs, BTreeSet<String>) {
    let mut pairs = Pairs::new();
    let mut capped = BTreeSet::new();
    for r in &code.api_refs {
        if r.class_count > r.classes.len() {
            capped.insert(r.api.clone());
        }
        for c in &r.classes {
            pairs.insert((r.api.clone(), c.clone()));
        }
    }
    (pairs, capped)
}

fn scan_dex(bytes: &[u8], package: Option<&str>) -> Option<CodeFacts> {
    let dex = DexTables::parse(bytes, &Limits::default()).ok()?;
    let mut scan = CodeScan::default();
    let mut warnings = Vec::new();
    scan.expect_files(1);
    scan.scan(&dex, "classes.dex", &mut warnings);
    Some(scan.finish(package, None))
}

#[test]
fn api_references_equal_dexdump_on_the_corpus() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    if !common::tool_available("dexdump") {
        return;
    }
    let wanted = wanted();
    let mut files: Vec<PathBuf> = common::files_under(&corpus.join("android/dex"));
    files.extend(common::files_under(&corpus.join("android/apk")));
    files.retain(|f| f.extension().is_some_and(|e| e == "dex" || e == "apk"));
    let (mut compared, mut with_hits) = (0, 0);
    let mut failures = Vec::new();
    for file in &files {
        let Some(oracle) = dexdump_pairs(file, &wanted) else {
            continue;
        };
        let code = if file.extension().is_some_and(|e| e == "dex") {
            let bytes = std::fs::read(file).unwrap();
            match scan_dex(&bytes, None) {
                Some(c) => c,
                None => continue,
            }
        } else {
            match extract_path(file, &ExtractOptions::default()) {
                Ok(Facts::App(app)) => match app.android {
                    Some(a) => a.code,
                    None => continue,
                },
                _ => continue,
            }
        };
        compared += 1;
        if !code.complete {
            failures.push(format!(
                "{}: dexdump reads it, msgaudit's code facts are incomplete",
                file.display()
            ));
            continue;
        }
        let (ours, capped) = our_pairs(&code);
        let oracle_cmp: Pairs = oracle
            .iter()
            .filter(|(a, _)| !capped.contains(a))
            .cloned()
            .collect();
        let ours_cmp: Pairs = ours
            .iter()
            .filter(|(a, _)| !capped.contains(a))
            .cloned()
            .collect();
        if ours_cmp != oracle_cmp {
            failures.push(format!(
                "{}: only msgaudit {:?}, only dexdump {:?}",
                file.display(),
                ours_cmp.difference(&oracle_cmp).collect::<Vec<_>>(),
                oracle_cmp.difference(&ours_cmp).collect::<Vec<_>>()
            ));
        }
        // Capped lists: every class named is one dexdump shows, and the count is dexdump's.
        for api in &capped {
            let theirs: BTreeSet<&String> = oracle
                .iter()
                .filter(|(a, _)| a == api)
                .map(|(_, c)| c)
                .collect();
            let r = code.api_refs.iter().find(|r| &r.api == api).unwrap();
            if r.class_count != theirs.len() || !r.classes.iter().all(|c| theirs.contains(c)) {
                failures.push(format!(
                    "{}: {api}: {} classes, dexdump {}",
                    file.display(),
                    r.class_count,
                    theirs.len()
                ));
            }
        }
        if !oracle.is_empty() {
            with_hits += 1;
        }
    }
    eprintln!("{compared} corpus files compared with dexdump, {with_hits} reference curated APIs");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(compared >= 10, "only {compared} corpus files compared");
    assert!(
        with_hits >= 3,
        "only {with_hits} corpus files reference a curated API"
    );
}

/// Smali sources: each unsafe pattern with its safe twin. `Client` uses
/// `TrustAll` and `ProceedClient`; the library verifier and the Kotlin-style
/// trust manager are referenced by nobody.
const SMALI: &[(&str, &str)] = &[
    (
        "TrustAll",
        r#".class public Lcom/example/app/TrustAll;
.super Ljava/lang/Object;
.implements Ljavax/net/ssl/X509TrustManager;
.method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    .registers 3
    return-void
.end method
"#,
    ),
    (
        "SafeTrust",
        r#".class public Lcom/example/app/SafeTrust;
.super Ljava/lang/Object;
.implements Ljavax/net/ssl/X509TrustManager;
.field private delegate:Ljavax/net/ssl/X509TrustManager;
.method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    .registers 4
    iget-object v0, p0, Lcom/example/app/SafeTrust;->delegate:Ljavax/net/ssl/X509TrustManager;
    invoke-interface {v0, p1, p2}, Ljavax/net/ssl/X509TrustManager;->checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V
    return-void
.end method
"#,
    ),
    (
        "KotlinTrustAll",
        r#".class public final Lcom/example/app/KotlinTrustAll;
.super Ljavax/net/ssl/X509ExtendedTrustManager;
.method public checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;Ljava/net/Socket;)V
    .registers 5
    const-string v0, "chain"
    invoke-static {p1, v0}, Lkotlin/jvm/internal/Intrinsics;->checkNotNullParameter(Ljava/lang/Object;Ljava/lang/String;)V
    return-void
.end method
"#,
    ),
    (
        "LibVerifier",
        r#".class public Lcom/lib/net/LibVerifier;
.super Ljava/lang/Object;
.implements Ljavax/net/ssl/HostnameVerifier;
.method public verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    .registers 4
    const/4 v0, 0x1
    return v0
.end method
"#,
    ),
    (
        "SafeVerifier",
        r#".class public Lcom/example/app/SafeVerifier;
.super Ljava/lang/Object;
.implements Ljavax/net/ssl/HostnameVerifier;
.method public verify(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z
    .registers 4
    const-string v0, "chat.example.com"
    invoke-virtual {v0, p1}, Ljava/lang/String;->equals(Ljava/lang/Object;)Z
    move-result v0
    return v0
.end method
"#,
    ),
    (
        "ProceedClient",
        r#".class public Lcom/example/app/ProceedClient;
.super Landroid/webkit/WebViewClient;
.method public onReceivedSslError(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V
    .registers 4
    invoke-virtual {p2}, Landroid/webkit/SslErrorHandler;->proceed()V
    return-void
.end method
"#,
    ),
    (
        "CancelClient",
        r#".class public Lcom/example/app/CancelClient;
.super Landroid/webkit/WebViewClient;
.method public onReceivedSslError(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V
    .registers 4
    invoke-virtual {p2}, Landroid/webkit/SslErrorHandler;->cancel()V
    return-void
.end method
"#,
    ),
    (
        "Client",
        r#".class public Lcom/example/app/Client;
.super Ljava/lang/Object;
.method public static make()V
    .registers 2
    new-instance v0, Lcom/example/app/TrustAll;
    invoke-direct {v0}, Lcom/example/app/TrustAll;-><init>()V
    new-instance v1, Lcom/example/app/ProceedClient;
    new-instance v1, Lcom/example/app/SafeTrust;
    return-void
.end method
"#,
    ),
];

/// Assembles `sources` with smali into a DEX file; `None` without smali.
fn assemble(sources: &[(&str, &str)]) -> Option<Vec<u8>> {
    if !common::tool_available("smali") {
        return None;
    }
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("msgaudit-smali-{}-{n}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(&src).unwrap();
    for (name, text) in sources {
        std::fs::write(src.join(format!("{name}.smali")), text).unwrap();
    }
    let out = dir.join("classes.dex");
    let status = Command::new("smali")
        .arg("a")
        .arg("-o")
        .arg(&out)
        .arg(&src)
        .status()
        .unwrap();
    assert!(status.success(), "smali failed");
    let bytes = std::fs::read(&out).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    Some(bytes)
}

fn patterns(code: &CodeFacts) -> Vec<(String, String, bool, bool)> {
    code.patterns
        .iter()
        .map(|p| (p.kind.clone(), p.class.clone(), p.own, p.referenced))
        .collect()
}

#[test]
fn unsafe_tls_patterns_are_found_and_safe_twins_are_not() {
    let Some(bytes) = assemble(SMALI) else { return };
    let code = scan_dex(&bytes, Some("com.example.app")).expect("readable");
    assert!(code.complete);
    let s = |x: &str| x.to_string();
    let expected: BTreeSet<_> = [
        (
            s("trust_all_certificates"),
            s("com.example.app.KotlinTrustAll"),
            true,
            false,
        ),
        (
            s("trust_all_certificates"),
            s("com.example.app.TrustAll"),
            true,
            true,
        ),
        (
            s("ssl_error_proceed"),
            s("com.example.app.ProceedClient"),
            true,
            true,
        ),
        (
            s("hostname_verifier_accepts_all"),
            s("com.lib.net.LibVerifier"),
            false,
            false,
        ),
    ]
    .into_iter()
    .collect();
    assert_eq!(
        patterns(&code).into_iter().collect::<BTreeSet<_>>(),
        expected
    );
    let tm = code
        .patterns
        .iter()
        .find(|p| p.class.ends_with(".TrustAll"))
        .unwrap();
    assert_eq!(
        tm.method,
        "checkServerTrusted([Ljava/security/cert/X509Certificate;Ljava/lang/String;)V"
    );
    let proceed = code
        .api_refs
        .iter()
        .find(|r| r.id == "ssl-error-proceed")
        .expect("proceed referenced");
    assert_eq!(proceed.classes, vec![s("com.example.app.ProceedClient")]);
    assert_eq!(proceed.requirements, vec![s("COM-01")]);
}

fn android_base() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facts/android-base.json");
    common::json_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn com01(code: &CodeFacts) -> msgaudit::checks::cel::RuleResult {
    let mut facts = android_base();
    facts["android"]["code"] = serde_json::to_value(code).unwrap();
    let set = CheckSet::builtin().unwrap();
    let check = set.get("COM-01-transport-encryption").unwrap();
    TargetContext::new(&facts, "2026-11-23").run(check, &json!({}))
}

#[test]
fn com01_fails_on_own_referenced_trust_all_and_warns_on_unreferenced_library_code() {
    let Some(bytes) = assemble(SMALI) else { return };
    let code = scan_dex(&bytes, Some("com.example.app")).expect("readable");
    let r = com01(&code);
    assert_eq!(r.outcome, Outcome::Fail, "{}", r.message.en);
    assert!(
        r.evidence
            .iter()
            .any(|e| e.value.contains("com.example.app.TrustAll")),
        "{:?}",
        r.evidence
    );

    // Only the unreferenced library verifier (and the safe twins): a warning.
    let lib_only: Vec<_> = SMALI
        .iter()
        .filter(|(n, _)| ["LibVerifier", "SafeTrust", "SafeVerifier", "CancelClient"].contains(n))
        .copied()
        .collect();
    let code = scan_dex(&assemble(&lib_only).unwrap(), Some("com.example.app")).unwrap();
    let r = com01(&code);
    assert_eq!(r.outcome, Outcome::Warn, "{}", r.message.en);
    assert!(
        r.evidence
            .iter()
            .any(|e| e.value.contains("com.lib.net.LibVerifier")),
        "{:?}",
        r.evidence
    );
    assert!(!r.message.de.is_empty() && r.message.de != r.message.en);

    // Only the safe twins: nothing from the code patterns.
    let safe: Vec<_> = SMALI
        .iter()
        .filter(|(n, _)| ["SafeTrust", "SafeVerifier", "CancelClient"].contains(n))
        .copied()
        .collect();
    let code = scan_dex(&assemble(&safe).unwrap(), Some("com.example.app")).unwrap();
    assert!(code.patterns.is_empty());
    assert_eq!(com01(&code).outcome, Outcome::Pass);
}

/// Broken class data and code items: no panic, `complete` false, a warning
/// naming the file.
#[test]
fn broken_code_leaves_the_facts_incomplete() {
    let Some(bytes) = assemble(SMALI) else { return };
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let classes = u32_at(&bytes, 96) as usize;
    let defs = u32_at(&bytes, 100) as usize;
    // 1. Every class's data points past the end of the file.
    let mut broken = bytes.clone();
    for i in 0..classes {
        let at = defs + i * 32 + 24;
        broken[at..at + 4].copy_from_slice(&(bytes.len() as u32 + 8).to_le_bytes());
    }
    // 2. Every class shares the first class's data (a hostile overlap): read, but bounded.
    let mut shared = bytes.clone();
    let first = u32_at(&bytes, defs + 24);
    for i in 0..classes {
        let at = defs + i * 32 + 24;
        shared[at..at + 4].copy_from_slice(&first.to_le_bytes());
    }
    for (name, file, complete) in [("past the end", broken, false), ("shared", shared, true)] {
        let dex = DexTables::parse(&file, &Limits::default()).unwrap();
        let mut scan = CodeScan::default();
        let mut warnings = Vec::new();
        scan.expect_files(1);
        scan.scan(&dex, "classes.dex", &mut warnings);
        let code = scan.finish(Some("com.example.app"), None);
        assert_eq!(code.complete, complete, "{name}: {warnings:?}");
        assert_eq!(warnings.is_empty(), complete, "{name}: {warnings:?}");
        assert!(
            warnings.iter().all(|w| w.starts_with("classes.dex: ")),
            "{warnings:?}"
        );
    }
    // A DEX file the scan never saw: not complete.
    let mut scan = CodeScan::default();
    scan.expect_files(1);
    assert!(!scan.finish(None, None).complete);
}

/// Every API reference a check cites says, in the reader's language, what
/// it means for the audit: the `why` of its entry in
/// `checks/android-apis.toml`, after a dash.
#[test]
fn cited_api_references_say_what_they_mean() {
    let out = common::run_msgaudit([
        "scan",
        "--as-of",
        "2026-12-05",
        "--format",
        "json",
        &common::sample("android/out/securechat-1.1.apk"),
    ]);
    // Read back as a program reads it: catalog references resolved.
    let report: msgaudit::assess::Assessment = serde_json::from_slice(&out.stdout).unwrap();
    let app04 = report.targets[0]
        .results
        .iter()
        .find(|r| r.check == "APP-04-storage-encrypted")
        .unwrap();
    let refs: Vec<(&str, &str)> = app04
        .evidence
        .iter()
        .filter(|e| e.kind == "api_ref")
        .map(|e| (e.value.as_str(), e.value_de.as_deref().unwrap_or_default()))
        .collect();
    assert!(
        refs.contains(&(
            "net.zetetic.database.sqlcipher.SQLiteDatabase.openOrCreateDatabase in org.example.securechat.MessageStore — opens an SQLCipher-encrypted database (package net.zetetic)",
            "net.zetetic.database.sqlcipher.SQLiteDatabase.openOrCreateDatabase in org.example.securechat.MessageStore — öffnet eine mit SQLCipher verschlüsselte Datenbank (Paket net.zetetic)"
        )),
        "{refs:?}"
    );
    assert!(
        refs.iter()
            .all(|(en, de)| en.contains(" — ") && de.contains(" — ")),
        "{refs:?}"
    );
}
