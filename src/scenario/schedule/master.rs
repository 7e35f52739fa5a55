//! Column generation over each agent's whole schedule.
//!
//! The master LP chooses a mix of known schedules ("columns") per agent, one schedule in
//! total per agent, so that coverage plus shortfall meets every cover row at the least
//! cost (shifts, wishes, coverage penalties), within the pack rows. Its duals price the
//! cover and pack rows; the exact [`price::best`] DP then finds each agent's schedule of
//! least reduced cost, which joins the pool when negative. `microlp` does not report
//! duals, so the master is solved in its dual form (variables: a price per cover row, one
//! per agent, one per pack row; a constraint per column), where each new column is one more
//! constraint and the solver re-optimises from its last basis.
//!
//! At every round `Σ rhs·π − Σ cap·σ + Σ_agents (least priced schedule cost)` is a lower
//! bound on every roster (Lagrangian bound); once no column prices out it equals the LP
//! value. The loop runs a fixed number of rounds at most (a work budget, so the answer
//! does not depend on the machine's speed); the deadline is only a safety net.

use super::model::Model;
use super::price::{self, Priced};
use crate::error::{Error, Result};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome, Variable};
use std::collections::HashSet;

/// Most pricing rounds of the column generation.
pub(crate) const MAX_ROUNDS: usize = 400;

/// One agent's schedule: its option per day.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub agent: usize,
    pub days: Vec<Option<usize>>,
    /// Shifts' cost plus wish and balance penalties.
    pub cost: f64,
    /// Cover rows with coefficients, by row.
    pub rows: Vec<(u32, f64)>,
    /// Pack rows with coefficients, by row.
    pub packs: Vec<(u32, f64)>,
}

impl Column {
    /// The column of schedule `days` of agent `agent`.
    pub fn new(model: &Model, agent: usize, days: Vec<Option<usize>>) -> Column {
        let a = &model.agents[agent];
        let mut cost = 0.0;
        let mut rows: Vec<(u32, f64)> = Vec::new();
        let mut packs: Vec<(u32, f64)> = Vec::new();
        for (d, k) in days.iter().enumerate() {
            let Some(k) = *k else { continue };
            let c = &model.cands[a.options[d][k]];
            cost += c.cost + a.penalty[d][k];
            rows.extend_from_slice(&c.rows);
            packs.extend_from_slice(&c.packs);
        }
        if a.hours_weight > 0.0 || a.weekends_weight > 0.0 {
            let (minutes, weekends) = super::fairness::workload(model, a, &days);
            cost += super::fairness::penalty(a, minutes, weekends);
        }
        Column {
            agent,
            days,
            cost,
            rows: merge(rows),
            packs: merge(packs),
        }
    }
}

fn merge(mut v: Vec<(u32, f64)>) -> Vec<(u32, f64)> {
    v.sort_by_key(|x| x.0);
    let mut out: Vec<(u32, f64)> = Vec::with_capacity(v.len());
    for (r, x) in v {
        match out.last_mut() {
            Some(l) if l.0 == r => l.1 += x,
            _ => out.push((r, x)),
        }
    }
    out
}

/// Duals of the master.
#[derive(Debug, Clone)]
pub(crate) struct Duals {
    pub cover: Vec<f64>,
    pub pack: Vec<f64>,
}

impl Duals {
    /// Cost of each option of agent `a` at these duals (with its wish penalty).
    pub fn option_costs(&self, model: &Model, a: usize) -> Vec<Vec<f64>> {
        let ag = &model.agents[a];
        ag.options
            .iter()
            .zip(&ag.penalty)
            .map(|(opts, pen)| {
                opts.iter()
                    .zip(pen)
                    .map(|(&c, &p)| {
                        let cd = &model.cands[c];
                        let mut x = cd.cost + p;
                        for &(r, k) in &cd.rows {
                            x -= k * self.cover[r as usize];
                        }
                        for &(r, k) in &cd.packs {
                            x += k * self.pack[r as usize];
                        }
                        x
                    })
                    .collect()
            })
            .collect()
    }
}

