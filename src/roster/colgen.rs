//! Column generation over whole schedules (either backend): every hard rule of the benchmark
//! is about one employee, and cover is soft, so a roster is one valid schedule per
//! employee. The master LP mixes known schedules ("columns") of each employee to meet cover
//! at least cost; its duals price the cover rows, and pricing per employee (the exact DP of
//! the `price` module, else the pricing MIP [`mip::price`]) finds the schedule with the most
//! negative reduced cost, which joins the pool. The Lagrangian bound `sum of requirement
//! times dual + each employee's best schedule` is a lower bound of every roster at every
//! iteration, and at convergence it is the master's value: the bound of the model where
//! each employee's rules are enforced exactly, far tighter than the compact LP relaxation
//! (whose rows only approximate them).
//!
//! The master is the `rmp` module's (HiGHS: one model re-solved from its last basis;
//! `microlp`: the master's dual LP, see there). Rosters come from
//! [`dive`]s: force the cells (an employee's day) the LP is sure of, and the one it likes
//! most of the rest, re-price under the forced cells, repeat until every employee's weight
//! sits on one schedule; and from the [`restricted`] master MIP (one pooled schedule per
//! employee, any choice a valid roster), which also completes a dive cut short.

use super::data::Data;
pub(crate) use super::meter::Meter;
#[cfg(feature = "highs")]
use super::mip;
use super::price::FREE;
use super::rmp::{Lp, Rmp};
use crate::budget::Budget;
use crate::solver::Backend;
use std::collections::HashSet;
use std::sync::atomic::Ordering;

/// Weight of the best-bound duals in the duals the pricing uses (Wentges smoothing).
const SMOOTHING: f64 = 0.7;

/// Labels per day past which the DP pricing gives way to the pricing MIP.
pub(super) const MAX_LABELS: usize = 200_000;

/// Labels a day of the beam an exact pricing DP falls back to when it gives up (past
/// [`MAX_LABELS`] a day) and no pricing MIP is built (default build).
const FALLBACK_BEAM: usize = 300;

/// One employee's schedule: its shift per day (`u8::MAX` off) and its request penalty.
pub(super) struct Col {
    pub row: Vec<u8>,
    pub cost: f64,
}

/// The schedules known so far, per employee, and the work spent on them.
pub(crate) struct Pool {
    pub(super) cols: Vec<Vec<Col>>,
    seen: Vec<HashSet<Vec<u8>>>,
    /// Counts of the work the column phase did over this pool.
    pub(super) meter: Meter,
    /// Where the exact pricing explodes (see `columns::run`): pricing over this pool keeps
    /// only this many labels a day (`price::price_beam`), so a round's work is bounded;
    /// its schedules are valid but not proven best, so such rounds give no bound.
    /// `None`: exact pricing.
    pub(super) beam: Option<usize>,
}

/// Request penalty of schedule `row` of employee `e`.
fn row_cost(dt: &Data, e: usize, row: &[u8]) -> f64 {
    let mut c = dt.on_total[e];
    for (d, &s) in row.iter().enumerate() {
        if (s as usize) < dt.ns {
            let k = (e * dt.nd + d) * dt.ns + s as usize;
            c += dt.off_w[k] - dt.on_w[k];
        }
    }
    c as f64
}

impl Pool {
    pub fn new(dt: &Data) -> Self {
        Pool {
            cols: (0..dt.ne).map(|_| Vec::new()).collect(),
            seen: (0..dt.ne).map(|_| HashSet::new()).collect(),
            meter: Meter::default(),
            beam: None,
        }
    }

    /// Adds schedule `row` of employee `e` (once). The caller vouches that it keeps every
    /// hard rule of `e`.
    pub(super) fn add(&mut self, dt: &Data, e: usize, row: Vec<u8>) -> bool {
        if !self.seen[e].insert(row.clone()) {
            return false;
        }
        let cost = row_cost(dt, e, &row);
        self.cols[e].push(Col { row, cost });
        true
    }

