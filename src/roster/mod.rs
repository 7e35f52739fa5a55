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
//! Deterministic: every phase is paced by counts of work (annealing moves, branch-and-bound
//! nodes, pricing rounds, neighbourhood steps), never by the clock, and the search threads'
//! results are combined in a fixed order, so the same problem and options give the same
//! roster on every run, on any machine and with any number of threads. The time limit
//! ([`Options::time_limit`]) and the stop flag ([`Options::stop`]) are only a safety net:
//! when one of them cuts a run short the answer is the best valid roster found so far
//! ([`Termination::TimeLimit`]), and only then can two runs differ. The amount of work is
//! [`Options::work`], by default derived from the time limit.
//!
//! The MIP backend is HiGHS when the crate is built with the `highs` feature, else
//! `microlp` ([`Options::backend`]); HiGHS takes far bigger models and neighbourhoods.
//! 1. on horizons up to 56 days (28 with HiGHS), column generation over whole schedules
//!    first (with `microlp` when the pricing DP applies; its master is then solved as a dual LP)
//!    (the `columns` driver over the `colgen` module; pricing by an exact DP over days, the
//!    `price` module): a lower bound with each employee's rules exact, then dives over its
//!    LP (force the cells the LP is sure of, re-price, repeat) and a restricted master MIP;
//! 2. otherwise (or when no valid roster came of it), simulated annealing from an empty
//!    roster, one run per lane (hard rules as heavy penalties), builds the first roster;
//! 3. when the model is small enough for the backend, the full MIP (warm-started, node
//!    limited): a proof of optimality when the backend finishes, or a proof that no roster
//!    keeps every rule;
//! 4. then rounds (the `portfolio` module): in each, every lane works a fixed amount from
//!    the same best roster (large-neighbourhood search, the `lns` module, a cool anneal,
//!    or, every other round when the pricing DP applies and did not explode in the column
//!    phase, ruin and recreate by exact best responses, the `respond` module), and the best
//!    lane's roster (by broken rules,
//!    objective, lane index) is kept.
//!
//! The lower bound is column generation's (when it ran), else the LP relaxation of the full
//! model (when it fits), or the objective itself when the backend proved optimality of the
//! full MIP; a roster whose objective meets the bound is reported optimal. Every answer of
//! the backend is verified: values must be integral and the roster must pass [`check`] with
//! no violation.
//!
//! # Checker ([`check`])
//! Independent of the solvers: recomputes every rule and the objective from the problem and
//! the roster alone.

mod check;
mod colgen;
mod columns;
pub mod curtois;
mod data;
mod lns;
mod meter;
mod mip;
mod model;
mod portfolio;
mod price;
mod respond;
mod rmp;
mod search;
mod seed;
pub mod slots;

/// The MIP backend of [`Options::backend`] (the planner's).
pub use crate::plan::{Backend, Termination};
pub use check::{check, Report, Rule, Shortfall, Violation};
pub use curtois::write_csv;
pub use model::{Contract, Cover, Employee, Problem, Request, Roster, ShiftType};

use crate::budget::Budget;
use crate::error::{Error, Result};
use std::time::Duration;

/// Solver settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Wall-clock limit of the whole solve: a safety net. The search is paced by
    /// [`Options::work`], not by the clock; only a run the limit cuts short can differ from
    /// another run of the same problem and options.
    pub time_limit: Duration,
    /// Seed of the search's random choices: the same seed and work give the same roster.
    pub seed: u64,
    /// Amount of search, in work units (one unit: about a millisecond of one thread of a
    /// release build, i.e. about 3 500 annealing moves over four weeks or the matching share
    /// of a neighbourhood sub-MIP). `None` (the default): derived from the time limit alone
    /// ([`work_for`]): about the limit's worth of CPU time over all threads, so about half
    /// the limit on two idle cores. Never derived from the machine's speed or the thread
    /// count, so the roster does not depend on them.
    pub work: Option<u64>,
    /// Whether to spend part of the budget on a lower bound (column generation on horizons
    /// up to 56 days, else the LP relaxation).
    pub lower_bound: bool,
    /// Whether to use the MIP phases (full model, neighbourhood search); without them the
    /// annealing runs for the whole budget.
    pub mip: bool,
    /// MIP backend. The default is HiGHS when this build has the `highs` feature (far
    /// stronger branch and bound: bigger models and neighbourhoods), else `microlp`.
    pub backend: Backend,
    /// Search threads (at least 1): they run the search's lanes (a fixed number of them)
    /// side by side, and column generation's pricing. More threads only make a solve
    /// faster: the roster is the same with any number. The default is the number of cores,
    /// at most 8.
    pub threads: usize,
    /// Set from any thread to stop the solve early: the best valid roster so far is
    /// returned (termination `time_limit`).
    pub stop: Option<crate::budget::StopFlag>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            time_limit: Duration::from_secs(10),
            seed: 1,
            work: None,
            lower_bound: true,
            mip: true,
            backend: if cfg!(feature = "highs") {
                Backend::Highs
            } else {
                Backend::Microlp
            },
            threads: std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8),
            stop: None,
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
    /// What gave the lower bound: `"LP relaxation"` (of the compact model), `"column
    /// generation"` (each employee's rules exact), or `"proven optimal"` (the roster meets
    /// it, or the full MIP closed its gap).
    pub bound_by: Option<&'static str>,
    /// Whether optimality is proven: the full MIP closed its gap, or the roster's objective
    /// equals the lower bound.
    pub proven_optimal: bool,
    /// Why the solve ended: [`Termination::Optimal`] when proven;
    /// [`Termination::AboveGap`] when its work ([`Options::work`]) was done (the roster is
    /// then the same on every run); [`Termination::TimeLimit`] when the time limit or the
    /// stop flag cut it short (only then can runs differ).
    pub termination: Termination,
    /// MIP backend used (`microlp` or `highs`).
    pub backend: &'static str,
    /// Wall-clock time used.
    pub elapsed: Duration,
    /// Work units done (at most [`Options::work`] or its default).
    pub work_done: u64,
    /// Number of MIP sub-solves (large-neighbourhood steps) and how many improved.
    pub lns_steps: (usize, usize),
    /// Every improvement of the best roster, in order: when, what it was then, and which
    /// phase found it. The last entry is the returned roster.
    pub progress: Vec<Improvement>,
}

