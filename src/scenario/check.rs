//! The plan checked by simulation (`wfm plan --simulate R --check-rounds N`): where a
//! queue's simulated service level misses its target with 95 % confidence in an interval,
//! that queue's requirement there (and that of every linked set of queues holding it) is
//! raised by one agent and the plan is solved again: simulation-based cuts in the spirit
//! of Cezik & L'Ecuyer (2008). The loop ends when no interval misses, after the given
//! number of rounds, or when its time budget is spent; the intervals still missing are
//! reported with the shortfall.
//!
//! An interval *misses* when contacts were offered in it (in at least one replication) and
//! the upper end of the 95 % confidence interval of its simulated service level is below
//! the queue's service-level target: a miss that noise cannot explain. Queues without a
//! service-level target (backlog work) are not checked here.

use super::run::plan_raised;
use super::simulate::{simulate_outcome, SimulateSpec, Simulated};
use super::{Outcome, Prepared};
use crate::error::Result;
use crate::plan::Observer;
use crate::queueing::Target;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::time::Instant;

/// How to check a plan by simulation.
#[derive(Debug, Clone)]
pub struct CheckSpec {
    /// The simulation of each round.
    pub simulate: SimulateSpec,
    /// At most this many plans (solve and simulate); at least 1.
    pub max_rounds: u32,
    /// No new round starts after this many seconds.
    pub time_limit_seconds: f64,
}

/// An interval whose simulated service level misses its queue's target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// Queue name.
    pub queue: String,
    /// Interval start.
    pub interval_start: DateTime<Utc>,
    /// The service-level target (fraction).
    pub target: f64,
    /// Simulated service level: mean and upper end of its 95 % confidence interval.
    pub simulated: f64,
    /// Upper end of the 95 % confidence interval.
    pub ci_high: f64,
}

/// What the check did.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Plans solved and simulated.
    pub rounds: u32,
    /// Agent-intervals of requirement added by the cuts, in all.
    pub raised: u32,
    /// Intervals of the final plan that still miss (empty: every target met).
    pub misses: Vec<Miss>,
    /// The final plan's cost per round, in order.
    pub costs: Vec<f64>,
}

/// The service-level target of a queue: the fraction of its service-level target, if any.
fn sl_target(targets: &[Target]) -> Option<f64> {
    targets.iter().find_map(|t| match t {
        Target::ServiceLevel { fraction, .. } => Some(*fraction),
        _ => None,
    })
}

/// The intervals of `sim` that miss their queue's target.
pub fn misses(p: &Prepared, sim: &Simulated) -> Vec<Miss> {
    let mut out = Vec::new();
    for (q, queue) in p.queues.iter().enumerate() {
        let Some(target) = sl_target(&queue.targets) else {
            continue;
        };
        let Some(res) = sim.results.queues.get(q) else {
            continue;
        };
        for (i, f) in res.intervals.iter().enumerate() {
            if f.offered.mean > 0.0 && f.service_level.ci_high < target - 1e-9 {
                out.push(Miss {
                    queue: queue.name.clone(),
                    interval_start: p.horizon.interval_start(i),
                    target,
                    simulated: f.service_level.mean,
                    ci_high: f.service_level.ci_high,
                });
            }
        }
    }
    out
}

/// Plans, simulates and raises requirements where the simulation misses (see the module
/// docs). Returns the last plan (simulated, its simulation attached), its simulation and
/// what the check did.
///
/// # Errors
///
/// The errors of [`crate::scenario::plan`] for each round's plan and of
/// [`crate::scenario::simulate_outcome`] for its simulation.
pub fn plan_checked(
    p: &Prepared,
    observer: Option<Observer>,
    spec: &CheckSpec,
) -> Result<(Outcome, Simulated, Checked)> {
    let t0 = Instant::now();
    let mut raise = vec![vec![0u32; p.horizon.len()]; p.queues.len()];
    let mut raised = 0u32;
    let mut costs = Vec::new();
    let mut round = 0u32;
    loop {
        round += 1;
        let mut outcome = plan_raised(p, observer.clone(), &raise)?;
        costs.push(outcome.summary.cost);
        let sim = simulate_outcome(p, &mut outcome, &spec.simulate, None)?;
        let missing = misses(p, &sim);
        let out_of_time = t0.elapsed().as_secs_f64() >= spec.time_limit_seconds;
        if missing.is_empty() || round >= spec.max_rounds.max(1) || out_of_time {
            let checked = Checked {
                rounds: round,
                raised,
                misses: missing,
                costs,
            };
            return Ok((outcome, sim, checked));
        }
        for m in &missing {
            if let (Some(q), Some(i)) = (
                p.queues.iter().position(|x| x.name == m.queue),
                p.horizon.index_containing(m.interval_start),
            ) {
                raise[q][i] = raise[q][i].saturating_add(1);
                raised = raised.saturating_add(1);
            }
        }
    }
}
