//! Inventory adapters: samples, the real corpus, detection, pseudonymization,
//! derived ages and hostile input.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use msgaudit::extract::inventory::InventoryError;
use msgaudit::extract::{extract_bytes, extract_path, ExtractError, ExtractOptions};
use msgaudit::facts::{Device, Facts, InventoryFacts};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories")
}

/// The sample exports (not the mapping files and the README).
fn sample_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.extension().is_some_and(|e| e == "toml" || e == "md"))
        // Intune compliance exports and installed-app lists hold no devices
        // (tests/fleet_join.rs, tests/messengers.rs).
        .filter(|p| {
            !p.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with("intune-compliance-") || n.starts_with("installed-apps-")
            })
        })
        .collect();
    v.sort();
    assert_eq!(v.len(), 11, "{v:?}");
    v
}

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("MSGAUDIT_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if dir.join("mdm").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: corpus not found at {} (set MSGAUDIT_CORPUS)",
            dir.display()
        );
        None
    }
}

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: day("2026-11-23"),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn inv(facts: Facts) -> InventoryFacts {
    match facts {
        Facts::Inventory(i) => *i,
        Facts::App(_) => panic!("expected an inventory"),
    }
}

fn read(path: &Path, o: &ExtractOptions) -> InventoryFacts {
    inv(extract_path(path, o).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn sample(name: &str) -> InventoryFacts {
    read(&samples().join(name), &opts())
}

fn bytes(text: &str, o: &ExtractOptions) -> Result<InventoryFacts, ExtractError> {
    extract_bytes("test-input", text.as_bytes(), o).map(inv)
}

fn by_os<'a>(i: &'a InventoryFacts, os: &str) -> &'a Device {
    i.devices
        .iter()
        .find(|d| d.os_version.as_deref() == Some(os))
        .unwrap_or_else(|| panic!("no device with OS {os}"))
}

#[test]
fn intune_graph_sample() {
    let i = sample("intune-graph-managedDevices.json");
    assert_eq!(i.format, "intune-graph");
    assert_eq!(i.devices.len(), 6);
    let good = by_os(&i, "26.5");
    assert_eq!(good.platform.as_deref(), Some("ios"));
    assert_eq!(good.encryption, Some(true));
    assert_eq!(good.compromised, Some(false));
    assert_eq!(good.managed, Some(true));
    assert_eq!(good.passcode, None, "Intune has no passcode field");
    assert_eq!(good.ownership.as_deref(), Some("corporate"));
    assert_eq!(good.days_since_check_in, Some(2));
    assert_eq!(good.os_support.supported, Some(true));
    assert_eq!(good.os_support.up_to_date, Some(true));
    let stale = by_os(&i, "14");
    assert_eq!(stale.security_patch_level.as_deref(), Some("2026-03-05"));
    assert_eq!(stale.patch_age_days, Some(263));
    assert_eq!(stale.days_since_check_in, Some(83));
    assert_eq!(
        stale.compromised, None,
        "jailBroken = Unknown stays unknown"
    );
    assert_eq!(
        stale.raw.compromised.as_deref(),
        Some("jailBroken = \"Unknown\"")
    );
    let jb = by_os(&i, "17.6.1");
    assert_eq!(jb.compromised, Some(true));
    assert_eq!(jb.os_support.supported, Some(false));
    let eas = by_os(&i, "15");
    assert_eq!(
        eas.managed,
        Some(false),
        "an EAS-only device is not MDM-managed"
    );
    assert_eq!(eas.last_check_in, None, "0001-01-01 is a sentinel");
    assert!(
        i.warnings.iter().any(|w| w.to_string()
            == "2 devices: the export says jailBroken = \"Unknown\"; the root/jailbreak status is left unknown"),
        "{:?}",
        i.warnings
    );
    let ipad = by_os(&i, "18.6.2");
    assert_eq!(ipad.platform.as_deref(), Some("ipados"));
    assert_eq!(ipad.os_build.as_deref(), Some("22G100"));
    assert_eq!(ipad.os_support.up_to_date, Some(false));
}

#[test]
fn intune_json_lines_and_csv() {
    let i = sample("intune-graph-pages.jsonl");
    assert_eq!(i.devices.len(), 2);
    assert_eq!(by_os(&i, "13").os_support.supported, Some(false));
    let c = sample("intune-portal-export.csv");
    assert_eq!(c.format, "intune-csv");
    assert_eq!(c.devices.len(), 5);
    let d = by_os(&c, "26.5");
    assert_eq!(
        d.last_check_in.as_deref(),
        Some("2026-11-21T06:12:44+00:00")
    );
    assert_eq!(d.record, "line 3");
    let eas = by_os(&c, "11");
    assert_eq!(eas.managed, Some(false));
    assert_eq!(eas.encryption, Some(false));
    assert_eq!(by_os(&c, "16.7.10").compromised, Some(true));
    // Evidence quotes the columns as the export names them, not the names
    // msgaudit reads them under (`agent`, `lastcheckin`).
    let tab = by_os(&c, "14");
    assert_eq!(tab.raw.managed.as_deref(), Some("Managed by = \"Intune\""));
    assert_eq!(
        tab.raw.last_check_in.as_deref(),
        Some("Last check-in = \"2026-09-01 11:00:00\"")
    );
    assert_eq!(tab.raw.os_version.as_deref(), Some("OS version = \"14\""));
    assert_eq!(
        tab.raw.security_patch_level.as_deref(),
        Some("Security patch level = \"2026-03-05\"")
    );
    let jamf = sample("jamf-advanced-search.csv");
    let ipad = by_os(&jamf, "26.5");
    assert_eq!(
        ipad.raw.encryption.as_deref(),
        Some("Data Protection = \"Yes\"")
    );
    assert_eq!(
        ipad.raw.last_check_in.as_deref(),
        Some("Last Inventory Update = \"2026-11-22 09:13:20\"")
    );
}

