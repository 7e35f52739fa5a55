//! Fairness and consistency rules of a contract: shift-start consistency over a week and
//! rotating weekends (hard, kept exactly by the pricing and checked by [`super::verify`]),
//! the templates of a contract (e.g. nights), and the balance of hours and weekends across
//! agents (soft: a convex penalty per agent the pricing sees exactly).
//!
//! Balance is separable on purpose: `w × h²` summed over a group of agents with the same
//! weight `w` equals `w × (Σ (h − mean)² + n × mean²)`, so for the hours the group works in
//! total it is least when they are spread evenly, and each agent's share is priced exactly
//! in its own dynamic programme, with no row over other agents' columns.

use super::model::AgentModel;
use crate::error::{Error, Result};
use crate::scenario::agents::{AgentSpec, ContractSpec, MAX_REQUEST_WEIGHT};
use crate::scenario::Scenario;
use chrono::Weekday;
use serde::{Deserialize, Serialize};

/// At most `work` weekends with a shift in any `of` consecutive weekends (local Saturday
/// and Sunday); weekends before the horizon count as free. `{"work": 1, "of": 2}`: every
/// other weekend off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RotatingWeekends {
    /// Most weekends worked in the window, below `of`.
    pub work: u32,
    /// Length of the window in weekends, 2 to [`MAX_ROTATION_WEEKENDS`].
    pub of: u32,
}

/// Longest window of [`RotatingWeekends`].
pub const MAX_ROTATION_WEEKENDS: u32 = 12;

/// Largest `balance_hours_weight`.
pub const MAX_BALANCE_HOURS_WEIGHT: f64 = 10.0;

/// Largest `start_tolerance_minutes`.
pub const MAX_START_TOLERANCE_MINUTES: u32 = 720;

/// Checks the consistency, rotation, template and balance fields of agent `i`'s contract.
pub(crate) fn validate(s: &Scenario, a: &AgentSpec, i: usize) -> Result<()> {
    let f = |x: &str| format!("agents[{i}].contract.{x}");
    let c = &a.contract;
    if let Some(t) = c.start_tolerance_minutes {
        if t > MAX_START_TOLERANCE_MINUTES {
            return Err(Error::invalid(
                f("start_tolerance_minutes"),
                format!("must be at most {MAX_START_TOLERANCE_MINUTES}, got {t}"),
            ));
        }
    }
    if let Some(r) = c.rotating_weekends {
        if r.of < 2 || r.of > MAX_ROTATION_WEEKENDS {
            return Err(Error::invalid(
                f("rotating_weekends.of"),
                format!("must be 2 to {MAX_ROTATION_WEEKENDS}, got {}", r.of),
            ));
        }
        if r.work >= r.of {
            return Err(Error::invalid(
                f("rotating_weekends.work"),
                format!("must be below of ({}), got {}", r.of, r.work),
            ));
        }
    }
    if let Some(list) = &c.templates {
        if list.is_empty() {
            return Err(Error::invalid(
                f("templates"),
                "must not be empty (leave it out for every template)",
            ));
        }
        crate::scenario::agents::first_seen(&f("templates"), list)?;
        for (k, t) in list.iter().enumerate() {
            let ok = s.templates.iter().any(|x| {
                &x.name == t
                    && x.site == a.site
                    && super::can_work(a.skills.as_deref(), &x.queues())
            });
            if !ok {
                return Err(Error::invalid(
                    f(&format!("templates[{k}]")),
                    format!(
                        "{t:?} is not a template of site {:?} the agent has the skills for",
                        a.site
                    ),
                ));
            }
        }
        for (k, fs) in a.fixed_shifts.iter().enumerate() {
            if !list.contains(&fs.template) {
                return Err(Error::invalid(
                    format!("agents[{i}].fixed_shifts[{k}].template"),
                    format!("{:?} is not among the contract's templates", fs.template),
                ));
            }
        }
    }
    let weight = |name: &str, w: f64, max: f64| {
        if !w.is_finite() || !(0.0..=max).contains(&w) {
            return Err(Error::invalid(
                f(name),
                format!("must be a number from 0 to {max}, got {w}"),
            ));
        }
        Ok(())
    };
    weight(
        "balance_hours_weight",
        c.balance_hours_weight,
        MAX_BALANCE_HOURS_WEIGHT,
    )?;
    weight(
        "balance_weekends_weight",
        c.balance_weekends_weight,
        f64::from(MAX_REQUEST_WEIGHT),
    )
}

/// The first contract field of `c` that only the direct scheduler keeps (`wfm plan`), not
/// the two-stage assignment of a given plan.
pub(crate) fn scheduler_only(c: &ContractSpec) -> Option<&'static str> {
    if c.start_tolerance_minutes.is_some() {
        Some("start_tolerance_minutes")
    } else if c.rotating_weekends.is_some() {
        Some("rotating_weekends")
    } else if c.templates.is_some() {
        Some("templates")
    } else if c.balance_hours_weight != 0.0 {
        Some("balance_hours_weight")
    } else if c.balance_weekends_weight != 0.0 {
        Some("balance_weekends_weight")
    } else {
        None
    }
}

/// Paid minutes and weekends worked by agent `a` on schedule `days`.
pub(crate) fn workload(
    model: &super::model::Model,
    a: &AgentModel,
    days: &[Option<usize>],
) -> (u32, u32) {
    let mut minutes = 0u32;
    let mut weekends = 0u32;
    for (d, k) in days.iter().enumerate() {
        let Some(k) = *k else { continue };
        minutes = minutes.saturating_add(model.cands[a.options[d][k]].paid);
        // A Sunday after a worked Saturday is the same weekend.
        let new_weekend = match a.weekday[d] {
            Weekday::Sat => true,
            Weekday::Sun => !(d > 0 && days[d - 1].is_some()),
            _ => false,
        };
        if new_weekend {
            weekends += 1;
        }
    }
    (minutes, weekends)
}

/// The balance penalty of an agent working `minutes` paid minutes and `weekends` weekends.
pub(crate) fn penalty(a: &AgentModel, minutes: u32, weekends: u32) -> f64 {
    let h = f64::from(minutes) / 60.0;
    let w = f64::from(weekends);
    a.hours_weight * h * h + a.weekends_weight * w * w
}
