//! Large-neighbourhood search over time: improves a block's integer plan when it is still
//! above the target gap after the first MIP.
//!
//! Each step frees the shifts that work in one stretch of time (about `NEIGHBOURHOOD_COLS`
//! columns wide), keeps every other count fixed, and solves the MIP of what the fixed part
//! leaves (rows short of their requirement, caps less what the fixed part uses),
//! warm-started from the current counts; a better answer replaces them. Each MIP has a node
//! budget, so memory does not grow with the time limit; each step may take at most
//! [`STEP_WORK`] work units and the steps stop when the search's share of the work is spent
//! (or after [`MAX_STEPS`]), so where the search ends does not depend on the clock, which
//! ends it earlier only when it comes first.
//!
//! **Where.** The stretch is drawn from the solve's seed, weighted towards where the plan
//! costs most above a fractional reference point (the block's LP point, or the bound's
//! window LPs for a windowed block): each column's cost is spread over its span of time,
//! for the plan and for the reference, and a stretch weighs the plan's excess over the
//! reference inside it (at least a tenth of the mean, so every stretch can be drawn). A
//! stretch already tried on the same plan is not drawn again (the same MIP on the same
//! counts gives the same answer); once every stretch has been tried, the search ends.

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
}

fn objective(s: &Sub, x: &[u32]) -> f64 {
    s.objective(&x.iter().map(|&k| k as f64).collect::<Vec<_>>())
}

/// Each interval's cost (from `lo` on, `len` intervals) in the point `v` of block `s`: every
/// column's cost times its value, spread evenly over its span (`spans`).
fn cost_profile(
    s: &Sub,
    spans: &[Option<(usize, usize)>],
    v: impl Fn(usize) -> f64,
    lo: usize,
    len: usize,
) -> Vec<f64> {
    // Differences, then a running sum: a column adds its share to every interval of its span.
    let mut diff = vec![0.0; len + 1];
    for (j, sp) in spans.iter().enumerate() {
        let (Some((a, b)), k) = (sp, v(j)) else {
            continue;
        };
        if k <= 0.0 {
            continue;
        }
        let each = k * s.cost[j] / (b + 1 - a) as f64;
        diff[a - lo] += each;
        diff[b + 1 - lo] -= each;
    }
    let mut out = Vec::with_capacity(len);
    let mut run = 0.0;
    for d in &diff[..len] {
        run += d;
        out.push(run);
    }
    out
}

/// A weight per first interval of a stretch `width` intervals wide (`len + 1 - width` of
/// them): the plan's cost in the stretch above the reference's, at least a tenth of the
/// mean weight (every stretch may be drawn); all equal without a reference.
#[allow(clippy::too_many_arguments)]
fn stretch_weights(
    s: &Sub,
    spans: &[Option<(usize, usize)>],
    x: &[u32],
    reference: Option<&[f64]>,
    lo: usize,
    len: usize,
    width: usize,
) -> Vec<f64> {
    let positions = len + 1 - width;
    let Some(r) = reference.filter(|r| r.len() == x.len()) else {
        return vec![1.0; positions];
    };
    let plan = cost_profile(s, spans, |j| f64::from(x[j]), lo, len);
    let lp = cost_profile(s, spans, |j| r[j], lo, len);
    let mut prefix = vec![0.0; len + 1];
    for t in 0..len {
        prefix[t + 1] = prefix[t] + (plan[t] - lp[t]);
    }
    let raw: Vec<f64> = (0..positions)
        .map(|f| (prefix[f + width] - prefix[f]).max(0.0))
        .collect();
    let mean = raw.iter().sum::<f64>() / positions.max(1) as f64;
    let floor = if mean > 0.0 { mean / 10.0 } else { 1.0 };
    raw.into_iter().map(|w| w.max(floor)).collect()
}

/// Draws a stretch not yet tried, by weight; `None` when every one has been tried.
fn draw(weights: &[f64], tried: &[bool], rng: &mut Rng) -> Option<usize> {
    let total: f64 = weights
        .iter()
        .zip(tried)
        .filter(|(_, &t)| !t)
        .map(|(w, _)| w)
        .sum();
    if total <= 0.0 {
        return None;
    }
    // A fixed-point draw from the seed's sequence: the same on every machine.
    let mut target = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
    let mut last = None;
    for (f, (&w, &t)) in weights.iter().zip(tried).enumerate() {
        if t {
            continue;
        }
        last = Some(f);
        if target < w {
            return Some(f);
        }
        target -= w;
    }
    last
}

