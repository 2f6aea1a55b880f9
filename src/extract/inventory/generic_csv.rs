//! CSV reading shared by the CSV adapters, and the generic CSV adapter with
//! a column-mapping file.
//!
//! Rows are read one by one; each becomes a JSON object keyed by the
//! normalized header (see [`norm_header`]) so the record mapping code is the
//! same as for JSON exports. Field size and row count are bounded.

use std::cell::Cell;
use std::collections::HashMap;
use std::io::{BufRead, Read};
use std::rc::Rc;

use serde::de::{Error as _, Unexpected};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

use super::dates::bool_word;
use super::detect::norm_header;
use super::detect::Head;
use super::json::insert_repeated;
use super::meter::Metered;
use super::note::{CsvProblem, Note, Reason, Unit};
use super::record::{platform_word, Builder, Flag, Slot};
use super::{peek, Collected, Ctx, InventoryError, MAX_DEVICES};
use crate::extract::file_problem::FileProblem;

/// Largest CSV field (bytes); a row with a longer one is skipped with a warning.
pub const MAX_FIELD: usize = 64 * 1024;

/// Largest mapping file (bytes).
const MAX_MAPPING: u64 = 1 << 20;

/// Bytes of the first line examined for the delimiter.
const SNIFF: usize = 64 * 1024;

/// The CSV bytes as the `csv` reader gets them, byte for byte (offsets
/// stay those of the file). The reader counts only LF as a line end, and it
/// counts the LF of a CR LF pair to the record after it; so outside quoted
/// values a lone CR (the line end of old Mac exports) becomes LF, and a
/// CR LF pair becomes LF CR (the CR then starts the next record as an empty
/// line, which the reader skips). A device's line number is then right for
/// every kind of line end. It also tells whether a quote is open where the
/// bytes passed on so far end.
struct LineEnds<R> {
    inner: R,
    /// Whether an odd number of quote bytes was passed on.
    open_quote: Rc<Cell<bool>>,
    /// The next byte is the LF of a CR LF pair whose CR went out as LF.
    swapped: bool,
}

/// What byte `b` of the CSV becomes for [`LineEnds`], `next` being the byte
/// after it (`None` only for a byte that is no CR, or at the end).
fn line_end(b: u8, next: Option<u8>, open_quote: &Cell<bool>, swapped: &mut bool) -> u8 {
    if std::mem::take(swapped) {
        return b'\r';
    }
    match b {
        b'"' => {
            open_quote.set(!open_quote.get());
            b
        }
        b'\r' if !open_quote.get() => {
            *swapped = next == Some(b'\n');
            b'\n'
        }
        b => b,
    }
}

impl<R: BufRead> Read for LineEnds<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let LineEnds {
            inner,
            open_quote,
            swapped,
        } = self;
        if out.is_empty() {
            return Ok(0);
        }
        let buf = inner.fill_buf()?;
        if buf.is_empty() {
            return Ok(0);
        }
        if buf == b"\r" && !*swapped {
            // A CR alone in the buffer: the byte after it decides.
            inner.consume(1);
            let next = inner.fill_buf()?.first().copied();
            out[0] = line_end(b'\r', next, open_quote, swapped);
            return Ok(1);
        }
        let mut n = buf.len().min(out.len());
        // A CR that ends the buffer waits for the next call, which sees the
        // byte after it.
        if n == buf.len() && buf[n - 1] == b'\r' {
            n -= 1;
        }
        for (i, o) in out[..n].iter_mut().enumerate() {
            *o = line_end(buf[i], buf.get(i + 1).copied(), open_quote, swapped);
        }
        inner.consume(n);
        Ok(n)
    }
}

/// Guesses the delimiter from the header line: the most frequent of `,` `;` tab.
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let line = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |d: u8| line.iter().filter(|b| **b == d).count();
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| count(*d))
        .unwrap_or(b',')
}

/// Generic CSV: a `platform` column, at least one other of its columns
/// ([`FIELDS`]; every column but `platform` may be left out), and none of
/// Intune's own. Intune's export never has a `platform` column (it names
/// the platform `OS`), so a CSV that has one is not read as Intune's even
/// when all its other columns are ones Intune's has too (`device_id`,
/// `encrypted`, `last_checkin`): Intune's reader would find no platform.
pub fn detect(h: &Head) -> bool {
    h.csv()
        && h.header("platform")
        && FIELDS
            .iter()
            .any(|f| *f != "platform" && h.header(&norm_header(f)))
        && !super::intune::INTUNE_ONLY.iter().any(|k| h.header(k))
}

