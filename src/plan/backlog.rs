//! Backlog work with deadlines (email, tickets) in the planning model.
//!
//! A backlog queue's work does not need to be done in the interval it arrives: it carries
//! over between intervals and through closed hours, and work arriving in interval `i` must
//! be done by the end of interval `i + D - 1` (`D` = the deadline in intervals,
//! [`PlanProblem::with_backlog`]).
//!
//! * The *capacity left to the queue* in interval `s` is, for the agents working at `s`,
//!   the least over the queue's *families* `F` (the queue alone, and every linked set of
//!   queues holding it) of the agents able to serve a queue of `F` less the requirement of
//!   the live queues of `F` other than this one. By Hall's condition this is what a split of
//!   the working agents can give the backlog once every live queue has its requirement.
//! * Served first come, first served (earliest deadline first, as every item has the same
//!   deadline length), all work is done in time exactly when, for every window `(a, t]`,
//!   the capacity left in the window is at least the work that arrives after `a` and is due
//!   by `t`.
//!
//! **Deadline rows.** For one family and the window from the horizon's start to `t`, that
//! condition is a `≥` row on the candidates (cumulative: the work due by `t` against the
//! capacity the family's agents give until `t`, after the family's live requirements). A
//! candidate counts once per working interval in the window, so its coefficient is the
//! number of those intervals (its row entry is repeated that many times). The model holds
//! these rows for every family, for `t` every deadline and at the end. They hold for any plan
//! that finishes the work in time, so the relaxation they make gives a lower bound; but they
//! are weaker than the per-interval least over the families (the least of sums is not the
//! sum of leasts), so a plan meeting them may still finish work late.
//!
//! **Solve** ([`solve`]). The plan of the live queues alone and (while half of the work
//! units is left) the plan of the relaxation with the deadline rows each give a capacity profile;
//! the work is replayed through it first come first served, and what it leaves late is
//! spread over its own window (arrival to deadline) where some candidate can serve the
//! queue. That schedule, in whole agents per interval, becomes the queue's requirement (and
//! is added to every linked set holding it), the deadline rows are dropped, and the plan is
//! solved again: a plan meeting the schedule interval by interval finishes every item by its
//! deadline. The cheaper of the two plans is returned, with the better of the two bounds
//! (each is a relaxation of the backlog problem).
//!
//! **Several backlog queues** sharing agents are scheduled one after the other, in priority
//! order (the smallest priority number any template gives the queue, then queue order),
//! each into the capacity the ones before it left: in a family holding an already
//! scheduled backlog queue, its schedule is taken from the agents like a live requirement,
//! so that no agent-interval is given twice ([`PlanProblem::backlog_replays`] replays a
//! roster the same way).
//!
//! Deadline rows span days, so the blocks they link are solved together; problems without
//! backlog queues get no such row and are solved exactly as before.

use super::problem::PlanProblem;
use super::result::{Plan, PlanStatus, PlannedShift};
use super::SolveOptions;
use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::shifts::ShiftInstance;
use std::collections::VecDeque;

#[path = "backlog_replay.rs"]
mod replay;
pub use replay::{fluid_replay, FluidReplay};

const EPS: f64 = 1e-6;

/// One backlog queue as the planner sees it.
#[derive(Debug, Clone)]
pub(crate) struct BacklogWork {
    /// The queue (index into the problem's queues).
    pub queue: usize,
    /// Work arriving per interval, in scheduled agent-intervals.
    pub work: Vec<f64>,
    /// Intervals from arrival to deadline.
    pub deadline: usize,
    /// Families: `[queue]` first, then every linked set holding it (indices into
    /// `PlanProblem::unions`, shifted by one).
    pub families: Vec<Family>,
}

/// A set of queues whose agents may give capacity to a backlog queue.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Family {
    /// The backlog queue alone.
    Alone,
    /// A linked set (index into `PlanProblem::unions`).
    Set(usize),
}

