//! The microlp backend through microlp's own API (the crate behind good_lp's `microlp`
//! backend), for what good_lp does not pass on: a branch-and-bound node limit, so a MIP
//! ends at the same point on every run and its memory does not grow with the time limit,
//! and the MIP's proven bound. With a stop flag and [`Settings::slices`], a solve runs in
//! slices of [`STOP_POLL`](super::STOP_POLL) and reads the flag between them (microlp
//! resumes the paused search, though not along the same path: see the layer's notes);
//! otherwise the flag is read before the call.

use super::{Answer, Fail, Model, Op, Settings, Status, STOP_POLL};
use microlp::{
    ComparisonOp, OptimizationDirection, Problem, SolveOutcome, TerminationReason, Variable,
};
use std::time::Duration;

/// Solves `model` with microlp.
pub(super) fn solve(model: &Model, settings: &Settings<'_>) -> Result<Answer, Fail> {
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let clamp = |x: f64| x.clamp(i32::MIN as f64, i32::MAX as f64) as i32;
    let x: Vec<Variable> = model
        .cols
        .iter()
        .map(|c| {
            if !c.integer {
                p.add_var(c.cost, (c.lo, c.hi))
            } else if c.lo == 0.0 && c.hi == 1.0 {
                p.add_binary_var(c.cost)
            } else {
                p.add_integer_var(c.cost, (clamp(c.lo.ceil()), clamp(c.hi.floor())))
            }
        })
        .collect();
    for r in &model.rows {
        let op = match r.op {
            Op::Le => ComparisonOp::Le,
            Op::Ge => ComparisonOp::Ge,
            Op::Eq => ComparisonOp::Eq,
        };
        let terms: Vec<(Variable, f64)> = r.terms.iter().map(|&(j, c)| (x[j], c)).collect();
        p.add_constraint(terms, op, r.rhs);
    }
    let integer = model.is_mip();
    let budget = settings.budget;
    if budget.stop_requested() && !settings.slices {
        return Err(Fail::Stopped);
    }
    // One call until the deadline, or slices between reads of the stop flag.
    let sliced = settings.slices && budget.stop().is_some();
    let slice = |left: Duration| if sliced { left.min(STOP_POLL) } else { left };
    let mut options = microlp::SolveOptions::default();
    options.time_limit = Some(slice(budget.remaining()));
    if integer {
        options.node_limit = settings.nodes;
        options.mip_gap = settings.rel_gap();
        options.warm_start = settings
            .warm
            .as_ref()
            .map(|w| w.iter().map(|&(j, v)| (x[j], v)).collect());
    }
    let mut outcome = p.solve_with(options);
    while let Ok(out) = &outcome {
        let paused = out.termination_reason() == TerminationReason::TimeLimit;
        let nodes = out.stats().nodes_solved;
        let spent = integer && settings.nodes.is_some_and(|n| nodes >= n);
        if !paused || budget.is_over() || spent {
            break;
        }
        let mut resume = out.last_resume_options();
        resume.time_limit = Some(slice(budget.remaining()));
        if integer {
            if let Some(n) = settings.nodes {
                resume.node_limit = Some(n - nodes);
            }
        }
        if let Ok(out) = outcome {
            outcome = out.resume_with(resume);
        }
    }
    match outcome {
        Ok(SolveOutcome::Solution(sol)) => {
            let optimal = sol.status() == microlp::SolutionStatus::Optimal;
            // An LP stopped early is no answer: only its optimum is used.
            if !integer && !optimal {
                return Err(Fail::Stopped);
            }
            Ok(Answer {
                x: x.iter().map(|&v| sol.var_value_raw(v)).collect(),
                status: if optimal {
                    Status::Optimal
                } else {
                    Status::Stopped
                },
                bound: if integer {
                    sol.stats().best_bound
                } else {
                    None
                },
                nodes: integer.then(|| sol.stats().nodes_solved),
                iterations: Some(sol.stats().lp_iterations),
            })
        }
        Ok(SolveOutcome::Interrupted(_)) => Err(Fail::Stopped),
        Err(microlp::Error::Infeasible) => Err(Fail::Infeasible),
        Err(e) => Err(Fail::Other(e.to_string())),
    }
}
