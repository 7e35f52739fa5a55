//! Averages of the same local interval over the last `k` observed weeks.
//!
//! One implementation, two methods:
//!
//! * `weekly_average`: weights fall linearly with age (`k, k-1, ..., 1`, newest first),
//!   the habit of many planning teams: recent weeks count more, older ones damp the noise
//!   of a single week;
//! * `weekday_mean` ([`super::weekday_mean`]): every week weighs the same, the plain mean
//!   a planning team keeps in a spreadsheet.
//!
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
        Ok(same_slot_average(
            history,
            target,
            self.weeks,
            Weights::Linear,
        ))
    }
}

/// How the weeks of a same-slot average are weighed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weights {
    /// `k, k-1, ..., 1`, newest first.
    Linear,
    /// Every week the same.
    Equal,
}

/// Average of the same local slot over the last `weeks` (at least 1) observed weeks, one
/// value per interval of `target`; a slot never observed gets [`slot_fallback`].
pub(crate) fn same_slot_average(
    history: &Series,
    target: &ForecastGrid,
    weeks: usize,
    weights: Weights,
) -> Vec<f64> {
    let k = weeks.max(1);
    target
        .horizon
        .starts()
        .zip(&target.day_slot)
        .map(|(t, d)| {
            let (mut num, mut den) = (0.0, 0.0);
            for (rank, (_, i)) in history.same_slot_history(t, k, 520).iter().enumerate() {
                if let Some(v) = history.volume(*i) {
                    let w = match weights {
                        Weights::Linear => (k - rank) as f64,
                        Weights::Equal => 1.0,
                    };
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
        .collect()
}
