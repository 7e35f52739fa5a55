//! The search driver: phases in a fixed order, and the lanes that run side by side.
//!
//! A solve keeps one best roster (fewest broken rules, then lowest objective, every
//! candidate judged by the checker). After the first phases (column generation with HiGHS,
//! a construction anneal per lane, the LP bound, the full MIP when it fits) the search runs
//! in *rounds*: in each, every lane works a fixed amount from the same best roster (lane 0:
//! large-neighbourhood search; the others: cool anneals, every other round ruin and recreate
//! by exact best responses when the pricing DP applies, or row repairs while rules are
//! broken), each with its own seed drawn from ([`Options::seed`], round, lane); then the
//! best lane's roster, by (broken rules, objective, lane index), replaces the best when it
//! is no worse. The number of lanes is fixed ([`LANES`]); threads only decide how many run
//! at once, so the roster is the same with any number of threads. Nothing here reads the
//! clock to decide anything: the budget (deadline and stop flag) only ends the solve early.

use super::data::Data;
use super::lns::{self, LaneState};
use super::mip::{self, How};
use super::respond;
use super::search::{self, Rng};
use super::{check, Backend, Improvement, Options, Problem, Report, Roster, Solution, Termination};
use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::plan::{Observer, PlanEvent};

/// Lanes of every round (fixed: the roster must not depend on the thread count).
pub(super) const LANES: usize = 2;

/// Annealing moves per work unit on a four-week horizon. A work unit is about a millisecond
/// of one thread of a release build: Curtois Instance 8 annealed 20 000 units of 1 000 moves
/// in 5.6 s of CPU (3 600 units, 3.6 million moves a second), so a millisecond holds about
/// 3 500 moves. A unit holds proportionally fewer moves on longer horizons (and more on
/// shorter ones): fitted when a move re-evaluated whole rows, whose cost grew with the
/// horizon. Moves are now evaluated around the days they change, so a unit on a long
/// horizon is lighter than it was (anneal-only runs: 0.35-1.6 ms a unit on Instances 8, 16,
/// 20, 21 and 22, against 0.6-5.6 ms before); the rule is kept so that work-paced runs
/// keep their rosters.
const MOVES_PER_UNIT_28: u64 = 3500;

/// Annealing moves per work unit on `dt`'s horizon.
pub(super) fn moves_per_unit(dt: &Data) -> u64 {
    (MOVES_PER_UNIT_28 * 28 / dt.nd.max(1) as u64).clamp(20, 4 * MOVES_PER_UNIT_28)
}

/// Size limits (free binaries, nodes) and work shares for the MIP phases, by backend.
pub(super) struct Caps {
    /// Share of each lane's work for the first anneal when a neighbourhood search follows.
    pub anneal_share: f64,
    /// Work units charged for one neighbourhood sub-MIP.
    pub step_units: u64,
    /// Branch-and-bound nodes of one neighbourhood sub-MIP.
    pub step_nodes: u64,
    /// Branch-and-bound nodes of the full MIP, per round of it.
    pub full_nodes: u64,
    /// Free binaries of the full MIP: alone, and with other lanes beside.
    pub full: usize,
    /// Free binaries of a neighbourhood: at first, and the range it adapts within.
    pub sub: usize,
    pub sub_min: usize,
    pub sub_max: usize,
    /// Free binaries of the LP relaxation (the bound).
    pub lp: usize,
}

/// Limits by backend. `microlp` (pure Rust, weak branch and bound): the full MIP only for
/// tiny models, small neighbourhoods, most of the work to the annealing. HiGHS: the full
/// MIP up to a few thousand binaries, neighbourhoods ten times larger.
pub(super) fn caps(backend: Backend) -> Caps {
    match backend {
        Backend::Highs => Caps {
            anneal_share: 0.3,
            step_units: 400,
            step_nodes: 500,
            full_nodes: 20_000,
            full: 6000,
            sub: 300,
            sub_min: 60,
            sub_max: 3000,
            lp: 60_000,
        },
        _ => Caps {
            anneal_share: 0.6,
            // A sub-MIP of at most 200 nodes took about 80 ms on Instance 8.
            step_units: 80,
            step_nodes: 200,
            full_nodes: 3000,
            full: 300,
            sub: 100,
            sub_min: 40,
            sub_max: 200,
            lp: 3000,
        },
    }
}

