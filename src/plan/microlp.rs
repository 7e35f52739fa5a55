//! A block's LP or MIP through microlp's own API (the crate behind good_lp's `microlp`
//! backend), for what good_lp does not pass on: a node budget for branch and bound, so a
//! MIP's memory does not grow with the time limit, and the MIP's proven bound.

use super::lp::{LpFail, LpPoint, LpRequest};
use microlp::{
    ComparisonOp, OptimizationDirection, Problem, SolveOutcome, TerminationReason, Variable,
};
use std::time::Duration;

/// Branch-and-bound nodes one MIP solve may open at least: enough for the planner's blocks.
pub(crate) const MIP_NODES: u64 = 3_000;
/// Nodes one MIP solve may open at most (a small block, e.g. a day at one site).
const MIP_NODES_SMALL: u64 = 10_000;
/// Nodes times variables (columns and rows) one MIP may open: an open node keeps a basis
/// of one byte per variable and its bound changes, so this caps the tree's memory (about
/// 10 MB) whatever the time limit; small blocks get more nodes than large ones.
const MIP_TREE: u64 = 6_000_000;

/// The node budget of a MIP with `vars` columns and rows.
pub(crate) fn node_budget(vars: usize) -> u64 {
    (MIP_TREE / vars.max(1) as u64).clamp(MIP_NODES, MIP_NODES_SMALL)
}

/// Longest slice of a solve between two reads of the stop flag.
pub(crate) const STOP_POLL: Duration = Duration::from_millis(50);

/// Solves `req` with microlp.
pub(crate) fn solve(req: &LpRequest<'_>) -> Result<LpPoint, LpFail> {
    let s = req.sub;
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let x: Vec<Variable> = (0..s.cols.len())
        .map(|j| {
            let cost = if req.elastic { 0.0 } else { s.cost[j] };
            if req.integer {
                p.add_integer_var(cost, (0, i32::MAX))
            } else {
                p.add_var(cost, (0.0, f64::INFINITY))
            }
        })
        .collect();
    let (rows, packs) = super::lp::incidence(s, &x);
    let mut short = vec![None; rows.len()];
    for (r, mut e) in rows.into_iter().enumerate() {
        let rhs = s.cover_rhs[r];
        if req.elastic {
            let u = p.add_var(1.0, (0.0, f64::INFINITY));
            e.push((u, 1.0));
            short[r] = Some(u);
            p.add_constraint(e, ComparisonOp::Ge, rhs);
        } else if s.cover_soft[r] {
            let u = p.add_var(s.under, (0.0, f64::INFINITY));
            let o = p.add_var(s.over, (0.0, f64::INFINITY));
            e.push((u, 1.0));
            e.push((o, -1.0));
            p.add_constraint(e, ComparisonOp::Eq, rhs);
        } else {
            p.add_constraint(e, ComparisonOp::Ge, rhs);
        }
    }
    for (r, e) in packs.into_iter().enumerate() {
        p.add_constraint(e, ComparisonOp::Le, s.pack_cap[r]);
    }
    let budget = req.budget;
    // Without a stop flag, one call until the deadline; with one, slices between reads.
    let slice = |left: Duration| match budget.stop() {
        Some(_) => left.min(STOP_POLL),
        None => left,
    };
    let mip_nodes = node_budget(s.cols.len() + s.cover_rhs.len() + s.pack_cap.len());
    let mut options = microlp::SolveOptions::default();
    options.time_limit = Some(slice(budget.remaining()));
    if req.integer {
        options.node_limit = Some(mip_nodes);
        options.mip_gap = req.mip_gap.max(0.0);
        options.warm_start = req
            .warm_start
            .map(|w| x.iter().zip(w).map(|(&v, &k)| (v, k as f64)).collect());
    }
    let mut outcome = p.solve_with(options);
    while let Ok(out) = &outcome {
        let paused = out.termination_reason() == TerminationReason::TimeLimit;
        let nodes = out.stats().nodes_solved;
        if !paused || budget.is_over() || (req.integer && nodes >= mip_nodes) {
            break;
        }
        let mut resume = out.last_resume_options();
        resume.time_limit = Some(slice(budget.remaining()));
        if req.integer {
            resume.node_limit = Some(mip_nodes - nodes);
        }
        if let Ok(out) = outcome {
            outcome = out.resume_with(resume);
        }
    }
    match outcome {
        // An LP stopped early gives no bound: only an optimal relaxation is used.
        Ok(SolveOutcome::Solution(sol))
            if !req.integer && sol.status() != microlp::SolutionStatus::Optimal =>
        {
            Err(LpFail::TimeLimit)
        }
        Ok(SolveOutcome::Solution(sol)) => Ok(LpPoint {
            x: x.iter().map(|&v| sol.var_value_raw(v).max(0.0)).collect(),
            bound: if req.integer {
                sol.stats().best_bound
            } else {
                None
            },
            shortfall: short
                .iter()
                .map(|u| u.map(|u| sol.var_value_raw(u).max(0.0)).unwrap_or(0.0))
                .collect(),
        }),
        Ok(SolveOutcome::Interrupted(_)) => Err(LpFail::TimeLimit),
        Err(microlp::Error::Infeasible) => Err(LpFail::Infeasible),
        Err(e) => Err(LpFail::Other(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_budget_shrinks_with_the_model_within_its_limits() {
        assert_eq!(node_budget(0), MIP_NODES_SMALL);
        assert_eq!(node_budget(300), MIP_NODES_SMALL);
        assert_eq!(node_budget(1_000), 6_000);
        assert_eq!(node_budget(1_000_000), MIP_NODES);
        let mut last = u64::MAX;
        for vars in (1..20_000).step_by(97) {
            let n = node_budget(vars);
            assert!(n <= last && (MIP_NODES..=MIP_NODES_SMALL).contains(&n));
            // The tree's size (nodes times variables) stays capped above the floor.
            assert!(n == MIP_NODES || n * vars as u64 <= MIP_TREE);
            last = n;
        }
    }
}
