//! Rolling-origin backtests and the ranking of methods.
//!
//! The series is cut at `folds` origins spaced one horizon apart, the last one a horizon
//! before the end of the data: fold `f` trains on everything before its origin and is
//! scored on the following horizon. Every method sees exactly the same cuts.
//!
//! Each fold is scored over two horizons: the whole window (e.g. `7d`, the next week) and
//! `1d`, the *next open day* (the first local day after the origin with an observed interval),
//! so a Saturday origin at a weekday-only centre scores Monday (Tuesday after a Monday
//! holiday). Only observed intervals are
//! scored. Methods are ranked by mean WAPE over the folds at the full horizon.
//!
//! Every method's forecast also gets quantiles from its own errors on the [`INNER_WEEKS`]
//! weeks before the fold's origin ([`IntervalModel`]), scored by pinball loss and by the
//! coverage of the 80 % interval: week-ahead errors up to a seven-day horizon; for a longer
//! one, inner forecasts as long as the horizon, so each week of lead gets widths from
//! errors at that lead. These forecasts are cached by origin: with a one-week horizon, or
//! any longer one, the folds and their inner weeks share them.

use super::intervals::{self, IntervalModel, IntervalScore, INNER_WEEKS};
use super::metrics::{seasonal_naive_scale, Accuracy};
use super::{predict_clean, ForecastGrid, Method, Series, Status};
use crate::error::{Error, Result};
use crate::time::fmt_utc;
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Backtest settings.
#[derive(Debug, Clone, Copy)]
pub struct BacktestOptions {
    /// Forecast window per fold, in minutes (a multiple of the interval).
    pub horizon_minutes: u32,
    /// Number of rolling origins.
    pub folds: usize,
}

/// One method on one fold at one horizon.
#[derive(Debug, Clone)]
pub struct FoldResult {
    /// Method name.
    pub method: String,
    /// Fold number, 1 = oldest origin.
    pub fold: usize,
    /// Origin (first forecast instant).
    pub origin: DateTime<Utc>,
    /// Horizon label (`1d` = next open day, or the full window such as `7d`).
    pub horizon: String,
    /// The metrics.
    pub accuracy: Accuracy,
    /// Scores of the quantiles (`None` when the training data is too short for an
    /// inner backtest).
    pub intervals: Option<IntervalScore>,
}

/// A finished backtest.
#[derive(Debug, Clone)]
pub struct Backtest {
    /// Every (method, fold, horizon) result.
    pub results: Vec<FoldResult>,
    /// Label of the full horizon, used for the ranking.
    pub horizon: String,
    /// Methods with their mean accuracy at the full horizon, best (lowest WAPE) first.
    pub ranking: Vec<(String, Accuracy)>,
    /// Folds (1-based) whose window holds no observed interval (all closed or missing):
    /// nothing to score, so they are absent from `results`.
    pub unscored_folds: Vec<usize>,
}

/// Label of a duration in minutes: `7d`, `12h`, `30m`.
pub fn label(minutes: u32) -> String {
    if minutes % 1440 == 0 {
        format!("{}d", minutes / 1440)
    } else if minutes % 60 == 0 {
        format!("{}h", minutes / 60)
    } else {
        format!("{minutes}m")
    }
}