/// The best roster so far, with the checker's report on it.
#[derive(Clone)]
pub(super) struct Best {
    pub grid: Vec<u8>,
    pub report: Report,
}

impl Best {
    pub fn new(problem: &Problem, dt: &Data, grid: Vec<u8>) -> Self {
        let report = check(
            problem,
            &Roster {
                shifts: search::to_rows(dt, &grid),
            },
        );
        Best { grid, report }
    }

    /// What "better" compares: fewer broken rules, then a lower objective.
    pub fn key(&self) -> (usize, i64) {
        (self.report.violations.len(), self.report.objective)
    }

    pub fn valid(&self) -> bool {
        self.report.violations.is_empty()
    }
}

/// What every phase reads: the problem, its dense form, the limits, the budget.
pub(super) struct Ctx<'a> {
    pub problem: &'a Problem,
    pub dt: &'a Data,
    pub caps: Caps,
    pub bk: Backend,
    pub budget: &'a Budget,
    pub threads: usize,
    pub seed: u64,
}

impl Ctx<'_> {
    /// The seed of `lane` in `round` (phases count as rounds too).
    pub fn seed_of(&self, round: u64, lane: usize) -> u64 {
        let mut r = Rng::new(
            self.seed
                ^ round.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (lane as u64).wrapping_mul(0x5851_F42D_4C95_7F2D),
        );
        r.next()
    }
}

/// The solve's state: the best roster, the bound, the log of improvements.
pub(super) struct Search<'a> {
    pub ctx: Ctx<'a>,
    pub best: Best,
    pub bound: Option<i64>,
    pub bound_by: &'static str,
    pub progress: Vec<Improvement>,
    /// Neighbourhood sub-solves, and how many of them improved a lane's roster.
    pub steps: (usize, usize),
    /// Told of every improvement and every raised bound.
    pub observer: Option<Observer>,
    /// The column phase found the exact pricing DP exploding (seeding gave up on some
    /// employee): the rounds then run no ruin and recreate, whose best responses price
    /// exactly and are charged by calls (on Instance 13 one such lane ran far past its
    /// units while its partner waited).
    pub dp_explodes: bool,
}

impl Search<'_> {
    /// Offers a roster: kept when it breaks fewer rules, or as many and its objective is no
    /// worse. Returns whether it was strictly better.
    pub fn offer(&mut self, grid: Vec<u8>, by: &'static str) -> bool {
        let cand = Best::new(self.ctx.problem, self.ctx.dt, grid);
        self.offer_best(cand, by)
    }

    /// [`Search::offer`] for a roster already checked.
    pub fn offer_best(&mut self, cand: Best, by: &'static str) -> bool {
        let better = cand.key() < self.best.key();
        if better {
            let (violations, objective) = cand.key();
            let at = self.ctx.budget.elapsed();
            self.progress.push(Improvement {
                at,
                violations,
                objective,
                by,
            });
            if let Some(o) = &self.observer {
                o(&PlanEvent::RosterImproved {
                    objective: objective as f64,
                    violations,
                    by,
                    seconds: at.as_secs_f64(),
                });
            }
        }
        if cand.key() <= self.best.key() {
            self.best = cand;
        }
        better
    }

    /// Raises the lower bound to `value` (when higher), found by `by`.
    pub fn raise_bound(&mut self, value: i64, by: &'static str) {
        if self.bound.is_none_or(|b| value > b) {
            self.bound = Some(value);
            self.bound_by = by;
            if let Some(o) = &self.observer {
                o(&PlanEvent::BoundRaised {
                    lower_bound: value as f64,
                    by,
                    seconds: self.ctx.budget.elapsed().as_secs_f64(),
                });
            }
        }
    }

    /// Whether the best roster keeps every rule and meets the lower bound (optimal).
    pub fn at_bound(&self) -> bool {
        self.best.valid() && self.bound == Some(self.best.report.objective)
    }
}

