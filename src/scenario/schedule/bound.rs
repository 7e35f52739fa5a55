//! The roster's lower bound beyond the seed prices: on large scenarios a Lagrangian bound
//! by subgradient steps first (`lagrange`), then the column generation (`master`), each
//! within its share of the work left (see `meter`).
//!
//! Where it runs: before the integer search, so that its pool and the restricted master's
//! weights give one more start; but on large scenarios (from
//! [`super::PLAN_START_AGENTS`] agents) whose first roster still leaves hard intervals
//! short, after the integer search, with the time that search leaves. There the gap is
//! the shortfall's (each missing agent-interval weighs the hard penalty, on the month
//! example more than 1 % of the bound), and the bound phases do not close it: measured on
//! the month (with the time to finish), the subgradient's 3 888 re-plans raised the seed bound by
//! 0.12 % and the column generation ran no round within the limit, while those re-plans
//! are the integer search's whole currency.

use super::master::{self, Column, Generated, Seeded};
use super::meter::Pace;
use super::model::Model;
use super::trace::Trace;
use super::{lagrange, CG_SHARE, LAG_SHARE, PLAN_START_AGENTS};
use crate::error::Result;
use crate::plan::PlanEvent;

/// Raises `seeded`'s bound within shares of `pace`'s work (see the module docs), with the
/// schedules `rosters` in the pool and `upper` the best roster's objective; `tell` hears
/// of each better bound.
pub(crate) fn raise(
    model: &Model,
    pace: &Pace<'_>,
    mut seeded: Seeded,
    rosters: &[Column],
    upper: f64,
    tell: &dyn Fn(PlanEvent),
    trace: &mut Trace,
) -> Result<Generated> {
    // Large scenarios: a Lagrangian bound by subgradient steps first (the master LP
    // converges on them only with far more time than the limit gives).
    let clock = || pace.clock_over();
    let lag_runs = model.agents.len() >= PLAN_START_AGENTS && !pace.is_over();
    if lag_runs {
        let lag_pace = pace.share(LAG_SHARE);
        let lag_stop = || lag_pace.is_over();
        if let Some(l) = lagrange::subgradient(
            model,
            lagrange::zero(model),
            upper,
            lagrange::ROUNDS,
            &lag_stop,
            &clock,
        ) {
            trace.phase("subgradient", model, None, &format!("bound {:.0}", l.bound));
            if l.bound > seeded.bound {
                seeded.bound = l.bound;
                tell(PlanEvent::BoundRaised {
                    lower_bound: l.bound,
                    by: "Lagrangian subgradient",
                    seconds: pace.clock().elapsed().as_secs_f64(),
                });
            }
        }
    }
    // The column generation's share of the work: the integer phase needs the rest (after
    // the subgradient rounds, the share that keeps the two within `CG_SHARE` together).
    let cg_share = if lag_runs {
        (CG_SHARE - LAG_SHARE) / (1.0 - LAG_SHARE)
    } else {
        CG_SHARE
    };
    let cg_pace = pace.share(cg_share);
    let cg_stop = || cg_pace.is_over();
    let generated = master::generate(model, seeded, rosters, &cg_stop, &clock)?;
    trace.phase(
        "column generation",
        model,
        None,
        &format!(
            "bound {:.0} rounds {} converged {}",
            generated.bound, generated.rounds, generated.converged
        ),
    );
    tell(PlanEvent::BoundRaised {
        lower_bound: generated.bound,
        by: "column generation",
        seconds: pace.clock().elapsed().as_secs_f64(),
    });
    Ok(generated)
}
