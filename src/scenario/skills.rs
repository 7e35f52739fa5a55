//! Multi-skill templates in a scenario: validation of `templates[i].skills`, and the pooled
//! requirements the planner puts on every union of queues served by common people.
//!
//! A template serves one queue (`"queue"`) or several (`"skills"`, each a queue and a
//! priority); exactly one of the two. After validation, a multi-skill template's `queue`
//! holds its primary queue (the first skill of the smallest priority number), which is the
//! queue its shifts are listed under in per-shift outputs.
//!
//! # Pooled requirements
//!
//! For a set `S` of queues that some templates link together (see
//! [`crate::plan::PlanProblem::pooled_sets`]), the pooled requirement of an interval is the
//! staffing of the combined live traffic of `S` (each queue's Erlangs divided by its chat
//! concurrency) as one fully flexible team, plus the productive agents the backlog queues
//! of `S` need, converted to scheduled agents with the smallest shrinkage of `S`. The
//! combined traffic is staffed once per live queue of `S`, with that queue's targets and
//! queueing model, and the smallest of these answers is kept: the least demanding reading
//! of the targets. It never exceeds the sum of the single-queue requirements (the cost of
//! split teams), and when a pooled staffing cannot be computed (e.g. a target the model
//! cannot meet) the sum is used.

use super::Scenario;
use crate::demand::{Channel, Queue, Requirement};
use crate::error::{Error, Result};
use crate::queueing::{self, Model, Staffing, Workload};
use crate::time::Horizon;

/// Checks every template's `queue`/`skills` against the scenario's queues.
pub(crate) fn validate(s: &Scenario) -> Result<()> {
    for (i, t) in s.templates.iter().enumerate() {
        let known = |q: &str| s.queues.iter().any(|x| x.name == q);
        match (t.queue.is_empty(), t.skills.is_empty()) {
            (true, true) => {
                return Err(Error::invalid(
                    format!("templates[{i}]"),
                    "needs \"queue\" or \"skills\" (one of the two)",
                ))
            }
            (false, false) => {
                return Err(Error::invalid(
                    format!("templates[{i}].skills"),
                    "give \"queue\" or \"skills\", not both",
                ))
            }
            (false, true) => {
                if !known(&t.queue) {
                    return Err(Error::invalid(
                        format!("templates[{i}].queue"),
                        format!("{:?} is not a queue of this scenario", t.queue),
                    ));
                }
            }
            (true, false) => {
                for (k, sk) in t.skills.iter().enumerate() {
                    if !known(&sk.queue) {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].queue"),
                            format!("{:?} is not a queue of this scenario", sk.queue),
                        ));
                    }
                    if t.skills[..k].iter().any(|o| o.queue == sk.queue) {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].queue"),
                            format!("queue {:?} is listed twice", sk.queue),
                        ));
                    }
                    if sk.priority == 0 {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].priority"),
                            "must be a positive integer (1 = first), got 0",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The templates with each multi-skill template's `queue` set to its primary queue.
pub(crate) fn normalized(
    templates: &[crate::shifts::ShiftTemplate],
) -> Vec<crate::shifts::ShiftTemplate> {
    templates
        .iter()
        .map(|t| {
            let mut t = t.clone();
            if let Some(first) = t.skills.iter().min_by_key(|s| s.priority) {
                t.queue = first.queue.clone();
            }
            t
        })
        .collect()
}

/// Pooled scheduled requirement per interval of the queues `set` (indices into `queues`
/// and `reqs`, which are aligned): see the module docs.
pub(crate) fn pooled_requirement(
    horizon: &Horizon,
    queues: &[Queue],
    reqs: &[Requirement],
    set: &[usize],
) -> Vec<u32> {
    let period = horizon.interval_minutes() as f64 * 60.0;
    let shrink = set
        .iter()
        .map(|&q| queues[q].shrinkage)
        .fold(f64::INFINITY, f64::min);
    (0..horizon.len())
        .map(|i| {
            let split: u32 = set.iter().map(|&q| reqs[q].required[i]).sum();
            pooled_at(queues, reqs, set, i, period, shrink).map_or(split, |p| p.min(split))
        })
        .collect()
}

fn pooled_at(
    queues: &[Queue],
    reqs: &[Requirement],
    set: &[usize],
    i: usize,
    period: f64,
    shrink: f64,
) -> Option<u32> {
    let mut volume = 0.0;
    let mut erlangs = 0.0;
    let mut backlog = 0u32;
    let mut live = Vec::new();
    for &q in set {
        let queue = &queues[q];
        match queue.channel {
            Channel::Backlog { .. } => backlog += reqs[q].productive[i],
            Channel::Voice | Channel::Chat { .. } => {
                let v = queue.volume[i];
                if v > 0.0 {
                    let k = match queue.channel {
                        Channel::Chat { concurrency } => concurrency.max(1) as f64,
                        _ => 1.0,
                    };
                    volume += v;
                    erlangs += v * queue.aht_seconds[i] / period / k;
                    live.push(q);
                }
            }
        }
    }
    let mut best: Option<u32> = None;
    if !live.is_empty() {
        let aht = erlangs * period / volume;
        let w = Workload::new(volume, period, aht).ok()?;
        for &q in &live {
            let queue = &queues[q];
            let mut s = Staffing::new(w);
            if let Some(p) = queue.patience_seconds {
                s = s.model(Model::ErlangA {
                    patience_seconds: p,
                });
            }
            for t in &queue.targets {
                s = s.target(*t);
            }
            let n = s.solve().ok()?.agents;
            best = Some(best.map_or(n, |b| b.min(n)));
        }
    }
    let productive = best.unwrap_or(0).checked_add(backlog)?;
    queueing::scheduled_agents(productive, shrink).ok()
}

/// `problem` with the pooled requirement of every linked set of queues (see the module
/// docs), each raised by the cuts `raise` of its queues.
pub(crate) fn with_pooled(
    p: &super::Prepared,
    reqs: &[Requirement],
    raise: &[Vec<u32>],
    problem: crate::plan::PlanProblem,
) -> Result<crate::plan::PlanProblem> {
    let sets = problem.pooled_sets();
    if sets.is_empty() {
        return Ok(problem);
    }
    let mut pooled = Vec::with_capacity(sets.len());
    for names in sets {
        let idx: Vec<usize> = names
            .iter()
            .filter_map(|n| p.queues.iter().position(|q| &q.name == n))
            .collect();
        let mut values = pooled_requirement(&p.horizon, &p.queues, reqs, &idx);
        // Cuts from the simulation check raise every set holding the queue.
        for &q in &idx {
            if let Some(up) = raise.get(q) {
                for (v, &u) in values.iter_mut().zip(up) {
                    *v = v.saturating_add(u);
                }
            }
        }
        pooled.push((names, values));
    }
    problem.with_pooled(pooled)
}
