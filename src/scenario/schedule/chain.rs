//! Ejection chains over the intervals a roster leaves short: agent A re-plans with the
//! short interval weighing [`BOOST`] times its penalty (it takes a shift covering it,
//! often by leaving the shift it worked that day, or by moving a day off); the intervals
//! A leaves become the chain's new holes, which agent B re-plans toward in the same way,
//! then C for B's, up to [`DEPTH`] agents. Each link is the exact pricing DP of one agent
//! (every rule of its contract kept). The chain is kept as soon as the roster's true
//! objective drops with the pack rows holding; otherwise every link is undone.
//!
//! A best-response descent and `repair` stop where filling an interval needs a neutral
//! step first: when every agent able to serve a short interval works another shift that
//! day (`one_shift_a_day`), one of them must leave that shift for someone else to take it,
//! and that someone leaves a shift of its own. The boosted weight lets a link open as
//! many missing agent-intervals as it fills (up to `BOOST` times), and the chain goes on
//! from what it opened.
//!
//! Work budgets, in a fixed order: [`FIRST`] agents tried per short interval, [`NEXT`]
//! per later link, at most [`MOVES`] re-plans in all, [`CHAIN_ROUNDS`] rounds over the
//! short rows; every link reads `stop()`. Deterministic: agents are tried by paid hours
//! (fewest first), then agent order.

use super::integer::{best_response, objective, packs_hold, usage, Roster};
use super::master::Column;
use super::model::Model;
use super::repair::{able, covers, paid, short_rows};

/// Most agents in one chain.
pub(crate) const DEPTH: usize = 3;
/// Agents tried for the chain's first link (those able to cover the short interval).
pub(crate) const FIRST: usize = 6;
/// Agents tried for each later link (those able to cover a hole the last link opened).
pub(crate) const NEXT: usize = 3;
/// Most re-plans (one pricing DP each) of one call.
pub(crate) const MOVES: usize = 3_000;
/// Rounds over the short rows.
pub(crate) const CHAIN_ROUNDS: usize = 3;
/// How much more a hole of the chain weighs for the agent that links to it.
pub(crate) const BOOST: f64 = 2.5;

/// What every link of one search shares.
struct Search<'a> {
    model: &'a Model,
    able: Vec<Vec<usize>>,
    under: Vec<f64>,
    /// Re-plans left.
    moves: usize,
    stop: &'a dyn Fn() -> bool,
}