#[test]
fn jamf_samples() {
    let x = sample("jamf-mobile-devices.xml");
    assert_eq!(x.format, "jamf-xml");
    assert_eq!(x.devices.len(), 4);
    let good = by_os(&x, "26.5");
    assert_eq!(good.platform.as_deref(), Some("ipados"));
    assert_eq!(
        (good.passcode, good.encryption, good.compromised),
        (Some(true), Some(true), Some(false))
    );
    assert_eq!(good.days_since_check_in, Some(1));
    assert_eq!(
        good.encryption_detail.as_deref(),
        Some("security.hardware_encryption = \"3\"")
    );
    let bad = by_os(&x, "17.7.10");
    assert_eq!(
        (bad.passcode, bad.encryption, bad.compromised),
        (Some(false), Some(false), Some(true))
    );
    assert_eq!(bad.cloud_backup, Some(true));
    assert_eq!(bad.ownership.as_deref(), Some("personal"));
    let unk = by_os(&x, "15.8.3");
    assert_eq!(
        (unk.passcode, unk.compromised, unk.managed),
        (None, None, Some(false))
    );
    assert_eq!(unk.days_since_check_in, Some(205));

    let j = sample("jamf-pro-inventory.json");
    assert_eq!(j.format, "jamf-json");
    assert_eq!(j.devices.len(), 3);
    let rsr = by_os(&j, "18.5");
    assert_eq!(rsr.os_rsr_suffix.as_deref(), Some("(a)"));
    assert_eq!(rsr.passcode, None);
    assert_eq!(by_os(&j, "15.8.8").passcode_compliant, Some(false));

    let c = sample("jamf-advanced-search.csv");
    assert_eq!(c.format, "jamf-csv");
    let v = by_os(&c, "16.7.2");
    assert_eq!(
        (v.encryption, v.compromised, v.passcode_compliant),
        (Some(false), Some(true), Some(false))
    );
    assert_eq!(by_os(&c, "18.7.9").encryption, None);
}

#[test]
fn workspace_one_amapi_apple_generic_samples() {
    let w = sample("workspace-one-devices.json");
    assert_eq!(w.format, "workspace-one");
    let a = by_os(&w, "13.0");
    assert_eq!(a.security_patch_level.as_deref(), Some("2025-05-01"));
    assert_eq!(a.compromised, Some(true));
    assert_eq!(a.ownership.as_deref(), Some("personal"));
    assert_eq!(
        a.encryption, None,
        "DataProtectionStatus has no documented meaning"
    );
    let i = by_os(&w, "18.7.9");
    assert_eq!((i.passcode, i.encryption), (Some(true), Some(true)));
    let u = by_os(&w, "26.1");
    assert_eq!(
        (u.managed, u.cloud_backup, u.ownership.as_deref()),
        (Some(false), Some(true), None)
    );

    let m = sample("android-management-devices.json");
    assert_eq!(m.format, "android-management");
    let dk = by_os(&m, "13");
    assert_eq!(dk.encryption_detail.as_deref(), Some("ACTIVE_DEFAULT_KEY"));
    assert_eq!(dk.compromised, Some(true));
    assert_eq!(dk.passcode, Some(false));
    let wp = by_os(&m, "14");
    assert_eq!(wp.raw.os_version.as_deref(), Some("apiLevel = 34"));
    assert_eq!(wp.security_patch_level, None);
    assert_eq!(wp.management_mode.as_deref(), Some("PROFILE_OWNER"));

    let p = sample("apple-mdm-responses.plist");
    assert_eq!(p.format, "apple-mdm");
    assert_eq!(
        p.devices.len(),
        3,
        "two devices merged from 4 responses, one BYOD, one error skipped"
    );
    assert!(p
        .warnings
        .iter()
        .any(|w| w.to_string().contains("response 6")));
    let good = by_os(&p, "26.5");
    assert_eq!(
        (good.passcode, good.encryption, good.supervised),
        (Some(true), Some(true), Some(true))
    );
    let nopc = by_os(&p, "16.7.10");
    assert_eq!(
        (nopc.passcode, nopc.encryption, nopc.cloud_backup),
        (Some(false), Some(false), Some(true))
    );
    let byod = by_os(&p, "18.7.9");
    assert_eq!(
        (byod.user_enrollment, byod.passcode, byod.encryption),
        (Some(true), None, None)
    );
    assert_eq!(byod.ownership.as_deref(), Some("personal"));

    let g = sample("generic-devices.csv");
    assert_eq!(g.format, "csv");
    let de = by_os(&g, "16");
    assert_eq!(
        (de.passcode, de.managed, de.compromised),
        (Some(true), Some(true), Some(false))
    );
    assert_eq!(
        de.last_check_in.as_deref(),
        Some("2026-11-22T09:30:00+00:00")
    );
    let m = sample("generic-custom.csv");
    assert_eq!(m.format, "csv");
    assert_eq!(m.devices.len(), 3);
    let k = by_os(&m, "12");
    assert_eq!(
        (k.platform.as_deref(), k.passcode, k.managed),
        (Some("android"), Some(false), Some(false))
    );
    assert_eq!(
        by_os(&m, "26.5").compromised,
        None,
        "k.A. is mapped to unknown"
    );
}

