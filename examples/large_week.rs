//! Plans the large week of `tests/data/week_quarter_hour/` (15-minute grid, 4- to 10-hour
//! shifts starting every 15 minutes, a 30-minute lunch 3 to 5 hours into every shift of 6
//! hours or more) and prints the cost, the bound, the gap, the status and the wall time.
//!
//! `cargo run --release [--features highs] --example large_week -- [--cross-midnight] [--divide N] [--time-limit S] [--gap G] [--backend microlp|highs|coin_cbc] [--progress]`
//!
//! The time limit defaults to the planner's (10 s). `--cross-midnight` lets shifts end after
//! midnight (31 584 candidates in one block, against 20 951 in seven day blocks without).
//! `--divide N` divides every requirement by `N` (rounded up): the same week with few
//! agents, where lunches weigh more. `--progress` prints the planner's events as they come.

use chrono::{TimeZone, Utc};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;
use wfm::plan::{self, Backend, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};
use wfm::Error;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The week's requirements per 15-minute interval.
fn required() -> Result<Vec<u32>, Error> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/week_quarter_hour/week_quarter_hour.json"
    );
    let text = std::fs::read_to_string(path).map_err(|e| Error::invalid(path, e.to_string()))?;
    let d: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Error::invalid(path, e.to_string()))?;
    d["required"]
        .as_array()
        .ok_or_else(|| Error::invalid(format!("{path}: required"), "not a list"))?
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| Error::invalid(format!("{path}: required[{i}]"), "not a count"))
        })
        .collect()
}

fn problem(cross_midnight: bool, divide: u32) -> Result<PlanProblem, Error> {
    let time = |h, m| ClockTime::new(h, m).ok_or_else(|| Error::invalid("start window", "time"));
    let mut templates = Vec::new();
    for h in 4..=10u32 {
        let mut t = ShiftTemplate::new(
            format!("{h}h"),
            "site",
            "calls",
            h * 60,
            StartWindow {
                days: Day::ALL.to_vec(),
                from: time(0, 0)?,
                to: time(23, 45)?,
            },
        );
        if h >= 6 {
            t.breaks.push(BreakRule {
                name: "lunch".into(),
                minutes: 30,
                paid: false,
                window: BreakWindow {
                    from_minutes: 180,
                    to_minutes: 300,
                },
            });
        }
        t.cross_midnight = cross_midnight;
        templates.push(t);
    }
    let start = Utc
        .with_ymd_and_hms(2027, 3, 8, 0, 0, 0)
        .single()
        .ok_or_else(|| Error::invalid("horizon.start", "not an instant"))?;
    PlanProblem::new(
        Horizon::days(start, 15, 7)?,
        vec![Site::new("site", "UTC")?],
        templates,
        vec![(
            "calls".into(),
            required()?.iter().map(|r| r.div_ceil(divide)).collect(),
        )],
        PlanRules::default(),
    )
}

fn run() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let mut cross = false;
    let mut progress = false;
    let mut divide = 1u32;
    let mut options = SolveOptions::default();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--cross-midnight" => cross = true,
            "--progress" => progress = true,
            "--time-limit" => {
                let v = args
                    .next()
                    .ok_or_else(|| Error::invalid("--time-limit", "missing value"))?;
                options.time_limit_seconds = v.parse().map_err(|_| {
                    Error::invalid("--time-limit", format!("{v:?} is not a number"))
                })?;
            }
            "--divide" => {
                let v = args
                    .next()
                    .ok_or_else(|| Error::invalid("--divide", "missing value"))?;
                divide =
                    v.parse().ok().filter(|&d| d > 0).ok_or_else(|| {
                        Error::invalid("--divide", format!("{v:?} is not a count"))
                    })?;
            }
            "--gap" => {
                let v = args
                    .next()
                    .ok_or_else(|| Error::invalid("--gap", "missing value"))?;
                options.gap = v
                    .parse()
                    .map_err(|_| Error::invalid("--gap", format!("{v:?} is not a number")))?;
            }
            "--backend" => {
                let v = args
                    .next()
                    .ok_or_else(|| Error::invalid("--backend", "missing value"))?;
                options.backend = match v.as_str() {
                    "microlp" => Backend::Microlp,
                    "highs" => Backend::Highs,
                    "coin_cbc" => Backend::CoinCbc,
                    _ => {
                        return Err(Error::invalid(
                            "--backend",
                            format!("unknown backend {v:?}"),
                        ))
                    }
                };
            }
            other => return Err(Error::invalid("arguments", format!("unknown {other:?}"))),
        }
    }
    let t0 = Instant::now();
    if progress {
        options.observer = Some(Arc::new(move |e: &plan::PlanEvent| {
            eprintln!("{:8.3} s {e:?}", t0.elapsed().as_secs_f64());
        }));
    }
    let p = problem(cross, divide)?;
    let r = plan::solve(&p, &options)?;
    println!(
        "{}, requirements / {divide}, backend {} limit {} s: candidates {} blocks {} cost {} bound {} gap {:.3} % status {:?} solve {:.2} s wall {:.2} s",
        if cross { "crossing midnight" } else { "same day" },
        options.backend.name(),
        options.time_limit_seconds,
        r.candidates,
        r.blocks,
        r.cost,
        r.lower_bound,
        100.0 * r.gap,
        r.status,
        r.solve_seconds,
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