impl Duals {
    /// The Lagrangian bound's part that does not depend on the agents:
    /// `constant + Σ rhs·π − Σ cap·σ`.
    pub(crate) fn fixed_part(&self, model: &Model) -> f64 {
        let mut x = model.constant;
        for (row, &p) in model.rows.iter().zip(&self.cover) {
            x += row.rhs * p;
        }
        for (&cap, &s) in model.packs.iter().zip(&self.pack) {
            x -= cap * s;
        }
        x
    }

    /// A column's cost less its coverage at these prices (the agent's own price apart).
    fn reduced_cost(&self, c: &Column) -> f64 {
        let mut x = c.cost;
        for &(r, k) in &c.rows {
            x -= k * self.cover[r as usize];
        }
        for &(r, k) in &c.packs {
            x += k * self.pack[r as usize];
        }
        x
    }
}

/// What the column generation found.
pub(crate) struct Generated {
    pub pool: Vec<Column>,
    /// Best Lagrangian bound (the LP value when `converged`).
    pub bound: f64,
    pub converged: bool,
    pub rounds: usize,
}

struct Dual {
    problem: Problem,
    pi: Vec<Variable>,
    mu: Vec<Variable>,
    sigma: Vec<Variable>,
}

fn dual(model: &Model) -> Dual {
    let mut p = Problem::new(OptimizationDirection::Maximize);
    let pi = model
        .rows
        .iter()
        .map(|r| p.add_var(r.rhs, (-r.over, r.under)))
        .collect();
    let mu = model
        .agents
        .iter()
        .map(|_| p.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY)))
        .collect();
    let sigma = model
        .packs
        .iter()
        .map(|&cap| p.add_var(-cap, (0.0, model.hard_penalty)))
        .collect();
    Dual {
        problem: p,
        pi,
        mu,
        sigma,
    }
}

fn cut(d: &Dual, c: &Column) -> Vec<(Variable, f64)> {
    let mut e: Vec<(Variable, f64)> = c.rows.iter().map(|&(r, k)| (d.pi[r as usize], k)).collect();
    e.push((d.mu[c.agent], 1.0));
    e.extend(c.packs.iter().map(|&(r, k)| (d.sigma[r as usize], -k)));
    e
}

fn lp_error(e: microlp::Error) -> Error {
    Error::Solver {
        backend: "microlp".to_string(),
        reason: format!("the schedules' master LP failed: {e}"),
    }
}

/// Each agent's cheapest schedule and its best one when every row is short, with the
/// Lagrangian bound of the better of those two prices.
pub(crate) struct Seeded {
    pool: Vec<Column>,
    /// A lower bound on every roster, valid whatever happens next.
    pub bound: f64,
    /// Each agent's cheapest schedule (no cover price), in agent order: a complete roster
    /// that keeps every agent's rules, the one the scheduler returns when time ends before
    /// any other.
    pub cheapest: Vec<Column>,
}

