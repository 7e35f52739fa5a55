//! Day total × intraday profile, the classical planning-team model.
//!
//! * A *complete day* is a local date with at least one observed interval and no missing
//!   one. Its total is the sum of its intervals.
//! * Weekday factor `f[w]`: mean total of weekday `w` over the complete days of the last
//!   `profile_weeks` weeks, divided by the mean of those weekday means.
//! * Level: mean of `total / f[weekday]` over the last `level_days` complete days (what a
//!   typical day is worth now).
//! * Profile: share of the day's total falling in each local week slot, pooled over the
//!   complete days of the same weekday in the last `profile_weeks` weeks.
//! * Forecast for an interval: `level · f[weekday] · share[slot]`.
//!
//! Separating the recent level from long-run shapes lets the forecast follow a shift in
//! demand within days while the intraday shape averages away the noise of single weeks.

use super::{slot_fallback, ForecastGrid, Method, Series, Status};
use crate::error::Result;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Day-total × intraday-profile forecast.
#[derive(Debug, Clone, Copy)]
pub struct DayProfile {
    /// Weeks pooled for weekday factors and intraday shares.
    pub profile_weeks: i64,
    /// Recent complete days averaged for the level.
    pub level_days: usize,
}

impl Default for DayProfile {
    fn default() -> Self {
        DayProfile {
            profile_weeks: 8,
            level_days: 5,
        }
    }
}

impl Method for DayProfile {
    fn name(&self) -> &'static str {
        "day_profile"
    }

    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
        // Local date → (total, complete, indices)
        let tz = history.tz();
        let mut days: BTreeMap<NaiveDate, (f64, bool, bool, Vec<usize>)> = BTreeMap::new();
        for (i, t) in history.horizon().starts().enumerate() {
            let date = t.with_timezone(&tz).date_naive();
            let e = days.entry(date).or_insert((0.0, true, false, Vec::new()));
            match history.status(i) {
                Status::Open => {
                    e.0 += history.volume(i).unwrap_or(0.0);
                    e.2 = true;
                    e.3.push(i);
                }
                Status::Missing => e.1 = false,
                Status::Closed => {}
            }
        }
        let complete: Vec<(NaiveDate, f64, &Vec<usize>)> = days
            .iter()
            .filter(|(_, (_, ok, any, _))| *ok && *any)
            .map(|(d, (tot, _, _, idx))| (*d, *tot, idx))
            .collect();
        let Some(last) = complete.last().map(|c| c.0) else {
            // No complete day: fall back to time-of-day means.
            return Ok(target
                .day_slot
                .iter()
                .map(|d| slot_fallback(history, *d))
                .collect());
        };
        let cutoff = last - chrono::Duration::days(7 * self.profile_weeks.max(1));
        let recent: Vec<&(NaiveDate, f64, &Vec<usize>)> =
            complete.iter().filter(|c| c.0 > cutoff).collect();
        let mut wd_sum = [0.0f64; 7];
        let mut wd_n = [0usize; 7];
        let mut slot_sum = vec![0.0f64; history.week_slots()];
        for (d, tot, idx) in &recent {
            let w = d.weekday().num_days_from_monday() as usize;
            if let (Some(s), Some(n)) = (wd_sum.get_mut(w), wd_n.get_mut(w)) {
                *s += tot;
                *n += 1;
            }
            for i in idx.iter() {
                if let Some(s) = slot_sum.get_mut(history.week_slot(*i)) {
                    *s += history.volume(*i).unwrap_or(0.0);
                }
            }
        }
        let means: Vec<Option<f64>> = wd_sum
            .iter()
            .zip(&wd_n)
            .map(|(s, n)| (*n > 0).then(|| s / *n as f64))
            .collect();
        let present: Vec<f64> = means.iter().flatten().copied().collect();
        let grand = present.iter().sum::<f64>() / present.len().max(1) as f64;
        let factor: Vec<Option<f64>> = means
            .iter()
            .map(|m| m.filter(|_| grand > 0.0).map(|m| m / grand))
            .collect();
        let mut lv = Vec::new();
        for (d, tot, _) in complete.iter().rev() {
            if lv.len() >= self.level_days.max(1) {
                break;
            }
            let w = d.weekday().num_days_from_monday() as usize;
            if let Some(Some(f)) = factor.get(w) {
                if *f > 0.0 {
                    lv.push(tot / f);
                }
            }
        }
        let level = if lv.is_empty() {
            grand
        } else {
            lv.iter().sum::<f64>() / lv.len() as f64
        };
        let per_day = history.day_slots();
        Ok(target
            .week_slot
            .iter()
            .zip(&target.day_slot)
            .map(|(k, a)| {
                let w = k / per_day.max(1);
                match (factor.get(w).copied().flatten(), wd_sum.get(w)) {
                    (Some(f), Some(tot)) if *tot > 0.0 => {
                        let share = slot_sum.get(*k).copied().unwrap_or(0.0) / tot;
                        level * f * share
                    }
                    _ => slot_fallback(history, *a),
                }
            })
            .collect())
    }
}
