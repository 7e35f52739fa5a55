//! Scoring a forecast made by any tool against actuals, on the metrics of the backtests.
//!
//! The forecast is a CSV with an `interval_start_utc` column (RFC 3339), a `volume` column
//! and optionally quantile columns `volume_pNN` (what `wfm forecast` writes; other tools
//! can write the same three-column file). Every observed interval of the actuals that the
//! forecast covers is scored; actual intervals the forecast does not cover and forecast
//! rows outside the actuals are counted and reported, never silently dropped. Scores are
//! given over the whole overlap and over its first local day with a scored interval
//! (`1d`), as in backtests.

use super::history::parse_number;
use super::intervals::IntervalScore;
use super::metrics::{seasonal_naive_scale, Accuracy};
use super::Series;
use crate::error::{Error, Result};
use crate::limits;
use crate::time::fmt_utc;
use chrono::{DateTime, Utc};
use std::path::Path;

/// A forecast read from CSV.
#[derive(Debug, Clone)]
pub struct ForecastFile {
    /// Interval starts, one per row, in file order.
    pub starts: Vec<DateTime<Utc>>,
    /// Volume per row.
    pub volume: Vec<f64>,
    /// Quantile columns `(level, values per row)`, levels increasing.
    pub quantiles: Vec<(f64, Vec<f64>)>,
    /// Handle time per row, seconds, when the file has an `aht_seconds` column.
    pub aht_seconds: Option<Vec<f64>>,
}

/// Reads a forecast CSV (`interval_start_utc,volume[,volume_pNN...]`); `shown` names the
/// file in errors, which carry the 1-based line.
///
/// # Errors
///
/// [`Error::Parse`] naming `shown` and the line when the header cannot be read, lacks
/// `interval_start_utc` or `volume`, or has a `volume_pNN` column whose percent is not a number
/// between 0 and 100; when a row is not valid CSV or lacks a value, a time is not RFC 3339 or not
/// after the row before, or a volume, quantile or handle time is not a finite number ≥ 0 (at most
/// [`limits::MAX_VOLUME`] contacts, [`limits::MAX_AHT_SECONDS`] seconds); or (line
/// 2) when the file has no row.
pub fn parse_forecast(shown: &str, text: &str) -> Result<ForecastFile> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Error::parse(shown, 1, e.to_string()))?
        .clone();
    let col = |name: &str| {
        crate::limits::unique_column(shown, &headers, name)?
            .ok_or_else(|| Error::parse(shown, 1, format!("missing column {name:?}")))
    };
    let (c_t, c_v) = (col("interval_start_utc")?, col("volume")?);
    let c_a = crate::limits::unique_column(shown, &headers, "aht_seconds")?;
    let mut qcols: Vec<(f64, usize)> = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        if let Some(p) = h.strip_prefix("volume_p") {
            let pct: f64 = p.parse().map_err(|_| {
                Error::parse(
                    shown,
                    1,
                    format!("column {h:?}: expected volume_pNN, NN a percent"),
                )
            })?;
            if !(pct > 0.0 && pct < 100.0) {
                return Err(Error::parse(
                    shown,
                    1,
                    format!("column {h:?}: the percent must be between 0 and 100"),
                ));
            }
            qcols.push((pct / 100.0, c));
        }
    }
    qcols.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = ForecastFile {
        starts: Vec::new(),
        volume: Vec::new(),
        quantiles: qcols.iter().map(|(l, _)| (*l, Vec::new())).collect(),
        aht_seconds: c_a.map(|_| Vec::new()),
    };
    for (k, rec) in reader.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        let rec = rec.map_err(|e| Error::parse(shown, line, e.to_string()))?;
        let get = |c: usize, name: &str| {
            rec.get(c)
                .ok_or_else(|| Error::parse(shown, line, format!("missing value in column {name}")))
        };
        let raw = get(c_t, "interval_start_utc")?;
        let t = crate::time::parse_interval_start(shown, line, raw)?;
        if let Some(prev) = out.starts.last() {
            if t <= *prev {
                return Err(Error::parse(
                    shown,
                    line,
                    format!(
                        "interval_start_utc {} is not after the row before",
                        fmt_utc(t)
                    ),
                ));
            }
        }
        let num = |c: usize, name: &str, max: f64| -> Result<f64> {
            parse_number(get(c, name)?, name, max).map_err(|r| Error::parse(shown, line, r))
        };
        out.starts.push(t);
        out.volume.push(num(c_v, "volume", limits::MAX_VOLUME)?);
        if let (Some(c), Some(a)) = (c_a, out.aht_seconds.as_mut()) {
            a.push(num(c, "aht_seconds", limits::MAX_AHT_SECONDS)?);
        }
        for (j, (_, c)) in qcols.iter().enumerate() {
            let v = num(*c, &headers[*c], limits::MAX_VOLUME)?;
            out.quantiles[j].1.push(v);
        }
    }
    if out.starts.is_empty() {
        return Err(Error::parse(shown, 2, "the forecast has no row"));
    }
    Ok(out)
}

