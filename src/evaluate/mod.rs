//! What a roster delivers: who is on the phones per queue and interval, what the queueing
//! model predicts with that staffing, and the headline numbers of a plan.
//!
//! # Model
//!
//! * **Scheduled** agents of a queue in an interval are the roster's shifts that serve that
//!   queue (through [`Routing`]: each site and template serves one queue) and that are
//!   *working for the whole interval*: on shift and not on a break at any instant of it.
//!   An agent whose break or shift edge covers only part of an interval does not count for
//!   that interval (this is [`ShiftInstance::works_during`]). Breaks and shifts built on the
//!   planning grid never cut an interval, so the rule only matters for hand-edited rosters,
//!   where it errs on the side of under-counting rather than promising service that a
//!   half-present agent cannot give.
//! * **Required** agents are given by the caller (the demand stage: scheduled agents needed
//!   after shrinkage); so are volume and handle time per interval, used for weighting.
//! * **Predicted KPIs** (service level, average speed of answer, occupancy) come from a
//!   caller-supplied function of `(queue, interval, scheduled)`, so that this module does not
//!   depend on a particular queueing model: the caller applies shrinkage and the model
//!   (Erlang C, Erlang A, chat concurrency) its scenario asks for.
//! * Parts of shifts outside the horizon are ignored for coverage; paid hours count whole
//!   shifts.
//!
//! [`recount_scheduled`] recomputes the scheduled counts from the roster alone by a
//! different method (working segments and interval arithmetic) so that tests can check the
//! evaluator and the files it writes against an independent count.

mod blend;
mod check;
mod recount;
mod schedule_summary;
mod simulated;
mod summary;

pub use blend::{BacklogCurve, SkillGroup, SkillMix};
pub use check::{check_roster, RosterWarning, MAX_LISTED_WARNINGS};
pub use recount::recount_scheduled;
pub use schedule_summary::{AgentWorkload, ScheduleSummary, Shortfall, MAX_LISTED_SHORTFALLS};
pub use simulated::{SimulatedCoverage, SimulatedQueue, SimulatedSummary, SimulatedValue};
pub use summary::{
    summarize, CheckMiss, CheckSummary, InputWarning, PlanFacts, PlannedFacts, QueueSummary,
    Summary,
};

use crate::error::{check_non_negative, check_positive, Error, Result};
use crate::shifts::ShiftInstance;
use crate::time::{fmt_utc, Horizon};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Demand of one queue over the horizon: volume, average handle time and scheduled agents
/// required, one value per interval of the horizon.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueDemand {
    /// Queue name, as in the scenario.
    pub name: String,
    /// Contacts arriving in each interval.
    pub volume: Vec<f64>,
    /// Average handle time in each interval, in seconds.
    pub aht_seconds: Vec<f64>,
    /// Scheduled agents required in each interval (after shrinkage).
    pub required: Vec<u32>,
}

impl QueueDemand {
    /// Checks that every series has one finite, non-negative value per interval of
    /// `horizon`. `field` names the queue in errors (e.g. `queues[1]`).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `{field}.name` when the name is blank; `{field}.volume`,
    /// `{field}.aht_seconds` or `{field}.required` when its length differs from the horizon's;
    /// `{field}.volume[i] (TIME)` when a volume is negative or not finite; `{field}.aht_seconds[i]
    /// (TIME)` when a handle time is negative or not finite, or not above 0 in an interval with
    /// volume.
    pub fn validate(&self, field: &str, horizon: &Horizon) -> Result<()> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid(format!("{field}.name"), "must not be empty"));
        }
        for (what, len) in [
            ("volume", self.volume.len()),
            ("aht_seconds", self.aht_seconds.len()),
            ("required", self.required.len()),
        ] {
            if len != horizon.len() {
                return Err(Error::invalid(
                    format!("{field}.{what}"),
                    format!(
                        "has {len} values but the horizon has {} intervals",
                        horizon.len()
                    ),
                ));
            }
        }
        for (i, (&v, &a)) in self.volume.iter().zip(&self.aht_seconds).enumerate() {
            let at = fmt_utc(horizon.interval_start(i));
            check_non_negative(&format!("{field}.volume[{i}] ({at})"), v)?;
            let aht_field = format!("{field}.aht_seconds[{i}] ({at})");
            if v > 0.0 {
                // Contacts that take no time to handle are a data error.
                check_positive(&aht_field, a)?;
            } else {
                check_non_negative(&aht_field, a)?;
            }
        }
        Ok(())
    }
}

/// Which queue each (site, shift template) pair serves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Routing {
    map: BTreeMap<(String, String), usize>,
}

impl Routing {
    /// An empty routing.
    pub fn new() -> Self {
        Routing::default()
    }

