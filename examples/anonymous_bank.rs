//! From a real contact log to a forecast: the Anonymous Bank (Israel) call centre,
//! February 1999 (Technion SEE lab data; see `tests/data/anonymous_bank_feb1999/SOURCE.md`).
//!
//! Reads the call log, aggregates it to 30-minute intervals in Asia/Jerusalem (weekend
//! Friday/Saturday), prints arrival rates per interval, handle time and the mean patience
//! estimated from abandonment, ranks the forecasting methods on the last week, forecasts
//! the first week of March with the best one and writes the forecast CSV. Then it plans
//! that week: a scenario (one voice queue, Erlang A with the estimated patience, 80 % in
//! 20 s, shrinkage 25 %, shift templates fitting the bank's hours; see
//! `anonymous_bank/pipeline.rs`) is written next to the outputs and run through
//! requirements → plan → roster → evaluate; all output files go to `OUT_DIR`, and the
//! plan's predicted service is printed beside what the bank achieved in its log.
//!
//! ```text
//! cargo run --release --example anonymous_bank -- [LOG] [OUT_DIR] [TIME_LIMIT_SECONDS]
//! ```
//!
//! `LOG` defaults to `tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt`,
//! `OUT_DIR` to `anonymous_bank` in the system's temporary folder, the planner's time
//! limit to 60 s.

#[path = "anonymous_bank/pipeline.rs"]
mod pipeline;

use chrono::{Datelike, Timelike, Weekday};
use std::path::PathBuf;
use wfm::forecast::{self, BacktestOptions, Calendar, ContactLogFormat};

