//! Streaming JSON reading for device exports.
//!
//! Accepts a single record object, an object holding a record array under a
//! known key (`value`, `devices`, `Devices`, `results`, `mobile_devices`), a bare
//! array of records or of pages, several pages concatenated, and JSON lines.
//! The input is read from a [`BufRead`] one top-level value at a time, and
//! record arrays are streamed element by element (serde `SeqAccess`), so only
//! one record is held as a JSON tree at a time, whatever the export's size.
//!
//! The parts: `value_reader` hands serde one top-level value at a time and
//! counts its bytes against the record cap; `pages` visits the shapes
//! around the records (pages, arrays of pages, record arrays); `steal`
//! takes record objects past serde's streaming reader and parses them from a
//! slice, keeping serde's positions; `record_value` builds a record as
//! read (its kept entries, or a value), with `keep` saying which keys are
//! built. This module reads the whole export and words its errors.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{BufRead, Read};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use super::note::{JsonProblem, Note, Reason, Unit};
use super::{peek, InventoryError, MAX_WARNINGS};
use crate::extract::json_path;

mod fast_record;
mod keep;
mod pages;
mod record_value;
mod steal;
mod value_reader;

use keep::*;
use pages::*;
pub(super) use record_value::insert_repeated;
pub use record_value::Record;
use record_value::*;
use steal::*;
use value_reader::*;
pub use value_reader::{RecordCap, ValueReader};

/// Keys under which exports carry their record arrays.
pub const RECORD_KEYS: &[&str] = &["value", "devices", "Devices", "results", "mobile_devices"];

/// Keys with which a page (an object with a record array) links to the
/// export's next page: Microsoft Graph's `@odata.nextLink` and the Android
/// Management API's `nextPageToken`. A page that has one is not the last.
pub const NEXT_PAGE_KEYS: &[&str] = &["@odata.nextLink", "nextPageToken"];

/// Keys with which a page says how many records the export has in all:
/// Workspace ONE's `Total` (beside `Page` and `PageSize`), the Jamf Pro
/// API's `totalCount` and Microsoft Graph's `@odata.count` (the count of the
/// whole collection, not of the page: OData leaves `$top` and `$skip` out of
/// it; the recorded Intune `managedDevices` response gives it).
pub const TOTAL_KEYS: &[&str] = &["Total", "totalCount", "@odata.count"];

/// Describes a serde_json error by kind and position only — never by content,
/// which may be personal data.
pub fn describe(e: &serde_json::Error) -> Reason {
    describe_at(e, None)
}

/// [`describe`], with the problem's byte offset in the export.
fn describe_at(e: &serde_json::Error, byte: Option<u64>) -> Reason {
    use serde_json::error::Category;
    // serde_json names these two syntax errors by their message alone
    // (which never holds content).
    let message = e.to_string();
    let problem = match e.classify() {
        Category::Syntax if message.starts_with("recursion limit exceeded") => JsonProblem::TooDeep,
        Category::Syntax if message.starts_with("number out of range") => {
            JsonProblem::NumberOutOfRange
        }
        Category::Syntax => JsonProblem::Syntax,
        Category::Eof => JsonProblem::Truncated,
        Category::Data => JsonProblem::WrongType,
        Category::Io => JsonProblem::Read,
    };
    Reason::Json {
        problem,
        line: e.line(),
        column: e.column(),
        byte,
    }
}

/// Calls `sink` with each record of a JSON export read from `input`.
/// Returns the warnings for top-level values that could not be read; fails
/// when nothing could be read. A record (an element of a record array, or a
/// top-level value that is not a page) over `max_record` bytes stops the
/// top-level value it is in, before it is buffered: the value is skipped to
/// its end (without buffering) and reading goes on with the next one.
///
/// Reading is streaming: each top-level value is passed to serde_json through
/// a [`ValueReader`] that ends at the value's last byte, and record arrays
/// (also those of pages inside a top-level array) are visited element by
/// element, so only one record is held as a JSON tree at a time. A broken
/// value is read to its end (by bracket matching) and skipped.
pub fn for_each_record(
    input: &mut dyn BufRead,
    max_record: u64,
    mut sink: impl FnMut(Value),
) -> Result<Vec<Note>, InventoryError> {
    read_records(input, max_record, true, None, |r| sink(r.into_value()))
}