    /// A pool with one schedule of each employee: its best alone with no cover (least
    /// request penalty). `None` when some employee has no valid schedule, or pricing did
    /// not finish within `budget`.
    #[cfg(test)]
    pub fn seeded(dt: &Data, budget: &Budget, threads: usize) -> Option<Self> {
        let mut pool = Pool::new(dt);
        pool.seed(dt, budget, threads)?;
        Some(pool)
    }

    /// A pool seeded as [`Pool::seeded`] on one thread, then grown by `rounds` rounds of
    /// generation with `microlp`; also the seeded schedules' roster.
    #[cfg(all(test, feature = "microlp"))]
    pub fn generated(dt: &Data, rounds: usize) -> (Self, Vec<u8>) {
        let budget = Budget::new(std::time::Duration::from_secs(600), None);
        let mut pool = Pool::seeded(dt, &budget, 1).unwrap();
        let seeds = (0..dt.ne)
            .flat_map(|e| pool.cols[e][0].row.clone())
            .collect();
        let (lot, target, bk) = (u64::MAX, i64::MAX, Backend::Microlp);
        generate(dt, &mut pool, &budget, rounds, lot, target, 1, bk).unwrap();
        (pool, seeds)
    }

    /// Adds one schedule of each employee to this empty pool: its best alone with no cover
    /// (least request penalty). `None` when some employee has no valid schedule, or pricing
    /// did not finish within `budget` (the meter still counts the work done).
    #[cfg(test)]
    pub fn seed(&mut self, dt: &Data, budget: &Budget, threads: usize) -> Option<()> {
        let zero = vec![0.0; dt.nd * dt.ns];
        let everyone: Vec<usize> = (0..dt.ne).collect();
        let found = price_all(dt, self, &zero, &everyone, budget, threads, None);
        for (e, r) in found.into_iter().enumerate() {
            self.add(dt, e, r?.0);
        }
        Some(())
    }

    /// Keeps only the last `keep` schedules of each employee (the latest generation
    /// rounds' schedules, nearest the LP's optimum): the master LPs of a dive are built
    /// from the pool, and their cost grows with it. A schedule dropped may join again.
    pub fn trim(&mut self, keep: usize) {
        for (cols, seen) in self.cols.iter_mut().zip(&mut self.seen) {
            let cut = cols.len().saturating_sub(keep.max(1));
            for c in cols.drain(..cut) {
                seen.remove(&c.row);
            }
        }
    }

    /// Adds every employee's schedule of a valid roster.
    pub fn add_grid(&mut self, dt: &Data, grid: &[u8]) {
        for e in 0..dt.ne {
            self.add(dt, e, grid[e * dt.nd..(e + 1) * dt.nd].to_vec());
        }
    }
}

/// The master's parts: objective, each cover row's left side (under and over variables
/// included), each employee's convexity row, and the columns' variables (with the index of
/// their column in the pool).
struct Master {
    obj: good_lp::Expression,
    cover: Vec<Option<good_lp::Expression>>,
    conv: Vec<good_lp::Expression>,
    lam: Vec<Vec<(usize, good_lp::Variable)>>,
}

