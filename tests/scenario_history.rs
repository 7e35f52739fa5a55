//! Scenario queues forecast from history (`history_csv`) with per-site calendars of special
//! days: a multiplier scales its day, a holiday is forecast from its past occurrence, the
//! forecast is the one `wfm forecast` makes, the output set carries it, and runs repeat.

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use wfm::forecast::{self, HistoryFormat};
use wfm::scenario::{Prepared, Scenario};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/scenario_history")
}

/// A week from Monday 2027-03-08 (UTC, hourly) with one queue forecast from the five
/// weeks of history before it.
fn base() -> Value {
    json!({
        "name": "history",
        "horizon": {"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 7},
        "sites": [{"name": "hq", "zone": "UTC"}],
        "queues": [{
            "name": "voice",
            "history_csv": "history_5w.csv",
            "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}},
            "shrinkage": 0.3
        }],
        "templates": [{
            "name": "day", "site": "hq", "queue": "voice", "paid_minutes": 480,
            "start_windows": [{"days": ["mon","tue","wed","thu","fri","sat","sun"],
                               "from": "07:00", "to": "11:00"}]
        }]
    })
}

fn prepare(v: &Value) -> wfm::Result<Prepared> {
    Scenario::parse(&v.to_string(), "test.json")?.prepare(&dir())
}

/// Sum of the planned volume over the local (UTC) day starting at interval `from`.
fn day(p: &Prepared, from: usize) -> f64 {
    p.queues[0].volume[from..from + 24].iter().sum()
}

/// Total required agents over the day starting at interval `from`.
fn required(p: &Prepared, from: usize) -> u32 {
    let r = wfm::demand::requirements(&p.horizon, &p.queues[0]).unwrap();
    r.required[from..from + 24].iter().sum()
}

#[test]
fn the_scenario_forecast_is_the_forecast_of_wfm_forecast() {
    let p = prepare(&base()).unwrap();
    let series = forecast::read_history(
        &dir().join("history_5w.csv"),
        &HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        },
    )
    .unwrap();
    let method = forecast::method_by_name("trimmed_profile").unwrap();
    let fc = forecast::forecast(&series, method.as_ref(), 168, None).unwrap();
    assert_eq!(p.queues[0].volume, fc.volume);
    assert_eq!(p.queues[0].aht_seconds, fc.aht_seconds);
    let f = &p.forecasts[0];
    assert_eq!(f.source, "history");
    assert_eq!(f.method.as_deref(), Some("trimmed_profile"));
    assert_eq!(f.quantiles, fc.quantiles);
    assert!(f.band().is_some(), "five weeks give quantiles");
    // Monday 10:00 is open and busy; 03:00 is closed.
    assert!(p.queues[0].volume[10] > 40.0);
    assert_eq!(p.queues[0].volume[3], 0.0);
}

#[test]
fn a_multiplier_of_one_half_halves_its_day_and_lowers_its_requirement() {
    let plain = prepare(&base()).unwrap();
    let mut v = base();
    v["sites"][0]["special_days"] =
        json!([{"date": "2027-03-10", "name": "outage", "multiplier": 0.5}]);
    let half = prepare(&v).unwrap();
    // Wednesday is intervals 48..72.
    for i in 0..168 {
        let (a, b) = (plain.queues[0].volume[i], half.queues[0].volume[i]);
        if (48..72).contains(&i) {
            assert!((b - a * 0.5).abs() < 1e-9, "interval {i}: {b} vs {a}");
        } else {
            assert!((a - b).abs() < 1e-9, "interval {i} unchanged");
        }
    }
    assert!((day(&half, 48) - 0.5 * day(&plain, 48)).abs() < 1e-6);
    assert!(required(&half, 48) < required(&plain, 48));
    assert_eq!(required(&half, 72), required(&plain, 72));
    assert_eq!(
        half.forecasts[0].special_days,
        vec![(
            chrono::NaiveDate::from_ymd_opt(2027, 3, 10).unwrap(),
            "outage ×0.5".to_string()
        )]
    );
    // The same calendar as a CSV file gives the same forecast.
    let mut c = base();
    c["sites"][0]["special_days_csv"] = json!("outage.csv");
    let from_csv = prepare(&c).unwrap();
    assert_eq!(from_csv.queues[0].volume, half.queues[0].volume);
    // ... and the forecast `wfm forecast --special-days outage.csv` makes.
    let series = forecast::read_history(
        &dir().join("history_5w.csv"),
        &HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        },
    )
    .unwrap();
    let calendar = forecast::read_special_days(&dir().join("outage.csv")).unwrap();
    let method = forecast::method_by_name("trimmed_profile").unwrap();
    let fc = forecast::forecast_with_special_days(&series, method.as_ref(), 168, None, &calendar)
        .unwrap();
    assert_eq!(half.queues[0].volume, fc.volume);
    assert_eq!(half.forecasts[0].quantiles, fc.quantiles);
}