/// [`for_each_record`], each record object holding only the keys `keep`
/// names ([`Keep`]; all with `None`): the same records, warnings and
/// errors, the other keys' values checked as serde checks them but never
/// built. A record object of a record array comes as its kept entries
/// ([`Record::Kept`]: no tree built, no key allocated), anything else as a
/// value; the keep list is a constant of the adapter.
pub fn for_each_record_keeping(
    input: &mut dyn BufRead,
    max_record: u64,
    keep: Keep<'static>,
    sink: impl FnMut(Record),
) -> Result<Vec<Note>, InventoryError> {
    read_records(input, max_record, true, keep, sink)
}

/// The keys of a record object an adapter reads (`None`: all): a key
/// (its whole value), or `key.inner` (of the object under `key`, only
/// `inner`; a value under `key` that is no object is kept whole). An entry
/// is matched as a whole key first, so a key with a dot (`@odata.type`)
/// is kept whole. Values that are not kept are still read and checked as
/// serde checks them.
pub type Keep<'k> = Option<&'k [&'k str]>;

/// [`for_each_record_keeping`]; without `steal`, serde reads every byte of a
/// large value itself (the slower way, kept to check the faster one against).
fn read_records(
    input: &mut dyn BufRead,
    max_record: u64,
    steal: bool,
    keep: Keep<'static>,
    mut sink: impl FnMut(Record),
) -> Result<Vec<Note>, InventoryError> {
    let consumed = Cell::new(0u64);
    let mut counted = Counting {
        inner: input,
        count: &consumed,
    };
    let mut input = peek::skip_bom(&mut counted).map_err(read_error)?;
    let input: &mut dyn BufRead = &mut input;
    let mut count = 0usize;
    let mut values = 0usize;
    // (value number, description), bounded; `more` counts the rest.
    let mut errors: Vec<(usize, Reason)> = Vec::new();
    let mut more = 0usize;
    let mut buf = Vec::new();
    let mut small = Vec::new();
    let cap = RecordCap::new(max_record.max(1));
    let last_page = LastPage::default();
    let small_max = usize::try_from(max_record)
        .unwrap_or(usize::MAX)
        .clamp(1, SMALL);
    while let Some(first) = skip_whitespace(input).map_err(read_error)? {
        values = values.saturating_add(1);
        let start = consumed.get();
        cap.tripped.set(false);
        let mut value =
            ValueReader::new(&mut *input, first, std::mem::take(&mut buf)).with_cap(&cap);
        let mut counting = |v: Record| {
            count = count.saturating_add(1);
            sink(v)
        };
        // A value that ends within SMALL bytes (a JSON line, a small page)
        // is parsed from a slice, which is faster; a larger one is streamed.
        small.clear();
        value
            .read_up_to(&mut small, small_max)
            .map_err(read_error)?;
        let in_slice = value.finished();
        let (res, streamed) = if in_slice {
            // Text checked as UTF-8 in one pass is parsed as text, which
            // serde reads as it reads the bytes (the same values, and errors
            // at the same places) without checking every string again.
            let res = match std::str::from_utf8(&small) {
                Ok(text) => visit_top(
                    serde_json::Deserializer::from_str(text),
                    &cap,
                    &last_page,
                    None,
                    keep,
                    &mut counting,
                ),
                Err(_) => visit_top(
                    serde_json::Deserializer::from_slice(&small),
                    &cap,
                    &last_page,
                    None,
                    keep,
                    &mut counting,
                ),
            };
            (res, None)
        } else {
            let source = RefCell::new(Source::new(&small, &mut value));
            let res = visit_top(
                serde_json::Deserializer::from_reader(Shared(&source)),
                &cap,
                &last_page,
                Some(&source as &dyn Steal).filter(|_| steal),
                keep,
                &mut counting,
            );
            (res, Some(source.into_inner().finish()))
        };
        if let Err(e) = res {
            let pulled_small = small.len() as u64;
            let at = match streamed {
                None => json_path::byte_offset(&small, e.line(), e.column()) as u64,
                Some(_) => pulled_small.saturating_add(value.delivered()),
            };
            let reason = match streamed {
                _ if cap.tripped.get() => Reason::RecordTooLarge {
                    limit: cap.max,
                    byte: Some(start.saturating_add(at)),
                },
                // A record read past serde failed: serde's own error for it.
                Some(Finish {
                    failure: Some(f), ..
                }) if f.problem == JsonProblem::Read => {
                    return Err(InventoryError::Read(
                        Reason::Json {
                            problem: f.problem,
                            line: f.line,
                            column: f.column,
                            byte: None,
                        }
                        .to_string(),
                    ))
                }
                Some(Finish {
                    failure: Some(f), ..
                }) => Reason::Json {
                    problem: f.problem,
                    line: f.line,
                    column: f.column,
                    byte: Some(start.saturating_add(at)),
                },
                _ if e.classify() == serde_json::error::Category::Io => {
                    return Err(InventoryError::Read(describe(&e).to_string()));
                }
                None => describe_at(&e, Some(start.saturating_add(at))),
                // serde saw only part of the bytes (records were read past
                // it): its position as it would have counted every byte.
                Some(f) => match describe_at(&e, Some(start.saturating_add(at))) {
                    Reason::Json {
                        problem,
                        line,
                        column,
                        byte,
                    } => {
                        let (line, column) = f.position(line, column);
                        Reason::Json {
                            problem,
                            line,
                            column,
                            byte,
                        }
                    }
                    other => other,
                },
            };
            value.drain().map_err(read_error)?;
            if errors.len() < MAX_WARNINGS {
                errors.push((values, reason));
            } else {
                more = more.saturating_add(1);
            }
        }
        buf = value.into_buffer();
    }
    if values == 0 {
        return Err(InventoryError::Empty);
    }
    let several = values > 1;
    let first_error = errors.first().map(|(_, m)| m.clone());
    let mut warnings: Vec<Note> = errors
        .into_iter()
        .map(|(i, reason)| {
            if several {
                Note::Skipped {
                    unit: Unit::JsonValue,
                    number: i as u64,
                    reason,
                }
            } else {
                Note::BrokeAfterRecords(reason)
            }
        })
        .collect();
    if more > 0 {
        warnings.push(Note::MoreUnreadableJson(more));
    }
    // Once per export, whatever the pages before it said: only a file
    // that ends with a page promising more lacks pages.
    if let Some(key) = last_page.link.get() {
        warnings.push(Note::FurtherPage { key });
    }
    // The total of the last page that gives one, against the records of
    // every page of the file.
    warnings.extend(last_page.total_note(count));
    match first_error {
        Some(reason) if count == 0 => Err(InventoryError::Json(reason.to_string())),
        _ => Ok(warnings),
    }
}

/// An input error while reading JSON.
fn read_error(e: std::io::Error) -> InventoryError {
    InventoryError::Read(e.to_string())
}

/// Skips ASCII whitespace; returns the next byte without consuming it, or
/// `None` at the end of the input.
fn skip_whitespace(input: &mut dyn BufRead) -> std::io::Result<Option<u8>> {
    loop {
        let buf = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let first = buf.get(i).copied();
                input.consume(i);
                return Ok(first);
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    }
}

#[cfg(test)]
mod tests;
