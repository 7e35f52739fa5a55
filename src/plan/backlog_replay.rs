//! Fluid first-come-first-served replays of backlog work through a capacity profile: one
//! queue alone ([`fluid_replay`]), or every backlog queue of a problem served from the same
//! spare capacity, by priority then due time ([`PlanProblem::backlog_replays`]).

use super::{BacklogWork, Family, EPS};
use crate::plan::PlanProblem;
use crate::shifts::ShiftInstance;
use serde::Serialize;
use std::collections::VecDeque;

/// What a fluid first-come-first-served replay of one backlog queue gives.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FluidReplay {
    /// Work done per interval (in the unit of the work given).
    pub done: Vec<f64>,
    /// Work waiting at the end of each interval.
    pub waiting_work: Vec<f64>,
    /// Items waiting at the end of each interval (each arrival interval's items in
    /// proportion to its work left).
    pub waiting_items: Vec<f64>,
    /// Items whose deadline falls inside the horizon.
    pub due_items: f64,
    /// Of those, items finished after their deadline or not at all.
    pub late_items: f64,
    /// Capacity the replay could use per interval (in the unit of the work given).
    pub capacity: Vec<f64>,
    /// Items whose deadline falls at the end of each interval and that are still waiting
    /// then (they became late in that interval).
    pub late_by_interval: Vec<f64>,
    /// Per arrival interval, the share of its items not late: finished by their deadline,
    /// or with a deadline after the horizon's end (1 when no work arrived).
    pub on_time_by_arrival: Vec<f64>,
    /// Per arrival interval, the mean time its work waited, in intervals: from the
    /// interval it arrived in to the interval it was done in (0 within the same interval);
    /// work still waiting at the horizon's end counts up to the last interval.
    pub wait_by_arrival: Vec<f64>,
}

impl FluidReplay {
    /// Share of the items due inside the horizon that were finished by their deadline
    /// (`None` when no item is due inside the horizon).
    pub fn on_time_share(&self) -> Option<f64> {
        (self.due_items > 0.0).then(|| (1.0 - self.late_items / self.due_items).clamp(0.0, 1.0))
    }
}

/// The state of one queue's replay, stepped interval by interval.
struct Fifo<'a> {
    work: &'a [f64],
    items: &'a [f64],
    deadline: usize,
    queue: VecDeque<(usize, f64)>,
    late_work: Vec<f64>,
    wait_sum: Vec<f64>,
    out: FluidReplay,
}

impl<'a> Fifo<'a> {
    fn new(work: &'a [f64], items: &'a [f64], deadline: usize) -> Self {
        let n = work.len();
        Fifo {
            work,
            items,
            deadline: deadline.max(1),
            queue: VecDeque::new(),
            late_work: vec![0.0; n],
            wait_sum: vec![0.0; n],
            out: FluidReplay {
                done: vec![0.0; n],
                waiting_work: vec![0.0; n],
                waiting_items: vec![0.0; n],
                due_items: 0.0,
                late_items: 0.0,
                capacity: vec![0.0; n],
                late_by_interval: vec![0.0; n],
                on_time_by_arrival: vec![1.0; n],
                wait_by_arrival: vec![0.0; n],
            },
        }
    }

    /// Items of arrival interval `i` in `left` of its work.
    fn share(&self, i: usize, left: f64) -> f64 {
        let w = self.work[i];
        if w > 0.0 {
            self.items.get(i).copied().unwrap_or(0.0) * left / w
        } else {
            0.0
        }
    }

    /// Interval `t`: its work arrives, up to `capacity` is done (oldest first), and what is
    /// due at its end and still waiting is late. Returns the work done.
    fn step(&mut self, t: usize, capacity: f64) -> f64 {
        let n = self.work.len();
        if self.work[t] > 0.0 {
            self.queue.push_back((t, self.work[t]));
        }
        if t + self.deadline <= n {
            self.out.due_items += self.items.get(t).copied().unwrap_or(0.0).max(0.0);
        }
        let mut cap = capacity.max(0.0);
        self.out.capacity[t] = cap;
        while cap > 0.0 {
            let Some(front) = self.queue.front_mut() else {
                break;
            };
            let take = front.1.min(cap);
            front.1 -= take;
            cap -= take;
            self.out.done[t] += take;
            self.wait_sum[front.0] += take * (t - front.0) as f64;
            if front.1 <= EPS * self.work[front.0].max(1.0) {
                self.queue.pop_front();
            }
        }
        for k in 0..self.queue.len() {
            let (i, left) = self.queue[k];
            if i + self.deadline - 1 == t && left > EPS * self.work[i].max(1.0) {
                let late = self.share(i, left);
                self.out.late_items += late;
                self.out.late_by_interval[t] += late;
                self.late_work[i] += left;
            }
        }
        self.out.waiting_work[t] = self.queue.iter().map(|&(_, l)| l).sum();
        self.out.waiting_items[t] = self.queue.iter().map(|&(i, l)| self.share(i, l)).sum();
        self.out.done[t]
    }