/// Improves `x`, an integer plan of block `s` whose rows fall at grid intervals `times`,
/// until its objective is within `gap` of `bound`, the steps run out, every stretch has
/// been tried on the current plan, or the pace's work (or the clock) is spent. Stretches
/// are drawn towards where `x` costs most above `reference` (a fractional point of the
/// block, e.g. its LP's), uniformly without one. `whole_tried`: the MIP of the whole block
/// was just solved from this `x` without improving it, so a stretch freeing nine tenths of
/// the block or more is not solved again while `x` is unchanged. Returns whether `x`
/// changed.
#[allow(clippy::too_many_arguments)]
pub(crate) fn improve(
    s: &Sub,
    times: &[Option<usize>],
    x: &mut [u32],
    reference: Option<&[f64]>,
    whole_tried: bool,
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
    let mut weights = stretch_weights(s, &spans, x, reference, lo, len, width);
    // Stretches tried on the current plan: the same MIP on the same counts gives the same
    // answer.
    let mut tried = vec![false; weights.len()];
    for _ in 0..MAX_STEPS {
        if pace.is_over() || super::relative_gap(current, bound) <= gap || stall >= STALL {
            break;
        }
        let Some(f) = draw(&weights, &tried, rng) else {
            break;
        };
        tried[f] = true;
        let from = lo + f;
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
        if whole_tried && !changed && keep.len() * 10 >= s.cols.len() * 9 {
            // Nine tenths of the block or more: the whole block's MIP again, which has
            // just failed on these counts.
            continue;
        }
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
                weights = stretch_weights(s, &spans, x, reference, lo, len, width);
                tried.iter_mut().for_each(|t| *t = false);
            }
            None => stall += 1,
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three columns, each over 4 of 12 intervals (0..4, 4..8, 8..12), cost 4 each.
    fn three() -> (Sub, Vec<Option<(usize, usize)>>) {
        let s = Sub {
            cols: vec![0, 1, 2],
            cost: vec![4.0; 3],
            col_cover: vec![vec![0], vec![1], vec![2]],
            col_pack: vec![Vec::new(); 3],
            cover_rhs: vec![1.0; 3],
            cover_soft: vec![false; 3],
            ..Sub::default()
        };
        (s, vec![Some((0, 3)), Some((4, 7)), Some((8, 11))])
    }

    #[test]
    fn a_cost_profile_spreads_each_column_over_its_span() {
        let (s, spans) = three();
        let p = cost_profile(&s, &spans, |j| [1.0, 0.0, 2.0][j], 0, 12);
        assert_eq!(
            p,
            vec![1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0]
        );
        assert!((p.iter().sum::<f64>() - 12.0).abs() < 1e-9);
    }

    #[test]
    fn stretches_weigh_the_plans_excess_over_the_reference() {
        let (s, spans) = three();
        // The plan has two units of the middle column where the reference has one.
        let x = [1, 2, 1];
        let reference = [1.0, 1.0, 1.0];
        let w = stretch_weights(&s, &spans, &x, Some(&reference), 0, 12, 4);
        assert_eq!(w.len(), 9);
        // The stretch 4..8 holds the whole excess (4); stretches away from it get the floor.
        let best = (0..w.len()).max_by(|&a, &b| w[a].total_cmp(&w[b])).unwrap();
        assert_eq!(best, 4);
        assert!((w[4] - 4.0).abs() < 1e-9);
        assert!(w.iter().all(|&v| v > 0.0), "every stretch can be drawn");
        // Without a reference (or one of the wrong length) every stretch weighs the same.
        assert_eq!(
            stretch_weights(&s, &spans, &x, None, 0, 12, 4),
            vec![1.0; 9]
        );
        assert_eq!(
            stretch_weights(&s, &spans, &x, Some(&[1.0]), 0, 12, 4),
            vec![1.0; 9]
        );
    }

    #[test]
    fn draws_follow_the_weights_and_skip_what_was_tried() {
        let weights = [1.0, 100.0, 1.0];
        let mut rng = Rng::new(7);
        let mut hits = [0usize; 3];
        for _ in 0..1000 {
            hits[draw(&weights, &[false; 3], &mut rng).unwrap()] += 1;
        }
        assert!(hits[1] > 900, "{hits:?}");
        let tried = [false, true, false];
        for _ in 0..100 {
            assert_ne!(draw(&weights, &tried, &mut rng), Some(1));
        }
        assert_eq!(draw(&weights, &[true; 3], &mut rng), None);
        // The same seed draws the same sequence.
        let (mut a, mut b) = (Rng::new(3), Rng::new(3));
        for _ in 0..20 {
            assert_eq!(
                draw(&weights, &[false; 3], &mut a),
                draw(&weights, &[false; 3], &mut b)
            );
        }
    }
}
