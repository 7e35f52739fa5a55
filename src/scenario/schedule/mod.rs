//! Named agents scheduled directly against the requirements: one optimisation chooses each
//! agent's shifts (template, start and break placement) for the horizon, so a shift
//! exists only if a person works it.
//!
//! # Method
//! 1. `model`: each agent's options per local day (the planner's expanded candidates at
//!    the agent's site whose queues the agent serves), contract, days off, wishes and
//!    published shifts; the planner's cover rows (queue and interval, linked queues,
//!    template minimums) and pack rows (site caps, template maximums, budget).
//! 2. `master`: column generation over each agent's whole schedule: a master LP (one
//!    schedule per agent, coverage plus shortfall meets every cover row) priced by an exact
//!    dynamic programme per agent (`price`; a day's states found by a packed word in
//!    `table`, an answer for the same costs kept in `memo`), every agent of a round in
//!    parallel threads.
//!    Its value is a lower bound
//!    on every roster of these agents: the summary's gap is the roster's own. The seed
//!    prices' bound comes first, so a bound exists however early time ends the search.
//! 3. `from_plan`, `integer`: the first roster hands the anonymous plan's shifts to the
//!    agents (the least flexible first, each by its pricing DP) from 64 agents, else (or
//!    without a plan) a greedy construction, each improved by best responses and then,
//!    from `REPAIR_MIN_AGENTS` agents, by `repair` (an agent moves or adds a shift to
//!    fill a short interval, others fill behind it); after the LP, three starts (that roster, per agent the schedule
//!    the restricted master weighs most, and a greedy construction in reverse order), each
//!    improved by best responses (an agent takes its best schedule against the others'
//!    coverage) and a guided phase that reweights the rows still short; then pair moves
//!    alternate with the guided phase; `chain`: ejection chains on the intervals still
//!    short (an agent takes a short interval's shift, the next takes what it left, ...).
//!    From 64 agents, `lagrange` raises the seed bound by subgradient steps before the
//!    column generation (whose master converges on such sizes only with far more time).
//!    From 64 agents, when the first roster still leaves hard intervals short, these
//!    bound phases run after the integer search instead (`bound`), the chains also run
//!    before the pair moves, and the greedy starts are skipped; `trace` writes the
//!    phases' timeline when `WFM_SCHEDULE_TRACE` is set.
//! 4. [`verify`]: every agent's rules are checked again by code that shares nothing with
//!    the model; a broken rule is an error, never a published roster.
//! 5. `explain`: each interval left short gets the rule that keeps agents from it.
//!
//! Every phase runs on work budgets (rounds, passes) in a fixed order and is paced by
//! **work units** (`meter`: pricing labels and transitions, re-plans' option costs, master
//! LP pivots, the anonymous plan's own units; about a millisecond of one thread each),
//! never by the clock: the run gets `solve.work` units (by default the time limit times
//! 1 000), the anonymous plan `PLAN_SHARE` of them, the bound phases `CG_SHARE` of what
//! the first roster leaves, the search the rest. So the same scenario gives the same roster
//! on every run that the clock did not cut, with any number of threads. The time limit (or
//! the stop flag) is a safety net that every phase reads: the seed pricing's second price,
//! the anonymous plan, the constructions (between agents: the agents not yet served keep
//! their cheapest schedule), the column generation and the improvement; the first check
//! that finds it over marks the run as cut (status `time_limit`, the one case in which
//! two runs may differ). The one work that runs whatever the limit is each agent's
//! cheapest schedule (one pricing per agent, in parallel), the first complete roster; the
//! best complete roster so far is returned.

mod bound;
mod chain;
mod explain;
pub(crate) mod fairness;
mod from_plan;
mod integer;
mod lagrange;
mod master;
mod memo;
mod meter;
mod model;
mod price;
mod repair;
mod table;
#[cfg(test)]
mod tests;
mod trace;
pub mod verify;
pub(crate) mod wishes;

pub use fairness::{
    RotatingWeekends, MAX_BALANCE_HOURS_WEIGHT, MAX_ROTATION_WEEKENDS, MAX_START_TOLERANCE_MINUTES,
};
pub use wishes::{FixedShiftSpec, PreferredStartSpec};

