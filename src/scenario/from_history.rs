//! Queues planned straight from contact history: `queues[i].history_csv` with an optional
//! `queues[i].forecast` (`{"method": "trimmed_profile", "quantile": 0.8}`).
//!
//! The history is read as `wfm forecast` reads it ([`crate::forecast::parse_history`]) on
//! the scenario's interval grid, with naive timestamps and local days in the zone of the
//! queue's site, and forecast with the library's own [`crate::forecast::forecast`] (or
//! [`crate::forecast::forecast_with_special_days`] when the site has a calendar) from the
//! end of the history through the end of the horizon; the plan takes the horizon's part.
//! The default method is `trimmed_profile`, the most accurate single method on the bank
//! data (docs/forecasting.md), which needs no backtest and is deterministic; `best` runs
//! the backtest `wfm forecast --method best` runs (up to 4 folds of the forecast's length).

use super::calendar::{label, SiteCalendar};
use crate::error::{Error, Result};
use crate::forecast::{self, HistoryFormat, Series, Status};
use crate::io::PlannedForecast;
use crate::time::{fmt_utc, Horizon, Site};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How a queue with `history_csv` is forecast.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForecastSpec {
    /// A method of `wfm forecast` (`trimmed_profile`, `weekday_mean`, ..., `ensemble`), or
    /// `best` (the lowest WAPE in a backtest); default `trimmed_profile`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Staff this quantile of the forecast instead of its mean (`0.8`: the 80 % quantile);
    /// one of the levels the forecast has (0.1, 0.5, 0.8, 0.9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantile: Option<f64>,
}

/// The default method of a queue forecast from history.
pub const DEFAULT_METHOD: &str = "trimmed_profile";

/// Least history a forecast from `history_csv` takes, in local days.
const MIN_HISTORY_DAYS: usize = 7;

/// What a queue forecast from history needs beyond its own fields.
pub(crate) struct HistoryInput<'a> {
    /// `queues[i]`, for messages.
    pub at: String,
    /// The file as the scenario names it, and the folder it is relative to.
    pub file: &'a str,
    /// Folder of the scenario.
    pub base: &'a Path,
    /// The queue's site (zone of naive timestamps and local days).
    pub site: &'a Site,
    /// The site's calendar, if it has one.
    pub calendar: Option<&'a SiteCalendar>,
    /// Handle time when the history has none (from the queue's `aht_seconds`).
    pub aht: Option<&'a [f64]>,
}

