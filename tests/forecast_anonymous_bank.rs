//! The contact-log reader and aggregation on the Anonymous Bank (Israel) February 1999 log,
//! checked against the 30-minute table derived independently from the same log
//! (`tests/data/anonymous_bank_feb1999/intervals_30min.csv`, see its SOURCE.md).

use std::path::Path;
use wfm::forecast::{aggregate, covering_grid, mean_patience, read_contact_log, ContactLogFormat};

const DIR: &str = "tests/data/anonymous_bank_feb1999";

fn format() -> ContactLogFormat {
    let mut f = ContactLogFormat::new("vru_entry");
    f.delimiter = b'\t';
    f.date_column = Some("date".into());
    f.date_format = "%y%m%d".into();
    f.tz = "Asia/Jerusalem".parse().unwrap();
    f.handle_column = Some("ser_time".into());
    f.abandoned = Some(("outcome".into(), vec!["HANG".into()]));
    f.queue_column = Some("q_time".into());
    f.not_queued = Some(("q_start".into(), vec!["0:00:00".into()]));
    f.exclude = Some(("outcome".into(), vec!["PHANTOM".into()]));
    f
}

#[test]
fn aggregation_matches_the_independent_30_minute_table() {
    let log = read_contact_log(
        &Path::new(DIR).join("data_anonymous_bank_february.txt"),
        &format(),
    )
    .unwrap();
    assert_eq!(log.excluded, 278);
    assert_eq!(log.contacts.len(), 33_066);
    let tz = format().tz;
    let grid = covering_grid(&log.contacts, tz, 30).unwrap();
    assert_eq!(grid.len(), 28 * 48);
    assert_eq!(wfm::time::fmt_utc(grid.start()), "1999-01-31T22:00:00Z");
    let stats = aggregate(&log.contacts, grid).unwrap();

    let reference = std::fs::read_to_string(Path::new(DIR).join("intervals_30min.csv")).unwrap();
    let mut rows = 0;
    for (i, line) in reference.lines().skip(1).enumerate() {
        let c: Vec<&str> = line.split(',').collect();
        // interval_start,weekday,arrivals,served,abandoned,sum_service_seconds,sum_queue_seconds
        let local = chrono::NaiveDateTime::parse_from_str(c[0], "%Y-%m-%d %H:%M").unwrap();
        let utc = wfm::time::resolve_local(tz, local);
        let wfm::time::LocalInstant::Single(t) = utc else {
            panic!("{local}")
        };
        assert_eq!(grid.interval_start(i), t, "row {i}");
        let num = |k: usize| c[k].parse::<f64>().unwrap();
        assert_eq!(stats.offered[i] as f64, num(2), "arrivals at {}", c[0]);
        assert_eq!(stats.handled[i] as f64, num(3), "served at {}", c[0]);
        assert_eq!(stats.abandoned[i] as f64, num(4), "abandoned at {}", c[0]);
        assert_eq!(
            stats.handle_seconds[i],
            num(5),
            "service seconds at {}",
            c[0]
        );
        assert_eq!(stats.queue_seconds[i], num(6), "queue seconds at {}", c[0]);
        rows += 1;
    }
    assert_eq!(rows, 28 * 48);
    assert_eq!(stats.offered.iter().sum::<u64>(), 33_066);
}

#[test]
fn mean_patience_is_queue_time_over_abandonments() {
    let log = read_contact_log(
        &Path::new(DIR).join("data_anonymous_bank_february.txt"),
        &format(),
    )
    .unwrap();
    let p = mean_patience(&log.contacts).unwrap();
    // 3 963 callers abandoned from the queue and 1 941 hung up before reaching it
    // (outcome HANG with no queue start), out of 5 904 abandonments.
    assert_eq!(p.abandoned, 3_963);
    assert_eq!(p.abandoned_before_queue, 1_941);
    // Queued: 14 095 served and 3 963 abandoned with a queue start, plus one served call
    // whose queue started at midnight (logged as start "0:00:00", 27 s in queue).
    assert_eq!(p.queued, 14_095 + 3_963 + 1);
    println!("{p:?}");
    assert!((p.mean_seconds - p.total_queue_seconds / 3_963.0).abs() < 1e-9);
    assert!(p.mean_seconds > 30.0 && p.mean_seconds < 1_000.0, "{p:?}");
}
