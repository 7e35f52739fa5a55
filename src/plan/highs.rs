//! A block's LP or MIP through HiGHS' own API (the `highs` crate, which good_lp wraps), for
//! what good_lp does not pass on: a MIP's proven dual bound, so a block the MIP closes is
//! reported optimal and a reported gap measures the plan, not the LP's weakness on small
//! integer counts. One thread, so a solve that ends before its time limit is reproducible.

use super::lp::{LpFail, LpPoint, LpRequest};
use highs::{HighsModelStatus, RowProblem, Sense};

/// Solves `req` with HiGHS.
pub(crate) fn solve(req: &LpRequest<'_>) -> Result<LpPoint, LpFail> {
    let s = req.sub;
    let mut p = RowProblem::default();
    let x: Vec<highs::Col> = (0..s.cols.len())
        .map(|j| {
            let cost = if req.elastic { 0.0 } else { s.cost[j] };
            p.add_column_with_integrality(cost, 0.0.., req.integer)
        })
        .collect();
    let (rows, packs) = super::lp::incidence(s, &x);
    let mut short = vec![None; rows.len()];
    for (r, mut e) in rows.into_iter().enumerate() {
        let rhs = s.cover_rhs[r];
        if req.elastic {
            let u = p.add_column(1.0, 0.0..);
            e.push((u, 1.0));
            short[r] = Some(u);
            p.add_row(rhs.., e);
        } else if s.cover_soft[r] {
            let u = p.add_column(s.under, 0.0..);
            let o = p.add_column(s.over, 0.0..);
            e.push((u, 1.0));
            e.push((o, -1.0));
            p.add_row(rhs..=rhs, e);
        } else {
            p.add_row(rhs.., e);
        }
    }
    for (r, e) in packs.into_iter().enumerate() {
        p.add_row(..=s.pack_cap[r], e);
    }
    let ncols = x.len() + short.iter().flatten().count();
    let mut model = p
        .try_optimise(Sense::Minimise)
        .map_err(|e| LpFail::Other(format!("HiGHS refused the model: {e:?}")))?;
    model.make_quiet();
    model.set_option("threads", 1);
    // HiGHS' Rust API has no way to interrupt a running solve: the stop flag is read
    // before the call and ends the solve when the call returns.
    if req.budget.is_over() {
        return Err(LpFail::TimeLimit);
    }
    model.set_option(
        "time_limit",
        req.budget.remaining_seconds().clamp(0.01, 1e6),
    );
    if req.integer {
        model.set_option("mip_rel_gap", req.mip_gap.max(0.0));
        if let Some(w) = req.warm_start {
            // Soft-coverage slack columns follow the counts; HiGHS completes them.
            let start: Vec<f64> = w.iter().map(|&k| k as f64).collect();
            if start.len() == x.len() && ncols == x.len() {
                let _ = model.try_set_solution(Some(&start), None, None, None);
            }
        }
    }
    let solved = model
        .try_solve()
        .map_err(|e| LpFail::Other(format!("HiGHS failed: {e:?}")))?;
    match solved.status() {
        HighsModelStatus::Infeasible => return Err(LpFail::Infeasible),
        // An LP stopped early gives no bound: only an optimal relaxation is used.
        HighsModelStatus::ReachedTimeLimit if !req.integer => return Err(LpFail::TimeLimit),
        status if !req.integer && status != HighsModelStatus::Optimal => {
            return Err(LpFail::Other(format!("the LP ended with {status:?}")))
        }
        HighsModelStatus::Optimal
        | HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => {}
        other => return Err(LpFail::Other(format!("HiGHS ended with {other:?}"))),
    }
    let sol = solved.get_solution();
    let cols = sol.columns();
    if cols.len() < x.len() || cols.iter().any(|v| !v.is_finite()) {
        return Err(LpFail::TimeLimit);
    }
    let bound = if req.integer {
        solved
            .double_info_value(c"mip_dual_bound")
            .ok()
            .filter(|b| b.is_finite())
    } else {
        None
    };
    let mut k = x.len();
    let shortfall = short
        .iter()
        .map(|u| match u {
            Some(_) => {
                let v = cols.get(k).copied().unwrap_or(0.0).max(0.0);
                k += 1;
                v
            }
            None => 0.0,
        })
        .collect();
    Ok(LpPoint {
        x: cols[..x.len()].iter().map(|v| v.max(0.0)).collect(),
        bound,
        shortfall,
    })
}
