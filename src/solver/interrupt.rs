//! HiGHS reads the stop flag itself, during a solve, and a MIP ends at a count of simplex
//! iterations: the one place of the crate with `unsafe` code (built only with the `highs`
//! feature; the default build forbids it).
//!
//! The `highs` crate has no way to interrupt a running solve, but HiGHS' C API (the
//! `highs-sys` crate under it) has user callbacks: a callback of the kinds "simplex
//! interrupt", "IPM interrupt" and "MIP interrupt" is called by HiGHS at each check of its
//! own limits (every simplex iteration batch; every branch-and-bound node, cut round and
//! heuristic of a MIP), and a solve ends with status `ReachedInterrupt` (its best point
//! kept, as at a time limit) when the callback sets `user_interrupt`. The callback here
//! only reads an atomic flag and, for a MIP, the simplex iterations of its search so far
//! (`mip_total_lp_iterations`, which HiGHS passes it): it cannot panic and changes nothing
//! else, so a solve whose flag stays unset and whose count stays below its limit is the
//! same as one without it. HiGHS' own node limit does not bound a MIP's work at its root
//! (cut rounds, heuristics, restarts: a restricted master MIP of the roster did 92 552
//! iterations in 3 nodes); the iteration limit does, and since HiGHS (one thread) checks
//! its limits at the same points of its search on every run, a MIP it ends stops at the
//! same point on every run.
//!
//! The MIP's node count is read here too: it is a 64-bit info value, which the `highs`
//! crate's `int_info_value` (32-bit infos only) cannot read.

#![allow(unsafe_code)]

use crate::budget::StopFlag;
use highs_sys::{
    kHighsCallbackIpmInterrupt, kHighsCallbackMipInterrupt, kHighsCallbackSimplexInterrupt,
    kHighsStatusOk, HighsCallbackDataIn, HighsCallbackDataOut, HighsInt, Highs_getInt64InfoValue,
    Highs_getIntInfoValue, Highs_setCallback, Highs_startCallback, Highs_stopCallback,
};
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::Ordering;

/// The callback kinds that ask whether to stop.
const KINDS: [HighsInt; 3] = [
    kHighsCallbackSimplexInterrupt,
    kHighsCallbackIpmInterrupt,
    kHighsCallbackMipInterrupt,
];

/// What the callback reads: the stop flag, and the MIP's iteration limit.
struct Limits {
    stop: Option<StopFlag>,
    /// Simplex iterations of a MIP's search at which it ends (`u64::MAX`: none).
    mip_iterations: u64,
}

impl Limits {
    /// Whether a solve should end: the flag is set, or (at a MIP check, whose iterations
    /// so far are `mip`) the MIP's iterations reached their limit.
    fn reached(&self, mip: Option<i64>) -> bool {
        self.stop
            .as_ref()
            .is_some_and(|s| s.load(Ordering::Relaxed))
            || mip.is_some_and(|n| u64::try_from(n).is_ok_and(|n| n >= self.mip_iterations))
    }
}

/// Called by HiGHS; `user` is the [`Limits`] that [`solve`] holds for the whole run.
unsafe extern "C" fn callback(
    kind: c_int,
    _message: *const c_char,
    out: *const HighsCallbackDataOut,
    data_in: *mut HighsCallbackDataIn,
    user: *mut c_void,
) {
    if !KINDS.contains(&kind) || data_in.is_null() || user.is_null() {
        return;
    }
    // SAFETY: `user` is the address of the `Limits` that `solve` keeps in a `Box` until
    // `Highs_run` has returned and the callbacks are stopped; it is only read, and its
    // flag is an atomic, which may be read from any thread through a shared reference.
    let limits = unsafe { &*(user as *const Limits) };
    let mip = if kind == kHighsCallbackMipInterrupt && !out.is_null() {
        // SAFETY: HiGHS passes a valid `HighsCallbackDataOut` (checked non-null) whose
        // MIP fields it has just filled for a MIP interrupt callback; a plain `i64`.
        Some(unsafe { (*out).mip_total_lp_iterations })
    } else {
        None
    };
    if limits.reached(mip) {
        // SAFETY: HiGHS passes a valid, writable `HighsCallbackDataIn` to interrupt
        // callbacks (checked non-null above); `user_interrupt` is a plain `int`.
        unsafe {
            (*data_in).user_interrupt = 1;
        }
    }
}

