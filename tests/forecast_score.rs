//! `wfm forecast score`: a forecast from any tool scored against actuals on the backtest
//! metrics; bad forecast files are named errors with the file and line.

use std::process::Command;
use wfm::forecast::{parse_forecast, parse_history, score, HistoryFormat};

/// Two weekdays of hourly actuals, 10 calls an hour 08:00 - 11:00.
fn actuals() -> String {
    let mut s = String::from("interval_start,volume\n");
    for d in ["2027-03-01", "2027-03-02"] {
        for h in 8..12 {
            s += &format!("{d}T{h:02}:00:00Z,10\n");
        }
    }
    s
}

#[test]
fn score_is_computed_by_hand() {
    let a = parse_history("a.csv", &actuals(), &HistoryFormat::default()).unwrap();
    // Monday forecast 12 everywhere (|e| = 2), Tuesday 10 (exact); one row at 03:00 on a
    // closed interval, one Tuesday hour (09:00) not forecast.
    let mut f = String::from("interval_start_utc,volume,volume_p10,volume_p90\n");
    f += "2027-03-01T03:00:00Z,0,0,0\n";
    for h in 8..12 {
        f += &format!("2027-03-01T{h:02}:00:00Z,12,11,13\n");
    }
    for h in [8, 10, 11] {
        f += &format!("2027-03-02T{h:02}:00:00Z,10,9,11\n");
    }
    let fc = parse_forecast("f.csv", &f).unwrap();
    let s = score(&a, &fc, None).unwrap();
    let (lab, day, di) = &s.rows[0];
    assert_eq!(lab, "1d");
    assert_eq!(day.n, 4);
    assert!((day.wape - 20.0).abs() < 1e-9);
    assert!((day.bias - 20.0).abs() < 1e-9);
    // Monday's band 11 - 13 misses every actual of 10.
    assert_eq!(di.map(|i| i.coverage80), Some(0.0));
    let (lab, all, ai) = &s.rows[1];
    assert_eq!(lab, "all");
    assert_eq!(all.n, 7);
    assert!((all.wape - 100.0 * 8.0 / 70.0).abs() < 1e-9);
    assert!((ai.unwrap().coverage80 - 300.0 / 7.0).abs() < 1e-9);
    assert_eq!(s.actuals_without_forecast, 1);
    assert_eq!(s.forecast_rows_unscored, 1);
}

#[test]
fn bad_forecast_files_name_file_and_line() {
    for (text, line, needle) in [
        ("time,volume\n", 1, "interval_start_utc"),
        ("interval_start_utc,calls\n", 1, "\"volume\""),
        (
            "interval_start_utc,volume\n2027-03-01T08:00:00Z,1\nnoon,2\n",
            3,
            "RFC 3339",
        ),
        (
            "interval_start_utc,volume\n2027-03-01T08:00:00Z,-1\n",
            2,
            "column volume: must not be negative, got -1",
        ),
        (
            "interval_start_utc,volume\n2027-03-01T08:00:00Z,x\n",
            2,
            "column volume: not a number: \"x\"",
        ),
        (
            "interval_start_utc,volume\n2027-03-01T08:00:00Z,NaN\n",
            2,
            "column volume: must be finite, got \"NaN\"",
        ),
        (
            "interval_start_utc,volume,aht_seconds\n2027-03-01T08:00:00Z,1,1e9\n",
            2,
            "column aht_seconds: must be at most",
        ),
        (
            "interval_start_utc,volume,volume_p90\n2027-03-01T08:00:00Z,1,-2\n",
            2,
            "column volume_p90: must not be negative, got -2",
        ),
        (
            "interval_start_utc,volume\n2027-03-01T09:00:00Z,1\n2027-03-01T08:00:00Z,1\n",
            3,
            "not after",
        ),
        ("interval_start_utc,volume,volume_pXY\n", 1, "volume_pXY"),
        ("interval_start_utc,volume\n", 2, "no row"),
    ] {
        let e = parse_forecast("f.csv", text).unwrap_err().to_string();
        assert!(
            e.contains(&format!("f.csv:{line}")) && e.contains(needle),
            "{text:?}: {e}"
        );
    }
}

#[test]
fn cli_scores_and_rejects_a_forecast_outside_the_actuals() {
    let dir = std::env::temp_dir().join(format!("wfm-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join("a.csv");
    std::fs::write(&a, actuals()).unwrap();
    let f = dir.join("f.csv");
    std::fs::write(&f, "interval_start_utc,volume\n2027-03-01T08:00:00Z,8\n").unwrap();
    let bin = env!("CARGO_BIN_EXE_wfm");
    let o = Command::new(bin)
        .args(["forecast", "score", "--actuals"])
        .arg(&a)
        .arg("--forecast")
        .arg(&f)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(out.contains("WAPE%") && out.contains(" 20.00"), "{out}");
    std::fs::write(&f, "interval_start_utc,volume\n2030-01-01T08:00:00Z,8\n").unwrap();
    let o = Command::new(bin)
        .args(["forecast", "score", "--actuals"])
        .arg(&a)
        .arg("--forecast")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--forecast"));
    std::fs::remove_dir_all(dir).ok();
}
