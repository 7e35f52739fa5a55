//! Workload per interval → agents required per interval, per queue.
//!
//! A [`Queue`] holds the forecast (contacts offered and average handle time per interval of
//! the [`Horizon`]), its channel and its service targets. [`requirements`] turns it into a
//! [`Requirement`]: productive agents needed per interval by the queueing model, and
//! scheduled agents after shrinkage (what the planner must cover).
//!
//! # Channels
//!
//! * **Voice**: Erlang C, or Erlang A when the queue gives a mean patience. Every interval
//!   is staffed to meet every target on its own (the usual interval-by-interval practice).
//! * **Chat**: as voice, with `concurrency` sessions per agent (see
//!   [`crate::queueing`] for the slot model and its assumptions).
//! * **Backlog** (email, tickets): work that may wait up to `deadline_minutes`. The work
//!   arriving in an interval (`volume × AHT`) is spread evenly over the intervals from its
//!   arrival to its deadline, and the requirement is that fluid workload rounded up to whole
//!   agents. Serving work in arrival order with that staffing finishes every item by its
//!   deadline. Work whose deadline falls after the horizon only counts for the part of its
//!   window inside the horizon.
//!
//! Closed intervals are intervals with zero volume: they need nobody, and their handle time
//! may be 0 (no contacts, no handle time).

use crate::error::{Error, Result};
use crate::queueing::{self, Model, Staffing, Target, Workload};
use crate::time::{fmt_utc, Horizon};
use serde::{Deserialize, Serialize};

/// How contacts of a queue are worked.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", deny_unknown_fields)]
#[non_exhaustive]
pub enum Channel {
    /// Calls: one at a time, answered live.
    #[default]
    Voice,
    /// Chats: up to `concurrency` sessions per agent at once.
    Chat {
        /// Sessions per agent (at least 1).
        concurrency: u32,
    },
    /// Deferrable work (email, tickets) with a handling deadline.
    Backlog {
        /// Minutes within which each item must be handled (at least one interval).
        deadline_minutes: u32,
    },
}

/// One queue's forecast, channel and targets over a horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    /// Queue name (unique in a scenario).
    pub name: String,
    /// Channel.
    pub channel: Channel,
    /// Contacts offered per interval.
    pub volume: Vec<f64>,
    /// Average handle time per interval, seconds. Intervals with zero volume may hold any
    /// positive value.
    pub aht_seconds: Vec<f64>,
    /// Targets each live interval must meet (ignored for backlog queues).
    pub targets: Vec<Target>,
    /// Mean patience in seconds: with it, voice and chat use Erlang A.
    pub patience_seconds: Option<f64>,
    /// Shrinkage in `[0, 1)`.
    pub shrinkage: f64,
}

/// Agents required per interval for one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    /// Queue name.
    pub queue: String,
    /// Contacts offered per interval (as given).
    pub volume: Vec<f64>,
    /// Average handle time per interval (as given).
    pub aht_seconds: Vec<f64>,
    /// Productive agents needed per interval.
    pub productive: Vec<u32>,
    /// Scheduled agents needed per interval (after shrinkage): what a plan must cover.
    pub required: Vec<u32>,
}

impl Queue {
    /// The staffing question for interval `i` (voice and chat).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `queues[NAME].volume[i]` or `queues[NAME].aht_seconds[i]` when the
    /// queue has no value for interval `i`, or (with the interval's UTC start) when the volume is
    /// negative or above the load limits or the handle time is not between 1 s and a day, as for
    /// [`Workload::new`]; naming `queues[NAME].shrinkage` when the shrinkage is negative or above
    /// [`crate::limits::MAX_SHRINKAGE`]; naming `queues[NAME].channel.concurrency` when a chat
    /// concurrency is 0 or above [`crate::limits::MAX_CONCURRENCY`]. Targets are not checked here
    /// but by [`Staffing::solve`].
    pub fn staffing(&self, horizon: &Horizon, i: usize) -> Result<Staffing> {
        let field = |name: &str| format!("queues[{}].{name}[{i}]", self.name);
        let at = || fmt_utc(horizon.interval_start(i));
        let volume = *self
            .volume
            .get(i)
            .ok_or_else(|| Error::invalid(field("volume"), "missing"))?;
        let aht = *self
            .aht_seconds
            .get(i)
            .ok_or_else(|| Error::invalid(field("aht_seconds"), "missing"))?;
        let period = horizon.interval_minutes() as f64 * 60.0;
        let workload = Workload::new(volume, period, aht).map_err(|e| match e {
            Error::Invalid { field: f, reason } => Error::invalid(
                format!("queues[{}].{f}[{i}] (interval {})", self.name, at()),
                reason,
            ),
            other => other,
        })?;
        let mut s = Staffing::new(workload)
            .shrinkage(self.shrinkage)
            .map_err(|e| rename(e, format!("queues[{}].shrinkage", self.name)))?;
        if let Channel::Chat { concurrency } = self.channel {
            s = s
                .concurrency(concurrency)
                .map_err(|e| rename(e, format!("queues[{}].channel.concurrency", self.name)))?;
        }
        if let Some(p) = self.patience_seconds {
            s = s.model(Model::ErlangA {
                patience_seconds: p,
            });
        }
        for t in &self.targets {
            s = s.target(*t);
        }
        Ok(s)
    }
}

