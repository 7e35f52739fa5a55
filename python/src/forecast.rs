//! Forecasting: the methods, rolling-origin backtests, forecasts, and another tool's
//! forecast scored on the backtest's own folds. Histories come as a file path or as CSV
//! text (the Python layer writes a DataFrame as CSV, so every check of the library's
//! reader applies, with line numbers counted from the header as line 1).

use crate::errors::{catch, guard, invalid};
use crate::intake::special_days;
use numpy::PyArray1;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::path::PathBuf;
use wfm::forecast::{self as wf, Backtest, BacktestOptions, ForecastFile, HistoryFormat, Series};
use wfm::time::fmt_utc;

/// Where a CSV comes from: a file, or text with the name errors show.
pub enum Source {
    /// A file path.
    Path(PathBuf),
    /// CSV text and its shown name.
    Text(String, String),
}

impl Source {
    /// From the Python arguments: a path, or text and a name.
    pub fn new(
        py: Python<'_>,
        path: Option<PathBuf>,
        text: Option<String>,
        name: &str,
    ) -> PyResult<Self> {
        match (path, text) {
            (Some(p), None) => Ok(Source::Path(p)),
            (None, Some(t)) => Ok(Source::Text(t, name.to_string())),
            _ => Err(invalid(py, name, "give a file path or CSV text, not both")),
        }
    }
}

pub fn history(src: &Source, tz: &str, interval: Option<&str>) -> wfm::Result<Series> {
    let format = HistoryFormat {
        tz: wfm::time::parse_tz("tz", tz)?,
        interval_minutes: interval
            .map(|s| wf::parse_minutes("interval", s))
            .transpose()?,
        ..HistoryFormat::default()
    };
    match src {
        Source::Path(p) => wf::read_history(p, &format),
        Source::Text(t, name) => wf::parse_history(name, t, &format),
    }
}

/// Result rows as columns: method, fold, origin, horizon, n and the metrics; pinball and
/// coverage are `None` without quantiles.
#[derive(Default)]
struct Rows {
    method: Vec<String>,
    fold: Vec<usize>,
    origin: Vec<String>,
    horizon: Vec<String>,
    n: Vec<usize>,
    mae: Vec<f64>,
    rmse: Vec<f64>,
    wape: Vec<f64>,
    smape: Vec<f64>,
    mase: Vec<f64>,
    bias: Vec<f64>,
    pinball: Vec<Option<f64>>,
    coverage80: Vec<Option<f64>>,
}

impl Rows {
    fn push(
        &mut self,
        method: &str,
        fold: usize,
        origin: String,
        horizon: &str,
        a: &wf::Accuracy,
        i: Option<wf::IntervalScore>,
    ) {
        self.method.push(method.to_string());
        self.fold.push(fold);
        self.origin.push(origin);
        self.horizon.push(horizon.to_string());
        self.n.push(a.n);
        self.mae.push(a.mae);
        self.rmse.push(a.rmse);
        self.wape.push(a.wape);
        self.smape.push(a.smape);
        self.mase.push(a.mase);
        self.bias.push(a.bias);
        self.pinball.push(i.map(|i| i.pinball));
        self.coverage80.push(i.map(|i| i.coverage80));
    }

    fn is_empty(&self) -> bool {
        self.method.is_empty()
    }

    fn into_dict(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("method", self.method)?;
        d.set_item("fold", self.fold)?;
        d.set_item("origin", self.origin)?;
        d.set_item("horizon", self.horizon)?;
        d.set_item("n", self.n)?;
        d.set_item("mae", self.mae)?;
        d.set_item("rmse", self.rmse)?;
        d.set_item("wape", self.wape)?;
        d.set_item("smape", self.smape)?;
        d.set_item("mase", self.mase)?;
        d.set_item("bias", self.bias)?;
        d.set_item("pinball", self.pinball)?;
        d.set_item("coverage80", self.coverage80)?;
        Ok(d)
    }
}

fn backtest_dict<'py>(py: Python<'py>, bt: &Backtest) -> PyResult<Bound<'py, PyDict>> {
    let mut rows = Rows::default();
    for r in &bt.results {
        rows.push(
            &r.method,
            r.fold,
            fmt_utc(r.origin),
            &r.horizon,
            &r.accuracy,
            r.intervals,
        );
    }
    let d = PyDict::new(py);
    d.set_item("rows", rows.into_dict(py)?)?;
    let ranking: Vec<(String, f64)> = bt
        .ranking
        .iter()
        .map(|(m, a)| (m.clone(), a.wape))
        .collect();
    d.set_item("ranking", ranking)?;
    d.set_item("horizon", &bt.horizon)?;
    d.set_item("unscored_folds", bt.unscored_folds.clone())?;
    d.set_item("origins", bt.origins())?;
    d.set_item("table", bt.table())?;
    Ok(d)
}

fn chosen_methods(names: Option<Vec<String>>) -> wfm::Result<Vec<Box<dyn wf::Method>>> {
    match names {
        None => Ok(wf::methods()),
        Some(n) => n.iter().map(|m| wf::method_by_name(m)).collect(),
    }
}

