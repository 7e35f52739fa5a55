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
//! 1. with HiGHS, on horizons up to 28 days, column generation over whole schedules first
//!    (the `colgen` module; pricing by an exact DP over days, the `price` module): a lower
//!    bound with each employee's rules exact, then dives over its LP (force the cells the LP
//!    is sure of, re-price, repeat) and a restricted master MIP for rosters; annealing
//!    helper threads run beside it;
//! 2. otherwise (or when no valid roster came of it), simulated annealing from an empty
//!    roster (hard rules as heavy penalties) builds the first roster (only a warm start
//!    when the full MIP follows);
//! 3. when the model is small enough for the backend, the full MIP (warm-started): a proof of
//!    optimality when the backend finishes, or a proof that no roster keeps every rule;
//! 4. then a large-neighbourhood search: free a window of days for a set of employees, fix
//!    the rest, re-solve that sub-MIP, keep it when the checker confirms it is no worse.
//!    While rules are broken, neighbourhoods are built around them and their sub-models are
//!    elastic (breaks cost a large penalty), so each step can only remove breaks.
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
#[cfg(feature = "highs")]
mod colgen;
pub mod curtois;
mod data;
mod mip;
mod model;
#[cfg(any(feature = "highs", test))]
mod price;
mod search;
pub mod slots;

/// The MIP backend of [`Options::backend`] (the planner's).
pub use crate::plan::{Backend, Termination};
pub use check::{check, Report, Rule, Shortfall, Violation};
pub use curtois::write_csv;
pub use model::{Contract, Cover, Employee, Problem, Request, Roster, ShiftType};

use crate::error::{Error, Result};
use data::Data;
use mip::How;
use search::Rng;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Solver settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Wall-clock budget for the whole solve.
    pub time_limit: Duration,
    /// Seed of the search's random choices (same seed and budget: same moves, though timing
    /// decides how many).
    pub seed: u64,
    /// Whether to spend part of the budget on a lower bound (column generation with HiGHS on
    /// horizons up to 28 days, else the LP relaxation).
    pub lower_bound: bool,
    /// Whether to use the MIP phases (full model, neighbourhood search); without them the
    /// annealing runs for the whole budget.
    pub mip: bool,
    /// MIP backend. The default is HiGHS when this build has the `highs` feature (far
    /// stronger branch and bound: bigger models and neighbourhoods), else `microlp`.
    pub backend: Backend,
    /// Search threads (at least 1). Each runs its own neighbourhood search (and annealing)
    /// on one shared best roster; the MIP backend runs single-threaded in each. The default
    /// is the number of cores, at most 8.
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
    /// Why the solve ended: [`Termination::Optimal`] when proven, else
    /// [`Termination::TimeLimit`] (the search runs until its time limit unless it proves
    /// optimality).
    pub termination: Termination,
    /// MIP backend used (`microlp` or `highs`).
    pub backend: &'static str,
    /// Wall-clock time used.
    pub elapsed: Duration,
    /// Number of MIP sub-solves (large-neighbourhood steps) and how many improved.
    pub lns_steps: (usize, usize),
    /// Every improvement of the best roster, in order: when, what it was then, and which
    /// phase found it. The last entry is the returned roster.
    pub progress: Vec<Improvement>,
}

/// One improvement of the best roster during a solve.
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
    /// Free binaries of the full MIP: alone, and with helper threads beside.
    full: usize,
    full_helped: usize,
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
            full_helped: 6000,
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
            full_helped: 300,
            sub: 100,
            sub_min: 100,
            sub_max: 100,
            lp: 3000,
        },
    }
}