/// Runs `f(lane, state)` for every lane, at most `threads` at once, and returns each lane's
/// answer in lane order (`None` for a lane whose thread failed).
pub(super) fn run_lanes<L: Send, R: Send>(
    threads: usize,
    states: &mut [L],
    f: &(dyn Fn(usize, &mut L) -> R + Sync),
) -> Vec<Option<R>> {
    let n = states.len();
    let t = threads.clamp(1, n.max(1));
    if t == 1 {
        return states
            .iter_mut()
            .enumerate()
            .map(|(i, s)| Some(f(i, s)))
            .collect();
    }
    let mut buckets: Vec<Vec<(usize, &mut L)>> = (0..t).map(|_| Vec::new()).collect();
    for (i, s) in states.iter_mut().enumerate() {
        buckets[i % t].push((i, s));
    }
    let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
    std::thread::scope(|sc| {
        let handles: Vec<_> = buckets
            .into_iter()
            .map(|b| sc.spawn(move || b.into_iter().map(|(i, s)| (i, f(i, s))).collect::<Vec<_>>()))
            .collect();
        for h in handles {
            if let Ok(v) = h.join() {
                for (i, r) in v {
                    out[i] = Some(r);
                }
            }
        }
    });
    out
}

/// What one lane does in a round.
#[derive(Clone, Copy)]
enum Task {
    /// Anneal from the best roster (or from the empty roster when `fresh`) for `units`, at
    /// starting temperature `t0`.
    Anneal { units: u64, t0: f64, fresh: bool },
    /// Repair broken rows, `units` per row.
    Repair { units: u64 },
    /// `steps` neighbourhood sub-MIPs.
    Lns { steps: usize },
    /// The full MIP with `nodes` nodes, charged `units` (on HiGHS, cut at them).
    Full { nodes: u64, units: u64 },
    /// Ruin and recreate by best responses (the `respond` module) for `units`.
    Ruin { units: u64 },
}

/// A lane's answer.
struct Outcome {
    best: Best,
    by: &'static str,
    /// Neighbourhood steps and improving ones.
    steps: (usize, usize),
    /// The full MIP proved its answer optimal, or proved that no roster exists.
    optimal: bool,
    infeasible: bool,
}

/// One round: every lane does its task from `start`; the best answer by (broken rules,
/// objective, lane) is offered. Returns (full MIP proved optimal, proved no roster).
fn round(
    sh: &mut Search,
    lanes: &mut [LaneState],
    tasks: &[Task],
    round: u64,
    work: &mut u64,
) -> (bool, bool) {
    let start = sh.best.clone();
    let ctx = &sh.ctx;
    let f = |lane: usize, st: &mut LaneState| -> Outcome {
        let seed = ctx.seed_of(round, lane);
        let task = tasks[lane.min(tasks.len() - 1)];
        lane_task(ctx, &start, st, task, seed)
    };
    let outs = run_lanes(ctx.threads, lanes, &f);
    for t in tasks.iter().take(outs.len()) {
        *work += match *t {
            Task::Anneal { units, .. } => units,
            Task::Repair { units } => units,
            Task::Lns { steps } => steps as u64 * ctx.caps.step_units,
            Task::Full { units, .. } => units,
            Task::Ruin { units } => units,
        };
    }
    let (mut optimal, mut infeasible) = (false, false);
    let mut pick: Option<Outcome> = None;
    for o in outs.into_iter().flatten() {
        sh.steps.0 += o.steps.0;
        sh.steps.1 += o.steps.1;
        infeasible |= o.infeasible;
        if o.optimal {
            optimal = true;
        }
        if pick.as_ref().is_none_or(|p| o.best.key() < p.best.key()) {
            pick = Some(o);
        }
    }
    if let Some(p) = pick {
        let proven = p.optimal;
        sh.offer_best(p.best, p.by);
        if proven && sh.best.valid() {
            let v = sh.best.report.objective;
            sh.raise_bound(v, "full MIP");
        }
    }
    (optimal && sh.at_bound(), infeasible)
}