/// Reads [`parse_forecast`] from `path`.
///
/// # Errors
///
/// [`Error::Io`] naming `path` when the file cannot be read; [`Error::Parse`] naming it when it
/// is larger than [`crate::limits::MAX_CSV_BYTES`] or not UTF-8; and the errors of
/// [`parse_forecast`].
pub fn read_forecast(path: &Path) -> Result<ForecastFile> {
    let shown = path.display().to_string();
    let text =
        crate::limits::read_text(path, &shown, "forecast file", crate::limits::MAX_CSV_BYTES)?;
    parse_forecast(&shown, &text)
}

/// The scores of one forecast.
#[derive(Debug, Clone)]
pub struct Score {
    /// `(horizon label, accuracy, interval scores)`: `1d` (first local day with a scored
    /// interval) and `all` (the whole overlap).
    pub rows: Vec<(String, Accuracy, Option<IntervalScore>)>,
    /// Observed actual intervals inside the forecast's span without a forecast row.
    pub actuals_without_forecast: usize,
    /// Forecast rows outside the actuals' grid or on intervals without an observation.
    pub forecast_rows_unscored: usize,
}

/// Scores `fc` against the observed intervals of `actuals`. MASE is scaled by the
/// in-sample weekly seasonal naive error of `history` when given, else of the actuals.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--forecast` when no row of `fc` falls on an observed interval of
/// `actuals`.
pub fn score(actuals: &Series, fc: &ForecastFile, history: Option<&Series>) -> Result<Score> {
    let mut idx: Vec<(usize, usize)> = Vec::new(); // (actual index, forecast row)
    let mut unscored = 0;
    for (r, t) in fc.starts.iter().enumerate() {
        match actuals
            .index_of(*t)
            .filter(|i| actuals.horizon().interval_start(*i) == *t)
        {
            Some(i) if actuals.volume(i).is_some() => idx.push((i, r)),
            _ => unscored += 1,
        }
    }
    if idx.is_empty() {
        return Err(Error::invalid(
            "--forecast",
            "no forecast row falls on an observed interval of the actuals (check the dates and --interval)",
        ));
    }
    let (first, last) = (
        fc.starts.first().copied().unwrap_or_default(),
        fc.starts.last().copied().unwrap_or_default(),
    );
    let covered: std::collections::HashSet<usize> = idx.iter().map(|(i, _)| *i).collect();
    let missing = (0..actuals.len())
        .filter(|i| {
            let t = actuals.horizon().interval_start(*i);
            t >= first && t <= last && actuals.volume(*i).is_some() && !covered.contains(i)
        })
        .count();
    let scale = seasonal_naive_scale(history.unwrap_or(actuals)).unwrap_or(f64::NAN);
    let tz = actuals.tz();
    let day = |i: usize| {
        actuals
            .horizon()
            .interval_start(i)
            .with_timezone(&tz)
            .date_naive()
    };
    let first_day = day(idx[0].0);
    let views: Vec<(String, Vec<(usize, usize)>)> = vec![
        (
            "1d".to_string(),
            idx.iter()
                .copied()
                .filter(|(i, _)| day(*i) == first_day)
                .collect(),
        ),
        ("all".to_string(), idx.clone()),
    ];
    let mut rows = Vec::new();
    for (lab, v) in views {
        let actual: Vec<f64> = v
            .iter()
            .map(|(i, _)| actuals.volume(*i).unwrap_or(0.0))
            .collect();
        let pred: Vec<f64> = v.iter().map(|(_, r)| fc.volume[*r]).collect();
        let levels: Vec<f64> = fc.quantiles.iter().map(|(l, _)| *l).collect();
        let qs: Vec<Vec<f64>> = fc
            .quantiles
            .iter()
            .map(|(_, q)| v.iter().map(|(_, r)| q[*r]).collect())
            .collect();
        let ints = IntervalScore::compute(&actual, &levels, &qs);
        if let Some(a) = Accuracy::compute(&actual, &pred, scale) {
            rows.push((lab, a, ints));
        }
    }
    Ok(Score {
        rows,
        actuals_without_forecast: missing,
        forecast_rows_unscored: unscored,
    })
}

impl Score {
    /// The scores as a text table.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<7} {:>6} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7} {:>8} {:>6}\n",
            "horizon", "n", "MAE", "RMSE", "WAPE%", "sMAPE%", "MASE", "bias%", "pinball%", "cov80%"
        );
        for (lab, a, i) in &self.rows {
            let (p, c) = match i {
                Some(i) => (format!("{:.2}", i.pinball), format!("{:.1}", i.coverage80)),
                None => ("-".to_string(), "-".to_string()),
            };
            s.push_str(&format!(
                "{:<7} {:>6} {:>9.2} {:>9.2} {:>7.2} {:>7.2} {:>7.3} {:>7.2} {:>8} {:>6}\n",
                lab, a.n, a.mae, a.rmse, a.wape, a.smape, a.mase, a.bias, p, c
            ));
        }
        s
    }
}
