//! The process-wide pool of *working memory* for what a target decodes
//! outside its archive entries — today the values of its property lists —
//! so that the memory of a scan does not grow with the number of threads.
//!
//! The in-flight budget (`super::budget`) bounds the inflated entries;
//! what the readers build from them (a plist's values, their JSON copy in
//! the facts) is bounded per target by its own budget. With one target per
//! thread, that per-target bound alone makes the peak grow with the cores
//! (`threads × budget`). This pool caps the sum over all targets being read
//! at the same time.
//!
//! How a target draws on it ([`run_target`]): the target runs in a
//! *scope* on its thread; every decoded byte is charged to the scope
//! ([`charge`]). The scope starts with nothing reserved and takes more from
//! the pool as it needs it, **without waiting**. When the pool has no room
//! (other targets hold it), the attempt is abandoned — every charge fails
//! from then on, so it ends quickly — its results are dropped, and the
//! target runs again after reserving the whole per-target allowance at once,
//! waiting for it while holding nothing. So:
//!
//! - a target never fails because others were read at the same time, and
//!   its facts do not depend on timing or thread count (the second run reads
//!   the same bytes with the same budgets; only when it runs differs);
//! - no two targets can wait for each other: waiting happens only before a
//!   target holds any of the pool (and before it holds any in-flight lease,
//!   so a holder of the pool may wait on the in-flight budget but never
//!   the reverse);
//! - more than the allowance in one target is a limit of that target
//!   (deterministic: it depends on the target's bytes only).
//!
//! Reads outside a scope (a library call on bytes, the inventory readers,
//! which stream one export at a time on one thread) are bounded by their
//! own per-read budgets only.
//!
//! Scopes with different allowances (only tests use several) draw on
//! separate pools.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

static STATE: Mutex<Option<HashMap<u64, u64>>> = Mutex::new(None);
static FREED: Condvar = Condvar::new();

fn lock() -> MutexGuard<'static, Option<HashMap<u64, u64>>> {
    STATE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Bytes taken from the pool of `total` bytes; given back on drop.
#[derive(Debug)]
pub struct Reservation {
    bytes: u64,
    total: u64,
}

impl Reservation {
    /// An empty reservation on the pool of `total` bytes.
    pub fn empty(total: u64) -> Self {
        Reservation { bytes: 0, total }
    }

    /// Takes `bytes` of the pool of `total` at once, waiting until they are
    /// free. `None` when `bytes` exceeds the whole pool (it could never be
    /// served).
    pub fn wait_for(bytes: u64, total: u64) -> Option<Self> {
        if bytes > total {
            return None;
        }
        let mut guard = lock();
        loop {
            let used = guard
                .get_or_insert_with(HashMap::new)
                .entry(total)
                .or_insert(0);
            if used.saturating_add(bytes) <= total {
                *used += bytes;
                return Some(Reservation { bytes, total });
            }
            guard = FREED.wait(guard).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Adds `more` bytes if the pool has them now; never waits.
    pub fn try_grow(&mut self, more: u64) -> bool {
        let mut guard = lock();
        let used = guard
            .get_or_insert_with(HashMap::new)
            .entry(self.total)
            .or_insert(0);
        if used.saturating_add(more) > self.total {
            return false;
        }
        *used += more;
        self.bytes += more;
        true
    }

    /// Bytes held.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        if self.bytes == 0 {
            return;
        }
        let mut guard = lock();
        if let Some(used) = guard.as_mut().and_then(|p| p.get_mut(&self.total)) {
            *used = used.saturating_sub(self.bytes);
        }
        drop(guard);
        FREED.notify_all();
    }
}

/// Bytes of the pool of `total` reserved right now (tests, benchmarks).
pub fn in_use(total: u64) -> u64 {
    lock()
        .as_ref()
        .and_then(|p| p.get(&total))
        .copied()
        .unwrap_or(0)
}

/// Reservations grow in steps of this size (fewer trips to the lock).
const STEP: u64 = 1 << 20;

/// One target's account while it runs.
struct Scope {
    reserved: Reservation,
    charged: u64,
    /// The pool had no room: this attempt is abandoned.
    starved: bool,
}

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

/// Why a charge was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The target's decoded bytes together exceed the allowance (bytes): a
    /// limit of this target.
    OverAllowance(u64),
    /// The pool is held by other targets: this attempt is abandoned and the
    /// target runs again once it can reserve its whole allowance. Never
    /// reaches a report.
    Retry,
}

/// Charges `bytes` decoded by the current thread's target. Outside a scope
/// (see the module documentation) it always succeeds.
pub fn charge(bytes: u64) -> Result<(), Refused> {
    SCOPE.with(|s| {
        let mut s = s.borrow_mut();
        let Some(scope) = s.as_mut() else {
            return Ok(());
        };
        if scope.starved {
            return Err(Refused::Retry);
        }
        let total = scope.reserved.total;
        scope.charged = scope.charged.saturating_add(bytes);
        if scope.charged > total {
            return Err(Refused::OverAllowance(total));
        }
        if scope.charged > scope.reserved.bytes {
            let want = (scope.charged - scope.reserved.bytes)
                .div_ceil(STEP)
                .saturating_mul(STEP)
                .min(total - scope.reserved.bytes);
            if !scope.reserved.try_grow(want) {
                scope.starved = true;
                return Err(Refused::Retry);
            }
        }
        Ok(())
    })
}

/// Whether the current thread's target has been abandoned because the pool
/// was full: everything it read since is incomplete and will be thrown
/// away, since [`run_target`] runs it again. Work that only uses what was
/// read (evaluating the facts) can be skipped. `false` outside a scope.
pub fn abandoned() -> bool {
    SCOPE.with(|s| s.borrow().as_ref().is_some_and(|s| s.starved))
}

