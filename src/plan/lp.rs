//! A block's LP (or MIP) stated once for the solver layer (`crate::solver`), which solves it
//! with the chosen backend under the block's budget.

use super::model::Sub;
use super::options::Backend;
use super::pace::{self, Pace};
use crate::solver::{self, Fail, Op, Settings};

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
    /// The work and clock the solve runs under: the solve is charged the work it did; a
    /// MIP's node budget is cut to the work left; the solve ends by the clock's deadline,
    /// and soon after its stop flag is set (recorded as a cut).
    pub pace: &'a Pace<'a>,
    pub warm_start: Option<&'a [u32]>,
    pub mip_gap: f64,
    /// Make every hard cover row soft with this under penalty and ignore costs (used to
    /// find which requirement cannot be met).
    pub elastic: bool,
}

/// Each cover row's and each pack row's terms over the block's columns `x` (whatever handle
/// a backend gives a column).
#[allow(clippy::type_complexity)]
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

/// The block as a solver model: its columns first (integer counts for a MIP), then per
/// cover row its slack columns (elastic shortfall, or soft under and over) and the row,
/// then the pack rows. Returns the model and each cover row's shortfall column.
fn model(req: &LpRequest<'_>) -> (solver::Model, Vec<Option<usize>>) {
    let s = req.sub;
    let mut m = solver::Model::default();
    let x: Vec<usize> = (0..s.cols.len())
        .map(|j| {
            let cost = if req.elastic { 0.0 } else { s.cost[j] };
            m.col(cost, 0.0, f64::INFINITY, req.integer)
        })
        .collect();
    let (rows, packs) = incidence(s, &x);
    let mut short = vec![None; rows.len()];
    for (r, mut e) in rows.into_iter().enumerate() {
        let rhs = s.cover_rhs[r];
        if req.elastic {
            let u = m.col(1.0, 0.0, f64::INFINITY, false);
            e.push((u, 1.0));
            short[r] = Some(u);
            m.row(e, Op::Ge, rhs);
        } else if s.cover_soft[r] {
            let u = m.col(s.under, 0.0, f64::INFINITY, false);
            let o = m.col(s.over, 0.0, f64::INFINITY, false);
            e.push((u, 1.0));
            e.push((o, -1.0));
            m.row(e, Op::Eq, rhs);
        } else {
            m.row(e, Op::Ge, rhs);
        }
    }
    for (r, e) in packs.into_iter().enumerate() {
        m.row(e, Op::Le, s.pack_cap[r]);
    }
    (m, short)
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
    let (model, short) = model(req);
    let n = req.sub.cols.len();
    let size = model.cols.len() + model.rows.len();
    let mut settings = Settings::new(req.pace.clock());
    // With a stop flag, microlp's solves run in slices between reads of it.
    settings.slices = true;
    if req.integer {
        settings.gap = req.mip_gap;
        // microlp's search tree lives in memory: its node budget keeps that independent
        // of the time limit; every backend's nodes are cut to the work left, so where the
        // search ends does not depend on the clock.
        let s = req.sub;
        let vars = s.cols.len() + s.cover_rhs.len() + s.pack_cap.len();
        let by_work = pace::nodes_within(req.pace.left(), size);
        settings.nodes = Some(match req.backend {
            Backend::Microlp => node_budget(vars).min(by_work),
            _ => by_work,
        });
        settings.warm = req.warm_start.map(|w| {
            w.iter()
                .take(n)
                .enumerate()
                .map(|(j, &k)| (j, k as f64))
                .collect()
        });
    }
    let result = solver::solve(req.backend, &model, &settings);
    // The work done, from the backend's pivots where it tells; a solve that gave nothing
    // is charged as an LP of its size.
    let pivots = match &result {
        Ok(a) => a.iterations.unwrap_or_else(|| match a.nodes {
            Some(nodes) => pace::mip_pivots_estimate(size, nodes),
            None => pace::lp_pivots_estimate(size),
        }),
        Err(_) => pace::lp_pivots_estimate(size),
    };
    req.pace.charge(match (&result, req.backend, req.integer) {
        (Ok(_), Backend::Highs, true) => pace::highs_mip_units(pivots, size),
        _ => pace::pivot_units(pivots, size),
    });
    // A solve that ended with the clock over may have been cut by it.
    req.pace.clock_over();
    match result {
        Ok(a) => Ok(LpPoint {
            x: a.x.iter().take(n).map(|v| v.max(0.0)).collect(),
            bound: a.bound,
            shortfall: short
                .iter()
                .map(|u| u.and_then(|u| a.x.get(u)).map_or(0.0, |v| v.max(0.0)))
                .collect(),
        }),
        Err(Fail::Infeasible) => Err(LpFail::Infeasible),
        Err(Fail::Stopped) => Err(LpFail::TimeLimit),
        Err(Fail::Other(why)) => Err(LpFail::Other(why)),
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
