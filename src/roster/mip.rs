//! MIP models of the roster with `good_lp`: the full model (exact for small instances, or
//! its LP relaxation as a lower bound) and sub-models where only some (employee, day) cells
//! are free and the rest are fixed to the current roster (the large-neighbourhood search).
//!
//! Variables: `x[e,d,s]` binary for each free, allowed cell; `k[e,w]` for worked weekends;
//! `u[d,s]`, `o[d,s]` >= 0 for cover under/over. Fixed cells enter as constants, and a
//! constraint whose every term is fixed is left out. Constraints per employee: one shift a
//! day; forbidden successions and minimum rest (`x[d,s] + sum x[d',t] <= 1` over conflicting
//! later shifts); per-type maxima; total minutes; max consecutive days (sliding windows);
//! min consecutive working days and days off (in the "run start" form); windows where the
//! run rules together allow fewer working days than the rows one by one do (at most 5 of
//! any 7 days with at most 5 in a row and at least 2 off; they raise the relaxation's bound
//! of Instance 4 of the benchmark from 1262 to 1421); max weekends. The backend's answer is
//! never trusted: values must be integral and the caller runs the checker.
//!
//! The pricing MIP of column generation (`price`, used when the pricing DP does not apply)
//! states one employee's run rules as a flow over run states instead (`add_run_flow`): its
//! paths are exactly the valid working patterns.

use super::data::Data;
use crate::budget::Budget;
use crate::plan::Backend;
use crate::solver::goodlp::{self, Con};
use crate::solver::{Fail, Settings, Status};
use good_lp::{variable, Expression, ProblemVariables, Variable};

/// A term: a free variable or a fixed 0/1 value.
#[derive(Clone, Copy)]
enum T {
    V(Variable),
    C(f64),
}

/// Linear sum of terms, remembering whether any is a variable.
struct Lin {
    e: Expression,
    free: bool,
}

impl Lin {
    fn new() -> Self {
        Lin {
            e: Expression::from(0.0),
            free: false,
        }
    }
    fn add(&mut self, c: f64, t: T) {
        match t {
            T::V(v) => {
                self.e.add_mul(c, v);
                self.free = true;
            }
            T::C(k) => self.e += c * k,
        }
    }
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// Penalty per unit of an elastic hard row: above any soft effect one cell can have.
const ELASTIC: f64 = 10_000.0;

/// The hard rules' rows. Elastic: each row gets a slack variable at [`ELASTIC`] per unit, so
/// a roster that breaks rules is a solution (a repair's warm start) and the solver reduces
/// the breaks; the one-shift-a-day rows stay strict.
struct Hard {
    elastic: bool,
    rows: Vec<Con>,
    penalty: Expression,
}

impl Hard {
    fn le(&mut self, vars: &mut ProblemVariables, e: Expression, rhs: f64) {
        if self.elastic {
            let s = vars.add(variable().min(0));
            self.penalty.add_mul(ELASTIC, s);
            self.rows.push(goodlp::leq(e - s, rhs));
        } else {
            self.rows.push(goodlp::leq(e, rhs));
        }
    }
    fn ge(&mut self, vars: &mut ProblemVariables, e: Expression, rhs: f64) {
        if self.elastic {
            let s = vars.add(variable().min(0));
            self.penalty.add_mul(ELASTIC, s);
            self.rows.push(goodlp::geq(e + s, rhs));
        } else {
            self.rows.push(goodlp::geq(e, rhs));
        }
    }
}

/// A model under construction: the cells' terms and the rows so far.
struct Model<'a> {
    dt: &'a Data,
    grid: &'a [u8],
    relax: bool,
    vars: ProblemVariables,
    /// Term of each `(e * nd + d) * ns + s`.
    x: Vec<T>,
    /// Warm start.
    init: Vec<(Variable, f64)>,
    /// Free cells `(e, d, s, variable)`.
    cells: Vec<(usize, usize, usize, Variable)>,
    cons: Vec<Con>,
    hard: Hard,
}

