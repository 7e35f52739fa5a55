//! The part of `summary.json` about a roster of named agents scheduled directly against
//! the requirements: the roster's objective against its own LP bound, and the intervals
//! left short with the rule that keeps them short.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the named agents' roster was found and how good it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    /// The roster's objective: shifts' cost, wish penalties and coverage penalties (soft
    /// coverage at the scenario's penalties; under hard coverage each missing
    /// agent-interval at `hard_penalty`).
    pub objective: f64,
    /// Lower bound on the objective of every roster of these agents (column generation).
    pub lower_bound: f64,
    /// `(objective − lower_bound) / objective` (0 when both are 0).
    pub gap: f64,
    /// `true` when the column generation converged: the bound is the LP value; `false`
    /// when its round budget ran out first (the bound is still valid, only weaker).
    pub lp_converged: bool,
    /// Cost of the shifts at their templates' rates.
    pub shift_cost: f64,
    /// Penalties of wishes not granted (day-off wishes, preferred starts).
    pub wish_penalty: f64,
    /// Penalties of coverage above or below the requirement.
    pub coverage_penalty: f64,
    /// Balance penalties of hours and weekends across agents (contracts'
    /// `balance_hours_weight` and `balance_weekends_weight`).
    #[serde(default)]
    pub balance_penalty: f64,
    /// Each agent's workload, in the scenario's order: fairness made visible.
    #[serde(default)]
    pub agents: Vec<AgentWorkload>,
    /// Weight of a missing agent-interval under hard coverage (and of a broken cap in the
    /// LP).
    pub hard_penalty: f64,
    /// Pricing rounds of the column generation.
    pub rounds: usize,
    /// Schedules generated, over all agents.
    pub columns: usize,
    /// Passes of the local improvement.
    pub passes: usize,
    /// Agents with at least one shift.
    pub agents_working: usize,
    /// Agents whose schedule the independent checker verified (every agent).
    pub agents_checked: usize,
    /// Queue-intervals with fewer agents than required, at most
    /// [`MAX_LISTED_SHORTFALLS`] of them, in time order.
    pub understaffed: Vec<Shortfall>,
    /// How many queue-intervals are short, listed or not.
    pub understaffed_total: usize,
    /// Short queue-intervals per binding rule (see [`Shortfall::reason`]).
    pub understaffed_by_reason: BTreeMap<String, usize>,
}

/// One named agent's workload in the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentWorkload {
    /// The agent's name.
    pub name: String,
    /// Shifts worked.
    pub shifts: usize,
    /// Paid hours worked.
    pub paid_hours: f64,
    /// Weekends (local Saturday or Sunday) with a shift.
    pub weekends: u32,
}

/// Most short intervals listed in [`ScheduleSummary::understaffed`].
pub const MAX_LISTED_SHORTFALLS: usize = 500;

/// One queue-interval with fewer agents than required, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shortfall {
    /// Queue name.
    pub queue: String,
    /// Start of the interval (RFC 3339 UTC).
    pub interval_start_utc: String,
    /// Agents required.
    pub required: u32,
    /// Agents scheduled.
    pub scheduled: u32,
    /// The rule that keeps most of the agents who could serve the queue then from doing
    /// so: `no_skilled_agent` (no agent has the skill at a site with a shift covering the
    /// interval), `too_few_agents` (every agent who could serve it does), `busy` (on another queue or on a break then), `one_shift_a_day`
    /// (working another shift that day), `day_off`, `max_hours`, `rest`,
    /// `max_consecutive_days`, `min_consecutive_days` (it would be too short a run of
    /// working days), `min_consecutive_days_off` (it would leave too short a run of days
    /// off), `max_weekends`, `rotating_weekends`, `start_tolerance_minutes` (it
    /// would spread the week's start times beyond the tolerance), or `cost_or_other_rules`
    /// (no single one of these rules forbids it: the optimisation found it not worth its
    /// cost, or rules together, a site cap, a template's maximum or the budget stop it).
    pub reason: String,
    /// Agents who could work a shift covering the interval, per reason they do not.
    pub agents_by_reason: BTreeMap<String, usize>,
}
