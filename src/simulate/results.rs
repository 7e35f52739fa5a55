//! What a simulation reports, and the accumulator that folds replications into it with
//! memory independent of their number.

use super::engine::{Cell, RepResult};
use super::stats::{ratio, Estimate, Running};
use crate::time::Horizon;
use serde::Serialize;

/// The figures of one queue, per interval or over the horizon; each is a mean over
/// replications with its 95 % interval.
///
/// Contacts count in the interval of their arrival; agent time (occupancy) in the interval
/// it was spent in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Figures {
    /// Contacts offered.
    pub offered: Estimate,
    /// Contacts answered (before the horizon end).
    pub answered: Estimate,
    /// Contacts that abandoned.
    pub abandoned: Estimate,
    /// Contacts answered within the threshold (backlog: within the deadline).
    pub answered_within: Estimate,
    /// Contacts still waiting at the horizon end.
    pub still_waiting: Estimate,
    /// Answered within the threshold over offered (abandoned and still waiting count as
    /// not in time, as in `docs/queueing.md`).
    pub service_level: Estimate,
    /// Mean time in queue over all offered contacts (to answer, abandonment or the horizon
    /// end), seconds.
    pub asa_seconds: Estimate,
    /// Share of offered contacts that waited at all.
    pub wait_probability: Estimate,
    /// Share of offered contacts that abandoned.
    pub abandon_share: Estimate,
    /// Agent time handling this queue's contacts over that time plus the time agents able
    /// to take one were free (an idle agent with several skills counts for each; a chat
    /// session counts `1/concurrency` of an agent).
    pub occupancy: Estimate,
    /// Backlog items waiting at the interval's end (horizon end for totals).
    pub backlog_end: Estimate,
    /// Of those, items already past their deadline.
    pub past_deadline_end: Estimate,
    /// Items (by arrival) answered after their deadline or still waiting past it at the
    /// horizon end.
    pub late: Estimate,
}

const FIGURES: usize = 13;

fn values(c: &Cell) -> [f64; FIGURES] {
    let off = c.offered as f64;
    [
        off,
        c.answered as f64,
        c.abandoned as f64,
        c.within as f64,
        c.still_waiting as f64,
        ratio(c.within as f64, off),
        ratio(c.wait_sum, off),
        ratio(c.delayed as f64, off),
        ratio(c.abandoned as f64, off),
        ratio(c.busy, c.busy + c.idle),
        c.backlog_end as f64,
        c.overdue_end as f64,
        c.late as f64,
    ]
}

fn figures(r: &[Running; FIGURES]) -> Figures {
    let e = |k: usize| r[k].estimate();
    Figures {
        offered: e(0),
        answered: e(1),
        abandoned: e(2),
        answered_within: e(3),
        still_waiting: e(4),
        service_level: e(5),
        asa_seconds: e(6),
        wait_probability: e(7),
        abandon_share: e(8),
        occupancy: e(9),
        backlog_end: e(10),
        past_deadline_end: e(11),
        late: e(12),
    }
}

/// Results of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueResult {
    /// Queue name.
    pub name: String,
    /// One entry per interval of the horizon.
    pub intervals: Vec<Figures>,
    /// Over the whole horizon.
    pub total: Figures,
    /// Time-average number of contacts waiting (Little's law: equals offered per second
    /// times the mean time in queue).
    pub mean_waiting: Estimate,
}

/// Results of one agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentResult {
    /// Name, as in the roster.
    pub name: String,
    /// Hours on duty (on shift, not on break) inside the horizon.
    pub duty_hours: f64,
    /// Hours handling contacts (a chat session counts `1/concurrency`).
    pub busy_hours: Estimate,
    /// Busy hours over duty hours (may exceed 1 by work past a break or shift start).
    pub utilisation: Estimate,
    /// Break minutes lost finishing a contact in progress when the break started.
    pub lost_break_minutes: Estimate,
    /// Minutes worked past the shift end finishing a contact in progress.
    pub overtime_minutes: Estimate,
    /// Minutes of time off the phones (shrinkage) lost finishing a contact in progress.
    pub late_off_phone_minutes: Estimate,
}

/// Everything a simulation run reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimResults {
    /// The grid of the per-interval figures.
    pub horizon: Horizon,
    /// Replications run.
    pub replications: u32,
    /// Seed of the run.
    pub seed: u64,
    /// Per queue, in model order.
    pub queues: Vec<QueueResult>,
    /// All queues together over the horizon.
    pub total: Figures,
    /// Per agent, in model order.
    pub agents: Vec<AgentResult>,
    /// Break hours lost over all agents.
    pub lost_break_hours: Estimate,
    /// Hours worked past shift ends over all agents.
    pub overtime_hours: Estimate,
}