#[test]
fn detection_and_forcing() {
    let expect = [
        ("intune-graph-managedDevices.json", "intune-graph"),
        ("intune-graph-pages.jsonl", "intune-graph"),
        ("intune-portal-export.csv", "intune-csv"),
        ("jamf-mobile-devices.xml", "jamf-xml"),
        ("jamf-pro-inventory.json", "jamf-json"),
        ("jamf-advanced-search.csv", "jamf-csv"),
        ("workspace-one-devices.json", "workspace-one"),
        ("android-management-devices.json", "android-management"),
        ("apple-mdm-responses.plist", "apple-mdm"),
        ("generic-devices.csv", "csv"),
        ("generic-custom.csv", "csv"),
    ];
    for (file, format) in expect {
        assert_eq!(sample(file).format, format, "{file}");
    }
    let forced = read(
        &samples().join("intune-portal-export.csv"),
        &ExtractOptions {
            inventory_format: Some("csv".into()),
            ..opts()
        },
    );
    assert_eq!(forced.format, "csv");
    let err = extract_path(
        &samples().join("intune-portal-export.csv"),
        &ExtractOptions {
            inventory_format: Some("mobileiron".into()),
            ..opts()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            ExtractError::Inventory(InventoryError::UnknownFormat(_))
        ),
        "{err}"
    );
}

/// Clear personal values in the samples; none may appear unless revealed.
const CLEAR: &[&str] = &[
    "pflege.4b@klinikum-beispiel.de",
    "STATION-4B-IPHONE",
    "F2LXX0000001",
    "35 000000 000001 1",
    "+49 30 0000001",
    "notaufnahme",
    "op.saal3",
    "op3@klinikum-beispiel.de",
    "OP-Saal-3-iPad",
    "00008110-000000000000001E",
    "DMPXX0000001",
    "kardio.dienst",
    "kardio@klinikum-beispiel.de",
    "350000000000021",
    "00008030-000000000000002A",
    "100000000000000000001",
    "R5CX00000000",
    "Intensiv-iPhone-1",
    "HXQXX000A001",
    "00008101-00000000000A001C",
    "BYOD-ENROLLMENT-C001",
    "Chefarzt-iPhone",
    "chefarzt@klinikum-beispiel.de",
    "K-101",
    "Labor-Scanner-A2",
    "R52X0000A002",
    "Visite-iPhone",
    "radiologie@klinikum-beispiel.de",
    "3f2b9c1e-0000-4000-8000-0000000000a1",
];

#[test]
fn no_clear_identifiers_unless_revealed() {
    let mut all = String::new();
    let mut revealed = String::new();
    for path in sample_files() {
        let facts = read(&path, &opts());
        let json = serde_json::to_string(&facts).unwrap();
        for clear in CLEAR {
            assert!(!json.contains(clear), "{} leaks {clear}", path.display());
        }
        all.push_str(&json);
        let o = ExtractOptions {
            reveal_identities: true,
            ..opts()
        };
        revealed.push_str(&serde_json::to_string(&read(&path, &o)).unwrap());
    }
    assert!(all.contains("\"pn-"));
    for clear in CLEAR {
        let json_form = serde_json::to_string(clear).unwrap();
        assert!(
            revealed.contains(json_form.trim_matches('"')),
            "revealed output lacks {clear}"
        );
    }
}

#[test]
fn pseudonyms_stable_across_formats_and_keyed() {
    // The same serial in the Intune and the Jamf sample maps to the same pseudonym.
    let intune = sample("intune-graph-managedDevices.json");
    let jamf = sample("jamf-mobile-devices.xml");
    let s1 = by_os(&intune, "18.6.2").identifiers.serial.clone().unwrap();
    let s2 = by_os(&jamf, "26.5").identifiers.serial.clone().unwrap();
    assert_eq!(s1, s2);
    assert!(s1.starts_with("pn-") && s1.len() == 15);
    // Same e-mail, different case and surrounding space → same pseudonym.
    let csv = "device_id,platform,os_version,email\n1,ios,26.5,Pflege.4B@Klinikum-Beispiel.de \n2,ios,26.5,pflege.4b@klinikum-beispiel.de\n";
    let i = bytes(csv, &opts()).unwrap();
    assert_eq!(
        i.devices[0].identifiers.email,
        i.devices[1].identifiers.email
    );
    let other = bytes(
        csv,
        &ExtractOptions {
            pseudonym_key: Some("another-key".into()),
            ..opts()
        },
    )
    .unwrap();
    assert_ne!(
        i.devices[0].identifiers.email,
        other.devices[0].identifiers.email
    );
    // No key: the default key is used and the facts say so.
    let default = bytes(
        csv,
        &ExtractOptions {
            pseudonym_key: None,
            ..opts()
        },
    )
    .unwrap();
    assert!(default
        .warnings
        .iter()
        .any(|w| w.to_string().contains("public default key")));
    assert!(!i
        .warnings
        .iter()
        .any(|w| w.to_string().contains("default key")));
}

