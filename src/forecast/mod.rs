//! Forecasting contact volume and handle time per interval, and backtests that rank methods.
//!
//! * [`Series`] holds history on the UTC grid with explicit closed and missing intervals
//!   ([`series`]); [`read_history`] reads it from CSV ([`history`]); [`read_contact_log`]
//!   and [`aggregate`] turn a contact log into interval volume, handle time and abandonment,
//!   and [`mean_patience`] estimates patience for Erlang A ([`contacts`]); [`exports`] reads
//!   help-desk and call-record exports (Zendesk, Freshdesk, Salesforce, Jira, CDR) into
//!   per-queue interval histories with what was achieved.
//! * A forecasting method is one implementation of [`Method`] in its own file, listed once
//!   in [`methods`]: seasonal naive, weighted average of recent weeks, Holt-Winters with
//!   weekly seasonality, Taylor's double-seasonal Holt-Winters, a day-total × intraday
//!   profile model, the plain mean of recent same weekdays, and a trimmed same-weekday
//!   day total × intraday shares tuned by an inner backtest; [`ensemble`] adds the member
//!   chosen, or the three weighted, by an inner backtest at every origin.
//! * [`special_days`] leaves holidays, campaigns and outages out of fitting and forecasts
//!   them; [`reforecast`] re-forecasts the rest of a day from its morning (backtested),
//!   [`intraday`] does it live for one day's actuals.
//! * [`forecast`] runs one method over a horizon and adds the handle-time forecast
//!   ([`forecast_aht`]); [`Forecast::to_csv`] writes the file `wfm plan` scenarios read.
//! * [`backtest()`] evaluates every method on rolling origins with [`Accuracy`] metrics
//!   (MAE, RMSE, WAPE, sMAPE, MASE, bias) and interval scores ([`intervals`]: quantiles
//!   for every method, pinball loss, 80 % coverage) and ranks them; [`score()`] scores a
//!   forecast from any tool against actuals on the same metrics.
//!
//! ```
//! use wfm::forecast::{forecast, method_by_name, parse_history, HistoryFormat};
//!
//! // Four weeks of hourly history, open 09:00-17:00 UTC every day.
//! let mut csv = String::from("interval_start,volume,aht_seconds\n");
//! for day in 1..=28 {
//!     for h in 9..17 {
//!         csv += &format!("2027-02-{day:02}T{h:02}:00:00Z,{},240\n", 10 + h);
//!     }
//! }
//! let history = parse_history("history.csv", &csv, &HistoryFormat::default())?;
//! let method = method_by_name("weekly_average")?;
//! let week = forecast(&history, method.as_ref(), 7 * 24, None)?;
//! assert_eq!(week.volume.len(), 168);
//! assert_eq!(week.volume[9], 19.0); // 1 March, 09:00
//! assert_eq!(week.volume[3], 0.0); // closed at night
//! // Quantile columns follow the point forecast (a constant history has no error).
//! assert!(week.to_csv().starts_with(
//!     "interval_start_utc,volume,aht_seconds,volume_p10,volume_p50,volume_p80,volume_p90\n\
//!      2027-03-01T00:00:00Z,0.000,240.0,0.000,0.000,0.000,0.000\n"
//! ));
//! # Ok::<(), wfm::Error>(())
//! ```
//!
//! **Model of time.** Methods see the history as a sequence of *open* intervals. Closed
//! intervals (outside the calendar) carry no information and are forecast as zero; missing
//! intervals (open hours without data) are skipped, never filled with zero and never
//! scored. Seasonality is keyed by the local week slot (weekday × time of day), so a
//! centre open five days a week has a weekly season of five open days.

pub mod actuals;
pub mod aht_backtest;
pub mod backtest;
pub mod contacts;
mod day_profile;
mod double_seasonal;
pub mod ensemble;
pub mod exports;
pub mod history;
mod holt_winters;
pub mod intervals;
pub mod intraday;
pub mod metrics;
pub mod reforecast;
pub mod score;
mod seasonal_naive;
pub mod series;
pub mod special_days;
mod trimmed_profile;
mod weekday_mean;
mod weekly_average;

pub use aht_backtest::{aht_backtest, aht_table, aht_time_of_day, AhtFold};
pub use backtest::{backtest, Backtest, BacktestOptions, FoldResult};
pub use contacts::{
    aggregate, covering_grid, mean_patience, parse_contact_log, read_contact_log, Contact,
    ContactLog, ContactLogFormat, IntervalStats, PatienceEstimate,
};
pub use history::{parse_history, read_history, unread_columns, HistoryFormat};
pub use intervals::{IntervalModel, IntervalScore};
pub use intraday::{reforecast_day, Intraday, IntradayRow};
pub use metrics::Accuracy;
pub use reforecast::{parse_cutoffs, reforecast_backtest, reforecast_factor, ReforecastScore};
pub use score::{parse_forecast, read_forecast, score, ForecastFile, Score};
pub use series::{Calendar, ForecastGrid, Series, Status};
pub use special_days::{
    forecast_with_special_days, parse_special_days, read_special_days, SpecialDay, SpecialDays,
};
pub use weekday_mean::WeekdayMean;

