use super::*;
use proptest::prelude::*;

fn load(erlangs: f64, aht: f64) -> Workload {
    // `erlangs` of traffic over a 30-minute interval.
    Workload::new(erlangs * 1800.0 / aht, 1800.0, aht).unwrap()
}

fn sl(fraction: f64, within_seconds: f64) -> Target {
    Target::ServiceLevel {
        fraction,
        within_seconds,
    }
}

#[test]
fn trap_long_threshold_needs_eleven_not_twelve() {
    let s = Staffing::new(Workload::new(106.0, 1800.0, 180.0).unwrap()).target(sl(0.8, 3600.0));
    assert!((s.workload().traffic_erlangs() - 10.6).abs() < 1e-12);
    assert_eq!(s.solve().unwrap().agents, 11);
}

#[test]
fn trap_shrinkage_quotient_is_exact() {
    assert_eq!(21.0 / (1.0 - 0.3), 30.000000000000004);
    assert_eq!(scheduled_agents(21, 0.3).unwrap(), 30);
    assert_eq!(scheduled_agents(22, 0.3).unwrap(), 32);
    assert_eq!(scheduled_agents(0, 0.3).unwrap(), 0);
    assert_eq!(productive_agents(30, 0.3).unwrap(), 21);
    assert_eq!(productive_agents(31, 0.3).unwrap(), 21);
    let s = Staffing::new(load(10.0, 180.0))
        .target(sl(0.8, 20.0))
        .shrinkage(0.3)
        .unwrap();
    let r = s.solve().unwrap();
    assert_eq!((r.agents, r.scheduled), (14, 20));
}

#[test]
fn trap_occupancy_cap_is_exact() {
    let s = Staffing::new(Workload::new(192.0, 1800.0, 180.0).unwrap())
        .target(Target::MaxOccupancy(0.8));
    assert_eq!(s.solve().unwrap().agents, 24);
}

#[test]
fn erlang_a_can_staff_below_the_load() {
    // 100 Erlangs, impatient callers (30 s), generous SL: fewer agents than Erlangs.
    let s = Staffing::new(load(100.0, 300.0))
        .model(Model::ErlangA {
            patience_seconds: 30.0,
        })
        .target(Target::MaxAbandon(0.25));
    let n = s.solve().unwrap().agents;
    assert!(n < 100, "{n}");
    let m = s.evaluate(n).unwrap();
    assert!(m.abandon_probability <= 0.25);
    assert!(s.evaluate(n - 1).unwrap().abandon_probability > 0.25);
}

#[test]
fn chat_concurrency_uses_slots() {
    let w = load(30.0, 600.0);
    let one = Staffing::new(w)
        .target(sl(0.8, 60.0))
        .solve()
        .unwrap()
        .agents;
    let three = Staffing::new(w)
        .target(sl(0.8, 60.0))
        .concurrency(3)
        .unwrap()
        .solve()
        .unwrap();
    // Three slots per agent: the slot count of the one-at-a-time answer, divided by 3 and
    // rounded up, is what three-at-a-time needs.
    assert_eq!(three.agents, one.div_ceil(3));
    assert!(three.metrics.occupancy <= 1.0);
}

#[test]
fn zero_volume_needs_nobody() {
    for model in [
        Model::ErlangC,
        Model::ErlangA {
            patience_seconds: 60.0,
        },
    ] {
        let s = Staffing::new(Workload::new(0.0, 900.0, 300.0).unwrap())
            .model(model)
            .target(sl(0.8, 20.0));
        let r = s.solve().unwrap();
        assert_eq!(r.agents, 0);
        assert_eq!(r.metrics.service_level, 1.0);
    }
}

