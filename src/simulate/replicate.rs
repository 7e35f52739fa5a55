//! Replications in parallel, folded in replication order.
//!
//! Workers (scoped threads) take replication numbers from a shared counter; each result is
//! folded into the [`Accumulator`] strictly in replication order, so the floating-point
//! sums, and therefore every printed digit, do not depend on the number of threads. A
//! worker that runs ahead waits while `2 × threads` results are pending, so memory holds
//! at most that many replication tables whatever the number of replications.

use super::compile::Compiled;
use super::engine::{Engine, RepResult};
use super::random::Stream;
use super::results::Accumulator;
use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex};

struct Fold {
    next_to_take: u32,
    next_to_fold: u32,
    pending: BTreeMap<u32, RepResult>,
}

/// Runs `replications` replications on `threads` threads (at least 1), calling `progress`
/// with the number folded so far after each.
pub(crate) fn run(
    c: &Compiled<'_>,
    seed: u64,
    replications: u32,
    threads: usize,
    acc: &mut Accumulator,
    progress: &(dyn Fn(u32) + Sync),
) {
    let threads = threads.clamp(1, replications.max(1) as usize);
    if threads == 1 {
        for r in 0..replications {
            let out = Engine::new(c, Stream::new(seed, r)).run();
            acc.add(&out);
            progress(r + 1);
        }
        return;
    }
    let window = 2 * threads as u32;
    let state = Mutex::new((
        Fold {
            next_to_take: 0,
            next_to_fold: 0,
            pending: BTreeMap::new(),
        },
        acc,
    ));
    let cv = Condvar::new();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let r = {
                    let Ok(mut g) = state.lock() else { return };
                    loop {
                        let f = &g.0;
                        if f.next_to_take >= replications {
                            return;
                        }
                        if f.next_to_take < f.next_to_fold + window {
                            break;
                        }
                        g = match cv.wait(g) {
                            Ok(g) => g,
                            Err(_) => return,
                        };
                    }
                    let r = g.0.next_to_take;
                    g.0.next_to_take += 1;
                    r
                };
                let out = Engine::new(c, Stream::new(seed, r)).run();
                let Ok(mut g) = state.lock() else { return };
                let (fold, acc) = &mut *g;
                fold.pending.insert(r, out);
                while let Some(res) = fold.pending.remove(&fold.next_to_fold) {
                    acc.add(&res);
                    fold.next_to_fold += 1;
                    progress(fold.next_to_fold);
                }
                cv.notify_all();
            });
        }
    });
}