/// Builds a roster for `problem` within `options.time_limit`.
///
/// # Errors
///
/// [`Error::Invalid`] naming the field when the problem is malformed (see
/// [`Problem::validate`]), `time_limit` when `options.time_limit` is zero or longer than a
/// day, `shift_types` when there are more than 64 shift types, `threads` when
/// `options.threads` is 0, or `backend` when `options.mip` asks for a backend not compiled
/// into this build; [`Error::Infeasible`] when no roster keeping every hard rule was found
/// in the time (the explanation lists the rules the best attempt still broke).
pub fn solve(problem: &Problem, options: &Options) -> Result<Solution> {
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
    // With helper threads the full MIP is worth trying on far bigger models: they anneal
    // and search neighbourhoods meanwhile, so a full MIP that stalls costs little.
    let full_cap = if options.threads >= 2 {
        caps.full_helped
    } else {
        caps.full
    };
    let can_full = options.mip && nvars <= full_cap;
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
    let plan = Plan {
        begin,
        sa_end: begin + Duration::from_secs_f64(sa_secs),
        deadline,
        can_full,
        can_lns,
    };
    let empty = vec![u8::MAX; dt.ne * dt.nd];
    let shared = Shared {
        problem,
        best: Mutex::new(Best::new(problem, &dt, empty)),
        dt: &dt,
        caps,
        bk,
        total,
        bound: AtomicI64::new(i64::MIN),
        bound_by: Mutex::new(""),
        done: AtomicBool::new(false),
        steps: AtomicUsize::new(0),
        improving: AtomicUsize::new(0),
        begin,
        progress: Mutex::new(Vec::new()),
    };
    // Worker 0 runs here (the LP bound and the full MIP are its); the others only search,
    // each from its own seed, all on the one shared best roster.
    let (proven, no_roster) = std::thread::scope(|s| {
        for k in 1..options.threads {
            let (sh, plan) = (&shared, &plan);
            let seed = options
                .seed
                .wrapping_add(0x5851_F42D_4C95_7F2D_u64.wrapping_mul(k as u64));
            s.spawn(move || helper(sh, plan, seed, k % 2 == 1));
        }
        let out = lead(&shared, &plan, options, nvars);
        // However it ended, the others stop after their current step.
        shared.done.store(true, Ordering::SeqCst);
        out
    });
    // A roster at the lower bound is optimal, whichever phase found it.
    let proven = proven || shared.at_bound();
    let best = shared
        .best
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let bound = shared.bound.load(Ordering::SeqCst);
    let lower_bound = (bound != i64::MIN).then_some(bound);
    let bound_by = *shared
        .bound_by
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    let steps = (
        shared.steps.load(Ordering::SeqCst),
        shared.improving.load(Ordering::SeqCst),
    );
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
        bound_by: lower_bound.map(|_| if proven { "proven optimal" } else { bound_by }),
        proven_optimal: proven,
        termination: if proven {
            Termination::Optimal
        } else {
            Termination::TimeLimit
        },
        backend: bk.name(),
        elapsed: begin.elapsed(),
        lns_steps: steps,
        progress: shared
            .progress
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner),
    })
}

/// The phases' times and which phases run.
struct Plan {
    begin: Instant,
    /// End of the first anneal.
    sa_end: Instant,
    deadline: Instant,
    /// The full MIP fits the backend.
    can_full: bool,
    /// Neighbourhood sub-MIPs fit the backend.
    can_lns: bool,
}

/// What the search threads share: the problem, the one best roster, the lower bound, and
/// whether to stop.
struct Shared<'a> {
    problem: &'a Problem,
    dt: &'a Data,
    caps: Caps,
    bk: Backend,
    /// The whole budget in seconds.
    total: f64,
    best: Mutex<Best>,
    /// Best lower bound known (`i64::MIN`: none).
    bound: AtomicI64,
    /// What gave it.
    bound_by: Mutex<&'static str>,
    /// Set when nothing is left to search: optimality proven, no roster exists, or the lead
    /// worker has finished.
    done: AtomicBool,
    /// Neighbourhood sub-solves, and how many of them improved the best roster.
    steps: AtomicUsize,
    improving: AtomicUsize,
    begin: Instant,
    progress: Mutex<Vec<Improvement>>,
}