#[test]
fn bad_input_names_the_field() {
    let e = Workload::new(f64::NAN, 900.0, 300.0).unwrap_err();
    assert!(e.to_string().contains("volume"), "{e}");
    let e = Workload::new(-1.0, 900.0, 300.0).unwrap_err();
    assert!(e.to_string().contains("volume"), "{e}");
    let e = Workload::new(10.0, 900.0, 0.0).unwrap_err();
    assert!(e.to_string().contains("aht_seconds"), "{e}");
    let w = Workload::new(10.0, 900.0, 300.0).unwrap();
    let e = Staffing::new(w).shrinkage(1.0).unwrap_err();
    assert!(e.to_string().contains("shrinkage"), "{e}");
    let e = Staffing::new(w).concurrency(0).unwrap_err();
    assert!(e.to_string().contains("concurrency"), "{e}");
    for bad in [0.0, 1.5, -0.2, f64::NAN] {
        let e = Staffing::new(w).target(sl(bad, 20.0)).solve().unwrap_err();
        assert!(e.to_string().contains("fraction"), "{e}");
    }
    let e = Staffing::new(w)
        .target(Target::MaxAbandon(0.05))
        .solve()
        .unwrap_err();
    assert!(e.to_string().contains("Erlang A"), "{e}");
    let e = Staffing::new(w)
        .model(Model::ErlangA {
            patience_seconds: 0.0,
        })
        .target(sl(0.8, 20.0))
        .solve()
        .unwrap_err();
    assert!(e.to_string().contains("patience"), "{e}");
    let e = Staffing::new(w).solve().unwrap_err();
    assert!(e.to_string().contains("targets"), "{e}");
}

#[test]
fn stable_from_a_hundredth_to_the_load_limit() {
    // Beyond the limit of 10⁵ Erlangs: a named error, before any work.
    let e = Workload::new(1e6 * 1800.0 / 300.0, 1800.0, 300.0).unwrap_err();
    assert!(e.to_string().contains("invalid volume"), "{e}");
    let e = Workload::new(1e6 * 1800.0 / 20000.0, 1800.0, 20000.0).unwrap_err();
    assert!(
        e.to_string().contains("above the limit of 100000 Erlangs"),
        "{e}"
    );
    for &a in &[0.01, 0.5, 3.0, 100.0, 2000.0, 1e5] {
        // AHT 600 s: 10⁵ Erlangs is then 167 arrivals a second, within that limit too.
        let s = Staffing::new(load(a, 600.0))
            .target(sl(0.8, 20.0))
            .target(Target::Asa { seconds: 30.0 })
            .target(Target::MaxOccupancy(0.95));
        let r = s.solve().unwrap();
        assert!(r.agents as f64 > a);
        assert!(r.metrics.service_level.is_finite() && r.metrics.asa_seconds.is_finite());
        let before = s.evaluate(r.agents - 1).unwrap();
        assert!(!s.meets(&before), "a = {a}");
    }
    for &a in &[0.01, 3.0, 100.0, 2000.0, 2e4] {
        let s = Staffing::new(load(a, 300.0))
            .model(Model::ErlangA {
                patience_seconds: 120.0,
            })
            .target(sl(0.8, 20.0));
        let r = s.solve().unwrap();
        let m = r.metrics;
        assert!(
            m.service_level >= 0.8 && m.service_level <= 1.0,
            "a = {a}: {m:?}"
        );
        assert!(m.abandon_probability.is_finite() && m.asa_seconds.is_finite());
    }
}

