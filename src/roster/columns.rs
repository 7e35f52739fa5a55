//! The column phase (horizons up to eight weeks; with `microlp` only where the pricing DP
//! applies; see the `colgen` module): column
//! generation from one schedule per employee (raising the bound), then dives over its LP
//! (each completed by the restricted master MIP when it stops short), then the restricted
//! master MIP over the whole pool. Every part is counted, not timed: the pool's meter (the
//! `meter` module: pricing labels, simplex pivots weighed by their LP's size) paces
//! generation and the dives and is what the phase is charged; nodes per dive and
//! branch-and-bound nodes bound the rest. The budget only ends it early.

use super::colgen;
use super::data::Data;
use super::portfolio::{Search, LANES};
use crate::solver::Backend;

/// Column generation runs on horizons up to eight weeks (Instances 1-17 of the
/// benchmark) on either backend. Longer ones were not measured through on `microlp`:
/// there the restricted master MIP is bounded by its nodes, not by the work, and on
/// Instance 17 (eight weeks) its first LP already ran for over 20 minutes of CPU. With
/// HiGHS the phase once stopped at four weeks; on six and eight weeks it proves the optima
/// of Instances 14 and 17 with the work of 300 s, where the rounds alone ended 5.1 % and
/// 2.7 % above them.
const CG_MAX_DAYS: usize = 56;

/// With HiGHS, horizons up to twelve weeks (Instances 18 and 19): with the work of 300 s
/// the phase takes Instance 18 to 4467 (0.2 % above the best known 4459), where the rounds
/// alone ended at 4998. Longer ones were not measured through: seeding works there
/// (Instance 20 in 6 s), but a round of pricing on Instance 20 (26 weeks, 50 employees)
/// counted 7 000-10 000 units, and a dive prices every employee at each node.
const CG_MAX_DAYS_HIGHS: usize = 84;

/// Share of every lane's work the column phase aims at (it runs alone, its pricing on
/// every thread) where the exact pricing seeds its pool: its dives are what finds the best
/// rosters there, the rounds after it rarely improve on them. On Instance 8 the window
/// dives past the first half of this share found 1304 (the best known is 1300), where a
/// share of 0.5 ended at 1401 and the rounds' 193 neighbourhood steps improved nothing.
const CG_SHARE: f64 = 0.8;

/// The share where seeding gave up and pricing is a beam (only window dives run there, from
/// the construction roster; the rounds of search get the other half).
const BEAM_CG_SHARE: f64 = 0.5;

/// Pricing rounds of column generation per work unit of the phase (one per 200 units,
/// between 5 and 5000): counted in rounds, not by the meter, so that generation goes on
/// to convergence where it did when it was charged a fixed share (Instance 12 converges to
/// its optimum 4040 in about 150 rounds and 42 s of CPU; stopped at half the phase's
/// metered work it fell short and lost the proof). Its real cost is charged all the same.
const UNITS_PER_ROUND: u64 = 200;

/// Share of the phase's work after which no dive starts: the restricted master MIP over the
/// whole pool comes after them.
const DIVES_SHARE: f64 = 0.8;

/// Nodes a dive aims to end within (it forces more cells per node to get there).
const DIVE_NODES: usize = 30;

/// Branch-and-bound nodes of the restricted master MIP.
const RMIP_NODES: u64 = 2000;

/// Work units of HiGHS' search in a restricted master MIP that completes a dive, and the
/// least the one over the whole pool gets (it gets what is left of the phase's work): its
/// simplex iterations are cut there (see `colgen::restricted`). With `microlp` its nodes
/// bound its work.
const RMIP_UNITS: u64 = 2000;

/// Nodes times pooled schedules of the restricted master MIP over the whole pool: its
/// nodes get dearer as the pool grows (on Instance 9, 2000 nodes over 5024 schedules took
/// 59 s of CPU), so its node limit falls with the pool's size, within 100 and
/// [`RMIP_NODES`].
const FINAL_NODE_COLS: u64 = 2_000_000;

