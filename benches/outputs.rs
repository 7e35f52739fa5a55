//! Evaluation and output writing on a week of 15-minute intervals with 2 000 agent-shifts
//! across three sites and two queues.
//!
//! Also reading and checking a 100 000-row roster, as `wfm evaluate` does.
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

/// Reading and checking a 100 000-row roster (5 000 agents, 20 shifts each, over four
/// weeks): parse with line numbers and extra columns, then every `wfm evaluate` check.
fn roster_100k(c: &mut Criterion) {
    let start = Utc.with_ymd_and_hms(2027, 3, 1, 0, 0, 0).unwrap();
    let horizon = Horizon::days(start, 30, 28).unwrap();
    let sites = vec![Site::new("lon", "Europe/London").unwrap()];
    let template: wfm::shifts::ShiftTemplate = serde_json::from_str(
        r#"{"name": "day", "site": "lon", "queue": "q", "paid_minutes": 480,
            "start_windows": [{"days": ["mon"], "from": "00:00", "to": "15:00"}],
            "breaks": [{"minutes": 30, "window": {"from_minutes": 180, "to_minutes": 300}}]}"#,
    )
    .unwrap();
    let fmt = wfm::time::fmt_utc;
    let mut text = String::from(
        "agent,site,template,start_utc,end_utc,start_local,end_local,paid_minutes,breaks,notes\n",
    );
    for k in 0..100_000i64 {
        let (agent, shift) = (k / 20, k % 20);
        let s =
            start + Duration::days(shift / 5 * 7 + shift % 5) + Duration::minutes(agent % 30 * 30);
        let lunch = s + Duration::minutes(240);
        text.push_str(&format!(
            "agent {agent:05},lon,day,{},{},,,480,{}/{},note {k}\n",
            fmt(s),
            fmt(s + Duration::minutes(510)),
            fmt(lunch),
            fmt(lunch + Duration::minutes(30))
        ));
    }
    c.bench_function("parse_roster_file 100 000 rows", |b| {
        b.iter(|| wfm::io::parse_roster_file(black_box(&text), "r.csv", &sites, None).unwrap())
    });
    let file = wfm::io::parse_roster_file(&text, "r.csv", &sites, None).unwrap();
    let templates = [template];
    c.bench_function("check_roster 100 000 rows", |b| {
        b.iter(|| {
            let w = wfm::evaluate::check_roster(
                "r.csv",
                black_box(&file.rows),
                &file.lines,
                &horizon,
                &templates,
            );
            assert!(w.is_empty());
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench, roster_100k
}
criterion_main!(benches);
