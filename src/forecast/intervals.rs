//! Prediction intervals for any method, from its own errors in an inner backtest.
//!
//! The method forecasts each of the last `inner_weeks` weeks of the history from the data
//! before that week (the same rolling origins a backtest uses). Every observed interval
//! gives a scaled error `z = (y − ŷ) / √max(ŷ, 1)`: count data has a variance that grows
//! with its mean, so dividing by the square root makes quiet and busy intervals
//! comparable. The quantile `q` of the forecast is `max(0, ŷ + z_q · √max(ŷ, 1))`, with
//! `z_q` the empirical `q`-quantile of those errors (linear interpolation). The errors are
//! week-ahead errors, so the band is as wide as the lead time a weekly plan needs.
//!
//! Scores: the pinball (quantile) loss of each level, and the coverage of the central
//! interval `[q10, q90]` (the share of actuals inside it; 80 % is the aim).
//!
//! Errors of one day move together, so a few weeks of errors hold few independent draws;
//! the levels are widened by the split-conformal rule with the inner *days* as units
//! (`conformal_level`). Without it (six inner weeks), the 80 % band covered 72 – 77 % of the
//! bank data's actuals; with it and eight inner weeks, 76 – 81 % (docs/forecasting.md).
//!
//! **Width per lead day.** A forecast is surer for tomorrow than for next week, and some
//! weekdays are steadier than others, so one band for the whole week is too wide on some
//! days and too narrow on others. Each error is tagged with its lead day `d` (0 = the
//! first local day after the origin, up to 6; longer leads use day 6), and the spread of
//! the errors at each lead, `s_d` (mean absolute scaled error), is compared with the
//! spread of all of them: `r_d = s_d / s`, shrunk toward 1 by one day's worth of errors
//! (`r_d = (n_d·s_d/s + m) / (n_d + m)`, `m` the intervals of one day). The quantiles
//! are read from the errors divided by their `r_d` (pooled, with the conformal levels
//! above) and multiplied back by the `r_d` of each forecast interval's lead day: a
//! locally weighted split-conformal band. The inner origins fall on the same weekday as
//! the forecast's origin, so lead `d` of the inner weeks is the same weekday as lead `d`
//! of the forecast, and a one-day-ahead forecast gets the width of one-day-ahead errors.

use super::{predict_clean, ForecastGrid, Method, Series, Status};
use crate::error::Result;

/// Quantile levels every forecast carries.
pub const LEVELS: [f64; 4] = [0.1, 0.5, 0.8, 0.9];

/// Weeks of inner backtest behind the intervals.
pub const INNER_WEEKS: usize = 8;

/// Scaled-error quantiles of one method on one history.
#[derive(Debug, Clone, PartialEq)]
pub struct IntervalModel {
    /// Quantile levels, increasing.
    pub levels: Vec<f64>,
    /// Scaled error at each level.
    pub z: Vec<f64>,
    /// Number of errors behind the quantiles.
    pub n: usize,
    /// Width factor `r_d` per lead day (0 = the first day after the origin; seven
    /// entries; leads beyond the last use the last).
    pub lead_scale: Vec<f64>,
    /// Intervals per local day of the grid (turns an interval's position into a lead day).
    pub day_slots: usize,
}

/// Lead days with their own width factor.
pub const LEAD_DAYS: usize = 7;

/// Scale of the error of forecast `f`.
fn scale(f: f64) -> f64 {
    f.max(1.0).sqrt()
}

/// Empirical quantile of sorted `v` at level `p` (linear interpolation).
fn quantile(v: &[f64], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let x = p.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let i = x.floor() as usize;
    let j = (i + 1).min(v.len() - 1);
    let fr = x - i as f64;
    v[i] * (1.0 - fr) + v[j] * fr
}

/// Level `p` widened for a calibration set of `n` exchangeable units (split conformal:
/// the `⌈(n + 1)p⌉`-th of `n`, mirrored below the median). The errors of one day move
/// together (a busy day is busy all day), so the units are the inner days, not the
/// intervals: with 30 days the 10 – 90 % band is read at 6.7 – 93.3 %.
fn conformal_level(p: f64, n: usize) -> f64 {
    if n == 0 || (p - 0.5).abs() < 1e-12 {
        return p;
    }
    let nf = n as f64;
    let up = |q: f64| (((nf + 1.0) * q).ceil() / nf).min(1.0);
    if p > 0.5 {
        up(p)
    } else {
        1.0 - up(1.0 - p)
    }
}

