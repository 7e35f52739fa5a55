//! Pacing the planner by work, not by the clock: the same problem and options give the same
//! plan on every run unless the clock (or the stop flag) cut the run.
//!
//! A solve gets a number of work units ([`crate::plan::SolveOptions::work`], by default the
//! time limit times [`WORK_PER_SECOND`]). Every LP and MIP is charged the work it did, read
//! from the backend (simplex pivots times the model's size; for a backend that does not
//! tell, an estimate from the model's size and its branch-and-bound nodes), and every
//! decision to start, continue or stop a step (the next LP bound, the next dive round, the
//! MIP's node budget, the next neighbourhood) reads the work done, never the clock. Phases
//! get shares of the work left, as they used to get shares of the time left.
//!
//! The clock is a safety net only: every solve runs under the one [`Budget`] of the call
//! (its deadline and stop flag), and the first time a check finds the clock over, the
//! [`Meter`] records that the run was cut ([`Meter::cut`]); the plan's status is then
//! `time_limit`, the one case in which two runs may differ.

use crate::budget::Budget;
use std::cell::Cell;

/// Work units per second of time limit by default. A unit is about a millisecond of one
/// core of a release build on the planner's LPs (measured on the month at five sites and the
/// large week; see `docs/planning.md`), so the default work fits the time limit on a quiet
/// machine and the clock cuts only a run that gets less than a core.
pub const WORK_PER_SECOND: f64 = 1000.0;

/// Most work units a solve takes (2^40, far beyond any time limit's default).
pub const MAX_WORK: u64 = 1 << 40;

/// Simplex pivots times columns and rows per work unit.
const PIVOT_SIZE_PER_UNIT: f64 = 20_000.0;

/// Pivots a branch-and-bound node is counted as, for a backend that does not report them.
const PIVOTS_PER_NODE: f64 = 20.0;

/// Work units a solve takes by default for a time limit of `seconds`.
pub fn work_for(seconds: f64) -> u64 {
    let w = seconds * WORK_PER_SECOND;
    if w.is_finite() && w > 0.0 {
        (w as u64).clamp(1, MAX_WORK)
    } else {
        1
    }
}

/// The work units of `pivots` simplex pivots on a model of `size` columns and rows.
pub(crate) fn pivot_units(pivots: u64, size: usize) -> u64 {
    (pivots as f64 * size.max(1) as f64 / PIVOT_SIZE_PER_UNIT).ceil() as u64
}

/// HiGHS' MIP search spends more per simplex pivot than its LPs (cuts, strong branching,
/// heuristics on top of each node's LP): a pivot of a HiGHS MIP counts this many LP pivots.
const HIGHS_MIP_PIVOT_FACTOR: f64 = 2.3;

/// The fixed part of a HiGHS MIP's work (presolve, root cuts, heuristics), in units per
/// column and row of the model. With the factor above, fitted on the 63 MIPs of the month
/// at five sites against the time of its LPs (a MIP was charged 14 units per second where
/// an LP was charged 420 before; see `docs/planning.md`).
const HIGHS_MIP_UNITS_PER_SIZE: f64 = 1.3;

/// The work units of a HiGHS MIP solve of `pivots` simplex pivots (over its whole search)
/// on a model of `size` columns and rows.
pub(crate) fn highs_mip_units(pivots: u64, size: usize) -> u64 {
    let search = pivots as f64 * HIGHS_MIP_PIVOT_FACTOR * size.max(1) as f64;
    (search / PIVOT_SIZE_PER_UNIT + HIGHS_MIP_UNITS_PER_SIZE * size.max(1) as f64).ceil() as u64
}

/// An estimate of an LP's pivots, for a backend that does not report them: as many as the
/// model has rows and columns.
pub(crate) fn lp_pivots_estimate(size: usize) -> u64 {
    size as u64
}

/// An estimate of the pivots of a MIP of `nodes` nodes, for a backend that does not report
/// them.
pub(crate) fn mip_pivots_estimate(size: usize, nodes: u64) -> u64 {
    lp_pivots_estimate(size) + (nodes as f64 * PIVOTS_PER_NODE) as u64
}

/// The largest node count whose estimated work on a model of `size` columns and rows fits
/// in `units` (at least 1).
pub(crate) fn nodes_within(units: u64, size: usize) -> u64 {
    let per_node = PIVOTS_PER_NODE * size.max(1) as f64 / PIVOT_SIZE_PER_UNIT;
    ((units as f64 / per_node.max(1e-9)) as u64).max(1)
}

/// The work done by one solve, and whether the clock cut it.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    done: Cell<u64>,
    cut: Cell<bool>,
}

impl Meter {
    /// A meter at zero.
    pub fn new() -> Meter {
        Meter::default()
    }

    /// Work units done so far.
    pub fn done(&self) -> u64 {
        self.done.get()
    }

    /// Whether a check found the clock over (deadline passed or stop requested).
    pub fn cut(&self) -> bool {
        self.cut.get()
    }
}