/// Runs every method in `methods` over the folds.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--horizon` when `opts.horizon_minutes` is not a positive multiple of
/// the series' interval, or `--folds` when `opts.folds` is 0 or leaves less than three weeks of
/// training data before the first fold; and the errors of each method's [`Method::predict`] (e.g.
/// [`Error::Invalid`] naming `history` when a fold's training data is too short for `holt_winters`)
/// or the method's name when it returns a wrong count or a non-finite value.
pub fn backtest(
    series: &Series,
    methods: &[Box<dyn Method>],
    opts: BacktestOptions,
) -> Result<Backtest> {
    let step = series.horizon().interval_minutes();
    if opts.horizon_minutes == 0 || opts.horizon_minutes % step != 0 {
        return Err(Error::invalid(
            "--horizon",
            format!(
                "must be a positive multiple of the {step}-minute interval, got {} minutes",
                opts.horizon_minutes
            ),
        ));
    }
    if opts.folds == 0 {
        return Err(Error::invalid("--folds", "must be at least 1"));
    }
    let h = (opts.horizon_minutes / step) as usize;
    let need = h.saturating_mul(opts.folds);
    let min_train = 21 * series.day_slots();
    if series.len() < need.saturating_add(min_train) {
        return Err(Error::invalid(
            "--folds",
            format!(
                "{} folds of {} leave less than three weeks of training data ({} days of data)",
                opts.folds,
                label(opts.horizon_minutes),
                series.len() / series.day_slots().max(1)
            ),
        ));
    }
    let full = label(opts.horizon_minutes);
    // Weeks of lead the horizon spans: the inner forecasts behind the intervals reach as
    // far (one week up to a seven-day horizon).
    let lead_weeks = intervals::lead_weeks(h, series.day_slots());
    let mut results = Vec::new();
    let mut cache: Vec<HashMap<usize, Vec<f64>>> = vec![HashMap::new(); methods.len()];
    let mut unscored_folds = Vec::new();
    for f in 0..opts.folds {
        let origin = series.len() - need + f * h;
        let train = series.truncate(origin)?;
        let target = ForecastGrid::after(&train, h)?;
        let scale = seasonal_naive_scale(&train).unwrap_or(f64::NAN);
        // Scored intervals: observed ones in the window; and those of the next open day.
        let scored: Vec<usize> = (0..h)
            .filter(|k| series.status(origin + k) == Status::Open)
            .collect();
        if scored.is_empty() {
            unscored_folds.push(f + 1);
            continue;
        }
        let tz = series.tz();
        let first_open_day = scored.first().map(|k| {
            target
                .horizon
                .interval_start(*k)
                .with_timezone(&tz)
                .date_naive()
        });
        let next_day: Vec<usize> = scored
            .iter()
            .copied()
            .filter(|k| {
                Some(
                    target
                        .horizon
                        .interval_start(*k)
                        .with_timezone(&tz)
                        .date_naive(),
                ) == first_open_day
            })
            .collect();
        for (mi, m) in methods.iter().enumerate() {
            let span = intervals::inner_len(h, series.day_slots());
            let mut ahead = |o: usize| -> Result<Vec<f64>> {
                if let Some(p) = cache[mi].get(&o) {
                    return Ok(p.clone());
                }
                let tr = series.truncate(o)?;
                let p = predict_clean(&tr, m.as_ref(), &ForecastGrid::after(&tr, span)?)?;
                cache[mi].insert(o, p.clone());
                Ok(p)
            };
            let pred = if h == span {
                ahead(origin)?
            } else {
                predict_clean(&train, m.as_ref(), &target)?
            };
            let model = IntervalModel::fit_span_with(&train, INNER_WEEKS, lead_weeks, &mut ahead)?;
            let quantiles = model
                .as_ref()
                .map(|q| q.apply_slots(&pred, &target.day_slot));
            let mut views = vec![(full.clone(), &scored)];
            if opts.horizon_minutes > 1440 {
                views.insert(0, ("1d".to_string(), &next_day));
            }
            for (lab, idx) in views {
                let actual: Vec<f64> = idx
                    .iter()
                    .map(|k| series.volume(origin + k).unwrap_or(0.0))
                    .collect();
                let fc: Vec<f64> = idx
                    .iter()
                    .map(|k| pred.get(*k).copied().unwrap_or(0.0))
                    .collect();
                let intervals = quantiles.as_ref().zip(model.as_ref()).and_then(|(q, md)| {
                    let sub: Vec<Vec<f64>> = q
                        .iter()
                        .map(|l| {
                            idx.iter()
                                .map(|k| l.get(*k).copied().unwrap_or(0.0))
                                .collect()
                        })
                        .collect();
                    IntervalScore::compute(&actual, &md.levels, &sub)
                });
                if let Some(acc) = Accuracy::compute(&actual, &fc, scale) {
                    results.push(FoldResult {
                        method: m.name().to_string(),
                        fold: f + 1,
                        origin: target.horizon.start(),
                        horizon: lab,
                        accuracy: acc,
                        intervals,
                    });
                }
            }
        }
    }
    let mut ranking: Vec<(String, Accuracy)> = methods
        .iter()
        .filter_map(|m| {
            let accs: Vec<Accuracy> = results
                .iter()
                .filter(|r| r.method == m.name() && r.horizon == full)
                .map(|r| r.accuracy)
                .collect();
            Accuracy::mean(&accs).map(|a| (m.name().to_string(), a))
        })
        .collect();
    ranking.sort_by(|a, b| a.1.wape.total_cmp(&b.1.wape));
    Ok(Backtest {
        results,
        horizon: full,
        ranking,
        unscored_folds,
    })
}

