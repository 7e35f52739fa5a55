//! Bad history and contact-log input: typed errors naming the file and line.

use wfm::forecast::{parse_contact_log, parse_history, ContactLogFormat, HistoryFormat};
use wfm::Error;

fn fmt30() -> HistoryFormat {
    HistoryFormat {
        interval_minutes: Some(30),
        ..HistoryFormat::default()
    }
}

fn parse_err(text: &str) -> (usize, String) {
    match parse_history("h.csv", text, &fmt30()) {
        Err(Error::Parse { file, line, reason }) => {
            assert_eq!(file, "h.csv");
            (line, reason)
        }
        Err(e) => panic!("expected a parse error, got {e}"),
        Ok(_) => panic!("expected a parse error for {text:?}"),
    }
}

#[test]
fn unparsable_timestamp_names_line_and_column() {
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:00,5\n2027-03-08 7h30,6\n");
    assert_eq!(line, 3);
    assert!(
        reason.contains("timestamp") && reason.contains("7h30"),
        "{reason}"
    );
}

#[test]
fn unsorted_rows_are_rejected() {
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:30,5\n2027-03-08 07:00,6\n");
    assert_eq!(line, 3);
    assert!(
        reason.contains("not sorted") && reason.contains("line 2"),
        "{reason}"
    );
}

#[test]
fn duplicate_rows_are_rejected() {
    let (line, reason) =
        parse_err("interval_start,volume\n2027-03-08T07:00:00Z,5\n2027-03-08T08:00:00+01:00,6\n");
    assert_eq!(line, 3);
    assert!(reason.contains("duplicate"), "{reason}");
}

#[test]
fn negative_count_is_rejected() {
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:00,5\n2027-03-08 07:30,-2\n");
    assert_eq!(line, 3);
    assert!(
        reason.contains("calls") && reason.contains("negative"),
        "{reason}"
    );
}

#[test]
fn nan_and_text_counts_are_rejected() {
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:00,NaN\n");
    assert_eq!(line, 2);
    assert!(reason.contains("finite"), "{reason}");
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:00,5\n2027-03-08 07:30,lots\n");
    assert_eq!(line, 3);
    assert!(reason.contains("not a number"), "{reason}");
    let (line, reason) = parse_err("timestamp,calls,aht\n2027-03-08 07:00,5,inf\n");
    assert_eq!(line, 2);
    assert!(reason.contains("aht"), "{reason}");
}

#[test]
fn missing_column_is_named_on_line_one() {
    let (line, reason) = parse_err("timestamp,agents\n2027-03-08 07:00,5\n");
    assert_eq!(line, 1);
    assert!(reason.contains("volume"), "{reason}");
    let f = HistoryFormat {
        volume_column: Some("offered_calls".into()),
        ..fmt30()
    };
    match parse_history("h.csv", "timestamp,calls\n2027-03-08 07:00,5\n", &f) {
        Err(Error::Parse {
            line: 1, reason, ..
        }) => assert!(reason.contains("offered_calls")),
        other => panic!("{other:?}"),
    }
    let (line, reason) = parse_err("timestamp,calls\n2027-03-08 07:00\n");
    assert_eq!(line, 2);
    assert!(reason.contains("missing column calls"), "{reason}");
}

#[test]
fn rows_coarser_than_the_grid_are_not_split() {
    let f = HistoryFormat {
        interval_minutes: Some(15),
        ..HistoryFormat::default()
    };
    let e = parse_history(
        "h.csv",
        "timestamp,calls\n2027-03-08 07:00,5\n2027-03-08 08:00,6\n",
        &f,
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field == "--interval"),
        "{e}"
    );
}

