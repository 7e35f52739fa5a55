//! `forecast.csv`: the forecast a plan used, per queue and interval, with its source, its
//! method, the special days it applied and its quantile columns.

use super::{cells, csv_bytes};
use crate::error::{Error, Result};
use crate::evaluate::QueueDemand;
use crate::time::{fmt_local, fmt_utc, Horizon};
use chrono::NaiveDate;
use chrono_tz::Tz;

/// The forecast behind one queue's volumes: where it came from and, when it has them, its
/// quantiles (for `forecast.csv` and the band in the report's volume chart).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlannedForecast {
    /// `history` (forecast by the plan from `history_csv`), `forecast_csv` or `inline`.
    pub source: String,
    /// The forecasting method, for a forecast made from history.
    pub method: Option<String>,
    /// The quantile the plan staffed (`0.8`), if not the mean.
    pub quantile: Option<f64>,
    /// The mean forecast per interval (contacts), special days applied; empty: the
    /// demand's volume.
    pub volume: Vec<f64>,
    /// Volume quantiles `(level, one value per interval)`, levels increasing; may be empty.
    pub quantiles: Vec<(f64, Vec<f64>)>,
    /// Special days of the horizon that changed the forecast: local date at the queue's
    /// site and a label (`Easter Monday ×0.4`).
    pub special_days: Vec<(NaiveDate, String)>,
}

/// A quantile level with its values per interval.
pub type QuantileLine<'a> = (f64, &'a [f64]);

impl PlannedForecast {
    /// The lowest and highest quantile with their levels, when the forecast has at least
    /// two: the band the report draws.
    pub fn band(&self) -> Option<(QuantileLine<'_>, QuantileLine<'_>)> {
        match (self.quantiles.first(), self.quantiles.last()) {
            (Some(lo), Some(hi)) if self.quantiles.len() >= 2 => {
                Some(((lo.0, &lo.1[..]), (hi.0, &hi.1[..])))
            }
            _ => None,
        }
    }
}

/// The first columns of `forecast.csv`; then one `volume_pNN` column per quantile level that
/// any queue's forecast has (empty cells for queues without it).
pub const FORECAST_COLUMNS: [&str; 10] = [
    "interval_start_utc",
    "interval_start_local",
    "site",
    "queue",
    "source",
    "method",
    "special_day",
    "volume_planned",
    "aht_seconds",
    "volume",
];