use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::evaluate::{AgentWorkload, Coverage, ScheduleSummary, Shortfall, MAX_LISTED_SHORTFALLS};
use crate::plan::{Observer, PlanEvent, PlanProblem};
use crate::scenario::Prepared;
use crate::shifts::ShiftInstance;
use master::Column;
pub(crate) use model::can_work;
use model::Model;
use std::collections::BTreeMap;

/// The planner's share of the work left for the anonymous plan the first roster starts
/// from (its work done is charged, usually far less).
const PLAN_SHARE: f64 = 0.1;
/// Agents from which the first roster starts from the anonymous plan. Below, the greedy
/// construction starts (cheap there, and its descents balance hours better: on three
/// agents with balance weights the plan's start kept a roster of 128, 88 and 128 hours);
/// on the 162-agent month it and its descent took 47 of the 120 s and ended at 3.2 M
/// against the plan start's 1.8 M.
const PLAN_START_AGENTS: usize = 64;

/// Agents from which the first roster is repaired (`repair`): its moves need agents to
/// fill behind the one that moves (twice [`repair::FOLLOWERS`]); on three agents with
/// balance weights it left hours of 144, 88 and 112 where the descents alone spread them
/// within two shifts.
const REPAIR_MIN_AGENTS: usize = 2 * repair::FOLLOWERS;

/// Most of the work left after the first roster that the column generation may do (large
/// scenarios; small ones converge well before it).
const CG_SHARE: f64 = 0.5;

/// Most of the work left after the first roster that the subgradient rounds of large
/// scenarios may do ([`lagrange::ROUNDS`] at most); it comes out of the column
/// generation's [`CG_SHARE`], so the integer phase keeps its work.
const LAG_SHARE: f64 = 0.15;

/// Rounds of pair moves and guided descent after the first descents.
const ALTERNATIONS: usize = 4;

/// A roster of named agents with how it was found.
#[derive(Debug, Clone)]
pub(crate) struct Scheduled {
    /// One entry per agent-shift, `(agent, shift)`, by start then agent.
    pub roster: Vec<(String, ShiftInstance)>,
    model: Model,
    /// The agents' names, in the scenario's order.
    names: Vec<String>,
    schedules: Vec<Column>,
    objective: f64,
    bound: f64,
    converged: bool,
    rounds: usize,
    columns: usize,
    passes: usize,
    /// Work units done (see `meter`; read by the tests, the timeline writes it).
    #[cfg_attr(not(test), allow(dead_code))]
    pub work: u64,
    /// Whether the clock (or the stop flag) cut the run: only then may two runs of the
    /// same scenario differ.
    pub cut: bool,
    /// Seconds spent.
    pub seconds: f64,
}

/// Schedules `p`'s named agents against `problem` (the planner's problem of the same
/// requirements) on `p.solve`'s work units, under `budget` (the deadline and stop flag: a
/// safety net).
/// `observer` hears of each better roster and of the bound.
pub(crate) fn schedule(
    p: &Prepared,
    problem: &PlanProblem,
    budget: &Budget,
    observer: Option<&Observer>,
) -> Result<Scheduled> {
    schedule_on(p, problem, budget, observer, None)
}

