//! The restricted master LP of column generation (see the `colgen` module), on either
//! backend. With HiGHS it is one model that columns join and that re-solves from its last
//! basis, its duals read from the solver. With `microlp`, which reports no duals, the
//! master's *dual* is solved instead: a variable per cover row (its dual, between minus the
//! over weight and the under weight) and per employee (its convexity dual, at most the
//! stand-in's cost), a row per pooled schedule (`convexity dual + the duals of its cells <=
//! its request penalty`), maximising `sum of requirement times dual + the convexity duals`;
//! its solution is the master's duals and its value the master's. That LP holds only the
//! schedules of least reduced cost at the last duals, and the others join when its answer
//! violates their rows (see `micro::Dual`). The schedules' weights,
//! which dives need, come from the master itself restricted to the schedules whose row is
//! tight (complementary slackness: an optimal master uses no other), a far smaller LP,
//! stated with its slacks substituted out so that microlp starts from a feasible basis.
//! Both are plain simplex solves with no limit but the budget's safety net, so their
//! answers are the same on every run.

use super::colgen::Pool;
#[cfg(feature = "highs")]
use super::colgen::{req_dot, Meter, STAND_IN};
use super::data::Data;
use super::price::FREE;
use crate::budget::Budget;
use crate::solver::Backend;

/// The master LP's answer.
pub(super) struct Lp {
    /// Its value (from the duals: sum of req times cover dual, plus the convexity duals).
    pub value: f64,
    /// Dual of each cover row (0 where a (day, shift) has no cover).
    pub pi: Vec<f64>,
    /// Dual of each employee's convexity row.
    pub mu: Vec<f64>,
    /// `(column, weight)` of each employee's columns with a positive weight.
    pub lam: Vec<Vec<(usize, f64)>>,
    /// Whether `lam` was computed (with `microlp` only on request).
    pub weighed: bool,
}

/// Whether schedule `row` of employee `e` agrees with the forced cells.
fn agrees(forced: &[u8], nd: usize, e: usize, row: &[u8]) -> bool {
    let f = &forced[e * nd..(e + 1) * nd];
    f.iter().zip(row).all(|(&f, &r)| f == FREE || f == r)
}

/// The master on one backend.
enum Inner {
    #[cfg(feature = "highs")]
    Highs(Box<HighsRmp>),
    #[cfg(feature = "microlp")]
    Micro(Box<micro::Dual>),
}

/// The restricted master LP over the pool, with the cells a dive forced.
pub(super) struct Rmp {
    inner: Inner,
    /// Per employee and day: [`FREE`], or what the day is forced to (`u8::MAX`: off).
    pub forced: Vec<u8>,
}

impl Rmp {
    /// The master over the pool on backend `bk` (HiGHS when asked for and built, else
    /// microlp); `None` when neither is built or HiGHS fails.
    pub fn new(dt: &Data, pool: &Pool, bk: Backend) -> Option<Self> {
        let forced = vec![FREE; dt.ne * dt.nd];
        #[cfg(feature = "highs")]
        if bk == Backend::Highs || !cfg!(feature = "microlp") {
            let inner = Inner::Highs(Box::new(HighsRmp::new(dt, pool)?));
            return Some(Rmp { inner, forced });
        }
        #[cfg(feature = "microlp")]
        {
            let _ = bk;
            Some(Rmp {
                inner: Inner::Micro(Box::new(micro::Dual::new(dt, pool))),
                forced,
            })
        }
        #[cfg(not(feature = "microlp"))]
        None
    }

    /// Forces day `d` of employee `e` to `v` (a shift, or `u8::MAX` for off): the
    /// schedules that disagree leave the master.
    pub fn force(&mut self, dt: &Data, pool: &Pool, e: usize, d: usize, v: u8) {
        self.forced[e * dt.nd + d] = v;
        match &mut self.inner {
            #[cfg(feature = "highs")]
            Inner::Highs(h) => h.force(pool, e, d, v),
            #[cfg(feature = "microlp")]
            Inner::Micro(m) => {
                let _ = pool;
                m.forget();
            }
        }
    }

    /// With `microlp`: drops the kept LP and chooses the next LP's rows at duals `pi`, `mu`.
    #[cfg(all(test, feature = "microlp"))]
    pub fn steer(&mut self, pi: Vec<f64>, mu: Vec<f64>) {
        match &mut self.inner {
            #[cfg(feature = "highs")]
            Inner::Highs(_) => {}
            #[cfg(feature = "microlp")]
            Inner::Micro(m) => m.steer(pi, mu),
        }
    }