/// Forecasts the horizon from the history: `(planned volume, handle time, forecast)`.
///
/// # Errors
///
/// [`Error::Io`] naming `queues[i].history_csv` and the file when it cannot be read;
/// [`Error::Parse`] naming the file and line for a bad row (as `wfm forecast` reads it) or a
/// row at or after the horizon start; [`Error::Invalid`] naming `queues[i].history_csv` when the
/// rows do not fit the horizon's interval grid, the history's local days do not end on the
/// grid, it holds less than a week or the method cannot forecast it, `queues[i].forecast.method`
/// for an unknown method, `queues[i].forecast.quantile` for a level the forecast does not have,
/// `queues[i].aht_seconds` when the history has no handle time and none is given, or given
/// beside one; the calendar's place for a special day the forecaster cannot forecast.
pub(crate) fn forecast_queue(
    spec: &ForecastSpec,
    input: &HistoryInput<'_>,
    horizon: &Horizon,
) -> Result<(Vec<f64>, Vec<f64>, PlannedForecast)> {
    let field = format!("{}.history_csv", input.at);
    let shown = input.file;
    let method_name = spec.method.as_deref().unwrap_or(DEFAULT_METHOD);
    // Cheap checks first: the method and the quantile are known before any file is read.
    let named = if method_name == "best" {
        None
    } else {
        Some(forecast::method_by_name(method_name).map_err(|e| match e {
            Error::Invalid { reason, .. } => Error::invalid(
                format!("{}.forecast.method", input.at),
                format!("{reason}, or best (chosen by backtest)"),
            ),
            other => other,
        })?)
    };
    if let Some(q) = spec.quantile {
        super::queues::quantile_column_of(q, &format!("{}.forecast.quantile", input.at))?;
    }
    let text = crate::limits::read_text(
        &input.base.join(shown),
        shown,
        "history file",
        crate::limits::MAX_CSV_BYTES,
    )
    .map_err(|e| match e {
        Error::Io { path, source } => Error::io(format!("{field} = {path}"), source),
        other => other,
    })?;
    let step = horizon.interval_minutes();
    let format = HistoryFormat {
        tz: input.site.tz,
        interval_minutes: Some(step),
        ..HistoryFormat::default()
    };
    let series = forecast::parse_history(shown, &text, &format).map_err(|e| match e {
        Error::Invalid { reason, .. } => Error::invalid(
            &field,
            format!("{shown}: {reason} (the scenario's grid has {step}-minute intervals)"),
        ),
        other => other,
    })?;
    match (series.has_aht(), input.aht) {
        (true, Some(_)) => {
            return Err(Error::invalid(
                format!("{}.aht_seconds", input.at),
                format!("{shown} carries handle time; do not give it twice"),
            ))
        }
        (false, None) => {
            return Err(Error::invalid(
                format!("{}.aht_seconds", input.at),
                format!("{shown} has no handle-time column: give aht_seconds"),
            ))
        }
        _ => {}
    }
    let series = cut_at_start(&series, horizon, shown, &field, &text, &format)?;
    let days = series.len() / series.day_slots().max(1);
    if days < MIN_HISTORY_DAYS {
        return Err(Error::invalid(
            &field,
            format!(
                "{shown} covers {days} local day(s); a forecast needs at least {MIN_HISTORY_DAYS} (one week)"
            ),
        ));
    }
    // The forecast runs from the end of the history through the end of the horizon.
    let gap = (horizon.start() - series.horizon().end()).num_seconds();
    let step_secs = i64::from(step) * 60;
    if gap < 0 || gap % step_secs != 0 {
        return Err(Error::invalid(
            &field,
            format!(
                "the history's local days end at {}, which is not on the horizon's {step}-minute grid from {}",
                fmt_utc(series.horizon().end()),
                fmt_utc(horizon.start())
            ),
        ));
    }
    let skip = (gap / step_secs) as usize;
    let len = skip + horizon.len();
    let wrap = |e: Error| match e {
        Error::Invalid { field: f, reason } => Error::invalid(
            &field,
            format!(
                "{shown} (ending {}): {f}: {reason}",
                fmt_utc(series.horizon().end())
            ),
        ),
        other => match input.calendar {
            Some(c) => c.locate(other),
            None => other,
        },
    };
    let method = match named {
        Some(m) => m,
        None => {
            let fit = match input.calendar {
                Some(c) => series.without_dates(&c.days.days.iter().map(|d| d.date).collect()),
                None => series.clone(),
            };
            let h = (len as u32).saturating_mul(step);
            let folds = fold_count(&fit, len);
            forecast::best_method(&fit, h, folds).map_err(wrap)?.0
        }
    };
    let fallback = input.aht.and_then(|a| a.first().copied());
    let fc = match input.calendar.filter(|c| !c.is_empty()) {
        Some(cal) => {
            // Days between the history and the horizon are not planned: left out, so that
            // a day there needs neither a multiplier nor a past occurrence.
            let end = series.horizon().end();
            let days = cal.filtered(|d| {
                let day_end = d.succ_opt().map_or(end, |n| input.site.day_start(n));
                !(input.site.day_start(d) >= end && day_end <= horizon.start())
            });
            forecast::forecast_with_special_days(&series, method.as_ref(), len, fallback, &days)
                .map_err(wrap)?
        }
        None => forecast::forecast(&series, method.as_ref(), len, fallback).map_err(wrap)?,
    };
    let tail = |v: &[f64]| v.get(skip..).map(<[f64]>::to_vec).unwrap_or_default();
    let volume = tail(&fc.volume);
    let aht = match input.aht {
        Some(a) if a.len() == horizon.len() => a.to_vec(),
        _ => tail(&fc.aht_seconds),
    };
    let quantiles: Vec<(f64, Vec<f64>)> = fc.quantiles.iter().map(|(l, v)| (*l, tail(v))).collect();
    let planned = match spec.quantile {
        None => volume.clone(),
        Some(q) => quantiles
            .iter()
            .find(|(l, _)| (l - q).abs() < 1e-9)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| {
                let have: Vec<String> = quantiles.iter().map(|(l, _)| format!("{l}")).collect();
                Error::invalid(
                    format!("{}.forecast.quantile", input.at),
                    if have.is_empty() {
                        format!("the forecast of {shown} has no quantiles (the history is too short for the weeks that measure its errors)")
                    } else {
                        format!("{q} is not a level of the forecast ({})", have.join(", "))
                    },
                )
            })?,
    };
    let special_days = match input.calendar {
        Some(cal) => cal
            .in_horizon(input.site, horizon)
            .into_iter()
            .filter_map(|k| cal.days.days.get(k))
            .map(|d| (d.date, label(d)))
            .collect(),
        None => Vec::new(),
    };
    Ok((
        planned,
        aht,
        PlannedForecast {
            source: "history".to_string(),
            method: Some(fc.method.clone()),
            quantile: spec.quantile,
            volume,
            quantiles,
            special_days,
        },
    ))
}

