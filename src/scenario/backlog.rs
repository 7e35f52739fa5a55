//! Backlog queues of a scenario (email, tickets) in the planner and in the outputs.
//!
//! The planner gets each backlog queue's work with its deadline
//! ([`crate::plan::PlanProblem::with_backlog`]): the work arriving in an interval, in
//! scheduled agent-intervals (Erlangs of the interval divided by one less the queue's
//! shrinkage), due within `deadline_minutes` (a whole number of intervals). Its deadline
//! rows replace the even spread of `requirements.csv` (which stays as a reference).
//!
//! The outputs replay the roster's capacity through the work, first come first served
//! ([`crate::plan::fluid_replay`]): the capacity a backlog queue gets in an interval is what
//! the agents able to serve it leave once the live queues they also serve have their
//! requirement. The replay gives the items waiting at the end of each interval
//! (`kpis_long.csv`'s `backlog` metric) and the share of items due inside the horizon that
//! are finished by their deadline (`summary.json`'s `queues[].backlog_on_time`).

use super::Prepared;
use crate::demand::{Channel, Requirement};
use crate::error::Result;
use crate::evaluate::{Coverage, Summary};
use crate::plan::{fluid_replay, FluidReplay, PlanProblem};
use crate::shifts::ShiftInstance;

/// Work arriving per interval of queue `q` in scheduled agent-intervals, with its deadline
/// in intervals; `None` for live queues.
fn work_of(p: &Prepared, q: usize) -> Option<(Vec<f64>, usize)> {
    let queue = p.queues.get(q)?;
    let Channel::Backlog { deadline_minutes } = queue.channel else {
        return None;
    };
    let im = p.horizon.interval_minutes();
    let period = im as f64 * 60.0;
    let keep = (1.0 - queue.shrinkage).max(f64::MIN_POSITIVE);
    let work = queue
        .volume
        .iter()
        .zip(&queue.aht_seconds)
        .map(|(&v, &a)| if v > 0.0 { v * a / period / keep } else { 0.0 })
        .collect();
    Some((work, (deadline_minutes / im.max(1)).max(1) as usize))
}

/// `problem` with every backlog queue of the scenario declared with its work and deadline.
pub(crate) fn with_backlog(p: &Prepared, mut problem: PlanProblem) -> Result<PlanProblem> {
    for (q, queue) in p.queues.iter().enumerate() {
        if let Some((work, deadline)) = work_of(p, q) {
            problem = problem.with_backlog(&queue.name, work, deadline)?;
        }
    }
    Ok(problem)
}

/// The planning problem of the scenario with the queueing model's requirements (no cuts).
pub(crate) fn problem(p: &Prepared, reqs: &[Requirement]) -> Result<PlanProblem> {
    let problem = PlanProblem::new(
        p.horizon,
        p.sites.clone(),
        p.templates.clone(),
        reqs.iter()
            .map(|r| (r.queue.clone(), r.required.clone()))
            .collect(),
        p.rules.clone(),
    )?;
    let problem = with_backlog(p, problem)?;
    super::skills::with_pooled(p, reqs, &[], problem)
}

/// Fluid replay of each backlog queue (index, replay) through the roster's capacity.
pub(crate) fn replays(
    p: &Prepared,
    reqs: &[Requirement],
    roster: &[(String, ShiftInstance)],
) -> Result<Vec<(usize, FluidReplay)>> {
    if !p
        .queues
        .iter()
        .any(|q| matches!(q.channel, Channel::Backlog { .. }))
    {
        return Ok(Vec::new());
    }
    let problem = problem(p, reqs)?;
    let shifts: Vec<ShiftInstance> = roster.iter().map(|(_, s)| s.clone()).collect();
    let capacity = problem.backlog_capacity(&shifts);
    let mut out = Vec::new();
    for (name, cap) in capacity {
        let Some(q) = p.queues.iter().position(|x| x.name == name) else {
            continue;
        };
        if let Some((work, deadline)) = work_of(p, q) {
            out.push((q, fluid_replay(&work, &p.queues[q].volume, deadline, &cap)));
        }
    }
    Ok(out)
}

/// Adds the replays to the coverage (items waiting per interval) and the summary (share
/// of items finished by their deadline).
pub(crate) fn report(
    replays: &[(usize, FluidReplay)],
    coverage: &mut Coverage,
    summary: &mut Summary,
) {
    for (q, r) in replays {
        if let Some(c) = coverage.queues.get_mut(*q) {
            for (cell, &w) in c.cells.iter_mut().zip(&r.waiting_items) {
                cell.backlog = Some(w);
            }
        }
        if let Some(s) = summary.queues.get_mut(*q) {
            s.backlog_on_time = r.on_time_share();
            s.backlog_late_items = Some(r.late_items);
        }
    }
}