    /// Fills the weights of `lp`, the last answer of [`Rmp::solve`], when it has none.
    pub fn weigh(&self, dt: &Data, pool: &Pool, budget: &Budget, lp: &mut Lp) -> Option<()> {
        match &self.inner {
            #[cfg(feature = "highs")]
            Inner::Highs(_) => {
                let _ = (dt, pool, budget);
                lp.weighed.then_some(())
            }
            #[cfg(feature = "microlp")]
            Inner::Micro(_) => micro::weigh(dt, pool, &self.forced, budget, lp),
        }
    }

    /// Solves the master over the pool within `budget` (a safety net); `None` when the
    /// backend fails or does not prove it optimal. The schedules' weights ([`Lp::lam`])
    /// only when `weights` (with `microlp` they cost a second LP).
    pub fn solve(&mut self, dt: &Data, pool: &Pool, budget: &Budget, weights: bool) -> Option<Lp> {
        match &mut self.inner {
            #[cfg(feature = "highs")]
            Inner::Highs(h) => {
                let _ = weights;
                h.solve(dt, pool, &self.forced, budget)
            }
            #[cfg(feature = "microlp")]
            Inner::Micro(m) => m.solve(dt, pool, &self.forced, budget, weights),
        }
    }
}

#[cfg(feature = "microlp")]
mod micro {
    use super::{agrees, Lp};
    use crate::budget::Budget;
    use crate::roster::colgen::{Col, Meter, Pool, STAND_IN};
    use crate::roster::data::Data;
    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, Variable};

    /// A schedule's row is tight when its reduced cost is within this of 0.
    const TIGHT: f64 = 1e-6;

    /// Solves `p` (with `rows` rows and `nonzeros` nonzeros) within `budget`, counting its
    /// work in `meter`; the solution only when proven optimal.
    fn optimal(
        p: &Problem,
        budget: &Budget,
        meter: &Meter,
        rows: u64,
        nonzeros: u64,
    ) -> Option<microlp::Solution> {
        if budget.is_over() {
            return None;
        }
        let mut o = SolveOptions::default();
        o.time_limit = Some(budget.remaining());
        Meter::add(&meter.built, nonzeros);
        let s = p.solve_with(o).ok()?.into_solution().ok()?;
        let pivots = s.stats().lp_iterations;
        Meter::add(&meter.pivot_rows, pivots.saturating_mul(rows));
        (s.status() == microlp::SolutionStatus::Optimal).then_some(s)
    }

    /// The master's dual LP over part of the pool. `microlp` adds a row to a solved LP by
    /// rebuilding its matrix and refactorising its basis, and its solve from scratch costs
    /// more than linearly in the rows: over the whole pool (Instance 12: 2 500 schedules)
    /// each schedule that joins costs about 20 ms, and a round of generation adds about
    /// 60. So the LP holds part of the pool. A new LP holds, per employee, the
    /// [`KEEP_BEST`] agreeing schedules of least reduced cost at the last answer's duals
    /// and those within [`TIGHT`] of 0 (every agreeing schedule when there is no answer
    /// yet). It is kept from solve to solve, the new schedules joining it one row at a
    /// time from the last basis, until a cell is forced or more than [`GROW_MAX`] join at
    /// once; then a new one is built (with the schedules that joined). Every answer is checked against the whole pool: the
    /// left-out agreeing schedules whose rows its duals violate join, [`VIOLATED_MAX`] at
    /// a time, most violated first, until none is violated. So the answer is the whole
    /// master's (its duals are feasible for every row, and no left-out row can raise the
    /// value), on every run the same. Where pricing is a beam and on horizons over four
    /// weeks the LP holds every agreeing schedule instead ([`Dual::whole`]).
    pub(super) struct Dual {
        /// The last solved dual LP and what it holds.
        kept: Option<Kept>,
        /// The duals of the last answer: they choose the rows of a new LP.
        last: Option<(Vec<f64>, Vec<f64>)>,
        /// The LP holds every agreeing schedule, as in the build before: where pricing is
        /// a beam and on horizons over four weeks (`columns::long`), whose paths were
        /// measured that way (see `docs/rostering.md`). Its LP is kept while no cell is
        /// forced, every new schedule joining it, and built anew per solve after.
        whole: bool,
        /// Whether the LP may be kept (with `whole`, not once a cell is forced).
        keep: bool,
    }

    /// At most this many schedules join the kept LP one row at a time; more, and the LP is
    /// built anew.
    const GROW_MAX: usize = 8;

    /// Schedules of least reduced cost per employee in a new LP (besides the tight ones).
    const KEEP_BEST: usize = 10;

    /// Violated left-out schedules that join the LP at a time, most violated first.
    const VIOLATED_MAX: usize = 16;

    /// A solved dual LP and what it holds.
    struct Kept {
        sol: microlp::Solution,
        pv: Vec<Option<Variable>>,
        mv: Vec<Variable>,
        /// Per employee and pooled schedule, whether its row is in the LP; the schedules
        /// past its length joined the pool since.
        inside: Vec<Vec<bool>>,
    }

    /// The dual row of schedule `row` of employee `e`: its convexity variable and the
    /// cover variables of its cells.
    fn dual_row(
        ns: usize,
        pv: &[Option<Variable>],
        mv: Variable,
        row: &[u8],
    ) -> Vec<(Variable, f64)> {
        let mut t = vec![(mv, 1.0)];
        for (d, &s) in row.iter().enumerate() {
            if (s as usize) < ns {
                if let Some(v) = pv[d * ns + s as usize] {
                    t.push((v, 1.0));
                }
            }
        }
        t
    }

    /// Reduced cost of pooled schedule `col` of employee `e` at duals `pi`, `mu`.
    fn reduced(dt: &Data, e: usize, col: &Col, pi: &[f64], mu: &[f64]) -> f64 {
        let ns = dt.ns;
        let mut rc = col.cost - mu[e];
        for (d, &s) in col.row.iter().enumerate() {
            if (s as usize) < ns {
                rc -= pi[d * ns + s as usize];
            }
        }
        rc
    }

    /// Whether the row of `col` (of employee `e`) is violated at duals `pi`, `mu`.
    fn violated(dt: &Data, e: usize, col: &Col, pi: &[f64], mu: &[f64]) -> bool {
        reduced(dt, e, col, pi, mu) < -TIGHT * (1.0 + col.cost.abs())
    }

    impl Dual {
        pub(super) fn new(dt: &Data, pool: &Pool) -> Self {
            Dual {
                kept: None,
                last: None,
                whole: pool.beam.is_some() || crate::roster::columns::long(dt),
                keep: true,
            }
        }

        /// Drops the kept LP and takes `pi`, `mu` as the last duals: the next LP's rows are
        /// chosen at them.
        #[cfg(all(test, feature = "microlp"))]
        pub(super) fn steer(&mut self, pi: Vec<f64>, mu: Vec<f64>) {
            self.kept = None;
            self.last = Some((pi, mu));
        }

        /// A cell was forced: the kept LP no longer applies.
        pub(super) fn forget(&mut self) {
            self.kept = None;
            self.keep = !self.whole;
        }

        /// The rows of a new LP: every agreeing schedule with no duals to go by; else per
        /// employee the [`KEEP_BEST`] agreeing ones of least reduced cost at them, and the
        /// tight ones.
        fn choose(
            dt: &Data,
            pool: &Pool,
            forced: &[u8],
            last: Option<&(Vec<f64>, Vec<f64>)>,
        ) -> Vec<Vec<bool>> {
            let nd = dt.nd;
            pool.cols
                .iter()
                .enumerate()
                .map(|(e, cols)| {
                    let ok: Vec<bool> =
                        cols.iter().map(|c| agrees(forced, nd, e, &c.row)).collect();
                    let Some((pi, mu)) = last else {
                        return ok;
                    };
                    let mut rcs: Vec<(f64, usize)> = cols
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| ok[j])
                        .map(|(j, c)| (reduced(dt, e, c, pi, mu), j))
                        .collect();
                    rcs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
                    let mut inside = vec![false; cols.len()];
                    for (i, &(rc, j)) in rcs.iter().enumerate() {
                        if i < KEEP_BEST || rc <= TIGHT * (1.0 + cols[j].cost.abs()) {
                            inside[j] = true;
                        }
                    }
                    inside
                })
                .collect()
        }

        /// The dual LP over the rows marked in `inside`, solved.
        fn build(dt: &Data, pool: &Pool, budget: &Budget, inside: Vec<Vec<bool>>) -> Option<Kept> {
            let (ne, ns) = (dt.ne, dt.ns);
            let mut p = Problem::new(OptimizationDirection::Maximize);
            let pv: Vec<Option<Variable>> = dt
                .cover
                .iter()
                .map(|c| c.map(|(req, wu, wo)| p.add_var(req as f64, (-(wo as f64), wu as f64))))
                .collect();
            let mv: Vec<Variable> = (0..ne)
                .map(|_| p.add_var(1.0, (f64::NEG_INFINITY, STAND_IN)))
                .collect();
            let (mut rows, mut nonzeros) = (0u64, 0u64);
            for (e, cols) in pool.cols.iter().enumerate() {
                for (col, _) in cols.iter().zip(&inside[e]).filter(|(_, &i)| i) {
                    let t = dual_row(ns, &pv, mv[e], &col.row);
                    rows += 1;
                    nonzeros += t.len() as u64;
                    p.add_constraint(t, ComparisonOp::Le, col.cost);
                }
            }
            let sol = optimal(&p, budget, &pool.meter, rows, nonzeros)?;
            Some(Kept {
                sol,
                pv,
                mv,
                inside,
            })
        }

        /// Adds schedules `add` (employee, index) to the kept LP, re-solving after each.
        fn grow(
            mut k: Kept,
            dt: &Data,
            pool: &Pool,
            budget: &Budget,
            add: &[(usize, usize)],
        ) -> Option<Kept> {
            let meter = &pool.meter;
            let mut rows: u64 = k.inside.iter().flatten().filter(|&&i| i).count() as u64;
            let vars = (k.pv.iter().flatten().count() + k.mv.len()) as u64;
            for &(e, j) in add {
                if budget.is_over() {
                    return None;
                }
                let col = &pool.cols[e][j];
                let t = dual_row(dt.ns, &k.pv, k.mv[e], &col.row);
                let before = k.sol.stats().lp_iterations;
                rows += 1;
                Meter::add(&meter.built, t.len() as u64);
                k.sol = k
                    .sol
                    .add_constraint(t, ComparisonOp::Le, col.cost)
                    .ok()?
                    .into_solution()
                    .ok()?;
                let pivots = k.sol.stats().lp_iterations.saturating_sub(before);
                Meter::add(&meter.grown, pivots.saturating_mul(rows * vars));
                k.inside[e][j] = true;
            }
            (k.sol.status() == microlp::SolutionStatus::Optimal).then_some(k)
        }

        /// The duals of `k`'s answer.
        fn duals(k: &Kept) -> (Vec<f64>, Vec<f64>) {
            let pi =
                k.pv.iter()
                    .map(|v| v.map_or(0.0, |v| k.sol.var_value(v)))
                    .collect();
            let mu = k.mv.iter().map(|&v| k.sol.var_value(v)).collect();
            (pi, mu)
        }

        /// The master's duals from its dual LP, then (when `weights`) the weights from the
        /// master over the tight schedules (over every agreeing one if that fails).
        pub(super) fn solve(
            &mut self,
            dt: &Data,
            pool: &Pool,
            forced: &[u8],
            budget: &Budget,
            weights: bool,
        ) -> Option<Lp> {
            let nd = dt.nd;
            // A kept LP agrees with `forced`: forcing a cell drops it.
            let mut k = match self.kept.take() {
                Some(mut k) => {
                    // The schedules that joined the pool since: grown in when few.
                    let mut add = Vec::new();
                    for (e, cols) in pool.cols.iter().enumerate() {
                        let n = k.inside[e].len();
                        k.inside[e].resize(cols.len(), false);
                        for (j, col) in cols.iter().enumerate().skip(n) {
                            if agrees(forced, nd, e, &col.row) {
                                add.push((e, j));
                            }
                        }
                    }
                    if self.whole || add.len() <= GROW_MAX {
                        Self::grow(k, dt, pool, budget, &add)?
                    } else {
                        let mut inside = Self::choose(dt, pool, forced, self.last.as_ref());
                        for &(e, j) in &add {
                            inside[e][j] = true;
                        }
                        Self::build(dt, pool, budget, inside)?
                    }
                }
                None => {
                    let last = if self.whole { None } else { self.last.as_ref() };
                    let inside = Self::choose(dt, pool, forced, last);
                    Self::build(dt, pool, budget, inside)?
                }
            };
            // The answer over the whole pool: left-out rows the duals violate join.
            let (pi, mu) = loop {
                let (pi, mu) = Self::duals(&k);
                let mut add = Vec::new();
                for (e, cols) in pool.cols.iter().enumerate() {
                    for (j, col) in cols.iter().enumerate() {
                        if !k.inside[e][j]
                            && agrees(forced, nd, e, &col.row)
                            && violated(dt, e, col, &pi, &mu)
                        {
                            add.push((e, j));
                        }
                    }
                }
                if add.is_empty() {
                    break (pi, mu);
                }
                // The most violated first, a few at a time.
                add.sort_by(|a, b| {
                    let ra = reduced(dt, a.0, &pool.cols[a.0][a.1], &pi, &mu);
                    let rb = reduced(dt, b.0, &pool.cols[b.0][b.1], &pi, &mu);
                    ra.total_cmp(&rb).then(a.cmp(b))
                });
                add.truncate(VIOLATED_MAX);
                k = Self::grow(k, dt, pool, budget, &add)?;
            };
            let value = k.sol.objective();
            self.last = Some((pi.clone(), mu.clone()));
            if self.keep {
                self.kept = Some(k);
            }
            let mut lp = Lp {
                value,
                pi,
                mu,
                lam: vec![Vec::new(); dt.ne],
                weighed: false,
            };
            if weights {
                weigh(dt, pool, forced, budget, &mut lp)?;
            }
            Some(lp)
        }
    }

    /// Fills `lp`'s weights: from the master over the tight schedules at its duals, over
    /// every agreeing one if that fails.
    pub(super) fn weigh(
        dt: &Data,
        pool: &Pool,
        forced: &[u8],
        budget: &Budget,
        lp: &mut Lp,
    ) -> Option<()> {
        if lp.weighed {
            return Some(());
        }
        let (pi, mu) = (&lp.pi, &lp.mu);
        lp.lam = weights_of(dt, pool, forced, pi, mu, budget, true)
            .or_else(|| weights_of(dt, pool, forced, pi, mu, budget, false))?;
        lp.weighed = true;
        Some(())
    }

    /// The master's weights over the agreeing schedules (only the tight ones at `pi`, `mu`
    /// when `tight`): `(column, weight)` per employee, positive weights only.
    ///
    /// On horizons over four weeks (`columns::long`), the master is stated with its slacks
    /// substituted out, so that every row is `<=` with a right-hand side of at least 0 and
    /// microlp starts from a feasible basis: an employee's stand-in is one minus its
    /// weights (each schedule's cost less [`STAND_IN`], its row `sum <= 1`), a cell's
    /// under-cover its requirement less its cover plus its over-cover (each schedule's
    /// cost less the under penalty of the cells it works, over-cover at both penalties, its
    /// row `sum - over <= req`). The same LP; stated with equalities, microlp's search for
    /// a first feasible basis ran on one of Instance 17's dives (3 284 columns, 256 rows)
    /// for minutes past 41 000 pivots, where this form is optimal in 1 448. Shorter
    /// horizons keep the equalities, the path measured on Instances 1-12.
    fn weights_of(
        dt: &Data,
        pool: &Pool,
        forced: &[u8],
        pi: &[f64],
        mu: &[f64],
        budget: &Budget,
        tight: bool,
    ) -> Option<Vec<Vec<(usize, f64)>>> {
        let (nd, ns) = (dt.nd, dt.ns);
        let sub = crate::roster::columns::long(dt);
        let op = if sub {
            ComparisonOp::Le
        } else {
            ComparisonOp::Eq
        };
        let pos = (0.0, f64::INFINITY);
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let mut cover: Vec<Vec<(Variable, f64)>> = vec![Vec::new(); nd * ns];
        for (i, c) in dt.cover.iter().enumerate() {
            if let Some((_, wu, wo)) = *c {
                if sub {
                    cover[i].push((p.add_var((wu + wo) as f64, pos), -1.0));
                } else {
                    cover[i].push((p.add_var(wu as f64, pos), 1.0));
                    cover[i].push((p.add_var(wo as f64, pos), -1.0));
                }
            }
        }
        let mut lam: Vec<Vec<(usize, Variable)>> = Vec::with_capacity(dt.ne);
        let mut nonzeros = 0u64;
        for (e, cols) in pool.cols.iter().enumerate() {
            let mut conv = Vec::new();
            if !sub {
                conv.push((p.add_var(STAND_IN, pos), 1.0));
            }
            let mut vs = Vec::new();
            for (j, col) in cols.iter().enumerate() {
                if !agrees(forced, nd, e, &col.row) {
                    continue;
                }
                if tight && reduced(dt, e, col, pi, mu) > TIGHT * (1.0 + col.cost.abs()) {
                    continue;
                }
                let mut cost = col.cost;
                if sub {
                    cost -= STAND_IN;
                    for (d, &s) in col.row.iter().enumerate() {
                        if (s as usize) < ns {
                            if let Some((_, wu, _)) = dt.cover[d * ns + s as usize] {
                                cost -= wu as f64;
                            }
                        }
                    }
                }
                let v = p.add_var(cost, pos);
                nonzeros += 1 + col.row.len() as u64;
                conv.push((v, 1.0));
                for (d, &s) in col.row.iter().enumerate() {
                    if (s as usize) < ns && dt.cover[d * ns + s as usize].is_some() {
                        cover[d * ns + s as usize].push((v, 1.0));
                    }
                }
                vs.push((j, v));
            }
            if !conv.is_empty() {
                p.add_constraint(conv, op, 1.0);
            }
            lam.push(vs);
        }
        for (i, c) in dt.cover.iter().enumerate() {
            if let Some((req, _, _)) = *c {
                p.add_constraint(std::mem::take(&mut cover[i]), op, req as f64);
            }
        }
        let rows = (dt.ne + dt.cover.iter().flatten().count()) as u64;
        let s = optimal(&p, budget, &pool.meter, rows, nonzeros)?;
        Some(
            lam.iter()
                .map(|vs| {
                    vs.iter()
                        .map(|&(j, v)| (j, s.var_value(v)))
                        .filter(|&(_, w)| w > 1e-9)
                        .collect()
                })
                .collect(),
        )
    }
}

