//! Plain mean of the same local interval over the last `k` observed weeks.
//!
//! The simplest average a planning team keeps in a spreadsheet, listed as a yardstick:
//! every method worth its complexity should beat it. Weeks without an observation of the
//! slot are skipped (the next older week takes their place).

use super::{slot_fallback, ForecastGrid, Method, Series};
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
        let k = self.weeks.max(1);
        Ok(target
            .horizon
            .starts()
            .zip(&target.day_slot)
            .map(|(t, d)| {
                let vals: Vec<f64> = history
                    .same_slot_history(t, k, 520)
                    .iter()
                    .filter_map(|(_, i)| history.volume(*i))
                    .collect();
                if vals.is_empty() {
                    slot_fallback(history, *d)
                } else {
                    vals.iter().sum::<f64>() / vals.len() as f64
                }
            })
            .collect())
    }
}
