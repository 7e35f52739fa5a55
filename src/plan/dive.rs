//! LP diving: round, fix, and re-solve the LP on what is still uncovered.
//!
//! Starting from the block's LP point `y` and a fixed integer part `lb = 0`: add to `lb` the
//! rounded values of `y` (half up; if that adds nothing, round up the largest value), then
//! solve the LP again on the *residual* problem: only the hard rows `lb` does not yet cover
//! (with their remaining requirement), only the columns touching them that still fit every
//! cap, and the caps less what `lb` uses. Each round fixes part of the plan and the residual
//! LP shrinks quickly, so the rounds are cheap. Ends when every hard row is covered.

use super::lp::{self, LpRequest};
use super::model::Sub;
use super::options::Backend;
use super::pace::Pace;

const EPS: f64 = 1e-7;

/// An integer point meeting every hard row and cap of `s`, found by diving from the LP point
/// `lp0`; `None` for blocks with soft rows, when a cap blocks it, or when the pace's work
/// (or the clock) is spent.
///
/// `up` is the fractional part from which a value is rounded up outright: lower is faster
/// (fewer rounds), higher follows the LP more closely.
pub(crate) fn dive(
    s: &Sub,
    lp0: &[f64],
    up: f64,
    backend: Backend,
    pace: &Pace<'_>,
) -> Option<Vec<u32>> {
    if s.cover_soft.iter().any(|&b| b) {
        return None;
    }
    let n = s.cols.len();
    let mut lb = vec![0u32; n];
    // y: current residual LP values, on `cols` (indices into s).
    let mut cols: Vec<usize> = (0..n).collect();
    let mut y: Vec<f64> = lp0.to_vec();
    for _round in 0..10_000 {
        let mut added = false;
        let mut fractional: Vec<(f64, usize)> = Vec::new();
        for (k, &j) in cols.iter().enumerate() {
            let v = y[k].max(0.0);
            let f = (v + EPS).floor();
            let frac = v - f;
            let r = if frac >= up { f + 1.0 } else { f };
            if r >= 1.0 {
                lb[j] += r as u32;
                added = true;
            }
            if frac > EPS && frac < up {
                fractional.push((frac, j));
            }
        }
        // Round up the largest fractions whose rows do not overlap: several independent
        // parts of the block advance in one round.
        fractional.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut taken = vec![false; s.cover_rhs.len()];
        for &(_, j) in &fractional {
            if s.col_cover[j].iter().any(|&r| taken[r as usize]) {
                continue;
            }
            for &r in &s.col_cover[j] {
                taken[r as usize] = true;
            }
            lb[j] += 1;
            added = true;
        }
        if !added {
            return None;
        }
        // Residual rows and caps.
        let mut cov = vec![0.0; s.cover_rhs.len()];
        let mut use_ = vec![0.0; s.pack_cap.len()];
        for (j, &k) in lb.iter().enumerate() {
            if k == 0 {
                continue;
            }
            for &r in &s.col_cover[j] {
                cov[r as usize] += k as f64;
            }
            for &(p, c) in &s.col_pack[j] {
                use_[p as usize] += c * k as f64;
            }
        }
        if use_.iter().zip(&s.pack_cap).any(|(u, cap)| *u > cap + EPS) {
            return None;
        }
        let open: Vec<bool> = cov
            .iter()
            .zip(&s.cover_rhs)
            .map(|(c, r)| *c < r - EPS)
            .collect();
        if !open.iter().any(|&b| b) {
            return Some(lb);
        }
        if pace.is_over() {
            return None;
        }
        cols = (0..n)
            .filter(|&j| {
                s.col_cover[j].iter().any(|&r| open[r as usize])
                    && s.col_pack[j]
                        .iter()
                        .all(|&(p, c)| use_[p as usize] + c <= s.pack_cap[p as usize] + EPS)
            })
            .collect();
        let sub = s.restrict(
            &cols,
            |r| open[r].then(|| s.cover_rhs[r] - cov[r]),
            |p| s.pack_cap[p] - use_[p],
            |j| s.cost[j],
        );
        if sub.cover_rhs.len() < open.iter().filter(|&&b| b).count() {
            return None; // an open row no column can still serve
        }
        let req = LpRequest {
            sub: &sub,
            backend,
            integer: false,
            pace,
            warm_start: None,
            mip_gap: 0.0,
            elastic: false,
        };
        y = lp::solve(&req).ok()?.x;
    }
    None
}
