//! Seasonal naive: the same local interval last week.
//!
//! On an open calendar "last week" is the most recent earlier week in which that local
//! slot was observed: if last Monday was a holiday without data, the Monday before is used
//! (the gap is skipped, never read as zero). For horizons beyond a week the forecast repeats
//! the last observed week. The benchmark every other method must beat.

use super::{slot_fallback, ForecastGrid, Method, Series};
use crate::error::Result;

/// Seasonal naive forecast (weekly season).
#[derive(Debug, Clone, Copy, Default)]
pub struct SeasonalNaive;

impl Method for SeasonalNaive {
    fn name(&self) -> &'static str {
        "seasonal_naive"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        Ok(target
            .horizon
            .starts()
            .zip(&target.day_slot)
            .map(|(t, d)| {
                history
                    .same_slot_history(t, 1, 520)
                    .first()
                    .and_then(|(_, i)| history.volume(*i))
                    .unwrap_or_else(|| slot_fallback(history, *d))
            })
            .collect())
    }
}