#[test]
fn skipped_local_time_is_an_error() {
    let f = HistoryFormat {
        tz: "America/New_York".parse().unwrap(),
        ..fmt30()
    };
    match parse_history(
        "h.csv",
        "timestamp,calls\n2027-03-14 01:30,5\n2027-03-14 02:30,6\n",
        &f,
    ) {
        Err(Error::Parse {
            line: 3, reason, ..
        }) => assert!(reason.contains("does not exist")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn repeated_local_hour_is_read_in_order() {
    let f = HistoryFormat {
        tz: "America/New_York".parse().unwrap(),
        ..fmt30()
    };
    let s = parse_history(
        "h.csv",
        "timestamp,calls\n2027-11-07 01:00,1\n2027-11-07 01:30,2\n2027-11-07 01:00,3\n2027-11-07 01:30,4\n",
        &f,
    )
    .unwrap();
    let total: f64 = (0..s.len()).filter_map(|i| s.volume(i)).sum();
    assert_eq!(total, 10.0);
}

#[test]
fn contact_log_errors_name_the_line() {
    let mut f = ContactLogFormat::new("arrival");
    f.handle_column = Some("handle".into());
    let e = parse_contact_log(
        "log.csv",
        "arrival,handle\n2027-03-08T07:00:05+01:00,120\n2027-03-08T07:01:00+01:00,-5\n",
        &f,
    )
    .unwrap_err();
    assert!(matches!(e, Error::Parse { line: 3, .. }), "{e}");
    let e = parse_contact_log("log.csv", "arrival,handle\nyesterday,1\n", &f).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 2, .. }), "{e}");
    let e = parse_contact_log("log.csv", "when,handle\n2027-03-08T07:00:05Z,1\n", &f).unwrap_err();
    assert!(matches!(e, Error::Parse { line: 1, .. }), "{e}");
}

#[test]
fn unknown_method_and_bad_durations_are_named() {
    let e = wfm::forecast::method_by_name("crystal_ball").err().unwrap();
    assert!(e.to_string().contains("--method") && e.to_string().contains("seasonal_naive"));
    assert!(wfm::forecast::parse_minutes("--horizon", "7x").is_err());
    assert!(wfm::forecast::parse_minutes("--horizon", "0d").is_err());
    assert_eq!(
        wfm::forecast::parse_minutes("--horizon", "7d").unwrap(),
        10080
    );
    assert_eq!(
        wfm::forecast::parse_minutes("--interval", "30m").unwrap(),
        30
    );
}

#[test]
fn library_series_rejects_nan_negative_and_wrong_lengths() {
    use chrono::TimeZone;
    use wfm::forecast::{Calendar, Series};
    use wfm::time::Horizon;
    let h = Horizon::new(
        chrono::Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(),
        60,
        3,
    )
    .unwrap();
    let cal = || Calendar::always_open(60);
    let tz = chrono_tz::Tz::UTC;
    let e = Series::new(h, tz, vec![Some(1.0), Some(f64::NAN), None], vec![], cal()).unwrap_err();
    assert!(
        matches!(e, Error::Invalid { ref field, .. } if field.contains("volume at 2027-03-08T01:00:00Z")),
        "{e}"
    );
    let e = Series::new(h, tz, vec![Some(1.0), Some(-1.0), None], vec![], cal()).unwrap_err();
    assert!(e.to_string().contains("negative"), "{e}");
    let e = Series::new(h, tz, vec![Some(1.0)], vec![], cal()).unwrap_err();
    assert!(e.to_string().contains("3 intervals"), "{e}");
    let e = Series::new(
        h,
        tz,
        vec![Some(1.0); 3],
        vec![Some(1.0), Some(f64::INFINITY), None],
        cal(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("aht_seconds"), "{e}");
    assert!(Calendar::from_open_slots(60, vec![true; 5]).is_err());
}

#[test]
fn unknown_time_zone_is_typed() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args([
            "forecast",
            "backtest",
            "missing.csv",
            "--tz",
            "Mars/Olympus",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--tz") && err.contains("Mars/Olympus"),
        "{err}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wfm"))
        .args(["forecast", "no-such-file.csv"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no-such-file.csv"), "{err}");
}