/// The master LP, kept between solves: columns join as the pool grows, and HiGHS goes on
/// from the last basis (a model rebuilt per solve cost 0.05-0.5 s on the benchmark's
/// four-week instances). A dive forces cells, and the columns that disagree are held at 0.
#[cfg(feature = "highs")]
struct HighsRmp {
    /// `None` only after a failed solve.
    model: Option<highs::Model>,
    /// Row of each covered (day, shift) (index `d * ns + s`) and its index among the rows.
    cover: Vec<Option<(highs::Row, usize)>>,
    /// Each employee's convexity row and its index.
    conv: Vec<(highs::Row, usize)>,
    /// The column of each pooled schedule, per employee, in pool order.
    cols: Vec<Vec<highs::Col>>,
    /// Columns of the master (pooled schedules, stand-ins, cover under and over).
    ncols: u64,
    /// Bounds changed since the last solve.
    reforced: bool,
    /// Wall time spent in solves so far (HiGHS counts its time limit over all the runs of
    /// one model).
    spent: f64,
}

#[cfg(feature = "highs")]
impl HighsRmp {
    /// The master over the pool as it is: cover rows with under and over columns at their
    /// penalties, a convexity row per employee, a column per pooled schedule.
    fn new(dt: &Data, pool: &Pool) -> Option<Self> {
        let mut model = highs::ColProblem::default()
            .try_optimise(highs::Sense::Minimise)
            .ok()?;
        model.make_quiet();
        model.set_option("threads", 1);
        model.set_option("presolve", "off");
        let mut n = 0;
        let mut cover = vec![None; dt.nd * dt.ns];
        for (i, c) in dt.cover.iter().enumerate() {
            if let Some((req, wu, wo)) = *c {
                let r = model.try_add_row(req as f64..=req as f64, []).ok()?;
                cover[i] = Some((r, n));
                n += 1;
                model.try_add_column(wu as f64, 0.0.., [(r, 1.0)]).ok()?;
                model.try_add_column(wo as f64, 0.0.., [(r, -1.0)]).ok()?;
            }
        }
        let mut conv = Vec::with_capacity(dt.ne);
        for _ in 0..dt.ne {
            let r = model.try_add_row(1.0..=1.0, []).ok()?;
            conv.push((r, n));
            n += 1;
            // A stand-in schedule at a prohibitive cost keeps the master feasible when no
            // pooled schedule of the employee agrees with the forced cells yet.
            model.try_add_column(STAND_IN, 0.0.., [(r, 1.0)]).ok()?;
        }
        let ncols = (2 * cover.iter().flatten().count() + dt.ne) as u64;
        let mut rmp = HighsRmp {
            model: Some(model),
            cover,
            conv,
            cols: vec![Vec::new(); dt.ne],
            ncols,
            reforced: false,
            spent: 0.0,
        };
        rmp.sync(dt, pool, &vec![FREE; dt.ne * dt.nd])?;
        Some(rmp)
    }