    /// Says that shifts of `template` at `site` serve queue number `queue`. Giving the same
    /// pair two different queues is an error.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `routing["SITE", "TEMPLATE"]` when the pair already serves another
    /// queue.
    pub fn serve(&mut self, site: &str, template: &str, queue: usize) -> Result<()> {
        let key = (site.to_string(), template.to_string());
        match self.map.get(&key) {
            Some(&q) if q != queue => Err(Error::invalid(
                format!("routing[{site:?}, {template:?}]"),
                format!("already serves queue {q}, cannot also serve queue {queue}"),
            )),
            _ => {
                self.map.insert(key, queue);
                Ok(())
            }
        }
    }

    /// The queue served by `template` at `site`, if known.
    pub fn queue_of(&self, site: &str, template: &str) -> Option<usize> {
        self.map
            .get(&(site.to_string(), template.to_string()))
            .copied()
    }

    /// The queue of roster entry `index`, or an error naming it.
    pub(crate) fn queue_of_entry(
        &self,
        index: usize,
        agent: &str,
        shift: &ShiftInstance,
        queues: usize,
    ) -> Result<usize> {
        let q = self.queue_of(&shift.site, &shift.template).ok_or_else(|| {
            Error::invalid(
                format!("roster[{index}] (agent {agent:?})"),
                format!(
                    "template {:?} at site {:?} serves no queue",
                    shift.template, shift.site
                ),
            )
        })?;
        if q >= queues {
            return Err(Error::invalid(
                format!("routing[{:?}, {:?}]", shift.site, shift.template),
                format!("queue {q} does not exist (there are {queues} queues)"),
            ));
        }
        Ok(q)
    }
}

/// What the queueing model predicts for one queue and interval with a given staffing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalKpi {
    /// Fraction of contacts answered within the target time, in `[0, 1]`.
    pub service_level: f64,
    /// Average speed of answer in seconds, `>= 0`; `f64::INFINITY` when the queue is
    /// unstable (not enough agents for the traffic, so waits grow without bound).
    pub asa_seconds: f64,
    /// Fraction of working time agents spend handling contacts, in `[0, 1]`.
    pub occupancy: f64,
}

impl IntervalKpi {
    /// Checks the ranges documented on the fields; `field` names the value in errors.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `{field}.service_level` or `{field}.occupancy` when not in `[0,
    /// 1]`, or `{field}.asa_seconds` when NaN or negative.
    pub fn validate(&self, field: &str) -> Result<()> {
        for (what, v) in [
            ("service_level", self.service_level),
            ("occupancy", self.occupancy),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::invalid(
                    format!("{field}.{what}"),
                    format!("must be in [0, 1], got {v}"),
                ));
            }
        }
        if self.asa_seconds.is_nan() || self.asa_seconds < 0.0 {
            return Err(Error::invalid(
                format!("{field}.asa_seconds"),
                format!("must be >= 0 (or infinite), got {}", self.asa_seconds),
            ));
        }
        Ok(())
    }
}

/// One queue and interval of a [`Coverage`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Scheduled agents required.
    pub required: u32,
    /// Agents on shift, serving this queue and not on break for the whole interval.
    pub scheduled: u32,
    /// What the queueing model predicts with `scheduled` agents.
    pub kpi: IntervalKpi,
    /// Backlog queues: items waiting at the interval's end in a fluid replay of the roster
    /// (see `docs/planning.md`); `None` for live queues.
    pub backlog: Option<f64>,
}

/// Coverage of one queue: one [`Cell`] per interval.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueCoverage {
    /// Queue name.
    pub name: String,
    /// One cell per interval of the horizon.
    pub cells: Vec<Cell>,
}

/// Coverage of every queue over the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The planning grid.
    pub horizon: Horizon,
    /// One entry per queue, in the order of the demands given.
    pub queues: Vec<QueueCoverage>,
    /// Simulated service level beside the prediction, when a simulation was run.
    pub simulated: Option<SimulatedCoverage>,
    /// Backlog queues: the replay of the roster per interval (empty when no queue carries
    /// backlog work or the caller did not replay it).
    pub backlog: Vec<BacklogCurve>,
    /// The roster's skill mix, when some template serves several queues.
    pub skill_mix: Option<SkillMix>,
}

/// A roster: agent name and the shift they work, one entry per agent-shift.
pub type AgentShifts = [(String, ShiftInstance)];

/// The caller's queueing model: `(queue index, interval index, scheduled agents)` → KPIs.
pub type KpiFn<'a> = dyn Fn(usize, usize, u32) -> Result<IntervalKpi> + 'a;

