//! The week of 15-minute requirements in `tests/data/week_quarter_hour/`, under the peer's
//! rules (4, 6, 8 h; any 15-minute start; no crossing midnight; cost = paid hours).

use chrono::{TimeZone, Utc};
use serde_json::Value;
use wfm::plan::{self, PlanProblem, PlanRules, PlanStatus, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

fn week(cross_midnight: bool) -> PlanProblem {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/week_quarter_hour/week_quarter_hour.json"
    ))
    .unwrap();
    let d: Value = serde_json::from_str(&text).unwrap();
    let req: Vec<u32> = d["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect();
    let templates = [4, 6, 8]
        .iter()
        .map(|&h| {
            let mut t = ShiftTemplate::new(
                format!("{h}h"),
                "site",
                "calls",
                h * 60,
                StartWindow {
                    days: Day::ALL.to_vec(),
                    from: ClockTime::new(0, 0).unwrap(),
                    to: ClockTime::new(23, 45).unwrap(),
                },
            );
            t.cross_midnight = cross_midnight;
            t
        })
        .collect();
    // Monday 2027-03-08, a site on UTC (the data has no time zone).
    let horizon = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 15, 7).unwrap();
    PlanProblem::new(
        horizon,
        vec![Site::new("site", "UTC").unwrap()],
        templates,
        vec![("calls".into(), req)],
        PlanRules::default(),
    )
    .unwrap()
}

fn covers(p: &plan::Plan) -> bool {
    p.coverage
        .iter()
        .all(|q| q.required.iter().zip(&q.scheduled).all(|(r, s)| s >= r))
}

#[test]
fn peer_rules_give_6462_paid_hours() {
    let problem = week(false);
    let p = plan::solve(&problem, &SolveOptions::default()).unwrap();
    assert_eq!(p.paid_hours, 6462.0);
    assert_eq!(p.cost, 6462.0);
    assert_eq!(p.lower_bound, 6462.0);
    assert_eq!(p.status, PlanStatus::Optimal);
    assert_eq!(p.blocks, 7, "days are independent blocks");
    assert_eq!(p.flow_blocks, 7);
    assert!(covers(&p));
    for s in &p.shifts {
        assert!(s.shift.end <= problem.horizon().end());
        assert_eq!(
            s.shift.start.date_naive(),
            (s.shift.end - chrono::Duration::minutes(1)).date_naive(),
            "no shift crosses midnight"
        );
    }
}

#[test]
fn flow_and_lp_agree_on_the_week() {
    let problem = week(false);
    let lp = plan::solve(
        &problem,
        &SolveOptions {
            interval_flow: false,
            ..SolveOptions::default()
        },
    )
    .unwrap();
    assert_eq!(lp.flow_blocks, 0);
    assert_eq!(lp.lower_bound, 6462.0);
    assert!(covers(&lp));
    assert_eq!(lp.cost, 6462.0, "the interval LP has an integral optimum");
}

#[test]
fn crossing_midnight_is_never_dearer() {
    let strict = plan::solve(&week(false), &SolveOptions::default()).unwrap();
    let free = plan::solve(&week(true), &SolveOptions::default()).unwrap();
    assert_eq!(free.status, PlanStatus::Optimal);
    assert!(free.flow_blocks >= 1);
    assert!(covers(&free));
    assert!(free.cost <= strict.cost, "{} > {}", free.cost, strict.cost);
    println!(
        "no crossing: {} h; crossing allowed: {} h ({} blocks)",
        strict.cost, free.cost, free.blocks
    );
}