    /// Adds the pool's schedules not in the master yet.
    fn sync(&mut self, dt: &Data, pool: &Pool, forced: &[u8]) -> Option<()> {
        let (nd, ns) = (dt.nd, dt.ns);
        let mut added = 0u64;
        for (e, cols) in pool.cols.iter().enumerate() {
            for col in &cols[self.cols[e].len()..] {
                let mut a = vec![(self.conv[e].0, 1.0)];
                for (d, &s) in col.row.iter().enumerate() {
                    if (s as usize) < ns {
                        if let Some((r, _)) = self.cover[d * ns + s as usize] {
                            a.push((r, 1.0));
                        }
                    }
                }
                let hi = if agrees(forced, nd, e, &col.row) {
                    f64::INFINITY
                } else {
                    0.0
                };
                let model = self.model.as_mut()?;
                added += a.len() as u64;
                let c = model.try_add_column(col.cost, 0.0..=hi, a).ok()?;
                self.cols[e].push(c);
                self.ncols += 1;
            }
        }
        Meter::add(&pool.meter.highs_built, added);
        Some(())
    }

    /// Forces day `d` of employee `e` to `v` (a shift, or `u8::MAX` for off): the
    /// schedules that disagree are held at 0.
    fn force(&mut self, pool: &Pool, e: usize, d: usize, v: u8) {
        self.reforced = true;
        let Some(model) = self.model.as_mut() else {
            return;
        };
        let mut changed = 0u64;
        for (col, &c) in pool.cols[e].iter().zip(&self.cols[e]) {
            if col.row[d] != v {
                model.change_column_bounds(c, 0.0..=0.0);
                changed += 1;
            }
        }
        Meter::add(&pool.meter.highs_bounds, changed);
    }

