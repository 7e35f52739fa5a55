//! Backtest of the handle-time forecast, on the same folds as the volume backtest.
//!
//! Three forecasts are compared on every fold: `slot_weighted` ([`super::forecast_aht`], the
//! one `wfm forecast` writes: the same local slot over the last four weeks, volume-weighted),
//! `time_of_day` ([`aht_time_of_day`]: the same time of day over the last 28 days, every
//! weekday pooled, shrunk toward the last week's mean) and `last_week_mean` (the
//! volume-weighted mean handle time of the last seven days of history, carried over to every
//! interval: what a plan without an AHT forecast uses).
//! Scored intervals are those with an observed volume above zero and a handle time, and the
//! errors are weighted by the actual volume, since an interval's handle time matters in
//! proportion to its calls:
//!
//! * WAPE = Σ v·|a − â| / Σ v·a × 100 (percent of the handled work),
//! * MAE = Σ v·|a − â| / Σ v (seconds per contact),
//! * bias = Σ v·(â − a) / Σ v·a × 100 (percent; positive = too long).

use super::backtest::label;
use super::{forecast_aht, BacktestOptions, ForecastGrid, Series};
use crate::error::{Error, Result};

/// One handle-time forecast on one fold.
#[derive(Debug, Clone, PartialEq)]
pub struct AhtFold {
    /// `slot_weighted`, `time_of_day` or `last_week_mean`.
    pub method: String,
    /// Fold number, 1 = oldest.
    pub fold: usize,
    /// Volume-weighted WAPE, percent.
    pub wape: f64,
    /// Volume-weighted mean absolute error, seconds.
    pub mae_seconds: f64,
    /// Volume-weighted bias, percent.
    pub bias: f64,
    /// Scored intervals.
    pub n: usize,
}

/// Handle-time backtest of a history with handle time; `None` when it has none.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--horizon` when `opts.horizon_minutes` is not a positive multiple of
/// the series' interval or `opts.folds` is 0, or `--folds` when the folds leave less than three
/// weeks of training data.
pub fn aht_backtest(series: &Series, opts: BacktestOptions) -> Result<Option<Vec<AhtFold>>> {
    if !series.has_aht() {
        return Ok(None);
    }
    let step = series.horizon().interval_minutes();
    if opts.horizon_minutes == 0 || opts.horizon_minutes % step != 0 || opts.folds == 0 {
        return Err(Error::invalid(
            "--horizon",
            format!("must be a positive multiple of the {step}-minute interval"),
        ));
    }
    let h = (opts.horizon_minutes / step) as usize;
    let need = h.saturating_mul(opts.folds);
    if series.len() < need + 21 * series.day_slots() {
        return Err(Error::invalid(
            "--folds",
            format!(
                "{} folds of {} leave less than three weeks of training data",
                opts.folds,
                label(opts.horizon_minutes)
            ),
        ));
    }
    let mut out = Vec::new();
    for f in 0..opts.folds {
        let origin = series.len() - need + f * h;
        let train = series.truncate(origin)?;
        let target = ForecastGrid::after(&train, h)?;
        let slot = match forecast_aht(&train, &target) {
            Ok(v) => v,
            Err(_) => continue, // no handle time in this fold's training data
        };
        let week = 7 * series.day_slots();
        let (mut num, mut den) = (0.0, 0.0);
        for i in origin.saturating_sub(week)..origin {
            if let (Some(v), Some(a)) = (train.volume(i), train.aht(i)) {
                num += v * a;
                den += v;
            }
        }
        let carried = if den > 0.0 { num / den } else { f64::NAN };
        let tod = aht_time_of_day(&train, &target, carried);
        for (name, pred) in [
            ("slot_weighted", slot.clone()),
            ("time_of_day", tod),
            ("last_week_mean", vec![carried; h]),
        ] {
            let (mut err, mut signed, mut work, mut vol, mut n) = (0.0, 0.0, 0.0, 0.0, 0);
            for (k, p) in pred.iter().enumerate() {
                let (Some(v), Some(a)) = (series.volume(origin + k), series.aht(origin + k)) else {
                    continue;
                };
                if v <= 0.0 || !p.is_finite() {
                    continue;
                }
                err += v * (a - p).abs();
                signed += v * (p - a);
                work += v * a;
                vol += v;
                n += 1;
            }
            if n > 0 && work > 0.0 {
                out.push(AhtFold {
                    method: name.to_string(),
                    fold: f + 1,
                    wape: 100.0 * err / work,
                    mae_seconds: err / vol,
                    bias: 100.0 * signed / work,
                    n,
                });
            }
        }
    }
    Ok(Some(out))
}