    fn finish(mut self) -> FluidReplay {
        let n = self.work.len();
        for &(i, left) in &self.queue {
            self.wait_sum[i] += left * (n.saturating_sub(1) - i) as f64;
        }
        for i in 0..n {
            let w = self.work[i];
            if w > 0.0 {
                self.out.on_time_by_arrival[i] = (1.0 - self.late_work[i] / w).clamp(0.0, 1.0);
                self.out.wait_by_arrival[i] = self.wait_sum[i] / w;
            }
        }
        self.out
    }
}

/// Replays backlog work through a capacity profile, first come first served: `work[i]`
/// (with `items[i]` items) arrives in interval `i`, may be worked from that interval on, and
/// is due by the end of interval `i + deadline - 1`; interval `s` can do `capacity[s]` work.
/// Late work stays in the queue and is still worked.
pub fn fluid_replay(work: &[f64], items: &[f64], deadline: usize, capacity: &[f64]) -> FluidReplay {
    let mut f = Fifo::new(work, items, deadline);
    for t in 0..work.len() {
        f.step(t, capacity.get(t).copied().unwrap_or(0.0));
    }
    f.finish()
}

impl PlanProblem {
    /// Backlog indices in serving order: by the smallest priority number any template
    /// gives the queue, then by queue order.
    pub(crate) fn backlog_order(&self) -> Vec<usize> {
        let priority = |bw: &BacklogWork| {
            self.templates
                .iter()
                .zip(&self.served)
                .filter(|(_, qs)| qs.contains(&bw.queue))
                .flat_map(|(t, _)| t.skill_list())
                .filter(|s| s.queue == self.queues[bw.queue])
                .map(|s| s.priority)
                .min()
                .unwrap_or(u32::MAX)
        };
        let mut order: Vec<usize> = (0..self.backlogs.len()).collect();
        order.sort_by_key(|&b| (priority(&self.backlogs[b]), self.backlogs[b].queue));
        order
    }

    /// Capacity backlog `b` gets per interval from agents working `working[k][t]` shifts of
    /// template `k` at interval `t`, once the backlogs before it have used `used[b'][t]`
    /// (scheduled agents) of the same agents: the least over its families of the agents
    /// able to serve the family, less the family's live requirement and what the other
    /// backlog queues of the family used (see the module docs of `backlog`).
    pub(crate) fn capacity_after(
        &self,
        b: usize,
        working: &[Vec<u32>],
        used: &[Vec<f64>],
    ) -> Vec<f64> {
        let n = self.horizon.len();
        let req = self.family_requirements(b);
        let bw = &self.backlogs[b];
        let families: Vec<(Vec<usize>, Vec<usize>)> = (0..req.len())
            .map(|f| {
                let members = (0..self.templates.len())
                    .filter(|&k| self.family_served_by(b, f, k))
                    .collect();
                let others = match bw.families[f] {
                    Family::Alone => Vec::new(),
                    Family::Set(k) => (0..self.backlogs.len())
                        .filter(|&o| o != b && self.unions[k].0.contains(&self.backlogs[o].queue))
                        .collect(),
                };
                (members, others)
            })
            .collect();
        (0..n)
            .map(|t| {
                families
                    .iter()
                    .zip(&req)
                    .map(|((ks, others), r)| {
                        let able = ks.iter().map(|&k| working[k][t]).sum::<u32>() as f64;
                        let taken: f64 = others
                            .iter()
                            .map(|&o| used.get(o).and_then(|u| u.get(t)).copied().unwrap_or(0.0))
                            .sum();
                        able - r[t] - taken
                    })
                    .fold(f64::INFINITY, f64::min)
                    .max(0.0)
            })
            .collect()
    }

    /// Per backlog queue (name, in the order they were declared), the fluid replay of its
    /// work through the capacity `shifts` leave it: every backlog queue is served from the
    /// same spare capacity, in priority order (the smallest priority number any template
    /// gives the queue, then queue order) and within a queue first come first served, so
    /// that no agent-interval is given twice. `items[b]` holds the items arriving per
    /// interval of the `b`-th backlog queue (missing values count as none); work is in
    /// scheduled agent-intervals, as declared by [`PlanProblem::with_backlog`].
    pub fn backlog_replays(
        &self,
        shifts: &[ShiftInstance],
        items: &[Vec<f64>],
    ) -> Vec<(String, FluidReplay)> {
        let working = self.working_of(shifts.iter().map(|s| (s, 1)));
        let n = self.horizon.len();
        let mut used = vec![vec![0.0; n]; self.backlogs.len()];
        let mut out: Vec<Option<FluidReplay>> = vec![None; self.backlogs.len()];
        let none = Vec::new();
        for b in self.backlog_order() {
            let cap = self.capacity_after(b, &working, &used);
            let bw = &self.backlogs[b];
            let r = fluid_replay(&bw.work, items.get(b).unwrap_or(&none), bw.deadline, &cap);
            used[b] = r.done.clone();
            out[b] = Some(r);
        }
        self.backlogs
            .iter()
            .zip(out)
            .filter_map(|(bw, r)| r.map(|r| (self.queues[bw.queue].clone(), r)))
            .collect()
    }
}