/// Folds replications in order.
pub(crate) struct Accumulator {
    n: usize,
    /// Intervals whose contacts count in the totals.
    measured: std::ops::Range<usize>,
    cells: Vec<[Running; FIGURES]>,
    queue_totals: Vec<[Running; FIGURES]>,
    total: [Running; FIGURES],
    mean_waiting: Vec<Running>,
    agents: Vec<[Running; 5]>,
    lost_break: Running,
    overtime: Running,
    duty: Vec<f64>,
    end: f64,
}

impl Accumulator {
    pub fn new(
        queues: usize,
        n: usize,
        measured: std::ops::Range<usize>,
        duty: Vec<f64>,
        end: f64,
    ) -> Self {
        Accumulator {
            n,
            measured,
            cells: vec![[Running::default(); FIGURES]; queues * n],
            queue_totals: vec![[Running::default(); FIGURES]; queues],
            total: [Running::default(); FIGURES],
            mean_waiting: vec![Running::default(); queues],
            agents: vec![[Running::default(); 5]; duty.len()],
            lost_break: Running::default(),
            overtime: Running::default(),
            duty,
            end,
        }
    }

    pub fn add(&mut self, r: &RepResult) {
        let nq = self.queue_totals.len();
        let mut all = Cell::default();
        for q in 0..nq {
            let mut sum = Cell::default();
            for i in 0..self.n {
                let c = &r.cells[q * self.n + i];
                for (acc, v) in self.cells[q * self.n + i].iter_mut().zip(values(c)) {
                    acc.push(v);
                }
                if self.measured.contains(&i) {
                    add_cell(&mut sum, c);
                }
            }
            let last_measured = self.measured.end.saturating_sub(1);
            if let Some(last) = r.cells.get(q * self.n + last_measured) {
                sum.backlog_end = last.backlog_end;
                sum.overdue_end = last.overdue_end;
            }
            for (acc, v) in self.queue_totals[q].iter_mut().zip(values(&sum)) {
                acc.push(v);
            }
            self.mean_waiting[q].push(r.queue_area[q] / self.end);
            add_cell(&mut all, &sum);
            all.backlog_end += sum.backlog_end;
            all.overdue_end += sum.overdue_end;
        }
        for (acc, v) in self.total.iter_mut().zip(values(&all)) {
            acc.push(v);
        }
        for (a, acc) in self.agents.iter_mut().enumerate() {
            acc[0].push(r.agent_busy[a] / 3600.0);
            acc[1].push(ratio(r.agent_busy[a], self.duty[a]));
            acc[2].push(r.lost_break[a] / 60.0);
            acc[3].push(r.overtime[a] / 60.0);
            acc[4].push(r.late_off_phone[a] / 60.0);
        }
        self.lost_break
            .push(r.lost_break.iter().sum::<f64>() / 3600.0);
        self.overtime.push(r.overtime.iter().sum::<f64>() / 3600.0);
    }

    pub fn finish(
        &self,
        horizon: Horizon,
        replications: u32,
        seed: u64,
        queue_names: &[String],
        agent_names: &[String],
    ) -> SimResults {
        let queues = queue_names
            .iter()
            .enumerate()
            .map(|(q, name)| QueueResult {
                name: name.clone(),
                intervals: (0..self.n)
                    .map(|i| figures(&self.cells[q * self.n + i]))
                    .collect(),
                total: figures(&self.queue_totals[q]),
                mean_waiting: self.mean_waiting[q].estimate(),
            })
            .collect();
        let agents = agent_names
            .iter()
            .enumerate()
            .map(|(a, name)| AgentResult {
                name: name.clone(),
                duty_hours: self.duty[a] / 3600.0,
                busy_hours: self.agents[a][0].estimate(),
                utilisation: self.agents[a][1].estimate(),
                lost_break_minutes: self.agents[a][2].estimate(),
                overtime_minutes: self.agents[a][3].estimate(),
                late_off_phone_minutes: self.agents[a][4].estimate(),
            })
            .collect();
        SimResults {
            horizon,
            replications,
            seed,
            queues,
            total: figures(&self.total),
            agents,
            lost_break_hours: self.lost_break.estimate(),
            overtime_hours: self.overtime.estimate(),
        }
    }
}

/// Adds the flow counters of `c` (not the end-of-interval stocks) to `sum`.
fn add_cell(sum: &mut Cell, c: &Cell) {
    sum.offered += c.offered;
    sum.answered += c.answered;
    sum.abandoned += c.abandoned;
    sum.within += c.within;
    sum.delayed += c.delayed;
    sum.still_waiting += c.still_waiting;
    sum.late += c.late;
    sum.wait_sum += c.wait_sum;
    sum.busy += c.busy;
    sum.idle += c.idle;
}
