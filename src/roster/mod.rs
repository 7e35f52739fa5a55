//! Rostering: assign named employees (agents) to shift types over a horizon of days,
//! honouring each one's contract, and check any roster independently.
//!
//! # Model ([`Problem`])
//! Each employee works at most one shift a day or is off. Hard rules per employee
//! ([`Contract`]): maximum shifts per type (0 = may not work it), minimum and maximum total
//! minutes, maximum and minimum consecutive working days, minimum consecutive days off (runs
//! touching day 0 or the last day are exempt from both minimums), maximum weekends worked
//! (Saturday or Sunday), fixed days off, forbidden successions (type X not followed by Y the
//! next day), a minimum rest between the real end and start of consecutive shifts (from
//! [`ShiftInstance`](crate::shifts::ShiftInstance)s in UTC, so sites' time zones and DST are
//! already in the instants), and eligibility by site and skill. Soft: shift-on and shift-off
//! requests with weights, and cover per (day, shift type) with under and over weights. The
//! objective is the total soft penalty, exactly as in the Curtois benchmark
//! ([`curtois`] reads those instances).
//!
//! # Solver ([`solve`])
//! A wall-clock budget shared by every phase, always returning the best valid roster found:
//! 1. simulated annealing from an empty roster (hard rules as heavy penalties) builds the
//!    first valid roster and improves it;
//! 2. when the model is small enough for the backend, the full MIP (warm-started) — a proof of
//!    optimality when the backend finishes;
//! 3. then a large-neighbourhood search: free a random window of days for a random set of
//!    employees, fix the rest, re-solve that sub-MIP, keep it when the checker confirms it is
//!    valid and no worse.
//!
//! The lower bound is the LP relaxation of the full model (when it fits), or the objective
//! itself when the backend proved optimality of the full MIP. Every answer of the backend is
//! verified: values must be integral and the roster must pass [`check`] with no violation.
//!
//! # Checker ([`check`])
//! Independent of the solvers: recomputes every rule and the objective from the problem and
//! the roster alone.

mod check;
pub mod curtois;
mod data;
mod mip;
mod model;
mod search;
pub mod slots;

pub use check::{check, Report, Rule, Shortfall, Violation};
pub use curtois::write_csv;
pub use model::{Contract, Cover, Employee, Problem, Request, Roster, ShiftType};

use crate::error::{Error, Result};
use data::Data;
use search::Rng;
use std::time::{Duration, Instant};

/// Solver settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Wall-clock budget for the whole solve.
    pub time_limit: Duration,
    /// Seed of the search's random choices (same seed and budget: same moves, though timing
    /// decides how many).
    pub seed: u64,
    /// Whether to spend part of the budget on the LP relaxation for a lower bound.
    pub lower_bound: bool,
    /// Whether to use the MIP phases (full model, neighbourhood search); without them the
    /// annealing runs for the whole budget.
    pub mip: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: Duration::from_secs(10),
            seed: 1,
            lower_bound: true,
            mip: true,
        }
    }
}

/// A solved roster with its checker report.
#[derive(Debug, Clone)]
pub struct Solution {
    /// The best valid roster found.
    pub roster: Roster,
    /// The independent checker's report on it (no violations; objective; shortfalls, i.e.
    /// the shifts that could not be staffed).
    pub report: Report,
    /// Its objective (equal to `report.objective`).
    pub objective: i64,
    /// A lower bound on the optimum, when one is known.
    pub lower_bound: Option<i64>,
    /// Whether the full MIP was solved to proven optimality.
    pub proven_optimal: bool,
    /// MIP backend used (`microlp`).
    pub backend: &'static str,
    /// Wall-clock time used.
    pub elapsed: Duration,
    /// Number of MIP sub-solves (large-neighbourhood steps) and how many improved.
    pub lns_steps: (usize, usize),
}

