//! Same input, same plan: the planner's decisions are paced by work units
//! (`SolveOptions::work`), not by the clock, so a run that the clock does not cut gives the
//! same plan, byte for byte, on every run, however busy the machine is.
//!
//! The time limits here are generous (an hour) so the clock, the safety net, never cuts;
//! the work is that of a 10 s (or 5 s) default, so the runs take the decisions a short
//! limit would.

use chrono::{TimeZone, Utc};
use wfm::plan::{self, Plan, PlanProblem, PlanRules, PlanStatus, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

/// `days` days on a 15-minute grid at a London site (two DST changes in a year): 8-hour
/// shifts with a 30-minute lunch 3 to 5 hours in and 4-hour shifts without, starting every
/// 30 minutes in their windows (around the clock and crossing midnight when `around`).
fn problem(days: u32, around: bool) -> PlanProblem {
    let horizon =
        Horizon::days(Utc.with_ymd_and_hms(2027, 1, 4, 0, 0, 0).unwrap(), 15, days).unwrap();
    let window = |from: (u32, u32), to: (u32, u32)| StartWindow {
        days: Day::ALL.to_vec(),
        from: ClockTime::new(from.0, from.1).unwrap(),
        to: ClockTime::new(to.0, to.1).unwrap(),
    };
    let (long_from, long_to, short_from, short_to) = if around {
        ((0, 0), (23, 30), (0, 0), (23, 30))
    } else {
        ((6, 0), (14, 0), (8, 0), (19, 30))
    };
    let mut long = ShiftTemplate::new("8h", "london", "calls", 480, window(long_from, long_to));
    long.start_step_minutes = Some(30);
    long.breaks.push(BreakRule {
        name: "lunch".into(),
        minutes: 30,
        paid: false,
        window: BreakWindow {
            from_minutes: 180,
            to_minutes: 300,
        },
    });
    long.cross_midnight = around;
    let mut short = ShiftTemplate::new("4h", "london", "calls", 240, window(short_from, short_to));
    short.start_step_minutes = Some(30);
    short.cross_midnight = around;
    // A day and a week shape, and an irregular part so the days differ.
    let required: Vec<u32> = (0..horizon.len())
        .map(|i| {
            let h = (i % 96) as f64 / 4.0;
            let day = i / 96;
            let weekly = [1.0, 0.95, 0.9, 0.9, 1.0, 0.6, 0.5][day % 7];
            let level = if around { 3.0 } else { 0.0 };
            let peak = 14.0 * (-((h - 12.5) / 3.5).powi(2)).exp() * weekly;
            let noise = ((i * 7919 + day * 104_729) % 5) as f64;
            if !around && !(8.0..22.0).contains(&h) {
                0
            } else {
                (level + peak + noise).round() as u32
            }
        })
        .collect();
    PlanProblem::new(
        horizon,
        vec![Site::new("london", "Europe/London").unwrap()],
        vec![long, short],
        vec![("calls".into(), required)],
        PlanRules::default(),
    )
    .unwrap()
}

/// The plan as bytes, without the one figure that is the clock's (its solve time).
fn bytes(mut plan: Plan) -> String {
    plan.solve_seconds = 0.0;
    serde_json::to_string(&plan).unwrap()
}

fn three_runs(problem: &PlanProblem, work: u64) -> Vec<(String, PlanStatus)> {
    let options = SolveOptions {
        time_limit_seconds: 3600.0,
        work: Some(work),
        ..SolveOptions::default()
    };
    (0..3)
        .map(|_| {
            let p = plan::solve(problem, &options).unwrap();
            let status = p.status;
            (bytes(p), status)
        })
        .collect()
}

fn assert_same(runs: &[(String, PlanStatus)]) {
    for (i, (text, status)) in runs.iter().enumerate() {
        // Only a run the clock cut may differ, and an hour is never reached here.
        assert_ne!(*status, PlanStatus::TimeLimit, "run {i}");
        assert!(*text == runs[0].0, "run {i} differs from run 0");
    }
}

#[test]
fn a_year_of_days_gives_the_same_plan_three_times() {
    // 366 days (2027-01-04 to 2028-01-04), one block per day: hundreds of LPs, dives and
    // MIPs, each block with a share of the work of a 10 s limit.
    let p = problem(366, false);
    let runs = three_runs(&p, plan::work_for(10.0));
    let first: Plan = serde_json::from_str(&runs[0].0).unwrap();
    assert!(first.blocks >= 366, "{} blocks", first.blocks);
    assert!(first.objective >= first.lower_bound - 1e-6);
    assert_same(&runs);
    // The same work under its own 10 s limit: the clock only decides whether the run is
    // cut. Uncut, the plan is the one above (a decision that read the clock would differ
    // here, where an hour's limit and a 10 s one give different shares of time); cut (a
    // busy machine), the status says so.
    let short = plan::solve(&p, &SolveOptions::default()).unwrap();
    if short.status == PlanStatus::TimeLimit {
        println!("the 10 s run was cut by the clock: not compared");
    } else {
        assert!(bytes(short) == runs[0].0, "the 10 s run differs");
    }
}

#[test]
fn a_windowed_month_gives_the_same_plan_three_times() {
    // 21 days of shifts around the clock that cross midnight: one block of more than
    // 8 000 candidates, bounded by time windows and planned by rolling windows, then the
    // neighbourhood search, within the work of a 5 s limit.
    let p = problem(21, true);
    let runs = three_runs(&p, plan::work_for(5.0));
    let first: Plan = serde_json::from_str(&runs[0].0).unwrap();
    assert_eq!(first.blocks, 1);
    assert!(first.candidates > 8000, "{} candidates", first.candidates);
    assert!(first.objective >= first.lower_bound - 1e-6);
    assert_same(&runs);
}

#[test]
fn less_work_is_a_coarser_plan_but_the_same_on_every_run() {
    // With very little work the phases stop early (no LP once the work is spent), by the
    // count of work, not the clock: still the same plan on every run.
    let p = problem(28, false);
    let runs = three_runs(&p, 50);
    assert_same(&runs);
    let rich = three_runs(&p, plan::work_for(10.0));
    assert_same(&rich);
    let poor: Plan = serde_json::from_str(&runs[0].0).unwrap();
    let rich: Plan = serde_json::from_str(&rich[0].0).unwrap();
    assert!(rich.lower_bound >= poor.lower_bound - 1e-6);
}

#[test]
fn work_of_zero_is_a_named_error() {
    let p = problem(1, false);
    let options = SolveOptions {
        work: Some(0),
        ..SolveOptions::default()
    };
    let err = plan::solve(&p, &options).unwrap_err().to_string();
    assert!(err.contains("solve.work"), "{err}");
}
