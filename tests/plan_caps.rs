//! Caps, counts and budgets hold in the plans the planner returns.

use chrono::{Duration, TimeZone, Utc};
use wfm::plan::{self, PlanProblem, PlanRules, SiteCap, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

fn template(name: &str, site: &str, cost_per_hour: f64) -> ShiftTemplate {
    let mut t = ShiftTemplate::new(
        name,
        site,
        "calls",
        360,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: ClockTime::new(0, 0).unwrap(),
            to: ClockTime::new(23, 30).unwrap(),
        },
    );
    t.start_step_minutes = Some(30);
    t.cost_per_paid_hour = cost_per_hour;
    t.breaks.push(BreakRule {
        name: "lunch".into(),
        minutes: 30,
        paid: false,
        window: BreakWindow {
            from_minutes: 120,
            to_minutes: 240,
        },
    });
    t
}

fn problem(rules: PlanRules, cheap: ShiftTemplate) -> PlanProblem {
    let horizon = Horizon::days(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 30, 2).unwrap();
    let req: Vec<u32> = (0..horizon.len())
        .map(|i| {
            let h = (i % 48) / 2;
            if (8..20).contains(&h) {
                7
            } else {
                2
            }
        })
        .collect();
    PlanProblem::new(
        horizon,
        vec![
            Site::new("a", "Europe/London").unwrap(),
            Site::new("b", "Asia/Manila").unwrap(),
        ],
        vec![cheap, template("dear", "b", 1.5)],
        vec![("calls".into(), req)],
        rules,
    )
    .unwrap()
}

fn opts() -> SolveOptions {
    SolveOptions {
        time_limit_seconds: 2.0,
        ..SolveOptions::default()
    }
}

fn show(p: &plan::Plan) {
    println!(
        "cost {} bound {} gap {:.4} {:?} {:.2} s blocks {}",
        p.cost, p.lower_bound, p.gap, p.status, p.solve_seconds, p.blocks
    );
}

#[test]
fn site_caps_per_interval_and_per_day_hold() {
    let rules = PlanRules {
        site_caps: vec![SiteCap {
            site: "a".into(),
            max_per_interval: Some(4),
            max_per_day: Some(9),
        }],
        ..PlanRules::default()
    };
    let pr = problem(rules, template("cheap", "a", 1.0));
    let p = plan::solve(&pr, &opts()).unwrap();
    show(&p);
    assert!(p.cost >= p.lower_bound);
    let h = pr.horizon();
    for i in 0..h.len() {
        let t = h.interval_start(i);
        let on_shift: u32 = p
            .shifts
            .iter()
            .filter(|s| s.shift.site == "a" && s.shift.start <= t && t < s.shift.end)
            .map(|s| s.count)
            .sum();
        assert!(on_shift <= 4, "interval {i}: {on_shift} on shift at a");
    }
    let site_a = &pr.sites()[0];
    let mut per_day = std::collections::BTreeMap::new();
    for s in p.shifts.iter().filter(|s| s.shift.site == "a") {
        *per_day
            .entry(site_a.local(s.shift.start).date_naive())
            .or_insert(0) += s.count;
    }
    assert!(per_day.values().all(|&n| n <= 9), "{per_day:?}");
    assert!(p.shifts.iter().any(|s| s.shift.site == "b"));
    for q in &p.coverage {
        assert!(q.required.iter().zip(&q.scheduled).all(|(r, s)| s >= r));
    }
}

#[test]
fn template_counts_and_budget_hold() {
    let mut cheap = template("cheap", "a", 1.0);
    cheap.max_count = Some(5);
    let mut pr = problem(PlanRules::default(), cheap.clone());
    let p = plan::solve(&pr, &opts()).unwrap();
    let n: u32 = p
        .shifts
        .iter()
        .filter(|s| s.shift.template == "cheap")
        .map(|s| s.count)
        .sum();
    assert!(n <= 5);

    cheap.max_count = None;
    cheap.min_count = Some(30);
    pr = problem(PlanRules::default(), cheap);
    let p = plan::solve(&pr, &opts()).unwrap();
    let n: u32 = p
        .shifts
        .iter()
        .filter(|s| s.shift.template == "cheap")
        .map(|s| s.count)
        .sum();
    show(&p);
    assert!(n >= 30);
    assert!(p
        .shifts
        .iter()
        .all(|s| s.shift.end - s.shift.start == Duration::minutes(390)));

    // A budget just above the unconstrained optimum is met.
    let free = plan::solve(
        &problem(PlanRules::default(), template("cheap", "a", 1.0)),
        &opts(),
    )
    .unwrap();
    let rules = PlanRules {
        budget: Some(free.cost + 1.0),
        ..PlanRules::default()
    };
    let p = plan::solve(&problem(rules, template("cheap", "a", 1.0)), &opts()).unwrap();
    show(&free);
    show(&p);
    assert!(p.cost <= free.cost + 1.0 + 1e-9);
}
