//! Repair of the intervals a roster leaves short, before the column generation: for each
//! hard cover row still short (in row order), an agent able to cover it re-plans its
//! schedule with that row weighing [`BOOST`] times its shortfall penalty (it moves or adds
//! a shift to cover it, within every rule of its contract: the exact pricing DP), then the
//! agents able to cover the rows it left re-plan on the true objective (best responses).
//! The move is kept when the roster's objective drops and the pack rows hold; otherwise
//! the roster is restored. A best-response descent stops at a roster where no single agent
//! can fill a short interval alone; these two-step moves (one agent moves towards the
//! hole, others fill behind it) reach past it.
//!
//! Work budgets: at most [`AGENTS_PER_ROW`] agents tried per short row, [`FOLLOWERS`]
//! agents re-planned behind each, [`REPAIR_ROUNDS`] rounds over the short rows; every
//! step reads `stop()`.

use super::integer::{best_response, objective, packs_hold, usage, Roster};
use super::master::Column;
use super::model::Model;

/// Rounds over the short rows.
pub(crate) const REPAIR_ROUNDS: usize = 3;
/// Agents tried per short row (those able to cover it, in agent order, the agents not
/// working that row's day first).
pub(crate) const AGENTS_PER_ROW: usize = 6;
/// Agents re-planned behind a move (able to cover a row the move left short).
pub(crate) const FOLLOWERS: usize = 8;
/// How much more the row being repaired weighs for the agent that moves.
pub(crate) const BOOST: f64 = 2.5;

/// Per hard cover row, the agents with an option covering it on a day they may work.
pub(crate) fn able(model: &Model) -> Vec<Vec<usize>> {
    let mut able: Vec<Vec<usize>> = vec![Vec::new(); model.rows.len()];
    for (a, ag) in model.agents.iter().enumerate() {
        for (d, opts) in ag.options.iter().enumerate() {
            if ag.day_off[d] {
                continue;
            }
            for &c in opts {
                for &(r, _) in &model.cands[c].rows {
                    let list = &mut able[r as usize];
                    if list.last() != Some(&a) {
                        list.push(a);
                    }
                }
            }
        }
    }
    able
}

/// Rows short in `cover` among the hard ones.
pub(crate) fn short_rows(model: &Model, cover: &[f64]) -> Vec<usize> {
    model
        .rows
        .iter()
        .zip(cover)
        .enumerate()
        .filter(|(_, (row, &x))| x < row.rhs - 1e-9 && row.under >= model.hard_penalty - 1e-9)
        .map(|(r, _)| r)
        .collect()
}

/// Whether `col` covers row `r`.
pub(crate) fn covers(col: &Column, r: usize) -> bool {
    col.rows.iter().any(|&(x, k)| x as usize == r && k > 0.0)
}

/// Paid minutes of a schedule.
pub(crate) fn paid(model: &Model, col: &Column) -> u32 {
    let ag = &model.agents[col.agent];
    col.days
        .iter()
        .enumerate()
        .filter_map(|(d, k)| Some(model.cands[ag.options[d][(*k)?]].paid))
        .sum()
}

/// Repairs the short rows of `start` (see the module docs).
pub(crate) fn repair(model: &Model, start: Roster, stop: &dyn Fn() -> bool) -> Roster {
    let able = able(model);
    let under: Vec<f64> = model.rows.iter().map(|r| r.under).collect();
    let mut schedules = start.schedules;
    let mut z = start.objective;
    let mut passes = start.passes;
    for _ in 0..REPAIR_ROUNDS {
        let (cover, _) = usage(model, &schedules);
        let short = short_rows(model, &cover);
        if short.is_empty() || stop() {
            break;
        }
        passes += 1;
        let mut improved = false;
        for r in short {
            if stop() {
                break;
            }
            let (cover, _) = usage(model, &schedules);
            if cover[r] >= model.rows[r].rhs - 1e-9 {
                continue;
            }
            // Agents who do not cover the row yet, those with the fewest paid hours first.
            let mut tries: Vec<(u32, usize)> = able[r]
                .iter()
                .copied()
                .filter(|&a| !covers(&schedules[a], r))
                .map(|a| (paid(model, &schedules[a]), a))
                .collect();
            tries.sort_unstable();
            let mut tries: Vec<usize> = tries.into_iter().map(|(_, a)| a).collect();
            tries.truncate(AGENTS_PER_ROW);
            let mut boosted = under.clone();
            boosted[r] *= BOOST;
            for a in tries {
                if stop() {
                    break;
                }
                if let Some(nz) = attempt(model, &mut schedules, a, r, &boosted, &under, &able, z) {
                    z = nz;
                    improved = true;
                    break;
                }
            }
        }
        if !improved {
            break;
        }
    }
    Roster::new(model, schedules, passes)
}

/// One move for row `r`: agent `a` re-plans with `boosted` penalties, then up to
/// [`FOLLOWERS`] agents able to cover the rows it left re-plan on `under`. Applied to
/// `schedules` with the new objective when it is below `z` and the pack rows hold, else
/// `schedules` is left as it was.
#[allow(clippy::too_many_arguments)]
fn attempt(
    model: &Model,
    schedules: &mut [Column],
    a: usize,
    r: usize,
    boosted: &[f64],
    under: &[f64],
    able: &[Vec<usize>],
    z: f64,
) -> Option<f64> {
    let moved = best_response(model, schedules, a, boosted)?;
    if !covers(&moved, r) {
        return None;
    }
    let mut saved: Vec<(usize, Column)> = vec![(a, std::mem::replace(&mut schedules[a], moved))];
    let (cover, _) = usage(model, schedules);
    // The rows the move left short (those the agent covered before), in row order.
    let left: Vec<usize> = saved[0]
        .1
        .rows
        .iter()
        .map(|&(x, _)| x as usize)
        .filter(|&x| cover[x] < model.rows[x].rhs - 1e-9)
        .collect();
    let mut followers: Vec<usize> = Vec::new();
    for &x in &left {
        for &b in &able[x] {
            if b != a && !followers.contains(&b) && followers.len() < FOLLOWERS {
                followers.push(b);
            }
        }
    }
    let mut nz = objective(model, schedules);
    for b in followers {
        let Some(col) = best_response(model, schedules, b, under) else {
            continue;
        };
        let old = std::mem::replace(&mut schedules[b], col);
        let bz = objective(model, schedules);
        if bz < nz - 1e-9 {
            nz = bz;
            saved.push((b, old));
        } else {
            schedules[b] = old;
        }
    }
    let (_, pack) = usage(model, schedules);
    if nz < z - 1e-7 * (1.0 + z.abs()) && packs_hold(model, &pack) {
        return Some(nz);
    }
    for (b, old) in saved.into_iter().rev() {
        schedules[b] = old;
    }
    None
}
