//! Queueing speed: one staffing search, a year of intervals, Erlang A.
//!
//! `cargo bench --bench queueing`

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use wfm::queueing::{Model, Staffing, Target, Workload};

const SL: Target = Target::ServiceLevel {
    fraction: 0.8,
    within_seconds: 20.0,
};

/// `erlangs` of traffic in a 15-minute interval with a 300 s handle time.
fn load(erlangs: f64) -> Workload {
    Workload::new(erlangs * 900.0 / 300.0, 900.0, 300.0).unwrap()
}

/// A year of 15-minute loads between 0 and 2000 Erlangs: a daily double peak, weekly and
/// yearly swings.
fn year_of_loads() -> Vec<f64> {
    (0..35_040)
        .map(|i| {
            let day = (i / 96) as f64;
            let q = (i % 96) as f64 / 96.0;
            let daily = (std::f64::consts::PI * q).sin().powi(2)
                * (0.6 + 0.4 * (4.0 * std::f64::consts::PI * q).cos().abs());
            let weekly = if (i / 96) % 7 >= 5 { 0.55 } else { 1.0 };
            let yearly = 0.8 + 0.2 * (2.0 * std::f64::consts::PI * day / 365.0).sin();
            2000.0 * daily * weekly * yearly
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    c.bench_function("erlang_c_staffing_1000_erlangs_80_20", |b| {
        b.iter(|| {
            Staffing::new(black_box(load(1000.0)))
                .target(SL)
                .solve()
                .unwrap()
        })
    });

    let year = year_of_loads();
    let mut g = c.benchmark_group("year");
    g.sample_size(20);
    g.bench_function("erlang_c_staffing_35040_intervals_0_2000_erlangs", |b| {
        b.iter(|| {
            let mut total = 0u64;
            for &a in &year {
                let s = Staffing::new(load(a)).target(SL).shrinkage(0.3).unwrap();
                total += s.solve().unwrap().scheduled as u64;
            }
            black_box(total)
        })
    });
    g.finish();

    c.bench_function("erlang_a_staffing_1000_erlangs_80_20_patience_180s", |b| {
        b.iter(|| {
            Staffing::new(black_box(load(1000.0)))
                .model(Model::ErlangA {
                    patience_seconds: 180.0,
                })
                .target(SL)
                .solve()
                .unwrap()
        })
    });
}

criterion_group!(queueing, benches);
criterion_main!(queueing);
