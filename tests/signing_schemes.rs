//! Signers that Android and other readers see differently: a JAR (v1)
//! signature naming a decoy signer in an app every device of which checks
//! only its v2/v3 signature (fdroidserver issue 1128), checked against
//! apksigner, which names the signer Android checks.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// The facts document of one APK; `None` when msgaudit refuses the file
/// (an archive trick Android refuses, which apksigner may still verify).
fn facts(apk: &Path) -> Option<Value> {
    let out = common::run_msgaudit([Path::new("facts"), apk]);
    let v = common::json(&out.stdout).ok()?;
    match v {
        Value::Array(mut a) if !a.is_empty() => Some(a.swap_remove(0)),
        Value::Array(_) => None,
        other => Some(other),
    }
}

/// The SHA-256 digests of the signer certificates apksigner prints for a
/// verified APK (empty when it does not verify).
fn apksigner_signers(apk: &Path) -> BTreeSet<String> {
    let Ok(out) = Command::new("apksigner")
        .args(["verify", "--print-certs"])
        .arg(apk)
        .output()
    else {
        return BTreeSet::new();
    };
    if !out.status.success() {
        return BTreeSet::new();
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once("certificate SHA-256 digest: "))
        .map(|(_, d)| d.trim().to_string())
        .collect()
}

/// The codes and English texts of an app's warnings.
fn warnings(facts: &Value) -> Vec<(String, String)> {
    facts["warning_details"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|w| {
                    (
                        w["code"].as_str().unwrap_or_default().to_string(),
                        w["en"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Every APK apksigner verifies among fdroidserver's and apksig's samples:
/// the certificates msgaudit marks as signing and checked by devices are
/// apksigner's signers and never marked unchecked; a certificate marked
/// unchecked comes with the `apk.signing.v1-ignored` warning naming it. The
/// two issue-1128 APKs with a decoy JAR signer (`poc1`: minSdkVersion 29,
/// `min-sdk-30-poc`: 30) are found; apksigner names only `CN=oops`.
#[test]
fn jar_signers_no_device_checks_are_named_and_agree_with_apksigner() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    if !common::tool_available("apksigner") {
        return;
    }
    let mut apks: Vec<_> = ["android/apk/fdroidserver", "android/apksig"]
        .iter()
        .flat_map(|d| common::files_under(&corpus.join(d)))
        .filter(|p| p.extension().is_some_and(|e| e == "apk"))
        .collect();
    apks.sort();
    let (mut compared, mut decoys) = (0, Vec::new());
    for apk in &apks {
        let theirs = apksigner_signers(apk);
        if theirs.is_empty() {
            continue;
        }
        let Some(f) = facts(apk) else {
            continue;
        };
        let Some(certs) = f["android"]["signing"]["certificates"].as_array() else {
            continue;
        };
        compared += 1;
        let name = apk.file_name().unwrap().to_string_lossy().to_string();
        let warned = warnings(&f);
        for c in certs {
            let sha = c["sha256"].as_str().unwrap();
            let unchecked = c["unchecked"].as_bool().unwrap_or(false);
            if theirs.contains(sha) {
                assert!(
                    !unchecked,
                    "{name}: apksigner's signer {sha} marked unchecked"
                );
            }
            if unchecked {
                assert!(
                    warned.iter().any(|(code, en)| code == "apk.signing.v1-ignored"
                        && en.contains(sha)
                        && theirs.iter().all(|t| en.contains(t.as_str()))),
                    "{name}: {sha} unchecked without a warning naming it and apksigner's signer: {warned:?}"
                );
                decoys.push((name.clone(), c["subject"].as_str().unwrap().to_string()));
            }
        }
        if !decoys.iter().any(|(n, _)| *n == name) {
            assert!(
                !warned
                    .iter()
                    .any(|(code, _)| code.starts_with("apk.signing.")),
                "{name}: a signing warning although every signer is checked: {warned:?}"
            );
        }
    }
    eprintln!("signing schemes: {compared} APKs apksigner verifies; decoy JAR signers {decoys:?}");
    assert!(compared >= 20, "too few APKs compared: {compared}");
    assert_eq!(
        decoys,
        [
            (
                "issue-1128-min-sdk-30-poc.apk".to_string(),
                "CN=monolith, OU=F-Droid".to_string()
            ),
            (
                "issue-1128-poc1.apk".to_string(),
                "CN=Ciaran Gultnieks, OU=Unknown, O=Unknown, L=Wetherby, ST=Unknown, C=UK"
                    .to_string()
            ),
        ]
    );
}

/// The report's signing certificate table lists the certificate devices
/// check first and says of the decoy that no device checks it, in both
/// languages; the reading notes carry the warning.
#[test]
fn the_report_names_the_signer_devices_check_first() {
    let Some(corpus) = common::corpus_dir() else {
        return;
    };
    let apk = corpus.join("android/apk/fdroidserver/issue-1128-poc1.apk");
    for (lang, unchecked, note) in [
        (
            "de",
            "v1 — kein Gerät prüft dieses Zertifikat (siehe die Hinweise beim Lesen)",
            "die JAR-Signatur (v1) nennt als Signierer CN=Ciaran Gultnieks",
        ),
        (
            "en",
            "v1 — no device checks this certificate (see the reading notes)",
            "the JAR signature (v1) names the signer CN=Ciaran Gultnieks",
        ),
    ] {
        let out = common::run_msgaudit([
            "scan",
            "--as-of",
            "2026-12-05",
            "--lang",
            lang,
            "--format",
            "md",
            apk.to_str().unwrap(),
        ]);
        let md = String::from_utf8_lossy(&out.stdout);
        let oops = md.find("`CN=oops`").expect("the checked signer is listed");
        let decoy = md
            .find("`CN=Ciaran Gultnieks")
            .expect("the decoy is listed");
        assert!(oops < decoy, "{lang}: the checked signer first");
        assert!(md.contains(unchecked), "{lang}: {md}");
        assert!(md.contains(note), "{lang}: {md}");
    }
}
