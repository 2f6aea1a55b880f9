//! The `msgaudit` command line; all work happens in the library.

fn main() -> std::process::ExitCode {
    bound_malloc_arenas();
    msgaudit::cli::main()
}

/// Most malloc arenas (glibc): a fixed number, not glibc's default of
/// 8 per core.
///
/// glibc gives every thread an arena of its own and keeps what a thread
/// frees in that arena for its next allocations. The budgets bound what
/// the scan holds at once, but with one arena per thread each arena keeps
/// its own high-water mark, so the peak grew with the number of threads:
/// 32 amplified IPAs scanned with 32 threads peaked at 0.7–1.1 GB with
/// per-thread arenas and 0.3 GB with 4 (docs/hardening.md, "Per thread
/// and per scan"). Threads still allocate without waiting on each other
/// for small blocks (glibc's per-thread cache).
const MALLOC_ARENAS: i32 = 4;

/// Blocks of at least this size are mapped on their own and given back to
/// the system when freed (glibc's initial `M_MMAP_THRESHOLD`, here fixed).
///
/// By default glibc raises the threshold to the size of every mapped block
/// freed (up to 32 MiB), so after the first large values are dropped, later
/// ones come from the arenas, where freed memory stays with the process
/// unless it is at an arena's top. 32 IPAs whose Info.plist decodes to
/// 56 MiB (1 MiB strings) peaked at 1,129 MB with 8 threads that way, and
/// at 542 MB with the threshold fixed (docs/hardening.md).
const MALLOC_MMAP_THRESHOLD: i32 = 128 * 1024;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn bound_malloc_arenas() {
    // SAFETY: mallopt only sets an allocator parameter; it is called before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, MALLOC_ARENAS);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MALLOC_MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn bound_malloc_arenas() {
    let _ = (MALLOC_ARENAS, MALLOC_MMAP_THRESHOLD);
}
