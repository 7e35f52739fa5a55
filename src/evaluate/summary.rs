//! The headline numbers of a plan or roster: `summary.json`.

use super::{AgentShifts, Coverage, QueueDemand, SimulatedSummary};
use crate::error::{check_non_negative, Error, Result};
use crate::time::fmt_utc;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What the planner knows and the evaluator does not: cost, bound, gap, status, time.
/// `wfm evaluate` on a hand-edited roster has no solve: pass `lower_bound: None`,
/// `gap: None`, a status such as `"evaluated"` and `solve_seconds: 0`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanFacts {
    /// Objective value of the plan (paid hours plus penalties, as the scenario defines).
    pub cost: f64,
    /// LP relaxation bound on the cost, when a solve produced one.
    pub lower_bound: Option<f64>,
    /// Relative gap `(cost - lower_bound) / lower_bound`, when known.
    pub gap: Option<f64>,
    /// Solver status, e.g. `optimal`, `feasible`, `time_limit`, `evaluated`.
    pub status: String,
    /// Wall-clock seconds spent solving.
    pub solve_seconds: f64,
}

impl PlanFacts {
    /// Checks that the numbers are finite and non-negative (the bound may be any finite
    /// number).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `summary.cost`, `summary.solve_seconds` or `summary.gap` when
    /// negative or not finite, `summary.lower_bound` when not finite, or `summary.status` when
    /// blank.
    pub fn validate(&self) -> Result<()> {
        check_non_negative("summary.cost", self.cost)?;
        check_non_negative("summary.solve_seconds", self.solve_seconds)?;
        if let Some(b) = self.lower_bound {
            if !b.is_finite() {
                return Err(Error::invalid("summary.lower_bound", "must be finite"));
            }
        }
        if let Some(g) = self.gap {
            check_non_negative("summary.gap", g)?;
        }
        if self.status.trim().is_empty() {
            return Err(Error::invalid("summary.status", "must not be empty"));
        }
        Ok(())
    }
}

/// The planned shifts, beside a roster that differs from them (named agents could not take
/// every planned shift): what the planner chose, its bound and gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedFacts {
    /// Objective of the planned shifts (cost plus soft-coverage penalties).
    pub cost: f64,
    /// Lower bound on that objective.
    pub lower_bound: Option<f64>,
    /// Relative gap of the planned shifts to the bound.
    pub gap: Option<f64>,
    /// Planner status.
    pub status: String,
    /// Number of planned shifts.
    pub shifts: usize,
    /// Paid hours of the planned shifts.
    pub paid_hours: f64,
}

/// Headline numbers of one queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueSummary {
    /// Queue name.
    pub queue: String,
    /// Contacts over the horizon.
    pub volume: f64,
    /// Predicted service level, weighted by volume; `None` when the queue has no volume.
    pub service_level: Option<f64>,
    /// Predicted average speed of answer in seconds, weighted by volume; `None` when the
    /// queue has no volume or some interval with volume has an unbounded ASA.
    pub asa_seconds: Option<f64>,
    /// Intervals with fewer scheduled agents than required.
    pub understaffed_intervals: usize,
    /// Agent-hours scheduled beyond the requirement.
    pub overstaffed_agent_hours: f64,
    /// Agent-hours missing below the requirement.
    pub understaffed_agent_hours: f64,
    /// Backlog queues: share of the items due inside the horizon that a fluid replay of
    /// the roster finishes by their deadline; `None` for live queues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backlog_on_time: Option<f64>,
    /// Backlog queues: items due inside the horizon finished late or not at all in that
    /// replay.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backlog_late_items: Option<f64>,
}