/// The master over the pool: a weight per column (binary for the restricted MIP), cover
/// under and over at their penalties. An employee fixed to a column (`fixed[e]`) gets only
/// that one.
///
fn master(
    dt: &Data,
    pool: &Pool,
    fixed: &[Option<usize>],
    vars: &mut good_lp::ProblemVariables,
    binary: bool,
) -> Master {
    use good_lp::{variable, Expression};
    let (nd, ns) = (dt.nd, dt.ns);
    let mut obj = Expression::from(0.0);
    let mut cover: Vec<Option<Expression>> = vec![None; nd * ns];
    for (i, c) in dt.cover.iter().enumerate() {
        if let Some((_, wu, wo)) = c {
            let u = vars.add(variable().min(0));
            let o = vars.add(variable().min(0));
            obj.add_mul(*wu as f64, u);
            obj.add_mul(*wo as f64, o);
            let mut l = Expression::from(0.0);
            l.add_mul(1.0, u);
            l.add_mul(-1.0, o);
            cover[i] = Some(l);
        }
    }
    let mut conv = Vec::with_capacity(dt.ne);
    let mut lam = Vec::with_capacity(dt.ne);
    for (e, cols) in pool.cols.iter().enumerate() {
        let mut l = Expression::from(0.0);
        let mut vs = Vec::new();
        for (j, col) in cols.iter().enumerate() {
            if fixed.get(e).copied().flatten().is_some_and(|f| f != j) {
                continue;
            }
            let v = vars.add(if binary {
                variable().binary()
            } else {
                variable().min(0)
            });
            obj.add_mul(col.cost, v);
            l.add_mul(1.0, v);
            for (d, &s) in col.row.iter().enumerate() {
                if (s as usize) < ns {
                    if let Some(c) = cover[d * ns + s as usize].as_mut() {
                        c.add_mul(1.0, v);
                    }
                }
            }
            vs.push((j, v));
        }
        conv.push(l);
        lam.push(vs);
    }
    Master {
        obj,
        cover,
        conv,
        lam,
    }
}

/// Sum over cover rows of the requirement times `p`.
pub(super) fn req_dot(dt: &Data, p: &[f64]) -> f64 {
    dt.cover
        .iter()
        .zip(p)
        .map(|(c, p)| c.map_or(0.0, |(req, _, _)| req as f64 * p))
        .sum()
}

/// A pricing's answer: the schedule, its value, and whether it is proven the best.
type Priced = Option<(Vec<u8>, f64, bool)>;

/// The best schedule of each employee of `emps` at `cost[d * ns + s]` per worked cell (plus
/// its request penalty), on `threads` threads: by the DP, bounded by the best pooled
/// schedule at these costs, else by the pricing MIP. Each answer goes to its employee's
/// slot, so the outcome does not depend on the threads. `None` for an employee not priced
/// within `budget`.
fn price_all(
    dt: &Data,
    pool: &Pool,
    cost: &[f64],
    emps: &[usize],
    budget: &Budget,
    threads: usize,
    forced: Option<&[u8]>,
) -> Vec<Priced> {
    let (nd, ns) = (dt.nd, dt.ns);
    let forced_of = |e: usize| forced.map(|f| &f[e * nd..(e + 1) * nd]);
    let pooled = |e: usize| -> (f64, usize) {
        let f = forced_of(e);
        pool.cols[e]
            .iter()
            .map(|c| {
                if f.is_some_and(|f| f.iter().zip(&c.row).any(|(&f, &r)| f != FREE && f != r)) {
                    return f64::INFINITY;
                }
                c.cost
                    + c.row
                        .iter()
                        .enumerate()
                        .filter(|(_, &s)| (s as usize) < ns)
                        .map(|(d, &s)| cost[d * ns + s as usize])
                        .sum::<f64>()
            })
            .enumerate()
            .fold(
                (f64::INFINITY, 0),
                |b, (i, v)| if v < b.0 { (v, i) } else { b },
            )
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let slots: Vec<std::sync::Mutex<Priced>> =
        emps.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let made = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|sc| {
        for _ in 0..threads.max(1) {
            sc.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= emps.len() || budget.is_over() {
                    break;
                }
                let e = emps[i];
                let (ub, at) = pooled(e);
                let f = forced_of(e);
                let mut labels = 0;
                let mut exact = true;
                let beam = |labels: &mut u64, exact: &mut bool, b: usize| {
                    super::price::price_beam(dt, e, cost, b, ub, f, labels, exact)
                };
                let priced = match pool.beam {
                    Some(b) => beam(&mut labels, &mut exact, b),
                    None => {
                        let mut tally = super::price::Tally::new();
                        let p = super::price::price_counted(
                            dt, e, cost, MAX_LABELS, ub, f, &mut tally, None,
                        );
                        labels += tally.labels;
                        // Without a pricing MIP, an exact DP that gave up falls back to the
                        // beam: a valid schedule, not proven the best.
                        if p.is_none() && cfg!(not(feature = "highs")) {
                            beam(&mut labels, &mut exact, FALLBACK_BEAM)
                        } else {
                            p
                        }
                    }
                };
                made.fetch_add(labels, Ordering::Relaxed);
                let r = match priced {
                    Some(Some((row, v))) => Some((row, v, exact)),
                    // Nothing beats the pooled schedule: it is the best (with no pooled
                    // schedule that agrees: none exists).
                    Some(None) => pool.cols[e]
                        .get(at)
                        .filter(|_| ub.is_finite())
                        .map(|c| (c.row.clone(), ub, exact)),
                    // The pricing MIP knows no forced cells.
                    None if f.is_some_and(|f| f.iter().any(|&x| x != FREE)) => None,
                    #[cfg(feature = "highs")]
                    None => mip::price(dt, e, cost, budget, &pool.meter),
                    // Without HiGHS there is no pricing MIP ([`columns::applies`] keeps
                    // such problems out).
                    #[cfg(not(feature = "highs"))]
                    None => None,
                };
                *slots[i].lock().unwrap_or_else(|p| p.into_inner()) = r;
            });
        }
    });
    Meter::add(&pool.meter.labels, made.into_inner());
    slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
        .collect()
}

