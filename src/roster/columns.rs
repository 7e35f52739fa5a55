//! The column phase (horizons up to four weeks; with `microlp` only where the pricing DP
//! applies; see the `colgen` module): column
//! generation from one schedule per employee (raising the bound), then dives over its LP
//! (each completed by the restricted master MIP when it stops short), then the restricted
//! master MIP over the whole pool. Every part is counted, not timed: pricing rounds, dives,
//! nodes per dive, branch-and-bound nodes; the budget only ends it early.

use super::colgen;
use super::data::Data;
use super::portfolio::{Search, LANES};
use crate::solver::Backend;

/// Column generation runs on horizons up to four weeks (Instances 1-13 of the benchmark,
/// where it was measured; on Instance 14's six weeks it did not converge in 60 s).
pub(super) const CG_MAX_DAYS: usize = 28;

/// Share of a lane's work the column phase is charged (it runs alone, its pricing on every
/// thread).
const CG_SHARE: f64 = 0.5;

/// Work units per pricing round of column generation, and per dive (on Instance 8 a round
/// takes about 0.1 s, a dive about 0.6 s).
const ROUND_UNITS: u64 = 50;
const DIVE_UNITS: u64 = 400;

/// Nodes a dive aims to end within (it forces more cells per node to get there).
const DIVE_NODES: usize = 30;

/// Branch-and-bound nodes of the restricted master MIP.
const RMIP_NODES: u64 = 2000;

/// On models the full MIP proves alone, dives stop after this many in a row that found no
/// better roster: the proof is the full MIP's (Instance 1: the first dive finds the optimum
/// at once, the full MIP proves it).
const FRUITLESS_DIVES: usize = 4;

/// Whether the column phase runs on backend `bk`: with HiGHS always (within the horizon);
/// with `microlp` when the pricing DP applies (its fallback, the pricing MIP, needs HiGHS)
/// and the backend is built.
pub(super) fn applies(bk: Backend, dt: &Data) -> bool {
    match bk {
        Backend::Highs => cfg!(feature = "highs"),
        Backend::Microlp => cfg!(feature = "microlp") && super::respond::applies(dt),
        Backend::CoinCbc => false,
    }
}

/// What the column phase proved.
pub(super) enum Columns {
    /// The best roster is at the bound: optimal.
    Proven,
    /// The bound is the column-generation LP's (rounded up): the compact LP cannot do
    /// better.
    Exact,
    /// Any bound it raised is a Lagrangian one, short of the LP's.
    Bound,
}

/// Runs the column phase with a lane's work `per_lane`; adds the work charged to `work`.
pub(super) fn run(sh: &mut Search, per_lane: u64, work: &mut u64) -> Columns {
    let units = (per_lane as f64 * CG_SHARE) as u64;
    *work += units * LANES as u64;
    let (dt, budget, threads, bk) = (sh.ctx.dt, sh.ctx.budget, sh.ctx.threads, sh.ctx.bk);
    let Some(mut pool) = colgen::Pool::seeded(dt, budget, threads) else {
        return Columns::Bound;
    };
    let target = |sh: &Search| {
        if sh.best.valid() {
            sh.best.report.objective
        } else {
            i64::MAX
        }
    };
    let rounds = ((units / 2 / ROUND_UNITS) as usize).clamp(5, 5000);
    let mut exact = false;
    if let Some(g) = colgen::generate(dt, &mut pool, budget, rounds, target(sh), threads, bk) {
        // Early bounds can be negative; penalties never are.
        if let Some(b) = g.bound.filter(|&b| b > 0.0) {
            sh.raise_bound((b - 1e-6).ceil() as i64, "column generation");
        }
        exact = g.converged;
    }
    let done = |sh: &Search| {
        if sh.at_bound() {
            Some(Columns::Proven)
        } else if budget.is_over() {
            Some(if exact {
                Columns::Exact
            } else {
                Columns::Bound
            })
        } else {
            None
        }
    };
    if let Some(c) = done(sh) {
        return c;
    }
    let small = dt.allowed.iter().filter(|&&a| a).count() <= sh.ctx.caps.full;
    let patience = if small { FRUITLESS_DIVES } else { usize::MAX };
    let dives = ((units / 2 / DIVE_UNITS) as usize).max(1);
    let mut fruitless = 0;
    for round in 0..dives {
        if fruitless >= patience {
            break;
        }
        let valid = sh.best.valid();
        if valid {
            pool.add_grid(dt, &sh.best.grid);
        }
        let fixed = colgen::dive(
            dt,
            &mut pool,
            budget,
            target(sh),
            threads,
            round as u64,
            sh.ctx.seed,
            DIVE_NODES,
            bk,
        );
        // The restricted master MIP completes a dive that stopped short.
        let warm = valid.then(|| sh.best.grid.clone());
        let improved = fixed
            .and_then(|fixed| {
                colgen::restricted(dt, &pool, &fixed, warm.as_deref(), budget, RMIP_NODES, bk)
            })
            .is_some_and(|grid| sh.offer(grid, "column dive"));
        fruitless = if improved { 0 } else { fruitless + 1 };
        if let Some(c) = done(sh) {
            return c;
        }
    }
    let valid = sh.best.valid();
    if valid {
        pool.add_grid(dt, &sh.best.grid);
    }
    let warm = valid.then(|| sh.best.grid.clone());
    if let Some(grid) = colgen::restricted(dt, &pool, &[], warm.as_deref(), budget, RMIP_NODES, bk)
    {
        sh.offer(grid, "column MIP");
    }
    done(sh).unwrap_or(if exact {
        Columns::Exact
    } else {
        Columns::Bound
    })
}
