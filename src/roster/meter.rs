//! The column phase's meter: counts of what it computed (pricing labels, simplex pivots
//! weighed by the size of their LP, nonzeros built; with HiGHS the iterations HiGHS
//! reports), the same on every run and with any number of threads, turned into work units
//! by costs fitted to measured CPU time. The column phase is paced and charged by it, so
//! that, as for the rest of the search, a work unit is about a millisecond of one thread.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counts of what the column phase computed: the same on every run (they depend on the
/// problem, the pool and the duals only, never on the clock or the threads), so the phase
/// can be paced by them.
#[derive(Default)]
pub(crate) struct Meter {
    /// Labels the pricing DP created.
    pub labels: AtomicU64,
    /// Simplex pivots of the master LPs solved from scratch, each times the rows of its LP.
    pub pivot_rows: AtomicU64,
    /// Simplex pivots of microlp's kept dual LP as schedules join it, each times its rows
    /// and its variables.
    pub grown: AtomicU64,
    /// Nonzeros of the master LPs built from scratch.
    pub built: AtomicU64,
    /// Simplex pivots of the restricted master MIPs, each times the columns of its MIP.
    pub mip_pivot_cols: AtomicU64,
    /// HiGHS: simplex iterations of the master LP (one model that columns join and that
    /// re-solves from its last basis), each times the master's columns.
    pub highs_pivot_cols: AtomicU64,
    /// HiGHS: nonzeros of the columns that join a master LP.
    pub highs_built: AtomicU64,
    /// HiGHS: columns of a master LP whose bounds a dive changes (one call each).
    pub highs_bounds: AtomicU64,
    /// HiGHS: simplex iterations of a MIP's search (the restricted master MIP, the pricing
    /// MIP), each times the MIP's columns.
    pub highs_mip_pivot_cols: AtomicU64,
}

/// Per work unit (about a millisecond of one thread of a release build, as in the rest of
/// the search): labels of the pricing DP, pivots times rows of the master LPs solved from
/// scratch (microlp's dual LP in a dive, the weights LP), pivots times rows times
/// variables of the kept dual LP as schedules join it, nonzeros of a master LP built from
/// scratch, and pivots times columns of a restricted master MIP. Fitted to the CPU time of
/// the column phase's steps on Curtois Instances 8, 9 and 12 (`microlp`, release build):
/// pricing about 0.4 microseconds a label, the dual LPs in dives 0.08 per pivot and row
/// and 1.9 per nonzero built, the kept dual LP 0.001 per pivot, row and variable, the
/// restricted master MIP 0.06 per pivot and column.
///
/// With HiGHS: iterations of its master LP times the master's columns (its primal simplex
/// prices every column: 0.04 microseconds each), nonzeros of the columns joining it
/// (0.07 microseconds each), columns whose bounds a dive changes (0.9 microseconds each),
/// and iterations of a HiGHS MIP (the restricted master MIP, the pricing MIP) times its
/// columns (0.10-0.18 microseconds each, 0.13 over all): fitted to the thread CPU time of
/// each solve on Curtois Instance 8 (release build, 987 master solves, 3 restricted master
/// MIPs and a full MIP, on a machine at load 6-8).
const LABELS_PER_UNIT: u64 = 2_500;
const PIVOT_ROWS_PER_UNIT: u64 = 12_800;
const GROWN_PER_UNIT: u64 = 1_000_000;
const BUILT_PER_UNIT: u64 = 520;
const MIP_PIVOT_COLS_PER_UNIT: u64 = 16_000;
const HIGHS_PIVOT_COLS_PER_UNIT: u64 = 25_000;
const HIGHS_BUILT_PER_UNIT: u64 = 15_000;
const HIGHS_BOUNDS_PER_UNIT: u64 = 1_150;
const HIGHS_MIP_PIVOT_COLS_PER_UNIT: u64 = 7_500;
/// HiGHS: simplex iterations of an LP solved from scratch (the roster's LP relaxation),
/// each times its columns: 0.08 microseconds each, fitted to the relaxation of Curtois
/// Instance 20 (48 522 iterations over 38 642 columns in 150 s, release build, load 2).
const HIGHS_LP_PIVOT_COLS_PER_UNIT: u64 = 12_500;

/// The labels of the pricing DP that `units` work units pay for.
pub(crate) fn labels_of_units(units: u64) -> u64 {
    units.saturating_mul(LABELS_PER_UNIT)
}