#[test]
fn patch_and_check_in_age_boundaries() {
    // Audit date 2026-11-23: 90 days before is 2026-08-25, 30 days before 2026-10-24.
    let csv = "device_id,platform,os_version,android_patch_level,last_checkin\n\
               at,android,16,2026-08-25,2026-10-24T23:59:59Z\n\
               over,android,16,2026-08-24,2026-10-23T00:00:00Z\n\
               today,android,16,2026-11-23,2026-11-23T00:00:00Z\n";
    let i = bytes(csv, &opts()).unwrap();
    let ages: Vec<_> = i
        .devices
        .iter()
        .map(|d| (d.patch_age_days, d.days_since_check_in))
        .collect();
    assert_eq!(
        ages,
        vec![
            (Some(90), Some(30)),
            (Some(91), Some(31)),
            (Some(0), Some(0))
        ]
    );
    // Another audit date moves the ages; an unknown date stays unknown.
    let o = ExtractOptions {
        as_of: day("2026-11-24"),
        ..opts()
    };
    let j = bytes(
        "device_id,platform,os_version,android_patch_level\nx,android,16,\n",
        &o,
    )
    .unwrap();
    assert_eq!(j.devices[0].patch_age_days, None);
    assert_eq!(bytes(csv, &o).unwrap().devices[0].patch_age_days, Some(91));
}

#[test]
fn os_data_override() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("os.toml");
    std::fs::write(
        &path,
        "as_of = \"2027-01-01\"\n[android]\nlatest_patch_level = \"2026-12-05\"\n\
         [[android.versions]]\nmajor = \"16\"\nsecurity_updates = \"no\"\nsecurity_updates_until = \"2026-12-31\"\n",
    )
    .unwrap();
    let o = ExtractOptions {
        os_data: Some(path),
        as_of: day("2027-01-02"),
        ..opts()
    };
    let i = bytes(
        "device_id,platform,os_version,android_patch_level\nx,android,16,2026-12-05\n",
        &o,
    )
    .unwrap();
    let s = &i.devices[0].os_support;
    assert_eq!(
        (s.known, s.supported, s.up_to_date),
        (true, Some(false), Some(true))
    );
    assert_eq!(s.security_updates_until.as_deref(), Some("2026-12-31"));
    let bad = ExtractOptions {
        os_data: Some(dir.path().join("missing.toml")),
        ..opts()
    };
    let e = bytes("device_id,platform,os_version\nx,ios,26\n", &bad).unwrap_err();
    assert!(e.to_string().contains("OS support data"), "{e}");
}

