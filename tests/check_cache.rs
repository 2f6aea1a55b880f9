//! Device checks are evaluated once per distinct input (`src/checks/rule_cache.rs`);
//! a fleet's assessment must be exactly what evaluating every check on every
//! device gives: every outcome, message and evidence item, in the same order,
//! and the JSON report byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::Rng;

use msgaudit::assess::{Assessment, Lang};
use msgaudit::checks::{Answers, Evaluator, InventorySource};
use msgaudit::extract::{extract_path, ExtractOptions};
use msgaudit::facts::{Device, Facts, InventoryFacts};
use serde_json::{json, Value};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-apps/inventories")
}

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

/// The sample exports that hold devices.
fn sample_inventories() -> Vec<InventoryFacts> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(samples())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.extension().is_some_and(|e| e == "toml" || e == "md"))
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            !n.starts_with("intune-compliance-") && !n.starts_with("installed-apps-")
        })
        .collect();
    files.sort();
    let read: Vec<InventoryFacts> = files
        .iter()
        .map(|p| match extract_path(p, &opts()) {
            Ok(Facts::Inventory(i)) => *i,
            other => panic!("{}: not an inventory: {other:?}", p.display()),
        })
        .collect();
    assert!(read.len() >= 10, "{files:?}");
    read
}

/// Assesses `inventories` against `profile`, with or without the cache, as a
/// scan does (devices stored as compact records), and gives the assessment
/// and its JSON report.
fn assess(inventories: &[InventoryFacts], profile: &str, cached: bool) -> (Assessment, String) {
    assess_in(inventories, profile, cached, None)
}

/// [`assess`], the devices given in batches of `batch` (each stored while
/// the next is assessed, `FleetBuilder::add_batches`) when it is `Some`.
fn assess_in(
    inventories: &[InventoryFacts],
    profile: &str,
    cached: bool,
    batch: Option<usize>,
) -> (Assessment, String) {
    let (set, profile) = msgaudit::pipeline::load_check_set(profile, None).unwrap();
    let answers = Answers::default();
    let mut evaluator = Evaluator::new(&set, &profile, &answers, "2026-11-23");
    if !cached {
        evaluator = evaluator.without_rule_cache();
    }
    let mut fleet = evaluator.fleet_spilling();
    for inv in inventories {
        fleet.begin(InventorySource {
            file: inv.file.clone(),
            format: inv.format.clone(),
        });
        match batch {
            None => fleet.add(&inv.devices).unwrap(),
            Some(n) => fleet
                .add_batches(inv.devices.chunks(n).map(<[Device]>::to_vec))
                .unwrap(),
        }
        fleet.commit_with(&inv.warnings);
    }
    let a = evaluator.assessment(Vec::new(), fleet, Lang::En).unwrap();
    let json = msgaudit::report::json::render(&a).unwrap();
    (a, json)
}

fn assert_same(inventories: &[InventoryFacts], profile: &str) -> Assessment {
    let (cached, cached_json) = assess(inventories, profile, true);
    let (plain, plain_json) = assess(inventories, profile, false);
    assert_eq!(cached.devices.len(), plain.devices.len());
    for (i, (c, p)) in cached.devices.iter().zip(plain.devices.iter()).enumerate() {
        let (c, p) = (c.unwrap(), p.unwrap());
        assert_eq!(
            c, p,
            "device {i} ({}) differs with the cache",
            p.target.name
        );
    }
    assert_eq!(cached.fleet, plain.fleet);
    assert!(cached_json == plain_json, "the JSON reports differ");
    cached
}

#[test]
fn sample_inventories_assess_the_same_with_and_without_the_cache() {
    let inventories = sample_inventories();
    for profile in ["dsk-must", "dsk-full"] {
        let a = assert_same(&inventories, profile);
        let devices: usize = inventories.iter().map(|i| i.devices.len()).sum();
        assert_eq!(a.devices.len(), devices);
        // The evidence names each device's own record.
        let first = a.devices.get(0).unwrap();
        let record = first.target.source.clone().unwrap();
        assert!(
            first
                .results
                .iter()
                .flat_map(|r| &r.evidence)
                .any(|e| e.location.as_deref().is_some_and(|l| record.ends_with(l))),
            "{first:?}"
        );
    }
}

fn pick<'a>(rng: &mut Rng, from: &'a [Value]) -> &'a Value {
    &from[rng.below(from.len())]
}

