//! Prediction intervals for any method, from its own errors in an inner backtest.
//!
//! The method forecasts each of the last `inner_weeks` weeks of the history from the data
//! before that week (the same rolling origins a backtest uses). Every observed interval
//! gives a scaled error `z = (y − ŷ) / √max(ŷ, 1)`: count data has a variance that grows
//! with its mean, so dividing by the square root makes quiet and busy intervals
//! comparable. The quantile `q` of the forecast is `max(0, ŷ + z_q · r · t · √max(ŷ, 1))`,
//! with `z_q` a quantile of the errors, `r` the width factor of the interval's lead day and
//! `t` that of its time of day (below). The errors are week-ahead errors, so the band is as
//! wide as the lead time a weekly plan needs; a longer forecast gets the errors of its
//! later weeks of lead too (below).
//!
//! Scores: the pinball (quantile) loss of each level, and the coverage of the central
//! interval `[q10, q90]` (the share of actuals inside it; 80 % is the aim).
//!
//! **Width per lead day.** Each error is tagged with its lead day `d` (0 = the first local
//! day after the origin, up to 6), and the spread of the errors at each lead, `s_d` (mean
//! absolute scaled error), is compared with the spread of all of them: `r_d = s_d / s`,
//! shrunk toward 1 by one day's worth of errors (`r_d = (n_d·s_d/s + m) / (n_d + m)`, `m`
//! the intervals of one day). The inner origins fall on the same weekday as the
//! forecast's origin, so lead `d` of the inner weeks is the same weekday as lead `d` of
//! the forecast.
//!
//! **Leads of a week or more.** A forecast longer than a week spans `L = ⌈days / 7⌉`
//! weeks of lead ([`lead_weeks`]). The inner weeks are then forecast again from origins
//! `ℓ = 1 … L − 1` weeks earlier (each origin's forecast reaches at most as far as the
//! forecast's, and serves every inner week it reaches), and lead week `ℓ`'s factors come
//! from those errors: its spread over the first week's on the same actuals, shrunk
//! toward 1 by one week's worth, times its own lead-day factors
//! (`intervals::later_weeks`). The first week's model, and so a forecast of up to seven
//! days, is unchanged by this.
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
//! 5.9 – 94.1 % (`n` = 14) to 7.7 – 92.3 % (`n` = 24). That reading chooses the
//! time-of-day buckets; the band itself is centred and read as below.
//!
//! **Centre, and the levels of the centred band.** Before the quantiles are read, the
//! errors are shifted by the part of their mean the eight inner weeks do not tell apart
//! from chance (`m · min(1, 1/t²)`, `m` the mean of the weeks' mean errors, `t` its ratio
//! to its standard error), and the levels are read at the median-unbiased position for
//! `c · n` units, `c` chosen by the coverage of each inner week by the band fitted on
//! the inner weeks before it (`intervals::centre`).

use super::{predict_clean, ForecastGrid, Method, Series, Status};
use crate::error::Result;
use std::collections::HashMap;

mod centre;
mod later_weeks;
mod score;

pub use score::{pinball, IntervalScore};

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
    /// Width factor `r_d` per lead day (0 = the first day after the origin): seven
    /// entries per week of lead the model was fitted for ([`IntervalModel::fit_horizon`]);
    /// a lead past them uses the entry of the same weekday in the last week
    /// (`d mod 7` for a one-week model).
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

/// Lead days with their own width factor in each week of lead.
pub const LEAD_DAYS: usize = 7;

/// Most weeks of lead a model has their own factors for: those of the longest forecast
/// ([`crate::limits::MAX_HORIZON_DAYS`] days); later leads repeat the last week's.
pub const MAX_LEAD_WEEKS: usize = (crate::limits::MAX_HORIZON_DAYS as usize).div_ceil(7);

/// Time-of-day bucket widths tried by the inner backtest, in hours (24 = one width all
/// day); the finest candidate is one bucket per interval of the day.
pub const BUCKET_HOURS: [u32; 4] = [24, 8, 4, 2];

/// Errors a time-of-day bucket's width factor is shrunk toward 1 with.
const BUCKET_PRIOR: f64 = 20.0;

/// Entry of `lead_scale` (`n` entries) for lead day `d`: `d` itself while there is one,
/// else the same weekday in the last whole week of entries (`d mod 7` with seven).
fn lead_index(d: usize, n: usize) -> usize {
    let weeks = n / LEAD_DAYS;
    if d < n {
        d
    } else if weeks == 0 {
        d % LEAD_DAYS
    } else {
        (weeks - 1) * LEAD_DAYS + d % LEAD_DAYS
    }
}

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

/// Lead and time-of-day factors fitted on some inner errors, and the errors divided by
/// them, sorted, ready for their quantiles to be read.
struct Prepared {
    lead_scale: Vec<f64>,
    slot_scale: Vec<f64>,
    /// Scaled errors over their factors, sorted (centred when asked).
    u: Vec<f64>,
    /// Effective number of independent errors behind `u`.
    units: usize,
    /// Inner weeks behind `u` (the fewest units a reading assumes).
    weeks: usize,
}