/// [`schedule`] with the pricing rounds on `threads` threads (default: the machine's).
fn schedule_on(
    p: &Prepared,
    problem: &PlanProblem,
    budget: &Budget,
    observer: Option<&Observer>,
    threads: Option<usize>,
) -> Result<Scheduled> {
    let mut model = Model::build(problem, &p.agents)?;
    if let Some(t) = threads {
        model.threads = t.max(1);
    }
    let pace = meter::Pace::new(budget, &model.meter, p.solve.work_units());
    let tell = |e: PlanEvent| {
        if let Some(o) = observer {
            o(&e);
        }
    };
    let improved = |objective: f64, by: &'static str| {
        tell(PlanEvent::RosterImproved {
            objective,
            violations: 0,
            by,
            seconds: budget.elapsed().as_secs_f64(),
        })
    };
    // Every search loop reads the work done (and the clock, a safety net); inside a
    // parallel pricing round only the clock is read.
    let stop = || pace.is_over();
    let clock = || pace.clock_over();
    let mut trace = trace::Trace::new();
    // The seed prices' bound first: a roster's gap is known however early time ends. Its
    // first price gives each agent's cheapest schedule: the first complete roster, the
    // one work that runs whatever the time limit (one pricing per agent).
    let mut seeded = master::seed(&model, &stop, &clock)?;
    let cheapest_days = std::mem::take(&mut seeded.cheapest);
    let cheapest = integer::as_is(&model, cheapest_days.clone());
    trace.phase("seed prices", &model, Some(&cheapest_days), "");
    // The constructions below end early with the cheapest schedules for the agents not
    // yet served; when those break a pack row there is no such fallback, and the first
    // construction runs to its end.
    let never = || false;
    let fallback: &[Column] = if cheapest.is_some() {
        &cheapest_days
    } else {
        &[]
    };
    let until: &dyn Fn() -> bool = if cheapest.is_some() { &stop } else { &never };
    // Starts: the anonymous plan's shifts handed to the agents, and a greedy construction.
    let planned = if model.agents.len() >= PLAN_START_AGENTS && !stop() {
        from_plan::planned(
            &model,
            problem,
            &p.solve,
            pace.share(PLAN_SHARE).left(),
            budget,
        )
    } else {
        None
    };
    trace.phase("anonymous plan", &model, None, "");
    let from_plan = planned
        .and_then(|want| from_plan::construct(&model, want, fallback, until))
        .map(|s| {
            trace.phase("plan handed out", &model, Some(&s), "");
            let r = integer::improve(&model, s, &stop);
            trace.phase("descent", &model, Some(&r.schedules), "");
            let r = repair::repair(&model, r, &stop);
            trace.phase("repair", &model, Some(&r.schedules), "");
            r
        });
    // The greedy construction first only when the plan gave no start (it is slower and,
    // on the month example, ends far above it); otherwise it is one of the later starts.
    let first = if from_plan.is_none() && (cheapest.is_none() || !stop()) {
        integer::construct(&model, false, fallback, until)
            .map(|s| integer::improve(&model, s, &stop))
            .map(|r| {
                if model.agents.len() >= REPAIR_MIN_AGENTS {
                    repair::repair(&model, r, &stop)
                } else {
                    r
                }
            })
    } else {
        None
    };
    if let Some(r) = &first {
        trace.phase("greedy, descent, repair", &model, Some(&r.schedules), "");
    }
    let from_plan_used = from_plan.is_some();
    let seeds: Vec<Column> = from_plan
        .iter()
        .chain(&first)
        .flat_map(|r| r.schedules.iter().cloned())
        .collect();
    // The bound phases (subgradient, column generation) run before the integer search,
    // except on large scenarios whose first roster leaves hard intervals short: there
    // they take the time the search leaves (see `bound`).
    let first_short = from_plan.iter().chain(&first).next().is_some_and(|r| {
        let (cover, _) = integer::usage(&model, &r.schedules);
        !repair::short_rows(&model, &cover).is_empty()
    });
    let roster_first = model.agents.len() >= PLAN_START_AGENTS && first_short;
    let bound_state: std::result::Result<master::Generated, master::Seeded> = if roster_first {
        Err(seeded)
    } else {
        let upper = from_plan
            .iter()
            .chain(&first)
            .map(|r| r.objective)
            .fold(f64::INFINITY, f64::min);
        Ok(bound::raise(
            &model, &pace, seeded, &seeds, upper, &tell, &mut trace,
        )?)
    };
    // The restricted master's weights guide one start; once time is up that LP is skipped
    // (no weights: no start from them).
    // A numerical failure of that LP only loses this start.
    let weights = match &bound_state {
        Ok(generated) if !stop() => master::weights(&model, &generated.pool).unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut found: Option<integer::Roster> = None;
    let consider = |found: &mut Option<integer::Roster>, r: integer::Roster| {
        if found
            .as_ref()
            .is_none_or(|f| r.objective < f.objective - 1e-9)
        {
            improved(r.objective, "schedule");
            *found = Some(r);
        }
    };
    if let Some(r) = cheapest {
        consider(&mut found, r);
    }
    for r in from_plan.into_iter().chain(first) {
        let g = integer::guided(&model, r, &stop);
        trace.phase("guided (first)", &model, Some(&g.schedules), "");
        consider(&mut found, g);
    }
    if let Some(s) = bound_state
        .as_ref()
        .ok()
        .and_then(|g| integer::rounded(&model, &g.pool, &weights))
    {
        let r = integer::improve(&model, s, &stop);
        let g = integer::guided(&model, r, &stop);
        trace.phase("guided (master)", &model, Some(&g.schedules), "");
        consider(&mut found, g);
    }
    // The greedy constructions (in reverse order, and in order when the plan gave the
    // first roster) are a whole pass of pricing each: not once time is up, nor when the
    // search goes first (on the month example the greedy start and its descent took 47 of
    // the 120 s and ended at 3.2 M against the plan start's 1.8 M).
    for reversed in [true, false] {
        if (!reversed && !from_plan_used) || roster_first {
            continue;
        }
        if let Some(s) = (!stop())
            .then(|| integer::construct(&model, reversed, fallback, &stop))
            .flatten()
        {
            let r = integer::improve(&model, s, &stop);
            let g = integer::guided(&model, r, &stop);
            trace.phase("guided (greedy)", &model, Some(&g.schedules), "");
            consider(&mut found, g);
        }
    }
    // Pair moves, then guided descent again from there, a fixed number of times; when
    // the search goes first, ejection chains before them too (pair moves over every pair
    // of a large roster are many re-plans, the chains aim at the short intervals).
    let found = found.map(|mut r| {
        if roster_first {
            let before = r.objective;
            r = chain::chains(&model, r, &stop);
            trace.phase("ejection chains", &model, Some(&r.schedules), "");
            if r.objective < before - 1e-9 {
                improved(r.objective, "ejection chains");
            }
        }
        for _ in 0..ALTERNATIONS {
            let before = r.objective;
            r = integer::pairs(&model, r, &stop);
            trace.phase("pair moves", &model, Some(&r.schedules), "");
            r = integer::guided(&model, r, &stop);
            trace.phase("guided (after pairs)", &model, Some(&r.schedules), "");
            if r.objective < before - 1e-9 {
                improved(r.objective, "pair moves");
            }
            if r.objective >= before - 1e-9 || stop() {
                break;
            }
        }
        // Ejection chains on what is still short (the descents end where a neutral step
        // is needed first).
        if model.agents.len() >= REPAIR_MIN_AGENTS {
            let before = r.objective;
            r = chain::chains(&model, r, &stop);
            trace.phase("ejection chains", &model, Some(&r.schedules), "");
            if r.objective < before - 1e-9 {
                improved(r.objective, "ejection chains");
            }
        }
        r
    });
    let Some(found) = found else {
        return Err(Error::Infeasible {
            explanation: "no roster of the named agents keeps the site caps, template \
                          maximum counts and budget together with every contract"
                .to_string(),
        });
    };
    let generated = match bound_state {
        Ok(generated) => generated,
        Err(seeded) => bound::raise(
            &model,
            &pace,
            seeded,
            &found.schedules,
            found.objective,
            &tell,
            &mut trace,
        )?,
    };
    // Pack rows are rules of the roster too.
    let mut use_pack = vec![0.0; model.packs.len()];
    for c in &found.schedules {
        for &(r, k) in &c.packs {
            use_pack[r as usize] += k;
        }
    }
    if use_pack
        .iter()
        .zip(&model.packs)
        .any(|(&x, &cap)| x > cap + 1e-6)
    {
        return Err(Error::Infeasible {
            explanation: "the named agents' contracts cannot be kept within the site caps, \
                          template maximum counts and budget (minimum hours force more shifts \
                          than they allow)"
                .to_string(),
        });
    }
    let all = problem.candidates();
    let mut roster = Vec::new();
    for (col, ag) in found.schedules.iter().zip(&model.agents) {
        let name = &p.agents[ag.spec].name;
        for (d, k) in col.days.iter().enumerate() {
            if let Some(k) = *k {
                let c = &model.cands[ag.options[d][k]];
                roster.push((name.clone(), all[c.index].shift.clone()));
            }
        }
    }
    roster.sort_by(|a, b| (a.1.start, &a.0).cmp(&(b.1.start, &b.0)));
    let broken = verify::violations(&p.agents, &p.sites, &p.templates, &p.horizon, &roster);
    if let Some(v) = broken.first() {
        return Err(Error::Solver {
            backend: "schedule".to_string(),
            reason: format!(
                "the named agents' roster breaks {} rule(s), e.g. {v}",
                broken.len()
            ),
        });
    }
    let work = model.meter.units();
    let cut = model.meter.cut() || budget.stop_requested();
    trace.phase("end", &model, None, &format!("work {work} cut {cut}"));
    Ok(Scheduled {
        work,
        cut,
        roster,
        objective: found.objective,
        bound: generated.bound.min(found.objective),
        converged: generated.converged,
        rounds: generated.rounds,
        columns: generated.pool.len(),
        passes: found.passes,
        schedules: found.schedules,
        names: p.agents.iter().map(|a| a.name.clone()).collect(),
        model,
        seconds: budget.elapsed().as_secs_f64(),
    })
}

