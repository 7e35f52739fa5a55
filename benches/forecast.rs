//! Backtest speed on the bank call data: the seven member methods with their quantiles
//! (an inner backtest of eight weeks per fold) × eight folds, 30-minute grid, one-week
//! horizon; and every built-in method (the seven plus `selected` and `ensemble`, which run
//! an inner backtest of the members at every origin).
//!
//! The data is GPL-3 and not in the repository; point `WFM_BANK_CALLS` at a copy of
//! `bank_calls_5min.csv`:
//! `WFM_BANK_CALLS=path/to/bank_calls_5min.csv cargo bench --bench forecast`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use wfm::forecast::{
    backtest, member_methods, methods, read_history, BacktestOptions, HistoryFormat,
};

fn bench(c: &mut Criterion) {
    let Ok(path) = std::env::var("WFM_BANK_CALLS") else {
        eprintln!(
            "WFM_BANK_CALLS is not set: skipping the forecast benchmark (see benches/forecast.rs)"
        );
        return;
    };
    let path = std::path::PathBuf::from(path);
    let format = HistoryFormat {
        interval_minutes: Some(30),
        ..HistoryFormat::default()
    };
    let series = match read_history(&path, &format) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            return;
        }
    };
    let opts = BacktestOptions {
        horizon_minutes: 7 * 1440,
        folds: 8,
    };
    let members = member_methods();
    let all = methods();
    c.bench_function("read bank_calls_5min into 30-minute series", |b| {
        b.iter(|| read_history(black_box(&path), &format).map(|s| s.len()))
    });
    c.bench_function(
        "backtest 7 methods with intervals x 8 folds, 30m, 7d",
        |b| b.iter(|| backtest(black_box(&series), &members, opts).map(|r| r.results.len())),
    );
    c.bench_function(
        "backtest 9 methods (with selected, ensemble) with intervals x 8 folds, 30m, 7d",
        |b| b.iter(|| backtest(black_box(&series), &all, opts).map(|r| r.results.len())),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