#[test]
fn a_holiday_is_forecast_from_its_past_occurrence() {
    let plain = prepare(&base()).unwrap();
    let mut v = base();
    v["sites"][0]["special_days"] = json!([
        {"date": "2027-02-15", "name": "holiday"},
        {"date": "2027-03-08", "name": "holiday"}
    ]);
    let p = prepare(&v).unwrap();
    // The history's holiday had 30 % of a normal Monday.
    let ratio = day(&p, 0) / day(&plain, 0);
    assert!((0.25..0.35).contains(&ratio), "ratio {ratio}");
    assert!(required(&p, 0) < required(&plain, 0));
    // Tuesday is a normal day; with the holiday out of fitting it is close to the
    // forecast with it in (and never lower because of it).
    let tue = (day(&p, 24), day(&plain, 24));
    assert!(tue.0 >= tue.1 - 1e-6, "{tue:?}");
}

#[test]
fn inline_volumes_take_the_multiplier_of_their_site() {
    let mut v = base();
    v["queues"][0] = json!({
        "name": "voice", "volume": 20, "aht_seconds": 240,
        "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}
    });
    v["sites"][0]["special_days"] =
        json!([{"date": "2027-03-09", "name": "campaign", "multiplier": 1.5}]);
    let p = prepare(&v).unwrap();
    assert_eq!(p.queues[0].volume[0], 20.0);
    assert_eq!(p.queues[0].volume[24], 30.0);
    assert_eq!(p.queues[0].volume[47], 30.0);
    assert_eq!(p.queues[0].volume[48], 20.0);
    assert_eq!(p.forecasts[0].source, "inline");
    // Without a multiplier there is nothing to forecast the day from: an error naming it.
    v["sites"][0]["special_days"] = json!([{"date": "2027-03-09", "name": "campaign"}]);
    let e = prepare(&v).unwrap_err().to_string();
    assert!(e.contains("sites[0].special_days[0]"), "{e}");
}

#[test]
fn a_staffed_quantile_is_the_forecasts_quantile() {
    let mut v = base();
    v["queues"][0]["forecast"] = json!({"quantile": 0.8});
    let p = prepare(&v).unwrap();
    let f = &p.forecasts[0];
    let p80 = &f
        .quantiles
        .iter()
        .find(|(l, _)| (*l - 0.8).abs() < 1e-9)
        .unwrap()
        .1;
    assert_eq!(&p.queues[0].volume, p80);
    assert!(p.queues[0].volume.iter().sum::<f64>() > f.volume.iter().sum::<f64>());
    v["queues"][0]["forecast"] = json!({"quantile": 0.75});
    let e = prepare(&v).unwrap_err().to_string();
    assert!(e.contains("queues[0].forecast.quantile"), "{e}");
}

#[test]
fn a_later_horizon_forecasts_through_the_gap() {
    // The horizon starts a week after the history: the plan takes the second week of a
    // two-week forecast.
    let mut v = base();
    v["horizon"]["start"] = json!("2027-03-15T00:00:00Z");
    let later = prepare(&v).unwrap();
    let series = forecast::read_history(
        &dir().join("history_5w.csv"),
        &HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        },
    )
    .unwrap();
    let method = forecast::method_by_name("trimmed_profile").unwrap();
    let fc = forecast::forecast(&series, method.as_ref(), 336, None).unwrap();
    assert_eq!(later.queues[0].volume, fc.volume[168..].to_vec());
}

