//! Simulated service beside the queueing model's prediction (`wfm plan --simulate`): the
//! figures the simulator measured, kept in the coverage and summary so that the output
//! files show the two side by side. Filled by [`crate::scenario`]; this module only holds
//! them.

use serde::{Deserialize, Serialize};

/// A simulated figure: mean over replications and its 95 % interval (`None` where
/// undefined: no contact offered, or a single replication for the interval).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct SimulatedValue {
    /// Mean over replications.
    pub mean: Option<f64>,
    /// Lower end of the 95 % interval.
    pub ci_low: Option<f64>,
    /// Upper end of the 95 % interval.
    pub ci_high: Option<f64>,
}

impl SimulatedValue {
    /// From a mean and interval, with non-finite numbers as `None`.
    pub fn new(mean: f64, ci_low: f64, ci_high: f64) -> Self {
        let f = |x: f64| x.is_finite().then_some(x);
        SimulatedValue {
            mean: f(mean),
            ci_low: f(ci_low),
            ci_high: f(ci_high),
        }
    }
}

/// Simulated service level per queue (outer, coverage order) and interval (inner).
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedCoverage {
    /// Replications run.
    pub replications: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Service level per queue and interval.
    pub service_level: Vec<Vec<SimulatedValue>>,
}

/// The simulated headline numbers of one queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulatedQueue {
    /// Queue name.
    pub queue: String,
    /// Answered within the target time over offered, whole horizon.
    pub service_level: SimulatedValue,
    /// Mean time in queue over offered contacts, seconds.
    pub asa_seconds: SimulatedValue,
    /// Share of offered contacts that abandoned.
    pub abandon_share: SimulatedValue,
}

/// The simulated headline numbers in `summary.json` (key `simulated`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimulatedSummary {
    /// Replications run.
    pub replications: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Service level over all queues and the horizon.
    pub service_level: SimulatedValue,
    /// Per queue, in scenario order.
    pub queues: Vec<SimulatedQueue>,
}
