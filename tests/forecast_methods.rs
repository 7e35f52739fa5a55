//! Methods, forecasts and backtests on synthetic double-seasonal call data generated here
//! with a fixed seed: weekdays 07:00-21:00, an intraday double peak, weekday factors, slow
//! growth and Poisson-like noise, one missing weekday (a holiday) and no weekend rows.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use wfm::forecast::{
    self, backtest, method_by_name, methods, parse_history, BacktestOptions, HistoryFormat, Status,
};

/// splitmix64: a small deterministic generator, enough for test noise.
struct Rng(u64);
impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const HOLIDAY: (i32, u32, u32) = (2027, 2, 15); // a Monday

/// Expected volume at a weekday and half-hour slot (07:00 = slot 14).
fn mean(day_index: i64, weekday: Weekday, slot: u32) -> f64 {
    let x = (slot as f64 - 14.0) / 28.0; // 0..1 over the open day
    let intraday =
        0.4 + (-(x - 0.2).powi(2) / 0.01).exp() + 0.8 * (-(x - 0.65).powi(2) / 0.015).exp();
    let wd = match weekday {
        Weekday::Mon => 1.25,
        Weekday::Tue => 1.05,
        Weekday::Wed => 1.0,
        Weekday::Thu => 0.97,
        _ => 0.85,
    };
    200.0 * (1.0 + 0.002 * day_index as f64) * wd * intraday
}

/// History CSV text: `weeks` weeks of weekdays from Monday 2027-01-04, 30-minute rows.
pub fn synthetic_csv(weeks: i64, seed: u64) -> String {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let holiday = NaiveDate::from_ymd_opt(HOLIDAY.0, HOLIDAY.1, HOLIDAY.2).unwrap();
    let mut s = String::from("timestamp,calls,aht_seconds\n");
    for d in 0..weeks * 7 {
        let date = start + Duration::days(d);
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) || date == holiday {
            continue;
        }
        for slot in 14..42 {
            let m = mean(d, date.weekday(), slot);
            let y = (m + m.sqrt() * rng.normal()).round().max(0.0);
            let aht = 300.0 + 40.0 * (slot as f64 / 42.0) + 20.0 * rng.normal();
            s.push_str(&format!(
                "{} {:02}:{:02},{},{:.1}\n",
                date,
                slot / 2,
                (slot % 2) * 30,
                y,
                aht
            ));
        }
    }
    s
}

fn series(weeks: i64) -> wfm::forecast::Series {
    parse_history(
        "synthetic.csv",
        &synthetic_csv(weeks, 42),
        &HistoryFormat::default(),
    )
    .unwrap()
}

#[test]
fn calendar_tells_closed_hours_from_a_missing_day() {
    let s = series(10);
    assert_eq!(s.horizon().interval_minutes(), 30);
    assert_eq!(s.calendar().open_slots(), 5 * 28);
    let h = s.horizon();
    let holiday_10am = chrono::Utc.with_ymd_and_hms(2027, 2, 15, 10, 0, 0).unwrap();
    let saturday_10am = chrono::Utc.with_ymd_and_hms(2027, 2, 13, 10, 0, 0).unwrap();
    let night = chrono::Utc.with_ymd_and_hms(2027, 2, 16, 3, 0, 0).unwrap();
    use chrono::TimeZone;
    assert_eq!(
        s.status(h.boundary_index(holiday_10am).unwrap()),
        Status::Missing
    );
    assert_eq!(
        s.status(h.boundary_index(saturday_10am).unwrap()),
        Status::Closed
    );
    assert_eq!(s.status(h.boundary_index(night).unwrap()), Status::Closed);
}

#[test]
fn seasonal_naive_skips_the_missing_week_instead_of_reading_zero() {
    // History ends on Friday 2027-02-19: the Monday to forecast (2027-02-22) has last week's
    // Monday missing (holiday), so seasonal naive must use Monday 2027-02-08.
    let s = series(7);
    let f = forecast::forecast(
        &s,
        method_by_name("seasonal_naive").unwrap().as_ref(),
        48 * 3,
        None,
    )
    .unwrap();
    use chrono::TimeZone;
    let t = chrono::Utc.with_ymd_and_hms(2027, 2, 22, 10, 0, 0).unwrap();
    let k = f.horizon.boundary_index(t).unwrap();
    let two_weeks = chrono::Utc.with_ymd_and_hms(2027, 2, 8, 10, 0, 0).unwrap();
    let expect = s.volume(s.index_of(two_weeks).unwrap()).unwrap();
    assert!(expect > 0.0);
    assert_eq!(f.volume[k], expect);
}