/// A deadline row: over intervals `lo..lo + family.len()`, the agents able to serve the
/// interval's family must give at least `work` more than the families' live requirements.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeadlineRow {
    /// Index into `PlanProblem::backlogs`.
    pub backlog: usize,
    /// First interval of the window.
    pub lo: usize,
    /// Family of each interval of the window (index into the backlog's families).
    pub family: Vec<usize>,
    /// Work due in the window (scheduled agent-intervals).
    pub work: f64,
}

impl DeadlineRow {
    /// Last interval of the window.
    pub fn last(&self) -> usize {
        self.lo + self.family.len().saturating_sub(1)
    }
}

impl PlanProblem {
    /// Declares `queue` a backlog queue: `work[i]` scheduled agent-intervals of work arrive
    /// in interval `i` (its productive workload divided by one less its shrinkage), and
    /// work arriving in interval `i` must be done by the end of interval
    /// `i + deadline_intervals - 1`. The queue's requirement per interval is then 0 (and
    /// every linked set's requirement is at most the sum of its queues' new requirements):
    /// deadline rows take their place (see `docs/planning.md`). Work whose deadline falls
    /// after the horizon is not required.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] naming `backlog[QUEUE].queue` when the queue has no requirement or
    /// is declared twice, `backlog[QUEUE].work` when it does not have one value per horizon
    /// interval, `backlog[QUEUE].work[i]` for a value that is not a finite number ≥ 0, and
    /// `backlog[QUEUE].deadline_intervals` when the deadline is 0.
    pub fn with_backlog(
        mut self,
        queue: &str,
        work: Vec<f64>,
        deadline_intervals: usize,
    ) -> Result<Self> {
        let field = |f: &str| format!("backlog[{queue}].{f}");
        let q =
            self.queues.iter().position(|n| n == queue).ok_or_else(|| {
                Error::invalid(field("queue"), format!("unknown queue {queue:?}"))
            })?;
        if self.backlogs.iter().any(|b| b.queue == q) {
            return Err(Error::invalid(
                field("queue"),
                "declared a backlog queue twice",
            ));
        }
        if work.len() != self.horizon.len() {
            return Err(Error::invalid(
                field("work"),
                format!(
                    "has {} values but the horizon has {} intervals",
                    work.len(),
                    self.horizon.len()
                ),
            ));
        }
        if let Some((i, w)) = work
            .iter()
            .enumerate()
            .find(|(_, w)| !w.is_finite() || **w < 0.0)
        {
            return Err(Error::invalid(
                format!("backlog[{queue}].work[{i}]"),
                format!("must be a finite number >= 0, got {w}"),
            ));
        }
        if deadline_intervals == 0 {
            return Err(Error::invalid(
                field("deadline_intervals"),
                "must be at least 1",
            ));
        }
        self.requirements[q].iter_mut().for_each(|r| *r = 0);
        for (set, values) in &mut self.unions {
            for (t, v) in values.iter_mut().enumerate() {
                let sum: u32 = set.iter().map(|&k| self.requirements[k][t]).sum();
                *v = (*v).min(sum);
            }
        }
        let mut families = vec![Family::Alone];
        families.extend(
            self.unions
                .iter()
                .enumerate()
                .filter(|(_, (set, _))| set.contains(&q))
                .map(|(k, _)| Family::Set(k)),
        );
        let b = self.backlogs.len();
        self.backlogs.push(BacklogWork {
            queue: q,
            work,
            deadline: deadline_intervals,
            families,
        });
        let rows = initial_rows(&self.backlogs[b], b);
        self.deadline_rows.extend(rows);
        Ok(self)
    }

    /// Whether some queue carries backlog work with deadlines.
    pub fn has_backlog(&self) -> bool {
        !self.backlogs.is_empty()
    }

