//! Building a block's LP (or MIP) with `good_lp` and solving it with the chosen backend.

use super::model::Sub;
use super::options::Backend;
#[allow(unused_imports)]
use good_lp::{
    variable, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    WithInitialSolution, WithMipGap, WithTimeLimit,
};

/// Why a solve gave no point.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LpFail {
    /// The rows cannot all hold.
    Infeasible,
    /// The time limit ended the solve before an answer (an LP's optimum, or a MIP's
    /// first integer point).
    TimeLimit,
    /// The backend failed or found nothing in time; the reason for the user.
    Other(String),
}

/// What to solve.
pub(crate) struct LpRequest<'a> {
    pub sub: &'a Sub,
    pub backend: Backend,
    /// Integer counts (MIP) instead of the relaxation.
    pub integer: bool,
    pub time_limit: Option<f64>,
    pub warm_start: Option<&'a [u32]>,
    pub mip_gap: f64,
    /// Make every hard cover row soft with this under penalty and ignore costs (used to
    /// find which requirement cannot be met).
    pub elastic: bool,
}

/// Each cover row's and each pack row's terms over the block's columns `x` (whatever handle
/// a backend gives a column).
#[allow(dead_code, clippy::type_complexity)]
pub(crate) fn incidence<V: Copy>(s: &Sub, x: &[V]) -> (Vec<Vec<(V, f64)>>, Vec<Vec<(V, f64)>>) {
    let mut rows: Vec<Vec<(V, f64)>> = vec![Vec::new(); s.cover_rhs.len()];
    let mut packs: Vec<Vec<(V, f64)>> = vec![Vec::new(); s.pack_cap.len()];
    for (j, &v) in x.iter().enumerate() {
        // A row listed k times for a column (backlog deadline rows) has coefficient k.
        let mut last = u32::MAX;
        for &r in &s.col_cover[j] {
            match rows[r as usize].last_mut() {
                Some(e) if r == last => e.1 += 1.0,
                _ => rows[r as usize].push((v, 1.0)),
            }
            last = r;
        }
        for &(r, c) in &s.col_pack[j] {
            packs[r as usize].push((v, c));
        }
    }
    (rows, packs)
}

/// Values of the block's columns and the objective.
pub(crate) struct LpPoint {
    pub x: Vec<f64>,
    /// A MIP's proven lower bound on the block's objective, where the backend gives one.
    pub bound: Option<f64>,
    /// Elastic mode: the shortfall of each cover row.
    pub shortfall: Vec<f64>,
}

#[allow(dead_code)]
struct Built {
    vars: ProblemVariables,
    x: Vec<Variable>,
    short: Vec<Option<Variable>>,
    objective: Expression,
    constraints: Vec<good_lp::Constraint>,
}

#[allow(dead_code)]
fn build(req: &LpRequest<'_>) -> Built {
    let s = req.sub;
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = (0..s.cols.len())
        .map(|_| {
            let v = variable().min(0.0);
            vars.add(if req.integer { v.integer() } else { v })
        })
        .collect();
    let mut objective = Expression::with_capacity(s.cols.len());
    if !req.elastic {
        for (j, &v) in x.iter().enumerate() {
            objective.add_mul(s.cost[j], v);
        }
    }
    let mut rows: Vec<Expression> = vec![Expression::default(); s.cover_rhs.len()];
    let mut packs: Vec<Expression> = vec![Expression::default(); s.pack_cap.len()];
    for (j, &v) in x.iter().enumerate() {
        for &r in &s.col_cover[j] {
            rows[r as usize].add_mul(1.0, v);
        }
        for &(r, coef) in &s.col_pack[j] {
            packs[r as usize].add_mul(coef, v);
        }
    }
    let mut constraints = Vec::with_capacity(rows.len() + packs.len());
    let mut short = vec![None; rows.len()];
    for (r, mut e) in rows.into_iter().enumerate() {
        let rhs = s.cover_rhs[r];
        if s.cover_soft[r] && !req.elastic {
            let u = vars.add(variable().min(0.0));
            let o = vars.add(variable().min(0.0));
            objective.add_mul(s.under, u);
            objective.add_mul(s.over, o);
            e.add_mul(1.0, u);
            e.add_mul(-1.0, o);
            constraints.push(e.eq(rhs));
        } else if req.elastic {
            let u = vars.add(variable().min(0.0));
            objective.add_mul(1.0, u);
            e.add_mul(1.0, u);
            short[r] = Some(u);
            constraints.push(e.geq(rhs));
        } else {
            constraints.push(e.geq(rhs));
        }
    }
    for (r, e) in packs.into_iter().enumerate() {
        constraints.push(e.leq(s.pack_cap[r]));
    }
    Built {
        vars,
        x,
        short,
        objective,
        constraints,
    }
}

/// Solves the request with its backend.
pub(crate) fn solve(req: &LpRequest<'_>) -> Result<LpPoint, LpFail> {
    if !req.backend.available() {
        return Err(LpFail::Other(format!(
            "backend {} is not compiled in; build wfm with `--features {}`",
            req.backend.name(),
            req.backend.name()
        )));
    }
    match req.backend {
        #[cfg(feature = "microlp")]
        Backend::Microlp => super::microlp::solve(req),
        #[cfg(feature = "highs")]
        Backend::Highs => super::highs::solve(req),
        #[cfg(feature = "coin_cbc")]
        Backend::CoinCbc => {
            let b = build(req);
            let mut m = b
                .vars
                .minimise(b.objective.clone())
                .using(good_lp::solvers::coin_cbc::coin_cbc);
            m.set_parameter("log", "0");
            run(m, req, &b.x, &b.short, b.constraints)
        }
        #[allow(unreachable_patterns)]
        _ => Err(LpFail::Other(format!(
            "backend {} is not compiled in",
            req.backend.name()
        ))),
    }
}

#[allow(dead_code)]
fn run<M>(
    mut model: M,
    req: &LpRequest<'_>,
    x: &[Variable],
    short: &[Option<Variable>],
    constraints: Vec<good_lp::Constraint>,
) -> Result<LpPoint, LpFail>
where
    M: SolverModel<Error = ResolutionError> + WithTimeLimit + WithInitialSolution + WithMipGap,
{
    for c in constraints {
        model.add_constraint(c);
    }
    if let Some(t) = req.time_limit {
        model = model.with_time_limit(t.max(0.01));
    }
    if req.integer {
        if let Ok(m) = model.with_mip_gap(req.mip_gap as f32) {
            model = m;
        } else {
            return Err(LpFail::Other("invalid MIP gap".into()));
        }
        if let Some(w) = req.warm_start {
            model = model.with_initial_solution(x.iter().zip(w).map(|(&v, &k)| (v, k as f64)));
        }
    }
    match model.solve() {
        Ok(sol) => Ok(LpPoint {
            x: x.iter().map(|&v| sol.value(v).max(0.0)).collect(),
            bound: None,
            shortfall: short
                .iter()
                .map(|u| u.map(|u| sol.value(u).max(0.0)).unwrap_or(0.0))
                .collect(),
        }),
        Err(ResolutionError::Infeasible) => Err(LpFail::Infeasible),
        Err(e) => Err(LpFail::Other(e.to_string())),
    }
}
