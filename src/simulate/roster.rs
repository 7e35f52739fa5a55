//! Agents of a roster as the simulator plays them.

use super::model::{Segment, SegmentEnd, SimAgent, SimSkill};
use crate::error::{Error, Result};
use crate::evaluate::{validate_entry, AgentShifts, Routing};
use crate::time::{fmt_utc, Horizon};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

fn seconds(h: &Horizon, t: DateTime<Utc>) -> f64 {
    (t - h.start()).num_milliseconds() as f64 / 1000.0
}

/// One [`SimAgent`] per roster agent and queue served (the roster's skills: each site and
/// template serves one queue through `routing`), with its shifts cut at the breaks into
/// working segments. Entries are checked as [`crate::evaluate`] checks them; two shifts
/// of one agent that overlap are an error naming both.
///
/// # Errors
///
/// The errors of [`validate_entry`] and of routing each entry, as for
/// [`crate::evaluate::scheduled_counts`]; [`Error::Invalid`] naming `roster[k] (agent "NAME")` when
/// a shift overlaps another shift of the same agent.
pub fn agents_from_roster(
    horizon: &Horizon,
    roster: &AgentShifts,
    routing: &Routing,
    queues: usize,
) -> Result<Vec<SimAgent>> {
    let mut index: HashMap<(&str, usize), usize> = HashMap::new();
    let mut agents: Vec<SimAgent> = Vec::new();
    let mut origin: Vec<Vec<usize>> = Vec::new();
    for (k, (agent, shift)) in roster.iter().enumerate() {
        validate_entry(k, agent, shift)?;
        let q = routing.queue_of_entry(k, agent, shift, queues)?;
        let slot = *index.entry((agent.as_str(), q)).or_insert_with(|| {
            agents.push(SimAgent {
                name: agent.clone(),
                skills: vec![SimSkill {
                    queue: q,
                    priority: 0,
                }],
                segments: Vec::new(),
            });
            origin.push(Vec::new());
            agents.len() - 1
        });
        let a = &mut agents[slot];
        let mut from = shift.start;
        for b in &shift.breaks {
            if b.start > from {
                a.segments.push(Segment {
                    start: seconds(horizon, from),
                    end: seconds(horizon, b.start),
                    then: SegmentEnd::Break,
                });
                origin[slot].push(k);
            }
            from = b.end;
        }
        if shift.end > from {
            a.segments.push(Segment {
                start: seconds(horizon, from),
                end: seconds(horizon, shift.end),
                then: SegmentEnd::ShiftEnd,
            });
            origin[slot].push(k);
        }
    }
    for (a, from) in agents.iter_mut().zip(&origin) {
        let mut order: Vec<usize> = (0..a.segments.len()).collect();
        order.sort_by(|&x, &y| a.segments[x].start.total_cmp(&a.segments[y].start));
        let segs: Vec<Segment> = order.iter().map(|&k| a.segments[k]).collect();
        for w in 1..order.len() {
            if segs[w].start < segs[w - 1].end {
                let (k1, k2) = (from[order[w - 1]], from[order[w]]);
                return Err(Error::invalid(
                    format!("roster[{k2}] (agent {:?})", a.name),
                    format!(
                        "the shift starting {} overlaps roster[{k1}], a shift of the same agent \
                         starting {}",
                        fmt_utc(roster[k2].1.start),
                        fmt_utc(roster[k1].1.start)
                    ),
                ));
            }
        }
        a.segments = segs;
    }
    Ok(agents)
}
