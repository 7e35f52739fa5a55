//! An agent's wishes and published shifts: day-off wishes (`off_requests`), a preferred
//! start window (`preferred_start`) and fixed shifts a manager already published
//! (`fixed_shifts`). Wishes become penalties of the agent's options; a fixed shift makes its
//! day a working day whose only options are the shifts matching it.

use super::model::{AgentModel, Cand};
use crate::error::{Error, Result};
use crate::plan::PlanProblem;
use crate::scenario::agents::{AgentSpec, MAX_REQUEST_WEIGHT};
use crate::shifts::ClockTime;
use chrono::{NaiveDate, Timelike};
use serde::{Deserialize, Serialize};

/// A wish to start shifts between two local times (inclusive): each shift starting
/// outside the window costs `weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferredStartSpec {
    /// Earliest preferred local start, `"HH:MM"`.
    pub from: ClockTime,
    /// Latest preferred local start, `"HH:MM"` (not before `from`).
    pub to: ClockTime,
    /// Penalty per shift starting outside the window, 1 to
    /// [`MAX_REQUEST_WEIGHT`](crate::scenario::agents::MAX_REQUEST_WEIGHT) (default 1).
    #[serde(default = "one")]
    pub weight: u32,
}

fn one() -> u32 {
    1
}

/// A shift already published to the agent: the agent works this template starting at this
/// local time on this local date (the break placement is left to the scheduler).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixedShiftSpec {
    /// Local date at the agent's site.
    pub date: NaiveDate,
    /// A template of the agent's site the agent can work.
    pub template: String,
    /// Local start time, `"HH:MM"`.
    pub start: ClockTime,
}

/// Checks an agent's `preferred_start` and `fixed_shifts` (field paths under `agents[i]`).
pub(crate) fn validate(a: &AgentSpec, i: usize, first: NaiveDate, last: NaiveDate) -> Result<()> {
    let f = |x: &str| format!("agents[{i}].{x}");
    if let Some(p) = &a.preferred_start {
        if p.to < p.from {
            return Err(Error::invalid(
                f("preferred_start.to"),
                "must not be before preferred_start.from",
            ));
        }
        if p.weight == 0 || p.weight > MAX_REQUEST_WEIGHT {
            return Err(Error::invalid(
                f("preferred_start.weight"),
                format!("must be 1 to {MAX_REQUEST_WEIGHT}, got {}", p.weight),
            ));
        }
    }
    for (k, s) in a.fixed_shifts.iter().enumerate() {
        let g = |x: &str| f(&format!("fixed_shifts[{k}].{x}"));
        if s.date < first || s.date > last {
            return Err(Error::invalid(
                g("date"),
                format!("{} is outside the horizon ({first} to {last})", s.date),
            ));
        }
        if a.days_off.contains(&s.date) {
            return Err(Error::invalid(
                g("date"),
                format!("{} is also one of the agent's days_off", s.date),
            ));
        }
        if a.fixed_shifts[..k].iter().any(|o| o.date == s.date) {
            return Err(Error::invalid(
                g("date"),
                format!("a second fixed shift on {}: one shift a day", s.date),
            ));
        }
    }
    Ok(())
}