/// Outcome of [`generate`].
pub(crate) struct Generated {
    /// Best Lagrangian bound met (every pricing proven optimal in that iteration).
    pub bound: Option<f64>,
    /// The bound rounds up to the master LP's value: no relaxation of the same model can
    /// give a better one.
    pub converged: bool,
}

/// Rounds a bound up to the next integer (objectives are integral), less a tolerance for
/// the LP's rounding: 1e-4, or a millionth of the bound when larger. An LP's value carries
/// the solver's error (Instance 17's master LP, whose optimum is 5746, came out at
/// 5746.0000056 with `microlp`, and a tolerance of 1e-6 made it a bound of 5747, above the
/// optimal roster). Any tolerance below 1 keeps the bound valid.
pub(super) fn ceil(b: f64) -> i64 {
    (b - 1e-4_f64.max(1e-6 * b.abs())).ceil() as i64
}

/// Column generation from the pool (which must hold a schedule of every employee) until
/// convergence, `rounds` pricing rounds, the pool's meter at `max_units` (checked before
/// each round: the same on every run), or a bound that rounds up to `target` (nothing
/// below it can exist: objectives are integral); `budget` only ends it early.
#[allow(clippy::too_many_arguments)]
pub(crate) fn generate(
    dt: &Data,
    pool: &mut Pool,
    budget: &Budget,
    rounds: usize,
    max_units: u64,
    target: i64,
    threads: usize,
    bk: Backend,
) -> Option<Generated> {
    if pool.cols.iter().any(Vec::is_empty) {
        return None;
    }
    let mut out = Generated {
        bound: None,
        converged: false,
    };
    let everyone: Vec<usize> = (0..dt.ne).collect();
    let mut rmp = Rmp::new(dt, pool, bk)?;
    let alpha = SMOOTHING;
    let mut center: Option<Vec<f64>> = None;
    let mut mispriced = false;
    for _ in 0..rounds {
        if pool.meter.units() >= max_units {
            break;
        }
        let Some(lp) = rmp.solve(dt, pool, budget, false) else {
            return Some(out);
        };
        // Wentges smoothing: price at a mix of the best-bound duals and the master's (the
        // master's duals jump between extremes early on); a round that then finds nothing
        // prices at the master's own duals.
        let a = if mispriced || center.is_none() {
            0.0
        } else {
            alpha
        };
        let ps: Vec<f64> = match &center {
            Some(c) => c
                .iter()
                .zip(&lp.pi)
                .map(|(c, p)| a * c + (1.0 - a) * p)
                .collect(),
            None => lp.pi.clone(),
        };
        let cost: Vec<f64> = ps.iter().map(|p| -p).collect();
        if budget.is_over() {
            break;
        }
        let results = price_all(dt, pool, &cost, &everyone, budget, threads, None);
        let (added, all_optimal, lagrange) = absorb(dt, pool, &lp, &ps, results);
        if all_optimal && out.bound.is_none_or(|b| lagrange > b) {
            out.bound = Some(lagrange);
            center = Some(ps.clone());
        }
        // Nothing new at the master's own duals while some pricing was not proven (a
        // beam's): the next round would price the same.
        if added == 0 && !all_optimal && a == 0.0 {
            break;
        }
        mispriced = added == 0 && a > 0.0;
        if added == 0 && all_optimal && a == 0.0 {
            out.bound = Some(lp.value.max(out.bound.unwrap_or(f64::MIN)));
        }
        // The LP's value only falls from here: once the bound rounds up to it, the
        // integral bound cannot improve.
        if out.bound.is_some_and(|b| ceil(b) >= ceil(lp.value)) {
            out.converged = true;
            break;
        }
        if out.bound.is_some_and(|b| ceil(b) >= target) {
            break;
        }
    }
    Some(out)
}

