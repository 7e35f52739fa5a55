//! The bundled omnichannel week (`examples/scenarios/omnichannel.json`: two sites, voice,
//! chat and email, three skill groups, 30-minute grid): plan plus 20 simulation
//! replications of its roster.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::Path;
use wfm::scenario::{plan, simulate_roster, Scenario, SimulateSpec};
use wfm::simulate::SimOptions;

fn benches(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/scenarios/omnichannel.json");
    let p = Scenario::load(&path).expect("bundled scenario loads");
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
        b.iter(|| {
            let outcome = plan(black_box(&p), None).expect("plans");
            simulate_roster(&p, &outcome.roster, &spec, None).expect("simulates")
        })
    });
    g.finish();
}

criterion_group!(omnichannel_benches, benches);
criterion_main!(omnichannel_benches);
