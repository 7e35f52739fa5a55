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
//! A wall-clock budget shared by every phase, always returning the best valid roster found.
//! The MIP backend is HiGHS when the crate is built with the `highs` feature, else `microlp`
//! ([`Options::backend`]); HiGHS takes far bigger models and neighbourhoods.
//! 1. simulated annealing from an empty roster (hard rules as heavy penalties) builds the
//!    first roster (only a warm start when the full MIP follows);
//! 2. when the model is small enough for the backend, the full MIP (warm-started): a proof of
//!    optimality when the backend finishes, or a proof that no roster keeps every rule;
//! 3. then a large-neighbourhood search: free a window of days for a set of employees, fix
//!    the rest, re-solve that sub-MIP, keep it when the checker confirms it is no worse.
//!    While rules are broken, neighbourhoods are built around them and their sub-models are
//!    elastic (breaks cost a large penalty), so each step can only remove breaks.
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

/// The MIP backend of [`Options::backend`] (the planner's).
pub use crate::plan::Backend;
pub use check::{check, Report, Rule, Shortfall, Violation};
pub use curtois::write_csv;
pub use model::{Contract, Cover, Employee, Problem, Request, Roster, ShiftType};

use crate::error::{Error, Result};
use data::Data;
use mip::How;
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
    /// MIP backend. The default is HiGHS when this build has the `highs` feature (far
    /// stronger branch and bound: bigger models and neighbourhoods), else `microlp`.
    pub backend: Backend,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: Duration::from_secs(10),
            seed: 1,
            lower_bound: true,
            mip: true,
            backend: if cfg!(feature = "highs") {
                Backend::Highs
            } else {
                Backend::Microlp
            },
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
    /// MIP backend used (`microlp` or `highs`).
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
    /// Share of the budget for the first anneal (a warm start) when the full MIP follows.
    full_anneal_share: f64,
    /// Seconds per neighbourhood sub-solve.
    step_seconds: f64,
    /// Steps without improvement before a shake, and the shake's share of the budget.
    stall: usize,
    shake_share: f64,
    full: usize,
    /// Free binaries of a neighbourhood: at first, and the range it adapts within.
    sub: usize,
    sub_min: usize,
    sub_max: usize,
    lp: usize,
}

