//! The `msgaudit` command line; all work happens in the library.

/// mimalloc is the allocator (docs/hardening.md, "The allocator").
///
/// The scan's stages run on several threads and hand their data on: the
/// reading thread allocates each batch of devices that the assessing
/// threads free, and a round of report lines made on one thread is written
/// and freed on another. glibc's malloc locks the arena of every block a
/// thread frees that another thread allocated; on the 100,000-device fleet
/// a third of the JSON report's time went to waiting on those locks.
/// mimalloc frees such blocks without a lock, and its per-thread pages need
/// no cap on arenas to keep the peak independent of the number of threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc options (`mi_option_t` in mimalloc 3's `mimalloc.h`; the
/// numbers are checked against mimalloc's own listing of its options by
/// `tests/cli_scan.rs::the_allocator_runs_with_msgaudits_options`).
mod allocator_options {
    /// `mi_option_arena_eager_commit`: commit arena memory when it is
    /// first used, not when the arena is reserved.
    pub const ARENA_EAGER_COMMIT: i32 = 4;
    /// `mi_option_purge_delay`: milliseconds before freed memory goes back
    /// to the system.
    pub const PURGE_DELAY: i32 = 15;
    /// `mi_option_allow_thp`: transparent huge pages.
    pub const ALLOW_THP: i32 = 43;
}

/// Sets mimalloc's options before the first allocation (an `.init_array`
/// entry runs before `main` and before the Rust runtime allocates): memory
/// is committed as it is used and given back to the system 10 ms after it
/// is freed (mimalloc 2's default; 3's is 1 s), in 4 KiB pages, not 2 MiB
/// ones. The budgets bound what the
/// scan holds at once; these options make the process's peak follow what
/// it holds. With mimalloc 3's defaults (eager commit, a one-second purge
/// delay, huge pages) the 100,000-device scan peaked at 71–78 MB instead of
/// 45–51 MB, at the same CPU time; purging at once (0 ms) saved 4 MB more
/// but cost 0.3–0.4 s of system time in `madvise` calls.
extern "C" fn set_allocator_options() {
    use allocator_options::*;
    for (option, value) in [(ARENA_EAGER_COMMIT, 0), (PURGE_DELAY, 10), (ALLOW_THP, 0)] {
        // SAFETY: mi_option_set only stores an option's value; it runs
        // before main, when no other thread exists.
        unsafe { libmimalloc_sys::mi_option_set(option, value) };
    }
}

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

fn main() -> std::process::ExitCode {
    #[cfg(not(target_os = "linux"))]
    set_allocator_options();
    msgaudit::cli::main()
}