impl Shared<'_> {
    fn lock(&self) -> std::sync::MutexGuard<'_, Best> {
        self.best.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A copy of the best roster and its report.
    fn snapshot(&self) -> Best {
        self.lock().clone()
    }

    fn stopped(&self) -> bool {
        self.done.load(Ordering::SeqCst)
    }

    /// Raises the lower bound to `value` (when higher), found by `by`.
    fn raise_bound(&self, value: i64, by: &'static str) {
        let mut who = self.bound_by.lock().unwrap_or_else(PoisonError::into_inner);
        if value > self.bound.load(Ordering::SeqCst) {
            self.bound.store(value, Ordering::SeqCst);
            *who = by;
        }
    }

    /// Whether the best roster keeps every rule and meets the lower bound (optimal).
    fn at_bound(&self) -> bool {
        let best = self.lock();
        best.report.violations.is_empty()
            && best.report.objective == self.bound.load(Ordering::SeqCst)
    }

    /// Offers a roster (checked outside the lock): kept when it breaks fewer rules, or as
    /// many and its objective is no worse. Returns whether it was strictly better.
    fn offer(&self, grid: Vec<u8>, by: &'static str) -> bool {
        let cand = Best::new(self.problem, self.dt, grid);
        let mut best = self.lock();
        let better = cand.key() < best.key();
        if better {
            let (violations, objective) = cand.key();
            self.progress
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Improvement {
                    at: self.begin.elapsed(),
                    violations,
                    objective,
                    by,
                });
        }
        if cand.key() <= best.key() {
            *best = cand;
        }
        better
    }

    /// Offers a roster an anneal has just met, while it goes on.
    fn share(&self, grid: &[u8]) {
        self.offer(grid.to_vec(), "anneal");
    }

    /// Offers a neighbourhood's answer `grid`, solved from `base` with the cells `free`
    /// opened. When another thread changed the best roster meanwhile, the answer's free
    /// cells are also tried on top of the new best, so neither improvement is lost.
    fn offer_step(&self, base: &[u8], grid: Vec<u8>, free: &dyn Fn(usize, usize) -> bool) -> bool {
        let nd = self.dt.nd;
        let current = self.lock().grid.clone();
        if current != base {
            let mut merged = current;
            for (i, cell) in merged.iter_mut().enumerate() {
                if free(i / nd, i % nd) {
                    *cell = grid[i];
                }
            }
            if self.offer(merged, "neighbourhood") {
                return true;
            }
        }
        self.offer(grid, "neighbourhood")
    }
}

/// One search thread's own state: its random stream, its adaptive neighbourhood sizes and
/// its count of steps without improvement.
struct Worker {
    rng: Rng,
    /// Window lengths of the neighbourhoods, each with its own size (free binaries) that
    /// adapts: whole-horizon neighbourhoods are harder to solve than a week for everyone.
    lens: Vec<usize>,
    caps_by_len: Vec<usize>,
    stall: usize,
}

impl Worker {
    fn new(sh: &Shared, seed: u64) -> Self {
        let nd = sh.dt.nd;
        let mut lens: Vec<usize> = [nd, 28, 21, 14, 10, 7]
            .iter()
            .map(|&l| l.clamp(1, nd.max(1)))
            .collect();
        lens.dedup();
        let caps_by_len = vec![sh.caps.sub; lens.len()];
        Worker {
            rng: Rng::new(seed),
            lens,
            caps_by_len,
            stall: 0,
        }
    }
}

/// The first roster of one thread: an anneal from the empty roster, then, while rules are
/// broken and the full MIP does not follow, a repair of each offending row on its own (a
/// third of what is left at most).
fn construct(sh: &Shared, plan: &Plan, w: &mut Worker, sa_end: Instant) {
    let empty = vec![u8::MAX; sh.dt.ne * sh.dt.nd];
    let (grid, _, _) = search::anneal(sh.dt, empty, sa_end, w.rng.next(), 200.0, &sh.done, &|g| {
        sh.share(g)
    });
    sh.offer(grid, "anneal");
    let best = sh.snapshot();
    if !plan.can_full && !best.report.violations.is_empty() && Instant::now() < plan.deadline {
        let until = Instant::now() + Duration::from_secs_f64(remaining(plan.deadline) / 3.0);
        sh.offer(
            search::repair_rows(sh.dt, best.grid, until, w.rng.next(), &sh.done),
            "row repair",
        );
    }
}

