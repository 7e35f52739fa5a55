//! The named scheduler's meter and pace: counts of what it computed (the pricing DP's
//! labels and transitions, the option costs of each re-plan, the master LP's simplex pivots
//! weighed by its size, the coverage entries summed, the anonymous plan's own work
//! units), the same on every run and
//! with any number of threads, turned into work units (about a millisecond of one thread
//! of a release build, as in the planner and the roster solver). Every phase that used to
//! take a share of the time left takes a share of the work left instead, and every search
//! loop reads the work done, never the clock; the deadline (time limit, stop flag) is a
//! safety net whose first hit records that the run was cut (status `time_limit`).
//!
//! Determinism: a count is read only between steps of the single search thread (after a
//! re-plan, after a whole parallel pricing round has joined), where it is a function of
//! the scenario alone. Inside a parallel pricing round only the clock is read.

use crate::budget::Budget;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Per work unit (about a millisecond of one thread of a release build): labels the
/// pricing DP created, transitions it tried, option costs of a re-plan (built and keyed,
/// also when the answer comes from memory), coverage entries summed, simplex pivots of
/// the master's dual LP (kept, each schedule a constraint more) times its constraints and
/// variables, and the same of an LP solved from scratch (the restricted master's
/// weights). Fitted to the CPU time of the phases (the timeline's `cpu`, release build,
/// load 6–7): the month's plan start, descent and repair (11.5 s of CPU, 339 M
/// transitions and 64 M labels; the DP is most of it), `named_agents.json`'s column
/// generation (1.56 s, 702 M pivots times size) and its search after the master (0.35 s,
/// small DPs of about 230 labels). Within about 20 % of the CPU time of each phase.
const LABELS_PER_UNIT: u64 = 100_000;
const PUSHES_PER_UNIT: u64 = 35_000;
const CELLS_PER_UNIT: u64 = 50_000;
const SCANNED_PER_UNIT: u64 = 1_000_000;
const LP_SIZE_PER_UNIT: u64 = 470_000;
const SCRATCH_SIZE_PER_UNIT: u64 = 2_000_000;

/// Counts of what the scheduler computed, and whether the clock cut the run.
#[derive(Debug, Default)]
pub(crate) struct Meter {
    labels: AtomicU64,
    pushes: AtomicU64,
    cells: AtomicU64,
    lp: AtomicU64,
    /// Simplex pivots of LPs solved from scratch times their constraints and variables.
    scratch: AtomicU64,
    /// Entries of a roster's coverage summed (each cover or pack entry of a schedule).
    scanned: AtomicU64,
    /// Work units of the anonymous plans made for the first roster.
    plan: AtomicU64,
    cut: AtomicBool,
}

impl Clone for Meter {
    fn clone(&self) -> Meter {
        let m = Meter::default();
        for (to, from) in [
            (&m.labels, &self.labels),
            (&m.pushes, &self.pushes),
            (&m.cells, &self.cells),
            (&m.lp, &self.lp),
            (&m.scratch, &self.scratch),
            (&m.scanned, &self.scanned),
            (&m.plan, &self.plan),
        ] {
            to.store(from.load(Ordering::Relaxed), Ordering::Relaxed);
        }
        m.cut.store(self.cut(), Ordering::Relaxed);
        m
    }
}

impl Meter {
    /// One run of the pricing DP: `labels` created and `pushes` transitions tried.
    pub fn dp(&self, labels: u64, pushes: u64) {
        self.labels.fetch_add(labels, Ordering::Relaxed);
        self.pushes.fetch_add(pushes, Ordering::Relaxed);
    }

    /// One re-plan's option costs (`cells` of them), run or answered from memory.
    pub fn cells(&self, cells: u64) {
        self.cells.fetch_add(cells, Ordering::Relaxed);
    }

    /// `pivots` simplex pivots of the kept dual LP, of `rows` constraints and `vars`
    /// variables.
    pub fn lp(&self, pivots: u64, rows: usize, vars: usize) {
        self.lp
            .fetch_add(size(pivots, rows, vars), Ordering::Relaxed);
    }

    /// `pivots` simplex pivots of an LP solved from scratch, of `rows` constraints and
    /// `vars` variables.
    pub fn scratch(&self, pivots: u64, rows: usize, vars: usize) {
        self.scratch
            .fetch_add(size(pivots, rows, vars), Ordering::Relaxed);
    }