impl IntervalModel {
    /// Fits the model of `method` on `history` with `inner_weeks` week-long inner folds
    /// (fewer when the history is short: each fold keeps at least three weeks of training
    /// data). `None` when no inner fold has an observed interval.
    ///
    /// # Errors
    ///
    /// The errors of forecasting each inner fold, as for [`crate::forecast::forecast`]:
    /// [`Error::Invalid`](crate::Error::Invalid) naming `history` when a fold's training data is
    /// too short for the method, or the method's name when it returns a wrong count or a non-finite
    /// value.
    pub fn fit(history: &Series, method: &dyn Method, inner_weeks: usize) -> Result<Option<Self>> {
        Self::fit_with(history, inner_weeks, |origin| {
            let train = history.truncate(origin)?;
            let target = ForecastGrid::after(&train, 7 * history.day_slots())?;
            predict_clean(&train, method, &target)
        })
    }

    /// As [`IntervalModel::fit`], with `predict_week(origin)` giving the method's forecast
    /// of the week after interval `origin` from the data before it (a backtest passes a
    /// cache: its folds share these forecasts).
    ///
    /// # Errors
    ///
    /// Only the errors `predict_week` returns.
    pub fn fit_with(
        history: &Series,
        inner_weeks: usize,
        mut predict_week: impl FnMut(usize) -> Result<Vec<f64>>,
    ) -> Result<Option<Self>> {
        let ds = history.day_slots().max(1);
        let week = 7 * ds;
        let min_train = 21 * ds;
        // (scaled error, lead day)
        let mut z: Vec<(f64, usize)> = Vec::new();
        let mut days = 0usize;
        for j in (1..=inner_weeks).rev() {
            let Some(origin) = history.len().checked_sub(j * week) else {
                continue;
            };
            if origin < min_train || (0..origin).all(|i| history.volume(i).is_none()) {
                continue;
            }
            let pred = predict_week(origin)?;
            let mut day_seen = [false; 8];
            for (k, f) in pred.iter().enumerate() {
                if history.status(origin + k) != Status::Open {
                    continue;
                }
                if let Some(y) = history.volume(origin + k) {
                    let lead = (k / ds).min(LEAD_DAYS - 1);
                    z.push(((y - f) / scale(*f), lead));
                    if let Some(d) = day_seen.get_mut(k / ds) {
                        *d = true;
                    }
                }
            }
            days += day_seen.iter().filter(|d| **d).count();
        }
        if z.is_empty() {
            return Ok(None);
        }
        let lead_scale = lead_factors(&z, ds);
        let mut u: Vec<f64> = z.iter().map(|(e, d)| e / lead_scale[*d]).collect();
        u.sort_by(f64::total_cmp);
        Ok(Some(IntervalModel {
            levels: LEVELS.to_vec(),
            z: LEVELS
                .iter()
                .map(|p| quantile(&u, conformal_level(*p, days)))
                .collect(),
            n: z.len(),
            lead_scale,
            day_slots: ds,
        }))
    }

