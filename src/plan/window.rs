//! Time windows for blocks too large for one LP (a month of shifts across sites whose hours
//! overlap is one block of tens of thousands of candidates).
//!
//! The block's demand rows are split into consecutive windows of time, each cut at a quiet
//! interval (the lowest requirement near the nominal cut), and each at least twice as long
//! as the longest shift.
//!
//! * **Bound.** Each window gets its own copy of every column that covers one of its rows,
//!   at the share of the column's cost that its rows in the window make up (a shift with
//!   30 of its 32 working intervals in a window costs 30/32 of its cost there). Any plan of
//!   the whole block, copied into every window, is feasible for each window at costs that
//!   add up to its own, so the sum of the window LP optima is a lower bound of the block's
//!   LP, hence of every plan (cost splitting, as in Lagrangian decomposition). Pack rows
//!   (caps) restricted to a window's columns are implied by the full rows, so they stay;
//!   template minimum counts span windows and are left out (a relaxation). Each window LP
//!   is small, so the bound costs a few seconds where the block's LP costs minutes.
//! * **Integer plan.** Rolling windows: window `k` and its successor are solved together
//!   (LP, then the block's usual diving and rounding) on what earlier windows left
//!   uncovered, and the shifts starting in window `k` are fixed; then the next window. The
//!   result is polished on the whole block (drop units not needed, exchange moves).

use super::lp::{self, LpFail, LpRequest};
use super::model::{CoverKind, Model, Sub};
use super::options::Backend;
use super::pace::Pace;
use super::round;

const EPS: f64 = 1e-7;