/// Checks one roster entry: a name, a positive span, breaks in order inside the shift.
///
/// # Errors
///
/// [`Error::Invalid`] naming `roster[index].agent` when the agent's name is blank; `roster[index]
/// (agent "NAME").end` when the shift does not end after it starts; `roster[index] (agent
/// "NAME").breaks[j]` when a break does not end after it starts, or is not inside the shift after
/// the previous break.
pub fn validate_entry(index: usize, agent: &str, shift: &ShiftInstance) -> Result<()> {
    let field = format!("roster[{index}] (agent {agent:?})");
    if agent.trim().is_empty() {
        return Err(Error::invalid(
            format!("roster[{index}].agent"),
            "must not be empty",
        ));
    }
    if shift.end <= shift.start {
        return Err(Error::invalid(
            format!("{field}.end"),
            format!(
                "must be after the start {} (got {})",
                fmt_utc(shift.start),
                fmt_utc(shift.end)
            ),
        ));
    }
    let mut prev_end = shift.start;
    for (j, b) in shift.breaks.iter().enumerate() {
        if b.end <= b.start {
            return Err(Error::invalid(
                format!("{field}.breaks[{j}]"),
                "must end after it starts",
            ));
        }
        if b.start < prev_end || b.end > shift.end {
            return Err(Error::invalid(
                format!("{field}.breaks[{j}]"),
                format!(
                    "{}/{} must lie inside the shift {}/{}, after the previous break",
                    fmt_utc(b.start),
                    fmt_utc(b.end),
                    fmt_utc(shift.start),
                    fmt_utc(shift.end)
                ),
            ));
        }
        prev_end = b.end;
    }
    Ok(())
}

/// Scheduled agents per queue (outer) and interval (inner): shifts serving the queue that
/// work the whole interval (see the module docs).
///
/// # Errors
///
/// The errors of [`validate_entry`] for each entry; [`Error::Invalid`] naming `roster[index] (agent
/// "NAME")` when its site and template serve no queue in `routing`, or `routing["SITE",
/// "TEMPLATE"]` when the queue it names is not below `queues`.
pub fn scheduled_counts(
    horizon: &Horizon,
    queues: usize,
    routing: &Routing,
    roster: &AgentShifts,
) -> Result<Vec<Vec<u32>>> {
    let mut counts = vec![vec![0u32; horizon.len()]; queues];
    for (index, (agent, shift)) in roster.iter().enumerate() {
        validate_entry(index, agent, shift)?;
        let q = routing.queue_of_entry(index, agent, shift, queues)?;
        if let Some(row) = counts.get_mut(q) {
            for i in shift.working_intervals(horizon) {
                if let Some(c) = row.get_mut(i) {
                    *c = c.saturating_add(1);
                }
            }
        }
    }
    Ok(counts)
}

/// Evaluates a roster against the demands: scheduled agents per queue and interval and the
/// KPIs `kpi` predicts for them. Every KPI is checked ([`IntervalKpi::validate`]).
///
/// # Errors
///
/// The errors of [`QueueDemand::validate`] (each demand named `queues[q]`), of [`scheduled_counts`]
/// for the roster, and of [`evaluate_counts`] for the KPIs.
pub fn evaluate(
    horizon: &Horizon,
    demands: &[QueueDemand],
    routing: &Routing,
    roster: &AgentShifts,
    kpi: &KpiFn<'_>,
) -> Result<Coverage> {
    for (q, d) in demands.iter().enumerate() {
        d.validate(&format!("queues[{q}]"), horizon)?;
    }
    let counts = scheduled_counts(horizon, demands.len(), routing, roster)?;
    evaluate_counts(horizon, demands, counts, kpi)
}

/// [`evaluate`] with the scheduled agents per queue (outer) and interval (inner) given,
/// e.g. multi-skill agents split across the queues they serve.
///
/// # Errors
///
/// The errors of [`QueueDemand::validate`] (each demand named `queues[q]`); [`Error::Invalid`]
/// naming `counts` when there is not one row per demand and one value per interval; whatever `kpi`
/// returns; [`Error::Invalid`] naming `kpi of queue "NAME" at TIME` when a KPI fails
/// [`IntervalKpi::validate`].
pub fn evaluate_counts(
    horizon: &Horizon,
    demands: &[QueueDemand],
    counts: Vec<Vec<u32>>,
    kpi: &KpiFn<'_>,
) -> Result<Coverage> {
    for (q, d) in demands.iter().enumerate() {
        d.validate(&format!("queues[{q}]"), horizon)?;
    }
    if counts.len() != demands.len() || counts.iter().any(|c| c.len() != horizon.len()) {
        return Err(Error::invalid(
            "counts",
            "one row per queue and one value per interval are needed",
        ));
    }
    let mut queues = Vec::with_capacity(demands.len());
    for (q, (d, row)) in demands.iter().zip(counts).enumerate() {
        let mut cells = Vec::with_capacity(horizon.len());
        for (i, (&required, scheduled)) in d.required.iter().zip(row).enumerate() {
            let k = kpi(q, i, scheduled)?;
            k.validate(&format!(
                "kpi of queue {:?} at {}",
                d.name,
                fmt_utc(horizon.interval_start(i))
            ))?;
            cells.push(Cell {
                required,
                scheduled,
                kpi: k,
                backlog: None,
            });
        }
        queues.push(QueueCoverage {
            name: d.name.clone(),
            cells,
        });
    }
    Ok(Coverage {
        horizon: *horizon,
        queues,
        simulated: None,
        backlog: Vec::new(),
        skill_mix: None,
    })
}

#[cfg(test)]
mod tests;
