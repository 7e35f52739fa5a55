//! The HiGHS backend through HiGHS' own API (the `highs` crate, which good_lp wraps), for
//! what good_lp does not pass on: a MIP's proven dual bound, and the interrupt callback
//! (the `interrupt` module) through which HiGHS itself reads the stop flag during a solve
//! and a MIP ends at its simplex iteration limit.
//! One thread, so a solve that ends before its limits is reproducible.

use super::{interrupt, Answer, Fail, Model, Op, Settings, Status};
use highs::{HighsModelStatus, HighsSolutionStatus, RowProblem, Sense};

/// Most interior point iterations of an LP solved that way ([`Settings::lp_ipm`]): HiGHS
/// took 16-49 on the LP relaxations of Curtois Instances 1-20, so the cap only bounds a
/// pathological case, at the same point on every run.
const IPM_ITERATIONS: i32 = 200;

/// Solves `model` with HiGHS.
pub(super) fn solve(model: &Model, settings: &Settings<'_>) -> Result<Answer, Fail> {
    let mut p = RowProblem::default();
    let x: Vec<highs::Col> = model
        .cols
        .iter()
        .map(|c| p.add_column_with_integrality(c.cost, c.lo..c.hi, c.integer))
        .collect();
    for r in &model.rows {
        let terms = r.terms.iter().map(|&(j, c)| (x[j], c));
        match r.op {
            Op::Le => p.add_row(..=r.rhs, terms),
            Op::Ge => p.add_row(r.rhs.., terms),
            Op::Eq => p.add_row(r.rhs..=r.rhs, terms),
        }
    }
    let integer = model.is_mip();
    let mut m = p
        .try_optimise(Sense::Minimise)
        .map_err(|e| Fail::Other(format!("HiGHS refused the model: {e:?}")))?;
    m.make_quiet();
    let budget = settings.budget;
    if budget.is_over() {
        return Err(Fail::Stopped);
    }
    opt(&mut m, "threads", 1)?;
    opt(
        &mut m,
        "time_limit",
        budget.remaining_seconds().clamp(0.01, 1e6),
    )?;
    if integer {
        opt(&mut m, "mip_rel_gap", settings.rel_gap())?;
        if let Some(a) = settings.abs_gap {
            opt(&mut m, "mip_abs_gap", a)?;
        }
        if let Some(n) = settings.nodes {
            opt(&mut m, "mip_max_nodes", n.min(i32::MAX as u64) as i32)?;
        }
    } else {
        if settings.lp_ipm {
            opt(&mut m, "solver", "ipm")?;
            opt(&mut m, "ipm_iteration_limit", IPM_ITERATIONS)?;
        }
        if let Some(n) = settings.lp_iterations {
            opt(
                &mut m,
                "simplex_iteration_limit",
                n.clamp(1, i32::MAX as u64) as i32,
            )?;
        }
    }
    if let Some(w) = &settings.warm {
        let mut start = vec![0.0; x.len()];
        let mut named = vec![false; x.len()];
        for &(j, v) in w {
            start[j] = v;
            named[j] = true;
        }
        if settings.warm_zeros || named.iter().all(|&n| n) {
            // A start HiGHS refuses is only a lost hint.
            let _ = m.try_set_solution(Some(&start), None, None, None);
        }
    }
    let mip_iterations = settings.mip_iterations.filter(|_| integer);
    let solved = interrupt::solve(m, budget.stop(), mip_iterations)
        .map_err(|e| Fail::Other(format!("HiGHS failed: {e:?}")))?;
    let status = match solved.status() {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(Fail::Infeasible)
        }
        HighsModelStatus::Optimal if !integer => Status::Optimal,
        // An LP stopped early is no answer: only its optimum is used.
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedIterationLimit
            if !integer =>
        {
            return Err(Fail::Stopped)
        }
        status if !integer => return Err(Fail::Other(format!("the LP ended with {status:?}"))),
        HighsModelStatus::Optimal
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {
            let gap = solved.mip_gap();
            if gap.is_finite() && gap > 0.0 {
                Status::GapLimit
            } else {
                Status::Optimal
            }
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedMemoryLimit => Status::Stopped,
        other => return Err(Fail::Other(format!("HiGHS ended with {other:?}"))),
    };
    if solved.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(Fail::Stopped);
    }
    let sol = solved.get_solution();
    let cols = sol.columns();
    if cols.len() < x.len() || cols.iter().any(|v| !v.is_finite()) {
        return Err(Fail::Stopped);
    }
    let bound = if integer {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
    } else {
        None
    };
    let nodes = if integer {
        interrupt::mip_nodes(&solved)
    } else {
        None
    };
    Ok(Answer {
        x: cols[..x.len()].to_vec(),
        status,
        bound,
        nodes,
        // HiGHS' own count of simplex iterations (of every LP of a MIP's search).
        iterations: interrupt::lp_iterations(&solved),
    })
}

/// Sets one HiGHS option.
fn opt<V: highs::HighsOptionValue>(m: &mut highs::Model, name: &str, v: V) -> Result<(), Fail> {
    m.try_set_option(name, v)
        .map_err(|e| Fail::Other(format!("HiGHS refused option {name}: {e:?}")))
}
