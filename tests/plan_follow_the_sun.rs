//! Three sites follow the sun through the week of the US daylight-saving change
//! (2027-03-08 .. 2027-03-14; New York springs forward on Sunday 2027-03-14 at 02:00 local).
//! One queue, demand given in UTC. Shifts must obey each site's local start windows on both
//! sides of the change.

use chrono::{Duration, NaiveTime, TimeZone, Timelike, Utc};
use wfm::plan::{self, PlanProblem, PlanRules, PlanStatus, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{fmt_utc, Horizon, Site};

fn problem() -> PlanProblem {
    let sites = vec![
        Site::new("new_york", "America/New_York").unwrap(),
        Site::new("london", "Europe/London").unwrap(),
        Site::new("manila", "Asia/Manila").unwrap(),
    ];
    let templates = sites
        .iter()
        .map(|s| {
            let mut t = ShiftTemplate::new(
                format!("{}_day", s.name),
                s.name.clone(),
                "support",
                480,
                StartWindow {
                    days: Day::ALL.to_vec(),
                    from: ClockTime::new(6, 0).unwrap(),
                    to: ClockTime::new(14, 0).unwrap(),
                },
            );
            t.start_step_minutes = Some(30);
            t.breaks.push(BreakRule {
                name: "lunch".into(),
                minutes: 30,
                paid: false,
                window: BreakWindow {
                    from_minutes: 210,
                    to_minutes: 270,
                },
            });
            t
        })
        .collect();
    let horizon = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 15, 7).unwrap();
    // Demand in UTC: a base of 4 agents with a peak of 12 around 15:00 UTC every day.
    let req = (0..horizon.len())
        .map(|i| {
            let h = horizon.interval_start(i).hour() as f64;
            let peak = (-(h - 15.0).powi(2) / 18.0).exp();
            4 + (8.0 * peak).round() as u32
        })
        .collect();
    PlanProblem::new(
        horizon,
        sites,
        templates,
        vec![("support".into(), req)],
        PlanRules::default(),
    )
    .unwrap()
}

#[test]
fn local_start_windows_hold_on_both_sides_of_the_change() {
    let problem = problem();
    let options = SolveOptions {
        gap: 0.03,
        time_limit_seconds: 10.0,
        observer: Some(std::sync::Arc::new(|p: &plan::PlanEvent| println!("{p:?}"))),
        ..SolveOptions::default()
    };
    let p = plan::solve(&problem, &options).unwrap();
    println!(
        "candidates {} cost {} bound {} gap {:.4} status {:?} {:.2} s",
        p.candidates, p.cost, p.lower_bound, p.gap, p.status, p.solve_seconds
    );
    assert!(p.cost >= p.lower_bound);
    assert!(p.gap <= 0.03 || p.status == PlanStatus::TimeLimit);
    for q in &p.coverage {
        for (r, s) in q.required.iter().zip(&q.scheduled) {
            assert!(s >= r);
        }
    }
    let ny = &problem.sites()[0];
    let from = NaiveTime::from_hms_opt(6, 0, 0).unwrap();
    let to = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
    let change = Utc.with_ymd_and_hms(2027, 3, 14, 7, 0, 0).unwrap();
    let (mut before, mut after) = (0, 0);
    for s in &p.shifts {
        let site = problem
            .sites()
            .iter()
            .find(|x| x.name == s.shift.site)
            .unwrap();
        let local = site.local(s.shift.start);
        assert!(local.time() >= from && local.time() <= to, "{local}");
        if site.name == ny.name {
            // EST (UTC-5) before the change, EDT (UTC-4) after.
            let offset = (local.naive_local() - s.shift.start.naive_utc()).num_hours();
            if s.shift.start < change {
                assert_eq!(offset, -5);
                before += 1;
            } else {
                assert_eq!(offset, -4);
                after += 1;
            }
        }
    }
    assert!(before > 0 && after > 0, "New York works on both sides");
    // The candidates themselves: 08:00 New York is 13:00Z on Saturday, 12:00Z on Sunday.
    let ny_starts: Vec<String> = problem
        .candidates()
        .iter()
        .filter(|c| c.site == 0)
        .map(|c| fmt_utc(c.shift.start))
        .collect();
    assert!(ny_starts.iter().any(|s| s == "2027-03-13T13:00:00Z"));
    assert!(ny_starts.iter().any(|s| s == "2027-03-14T12:00:00Z"));
    // 06:00 local is the earliest start: 11:00Z in EST, 10:00Z in EDT, never 10:00Z before.
    assert!(ny_starts.iter().any(|s| s == "2027-03-13T11:00:00Z"));
    assert!(ny_starts.iter().any(|s| s == "2027-03-14T10:00:00Z"));
    assert!(!ny_starts.iter().any(|s| s == "2027-03-13T10:00:00Z"));
    // Manila has no daylight saving: 08:00 local is always 00:00Z.
    let mnl_8 = problem
        .candidates()
        .iter()
        .filter(|c| c.site == 2)
        .filter(|c| {
            let l = problem.sites()[2].local(c.shift.start);
            l.hour() == 8 && l.minute() == 0
        })
        .all(|c| c.shift.start.hour() == 0 && c.shift.start.minute() == 0);
    assert!(mnl_8);
    assert!(p
        .shifts
        .iter()
        .all(|s| s.shift.end - s.shift.start == Duration::minutes(510)));
}

#[test]
fn a_tiny_time_limit_still_returns_a_plan_with_its_gap() {
    let problem = problem();
    let options = SolveOptions {
        time_limit_seconds: 0.001,
        ..SolveOptions::default()
    };
    let p = plan::solve(&problem, &options).unwrap();
    assert!(!p.shifts.is_empty());
    assert!(p.cost >= p.lower_bound);
    assert!(p.gap > 0.0);
    assert_eq!(p.status, PlanStatus::TimeLimit);
    for q in &p.coverage {
        for (r, s) in q.required.iter().zip(&q.scheduled) {
            assert!(s >= r);
        }
    }
}
