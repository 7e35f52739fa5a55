//! Backtest of the handle-time forecast, on the same folds as the volume backtest.
//!
//! Two forecasts are compared on every fold: `slot_weighted` ([`super::forecast_aht`], the
//! one `wfm forecast` writes: the same local slot over the last four weeks, volume-weighted)
//! and `last_week_mean` (the volume-weighted mean handle time of the last seven days of
//! history, carried over to every interval: what a plan without an AHT forecast uses).
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
    /// `slot_weighted` or `last_week_mean`.
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
        for (name, pred) in [
            ("slot_weighted", slot.clone()),
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

/// Mean WAPE, MAE and bias per method over the folds, as a text table.
pub fn aht_table(folds: &[AhtFold]) -> String {
    let mut s = format!(
        "{:<16} {:>6} {:>9} {:>8} {:>7}\n",
        "AHT method", "folds", "WAPE%", "MAE s", "bias%"
    );
    for m in ["slot_weighted", "last_week_mean"] {
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