#[test]
fn forecast_covers_every_interval_and_zeroes_closed_ones() {
    let s = series(8);
    for m in methods() {
        let f = forecast::forecast(&s, m.as_ref(), 7 * 48, None).unwrap();
        assert_eq!(f.volume.len(), 7 * 48, "{}", m.name());
        assert_eq!(f.horizon.start(), s.horizon().end());
        let open = f.open.iter().filter(|o| **o).count();
        assert_eq!(open, 5 * 28);
        for (i, v) in f.volume.iter().enumerate() {
            assert!(v.is_finite() && *v >= 0.0, "{} {i} {v}", m.name());
            if !f.open[i] {
                assert_eq!(*v, 0.0);
            }
        }
        // Open-hour forecasts are in the range of the data (no runaway trend).
        let total: f64 = f.volume.iter().sum();
        let last_week: f64 = (s.len() - 7 * 48..s.len())
            .filter_map(|i| s.volume(i))
            .sum();
        assert!(
            (total / last_week - 1.0).abs() < 0.2,
            "{} {total} {last_week}",
            m.name()
        );
        for a in &f.aht_seconds {
            assert!(*a > 250.0 && *a < 400.0, "aht {a}");
        }
        let csv = f.to_csv();
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some(
                "interval_start_utc,volume,aht_seconds,volume_p10,volume_p50,volume_p80,volume_p90"
            )
        );
        assert_eq!(lines.clone().count(), 7 * 48);
        assert!(lines
            .next()
            .unwrap()
            .starts_with("2027-02-27T00:00:00Z,0.000,"));
    }
}

#[test]
fn best_method_beats_seasonal_naive_by_ten_percent() {
    let s = series(20);
    let bt = backtest(
        &s,
        &methods(),
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 6,
        },
    )
    .unwrap();
    let naive = bt
        .ranking
        .iter()
        .find(|(m, _)| m == "seasonal_naive")
        .unwrap()
        .1
        .wape;
    let (best, acc) = &bt.ranking[0];
    assert!(
        acc.wape <= 0.9 * naive,
        "best {best} WAPE {} vs seasonal naive {naive}\n{}",
        acc.wape,
        bt.table()
    );
    println!("{}", bt.table());
    // Six folds × five methods × two horizons (next open day and the week).
    assert_eq!(bt.results.len(), 6 * methods().len() * 2);
    let csv = bt.to_csv();
    assert!(
        csv.starts_with("method,fold,horizon,mae,rmse,wape,smape,mase,bias,pinball,coverage80\n")
    );
    // Every fold past the first few weeks has quantiles scored.
    assert!(bt.results.iter().all(|r| r.intervals.is_some()));
    // Every fold's next open day is a single weekday of 28 half-hours (or fewer).
    for r in bt.results.iter().filter(|r| r.horizon == "1d") {
        assert_eq!(r.accuracy.n, 28);
    }
}

#[test]
fn too_many_folds_is_an_error_naming_folds() {
    let s = series(5);
    let e = backtest(
        &s,
        &methods(),
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 4,
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("--folds"), "{e}");
}

#[test]
fn history_without_aht_needs_a_constant() {
    let text: String = synthetic_csv(4, 1)
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let s = parse_history("x.csv", &text, &HistoryFormat::default()).unwrap();
    let m = method_by_name("weekly_average").unwrap();
    let e = forecast::forecast(&s, m.as_ref(), 48, None).unwrap_err();
    assert!(e.to_string().contains("--aht"), "{e}");
    let f = forecast::forecast(&s, m.as_ref(), 48, Some(300.0)).unwrap();
    assert!(f.aht_seconds.iter().all(|a| *a == 300.0));
}

#[test]
fn last_week_is_local_across_a_daylight_saving_change() {
    // New York history, open 09:00-17:00 local every day; the value encodes the local
    // weekday and hour. The week before the forecast contains the spring-forward change
    // (2027-03-14), so a forecast that looked back 168 UTC hours would be off by one hour.
    use chrono::{Datelike, Timelike};
    let ny: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let mut text = String::from("timestamp,calls\n");
    let start = NaiveDate::from_ymd_opt(2027, 2, 15).unwrap();
    for d in 0..32 {
        let date = start + Duration::days(d);
        for h in 9..17 {
            let v = 100 * date.weekday().num_days_from_monday() + h;
            text.push_str(&format!("{date} {h:02}:00,{v}\n"));
        }
    }
    let f = HistoryFormat {
        tz: ny,
        ..HistoryFormat::default()
    };
    let s = parse_history("ny.csv", &text, &f).unwrap();
    assert_eq!(s.calendar().open_slots(), 7 * 8);
    for name in ["seasonal_naive", "weekly_average", "day_profile"] {
        let m = method_by_name(name).unwrap();
        let fc = forecast::forecast(&s, m.as_ref(), 7 * 24, Some(60.0)).unwrap();
        let mut open = 0;
        for (i, t) in fc.horizon.starts().enumerate() {
            let local = t.with_timezone(&ny);
            if (9..17).contains(&local.hour()) {
                open += 1;
                let want = 100 * local.weekday().num_days_from_monday() + local.hour();
                assert!(
                    (fc.volume[i] - want as f64).abs() < 1e-9,
                    "{name} at {local}: {} want {want}",
                    fc.volume[i]
                );
            } else {
                assert_eq!(fc.volume[i], 0.0, "{name} closed at {local}");
            }
        }
        assert_eq!(open, 7 * 8);
    }
}