/// On models the full MIP proves alone, dives stop after this many in a row that found no
/// better roster: the proof is the full MIP's (Instance 1: the first dive finds the optimum
/// at once, the full MIP proves it).
const FRUITLESS_DIVES: usize = 4;

/// Free binaries of the models [`FRUITLESS_DIVES`] applies to: those the full MIP proves on
/// either backend (Instance 1 has 112). Not HiGHS' full-MIP cap (6000): with it Instances
/// 5-10 counted as such, and on Instance 8 the dives stopped after 12 (11 000 units, at
/// 1402) where the default build's went on to 1304.
const PROVABLE_VARS: usize = 300;

/// Whether the column phase runs on backend `bk`: with HiGHS on horizons up to
/// [`CG_MAX_DAYS_HIGHS`], with `microlp` up to [`CG_MAX_DAYS`] when the pricing DP applies
/// (its fallback, the pricing MIP, needs HiGHS); and the backend is built.
pub(super) fn applies(bk: Backend, dt: &Data) -> bool {
    match bk {
        Backend::Highs => cfg!(feature = "highs") && dt.nd <= CG_MAX_DAYS_HIGHS,
        Backend::Microlp => {
            cfg!(feature = "microlp") && dt.nd <= CG_MAX_DAYS && super::respond::applies(dt)
        }
        Backend::CoinCbc => false,
    }
}

/// Dives over the whole roster before the dives in a window of the best one begin.
const OPEN_DIVES: usize = 4;

/// The same with `microlp` on a long horizon, where an open dive costs far more than with
/// HiGHS: on Instance 15 (work of 300 s) its first four open dives took the whole dive
/// share (201 654 units against 192 000) and no window dive ran, ending at 3998 (4.4 %
/// above the best known); with two, the window dives after them reach 3840 (0.3 %), and
/// with one, 3884. Instances 14 and 16 end as with four (1278 proven in the same work,
/// 3227).
const LONG_MICROLP_OPEN_DIVES: usize = 2;

/// Which dives of the column phase are open (over the whole roster) and which stay in a
/// window of the best one (see [`window`]). The first [`OPEN_DIVES`] are open
/// ([`LONG_MICROLP_OPEN_DIVES`] with `microlp` on a long horizon); after them,
/// on horizons up to four weeks every other dive is (the path measured on Instances 1-12).
/// On longer ones ([`long`]) an open dive prices every employee over the whole horizon at
/// each node, and one that finds no better roster makes the next one wait 4, then 16, then
/// 64 dives; one that finds a better roster brings back the alternation. On Instance 15
/// with HiGHS (work of 300 s) the open dives after the second cost 5 000-7 000 units each
/// and found nothing, where a window dive costs 100-800, and one open dive in two ended at
/// 4046; backing off, it reaches 3835 (0.2 % above the best known). Every dive in a window
/// reached 3835 too, but left Instance 18 at 4568, where its open dives reach 4467. Where
/// pricing is a beam every dive is in a window (no open dive: see [`BEAM_CG_SHARE`]).
struct Dives {
    /// Whether the horizon is long.
    long: bool,
    /// Whether pricing is a beam (every dive in a window).
    beam: bool,
    /// Whether every window is of [`WINDOW_DAYS`]`[0]` days.
    short_windows: bool,
    /// Dives open from the start ([`OPEN_DIVES`] or [`LONG_MICROLP_OPEN_DIVES`]).
    first: usize,
    /// The next open dive's round (on a long horizon).
    next_open: usize,
    /// Rounds from a fruitless open dive to the next (on a long horizon).
    gap: usize,
}

impl Dives {
    fn new(long: bool, beam: bool, bk: Backend) -> Self {
        let first = if long && bk == Backend::Microlp {
            LONG_MICROLP_OPEN_DIVES
        } else {
            OPEN_DIVES
        };
        Dives {
            long,
            beam,
            short_windows: beam && bk == Backend::Microlp,
            first,
            next_open: first,
            gap: 1,
        }
    }

