//! Prediction intervals for any method, from its own errors in an inner backtest.
//!
//! The method forecasts each of the last `inner_weeks` weeks of the history from the data
//! before that week (the same rolling origins a backtest uses). Every observed interval
//! gives a scaled error `z = (y − ŷ) / √max(ŷ, 1)`: count data has a variance that grows
//! with its mean, so dividing by the square root makes quiet and busy intervals
//! comparable. The quantile `q` of the forecast is `max(0, ŷ + z_q · r · t · √max(ŷ, 1))`,
//! with `z_q` a quantile of the errors, `r` the width factor of the interval's lead day and
//! `t` that of its time of day (below). The errors are week-ahead errors, so the band is as
//! wide as the lead time a weekly plan needs.
//!
//! Scores: the pinball (quantile) loss of each level, and the coverage of the central
//! interval `[q10, q90]` (the share of actuals inside it; 80 % is the aim).
//!
//! **Width per lead day.** Each error is tagged with its lead day `d` (0 = the first local
//! day after the origin, up to 6; a lead of a week or more uses `d mod 7`, the same
//! weekday), and the spread of the errors at each lead, `s_d` (mean absolute scaled error),
//! is compared with the spread of all of them: `r_d = s_d / s`, shrunk toward 1 by one
//! day's worth of errors (`r_d = (n_d·s_d/s + m) / (n_d + m)`, `m` the intervals of one
//! day). The inner origins fall on the same weekday as the forecast's origin, so lead `d`
//! of the inner weeks is the same weekday as lead `d` of the forecast.
//!
//! **Width per time of day.** The errors divided by their `r_d` are grouped into
//! time-of-day buckets of the local day and get a factor `t_b` the same way (shrunk toward
//! 1 by 20 errors). The bucket width is chosen per model by the inner weeks alone: 24 h
//! (one width all day), 8 h, 4 h, 2 h or one interval ([`BUCKET_HOURS`]); each candidate is
//! fitted on all inner weeks but one and scored by the pinball loss (in contacts) of the
//! week left out, and the lowest total wins (ties: the coarser).
//!
//! **How wide: the effective number of independent errors.** The quantiles `z_q` are read
//! from the errors divided by `r_d · t_b`, at levels widened for the number of independent
//! draws they hold. Errors of one day move together (a busy Monday is busy all day), and so,
//! less, do the errors of one week (a method's level is off for the whole week), so a few
//! thousand errors hold far fewer independent draws. Their correlation within a day (`ρ_d`)
//! and within a week on different days (`ρ_w`) is measured on the inner errors, giving the
//! design effect `1 + (m_d − 1)ρ_d + (m_w − m_d)ρ_w` (`m_d`, `m_w` the errors per day and
//! per week) and the effective number `n = errors / design effect` (at least the number of
//! weeks). Each level `p > ½` is read at the median-unbiased position of the `p`-quantile
//! in a sample of `n` (Hyndman and Fan's definition 8), mirrored below the median: with
//! independent errors (Poisson noise around a known pattern) `n` is large and the band is
//! read at 10 – 90 %; with the bank data's errors `n` is 14 – 24 and it is read at
//! 5.9 – 94.1 % (`n` = 14) to 7.7 – 92.3 % (`n` = 24).

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
    /// entries; a lead of a week or more uses the entry of the same weekday, `d mod 7`).
    pub lead_scale: Vec<f64>,
    /// Intervals per local day of the grid (turns an interval's position into a lead day).
    pub day_slots: usize,
    /// Width factor per interval of the local day (`day_slots` entries; empty: 1 for
    /// every interval), from the time-of-day buckets chosen by the inner backtest.
    pub slot_scale: Vec<f64>,
    /// Time-of-day buckets behind `slot_scale` (1 = one width all day; `day_slots` = one
    /// per interval of the day).
    pub buckets: usize,
}

/// Lead days with their own width factor.
pub const LEAD_DAYS: usize = 7;

/// Time-of-day bucket widths tried by the inner backtest, in hours (24 = one width all
/// day); the finest candidate is one bucket per interval of the day.
pub const BUCKET_HOURS: [u32; 4] = [24, 8, 4, 2];