/// One improvement of the best roster during a solve (its time is the only figure of a
/// solve that differs between runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    /// Time since the solve began.
    pub at: Duration,
    /// Hard-rule violations the roster still had (0: valid).
    pub violations: usize,
    /// Its objective (soft cost; with violations, of a roster that is not yet valid).
    pub objective: i64,
    /// The phase that found it: `anneal`, `row repair`, `column dive`, `column MIP`, `full MIP`
    /// or `neighbourhood`.
    pub by: &'static str,
}

/// Work units a search does by default within `time_limit` (see [`Options::work`]): the
/// limit times [`WORK_PER_SECOND`], at least 1.
pub fn work_for(time_limit: Duration) -> u64 {
    let w = time_limit.as_secs_f64() * WORK_PER_SECOND;
    if w.is_finite() {
        (w as u64).clamp(1, MAX_WORK)
    } else {
        MAX_WORK
    }
}

/// Default work units per second of time limit. A unit is calibrated to about a millisecond
/// of one thread of a release build (Curtois Instances 8, 9 and 12 took 57, 55 and 53 s of
/// CPU for 60 000 units), so the default work is about the limit's worth of CPU time: with
/// two threads a run ends by its own count in about half the limit on an idle machine.
pub const WORK_PER_SECOND: f64 = 1000.0;

/// Most work units a solve takes (2^40: far beyond any time limit's default).
const MAX_WORK: u64 = 1 << 40;

/// Builds a roster for `problem`: [`Options::work`] units of search, cut short only by
/// the time limit or the stop flag.
///
/// # Errors
///
/// [`Error::Invalid`] naming the field when the problem is malformed (see
/// [`Problem::validate`]), `time_limit` when `options.time_limit` is zero or longer than a
/// day, `shift_types` when there are more than 64 shift types, `threads` when
/// `options.threads` is 0, `work` when `options.work` is `Some(0)`, or `backend` when
/// `options.mip` asks for a backend not compiled into this build; [`Error::Infeasible`] when
/// no roster keeping every hard rule was found (the explanation lists the rules the best
/// attempt still broke).
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution> {
    solve_observed(problem, options, None)
}

/// [`solve`], telling `observer` of every better roster ([`PlanEvent::RosterImproved`]),
/// every raised lower bound ([`PlanEvent::BoundRaised`]) and the end
/// ([`PlanEvent::Done`]): the planner's observer type, so one progress display serves
/// both. The roster does not depend on the observer.
///
/// # Errors
///
/// As [`solve`].
///
/// [`PlanEvent::RosterImproved`]: crate::plan::PlanEvent::RosterImproved
/// [`PlanEvent::BoundRaised`]: crate::plan::PlanEvent::BoundRaised
/// [`PlanEvent::Done`]: crate::plan::PlanEvent::Done
pub fn solve_observed(
    problem: &Problem,
    options: &Options,
    observer: Option<crate::plan::Observer>,
) -> Result<Solution> {
    problem.validate()?;
    crate::limits::check_time_limit("time_limit", options.time_limit.as_secs_f64())?;
    if problem.shift_types.len() > 64 {
        return Err(Error::invalid(
            "shift_types",
            format!(
                "the solver supports at most 64 shift types, got {}",
                problem.shift_types.len()
            ),
        ));
    }
    if options.threads == 0 {
        return Err(Error::invalid(
            "threads",
            "at least 1 search thread is needed",
        ));
    }
    if options.work == Some(0) {
        return Err(Error::invalid("work", "at least 1 work unit is needed"));
    }
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
    let budget = Budget::new(options.time_limit, options.stop.clone());
    let solved = portfolio::run(problem, options, &budget, observer.clone())?;
    if let Some(o) = &observer {
        let objective = solved.objective as f64;
        let lower_bound = solved.lower_bound.map_or(f64::NEG_INFINITY, |b| b as f64);
        o(&crate::plan::PlanEvent::Done {
            objective,
            lower_bound,
            gap: crate::plan::relative_gap(objective, lower_bound),
        });
    }
    Ok(solved)
}
