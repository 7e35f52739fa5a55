//! Multi-skill templates in a scenario: validation of `templates[i].skills`, and the pooled
//! requirements the planner puts on every union of queues served by common people.
//!
//! A template serves one queue (`"queue"`) or several (`"skills"`, each a queue and a
//! priority); exactly one of the two. After validation, a multi-skill template's `queue`
//! holds its primary queue (the first skill of the smallest priority number), which is the
//! queue its shifts are listed under in per-shift outputs.
//!
//! # Scheduled agents per queue
//!
//! With multi-skill templates, the coverage (`coverage.csv`'s `scheduled`, and the KPIs
//! predicted from it) splits each interval's working agents across the queues they serve,
//! each agent counted once: as much of every queue's requirement as the split can cover
//! (a maximum flow from skill groups to queues), and the agents left over to their
//! template's primary queue. The queueing formulas then see each queue alone, so where the
//! plan relies on pooling a queue may show fewer agents than its single-queue requirement;
//! the simulation (`--simulate`, `--check-rounds`) plays the pooled routing itself.
//!
//! # Pooled requirements
//!
//! For a set `S` of queues that some templates link together (see
//! [`crate::plan::PlanProblem::pooled_sets`]), the pooled requirement of an interval is the
//! staffing of the combined live traffic of `S` (each queue's Erlangs divided by its chat
//! concurrency) as one fully flexible team, converted to scheduled agents with the
//! smallest shrinkage of the live queues of `S` (backlog queues have deadline rows of their
//! own, see [`crate::plan::PlanProblem::with_backlog`]). The
//! combined traffic is staffed once per live queue of `S`, with that queue's targets and
//! queueing model, and the smallest of these answers is kept: the least demanding reading
//! of the targets. It never exceeds the sum of the single-queue requirements (the cost of
//! split teams), and when a pooled staffing cannot be computed (e.g. a target the model
//! cannot meet) the sum is used.

use super::Scenario;
use crate::demand::{Channel, Queue, Requirement};
use crate::error::{Error, Result};
use crate::queueing::{self, Model, Staffing, Workload};
use crate::time::Horizon;
use std::collections::HashSet;