/// Prices every agent at the two seed prices (no cover price and every cover price at
/// its row's shortfall penalty). Both are dual feasible (no cover price above its row's
/// shortfall penalty, no pack price), so each gives a Lagrangian bound of its own: a valid
/// bound however early time ends the search. The first price is priced for every agent,
/// time or not (it gives the first complete roster and the master needs a schedule of
/// each); the second is skipped, with its bound, when `stop()` says the work is spent
/// before it, or `clock()` says time is up before every agent is priced.
pub(crate) fn seed(model: &Model, stop: &Stop<'_>, clock: &Stop<'_>) -> Result<Seeded> {
    let na = model.agents.len();
    let mut pool: Vec<Column> = Vec::new();
    let mut seen: Vec<HashSet<Vec<Option<usize>>>> = vec![HashSet::new(); na];
    let zero = Duals {
        cover: vec![0.0; model.rows.len()],
        pack: vec![0.0; model.packs.len()],
    };
    let eager = Duals {
        cover: model.rows.iter().map(|r| r.under).collect(),
        pack: vec![0.0; model.packs.len()],
    };
    let mut seed_bounds = [model.constant, model.constant];
    for (r, row) in model.rows.iter().enumerate() {
        seed_bounds[1] += row.rhs * eager.cover[r];
    }
    let mut per_agent: Vec<[Option<Vec<Option<usize>>>; 2]> = vec![[None, None]; na];
    let never = || false;
    let mut priced_both = true;
    for (k, d) in [&zero, &eager].into_iter().enumerate() {
        let until: &Stop<'_> = if k == 0 { &never } else { clock };
        let priced = if k == 1 && stop() {
            None
        } else {
            price_all(model, d, until)
        };
        let Some(priced) = priced else {
            if k == 0 {
                return Err(Error::Solver {
                    backend: "schedule".to_string(),
                    reason: "a pricing thread failed".to_string(),
                });
            }
            // Time is up: the first price's bound and schedules only.
            priced_both = false;
            break;
        };
        if let Some(e) = refusal(model, &priced) {
            return Err(e);
        }
        for (a, priced) in priced.into_iter().enumerate() {
            if let Priced::Best(best, days) = priced {
                seed_bounds[k] += best;
                per_agent[a][k] = Some(days);
            }
        }
    }
    let mut cheapest = Vec::with_capacity(na);
    // Agent by agent, its cheapest schedule then its most covering one.
    for (a, days) in per_agent.into_iter().enumerate() {
        for (k, days) in days.into_iter().enumerate() {
            let Some(days) = days else { continue };
            if k == 0 {
                cheapest.push(Column::new(model, a, days.clone()));
            }
            if seen[a].insert(days.clone()) {
                pool.push(Column::new(model, a, days));
            }
        }
    }
    Ok(Seeded {
        pool,
        bound: if priced_both {
            seed_bounds[0].max(seed_bounds[1])
        } else {
            seed_bounds[0]
        },
        cheapest,
    })
}

