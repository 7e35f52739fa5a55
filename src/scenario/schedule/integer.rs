//! From the LP to a roster: each agent starts on the pooled schedule the restricted master
//! weighs most, then agents in turn are re-priced against the others' coverage (a best
//! response: the exact [`price::best`] DP with each option costed by what it changes in
//! the objective given everybody else) until a whole pass improves nothing or the pass
//! budget is spent. Pack rows (caps, budget) are kept: an option the others leave no room
//! for is forbidden, and a new schedule that would still break a pack row is refused.

use super::master::Column;
use super::model::Model;
use super::price;

/// Most passes over the agents of the local improvement.
pub(crate) const MAX_PASSES: usize = 60;

/// A roster: one schedule per agent, with its objective.
#[derive(Debug, Clone)]
pub(crate) struct Roster {
    pub schedules: Vec<Column>,
    pub objective: f64,
    pub passes: usize,
}

impl Roster {
    /// `schedules` with their objective, after `passes` passes.
    pub(crate) fn new(model: &Model, schedules: Vec<Column>, passes: usize) -> Roster {
        Roster {
            objective: objective(model, &schedules),
            schedules,
            passes,
        }
    }
}

/// Coverage of every cover row and use of every pack row by `schedules`, its work charged
/// to the model's meter.
pub(crate) fn usage(model: &Model, schedules: &[Column]) -> (Vec<f64>, Vec<f64>) {
    let entries: usize = schedules.iter().map(|c| c.rows.len() + c.packs.len()).sum();
    model
        .meter
        .scan((entries + model.rows.len() + model.packs.len()) as u64);
    tally(model, schedules)
}

/// [`usage`] without charging the meter (for the timeline, which must not change the
/// work counted).
pub(crate) fn tally(model: &Model, schedules: &[Column]) -> (Vec<f64>, Vec<f64>) {
    let mut cover = vec![0.0; model.rows.len()];
    let mut pack = vec![0.0; model.packs.len()];
    for c in schedules {
        for &(r, k) in &c.rows {
            cover[r as usize] += k;
        }
        for &(r, k) in &c.packs {
            pack[r as usize] += k;
        }
    }
    (cover, pack)
}

/// Objective of a roster: shifts, wishes and coverage penalties (pack rows are kept, not
/// priced).
pub(crate) fn objective(model: &Model, schedules: &[Column]) -> f64 {
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    weighted(model, schedules, &under)
}

/// [`objective`] without charging the meter (for the timeline).
pub(crate) fn objective_uncounted(model: &Model, schedules: &[Column]) -> f64 {
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    let (cover, _) = tally(model, schedules);
    penalised(model, schedules, &cover, &under)
}

/// [`objective`] with `under[r]` the penalty of a missing unit of row `r`.
fn weighted(model: &Model, schedules: &[Column], under: &[f64]) -> f64 {
    let (cover, _) = usage(model, schedules);
    penalised(model, schedules, &cover, under)
}

/// The objective of `schedules` of coverage `cover`.
fn penalised(model: &Model, schedules: &[Column], cover: &[f64], under: &[f64]) -> f64 {
    let mut z = model.constant + schedules.iter().map(|c| c.cost).sum::<f64>();
    for ((row, &x), &u) in model.rows.iter().zip(cover).zip(under) {
        z += if x < row.rhs {
            (row.rhs - x) * u
        } else {
            (x - row.rhs) * row.over
        };
    }
    z
}

/// Whether every pack row holds.
pub(crate) fn packs_hold(model: &Model, pack: &[f64]) -> bool {
    pack.iter()
        .zip(&model.packs)
        .all(|(&x, &cap)| x <= cap + 1e-6)
}

/// A first roster: agents in turn (in scenario order, or `reversed`) take their best
/// schedule against the coverage of those before them (everybody starts with no shift).
/// When `stop()` says time is up, the agents not yet served keep their schedule in
/// `fallback` (one per agent, in agent order).
pub(crate) fn construct(
    model: &Model,
    reversed: bool,
    fallback: &[Column],
    stop: &dyn Fn() -> bool,
) -> Option<Vec<Column>> {
    let na = model.agents.len();
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    let mut schedules: Vec<Column> = (0..na)
        .map(|a| Column::new(model, a, vec![None; model.agents[a].options.len()]))
        .collect();
    let turn = |i: usize| if reversed { na - 1 - i } else { i };
    for i in 0..na {
        if stop() {
            for j in i..na {
                schedules[turn(j)] = fallback.get(turn(j))?.clone();
            }
            break;
        }
        let a = turn(i);
        schedules[a] = best_response(model, &schedules, a, &under)?;
    }
    let (_, pack) = usage(model, &schedules);
    packs_hold(model, &pack).then_some(schedules)
}

