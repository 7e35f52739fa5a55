//! A small two-site, two-queue day shared by the io tests.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use wfm::evaluate::Coverage;
use wfm::evaluate::{evaluate, summarize, IntervalKpi, PlanFacts, QueueDemand, Routing, Summary};
use wfm::io::{Outputs, PlanRow};
use wfm::shifts::{Break, ShiftInstance};
use wfm::time::{Horizon, Site};

pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 13, 0, 0, 0).unwrap()
}

pub struct Fixture {
    pub horizon: Horizon,
    pub sites: Vec<Site>,
    pub demands: Vec<QueueDemand>,
    pub routing: Routing,
    pub roster: Vec<(String, ShiftInstance)>,
    pub plan: Vec<PlanRow>,
    pub coverage: Coverage,
    pub summary: Summary,
}

pub fn shift(
    site: &str,
    template: &str,
    start_h: i64,
    hours: i64,
    paid_break: bool,
) -> ShiftInstance {
    let s = t0() + Duration::hours(start_h);
    ShiftInstance {
        site: site.into(),
        template: template.into(),
        start: s,
        end: s + Duration::hours(hours),
        breaks: vec![
            Break {
                start: s + Duration::minutes(120),
                end: s + Duration::minutes(135),
                paid: paid_break,
            },
            Break {
                start: s + Duration::minutes(240),
                end: s + Duration::minutes(270),
                paid: false,
            },
        ],
    }
}

/// A KPI that rises with staffing: enough for the laws the tests check, no queueing model.
pub fn toy_kpi(_q: usize, _i: usize, n: u32) -> wfm::Result<IntervalKpi> {
    let n = f64::from(n);
    Ok(IntervalKpi {
        service_level: n / (n + 1.0),
        asa_seconds: if n == 0.0 { f64::INFINITY } else { 30.0 / n },
        occupancy: 1.0 / (n + 1.0),
    })
}

/// Two days across the US spring-forward change (2027-03-14), 30-minute intervals.
pub fn fixture() -> Fixture {
    let horizon = Horizon::days(t0(), 30, 2).unwrap();
    let sites = vec![
        Site::new("New York", "America/New_York").unwrap(),
        Site::new("Manila", "Asia/Manila").unwrap(),
    ];
    let mut routing = Routing::new();
    routing.serve("New York", "day", 0).unwrap();
    routing.serve("Manila", "chat", 1).unwrap();
    let n = horizon.len();
    let demands = vec![
        QueueDemand {
            name: "voice".into(),
            volume: (0..n)
                .map(|i| ((i % 48) as f64 - 24.0).abs().mul_add(-1.0, 24.0))
                .collect(),
            aht_seconds: vec![300.0; n],
            required: (0..n)
                .map(|i| if (26..40).contains(&(i % 48)) { 2 } else { 0 })
                .collect(),
        },
        QueueDemand {
            name: "chat, \"web\"".into(),
            volume: vec![4.0; n],
            aht_seconds: vec![420.0; n],
            required: (0..n)
                .map(|i| if (0..18).contains(&(i % 48)) { 1 } else { 0 })
                .collect(),
        },
    ];
    let roster = vec![
        ("Ana".to_string(), shift("New York", "day", 13, 8, true)),
        (
            "Bo, Jr.".to_string(),
            shift("New York", "day", 14, 8, false),
        ),
        ("Ana".to_string(), shift("New York", "day", 36, 8, true)),
        ("Chen; 陈".to_string(), shift("Manila", "chat", 0, 9, true)),
        ("Chen; 陈".to_string(), shift("Manila", "chat", 24, 9, true)),
    ];
    let plan = vec![
        PlanRow {
            site: "New York".into(),
            template: "day".into(),
            start_utc: t0() + Duration::hours(13),
            count: 1,
        },
        PlanRow {
            site: "Manila".into(),
            template: "chat".into(),
            start_utc: t0(),
            count: 1,
        },
    ];
    let coverage = evaluate(&horizon, &demands, &routing, &roster, &toy_kpi).unwrap();
    let facts = PlanFacts {
        cost: 40.0,
        lower_bound: Some(39.5),
        gap: Some(0.5 / 39.5),
        status: "optimal".into(),
        solve_seconds: 0.2,
    };
    let summary = summarize("Test <week> & co", &coverage, &demands, &roster, &facts).unwrap();
    Fixture {
        horizon,
        sites,
        demands,
        routing,
        roster,
        plan,
        coverage,
        summary,
    }
}

impl Fixture {
    pub fn outputs(&self) -> Outputs<'_> {
        Outputs {
            scenario: "Test <week> & co",
            horizon: &self.horizon,
            sites: &self.sites,
            demands: &self.demands,
            plan: Some(&self.plan),
            roster: &self.roster,
            coverage: &self.coverage,
            summary: &self.summary,
            service_targets: &[Some(0.8), None],
            gantt_day: None,
            generated_at: Utc.with_ymd_and_hms(2027, 3, 1, 8, 0, 0).unwrap(),
            extra: Default::default(),
        }
    }
}

/// A fresh empty folder under the system temp dir.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "wfm-{tag}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}
