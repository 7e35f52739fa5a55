//! A large week: 15-minute grid, 4 to 10-hour shifts starting every 15 minutes, an unpaid
//! 30-minute lunch placed 3 to 5 hours into every shift of 6 hours or more.

use chrono::{TimeZone, Utc};
use serde_json::Value;
use wfm::plan::{self, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

fn large_week(cross_midnight: bool) -> PlanProblem {
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
    let templates = (4..=10)
        .map(|h| {
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
            t
        })
        .collect();
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

fn check(problem: &PlanProblem, backend: plan::Backend) {
    let t0 = std::time::Instant::now();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = seen.clone();
    let options = SolveOptions {
        observer: Some(std::sync::Arc::new(move |p: &plan::PlanEvent| {
            println!("{:8.3} s {p:?}", t0.elapsed().as_secs_f64());
            log.lock().unwrap().push(p.clone());
        })),
        backend,
        // Generous: the result must not depend on how busy the machine is.
        time_limit_seconds: 600.0,
        ..SolveOptions::default()
    };
    let p = plan::solve(problem, &options).unwrap();
    let seen = seen.lock().unwrap();
    assert!(matches!(
        seen.first(),
        Some(plan::PlanEvent::CandidatesBuilt { .. })
    ));
    assert!(matches!(seen.last(), Some(plan::PlanEvent::Done { .. })));
    println!(
        "candidates {} blocks {} cost {} bound {} gap {:.5} status {:?} seconds {:.3}",
        p.candidates, p.blocks, p.cost, p.lower_bound, p.gap, p.status, p.solve_seconds
    );
    assert!(p.candidates >= 15_000);
    assert!(p.cost >= p.lower_bound);
    assert!(p.gap <= 0.005, "gap {}", p.gap);
    for q in &p.coverage {
        for (r, s) in q.required.iter().zip(&q.scheduled) {
            assert!(s >= r);
        }
    }
}

#[test]
fn large_week_within_half_a_percent() {
    check(&large_week(false), plan::Backend::Microlp);
}

#[cfg(feature = "highs")]
#[test]
fn large_week_within_half_a_percent_with_highs() {
    check(&large_week(false), plan::Backend::Highs);
}

#[cfg(feature = "highs")]
#[test]
fn large_week_crossing_midnight_with_highs() {
    check(&large_week(true), plan::Backend::Highs);
}

#[test]
fn large_week_crossing_midnight_within_half_a_percent() {
    check(&large_week(true), plan::Backend::Microlp);
}

/// Whatever the time limit, a plan comes back: complete coverage, a valid bound, status
/// `time_limit` when the limit cut the search short.
#[test]
fn a_tiny_time_limit_still_gives_a_complete_plan() {
    for cross in [false, true] {
        let problem = large_week(cross);
        let options = SolveOptions {
            time_limit_seconds: 0.2,
            ..SolveOptions::default()
        };
        let p = plan::solve(&problem, &options).unwrap();
        assert!(p.cost >= p.lower_bound - 1e-6);
        assert!(p.lower_bound >= 0.0);
        for q in &p.coverage {
            for (r, s) in q.required.iter().zip(&q.scheduled) {
                assert!(s >= r);
            }
        }
    }
}