/// The names of the built-in forecasting methods, in report order.
#[pyfunction]
pub fn methods() -> Vec<&'static str> {
    wf::methods().iter().map(|m| m.name()).collect()
}

/// A rolling-origin backtest of `methods` (all by default) on a history.
#[pyfunction]
#[pyo3(signature = (path, text, name, tz, interval, horizon, folds, methods=None, special_path=None, special_text=None))]
#[allow(clippy::too_many_arguments)]
pub fn backtest<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    tz: &str,
    interval: Option<&str>,
    horizon: &str,
    folds: usize,
    methods: Option<Vec<String>>,
    special_path: Option<PathBuf>,
    special_text: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let src = Source::new(py, path, text, name)?;
    let special = special_source(py, special_path, special_text)?;
    let bt = py.detach(|| {
        catch(|| {
            let series = without_special(history(&src, tz, interval)?, special.as_ref())?;
            let opts = BacktestOptions {
                horizon_minutes: wf::parse_minutes("horizon", horizon)?,
                folds,
            };
            wf::backtest(&series, &chosen_methods(methods)?, opts)
        })
    });
    backtest_dict(py, &guard(py, || bt)?)
}

/// A forecast of `horizon` after the history with `method` (`"best"`: the lowest mean WAPE
/// in a backtest over `folds` origins).
#[pyfunction]
#[pyo3(signature = (path, text, name, tz, interval, horizon, method, folds=None, aht_seconds=None, special_path=None, special_text=None))]
#[allow(clippy::too_many_arguments)]
pub fn forecast<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    tz: &str,
    interval: Option<&str>,
    horizon: &str,
    method: &str,
    folds: Option<usize>,
    aht_seconds: Option<f64>,
    special_path: Option<PathBuf>,
    special_text: Option<String>,
) -> PyResult<Bound<'py, PyDict>> {
    let src = Source::new(py, path, text, name)?;
    let special = special_source(py, special_path, special_text)?;
    let out = py.detach(|| {
        catch(|| {
            let series = history(&src, tz, interval)?;
            let special = special.as_ref().map(special_days).transpose()?;
            let minutes = wf::parse_minutes("horizon", horizon)?;
            let step = series.horizon().interval_minutes();
            if minutes % step != 0 {
                return Err(wfm::Error::invalid(
                    "horizon",
                    format!("must be a multiple of the {step}-minute interval"),
                ));
            }
            let (m, bt) = if method == "best" {
                let folds = match folds {
                    Some(f) => f,
                    None => default_folds(&series, minutes)?,
                };
                let fit = match &special {
                    Some(sd) => series.without_dates(&sd.days.iter().map(|d| d.date).collect()),
                    None => series.clone(),
                };
                let (m, bt) = wf::best_method(&fit, minutes, folds)?;
                (m, Some(bt))
            } else {
                (wf::method_by_name(method)?, None)
            };
            let len = (minutes / step) as usize;
            let fc = match &special {
                Some(sd) => {
                    wf::forecast_with_special_days(&series, m.as_ref(), len, aht_seconds, sd)?
                }
                None => wf::forecast(&series, m.as_ref(), len, aht_seconds)?,
            };
            Ok((fc, bt))
        })
    });
    let (fc, bt) = guard(py, || out)?;
    let d = PyDict::new(py);
    d.set_item("method", &fc.method)?;
    let starts: Vec<String> = fc.horizon.starts().map(fmt_utc).collect();
    d.set_item("interval_start_utc", starts)?;
    d.set_item("volume", PyArray1::from_vec(py, fc.volume))?;
    d.set_item("aht_seconds", PyArray1::from_vec(py, fc.aht_seconds))?;
    d.set_item("open", PyArray1::from_vec(py, fc.open))?;
    let q = PyList::empty(py);
    for (level, values) in fc.quantiles {
        q.append((wf::quantile_column(level), PyArray1::from_vec(py, values)))?;
    }
    d.set_item("quantiles", q)?;
    match bt {
        Some(bt) => d.set_item("backtest", backtest_dict(py, &bt)?)?,
        None => d.set_item("backtest", py.None())?,
    }
    Ok(d)
}

/// The special-day calendar's source, if one is given.
fn special_source(
    py: Python<'_>,
    path: Option<PathBuf>,
    text: Option<String>,
) -> PyResult<Option<Source>> {
    if path.is_none() && text.is_none() {
        return Ok(None);
    }
    Source::new(py, path, text, "special_days").map(Some)
}

/// The history without the calendar's dates (as `wfm forecast backtest --special-days`).
fn without_special(series: Series, special: Option<&Source>) -> wfm::Result<Series> {
    Ok(match special {
        Some(src) => {
            let sd = special_days(src)?;
            series.without_dates(&sd.days.iter().map(|d| d.date).collect())
        }
        None => series,
    })
}

