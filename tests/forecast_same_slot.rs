//! `weekly_average` and `weekday_mean` share one implementation; both must give exactly
//! the averages their definitions say, checked here against a reference written from the
//! definitions on a series with missing rows (skipped weeks) and closed hours.

use chrono::{DateTime, Duration, TimeZone, Utc};
use std::collections::BTreeMap;
use wfm::forecast::{self, method_by_name, parse_history, HistoryFormat, Method, WeekdayMean};

/// Six weeks of hourly rows, open 09:00-17:00 UTC every day, irregular volumes, with a few
/// rows missing (a lost file on one day, single lost hours on others).
fn rows() -> BTreeMap<DateTime<Utc>, f64> {
    let start = Utc.with_ymd_and_hms(2027, 2, 1, 0, 0, 0).unwrap();
    let mut out = BTreeMap::new();
    for day in 0..42i64 {
        for h in 9..17i64 {
            let lost_day = day == 29 && h < 13;
            let lost_hour = (day * 8 + h) % 23 == 0;
            if lost_day || lost_hour {
                continue;
            }
            let v = ((day * 37 + h * 11) % 53) as f64 + 0.25 * (h % 3) as f64;
            out.insert(start + Duration::days(day) + Duration::hours(h), v);
        }
    }
    out
}

/// The definition: the last `k` same instants one, two, ... weeks back that hold a row,
/// weighted `k, k-1, ..., 1` (newest first) or equally.
fn reference(rows: &BTreeMap<DateTime<Utc>, f64>, t: DateTime<Utc>, k: usize, linear: bool) -> f64 {
    let first = *rows.keys().next().unwrap();
    let (mut num, mut den) = (0.0, 0.0);
    let mut found = 0;
    let mut w = 1;
    while found < k && t - Duration::weeks(w) >= first {
        if let Some(v) = rows.get(&(t - Duration::weeks(w))) {
            let wt = if linear { (k - found) as f64 } else { 1.0 };
            num += wt * v;
            den += wt;
            found += 1;
        }
        w += 1;
    }
    num / den
}

fn check(method: &dyn Method, k: usize, linear: bool) {
    let rows = rows();
    let mut csv = String::from("interval_start,volume\n");
    for (t, v) in &rows {
        csv += &format!("{},{v}\n", wfm::time::fmt_utc(*t));
    }
    let s = parse_history("h.csv", &csv, &HistoryFormat::default()).unwrap();
    let f = forecast::forecast(&s, method, 14 * 24, Some(240.0)).unwrap();
    let start = f.horizon.start();
    let mut compared = 0;
    for (i, v) in f.volume.iter().enumerate() {
        let t = start + Duration::hours(i as i64);
        if f.open[i] {
            assert_eq!(
                *v,
                reference(&rows, t, k, linear),
                "{} at {t}",
                method.name()
            );
            compared += 1;
        } else {
            assert_eq!(*v, 0.0);
        }
    }
    assert_eq!(compared, 14 * 8);
}

#[test]
fn weekly_average_is_the_linearly_weighted_mean_of_the_last_four_observed_weeks() {
    check(method_by_name("weekly_average").unwrap().as_ref(), 4, true);
}

#[test]
fn weekday_mean_is_the_plain_mean_of_the_last_k_observed_weeks() {
    check(method_by_name("weekday_mean").unwrap().as_ref(), 6, false);
    for k in [1, 2, 3, 5] {
        check(&WeekdayMean { weeks: k }, k, false);
    }
}