/// A search thread besides the lead one. Odd ones anneal: first from the empty roster for
/// half the budget, then again and again from the shared best roster (annealing and the
/// MIP neighbourhoods find different improvements, and each builds on the other's). Even
/// ones run their own neighbourhood search on the shared best roster. All stop at the
/// deadline or when the lead thread stops.
fn helper(sh: &Shared, plan: &Plan, seed: u64, anneals: bool) {
    let mut w = Worker::new(sh, seed);
    if !anneals || !plan.can_lns && !plan.can_full {
        construct(sh, plan, &mut w, plan.sa_end);
        if plan.can_lns {
            lns(sh, &mut w, plan.deadline);
        }
        return;
    }
    let dt = sh.dt;
    let first_end = plan
        .sa_end
        .max(plan.begin + Duration::from_secs_f64(sh.total * ANNEALER_FIRST))
        .min(plan.deadline);
    let empty = vec![u8::MAX; dt.ne * dt.nd];
    let publish = |g: &[u8]| sh.share(g);
    let (g, _, _) = search::anneal(
        dt,
        empty,
        first_end,
        w.rng.next(),
        200.0,
        &sh.done,
        &publish,
    );
    sh.offer(g, "anneal");
    while !sh.stopped() && Instant::now() < plan.deadline {
        let until = (Instant::now() + Duration::from_secs_f64(sh.total * ANNEALER_ROUND))
            .min(plan.deadline);
        let best = sh.snapshot();
        let (g, _, _) =
            search::anneal(dt, best.grid, until, w.rng.next(), 20.0, &sh.done, &publish);
        sh.offer(g, "anneal");
    }
}

/// Shares of what is left for column generation and then for its restricted master MIP.
#[cfg(feature = "highs")]
const CG_SHARE: f64 = 0.3;
#[cfg(feature = "highs")]
const RMIP_SHARE: f64 = 0.1;
#[cfg(feature = "highs")]
const DIVE_SHARE: f64 = 0.4;
/// Each dive paces itself to end within this share of the dives' time (so that several
/// fit, none rushed).
#[cfg(feature = "highs")]
const DIVE_PACE: f64 = 0.25;
/// On models the full MIP proves alone (within the single-thread cap), dives stop after
/// this many in a row that found no better roster: the proof is the full MIP's (Instance 1:
/// the first dive finds the optimum in 0.02 s, the full MIP proves it). Elsewhere dives go
/// on for their share of the time: each is randomised, and on Instance 8 (about 0.6 s a
/// dive) the best of a dozen is 1304-1305 where the first four gave 1398-1405.
#[cfg(feature = "highs")]
const FRUITLESS_DIVES: usize = 4;

/// Column generation runs on horizons up to four weeks (Instances 1-13 of the benchmark,
/// where it was measured; on Instance 14's six weeks it did not converge in 60 s).
#[cfg(feature = "highs")]
const CG_MAX_DAYS: usize = 28;

/// Shares of the budget of an annealing helper's first anneal and of each later one.
const ANNEALER_FIRST: f64 = 0.5;
const ANNEALER_ROUND: f64 = 0.1;

/// What the column phase proved.
#[cfg(feature = "highs")]
enum Columns {
    /// The best roster is at the bound: optimal.
    Proven,
    /// The bound is the column-generation LP's (rounded up): the compact LP cannot do
    /// better.
    Exact,
    /// Any bound it raised is a Lagrangian one, short of the LP's.
    Bound,
}

