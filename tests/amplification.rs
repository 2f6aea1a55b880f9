//! Reference amplification and partial inventories, end to end through
//! `msgaudit scan`: an amplified IPA, an amplified Apple MDM property list and
//! an export holding one huge JSON value each fail on their own budget with a
//! clear error naming the file, while every other target of the same run is
//! assessed and reported (exit 4); an export read only in part says so in
//! every report format, in German and English, and exits 4.

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use common::run_msgaudit;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A binary plist `{"CFBundleIdentifier": id, "CFBundleExecutable": exe,
/// "A": [big; times]}`: one `big_mib` MiB string referenced `times` times
/// (offsets 4 bytes, references 2 bytes).
fn amplified_plist(id: &str, exe: &str, big_mib: usize, times: usize) -> Vec<u8> {
    let marker = |kind: u8, n: usize| -> Vec<u8> {
        if n < 15 {
            vec![kind << 4 | n as u8]
        } else {
            let mut v = vec![kind << 4 | 0x0f, 0x12];
            v.extend_from_slice(&(n as u32).to_be_bytes());
            v
        }
    };
    let string = |s: &[u8]| [marker(0x5, s.len()), s.to_vec()].concat();
    let refs = |r: &[u16]| r.iter().flat_map(|x| x.to_be_bytes()).collect::<Vec<u8>>();
    let objects = [
        [marker(0xD, 3), refs(&[1, 3, 5]), refs(&[2, 4, 6])].concat(),
        string(b"CFBundleIdentifier"),
        string(id.as_bytes()),
        string(b"CFBundleExecutable"),
        string(exe.as_bytes()),
        string(b"A"),
        [marker(0xA, times), refs(&vec![7; times])].concat(),
        string(&vec![b'A'; big_mib << 20]),
    ];
    let mut out = b"bplist00".to_vec();
    let mut offsets = Vec::new();
    for o in &objects {
        offsets.push(out.len() as u32);
        out.extend_from_slice(o);
    }
    let table = out.len() as u64;
    for off in offsets {
        out.extend_from_slice(&off.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0, 0, 0, 0, 0, 4, 2]);
    out.extend_from_slice(&(objects.len() as u64).to_be_bytes());
    out.extend_from_slice(&0u64.to_be_bytes());
    out.extend_from_slice(&table.to_be_bytes());
    out
}

/// SecureChat.ipa with its Info.plist replaced by an amplified binary plist.
fn amplified_ipa() -> Vec<u8> {
    ipa_with_info(
        amplified_plist("org.example.amplified", "SecureChat", 4, 2000),
        zip::CompressionMethod::Deflated,
    )
}

