//! What an export read into interval counts holds: per queue and interval, the contacts
//! offered, handled, abandoned and answered in time, their handle and wait times, and for
//! tickets the backlog and resolution times.

use super::Kind;
use crate::time::Horizon;
use chrono_tz::Tz;
use std::collections::BTreeMap;

/// Counts of one queue in one interval. Contacts are counted in the interval they arrived
/// in; `solved` counts tickets by the interval they were resolved in.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct IntervalCounts {
    /// Contacts that arrived (offered volume; tickets created).
    pub offered: u64,
    /// Contacts served: calls not abandoned (with a handle time when the layout has a
    /// handle column); tickets resolved.
    pub handled: u64,
    /// Contacts abandoned.
    pub abandoned: u64,
    /// Contacts with a handle time.
    pub timed: u64,
    /// Sum of their handle times, seconds.
    pub handle_seconds: f64,
    /// Served contacts with a known wait (time to answer or first reply).
    pub waited: u64,
    /// Sum of their waits, seconds.
    pub wait_seconds: f64,
    /// Contacts answered (first replied to) within the service-level threshold.
    pub within: u64,
    /// Tickets resolved in this interval (by resolution time).
    pub solved: u64,
    /// Tickets of the export open at the end of the interval (created, not yet resolved).
    pub backlog: u64,
}

impl IntervalCounts {
    /// Average handle time, seconds.
    pub fn aht(&self) -> Option<f64> {
        (self.timed > 0).then(|| self.handle_seconds / self.timed as f64)
    }
    /// Average wait of served contacts (ASA; for tickets, mean time to first reply).
    pub fn asa(&self) -> Option<f64> {
        (self.waited > 0).then(|| self.wait_seconds / self.waited as f64)
    }
    /// Share of offered contacts answered within the threshold (abandoned contacts count
    /// as not answered in time); `None` without contacts.
    pub fn service_level(&self) -> Option<f64> {
        (self.offered > 0).then(|| self.within as f64 / self.offered as f64)
    }
    /// Share of offered contacts abandoned.
    pub fn abandon_rate(&self) -> Option<f64> {
        (self.offered > 0).then(|| self.abandoned as f64 / self.offered as f64)
    }
}

/// One queue's history.
#[derive(Debug, Clone)]
pub struct QueueHistory {
    /// Queue name (the queue columns' values joined by ` / `, or `all`).
    pub name: String,
    /// Counts per interval of [`ContactHistory::horizon`].
    pub intervals: Vec<IntervalCounts>,
    /// Resolution times of resolved tickets: whole minutes → number of tickets.
    pub resolution_minutes: BTreeMap<u64, u64>,
    /// Tickets not resolved in the export.
    pub unresolved: u64,
}

impl QueueHistory {
    /// The `p`-quantile (0 < p ≤ 1) of resolution time in minutes (nearest rank).
    pub fn resolution_quantile(&self, p: f64) -> Option<u64> {
        let n: u64 = self.resolution_minutes.values().sum();
        if n == 0 {
            return None;
        }
        let rank = ((p * n as f64).ceil() as u64).clamp(1, n);
        let mut seen = 0;
        for (m, c) in &self.resolution_minutes {
            seen += c;
            if seen >= rank {
                return Some(*m);
            }
        }
        None
    }

    /// Sum of the counts over every interval (backlog: the last interval's).
    pub fn total(&self) -> IntervalCounts {
        let mut t = IntervalCounts::default();
        for c in &self.intervals {
            t.offered += c.offered;
            t.handled += c.handled;
            t.abandoned += c.abandoned;
            t.timed += c.timed;
            t.handle_seconds += c.handle_seconds;
            t.waited += c.waited;
            t.wait_seconds += c.wait_seconds;
            t.within += c.within;
            t.solved += c.solved;
        }
        t.backlog = self.intervals.last().map(|c| c.backlog).unwrap_or(0);
        t
    }
}

/// An export read into interval histories, one per queue.
#[derive(Debug, Clone)]
pub struct ContactHistory {
    /// The grid: whole local days in `zone` from the first arrival's to the last's.
    pub horizon: Horizon,
    /// Zone of local days and of the `interval_start_local` column.
    pub zone: Tz,
    /// Calls or tickets.
    pub kind: Kind,
    /// Service-level threshold, seconds.
    pub within_seconds: f64,
    /// Whether the layout gives waits (so service level and ASA are known).
    pub has_wait: bool,
    /// Queues, by name.
    pub queues: Vec<QueueHistory>,
    /// Data rows read (excluded ones included).
    pub rows: usize,
    /// Rows left out by the layout's exclusion rule.
    pub excluded: usize,
    /// Rows outside the period (`--from`, `--to`), left out.
    pub outside: usize,
    /// Rows left out as exact copies of an earlier row with the same id
    /// ([`Layout::id_column`](super::Layout::id_column)); counted in `rows`.
    pub duplicates: usize,
    /// Whether rows were checked for duplicate ids (the layout's id column was there).
    pub ids_checked: bool,
    /// Lines after the data that are empty or hold a single cell (the footer some report
    /// exports append: report name, "Confidential Information", "Generated By"), left out;
    /// not counted in `rows`.
    pub footer_rows: usize,
}
