//! The process-wide budget of decoded bytes in flight: every entry inflated
//! from any archive, on any thread, holds a [`Lease`] on its bytes until the
//! bytes are dropped, and the leases together never exceed
//! `Limits::max_inflight`. So `threads × --max-entry-size` no longer bounds
//! memory; this budget does, whatever the number of cores.
//!
//! A request that cannot be served at once waits until other threads give
//! bytes back: nothing is refused merely for being read at the same time as
//! something else. A thread that already holds a lease (an entry inside a
//! nested APK while the nested APK is held, an executable while Info.plist
//! is held) waits only when the waiting threads' leases plus the largest
//! request of a waiting lease holder still fit in the budget; this keeps a
//! set of holders from waiting for each other for ever (whenever every
//! holder waits, each of them can be served). Otherwise — and for a request
//! larger than the whole budget — the entry is refused as over the budget.
//!
//! Reads with different budgets (only tests use several) draw on separate
//! pools: the budget is shared by all reads made with the same limit.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;

#[derive(Default)]
struct State {
    /// Bytes leased in total.
    used: u64,
    /// Bytes leased per thread.
    held: HashMap<ThreadId, u64>,
    /// Threads waiting while they hold a lease: (thread, bytes asked for).
    waiting: Vec<(ThreadId, u64)>,
}

impl State {
    /// Whether a thread holding `mine` may wait for `more`: the waiting
    /// holders' leases with this one, plus the largest request among them,
    /// fit in `total`.
    fn may_wait(&self, mine: u64, more: u64, total: u64) -> bool {
        let held = |t: &ThreadId| self.held.get(t).copied().unwrap_or(0);
        let waiting_held: u64 = self.waiting.iter().map(|(t, _)| held(t)).sum();
        let largest = self.waiting.iter().map(|&(_, m)| m).fold(more, u64::max);
        waiting_held.saturating_add(mine).saturating_add(largest) <= total
    }
}

/// The pools, by budget.
type Pools = Option<HashMap<u64, State>>;

static STATE: Mutex<Pools> = Mutex::new(None);
static FREED: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, Pools> {
    // A panic elsewhere while holding the lock leaves consistent counters.
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The budget (in bytes) a refused request was over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct OverBudget(pub u64);

/// Bytes of the in-flight budget held by one inflated entry; given back on drop.
#[derive(Debug)]
pub struct Lease {
    bytes: u64,
    total: u64,
    thread: ThreadId,
}

impl Lease {
    /// Takes `bytes` of a budget of `total`, waiting while other threads hold
    /// it (see the module documentation).
    pub(super) fn take(bytes: u64, total: u64) -> Result<Lease, OverBudget> {
        let thread = std::thread::current().id();
        let mut lease = Lease {
            bytes: 0,
            total,
            thread,
        };
        lease.grow(bytes)?;
        Ok(lease)
    }

    /// Adds `more` bytes to this lease, under the same rules.
    pub(super) fn grow(&mut self, more: u64) -> Result<(), OverBudget> {
        let total = self.total;
        if more == 0 {
            return Ok(());
        }
        let mut guard = lock();
        loop {
            let state = guard
                .get_or_insert_with(HashMap::new)
                .entry(total)
                .or_default();
            let mine = state.held.get(&self.thread).copied().unwrap_or(0);
            if state.used.saturating_add(more) <= total {
                state.used += more;
                *state.held.entry(self.thread).or_insert(0) += more;
                self.bytes += more;
                return Ok(());
            }
            let alone = state.used <= mine;
            if more > total || (mine > 0 && (alone || !state.may_wait(mine, more, total))) {
                return Err(OverBudget(total));
            }
            if mine > 0 {
                state.waiting.push((self.thread, more));
            }
            guard = FREED.wait(guard).unwrap_or_else(PoisonError::into_inner);
            if let Some(state) = guard.as_mut().and_then(|p| p.get_mut(&total)) {
                state.waiting.retain(|(t, _)| *t != self.thread);
            }
        }
    }

    /// Gives back what the lease holds beyond `keep` bytes.
    pub(super) fn shrink_to(&mut self, keep: u64) {
        if keep < self.bytes {
            release(self.thread, self.total, self.bytes - keep);
            self.bytes = keep;
        }
    }
}

fn release(thread: ThreadId, total: u64, bytes: u64) {
    if bytes == 0 {
        return;
    }
    let mut guard = lock();
    if let Some(state) = guard.as_mut().and_then(|p| p.get_mut(&total)) {
        state.used = state.used.saturating_sub(bytes);
        if let Some(h) = state.held.get_mut(&thread) {
            *h = h.saturating_sub(bytes);
            if *h == 0 {
                state.held.remove(&thread);
            }
        }
    }
    drop(guard);
    FREED.notify_all();
}

impl Drop for Lease {
    fn drop(&mut self) {
        release(self.thread, self.total, self.bytes);
    }
}

/// Bytes leased right now on the budget of `total` bytes (for tests and
/// benchmarks).
pub fn in_flight(total: u64) -> u64 {
    lock()
        .as_ref()
        .and_then(|p| p.get(&total))
        .map_or(0, |s| s.used)
}

/// The inflated bytes of one entry, with their lease on the in-flight
/// budget (given back when they are dropped).
pub struct Inflated {
    data: Vec<u8>,
    _lease: Lease,
}

impl Inflated {
    pub(super) fn new(data: Vec<u8>, lease: Lease) -> Self {
        Inflated {
            data,
            _lease: lease,
        }
    }
}

impl std::ops::Deref for Inflated {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.data
    }
}

impl AsRef<[u8]> for Inflated {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

impl std::fmt::Debug for Inflated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Inflated({} bytes)", self.data.len())
    }
}