    /// Quantiles of a point forecast whose first interval is the first after the origin:
    /// one vector per level, same length as `point` (zero stays zero: a closed interval
    /// has no band).
    pub fn apply(&self, point: &[f64]) -> Vec<Vec<f64>> {
        let ds = self.day_slots.max(1);
        self.z
            .iter()
            .map(|z| {
                point
                    .iter()
                    .enumerate()
                    .map(|(k, f)| {
                        let r = self
                            .lead_scale
                            .get((k / ds).min(LEAD_DAYS - 1))
                            .copied()
                            .unwrap_or(1.0);
                        if *f <= 0.0 {
                            0.0
                        } else {
                            (f + z * r * scale(*f)).max(0.0)
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// Width factor per lead day from scaled errors tagged with their lead day, shrunk toward
/// 1 by `prior` errors (one day's intervals). Always `LEAD_DAYS` finite positive entries.
fn lead_factors(z: &[(f64, usize)], prior: usize) -> Vec<f64> {
    let all = z.iter().map(|(e, _)| e.abs()).sum::<f64>() / z.len().max(1) as f64;
    let mut sum = [0.0f64; LEAD_DAYS];
    let mut n = [0usize; LEAD_DAYS];
    for (e, d) in z {
        if let (Some(s), Some(c)) = (sum.get_mut(*d), n.get_mut(*d)) {
            *s += e.abs();
            *c += 1;
        }
    }
    let m = prior.max(1) as f64;
    (0..LEAD_DAYS)
        .map(|d| {
            if all <= 0.0 || n[d] == 0 {
                return 1.0;
            }
            let r = sum[d] / n[d] as f64 / all;
            let nd = n[d] as f64;
            let v = (nd * r + m) / (nd + m);
            if v.is_finite() && v > 0.0 {
                v
            } else {
                1.0
            }
        })
        .collect()
}

/// Pinball loss of quantile forecast `q` at level `p` for actual `y`.
pub fn pinball(y: f64, q: f64, p: f64) -> f64 {
    if y >= q {
        p * (y - q)
    } else {
        (1.0 - p) * (q - y)
    }
}

/// Interval scores of one forecast over its scored intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalScore {
    /// Mean pinball loss over the levels and intervals, as a percentage of the mean actual.
    pub pinball: f64,
    /// Share of actuals inside `[q10, q90]`, percent.
    pub coverage80: f64,
    /// Number of scored intervals.
    pub n: usize,
}

impl IntervalScore {
    /// Scores quantile forecasts `quantiles[level][k]` (levels as `levels`) against
    /// `actual[k]`. `None` when nothing is scored or the levels lack 0.1 or 0.9.
    pub fn compute(actual: &[f64], levels: &[f64], quantiles: &[Vec<f64>]) -> Option<Self> {
        let n = actual.len();
        let tot: f64 = actual.iter().sum();
        if n == 0 || tot <= 0.0 || levels.len() != quantiles.len() {
            return None;
        }
        let pos = |p: f64| levels.iter().position(|l| (l - p).abs() < 1e-9);
        let (lo, hi) = (pos(0.1)?, pos(0.9)?);
        let mut loss = 0.0;
        for (p, q) in levels.iter().zip(quantiles) {
            for (y, x) in actual.iter().zip(q) {
                loss += pinball(*y, *x, *p);
            }
        }
        let inside = actual
            .iter()
            .enumerate()
            .filter(|(k, y)| {
                let l = quantiles[lo].get(*k).copied().unwrap_or(f64::NAN);
                let h = quantiles[hi].get(*k).copied().unwrap_or(f64::NAN);
                l <= **y && **y <= h
            })
            .count();
        Some(IntervalScore {
            pinball: 100.0 * loss / (levels.len() as f64 * tot),
            coverage80: 100.0 * inside as f64 / n as f64,
            n,
        })
    }

    /// Mean of several scores (`n` summed).
    pub fn mean(all: &[IntervalScore]) -> Option<IntervalScore> {
        if all.is_empty() {
            return None;
        }
        let k = all.len() as f64;
        Some(IntervalScore {
            pinball: all.iter().map(|a| a.pinball).sum::<f64>() / k,
            coverage80: all.iter().map(|a| a.coverage80).sum::<f64>() / k,
            n: all.iter().map(|a| a.n).sum(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinball_weighs_each_side_by_its_level() {
        assert!((pinball(10.0, 8.0, 0.9) - 1.8).abs() < 1e-12);
        assert!((pinball(8.0, 10.0, 0.9) - 0.2).abs() < 1e-12);
    }

    #[test]
    fn quantile_interpolates() {
        let v = [0.0, 1.0, 2.0, 3.0, 4.0];
        assert!((quantile(&v, 0.5) - 2.0).abs() < 1e-12);
        assert!((quantile(&v, 0.1) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn coverage_counts_actuals_inside_the_band() {
        let levels = LEVELS.to_vec();
        let q = vec![
            vec![1.0, 1.0, 1.0, 1.0],
            vec![2.0, 2.0, 2.0, 2.0],
            vec![3.0, 3.0, 3.0, 3.0],
            vec![4.0, 4.0, 4.0, 4.0],
        ];
        let s = IntervalScore::compute(&[0.5, 1.0, 4.0, 5.0], &levels, &q);
        assert_eq!(s.map(|s| s.coverage80), Some(50.0));
    }

    #[test]
    fn lead_factors_follow_the_spread_per_lead_day_shrunk_toward_one() {
        // Lead 0: errors of ±1, lead 1: ±3, one day's prior of 2 errors.
        let z: Vec<(f64, usize)> = [(1.0, 0), (-1.0, 0), (3.0, 1), (-3.0, 1)]
            .iter()
            .cycle()
            .take(8)
            .copied()
            .collect();
        let r = lead_factors(&z, 2);
        assert_eq!(r.len(), LEAD_DAYS);
        // s = 2; r_0 = (4·0.5 + 2) / 6, r_1 = (4·1.5 + 2) / 6; no errors: 1.
        assert!((r[0] - 4.0 / 6.0).abs() < 1e-12, "{r:?}");
        assert!((r[1] - 8.0 / 6.0).abs() < 1e-12, "{r:?}");
        assert_eq!(r[2], 1.0);
    }

    #[test]
    fn the_band_is_wider_on_a_lead_day_with_wider_errors() {
        let m = IntervalModel {
            levels: LEVELS.to_vec(),
            z: vec![-1.0, 0.0, 0.5, 1.0],
            n: 10,
            lead_scale: vec![0.5, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0],
            day_slots: 2,
        };
        // Two intervals a day; forecast 100 everywhere, 0 (closed) in the last one.
        let q = m.apply(&[
            100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 0.0,
        ]);
        assert_eq!(q[0][0], 95.0); // lead 0: 100 − 1 · 0.5 · 10
        assert_eq!(q[3][1], 105.0);
        assert_eq!(q[0][2], 80.0); // lead 1: 100 − 1 · 2 · 10
        assert_eq!(q[3][4], 110.0); // lead 2
        assert_eq!(q[3][9], 0.0); // closed stays closed
    }
}
