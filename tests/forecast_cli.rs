//! `wfm forecast` and `wfm forecast backtest` end to end on generated history.

use std::process::Command;

fn history(dir: &std::path::Path) -> std::path::PathBuf {
    // Six weeks of hourly rows, open 08:00-17:00 Monday to Friday, with handle time.
    let mut s = String::from("interval_start,volume,aht_seconds\n");
    let start = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    for d in 0..42i64 {
        let date = start + chrono::Duration::days(d);
        use chrono::Datelike;
        if date.weekday().num_days_from_monday() >= 5 {
            continue;
        }
        for h in 8..17u32 {
            let v = 20 + (h % 5) * 7 + (d as u32 % 3);
            s.push_str(&format!("{date}T{h:02}:00:00+01:00,{v},{}\n", 200 + h));
        }
    }
    let p = dir.join("history.csv");
    std::fs::write(&p, s).unwrap();
    p
}

fn tmpdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("wfm-forecast-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn forecast_writes_the_scenario_format() {
    let dir = tmpdir("fc");
    let h = history(&dir);
    let out = dir.join("forecast.csv");
    let st = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "forecast",
            h.to_str().unwrap(),
            "--method",
            "weekly_average",
        ])
        .args([
            "--horizon",
            "7d",
            "--tz",
            "Europe/Paris",
            "--out",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("interval_start_utc,volume,aht_seconds,volume_p10,volume_p50,volume_p80,volume_p90")
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 7 * 24);
    // History ends Friday 2027-04-09; the forecast starts at local midnight (UTC+2, summer time).
    assert!(
        rows[0].starts_with("2027-04-09T22:00:00Z,0.000,"),
        "{}",
        rows[0]
    );
    // Monday 08:00 local = 06:00Z is open and forecast positive.
    let monday = rows
        .iter()
        .find(|r| r.starts_with("2027-04-12T06:00:00Z,"))
        .unwrap();
    let v: f64 = monday.split(',').nth(1).unwrap().parse().unwrap();
    assert!(v > 10.0, "{monday}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn backtest_prints_a_ranking_and_writes_backtest_csv() {
    let dir = tmpdir("bt");
    let h = history(&dir);
    let outdir = dir.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "forecast",
            "backtest",
            h.to_str().unwrap(),
            "--horizon",
            "7d",
        ])
        .args([
            "--folds",
            "2",
            "--tz",
            "Europe/Paris",
            "--out",
            outdir.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        stdout.contains("seasonal_naive") && stdout.contains("WAPE"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(outdir.join("backtest.csv")).unwrap();
    assert!(
        csv.starts_with("method,fold,horizon,mae,rmse,wape,smape,mase,bias,pinball,coverage80\n")
    );
    // 9 methods (7 members, selected, ensemble) × 2 folds × (next open day, week).
    assert_eq!(csv.lines().count(), 1 + 9 * 2 * 2);
    assert!(csv.contains("\nselected,") && csv.contains("\nensemble,"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_file_exits_with_the_line() {
    let dir = tmpdir("bad");
    let p = dir.join("bad.csv");
    std::fs::write(
        &p,
        "timestamp,calls\n2027-03-01 08:00,4\n2027-03-01 09:00,-1\n",
    )
    .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(["forecast", p.to_str().unwrap(), "--aht", "200"])
        .output()
        .unwrap();
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.csv:3") && err.contains("negative"),
        "{err}"
    );
    std::fs::remove_dir_all(dir).ok();
}
