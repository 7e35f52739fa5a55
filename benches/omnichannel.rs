//! The omnichannel week (two sites, voice, chat and email, three skill groups): plan plus
//! 20 simulation replications of its roster, on the bundled scenario's 30-minute grid
//! (`examples/scenarios/omnichannel.json`) and on a 15-minute grid
//! (`benches/scenarios/omnichannel_15min.json`, written by
//! `benches/scenarios/generate_omnichannel_15.py`: the same week's demand).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use wfm::scenario::{plan, simulate_roster, Prepared, Scenario, SimulateSpec};
use wfm::simulate::SimOptions;

fn plan_and_simulate(p: &Prepared, spec: &SimulateSpec) {
    let outcome = plan(black_box(p), None).expect("plans");
    black_box(simulate_roster(p, &outcome.roster, spec, None).expect("simulates"));
}

fn benches(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let week = Scenario::load(&root.join("examples/scenarios/omnichannel.json"))
        .expect("bundled scenario loads");
    let week15 = Scenario::load(&root.join("benches/scenarios/omnichannel_15min.json"))
        .expect("15-minute scenario loads");
    let spec = SimulateSpec {
        options: SimOptions {
            replications: 20,
            seed: 1,
            ..SimOptions::default()
        },
        ..SimulateSpec::default()
    };
    let mut g = c.benchmark_group("omnichannel");
    g.sample_size(10);
    g.bench_function("week_plan_and_20_replications", |b| {
        b.iter(|| plan_and_simulate(&week, &spec))
    });
    g.bench_function("week_15min_plan_and_20_replications", |b| {
        b.iter(|| plan_and_simulate(&week15, &spec))
    });
    g.finish();
}

criterion_group!(omnichannel_benches, benches);
criterion_main!(omnichannel_benches);
