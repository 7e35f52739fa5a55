//! Intraday re-forecast: scale the rest of today's forecast by what the morning showed.
//!
//! With `P` the forecast and `A` the actual volume of the day's intervals before the
//! cut-off, and `D` the forecast for the whole day, the rest of the day is multiplied by
//!
//! `factor = 1 + w · (A / P − 1)`, `w = P / (P + shrink · D)`,
//!
//! so an early, thin morning moves the forecast little and a long one moves it much
//! (`shrink` = 0.25: after a quarter of the day's forecast volume the observed ratio gets
//! half its weight). The shrink constant was chosen on the bank data at 10:00, 12:00 and
//! 14:00 among 0.1, 0.25, 0.5, 1 and 2 (docs/forecasting.md).
//!
//! [`reforecast_backtest`] replays this on backtest folds: the week-ahead forecast of a
//! method, each day cut at each cut-off, the rest of the day scored with and without the
//! re-forecast (pooled WAPE over all days and folds).

use super::{predict_clean, ForecastGrid, Method, Series};
use crate::error::{Error, Result};
use chrono::{NaiveTime, Timelike};

/// Default shrink constant (share of the day's forecast volume).
pub const SHRINK: f64 = 0.25;

/// The factor applied to the rest of the day, from the forecast `planned_so_far` and the
/// actual `actual_so_far` volume before the cut-off and the whole day's forecast
/// `planned_day`. 1 when nothing was forecast so far.
pub fn reforecast_factor(
    planned_so_far: f64,
    actual_so_far: f64,
    planned_day: f64,
    shrink: f64,
) -> f64 {
    if planned_so_far <= 0.0 || planned_day <= 0.0 || !actual_so_far.is_finite() {
        return 1.0;
    }
    let w = planned_so_far / (planned_so_far + shrink.max(0.0) * planned_day);
    (1.0 + w * (actual_so_far / planned_so_far - 1.0)).max(0.0)
}

/// Rest-of-day accuracy at one cut-off, pooled over the days of the folds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReforecastScore {
    /// Local cut-off time.
    pub cutoff: NaiveTime,
    /// Days scored.
    pub days: usize,
    /// WAPE of the week-ahead forecast over the rest of the days, percent.
    pub wape_forecast: f64,
    /// WAPE of the re-forecast over the same intervals, percent.
    pub wape_reforecast: f64,
}

/// Parses `10:00,12:00,14:00` into local times; `field` names the option in errors.
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when a comma-separated part is not a local time `HH:MM`,
/// or a time is given twice.
pub fn parse_cutoffs(field: &str, s: &str) -> Result<Vec<NaiveTime>> {
    let out: Result<Vec<NaiveTime>> = s
        .split(',')
        .map(|p| {
            NaiveTime::parse_from_str(p.trim(), "%H:%M")
                .map_err(|_| Error::invalid(field, format!("expected HH:MM[,HH:MM...], got {p:?}")))
        })
        .collect();
    let out = out?;
    if out.is_empty() {
        return Err(Error::invalid(field, "give at least one cut-off time"));
    }
    // Each cut-off is one row of the results: a repeat would be a duplicate row.
    for (i, t) in out.iter().enumerate() {
        if out[..i].contains(t) {
            return Err(Error::invalid(
                field,
                format!("{} is given twice", t.format("%H:%M")),
            ));
        }
    }
    Ok(out)
}

