//! Evaluation and output writing on a week of 15-minute intervals with 2 000 agent-shifts
//! across three sites and two queues.
//!
//! `cargo bench --bench outputs`

use chrono::{Duration, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use wfm::evaluate::{
    evaluate, recount_scheduled, scheduled_counts, summarize, IntervalKpi, PlanFacts, QueueDemand,
    Routing,
};
use wfm::io::{render_all, Outputs};
use wfm::shifts::{Break, ShiftInstance};
use wfm::time::{Horizon, Site};

fn kpi(_: usize, _: usize, n: u32) -> wfm::Result<IntervalKpi> {
    let n = f64::from(n);
    Ok(IntervalKpi {
        service_level: n / (n + 1.0),
        asa_seconds: 10.0 / (n + 1.0),
        occupancy: 1.0 / (n + 1.0),
    })
}

fn bench(c: &mut Criterion) {
    let start = Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap();
    let horizon = Horizon::days(start, 15, 7).unwrap();
    let sites = vec![
        Site::new("ny", "America/New_York").unwrap(),
        Site::new("lon", "Europe/London").unwrap(),
        Site::new("mnl", "Asia/Manila").unwrap(),
    ];
    let mut routing = Routing::new();
    for (k, s) in sites.iter().enumerate() {
        routing.serve(&s.name, "day", k % 2).unwrap();
    }
    // 2 000 nine-hour shifts with three breaks, starts spread over the week on the grid.
    let roster: Vec<(String, ShiftInstance)> = (0..2000i64)
        .map(|k| {
            let s = start + Duration::minutes(15 * ((k * 37) % 640));
            let site = &sites[(k % 3) as usize];
            let br = |a: i64, b: i64, paid| Break {
                start: s + Duration::minutes(a),
                end: s + Duration::minutes(b),
                paid,
            };
            (
                format!("{} {:04}", site.name, k / 3),
                ShiftInstance {
                    site: site.name.clone(),
                    template: "day".into(),
                    start: s,
                    end: s + Duration::hours(9),
                    breaks: vec![br(120, 135, true), br(240, 300, false), br(420, 435, true)],
                },
            )
        })
        .collect();
    let n = horizon.len();
    let demands: Vec<QueueDemand> = (0..2)
        .map(|q| QueueDemand {
            name: format!("q{q}"),
            volume: (0..n).map(|i| (i % 96) as f64).collect(),
            aht_seconds: vec![300.0; n],
            required: (0..n).map(|i| ((i % 96) / 4) as u32).collect(),
        })
        .collect();

    c.bench_function("scheduled_counts 2000 shifts x 672 intervals", |b| {
        b.iter(|| scheduled_counts(&horizon, 2, &routing, black_box(&roster)).unwrap())
    });
    c.bench_function("recount_scheduled 2000 shifts x 672 intervals", |b| {
        b.iter(|| recount_scheduled(&horizon, 2, &routing, black_box(&roster)).unwrap())
    });
    let coverage = evaluate(&horizon, &demands, &routing, &roster, &kpi).unwrap();
    let facts = PlanFacts {
        cost: 1.0,
        lower_bound: None,
        gap: None,
        status: "evaluated".into(),
        solve_seconds: 0.0,
    };
    let summary = summarize("bench", &coverage, &demands, &roster, &facts).unwrap();
    let outputs = Outputs {
        scenario: "bench",
        horizon: &horizon,
        sites: &sites,
        demands: &demands,
        plan: None,
        roster: &roster,
        coverage: &coverage,
        summary: &summary,
        service_targets: &[Some(0.8), Some(0.8)],
        gantt_day: None,
        generated_at: start,
        extra: Default::default(),
    };
    c.bench_function("render_all (CSV, JSON, ICS, HTML) 2000 shifts", |b| {
        b.iter(|| render_all(black_box(&outputs)).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