/// SecureChat.ipa with its Info.plist replaced by `info`, every entry
/// compressed with `method`.
fn ipa_with_info(info: Vec<u8>, method: zip::CompressionMethod) -> Vec<u8> {
    let src = std::fs::read(root().join("sample-apps/ios/SecureChat.ipa")).unwrap();
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(src)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(method);
    for i in 0..zin.len() {
        let mut e = zin.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        if e.is_dir() {
            continue;
        }
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name.ends_with(".app/Info.plist") && name.matches('/').count() == 2 {
            data = info.clone();
        }
        out.start_file(name, deflated).unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A temporary folder removed on drop.
struct Tmp(PathBuf);

impl Tmp {
    fn new(name: &str) -> Tmp {
        let p = std::env::temp_dir().join(format!("msgaudit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn target<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    report["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            t["target"]["file"]["path"]
                .as_str()
                .is_some_and(|p| p.ends_with(file))
        })
        .unwrap_or_else(|| panic!("{file} is not in the report"))
}

#[test]
fn one_amplified_target_never_takes_the_others_down() {
    let tmp = Tmp::new("amplified");
    let ipa = amplified_ipa();
    assert!(
        ipa.len() < 64 << 10,
        "the amplified IPA is {} bytes",
        ipa.len()
    );
    let ipa = tmp.write("amplified.ipa", &ipa);
    let mdm = tmp.write(
        "apple-mdm-amplified.plist",
        &amplified_plist("0000-UDID", "x", 4, 2000),
    );
    // One 32 MiB JSON value in an Intune export (the record limit is 8 MiB).
    let mut huge =
        br#"{"value":[{"operatingSystem":"iOS","osVersion":"17.1","deviceName":""#.to_vec();
    huge.resize(huge.len() + (32 << 20), b'a');
    huge.extend_from_slice(br#""}]}"#);
    let json = tmp.write("intune-huge-value.json", &huge);
    drop(huge);
    let report = tmp.0.join("report.json");
    let samples = [
        "sample-apps/android/out/securechat-1.0.apk",
        "sample-apps/android/out/leakychat-2.3.apk",
        "sample-apps/ios/SecureChat.ipa",
        "sample-apps/ios/LeakyChat.ipa",
        "sample-apps/inventories/jamf-mobile-devices.xml",
    ];
    let mut args: Vec<PathBuf> = vec![
        "scan".into(),
        "--format".into(),
        "json".into(),
        "-o".into(),
        report.clone(),
        ipa,
        mdm,
        json,
    ];
    args.extend(samples.iter().map(|s| root().join(s)));
    let t = std::time::Instant::now();
    let out = run_msgaudit(&args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(t.elapsed().as_secs() < 60, "{:?}", t.elapsed());
    let report: serde_json::Value = common::json(&std::fs::read(&report).unwrap()).unwrap();
    // Each amplified input is an error naming its budget …
    for (file, budget) in [
        ("amplified.ipa", "--max-plist-decoded"),
        ("apple-mdm-amplified.plist", "--max-plist-decoded"),
        ("intune-huge-value.json", "--max-record-size"),
    ] {
        let t = target(&report, file);
        assert_eq!(t["verdict"], "error", "{file}: {t}");
        assert!(
            t["error"].as_str().unwrap().contains(budget),
            "{file}: {}",
            t["error"]
        );
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(budget)),
            "{file}: {stderr}"
        );
    }
    // … and every other target is assessed and reported.
    for app in &samples[..4] {
        let name = Path::new(app).file_name().unwrap().to_str().unwrap();
        let t = target(&report, name);
        assert_ne!(t["verdict"], "error", "{name}: {t}");
        assert!(!t["results"].as_array().unwrap().is_empty(), "{name}");
    }
    let inventories = report["fleet"]["inventories"].as_array().unwrap();
    let jamf = inventories
        .iter()
        .find(|i| {
            i["file"]["path"]
                .as_str()
                .unwrap()
                .ends_with("jamf-mobile-devices.xml")
        })
        .expect("the Jamf export is in the fleet");
    assert!(jamf["devices"].as_u64().unwrap() > 0);
    assert!(jamf.get("partial").is_none());
}

/// `msgaudit scan --format json` of `files` with `threads` threads and
/// `--max-plist-decoded` of `plist_mib`: the exit code and the report.
fn scan_with_threads(
    tmp: &Tmp,
    threads: usize,
    plist_mib: u64,
    files: &[PathBuf],
) -> (Option<i32>, serde_json::Value) {
    let report = tmp.0.join(format!("report-{threads}.json"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_msgaudit"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(["scan", "--format", "json", "--max-plist-decoded"])
        .arg(plist_mib.to_string())
        .arg("-o")
        .arg(&report)
        .args(files)
        .output()
        .expect("the msgaudit binary runs");
    let report = std::fs::read(&report)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), common::json(&report).unwrap())
}

/// Many apps read at once by many threads share one working memory for
/// their property lists (`archive::working`); with a pool far smaller than
/// the threads' demand, apps wait or are read again, but every app gets
/// the same verdict and results as in a run with one thread: amplified ones
/// are errors naming their budget, the others are assessed.
#[test]
fn many_threads_on_a_small_pool_report_every_target_as_one_thread_does() {
    let tmp = Tmp::new("many-threads");
    let amplified = amplified_ipa();
    // Info.plists decoding to 1 MiB of text each: under a 2 MiB plist
    // budget, but the 4 MiB pool holds only two such apps at a time.
    // STORED, so the zip ratio guard leaves the 1 MiB run of 'A's alone.
    let mut files = Vec::new();
    for i in 0..10 {
        files.push(tmp.write(&format!("amplified-{i:02}.ipa"), &amplified));
        let info = amplified_plist(&format!("org.example.near{i:02}"), "SecureChat", 1, 1);
        let near = ipa_with_info(info, zip::CompressionMethod::Stored);
        files.push(tmp.write(&format!("near-{i:02}.ipa"), &near));
    }
    let samples = [
        "sample-apps/android/out/securechat-1.0.apk",
        "sample-apps/android/out/leakychat-2.3.apk",
        "sample-apps/ios/SecureChat.ipa",
        "sample-apps/ios/LeakyChat.ipa",
    ];
    files.extend(samples.iter().map(|s| root().join(s)));

    let (code_1, one) = scan_with_threads(&tmp, 1, 2, &files);
    let (code_32, many) = scan_with_threads(&tmp, 32, 2, &files);
    assert_eq!((code_1, code_32), (Some(4), Some(4)));
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        let (a, b) = (target(&one, name), target(&many, name));
        if name.starts_with("amplified") {
            assert_eq!(b["verdict"], "error", "{name}: {b}");
            assert!(
                b["error"].as_str().unwrap().contains("--max-plist-decoded"),
                "{name}: {}",
                b["error"]
            );
        } else {
            assert_ne!(b["verdict"], "error", "{name}: {b}");
            assert!(!b["results"].as_array().unwrap().is_empty(), "{name}");
        }
        assert_eq!(a["verdict"], b["verdict"], "{name}");
        assert_eq!(a["results"], b["results"], "{name}");
        assert_eq!(a["error"], b["error"], "{name}");
    }
    // The near-budget apps were read in full: their Info.plist is in the facts.
    let near = target(&many, "near-03.ipa");
    assert_eq!(
        near["target"]["id"], "org.example.near03",
        "{}",
        near["target"]
    );
}

/// The Intune sample with one invalid byte in its 4th record.
fn broken_intune(tmp: &Tmp) -> (PathBuf, usize) {
    let mut bytes =
        std::fs::read(root().join("sample-apps/inventories/intune-graph-managedDevices.json"))
            .unwrap();
    let starts: Vec<usize> = bytes
        .windows(13)
        .enumerate()
        .filter(|(_, w)| *w == b"{\"id\":\"3f2b9c")
        .map(|(i, _)| i)
        .collect();
    assert!(starts.len() >= 5, "{}", starts.len());
    let at = starts[3] + 1;
    bytes[at] = 0xff;
    (tmp.write("intune-broken.json", &bytes), at)
}

#[test]
fn a_partly_read_export_says_so_in_every_format_and_exits_4() {
    let tmp = Tmp::new("partial");
    let (export, at) = broken_intune(&tmp);
    let app = root().join("sample-apps/android/out/securechat-1.0.apk");
    let json = tmp.0.join("r.json");
    let out = run_msgaudit([
        "scan".as_ref(),
        "--fail-on".as_ref(),
        "never".as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
        "-o".as_ref(),
        json.as_os_str(),
        export.as_os_str(),
        app.as_os_str(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("READ ONLY IN PART: 3 device(s) read"),
        "{stderr}"
    );
    let report: serde_json::Value = common::json(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(
        report["schema_version"],
        msgaudit::assess::REPORT_SCHEMA_VERSION
    );
    let inv = &report["fleet"]["inventories"][0];
    assert_eq!(inv["devices"], 3);
    let partial = &inv["partial"];
    assert_eq!(partial["devices_read"], 3);
    assert_eq!(partial["resumed"], false);
    let byte = partial["stopped_at"]["byte"].as_u64().unwrap();
    assert!(
        byte.abs_diff(at as u64) <= 2,
        "stopped at {byte}, broken at {at}"
    );
    assert!(inv["warnings"][0]["de"]
        .as_str()
        .unwrap()
        .starts_with("NUR TEILWEISE GELESEN: 3 Geräte gelesen"));
    assert_ne!(target(&report, "securechat-1.0.apk")["verdict"], "error");

    let place_en = format!("reading stopped at byte {byte}");
    let place_de = format!("das Lesen brach bei Byte {byte} ab");
    for format in ["table", "md", "html", "sarif", "csv"] {
        for (lang, head, place) in [
            ("en", "READ ONLY IN PART: 3 device(s) read", &place_en),
            ("de", "NUR TEILWEISE GELESEN: 3 Geräte gelesen", &place_de),
        ] {
            let out = run_msgaudit([
                "scan".as_ref(),
                "--format".as_ref(),
                format.as_ref(),
                "--lang".as_ref(),
                lang.as_ref(),
                export.as_os_str(),
            ]);
            assert_eq!(out.status.code(), Some(4), "{format} {lang}");
            // Tables wrap long lines: compare with whitespace collapsed.
            let text = String::from_utf8_lossy(&out.stdout)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let text = text.replace("Ger&auml;t", "Gerät");
            assert!(text.contains(head), "{format} {lang}: {head}\n{text}");
            assert!(text.contains(place.as_str()), "{format} {lang}: {place}");
        }
    }
}

#[test]
fn facts_on_a_partly_read_export_writes_the_devices_read_and_exits_4() {
    let tmp = Tmp::new("partial-facts");
    let (export, _) = broken_intune(&tmp);
    let out = run_msgaudit(["facts".as_ref(), export.as_os_str()]);
    assert_eq!(out.status.code(), Some(4));
    let facts: serde_json::Value = common::json(&out.stdout).unwrap();
    assert_eq!(facts["devices"].as_array().unwrap().len(), 3);
    assert_eq!(facts["partial"]["devices_read"], 3);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("READ ONLY IN PART"), "{stderr}");
}

/// `msgaudit scan --format json --max-plist-decoded 2` of `files` with
/// `threads` threads and, when given, `MSGAUDIT_FACTS_IN_MEMORY` bytes of
/// facts kept in memory: the exit code and the report's bytes.
fn scan_bytes(
    tmp: &Tmp,
    threads: usize,
    in_memory: Option<usize>,
    files: &[PathBuf],
) -> (Option<i32>, Vec<u8>) {
    let report = tmp.0.join(format!("report-{threads}-{in_memory:?}.json"));
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_msgaudit"));
    cmd.env("RAYON_NUM_THREADS", threads.to_string());
    match in_memory {
        Some(bytes) => cmd.env("MSGAUDIT_FACTS_IN_MEMORY", bytes.to_string()),
        None => cmd.env_remove("MSGAUDIT_FACTS_IN_MEMORY"),
    };
    let out = cmd
        .args(["scan", "--format", "json", "--max-plist-decoded", "2", "-o"])
        .arg(&report)
        .args(files)
        .output()
        .expect("the msgaudit binary runs");
    let bytes = std::fs::read(&report)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), bytes)
}

/// Apps are assessed as they are read and their facts kept as text, spilled
/// to a temporary file beyond the scan's budget (`assess::KeptFacts`): the
/// JSON report is the same byte for byte with 1 and 8 threads, with facts
/// spilled or all in memory, and every app's facts in it are those
/// `msgaudit facts` prints, the 1 MiB Info.plist value included.
#[test]
fn large_facts_give_the_same_complete_report_spilled_or_not_with_any_thread_count() {
    let tmp = Tmp::new("kept-facts");
    let mut files = Vec::new();
    for i in 0..6 {
        let info = amplified_plist(&format!("org.example.large{i:02}"), "SecureChat", 1, 1);
        let ipa = ipa_with_info(info, zip::CompressionMethod::Stored);
        files.push(tmp.write(&format!("large-{i:02}.ipa"), &ipa));
    }
    files.push(root().join("sample-apps/android/out/leakychat-2.3.apk"));
    files.push(root().join("sample-apps/ios/SecureChat.ipa"));

    // Room for one large app's facts in memory: the others are spilled.
    let spilling = Some(1_500_000);
    let (code, one) = scan_bytes(&tmp, 1, spilling, &files);
    let (code_8, eight) = scan_bytes(&tmp, 8, spilling, &files);
    let (code_mem, in_memory) = scan_bytes(&tmp, 8, None, &files);
    // LeakyChat is not compliant (1); nothing is unreadable (4).
    assert_eq!((code, code_8, code_mem), (Some(1), Some(1), Some(1)));
    assert!(one == eight, "the report differs between 1 and 8 threads");
    assert!(
        one == in_memory,
        "the report differs when facts are spilled"
    );

    let report = common::json(&one).unwrap();
    for f in &files {
        let name = f.file_name().unwrap().to_str().unwrap();
        let t = target(&report, name);
        let out = run_msgaudit([
            "facts".as_ref(),
            "--max-plist-decoded".as_ref(),
            "2".as_ref(),
            f.as_os_str(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{name}");
        let mut printed: serde_json::Value = common::json(&out.stdout).unwrap();
        // The report names the file as given to scan, as facts does.
        assert_eq!(t["facts"]["file"], printed["file"], "{name}");
        printed["file"] = t["facts"]["file"].clone();
        assert!(
            t["facts"] == printed,
            "{name}: the report's facts differ from msgaudit facts"
        );
        if name.starts_with("large") {
            let big = t["facts"]["ios"]["info_plist"]["A"][0]
                .as_str()
                .unwrap_or_default();
            assert_eq!(big.len(), 1 << 20, "{name}");
        }
    }
}