    /// Solves the master over the pool (synced first) within `budget` (a safety net: a
    /// simplex solve is the same on every run); `None` when HiGHS fails or does not prove
    /// it optimal.
    fn solve(&mut self, dt: &Data, pool: &Pool, forced: &[u8], budget: &Budget) -> Option<Lp> {
        if budget.is_over() {
            return None;
        }
        self.sync(dt, pool, forced)?;
        let mut model = self.model.take()?;
        let secs = budget.remaining_seconds().max(0.01);
        model.set_option("time_limit", self.spent + secs);
        // New columns leave the last basis primal feasible: primal simplex goes on from it
        // (dual simplex first spent ~1500 iterations regaining dual feasibility on
        // Instance 12). Forced cells leave it dual feasible: dual simplex.
        let strategy = if self.reforced { 1 } else { 4 };
        self.reforced = false;
        model.set_option("simplex_strategy", strategy);
        let t = std::time::Instant::now();
        let solved = model.try_solve();
        self.spent += t.elapsed().as_secs_f64();
        let solved = solved.ok()?;
        // HiGHS' own count of this run's iterations (the same on every run: one thread,
        // no time limit reached), weighed by the master's columns (its primal simplex
        // prices every column at each iteration: the fit of the CPU time of 987 master
        // solves on Instance 8 to pivots times columns left 2 % of its variance, to
        // pivots times rows 8 %).
        let pivots = crate::solver::highs_iterations(&solved).unwrap_or(0);
        Meter::add(
            &pool.meter.highs_pivot_cols,
            pivots.saturating_mul(self.ncols),
        );
        let optimal = solved.status() == highs::HighsModelStatus::Optimal;
        let sol = solved.get_solution();
        self.model = Some(highs::Model::from(solved));
        if !optimal {
            return None;
        }
        let (x, y) = (sol.columns(), sol.dual_rows());
        let pi: Vec<f64> = self
            .cover
            .iter()
            .map(|r| r.map_or(0.0, |(_, i)| y[i]))
            .collect();
        let mu: Vec<f64> = self.conv.iter().map(|&(_, i)| y[i]).collect();
        let lam = self
            .cols
            .iter()
            .map(|cs| {
                cs.iter()
                    .enumerate()
                    .map(|(j, &c)| (j, x[c.index()]))
                    .filter(|&(_, w)| w > 1e-9)
                    .collect()
            })
            .collect();
        let value = req_dot(dt, &pi) + mu.iter().sum::<f64>();
        Some(Lp {
            value,
            pi,
            mu,
            lam,
            weighed: true,
        })
    }
}