    /// A roster's coverage summed over `entries` entries.
    pub fn scan(&self, entries: u64) {
        self.scanned.fetch_add(entries, Ordering::Relaxed);
    }

    /// The anonymous plan's `units`.
    pub fn plan(&self, units: u64) {
        self.plan.fetch_add(units, Ordering::Relaxed);
    }

    /// Records that the clock (or the stop flag) cut the run.
    pub fn set_cut(&self) {
        self.cut.store(true, Ordering::Relaxed);
    }

    /// Whether a check found the clock over.
    pub fn cut(&self) -> bool {
        self.cut.load(Ordering::Relaxed)
    }

    /// The raw counts (labels, transitions, option costs, pivots times size of the kept
    /// and of the scratch LPs, coverage entries summed, plan units), for the timeline.
    pub fn counts(&self) -> [u64; 7] {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        [
            g(&self.labels),
            g(&self.pushes),
            g(&self.cells),
            g(&self.lp),
            g(&self.scratch),
            g(&self.scanned),
            g(&self.plan),
        ]
    }

    /// Work units done so far.
    pub fn units(&self) -> u64 {
        let g = |c: &AtomicU64| c.load(Ordering::Relaxed);
        g(&self.labels) / LABELS_PER_UNIT
            + g(&self.pushes) / PUSHES_PER_UNIT
            + g(&self.cells) / CELLS_PER_UNIT
            + g(&self.lp) / LP_SIZE_PER_UNIT
            + g(&self.scratch) / SCRATCH_SIZE_PER_UNIT
            + g(&self.scanned) / SCANNED_PER_UNIT
            + g(&self.plan)
    }
}

/// Pivots times constraints times variables.
fn size(pivots: u64, rows: usize, vars: usize) -> u64 {
    pivots.saturating_mul((rows.max(1) as u64).saturating_mul(vars.max(1) as u64))
}

/// One phase's pace: the work it may still do (until the meter reads `until`) under the
/// run's clock.
#[derive(Clone)]
pub(crate) struct Pace<'a> {
    clock: &'a Budget,
    meter: &'a Meter,
    until: u64,
}

impl<'a> Pace<'a> {
    /// `work` units from now on `meter`, under `clock`.
    pub fn new(clock: &'a Budget, meter: &'a Meter, work: u64) -> Pace<'a> {
        Pace {
            clock,
            meter,
            until: meter.units().saturating_add(work),
        }
    }

    /// Work units left to this phase.
    pub fn left(&self) -> u64 {
        self.until.saturating_sub(self.meter.units())
    }

    /// Whether the clock is over; records the cut when it is.
    pub fn clock_over(&self) -> bool {
        let over = self.clock.is_over();
        if over {
            self.meter.set_cut();
        }
        over
    }

    /// Whether this phase is to stop: the clock is over (recorded, also when the work is
    /// done too: a run the clock reached says so), or its work is done.
    pub fn is_over(&self) -> bool {
        self.clock_over() || self.left() == 0
    }

    /// A part of this phase: `fraction` (clamped to [0, 1]) of the work left, rounded up.
    pub fn share(&self, fraction: f64) -> Pace<'a> {
        let part = crate::plan::work_part(self.left(), fraction);
        Pace {
            clock: self.clock,
            meter: self.meter,
            until: self.meter.units().saturating_add(part),
        }
    }

    /// The run's clock.
    pub fn clock(&self) -> &Budget {
        self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn shares_split_the_work_left_and_the_clock_is_recorded_as_a_cut() {
        let meter = Meter::default();
        let clock = Budget::new(Duration::from_secs(3600), None);
        let pace = Pace::new(&clock, &meter, 100);
        let half = pace.share(0.5);
        assert_eq!(half.left(), 50);
        meter.dp(30 * LABELS_PER_UNIT, 0);
        assert_eq!(half.left(), 20);
        assert_eq!(pace.left(), 70);
        meter.cells(20 * CELLS_PER_UNIT);
        assert!(half.is_over());
        assert!(!pace.is_over());
        assert!(!meter.cut());
        assert_eq!(pace.share(f64::NAN).left(), 0);
        let flag = crate::budget::stop_flag();
        let stopped = Budget::new(Duration::from_secs(3600), Some(flag.clone()));
        let p = Pace::new(&stopped, &meter, 1000);
        assert!(!p.is_over());
        flag.store(true, Ordering::Relaxed);
        assert!(p.is_over());
        assert!(meter.cut());
    }
}