/// Takes in a pricing round (one answer per employee, priced at duals `ps`): adds each
/// schedule with a negative reduced cost at `lp`'s duals to the pool. Returns the schedules
/// added, whether every pricing was proven, and the Lagrangian bound at `ps` (`sum req * p +
/// each employee's best`; a bound only when every pricing was proven).
fn absorb(
    dt: &Data,
    pool: &mut Pool,
    lp: &Lp,
    ps: &[f64],
    results: Vec<Priced>,
) -> (usize, bool, f64) {
    let mut added = 0;
    let mut all_optimal = true;
    let mut lagrange = req_dot(dt, ps);
    for (e, r) in results.into_iter().enumerate() {
        let Some((row, v, optimal)) = r else {
            all_optimal = false;
            continue;
        };
        all_optimal &= optimal;
        lagrange += v;
        if reduced(dt, e, &row, lp) < -1e-6 && pool.add(dt, e, row) {
            added += 1;
        }
    }
    (added, all_optimal, lagrange)
}

/// Reduced cost of schedule `row` of employee `e` at the duals of `lp`.
fn reduced(dt: &Data, e: usize, row: &[u8], lp: &Lp) -> f64 {
    let ns = dt.ns;
    let mut rc = row_cost(dt, e, row) - lp.mu[e];
    for (d, &s) in row.iter().enumerate() {
        if (s as usize) < ns {
            rc -= lp.pi[d * ns + s as usize];
        }
    }
    rc
}

/// A node of a dive stops pricing once its Lagrangian bound is this close to its LP value
/// (relative; at least 1, the objective's unit): the LP hardly moves after that, and the
/// tail of column generation is long.
const NODE_GAP: f64 = 0.002;

/// Cost of the master's stand-in schedule of an employee (far above any roster's penalty
/// on the benchmark, far below where f64 loses the units).
pub(super) const STAND_IN: f64 = 1e7;

/// Share of an employee's LP weight on a cell (day and shift, or day off) from which a dive
/// forces the cell without a second look.
const SURE: f64 = 0.99;