impl Scheduled {
    /// The roster's objective.
    pub fn objective(&self) -> f64 {
        self.objective
    }

    /// The lower bound.
    pub fn bound(&self) -> f64 {
        self.bound
    }

    /// Relative gap of the roster to its bound.
    pub fn gap(&self) -> f64 {
        crate::plan::relative_gap(self.objective, self.bound)
    }

    /// The summary section, with the short intervals of `coverage` explained.
    pub fn summary(&self, problem: &PlanProblem, coverage: &Coverage) -> ScheduleSummary {
        let m = &self.model;
        let mut shift_cost = 0.0;
        let mut wish = 0.0;
        let mut balance = 0.0;
        let mut agents = Vec::with_capacity(m.agents.len());
        for (col, ag) in self.schedules.iter().zip(&m.agents) {
            for (d, k) in col.days.iter().enumerate() {
                if let Some(k) = *k {
                    shift_cost += m.cands[ag.options[d][k]].cost;
                    wish += ag.penalty[d][k];
                }
            }
            let (minutes, weekends) = fairness::workload(m, ag, &col.days);
            balance += fairness::penalty(ag, minutes, weekends);
            agents.push(AgentWorkload {
                name: self.names[ag.spec].clone(),
                shifts: col.days.iter().filter(|k| k.is_some()).count(),
                paid_hours: f64::from(minutes) / 60.0,
                weekends,
            });
        }
        let mut understaffed = Vec::new();
        let mut total = 0;
        let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
        let spans = explain::day_spans(m);
        for (q, queue) in coverage.queues.iter().enumerate() {
            for (t, cell) in queue.cells.iter().enumerate() {
                if cell.scheduled >= cell.required {
                    continue;
                }
                total += 1;
                let (reason, agents_by_reason) =
                    explain::explain(m, problem, &self.schedules, &spans, q, t);
                *by_reason.entry(reason.clone()).or_default() += 1;
                understaffed.push(Shortfall {
                    queue: queue.name.clone(),
                    interval_start_utc: problem
                        .horizon()
                        .interval_start(t)
                        .format("%Y-%m-%dT%H:%M:%SZ")
                        .to_string(),
                    required: cell.required,
                    scheduled: cell.scheduled,
                    reason,
                    agents_by_reason,
                });
            }
        }
        understaffed.sort_by(|a, b| {
            (&a.interval_start_utc, &a.queue).cmp(&(&b.interval_start_utc, &b.queue))
        });
        understaffed.truncate(MAX_LISTED_SHORTFALLS);
        ScheduleSummary {
            objective: self.objective,
            lower_bound: self.bound,
            gap: self.gap(),
            lp_converged: self.converged,
            shift_cost,
            wish_penalty: wish,
            coverage_penalty: self.objective - shift_cost - wish - balance,
            balance_penalty: balance,
            agents,
            hard_penalty: m.hard_penalty,
            rounds: self.rounds,
            columns: self.columns,
            passes: self.passes,
            agents_working: self
                .schedules
                .iter()
                .filter(|c| c.days.iter().any(Option::is_some))
                .count(),
            agents_checked: m.agents.len(),
            understaffed,
            understaffed_total: total,
            understaffed_by_reason: by_reason,
        }
    }
}