/// Applies `a`'s wishes and fixed shifts to its model `m` (agent `i`).
pub(crate) fn apply(
    m: &mut AgentModel,
    a: &AgentSpec,
    i: usize,
    problem: &PlanProblem,
    cands: &[Cand],
) -> Result<()> {
    let all = problem.candidates();
    let templates = problem.templates();
    let site = problem.sites().iter().find(|s| s.name == a.site);
    let local_start = |c: &Cand| {
        let pc = &all[c.index];
        site.map(|s| s.local(pc.shift.start).time())
            .map(|t| t.hour() * 60 + t.minute())
    };
    for (d, opts) in m.options.iter().enumerate() {
        let date = m.first + chrono::Duration::days(d as i64);
        for (k, &c) in opts.iter().enumerate() {
            let cand = &cands[c];
            let template = &templates[all[cand.index].template].name;
            let mut pen = 0.0;
            for r in &a.off_requests {
                if r.date == date && r.template.as_ref().is_none_or(|t| t == template) {
                    pen += f64::from(r.weight);
                }
            }
            if let (Some(p), Some(start)) = (&a.preferred_start, local_start(cand)) {
                if start < p.from.minutes() || start > p.to.minutes() {
                    pen += f64::from(p.weight);
                }
            }
            m.penalty[d][k] = pen;
        }
    }
    for (k, s) in a.fixed_shifts.iter().enumerate() {
        let field = format!("agents[{i}].fixed_shifts[{k}]");
        let day = usize::try_from((s.date - m.first).num_days())
            .ok()
            .filter(|&d| d < m.options.len())
            .ok_or_else(|| Error::invalid(format!("{field}.date"), "outside the horizon"))?;
        let keep: Vec<usize> = m.options[day]
            .iter()
            .enumerate()
            .filter(|(_, &c)| {
                let pc = &all[cands[c].index];
                templates[pc.template].name == s.template
                    && local_start(&cands[c]) == Some(s.start.minutes())
            })
            .map(|(k, _)| k)
            .collect();
        if keep.is_empty() {
            return Err(Error::invalid(
                field,
                format!(
                    "no shift of template {:?} starting at {:02}:{:02} on {} that the agent \
                     can work (check the template's site, start windows and step, and the \
                     agent's skills)",
                    s.template,
                    s.start.minutes() / 60,
                    s.start.minutes() % 60,
                    s.date
                ),
            ));
        }
        m.options[day] = keep.iter().map(|&k| m.options[day][k]).collect();
        m.penalty[day] = keep.iter().map(|&k| m.penalty[day][k]).collect();
        m.start_of_day[day] = keep.iter().map(|&k| m.start_of_day[day][k]).collect();
        m.fixed[day] = true;
    }
    published_conflicts(m, a, i, problem, cands)
}

/// Two published shifts of one agent that overlap, or leave less than the contract's
/// `min_rest_hours` between them, are an error naming the later one (and the earlier in
/// the message), not an infeasible contract found by the search. Consecutive published
/// days suffice: a conflict with an earlier one is also one with the shift in between.
fn published_conflicts(
    m: &AgentModel,
    a: &AgentSpec,
    i: usize,
    problem: &PlanProblem,
    cands: &[Cand],
) -> Result<()> {
    let all = problem.candidates();
    let site = problem.sites().iter().find(|s| s.name == a.site);
    // A fixed day's options differ in their breaks only: one start, one end.
    let span = |s: &FixedShiftSpec| {
        let day = usize::try_from((s.date - m.first).num_days()).ok()?;
        let c = *m.options.get(day)?.first()?;
        let shift = &all[cands[c].index].shift;
        Some((shift.start, shift.end))
    };
    let mut order: Vec<usize> = (0..a.fixed_shifts.len()).collect();
    order.sort_by_key(|&k| a.fixed_shifts[k].date);
    let local = |t: chrono::DateTime<chrono::Utc>| match site {
        Some(s) => s.local(t).format("%Y-%m-%d %H:%M").to_string(),
        None => t.format("%Y-%m-%d %H:%M UTC").to_string(),
    };
    for w in order.windows(2) {
        let (k1, k2) = (w[0], w[1]);
        let (Some((_, end1)), Some((start2, _))) =
            (span(&a.fixed_shifts[k1]), span(&a.fixed_shifts[k2]))
        else {
            continue;
        };
        let field = format!("agents[{i}].fixed_shifts[{k2}]");
        let rest = (start2 - end1).num_minutes();
        if rest < 0 {
            return Err(Error::invalid(
                field,
                format!(
                    "starts at {} while agents[{i}].fixed_shifts[{k1}] runs until {}: two \
                     published shifts overlap",
                    local(start2),
                    local(end1)
                ),
            ));
        }
        let need = a.contract.min_rest_hours * 60.0;
        if (rest as f64) < need - 1e-9 {
            return Err(Error::invalid(
                field,
                format!(
                    "starts at {}, {:.1} h after agents[{i}].fixed_shifts[{k1}] ends ({}); \
                     agents[{i}].contract.min_rest_hours is {}",
                    local(start2),
                    rest as f64 / 60.0,
                    local(end1),
                    a.contract.min_rest_hours
                ),
            ));
        }
    }
    Ok(())
}