/// Reads CSV rows from `input` (see `for_each_row`) and passes the device
/// `map(row, line)` makes of each to `out`; a row that cannot be read becomes
/// a "line N: …; skipped" warning.
pub fn read_devices(
    input: &mut dyn BufRead,
    delimiter: Option<u8>,
    max_record: u64,
    key: impl Fn(&str) -> Option<String>,
    map: impl Fn(&Value, u64) -> crate::facts::Device,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    for_each_row(
        input,
        delimiter,
        max_record,
        key,
        |line, row, labels| match row {
            Ok(v) => {
                let mut device = map(&v, line);
                labels.apply(&mut device);
                out.push(device)
            }
            Err(reason) => out.warn(Note::Skipped {
                unit: Unit::Line,
                number: line,
                reason,
            }),
        },
    )
}

/// Reads CSV rows from `input` as JSON objects keyed by `key(normalized
/// header)` (columns for which it returns `None` are dropped). Calls
/// `sink(line, row)`; a row that cannot be read is passed as `Err(reason)`.
/// A leading BOM is dropped; the delimiter, when not given, is sniffed from
/// the first line (at most 64 KiB of it). Rows are read one at a time, each
/// (the header row too) bounded by `max_record` bytes while it is read,
/// before the CSV reader buffers it: a longer row ends reading there.
fn for_each_row(
    input: &mut dyn BufRead,
    delimiter: Option<u8>,
    max_record: u64,
    key: impl Fn(&str) -> Option<String>,
    mut sink: impl FnMut(u64, Result<Value, Reason>, &Labels),
) -> Result<(), InventoryError> {
    let read_err = |e: std::io::Error| InventoryError::Read(e.to_string());
    let mut input = peek::skip_bom(input).map_err(read_err)?;
    let (first_line, input) = peek::head(&mut input, SNIFF, Some(b'\n')).map_err(read_err)?;
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(&first_line));
    drop(first_line);
    let open_quote = Rc::new(Cell::new(false));
    let input = LineEnds {
        inner: input,
        open_quote: Rc::clone(&open_quote),
        swapped: false,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(Metered::new(input, max_record));
    let headers = rdr.byte_headers().cloned().map_err(|e| {
        if rdr.get_ref().tripped() {
            InventoryError::Csv(format!(
                "the header row is longer than the limit of {max_record} bytes (--max-record-size); refused before it was buffered"
            ))
        } else {
            InventoryError::Csv(format!(
                "cannot read the header row: {}",
                csv_problem(&e)
            ))
        }
    })?;
    if headers.iter().any(|h| h.len() > MAX_FIELD) {
        return Err(InventoryError::Csv(format!(
            "a header is longer than {MAX_FIELD} bytes"
        )));
    }
    let keys: Vec<Option<String>> = headers
        .iter()
        .map(|h| key(&norm_header(&String::from_utf8_lossy(h))))
        .collect();
    if keys.iter().all(Option::is_none) {
        return Err(InventoryError::Csv(
            "no known column in the header row".into(),
        ));
    }
    let labels = Labels::of(&headers, &keys);
    let mut rec = csv::ByteRecord::new();
    let mut rows = 0usize;
    loop {
        rdr.get_ref().mark_at(rdr.position().byte());
        match rdr.read_byte_record(&mut rec) {
            // The file ended inside a quoted name of the header (nothing
            // came after it): the header is cut, which columns it names is
            // unknown.
            Ok(false) if rows == 0 && open_quote.get() => {
                return Err(InventoryError::Csv(
                    "the file ends inside the header row (a quoted column name is not closed): the export is cut short".into(),
                ));
            }
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if rdr.get_ref().tripped() => {
                let line = rdr.position().line();
                let meter = rdr.get_ref();
                sink(
                    line,
                    Err(Reason::RecordTooLarge {
                        limit: meter.limit(),
                        byte: Some(meter.mark()),
                    }),
                    &labels,
                );
                drop(e);
                break;
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or_default();
                sink(line, Err(Reason::CsvRow(csv_problem(&e))), &labels);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    break;
                }
                continue;
            }
        }
        rows += 1;
        if rows > MAX_DEVICES {
            return Err(InventoryError::Csv(format!(
                "more than {MAX_DEVICES} rows; split the export"
            )));
        }
        let line = rec.position().map(|p| p.line()).unwrap_or_default();
        match row_shape(&rec, headers.len()) {
            // Only delimiters and spaces (a spreadsheet's empty row): no device.
            RowShape::Blank => {}
            RowShape::Fits => sink(line, row_object(&rec, &keys), &labels),
            // A cut row or an unquoted delimiter in a value: the columns
            // no longer line up, so no value of the row can be trusted.
            RowShape::Misaligned => {
                sink(line, Err(Reason::CsvRow(CsvProblem::FieldCount)), &labels)
            }
        }
    }
    Ok(())
}

