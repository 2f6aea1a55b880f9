//! Byte-level zip surgery for the archive-trick tests: split a real archive
//! into its entries (local record + central record) and write them back with
//! crafted directories, end records, comments and prefixes.
#![allow(dead_code)]

/// One entry: its whole local record (header, name, extra, data) and its
/// central record (offset field rewritten when written).
#[derive(Clone, Debug)]
pub struct Entry {
    /// Entry name.
    pub name: Vec<u8>,
    /// Local header + name + extra + data.
    pub local: Vec<u8>,
    /// Central record (header + name + extra + comment).
    pub central: Vec<u8>,
}

fn u16_at(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

fn u32_at(b: &[u8], at: usize) -> usize {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap()) as usize
}

/// Splits a plain (classic, no data descriptor) archive into its entries.
pub fn parse(bytes: &[u8]) -> Vec<Entry> {
    let end = (0..=bytes.len() - 22)
        .rev()
        .find(|&i| &bytes[i..i + 4] == b"PK\x05\x06")
        .expect("end record");
    let count = u16_at(bytes, end + 10);
    let mut at = u32_at(bytes, end + 16);
    let mut out = Vec::new();
    for _ in 0..count {
        assert_eq!(&bytes[at..at + 4], b"PK\x01\x02");
        let (n, x, c) = (
            u16_at(bytes, at + 28),
            u16_at(bytes, at + 30),
            u16_at(bytes, at + 32),
        );
        let central = bytes[at..at + 46 + n + x + c].to_vec();
        let lfh = u32_at(bytes, at + 42);
        let compressed = u32_at(bytes, at + 20);
        let data = lfh + 30 + u16_at(bytes, lfh + 26) + u16_at(bytes, lfh + 28);
        out.push(Entry {
            name: bytes[at + 46..at + 46 + n].to_vec(),
            local: bytes[lfh..data + compressed].to_vec(),
            central,
        });
        at += 46 + n + x + c;
    }
    out
}

/// A written archive body: local records then a central directory, with
/// where the directory starts and how long it is (no end record yet).
pub struct Body {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Directory offset.
    pub cd: usize,
    /// Directory length.
    pub cd_len: usize,
    /// Entries in the directory.
    pub count: usize,
}

/// The central records of `entries`, their local headers placed at
/// `offsets`.
pub fn directory(entries: &[Entry], offsets: &[usize]) -> Vec<u8> {
    let mut cd = Vec::new();
    for (e, &off) in entries.iter().zip(offsets) {
        let mut c = e.central.clone();
        c[42..46].copy_from_slice(&(off as u32).to_le_bytes());
        cd.extend_from_slice(&c);
    }
    cd
}

/// `prefix`, the local records of `entries`, then their directory.
pub fn body(prefix: &[u8], entries: &[Entry]) -> Body {
    let mut bytes = prefix.to_vec();
    let mut offsets = Vec::new();
    for e in entries {
        offsets.push(bytes.len());
        bytes.extend_from_slice(&e.local);
    }
    let cd = bytes.len();
    let dir = directory(entries, &offsets);
    bytes.extend_from_slice(&dir);
    Body {
        cd_len: dir.len(),
        bytes,
        cd,
        count: entries.len(),
    }
}

/// A classic end record.
pub fn end_record(
    disk: u16,
    on_disk: u16,
    total: u16,
    cd_len: u32,
    cd: u32,
    comment: &[u8],
) -> Vec<u8> {
    let mut e = b"PK\x05\x06".to_vec();
    e.extend_from_slice(&disk.to_le_bytes());
    e.extend_from_slice(&0u16.to_le_bytes());
    e.extend_from_slice(&on_disk.to_le_bytes());
    e.extend_from_slice(&total.to_le_bytes());
    e.extend_from_slice(&cd_len.to_le_bytes());
    e.extend_from_slice(&cd.to_le_bytes());
    e.extend_from_slice(&(comment.len() as u16).to_le_bytes());
    e.extend_from_slice(comment);
    e
}

/// The plain end record for `b`.
pub fn plain_end(b: &Body, comment: &[u8]) -> Vec<u8> {
    let n = b.count as u16;
    end_record(0, n, n, b.cd_len as u32, b.cd as u32, comment)
}

/// A Zip64 end record written at `at` plus its locator.
pub fn zip64_tail(at: usize, count: u64, cd_len: u64, cd: u64) -> Vec<u8> {
    let mut z = b"PK\x06\x06".to_vec();
    z.extend_from_slice(&44u64.to_le_bytes());
    z.extend_from_slice(&45u16.to_le_bytes());
    z.extend_from_slice(&45u16.to_le_bytes());
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&count.to_le_bytes());
    z.extend_from_slice(&count.to_le_bytes());
    z.extend_from_slice(&cd_len.to_le_bytes());
    z.extend_from_slice(&cd.to_le_bytes());
    z.extend_from_slice(b"PK\x06\x07");
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&(at as u64).to_le_bytes());
    z.extend_from_slice(&1u32.to_le_bytes());
    z
}

/// `b` closed with Zip64 records and a classic end record whose fields all
/// point to them.
pub fn zip64_close(mut b: Body) -> Vec<u8> {
    let at = b.bytes.len();
    let tail = zip64_tail(at, b.count as u64, b.cd_len as u64, b.cd as u64);
    b.bytes.extend_from_slice(&tail);
    b.bytes
        .extend_from_slice(&end_record(0, 0xFFFF, 0xFFFF, u32::MAX, u32::MAX, b""));
    b.bytes
}

/// The local record of a new STORED entry `name` holding `data`, and its
/// central record (offset filled in when written).
pub fn stored_entry(name: &[u8], data: &[u8]) -> Entry {
    let mut crc = flate2::Crc::new();
    crc.update(data);
    let crc = crc.sum();
    let mut local = b"PK\x03\x04".to_vec();
    local.extend_from_slice(&10u16.to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(&[0u8; 4]);
    local.extend_from_slice(&crc.to_le_bytes());
    local.extend_from_slice(&(data.len() as u32).to_le_bytes());
    local.extend_from_slice(&(data.len() as u32).to_le_bytes());
    local.extend_from_slice(&(name.len() as u16).to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(name);
    local.extend_from_slice(data);
    let mut central = b"PK\x01\x02".to_vec();
    central.extend_from_slice(&20u16.to_le_bytes());
    central.extend_from_slice(&local[4..30]);
    central.extend_from_slice(&0u16.to_le_bytes()); // comment length
    central.extend_from_slice(&[0u8; 8]); // disk, internal, external attributes
    central.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    central.extend_from_slice(name);
    Entry {
        name: name.to_vec(),
        local,
        central,
    }
}