/// Runs the column generation from `seeded` and the schedules of `rosters`, until no
/// schedule prices out, [`MAX_ROUNDS`] rounds, or `stop()` says its work is spent (read
/// between rounds and between re-solves); inside a round's parallel pricing only
/// `clock()` (the deadline) is read.
pub(crate) fn generate(
    model: &Model,
    seeded: Seeded,
    rosters: &[Column],
    stop: &Stop<'_>,
    clock: &Stop<'_>,
) -> Result<Generated> {
    let Seeded {
        pool: seed_pool,
        bound: seed_bound,
        ..
    } = seeded;
    // The rosters' schedules first, then the seeds.
    let mut pool: Vec<Column> = Vec::new();
    let mut seen: Vec<HashSet<Vec<Option<usize>>>> = vec![HashSet::new(); model.agents.len()];
    for c in rosters.iter().chain(&seed_pool) {
        if seen[c.agent].insert(c.days.clone()) {
            pool.push(c.clone());
        }
    }
    if stop() {
        // Time is up already: the seeds and their bound, no master LP.
        return Ok(Generated {
            pool,
            bound: seed_bound,
            converged: false,
            rounds: 0,
        });
    }
    let mut d = dual(model);
    for c in &pool {
        let e = cut(&d, c);
        d.problem.add_constraint(e, ComparisonOp::Le, c.cost);
    }
    let mut sol = match d.problem.solve().map_err(lp_error)? {
        SolveOutcome::Solution(s) => s,
        SolveOutcome::Interrupted(_) => return Err(lp_error(microlp::Error::Unbounded)),
    };
    // The dual LP's variables: a price per cover row, one per agent, one per pack row.
    let vars = model.rows.len() + model.agents.len() + model.packs.len();
    model.meter.lp(sol.stats().lp_iterations, pool.len(), vars);
    let mut bound = seed_bound;
    let mut rounds = 0;
    let mut converged = false;
    loop {
        let lp = Duals {
            cover: d.pi.iter().map(|&v| sol.var_value_raw(v)).collect(),
            pack: d.sigma.iter().map(|&v| sol.var_value_raw(v)).collect(),
        };
        let lp_value = sol.objective() + model.constant;
        // Every agent priced (in parallel), then combined in agent order.
        let Some(priced) = price_all(model, &lp, clock) else {
            // Time up part-way through a round: no bound from it (it needs every agent).
            break;
        };
        if let Some(e) = refusal(model, &priced) {
            return Err(e);
        }
        let mut lag = lp.fixed_part(model);
        let mut fresh = Vec::new();
        for (a, (priced, seen_a)) in priced.into_iter().zip(seen.iter_mut()).enumerate() {
            let Priced::Best(best, days) = priced else {
                continue;
            };
            lag += best;
            if seen_a.contains(&days) {
                continue;
            }
            let c = Column::new(model, a, days);
            let mu = sol.var_value_raw(d.mu[a]);
            if lp.reduced_cost(&c) - mu < -1e-7 * (1.0 + mu.abs()) {
                seen_a.insert(c.days.clone());
                fresh.push(c);
            }
        }
        rounds += 1;
        bound = bound.max(lag);
        // The LP value is reached: no schedule can price out.
        let done = bound >= lp_value - 1e-9 * (1.0 + lp_value.abs());
        if fresh.is_empty() || done {
            converged = true;
            bound = bound.max(lp_value);
            break;
        }
        if rounds >= MAX_ROUNDS || stop() {
            break;
        }
        for (k, c) in fresh.into_iter().enumerate() {
            // One master re-solve per new schedule (microlp adds one constraint at a time;
            // rebuilding the master once per round and solving it cold was slower): large
            // rounds read the work done as they go.
            if k % 16 == 15 && stop() {
                break;
            }
            let e = cut(&d, &c);
            let before = sol.stats().lp_iterations;
            sol = match sol.add_constraint(e, ComparisonOp::Le, c.cost) {
                Ok(SolveOutcome::Solution(s)) => {
                    let pivots = s.stats().lp_iterations.saturating_sub(before);
                    model.meter.lp(pivots, pool.len() + 1, vars);
                    s
                }
                // A numerical failure of the incremental re-solve (e.g. a singular basis)
                // ends the generation: the bound of the rounds before stands (each is a
                // Lagrangian bound of its own), and the schedules found are kept.
                Ok(SolveOutcome::Interrupted(_)) | Err(_) => {
                    pool.push(c);
                    return Ok(Generated {
                        pool,
                        bound,
                        converged: false,
                        rounds,
                    });
                }
            };
            pool.push(c);
        }
    }
    Ok(Generated {
        pool,
        bound,
        converged,
        rounds,
    })
}

/// Tells whether time is up; shared by the pricing threads.
pub(crate) type Stop<'a> = dyn Fn() -> bool + Sync + 'a;

/// Agents priced by one thread between two looks at the clock.
const CLOCK_EVERY: usize = 8;

/// Threads the pricing runs on: the machine's, at most [`MAX_THREADS`].
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, MAX_THREADS))
}

/// Most pricing threads.
const MAX_THREADS: usize = 8;

/// Every agent's best schedule at `duals`, in agent order, or `None` when `stop()` said
/// time is up before all were priced. The agents are split into contiguous blocks, one
/// per thread; the answer does not depend on the number of threads or their timing.
pub(crate) fn price_all(model: &Model, duals: &Duals, stop: &Stop<'_>) -> Option<Vec<Priced>> {
    let na = model.agents.len();
    let threads = model.threads.clamp(1, MAX_THREADS).min(na.max(1));
    let block = na.div_ceil(threads).max(1);
    // Set when an agent's pricing gives up (too many states): the run ends with that
    // error, so the other threads stop pricing (each such agent costs seconds and hundreds
    // of megabytes before it gives up).
    let refused = std::sync::atomic::AtomicBool::new(false);
    let price_block = |from: usize| -> Option<Vec<Priced>> {
        let to = (from + block).min(na);
        let mut out = Vec::with_capacity(to - from);
        for a in from..to {
            if refused.load(std::sync::atomic::Ordering::Relaxed) {
                out.push(Priced::Skipped);
                continue;
            }
            if (a - from) % CLOCK_EVERY == CLOCK_EVERY - 1 && stop() {
                return None;
            }
            let costs = duals.option_costs(model, a);
            let p = price::best(model, &model.agents[a], &costs);
            if matches!(p, Priced::TooLarge) {
                refused.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            out.push(p);
        }
        Some(out)
    };
    let blocks: Vec<Option<Vec<Priced>>> = if threads <= 1 {
        vec![price_block(0)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..na)
                .step_by(block)
                .map(|from| s.spawn(move || price_block(from)))
                .collect();
            handles
                .into_iter()
                // A pricing thread that panicked is a bug; it counts as an unfinished
                // round rather than taking the process down.
                .map(|h| h.join().ok().flatten())
                .collect()
        })
    };
    let mut all = Vec::with_capacity(na);
    for b in blocks {
        all.extend(b?);
    }
    Some(all)
}