impl<'a> Model<'a> {
    /// A variable for each free, allowed cell; fixed cells as constants from `grid`.
    fn new(
        dt: &'a Data,
        grid: &'a [u8],
        free: &dyn Fn(usize, usize) -> bool,
        relax: bool,
        elastic: bool,
    ) -> Self {
        let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
        let mut vars = ProblemVariables::new();
        let mut x: Vec<T> = Vec::with_capacity(ne * nd * ns);
        let mut init: Vec<(Variable, f64)> = Vec::new();
        let mut cells: Vec<(usize, usize, usize, Variable)> = Vec::new();
        for e in 0..ne {
            for d in 0..nd {
                let cur = grid[e * nd + d];
                let open = free(e, d);
                for s in 0..ns {
                    let is_cur = cur as usize == s;
                    if open && dt.ok(e, d, s) {
                        let def = if relax {
                            variable().min(0).max(1)
                        } else {
                            variable().binary()
                        };
                        let v = vars.add(def);
                        init.push((v, if is_cur { 1.0 } else { 0.0 }));
                        cells.push((e, d, s, v));
                        x.push(T::V(v));
                    } else {
                        x.push(T::C(if is_cur && !open { 1.0 } else { 0.0 }));
                    }
                }
            }
        }
        Model {
            dt,
            grid,
            relax,
            vars,
            x,
            init,
            cells,
            cons: Vec::new(),
            hard: Hard {
                elastic,
                rows: Vec::new(),
                penalty: Expression::from(0.0),
            },
        }
    }