use crate::error::{Error, Result};
use crate::time::{fmt_utc, Horizon};

/// A forecasting method: predicts volume for the intervals after a history.
///
/// Implementations fit whatever they need from `history` (only its open intervals are
/// data) and return one value per interval of `target`. Values for intervals the calendar
/// closes are ignored (set to zero by [`forecast`]). A new method is one file with one
/// implementation plus one line in [`methods`].
pub trait Method: Send + Sync {
    /// Short name used on the command line and in reports (`seasonal_naive`, ...).
    fn name(&self) -> &'static str;
    /// Volume forecast for every interval of `target`, given `history`.
    ///
    /// # Errors
    ///
    /// Whatever the method reports; the built-in ones give [`Error::Invalid`] naming `history` when
    /// it holds nothing they can fit (`holt_winters` and `double_seasonal` need more than two weeks
    /// of observations).
    fn predict(&self, history: &Series, target: &ForecastGrid) -> Result<Vec<f64>>;
}

/// Every built-in method, in report order: the member methods, then the two
/// backtest-weighted combinations of them ([`ensemble`]).
pub fn methods() -> Vec<Box<dyn Method>> {
    let mut all = member_methods();
    // The two share their member forecasts.
    let selected = ensemble::Ensemble::selected();
    let weighted = ensemble::Ensemble {
        memo: selected.memo.clone(),
        ..ensemble::Ensemble::weighted()
    };
    all.push(Box::new(selected));
    all.push(Box::new(weighted));
    all
}

/// The built-in methods that forecast on their own (every method but the ensembles).
pub fn member_methods() -> Vec<Box<dyn Method>> {
    vec![
        Box::new(seasonal_naive::SeasonalNaive),
        Box::new(weekly_average::WeeklyAverage::default()),
        Box::new(holt_winters::HoltWinters),
        Box::new(double_seasonal::DoubleSeasonal),
        Box::new(day_profile::DayProfile::default()),
        Box::new(weekday_mean::WeekdayMean::default()),
        Box::new(trimmed_profile::TrimmedProfile::default()),
    ]
}

/// The built-in method called `name`.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--method` when `name` is not one of [`methods`], listing the known
/// names.
pub fn method_by_name(name: &str) -> Result<Box<dyn Method>> {
    methods()
        .into_iter()
        .find(|m| m.name() == name)
        .ok_or_else(|| {
            let names: Vec<&str> = methods().iter().map(|m| m.name()).collect();
            Error::invalid(
                "--method",
                format!("unknown method {name:?}; known: {}", names.join(", ")),
            )
        })
}

/// The method with the lowest mean WAPE in a backtest of every built-in method on
/// `history` (`folds` rolling origins of `horizon_minutes`), with that backtest.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--horizon` when `horizon_minutes` is not a positive multiple of the
/// history's interval, `--folds` when `folds` is 0 or leaves less than three weeks of training
/// data, or `history` when no fold has an observed interval; and the errors of the methods'
/// predictions, as for [`backtest()`].
pub fn best_method(
    history: &Series,
    horizon_minutes: u32,
    folds: usize,
) -> Result<(Box<dyn Method>, Backtest)> {
    let bt = backtest(
        history,
        &methods(),
        BacktestOptions {
            horizon_minutes,
            folds,
        },
    )?;
    let name =
        bt.ranking.first().map(|(m, _)| m.clone()).ok_or_else(|| {
            Error::invalid("history", "no backtest fold had an observed interval")
        })?;
    Ok((method_by_name(&name)?, bt))
}

/// A forecast: volume and handle time per interval of a grid.
#[derive(Debug, Clone)]
pub struct Forecast {
    /// The method that made it.
    pub method: String,
    /// The forecast grid.
    pub horizon: Horizon,
    /// Expected contacts per interval (0 where closed).
    pub volume: Vec<f64>,
    /// Expected average handle time per interval, seconds.
    pub aht_seconds: Vec<f64>,
    /// Whether the calendar has each interval open.
    pub open: Vec<bool>,
    /// Volume quantiles `(level, one value per interval)`, levels increasing (see
    /// [`intervals`]); empty when the history is too short for an inner backtest.
    pub quantiles: Vec<(f64, Vec<f64>)>,
}

/// Name of the forecast CSV column of quantile `level` (0.8 → `volume_p80`).
pub fn quantile_column(level: f64) -> String {
    let pct = level * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("volume_p{}", pct.round() as i64)
    } else {
        format!("volume_p{pct}")
    }
}

