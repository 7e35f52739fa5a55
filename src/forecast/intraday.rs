//! The live intraday re-forecast of one day: the morning's actuals against the forecast,
//! the rest of the day scaled by [`reforecast_factor`], and the change in load per
//! interval that says where more or fewer agents are needed.
//!
//! `wfm forecast reforecast --forecast F.csv --actuals A.csv` prints it; the Python package
//! returns it as a table. The backtest of the same rule is
//! [`reforecast_backtest`](super::reforecast_backtest).

use super::reforecast::reforecast_factor;
use super::{ForecastFile, Series};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};

/// Load changes at or beyond this many erlangs say `more` or `fewer` agents.
pub const LOAD_STEP_ERLANGS: f64 = 0.5;

/// One interval of the rest of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct IntradayRow {
    /// Interval start.
    pub start: DateTime<Utc>,
    /// The forecast's volume.
    pub forecast: f64,
    /// The re-forecast volume (forecast × factor).
    pub reforecast: f64,
    /// The change in offered load, erlangs (`None` when the forecast has no
    /// `aht_seconds`).
    pub load_change_erlangs: Option<f64>,
}

impl IntradayRow {
    /// `more`, `fewer` or `same` agents, by [`LOAD_STEP_ERLANGS`]; `None` without handle
    /// times.
    pub fn agents(&self) -> Option<&'static str> {
        self.load_change_erlangs.map(|l| {
            if l >= LOAD_STEP_ERLANGS {
                "more"
            } else if l <= -LOAD_STEP_ERLANGS {
                "fewer"
            } else {
                "same"
            }
        })
    }
}

/// The re-forecast of the day the actuals cover.
#[derive(Debug, Clone, PartialEq)]
pub struct Intraday {
    /// The local day (in the actuals' zone).
    pub day: NaiveDate,
    /// The end of the last observed interval: the rest of the day starts here.
    pub cutoff: DateTime<Utc>,
    /// Actual volume before the cut-off (over the forecast's rows before it).
    pub actual_so_far: f64,
    /// Forecast volume before the cut-off.
    pub forecast_so_far: f64,
    /// Forecast volume of the whole day.
    pub forecast_day: f64,
    /// The factor applied to the rest of the day.
    pub factor: f64,
    /// The forecast's rows from the cut-off to the end of the day.
    pub rest: Vec<IntradayRow>,
}