/// The roster the restricted master weighs most: per agent, its pooled schedule of the
/// largest weight (the first on ties).
pub(crate) fn rounded(model: &Model, pool: &[Column], weights: &[f64]) -> Option<Vec<Column>> {
    let na = model.agents.len();
    let mut pick: Vec<Option<(usize, f64)>> = vec![None; na];
    for (i, (c, &w)) in pool.iter().zip(weights).enumerate() {
        let slot = &mut pick[c.agent];
        if slot.is_none_or(|(_, x)| w > x + 1e-9) {
            *slot = Some((i, w));
        }
    }
    let schedules: Option<Vec<Column>> = pick
        .iter()
        .map(|p| p.map(|(i, _)| pool[i].clone()))
        .collect();
    let schedules = schedules?;
    let (_, pack) = usage(model, &schedules);
    packs_hold(model, &pack).then_some(schedules)
}

/// The roster of `schedules` as it is, when it keeps the pack rows.
pub(crate) fn as_is(model: &Model, schedules: Vec<Column>) -> Option<Roster> {
    let (_, pack) = usage(model, &schedules);
    packs_hold(model, &pack).then(|| Roster::new(model, schedules, 0))
}

/// Improves `schedules` (which keep the pack rows) by best responses until a pass over the
/// agents improves nothing, [`MAX_PASSES`] passes, or `stop()`.
pub(crate) fn improve(model: &Model, schedules: Vec<Column>, stop: &dyn Fn() -> bool) -> Roster {
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    descend(model, schedules, &under, stop)
}

/// Best-response descent on the objective with `under` as the shortfall penalties.
fn descend(
    model: &Model,
    mut schedules: Vec<Column>,
    under: &[f64],
    stop: &dyn Fn() -> bool,
) -> Roster {
    let na = model.agents.len();
    let mut passes = 0;
    let mut z = weighted(model, &schedules, under);
    while passes < MAX_PASSES && !stop() {
        passes += 1;
        let mut improved = false;
        for a in 0..na {
            // Large rosters read the clock within a pass.
            if a % 16 == 15 && stop() {
                break;
            }
            if let Some(better) = best_response(model, &schedules, a, under) {
                let old = std::mem::replace(&mut schedules[a], better);
                let nz = weighted(model, &schedules, under);
                let (_, pack) = usage(model, &schedules);
                if nz < z - 1e-7 * (1.0 + z.abs()) && packs_hold(model, &pack) {
                    z = nz;
                    improved = true;
                } else {
                    schedules[a] = old;
                }
            }
        }
        if !improved {
            break;
        }
    }
    Roster::new(model, schedules, passes)
}

/// Rounds of [`guided`] search.
pub(crate) const GUIDED_ROUNDS: usize = 30;

/// How much more a row still short weighs after each round of [`guided`], in units of its
/// shortfall penalty. Measured at equal work (steps from 0.25 to 16): the larger steps
/// fill more of the month example (`named_month.json`: 570 955 at 8, 789 823 at 0.5), of
/// its week cut and of `named_agents.json` (see `docs/rostering.md`).
pub(crate) const GUIDED_STEP: f64 = 8.0;

/// Guided descent from `start`: after each descent, the rows still short weigh more (by
/// [`GUIDED_STEP`] times their penalty again), which pushes agents to rearrange around
/// them; the best roster on the true objective is kept. Runs [`GUIDED_ROUNDS`] rounds (a
/// work budget).
pub(crate) fn guided(model: &Model, start: Roster, stop: &dyn Fn() -> bool) -> Roster {
    let mut under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    let mut best = start.clone();
    let mut current = start.schedules;
    let mut passes = start.passes;
    for round in 0..GUIDED_ROUNDS {
        if stop() {
            break;
        }
        let (cover, _) = usage(model, &current);
        let mut short = false;
        for ((row, &x), u) in model.rows.iter().zip(&cover).zip(under.iter_mut()) {
            if x < row.rhs - 1e-9 {
                *u += GUIDED_STEP * row.under;
                short = true;
            }
        }
        if !short {
            break;
        }
        let r = descend(model, current, &under, stop);
        passes += r.passes;
        // The true objective's descent from there is a candidate; the search goes on from
        // the weighted one.
        let t = improve(model, r.schedules.clone(), stop);
        passes += t.passes;
        if t.objective < best.objective - 1e-9 {
            best = t;
        }
        current = r.schedules;
        super::trace::progress("guided round", round + 1, model, &best.schedules);
    }
    best.passes = passes;
    best
}

