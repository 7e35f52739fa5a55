//! Forecast accuracy metrics.
//!
//! Over the scored intervals (observed in the test window; closed and missing intervals
//! are never scored), with actual `y`, forecast `ŷ`, error `e = y − ŷ`:
//!
//! * MAE = mean |e|; RMSE = √(mean e²), in contacts per interval.
//! * WAPE = Σ|e| / Σ|y| × 100 (percent): the error as a share of the work.
//! * sMAPE = mean of 200 · |e| / (|y| + |ŷ|) (percent, 0..200; an interval with
//!   `y = ŷ = 0` counts as 0).
//! * MASE = MAE / (in-sample MAE of the one-week seasonal naive forecast on the training
//!   history): below 1 beats last week's value on average.
//! * Bias = Σ(ŷ − y) / Σ y × 100 (percent): positive when the forecast is too high.

use super::Series;
use serde::Serialize;

/// Accuracy of one forecast over its scored intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Accuracy {
    /// Mean absolute error.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Weighted absolute percentage error, percent.
    pub wape: f64,
    /// Symmetric mean absolute percentage error, percent.
    pub smape: f64,
    /// Mean absolute scaled error (scale: in-sample weekly seasonal naive).
    pub mase: f64,
    /// Bias: Σ(ŷ − y) / Σ y × 100 (percent; positive = over-forecast).
    pub bias: f64,
    /// Σ y over the scored intervals (pooled WAPE = Σ MAE·n / Σ actual_sum).
    pub actual_sum: f64,
    /// Number of scored intervals.
    pub n: usize,
}

impl Accuracy {
    /// Metrics of `forecast` against `actual` (same length), with MASE scale `scale`.
    /// Returns `None` when nothing is scored. Non-finite or zero `scale` gives MASE NaN.
    pub fn compute(actual: &[f64], forecast: &[f64], scale: f64) -> Option<Accuracy> {
        let n = actual.len().min(forecast.len());
        if n == 0 {
            return None;
        }
        let (mut abs, mut sq, mut tot, mut sm, mut signed) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (y, f) in actual.iter().zip(forecast) {
            let e = y - f;
            signed -= e;
            abs += e.abs();
            sq += e * e;
            tot += y.abs();
            let d = y.abs() + f.abs();
            if d > 0.0 {
                sm += 200.0 * e.abs() / d;
            }
        }
        let nf = n as f64;
        let mae = abs / nf;
        Some(Accuracy {
            mae,
            rmse: (sq / nf).sqrt(),
            wape: if tot > 0.0 {
                100.0 * abs / tot
            } else {
                f64::NAN
            },
            smape: sm / nf,
            mase: if scale.is_finite() && scale > 0.0 {
                mae / scale
            } else {
                f64::NAN
            },
            bias: if tot > 0.0 {
                100.0 * signed / tot
            } else {
                f64::NAN
            },
            actual_sum: tot,
            n,
        })
    }

    /// Pooled WAPE of several accuracies (percent): all absolute errors over all actuals,
    /// so a busy week weighs more than a quiet one. NaN without actuals.
    pub fn pooled_wape(all: &[Accuracy]) -> f64 {
        let err: f64 = all.iter().map(|a| a.mae * a.n as f64).sum();
        let tot: f64 = all.iter().map(|a| a.actual_sum).sum();
        if tot > 0.0 {
            100.0 * err / tot
        } else {
            f64::NAN
        }
    }

    /// Mean of several accuracies (each metric averaged; `n` summed).
    pub fn mean(all: &[Accuracy]) -> Option<Accuracy> {
        if all.is_empty() {
            return None;
        }
        let k = all.len() as f64;
        let avg = |f: fn(&Accuracy) -> f64| all.iter().map(f).sum::<f64>() / k;
        Some(Accuracy {
            mae: avg(|a| a.mae),
            rmse: avg(|a| a.rmse),
            wape: avg(|a| a.wape),
            smape: avg(|a| a.smape),
            mase: avg(|a| a.mase),
            bias: avg(|a| a.bias),
            actual_sum: all.iter().map(|a| a.actual_sum).sum(),
            n: all.iter().map(|a| a.n).sum(),
        })
    }
}

/// In-sample MAE of the one-week seasonal naive forecast: mean |y(t) − y(t − 1 local
/// week)| over observed pairs. `None` without any pair.
pub fn seasonal_naive_scale(history: &Series) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0usize);
    for (i, t) in history.horizon().starts().enumerate() {
        let Some(y) = history.volume(i) else { continue };
        let Some(p) = super::series::weeks_back(history.tz(), t, 1) else {
            continue;
        };
        if let Some(x) = history.index_of(p).and_then(|j| history.volume(j)) {
            s += (y - x).abs();
            n += 1;
        }
    }
    (n > 0).then(|| s / n as f64)
}