#[test]
fn corpus_files_match_recorded_values() {
    let Some(c) = corpus() else { return };
    let mdm = c.join("mdm");
    let i = read(&mdm.join("intune/graph-beta-managedDevices.json"), &opts());
    assert_eq!(i.format, "intune-graph");
    assert_eq!(i.devices.len(), 2);
    let ios = by_os(&i, "14.4");
    assert_eq!(ios.platform.as_deref(), Some("ios"));
    assert_eq!(
        (ios.encryption, ios.compromised, ios.managed),
        (Some(true), Some(false), Some(true))
    );
    assert_eq!(ios.ownership.as_deref(), Some("personal"));
    assert_eq!(ios.compliance_state.as_deref(), Some("noncompliant"));
    assert_eq!(
        ios.last_check_in.as_deref(),
        Some("2021-03-10T00:24:15+00:00")
    );
    assert_eq!(ios.os_support.supported, Some(false));
    assert!(ios
        .encryption_detail
        .as_deref()
        .is_some_and(|d| d.contains("disagrees")));
    assert_eq!(ios.encryption_contradiction.as_deref(), Some("export"));
    let checks: std::collections::HashMap<_, _> = load_checks().into_iter().collect();
    assert_eq!(
        evaluate(
            &checks["DEV-03-encryption"],
            &device_json(&i, ios),
            "2026-11-23"
        )
        .unwrap(),
        "warn"
    );
    let mac = by_os(&i, "11.2.1");
    assert_eq!(
        (mac.platform.as_deref(), mac.os_build.as_deref()),
        (Some("macos"), Some("20D74"))
    );
    assert_eq!(mac.managed, Some(false), "managementState retireIssued");
    assert_eq!(mac.compromised, None);
    let docs = read(
        &mdm.join("intune/graph-v1-managedDevices-docs-example.json"),
        &opts(),
    );
    assert_eq!(docs.devices.len(), 1);
    assert_eq!(
        docs.devices[0].compromised, None,
        "placeholder 'Jail Broken value'"
    );
    assert!(!docs.devices[0].os_support.known);

    let a = read(
        &mdm.join("android-management/amapi-device-nexus5x-device-owner.json"),
        &opts(),
    );
    let d = &a.devices[0];
    assert_eq!(d.os_version.as_deref(), Some("8.0.0"));
    assert_eq!(d.security_patch_level.as_deref(), Some("2017-10-05"));
    assert_eq!((d.supervised, d.managed), (Some(true), Some(true)));
    assert_eq!(d.os_support.supported, Some(false));
    let s = read(
        &mdm.join("android-management/amapi-device-samsung-profile-owner.json"),
        &opts(),
    );
    let d = &s.devices[0];
    assert_eq!(
        (d.os_version.as_deref(), d.security_patch_level.as_deref()),
        (Some("14"), None)
    );
    assert_eq!(
        (d.ownership.as_deref(), d.compromised),
        (Some("personal"), Some(false))
    );

    let j = read(
        &mdm.join("jamf/classic-mobiledevice-detail-api-example.json"),
        &opts(),
    );
    let d = &j.devices[0];
    assert_eq!(
        (d.os_version.as_deref(), d.os_build.as_deref()),
        (Some("10.3.2"), Some("14F89"))
    );
    assert_eq!(
        (d.passcode, d.encryption, d.compromised),
        (Some(true), Some(true), Some(false))
    );
    assert_eq!(
        d.last_check_in.as_deref(),
        Some("2017-07-07T23:37:04.555+00:00")
    );
    assert_eq!(d.os_support.supported, Some(false));
    let l = read(
        &mdm.join("jamf/classic-JSSResource-mobiledevices-list.json"),
        &opts(),
    );
    assert_eq!(l.devices.len(), 3);
    assert_eq!(l.devices[1].platform.as_deref(), Some("ipados"));
    assert_eq!(
        read(
            &mdm.join("jamf/classic-JSSResource-mobiledevices-EMPTY.json"),
            &opts()
        )
        .devices
        .len(),
        0
    );

    let w = read(
        &mdm.join("workspace-one/mdm-devices-search-resp.json"),
        &opts(),
    );
    assert_eq!(w.devices.len(), 2);
    assert_eq!(w.devices[0].compromised, Some(false));
    assert_eq!(w.devices[1].compromised, None, "CompromisedStatus missing");
    assert_eq!(w.devices[0].platform.as_deref(), Some("windows"));

    let sec = read(
        &mdm.join("apple/micromdm-ios9-SecurityInfo-response.plist"),
        &opts(),
    );
    let d = &sec.devices[0];
    assert_eq!(
        (d.passcode, d.encryption, d.passcode_compliant),
        (Some(false), Some(false), Some(true))
    );
    let info = read(
        &mdm.join("apple/apple-docs-DeviceInformation-response-iphone.plist"),
        &opts(),
    );
    let d = &info.devices[0];
    assert_eq!(
        (d.os_version.as_deref(), d.os_build.as_deref()),
        (Some("13.0"), Some("17A576"))
    );
    assert_eq!((d.supervised, d.cloud_backup), (Some(true), Some(false)));
    assert_eq!(d.platform.as_deref(), Some("ios"));
    let err = read(
        &mdm.join("apple/micromdm-macos10.11-Error-response.plist"),
        &opts(),
    );
    assert!(
        err.devices.is_empty()
            && err
                .warnings
                .iter()
                .any(|w| w.to_string().contains("Status = Error"))
    );

    // Real names, e-mails, phone numbers and serials in the recordings never
    // reach the facts.
    for (file, clear) in [
        (
            "intune/graph-beta-managedDevices.json",
            &[
                "Michael Knoedel",
                "redacted@email.com",
                "683dbff1-c8ff-4996-91ae-85484de46cfc",
            ][..],
        ),
        (
            "jamf/classic-JSSResource-mobiledevices-list.json",
            &[
                "Rory Overbey",
                "Heriberto Truby",
                "612-356-4364",
                "CA44C68660A3",
                "ca44c66860a311e490b812df261f2c7e",
            ][..],
        ),
        (
            "jamf/classic-mobiledevice-detail-api-example.json",
            &[
                "JBetty",
                "jbetty@company.com",
                "Betty Jackson",
                "C02Q7KHTGFWF",
                "Tinas iPad",
            ][..],
        ),
        (
            "android-management/amapi-device-nexus5x-device-owner.json",
            &[
                "353626070676775",
                "01ed07873b3c20cd",
                "114223373813435875042",
            ][..],
        ),
        (
            "apple/apple-docs-DeviceInformation-response-iphone.plist",
            &[
                "C7CX706CKWTK",
                "00008020-000915083C80012E",
                "35 735005 003432 4",
            ][..],
        ),
    ] {
        let json = serde_json::to_string(&read(&mdm.join(file), &opts())).unwrap();
        for c in clear {
            assert!(!json.contains(c), "{file} leaks {c}");
        }
    }

    // The header-only Intune CSV derived from Microsoft's column list is
    // recognised by its display-name headers (and holds no devices).
    let h = read(
        &mdm.join("intune/DevicesWithInventory-header-DERIVED.csv"),
        &opts(),
    );
    assert_eq!((h.format.as_str(), h.devices.len()), ("intune-csv", 0));

    // Policies and admin lists are not device inventories.
    for f in [
        "intune/graph-v1-deviceCompliancePolicies.json",
        "workspace-one/API-system-admins-search.json",
    ] {
        assert!(extract_path(&mdm.join(f), &opts()).is_err(), "{f}");
    }
}

/// A binary plist of `levels` nested arrays, each holding `fanout`
/// references to the next one (shared, so the file stays tiny).
fn binary_plist_bomb(levels: usize, fanout: u8) -> Vec<u8> {
    assert!(fanout < 15 && levels < 60_000);
    let mut out = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for level in 0..levels {
        offsets.push(out.len());
        out.push(0xA0 | fanout);
        let next = (level + 1) as u16;
        for _ in 0..fanout {
            out.extend_from_slice(&next.to_be_bytes());
        }
    }
    offsets.push(out.len());
    out.extend_from_slice(&[0x10, 0x01]);
    let table = out.len();
    for o in &offsets {
        out.extend_from_slice(&(*o as u32).to_be_bytes());
    }
    out.extend_from_slice(&[0; 6]);
    out.push(4); // offset int size
    out.push(2); // object ref size
    out.extend_from_slice(&(offsets.len() as u64).to_be_bytes());
    out.extend_from_slice(&0u64.to_be_bytes());
    out.extend_from_slice(&(table as u64).to_be_bytes());
    out
}