/// Runs ejection chains on the short rows of `start` (see the module docs); the roster
/// returned is never worse than `start`.
pub(crate) fn chains(model: &Model, start: Roster, stop: &dyn Fn() -> bool) -> Roster {
    let mut search = Search {
        model,
        able: able(model),
        under: model.rows.iter().map(|r| r.under).collect(),
        moves: MOVES,
        stop,
    };
    let mut schedules = start.schedules;
    let mut z = start.objective;
    let mut passes = start.passes;
    for _ in 0..CHAIN_ROUNDS {
        let (cover, _) = usage(model, &schedules);
        let short = short_rows(model, &cover);
        if short.is_empty() || stop() || search.moves == 0 {
            break;
        }
        passes += 1;
        let mut improved = false;
        for r in short {
            if stop() || search.moves == 0 {
                break;
            }
            let (cover, _) = usage(model, &schedules);
            if cover[r] >= model.rows[r].rhs - 1e-9 {
                continue;
            }
            let mut used = Vec::with_capacity(DEPTH);
            if let Some(nz) = search.link(&mut schedules, &[r], &mut used, z) {
                z = nz;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    Roster::new(model, schedules, passes)
}

impl Search<'_> {
    /// Agents able to cover one of `holes` and not covering it yet, not in `used`: the
    /// fewest paid hours first, then agent order; at most `width`.
    fn candidates(
        &self,
        schedules: &[Column],
        holes: &[usize],
        used: &[usize],
        width: usize,
    ) -> Vec<usize> {
        let mut out: Vec<(u32, usize)> = Vec::new();
        for &h in holes {
            for &a in &self.able[h] {
                if used.contains(&a) || covers(&schedules[a], h) || out.iter().any(|&(_, b)| b == a)
                {
                    continue;
                }
                out.push((paid(self.model, &schedules[a]), a));
            }
        }
        out.sort_unstable();
        out.into_iter().take(width).map(|(_, a)| a).collect()
    }

    /// One link toward `holes`: each candidate in turn re-plans with the holes boosted;
    /// the chain is kept (the new objective returned) when the true objective drops below
    /// `z` with the pack rows holding, else it goes on from the holes this link opened,
    /// and every link not kept is undone.
    fn link(
        &mut self,
        schedules: &mut [Column],
        holes: &[usize],
        used: &mut Vec<usize>,
        z: f64,
    ) -> Option<f64> {
        let model = self.model;
        let width = if used.is_empty() { FIRST } else { NEXT };
        let mut boosted = self.under.clone();
        for &h in holes {
            boosted[h] *= BOOST;
        }
        for b in self.candidates(schedules, holes, used, width) {
            if self.moves == 0 || (self.stop)() {
                return None;
            }
            self.moves -= 1;
            let Some(col) = best_response(model, schedules, b, &boosted) else {
                continue;
            };
            if !holes.iter().any(|&h| covers(&col, h)) {
                continue;
            }
            let old = std::mem::replace(&mut schedules[b], col);
            let nz = objective(model, schedules);
            let (cover, pack) = usage(model, schedules);
            if nz < z - 1e-7 * (1.0 + z.abs()) && packs_hold(model, &pack) {
                return Some(nz);
            }
            if used.len() + 1 < DEPTH {
                // The holes this link opened: hard rows the agent covered before, now short.
                let opened: Vec<usize> = old
                    .rows
                    .iter()
                    .map(|&(x, _)| x as usize)
                    .filter(|&x| {
                        cover[x] < model.rows[x].rhs - 1e-9
                            && model.rows[x].under >= model.hard_penalty - 1e-9
                    })
                    .collect();
                if !opened.is_empty() {
                    used.push(b);
                    let got = self.link(schedules, &opened, used, z);
                    used.pop();
                    if got.is_some() {
                        return got;
                    }
                }
            }
            schedules[b] = old;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::integer::improve;
    use super::super::model::{AgentModel, Cand, Row};
    use super::*;
    use chrono::{NaiveDate, Weekday};

    /// One day of two one-hour intervals; an early shift (cost 1) and a late one (1.2).
    /// Agent 0 can work either, agent 1 only the early one.
    fn model() -> Model {
        let cand = |index: usize, start: i64, row: u32, cost: f64| Cand {
            index,
            start,
            end: start + 60,
            paid: 60,
            cost,
            rows: vec![(row, 1.0)],
            packs: Vec::new(),
        };
        let agent = |spec: usize, options: Vec<usize>| AgentModel {
            spec,
            first: NaiveDate::from_ymd_opt(2027, 3, 8).unwrap_or_default(),
            weekday: vec![Weekday::Mon],
            penalty: vec![vec![0.0; options.len()]],
            start_of_day: vec![options.iter().map(|&k| 480 + 60 * k as i16).collect()],
            options: vec![options],
            day_off: vec![false],
            fixed: vec![false],
            min_minutes: 0,
            max_minutes: 60,
            max_consecutive: 6,
            min_consecutive: 1,
            min_consecutive_off: 1,
            max_weekends: u32::MAX,
            rest_minutes: 0,
            start_spread: None,
            rotation: None,
            hours_weight: 0.0,
            weekends_weight: 0.0,
        };
        let row = Row {
            rhs: 1.0,
            under: 100.0,
            over: 0.0,
        };
        Model {
            cands: vec![cand(0, 480, 0, 1.0), cand(1, 540, 1, 1.2)],
            rows: vec![row.clone(), row],
            packs: Vec::new(),
            agents: vec![agent(0, vec![0, 1]), agent(1, vec![0])],
            hard_penalty: 100.0,
            constant: 0.0,
            memo: Default::default(),
            meter: Default::default(),
            threads: 1,
            max_labels: super::super::price::MAX_LABELS,
        }
    }

    #[test]
    fn a_chain_fills_what_best_responses_cannot() {
        let m = model();
        // Agent 0 on the early shift, agent 1 off: the late interval is short.
        let schedules = vec![
            Column::new(&m, 0, vec![Some(0)]),
            Column::new(&m, 1, vec![None]),
        ];
        let start = Roster::new(&m, schedules, 0);
        assert!((start.objective - 101.0).abs() < 1e-9);
        // Alone, neither agent gains by moving.
        let stuck = improve(&m, start.schedules.clone(), &|| false);
        assert!((stuck.objective - start.objective).abs() < 1e-9);
        // Agent 0 moves to the late shift, agent 1 takes the early one.
        let done = chains(&m, start, &|| false);
        assert!((done.objective - 2.2).abs() < 1e-9, "{}", done.objective);
        assert_eq!(done.schedules[0].days, vec![Some(1)]);
        assert_eq!(done.schedules[1].days, vec![Some(0)]);
    }

    #[test]
    fn a_stop_leaves_the_roster_as_it_was() {
        let m = model();
        let schedules = vec![
            Column::new(&m, 0, vec![Some(0)]),
            Column::new(&m, 1, vec![None]),
        ];
        let start = Roster::new(&m, schedules, 0);
        let kept = chains(&m, start.clone(), &|| true);
        assert!((kept.objective - start.objective).abs() < 1e-9);
        assert_eq!(kept.schedules[0].days, vec![Some(0)]);
    }
}