/// Folds of the backtest behind `best`: up to 4 of `len` intervals after three weeks of
/// training (at least 1; too short a history is then the backtest's own error).
fn fold_count(series: &Series, len: usize) -> usize {
    let spare = series.len().saturating_sub(21 * series.day_slots().max(1));
    (spare / len.max(1)).clamp(1, 4)
}

/// The history up to the horizon start: an observed row at or after it is an error naming
/// its line; intervals of the history's last local day after the start are cut off.
fn cut_at_start(
    series: &Series,
    horizon: &Horizon,
    shown: &str,
    field: &str,
    text: &str,
    format: &HistoryFormat,
) -> Result<Series> {
    let start = horizon.start();
    if series.horizon().end() <= start {
        return Ok(series.clone());
    }
    let late = (0..series.len())
        .find(|&i| series.horizon().interval_start(i) >= start && series.status(i) == Status::Open);
    if let Some(i) = late {
        let t = series.horizon().interval_start(i);
        let line = line_at_or_after(text, format, start).unwrap_or(1);
        return Err(Error::parse(
            shown,
            line,
            format!(
                "the history has a row in the interval {}, at or after the horizon start {}: a plan forecasts from history that ends before its horizon ({field})",
                fmt_utc(t),
                fmt_utc(start)
            ),
        ));
    }
    match series.index_of(start) {
        Some(k) if k > 0 => series.truncate(k),
        _ => Err(Error::invalid(
            field,
            format!(
                "{shown}: the horizon start {} is not on the history's {}-minute grid",
                fmt_utc(start),
                horizon.interval_minutes()
            ),
        )),
    }
}

/// The line of the first data row at or after `t` (rows are in time order).
fn line_at_or_after(
    text: &str,
    format: &HistoryFormat,
    t: chrono::DateTime<chrono::Utc>,
) -> Option<usize> {
    let text = crate::limits::strip_bom(text);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr.headers().ok()?.clone();
    let col = forecast::history::find_column(
        "",
        &headers,
        format.time_column.as_deref(),
        &forecast::history::TIME_NAMES,
        "time",
        true,
    )
    .ok()??;
    let mut prev = None;
    for (k, rec) in rdr.records().enumerate() {
        let line = crate::limits::record_line(&rec, text, k + 2);
        let rec = rec.ok()?;
        let at = forecast::history::parse_timestamp(rec.get(col)?, format.tz, prev).ok()?;
        if at >= t {
            return Some(line);
        }
        prev = Some(at);
    }
    None
}
