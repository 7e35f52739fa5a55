//! The planning half of the Anonymous Bank example, shared with
//! `tests/anonymous_bank_pipeline.rs`: from a week's forecast to a scenario (written as JSON
//! next to the outputs), then requirements → plan → roster → evaluate → output files, and
//! the bank's own achieved service from its log for comparison.
//!
//! Assumptions (documented in `docs/forecasting.md`, "From the bank's log to a plan"):
//! - opening hours, local time (Asia/Jerusalem): Sunday–Thursday 07:00–24:00, Friday
//!   07:00–15:00, Saturday 19:00–24:00, read off the log's arrival profile; forecast calls
//!   outside them are left to the voice menu and reported, not planned for;
//! - target 80 % answered within 20 s under Erlang A with the estimated mean patience;
//! - shrinkage 25 % on top of the modelled unpaid lunch;
//! - shifts: full-time 8 h paid with a 30-minute unpaid lunch (Sunday–Thursday), part-time
//!   4 h (every open day), no shift past local midnight.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde_json::json;
use std::path::{Path, PathBuf};
use wfm::forecast::{Contact, Forecast};
use wfm::queueing;
use wfm::scenario::{self, Outcome, Prepared, Scenario};
use wfm::time::fmt_utc;

/// Service-level threshold (seconds) used both for the target and for the bank's record.
pub const WITHIN_SECONDS: f64 = 20.0;
/// Target fraction answered within [`WITHIN_SECONDS`].
pub const TARGET_FRACTION: f64 = 0.8;
/// Assumed shrinkage (absence, training, short breaks; the lunch is modelled as a break).
pub const SHRINKAGE: f64 = 0.25;
/// File name of the forecast restricted to opening hours, next to the scenario.
pub const FORECAST_FILE: &str = "forecast_open_hours.csv";
/// File name of the scenario JSON.
pub const SCENARIO_FILE: &str = "scenario.json";

/// Whether the bank's agents work at this local instant (see the module notes).
pub fn open_at(local: DateTime<Tz>) -> bool {
    let minute = local.hour() * 60 + local.minute();
    match local.weekday() {
        Weekday::Fri => (7 * 60..15 * 60).contains(&minute),
        Weekday::Sat => minute >= 19 * 60,
        _ => minute >= 7 * 60,
    }
}

/// What the bank achieved according to its log, over callers who asked for an agent
/// (reached the queue or were served at once); hang-ups in the voice menu are left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Achieved {
    /// Callers who asked for an agent.
    pub offered: usize,
    /// Served after at most [`WITHIN_SECONDS`] in queue.
    pub answered_within: usize,
    /// Abandoned from the queue.
    pub abandoned: usize,
}

impl Achieved {
    /// Share answered within the threshold.
    pub fn service_level(&self) -> f64 {
        self.answered_within as f64 / self.offered.max(1) as f64
    }
    /// Share abandoned.
    pub fn abandon_share(&self) -> f64 {
        self.abandoned as f64 / self.offered.max(1) as f64
    }
}

/// Counts the bank's achieved service in `contacts`.
pub fn achieved(contacts: &[Contact]) -> Achieved {
    let mut a = Achieved {
        offered: 0,
        answered_within: 0,
        abandoned: 0,
    };
    for c in contacts {
        let reached = c.queue_seconds.is_some() || !c.abandoned;
        if !reached {
            continue;
        }
        a.offered += 1;
        if c.abandoned {
            a.abandoned += 1;
        } else if c.queue_seconds.unwrap_or(0.0) <= WITHIN_SECONDS {
            a.answered_within += 1;
        }
    }
    a
}