    /// The hard rules' rows of employee `e`; the run rules as a flow through run states
    /// when `flow` (see [`add_run_flow`]), else as the rows below.
    fn rows(&mut self, e: usize, flow: bool) {
        let (dt, grid, relax) = (self.dt, self.grid, self.relax);
        let (nd, ns) = (dt.nd, dt.ns);
        let x = std::mem::take(&mut self.x);
        let xi = |e: usize, d: usize, s: usize| x[(e * nd + d) * ns + s];
        let work = |e: usize, d: usize| -> Lin {
            let mut l = Lin::new();
            for s in 0..ns {
                l.add(1.0, xi(e, d, s));
            }
            l
        };
        for d in 0..nd {
            let w = work(e, d);
            if w.free {
                self.cons.push(goodlp::leq(w.e, 1.0));
            }
        }
        // Successions and rest: x[d,s] + sum of conflicting later shifts <= 1.
        for d in 0..nd {
            for s in 0..ns {
                if !dt.ok(e, d, s) && !matches!(xi(e, d, s), T::C(c) if c > 0.5) {
                    continue;
                }
                let mut l = Lin::new();
                l.add(1.0, xi(e, d, s));
                let mut any = false;
                for d2 in d + 1..=(d + dt.rest_reach.max(1)).min(nd - 1) {
                    for t in 0..ns {
                        if dt.conflict(e, d, s, d2, t) {
                            l.add(1.0, xi(e, d2, t));
                            any = true;
                        }
                    }
                }
                if any && l.free {
                    self.hard.le(&mut self.vars, l.e, 1.0);
                }
            }
        }
        let mut minutes = Lin::new();
        for s in 0..ns {
            let mut l = Lin::new();
            for d in 0..nd {
                l.add(1.0, xi(e, d, s));
                minutes.add(dt.minutes[s] as f64, xi(e, d, s));
            }
            if l.free {
                self.hard
                    .le(&mut self.vars, l.e, dt.max_shifts[e * ns + s] as f64);
            }
        }
        if minutes.free {
            // Divided by the gcd of the allowed shift lengths, the bounds round inward
            // (e.g. 7560..8640 minutes of 480-minute shifts: 16..18 shifts), which tightens
            // the relaxation without cutting off any roster.
            let g = (0..ns)
                .filter(|&s| (0..nd).any(|d| dt.ok(e, d, s) || grid[e * nd + d] as usize == s))
                .fold(0i64, |g, s| gcd(g, dt.minutes[s]))
                .max(1);
            let mut scaled = Lin::new();
            for s in 0..ns {
                for d in 0..nd {
                    scaled.add((dt.minutes[s] / g) as f64, xi(e, d, s));
                }
            }
            let hi = dt.max_min[e].div_euclid(g);
            let lo = (dt.min_min[e] + g - 1).div_euclid(g);
            self.hard.le(&mut self.vars, scaled.e.clone(), hi as f64);
            self.hard.ge(&mut self.vars, scaled.e, lo as f64);
        }
        // Run states as a flow (see the module doc).
        if flow {
            add_run_flow(dt, e, &work, &mut self.vars, &mut self.cons);
        }
        let mc = dt.max_cons[e];
        if mc < nd && !flow {
            for a in 0..nd - mc {
                let mut l = Lin::new();
                for d in a..=a + mc {
                    for s in 0..ns {
                        l.add(1.0, xi(e, d, s));
                    }
                }
                if l.free {
                    self.hard.le(&mut self.vars, l.e, mc as f64);
                }
            }
        }
        // Windows where the run rules allow fewer working days than the rows above and
        // below imply (the max-consecutive windows themselves are already there).
        for &(a, len, most) in &dt.windows[e] {
            if flow || (len == mc + 1 && most == mc) {
                continue;
            }
            let mut l = Lin::new();
            for d in a..a + len {
                for s in 0..ns {
                    l.add(1.0, xi(e, d, s));
                }
            }
            if l.free {
                self.hard.le(&mut self.vars, l.e, most as f64);
            }
        }
        // Minimum runs, in the "run start" form: a working run starting on day a >= 1
        // (w[a-1] = 0, w[a] = 1) must go on through day a+j for j < min, so
        // w[a-1] + w[a+j] - w[a] >= 0; a run of days off starting on day a must stay off:
        // w[a] - w[a-1] - w[a+j] >= -1. Runs touching day 0 or the last day are exempt
        // (days past the horizon have no term). This dominates forbidding each too-short
        // pattern (w[a-1] + w[a+j] >= w[a] + ... - 1), so the relaxation is tighter.
        for (min, working) in [(dt.min_cons[e], true), (dt.min_off[e], false)] {
            if flow {
                continue;
            }
            for a in 1..nd {
                for j in 1..min {
                    if a + j >= nd {
                        break;
                    }
                    let sign = if working { 1.0 } else { -1.0 };
                    let mut l = Lin::new();
                    for s in 0..ns {
                        l.add(sign, xi(e, a - 1, s));
                        l.add(sign, xi(e, a + j, s));
                        l.add(-sign, xi(e, a, s));
                    }
                    let rhs = if working { 0.0 } else { -1.0 };
                    if l.free {
                        self.hard.ge(&mut self.vars, l.e, rhs);
                    }
                }
            }
        }
        if dt.n_weekends > 0 {
            let mut total = Lin::new();
            let mut fixed_we = vec![false; dt.n_weekends];
            let mut we_vars: Vec<Option<Variable>> = vec![None; dt.n_weekends];
            for d in 0..nd {
                let Some(wk) = dt.weekend[d] else { continue };
                let w = work(e, d);
                if w.free {
                    let k = *we_vars[wk].get_or_insert_with(|| {
                        let k = self.vars.add(if relax {
                            variable().min(0).max(1)
                        } else {
                            variable().binary()
                        });
                        // Warm start: worked in the current roster on either weekend day.
                        let worked = (0..nd).any(|d2| {
                            dt.weekend[d2] == Some(wk) && (grid[e * nd + d2] as usize) < ns
                        });
                        self.init.push((k, if worked { 1.0 } else { 0.0 }));
                        k
                    });
                    self.hard.le(&mut self.vars, w.e - k, 0.0);
                } else if (grid[e * nd + d] as usize) < ns {
                    fixed_we[wk] = true;
                }
            }
            for wk in 0..dt.n_weekends {
                if fixed_we[wk] {
                    total.add(1.0, T::C(1.0));
                } else if let Some(k) = we_vars[wk] {
                    total.add(1.0, T::V(k));
                }
            }
            if total.free {
                self.hard.le(&mut self.vars, total.e, dt.max_we[e] as f64);
            }
        }
        self.x = x;
    }
}