impl Forecast {
    /// The forecast as CSV: header `interval_start_utc,volume,aht_seconds`, then one
    /// column per quantile (`volume_p10,volume_p50,volume_p80,volume_p90`), one row per
    /// interval, RFC 3339 UTC instants. Closed intervals have volume 0 and carry the
    /// handle-time forecast of their slot (the overall mean where the slot has no history),
    /// so every row has a usable handle time.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("interval_start_utc,volume,aht_seconds");
        for (l, _) in &self.quantiles {
            s.push(',');
            s.push_str(&quantile_column(*l));
        }
        s.push('\n');
        for (i, t) in self.horizon.starts().enumerate() {
            let v = self.volume.get(i).copied().unwrap_or(0.0);
            let a = self.aht_seconds.get(i).copied().unwrap_or(0.0);
            s.push_str(&format!(
                "{},{},{}",
                fmt_utc(t),
                crate::io::cells::fixed(v, 3),
                crate::io::cells::fixed(a, 1)
            ));
            for (_, q) in &self.quantiles {
                s.push(',');
                s.push_str(&crate::io::cells::fixed(
                    q.get(i).copied().unwrap_or(0.0),
                    3,
                ));
            }
            s.push('\n');
        }
        s
    }

    /// Writes [`Forecast::to_csv`] to `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] naming `path` when the file cannot be written.
    pub fn write_csv(&self, path: &std::path::Path) -> Result<()> {
        std::fs::write(path, self.to_csv()).map_err(|e| Error::io(path.display().to_string(), e))
    }
}

/// Runs `method` for `len` intervals after `history`, adds quantiles from the method's
/// errors on the weeks before the end of the history ([`intervals`]) and forecasts
/// handle time.
/// `aht_fallback` (seconds) is used when the history has no handle time at all; without
/// either, the forecast is an error naming `aht_seconds`.
///
/// # Errors
///
/// [`Error::Invalid`] naming `--horizon` when `len` intervals exceed
/// [`crate::limits::MAX_HORIZON_DAYS`] days, `intervals` when `len` is 0, `history` when it has no
/// observed interval, `aht_seconds` when the history has no handle time and no `aht_fallback` is
/// given, `--aht` when `aht_fallback` is not a finite number from
/// [`crate::limits::MIN_AHT_SECONDS`] to [`crate::limits::MAX_AHT_SECONDS`], or the method's name when it
/// returns a wrong count of values or a non-finite one; and the errors of [`Method::predict`].
pub fn forecast(
    history: &Series,
    method: &dyn Method,
    len: usize,
    aht_fallback: Option<f64>,
) -> Result<Forecast> {
    let target = ForecastGrid::after(history, len)?;
    let volume = predict_clean(history, method, &target)?;
    let aht_seconds = match (history.has_aht(), aht_fallback) {
        (true, _) => forecast_aht(history, &target)?,
        (false, Some(a)) => {
            crate::error::check_positive("--aht", a)?;
            if !(crate::limits::MIN_AHT_SECONDS..=crate::limits::MAX_AHT_SECONDS).contains(&a) {
                return Err(Error::invalid(
                    "--aht",
                    format!(
                        "must be between {} and {} seconds (the input limits), got {}",
                        crate::limits::MIN_AHT_SECONDS,
                        crate::limits::MAX_AHT_SECONDS,
                        crate::limits::show(a)
                    ),
                ));
            }
            vec![a; len]
        }
        (false, None) => {
            return Err(Error::invalid(
                "aht_seconds",
                "the history has no handle time; give a constant handle time (--aht SECONDS)",
            ))
        }
    };
    let quantiles = match intervals::IntervalModel::fit_horizon(
        history,
        method,
        intervals::INNER_WEEKS,
        len,
    )? {
        Some(m) => m
            .levels
            .iter()
            .copied()
            .zip(m.apply_slots(&volume, &target.day_slot))
            .collect(),
        None => Vec::new(),
    };
    Ok(Forecast {
        method: method.name().to_string(),
        horizon: target.horizon,
        volume,
        aht_seconds,
        open: target.open,
        quantiles,
    })
}

/// A method's prediction with closed intervals set to zero and every value checked
/// (finite, clamped at zero: volume cannot be negative).
pub(crate) fn predict_clean(
    history: &Series,
    method: &dyn Method,
    target: &ForecastGrid,
) -> Result<Vec<f64>> {
    if history.horizon().interval_minutes() != target.horizon.interval_minutes() {
        return Err(Error::invalid(
            "target",
            "interval differs from the history",
        ));
    }
    if (0..history.len()).all(|i| history.volume(i).is_none()) {
        return Err(Error::invalid("history", "has no observed interval"));
    }
    let mut v = method.predict(history, target)?;
    if v.len() != target.len() {
        return Err(Error::invalid(
            method.name(),
            format!("returned {} values for {} intervals", v.len(), target.len()),
        ));
    }
    for (x, open) in v.iter_mut().zip(&target.open) {
        if !*open {
            *x = 0.0;
        } else if !x.is_finite() {
            return Err(Error::invalid(
                method.name(),
                "produced a non-finite forecast (history too short or degenerate?)",
            ));
        } else if *x < 0.0 {
            *x = 0.0;
        }
    }
    Ok(v)
}