/// Errors a time-of-day bucket's width factor is shrunk toward 1 with.
const BUCKET_PRIOR: f64 = 20.0;

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

/// Level `p` read off pooled errors that hold `n` independent units: the median-unbiased
/// position of the `p`-quantile in a sample of `n` (Hyndman and Fan's definition 8,
/// `p·(n + 1/3) + 1/3` of `1 … n`), mapped onto the pooled errors; mirrored below the
/// median. It only widens (never below `p` above the median) and tends to `p` as `n`
/// grows: with 20 units the 10 – 90 % band is read at 7.2 – 92.8 %.
fn widened_level(p: f64, n: usize) -> f64 {
    if n < 2 || (p - 0.5).abs() < 1e-12 {
        return p;
    }
    let nf = n as f64;
    let up = |q: f64| ((q * (nf + 1.0 / 3.0) - 2.0 / 3.0) / (nf - 1.0)).clamp(q, 1.0);
    if p > 0.5 {
        up(p)
    } else {
        1.0 - up(1.0 - p)
    }
}

/// One inner-backtest error.
#[derive(Debug, Clone, Copy)]
struct InnerError {
    /// Scaled error `(y − ŷ) / √max(ŷ, 1)`.
    z: f64,
    /// `√max(ŷ, 1)`: turns a scaled error back into contacts.
    s: f64,
    /// Lead day (0 ..= 6).
    lead: usize,
    /// Local interval of the day.
    slot: usize,
    /// Inner week (0 = oldest).
    week: usize,
    /// Inner day (`8 · week + day of the week`).
    day: usize,
}

/// The parts of a model fitted on some inner errors.
struct Fitted {
    z: Vec<f64>,
    lead_scale: Vec<f64>,
    slot_scale: Vec<f64>,
}

/// Bucket of interval `slot` of a day of `ds` intervals split into `b` buckets.
fn bucket_of(slot: usize, b: usize, ds: usize) -> usize {
    (slot * b / ds.max(1)).min(b.saturating_sub(1))
}

/// Fits lead and time-of-day factors and the quantiles on `errs` (`days` inner days
/// behind them), with `b` time-of-day buckets.
fn fit_parts(errs: &[&InnerError], days: usize, ds: usize, b: usize) -> Fitted {
    let lead: Vec<(f64, usize)> = errs.iter().map(|e| (e.z, e.lead)).collect();
    let lead_scale = spread_factors(&lead, LEAD_DAYS, ds as f64);
    let slot_scale: Vec<f64> = if b <= 1 {
        vec![1.0; ds]
    } else {
        let tod: Vec<(f64, usize)> = errs
            .iter()
            .map(|e| (e.z / lead_scale[e.lead], bucket_of(e.slot, b, ds)))
            .collect();
        let f = spread_factors(&tod, b, BUCKET_PRIOR);
        (0..ds).map(|k| f[bucket_of(k, b, ds)]).collect()
    };
    let mut u: Vec<f64> = errs
        .iter()
        .map(|e| e.z / (lead_scale[e.lead] * slot_scale.get(e.slot).copied().unwrap_or(1.0)))
        .collect();
    let units = effective_units(errs, &u).unwrap_or(days);
    u.sort_by(f64::total_cmp);
    Fitted {
        z: LEVELS
            .iter()
            .map(|p| quantile(&u, widened_level(*p, units)))
            .collect(),
        lead_scale,
        slot_scale,
    }
}