/// How to solve a model.
#[derive(Debug, Clone, Copy)]
pub(crate) struct How<'a> {
    /// LP relaxation instead of binaries.
    pub relax: bool,
    /// The deadline and stop flag the solve runs under (a safety net, see `nodes`).
    pub budget: &'a Budget,
    /// Relative gap at which to stop (0: prove optimality).
    pub gap: f64,
    /// Hard rows elastic (see [`Hard`]).
    pub elastic: bool,
    /// The backend.
    pub backend: Backend,
    /// Branch-and-bound nodes the backend may open (`None`: no limit). The node limit, not
    /// the time limit, ends a sub-MIP on any machine at the same point, so its answer is
    /// the same on every run; `budget` is then only a safety net.
    pub nodes: Option<u64>,
    /// Work units the solve is charged (`None`: no limit). On HiGHS its search's simplex
    /// iterations are cut at about that many units' worth (see `Meter`): its node limit
    /// does not bound the work at its root, nor that of 20 000 nodes (on Curtois Instance 8
    /// the full MIP ran for minutes). For an LP relaxation on HiGHS, its simplex
    /// iterations are cut at that many units' worth (see `Meter::highs_lp_iterations`),
    /// and an LP cut there gives no answer. `microlp` ignores it (its nodes are cheap and
    /// few; its LPs are capped by their size).
    pub units: Option<u64>,
}

/// Why a MIP or LP solve gave no answer.
#[derive(Debug)]
pub(crate) enum MipError {
    /// The backend proved the model has no solution.
    Infeasible,
    /// Anything else (no free cell, time out without a solution, backend error).
    Other,
}

/// Outcome of a MIP or LP solve.
pub(crate) struct MipResult {
    /// The grid (values of free cells filled in), when the backend returned integral values.
    pub grid: Option<Vec<u8>>,
    /// Objective of the model as the backend reports it.
    pub value: f64,
    /// Whether the backend claims optimality.
    pub optimal: bool,
}

