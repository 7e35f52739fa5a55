//! Weighted average of the same local interval over the last `k` observed weeks.
//!
//! Weights fall linearly with age (`k, k-1, ..., 1`, newest first), the habit of many
//! planning teams: recent weeks count more, older ones damp the noise of a single week.
//! Weeks without an observation of the slot are skipped (the next older week takes their
//! place), so a holiday never enters the average as zero.

use super::{slot_fallback, ForecastGrid, Method, Series};
use crate::error::Result;

/// Weighted average of the last `weeks` observed weeks.
#[derive(Debug, Clone, Copy)]
pub struct WeeklyAverage {
    /// Number of weeks averaged (at least 1).
    pub weeks: usize,
}

impl Default for WeeklyAverage {
    fn default() -> Self {
        WeeklyAverage { weeks: 4 }
    }
}

impl Method for WeeklyAverage {
    fn name(&self) -> &'static str {
        "weekly_average"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        let k = self.weeks.max(1);
        Ok(target
            .horizon
            .starts()
            .zip(&target.day_slot)
            .map(|(t, d)| {
                let past = history.same_slot_history(t, k, 520);
                let (mut num, mut den) = (0.0, 0.0);
                for (rank, (_, i)) in past.iter().enumerate() {
                    if let Some(v) = history.volume(*i) {
                        let w = (k - rank) as f64;
                        num += w * v;
                        den += w;
                    }
                }
                if den > 0.0 {
                    num / den
                } else {
                    slot_fallback(history, *d)
                }
            })
            .collect())
    }
}
