//! Streaming behaviour of [`super::stream_inventory`]: the same devices
//! whatever the read sizes, a large export counted without being held, and
//! format detection from the head only.

use std::io::{BufRead, BufReader, Read};

use super::*;
use crate::extract::ExtractOptions;

fn opts() -> ExtractOptions {
    ExtractOptions {
        as_of: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        pseudonym_key: Some("test-key".into()),
        ..ExtractOptions::default()
    }
}

fn read_all(
    path: &str,
    input: &mut dyn BufRead,
    o: &ExtractOptions,
) -> Result<(Vec<serde_json::Value>, InventoryRead), InventoryError> {
    let mut devices = Vec::new();
    let read = stream_inventory(path, input, o, &mut |d| {
        devices.push(serde_json::to_value(&d).unwrap())
    })?;
    Ok((devices, read))
}

#[test]
fn tiny_reads_give_the_same_devices_for_every_sample() {
    for (name, path, bytes) in super::sample_exports() {
        let (want, want_read) = read_all(&path, &mut &bytes[..], &opts()).unwrap();
        let (got, got_read) = read_all(&path, &mut peek::Chunky::new(&bytes), &opts()).unwrap();
        assert!(!want.is_empty(), "{name}: no devices");
        assert_eq!(got, want, "{name}");
        assert_eq!(got_read, want_read, "{name}");
    }
}

