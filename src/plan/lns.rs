//! Large-neighbourhood search over time: improves a block's integer plan when it is still
//! above the target gap after the first MIP.
//!
//! Each step frees the shifts that work in one stretch of time (chosen at random from the
//! solve's seed, about `NEIGHBOURHOOD_COLS` columns wide), keeps every other count fixed,
//! and solves the MIP of what the fixed part leaves (rows short of their requirement,
//! caps less what the fixed part uses), warm-started from the current counts; a better
//! answer replaces them. Each MIP has a node budget, so memory does not grow with the time
//! limit; each step may take at most [`STEP_WORK`] work units and the steps stop when the
//! search's share of the work is spent (or after [`MAX_STEPS`]), so where the search ends
//! does not depend on the clock, which ends it earlier only when it comes first.

use super::lp::{self, LpRequest};
use super::model::Sub;
use super::options::Backend;
use super::pace::Pace;
use super::round;
use super::window::col_spans;

const EPS: f64 = 1e-7;
/// Columns a neighbourhood frees, about.
const NEIGHBOURHOOD_COLS: usize = 600;
/// Steps per block at most.
pub(crate) const MAX_STEPS: usize = 400;
/// Steps in a row without improvement after which the search stops.
const STALL: usize = 60;
/// Work units one step may take at most (about 2 s), so one hard neighbourhood does not
/// take the search's whole share.
pub(crate) const STEP_WORK: u64 = 2_000;
/// Work units below which no step is started.
const MIN_STEP_WORK: u64 = 20;

/// SplitMix64: a small, fixed pseudo-random sequence (the same on every machine).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn objective(s: &Sub, x: &[u32]) -> f64 {
    s.objective(&x.iter().map(|&k| k as f64).collect::<Vec<_>>())
}

/// Improves `x`, an integer plan of block `s` whose rows fall at grid intervals `times`,
/// until its objective is within `gap` of `bound`, the steps run out or the pace's work (or
/// the clock) is spent. Returns
/// whether `x` changed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn improve(
    s: &Sub,
    times: &[Option<usize>],
    x: &mut [u32],
    bound: f64,
    gap: f64,
    backend: Backend,
    pace: &Pace<'_>,
    rng: &mut Rng,
) -> bool {
    let spans = col_spans(s, times);
    let (Some(lo), Some(hi)) = (
        times.iter().flatten().copied().min(),
        times.iter().flatten().copied().max(),
    ) else {
        return false;
    };
    let len = hi + 1 - lo;
    let longest = spans
        .iter()
        .flatten()
        .map(|&(a, b)| b + 1 - a)
        .max()
        .unwrap_or(1);
    let width = ((len as f64 * NEIGHBOURHOOD_COLS as f64 / s.cols.len().max(1) as f64) as usize)
        .max(longest + 1)
        .min(len);
    let mut current = objective(s, x);
    let mut changed = false;
    let mut stall = 0;
    for _ in 0..MAX_STEPS {
        if pace.is_over() || super::relative_gap(current, bound) <= gap || stall >= STALL {
            break;
        }
        let from = lo + rng.below(len + 1 - width);
        let to = from + width;
        let free: Vec<bool> = spans
            .iter()
            .map(|sp| sp.is_some_and(|(a, b)| a < to && b >= from))
            .collect();
        // What the fixed part covers and uses.
        let mut cov = vec![0.0; s.cover_rhs.len()];
        let mut used = vec![0.0; s.pack_cap.len()];
        for (j, &k) in x.iter().enumerate() {
            if k == 0 || free[j] {
                continue;
            }
            for &r in &s.col_cover[j] {
                cov[r as usize] += k as f64;
            }
            for &(p, c) in &s.col_pack[j] {
                used[p as usize] += c * k as f64;
            }
        }
        let keep: Vec<usize> = (0..s.cols.len()).filter(|&j| free[j]).collect();
        let rhs = |r: usize| {
            let left = s.cover_rhs[r] - cov[r];
            (s.cover_soft[r] || left > EPS).then_some(left)
        };
        let sub = s.restrict(&keep, rhs, |p| s.pack_cap[p] - used[p], |j| s.cost[j]);
        let warm: Vec<u32> = keep.iter().map(|&j| x[j]).collect();
        let before = objective(&sub, &warm);
        let step = pace.at_most(STEP_WORK);
        if step.left() < MIN_STEP_WORK {
            break;
        }
        let req = LpRequest {
            sub: &sub,
            backend,
            integer: true,
            pace: &step,
            warm_start: Some(&warm),
            mip_gap: 0.0,
            elastic: false,
        };
        let better = lp::solve(&req).ok().and_then(|pt| {
            if pt.x.iter().any(|v| (v - v.round()).abs() > 1e-6) {
                return None;
            }
            let y: Vec<u32> = pt.x.iter().map(|v| v.round() as u32).collect();
            (round::feasible(&sub, &y) && objective(&sub, &y) < before - 1e-9).then_some(y)
        });
        match better {
            Some(y) => {
                for (&j, &k) in keep.iter().zip(&y) {
                    x[j] = k;
                }
                current = objective(s, x);
                changed = true;
                stall = 0;
            }
            None => stall += 1,
        }
    }
    changed
}
