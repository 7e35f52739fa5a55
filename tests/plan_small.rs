//! Exact optima of the textbook shift-scheduling problems in `tests/data/shift_small/`.

use chrono::{TimeZone, Utc};
use serde_json::Value;
use wfm::plan::{self, PlanProblem, PlanRules, PlanStatus, SolveOptions};
use wfm::shifts::{ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

fn data() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/shift_small/instances.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn nums(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn fixed_start(name: &str, hour: u32, hours: u32, cost: f64) -> ShiftTemplate {
    let at = ClockTime::new(hour, 0).unwrap();
    let mut t = ShiftTemplate::new(
        name,
        "hq",
        "calls",
        hours * 60,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: at,
            to: at,
        },
    );
    t.cost_per_paid_hour = 0.0;
    t.cost_per_shift = cost;
    t
}

fn check_cover(p: &plan::Plan) {
    for q in &p.coverage {
        for (r, s) in q.required.iter().zip(&q.scheduled) {
            assert!(s >= r, "coverage {s} below requirement {r}");
        }
    }
}

/// The flow path, and the LP path with every backend compiled in.
fn both_paths(problem: &PlanProblem) -> Vec<plan::Plan> {
    let mut out = vec![plan::solve(problem, &SolveOptions::default()).unwrap()];
    for backend in [
        plan::Backend::Microlp,
        plan::Backend::Highs,
        plan::Backend::CoinCbc,
    ] {
        if backend.available() {
            let o = SolveOptions {
                interval_flow: false,
                backend,
                ..SolveOptions::default()
            };
            out.push(plan::solve(problem, &o).unwrap());
        }
    }
    out
}

#[test]
fn union_airways_costs_30610() {
    let d = data();
    let inst = &d["union_airways"];
    let req2h = nums(&inst["requirement"]);
    // Periods 06-08 .. 22-24 are two hours each, 00-06 is six: hourly grid from 06:00.
    let mut req = Vec::new();
    for r in &req2h[..9] {
        req.extend([*r as u32; 2]);
    }
    req.extend([req2h[9] as u32; 6]);
    let costs = nums(&inst["cost_per_agent"]);
    let starts = [6, 8, 12, 16, 22];
    let templates: Vec<ShiftTemplate> = starts
        .iter()
        .zip(&costs)
        .enumerate()
        .map(|(i, (&h, &c))| fixed_start(&format!("S{}", i + 1), h, 8, c))
        .collect();
    let horizon =
        Horizon::new(Utc.with_ymd_and_hms(2027, 3, 10, 6, 0, 0).unwrap(), 60, 24).unwrap();
    let site = Site::new("hq", "UTC").unwrap();
    let problem = PlanProblem::new(
        horizon,
        vec![site],
        templates,
        vec![("calls".into(), req)],
        PlanRules::default(),
    )
    .unwrap();
    assert_eq!(problem.candidates().len(), 5);
    for p in both_paths(&problem) {
        assert_eq!(p.cost, inst["optimal_objective"].as_f64().unwrap());
        assert_eq!(p.lower_bound, 30610.0);
        assert_eq!(p.status, PlanStatus::Optimal);
        check_cover(&p);
    }
}

#[test]
fn ctu_cyclic_needs_55_shifts() {
    let d = data();
    let inst = &d["ctu_cyclic_8h"];
    let req: Vec<u32> = nums(&inst["requirement"])
        .iter()
        .map(|&r| r as u32)
        .collect();
    let mut t = ShiftTemplate::new(
        "8h",
        "hq",
        "calls",
        480,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: ClockTime::new(0, 0).unwrap(),
            to: ClockTime::new(23, 0).unwrap(),
        },
    );
    t.cost_per_paid_hour = 0.0;
    t.cost_per_shift = 1.0;
    let horizon =
        Horizon::new(Utc.with_ymd_and_hms(2027, 3, 10, 0, 0, 0).unwrap(), 60, 24).unwrap();
    let rules = PlanRules {
        cyclic: true,
        ..PlanRules::default()
    };
    let problem = PlanProblem::new(
        horizon,
        vec![Site::new("hq", "UTC").unwrap()],
        vec![t],
        vec![("calls".into(), req)],
        rules,
    )
    .unwrap();
    assert_eq!(problem.candidates().len(), 24);
    for p in both_paths(&problem) {
        assert_eq!(p.cost, inst["optimal_objective"].as_f64().unwrap());
        assert_eq!(p.status, PlanStatus::Optimal);
        check_cover(&p);
    }
    let p = plan::solve(&problem, &SolveOptions::default()).unwrap();
    // Without the wrap a shift covers less: never cheaper.
    let mut flat = problem.rules().clone();
    flat.cyclic = false;
    let problem2 = PlanProblem::new(
        *problem.horizon(),
        problem.sites().to_vec(),
        problem.templates().to_vec(),
        problem
            .requirements()
            .map(|(q, r)| (q.to_string(), r.to_vec()))
            .collect(),
        flat,
    )
    .unwrap();
    let p2 = plan::solve(&problem2, &SolveOptions::default()).unwrap();
    assert!(p2.cost >= p.cost, "{}", p2.cost);
    check_cover(&p2);
}

#[test]
fn mtpa_anonymous_bank_costs_6336() {
    let d = data();
    let inst = &d["mtpa_ch6_anonymous_bank"];
    let req: Vec<u32> = nums(&inst["requirement"])
        .iter()
        .map(|&r| r as u32)
        .collect();
    let starts = nums(&inst["shift_start_hour"]);
    let costs = nums(&inst["cost_per_shift"]);
    let templates: Vec<ShiftTemplate> = starts
        .iter()
        .zip(&costs)
        .map(|(&h, &c)| fixed_start(&format!("start{h}"), h as u32, 6, c))
        .collect();
    let horizon =
        Horizon::new(Utc.with_ymd_and_hms(2027, 3, 10, 0, 0, 0).unwrap(), 60, 24).unwrap();
    let problem = PlanProblem::new(
        horizon,
        vec![Site::new("hq", "UTC").unwrap()],
        templates,
        vec![("calls".into(), req)],
        PlanRules::default(),
    )
    .unwrap();
    for p in both_paths(&problem) {
        assert_eq!(p.cost, inst["optimal_objective"].as_f64().unwrap());
        assert_eq!(p.status, PlanStatus::Optimal);
        check_cover(&p);
    }
}