    /// Live requirement of each family of backlog `b` per interval: the requirement of the
    /// family's queues other than the backlog queue (0 for the queue alone).
    pub(crate) fn family_requirements(&self, b: usize) -> Vec<Vec<f64>> {
        let bw = &self.backlogs[b];
        let n = self.horizon.len();
        bw.families
            .iter()
            .map(|f| match f {
                Family::Alone => vec![0.0; n],
                Family::Set(k) => {
                    let rest: Vec<usize> = self.unions[*k]
                        .0
                        .iter()
                        .copied()
                        .filter(|&x| x != bw.queue)
                        .collect();
                    (0..n)
                        .map(|t| self.requirement_of(&rest, t) as f64)
                        .collect()
                }
            })
            .collect()
    }

    /// Requirement of a set of queues in interval `t`: the sum over its linked parts of
    /// each part's row (a queue's requirement, or its linked set's).
    fn requirement_of(&self, set: &[usize], t: usize) -> u32 {
        let linked =
            |a: usize, b: usize| self.served.iter().any(|s| s.contains(&a) && s.contains(&b));
        let mut seen = vec![false; set.len()];
        let mut total = 0u32;
        for start in 0..set.len() {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut part = vec![set[start]];
            let mut k = 0;
            while k < part.len() {
                for (l, s) in seen.iter_mut().enumerate() {
                    if !*s && linked(part[k], set[l]) {
                        *s = true;
                        part.push(set[l]);
                    }
                }
                k += 1;
            }
            part.sort_unstable();
            let value = if part.len() == 1 {
                self.requirements[part[0]][t]
            } else {
                self.unions.iter().find(|(s, _)| *s == part).map_or_else(
                    || part.iter().map(|&q| self.requirements[q][t]).sum(),
                    |(_, v)| v[t],
                )
            };
            total = total.saturating_add(value);
        }
        total
    }

    /// Whether template `template` serves a queue of family `f` of backlog `b`.
    pub(crate) fn family_served_by(&self, b: usize, f: usize, template: usize) -> bool {
        let bw = &self.backlogs[b];
        let qs = &self.served[template];
        match bw.families[f] {
            Family::Alone => qs.contains(&bw.queue),
            Family::Set(k) => self.unions[k].0.iter().any(|q| qs.contains(q)),
        }
    }

    /// Right-hand side of deadline row `r`.
    pub(crate) fn deadline_rhs(&self, r: &DeadlineRow, family_req: &[Vec<f64>]) -> f64 {
        r.work
            + r.family
                .iter()
                .enumerate()
                .map(|(k, &f)| family_req[f][r.lo + k])
                .sum::<f64>()
    }

    /// Capacity backlog `b` gets per interval from agents working `working[k][t]` shifts of
    /// template `k` at interval `t` (see the module docs), the other backlog queues aside.
    fn capacity(&self, b: usize, working: &[Vec<u32>]) -> Vec<f64> {
        self.capacity_after(b, working, &[])
    }

    /// Agents working per template and interval for `shifts` (matched to templates by site
    /// and name; shifts of unknown templates are skipped).
    fn working_of<'a>(
        &self,
        shifts: impl Iterator<Item = (&'a ShiftInstance, u32)>,
    ) -> Vec<Vec<u32>> {
        let n = self.horizon.len();
        let mut out = vec![vec![0u32; n]; self.templates.len()];
        for (s, count) in shifts {
            let Some(k) = self
                .templates
                .iter()
                .position(|t| t.name == s.template && t.site == s.site)
            else {
                continue;
            };
            for t in s.working_intervals(&self.horizon) {
                if t < n {
                    out[k][t] += count;
                }
            }
        }
        out
    }

    /// Per backlog queue (name), the capacity the shifts leave it per interval, in
    /// scheduled agents: the least, over the queue and every linked set holding it, of the
    /// agents working able to serve the set less the requirement of its other queues.
    pub fn backlog_capacity(&self, shifts: &[ShiftInstance]) -> Vec<(String, Vec<f64>)> {
        let working = self.working_of(shifts.iter().map(|s| (s, 1)));
        (0..self.backlogs.len())
            .map(|b| {
                (
                    self.queues[self.backlogs[b].queue].clone(),
                    self.capacity(b, &working),
                )
            })
            .collect()
    }