/// The file's own column names for the keys rows are read under (the
/// normalized header an adapter maps, `lastcheckin`, or the name it gives
/// it, `agent`), so that evidence quotes the column as the export names it
/// (`Managed by = "Intune"`, not `agent = "Intune"`). A key that more than
/// one column gives keeps its own name: which column a value came from is
/// not told.
#[derive(Debug, Default)]
pub(crate) struct Labels(Vec<(String, String)>);

impl Labels {
    /// The labels of `headers`, whose columns are read under `keys`.
    fn of(headers: &csv::ByteRecord, keys: &[Option<String>]) -> Labels {
        let mut labels: Vec<(String, String)> = Vec::new();
        let mut shared: Vec<&str> = Vec::new();
        for (header, key) in headers.iter().zip(keys) {
            let Some(key) = key else { continue };
            let header = String::from_utf8_lossy(header).trim().to_string();
            if labels.iter().any(|(k, _)| k == key) {
                shared.push(key);
            } else if !header.is_empty() {
                labels.push((key.clone(), header));
            }
        }
        labels.retain(|(k, _)| !shared.contains(&k.as_str()));
        Labels(labels)
    }

    /// Puts the column names into `device`'s evidence texts (`key = value`).
    fn apply(&self, device: &mut crate::facts::Device) {
        if self.0.is_empty() {
            return;
        }
        let details = [
            &mut device.encryption_detail,
            &mut device.encryption_detail_de,
        ];
        for text in device.raw.texts_mut().into_iter().chain(details).flatten() {
            self.relabel(text);
        }
    }

    /// `text` with a leading `key = ` named by its column.
    fn relabel(&self, text: &mut String) {
        let label = self.0.iter().find(|(key, _)| {
            text.strip_prefix(key.as_str())
                .is_some_and(|rest| rest.starts_with(" = "))
        });
        if let Some((key, header)) = label {
            text.replace_range(..key.len(), header);
        }
    }
}

/// How a row's fields line up with the header's columns.
#[derive(Debug, PartialEq, Eq)]
enum RowShape {
    /// Every field is empty or spaces: a row with nothing in it.
    Blank,
    /// As many fields as columns, or more where the extra ones are empty
    /// (a delimiter at the end of the row).
    Fits,
    /// Fewer fields than columns, or more with something in them.
    Misaligned,
}

fn row_shape(rec: &csv::ByteRecord, columns: usize) -> RowShape {
    let blank = |f: &[u8]| f.iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
    if rec.iter().all(blank) {
        RowShape::Blank
    } else if rec.len() == columns || (rec.len() > columns && rec.iter().skip(columns).all(blank)) {
        RowShape::Fits
    } else {
        RowShape::Misaligned
    }
}

/// Names a CSV error without quoting content.
fn csv_problem(e: &csv::Error) -> CsvProblem {
    match e.kind() {
        csv::ErrorKind::Io(_) => CsvProblem::Read,
        csv::ErrorKind::Utf8 { .. } => CsvProblem::NotUtf8,
        csv::ErrorKind::UnequalLengths { .. } => CsvProblem::FieldCount,
        _ => CsvProblem::Malformed,
    }
}

/// One row as a JSON object.
fn row_object(rec: &csv::ByteRecord, keys: &[Option<String>]) -> Result<Value, Reason> {
    let mut map = Map::new();
    for (i, field) in rec.iter().enumerate() {
        if field.len() > MAX_FIELD {
            return Err(Reason::FieldTooLong {
                field: i.saturating_add(1),
                bytes: field.len(),
                limit: MAX_FIELD,
            });
        }
        let Some(Some(k)) = keys.get(i) else { continue };
        let text = std::str::from_utf8(field).map_err(|_| Reason::FieldNotUtf8 {
            field: i.saturating_add(1),
        })?;
        if !text.trim().is_empty() {
            // Two columns for one field that disagree: both values, so the
            // field is left unknown citing them (as a JSON record's repeated key).
            insert_repeated(&mut map, k.clone(), Value::String(text.trim().to_string()));
        }
    }
    Ok(Value::Object(map))
}

