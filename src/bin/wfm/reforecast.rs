//! `wfm forecast reforecast`: the rest of today from the morning's actuals, or a backtest
//! of that re-forecast at local cut-off times.
use std::path::PathBuf;
use wfm::forecast::{self, HistoryFormat};
use wfm::time::fmt_utc;
use wfm::{Error, Result};

/// Runs the live re-forecast (`forecast` and `actuals`) or its backtest (`history`).
#[allow(clippy::too_many_arguments)]
pub fn run(
    fc: Option<PathBuf>,
    actuals: Option<PathBuf>,
    history: Option<PathBuf>,
    cutoffs: &str,
    method: &str,
    folds: usize,
    shrink: f64,
    format: &HistoryFormat,
) -> Result<()> {
    if !shrink.is_finite() || shrink < 0.0 {
        return Err(Error::invalid("--shrink", "must be a finite number ≥ 0"));
    }
    if let Some(h) = history {
        let series = forecast::read_history(&h, format)?;
        let m = forecast::method_by_name(method)?;
        let cuts = forecast::parse_cutoffs("--cutoffs", cutoffs)?;
        let scores = forecast::reforecast_backtest(&series, m.as_ref(), folds, &cuts, shrink)?;
        outln!(
            "rest-of-day WAPE over {folds} weeks, {} week-ahead forecast, shrink {shrink}",
            m.name()
        );
        outln!(
            "{:<7} {:>5} {:>10} {:>12} {:>8}",
            "cut-off",
            "days",
            "forecast%",
            "reforecast%",
            "change"
        );
        for s in scores {
            outln!(
                "{:<7} {:>5} {:>10.2} {:>12.2} {:>+7.1}%",
                s.cutoff.format("%H:%M"),
                s.days,
                s.wape_forecast,
                s.wape_reforecast,
                100.0 * (s.wape_reforecast / s.wape_forecast - 1.0)
            );
        }
        return Ok(());
    }
    let (Some(fc_path), Some(act_path)) = (fc, actuals) else {
        return Err(Error::invalid(
            "--forecast",
            "give --forecast F.csv with --actuals A.csv, or --history H.csv for the backtest",
        ));
    };
    let fc = forecast::read_forecast(&fc_path)?;
    let act = forecast::read_history(&act_path, format)?;
    let tz = act.tz();
    let observed: Vec<usize> = (0..act.len())
        .filter(|i| act.volume(*i).is_some())
        .collect();
    let (Some(first), Some(last)) = (observed.first(), observed.last()) else {
        return Err(Error::invalid(
            act_path.display().to_string(),
            "has no observed interval",
        ));
    };
    let day = act
        .horizon()
        .interval_start(*first)
        .with_timezone(&tz)
        .date_naive();
    let last_start = act.horizon().interval_start(*last);
    if last_start.with_timezone(&tz).date_naive() != day {
        return Err(Error::invalid(
            act_path.display().to_string(),
            "the actuals must lie within one local day",
        ));
    }
    let cut = last_start + chrono::Duration::minutes(i64::from(act.horizon().interval_minutes()));
    let rows: Vec<usize> = (0..fc.starts.len())
        .filter(|r| fc.starts[*r].with_timezone(&tz).date_naive() == day)
        .collect();
    if rows.is_empty() {
        return Err(Error::invalid(
            fc_path.display().to_string(),
            format!("has no row on {day}, the day of the actuals"),
        ));
    }
    let planned_day: f64 = rows.iter().map(|r| fc.volume[*r]).sum();
    let (mut p, mut a) = (0.0, 0.0);
    for r in rows.iter().filter(|r| fc.starts[**r] < cut) {
        p += fc.volume[*r];
        if let Some(i) = act.index_of(fc.starts[*r]) {
            a += act.volume(i).unwrap_or(0.0);
        }
    }
    let factor = forecast::reforecast_factor(p, a, planned_day, shrink);
    outln!(
        "{day}: {a:.0} contacts before {} against {p:.0} forecast; rest of the day x {factor:.3}",
        fmt_utc(cut)
    );
    let secs = 60.0 * f64::from(act.horizon().interval_minutes());
    outln!("interval_start_utc,forecast,reforecast,change,load_change_erlangs,agents");
    for r in rows.iter().filter(|r| fc.starts[**r] >= cut) {
        let v = fc.volume[*r];
        let nv = v * factor;
        let load = match &fc.aht_seconds {
            Some(aht) => (nv - v) * aht[*r] / secs,
            None => f64::NAN,
        };
        let say = if load.is_nan() {
            "(no aht_seconds)"
        } else if load >= 0.5 {
            "more"
        } else if load <= -0.5 {
            "fewer"
        } else {
            "same"
        };
        outln!(
            "{},{v:.1},{nv:.1},{:+.1},{load:+.2},{say}",
            fmt_utc(fc.starts[*r]),
            nv - v
        );
    }
    Ok(())
}