/// Re-forecasts the rest of the day that `actuals` covers (its observed intervals must lie
/// within one local day of its zone) from `forecast`, with the shrink constant `shrink`
/// (see [`reforecast_factor`]). `forecast_name` and `actuals_name` name the two in errors.
///
/// # Errors
///
/// [`Error::Invalid`] naming `shrink` when it is not a finite number ≥ 0, naming
/// `actuals_name` when the actuals have no observed interval or span more than one local
/// day, and naming `forecast_name` when the forecast has no row on that day.
pub fn reforecast_day(
    forecast: &ForecastFile,
    actuals: &Series,
    shrink: f64,
    forecast_name: &str,
    actuals_name: &str,
) -> Result<Intraday> {
    if !shrink.is_finite() || shrink < 0.0 {
        return Err(Error::invalid("shrink", "must be a finite number ≥ 0"));
    }
    let tz = actuals.tz();
    let observed: Vec<usize> = (0..actuals.len())
        .filter(|i| actuals.volume(*i).is_some())
        .collect();
    let (Some(first), Some(last)) = (observed.first(), observed.last()) else {
        return Err(Error::invalid(actuals_name, "has no observed interval"));
    };
    let day = actuals
        .horizon()
        .interval_start(*first)
        .with_timezone(&tz)
        .date_naive();
    let last_start = actuals.horizon().interval_start(*last);
    if last_start.with_timezone(&tz).date_naive() != day {
        return Err(Error::invalid(
            actuals_name,
            format!(
                "the actuals must lie within one local day: they run from {day} to {}",
                last_start.with_timezone(&tz).date_naive()
            ),
        ));
    }
    let step = actuals.horizon().interval_minutes();
    let cutoff = last_start + chrono::Duration::minutes(i64::from(step));
    let rows: Vec<usize> = (0..forecast.starts.len())
        .filter(|r| forecast.starts[*r].with_timezone(&tz).date_naive() == day)
        .collect();
    if rows.is_empty() {
        return Err(Error::invalid(
            forecast_name,
            format!("has no row on {day}, the day of the actuals"),
        ));
    }
    let forecast_day: f64 = rows.iter().map(|r| forecast.volume[*r]).sum();
    let (mut p, mut a) = (0.0, 0.0);
    for r in rows.iter().filter(|r| forecast.starts[**r] < cutoff) {
        p += forecast.volume[*r];
        if let Some(i) = actuals.index_of(forecast.starts[*r]) {
            a += actuals.volume(i).unwrap_or(0.0);
        }
    }
    let factor = reforecast_factor(p, a, forecast_day, shrink);
    let secs = 60.0 * f64::from(step);
    let rest = rows
        .iter()
        .filter(|r| forecast.starts[**r] >= cutoff)
        .map(|&r| {
            let v = forecast.volume[r];
            let nv = v * factor;
            IntradayRow {
                start: forecast.starts[r],
                forecast: v,
                reforecast: nv,
                load_change_erlangs: forecast
                    .aht_seconds
                    .as_ref()
                    .map(|aht| (nv - v) * aht[r] / secs),
            }
        })
        .collect();
    Ok(Intraday {
        day,
        cutoff,
        actual_so_far: a,
        forecast_so_far: p,
        forecast_day,
        factor,
        rest,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{parse_forecast, parse_history, HistoryFormat};

    fn forecast_file() -> ForecastFile {
        let mut csv = String::from("interval_start_utc,volume,aht_seconds\n");
        for h in 8..18 {
            csv.push_str(&format!("2024-03-05T{h:02}:00:00Z,100,360\n"));
        }
        parse_forecast("f.csv", &csv).unwrap_or_else(|e| panic!("{e}"))
    }

    fn actuals(rows: &[(&str, f64)]) -> Series {
        let mut csv = String::from("interval_start,volume\n");
        for (t, v) in rows {
            csv.push_str(&format!("{t},{v}\n"));
        }
        let format = HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        };
        parse_history("a.csv", &csv, &format).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_busy_morning_raises_the_rest_of_the_day() {
        let fc = forecast_file();
        let act = actuals(&[
            ("2024-03-05T08:00:00Z", 130.0),
            ("2024-03-05T09:00:00Z", 130.0),
        ]);
        let d = reforecast_day(&fc, &act, 0.25, "f.csv", "a.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.rest.len(), 8);
        assert_eq!(d.forecast_so_far, 200.0);
        assert_eq!(d.actual_so_far, 260.0);
        // w = 200 / (200 + 0.25 · 1000) = 4/9; factor = 1 + 4/9 · 0.3.
        let want = 1.0 + 4.0 / 9.0 * 0.3;
        assert!((d.factor - want).abs() < 1e-12, "{}", d.factor);
        let r = &d.rest[0];
        assert_eq!(r.start.to_rfc3339(), "2024-03-05T10:00:00+00:00");
        assert!((r.reforecast - 100.0 * want).abs() < 1e-9);
        // 13.3 more calls of 6 minutes in an hour: 1.33 erlangs more.
        let load = r.load_change_erlangs.unwrap_or(f64::NAN);
        assert!((load - 100.0 * (want - 1.0) * 0.1).abs() < 1e-9, "{load}");
        assert_eq!(r.agents(), Some("more"));
    }

    #[test]
    fn bad_inputs_are_named() {
        let fc = forecast_file();
        let two_days = actuals(&[
            ("2024-03-05T08:00:00Z", 1.0),
            ("2024-03-05T09:00:00Z", 1.0),
            ("2024-03-06T08:00:00Z", 1.0),
        ]);
        let e = reforecast_day(&fc, &two_days, 0.25, "f.csv", "a.csv").unwrap_err();
        assert!(
            e.to_string().contains("a.csv") && e.to_string().contains("one local day"),
            "{e}"
        );
        let other_day = actuals(&[("2024-03-07T08:00:00Z", 1.0)]);
        let e = reforecast_day(&fc, &other_day, 0.25, "f.csv", "a.csv").unwrap_err();
        assert!(
            e.to_string().contains("f.csv") && e.to_string().contains("2024-03-07"),
            "{e}"
        );
        let act = actuals(&[("2024-03-05T08:00:00Z", 1.0)]);
        let e = reforecast_day(&fc, &act, f64::NAN, "f.csv", "a.csv").unwrap_err();
        assert!(e.to_string().contains("shrink"), "{e}");
    }
}
