//! Why an interval stays short: for every agent who could work a shift covering it, the
//! first rule (in the order of [`REASONS`]) that forbids the most permissive such shift
//! given the rest of the agent's roster; the interval's reason is the one most of those
//! agents share; `too_few_agents` when every agent who could is already serving it, and
//! `no_skilled_agent` when nobody could work such a shift at all.

use super::master::Column;
use super::model::Model;
use crate::plan::PlanProblem;
use chrono::Weekday;
use std::collections::BTreeMap;

/// Reasons an agent does not cover an interval, from the most to the least binding.
pub(crate) const REASONS: [&str; 11] = [
    "day_off",
    "one_shift_a_day",
    "max_hours",
    "rest",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
    "rotating_weekends",
    "start_tolerance_minutes",
    "cost_or_other_rules",
];

/// Reason for a queue-interval with no agent able to cover it.
pub(crate) const NO_AGENT: &str = "no_skilled_agent";
/// Reason for an interval every agent able to serve already serves.
pub(crate) const TOO_FEW: &str = "too_few_agents";
/// Reason for an agent on another queue or on a break at the time.
pub(crate) const BUSY: &str = "busy";

/// Per agent and local day, the earliest start and the latest end of the day's options:
/// the days whose options cannot cover an instant are skipped without reading them (a
/// roster cut early by the time limit can leave thousands of intervals short).
pub(crate) fn day_spans(model: &Model) -> Vec<Vec<(i64, i64)>> {
    model
        .agents
        .iter()
        .map(|ag| {
            ag.options
                .iter()
                .map(|opts| {
                    opts.iter().fold((i64::MAX, i64::MIN), |(s, e), &c| {
                        let cd = &model.cands[c];
                        (s.min(cd.start), e.max(cd.end))
                    })
                })
                .collect()
        })
        .collect()
}

/// The reason interval `t` of queue `queue` is short, and the agents per reason; `spans`
/// is [`day_spans`] of `model`.
pub(crate) fn explain(
    model: &Model,
    problem: &PlanProblem,
    schedules: &[Column],
    spans: &[Vec<(i64, i64)>],
    queue: usize,
    t: usize,
) -> (String, BTreeMap<String, usize>) {
    let all = problem.candidates();
    let at = super::model::minutes(problem.horizon().interval_start(t));
    let mut per: BTreeMap<String, usize> = BTreeMap::new();
    let mut covering = 0usize;
    for (a, ag) in model.agents.iter().enumerate() {
        let Some(col) = schedules.get(a) else {
            continue;
        };
        let worked: Vec<(usize, i64, i64)> = col
            .days
            .iter()
            .enumerate()
            .filter_map(|(d, k)| {
                let c = &model.cands[ag.options[d][(*k)?]];
                Some((d, c.start, c.end))
            })
            .collect();
        let paid: u32 = col
            .days
            .iter()
            .enumerate()
            .filter_map(|(d, k)| Some(model.cands[ag.options[d][(*k)?]].paid))
            .sum();
        let mut best: Option<usize> = None;
        for (d, opts) in ag.options.iter().enumerate() {
            let (first, last) = spans[a][d];
            if first > at || last <= at {
                continue;
            }
            for (k, &c) in opts.iter().enumerate() {
                let cd = &model.cands[c];
                if cd.start > at || cd.end <= at {
                    continue;
                }
                let pc = &all[cd.index];
                if !pc.working.contains(&t) || !problem.served_by(pc).contains(&queue) {
                    continue;
                }
                let rank = if ag.day_off[d] {
                    0
                } else if col.days[d].is_some() {
                    1
                } else if ag.max_minutes != u32::MAX
                    && paid.saturating_add(cd.paid) > ag.max_minutes
                {
                    2
                } else if worked.iter().any(|&(_, s, e)| {
                    (e <= cd.start && cd.start - e < ag.rest_minutes)
                        || (s >= cd.end && s - cd.end < ag.rest_minutes)
                        || (s < cd.end && cd.start < e)
                }) {
                    3
                } else if run_with(&col.days, d) > ag.max_consecutive as usize {
                    4
                } else if short_run(ag, &col.days, d) {
                    5
                } else if splits_days_off(ag, &col.days, d) {
                    6
                } else if new_weekend_over(ag, &col.days, d) {
                    7
                } else if rotation_over(ag, &col.days, d) {
                    8
                } else if spread_over(ag, &col.days, d, ag.start_of_day[d][k]) {
                    9
                } else {
                    10
                };
                best = Some(best.map_or(rank, |b: usize| b.max(rank)));
            }
        }
        let Some(rank) = best else { continue };
        let covers = col.days.iter().enumerate().any(|(d, k)| {
            k.is_some_and(|k| {
                let pc = &all[model.cands[ag.options[d][k]].index];
                pc.working.contains(&t) && problem.served_by(pc).contains(&queue)
            })
        });
        if covers {
            covering += 1;
            continue;
        }
        let on_shift = worked.iter().any(|&(_, s, e)| s <= at && at < e);
        let reason = if on_shift { BUSY } else { REASONS[rank] };
        *per.entry(reason.to_string()).or_default() += 1;
    }
    if per.is_empty() {
        let reason = if covering > 0 { TOO_FEW } else { NO_AGENT };
        return (reason.to_string(), per);
    }
    let order = |r: &str| {
        if r == BUSY {
            0
        } else {
            1 + REASONS
                .iter()
                .position(|x| *x == r)
                .unwrap_or(REASONS.len())
        }
    };
    let reason = per
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then_with(|| order(y.0).cmp(&order(x.0))))
        .map(|(r, _)| r.clone())
        .unwrap_or_else(|| NO_AGENT.to_string());
    (reason, per)
}