#[cfg(all(test, feature = "microlp"))]
mod tests {
    use super::*;
    use crate::roster::colgen::Pool;
    use crate::roster::curtois;
    use std::time::Duration;

    /// The master's value at weights `lam`: the schedules' costs plus each cell's cheapest
    /// under- or over-cover at the cover the weights give.
    fn primal_value(dt: &Data, pool: &Pool, lam: &[Vec<(usize, f64)>]) -> f64 {
        let ns = dt.ns;
        let mut cover = vec![0.0; dt.nd * ns];
        let mut v = 0.0;
        for (e, ws) in lam.iter().enumerate() {
            for &(j, w) in ws {
                let col = &pool.cols[e][j];
                v += w * col.cost;
                for (d, &s) in col.row.iter().enumerate() {
                    if (s as usize) < ns {
                        cover[d * ns + s as usize] += w;
                    }
                }
            }
        }
        for (k, c) in dt.cover.iter().enumerate() {
            if let Some((req, wu, wo)) = *c {
                let gap = req as f64 - cover[k];
                v += if gap > 0.0 {
                    gap * wu as f64
                } else {
                    -gap * wo as f64
                };
            }
        }
        v
    }

    #[test]
    fn a_master_over_part_of_the_pool_has_the_whole_masters_value() {
        // Generation's pool holds more schedules per employee than a new LP keeps. Rows
        // chosen at duals far from the optimum's (all 0: each employee's cheapest
        // schedules) must still give the whole master's value: the left-out rows that the
        // answer violates join. The same with cells forced, as a dive's.
        let dt = Data::new(&curtois::bundled("Instance3.txt"));
        let budget = Budget::new(Duration::from_secs(600), None);
        let (pool, _) = Pool::generated(&dt, 40);
        let most = pool.cols.iter().map(Vec::len).max().unwrap();
        assert!(
            most > 10,
            "the pool holds {most} schedules at most per employee"
        );
        let mut used = Rmp::new(&dt, &pool, Backend::Microlp).unwrap();
        for step in 0..3 {
            if step > 0 {
                let e = step * 3;
                let v = pool.cols[e][pool.cols[e].len() / 2].row[step];
                used.force(&dt, &pool, e, step, v);
            }
            used.steer(vec![0.0; dt.nd * dt.ns], vec![0.0; dt.ne]);
            let mut fresh = Rmp::new(&dt, &pool, Backend::Microlp).unwrap();
            for (i, &f) in used.forced.iter().enumerate() {
                if f != FREE {
                    fresh.force(&dt, &pool, i / dt.nd, i % dt.nd, f);
                }
            }
            let a = used.solve(&dt, &pool, &budget, false).unwrap();
            let b = fresh.solve(&dt, &pool, &budget, false).unwrap();
            assert!(
                (a.value - b.value).abs() <= 1e-6 * (1.0 + b.value.abs()),
                "step {step}: {} against {}",
                a.value,
                b.value
            );
        }
    }