/// The contents of `summary.json`. Every top-level figure describes the roster that was
/// written; when named agents could not take every planned shift, `planned` holds the
/// planner's own figures and the top-level bound and gap are empty (the plan's bound is
/// not a bound on a roster that leaves shifts out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// Objective value of the roster: its shifts' cost plus soft-coverage penalties.
    pub cost: f64,
    /// Paid hours of the roster (whole shifts, unpaid breaks excluded).
    pub paid_hours: f64,
    /// LP lower bound on the cost, when known.
    pub lower_bound: Option<f64>,
    /// Relative gap to the bound, when known.
    pub gap: Option<f64>,
    /// Solver status.
    pub status: String,
    /// Seconds spent solving.
    pub solve_seconds: f64,
    /// Predicted service level weighted by volume over all queues and intervals; `None`
    /// when there is no volume at all.
    pub service_level: Option<f64>,
    /// Queue-intervals with fewer scheduled agents than required.
    pub understaffed_intervals: usize,
    /// Agent-hours scheduled beyond the requirement, summed over queues and intervals.
    pub overstaffed_agent_hours: f64,
    /// Agent-hours missing below the requirement, summed over queues and intervals.
    pub understaffed_agent_hours: f64,
    /// Agent-hours required over the horizon.
    pub required_agent_hours: f64,
    /// Agent-hours scheduled (working, not on break) over the horizon.
    pub scheduled_agent_hours: f64,
    /// Contacts over the horizon, all queues.
    pub volume: f64,
    /// Shifts in the roster.
    pub shifts: usize,
    /// Distinct agents in the roster.
    pub agents: usize,
    /// First instant of the horizon (RFC 3339 UTC).
    pub horizon_start_utc: String,
    /// First instant after the horizon (RFC 3339 UTC).
    pub horizon_end_utc: String,
    /// Interval length in minutes.
    pub interval_minutes: u32,
    /// Per-queue numbers, in scenario order.
    pub queues: Vec<QueueSummary>,
    /// Planned shifts no named agent could take (left out of the roster); 0 when the plan
    /// is handed to numbered slots.
    #[serde(default)]
    pub unassigned_shifts: usize,
    /// The planned shifts' figures when the roster differs from them (unassigned shifts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned: Option<PlannedFacts>,
    /// Simulated service beside the prediction (`wfm plan --simulate`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated: Option<SimulatedSummary>,
    /// The simulation check (`wfm plan --check-rounds`); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<CheckSummary>,
    /// Named agents scheduled directly: the roster's bound, gap and short intervals;
    /// absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<super::ScheduleSummary>,
    /// Problems found in a roster evaluated with `--lenient` (see
    /// [`super::check_roster`]), at most [`super::MAX_LISTED_WARNINGS`] of them, by line;
    /// empty after a plan.
    #[serde(default)]
    pub warnings: Vec<super::RosterWarning>,
    /// How many problems were found, listed or not.
    #[serde(default)]
    pub warnings_total: usize,
    /// Inputs the run accepted but could make no use of (a template that can never give a
    /// useful shift), each naming its field; empty when there are none. Listed in full:
    /// there is at most one per template.
    #[serde(default)]
    pub input_warnings: Vec<InputWarning>,
}

/// An input accepted but of no use to the run (`summary.json`'s `input_warnings`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputWarning {
    /// Field path of the input, as in errors: `templates[3]`.
    pub field: String,
    /// What is wrong, in words (the template's name and why it is never used).
    pub message: String,
}

impl std::fmt::Display for InputWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// What the simulation check of a plan did (`summary.json`'s `check`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckSummary {
    /// Plans solved and simulated.
    pub rounds: u32,
    /// Agent-intervals of requirement the cuts added, in all.
    pub raised_agent_intervals: u32,
    /// The plan's cost per round, in order.
    pub costs: Vec<f64>,
    /// Targets the final plan still misses, by queue and interval (empty: all met).
    pub misses: Vec<CheckMiss>,
}

/// A target missed in one interval by the simulated plan (95 % confidence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckMiss {
    /// Queue name.
    pub queue: String,
    /// Interval start (RFC 3339 UTC).
    pub interval_start_utc: String,
    /// `service_level` (a floor), or `asa_seconds`, `abandon_share`, `occupancy`,
    /// `wait_probability` (ceilings).
    pub metric: String,
    /// The target.
    pub target: f64,
    /// Simulated mean.
    pub simulated: f64,
    /// Lower end of the simulated figure's 95 % confidence interval.
    pub ci_low: f64,
    /// Upper end of that interval.
    pub ci_high: f64,
    /// How far the mean is from the target, in the figure's unit (positive).
    pub off_by: f64,
}

