//! The shift planner: how many agents to put on each candidate shift.
//!
//! # Model
//!
//! One integer count per candidate (site, template, UTC start, break placement; see
//! [`crate::shifts`]). For every queue and interval, the agents working (on shift and not on
//! break) must cover the requirement (hard coverage), or coverage may deviate at a price per
//! agent-interval short or surplus (soft coverage, [`CoverageMode::Soft`]). Optional caps:
//! agents on shift per site per interval and shifts per site per local day ([`SiteCap`]),
//! template minimum and maximum counts, and a total budget. The objective is the cost of the
//! shifts (paid hours by default) plus the soft-coverage penalties.
//!
//! A template may serve several queues ([`crate::shifts::Skill`]). Then, besides each
//! queue's row, every set of queues that templates link together gets a row per interval on
//! the agents able to serve the set: the sum of its queues' requirements by default (so the
//! working agents can always be split across their queues, each counted once), or a pooled
//! requirement ([`PlanProblem::with_pooled`]). See `docs/planning.md`.
//!
//! # Method
//!
//! 1. Templates are expanded into candidates, and the model is split into blocks that share
//!    no row (e.g. the days of a week when shifts do not cross midnight).
//! 2. The common causes of infeasibility are checked before any solve; an infeasible scenario
//!    gets [`crate::Error::Infeasible`] naming the interval (UTC and site-local), the site and
//!    the rule, never a solver status.
//! 3. A block whose candidates each work one unbroken run of intervals of one queue, under
//!    hard coverage and no caps, is an interval-covering problem: its LP is a min-cost flow
//!    and is solved exactly, integral, by successive shortest paths.
//! 4. Every other block goes through its LP relaxation with `good_lp` (backend of
//!    [`SolveOptions::backend`]); the sum of the block optima is the lower bound (rounded up
//!    per block to the next multiple of the greatest common divisor of its costs and
//!    penalties when they are whole numbers, since every plan's objective is such a multiple).
//!    The LP point is rounded, repaired and improved into an integer plan;
//!    if that plan is not within the requested gap, a MIP warm-started from it runs for the
//!    rest of the time limit.
//! 5. The plan reports its objective, the bound, the gap, the status and the wall time. When
//!    the time limit ends the search, the best plan found is returned with its gap.
//!
//! # Example
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use wfm::plan::{self, PlanProblem, PlanRules, PlanStatus, SolveOptions};
//! use wfm::shifts::{ClockTime, Day, ShiftTemplate, StartWindow};
//! use wfm::time::{Horizon, Site};
//!
//! // One day of hours at a London site; 4-hour shifts starting 06:00..18:00 local.
//! let horizon = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 60, 1)?;
//! let site = Site::new("london", "Europe/London")?;
//! let window = StartWindow {
//!     days: Day::ALL.to_vec(),
//!     from: ClockTime::new(6, 0).unwrap(),
//!     to: ClockTime::new(18, 0).unwrap(),
//! };
//! let template = ShiftTemplate::new("4h", "london", "calls", 240, window);
//! let mut required = vec![0u32; 24];
//! required[8..20].fill(3);
//! let problem = PlanProblem::new(
//!     horizon,
//!     vec![site],
//!     vec![template],
//!     vec![("calls".to_string(), required)],
//!     PlanRules::default(),
//! )?;
//! let plan = plan::solve(&problem, &SolveOptions::default())?;
//! assert_eq!(plan.paid_hours, 36.0); // 3 agents x 12 hours
//! assert_eq!(plan.status, PlanStatus::Optimal);
//! # Ok::<(), wfm::Error>(())
//! ```
//!
//! # Backends
//!
//! `microlp` (default, pure Rust), `highs` (needs `cmake` and `libclang-dev`), `coin_cbc`
//! (needs `coinor-libcbc-dev`): cargo features of this crate.

mod backlog;
mod bound;
mod diagnose;
mod dive;
mod flow;
mod integer;
mod lns;
mod lp;
mod model;
mod options;
mod pace;
mod problem;
mod result;
mod round;
mod skills;
mod unusable;
mod window;