#[test]
fn quantiles_are_ordered_and_bracket_the_forecast() {
    let s = series(12);
    for m in methods() {
        let f = forecast::forecast(&s, m.as_ref(), 7 * 48, None).unwrap();
        let levels: Vec<f64> = f.quantiles.iter().map(|(l, _)| *l).collect();
        assert_eq!(levels, vec![0.1, 0.5, 0.8, 0.9], "{}", m.name());
        for i in 0..f.volume.len() {
            let q: Vec<f64> = f.quantiles.iter().map(|(_, v)| v[i]).collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{} {q:?}", m.name());
            if f.open[i] && f.volume[i] > 50.0 {
                // The 80 % band is around the point forecast and not degenerate.
                assert!(
                    q[0] < f.volume[i] && f.volume[i] < q[3],
                    "{} {q:?}",
                    m.name()
                );
            } else if !f.open[i] {
                assert!(q.iter().all(|x| *x == 0.0));
            }
        }
    }
}

#[test]
fn intervals_cover_about_eighty_percent_on_synthetic_data() {
    let s = series(26);
    let bt = backtest(
        &s,
        &[method_by_name("trimmed_profile").unwrap()],
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 8,
        },
    )
    .unwrap();
    let cov: Vec<f64> = bt
        .results
        .iter()
        .filter(|r| r.horizon == "7d")
        .filter_map(|r| r.intervals.map(|i| i.coverage80))
        .collect();
    assert_eq!(cov.len(), 8);
    let mean = cov.iter().sum::<f64>() / 8.0;
    assert!((70.0..=92.0).contains(&mean), "coverage {mean} {cov:?}");
}

#[test]
fn aht_backtest_scores_every_handle_time_forecast() {
    let s = series(12);
    let opts = BacktestOptions {
        horizon_minutes: 7 * 1440,
        folds: 4,
    };
    let folds = forecast::aht_backtest(&s, opts).unwrap().unwrap();
    assert_eq!(folds.len(), 12);
    for f in &folds {
        // Synthetic AHT: 300 - 340 s by time of day with noise of 20 s.
        assert!(f.wape > 0.0 && f.wape < 10.0, "{f:?}");
        assert!(f.mae_seconds > 0.0 && f.mae_seconds < 30.0, "{f:?}");
        assert_eq!(f.n, 5 * 28, "{f:?}");
    }
    let table = forecast::aht_table(&folds);
    assert!(
        table.contains("slot_weighted")
            && table.contains("time_of_day")
            && table.contains("last_week_mean")
    );
    // The AHT rises through the day: pooling every weekday's same time of day finds that
    // shape, a flat carried mean cannot.
    let mean = |m: &str| {
        let w: Vec<f64> = folds
            .iter()
            .filter(|f| f.method == m)
            .map(|f| f.wape)
            .collect();
        w.iter().sum::<f64>() / w.len() as f64
    };
    assert!(mean("time_of_day") < mean("last_week_mean"), "{}", table);
    // A history without handle time has no AHT backtest.
    let csv: String = synthetic_csv(6, 1)
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let no_aht = parse_history("v.csv", &csv, &HistoryFormat::default()).unwrap();
    assert!(forecast::aht_backtest(&no_aht, opts).unwrap().is_none());
}

#[test]
fn selected_is_the_member_with_the_lowest_backtest_wape_and_ensemble_mixes_members() {
    let s = series(12);
    let target = forecast::ForecastGrid::after(&s, 7 * 48).unwrap();
    let members = forecast::member_methods();
    // The member a four-week backtest of the history ranks first.
    let bt = backtest(
        &s,
        &members,
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 4,
        },
    )
    .unwrap();
    let best = method_by_name(&bt.ranking[0].0).unwrap();
    let want = best.predict(&s, &target).unwrap();
    let selected = method_by_name("selected").unwrap();
    let got = selected.predict(&s, &target).unwrap();
    for (k, open) in target.open.iter().enumerate() {
        if *open {
            assert!(
                (got[k] - want[k]).abs() < 1e-9,
                "{} at {k}",
                bt.ranking[0].0
            );
        }
    }
    // The ensemble lies between the members' forecasts in every open interval, and is not
    // any single member's forecast.
    let all: Vec<Vec<f64>> = members
        .iter()
        .map(|m| m.predict(&s, &target).unwrap())
        .collect();
    let ens = method_by_name("ensemble")
        .unwrap()
        .predict(&s, &target)
        .unwrap();
    for (k, open) in target.open.iter().enumerate() {
        if !*open {
            continue;
        }
        let lo = all.iter().map(|p| p[k]).fold(f64::INFINITY, f64::min);
        let hi = all.iter().map(|p| p[k]).fold(f64::NEG_INFINITY, f64::max);
        assert!(
            lo - 1e-9 <= ens[k] && ens[k] <= hi + 1e-9,
            "{k}: {lo} {} {hi}",
            ens[k]
        );
    }
    assert!(all.iter().all(|p| p
        .iter()
        .zip(&ens)
        .zip(&target.open)
        .any(|((a, b), o)| *o && (a - b).abs() > 1e-6)));
}