/// The column phase (see the `colgen` module): column generation from one schedule per
/// employee for [`CG_SHARE`] of what is left (raising the bound), then dives for
/// [`DIVE_SHARE`] (each completed by the restricted master MIP if its time runs out), then
/// the restricted master MIP over the whole pool for [`RMIP_SHARE`].
#[cfg(feature = "highs")]
fn columns(sh: &Shared, threads: usize, deadline: Instant, patience: usize) -> Columns {
    let dt = sh.dt;
    let until = Instant::now() + Duration::from_secs_f64(remaining(deadline) * CG_SHARE);
    let Some(mut pool) = colgen::Pool::seeded(dt, until, &sh.done, threads) else {
        return Columns::Bound;
    };
    // The objective below which a roster counts (none yet: any).
    let target = |sh: &Shared| {
        let best = sh.snapshot();
        if best.report.violations.is_empty() {
            best.report.objective
        } else {
            i64::MAX
        }
    };
    let mut exact = false;
    if let Some(g) = colgen::generate(dt, &mut pool, until, &sh.done, target(sh), threads) {
        // Early bounds can be negative; penalties never are.
        if let Some(b) = g.bound.filter(|&b| b > 0.0) {
            sh.raise_bound((b - 1e-6).ceil() as i64, "column generation");
        }
        exact = g.converged;
    }
    let done = |sh: &Shared| {
        if sh.at_bound() {
            Some(Columns::Proven)
        } else if sh.stopped() || Instant::now() >= deadline {
            Some(if exact {
                Columns::Exact
            } else {
                Columns::Bound
            })
        } else {
            None
        }
    };
    if let Some(c) = done(sh) {
        return c;
    }
    // Dives, each with the best roster's rows in the pool (they warm start its MIP).
    let dive_secs = remaining(deadline) * DIVE_SHARE;
    let dive_end = Instant::now() + Duration::from_secs_f64(dive_secs);
    let (mut round, mut fruitless) = (0, 0);
    while Instant::now() < dive_end && fruitless < patience {
        let best = sh.snapshot();
        let valid = best.report.violations.is_empty();
        if valid {
            pool.add_grid(dt, &best.grid);
        }
        let fixed = colgen::dive(
            dt,
            &mut pool,
            dive_end,
            &sh.done,
            target(sh),
            threads,
            round,
            (Instant::now() + Duration::from_secs_f64(dive_secs * DIVE_PACE)).min(dive_end),
        );
        // The restricted master MIP completes a dive that ran out of time.
        let secs = remaining(deadline) * RMIP_SHARE;
        let warm = if valid { Some(&best.grid[..]) } else { None };
        let improved = fixed
            .and_then(|fixed| colgen::restricted(dt, &pool, &fixed, warm, secs))
            .is_some_and(|grid| sh.offer(grid, "column dive"));
        fruitless = if improved { 0 } else { fruitless + 1 };
        if let Some(c) = done(sh) {
            return c;
        }
        round += 1;
    }
    let best = sh.snapshot();
    let valid = best.report.violations.is_empty();
    if valid {
        pool.add_grid(dt, &best.grid);
    }
    let secs = remaining(deadline) * RMIP_SHARE;
    let warm = if valid { Some(&best.grid[..]) } else { None };
    if let Some(grid) = colgen::restricted(dt, &pool, &[], warm, secs) {
        sh.offer(grid, "column MIP");
    }
    done(sh).unwrap_or(if exact {
        Columns::Exact
    } else {
        Columns::Bound
    })
}