/// Builds the [`Summary`] of a coverage, the demands it was computed from and the roster.
///
/// # Errors
///
/// The errors of [`PlanFacts::validate`] and of [`QueueDemand::validate`] (each demand named
/// `queues[q]`); [`Error::Invalid`] naming `demands` when their count differs from the coverage's
/// queues, or `coverage.queues[q]` when its interval count differs from its demand's.
pub fn summarize(
    scenario: &str,
    coverage: &Coverage,
    demands: &[QueueDemand],
    roster: &AgentShifts,
    facts: &PlanFacts,
) -> Result<Summary> {
    facts.validate()?;
    if demands.len() != coverage.queues.len() {
        return Err(Error::invalid(
            "demands",
            format!(
                "{} queues given but the coverage has {}",
                demands.len(),
                coverage.queues.len()
            ),
        ));
    }
    let hours = f64::from(coverage.horizon.interval_minutes()) / 60.0;
    let mut queues = Vec::with_capacity(demands.len());
    let (mut vol_all, mut sl_all) = (0.0, 0.0);
    let (mut req_h, mut sch_h, mut over_h, mut under_h) = (0.0, 0.0, 0.0, 0.0);
    let mut under_n = 0;
    for (q, (d, c)) in demands.iter().zip(&coverage.queues).enumerate() {
        d.validate(&format!("queues[{q}]"), &coverage.horizon)?;
        if c.cells.len() != d.volume.len() {
            return Err(Error::invalid(
                format!("coverage.queues[{q}]"),
                "has a different number of intervals than its demand",
            ));
        }
        let (mut vol, mut sl, mut asa) = (0.0, 0.0, 0.0);
        let mut asa_bounded = true;
        let mut qs = QueueSummary {
            queue: d.name.clone(),
            volume: 0.0,
            service_level: None,
            asa_seconds: None,
            understaffed_intervals: 0,
            overstaffed_agent_hours: 0.0,
            understaffed_agent_hours: 0.0,
            backlog_on_time: None,
            backlog_late_items: None,
        };
        for (cell, &v) in c.cells.iter().zip(&d.volume) {
            vol += v;
            sl += v * cell.kpi.service_level;
            if v > 0.0 {
                if cell.kpi.asa_seconds.is_finite() {
                    asa += v * cell.kpi.asa_seconds;
                } else {
                    asa_bounded = false;
                }
            }
            let (r, s) = (f64::from(cell.required), f64::from(cell.scheduled));
            req_h += r * hours;
            sch_h += s * hours;
            if cell.scheduled < cell.required {
                qs.understaffed_intervals += 1;
                qs.understaffed_agent_hours += (r - s) * hours;
            } else {
                qs.overstaffed_agent_hours += (s - r) * hours;
            }
        }
        qs.volume = vol;
        if vol > 0.0 {
            qs.service_level = Some(sl / vol);
            qs.asa_seconds = asa_bounded.then_some(asa / vol);
        }
        vol_all += vol;
        sl_all += sl;
        over_h += qs.overstaffed_agent_hours;
        under_h += qs.understaffed_agent_hours;
        under_n += qs.understaffed_intervals;
        queues.push(qs);
    }
    let paid_minutes: i64 = roster.iter().map(|(_, s)| s.paid_minutes()).sum();
    let agents: BTreeSet<&str> = roster.iter().map(|(a, _)| a.as_str()).collect();
    Ok(Summary {
        scenario: scenario.to_string(),
        cost: facts.cost,
        paid_hours: paid_minutes as f64 / 60.0,
        lower_bound: facts.lower_bound,
        gap: facts.gap,
        status: facts.status.clone(),
        solve_seconds: facts.solve_seconds,
        service_level: (vol_all > 0.0).then(|| sl_all / vol_all),
        understaffed_intervals: under_n,
        overstaffed_agent_hours: over_h,
        understaffed_agent_hours: under_h,
        required_agent_hours: req_h,
        scheduled_agent_hours: sch_h,
        volume: vol_all,
        shifts: roster.len(),
        agents: agents.len(),
        horizon_start_utc: fmt_utc(coverage.horizon.start()),
        horizon_end_utc: fmt_utc(coverage.horizon.end()),
        interval_minutes: coverage.horizon.interval_minutes(),
        queues,
        unassigned_shifts: 0,
        planned: None,
        simulated: None,
        check: None,
        schedule: None,
        warnings: Vec::new(),
        warnings_total: 0,
        input_warnings: Vec::new(),
    })
}