/// Builds and solves the model with cells `free(e, d)` open, others fixed to `grid`.
pub(crate) fn solve(
    dt: &Data,
    grid: &[u8],
    free: &dyn Fn(usize, usize) -> bool,
    how: How<'_>,
) -> Result<MipResult, MipError> {
    let How {
        relax,
        budget,
        gap,
        elastic,
        backend,
        nodes,
        units,
    } = how;
    let (ne, nd, ns) = (dt.ne, dt.nd, dt.ns);
    let mut m = Model::new(dt, grid, free, relax, elastic);
    let mut obj = Expression::from(0.0);
    for e in 0..ne {
        if !(0..nd).any(|d| free(e, d)) {
            continue;
        }
        m.rows(e, false);
        let xi = |e: usize, d: usize, s: usize| m.x[(e * nd + d) * ns + s];
        // Requests.
        for d in 0..nd {
            for s in 0..ns {
                let k = (e * nd + d) * ns + s;
                if dt.on_w[k] > 0 {
                    obj += dt.on_w[k] as f64;
                    match xi(e, d, s) {
                        T::V(v) => obj.add_mul(-(dt.on_w[k] as f64), v),
                        T::C(c) => obj += -(dt.on_w[k] as f64) * c,
                    }
                }
                if dt.off_w[k] > 0 {
                    match xi(e, d, s) {
                        T::V(v) => obj.add_mul(dt.off_w[k] as f64, v),
                        T::C(c) => obj += dt.off_w[k] as f64 * c,
                    }
                }
            }
        }
    }
    // Cover.
    let xi = |e: usize, d: usize, s: usize| m.x[(e * nd + d) * ns + s];
    for d in 0..nd {
        for s in 0..ns {
            let Some((req, wu, wo)) = dt.cover[d * ns + s] else {
                continue;
            };
            let mut l = Lin::new();
            for e in 0..ne {
                l.add(1.0, xi(e, d, s));
            }
            if !l.free {
                // Every term fixed: the row's penalty is a constant of the objective (kept,
                // so the model's value is the roster's objective).
                let n = (0..ne)
                    .filter(|&e| matches!(xi(e, d, s), T::C(c) if c > 0.5))
                    .count() as i64;
                obj += (wu * (req - n).max(0) + wo * (n - req).max(0)) as f64;
                continue;
            }
            let u = m.vars.add(variable().min(0));
            let o = m.vars.add(variable().min(0));
            obj.add_mul(wu as f64, u);
            obj.add_mul(wo as f64, o);
            let mut lhs = l.e;
            lhs.add_mul(1.0, u);
            lhs.add_mul(-1.0, o);
            m.cons.push(goodlp::eq(lhs, req as f64));
        }
    }
    if m.cells.is_empty() {
        return Err(MipError::Other);
    }
    m.cons.append(&mut m.hard.rows);
    let obj = if elastic { obj + m.hard.penalty } else { obj };
    let Model {
        vars,
        cons,
        init,
        cells,
        ..
    } = m;
    let mut settings = Settings::new(budget);
    settings.gap = gap;
    // Objectives are integral (integer weights and requirements), so an absolute gap
    // below 1 is a proof of optimality.
    settings.abs_gap = Some(0.999);
    settings.nodes = nodes;
    let ncols = vars.len() as u64;
    // HiGHS only, as the meter counts them; with `microlp` these MIPs are bounded by their
    // nodes.
    let highs_units = units.filter(|_| backend == Backend::Highs);
    if relax {
        // HiGHS' interior point method solved the relaxations of Curtois Instances 12, 13,
        // 17, 19 and 20 in 3.4, 33.5, 1.9, 5.9 and 42 s, where its dual simplex took 14.6,
        // 100, 15.2 and 68 s and, on 20, had not ended after 16 minutes. (Backends
        // without it ignore the setting.)
        settings.lp_ipm = true;
        settings.lp_iterations =
            highs_units.map(|u| super::meter::Meter::highs_lp_iterations(u, ncols));
    } else {
        settings.mip_iterations =
            highs_units.map(|u| super::meter::Meter::highs_mip_iterations(u, ncols));
    }
    let sol = goodlp::solve_model(backend, vars, &obj, cons, Some(init), settings).map_err(
        |e| match e {
            Fail::Infeasible => MipError::Infeasible,
            Fail::Stopped | Fail::Other(_) => MipError::Other,
        },
    )?;
    let vals: Vec<f64> = cells.iter().map(|c| sol.value(c.3)).collect();
    let value = sol.eval(&obj);
    // A stop on the absolute gap, with no relative gap asked for, is a proof.
    let status = sol.answer().status;
    let optimal = status == Status::Optimal || (gap == 0.0 && status == Status::GapLimit);
    let mut g = grid.to_vec();
    for e in 0..ne {
        for d in 0..nd {
            if free(e, d) {
                g[e * nd + d] = u8::MAX;
            }
        }
    }
    let mut integral = true;
    for (c, v) in cells.iter().zip(&vals) {
        if (v - v.round()).abs() > 1e-6 {
            integral = false;
        }
        if *v > 0.5 {
            g[c.0 * nd + c.1] = c.2 as u8;
        }
    }
    Ok(MipResult {
        grid: (integral && !relax).then_some(g),
        value,
        optimal,
    })
}