fn err_of(text: &[u8], format: Option<&str>) -> String {
    let o = ExtractOptions {
        inventory_format: format.map(str::to_string),
        ..opts()
    };
    match extract_bytes("hostile", text, &o) {
        Ok(f) => panic!("expected an error, got {} devices", inv(f).devices.len()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn malformed_exports_give_clear_errors() {
    let e = err_of(
        br#"{"value":[{"id":"1","userPrincipalName":"geheim@x.de","#,
        None,
    );
    assert!(e.contains("truncated"), "{e}");
    assert!(!e.contains("geheim"), "no personal data in errors: {e}");
    let e = err_of(b"{\"value\": [}", Some("intune-graph"));
    assert!(e.contains("JSON syntax error at line 1"), "{e}");
    let e = err_of(
        b"<mobile_devices><mobile_device><general><id>1</id></general>",
        None,
    );
    assert!(e.contains("truncated") || e.contains("ill-formed"), "{e}");
    let bomb = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>
<mobile_devices><mobile_device><general><name>&lol2;</name></general></mobile_device></mobile_devices>"#;
    assert!(err_of(bomb, None).contains("entities"));
    let plist_bomb = br#"<?xml version="1.0"?><!DOCTYPE plist [<!ENTITY a "aaaaaaaaaa">]><plist><dict><key>OSVersion</key><string>&a;</string></dict></plist>"#;
    assert!(err_of(plist_bomb, None).contains("entities"));
    let xxe = br#"<mobile_device><general><name>&xxe;</name></general></mobile_device>"#;
    assert!(err_of(xxe, None).contains("undefined entity"));
    let deep = format!(
        "<mobile_devices>{}{}</mobile_devices>",
        "<a>".repeat(400),
        "</a>".repeat(400)
    );
    assert!(err_of(deep.as_bytes(), None).contains("deeper than"));
    assert!(err_of(b"", Some("intune-graph")).contains("empty"));
    assert!(err_of(b"\x00\x01\x02binary junk", None).contains("not a recognised"));
    assert!(err_of(b"bplist00garbage", None).contains("property list"));
    let e = err_of(&binary_plist_bomb(8, 14), None);
    assert!(
        e.contains("--max-plist-decoded")
            && e.contains("a value referenced many times counts each time"),
        "{e}"
    );
    let e = err_of(&binary_plist_bomb(300, 1), None);
    assert!(e.contains("deeper than"), "{e}");
}

#[test]
fn malformed_records_are_skipped_with_warnings() {
    // Wrong types: a string record and a number among good records.
    let i = bytes(
        r#"{"value":["geheim@x.de", 42, {"id":"1","operatingSystem":"iOS","osVersion":"26.5","isEncrypted":"yes","jailBroken":7}]}"#,
        &ExtractOptions {
            inventory_format: Some("intune-graph".into()),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(i.devices.len(), 1);
    assert_eq!(
        i.devices[0].compromised, None,
        "a number is not a jailbreak answer"
    );
    let w: Vec<_> = i
        .warnings
        .iter()
        .filter(|w| w.to_string().starts_with("record"))
        .collect();
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].to_string().starts_with("record 1:") && w[1].to_string().starts_with("record 2:"));
    assert!(!i.warnings.iter().any(|w| w.to_string().contains("geheim")));

    // A CSV with a 1 MB field (over the 64 KiB field limit, under the 8 MiB
    // row limit): that row is skipped, the others are read, and the export
    // says it was read only in part (line 3 unread, reading went on).
    let mut csv = String::from("device_id,platform,os_version,owner\n1,ios,26.5,a\n2,ios,26.5,");
    csv.push_str(&"x".repeat(1 << 20));
    csv.push_str("\n3,android,16,c\n");
    let i = bytes(&csv, &opts()).unwrap();
    assert_eq!(i.devices.len(), 2);
    let p = i.partial.as_ref().expect("partial");
    assert_eq!(
        (p.stopped_at, p.resumed, p.devices_read),
        (Some(msgaudit::extract::inventory::Place::Line(3)), true, 2)
    );
    assert!(
        i.warnings
            .iter()
            .any(|w| w.to_string().starts_with("line 3:")
                && w.to_string().contains("over the limit")),
        "{:?}",
        i.warnings
    );

    // A huge XML text field marks only its record.
    let xml = format!(
        "<mobile_devices><mobile_device><general><id>1</id><os_version>{}</os_version></general></mobile_device>\
         <mobile_device><general><id>2</id><os_version>26.5</os_version></general></mobile_device></mobile_devices>",
        "9".repeat(2 << 20)
    );
    let i = bytes(&xml, &opts()).unwrap();
    assert_eq!(i.devices.len(), 1);
    assert!(i
        .warnings
        .iter()
        .any(|w| w.to_string().starts_with("record 1:")));

    // A 3 MB value inside a JSON record (under the 8 MiB record limit) is
    // ignored, not stored.
    let huge = format!(
        r#"{{"value":[{{"id":"1","operatingSystem":"iOS","osVersion":"{}","deviceName":"{}"}}]}}"#,
        "1".repeat(3 << 20),
        "n".repeat(3 << 20)
    );
    let i = bytes(
        &huge,
        &ExtractOptions {
            reveal_identities: true,
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(i.devices[0].os_version, None);
    assert_eq!(i.devices[0].name, None);
    assert!(i.devices[0].raw.os_version.as_ref().unwrap().len() < 200);

    // Nesting far beyond serde_json's limit is an error, not a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = bytes(
        &deep,
        &ExtractOptions {
            inventory_format: Some("intune-graph".into()),
            ..opts()
        },
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("JSON"), "{e}");

    // JSON lines with one broken line.
    let i = bytes(
        "{\"id\":\"1\",\"operatingSystem\":\"iOS\",\"osVersion\":\"26.5\"}\n{\"id\":\"2\",\"operatingSystem\":\n{\"id\":\"3\",\"operatingSystem\":\"Android\",\"osVersion\":\"16\"}\n",
        &opts(),
    );
    // The broken line swallows the next line up to its end: never a panic,
    // and the first record is kept.
    let i = i.unwrap();
    assert!(!i.devices.is_empty());
    assert!(i.warnings.iter().any(|w| w.to_string().contains("JSON")));
}

// ---------------------------------------------------------------------------
// Device check files: every rule compiles and evaluates on every sample
// device, and the outcomes a user relies on come out. This mirrors the
// documented check semantics (first matching rule decides); the checks
// engine itself lives elsewhere.

fn load_checks() -> Vec<(String, toml::Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("checks/device");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        let v: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        out.push((v["id"].as_str().unwrap().to_string(), v));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The outcome of `check` for one device JSON, or the error.
fn evaluate(check: &toml::Value, facts: &serde_json::Value, as_of: &str) -> Result<String, String> {
    let params: serde_json::Value = check
        .get("params")
        .map(|p| serde_json::to_value(p).unwrap())
        .unwrap_or_else(|| serde_json::json!({}));
    for rule in check["rule"].as_array().unwrap() {
        let mut ctx = cel::Context::default();
        ctx.add_variable("facts", facts.clone()).unwrap();
        ctx.add_variable("params", params.clone()).unwrap();
        ctx.add_variable("as_of", as_of.to_string()).unwrap();
        let when = rule["when"].as_str().unwrap();
        let prog = cel::Program::compile(when).map_err(|e| format!("compile {when}: {e}"))?;
        match prog.execute(&ctx).map_err(|e| format!("{when}: {e}"))? {
            cel::Value::Bool(true) => {}
            cel::Value::Bool(false) => continue,
            other => return Err(format!("{when}: not a bool: {other:?}")),
        }
        for lang in ["de", "en"] {
            assert!(rule["message"][lang]
                .as_str()
                .is_some_and(|m| !m.is_empty()));
        }
        if let Some(ev) = rule.get("evidence").and_then(|e| e.as_str()) {
            let prog = cel::Program::compile(ev).map_err(|e| format!("compile {ev}: {e}"))?;
            let v = prog
                .execute(&ctx)
                .map_err(|e| format!("evidence {ev}: {e}"))?;
            let json = v.json().map_err(|e| format!("evidence {ev}: {e:?}"))?;
            let list = json
                .as_array()
                .ok_or(format!("evidence not a list: {json}"))?;
            for item in list {
                if !item["kind"].is_string() || !item["value"].is_string() {
                    return Err(format!("evidence item without kind/value strings: {item}"));
                }
            }
        }
        return Ok(rule["outcome"].as_str().unwrap().to_string());
    }
    Err("no rule matched".into())
}

fn device_json(i: &InventoryFacts, d: &Device) -> serde_json::Value {
    let mut v = serde_json::to_value(d).unwrap();
    v["kind"] = "device".into();
    v["inventory_format"] = i.format.clone().into();
    v
}

#[test]
fn device_checks_evaluate_on_every_sample_device() {
    let checks = load_checks();
    assert_eq!(checks.len(), 9);
    for (id, c) in &checks {
        assert_eq!(
            c["applies_to"].as_array().unwrap()[0].as_str(),
            Some("device"),
            "{id}"
        );
        for key in ["title", "rationale", "remediation"] {
            for lang in ["de", "en"] {
                assert!(
                    c[key][lang].as_str().is_some_and(|s| s.len() > 10),
                    "{id} {key}.{lang}"
                );
            }
        }
    }
    let mut outcomes = std::collections::BTreeMap::new();
    for path in sample_files() {
        let i = read(&path, &opts());
        for d in &i.devices {
            let facts = device_json(&i, d);
            for (id, c) in &checks {
                let out = evaluate(c, &facts, "2026-11-23")
                    .unwrap_or_else(|e| panic!("{id} on {} {}: {e}", path.display(), d.record));
                *outcomes.entry(out).or_insert(0) += 1;
            }
        }
    }
    // Every kind of outcome occurs across the samples.
    for o in ["pass", "fail", "warn", "manual", "not_applicable"] {
        assert!(outcomes.contains_key(o), "{o} never occurs: {outcomes:?}");
    }
}

#[test]
fn device_check_outcomes_on_known_devices() {
    let checks: std::collections::HashMap<_, _> = load_checks().into_iter().collect();
    let run = |i: &InventoryFacts, os: &str, id: &str| {
        evaluate(&checks[id], &device_json(i, by_os(i, os)), "2026-11-23").unwrap()
    };
    let intune = sample("intune-graph-managedDevices.json");
    assert_eq!(run(&intune, "26.5", "DEV-01-os-supported-patched"), "pass");
    assert_eq!(
        run(&intune, "26.5", "DEV-02-passcode"),
        "manual",
        "Intune never says"
    );
    // isEncrypted = true, but a Graph device says nothing about the
    // passcode that binds an iPhone's storage to the user (Data Protection):
    // open until the compliance export joined in a scan says it.
    assert_eq!(
        run(&intune, "26.5", "DEV-03-encryption"),
        "manual",
        "Intune never says whether the passcode that Data Protection needs is set"
    );
    assert_eq!(run(&intune, "26.5", "DEV-04-managed"), "pass");
    assert_eq!(run(&intune, "26.5", "DEV-05-not-compromised"), "pass");
    assert_eq!(run(&intune, "26.5", "PLT-03-device-cloud-backup"), "manual");
    assert_eq!(
        run(&intune, "14", "DEV-01-os-supported-patched"),
        "fail",
        "patch 263 days old"
    );
    assert_eq!(
        run(&intune, "14", "DEV-04-managed"),
        "manual",
        "stale check-in"
    );
    assert_eq!(
        run(&intune, "14", "DEV-05-not-compromised"),
        "manual",
        "jailBroken Unknown"
    );
    assert_eq!(
        run(&intune, "17.6.1", "DEV-01-os-supported-patched"),
        "fail"
    );
    assert_eq!(run(&intune, "17.6.1", "DEV-05-not-compromised"), "fail");
    assert_eq!(run(&intune, "15", "DEV-04-managed"), "fail", "EAS only");
    assert_eq!(run(&intune, "12", "DEV-03-encryption"), "fail");
    let amapi = sample("android-management-devices.json");
    // POTENTIALLY_COMPROMISED: encryption cannot protect (fails before the
    // ACTIVE_DEFAULT_KEY warning)…
    assert_eq!(
        run(&amapi, "13", "DEV-03-encryption"),
        "fail",
        "compromised"
    );
    // …which holds for the same device when it is not compromised.
    let mut clean = device_json(&amapi, by_os(&amapi, "13"));
    clean["compromised"] = serde_json::Value::Bool(false);
    assert_eq!(
        evaluate(&checks["DEV-03-encryption"], &clean, "2026-11-23").unwrap(),
        "warn",
        "ACTIVE_DEFAULT_KEY"
    );
    assert_eq!(run(&amapi, "13", "DEV-02-passcode"), "fail");
    assert_eq!(
        run(&amapi, "14", "DEV-01-os-supported-patched"),
        "manual",
        "no patch level"
    );
    assert_eq!(
        run(&amapi, "14", "DEV-06-ownership"),
        "pass",
        "work profile"
    );
    assert_eq!(run(&amapi, "15", "DEV-01-os-supported-patched"), "pass");
    let apple = sample("apple-mdm-responses.plist");
    assert_eq!(run(&apple, "16.7.10", "DEV-03-encryption"), "fail");
    assert_eq!(run(&apple, "16.7.10", "PLT-03-device-cloud-backup"), "warn");
    assert_eq!(
        run(&apple, "26.5", "DEV-04-managed"),
        "warn",
        "no check-in time in MDM responses"
    );
    assert_eq!(run(&apple, "26.5", "DEV-05-not-compromised"), "manual");
    assert_eq!(run(&apple, "26.5", "DEV-07-remote-wipe"), "manual");
    let ws1 = sample("workspace-one-devices.json");
    assert_eq!(run(&ws1, "26.1", "DEV-07-remote-wipe"), "warn");
    assert_eq!(run(&ws1, "26.1", "DEV-06-ownership"), "manual");

    // Patch-age and check-in boundaries through the real rules.
    let csv = "device_id,platform,os_version,android_patch_level,last_checkin,managed\n\
               at,android,16,2026-08-25,2026-10-24T10:00:00Z,true\n\
               over,android,16,2026-08-24,2026-10-23T10:00:00Z,true\n";
    let b = bytes(csv, &opts()).unwrap();
    let dev = |n: usize, id: &str| {
        evaluate(&checks[id], &device_json(&b, &b.devices[n]), "2026-11-23").unwrap()
    };
    assert_eq!(dev(0, "DEV-01-os-supported-patched"), "pass");
    assert_eq!(dev(1, "DEV-01-os-supported-patched"), "fail");
    assert_eq!(dev(0, "DEV-04-managed"), "pass");
    assert_eq!(dev(1, "DEV-04-managed"), "manual");
}

#[test]
fn truncated_and_corrupted_samples_never_panic() {
    for path in sample_files() {
        let data = std::fs::read(&path).unwrap();
        let step = data.len() / 60 + 1;
        for cut in (0..data.len()).step_by(step) {
            let part = &data[..cut];
            // Either devices or a clear error; a panic fails the test.
            let _ = extract_bytes("cut", part, &opts());
            let mut flipped = data.clone();
            flipped[cut] ^= 0x5a;
            if let Err(e) = extract_bytes("flipped", &flipped, &opts()) {
                assert!(!e.to_string().is_empty());
            }
        }
    }
}

#[test]
fn an_app_info_plist_is_not_an_mdm_export() {
    let plist =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/ios/src/SecureChat-Info.plist");
    let bytes = std::fs::read(&plist).unwrap();
    match extract_bytes("Info.plist", &bytes, &opts()) {
        Err(ExtractError::Inventory(InventoryError::NotDevices(why))) => {
            assert!(why.contains("DeviceInformation"), "{why}")
        }
        other => panic!("expected NotDevices, got {other:?}"),
    }
}