/// The column-mapping file of the generic CSV adapter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Field delimiter (one ASCII character); detected when absent.
    #[serde(default, deserialize_with = "one_ascii_character")]
    pub delimiter: Option<String>,
    /// Canonical field ([`FIELDS`]) → column header in the export.
    #[serde(default, deserialize_with = "columns_of_fields")]
    pub columns: HashMap<String, String>,
    /// Extra words for true / false / unknown.
    #[serde(default)]
    pub values: Values,
    /// Export platform word → `ios`, `ipados`, `android`, ….
    #[serde(default)]
    pub platforms: HashMap<String, String>,
}

/// A delimiter of one ASCII character (serde's error names the place).
fn one_ascii_character<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let text = String::deserialize(d)?;
    match text.len() {
        1 => Ok(Some(text)),
        _ => Err(D::Error::invalid_value(
            Unexpected::Str(&text),
            &"a single ASCII character",
        )),
    }
}

/// A `[columns]` table whose keys are all canonical fields ([`FIELDS`]).
fn columns_of_fields<'de, D: Deserializer<'de>>(d: D) -> Result<HashMap<String, String>, D::Error> {
    let columns = HashMap::<FieldName, String>::deserialize(d)?;
    Ok(columns.into_iter().map(|(k, v)| (k.0, v)).collect())
}

/// A key of `[columns]`: one of [`FIELDS`] (serde's error, an unknown
/// field, names the key's place).
#[derive(PartialEq, Eq, Hash)]
struct FieldName(String);

impl<'de> Deserialize<'de> for FieldName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        match FIELDS.contains(&name.as_str()) {
            true => Ok(FieldName(name)),
            false => Err(D::Error::unknown_field(&name, FIELDS)),
        }
    }
}

/// Extra value words of a mapping.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Values {
    /// Words meaning yes.
    #[serde(default, rename = "true")]
    pub yes: Vec<String>,
    /// Words meaning no.
    #[serde(default, rename = "false")]
    pub no: Vec<String>,
    /// Words meaning "not known".
    #[serde(default)]
    pub unknown: Vec<String>,
}

/// The canonical fields a mapping may name.
pub const FIELDS: &[&str] = &[
    "device_id",
    "device_name",
    "platform",
    "os_version",
    "os_build",
    "android_patch_level",
    "model",
    "passcode_present",
    "passcode_compliant",
    "encrypted",
    "compromised",
    "managed",
    "supervised",
    "management_mode",
    "ownership",
    "compliance",
    "last_checkin",
    "enrolled",
    "cloud_backup",
    "owner",
    "email",
    "serial",
    "imei",
    "phone",
    "udid",
];

/// Boolean fields of the generic schema.
const FLAG_FIELDS: &[(&str, Flag)] = &[
    ("passcode_present", Flag::Passcode),
    ("passcode_compliant", Flag::PasscodeCompliant),
    ("encrypted", Flag::Encryption),
    ("compromised", Flag::Compromised),
    ("managed", Flag::Managed),
    ("supervised", Flag::Supervised),
    ("cloud_backup", Flag::CloudBackup),
];

