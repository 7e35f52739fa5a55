//! Laws every simulation obeys, on random small models: conservation (offered = answered +
//! abandoned + still waiting, per interval and in total), Little's law for the waiting
//! line, figures in their ranges, and the same numbers for the same seed.

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use wfm::demand::Channel;
use wfm::simulate::{
    simulate, Figures, HandleTime, Patience, ReplayContact, Segment, SegmentEnd, SimAgent,
    SimModel, SimOptions, SimQueue, SimSkill,
};
use wfm::time::Horizon;

fn queue_strategy(n: usize) -> impl Strategy<Value = SimQueue> {
    (
        0u8..3,
        1u32..4,
        prop::collection::vec(0.0f64..40.0, n),
        30.0f64..600.0,
        0u8..3,
        0u8..3,
        prop::option::of(prop::collection::vec(
            (0.0f64..1.0, 10.0f64..900.0, prop::option::of(0.0f64..300.0)),
            0..60,
        )),
    )
        .prop_map(move |(kind, conc, volume, aht, h, p, replay)| {
            let end = n as f64 * 900.0;
            let replay = replay.map(|mut v| {
                v.sort_by(|a, b| a.0.total_cmp(&b.0));
                v.into_iter()
                    .map(|(u, hs, ab)| ReplayContact {
                        at_seconds: u * end * 0.999,
                        handle_seconds: Some(hs),
                        abandoned_after_seconds: ab,
                    })
                    .collect()
            });
            SimQueue {
                name: format!("q{kind}"),
                channel: match kind {
                    0 => Channel::Voice,
                    1 => Channel::Chat { concurrency: conc },
                    _ => Channel::Backlog {
                        deadline_minutes: 30 * conc,
                    },
                },
                volume,
                aht_seconds: vec![aht; n],
                within_seconds: Some(20.0),
                handle: match h {
                    0 => HandleTime::Exponential,
                    1 => HandleTime::LogNormal { cv: 1.2 },
                    _ => HandleTime::Replayed,
                },
                patience: match p {
                    0 => Patience::None,
                    1 => Patience::Exponential {
                        mean_seconds: 120.0,
                    },
                    _ => Patience::Replayed,
                },
                replay,
            }
        })
}

fn agent_strategy(n: usize, queues: usize) -> impl Strategy<Value = SimAgent> {
    (
        prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0u8..3), 1..4),
        prop::collection::btree_set(0..queues, 1..=queues),
        any::<bool>(),
    )
        .prop_map(move |(segs, skills, flip)| {
            let end = n as f64 * 900.0;
            let mut cuts: Vec<f64> = segs.iter().flat_map(|s| [s.0 * end, s.1 * end]).collect();
            cuts.sort_by(f64::total_cmp);
            let segments = cuts
                .chunks(2)
                .zip(&segs)
                .filter(|(c, _)| c[1] > c[0])
                .map(|(c, s)| Segment {
                    start: c[0],
                    end: c[1],
                    then: [
                        SegmentEnd::Break,
                        SegmentEnd::ShiftEnd,
                        SegmentEnd::OffPhone,
                    ][s.2 as usize],
                })
                .collect();
            let mut skills: Vec<SimSkill> = skills
                .into_iter()
                .enumerate()
                .map(|(k, q)| SimSkill {
                    queue: q,
                    priority: k as u32,
                })
                .collect();
            if flip {
                skills.reverse();
            }
            SimAgent {
                name: "a".into(),
                skills,
                segments,
            }
        })
}

fn model_strategy() -> impl Strategy<Value = SimModel> {
    (2usize..12, 1usize..4).prop_flat_map(|(n, nq)| {
        (
            prop::collection::vec(queue_strategy(n), nq),
            prop::collection::vec(agent_strategy(n, nq), 0..8),
        )
            .prop_map(move |(queues, agents)| SimModel {
                horizon: Horizon::new(Utc.with_ymd_and_hms(2027, 3, 8, 0, 0, 0).unwrap(), 15, n)
                    .unwrap(),
                queues,
                agents,
            })
    })
}

fn conserved(f: &Figures) -> bool {
    let lhs = f.offered.mean;
    let rhs = f.answered.mean + f.abandoned.mean + f.still_waiting.mean;
    (lhs - rhs).abs() <= 1e-9 * lhs.max(1.0)
}

fn in_unit(x: f64) -> bool {
    x.is_nan() || (-1e-12..=1.0 + 1e-12).contains(&x)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn laws_hold(model in model_strategy(), seed in 0u64..1000, live_first in any::<bool>()) {
        let o = SimOptions { replications: 1, seed, live_first, threads: 1, ..SimOptions::default() };
        let r = simulate(&model, &o, None).unwrap();
        let end = model.horizon.len() as f64 * 900.0;
        for q in &r.queues {
            prop_assert!(conserved(&q.total), "{:?}", q.total);
            let mut offered = 0.0;
            for f in &q.intervals {
                prop_assert!(conserved(f));
                prop_assert!(f.answered_within.mean <= f.answered.mean);
                prop_assert!(f.past_deadline_end.mean <= f.backlog_end.mean);
                for x in [f.service_level.mean, f.wait_probability.mean, f.abandon_share.mean, f.occupancy.mean] {
                    prop_assert!(in_unit(x), "{x}");
                }
                offered += f.offered.mean;
            }
            prop_assert_eq!(offered, q.total.offered.mean);
            // Little's law: time-average number waiting = arrival rate × mean time in queue.
            let t = &q.total;
            let little = if t.offered.mean > 0.0 { t.offered.mean * t.asa_seconds.mean / end } else { 0.0 };
            prop_assert!((q.mean_waiting.mean - little).abs() <= 1e-6 * little.max(1e-3),
                "L = {} but λW = {}", q.mean_waiting.mean, little);
        }
        // An agent works only on duty, or finishing a contact past a break or shift end.
        for a in &r.agents {
            let bound = a.duty_hours
                + (a.lost_break_minutes.mean + a.overtime_minutes.mean + a.late_off_phone_minutes.mean) / 60.0;
            prop_assert!(a.busy_hours.mean <= bound + 1e-9, "{:?}", a);
        }
    }

    #[test]
    fn same_seed_same_result(model in model_strategy(), seed in 0u64..1000) {
        let o = SimOptions { replications: 3, seed, threads: 1, ..SimOptions::default() };
        let a = simulate(&model, &o, None).unwrap();
        let b = simulate(&model, &SimOptions { threads: 2, ..o }, None).unwrap();
        // NaN (undefined figures) compares unequal: compare the JSON text.
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
    }
}