/// `fraction` (clamped to [0, 1]; not a number counts as 0) of `left` work units, rounded
/// up: a positive fraction of work left is at least one unit.
pub(crate) fn work_part(left: u64, fraction: f64) -> u64 {
    let f = if fraction.is_finite() {
        fraction.clamp(0.0, 1.0)
    } else {
        0.0
    };
    ((left as f64 * f).ceil() as u64).min(left)
}

/// One phase's pace: the work it may still do (until the meter reads `until`) and the
/// clock it runs under.
#[derive(Debug, Clone)]
pub(crate) struct Pace<'a> {
    clock: Budget,
    meter: &'a Meter,
    until: u64,
}

impl<'a> Pace<'a> {
    /// `work` units from now on `meter`, under `clock`.
    pub fn new(clock: Budget, meter: &'a Meter, work: u64) -> Pace<'a> {
        Pace {
            clock,
            meter,
            until: meter.done().saturating_add(work),
        }
    }

    /// The clock the solves of this phase run under (the safety net).
    pub fn clock(&self) -> &Budget {
        &self.clock
    }

    /// Work units left to this phase.
    pub fn left(&self) -> u64 {
        self.until.saturating_sub(self.meter.done())
    }

    /// Charges `units` of work done.
    pub fn charge(&self, units: u64) {
        self.meter.done.set(self.meter.done().saturating_add(units));
    }

    /// Whether the clock is over; records the cut when it is.
    pub fn clock_over(&self) -> bool {
        let over = self.clock.is_over();
        if over {
            self.meter.cut.set(true);
        }
        over
    }

    /// Whether this phase is to stop: its work is done, or the clock is over (recorded).
    pub fn is_over(&self) -> bool {
        self.left() == 0 || self.clock_over()
    }

    /// A part of this phase: `fraction` (clamped to [0, 1]) of the work left, rounded up
    /// (a positive fraction of work left is at least one unit), same clock.
    pub fn share(&self, fraction: f64) -> Pace<'a> {
        let part = work_part(self.left(), fraction);
        Pace {
            clock: self.clock.clone(),
            meter: self.meter,
            until: self.meter.done().saturating_add(part),
        }
    }

    /// A part of this phase of at most `units` of its work left, same clock.
    pub fn at_most(&self, units: u64) -> Pace<'a> {
        Pace {
            clock: self.clock.clone(),
            meter: self.meter,
            until: self.meter.done().saturating_add(units.min(self.left())),
        }
    }

    /// This phase's work under another clock (e.g. a deadline kept back from the limit).
    pub fn with_clock(&self, clock: Budget) -> Pace<'a> {
        Pace {
            clock,
            meter: self.meter,
            until: self.until,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn far() -> Budget {
        Budget::new(Duration::from_secs(3600), None)
    }

    #[test]
    fn shares_split_the_work_left_and_charges_spend_it() {
        let meter = Meter::new();
        let pace = Pace::new(far(), &meter, 1000);
        assert_eq!(pace.left(), 1000);
        let half = pace.share(0.5);
        assert_eq!(half.left(), 500);
        half.charge(300);
        assert_eq!(half.left(), 200);
        assert_eq!(pace.left(), 700);
        half.charge(400);
        assert!(half.is_over());
        assert!(!pace.is_over());
        assert_eq!(pace.at_most(50).left(), 50);
        assert_eq!(pace.at_most(5000).left(), 300);
        assert_eq!(pace.share(f64::NAN).left(), 0);
        assert_eq!(pace.share(7.0).left(), 300);
        assert_eq!(pace.share(1e-9).left(), 1);
        assert!(!meter.cut());
    }

    #[test]
    fn a_spent_clock_is_recorded_as_a_cut() {
        let meter = Meter::new();
        let flag = crate::budget::stop_flag();
        let pace = Pace::new(
            Budget::new(Duration::from_secs(3600), Some(flag.clone())),
            &meter,
            10,
        );
        assert!(!pace.clock_over());
        assert!(!meter.cut());
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(pace.is_over());
        assert!(meter.cut());
    }

    #[test]
    fn default_work_follows_the_limit() {
        assert_eq!(work_for(10.0), 10_000);
        assert_eq!(work_for(f64::NAN), 1);
        assert_eq!(work_for(1e300), MAX_WORK);
        assert!(pivot_units(1000, 20_000) >= 1000);
        assert_eq!(pivot_units(0, 10), 0);
        assert!(nodes_within(1, 1_000_000) >= 1);
    }

    #[test]
    fn a_highs_mip_costs_more_than_its_pivots_as_an_lp() {
        // Even a MIP settled at its root (presolve, cuts) costs work.
        assert!(highs_mip_units(0, 1000) >= 1000);
        for (pivots, size) in [
            (0, 100),
            (10, 600),
            (100_000, 955),
            (u32::MAX as u64, 10_000),
        ] {
            assert!(highs_mip_units(pivots, size) > pivot_units(pivots, size));
            assert!(highs_mip_units(pivots + 1000, size) > highs_mip_units(pivots, size));
        }
    }
}