/// Generates a JSON-lines Intune export of `n` records as it is read, so
/// the test itself never holds the export.
struct Generated {
    n: usize,
    next: usize,
    line: Vec<u8>,
    pos: usize,
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.line.len() {
            if self.next >= self.n {
                return Ok(0);
            }
            let i = self.next;
            self.next += 1;
            self.line = format!(
                "{{\"id\":\"dev-{i}\",\"deviceName\":\"D{i}\",\"operatingSystem\":\"{}\",\"osVersion\":\"17.6.1\",\"userPrincipalName\":\"u{i}@x.invalid\",\"isEncrypted\":true,\"jailBroken\":\"False\",\"managementAgent\":\"mdm\",\"lastSyncDateTime\":\"2026-11-01T08:00:00Z\"}}\n",
                if i.is_multiple_of(2) { "iOS" } else { "Android" }
            )
            .into_bytes();
            self.pos = 0;
        }
        let rest = &self.line[self.pos..];
        let n = rest.len().min(out.len());
        out[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn fifty_thousand_json_lines_stream_through_a_counting_sink() {
    let n = 50_000;
    let mut input = BufReader::new(Generated {
        n,
        next: 0,
        line: Vec::new(),
        pos: 0,
    });
    let mut count = 0usize;
    let mut ios = 0usize;
    let read = stream_inventory("fleet.jsonl", &mut input, &opts(), &mut |d| {
        count += 1;
        if d.platform.as_deref() == Some("ios") {
            ios += 1;
        }
    })
    .unwrap();
    assert_eq!(count, n);
    assert_eq!(ios, n / 2);
    assert_eq!(read.devices, n);
    assert_eq!(read.format, Format::IntuneGraph);
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
}

/// Counts the bytes taken from the wrapped reader.
struct Counting<R> {
    inner: R,
    taken: usize,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.taken += n;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.taken += amt;
        self.inner.consume(amt);
    }
}

#[test]
fn format_is_decided_from_the_first_64_kib() {
    // 1 MB of JSON lines: opening reads the head only.
    let line = b"{\"id\":\"x\",\"operatingSystem\":\"iOS\",\"osVersion\":\"17.1\"}\n";
    let big: Vec<u8> = line
        .iter()
        .copied()
        .cycle()
        .take(line.len() * 20_000)
        .collect();
    let mut input = Counting {
        inner: &big[..],
        taken: 0,
    };
    let stream = InventoryStream::open("x.jsonl", &mut input, &opts()).unwrap();
    assert_eq!(stream.format(), Format::IntuneGraph);
    let mut n = 0;
    stream.read(&mut |_| n += 1).unwrap();
    assert_eq!(n, 20_000);
    assert!(input.taken == big.len());
    let mut input = Counting {
        inner: &big[..],
        taken: 0,
    };
    drop(InventoryStream::open("x.jsonl", &mut input, &opts()).unwrap());
    assert!(input.taken <= detect::HEAD, "{}", input.taken);
    // A signature only past the head is not seen.
    let mut late = vec![b' '; detect::HEAD];
    late.extend_from_slice(line);
    assert!(matches!(
        InventoryStream::open("x.jsonl", &mut &late[..], &opts()),
        Err(InventoryError::Unrecognized)
    ));
}

#[test]
fn oversized_property_list_is_refused() {
    let o = ExtractOptions {
        inventory_format: Some("apple-mdm".into()),
        ..opts()
    };
    let mut input = BufReader::new(std::io::repeat(b' ').take(apple_mdm::MAX_PLIST + 1));
    let e = read_all("big.plist", &mut input, &o).unwrap_err();
    assert!(matches!(e, InventoryError::PlistTooLarge(_)), "{e}");
    assert!(e.to_string().contains("larger than"), "{e}");
}

#[test]
fn records_mapped_in_batches_keep_their_order_and_numbers() {
    // Over five batches of records (see `batch::BATCH`; each mapping
    // thread maps several, in turn), every 97th no device, then a broken
    // record: the devices and the notes come in record order, numbered as
    // read, and the read stops at the broken record.
    let n = 5 * batch::BATCH + 300;
    let rec = |i: usize| {
        if i.is_multiple_of(97) {
            format!("{{\"@odata.type\":\"#policy\",\"id\":\"p{i}\"}}")
        } else {
            format!("{{\"id\":\"d{i}\",\"operatingSystem\":\"Android\",\"androidSecurityPatchLevel\":\"2026-0{}-01\"}}", 1 + i % 9)
        }
    };
    let records: Vec<String> = (1..=n).map(rec).collect();
    let text = format!("{{\"value\":[{},{{\"id\":1,,}}]}}", records.join(","));
    let mut devices = Vec::new();
    let read = stream_inventory("x.json", &mut text.as_bytes(), &opts(), &mut |d| {
        devices.push((d.record, d.security_patch_level, d.patch_age_days))
    })
    .unwrap();
    let want: Vec<usize> = (1..=n).filter(|i| !i.is_multiple_of(97)).collect();
    assert_eq!(read.devices, want.len());
    let got: Vec<String> = devices.iter().map(|d| d.0.clone()).collect();
    let want_records: Vec<String> = want.iter().map(|i| format!("record {i}")).collect();
    assert_eq!(got, want_records);
    for (d, i) in devices.iter().zip(&want) {
        let level = format!("2026-0{}-01", 1 + i % 9);
        let age =
            (opts().as_of - NaiveDate::parse_from_str(&level, "%Y-%m-%d").unwrap()).num_days();
        assert_eq!((d.1.as_deref(), d.2), (Some(level.as_str()), Some(age)));
    }
    let skipped: Vec<u64> = read
        .warnings
        .iter()
        .filter_map(|w| match w {
            Note::Skipped { number, .. } => Some(*number),
            _ => None,
        })
        .collect();
    let want_skipped: Vec<u64> = (1..=n as u64).filter(|i| i.is_multiple_of(97)).collect();
    assert_eq!(skipped, want_skipped);
    assert!(read.partial.is_some(), "{:?}", read.warnings);
}

/// Counts the bytes taken from the wrapped reader where the sink can see them.
struct Watched<R> {
    inner: R,
    taken: std::rc::Rc<std::cell::Cell<usize>>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.taken.set(self.taken.get() + n);
        Ok(n)
    }
}

#[test]
fn large_records_are_mapped_before_a_batch_is_full_by_number() {
    // 24 records of 1 MiB each (a model too long to be read as a fact):
    // by their number they are one batch, held until the export ends; by
    // their bytes (`batch::BATCH_BYTES`) the first devices are passed on
    // while most of the export is still unread.
    let big = "x".repeat(1 << 20);
    let records: Vec<String> = (0..24)
        .map(|i| format!(r#"{{"id":"d{i}","operatingSystem":"Android","model":"{big}"}}"#))
        .collect();
    let text = format!(
        "{{\"@odata.context\":\"https://graph.microsoft.com/v1.0/$metadata#deviceManagement/managedDevices\",\"value\":[{}]}}",
        records.join(",")
    );
    let taken = std::rc::Rc::new(std::cell::Cell::new(0));
    let mut input = BufReader::new(Watched {
        inner: text.as_bytes(),
        taken: taken.clone(),
    });
    let mut first_at = None;
    let read = stream_inventory("x.json", &mut input, &opts(), &mut |_| {
        first_at.get_or_insert(taken.get());
    })
    .unwrap();
    assert_eq!(read.devices, 24);
    let first = first_at.unwrap();
    assert!(
        first < text.len() / 2,
        "the first device came after {first} of {} bytes",
        text.len()
    );
}