/// Folds of `wfm forecast --method best` when none are given: 4, or as many as the history
/// holds after the backtest's three weeks of training; none is an error saying how long
/// the history must be.
fn default_folds(series: &Series, horizon_minutes: u32) -> wfm::Result<usize> {
    let step = series.horizon().interval_minutes().max(1);
    let h = (horizon_minutes / step).max(1) as usize;
    let slots = series.day_slots().max(1);
    let fit = series.len().saturating_sub(21 * slots) / h;
    if fit == 0 {
        let label = wf::backtest::label(horizon_minutes);
        return Err(wfm::Error::invalid(
            "folds",
            format!(
                "the history holds {} days: a backtest of {label} needs three weeks of \
                 training plus {label} ({} days); give a shorter horizon or, to forecast \
                 without a backtest, a method such as weekly_average",
                series.len() / slots,
                (21 * slots + h).div_ceil(slots)
            ),
        ));
    }
    Ok(fit.min(4))
}

/// Scores a forecast made by any tool on the folds of a backtest of the same history,
/// horizon and folds: each fold's rows of the forecast against that fold's actuals, MASE
/// scaled by the fold's training history, exactly as the backtest scores its methods.
#[pyfunction]
#[pyo3(signature = (path, text, name, tz, interval, horizon, folds, forecast_path, forecast_text, forecast_name, label))]
#[allow(clippy::too_many_arguments)]
pub fn score_folds<'py>(
    py: Python<'py>,
    path: Option<PathBuf>,
    text: Option<String>,
    name: &str,
    tz: &str,
    interval: Option<&str>,
    horizon: &str,
    folds: usize,
    forecast_path: Option<PathBuf>,
    forecast_text: Option<String>,
    forecast_name: &str,
    label: &str,
) -> PyResult<Bound<'py, PyDict>> {
    let src = Source::new(py, path, text, name)?;
    let fsrc = Source::new(py, forecast_path, forecast_text, forecast_name)?;
    let out =
        py.detach(|| catch(|| score_on_folds(&src, &fsrc, tz, interval, horizon, folds, label)));
    let (rows, unscored, origins) = guard(py, || out)?;
    let d = PyDict::new(py);
    d.set_item("rows", rows.into_dict(py)?)?;
    d.set_item("unscored_folds", unscored)?;
    d.set_item("origins", origins)?;
    Ok(d)
}

type Scored = (Rows, Vec<usize>, Vec<String>);

fn score_on_folds(
    src: &Source,
    fsrc: &Source,
    tz: &str,
    interval: Option<&str>,
    horizon: &str,
    folds: usize,
    label: &str,
) -> wfm::Result<Scored> {
    let series = history(src, tz, interval)?;
    let fc = match fsrc {
        Source::Path(p) => wf::read_forecast(p)?,
        Source::Text(t, n) => wf::parse_forecast(n, t)?,
    };
    let minutes = wf::parse_minutes("horizon", horizon)?;
    // The folds are the backtest's own: its checks, origins and full-horizon label.
    let naive = vec![wf::method_by_name("seasonal_naive")?];
    let bt = wf::backtest(
        &series,
        &naive,
        BacktestOptions {
            horizon_minutes: minutes,
            folds,
        },
    )?;
    let mut origins: Vec<(usize, chrono::DateTime<chrono::Utc>)> =
        bt.results.iter().map(|r| (r.fold, r.origin)).collect();
    origins.sort();
    origins.dedup();
    let span = chrono::Duration::minutes(i64::from(minutes));
    let mut rows = Rows::default();
    let mut unscored = bt.unscored_folds.clone();
    for (fold, origin) in &origins {
        let end = *origin + span;
        let keep: Vec<usize> = (0..fc.starts.len())
            .filter(|&r| fc.starts[r] >= *origin && fc.starts[r] < end)
            .collect();
        let sub = ForecastFile {
            starts: keep.iter().map(|&r| fc.starts[r]).collect(),
            volume: keep.iter().map(|&r| fc.volume[r]).collect(),
            quantiles: fc
                .quantiles
                .iter()
                .map(|(l, q)| (*l, keep.iter().map(|&r| q[r]).collect()))
                .collect(),
            aht_seconds: None,
        };
        let train = match series.index_of(*origin) {
            Some(i) => series.truncate(i)?,
            None => series.clone(),
        };
        if sub.starts.is_empty() {
            unscored.push(*fold);
            continue;
        }
        let sc = match wf::score(&series, &sub, Some(&train)) {
            Ok(sc) => sc,
            Err(wfm::Error::Invalid { .. }) => {
                unscored.push(*fold);
                continue;
            }
            Err(e) => return Err(e),
        };
        for (lab, a, i) in &sc.rows {
            // A one-day backtest has one row per fold: the whole window is the next day.
            if lab == "1d" && bt.horizon == "1d" {
                continue;
            }
            let lab = if lab == "all" {
                bt.horizon.as_str()
            } else {
                lab.as_str()
            };
            rows.push(label, *fold, fmt_utc(*origin), lab, a, *i);
        }
    }
    unscored.sort_unstable();
    if rows.is_empty() {
        return Err(wfm::Error::invalid(
            "forecast",
            format!(
                "no row falls on an observed interval of any backtest fold (origins {})",
                bt.origins().join(", ")
            ),
        ));
    }
    Ok((rows, unscored, bt.origins()))
}