#[test]
fn erlang_a_far_below_the_load_stays_finite() {
    // Nearly everybody abandons: the queue-length distribution is far outside f64's range
    // if computed naively.
    let s = Staffing::new(load(20_000.0, 300.0)).model(Model::ErlangA {
        patience_seconds: 30.0,
    });
    let m = s.evaluate(10).unwrap();
    assert!(
        m.abandon_probability > 0.99 && m.abandon_probability <= 1.0,
        "{m:?}"
    );
    assert!(m.service_level >= 0.0 && m.service_level < 0.01, "{m:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn erlang_c_metrics_improve_with_agents(a in 0.05f64..400.0, aht in 20.0f64..900.0, t in 0.0f64..120.0) {
        let s = Staffing::new(load(a, aht)).service_level_seconds(t).unwrap();
        let start = a.floor() as u32 + 1;
        let mut prev = s.evaluate(start).unwrap();
        for n in start + 1..start + 40 {
            let m = s.evaluate(n).unwrap();
            prop_assert!(m.service_level >= prev.service_level - 1e-12);
            prop_assert!(m.asa_seconds <= prev.asa_seconds + 1e-9);
            prop_assert!(m.occupancy <= prev.occupancy);
            prev = m;
        }
    }

    #[test]
    fn erlang_a_metrics_improve_with_agents(a in 0.05f64..150.0, aht in 30.0f64..600.0,
                                           patience in 5.0f64..900.0, t in 0.0f64..90.0) {
        let s = Staffing::new(load(a, aht))
            .model(Model::ErlangA { patience_seconds: patience })
            .service_level_seconds(t).unwrap();
        let mut prev = s.evaluate(0).unwrap();
        for n in 1..(a as u32 + 30) {
            let m = s.evaluate(n).unwrap();
            prop_assert!(m.service_level >= prev.service_level - 1e-9, "n={} {:?} {:?}", n, prev, m);
            prop_assert!(m.asa_seconds <= prev.asa_seconds + 1e-9);
            prop_assert!(m.abandon_probability <= prev.abandon_probability + 1e-12);
            prev = m;
        }
    }

    #[test]
    fn staffing_meets_targets_and_one_less_does_not(
        a in 0.05f64..500.0, aht in 20.0f64..900.0, frac in 0.5f64..0.99, t in 5.0f64..120.0,
        asa in 5.0f64..200.0, occ in 0.6f64..1.0, abandon in proptest::option::of(0.01f64..0.2),
        patience in proptest::option::of(10.0f64..900.0)) {
        let mut s = Staffing::new(load(a, aht))
            .target(sl(frac, t))
            .target(Target::Asa { seconds: asa })
            .target(Target::MaxOccupancy(occ));
        if let Some(p) = patience {
            s = s.model(Model::ErlangA { patience_seconds: p });
            if let Some(ab) = abandon {
                s = s.target(Target::MaxAbandon(ab));
            }
        }
        let r = s.solve().unwrap();
        prop_assert!(s.meets(&r.metrics));
        if r.agents > 0 {
            prop_assert!(!s.meets(&s.evaluate(r.agents - 1).unwrap()));
        }
    }

    #[test]
    fn erlang_a_tends_to_erlang_c_as_patience_grows(a in 0.5f64..80.0, aht in 30.0f64..600.0, extra in 1u32..10) {
        // At least one agent above the load: right at the load (ρ → 1) the Erlang C queue is
        // so long that even 10⁸ × AHT of patience still trims its tail (the abandonment
        // term grows like θ·j²), so convergence there needs far larger patience.
        let n = a.ceil() as u32 + extra;
        let c = Staffing::new(load(a, aht)).evaluate(n).unwrap();
        let mut prev_gap = f64::INFINITY;
        // Patience far beyond the input limit: the formula itself, not `Staffing`.
        for patience in [1e4, 1e6, 1e8] {
            let m = super::abandonment::erlang_a_point(
                u64::from(n), a / aht, aht, patience * aht, 20.0,
            );
            let gap = (m.wait_probability - c.wait_probability).abs()
                + (m.service_level - c.service_level).abs();
            prop_assert!(gap <= prev_gap + 1e-9);
            prev_gap = gap;
        }
        prop_assert!(prev_gap < 1e-4, "gap {}", prev_gap);
    }

    #[test]
    fn scheduled_is_the_smallest_count_covering_productive(n in 0u32..100_000, pct in 0u32..=90) {
        let s = pct as f64 / 100.0;
        let sched = scheduled_agents(n, s).unwrap();
        // Exact integer check: sched * (100 - pct) >= n * 100 > (sched - 1) * (100 - pct).
        let keep = 100 - pct as u64;
        prop_assert!(sched as u64 * keep >= n as u64 * 100);
        if sched > 0 {
            prop_assert!((sched as u64 - 1) * keep < n as u64 * 100);
        }
    }
}

#[test]
fn erlang_b_and_c_refuse_loads_beyond_the_limits() {
    assert!((erlang_b(10, 10.0).unwrap() - 0.214_582_3).abs() < 1e-7);
    assert!(erlang_c(14, 10.0).is_ok());
    for (n, a) in [(10, 1e300), (10, f64::NAN), (10, -1.0), (u64::MAX, 10.0)] {
        let e = erlang_b(n, a).unwrap_err().to_string();
        assert!(e.contains("erlangs") || e.contains("servers"), "{e}");
        assert!(erlang_c(n, a).is_err());
    }
}