/// A diving heuristic over the master LP, on cells. At each node, column generation under
/// the forced cells until the node's LP is nearly priced out; then every free cell (an
/// employee's day) that the LP puts at least [`SURE`] of the employee's weight on, and the
/// free cell with the largest weight below that, are forced to it (the first dive takes the
/// largest; later ones weigh each by a random factor in (0.5, 1]), and the schedules that
/// disagree leave the master. The LP's weights on schedules are often spread (Instance 12:
/// 284 columns for 60 employees) while its cells are mostly whole (931 of 1680): forcing
/// cells keeps every schedule that agrees with them in play. The dive paces itself by
/// nodes, not time: each node also forces enough of the likeliest cells for the free ones
/// to run out within `nodes` nodes. Ends when every employee's
/// weight sits on one schedule; every schedule keeps its employee's rules, so that is a
/// valid roster. Returns each employee's column (an index into the pool): all of them, or
/// those whole when `budget` ran out or a master LP failed, for [`restricted`] to
/// complete. `None` when a node priced to optimality proves that nothing below `target`
/// can follow, or when some employee has no schedule that agrees with the forced cells.
/// `start` (per employee and day, as `Rmp::forced`) forces cells from the outset: a dive in
/// a neighbourhood of a roster. Once the pool's meter reaches `until` units the dive ends as
/// when `budget` runs out (checked after each pricing round: the same on every run).
/// `heaviest` gets each employee's column of most weight in the dive's last LP (`None`
/// where it had none).
#[allow(clippy::too_many_arguments)]
pub(crate) fn dive(
    dt: &Data,
    pool: &mut Pool,
    budget: &Budget,
    until: u64,
    target: i64,
    threads: usize,
    round: u64,
    seed: u64,
    nodes_target: usize,
    start: Option<&[u8]>,
    bk: Backend,
    heaviest: &mut Vec<Option<usize>>,
) -> Option<Vec<Option<usize>>> {
    let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
    if pool.cols.iter().any(Vec::is_empty) {
        return None;
    }
    let mut rng = super::search::Rng::new(seed ^ round.wrapping_mul(0x9E37_79B9));
    let mut nodes = 0usize;
    let mut rmp = Rmp::new(dt, pool, bk)?;
    if let Some(start) = start {
        for (i, &v) in start.iter().enumerate().take(ne * nd) {
            if v != FREE {
                rmp.force(dt, pool, i / nd, i % nd, v);
            }
        }
    }
    let mut last: Option<Lp> = None;
    loop {
        let everyone: Vec<usize> = (0..ne).collect();
        let lp = loop {
            let Some(lp) = rmp.solve(dt, pool, budget, false) else {
                break None;
            };
            if budget.is_over() || pool.meter.units() >= until {
                break Some(lp);
            }
            let cost: Vec<f64> = lp.pi.iter().map(|p| -p).collect();
            let results = price_all(
                dt,
                pool,
                &cost,
                &everyone,
                budget,
                threads,
                Some(&rmp.forced),
            );
            // The node's Lagrangian bound: each employee's best schedule under the forced
            // cells.
            let (added, all_optimal, lagrange) = absorb(dt, pool, &lp, &lp.pi, results);
            if all_optimal && ceil(lagrange) >= target {
                return None;
            }
            let close = (NODE_GAP * lp.value.abs()).max(1.0);
            if added == 0 || (all_optimal && lp.value - lagrange < close) {
                break Some(lp);
            }
        };
        // The weights of the node's last LP, computed now (with `microlp`): the schedules
        // its pricing just added may take weight too, a point of the master over the
        // larger pool.
        let lp = match lp {
            Some(mut lp) => match rmp.weigh(dt, pool, budget, &mut lp) {
                Some(()) => lp,
                None => last.take()?,
            },
            None => last.take()?,
        };
        *heaviest = lp
            .lam
            .iter()
            .map(|l| {
                l.iter()
                    .fold(None::<(usize, f64)>, |b, &(j, w)| match b {
                        Some((_, bw)) if bw >= w => b,
                        _ => Some((j, w)),
                    })
                    .map(|(j, _)| j)
            })
            .collect();
        // Each employee's schedule when its weight is whole on one.
        let whole: Vec<Option<usize>> = lp
            .lam
            .iter()
            .map(|l| match l[..] {
                [(j, w)] if w > 1.0 - 1e-6 => Some(j),
                _ => None,
            })
            .collect();
        if whole.iter().all(Option::is_some) || budget.is_over() || pool.meter.units() >= until {
            return Some(whole);
        }
        // The LP's weight on each free cell of the employees not whole.
        let mut x = vec![0.0; ns + 1];
        let mut cands: Vec<(f64, usize, usize, u8)> = Vec::new();
        let mut sure = Vec::new();
        let mut nfree: usize = 0;
        for e in 0..ne {
            if whole[e].is_some() {
                continue;
            }
            for d in 0..nd {
                if rmp.forced[e * nd + d] != FREE {
                    continue;
                }
                nfree += 1;
                x.iter_mut().for_each(|v| *v = 0.0);
                for &(j, w) in &lp.lam[e] {
                    x[(pool.cols[e][j].row[d] as usize).min(ns)] += w;
                }
                let (k, w) = x
                    .iter()
                    .copied()
                    .enumerate()
                    .fold((0, f64::MIN), |b, (k, w)| if w > b.1 { (k, w) } else { b });
                let v = if k == ns { u8::MAX } else { k as u8 };
                if w >= SURE {
                    sure.push((e, d, v));
                    continue;
                }
                let score = if round == 0 {
                    w
                } else {
                    w * (1.0 - 0.5 * rng.unit())
                };
                cands.push((score, e, d, v));
            }
        }
        cands.sort_by(|a, b| b.0.total_cmp(&a.0));
        nodes += 1;
        let left = nodes_target.saturating_sub(nodes).max(1);
        let paced = nfree.div_ceil(left);
        for &(_, e, d, v) in cands.iter().take(paced.max(1)) {
            sure.push((e, d, v));
        }
        if sure.is_empty() {
            return Some(whole);
        }
        for (e, d, v) in sure {
            rmp.force(dt, pool, e, d, v);
        }
        last = Some(lp);
    }
}

