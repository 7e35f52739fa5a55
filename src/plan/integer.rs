//! From a block's LP point to an integer point: diving and rounding, the MIP warm-started
//! from them, and the exact min-cost-flow solve of interval blocks (no LP at all).

use super::model::{CoverKind, Model, Sub};
use super::pace::Pace;
use super::{dive, flow, lp, relative_gap, round, Backend, PlanProblem, MIN_MIP_WORK};
use lp::LpRequest;

/// The best integer point of block `s` from its LP point `lpx` by diving and by rounding
/// (rounding only when diving is not within `gap` of `bound`); `None` when neither meets
/// every row within the caps. Not `thorough`: one dive, and rounding only when it fails.
pub(super) fn integer_point(
    s: &Sub,
    lpx: &[f64],
    bound: f64,
    backend: Backend,
    pace: &Pace<'_>,
    gap: f64,
    thorough: bool,
) -> Option<Vec<u32>> {
    let value = |x: &Option<Vec<u32>>| {
        x.as_ref()
            .map(|x| s.objective(&x.iter().map(|&k| k as f64).collect::<Vec<_>>()))
            .unwrap_or(f64::INFINITY)
    };
    // Diving: fast first, closer to the LP when that is not within the target gap.
    let mut dived = None;
    let ups: &[f64] = if thorough { &[0.6, 0.8] } else { &[0.6] };
    for &up in ups {
        if pace.is_over() {
            break;
        }
        let x = dive::dive(s, lpx, up, backend, pace).and_then(|x| round::polish(s, x, pace));
        if value(&x) < value(&dived) {
            dived = x;
        }
        if relative_gap(value(&dived), bound) <= gap {
            break;
        }
    }
    // Plain rounding is cheaper but weaker: only when diving fell short of the target. It
    // always runs its first threshold, so a block whose time is up still gets a plan.
    let rounded = if dived.is_none() || (thorough && relative_gap(value(&dived), bound) > gap) {
        round::round_and_repair(s, lpx, pace)
    } else {
        None
    };
    if value(&dived) < value(&rounded) {
        dived
    } else {
        rounded
    }
}

/// Exact min-cost-flow solve of an interval block; `None` if the block is not one.
pub(super) fn try_flow(p: &PlanProblem, m: &Model, s: &Sub) -> Option<Vec<u32>> {
    if !s.pack_cap.is_empty() || s.cover_soft.iter().any(|&b| b) {
        return None;
    }
    let mut queue = None;
    for &g in &s.cover_global {
        match m.cover[g].0 {
            CoverKind::Demand { queue: q, .. } => {
                if queue.is_some_and(|x| x != q) {
                    return None;
                }
                queue = Some(q);
            }
            CoverKind::TemplateMin { .. }
            | CoverKind::Union { .. }
            | CoverKind::Deadline { .. } => return None,
        }
    }
    let q = queue?;
    let mut lo = usize::MAX;
    let mut hi = 0;
    for &j in &s.cols {
        let w = &p.candidates[j].working;
        let (first, last) = (*w.first()?, *w.last()?);
        if last < first || last + 1 - first != w.len() {
            return None;
        }
        lo = lo.min(first);
        hi = hi.max(last + 1);
    }
    let req = p.requirements.get(q)?.get(lo..hi)?;
    let arcs: Vec<(usize, usize, f64)> = s
        .cols
        .iter()
        .filter_map(|&j| {
            let c = &p.candidates[j];
            Some((c.working.first()? - lo, c.working.last()? + 1 - lo, c.cost))
        })
        .collect();
    flow::interval_cover(req, &arcs)
}

/// A MIP solve of block `s`, warm-started from `warm`, within `budget`: the integer point
/// found (`None` when none meets every row) and the MIP's proven lower bound on the block,
/// where the backend gives one.
pub(super) fn mip(
    s: &Sub,
    backend: Backend,
    warm: Option<&[u32]>,
    pace: &Pace<'_>,
    gap: f64,
) -> (Option<Vec<u32>>, Option<f64>) {
    if pace.left() < MIN_MIP_WORK || pace.clock_over() {
        return (None, None);
    }
    let req = LpRequest {
        sub: s,
        backend,
        integer: true,
        pace,
        warm_start: warm,
        mip_gap: gap,
        elastic: false,
    };
    let Ok(pt) = lp::solve(&req) else {
        return (None, None);
    };
    // Backends may return a fractional point at a time limit: check integrality ourselves.
    if pt.x.iter().any(|v| (v - v.round()).abs() > 1e-6) {
        return (None, pt.bound);
    }
    let x: Vec<u32> = pt.x.iter().map(|v| v.round() as u32).collect();
    (round::feasible(s, &x).then_some(x), pt.bound)
}