    /// The problem with each backlog queue's work scheduled into the capacity `shifts` leave
    /// it: first come first served through that capacity, and the work it leaves late
    /// spread evenly over the intervals of its own window (arrival to deadline) in which some
    /// candidate can serve the queue. The schedule, in whole agents per interval, becomes
    /// the queue's requirement and is added to every linked set holding it; deadline rows
    /// are dropped (a plan meeting the schedule finishes every item in time).
    fn scheduled(&self, shifts: &[PlannedShift]) -> PlanProblem {
        let working = self.working_of(shifts.iter().map(|s| (&s.shift, s.count)));
        let n = self.horizon.len();
        let mut out = self.clone();
        // Backlog queues sharing agents are scheduled one after the other (priority order),
        // each into the capacity the ones before it left.
        let mut used = vec![vec![0.0; n]; self.backlogs.len()];
        for b in self.backlog_order() {
            let bw = &self.backlogs[b];
            let cap = self.capacity_after(b, &working, &used);
            let mut open = vec![false; n];
            for c in &self.candidates {
                if self.served[c.template].contains(&bw.queue) {
                    for &t in &c.working {
                        open[t] = true;
                    }
                }
            }
            let mut y = vec![0.0; n];
            let mut queue: VecDeque<(usize, f64)> = VecDeque::new();
            for t in 0..n {
                if bw.work[t] > 0.0 {
                    queue.push_back((t, bw.work[t]));
                }
                let mut c = cap[t];
                while c > 0.0 {
                    let Some(front) = queue.front_mut() else {
                        break;
                    };
                    let take = front.1.min(c);
                    front.1 -= take;
                    c -= take;
                    y[t] += take;
                    if front.1 <= EPS {
                        queue.pop_front();
                    }
                }
                if let Some(&(i, left)) = queue.front() {
                    if i + bw.deadline - 1 == t {
                        queue.pop_front();
                        let slots: Vec<usize> = (i..=t).filter(|&s| open[s]).collect();
                        for &s in &slots {
                            y[s] += left / slots.len() as f64;
                        }
                    }
                }
            }
            let req: Vec<u32> = y
                .iter()
                .map(|&v| (v - EPS).ceil().max(0.0) as u32)
                .collect();
            used[b] = req.iter().map(|&r| f64::from(r)).collect();
            out.requirements[bw.queue] = req.clone();
            for (set, values) in &mut out.unions {
                if set.contains(&bw.queue) {
                    for (v, &r) in values.iter_mut().zip(&req) {
                        *v = v.saturating_add(r);
                    }
                }
            }
        }
        out.backlogs.clear();
        out.deadline_rows.clear();
        out
    }
}

/// The cumulative rows of a backlog: for each family, the work due by `t` against the
/// capacity from the horizon's start to `t`, for `t` every deadline and at the end.
fn initial_rows(bw: &BacklogWork, b: usize) -> Vec<DeadlineRow> {
    let n = bw.work.len();
    let d = bw.deadline;
    let stride = d.max(1);
    let mut out = Vec::new();
    for t in (0..n).filter(|&t| (t + 1) % stride == 0 || t + 1 == n) {
        let Some(due_last) = (t + 1).checked_sub(d) else {
            continue;
        };
        let work: f64 = bw.work[..=due_last].iter().sum();
        if work <= EPS {
            continue;
        }
        for f in 0..bw.families.len() {
            out.push(DeadlineRow {
                backlog: b,
                lo: 0,
                family: vec![f; t + 1],
                work,
            });
        }
    }
    out
}

/// Solves a problem with backlog queues (see the module docs). Two starting plans: the
/// plan of the live queues alone (a fifth of the work), and (while half of the work units
/// is left) the plan of the relaxation with the cumulative deadline rows (a quarter of
/// the work left). The backlog work is scheduled into each one's capacity and the plan
/// meeting the schedule interval by interval is solved, each with half of the work left
/// after the starting plans (the second with all that is then left); the cheaper is
/// returned, with the best of the two lower bounds (both relaxations).
pub(crate) fn solve(problem: &PlanProblem, options: &SolveOptions) -> Result<Plan> {
    solve_on(problem, options, &super::pace::Meter::new())
}