/// Contacts of prior weight in [`aht_time_of_day`]: a time of day with this many contacts
/// in the last 28 days is half its own mean, half the last week's.
pub const AHT_PRIOR_CONTACTS: f64 = 30.0;

/// Handle-time forecast per interval of `target`: the volume-weighted mean handle time of
/// the same local time of day over the last 28 days of `history` (every weekday pooled:
/// four times the contacts of one weekday, so less noise from a few long calls), shrunk
/// toward `level` (the last week's mean) with a prior of [`AHT_PRIOR_CONTACTS`] contacts:
/// `(Σ v·a + k·level) / (Σ v + k)`. With `level` not finite, the unshrunk mean (or NaN for a
/// time of day without contacts).
pub fn aht_time_of_day(history: &Series, target: &ForecastGrid, level: f64) -> Vec<f64> {
    let ds = history.day_slots().max(1);
    let (mut num, mut den) = (vec![0.0; ds], vec![0.0; ds]);
    for i in history.len().saturating_sub(28 * ds)..history.len() {
        if let (Some(v), Some(a)) = (history.volume(i), history.aht(i)) {
            let d = history.day_slot(i);
            if let (Some(n), Some(m)) = (num.get_mut(d), den.get_mut(d)) {
                *n += v * a;
                *m += v;
            }
        }
    }
    let k = AHT_PRIOR_CONTACTS;
    target
        .day_slot
        .iter()
        .map(|d| {
            let (n, m) = (
                num.get(*d).copied().unwrap_or(0.0),
                den.get(*d).copied().unwrap_or(0.0),
            );
            if level.is_finite() {
                (n + k * level) / (m + k)
            } else if m > 0.0 {
                n / m
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// Mean WAPE, MAE and bias per method over the folds, as a text table.
pub fn aht_table(folds: &[AhtFold]) -> String {
    let mut s = format!(
        "{:<16} {:>6} {:>9} {:>8} {:>7}\n",
        "AHT method", "folds", "WAPE%", "MAE s", "bias%"
    );
    for m in ["slot_weighted", "time_of_day", "last_week_mean"] {
        let rows: Vec<&AhtFold> = folds.iter().filter(|f| f.method == m).collect();
        if rows.is_empty() {
            continue;
        }
        let k = rows.len() as f64;
        let avg = |g: fn(&AhtFold) -> f64| rows.iter().map(|r| g(r)).sum::<f64>() / k;
        s.push_str(&format!(
            "{:<16} {:>6} {:>9.2} {:>8.1} {:>7.2}\n",
            m,
            rows.len(),
            avg(|r| r.wape),
            avg(|r| r.mae_seconds),
            avg(|r| r.bias)
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{parse_history, HistoryFormat};

    #[test]
    fn time_of_day_pools_the_last_28_days_and_shrinks_toward_the_level() {
        // 35 days, 09:00 and 10:00 open; the first week has 1 000 s calls (outside the
        // window), then 09:00 holds 10 calls of 200 s and 10:00 30 calls of 400 s.
        let mut csv = String::from("interval_start,volume,aht_seconds\n");
        for d in 0..35 {
            let date = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap_or_default()
                + chrono::Duration::days(d);
            let (a9, a10) = if d < 7 {
                (1000.0, 1000.0)
            } else {
                (200.0, 400.0)
            };
            csv += &format!("{date}T09:00:00Z,10,{a9}\n{date}T10:00:00Z,30,{a10}\n");
        }
        let s = parse_history("h.csv", &csv, &HistoryFormat::default()).unwrap();
        let target = ForecastGrid::after(&s, 24).unwrap();
        let f = aht_time_of_day(&s, &target, 350.0);
        // 28 days × 10 calls at 200 s with 30 calls of prior at 350 s.
        let want9 = (280.0 * 200.0 + 30.0 * 350.0) / 310.0;
        let want10 = (840.0 * 400.0 + 30.0 * 350.0) / 870.0;
        assert!((f[9] - want9).abs() < 1e-9, "{}", f[9]);
        assert!((f[10] - want10).abs() < 1e-9, "{}", f[10]);
        // Without a level: the plain pooled mean; a time of day never seen: NaN.
        let g = aht_time_of_day(&s, &target, f64::NAN);
        assert!((g[9] - 200.0).abs() < 1e-9);
        assert!(g[3].is_nan());
    }
}