impl Backtest {
    /// All results as CSV:
    /// `method,fold,horizon,mae,rmse,wape,smape,mase,bias,pinball,coverage80` (WAPE, sMAPE,
    /// bias, pinball and coverage in percent; the last two empty without intervals).
    pub fn to_csv(&self) -> String {
        let mut s =
            String::from("method,fold,horizon,mae,rmse,wape,smape,mase,bias,pinball,coverage80\n");
        for r in &self.results {
            let a = r.accuracy;
            let f = |x: f64| crate::io::cells::fixed(x, 4);
            let (p, c) = match r.intervals {
                Some(i) => (f(i.pinball), crate::io::cells::fixed(i.coverage80, 2)),
                None => (String::new(), String::new()),
            };
            s.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{}\n",
                r.method,
                r.fold,
                r.horizon,
                f(a.mae),
                f(a.rmse),
                f(a.wape),
                f(a.smape),
                f(a.mase),
                f(a.bias),
                p,
                c
            ));
        }
        s
    }

    /// The ranking as a text table, with each method's mean metrics per horizon (and the
    /// pooled WAPE, bias, pinball loss and 80 % coverage) and its WAPE relative to
    /// seasonal naive.
    pub fn table(&self) -> String {
        let naive = self
            .ranking
            .iter()
            .find(|(m, _)| m == "seasonal_naive")
            .map(|(_, a)| a.wape);
        let mut labels: Vec<String> = Vec::new();
        for r in &self.results {
            if !labels.contains(&r.horizon) {
                labels.push(r.horizon.clone());
            }
        }
        let mut s = format!(
            "{:<4} {:<16} {:>7} {:>8} {:>8} {:>7} {:>7} {:>7} {:>6} {:>6} {:>8} {:>6} {:>9}\n",
            "rank",
            "method",
            "horizon",
            "MAE",
            "RMSE",
            "WAPE%",
            "pooled%",
            "sMAPE%",
            "MASE",
            "bias%",
            "pinball%",
            "cov80%",
            "vs naive"
        );
        for (rank, (m, _)) in self.ranking.iter().enumerate() {
            for lab in &labels {
                let rows: Vec<&FoldResult> = self
                    .results
                    .iter()
                    .filter(|r| &r.method == m && &r.horizon == lab)
                    .collect();
                let accs: Vec<Accuracy> = rows.iter().map(|r| r.accuracy).collect();
                let ints: Vec<IntervalScore> = rows.iter().filter_map(|r| r.intervals).collect();
                let (pin, cov) = match IntervalScore::mean(&ints) {
                    Some(i) => (format!("{:.2}", i.pinball), format!("{:.1}", i.coverage80)),
                    None => ("-".to_string(), "-".to_string()),
                };
                let Some(a) = Accuracy::mean(&accs) else {
                    continue;
                };
                let rel = match (naive, lab == &self.horizon) {
                    (Some(n), true) if n > 0.0 => format!("{:+.1}%", 100.0 * (a.wape / n - 1.0)),
                    _ => String::new(),
                };
                s.push_str(&format!(
                    "{:<4} {:<16} {:>7} {:>8.2} {:>8.2} {:>7.2} {:>7.2} {:>7.2} {:>6.3} {:>6.2} {:>8} {:>6} {:>9}\n",
                    rank + 1,
                    m,
                    lab,
                    a.mae,
                    a.rmse,
                    a.wape,
                    Accuracy::pooled_wape(&accs),
                    a.smape,
                    a.mase,
                    a.bias,
                    pin,
                    cov,
                    rel
                ));
            }
        }
        s
    }

    /// Origins of the folds, oldest first, as RFC 3339 UTC.
    pub fn origins(&self) -> Vec<String> {
        let mut o: Vec<(usize, String)> = self
            .results
            .iter()
            .map(|r| (r.fold, fmt_utc(r.origin)))
            .collect();
        o.sort();
        o.dedup();
        o.into_iter().map(|(_, s)| s).collect()
    }
}
