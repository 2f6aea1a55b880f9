//! Where an archive's bytes come from: a slice in memory (a nested APK
//! inflated from its split set, tests) or a file read with positioned reads.
//!
//! A file is never read whole and never memory-mapped: a mapped file that
//! another process truncates while it is mapped kills the reader with
//! `SIGBUS` on the next access to a vanished page, and Rust offers no way to
//! turn that signal into an error. Positioned reads (`pread`) of a file that
//! shrinks simply come back short, which is reported as damage like any
//! other truncation. Small reads (fields of the end records, local headers,
//! data descriptors) go through one [`WINDOW`]-sized read-ahead buffer, so
//! walking the local headers of an APK in file order costs about one system
//! call per 64 KiB rather than several per entry.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// Size of the read-ahead window for small reads.
pub(super) const WINDOW: u64 = 64 << 10;

/// Random access to an archive's bytes; offsets are relative to the
/// archive's first byte.
pub(super) trait ReadAt {
    /// Length of the archive in bytes.
    fn size(&self) -> u64;
    /// `len` bytes at `at`, or `None` when they are not all there (past the
    /// end, or the file shrank or could not be read).
    fn get(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>>;
}

impl ReadAt for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn get(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let at = usize::try_from(at).ok()?;
        let len = usize::try_from(len).ok()?;
        self.get(at..at.checked_add(len)?).map(Cow::Borrowed)
    }
}

impl ReadAt for &[u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn get(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        ReadAt::get(*self, at, len)
    }
}

/// A byte range of a file (the whole file, or a STORED archive inside it),
/// read with positioned reads.
pub(super) struct FileRange {
    file: Arc<File>,
    /// Offset of the range in the file.
    base: u64,
    /// Length of the range.
    len: u64,
    /// The read-ahead window: its offset (within the range) and bytes.
    window: RefCell<(u64, Vec<u8>)>,
}

impl FileRange {
    /// The range `base..base + len` of `file`.
    pub(super) fn new(file: Arc<File>, base: u64, len: u64) -> Self {
        FileRange {
            file,
            base,
            len,
            window: RefCell::new((0, Vec::new())),
        }
    }

    /// The file and where this range lies in it.
    pub(super) fn file(&self) -> (&Arc<File>, u64) {
        (&self.file, self.base)
    }

    /// Reads exactly `buf.len()` bytes at `at` (relative to the range).
    fn read_exact_at(&self, buf: &mut [u8], at: u64) -> Option<()> {
        let end = at.checked_add(buf.len() as u64)?;
        if end > self.len {
            return None;
        }
        self.file
            .read_exact_at(buf, self.base.checked_add(at)?)
            .ok()
    }

    /// A reader over `len` bytes at `at` (an entry's compressed data).
    pub(super) fn reader(&self, at: u64, len: u64) -> RangeReader<'_> {
        RangeReader {
            range: self,
            pos: at,
            end: at.saturating_add(len).min(self.len),
            short: false,
        }
    }
}

impl FileRange {
    /// A seekable reader over the whole range (for the `zip` crate's reading).
    pub(super) fn cursor(&self) -> RangeCursor<'_> {
        RangeCursor {
            range: self,
            pos: 0,
        }
    }
}

/// [`Read`] and [`Seek`] over a [`FileRange`], with positioned reads.
pub(super) struct RangeCursor<'a> {
    range: &'a FileRange,
    pos: u64,
}

impl Read for RangeCursor<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.range.len.saturating_sub(self.pos);
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        let Some(part) = buf.get_mut(..n) else {
            return Ok(0);
        };
        if n == 0 {
            return Ok(0);
        }
        let got = self
            .range
            .file
            .read_at(part, self.range.base.saturating_add(self.pos))?;
        self.pos += got as u64;
        Ok(got)
    }
}

impl Seek for RangeCursor<'_> {
    fn seek(&mut self, to: SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => Some(p),
            SeekFrom::End(d) => self.range.len.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "seek before the start")
        })?;
        Ok(self.pos)
    }
}

impl ReadAt for FileRange {
    fn size(&self) -> u64 {
        self.len
    }

    fn get(&self, at: u64, len: u64) -> Option<Cow<'_, [u8]>> {
        let end = at.checked_add(len)?;
        if end > self.len {
            return None;
        }
        if len > WINDOW {
            let mut buf = vec![0u8; usize::try_from(len).ok()?];
            self.read_exact_at(&mut buf, at)?;
            return Some(Cow::Owned(buf));
        }
        let mut window = self.window.borrow_mut();
        let (start, bytes) = &mut *window;
        let inside = at >= *start && end <= *start + bytes.len() as u64;
        if !inside {
            let fill = WINDOW.min(self.len - at);
            bytes.resize(usize::try_from(fill).ok()?, 0);
            if self.read_exact_at(bytes, at).is_none() {
                bytes.clear();
                return None;
            }
            *start = at;
        }
        let from = usize::try_from(at - *start).ok()?;
        let to = from.checked_add(usize::try_from(len).ok()?)?;
        bytes.get(from..to).map(|b| Cow::Owned(b.to_vec()))
    }
}

/// Reads a span of a [`FileRange`] front to back; a file that ends before
/// the span does is an error (`UnexpectedEof`), never a silent short read.
pub(super) struct RangeReader<'a> {
    range: &'a FileRange,
    pos: u64,
    end: u64,
    short: bool,
}

impl Read for RangeReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.end.saturating_sub(self.pos);
        let n = usize::try_from(left).unwrap_or(usize::MAX).min(buf.len());
        if n == 0 || self.short {
            return Ok(0);
        }
        let Some(part) = buf.get_mut(..n) else {
            return Ok(0);
        };
        let at = self.range.base.saturating_add(self.pos);
        let got = self.range.file.read_at(part, at)?;
        if got == 0 {
            self.short = true;
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "the file ends before the entry's data (it shrank while it was read?)",
            ));
        }
        self.pos += got as u64;
        Ok(got)
    }
}