/// The run rules of employee `e` as a unit flow through run states, day by day: after
/// each day the employee is in "working, run of k days" (k up to the maximum, or capped at
/// the minimum when there is no maximum) or "off, k days" (capped at the minimum days off).
/// Working or not on the next day moves every state to exactly one next state, and moves
/// the minima forbid have no arc (runs touching day 0 are exempt; runs touching the last
/// day need no arc to end). The flow into working states on day d equals `w[d]`. Paths are
/// exactly the valid working patterns, and a network's flows are mixtures of paths, so the
/// relaxation allows only mixtures of valid patterns: every window row is implied.
fn add_run_flow(
    dt: &Data,
    e: usize,
    work: &dyn Fn(usize, usize) -> Lin,
    vars: &mut ProblemVariables,
    cons: &mut Vec<Con>,
) {
    let nd = dt.nd;
    let (mc, mn, mo) = (dt.max_cons[e], dt.min_cons[e].max(1), dt.min_off[e].max(1));
    let capped = mc >= nd;
    let kw = if capped { mn } else { mc.max(1) };
    let km = mo;
    // States: 0..kw working (run k+1), kw..kw+km off (k+1 days).
    let n = kw + km;
    // inflow[st] at the previous day, as expressions.
    let w0 = work(e, 0).e;
    let mut prev: Vec<Option<Expression>> = vec![None; n];
    prev[0] = Some(w0.clone());
    prev[kw] = Some(Expression::from(1.0) - w0);
    for d in 1..nd {
        let mut next: Vec<Option<Expression>> = vec![None; n];
        let mut into_work = Expression::from(0.0);
        for (st, slot) in prev.iter_mut().enumerate() {
            let Some(inflow) = slot.take() else {
                continue;
            };
            let mut out = Expression::from(0.0);
            let mut push = |to: usize,
                            working: bool,
                            next: &mut Vec<Option<Expression>>,
                            out: &mut Expression,
                            into_work: &mut Expression| {
                let a = vars.add(variable().min(0));
                out.add_mul(1.0, a);
                if working {
                    into_work.add_mul(1.0, a);
                }
                let slot = next[to].get_or_insert_with(|| Expression::from(0.0));
                slot.add_mul(1.0, a);
            };
            if st < kw {
                let k = st + 1;
                // Work on: a longer run.
                if k < kw {
                    push(st + 1, true, &mut next, &mut out, &mut into_work);
                } else if capped {
                    push(st, true, &mut next, &mut out, &mut into_work);
                }
                // Stop: the run is long enough, or began on day 0.
                if k >= mn || k == d {
                    push(kw, false, &mut next, &mut out, &mut into_work);
                }
            } else {
                let k = st - kw + 1;
                if k >= mo || k == d {
                    push(0, true, &mut next, &mut out, &mut into_work);
                }
                push(
                    kw + (k.min(km - 1)),
                    false,
                    &mut next,
                    &mut out,
                    &mut into_work,
                );
            }
            cons.push(goodlp::eq(out - inflow, 0.0));
        }
        cons.push(goodlp::eq(into_work - work(e, d).e, 0.0));
        prev = next;
    }
}

/// Pricing for column generation: the schedule of employee `e` alone, keeping all of its
/// hard rules, that minimises its request penalties plus `cost[d * ns + s]` for each shift
/// worked. Returns `(shift per day or u8::MAX, value, proven optimal)`, or `None` when the
/// backend gives no schedule (none exists, time out, or HiGHS not compiled in). Its
/// simplex iterations times its columns are counted in `meter`.
#[cfg(feature = "highs")]
pub(crate) fn price(
    dt: &Data,
    e: usize,
    cost: &[f64],
    budget: &Budget,
    meter: &super::meter::Meter,
) -> Option<(Vec<u8>, f64, bool)> {
    use super::meter::Meter;
    let (nd, ns) = (dt.nd, dt.ns);
    let grid = vec![u8::MAX; dt.ne * nd];
    let mut m = Model::new(dt, &grid, &|e2, _| e2 == e, false, false);
    let base = dt.on_total[e] as f64;
    if m.cells.is_empty() {
        return Some((vec![u8::MAX; nd], base, true));
    }
    m.rows(e, true);
    let mut obj = Expression::from(base);
    for &(_, d, s, v) in &m.cells {
        let k = (e * nd + d) * ns + s;
        obj.add_mul((dt.off_w[k] - dt.on_w[k]) as f64 + cost[d * ns + s], v);
    }
    let Model {
        vars,
        mut cons,
        cells,
        mut hard,
        ..
    } = m;
    cons.append(&mut hard.rows);
    let mut settings = Settings::new(budget);
    settings.abs_gap = Some(1e-7);
    let ncols = vars.len() as u64;
    let sol = goodlp::solve_model(Backend::Highs, vars, &obj, cons, None, settings).ok()?;
    let pivots = sol.answer().iterations.unwrap_or(0);
    Meter::add(&meter.highs_mip_pivot_cols, pivots.saturating_mul(ncols));
    let optimal = sol.answer().status == Status::Optimal;
    let mut row = vec![u8::MAX; nd];
    for &(_, d, s, v) in &cells {
        let x = sol.value(v);
        if (x - x.round()).abs() > 1e-6 {
            return None;
        }
        if x > 0.5 {
            row[d] = s as u8;
        }
    }
    Some((row, sol.eval(&obj), optimal))
}