#[test]
fn the_plan_writes_the_forecast_it_used_and_repeats_itself() {
    let mut v = base();
    v["sites"][0]["special_days"] =
        json!([{"date": "2027-03-10", "name": "outage", "multiplier": 0.5}]);
    v["queues"][0]["forecast"] = json!({"quantile": 0.8});
    let mut files = Vec::new();
    for _ in 0..2 {
        let p = prepare(&v).unwrap();
        let out = wfm::scenario::plan(&p, None).unwrap();
        let at = chrono::DateTime::parse_from_rfc3339("2027-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        files.push(wfm::io::render_all(&out.outputs(&p, at)).unwrap());
    }
    // Every file but those that carry the solve's own timing is the same.
    for ((name, a), (_, b)) in files[0].iter().zip(&files[1]) {
        if *name != "summary.json" && *name != "report.html" {
            assert!(a == b, "same input, same {name}");
        }
    }
    let csv = &files[0]
        .iter()
        .find(|(n, _)| *n == "forecast.csv")
        .unwrap()
        .1;
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "interval_start_utc,interval_start_local,site,queue,source,method,special_day,\
         volume_planned,aht_seconds,volume,volume_p10,volume_p50,volume_p80,volume_p90"
    );
    assert_eq!(csv.lines().count(), 1 + 168);
    let wed10: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("2027-03-10T10:00:00Z"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(
        &wed10[2..7],
        &["hq", "voice", "history", "trimmed_profile", "outage ×0.5"]
    );
    // The plan staffed the 80 % quantile.
    assert_eq!(wed10[7], wed10[12]);
    let html = &files[0]
        .iter()
        .find(|(n, _)| *n == "report.html")
        .unwrap()
        .1;
    assert!(html.contains("<h2>Contacts offered</h2>"));
    assert!(html.contains("10–90 % band"), "the band is drawn and named");
    assert!(html.contains("class=\"band\""));
    assert!(html.contains("staffed (80 % quantile)"));
    assert!(html.contains("Wed 10 Mar 2027 outage ×0.5"));
}

#[test]
fn best_takes_the_method_the_backtest_ranks_first() {
    let mut v = base();
    v["queues"][0]["forecast"] = json!({"method": "best"});
    let p = prepare(&v).unwrap();
    let series = forecast::read_history(
        &dir().join("history_5w.csv"),
        &HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        },
    )
    .unwrap();
    // Five weeks: two folds of a week after three weeks of training.
    let (m, _) = forecast::best_method(&series, 7 * 24 * 60, 2).unwrap();
    assert_eq!(p.forecasts[0].method.as_deref(), Some(m.name()));
    let fc = forecast::forecast(&series, m.as_ref(), 168, None).unwrap();
    assert_eq!(p.queues[0].volume, fc.volume);
}

#[test]
fn a_site_in_another_zone_reads_local_days_there() {
    // The same rows read in New York: local days end at 05:00 UTC, so a horizon from
    // Monday 05:00 UTC follows the history directly, and a special day is a New York date.
    let mut v = base();
    v["sites"][0]["zone"] = json!("America/New_York");
    v["horizon"]["start"] = json!("2027-03-08T05:00:00Z");
    v["sites"][0]["special_days"] =
        json!([{"date": "2027-03-10", "name": "outage", "multiplier": 0.0}]);
    let p = prepare(&v).unwrap();
    let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
    for (i, t) in p.horizon.starts().enumerate() {
        let local = t.with_timezone(&zone).date_naive();
        if local == chrono::NaiveDate::from_ymd_opt(2027, 3, 10).unwrap() {
            assert_eq!(p.queues[0].volume[i], 0.0, "{t}");
        }
    }
    assert!(p.queues[0].volume.iter().sum::<f64>() > 0.0);
}

#[test]
fn a_forecast_csv_with_quantile_columns_gives_the_band() {
    let series = forecast::read_history(
        &dir().join("history_5w.csv"),
        &HistoryFormat {
            interval_minutes: Some(60),
            ..HistoryFormat::default()
        },
    )
    .unwrap();
    let method = forecast::method_by_name("weekday_mean").unwrap();
    let fc = forecast::forecast(&series, method.as_ref(), 168, None).unwrap();
    let tmp = std::env::temp_dir().join(format!("wfm-fc-band-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("fc.csv"), fc.to_csv()).unwrap();
    let mut v = base();
    v["queues"][0] = json!({
        "name": "voice", "forecast_csv": "fc.csv", "forecast_quantile": 0.8,
        "targets": {"service_level": {"fraction": 0.8, "within_seconds": 20}}
    });
    let p = Scenario::parse(&v.to_string(), "t.json")
        .unwrap()
        .prepare(&tmp)
        .unwrap();
    let f = &p.forecasts[0];
    assert_eq!(f.source, "forecast_csv");
    assert_eq!(f.quantile, Some(0.8));
    let levels: Vec<f64> = f.quantiles.iter().map(|(l, _)| *l).collect();
    assert_eq!(levels, vec![0.1, 0.5, 0.8, 0.9]);
    // Staffed: the p80 column (three decimals in the file); the mean is kept beside it.
    for i in 0..168 {
        assert!((p.queues[0].volume[i] - fc.quantiles[2].1[i]).abs() < 1e-3);
        assert!((f.volume[i] - fc.volume[i]).abs() < 1e-3);
    }
    assert!(f.band().is_some());
    std::fs::remove_dir_all(&tmp).unwrap();
}