/// Runs one target (`read`) on this thread with an allowance of `total`
/// decoded bytes drawn from the process-wide pool of `total` bytes (see the
/// module documentation): first without waiting, and when the pool was
/// full, again after reserving the whole allowance. Returns `read`'s result
/// and whether it had to run twice. Inside a scope (a target within a
/// target) `read` simply runs in the enclosing scope.
pub fn run_target<T>(total: u64, mut read: impl FnMut() -> T) -> (T, bool) {
    if SCOPE.with(|s| s.borrow().is_some()) {
        return (read(), false);
    }
    let first = in_scope(Reservation::empty(total), &mut read);
    if !first.1 {
        return (first.0, false);
    }
    drop(first);
    // Holding nothing now: wait for the whole allowance.
    let reserved = Reservation::wait_for(total, total).unwrap_or_else(|| Reservation::empty(total));
    (in_scope(reserved, &mut read).0, true)
}

/// Runs `read` with a scope holding `reserved`; returns its result and
/// whether the scope starved. The scope is removed even if `read` panics.
fn in_scope<T>(reserved: Reservation, read: &mut impl FnMut() -> T) -> (T, bool) {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            SCOPE.with(|s| s.borrow_mut().take());
        }
    }
    SCOPE.with(|s| {
        *s.borrow_mut() = Some(Scope {
            reserved,
            charged: 0,
            starved: false,
        })
    });
    let reset = Reset;
    let out = read();
    let starved = SCOPE.with(|s| s.borrow().as_ref().is_some_and(|s| s.starved));
    drop(reset);
    (out, starved)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    // Each test uses its own pool size: pools are process-wide and tests run
    // in parallel.

    #[test]
    fn reservations_are_counted_and_given_back() {
        const T: u64 = 1000 + 1;
        let a = Reservation::wait_for(600, T).unwrap();
        assert_eq!(in_use(T), 600);
        let mut b = Reservation::empty(T);
        assert!(b.try_grow(401));
        assert!(!b.try_grow(1), "the pool is full");
        assert_eq!((in_use(T), b.bytes()), (1001, 401));
        assert!(
            Reservation::wait_for(T + 1, T).is_none(),
            "more than the pool"
        );
        drop(a);
        assert_eq!(in_use(T), 401);
        drop(b);
        assert_eq!(in_use(T), 0);
    }

    #[test]
    fn a_reservation_waits_until_the_pool_has_room() {
        const T: u64 = 1000 + 2;
        let held = Reservation::wait_for(900, T).unwrap();
        let (tx, rx) = mpsc::channel();
        let waiter = std::thread::spawn(move || {
            let r = Reservation::wait_for(500, T).unwrap();
            tx.send(r.bytes()).unwrap();
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(200)).is_err(),
            "served while the pool was full"
        );
        drop(held);
        assert_eq!(rx.recv_timeout(Duration::from_secs(10)).unwrap(), 500);
        waiter.join().unwrap();
        assert_eq!(in_use(T), 0);
    }

    #[test]
    fn charges_grow_the_scope_in_steps_and_are_given_back_at_its_end() {
        const T: u64 = 8 * STEP + 3;
        let (charged, again) = run_target(T, || {
            charge(10).unwrap();
            assert_eq!(in_use(T), STEP, "one step reserved");
            charge(STEP).unwrap();
            assert_eq!(in_use(T), 2 * STEP);
            in_use(T)
        });
        assert_eq!((charged, again), (2 * STEP, false));
        assert_eq!(in_use(T), 0);
        assert_eq!(
            charge(u64::MAX),
            Ok(()),
            "outside a scope nothing is charged"
        );
    }

    #[test]
    fn over_the_allowance_is_a_limit_whatever_else_runs() {
        const T: u64 = 4 * STEP + 4;
        let (r, again) = run_target(T, || charge(T + 1));
        assert_eq!((r, again), (Err(Refused::OverAllowance(T)), false));
        assert_eq!(in_use(T), 0);
    }

    #[test]
    fn a_starved_target_runs_again_with_its_whole_allowance() {
        const T: u64 = 4 * STEP + 5;
        let other = Reservation::wait_for(3 * STEP, T).unwrap();
        let (tx, rx) = mpsc::channel();
        let target = std::thread::spawn(move || {
            let mut attempts = Vec::new();
            let (result, again) = run_target(T, || {
                // 2 MiB do not fit beside the other target's 3 MiB.
                let r = charge(2 * STEP);
                attempts.push(r);
                tx.send(()).unwrap();
                r
            });
            (result, again, attempts)
        });
        rx.recv_timeout(Duration::from_secs(10)).unwrap();
        // The first attempt was abandoned; the second waits for the pool.
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        drop(other);
        let (result, again, attempts) = target.join().unwrap();
        assert_eq!(attempts, vec![Err(Refused::Retry), Ok(())]);
        assert_eq!((result, again), (Ok(()), true));
        assert_eq!(in_use(T), 0);
    }

    #[test]
    fn many_targets_on_a_small_pool_all_finish_with_the_same_result() {
        const T: u64 = 4 * STEP + 6;
        let threads: Vec<_> = (0..16)
            .map(|_| {
                std::thread::spawn(|| {
                    run_target(T, || {
                        (0..3)
                            .map(|_| charge(STEP).map(|()| 1u32))
                            .sum::<Result<u32, _>>()
                    })
                    .0
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), Ok(3));
        }
        assert_eq!(in_use(T), 0);
    }
}
