//! The last step of a plan with backlog queues: drop the shifts it does not need.
//!
//! The plan is solved against a *schedule* of the backlog work (`backlog::scheduled`): a
//! requirement per interval, each rounded up to whole agents, that finishes the work in
//! time. Met interval by interval, the schedule is sufficient but not necessary: the
//! rounding adds up to an agent in every interval with work, and the work could move to
//! intervals where the plan's shifts are there anyway (a shift covers whole hours, the
//! schedule its own shape). So once the plan is made, each planned unit is tried for
//! removal, the most expensive first: a unit goes when every hard row of the live queues
//! (their requirement, each linked set's row, template minimum counts) still holds without
//! it and the replay of every backlog queue through what is left
//! ([`PlanProblem::backlog_replays`], the replay the outputs report) still finishes every
//! item due in the horizon by its deadline and leaves no more work waiting at the
//! horizon's end (work due after it is not required, but the plan keeps doing what it
//! did of it). Removing a unit never breaks a cap or the
//! budget. Soft coverage is left alone (a removal there changes the penalties, which the
//! planner already priced).

use crate::budget::Budget;
use crate::plan::{coverage_of, CoverageMode, Plan, PlanProblem, PlannedShift};
use crate::shifts::ShiftInstance;

/// Fluid work left late below this (in agent-intervals, relative to the work due) counts
/// as none: the replay's own tolerance.
const LATE_EPS: f64 = 1e-6;

/// Drops the units of `plan` that neither the live rows nor the backlog deadlines need
/// (see the module docs); returns how many were dropped, and whether `budget` ran out (or
/// a stop was asked for) before every unit was tried: the plan is then valid but depends
/// on the clock. `plan.coverage` keeps the requirement it was solved against (the backlog
/// schedule) with the scheduled agents recounted.
pub(crate) fn trim(problem: &PlanProblem, plan: &mut Plan, budget: &Budget) -> (usize, bool) {
    if !matches!(problem.rules.coverage, CoverageMode::Hard) || problem.backlogs.is_empty() {
        return (0, false);
    }
    let n = problem.horizon.len();
    let template_of = |s: &PlannedShift| {
        problem
            .templates
            .iter()
            .position(|t| t.name == s.shift.template && t.site == s.shift.site)
    };
    // Slack of every live row: agents able to serve minus the requirement.
    let live: Vec<bool> = (0..problem.queues.len())
        .map(|q| !problem.backlogs.iter().any(|b| b.queue == q))
        .collect();
    let mut queue_slack: Vec<Vec<i64>> = problem
        .requirements
        .iter()
        .map(|r| r.iter().map(|&x| -i64::from(x)).collect())
        .collect();
    let mut union_slack: Vec<Vec<i64>> = problem
        .unions
        .iter()
        .map(|(_, r)| r.iter().map(|&x| -i64::from(x)).collect())
        .collect();
    let mut template_count = vec![0i64; problem.templates.len()];
    let mut working: Vec<Vec<usize>> = Vec::with_capacity(plan.shifts.len());
    let mut templates: Vec<Option<usize>> = Vec::with_capacity(plan.shifts.len());
    for s in &plan.shifts {
        let k = template_of(s);
        let w: Vec<usize> = s
            .shift
            .working_intervals(&problem.horizon)
            .into_iter()
            .filter(|&t| t < n)
            .collect();
        if let Some(k) = k {
            let c = i64::from(s.count);
            template_count[k] += c;
            for &q in &problem.served[k] {
                for &t in &w {
                    queue_slack[q][t] += c;
                }
            }
            for (u, (set, _)) in problem.unions.iter().enumerate() {
                if problem.served[k].iter().any(|q| set.contains(q)) {
                    for &t in &w {
                        union_slack[u][t] += c;
                    }
                }
            }
        }
        working.push(w);
        templates.push(k);
    }
    // Items in proportion to work: the replay's late items are then the late work.
    let items: Vec<Vec<f64>> = problem.backlogs.iter().map(|b| b.work.clone()).collect();
    let replays = |shifts: &[PlannedShift]| {
        let flat: Vec<ShiftInstance> = shifts
            .iter()
            .flat_map(|s| std::iter::repeat_n(s.shift.clone(), s.count as usize))
            .collect();
        problem.backlog_replays(&flat, &items)
    };
    // Work still waiting at the horizon's end (due after it) may not grow either: the plan
    // keeps doing, inside the horizon, the work it did.
    let waiting_at_end = |r: &super::FluidReplay| r.waiting_work.last().copied().unwrap_or(0.0);
    let before = replays(&plan.shifts);
    // A plan that already leaves work late (a cut run) is not judged by this rule.
    if before
        .iter()
        .any(|(_, r)| r.late_items > LATE_EPS * r.due_items.max(1.0))
    {
        return (0, false);
    }
    let on_time = |shifts: &[PlannedShift]| {
        replays(shifts).iter().zip(&before).all(|((_, r), (_, b))| {
            let total: f64 = r.done.iter().sum::<f64>() + waiting_at_end(r);
            r.late_items <= LATE_EPS * r.due_items.max(1.0)
                && waiting_at_end(r) <= waiting_at_end(b) + LATE_EPS * total.max(1.0)
        })
    };
    let mut order: Vec<usize> = (0..plan.shifts.len()).collect();
    order.sort_by(|&a, &b| {
        plan.shifts[b]
            .cost_each
            .total_cmp(&plan.shifts[a].cost_each)
            .then(a.cmp(&b))
    });
    let mut dropped = 0;
    let mut cut = false;
    'units: for i in order {
        let Some(k) = templates[i] else { continue };
        while plan.shifts[i].count > 0 {
            // Each try replays the backlog: the clock and the stop flag are read before it.
            if budget.is_over() {
                cut = true;
                break 'units;
            }
            let min = i64::from(problem.templates[k].min_count.unwrap_or(0));
            let live_ok = template_count[k] > min
                && problem.served[k]
                    .iter()
                    .all(|&q| !live[q] || working[i].iter().all(|&t| queue_slack[q][t] >= 1))
                && problem.unions.iter().enumerate().all(|(u, (set, _))| {
                    !problem.served[k].iter().any(|q| set.contains(q))
                        || working[i].iter().all(|&t| union_slack[u][t] >= 1)
                });
            if !live_ok {
                break;
            }
            plan.shifts[i].count -= 1;
            if !on_time(&plan.shifts) {
                plan.shifts[i].count += 1;
                break;
            }
            dropped += 1;
            template_count[k] -= 1;
            for &q in &problem.served[k] {
                for &t in &working[i] {
                    queue_slack[q][t] -= 1;
                }
            }
            for (u, (set, _)) in problem.unions.iter().enumerate() {
                if problem.served[k].iter().any(|q| set.contains(q)) {
                    for &t in &working[i] {
                        union_slack[u][t] -= 1;
                    }
                }
            }
        }
    }
    if dropped > 0 {
        plan.shifts.retain(|s| s.count > 0);
        plan.cost = plan
            .shifts
            .iter()
            .map(|s| s.cost_each * f64::from(s.count))
            .sum();
        plan.objective = plan.cost + plan.penalty;
        plan.paid_hours = plan
            .shifts
            .iter()
            .map(|s| (s.shift.paid_minutes() * i64::from(s.count)) as f64 / 60.0)
            .sum();
        let scheduled = coverage_of(problem, &plan.shifts);
        for (c, s) in plan.coverage.iter_mut().zip(scheduled) {
            c.scheduled = s;
        }
    }
    (dropped, cut)
}