/// `n` devices made from the sample devices by setting the facts the device
/// checks read to values drawn from small pools (so values repeat, as in a
/// real fleet), unknowns and odd values included.
fn generated_fleet(n: usize) -> Vec<Device> {
    let base: Vec<Value> = sample_inventories()
        .iter()
        .flat_map(|i| i.devices.iter())
        .map(|d| serde_json::to_value(d).unwrap())
        .collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let bools = [json!(true), json!(false), Value::Null];
    let platforms = [
        json!("android"),
        json!("ios"),
        json!("ipados"),
        json!("windows"),
        Value::Null,
    ];
    let versions = [
        json!("12"),
        json!("14"),
        json!("16"),
        json!("17.6.1"),
        json!("18.7.9"),
        json!("26.2.1"),
        json!("x.y"),
        Value::Null,
    ];
    let patches = [
        json!("2026-01-01"),
        json!("2026-10-05"),
        json!("2026-12-01"),
        Value::Null,
    ];
    let ages = [json!(3), json!(40), json!(400), json!(-8), Value::Null];
    let check_ins = [json!(0), json!(2), json!(31), json!(200), Value::Null];
    let details = [
        json!("ACTIVE_DEFAULT_KEY"),
        json!("encryption: the exports disagree"),
        Value::Null,
    ];
    // Records as exports give them, and texts that look like the cache's placeholder.
    let records = [
        "record {i}",
        "line {i}",
        "record \"{i}\"",
        "<msgaudit:record:{i}",
        "<msgaudit:record:9c41e7b2d05f3a68> {i}",
    ];
    (0..n)
        .map(|i| {
            let mut d = base[i % base.len()].clone();
            let m = d.as_object_mut().unwrap();
            let record = records[rng.below(records.len())];
            m.insert(
                "record".into(),
                json!(record.replace("{i}", &i.to_string())),
            );
            m.insert("name".into(), json!(format!("gen-{i}")));
            for field in [
                "passcode",
                "passcode_compliant",
                "encryption",
                "managed",
                "compromised",
                "cloud_backup",
            ] {
                m.insert(field.into(), pick(&mut rng, &bools).clone());
            }
            m.insert("platform".into(), pick(&mut rng, &platforms).clone());
            m.insert("os_version".into(), pick(&mut rng, &versions).clone());
            m.insert(
                "security_patch_level".into(),
                pick(&mut rng, &patches).clone(),
            );
            m.insert("patch_age_days".into(), pick(&mut rng, &ages).clone());
            m.insert(
                "days_since_check_in".into(),
                pick(&mut rng, &check_ins).clone(),
            );
            m.insert("encryption_detail".into(), pick(&mut rng, &details).clone());
            if let Some(os) = m.get_mut("os_support").and_then(Value::as_object_mut) {
                os.insert("supported".into(), pick(&mut rng, &bools).clone());
                os.insert("up_to_date".into(), pick(&mut rng, &bools).clone());
                if rng.next().is_multiple_of(4) {
                    os.insert("note".into(), json!("end of support"));
                    os.insert("note_de".into(), Value::Null);
                }
            }
            if let Some(raw) = m.get_mut("raw").and_then(Value::as_object_mut) {
                if rng.next().is_multiple_of(5) {
                    raw.insert("passcode".into(), json!(format!("passcode = {}", i % 3)));
                }
                // A raw value holding the placeholder is never taken for the record.
                if rng.next().is_multiple_of(11) {
                    raw.insert(
                        "encryption".into(),
                        json!("isEncrypted = <msgaudit:record:9c41e7b2d05f3a68>"),
                    );
                }
            }
            serde_json::from_value(d).unwrap()
        })
        .collect()
}

#[test]
fn a_generated_fleet_assesses_the_same_with_and_without_the_cache() {
    let mut inv = sample_inventories().remove(0);
    inv.devices = generated_fleet(3000);
    for profile in ["dsk-must", "dsk-full"] {
        let a = assert_same(std::slice::from_ref(&inv), profile);
        let fleet = a.fleet.unwrap();
        // The pools reach both failing verdicts, and every device check passes and fails somewhere.
        assert!(fleet.not_compliant > 0 && fleet.incomplete > 0, "{fleet:?}");
        for id in ["DEV-02-passcode", "DEV-03-encryption", "DEV-04-managed"] {
            let r = fleet.requirements.iter().find(|r| r.check == id).unwrap();
            assert!(
                r.passed > 0 && r.failed > 0 && r.undecided > 0,
                "{id}: {r:?}"
            );
        }
    }
}

