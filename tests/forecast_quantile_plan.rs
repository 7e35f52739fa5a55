//! `forecast_quantile` in a scenario: the planner staffs a quantile column of the forecast
//! CSV instead of its mean; bad levels and missing columns are named errors.

use std::path::{Path, PathBuf};
use wfm::scenario::Scenario;

fn dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-fq-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// One day of hourly rows: mean 20, p80 26 between 08:00 and 18:00.
fn forecast_csv(with_quantiles: bool) -> String {
    let mut s = String::from("interval_start_utc,volume,aht_seconds");
    if with_quantiles {
        s += ",volume_p10,volume_p50,volume_p80,volume_p90";
    }
    s += "\n";
    for h in 0..24 {
        let v = if (8..18).contains(&h) { 20.0 } else { 0.0 };
        s += &format!("2027-03-08T{h:02}:00:00Z,{v:.3},300.0");
        if with_quantiles {
            s += &format!(",{:.3},{:.3},{:.3},{:.3}", v * 0.8, v, v * 1.3, v * 1.5);
        }
        s += "\n";
    }
    s
}

fn scenario(quantile: &str) -> String {
    format!(
        r#"{{"name": "q", "horizon": {{"start": "2027-03-08T00:00:00Z", "interval_minutes": 60, "days": 1}},
  "sites": [{{"name": "lon", "zone": "Europe/London"}}],
  "queues": [{{"name": "voice", "forecast_csv": "forecast.csv"{quantile},
     "targets": {{"service_level": {{"fraction": 0.8, "within_seconds": 20}}}}}}],
  "templates": [{{"name": "day", "site": "lon", "queue": "voice", "paid_minutes": 480,
     "start_windows": [{{"days": ["mon"], "from": "07:00", "to": "11:00"}}]}}]}}"#
    )
}

fn volumes(d: &Path, text: &str) -> wfm::Result<Vec<f64>> {
    let p = d.join("scenario.json");
    std::fs::write(&p, text).unwrap();
    let s = Scenario::parse(text, "scenario.json")?;
    let prepared = s.prepare(d)?;
    Ok(prepared.queues[0].volume.clone())
}

#[test]
fn quantile_column_is_staffed_instead_of_the_mean() {
    let d = dir("ok");
    std::fs::write(d.join("forecast.csv"), forecast_csv(true)).unwrap();
    let mean = volumes(&d, &scenario("")).unwrap();
    let p80 = volumes(&d, &scenario(r#", "forecast_quantile": 0.8"#)).unwrap();
    assert_eq!(mean[9], 20.0);
    assert_eq!(p80[9], 26.0);
    assert_eq!(p80[3], 0.0);
}

#[test]
fn bad_quantiles_are_named_errors() {
    let d = dir("bad");
    std::fs::write(d.join("forecast.csv"), forecast_csv(true)).unwrap();
    for q in ["1.0", "0", "0.855", "-0.2"] {
        let e = volumes(&d, &scenario(&format!(r#", "forecast_quantile": {q}"#)))
            .unwrap_err()
            .to_string();
        assert!(e.contains("queues[0].forecast_quantile"), "{q}: {e}");
    }
    // A level the file has no column for: the file and line 1, naming the column.
    let e = volumes(&d, &scenario(r#", "forecast_quantile": 0.95"#))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("forecast.csv") && e.contains("volume_p95"),
        "{e}"
    );
    // A forecast without quantile columns.
    std::fs::write(d.join("forecast.csv"), forecast_csv(false)).unwrap();
    let e = volumes(&d, &scenario(r#", "forecast_quantile": 0.8"#))
        .unwrap_err()
        .to_string();
    assert!(e.contains("volume_p80") && e.contains(":1"), "{e}");
}