/// The planned week and its numbers.
pub struct Planned {
    /// The scenario as resolved.
    pub prepared: Prepared,
    /// Requirements, plan, roster, coverage and summary.
    pub outcome: Outcome,
    /// Forecast calls in the week.
    pub forecast_volume: f64,
    /// Forecast calls outside opening hours (not planned for).
    pub outside_volume: f64,
    /// Predicted abandonment share (volume-weighted Erlang A, with shrinkage).
    pub predicted_abandon: f64,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// The scenario for the forecast week as JSON text; the forecast file is [`FORECAST_FILE`].
pub fn scenario_json(
    fc: &Forecast,
    patience_seconds: f64,
    time_limit_seconds: f64,
) -> wfm::Result<String> {
    let sun_thu = ["sun", "mon", "tue", "wed", "thu"];
    let value = json!({
        "name": "Anonymous Bank, first week of March 1999",
        "description": "Forecast from the bank's February 1999 log; one voice queue, Erlang A \
                        with the mean patience estimated from abandonment.",
        "horizon": {
            "start": fmt_utc(fc.horizon.start()),
            "interval_minutes": fc.horizon.interval_minutes(),
            "days": fc.horizon.len() as u32 * fc.horizon.interval_minutes() / 1440,
        },
        "sites": [{"name": "bank", "zone": "Asia/Jerusalem"}],
        "queues": [{
            "name": "voice",
            "forecast_csv": FORECAST_FILE,
            "targets": {
                "service_level": {"fraction": TARGET_FRACTION, "within_seconds": WITHIN_SECONDS}
            },
            "patience_seconds": patience_seconds,
            "shrinkage": SHRINKAGE,
        }],
        "templates": [
            {
                "name": "full_time",
                "site": "bank",
                "queue": "voice",
                "paid_minutes": 480,
                "start_windows": [{"days": sun_thu, "from": "07:00", "to": "15:30"}],
                "breaks": [{
                    "name": "lunch", "minutes": 30, "paid": false,
                    "window": {"from_minutes": 180, "to_minutes": 300}
                }],
                "cross_midnight": false,
            },
            {
                "name": "part_time",
                "site": "bank",
                "queue": "voice",
                "paid_minutes": 240,
                "start_windows": [
                    {"days": sun_thu, "from": "07:00", "to": "20:00"},
                    {"days": ["fri"], "from": "07:00", "to": "11:00"},
                    {"days": ["sat"], "from": "19:00", "to": "20:00"},
                ],
                "cross_midnight": false,
            },
        ],
        "solve": {"time_limit_seconds": time_limit_seconds, "gap": 0.005},
    });
    serde_json::to_string_pretty(&value).map_err(|e| wfm::Error::invalid("scenario", e.to_string()))
}

/// Writes the forecast restricted to opening hours and the scenario into `dir`, runs
/// requirements → plan → roster → evaluate and writes every output file into `dir`.
pub fn plan_week(
    fc: &Forecast,
    tz: Tz,
    patience_seconds: f64,
    dir: &Path,
    time_limit_seconds: f64,
) -> wfm::Result<Planned> {
    let mut csv = String::from("interval_start_utc,volume,aht_seconds\n");
    let mut forecast_volume = 0.0;
    let mut outside_volume = 0.0;
    for (i, t) in fc.horizon.starts().enumerate() {
        let v = fc.volume.get(i).copied().unwrap_or(0.0);
        let a = fc.aht_seconds.get(i).copied().unwrap_or(0.0);
        forecast_volume += v;
        let (v, a) = if open_at(t.with_timezone(&tz)) {
            (v, a)
        } else {
            outside_volume += v;
            (0.0, 0.0)
        };
        csv.push_str(&format!("{},{v},{a}\n", fmt_utc(t)));
    }
    let text = scenario_json(fc, patience_seconds, time_limit_seconds)?;
    let mut files =
        wfm::io::write_files(dir, &[(FORECAST_FILE, csv), (SCENARIO_FILE, text.clone())])?;
    let shown = dir.join(SCENARIO_FILE).display().to_string();
    let prepared = Scenario::parse(&text, &shown)?.prepare(dir)?;
    let outcome = scenario::plan(&prepared, None)?;
    files.extend(wfm::io::write_all(
        dir,
        &outcome.outputs(&prepared, Utc::now()),
    )?);

    let mut abandon = 0.0;
    let mut offered = 0.0;
    if let (Some(queue), Some(cov)) = (prepared.queues.first(), outcome.coverage.queues.first()) {
        for (i, cell) in cov.cells.iter().enumerate() {
            let v = queue.volume.get(i).copied().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let productive = queueing::productive_agents(cell.scheduled, queue.shrinkage)?;
            let m = queue.staffing(&prepared.horizon, i)?.evaluate(productive)?;
            abandon += v * m.abandon_probability;
            offered += v;
        }
    }
    Ok(Planned {
        prepared,
        outcome,
        forecast_volume,
        outside_volume,
        predicted_abandon: if offered > 0.0 {
            abandon / offered
        } else {
            0.0
        },
        files,
    })
}