/// Passes of [`pairs`] over all pairs of agents.
pub(crate) const PAIR_PASSES: usize = 3;
/// Most pair moves [`pairs`] tries in all (a work budget for large rosters).
pub(crate) const PAIR_MOVES: usize = 6_000;

/// Pair moves: for each pair of agents in turn, both are cleared and re-placed by best
/// responses (the first, the second, the first again); kept when the objective drops and
/// the pack rows hold. Escapes the single-agent optimum where one agent must move for
/// another to take its place. At most [`PAIR_PASSES`] passes and [`PAIR_MOVES`] moves.
pub(crate) fn pairs(model: &Model, start: Roster, stop: &dyn Fn() -> bool) -> Roster {
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    let na = model.agents.len();
    let mut schedules = start.schedules;
    let mut z = start.objective;
    let mut passes = start.passes;
    let empty = |a: usize| Column::new(model, a, vec![None; model.agents[a].options.len()]);
    let mut moves = 0;
    for _ in 0..PAIR_PASSES {
        if stop() {
            break;
        }
        passes += 1;
        let mut improved = false;
        for a in 0..na {
            for b in a + 1..na {
                moves += 1;
                if stop() || moves > PAIR_MOVES {
                    return Roster {
                        schedules,
                        objective: z,
                        passes,
                    };
                }
                let (old_a, old_b) = (schedules[a].clone(), schedules[b].clone());
                schedules[a] = empty(a);
                schedules[b] = empty(b);
                let placed = best_response(model, &schedules, a, &under)
                    .map(|c| schedules[a] = c)
                    .and_then(|_| best_response(model, &schedules, b, &under))
                    .map(|c| schedules[b] = c)
                    .and_then(|_| best_response(model, &schedules, a, &under))
                    .map(|c| schedules[a] = c);
                let nz = objective(model, &schedules);
                let (_, pack) = usage(model, &schedules);
                if placed.is_some() && nz < z - 1e-7 * (1.0 + z.abs()) && packs_hold(model, &pack) {
                    z = nz;
                    improved = true;
                } else {
                    schedules[a] = old_a;
                    schedules[b] = old_b;
                }
            }
        }
        if !improved {
            break;
        }
    }
    Roster {
        schedules,
        objective: z,
        passes,
    }
}

/// Agent `a`'s best schedule given everybody else's.
pub(crate) fn best_response(
    model: &Model,
    schedules: &[Column],
    a: usize,
    under: &[f64],
) -> Option<Column> {
    let (mut cover, mut pack) = usage(model, schedules);
    for &(r, k) in &schedules[a].rows {
        cover[r as usize] -= k;
    }
    for &(r, k) in &schedules[a].packs {
        pack[r as usize] -= k;
    }
    let ag = &model.agents[a];
    let costs: Vec<Vec<f64>> = ag
        .options
        .iter()
        .zip(&ag.penalty)
        .map(|(opts, pen)| {
            opts.iter()
                .zip(pen)
                .map(|(&c, &p)| {
                    let cd = &model.cands[c];
                    if cd
                        .packs
                        .iter()
                        .any(|&(r, k)| pack[r as usize] + k > model.packs[r as usize] + 1e-6)
                    {
                        return f64::INFINITY;
                    }
                    let mut x = cd.cost + p;
                    for &(r, k) in &cd.rows {
                        let row = &model.rows[r as usize];
                        let have = cover[r as usize];
                        let filled = (row.rhs - have).clamp(0.0, k);
                        x += (k - filled) * row.over - filled * under[r as usize];
                    }
                    x
                })
                .collect()
        })
        .collect();
    let price::Priced::Best(_, days) = price::best(model, ag, &costs) else {
        return None;
    };
    Some(Column::new(model, a, days))
}
