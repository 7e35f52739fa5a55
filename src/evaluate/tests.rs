use super::*;
use crate::shifts::Break;
use chrono::{DateTime, Duration, TimeZone, Utc};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap()
}

fn shift(start_min: i64, end_min: i64, breaks: &[(i64, i64, bool)]) -> ShiftInstance {
    ShiftInstance {
        site: "lon".into(),
        template: "day".into(),
        start: t0() + Duration::minutes(start_min),
        end: t0() + Duration::minutes(end_min),
        breaks: breaks
            .iter()
            .map(|&(s, e, paid)| Break {
                start: t0() + Duration::minutes(s),
                end: t0() + Duration::minutes(e),
                paid,
            })
            .collect(),
    }
}

fn routing() -> Routing {
    let mut r = Routing::new();
    r.serve("lon", "day", 0).unwrap();
    r
}

fn flat_kpi(_: usize, _: usize, n: u32) -> Result<IntervalKpi> {
    Ok(IntervalKpi {
        service_level: if n >= 2 { 0.9 } else { 0.5 },
        asa_seconds: if n == 0 { f64::INFINITY } else { 10.0 },
        occupancy: 0.8,
    })
}

#[test]
fn a_break_covering_part_of_an_interval_removes_the_agent_from_it() {
    let h = Horizon::new(t0(), 30, 8).unwrap();
    // Shift 00:00-04:00, break 01:10-01:25: interval 01:00-01:30 is lost.
    let roster = vec![
        ("a".to_string(), shift(0, 240, &[(70, 85, false)])),
        ("b".to_string(), shift(60, 180, &[])),
    ];
    let c = scheduled_counts(&h, 1, &routing(), &roster).unwrap();
    assert_eq!(c[0], vec![1, 1, 1, 2, 2, 2, 1, 1]);
    assert_eq!(recount_scheduled(&h, 1, &routing(), &roster).unwrap(), c);
}

#[test]
fn summary_weights_service_level_by_volume() {
    let h = Horizon::new(t0(), 60, 2).unwrap();
    let d = QueueDemand {
        name: "voice".into(),
        volume: vec![30.0, 10.0],
        aht_seconds: vec![300.0, 300.0],
        required: vec![2, 2],
    };
    let roster = vec![
        ("a".to_string(), shift(0, 120, &[])),
        ("b".to_string(), shift(0, 60, &[])),
    ];
    let cov = evaluate(&h, std::slice::from_ref(&d), &routing(), &roster, &flat_kpi).unwrap();
    assert_eq!(cov.queues[0].cells[0].scheduled, 2);
    assert_eq!(cov.queues[0].cells[1].scheduled, 1);
    let facts = PlanFacts {
        cost: 3.0,
        lower_bound: Some(3.0),
        gap: Some(0.0),
        status: "optimal".into(),
        solve_seconds: 0.1,
    };
    let s = summarize("demo", &cov, &[d], &roster, &facts).unwrap();
    assert!((s.service_level.unwrap() - (30.0 * 0.9 + 10.0 * 0.5) / 40.0).abs() < 1e-12);
    assert_eq!(s.understaffed_intervals, 1);
    assert_eq!(s.paid_hours, 3.0);
    assert_eq!(s.agents, 2);
    assert_eq!(s.understaffed_agent_hours, 1.0);
    assert_eq!(s.overstaffed_agent_hours, 0.0);
}

#[test]
fn bad_inputs_are_named_errors() {
    let h = Horizon::new(t0(), 60, 2).unwrap();
    let mut d = QueueDemand {
        name: "voice".into(),
        volume: vec![1.0, f64::NAN],
        aht_seconds: vec![300.0, 300.0],
        required: vec![1, 1],
    };
    let e = evaluate(&h, std::slice::from_ref(&d), &routing(), &[], &flat_kpi).unwrap_err();
    assert!(e.to_string().contains("queues[0].volume[1]"), "{e}");
    d.volume = vec![1.0];
    let e = evaluate(&h, std::slice::from_ref(&d), &routing(), &[], &flat_kpi).unwrap_err();
    assert!(e.to_string().contains("has 1 values"), "{e}");
    d.volume = vec![1.0, 1.0];
    let bad = vec![("x".to_string(), shift(60, 60, &[]))];
    let e = evaluate(&h, std::slice::from_ref(&d), &routing(), &bad, &flat_kpi).unwrap_err();
    assert!(e.to_string().contains("roster[0]"), "{e}");
    let mut other = shift(0, 60, &[]);
    other.template = "night".into();
    let e = evaluate(
        &h,
        std::slice::from_ref(&d),
        &routing(),
        &[("x".to_string(), other)],
        &flat_kpi,
    )
    .unwrap_err();
    assert!(e.to_string().contains("serves no queue"), "{e}");
    let nan_kpi = |_: usize, _: usize, _: u32| {
        Ok(IntervalKpi {
            service_level: f64::NAN,
            asa_seconds: 0.0,
            occupancy: 0.5,
        })
    };
    let e = evaluate(&h, &[d], &routing(), &[], &nan_kpi).unwrap_err();
    assert!(e.to_string().contains("service_level"), "{e}");
    let mut r = routing();
    assert!(r.serve("lon", "day", 1).is_err());
}
