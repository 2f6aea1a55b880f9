//! An anonymous temporary file that results are moved to when they would
//! take too much memory, read at offsets by several threads at once: the
//! device store's records ([`super::store`]), the facts apps keep for the
//! report ([`super::kept_facts`]) and the devices kept between reading and
//! assessing them (`pipeline::device_spill`).

use std::fs::File;
use std::io;

/// A temporary file read (and written) at offsets, without a shared cursor
/// on Unix, behind a lock elsewhere.
#[derive(Debug)]
pub(crate) struct SpillFile {
    #[cfg(unix)]
    file: File,
    #[cfg(not(unix))]
    file: std::sync::Mutex<File>,
}

impl SpillFile {
    /// Wraps `file` (normally from `tempfile::tempfile`).
    pub(crate) fn new(file: File) -> SpillFile {
        SpillFile {
            #[cfg(unix)]
            file,
            #[cfg(not(unix))]
            file: std::sync::Mutex::new(file),
        }
    }

    /// A new anonymous temporary file (removed by the system when closed).
    pub(crate) fn create() -> io::Result<SpillFile> {
        tempfile::tempfile().map(SpillFile::new)
    }

    /// Fills `buf` from `offset`.
    #[cfg(unix)]
    pub(crate) fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
    }

    /// Writes all of `buf` at `offset`.
    #[cfg(unix)]
    pub(crate) fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(&self.file, buf, offset)
    }

    /// Fills `buf` from `offset`.
    #[cfg(not(unix))]
    pub(crate) fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let mut f = self.lock()?;
        f.seek(SeekFrom::Start(offset))?;
        f.read_exact(buf)
    }

    /// Writes all of `buf` at `offset`.
    #[cfg(not(unix))]
    pub(crate) fn write_all_at(&self, buf: &[u8], offset: u64) -> io::Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        let mut f = self.lock()?;
        f.seek(SeekFrom::Start(offset))?;
        f.write_all(buf)
    }

    #[cfg(not(unix))]
    fn lock(&self) -> io::Result<std::sync::MutexGuard<'_, File>> {
        self.file
            .lock()
            .map_err(|_| io::Error::other("the temporary file's lock is poisoned"))
    }
}
