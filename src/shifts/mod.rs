//! Shift templates and their expansion into concrete shifts on the UTC grid.
//!
//! [`ShiftInstance`] is the concrete shift every later stage works with: the planner chooses
//! how many of each, the roster gives each one to an agent, the evaluator counts who is on
//! the phones per interval.
//!
//! * [`template`]: [`ShiftTemplate`] (paid length, local start windows per weekday, start
//!   step, breaks with placement windows, cost, min/max count) and its validation.
//! * [`expand`](mod@expand): templates → [`Candidate`]s on the UTC grid, daylight saving included.
//!
//! # Model
//!
//! A shift's span is its paid length plus its unpaid breaks. Starts, lengths, break lengths
//! and break offsets are whole multiples of the horizon's interval, so an agent either works
//! a whole interval or not at all. An agent on break does not count toward coverage. A shift
//! belongs to the local date it starts on; it may cross local midnight unless its template
//! forbids it (`cross_midnight: false`: the shift must end by the next local midnight, which
//! on a daylight-saving day is 23 or 25 hours after the previous one).

pub mod expand;
pub mod template;

pub use expand::{expand, local_dates, Candidate};
pub use template::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, Skill, StartWindow};

use crate::time::Horizon;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A break inside a concrete shift. An agent on break does not count toward coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Break {
    /// First instant of the break (UTC).
    pub start: DateTime<Utc>,
    /// First instant after the break (UTC).
    pub end: DateTime<Utc>,
    /// Paid breaks count toward paid minutes; an unpaid lunch does not.
    pub paid: bool,
}

/// One concrete shift: a site, the template it came from, UTC start and end, and its breaks.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShiftInstance {
    /// Site name.
    pub site: String,
    /// Template name.
    pub template: String,
    /// First instant of the shift (UTC).
    pub start: DateTime<Utc>,
    /// First instant after the shift (UTC).
    pub end: DateTime<Utc>,
    /// Breaks, in time order, inside `[start, end)`.
    pub breaks: Vec<Break>,
}

impl ShiftInstance {
    /// Minutes from start to end.
    pub fn span_minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
    }

    /// Paid minutes: the span less unpaid breaks.
    pub fn paid_minutes(&self) -> i64 {
        let unpaid: i64 = self
            .breaks
            .iter()
            .filter(|b| !b.paid)
            .map(|b| (b.end - b.start).num_minutes())
            .sum();
        self.span_minutes() - unpaid
    }

    /// Whether the agent is working (on shift and not on break) for the whole of
    /// `[t, t + minutes)`.
    pub fn works_during(&self, t: DateTime<Utc>, minutes: i64) -> bool {
        let e = t + chrono::Duration::minutes(minutes);
        t >= self.start && e <= self.end && self.breaks.iter().all(|b| e <= b.start || t >= b.end)
    }

    /// Indices of the horizon's intervals during which the agent works (on shift and not on
    /// break for the whole interval). Parts of the shift outside the horizon are ignored.
    pub fn working_intervals(&self, horizon: &Horizon) -> Vec<usize> {
        let m = horizon.interval_minutes() as i64;
        let first = if self.start <= horizon.start() {
            0
        } else {
            match horizon.index_containing(self.start) {
                Some(i) => i,
                None => return Vec::new(),
            }
        };
        (first..horizon.len())
            .take_while(|&i| horizon.interval_start(i) < self.end)
            .filter(|&i| self.works_during(horizon.interval_start(i), m))
            .collect()
    }
}
