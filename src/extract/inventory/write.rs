//! Writes an inventory's facts JSON while its devices are read, so
//! `msgaudit facts` on an export never holds the fleet.
//!
//! The output is byte for byte what `serde_json::to_writer_pretty` gives for
//! [`crate::facts::Facts::Inventory`]: each part (the file, each device, the
//! warnings) is pretty-printed on its own and indented to its depth. Raw
//! newlines in pretty JSON only ever separate tokens (a newline inside a
//! string is written `\n`), so indenting after each newline is exact.

use std::io::{self, BufRead, Write};

use serde::Serialize;
use thiserror::Error;

use super::{InventoryError, InventoryRead, InventoryStream};
use crate::extract::ExtractOptions;
use crate::facts::{FileInfo, TargetKind};

/// Why writing an inventory's facts failed.
#[derive(Debug, Error)]
pub enum WriteError {
    /// The export could not be read. When `started`, the beginning of its
    /// document had already been written: it was closed as valid JSON with
    /// the error as its last warning.
    #[error("{error}")]
    Inventory {
        /// What went wrong reading.
        error: InventoryError,
        /// Whether part of the document was written.
        started: bool,
    },
    /// The output could not be written.
    #[error("cannot write the facts: {0}")]
    Output(#[from] io::Error),
}

/// Pretty-prints `value` into `out`, every line after the first indented by
/// `indent` spaces (the depth the value sits at).
fn pretty_at(out: &mut Vec<u8>, value: &impl Serialize, indent: usize) -> io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        out,
        AtDepth {
            base: indent,
            level: 0,
            has_value: false,
        },
    );
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// serde_json's pretty printer (two spaces a level) for a value that sits
/// `base` spaces deep: each new line starts with `base` more spaces, so the
/// output is written at its depth in one pass.
struct AtDepth {
    base: usize,
    level: usize,
    has_value: bool,
}