/// The lead thread: first roster (by column generation and its dive when they apply, else
/// by annealing), LP bound, the full MIP rounds when the model fits, and neighbourhood
/// search between them. Returns (optimality proven, no roster exists).
fn lead(sh: &Shared, plan: &Plan, options: &Options, nvars: usize) -> (bool, bool) {
    let (dt, bk) = (sh.dt, sh.bk);
    let mut w = Worker::new(sh, options.seed);
    let deadline = plan.deadline;
    // Column generation (HiGHS): the bound of each employee's rules enforced exactly, a
    // dive for a roster, and a pool of schedules for a restricted master MIP (see the
    // `colgen` module). It starts at once from one schedule per employee; the helpers
    // anneal meanwhile.
    #[allow(unused_mut)]
    let (mut exact_bound, mut columns_ran) = (false, false);
    #[cfg(feature = "highs")]
    if options.lower_bound
        && options.mip
        && bk == Backend::Highs
        && nvars > 0
        && dt.nd <= CG_MAX_DAYS
    {
        columns_ran = true;
        let patience = if nvars <= sh.caps.full {
            FRUITLESS_DIVES
        } else {
            usize::MAX
        };
        match columns(sh, options.threads, deadline, patience) {
            Columns::Proven => return (true, false),
            Columns::Exact => exact_bound = true,
            Columns::Bound => {}
        }
    }
    if !columns_ran || !sh.snapshot().report.violations.is_empty() {
        // The anneal keeps its share of the budget, from now on.
        let share = plan.sa_end.saturating_duration_since(plan.begin);
        construct(sh, plan, &mut w, (Instant::now() + share).min(deadline));
    }
    if !exact_bound
        && options.lower_bound
        && options.mip
        && nvars <= sh.caps.lp
        && Instant::now() < deadline
    {
        let secs = remaining(deadline) * 0.05;
        let grid = sh.snapshot().grid;
        if let Ok(r) = mip::solve(
            dt,
            &grid,
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
                sh.raise_bound((r.value - 1e-6).ceil() as i64, "LP relaxation");
            }
        }
    }
    if nvars == 0 {
        // No cell can be worked: everyone off is the only roster.
        let best = sh.snapshot();
        if best.report.violations.is_empty() {
            sh.raise_bound(best.report.objective, "full MIP");
            return (true, false);
        }
        return (false, true);
    }
    // The full MIP: with microlp once, with most of what is left. With HiGHS, a model no
    // larger than the single-thread cap, with helper threads beside, once with all the
    // time: restarting would lose the search tree, and the helpers improve the roster
    // meanwhile (Instance 4 of the benchmark needs about 40 s for its proof). Otherwise
    // first briefly (small models are proven at once), then again after the neighbourhood
    // search, warm started from its best roster (a good incumbent shortens the proof).
    let full_shares: &[f64] = match bk {
        Backend::Highs if options.threads >= 2 && nvars <= sh.caps.full => &[1.0],
        Backend::Highs => &[0.25, 1.0],
        _ => &[0.7],
    };
    for (round, &share) in full_shares.iter().enumerate() {
        if plan.can_full && Instant::now() < deadline {
            let secs = remaining(deadline) * share;
            let grid = sh.snapshot().grid;
            let full = mip::solve(
                dt,
                &grid,
                &|_, _| true,
                How {
                    relax: false,
                    seconds: secs,
                    gap: 0.0,
                    elastic: false,
                    backend: bk,
                },
            );
            match full {
                // The backend proved that no roster keeps every hard rule.
                Err(mip::MipError::Infeasible) => return (false, true),
                Ok(r) => {
                    if let Some(g) = r.grid {
                        sh.offer(g, "full MIP");
                        let best = sh.snapshot();
                        if r.optimal
                            && best.report.violations.is_empty()
                            && (r.value - best.report.objective as f64).abs() < 1e-6
                        {
                            sh.raise_bound(best.report.objective, "full MIP");
                            return (true, false);
                        }
                    }
                }
                Err(mip::MipError::Other) => {}
            }
        }
        // Neighbourhood search until the next full-MIP round (or the deadline).
        let lns_end = if round + 1 < full_shares.len() && plan.can_full {
            Instant::now() + Duration::from_secs_f64(remaining(deadline) * 0.5)
        } else {
            deadline
        };
        if plan.can_lns {
            lns(sh, &mut w, lns_end);
        }
    }
    (false, false)
}