/// A roster of one pooled schedule per employee: `pick[e]` where given, else the
/// employee's cheapest. Every pooled schedule keeps its employee's rules, so the roster
/// does (cover is soft): a roster at once when the clock ends the column phase before any.
pub(crate) fn completed(dt: &Data, pool: &Pool, pick: &[Option<usize>]) -> Vec<u8> {
    let nd = dt.nd;
    let mut grid = vec![u8::MAX; dt.ne * nd];
    for (e, cols) in pool.cols.iter().enumerate() {
        let cheapest = || {
            (0..cols.len()).fold(None::<usize>, |b, j| match b {
                Some(k) if cols[k].cost <= cols[j].cost => b,
                _ => Some(j),
            })
        };
        if let Some(j) = pick.get(e).copied().flatten().or_else(cheapest) {
            grid[e * nd..(e + 1) * nd].copy_from_slice(&cols[j].row);
        }
    }
    grid
}

/// The restricted master MIP: one pooled schedule per employee (the employees of `fixed`
/// on their column), cover penalties as in the objective, warm started from `warm` (whose
/// rows must be in the pool) when given, within `nodes` branch-and-bound nodes and the
/// simplex iterations of about `units` work units (HiGHS' root, its cut rounds and
/// heuristics, can take far longer than its nodes; `microlp` reads them between slices of
/// nodes). Returns a grid.
#[allow(clippy::too_many_arguments)]
pub(crate) fn restricted(
    dt: &Data,
    pool: &Pool,
    fixed: &[Option<usize>],
    warm: Option<&[u8]>,
    budget: &Budget,
    nodes: u64,
    units: u64,
    bk: Backend,
) -> Option<Vec<u8>> {
    use crate::solver::{goodlp, Settings};
    use good_lp::ProblemVariables;
    let (ne, nd) = (dt.ne, dt.nd);
    let mut vars = ProblemVariables::new();
    let Master {
        obj,
        cover,
        conv,
        lam,
    } = master(dt, pool, fixed, &mut vars, true);
    let ncols: u64 = lam.iter().map(|l| l.len() as u64).sum();
    let mut init = Vec::new();
    for e in 0..ne {
        for &(j, v) in &lam[e] {
            let is_warm = match fixed.get(e).copied().flatten() {
                Some(f) => f == j,
                None => warm.is_some_and(|w| pool.cols[e][j].row[..] == w[e * nd..(e + 1) * nd]),
            };
            init.push((v, if is_warm { 1.0 } else { 0.0 }));
        }
    }
    let mut cons = Vec::new();
    for (i, l) in cover.into_iter().enumerate() {
        if let (Some(l), Some((req, _, _))) = (l, dt.cover[i]) {
            cons.push(goodlp::eq(l, req as f64));
        }
    }
    for l in conv {
        cons.push(goodlp::eq(l, 1.0));
    }
    let mut settings = Settings::new(budget);
    // HiGHS' default relative gap; objectives are integral, so an absolute gap below 1 is
    // a proof.
    settings.gap = 1e-4;
    settings.abs_gap = Some(0.999);
    settings.nodes = Some(nodes);
    settings.mip_iterations = if bk == Backend::Highs {
        Some(Meter::highs_mip_iterations(units, ncols))
    } else {
        // On horizons up to four weeks bounded by its nodes, the path measured on
        // Instances 1-12.
        super::columns::long(dt).then(|| Meter::microlp_mip_iterations(units, ncols))
    };
    let sol = goodlp::solve_model(bk, vars, &obj, cons, Some(init), settings).ok()?;
    let pivots = sol.answer().iterations.unwrap_or(0);
    let counter = if bk == Backend::Highs {
        &pool.meter.highs_mip_pivot_cols
    } else {
        &pool.meter.mip_pivot_cols
    };
    Meter::add(counter, pivots.saturating_mul(ncols));
    let mut grid = vec![u8::MAX; ne * nd];
    for e in 0..ne {
        let mut chosen = 0;
        for &(j, v) in &lam[e] {
            let col = &pool.cols[e][j];
            let x = sol.value(v);
            if (x - x.round()).abs() > 1e-6 {
                return None;
            }
            if x > 0.5 {
                chosen += 1;
                grid[e * nd..(e + 1) * nd].copy_from_slice(&col.row);
            }
        }
        if chosen != 1 {
            return None;
        }
    }
    Some(grid)
}