/// Size limits (free binaries) for the MIP phases, by backend.
struct Caps {
    /// Share of the budget for the first anneal when a neighbourhood search follows.
    anneal_share: f64,
    /// Seconds per neighbourhood sub-solve.
    step_seconds: f64,
    full: usize,
    sub: usize,
    lp: usize,
}

/// Limits for `microlp` (pure Rust, weak branch and bound): the full MIP only for tiny
/// models, small neighbourhoods, most of the budget to the annealing.
fn caps() -> Caps {
    Caps {
        anneal_share: 0.75,
        step_seconds: 1.0,
        full: 300,
        sub: 100,
        lp: 3000,
    }
}

/// Builds a roster for `problem` within `options.time_limit`.
///
/// Errors: [`Error::Invalid`] for a malformed problem (or more than 64 shift types);
/// [`Error::Infeasible`] when no roster keeping every hard rule was found in the time (the
/// explanation lists the rules the best attempt still broke).
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution> {
    problem.validate()?;
    crate::error::check_positive("time_limit", options.time_limit.as_secs_f64())?;
    if problem.shift_types.len() > 64 {
        return Err(Error::invalid(
            "shift_types",
            format!(
                "the solver supports at most 64 shift types, got {}",
                problem.shift_types.len()
            ),
        ));
    }
    let begin = Instant::now();
    let deadline = begin + options.time_limit;
    let dt = Data::new(problem);
    let caps = caps();
    let nvars = dt.allowed.iter().filter(|&&a| a).count();
    let mut rng = Rng::new(options.seed);
    let can_full = options.mip && nvars <= caps.full;
    let can_lns = options.mip
        && nvars > 0
        && (0..dt.ne).any(|e| vars_in(&dt, &[e], 0, dt.nd.min(7)) <= caps.sub);
    let total = options.time_limit.as_secs_f64();
    let sa_share = if can_full {
        0.2
    } else if can_lns {
        caps.anneal_share
    } else {
        1.0
    };
    let sa_end = begin + Duration::from_secs_f64(total * sa_share);
    let (grid, _, _) = search::anneal(&dt, vec![u8::MAX; dt.ne * dt.nd], sa_end, rng.next(), 200.0);
    let mut best = grid;
    let mut best_report = check(
        problem,
        &Roster {
            shifts: search::to_rows(&dt, &best),
        },
    );

    let mut lower_bound: Option<i64> = None;
    if options.lower_bound && nvars <= caps.lp && Instant::now() < deadline {
        let secs = remaining(deadline) * 0.1;
        if let Ok(r) = mip::solve(&dt, &best, &|_, _| true, true, secs) {
            if r.optimal && r.value.is_finite() {
                lower_bound = Some((r.value - 1e-6).ceil() as i64);
            }
        }
    }
    let mut proven = false;
    if can_full && Instant::now() < deadline {
        let secs = remaining(deadline) * 0.7;
        if let Ok(r) = mip::solve(&dt, &best, &|_, _| true, false, secs) {
            if let Some(g) = r.grid {
                let rep = check(
                    problem,
                    &Roster {
                        shifts: search::to_rows(&dt, &g),
                    },
                );
                if rep.violations.is_empty()
                    && (!best_report.violations.is_empty()
                        || rep.objective <= best_report.objective)
                {
                    best = g;
                    best_report = rep;
                    if r.optimal && (r.value - best_report.objective as f64).abs() < 1e-6 {
                        proven = true;
                        lower_bound = Some(best_report.objective);
                    }
                }
            }
        }
    }
    let mut steps = (0usize, 0usize);
    let mut stall = 0usize;
    while can_lns && !proven && Instant::now() < deadline {
        if best_report.objective == lower_bound.unwrap_or(i64::MIN)
            && best_report.violations.is_empty()
        {
            break;
        }
        // While the best roster still breaks rules, free an offending employee first.
        let must = best_report
            .violations
            .iter()
            .filter_map(|v| v.employee.as_ref())
            .filter_map(|id| problem.employees.iter().position(|e| &e.id == id))
            .nth(rng.below(best_report.violations.len().max(1)));
        let (emps, from, to) = neighbourhood(&dt, &mut rng, caps.sub, must);
        let secs = remaining(deadline).min(caps.step_seconds);
        let free = |e: usize, d: usize| d >= from && d < to && emps.contains(&e);
        steps.0 += 1;
        let mut improved = false;
        if let Ok(r) = mip::solve(&dt, &best, &free, false, secs) {
            if let Some(g) = r.grid {
                let rep = check(
                    problem,
                    &Roster {
                        shifts: search::to_rows(&dt, &g),
                    },
                );
                let (nv, bv) = (rep.violations.len(), best_report.violations.len());
                let ok = nv < bv || (nv == bv && rep.objective <= best_report.objective);
                if ok {
                    improved = nv < bv || rep.objective < best_report.objective;
                    best = g;
                    best_report = rep;
                }
            }
        }
        if improved {
            steps.1 += 1;
            stall = 0;
        } else {
            stall += 1;
        }
        if stall >= 15 {
            // Shake: a short, cooler anneal from the best roster (it never returns a worse
            // valid one).
            stall = 0;
            let until =
                (Instant::now() + Duration::from_secs_f64((total / 10.0).max(0.5))).min(deadline);
            let (g, _, h) = search::anneal(&dt, best.clone(), until, rng.next(), 20.0);
            if h == 0 {
                let rep = check(
                    problem,
                    &Roster {
                        shifts: search::to_rows(&dt, &g),
                    },
                );
                if rep.violations.is_empty() && rep.objective <= best_report.objective {
                    best = g;
                    best_report = rep;
                }
            }
        }
    }
    let roster = Roster {
        shifts: search::to_rows(&dt, &best),
    };
    if !best_report.violations.is_empty() {
        let list: Vec<String> = best_report
            .violations
            .iter()
            .take(5)
            .map(|v| v.to_string())
            .collect();
        return Err(Error::Infeasible {
            explanation: format!(
                "no roster keeping every hard rule was found in {:.1} s; the best attempt still breaks {} rule(s), e.g. {}",
                begin.elapsed().as_secs_f64(),
                best_report.violations.len(),
                list.join("; ")
            ),
        });
    }
    Ok(Solution {
        objective: best_report.objective,
        report: best_report,
        roster,
        lower_bound,
        proven_optimal: proven,
        backend: mip::backend_name(),
        elapsed: begin.elapsed(),
        lns_steps: steps,
    })
}