/// Large-neighbourhood search on the shared best roster until `until` (or until the
/// search is stopped): free a window of days for a set of employees, fix the rest, solve
/// that sub-MIP, offer the answer.
fn lns(sh: &Shared, w: &mut Worker, until: Instant) {
    let (problem, dt, caps, bk) = (sh.problem, sh.dt, &sh.caps, sh.bk);
    while !sh.stopped() && Instant::now() < until {
        if sh.at_bound() {
            // At the lower bound: optimal.
            sh.done.store(true, Ordering::SeqCst);
            break;
        }
        let best = sh.snapshot();
        let rng = &mut w.rng;
        // While the best roster still breaks rules, free an offending employee first.
        let repair = repair_window(problem, &best.report, rng);
        let must = repair.map(|r| r.0);
        // Otherwise half the time a window around a shift left short, with the employees
        // who could work it first; else a random window.
        let short = if repair.is_none() && rng.below(2) == 0 && !best.report.shortfalls.is_empty() {
            let list = &best.report.shortfalls;
            Some(list[rng.below(list.len())])
        } else {
            None
        };
        let lens = &w.lens;
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
            w.caps_by_len.get(class).copied().unwrap_or(caps.sub)
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
        let (emps, from, to) = neighbourhood(dt, rng, cap, must, &first, from, len);
        // Repairs of a whole long horizon get more time.
        let step = if repair.is_some() {
            caps.step_seconds * 2.0
        } else {
            caps.step_seconds
        };
        let secs = remaining(until).min(step);
        let free = |e: usize, d: usize| d >= from && d < to && emps.contains(&e);
        sh.steps.fetch_add(1, Ordering::SeqCst);
        let mut improved = false;
        let t0 = Instant::now();
        let mut finished = false;
        // While rules are broken the sub-model is elastic (its warm start, the current
        // roster, is a solution; breaks cost a large penalty), and a repair only needs a
        // better roster soon: stop within 2 % of the sub-model's bound.
        let broken = !best.report.violations.is_empty();
        let gap = if repair.is_some() { 0.02 } else { 0.0 };
        if let Ok(r) = mip::solve(
            dt,
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
                improved = sh.offer_step(&best.grid, g, &free);
            }
        }
        // Adapt the neighbourhood size: grow while sub-MIPs finish quickly, shrink when
        // they run out of time.
        if let Some(c) = w.caps_by_len.get_mut(class) {
            if finished && t0.elapsed().as_secs_f64() < secs / 4.0 {
                *c = (*c + *c / 8 + 1).min(caps.sub_max);
            } else if !finished {
                *c = (*c - *c / 5).max(caps.sub_min);
            }
        }
        if improved {
            sh.improving.fetch_add(1, Ordering::SeqCst);
            w.stall = 0;
        } else {
            w.stall += 1;
        }
        let best = sh.snapshot();
        let shake_until = (Instant::now()
            + Duration::from_secs_f64((sh.total * caps.shake_share).max(0.5)))
        .min(until);
        if !best.report.violations.is_empty() && w.stall >= 5 {
            // Repairs stuck: repair the broken rows on their own again, briefly.
            w.stall = 0;
            sh.offer(
                search::repair_rows(dt, best.grid, shake_until, w.rng.next(), &sh.done),
                "row repair",
            );
        } else if w.stall >= caps.stall {
            // Shake: a short, cooler anneal from the best roster (it never returns a worse
            // valid one).
            w.stall = 0;
            let (g, _, h) = search::anneal(
                dt,
                best.grid,
                shake_until,
                w.rng.next(),
                20.0,
                &sh.done,
                &|_| {},
            );
            if h == 0 {
                sh.offer(g, "anneal");
            }
        }
    }
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
#[derive(Clone)]
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

    /// What "better" compares: fewer broken rules, then a lower objective.
    fn key(&self) -> (usize, i64) {
        (self.report.violations.len(), self.report.objective)
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