impl Mapping {
    /// Reads a mapping file.
    pub fn load(path: &std::path::Path) -> Result<Mapping, InventoryError> {
        let file = path.display().to_string();
        let err = |reason: String| InventoryError::Mapping {
            file: file.clone(),
            reason,
        };
        let meta = std::fs::metadata(path).map_err(|e| err(e.to_string()))?;
        if meta.len() > MAX_MAPPING {
            return Err(err(format!("larger than {MAX_MAPPING} bytes")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        toml::from_str(&text).map_err(|e| InventoryError::MappingToml {
            file,
            problem: Box::new(FileProblem::from_toml(&text, &e)),
        })
    }

    /// Normalized export header → canonical field. Without an entry for a
    /// field, the column named like the field itself is used.
    fn header_map(&self) -> HashMap<String, String> {
        let mut m: HashMap<String, String> = FIELDS
            .iter()
            .map(|f| (norm_header(f), f.to_string()))
            .collect();
        for (field, header) in &self.columns {
            m.retain(|_, v| v != field);
            m.insert(norm_header(header), field.clone());
        }
        m
    }

    /// The boolean meaning of a cell under this mapping's extra words.
    fn truth(&self, cell: &str) -> Option<bool> {
        let eq = |w: &String| w.trim().eq_ignore_ascii_case(cell.trim());
        if self.values.unknown.iter().any(eq) {
            None
        } else if self.values.yes.iter().any(eq) {
            Some(true)
        } else if self.values.no.iter().any(eq) {
            Some(false)
        } else {
            bool_word(cell)
        }
    }
}

/// Reads a generic CSV export (columns per the mapping file, or the default
/// column names of `docs/facts-inventory.md`).
pub fn read(
    input: &mut dyn std::io::BufRead,
    ctx: &Ctx,
    out: &mut Collected,
) -> Result<(), InventoryError> {
    let mapping = match &ctx.mapping {
        Some(p) => Mapping::load(p)?,
        None => Mapping::default(),
    };
    let headers = mapping.header_map();
    let delimiter = mapping.delimiter.as_ref().and_then(|d| d.bytes().next());
    read_devices(
        input,
        delimiter,
        ctx.limits.max_record_size,
        |h| headers.get(h).cloned(),
        |v, line| map_row(v, line, &mapping, ctx),
        out,
    )
}

/// Maps one generic CSV row.
fn map_row(v: &Value, line: u64, mapping: &Mapping, ctx: &Ctx) -> crate::facts::Device {
    let mut b = Builder::of(format!("line {line}"), v, ctx);
    b.ident(Slot::DeviceId, &["device_id"]);
    b.ident(Slot::DeviceName, &["device_name"]);
    b.ident(Slot::User, &["owner"]);
    b.ident(Slot::Email, &["email"]);
    b.ident(Slot::Serial, &["serial"]);
    b.ident(Slot::Imei, &["imei"]);
    b.ident(Slot::Phone, &["phone"]);
    b.ident(Slot::Udid, &["udid"]);
    if let Some((_, p)) = b.rec.text(&["platform"]) {
        let mapped = mapping
            .platforms
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(&p))
            .map(|(_, v)| v.to_ascii_lowercase());
        b.d.platform = Some(mapped.unwrap_or_else(|| platform_word(&p)));
    }
    b.os_version(&["os_version"]);
    b.os_build(&["os_build"]);
    b.patch(&["android_patch_level"]);
    b.model(&["model"]);
    for (field, flag) in FLAG_FIELDS {
        if let Some((p, cell)) = b.rec.text(&[field]) {
            let value = mapping.truth(&cell);
            b.set_flag(*flag, value, Some(format!("{p} = {cell:?}")));
        }
    }
    if let Some((_, m)) = b.rec.text(&["management_mode"]) {
        b.d.management_mode = Some(m);
    }
    b.ownership(&["ownership"]);
    b.compliance(&["compliance"]);
    b.check_in(&["last_checkin"]);
    b.enrolled(&["enrolled"]);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_names_the_files_column_unless_two_columns_give_the_key() {
        let headers = csv::ByteRecord::from(vec!["Managed by", "Last check-in", "Agent", "x"]);
        let keys = [
            Some("agent".to_string()),
            Some("lastcheckin".to_string()),
            Some("agent".to_string()),
            None,
        ];
        let labels = Labels::of(&headers, &keys);
        let mut d = crate::facts::Device::default();
        d.raw.managed = Some("agent = \"Intune\"".into());
        d.raw.last_check_in = Some("lastcheckin = \"2026-09-01\"".into());
        d.raw.ownership = Some("lastcheckinx = 1".into());
        labels.apply(&mut d);
        // Two columns give `agent`: which one the value came from is not told.
        assert_eq!(d.raw.managed.as_deref(), Some("agent = \"Intune\""));
        assert_eq!(
            d.raw.last_check_in.as_deref(),
            Some("Last check-in = \"2026-09-01\"")
        );
        // Only a whole key before ` = ` is a key.
        assert_eq!(d.raw.ownership.as_deref(), Some("lastcheckinx = 1"));
    }

    #[test]
    fn rows_bounded_and_keyed() {
        let big = "x".repeat(MAX_FIELD + 1);
        let csv = format!("Device ID;OS version\n1;17.1\n2;{big}\n3;\"18.0\"\n");
        let mut ok = Vec::new();
        let mut bad = Vec::new();
        for_each_row(
            &mut csv.as_bytes(),
            None,
            crate::limits::DEFAULT_RECORD_SIZE,
            |h| Some(h.to_string()),
            |line, r, _| match r {
                Ok(v) => ok.push(v),
                Err(e) => bad.push((line, e)),
            },
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[1]["osversion"], "18.0");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].0, 3);
        assert!(bad[0].1.to_string().contains("over the limit"));
    }

    #[test]
    fn mapping_words() {
        let m = Mapping {
            values: Values {
                yes: vec!["aktiv".into()],
                no: vec![],
                unknown: vec!["k.A.".into()],
            },
            ..Mapping::default()
        };
        assert_eq!(m.truth("Aktiv"), Some(true));
        assert_eq!(m.truth("k.A."), None);
        assert_eq!(m.truth("nein"), Some(false));
    }
}
