//! The plan a solve returns, and coverage recomputed from its shifts.

use super::problem::PlanProblem;
use crate::shifts::ShiftInstance;
use serde::{Deserialize, Serialize};

/// Why a solve ended, and so how good its answer is known to be: one reason for the
/// planner ([`crate::plan::solve`]) and the roster solver ([`crate::roster::solve`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Termination {
    /// The objective equals the lower bound: proven optimal.
    Optimal,
    /// The gap to the bound is within the requested gap.
    WithinGap,
    /// The time limit ended the search; the best answer found is returned with its gap.
    /// For the planner: the clock (or the stop flag) cut the run, the one case in which two
    /// runs of the same problem and options may give different plans.
    TimeLimit,
    /// The search ran out of things to try (step caps, stalls, its work units) before the
    /// time limit and without reaching the requested gap.
    AboveGap,
}

impl Termination {
    /// The name used in files (`summary.json`'s `status`).
    pub fn name(self) -> &'static str {
        match self {
            Termination::Optimal => "optimal",
            Termination::WithinGap => "within_gap",
            Termination::TimeLimit => "time_limit",
            Termination::AboveGap => "above_gap",
        }
    }
}

/// The planner's name for [`Termination`].
pub type PlanStatus = Termination;

/// A chosen shift and how many agents work it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedShift {
    /// The concrete shift.
    pub shift: ShiftInstance,
    /// The queue it serves (its template's queue).
    pub queue: String,
    /// Number of agents on this shift.
    pub count: u32,
    /// Cost of one such shift.
    pub cost_each: f64,
}

/// Requirement and scheduled coverage of one queue per interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedCoverage {
    /// Queue name.
    pub queue: String,
    /// Required agents per interval.
    pub required: Vec<u32>,
    /// Agents working (on shift, not on break) per interval, recomputed from the shifts.
    pub scheduled: Vec<u32>,
}

/// The result of [`crate::plan::solve`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Chosen shifts with counts (counts are at least 1), in start order.
    pub shifts: Vec<PlannedShift>,
    /// Coverage per queue per interval, recomputed from `shifts`.
    pub coverage: Vec<PlannedCoverage>,
    /// Cost of the shifts.
    pub cost: f64,
    /// Soft-coverage penalties (0 in hard mode).
    pub penalty: f64,
    /// `cost + penalty`: what the planner minimises.
    pub objective: f64,
    /// Paid hours of all shifts.
    pub paid_hours: f64,
    /// Proven lower bound on the objective of any plan (LP relaxation; rounded up per block
    /// when every cost and penalty is an integer).
    pub lower_bound: f64,
    /// `(objective - lower_bound) / lower_bound` (0 when both are 0, 1 when only the bound
    /// is 0).
    pub gap: f64,
    /// How good the plan is known to be.
    pub status: PlanStatus,
    /// Wall-clock seconds of the solve.
    pub solve_seconds: f64,
    /// Number of candidate shifts.
    pub candidates: usize,
    /// Number of independent blocks solved.
    pub blocks: usize,
    /// Blocks solved exactly as min-cost flow (the rest went through the LP).
    pub flow_blocks: usize,
}

/// Relative gap of `objective` to `bound`.
pub fn relative_gap(objective: f64, bound: f64) -> f64 {
    if !objective.is_finite() {
        return f64::INFINITY;
    }
    let d = (objective - bound).max(0.0);
    if d <= 1e-9 * objective.abs().max(1.0) {
        0.0
    } else if bound > 1e-9 {
        d / bound
    } else {
        1.0
    }
}

/// Agents working per queue per interval, computed from the shifts alone with
/// [`ShiftInstance::works_during`] (with the problem's cyclic wrap).
pub fn coverage_of(problem: &PlanProblem, shifts: &[PlannedShift]) -> Vec<Vec<u32>> {
    let h = problem.horizon();
    let m = h.interval_minutes() as i64;
    let wrap = h.end() - h.start();
    let mut out: Vec<Vec<u32>> = problem
        .requirements()
        .map(|(_, r)| vec![0; r.len()])
        .collect();
    let cyclic = problem.rules().cyclic;
    for s in shifts {
        // A multi-skill shift counts for every queue it serves: this is the capacity able
        // to serve the queue, not a split of it.
        let served: Vec<usize> = match problem
            .templates()
            .iter()
            .find(|t| t.name == s.shift.template && t.serves(&s.queue))
        {
            Some(t) => t
                .queues()
                .iter()
                .filter_map(|n| problem.requirements().position(|(q, _)| q == *n))
                .collect(),
            None => problem
                .requirements()
                .position(|(q, _)| q == s.queue)
                .into_iter()
                .collect(),
        };
        if served.is_empty() {
            continue;
        }
        // Only the intervals the shift overlaps (and, on a cyclic horizon, those it
        // overlaps once moved back by one to three horizons) can count it.
        let mut hits: Vec<usize> = Vec::new();
        let copies = if cyclic { 3 } else { 0 };
        for k in 0..=copies {
            let (from, to) = (s.shift.start - wrap * k, s.shift.end - wrap * k);
            let lo = ((from - h.start()).num_minutes().div_euclid(m)).max(0);
            let hi = ((to - h.start()).num_minutes().div_euclid(m) + 1).min(h.len() as i64);
            for i in lo..hi.max(lo) {
                let i = i as usize;
                if s.shift.works_during(h.interval_start(i) + wrap * k, m) {
                    hits.push(i);
                }
            }
        }
        hits.sort_unstable();
        hits.dedup();
        for i in hits {
            for &q in &served {
                out[q][i] += s.count;
            }
        }
    }
    out
}
