//! Laws of the planner on random small scenarios.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use wfm::plan::{self, CoverageMode, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

const ZONES: [&str; 3] = ["UTC", "America/New_York", "Asia/Manila"];

#[derive(Debug, Clone)]
struct Spec {
    zone: usize,
    req: Vec<u32>,
    lengths: Vec<(u32, u32, u32, bool)>, // hours, from hour, to hour, lunch
    soft: Option<(u32, u32)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..ZONES.len(),
        prop::collection::vec(0u32..6, 48),
        prop::collection::vec((2u32..9, 0u32..24, 0u32..24, any::<bool>()), 1..4),
        prop::option::of((1u32..20, 0u32..3)),
    )
        .prop_map(|(zone, req, lengths, soft)| Spec {
            zone,
            req,
            lengths,
            soft,
        })
}

fn build(s: &Spec, with_breaks: bool) -> PlanProblem {
    let site = Site::new("s", ZONES[s.zone]).unwrap();
    // Two days of 30-minute intervals around the US change.
    let h = Horizon::new(Utc.with_ymd_and_hms(2027, 3, 13, 18, 0, 0).unwrap(), 30, 48).unwrap();
    let mut templates: Vec<ShiftTemplate> = s
        .lengths
        .iter()
        .enumerate()
        .map(|(i, &(hours, a, b, lunch))| {
            let (from, to) = (a.min(b), a.max(b));
            let mut t = ShiftTemplate::new(
                format!("t{i}"),
                "s",
                "q",
                hours * 60,
                StartWindow {
                    days: Day::ALL.to_vec(),
                    from: ClockTime::new(from, 0).unwrap(),
                    to: ClockTime::new(to, 30).unwrap(),
                },
            );
            if with_breaks && lunch && hours >= 4 {
                t.breaks.push(BreakRule {
                    name: "lunch".into(),
                    minutes: 30,
                    paid: false,
                    window: BreakWindow {
                        from_minutes: 60,
                        to_minutes: 120,
                    },
                });
            }
            t
        })
        .collect();
    // A one-hour shift that may start at any time keeps every scenario feasible.
    templates.push(ShiftTemplate::new(
        "any",
        "s",
        "q",
        60,
        StartWindow {
            days: Day::ALL.to_vec(),
            from: ClockTime::new(0, 0).unwrap(),
            to: ClockTime::new(23, 30).unwrap(),
        },
    ));
    let rules = PlanRules {
        coverage: match s.soft {
            Some((u, o)) => CoverageMode::Soft {
                under_penalty: u as f64,
                over_penalty: o as f64,
            },
            None => CoverageMode::Hard,
        },
        ..PlanRules::default()
    };
    PlanProblem::new(
        h,
        vec![site],
        templates,
        vec![("q".into(), s.req.clone())],
        rules,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn reported_coverage_is_the_shifts_coverage_and_cost_is_above_the_bound(s in spec()) {
        let problem = build(&s, true);
        // Feasible by construction: never infeasible.
        let p = plan::solve(&problem, &SolveOptions::default()).unwrap();
        // Coverage recomputed independently from each shift's working intervals.
        let h = problem.horizon();
        let mut cov = vec![0u32; h.len()];
        for ps in &p.shifts {
            for i in ps.shift.working_intervals(h) {
                cov[i] += ps.count;
            }
        }
        prop_assert_eq!(&p.coverage[0].scheduled, &cov);
        prop_assert!(p.objective >= p.lower_bound - 1e-9);
        prop_assert!(p.gap >= 0.0);
        let cost: f64 = p.shifts.iter().map(|s| s.cost_each * s.count as f64).sum();
        prop_assert!((cost - p.cost).abs() < 1e-9);
        if s.soft.is_none() {
            for (r, c) in s.req.iter().zip(&cov) {
                prop_assert!(c >= r);
            }
        } else {
            let (u, o) = s.soft.unwrap();
            let pen: f64 = s.req.iter().zip(&cov).map(|(&r, &c)| {
                if c < r { (r - c) as f64 * u as f64 } else { (c - r) as f64 * o as f64 }
            }).sum();
            prop_assert!((pen - p.penalty).abs() < 1e-9);
        }
    }

    #[test]
    fn flow_and_lp_agree_on_interval_problems(s in spec()) {
        let s = Spec { soft: None, ..s };
        let problem = build(&s, false);
        let flow = plan::solve(&problem, &SolveOptions::default()).unwrap();
        let lp = plan::solve(&problem, &SolveOptions { interval_flow: false, ..SolveOptions::default() }).unwrap();
        prop_assert_eq!(flow.status, plan::PlanStatus::Optimal);
        prop_assert!((flow.cost - lp.lower_bound).abs() < 1e-6, "flow {} lp bound {}", flow.cost, lp.lower_bound);
        prop_assert!(lp.cost >= flow.cost - 1e-6);
    }
}
