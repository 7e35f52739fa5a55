//! MIP models of the roster with `good_lp`: the full model (exact for small instances, or
//! its LP relaxation as a lower bound) and sub-models where only some (employee, day) cells
//! are free and the rest are fixed to the current roster (the large-neighbourhood search).
//!
//! Variables: `x[e,d,s]` binary for each free, allowed cell; `k[e,w]` for worked weekends;
//! `u[d,s]`, `o[d,s]` >= 0 for cover under/over. Fixed cells enter as constants, and a
//! constraint whose every term is fixed is left out. Constraints per employee: one shift a
//! day; forbidden successions and minimum rest (`x[d,s] + sum x[d',t] <= 1` over conflicting
//! later shifts); per-type maxima; total minutes; max consecutive days (sliding windows);
//! min consecutive working days and days off (forbidding every too-short inner run
//! pattern); max weekends. The backend's answer is never trusted: values must be integral
//! and the caller runs the checker.

use super::data::Data;
use good_lp::{
    variable, Expression, ProblemVariables, Solution, SolutionStatus, SolverModel, Variable,
    WithInitialSolution, WithTimeLimit,
};

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
/// `relax`: LP relaxation instead of binaries.
pub(crate) fn solve(
    dt: &Data,
    grid: &[u8],
    free: &dyn Fn(usize, usize) -> bool,
    relax: bool,
    seconds: f64,
) -> Result<MipResult, String> {
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
    let xi = |e: usize, d: usize, s: usize| x[(e * nd + d) * ns + s];
    let mut cons = Vec::new();
    let mut obj = Expression::from(0.0);
    let emp_free: Vec<bool> = (0..ne).map(|e| (0..nd).any(|d| free(e, d))).collect();
    let work = |e: usize, d: usize| -> Lin {
        let mut l = Lin::new();
        for s in 0..ns {
            l.add(1.0, xi(e, d, s));
        }
        l
    };
    for e in 0..ne {
        if !emp_free[e] {
            continue;
        }
        for d in 0..nd {
            let w = work(e, d);
            if w.free {
                cons.push(w.e.leq(1.0));
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
                    cons.push(l.e.leq(1.0));
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
                cons.push(l.e.leq(dt.max_shifts[e * ns + s] as f64));
            }
        }
        if minutes.free {
            cons.push(minutes.e.clone().leq(dt.max_min[e] as f64));
            cons.push(minutes.e.geq(dt.min_min[e] as f64));
        }
        let mc = dt.max_cons[e];
        if mc < nd {
            for a in 0..nd - mc {
                let mut l = Lin::new();
                for d in a..=a + mc {
                    for s in 0..ns {
                        l.add(1.0, xi(e, d, s));
                    }
                }
                if l.free {
                    cons.push(l.e.leq(mc as f64));
                }
            }
        }
        // Inner runs [a, a+len) shorter than the minimum are forbidden:
        // working run: w[a-1] + (len - sum w[a..a+len]) + w[a+len] >= 1.
        // off run:     (1 - w[a-1]) + sum w[a..a+len] + (1 - w[a+len]) >= 1.
        for (min, working) in [(dt.min_cons[e], true), (dt.min_off[e], false)] {
            for len in 1..min {
                for a in 1..nd {
                    if a + len >= nd {
                        break;
                    }
                    let mut l = Lin::new();
                    let sign = if working { 1.0 } else { -1.0 };
                    for s in 0..ns {
                        l.add(sign, xi(e, a - 1, s));
                        l.add(sign, xi(e, a + len, s));
                        for d in a..a + len {
                            l.add(-sign, xi(e, d, s));
                        }
                    }
                    // working: l + len >= 1; off: l + 2 >= 1 (as sum w >= ... rearranged).
                    let rhs = if working { 1.0 - len as f64 } else { -1.0 };
                    if l.free {
                        cons.push(l.e.geq(rhs));
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
                        vars.add(if relax {
                            variable().min(0).max(1)
                        } else {
                            variable().binary()
                        })
                    });
                    cons.push(w.e.leq(k));
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
                cons.push(total.e.leq(dt.max_we[e] as f64));
            }
        }
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
                continue;
            }
            let u = vars.add(variable().min(0));
            let o = vars.add(variable().min(0));
            obj.add_mul(wu as f64, u);
            obj.add_mul(wo as f64, o);
            let mut lhs = l.e;
            lhs.add_mul(1.0, u);
            lhs.add_mul(-1.0, o);
            cons.push(lhs.eq(req as f64));
        }
    }
    if cells.is_empty() {
        return Err("no free cell".into());
    }
    let model = vars.minimise(obj.clone());
    let (values, status) = backend(model, cons, init, seconds, |sol| {
        (
            cells.iter().map(|c| sol.value(c.3)).collect::<Vec<f64>>(),
            sol.eval(&obj),
            sol.status(),
        )
    })?;
    let (vals, value) = values;
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
        optimal: matches!(status, SolutionStatus::Optimal),
    })
}

type Extract<'a, R> = dyn Fn(&dyn SolutionView) -> R + 'a;

/// The bits of a solution the model reads back.
pub(crate) trait SolutionView {
    fn value(&self, v: Variable) -> f64;
    fn eval(&self, e: &Expression) -> f64;
    fn status(&self) -> SolutionStatus;
}

struct View<'a, S: Solution>(&'a S);

impl<S: Solution> SolutionView for View<'_, S> {
    fn value(&self, v: Variable) -> f64 {
        self.0.value(v)
    }
    fn eval(&self, e: &Expression) -> f64 {
        self.0.eval(e)
    }
    fn status(&self) -> SolutionStatus {
        self.0.status()
    }
}

#[cfg_attr(not(feature = "microlp"), allow(dead_code))]
fn run<M, R>(
    mut m: M,
    cons: Vec<good_lp::Constraint>,
    init: Vec<(Variable, f64)>,
    seconds: f64,
    f: &Extract<'_, (R, f64, SolutionStatus)>,
) -> Result<((R, f64), SolutionStatus), String>
where
    M: SolverModel + WithTimeLimit + WithInitialSolution,
    M::Error: std::fmt::Display,
{
    for c in cons {
        m.add_constraint(c);
    }
    let m = m
        .with_time_limit(seconds.max(0.01))
        .with_initial_solution(init);
    let sol = m.solve().map_err(|e| e.to_string())?;
    let (r, v, s) = f(&View(&sol));
    Ok(((r, v), s))
}

/// Name of the MIP backend used.
pub(crate) fn backend_name() -> &'static str {
    "microlp"
}

#[cfg(feature = "microlp")]
fn backend<R>(
    model: good_lp::variable::UnsolvedProblem,
    cons: Vec<good_lp::Constraint>,
    init: Vec<(Variable, f64)>,
    seconds: f64,
    f: impl Fn(&dyn SolutionView) -> (R, f64, SolutionStatus),
) -> Result<((R, f64), SolutionStatus), String> {
    run(
        model.using(good_lp::solvers::microlp::microlp),
        cons,
        init,
        seconds,
        &f,
    )
}

/// Without the `microlp` feature the rostering MIP phases are skipped (the annealing still
/// runs); the sub-solve reports why.
#[cfg(not(feature = "microlp"))]
fn backend<R>(
    _model: good_lp::variable::UnsolvedProblem,
    _cons: Vec<good_lp::Constraint>,
    _init: Vec<(Variable, f64)>,
    _seconds: f64,
    _f: impl Fn(&dyn SolutionView) -> (R, f64, SolutionStatus),
) -> Result<((R, f64), SolutionStatus), String> {
    Err("the rostering MIP needs the `microlp` feature".to_string())
}