pub use backlog::{fluid_replay, FluidReplay};
pub use options::{Backend, Observer, PlanEvent, SolveOptions};
pub use pace::{work_for, WORK_PER_SECOND};
pub use problem::{CoverageMode, PlanProblem, PlanRules, SiteCap};
pub use result::{
    coverage_of, relative_gap, Plan, PlanStatus, PlannedCoverage, PlannedShift, Termination,
};
pub use skills::MAX_LINKED_QUEUES;
pub use unusable::{UnusableKind, UnusableTemplate};

use crate::budget::Budget;
use crate::error::{Error, Result};
use integer::{integer_point, mip, try_flow};
use lp::{LpFail, LpRequest};
use model::{Model, Sub};
pub(crate) use pace::work_part;
use pace::{Meter, Pace};
use std::time::Duration;

struct BlockSol {
    x: Vec<u32>,
    lp: Option<Vec<f64>>,
    bound: f64,
    flow: bool,
    /// Rolling windows for the integer plan, when the block's bound came from windows.
    windows: Option<window::Rolling>,
}

/// Blocks with more columns than this get their bound from time windows (see `window`)
/// rather than one LP.
const WINDOW_COLS: usize = 8000;
/// Columns per window for the bound, and per rolling window for the integer plan.
const BOUND_WINDOW_COLS: usize = 3000;
const ROLL_WINDOW_COLS: usize = 3000;
/// Share of the work (and, as a safety net, of the time limit) the LP bounds may take (the
/// integer phase has the rest).
const LP_SHARE: f64 = 0.6;
/// Share of the time limit kept back from the first integer plans: a block whose share of
/// time runs out is still rounded and repaired from nothing (work that cannot be cut), and
/// this keeps that work inside the limit.
const RESERVE_SHARE: f64 = 0.05;
/// Weight of a windowed block's columns against other blocks' in sharing the time of the
/// first integer plans.
const WINDOW_WEIGHT: usize = 3;
/// Work units below which no MIP is started.
const MIN_MIP_WORK: u64 = 20;
/// Passes of the improvement phase at most (each pass visits every block above the gap).
const SEARCH_PASSES: usize = 4;

/// Chooses how many agents work each candidate shift of `problem`.
///
/// With backlog queues ([`PlanProblem::with_backlog`]) the work is planned with its
/// deadlines within the same time limit (see `docs/planning.md`).
///
/// # Errors
///
/// [`Error::Invalid`] naming `solve.time_limit_seconds` when the time limit is not a number of
/// seconds above 0 and at most a day, or `solve.gap` when a non-zero gap is not a fraction in (0,
/// 1]; [`Error::Solver`] when `options.backend` is not compiled into this build or the backend
/// fails for a reason other than infeasibility or time; [`Error::Infeasible`] when the hard
/// coverage cannot be met, its explanation naming the queue, the interval (UTC and site-local), the
/// sites and the rule in the way (no template serves the queue or no shift works then, site
/// `max_per_interval` caps, template `max_count`s, or the LP's diagnosis), or when no integer plan
/// meeting the caps is found within the time limit.
pub fn solve(problem: &PlanProblem, options: &SolveOptions) -> Result<Plan> {
    options.validate()?;
    if problem.has_backlog() {
        return backlog::solve(problem, options);
    }
    solve_rows(problem, options)
}

/// [`solve`] with the work units it did (the same on every run its status is not
/// `time_limit`), for a caller that paces its own work by them.
pub(crate) fn solve_counted(problem: &PlanProblem, options: &SolveOptions) -> Result<(Plan, u64)> {
    options.validate()?;
    let meter = Meter::new();
    let plan = if problem.has_backlog() {
        backlog::solve_on(problem, options, &meter)?
    } else {
        solve_paced(problem, options, &meter)?
    };
    Ok((plan, meter.done()))
}

/// [`solve`] on the rows the problem holds now.
fn solve_rows(problem: &PlanProblem, options: &SolveOptions) -> Result<Plan> {
    solve_paced(problem, options, &Meter::new())
}