impl Prepared {
    /// The error at level `p`, read at the median-unbiased position for `factor` times
    /// the effective number of independent errors (at least the number of weeks);
    /// `factor = ∞` reads `p` itself.
    fn read(&self, p: f64, factor: f64) -> f64 {
        let level = if factor.is_finite() {
            let units = if factor == 1.0 {
                self.units
            } else {
                (self.units as f64 * factor)
                    .round()
                    .clamp(self.weeks.max(1) as f64, 1e9) as usize
            };
            widened_level(p, units)
        } else {
            p
        };
        quantile(&self.u, level)
    }
}

/// Fits lead and time-of-day factors on `errs` (`days` inner days behind them), with `b`
/// time-of-day buckets, and divides the errors by them; `centred`: shifted by the part of
/// their bias the inner weeks do not tell apart from chance (`intervals::centre`).
fn prepare(errs: &[&InnerError], days: usize, ds: usize, b: usize, centred: bool) -> Prepared {
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
    if centred {
        let shift = centre::chance_bias(errs, &u);
        for x in &mut u {
            *x -= shift;
        }
    }
    u.sort_by(f64::total_cmp);
    let mut weeks: Vec<usize> = errs.iter().map(|e| e.week).collect();
    weeks.sort_unstable();
    weeks.dedup();
    Prepared {
        lead_scale,
        slot_scale,
        u,
        units,
        weeks: weeks.len(),
    }
}