/// Runs one lane's task from `start`.
fn lane_task(ctx: &Ctx, start: &Best, st: &mut LaneState, task: Task, seed: u64) -> Outcome {
    let (dt, budget) = (ctx.dt, ctx.budget);
    let plain = |grid: Vec<u8>, by| Outcome {
        best: Best::new(ctx.problem, dt, grid),
        by,
        steps: (0, 0),
        optimal: false,
        infeasible: false,
    };
    match task {
        Task::Anneal { units, t0, fresh } => {
            let from = if fresh {
                vec![u8::MAX; dt.ne * dt.nd]
            } else {
                start.grid.clone()
            };
            let moves = units * moves_per_unit(dt);
            let (g, _, _) = search::anneal(dt, from, moves, seed, t0, budget);
            plain(g, "anneal")
        }
        Task::Ruin { units } => {
            let allow = respond::Allowance::of_units(dt, units);
            let mut rng = Rng::new(seed);
            let (g, _) = respond::ruin(dt, start.grid.clone(), allow, &mut rng, budget);
            plain(g, "ruin and recreate")
        }
        Task::Repair { units } => {
            let g = search::repair_rows(
                dt,
                start.grid.clone(),
                units * moves_per_unit(dt),
                seed,
                budget,
            );
            plain(g, "row repair")
        }
        Task::Lns { steps } => {
            let mut rng = Rng::new(seed);
            let (best, done) = lns::search(ctx, st, start.clone(), steps, &mut rng);
            Outcome {
                best,
                by: "neighbourhood",
                steps: done,
                optimal: false,
                infeasible: false,
            }
        }
        Task::Full { nodes, units } => {
            let full = mip::solve(
                dt,
                &start.grid,
                &|_, _| true,
                How {
                    relax: false,
                    budget,
                    gap: 0.0,
                    elastic: false,
                    backend: ctx.bk,
                    nodes: Some(nodes),
                    units: Some(units),
                },
            );
            match full {
                Err(mip::MipError::Infeasible) => Outcome {
                    infeasible: true,
                    ..plain(start.grid.clone(), "full MIP")
                },
                Ok(r) => match r.grid {
                    Some(g) => {
                        let best = Best::new(ctx.problem, dt, g);
                        let optimal = r.optimal
                            && best.valid()
                            && (r.value - best.report.objective as f64).abs() < 1e-6;
                        Outcome {
                            best,
                            by: "full MIP",
                            steps: (0, 0),
                            optimal,
                            infeasible: false,
                        }
                    }
                    None => plain(start.grid.clone(), "full MIP"),
                },
                Err(mip::MipError::Other) => plain(start.grid.clone(), "full MIP"),
            }
        }
    }
}

