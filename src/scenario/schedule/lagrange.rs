//! A Lagrangian bound by subgradient steps, for scenarios where the column generation's
//! master cannot converge within the time (the month's master LP on `microlp` runs few
//! rounds, and its first duals sit at the shortfall penalties, far below the seed bound).
//!
//! At any prices `π_r ∈ [−over_r, under_r]` of the cover rows and `σ ∈ [0, hard_penalty]`
//! of the pack rows, `constant + Σ rhs·π − Σ cap·σ + Σ_agents min_schedule (cost − π·a +
//! σ·p)` is a lower bound on every roster (and on the master LP): the agents' rules are
//! kept exactly in each agent's pricing and only the rows linking agents are relaxed. The
//! steps start from the seed price with no cover price (each agent's cheapest schedule,
//! the seed bound) and move the prices along the rows' coverage gap `rhs − Σ coverage`
//! (the subgradient; pack rows `use − cap`), projected onto the boxes above, with Polyak's
//! step toward a target a little above the best bound (at most a roster's objective); the
//! step's scale grows after each better bound and halves after [`PATIENCE`] rounds
//! without one. The best bound of all rounds is kept.
//!
//! Work budget: the caller's rounds ([`ROUNDS`] in the scheduler), each pricing every
//! agent (in parallel, combined in agent order: the same bound on every run); `stop()`
//! (the work spent, read between rounds) or `clock()` (the deadline, also read inside a
//! round's pricing) ends it early with the best bound so far.

use super::master::{price_all, Duals, Stop};
use super::model::Model;
use super::price::Priced;

/// Subgradient rounds of the scheduler (each prices every agent once).
pub(crate) const ROUNDS: usize = 24;
/// Rounds without a better bound before the step's scale halves.
pub(crate) const PATIENCE: usize = 2;
/// The steps' target lies this fraction of the best bound above it (at most a roster's
/// objective).
const TARGET: f64 = 0.05;
/// The step's scale grows by this factor after each better bound.
const GROW: f64 = 2.0;
/// Scale of the first step: small, as the seed price's bound is often near the best
/// (on the month, larger first steps fell below it for a dozen rounds); it grows while
/// the bound rises.
const FIRST_SCALE: f64 = 1.0 / 16.0;
/// Largest scale of the step.
const MAX_SCALE: f64 = 16.0;

/// The best Lagrangian bound the rounds found.
#[derive(Debug, Clone)]
pub(crate) struct Lagrangian {
    /// A lower bound on every roster.
    pub bound: f64,
}

/// Runs `rounds` subgradient rounds (at most) from the prices `start` (see the module docs), with
/// `upper` (a roster's objective; infinite when none is known) capping the steps' target;
/// `None` when not one round priced every agent before `stop()` or `clock()`, or an agent
/// has no schedule.
pub(crate) fn subgradient(
    model: &Model,
    start: Duals,
    upper: f64,
    rounds: usize,
    stop: &Stop<'_>,
    clock: &Stop<'_>,
) -> Option<Lagrangian> {
    let mut duals = start;
    let mut best: Option<f64> = None;
    let mut scale = FIRST_SCALE;
    let mut idle = 0;
    for _ in 0..rounds {
        if stop() {
            break;
        }
        let priced = price_all(model, &duals, clock)?;
        let mut value = duals.fixed_part(model);
        // The rows' coverage by every agent's best schedule at these prices.
        let mut cover = vec![0.0; model.rows.len()];
        let mut pack = vec![0.0; model.packs.len()];
        for (a, p) in priced.iter().enumerate() {
            let Priced::Best(cost, days) = p else {
                return None;
            };
            value += cost;
            let ag = &model.agents[a];
            for (d, k) in days.iter().enumerate() {
                let Some(k) = *k else { continue };
                let c = &model.cands[ag.options[d][k]];
                for &(r, x) in &c.rows {
                    cover[r as usize] += x;
                }
                for &(r, x) in &c.packs {
                    pack[r as usize] += x;
                }
            }
        }
        if best.is_none_or(|b| value > b + 1e-9 * (1.0 + b.abs())) {
            if best.is_some() {
                scale = (scale * GROW).min(MAX_SCALE);
            }
            best = Some(value);
            idle = 0;
        } else {
            idle += 1;
            if idle >= PATIENCE {
                scale *= 0.5;
                idle = 0;
            }
        }
        let g_cover: Vec<f64> = model
            .rows
            .iter()
            .zip(&cover)
            .map(|(row, &x)| row.rhs - x)
            .collect();
        let g_pack: Vec<f64> = model
            .packs
            .iter()
            .zip(&pack)
            .map(|(&cap, &x)| x - cap)
            .collect();
        let norm: f64 = g_cover.iter().chain(&g_pack).map(|g| g * g).sum();
        if norm < 1e-12 {
            // Every row met exactly by the agents' best schedules: these prices are
            // optimal for the relaxation.
            break;
        }
        let b = best.unwrap_or(value);
        let target = (b + TARGET * b.abs().max(1.0)).min(upper.max(b));
        let step = scale * (target - value).max(0.0) / norm;
        for ((p, g), row) in duals.cover.iter_mut().zip(&g_cover).zip(&model.rows) {
            *p = (*p + step * g).clamp(-row.over, row.under);
        }
        for (s, g) in duals.pack.iter_mut().zip(&g_pack) {
            *s = (*s + step * g).clamp(0.0, model.hard_penalty);
        }
    }
    best.map(|bound| Lagrangian { bound })
}