fn main() -> wfm::Result<()> {
    let mut args = std::env::args().skip(1);
    let log_path = PathBuf::from(args.next().unwrap_or_else(|| {
        "tests/data/anonymous_bank_feb1999/data_anonymous_bank_february.txt".to_string()
    }));
    let out_dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("anonymous_bank"));
    let time_limit: f64 = match args.next() {
        Some(raw) => raw.parse().map_err(|_| {
            wfm::Error::invalid("TIME_LIMIT_SECONDS", format!("{raw:?} is not a number"))
        })?,
        None => 60.0,
    };
    let out = out_dir.join("forecast.csv");

    // The log's layout: tab-separated, date YYMMDD and arrival (VRU entry) as separate
    // columns in local time, outcome AGENT / HANG / PHANTOM, service and queue seconds.
    let tz = wfm::time::parse_tz("tz", "Asia/Jerusalem")?;
    let mut format = ContactLogFormat::new("vru_entry");
    format.delimiter = b'\t';
    format.date_column = Some("date".into());
    format.date_format = "%y%m%d".into();
    format.tz = tz;
    format.handle_column = Some("ser_time".into());
    format.abandoned = Some(("outcome".into(), vec!["HANG".into()]));
    format.queue_column = Some("q_time".into());
    format.not_queued = Some(("q_start".into(), vec!["0:00:00".into()]));
    format.exclude = Some(("outcome".into(), vec!["PHANTOM".into()]));

    let log = forecast::read_contact_log(&log_path, &format)?;
    let grid = forecast::covering_grid(&log.contacts, tz, 30)?;
    let stats = forecast::aggregate(&log.contacts, grid)?;
    println!(
        "{}: {} calls ({} phantom calls left out), {} days of 30-minute intervals from {}",
        log_path.display(),
        log.contacts.len(),
        log.excluded,
        grid.len() / 48,
        wfm::time::fmt_utc(grid.start())
    );

    // Arrival rates (calls per hour) per local half-hour, averaged by day type.
    let mut sums = vec![[0.0f64; 3]; 48];
    let mut days = [0usize; 3];
    for (i, t) in grid.starts().enumerate() {
        let local = t.with_timezone(&tz);
        let kind = match local.weekday() {
            Weekday::Fri => 1,
            Weekday::Sat => 2,
            _ => 0,
        };
        let slot = (local.hour() * 2 + local.minute() / 30) as usize;
        if slot == 0 {
            days[kind] += 1;
        }
        if let Some(row) = sums.get_mut(slot) {
            row[kind] += stats.offered.get(i).copied().unwrap_or(0) as f64;
        }
    }
    println!("\narrival rate (calls per hour) by local half-hour");
    println!("{:>5} {:>8} {:>8} {:>8}", "local", "Sun-Thu", "Fri", "Sat");
    for (slot, row) in sums.iter().enumerate() {
        let rate = |k: usize| 2.0 * row[k] / days[k].max(1) as f64;
        println!(
            "{:02}:{:02} {:>8.1} {:>8.1} {:>8.1}",
            slot / 2,
            (slot % 2) * 30,
            rate(0),
            rate(1),
            rate(2)
        );
    }

    let aht = stats.overall_aht().unwrap_or(f64::NAN);
    let patience = forecast::mean_patience(&log.contacts)?;
    println!("\naverage handle time (served calls): {aht:.1} s");
    println!(
        "mean patience (exponential): {:.1} s = {} s in queue / {} abandonments from the queue \
         ({} callers queued; {} hung up before reaching the queue, not counted)",
        patience.mean_seconds,
        patience.total_queue_seconds,
        patience.abandoned,
        patience.queued,
        patience.abandoned_before_queue
    );

    // The voice menu answers around the clock, so every interval is an observation.
    let series = stats.to_series(tz, Calendar::always_open(30))?;
    let bt = forecast::backtest(
        &series,
        &forecast::methods(),
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 1,
        },
    )?;
    println!("\nbacktest: three weeks of history, forecast of the last week of February");
    print!("{}", bt.table());
    let best = bt
        .ranking
        .first()
        .map(|(m, _)| m.clone())
        .unwrap_or_else(|| "weekly_average".to_string());
    let method = forecast::method_by_name(&best)?;
    let fc = forecast::forecast(&series, method.as_ref(), 7 * 48, None)?;
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| wfm::Error::io(out_dir.display().to_string(), e))?;
    fc.write_csv(&out)?;
    println!(
        "\nforecast with {best}: {:.0} calls in the week from {} written to {}",
        fc.volume.iter().sum::<f64>(),
        wfm::time::fmt_utc(fc.horizon.start()),
        out.display()
    );

    let p = pipeline::plan_week(&fc, tz, patience.mean_seconds, &out_dir, time_limit)?;
    let s = &p.outcome.summary;
    println!(
        "\nplan for the forecast week: {} intervals, {} shift templates (scenario and {} output \
         files in {})",
        p.prepared.horizon.len(),
        p.prepared.templates.len(),
        p.files.len(),
        out_dir.display()
    );
    println!(
        "forecast volume            {:.0} calls, of which {:.0} ({:.1} %) outside opening hours \
         (left to the voice menu)",
        p.forecast_volume,
        p.outside_volume,
        100.0 * p.outside_volume / p.forecast_volume.max(1e-9)
    );
    println!("agent hours required       {:.1}", s.required_agent_hours);
    println!(
        "agent hours scheduled      {:.1} in {} shifts",
        s.scheduled_agent_hours, s.shifts
    );
    println!(
        "plan cost (paid hours)     {:.1}, LP bound {}, gap {}, status {}, {:.1} s",
        s.cost,
        s.lower_bound.map_or("-".to_string(), |b| format!("{b:.1}")),
        s.gap
            .map_or("-".to_string(), |g| format!("{:.2} %", 100.0 * g)),
        s.status,
        s.solve_seconds
    );
    let bank = pipeline::achieved(&log.contacts);
    println!("\nservice                    plan (predicted)   bank (February log)");
    println!(
        "answered within {:.0} s      {:>15}   {:>8.1} %  ({} of {} callers who asked for an agent)",
        pipeline::WITHIN_SECONDS,
        s.service_level
            .map_or("-".to_string(), |x| format!("{:.1} %", 100.0 * x)),
        100.0 * bank.service_level(),
        bank.answered_within,
        bank.offered
    );
    println!(
        "abandoned                  {:>13.1} %   {:>8.1} %  ({} abandoned from the queue)",
        100.0 * p.predicted_abandon,
        100.0 * bank.abandon_share(),
        bank.abandoned
    );
    Ok(())
}