/// Number of free binaries if `emps` are free on days `from..to`.
pub(super) fn vars_in(dt: &Data, emps: &[usize], from: usize, to: usize) -> usize {
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

/// The whole solve (the problem and options already validated).
pub(super) fn run(
    problem: &Problem,
    options: &Options,
    budget: &Budget,
    observer: Option<Observer>,
) -> Result<Solution> {
    let dt = Data::new(problem);
    let bk = options.backend;
    let caps = caps(bk);
    let nvars = dt.allowed.iter().filter(|&&a| a).count();
    let total = options
        .work
        .unwrap_or_else(|| super::work_for(options.time_limit));
    let can_full = options.mip && nvars > 0 && nvars <= caps.full;
    let can_lns = options.mip
        && nvars > 0
        && (0..dt.ne).any(|e| vars_in(&dt, &[e], 0, dt.nd.min(7)) <= caps.sub);
    let empty = vec![u8::MAX; dt.ne * dt.nd];
    let best = Best::new(problem, &dt, empty);
    let mut sh = Search {
        ctx: Ctx {
            problem,
            dt: &dt,
            caps,
            bk,
            budget,
            threads: options.threads,
            seed: options.seed,
        },
        best,
        bound: None,
        bound_by: "",
        progress: Vec::new(),
        steps: (0, 0),
        observer,
        dp_explodes: false,
    };
    let mut work = 0u64;
    let (proven, no_roster, exact_bound) =
        drive(&mut sh, options, total, nvars, can_full, can_lns, &mut work);
    let cut = budget.is_over() && !proven;
    // The LP relaxation's bound comes last: the roster is final by then, so however long
    // the LP takes (its counted limits on HiGHS, else the time left) the roster is the
    // same.
    if !proven && !exact_bound && options.lower_bound && options.mip && nvars <= sh.ctx.caps.lp {
        lp_bound(&mut sh, total);
    }
    let proven = proven || sh.at_bound();
    finish(sh, options, nvars, proven, no_roster, cut, work, budget)
}

/// The phases in order. Returns (optimality proven, no roster exists, column generation's
/// bound is exact).
#[allow(clippy::too_many_arguments)]
fn drive(
    sh: &mut Search,
    options: &Options,
    total: u64,
    nvars: usize,
    can_full: bool,
    can_lns: bool,
    work: &mut u64,
) -> (bool, bool, bool) {
    let per_lane = (total / LANES as u64).max(1);
    let mut lanes: Vec<LaneState> = (0..LANES)
        .map(|_| LaneState::new(sh.ctx.dt, &sh.ctx.caps))
        .collect();

    let mut exact_bound = false;
    if options.lower_bound
        && options.mip
        && nvars > 0
        && super::columns::applies(sh.ctx.bk, sh.ctx.dt)
    {
        match super::columns::run(sh, per_lane, work) {
            super::columns::Columns::Proven => return (true, false, true),
            super::columns::Columns::Exact => exact_bound = true,
            super::columns::Columns::Bound => {}
        }
    }
    let budget = sh.ctx.budget;
    let dp = respond::applies(sh.ctx.dt) && !sh.dp_explodes;
    let share = if can_lns || can_full {
        sh.ctx.caps.anneal_share
    } else {
        1.0
    };
    // The first rosters: one anneal per lane from the empty roster (unless column
    // generation already gave a valid one).
    let mut round_no = 0u64;
    if !sh.best.valid() && !budget.is_over() {
        let mut units = ((per_lane as f64 * share) as u64).clamp(1, CONSTRUCT_MAX_UNITS);
        if can_full {
            // Only a warm start for the full MIP.
            units = units.min(warm_units(nvars));
        }
        let tasks = [Task::Anneal {
            units,
            t0: 200.0,
            fresh: true,
        }; LANES];
        round(sh, &mut lanes, &tasks, round_no, work);
        round_no += 1;
        if !sh.best.valid() && !budget.is_over() {
            let tasks = [Task::Repair {
                units: (units / 4).max(1),
            }; LANES];
            round(sh, &mut lanes, &tasks, round_no, work);
            round_no += 1;
        }
    }
    if nvars == 0 {
        // No cell can be worked: everyone off is the only roster.
        if sh.best.valid() {
            let v = sh.best.report.objective;
            sh.raise_bound(v, "full MIP");
            return (true, false, exact_bound);
        }
        return (false, true, exact_bound);
    }
    if sh.at_bound() {
        return (true, false, exact_bound);
    }
    let left = |work: u64| total.saturating_sub(work) / LANES as u64;
    // The full MIP (node limited) beside cool anneals.
    if can_full && !budget.is_over() {
        let cool = Task::Anneal {
            units: (left(*work) / 4).clamp(1, warm_units(nvars)),
            t0: 20.0,
            fresh: false,
        };
        let mut tasks = [cool; LANES];
        let nodes = sh.ctx.caps.full_nodes;
        let full = full_units(&sh.ctx.caps, nodes);
        // HiGHS' search is cut at its units (its nodes do not bound the work at its root),
        // so it gets no more than a lane's work left; microlp's nodes bound its work, and
        // it is charged them.
        let units = if sh.ctx.bk == Backend::Highs {
            full.min(left(*work)).max(1)
        } else {
            full
        };
        tasks[0] = Task::Full { nodes, units };
        let (opt, infeasible) = round(sh, &mut lanes, &tasks, round_no, work);
        round_no += 1;
        if infeasible && !sh.best.valid() {
            return (false, true, exact_bound);
        }
        if opt {
            return (true, false, exact_bound);
        }
    }
    // Rounds until the work is done.
    let steps = ROUND_STEPS;
    let round_units = (steps as u64 * sh.ctx.caps.step_units).max(1);
    while left(*work) > 0 && !budget.is_over() && !sh.at_bound() {
        let units = round_units.min(left(*work)).max(1);
        let side = if sh.best.valid() {
            Task::Anneal {
                units,
                t0: 20.0,
                fresh: false,
            }
        } else {
            Task::Repair { units }
        };
        let mut tasks = [side; LANES];
        // Every other round the last lane ruins and recreates rows (exact best responses)
        // instead of annealing.
        if dp && sh.best.valid() && round_no % 2 == 0 {
            tasks[LANES - 1] = Task::Ruin { units };
        }
        if can_lns {
            tasks[0] = Task::Lns {
                steps: ((units / sh.ctx.caps.step_units.max(1)) as usize).max(1),
            };
        }
        round(sh, &mut lanes, &tasks, round_no, work);
        round_no += 1;
    }
    (sh.at_bound(), false, exact_bound)
}

/// Work units the full MIP with `nodes` nodes is charged (and, on HiGHS, may take): as
/// many as neighbourhood steps of as many nodes.
fn full_units(caps: &Caps, nodes: u64) -> u64 {
    nodes * caps.step_units / caps.step_nodes.max(1)
}

/// Work units of an anneal that only warm starts the full MIP (or runs beside it): about
/// two per binary.
fn warm_units(nvars: usize) -> u64 {
    50 + 2 * nvars as u64
}

/// Most work units of a construction anneal (about 70 million moves over four weeks): a
/// longer one stays hot for too long, where rounds from its roster improve it faster.
pub(super) const CONSTRUCT_MAX_UNITS: u64 = 20_000;

/// Neighbourhood steps of lane 0 per round (the other lanes anneal for as much work).
const ROUND_STEPS: usize = 10;

/// Share of the search's work the LP relaxation's bound may take on HiGHS as simplex
/// iterations (see `Meter::highs_lp_iterations`), after its interior point iterations
/// (capped in the `solver` module); an LP that reaches them gives no bound, at the same
/// point on every run. Instance 20 is the only one of the benchmark whose relaxation this
/// phase solves with HiGHS (the column phase bounds 1-19; 21-24 exceed the 60 000
/// binaries): by the dual simplex with the time left as its only limit, it took the last
/// 190 of the 300 s of a run whose search ended by its work, and gave no bound (alone, it
/// ran past 16 minutes); by the interior point method it takes 42 s. `microlp` solves
/// relaxations of up to 3 000 binaries, with the time left as their only limit.
const LP_BOUND_SHARE: f64 = 0.25;

/// The LP relaxation of the full model as a lower bound, after a search of `total` work
/// units: within [`LP_BOUND_SHARE`] of them on HiGHS, and the time left.
fn lp_bound(sh: &mut Search, total: u64) {
    let budget = sh.ctx.budget;
    if budget.is_over() {
        return;
    }
    let r = mip::solve(
        sh.ctx.dt,
        &sh.best.grid,
        &|_, _| true,
        How {
            relax: true,
            budget,
            gap: 0.0,
            elastic: false,
            backend: sh.ctx.bk,
            nodes: None,
            units: Some(((total as f64 * LP_BOUND_SHARE) as u64).max(1)),
        },
    );
    if let Ok(r) = r {
        if r.optimal && r.value.is_finite() {
            sh.raise_bound(super::colgen::ceil(r.value), "LP relaxation");
        }
    }
}

/// The answer, or the error when no valid roster was found.
#[allow(clippy::too_many_arguments)]
fn finish(
    sh: Search,
    options: &Options,
    nvars: usize,
    proven: bool,
    no_roster: bool,
    cut: bool,
    work: u64,
    budget: &Budget,
) -> Result<Solution> {
    let bk = options.backend;
    let best = sh.best;
    if !best.valid() {
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
        } else if cut {
            format!(
                "no roster keeping every hard rule was found in {:.1} s",
                budget.elapsed().as_secs_f64()
            )
        } else {
            String::from("no roster keeping every hard rule was found")
        };
        return Err(Error::Infeasible {
            explanation: format!(
                "{what}; the best attempt still breaks {} rule(s), e.g. {}",
                best.report.violations.len(),
                list.join("; ")
            ),
        });
    }
    let roster = Roster {
        shifts: search::to_rows(sh.ctx.dt, &best.grid),
    };
    let lower_bound = sh.bound;
    Ok(Solution {
        objective: best.report.objective,
        report: best.report,
        roster,
        lower_bound,
        bound_by: lower_bound.map(|_| {
            if proven {
                "proven optimal"
            } else {
                sh.bound_by
            }
        }),
        proven_optimal: proven,
        termination: if proven {
            Termination::Optimal
        } else if cut {
            Termination::TimeLimit
        } else {
            Termination::AboveGap
        },
        backend: bk.name(),
        elapsed: budget.elapsed(),
        work_done: work,
        lns_steps: sh.steps,
        progress: sh.progress,
    })
}
