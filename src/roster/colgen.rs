//! Column generation over whole schedules (HiGHS only): every hard rule of the benchmark
//! is about one employee, and cover is soft, so a roster is one valid schedule per
//! employee. The master LP mixes known schedules ("columns") of each employee to meet cover
//! at least cost; its duals price the cover rows, and a pricing MIP per employee
//! ([`mip::price`]) finds the schedule with the most negative reduced cost, which joins the
//! pool. The Lagrangian bound `master + sum of negative reduced costs` is a lower bound of
//! every roster at every iteration, and at convergence it is the master's value: the bound
//! of the model where each employee's rules are enforced exactly, far tighter than the
//! compact LP relaxation (whose rows only approximate them). The pool then feeds a
//! restricted master MIP: one column per employee, any choice a valid roster.

use super::data::Data;
use super::mip;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Weight of the best-bound duals in the duals the pricing uses (Wentges smoothing).
const SMOOTHING: f64 = 0.7;

/// Labels per day past which the DP pricing gives way to the pricing MIP.
const MAX_LABELS: usize = 200_000;

/// One employee's schedule: its shift per day (`u8::MAX` off) and its request penalty.
struct Col {
    row: Vec<u8>,
    cost: f64,
}

/// The schedules known so far, per employee.
pub(crate) struct Pool {
    cols: Vec<Vec<Col>>,
    seen: Vec<HashSet<Vec<u8>>>,
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
        }
    }

    /// Adds schedule `row` of employee `e` (once). The caller vouches that it keeps every
    /// hard rule of `e`.
    fn add(&mut self, dt: &Data, e: usize, row: Vec<u8>) -> bool {
        if !self.seen[e].insert(row.clone()) {
            return false;
        }
        let cost = row_cost(dt, e, &row);
        self.cols[e].push(Col { row, cost });
        true
    }

    /// Adds every employee's schedule of a valid roster.
    pub fn add_grid(&mut self, dt: &Data, grid: &[u8]) {
        for e in 0..dt.ne {
            self.add(dt, e, grid[e * dt.nd..(e + 1) * dt.nd].to_vec());
        }
    }
}

/// The master's parts: objective, each cover row's left side (under and over variables
/// included), each employee's convexity row, and the columns' variables.
struct Master {
    obj: good_lp::Expression,
    cover: Vec<Option<good_lp::Expression>>,
    conv: Vec<good_lp::Expression>,
    lam: Vec<Vec<good_lp::Variable>>,
}