impl Meter {
    /// The work units counted so far (the same on every run, with any number of threads).
    pub fn units(&self) -> u64 {
        let g = Self::get;
        g(&self.labels) / LABELS_PER_UNIT
            + g(&self.pivot_rows) / PIVOT_ROWS_PER_UNIT
            + g(&self.grown) / GROWN_PER_UNIT
            + g(&self.built) / BUILT_PER_UNIT
            + g(&self.mip_pivot_cols) / MIP_PIVOT_COLS_PER_UNIT
            + g(&self.highs_pivot_cols) / HIGHS_PIVOT_COLS_PER_UNIT
            + g(&self.highs_built) / HIGHS_BUILT_PER_UNIT
            + g(&self.highs_bounds) / HIGHS_BOUNDS_PER_UNIT
            + g(&self.highs_mip_pivot_cols) / HIGHS_MIP_PIVOT_COLS_PER_UNIT
    }

    /// Simplex iterations a HiGHS MIP over `cols` columns may do for `units` work units
    /// (what [`Meter::highs_mip_pivot_cols`] charges it), at least 1.
    pub fn highs_mip_iterations(units: u64, cols: u64) -> u64 {
        (units.saturating_mul(HIGHS_MIP_PIVOT_COLS_PER_UNIT) / cols.max(1)).max(1)
    }

    /// Simplex iterations a HiGHS LP over `cols` columns, solved from scratch, may do for
    /// `units` work units, at least 1.
    pub fn highs_lp_iterations(units: u64, cols: u64) -> u64 {
        (units.saturating_mul(HIGHS_LP_PIVOT_COLS_PER_UNIT) / cols.max(1)).max(1)
    }

    /// Simplex iterations a `microlp` MIP over `cols` columns may do for `units` work
    /// units (what [`Meter::mip_pivot_cols`] charges it), at least 1.
    pub fn microlp_mip_iterations(units: u64, cols: u64) -> u64 {
        (units.saturating_mul(MIP_PIVOT_COLS_PER_UNIT) / cols.max(1)).max(1)
    }

    /// Adds `n` to counter `c`.
    pub fn add(c: &AtomicU64, n: u64) {
        c.fetch_add(n, Ordering::Relaxed);
    }

    /// The value of counter `c`.
    pub fn get(c: &AtomicU64) -> u64 {
        c.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use crate::budget::Budget;
    use crate::roster::colgen::{generate, Pool};
    use crate::roster::data::Data;
    use crate::solver::Backend;
    use std::time::Duration;

    /// The units counted by column generation on Instance 3 with `threads` threads.
    fn units(threads: usize, rounds: usize) -> u64 {
        counted(threads, rounds, Backend::Microlp).units()
    }

    /// The meter of column generation on Instance 3 with `threads` threads and backend
    /// `bk`.
    fn counted(threads: usize, rounds: usize, bk: Backend) -> crate::roster::meter::Meter {
        let dt = Data::new(&crate::roster::curtois::bundled("Instance3.txt"));
        let budget = Budget::new(Duration::from_secs(600), None);
        let mut pool = Pool::seeded(&dt, &budget, threads).unwrap();
        generate(
            &dt,
            &mut pool,
            &budget,
            rounds,
            u64::MAX,
            i64::MAX,
            threads,
            bk,
        )
        .unwrap();
        pool.meter
    }

    #[test]
    fn the_count_is_the_same_with_any_number_of_threads_and_grows_with_the_work() {
        let one = units(1, 3);
        assert!(one > 0);
        assert_eq!(one, units(2, 3));
        assert!(units(1, 12) > one);
    }

    #[cfg(feature = "highs")]
    #[test]
    fn highs_work_is_counted_the_same_with_any_number_of_threads() {
        use crate::roster::meter::Meter;
        let one = counted(1, 3, Backend::Highs);
        // The master LP's iterations and the columns that joined it are counted.
        assert!(Meter::get(&one.highs_pivot_cols) > 0);
        assert!(Meter::get(&one.highs_built) > 0);
        let two = counted(2, 3, Backend::Highs);
        for (a, b) in [
            (&one.highs_pivot_cols, &two.highs_pivot_cols),
            (&one.highs_built, &two.highs_built),
            (&one.labels, &two.labels),
        ] {
            assert_eq!(Meter::get(a), Meter::get(b));
        }
        assert!(
            Meter::get(&counted(1, 12, Backend::Highs).highs_pivot_cols)
                >= Meter::get(&one.highs_pivot_cols)
        );
    }
}