    /// Whether dive `round` stays in a window.
    fn in_window(&self, round: usize) -> bool {
        if self.beam {
            true
        } else if round < self.first {
            false
        } else if self.long {
            round != self.next_open
        } else {
            round % 2 == 1
        }
    }

    /// Length in days of window dive `round`'s window: [`WINDOW_DAYS`] alternately every
    /// two dives; where pricing is a beam on `microlp`, the first alone (on Instance 13 its
    /// first window of 14 days took 244 000 units, where with HiGHS they took
    /// 19 000-58 000 and found the better rosters: 1595 against 1794 with 7 days alone).
    fn window_days(&self, round: usize) -> usize {
        if self.short_windows {
            WINDOW_DAYS[0]
        } else {
            WINDOW_DAYS[round / 2 % 2]
        }
    }

    /// Records dive `round`'s outcome.
    fn record(&mut self, round: usize, improved: bool) {
        if !self.long || self.beam || self.in_window(round) {
            return;
        }
        if improved {
            self.gap = 1;
            self.next_open = (round + 1).next_multiple_of(2).max(self.first);
        } else {
            self.gap *= 4;
            self.next_open = (round + self.gap).max(self.first);
        }
    }
}

/// Length in days of a window dive's free window (alternately the first and the second).
const WINDOW_DAYS: [usize; 2] = [7, 14];