/// Requirements of `queue` over `horizon`.
///
/// # Errors
///
/// [`Error::Invalid`] naming `queues[NAME].volume` or `queues[NAME].aht_seconds` when its length
/// differs from the horizon's; `queues[NAME].targets` when a voice or chat queue has no target;
/// `queues[NAME].channel.deadline_minutes` when a backlog deadline is not a positive multiple of
/// the interval; an interval's value, the shrinkage, the concurrency or `queues[NAME].targets[j]…`
/// for an out-of-range value, as for [`Queue::staffing`] and [`Staffing::solve`].
/// [`Error::Infeasible`] naming the queue and the interval's UTC start when no staffing meets the
/// targets in that interval.
pub fn requirements(horizon: &Horizon, queue: &Queue) -> Result<Requirement> {
    let n = horizon.len();
    for (name, len) in [
        ("volume", queue.volume.len()),
        ("aht_seconds", queue.aht_seconds.len()),
    ] {
        if len != n {
            return Err(Error::invalid(
                format!("queues[{}].{name}", queue.name),
                format!("has {len} intervals, the horizon has {n}"),
            ));
        }
    }
    let productive = match queue.channel {
        Channel::Voice | Channel::Chat { .. } => {
            if queue.targets.is_empty() {
                return Err(Error::invalid(
                    format!("queues[{}].targets", queue.name),
                    "a voice or chat queue needs at least one target",
                ));
            }
            let mut out = Vec::with_capacity(n);
            for i in 0..n {
                if queue.volume[i] == 0.0 && queue.aht_seconds[i] == 0.0 {
                    out.push(0);
                    continue;
                }
                let s = queue.staffing(horizon, i)?;
                let sol = s.solve().map_err(|e| match e {
                    Error::Invalid { field, reason } => {
                        Error::invalid(format!("queues[{}].{field}", queue.name), reason)
                    }
                    Error::Infeasible { explanation } => Error::Infeasible {
                        explanation: format!(
                            "queue {} at {}: {explanation}",
                            queue.name,
                            fmt_utc(horizon.interval_start(i))
                        ),
                    },
                    other => other,
                })?;
                out.push(sol.agents);
            }
            out
        }
        Channel::Backlog { deadline_minutes } => backlog(horizon, queue, deadline_minutes)?,
    };
    let required = productive
        .iter()
        .map(|&p| queueing::scheduled_agents(p, queue.shrinkage))
        .collect::<Result<Vec<_>>>()
        .map_err(|e| rename(e, format!("queues[{}].shrinkage", queue.name)))?;
    Ok(Requirement {
        queue: queue.name.clone(),
        volume: queue.volume.clone(),
        aht_seconds: queue.aht_seconds.clone(),
        productive,
        required,
    })
}

/// The same error with its field renamed to `field`.
fn rename(e: Error, field: String) -> Error {
    match e {
        Error::Invalid { reason, .. } => Error::Invalid { field, reason },
        other => other,
    }
}