/// Limits by backend. `microlp` (pure Rust, weak branch and bound): the full MIP only for
/// tiny models, small neighbourhoods, most of the budget to the annealing. HiGHS: the full
/// MIP up to a few thousand binaries, neighbourhoods ten times larger.
fn caps(backend: Backend) -> Caps {
    match backend {
        Backend::Highs => Caps {
            anneal_share: 0.4,
            full_anneal_share: 0.05,
            step_seconds: 3.0,
            stall: 30,
            shake_share: 0.025,
            full: 1200,
            sub: 300,
            sub_min: 60,
            sub_max: 3000,
            lp: 60_000,
        },
        _ => Caps {
            anneal_share: 0.75,
            full_anneal_share: 0.2,
            step_seconds: 1.0,
            stall: 15,
            shake_share: 0.1,
            full: 300,
            sub: 100,
            sub_min: 100,
            sub_max: 100,
            lp: 3000,
        },
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
    if options.mip && !options.backend.available() {
        return Err(Error::invalid(
            "backend",
            format!(
                "{} is not compiled in; build wfm with `--features {}`",
                options.backend.name(),
                options.backend.name()
            ),
        ));
    }
    let bk = options.backend;
    let caps = caps(bk);
    let nvars = dt.allowed.iter().filter(|&&a| a).count();
    let mut rng = Rng::new(options.seed);
    let can_full = options.mip && nvars <= caps.full;
    let can_lns = options.mip
        && nvars > 0
        && (0..dt.ne).any(|e| vars_in(&dt, &[e], 0, dt.nd.min(7)) <= caps.sub);
    let total = options.time_limit.as_secs_f64();
    let sa_share = if can_full {
        caps.full_anneal_share
    } else if can_lns {
        caps.anneal_share
    } else {
        1.0
    };
    let mut sa_secs = total * sa_share;
    if can_full {
        // Only a warm start for the full MIP: about 2 ms per binary is plenty.
        sa_secs = sa_secs.min(0.05 + 0.002 * nvars as f64);
    }
    let sa_end = begin + Duration::from_secs_f64(sa_secs);
    let (grid, _, _) = search::anneal(&dt, vec![u8::MAX; dt.ne * dt.nd], sa_end, rng.next(), 200.0);
    let mut best = Best::new(problem, &dt, grid);
    if !can_full && !best.report.violations.is_empty() && Instant::now() < deadline {
        // Rows breaking rules: repair each on its own (a third of what is left at most; the
        // full MIP, when it fits, repairs them itself).
        let until = Instant::now() + Duration::from_secs_f64(remaining(deadline) / 3.0);
        let g = search::repair_rows(&dt, best.grid.clone(), until, rng.next());
        best.offer(problem, &dt, g);
    }

    let mut lower_bound: Option<i64> = None;
    if options.lower_bound && options.mip && nvars <= caps.lp && Instant::now() < deadline {
        let secs = remaining(deadline) * 0.05;
        if let Ok(r) = mip::solve(
            &dt,
            &best.grid,
            &|_, _| true,
            How {
                relax: true,
                seconds: secs,
                gap: 0.0,
                elastic: false,
                backend: bk,
            },
        ) {
            if r.optimal && r.value.is_finite() {
                lower_bound = Some((r.value - 1e-6).ceil() as i64);
            }
        }
    }
    let mut proven = false;
    // The full MIP: with microlp once, with most of what is left; with HiGHS first briefly
    // (small models are proven at once), then again after the neighbourhood search, warm
    // started from its best roster (a good incumbent shortens the proof).
    let full_shares: &[f64] = match bk {
        Backend::Highs => &[0.25, 1.0],
        _ => &[0.7],
    };
    let mut steps = (0usize, 0usize);
    let mut stall = 0usize;
    let mut no_roster = false;
    if nvars == 0 {
        // No cell can be worked: everyone off is the only roster.
        if best.report.violations.is_empty() {
            proven = true;
            lower_bound = Some(best.report.objective);
        } else {
            no_roster = true;
        }
    }
    // Window lengths of the neighbourhoods, each with its own size (free binaries) that
    // adapts: whole-horizon neighbourhoods are harder to solve than a week for everyone.
    let mut lens: Vec<usize> = [dt.nd, 28, 21, 14, 10, 7]
        .iter()
        .map(|&l| l.clamp(1, dt.nd.max(1)))
        .collect();
    lens.dedup();
    let mut caps_by_len = vec![caps.sub; lens.len()];
    for (round, &share) in full_shares.iter().enumerate() {
        if no_roster {
            break;
        }
        if can_full && !proven && Instant::now() < deadline {
            let secs = remaining(deadline) * share;
            let full = mip::solve(
                &dt,
                &best.grid,
                &|_, _| true,
                How {
                    relax: false,
                    seconds: secs,
                    gap: 0.0,
                    elastic: false,
                    backend: bk,
                },
            );
            if matches!(full, Err(mip::MipError::Infeasible)) {
                // The backend proved that no roster keeps every hard rule.
                no_roster = true;
                break;
            }
            if let Ok(r) = full {
                if let Some(g) = r.grid {
                    if best.offer(problem, &dt, g)
                        && r.optimal
                        && (r.value - best.report.objective as f64).abs() < 1e-6
                    {
                        proven = true;
                        lower_bound = Some(best.report.objective);
                    }
                }
            }
        }
        // Neighbourhood search until the next full-MIP round (or the deadline).
        let lns_end = if round + 1 < full_shares.len() && can_full {
            Instant::now() + Duration::from_secs_f64(remaining(deadline) * 0.5)
        } else {
            deadline
        };
        while can_lns && !proven && Instant::now() < lns_end {
            if best.report.objective == lower_bound.unwrap_or(i64::MIN)
                && best.report.violations.is_empty()
            {
                break;
            }
            // While the best roster still breaks rules, free an offending employee first.
            let repair = repair_window(problem, &best.report, &mut rng);
            let must = repair.map(|r| r.0);
            // Otherwise half the time a window around a shift left short, with the employees
            // who could work it first; else a random window.
            let short =
                if repair.is_none() && rng.below(2) == 0 && !best.report.shortfalls.is_empty() {
                    let list = &best.report.shortfalls;
                    Some(list[rng.below(list.len())])
                } else {
                    None
                };
            let (class, from, len) = match repair {
                Some((_, from, len)) => (usize::MAX, from, len),
                None => {
                    let c = rng.below(lens.len());
                    let from = match short {
                        Some(sf) => sf
                            .day
                            .saturating_sub(rng.below(lens[c]))
                            .min(dt.nd - lens[c]),
                        None => rng.below(dt.nd - lens[c] + 1),
                    };
                    (c, from, lens[c])
                }
            };
            // A window repair takes along the other employees breaking a rule in the window.
            let local_repair = repair.is_some_and(|r| r.2 < dt.nd);
            let cap = if local_repair {
                caps.sub * 5
            } else {
                caps_by_len.get(class).copied().unwrap_or(caps.sub)
            };
            let broken_in: Vec<bool> = if local_repair {
                let mut b = vec![false; dt.ne];
                for v in &best.report.violations {
                    let (Some(id), Some(d)) = (&v.employee, v.day) else {
                        continue;
                    };
                    if d >= from && d < from + len {
                        if let Some(e) = problem.employees.iter().position(|x| &x.id == id) {
                            b[e] = true;
                        }
                    }
                }
                b
            } else {
                Vec::new()
            };
            let first = |e: usize| {
                if local_repair {
                    broken_in[e]
                } else {
                    short.is_some_and(|sf| dt.ok(e, sf.day, sf.shift))
                }
            };
            let (emps, from, to) = neighbourhood(&dt, &mut rng, cap, must, &first, from, len);
            // Repairs of a whole long horizon get more time.
            let step = if repair.is_some() {
                caps.step_seconds * 2.0
            } else {
                caps.step_seconds
            };
            let secs = remaining(lns_end).min(step);
            let free = |e: usize, d: usize| d >= from && d < to && emps.contains(&e);
            steps.0 += 1;
            let mut improved = false;
            let t0 = Instant::now();
            let mut finished = false;
            // While rules are broken the sub-model is elastic (its warm start, the current
            // roster, is a solution; breaks cost a large penalty), and a repair only needs a
            // better roster soon: stop within 2 % of the sub-model's bound.
            let broken = !best.report.violations.is_empty();
            let gap = if repair.is_some() { 0.02 } else { 0.0 };
            if let Ok(r) = mip::solve(
                &dt,
                &best.grid,
                &free,
                How {
                    relax: false,
                    seconds: secs,
                    gap,
                    elastic: broken,
                    backend: bk,
                },
            ) {
                finished = r.optimal;
                if let Some(g) = r.grid {
                    let before = (best.report.violations.len(), best.report.objective);
                    if best.offer(problem, &dt, g) {
                        improved = (best.report.violations.len(), best.report.objective) < before;
                    }
                }
            }
            // Adapt the neighbourhood size: grow while sub-MIPs finish quickly, shrink when
            // they run out of time.
            if let Some(c) = caps_by_len.get_mut(class) {
                if finished && t0.elapsed().as_secs_f64() < secs / 4.0 {
                    *c = (*c + *c / 8 + 1).min(caps.sub_max);
                } else if !finished {
                    *c = (*c - *c / 5).max(caps.sub_min);
                }
            }
            if improved {
                steps.1 += 1;
                stall = 0;
            } else {
                stall += 1;
            }
            if !best.report.violations.is_empty() && stall >= 5 {
                // Repairs stuck: repair the broken rows on their own again, briefly.
                stall = 0;
                let until = (Instant::now()
                    + Duration::from_secs_f64((total * caps.shake_share).max(0.5)))
                .min(lns_end);
                let g = search::repair_rows(&dt, best.grid.clone(), until, rng.next());
                best.offer(problem, &dt, g);
            } else if stall >= caps.stall {
                // Shake: a short, cooler anneal from the best roster (it never returns a
                // worse valid one).
                stall = 0;
                let until = (Instant::now()
                    + Duration::from_secs_f64((total * caps.shake_share).max(0.5)))
                .min(lns_end);
                let (g, _, h) = search::anneal(&dt, best.grid.clone(), until, rng.next(), 20.0);
                if h == 0 {
                    best.offer(problem, &dt, g);
                }
            }
        }
    }
    let roster = Roster {
        shifts: search::to_rows(&dt, &best.grid),
    };
    if !best.report.violations.is_empty() {
        let list: Vec<String> = best
            .report
            .violations
            .iter()
            .take(5)
            .map(|v| v.to_string())
            .collect();
        let what = if no_roster {
            format!(
                "no roster keeps every hard rule (proven: the full model has no solution{})",
                if nvars == 0 {
                    String::from("; no employee may work any shift")
                } else {
                    format!(", by the {} backend", bk.name())
                }
            )
        } else {
            format!(
                "no roster keeping every hard rule was found in {:.1} s",
                begin.elapsed().as_secs_f64()
            )
        };
        return Err(Error::Infeasible {
            explanation: format!(
                "{what}; the best attempt still breaks {} rule(s), e.g. {}",
                best.report.violations.len(),
                list.join("; ")
            ),
        });
    }
    Ok(Solution {
        objective: best.report.objective,
        report: best.report,
        roster,
        lower_bound,
        proven_optimal: proven,
        backend: bk.name(),
        elapsed: begin.elapsed(),
        lns_steps: steps,
    })
}

/// A neighbourhood that can repair one violation of `report`, chosen at random:
/// `(employee, first day, days)`. Rules about a stretch of days (runs, successions, rest,
/// days off) get a window of four weeks around the day; rules about the whole horizon
/// (minutes, maxima, weekends) get the whole horizon.
fn repair_window(
    problem: &Problem,
    report: &Report,
    rng: &mut Rng,
) -> Option<(usize, usize, usize)> {
    let list: Vec<&Violation> = report
        .violations
        .iter()
        .filter(|v| v.employee.is_some())
        .collect();
    if list.is_empty() {
        return None;
    }
    let v = list[rng.below(list.len())];
    let id = v.employee.as_ref()?;
    let e = problem.employees.iter().position(|x| &x.id == id)?;
    let local = matches!(
        v.rule,
        Rule::MaxConsecutive
            | Rule::MinConsecutive
            | Rule::MinConsecutiveOff
            | Rule::Succession
            | Rule::MinRest
            | Rule::DayOff
    );
    let nd = problem.days;
    match v.day {
        // Now and then a local rule is repaired over the whole horizon anyway: fixed edges
        // can make a window unrepairable.
        Some(d) if local && rng.below(8) != 0 => {
            let from = d.saturating_sub(14).min(nd.saturating_sub(28));
            Some((e, from, 28.min(nd - from)))
        }
        _ => Some((e, 0, nd)),
    }
}

/// The best roster so far, with the checker's report on it.
struct Best {
    grid: Vec<u8>,
    report: Report,
}

impl Best {
    fn new(problem: &Problem, dt: &Data, grid: Vec<u8>) -> Self {
        let report = check(
            problem,
            &Roster {
                shifts: search::to_rows(dt, &grid),
            },
        );
        Best { grid, report }
    }

    /// Keeps `grid` when the checker finds fewer violations, or as many and an objective no
    /// worse; returns whether it was kept.
    fn offer(&mut self, problem: &Problem, dt: &Data, grid: Vec<u8>) -> bool {
        let cand = Best::new(problem, dt, grid);
        let (nv, bv) = (cand.report.violations.len(), self.report.violations.len());
        let ok = nv < bv || (nv == bv && cand.report.objective <= self.report.objective);
        if ok {
            *self = cand;
        }
        ok
    }
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

/// The window of `len` days from `from` and a random set of employees whose free cells fit
/// `cap`, those `first` picks before the others (`must`, when given, is always in, even past
/// the cap).
fn neighbourhood(
    dt: &Data,
    rng: &mut Rng,
    cap: usize,
    must: Option<usize>,
    first: &dyn Fn(usize) -> bool,
    from: usize,
    len: usize,
) -> (Vec<usize>, usize, usize) {
    let to = (from + len.max(1)).min(dt.nd);
    let mut order: Vec<usize> = (0..dt.ne).collect();
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    // Stable: employees `first` picks come first, each group still in random order.
    order.sort_by_key(|&e| !first(e));
    if let Some(m) = must {
        if let Some(i) = order.iter().position(|&e| e == m) {
            order.swap(0, i);
        }
    }
    let mut emps = Vec::new();
    let mut used = 0;
    for e in order {
        let n = vars_in(dt, &[e], from, to);
        // At least one employee, even past the cap.
        if used + n > cap && Some(e) != must && !emps.is_empty() {
            break;
        }
        used += n;
        emps.push(e);
    }
    (emps, from, to)
}