#[cfg(all(test, feature = "microlp"))]
mod tests {
    use super::*;
    use crate::roster::curtois;
    use crate::roster::portfolio::Best;
    use std::time::Duration;

    /// The restricted master MIP on backend `bk` over a pool generated with `microlp`,
    /// from the roster of each employee's cheapest schedule: the checker's objective and
    /// validity, and the start's objective.
    fn restricted_on(name: &str, bk: Backend) -> (i64, bool, i64) {
        let problem = curtois::bundled(name);
        let dt = Data::new(&problem);
        let budget = Budget::new(Duration::from_secs(600), None);
        let (pool, warm) = Pool::generated(&dt, 6);
        let grid = restricted(&dt, &pool, &[], Some(&warm), &budget, 2000, 100_000, bk).unwrap();
        let best = Best::new(&problem, &dt, grid);
        let start = super::super::respond::objective(&dt, &warm);
        (best.report.objective, best.valid(), start)
    }

    #[test]
    fn a_bound_is_rounded_up_past_the_lps_rounding_error_only() {
        // Instance 17's master LP value with `microlp` (its optimum is 5746).
        assert_eq!(ceil(5746.000005551), 5746);
        assert_eq!(ceil(5746.0), 5746);
        assert_eq!(ceil(5745.9999999), 5746);
        assert_eq!(ceil(5746.1), 5747);
        assert_eq!(ceil(1054.01), 1055);
        assert_eq!(ceil(0.5), 1);
        assert_eq!(ceil(-3.5), -3);
    }

    #[test]
    fn microlps_restricted_master_improves_its_start_on_four_and_six_weeks() {
        // Six weeks are paced by pivots (`columns::long`), four by nodes alone.
        for name in ["Instance3.txt", "Instance14.txt"] {
            let (objective, valid, start) = restricted_on(name, Backend::Microlp);
            assert!(valid, "{name}");
            assert!(objective < start, "{name}: {objective} from {start}");
        }
        // HiGHS solves the same MIP: on a small pool both prove its optimum.
        #[cfg(feature = "highs")]
        assert_eq!(
            restricted_on("Instance3.txt", Backend::Microlp).0,
            restricted_on("Instance3.txt", Backend::Highs).0
        );
    }
}
