//! The roster's MIP models solved through microlp's own API (the crate behind good_lp's
//! `microlp` backend), for what good_lp does not pass on: a branch-and-bound node limit.
//! A node limit ends a sub-MIP at the same point on every machine and under any load, so
//! the neighbourhood search gives the same answers on every run; the time limit stays as a
//! safety net only.
//!
//! The model is built with good_lp (see the `mip` module) and translated here term by
//! term: variables in their order of creation, each constraint's coefficients and constant
//! (good_lp keeps them in an FNV map, whose order is the same on every run).

use super::mip::MipError;
use super::mip_backend::SolutionView;
use good_lp::{
    Constraint, Expression, IntoAffineExpression, ProblemVariables, SolutionStatus, Variable,
};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome};
use std::collections::HashMap;
use std::time::Duration;

/// Limits of one solve.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Safety net in seconds.
    pub seconds: f64,
    /// Relative gap at which to stop.
    pub gap: f64,
    /// Branch-and-bound nodes (`None`: no limit).
    pub nodes: Option<u64>,
}

/// A solution read back through good_lp's variables.
struct View<'a> {
    sol: &'a microlp::Solution,
    map: &'a HashMap<Variable, microlp::Variable>,
    status: SolutionStatus,
}

impl SolutionView for View<'_> {
    fn value(&self, v: Variable) -> f64 {
        self.map.get(&v).map_or(0.0, |&m| self.sol.var_value_raw(m))
    }
    fn eval(&self, e: &Expression) -> f64 {
        e.constant()
            + e.clone()
                .linear_coefficients()
                .map(|(v, c)| c * self.value(v))
                .sum::<f64>()
    }
    fn status(&self) -> SolutionStatus {
        self.status
    }
}

/// Solves `min obj` over `vars` subject to `cons`, warm started from `init`, and reads the
/// answer with `f`.
pub(crate) fn run<R>(
    vars: ProblemVariables,
    obj: &Expression,
    cons: Vec<Constraint>,
    init: Vec<(Variable, f64)>,
    limits: Limits,
    f: &dyn Fn(&dyn SolutionView) -> (R, f64, SolutionStatus),
) -> Result<((R, f64), SolutionStatus), MipError> {
    let objective: HashMap<Variable, f64> = obj.clone().linear_coefficients().collect();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let mut map: HashMap<Variable, microlp::Variable> = HashMap::with_capacity(vars.len());
    let mut integer = false;
    for (v, def) in vars.iter_variables_with_def() {
        let c = objective.get(&v).copied().unwrap_or(0.0);
        let (lo, hi) = (def.get_min(), def.get_max());
        let mv = if def.is_integer() {
            integer = true;
            if lo == 0.0 && hi == 1.0 {
                p.add_binary_var(c)
            } else {
                let clamp = |x: f64| x.clamp(i32::MIN as f64, i32::MAX as f64) as i32;
                p.add_integer_var(c, (clamp(lo.ceil()), clamp(hi.floor())))
            }
        } else {
            p.add_var(c, (lo, hi))
        };
        map.insert(v, mv);
    }
    for con in cons {
        let e = con.expression();
        let rhs = -e.constant();
        let terms: Vec<(microlp::Variable, f64)> = e
            .clone()
            .linear_coefficients()
            .filter_map(|(v, c)| map.get(&v).map(|&m| (m, c)))
            .collect();
        let op = if con.is_equality() {
            ComparisonOp::Eq
        } else {
            ComparisonOp::Le
        };
        p.add_constraint(terms, op, rhs);
    }
    let mut options = microlp::SolveOptions::default();
    let secs = if limits.seconds.is_finite() {
        limits.seconds.clamp(0.0, 1e6)
    } else {
        1e6
    };
    options.time_limit = Some(Duration::from_secs_f64(secs));
    if integer {
        options.node_limit = limits.nodes;
        options.mip_gap = if limits.gap.is_finite() {
            limits.gap.max(0.0)
        } else {
            0.0
        };
        options.warm_start = Some(
            init.iter()
                .filter_map(|(v, x)| map.get(v).map(|&m| (m, *x)))
                .collect(),
        );
    }
    match p.solve_with(options) {
        Ok(SolveOutcome::Solution(sol)) => {
            let status = if sol.status() == microlp::SolutionStatus::Optimal {
                SolutionStatus::Optimal
            } else {
                SolutionStatus::TimeLimit
            };
            let view = View {
                sol: &sol,
                map: &map,
                status,
            };
            let (r, v, s) = f(&view);
            Ok(((r, v), s))
        }
        Ok(SolveOutcome::Interrupted(_)) => Err(MipError::Other),
        Err(microlp::Error::Infeasible) => Err(MipError::Infeasible),
        Err(_) => Err(MipError::Other),
    }
}
