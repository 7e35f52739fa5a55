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
    let d = forecast::reforecast_day(
        &fc,
        &act,
        shrink,
        &fc_path.display().to_string(),
        &act_path.display().to_string(),
    )?;
    outln!(
        "{}: {:.0} contacts before {} against {:.0} forecast; rest of the day x {:.3}",
        d.day,
        d.actual_so_far,
        fmt_utc(d.cutoff),
        d.forecast_so_far,
        d.factor
    );
    outln!("interval_start_utc,forecast,reforecast,change,load_change_erlangs,agents");
    for r in &d.rest {
        outln!(
            "{},{:.1},{:.1},{:+.1},{:+.2},{}",
            fmt_utc(r.start),
            r.forecast,
            r.reforecast,
            r.reforecast - r.forecast,
            r.load_change_erlangs.unwrap_or(f64::NAN),
            r.agents().unwrap_or("(no aht_seconds)")
        );
    }
    Ok(())
}