/// Effective number of independent errors behind `u` (the errors `errs`, scaled): the
/// errors over the design effect of a two-level cluster sample,
/// `1 + (m_d − 1)·ρ_d + (m_w − m_d)·ρ_w`, with `m_d` and `m_w` the mean errors per inner
/// day and week and `ρ_d`, `ρ_w` the correlation of two errors of the same day and of
/// two errors of the same week on different days (moment estimates, clamped to
/// `0 ≤ ρ_w ≤ ρ_d ≤ 1`); at least the number of weeks. `None` when the errors have no
/// spread.
fn effective_units(errs: &[&InnerError], u: &[f64]) -> Option<usize> {
    let n = u.len();
    if n < 2 || errs.len() != n {
        return None;
    }
    let mean = u.iter().sum::<f64>() / n as f64;
    let var = u.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
    if !(var > 0.0 && var.is_finite()) {
        return None;
    }
    // Per day: (sum of centred errors, sum of their squares, count).
    let n_days = errs.iter().map(|e| e.day + 1).max().unwrap_or(0);
    let mut by_day = vec![(0.0f64, 0.0f64, 0.0f64); n_days];
    for (e, x) in errs.iter().zip(u) {
        let c = x - mean;
        let d = &mut by_day[e.day];
        d.0 += c;
        d.1 += c * c;
        d.2 += 1.0;
    }
    // Per week: (sum, sum over its days of the day sums squared, count, sum of counts²).
    let mut by_week = vec![(0.0f64, 0.0f64, 0.0f64, 0.0f64); n_days.div_ceil(8)];
    let (mut day_num, mut day_den, mut days_seen) = (0.0, 0.0, 0usize);
    for (day, (s, ss, k)) in by_day.iter().enumerate() {
        if *k == 0.0 {
            continue;
        }
        days_seen += 1;
        day_num += s * s - ss;
        day_den += k * (k - 1.0);
        let w = &mut by_week[day / 8];
        w.0 += s;
        w.1 += s * s;
        w.2 += k;
        w.3 += k * k;
    }
    let (mut week_num, mut week_den, mut weeks) = (0.0, 0.0, 0usize);
    for (s, s_days, k, k_days) in &by_week {
        if *k == 0.0 {
            continue;
        }
        weeks += 1;
        week_num += s * s - s_days;
        week_den += k * k - k_days;
    }
    let rho_d = if day_den > 0.0 {
        (day_num / day_den / var).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let rho_w = if week_den > 0.0 {
        (week_num / week_den / var).clamp(0.0, rho_d)
    } else {
        0.0
    };
    let weeks = weeks.max(1);
    let m_d = n as f64 / days_seen.max(1) as f64;
    let m_w = n as f64 / weeks as f64;
    let deff = 1.0 + (m_d - 1.0) * rho_d + (m_w - m_d).max(0.0) * rho_w;
    let units = (n as f64 / deff.max(1.0)).floor();
    if units.is_finite() {
        Some((units as usize).max(weeks))
    } else {
        None
    }
}

/// Time-of-day bucket counts tried for a day of `ds` intervals of `minutes`, increasing.
fn bucket_candidates(ds: usize, minutes: u32) -> Vec<usize> {
    let mut c: Vec<usize> = BUCKET_HOURS
        .iter()
        .map(|h| ((h * 60 / minutes.max(1)) as usize).max(1))
        .map(|w| ds.div_ceil(w).max(1))
        .chain(std::iter::once(ds.max(1)))
        .collect();
    c.sort_unstable();
    c.dedup();
    c
}

/// The bucket count whose model, fitted on all inner weeks but one, has the lowest pinball
/// loss (in contacts) on the week left out, summed over the weeks; ties go to fewer
/// buckets. One bucket when fewer than three inner weeks have errors.
fn choose_buckets(errs: &[InnerError], week_days: &[usize], ds: usize, cands: &[usize]) -> usize {
    let weeks: Vec<usize> = (0..week_days.len()).filter(|w| week_days[*w] > 0).collect();
    if weeks.len() < 3 {
        return 1;
    }
    let total_days: usize = week_days.iter().sum();
    let mut best = (f64::INFINITY, 1usize);
    for &b in cands {
        let mut loss = 0.0;
        for &w in &weeks {
            let train: Vec<&InnerError> = errs.iter().filter(|e| e.week != w).collect();
            let fit = fit_parts(&train, total_days - week_days[w], ds, b);
            for e in errs.iter().filter(|e| e.week == w) {
                let r = fit.lead_scale[e.lead] * fit.slot_scale.get(e.slot).copied().unwrap_or(1.0);
                for (p, zq) in LEVELS.iter().zip(&fit.z) {
                    loss += e.s * pinball(e.z, zq * r, *p);
                }
            }
        }
        if loss < best.0 {
            best = (loss, b);
        }
    }
    best.1
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
        let mut errs: Vec<InnerError> = Vec::new();
        let mut week_days: Vec<usize> = Vec::new();
        for j in (1..=inner_weeks).rev() {
            let Some(origin) = history.len().checked_sub(j * week) else {
                continue;
            };
            if origin < min_train || (0..origin).all(|i| history.volume(i).is_none()) {
                continue;
            }
            let pred = predict_week(origin)?;
            let mut day_seen = [false; 8];
            let wk = week_days.len();
            for (k, f) in pred.iter().enumerate() {
                if history.status(origin + k) != Status::Open {
                    continue;
                }
                if let Some(y) = history.volume(origin + k) {
                    errs.push(InnerError {
                        z: (y - f) / scale(*f),
                        s: scale(*f),
                        lead: (k / ds).min(LEAD_DAYS - 1),
                        slot: history.day_slot(origin + k).min(ds - 1),
                        week: wk,
                        day: 8 * wk + (k / ds).min(7),
                    });
                    if let Some(d) = day_seen.get_mut(k / ds) {
                        *d = true;
                    }
                }
            }
            week_days.push(day_seen.iter().filter(|d| **d).count());
        }
        if errs.is_empty() {
            return Ok(None);
        }
        let cands = bucket_candidates(ds, history.horizon().interval_minutes());
        let buckets = choose_buckets(&errs, &week_days, ds, &cands);
        let all: Vec<&InnerError> = errs.iter().collect();
        let fit = fit_parts(&all, week_days.iter().sum(), ds, buckets);
        Ok(Some(IntervalModel {
            levels: LEVELS.to_vec(),
            z: fit.z,
            n: errs.len(),
            lead_scale: fit.lead_scale,
            day_slots: ds,
            slot_scale: fit.slot_scale,
            buckets,
        }))
    }

    /// Quantiles of a point forecast whose first interval is the first after the origin:
    /// one vector per level, same length as `point` (zero stays zero: a closed interval
    /// has no band). Interval `k` is taken as interval `k mod day_slots` of its day; use
    /// [`IntervalModel::apply_slots`] when the local interval of the day is known (it
    /// differs on days with a daylight-saving change).
    pub fn apply(&self, point: &[f64]) -> Vec<Vec<f64>> {
        let ds = self.day_slots.max(1);
        let slots: Vec<usize> = (0..point.len()).map(|k| k % ds).collect();
        self.apply_slots(point, &slots)
    }

    /// As [`IntervalModel::apply`], with `day_slot[k]` the local interval of the day of
    /// forecast interval `k` (as [`ForecastGrid::day_slot`]); a missing entry or one past
    /// the day's intervals gets no time-of-day factor.
    pub fn apply_slots(&self, point: &[f64], day_slot: &[usize]) -> Vec<Vec<f64>> {
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
                            .get((k / ds) % LEAD_DAYS)
                            .copied()
                            .unwrap_or(1.0);
                        let t = day_slot
                            .get(k)
                            .and_then(|d| self.slot_scale.get(*d))
                            .copied()
                            .unwrap_or(1.0);
                        if *f <= 0.0 {
                            0.0
                        } else {
                            (f + z * r * t * scale(*f)).max(0.0)
                        }
                    })
                    .collect()
            })
            .collect()
    }
}

