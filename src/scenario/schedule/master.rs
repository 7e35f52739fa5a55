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

/// Runs the column generation, from `seeds` (a roster) and each agent's cheapest and most
/// covering schedules, until no schedule prices out, [`MAX_ROUNDS`] rounds, or
/// `stop()` says time is up.
pub(crate) fn generate(
    model: &Model,
    seeds: &[Column],
    stop: &dyn Fn() -> bool,
) -> Result<Generated> {
    let na = model.agents.len();
    let mut pool: Vec<Column> = Vec::new();
    let mut seen: Vec<HashSet<Vec<Option<usize>>>> = vec![HashSet::new(); na];
    for c in seeds {
        if seen[c.agent].insert(c.days.clone()) {
            pool.push(c.clone());
        }
    }
    // Seeds: each agent's cheapest schedule, and its best one when every row is short.
    let zero = Duals {
        cover: vec![0.0; model.rows.len()],
        pack: vec![0.0; model.packs.len()],
    };
    let eager = Duals {
        cover: model.rows.iter().map(|r| r.under).collect(),
        pack: vec![0.0; model.packs.len()],
    };
    for (a, seen_a) in seen.iter_mut().enumerate() {
        for d in [&zero, &eager] {
            let costs = d.option_costs(model, a);
            let days = match price::best(model, &model.agents[a], &costs) {
                Priced::Best(_, days) => days,
                other => return Err(no_schedule(model, a, &other)),
            };
            if seen_a.insert(days.clone()) {
                pool.push(Column::new(model, a, days));
            }
        }
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
    let mut bound = f64::NEG_INFINITY;
    let mut rounds = 0;
    let mut converged = false;
    loop {
        let duals = Duals {
            cover: d.pi.iter().map(|&v| sol.var_value_raw(v)).collect(),
            pack: d.sigma.iter().map(|&v| sol.var_value_raw(v)).collect(),
        };
        let mut lag = model.constant;
        for (r, row) in model.rows.iter().enumerate() {
            lag += row.rhs * duals.cover[r];
        }
        for (p, cap) in model.packs.iter().enumerate() {
            lag -= cap * duals.pack[p];
        }
        let mut fresh = Vec::new();
        for (a, seen_a) in seen.iter_mut().enumerate() {
            let costs = duals.option_costs(model, a);
            let (best, days) = match price::best(model, &model.agents[a], &costs) {
                Priced::Best(best, days) => (best, days),
                other => return Err(no_schedule(model, a, &other)),
            };
            lag += best;
            let mu = sol.var_value_raw(d.mu[a]);
            if best - mu < -1e-7 * (1.0 + mu.abs()) && seen_a.insert(days.clone()) {
                fresh.push(Column::new(model, a, days));
            }
        }
        bound = bound.max(lag);
        rounds += 1;
        if fresh.is_empty() {
            converged = true;
            bound = bound.max(sol.objective() + model.constant);
            break;
        }
        if rounds >= MAX_ROUNDS || stop() {
            break;
        }
        for c in fresh {
            let e = cut(&d, &c);
            sol = match sol
                .add_constraint(e, ComparisonOp::Le, c.cost)
                .map_err(lp_error)?
            {
                SolveOutcome::Solution(s) => s,
                SolveOutcome::Interrupted(_) => return Err(lp_error(microlp::Error::Unbounded)),
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

fn no_schedule(model: &Model, a: usize, why: &Priced) -> Error {
    if let Priced::TooLarge = why {
        return Error::invalid(
            format!("agents[{}]", model.agents[a].spec),
            format!(
                "the agent's rules over this horizon have more than {} schedule states; \
                 shorten the horizon, or give the agent max_hours, fewer templates or start \
                 times (balance weights and a start tolerance also multiply the states)",
                price::MAX_LABELS
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
    match p.solve().map_err(lp_error)? {
        SolveOutcome::Solution(s) => Ok(lambda.iter().map(|&v| s.var_value_raw(v)).collect()),
        SolveOutcome::Interrupted(_) => Err(lp_error(microlp::Error::Unbounded)),
    }
}