/// Replays the re-forecast on `folds` week-long folds (as the volume backtest cuts them)
/// with `method`'s week-ahead forecast, at each local cut-off time.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--folds` when `folds` is 0 or leaves less than three weeks of
/// training data before the first fold; and the errors of `method`'s week-ahead forecast of each
/// fold (see [`crate::forecast::forecast`]).
pub fn reforecast_backtest(
    series: &Series,
    method: &dyn Method,
    folds: usize,
    cutoffs: &[NaiveTime],
    shrink: f64,
) -> Result<Vec<ReforecastScore>> {
    let week = 7 * series.day_slots();
    let need = week.saturating_mul(folds);
    // Saturating: the largest fold count is an error, not an overflow.
    if folds == 0 || series.len() < need.saturating_add(21 * series.day_slots()) {
        return Err(Error::invalid(
            "--folds",
            "must be at least 1 and leave three weeks of training data before the first fold",
        ));
    }
    let tz = series.tz();
    // (errors of forecast, errors of re-forecast, actual total, days) per cut-off
    let mut acc = vec![(0.0, 0.0, 0.0, 0usize); cutoffs.len()];
    for f in 0..folds {
        let origin = series.len() - need + f * week;
        let train = series.truncate(origin)?;
        let target = ForecastGrid::after(&train, week)?;
        let pred = predict_clean(&train, method, &target)?;
        // Group the window's intervals by local date.
        let mut day_start = 0;
        while day_start < week {
            let date = |k: usize| {
                target
                    .horizon
                    .interval_start(k)
                    .with_timezone(&tz)
                    .date_naive()
            };
            let d = date(day_start);
            let mut day_end = day_start;
            while day_end < week && date(day_end) == d {
                day_end += 1;
            }
            let ks: Vec<usize> = (day_start..day_end)
                .filter(|k| series.volume(origin + k).is_some())
                .collect();
            let planned_day: f64 = (day_start..day_end).map(|k| pred[k]).sum();
            for (c, cut) in cutoffs.iter().enumerate() {
                let before = |k: usize| {
                    let t = target.horizon.interval_start(k).with_timezone(&tz);
                    t.time().num_seconds_from_midnight() < cut.num_seconds_from_midnight()
                };
                let (so_far, rest): (Vec<usize>, Vec<usize>) = ks.iter().partition(|k| before(**k));
                if so_far.is_empty() || rest.is_empty() {
                    continue;
                }
                let p: f64 = so_far.iter().map(|k| pred[*k]).sum();
                let a: f64 = so_far
                    .iter()
                    .filter_map(|k| series.volume(origin + k))
                    .sum();
                let factor = reforecast_factor(p, a, planned_day, shrink);
                let e = &mut acc[c];
                for k in rest {
                    let y = series.volume(origin + k).unwrap_or(0.0);
                    e.0 += (y - pred[k]).abs();
                    e.1 += (y - factor * pred[k]).abs();
                    e.2 += y;
                }
                e.3 += 1;
            }
            day_start = day_end;
        }
    }
    Ok(cutoffs
        .iter()
        .zip(acc)
        .map(|(cut, (ef, er, tot, days))| ReforecastScore {
            cutoff: *cut,
            days,
            wape_forecast: if tot > 0.0 {
                100.0 * ef / tot
            } else {
                f64::NAN
            },
            wape_reforecast: if tot > 0.0 {
                100.0 * er / tot
            } else {
                f64::NAN
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_is_shrunk_toward_one() {
        // A morning 20 % above forecast after a quarter of the day: half the weight.
        let f = reforecast_factor(250.0, 300.0, 1000.0, 0.25);
        assert!((f - 1.1).abs() < 1e-12);
        assert_eq!(reforecast_factor(0.0, 10.0, 1000.0, 0.25), 1.0);
        assert!((reforecast_factor(250.0, 300.0, 1000.0, 0.0) - 1.2).abs() < 1e-12);
    }

    #[test]
    fn cutoffs_parse_and_bad_ones_are_named() {
        let c = parse_cutoffs("--cutoffs", "10:00, 12:30").unwrap_or_default();
        assert_eq!(c.len(), 2);
        let twice = parse_cutoffs("--cutoffs", "10:00,12:00,10:00").unwrap_err();
        assert!(
            twice.to_string().contains("10:00 is given twice"),
            "{twice}"
        );
        let e = parse_cutoffs("--cutoffs", "10:00,noon")
            .map(|_| ())
            .unwrap_err();
        assert!(e.to_string().contains("--cutoffs") && e.to_string().contains("noon"));
    }
}