/// `FleetBuilder::add` stores each device's whole assessment (results with
/// their texts); `add_batches`, without answers, stores only the outcomes,
/// messages and evidence, the texts left to the store's checks. Both must
/// give the same devices, fleet and JSON report, with and without the cache.
#[test]
fn devices_stored_while_the_next_batch_is_assessed_give_the_same_report() {
    let mut inventories = sample_inventories();
    inventories[0].devices = generated_fleet(2500);
    for (profile, cached) in [("dsk-full", true), ("dsk-must", true), ("dsk-full", false)] {
        let (one, one_json) = assess(&inventories, profile, cached);
        // Batches of one device, uneven batches, and one batch larger than any inventory.
        for n in [1, 333, 10_000] {
            let what = format!("{profile}, cache {cached}, batches of {n}");
            let (batched, batched_json) = assess_in(&inventories, profile, cached, Some(n));
            assert_eq!(batched.devices.len(), one.devices.len(), "{what}");
            for (i, (b, o)) in batched.devices.iter().zip(one.devices.iter()).enumerate() {
                assert_eq!(b.unwrap(), o.unwrap(), "{what}: device {i}");
            }
            assert_eq!(batched.fleet, one.fleet, "{what}");
            assert!(batched_json == one_json, "{what}: the JSON reports differ");
        }
    }
}

/// A device merged from two exports whose encryption only the older
/// record gives, between devices of one export with the same facts: the
/// merged device's DEV-03 field item names the older record (its items
/// are never the ones the rule cache shares with the devices decided
/// alike), theirs name their own records, with and without the cache,
/// stored whole or as outcomes.
#[test]
fn a_merged_devices_relocated_evidence_is_its_own() {
    use msgaudit::facts::{DeviceRaw, DeviceSource};
    let device = |record: &str, check_in: &str, encrypted: bool| Device {
        record: record.into(),
        platform: Some("ios".into()),
        os_version: Some("26.5".into()),
        passcode: Some(true),
        encryption: encrypted.then_some(true),
        managed: Some(true),
        compromised: Some(false),
        last_check_in: Some(check_in.into()),
        // As `derive` gives it for a scan a few days later (without it
        // DEV-03 warns about the missing check-in time).
        days_since_check_in: Some(3),
        raw: DeviceRaw {
            passcode: Some("passcode_present = \"true\"".into()),
            encryption: encrypted.then(|| "isEncrypted = true".into()),
            ..DeviceRaw::default()
        },
        ..Device::default()
    };
    let source = |format: &str, file: &str, record: &str| DeviceSource {
        format: format.into(),
        file: file.into(),
        record: record.into(),
        last_check_in: None,
    };
    let merged = msgaudit::pipeline::dedupe::merge(vec![
        (
            device("record 1", "2026-11-20T08:00:00Z", true),
            source("intune-graph", "exports/intune.json", "record 1"),
        ),
        (
            device("line 2", "2026-11-22T08:00:00Z", false),
            source("csv", "exports/ward.csv", "line 2"),
        ),
    ]);
    assert_eq!(merged.record, "line 2");
    assert_eq!(merged.filled_from.get("raw.encryption"), Some(&1));
    let mut inv = sample_inventories().remove(0);
    inv.devices = vec![
        device("record 5", "2026-11-22T08:00:00Z", true),
        merged,
        device("record 6", "2026-11-22T08:00:00Z", true),
    ];
    let field = |a: &Assessment, record: &str| -> Vec<(String, Option<String>, Option<String>)> {
        let d = (0..a.devices.len())
            .map(|i| a.devices.get(i).unwrap())
            .find(|d| {
                d.target
                    .source
                    .as_deref()
                    .is_some_and(|s| s.ends_with(record))
            })
            .unwrap();
        d.results
            .iter()
            .filter(|r| r.check == "DEV-03-encryption")
            .flat_map(|r| &r.evidence)
            .filter(|e| e.kind == "field")
            .map(|e| (e.value.clone(), e.location.clone(), e.location_de.clone()))
            .collect()
    };
    let inventories = std::slice::from_ref(&inv);
    let one = assert_same(inventories, "dsk-must");
    for (a, how) in [
        (one, "stored whole".to_string()),
        (
            assess_in(inventories, "dsk-must", true, Some(1)).0,
            "as outcomes, cached".into(),
        ),
        (
            assess_in(inventories, "dsk-must", false, Some(1)).0,
            "as outcomes".into(),
        ),
    ] {
        assert_eq!(
            field(&a, "line 2"),
            [(
                "isEncrypted = true".to_string(),
                Some("intune-graph, record 1 (intune.json)".to_string()),
                Some("intune-graph, Datensatz 1 (intune.json)".to_string())
            )],
            "{how}"
        );
        for record in ["record 5", "record 6"] {
            let items = field(&a, record);
            assert_eq!(items.len(), 1, "{how}: {items:?}");
            assert_eq!(items[0].1.as_deref(), Some(record), "{how}");
            assert_ne!(
                items[0].2.as_deref(),
                Some("intune-graph, Datensatz 1 (intune.json)"),
                "{how}"
            );
        }
    }
}