/// Turns a window's LP point into an integer point of the window's problem within a pace.
pub(crate) type Integer<'a> = &'a dyn Fn(&Sub, &[f64], &Pace<'_>) -> Option<Vec<u32>>;

/// A block's row times and its rolling windows.
pub(crate) struct Rolling {
    /// The grid interval of each cover row ([`row_times`]).
    pub times: Vec<Option<usize>>,
    /// The windows ([`split`]).
    pub windows: Vec<(usize, usize)>,
    /// A value per column from the bound's window LPs ([`bound`]): where a rolling
    /// window's own LP cannot be solved in its time, its plan is rounded from these.
    pub hint: Vec<f64>,
}

/// The grid interval of each of the block's cover rows (`None` for template minimums).
pub(crate) fn row_times(s: &Sub, m: &Model) -> Vec<Option<usize>> {
    s.cover_global
        .iter()
        .map(|&g| match m.cover[g].0 {
            CoverKind::Demand { t, .. }
            | CoverKind::Union { t, .. }
            | CoverKind::Deadline { t, .. } => Some(t),
            CoverKind::TemplateMin { .. } => None,
        })
        .collect()
}

/// First and last interval of each column's timed rows (`None` when it has none).
pub(crate) fn col_spans(s: &Sub, times: &[Option<usize>]) -> Vec<Option<(usize, usize)>> {
    s.col_cover
        .iter()
        .map(|rows| {
            let mut span: Option<(usize, usize)> = None;
            for &r in rows {
                if let Some(t) = times[r as usize] {
                    span = Some(match span {
                        None => (t, t),
                        Some((a, b)) => (a.min(t), b.max(t)),
                    });
                }
            }
            span
        })
        .collect()
}

/// Consecutive windows `[lo, hi)` of grid intervals covering every timed row of the block,
/// about `target_cols` columns each and each at least `min_spans` times the longest column
/// span; `None` when fewer than two windows result.
pub(crate) fn split(
    s: &Sub,
    times: &[Option<usize>],
    target_cols: usize,
    min_spans: usize,
) -> Option<Vec<(usize, usize)>> {
    let spans = col_spans(s, times);
    let lo = times.iter().flatten().copied().min()?;
    let hi = times.iter().flatten().copied().max()? + 1;
    let longest = spans
        .iter()
        .flatten()
        .map(|&(a, b)| b + 1 - a)
        .max()
        .unwrap_or(1);
    let len = hi - lo;
    let by_cols = s.cols.len().div_ceil(target_cols.max(1));
    let by_len = len / (longest * min_spans).max(1);
    let k = by_cols.min(by_len);
    if k < 2 {
        return None;
    }
    // Requirement per interval: cut where it is lowest near each nominal cut.
    let mut load = vec![0.0; len];
    for (r, t) in times.iter().enumerate() {
        if let Some(t) = t {
            load[t - lo] += s.cover_rhs[r].max(0.0);
        }
    }
    let step = len / k;
    let slack = step / 4;
    let mut cuts = vec![lo];
    for i in 1..k {
        let nominal = lo + i * step;
        let prev = *cuts.last()?;
        let from = (nominal - slack).max(prev + longest * min_spans);
        let to = (nominal + slack).min(hi.saturating_sub(longest * min_spans));
        if from >= to {
            continue;
        }
        let best = (from..to)
            .min_by(|&a, &b| {
                let la = load[a - lo] + load[a - 1 - lo];
                let lb = load[b - lo] + load[b - 1 - lo];
                la.total_cmp(&lb).then(a.cmp(&b))
            })
            .unwrap_or(nominal);
        cuts.push(best);
    }
    cuts.push(hi);
    let windows: Vec<(usize, usize)> = cuts.windows(2).map(|w| (w[0], w[1])).collect();
    (windows.len() >= 2).then_some(windows)
}

fn relaxation(sub: &Sub, backend: Backend, pace: &Pace<'_>) -> Result<Vec<f64>, LpFail> {
    if pace.is_over() {
        return Err(LpFail::TimeLimit);
    }
    lp::solve(&LpRequest {
        sub,
        backend,
        integer: false,
        pace,
        warm_start: None,
        mip_gap: 0.0,
        elastic: false,
    })
    .map(|p| p.x)
}

/// What [`bound`] finds.
pub(crate) struct WindowBound {
    /// The lower bound: the sum of the window LP optima.
    pub value: f64,
    /// Whether every window LP was solved.
    #[cfg_attr(not(test), allow(dead_code))]
    pub complete: bool,
    /// Each column's value in the LP of the window where it starts (0 where that LP was
    /// not solved): a fractional point of the whole block to round from.
    pub hint: Vec<f64>,
}

/// A lower bound on every plan of block `s` from the window relaxations (see the module
/// docs), and whether every window LP was solved (a window cut short by the deadline adds
/// nothing, which keeps the bound valid but weaker). `Err(Infeasible)` when a window's
/// relaxation, hence the block, is infeasible.
pub(crate) fn bound(
    s: &Sub,
    times: &[Option<usize>],
    windows: &[(usize, usize)],
    backend: Backend,
    pace: &Pace<'_>,
) -> Result<WindowBound, LpFail> {
    let spans = col_spans(s, times);
    let mut hint = vec![0.0; s.cols.len()];
    let mut timed = vec![0usize; s.cols.len()];
    for (j, rows) in s.col_cover.iter().enumerate() {
        timed[j] = rows
            .iter()
            .filter(|&&r| times[r as usize].is_some())
            .count();
    }
    let mut total = 0.0;
    let mut complete = true;
    let mut inside = vec![0usize; s.cols.len()];
    for &(lo, hi) in windows {
        let within = |r: usize| times[r].is_some_and(|t| t >= lo && t < hi);
        let mut keep = Vec::new();
        for (j, rows) in s.col_cover.iter().enumerate() {
            inside[j] = rows.iter().filter(|&&r| within(r as usize)).count();
            if inside[j] > 0 {
                keep.push(j);
            }
        }
        let sub = s.restrict(
            &keep,
            |r| within(r).then_some(s.cover_rhs[r]),
            |p| s.pack_cap[p],
            |j| s.cost[j] * inside[j] as f64 / timed[j] as f64,
        );
        match relaxation(&sub, backend, pace) {
            Ok(x) => {
                total += sub.objective(&x);
                for (&j, &v) in keep.iter().zip(&x) {
                    if spans[j].is_some_and(|(a, _)| a >= lo && a < hi) {
                        hint[j] = v;
                    }
                }
            }
            Err(LpFail::Infeasible) => return Err(LpFail::Infeasible),
            Err(LpFail::TimeLimit | LpFail::Other(_)) => complete = false,
        }
    }
    Ok(WindowBound {
        value: total,
        complete,
        hint,
    })
}

/// Where a rolling window's fractional point comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Start {
    /// The window's slice of the hint: no LP of the window's own, only the dive's small
    /// residual LPs (the window's own LP where the hint is all zeros, i.e. its bound
    /// window LP was not solved).
    Hint,
    /// The LP of the window and its successor on what earlier windows leave, which
    /// follows the plan so far (closer to the optimum, slower). Once one of these LPs is
    /// cut short by its time, that window and every later one start from the hint (no
    /// more LPs of their own), so the pass still ends with a complete plan.
    Lp,
}