    #[test]
    fn the_weights_are_a_whole_schedule_per_employee_at_the_masters_value() {
        // Four weeks keep the equalities, six are substituted (`columns::long`).
        for name in ["Instance3.txt", "Instance14.txt"] {
            let dt = Data::new(&curtois::bundled(name));
            let budget = Budget::new(Duration::from_secs(600), None);
            let (pool, _) = Pool::generated(&dt, 4);
            let mut rmp = Rmp::new(&dt, &pool, Backend::Microlp).unwrap();
            // Whole, then with a cell forced as a dive would.
            for step in 0..2 {
                if step == 1 {
                    let v = pool.cols[0][0].row[0];
                    rmp.force(&dt, &pool, 0, 0, v);
                }
                let mut lp = rmp.solve(&dt, &pool, &budget, true).unwrap();
                rmp.weigh(&dt, &pool, &budget, &mut lp).unwrap();
                assert!(lp.weighed);
                for (e, ws) in lp.lam.iter().enumerate() {
                    let sum: f64 = ws.iter().map(|&(_, w)| w).sum();
                    assert!(
                        (sum - 1.0).abs() < 1e-6,
                        "{name}: employee {e} weighs {sum}"
                    );
                    for &(j, _) in ws {
                        assert!(agrees(&rmp.forced, dt.nd, e, &pool.cols[e][j].row));
                    }
                }
                let v = primal_value(&dt, &pool, &lp.lam);
                assert!(
                    (v - lp.value).abs() <= 1e-6 * (1.0 + lp.value.abs()),
                    "{name}, step {step}: weights give {v}, the master {}",
                    lp.value
                );
            }
        }
    }
}
