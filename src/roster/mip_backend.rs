//! The backends behind the roster's MIP models: one dispatch on [`Backend`] for the full
//! model, its relaxation and the neighbourhood sub-models. HiGHS and CBC through good_lp
//! (with their node limits set as options), microlp through its own API (the
//! `mip_microlp` module), each with a node limit that ends a solve at the same point on
//! every run and the time left as a safety net.

use super::mip::MipError;
use crate::plan::Backend;
#[cfg(feature = "coin_cbc")]
use good_lp::WithMipGap;
use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable,
    WithInitialSolution, WithTimeLimit,
};

type Extract<'a, R> = dyn Fn(&dyn SolutionView) -> R + 'a;

/// The bits of a solution the model reads back.
pub(crate) trait SolutionView {
    /// Value of a variable.
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

#[allow(dead_code)]
fn run<M, R>(
    mut m: M,
    cons: Vec<good_lp::Constraint>,
    init: Vec<(Variable, f64)>,
    seconds: f64,
    f: &Extract<'_, (R, f64, SolutionStatus)>,
) -> Result<((R, f64), SolutionStatus), MipError>
where
    M: SolverModel<Error = ResolutionError> + WithTimeLimit + WithInitialSolution,
{
    for c in cons {
        m.add_constraint(c);
    }
    let m = m
        .with_time_limit(seconds.max(0.01))
        .with_initial_solution(init);
    let sol = m.solve().map_err(|e| match e {
        ResolutionError::Infeasible => MipError::Infeasible,
        _ => MipError::Other,
    })?;
    let (r, v, s) = f(&View(&sol));
    Ok(((r, v), s))
}

/// The limits of one solve: time (a safety net), relative gap, and nodes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    pub seconds: f64,
    pub gap: f64,
    pub nodes: Option<u64>,
}

/// Solves with the chosen backend (an error when it is not compiled in).
#[allow(unused_variables)]
pub(super) fn dispatch<R>(
    backend: Backend,
    vars: ProblemVariables,
    obj: &Expression,
    cons: Vec<good_lp::Constraint>,
    init: Vec<(Variable, f64)>,
    limits: Limits,
    f: impl Fn(&dyn SolutionView) -> (R, f64, SolutionStatus),
) -> Result<((R, f64), SolutionStatus), MipError> {
    let Limits {
        seconds,
        gap,
        nodes,
    } = limits;
    match backend {
        #[cfg(feature = "microlp")]
        Backend::Microlp => super::mip_microlp::run(vars, obj, cons, init, limits_of(limits), &f),
        #[cfg(feature = "highs")]
        Backend::Highs => {
            // Objectives are integral (integer weights and requirements), so an absolute gap
            // below 1 is a proof of optimality; a relative gap only when asked for.
            let mut m = vars
                .minimise(obj.clone())
                .using(good_lp::solvers::highs::highs)
                .set_option("mip_rel_gap", gap)
                .set_option("mip_abs_gap", 0.999)
                .set_threads(1);
            if let Some(n) = nodes {
                m = m.set_option("mip_max_nodes", n.min(i32::MAX as u64) as i32);
            }
            let ((r, v), s) = run(m, cons, init, seconds, &f)?;
            // good_lp reports a stop on the absolute gap as `GapLimit`: here that is optimal.
            let s = if gap == 0.0 && matches!(s, SolutionStatus::GapLimit) {
                SolutionStatus::Optimal
            } else {
                s
            };
            Ok(((r, v), s))
        }
        #[cfg(feature = "coin_cbc")]
        Backend::CoinCbc => {
            let mut m = vars
                .minimise(obj.clone())
                .using(good_lp::solvers::coin_cbc::coin_cbc);
            m.set_parameter("log", "0");
            if let Some(n) = nodes {
                m.set_parameter("maxNodes", &n.to_string());
            }
            let m = m.with_mip_gap(gap as f32).map_err(|_| MipError::Other)?;
            run(m, cons, init, seconds, &f)
        }
        #[allow(unreachable_patterns)]
        _ => Err(MipError::Other),
    }
}

#[cfg(feature = "microlp")]
fn limits_of(l: Limits) -> super::mip_microlp::Limits {
    super::mip_microlp::Limits {
        seconds: l.seconds,
        gap: l.gap,
        nodes: l.nodes,
    }
}
