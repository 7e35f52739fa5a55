//! Plain mean of the same local interval over the last `k` observed weeks.
//!
//! The simplest average a planning team keeps in a spreadsheet, listed as a yardstick:
//! every method worth its complexity should beat it. It is `weekly_average` with equal
//! weights (one implementation: [`super::weekly_average`]). Weeks without an observation
//! of the slot are skipped (the next older week takes their place).

use super::weekly_average::{same_slot_average, Weights};
use super::{ForecastGrid, Method, Series};
use crate::error::Result;

/// Unweighted mean of the last `weeks` observed weeks.
#[derive(Debug, Clone, Copy)]
pub struct WeekdayMean {
    /// Number of weeks averaged (at least 1).
    pub weeks: usize,
}

impl Default for WeekdayMean {
    fn default() -> Self {
        WeekdayMean { weeks: 6 }
    }
}

impl Method for WeekdayMean {
    fn name(&self) -> &'static str {
        "weekday_mean"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        Ok(same_slot_average(
            history,
            target,
            self.weeks,
            Weights::Equal,
        ))
    }
}
