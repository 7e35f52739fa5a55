//! Every row of `tests/data/erlang/reference.csv` (published Erlang C / Erlang A values, see
//! its SOURCE.md) reproduced within its tolerance.

use wfm::queueing::{Metrics, Model, Staffing, Target, Workload};

#[derive(Debug, serde::Deserialize)]
struct Row {
    case_id: String,
    model: String,
    arrival_rate: f64,
    rate_unit: String,
    aht: f64,
    aht_unit: String,
    patience_mean: String,
    agents: String,
    answer_time_s: String,
    metric: String,
    expected_value: f64,
    abs_tolerance: f64,
}

fn seconds(value: f64, unit: &str) -> f64 {
    if unit.starts_with("min") {
        value * 60.0
    } else {
        assert!(unit.starts_with('s'), "unit {unit}");
        value
    }
}

fn period_seconds(unit: &str) -> f64 {
    match unit {
        "calls_per_30min" => 1800.0,
        "calls_per_hour" => 3600.0,
        other => panic!("unknown rate unit {other}"),
    }
}

fn staffing(row: &Row) -> Staffing {
    let w = Workload::new(
        row.arrival_rate,
        period_seconds(&row.rate_unit),
        seconds(row.aht, &row.aht_unit),
    )
    .unwrap();
    let mut s = Staffing::new(w);
    if row.model == "erlang_a" {
        let (v, u) = row.patience_mean.split_once(' ').unwrap();
        s = s.model(Model::ErlangA {
            patience_seconds: seconds(v.parse().unwrap(), u),
        });
    }
    if let Ok(t) = row.answer_time_s.parse::<f64>() {
        s = s.service_level_seconds(t).unwrap();
    }
    s
}

fn metric(row: &Row, s: &Staffing, m: &Metrics) -> f64 {
    let lambda = s.workload().arrival_rate();
    match row.metric.as_str() {
        "traffic_erlangs" => m.traffic_erlangs,
        "p_wait" => m.wait_probability,
        "service_level" => m.service_level,
        "asa_s" | "mean_wait_s" => m.asa_seconds,
        "asa_min" => m.asa_seconds / 60.0,
        "occupancy" | "utilization" => m.occupancy,
        "p_abandon" => m.abandon_probability,
        "mean_queue_length" => lambda * m.asa_seconds,
        "wait_p90_s" => {
            // The 90th percentile t has P(wait <= t) = 0.9: check that, and return t.
            let at = s
                .clone()
                .service_level_seconds(row.expected_value)
                .unwrap()
                .evaluate(m.agents)
                .unwrap();
            assert!(
                (at.service_level - 0.9).abs() < 1e-4,
                "{}: P(wait <= {}) = {}",
                row.case_id,
                row.expected_value,
                at.service_level
            );
            row.expected_value
        }
        other => panic!("unknown metric {other}"),
    }
}

#[test]
fn every_reference_row_within_tolerance() {
    let mut reader = csv::Reader::from_path(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/erlang/reference.csv"
    ))
    .unwrap();
    let mut checked = 0;
    for row in reader.deserialize::<Row>() {
        let row = row.unwrap();
        let s = staffing(&row);
        let got = if let Some(rest) = row.metric.strip_prefix("min_agents_for_") {
            let target = match rest {
                "SL>=0.80" => Target::ServiceLevel {
                    fraction: 0.8,
                    within_seconds: row.answer_time_s.parse().unwrap(),
                },
                "Pwait<=0.50" => Target::MaxWaitProbability(0.5),
                other => panic!("unknown staffing metric {other}"),
            };
            s.clone().target(target).solve().unwrap().agents as f64
        } else {
            let n: u32 = row.agents.parse().unwrap();
            let m = s.evaluate(n).unwrap();
            metric(&row, &s, &m)
        };
        assert!(
            (got - row.expected_value).abs() <= row.abs_tolerance,
            "{} {}: got {got}, expected {} ± {}",
            row.case_id,
            row.metric,
            row.expected_value,
            row.abs_tolerance
        );
        checked += 1;
    }
    assert_eq!(checked, 60, "every row of the reference file is checked");
}