fn remaining(deadline: Instant) -> f64 {
    deadline
        .saturating_duration_since(Instant::now())
        .as_secs_f64()
}

/// Number of free binaries if `emps` are free on days `from..to`.
fn vars_in(dt: &Data, emps: &[usize], from: usize, to: usize) -> usize {
    let mut n = 0;
    for &e in emps {
        for d in from..to {
            for s in 0..dt.ns {
                n += usize::from(dt.ok(e, d, s));
            }
        }
    }
    n
}

/// A random window of days and a random set of employees whose free cells fit `cap`.
fn neighbourhood(
    dt: &Data,
    rng: &mut Rng,
    cap: usize,
    must: Option<usize>,
) -> (Vec<usize>, usize, usize) {
    let lens = [dt.nd, 28, 14, 7];
    let mut len = lens[rng.below(lens.len())].min(dt.nd).max(1);
    if must.is_some() {
        // Repair: the offending employee's whole horizon, even past the cap.
        len = dt.nd;
    }
    let from = rng.below(dt.nd - len + 1);
    let to = from + len;
    let mut order: Vec<usize> = (0..dt.ne).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    if let Some(m) = must {
        if let Some(i) = order.iter().position(|&e| e == m) {
            order.swap(0, i);
        }
    }
    let mut emps = Vec::new();
    let mut used = 0;
    for e in order {
        let n = vars_in(dt, &[e], from, to);
        if used + n > cap && Some(e) != must {
            if emps.is_empty() {
                continue;
            }
            break;
        }
        used += n;
        emps.push(e);
    }
    (emps, from, to)
}