/// [`solve_rows`] with `options.work_units()` of work on `meter`, which tells the caller the
/// work done and whether the clock cut the run.
fn solve_paced(problem: &PlanProblem, options: &SolveOptions, meter: &Meter) -> Result<Plan> {
    let backend = options.backend;
    if !backend.available() {
        return Err(Error::Solver {
            backend: backend.name().to_string(),
            reason: format!(
                "not compiled into this build; rebuild wfm with `--features {}`",
                backend.name()
            ),
        });
    }
    // One budget for every phase: the deadline and the caller's stop flag.
    // The clock is the safety net; decisions read the work done (see `pace`).
    let budget = Budget::from_seconds(options.time_limit_seconds, options.stop.clone());
    let pace = Pace::new(budget.clone(), meter, options.work_units());
    let t0 = budget.start();
    let mut model = Model::build(problem);
    diagnose::precheck(problem, &model)?;
    let subs = model.blocks();
    model.drop_columns();
    options.notify(PlanEvent::CandidatesBuilt {
        candidates: problem.candidates.len(),
        blocks: subs.len(),
    });
    // A block's bound, raised to the next value its plans' objectives can take.
    let block_bound = |s: &Sub, v: f64| bound::round_up(v, bound::granularity(s));

    // Phase 1: bounds (and exact plans for interval blocks), smallest blocks first, within
    // a share of the work (each block a part in proportion to its columns; no LP is
    // started once the phase's work is spent) and of the time limit, so the integer phase
    // keeps work and time of its own whatever the limit.
    let lp_clock =
        budget.until(t0 + Duration::from_secs_f64(options.time_limit_seconds * LP_SHARE));
    let lp_pace = pace.share(LP_SHARE).with_clock(lp_clock);
    let mut order: Vec<usize> = (0..subs.len()).collect();
    order.sort_by_key(|&b| subs[b].cols.len());
    let mut cols_left: usize = subs.iter().map(|s| s.cols.len()).sum();
    let mut slots: Vec<Option<BlockSol>> = (0..subs.len()).map(|_| None).collect();
    for b in order {
        let s = &subs[b];
        let until = lp_pace.share(s.cols.len() as f64 / cols_left.max(1) as f64);
        cols_left -= s.cols.len();
        if s.cover_rhs.is_empty() && s.pack_cap.is_empty() {
            slots[b] = Some(BlockSol {
                x: vec![0; s.cols.len()],
                lp: None,
                bound: 0.0,
                flow: true,
                windows: None,
            });
            continue;
        }
        if let Some(x) = options
            .interval_flow
            .then(|| try_flow(problem, &model, s))
            .flatten()
        {
            let xf: Vec<f64> = x.iter().map(|&k| k as f64).collect();
            slots[b] = Some(BlockSol {
                bound: s.objective(&xf),
                x,
                lp: None,
                flow: true,
                windows: None,
            });
            continue;
        }
        if s.cols.len() > WINDOW_COLS && !problem.rules.cyclic {
            let times = window::row_times(s, &model);
            let bounds = window::split(s, &times, BOUND_WINDOW_COLS, 2);
            let rolls = window::split(s, &times, ROLL_WINDOW_COLS, 1);
            if let (Some(bw), Some(rw)) = (bounds, rolls) {
                match window::bound(s, &times, &bw, backend, &until) {
                    Ok(wb) => {
                        slots[b] = Some(BlockSol {
                            x: Vec::new(),
                            lp: None,
                            bound: block_bound(s, wb.value),
                            flow: false,
                            windows: Some(window::Rolling {
                                times,
                                windows: rw,
                                hint: wb.hint,
                            }),
                        });
                        continue;
                    }
                    Err(LpFail::Infeasible) => {
                        return Err(diagnose::explain(problem, &model, s, backend, &pace))
                    }
                    Err(LpFail::TimeLimit | LpFail::Other(_)) => {
                        // `bound` reports time-outs as incomplete; other failures fall
                        // back to the block's own LP below.
                    }
                }
            }
        }
        let req = LpRequest {
            sub: s,
            backend,
            integer: false,
            pace: &until,
            warm_start: None,
            mip_gap: 0.0,
            elastic: false,
        };
        // Once the phase's work (or time) is spent, no LP is started: the block is rounded
        // from nothing.
        let answer = if !until.is_over() {
            lp::solve(&req)
        } else {
            Err(LpFail::TimeLimit)
        };
        match answer {
            Ok(pt) => {
                let bound = block_bound(s, s.objective(&pt.x));
                slots[b] = Some(BlockSol {
                    x: Vec::new(),
                    lp: Some(pt.x),
                    bound,
                    flow: false,
                    windows: None,
                });
            }
            Err(LpFail::Infeasible) => {
                return Err(diagnose::explain(problem, &model, s, backend, &pace))
            }
            Err(LpFail::TimeLimit) => {
                // Work or time is up before this block's LP: no bound beyond 0 (costs and penalties
                // are not negative), and the integer phase repairs from nothing.
                slots[b] = Some(BlockSol {
                    x: Vec::new(),
                    lp: Some(vec![0.0; s.cols.len()]),
                    bound: 0.0,
                    flow: false,
                    windows: None,
                });
            }
            Err(LpFail::Other(reason)) => {
                return Err(Error::Solver {
                    backend: backend.name().to_string(),
                    reason,
                })
            }
        }
    }
    let mut sols: Vec<BlockSol> = slots.into_iter().flatten().collect();
    let mut lower_bound: f64 = sols.iter().map(|b| b.bound).sum::<f64>() + model.constant;
    options.notify(PlanEvent::LpSolved {
        lower_bound,
        seconds: t0.elapsed().as_secs_f64(),
    });

    // Phase 2: integer plans from the LP points, smallest blocks first, each block with a
    // share of the work left in proportion to its columns (weighted, below).
    let mut order: Vec<usize> = (0..subs.len())
        .filter(|&b| sols[b].lp.is_some() || sols[b].windows.is_some())
        .collect();
    order.sort_by_key(|&b| subs[b].cols.len());
    // A windowed block weighs more than its columns: each of its windows is an LP of its
    // own, and a window whose LP runs out of time is rounded from nothing.
    let weights: Vec<usize> = (0..subs.len())
        .map(|b| match sols[b].windows {
            Some(_) => subs[b].cols.len() * WINDOW_WEIGHT,
            None => subs[b].cols.len(),
        })
        .collect();
    let mut weight_left: usize = order.iter().map(|&b| weights[b]).sum();
    let reserve = Duration::from_secs_f64(options.time_limit_seconds * RESERVE_SHARE);
    let first_plans = pace.with_clock(budget.until(budget.deadline() - reserve));
    for b in order {
        let w = weights[b];
        let until = first_plans.share(w as f64 / weight_left.max(1) as f64);
        weight_left -= w;
        let (s, sol) = (&subs[b], &mut sols[b]);
        let best = if let Some(lpx) = &sol.lp {
            integer_point(s, lpx, sol.bound, backend, &until, options.gap, true)
        } else if let Some(w) = &sol.windows {
            // A window's plan is one step of many: one dive, rounding only if it fails.
            let integer = |sub: &Sub, lpx: &[f64], until: &Pace<'_>| {
                integer_point(
                    sub,
                    lpx,
                    sub.objective(lpx),
                    backend,
                    until,
                    options.gap,
                    false,
                )
            };
            // From the windows' own LPs, which follow the plan so far; once one of them
            // does not finish in its work or time, that window and the later ones start
            // from the bound's window LPs instead, so the plan is complete whatever the
            // budget. Only when a cap leaves a window without an integer point is the whole
            // block tried from the bound's window LPs.
            let roll = |start, until: &Pace<'_>| {
                window::rolling(
                    s, &w.times, &w.windows, &w.hint, start, backend, until, &integer,
                )
            };
            roll(window::Start::Lp, &until).or_else(|| roll(window::Start::Hint, &until))
        } else {
            None
        };
        match best {
            Some(x) => sol.x = x,
            None => {
                // Rounding could not meet the caps: let the MIP search from scratch.
                let x = mip(s, backend, None, &pace, options.gap).0.ok_or_else(|| {
                    Error::Infeasible {
                        explanation: format!(
                            "the LP relaxation is feasible but no integer plan meeting the caps \
                             was found within the time limit ({} s) for a block of {} candidates; \
                             loosen the caps or allow more time",
                            options.time_limit_seconds,
                            s.cols.len()
                        ),
                    }
                })?;
                sol.x = x;
            }
        }
    }
    let objective_of = |sols: &[BlockSol]| -> f64 {
        subs.iter()
            .zip(sols)
            .map(|(s, b)| s.objective(&b.x.iter().map(|&k| k as f64).collect::<Vec<_>>()))
            .sum::<f64>()
            + model.constant
    };
    let obj = objective_of(&sols);
    options.notify(PlanEvent::Incumbent {
        objective: obj,
        gap: relative_gap(obj, lower_bound),
    });

    // Phase 3: blocks still above the target gap, in passes. In each pass every such block,
    // largest excess over its bound first, gets a share of the time left in proportion to
    // its excess: in the first pass a warm-started MIP of the whole block (not for windowed
    // blocks, too large for one MIP), then a large-neighbourhood search over stretches of
    // time. A pass that improves nothing ends the search; so does the last pass.
    let mut hit_limit = false;
    let block_obj = |b: usize, sols: &[BlockSol]| {
        subs[b].objective(&sols[b].x.iter().map(|&k| k as f64).collect::<Vec<_>>())
    };
    let mut todo: Vec<usize> = (0..subs.len()).filter(|&b| !sols[b].flow).collect();
    let mut rngs: Vec<lns::Rng> = (0..subs.len())
        .map(|b| lns::Rng::new(options.seed ^ (b as u64).wrapping_mul(0x9E37_79B9)))
        .collect();
    for pass in 0..SEARCH_PASSES {
        if relative_gap(objective_of(&sols), lower_bound) <= options.gap {
            break;
        }
        todo.retain(|&b| relative_gap(block_obj(b, &sols), sols[b].bound) > options.gap);
        let excess: Vec<(usize, f64)> = {
            let mut e: Vec<(usize, f64)> = todo
                .iter()
                .map(|&b| (b, (block_obj(b, &sols) - sols[b].bound).max(0.0)))
                .collect();
            // Blocks a MIP can take whole first (each MIP is small and quick), then
            // windowed blocks, whose search is slow; largest excess first within each.
            e.sort_by(|a, b| {
                (sols[a.0].windows.is_some())
                    .cmp(&sols[b.0].windows.is_some())
                    .then(b.1.total_cmp(&a.1))
                    .then(a.0.cmp(&b.0))
            });
            e
        };
        let mut left: f64 = excess.iter().map(|&(_, e)| e).sum();
        let mut any = false;
        for &(b, e) in &excess {
            if pace.is_over() {
                hit_limit = true;
                break;
            }
            let until = pace.share(if left > 0.0 { e / left } else { 1.0 });
            left -= e;
            let s = &subs[b];
            let mut improved = false;
            // Whether the whole block's MIP ran on the current plan without improving it.
            let mut whole_tried = false;
            if pass == 0 && sols[b].windows.is_none() {
                let cur_obj = block_obj(b, &sols);
                // A MIP not started for want of work tries nothing.
                let started = until.left() >= MIN_MIP_WORK;
                let (found, proven) = mip(s, backend, Some(&sols[b].x), &until, options.gap);
                if let Some(p) = proven
                    .map(|p| block_bound(s, p))
                    .filter(|&p| p > sols[b].bound)
                {
                    // The MIP's own bound is stronger than the LP's on this block.
                    lower_bound += p - sols[b].bound;
                    sols[b].bound = p;
                }
                if let Some(x) = found {
                    let xf: Vec<f64> = x.iter().map(|&k| k as f64).collect();
                    if s.objective(&xf) < cur_obj - 1e-9 {
                        sols[b].x = x;
                        improved = true;
                    }
                }
                whole_tried = started && !improved;
            }
            let times = match &sols[b].windows {
                Some(w) => w.times.clone(),
                None => window::row_times(s, &model),
            };
            let bound = sols[b].bound;
            // Where the plan costs most above a fractional point: the block's LP, or the
            // bound's window LPs.
            let reference = match (&sols[b].lp, &sols[b].windows) {
                (Some(lp), _) => Some(lp.clone()),
                (None, Some(w)) => Some(w.hint.clone()),
                (None, None) => None,
            };
            improved |= lns::improve(
                s,
                &times,
                &mut sols[b].x,
                reference.as_deref(),
                whole_tried,
                bound,
                options.gap,
                backend,
                &until,
                &mut rngs[b],
            );
            if improved {
                any = true;
                let o = objective_of(&sols);
                options.notify(PlanEvent::Incumbent {
                    objective: o,
                    gap: relative_gap(o, lower_bound),
                });
            }
        }
        if pace.is_over() {
            hit_limit = true;
        }
        if !any || hit_limit {
            break;
        }
    }

    // Assemble the plan.
    let mut counts = vec![0u32; problem.candidates.len()];
    for (s, sol) in subs.iter().zip(&sols) {
        for (j, &k) in s.cols.iter().zip(&sol.x) {
            counts[*j] = k;
        }
    }
    let mut shifts: Vec<PlannedShift> = Vec::new();
    let mut cost = 0.0;
    let mut paid_minutes = 0i64;
    for (c, &k) in problem.candidates.iter().zip(&counts) {
        if k == 0 {
            continue;
        }
        cost += c.cost * k as f64;
        paid_minutes += c.shift.paid_minutes() * k as i64;
        shifts.push(PlannedShift {
            shift: c.shift.clone(),
            queue: problem.templates[c.template].primary_queue().to_string(),
            count: k,
            cost_each: c.cost,
        });
    }
    shifts.sort_by(|a, b| {
        (
            a.shift.start,
            &a.shift.site,
            &a.shift.template,
            a.shift.breaks.first().map(|b| b.start),
        )
            .cmp(&(
                b.shift.start,
                &b.shift.site,
                &b.shift.template,
                b.shift.breaks.first().map(|b| b.start),
            ))
    });
    let scheduled = coverage_of(problem, &shifts);
    let mut penalty = 0.0;
    if let CoverageMode::Soft {
        under_penalty,
        over_penalty,
    } = problem.rules.coverage
    {
        for (req, cov) in problem.requirements.iter().zip(&scheduled) {
            for (&r, &c) in req.iter().zip(cov) {
                penalty += if c < r {
                    (r - c) as f64 * under_penalty
                } else {
                    (c - r) as f64 * over_penalty
                };
            }
        }
    }
    let objective = cost + penalty;
    let gap = relative_gap(objective, lower_bound);
    // Only a run the clock (or the stop flag) cut can differ from another run: it says so.
    let status = if meter.cut() || budget.stop_requested() {
        PlanStatus::TimeLimit
    } else if gap <= 1e-9 {
        PlanStatus::Optimal
    } else if gap <= options.gap {
        PlanStatus::WithinGap
    } else {
        PlanStatus::AboveGap
    };
    let coverage = problem
        .queues
        .iter()
        .zip(&problem.requirements)
        .zip(scheduled)
        .map(|((q, r), s)| PlannedCoverage {
            queue: q.clone(),
            required: r.clone(),
            scheduled: s,
        })
        .collect();
    options.notify(PlanEvent::Done {
        objective,
        lower_bound,
        gap,
    });
    Ok(Plan {
        shifts,
        coverage,
        cost,
        penalty,
        objective,
        paid_hours: paid_minutes as f64 / 60.0,
        lower_bound,
        gap,
        status,
        solve_seconds: t0.elapsed().as_secs_f64(),
        candidates: problem.candidates.len(),
        blocks: subs.len(),
        flow_blocks: sols.iter().filter(|b| b.flow).count(),
    })
}