/// An integer plan of block `s` by rolling windows (see the module docs), each window with
/// twice an equal share of the time left; `None` when a window has no integer point within the
/// caps. `integer` turns a window's
/// fractional point into an integer point of that window's problem by the given instant.
/// The fractional point comes from `hint` (a value per column of `s`, e.g.
/// [`WindowBound::hint`]) or from the window's own LP, as `start` says. From the hint the
/// plan is complete even when time is up: a window whose LP is needed and cut short is
/// rounded from zeros (greedy repair).
#[allow(clippy::too_many_arguments)]
pub(crate) fn rolling(
    s: &Sub,
    times: &[Option<usize>],
    windows: &[(usize, usize)],
    hint: &[f64],
    start: Start,
    backend: Backend,
    pace: &Pace<'_>,
    integer: Integer<'_>,
) -> Option<Vec<u32>> {
    let n = s.cols.len();
    let spans = col_spans(s, times);
    let mut x = vec![0u32; n];
    let mut cov = vec![0.0; s.cover_rhs.len()];
    let mut used = vec![0.0; s.pack_cap.len()];
    // Whether windows still solve LPs of their own (from `Start::Lp`, until one is cut).
    let mut own_lp = start == Start::Lp;
    for (k, &(lo, hi)) in windows.iter().enumerate() {
        let last = k + 1 == windows.len();
        let ahead = if last { hi } else { windows[k + 1].1 };
        let keep: Vec<usize> = (0..n)
            .filter(|&j| {
                spans[j].is_some_and(|(a, _)| a >= lo && a < ahead)
                    && s.col_pack[j]
                        .iter()
                        .all(|&(p, c)| used[p as usize] + c <= s.pack_cap[p as usize] + EPS)
            })
            .collect();
        let rhs = |r: usize| {
            let inside = times[r].is_none_or(|t| t >= lo && t < ahead);
            let left = s.cover_rhs[r] - cov[r];
            (inside && (s.cover_soft[r] || left > EPS)).then_some(left)
        };
        let sub = s.restrict(&keep, rhs, |p| s.pack_cap[p] - used[p], |j| s.cost[j]);
        // Twice an equal share of the time left (all of it for the last two windows), so
        // later windows can still use what an early one leaves.
        let until = pace.share(2.0 / (windows.len() - k) as f64);
        let from: Vec<f64> = keep
            .iter()
            .map(|&j| hint.get(j).copied().unwrap_or(0.0))
            .collect();
        let y = if sub.cover_rhs.is_empty() {
            vec![0u32; keep.len()]
        } else if !own_lp && from.iter().any(|&v| v > EPS) {
            integer(&sub, &from, &until)?
        } else {
            match relaxation(&sub, backend, &until) {
                Ok(lpx) => integer(&sub, &lpx, &until)?,
                Err(LpFail::Infeasible) => return None,
                Err(LpFail::TimeLimit | LpFail::Other(_)) => {
                    // Out of time for LPs: this window and the later ones from the hint,
                    // this one in an equal share of the time left (its own is spent).
                    own_lp = false;
                    let rest = pace.share(1.0 / (windows.len() - k) as f64);
                    integer(&sub, &from, &rest)?
                }
            }
        };
        for (i, &j) in keep.iter().enumerate() {
            let starts_here = spans[j].is_some_and(|(a, _)| a < hi);
            if (last || starts_here) && y[i] > 0 {
                x[j] += y[i];
                for &r in &s.col_cover[j] {
                    cov[r as usize] += y[i] as f64;
                }
                for &(p, c) in &s.col_pack[j] {
                    used[p as usize] += c * y[i] as f64;
                }
            }
        }
    }
    if !round::feasible(s, &x) {
        return None;
    }
    round::polish(s, x, pace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::pace::Meter;
    use crate::plan::{PlanProblem, PlanRules};
    use crate::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
    use crate::time::{Horizon, Site};
    use chrono::{TimeZone, Utc};

    /// Three days on a 15-minute grid, 8-hour shifts with a lunch starting every 30 minutes
    /// around the clock (crossing midnight), demand with a day and a night level.
    fn block() -> (Model, Sub) {
        let start = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
        let horizon = Horizon::days(start, 15, 3).unwrap();
        let mut t = ShiftTemplate::new(
            "8h",
            "site",
            "calls",
            480,
            StartWindow {
                days: Day::ALL.to_vec(),
                from: ClockTime::new(0, 0).unwrap(),
                to: ClockTime::new(23, 30).unwrap(),
            },
        );
        t.start_step_minutes = Some(30);
        t.breaks.push(BreakRule {
            name: "lunch".into(),
            minutes: 30,
            paid: false,
            window: BreakWindow {
                from_minutes: 180,
                to_minutes: 300,
            },
        });
        let req: Vec<u32> = (0..horizon.len())
            .map(|i| {
                let h = (i % 96) as f64 / 4.0;
                (3.0 + 9.0 * (-((h - 13.0) / 4.0).powi(2)).exp() + (i % 5) as f64).round() as u32
            })
            .collect();
        let p = PlanProblem::new(
            horizon,
            vec![Site::new("site", "UTC").unwrap()],
            vec![t],
            vec![("calls".into(), req)],
            PlanRules::default(),
        )
        .unwrap();
        let m = Model::build(&p);
        let mut subs = m.blocks();
        assert_eq!(subs.len(), 1);
        let s = subs.remove(0);
        (m, s)
    }

    fn far(meter: &Meter) -> Pace<'_> {
        let clock = crate::budget::Budget::new(std::time::Duration::from_secs(600), None);
        Pace::new(clock, meter, u64::MAX / 2)
    }

    #[test]
    fn window_bound_is_below_the_lp_and_close_to_it() {
        let meter = Meter::new();
        let (m, s) = block();
        let times = row_times(&s, &m);
        let windows = split(&s, &times, s.cols.len() / 3, 2).expect("three windows");
        assert!(windows.len() >= 2);
        // Consecutive and covering every row.
        for w in windows.windows(2) {
            assert_eq!(w[0].1, w[1].0);
        }
        let lp = relaxation(&s, Backend::Microlp, &far(&meter)).unwrap();
        let full = s.objective(&lp);
        let wb = bound(&s, &times, &windows, Backend::Microlp, &far(&meter)).unwrap();
        let (b, complete) = (wb.value, wb.complete);
        assert!(complete);
        assert!(b <= full + 1e-6, "window bound {b} above the LP {full}");
        // Demand here never drops below 3, so every cut splits busy shifts: the bound loses
        // a few percent (on real days cut at night it loses hundredths of a percent).
        assert!(b >= 0.9 * full, "window bound {b} far below the LP {full}");
    }

    #[test]
    fn rolling_windows_give_a_feasible_plan_near_the_bound() {
        let meter = Meter::new();
        let (m, s) = block();
        let times = row_times(&s, &m);
        let windows = split(&s, &times, s.cols.len() / 3, 1).expect("windows");
        let integer =
            |sub: &Sub, lpx: &[f64], until: &Pace<'_>| round::round_and_repair(sub, lpx, until);
        let hint = vec![0.0; s.cols.len()];
        let x = rolling(
            &s,
            &times,
            &windows,
            &hint,
            Start::Lp,
            Backend::Microlp,
            &far(&meter),
            &integer,
        )
        .unwrap();
        assert!(round::feasible(&s, &x));
        let lp = relaxation(&s, Backend::Microlp, &far(&meter)).unwrap();
        let full = s.objective(&lp);
        let obj = s.objective(&x.iter().map(|&k| k as f64).collect::<Vec<_>>());
        assert!(obj >= full - 1e-6);
        assert!(obj <= 1.1 * full, "rolling plan {obj} vs LP {full}");
    }

    #[test]
    fn rolling_from_the_bounds_hint_is_feasible_and_near_the_bound() {
        let meter = Meter::new();
        let (m, s) = block();
        let times = row_times(&s, &m);
        let bw = split(&s, &times, s.cols.len() / 3, 2).expect("bound windows");
        let rw = split(&s, &times, s.cols.len() / 3, 1).expect("rolling windows");
        let wb = bound(&s, &times, &bw, Backend::Microlp, &far(&meter)).unwrap();
        assert!(wb.complete);
        assert_eq!(wb.hint.len(), s.cols.len());
        // Every column starts in some window, so the hint is the window LPs' point.
        assert!(wb.hint.iter().any(|&v| v > 0.5));
        let calls = std::cell::Cell::new(0);
        let integer = |sub: &Sub, lpx: &[f64], until: &Pace<'_>| {
            calls.set(calls.get() + 1);
            round::round_and_repair(sub, lpx, until)
        };
        // With no work left no LP can run: every window is rounded from the hint, and the
        // plan is still close to the bound (not repaired greedily from nothing).
        let over = Pace::new(
            crate::budget::Budget::new(std::time::Duration::from_secs(600), None),
            &meter,
            0,
        );
        let x = rolling(
            &s,
            &times,
            &rw,
            &wb.hint,
            Start::Hint,
            Backend::Microlp,
            &over,
            &integer,
        )
        .unwrap();
        assert_eq!(calls.get(), rw.len(), "one integer point per window");
        // From the windows' own LPs without work, the first LP is cut at once and every
        // window falls back to the hint: the same complete plan.
        let own = rolling(
            &s,
            &times,
            &rw,
            &wb.hint,
            Start::Lp,
            Backend::Microlp,
            &over,
            &integer,
        );
        assert_eq!(own.as_ref(), Some(&x));
        assert_eq!(calls.get(), 2 * rw.len());
        assert!(round::feasible(&s, &x));
        let obj = s.objective(&x.iter().map(|&k| k as f64).collect::<Vec<_>>());
        assert!(
            obj >= wb.value - 1e-6,
            "plan {obj} below the bound {}",
            wb.value
        );
        assert!(obj <= 1.1 * wb.value, "plan {obj} vs bound {}", wb.value);
        // Work, not the clock, stopped the LPs: no cut recorded.
        assert!(!meter.cut());
    }

    #[test]
    fn too_short_a_block_is_not_split() {
        let (m, s) = block();
        let times = row_times(&s, &m);
        // Windows at least twice the longest shift: three days hold at most two.
        assert!(split(&s, &times, 1, 20).is_none());
    }
}
