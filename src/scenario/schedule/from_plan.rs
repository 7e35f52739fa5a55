//! A first roster from the anonymous plan of the same requirements: the planner (cheap:
//! a fraction of a second on a month) chooses shifts that cover the requirements at least
//! cost; agents then take them in turn, the least flexible first, each by the exact
//! pricing DP with every planned shift still free weighing far less than any other (by
//! the requirement it covers), so each agent works as much of the plan as its rules allow
//! (and other shifts only to reach its minimum hours). The roster then starts near the plan's coverage and the
//! descents improve it.

use super::integer::{packs_hold, usage};
use super::master::Column;
use super::model::Model;
use super::price::{self, Priced};
use crate::budget::Budget;
use crate::plan::{self, PlanProblem, SolveOptions};
use crate::shifts::ShiftInstance;
use std::collections::HashMap;

/// The anonymous plan's shifts as counts per option of the model (`want[c]` planned
/// shifts of `model.cands[c]`), or `None` when the planner finds no plan within `work`
/// units (the scheduler then starts from its other constructions). The planner runs on
/// `work` units under the time left of `clock` (a safety net); its work done is charged
/// to the model's meter, and a plan the clock cut marks the run as cut.
pub(crate) fn planned(
    model: &Model,
    problem: &PlanProblem,
    options: &SolveOptions,
    work: u64,
    clock: &Budget,
) -> Option<Vec<u32>> {
    let seconds = clock.remaining_seconds();
    if work == 0 || seconds <= 0.0 {
        if seconds <= 0.0 {
            model.meter.set_cut();
        }
        return None;
    }
    let mut options = options.clone();
    options.time_limit_seconds = seconds.min(crate::limits::MAX_TIME_LIMIT_SECONDS);
    options.work = Some(work);
    // The plan is a means here: no stage events of its own.
    options.observer = None;
    let (solved, units) = match plan::solve_counted(problem, &options) {
        Ok(x) => x,
        Err(_) => {
            // A plan not found within the time left says nothing of the work: the run
            // is cut when the clock ended it.
            if clock.is_over() {
                model.meter.set_cut();
            }
            return None;
        }
    };
    model.meter.plan(units);
    if solved.status == plan::PlanStatus::TimeLimit {
        model.meter.set_cut();
    }
    let all = problem.candidates();
    let index: HashMap<&ShiftInstance, usize> = model
        .cands
        .iter()
        .enumerate()
        .map(|(k, c)| (&all[c.index].shift, k))
        .collect();
    let mut want = vec![0u32; model.cands.len()];
    for s in &solved.shifts {
        // A planned shift no agent can work has no option: nobody takes it.
        if let Some(&k) = index.get(&s.shift) {
            want[k] = want[k].saturating_add(s.count);
        }
    }
    Some(want)
}

/// Agents hand the planned shifts `want` out among themselves (see the module docs); the
/// roster, or `None` when it would break a pack row (site caps, template maximums,
/// budget) or an agent has no schedule. When `stop()` says time is up, the agents not
/// yet served keep their schedule in `fallback` (one per agent, in agent order), so the
/// roster is complete however early it ends.
pub(crate) fn construct(
    model: &Model,
    mut want: Vec<u32>,
    fallback: &[Column],
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Column>> {
    let na = model.agents.len();
    // The least flexible agents (fewest options over the horizon) choose first.
    let mut order: Vec<usize> = (0..na).collect();
    order.sort_by_key(|&a| {
        let ag = &model.agents[a];
        let n: usize = ag
            .options
            .iter()
            .zip(&ag.day_off)
            .filter(|(_, &off)| !off)
            .map(|(o, _)| o.len())
            .sum();
        (n, a)
    });
    let mut schedules: Vec<Column> = (0..na)
        .map(|a| Column::new(model, a, vec![None; model.agents[a].options.len()]))
        .collect();
    // A planned shift outweighs every cost a schedule can otherwise have, by the
    // requirement it covers (a long shift more than a short one).
    let bonus = |c: usize| model.hard_penalty * model.cands[c].rows.len().max(1) as f64;
    let (_, mut pack) = usage(model, &schedules);
    for (i, &a) in order.iter().enumerate() {
        if stop() {
            for &b in &order[i..] {
                schedules[b] = fallback.get(b)?.clone();
            }
            break;
        }
        let ag = &model.agents[a];
        let costs: Vec<Vec<f64>> =
            ag.options
                .iter()
                .zip(&ag.penalty)
                .map(|(opts, pen)| {
                    opts.iter()
                        .zip(pen)
                        .map(|(&c, &p)| {
                            let cd = &model.cands[c];
                            if cd.packs.iter().any(|&(r, k)| {
                                pack[r as usize] + k > model.packs[r as usize] + 1e-6
                            }) {
                                return f64::INFINITY;
                            }
                            if want[c] > 0 {
                                cd.cost + p - bonus(c)
                            } else {
                                cd.cost + p
                            }
                        })
                        .collect()
                })
                .collect();
        let Priced::Best(_, days) = price::best(model, ag, &costs) else {
            return None;
        };
        let col = Column::new(model, a, days);
        for (d, k) in col.days.iter().enumerate() {
            if let Some(k) = *k {
                let c = ag.options[d][k];
                want[c] = want[c].saturating_sub(1);
            }
        }
        for &(r, k) in &col.packs {
            pack[r as usize] += k;
        }
        schedules[a] = col;
    }
    let (_, pack) = usage(model, &schedules);
    packs_hold(model, &pack).then_some(schedules)
}