/// [`solve`] with its work counted on `meter`.
pub(crate) fn solve_on(
    problem: &PlanProblem,
    options: &SolveOptions,
    meter: &super::pace::Meter,
) -> Result<Plan> {
    let limit = options.time_limit_seconds;
    let budget = Budget::from_seconds(limit, options.stop.clone());
    // The four solves share the work: each gets a share of the work left, so where each
    // ends does not depend on the clock. As a safety net each also runs under twice that
    // share of the time left (all of it at most): on a busy machine, where the work takes
    // longer than the limit, a solve cut there (status `time_limit`) leaves time for the
    // later ones.
    let total = options.work_units();
    let left = || budget.remaining_seconds().max(0.01);
    let quiet = |share: f64| {
        let mut o = options.clone();
        o.observer = None;
        o.time_limit_seconds = left() * (2.0 * share).min(1.0);
        let work_left = total.saturating_sub(meter.done()) as f64;
        o.work = Some(((work_left * share).ceil() as u64).max(1));
        o
    };
    let mut live = problem.clone();
    live.deadline_rows.clear();
    // The two starting plans first (each usually quick: its work left unused goes on), then
    // the two plans meeting a schedule, which is where the plan is made and improved: each
    // gets half of the work left then (the second all that is left).
    let first = super::solve_paced(&live, &quiet(0.2), meter)?;
    let mut bound = first.lower_bound;
    let relaxed = if !problem.deadline_rows.is_empty() && meter.done() < total / 2 && !meter.cut() {
        let r = super::solve_paced(problem, &quiet(0.25), meter)?;
        bound = bound.max(r.lower_bound);
        Some(r)
    } else {
        None
    };
    let share = if relaxed.is_some() { 0.5 } else { 1.0 };
    let mut best = super::solve_paced(&live.scheduled(&first.shifts), &quiet(share), meter)?;
    if let Some(r) = relaxed {
        let second = super::solve_paced(&problem.scheduled(&r.shifts), &quiet(1.0), meter)?;
        if second.objective < best.objective - 1e-9 {
            best = second;
        }
    }
    // Any plan finishing the work in time meets both relaxations' rows: their bounds hold.
    let mut plan = best;
    plan.lower_bound = bound.min(plan.objective);
    plan.gap = super::relative_gap(plan.objective, plan.lower_bound);
    // A cut in any of the solves (recorded on the shared meter) may change the plan.
    plan.status = if meter.cut() || budget.stop_requested() {
        PlanStatus::TimeLimit
    } else if plan.gap <= 1e-9 {
        PlanStatus::Optimal
    } else if plan.gap <= options.gap {
        PlanStatus::WithinGap
    } else {
        PlanStatus::AboveGap
    };
    plan.solve_seconds = budget.elapsed().as_secs_f64();
    if let Some(o) = &options.observer {
        o(&super::PlanEvent::Done {
            objective: plan.objective,
            lower_bound: plan.lower_bound,
            gap: plan.gap,
        });
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_counts_late_items_and_keeps_working_them() {
        // 4 units arrive at 0 due within 2 intervals; 1 unit of capacity per interval.
        let r = fluid_replay(
            &[4.0, 0.0, 0.0, 0.0, 0.0],
            &[8.0, 0.0, 0.0, 0.0, 0.0],
            2,
            &[1.0; 5],
        );
        assert_eq!(r.done, vec![1.0, 1.0, 1.0, 1.0, 0.0]);
        assert_eq!(r.waiting_items, vec![6.0, 4.0, 2.0, 0.0, 0.0]);
        assert_eq!(r.due_items, 8.0);
        assert_eq!(r.late_items, 4.0);
        assert_eq!(r.on_time_share(), Some(0.5));
    }
}
