//! Backlog queues of a scenario (email, tickets) in the planner and in the outputs.
//!
//! The planner gets each backlog queue's work with its deadline
//! ([`crate::plan::PlanProblem::with_backlog`]): the work arriving in an interval, in
//! scheduled agent-intervals (Erlangs of the interval divided by one less the queue's
//! shrinkage), due within `deadline_minutes` (a whole number of intervals). Its deadline
//! rows replace the even spread of `requirements.csv` (which stays as a reference).
//!
//! The outputs replay the roster's capacity through the work, first come first served
//! ([`crate::plan::PlanProblem::backlog_replays`]): the capacity a backlog queue gets in an
//! interval is what the agents able to serve it leave once the live queues they also serve
//! have their requirement and the backlog queues before it (in priority order) have taken
//! theirs. The replay gives the backlog queues' per-interval KPIs (items and work waiting,
//! work done, items that became late, the agents left to the queue; service level, ASA and
//! occupancy, see [`replay_kpi`]), the backlog curves of the report, and the share of items
//! due inside the horizon that are finished by their deadline (`summary.json`'s
//! `queues[].backlog_on_time`).

use super::Prepared;
use crate::demand::{Channel, Requirement};
use crate::error::Result;
use crate::evaluate::{BacklogCurve, Coverage, IntervalKpi, Summary};
use crate::plan::{FluidReplay, PlanProblem};
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
    let problem = with_backlog(p, super::run::problem_of(p, reqs)?)?;
    super::skills::with_pooled(p, reqs, &[], problem)
}

/// Fluid replay of each backlog queue (index, replay) through the roster's capacity: every
/// backlog queue served from the same spare capacity, by priority then due time
/// ([`PlanProblem::backlog_replays`]).
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
    // Items per backlog queue, in the order `with_backlog` declared them (queue order).
    let items: Vec<Vec<f64>> = p
        .queues
        .iter()
        .filter(|q| matches!(q.channel, Channel::Backlog { .. }))
        .map(|q| q.volume.clone())
        .collect();
    let mut out = Vec::new();
    for (name, r) in problem.backlog_replays(&shifts, &items) {
        if let Some(q) = p.queues.iter().position(|x| x.name == name) {
            out.push((q, r));
        }
    }
    Ok(out)
}

/// The predicted KPIs of backlog queue `q` in interval `i` from its replay: the share of
/// the items arriving in the interval that are not late (service level; 1 when none
/// arrive), their mean wait until done (ASA), and the work done over the capacity the
/// roster leaves the queue (occupancy; 0 without capacity). `None` when `q` has no replay.
pub(crate) fn replay_kpi(
    p: &Prepared,
    replays: &[(usize, FluidReplay)],
    q: usize,
    i: usize,
) -> Option<IntervalKpi> {
    let (_, r) = replays.iter().find(|(k, _)| *k == q)?;
    let period = f64::from(p.horizon.interval_minutes()) * 60.0;
    let cap = r.capacity.get(i).copied().unwrap_or(0.0);
    let done = r.done.get(i).copied().unwrap_or(0.0);
    Some(IntervalKpi {
        service_level: r.on_time_by_arrival.get(i).copied().unwrap_or(1.0),
        asa_seconds: r.wait_by_arrival.get(i).copied().unwrap_or(0.0) * period,
        occupancy: if cap > 0.0 {
            (done / cap).clamp(0.0, 1.0)
        } else {
            0.0
        },
    })
}

/// The backlog curves of the replays, in handling hours and items (see [`BacklogCurve`]).
pub(crate) fn curves(p: &Prepared, replays: &[(usize, FluidReplay)]) -> Vec<BacklogCurve> {
    let hours = f64::from(p.horizon.interval_minutes()) / 60.0;
    replays
        .iter()
        .filter_map(|(q, r)| {
            let (_, deadline) = work_of(p, *q)?;
            let queue = &p.queues[*q];
            // Work is in scheduled agent-intervals: handling hours are its productive part.
            let keep = (1.0 - queue.shrinkage).max(0.0) * hours;
            let mut allowed = Vec::with_capacity(queue.volume.len());
            let mut window = 0.0;
            for (t, &v) in queue.volume.iter().enumerate() {
                window += v.max(0.0);
                if t >= deadline {
                    window -= queue.volume[t - deadline].max(0.0);
                }
                allowed.push(window.max(0.0));
            }
            Some(BacklogCurve {
                queue: *q,
                deadline_intervals: deadline,
                capacity: r.capacity.clone(),
                work_done_hours: r.done.iter().map(|w| w * keep).collect(),
                work_waiting_hours: r.waiting_work.iter().map(|w| w * keep).collect(),
                items_waiting: r.waiting_items.clone(),
                items_allowed: allowed,
                late_items: r.late_by_interval.clone(),
            })
        })
        .collect()
}

/// Adds the replays to the coverage (items waiting per interval, the backlog curves) and
/// the summary (share of items finished by their deadline).
pub(crate) fn report(
    p: &Prepared,
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
    coverage.backlog = curves(p, replays);
}