/// Number of past weeks the handle-time forecast weighs.
const AHT_WEEKS: usize = 4;

/// Handle-time forecast per interval: the volume-weighted mean of the same local slot over
/// the last four observed weeks (weights 4, 3, 2, 1, newest first, times volume); where
/// those weeks have no handle time, the volume-weighted mean of the same time of day over
/// the whole history; else the volume-weighted mean of the whole history. Volume weighting
/// makes a quiet interval with one long call count for what it is.
///
/// # Errors
///
/// [`Error::Invalid`] naming `aht_seconds` when no interval of the history has both volume and
/// handle time.
pub fn forecast_aht(history: &Series, target: &ForecastGrid) -> Result<Vec<f64>> {
    let mut by_day = vec![(0.0f64, 0.0f64); history.day_slots()];
    let (mut all_num, mut all_den) = (0.0, 0.0);
    for i in 0..history.len() {
        if let (Some(v), Some(a)) = (history.volume(i), history.aht(i)) {
            if let Some(d) = by_day.get_mut(history.day_slot(i)) {
                d.0 += v * a;
                d.1 += v;
            }
            all_num += v * a;
            all_den += v;
        }
    }
    if all_den <= 0.0 {
        return Err(Error::invalid(
            "aht_seconds",
            "the history has no interval with both volume and handle time",
        ));
    }
    let overall = all_num / all_den;
    let mut out = Vec::with_capacity(target.len());
    for (i, t) in target.horizon.starts().enumerate() {
        let past = history.same_slot_history(t, AHT_WEEKS * 3, 104);
        let (mut num, mut den, mut used) = (0.0, 0.0, 0);
        for (_, j) in past {
            if used >= AHT_WEEKS {
                break;
            }
            if let (Some(v), Some(a)) = (history.volume(j), history.aht(j)) {
                let w = (AHT_WEEKS - used) as f64 * v;
                num += w * a;
                den += w;
                used += 1;
            }
        }
        let day = target
            .day_slot
            .get(i)
            .and_then(|d| by_day.get(*d))
            .copied()
            .unwrap_or((0.0, 0.0));
        out.push(if den > 0.0 {
            num / den
        } else if day.1 > 0.0 {
            day.0 / day.1
        } else {
            overall
        });
    }
    Ok(out)
}

/// Parses a duration such as `30m`, `1800s`, `1h`, `7d`, `168h` (a bare number is minutes)
/// into whole minutes; `field` names it in errors (see [`crate::time::parse_duration`]).
///
/// # Errors
///
/// [`Error::Invalid`] naming `field` when `s` is not a duration (see
/// [`crate::time::parse_duration`]), is zero or negative, is not a whole number of minutes, or is
/// more than `u32::MAX` minutes.
pub fn parse_minutes(field: &str, s: &str) -> Result<u32> {
    let secs = crate::time::parse_duration(field, s, 60.0)?;
    if secs <= 0.0 {
        return Err(Error::invalid(field, "must be longer than zero"));
    }
    if secs % 60.0 != 0.0 {
        return Err(Error::invalid(
            field,
            format!("{s:?} is not a whole number of minutes"),
        ));
    }
    let m = secs / 60.0;
    if m > u32::MAX as f64 {
        return Err(Error::invalid(field, format!("{s:?} is too long")));
    }
    Ok(m as u32)
}

/// Indices of the observed intervals, in time order.
pub(crate) fn open_indices(history: &Series) -> Vec<usize> {
    (0..history.len())
        .filter(|i| history.status(*i) == Status::Open)
        .collect()
}

/// Last resort for a slot with no same-slot history: the mean observed volume at the same
/// time of day, else the mean of all observed intervals.
pub(crate) fn slot_fallback(history: &Series, day_slot: usize) -> f64 {
    let (mut n, mut s, mut na, mut sa) = (0usize, 0.0, 0usize, 0.0);
    for i in 0..history.len() {
        if let Some(v) = history.volume(i) {
            na += 1;
            sa += v;
            if history.day_slot(i) == day_slot {
                n += 1;
                s += v;
            }
        }
    }
    if n > 0 {
        s / n as f64
    } else if na > 0 {
        sa / na as f64
    } else {
        0.0
    }
}