/// `forecast.csv`: one row per interval and queue (intervals in time order, queues in
/// scenario order). `volume_planned` is what the plan staffed (the demand's volume: the
/// mean, or the quantile chosen); `volume` the mean forecast. `forecasts` is aligned with
/// `demands` (missing entries: an inline volume without quantiles).
///
/// # Errors
///
/// [`Error::Invalid`] naming `queues[q]` when a demand fails [`QueueDemand::validate`], or
/// `queues[q].forecast` when a forecast's series do not have one value per interval.
pub fn forecast_csv(
    horizon: &Horizon,
    demands: &[QueueDemand],
    forecasts: &[PlannedForecast],
    zones: &[Tz],
    site_names: &[&str],
) -> Result<String> {
    let n = horizon.len();
    let mut levels: Vec<f64> = Vec::new();
    for (q, d) in demands.iter().enumerate() {
        d.validate(&format!("queues[{q}]"), horizon)?;
        if let Some(f) = forecasts.get(q) {
            let short = (!f.volume.is_empty() && f.volume.len() != n)
                || f.quantiles.iter().any(|(_, v)| v.len() != n);
            if short {
                return Err(Error::invalid(
                    format!("queues[{q}].forecast"),
                    format!("does not have one value per interval of the {n}-interval horizon"),
                ));
            }
            for (l, _) in &f.quantiles {
                if !levels.iter().any(|x| (x - l).abs() < 1e-9) {
                    levels.push(*l);
                }
            }
        }
    }
    levels.sort_by(f64::total_cmp);
    let mut header: Vec<String> = FORECAST_COLUMNS.map(String::from).to_vec();
    header.extend(levels.iter().map(|l| crate::forecast::quantile_column(*l)));
    let mut rows = vec![header];
    let none = PlannedForecast::default();
    for i in 0..n {
        let t = horizon.interval_start(i);
        let at = fmt_utc(t);
        for (q, d) in demands.iter().enumerate() {
            let f = forecasts.get(q).unwrap_or(&none);
            let zone = zones.get(q).copied().unwrap_or(Tz::UTC);
            let local = t.with_timezone(&zone);
            let special = f
                .special_days
                .iter()
                .filter(|(date, _)| *date == local.date_naive())
                .map(|(_, l)| l.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            let planned = d.volume.get(i).copied().unwrap_or(0.0);
            let mean = f.volume.get(i).copied().unwrap_or(planned);
            let mut row = vec![
                at.clone(),
                fmt_local(local),
                cells::text(site_names.get(q).copied().unwrap_or("")).into_owned(),
                cells::text(&d.name).into_owned(),
                cells::text(if f.source.is_empty() {
                    "inline"
                } else {
                    &f.source
                })
                .into_owned(),
                cells::text(f.method.as_deref().unwrap_or("")).into_owned(),
                cells::text(&special).into_owned(),
                cells::number(planned, 3),
                cells::number(d.aht_seconds.get(i).copied().unwrap_or(0.0), 3),
                cells::number(mean, 3),
            ];
            for l in &levels {
                row.push(
                    f.quantiles
                        .iter()
                        .find(|(x, _)| (x - l).abs() < 1e-9)
                        .and_then(|(_, v)| v.get(i))
                        .map_or(String::new(), |v| cells::number(*v, 3)),
                );
            }
            rows.push(row);
        }
    }
    csv_bytes("forecast.csv", &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demand(n: usize) -> QueueDemand {
        QueueDemand {
            name: "voice".into(),
            volume: vec![10.0; n],
            aht_seconds: vec![200.0; n],
            required: vec![3; n],
        }
    }

    #[test]
    fn quantile_columns_are_the_union_of_the_queues_levels() {
        let h = Horizon::new(chrono::DateTime::UNIX_EPOCH, 60, 2).unwrap();
        let f = PlannedForecast {
            source: "history".into(),
            method: Some("weekday_mean".into()),
            quantile: None,
            volume: vec![9.0, 11.0],
            quantiles: vec![(0.1, vec![7.0, 8.0]), (0.9, vec![12.0, 14.0])],
            special_days: Vec::new(),
        };
        let mut b = demand(2);
        b.name = "chat".into();
        let csv = forecast_csv(&h, &[demand(2), b], &[f], &[Tz::UTC], &["hq"]).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].ends_with(",volume,volume_p10,volume_p90"));
        assert_eq!(
            lines[1],
            "1970-01-01T00:00:00Z,1970-01-01T00:00:00+00:00,hq,voice,history,weekday_mean,,10,200,9,7,12"
        );
        // A queue without a forecast: inline, no quantiles, its site unknown here.
        assert_eq!(
            lines[2],
            "1970-01-01T00:00:00Z,1970-01-01T00:00:00+00:00,,chat,inline,,,10,200,10,,"
        );
    }

    #[test]
    fn a_forecast_of_the_wrong_length_is_an_error_naming_the_queue() {
        let h = Horizon::new(chrono::DateTime::UNIX_EPOCH, 60, 2).unwrap();
        let f = PlannedForecast {
            quantiles: vec![(0.1, vec![1.0]), (0.9, vec![2.0])],
            ..PlannedForecast::default()
        };
        let e = forecast_csv(&h, &[demand(2)], &[f], &[], &[]).unwrap_err();
        assert!(e.to_string().contains("queues[0].forecast"), "{e}");
    }
}