/// Checks every template's `queue`/`skills` against the scenario's queues.
pub(crate) fn validate(s: &Scenario) -> Result<()> {
    let queues: HashSet<&str> = s.queues.iter().map(|x| x.name.as_str()).collect();
    let known = |q: &str| queues.contains(q);
    for (i, t) in s.templates.iter().enumerate() {
        match (t.queue.is_empty(), t.skills.is_empty()) {
            (true, true) => {
                return Err(Error::invalid(
                    format!("templates[{i}]"),
                    "needs \"queue\" or \"skills\" (one of the two)",
                ))
            }
            (false, false) => {
                return Err(Error::invalid(
                    format!("templates[{i}].skills"),
                    "give \"queue\" or \"skills\", not both",
                ))
            }
            (false, true) => {
                if !known(&t.queue) {
                    return Err(Error::invalid(
                        format!("templates[{i}].queue"),
                        format!("{:?} is not a queue of this scenario", t.queue),
                    ));
                }
            }
            (true, false) => {
                let mut listed = HashSet::with_capacity(t.skills.len());
                for (k, sk) in t.skills.iter().enumerate() {
                    if !known(&sk.queue) {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].queue"),
                            format!("{:?} is not a queue of this scenario", sk.queue),
                        ));
                    }
                    if !listed.insert(sk.queue.as_str()) {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].queue"),
                            format!("queue {:?} is listed twice", sk.queue),
                        ));
                    }
                    if sk.priority == 0 {
                        return Err(Error::invalid(
                            format!("templates[{i}].skills[{k}].priority"),
                            "must be a positive integer (1 = first), got 0",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The templates with each multi-skill template's `queue` set to its primary queue.
pub(crate) fn normalized(
    templates: &[crate::shifts::ShiftTemplate],
) -> Vec<crate::shifts::ShiftTemplate> {
    templates
        .iter()
        .map(|t| {
            let mut t = t.clone();
            if let Some(first) = t.skills.iter().min_by_key(|s| s.priority) {
                t.queue = first.queue.clone();
            }
            t
        })
        .collect()
}

/// Pooled scheduled requirement per interval of the queues `set` (indices into `queues`
/// and `reqs`, which are aligned): see the module docs.
pub(crate) fn pooled_requirement(
    horizon: &Horizon,
    queues: &[Queue],
    reqs: &[Requirement],
    set: &[usize],
) -> Vec<u32> {
    let period = horizon.interval_minutes() as f64 * 60.0;
    // Backlog queues have deadline rows of their own: the pooled rows are for live work.
    let live: Vec<usize> = set
        .iter()
        .copied()
        .filter(|&q| !matches!(queues[q].channel, Channel::Backlog { .. }))
        .collect();
    let set = live.as_slice();
    let shrink = set
        .iter()
        .map(|&q| queues[q].shrinkage)
        .fold(f64::INFINITY, f64::min);
    (0..horizon.len())
        .map(|i| {
            let split: u32 = set.iter().map(|&q| reqs[q].required[i]).sum();
            pooled_at(queues, set, i, period, shrink).map_or(split, |p| p.min(split))
        })
        .collect()
}

fn pooled_at(queues: &[Queue], set: &[usize], i: usize, period: f64, shrink: f64) -> Option<u32> {
    let mut volume = 0.0;
    let mut erlangs = 0.0;
    let mut live = Vec::new();
    for &q in set {
        let queue = &queues[q];
        match queue.channel {
            Channel::Backlog { .. } => {}
            Channel::Voice | Channel::Chat { .. } => {
                let v = queue.volume[i];
                if v > 0.0 {
                    let k = match queue.channel {
                        Channel::Chat { concurrency } => concurrency.max(1) as f64,
                        _ => 1.0,
                    };
                    volume += v;
                    erlangs += v * queue.aht_seconds[i] / period / k;
                    live.push(q);
                }
            }
        }
    }
    let mut best: Option<u32> = None;
    if !live.is_empty() {
        let aht = erlangs * period / volume;
        let w = Workload::new(volume, period, aht).ok()?;
        for &q in &live {
            let queue = &queues[q];
            let mut s = Staffing::new(w);
            if let Some(p) = queue.patience_seconds {
                s = s.model(Model::ErlangA {
                    patience_seconds: p,
                });
            }
            for t in &queue.targets {
                s = s.target(*t);
            }
            let n = s.solve().ok()?.agents;
            best = Some(best.map_or(n, |b| b.min(n)));
        }
    }
    queueing::scheduled_agents(best.unwrap_or(0), shrink).ok()
}

/// `problem` with the pooled requirement of every linked set of queues (see the module
/// docs), each raised by the cuts `raise` of its queues.
pub(crate) fn with_pooled(
    p: &super::Prepared,
    reqs: &[Requirement],
    raise: &[Vec<u32>],
    problem: crate::plan::PlanProblem,
) -> Result<crate::plan::PlanProblem> {
    with_pooled_rows(p, reqs, raise, problem, false)
}

/// [`with_pooled`] for a problem whose backlog queues keep their even spread as a
/// requirement of their own (no deadline rows: the named agents' scheduler): each set's row
/// then holds the pooled live requirement plus the spread of its backlog queues, so an agent
/// is still counted once across the queues it serves.
pub(crate) fn with_pooled_spread_backlog(
    p: &super::Prepared,
    reqs: &[Requirement],
    raise: &[Vec<u32>],
    problem: crate::plan::PlanProblem,
) -> Result<crate::plan::PlanProblem> {
    with_pooled_rows(p, reqs, raise, problem, true)
}

fn with_pooled_rows(
    p: &super::Prepared,
    reqs: &[Requirement],
    raise: &[Vec<u32>],
    problem: crate::plan::PlanProblem,
    spread_backlog: bool,
) -> Result<crate::plan::PlanProblem> {
    let sets = problem.pooled_sets();
    if sets.is_empty() {
        return Ok(problem);
    }
    let mut pooled = Vec::with_capacity(sets.len());
    for names in sets {
        let idx: Vec<usize> = names
            .iter()
            .filter_map(|n| p.queues.iter().position(|q| &q.name == n))
            .collect();
        let mut values = pooled_requirement(&p.horizon, &p.queues, reqs, &idx);
        if spread_backlog {
            for &q in &idx {
                if matches!(p.queues[q].channel, Channel::Backlog { .. }) {
                    for (v, &r) in values.iter_mut().zip(&reqs[q].required) {
                        *v = v.saturating_add(r);
                    }
                }
            }
        }
        // Cuts from the simulation check raise every set holding the queue.
        for &q in &idx {
            if let Some(up) = raise.get(q) {
                for (v, &u) in values.iter_mut().zip(up) {
                    *v = v.saturating_add(u);
                }
            }
        }
        pooled.push((names, values));
    }
    problem.with_pooled(pooled)
}

/// Scheduled agents per queue and interval with multi-skill agents split across their
/// queues (see the module docs), and the roster's skill mix: agent hours per site and template, and
/// per queue the share of the allocated agent-intervals given by agents serving several
/// queues.
pub(crate) fn counts_and_mix(
    p: &super::Prepared,
    reqs: &[Requirement],
    roster: &[(String, crate::shifts::ShiftInstance)],
) -> (Vec<Vec<u32>>, crate::evaluate::SkillMix) {
    let hours = f64::from(p.horizon.interval_minutes()) / 60.0;
    let mut groups = Vec::new();
    for t in &p.templates {
        let intervals: usize = roster
            .iter()
            .filter(|(_, s)| s.site == t.site && s.template == t.name)
            .map(|(_, s)| s.working_intervals(&p.horizon).len())
            .sum();
        if intervals == 0 {
            continue;
        }
        let mut skills = t.skill_list();
        skills.sort_by_key(|s| s.priority);
        groups.push(crate::evaluate::SkillGroup {
            site: t.site.clone(),
            template: t.name.clone(),
            queues: skills.into_iter().map(|s| s.queue).collect(),
            agent_hours: intervals as f64 * hours,
        });
    }
    let (counts, multi) = allocation(p, reqs, roster);
    let multi_skill_share = counts
        .iter()
        .zip(&multi)
        .map(|(all, m)| {
            let total: u64 = all.iter().map(|&c| u64::from(c)).sum();
            (total > 0).then(|| *m as f64 / total as f64)
        })
        .collect();
    let mix = crate::evaluate::SkillMix {
        groups,
        multi_skill_share,
    };
    (counts, mix)
}

/// Scheduled agents per queue and interval (see the module docs), with per queue the agent-intervals given by agents who serve more
/// than one queue.
fn allocation(
    p: &super::Prepared,
    reqs: &[Requirement],
    roster: &[(String, crate::shifts::ShiftInstance)],
) -> (Vec<Vec<u32>>, Vec<u64>) {
    let n = p.horizon.len();
    let nq = p.queues.len();
    // Skill groups: queue indices (primary first) and agents working per interval.
    let mut groups: Vec<(Vec<usize>, Vec<u32>)> = Vec::new();
    for (_, shift) in roster {
        let Some(t) = p
            .templates
            .iter()
            .find(|t| t.site == shift.site && t.name == shift.template)
        else {
            continue;
        };
        let mut skills = t.skill_list();
        skills.sort_by_key(|s| s.priority);
        let qs: Vec<usize> = skills
            .iter()
            .filter_map(|s| p.queues.iter().position(|q| q.name == s.queue))
            .collect();
        if qs.is_empty() {
            continue;
        }
        let g = match groups.iter().position(|(k, _)| *k == qs) {
            Some(g) => g,
            None => {
                groups.push((qs, vec![0; n]));
                groups.len() - 1
            }
        };
        for i in shift.working_intervals(&p.horizon) {
            if let Some(c) = groups[g].1.get_mut(i) {
                *c = c.saturating_add(1);
            }
        }
    }
    let mut out = vec![vec![0u32; n]; nq];
    let mut multi = vec![0u64; nq];
    for i in 0..n {
        let supply: Vec<(&[usize], u32)> =
            groups.iter().map(|(qs, c)| (qs.as_slice(), c[i])).collect();
        let need: Vec<u32> = reqs.iter().map(|r| r.required[i]).collect();
        let flow = allocate(&supply, &need);
        for (g, (qs, count)) in supply.iter().enumerate() {
            let mut used = 0;
            for (k, &q) in qs.iter().enumerate() {
                out[q][i] += flow[g][k];
                used += flow[g][k];
                if qs.len() > 1 {
                    multi[q] += u64::from(flow[g][k]);
                }
            }
            out[qs[0]][i] += count - used;
            if qs.len() > 1 {
                multi[qs[0]] += u64::from(count - used);
            }
        }
    }
    (out, multi)
}

/// A largest split of each group's agents across its queues with no queue above its need
/// (augmenting paths on the small group–queue graph): `flow[g][k]` agents of group `g` to
/// its `k`-th queue.
pub(crate) fn allocate(groups: &[(&[usize], u32)], need: &[u32]) -> Vec<Vec<u32>> {
    let mut flow: Vec<Vec<u32>> = groups.iter().map(|(qs, _)| vec![0; qs.len()]).collect();
    let mut left: Vec<u32> = groups.iter().map(|&(_, c)| c).collect();
    let mut room: Vec<u32> = need.to_vec();
    loop {
        // Breadth-first search from groups with agents left to a queue with room, through
        // queue → group edges that carry flow (reassignments).
        let nq = need.len();
        let mut from_group: Vec<Option<(usize, usize)>> = vec![None; nq]; // queue ← (group, k)
        let mut group_seen = vec![false; groups.len()];
        let mut via_queue: Vec<Option<usize>> = vec![None; groups.len()]; // group ← queue
        let mut frontier: Vec<usize> = (0..groups.len()).filter(|&g| left[g] > 0).collect();
        for &g in &frontier {
            group_seen[g] = true;
        }
        let mut end = None;
        while end.is_none() && !frontier.is_empty() {
            let mut next = Vec::new();
            for &g in &frontier {
                for (k, &q) in groups[g].0.iter().enumerate() {
                    if q >= nq || from_group[q].is_some() {
                        continue;
                    }
                    from_group[q] = Some((g, k));
                    if room[q] > 0 {
                        end = Some(q);
                        break;
                    }
                    for (h, (qs, _)) in groups.iter().enumerate() {
                        if group_seen[h] {
                            continue;
                        }
                        if let Some(kh) = qs.iter().position(|&x| x == q) {
                            if flow[h][kh] > 0 {
                                group_seen[h] = true;
                                via_queue[h] = Some(q);
                                next.push(h);
                            }
                        }
                    }
                }
                if end.is_some() {
                    break;
                }
            }
            frontier = next;
        }
        let Some(mut q) = end else {
            return flow;
        };
        // Push one agent along the path.
        room[q] -= 1;
        loop {
            let Some((g, k)) = from_group[q] else {
                return flow;
            };
            flow[g][k] += 1;
            match via_queue[g] {
                Some(prev) => {
                    let kp = groups[g].0.iter().position(|&x| x == prev).unwrap_or(0);
                    flow[g][kp] -= 1;
                    q = prev;
                }
                None => {
                    left[g] -= 1;
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn allocation_reassigns_to_fill_every_queue() {
        // Group 0 serves queues 0 and 1, group 1 serves queue 0 only. A greedy split would
        // give group 0 to queue 0 first; the flow moves it to queue 1.
        let a = [0usize, 1];
        let b = [0usize];
        let flow = allocate(&[(&a, 2), (&b, 2)], &[2, 2]);
        assert_eq!(flow[0].iter().sum::<u32>() + flow[1][0], 4);
        assert_eq!(flow[0][1], 2);
        assert_eq!(flow[0][0] + flow[1][0], 2);
    }

    #[test]
    fn allocation_never_exceeds_supply_or_need() {
        let a = [0usize, 1, 2];
        let flow = allocate(&[(&a, 3)], &[1, 5, 0]);
        assert_eq!(flow[0], vec![1, 2, 0]);
    }
}