/// Width factor per key (lead day, time-of-day bucket) from scaled errors tagged with
/// their key: each key's mean absolute error over that of all errors, shrunk toward 1 by
/// `prior` errors. Always `keys` finite positive entries.
fn spread_factors(z: &[(f64, usize)], keys: usize, prior: f64) -> Vec<f64> {
    let all = z.iter().map(|(e, _)| e.abs()).sum::<f64>() / z.len().max(1) as f64;
    let mut sum = vec![0.0f64; keys];
    let mut n = vec![0usize; keys];
    for (e, d) in z {
        if let (Some(s), Some(c)) = (sum.get_mut(*d), n.get_mut(*d)) {
            *s += e.abs();
            *c += 1;
        }
    }
    let m = prior.max(1.0);
    (0..keys)
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
        let r = spread_factors(&z, LEAD_DAYS, 2.0);
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
            slot_scale: Vec::new(),
            buckets: 1,
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

    /// Deterministic noise in (−1, 1) for the tests below.
    fn noise(state: &mut u64) -> f64 {
        *state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((*state >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    /// Errors of `weeks` weeks × 5 days × `per_day` intervals: `day_part` of each error
    /// is shared by its day, `week_part` by its week, the rest its own.
    fn clustered(weeks: usize, per_day: usize, week_part: f64, day_part: f64) -> Vec<InnerError> {
        let mut st = 7u64;
        let mut out = Vec::new();
        for w in 0..weeks {
            let wn = noise(&mut st);
            for d in 0..5 {
                let dn = noise(&mut st);
                for k in 0..per_day {
                    let own = noise(&mut st);
                    out.push(InnerError {
                        z: week_part * wn + day_part * dn + (1.0 - week_part - day_part) * own,
                        s: 1.0,
                        lead: d,
                        slot: k,
                        week: w,
                        day: 8 * w + d,
                    });
                }
            }
        }
        out
    }

    fn units(e: &[InnerError]) -> usize {
        let r: Vec<&InnerError> = e.iter().collect();
        let u: Vec<f64> = e.iter().map(|x| x.z).collect();
        effective_units(&r, &u).unwrap_or(0)
    }

    #[test]
    fn effective_units_follow_the_correlation_of_days_and_weeks() {
        // 8 weeks × 5 days × 30 intervals = 1 200 errors.
        let own = units(&clustered(8, 30, 0.0, 0.0));
        assert!(own > 900, "independent errors: {own}");
        let days = units(&clustered(8, 30, 0.0, 1.0));
        // Noise in the week correlation (eight weeks) can only lower it.
        assert!((16..=44).contains(&days), "one draw per day: {days}");
        let weeks = units(&clustered(8, 30, 1.0, 0.0));
        assert_eq!(weeks, 8, "one draw per week");
        let mixed = units(&clustered(8, 30, 0.3, 0.3));
        assert!(weeks < mixed && mixed < own, "{mixed}");
    }

    #[test]
    fn levels_widen_less_as_the_independent_units_grow() {
        assert!(
            (widened_level(0.9, 20) - (0.9 * (20.0 + 1.0 / 3.0) - 2.0 / 3.0) / 19.0).abs() < 1e-12
        );
        assert!((widened_level(0.1, 20) - (1.0 - widened_level(0.9, 20))).abs() < 1e-12);
        assert!(widened_level(0.9, 10) > widened_level(0.9, 40));
        assert!((widened_level(0.9, 100_000) - 0.9).abs() < 1e-5);
        assert_eq!(widened_level(0.5, 20), 0.5);
        assert_eq!(widened_level(0.9, 1), 0.9);
        assert_eq!(widened_level(0.9, 3), 1.0);
    }

    #[test]
    fn time_of_day_buckets_are_chosen_where_the_spread_differs_by_time_of_day() {
        // 48 intervals a day; errors three times as wide in the morning (first 16).
        let mut e = clustered(8, 48, 0.0, 0.0);
        for x in &mut e {
            if x.slot < 16 {
                x.z *= 3.0;
            }
        }
        let week_days = vec![5; 8];
        let cands = bucket_candidates(48, 30);
        assert_eq!(cands, vec![1, 3, 6, 12, 48]);
        let b = choose_buckets(&e, &week_days, 48, &cands);
        assert!(b > 1, "{b}");
        let all: Vec<&InnerError> = e.iter().collect();
        let fit = fit_parts(&all, 40, 48, b);
        assert!(
            fit.slot_scale[0] > 2.0 * fit.slot_scale[40],
            "{:?}",
            fit.slot_scale
        );
        // The same spread all day: one width.
        let flat = clustered(8, 48, 0.0, 0.0);
        let all: Vec<&InnerError> = flat.iter().collect();
        let fit = fit_parts(&all, 40, 48, 6);
        assert!(
            fit.slot_scale.iter().all(|f| (f - 1.0).abs() < 0.15),
            "{:?}",
            fit.slot_scale
        );
    }
}
