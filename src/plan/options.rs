//! How to solve: backend, time limit, target gap, and a progress observer.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// The LP/MIP backend behind `good_lp`. Each is a cargo feature of this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Backend {
    /// Pure Rust (`microlp` feature, on by default).
    #[default]
    Microlp,
    /// HiGHS (`highs` feature; needs `cmake` and `libclang-dev`).
    Highs,
    /// COIN-OR CBC (`coin_cbc` feature; needs `coinor-libcbc-dev`).
    CoinCbc,
}

impl Backend {
    /// The name used in files and errors.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            Backend::Highs => "highs",
            Backend::CoinCbc => "coin_cbc",
        }
    }

    /// Whether this build of the crate includes the backend.
    pub fn available(self) -> bool {
        match self {
            Backend::Microlp => cfg!(feature = "microlp"),
            Backend::Highs => cfg!(feature = "highs"),
            Backend::CoinCbc => cfg!(feature = "coin_cbc"),
        }
    }
}

/// A stage of a solve, told to the observer of [`SolveOptions`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PlanEvent {
    /// Candidates were expanded and the model split into independent blocks.
    CandidatesBuilt {
        /// Number of candidate shifts.
        candidates: usize,
        /// Number of independent blocks.
        blocks: usize,
    },
    /// The LP relaxation of every block was solved.
    LpSolved {
        /// Lower bound on the objective of any plan.
        lower_bound: f64,
        /// Seconds since the solve started.
        seconds: f64,
    },
    /// An integer plan was found.
    Incumbent {
        /// Its objective.
        objective: f64,
        /// Its relative gap to the bound.
        gap: f64,
    },
    /// A better roster of named people was found (by the roster solver, [`crate::roster`],
    /// or by the named agents' scheduler of a scenario).
    RosterImproved {
        /// Its objective.
        objective: f64,
        /// Hard rules it still breaks (0: a valid roster).
        violations: usize,
        /// The phase that found it (e.g. `anneal`, `column dive`, `neighbourhood`).
        by: &'static str,
        /// Seconds since the solve started.
        seconds: f64,
    },
    /// The lower bound on any roster's objective was raised.
    BoundRaised {
        /// The new bound.
        lower_bound: f64,
        /// What gave it (e.g. `column generation`, `LP relaxation`, `full MIP`).
        by: &'static str,
        /// Seconds since the solve started.
        seconds: f64,
    },
    /// The solve is over.
    Done {
        /// Final objective.
        objective: f64,
        /// Final lower bound.
        lower_bound: f64,
        /// Final gap.
        gap: f64,
    },
}

/// A progress callback, the one observer type of every solve: the planner
/// ([`SolveOptions::observer`]), the roster solver ([`crate::roster::solve_observed`]) and
/// the named agents' scheduler of a scenario. The solver does not know who listens, and
/// nothing it decides depends on the observer.
pub type Observer = Arc<dyn Fn(&PlanEvent) + Send + Sync>;

fn default_time_limit() -> f64 {
    10.0
}

fn default_true() -> bool {
    true
}

fn default_gap() -> f64 {
    0.005
}

/// Options of [`crate::plan::solve`].
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SolveOptions {
    /// Backend; default `microlp`.
    #[serde(default)]
    pub backend: Backend,
    /// Wall-clock limit in seconds of the whole solve; default 10. It sets the default
    /// [`work`](Self::work) and is a safety net: when it is reached the best plan found so
    /// far is returned with its gap (status `time_limit`).
    #[serde(default = "default_time_limit")]
    pub time_limit_seconds: f64,
    /// Relative gap to the LP bound at which a plan is good enough, in [0, 1]; default
    /// 0.005 (0.5 %). 0 keeps searching (within the time limit) for a proven optimum.
    #[serde(default = "default_gap")]
    pub gap: f64,
    /// Solve blocks that are pure interval covering exactly as min-cost flow; default
    /// `true`. `false` sends every block through the LP (to compare the two).
    #[serde(default = "default_true")]
    pub interval_flow: bool,
    /// Seed of the planner's pseudo-random choices (the neighbourhoods of its local
    /// search); default 1. The same problem, options and seed give the same plan whenever
    /// the solve ends before its time limit.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Work units the planner may do (see [`crate::plan::WORK_PER_SECOND`]); default
    /// `None`: the time limit times [`crate::plan::WORK_PER_SECOND`]
    /// ([`crate::plan::work_for`]). The planner's decisions (which LP to start, how many
    /// branch-and-bound nodes, how many search steps) are paced by work, not by the clock,
    /// so the same problem and options give the same plan on every run unless the time
    /// limit (or the stop flag) cut the run (status `time_limit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work: Option<u64>,
    /// Told of each stage; not part of files.
    #[serde(skip)]
    pub observer: Option<Observer>,
    /// Set from any thread to stop the solve early: every phase then ends and the best plan
    /// so far is returned (status `time_limit`); not part of files.
    #[serde(skip)]
    pub stop: Option<crate::budget::StopFlag>,
}

fn default_seed() -> u64 {
    1
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            backend: Backend::default(),
            time_limit_seconds: default_time_limit(),
            gap: default_gap(),
            interval_flow: true,
            seed: default_seed(),
            work: None,
            observer: None,
            stop: None,
        }
    }
}

impl fmt::Debug for SolveOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SolveOptions")
            .field("backend", &self.backend)
            .field("time_limit_seconds", &self.time_limit_seconds)
            .field("gap", &self.gap)
            .field("interval_flow", &self.interval_flow)
            .field("seed", &self.seed)
            .field("work", &self.work)
            .field("observer", &self.observer.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

impl SolveOptions {
    /// Checks the options before any work.
    ///
    /// # Errors
    ///
    /// A time limit that is not a positive finite number of seconds or is above
    /// [`crate::limits::MAX_TIME_LIMIT_SECONDS`] (one day), or a gap outside `[0, 1]`, is an
    /// [`crate::Error::Invalid`] naming `solve.time_limit_seconds` or `solve.gap`; a `work`
    /// of 0 or above 2^40 units one naming `solve.work`.
    pub fn validate(&self) -> crate::Result<()> {
        crate::limits::check_time_limit("solve.time_limit_seconds", self.time_limit_seconds)?;
        if let Some(w) = self.work {
            if w == 0 || w > super::pace::MAX_WORK {
                return Err(crate::Error::invalid(
                    "solve.work",
                    format!(
                        "work units must be between 1 and {} (2^40), got {w}",
                        super::pace::MAX_WORK
                    ),
                ));
            }
        }
        if self.gap != 0.0 {
            // 0 asks for a proven optimum; otherwise a fraction of the bound, at most 100 %.
            crate::error::check_fraction("solve.gap", self.gap)?;
        }
        Ok(())
    }

    /// The work units of a solve: `work`, or the default for the time limit.
    pub(crate) fn work_units(&self) -> u64 {
        self.work
            .unwrap_or_else(|| super::pace::work_for(self.time_limit_seconds))
    }

    pub(crate) fn notify(&self, p: PlanEvent) {
        if let Some(o) = &self.observer {
            o(&p);
        }
    }
}