/// The prices of the first round: no cover or pack price.
pub(crate) fn zero(model: &Model) -> Duals {
    Duals {
        cover: vec![0.0; model.rows.len()],
        pack: vec![0.0; model.packs.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::super::integer::objective;
    use super::super::master::Column;
    use super::super::model::{AgentModel, Cand, Model, Row};
    use super::*;
    use chrono::{NaiveDate, Weekday};

    /// Three days of two one-hour intervals each; per day an early and a late one-hour
    /// shift and a two-hour shift covering both; `agents` agents of 2 to `max_shifts`
    /// paid hours.
    fn tiny(rhs: &[f64], agents: usize, max_hours: u32) -> Model {
        let days = rhs.len() / 2;
        let mut cands = Vec::new();
        for d in 0..days {
            let day = d as i64 * 1440;
            let r = 2 * d as u32;
            for (start, len, rows, cost) in [
                (480, 60, vec![(r, 1.0)], 1.0),
                (540, 60, vec![(r + 1, 1.0)], 1.1),
                (480, 120, vec![(r, 1.0), (r + 1, 1.0)], 1.9),
            ] {
                cands.push(Cand {
                    index: cands.len(),
                    start: day + start,
                    end: day + start + len,
                    paid: len as u32,
                    cost,
                    rows,
                    packs: Vec::new(),
                });
            }
        }
        let agent = |spec: usize| AgentModel {
            spec,
            first: NaiveDate::from_ymd_opt(2027, 3, 8).unwrap_or_default(),
            weekday: [Weekday::Mon, Weekday::Tue, Weekday::Wed][..days].to_vec(),
            options: (0..days)
                .map(|d| vec![3 * d, 3 * d + 1, 3 * d + 2])
                .collect(),
            day_off: vec![false; days],
            penalty: vec![vec![0.0; 3]; days],
            fixed: vec![false; days],
            min_minutes: 120,
            max_minutes: max_hours * 60,
            max_consecutive: 2,
            min_consecutive: 1,
            min_consecutive_off: 1,
            max_weekends: u32::MAX,
            rest_minutes: 0,
            start_of_day: vec![vec![480, 540, 480]; days],
            start_spread: None,
            rotation: None,
            hours_weight: 0.0,
            weekends_weight: 0.0,
        };
        Model {
            cands,
            rows: rhs
                .iter()
                .map(|&rhs| Row {
                    rhs,
                    under: 100.0,
                    over: 0.0,
                })
                .collect(),
            packs: Vec::new(),
            agents: (0..agents).map(agent).collect(),
            hard_penalty: 100.0,
            constant: 0.0,
            memo: Default::default(),
            meter: Default::default(),
            threads: 1,
            max_labels: super::super::price::MAX_LABELS,
        }
    }

    /// Every schedule of agent `a` that keeps its hours and longest run (the only rules
    /// the tiny model binds), by enumeration.
    fn schedules(m: &Model, a: usize) -> Vec<Column> {
        let ag = &m.agents[a];
        let days = ag.options.len();
        let mut out = Vec::new();
        for code in 0..4usize.pow(days as u32) {
            let mut x = code;
            let mut pick = Vec::with_capacity(days);
            for _ in 0..days {
                pick.push((x % 4 < 3).then_some(x % 4));
                x /= 4;
            }
            let minutes: u32 = pick
                .iter()
                .enumerate()
                .filter_map(|(d, k)| Some(m.cands[ag.options[d][(*k)?]].paid))
                .sum();
            let mut run = 0;
            let mut longest = 0;
            for k in &pick {
                run = if k.is_some() { run + 1 } else { 0 };
                longest = longest.max(run);
            }
            if minutes >= ag.min_minutes && minutes <= ag.max_minutes && longest <= 2 {
                out.push(Column::new(m, a, pick));
            }
        }
        out
    }

    /// The least objective over every roster, by enumeration.
    fn optimum(m: &Model) -> f64 {
        let all: Vec<Vec<Column>> = (0..m.agents.len()).map(|a| schedules(m, a)).collect();
        let mut best = f64::INFINITY;
        let mut at = vec![0usize; all.len()];
        loop {
            let roster: Vec<Column> = at.iter().zip(&all).map(|(&i, s)| s[i].clone()).collect();
            best = best.min(objective(m, &roster));
            let mut k = 0;
            loop {
                if k == at.len() {
                    return best;
                }
                at[k] += 1;
                if at[k] < all[k].len() {
                    break;
                }
                at[k] = 0;
                k += 1;
            }
        }
    }

    #[test]
    fn the_bound_rises_above_the_seed_and_never_passes_the_exact_optimum() {
        for (rhs, agents, max_hours) in [
            (vec![2.0, 1.0, 1.0, 2.0, 0.0, 1.0], 2, 3),
            (vec![1.0, 1.0, 2.0, 2.0, 1.0, 0.0], 2, 4),
            (vec![3.0, 2.0, 1.0, 1.0, 2.0, 3.0], 3, 3),
            (vec![0.0, 1.0, 1.0, 0.0, 1.0, 1.0], 3, 2),
        ] {
            let m = tiny(&rhs, agents, max_hours);
            let opt = optimum(&m);
            let seed = seed_bound(&m);
            // A roster's objective as the target: each agent's cheapest schedule.
            let cheapest: Vec<Column> = (0..m.agents.len())
                .map(|a| {
                    let s = schedules(&m, a);
                    let i = (0..s.len())
                        .min_by(|&i, &j| s[i].cost.total_cmp(&s[j].cost))
                        .unwrap_or(0);
                    s[i].clone()
                })
                .collect();
            let upper = objective(&m, &cheapest);
            let lag = subgradient(&m, zero(&m), upper, 40, &|| false, &|| false).map(|l| l.bound);
            let Some(lag) = lag else {
                panic!("no bound on {rhs:?}");
            };
            assert!(
                lag <= opt + 1e-6,
                "bound {lag} above the optimum {opt} on {rhs:?}"
            );
            assert!(
                lag >= seed - 1e-9,
                "bound {lag} below the seed {seed} on {rhs:?}"
            );
            // Demand beyond the agents' cheapest schedules: the steps close most of the
            // seed's gap.
            assert!(
                lag >= seed + 0.5 * (opt - seed),
                "bound {lag}, seed {seed}, optimum {opt}"
            );
        }
    }

    /// The bound of the first round alone (each agent's cheapest schedule).
    fn seed_bound(m: &Model) -> f64 {
        let duals = zero(m);
        let priced = price_all(m, &duals, &|| false).unwrap_or_default();
        duals.fixed_part(m)
            + priced
                .iter()
                .map(|p| match p {
                    Priced::Best(c, _) => *c,
                    _ => f64::NAN,
                })
                .sum::<f64>()
    }

    #[test]
    fn a_stop_before_the_first_round_gives_no_bound() {
        let m = tiny(&[1.0, 1.0, 1.0, 1.0], 2, 3);
        assert!(subgradient(&m, zero(&m), f64::INFINITY, ROUNDS, &|| true, &|| false).is_none());
    }
}
