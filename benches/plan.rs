//! Planner benchmarks on the week of 15-minute requirements in
//! `tests/data/week_quarter_hour/`.
//!
//! ```text
//! cargo bench --bench plan                     # default backend (microlp)
//! cargo bench --bench plan -- large_week_crossing_midnight   # one case
//! cargo bench --bench plan --features highs    # adds the HiGHS runs
//! ```

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;
use std::hint::black_box;
use std::time::Duration;
use wfm::plan::{self, Backend, CoverageMode, PlanProblem, PlanRules, SolveOptions};
use wfm::shifts::{BreakRule, BreakWindow, ClockTime, Day, ShiftTemplate, StartWindow};
use wfm::time::{Horizon, Site};

fn required() -> Vec<u32> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/week_quarter_hour/week_quarter_hour.json"
    ))
    .expect("benchmark data");
    let d: Value = serde_json::from_str(&text).expect("benchmark data is JSON");
    d["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_u64().expect("integer requirement") as u32)
        .collect()
}

/// `hours` lengths, any 15-minute start, optional 30-minute lunch 3-5 h in for shifts of 6 h
/// or more.
fn week(req: &[u32], hours: &[u32], lunch: bool, cross_midnight: bool) -> PlanProblem {
    let templates = hours
        .iter()
        .map(|&h| {
            let mut t = ShiftTemplate::new(
                format!("{h}h"),
                "site",
                "calls",
                h * 60,
                StartWindow {
                    days: Day::ALL.to_vec(),
                    from: ClockTime::new(0, 0).expect("time"),
                    to: ClockTime::new(23, 45).expect("time"),
                },
            );
            if lunch && h >= 6 {
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
    let start = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
    PlanProblem::new(
        Horizon::days(start, 15, 7).expect("horizon"),
        vec![Site::new("site", "UTC").expect("zone")],
        templates,
        vec![("calls".into(), req.to_vec())],
        PlanRules::default(),
    )
    .expect("valid problem")
}

fn report(name: &str, p: &PlanProblem, o: &SolveOptions) {
    let r = plan::solve(p, o).expect("solves");
    eprintln!(
        "{name}: candidates {} blocks {} (flow {}) objective {} bound {} gap {:.4} status {:?}",
        r.candidates, r.blocks, r.flow_blocks, r.objective, r.lower_bound, r.gap, r.status
    );
}

fn benches(c: &mut Criterion) {
    let req = required();
    let mut g = c.benchmark_group("week_quarter_hour");
    g.sample_size(10).warm_up_time(Duration::from_secs(1));

    let peer = [4, 6, 8];
    let o = SolveOptions::default();
    let p = week(&req, &peer, false, false);
    report("peer_rules", &p, &o);
    g.bench_function("peer_rules_build_and_solve", |b| {
        b.iter(|| {
            let p = week(&req, &peer, false, false);
            black_box(plan::solve(&p, &o).expect("solves").cost)
        })
    });
    g.bench_function("peer_rules_solve", |b| {
        b.iter(|| black_box(plan::solve(&p, &o).expect("solves").cost))
    });
    let lp_only = SolveOptions {
        interval_flow: false,
        ..SolveOptions::default()
    };
    report("peer_rules_lp_path", &p, &lp_only);
    g.bench_function("peer_rules_solve_lp_path", |b| {
        b.iter(|| black_box(plan::solve(&p, &lp_only).expect("solves").cost))
    });
    let pc = week(&req, &peer, false, true);
    report("peer_lengths_crossing_midnight", &pc, &o);
    g.bench_function("peer_lengths_crossing_midnight_solve", |b| {
        b.iter(|| black_box(plan::solve(&pc, &o).expect("solves").cost))
    });

    for cross in [false, true] {
        let mut ps = week(&req, &peer, false, cross);
        ps = PlanProblem::new(
            *ps.horizon(),
            ps.sites().to_vec(),
            ps.templates().to_vec(),
            vec![("calls".into(), req.clone())],
            PlanRules {
                coverage: CoverageMode::Soft {
                    under_penalty: 2.0,
                    over_penalty: 0.1,
                },
                ..PlanRules::default()
            },
        )
        .expect("valid problem");
        let name = format!("peer_lengths_soft_crossing_{cross}");
        report(&name, &ps, &o);
        g.bench_function(format!("{name}_solve"), |b| {
            b.iter(|| black_box(plan::solve(&ps, &o).expect("solves").objective))
        });
    }

    let large: Vec<u32> = (4..=10).collect();
    for cross in [false, true] {
        let pl = week(&req, &large, true, cross);
        // One block of 31 584 candidates when shifts cross midnight: time windows.
        let name = if cross {
            "large_week_crossing_midnight"
        } else {
            "large_week"
        };
        for backend in [Backend::Microlp, Backend::Highs] {
            if !backend.available() {
                continue;
            }
            let ob = SolveOptions {
                backend,
                ..SolveOptions::default()
            };
            report(&format!("{name}_{}", backend.name()), &pl, &ob);
            g.bench_function(format!("{name}_solve_{}", backend.name()), |b| {
                b.iter(|| black_box(plan::solve(&pl, &ob).expect("solves").cost))
            });
        }
    }
    g.finish();
}

criterion_group!(plan_benches, benches);
criterion_main!(plan_benches);
