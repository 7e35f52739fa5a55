//! The one solver layer under `plan` and `roster`: a model is stated once, backend-neutral
//! ([`Model`]: columns with cost, bounds and integrality; rows of terms with a sense and a
//! right-hand side), and solved by [`solve`] with the backend the caller chose — the only
//! place where a [`Backend`] is matched. Every solve runs under a [`Budget`] (deadline and
//! stop flag) and ends with one [`Status`] or one [`Fail`].
//!
//! * `microlp` (the `microlp` module): microlp's own API, for what good_lp does not pass
//!   on: a node limit (a MIP ends at the same point on every run, and its memory does not
//!   grow with the time limit) and the proven bound. Where the caller asks for it
//!   ([`Settings::slices`]) and gives a stop flag, a solve runs in slices of [`STOP_POLL`]
//!   and reads the flag between them; microlp resumes a paused search, but not along the
//!   same path (a pause ends its current dive), so a sliced solve's answer depends on
//!   where the slices fell. Unsliced, the flag is read before the call. A MIP given an
//!   iteration limit ([`Settings::mip_iterations`]) runs in slices of nodes and stops
//!   once its pivots reach it: the same slices on every run.
//! * `highs` (the `highs` module): HiGHS' own API (the `highs` crate that good_lp wraps),
//!   one thread, with the MIP's dual bound; the stop flag is read by HiGHS itself during
//!   the solve through its interrupt callback (the `interrupt` module), so a long MIP ends
//!   within one check of its limits after the flag is set; the same callback ends a MIP
//!   whose search passed its simplex iteration limit ([`Settings::mip_iterations`]), at
//!   the same point on every run.
//! * `coin_cbc` (the `cbc` module): CBC through good_lp; the stop flag is read before the
//!   call (CBC takes no interrupt through good_lp), the deadline is its time limit.
//!
//! Models built with good_lp (the roster's) come in through the `goodlp` module, which
//! translates them term by term in good_lp's own order.

#[cfg(feature = "coin_cbc")]
mod cbc;
pub(crate) mod goodlp;
#[cfg(feature = "highs")]
mod highs;
#[cfg(feature = "highs")]
mod interrupt;
/// HiGHS' simplex iterations of the last run of a solved model (of every LP of a MIP's
/// search): for callers that drive a HiGHS model themselves (the roster's master LP) and
/// are charged its work.
#[cfg(feature = "highs")]
pub(crate) use interrupt::lp_iterations as highs_iterations;
#[cfg(feature = "microlp")]
mod microlp;
#[cfg(test)]
mod tests;

use crate::budget::Budget;
pub(crate) use crate::plan::Backend;
use std::time::Duration;

/// Longest slice of a microlp solve between two reads of the stop flag.
pub(crate) const STOP_POLL: Duration = Duration::from_millis(50);

/// One column: its cost in the (minimised) objective, its bounds and whether it is integer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Col {
    pub cost: f64,
    pub lo: f64,
    pub hi: f64,
    pub integer: bool,
}

/// The sense of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `terms <= rhs`.
    Le,
    /// `terms >= rhs`.
    Ge,
    /// `terms == rhs`.
    Eq,
}

/// One row: `sum(coef * x[col]) op rhs`, its terms in the order they are passed to the
/// backend.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub terms: Vec<(usize, f64)>,
    pub op: Op,
    pub rhs: f64,
}

/// A linear model to minimise: columns and rows in the order the backend receives them
/// (the order is part of the answer: the same model gives the same answer).
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Model {
    pub cols: Vec<Col>,
    pub rows: Vec<Row>,
}

impl Model {
    /// Adds a column and returns its index.
    pub fn col(&mut self, cost: f64, lo: f64, hi: f64, integer: bool) -> usize {
        self.cols.push(Col {
            cost,
            lo,
            hi,
            integer,
        });
        self.cols.len() - 1
    }

    /// Adds a row.
    pub fn row(&mut self, terms: Vec<(usize, f64)>, op: Op, rhs: f64) {
        self.rows.push(Row { terms, op, rhs });
    }

    /// Whether any column is integer (a MIP rather than an LP).
    pub fn is_mip(&self) -> bool {
        self.cols.iter().any(|c| c.integer)
    }
}