/// Fits lead and time-of-day factors and the quantiles on `errs` (`days` inner days
/// behind them), with `b` time-of-day buckets: the errors as they are, read at the
/// median-unbiased position for their effective number (the rule the time-of-day
/// buckets are chosen with).
fn fit_parts(errs: &[&InnerError], days: usize, ds: usize, b: usize) -> Fitted {
    let p = prepare(errs, days, ds, b, false);
    Fitted {
        z: LEVELS.iter().map(|l| p.read(*l, 1.0)).collect(),
        lead_scale: p.lead_scale,
        slot_scale: p.slot_scale,
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

/// Weeks of lead a forecast of `len` intervals spans on a grid of `day_slots` intervals a
/// day: `⌈len / week⌉`, at least 1 (a forecast of 14 days spans 2).
pub fn lead_weeks(len: usize, day_slots: usize) -> usize {
    len.div_ceil(7 * day_slots.max(1)).max(1)
}

/// Intervals each inner forecast covers for a forecast of `len` intervals: a week up to a
/// week (a one-week model), else `len` (every lead the forecast has, and no further).
pub(crate) fn inner_len(len: usize, day_slots: usize) -> usize {
    let week = 7 * day_slots.max(1);
    if len <= week {
        week
    } else {
        len
    }
}

/// Errors of the inner weeks at `lead` weeks of lead: each of the last `inner_weeks` weeks
/// of `history` (oldest first) forecast by `predict(origin)` from `origin`, `lead` weeks
/// before the week starts; the week is read from the forecast's `lead`-th week. Weeks
/// whose origin leaves less than three weeks of training data, or none observed, are
/// skipped. Also gives the observed days of each week kept.
fn inner_errors(
    history: &Series,
    inner_weeks: usize,
    lead: usize,
    predict: &mut dyn FnMut(usize) -> Result<Vec<f64>>,
) -> Result<(Vec<InnerError>, Vec<usize>)> {
    let ds = history.day_slots().max(1);
    let week = 7 * ds;
    let min_train = 21 * ds;
    let mut errs: Vec<InnerError> = Vec::new();
    let mut week_days: Vec<usize> = Vec::new();
    // Weeks that would start before the history have nothing to score.
    for j in (1..=inner_weeks.min(history.len() / week)).rev() {
        let Some(start) = history.len().checked_sub(j * week) else {
            continue;
        };
        let Some(origin) = lead.checked_mul(week).and_then(|l| start.checked_sub(l)) else {
            continue;
        };
        if origin < min_train || (0..origin).all(|i| history.volume(i).is_none()) {
            continue;
        }
        let pred = predict(origin)?;
        let mut day_seen = [false; 8];
        let wk = week_days.len();
        for (k, f) in pred.iter().skip(lead * week).take(week).enumerate() {
            if history.status(start + k) != Status::Open {
                continue;
            }
            if let Some(y) = history.volume(start + k) {
                errs.push(InnerError {
                    z: (y - f) / scale(*f),
                    s: scale(*f),
                    lead: (k / ds).min(LEAD_DAYS - 1),
                    slot: history.day_slot(start + k).min(ds - 1),
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
    Ok((errs, week_days))
}

impl IntervalModel {
    /// Fits the model of `method` on `history` with `inner_weeks` week-long inner folds
    /// (fewer when the history is short: each fold keeps at least three weeks of training
    /// data). `None` when no inner fold has an observed interval. The model is the one for
    /// a forecast of up to a week ([`IntervalModel::fit_horizon`] for longer ones).
    ///
    /// # Errors
    ///
    /// The errors of forecasting each inner fold, as for [`crate::forecast::forecast`]:
    /// [`Error::Invalid`](crate::Error::Invalid) naming `history` when a fold's training data is
    /// too short for the method, or the method's name when it returns a wrong count or a non-finite
    /// value.
    pub fn fit(history: &Series, method: &dyn Method, inner_weeks: usize) -> Result<Option<Self>> {
        Self::fit_horizon(history, method, inner_weeks, 7 * history.day_slots())
    }

    /// As [`IntervalModel::fit`], for a forecast of `len` intervals after `history`. Up to
    /// a week this is [`IntervalModel::fit`]; a longer forecast spans
    /// [`lead_weeks`]`(len)` weeks of lead, and each week of lead after the first gets
    /// its own lead-day widths from the errors of inner forecasts made that many weeks
    /// before each inner week (see the module documentation).
    ///
    /// # Errors
    ///
    /// As [`IntervalModel::fit`].
    pub fn fit_horizon(
        history: &Series,
        method: &dyn Method,
        inner_weeks: usize,
        len: usize,
    ) -> Result<Option<Self>> {
        let weeks = lead_weeks(len, history.day_slots());
        let span = inner_len(len, history.day_slots());
        Self::fit_span_with(history, inner_weeks, weeks, |origin| {
            let train = history.truncate(origin)?;
            // No further than the history's end: no actual scores a lead beyond it.
            let n = span.min(history.len().saturating_sub(origin)).max(1);
            let target = ForecastGrid::after(&train, n)?;
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
        predict_week: impl FnMut(usize) -> Result<Vec<f64>>,
    ) -> Result<Option<Self>> {
        Self::fit_span_with(history, inner_weeks, 1, predict_week)
    }

    /// As [`IntervalModel::fit_horizon`] for a forecast spanning `lead_weeks` weeks of lead
    /// (at least 1; 1 is [`IntervalModel::fit_with`]), with `predict_span(origin)` giving
    /// the method's forecast after interval `origin` from the data before it, at most as
    /// long as the forecast the model is for (at most `lead_weeks` weeks are read; leads it
    /// does not reach have no errors from this origin). The first
    /// week's model is the one [`IntervalModel::fit_with`] fits from the first week of
    /// these forecasts; `lead_scale` gets seven entries per week of lead (at most
    /// [`MAX_LEAD_WEEKS`] weeks).
    ///
    /// # Errors
    ///
    /// Only the errors `predict_span` returns.
    pub fn fit_span_with(
        history: &Series,
        inner_weeks: usize,
        lead_weeks: usize,
        mut predict_span: impl FnMut(usize) -> Result<Vec<f64>>,
    ) -> Result<Option<Self>> {
        let ds = history.day_slots().max(1);
        // Inner weeks ℓ weeks of lead apart share their origins: forecast each once.
        let mut made: HashMap<usize, Vec<f64>> = HashMap::new();
        let mut predict = |origin: usize| -> Result<Vec<f64>> {
            if let Some(p) = made.get(&origin) {
                return Ok(p.clone());
            }
            let p = predict_span(origin)?;
            made.insert(origin, p.clone());
            Ok(p)
        };
        let (errs, week_days) = inner_errors(history, inner_weeks, 0, &mut predict)?;
        if errs.is_empty() {
            return Ok(None);
        }
        let cands = bucket_candidates(ds, history.horizon().interval_minutes());
        let buckets = choose_buckets(&errs, &week_days, ds, &cands);
        let all: Vec<&InnerError> = errs.iter().collect();
        // A centred band, read at the position each inner week is covered at 80 % by the
        // band fitted on the weeks before it (`intervals::centre`).
        let factor = centre::choose_factor(&errs, &week_days, ds, buckets);
        let fit = prepare(&all, week_days.iter().sum(), ds, buckets, true);
        let z: Vec<f64> = LEVELS.iter().map(|p| fit.read(*p, factor)).collect();
        let mut lead_scale = fit.lead_scale;
        for lead in 1..lead_weeks.clamp(1, MAX_LEAD_WEEKS) {
            let (later, _) = inner_errors(history, inner_weeks, lead, &mut predict)?;
            later_weeks::extend(&mut lead_scale, &errs, &later, ds);
        }
        Ok(Some(IntervalModel {
            levels: LEVELS.to_vec(),
            z,
            n: errs.len(),
            lead_scale,
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
        let n = self.lead_scale.len();
        self.z
            .iter()
            .map(|z| {
                point
                    .iter()
                    .enumerate()
                    .map(|(k, f)| {
                        let r = self
                            .lead_scale
                            .get(lead_index(k / ds, n))
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

#[cfg(test)]
mod tests;