/// Runs `model`, ending it soon after `stop` is set (when given) and, for a MIP, at the
/// first check of its limits after its search did `mip_iterations` simplex iterations
/// (when given).
pub(super) fn solve(
    mut model: highs::Model,
    stop: Option<&StopFlag>,
    mip_iterations: Option<u64>,
) -> Result<highs::SolvedModel, highs::HighsStatus> {
    if stop.is_none() && mip_iterations.is_none() {
        return model.try_solve();
    }
    // Held until the callbacks are stopped below: the callback reads through its address.
    let limits = Box::new(Limits {
        stop: stop.cloned(),
        mip_iterations: mip_iterations.unwrap_or(u64::MAX),
    });
    let user = &*limits as *const Limits as *mut c_void;
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is the live HiGHS instance owned by `model`; `callback` has the
    // signature `HighsCCallbackType` requires, and `user` stays valid while it can be
    // called (see above). Statuses are ignored: a callback HiGHS refuses only means the
    // solve cannot be interrupted, and it still ends at its time limit.
    unsafe {
        let _ = Highs_setCallback(ptr, Some(callback), user);
        for kind in KINDS {
            let _ = Highs_startCallback(ptr, kind);
        }
    }
    match model.try_solve() {
        Ok(mut s) => {
            let ptr = s.as_mut_ptr();
            // SAFETY: `ptr` is the live HiGHS instance owned by `s`. Once stopped, the
            // callback is not called again, so `limits` may be dropped after this.
            unsafe {
                for kind in KINDS {
                    let _ = Highs_stopCallback(ptr, kind);
                }
            }
            drop(limits);
            Ok(s)
        }
        // On an error `try_solve` has destroyed the instance, and with it the callback.
        Err(e) => {
            drop(limits);
            Err(e)
        }
    }
}

/// Branch-and-bound nodes of the last MIP solve of `solved`.
pub(super) fn mip_nodes(solved: &highs::SolvedModel) -> Option<u64> {
    let mut nodes: i64 = -1;
    // SAFETY: `solved.as_ptr()` is the live HiGHS instance `solved` owns; the name is a
    // NUL-terminated string HiGHS only reads, and `nodes` a valid `i64` it writes.
    let status =
        unsafe { Highs_getInt64InfoValue(solved.as_ptr(), c"mip_node_count".as_ptr(), &mut nodes) };
    if status == kHighsStatusOk {
        u64::try_from(nodes).ok()
    } else {
        None
    }
}

/// The simplex iterations HiGHS did on `solved` (`simplex_iteration_count`): of the LP, or,
/// after a MIP solve, of every LP of its search (HiGHS sets the count to the MIP solver's
/// total; this HiGHS has no separate `mip_total_lp_iterations` info, whose look-up fails, so
/// a MIP used to be charged a size-based estimate far below its cost). `None` when HiGHS
/// does not say.
pub(crate) fn lp_iterations(solved: &highs::SolvedModel) -> Option<u64> {
    let mut n: HighsInt = -1;
    // SAFETY: `solved.as_ptr()` is the live HiGHS instance `solved` owns; the name is a
    // NUL-terminated string HiGHS only reads, and `n` a valid `HighsInt` it writes.
    let status = unsafe {
        Highs_getIntInfoValue(solved.as_ptr(), c"simplex_iteration_count".as_ptr(), &mut n)
    };
    if status == kHighsStatusOk {
        u64::try_from(n).ok()
    } else {
        None
    }
}