/// How far one solve may go besides its budget.
#[derive(Debug, Clone)]
pub(crate) struct Settings<'a> {
    /// Deadline and stop flag: the solve ends by the deadline, and soon after the flag is
    /// set (see the module's notes per backend).
    pub budget: &'a Budget,
    /// Relative gap at which a MIP may stop (0: prove optimality).
    pub gap: f64,
    /// Absolute gap at which a MIP may stop, where the backend takes one (HiGHS, CBC).
    pub abs_gap: Option<f64>,
    /// Branch-and-bound nodes the MIP may open (`None`: no limit).
    pub nodes: Option<u64>,
    /// Simplex iterations a MIP's whole search may do (`None`: no limit), at the same point
    /// on every run. HiGHS' node limit does not bound the work at the root (cut rounds,
    /// heuristics); this does (the `interrupt` module). microlp reads it between slices of
    /// nodes (a node's LP runs to its end).
    pub mip_iterations: Option<u64>,
    /// HiGHS only: simplex iterations an LP (a model with no integer column) may do
    /// (`None`: no limit); an LP that reaches them gives no answer
    /// ([`Fail::Stopped`]), at the same point on every run.
    pub lp_iterations: Option<u64>,
    /// HiGHS only (the other backends ignore it): an LP is solved by the interior point
    /// method (at most 200 of its iterations, the `highs` module's cap), then crossover to
    /// a vertex, instead of the dual simplex; [`Settings::lp_iterations`] still bounds any
    /// simplex cleanup after it.
    pub lp_ipm: bool,
    /// A start: values of some columns.
    pub warm: Option<Vec<(usize, f64)>>,
    /// HiGHS only: columns without a start value start at 0. When false, a start that
    /// does not name every column is not passed to HiGHS.
    pub warm_zeros: bool,
    /// microlp only: with a stop flag, solve in slices of [`STOP_POLL`] and read the flag
    /// between them. The answer then depends on where the slices fall (on the machine's
    /// speed); callers that promise the same answer on every run leave it off and bound
    /// their solves by node limits.
    pub slices: bool,
}

impl<'a> Settings<'a> {
    /// Defaults: prove optimality, no node limit, no start.
    pub fn new(budget: &'a Budget) -> Self {
        Settings {
            budget,
            gap: 0.0,
            abs_gap: None,
            nodes: None,
            mip_iterations: None,
            lp_iterations: None,
            lp_ipm: false,
            warm: None,
            warm_zeros: false,
            slices: false,
        }
    }

    /// The relative gap as a backend takes it (a finite number, at least 0).
    fn rel_gap(&self) -> f64 {
        if self.gap.is_finite() {
            self.gap.max(0.0)
        } else {
            0.0
        }
    }
}

/// How a solve that gave values ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    /// Proven optimal (an LP's optimum, or a MIP closed to its gap tolerance 0).
    Optimal,
    /// A MIP stopped at its relative or absolute gap, not proven optimal.
    GapLimit,
    /// Stopped by the deadline, the stop flag or the node limit, with a feasible point.
    Stopped,
}

/// The values a solve gave.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    /// Value of every column, in the model's order.
    pub x: Vec<f64>,
    /// How the solve ended.
    pub status: Status,
    /// A MIP's proven lower bound on the objective, where the backend gives one.
    pub bound: Option<f64>,
    /// Branch-and-bound nodes the MIP solve opened, where the backend tells (the work it
    /// did; read by the tests of the stop flag, no caller needs it yet).
    pub nodes: Option<u64>,
    /// Simplex pivots the solve made (a MIP's across its nodes), where the backend tells:
    /// the planner's work measure (`plan::pace`).
    pub iterations: Option<u64>,
}

/// Why a solve gave no values.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fail {
    /// The backend proved that the rows cannot all hold.
    Infeasible,
    /// The deadline, the stop flag or the node limit ended the solve before a feasible
    /// point (or, for an LP, before its optimum).
    Stopped,
    /// The backend failed, or is not compiled in; the reason for the user.
    Other(String),
}

/// Solves `model` with `backend` under `settings`.
pub(crate) fn solve(
    backend: Backend,
    model: &Model,
    settings: &Settings<'_>,
) -> Result<Answer, Fail> {
    match backend {
        #[cfg(feature = "microlp")]
        Backend::Microlp => microlp::solve(model, settings),
        #[cfg(feature = "highs")]
        Backend::Highs => highs::solve(model, settings),
        #[cfg(feature = "coin_cbc")]
        Backend::CoinCbc => cbc::solve(model, settings),
        #[allow(unreachable_patterns)]
        _ => Err(Fail::Other(format!(
            "backend {} is not compiled in; build wfm with `--features {}`",
            backend.name(),
            backend.name()
        ))),
    }
}
