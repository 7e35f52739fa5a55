//! Intraday re-forecast: on data whose days run hot or cold all day long, scaling the rest
//! of the day by the morning beats the week-ahead forecast; the command prints which
//! intervals need more or fewer agents; bad inputs are named errors.

use std::process::Command;
use wfm::forecast::{
    method_by_name, parse_cutoffs, parse_history, reforecast_backtest, HistoryFormat,
};

/// 16 weeks of weekdays 08:00-18:00, hourly; each day's level is 70-130 % of normal.
fn csv() -> String {
    let mut s = String::from("interval_start,volume\n");
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let mut x: u64 = 7;
    for d in 0..16 * 7 {
        let date = start + chrono::Duration::days(d);
        if d % 7 >= 5 {
            continue;
        }
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let level = 0.7 + 0.6 * ((x >> 33) as f64 / (1u64 << 31) as f64);
        for h in 8..18 {
            let shape = 1.0 + ((h - 8) as f64 * 0.6).sin().abs();
            s += &format!("{date}T{h:02}:00:00Z,{:.0}\n", 100.0 * level * shape);
        }
    }
    s
}

#[test]
fn reforecast_beats_the_week_ahead_forecast_on_hot_and_cold_days() {
    let s = parse_history("h.csv", &csv(), &HistoryFormat::default()).unwrap();
    let m = method_by_name("weekday_mean").unwrap();
    let cuts = parse_cutoffs("--cutoffs", "10:00,12:00,14:00").unwrap();
    let scores = reforecast_backtest(&s, m.as_ref(), 4, &cuts, 0.25).unwrap();
    assert_eq!(scores.len(), 3);
    for sc in &scores {
        assert_eq!(sc.days, 20);
        assert!(sc.wape_reforecast < 0.8 * sc.wape_forecast, "{sc:?}");
    }
    // Later cut-offs know more of the day.
    assert!(
        scores[2].wape_reforecast < scores[0].wape_reforecast,
        "{scores:?}"
    );
    let e = reforecast_backtest(&s, m.as_ref(), 40, &cuts, 0.25).unwrap_err();
    assert!(e.to_string().contains("--folds"), "{e}");
}

#[test]
fn live_reforecast_says_more_or_fewer_agents() {
    let dir = std::env::temp_dir().join(format!("wfm-refc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("f.csv");
    let mut fc = String::from("interval_start_utc,volume,aht_seconds\n");
    for h in 0..24 {
        let v = if (8..18).contains(&h) { 100 } else { 0 };
        fc += &format!("2027-03-01T{h:02}:00:00Z,{v},360\n");
    }
    std::fs::write(&f, fc).unwrap();
    // The morning ran 50 % hot: 450 contacts against 300 forecast by 11:00.
    let a = dir.join("a.csv");
    std::fs::write(
        &a,
        "interval_start,volume\n2027-03-01T08:00:00Z,150\n2027-03-01T09:00:00Z,150\n2027-03-01T10:00:00Z,150\n",
    )
    .unwrap();
    let bin = env!("CARGO_BIN_EXE_wfm");
    let o = Command::new(bin)
        .args(["forecast", "reforecast", "--forecast"])
        .arg(&f)
        .arg("--actuals")
        .arg(&a)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // w = 300 / (300 + 0.25 * 1000) = 0.545..., factor = 1 + w * 0.5 = 1.2727...
    assert!(out.contains("x 1.273"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("2027-03-01T11:00:00Z,"))
        .unwrap();
    assert!(
        row.starts_with("2027-03-01T11:00:00Z,100.0,127.3,+27.3,+2.73,more"),
        "{row}"
    );
    assert!(
        !out.contains("2027-03-01T10:00:00Z,"),
        "only the rest of the day: {out}"
    );
    // Actuals on another day than the forecast: a named error.
    std::fs::write(
        &a,
        "interval_start,volume\n2027-03-02T08:00:00Z,150\n2027-03-02T09:00:00Z,150\n",
    )
    .unwrap();
    let o = Command::new(bin)
        .args(["forecast", "reforecast", "--forecast"])
        .arg(&f)
        .arg("--actuals")
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("f.csv"));
    std::fs::remove_dir_all(dir).ok();
}