impl AtDepth {
    /// A new line at the current level.
    fn newline<W: ?Sized + Write>(&self, w: &mut W, sep: &[u8]) -> io::Result<()> {
        const SPACES: [u8; 64] = [b' '; 64];
        w.write_all(sep)?;
        let mut n = self.base.saturating_add(self.level.saturating_mul(2));
        while n > 0 {
            let k = n.min(SPACES.len());
            w.write_all(SPACES.get(..k).unwrap_or_default())?;
            n -= k;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for AtDepth {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level = self.level.saturating_add(1);
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.newline(w, b"\n")?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, if first { b"\n" } else { b",\n" })
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level = self.level.saturating_add(1);
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            self.newline(w, b"\n")?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.newline(w, if first { b"\n" } else { b",\n" })
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Reads the export in `input` (described by `file`) and writes its facts
/// document to `out` as the devices arrive, preceded by `separator` (e.g.
/// `",\n"` between documents) once the format is known. Nothing is written
/// when the export is not recognized, nor when reading finds, before any
/// device, that the file is no device export after all
/// ([`InventoryError::NotDevices`], e.g. a property list that is an app's
/// `Info.plist`): the document begins with the first device, or at the end.
pub fn write_facts(
    file: &FileInfo,
    input: &mut dyn BufRead,
    options: &ExtractOptions,
    separator: &[u8],
    out: &mut dyn Write,
) -> Result<InventoryRead, WriteError> {
    let stream = InventoryStream::open(&file.path, input, options).map_err(|error| {
        WriteError::Inventory {
            error,
            started: false,
        }
    })?;
    let mut head = Vec::with_capacity(512);
    head.extend_from_slice(separator);
    head.extend_from_slice(b"{\n  \"kind\": ");
    serde_json::to_writer(&mut head, &TargetKind::Inventory).map_err(io::Error::other)?;
    head.extend_from_slice(b",\n  \"file\": ");
    pretty_at(&mut head, file, 2)?;
    head.extend_from_slice(b",\n  \"format\": ");
    serde_json::to_writer(&mut head, stream.format().name()).map_err(io::Error::other)?;
    head.extend_from_slice(b",\n  \"pseudonymized\": ");
    head.extend_from_slice(if options.reveal_identities {
        b"false"
    } else {
        b"true"
    });
    head.extend_from_slice(b",\n  \"devices\": [");

    let mut written = 0usize;
    let mut failed: Option<io::Error> = None;
    let mut buf = Vec::with_capacity(4096);
    let result = stream.read(&mut |device| {
        if failed.is_some() {
            return;
        }
        buf.clear();
        if written == 0 {
            buf.append(&mut head);
        }
        buf.extend_from_slice(if written == 0 { b"\n    " } else { b",\n    " });
        let res = pretty_at(&mut buf, &device, 4).and_then(|()| out.write_all(&buf));
        match res {
            Ok(()) => written = written.saturating_add(1),
            Err(e) => failed = Some(e),
        }
    });
    if let Some(e) = failed {
        return Err(WriteError::Output(e));
    }
    match result {
        Err(error @ (InventoryError::NotDevices(_) | InventoryError::Unrecognized))
            if written == 0 =>
        {
            Err(WriteError::Inventory {
                error,
                started: false,
            })
        }
        result => finish(head, written, result, out),
    }
}

/// Ends an inventory's facts document (begun with `head` unless a device
/// was written) after `written` devices, with the warnings of `result`.
fn finish(
    head: Vec<u8>,
    written: usize,
    result: Result<InventoryRead, InventoryError>,
    out: &mut dyn Write,
) -> Result<InventoryRead, WriteError> {
    if written == 0 {
        out.write_all(&head)?;
    }
    let (warnings, error) = match result {
        Ok(read) => (read.warnings.clone(), Ok(read)),
        Err(e) => (
            vec![super::Note::ReadingStopped {
                error: e.to_string(),
                place: None,
            }],
            Err(e),
        ),
    };
    let mut tail = Vec::with_capacity(256);
    tail.extend_from_slice(if written == 0 { b"]" } else { b"\n  ]" });
    tail.extend_from_slice(b",\n  \"warnings\": ");
    pretty_at(&mut tail, &warnings, 2)?;
    let partial = error.as_ref().ok().and_then(|r| r.partial.as_ref());
    if let Some(p) = partial {
        tail.extend_from_slice(b",\n  \"partial\": ");
        pretty_at(&mut tail, p, 2)?;
    }
    tail.extend_from_slice(b"\n}");
    out.write_all(&tail)?;
    match error {
        // Read only in part: the document is complete, but the caller must fail.
        Ok(read) if read.partial.is_some() => {
            let summary = read.warnings.first().map(ToString::to_string);
            Err(WriteError::Inventory {
                error: InventoryError::Partial(summary.unwrap_or_default()),
                started: true,
            })
        }
        other => other.map_err(|error| WriteError::Inventory {
            error,
            started: true,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{file_info, ExtractOptions};
    use crate::facts::Facts;

    fn opts() -> ExtractOptions {
        ExtractOptions {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            pseudonym_key: Some("test-key".into()),
            ..ExtractOptions::default()
        }
    }

    /// What `msgaudit facts` printed before streaming: the whole facts, pretty.
    fn collected(path: &str, bytes: &[u8], o: &ExtractOptions) -> Vec<u8> {
        let facts = super::super::extract_inventory(file_info(path, bytes), bytes, o).unwrap();
        serde_json::to_vec_pretty(&Facts::Inventory(Box::new(facts))).unwrap()
    }

    fn streamed(path: &str, bytes: &[u8], o: &ExtractOptions, sep: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        write_facts(&file_info(path, bytes), &mut &*bytes, o, sep, &mut out).unwrap();
        out
    }

    #[test]
    fn byte_identical_to_pretty_facts_for_every_sample() {
        for (name, path, bytes) in crate::extract::inventory::sample_exports() {
            for reveal in [false, true] {
                let o = ExtractOptions {
                    reveal_identities: reveal,
                    ..opts()
                };
                let want = collected(&path, &bytes, &o);
                assert_eq!(
                    String::from_utf8(streamed(&path, &bytes, &o, b"")).unwrap(),
                    String::from_utf8(want.clone()).unwrap(),
                    "{name}"
                );
                let mut with_sep = b",\n".to_vec();
                with_sep.extend_from_slice(&want);
                assert_eq!(streamed(&path, &bytes, &o, b",\n"), with_sep, "{name}");
            }
        }
    }

    #[test]
    fn empty_device_list_and_warnings_match() {
        // A page without records: no devices, one warning (default key).
        let bytes = br#"{"@odata.context":"x","value":[]}"#;
        let o = ExtractOptions {
            pseudonym_key: None,
            ..opts()
        };
        assert_eq!(
            String::from_utf8(streamed("e.json", bytes, &o, b"")).unwrap(),
            String::from_utf8(collected("e.json", bytes, &o)).unwrap()
        );
    }

    /// An app's `Info.plist` is a property list but no Apple MDM response:
    /// found so only when read, it gets no (empty) inventory document.
    #[test]
    fn nothing_written_for_a_property_list_that_holds_no_device() {
        let plist = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-apps/ios/src/SecureChat-Info.plist");
        let bytes = std::fs::read(&plist).unwrap();
        let mut out = Vec::new();
        let r = write_facts(
            &file_info("Info.plist", &bytes),
            &mut &bytes[..],
            &opts(),
            b",\n",
            &mut out,
        );
        assert!(
            matches!(
                &r,
                Err(WriteError::Inventory {
                    error: InventoryError::NotDevices(_),
                    started: false
                })
            ),
            "{r:?}"
        );
        assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    }

    #[test]
    fn nothing_written_when_unrecognized_and_valid_json_when_stopped() {
        let mut out = Vec::new();
        let r = write_facts(
            &file_info("x", b"hello"),
            &mut &b"hello world\n"[..],
            &opts(),
            b",\n",
            &mut out,
        );
        assert!(matches!(
            r,
            Err(WriteError::Inventory {
                error: InventoryError::Unrecognized,
                started: false
            })
        ));
        assert!(out.is_empty());
        // A Jamf XML list cut short after one record: the record is written,
        // the document is closed and says it was read only in part (first
        // note, and `partial` with where reading stopped); the caller fails.
        let xml = b"<mobile_devices><mobile_device><general><id>1</id><os_version>17.1</os_version></general></mobile_device><mobile_device><general>";
        let r = write_facts(
            &file_info("j.xml", xml),
            &mut &xml[..],
            &opts(),
            b"",
            &mut out,
        );
        match r {
            Err(WriteError::Inventory {
                error: InventoryError::Partial(summary),
                started: true,
            }) => assert!(
                summary.starts_with("READ ONLY IN PART: 1 device(s) read"),
                "{summary}"
            ),
            other => panic!("{other:?}"),
        }
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v["devices"].as_array().unwrap().len(), 1);
        assert_eq!(v["partial"]["devices_read"], 1);
        assert_eq!(v["partial"]["stopped_at"]["byte"], xml.len());
        assert_eq!(v["partial"]["resumed"], false);
        let w = v["warnings"].as_array().unwrap();
        assert!(
            w[0].as_str().unwrap().starts_with("READ ONLY IN PART"),
            "{w:?}"
        );
        assert!(w
            .last()
            .unwrap()
            .as_str()
            .unwrap()
            .starts_with("reading stopped at byte"));
    }
}
