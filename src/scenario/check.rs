//! The plan checked by simulation (`wfm plan --simulate R --check-rounds N`): where a
//! queue's simulated service level misses its target with 95 % confidence in an interval,
//! that queue's requirement there (and that of every linked set of queues holding it) is
//! raised by one agent and the plan is solved again: simulation-based cuts in the spirit
//! of Cezik & L'Ecuyer (2008). The loop ends when no interval misses, after the given
//! number of rounds, or when its time budget is spent; the intervals still missing are
//! reported with the shortfall.
//!
//! An interval *misses* when contacts were offered in it (in at least one replication) and
//! the 95 % confidence interval of a simulated figure lies wholly on the wrong side of one
//! of the queue's targets: a miss that noise cannot explain. Every target kind the
//! simulator measures is checked: service level (upper end below the fraction), average
//! speed of answer, abandonment, occupancy and the probability of waiting (lower end above
//! the limit). An interval missing several targets is raised by one agent. Backlog queues
//! have no such targets; their deadlines are planned as work with deadlines.

use super::run::plan_raised;
use super::simulate::{simulate_outcome, SimulateSpec, Simulated};
use super::{Outcome, Prepared};
use crate::budget::Budget;
use crate::error::Result;
use crate::plan::Observer;
use crate::queueing::Target;
use chrono::{DateTime, Utc};
use serde::Serialize;

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

/// An interval whose simulated figure misses one of its queue's targets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Miss {
    /// Queue name.
    pub queue: String,
    /// Interval start.
    pub interval_start: DateTime<Utc>,
    /// The figure: `service_level` (a floor), or `asa_seconds`, `abandon_share`,
    /// `occupancy`, `wait_probability` (ceilings).
    pub metric: &'static str,
    /// The target: the service-level fraction, or the most the figure may be.
    pub target: f64,
    /// Simulated mean of the figure.
    pub simulated: f64,
    /// Lower end of its 95 % confidence interval.
    pub ci_low: f64,
    /// Upper end of its 95 % confidence interval.
    pub ci_high: f64,
}

impl Miss {
    /// Whether the target is a floor (service level) rather than a ceiling.
    pub fn is_floor(&self) -> bool {
        self.metric == "service_level"
    }

    /// How far the simulated mean is from the target, in the figure's unit (positive).
    pub fn shortfall(&self) -> f64 {
        if self.is_floor() {
            self.target - self.simulated
        } else {
            self.simulated - self.target
        }
    }
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

/// The intervals of `sim` that miss one of their queue's targets, in queue, interval and
/// target order.
pub fn misses(p: &Prepared, sim: &Simulated) -> Vec<Miss> {
    let mut out = Vec::new();
    for (q, queue) in p.queues.iter().enumerate() {
        let Some(res) = sim.results.queues.get(q) else {
            continue;
        };
        for (i, f) in res.intervals.iter().enumerate() {
            if f.offered.mean <= 0.0 {
                continue;
            }
            for t in &queue.targets {
                let (metric, target, e) = match *t {
                    Target::ServiceLevel { fraction, .. } => {
                        ("service_level", fraction, &f.service_level)
                    }
                    Target::Asa { seconds } => ("asa_seconds", seconds, &f.asa_seconds),
                    Target::MaxAbandon(x) => ("abandon_share", x, &f.abandon_share),
                    Target::MaxOccupancy(x) => ("occupancy", x, &f.occupancy),
                    Target::MaxWaitProbability(x) => ("wait_probability", x, &f.wait_probability),
                };
                let missed = if metric == "service_level" {
                    e.ci_high < target - 1e-9
                } else {
                    e.ci_low > target + 1e-9
                };
                if missed {
                    out.push(Miss {
                        queue: queue.name.clone(),
                        interval_start: p.horizon.interval_start(i),
                        metric,
                        target,
                        simulated: e.mean,
                        ci_low: e.ci_low,
                        ci_high: e.ci_high,
                    });
                }
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
/// [`crate::Error::Invalid`] naming `max_rounds` when 0, or `time_limit_seconds` when not
/// above 0 or above a day; the errors of [`crate::scenario::plan`] for each round's plan and
/// of [`crate::scenario::simulate_outcome`] for its simulation.
pub fn plan_checked(
    p: &Prepared,
    observer: Option<Observer>,
    spec: &CheckSpec,
) -> Result<(Outcome, Simulated, Checked)> {
    if spec.max_rounds == 0 {
        return Err(crate::Error::invalid(
            "max_rounds",
            "must be at least 1 (the first round is the plan itself)",
        ));
    }
    crate::limits::check_time_limit("time_limit_seconds", spec.time_limit_seconds)?;
    // The check loop's own budget (its rounds each plan under `solve.time_limit_seconds`);
    // the caller's stop flag ends it too.
    let budget = Budget::from_seconds(spec.time_limit_seconds, p.solve.stop.clone());
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
        let out_of_time = budget.is_over();
        if missing.is_empty() || round >= spec.max_rounds.max(1) || out_of_time {
            outcome.summary.check = Some(crate::evaluate::CheckSummary {
                rounds: round,
                raised_agent_intervals: raised,
                costs: costs.clone(),
                misses: missing
                    .iter()
                    .map(|m| crate::evaluate::CheckMiss {
                        queue: m.queue.clone(),
                        interval_start_utc: crate::time::fmt_utc(m.interval_start),
                        metric: m.metric.to_string(),
                        target: m.target,
                        simulated: m.simulated,
                        ci_low: m.ci_low,
                        ci_high: m.ci_high,
                        off_by: m.shortfall(),
                    })
                    .collect(),
            });
            let checked = Checked {
                rounds: round,
                raised,
                misses: missing,
                costs,
            };
            return Ok((outcome, sim, checked));
        }
        let mut cut = std::collections::BTreeSet::new();
        for m in &missing {
            if let (Some(q), Some(i)) = (
                p.queues.iter().position(|x| x.name == m.queue),
                p.horizon.index_containing(m.interval_start),
            ) {
                cut.insert((q, i));
            }
        }
        for (q, i) in cut {
            raise[q][i] = raise[q][i].saturating_add(1);
            raised = raised.saturating_add(1);
        }
    }
}
