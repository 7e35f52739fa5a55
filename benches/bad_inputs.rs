//! How fast the worst bad inputs are refused, and how fast the slowest inputs *within* the
//! limits are answered (docs/limits.md).
//!
//! `cargo bench --bench bad_inputs`

use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::Path;
use wfm::queueing::{Model, Staffing, Target, Workload};
use wfm::scenario::Scenario;

const SL: Target = Target::ServiceLevel {
    fraction: 0.8,
    within_seconds: 20.0,
};

/// A change to a scenario's JSON.
type Edit = fn(&mut Value);

/// The corpus scenario with `edit` applied, written to a scratch folder.
fn scenario_with(tag: &str, edit: impl Fn(&mut Value)) -> std::path::PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/bad_rosters/scenario.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(base).unwrap()).unwrap();
    edit(&mut v);
    let dir = std::env::temp_dir().join(format!("wfm-bench-bad-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("scenario.json");
    std::fs::write(&path, v.to_string()).unwrap();
    path
}

/// Loads a scenario and staffs every queue: what `wfm plan` does before planning.
fn load_and_staff(path: &Path) -> wfm::Result<usize> {
    let p = Scenario::load(path)?;
    let mut n = 0;
    for q in &p.queues {
        n += wfm::demand::requirements(&p.horizon, q)?.required.len();
    }
    Ok(n)
}

fn refused(c: &mut Criterion) {
    let mut g = c.benchmark_group("refused");
    g.bench_function("erlang_volume_1e20", |b| {
        b.iter(|| Workload::new(black_box(1e20), 1800.0, 180.0).unwrap_err())
    });
    let w = Workload::new(100.0, 1800.0, 180.0).unwrap();
    g.bench_function("erlang_patience_1e-300", |b| {
        b.iter(|| {
            Staffing::new(w)
                .model(Model::ErlangA {
                    patience_seconds: black_box(1e-300),
                })
                .target(SL)
                .solve()
                .unwrap_err()
        })
    });
    g.bench_function("erlang_max_occupancy_1e-12_only", |b| {
        b.iter(|| {
            Staffing::new(w)
                .target(Target::MaxOccupancy(black_box(1e-12)))
                .solve()
                .unwrap_err()
        })
    });
    g.bench_function("erlang_agents_4294967295", |b| {
        b.iter(|| Staffing::new(w).evaluate(black_box(u32::MAX)).unwrap_err())
    });
    // The largest legal occupancy cap at the largest legal load: more agents than the limit.
    let big = Workload::new(200_000.0, 1800.0, 180.0).unwrap();
    g.bench_function("erlang_max_occupancy_0.01_at_20000_erlangs", |b| {
        b.iter(|| {
            Staffing::new(black_box(big))
                .target(Target::MaxOccupancy(0.01))
                .solve()
                .unwrap_err()
        })
    });
    let cases: [(&str, Edit); 4] = [
        ("shrinkage_0.999999", |v| {
            v["queues"][0]["shrinkage"] = json!(0.999999)
        }),
        ("days_1e6", |v| v["horizon"]["days"] = json!(1_000_000)),
        ("volume_1e300", |v| v["queues"][0]["volume"] = json!(1e300)),
        ("agents_time_limit_1e20", |v| {
            v["agents_time_limit_seconds"] = json!(1e20)
        }),
    ];
    for (tag, edit) in cases {
        let path = scenario_with(tag, edit);
        g.bench_function(format!("scenario_{tag}"), |b| {
            b.iter(|| load_and_staff(black_box(&path)).unwrap_err())
        });
    }
    #[cfg(unix)]
    {
        // A forecast CSV naming an endless device: read up to the 16 MiB cap, then refused.
        let path = scenario_with("dev_zero", |v| {
            let q = &mut v["queues"][0];
            q["forecast_csv"] = json!("/dev/zero");
            if let Some(q) = q.as_object_mut() {
                q.remove("volume");
                q.remove("aht_seconds");
            }
        });
        g.sample_size(10);
        g.bench_function("scenario_forecast_csv_dev_zero", |b| {
            b.iter(|| load_and_staff(black_box(&path)).unwrap_err())
        });
    }
    g.finish();
}

/// The slowest staffing questions inside the limits.
fn at_the_limits(c: &mut Criterion) {
    let mut g = c.benchmark_group("at_the_limits");
    g.sample_size(10);
    // 100 000 Erlangs at 200 arrivals a second (AHT 500 s), the longest patience and
    // service-level threshold.
    let w = Workload::new(360_000.0, 1800.0, 500.0).unwrap();
    let a = Model::ErlangA {
        patience_seconds: 3600.0,
    };
    let sl = Target::ServiceLevel {
        fraction: 0.8,
        within_seconds: 3600.0,
    };
    g.bench_function("erlang_a_100000_erlangs_patience_3600s_sl_3600s", |b| {
        b.iter(|| {
            Staffing::new(black_box(w))
                .model(a)
                .target(sl)
                .solve()
                .unwrap()
        })
    });
    g.bench_function("erlang_a_100000_erlangs_no_agents", |b| {
        b.iter(|| {
            Staffing::new(black_box(w))
                .model(a)
                .service_level_seconds(3600.0)
                .unwrap()
                .evaluate(0)
                .unwrap()
        })
    });
    g.bench_function("erlang_c_100000_erlangs_80_20", |b| {
        b.iter(|| Staffing::new(black_box(w)).target(SL).solve().unwrap())
    });
    g.bench_function("erlang_c_agents_1000000", |b| {
        b.iter(|| Staffing::new(black_box(w)).evaluate(1_000_000).unwrap())
    });
    g.finish();
}

criterion_group!(benches, refused, at_the_limits);
criterion_main!(benches);