/// The master over the pool: a weight per column (binary for the restricted MIP), cover
/// under and over at their penalties.
fn master(dt: &Data, pool: &Pool, vars: &mut good_lp::ProblemVariables, binary: bool) -> Master {
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
    for cols in &pool.cols {
        let mut l = Expression::from(0.0);
        let mut vs = Vec::with_capacity(cols.len());
        for col in cols {
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
            vs.push(v);
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

/// A pricing's answer: the schedule, its value, and whether it is proven the best.
type Priced = Option<(Vec<u8>, f64, bool)>;

/// Outcome of [`generate`].
pub(crate) struct Generated {
    /// Best Lagrangian bound met (every pricing proven optimal in that iteration).
    pub bound: Option<f64>,
    /// No column with a negative reduced cost is left: `master` is the bound.
    pub converged: bool,
}

/// Column generation from the pool (which must hold a schedule of every employee) until
/// convergence, `until`, `stop`, or a bound that rounds up to `target` (nothing below it
/// can exist: objectives are integral).
pub(crate) fn generate(
    dt: &Data,
    pool: &mut Pool,
    until: Instant,
    stop: &AtomicBool,
    target: i64,
    threads: usize,
) -> Option<Generated> {
    use good_lp::{ProblemVariables, Solution, SolutionWithDual, SolverModel};
    let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
    if pool.cols.iter().any(Vec::is_empty) {
        return None;
    }
    let mut out = Generated {
        bound: None,
        converged: false,
    };
    let alpha = SMOOTHING;
    let mut center: Option<Vec<f64>> = None;
    let mut mispriced = false;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        // The master LP.
        let mut vars = ProblemVariables::new();
        let Master {
            obj, cover, conv, ..
        } = master(dt, pool, &mut vars, false);
        let secs = until
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            .max(0.01);
        let mut lp = vars
            .minimise(obj)
            .using(good_lp::solvers::highs::highs)
            .set_threads(1)
            .set_time_limit(secs);
        let mut cover_refs = vec![None; nd * ns];
        for (i, l) in cover.into_iter().enumerate() {
            if let (Some(l), Some((req, _, _))) = (l, dt.cover[i]) {
                cover_refs[i] = Some(lp.add_constraint(l.eq(req as f64)));
            }
        }
        let conv_refs: Vec<_> = conv
            .into_iter()
            .map(|l| lp.add_constraint(l.eq(1.0)))
            .collect();
        let mut sol = lp.solve().ok()?;
        if !matches!(sol.status(), good_lp::SolutionStatus::Optimal) {
            return Some(out);
        }
        let (pi, mu) = {
            let dual = sol.compute_dual();
            let pi: Vec<f64> = cover_refs
                .iter()
                .map(|r| {
                    r.clone()
                        .map_or(0.0, |r| good_lp::DualValues::dual(&dual, r))
                })
                .collect();
            let mu: Vec<f64> = conv_refs
                .iter()
                .map(|r| good_lp::DualValues::dual(&dual, r.clone()))
                .collect();
            (pi, mu)
        };
        // The master's value from the duals (strong duality): sum req * pi + sum mu.
        let master: f64 = dt
            .cover
            .iter()
            .zip(&pi)
            .map(|(c, p)| c.map_or(0.0, |(req, _, _)| req as f64 * p))
            .sum::<f64>()
            + mu.iter().sum::<f64>();
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
                .zip(&pi)
                .map(|(c, p)| a * c + (1.0 - a) * p)
                .collect(),
            None => pi.clone(),
        };
        let cost: Vec<f64> = ps.iter().map(|p| -p).collect();
        // Each employee's best pooled schedule at these costs bounds the pricing's answer.
        let ubs: Vec<(f64, usize)> = (0..ne)
            .map(|e| {
                pool.cols[e]
                    .iter()
                    .map(|c| {
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
            })
            .collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<Priced> = {
            let slots: Vec<std::sync::Mutex<Priced>> =
                (0..ne).map(|_| std::sync::Mutex::new(None)).collect();
            std::thread::scope(|sc| {
                for _ in 0..threads.max(1) {
                    sc.spawn(|| loop {
                        let e = next.fetch_add(1, Ordering::SeqCst);
                        if e >= ne || Instant::now() >= until || stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let secs = until
                            .saturating_duration_since(Instant::now())
                            .as_secs_f64();
                        let (ub, at) = ubs[e];
                        let r = match super::price::price(dt, e, &cost, MAX_LABELS, ub) {
                            Some(Some((row, v))) => Some((row, v, true)),
                            // Nothing beats the pooled schedule: it is the best.
                            Some(None) => Some((pool.cols[e][at].row.clone(), ub, true)),
                            None => mip::price(dt, e, &cost, secs),
                        };
                        *slots[e].lock().unwrap_or_else(|p| p.into_inner()) = r;
                    });
                }
            });
            slots
                .into_iter()
                .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
                .collect()
        };
        let mut added = 0;
        let mut all_optimal = true;
        // The Lagrangian bound at the pricing duals: sum req * p + each employee's best.
        let mut lagrange: f64 = dt
            .cover
            .iter()
            .zip(&ps)
            .map(|(c, p)| c.map_or(0.0, |(req, _, _)| req as f64 * p))
            .sum();
        for (e, r) in results.into_iter().enumerate() {
            let Some((row, v, optimal)) = r else {
                all_optimal = false;
                continue;
            };
            all_optimal &= optimal;
            lagrange += v;
            // Reduced cost at the master's duals decides whether the column helps.
            let mut rc = row_cost(dt, e, &row) - mu[e];
            for (d, &s) in row.iter().enumerate() {
                if (s as usize) < ns {
                    rc -= pi[d * ns + s as usize];
                }
            }
            if rc < -1e-6 && pool.add(dt, e, row) {
                added += 1;
            }
        }
        if all_optimal && out.bound.is_none_or(|b| lagrange > b) {
            out.bound = Some(lagrange);
            center = Some(ps.clone());
        }
        mispriced = added == 0 && a > 0.0;
        if added == 0 && all_optimal && a == 0.0 {
            out.converged = true;
            out.bound = Some(master.max(out.bound.unwrap_or(f64::MIN)));
            break;
        }
        if out
            .bound
            .is_some_and(|b| (b - 1e-6).ceil() as i64 >= target)
        {
            break;
        }
    }
    Some(out)
}

/// The restricted master MIP: one pooled schedule per employee, cover penalties as in the
/// objective, warm started from `warm` (whose rows must be in the pool). Returns a grid.
pub(crate) fn restricted(dt: &Data, pool: &Pool, warm: &[u8], seconds: f64) -> Option<Vec<u8>> {
    use good_lp::{ProblemVariables, Solution, SolverModel, WithInitialSolution};
    let (ne, nd) = (dt.ne, dt.nd);
    let mut vars = ProblemVariables::new();
    let Master {
        obj,
        cover,
        conv,
        lam,
    } = master(dt, pool, &mut vars, true);
    let mut init = Vec::new();
    for e in 0..ne {
        for (col, &v) in pool.cols[e].iter().zip(&lam[e]) {
            let is_warm = col.row[..] == warm[e * nd..(e + 1) * nd];
            init.push((v, if is_warm { 1.0 } else { 0.0 }));
        }
    }
    let mut m = vars
        .minimise(obj)
        .using(good_lp::solvers::highs::highs)
        .set_option("mip_abs_gap", 0.999)
        .set_threads(1)
        .set_time_limit(seconds.max(0.01))
        .with_initial_solution(init);
    for (i, l) in cover.into_iter().enumerate() {
        if let (Some(l), Some((req, _, _))) = (l, dt.cover[i]) {
            m.add_constraint(l.eq(req as f64));
        }
    }
    for l in conv {
        m.add_constraint(l.eq(1.0));
    }
    let sol = m.solve().ok()?;
    let mut grid = vec![u8::MAX; ne * nd];
    for e in 0..ne {
        let mut chosen = 0;
        for (col, &v) in pool.cols[e].iter().zip(&lam[e]) {
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
