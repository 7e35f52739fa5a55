//! The COIN-OR CBC backend through good_lp (the `coin_cbc` feature; needs
//! `coinor-libcbc-dev`). CBC takes no interrupt through good_lp: the stop flag is read
//! before the call, and the deadline is CBC's time limit (whole seconds, rounded up).

use super::{Answer, Fail, Model, Op, Settings, Status};
use good_lp::{
    variable, Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel,
    Variable, WithInitialSolution, WithMipGap, WithTimeLimit,
};

/// Solves `model` with CBC.
pub(super) fn solve(model: &Model, settings: &Settings<'_>) -> Result<Answer, Fail> {
    let budget = settings.budget;
    if budget.is_over() {
        return Err(Fail::Stopped);
    }
    let mut vars = ProblemVariables::new();
    let x: Vec<Variable> = model
        .cols
        .iter()
        .map(|c| {
            let v = variable().min(c.lo).max(c.hi);
            vars.add(if c.integer { v.integer() } else { v })
        })
        .collect();
    let mut objective = Expression::with_capacity(x.len());
    for (c, &v) in model.cols.iter().zip(&x) {
        if c.cost != 0.0 {
            objective.add_mul(c.cost, v);
        }
    }
    let mut m = vars
        .minimise(objective)
        .using(good_lp::solvers::coin_cbc::coin_cbc);
    m.set_parameter("log", "0");
    if let Some(n) = settings.nodes {
        m.set_parameter("maxNodes", &n.to_string());
    }
    if let Some(a) = settings.abs_gap {
        m.set_parameter("allowableGap", &a.to_string());
    }
    for r in &model.rows {
        let mut e = Expression::with_capacity(r.terms.len());
        for &(j, c) in &r.terms {
            e.add_mul(c, x[j]);
        }
        m.add_constraint(match r.op {
            Op::Le => e.leq(r.rhs),
            Op::Ge => e.geq(r.rhs),
            Op::Eq => e.eq(r.rhs),
        });
    }
    let mut m = m
        .with_mip_gap(settings.rel_gap() as f32)
        .map_err(|e| Fail::Other(format!("invalid MIP gap: {e}")))?
        .with_time_limit(budget.remaining_seconds().clamp(0.01, 1e6));
    if model.is_mip() {
        if let Some(w) = &settings.warm {
            m = m.with_initial_solution(w.iter().map(|&(j, v)| (x[j], v)));
        }
    }
    match m.solve() {
        Ok(sol) => Ok(Answer {
            x: x.iter().map(|&v| sol.value(v)).collect(),
            status: match sol.status() {
                SolutionStatus::Optimal => Status::Optimal,
                SolutionStatus::GapLimit => Status::GapLimit,
                _ => Status::Stopped,
            },
            bound: None,
            nodes: None,
            iterations: None,
        }),
        Err(ResolutionError::Infeasible) => Err(Fail::Infeasible),
        Err(e) => Err(Fail::Other(e.to_string())),
    }
}