/// The error of a pricing round that did not give every agent a schedule: an agent whose
/// pricing gave up first (the others may then be [`Priced::Skipped`]), else the first agent
/// with no schedule.
pub(crate) fn refusal(model: &Model, priced: &[Priced]) -> Option<Error> {
    let a = priced
        .iter()
        .position(|p| matches!(p, Priced::TooLarge))
        .or_else(|| priced.iter().position(|p| !matches!(p, Priced::Best(..))))?;
    Some(no_schedule(model, a, &priced[a]))
}

fn no_schedule(model: &Model, a: usize, why: &Priced) -> Error {
    if let Priced::TooLarge = why {
        return Error::invalid(
            format!("agents[{}]", model.agents[a].spec),
            format!(
                "the agent's rules over this horizon have more than {} schedule states; \
                 shorten the horizon, or give the agent max_hours, fewer templates or start \
                 times (balance weights and a start tolerance also multiply the states)",
                model.max_labels
            ),
        );
    }
    Error::Infeasible {
        explanation: format!(
            "agents[{}]: no schedule keeps every rule of the agent's contract with the shifts \
             its site, skills, templates and days off allow (check min_hours against the days \
             the agent can work under its days off, weekend rules and templates, and \
             fixed_shifts against max_hours, rest, consecutive days and the start tolerance)",
            model.agents[a].spec
        ),
    }
}

/// The restricted master's primal: the weight of each pooled column.
pub(crate) fn weights(model: &Model, pool: &[Column]) -> Result<Vec<f64>> {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let lambda: Vec<Variable> = pool.iter().map(|c| p.add_var(c.cost, (0.0, 1.0))).collect();
    let mut cover: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); model.rows.len()];
    let mut pack: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); model.packs.len()];
    let mut one: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); model.agents.len()];
    for (c, &v) in pool.iter().zip(&lambda) {
        for &(r, k) in &c.rows {
            cover[r as usize].push((v, k));
        }
        for &(r, k) in &c.packs {
            pack[r as usize].push((v, k));
        }
        one[c.agent].push((v, 1.0));
    }
    for (row, mut e) in model.rows.iter().zip(cover) {
        e.push((p.add_var(row.under, (0.0, f64::INFINITY)), 1.0));
        e.push((p.add_var(row.over, (0.0, f64::INFINITY)), -1.0));
        p.add_constraint(e, ComparisonOp::Eq, row.rhs);
    }
    for (&cap, mut e) in model.packs.iter().zip(pack) {
        e.push((p.add_var(model.hard_penalty, (0.0, f64::INFINITY)), -1.0));
        p.add_constraint(e, ComparisonOp::Le, cap);
    }
    for e in one {
        p.add_constraint(e, ComparisonOp::Eq, 1.0);
    }
    let rows = model.rows.len() + model.packs.len() + model.agents.len();
    let vars = lambda.len() + 2 * model.rows.len() + model.packs.len();
    match p.solve().map_err(lp_error)? {
        SolveOutcome::Solution(s) => {
            model.meter.scratch(s.stats().lp_iterations, rows, vars);
            Ok(lambda.iter().map(|&v| s.var_value_raw(v)).collect())
        }
        SolveOutcome::Interrupted(_) => Err(lp_error(microlp::Error::Unbounded)),
    }
}