/// Fluid staffing for deferrable work (see the module docs).
fn backlog(horizon: &Horizon, queue: &Queue, deadline_minutes: u32) -> Result<Vec<u32>> {
    let im = horizon.interval_minutes();
    if deadline_minutes < im || deadline_minutes % im != 0 {
        return Err(Error::invalid(
            format!("queues[{}].channel.deadline_minutes", queue.name),
            format!(
                "must be a positive multiple of the {im}-minute interval, got {deadline_minutes}"
            ),
        ));
    }
    let window = (deadline_minutes / im) as usize;
    let period = im as f64 * 60.0;
    let n = horizon.len();
    // Agent-intervals of work added to each interval, via a difference array.
    let mut diff = vec![0.0f64; n + 1];
    for i in 0..n {
        if queue.volume[i] == 0.0 && queue.aht_seconds[i] == 0.0 {
            continue;
        }
        // Validate exactly as voice does (names the field and interval).
        let w =
            Workload::new(queue.volume[i], period, queue.aht_seconds[i]).map_err(|e| match e {
                Error::Invalid { field, reason } => Error::invalid(
                    format!(
                        "queues[{}].{field}[{i}] (interval {})",
                        queue.name,
                        fmt_utc(horizon.interval_start(i))
                    ),
                    reason,
                ),
                other => other,
            })?;
        let per_interval = w.traffic_erlangs() / window as f64;
        diff[i] += per_interval;
        diff[(i + window).min(n)] -= per_interval;
    }
    let mut level = 0.0;
    let mut out = Vec::with_capacity(n);
    for d in diff.iter().take(n) {
        level += d;
        // Whole agents; a level within 1e-9 of an integer is that integer.
        let r = level.round();
        let agents = if (level - r).abs() <= 1e-9 * level.abs().max(1.0) {
            r
        } else {
            level.ceil()
        };
        out.push(agents.max(0.0) as u32);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn horizon(n: usize) -> Horizon {
        Horizon::new(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 30, n).unwrap()
    }

    fn voice(volume: Vec<f64>) -> Queue {
        let n = volume.len();
        Queue {
            name: "sales".into(),
            channel: Channel::Voice,
            volume,
            aht_seconds: vec![180.0; n],
            targets: vec![Target::ServiceLevel {
                fraction: 0.8,
                within_seconds: 20.0,
            }],
            patience_seconds: None,
            shrinkage: 0.3,
        }
    }

    #[test]
    fn voice_matches_the_worked_example() {
        let r = requirements(&horizon(3), &voice(vec![0.0, 100.0, 106.0])).unwrap();
        assert_eq!(r.productive, vec![0, 14, 14]);
        assert_eq!(r.required, vec![0, 20, 20]);
    }

    #[test]
    fn chat_needs_fewer_agents_than_voice() {
        let mut q = voice(vec![300.0; 2]);
        q.aht_seconds = vec![600.0; 2];
        let v = requirements(&horizon(2), &q).unwrap();
        q.channel = Channel::Chat { concurrency: 3 };
        let c = requirements(&horizon(2), &q).unwrap();
        assert!(c.productive[0] * 3 >= v.productive[0]);
        assert!(c.productive[0] < v.productive[0]);
    }

    #[test]
    fn backlog_spreads_work_over_its_deadline() {
        // 60 emails of 10 minutes in the first half hour, due within 2 hours (4 intervals):
        // 600 agent-minutes over 4 × 30 minutes = 5 agents each.
        let mut q = voice(vec![60.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
        q.aht_seconds = vec![600.0; 6];
        q.channel = Channel::Backlog {
            deadline_minutes: 120,
        };
        q.shrinkage = 0.0;
        let r = requirements(&horizon(6), &q).unwrap();
        assert_eq!(r.productive, vec![5, 5, 5, 5, 0, 0]);
        // Total capacity equals total work.
        let cap: u32 = r.productive.iter().sum::<u32>() * 30;
        assert_eq!(cap, 600);
    }

    #[test]
    fn bad_values_name_queue_field_and_interval() {
        let mut q = voice(vec![10.0, -1.0]);
        let e = requirements(&horizon(2), &q).unwrap_err().to_string();
        assert!(e.contains("queues[sales].volume[1]"), "{e}");
        assert!(e.contains("2027-03-08T00:30:00Z"), "{e}");
        q.volume = vec![10.0, 10.0];
        q.aht_seconds = vec![180.0, 0.0];
        let e = requirements(&horizon(2), &q).unwrap_err().to_string();
        assert!(e.contains("aht_seconds[1]"), "{e}");
        q.aht_seconds = vec![180.0];
        let e = requirements(&horizon(2), &q).unwrap_err().to_string();
        assert!(e.contains("has 1 intervals"), "{e}");
        q.aht_seconds = vec![180.0; 2];
        q.shrinkage = 1.0;
        let e = requirements(&horizon(2), &q).unwrap_err().to_string();
        assert!(e.contains("shrinkage"), "{e}");
    }
}
