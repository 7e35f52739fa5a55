//! An independent recount of scheduled agents, for checking the evaluator and its files.
//!
//! [`super::scheduled_counts`] asks each shift, interval by interval, whether the agent works
//! it. This recount goes the other way round: it cuts each shift into working segments (the
//! shift less its breaks, merged) and adds one to every interval that lies wholly inside a
//! segment, found by integer arithmetic on seconds from the horizon start.

use super::{AgentShifts, Routing};
use crate::error::Result;
use crate::time::Horizon;

/// Scheduled agents per queue (outer) and interval (inner), counted from the roster alone
/// by working segments. Agrees with [`super::scheduled_counts`] on every valid roster.
///
/// # Errors
///
/// The same errors as [`super::scheduled_counts`]: [`Error::Invalid`](crate::Error::Invalid) naming
/// the roster entry (blank agent, a shift that does not end after it starts, a break out of order
/// or outside the shift, a site and template that serve no queue) or the `routing` pair whose queue
/// is not below `queues`.
pub fn recount_scheduled(
    horizon: &Horizon,
    queues: usize,
    routing: &Routing,
    roster: &AgentShifts,
) -> Result<Vec<Vec<u32>>> {
    let step = i64::from(horizon.interval_minutes()) * 60;
    let len = horizon.len() as i64;
    let origin = horizon.start().timestamp();
    let mut counts = vec![vec![0u32; horizon.len()]; queues];
    for (index, (agent, shift)) in roster.iter().enumerate() {
        super::validate_entry(index, agent, shift)?;
        let q = routing.queue_of_entry(index, agent, shift, queues)?;
        // Breaks as second offsets, sorted and merged.
        let mut gaps: Vec<(i64, i64)> = shift
            .breaks
            .iter()
            .map(|b| (b.start.timestamp() - origin, b.end.timestamp() - origin))
            .collect();
        gaps.sort_unstable();
        let mut segments = Vec::new();
        let mut cursor = shift.start.timestamp() - origin;
        let end = shift.end.timestamp() - origin;
        for (gs, ge) in gaps {
            if gs > cursor {
                segments.push((cursor, gs.min(end)));
            }
            cursor = cursor.max(ge);
        }
        if end > cursor {
            segments.push((cursor, end));
        }
        let Some(row) = counts.get_mut(q) else {
            continue;
        };
        for (a, b) in segments {
            // Intervals [k*step, (k+1)*step) with a <= k*step and (k+1)*step <= b.
            let first = a.div_euclid(step) + i64::from(a.rem_euclid(step) != 0);
            let last_excl = b.div_euclid(step);
            for k in first.max(0)..last_excl.min(len) {
                if let Some(c) = usize::try_from(k).ok().and_then(|k| row.get_mut(k)) {
                    *c = c.saturating_add(1);
                }
            }
        }
    }
    Ok(counts)
}
