//! The accuracy claim on real data: on the North American bank's call counts (Weinberg,
//! Brown & Stroud 2007; GPL-3 data, not in this repository), aggregated to 30 minutes with a
//! one-week horizon and eight rolling origins, the best method's WAPE is at least 10 %
//! (relative) below seasonal naive, at most 7.1 % and below the plain mean of the last `k`
//! same weekdays for every `k` from 1 to 10, and every method's 80 % interval covers
//! 77 - 83 % of the actuals. Every tuned setting is chosen inside each fold from the data before its origin.
//!
//! At two weeks (four origins), where each week of lead gets widths from its own errors,
//! the best method's band still covers 77 - 83 % (six methods' bands are too wide there;
//! docs/forecasting.md).
//!
//! Run with a copy of the data:
//! `WFM_BANK_CALLS=path/to/bank_calls_5min.csv cargo test --test forecast_bank_calls -- --ignored`

use wfm::forecast::{
    backtest, methods, read_history, BacktestOptions, HistoryFormat, Method, Series, WeekdayMean,
};

/// The bank's calls in 30-minute intervals, from `WFM_BANK_CALLS`.
fn bank_calls() -> Series {
    let path = std::env::var("WFM_BANK_CALLS")
        .expect("set WFM_BANK_CALLS to the path of bank_calls_5min.csv");
    let format = HistoryFormat {
        interval_minutes: Some(30),
        ..HistoryFormat::default()
    };
    read_history(std::path::Path::new(&path), &format).unwrap()
}

#[test]
#[ignore = "needs WFM_BANK_CALLS=path/to/bank_calls_5min.csv (GPL-3 data, not in the repository)"]
fn best_method_beats_seasonal_naive_on_bank_calls() {
    let s = bank_calls();
    // 164 weekdays of 29 half-hour slots (07:00 ... 21:00, the last holding one 5-minute bin).
    let observed = (0..s.len()).filter(|i| s.volume(*i).is_some()).count();
    assert_eq!(observed, 164 * 29);
    assert_eq!(s.calendar().open_slots(), 5 * 29);
    let bt = backtest(
        &s,
        &methods(),
        BacktestOptions {
            horizon_minutes: 7 * 1440,
            folds: 8,
        },
    )
    .unwrap();
    println!("{}", bt.table());
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
        "best {best} WAPE {} vs naive {naive}",
        acc.wape
    );
    // Issue 22: the best method's mean WAPE is at most 7.1 %, below the plain mean of the
    // last six same weekdays, and its 80 % interval covers 77 - 83 % of the actuals.
    assert!(acc.wape <= 7.1, "best {best} WAPE {}", acc.wape);
    let mean6 = bt
        .ranking
        .iter()
        .find(|(m, _)| m == "weekday_mean")
        .unwrap()
        .1
        .wape;
    assert!(
        acc.wape < mean6,
        "best {best} {} vs weekday_mean {mean6}",
        acc.wape
    );
    // The best k-week average, k chosen after the fact on these folds (a yardstick that
    // favours the average).
    for k in 1..=10 {
        let m: Vec<Box<dyn Method>> = vec![Box::new(WeekdayMean { weeks: k })];
        let bk = backtest(
            &s,
            &m,
            BacktestOptions {
                horizon_minutes: 7 * 1440,
                folds: 8,
            },
        )
        .unwrap();
        let w = bk.ranking[0].1.wape;
        println!("mean of the last {k} same weekdays: WAPE {w:.2} %");
        assert!(
            acc.wape < w,
            "best {best} {} vs {k}-week mean {w}",
            acc.wape
        );
    }
    // Every method's 80 % interval covers 77 - 83 % of the actuals (mean over the folds).
    for (m, _) in &bt.ranking {
        let cov: Vec<f64> = bt
            .results
            .iter()
            .filter(|r| &r.method == m && r.horizon == "7d")
            .filter_map(|r| r.intervals.map(|i| i.coverage80))
            .collect();
        assert_eq!(cov.len(), 8, "{m}");
        let mean_cov = cov.iter().sum::<f64>() / 8.0;
        println!("{m}: 80 % coverage {mean_cov:.1} %");
        assert!(
            (77.0..=83.0).contains(&mean_cov),
            "{m}: coverage {mean_cov}"
        );
    }
}

#[test]
#[ignore = "needs WFM_BANK_CALLS=path/to/bank_calls_5min.csv (GPL-3 data, not in the repository)"]
fn two_week_forecasts_of_bank_calls_keep_the_best_methods_band_in_range() {
    let s = bank_calls();
    let bt = backtest(
        &s,
        &methods(),
        BacktestOptions {
            horizon_minutes: 14 * 1440,
            folds: 4,
        },
    )
    .unwrap();
    println!("{}", bt.table());
    let (best, acc) = &bt.ranking[0];
    assert!(acc.wape <= 7.1, "best {best} WAPE {}", acc.wape);
    let cov: Vec<f64> = bt
        .results
        .iter()
        .filter(|r| &r.method == best && r.horizon == "14d")
        .filter_map(|r| r.intervals.map(|i| i.coverage80))
        .collect();
    assert_eq!(cov.len(), 4);
    let mean_cov = cov.iter().sum::<f64>() / 4.0;
    assert!(
        (77.0..=83.0).contains(&mean_cov),
        "{best}: coverage {mean_cov}"
    );
}