/// Forced cells (as `Rmp::forced`) of a window dive: every employee's days in a window of
/// `len` days (its first day seeded by `seed` and `round`) free, the others as in `grid`
/// (`u8::MAX`: off).
fn window(ne: usize, nd: usize, grid: &[u8], seed: u64, round: u64, len: usize) -> Vec<u8> {
    let len = len.min(nd);
    let mut rng = super::search::Rng::new(seed ^ round.wrapping_mul(0x51_7CC1_B727_220A));
    let first = (rng.unit() * (nd - len + 1) as f64) as usize;
    let mut forced = grid.to_vec();
    for e in 0..ne {
        for d in first..(first + len).min(nd) {
            forced[e * nd + d] = super::price::FREE;
        }
    }
    forced
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

/// Runs the column phase with a lane's work `per_lane`; adds the work it did to `work`:
/// its real cost, counted by the pool's meter (see `colgen::Meter::units`), which paces it.
/// The phase aims at [`CG_SHARE`] ([`BEAM_CG_SHARE`] where pricing is a beam) of every
/// lane's work (it runs alone, its pricing on every thread); the last dive or the final
/// restricted master MIP can take it past that, and then the rounds that follow get less.
pub(super) fn run(sh: &mut Search, per_lane: u64, work: &mut u64) -> Columns {
    let allowance = |share: f64| (per_lane as f64 * share) as u64 * LANES as u64;
    let (dt, budget, threads) = (sh.ctx.dt, sh.ctx.budget, sh.ctx.threads);
    let mut pool = colgen::Pool::new(dt);
    let long = long(dt);
    let mut beam_path = false;
    let seeded = match pool.seed_within(dt, budget, threads, SEED_LABELS) {
        // Exact pricing this heavy on up to four weeks keeps the beam path (Instance 13:
        // 120 employees over four weeks; a round of exact generation counts about 15 000
        // units, and after 330 000 units the master's value was still 42 % above the
        // optimum with no roster yet; with a roster first, generation capped at half of
        // the phase and dives capped as on long horizons, 2633 at `--work 300000`).
        Some(missing) if missing.is_empty() && !long && pool.meter.units() > HEAVY_SEED_UNITS => {
            pool.beam = Some(BEAM_LABELS);
            beam_path = true;
            sh.dp_explodes = true;
            construct(sh, per_lane, work);
            sh.best.valid()
        }
        Some(missing) if missing.is_empty() => {
            if long {
                // A roster first: its rows bound the pricing (each employee's pooled
                // schedule bounds its DP) and warm start the restricted master MIPs.
                construct(sh, per_lane, work);
            }
            true
        }
        // On a long horizon, no column phase: pricing a few employees by a beam and the
        // others exactly left Instance 15's master at its first roster's value for five
        // rounds (31 600 units), and its first dive ran for minutes.
        Some(_) if long => false,
        Some(missing) => {
            // Pricing explodes here: each round's pricing is capped too.
            pool.beam = Some(BEAM_LABELS);
            beam_path = true;
            sh.dp_explodes = true;
            // A roster first: its rows seed the employees the pricing gave up on, and its
            // objective is an upper bound that prunes the pricing from the first round
            // (each employee's pooled schedule bounds its DP).
            construct(sh, per_lane, work);
            sh.best.valid()
                && missing.iter().all(|&e| {
                    let row = &sh.best.grid[e * dt.nd..(e + 1) * dt.nd];
                    pool.add_checked(dt, e, row)
                })
        }
        None => false,
    };
    let out = if seeded {
        if sh.best.valid() {
            pool.add_grid(dt, &sh.best.grid);
        }
        let share = if beam_path { BEAM_CG_SHARE } else { CG_SHARE };
        phase(sh, &mut pool, allowance(share), beam_path)
    } else {
        Columns::Bound
    };
    *work += pool.meter.units();
    out
}

/// Horizons up to this many days take the path measured on Instances 1-13 (13 the beam
/// path, see [`HEAVY_SEED_UNITS`]); longer ones are [`long`].
const SHORT_DAYS: usize = 28;

/// Whether `dt`'s horizon is longer than four weeks (Instances 14-21): the column phase
/// starts from a roster, caps generation by the meter (see [`LONG_GEN_SHARE`]) and trims
/// the pool before the dives (see [`LONG_DIVE_POOL`]); with `microlp`, a dive's weights LP
/// is stated with its slacks substituted out (`rmp`) and the restricted master MIP is
/// paced by its pivots (`colgen::restricted`). Shorter horizons keep the path measured on
/// Instances 1-12.
pub(super) fn long(dt: &Data) -> bool {
    dt.nd > SHORT_DAYS
}

/// Work units of seeding (its labels) past which a horizon of up to four weeks keeps the
/// beam path: Instance 13's seeding counts about 2 200; Instances 1-12's stay
/// under about 640 (at most 60 employees, at most 26 400 labels each).
const HEAVY_SEED_UNITS: u64 = 1_000;

/// On a long horizon, share of the phase's work after which generation stops (checked
/// between rounds): a round prices every employee over the whole horizon (on Instance 14,
/// 32 employees over six weeks, about 1 900 units; it converged to its optimum 1278 in
/// about 45 rounds), and the dives need the rest.
const LONG_GEN_SHARE: f64 = 0.5;

/// On a long horizon, schedules of each employee kept in the pool (the latest) when the
/// dives begin.
const LONG_DIVE_POOL: usize = 10;

/// Labels a day past which seeding the pool by the pricing DP gives up on an employee
/// (see `Pool::seed_within`); a roster seeds it instead. Instances 1-12 of the benchmark
/// stay below it.
const SEED_LABELS: usize = 20_000;

/// Labels a day the pricing keeps where seeding gave up on employees (`Pool::beam`):
/// on Instance 13 (120 employees, 18 shift types) a round of beam pricing over every
/// employee counted about 1 700-2 600 work units.
const BEAM_LABELS: usize = 300;

/// Where pricing is a beam, share of the phase's work after which generation stops: its
/// rounds find schedules but no bound, and on Instance 13 the master's value did not move
/// from the construction roster's in 11 rounds (26 000 units), so the work goes to window
/// dives from that roster and the rounds of search instead.
const BEAM_GEN_SHARE: f64 = 0.1;

/// Branch-and-bound nodes of the restricted master MIP over the pool where pricing is a
/// beam.
const BEAM_RMIP_NODES: u64 = 100;

/// Share of a lane's work for the construction anneal that seeds the pool when the
/// pricing gives up (at most the construction's cap).
const SEED_ANNEAL_SHARE: f64 = 0.1;

/// Round number of that construction (its lanes' seeds; the rounds count from 0).
const SEED_ROUND: u64 = u64::MAX;

/// The first roster, before the column phase: one anneal from the empty roster per lane
/// (its own seed), each lane's rows that still break rules then repaired on their own;
/// the best lane's roster is offered. Charges `work` what it was given.
fn construct(sh: &mut Search, per_lane: u64, work: &mut u64) {
    use super::portfolio::{moves_per_unit, run_lanes, Best, CONSTRUCT_MAX_UNITS};
    let units = ((per_lane as f64 * SEED_ANNEAL_SHARE) as u64).clamp(1, CONSTRUCT_MAX_UNITS);
    let ctx = &sh.ctx;
    let (dt, budget) = (ctx.dt, ctx.budget);
    let mut lanes = [(); LANES];
    let f = |lane: usize, _: &mut ()| -> (Best, u64) {
        let seed = ctx.seed_of(SEED_ROUND, lane);
        let empty = vec![u8::MAX; dt.ne * dt.nd];
        let moves = units * moves_per_unit(dt);
        let (g, _, _) = super::search::anneal(dt, empty, moves, seed, 200.0, budget);
        let best = Best::new(ctx.problem, dt, g);
        if best.valid() {
            return (best, units);
        }
        let fix = (units / 4).max(1);
        let g = super::search::repair_rows(dt, best.grid, fix * moves_per_unit(dt), seed, budget);
        (Best::new(ctx.problem, dt, g), units + fix)
    };
    let outs = run_lanes(ctx.threads, &mut lanes, &f);
    let mut pick: Option<Best> = None;
    for (best, units) in outs.into_iter().flatten() {
        *work += units;
        if pick.as_ref().is_none_or(|p| best.key() < p.key()) {
            pick = Some(best);
        }
    }
    if let Some(p) = pick {
        sh.offer_best(p, "anneal");
    }
}

/// The column phase over `pool` (seeded): generation for a number of rounds, dives until
/// the meter reaches [`DIVES_SHARE`] of `allowance` (at least one), then the restricted
/// master MIP over the whole pool.
fn phase(sh: &mut Search, pool: &mut colgen::Pool, allowance: u64, beam_path: bool) -> Columns {
    let (dt, budget, threads, bk) = (sh.ctx.dt, sh.ctx.budget, sh.ctx.threads, sh.ctx.bk);
    let share = |f: f64| (allowance as f64 * f) as u64;
    let target = |sh: &Search| {
        if sh.best.valid() {
            sh.best.report.objective
        } else {
            i64::MAX
        }
    };
    let mut exact = false;
    let rounds = ((allowance / UNITS_PER_ROUND) as usize).clamp(5, 5000);
    let long = long(dt);
    let max_units = if beam_path {
        share(BEAM_GEN_SHARE)
    } else if long {
        share(LONG_GEN_SHARE)
    } else {
        u64::MAX
    };
    if let Some(g) = colgen::generate(dt, pool, budget, rounds, max_units, target(sh), threads, bk)
    {
        // Early bounds can be negative; penalties never are.
        if let Some(b) = g.bound.filter(|&b| b > 0.0) {
            sh.raise_bound(colgen::ceil(b), "column generation");
        }
        exact = g.converged;
    }
    rescue(sh, pool, &[]);
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
    if long {
        // A dive's master LPs are built from the pool (from scratch with `microlp`): on
        // Instance 14 the first dive's first LP, over its 1 300 schedules, ran for
        // minutes.
        pool.trim(LONG_DIVE_POOL);
    }
    let small = dt.allowed.iter().filter(|&&a| a).count() <= PROVABLE_VARS;
    let patience = if small { FRUITLESS_DIVES } else { usize::MAX };
    let dive_units = share(DIVES_SHARE);
    let mut fruitless = 0;
    let mut dives = Dives::new(long, beam_path, bk);
    // Where pricing is a beam, only window dives from a roster: an open dive's node
    // prices every employee until its LP settles, and on Instance 13 the first open dive
    // had not ended after 200 s of wall time.
    for round in 0.. {
        let valid = sh.best.valid();
        // At least one dive, however long generation took.
        if (beam_path && !valid)
            || fruitless >= patience
            || (round > 0 && pool.meter.units() >= dive_units)
        {
            break;
        }
        if valid {
            pool.add_grid(dt, &sh.best.grid);
        }
        // After the first dives, most dives stay near the best roster (which ones:
        // `Dives`): a window of days is free, every other cell forced to the best roster's.
        let start = (valid && dives.in_window(round)).then(|| {
            let len = dives.window_days(round);
            window(dt.ne, dt.nd, &sh.best.grid, sh.ctx.seed, round as u64, len)
        });
        // On a long horizon a dive ends at the dives' share of the work (on Instance 14 the
        // first dive ran past it by 250 000 units, until the clock ended the run); on
        // horizons up to four weeks by its nodes. Cut at the phase's whole work there
        // instead, Instance 12 with `microlp` at `--work 60000` ended its first dive at
        // 48 000 units with employees not whole, and the restricted master MIP that
        // completes it ran until the clock: no roster at a 60 s limit, where the dive by
        // its nodes ends with a proof of the optimum.
        let until = if long { dive_units } else { u64::MAX };
        let mut heaviest = Vec::new();
        let fixed = colgen::dive(
            dt,
            pool,
            budget,
            until,
            target(sh),
            threads,
            round as u64,
            sh.ctx.seed,
            DIVE_NODES,
            start.as_deref(),
            bk,
            &mut heaviest,
        );
        // The restricted master MIP completes a dive that stopped short.
        let warm = valid.then(|| sh.best.grid.clone());
        let improved = fixed
            .as_ref()
            .and_then(|fixed| {
                colgen::restricted(
                    dt,
                    pool,
                    fixed,
                    warm.as_deref(),
                    budget,
                    RMIP_NODES,
                    RMIP_UNITS,
                    bk,
                )
            })
            .is_some_and(|grid| sh.offer(grid, "column dive"));
        fruitless = if improved { 0 } else { fruitless + 1 };
        dives.record(round, improved);
        // The clock ended the dive (Instance 12 on the default build at a 60 s limit, its
        // first dive not done) and the MIP had no time to complete it: the employees
        // whole keep their schedule, the others take their heaviest.
        let pick: Vec<Option<usize>> = match &fixed {
            Some(f) => f.iter().zip(&heaviest).map(|(f, h)| f.or(*h)).collect(),
            None => heaviest,
        };
        rescue(sh, pool, &pick);
        if let Some(c) = done(sh) {
            return c;
        }
    }
    if long && bk == Backend::Microlp {
        // microlp's root LP of the MIP over the dives' pool (Instance 17: thousands of
        // schedules) ran for minutes before its first node, where no pivot count can stop
        // it: the MIP gets the latest schedules of each employee and the best roster's.
        pool.trim(LONG_DIVE_POOL);
    }
    let valid = sh.best.valid();
    if valid {
        pool.add_grid(dt, &sh.best.grid);
    }
    let warm = valid.then(|| sh.best.grid.clone());
    let cols = pool.cols.iter().map(|c| c.len() as u64).sum::<u64>().max(1);
    let nodes = if beam_path {
        BEAM_RMIP_NODES
    } else {
        (FINAL_NODE_COLS / cols).clamp(100, RMIP_NODES)
    };
    let units = allowance.saturating_sub(pool.meter.units()).max(RMIP_UNITS);
    if let Some(grid) = colgen::restricted(dt, pool, &[], warm.as_deref(), budget, nodes, units, bk)
    {
        sh.offer(grid, "column MIP");
    }
    rescue(sh, pool, &[]);
    done(sh).unwrap_or(if exact {
        Columns::Exact
    } else {
        Columns::Bound
    })
}

/// When the clock has ended the phase and no roster keeps every rule yet, the roster of
/// `pick` completed by each employee's cheapest pooled schedule ([`colgen::completed`]):
/// every pooled schedule keeps its employee's rules, so the solve answers with a roster
/// instead of none (no search runs after the clock).
fn rescue(sh: &mut Search, pool: &colgen::Pool, pick: &[Option<usize>]) {
    if sh.ctx.budget.is_over() && !sh.best.valid() {
        sh.offer(
            colgen::completed(sh.ctx.dt, pool, pick),
            "column phase, cut",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::curtois;

    fn data(name: &str) -> Data {
        Data::new(&curtois::bundled(name))
    }

    /// The rounds of the open dives among the first 100, when dive `r` finds a better
    /// roster exactly where `found(r)`.
    fn open_dives(long: bool, beam: bool, found: impl Fn(usize) -> bool) -> Vec<usize> {
        open_dives_on(long, beam, Backend::Highs, found)
    }

    fn open_dives_on(
        long: bool,
        beam: bool,
        bk: Backend,
        found: impl Fn(usize) -> bool,
    ) -> Vec<usize> {
        let mut dives = Dives::new(long, beam, bk);
        (0..100)
            .filter(|&r| {
                let open = !dives.in_window(r);
                dives.record(r, found(r));
                open
            })
            .collect()
    }

    #[test]
    fn open_dives_back_off_on_long_horizons_only() {
        // Up to four weeks: every other dive after the first four, whatever they find.
        let short: Vec<usize> = (0..4).chain((4..100).step_by(2)).collect();
        assert_eq!(open_dives(false, false, |_| false), short);
        assert_eq!(open_dives(false, false, |_| true), short);
        // Longer: the same while open dives find better rosters...
        assert_eq!(open_dives(true, false, |_| true), short);
        // ... and a fruitless one makes the next wait 4, 16, 64 dives.
        assert_eq!(open_dives(true, false, |r| r < 2), [0, 1, 2, 3, 19, 83]);
        // One that finds a better roster brings the alternation back.
        assert_eq!(
            open_dives(true, false, |r| r < 2 || r == 19 || r == 20)[..8],
            [0, 1, 2, 3, 19, 20, 22, 26]
        );
        // With microlp on a long horizon the first two alone are open before the back-off;
        // up to four weeks, four as with HiGHS.
        let microlp = |long: bool, found: fn(usize) -> bool| -> Vec<usize> {
            open_dives_on(long, false, Backend::Microlp, found)
        };
        assert_eq!(microlp(true, |r| r < 1), [0, 1, 5, 21, 85]);
        let alternate: Vec<usize> = (0..2).chain((2..100).step_by(2)).collect();
        assert_eq!(microlp(true, |_| true), alternate);
        assert_eq!(microlp(false, |_| false), short);
        // Where pricing is a beam, no open dive.
        assert!(open_dives(false, true, |_| true).is_empty());
        assert!(open_dives(true, true, |_| false).is_empty());
    }

    #[test]
    fn windows_are_of_a_week_where_microlp_prices_by_a_beam() {
        let days = |beam: bool, bk: Backend| -> Vec<usize> {
            let dives = Dives::new(false, beam, bk);
            (4..12).map(|r| dives.window_days(r)).collect()
        };
        let alternate = [7, 7, 14, 14, 7, 7, 14, 14];
        assert_eq!(days(false, Backend::Microlp), alternate);
        assert_eq!(days(true, Backend::Highs), alternate);
        assert_eq!(days(true, Backend::Microlp), [7; 8]);
    }

    #[test]
    fn the_column_phase_runs_on_twelve_weeks_with_highs_alone() {
        let (eight, twelve, half_year) = (
            data("Instance16.txt"),
            data("Instance18.txt"),
            data("Instance20.txt"),
        );
        assert_eq!((eight.nd, twelve.nd, half_year.nd), (56, 84, 182));
        let highs = cfg!(feature = "highs");
        let microlp = cfg!(feature = "microlp");
        assert_eq!(applies(Backend::Highs, &eight), highs);
        assert_eq!(applies(Backend::Highs, &twelve), highs);
        assert!(!applies(Backend::Highs, &half_year));
        assert_eq!(applies(Backend::Microlp, &eight), microlp);
        assert!(!applies(Backend::Microlp, &twelve));
        assert!(!applies(Backend::CoinCbc, &eight));
    }
}
