//! The simulator against the exact Erlang C and Erlang A values of `queueing`, on
//! single-skill stationary cases: loads from 0.5 to 500 Erlangs, two service targets, with
//! and without (exponential) patience, staffed to the queueing model's own answer for the
//! target. Each case runs 20 replications of one warm-up hour, a measured stretch and a
//! cool-down hour; every figure's 99 % interval over replications must hold the exact
//! value in all but the share of cases chance allows.

use chrono::{TimeZone, Utc};
use wfm::demand::Channel;
use wfm::queueing::{Model, Staffing, Target, Workload};
use wfm::simulate::{
    simulate, Estimate, HandleTime, Patience, Segment, SegmentEnd, SimAgent, SimModel, SimOptions,
    SimQueue, SimSkill,
};
use wfm::time::Horizon;

const AHT: f64 = 180.0;
const REPLICATIONS: u32 = 20;
/// t quantiles for 19 degrees of freedom: 99.5 % and 97.5 %.
const T995: f64 = 2.861;
const T975: f64 = 2.093;

struct Case {
    erlangs: f64,
    within: f64,
    patience: Option<f64>,
}

/// Simulated figures and the exact ones; returns how many of the four fall outside their
/// 99 % intervals, and prints the row.
fn check(case: &Case, contacts_per_rep: f64) -> (usize, usize) {
    let hour = 3600.0;
    let per_hour = case.erlangs * hour / AHT;
    let measured = (contacts_per_rep / per_hour).ceil().max(1.0) as usize;
    let n = measured + 2;
    let workload = Workload::new(per_hour, hour, AHT).unwrap();
    let mut staffing = Staffing::new(workload)
        .target(Target::ServiceLevel {
            fraction: 0.8,
            within_seconds: case.within,
        })
        .service_level_seconds(case.within)
        .unwrap();
    if let Some(p) = case.patience {
        staffing = staffing.model(Model::ErlangA {
            patience_seconds: p,
        });
    }
    let agents = staffing.solve().unwrap().agents;
    let exact = staffing.evaluate(agents).unwrap();
    let horizon = Horizon::new(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 60, n).unwrap();
    let model = SimModel {
        horizon,
        queues: vec![SimQueue {
            name: "q".into(),
            channel: Channel::Voice,
            volume: vec![per_hour; n],
            aht_seconds: vec![AHT; n],
            within_seconds: Some(case.within),
            handle: HandleTime::Exponential,
            patience: case
                .patience
                .map_or(Patience::None, |p| Patience::Exponential {
                    mean_seconds: p,
                }),
            replay: None,
        }],
        agents: (0..agents)
            .map(|k| SimAgent {
                name: format!("a{k}"),
                skills: vec![SimSkill {
                    queue: 0,
                    priority: 0,
                }],
                segments: vec![Segment {
                    start: 0.0,
                    end: n as f64 * hour,
                    then: SegmentEnd::ShiftEnd,
                }],
            })
            .collect(),
    };
    let options = SimOptions {
        replications: REPLICATIONS,
        seed: 2027,
        warm_up_intervals: 1,
        cool_down_intervals: 1,
        ..SimOptions::default()
    };
    let r = simulate(&model, &options, None).unwrap();
    let t = &r.queues[0].total;
    let pairs: [(&str, Estimate, f64); 4] = [
        ("SL", t.service_level, exact.service_level),
        ("ASA", t.asa_seconds, exact.asa_seconds),
        ("P(wait)", t.wait_probability, exact.wait_probability),
        ("P(abandon)", t.abandon_share, exact.abandon_probability),
    ];
    let mut outside = 0;
    let mut checked = 0;
    let mut row = format!(
        "A={:>5} t={:>3} patience={:>5} N={:>4}:",
        case.erlangs,
        case.within,
        case.patience.map_or("none".into(), |p| p.to_string()),
        agents
    );
    for (name, e, x) in pairs {
        if case.patience.is_none() && name == "P(abandon)" {
            assert_eq!(e.mean, 0.0);
            continue;
        }
        checked += 1;
        // A sample where every replication gives the same value (all callers waited) has
        // a zero-width interval: allow the rounding of the exact value's last digits.
        let floor = if name == "ASA" { 0.05 } else { 5e-4 };
        let half = (e.half_width() * T995 / T975).max(floor);
        let ok = (e.mean - x).abs() <= half;
        if !ok {
            outside += 1;
        }
        row.push_str(&format!(
            " {name} {:.4}±{:.4} (exact {:.4}){}",
            e.mean,
            half,
            x,
            if ok { "" } else { " OUTSIDE" }
        ));
    }
    println!("{row}");
    (outside, checked)
}

fn grid(loads: &[f64], contacts_per_rep: f64) -> (usize, usize) {
    let mut outside = 0;
    let mut checked = 0;
    for &erlangs in loads {
        for within in [20.0, 60.0] {
            for patience in [None, Some(240.0)] {
                let (o, c) = check(
                    &Case {
                        erlangs,
                        within,
                        patience,
                    },
                    contacts_per_rep,
                );
                outside += o;
                checked += c;
            }
        }
    }
    (outside, checked)
}

/// Under a binomial(checked, 1 %) count of misses, more than this happens with
/// probability below 0.1 %.
fn allowed(checked: usize) -> usize {
    let p: f64 = 0.01;
    let mut cdf = 0.0;
    let mut pmf = (1.0 - p).powi(checked as i32);
    for k in 0..=checked {
        cdf += pmf;
        if cdf >= 0.999 {
            return k;
        }
        pmf *= (checked - k) as f64 / (k + 1) as f64 * p / (1.0 - p);
    }
    checked
}

#[test]
fn simulation_agrees_with_erlang_c_and_a() {
    let (outside, checked) = grid(&[0.5, 2.0, 10.0, 50.0, 200.0, 500.0], 40_000.0);
    assert!(checked >= 80);
    assert!(
        outside <= allowed(checked),
        "{outside} of {checked} figures outside their 99 % intervals (at most {} allowed)",
        allowed(checked)
    );
}

/// A finer and longer grid (a few minutes in a release build):
/// `cargo test --release --test simulate_erlang -- --ignored --nocapture`.
#[test]
#[ignore]
fn simulation_agrees_with_erlang_on_a_fine_grid() {
    let loads = [
        0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 350.0, 500.0,
    ];
    let (outside, checked) = grid(&loads, 400_000.0);
    assert!(
        outside <= allowed(checked),
        "{outside} of {checked} figures outside their 99 % intervals (at most {} allowed)",
        allowed(checked)
    );
}