/// Days next to day `d` in the same state (`working` or off) as far as it runs: before it
/// and after it.
fn around(days: &[Option<usize>], d: usize, working: bool) -> (usize, usize) {
    let before = days[..d]
        .iter()
        .rev()
        .take_while(|x| x.is_some() == working)
        .count();
    let after = days[d + 1..]
        .iter()
        .take_while(|x| x.is_some() == working)
        .count();
    (before, after)
}

/// Length of the run of working days through day `d` if the agent also worked on `d`.
fn run_with(days: &[Option<usize>], d: usize) -> usize {
    let (before, after) = around(days, d, true);
    before + 1 + after
}

/// Whether working on day `d` would add a weekend beyond the agent's limit.
fn new_weekend_over(ag: &super::model::AgentModel, days: &[Option<usize>], d: usize) -> bool {
    if ag.max_weekends == u32::MAX {
        return false;
    }
    let Some(mine) = weekend_of(ag, d) else {
        return false;
    };
    let worked = weekends_worked(ag, days, None);
    !worked.contains(&mine) && worked.len() >= ag.max_weekends as usize
}

/// Whether working on day `d` would make a run of working days shorter than the agent's
/// minimum (a day alone between days off; runs touching the horizon's ends are free).
fn short_run(ag: &super::model::AgentModel, days: &[Option<usize>], d: usize) -> bool {
    if ag.min_consecutive <= 1 || days[d].is_some() {
        return false;
    }
    let (before, after) = around(days, d, true);
    let inner = before < d && d + 1 + after < days.len();
    inner && before + 1 + after < ag.min_consecutive as usize
}

/// Whether working on day `d` would leave a run of days off shorter than the agent's
/// minimum next to it (runs touching the horizon's ends are free, as in the contract).
fn splits_days_off(ag: &super::model::AgentModel, days: &[Option<usize>], d: usize) -> bool {
    let min = ag.min_consecutive_off as usize;
    if min <= 1 || days[d].is_some() {
        return false;
    }
    let (before, after) = around(days, d, false);
    let short = |n: usize| n > 0 && n < min;
    (before < d && short(before)) || (d + 1 + after < days.len() && short(after))
}

/// Saturday (as a day index, `-1` for a Sunday that opens the horizon) of the weekend of
/// day `i`, if `i` is a Saturday or a Sunday.
fn weekend_of(ag: &super::model::AgentModel, i: usize) -> Option<i64> {
    match ag.weekday[i] {
        Weekday::Sat => Some(i as i64),
        Weekday::Sun => Some(i as i64 - 1),
        _ => None,
    }
}

/// The weekends (see [`weekend_of`]) with a working day in `days`, or on day `also`,
/// sorted and each once.
fn weekends_worked(
    ag: &super::model::AgentModel,
    days: &[Option<usize>],
    also: Option<usize>,
) -> Vec<i64> {
    let mut worked: Vec<i64> = days
        .iter()
        .enumerate()
        .filter(|(i, x)| x.is_some() || Some(*i) == also)
        .filter_map(|(i, _)| weekend_of(ag, i))
        .collect();
    worked.sort_unstable();
    worked.dedup();
    worked
}

/// Whether working on day `d` would put more weekends than the rotation allows in some
/// window of consecutive weekends (weekends before the horizon count as free).
fn rotation_over(ag: &super::model::AgentModel, days: &[Option<usize>], d: usize) -> bool {
    let (Some((work, of)), Some(mine)) = (ag.rotation, weekend_of(ag, d)) else {
        return false;
    };
    let worked = weekends_worked(ag, days, Some(d));
    let span = 7 * (i64::from(of.max(1)) - 1);
    worked
        .iter()
        .filter(|&&w| w >= mine && w - span <= mine)
        .any(|&w| worked.iter().filter(|&&x| x <= w && x >= w - span).count() > work as usize)
}

/// Whether a shift starting at `start` (local minutes) on day `d` would spread the local
/// starts of its week (Monday to Sunday) beyond the agent's tolerance.
fn spread_over(
    ag: &super::model::AgentModel,
    days: &[Option<usize>],
    d: usize,
    start: i16,
) -> bool {
    let Some(spread) = ag.start_spread else {
        return false;
    };
    let from = (0..=d)
        .rev()
        .find(|&i| ag.weekday[i] == Weekday::Mon)
        .unwrap_or(0);
    let to = (d + 1..days.len())
        .find(|&i| ag.weekday[i] == Weekday::Mon)
        .unwrap_or(days.len());
    let (mut lo, mut hi) = (start, start);
    for i in (from..to).filter(|&i| i != d) {
        if let Some(k) = days[i] {
            let s = ag.start_of_day[i][k];
            lo = lo.min(s);
            hi = hi.max(s);
        }
    }
    hi - lo > spread
}
